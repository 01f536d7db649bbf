/**
 * The lifecycle through the API on the real stack: direct assignment to
 * acceptance, a FAIL with its refund (T-3) and debarment (T-4), the debarred
 * organisation refused when it files again, and the search attributes that let
 * the portfolio be filtered in Temporal.
 */
import { addDays } from '../../workflows/rules/calendar';
import { orderListedTask, paperSitting } from '../support/fixtures';
import { waitUntil } from '../support/services';
import { sampleProposal, startStack, type Stack, type Who } from '../support/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

async function command(taskId: string, path: string, as: Who, body: unknown = {}) {
  const res = await stack.call('POST', `/api/v1/tasks/${taskId}/${path}`, { as, body });
  const json: any = await res.json();
  return { status: res.status, json };
}

async function view(taskId: string): Promise<any> {
  return (await stack.call('GET', `/api/v1/tasks/${taskId}`, { as: 'manager' })).json();
}

async function ok(taskId: string, path: string, as: Who, body: unknown = {}) {
  const r = await command(taskId, path, as, body);
  if (r.status !== 200) throw new Error(`${path}: ${r.status} ${JSON.stringify(r.json)}`);
  return r.json;
}

test('direct assignment to a failed acceptance: refund, debarment, and the debarred host refused a new proposal', async () => {
  const res = await stack.call('POST', '/api/v1/proposals', { body: sampleProposal() });
  const { taskId } = (await res.json()) as { taskId: string };
  await waitUntil('intake', async () => ((await stack.store.Task.findById(taskId).lean())?.documents.length ?? 0) === 1);
  const host = { orgId: 'org-vien-sinh-hoc', orgName: 'Viện Sinh học Nhiệt đới', pi: { name: 'Nguyễn Thị Hương', email: 'huong.nt@vien-sinh-hoc.example.vn' } };

  await ok(taskId, 'start-identification-review', 'manager');
  // Issue 13: the outcome comes only from ballots and the tally (here a paper sitting the secretary enters).
  await paperSitting(stack, taskId, { kind: 'C-ID', recommend: true });
  let t = await view(taskId);
  expect(t.councils).toEqual([expect.objectContaining({ council: 'C-ID', outcome: 'RECOMMENDED' })]);
  await ok(taskId, 'approve-order-list', 'manager');
  t = await ok(taskId, 'assign-directly', 'manager', { host });
  expect(t.stage).toBe('SELECTION_REVIEW');
  await paperSitting(stack, taskId, { kind: 'C-SEL', winner: 'HS-GTT' });
  t = await view(taskId);
  expect(t.stage).toBe('PROPOSAL_REVISION');
  expect(t.obligations).toEqual([expect.objectContaining({ kind: 'proposal_revision', assignee: 'host', status: 'OPEN', accountable: { name: 'Trần Đức Thắng', email: 'thang.td@skhcn.example.vn' } })]);
  await ok(taskId, 'submit-revised-proposal', 'researcher');
  await ok(taskId, 'record-budget-appraisal', 'manager', { requested: 1_750_000_000, appraisedState: 1_500_000_000, appraisedOther: 250_000_000 });
  await ok(taskId, 'approve-task', 'manager', { durationMonths: 18, fundingMode: 'partial_lump_sum', stateBudget: 1_500_000_000, otherSources: 250_000_000, products: ['Quy trình kỹ thuật'] });

  // A researcher may not sign for the Department, nor may the Department give the host's command.
  expect((await command(taskId, 'approve-task', 'researcher', {})).status).toBe(403);
  await ok(taskId, 'sign-contract', 'researcher');
  t = await ok(taskId, 'sign-contract', 'manager');
  expect(t.stage).toBe('CONTRACTED');
  expect(t.contract.endOn).toBeDefined();
  expect(t.reports).toHaveLength(2); // 18 months: reports at 6 and 12 (L-13)
  t = await ok(taskId, 'record-disbursement', 'manager', { amount: 1_000_000_000 });
  expect(t.stage).toBe('IN_PROGRESS');
  expect(t.allowedActions.map((a: { command: string }) => a.command)).toEqual(
    expect.arrayContaining(['recordDisbursement', 'startInspection', 'suspend', 'proposeTermination']),
  );

  // Refusals: money over the approved budget (409), an extension over its cap (422), an unknown field (400).
  const over = await command(taskId, 'record-disbursement', 'manager', { amount: 600_000_000 });
  expect(over.status).toBe(409);
  expect(over.json.rule).toBe('L-12');
  const tooLong = await command(taskId, 'request-adjustment', 'researcher', { kind: 'A-3', months: 7 });
  expect(tooLong.status).toBe(422);
  expect(tooLong.json.code).toBe('EXTENSION_TOO_LONG');
  expect(tooLong.json.detail).toMatch(/6 tháng/);
  const unknown = await command(taskId, 'suspend', 'manager', { grounds: 'Chậm tiến độ', pauseAll: true });
  expect(unknown.status).toBe(400);
  expect(unknown.json.errors).toEqual([expect.objectContaining({ field: 'pauseAll', code: 'unrecognized_keys' })]);

  await ok(taskId, 'start-self-evaluation', 'researcher');
  await ok(taskId, 'submit-acceptance-dossier', 'researcher', { fundsSpent: 800_000_000, documents: ['Báo cáo tổng hợp kết quả', 'Báo cáo sử dụng kinh phí'] });
  await ok(taskId, 'check-acceptance-dossier', 'manager', { complete: true });
  const today = new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);
  await ok(taskId, 'form-acceptance-council', 'manager', { meetingOn: addDays(today, 14) });
  await paperSitting(stack, taskId, { kind: 'C-ACC', rating: 'FAIL' });
  t = await view(taskId);
  expect(t.stage).toBe('ACCEPTANCE_FAILED');
  // T-3 (LEGACY_2013, subjective): unspent 200.000.000 + 30% of 800.000.000 spent.
  expect(t.funds.refundDue).toMatchObject({ unspent: 200_000_000, spentShare: 240_000_000, total: 440_000_000, cause: 'subjective' });

  // T-4: the debarment is on record; the host's next proposal is refused with the date it ends.
  await waitUntil('debarment recorded', async () => (await stack.store.Debarment.countDocuments({ _id: taskId })) === 1);
  const again = await stack.call('POST', '/api/v1/proposals', { body: sampleProposal({ title: 'Đề tài mới sau khi không đạt' }) });
  expect(again.status).toBe(422);
  const problem: any = await again.json();
  expect(problem).toMatchObject({ type: 'urn:khcn-flow:problem:debarred', rule: 'T-4' });
  expect(problem.detail).toContain(problem.until);
  // Another organisation is not affected.
  const other = await stack.call('POST', '/api/v1/proposals', { as: 'otherResearcher', body: sampleProposal({ proposer: { name: 'Lê Văn Đức', organisation: 'Trường Đại học Tây Ninh', email: 'duc.lv@truong-dai-hoc.example.vn' } }) });
  expect(other.status).toBe(201);

  // T-4 everywhere (issue 13): the debarred host can neither be directly assigned another task nor apply to a call.
  const { taskId: otherTask } = (await other.json()) as { taskId: string };
  await waitUntil('other intake', async () => ((await stack.store.Task.findById(otherTask).lean())?.documents.length ?? 0) === 1);
  await orderListedTask(stack, otherTask);
  const assigned = await command(otherTask, 'assign-directly', 'manager', { host });
  expect(assigned.status).toBe(422);
  expect(assigned.json).toMatchObject({ type: 'urn:khcn-flow:problem:debarred', rule: 'T-4', errors: [{ field: 'host.orgId', code: 'debarred' }] });
  const today2 = new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);
  await ok(otherTask, 'open-call', 'manager', { closesOn: addDays(today2, 40) });
  const applied = await command(otherTask, 'submit-dossier', 'researcher', { host });
  expect(applied.status).toBe(422);
  expect(applied.json).toMatchObject({ type: 'urn:khcn-flow:problem:debarred', rule: 'T-4', errors: [{ field: 'host.orgId', code: 'debarred' }] });
  expect(applied.json.detail).toContain(applied.json.until);
  // Its PI under another organisation is refused too (the PI is debarred as well).
  const viaOther = await command(otherTask, 'submit-dossier', 'otherResearcher', { host: { orgId: 'org-truong-dai-hoc', orgName: 'Trường Đại học Tây Ninh', pi: host.pi } });
  expect(viaOther.status).toBe(422);
  expect(viaOther.json.errors).toEqual([expect.objectContaining({ field: 'host.pi.email', code: 'debarred' })]);
  expect((await stack.store.Task.findById(otherTask).lean())?.call?.dossiers ?? []).toEqual([]);

  // Recovery and liquidation (L-24): liquidation waits for the full refund.
  expect((await command(taskId, 'liquidate', 'manager')).status).toBe(409);
  await ok(taskId, 'record-refund', 'manager', { amount: 440_000_000 });
  t = await ok(taskId, 'liquidate', 'manager');
  expect(t.stage).toBe('LIQUIDATED');
  t = await ok(taskId, 'archive', 'manager');
  expect(t.stage).toBe('ARCHIVED');
  expect(t.allowedActions).toEqual([]);

  // The read model followed, and Temporal can filter the portfolio by stage.
  await waitUntil('read model archived', async () => (await stack.store.Task.findById(taskId).lean())?.stage === 'ARCHIVED');
  await waitUntil('visibility', async () => (await stack.client.workflow.count(`WorkflowId = 'task-${taskId}' AND TaskStage = 'ARCHIVED'`)).count === 1);
  // Events were mailed: the council's FAIL and the fund recovery reached the host.
  await stack.smtp.waitFor((m) => m.some((x) => x.subject?.includes('Thu hồi kinh phí')));
}, 120_000);
