/**
 * Fault drill (issue 17): Temporal is killed (SIGKILL) while a task waits on a timer, and restarted
 * from its database file. While it is down, a command and /health answer 503 (the command with
 * Retry-After, nothing recorded); once it is back, the same API (its client never recreated) and the
 * same worker process (never restarted) recover by themselves: /health is 200 again, the command sent
 * again with the same Idempotency-Key passes, and the task's timer is still pending in its history.
 * A Temporal dev server of this test's own (the suite's shared one is never killed).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { Client, Connection } from '@temporalio/client';
import { createApp } from '../../api/app';
import { codecFromConfig, dataConverterOf } from '../../activities/payload-codec';
import { taskWorkflowId } from '../../workflows/definitions';
import { freePort, SEARCH_ATTRIBUTE_FLAGS, toolPath, waitUntil } from '../support/services';
import { sampleProposal, startStack, type Stack } from '../support/stack';

const ROOT = join(__dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'khcn-temporal-restart-'));
let stack: Stack;
let temporal: ChildProcess | undefined;
let worker: ChildProcess | undefined;
let connection: Connection | undefined;
let server: Server | undefined;
let address: string;
let baseUrl: string;

const healthy = () => spawnSync(toolPath('TEMPORAL_CLI_PATH'), ['operator', 'cluster', 'health', '--address', address], { encoding: 'utf8' }).stdout.includes('SERVING');

/** The dev server as `npm start` runs it: a persistent database file, the same port each time. */
async function startTemporal(): Promise<void> {
  const port = address.split(':')[1]!;
  temporal = spawn(
    toolPath('TEMPORAL_CLI_PATH'),
    ['server', 'start-dev', '--headless', '--ip', '127.0.0.1', '--port', port, '--db-filename', join(dir, 'temporal.db'), '--log-level', 'error', ...SEARCH_ATTRIBUTE_FLAGS.flatMap((s) => ['--search-attribute', s])],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  await waitUntil('Temporal dev server', healthy, 60_000);
}

function kill(child: ChildProcess | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

beforeAll(async () => {
  stack = await startStack({ inProcessWorker: false });
  address = `127.0.0.1:${await freePort()}`;
  await startTemporal();
  // The real worker entry point, in its own process, on this Temporal and the stack's store.
  worker = spawn(process.execPath, ['--import', 'tsx', 'worker/main.ts'], { cwd: ROOT, env: { ...stack.env(), TEMPORAL_ADDRESS: address, LOG_LEVEL: 'info' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  worker.stderr!.on('data', (b) => (output += b.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker did not start: ${output}`)), 90_000);
    worker!.stdout!.on('data', (b: Buffer) => {
      if (b.toString().includes('worker ready')) {
        clearTimeout(timer);
        resolve();
      }
    });
    worker!.once('exit', (code) => reject(new Error(`worker exited with ${code}: ${output}`)));
  });
  // The API, as the API process builds it, with a client of this Temporal (never recreated below).
  connection = await Connection.connect({ address });
  const codec = codecFromConfig(stack.config, { opensBallots: false });
  const client = new Client({ connection, namespace: stack.config.TEMPORAL_NAMESPACE, ...dataConverterOf(codec) });
  const mailer = { sendMail: async () => ({}), verify: async () => true, close: () => undefined } as never;
  const app = createApp({ config: stack.config, store: stack.store, temporal: client, mailer, logger: pino({ level: 'silent' }), ...(codec ? { codec } : {}) });
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  baseUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}, 240_000);

afterAll(async () => {
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
  await kill(worker);
  await connection?.close().catch(() => undefined);
  await kill(temporal);
  await stack?.stop();
});

async function call(method: string, path: string, as: 'researcher' | 'manager', body?: unknown, headers: Record<string, string> = {}) {
  const started = Date.now();
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${await stack.token(as)}`, 'accept-language': 'vi', ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : undefined) as any, ms: Date.now() - started };
}

/** The timers the workflow's latest run started that have neither fired nor been cancelled. */
async function pendingTimers(client: Client, workflowId: string): Promise<string[]> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const started = new Set<string>();
  for (const e of history.events ?? []) {
    if (e.timerStartedEventAttributes?.timerId) started.add(e.timerStartedEventAttributes.timerId);
    if (e.timerFiredEventAttributes?.timerId) started.delete(e.timerFiredEventAttributes.timerId);
    if (e.timerCanceledEventAttributes?.timerId) started.delete(e.timerCanceledEventAttributes.timerId);
  }
  return [...started];
}

test('Temporal killed with a timer pending: 503s with Retry-After while down, then the same API and worker go on from its file, the timer still pending', async () => {
  const filed = await call('POST', '/api/v1/proposals', 'researcher', sampleProposal({ title: 'Nghiên cứu quy trình khôi phục máy chủ quy trình' }), { 'idempotency-key': 'restart-drill-proposal' });
  expect(filed.status).toBe(201);
  const taskId: string = filed.body.taskId;
  const probe = new Client({ connection: connection!, namespace: stack.config.TEMPORAL_NAMESPACE, ...dataConverterOf(codecFromConfig(stack.config, { opensBallots: false })) });
  // The task waits on its next deadline: a timer.
  await waitUntil('the task waits on a timer', async () => (await pendingTimers(probe, taskWorkflowId(taskId))).length > 0, 60_000);
  const timers = await pendingTimers(probe, taskWorkflowId(taskId));
  expect((await call('GET', '/health', 'manager')).status).toBe(200);

  await kill(temporal);

  // Down: the command is answered 503 problem+json with Retry-After, within a bounded time, and nothing moves.
  const key = { 'idempotency-key': 'restart-drill-start-review' };
  const down = await call('POST', `/api/v1/tasks/${taskId}/start-identification-review`, 'manager', { note: 'Chuyển hội đồng xác định' }, key);
  expect(down.status).toBe(503);
  expect(down.headers.get('content-type')).toContain('application/problem+json');
  expect(Number(down.headers.get('retry-after'))).toBeGreaterThan(0);
  expect(down.ms).toBeLessThan(60_000);
  const health = await call('GET', '/health', 'manager');
  expect(health.status).toBe(503);
  expect(health.body.dependencies.temporal.status).toBe('down');
  expect((await stack.store.Task.findById(taskId).lean<{ stage: string }>())?.stage).toBe('PROPOSED');

  // Back from its file: the same API and worker recover without being restarted.
  await startTemporal();
  await waitUntil('/health answers 200 again', async () => (await call('GET', '/health', 'manager')).status === 200, 90_000);
  // The task's timers are still there, none lost to the kill.
  expect(await pendingTimers(probe, taskWorkflowId(taskId))).toEqual(timers);
  const again = await call('POST', `/api/v1/tasks/${taskId}/start-identification-review`, 'manager', { note: 'Chuyển hội đồng xác định' }, key);
  expect(again.status).toBe(200);
  expect(again.body.stage).toBe('IDENTIFICATION_REVIEW');
  await waitUntil('the read model follows', async () => (await stack.store.Task.findById(taskId).lean<{ stage: string }>())?.stage === 'IDENTIFICATION_REVIEW', 60_000);
  expect(worker!.exitCode).toBeNull();
}, 420_000);
