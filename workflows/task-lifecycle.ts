/**
 * One durable workflow per S&T task (nhiệm vụ KH&CN), from proposal to archive.
 * Deterministic code only: the world is reached through proxied activities.
 */
import {
  ApplicationFailure,
  condition,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities, EmailRequest } from '../activities';
import {
  getTaskStateQuery,
  SA,
  startIdentificationReviewUpdate,
  TaskStage,
  type Actor,
  type TaskLifecycleInput,
  type TaskState,
} from './definitions';
import { refusalFor, TERMINAL_STAGES, type CommandName } from './rules/transitions';

// Store writes and documents: quick, retried a few times, then surfaced.
const { recordTask, renderProposalForm } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

// Mail: retried with backoff for as long as it takes (an SMTP outage must not lose
// an email); it runs from the outbox loop, so it never blocks a command.
const { sendEmail } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '30 minutes' },
});

export async function taskLifecycleWorkflow(input: TaskLifecycleInput): Promise<TaskState> {
  const { workflowId } = workflowInfo();
  const state: TaskState = {
    taskId: input.taskId,
    workflowId,
    departmentId: input.departmentId,
    stage: TaskStage.PROPOSED,
    version: 1,
    ruleSet: input.ruleSet,
    proposal: input.proposal,
    owner: { userId: input.submittedBy.userId, orgId: input.submittedBy.orgId },
    submittedAt: input.submittedAt,
    timeline: [
      {
        at: input.submittedAt,
        stage: TaskStage.PROPOSED,
        rule: 'L-1',
        by: { userId: input.submittedBy.userId, role: input.submittedBy.role, name: input.submittedBy.name },
      },
    ],
    documents: [],
  };
  /** Emails waiting to go out, in order; each carries its exactly-once key. */
  const outbox: EmailRequest[] = [];
  /** Commands wait until the proposal is on record and acknowledged (L-1), so events keep their order. */
  let intakeDone = false;
  const taskUrl = `${input.publicBaseUrl}/api/v1/tasks/${encodeURIComponent(input.taskId)}`;
  const proposerRecipients = uniqueEmails([input.submittedBy.email, input.proposal.proposer.email]);

  setHandler(getTaskStateQuery, () => state);

  /** Applies an allowed command's transition and records it durably before returning. */
  async function transition(to: TaskStage, rule: string, by: Actor, note?: string) {
    state.stage = to;
    state.version += 1;
    state.timeline.push({
      at: new Date().toISOString(),
      stage: to,
      rule,
      by: { userId: by.userId, role: by.role, name: by.name },
      ...(note ? { note } : {}),
    });
    upsertSearchAttributes([{ key: SA.stage, value: to }]);
    await recordTask(structuredCopy(state));
  }

  function validate(command: CommandName, by: Actor): void {
    const refusal = refusalFor(command, state.stage, by.role);
    if (refusal) {
      throw ApplicationFailure.create({
        type: refusal.code,
        message: refusal.message.en,
        details: [refusal],
        nonRetryable: true,
      });
    }
  }

  setHandler(
    startIdentificationReviewUpdate,
    async ({ by, note }) => {
      await condition(() => intakeDone);
      validate('startIdentificationReview', by); // a concurrent command may have moved the task meanwhile
      await transition(TaskStage.IDENTIFICATION_REVIEW, 'L-2', by, note);
      outbox.push({
        key: `${workflowId}/L-2/identification-review-started`,
        to: proposerRecipients,
        template: 'identification-review-started',
        locale: input.submittedBy.locale,
        data: { taskId: input.taskId, title: input.proposal.title, note: note ?? '', taskUrl },
      });
      return state;
    },
    { validator: ({ by }) => validate('startIdentificationReview', by) },
  );

  // L-1: the proposal is on record, its form rendered, and the proposer acknowledged.
  await recordTask(structuredCopy(state));
  const form = await renderProposalForm({
    taskId: input.taskId,
    workflowId,
    departmentName: input.departmentName,
    place: input.place,
    submittedAt: input.submittedAt,
    proposal: input.proposal,
  });
  state.documents.push(form);
  state.version += 1;
  await recordTask(structuredCopy(state));
  outbox.push({
    key: `${workflowId}/L-1/proposal-received`,
    to: proposerRecipients,
    template: 'proposal-received',
    locale: input.submittedBy.locale,
    data: {
      taskId: input.taskId,
      title: input.proposal.title,
      departmentName: input.departmentName,
      submittedAt: input.submittedAt,
      totalBudget: input.proposal.budget.stateBudget + input.proposal.budget.otherSources,
      taskUrl,
    },
    attachments: [{ documentId: form.documentId, filename: `phieu-de-xuat-${input.taskId}.pdf` }],
  });
  intakeDone = true;

  // The outbox drains in order while commands keep arriving through updates.
  for (;;) {
    await condition(() => outbox.length > 0 || TERMINAL_STAGES.includes(state.stage));
    const next = outbox[0];
    if (!next) break;
    await sendEmail(next);
    outbox.shift();
  }
  return state;
}

function uniqueEmails(emails: string[]): string[] {
  const seen = new Set<string>();
  return emails.filter((e) => {
    const k = e.trim().toLowerCase();
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Activities receive a snapshot, never the live object a handler may be changing. */
function structuredCopy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
