/**
 * The real services the integration tests run against: one FerretDB and one
 * Temporal dev server per jest run (started by global-setup), or the ones named
 * by MONGODB_URI / TEMPORAL_TEST_ADDRESS.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const SEARCH_ATTRIBUTE_FLAGS = [
  'TaskStage=Keyword',
  'TaskLevel=Keyword',
  'TaskForm=Keyword',
  'TaskDepartment=Keyword',
  'TaskNextDeadline=Datetime',
  'TaskOverdue=Bool',
];

const DEFAULT_TOOLS: Record<string, string> = {
  TEMPORAL_CLI_PATH: 'temporal',
  TEMPORAL_TEST_SERVER_PATH: 'temporal-test-server',
  FERRETDB_PATH: 'ferretdb',
  SCHEMATHESIS_PATH: 'schemathesis',
};

/** A tool installed by `npm test` / `npm run setup` into .tools/bin (or named by its variable). */
export function toolPath(env: string): string {
  const p = process.env[env] ?? join(__dirname, '..', '..', '.tools', 'bin', DEFAULT_TOOLS[env] ?? env);
  if (!existsSync(p)) throw new Error(`${p} is missing: run \`npm test\` (or \`npm run setup -- --tests\`), which installs it`);
  return p;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export async function waitUntil(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      /* not yet */
    }
    if (Date.now() > deadline) throw new Error(`${what}: not ready within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export const tcpOpen = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });

export async function startFerretdb(): Promise<{ uri: string; child: ChildProcess }> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'khcn-ferretdb-'));
  const child = spawn(toolPath('FERRETDB_PATH'), ['-listen', `127.0.0.1:${port}`, '-sqlite-dir', dir, '-log-level', 'error'], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  await waitUntil('FerretDB', () => tcpOpen(port));
  return { uri: `mongodb://127.0.0.1:${port}/`, child };
}

export async function startTemporalDevServer(): Promise<{ address: string; child: ChildProcess }> {
  const port = await freePort();
  const address = `127.0.0.1:${port}`;
  const cli = toolPath('TEMPORAL_CLI_PATH');
  const child = spawn(
    cli,
    ['server', 'start-dev', '--headless', '--ip', '127.0.0.1', '--port', String(port), '--log-level', 'error',
      ...SEARCH_ATTRIBUTE_FLAGS.flatMap((s) => ['--search-attribute', s])],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  await waitUntil(
    'Temporal dev server',
    () => spawnSync(cli, ['operator', 'cluster', 'health', '--address', address], { encoding: 'utf8' }).stdout.includes('SERVING'),
    60_000,
  );
  return { address, child };
}

/** The same server, another database: each test file gets its own. */
export function mongoUriFor(dbName: string): string {
  const base = process.env.MONGODB_URI;
  if (!base) throw new Error('MONGODB_URI is not set (global-setup starts FerretDB)');
  const u = new URL(base);
  u.pathname = `/${dbName}`;
  return u.toString();
}
