/**
 * What counts as text (issue 15): a value that can be stored, rendered into a PDF or an e-mail
 * subject and read back. Pure, so that the API's schemas (api/zod.ts), the sheet imports and anything
 * else that takes text from outside apply one rule:
 * - well-formed Unicode (no lone surrogate: `\ud800` alone jammed a task's PDF render forever);
 * - no C0 or C1 control character and no DEL, except TAB, LF and CR in multi-line fields;
 * - not blank and not made only of invisible characters (zero-width spaces, joiners, bidi
 *   marks, fillers), which would name a task with nothing a reader can see.
 * One pattern says the same for the OpenAPI document (schemathesis holds the API to it); it reads
 * code points, as JSON Schema does (`u` flag here).
 */

/** Exactly JavaScript's trim() set (WhiteSpace and LineTerminator of ECMAScript). */
const WHITESPACE = '\\t\\n\\v\\f\\r \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff';
export const NOT_BLANK = new RegExp(`[^${WHITESPACE}]`);

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
export const linesFor = (max: number, lines?: TextLines): TextLines => lines ?? (max >= 1000 ? 'multi' : 'single');


/** The reason for a fault, in both languages (the API's messages and the sheet imports' cells). */
export function textFaultReason(fault: TextFault): { vi: string; en: string } {
  switch (fault.code) {
    case 'ill_formed_unicode':
      return { vi: 'Chứa ký tự Unicode không hợp lệ (nửa cặp thay thế đứng một mình).', en: 'Contains ill-formed Unicode (a lone surrogate).' };
    case 'control_character':
      return fault.control === 'single'
        ? { vi: 'Chứa ký tự điều khiển (kể cả xuống dòng hoặc tab), không được phép ở trường một dòng.', en: 'Contains a control character (line breaks and tabs included), not allowed in a single-line field.' }
        : { vi: 'Chứa ký tự điều khiển (chỉ được phép xuống dòng và tab).', en: 'Contains a control character (only line breaks and tabs are allowed).' };
    case 'blank':
      return { vi: 'Không được để trống.', en: 'Must not be blank.' };
    case 'invisible_only':
      return { vi: 'Chỉ gồm ký tự vô hình (khoảng trắng, ký tự độ rộng bằng không…).', en: 'Contains only invisible characters (spaces, zero-width characters…).' };
  }
}
