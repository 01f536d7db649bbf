/**
 * The names a reader sees for every coded value: one table, shared by the documents (PDF) and
 * the emails, in Vietnamese with the English alongside for English emails. Codes (`IN_PROGRESS`,
 * `RECOMMENDED`, `continue`, `rationale`, `C-ACC`) stay in the data; they never reach a
 * document's text or an email.
 *
 * Pure and deterministic: workflow code builds email texts from it, activities draw documents.
 * Dates and times for emails are here too, in each language and Vietnam time.
 */
import type { CouncilKind, CouncilMemberRole, TaskForm, TaskLevel, TaskStage } from './definitions';

export interface Names {
  vi: string;
  en: string;
}
export type LabelLocale = keyof Names;

export const TASK_LEVEL_LABELS: Record<TaskLevel, Names> = {
  national: { vi: 'Cấp quốc gia', en: 'National' },
  ministerial: { vi: 'Cấp bộ', en: 'Ministerial' },
  provincial: { vi: 'Cấp tỉnh', en: 'Provincial' },
  grassroots: { vi: 'Cấp cơ sở', en: 'Grassroots' },
};

export const TASK_FORM_LABELS: Record<TaskForm, Names> = {
  research_topic: { vi: 'Đề tài', en: 'Research topic' },
  pilot_production: { vi: 'Dự án sản xuất thử nghiệm', en: 'Pilot production project' },
  policy_study: { vi: 'Đề án', en: 'Policy study' },
  st_project: { vi: 'Dự án khoa học và công nghệ', en: 'Science and technology project' },
  programme: { vi: 'Chương trình', en: 'Programme' },
};

export const ASSIGNMENT_LABELS: Record<'competitive_selection' | 'direct_assignment', Names> = {
  competitive_selection: { vi: 'Tuyển chọn', en: 'Competitive selection' },
  direct_assignment: { vi: 'Giao trực tiếp', en: 'Direct assignment' },
};

export const FUNDING_MODE_LABELS: Record<'full_lump_sum' | 'partial_lump_sum', Names> = {
  full_lump_sum: { vi: 'Khoán chi đến sản phẩm cuối cùng', en: 'Lump sum up to the final product' },
  partial_lump_sum: {
    vi: 'Khoán chi từng phần (các khoản chi không giao khoán được quyết toán theo thực chi)',
    en: 'Partial lump sum (the other items are settled at cost)',
  },
};

export const STAGE_LABELS: Record<TaskStage, Names> = {
  PROPOSED: { vi: 'Đề xuất', en: 'Proposed' },
  IDENTIFICATION_REVIEW: { vi: 'Đang xác định nhiệm vụ', en: 'Identification review' },
  ORDER_LISTED: { vi: 'Trong danh mục đặt hàng', en: 'On the ordered-task list' },
  CALL_OPEN: { vi: 'Đang thông báo tuyển chọn', en: 'Call open' },
  DOSSIERS_OPENED: { vi: 'Đã mở hồ sơ', en: 'Dossiers opened' },
  SELECTION_REVIEW: { vi: 'Đang tuyển chọn, giao trực tiếp', en: 'Selection review' },
  SELECTED: { vi: 'Được tuyển chọn', en: 'Selected' },
  PROPOSAL_REVISION: { vi: 'Hoàn thiện thuyết minh', en: 'Proposal revision' },
  BUDGET_APPRAISAL: { vi: 'Thẩm định kinh phí', en: 'Budget appraisal' },
  PENDING_APPROVAL: { vi: 'Chờ phê duyệt', en: 'Awaiting approval' },
  APPROVED: { vi: 'Đã phê duyệt, chờ ký hợp đồng', en: 'Approved, awaiting the contract' },
  CONTRACTED: { vi: 'Đã ký hợp đồng', en: 'Contract signed' },
  IN_PROGRESS: { vi: 'Đang thực hiện', en: 'In progress' },
  SELF_EVALUATION: { vi: 'Tự đánh giá', en: 'Self-evaluation' },
  ACCEPTANCE_SUBMITTED: { vi: 'Đã nộp hồ sơ nghiệm thu', en: 'Acceptance dossier submitted' },
  ACCEPTANCE_REVIEW: { vi: 'Đang đánh giá nghiệm thu', en: 'Acceptance review' },
  ACCEPTED_EXCELLENT: { vi: 'Nghiệm thu: Xuất sắc', en: 'Accepted: excellent' },
  ACCEPTED_PASS: { vi: 'Nghiệm thu: Đạt', en: 'Accepted: pass' },
  RESULT_RECOGNIZED: { vi: 'Đã công nhận kết quả', en: 'Results recognised' },
  RESULT_REGISTERED: { vi: 'Đã đăng ký kết quả', en: 'Results registered' },
  FINANCIAL_SETTLEMENT: { vi: 'Đang quyết toán', en: 'Financial settlement' },
  LIQUIDATED: { vi: 'Đã thanh lý hợp đồng', en: 'Contract liquidated' },
  ARCHIVED: { vi: 'Đã lưu trữ', en: 'Archived' },
  PROPOSAL_REJECTED: { vi: 'Đề xuất không được phê duyệt', en: 'Proposal rejected' },
  NO_QUALIFIED_APPLICANT: { vi: 'Không có tổ chức đủ điều kiện', en: 'No qualified applicant' },
  CANCELLED_BEFORE_CONTRACT: { vi: 'Đưa ra khỏi danh mục', en: 'Cancelled before the contract' },
  UNDER_INSPECTION: { vi: 'Đang kiểm tra', en: 'Under inspection' },
  ADJUSTMENT_PENDING: { vi: 'Chờ quyết định điều chỉnh', en: 'Adjustment pending' },
  SUSPENDED: { vi: 'Tạm dừng', en: 'Suspended' },
  TERMINATION_PENDING: { vi: 'Chờ quyết định chấm dứt', en: 'Termination pending' },
  TERMINATED: { vi: 'Chấm dứt', en: 'Terminated' },
  ACCEPTANCE_FAILED: { vi: 'Nghiệm thu: Không đạt', en: 'Acceptance failed' },
  WITHDRAWN: { vi: 'Rút hồ sơ', en: 'Withdrawn' },
};

/** Councils and the budget appraisal group, by their full names. */
export const COUNCIL_KIND_LABELS: Record<CouncilKind | 'C-BUD', Names> = {
  'C-ID': { vi: 'Hội đồng tư vấn xác định nhiệm vụ', en: 'Identification advisory council' },
  'C-SEL': { vi: 'Hội đồng tư vấn tuyển chọn, giao trực tiếp', en: 'Selection and direct-assignment advisory council' },
  'C-ACC': { vi: 'Hội đồng tư vấn đánh giá nghiệm thu', en: 'Acceptance advisory council' },
  'C-BUD': { vi: 'Tổ thẩm định kinh phí', en: 'Budget appraisal group' },
};

export const COUNCIL_ROLE_LABELS: Record<CouncilMemberRole, Names> = {
  chair: { vi: 'Chủ tịch', en: 'Chair' },
  vice_chair: { vi: 'Phó Chủ tịch', en: 'Vice-chair' },
  reviewer: { vi: 'Ủy viên phản biện', en: 'Reviewer' },
  member: { vi: 'Ủy viên', en: 'Member' },
  scientific_secretary: { vi: 'Thư ký khoa học', en: 'Scientific secretary' },
};

export const RATING_LABELS: Record<'EXCELLENT' | 'PASS' | 'FAIL', Names> = {
  EXCELLENT: { vi: 'Xuất sắc', en: 'Excellent' },
  PASS: { vi: 'Đạt', en: 'Pass' },
  FAIL: { vi: 'Không đạt', en: 'Fail' },
};

/** What a council or the appraisal group concluded. */
export const COUNCIL_OUTCOME_LABELS: Record<string, Names> = {
  RECOMMENDED: { vi: 'Kiến nghị đặt hàng nhiệm vụ', en: 'Recommended for ordering' },
  NOT_RECOMMENDED: { vi: 'Không kiến nghị đặt hàng nhiệm vụ', en: 'Not recommended' },
  SELECTED: { vi: 'Có hồ sơ được tuyển chọn', en: 'A dossier was selected' },
  NO_QUALIFIED_APPLICANT: { vi: 'Không có hồ sơ đủ điều kiện', en: 'No dossier qualified' },
  TIE_NEEDS_CHAIR: { vi: 'Các hồ sơ bằng điểm, chờ chủ tịch hội đồng quyết định', en: 'Tied dossiers, the chair decides' },
  EXCELLENT: { vi: 'Xếp loại Xuất sắc', en: 'Rated excellent' },
  PASS: { vi: 'Xếp loại Đạt', en: 'Rated pass' },
  FAIL: { vi: 'Xếp loại Không đạt', en: 'Rated fail' },
  NO_QUORUM: { vi: 'Hội đồng không đủ điều kiện họp', en: 'No quorum' },
  APPRAISED: { vi: 'Tổ thẩm định thống nhất kinh phí', en: 'Budget agreed' },
  REFER_TO_APPROVER: { vi: 'Trình người có thẩm quyền phê duyệt quyết định', en: 'Referred to the approver' },
};

export const INSPECTION_CONCLUSION_LABELS: Record<'continue' | 'adjust' | 'suspend' | 'terminate', Names> = {
  continue: { vi: 'Tiếp tục thực hiện nhiệm vụ', en: 'Continue the task' },
  adjust: { vi: 'Tiếp tục thực hiện, bên thực hiện đề nghị điều chỉnh', en: 'Continue; the host is to request an adjustment' },
  suspend: { vi: 'Tạm dừng thực hiện nhiệm vụ', en: 'Suspend the task' },
  terminate: { vi: 'Đề xuất chấm dứt hợp đồng', en: 'Propose terminating the contract' },
};

export const TERMINATION_CAUSE_LABELS: Record<'objective' | 'subjective', Names> = {
  objective: { vi: 'Khách quan', en: 'Objective' },
  subjective: { vi: 'Chủ quan', en: 'Subjective' },
};

/** The adjustments of domain.md §4, as what they change. */
export const ADJUSTMENT_LABELS: Record<string, Names> = {
  'A-1': { vi: 'điều chỉnh thuộc thẩm quyền tổ chức chủ trì', en: 'host-level adjustment' },
  'A-2': { vi: 'điều chỉnh kinh phí các khoản chi không giao khoán và yêu cầu sản phẩm', en: 'reallocation of non-lump-sum items and product specifications' },
  'A-3': { vi: 'gia hạn thời gian thực hiện', en: 'extension of time' },
  'A-4': { vi: 'thay đổi chủ nhiệm', en: 'change of principal investigator' },
  'A-5': { vi: 'điều chỉnh tổ chức chủ trì, tên, mục tiêu hoặc tổng kinh phí', en: 'change of host, name, objectives or total budget' },
};

/** The selection criteria the rule-set and the forms name (C-SEL); others are printed as the council named them. */
export const SELECTION_CRITERION_LABELS: Record<string, Names> = {
  rationale: { vi: 'Tính cấp thiết, cơ sở khoa học', en: 'Rationale' },
  content: { vi: 'Mục tiêu, nội dung, phương pháp', en: 'Objectives, content and methods' },
  objectives: { vi: 'Mục tiêu, nội dung, phương pháp', en: 'Objectives, content and methods' },
  products: { vi: 'Sản phẩm', en: 'Products' },
  applicability: { vi: 'Khả năng ứng dụng, tác động', en: 'Applicability and impact' },
  capacity: { vi: 'Năng lực tổ chức chủ trì và chủ nhiệm', en: 'Capacity of the host and the PI' },
  budget: { vi: 'Dự toán kinh phí', en: 'Budget estimate' },
};

export const BALLOT_LABELS: Record<'open' | 'secret', Names> = {
  open: { vi: 'Bỏ phiếu công khai', en: 'Open ballot' },
  secret: { vi: 'Bỏ phiếu kín', en: 'Secret ballot' },
};

/** The kinds of official document (domain.md §7) a task's commands issue. */
export const DOCUMENT_KIND_LABELS: Record<string, Names> = {
  council_formation_decision: { vi: 'Quyết định thành lập hội đồng', en: 'Decision forming a council' },
  order_list_approval: { vi: 'Quyết định phê duyệt danh mục nhiệm vụ đặt hàng', en: 'Decision approving the ordered-task list' },
  call_notice: { vi: 'Thông báo tuyển chọn', en: 'Call for applications' },
  dossier_opening_record: { vi: 'Biên bản mở hồ sơ', en: 'Dossier opening record' },
  budget_appraisal_record: { vi: 'Biên bản thẩm định kinh phí', en: 'Budget appraisal record' },
  task_approval_decision: { vi: 'Quyết định phê duyệt tổ chức chủ trì, chủ nhiệm và kinh phí', en: 'Decision approving the host, PI and budget' },
  contract: { vi: 'Hợp đồng thực hiện nhiệm vụ', en: 'Task contract' },
  contract_annex: { vi: 'Phụ lục hợp đồng', en: 'Contract annex' },
  inspection_record: { vi: 'Biên bản kiểm tra', en: 'Inspection record' },
  adjustment_decision: { vi: 'Quyết định điều chỉnh', en: 'Adjustment decision' },
  suspension_notice: { vi: 'Thông báo tạm dừng', en: 'Suspension notice' },
  termination_decision: { vi: 'Quyết định chấm dứt hợp đồng', en: 'Termination decision' },
  acceptance_minutes: { vi: 'Biên bản đánh giá nghiệm thu', en: 'Acceptance minutes' },
  recognition_decision: { vi: 'Quyết định công nhận kết quả', en: 'Decision recognising the results' },
  registration_certificate: { vi: 'Giấy chứng nhận đăng ký kết quả', en: 'Registration certificate' },
  liquidation_record: { vi: 'Biên bản thanh lý hợp đồng', en: 'Liquidation record' },
};

/**
 * The name of `value` in `table`. A value the table does not know is returned as it is only when
 * it is not a code (a criterion the council named itself); a code (UPPER_CASE, snake_case, C-X)
 * gets `fallback`, so a new code never leaks into a document or an email.
 */
export function nameOf(table: Record<string, Names>, value: string, locale: LabelLocale = 'vi', fallback = '—'): string {
  const names = Object.prototype.hasOwnProperty.call(table, value) ? table[value] : undefined;
  if (names) return names[locale];
  return looksLikeCode(value) ? fallback : value;
}

/** UPPER_CASE, snake_case or lowerCamel identifiers, rule IDs ("C-ACC", "L-19"): what a reader must never see. */
export function looksLikeCode(value: string): boolean {
  return /^[A-Z][A-Z0-9]*(?:[_-][A-Z0-9]+)+$/.test(value) || /^[a-z]+(?:_[a-z0-9]+)+$/.test(value) || /^[a-z]+[A-Z][A-Za-z0-9]*$/.test(value) || /^[A-Z]+-\d+$/.test(value);
}

// ---------------------------------------------------------------------------------------------
// Dates and times in each language, Vietnam time (UTC+7, no daylight saving since 1975)
// ---------------------------------------------------------------------------------------------

const VN_OFFSET_MS = 7 * 3600_000;
const MONTHS_EN = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** yyyy-mm-dd and hh:mm of an instant (or of a plain date) in Vietnam. */
function vietnamWallClock(iso: string): { date: string; time?: string } | undefined {
  if (/^\d{4}-\d{2}-\d{2}$/.test(iso)) return { date: iso };
  const t = Date.parse(iso);
  if (Number.isNaN(t) || !/(Z|[+-]\d{2}:?\d{2})$/i.test(iso)) return undefined;
  const vn = new Date(t + VN_OFFSET_MS).toISOString();
  return { date: vn.slice(0, 10), time: vn.slice(11, 16) };
}

/** A calendar date (or the day of an instant, in Vietnam): "20/02/2028" / "20 Feb 2028". */
export function formatDay(iso: string, locale: LabelLocale): string {
  const w = vietnamWallClock(iso);
  if (!w) return iso;
  const [y, m, d] = w.date.split('-');
  return locale === 'vi' ? `${d}/${m}/${y}` : `${Number(d)} ${MONTHS_EN[Number(m) - 1]} ${y}`;
}

/**
 * An instant as read in Vietnam: "17:00 ngày 20/02/2028" / "17:00 on 20 Feb 2028 (Vietnam time)".
 * A plain date prints as a date.
 */
export function formatTimeAndDay(iso: string, locale: LabelLocale): string {
  const w = vietnamWallClock(iso);
  if (!w) return iso;
  if (!w.time) return formatDay(w.date, locale);
  return locale === 'vi' ? `${w.time} ngày ${formatDay(w.date, 'vi')}` : `${w.time} on ${formatDay(w.date, 'en')} (Vietnam time)`;
}

/** Both languages at once, for the `{ vi, en }` texts emails are built from. */
export const days = (iso: string): Names => ({ vi: formatDay(iso, 'vi'), en: formatDay(iso, 'en') });
export const timesAndDays = (iso: string): Names => ({ vi: formatTimeAndDay(iso, 'vi'), en: formatTimeAndDay(iso, 'en') });
