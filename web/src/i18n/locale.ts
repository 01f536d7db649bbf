export type Locale = 'vi' | 'en';
export const LOCALES: readonly Locale[] = ['vi', 'en'];
export const isLocale = (v: unknown): v is Locale => v === 'vi' || v === 'en';
