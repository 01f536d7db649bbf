/**
 * Issue 17, operations: Prometheus metrics and e-mail alerts, on the real stack (Temporal dev
 * server, FerretDB, the in-process SMTP server, the real API and worker).
 *
 * - GET /metrics: 404 while METRICS_ENABLED is off; 401 problem+json without the scrape token or
 *   with a wrong one; with it, the text format, requests counted by route template (never a raw
 *   task ID), the worker's liveness and Node's own metrics;
 * - the API refuses to start with METRICS_ENABLED and no METRICS_TOKEN;
 * - alerts: the worker stops, a check sends the admin one "problem" e-mail and the next check
 *   nothing; the worker is back, one "resolved" e-mail. Two checkers (as two API processes) at once
 *   send each e-mail once; a real API process checks by itself every OPS_ALERT_INTERVAL_SECONDS and
 *   stops checking on SIGTERM;
 * - the worker process with WORKER_METRICS_ADDRESS serves the Temporal SDK's runtime metrics.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import pino from 'pino';
import { createMailTransport } from '../../activities/mail/transport';
import { createOpsAlerts } from '../../api/ops-alerts';
import { OperationsStatus, operationsChecks } from '../../api/routes/operations';
import { freePort, waitUntil } from '../support/services';
import { sampleProposal, startStack, type Stack } from '../support/stack';

const ROOT = join(__dirname, '..', '..');
const TOKEN = 'metrics-scrape-token-for-tests-0123456789';
const ALERT_PROBLEM = '[KHCN Flow] Sự cố: Không có worker xử lý / Problem: no worker polling';
const ALERT_RESOLVED = '[KHCN Flow] Đã khắc phục: Không có worker xử lý / Resolved: no worker polling';

let stack: Stack;
const children: ChildProcess[] = [];

beforeAll(async () => {
  stack = await startStack({ env: { METRICS_ENABLED: 'true', METRICS_TOKEN: TOKEN } });
}, 120_000);
afterAll(async () => {
  await Promise.all(children.map(stopChild));
  await stack?.stop();
});

const scrape = (headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` }, base = stack.baseUrl) => fetch(`${base}/metrics`, { headers });

/** The samples of one metric in the text format: each with its labels and value. */
function samples(text: string, name: string): { labels: Record<string, string>; value: number }[] {
  const out: { labels: Record<string, string>; value: number }[] = [];
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const labels = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((x) => [x[1]!, x[2]!]));
    out.push({ labels, value: Number(m[3]) });
  }
  return out;
}
const count = (text: string, name: string, labels: Record<string, string>) =>
  samples(text, name).find((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value ?? 0;

test('metrics off: GET /metrics is a 404, with or without the token', async () => {
  const off = await stack.extraApi({ METRICS_ENABLED: false });
  try {
    for (const headers of [{}, { authorization: `Bearer ${TOKEN}` }] as Record<string, string>[]) {
      const res = await scrape(headers, off.baseUrl);
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(await res.text()).not.toContain('khcn_');
    }
  } finally {
    await off.close();
  }
});

test('metrics on: 401 problem+json without the token and with a wrong one', async () => {
  for (const headers of [{}, { authorization: `Bearer ${TOKEN.slice(0, -1)}x` }, { authorization: 'Bearer short' }, { authorization: `Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}` }] as Record<string, string>[]) {
    const res = await scrape(headers);
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const body: any = await res.json();
    expect(body).toMatchObject({ type: 'urn:khcn-flow:problem:unauthenticated', status: 401 });
    expect(JSON.stringify(body)).not.toContain('khcn_http');
  }
  // A user's API token is not the scrape token.
  expect((await scrape({ authorization: `Bearer ${await stack.token('admin')}` })).status).toBe(401);
});

test('metrics: requests by route template and status (never a task ID), the worker live, Node\'s own metrics', async () => {
  const created = await stack.call('POST', '/api/v1/proposals', { as: 'researcher', body: sampleProposal({ title: 'Đề xuất để đếm số liệu giám sát' }) });
  expect(created.status).toBe(201);
  const { taskId } = (await created.json()) as { taskId: string };
  const route = '/api/v1/tasks/:taskId';
  const before = await (await scrape()).text();

  for (let i = 0; i < 2; i++) expect((await stack.call('GET', `/api/v1/tasks/${taskId}`, { as: 'researcher' })).status).toBe(200);
  expect((await stack.call('GET', '/api/v1/tasks/NV-KHONGCOTHAT0001', { as: 'researcher' })).status).toBe(404);
  expect((await stack.call('GET', `/api/v1/no-such-thing/${taskId}`, { as: 'researcher' })).status).toBe(404);

  const res = await scrape();
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
  const text = await res.text();
  const ok = { method: 'GET', route, status: '200' };
  expect(count(text, 'khcn_http_requests_total', ok) - count(before, 'khcn_http_requests_total', ok)).toBe(2);
  const missing = { method: 'GET', route, status: '404' };
  expect(count(text, 'khcn_http_requests_total', missing) - count(before, 'khcn_http_requests_total', missing)).toBe(1);
  const unmatched = { method: 'GET', route: 'unmatched', status: '404' };
  expect(count(text, 'khcn_http_requests_total', unmatched) - count(before, 'khcn_http_requests_total', unmatched)).toBe(1);
  expect(count(text, 'khcn_http_requests_total', { method: 'POST', route: '/api/v1/proposals', status: '201' })).toBeGreaterThanOrEqual(1);
  expect(count(text, 'khcn_http_request_duration_seconds_count', ok) - count(before, 'khcn_http_request_duration_seconds_count', ok)).toBe(2);
  // No raw URL ever becomes a label: the task's ID appears nowhere.
  expect(text).not.toContain(taskId);
  expect(text).not.toContain('NV-KHONGCOTHAT0001');
  for (const s of samples(text, 'khcn_http_requests_total')) expect(s.labels.route === 'unmatched' || s.labels.route!.startsWith('/')).toBe(true);
  // The worker of this stack is live; no e-mail is failing; Node's own metrics carry the prefix.
  expect(samples(text, 'khcn_worker_up')).toEqual([{ labels: {}, value: 1 }]);
  expect(samples(text, 'khcn_workers_live')[0]!.value).toBe(1);
  expect(samples(text, 'khcn_emails_failing')).toEqual([{ labels: {}, value: 0 }]);
  expect(samples(text, 'khcn_activities_retrying')[0]!.value).toBe(0);
  expect(text).toMatch(/^# TYPE khcn_http_errors_total counter$/m);
  expect(samples(text, 'khcn_process_cpu_user_seconds_total').length).toBe(1);
  expect(samples(text, 'khcn_nodejs_heap_size_used_bytes')[0]!.value).toBeGreaterThan(0);
});

test('the API refuses to start with METRICS_ENABLED and no METRICS_TOKEN, naming it', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'api/main.ts'], { cwd: ROOT, env: { ...stack.env(), METRICS_ENABLED: 'true', METRICS_TOKEN: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let stderr = '';
  child.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
  expect(code).toBe(2);
  expect(stderr).toMatch(/METRICS_TOKEN: is required when METRICS_ENABLED=true/);
}, 60_000);

/** A checker as one API process runs it, with its own checks and mail transport. */
function alerter() {
  const mailer = createMailTransport(stack.config);
  const alerts = createOpsAlerts({ config: stack.config, store: stack.store, temporal: stack.client, mailer, logger: pino({ level: 'silent' }) });
  return { check: () => alerts.check(), close: () => mailer.close() };
}
const adminMail = () => stack.smtp.to(stack.users.admin.email);
const settle = () => new Promise((r) => setTimeout(r, 1500));
const workerUp = async () => {
  const ops = operationsChecks({ config: stack.config, store: stack.store, temporal: stack.client, mailer: createMailTransport(stack.config) });
  await waitUntil('the worker polls again', async () => (await ops.workerStatus()).status === 'up', 60_000);
};

test('alerts: the worker stops → one "problem" e-mail to the admin; a second check sends nothing; the worker back → one "resolved" e-mail', async () => {
  const a = alerter();
  try {
    // All well: nothing to say.
    expect(await a.check()).toEqual([]);
    expect(adminMail()).toHaveLength(0);

    await stack.stopWorker();
    // The operations page and the metrics say so at once (Temporal keeps the stopped worker's poller for minutes; its heartbeat is gone).
    const status: any = await (await stack.call('GET', '/api/v1/operations/status', { as: 'admin' })).json();
    expect(OperationsStatus.safeParse(status).error).toBeUndefined();
    expect(status).toMatchObject({ status: 'down', services: { worker: { status: 'down', heartbeats: { live: 0 } } } });
    expect(samples(await (await scrape()).text(), 'khcn_worker_up')).toEqual([{ labels: {}, value: 0 }]);
    const sent = await a.check();
    expect(sent).toEqual([{ departmentId: stack.config.DEPARTMENT_ID, key: 'worker_down', kind: 'started', episode: 1, to: [stack.users.admin.email] }]);
    await stack.smtp.waitFor(() => adminMail().length === 1);
    const problem = adminMail()[0]!;
    expect(problem.subject).toBe(ALERT_PROBLEM);
    expect(problem.text).toContain('KHCN Flow phát hiện sự cố: Không có worker xử lý.');
    expect(problem.text).toContain(`Hàng đợi ${stack.config.TEMPORAL_TASK_QUEUE}`);
    expect(problem.text).toContain('KHCN Flow has detected a problem: no worker polling.');
    expect(problem.text).toContain(`${stack.config.PUBLIC_BASE_URL}/admin/operations`);
    expect(problem.html).toContain('<strong>Không có worker xử lý</strong>');

    // Still down: nothing more.
    expect(await a.check()).toEqual([]);
    await settle();
    expect(adminMail()).toHaveLength(1);

    await stack.startWorker();
    await workerUp();
    expect(await a.check()).toEqual([expect.objectContaining({ key: 'worker_down', kind: 'resolved', episode: 1 })]);
    await stack.smtp.waitFor(() => adminMail().length === 2);
    const resolved = adminMail()[1]!;
    expect(resolved.subject).toBe(ALERT_RESOLVED);
    expect(resolved.text).toContain('Sự cố sau đã được khắc phục: Không có worker xử lý.');
    expect(resolved.text).toContain('This problem has cleared: no worker polling.');
    expect(await a.check()).toEqual([]);
    await settle();
    expect(adminMail()).toHaveLength(2);
    // Only the admins are told: no other user got an alert.
    expect(stack.smtp.messages.filter((m) => m.subject?.startsWith('[KHCN Flow] Sự cố') || m.subject?.startsWith('[KHCN Flow] Đã khắc phục'))).toHaveLength(2);
  } finally {
    a.close();
  }
}, 180_000);

test('alerts: two checkers at once (two API processes) send each e-mail once', async () => {
  const [a, b] = [alerter(), alerter()];
  const before = adminMail().length;
  try {
    await stack.stopWorker();
    const started = (await Promise.all([a.check(), b.check(), a.check(), b.check()])).flat();
    expect(started).toEqual([expect.objectContaining({ key: 'worker_down', kind: 'started', episode: 2 })]);
    await stack.smtp.waitFor(() => adminMail().length === before + 1);
    await settle();
    expect(adminMail().slice(before).map((m) => m.subject)).toEqual([ALERT_PROBLEM]);

    await stack.startWorker();
    await workerUp();
    const resolved = (await Promise.all([a.check(), b.check(), a.check(), b.check()])).flat();
    expect(resolved).toEqual([expect.objectContaining({ key: 'worker_down', kind: 'resolved', episode: 2 })]);
    await stack.smtp.waitFor(() => adminMail().length === before + 2);
    await settle();
    expect(adminMail().slice(before).map((m) => m.subject)).toEqual([ALERT_PROBLEM, ALERT_RESOLVED]);
  } finally {
    a.close();
    b.close();
  }
}, 180_000);

/** Stops a child process: SIGTERM (a worker drains and removes its heartbeat), SIGKILL after 20 s. */
function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

test('the worker process with WORKER_METRICS_ADDRESS serves the Temporal SDK\'s runtime metrics', async () => {
  const port = await freePort();
  // A port alone binds loopback.
  const child = spawn(process.execPath, ['--import', 'tsx', 'worker/main.ts'], { cwd: ROOT, env: { ...stack.env(), LOG_LEVEL: 'info', WORKER_METRICS_ADDRESS: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let output = '';
  child.stderr!.on('data', (b: Buffer) => (output += b.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker did not start: ${output}`)), 110_000);
    child.stdout!.on('data', (b: Buffer) => {
      output += b.toString();
      if (output.includes('worker ready')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`worker exited with ${code}: ${output}`)));
  });
  let text = '';
  await waitUntil('the runtime metrics', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/metrics`);
    text = await res.text();
    return res.status === 200 && /^temporal_\w+/m.test(text);
  }, 30_000);
  expect(text).toMatch(new RegExp(`^temporal_\\w+\\{[^}]*task_queue="${stack.config.TEMPORAL_TASK_QUEUE}"`, 'm'));
  await stopChild(child);
}, 150_000);

test('the API process checks by itself every OPS_ALERT_INTERVAL_SECONDS: the worker stops, the admin is e-mailed; it is back, "resolved"; SIGTERM stops the checks', async () => {
  const port = await freePort();
  const api = spawn(process.execPath, ['--import', 'tsx', 'api/main.ts'], {
    cwd: ROOT,
    env: { ...stack.env(), LOG_LEVEL: 'info', API_PORT: String(port), OPS_ALERTS: 'true', OPS_ALERT_INTERVAL_SECONDS: '10' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(api);
  let output = '';
  api.stdout!.on('data', (b) => (output += b.toString()));
  api.stderr!.on('data', (b) => (output += b.toString()));
  await waitUntil('the API process listens', () => output.includes('API listening'), 90_000);
  const before = adminMail().length;
  const subjects = () => adminMail().slice(before).map((m) => m.subject);

  // No check is called here: the process's own loop finds the stopped worker within an interval or two.
  await stack.stopWorker();
  await waitUntil('the "problem" e-mail from the loop', () => subjects().length >= 1, 60_000);
  expect(subjects()).toEqual([ALERT_PROBLEM]);

  await stack.startWorker();
  await waitUntil('the "resolved" e-mail from the loop', () => subjects().length >= 2, 60_000);
  expect(subjects()).toEqual([ALERT_PROBLEM, ALERT_RESOLVED]);

  // SIGTERM: the loop stops with the process (exit 0), and a check after it sends nothing.
  const code = await new Promise<number | null>((resolve) => {
    api.once('exit', (c) => resolve(c));
    api.kill('SIGTERM');
  });
  expect(code).toBe(0);
  expect(output).not.toContain('operations alert check failed');
  await stack.stopWorker();
  await new Promise((r) => setTimeout(r, 12_000));
  expect(subjects()).toEqual([ALERT_PROBLEM, ALERT_RESOLVED]);
  await stack.startWorker();
}, 240_000);
