/**
 * `npm start` as a supervisor (issue 17), run for real on ports and a data folder of its own:
 * a crashed service (the worker, killed with SIGKILL) is restarted and the system keeps serving;
 * when the supervisor alone is killed, the next `npm start` stops what the earlier one left and
 * starts cleanly; SIGTERM to the supervisor's own process stops everything it started.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitUntil } from '../support/services';

const ROOT = join(__dirname, '..', '..');
const DATA = mkdtempSync(join(tmpdir(), 'khcn-supervisor-'));
let ports: Record<string, string>;
const supervisors: ChildProcess[] = [];

interface Run {
  child: ChildProcess;
  output: () => string;
}

function startSystem(): Run {
  // Logs rotate at 4 KB here (10 MB by default), so that a short run rotates them.
  const env: NodeJS.ProcessEnv = { ...process.env, ...ports, DATA_DIR: DATA, NODE_ENV: 'development', LOG_LEVEL: 'info', LOG_ROTATE_SIZE: '4K', LOG_KEEP_FILES: '2' };
  for (const k of ['TEMPORAL_ADDRESS', 'MONGODB_URI', 'SMTP_HOST', 'PUBLIC_BASE_URL', 'TEMPORAL_UI_URL']) delete env[k];
  const child = spawn(process.execPath, ['scripts/start.mjs'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  supervisors.push(child);
  let out = '';
  child.stdout!.on('data', (b) => (out += b.toString()));
  child.stderr!.on('data', (b) => (out += b.toString()));
  return { child, output: () => out };
}

const pids = (): { name: string; pid: number }[] => JSON.parse(readFileSync(join(DATA, 'pids.json'), 'utf8'));
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const apiUp = async () => (await fetch(`http://127.0.0.1:${ports.API_PORT}/api/v1/openapi.json`, { signal: AbortSignal.timeout(3000) }).catch(() => undefined))?.status === 200;

beforeAll(async () => {
  ports = {};
  for (const k of ['TEMPORAL_PORT', 'TEMPORAL_UI_PORT', 'FERRETDB_PORT', 'MAILDEV_SMTP_PORT', 'MAILDEV_WEB_PORT', 'API_PORT']) ports[k] = String(await freePort());
});

afterAll(async () => {
  for (const s of supervisors) if (s.exitCode === null && s.signalCode === null) s.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 3000));
  if (existsSync(join(DATA, 'pids.json'))) for (const { pid } of pids()) if (alive(pid)) process.kill(-pid, 'SIGKILL');
  rmSync(DATA, { recursive: true, force: true });
});

test('a crashed worker is restarted; a killed supervisor is cleaned up by the next npm start; SIGTERM stops everything', async () => {
  const first = startSystem();
  await waitUntil('the first npm start', () => first.output().includes('KHCN Flow is running.'), 300_000);
  const worker = pids().find((p) => p.name === 'worker')!;

  // The worker crashes: the supervisor says so and starts it again; the API goes on serving.
  process.kill(-worker.pid, 'SIGKILL');
  await waitUntil('the worker restarted', () => /worker restarted \(pid \d+\)/.test(first.output()), 60_000);
  const restarted = pids().find((p) => p.name === 'worker')!;
  expect(restarted.pid).not.toBe(worker.pid);
  expect(alive(restarted.pid)).toBe(true);
  expect(first.output()).toMatch(/worker exited unexpectedly \(SIGKILL\); restarting it in 1 s/);
  expect(await apiUp()).toBe(true);

  // The supervisor alone dies: its services go on, untended.
  const left = pids();
  first.child.kill('SIGKILL');
  await waitUntil('the first supervisor gone', () => first.child.exitCode !== null || first.child.signalCode !== null);
  expect(left.every((p) => alive(p.pid))).toBe(true);

  // The next npm start stops what was left (every one of them) and starts cleanly on the same ports.
  const second = startSystem();
  await waitUntil('the second npm start', () => second.output().includes('KHCN Flow is running.') || second.child.exitCode !== null, 300_000);
  expect(second.output()).toContain('KHCN Flow is running.');
  for (const p of left) expect(second.output()).toContain(`stopping ${p.name} (pid ${p.pid}) left over from an earlier run`);
  expect(left.filter((p) => alive(p.pid))).toEqual([]);
  expect(await apiUp()).toBe(true);

  // Issue 17: the data folder's disk is watched (/health says how full it is, never where it is); logs rotate by size.
  const health: any = await (await fetch(`http://127.0.0.1:${ports.API_PORT}/health`)).json();
  expect(health.disk).toEqual({ status: expect.stringMatching(/^(ok|low)$/), totalBytes: expect.any(Number), freeBytes: expect.any(Number), usedPercent: expect.any(Number) });
  expect(health.disk.freeBytes).toBeLessThanOrEqual(health.disk.totalBytes);
  expect(JSON.stringify(health)).not.toContain(DATA);
  for (let i = 0; i < 40; i++) await fetch(`http://127.0.0.1:${ports.API_PORT}/api/v1/public/calls?i=${i}`).catch(() => undefined);
  await waitUntil('an API log rotated', () => readdirSync(join(DATA, 'logs')).some((f) => /^api\.\d+\.log\.gz$/.test(f)), 30_000);
  const logs = readdirSync(join(DATA, 'logs'));
  expect(logs).toContain('api.log');
  // At most LOG_KEEP_FILES older files per service, compressed.
  expect(logs.filter((f) => /^api\.\d+\.log\.gz$/.test(f)).length).toBeLessThanOrEqual(2);
  expect(statSync(join(DATA, 'logs', 'api.log')).size).toBeLessThanOrEqual(8 * 1024);

  // SIGTERM to the supervisor's own process (as a service manager sends it) stops everything it started.
  const running = pids();
  second.child.kill('SIGTERM');
  await waitUntil('the second supervisor stopped', () => second.child.exitCode !== null, 60_000);
  expect(second.child.exitCode).toBe(0);
  expect(running.filter((p) => alive(p.pid))).toEqual([]);
  expect(existsSync(join(DATA, 'pids.json'))).toBe(false);
}, 900_000);
