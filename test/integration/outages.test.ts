/**
 * Outages (issue 17): when the store is down, a signed-in request is answered 503 problem+json
 * with Retry-After, never 401 "invalid token", and nothing is recorded; when it is back, the same
 * request passes. A real FerretDB process of this test's own, killed with SIGKILL and restarted on
 * its data.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { connectStore, type Store } from '../../activities/store';
import { createApp } from '../../api/app';
import { freePort, tcpOpen, toolPath, waitUntil } from '../support/services';
import { sampleProposal, startStack, type Stack } from '../support/stack';

let stack: Stack;
let ferret: ChildProcess | undefined;
let store: Store | undefined;
let server: Server | undefined;
let baseUrl: string;
let port: number;
const dir = mkdtempSync(join(tmpdir(), 'khcn-outage-ferretdb-'));

async function startFerret(): Promise<void> {
  ferret = spawn(toolPath('FERRETDB_PATH'), ['-listen', `127.0.0.1:${port}`, '-sqlite-dir', dir, '-log-level', 'error'], { stdio: ['ignore', 'ignore', 'ignore'] });
  await waitUntil('FerretDB', () => tcpOpen(port));
}

async function killFerret(): Promise<void> {
  const child = ferret!;
  ferret = undefined;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

beforeAll(async () => {
  stack = await startStack({ inProcessWorker: false });
  port = await freePort();
  await startFerret();
  store = await connectStore(`mongodb://127.0.0.1:${port}/khcn_outage`);
  for (const u of [stack.users.researcher, stack.users.manager]) {
    await store.User.create({ _id: u.userId, email: u.email, name: u.name, role: u.role, orgId: u.orgId, departmentId: u.departmentId, locale: 'vi', active: true });
  }
  const app = createApp({ config: stack.config, store, temporal: stack.client, mailer: { sendMail: async () => ({}) } as never, logger: pino({ level: 'silent' }) });
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  baseUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}, 120_000);

afterAll(async () => {
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
  await store?.close().catch(() => undefined);
  if (ferret) await killFerret();
  await stack?.stop();
});

async function get(path: string) {
  return fetch(`${baseUrl}${path}`, { headers: { authorization: `Bearer ${await stack.token('manager')}`, 'accept-language': 'vi' } });
}

test('store down: 503 with Retry-After and a message that says so (never 401); back up: the same request passes', async () => {
  const before = await get('/api/v1/auth/me');
  expect(before.status).toBe(200);

  await killFerret();
  const during = await get('/api/v1/auth/me');
  expect(during.status).toBe(503);
  expect(during.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(Number(during.headers.get('retry-after'))).toBeGreaterThan(0);
  expect(during.headers.get('www-authenticate')).toBeNull();
  const p: any = await during.json();
  expect(p.type).toBe('urn:khcn-flow:problem:service-unavailable');
  expect(p.detail).toContain('Cơ sở dữ liệu tạm thời không phản hồi');
  // A write too: refused as unavailable, not as the caller's fault.
  const write = await fetch(`${baseUrl}/api/v1/auth/me`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${await stack.token('manager')}`, 'content-type': 'application/json' },
    body: JSON.stringify({ locale: 'en' }),
  });
  expect(write.status).toBe(503);

  await startFerret();
  await waitUntil('the store answers again', async () => (await get('/api/v1/auth/me')).status === 200, 60_000);
  const me: any = await (await get('/api/v1/auth/me')).json();
  expect(me.email).toBe(stack.users.manager.email);
  // The write refused during the outage left nothing behind.
  expect(me.locale).toBe('vi');
}, 120_000);

test('Temporal unreachable: filing a proposal answers 503 with Retry-After and leaves no task behind', async () => {
  const { Client, Connection } = await import('@temporalio/client');
  const deadPort = await freePort();
  const connection = await Connection.lazy({ address: `127.0.0.1:${deadPort}`, connectTimeout: 2000 });
  const app = createApp({ config: stack.config, store: stack.store, temporal: new Client({ connection }), mailer: { sendMail: async () => ({}) } as never, logger: pino({ level: 'silent' }) });
  const srv = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  try {
    const url = `http://127.0.0.1:${(srv.address() as { port: number }).port}`;
    const before = await stack.store.Task.countDocuments();
    const res = await fetch(`${url}/api/v1/proposals`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await stack.token('researcher')}`, 'content-type': 'application/json', 'idempotency-key': 'outage-proposal-1', 'accept-language': 'en' },
      body: JSON.stringify(sampleProposal({ title: 'Đề xuất nộp khi máy chủ quy trình ngừng' })),
    });
    expect(res.status).toBe(503);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    const p: any = await res.json();
    expect(p.type).toBe('urn:khcn-flow:problem:service-unavailable');
    expect(p.detail).toContain('same Idempotency-Key');
    expect(await stack.store.Task.countDocuments()).toBe(before);
  } finally {
    await new Promise((r) => srv.close(r));
    await connection.close().catch(() => undefined);
  }
}, 120_000);
