/**
 * A real browser for the page tests: Debian's Chromium (installed by `npm test`'s set-up),
 * driven by playwright-core, against the real stack (test/support/stack.ts), whose API
 * serves the built web app. Screenshots go to .data/screenshots/ to be looked at; axe-core
 * checks every page for accessibility.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page, type Request } from 'playwright-core';

// Page callbacks run in the browser: `document` and `window` there are the page's (the tests'
// own code has Node's types, not the DOM's, so that fetch and Buffer keep theirs).
declare const document: any;
declare const window: any;

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOTS = join(__dirname, '..', '..', '.data', 'screenshots');

export const DESKTOP = { width: 1280, height: 860 };
export const PHONE = { width: 375, height: 740 };

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // As root in a container, without a GPU; no calls to Google's services (the network is closed here).
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-features=Translate,MediaRouter'],
  });
}

export interface ContextOptions {
  baseURL: string;
  phone?: boolean;
  lang?: 'vi' | 'en';
}

/** A fresh browser profile (its own cookies), in Vietnam's time zone, on a desktop or a 375 px phone. */
export async function newContext(browser: Browser, o: ContextOptions): Promise<BrowserContext> {
  const ctx = await browser.newContext({
    baseURL: o.baseURL,
    viewport: o.phone ? PHONE : DESKTOP,
    ...(o.phone ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {}),
    locale: o.lang === 'en' ? 'en-GB' : 'vi-VN',
    timezoneId: 'Asia/Ho_Chi_Minh',
    acceptDownloads: true,
  });
  ctx.setDefaultTimeout(20_000);
  // What the API refused or failed, kept for a failing wait to say why (waitOrExplain).
  ctx.on('response', (r) => {
    if (r.status() >= 400 && r.url().includes('/api/')) {
      const list = refusals.get(ctx) ?? [];
      list.push(`${r.request().method()} ${new URL(r.url()).pathname} → ${r.status()}`);
      refusals.set(ctx, list.slice(-10));
    }
  });
  // API calls sent and not yet answered (with when they were sent), for the same explanation.
  const open = new Map<Request, number>();
  pending.set(ctx, open);
  ctx.on('request', (r) => {
    if (r.url().includes('/api/')) open.set(r, Date.now());
  });
  ctx.on('requestfinished', (r) => open.delete(r));
  ctx.on('requestfailed', (r) => open.delete(r));
  if (o.lang) {
    // The page's language before sign-in is kept in the browser; a user's own comes from their record.
    // (The script runs in every frame: a PDF shown from a blob: address has no storage.)
    await ctx.addInitScript((l) => window.localStorage?.setItem('khcn-flow.locale', l), o.lang);
  }
  return ctx;
}

const refusals = new WeakMap<BrowserContext, string[]>();
const pending = new WeakMap<BrowserContext, Map<Request, number>>();

/**
 * Waits for `locator`; when it does not come, fails with what the page shows instead (its address,
 * alerts, messages and field errors) and the API calls the page had refused, so that a failure
 * under load says whether the page was slow or something was refused.
 */
export async function waitOrExplain(page: Page, locator: ReturnType<Page['locator']>, timeout?: number): Promise<void> {
  try {
    await locator.waitFor(timeout === undefined ? {} : { timeout });
  } catch (err) {
    const shown = await page
      .locator('.ant-alert, .ant-message-notice, .ant-notification-notice, .ant-form-item-explain-error, [role=alert]')
      .allInnerTexts()
      .catch(() => [] as string[]);
    const details = [`page: ${page.url()}`, `shown: ${JSON.stringify(shown.map((t) => t.replace(/\s+/g, ' ').trim()).filter(Boolean))}`, `refused API calls: ${JSON.stringify(refusals.get(page.context()) ?? [])}`,
      `unanswered API calls: ${JSON.stringify([...(pending.get(page.context()) ?? new Map<Request, number>())].map(([r, at]) => `${r.method()} ${new URL(r.url()).pathname} for ${Math.round((Date.now() - at) / 1000)} s`))}`,
    ];
    throw new Error(`${(err as Error).message}\n${details.join('\n')}`);
  }
}

/** Errors the page logs: a page that works logs none (a refused request is logged by the browser and allowed). */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) errors.push(`console: ${m.text()}`);
  });
  return errors;
}

/** Resizes the page's viewport and waits until the page has seen it (layouts follow the width). */
export async function resizeTo(page: Page, size: { width: number; height: number }): Promise<void> {
  await page.setViewportSize(size);
  await page.waitForFunction((w) => window.innerWidth === w, size.width);
}

/** Saves a screenshot of the whole page as .data/screenshots/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  // Let fonts and transitions settle (antd animates drawers and messages); from the top, so that
  // the sticky header is where a reader sees it.
  await page.evaluate(() => document.fonts.ready);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.waitForTimeout(300);
  await page.screenshot({ path, fullPage: true });
  return path;
}

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/** axe-core on the page as it is now: the serious and critical violations (WCAG 2.1 A and AA rules). */
export async function seriousA11yViolations(page: Page): Promise<AxeViolation[]> {
  // Evaluated through the DevTools protocol, so the page's CSP (no inline scripts) does not apply.
  await page.evaluate(AXE_SOURCE);
  const results = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[] }> } }).axe;
    return axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } });
  });
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) }));
}

/**
 * Opens a page from one of the header's menus (Số liệu, Quản trị): hover the menu, click the link in
 * its pop-up. The pop-up animates in and closes when the pointer leaves it; on a loaded machine the
 * click can land while it is still moving, so the hover and click are tried again (up to three times).
 */
export async function openFromMenu(page: Page, menu: string, link: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await page.getByRole('menuitem', { name: menu }).hover();
    try {
      const target = page.getByRole('link', { name: link });
      const href = await target.getAttribute('href', { timeout: 7_000 });
      await target.click({ timeout: 7_000 });
      // A click that landed as the pop-up closed goes nowhere: it counts only once the page is open.
      if (href) await page.waitForURL((url) => url.pathname === href, { timeout: 7_000 });
      return;
    } catch (err) {
      if (attempt === 3) throw err;
      await page.mouse.move(1, 400); // away from the menu: the pop-up closes, the next hover opens it afresh
    }
  }
}
