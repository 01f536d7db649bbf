/**
 * Language of API messages: Vietnamese by default, English when the caller
 * prefers it (Accept-Language). Validation messages come from our own error
 * map for the common cases, with zod's locale as the fallback.
 */
import type { Request } from 'express';
import type { Locale } from '../workflows/definitions';

export function pickLocale(req: Request): Locale {
  const best = req.acceptsLanguages('vi', 'en');
  return best === 'en' ? 'en' : 'vi';
}

export { errorMap } from '../activities/validation/messages';
