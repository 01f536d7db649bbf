/**
 * zod, extended once so every schema can describe itself in the OpenAPI
 * document. API modules import `z` from api/zod (which re-exports this), never from
 * 'zod' directly, so the extension is in place whichever module loads first. It lives
 * below both the API and the activities (issue 17's tidy: the imports' activities
 * validate rows with the same rules, without importing the HTTP layer).
 *
 * The helpers below keep what zod checks and what the document says the same
 * thing (schemathesis holds the API to the document): lengths in characters (code
 * points, as JSON Schema counts them, not UTF-16 units), "not blank" as a pattern,
 * dates that are real calendar dates, e-mail addresses and record keys by pattern.
 */
import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { linesFor, textFault, textPattern, type TextLines } from '../../workflows/rules/text';

extendZodWithOpenApi(z);

export { z };

const codePoints = (s: string): number => {
  let n = 0;
  for (const _ of s) n++;
  return n;
};

export { NOT_BLANK, textFault, textPattern, type TextFault, type TextLines } from '../../workflows/rules/text';

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
