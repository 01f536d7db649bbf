/**
 * The one module that names every message, type and identifier shared by the
 * workflows, the worker, the API and the tests. Deterministic: no I/O here.
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { defineQuery, defineUpdate } from '@temporalio/workflow';


/** Workflow IDs derive from business IDs (one lifecycle workflow per task). */
export const taskWorkflowId = (taskId: string): string => `task-${taskId}`;

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

/** Who did something: carried into the timeline and the audit trail. */
export interface Actor {
  userId: string;
  role: Role;
  name: string;
  email: string;
  orgId: string;
  locale: Locale;
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

export interface TaskLifecycleInput {
  taskId: string;
  departmentId: string;
  departmentName: string;
  /** Place printed on documents ("Tây Ninh, ngày …"). */
  place: string;
  /** Base URL of the API, for links in emails. */
  publicBaseUrl: string;
  /** RS-1: the rule-set the task keeps for its whole life. */
  ruleSet: { regime: 'LEGACY_2013' | 'STI_2025'; provinceProfile: string; version: string };
  proposal: Proposal;
  submittedBy: Actor;
  /** ISO timestamp taken by the API when the proposal was filed. */
  submittedAt: string;
}

export interface TimelineEntry {
  at: string;
  stage: TaskStage;
  /** The rule of domain.md that made the transition (e.g. L-1). */
  rule: string;
  by: { userId: string; role: Role; name: string };
  note?: string;
}

export interface DocumentRef {
  documentId: string;
  kind: string;
  title: string;
  stateHash: string;
  createdAt: string;
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
}

/** Business refusals: ApplicationFailure types, never retried. */
export const TaskErrorType = {
  TRANSITION_NOT_ALLOWED: 'TransitionNotAllowed',
  FORBIDDEN_ROLE: 'ForbiddenRole',
} as const;

export const getTaskStateQuery = defineQuery<TaskState>('getTaskState');

export interface StartIdentificationReviewCommand {
  by: Actor;
  note?: string;
}
/** L-2: the Department screens the proposal and opens identification review. */
export const startIdentificationReviewUpdate = defineUpdate<TaskState, [StartIdentificationReviewCommand]>(
  'startIdentificationReview',
);

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
