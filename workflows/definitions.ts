/**
 * The one module that names every message, type and identifier shared by the
 * workflows, the worker, the API and the tests. Deterministic: no I/O here.
 */
import { ActivityFailure, ApplicationFailure, defineSearchAttributeKey, SearchAttributeType, type UpdateDefinition } from '@temporalio/common';
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';


/** Workflow IDs derive from business IDs (one lifecycle workflow per task). */
export const taskWorkflowId = (taskId: string): string => `task-${taskId}`;

/** Issue 11: the portfolio's jobs started from the API, one workflow each (workflows/portfolio-jobs.ts). */
export const portfolioImportWorkflowId = (importId: string): string => `portfolio-import-${importId}`;
export const reconciliationWorkflowId = (runId: string): string => `reconciliation-${runId}`;
export interface PortfolioImportInput {
  importId: string;
}
export interface ReconciliationInput {
  runId: string;
}

/**
 * The pages e-mails link to (issue 10): the web application's task and council pages under
 * PUBLIC_BASE_URL, which send a visitor who is not signed in to sign in first.
 */
export const taskPageUrl = (publicBaseUrl: string, taskId: string): string => `${publicBaseUrl.replace(/\/+$/, '')}/tasks/${encodeURIComponent(taskId)}`;
export const councilPageUrl = (publicBaseUrl: string, councilId: string): string => `${publicBaseUrl.replace(/\/+$/, '')}/councils/${encodeURIComponent(councilId)}`;

/** Stages of domain.md §2 (main path and side states). */
export const TaskStage = {
  PROPOSED: 'PROPOSED',
  IDENTIFICATION_REVIEW: 'IDENTIFICATION_REVIEW',
  ORDER_LISTED: 'ORDER_LISTED',
  CALL_OPEN: 'CALL_OPEN',
  DOSSIERS_OPENED: 'DOSSIERS_OPENED',
  SELECTION_REVIEW: 'SELECTION_REVIEW',
  SELECTED: 'SELECTED',
  PROPOSAL_REVISION: 'PROPOSAL_REVISION',
  BUDGET_APPRAISAL: 'BUDGET_APPRAISAL',
  PENDING_APPROVAL: 'PENDING_APPROVAL',
  APPROVED: 'APPROVED',
  CONTRACTED: 'CONTRACTED',
  IN_PROGRESS: 'IN_PROGRESS',
  SELF_EVALUATION: 'SELF_EVALUATION',
  ACCEPTANCE_SUBMITTED: 'ACCEPTANCE_SUBMITTED',
  ACCEPTANCE_REVIEW: 'ACCEPTANCE_REVIEW',
  ACCEPTED_EXCELLENT: 'ACCEPTED_EXCELLENT',
  ACCEPTED_PASS: 'ACCEPTED_PASS',
  RESULT_RECOGNIZED: 'RESULT_RECOGNIZED',
  RESULT_REGISTERED: 'RESULT_REGISTERED',
  FINANCIAL_SETTLEMENT: 'FINANCIAL_SETTLEMENT',
  LIQUIDATED: 'LIQUIDATED',
  ARCHIVED: 'ARCHIVED',
  PROPOSAL_REJECTED: 'PROPOSAL_REJECTED',
  NO_QUALIFIED_APPLICANT: 'NO_QUALIFIED_APPLICANT',
  CANCELLED_BEFORE_CONTRACT: 'CANCELLED_BEFORE_CONTRACT',
  UNDER_INSPECTION: 'UNDER_INSPECTION',
  ADJUSTMENT_PENDING: 'ADJUSTMENT_PENDING',
  SUSPENDED: 'SUSPENDED',
  TERMINATION_PENDING: 'TERMINATION_PENDING',
  TERMINATED: 'TERMINATED',
  ACCEPTANCE_FAILED: 'ACCEPTANCE_FAILED',
  WITHDRAWN: 'WITHDRAWN',
} as const;
export type TaskStage = (typeof TaskStage)[keyof typeof TaskStage];

export const TASK_LEVELS = ['national', 'ministerial', 'provincial', 'grassroots'] as const;
export type TaskLevel = (typeof TASK_LEVELS)[number];
export const TASK_FORMS = ['research_topic', 'pilot_production', 'policy_study', 'st_project', 'programme'] as const;
export type TaskForm = (typeof TASK_FORMS)[number];

export const ROLES = ['researcher', 'council_member', 'manager', 'admin'] as const;
export type Role = (typeof ROLES)[number];
export type Locale = 'vi' | 'en';

/**
 * Issue 12: the positions of the Department's people, on users of role `manager` (the role says
 * what kind of user someone is; the position says what they may decide and sign). A manager
 * without a position acts as an officer and signs nothing.
 */
export const POSITIONS = ['director', 'deputy_director', 'head_of_division', 'officer', 'clerk'] as const;
export type Position = (typeof POSITIONS)[number];

/**
 * The areas a Director delegates to a Deputy Director (phân công, provincial practice [P]); each
 * document type belongs to one (the rule-set says which), and a Deputy signs "KT. GIÁM ĐỐC" only in theirs.
 */
export const DELEGATION_AREAS = ['identification', 'selection', 'approval', 'contract', 'execution', 'acceptance', 'settlement'] as const;
export type DelegationArea = (typeof DELEGATION_AREAS)[number];

/** Who did something: carried into the timeline and the audit trail. */
export interface Actor {
  userId: string;
  role: Role;
  name: string;
  email: string;
  orgId: string;
  locale: Locale;
  /** Issue 12: the Department user's position (from their user record), and a Deputy Director's delegated areas. */
  position?: Position;
  areas?: DelegationArea[];
}

/** A proposal form (phiếu đề xuất đặt hàng), domain.md §7. Money is integer VND. */
export interface Proposal {
  title: string;
  urgency: string;
  objectives: string;
  expectedProducts: string[];
  resultUsage: string;
  durationMonths: number;
  budget: { stateBudget: number; otherSources: number };
  level: TaskLevel;
  form: TaskForm;
  proposer: { name: string; organisation: string; email: string; phone?: string };
}

/**
 * §4, issue 13: what an approved adjustment changes in what was approved (L-10), applied when
 * the adjustment is approved and shown before/after in the contract annex. A-2: product specifications
 * only (the total is unchanged); A-5: also the name, objectives, host and total budget by source (the
 * state budget is also the disbursement cap).
 */
export interface ApprovedChanges {
  products?: string[];
  title?: string;
  objectives?: string;
  host?: HostParty;
  stateBudget?: number;
  otherSources?: number;
}

export interface TaskLifecycleInput {
  taskId: string;
  departmentId: string;
  departmentName: string;
  /** Place printed on documents ("Tây Ninh, ngày …"). */
  place: string;
  /** PUBLIC_BASE_URL: where the pages that emails link to live (taskPageUrl). */
  publicBaseUrl: string;
  /** RS-1: the rule-set the task keeps for its whole life. */
  ruleSet: { regime: 'LEGACY_2013' | 'STI_2025'; provinceProfile: string; version: string };
  proposal: Proposal;
  submittedBy: Actor;
  /** ISO timestamp taken by the API when the proposal was filed. */
  submittedAt: string;
  /** Tuning for tests: continue-as-new once the history is longer than this (the server's suggestion also counts). */
  historyLimit?: number;
  /** A task already running before KHCN Flow, started directly in its current stage (portfolio import, issue 7). */
  imported?: ImportedTask;
  /** Files filed with the proposal (issue 10), as the API checked and resolved them. */
  attachments?: FileAttachment[];
}

/** The stages an imported task may start in: approved and not yet stopped or in acceptance. */
export const IMPORTABLE_STAGES = ['APPROVED', 'CONTRACTED', 'IN_PROGRESS', 'SELF_EVALUATION'] as const;
export type ImportableStage = (typeof IMPORTABLE_STAGES)[number];

/**
 * What the Department knows of a task it already manages on paper: enough to
 * rebuild its state and compute, from the rule-set, the obligations still ahead.
 */
export interface ImportedTask {
  /** The Department's own code of the task (mã nhiệm vụ); the task and workflow IDs derive from it. */
  code: string;
  /** ISO timestamp of the import run: "today" for what is already due. */
  importedAt: string;
  /** Who ran the import. */
  by: ActorRef;
  stage: ImportableStage;
  assignment: 'competitive_selection' | 'direct_assignment';
  host: HostParty;
  accountableOfficer?: Person & { userId: string };
  approval: { approvedOn: IsoDate; durationMonths: number; fundingMode: 'full_lump_sum' | 'partial_lump_sum'; products: string[] };
  /** Approved budget by source, integer VND. */
  budget: { stateBudget: number; otherSources: number };
  /** The contract as signed; endOn includes any extension already granted. */
  contract?: { startOn: IsoDate; endOn: IsoDate; extensionMonths?: number };
  disbursements: { on: IsoDate; amount: number; note?: string }[];
  /** The dates the periodic reports already filed were filed on (L-13), period 1 first. */
  reportsFiledOn: IsoDate[];
  /** The dates the Department's periodic inspections already took place on (L-13), the first first. */
  inspectionsOn?: IsoDate[];
  /** What happened before KHCN Flow, in a few lines, for the timeline. */
  summary: string;
}

/** Who acted: a person, or the system itself (a timer, a council workflow). */
export interface ActorRef {
  userId: string;
  role: Role | 'system';
  name: string;
}

export interface TimelineEntry {
  at: string;
  stage: TaskStage;
  /** The rule of domain.md that made the transition (e.g. L-1). */
  rule: string;
  by: ActorRef;
  /** The command or timer that made it. */
  action?: string;
  note?: string;
  /** Files the command carried (issue 10). */
  attachments?: FileAttachment[];
}

/**
 * A file carried by a command (issue 10): uploaded, stored in GridFS and checked by
 * the API (type by content, SHA-256 while streaming) before the command reached the workflow.
 */
export interface FileAttachment {
  fileId: string;
  filename: string;
  size: number;
  sha256: string;
  contentType: string;
}

/** One of the task's files: what it is, which command brought it, when and by whom. */
export interface TaskFile extends FileAttachment {
  /** The command (`fileProposal` for the proposal's files). */
  command: string;
  /** The time of the command's timeline entry. */
  at: string;
  by: ActorRef;
  /** The uploader's organisation: an applicant's dossier files are for its organisation and the Department only. */
  orgId: string;
  /** The application dossier the files belong to (submitDossier). */
  dossierId?: string;
}

/** What a command that carries files adds to its payload (optional: histories recorded before issue 10 have none). */
export interface WithAttachments {
  attachments?: FileAttachment[];
}

export interface DocumentRef {
  documentId: string;
  kind: string;
  title: string;
  stateHash: string;
  createdAt: string;
  /** Số/ký hiệu given when it was issued (e.g. "12/QĐ-SKHCN"); absent for papers without one. */
  number?: string;
}

/** A calendar date in Vietnam, 'YYYY-MM-DD'. */
export type IsoDate = string;

export interface Person {
  name: string;
  email: string;
}

/** The host organisation (tổ chức chủ trì) and principal investigator (chủ nhiệm). */
export interface HostParty {
  orgId: string;
  orgName: string;
  pi: Person;
}

export type ObligationStatus = 'OPEN' | 'DONE' | 'OVERDUE' | 'WAIVED' | 'CANCELLED';

/** §8 "5 rõ": who owes what by when, who answers for it, and the evidence. */
export interface Obligation {
  id: string;
  kind: string;
  rule: string;
  /** Clear task: the deliverable. */
  deliverable: { vi: string; en: string };
  /** Clear person: 'host' (the host organisation and PI) or 'department'. */
  assignee: 'host' | 'department';
  assigneeName: string;
  /** Clear responsibility: the accountable Department officer. */
  accountable?: Person;
  /** Clear progress. */
  dueOn: IsoDate;
  remindOn?: IsoDate;
  status: ObligationStatus;
  /** Deadlines that stop while the task is suspended (T-1). */
  pausable: boolean;
  /** A right (lapses silently) rather than a duty (escalated when overdue). */
  right?: boolean;
  reminded: boolean;
  escalated: boolean;
  /** Clear result: the evidence that closed it. */
  evidence?: string;
  closedAt?: string;
}

export interface CouncilRecord {
  council: 'C-ID' | 'C-SEL' | 'C-BUD' | 'C-ACC';
  outcome: string;
  decidedAt: string;
  /** C-9: the inputs and figures that decided it, as recorded. */
  tally: Record<string, unknown>;
  reasons?: string[];
}

export interface Dossier {
  dossierId: string;
  host: HostParty;
  submittedAt: string;
  valid?: boolean;
}

export interface FundsLedger {
  /** Approved state budget and other sources (integer VND). */
  approvedState: number;
  approvedOther: number;
  disbursed: number;
  disbursements: { on: IsoDate; amount: number; note?: string }[];
  refundDue?: { unspent: number; spentShare: number; total: number; cause: 'objective' | 'subjective'; basis: { vi: string; en: string } };
  refunded: number;
  /** Each refund received, dated (absent on tasks whose refunds were recorded before dates were kept). */
  refunds?: { on: IsoDate; amount: number }[];
  /**
   * Issue 13 (T-3): amounts of a refund owed that a competent authority's decision wrote off (the host
   * dissolved, the debt cannot be recovered): recorded with the decision, never typed as a payment.
   */
  writtenOff?: { on: IsoDate; amount: number; decisionNumber: string; decidedOn: IsoDate; grounds: string; by: string }[];
}

export interface TaskState {
  taskId: string;
  workflowId: string;
  departmentId: string;
  stage: TaskStage;
  /** Increases with every recorded change; guards read-model writes. */
  version: number;
  ruleSet: TaskLifecycleInput['ruleSet'];
  proposal: Proposal;
  owner: { userId: string; orgId: string };
  submittedAt: string;
  timeline: TimelineEntry[];
  documents: DocumentRef[];
  assignment?: 'competitive_selection' | 'direct_assignment';
  accountableOfficer?: Person & { userId: string };
  host?: HostParty;
  call?: { opensOn: IsoDate; closesOn: IsoDate; dossiers: Dossier[]; round: number };
  councils: CouncilRecord[];
  approval?: { durationMonths: number; fundingMode: 'full_lump_sum' | 'partial_lump_sum'; approvedOn: IsoDate; products: string[] };
  contract?: { hostSignedAt?: string; departmentSignedAt?: string; startOn?: IsoDate; endOn?: IsoDate; originalEndOn?: IsoDate; hostSignedBy?: ActorRef; departmentSignedBy?: ActorRef };
  funds: FundsLedger;
  reports: { period: number; dueOn: IsoDate; submittedAt?: string; late?: boolean }[];
  adjustments: { kind: 'A-1' | 'A-2' | 'A-3' | 'A-4' | 'A-5'; requestedAt: string; details: Record<string, unknown>; decision?: 'approved' | 'refused'; decidedAt?: string }[];
  extensionsGranted: number;
  inspections: { startedAt: string; noticeOn: IsoDate; conclusion?: 'continue' | 'adjust' | 'suspend' | 'terminate'; findings?: string; concludedAt?: string }[];
  suspension?: { since: string; sinceOn: IsoDate; remedyDueOn: IsoDate; grounds: string; resumeTo: TaskStage };
  pausedDays: number;
  termination?: {
    initiatedBy: 'host' | 'department';
    grounds: string;
    proposedAt: string;
    observationEndsOn?: IsoDate;
    observations?: string;
    resumeTo: TaskStage;
    decision?: 'terminated' | 'continued';
    cause?: 'objective' | 'subjective';
  };
  acceptance?: {
    dossierSubmittedAt?: string;
    late?: boolean;
    complete?: boolean;
    missing?: string[];
    councilFormedOn?: IsoDate;
    rating?: 'EXCELLENT' | 'PASS' | 'FAIL';
    fundsSpent?: number;
    /** Issue 13 (L-20): the host's reasons for a dossier filed late, and the Department's answer (a justified delay is not a FAIL). */
    lateReason?: string;
    lateJustified?: boolean;
    /** Issue 13 (L-19): when an incomplete dossier was filed again, completed. */
    refiledAt?: string[];
    /** Issue 13 (L-21): the host revises the results per the council's conclusions before the recognition decision. */
    revisionRequired?: boolean;
    revisedAt?: string;
  };
  registration?: { certificates: string[]; registeredAt: string };
  debarment?: { until: IsoDate; orgId: string; piEmail: string; reason: string };
  obligations: Obligation[];
  /** Council sittings run as child workflows (§3). */
  councilSittings: {
    councilId: string;
    kind: 'C-ID' | 'C-SEL' | 'C-ACC';
    formedAt: string;
    status: 'SITTING' | 'DECIDED';
    outcome?: string;
    memberIds?: string[];
    /** Issue 12: the chair and the scientific secretary, who sign the council's minutes. */
    officers?: { role: 'chair' | 'scientific_secretary'; memberId: string; name: string }[];
    /** C-8 continuity: a warning, never a block. */
    warnings?: { rule: string; vi: string; en: string }[];
    /** Issue 13: the result has come, its vote-counting record and minutes are on their way. */
    documentsPending?: boolean;
    /** Issue 13: the sitting could not compute its tally: the meeting is void and must be rescheduled. */
    problem?: { rule: string; vi: string; en: string; at: string };
  }[];
  /** Events emitted for notification (the notifications issue mails each). */
  events: { seq: number; type: string; rule: string; at: string; audience: 'host' | 'officer' | 'both' }[];
  eventSeq: number;
  /** Ended: nothing more will happen. */
  closed: boolean;
  /** Set on a task brought in by the portfolio import: its own code and when it came in. */
  imported?: { code: string; importedAt: string; by: ActorRef; summary: string };
  /** The files of the task's commands, in order (issue 10; absent on tasks that have none). */
  files?: TaskFile[];
  /** Issue 12: documents drafted and going to signature, registration and issue (rule-sets with signed issuance). */
  issuance?: TaskIssuance[];
  /** Issue 12: the provincial People's Committee's decisions the Department recorded (L-3, L-10), where it approves. */
  approverDecisions?: { command: 'approveOrderList' | 'approveTask'; decision: ApproverDecision; at: string }[];
}

/** Business refusals: ApplicationFailure types, never retried. */
export const TaskErrorType = {
  TRANSITION_NOT_ALLOWED: 'TRANSITION_NOT_ALLOWED',
  FORBIDDEN_ROLE: 'FORBIDDEN_ROLE',
} as const;

/**
 * Failures of rendering that cannot succeed on retry (issue 15): the activity gives up at once
 * (non-retryable) and the workflow goes on without the document or e-mail, which the operators see.
 */
export const NotRenderableType = {
  DOCUMENT: 'DOCUMENT_NOT_RENDERABLE',
  EMAIL: 'EMAIL_NOT_RENDERABLE',
} as const;

/** An activity's failure that says its document or e-mail cannot be rendered from what it was given. */
export const notRenderable = (err: unknown, type: (typeof NotRenderableType)[keyof typeof NotRenderableType]): err is ActivityFailure =>
  err instanceof ActivityFailure && err.cause instanceof ApplicationFailure && err.cause.type === type;

export const getTaskStateQuery = defineQuery<TaskState>('getTaskState');

/** Every command carries who gives it. */
export interface CommandBase {
  by: Actor;
  note?: string;
}

export interface CommandPayloads {
  startIdentificationReview: CommandBase;
  recordIdentificationResult: CommandBase & { members: number; present: number; yes: number; reasons?: string[] };
  /** Where the People's Committee approves (rule-set), its decision and its file (issue 12). */
  approveOrderList: CommandBase & WithAttachments & { approverDecision?: ApproverDecision };
  rejectProposal: CommandBase & { reasons: string[] };
  openCall: CommandBase & { closesOn: IsoDate };
  assignDirectly: CommandBase & { host: HostParty };
  submitDossier: CommandBase & WithAttachments & { host: HostParty };
  openDossiers: CommandBase & { valid: string[] };
  formSelectionCouncil: CommandBase & { meetingOn: IsoDate };
  recordSelectionResult: CommandBase & ({ outcome: 'SELECTED'; dossierId?: string; tally?: Record<string, unknown> } | { outcome: 'NO_QUALIFIED_APPLICANT'; tally?: Record<string, unknown> });
  submitRevisedProposal: CommandBase & WithAttachments;
  recordBudgetAppraisal: CommandBase & {
    requested: number;
    appraisedState: number;
    appraisedOther: number;
    /** C-BUD: the group's record per item and year (requested vs appraised, lump-sum or not, source); the totals must match. */
    items?: { item: string; year: number; requested: number; appraised: number; lumpSum: boolean; source: 'state' | 'other' }[];
    /** C-BUD: whether the group agreed; any disagreement or dissent goes to the approver (C-7). Defaults to true. */
    consensus?: boolean;
    dissent?: string[];
  };
  approveTask: CommandBase & WithAttachments & { approverDecision?: ApproverDecision; durationMonths: number; fundingMode: 'full_lump_sum' | 'partial_lump_sum'; stateBudget: number; otherSources: number; products: string[] };
  cancelBeforeContract: CommandBase & { reason: string };
  signContract: CommandBase;
  recordDisbursement: CommandBase & { amount: number };
  submitProgressReport: CommandBase & WithAttachments & { period: number; summary: string };
  startInspection: CommandBase & { noticeOn: IsoDate };
  concludeInspection: CommandBase & { conclusion: 'continue' | 'adjust' | 'suspend' | 'terminate'; findings: string; remedyDays?: number };
  requestAdjustment: CommandBase &
    WithAttachments &
    ({ kind: 'A-3'; months: number } | { kind: 'A-1' | 'A-2' | 'A-5'; description: string; changes?: ApprovedChanges } | { kind: 'A-4'; newPi: Person; grounds: string });
  decideAdjustment: CommandBase & { approve: boolean };
  suspend: CommandBase & { grounds: string; remedyDays?: number };
  resume: CommandBase;
  requestTermination: CommandBase & WithAttachments & { grounds: string };
  proposeTermination: CommandBase & { grounds: string };
  submitObservations: CommandBase & WithAttachments & { observations: string };
  decideTermination: CommandBase & ({ terminate: true; cause: 'objective' | 'subjective'; fundsSpent: number } | { terminate: false });
  startSelfEvaluation: CommandBase;
  /** `lateReason`: why a dossier filed after its due date is late (issue 13: the Department decides whether that justifies it). */
  submitAcceptanceDossier: CommandBase & WithAttachments & { fundsSpent: number; documents: string[]; lateReason?: string };
  /** `lateJustified`: for a late dossier with reasons, whether they justify the delay (required then; false → FAIL, L-20). */
  checkAcceptanceDossier: CommandBase & { complete: boolean; missing?: string[]; lateJustified?: boolean };
  /** L-21 (issue 13): the host's results revised per the acceptance council's conclusions. */
  submitRevisedResults: CommandBase & WithAttachments & { summary: string };
  formAcceptanceCouncil: CommandBase & { meetingOn: IsoDate };
  recordAcceptanceResult: CommandBase & { rating: 'EXCELLENT' | 'PASS' | 'FAIL'; tally?: Record<string, unknown> };
  recognizeResult: CommandBase;
  registerResult: CommandBase & { certificates: string[] };
  settleFinances: CommandBase & { fundsSpent: number };
  recordRefund: CommandBase & { amount: number };
  /** Issue 13 (T-3): a decision writing off (part of) a refund owed; its file goes in attachments. */
  writeOffRefund: CommandBase & WithAttachments & { amount: number; decisionNumber: string; decidedOn: IsoDate; grounds: string };
  liquidate: CommandBase;
  archive: CommandBase;
  withdraw: CommandBase & { reason: string };
  assignOfficer: CommandBase & { officer: Person & { userId: string } };
  formCouncil: CommandBase & {
    kind: 'C-ID' | 'C-SEL' | 'C-ACC';
    /** Issue 12: each seat may carry the member's academic title and workplace (printed on the council's documents). */
    members: CouncilSeat[];
    meetingOn: IsoDate;
    votingDeadline: string;
    ballot: 'open' | 'secret';
    /** C-SEL: the rule-set's criteria for the task's form (issue 13: when given, they must be those). */
    criteria?: { id: string; max: number; products?: boolean }[];
    conflicts?: { memberId: string; reason: string }[];
    /** Issue 13: online (default) or on paper (the secretary enters the ballots). */
    voting?: CouncilVoting;
  };
}
export type CommandName = keyof CommandPayloads;

const updates = {} as { [K in CommandName]: UpdateDefinition<TaskState, [CommandPayloads[K]], K> };
/** One Temporal update per command, named as the command. */
export function commandUpdate<K extends CommandName>(name: K): UpdateDefinition<TaskState, [CommandPayloads[K]], K> {
  return (updates[name] ??= defineUpdate<TaskState, [CommandPayloads[K]], K>(name) as never);
}
export const startIdentificationReviewUpdate = commandUpdate('startIdentificationReview');

/** Custom search attributes; registered on the dev server by `npm start` and in tests. */
export const SA = {
  stage: defineSearchAttributeKey('TaskStage', SearchAttributeType.KEYWORD),
  level: defineSearchAttributeKey('TaskLevel', SearchAttributeType.KEYWORD),
  form: defineSearchAttributeKey('TaskForm', SearchAttributeType.KEYWORD),
  department: defineSearchAttributeKey('TaskDepartment', SearchAttributeType.KEYWORD),
  nextDeadline: defineSearchAttributeKey('TaskNextDeadline', SearchAttributeType.DATETIME),
  overdue: defineSearchAttributeKey('TaskOverdue', SearchAttributeType.BOOL),
} as const;
export const ALL_SEARCH_ATTRIBUTES = Object.values(SA);

// ---------------------------------------------------------------------------
// Councils (domain.md §3): one child workflow per sitting.

export type CouncilKind = 'C-ID' | 'C-SEL' | 'C-ACC';
export type CouncilMemberRole = 'chair' | 'vice_chair' | 'reviewer' | 'member' | 'scientific_secretary';
export type AcceptanceRating = 'EXCELLENT' | 'PASS' | 'FAIL';

/** A council member; `memberId` is the member's user ID (the token's subject). */
export interface CouncilSeat {
  memberId: string;
  name: string;
  email: string;
  role: CouncilMemberRole;
  /**
   * Issue 12: the academic title as written before the name ("PGS.TS.", "TS.", "ThS."; học hàm, học vị)
   * and the workplace (cơ quan công tác), from the Department's people directory, printed on the
   * formation decision, the minutes and the vote-counting record. Absent on sittings formed before.
   */
  title?: string;
  workplace?: string;
}

export const councilWorkflowId = (taskId: string, kind: CouncilKind, n: number) => `council-${taskId}-${kind}-${n}`;

export interface CouncilInput {
  councilId: string;
  taskId: string;
  taskTitle: string;
  kind: CouncilKind;
  ruleSet: TaskLifecycleInput['ruleSet'];
  level: TaskLevel;
  ballot: 'open' | 'secret';
  members: CouncilSeat[];
  meetingOn: IsoDate;
  /** ISO timestamp when voting closes. */
  votingDeadline: string;
  /** C-SEL: the dossiers (items) and the scoring criteria. */
  dossiers?: string[];
  criteria?: { id: string; max: number; products?: boolean }[];
  publicBaseUrl: string;
  departmentName: string;
  place: string;
  formedBy: ActorRef;
  /** Known conflicts at formation (C-6), e.g. staff of the host organisation. */
  conflicts?: { memberId: string; reason: string }[];
  /** §7: the decision forming the council, attached to the members' invitations. */
  formationDecision?: { documentId: string; filename: string };
  /**
   * Issue 13: how the members vote. 'online': each member casts their own ballot; 'paper': the council
   * meets on paper and the administrative secretary enters each member's ballot (with the scans).
   * Absent on sittings formed before: online.
   */
  voting?: CouncilVoting;
  /** C-ACC (issue 13): the approved products a rating sheet rates, P1…Pn from the approval and its adjustments. */
  products?: { productId: string; name: string }[];
}

export type CouncilVoting = 'online' | 'paper';

/** What a member casts, per council kind. */
export type CouncilBallot =
  | { kind: 'C-ID'; yes: boolean; comment?: string }
  | { kind: 'C-SEL'; dossierId: string; scores: Record<string, number>; comment?: string }
  | {
      kind: 'C-ACC';
      products: { productId: string; quantity: AcceptanceRating; volume: AcceptanceRating; quality: AcceptanceRating; orderedAmount?: number; deliveredAmount?: number }[];
      report: AcceptanceRating;
      comment?: string;
    };

export type CouncilStatus = 'FORMED' | 'VOTING' | 'POSTPONED' | 'AWAITING_CHAIR' | 'DECIDED';

export interface CouncilResultRecord {
  kind: CouncilKind;
  outcome: string;
  /** Counts and figures only: never a member's ballot (C-4). */
  figures: Record<string, unknown>;
  explanation: { rule: string; vi: string; en: string };
  winner?: string;
  decidedAt: string;
  missingVotes: number;
}

/** What anyone allowed to see the council sees. Ballots appear per member only for an open ballot. */
export interface CouncilView {
  councilId: string;
  taskId: string;
  taskTitle: string;
  kind: CouncilKind;
  ballot: 'open' | 'secret';
  status: CouncilStatus;
  meetingOn: IsoDate;
  votingDeadline: string;
  members: (CouncilSeat & { declared: boolean; conflicted: boolean; present?: boolean; voted: boolean })[];
  dossiers?: string[];
  criteria?: { id: string; max: number; products?: boolean }[];
  quorum?: { ok: boolean; eligible: number; present: number; missing: string[] };
  postponements: { at: string; reason: string }[];
  /** C-3: written reviews of absent members (who wrote, when; the text is in the minutes). */
  writtenReviews: { memberId: string; name: string; at: string; review: string; attachments?: FileAttachment[] }[];
  openBallots?: { memberId: string; ballot: CouncilBallot }[];
  result?: CouncilResultRecord;
  version: number;
  /** Issue 13: online or on paper (absent: online). */
  voting?: CouncilVoting;
  /** C-ACC: the products each rating sheet rates. */
  products?: { productId: string; name: string }[];
  /** A paper sitting's scanned ballots (the Department's staff only: a scan shows how a member voted). */
  paperBallotFiles?: (FileAttachment & { at: string })[];
  /**
   * Issue 13: the tally could not be computed from what was recorded; the meeting is void and the sitting
   * waits to be rescheduled (never a failing workflow).
   */
  tallyRefusal?: { rule: string; vi: string; en: string; at: string };
  /** C-6: conflicts a manager lifted, with the grounds (who, when). */
  liftedConflicts?: { memberId: string; by: string; at: string; grounds: string }[];
}

export interface CouncilCommandBase {
  by: Actor;
}
export interface CouncilCommands {
  declareConflict: CouncilCommandBase & { memberId: string; conflicted: boolean; reason?: string };
  recordAttendance: CouncilCommandBase & { present: string[]; chairAuthorisedViceChair?: boolean };
  castVote: CouncilCommandBase & { ballot: CouncilBallot };
  reschedule: CouncilCommandBase & { meetingOn: IsoDate; votingDeadline: string; members?: CouncilSeat[] };
  chairTieBreak: CouncilCommandBase & { dossierId: string };
  /** C-3: an absent member's written review, read at the meeting; it is not a vote. */
  submitWrittenReview: CouncilCommandBase & WithAttachments & { review: string };
  /**
   * Issue 13: a paper sitting's ballots, entered by the administrative secretary (a manager) for the
   * members who cast them, with the scanned ballots; each counts as that member's vote (C-3, C-4, C-6).
   */
  enterPaperBallots: CouncilCommandBase & WithAttachments & { ballots: { memberId: string; ballot: CouncilBallot }[] };
}
export type CouncilCommandName = keyof CouncilCommands;

export interface VoteReceipt {
  councilId: string;
  memberId: string;
  item: string;
  recordedAt: string;
  /** True when this exact ballot had already been recorded. */
  repeated: boolean;
  /** Issue 13: this ballot was the last one the sitting waited for (the API answers once the task has the result). */
  completesVoting?: boolean;
}

const councilUpdates = {} as { [K in CouncilCommandName]: UpdateDefinition<K extends 'castVote' ? VoteReceipt : CouncilView, [CouncilCommands[K]], K> };
export function councilUpdate<K extends CouncilCommandName>(name: K): UpdateDefinition<K extends 'castVote' ? VoteReceipt : CouncilView, [CouncilCommands[K]], K> {
  return (councilUpdates[name] ??= defineUpdate(name) as never);
}
export const getCouncilViewQuery = defineQuery<CouncilView>('getCouncilView');

/** A council's result, signalled by the sitting to its task's lifecycle workflow. */
export const councilResultSignal = defineSignal<[{ councilId: string; result: CouncilResultRecord; documents?: DocumentRef[] }]>('councilResult');
/** Issue 13: the sitting signals its result first, then its documents once rendered (the task lists them). */
export const councilDocumentsSignal = defineSignal<[{ councilId: string; documents: DocumentRef[] }]>('councilDocuments');
/** Issue 13: a sitting whose tally could not be computed tells its task (the officer is told; the sitting waits to be rescheduled). */
export const councilProblemSignal = defineSignal<[{ councilId: string; kind: CouncilKind; problem: { rule: string; vi: string; en: string } }]>('councilProblem');

// ---------------------------------------------------------------------------
// Issuance of official documents (issue 12): one child workflow per document,
// draft → signature by the competent person → number from the outgoing register → issue.

export const issuanceWorkflowId = (documentId: string) => `document-${documentId}`;

/** What the document's child workflow starts with. */
export interface IssuanceInput {
  documentId: string;
  taskId: string;
  taskTitle: string;
  departmentId: string;
  /** The task's lifecycle workflow, told when the clerk issues (it renders the issued PDF). */
  parentWorkflowId: string;
  kind: import('./task-documents').TaskDocumentKind;
  title: string;
  /** The draft: rendered from the recorded state (for a decision: the state it would make). */
  draft: import('./task-documents').RenderTaskDocumentRequest;
  slots: import('./rules/authority').SignatureSlot[];
  /** The command that takes effect when the document is issued (a decision), for the signer's page. */
  effective?: { command: CommandName; label: { vi: string; en: string } };
  /** The day by which it should be issued (an obligation of the task, §8). */
  dueOn: IsoDate;
}

/** A document's issuance as its signers, the clerk and the task see it. */
export interface IssuanceView {
  documentId: string;
  taskId: string;
  taskTitle: string;
  departmentId: string;
  kind: string;
  title: string;
  status: import('./rules/authority').IssuanceStatus;
  slots: import('./rules/authority').SignatureSlot[];
  signatures: import('./rules/authority').SignatureRecord[];
  /** Số/ký hiệu and the date of the outgoing register. */
  number?: string;
  registeredOn?: IsoDate;
  registeredBy?: ActorRef;
  issuedAt?: string;
  issuedBy?: ActorRef;
  effective?: IssuanceInput['effective'];
  draftedAt: string;
  dueOn: IsoDate;
  /** The issued document, once issued. */
  document?: DocumentRef;
  version: number;
}

export interface IssuanceCommands {
  /** The competent signer signs (the slot is found from who they are, or named). */
  signDocument: { by: Actor; slotId?: string };
  /** The clerk registers it: the number and date from the system's register, or both from the Department's paper register. */
  registerDocument: { by: Actor; number?: string; registeredOn?: IsoDate };
  /** The clerk issues it: the task renders and signs the PDF, and the decision takes effect. */
  issueDocument: { by: Actor };
}
export type IssuanceCommandName = keyof IssuanceCommands;

const issuanceUpdates = {} as { [K in IssuanceCommandName]: UpdateDefinition<IssuanceView, [IssuanceCommands[K]], K> };
export function issuanceUpdate<K extends IssuanceCommandName>(name: K): UpdateDefinition<IssuanceView, [IssuanceCommands[K]], K> {
  return (issuanceUpdates[name] ??= defineUpdate<IssuanceView, [IssuanceCommands[K]], K>(name) as never);
}
export const getIssuanceQuery = defineQuery<IssuanceView>('getIssuance');

/** What the clerk's issuance fixes: the signatures, the number and date, who issued and when. */
export interface IssuanceFixed {
  slots: import('./rules/authority').SignatureSlot[];
  signatures: import('./rules/authority').SignatureRecord[];
  number: string;
  registeredOn: IsoDate;
  issuedAt: string;
  issuedBy: ActorRef;
}
/** Child → task: the clerk issues the document; the task renders it (a decision: after taking effect). */
export const documentReadySignal = defineSignal<[{ documentId: string; issuance: IssuanceFixed }]>('documentReady');
/** Task → child: the issued document, rendered, signed and listed with the task. */
export const documentIssuedSignal = defineSignal<[{ documentId: string; document: DocumentRef }]>('documentIssued');
/** Task → child: the task ended before the document was issued (withdrawn, cancelled). */
export const withdrawDocumentSignal = defineSignal<[{ reason: string }]>('withdrawDocument');

/** A task's document on its way to issuance (issue 12), as the task keeps it. */
export interface TaskIssuance {
  documentId: string;
  kind: import('./task-documents').TaskDocumentKind;
  title: string;
  /** The planned document (key, file name, subject, the emails' sides). */
  planned: import('./task-documents').PlannedDocument;
  status: 'PENDING' | 'ISSUED' | 'WITHDRAWN';
  draftedAt: string;
  /** A decision: the command that takes effect when it is issued, as given. */
  effective?: { command: CommandName; payload: CommandPayloads[CommandName] };
}

/** L-3, L-10: the provincial People's Committee's decision, as the Department records it. */
export interface ApproverDecision {
  number: string;
  date: IsoDate;
  signer: { name: string; title: string };
}
