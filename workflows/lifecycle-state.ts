/** The state a task's lifecycle starts from. Pure. */
import { TaskStage as S, type Actor, type ActorRef, type TaskLifecycleInput, type TaskState } from './definitions';

export const refOf = (a: ActorRef | Actor): ActorRef => ({ userId: a.userId, role: a.role, name: a.name });

export function initialState(input: TaskLifecycleInput, workflowId: string): TaskState {
  return {
    taskId: input.taskId,
    workflowId,
    departmentId: input.departmentId,
    stage: S.PROPOSED,
    version: 1,
    ruleSet: input.ruleSet,
    proposal: input.proposal,
    owner: { userId: input.submittedBy.userId, orgId: input.submittedBy.orgId },
    submittedAt: input.submittedAt,
    timeline: [{ at: input.submittedAt, stage: S.PROPOSED, rule: 'L-1', by: refOf(input.submittedBy), action: 'fileProposal' }],
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
  };
}

