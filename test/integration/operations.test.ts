/**
 * Issue 11, operations: what an admin sees when things go wrong, on the real stack. The SMTP
 * server refuses every message, so the acknowledgement of a proposal keeps failing: its
 * workflow shows with the retrying activity, and the e-mail in the failing list; a workflow of a
 * type no worker knows fails its workflow task again and again; each links into the Temporal UI.
 * When the SMTP server accepts again, the e-mail goes and leaves the list.
 */
import type { Caller } from '../../api/auth';
import { waitUntil } from '../support/services';
import { sampleProposal, startStack, type Stack } from '../support/stack';

let stack: Stack;
const otherAdmin: Caller = { userId: 'u-admin-long-an', role: 'admin', name: 'Quản trị Long An', email: 'admin@skhcn-long-an.example.vn', orgId: 'org-skhcn-long-an', departmentId: 'skhcn-long-an', locale: 'vi' };
const UI = 'http://temporal-ui.example.vn:8080';

beforeAll(async () => {
  stack = await startStack({ env: { OPS_ACTIVITY_FAILURES: '1', OPS_WORKFLOW_TASK_FAILURES: '1', TEMPORAL_UI_URL: UI } });
}, 120_000);
afterAll(async () => {
  stack.smtp.refusing = false;
  await stack?.stop();
});

const json = async (res: Response): Promise<any> => res.json();
const status = async (as: 'admin' | Caller = 'admin') => {
  const res = await stack.call('GET', '/api/v1/operations/status', { as });
  expect(res.status).toBe(200);
  return json(res);
};

test('all well: every service up, a worker polling, nothing stuck or failing, no reconciliation yet', async () => {
  const s = await status();
  expect(s).toMatchObject({ departmentId: stack.config.DEPARTMENT_ID, status: 'ok', emails: { total: 0, items: [] }, readModels: { lastReconciliation: null } });
  expect(s.services.temporal.status).toBe('up');
  expect(s.services.mongodb.status).toBe('up');
  expect(s.services.smtp.status).toBe('up');
  expect(s.services.worker).toMatchObject({ status: 'up', taskQueue: stack.config.TEMPORAL_TASK_QUEUE });
  expect(s.services.worker.workflow.pollers).toBeGreaterThan(0);
  expect(s.workflows).toMatchObject({ truncated: false, stuck: [], thresholds: { activityFailures: 1, workflowTaskFailures: 1, scanLimit: 300 } });
  expect(s.temporalUi).toEqual({ baseUrl: UI, namespace: 'default', workflows: `${UI}/namespaces/default/workflows` });
});

test('an e-mail that keeps failing: its workflow with the retrying activity, and the e-mail in the list; both clear once it goes', async () => {
  stack.smtp.refusing = true;
  const res = await stack.call('POST', '/api/v1/proposals', { as: 'researcher', body: sampleProposal({ title: 'Đề xuất khi máy chủ thư từ chối' }) });
  expect(res.status).toBe(201);
  const { taskId, workflowId } = await json(res);
  let s: any;
  await waitUntil('the failing e-mail reported', async () => {
    s = await status();
    return s.workflows.stuck.some((w: any) => w.workflowId === workflowId) && s.emails.items.some((e: any) => e.taskId === taskId);
  }, 60_000);
  expect(s.status).toBe('attention');
  const stuck = s.workflows.stuck.find((w: any) => w.workflowId === workflowId);
  expect(stuck).toMatchObject({ type: 'taskLifecycleWorkflow', taskId, problems: ['activity_retrying'], links: { task: `/api/v1/tasks/${taskId}` } });
  expect(stuck.links.temporal).toBe(`${UI}/namespaces/default/workflows/${workflowId}/${stuck.runId}/history`);
  expect(stuck.activities).toEqual([expect.objectContaining({ activityType: 'sendEmail', failures: expect.any(Number), lastFailure: expect.stringMatching(/421|temporarily unavailable/i) })]);
  expect(stuck.activities[0].failures).toBeGreaterThanOrEqual(1);
  const email = s.emails.items.find((e: any) => e.taskId === taskId);
  expect(email).toMatchObject({ template: 'proposal-received', to: ['huong.nt@vien-sinh-hoc.example.vn'], attempts: expect.any(Number), lastError: expect.stringMatching(/421|temporarily unavailable/i), links: { task: `/api/v1/tasks/${taskId}` } });
  expect(email.key.startsWith(`${workflowId}/`)).toBe(true);
  // Another Department's admin sees none of it.
  const theirs = await status(otherAdmin);
  expect(theirs.workflows.stuck).toEqual([]);
  expect(theirs.emails).toEqual({ total: 0, items: [] });

  stack.smtp.refusing = false;
  await stack.smtp.waitFor((m) => m.some((x) => x.subject?.includes('Đề xuất khi máy chủ thư từ chối') || (x.text ?? '').includes('Đề xuất khi máy chủ thư từ chối')), 90_000);
  await waitUntil('the e-mail off the list', async () => {
    s = await status();
    return !s.emails.items.some((e: any) => e.taskId === taskId) && !s.workflows.stuck.some((w: any) => w.workflowId === workflowId);
  }, 30_000);
}, 180_000);

test('a workflow whose workflow task keeps failing (a type no worker knows), with the failure\'s message', async () => {
  const workflowId = `ops-unknown-${Date.now()}`;
  const handle = await stack.client.workflow.start('noSuchWorkflow', { taskQueue: stack.config.TEMPORAL_TASK_QUEUE, workflowId, args: [] });
  try {
    let s: any;
    await waitUntil('the failing workflow reported', async () => {
      s = await status();
      return s.workflows.stuck.some((w: any) => w.workflowId === workflowId && w.workflowTask?.lastFailure);
    }, 60_000);
    const w = s.workflows.stuck.find((x: any) => x.workflowId === workflowId);
    expect(w).toMatchObject({ type: 'noSuchWorkflow', problems: ['workflow_task_failing'], activities: [], workflowTask: { failures: expect.any(Number), lastFailure: expect.stringMatching(/noSuchWorkflow/) } });
    expect(w.workflowTask.failures).toBeGreaterThanOrEqual(1);
    expect(w).not.toHaveProperty('taskId');
    // Tied to no Department: shown to the deployment's own only.
    expect((await status(otherAdmin)).workflows.stuck).toEqual([]);
  } finally {
    await handle.terminate('test over');
  }
});

test('the last reconciliation\'s drift; admins only; a bad query is a 400', async () => {
  expect((await stack.call('POST', '/api/v1/portfolio/reconciliation', { as: 'admin', body: { dryRun: true } })).status).toBe(202);
  let s: any;
  await waitUntil('the reconciliation in the status', async () => {
    s = await status();
    return s.readModels.lastReconciliation !== null;
  }, 60_000);
  expect(s.readModels).toMatchObject({ lastReconciliation: { dryRun: true, drifted: 0, repaired: 0, by: { userId: stack.users.admin.userId }, driftedTasks: [] }, links: { reconciliation: '/api/v1/portfolio/reconciliation' } });
  expect(s.readModels.lastReconciliation.scanned).toBeGreaterThanOrEqual(1);
  for (const who of ['manager', 'researcher', 'councilMember'] as const) expect((await stack.call('GET', '/api/v1/operations/status', { as: who })).status).toBe(403);
  expect((await stack.call('GET', '/api/v1/operations/status', { as: null })).status).toBe(401);
  const bad = await stack.call('GET', '/api/v1/operations/status?verbose=1', { as: 'admin' });
  expect(bad.status).toBe(400);
  expect((await json(bad)).errors[0].field).toBe('verbose');
});
