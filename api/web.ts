/**
 * The browser app (web/, built into web/dist) served by the API process: hashed assets
 * under /assets, cached for good; every other GET that asks for HTML gets index.html, so
 * client routes (/tasks/…, /councils/…) open directly, e.g. from an e-mail link. The page's
 * Content-Security-Policy allows no inline script and no framing.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import express, { Router } from 'express';

/** Where the build lands (scripts/web-build.mjs). */
export const DEFAULT_WEB_DIST = join(__dirname, '..', 'web', 'dist');

/**
 * No inline or foreign script; styles inline only (Ant Design writes its CSS-in-JS into
 * <style> elements); PDFs previewed from blob: URLs in a frame of our own; never framed.
 */
export function webContentSecurityPolicy(https: boolean): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "frame-src 'self' blob:",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(https ? ['upgrade-insecure-requests'] : []),
  ].join('; ');
}

/** Paths that belong to the API, its documents and the app's files, never to a page (a missing asset is a 404). */
const NOT_PAGES = /^\/(api|docs|health|metrics|assets)(\/|$)/;

export function webRouter(distDir: string, https: boolean): Router {
  const r = Router();
  const indexFile = join(distDir, 'index.html');
  if (!existsSync(indexFile)) return r;
  // Read once: the build does not change under a running process (a new build means a restart).
  const index = readFileSync(indexFile);
  const csp = webContentSecurityPolicy(https);
  r.use(
    '/assets',
    express.static(join(distDir, 'assets'), {
      index: false,
      fallthrough: true,
      immutable: true,
      maxAge: '365d',
      setHeaders: (res) => res.setHeader('X-Content-Type-Options', 'nosniff'),
    }),
  );
  r.get(/.*/, (req, res, next) => {
    if (NOT_PAGES.test(req.path) || !req.accepts('html')) return next();
    res
      .status(200)
      .type('html')
      .set({
        'Cache-Control': 'no-cache',
        'Content-Security-Policy': csp,
        'X-Frame-Options': 'DENY',
        'Referrer-Policy': 'same-origin',
      })
      .send(index);
  });
  return r;
}
