// Builds the browser app (web/ → web/dist) when its sources changed: the build is keyed by
// the content hash of web/ and the lock file, cached per user like the other tools, so a
// fresh clone copies it in seconds. Prints the sizes and holds the initial JavaScript to
// its budget (gzip), the issue's 350 KB.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';

export const INITIAL_JS_BUDGET_BYTES = 350 * 1024;

function* walk(dir) {
  for (const name of readdirSync(dir).sort()) {
    if (name === 'dist' || name === 'node_modules') continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* walk(p);
    else yield p;
  }
}

/** The hash of everything the build reads: the app's sources and the exact dependency versions. */
export function webSourceHash(root) {
  const h = createHash('sha256');
  for (const f of walk(join(root, 'web'))) h.update(relative(root, f)).update('\0').update(readFileSync(f)).update('\0');
  h.update(readFileSync(join(root, 'package-lock.json')));
  return h.digest('hex').slice(0, 16);
}

/** Sizes of the built app: the JavaScript loaded first (the entry and its preloads) and all of it, gzipped. */
export function webSizes(dist) {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const initial = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]);
  const gz = (f) => gzipSync(readFileSync(join(dist, f)), { level: 9 }).length;
  const all = readdirSync(join(dist, 'assets')).filter((f) => f.endsWith('.js')).map((f) => `assets/${f}`);
  return {
    initialGzip: initial.reduce((s, f) => s + gz(f), 0),
    totalGzip: all.reduce((s, f) => s + gz(f), 0),
    chunks: all.length,
    largest: all.map((f) => ({ f, n: gz(f) })).sort((a, b) => b.n - a.n).slice(0, 3),
  };
}

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

/**
 * Ensures web/dist holds the build of the current sources. `cache` is the per-user cache
 * folder; `log` prints set-up lines; throws with a message when the build fails or is over budget.
 */
export function ensureWebBuild({ root, cache, log, fail }) {
  const dist = join(root, 'web', 'dist');
  const hash = webSourceHash(root);
  const stamp = join(dist, '.build-hash');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === hash) return false;
  const cached = join(cache, `web-${hash}`);
  if (!existsSync(join(cached, '.build-hash'))) {
    log('building the web app (vite)…');
    const vite = join(root, 'node_modules', '.bin', 'vite');
    const r = spawnSync(vite, ['build', 'web', '--logLevel', 'warn'], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true' } });
    if (r.status !== 0) fail(`the web app did not build (vite exit code ${r.status})`);
    const sizes = webSizes(dist);
    log(`web app: initial JavaScript ${kb(sizes.initialGzip)} gzip (budget ${kb(INITIAL_JS_BUDGET_BYTES)}), all ${sizes.chunks} chunks ${kb(sizes.totalGzip)} gzip; largest ${sizes.largest.map((x) => `${x.f.replace('assets/', '')} ${kb(x.n)}`).join(', ')}`);
    if (sizes.initialGzip > INITIAL_JS_BUDGET_BYTES) fail(`the web app's initial JavaScript is ${kb(sizes.initialGzip)} gzip, over its budget of ${kb(INITIAL_JS_BUDGET_BYTES)}: split a route or drop a dependency`);
    writeFileSync(stamp, `${hash}\n`);
    const tmp = `${cached}.tmp-${process.pid}`;
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(cache, { recursive: true });
    cpSync(dist, tmp, { recursive: true });
    rmSync(cached, { recursive: true, force: true });
    renameSync(tmp, cached);
    return true;
  }
  rmSync(dist, { recursive: true, force: true });
  cpSync(cached, dist, { recursive: true });
  return true;
}
