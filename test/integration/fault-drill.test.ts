/**
 * Fault drill: the worker process is killed (SIGKILL) while a task's workflow
 * waits for its next command. A command sent while no worker runs waits; a new
 * worker process picks the workflow up, the command completes, the next step's
 * email goes out, and the acknowledgement already sent is not sent again.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { sampleProposal, startStack, type Stack } from '../support/stack';
import { waitUntil } from '../support/services';

const ROOT = join(__dirname, '..', '..');
let stack: Stack;
const workers: ChildProcess[] = [];

/** The real worker entry point, as `npm start` runs it, in its own process. */
async function startWorkerProcess(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'worker/main.ts'], {
    cwd: ROOT,
    env: { ...stack.env(), LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  workers.push(child);
  let output = '';
  child.stderr!.on('data', (b) => (output += b.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker did not start: ${output}`)), 90_000);
    child.stdout!.on('data', (b: Buffer) => {
      if (b.toString().includes('worker ready')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`worker exited with ${code}: ${output}`)));
  });
  return child;
}

function kill(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

beforeAll(async () => {
  stack = await startStack({ inProcessWorker: false });
});
afterAll(async () => {
  await Promise.all(workers.map(kill));
  await stack?.stop();
});

test('a killed worker is replaced and the waiting workflow goes on, with no duplicate email', async () => {
  const first = await startWorkerProcess();
  const res = await stack.call('POST', '/api/v1/proposals', { body: sampleProposal() });
  expect(res.status).toBe(201);
  const { taskId } = (await res.json()) as { taskId: string };
  await stack.smtp.waitFor((m) => m.length === 1);
  await waitUntil('proposal form recorded', async () => ((await stack.store.Task.findById(taskId).lean())?.documents.length ?? 0) === 1);

  // The workflow now waits in PROPOSED for the Department. The worker dies.
  await kill(first);

  // The manager acts while no worker runs: the command waits for one.
  const pending = stack.call('POST', `/api/v1/tasks/${taskId}/start-identification-review`, { as: 'manager', body: { note: 'Sau sự cố máy chủ' } });
  await new Promise((r) => setTimeout(r, 1000));
  expect((await stack.store.Task.findById(taskId).lean())?.stage).toBe('PROPOSED');
  // /health says so within seconds (issue 17: it answered 200 "up" with the worker dead).
  const health = async () => ({ status: (await stack.call('GET', '/health', { as: null })).status });
  await waitUntil('health reports the worker down', async () => (await health()).status === 503, 30_000);
  const down: any = await (await stack.call('GET', '/health', { as: null })).json();
  expect(down).toMatchObject({ status: 'down', usable: false, worker: { status: 'down', live: 0, lastSeenAt: expect.any(String) } });

  await startWorkerProcess();
  const up: any = await (await stack.call('GET', '/health', { as: null })).json();
  expect(up).toMatchObject({ usable: true, worker: { status: 'up', live: 1 } });
  const done = await pending;
  expect(done.status).toBe(200);
  expect(((await done.json()) as { stage: string }).stage).toBe('IDENTIFICATION_REVIEW');
  expect((await stack.store.Task.findById(taskId).lean())?.stage).toBe('IDENTIFICATION_REVIEW');

  // The next step's email arrives; the acknowledgement is still there once. (An activity task the
  // server handed to the killed worker's last poll is given again only after its start-to-close
  // timeout, one minute: the email may take that long, but it comes, once.)
  await stack.smtp.waitFor((m) => m.length >= 2, 90_000);
  await new Promise((r) => setTimeout(r, 1000));
  const subjects = stack.smtp.messages.map((m) => m.subject ?? '');
  expect(subjects).toHaveLength(2);
  expect(subjects.filter((s) => s.includes('Đã tiếp nhận đề xuất'))).toHaveLength(1);
  expect(await stack.store.EmailDelivery.countDocuments({ status: 'sent' })).toBe(2);
}, 240_000); // two worker processes start (each bundles the workflows), the sticky queue times out, a lost activity task times out
