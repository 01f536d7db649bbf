/**
 * Email rendering from Handlebars files in `templates/emails/<name>/`:
 * `subject.<locale>.hbs`, `html.<locale>.hbs`, `text.<locale>.hbs`.
 *
 * - Vietnamese (`vi`) is the default; a locale whose three files are not all present falls back
 *   to `vi` as a whole, so one email never mixes languages.
 * - HTML is escaped; subject and text are not (they are not HTML). The subject is collapsed to a
 *   single line.
 * - Templates compile in strict mode: a variable the template uses but the data lacks is an error,
 *   not a silently blank line in an official email. Optional parts use `{{#if x}}`.
 * - Compiled templates are cached per (directory, name, locale).
 */
import fs from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import { formatVnd } from '../documents/format';
import { formatDay } from '../../workflows/labels';

export type EmailLocale = 'vi' | 'en';
export const EMAIL_LOCALES: readonly EmailLocale[] = ['vi', 'en'];
export const DEFAULT_EMAIL_LOCALE: EmailLocale = 'vi';

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

type EmailPart = keyof RenderedEmail;
const PARTS: readonly EmailPart[] = ['subject', 'html', 'text'];

type CompiledEmail = Record<EmailPart, HandlebarsTemplateDelegate>;

/** Where `render` tells the helpers the email's language. */
const LOCALE_KEY = '__locale';

const TEMPLATE_NAME = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export interface EmailRenderer {
  render(name: string, locale: EmailLocale, data: Record<string, unknown>): RenderedEmail;
}

function createHandlebars(): typeof Handlebars {
  const hbs = Handlebars.create();
  // Each helper writes in the language of the email it renders (`render` puts it in the root data).
  const localeOf = (options: Handlebars.HelperOptions | undefined): EmailLocale => (options?.data?.root?.[LOCALE_KEY] === 'en' ? 'en' : 'vi');
  hbs.registerHelper('vnd', (amount: unknown, options?: Handlebars.HelperOptions) => {
    if (typeof amount !== 'number') throw new TypeError(`vnd helper: expected an integer VND amount, got ${typeof amount}`);
    const vi = formatVnd(amount);
    return localeOf(options) === 'en' ? vi.replace(/ đồng$/, ' VND') : vi;
  });
  // Dates in the recipient's language, in Vietnam time: "24/11/2026" / "24 Nov 2026".
  hbs.registerHelper('date', (iso: unknown, options?: Handlebars.HelperOptions) => {
    if (typeof iso !== 'string') throw new TypeError(`date helper: expected an ISO date string, got ${typeof iso}`);
    return formatDay(iso, localeOf(options));
  });
  return hbs;
}

/** A renderer over one templates directory (tests and other deployments may point elsewhere). */
export function createEmailRenderer(options: { templatesDir: string }): EmailRenderer {
  const templatesDir = path.resolve(options.templatesDir);
  const hbs = createHandlebars();
  const cache = new Map<string, CompiledEmail>();

  const partFile = (name: string, part: EmailPart, locale: EmailLocale): string =>
    path.join(templatesDir, name, `${part}.${locale}.hbs`);

  const hasLocale = (name: string, locale: EmailLocale): boolean =>
    PARTS.every((part) => fs.existsSync(partFile(name, part, locale)));

  const compile = (name: string, locale: EmailLocale): CompiledEmail => {
    const load = (part: EmailPart): HandlebarsTemplateDelegate =>
      hbs.compile(fs.readFileSync(partFile(name, part, locale), 'utf8'), {
        strict: true,
        noEscape: part !== 'html',
      });
    return { subject: load('subject'), html: load('html'), text: load('text') };
  };

  const resolve = (name: string, requested: EmailLocale): CompiledEmail => {
    if (!TEMPLATE_NAME.test(name)) {
      throw new Error(`Email template "${name}" does not exist: names are kebab-case (a-z, 0-9, -)`);
    }
    const locale = EMAIL_LOCALES.includes(requested) && hasLocale(name, requested) ? requested : DEFAULT_EMAIL_LOCALE;
    const key = `${name}\u0000${requested}`;
    const cached = cache.get(key);
    if (cached) return cached;
    if (!fs.existsSync(path.join(templatesDir, name))) {
      throw new Error(`Email template "${name}" does not exist (looked in ${path.join(templatesDir, name)})`);
    }
    if (!hasLocale(name, locale)) {
      const missing = PARTS.map((part) => partFile(name, part, locale)).filter((file) => !fs.existsSync(file));
      throw new Error(`Email template "${name}" is incomplete for locale "${locale}": missing ${missing.join(', ')}`);
    }
    const compiled = compile(name, locale);
    cache.set(key, compiled);
    return compiled;
  };

  return {
    render(name, locale, data) {
      const compiled = resolve(name, locale);
      const rendered = { ...data, [LOCALE_KEY]: EMAIL_LOCALES.includes(locale) && hasLocale(name, locale) ? locale : DEFAULT_EMAIL_LOCALE };
      try {
        return {
          subject: compiled.subject(rendered).replace(/\s+/g, ' ').trim(),
          html: compiled.html(rendered),
          text: compiled.text(rendered),
        };
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new Error(`Email template "${name}" (${locale}) failed to render: ${reason}`);
      }
    },
  };
}

/**
 * `templates/emails` of this project, found by walking up from this file so it works from the
 * sources (tsx, jest) and from a compiled `dist/` tree alike.
 */
export function defaultEmailTemplatesDir(): string {
  let dir = __dirname;
  for (;;) {
    const candidate = path.join(dir, 'templates', 'emails');
    if (fs.existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`templates/emails not found above ${__dirname}`);
    dir = parent;
  }
}

let defaultRenderer: EmailRenderer | undefined;

/** Renders `templates/emails/<name>` in `locale` (falling back to Vietnamese). */
export function renderEmail(name: string, locale: EmailLocale, data: Record<string, unknown>): RenderedEmail {
  defaultRenderer ??= createEmailRenderer({ templatesDir: defaultEmailTemplatesDir() });
  return defaultRenderer.render(name, locale, data);
}
