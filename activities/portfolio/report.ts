/**
 * The six-month portfolio report the Department sends the province (domain.md
 * §8): figures by level and stage, the tasks stopped in the period and why, the
 * overdue list, and the budget by year. One data object, built from the
 * portfolio queries, is rendered both as a PDF in the Vietnamese administrative
 * layout (pdf.ts helpers) and as an XLSX workbook (exceljs), so both carry the
 * same numbers; the PDF is stamped with the hash of that data.
 */
import ExcelJS from 'exceljs';
import { TASK_LEVELS, type IsoDate, type TaskStage } from '../../workflows/definitions';
import { addDays, daysBetween, minDate } from '../../workflows/rules/calendar';
import { formatDateVi, stateHash } from '../documents/format';
import { plainText } from '../documents/plain-text';
import { issuingBodyOf } from '../documents/council-documents';
import {
  contentBox,
  createPdfDocument,
  drawAdministrativeHeader,
  drawClosing,
  drawPageFurniture,
  drawParagraph,
  drawSectionHeading,
  drawSignatureAndDistribution,
  ensureSpace,
  nfc,
  PDF_FONT,
  PDF_TEXT_SIZE,
  pdfToBuffer,
  TASK_LEVEL_LABELS_VI,
  useFont,
  type PdfDoc,
} from '../documents/pdf';
import { formatVnd as groupVnd } from '../../workflows/rules/money';
import type { BudgetYear } from './projection';
import type { ObligationItem, PortfolioQueries, StoppedItem } from './queries';
import { LEVEL_SHORT_VI, STAGE_LABELS_VI, STOP_LABELS_VI } from './labels';

export interface SixMonthReport {
  reportId: string;
  departmentId: string;
  departmentName: string;
  place: string;
  from: IsoDate;
  to: IsoDate;
  /** ISO timestamp the figures were read at; the stage counts and overdue list are as of then. */
  generatedAt: string;
  generatedOn: IsoDate;
  levels: string[];
  /** One row per stage with at least one task, main path first. */
  stages: { stage: TaskStage; label: string; byLevel: number[]; total: number }[];
  levelTotals: number[];
  total: number;
  stopped: StoppedItem[];
  /** Duties due on or before the period's end and still outstanding on the report date. */
  overdue: ObligationItem[];
  overdueTotal: number;
  budget: { years: BudgetYear[]; totals: Omit<BudgetYear, 'year'> };
}

/** The overdue list is printed in full up to this many lines (the total is always stated). */
export const REPORT_OVERDUE_LIMIT = 500;

export async function buildSixMonthReport(
  q: PortfolioQueries,
  o: { departmentId: string; departmentName: string; place: string; from: IsoDate; to: IsoDate; generatedAt: string; today: IsoDate },
): Promise<SixMonthReport> {
  const dueBefore = minDate(o.today, addDays(o.to, 1));
  const [counts, stopped, overdue, budget] = await Promise.all([
    q.counts(o.departmentId, o.to),
    q.stoppedBetween(o.departmentId, o.from, o.to),
    q.overdueObligations(o.departmentId, dueBefore, o.today, REPORT_OVERDUE_LIMIT),
    q.budget(o.departmentId, undefined, Number(o.to.slice(0, 4))),
  ]);
  const levels = [...TASK_LEVELS];
  const stages = counts.byStage
    .filter((s) => s.count > 0)
    .map((s) => {
      const byLevel = levels.map((l) => counts.byLevelStage.find((x) => x.stage === s.stage && x.level === l)?.count ?? 0);
      return { stage: s.stage, label: STAGE_LABELS_VI[s.stage], byLevel, total: s.count };
    });
  return {
    reportId: `BC6T-${o.departmentId}-${o.from}-${o.to}`,
    departmentId: o.departmentId,
    departmentName: o.departmentName,
    place: o.place,
    from: o.from,
    to: o.to,
    generatedAt: o.generatedAt,
    generatedOn: o.today,
    levels,
    stages,
    levelTotals: levels.map((l) => counts.byLevel.find((x) => x.level === l)?.count ?? 0),
    total: counts.total,
    stopped,
    overdue: overdue.items,
    overdueTotal: overdue.total,
    budget,
  };
}

const levelHeader = (l: string) => LEVEL_SHORT_VI[l] ?? l;
const vnd = (n: number) => groupVnd(n);
const stopLabel = (s: string) => STOP_LABELS_VI[s as TaskStage] ?? s;

// ---------------------------------------------------------------------------------------------
// PDF
// ---------------------------------------------------------------------------------------------

interface Column {
  header: string;
  /** Share of the table width; the shares add up to 1. */
  width: number;
  align?: 'left' | 'center' | 'right';
}

/** A ruled table; rows are kept whole, a page break repeats the header; `bold` rows (totals) in bold. */
function drawReportTable(doc: PdfDoc, columns: Column[], rows: { cells: string[]; bold?: boolean }[]): void {
  const { left, right } = contentBox(doc);
  const width = right - left;
  const pad = 3;
  const size = PDF_TEXT_SIZE.small - 1.5;
  const xs: number[] = [];
  let acc = left;
  for (const c of columns) {
    xs.push(acc);
    acc += c.width * width;
  }
  const widths = columns.map((c) => c.width * width);
  const heightOf = (cells: string[], bold: boolean) => {
    useFont(doc, bold ? PDF_FONT.bold : PDF_FONT.regular, size);
    return Math.max(...cells.map((cell, i) => doc.heightOfString(nfc(cell), { width: widths[i]! - 2 * pad }))) + 2 * pad;
  };
  const drawRow = (cells: string[], bold: boolean, header = false) => {
    const h = heightOf(cells, bold);
    const y = doc.y;
    doc.save().lineWidth(0.5).strokeColor('#000000');
    cells.forEach((_, i) => doc.rect(xs[i]!, y, widths[i]!, h).stroke());
    doc.restore();
    useFont(doc, bold ? PDF_FONT.bold : PDF_FONT.regular, size);
    cells.forEach((cell, i) => doc.text(nfc(cell), xs[i]! + pad, y + pad, { width: widths[i]! - 2 * pad, align: header ? 'center' : columns[i]!.align ?? 'left' }));
    doc.x = left;
    doc.y = y + h;
  };
  const header = columns.map((c) => c.header);
  ensureSpace(doc, heightOf(header, true) + (rows[0] ? heightOf(rows[0].cells, Boolean(rows[0].bold)) : 0));
  drawRow(header, true, true);
  for (const row of rows) {
    if (doc.y + heightOf(row.cells, Boolean(row.bold)) > doc.page.maxY()) {
      doc.addPage();
      drawRow(header, true, true);
    }
    drawRow(row.cells, Boolean(row.bold));
  }
  doc.y += 8;
  doc.x = left;
  useFont(doc, PDF_FONT.regular, PDF_TEXT_SIZE.body);
}

/** Ủy ban nhân dân of the province the Department reports to, from its name. */
function provinceOf(departmentName: string): string {
  const parent = issuingBodyOf(departmentName).parentBody;
  return parent ? parent.replace(/^UBND/u, 'Ủy ban nhân dân') : 'Ủy ban nhân dân tỉnh';
}

export async function renderSixMonthReportPdf(r: SixMonthReport): Promise<Buffer> {
  const hash = stateHash(r);
  const doc = createPdfDocument({
    title: `Báo cáo tình hình thực hiện nhiệm vụ KH&CN 6 tháng (${formatDateVi(r.from)} – ${formatDateVi(r.to)})`,
    creationDate: r.generatedAt,
    author: r.departmentName,
    subject: `Báo cáo 6 tháng ${r.from} – ${r.to}`,
    keywords: [r.reportId, 'báo cáo 6 tháng', 'nhiệm vụ KH&CN'],
  });
  drawAdministrativeHeader(doc, {
    ...issuingBodyOf(r.departmentName),
    number: '        /BC-SKHCN',
    place: r.place,
    date: r.generatedAt,
    title: 'BÁO CÁO',
    subtitle: `Tình hình thực hiện nhiệm vụ khoa học và công nghệ 6 tháng\n(từ ngày ${formatDateVi(r.from)} đến ngày ${formatDateVi(r.to)})`,
  });
  const box = contentBox(doc);
  useFont(doc, PDF_FONT.regular, PDF_TEXT_SIZE.body);
  doc.text(nfc(`Kính gửi: ${provinceOf(r.departmentName)}`), box.left, doc.y, { width: box.width, align: 'center' });
  doc.y += 8;
  drawParagraph(
    doc,
    `${r.departmentName} báo cáo tình hình thực hiện các nhiệm vụ khoa học và công nghệ do Sở quản lý, theo nguyên tắc "5 rõ" ` +
      `(rõ người, rõ việc, rõ tiến độ, rõ trách nhiệm, rõ kết quả). Số nhiệm vụ theo giai đoạn và danh sách quá hạn tính đến ngày ` +
      `${formatDateVi(r.generatedOn)}; kinh phí tính theo năm phê duyệt, năm cấp và năm thu hồi.`,
  );

  const levelShare = 0.11;
  drawSectionHeading(doc, `I. TỔNG HỢP NHIỆM VỤ THEO CẤP QUẢN LÝ VÀ GIAI ĐOẠN (tổng số: ${r.total})`);
  drawReportTable(
    doc,
    [{ header: 'Giai đoạn', width: 1 - levelShare * (r.levels.length + 1) }, ...r.levels.map((l) => ({ header: levelHeader(l), width: levelShare, align: 'right' as const })), { header: 'Tổng', width: levelShare, align: 'right' }],
    [
      ...r.stages.map((s) => ({ cells: [s.label, ...s.byLevel.map(String), String(s.total)] })),
      { cells: ['Tổng cộng', ...r.levelTotals.map(String), String(r.total)], bold: true },
    ],
  );

  drawSectionHeading(doc, `II. NHIỆM VỤ DỪNG THỰC HIỆN TRONG KỲ (${r.stopped.length})`);
  if (!r.stopped.length) drawParagraph(doc, 'Trong kỳ không có nhiệm vụ nào dừng thực hiện.');
  else
    drawReportTable(
      doc,
      [
        { header: 'TT', width: 0.05, align: 'right' },
        { header: 'Mã', width: 0.16 },
        { header: 'Tên nhiệm vụ', width: 0.22 },
        { header: 'Tình trạng', width: 0.17 },
        { header: 'Ngày', width: 0.12, align: 'center' },
        { header: 'Căn cứ, lý do', width: 0.28 },
      ],
      r.stopped.map((s, i) => ({ cells: [String(i + 1), s.code, s.title, stopLabel(s.stoppedStage), formatDateVi(s.stoppedOn), s.stopGrounds] })),
    );

  drawSectionHeading(doc, `III. NHIỆM VỤ CHẬM TIẾN ĐỘ: NGHĨA VỤ QUÁ HẠN (${r.overdueTotal})`);
  if (!r.overdueTotal) drawParagraph(doc, 'Không có nghĩa vụ nào quá hạn.');
  else {
    drawReportTable(
      doc,
      [
        { header: 'TT', width: 0.05, align: 'right' },
        { header: 'Mã', width: 0.16 },
        { header: 'Nhiệm vụ', width: 0.16 },
        { header: 'Nội dung (rõ việc)', width: 0.15 },
        { header: 'Người thực hiện (rõ người)', width: 0.16 },
        { header: 'Hạn', width: 0.12, align: 'center' },
        { header: 'Số ngày', width: 0.08, align: 'right' },
        { header: 'Cán bộ theo dõi', width: 0.12 },
      ],
      r.overdue.map((o, i) => ({ cells: [String(i + 1), o.code, o.title, plainText(o.deliverable.vi), o.assigneeName, formatDateVi(o.dueOn), String(o.daysOverdue), o.accountable.name] })),
    );
    if (r.overdueTotal > r.overdue.length) drawParagraph(doc, `(Liệt kê ${r.overdue.length}/${r.overdueTotal} nghĩa vụ quá hạn sớm nhất; danh sách đầy đủ trong tệp XLSX và trên hệ thống.)`);
  }

  const t = r.budget.totals;
  const budget = (doc: PdfDoc) => {
  drawSectionHeading(doc, 'IV. KINH PHÍ THEO NĂM (đồng)');
  if (!r.budget.years.length) drawParagraph(doc, 'Chưa có số liệu kinh phí.');
  else
    drawReportTable(
      doc,
      [
        { header: 'Năm', width: 0.16, align: 'center' },
        { header: 'Phê duyệt (NSNN)', width: 0.21, align: 'right' },
        { header: 'Phê duyệt (nguồn khác)', width: 0.21, align: 'right' },
        { header: 'Đã cấp (NSNN)', width: 0.21, align: 'right' },
        { header: 'Đã thu hồi', width: 0.21, align: 'right' },
      ],
      [
        ...r.budget.years.map((y) => ({ cells: [String(y.year), vnd(y.approvedState), vnd(y.approvedOther), vnd(y.disbursed), vnd(y.refunded)] })),
        { cells: ['Tổng cộng', vnd(t.approvedState), vnd(t.approvedOther), vnd(t.disbursed), vnd(t.refunded)], bold: true },
      ],
    );
  };

  drawClosing(doc, budget, (d) =>
    drawSignatureAndDistribution(d, {
      signer: { title: 'GIÁM ĐỐC', note: '(Ký, ghi rõ họ tên, đóng dấu)', name: ' ' },
      distribution: [`${provinceOf(r.departmentName)} (để báo cáo);`, 'Bộ Khoa học và Công nghệ (để báo cáo);', 'Lưu: VT, QLKH.'],
    }),
  );
  // The small machine line: the hash of the report's data and its ID; page numbers from page 2.
  drawPageFurniture(doc, `Mã số liệu (data hash): ${hash} · Báo cáo: ${r.reportId}`);
  return pdfToBuffer(doc);
}

// ---------------------------------------------------------------------------------------------
// XLSX
// ---------------------------------------------------------------------------------------------

export const XLSX_SHEETS = { summary: 'Tổng hợp', stopped: 'Dừng thực hiện', overdue: 'Quá hạn', budget: 'Kinh phí' } as const;
const MONEY_FORMAT = '#,##0';

export async function renderSixMonthReportXlsx(r: SixMonthReport): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = r.departmentName;
  wb.created = new Date(r.generatedAt);
  wb.title = `Báo cáo 6 tháng ${r.from} – ${r.to}`;
  const title = (ws: ExcelJS.Worksheet, text: string) => {
    ws.addRow([text]).font = { bold: true, size: 13 };
    ws.addRow([`${r.departmentName} · từ ngày ${formatDateVi(r.from)} đến ngày ${formatDateVi(r.to)} · số liệu ngày ${formatDateVi(r.generatedOn)}`]);
    ws.addRow([]);
  };
  const header = (ws: ExcelJS.Worksheet, cells: string[]) => {
    const row = ws.addRow(cells);
    row.font = { bold: true };
    row.alignment = { wrapText: true, vertical: 'middle' };
  };

  const s = wb.addWorksheet(XLSX_SHEETS.summary);
  title(s, 'I. Tổng hợp nhiệm vụ theo cấp quản lý và giai đoạn');
  header(s, ['Giai đoạn', 'Mã giai đoạn', ...r.levels.map((l) => TASK_LEVEL_LABELS_VI[l as keyof typeof TASK_LEVEL_LABELS_VI] ?? l), 'Tổng']);
  for (const st of r.stages) s.addRow([st.label, st.stage, ...st.byLevel, st.total]);
  s.addRow(['Tổng cộng', '', ...r.levelTotals, r.total]).font = { bold: true };
  s.columns.forEach((c, i) => (c.width = i === 0 ? 36 : i === 1 ? 26 : 12));

  const d = wb.addWorksheet(XLSX_SHEETS.stopped);
  title(d, 'II. Nhiệm vụ dừng thực hiện trong kỳ');
  header(d, ['TT', 'Mã nhiệm vụ', 'Tên nhiệm vụ', 'Cấp', 'Tình trạng', 'Mã giai đoạn', 'Quy định', 'Ngày', 'Căn cứ, lý do']);
  r.stopped.forEach((x, i) => d.addRow([i + 1, x.code, x.title, levelHeader(x.level), stopLabel(x.stoppedStage), x.stoppedStage, x.stopRule, x.stoppedOn, x.stopGrounds]));
  d.columns.forEach((c, i) => (c.width = [5, 18, 50, 10, 28, 24, 8, 12, 60][i] ?? 12));

  const o = wb.addWorksheet(XLSX_SHEETS.overdue);
  title(o, `III. Nghĩa vụ quá hạn (${r.overdueTotal})`);
  header(o, ['TT', 'Mã nhiệm vụ', 'Tên nhiệm vụ', 'Nội dung', 'Quy định', 'Người thực hiện', 'Đơn vị', 'Cán bộ theo dõi', 'Hạn', 'Số ngày quá hạn']);
  r.overdue.forEach((x, i) => o.addRow([i + 1, x.code, x.title, x.deliverable.vi, x.rule, x.assigneeName, x.unit.name, x.accountable.name, x.dueOn, x.daysOverdue]));
  o.columns.forEach((c, i) => (c.width = [5, 18, 40, 30, 8, 30, 30, 24, 12, 10][i] ?? 12));

  const b = wb.addWorksheet(XLSX_SHEETS.budget);
  title(b, 'IV. Kinh phí theo năm (đồng)');
  header(b, ['Năm', 'Phê duyệt (NSNN)', 'Phê duyệt (nguồn khác)', 'Đã cấp (NSNN)', 'Đã thu hồi']);
  for (const y of r.budget.years) b.addRow([y.year, y.approvedState, y.approvedOther, y.disbursed, y.refunded]);
  const t = r.budget.totals;
  b.addRow(['Tổng cộng', t.approvedState, t.approvedOther, t.disbursed, t.refunded]).font = { bold: true };
  b.columns.forEach((c, i) => {
    c.width = i === 0 ? 12 : 22;
    if (i > 0) c.numFmt = MONEY_FORMAT;
  });

  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Days in the report period, both ends counted. */
export const periodDays = (from: IsoDate, to: IsoDate) => daysBetween(from, to) + 1;
