/**
 * The web app as served by the API, in a real browser: the page shell, its headers (CSP
 * without inline scripts, no framing, immutable hashed assets), client routes that open
 * directly (as from an e-mail link), and a visitor sent to sign in.
 */
import type { Browser } from 'playwright-core';
import { startStack, type Stack } from '../support/stack';
import { collectPageErrors, launchBrowser, newContext, screenshot, seriousA11yViolations } from '../support/browser';

// Page callbacks run in the browser: `document` and `window` there are the page's (the tests'
// own code has Node's types, not the DOM's, so that fetch and Buffer keep theirs).
declare const document: any;
declare const window: any;

let stack: Stack;
let browser: Browser;
beforeAll(async () => {
  [stack, browser] = await Promise.all([startStack({ inProcessWorker: false }), launchBrowser()]);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

test('a client route opens index.html with a CSP that allows no inline script and no framing', async () => {
  const res = await fetch(`${stack.baseUrl}/councils/council-NV-0000000000-C-ID-1`, { headers: { accept: 'text/html' } });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/html/);
  const csp = res.headers.get('content-security-policy') ?? '';
  expect(csp).toContain("script-src 'self'");
  expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
  expect(csp).toContain("frame-ancestors 'none'");
  const html = await res.text();
  expect(html).toContain('<div id="root"></div>');
  expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  // Hashed assets are cached for good; a missing one is a 404, never the page.
  const asset = /src="(\/assets\/[^"]+\.js)"/.exec(html)![1]!;
  const a = await fetch(`${stack.baseUrl}${asset}`);
  expect(a.status).toBe(200);
  expect(a.headers.get('cache-control')).toContain('immutable');
  expect((await fetch(`${stack.baseUrl}/assets/nothing-here.js`)).status).toBe(404);
});

test('API paths never fall back to the page', async () => {
  for (const [path, status] of [['/api/v1/no-such-thing', 401], ['/api/v2/tasks', 404], ['/health/nothing', 404]] as const) {
    const res = await fetch(`${stack.baseUrl}${path}`, { headers: { accept: 'text/html' } });
    expect({ path, status: res.status, type: res.headers.get('content-type') }).toEqual({ path, status, type: expect.stringMatching(/problem\+json/) });
  }
});

test.each([
  ['vi', 'Quản lý nhiệm vụ khoa học và công nghệ', 'Đăng nhập'],
  ['en', 'Science and technology tasks', 'Sign in'],
] as const)('a visitor sees the home page (%s), desktop and phone, without accessibility violations', async (lang, heading, signIn) => {
  for (const phone of [false, true]) {
    const ctx = await newContext(browser, { baseURL: stack.baseUrl, lang, phone });
    const page = await ctx.newPage();
    const errors = collectPageErrors(page);
    await page.goto('/');
    await page.getByRole('heading', { level: 1, name: heading }).waitFor();
    await page.getByRole('link', { name: signIn }).first().waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe(lang);
    await screenshot(page, `home-${phone ? 'phone' : 'desktop'}-${lang}`);
    expect(await seriousA11yViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await ctx.close();
  }
});

test('a visitor opening a task page is sent to sign in, with the page to come back to', async () => {
  const ctx = await newContext(browser, { baseURL: stack.baseUrl });
  const page = await ctx.newPage();
  await page.goto('/tasks/NV-0000000000ABCDEF');
  await page.waitForURL(/\/sign-in\?next=/);
  expect(new URL(page.url()).searchParams.get('next')).toBe('/tasks/NV-0000000000ABCDEF');
  await page.getByLabel('Thư điện tử').waitFor();
  await page.getByRole('heading', { level: 1, name: 'Đăng nhập' }).waitFor();
  await screenshot(page, 'sign-in-desktop-vi');
  expect(await seriousA11yViolations(page)).toEqual([]);
  await ctx.close();
});
