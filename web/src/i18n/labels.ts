/**
 * Names of the API's codes in both languages (stages, levels, forms, roles, commands,
 * councils, ratings): typed by the API's own unions, so a new code without a name fails
 * the type check.
 */
import type { AcceptanceRating, CommandName, CouncilKind, CouncilMemberRole, CouncilStatus, ObligationStatus, Role, Stage, TaskForm, TaskLevel } from '../api/types';
import type { Locale } from './locale';

export type Bilingual = { vi: string; en: string };

export const STAGES: Record<Stage, Bilingual> = {
  PROPOSED: { vi: 'Đã đề xuất', en: 'Proposed' },
  IDENTIFICATION_REVIEW: { vi: 'Đang xác định nhiệm vụ', en: 'Identification review' },
  ORDER_LISTED: { vi: 'Đã vào danh mục đặt hàng', en: 'On the order list' },
  CALL_OPEN: { vi: 'Đang nhận hồ sơ tuyển chọn', en: 'Call open' },
  DOSSIERS_OPENED: { vi: 'Đã mở hồ sơ', en: 'Dossiers opened' },
  SELECTION_REVIEW: { vi: 'Hội đồng tuyển chọn đang xét', en: 'Selection review' },
  SELECTED: { vi: 'Đã được tuyển chọn', en: 'Selected' },
  PROPOSAL_REVISION: { vi: 'Hoàn thiện thuyết minh', en: 'Proposal revision' },
  BUDGET_APPRAISAL: { vi: 'Thẩm định kinh phí', en: 'Budget appraisal' },
  PENDING_APPROVAL: { vi: 'Chờ phê duyệt', en: 'Pending approval' },
  APPROVED: { vi: 'Đã phê duyệt', en: 'Approved' },
  CONTRACTED: { vi: 'Đã ký hợp đồng', en: 'Contract signed' },
  IN_PROGRESS: { vi: 'Đang thực hiện', en: 'In progress' },
  SELF_EVALUATION: { vi: 'Tự đánh giá', en: 'Self-evaluation' },
  ACCEPTANCE_SUBMITTED: { vi: 'Đã nộp hồ sơ nghiệm thu', en: 'Acceptance dossier filed' },
  ACCEPTANCE_REVIEW: { vi: 'Hội đồng nghiệm thu đang xét', en: 'Acceptance review' },
  ACCEPTED_EXCELLENT: { vi: 'Nghiệm thu: Xuất sắc', en: 'Accepted: excellent' },
  ACCEPTED_PASS: { vi: 'Nghiệm thu: Đạt', en: 'Accepted: pass' },
  RESULT_RECOGNIZED: { vi: 'Đã công nhận kết quả', en: 'Result recognised' },
  RESULT_REGISTERED: { vi: 'Đã đăng ký kết quả', en: 'Result registered' },
  FINANCIAL_SETTLEMENT: { vi: 'Quyết toán kinh phí', en: 'Financial settlement' },
  LIQUIDATED: { vi: 'Đã thanh lý hợp đồng', en: 'Contract liquidated' },
  ARCHIVED: { vi: 'Đã lưu trữ', en: 'Archived' },
  PROPOSAL_REJECTED: { vi: 'Đề xuất không được chấp nhận', en: 'Proposal rejected' },
  NO_QUALIFIED_APPLICANT: { vi: 'Không có hồ sơ đạt yêu cầu', en: 'No qualified applicant' },
  CANCELLED_BEFORE_CONTRACT: { vi: 'Hủy trước khi ký hợp đồng', en: 'Cancelled before contract' },
  UNDER_INSPECTION: { vi: 'Đang kiểm tra', en: 'Under inspection' },
  ADJUSTMENT_PENDING: { vi: 'Chờ quyết định điều chỉnh', en: 'Adjustment pending' },
  SUSPENDED: { vi: 'Tạm dừng', en: 'Suspended' },
  TERMINATION_PENDING: { vi: 'Chờ quyết định chấm dứt', en: 'Termination pending' },
  TERMINATED: { vi: 'Đã chấm dứt', en: 'Terminated' },
  ACCEPTANCE_FAILED: { vi: 'Nghiệm thu: Không đạt', en: 'Acceptance failed' },
  WITHDRAWN: { vi: 'Đã rút hồ sơ', en: 'Withdrawn' },
};

/** How a stage reads at a glance: a stopped task in red, a waiting one in gold, a finished one in green. */
export function stageTone(stage: Stage): 'default' | 'processing' | 'success' | 'warning' | 'error' {
  switch (stage) {
    case 'PROPOSAL_REJECTED':
    case 'CANCELLED_BEFORE_CONTRACT':
    case 'TERMINATED':
    case 'ACCEPTANCE_FAILED':
    case 'WITHDRAWN':
    case 'NO_QUALIFIED_APPLICANT':
      return 'error';
    case 'SUSPENDED':
    case 'TERMINATION_PENDING':
    case 'ADJUSTMENT_PENDING':
    case 'UNDER_INSPECTION':
      return 'warning';
    case 'ACCEPTED_EXCELLENT':
    case 'ACCEPTED_PASS':
    case 'RESULT_RECOGNIZED':
    case 'RESULT_REGISTERED':
    case 'FINANCIAL_SETTLEMENT':
    case 'LIQUIDATED':
    case 'ARCHIVED':
      return 'success';
    default:
      return 'processing';
  }
}

/** The main path in phases (domain.md §2), for the stepper; side states sit in the phase they branch from. */
export const PHASES: { label: Bilingual; stages: Stage[] }[] = [
  { label: { vi: 'Đề xuất', en: 'Proposal' }, stages: ['PROPOSED'] },
  { label: { vi: 'Xác định nhiệm vụ', en: 'Identification' }, stages: ['IDENTIFICATION_REVIEW', 'ORDER_LISTED', 'PROPOSAL_REJECTED'] },
  { label: { vi: 'Tuyển chọn, giao trực tiếp', en: 'Selection' }, stages: ['CALL_OPEN', 'DOSSIERS_OPENED', 'SELECTION_REVIEW', 'SELECTED', 'NO_QUALIFIED_APPLICANT'] },
  { label: { vi: 'Thẩm định, phê duyệt', en: 'Appraisal, approval' }, stages: ['PROPOSAL_REVISION', 'BUDGET_APPRAISAL', 'PENDING_APPROVAL', 'APPROVED', 'CANCELLED_BEFORE_CONTRACT'] },
  { label: { vi: 'Hợp đồng', en: 'Contract' }, stages: ['CONTRACTED'] },
  { label: { vi: 'Thực hiện', en: 'Execution' }, stages: ['IN_PROGRESS', 'UNDER_INSPECTION', 'ADJUSTMENT_PENDING', 'SUSPENDED', 'TERMINATION_PENDING', 'TERMINATED'] },
  { label: { vi: 'Nghiệm thu', en: 'Acceptance' }, stages: ['SELF_EVALUATION', 'ACCEPTANCE_SUBMITTED', 'ACCEPTANCE_REVIEW', 'ACCEPTED_EXCELLENT', 'ACCEPTED_PASS', 'ACCEPTANCE_FAILED'] },
  { label: { vi: 'Công nhận, đăng ký', en: 'Recognition, registration' }, stages: ['RESULT_RECOGNIZED', 'RESULT_REGISTERED'] },
  { label: { vi: 'Quyết toán, thanh lý', en: 'Settlement, liquidation' }, stages: ['FINANCIAL_SETTLEMENT', 'LIQUIDATED', 'ARCHIVED'] },
];

export const LEVELS: Record<TaskLevel, Bilingual> = {
  national: { vi: 'Cấp quốc gia', en: 'National' },
  ministerial: { vi: 'Cấp bộ', en: 'Ministerial' },
  provincial: { vi: 'Cấp tỉnh', en: 'Provincial' },
  grassroots: { vi: 'Cấp cơ sở', en: 'Grassroots' },
};

export const FORMS: Record<TaskForm, Bilingual> = {
  research_topic: { vi: 'Đề tài', en: 'Research topic' },
  pilot_production: { vi: 'Dự án sản xuất thử nghiệm', en: 'Pilot-production project' },
  policy_study: { vi: 'Đề án', en: 'Policy study' },
  st_project: { vi: 'Dự án khoa học và công nghệ', en: 'S&T project' },
  programme: { vi: 'Chương trình', en: 'Programme' },
};

export const ROLES: Record<Role, Bilingual> = {
  researcher: { vi: 'Nhà khoa học, tổ chức chủ trì', en: 'Researcher, host organisation' },
  council_member: { vi: 'Thành viên hội đồng', en: 'Council member' },
  manager: { vi: 'Cán bộ quản lý của Sở', en: 'Department officer' },
  admin: { vi: 'Quản trị hệ thống', en: 'Administrator' },
};

export const COMMANDS: Record<CommandName, Bilingual> = {
  startIdentificationReview: { vi: 'Đưa đề xuất vào xác định nhiệm vụ', en: 'Open identification review' },
  approveOrderList: { vi: 'Phê duyệt danh mục đặt hàng', en: 'Approve the order list' },
  rejectProposal: { vi: 'Không phê duyệt đề xuất', en: 'Reject the proposal' },
  openCall: { vi: 'Thông báo tuyển chọn', en: 'Open a call' },
  assignDirectly: { vi: 'Giao trực tiếp', en: 'Assign directly' },
  submitDossier: { vi: 'Nộp hồ sơ đăng ký tuyển chọn', en: 'Apply with a dossier' },
  openDossiers: { vi: 'Mở hồ sơ', en: 'Open the dossiers' },
  formSelectionCouncil: { vi: 'Thành lập hội đồng tuyển chọn', en: 'Form the selection council' },
  submitRevisedProposal: { vi: 'Nộp thuyết minh đã hoàn thiện', en: 'File the revised proposal' },
  recordBudgetAppraisal: { vi: 'Ghi nhận kết quả thẩm định kinh phí', en: 'Record the budget appraisal' },
  approveTask: { vi: 'Phê duyệt nhiệm vụ', en: 'Approve the task' },
  cancelBeforeContract: { vi: 'Hủy trước khi ký hợp đồng', en: 'Cancel before the contract' },
  signContract: { vi: 'Ký hợp đồng', en: 'Sign the contract' },
  recordDisbursement: { vi: 'Ghi nhận cấp kinh phí', en: 'Record a disbursement' },
  submitProgressReport: { vi: 'Nộp báo cáo định kỳ', en: 'File a progress report' },
  startInspection: { vi: 'Bắt đầu kiểm tra', en: 'Start an inspection' },
  concludeInspection: { vi: 'Kết luận kiểm tra', en: 'Conclude the inspection' },
  requestAdjustment: { vi: 'Đề nghị điều chỉnh', en: 'Request an adjustment' },
  decideAdjustment: { vi: 'Quyết định điều chỉnh', en: 'Decide the adjustment' },
  suspend: { vi: 'Tạm dừng', en: 'Suspend' },
  resume: { vi: 'Cho tiếp tục', en: 'Resume' },
  requestTermination: { vi: 'Đề nghị chấm dứt', en: 'Request termination' },
  proposeTermination: { vi: 'Đề xuất chấm dứt', en: 'Propose termination' },
  submitObservations: { vi: 'Gửi ý kiến giải trình', en: 'Submit observations' },
  decideTermination: { vi: 'Quyết định chấm dứt', en: 'Decide the termination' },
  startSelfEvaluation: { vi: 'Bắt đầu tự đánh giá', en: 'Start self-evaluation' },
  submitAcceptanceDossier: { vi: 'Nộp hồ sơ nghiệm thu', en: 'File the acceptance dossier' },
  checkAcceptanceDossier: { vi: 'Kiểm tra tính đầy đủ của hồ sơ', en: 'Check the dossier is complete' },
  formAcceptanceCouncil: { vi: 'Thành lập hội đồng nghiệm thu', en: 'Form the acceptance council' },
  submitRevisedResults: { vi: 'Nộp kết quả đã hoàn thiện', en: 'Submit the revised results' },
  recognizeResult: { vi: 'Công nhận kết quả', en: 'Recognise the result' },
  registerResult: { vi: 'Đăng ký kết quả', en: 'Register the result' },
  settleFinances: { vi: 'Quyết toán', en: 'Settle the finances' },
  recordRefund: { vi: 'Ghi nhận thu hồi kinh phí', en: 'Record a refund' },
  writeOffRefund: { vi: 'Ghi nhận quyết định xóa khoản phải thu hồi', en: 'Record a refund write-off' },
  liquidate: { vi: 'Thanh lý hợp đồng', en: 'Liquidate the contract' },
  archive: { vi: 'Lưu trữ', en: 'Archive' },
  withdraw: { vi: 'Rút hồ sơ', en: 'Withdraw' },
  formCouncil: { vi: 'Thành lập hội đồng', en: 'Form a council' },
  assignOfficer: { vi: 'Giao cán bộ theo dõi', en: 'Assign the accountable officer' },
};

export const COUNCIL_KINDS: Record<CouncilKind | 'C-BUD', Bilingual> = {
  'C-ID': { vi: 'Hội đồng xác định nhiệm vụ', en: 'Identification council' },
  'C-SEL': { vi: 'Hội đồng tuyển chọn, giao trực tiếp', en: 'Selection council' },
  'C-ACC': { vi: 'Hội đồng đánh giá nghiệm thu', en: 'Acceptance council' },
  'C-BUD': { vi: 'Tổ thẩm định kinh phí', en: 'Budget appraisal group' },
};

export const COUNCIL_STATUSES: Record<CouncilStatus, Bilingual> = {
  FORMED: { vi: 'Đã thành lập, chờ họp', en: 'Formed, awaiting the meeting' },
  VOTING: { vi: 'Đang bỏ phiếu', en: 'Voting open' },
  POSTPONED: { vi: 'Hoãn họp', en: 'Postponed' },
  AWAITING_CHAIR: { vi: 'Chờ chủ tịch quyết định', en: 'Awaiting the chair' },
  DECIDED: { vi: 'Đã kết luận', en: 'Decided' },
};

export const MEMBER_ROLES: Record<CouncilMemberRole, Bilingual> = {
  chair: { vi: 'Chủ tịch', en: 'Chair' },
  vice_chair: { vi: 'Phó Chủ tịch', en: 'Vice-chair' },
  reviewer: { vi: 'Ủy viên phản biện', en: 'Reviewer' },
  member: { vi: 'Ủy viên', en: 'Member' },
  scientific_secretary: { vi: 'Ủy viên thư ký khoa học', en: 'Scientific secretary' },
};

export const RATINGS: Record<AcceptanceRating, Bilingual> = {
  EXCELLENT: { vi: 'Xuất sắc', en: 'Excellent' },
  PASS: { vi: 'Đạt', en: 'Pass' },
  FAIL: { vi: 'Không đạt', en: 'Fail' },
};

export const OBLIGATION_STATUSES: Record<ObligationStatus, Bilingual> = {
  OPEN: { vi: 'Đang thực hiện', en: 'Open' },
  DONE: { vi: 'Đã hoàn thành', en: 'Done' },
  OVERDUE: { vi: 'Quá hạn', en: 'Overdue' },
  WAIVED: { vi: 'Được miễn', en: 'Waived' },
  CANCELLED: { vi: 'Đã hủy', en: 'Cancelled' },
};

/** What the audit log records besides the lifecycle commands. */
export const AUDIT_ACTIONS: Record<string, Bilingual> = {
  fileProposal: { vi: 'Nộp đề xuất', en: 'File the proposal' },
  createUser: { vi: 'Thêm người dùng', en: 'Add a user' },
  updateUser: { vi: 'Sửa người dùng', en: 'Change a user' },
  deactivateUser: { vi: 'Khóa người dùng', en: 'Deactivate a user' },
  reactivateUser: { vi: 'Mở lại người dùng', en: 'Reactivate a user' },
  setOwnLocale: { vi: 'Đổi ngôn ngữ', en: 'Change language' },
  downloadTaskFile: { vi: 'Tải tệp của nhiệm vụ', en: "Download a task's file" },
  downloadCouncilFile: { vi: 'Tải tệp hồ sơ hội đồng', en: "Download a council's file" },
  declareConflict: { vi: 'Khai báo xung đột lợi ích', en: 'Declare conflicts of interest' },
  recordAttendance: { vi: 'Điểm danh', en: 'Record attendance' },
  castVote: { vi: 'Bỏ phiếu', en: 'Vote' },
  reschedule: { vi: 'Dời lịch họp', en: 'Reschedule' },
  chairTieBreak: { vi: 'Chủ tịch quyết định khi bằng điểm', en: "The chair's tie-break" },
  submitWrittenReview: { vi: 'Gửi nhận xét bằng văn bản', en: 'Send a written review' },
  importUser: { vi: 'Nhập thành viên hội đồng từ tệp', en: 'Import a council member from a sheet' },
  reconcileReadModels: { vi: 'Đối soát dữ liệu', en: 'Reconcile the read models' },
  signDocument: { vi: 'Ký văn bản', en: 'Sign a document' },
  registerDocument: { vi: 'Vào sổ văn bản đi', en: 'Register a document' },
  issueDocument: { vi: 'Ban hành văn bản', en: 'Issue a document' },
};

/** Issue 12: where an outgoing document stands (draft → signature → number → issue). */
export const DOCUMENT_STATUSES: Record<string, Bilingual> = {
  AWAITING_SIGNATURE: { vi: 'Chờ ký', en: 'Awaiting signature' },
  SIGNED: { vi: 'Đã ký', en: 'Signed' },
  REGISTERED: { vi: 'Đã vào sổ', en: 'Registered' },
  ISSUED: { vi: 'Đã ban hành', en: 'Issued' },
  WITHDRAWN: { vi: 'Đã thu hồi', en: 'Withdrawn' },
};

/** Council outcomes (the tally's result codes). */
export const OUTCOMES: Record<string, Bilingual> = {
  RECOMMENDED: { vi: 'Đề nghị đặt hàng', en: 'Recommended' },
  NOT_RECOMMENDED: { vi: 'Không đề nghị', en: 'Not recommended' },
  SELECTED: { vi: 'Có hồ sơ trúng tuyển', en: 'A dossier was selected' },
  NO_QUALIFIED_APPLICANT: { vi: 'Không có hồ sơ đạt yêu cầu', en: 'No qualified applicant' },
  TIE_NEEDS_CHAIR: { vi: 'Bằng điểm, chờ chủ tịch quyết định', en: 'Tie: the chair decides' },
  NO_QUORUM: { vi: 'Không đủ số thành viên', en: 'No quorum' },
  EXCELLENT: { vi: 'Xuất sắc', en: 'Excellent' },
  PASS: { vi: 'Đạt', en: 'Pass' },
  FAIL: { vi: 'Không đạt', en: 'Fail' },
  CONSENSUS: { vi: 'Thống nhất', en: 'Consensus' },
  REFER_TO_APPROVER: { vi: 'Trình cấp phê duyệt quyết định', en: 'Referred to the approver' },
};

/** Selection criteria (C-SEL, domain.md §3): names for the identifiers councils are formed with. */
export const CRITERIA: Record<string, Bilingual> = {
  rationale: { vi: 'Tính cấp thiết, cơ sở khoa học', en: 'Rationale and scientific basis' },
  content: { vi: 'Mục tiêu, nội dung, phương pháp', en: 'Objectives, content, methods' },
  objectives: { vi: 'Mục tiêu, nội dung, phương pháp', en: 'Objectives, content, methods' },
  products: { vi: 'Sản phẩm', en: 'Products' },
  applicability: { vi: 'Khả năng ứng dụng, tác động', en: 'Applicability and impact' },
  capacity: { vi: 'Năng lực tổ chức chủ trì và chủ nhiệm', en: 'Capacity of the host and the PI' },
  budget: { vi: 'Dự toán kinh phí', en: 'Budget' },
};

/** The label of a code in a table, or the code itself when the table has none. */
export const label = <K extends string>(table: Partial<Record<K, Bilingual>>, code: string | undefined, locale: Locale): string =>
  (code !== undefined ? table[code as K]?.[locale] : undefined) ?? code ?? '';
