/**
 * Which command is allowed in which stage by which role (domain.md §2, §4, §5, §6).
 * Pure: no Temporal, no I/O. The workflow's update validators and the API both
 * ask it, so a refusal has one reason wherever it is raised. Conditions that
 * depend on more than stage and role (an extension's cap, a call's window…) are
 * checked by the rules they belong to (deadlines.ts, money.ts) in the validator.
 */
import { TaskStage as S, type CommandName, type Role, type TaskStage } from '../definitions';

export type { CommandName };

export interface CommandRule {
  /** Rule ID of domain.md that the command implements. */
  rule: string;
  from: readonly TaskStage[];
  roles: readonly Role[];
  /** Short name of what it does, for messages. */
  label: { vi: string; en: string };
}

const EXECUTION: readonly TaskStage[] = [S.IN_PROGRESS, S.UNDER_INSPECTION, S.ADJUSTMENT_PENDING];
/** Before a contract is signed (withdrawal, cancellation). */
const BEFORE_CONTRACT: readonly TaskStage[] = [
  S.PROPOSED, S.IDENTIFICATION_REVIEW, S.ORDER_LISTED, S.CALL_OPEN, S.DOSSIERS_OPENED, S.SELECTION_REVIEW,
  S.SELECTED, S.PROPOSAL_REVISION, S.BUDGET_APPRAISAL, S.PENDING_APPROVAL, S.APPROVED, S.NO_QUALIFIED_APPLICANT,
];

export const COMMANDS = {
  startIdentificationReview: { rule: 'L-2', from: [S.PROPOSED], roles: ['manager'], label: { vi: 'đưa đề xuất vào xác định nhiệm vụ', en: 'open identification review' } },
  recordIdentificationResult: { rule: 'L-3', from: [S.IDENTIFICATION_REVIEW], roles: ['manager'], label: { vi: 'ghi nhận kết quả hội đồng xác định nhiệm vụ', en: 'record the identification council result' } },
  approveOrderList: { rule: 'L-3', from: [S.IDENTIFICATION_REVIEW], roles: ['manager'], label: { vi: 'phê duyệt danh mục đặt hàng', en: 'approve the ordered-task list' } },
  rejectProposal: { rule: 'L-3', from: [S.PROPOSED, S.IDENTIFICATION_REVIEW], roles: ['manager'], label: { vi: 'không phê duyệt đề xuất', en: 'reject the proposal' } },
  openCall: { rule: 'L-4', from: [S.ORDER_LISTED, S.NO_QUALIFIED_APPLICANT], roles: ['manager'], label: { vi: 'thông báo tuyển chọn', en: 'open a call' } },
  assignDirectly: { rule: 'L-6', from: [S.ORDER_LISTED, S.NO_QUALIFIED_APPLICANT], roles: ['manager'], label: { vi: 'giao trực tiếp', en: 'assign directly' } },
  submitDossier: { rule: 'L-5', from: [S.CALL_OPEN], roles: ['researcher'], label: { vi: 'nộp hồ sơ đăng ký', en: 'submit an application dossier' } },
  openDossiers: { rule: 'L-5', from: [S.CALL_OPEN], roles: ['manager'], label: { vi: 'mở hồ sơ', en: 'open the dossiers' } },
  formSelectionCouncil: { rule: 'L-6', from: [S.DOSSIERS_OPENED], roles: ['manager'], label: { vi: 'thành lập hội đồng tuyển chọn', en: 'form the selection council' } },
  recordSelectionResult: { rule: 'L-7', from: [S.SELECTION_REVIEW], roles: ['manager'], label: { vi: 'ghi nhận kết quả tuyển chọn', en: 'record the selection result' } },
  submitRevisedProposal: { rule: 'L-8', from: [S.PROPOSAL_REVISION], roles: ['researcher'], label: { vi: 'nộp thuyết minh hoàn thiện', en: 'submit the revised proposal' } },
  recordBudgetAppraisal: { rule: 'L-9', from: [S.BUDGET_APPRAISAL], roles: ['manager'], label: { vi: 'ghi nhận kết quả thẩm định kinh phí', en: 'record the budget appraisal' } },
  approveTask: { rule: 'L-10', from: [S.PENDING_APPROVAL], roles: ['manager'], label: { vi: 'phê duyệt nhiệm vụ', en: 'approve the task' } },
  cancelBeforeContract: { rule: 'L-10', from: [S.ORDER_LISTED, S.CALL_OPEN, S.DOSSIERS_OPENED, S.SELECTION_REVIEW, S.PROPOSAL_REVISION, S.BUDGET_APPRAISAL, S.PENDING_APPROVAL, S.APPROVED, S.NO_QUALIFIED_APPLICANT], roles: ['manager'], label: { vi: 'đưa khỏi danh mục trước khi ký hợp đồng', en: 'cancel before the contract' } },
  signContract: { rule: 'L-11', from: [S.APPROVED], roles: ['researcher', 'manager'], label: { vi: 'ký hợp đồng', en: 'sign the contract' } },
  recordDisbursement: { rule: 'L-12', from: [S.CONTRACTED, ...EXECUTION, S.SELF_EVALUATION], roles: ['manager'], label: { vi: 'ghi nhận cấp kinh phí', en: 'record a disbursement' } },
  submitProgressReport: { rule: 'L-13', from: [...EXECUTION], roles: ['researcher'], label: { vi: 'nộp báo cáo định kỳ', en: 'submit a progress report' } },
  startInspection: { rule: 'L-13', from: [S.IN_PROGRESS], roles: ['manager'], label: { vi: 'bắt đầu kiểm tra', en: 'start an inspection' } },
  concludeInspection: { rule: 'L-13', from: [S.UNDER_INSPECTION], roles: ['manager'], label: { vi: 'kết luận kiểm tra', en: 'conclude the inspection' } },
  requestAdjustment: { rule: 'L-14', from: [S.IN_PROGRESS], roles: ['researcher'], label: { vi: 'đề nghị điều chỉnh', en: 'request an adjustment' } },
  decideAdjustment: { rule: 'L-14', from: [S.ADJUSTMENT_PENDING], roles: ['manager'], label: { vi: 'quyết định điều chỉnh', en: 'decide the adjustment' } },
  suspend: { rule: 'T-1', from: [...EXECUTION], roles: ['manager'], label: { vi: 'tạm dừng', en: 'suspend' } },
  resume: { rule: 'T-1', from: [S.SUSPENDED], roles: ['manager'], label: { vi: 'cho tiếp tục', en: 'resume' } },
  requestTermination: { rule: 'T-2', from: [...EXECUTION, S.SUSPENDED, S.SELF_EVALUATION], roles: ['researcher'], label: { vi: 'đề nghị chấm dứt', en: 'request termination' } },
  proposeTermination: { rule: 'T-2', from: [...EXECUTION, S.SUSPENDED, S.SELF_EVALUATION], roles: ['manager'], label: { vi: 'đề xuất chấm dứt', en: 'propose termination' } },
  submitObservations: { rule: 'T-2', from: [S.TERMINATION_PENDING], roles: ['researcher'], label: { vi: 'gửi ý kiến giải trình', en: 'submit observations' } },
  decideTermination: { rule: 'T-2', from: [S.TERMINATION_PENDING], roles: ['manager'], label: { vi: 'quyết định chấm dứt', en: 'decide the termination' } },
  startSelfEvaluation: { rule: 'L-17', from: [S.IN_PROGRESS], roles: ['researcher'], label: { vi: 'tự đánh giá', en: 'start self-evaluation' } },
  // Issue 13: also in ACCEPTANCE_SUBMITTED, to file again a dossier the Department found incomplete (L-19).
  submitAcceptanceDossier: { rule: 'L-18', from: [S.SELF_EVALUATION, S.ACCEPTANCE_SUBMITTED], roles: ['researcher'], label: { vi: 'nộp hồ sơ nghiệm thu', en: 'submit the acceptance dossier' } },
  checkAcceptanceDossier: { rule: 'L-19', from: [S.ACCEPTANCE_SUBMITTED], roles: ['manager'], label: { vi: 'kiểm tra tính đầy đủ của hồ sơ', en: 'check the dossier is complete' } },
  formAcceptanceCouncil: { rule: 'L-19', from: [S.ACCEPTANCE_SUBMITTED], roles: ['manager'], label: { vi: 'thành lập hội đồng nghiệm thu', en: 'form the acceptance council' } },
  recordAcceptanceResult: { rule: 'L-20', from: [S.ACCEPTANCE_REVIEW], roles: ['manager'], label: { vi: 'ghi nhận kết quả nghiệm thu', en: 'record the acceptance result' } },
  submitRevisedResults: { rule: 'L-21', from: [S.ACCEPTED_EXCELLENT, S.ACCEPTED_PASS], roles: ['researcher'], label: { vi: 'nộp kết quả đã hoàn thiện theo kết luận hội đồng', en: 'submit the results revised per the council' } },
  recognizeResult: { rule: 'L-21', from: [S.ACCEPTED_EXCELLENT, S.ACCEPTED_PASS], roles: ['manager'], label: { vi: 'công nhận kết quả', en: 'recognise the result' } },
  registerResult: { rule: 'L-22', from: [S.RESULT_RECOGNIZED], roles: ['researcher'], label: { vi: 'đăng ký kết quả', en: 'register the result' } },
  settleFinances: { rule: 'L-23', from: [S.RESULT_REGISTERED], roles: ['manager'], label: { vi: 'quyết toán', en: 'settle the finances' } },
  // A task liquidated before refunds were obligations may still owe one: it is recorded until paid (issue 13).
  recordRefund: { rule: 'T-3', from: [S.FINANCIAL_SETTLEMENT, S.TERMINATED, S.ACCEPTANCE_FAILED, S.LIQUIDATED], roles: ['manager'], label: { vi: 'ghi nhận thu hồi kinh phí', en: 'record the refund' } },
  writeOffRefund: { rule: 'T-3', from: [S.FINANCIAL_SETTLEMENT, S.TERMINATED, S.ACCEPTANCE_FAILED, S.LIQUIDATED], roles: ['manager'], label: { vi: 'ghi nhận quyết định xóa khoản phải thu hồi', en: 'record a refund write-off' } },
  liquidate: { rule: 'L-23', from: [S.FINANCIAL_SETTLEMENT, S.TERMINATED, S.ACCEPTANCE_FAILED], roles: ['manager'], label: { vi: 'thanh lý hợp đồng', en: 'liquidate the contract' } },
  archive: { rule: 'L-23', from: [S.LIQUIDATED], roles: ['manager'], label: { vi: 'lưu trữ', en: 'archive' } },
  withdraw: { rule: 'L-1', from: BEFORE_CONTRACT, roles: ['researcher'], label: { vi: 'rút hồ sơ', en: 'withdraw' } },
  formCouncil: { rule: 'C-1', from: [S.IDENTIFICATION_REVIEW, S.SELECTION_REVIEW, S.ACCEPTANCE_REVIEW], roles: ['manager'], label: { vi: 'thành lập hội đồng', en: 'form a council' } },
  assignOfficer: { rule: '§8', from: [], roles: ['manager'], label: { vi: 'giao cán bộ theo dõi', en: 'assign the accountable officer' } },
} as const satisfies Record<CommandName, CommandRule>;
export const COMMAND_NAMES = Object.keys(COMMANDS) as CommandName[];

/** Stages where nothing more happens: the workflow completes. */
export const TERMINAL_STAGES: readonly TaskStage[] = [S.ARCHIVED, S.PROPOSAL_REJECTED, S.WITHDRAWN, S.CANCELLED_BEFORE_CONTRACT];
const ALL_STAGES = Object.values(S) as TaskStage[];
/** Commands with an empty `from` are allowed in every stage that is not terminal. */
const stagesOf = (r: CommandRule): readonly TaskStage[] => (r.from.length ? r.from : ALL_STAGES.filter((s) => !TERMINAL_STAGES.includes(s)));

export type RefusalCode = 'FORBIDDEN_ROLE' | 'TRANSITION_NOT_ALLOWED' | 'NOT_YOUR_TASK' | 'PRECONDITION_FAILED' | 'INVALID_COMMAND';
export interface Refusal {
  code: RefusalCode | string;
  rule: string;
  message: { vi: string; en: string };
}

export function refuse(code: Refusal['code'], rule: string, vi: string, en: string): Refusal {
  return { code, rule, message: { vi, en } };
}

/** null when the role may give the command in this stage; otherwise the reason, in Vietnamese and English. */
export function refusalFor(command: CommandName, stage: TaskStage, role: Role): Refusal | null {
  const r: CommandRule = COMMANDS[command];
  if (!r.roles.includes(role)) {
    return refuse('FORBIDDEN_ROLE', r.rule,
      `Vai trò "${role}" không được ${r.label.vi} (${r.rule}).`,
      `Role "${role}" may not ${r.label.en} (${r.rule}).`);
  }
  const from = stagesOf(r);
  if (!from.includes(stage)) {
    return refuse('TRANSITION_NOT_ALLOWED', r.rule,
      `Không thể ${r.label.vi} ở giai đoạn ${stage}; chỉ được phép ở: ${from.join(', ')} (${r.rule}).`,
      `Cannot ${r.label.en} in stage ${stage}; allowed only in: ${from.join(', ')} (${r.rule}).`);
  }
  return null;
}

/** The commands a role may give in a stage: what the API offers as next actions. */
export function allowedCommands(stage: TaskStage, role: Role): CommandName[] {
  return COMMAND_NAMES.filter((c) => refusalFor(c, stage, role) === null);
}
