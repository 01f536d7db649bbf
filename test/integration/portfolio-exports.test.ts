/**
 * Issue 11: the dashboards' two new figures (refunds owed and recovered; stopped tasks), the
 * timeline of tasks against their contract periods, and every list as a CSV or XLSX file with
 * the same filters. A small portfolio, worked out by hand below, written through the read-model
 * writer (as the recordTask activity does), read through the API as a manager would; each file
 * holds exactly the rows the JSON lists.
 */
import ExcelJS from 'exceljs';
import { parse as parseCsv } from 'csv-parse/sync';
import type { Caller } from '../../api/auth';
import { addDays, vnDateOf } from '../../workflows/rules/calendar';
import { DEPT, portfolioState, type PortfolioTaskSpec } from '../support/portfolio-fixtures';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
const T = vnDateOf(new Date().toISOString());
const d = (n: number) => addDays(T, n);
const id = (n: number) => `NV-PFEXPORT${String(n).padStart(7, '0')}`;

const HUONG = { name: 'Nguyễn Thị Hương', email: 'huong.nt@vien-sinh-hoc.example.vn' };
const DUC = { name: 'Lê Văn Đức', email: 'duc.lv@truong-dai-hoc.example.vn' };
const VSH = { orgId: 'org-vien-sinh-hoc', orgName: 'Viện Sinh học Nhiệt đới', pi: HUONG };
const DH = { orgId: 'org-truong-dai-hoc', orgName: 'Trường Đại học Tây Ninh', pi: DUC };
const THANG = { userId: 'u-manager-1', name: 'Trần Đức Thắng', email: 'thang.td@skhcn.example.vn' };
const otherManager: Caller = { userId: 'u-manager-long-an', role: 'manager', name: 'Võ Minh Tâm', email: 'tam.vm@skhcn-long-an.example.vn', orgId: 'org-skhcn-long-an', departmentId: 'skhcn-long-an', locale: 'vi' };

const PORTFOLIO: PortfolioTaskSpec[] = [
  // Running: on the timeline with two deadlines inside the default window, one before it.
  { taskId: id(1), code: 'EX-01', title: 'Giống lúa chịu mặn cho vùng hạ lưu', level: 'provincial', form: 'research_topic', stage: 'IN_PROGRESS', host: VSH, officer: THANG, contract: { startOn: d(-300), endOn: d(200) },
    approval: { approvedOn: d(-320), stateBudget: 1_200_000_000, otherSources: 0 }, disbursements: [{ on: d(-290), amount: 600_000_000 }],
    obligations: [{ id: 'progress_report-1', kind: 'progress_report', dueOn: d(-20), status: 'OVERDUE' }, { id: 'progress_report-2', kind: 'progress_report', dueOn: d(40) }, { kind: 'acceptance_dossier', dueOn: d(230) }] },
  // Terminated (subjective): owes 250 m, has paid back 100 m; since liquidated.
  { taskId: id(2), code: 'EX-02', title: '=HYPERLINK("http://x.example")', level: 'provincial', form: 'pilot_production', stage: 'LIQUIDATED', host: DH, contract: { startOn: d(-400), endOn: d(-10) },
    approval: { approvedOn: d(-420), stateBudget: 500_000_000, otherSources: 0 }, disbursements: [{ on: d(-390), amount: 400_000_000 }], refunds: [{ on: d(-5), amount: 100_000_000 }], refundDue: 250_000_000,
    stop: { on: d(-30), rule: 'T-2', stage: 'TERMINATED', note: 'Không khắc phục vi phạm', termination: { initiatedBy: 'department', cause: 'subjective', grounds: 'Không khắc phục vi phạm' } } },
  // Failed acceptance: owes 80 m, nothing back yet.
  { taskId: id(3), code: 'EX-03', title: 'Quy trình nuôi tôm tuần hoàn', level: 'grassroots', form: 'research_topic', stage: 'ACCEPTANCE_FAILED', host: VSH, refundDue: 80_000_000, stop: { on: d(-60), rule: 'L-20', note: 'Hội đồng kết luận không đạt' } },
  // Withdrawn and cancelled; a rejected proposal (not a stopped task on the dashboard).
  { taskId: id(4), code: 'EX-04', level: 'provincial', form: 'policy_study', stage: 'WITHDRAWN', stop: { on: d(-90), rule: 'L-1', note: 'Tổ chức rút hồ sơ' } },
  { taskId: id(5), code: 'EX-05', level: 'national', form: 'st_project', stage: 'CANCELLED_BEFORE_CONTRACT', stop: { on: d(-120), rule: 'L-10', note: 'Đưa ra khỏi danh mục' } },
  { taskId: id(6), code: 'EX-06', level: 'provincial', form: 'research_topic', stage: 'PROPOSAL_REJECTED', stop: { on: d(-150), rule: 'L-3', note: 'Trùng lặp' } },
  // Suspended: its report's clock is paused (not a deadline on the timeline); the remedy is.
  { taskId: id(7), code: 'EX-07', title: 'Bản đồ số đất nông nghiệp', level: 'provincial', form: 'research_topic', stage: 'SUSPENDED', host: DH, officer: THANG, contract: { startOn: d(-100), endOn: d(500) }, suspended: true,
    obligations: [{ id: 'progress_report-1', kind: 'progress_report', dueOn: d(10) }, { kind: 'suspension_remedy', dueOn: d(15), pausable: false }] },
  // Starts after the default window's end: not on it.
  { taskId: id(8), code: 'EX-08', level: 'provincial', form: 'research_topic', stage: 'CONTRACTED', host: VSH, contract: { startOn: d(400), endOn: d(800) } },
  // Another Department's: counted nowhere here.
  { taskId: id(99), code: 'LA-99', departmentId: 'skhcn-long-an', level: 'provincial', form: 'research_topic', stage: 'TERMINATED', host: DH, refundDue: 9_000_000_000, contract: { startOn: d(-10), endOn: d(10) }, stop: { on: d(-3), rule: 'T-2' } },
];

beforeAll(async () => {
  stack = await startStack({ inProcessWorker: false });
  for (const spec of PORTFOLIO) expect(await stack.store.upsertTask(portfolioState(spec))).toBe(true);
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

async function get(path: string, o: { as?: 'manager' | 'researcher' | 'councilMember' | Caller; lang?: 'vi' | 'en' } = {}) {
  const res = await stack.call('GET', path, { as: o.as ?? 'manager', ...(o.lang ? { headers: { 'accept-language': o.lang } } : {}) });
  const type = res.headers.get('content-type') ?? '';
  const buf = Buffer.from(await res.arrayBuffer());
  return { status: res.status, type, disposition: res.headers.get('content-disposition') ?? '', buf, body: type.includes('json') ? JSON.parse(buf.toString('utf8')) : undefined } as { status: number; type: string; disposition: string; buf: Buffer; body: any };
}
const csvRows = (buf: Buffer): string[][] => parseCsv(buf, { bom: true }) as string[][];
async function xlsxRows(buf: Buffer): Promise<unknown[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  const rows: unknown[][] = [];
  wb.worksheets[0]!.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
  return rows;
}

describe('the two new figures', () => {
  test('counts: refunds owed, recovered and outstanding; stopped tasks by the stage that stopped them (a rejected proposal is not one)', async () => {
    const { status, body } = await get('/api/v1/portfolio/counts');
    expect(status).toBe(200);
    expect(body.refunds).toEqual({ owed: 330_000_000, recovered: 100_000_000, outstanding: 230_000_000, tasks: 2 });
    expect(body.stopped).toEqual({
      total: 4,
      byStage: [{ stage: 'TERMINATED', count: 1 }, { stage: 'ACCEPTANCE_FAILED', count: 1 }, { stage: 'CANCELLED_BEFORE_CONTRACT', count: 1 }, { stage: 'WITHDRAWN', count: 1 }],
    });
    // Another Department sees its own.
    expect((await get('/api/v1/portfolio/counts', { as: otherManager })).body.refunds).toEqual({ owed: 9_000_000_000, recovered: 0, outstanding: 9_000_000_000, tasks: 1 });
  });

  test('the lists behind them: refunds task by task, most outstanding first; stopped tasks with their grounds, in a period', async () => {
    const refunds = (await get('/api/v1/portfolio/refunds')).body;
    expect(refunds.totals).toEqual({ owed: 330_000_000, recovered: 100_000_000, outstanding: 230_000_000, tasks: 2 });
    expect(refunds.items.map((i: any) => [i.code, i.stage, i.refundDue, i.refunded, i.outstanding])).toEqual([
      ['EX-02', 'LIQUIDATED', 250_000_000, 100_000_000, 150_000_000],
      ['EX-03', 'ACCEPTANCE_FAILED', 80_000_000, 0, 80_000_000],
    ]);
    expect(refunds.items[0].host).toEqual({ orgId: 'org-truong-dai-hoc', orgName: 'Trường Đại học Tây Ninh', pi: { name: 'Lê Văn Đức' } });
    expect(JSON.stringify(refunds)).not.toContain('@');

    const stopped = (await get('/api/v1/portfolio/tasks/stopped')).body;
    expect(stopped.items.map((i: any) => [i.code, i.stoppedStage, i.stoppedOn, i.stage])).toEqual([
      ['EX-05', 'CANCELLED_BEFORE_CONTRACT', d(-120), 'CANCELLED_BEFORE_CONTRACT'],
      ['EX-04', 'WITHDRAWN', d(-90), 'WITHDRAWN'],
      ['EX-03', 'ACCEPTANCE_FAILED', d(-60), 'ACCEPTANCE_FAILED'],
      ['EX-02', 'TERMINATED', d(-30), 'LIQUIDATED'],
    ]);
    expect(stopped.items[3].stopGrounds).toBe('Không khắc phục vi phạm (theo đề xuất của Sở, nguyên nhân chủ quan)');
    expect(stopped.byStage.reduce((n: number, s: any) => n + s.count, 0)).toBe(stopped.total);
    expect((await get(`/api/v1/portfolio/tasks/stopped?from=${d(-70)}&to=${d(-40)}`)).body.items.map((i: any) => i.code)).toEqual(['EX-03']);
    const backwards = await get(`/api/v1/portfolio/tasks/stopped?from=${d(-10)}&to=${d(-40)}`);
    expect(backwards.status).toBe(400);
    expect(backwards.body.errors).toEqual([expect.objectContaining({ field: 'to', code: 'invalid_range' })]);
  });
});

describe('the timeline', () => {
  test('tasks whose contract period overlaps the window, earliest end first, with the running deadlines inside it (paused ones and those before it left out)', async () => {
    const { status, body } = await get('/api/v1/portfolio/timeline');
    expect(status).toBe(200);
    expect(body).toMatchObject({ from: T, to: d(365), total: 2 });
    expect(body.items.map((i: any) => [i.code, i.startOn, i.endOn])).toEqual([['EX-01', d(-300), d(200)], ['EX-07', d(-100), d(500)]]);
    expect(body.items[0].deadlines.map((x: any) => [x.obligationId, x.dueOn, x.overdue])).toEqual([['progress_report-2', d(40), false], ['acceptance_dossier-1', d(230), false]]);
    expect(body.items[1].deadlines.map((x: any) => [x.kind, x.dueOn])).toEqual([['suspension_remedy', d(15)]]);
    expect(body.items[1].deadlines[0].deliverable).toEqual({ vi: 'Nghĩa vụ suspension_remedy', en: 'Obligation suspension_remedy' });
    // A window of the past: the terminated task and the overdue report.
    const past = (await get(`/api/v1/portfolio/timeline?from=${d(-60)}&to=${d(-1)}`)).body;
    expect(past.items.map((i: any) => i.code)).toEqual(['EX-02', 'EX-01', 'EX-07']);
    expect(past.items[1].deadlines.map((x: any) => [x.obligationId, x.overdue])).toEqual([['progress_report-1', true]]);
    // Far ahead: the task that starts later.
    expect((await get(`/api/v1/portfolio/timeline?from=${d(450)}&to=${d(900)}`)).body.items.map((i: any) => i.code)).toEqual(['EX-07', 'EX-08']);
  });

  test('a window that ends before it starts, or longer than five years, or a date that does not exist: 400 naming the parameter', async () => {
    for (const [q, field] of [[`from=${d(10)}&to=${d(1)}`, 'to'], [`from=${d(0)}&to=${d(2000)}`, 'to'], ['from=2026-02-30', 'from'], ['to=tomorrow', 'to'], ['limit=0', 'limit']] as const) {
      const res = await get(`/api/v1/portfolio/timeline?${q}`);
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: any) => e.field)).toContain(field);
    }
  });
});

describe('every list as a file', () => {
  const LISTS: [path: string, code: (body: any) => string[], csvCodeColumn: number][] = [
    ['/api/v1/portfolio/obligations/overdue', (b) => b.items.map((i: any) => i.code), 0],
    ['/api/v1/portfolio/obligations/due-soon?days=30', (b) => b.items.map((i: any) => i.code), 0],
    ['/api/v1/portfolio/tasks/ending-soon?days=366', (b) => b.items.map((i: any) => i.code), 0],
    ['/api/v1/portfolio/acceptance-dossiers/overdue', (b) => b.items.map((i: any) => i.code), 0],
    ['/api/v1/portfolio/refunds', (b) => b.items.map((i: any) => i.code), 0],
    ['/api/v1/portfolio/tasks/stopped', (b) => b.items.map((i: any) => i.code), 0],
    ['/api/v1/portfolio/timeline', (b) => b.items.map((i: any) => i.code), 0],
    ['/api/v1/portfolio/budget', (b) => [...b.years.map((y: any) => String(y.year)), 'Tổng cộng'], 0],
  ];

  test('CSV: UTF-8 with BOM, CRLF, Vietnamese headings, the same rows as the JSON; XLSX the same', async () => {
    for (const [path, codes, column] of LISTS) {
      const json = await get(path);
      expect(json.status).toBe(200);
      const sep = path.includes('?') ? '&' : '?';
      const csv = await get(`${path}${sep}format=csv`);
      expect(csv.status).toBe(200);
      expect(csv.type).toBe('text/csv; charset=utf-8');
      expect(csv.disposition).toMatch(/^attachment; filename="[a-z0-9-]+\.csv"/);
      expect([...csv.buf.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      expect(csv.buf.toString('utf8')).toContain('\r\n');
      const rows = csvRows(csv.buf);
      expect(rows.slice(1).map((r) => r[column])).toEqual(codes(json.body));
      const xlsx = await get(`${path}${sep}format=xlsx`);
      expect(xlsx.type).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      const sheet = await xlsxRows(xlsx.buf);
      expect(sheet[0]).toEqual(rows[0]);
      expect(sheet.slice(1).map((r) => String(r[column]))).toEqual(codes(json.body));
    }
  });

  test('headings and names in the caller\'s language; amounts as numbers; a formula-looking title is kept as text', async () => {
    const vi = csvRows((await get('/api/v1/portfolio/refunds?format=csv')).buf);
    expect(vi[0]).toEqual(['Mã nhiệm vụ', 'Tên nhiệm vụ', 'Cấp quản lý', 'Giai đoạn', 'Tổ chức chủ trì', 'Chủ nhiệm nhiệm vụ', 'Phải hoàn trả (đồng)', 'Đã thu hồi (đồng)', 'Còn phải thu hồi (đồng)']);
    expect(vi[1]).toEqual(['EX-02', '\'=HYPERLINK("http://x.example")', 'Cấp tỉnh', 'Đã thanh lý hợp đồng', 'Trường Đại học Tây Ninh', 'Lê Văn Đức', '250000000', '100000000', '150000000']);
    const en = csvRows((await get('/api/v1/portfolio/refunds?format=csv', { lang: 'en' })).buf);
    expect(en[0]![0]).toBe('Task code');
    expect(en[2]!.slice(2, 4)).toEqual(['Grassroots', 'Acceptance failed']);
    const sheet = await xlsxRows((await get('/api/v1/portfolio/refunds?format=xlsx')).buf);
    expect(sheet[1]!.slice(6)).toEqual([250_000_000, 100_000_000, 150_000_000]);
    // The counts as one table: group, code, name, value.
    const counts = csvRows((await get('/api/v1/portfolio/counts?format=csv')).buf);
    expect(counts).toContainEqual(['Hoàn trả kinh phí', 'outstanding', 'Còn phải thu hồi (đồng)', '230000000']);
    expect(counts).toContainEqual(['Nhiệm vụ dừng', 'WITHDRAWN', 'Rút hồ sơ', '1']);
    // Overdue obligations with their deliverable and the days late.
    const overdue = csvRows((await get('/api/v1/portfolio/obligations/overdue?format=csv')).buf);
    expect(overdue[1]).toEqual(['EX-01', 'Giống lúa chịu mặn cho vùng hạ lưu', 'Cấp tỉnh', 'Đang thực hiện', 'Nghĩa vụ progress_report', 'Nguyễn Thị Hương', 'Viện Sinh học Nhiệt đới', 'Trần Đức Thắng', d(-20), '20', 'Quá hạn', 'L-13']);
  });

  test('the task list: every task the filters select, in the sort, whatever the page size; a researcher\'s own only', async () => {
    const pages: string[] = [];
    let cursor: string | null = null;
    do {
      const page: any = (await get(`/api/v1/tasks?stage=IN_PROGRESS,SUSPENDED,LIQUIDATED&sort=title&limit=1${cursor ? `&cursor=${cursor}` : ''}`)).body;
      pages.push(...page.items.map((t: any) => t.taskId));
      cursor = page.nextCursor;
    } while (cursor);
    expect(pages).toHaveLength(3);
    const file = await get('/api/v1/tasks?stage=IN_PROGRESS,SUSPENDED,LIQUIDATED&sort=title&limit=1&format=csv');
    expect(file.disposition).toMatch(/filename="danh-sach-nhiem-vu-\d{4}-\d{2}-\d{2}\.csv"/);
    const rows = csvRows(file.buf);
    expect(rows[0]!.slice(0, 4)).toEqual(['Mã nhiệm vụ', 'Mã hệ thống', 'Tên nhiệm vụ', 'Giai đoạn']);
    expect(rows.slice(1).map((r) => r[1])).toEqual(pages);
    expect(rows.find((r) => r[0] === 'EX-07')).toEqual(expect.arrayContaining(['Tạm dừng', 'Cấp tỉnh', 'Đề tài', 'Trường Đại học Tây Ninh', 'Lê Văn Đức', 'Không', 'Trần Đức Thắng']));
    const xlsx = await xlsxRows((await get('/api/v1/tasks?stage=IN_PROGRESS&format=xlsx', { lang: 'en' })).buf);
    expect(xlsx[0]!.slice(0, 4)).toEqual(['Task code', 'Task ID', 'Title', 'Stage']);
    expect(xlsx.slice(1).map((r) => r[0])).toEqual(['EX-01']);
    // A researcher of the host organisation: their tasks only. A council member: none (403). A bad format: 400.
    const mine = csvRows((await get('/api/v1/tasks?format=csv', { as: 'researcher' })).buf);
    expect(mine.slice(1).every((r) => ['Viện Sinh học Nhiệt đới'].includes(r[9]!) || r[8] === 'Viện Sinh học Nhiệt đới')).toBe(true);
    expect(mine.slice(1).map((r) => r[0])).not.toContain('EX-07');
    expect((await get('/api/v1/tasks?format=csv', { as: 'councilMember' })).status).toBe(403);
    const bad = await get('/api/v1/tasks?format=pdf');
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0]).toMatchObject({ field: 'format' });
    expect((await get('/api/v1/portfolio/refunds?format=pdf')).status).toBe(400);
    expect((await get('/api/v1/portfolio/refunds?format=csv', { as: 'researcher' })).status).toBe(403);
  });
});

describe('summaries written before issue 11', () => {
  test('get the contract start, refunds and results at API start (backfill), at the same version', async () => {
    await stack.store.PortfolioTask.updateOne({ _id: id(2) }, { $unset: { refunded: 1, refundDue: 1, startOn: 1, resultsRegistered: 1 } });
    expect((await get('/api/v1/portfolio/counts')).body.refunds.owed).toBe(80_000_000);
    expect(await stack.store.backfillPortfolio()).toBe(1);
    expect(await stack.store.PortfolioTask.findById(id(2)).lean()).toMatchObject({ refundDue: 250_000_000, refunded: 100_000_000, startOn: d(-400), resultsRegistered: 0 });
    expect((await get('/api/v1/portfolio/counts')).body.refunds.owed).toBe(330_000_000);
    expect(await stack.store.backfillPortfolio()).toBe(0);
    expect(DEPT).toBe(stack.config.DEPARTMENT_ID);
  });
});
