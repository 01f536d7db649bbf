/**
 * Issue 11: the import of the running portfolio and the read models' reconciliation over the
 * API, on the real stack (Temporal dev server, FerretDB, the worker, the API): a dry run
 * answers each row and starts nothing; a real run is a job the page follows to the end; the
 * same file again starts nothing again; the reconciliation reports what drifted, rewrites it
 * (or not, in a dry run), and runs once at a time per Department.
 */
import { randomBytes } from 'node:crypto';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { Caller } from '../../api/auth';
import { IMPORT_COLUMNS } from '../../activities/portfolio/import';
import { importedTaskId } from '../../activities/ids';
import { taskWorkflowId } from '../../workflows/definitions';
import { addDays, vnDateOf } from '../../workflows/rules/calendar';
import { uploadSheet } from '../support/fixtures';
import { waitUntil } from '../support/services';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
const run = randomBytes(3).toString('hex').toUpperCase();
const T = vnDateOf(new Date().toISOString());
const d = (n: number) => addDays(T, n);
const code = (n: number) => `API-${run}-${n}`;
const ids = [1, 2, 3].map((n) => importedTaskId('skhcn-tay-ninh', code(n)));
const otherManager: Caller = { userId: 'u-manager-long-an', role: 'manager', name: 'Võ Minh Tâm', email: 'tam.vm@skhcn-long-an.example.vn', orgId: 'org-skhcn-long-an', departmentId: 'skhcn-long-an', locale: 'vi' };

const base = {
  level: 'provincial', form: 'research_topic', assignment: 'competitive_selection', objectives: 'Hệ thống IoT 20 điểm đo', products: 'Hệ thống IoT; Quy trình vận hành',
  durationMonths: '24', fundingMode: 'partial_lump_sum', hostOrgId: 'org-vien-sinh-hoc', hostOrgName: 'Viện Sinh học Nhiệt đới', piName: 'Nguyễn Thị Hương', piEmail: 'huong.nt@vien-sinh-hoc.example.vn',
};
const ROWS: Record<string, string>[] = [
  { ...base, code: code(1), title: 'Ứng dụng IoT giám sát chất lượng nước nuôi tôm', stage: 'IN_PROGRESS', approvedOn: d(-200), stateBudget: '1.200.000.000', contractStartOn: d(-190), contractEndOn: d(540), disbursements: `${d(-180)}: 600.000.000` },
  { ...base, code: code(2), title: 'Bản đồ số đất nông nghiệp huyện Châu Thành', stage: 'APPROVED', approvedOn: d(-5), stateBudget: '450000000' },
  { ...base, code: code(3), title: 'Dòng có ngày sai', stage: 'APPROVED', approvedOn: '2026-02-30', stateBudget: 'nhiều tiền' },
];
const sheet = () => {
  const keys = IMPORT_COLUMNS.map((c) => c.key);
  const cell = (v: string) => (/[",;\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return Buffer.from([keys.join(','), ...ROWS.map((r) => keys.map((k) => cell(r[k] ?? '')).join(','))].join('\r\n'), 'utf8');
};

beforeAll(async () => {
  stack = await startStack();
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

const json = async (res: Response): Promise<any> => res.json();
async function workflowExists(taskId: string): Promise<boolean> {
  try {
    await stack.client.workflow.getHandle(taskWorkflowId(taskId)).describe();
    return true;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return false;
    throw err;
  }
}

describe('POST /portfolio/imports', () => {
  let uploadId: string;
  let importId: string;

  test('a dry run answers every row with its errors and starts nothing', async () => {
    uploadId = await uploadSheet(stack, 'manager', 'Danh mục nhiệm vụ.csv', sheet());
    const res = await stack.call('POST', '/api/v1/portfolio/imports', { as: 'manager', body: { uploadId, dryRun: true } });
    expect(res.status).toBe(200);
    const preview = await json(res);
    expect(preview).toMatchObject({ dryRun: true, total: 3, counts: { would_import: 2, invalid: 1, imported: 0, already_imported: 0, refused: 0 } });
    expect(preview.rows[0]).toEqual({ row: 2, code: code(1), title: 'Ứng dụng IoT giám sát chất lượng nước nuôi tôm', taskId: ids[0], links: { task: `/api/v1/tasks/${ids[0]}` }, outcome: 'would_import' });
    expect(preview.rows[2]).toMatchObject({ row: 4, code: code(3), outcome: 'invalid' });
    expect(preview.rows[2].errors.map((e: any) => e.column).sort()).toEqual(['approvedOn', 'stateBudget']);
    for (const id of ids) expect(await workflowExists(id)).toBe(false);
    expect(await stack.store.PortfolioImport.countDocuments()).toBe(0);
  });

  test('a real run is a job: 202 with its Location, followed to the end with each row\'s result', async () => {
    const res = await stack.call('POST', '/api/v1/portfolio/imports', { as: 'manager', body: { uploadId } });
    expect(res.status).toBe(202);
    const job = await json(res);
    importId = job.importId;
    expect(res.headers.get('location')).toBe(`/api/v1/portfolio/imports/${importId}`);
    expect(job).toMatchObject({ status: expect.stringMatching(/^(queued|running|done)$/), repeated: false, file: { uploadId, filename: 'Danh mục nhiệm vụ.csv' }, by: { userId: stack.users.manager.userId, name: 'Trần Đức Thắng' }, progress: { total: 3 } });
    let last: any;
    await waitUntil('the import done', async () => {
      last = await json(await stack.call('GET', `/api/v1/portfolio/imports/${importId}`, { as: 'admin' }));
      return last.status === 'done';
    }, 60_000);
    expect(last.progress).toEqual({ done: 3, total: 3 });
    expect(last.counts).toEqual({ imported: 2, already_imported: 0, would_import: 0, invalid: 1, refused: 0 });
    expect(last.rows.map((r: any) => [r.row, r.code, r.outcome])).toEqual([[2, code(1), 'imported'], [3, code(2), 'imported'], [4, code(3), 'invalid']]);
    expect(last.finishedAt).toEqual(expect.any(String));
    await waitUntil('the imported tasks\' read models', async () => (await stack.store.Task.countDocuments({ _id: { $in: ids.slice(0, 2) } })) === 2, 30_000);
    expect(await stack.store.Task.findById(ids[0]).lean()).toMatchObject({ stage: 'IN_PROGRESS', departmentId: 'skhcn-tay-ninh', imported: { code: code(1), by: { userId: stack.users.manager.userId } } });
    expect(await workflowExists(ids[2]!)).toBe(false);
    // The sheet is kept with its import; the start is audited.
    expect((await stack.store.uploads.findOne(uploadId))?.metadata).toMatchObject({ status: 'attached', command: 'importPortfolio', importId });
    const audit = await json(await stack.call('GET', '/api/v1/audit-log?action=importPortfolio', { as: 'admin' }));
    expect(audit.items).toEqual([expect.objectContaining({ kind: 'command', action: 'importPortfolio', actor: expect.objectContaining({ userId: stack.users.manager.userId }) })]);
  });

  test('the same file again, by the same upload or a new one, is the same import: nothing starts again', async () => {
    const workflows = async () => {
      const listed: string[] = [];
      for await (const w of stack.client.workflow.list({ query: `TaskQueue = '${stack.config.TEMPORAL_TASK_QUEUE}'` })) listed.push(w.workflowId);
      return listed.sort();
    };
    const before = await workflows();
    const again = await stack.call('POST', '/api/v1/portfolio/imports', { as: 'manager', body: { uploadId } });
    expect(again.status).toBe(200);
    expect(await json(again)).toMatchObject({ importId, status: 'done', repeated: true, counts: { imported: 2 } });
    const copy = await uploadSheet(stack, 'admin', 'ban-sao.csv', sheet());
    const byCopy = await json(await stack.call('POST', '/api/v1/portfolio/imports', { as: 'admin', body: { uploadId: copy } }));
    expect(byCopy).toMatchObject({ importId, repeated: true });
    expect(await workflows()).toEqual(before);
    expect(await stack.store.PortfolioImport.countDocuments()).toBe(1);
  });

  test('another Department does not see the import; a researcher may not import; bad input names its field', async () => {
    expect((await stack.call('GET', `/api/v1/portfolio/imports/${importId}`, { as: otherManager })).status).toBe(404);
    expect((await stack.call('GET', '/api/v1/portfolio/imports/imp-000000000000000000000000', { as: 'manager' })).status).toBe(404);
    const badId = await stack.call('GET', '/api/v1/portfolio/imports/import-1', { as: 'manager' });
    expect(badId.status).toBe(400);
    expect((await json(badId)).errors[0].field).toBe('importId');
    const researcherUpload = await uploadSheet(stack, 'researcher', 'x.csv', sheet());
    expect((await stack.call('POST', '/api/v1/portfolio/imports', { as: 'researcher', body: { uploadId: researcherUpload, dryRun: true } })).status).toBe(403);
    const noUpload = await stack.call('POST', '/api/v1/portfolio/imports', { as: 'manager', body: { dryRun: true } });
    expect(noUpload.status).toBe(400);
    expect(await json(noUpload)).toMatchObject({ errors: [{ field: 'uploadId', code: 'invalid_type', reason: 'Trường này là bắt buộc.' }] });
    // Someone else's upload is unknown; a sheet that is not the template is refused whole.
    expect((await json(await stack.call('POST', '/api/v1/portfolio/imports', { as: 'manager', body: { uploadId: researcherUpload, dryRun: true } }))).errors[0]).toMatchObject({ field: 'uploadId', code: 'upload-not-found' });
    const wrong = await uploadSheet(stack, 'manager', 'sai.csv', Buffer.from('code,title\r\nA,B\r\n'));
    const refused = await stack.call('POST', '/api/v1/portfolio/imports', { as: 'manager', headers: { 'accept-language': 'en' }, body: { uploadId: wrong, dryRun: true } });
    expect(refused.status).toBe(422);
    expect((await json(refused)).errors).toContainEqual({ field: 'uploadId', code: 'invalid_sheet', reason: 'The required column "level" (Cấp quản lý) is missing.' });
  });
});

describe('/portfolio/reconciliation', () => {
  const status = async (as: 'manager' | Caller = 'manager') => json(await stack.call('GET', '/api/v1/portfolio/reconciliation', { as }));
  const finished = async () => {
    let s: any;
    await waitUntil('the reconciliation done', async () => {
      s = await status();
      return s.lastRun?.status === 'done';
    }, 60_000);
    return s;
  };

  test('before any run: nothing to show', async () => {
    expect(await status(otherManager)).toEqual({ lastRun: null, lastCompletedRun: null });
  });

  test('a dry run reports what drifted and rewrites nothing; a run rewrites it; by whom and when', async () => {
    await waitUntil('imported read models written', async () => (await stack.store.Obligation.countDocuments({ taskId: ids[0] })) > 0, 30_000);
    // A summary that lost its stage, and an obligation that went missing.
    await stack.store.PortfolioTask.updateOne({ _id: ids[1] }, { $set: { stage: 'PROPOSED' } });
    const gone = (await stack.store.Obligation.findOne({ taskId: ids[0] }).lean())!;
    await stack.store.Obligation.deleteOne({ _id: gone._id });

    const dry = await stack.call('POST', '/api/v1/portfolio/reconciliation', { as: 'manager', body: { dryRun: true } });
    expect(dry.status).toBe(202);
    expect(await json(dry)).toMatchObject({ dryRun: true, status: expect.stringMatching(/^(queued|running|done)$/), by: { name: 'Trần Đức Thắng' } });
    const afterDry = await finished();
    expect(afterDry.lastRun).toMatchObject({ dryRun: true, progress: { scanned: 2 }, inSync: 0, drifted: 2, repaired: 0 });
    expect(afterDry.lastRun.repairs).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ taskId: ids[1], portfolio: 'differs', repaired: false }),
        expect.objectContaining({ taskId: ids[0], obligations: expect.objectContaining({ missing: 1 }), repaired: false }),
      ]),
    );
    expect((await stack.store.PortfolioTask.findById(ids[1]).lean())?.stage).toBe('PROPOSED');

    const real = await stack.call('POST', '/api/v1/portfolio/reconciliation', { as: 'admin' });
    expect(real.status).toBe(202);
    const afterRun = await finished();
    expect(afterRun.lastRun).toMatchObject({ dryRun: false, drifted: 2, repaired: 2, by: { userId: stack.users.admin.userId }, finishedAt: expect.any(String) });
    expect(afterRun.lastCompletedRun.runId).toBe(afterRun.lastRun.runId);
    expect((await stack.store.PortfolioTask.findById(ids[1]).lean())?.stage).toBe('APPROVED');
    expect(await stack.store.Obligation.countDocuments({ _id: gone._id })).toBe(1);
    // Another Department's staff see none of it.
    expect(await status(otherManager)).toEqual({ lastRun: null, lastCompletedRun: null });
  });

  test('one run at a time per Department (409 while one runs); a bad body is a 400; a researcher is refused', async () => {
    await stack.stopWorker();
    try {
      expect((await stack.call('POST', '/api/v1/portfolio/reconciliation', { as: 'manager', body: {} })).status).toBe(202);
      const second = await stack.call('POST', '/api/v1/portfolio/reconciliation', { as: 'manager', body: { dryRun: true } });
      expect(second.status).toBe(409);
      const problem = await json(second);
      expect(problem).toMatchObject({ type: 'urn:khcn-flow:problem:reconciliation-running', runId: (await status()).lastRun.runId });
      // Another Department runs its own.
      expect((await stack.call('POST', '/api/v1/portfolio/reconciliation', { as: otherManager, body: { dryRun: true } })).status).toBe(202);
    } finally {
      await stack.startWorker();
    }
    const done = await finished();
    expect(done.lastRun).toMatchObject({ status: 'done', drifted: 0, inSync: 2 });
    const bad = await stack.call('POST', '/api/v1/portfolio/reconciliation', { as: 'manager', body: { dryRun: 'no' } });
    expect(bad.status).toBe(400);
    expect((await json(bad)).errors[0].field).toBe('dryRun');
    expect((await stack.call('POST', '/api/v1/portfolio/reconciliation', { as: 'researcher', body: {} })).status).toBe(403);
    expect((await stack.call('GET', '/api/v1/portfolio/reconciliation?x=1', { as: 'manager' })).status).toBe(400);
  });
});
