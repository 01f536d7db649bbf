/**
 * Fault drill (issue 17): Temporal is killed (SIGKILL) while a task in progress waits on its timers
 * (its report deadlines), and restarted from its database file. While it is down, a command and
 * /health answer 503 (the command problem+json with Retry-After, nothing recorded); once it is back,
 * the same API (its client never recreated) and the same worker process (never restarted) recover by
 * themselves: /health is 200 again, the command sent again with the same Idempotency-Key passes, and
 * the task's timers are all still pending. A Temporal dev server of this test's own (the suite's
 * shared one is never killed), started as `npm start` starts it: a persistent file, the same port.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { taskWorkflowId } from '../../workflows/definitions';
import { freePort, SEARCH_ATTRIBUTE_FLAGS, toolPath, waitUntil } from '../support/services';
import { sampleProposal, startStack, type Stack } from '../support/stack';
import { taskInProgress } from '../support/web-flows';

const ROOT = join(__dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'khcn-temporal-restart-'));
let stack: Stack;
let temporal: ChildProcess | undefined;
let worker: ChildProcess | undefined;
let address: string;

const serving = () => spawnSync(toolPath('TEMPORAL_CLI_PATH'), ['operator', 'cluster', 'health', '--address', address], { encoding: 'utf8' }).stdout.includes('SERVING');

async function startTemporal(): Promise<void> {
  temporal = spawn(
    toolPath('TEMPORAL_CLI_PATH'),
    ['server', 'start-dev', '--headless', '--ip', '127.0.0.1', '--port', address.split(':')[1]!, '--db-filename', join(dir, 'temporal.db'), '--log-level', 'error', ...SEARCH_ATTRIBUTE_FLAGS.flatMap((s) => ['--search-attribute', s])],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  await waitUntil('Temporal dev server', serving, 60_000);
}

function kill(child: ChildProcess | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

beforeAll(async () => {
  address = `127.0.0.1:${await freePort()}`;
  await startTemporal();
  stack = await startStack({ inProcessWorker: false, temporalAddress: address });
  // The real worker entry point, in its own process, as `npm start` runs it.
  worker = spawn(process.execPath, ['--import', 'tsx', 'worker/main.ts'], { cwd: ROOT, env: { ...stack.env(), LOG_LEVEL: 'info' }, stdio: ['ignore', 'pipe', 'pipe'] });
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
}, 240_000);

afterAll(async () => {
  await kill(worker);
  await stack?.stop();
  await kill(temporal);
});

async function call(method: string, path: string, as: 'researcher' | 'manager', body?: unknown, headers: Record<string, string> = {}) {
  const started = Date.now();
  const res = await stack.call(method, path, { as, ...(body ? { body } : {}), headers: { 'accept-language': 'vi', ...headers } });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : undefined) as any, ms: Date.now() - started };
}

/** The timers the workflow's latest run started that have neither fired nor been cancelled. */
async function pendingTimers(workflowId: string): Promise<string[]> {
  const history = await stack.client.workflow.getHandle(workflowId).fetchHistory();
  const started = new Set<string>();
  for (const e of history.events ?? []) {
    if (e.timerStartedEventAttributes?.timerId) started.add(e.timerStartedEventAttributes.timerId);
    if (e.timerFiredEventAttributes?.timerId) started.delete(e.timerFiredEventAttributes.timerId);
    if (e.timerCanceledEventAttributes?.timerId) started.delete(e.timerCanceledEventAttributes.timerId);
  }
  return [...started].sort();
}

test('Temporal killed with timers pending: 503s with Retry-After while down, then the same API and worker go on from its file, the timers still pending', async () => {
  const taskId = await taskInProgress(stack, sampleProposal({ title: 'Nghiên cứu quy trình khôi phục máy chủ quy trình' }));
  await waitUntil('the task waits on its deadlines', async () => (await pendingTimers(taskWorkflowId(taskId))).length > 0, 60_000);
  const timers = await pendingTimers(taskWorkflowId(taskId));
  expect((await call('GET', '/health', 'manager')).status).toBe(200);

  await kill(temporal);

  // Down: the command is answered 503 problem+json with Retry-After, within a bounded time; nothing moves.
  const key = { 'idempotency-key': 'restart-drill-disbursement' };
  const body = { amount: 300_000_000 };
  const down = await call('POST', `/api/v1/tasks/${taskId}/record-disbursement`, 'manager', body, key);
  expect(down.status).toBe(503);
  expect(down.headers.get('content-type')).toContain('application/problem+json');
  expect(Number(down.headers.get('retry-after'))).toBeGreaterThan(0);
  expect(down.ms).toBeLessThan(60_000);
  const health = await call('GET', '/health', 'manager');
  expect(health.status).toBe(503);
  expect(health.body.dependencies.temporal.status).toBe('down');
  const before = await stack.store.Task.findById(taskId).lean<{ funds: { disbursed: number } }>();

  // Back from its file: the same API and worker recover without being restarted.
  await startTemporal();
  const back = Date.now();
  await waitUntil('/health answers 200 again', async () => (await call('GET', '/health', 'manager')).status === 200, 120_000);
  console.log(`temporal-restart drill: the command was answered 503 in ${down.ms} ms while Temporal was down; /health was 200 again ${((Date.now() - back) / 1000).toFixed(1)} s after Temporal served again`);
  // The task's timers are all still there.
  expect(await pendingTimers(taskWorkflowId(taskId))).toEqual(timers);
  const again = await call('POST', `/api/v1/tasks/${taskId}/record-disbursement`, 'manager', body, key);
  expect(again.status).toBe(200);
  expect(again.body.funds.disbursed).toBe(before!.funds.disbursed + 300_000_000);
  await waitUntil('the read model follows', async () => (await stack.store.Task.findById(taskId).lean<{ funds: { disbursed: number } }>())?.funds.disbursed === before!.funds.disbursed + 300_000_000, 60_000);
  expect(worker!.exitCode).toBeNull();
}, 480_000);
