/**
 * Import of the running portfolio, without services: the template reads back
 * valid (CSV and XLSX alike), bad rows are named by row, column and reason,
 * rule-breaking rows are refused with the rule, and an imported row becomes a
 * lifecycle state in its current stage with the obligations still ahead.
 */
import { join } from 'node:path';
import { loadConfig } from '../../activities/config';
import { IMPORT_ACTOR, ImportFileError, readImportFile, validateRows } from '../../activities/portfolio/import';
import { budgetByYear, obligationDocs, taskPortfolioFields } from '../../activities/portfolio/projection';
import { importedTaskId } from '../../activities/ids';
import { initialState, IMPORTED_EVIDENCE } from '../../workflows/lifecycle-state';
import { EXAMPLE_ROWS } from '../../scripts/make-import-template';

const config = loadConfig({ AUTH_JWT_SECRET: 'x'.repeat(32) });
const importedAt = '2026-12-01T03:00:00.000Z'; // 10:00 on 1 December 2026 in Vietnam
const TEMPLATE = join(__dirname, '..', '..', 'templates', 'import', 'danh-muc-nhiem-vu');
const csv = (lines: string[]) => ({ name: 'x.csv', data: Buffer.from(lines.join('\n')) });
const HEADER = Object.keys(EXAMPLE_ROWS[0]!).join(',');
const row = (over: Record<string, string>) => Object.keys(EXAMPLE_ROWS[0]!).map((k) => {
  const v = over[k] ?? EXAMPLE_ROWS[0]![k] ?? '';
  return /[",;\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}).join(',');
const check = async (file: Parameters<typeof readImportFile>[0]) => validateRows(await readImportFile(file), { config, importedAt, by: IMPORT_ACTOR });

test('the committed template (XLSX and CSV) reads back to the same three valid rows', async () => {
  const fromXlsx = await readImportFile(`${TEMPLATE}.xlsx`);
  const fromCsv = await readImportFile(`${TEMPLATE}.csv`);
  expect(fromXlsx.map((r) => r.values)).toEqual(fromCsv.map((r) => r.values));
  expect(fromXlsx.map((r) => r.row)).toEqual([2, 3, 4]);
  const checked = validateRows(fromXlsx, { config, importedAt, by: IMPORT_ACTOR });
  expect(checked.map((c) => [c.row, c.code, c.errors ?? c.refusal ?? c.input!.imported!.stage])).toEqual([
    [2, 'ĐTCT.2025.05', 'IN_PROGRESS'],
    [3, 'ĐTCS.2026.02', 'CONTRACTED'],
    [4, 'DA.2026.01', 'APPROVED'],
  ]);
  // Vietnamese labels are accepted for the header and for coded values.
  const labelled = csv(['Mã nhiệm vụ,' + HEADER.split(',').slice(1).join(','), row({ level: 'Cấp tỉnh', form: 'Đề tài', stage: 'Đang thực hiện', fundingMode: 'Khoán từng phần', assignment: 'Tuyển chọn' })]);
  expect((await check(labelled))[0]!.input!.proposal).toMatchObject({ level: 'provincial', form: 'research_topic' });
});

test('bad rows are reported with row number, column and reason; a duplicate code is refused on its second row', async () => {
  const checked = await check(
    csv([
      HEADER,
      row({ code: 'A-1', approvedOn: '2025-02-30', piEmail: 'không-phải-email', stateBudget: '1,5 tỷ', disbursements: '2025-04-15 900000000' }),
      // Checks across columns (run once every column is well-formed on its own).
      row({ code: 'A-2', officerName: 'Trần Đức Thắng', officerEmail: '', contractEndOn: '2025-03-01' }),
      row({ code: 'A-3', stage: 'ARCHIVED', level: 'district' }),
      row({ code: 'a-3 ', stage: 'APPROVED', contractStartOn: '', contractEndOn: '', disbursements: '', reportsFiledOn: '', inspectionsOn: '' }),
      '',
      row({ code: 'A-3' }),
    ]),
  );
  const errs = (i: number) => checked[i]!.errors!.map((e) => e.column).sort();
  expect(checked.map((c) => c.row)).toEqual([2, 3, 4, 5, 7]); // the blank line 6 is no row
  expect(errs(0)).toEqual(['approvedOn', 'disbursements', 'piEmail', 'stateBudget']);
  expect(checked[0]!.errors!.find((e) => e.column === 'stateBudget')!.reason).toMatch(/Số nguyên đồng/);
  expect(errs(1)).toEqual(['contractEndOn', 'officerEmail']);
  expect(checked[1]!.errors!.find((e) => e.column === 'contractEndOn')!.reason).toMatch(/sau ngày bắt đầu hợp đồng/);
  expect(errs(2)).toEqual(['level', 'stage']);
  expect(checked[2]!.errors!.find((e) => e.column === 'stage')!.reason).toMatch(/APPROVED.*CONTRACTED.*IN_PROGRESS.*SELF_EVALUATION/);
  expect(checked[3]!.input).toBeDefined(); // "a-3 " is A-3 for the task ID…
  expect(checked[4]!.errors).toEqual([{ column: 'code', reason: 'Trùng mã với dòng 5 / same code as row 5' }]); // …so the later A-3 is a duplicate
  expect(importedTaskId(config.DEPARTMENT_ID, 'a-3 ')).toBe(importedTaskId(config.DEPARTMENT_ID, 'A-3'));
});

test('rows the lifecycle rules refuse: over the budget (L-12), a disbursed CONTRACTED task (L-12), an extension over its cap (A-3), more reports than periods (L-13)', async () => {
  const checked = await check(
    csv([
      HEADER,
      row({ code: 'R-1', disbursements: '2025-04-15: 1.000.000.000; 2026-01-20: 600.000.000' }),
      row({ code: 'R-2', stage: 'CONTRACTED' }),
      row({ code: 'R-3', extensionMonths: '13', contractEndOn: '2028-03-31' }),
      row({ code: 'R-4', reportsFiledOn: '2025-10-01; 2026-04-01; 2026-10-01; 2026-11-30' }),
      row({ code: 'R-5', stage: 'APPROVED', inspectionsOn: '' }),
      row({ code: 'R-6', disbursements: '' }),
      row({ code: 'R-7', inspectionsOn: '2025-10-01; 2026-04-01; 2026-11-01' }),
    ]),
  );
  expect(checked.map((c) => [c.code, c.refusal?.rule])).toEqual([['R-1', 'L-12'], ['R-2', 'L-12'], ['R-3', 'A-3'], ['R-4', 'L-13'], ['R-5', 'L-11'], ['R-6', 'L-12'], ['R-7', 'L-13']]);
  expect(checked[6]!.refusal!.vi).toBe('Hợp đồng có 2 lần kiểm tra định kỳ theo kế hoạch; dữ liệu ghi 3 lần.');
  expect(checked[0]!.refusal!.vi).toBe('Tổng cấp 1.600.000.000 đồng vượt kinh phí NSNN được duyệt 1.500.000.000 đồng.');
  expect(checked[2]!.refusal!.en).toMatch(/at most 12 months/);
  expect(checked[3]!.refusal!.vi).toMatch(/có 3 kỳ báo cáo định kỳ; dữ liệu ghi 4/);
});

test('a file whose header is wrong is refused whole', async () => {
  await expect(readImportFile(csv(['code,title,colour', 'A,B,red']))).rejects.toThrow(ImportFileError);
  await expect(readImportFile(csv(['code,title,colour', 'A,B,red']))).rejects.toMatchObject({
    issues: expect.arrayContaining([expect.stringMatching(/Cột 3 "colour": không có trong mẫu/), expect.stringMatching(/Thiếu cột bắt buộc "level"/)]),
  });
  await expect(readImportFile({ name: 'x.pdf', data: Buffer.from('') })).rejects.toThrow(/\.csv hoặc \.xlsx/);
});

test('an imported IN_PROGRESS task starts in its stage: reports filed and inspections held are DONE, missed ones OVERDUE (no escalation), the rest and the dossier OPEN (L-13, L-18)', async () => {
  const [c] = validateRows((await readImportFile(`${TEMPLATE}.csv`)).slice(0, 1), { config, importedAt, by: IMPORT_ACTOR });
  const input = c!.input!;
  expect(input.taskId).toBe(importedTaskId(config.DEPARTMENT_ID, 'ĐTCT.2025.05'));
  const s = initialState(input, `task-${input.taskId}`);
  expect(s).toMatchObject({
    stage: 'IN_PROGRESS', version: 1, assignment: 'competitive_selection',
    host: { orgId: 'org-vien-sinh-hoc', orgName: 'Viện Sinh học Nhiệt đới', pi: { name: 'Nguyễn Thị Hương', email: 'huong.nt@vien-sinh-hoc.example.vn' } },
    accountableOfficer: { name: 'Trần Đức Thắng', email: 'thang.td@skhcn.example.vn' },
    approval: { approvedOn: '2025-03-15', durationMonths: 24, fundingMode: 'partial_lump_sum' },
    contract: { startOn: '2025-04-01', endOn: '2027-03-31', originalEndOn: '2027-03-31' },
    funds: { approvedState: 1_500_000_000, approvedOther: 250_000_000, disbursed: 1_300_000_000, refunded: 0 },
    imported: { code: 'ĐTCT.2025.05', importedAt },
    documents: [],
  });
  expect(s.reports).toEqual([
    { period: 1, dueOn: '2025-10-01', submittedAt: '2025-10-02T17:00:00.000Z', late: true },
    { period: 2, dueOn: '2026-04-01' },
    { period: 3, dueOn: '2026-10-01' },
  ]);
  expect(s.obligations.map((o) => [o.id, o.rule, o.dueOn, o.status, o.evidence ?? null])).toEqual([
    ['progress_report-1', 'L-13', '2025-10-01', 'DONE', IMPORTED_EVIDENCE],
    ['progress_report-2', 'L-13', '2026-04-01', 'OVERDUE', null],
    ['progress_report-3', 'L-13', '2026-10-01', 'OVERDUE', null],
    // The Department's yearly inspections: the one held in June 2026 is met, the last falls on the contract end.
    ['inspection-1', 'L-13', '2026-04-01', 'DONE', IMPORTED_EVIDENCE],
    ['inspection-2', 'L-13', '2027-03-31', 'OPEN', null],
    ['acceptance_dossier-1', 'L-18', '2027-04-30', 'OPEN', null],
  ]);
  expect(s.obligations.every((o) => !o.escalated && o.accountable?.name === 'Trần Đức Thắng')).toBe(true);
  expect(new Set(s.obligations.map((o) => `${o.assignee}: ${o.assigneeName}`))).toEqual(new Set(['host: Viện Sinh học Nhiệt đới (Nguyễn Thị Hương)', 'department: Trần Đức Thắng']));
  expect(s.timeline).toEqual([
    expect.objectContaining({ at: importedAt, stage: 'IN_PROGRESS', rule: 'IMPORT', action: 'imported', by: IMPORT_ACTOR, note: expect.stringContaining('mã ĐTCT.2025.05') }),
  ]);
  expect(s.timeline[0]!.note).toContain('đã cấp 1.300.000.000 đồng; đã nộp 1 báo cáo định kỳ');
  expect(taskPortfolioFields(s)).toMatchObject({ code: 'ĐTCT.2025.05', endOn: '2027-03-31', executing: true, extensionRequested: false, acceptanceDossierFiled: false });
  expect(obligationDocs(s).filter((o) => o.track === 'overdue').map((o) => o.obligationId)).toEqual(['progress_report-2', 'progress_report-3']);
  expect(taskPortfolioFields(s).budgetByYear).toEqual([
    { year: 2025, approvedState: 1_500_000_000, approvedOther: 250_000_000, disbursed: 900_000_000, refunded: 0 },
    { year: 2026, approvedState: 0, approvedOther: 0, disbursed: 400_000_000, refunded: 0 },
  ]);
});

test('an imported APPROVED task owes its contract signature (L-11); an extension already granted is on record and blocks another (A-3)', async () => {
  const rows = await readImportFile(`${TEMPLATE}.csv`);
  const [approved] = validateRows(rows.slice(2, 3), { config, importedAt, by: IMPORT_ACTOR });
  const s = initialState(approved!.input!, 'task-x');
  expect(s.stage).toBe('APPROVED');
  expect(s.contract).toBeUndefined();
  expect(s.obligations.map((o) => [o.kind, o.rule, o.dueOn, o.status])).toEqual([['contract_signing', 'L-11', '2026-12-20', 'OPEN']]);

  const [extended] = validateRows([{ row: 2, values: { ...rows[0]!.values, contractEndOn: '2028-03-31', extensionMonths: '12' } }], { config, importedAt, by: IMPORT_ACTOR });
  const e = initialState(extended!.input!, 'task-y');
  expect(e.contract).toMatchObject({ endOn: '2028-03-31', originalEndOn: '2027-03-31' });
  expect(e.extensionsGranted).toBe(1);
  expect(e.adjustments).toEqual([expect.objectContaining({ kind: 'A-3', decision: 'approved', details: { months: 12, imported: true } })]);
  expect(e.reports.map((r) => r.dueOn)).toEqual(['2025-10-01', '2026-04-01', '2026-10-01', '2027-04-01', '2027-10-01']);
  expect(taskPortfolioFields(e).extensionRequested).toBe(true);
});

test('budget by year: approved in the approval year, disbursed and refunded when they happened; undated refunds in the year the task stopped', () => {
  const values = Object.fromEntries(Object.entries(EXAMPLE_ROWS[0]!).filter(([, v]) => v !== ''));
  const s = initialState(validateRows([{ row: 2, values }], { config, importedAt, by: IMPORT_ACTOR })[0]!.input!, 'task-z');
  s.funds.refunded = 150_000_000;
  s.funds.refunds = [{ on: '2026-03-01', amount: 100_000_000 }];
  expect(budgetByYear(s, '2027-01-15')).toEqual([
    { year: 2025, approvedState: 1_500_000_000, approvedOther: 250_000_000, disbursed: 900_000_000, refunded: 0 },
    { year: 2026, approvedState: 0, approvedOther: 0, disbursed: 400_000_000, refunded: 100_000_000 },
    { year: 2027, approvedState: 0, approvedOther: 0, disbursed: 0, refunded: 50_000_000 },
  ]);
});

test('a cell of text is held to the API\'s rule for text (issue 15): no control character, no lone surrogate, something visible', () => {
  const values = (async () => (await readImportFile(`${TEMPLATE}.csv`))[0]!.values)();
  return values.then((v) => {
    const checked = validateRows(
      [
        { row: 2, values: { ...v, code: 'T-1', title: 'Đề tài\u0007 mới' } },
        { row: 3, values: { ...v, code: 'T-2', piName: 'Nguyễn \ud800' } },
        { row: 4, values: { ...v, code: 'T-3', hostOrgName: '\u200b\u200c' } },
        { row: 5, values: { ...v, code: 'T-4', objectives: 'Mục tiêu 1\nMục tiêu 2' } },
      ],
      { config, importedAt, by: IMPORT_ACTOR },
    );
    expect(checked[0]!.errors).toEqual([{ column: 'title', reason: expect.stringMatching(/ký tự điều khiển .* control character/) }]);
    expect(checked[1]!.errors).toEqual([{ column: 'piName', reason: expect.stringMatching(/lone surrogate/) }]);
    expect(checked[2]!.errors).toEqual([{ column: 'hostOrgName', reason: expect.stringMatching(/invisible/) }]);
    expect(checked[3]!.input).toBeDefined(); // a multi-line field keeps its line breaks
  });
});
