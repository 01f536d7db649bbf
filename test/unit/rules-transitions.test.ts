/**
 * Every stage × every command × every role against the transitions of
 * domain.md §2/§4/§5/§6, written out here independently of the rule table.
 */
import { ROLES, TaskStage, type CommandName, type Role } from '../../workflows/definitions';
import { allowedCommands, COMMAND_NAMES, refusalFor, TERMINAL_STAGES } from '../../workflows/rules/transitions';

const ALL = Object.values(TaskStage);
const EXEC = ['IN_PROGRESS', 'UNDER_INSPECTION', 'ADJUSTMENT_PENDING'];
const PRE_CONTRACT = [
  'PROPOSED', 'IDENTIFICATION_REVIEW', 'ORDER_LISTED', 'CALL_OPEN', 'DOSSIERS_OPENED', 'SELECTION_REVIEW', 'SELECTED',
  'PROPOSAL_REVISION', 'BUDGET_APPRAISAL', 'PENDING_APPROVAL', 'APPROVED', 'NO_QUALIFIED_APPLICANT',
];

/** The specification: command → (stages where it is allowed, roles that may give it). */
const SPEC: Record<CommandName, [string[], Role[]]> = {
  startIdentificationReview: [['PROPOSED'], ['manager']], // L-2
  recordIdentificationResult: [['IDENTIFICATION_REVIEW'], ['manager']], // L-3 (C-ID)
  approveOrderList: [['IDENTIFICATION_REVIEW'], ['manager']], // L-3
  rejectProposal: [['PROPOSED', 'IDENTIFICATION_REVIEW'], ['manager']], // L-3, with reasons
  openCall: [['ORDER_LISTED', 'NO_QUALIFIED_APPLICANT'], ['manager']], // L-4, and a new call
  assignDirectly: [['ORDER_LISTED', 'NO_QUALIFIED_APPLICANT'], ['manager']], // direct assignment
  submitDossier: [['CALL_OPEN'], ['researcher']], // L-5
  openDossiers: [['CALL_OPEN'], ['manager']], // L-5
  formSelectionCouncil: [['DOSSIERS_OPENED'], ['manager']], // L-6
  recordSelectionResult: [['SELECTION_REVIEW'], ['manager']], // L-7 (C-SEL)
  submitRevisedProposal: [['PROPOSAL_REVISION'], ['researcher']], // L-8
  recordBudgetAppraisal: [['BUDGET_APPRAISAL'], ['manager']], // L-9 (C-BUD)
  approveTask: [['PENDING_APPROVAL'], ['manager']], // L-10
  cancelBeforeContract: [['ORDER_LISTED', 'CALL_OPEN', 'DOSSIERS_OPENED', 'SELECTION_REVIEW', 'PROPOSAL_REVISION', 'BUDGET_APPRAISAL', 'PENDING_APPROVAL', 'APPROVED', 'NO_QUALIFIED_APPLICANT'], ['manager']],
  signContract: [['APPROVED'], ['researcher', 'manager']], // L-11: both parties
  recordDisbursement: [['CONTRACTED', ...EXEC, 'SELF_EVALUATION'], ['manager']], // L-12; never while SUSPENDED (T-1)
  submitProgressReport: [EXEC, ['researcher']], // L-13
  startInspection: [['IN_PROGRESS'], ['manager']], // L-13
  concludeInspection: [['UNDER_INSPECTION'], ['manager']],
  requestAdjustment: [['IN_PROGRESS'], ['researcher']], // L-14
  decideAdjustment: [['ADJUSTMENT_PENDING'], ['manager']],
  suspend: [EXEC, ['manager']], // T-1
  resume: [['SUSPENDED'], ['manager']],
  requestTermination: [[...EXEC, 'SUSPENDED', 'SELF_EVALUATION'], ['researcher']], // T-2 voluntary
  proposeTermination: [[...EXEC, 'SUSPENDED', 'SELF_EVALUATION'], ['manager']], // T-2 by the Department
  submitObservations: [['TERMINATION_PENDING'], ['researcher']],
  decideTermination: [['TERMINATION_PENDING'], ['manager']],
  startSelfEvaluation: [['IN_PROGRESS'], ['researcher']], // L-17 / N-1
  submitAcceptanceDossier: [['SELF_EVALUATION', 'ACCEPTANCE_SUBMITTED'], ['researcher']], // L-18 / N-2; filed again when incomplete (L-19)
  checkAcceptanceDossier: [['ACCEPTANCE_SUBMITTED'], ['manager']], // L-19
  formAcceptanceCouncil: [['ACCEPTANCE_SUBMITTED'], ['manager']], // L-19
  recordAcceptanceResult: [['ACCEPTANCE_REVIEW'], ['manager']], // L-20 (C-ACC)
  submitRevisedResults: [['ACCEPTED_EXCELLENT', 'ACCEPTED_PASS'], ['researcher']], // L-21: the host revises
  recognizeResult: [['ACCEPTED_EXCELLENT', 'ACCEPTED_PASS'], ['manager']], // L-21
  registerResult: [['RESULT_RECOGNIZED'], ['researcher']], // L-22
  settleFinances: [['RESULT_REGISTERED'], ['manager']], // L-23
  recordRefund: [['FINANCIAL_SETTLEMENT', 'TERMINATED', 'ACCEPTANCE_FAILED', 'LIQUIDATED'], ['manager']], // T-3: unspent funds after settlement too (L-23); a task liquidated before issue 13 may still owe
  writeOffRefund: [['FINANCIAL_SETTLEMENT', 'TERMINATED', 'ACCEPTANCE_FAILED', 'LIQUIDATED'], ['manager']], // T-3: a decision writes off what cannot be recovered
  liquidate: [['FINANCIAL_SETTLEMENT', 'TERMINATED', 'ACCEPTANCE_FAILED'], ['manager']], // L-23, L-24
  archive: [['LIQUIDATED'], ['manager']],
  withdraw: [PRE_CONTRACT, ['researcher']], // WITHDRAWN before a contract
  formCouncil: [['IDENTIFICATION_REVIEW', 'SELECTION_REVIEW', 'ACCEPTANCE_REVIEW'], ['manager']], // C-1: a sitting per council stage
  assignOfficer: [ALL.filter((s) => !['ARCHIVED', 'PROPOSAL_REJECTED', 'WITHDRAWN', 'CANCELLED_BEFORE_CONTRACT'].includes(s)), ['manager']],
};

test('the specification names every command, and the rule table has no other', () => {
  expect([...COMMAND_NAMES].sort()).toEqual(Object.keys(SPEC).sort());
});

const cases = COMMAND_NAMES.flatMap((c) => ALL.flatMap((stage) => ROLES.map((role) => [c, stage, role] as const)));

test.each(cases)('%s in %s by %s', (command, stage, role) => {
  const [stages, roles] = SPEC[command];
  const refusal = refusalFor(command, stage, role);
  if (!roles.includes(role)) {
    expect(refusal).toMatchObject({ code: 'FORBIDDEN_ROLE' });
  } else if (!stages.includes(stage)) {
    expect(refusal).toMatchObject({ code: 'TRANSITION_NOT_ALLOWED' });
    expect(refusal!.message.vi).toContain(`giai đoạn ${stage}`);
    expect(refusal!.message.en).toContain(`stage ${stage}`);
  } else {
    expect(refusal).toBeNull();
  }
  if (refusal) expect(refusal.rule).toMatch(/^(L-\d+|T-\d|C-\d|§8)$/);
});

test('terminal stages accept no command at all', () => {
  for (const stage of TERMINAL_STAGES) for (const role of ROLES) expect(allowedCommands(stage, role)).toEqual([]);
});

test('a council member gives no lifecycle command (their votes go through the councils)', () => {
  for (const stage of ALL) expect(allowedCommands(stage, 'council_member')).toEqual([]);
});

test('the next actions offered to a researcher in progress', () => {
  expect(allowedCommands('IN_PROGRESS', 'researcher').sort()).toEqual(
    ['requestAdjustment', 'requestTermination', 'startSelfEvaluation', 'submitProgressReport'].sort(),
  );
});
