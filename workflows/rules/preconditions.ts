/**
 * Issue 13, "allowed actions are exact": the conditions a command needs that depend on the task's
 * state and on who gives it, never on the command's body. One pure function, asked by the task
 * workflow's update validators (a command refused here records nothing) and by the API for the
 * `allowedActions` it lists: a command is offered exactly when stage and role allow it
 * (transitions.ts) and nothing here refuses it. What depends on the body (an amount, a date, a
 * dossier code) is refused with 422 by the workflow, never with 409, so an offered command with
 * a valid body is never "not allowed now".
 *
 * Pure: no Temporal, no I/O; `today` is the Vietnam date of the moment asked.
 */
import { TaskStage as S, type Actor, type CommandName, type TaskState } from '../definitions';
import { compareDates } from './calendar';
import { formatVnd } from './money';
import { COMMANDS, refuse, refusalFor, type Refusal } from './transitions';

/**
 * Issue 13: outcomes enter only through ballots and the tally (C-9). These free entries of a council's
 * outcome are kept for the replay of recorded histories only: no caller may give them any more.
 */
export const RETIRED_COMMANDS = ['recordIdentificationResult', 'recordSelectionResult', 'recordAcceptanceResult'] as const satisfies readonly CommandName[];
export type RetiredCommand = (typeof RETIRED_COMMANDS)[number];
export const isRetired = (name: CommandName): name is RetiredCommand => (RETIRED_COMMANDS as readonly CommandName[]).includes(name);

const pre = (rule: string, vi: string, en: string) => refuse('PRECONDITION_FAILED', rule, vi, en);

/** What decisions wrote off of a refund owed (T-3, issue 13), integer VND. */
export const writtenOffTotal = (funds: TaskState['funds']): number => (funds.writtenOff ?? []).reduce((sum, w) => sum + w.amount, 0);

/** The refund still owed (T-3): due, less what was refunded and what a decision wrote off (issue 13). */
export function refundOutstanding(state: Pick<TaskState, 'funds'>): number {
  const due = state.funds.refundDue?.total ?? 0;
  return Math.max(0, due - state.funds.refunded - writtenOffTotal(state.funds));
}

/**
 * null when `by` may give `name` on this task now, as far as the task's state goes; otherwise the
 * refusal (403 NOT_YOUR_TASK, 409 PRECONDITION_FAILED, or COMMAND_RETIRED). Stage and role are
 * `refusalFor`'s (asked first by `commandRefusal`).
 */
export function stateRefusal(name: CommandName, state: TaskState, by: Pick<Actor, 'role' | 'orgId'>, today: string): Refusal | null {
  if (isRetired(name)) {
    return refuse('COMMAND_RETIRED', 'C-9', 'Kết quả hội đồng chỉ được ghi nhận qua phiếu của thành viên và kiểm phiếu (họp trực tuyến hoặc nhập phiếu giấy).', 'A council\'s outcome is recorded only through its members\' ballots and the tally (online, or paper ballots entered by the secretary).');
  }
  if (by.role === 'researcher' && name !== 'submitDossier') {
    // Before selection the proposer's organisation acts; after it, the host's (the proposer may still withdraw).
    const party = state.host?.orgId ?? state.owner.orgId;
    if (by.orgId !== party && !(name === 'withdraw' && by.orgId === state.owner.orgId)) {
      return refuse('NOT_YOUR_TASK', COMMANDS[name].rule, 'Nhiệm vụ này không thuộc tổ chức của bạn.', 'This task does not belong to your organisation.');
    }
  }
  const lastCouncil = (c: string) => [...state.councils].reverse().find((x) => x.council === c);
  const pendingAdjustment = state.adjustments.find((a) => !a.decision && a.kind !== 'A-1');
  switch (name) {
    case 'approveOrderList':
      return lastCouncil('C-ID')?.outcome === 'RECOMMENDED' ? null : pre('L-3', 'Chưa có kết luận đề nghị của hội đồng xác định nhiệm vụ.', 'The identification council has not recommended the task.');
    case 'submitDossier':
      if (!state.call || compareDates(today, state.call.closesOn) > 0) return pre('L-5', 'Đã hết hạn nộp hồ sơ.', 'The call has closed.');
      return state.call.dossiers.some((d) => d.host.orgId === by.orgId) ? pre('L-5', 'Tổ chức đã nộp hồ sơ cho đợt này.', 'This organisation already applied in this call.') : null;
    case 'openDossiers':
      return state.call && compareDates(today, state.call.closesOn) <= 0 ? pre('L-5', `Chưa hết hạn nộp hồ sơ (${state.call.closesOn}).`, `The call is still open until ${state.call.closesOn}.`) : null;
    case 'signContract': {
      const signed = by.role === 'manager' ? state.contract?.departmentSignedAt : state.contract?.hostSignedAt;
      return signed ? pre('L-11', 'Bên này đã ký hợp đồng.', 'This party has already signed.') : null;
    }
    case 'recordDisbursement':
      return state.funds.disbursed < state.funds.approvedState ? null : pre('L-12', 'Đã cấp đủ kinh phí ngân sách nhà nước được phê duyệt.', 'The approved state budget has been disbursed in full.');
    case 'submitProgressReport':
      return state.reports.some((r) => !r.submittedAt) ? null : pre('L-13', 'Không có kỳ báo cáo nào đang chờ.', 'No progress report is due.');
    case 'requestAdjustment':
      return pendingAdjustment ? pre('L-14', 'Đang có một đề nghị điều chỉnh chờ quyết định.', 'Another adjustment is awaiting a decision.') : null;
    case 'decideAdjustment':
      return pendingAdjustment ? null : pre('L-14', 'Không có đề nghị điều chỉnh nào đang chờ.', 'No adjustment is pending.');
    case 'submitObservations':
      return state.termination?.initiatedBy === 'department' && !state.termination.observations
        ? null
        : pre('T-2', 'Không có đề xuất chấm dứt nào chờ ý kiến giải trình.', 'No Department-initiated termination awaits observations.');
    case 'decideTermination': {
      const t = state.termination;
      if (t?.initiatedBy === 'department' && !t.observations && t.observationEndsOn && compareDates(today, t.observationEndsOn) <= 0) {
        return pre('T-2', `Chưa hết thời hạn giải trình của bên thực hiện (đến ${t.observationEndsOn}).`, `The host may still submit observations until ${t.observationEndsOn}.`);
      }
      return null;
    }
    // Issue 13 (L-19): a dossier is filed again only after the Department found it incomplete, and checked once per filing.
    case 'submitAcceptanceDossier':
      return state.stage === S.ACCEPTANCE_SUBMITTED && state.acceptance?.complete !== false
        ? pre('L-19', 'Hồ sơ nghiệm thu đã nộp đang chờ kiểm tra.', 'The acceptance dossier filed awaits its check.')
        : null;
    case 'checkAcceptanceDossier':
      return state.acceptance?.complete === false ? pre('L-19', 'Hồ sơ chưa đầy đủ đang chờ bên thực hiện nộp bổ sung.', 'The incomplete dossier awaits the host\'s completed filing.') : null;
    // Issue 13 (L-21): the host revises the results per the council before the recognition decision.
    case 'submitRevisedResults':
      return state.acceptance?.revisionRequired && !state.acceptance.revisedAt ? null : pre('L-21', 'Không có yêu cầu hoàn thiện kết quả đang chờ.', 'No revision of the results is awaited.');
    case 'recognizeResult':
      return state.acceptance?.revisionRequired && !state.acceptance.revisedAt
        ? pre('L-21', 'Bên thực hiện chưa nộp kết quả đã hoàn thiện theo kết luận của hội đồng.', 'The host has not yet submitted the results revised per the council\'s conclusions.')
        : null;
    case 'formAcceptanceCouncil':
      return state.acceptance?.complete ? null : pre('L-19', 'Hồ sơ nghiệm thu chưa được xác nhận đầy đủ.', 'The acceptance dossier has not been confirmed complete.');
    case 'recordRefund':
    case 'writeOffRefund':
      return refundOutstanding(state) > 0 ? null : pre('T-3', 'Không còn khoản kinh phí nào phải hoàn trả.', 'No refund is owed.');
    case 'liquidate': {
      // After settlement the certificate (L-22); then, as after FAIL or termination (L-24), nothing may still be owed
      // (issue 13: a refund is paid, or written off by a decision, before the contract is liquidated).
      if (state.stage === S.FINANCIAL_SETTLEMENT && !state.registration) return pre('L-22', 'Chưa có giấy chứng nhận đăng ký kết quả.', 'No registration certificate yet.');
      const owed = refundOutstanding(state);
      const rule = state.stage === S.FINANCIAL_SETTLEMENT ? 'L-23' : 'L-24';
      return owed > 0 ? pre(rule, `Chưa thu hồi đủ kinh phí: còn ${formatVnd(owed)} đồng phải hoàn trả (hoặc có quyết định xóa khoản phải thu).`, `Funds not fully recovered: ${formatVnd(owed)} VND still owed (or written off by a decision).`) : null;
    }
    case 'formCouncil':
      return state.councilSittings.some((c) => c.status === 'SITTING') ? pre('C-1', 'Đang có một hội đồng chưa kết luận.', 'A council of this task is still sitting.') : null;
    default:
      return null;
  }
}

/** Stage and role (transitions.ts), then the state: the one answer to "may `by` give `name` now?" apart from the body. */
export function commandRefusal(name: CommandName, state: TaskState, by: Pick<Actor, 'role' | 'orgId'>, today: string): Refusal | null {
  return refusalFor(name, state.stage, by.role) ?? stateRefusal(name, state, by, today);
}
