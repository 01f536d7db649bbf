// `npm start`: set up what is missing and run the whole system on the embedded
// defaults — Temporal dev server (persistent file), FerretDB (SQLite), maildev,
// the worker and the API — wait until each is healthy, print where everything is.
// Ctrl-C stops exactly what this script started, by PID, in reverse order.
// A service whose address is given in the environment (TEMPORAL_ADDRESS,
// MONGODB_URI, SMTP_HOST) is used as it is and not started here.
import { spawn, spawnSync } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readFileSync, realpathSync, writeFileSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, setup, SetupError } from './tools.mjs';

const DATA = resolve(process.env.DATA_DIR || join(ROOT, '.data'));
const LOGS = join(DATA, 'logs');
const PIDS = join(DATA, 'pids.json');
const say = (msg) => process.stdout.write(`${msg}\n`);

const SEARCH_ATTRIBUTES = {
  TaskStage: 'Keyword',
  TaskLevel: 'Keyword',
  TaskForm: 'Keyword',
  TaskDepartment: 'Keyword',
  TaskNextDeadline: 'Datetime',
  TaskOverdue: 'Bool',
};

const num = (name, dflt) => Number(process.env[name] || dflt);
const PORTS = {
  temporal: num('TEMPORAL_PORT', 7233),
  temporalUi: num('TEMPORAL_UI_PORT', 8233),
  ferretdb: num('FERRETDB_PORT', 27017),
  smtp: num('MAILDEV_SMTP_PORT', 1025),
  mailUi: num('MAILDEV_WEB_PORT', 1080),
  api: num('API_PORT', 3000),
};

/** @type {{name: string, child: import('node:child_process').ChildProcess}[]} */
const started = [];
let stopping = false;

function portFree(port) {
  return new Promise((res) => {
    const srv = createServer();
    srv.once('error', () => res(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => res(true)));
  });
}

function tcpOpen(port) {
  return new Promise((res) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => (s.destroy(), res(true)));
    s.once('error', () => res(false));
  });
}

async function waitFor(what, check, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`${what} did not become healthy within ${timeoutMs / 1000} s (see ${LOGS})`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

const httpOk = (url) => async () => (await fetch(url, { signal: AbortSignal.timeout(2000) })).ok;

function savePids() {
  writeFileSync(PIDS, JSON.stringify(started.map(({ name, child }) => ({ name, pid: child.pid, marker: ROOT })), null, 2));
}

/**
 * A crashed earlier run (or one whose supervisor alone was killed) may have left its services
 * running: stop those it recorded, and only those (a PID reused by another program is left
 * alone), and wait until they are gone so that their ports are free again.
 */
async function stopLeftovers() {
  if (!existsSync(PIDS)) return;
  const ours = (pid) => {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      return cmdline.includes(ROOT) || cmdline.includes('.tools/bin') || realpathSync(`/proc/${pid}/cwd`) === realpathSync(ROOT);
    } catch {
      return false; // gone already
    }
  };
  const left = JSON.parse(readFileSync(PIDS, 'utf8')).filter(({ pid }) => ours(pid));
  for (const { name, pid } of left) {
    try {
      process.kill(-pid, 'SIGTERM');
      say(`stopping ${name} (pid ${pid}) left over from an earlier run…`);
    } catch {
      /* gone already */
    }
  }
  const alive = (pid) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  for (let i = 0; i < 100 && left.some(({ pid }) => alive(pid)); i++) await new Promise((r) => setTimeout(r, 100));
  for (const { pid } of left.filter(({ pid }) => alive(pid))) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
  rmSync(PIDS, { force: true });
}

/** Set once everything is up: from then on a crashed service is restarted instead of stopping all. */
let running = false;

/**
 * Issue 17: each service's log rotates by size (LOG_ROTATE_SIZE, default 10M; units B, K, M, G):
 * `<name>.log` is the current one, `<name>.<n>.log.gz` the older ones, at most LOG_KEEP_FILES (5).
 * rotating-file-stream is loaded once the set-up has installed the dependencies.
 */
let createLogStream = (name) => createWriteStream(join(LOGS, `${name}.log`), { flags: 'a' });
async function useRotatingLogs() {
  const { createStream } = await import('rotating-file-stream');
  const size = process.env.LOG_ROTATE_SIZE || '10M';
  const maxFiles = num('LOG_KEEP_FILES', 5);
  createLogStream = (name) => createStream((time, index) => (time ? `${name}.${index}.log.gz` : `${name}.log`), { path: LOGS, size, maxFiles, compress: 'gzip' });
}

function launch(name, cmd, args, env = {}) {
  const out = createLogStream(name);
  // Own process group: the terminal's Ctrl-C reaches only this script, which then stops
  // the services in order (API and worker first, stores last).
  const spawnOne = () => {
    const child = spawn(cmd, args, { cwd: ROOT, env: { ...process.env, ...env }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.pipe(out, { end: false });
    child.stderr.pipe(out, { end: false });
    return child;
  };
  const entry = { name, child: spawnOne(), crashes: [] };
  const watch = (child) =>
    child.once('exit', (code, signal) => {
      if (stopping) return;
      const why = signal ?? `code ${code}`;
      if (!running) {
        say(`\n${name} exited unexpectedly (${why}); its log: ${join(LOGS, `${name}.log`)}`);
        void shutdown(1);
        return;
      }
      // Issue 17: restart it, with a growing pause; five crashes within five minutes stop everything.
      const now = Date.now();
      entry.crashes = [...entry.crashes.filter((t) => now - t < 5 * 60_000), now];
      if (entry.crashes.length >= 5) {
        say(`\n${name} crashed ${entry.crashes.length} times within five minutes (last: ${why}); stopping everything. Its log: ${join(LOGS, `${name}.log`)}`);
        void shutdown(1);
        return;
      }
      const pause = Math.min(30_000, 1000 * 2 ** (entry.crashes.length - 1));
      say(`${new Date().toISOString()} ${name} exited unexpectedly (${why}); restarting it in ${pause / 1000} s (log: ${join(LOGS, `${name}.log`)})`);
      setTimeout(() => {
        if (stopping) return;
        entry.child = spawnOne();
        watch(entry.child);
        savePids();
        say(`${new Date().toISOString()} ${name} restarted (pid ${entry.child.pid})`);
      }, pause);
    });
  watch(entry.child);
  started.push(entry);
  savePids();
  return entry.child;
}

function stopChild({ name, child }) {
  return new Promise((res) => {
    if (child.exitCode !== null || child.signalCode !== null) return res();
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }, 15_000);
    child.once('exit', () => (clearTimeout(timer), res()));
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      clearTimeout(timer);
      res();
    }
    say(`  stopping ${name} (pid ${child.pid})…`);
  });
}

async function shutdown(code) {
  if (stopping) return;
  stopping = true;
  for (const s of [...started].reverse()) await stopChild(s);
  rmSync(PIDS, { force: true });
  say('stopped everything this run started; data kept in ' + DATA);
  process.exit(code);
}

async function main() {
  try {
    setup();
  } catch (err) {
    if (err instanceof SetupError) {
      console.error(`setup failed: ${err.message}`);
      process.exit(1);
    }
    throw err;
  }
  mkdirSync(LOGS, { recursive: true });
  await stopLeftovers();

  // A development signing key, made once and kept with the data.
  const secretFile = join(DATA, 'dev-jwt-secret');
  if (!existsSync(secretFile)) writeFileSync(secretFile, randomBytes(32).toString('hex'), { mode: 0o600 });
  // Development payload keys for Temporal (issue 15), made once and kept with the data like the JWT key:
  // the worker gets the ballot private key, the API only its public half.
  const keysFile = join(DATA, 'dev-temporal-keys.json');
  if (!existsSync(keysFile)) {
    const pair = generateKeyPairSync('x25519');
    const keys = {
      TEMPORAL_PAYLOAD_KEYS: `dev-1:${randomBytes(32).toString('base64')}`,
      TEMPORAL_BALLOT_PUBLIC_KEYS: `ballot-dev-1:${pair.publicKey.export({ format: 'der', type: 'spki' }).toString('base64')}`,
      TEMPORAL_BALLOT_PRIVATE_KEYS: `ballot-dev-1:${pair.privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64')}`,
    };
    writeFileSync(keysFile, JSON.stringify(keys, null, 2), { mode: 0o600 });
  }
  const ownKeys = Boolean(process.env.TEMPORAL_PAYLOAD_KEYS);
  const devKeys = ownKeys ? {} : JSON.parse(readFileSync(keysFile, 'utf8'));
  const codecKeys = ownKeys
    ? {}
    : { TEMPORAL_PAYLOAD_KEYS: devKeys.TEMPORAL_PAYLOAD_KEYS, TEMPORAL_BALLOT_PUBLIC_KEYS: devKeys.TEMPORAL_BALLOT_PUBLIC_KEYS };
  const env = {
    ...codecKeys,
    AUTH_JWT_SECRET: process.env.AUTH_JWT_SECRET || readFileSync(secretFile, 'utf8').trim(),
    TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS || `127.0.0.1:${PORTS.temporal}`,
    MONGODB_URI: process.env.MONGODB_URI || `mongodb://127.0.0.1:${PORTS.ferretdb}/khcn_flow`,
    SMTP_HOST: process.env.SMTP_HOST || '127.0.0.1',
    SMTP_PORT: process.env.SMTP_HOST ? process.env.SMTP_PORT || '' : String(PORTS.smtp),
    API_PORT: String(PORTS.api),
    // Issue 17: the disk of the data folder is watched (/health, the operations page, admins' alerts).
    DATA_DIR: DATA,
    PUBLIC_BASE_URL: process.env.PUBLIC_BASE_URL || `http://127.0.0.1:${PORTS.api}`,
    // The operations page links into the Web UI of the Temporal server started here (issue 11).
    TEMPORAL_UI_URL: process.env.TEMPORAL_UI_URL || (process.env.TEMPORAL_ADDRESS ? '' : `http://127.0.0.1:${PORTS.temporalUi}`),
  };

  // Validate the configuration once, before anything starts.
  await useRotatingLogs();
  const { tsImport } = await import('tsx/esm/api');
  const { loadConfig, ConfigError } = await tsImport(pathToFileURL(join(ROOT, 'activities', 'config.ts')).href, import.meta.url);
  let config;
  try {
    config = loadConfig({ ...process.env, ...env });
  } catch (err) {
    if (err instanceof ConfigError || err?.name === 'ConfigError') {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }

  // Issue 12: without SIGNING_P12_PATH, a development CA and certificates for the Department and its
  // signers, made once into the data folder (DEVELOPMENT ONLY: they chain to a CA nobody trusts).
  // Never in production (issue 17): the worker refuses development certificates there.
  let devSigning = false;
  if (!process.env.SIGNING_P12_PATH && config.NODE_ENV !== 'production') {
    const { ensureDevelopmentCertificates } = await tsImport(pathToFileURL(join(ROOT, 'activities', 'documents', 'dev-certificates.ts')).href, import.meta.url);
    const { DEV_USERS } = await tsImport(pathToFileURL(join(ROOT, 'scripts', 'dev-users.ts')).href, import.meta.url);
    const signers = DEV_USERS(config.DEPARTMENT_ID).filter((u) => u.role === 'manager' && u.position && u.position !== 'clerk');
    const files = ensureDevelopmentCertificates(join(DATA, 'signing'), { departmentName: config.DEPARTMENT_NAME, signers });
    Object.assign(env, { SIGNING_P12_PATH: files.organisationP12, SIGNING_P12_PASSPHRASE: files.passphrase, SIGNING_SIGNERS_DIR: files.signersDir });
    devSigning = true;
  }

  const own = { temporal: !process.env.TEMPORAL_ADDRESS, ferretdb: !process.env.MONGODB_URI, maildev: !process.env.SMTP_HOST };
  const needed = [
    ...(own.temporal ? [['TEMPORAL_PORT', PORTS.temporal], ['TEMPORAL_UI_PORT', PORTS.temporalUi]] : []),
    ...(own.ferretdb ? [['FERRETDB_PORT', PORTS.ferretdb]] : []),
    ...(own.maildev ? [['MAILDEV_SMTP_PORT', PORTS.smtp], ['MAILDEV_WEB_PORT', PORTS.mailUi]] : []),
    ['API_PORT', PORTS.api],
  ];
  for (const [name, port] of needed) {
    if (!(await portFree(port))) {
      console.error(`port ${port} is already in use; stop what holds it or choose another with ${name}=…`);
      process.exit(1);
    }
  }

  const bin = (n) => join(ROOT, '.tools', 'bin', n);
  if (own.temporal) {
    say('starting Temporal dev server…');
    launch('temporal', bin('temporal'), [
      'server', 'start-dev',
      '--ip', '127.0.0.1', '--port', String(PORTS.temporal), '--ui-port', String(PORTS.temporalUi),
      '--db-filename', join(DATA, 'temporal.db'),
      '--namespace', config.TEMPORAL_NAMESPACE,
      '--log-level', 'warn',
      ...Object.entries(SEARCH_ATTRIBUTES).flatMap(([k, t]) => ['--search-attribute', `${k}=${t}`]),
    ]);
  }
  if (own.ferretdb) {
    say('starting FerretDB (SQLite)…');
    launch('ferretdb', bin('ferretdb'), ['-listen', `127.0.0.1:${PORTS.ferretdb}`, '-sqlite-dir', join(DATA, 'ferretdb')]);
  }
  if (own.maildev) {
    say('starting maildev…');
    launch('maildev', join(ROOT, 'node_modules', '.bin', 'maildev'), [
      '--smtp', String(PORTS.smtp), '--web', String(PORTS.mailUi), '--ip', '127.0.0.1', '--web-ip', '127.0.0.1',
      '--mail-directory', join(DATA, 'maildev'),
    ]);
  }

  const waits = [];
  if (own.temporal) {
    waits.push(
      waitFor('Temporal', async () =>
        spawnSync(bin('temporal'), ['operator', 'cluster', 'health', '--address', env.TEMPORAL_ADDRESS], { encoding: 'utf8' }).stdout.includes('SERVING'),
      ),
    );
  }
  if (own.ferretdb) waits.push(waitFor('FerretDB', () => tcpOpen(PORTS.ferretdb)));
  if (own.maildev) waits.push(waitFor('maildev', httpOk(`http://127.0.0.1:${PORTS.mailUi}/`)));
  await Promise.all(waits);

  // Development users, added once to the embedded store only (never to a database named by
  // MONGODB_URI, never in production, never over a user that exists: issue 15).
  const { seedDevUsersInStore, devUsers, DEV_PASSWORD } = await tsImport(pathToFileURL(join(ROOT, 'scripts', 'dev-users.ts')).href, import.meta.url);
  const devSeed = own.ferretdb && config.NODE_ENV !== 'production';
  if (devSeed) await seedDevUsersInStore(config);

  say('starting the worker and the API…');
  const tsxNode = [process.execPath, ['--import', 'tsx']];
  // Only the worker opens ballots: the private ballot key goes to it and never to the API.
  const worker = launch('worker', tsxNode[0], [...tsxNode[1], 'worker/main.ts'], ownKeys ? env : { ...env, TEMPORAL_BALLOT_PRIVATE_KEYS: devKeys.TEMPORAL_BALLOT_PRIVATE_KEYS });
  await new Promise((res, rej) => {
    const t = setTimeout(() => rej(new Error(`the worker did not report ready within 120 s (see ${join(LOGS, 'worker.log')})`)), 120_000);
    worker.stdout.on('data', (b) => {
      if (b.toString().includes('worker ready')) (clearTimeout(t), res());
    });
  });
  launch('api', tsxNode[0], [...tsxNode[1], 'api/main.ts'], { ...env, TEMPORAL_BALLOT_PRIVATE_KEYS: '' });
  const api = `http://127.0.0.1:${PORTS.api}`;
  await waitFor('API', httpOk(`${api}/health`));

  const tokens = devSeed ? await devUsers(config) : [];
  if (devSeed) writeFileSync(join(DATA, 'dev-tokens.json'), JSON.stringify(tokens, null, 2));

  say('');
  running = true;
  say('KHCN Flow is running.');
  say(`  Web app        ${api}/   (sign in with a development user below)`);
  say(`  API            ${api}/api/v1`);
  say(`  API docs       ${api}/docs   (OpenAPI: ${api}/api/v1/openapi.json)`);
  say(`  Health         ${api}/health`);
  if (own.temporal) say(`  Temporal UI    http://127.0.0.1:${PORTS.temporalUi}`);
  else say(`  Temporal       ${env.TEMPORAL_ADDRESS} (external)`);
  if (own.maildev) say(`  Mail UI        http://127.0.0.1:${PORTS.mailUi}`);
  else say(`  SMTP           ${env.SMTP_HOST} (external)`);
  say(`  Data           ${DATA}   (logs in ${LOGS})`);
  if (devSigning) say(`  Signing        DEVELOPMENT ONLY certificates in ${join(DATA, 'signing')} (set SIGNING_P12_PATH for real ones)`);
  say('');
  if (devSeed) {
    say(`Development users, all with the password "${DEV_PASSWORD}" unless an admin changed it (bearer tokens for API clients, valid 30 days: .data/dev-tokens.json):`);
    const POSITION = { director: 'Giám đốc', deputy_director: 'Phó Giám đốc', head_of_division: 'Trưởng phòng', officer: 'Chuyên viên', clerk: 'Văn thư' };
    for (const t of tokens) {
      const position = t.position ? ` (${POSITION[t.position]}${t.areas?.length ? `: ${t.areas.join(', ')}` : ''})` : '';
      say(`  ${t.role.padEnd(15)} ${t.email.padEnd(40)} ${t.name}${position}`);
    }
  } else {
    say('No development users: the store is not the embedded one (MONGODB_URI) or this is production.');
  }
  say('');
  say('Press Ctrl-C to stop.');
}

process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));
main().catch((err) => {
  console.error(`start failed: ${err.message}`);
  void shutdown(1);
});
