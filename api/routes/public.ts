/**
 * What anyone may read without signing in (issue 10): the Department's open calls for
 * applications (L-4), from the tasks read model. Only public fields: never an e-mail
 * address, a phone, the proposer or an applicant. A call is open while its task is in
 * CALL_OPEN and its closing day (Vietnam) has not passed; anything else is a 404.
 * Its own rate limit per IP address (the router is mounted with it).
 */
import { Router } from 'express';
import type { TaskDoc } from '../../activities/store';
import { vnDateOf } from '../../workflows/rules/calendar';
import { TaskStage } from '../../workflows/definitions';
import type { ApiDeps } from '../deps';
import { pickLocale } from '../i18n';
import { notFound, parseOrThrow } from '../problem';
import { TaskIdParam } from '../schemas';

type CallTask = Pick<TaskDoc, '_id' | 'departmentId' | 'stage' | 'proposal' | 'call'>;

export function publicRouter(deps: ApiDeps): Router {
  const { config, store } = deps;
  const r = Router();
  const FIELDS = { _id: 1, departmentId: 1, stage: 1, proposal: 1, call: 1 } as const;

  const isOpen = (t: CallTask, today: string): t is CallTask & { call: NonNullable<TaskDoc['call']> } =>
    t.stage === TaskStage.CALL_OPEN && t.departmentId === config.DEPARTMENT_ID && Boolean(t.call) && t.call!.closesOn >= today;

  function publicCall(t: CallTask & { call: NonNullable<TaskDoc['call']> }) {
    const p = t.proposal;
    return {
      taskId: t._id,
      title: p.title,
      objectives: p.objectives,
      expectedProducts: p.expectedProducts,
      level: p.level,
      form: p.form,
      durationMonths: p.durationMonths,
      budgetCeiling: { stateBudget: p.budget.stateBudget, otherSources: p.budget.otherSources },
      opensOn: t.call.opensOn,
      closesOn: t.call.closesOn,
      round: t.call.round,
      departmentName: config.DEPARTMENT_NAME,
    };
  }

  r.get('/public/calls', async (_req, res) => {
    const today = vnDateOf(new Date().toISOString());
    // The stage is indexed; the Department's open calls are few (a few dozen a year at most).
    const rows = await store.Task.find({ stage: TaskStage.CALL_OPEN, departmentId: config.DEPARTMENT_ID }).select(FIELDS).limit(500).lean<CallTask[]>();
    const items = rows
      .filter((t) => isOpen(t, today))
      .map((t) => publicCall(t as CallTask & { call: NonNullable<TaskDoc['call']> }))
      .sort((a, b) => a.closesOn.localeCompare(b.closesOn) || a.taskId.localeCompare(b.taskId));
    res.set('Cache-Control', 'no-cache').json({ items });
  });

  r.get('/public/calls/:taskId', async (req, res) => {
    const { taskId } = parseOrThrow(TaskIdParam, req.params, pickLocale(req), 'path');
    const t = await store.Task.findById(taskId).select(FIELDS).lean<CallTask>();
    // 404 alike for an unknown task, a task that is not (or no longer) an open call, another Department's.
    if (!t || !isOpen(t, vnDateOf(new Date().toISOString()))) throw notFound();
    res.set('Cache-Control', 'no-cache').json(publicCall(t));
  });

  return r;
}
