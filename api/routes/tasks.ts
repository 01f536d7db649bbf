/**
 * Proposals and tasks: filing a proposal starts the task's lifecycle workflow;
 * reads come from the read model (falling back to the workflow while the first
 * write is on its way); commands are workflow updates.
 */
import { Router, type Request } from 'express';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { taskLifecycleWorkflow } from '../../workflows/task-lifecycle';
import {
  commandUpdate,
  getTaskStateQuery,
  SA,
  taskWorkflowId,
  type CommandName,
  TaskStage,
  type TaskLifecycleInput,
  type TaskState,
} from '../../workflows/definitions';
import { allowedCommands, COMMANDS, type Refusal } from '../../workflows/rules/transitions';
import { z } from '../zod';
import { COMMAND_BODIES, commandPath } from '../commands';
import { ruleSetOf } from '../../activities/config';
import { vnDateOf } from '../../workflows/rules/calendar';
import { stateHash } from '../../activities/documents/format';
import { isDuplicateKey } from '../../activities/store';
import { caller, requireRole, type Caller } from '../auth';
import type { ApiDeps } from '../deps';
import { pickLocale } from '../i18n';
import { newTaskId, taskIdForIdempotencyKey } from '../ids';
import { notFound, parseOrThrow, Problem } from '../problem';
import { DocumentParams, IdempotencyKey, ProposalBody, TaskIdParam } from '../schemas';

type TaskView = TaskState;

/**
 * Who may see a task: a researcher their organisation's (as proposer, host or
 * applicant), a manager or admin their Department's. Council members see the
 * items of their councils (councils issue), not tasks.
 */
export function canSeeTask(user: Caller, task: Pick<TaskState, 'owner' | 'departmentId'> & Partial<Pick<TaskState, 'host' | 'call'>>): boolean {
  switch (user.role) {
    case 'researcher':
      return task.owner.orgId === user.orgId || task.host?.orgId === user.orgId || Boolean(task.call?.dossiers.some((d) => d.host.orgId === user.orgId));
    case 'manager':
    case 'admin':
      return task.departmentId === user.departmentId;
    case 'council_member':
      return false;
  }
}

function present(t: TaskView, user: Caller) {
  const base = `/api/v1/tasks/${encodeURIComponent(t.taskId)}`;
  return {
    taskId: t.taskId,
    workflowId: t.workflowId,
    stage: t.stage,
    version: t.version,
    title: t.proposal.title,
    level: t.proposal.level,
    form: t.proposal.form,
    ruleSet: t.ruleSet,
    submittedAt: t.submittedAt,
    proposal: t.proposal,
    ...(t.host ? { host: t.host } : {}),
    ...(t.accountableOfficer ? { accountableOfficer: { name: t.accountableOfficer.name, email: t.accountableOfficer.email } } : {}),
    ...(t.contract ? { contract: t.contract } : {}),
    funds: t.funds,
    obligations: t.obligations,
    reports: t.reports,
    // Council results as recorded: outcomes and counts only, never a member's ballot (C-4).
    councils: t.councils.map((c) => ({ council: c.council, outcome: c.outcome, decidedAt: c.decidedAt })),
    councilSittings: (t.councilSittings ?? []).map((c) => ({ councilId: c.councilId, kind: c.kind, status: c.status, formedAt: c.formedAt, ...(c.outcome ? { outcome: c.outcome } : {}), warnings: c.warnings ?? [], href: `/api/v1/councils/${c.councilId}` })),
    timeline: t.timeline,
    documents: t.documents.map((d) => ({ ...d, url: `${base}/documents/${d.documentId}` })),
    allowedActions: (t.closed ? [] : allowedCommands(t.stage, user.role)).map((c) => ({ command: c, href: `${base}/${commandPath(c)}` })),
    links: { self: base },
  };
}

const requireJsonBody = (req: Request, allowEmpty: boolean) => {
  const length = req.headers['content-length'];
  const empty = (length === undefined || length === '0') && !req.headers['transfer-encoding'];
  if (allowEmpty && empty) return {};
  if (!req.is(['application/json', 'application/*+json'])) {
    throw new Problem(415, 'unsupported-media-type', { vi: 'Kiểu nội dung không được hỗ trợ', en: 'Unsupported media type' }, {
      vi: 'Gửi nội dung JSON với Content-Type: application/json.',
      en: 'Send a JSON body with Content-Type: application/json.',
    }, { errors: [{ field: '(header) Content-Type', code: 'unsupported_media_type', reason: req.get('content-type') ?? 'missing' }] });
  }
  return req.body as unknown;
};

/**
 * A workflow update refused by its validator: 403 (not your role), 409 (not now:
 * the transition or its precondition), 422 (any other business rule), each with
 * the rule's reason in the caller's language.
 */
function refusalProblem(err: unknown): Problem | undefined {
  if (!(err instanceof WorkflowUpdateFailedError) || !(err.cause instanceof ApplicationFailure)) return undefined;
  const refusal = err.cause.details?.[0] as Refusal | undefined;
  const message = refusal?.message ?? { vi: err.cause.message, en: err.cause.message };
  const extras = { rule: refusal?.rule, code: err.cause.type };
  switch (err.cause.type) {
    case 'FORBIDDEN_ROLE':
    case 'NOT_YOUR_TASK':
      return new Problem(403, 'forbidden', { vi: 'Không có quyền', en: 'Forbidden' }, message, extras);
    case 'TRANSITION_NOT_ALLOWED':
    case 'PRECONDITION_FAILED':
      return new Problem(409, 'transition-not-allowed', { vi: 'Thao tác không hợp lệ ở thời điểm này', en: 'Not allowed now' }, message, extras);
    default:
      return new Problem(422, 'business-rule', { vi: 'Vi phạm quy định', en: 'Refused by a business rule' }, message, extras);
  }
}

export function tasksRouter({ config, store, temporal }: ApiDeps): Router {
  const r = Router();

  /** The task if the caller may see it; an open call is visible to every researcher (they may apply). */
  async function loadTask(user: Caller, taskId: string, openCallIsPublic = false): Promise<TaskView> {
    let task: TaskView | null = await store.Task.findById(taskId).lean<TaskView>();
    if (!task) task = await queryWorkflow(temporal, taskId);
    const publicCall = openCallIsPublic && user.role === 'researcher' && task?.stage === 'CALL_OPEN' && task.departmentId === user.departmentId;
    // 404 rather than 403: a task's existence is not revealed to those who may not see it.
    if (!task || !(canSeeTask(user, task) || publicCall)) throw notFound();
    return task;
  }

  r.post('/proposals', requireRole('researcher', 'manager'), async (req, res) => {
    const locale = pickLocale(req);
    const user = caller(req);
    const body = parseOrThrow(ProposalBody, requireJsonBody(req, false), locale);
    const keyHeader = req.get('idempotency-key');
    const key = keyHeader === undefined ? undefined : parseOrThrow(IdempotencyKey, keyHeader, locale, 'header');
    const requestHash = stateHash(body);
    const recordId = key ? `${user.userId}:${key}` : undefined;

    if (recordId) {
      const earlier = await store.Idempotency.findById(recordId).lean();
      if (earlier) {
        if (earlier.requestHash !== requestHash) throw idempotencyMismatch();
        res.status(earlier.status).set('Idempotent-Replayed', 'true').location(String((earlier.body as { links: { self: string } }).links.self)).json(earlier.body);
        return;
      }
    }

    // T-4: a debarred host organisation or PI may not file new tasks until the debarment ends.
    const debarments = await store.debarmentsFor(user.orgId, body.proposer.email, vnDateOf(new Date().toISOString()));
    if (debarments.length) {
      const until = debarments.map((d) => d.until).sort().at(-1)!;
      throw new Problem(422, 'debarred', { vi: 'Đang bị cấm tham gia nhiệm vụ mới', en: 'Debarred from new tasks' }, {
        vi: `Tổ chức hoặc chủ nhiệm này không được đề xuất nhiệm vụ mới đến ngày ${until} (T-4, sau nhiệm vụ ${debarments[0]!._id}).`,
        en: `This organisation or principal investigator may not propose new tasks until ${until} (T-4, after task ${debarments[0]!._id}).`,
      }, { rule: 'T-4', until });
    }

    const taskId = key ? taskIdForIdempotencyKey(user.userId, key) : newTaskId();
    const workflowId = taskWorkflowId(taskId);
    const input: TaskLifecycleInput = {
      taskId,
      departmentId: user.departmentId,
      departmentName: config.DEPARTMENT_NAME,
      place: config.DOCUMENT_PLACE,
      publicBaseUrl: config.PUBLIC_BASE_URL,
      ruleSet: ruleSetOf(config),
      proposal: body,
      submittedBy: { userId: user.userId, role: user.role, name: user.name, email: user.email, orgId: user.orgId, locale: user.locale },
      submittedAt: new Date().toISOString(),
    };
    let replayed = false;
    try {
      await temporal.workflow.start<typeof taskLifecycleWorkflow>('taskLifecycleWorkflow', {
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        workflowId,
        args: [input],
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        typedSearchAttributes: [
          { key: SA.stage, value: TaskStage.PROPOSED },
          { key: SA.level, value: body.level },
          { key: SA.form, value: body.form },
          { key: SA.department, value: user.departmentId },
        ],
      });
    } catch (err) {
      // The same key raced in from a concurrent retry: both answer with the one task.
      if (!(key && err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      replayed = true;
    }
    const responseBody = { taskId, workflowId, stage: TaskStage.PROPOSED, links: { self: `/api/v1/tasks/${taskId}` } };
    if (recordId) {
      try {
        await store.Idempotency.create({ _id: recordId, requestHash, status: 201, body: responseBody, createdAt: new Date() });
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
      }
    }
    if (replayed) res.set('Idempotent-Replayed', 'true');
    res.status(201).location(responseBody.links.self).json(responseBody);
  });

  r.get('/tasks/:taskId', async (req, res) => {
    const { taskId } = parseOrThrow(TaskIdParam, req.params, pickLocale(req), 'path');
    const user = caller(req);
    res.json(present(await loadTask(user, taskId), user));
  });

  r.get('/tasks/:taskId/documents/:documentId', async (req, res) => {
    const { taskId, documentId } = parseOrThrow(DocumentParams, req.params, pickLocale(req), 'path');
    await loadTask(caller(req), taskId);
    const doc = await store.Document.findOne({ _id: documentId, taskId });
    if (!doc) throw notFound();
    res
      .status(200)
      .type(doc.contentType)
      .set('Content-Disposition', `attachment; filename="${doc.filename.replace(/[^\x20-\x7e]|"/g, '_')}"; filename*=UTF-8''${encodeURIComponent(doc.filename)}`)
      .set('X-State-Hash', doc.stateHash)
      .send(Buffer.from(doc.data));
  });

  // Every lifecycle command: POST /tasks/{taskId}/<command>, a workflow update with a validator.
  for (const name of Object.keys(COMMAND_BODIES) as CommandName[]) {
    r.post(`/tasks/:taskId/${commandPath(name)}`, requireRole(...COMMANDS[name].roles), async (req, res) => {
      const locale = pickLocale(req);
      const { taskId } = parseOrThrow(TaskIdParam, req.params, locale, 'path');
      const body = parseOrThrow(COMMAND_BODIES[name] as z.ZodType<Record<string, unknown>>, requireJsonBody(req, true), locale);
      const user = caller(req);
      const task = await loadTask(user, taskId, name === 'submitDossier');
      try {
        const state = await temporal.workflow
          .getHandle(task.workflowId)
          .executeUpdate(commandUpdate(name), { args: [{ ...body, by: actorOf(user) } as never] });
        res.json(present(state, user));
      } catch (err) {
        throw refusalProblem(err) ?? err;
      }
    });
  }

  return r;
}

const actorOf = (u: Caller) => ({ userId: u.userId, role: u.role, name: u.name, email: u.email, orgId: u.orgId, locale: u.locale });

const idempotencyMismatch = () =>
  new Problem(422, 'idempotency-key-reused', { vi: 'Idempotency-Key đã được dùng cho yêu cầu khác', en: 'Idempotency-Key already used for a different request' }, {
    vi: 'Khóa này đã gắn với một đề xuất có nội dung khác; hãy dùng khóa mới.',
    en: 'This key belongs to a proposal with different content; use a new key.',
  }, { errors: [{ field: '(header) Idempotency-Key', code: 'reused', reason: 'different request body' }] });

async function queryWorkflow(temporal: Client, taskId: string): Promise<TaskView | null> {
  try {
    return await temporal.workflow.getHandle(taskWorkflowId(taskId)).query<TaskState, []>(getTaskStateQuery);
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return null;
    throw err;
  }
}
