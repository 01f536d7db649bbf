/**
 * The schema helpers say in the OpenAPI document what zod checks: lengths in
 * characters (code points), not-blank text, real calendar dates.
 */
import { chars, isoDate, text } from '../../api/zod';

test('lengths count characters, as JSON Schema does, not UTF-16 units', () => {
  expect(chars(1, 3).safeParse('😀😀😀').success).toBe(true);
  expect(chars(1, 3).safeParse('😀😀😀😀').success).toBe(false);
  expect(chars(4, 10).safeParse('😀😀').success).toBe(false);
});

test('text is trimmed, may not be blank, and its limit applies to what was sent', () => {
  expect(text(12).parse('  Tây Ninh  ')).toBe('Tây Ninh');
  expect(text(10).safeParse(' \u00a0\ufeff\u3000 ').success).toBe(false);
  expect(text(5).safeParse('  ab  ').success).toBe(false);
  expect(text(5).safeParse('\u001c').success).toBe(true); // not whitespace to JavaScript, nor to the document's pattern
});

test('dates exist, in every year', () => {
  expect(isoDate.safeParse('2028-02-29').success).toBe(true);
  expect(isoDate.safeParse('2027-02-29').success).toBe(false);
  expect(isoDate.safeParse('2026-04-31').success).toBe(false);
  expect(isoDate.safeParse('0090-11-21').success).toBe(true);
  expect(isoDate.safeParse('0000-01-01').success).toBe(true);
});
