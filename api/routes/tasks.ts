/**
 * Proposals and tasks: filing a proposal starts the task's lifecycle workflow;
 * reads come from the read model (falling back to the workflow while the first
 * write is on its way); commands are workflow updates.
 */
import { Router } from 'express';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import type { FilterQuery } from 'mongoose';
import { ApplicationFailure } from '@temporalio/common';
import type { taskLifecycleWorkflow } from '../../workflows/task-lifecycle';
import {
  commandUpdate,
  getTaskStateQuery,
  SA,
  taskWorkflowId,
  TaskStage,
  type CommandName,
  type Locale,
  type TaskLifecycleInput,
  type TaskState,
} from '../../workflows/definitions';
import { COMMANDS, type Refusal } from '../../workflows/rules/transitions';
import { commandRefusal } from '../../workflows/rules/preconditions';
import { commandPositionRefusal, WHILE_DECISION_PENDING } from '../../workflows/rules/authority';
import { ruleSetFor } from '../../workflows/rules/ruleset';
import { z } from '../zod';
import { COMMAND_BODIES, commandPath, type ApiCommandName } from '../commands';
import { ruleSetOf } from '../../activities/config';
import { vnDateOf } from '../../workflows/rules/calendar';
import type { TaskDoc } from '../../activities/store';
import { searchWords } from '../../activities/task-list-fields';
import { deadlineSummary } from '../../workflows/rules/obligations';
import { caller, forbiddenForRoles, requireRole, type Caller } from '../auth';
import { afterCondition, decodeCursor, encodeCursor, filterHash } from '../cursor';
import type { ApiDeps } from '../deps';
import { pickLocale } from '../i18n';
import { newTaskId, taskIdForIdempotencyKey } from '../../activities/ids';
import { notFound, parseOrThrow, Problem } from '../problem';
import { DocumentParams, IdempotencyKeyHeader, ProposalBody, splitCsv, TaskFileParams, TaskIdParam, TaskListQuery } from '../schemas';
import { markAttached, resolveAttachments, sendFile, taskFileView, visibleTaskFiles } from '../attachments';
import { audit } from './audit';
import { requireJsonBody } from '../body';
import { EXPORT_MAX_ROWS, sendTable } from '../export';
import { taskColumns } from '../list-columns';

type TaskView = TaskState;

/**
 * Who may see a task: a researcher their organisation's (as proposer, host or
 * applicant), a manager or admin their Department's. Council members see the
 * items of their councils (councils issue), not tasks.
 */
/**
 * A score sheet (C-SEL) is a 100-point sheet naming each criterion once: criteria given that repeat one
 * or whose maxima total anything else are refused with 422 naming the field, in the caller's language
 * (an empty list is none given).
 */
function criteriaRefusal(criteria: { id: string; max: number }[] | undefined, locale: Locale): void {
  if (!criteria?.length) return;
  const total = criteria.reduce((n, c) => n + c.max, 0);
  const repeated = criteria.map((c) => c.id).filter((id, i, all) => all.indexOf(id) !== i);
  const reason = repeated.length
    ? { vi: `Mỗi tiêu chí chỉ được nêu một lần (lặp lại: ${[...new Set(repeated)].join(', ')}).`, en: `Each criterion may appear once (repeated: ${[...new Set(repeated)].join(', ')}).` }
    : total !== 100
      ? { vi: `Tổng điểm tối đa của các tiêu chí phải bằng 100 (đang là ${total}).`, en: `The criteria's maxima must add up to 100 (they add up to ${total}).` }
      : undefined;
  if (!reason) return;
  throw new Problem(422, 'invalid-criteria', { vi: 'Tiêu chí chấm điểm không hợp lệ', en: 'Invalid scoring criteria' }, reason, { in: 'body', errors: [{ field: 'criteria', code: repeated.length ? 'repeated' : 'total', reason: reason[locale] }] });
}

export function canSeeTask(user: Caller, task: Pick<TaskState, 'owner' | 'departmentId'> & Partial<Pick<TaskState, 'host' | 'call'>>): boolean {
  // Every task belongs to a Department, and no one sees another Department's tasks (issue 15: an
  // organisation code is not unique across Departments, so it never decides alone).
  if (task.departmentId !== user.departmentId) return false;
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

/**
 * The call for applications (L-4, L-5): every dossier with its applicant and code for the
 * Department; a researcher sees only their own organisation's (one applicant never learns
 * who else applied).
 */
function callView(call: NonNullable<TaskView['call']>, user: Caller) {
  const dossiers = user.role === 'researcher' ? call.dossiers.filter((d) => d.host.orgId === user.orgId) : call.dossiers;
  return {
    opensOn: call.opensOn,
    closesOn: call.closesOn,
    round: call.round,
    dossiers: dossiers.map((d) => ({ dossierId: d.dossierId, host: d.host, submittedAt: d.submittedAt, ...(d.valid !== undefined ? { valid: d.valid } : {}) })),
  };
}

/**
 * Issue 13: the commands the caller may give now, exactly: stage and role (transitions.ts) and every
 * condition on the task's state (rules/preconditions.ts, which the workflow's validators ask too). A
 * listed command with a valid body is not refused as "not allowed now"; what the body decides is 422.
 */
export function allowedActionsOf(t: TaskView, user: Caller, today = vnDateOf(new Date().toISOString())): ApiCommandName[] {
  if (t.closed) return [];
  // Issue 12: and what the caller's position may give, and nothing but what a pending decision allows.
  return (Object.keys(COMMAND_BODIES) as ApiCommandName[]).filter((c) => commandRefusal(c, t, { role: user.role, orgId: user.orgId }, today) === null && !notNow(c, t, user));
}

/** Issue 12: not the caller's position's to give (a clerk gives none), or held while a decision awaits issue. */
function notNow(c: CommandName, t: TaskView, user: Caller): boolean {
  if (commandPositionRefusal(c, user, ruleSetFor(t.ruleSet).authority)) return true;
  return Boolean(t.issuance?.some((d) => d.status === 'PENDING' && d.effective)) && !WHILE_DECISION_PENDING.includes(c);
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
    ...(t.call ? { call: callView(t.call, user) } : {}),
    // What the Department's officers decide on (issue 11): the request, the inspection, the stop, the dossier.
    proposingOrgId: t.owner.orgId,
    ...(t.approval ? { approval: t.approval } : {}),
    adjustments: t.adjustments.map((a) => ({ kind: a.kind, requestedAt: a.requestedAt, details: a.details, ...(a.decision ? { decision: a.decision, decidedAt: a.decidedAt } : {}) })),
    inspections: t.inspections,
    ...(t.suspension ? { suspension: t.suspension } : {}),
    ...(t.termination ? { termination: t.termination } : {}),
    ...(t.acceptance ? { acceptance: t.acceptance } : {}),
    ...(t.registration ? { registration: t.registration } : {}),
    ...(t.contract ? { contract: t.contract } : {}),
    funds: t.funds,
    obligations: t.obligations,
    reports: t.reports,
    // Council results as recorded: outcomes and counts only, never a member's ballot (C-4).
    councils: t.councils.map((c) => ({ council: c.council, outcome: c.outcome, decidedAt: c.decidedAt })),
    councilSittings: (t.councilSittings ?? []).map((c) => ({ councilId: c.councilId, kind: c.kind, status: c.status, formedAt: c.formedAt, ...(c.outcome ? { outcome: c.outcome } : {}), warnings: c.warnings ?? [], href: `/api/v1/councils/${c.councilId}` })),
    timeline: t.timeline,
    ...deadlineSummary(t),
    documents: t.documents.map((d) => ({ ...d, url: `${base}/documents/${d.documentId}` })),
    // Issue 12: documents on their way out; a researcher sees none of the Department's drafts.
    ...(t.issuance?.length && user.role !== 'researcher'
      ? { issuance: t.issuance.map((d) => ({ documentId: d.documentId, kind: d.kind, title: d.title, status: d.status, draftedAt: d.draftedAt, ...(d.effective ? { effective: d.effective.command } : {}), href: `/api/v1/documents/${d.documentId}` })) }
      : {}),
    ...(t.approverDecisions?.length ? { approverDecisions: t.approverDecisions } : {}),
    files: visibleTaskFiles(t, user).map((f) => taskFileView(t.taskId, f)),
    allowedActions: allowedActionsOf(t, user).map((c) => ({ command: c, href: `${base}/${commandPath(c)}` })),
    links: { self: base },
  };
}

/**
 * A workflow update refused by its validator: 403 (not your role), 409 (not now:
 * the transition or its precondition), 422 (any other business rule), each with
 * the rule's reason in the caller's language.
 */
function refusalProblem(err: unknown, task: TaskView): Problem | undefined {
  // The workflow has completed meanwhile (the read model had not caught up): the task is closed.
  if (err instanceof WorkflowNotFoundError) return taskClosed(task);
  if (!(err instanceof WorkflowUpdateFailedError) || !(err.cause instanceof ApplicationFailure)) return undefined;
  const refusal = err.cause.details?.[0] as Refusal | undefined;
  const message = refusal?.message ?? { vi: err.cause.message, en: err.cause.message };
  const extras = { rule: refusal?.rule, code: err.cause.type };
  switch (err.cause.type) {
    case 'FORBIDDEN_ROLE':
    case 'FORBIDDEN_POSITION':
    case 'NOT_YOUR_TASK':
      return new Problem(403, 'forbidden', { vi: 'Không có quyền', en: 'Forbidden' }, message, extras);
    case 'TRANSITION_NOT_ALLOWED':
    case 'PRECONDITION_FAILED':
    case 'DECISION_PENDING':
      return new Problem(409, 'transition-not-allowed', { vi: 'Thao tác không hợp lệ ở thời điểm này', en: 'Not allowed now' }, message, extras);
    default:
      return new Problem(422, 'business-rule', { vi: 'Vi phạm quy định', en: 'Refused by a business rule' }, message, extras);
  }
}

/** A closed task (a terminal stage, §2) takes no more commands. */
const taskClosed = (task: TaskView) =>
  new Problem(409, 'task-closed', { vi: 'Nhiệm vụ đã kết thúc', en: 'The task is closed' }, {
    vi: `Nhiệm vụ đã kết thúc ở giai đoạn ${task.stage}; không nhận thêm thao tác.`,
    en: `The task ended in stage ${task.stage}; it takes no more commands.`,
  }, { stage: task.stage });

const SORT_FIELDS = { submittedAt: 'submittedAt', title: 'titleKey', nextDeadline: 'deadlineKey' } as const;

function summary(t: TaskDoc) {
  return {
    taskId: t._id,
    title: t.title,
    stage: t.stage,
    level: t.level,
    form: t.form,
    ...(t.assignment ? { assignment: t.assignment } : {}),
    submittedAt: t.submittedAt,
    proposerOrganisation: t.proposal.proposer.organisation,
    ...(t.host ? { host: { orgId: t.host.orgId, orgName: t.host.orgName } } : {}),
    ...(t.nextDeadline ? { nextDeadline: t.nextDeadline } : {}),
    overdue: Boolean(t.overdue),
    ...(t.accountableOfficer ? { accountableOfficer: { name: t.accountableOfficer.name, email: t.accountableOfficer.email } } : {}),
    links: { self: `/api/v1/tasks/${encodeURIComponent(t._id)}` },
  };
}

export function tasksRouter(deps: ApiDeps): Router {
  const { config, store, temporal } = deps;
  const r = Router();

  /**
   * The caller's tasks, from the read model: a researcher's organisation's (as
   * proposer, host or applicant), a manager's or admin's Department's; council
   * members have /councils/mine instead. Keyset pagination on (scope, sort key, _id),
   * each backed by an index (activities/store.ts).
   */
  r.get('/tasks', async (req, res) => {
    const user = caller(req);
    if (user.role === 'council_member') throw forbiddenForRoles(['researcher', 'manager', 'admin']);
    const query = parseOrThrow(TaskListQuery, req.query, pickLocale(req), 'query');
    const { cursor, limit: requested, format, sort = 'submittedAt', order = sort === 'submittedAt' ? 'desc' : 'asc', ...filters } = query;
    const asFile = format === 'csv' || format === 'xlsx';
    const limit = requested ?? 20;
    const field = SORT_FIELDS[sort];
    const and: FilterQuery<TaskDoc>[] = user.role === 'researcher' ? [{ partyOrgIds: user.orgId }, { departmentId: user.departmentId }] : [{ departmentId: user.departmentId }];
    const inList = (f: string, v: string | undefined) => {
      const values = splitCsv(v);
      if (values) and.push({ [f]: values.length === 1 ? values[0] : { $in: values } });
    };
    inList('stage', filters.stage);
    inList('level', filters.level);
    inList('form', filters.form);
    if (filters.assignment) and.push({ assignment: filters.assignment });
    if (filters.overdue) and.push({ overdue: filters.overdue === 'true' });
    if (filters.hostOrgId) and.push({ 'host.orgId': filters.hostOrgId });
    if (filters.officer) and.push({ 'accountableOfficer.userId': user.userId });
    // Each word must begin a word of the title or an organisation's name (folded: accents optional).
    for (const w of (filters.q ? searchWords(filters.q) : []).slice(0, 8)) and.push({ searchTerms: { $regex: `^${w}` } });
    const sortKey = `${sort}:${order}`;
    if (cursor && !asFile) {
      const c = decodeCursor(cursor, sortKey, filters);
      and.push(afterCondition(field, order, c.v, c.id));
    }
    const dir = order === 'asc' ? 1 : -1;
    if (asFile) {
      // Issue 11: the whole filtered list as a file, in the same order.
      const all = await store.Task.find({ $and: and })
        .sort({ [field]: dir, _id: dir })
        .limit(EXPORT_MAX_ROWS + 1)
        .select({ _id: 1, code: 1, title: 1, stage: 1, level: 1, form: 1, assignment: 1, submittedAt: 1, proposal: 1, host: 1, nextDeadline: 1, overdue: 1, accountableOfficer: 1 })
        .lean<TaskDoc[]>();
      const locale = pickLocale(req);
      await sendTable(res, { format, locale, filename: `danh-sach-nhiem-vu-${vnDateOf(new Date().toISOString())}`, sheet: { vi: 'Nhiệm vụ', en: 'Tasks' }, columns: taskColumns(locale), rows: all.slice(0, EXPORT_MAX_ROWS), truncated: all.length > EXPORT_MAX_ROWS });
      return;
    }
    const rows = await store.Task.find({ $and: and })
      .sort({ [field]: dir, _id: dir })
      .limit(limit + 1)
      .select({ _id: 1, title: 1, stage: 1, level: 1, form: 1, assignment: 1, submittedAt: 1, proposal: 1, host: 1, nextDeadline: 1, overdue: 1, accountableOfficer: 1, titleKey: 1, deadlineKey: 1 })
      .lean<TaskDoc[]>();
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    const lastValue = last ? String({ submittedAt: last.submittedAt, titleKey: last.titleKey, deadlineKey: last.deadlineKey }[field]) : '';
    res.json({
      items: page.map(summary),
      nextCursor: rows.length > limit && last ? encodeCursor({ s: sortKey, f: filterHash(filters), v: lastValue, id: last._id }) : null,
      limit,
    });
  });

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
    const { attachments: uploadIds, ...proposal } = parseOrThrow(ProposalBody, requireJsonBody(req, false), locale);
    // Repeats with the same key are answered by the idempotency middleware; the task ID is
    // derived from the key as well, so even a lost idempotency record cannot start a second task.
    const keyHeader = req.get('idempotency-key');
    const key = keyHeader === undefined ? undefined : parseOrThrow(IdempotencyKeyHeader, { 'Idempotency-Key': keyHeader }, locale, 'header')['Idempotency-Key'];

    // T-4: a debarred host organisation or PI may not file new tasks until the debarment ends.
    const debarments = await store.debarmentsFor(user.orgId, proposal.proposer.email, vnDateOf(new Date().toISOString()));
    if (debarments.length) {
      const until = debarments.map((d) => d.until).sort().at(-1)!;
      throw new Problem(422, 'debarred', { vi: 'Đang bị cấm tham gia nhiệm vụ mới', en: 'Debarred from new tasks' }, {
        vi: `Tổ chức hoặc chủ nhiệm này không được đề xuất nhiệm vụ mới đến ngày ${until} (T-4, sau nhiệm vụ ${debarments[0]!._id}).`,
        en: `This organisation or principal investigator may not propose new tasks until ${until} (T-4, after task ${debarments[0]!._id}).`,
      }, { rule: 'T-4', until });
    }

    const taskId = key ? taskIdForIdempotencyKey(user.userId, key) : newTaskId();
    const workflowId = taskWorkflowId(taskId);
    // Issue 10: the files filed with it, checked before the workflow starts.
    const attachments = await resolveAttachments(deps, user, uploadIds, locale, key ? { taskId, command: 'fileProposal' } : undefined);
    const submittedAt = new Date().toISOString();
    const input: TaskLifecycleInput = {
      taskId,
      departmentId: user.departmentId,
      departmentName: config.DEPARTMENT_NAME,
      place: config.DOCUMENT_PLACE,
      publicBaseUrl: config.PUBLIC_BASE_URL,
      ruleSet: ruleSetOf(config),
      proposal,
      submittedBy: { userId: user.userId, role: user.role, name: user.name, email: user.email, orgId: user.orgId, locale: user.locale },
      submittedAt,
      ...(attachments ? { attachments } : {}),
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
          { key: SA.level, value: proposal.level },
          { key: SA.form, value: proposal.form },
          { key: SA.department, value: user.departmentId },
        ],
      });
    } catch (err) {
      // The same key raced in past a lost idempotency record: both answer with the one task.
      if (!(key && err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      replayed = true;
    }
    if (!replayed) await markAttached(deps, req, attachments, { taskId, command: 'fileProposal', attachedAt: submittedAt });
    // The proposal itself is audited from the timeline (L-1, entry 0) once the read model is written.
    const responseBody = { taskId, workflowId, stage: TaskStage.PROPOSED, links: { self: `/api/v1/tasks/${taskId}` } };
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

  // Issue 10: a file of the task, for those who may see the task (an applicant's dossier files: its organisation and the Department).
  r.get('/tasks/:taskId/files/:fileId', async (req, res) => {
    const { taskId, fileId } = parseOrThrow(TaskFileParams, req.params, pickLocale(req), 'path');
    const user = caller(req);
    const task = await loadTask(user, taskId);
    const file = visibleTaskFiles(task, user).find((f) => f.fileId === fileId);
    if (!file) throw notFound();
    await sendFile(deps, req, res, user, file, { action: 'downloadTaskFile', departmentId: task.departmentId, taskId });
  });

  /**
   * T-4 (issue 13): the organisation and PI a command brings onto a task (an applicant's dossier, a direct
   * assignment, a new PI under A-4) are refused while debarred, with 422 naming the field and the end date.
   */
  async function refuseDebarred(p: { orgId?: string; piEmail: string; field: string; what: { vi: string; en: string } }): Promise<void> {
    const debarments = await store.debarmentsFor(p.orgId, p.piEmail, vnDateOf(new Date().toISOString()));
    if (!debarments.length) return;
    const until = debarments.map((d) => d.until).sort().at(-1)!;
    const byOrg = Boolean(p.orgId) && debarments.some((d) => d.orgId === p.orgId);
    const field = byOrg ? `${p.field}.orgId` : p.field.endsWith('newPi') ? `${p.field}.email` : `${p.field}.pi.email`;
    const who = byOrg ? { vi: 'Tổ chức', en: 'The organisation' } : { vi: 'Chủ nhiệm', en: 'The principal investigator' };
    throw new Problem(422, 'debarred', { vi: 'Đang bị cấm tham gia nhiệm vụ mới', en: 'Debarred from new tasks' }, {
      vi: `${who.vi} này không được ${p.what.vi} đến ngày ${until} (T-4, sau nhiệm vụ ${debarments[0]!._id}).`,
      en: `${who.en} may not ${p.what.en} until ${until} (T-4, after task ${debarments[0]!._id}).`,
    }, { rule: 'T-4', until, errors: [{ field, code: 'debarred', reason: `debarred until ${until} (T-4)` }] });
  }

  // Every lifecycle command: POST /tasks/{taskId}/<command>, a workflow update with a validator.
  for (const name of Object.keys(COMMAND_BODIES) as ApiCommandName[]) {
    r.post(`/tasks/:taskId/${commandPath(name)}`, requireRole(...COMMANDS[name].roles), async (req, res) => {
      const locale = pickLocale(req);
      const { taskId } = parseOrThrow(TaskIdParam, req.params, locale, 'path');
      const user = caller(req);
      // Visibility first (a 404 reveals nothing), then the body, then whether the task still takes commands.
      const task = await loadTask(user, taskId, name === 'submitDossier');
      // Issue 12: the Department's people act by position (a clerk registers and issues, gives no command).
      const position = commandPositionRefusal(name, user, ruleSetFor(task.ruleSet).authority);
      if (position) throw new Problem(403, 'forbidden', { vi: 'Không có quyền', en: 'Forbidden' }, position.message, { rule: position.rule, code: position.code });
      const { attachments: uploadIds, ...body } = parseOrThrow(COMMAND_BODIES[name] as z.ZodType<Record<string, unknown>>, requireJsonBody(req, true), locale);
      if (task.closed) throw taskClosed(task);
      if (name === 'formCouncil') criteriaRefusal(body.criteria as { id: string; max: number }[] | undefined, locale);
      // T-4 (issue 13): a debarred organisation or PI is refused wherever it would join a task, not only on filing.
      const joining = joiningParty(name, body);
      if (joining) await refuseDebarred(joining);
      // Issue 10: the uploads it carries, checked before the update; a refused command leaves them staged.
      const attachments = await resolveAttachments(deps, user, uploadIds as string[] | undefined, locale);
      let state: TaskState;
      try {
        state = await temporal.workflow
          .getHandle(task.workflowId)
          .executeUpdate(commandUpdate(name), { args: [{ ...body, ...(attachments ? { attachments } : {}), by: actorOf(user) } as never] });
      } catch (err) {
        throw refusalProblem(err, task) ?? err;
      }
      const at = state.files?.find((f) => f.fileId === attachments?.[0]?.fileId)?.at ?? new Date().toISOString();
      await markAttached(deps, req, attachments, { taskId, command: name, attachedAt: at });
      // Who gave which command, and what it moved; never the body (it may be long or personal).
      await audit(deps, req, user, { kind: 'command', action: name, departmentId: state.departmentId, taskId, from: task.stage, to: state.stage, rule: COMMANDS[name].rule });
      res.json(present(state, user));
    });
  }

  return r;
}

/** The caller as the workflows see them; a Department user's position and areas come along (issue 12). */
export const actorOf = (u: Caller) => ({
  userId: u.userId,
  role: u.role,
  name: u.name,
  email: u.email,
  orgId: u.orgId,
  locale: u.locale,
  ...(u.position ? { position: u.position } : {}),
  ...(u.areas?.length ? { areas: u.areas } : {}),
});

async function queryWorkflow(temporal: Client, taskId: string): Promise<TaskView | null> {
  try {
    return await temporal.workflow.getHandle(taskWorkflowId(taskId)).query<TaskState, []>(getTaskStateQuery);
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return null;
    throw err;
  }
}

/** T-4 (issue 13): who a command would bring onto the task, if anyone. */
function joiningParty(name: ApiCommandName, body: Record<string, unknown>): { orgId?: string; piEmail: string; field: string; what: { vi: string; en: string } } | undefined {
  const host = body.host as { orgId: string; pi: { email: string } } | undefined;
  if ((name === 'submitDossier' || name === 'assignDirectly') && host) {
    const what = name === 'submitDossier' ? { vi: 'đăng ký tuyển chọn', en: 'apply to a call' } : { vi: 'được giao trực tiếp nhiệm vụ', en: 'be directly assigned a task' };
    return { orgId: host.orgId, piEmail: host.pi.email, field: 'host', what };
  }
  const changes = body.changes as { host?: { orgId: string; pi: { email: string } } } | undefined;
  if (name === 'requestAdjustment' && body.kind === 'A-5' && changes?.host) {
    return { orgId: changes.host.orgId, piEmail: changes.host.pi.email, field: 'changes.host', what: { vi: 'chủ trì nhiệm vụ', en: 'host a task' } };
  }
  if (name === 'requestAdjustment' && body.kind === 'A-4') {
    return { piEmail: (body.newPi as { email: string }).email, field: 'newPi', what: { vi: 'làm chủ nhiệm nhiệm vụ', en: 'become a task\'s principal investigator' } };
  }
  return undefined;
}
