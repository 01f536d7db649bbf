/**
 * §8 dashboards and the six-month report, checked figure by figure against a
 * small portfolio whose numbers are worked out by hand below. The portfolio is
 * written through the read-model writer (as the recordTask activity does), the
 * figures read through the API as a manager of the Department would.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { Caller } from '../../api/auth';
import { addDays, vnDateOf } from '../../workflows/rules/calendar';
import { DEPT, portfolioState, type PortfolioTaskSpec } from '../support/portfolio-fixtures';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
let dir: string;
const T = vnDateOf(new Date().toISOString());
const d = (n: number) => addDays(T, n);

const HUONG = { name: 'Nguyễn Thị Hương', email: 'huong.nt@vien-sinh-hoc.example.vn' };
const BINH = { name: 'Trần Văn Bình', email: 'binh.tv@vien-sinh-hoc.example.vn' };
const DUC = { name: 'Lê Văn Đức', email: 'duc.lv@truong-dai-hoc.example.vn' };
const VSH = { orgId: 'org-vien-sinh-hoc', orgName: 'Viện Sinh học Nhiệt đới', pi: HUONG };
const VSH_BINH = { ...VSH, pi: BINH };
const DH = { orgId: 'org-truong-dai-hoc', orgName: 'Trường Đại học Tây Ninh', pi: DUC };
const THANG = { userId: 'u-manager-1', name: 'Trần Đức Thắng', email: 'thang.td@skhcn.example.vn' };
const LAN = { userId: 'u-manager-2', name: 'Phạm Thị Lan', email: 'lan.pt@skhcn.example.vn' };
const id = (n: number) => `NV-PFDASH${String(n).padStart(8, '0')}`;
const OTHER_DEPT = 'skhcn-long-an';

// The portfolio. T = today in Vietnam; d(n) = T + n days.
const PORTFOLIO: PortfolioTaskSpec[] = [
  { taskId: id(1), code: 'TN-01', level: 'provincial', form: 'research_topic', stage: 'IN_PROGRESS', host: VSH, officer: THANG, contract: { startOn: '2024-06-01', endOn: d(30) },
    approval: { approvedOn: '2024-02-01', stateBudget: 1_500_000_000, otherSources: 250_000_000 }, disbursements: [{ on: '2024-05-10', amount: 1_000_000_000 }, { on: '2025-03-01', amount: 300_000_000 }],
    obligations: [{ id: 'progress_report-1', kind: 'progress_report', dueOn: d(-10), status: 'OVERDUE' }, { id: 'progress_report-2', kind: 'progress_report', dueOn: d(3) }, { kind: 'acceptance_dossier', dueOn: d(60) }] },
  { taskId: id(2), code: 'TN-02', level: 'provincial', form: 'pilot_production', stage: 'ADJUSTMENT_PENDING', host: DH, officer: LAN, contract: { startOn: '2024-06-01', endOn: d(45) }, extension: 'pending',
    obligations: [{ id: 'progress_report-1', kind: 'progress_report', dueOn: d(-100), status: 'DONE', evidence: 'Báo cáo kỳ 1' }, { kind: 'adjustment_decision', dueOn: d(5), pausable: false }] },
  { taskId: id(3), code: 'TN-03', level: 'grassroots', form: 'research_topic', stage: 'SELF_EVALUATION', host: VSH_BINH, officer: THANG, contract: { startOn: '2025-01-20', endOn: d(-40) },
    approval: { approvedOn: '2025-01-15', stateBudget: 300_000_000, otherSources: 0 }, disbursements: [{ on: '2025-06-01', amount: 200_000_000 }],
    obligations: [{ kind: 'acceptance_dossier', dueOn: d(-10) }] }, // OPEN and past due: its workflow has not run the timer yet
  { taskId: id(4), code: 'TN-04', level: 'national', form: 'policy_study', stage: 'SUSPENDED', host: DH, officer: LAN, contract: { startOn: '2024-06-01', endOn: d(20) }, suspended: true,
    obligations: [{ id: 'progress_report-3', kind: 'progress_report', dueOn: d(-5) }, { kind: 'suspension_remedy', dueOn: d(2), pausable: false }] }, // the report's clock is paused (T-1)
  { taskId: id(5), code: 'TN-05', level: 'provincial', form: 'research_topic', stage: 'TERMINATED', host: VSH, officer: THANG, contract: { startOn: '2024-06-01', endOn: d(10) },
    approval: { approvedOn: '2024-03-01', stateBudget: 500_000_000, otherSources: 100_000_000 }, disbursements: [{ on: '2024-04-01', amount: 400_000_000 }], refunds: [{ on: '2025-11-20', amount: 100_000_000 }],
    stop: { on: d(-20), rule: 'T-2', note: 'Không khắc phục vi phạm', termination: { initiatedBy: 'department', cause: 'subjective', grounds: 'Không khắc phục vi phạm' } },
    obligations: [{ id: 'progress_report-2', kind: 'progress_report', dueOn: d(-30), status: 'CANCELLED' }] },
  { taskId: id(6), code: 'TN-06', level: 'provincial', form: 'st_project', stage: 'PROPOSED' },
  { taskId: id(7), code: 'TN-07', level: 'ministerial', form: 'research_topic', stage: 'ACCEPTANCE_FAILED', host: VSH, stop: { on: d(-100), rule: 'L-20', note: 'Nộp muộn' } },
  { taskId: id(8), code: 'TN-08', level: 'provincial', form: 'research_topic', stage: 'IN_PROGRESS', host: DH, officer: THANG, contract: { startOn: '2024-06-01', endOn: d(60) } },
  { taskId: id(9), code: 'TN-09', level: 'provincial', form: 'research_topic', stage: 'IN_PROGRESS', host: DH, officer: THANG, contract: { startOn: '2024-06-01', endOn: d(61) } },
  { taskId: id(10), code: 'TN-10', level: 'provincial', form: 'policy_study', stage: 'TERMINATION_PENDING', host: DH, officer: LAN, contract: { startOn: '2024-06-01', endOn: d(100) },
    obligations: [{ kind: 'termination_observations', dueOn: d(3), right: true, pausable: false }] }, // a right, not a duty
  { taskId: id(11), code: 'TN-11', level: 'provincial', form: 'research_topic', stage: 'ACCEPTANCE_SUBMITTED', host: VSH, officer: LAN, contract: { startOn: '2024-06-01', endOn: d(10) }, dossierFiledOn: d(-3),
    obligations: [{ kind: 'acceptance_dossier', dueOn: d(40), status: 'DONE' }, { kind: 'dossier_completeness', dueOn: d(-2), status: 'OVERDUE', pausable: false }] },
  // Another Department's task: counted nowhere here.
  { taskId: id(99), code: 'LA-01', departmentId: OTHER_DEPT, level: 'provincial', form: 'research_topic', stage: 'IN_PROGRESS', host: DH, contract: { startOn: '2024-06-01', endOn: d(15) },
    approval: { approvedOn: '2024-06-01', stateBudget: 9_000_000_000, otherSources: 0 }, disbursements: [{ on: '2024-07-01', amount: 1_000_000_000 }],
    obligations: [{ id: 'progress_report-1', kind: 'progress_report', dueOn: d(-3), status: 'OVERDUE' }, { id: 'progress_report-2', kind: 'progress_report', dueOn: d(1) }] },
];

beforeAll(async () => {
  stack = await startStack({ inProcessWorker: false });
  dir = mkdtempSync(join(tmpdir(), 'khcn-portfolio-'));
  for (const spec of PORTFOLIO) expect(await stack.store.upsertTask(portfolioState(spec))).toBe(true);
});
afterAll(async () => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  await stack?.stop();
});

async function get(path: string, as: Parameters<Stack['call']>[2] extends infer O ? (O extends { as?: infer A } ? A : never) : never = 'manager') {
  const res = await stack.call('GET', `/api/v1/portfolio${path}`, { as });
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: res.headers.get('content-type')?.includes('json') ? await res.json() : Buffer.from(await res.arrayBuffer()) } as { status: number; type: string; body: any };
}
const byKey = (groups: { key: string; name: string; count: number }[]) => Object.fromEntries(groups.map((g) => [g.key, [g.name, g.count]]));

test('§8 counts by level, form and stage: 11 tasks of the Department, the other Department\'s one left out', async () => {
  const { status, body } = await get('/counts');
  expect(status).toBe(200);
  expect(body).toMatchObject({ departmentId: DEPT, asOf: T, total: 11 });
  expect(body.byLevel).toEqual([{ level: 'national', count: 1 }, { level: 'ministerial', count: 1 }, { level: 'provincial', count: 8 }, { level: 'grassroots', count: 1 }]);
  expect(body.byForm).toEqual([{ form: 'research_topic', count: 7 }, { form: 'pilot_production', count: 1 }, { form: 'policy_study', count: 2 }, { form: 'st_project', count: 1 }, { form: 'programme', count: 0 }]);
  const nonZero = Object.fromEntries(body.byStage.filter((s: { count: number }) => s.count).map((s: { stage: string; count: number }) => [s.stage, s.count]));
  expect(nonZero).toEqual({ PROPOSED: 1, IN_PROGRESS: 3, SELF_EVALUATION: 1, ACCEPTANCE_SUBMITTED: 1, ADJUSTMENT_PENDING: 1, SUSPENDED: 1, TERMINATION_PENDING: 1, TERMINATED: 1, ACCEPTANCE_FAILED: 1 });
  expect(body.byStage).toHaveLength(33); // every stage listed, zeros included
});

test('§8 overdue obligations by person, unit and officer: a marked one, one whose timer has not run yet, a Department duty; paused, cancelled and done ones left out', async () => {
  const { body } = await get('/obligations/overdue');
  expect(body.total).toBe(3);
  expect(body.items.map((i: any) => [i.code, i.obligationId, i.dueOn, i.daysOverdue, i.status])).toEqual([
    ['TN-01', 'progress_report-1', d(-10), 10, 'OVERDUE'],
    ['TN-03', 'acceptance_dossier-1', d(-10), 10, 'OPEN'],
    ['TN-11', 'dossier_completeness-1', d(-2), 2, 'OVERDUE'],
  ]);
  expect(byKey(body.byPerson)).toEqual({ [`pi:${HUONG.email}`]: [HUONG.name, 1], [`pi:${BINH.email}`]: [BINH.name, 1], [`officer:${LAN.email}`]: [LAN.name, 1] });
  expect(byKey(body.byUnit)).toEqual({ 'org:org-vien-sinh-hoc': ['Viện Sinh học Nhiệt đới', 2], [`department:${DEPT}`]: ['Sở Khoa học và Công nghệ', 1] });
  expect(byKey(body.byAccountable)).toEqual({ [`officer:${THANG.email}`]: [THANG.name, 2], [`officer:${LAN.email}`]: [LAN.name, 1] });
  expect(body.byUnit[0]).toMatchObject({ key: 'org:org-vien-sinh-hoc', count: 2 }); // most first
  expect(body.items[0]).toMatchObject({ title: 'Nhiệm vụ NV-PFDASH00000001', rule: 'L-13', assignee: 'host', assigneeName: 'Viện Sinh học Nhiệt đới (Nguyễn Thị Hương)', accountable: { name: THANG.name, email: THANG.email } });
  expect((await get('/obligations/overdue?limit=1')).body).toMatchObject({ total: 3, items: [expect.objectContaining({ code: 'TN-01' })] });
});

test('§8 due soon: the rule-set\'s reminder window (7 days) by default, narrower on request; a right (T-2 observations) is not a duty', async () => {
  const { body } = await get('/obligations/due-soon');
  expect(body).toMatchObject({ days: 7, total: 3 });
  expect(body.items.map((i: any) => [i.code, i.kind, i.dueOn, i.daysOverdue])).toEqual([
    ['TN-04', 'suspension_remedy', d(2), -2],
    ['TN-01', 'progress_report', d(3), -3],
    ['TN-02', 'adjustment_decision', d(5), -5],
  ]);
  expect(byKey(body.byPerson)).toEqual({ [`pi:${DUC.email}`]: [DUC.name, 1], [`pi:${HUONG.email}`]: [HUONG.name, 1], [`officer:${LAN.email}`]: [LAN.name, 1] });
  expect(byKey(body.byUnit)).toEqual({ 'org:org-truong-dai-hoc': ['Trường Đại học Tây Ninh', 1], 'org:org-vien-sinh-hoc': ['Viện Sinh học Nhiệt đới', 1], [`department:${DEPT}`]: ['Sở Khoa học và Công nghệ', 1] });
  expect(byKey(body.byAccountable)).toEqual({ [`officer:${LAN.email}`]: [LAN.name, 2], [`officer:${THANG.email}`]: [THANG.name, 1] });
  expect((await get('/obligations/due-soon?days=2')).body.items.map((i: any) => i.code)).toEqual(['TN-04']);
  expect((await get('/obligations/due-soon?days=1')).body).toMatchObject({ days: 1, total: 0, items: [], byPerson: [] });
});

test('§8, A-3 ending soon: within 60 days of the end with neither an extension request nor an acceptance dossier (60 from the rule-set, configurable)', async () => {
  const { body } = await get('/tasks/ending-soon');
  // TN-02 has an extension request, TN-03 ended already, TN-05 is terminated, TN-09 ends on day 61, TN-11 filed its dossier.
  expect(body).toMatchObject({ days: 60, total: 3 });
  expect(body.items.map((i: any) => [i.code, i.stage, i.endOn, i.daysLeft])).toEqual([
    ['TN-04', 'SUSPENDED', d(20), 20],
    ['TN-01', 'IN_PROGRESS', d(30), 30],
    ['TN-08', 'IN_PROGRESS', d(60), 60],
  ]);
  expect(body.items[1]).toMatchObject({ host: VSH, accountableOfficer: { name: THANG.name, email: THANG.email } });
  expect((await get('/tasks/ending-soon?days=90')).body.items.map((i: any) => i.code)).toEqual(['TN-04', 'TN-01', 'TN-08', 'TN-09']);
  expect((await get('/tasks/ending-soon?days=100')).body.total).toBe(5); // TN-10 too: a pending termination may still be declined
});

test('L-18 overdue acceptance dossiers', async () => {
  const { body } = await get('/acceptance-dossiers/overdue');
  expect(body).toMatchObject({ total: 1, items: [expect.objectContaining({ code: 'TN-03', dueOn: d(-10), daysOverdue: 10, person: { key: `pi:${BINH.email}`, name: BINH.name } })] });
});

test('§8 budget approved vs disbursed vs refunded by year, integer VND', async () => {
  const { body } = await get('/budget');
  // 2024: TN-01 approved 1.5 bn + 250 m, TN-05 500 m + 100 m; disbursed 1 bn (TN-01) + 400 m (TN-05).
  // 2025: TN-03 approved 300 m; disbursed 300 m (TN-01) + 200 m (TN-03); TN-05 refunded 100 m.
  expect(body.years).toEqual([
    { year: 2024, approvedState: 2_000_000_000, approvedOther: 350_000_000, disbursed: 1_400_000_000, refunded: 0 },
    { year: 2025, approvedState: 300_000_000, approvedOther: 0, disbursed: 500_000_000, refunded: 100_000_000 },
  ]);
  expect(body.totals).toEqual({ approvedState: 2_300_000_000, approvedOther: 350_000_000, disbursed: 1_900_000_000, refunded: 100_000_000 });
  expect((await get('/budget?fromYear=2025')).body.years.map((y: { year: number }) => y.year)).toEqual([2025]);
  expect((await get('/budget?toYear=2024')).body.totals).toEqual({ approvedState: 2_000_000_000, approvedOther: 350_000_000, disbursed: 1_400_000_000, refunded: 0 });
});

test('access: managers and admins of the Department only; another Department\'s manager sees only its own', async () => {
  for (const who of ['researcher', 'councilMember'] as const) {
    const r = await get('/counts', who);
    expect(r.status).toBe(403);
    expect(r.type).toMatch(/^application\/problem\+json/);
  }
  expect((await get('/counts', null)).status).toBe(401);
  expect((await get('/counts', 'admin')).body.total).toBe(11);
  const otherManager: Caller = { ...stack.users.manager, userId: 'u-manager-la', email: 'tam.vm@skhcn-long-an.example.vn', orgId: 'org-skhcn-long-an', departmentId: OTHER_DEPT };
  expect((await get('/counts', otherManager)).body.total).toBe(1);
  expect((await get('/obligations/overdue', otherManager)).body.items.map((i: any) => i.code)).toEqual(['LA-01']);
  expect((await get('/budget', otherManager)).body.totals.approvedState).toBe(9_000_000_000);
});

test('query parameters: an unknown or malformed one is refused as problem+json naming it, in Vietnamese or English', async () => {
  let r = await get('/counts?department=skhcn-long-an');
  expect(r.status).toBe(400);
  expect(r.type).toMatch(/^application\/problem\+json/);
  expect(r.body).toMatchObject({ in: 'query', errors: [{ field: 'department', code: 'unrecognized_keys', reason: 'Trường không được hỗ trợ.' }] });
  const en = await stack.call('GET', '/api/v1/portfolio/obligations/due-soon?days=soon', { as: 'manager', headers: { 'accept-language': 'en' } });
  expect(en.status).toBe(400);
  expect(((await en.json()) as { errors: unknown[] }).errors).toEqual([expect.objectContaining({ field: 'days', reason: expect.stringMatching(/number/) })]);
  r = await get('/obligations/due-soon?days=0');
  expect(r.body.errors).toEqual([expect.objectContaining({ field: 'days', code: 'too_small' })]);
  // Well-formed parameters that name no range: 400 too, naming the parameter.
  r = await get('/budget?fromYear=2026&toYear=2025');
  expect(r.status).toBe(400);
  expect(r.body.errors).toEqual([expect.objectContaining({ field: 'fromYear', code: 'invalid_range' })]);
  r = await get('/reports/six-month?from=2026-07-01&to=2026-06-30');
  expect([r.status, r.body.errors[0].field]).toEqual([400, 'to']);
  r = await get('/reports/six-month?from=2025-01-01&to=2026-06-30');
  expect([r.status, r.body.errors[0].field, r.body.detail]).toEqual([400, 'to', 'Một báo cáo bao quát tối đa một năm.']);
  r = await get('/reports/six-month?from=2026-01-01');
  expect(r.status).toBe(400);
  expect(r.body.errors).toEqual([expect.objectContaining({ field: 'to' })]);
  r = await get('/reports/six-month?from=2026-07-01&to=2026-02-30&format=doc');
  expect(r.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['format', 'to']);
});

const pdfText = (pdf: Buffer) => {
  const file = join(dir, `report-${Math.random().toString(36).slice(2)}.pdf`);
  writeFileSync(file, pdf);
  return execFileSync('/usr/bin/pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
};

test('§8 six-month report as PDF: figures by level and stage, the stopped task with its grounds, the overdue list, the budget table', async () => {
  const r = await get(`/reports/six-month?from=${d(-60)}&to=${T}&format=pdf`);
  expect(r.status).toBe(200);
  expect(r.type).toBe('application/pdf');
  const text = pdfText(r.body);
  expect(text).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
  expect(text).toContain('SỞ KHOA HỌC VÀ CÔNG NGHỆ');
  expect(text).toContain('Kính gửi: Ủy ban nhân dân tỉnh Tây Ninh');
  // I. By level (columns: Quốc gia, Bộ, Tỉnh, Cơ sở, Tổng) and stage.
  // (A heading may wrap at 13 pt.)
  expect(text.replace(/\s+/g, ' ')).toMatch(/TỔNG HỢP NHIỆM VỤ THEO CẤP QUẢN LÝ VÀ GIAI ĐOẠN \(tổng số: 11\)/);
  expect(text).toMatch(/Đang thực hiện\s+0\s+0\s+3\s+0\s+3\n/);
  expect(text).toMatch(/Tạm dừng\s+1\s+0\s+0\s+0\s+1\n/);
  expect(text).toMatch(/Tự đánh giá\s+0\s+0\s+0\s+1\s+1\n/);
  expect(text).toMatch(/Tổng cộng\s+1\s+1\s+8\s+1\s+11\n/);
  // II. Stopped in the period: TN-05 (terminated on day −20), not TN-07 (day −100).
  expect(text.replace(/\s+/g, ' ')).toMatch(/DỪNG THỰC HIỆN TRONG KỲ \(1\)/);
  expect(text).toMatch(/1\s+TN-05\s+Nhiệm vụ/);
  expect(text).toContain('Không khắc phục vi');
  expect(text).not.toContain('TN-07');
  // III. Overdue.
  expect(text.replace(/\s+/g, ' ')).toMatch(/NGHĨA VỤ QUÁ HẠN \(3\)/);
  for (const code of ['TN-01', 'TN-03', 'TN-11']) expect(text).toContain(code);
  expect(text).not.toContain('LA-01');
  // IV. Budget.
  expect(text).toMatch(/2024\s+2\.000\.000\.000\s+350\.000\.000\s+1\.400\.000\.000\s+0\n/);
  expect(text).toMatch(/2025\s+300\.000\.000\s+0\s+500\.000\.000\s+100\.000\.000\n/);
  expect(text).toMatch(/Tổng cộng\s+2\.300\.000\.000\s+350\.000\.000\s+1\.900\.000\.000\s+100\.000\.000\n/);
  expect(text).toContain('GIÁM ĐỐC');
  expect(text).toMatch(/Mã số liệu \(data hash\): [0-9a-f]{64}/);
});

test('§8 six-month report as XLSX: the same numbers, read back with exceljs', async () => {
  const r = await get(`/reports/six-month?from=${d(-60)}&to=${T}&format=xlsx`);
  expect(r.status).toBe(200);
  expect(r.type).toMatch(/spreadsheetml/);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(r.body);
  const rows = (sheet: string) => {
    const out: unknown[][] = [];
    wb.getWorksheet(sheet)!.eachRow((row) => out.push((row.values as unknown[]).slice(1)));
    return out;
  };
  const summary = rows('Tổng hợp');
  expect(summary.find((x) => x[1] === 'IN_PROGRESS')).toEqual(['Đang thực hiện', 'IN_PROGRESS', 0, 0, 3, 0, 3]);
  expect(summary.find((x) => x[1] === 'SUSPENDED')).toEqual(['Tạm dừng', 'SUSPENDED', 1, 0, 0, 0, 1]);
  expect(summary.find((x) => x[0] === 'Tổng cộng')).toEqual(['Tổng cộng', '', 1, 1, 8, 1, 11]);
  const stopped = rows('Dừng thực hiện').filter((x) => typeof x[0] === 'number');
  expect(stopped).toEqual([[1, 'TN-05', 'Nhiệm vụ NV-PFDASH00000005', 'Tỉnh', 'Chấm dứt hợp đồng', 'TERMINATED', 'T-2', d(-20), 'Không khắc phục vi phạm (theo đề xuất của Sở, nguyên nhân chủ quan)']]);
  const overdue = rows('Quá hạn').filter((x) => typeof x[0] === 'number');
  expect(overdue.map((x) => [x[1], x[8], x[9]])).toEqual([['TN-01', d(-10), 10], ['TN-03', d(-10), 10], ['TN-11', d(-2), 2]]);
  const budget = rows('Kinh phí');
  expect(budget.find((x) => x[0] === 2024)).toEqual([2024, 2_000_000_000, 350_000_000, 1_400_000_000, 0]);
  expect(budget.find((x) => x[0] === 2025)).toEqual([2025, 300_000_000, 0, 500_000_000, 100_000_000]);
  expect(budget.find((x) => x[0] === 'Tổng cộng')).toEqual(['Tổng cộng', 2_300_000_000, 350_000_000, 1_900_000_000, 100_000_000]);
});

test('the portfolio operations are in the OpenAPI document with their query parameters', async () => {
  const doc: any = await (await stack.call('GET', '/api/v1/openapi.json', { as: null })).json();
  const params = (p: string) => doc.paths[`/api/v1/portfolio${p}`].get.parameters.filter((x: { in: string }) => x.in === 'query').map((x: { name: string }) => x.name);
  // Issue 11: every list also downloads as a file (format=csv|xlsx).
  expect(params('/obligations/due-soon')).toEqual(['days', 'limit', 'format']);
  expect(params('/tasks/ending-soon')).toEqual(['days', 'format']);
  expect(params('/budget')).toEqual(['fromYear', 'toYear', 'format']);
  expect(params('/timeline')).toEqual(['from', 'to', 'limit', 'format']);
  expect(Object.keys(doc.paths['/api/v1/portfolio/refunds'].get.responses[200].content)).toEqual(['application/json', 'text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet']);
  expect(params('/reports/six-month')).toEqual(['from', 'to', 'format']);
  expect(Object.keys(doc.paths['/api/v1/portfolio/reports/six-month'].get.responses[200].content)).toEqual(['application/pdf', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet']);
});
