/**
 * Import of the running portfolio on the real stack (Temporal dev server,
 * FerretDB, worker, API): a dry run starts nothing; bad and refused rows leave
 * nothing behind; the same file twice yields one workflow per task and the same
 * read models; an imported task then takes its next lifecycle command through
 * the API like any other.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { WorkflowNotFoundError } from '@temporalio/client';
import { importPortfolio, IMPORT_COLUMNS, type ImportReport } from '../../activities/portfolio/import';
import { importedTaskId } from '../../activities/ids';
import { SA, taskWorkflowId } from '../../workflows/definitions';
import { addDays, vnDateOf } from '../../workflows/rules/calendar';
import { inspectionDueDates, reportDueDates } from '../../workflows/rules/deadlines';
import { ruleSetFor } from '../../workflows/rules/ruleset';
import { waitUntil } from '../support/services';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
let dir: string;
let file: string;
const run = randomBytes(3).toString('hex').toUpperCase();
const T = vnDateOf(new Date().toISOString());
const d = (n: number) => addDays(T, n);
const code = (n: number) => `IMP-${run}-${n}`;
const rs = ruleSetFor({ regime: 'LEGACY_2013', provinceProfile: 'tay-ninh', version: '2026.1' });

// Row 2: under way for 13 months, report 1 filed, report 2 missed; row 3: approved ten days ago;
// row 4: a date that does not exist and no e-mail; row 5: more disbursed than approved.
const START = d(-390);
const END = d(340);
const DUE = reportDueDates(START, END, rs);
const INSPECTIONS = inspectionDueDates(START, END, rs);
const base = {
  title: 'Ứng dụng IoT giám sát chất lượng nước nuôi tôm', level: 'provincial', form: 'research_topic', assignment: 'competitive_selection',
  objectives: 'Hệ thống IoT 20 điểm đo; quy trình vận hành', products: 'Hệ thống IoT; Quy trình vận hành', durationMonths: '24', fundingMode: 'partial_lump_sum',
  hostOrgId: 'org-vien-sinh-hoc', hostOrgName: 'Viện Sinh học Nhiệt đới', piName: 'Nguyễn Thị Hương', piEmail: 'huong.nt@vien-sinh-hoc.example.vn',
  officerName: 'Trần Đức Thắng', officerEmail: 'thang.td@skhcn.example.vn',
};
const ROWS: Record<string, string>[] = [
  { ...base, code: code(1), stage: 'IN_PROGRESS', approvedOn: d(-400), stateBudget: '1.200.000.000', otherSources: '0', contractStartOn: START, contractEndOn: END, disbursements: `${d(-380)}: 800.000.000`, reportsFiledOn: addDays(DUE[0]!, 2), history: 'Kiểm tra tiến độ lần 1 đạt yêu cầu.' },
  { ...base, code: code(2), stage: 'APPROVED', approvedOn: d(-10), stateBudget: '500000000', hostOrgId: 'org-truong-dai-hoc', hostOrgName: 'Trường Đại học Tây Ninh', piName: 'Lê Văn Đức', piEmail: 'duc.lv@truong-dai-hoc.example.vn' },
  { ...base, code: code(3), stage: 'APPROVED', approvedOn: '2026-13-01', stateBudget: '500000000', piEmail: 'không có' },
  { ...base, code: code(4), stage: 'IN_PROGRESS', approvedOn: d(-400), stateBudget: '100.000.000', contractStartOn: START, contractEndOn: END, disbursements: `${d(-380)}: 800.000.000` },
];
const ids = [1, 2, 3, 4].map((n) => importedTaskId('skhcn-tay-ninh', code(n)));

beforeAll(async () => {
  stack = await startStack();
  dir = mkdtempSync(join(tmpdir(), 'khcn-import-'));
  file = join(dir, 'danh-muc.csv');
  const keys = IMPORT_COLUMNS.map((c) => c.key);
  const cell = (v: string) => (/[",;\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  writeFileSync(file, [keys.join(','), ...ROWS.map((r) => keys.map((k) => cell(r[k] ?? '')).join(','))].join('\n'));
});
afterAll(async () => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  await stack?.stop();
});

const importFile = (dryRun = false) => importPortfolio({ client: stack.client, store: stack.store, config: stack.config }, { file, dryRun });
const outcomes = (r: ImportReport) => r.rows.map((x) => [x.row, x.code, x.outcome]);
async function workflowExists(taskId: string) {
  try {
    return (await stack.client.workflow.getHandle(taskWorkflowId(taskId)).describe()).runId;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return undefined;
    throw err;
  }
}
async function readModels(taskId: string) {
  const { updatedAt: _u, ...task } = ((await stack.store.Task.findById(taskId).lean()) ?? {}) as Record<string, unknown>;
  const obligations = (await stack.store.Obligation.find({ taskId }).sort({ _id: 1 }).lean()).map(({ updatedAt: _x, ...o }) => o);
  return { task, obligations };
}

test('a dry run validates every row and starts nothing', async () => {
  const report = await importFile(true);
  expect(outcomes(report)).toEqual([[2, code(1), 'would_import'], [3, code(2), 'would_import'], [4, code(3), 'invalid'], [5, code(4), 'refused']]);
  expect(report.counts).toEqual({ imported: 0, already_imported: 0, would_import: 2, invalid: 1, refused: 1 });
  for (const id of ids) expect(await workflowExists(id)).toBeUndefined();
  expect(await stack.store.Task.countDocuments({ _id: { $in: ids } })).toBe(0);
});

let firstRuns: (string | undefined)[];
let snapshot: Awaited<ReturnType<typeof readModels>>[];

test('an import starts each valid task in its current stage; invalid and refused rows leave nothing behind', async () => {
  const report = await importFile();
  expect(outcomes(report)).toEqual([[2, code(1), 'imported'], [3, code(2), 'imported'], [4, code(3), 'invalid'], [5, code(4), 'refused']]);
  expect(report.rows[2]!.errors!.map((e) => e.column).sort()).toEqual(['approvedOn', 'piEmail']);
  expect(report.rows[3]!.refusal).toMatchObject({ rule: 'L-12', vi: 'Tổng cấp 800.000.000 đồng vượt kinh phí NSNN được duyệt 100.000.000 đồng.' });

  await waitUntil('read models of the imported tasks', async () => (await stack.store.Task.countDocuments({ _id: { $in: ids.slice(0, 2) }, version: { $gte: 2 } })) === 2, 30_000);
  const [inProgress, approved] = await Promise.all(ids.slice(0, 2).map(readModels));
  expect(inProgress.task).toMatchObject({ stage: 'IN_PROGRESS', code: code(1), documents: [], funds: { approvedState: 1_200_000_000, disbursed: 800_000_000 }, contract: { startOn: START, endOn: END }, endOn: END, executing: true });
  expect((inProgress.task.timeline as { action: string; rule: string }[]).map((e) => [e.rule, e.action])).toEqual([['IMPORT', 'imported']]);
  expect(inProgress.obligations.map((o) => [o.obligationId, o.status, o.track, o.dueOn])).toEqual([
    ['acceptance_dossier-1', 'OPEN', 'open', addDays(END, 30)],
    // The Department's yearly inspections (L-13): none recorded as held, so the one already due is overdue.
    ...INSPECTIONS.map((due, i) => [`inspection-${i + 1}`, due < T ? 'OVERDUE' : 'OPEN', due < T ? 'overdue' : 'open', due]),
    ['progress_report-1', 'DONE', 'closed', DUE[0]],
    ['progress_report-2', 'OVERDUE', 'overdue', DUE[1]],
    ...DUE.slice(2).map((due, i) => [`progress_report-${i + 3}`, 'OPEN', 'open', due]),
  ]);
  expect(approved.task).toMatchObject({ stage: 'APPROVED', host: { orgId: 'org-truong-dai-hoc' } });
  expect(approved.obligations.map((o) => [o.kind, o.rule, o.dueOn])).toEqual([['contract_signing', 'L-11', d(20)]]);
  // The Department's search attributes let the imported portfolio be filtered in Temporal too.
  const { typedSearchAttributes: sa } = await stack.client.workflow.getHandle(taskWorkflowId(ids[0]!)).describe();
  expect([sa.get(SA.stage), sa.get(SA.department), sa.get(SA.overdue)]).toEqual(['IN_PROGRESS', 'skhcn-tay-ninh', true]);
  // No L-1 proposal form or acknowledgement for an imported task.
  expect(stack.smtp.to('huong.nt@vien-sinh-hoc.example.vn').filter((m) => /đề xuất|proposal/i.test(m.subject ?? ''))).toEqual([]);
  // Nothing of the bad rows.
  for (const id of ids.slice(2)) expect(await workflowExists(id)).toBeUndefined();
  expect(await stack.store.Task.countDocuments({ _id: { $in: ids.slice(2) } })).toBe(0);
  expect(await stack.store.Obligation.countDocuments({ taskId: { $in: ids.slice(2) } })).toBe(0);
  firstRuns = await Promise.all(ids.map(workflowExists));
  snapshot = await Promise.all(ids.slice(0, 2).map(readModels));
});

test('the same file again starts nothing new and leaves the read models as they were', async () => {
  const report = await importFile();
  expect(outcomes(report)).toEqual([[2, code(1), 'already_imported'], [3, code(2), 'already_imported'], [4, code(3), 'invalid'], [5, code(4), 'refused']]);
  expect(report.rows.slice(0, 2).map((r) => r.taskId)).toEqual(ids.slice(0, 2));
  expect(await Promise.all(ids.map(workflowExists))).toEqual(firstRuns);
  expect(await Promise.all(ids.slice(0, 2).map(readModels))).toEqual(snapshot);
  const listed = [];
  for await (const w of stack.client.workflow.list({ query: `TaskQueue = '${stack.config.TEMPORAL_TASK_QUEUE}'` })) listed.push(w.workflowId);
  expect(listed.sort()).toEqual(ids.slice(0, 2).map(taskWorkflowId).sort());
});

test('an imported task shows on the dashboards and takes its next command through the API: the missed report, filed late (L-13)', async () => {
  const [taskId] = ids;
  const overdue: any = await (await stack.call('GET', '/api/v1/portfolio/obligations/overdue', { as: 'manager' })).json();
  // Both fall due twelve months after the contract start (same date, then by ID).
  expect(INSPECTIONS[0]).toBe(DUE[1]);
  expect(overdue.items).toEqual([
    expect.objectContaining({ taskId, code: code(1), obligationId: 'inspection-1', assignee: 'department', person: { key: 'officer:thang.td@skhcn.example.vn', name: 'Trần Đức Thắng' } }),
    expect.objectContaining({ taskId, code: code(1), obligationId: 'progress_report-2', assignee: 'host', person: { key: 'pi:huong.nt@vien-sinh-hoc.example.vn', name: 'Nguyễn Thị Hương' } }),
  ]);

  const detail = await stack.call('GET', `/api/v1/tasks/${taskId}`, { as: 'researcher' });
  expect(detail.status).toBe(200);
  expect(((await detail.json()) as { allowedActions: { command: string }[] }).allowedActions.map((a) => a.command)).toContain('submitProgressReport');

  const res = await stack.call('POST', `/api/v1/tasks/${taskId}/submit-progress-report`, { as: 'researcher', body: { period: 2, summary: 'Đã lắp đặt 12/20 điểm đo.' } });
  const body: any = await res.json();
  expect(res.status).toBe(200);
  expect(body.reports[1]).toMatchObject({ period: 2, dueOn: DUE[1], late: true });
  expect(body.obligations.find((o: { id: string }) => o.id === 'progress_report-2')).toMatchObject({ status: 'DONE', evidence: 'Đã lắp đặt 12/20 điểm đo.' });
  // Only the Department's own overdue inspection is left.
  await waitUntil('report off the overdue list', async () => ((await (await stack.call('GET', '/api/v1/portfolio/obligations/overdue', { as: 'manager' })).json()) as { total: number }).total === 1, 20_000);
});
