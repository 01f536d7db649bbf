/**
 * Validation messages in the caller's language: our own wording for the common cases, zod's
 * locale as the fallback. Below the API and the activities, which both validate input with it.
 */
import { z } from 'zod';
import type { Locale } from '../../workflows/definitions';
import { NOT_BLANK, textFaultReason, type TextFault } from '../../workflows/rules/text';

const TYPE_NAMES: Record<Locale, Record<string, string>> = {
  vi: { string: 'chuỗi ký tự', number: 'số', int: 'số nguyên', boolean: 'giá trị đúng/sai', object: 'đối tượng', array: 'danh sách' },
  en: { string: 'a string', number: 'a number', int: 'an integer', boolean: 'a boolean', object: 'an object', array: 'a list' },
};

type Issue = Parameters<z.core.$ZodErrorMap>[0];

function message(locale: Locale, issue: Issue): string | undefined {
  const vi = locale === 'vi';
  const t = (k: string) => TYPE_NAMES[locale][k] ?? k;
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return vi ? 'Trường này là bắt buộc.' : 'This field is required.';
      return vi ? `Phải là ${t(issue.expected)}.` : `Must be ${t(issue.expected)}.`;
    case 'too_small': {
      const min = String(issue.minimum);
      if (issue.origin === 'string') return vi ? `Phải có ít nhất ${min} ký tự.` : `Must have at least ${min} characters.`;
      if (issue.origin === 'array') return vi ? `Phải có ít nhất ${min} mục.` : `Must have at least ${min} items.`;
      return vi ? `Phải lớn hơn hoặc bằng ${min}.` : `Must be at least ${min}.`;
    }
    case 'too_big': {
      const max = String(issue.maximum);
      if (issue.origin === 'string') return vi ? `Không được dài quá ${max} ký tự.` : `Must have at most ${max} characters.`;
      if (issue.origin === 'array') return vi ? `Không được quá ${max} mục.` : `Must have at most ${max} items.`;
      return vi ? `Phải nhỏ hơn hoặc bằng ${max}.` : `Must be at most ${max}.`;
    }
    case 'unrecognized_keys':
      return vi ? 'Trường không được hỗ trợ.' : 'Unknown field.';
    case 'invalid_format':
      if (issue.format === 'regex' && 'pattern' in issue && String(issue.pattern) === String(NOT_BLANK)) {
        return vi ? 'Không được để trống.' : 'Must not be blank.';
      }
      return vi ? `Không đúng định dạng (${issue.format}).` : `Invalid format (${issue.format}).`;
    case 'custom': {
      const p = (issue as { params?: { minChars?: number; maxChars?: number; realDate?: boolean; unique?: boolean; illFormed?: true; control?: 'single' | 'multi'; blank?: true; invisible?: true } }).params ?? {};
      // Text fields (issue 15): the reason a value cannot be stored and rendered as text.
      const code = (p as { code?: string }).code;
      if (code === 'ill_formed_unicode' || code === 'control_character' || code === 'blank' || code === 'invisible_only') return textFaultReason(p as TextFault)[locale];
      if (p.minChars !== undefined) return vi ? `Phải có ít nhất ${p.minChars} ký tự.` : `Must have at least ${p.minChars} characters.`;
      if (p.maxChars !== undefined) return vi ? `Không được dài quá ${p.maxChars} ký tự.` : `Must have at most ${p.maxChars} characters.`;
      if (p.realDate) return vi ? 'Ngày không tồn tại.' : 'No such date.';
      if (p.unique) return vi ? 'Không được lặp lại một mục.' : 'Items must not repeat.';
      return undefined;
    }
    case 'invalid_value':
      return vi
        ? `Giá trị không hợp lệ; chấp nhận: ${issue.values.map(String).join(', ')}.`
        : `Invalid value; expected one of: ${issue.values.map(String).join(', ')}.`;
    default:
      return undefined;
  }
}

export function errorMap(locale: Locale): z.core.$ZodErrorMap {
  const fallback = (locale === 'vi' ? z.locales.vi() : z.locales.en()).localeError;
  return (issue) => message(locale, issue) ?? fallback(issue);
}
