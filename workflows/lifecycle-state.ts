/** The state a task's lifecycle starts from. Pure. */
import { TaskStage as S, type Actor, type ActorRef, type ImportedTask, type Obligation, type TaskLifecycleInput, type TaskState } from './definitions';
import { compareDates, startOfVnDay, vnDateOf } from './rules/calendar';
import { acceptanceDossierDue, contractEndDate, contractSigningDue, inspectionDueDates, inspectionReminderDate, reminderDate, reportDueDates } from './rules/deadlines';
import { formatVnd } from './rules/money';
import { openObligation } from './rules/obligations';
import { ruleSetFor, type RuleSet } from './rules/ruleset';

export const refOf = (a: ActorRef | Actor): ActorRef => ({ userId: a.userId, role: a.role, name: a.name });

export function initialState(input: TaskLifecycleInput, workflowId: string): TaskState {
  const state: TaskState = {
    taskId: input.taskId,
    workflowId,
    departmentId: input.departmentId,
    stage: S.PROPOSED,
    version: 1,
    ruleSet: input.ruleSet,
    proposal: input.proposal,
    owner: { userId: input.submittedBy.userId, orgId: input.submittedBy.orgId },
    submittedAt: input.submittedAt,
    timeline: [{ at: input.submittedAt, stage: S.PROPOSED, rule: 'L-1', by: refOf(input.submittedBy), action: 'fileProposal', ...(input.attachments?.length ? { attachments: input.attachments } : {}) }],
    documents: [],
    councils: [],
    funds: { approvedState: 0, approvedOther: 0, disbursed: 0, disbursements: [], refunded: 0 },
    reports: [],
    adjustments: [],
    extensionsGranted: 0,
    inspections: [],
    pausedDays: 0,
    obligations: [],
    councilSittings: [],
    events: [],
    eventSeq: 0,
    closed: false,
    // Issue 10: the proposal's files, on its first timeline entry and in the task's files.
    ...(input.attachments?.length
      ? { files: input.attachments.map((f) => ({ ...f, command: 'fileProposal', at: input.submittedAt, by: refOf(input.submittedBy), orgId: input.submittedBy.orgId })) }
      : {}),
  };
  return input.imported ? importedState(state, input.imported, ruleSetFor(input.ruleSet)) : state;
}

/** Evidence recorded on an obligation the host had already met before the task came into KHCN Flow. */
export const IMPORTED_EVIDENCE = 'Đã thực hiện trước khi nhập vào KHCN Flow (theo hồ sơ của Sở)';

/**
 * A task the Department already manages on paper, rebuilt in its current stage
 * (portfolio import, issue 7): host and PI, approval (L-10), contract (L-11) and
 * any extension granted, disbursements (L-12), the reports already filed
 * (L-13). Obligations come from the task's rule-set exactly as the lifecycle
 * would have opened them: the contract signature (L-11) for an approved task;
 * every six-monthly report and yearly inspection (L-13) and the acceptance
 * dossier (L-18) for a contracted one. What was already due on the import date and not met is
 * recorded OVERDUE without an escalation email (the Department is recording
 * arrears it knows, not learning of them); what is still ahead runs its
 * reminders and escalation as usual.
 */
function importedState(state: TaskState, imp: ImportedTask, rs: RuleSet): TaskState {
  const today = vnDateOf(imp.importedAt);
  const disbursed = imp.disbursements.reduce((sum, d) => sum + d.amount, 0);
  state.stage = imp.stage;
  state.assignment = imp.assignment;
  state.host = imp.host;
  if (imp.accountableOfficer) state.accountableOfficer = imp.accountableOfficer;
  state.approval = { durationMonths: imp.approval.durationMonths, fundingMode: imp.approval.fundingMode, approvedOn: imp.approval.approvedOn, products: [...imp.approval.products] };
  state.funds = {
    approvedState: imp.budget.stateBudget,
    approvedOther: imp.budget.otherSources,
    disbursed,
    disbursements: imp.disbursements.map((d) => ({ on: d.on, amount: d.amount, ...(d.note ? { note: d.note } : {}) })),
    refunded: 0,
  };
  state.imported = { code: imp.code, importedAt: imp.importedAt, by: refOf(imp.by), summary: imp.summary };

  const arrears = (o: Obligation) => {
    if (compareDates(o.dueOn, today) < 0) o.status = 'OVERDUE';
  };
  const facts = [`phê duyệt ngày ${imp.approval.approvedOn}`];
  if (imp.stage === S.APPROVED || !imp.contract) {
    // L-11: the contract is still to be signed, within the rule-set's days of approval.
    const due = contractSigningDue(imp.approval.approvedOn, rs);
    arrears(
      openObligation(state, {
        kind: 'contract_signing', rule: 'L-11', assignee: 'host', dueOn: due, remindOn: reminderDate(due, rs),
        deliverable: { vi: 'Ký hợp đồng thực hiện nhiệm vụ', en: 'Sign the task contract' },
      }),
    );
  } else {
    const c = imp.contract;
    const originalEndOn = c.extensionMonths ? contractEndDate(c.startOn, imp.approval.durationMonths) : c.endOn;
    const signedAt = startOfVnDay(c.startOn);
    state.contract = { hostSignedAt: signedAt, departmentSignedAt: signedAt, startOn: c.startOn, endOn: c.endOn, originalEndOn };
    facts.push(`hợp đồng ${c.startOn} → ${c.endOn}`);
    if (c.extensionMonths) {
      // A-3 granted before the import: once only, so no further extension may be requested.
      state.extensionsGranted = 1;
      state.adjustments.push({ kind: 'A-3', requestedAt: imp.importedAt, details: { months: c.extensionMonths, imported: true }, decision: 'approved', decidedAt: imp.importedAt });
      facts.push(`đã gia hạn ${c.extensionMonths} tháng`);
    }
    // L-13: a report every interval from the contract start, strictly before its (extended) end.
    reportDueDates(c.startOn, c.endOn, rs).forEach((due, i) => {
      const period = i + 1;
      const filedOn = imp.reportsFiledOn[i];
      state.reports.push({ period, dueOn: due, ...(filedOn ? { submittedAt: startOfVnDay(filedOn), late: compareDates(filedOn, due) > 0 } : {}) });
      const o = openObligation(state, {
        kind: 'progress_report', rule: 'L-13', assignee: 'host', dueOn: due, remindOn: reminderDate(due, rs),
        deliverable: { vi: `Báo cáo định kỳ kỳ ${period}`, en: `Progress report, period ${period}` },
      });
      o.id = `progress_report-${period}`;
      if (filedOn) {
        o.status = 'DONE';
        o.closedAt = startOfVnDay(filedOn);
        o.evidence = IMPORTED_EVIDENCE;
        o.reminded = true;
      } else arrears(o);
    });
    // L-13: the Department's yearly inspections, each the accountable officer's duty; those held before the import are met.
    inspectionDueDates(c.startOn, c.endOn, rs).forEach((due, i) => {
      const o = openObligation(state, {
        kind: 'inspection', rule: 'L-13', assignee: 'department', dueOn: due, remindOn: inspectionReminderDate(due, rs),
        deliverable: { vi: 'Kiểm tra định kỳ tình hình thực hiện nhiệm vụ', en: 'Periodic inspection of the task' },
      });
      const heldOn = imp.inspectionsOn?.[i];
      if (heldOn) {
        o.status = 'DONE';
        o.closedAt = startOfVnDay(heldOn);
        o.evidence = IMPORTED_EVIDENCE;
        o.reminded = true;
      } else arrears(o);
    });
    // L-18: the acceptance dossier, within the rule-set's days after the contract end (extensions included).
    const dossierDue = acceptanceDossierDue(c.endOn, rs);
    arrears(
      openObligation(state, {
        kind: 'acceptance_dossier', rule: 'L-18', assignee: 'host', dueOn: dossierDue, remindOn: reminderDate(dossierDue, rs),
        deliverable: { vi: 'Hồ sơ đánh giá nghiệm thu', en: 'Acceptance dossier' },
      }),
    );
  }
  if (disbursed > 0) facts.push(`đã cấp ${formatVnd(disbursed)} đồng`);
  facts.push(`đã nộp ${Math.min(imp.reportsFiledOn.length, state.reports.length)} báo cáo định kỳ`);
  state.timeline = [
    { at: imp.importedAt, stage: imp.stage, rule: 'IMPORT', by: refOf(imp.by), action: 'imported', note: `Nhập từ danh mục đang thực hiện (mã ${imp.code}): ${facts.join('; ')}. ${imp.summary}`.trim() },
  ];
  return state;
}
