/**
 * Import of the portfolio the Department already runs (issue 7): one row per
 * task in a CSV or XLSX file (templates/import/), every row validated, and each
 * valid row started as the task's lifecycle workflow directly in its current
 * stage (TaskLifecycleInput.imported). A row is imported whole or not at all:
 * its only effect is the workflow start, which writes the read models itself.
 * The task ID derives from the Department and the task's own code, so a second
 * run of the same file starts nothing and reports "already imported".
 */
import { linesFor, textFault, textFaultReason } from '../../workflows/rules/text';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { z } from 'zod';
import { readSheet, SheetFileError, type SheetRow } from '../sheets';
import { errorMap } from '../validation/messages';
import { importedTaskId } from '../ids';
import type { Config } from '../config';
import { ruleSetOf } from '../config';
import type { Store } from '../store';
import {
  IMPORTABLE_STAGES,
  SA,
  TASK_FORMS,
  TASK_LEVELS,
  taskWorkflowId,
  type ActorRef,
  type ImportedTask,
  type Locale,
  type TaskLifecycleInput,
} from '../../workflows/definitions';
import { compareDates, isValidIsoDate, startOfVnDay, vnDateOf } from '../../workflows/rules/calendar';
import { inspectionDueDates, reportDueDates } from '../../workflows/rules/deadlines';
import { formatVnd } from '../../workflows/rules/money';
import { ruleSetFor, type RuleSet } from '../../workflows/rules/ruleset';
import type { taskLifecycleWorkflow } from '../../workflows/task-lifecycle';
import { STAGE_LABELS_VI } from './labels';
import { TASK_FORM_LABELS_VI, TASK_LEVEL_LABELS_VI } from '../documents/pdf';

// ---------------------------------------------------------------------------------------------
// Columns of the template
// ---------------------------------------------------------------------------------------------

export interface ImportColumn {
  key: string;
  label: string;
  required: 'yes' | 'no' | 'contract';
  help: string;
}

/** The template's columns, in order. The header row may name each by key or by its Vietnamese label. */
export const IMPORT_COLUMNS: readonly ImportColumn[] = [
  { key: 'code', label: 'Mã nhiệm vụ', required: 'yes', help: 'Mã của Sở, duy nhất (vd. ĐTCT.2024.05). Nhập lại cùng mã không tạo nhiệm vụ mới.' },
  { key: 'title', label: 'Tên nhiệm vụ', required: 'yes', help: 'Tên theo quyết định phê duyệt.' },
  { key: 'level', label: 'Cấp quản lý', required: 'yes', help: `${TASK_LEVELS.join(' | ')} (hoặc: ${Object.values(TASK_LEVEL_LABELS_VI).join(', ')}).` },
  { key: 'form', label: 'Hình thức', required: 'yes', help: `${TASK_FORMS.join(' | ')} (hoặc: ${Object.values(TASK_FORM_LABELS_VI).join(', ')}).` },
  { key: 'assignment', label: 'Phương thức giao', required: 'yes', help: 'competitive_selection (tuyển chọn) | direct_assignment (giao trực tiếp).' },
  { key: 'stage', label: 'Giai đoạn hiện tại', required: 'yes', help: `${IMPORTABLE_STAGES.map((s) => `${s} (${STAGE_LABELS_VI[s]})`).join(' | ')}.` },
  { key: 'objectives', label: 'Mục tiêu', required: 'yes', help: 'Mục tiêu theo thuyết minh được duyệt.' },
  { key: 'products', label: 'Sản phẩm', required: 'yes', help: 'Các sản phẩm, cách nhau bằng dấu chấm phẩy (;).' },
  { key: 'hostOrgId', label: 'Mã tổ chức chủ trì', required: 'yes', help: 'Mã tổ chức trong hệ thống (tài khoản của tổ chức dùng mã này để xem nhiệm vụ).' },
  { key: 'hostOrgName', label: 'Tổ chức chủ trì', required: 'yes', help: 'Tên đầy đủ của tổ chức chủ trì.' },
  { key: 'piName', label: 'Chủ nhiệm nhiệm vụ', required: 'yes', help: 'Họ và tên chủ nhiệm.' },
  { key: 'piEmail', label: 'Thư điện tử chủ nhiệm', required: 'yes', help: 'Nhận nhắc hạn và thông báo.' },
  { key: 'officerName', label: 'Cán bộ theo dõi', required: 'no', help: 'Cán bộ của Sở chịu trách nhiệm theo dõi (rõ trách nhiệm); cùng với thư điện tử.' },
  { key: 'officerEmail', label: 'Thư điện tử cán bộ theo dõi', required: 'no', help: 'Cùng với tên cán bộ theo dõi.' },
  { key: 'approvedOn', label: 'Ngày phê duyệt', required: 'yes', help: 'YYYY-MM-DD: ngày quyết định phê duyệt (L-10).' },
  { key: 'durationMonths', label: 'Thời gian thực hiện (tháng)', required: 'yes', help: 'Số tháng theo quyết định phê duyệt (chưa kể gia hạn).' },
  { key: 'fundingMode', label: 'Phương thức khoán', required: 'yes', help: 'full_lump_sum (khoán đến sản phẩm cuối cùng) | partial_lump_sum (khoán từng phần).' },
  { key: 'stateBudget', label: 'Kinh phí NSNN (đồng)', required: 'yes', help: 'Số nguyên đồng, vd. 1500000000 hoặc 1.500.000.000.' },
  { key: 'otherSources', label: 'Kinh phí nguồn khác (đồng)', required: 'no', help: 'Số nguyên đồng; để trống là 0.' },
  { key: 'contractStartOn', label: 'Ngày bắt đầu hợp đồng', required: 'contract', help: 'YYYY-MM-DD; bắt buộc từ giai đoạn CONTRACTED.' },
  { key: 'contractEndOn', label: 'Ngày kết thúc hợp đồng', required: 'contract', help: 'YYYY-MM-DD, kể cả gia hạn đã được chấp thuận; bắt buộc từ giai đoạn CONTRACTED.' },
  { key: 'extensionMonths', label: 'Số tháng đã gia hạn', required: 'no', help: 'Nếu đã được gia hạn (A-3, chỉ một lần).' },
  { key: 'disbursements', label: 'Các lần cấp kinh phí', required: 'no', help: 'YYYY-MM-DD: số tiền; cách nhau bằng dấu chấm phẩy, vd. "2024-05-10: 1.000.000.000; 2025-03-01: 300.000.000".' },
  { key: 'reportsFiledOn', label: 'Ngày nộp các báo cáo định kỳ', required: 'no', help: 'Ngày nộp báo cáo kỳ 1, kỳ 2, … cách nhau bằng dấu chấm phẩy.' },
  { key: 'inspectionsOn', label: 'Ngày các lần kiểm tra định kỳ', required: 'no', help: 'Ngày Sở đã kiểm tra định kỳ (lần 1, lần 2, …), cách nhau bằng dấu chấm phẩy.' },
  { key: 'history', label: 'Tóm tắt quá trình', required: 'no', help: 'Vài dòng về quá trình đã thực hiện (ghi vào dòng thời gian của nhiệm vụ).' },
];
const fold = (s: string) => s.normalize('NFC').trim().toLowerCase().replace(/\s+/g, ' ');

// ---------------------------------------------------------------------------------------------
// Reading a file
// ---------------------------------------------------------------------------------------------

export type { SheetRow };

export interface ImportIssue {
  column: string;
  reason: string;
}
/** A file refused whole (its header, its format): nothing of it is imported. */
export { SheetFileError as ImportFileError };

/** The rows of a CSV (UTF-8, comma or semicolon separated) or XLSX file (first sheet), header first. */
export const readImportFile = (file: string | { name: string; data: Buffer }): Promise<SheetRow[]> => readSheet(file, IMPORT_COLUMNS);

// ---------------------------------------------------------------------------------------------
// Validating a row
// ---------------------------------------------------------------------------------------------

/** A cell of text: the API's rule for text (issue 15: no lone surrogate, no control character, something visible), trimmed. */
const text = (max: number) =>
  z
    .string()
    .superRefine((s, ctx) => {
      const fault = textFault(s.trim(), linesFor(max));
      // A blank cell is min(1)'s to name, as before.
      if (fault && fault.code !== 'blank') {
        const reason = textFaultReason(fault);
        ctx.addIssue({ code: 'custom', message: `${reason.vi} / ${reason.en}`, input: s });
      }
    })
    .trim()
    .min(1)
    .max(max);
const isoDate = z.string().trim().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD').refine(isValidIsoDate, 'Ngày không có thật / not a calendar date');
const VND_TEXT = /^(\d{1,3}([., ]\d{3})+|\d+)$/;
const vnd = z
  .string()
  .trim()
  .regex(VND_TEXT, 'Số nguyên đồng, vd. 1500000000 hoặc 1.500.000.000 / integer VND')
  .transform((s) => Number(s.replace(/[., ]/g, '')))
  .pipe(z.number().int().min(0).max(1_000_000_000_000_000));
const count = (max: number) => z.string().trim().regex(/^\d+$/, 'Số nguyên / an integer').transform(Number).pipe(z.number().int().min(1).max(max));

/** A value written as the code or as its Vietnamese name (case and spacing ignored). */
function oneOf<const T extends string>(codes: readonly T[], labels: Partial<Record<T, string[]>>) {
  const lookup = new Map<string, T>();
  for (const c of codes) {
    lookup.set(fold(c), c);
    for (const l of labels[c] ?? []) lookup.set(fold(l), c);
  }
  const accepted = codes.map((c) => (labels[c]?.[0] ? `${c} (${labels[c]![0]})` : c)).join(', ');
  return z.string().transform((s, ctx) => {
    const v = lookup.get(fold(s));
    if (v === undefined) ctx.addIssue({ code: 'custom', message: `Giá trị không hợp lệ; chấp nhận: ${accepted} / one of ${codes.join(', ')}` });
    return v as T;
  });
}

const labelsOf = <K extends string>(m: Record<K, string>): Partial<Record<K, string[]>> =>
  Object.fromEntries(Object.entries(m).map(([k, v]) => [k, [v as string, (v as string).replace(/^Cấp /, '')]])) as Partial<Record<K, string[]>>;

const datedAmounts = z.string().transform((s, ctx) => {
  const out: { on: string; amount: number }[] = [];
  for (const [i, part] of s.split(';').map((p) => p.trim()).filter(Boolean).entries()) {
    const m = /^(\d{4}-\d{2}-\d{2})\s*[:=]\s*(.+)$/.exec(part);
    const amount = m ? m[2]!.trim() : '';
    if (!m || !isValidIsoDate(m[1]!) || !VND_TEXT.test(amount)) {
      ctx.addIssue({ code: 'custom', message: `Lần cấp thứ ${i + 1} "${part}": phải là "YYYY-MM-DD: số tiền" / "date: amount"` });
      continue;
    }
    out.push({ on: m[1]!, amount: Number(amount.replace(/[., ]/g, '')) });
  }
  return out;
});
const dates = z.string().transform((s, ctx) => {
  const out: string[] = [];
  for (const [i, part] of s.split(';').map((p) => p.trim()).filter(Boolean).entries()) {
    if (!isValidIsoDate(part)) ctx.addIssue({ code: 'custom', message: `Ngày thứ ${i + 1} "${part}": phải là YYYY-MM-DD / a date` });
    else out.push(part);
  }
  return out;
});

/** One row of the template, as typed text in, typed values out. Unknown keys cannot occur (the header was checked). */
export const ImportRow = z
  .object({
    code: text(50).regex(/^[^\s/\\?#%][^/\\?#%]*$/u, 'Không chứa / \\ ? # % và không bắt đầu bằng khoảng trắng'),
    title: text(500),
    level: oneOf(TASK_LEVELS, labelsOf(TASK_LEVEL_LABELS_VI)),
    form: oneOf(TASK_FORMS, labelsOf(TASK_FORM_LABELS_VI)),
    assignment: oneOf(['competitive_selection', 'direct_assignment'] as const, { competitive_selection: ['Tuyển chọn'], direct_assignment: ['Giao trực tiếp'] }),
    stage: oneOf(IMPORTABLE_STAGES, Object.fromEntries(IMPORTABLE_STAGES.map((s) => [s, [STAGE_LABELS_VI[s]]]))),
    objectives: text(10_000),
    products: z.string().transform((s) => s.split(';').map((p) => p.trim()).filter(Boolean)).pipe(z.array(text(2_000)).min(1).max(50)),
    hostOrgId: text(100),
    hostOrgName: text(500),
    piName: text(200),
    piEmail: z.string().trim().pipe(z.email()),
    officerName: text(200).optional(),
    officerEmail: z.string().trim().pipe(z.email()).optional(),
    approvedOn: isoDate,
    durationMonths: count(120),
    fundingMode: oneOf(['full_lump_sum', 'partial_lump_sum'] as const, { full_lump_sum: ['Khoán đến sản phẩm cuối cùng', 'Khoán toàn phần'], partial_lump_sum: ['Khoán từng phần'] }),
    stateBudget: vnd,
    otherSources: vnd.optional(),
    contractStartOn: isoDate.optional(),
    contractEndOn: isoDate.optional(),
    extensionMonths: count(24).optional(),
    disbursements: datedAmounts.optional(),
    reportsFiledOn: dates.optional(),
    inspectionsOn: dates.optional(),
    history: z.string().trim().max(5_000).optional(),
  })
  .strict()
  .superRefine((r, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    // Runs even when a field failed its own check: compare only dates that are dates.
    const date = (d: string | undefined): d is string => typeof d === 'string' && isValidIsoDate(d);
    if (Boolean(r.officerName) !== Boolean(r.officerEmail)) issue(r.officerName ? 'officerEmail' : 'officerName', 'Tên và thư điện tử cán bộ theo dõi đi cùng nhau / officer name and e-mail go together');
    if (r.stage && r.stage !== 'APPROVED') {
      if (!r.contractStartOn) issue('contractStartOn', `Bắt buộc ở giai đoạn ${r.stage} / required from CONTRACTED on`);
      if (!r.contractEndOn) issue('contractEndOn', `Bắt buộc ở giai đoạn ${r.stage} / required from CONTRACTED on`);
    }
    if (date(r.contractStartOn) && date(r.contractEndOn) && compareDates(r.contractEndOn, r.contractStartOn) <= 0) issue('contractEndOn', 'Phải sau ngày bắt đầu hợp đồng / must be after the contract start');
    if (date(r.approvedOn) && date(r.contractStartOn) && compareDates(r.contractStartOn, r.approvedOn) < 0) issue('contractStartOn', 'Không được trước ngày phê duyệt / must not be before the approval');
    if (r.extensionMonths && !r.contractEndOn) issue('extensionMonths', 'Chỉ có khi đã có hợp đồng / only with a contract');
    const sorted = (xs: string[]) => xs.every((x, i) => i === 0 || compareDates(xs[i - 1]!, x) <= 0);
    if (r.disbursements && !sorted(r.disbursements.map((d) => d.on))) issue('disbursements', 'Các lần cấp phải theo thứ tự thời gian / in date order');
    if (r.reportsFiledOn && !sorted(r.reportsFiledOn)) issue('reportsFiledOn', 'Các ngày nộp phải theo thứ tự kỳ báo cáo / in period order');
    if (r.inspectionsOn && !sorted(r.inspectionsOn)) issue('inspectionsOn', 'Các ngày kiểm tra phải theo thứ tự / in date order');
  });
export type ImportRow = z.output<typeof ImportRow>;

export interface Refusal {
  rule: string;
  vi: string;
  en: string;
}

/**
 * A well-formed row that the lifecycle's rules refuse: what the workflow would never
 * have let happen (domain.md rule IDs), as of `today`.
 */
export function importRefusal(r: ImportRow, rs: RuleSet, today: string): Refusal | null {
  const disbursed = (r.disbursements ?? []).reduce((s, d) => s + d.amount, 0);
  const later = (d: string) => compareDates(d, today) > 0;
  if (later(r.approvedOn) || (r.contractStartOn && later(r.contractStartOn))) {
    return { rule: 'L-10', vi: 'Ngày phê duyệt và ngày bắt đầu hợp đồng không được sau ngày nhập.', en: 'The approval and contract start cannot be later than today.' };
  }
  if (r.stage === 'APPROVED' && (r.contractStartOn || r.contractEndOn || disbursed > 0)) {
    return { rule: 'L-11', vi: 'Nhiệm vụ đã có hợp đồng hoặc đã được cấp kinh phí thì không còn ở giai đoạn APPROVED.', en: 'A task with a contract or a disbursement is past APPROVED.' };
  }
  if (r.stage === 'CONTRACTED' && disbursed > 0) {
    return { rule: 'L-12', vi: 'Lần cấp kinh phí đầu tiên đưa nhiệm vụ sang IN_PROGRESS; hãy ghi giai đoạn IN_PROGRESS.', en: 'The first disbursement moves a task to IN_PROGRESS.' };
  }
  if ((r.stage === 'IN_PROGRESS' || r.stage === 'SELF_EVALUATION') && disbursed === 0) {
    return { rule: 'L-12', vi: `Giai đoạn ${r.stage} bắt đầu từ lần cấp kinh phí đầu tiên; chưa có lần cấp nào (hãy ghi CONTRACTED hoặc bổ sung các lần cấp).`, en: `${r.stage} starts with the first disbursement; none is given.` };
  }
  if (disbursed > r.stateBudget) {
    return { rule: 'L-12', vi: `Tổng cấp ${formatVnd(disbursed)} đồng vượt kinh phí NSNN được duyệt ${formatVnd(r.stateBudget)} đồng.`, en: `Disbursements of ${formatVnd(disbursed)} VND exceed the approved state budget of ${formatVnd(r.stateBudget)} VND.` };
  }
  const first = r.disbursements?.[0];
  if (first && r.contractStartOn && compareDates(first.on, r.contractStartOn) < 0) {
    return { rule: 'L-12', vi: `Lần cấp ngày ${first.on} trước ngày bắt đầu hợp đồng ${r.contractStartOn}.`, en: `A disbursement on ${first.on} precedes the contract start ${r.contractStartOn}.` };
  }
  if ((r.disbursements ?? []).some((d) => later(d.on)) || (r.reportsFiledOn ?? []).some(later) || (r.inspectionsOn ?? []).some(later)) {
    return { rule: 'L-12', vi: 'Ngày cấp kinh phí, nộp báo cáo và kiểm tra không được sau ngày nhập.', en: 'Disbursement, report and inspection dates cannot be later than today.' };
  }
  if (r.extensionMonths) {
    const x = rs.extension;
    const cap = r.durationMonths >= x.longTaskMinMonths ? x.longTaskCapMonths : x.shortTaskCapMonths;
    if (r.extensionMonths > cap) {
      return { rule: 'A-3', vi: `Nhiệm vụ ${r.durationMonths} tháng chỉ được gia hạn tối đa ${cap} tháng; dữ liệu ghi ${r.extensionMonths} tháng.`, en: `A ${r.durationMonths}-month task may be extended by at most ${cap} months; the row says ${r.extensionMonths}.` };
    }
  }
  if (r.reportsFiledOn?.length) {
    if (!r.contractStartOn || !r.contractEndOn) return { rule: 'L-13', vi: 'Báo cáo định kỳ chỉ có khi đã có hợp đồng.', en: 'Progress reports come only with a contract.' };
    const periods = reportDueDates(r.contractStartOn, r.contractEndOn, rs).length;
    if (r.reportsFiledOn.length > periods) {
      return { rule: 'L-13', vi: `Hợp đồng ${r.contractStartOn} → ${r.contractEndOn} có ${periods} kỳ báo cáo định kỳ; dữ liệu ghi ${r.reportsFiledOn.length} báo cáo đã nộp.`, en: `The contract has ${periods} reporting periods; the row lists ${r.reportsFiledOn.length} filed reports.` };
    }
  }
  if (r.inspectionsOn?.length) {
    if (!r.contractStartOn || !r.contractEndOn) return { rule: 'L-13', vi: 'Kiểm tra định kỳ chỉ có khi đã có hợp đồng.', en: 'Inspections come only with a contract.' };
    const planned = inspectionDueDates(r.contractStartOn, r.contractEndOn, rs).length;
    if (r.inspectionsOn.length > planned) {
      return { rule: 'L-13', vi: `Hợp đồng có ${planned} lần kiểm tra định kỳ theo kế hoạch; dữ liệu ghi ${r.inspectionsOn.length} lần.`, en: `The contract plans ${planned} inspections; the row lists ${r.inspectionsOn.length}.` };
    }
  }
  return null;
}

/** The lifecycle input of a valid row: the task's imported state and the proposal it stands for. */
export function lifecycleInputOf(r: ImportRow, o: { config: Config; importedAt: string; by: ActorRef }): TaskLifecycleInput {
  const taskId = importedTaskId(o.config.DEPARTMENT_ID, r.code);
  const host = { orgId: r.hostOrgId, orgName: r.hostOrgName, pi: { name: r.piName, email: r.piEmail } };
  const imported: ImportedTask = {
    code: r.code,
    importedAt: o.importedAt,
    by: o.by,
    stage: r.stage,
    assignment: r.assignment,
    host,
    ...(r.officerName && r.officerEmail ? { accountableOfficer: { userId: r.officerEmail.toLowerCase(), name: r.officerName, email: r.officerEmail } } : {}),
    approval: { approvedOn: r.approvedOn, durationMonths: r.durationMonths, fundingMode: r.fundingMode, products: r.products },
    budget: { stateBudget: r.stateBudget, otherSources: r.otherSources ?? 0 },
    ...(r.contractStartOn && r.contractEndOn ? { contract: { startOn: r.contractStartOn, endOn: r.contractEndOn, ...(r.extensionMonths ? { extensionMonths: r.extensionMonths } : {}) } } : {}),
    disbursements: r.disbursements ?? [],
    reportsFiledOn: r.reportsFiledOn ?? [],
    ...(r.inspectionsOn?.length ? { inspectionsOn: r.inspectionsOn } : {}),
    summary: r.history ?? '',
  };
  const noForm = 'Nhiệm vụ đang thực hiện, nhập từ danh mục của Sở; phiếu đề xuất lưu trên hồ sơ giấy.';
  return {
    taskId,
    departmentId: o.config.DEPARTMENT_ID,
    departmentName: o.config.DEPARTMENT_NAME,
    place: o.config.DOCUMENT_PLACE,
    publicBaseUrl: o.config.PUBLIC_BASE_URL,
    ruleSet: ruleSetOf(o.config),
    proposal: {
      title: r.title,
      urgency: noForm,
      objectives: r.objectives,
      expectedProducts: r.products,
      resultUsage: noForm,
      durationMonths: r.durationMonths,
      budget: { stateBudget: r.stateBudget, otherSources: r.otherSources ?? 0 },
      level: r.level,
      form: r.form,
      proposer: { name: r.piName, organisation: r.hostOrgName, email: r.piEmail },
    },
    // The host's PI stands as the proposer: host-side emails go to them, and the host organisation owns the task.
    submittedBy: { userId: `pi:${r.piEmail.toLowerCase()}`, role: 'researcher', name: r.piName, email: r.piEmail, orgId: r.hostOrgId, locale: 'vi' },
    submittedAt: startOfVnDay(r.approvedOn),
    imported,
  };
}

// ---------------------------------------------------------------------------------------------
// Running an import
// ---------------------------------------------------------------------------------------------

export type ImportOutcome = 'imported' | 'already_imported' | 'would_import' | 'invalid' | 'refused';

export interface ImportRowResult {
  row: number;
  code?: string;
  /** The task's title as the row gives it. */
  title?: string;
  taskId?: string;
  outcome: ImportOutcome;
  /** invalid: each bad cell with its reason. */
  errors?: ImportIssue[];
  /** refused: the rule and why. */
  refusal?: Refusal;
}

export interface ImportReport {
  file: string;
  dryRun: boolean;
  importedAt: string;
  rows: ImportRowResult[];
  counts: Record<ImportOutcome, number>;
}

export interface ImportDeps {
  client: Client;
  store: Store;
  config: Config;
}

export const IMPORT_ACTOR: ActorRef = { userId: 'portfolio-import', role: 'admin', name: 'Nhập danh mục nhiệm vụ đang thực hiện' };

/** Validation only: each row either its lifecycle input or what is wrong with it. Pure apart from the clock passed in. */
export function validateRows(rows: SheetRow[], o: { config: Config; importedAt: string; by: ActorRef; locale?: Locale }) {
  const rs = ruleSetFor(ruleSetOf(o.config));
  const today = vnDateOf(o.importedAt);
  const firstRowOf = new Map<string, number>();
  return rows.map((sheetRow): { row: number; code?: string; title?: string; input?: TaskLifecycleInput; errors?: ImportIssue[]; refusal?: Refusal } => {
    const code = sheetRow.values.code?.trim();
    const title = sheetRow.values.title?.trim();
    const parsed = ImportRow.safeParse(sheetRow.values, { error: errorMap(o.locale ?? 'vi') });
    const named = title ? { title } : {};
    if (!parsed.success) {
      return {
        row: sheetRow.row,
        ...(code ? { code } : {}),
        ...named,
        errors: parsed.error.issues.map((i) => ({ column: String(i.path[0] ?? '(dòng)'), reason: i.message })),
      };
    }
    const key = importedTaskId(o.config.DEPARTMENT_ID, parsed.data.code);
    const earlier = firstRowOf.get(key);
    if (earlier !== undefined) return { row: sheetRow.row, code: parsed.data.code, ...named, errors: [{ column: 'code', reason: `Trùng mã với dòng ${earlier} / same code as row ${earlier}` }] };
    firstRowOf.set(key, sheetRow.row);
    const refusal = importRefusal(parsed.data, rs, today);
    if (refusal) return { row: sheetRow.row, code: parsed.data.code, ...named, refusal };
    return { row: sheetRow.row, code: parsed.data.code, ...named, input: lifecycleInputOf(parsed.data, o) };
  });
}

async function workflowExists(client: Client, workflowId: string): Promise<boolean> {
  try {
    await client.workflow.getHandle(workflowId).describe();
    return true;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return false;
    throw err;
  }
}

/** A row after validation: its lifecycle input, or what is wrong with it (validateRows). */
export type CheckedRow = ReturnType<typeof validateRows>[number];

/**
 * One checked row: an invalid or refused row is reported and starts nothing; a valid row starts
 * its task's workflow unless that task exists already (its read model or its workflow), which is
 * reported as already imported. A dry run starts nothing.
 */
export async function importCheckedRow(deps: ImportDeps, c: CheckedRow, dryRun: boolean): Promise<ImportRowResult> {
  const named = { ...(c.code ? { code: c.code } : {}), ...(c.title ? { title: c.title } : {}) };
  if (c.errors) return { row: c.row, ...named, outcome: 'invalid', errors: c.errors };
  if (c.refusal) return { row: c.row, ...named, outcome: 'refused', refusal: c.refusal };
  const input = c.input!;
  const workflowId = taskWorkflowId(input.taskId);
  const base = { row: c.row, ...named, taskId: input.taskId };
  if ((await deps.store.Task.exists({ _id: input.taskId })) || (await workflowExists(deps.client, workflowId))) return { ...base, outcome: 'already_imported' };
  if (dryRun) return { ...base, outcome: 'would_import' };
  try {
    await deps.client.workflow.start<typeof taskLifecycleWorkflow>('taskLifecycleWorkflow', {
      taskQueue: deps.config.TEMPORAL_TASK_QUEUE,
      workflowId,
      args: [input],
      // A second run, or a concurrent one, of the same file must not start the task twice.
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      typedSearchAttributes: [
        { key: SA.stage, value: input.imported!.stage },
        { key: SA.level, value: input.proposal.level },
        { key: SA.form, value: input.proposal.form },
        { key: SA.department, value: input.departmentId },
      ],
    });
    return { ...base, outcome: 'imported' };
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    return { ...base, outcome: 'already_imported' };
  }
}

export const countOutcomes = (results: ImportRowResult[]): Record<ImportOutcome, number> => {
  const counts: Record<ImportOutcome, number> = { imported: 0, already_imported: 0, would_import: 0, invalid: 0, refused: 0 };
  for (const r of results) counts[r.outcome] += 1;
  return counts;
};

/**
 * Imports the rows of a file (importCheckedRow, row by row, in file order). The tasks go to
 * `departmentId` (default: the deployment's Department).
 */
export async function importPortfolio(
  deps: ImportDeps,
  o: { file: string | { name: string; data: Buffer }; dryRun?: boolean; by?: ActorRef; locale?: Locale; now?: Date; departmentId?: string; onProgress?: (done: number, total: number, last: ImportRowResult) => void },
): Promise<ImportReport> {
  const importedAt = (o.now ?? new Date()).toISOString();
  const by = o.by ?? IMPORT_ACTOR;
  const config = o.departmentId ? { ...deps.config, DEPARTMENT_ID: o.departmentId } : deps.config;
  const rows = await readImportFile(o.file);
  const checked = validateRows(rows, { config, importedAt, by, ...(o.locale ? { locale: o.locale } : {}) });
  const results: ImportRowResult[] = [];
  for (const c of checked) {
    const result = await importCheckedRow({ ...deps, config }, c, Boolean(o.dryRun));
    results.push(result);
    o.onProgress?.(results.length, checked.length, result);
  }
  return { file: typeof o.file === 'string' ? o.file : o.file.name, dryRun: Boolean(o.dryRun), importedAt, rows: results, counts: countOutcomes(results) };
}
