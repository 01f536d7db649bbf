/**
 * zod, extended once so every schema can describe itself in the OpenAPI
 * document. API modules import `z` from here, never from 'zod' directly, so the
 * extension is in place whichever module loads first.
 *
 * The helpers below keep what zod checks and what the document says the same
 * thing (schemathesis holds the API to the document): lengths in characters (code
 * points, as JSON Schema counts them, not UTF-16 units), "not blank" as a pattern,
 * dates that are real calendar dates, e-mail addresses and record keys by pattern.
 */
import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

extendZodWithOpenApi(z);

export { z };

const codePoints = (s: string): number => {
  let n = 0;
  for (const _ of s) n++;
  return n;
};

/** Exactly JavaScript's trim() set (WhiteSpace and LineTerminator of ECMAScript). */
const WHITESPACE = '\\t\\n\\v\\f\\r \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff';
export const NOT_BLANK = new RegExp(`[^${WHITESPACE}]`);

/**
 * Text that can be stored, rendered into a PDF or an e-mail subject and read back (issue 15):
 * - well-formed Unicode (no lone surrogate: `\ud800` alone jammed a task's PDF render forever);
 * - no C0 or C1 control character and no DEL, except TAB, LF and CR in multi-line fields;
 * - not blank and not made only of invisible characters (zero-width spaces, joiners, bidi
 *   marks, fillers), which would name a task with nothing a reader can see.
 * One pattern says the same for the OpenAPI document (schemathesis holds the API to it); it
 * reads code points, as JSON Schema does (`u` flag here), so a lone surrogate is its own code point.
 */
const CONTROLS = '\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f';
const LINE_CONTROLS = '\\t\\n\\r';
const LONE_SURROGATES = '\\ud800-\\udfff';
/** Characters that show nothing: the whitespace above (minus controls) and the format and filler characters. */
const INVISIBLE_PRINTABLE =
  ' \\u00a0\\u00ad\\u034f\\u061c\\u115f\\u1160\\u1680\\u17b4\\u17b5\\u180b-\\u180f\\u2000-\\u200f\\u2028-\\u202f\\u205f-\\u206f\\u3000\\u3164\\ufe00-\\ufe0f\\ufeff\\uffa0';

export type TextLines = 'single' | 'multi';

/**
 * The pattern a text field's value matches: optional invisible lead, one visible character, then
 * anything allowed. Lone surrogates are the one rule it cannot state: they are not Unicode scalar
 * values, and the regex engines that read the document (Rust's, in schemathesis' validator) refuse a
 * pattern that names them. A well-formed JSON Schema string never holds one anyway; zod refuses them.
 */
export function textPattern(lines: TextLines, allowEmpty = false): RegExp {
  const refused = CONTROLS + (lines === 'single' ? LINE_CONTROLS : '');
  const invisible = INVISIBLE_PRINTABLE + (lines === 'multi' ? LINE_CONTROLS : '');
  const body = `[${invisible}]*[^${refused}${invisible}][^${refused}]*`;
  return new RegExp(allowEmpty ? `^(?:${body})?$` : `^${body}$`, 'u');
}

const CONTROL_RE = { single: new RegExp(`[${CONTROLS}${LINE_CONTROLS}]`, 'u'), multi: new RegExp(`[${CONTROLS}]`, 'u') };
const VISIBLE_RE = { single: new RegExp(`[^${INVISIBLE_PRINTABLE}${CONTROLS}${LINE_CONTROLS}${LONE_SURROGATES}]`, 'u'), multi: new RegExp(`[^${INVISIBLE_PRINTABLE}${CONTROLS}${LINE_CONTROLS}${LONE_SURROGATES}]`, 'u') };
/** With the `u` flag a surrogate range matches only surrogates not in a pair: String.prototype.isWellFormed, as a pattern. */
const LONE_SURROGATE_RE = new RegExp(`[${LONE_SURROGATES}]`, 'u');
const BLANK_RE = new RegExp(`^[${WHITESPACE}]*$`);

/** Why a value is not acceptable text (the first reason), or undefined. Params of the zod issue; i18n words them. */
export type TextFault =
  | { code: 'ill_formed_unicode'; illFormed: true }
  | { code: 'control_character'; control: TextLines }
  | { code: 'blank'; blank: true }
  | { code: 'invisible_only'; invisible: true };
export function textFault(s: string, lines: TextLines, allowEmpty = false): TextFault | undefined {
  if (LONE_SURROGATE_RE.test(s)) return { code: 'ill_formed_unicode', illFormed: true };
  if (CONTROL_RE[lines].test(s)) return { code: 'control_character', control: lines };
  if (s === '' && allowEmpty) return undefined;
  if (!VISIBLE_RE[lines].test(s)) return BLANK_RE.test(s) ? { code: 'blank', blank: true } : { code: 'invisible_only', invisible: true };
  return undefined;
}

/** Multi-line unless said otherwise when a field may hold 1,000 characters or more (notes, reasons, summaries). */
const linesFor = (max: number, lines?: TextLines): TextLines => lines ?? (max >= 1000 ? 'multi' : 'single');

const textChecked = (lines: TextLines, allowEmpty: boolean) =>
  z.string().superRefine((s, ctx) => {
    const fault = textFault(s, lines, allowEmpty);
    if (fault) ctx.addIssue({ code: 'custom', params: fault, input: s });
  });

/**
 * A string of min..max characters (code points) that is acceptable text (see textPattern);
 * min 0 allows the empty string only.
 */
export const chars = (min: number, max: number, lines?: TextLines) =>
  textChecked(linesFor(max, lines), min === 0)
    .refine((s) => codePoints(s) >= min, { params: { minChars: min } })
    .refine((s) => codePoints(s) <= max, { params: { maxChars: max } })
    .openapi({ minLength: min, maxLength: max, pattern: textPattern(linesFor(max, lines), min === 0).source });

/** Free text: acceptable text (see textPattern), at most `max` characters as sent; handlers get it trimmed. */
export const text = (max: number, lines?: TextLines) =>
  textChecked(linesFor(max, lines), false)
    .refine((s) => codePoints(s) <= max, { params: { maxChars: max } })
    .trim()
    .openapi({ minLength: 1, maxLength: max, pattern: textPattern(linesFor(max, lines)).source });

/** An e-mail address (the everyday form: what mail servers of the provinces accept). */
export const email = z
  .string()
  .max(254)
  .regex(/^[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/)
  .describe('E-mail address');

const isRealDate = (s: string) => {
  const [y, m, d] = s.split('-').map(Number) as [number, number, number];
  // setUTCFullYear, not Date.UTC: Date.UTC reads years 0–99 as 1900–1999.
  const t = new Date(0);
  t.setUTCFullYear(y, m - 1, d);
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
};

/** A calendar date in Vietnam, YYYY-MM-DD, that exists. */
export const isoDate = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/)
  .refine(isRealDate, { params: { realDate: true } })
  .openapi({ format: 'date' })
  .describe('A calendar date in Vietnam, YYYY-MM-DD');

const KEY = /^[A-Za-z0-9_-]{1,50}$/;
/** A record whose keys are identifiers (never $-keys or dotted keys, which MongoDB would misread). */
export const recordOf = <V extends z.ZodType>(value: V) =>
  z.record(z.string().regex(KEY), value).openapi({ propertyNames: { type: 'string', pattern: KEY.source } } as never);
