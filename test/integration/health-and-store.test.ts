/**
 * GET /health reports each dependency on its own; the read model never moves a
 * task backwards (late or repeated writes are ignored) — on FerretDB here, and
 * on MongoDB when MONGODB_URI points at one.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sampleProposal, startStack, type Stack } from '../support/stack';
import { initialState } from '../../workflows/lifecycle-state';
import { COMMAND_NAMES } from '../../workflows/rules/transitions';
import { RETIRED_COMMANDS } from '../../workflows/rules/preconditions';
import { TaskStage, type TaskLifecycleInput, type TaskState } from '../../workflows/definitions';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ inProcessWorker: false });
});
afterAll(async () => {
  await stack?.stop();
});

test('health (issue 17): the data directory\'s disk, low under the thresholds: "degraded", still usable; the admins\' operations status asks for attention', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'khcn-disk-'));
  try {
    await stack.startWorker();
    const roomy = await stack.extraApi({ DATA_DIR: dir, DISK_WARN_FREE_PERCENT: 0, DISK_WARN_FREE_MB: 0 });
    const ok: any = await (await fetch(`${roomy.baseUrl}/health`)).json();
    expect(ok).toMatchObject({ status: 'up', usable: true, disk: { status: 'ok', usedPercent: expect.any(Number) } });
    expect(ok.disk.freeBytes).toBeGreaterThan(0);
    expect(ok.disk.freeBytes).toBeLessThanOrEqual(ok.disk.totalBytes);
    expect(JSON.stringify(ok)).not.toContain(dir);
    await roomy.close();
    // No disk has 100 % free: under that threshold every disk is low.
    const full = await stack.extraApi({ DATA_DIR: dir, DISK_WARN_FREE_PERCENT: 100 });
    const low = await fetch(`${full.baseUrl}/health`);
    expect(low.status).toBe(200);
    expect(await low.json()).toMatchObject({ status: 'degraded', usable: true, disk: { status: 'low' } });
    const ops = await fetch(`${full.baseUrl}/api/v1/operations/status`, { headers: { authorization: `Bearer ${await stack.token('admin')}` } });
    expect(ops.status).toBe(200);
    expect(await ops.json()).toMatchObject({ status: 'attention', disk: { status: 'low', thresholds: { freePercent: 100, freeMb: 2048 } } });
    await full.close();
    // A data directory that cannot be read is said so, never as full or fine.
    const gone = await stack.extraApi({ DATA_DIR: join(dir, 'missing') });
    expect(((await (await fetch(`${gone.baseUrl}/health`)).json()) as { disk: unknown }).disk).toEqual({ status: 'unknown', error: 'ENOENT' });
    await gone.close();
  } finally {
    await stack.stopWorker();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('health: no worker is not usable (503); with one, up; SMTP down alone is "degraded" and still usable (200)', async () => {
  // This stack starts without a worker: commands could not be carried out.
  const none = await stack.call('GET', '/health', { as: null });
  expect(none.status).toBe(503);
  const n: any = await none.json();
  expect(n).toMatchObject({ status: 'down', usable: false, worker: { status: 'down', live: 0 } });
  expect(n.dependencies.temporal.status).toBe('up');
  expect(n.dependencies.mongodb.status).toBe('up');
  expect(n.backlog).toEqual({ workflow: expect.any(Number), activity: expect.any(Number) });

  await stack.startWorker();
  const up = await stack.call('GET', '/health', { as: null });
  expect(up.status).toBe(200);
  const body: any = await up.json();
  expect(body).toMatchObject({ status: 'up', usable: true, worker: { status: 'up', live: 1, lastSeenAt: expect.any(String) } });
  expect(Object.keys(body.dependencies).sort()).toEqual(['mongodb', 'smtp', 'temporal']);
  for (const d of Object.values(body.dependencies) as { status: string; latencyMs: number }[]) {
    expect(d.status).toBe('up');
    expect(d.latencyMs).toBeGreaterThanOrEqual(0);
  }

  await stack.smtp.close();
  const degraded = await stack.call('GET', '/health', { as: null });
  expect(degraded.status).toBe(200);
  const b: any = await degraded.json();
  expect(b).toMatchObject({ status: 'degraded', usable: true });
  expect(b.dependencies.smtp.status).toBe('down');
  expect(b.dependencies.smtp.error).toEqual(expect.any(String));
  expect(b.dependencies.mongodb.status).toBe('up');
  expect(b.dependencies.temporal.status).toBe('up');

  // A worker that stops is no longer counted.
  await stack.stopWorker();
  const stopped: any = await (await stack.call('GET', '/health', { as: null })).json();
  expect(stopped).toMatchObject({ status: 'down', usable: false, worker: { status: 'down', live: 0 } });
});

test('unknown routes answer 404 as problem+json', async () => {
  const res = await stack.call('GET', '/api/v1/no-such-thing');
  expect(res.status).toBe(404);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
});

function state(version: number, stage: TaskStage): TaskState {
  const base = initialState(
    {
      taskId: 'NV-READMODELGUARD01',
      departmentId: 'skhcn-tay-ninh',
      departmentName: 'Sở Khoa học và Công nghệ tỉnh Tây Ninh',
      place: 'Tây Ninh',
      publicBaseUrl: 'http://127.0.0.1:3000',
      ruleSet: { regime: 'LEGACY_2013', provinceProfile: 'tay-ninh', version: '2026.1' },
      proposal: { ...(sampleProposal({ title: 'Đề án chuyển đổi số ngành nông nghiệp', form: 'policy_study' }) as TaskLifecycleInput['proposal']) },
      submittedBy: { userId: 'u1', role: 'researcher', name: 'Võ Thị Mỹ', email: 'my.vt@example.vn', orgId: 'o1', locale: 'vi' },
      submittedAt: '2026-11-23T08:00:00.000Z',
    },
    'task-NV-READMODELGUARD01',
  );
  return { ...base, version, stage };
}

test('read model: a late or repeated write never moves a task backwards', async () => {
  expect(await stack.store.upsertTask(state(1, TaskStage.PROPOSED))).toBe(true);
  expect(await stack.store.upsertTask(state(3, TaskStage.IDENTIFICATION_REVIEW))).toBe(true);
  expect(await stack.store.upsertTask(state(2, TaskStage.PROPOSED))).toBe(false); // late
  expect(await stack.store.upsertTask(state(3, TaskStage.IDENTIFICATION_REVIEW))).toBe(false); // repeated
  const doc = await stack.store.Task.findById('NV-READMODELGUARD01').lean();
  expect(doc).toMatchObject({ version: 3, stage: 'IDENTIFICATION_REVIEW', title: 'Đề án chuyển đổi số ngành nông nghiệp' });
  expect(await stack.store.Task.countDocuments({ _id: 'NV-READMODELGUARD01' })).toBe(1);
});

test('the OpenAPI 3.1 document and the interactive docs are served', async () => {
  const res = await stack.call('GET', '/api/v1/openapi.json', { as: null });
  expect(res.status).toBe(200);
  const doc: any = await res.json();
  expect(doc.openapi).toBe('3.1.0');
  const paths = Object.keys(doc.paths);
  expect(paths).toEqual(expect.arrayContaining(['/health', '/api/v1/proposals', '/api/v1/tasks/{taskId}', '/api/v1/tasks/{taskId}/documents/{documentId}']));
  // Every lifecycle command but the retired free entries of an outcome (issue 13) is an operation with its own body schema.
  expect(paths.filter((p) => /^\/api\/v1\/tasks\/\{taskId\}\/[a-z-]+$/.test(p) && !p.endsWith('/documents'))).toHaveLength(COMMAND_NAMES.length - RETIRED_COMMANDS.length);
  expect(paths).not.toContain('/api/v1/tasks/{taskId}/record-identification-result');
  expect(doc.paths['/api/v1/tasks/{taskId}/request-adjustment'].post.requestBody.content['application/json'].schema).toBeDefined();
  expect(doc.components.schemas.Proposal.additionalProperties).toBe(false);
  const page = await stack.call('GET', '/docs/', { as: null });
  expect(page.status).toBe(200);
  expect(await page.text()).toContain('swagger-ui');
});
