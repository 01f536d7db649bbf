/**
 * The schema helpers say in the OpenAPI document what zod checks: lengths in
 * characters (code points), not-blank text, real calendar dates.
 */
import { OpenApiGeneratorV31, OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { chars, isoDate, text, textPattern, z } from '../../api/zod';

/** The schema as the OpenAPI document shows it. */
function openapiOf(schema: z.ZodType): { pattern: string; minLength?: number; maxLength?: number } {
  const registry = new OpenAPIRegistry();
  registry.register('T', schema);
  const doc = new OpenApiGeneratorV31(registry.definitions).generateComponents();
  return (doc.components!.schemas as Record<string, never>)['T'];
}

test('lengths count characters, as JSON Schema does, not UTF-16 units', () => {
  expect(chars(1, 3).safeParse('😀😀😀').success).toBe(true);
  expect(chars(1, 3).safeParse('😀😀😀😀').success).toBe(false);
  expect(chars(4, 10).safeParse('😀😀').success).toBe(false);
});

test('text is trimmed, may not be blank, and its limit applies to what was sent', () => {
  expect(text(12).parse('  Tây Ninh  ')).toBe('Tây Ninh');
  expect(text(10).safeParse(' \u00a0\ufeff\u3000 ').success).toBe(false);
  expect(text(5).safeParse('  ab  ').success).toBe(false);
  expect(text(5).safeParse('\u001c').success).toBe(false); // a control character (issue 15), though not whitespace to JavaScript
});

describe('text is well-formed, has no control character and something visible (issue 15)', () => {
  const faultOf = (schema: ReturnType<typeof text> | ReturnType<typeof chars>, value: string) => {
    const r = schema.safeParse(value);
    return r.success ? undefined : (r.error.issues[0] as { params?: { code?: string } }).params?.code;
  };
  test.each([
    ['a lone high surrogate', 'Đề tài \ud800', 'ill_formed_unicode'],
    ['a lone low surrogate', '\udc00 x', 'ill_formed_unicode'],
    ['surrogates in the wrong order', '\udc00\ud800', 'ill_formed_unicode'],
    ['NUL', 'Đề\u0000tài', 'control_character'],
    ['ESC', 'x\u001b[31m', 'control_character'],
    ['DEL', 'x\u007f', 'control_character'],
    ['a C1 control (NEL)', 'x\u0085y', 'control_character'],
    ['a C1 control (CSI)', 'x\u009by', 'control_character'],
    ['a line break in a single-line field', 'Tiêu đề\nBcc: x@example.vn', 'control_character'],
    ['a tab in a single-line field', 'a\tb', 'control_character'],
    ['only spaces', ' \u00a0\u3000 ', 'blank'],
    ['only zero-width characters', '\u200b\u200c\u200d\u2060\ufeff', 'invisible_only'],
    ['only bidi marks and fillers', '\u200e\u202e\u3164\u115f', 'invisible_only'],
    ['a soft hyphen and a space', '\u00ad ', 'invisible_only'],
  ])('a single-line field refuses %s', (_what, value, code) => {
    expect(faultOf(text(500), value)).toBe(code);
    expect(faultOf(chars(1, 100), value)).toBe(code);
  });

  test('multi-line fields (1,000 characters or more) keep line breaks and tabs, and nothing else of the controls', () => {
    expect(text(2_000).parse('Dòng 1\r\n\tDòng 2\n')).toBe('Dòng 1\r\n\tDòng 2');
    expect(faultOf(text(2_000), '\n\t\r\n')).toBe('blank');
    expect(faultOf(text(2_000), '\n\u200b')).toBe('invisible_only');
    expect(faultOf(text(2_000), 'a\u000bb')).toBe('control_character');
    expect(faultOf(text(2_000), 'a\u000cb')).toBe('control_character');
    expect(faultOf(text(300, 'multi'), 'a\nb')).toBeUndefined();
  });

  test('an optional comment (chars 0..n) may be empty but not blank', () => {
    expect(chars(0, 5_000).safeParse('').success).toBe(true);
    expect(faultOf(chars(0, 5_000), '   ')).toBe('blank');
    expect(chars(0, 5_000).safeParse('Đồng ý, với góp ý 😀\n- mục 1').success).toBe(true);
  });

  test('Vietnamese, emoji (surrogate pairs), joiners inside words and visible symbols are text', () => {
    for (const ok of ['Nguyễn Thị Hương', '😀', '👩‍🔬 nhà khoa học', 'x\u200by', '\u200bx', '4‰ ≥ 6 tấn/ha', '\u00a0a\u00a0', 'ـ']) {
      expect(faultOf(text(500), ok)).toBeUndefined();
    }
  });

  test('the OpenAPI pattern accepts exactly what zod accepts, for well-formed strings (read with the u flag, as JSON Schema reads code points)', () => {
    const samples = [
      'a', ' a ', '', ' ', '\u200b', '\u200ba', 'a\ud800', '\ud83d\ude00', '\udc00\ud800', 'a\n', '\na', 'a\tb', 'a\rb', 'a\u0000', 'a\u007f', 'a\u0080',
      'a\u009f', 'a\u00a0', '\u00ad', '\u3164\u3164', 'Đ', '\ufeffĐ', 'a\u000b', '\u2028a', 'a\u2029', '\ufe0f', '\u202e', 'x'.repeat(3),
    ];
    for (const [schema, lines, min] of [[text(500), 'single', 1], [text(2_000), 'multi', 1], [chars(0, 100), 'single', 0], [chars(1, 5_000), 'multi', 1]] as const) {
      const json = openapiOf(schema);
      const pattern = new RegExp(json.pattern, 'u');
      expect(pattern.source).toBe(textPattern(lines, min === 0).source);
      for (const s of samples) {
        // A lone surrogate is no Unicode scalar value: no pattern of the document can name it (zod refuses it).
        if (!(s as unknown as { isWellFormed(): boolean }).isWellFormed()) {
          expect(schema.safeParse(s).success).toBe(false);
          continue;
        }
        const trimmedOk = schema.safeParse(s).success;
        expect({ s, lines, byPattern: pattern.test(s) && [...s].length >= (json.minLength ?? 0) }).toEqual({ s, lines, byPattern: trimmedOk });
      }
    }
  });
});

test('dates exist, in every year', () => {
  expect(isoDate.safeParse('2028-02-29').success).toBe(true);
  expect(isoDate.safeParse('2027-02-29').success).toBe(false);
  expect(isoDate.safeParse('2026-04-31').success).toBe(false);
  expect(isoDate.safeParse('0090-11-21').success).toBe(true);
  expect(isoDate.safeParse('0000-01-01').success).toBe(true);
});
