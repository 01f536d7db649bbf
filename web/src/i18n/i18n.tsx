/**
 * The page's language: Vietnamese by default, English switchable; a signed-in user's
 * choice is stored on their user record (PATCH /auth/me), a visitor's in the browser.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import dayjs from 'dayjs';
import 'dayjs/locale/vi';
import 'dayjs/locale/en';
import { setApiLocale } from '../api/client';
import { MESSAGES, type MessageKey } from './messages';
import { isLocale, type Locale } from './locale';

export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

interface I18n {
  locale: Locale;
  setLocale(l: Locale): void;
  t: Translate;
}

const STORAGE_KEY = 'khcn-flow.locale';
const I18nContext = createContext<I18n | null>(null);

function initialLocale(): Locale {
  try {
    const stored = window.localStorage.getItem(STORAGE_KEY);
    if (isLocale(stored)) return stored;
  } catch {
    /* storage unavailable */
  }
  return 'vi';
}

export function translate(locale: Locale, key: MessageKey, vars?: Record<string, string | number>): string {
  const text: string = MESSAGES[key][locale];
  return vars ? text.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m)) : text;
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(initialLocale);
  setApiLocale(locale);
  useEffect(() => {
    document.documentElement.lang = locale;
    dayjs.locale(locale);
  }, [locale]);
  const setLocale = useCallback((l: Locale) => {
    setApiLocale(l);
    setLocaleState(l);
    try {
      window.localStorage.setItem(STORAGE_KEY, l);
    } catch {
      /* storage unavailable */
    }
  }, []);
  const value = useMemo<I18n>(() => ({ locale, setLocale, t: (key, vars) => translate(locale, key, vars) }), [locale, setLocale]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const v = useContext(I18nContext);
  if (!v) throw new Error('useI18n outside I18nProvider');
  return v;
}
