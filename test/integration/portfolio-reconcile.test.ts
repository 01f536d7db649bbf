/**
 * Reconciliation on the real stack (Temporal dev server, FerretDB, worker):
 * read models broken on purpose (a task document and an obligation deleted,
 * another task's document and an obligation corrupted at the same version, a
 * third task's document set back to an older version with a stray obligation)
 * are found by listing the task workflows and rewritten from their state; a
 * second pass finds everything in sync.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { importPortfolio, IMPORT_COLUMNS } from '../../activities/portfolio/import';
import { obligationDocs, portfolioTaskDoc } from '../../activities/portfolio/projection';
import { formatReconcileReport, reconcileReadModels } from '../../activities/portfolio/reconcile';
import { getTaskStateQuery, taskWorkflowId, type TaskState } from '../../workflows/definitions';
import { addDays, vnDateOf } from '../../workflows/rules/calendar';
import { waitUntil } from '../support/services';
import { sampleProposal, startStack, type Stack } from '../support/stack';

let stack: Stack;
let dir: string;
const run = randomBytes(3).toString('hex').toUpperCase();
const T = vnDateOf(new Date().toISOString());
const d = (n: number) => addDays(T, n);

beforeAll(async () => {
  stack = await startStack();
  dir = mkdtempSync(join(tmpdir(), 'khcn-reconcile-'));
});
afterAll(async () => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  await stack?.stop();
});

const deps = () => ({ client: stack.client, store: stack.store, config: stack.config });

async function importTasks(): Promise<string[]> {
  const base = {
    title: 'Xây dựng mô hình nuôi tôm thẻ chân trắng ứng dụng IoT', level: 'provincial', form: 'st_project', assignment: 'direct_assignment', objectives: 'Mô hình 5 ha',
    products: 'Mô hình; Quy trình', durationMonths: '18', fundingMode: 'full_lump_sum', stateBudget: '900.000.000', hostOrgId: 'org-vien-sinh-hoc', hostOrgName: 'Viện Sinh học Nhiệt đới',
    piName: 'Nguyễn Thị Hương', piEmail: 'huong.nt@vien-sinh-hoc.example.vn', officerName: 'Trần Đức Thắng', officerEmail: 'thang.td@skhcn.example.vn',
  };
  const rows: Record<string, string>[] = [
    { ...base, code: `RC-${run}-1`, stage: 'IN_PROGRESS', approvedOn: d(-200), contractStartOn: d(-190), contractEndOn: d(350), disbursements: `${d(-180)}: 500.000.000` },
    { ...base, code: `RC-${run}-2`, stage: 'APPROVED', approvedOn: d(-5) },
    { ...base, code: `RC-${run}-3`, stage: 'CONTRACTED', approvedOn: d(-40), contractStartOn: d(-20), contractEndOn: d(520) },
  ];
  const keys = IMPORT_COLUMNS.map((c) => c.key);
  const file = join(dir, 'reconcile.csv');
  writeFileSync(file, [keys.join(','), ...rows.map((r) => keys.map((k) => (r[k] ?? '').replace(/,/g, ' ')).join(','))].join('\n'));
  const report = await importPortfolio(deps(), { file });
  expect(report.counts.imported).toBe(3);
  return report.rows.map((r) => r.taskId!);
}

const state = (taskId: string) => stack.client.workflow.getHandle(taskWorkflowId(taskId)).query(getTaskStateQuery);
const finalState = async (taskId: string) => (await stack.client.workflow.getHandle(taskWorkflowId(taskId)).result()) as TaskState;

async function readModels(taskId: string) {
  const { updatedAt: _u, ...task } = ((await stack.store.Task.findById(taskId).lean()) ?? {}) as Record<string, unknown>;
  const { updatedAt: _v, ...summary } = ((await stack.store.PortfolioTask.findById(taskId).lean()) ?? {}) as Record<string, unknown>;
  const obligations = (await stack.store.Obligation.find({ taskId }).sort({ _id: 1 }).lean()).map(({ updatedAt: _x, ...o }) => o);
  return JSON.parse(JSON.stringify({ task, summary, obligations }));
}
/** What the writer makes of a state, read back through the same schemas. */
function projected(s: TaskState) {
  const { updatedAt: _u, ...task } = new stack.store.Task(stack.store.taskDocOf(s)).toObject() as unknown as Record<string, unknown>;
  const summary = new stack.store.PortfolioTask(portfolioTaskDoc(s)).toObject();
  const obligations = obligationDocs(s).sort((a, b) => a._id.localeCompare(b._id)).map((o) => new stack.store.Obligation(o).toObject());
  return JSON.parse(JSON.stringify({ task, summary, obligations }));
}

test('reconciliation finds a deleted, a corrupted and a stale read model from the workflows\' state and repairs them; a second pass finds nothing to do', async () => {
  const [deleted, corrupted, untouched] = await importTasks();
  // A proposal the Department rejects: its workflow completes, so its state is read from the result.
  const filed = await stack.call('POST', '/api/v1/proposals', { body: sampleProposal({ title: `Đề xuất bị từ chối ${run}` }) });
  const { taskId: stale } = (await filed.json()) as { taskId: string };
  await waitUntil('intake', async () => ((await stack.store.Task.findById(stale).lean())?.documents.length ?? 0) === 1);
  expect((await stack.call('POST', `/api/v1/tasks/${stale}/reject-proposal`, { as: 'manager', body: { reasons: ['Trùng với nhiệm vụ đã thực hiện năm 2023'] } })).status).toBe(200);
  await waitUntil('rejected workflow completed', async () => (await stack.client.workflow.getHandle(taskWorkflowId(stale)).describe()).status.name === 'COMPLETED', 30_000);

  const all = [deleted!, corrupted!, untouched!, stale];
  // Everything written and settled: a dry run sees four tasks in sync.
  await waitUntil('read models in sync', async () => {
    const r = await reconcileReadModels(deps(), { dryRun: true });
    return r.scanned === 4 && r.inSync === 4;
  }, 60_000);

  // Break them.
  const c = await state(corrupted!);
  await stack.store.Task.deleteOne({ _id: deleted });
  await stack.store.PortfolioTask.deleteOne({ _id: deleted });
  const deletedObligation = `${deleted}/progress_report-1`;
  expect((await stack.store.Obligation.deleteOne({ _id: deletedObligation })).deletedCount).toBe(1);
  await stack.store.Task.updateOne({ _id: corrupted }, { $set: { stage: 'ARCHIVED', title: 'Tên bị sửa nhầm', 'funds.approvedState': 1 } });
  await stack.store.Obligation.updateOne({ _id: `${corrupted}/contract_signing-1` }, { $set: { status: 'DONE', track: 'closed' } });
  await stack.store.PortfolioTask.updateOne({ _id: corrupted }, { $set: { level: 'national', budgetByYear: [] } });
  const s = await finalState(stale);
  const older = { ...s, version: s.version - 1, stage: 'PROPOSED' as const, closed: false, timeline: s.timeline.slice(0, -1) };
  await stack.store.Task.replaceOne({ _id: stale }, { ...stack.store.taskDocOf(older), updatedAt: new Date() });
  await stack.store.Obligation.create({ ...obligationDocs(c)[0]!, _id: `${stale}/stray-1`, taskId: stale, obligationId: 'stray-1', taskVersion: 1, updatedAt: new Date() });

  const report = await reconcileReadModels(deps());
  expect(report).toMatchObject({ scanned: 4, inSync: 1, unreadable: [] });
  const byTask = Object.fromEntries(report.repairs.map((r) => [r.taskId, r]));
  expect(Object.keys(byTask).sort()).toEqual([deleted, corrupted, stale].sort());
  expect(byTask[deleted!]).toMatchObject({ task: 'missing', portfolio: 'missing', repaired: true, obligations: { missing: 1, stale: 0, differs: 0, ahead: 0, extra: 0 } });
  expect(byTask[deleted!]!.storedVersion).toBeUndefined();
  expect(byTask[corrupted!]).toMatchObject({ task: 'differs', storedVersion: c.version, workflowVersion: c.version, portfolio: 'differs', portfolioVersion: c.version, repaired: true, obligations: { differs: 1, missing: 0, extra: 0 } });
  expect(byTask[stale]!.portfolio).toBeUndefined();
  expect(byTask[stale]).toMatchObject({ task: 'stale', storedVersion: s.version - 1, workflowVersion: s.version, repaired: true, obligations: { extra: 1, missing: 0 } });
  const text = formatReconcileReport(report);
  expect(text).toContain(`ĐÃ SỬA ${deleted}: nhiệm vụ thiếu (lưu v—, workflow v`);
  expect(text).toContain('tóm tắt danh mục sai nội dung');
  expect(text).toContain(`ĐÃ SỬA ${stale}: nhiệm vụ cũ (lưu v${s.version - 1}, workflow v${s.version}); nghĩa vụ: 1 thừa`);

  // Every read model is again exactly what its workflow's state projects to.
  expect(await readModels(deleted!)).toEqual(projected(await state(deleted!)));
  expect(await readModels(corrupted!)).toEqual(projected(await state(corrupted!)));
  expect(await readModels(untouched!)).toEqual(projected(await state(untouched!)));
  expect(await readModels(stale)).toEqual(projected(s));
  expect((await readModels(corrupted!)).task).toMatchObject({ stage: 'APPROVED', title: 'Xây dựng mô hình nuôi tôm thẻ chân trắng ứng dụng IoT' });
  expect((await readModels(corrupted!)).summary).toMatchObject({ level: 'provincial', budgetByYear: [{ year: Number(d(-5).slice(0, 4)), approvedState: 900_000_000 }] });
  expect((await readModels(stale)).task).toMatchObject({ stage: 'PROPOSAL_REJECTED', closed: true });

  const again = await reconcileReadModels(deps());
  expect(again).toMatchObject({ scanned: 4, inSync: 4, repairs: [], unreadable: [] });
  expect(all).toHaveLength(4);
});
