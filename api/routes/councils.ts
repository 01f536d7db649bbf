/**
 * Councils: a member sees only their councils; a manager those of their
 * Department's tasks. Declarations, attendance, votes, rescheduling and the
 * chair's tie-break are updates of the sitting's workflow. A secret ballot is
 * never shown per member: reads come from the council's read model, which holds
 * counts only (the sitting writes it so).
 */
import { Router } from 'express';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { z } from '../zod';
import { councilUpdate, type CouncilCommandName } from '../../workflows/definitions';
import type { Refusal } from '../../workflows/rules/transitions';
import type { CouncilDoc } from '../../activities/store';
import { caller, requireRole, type Caller } from '../auth';
import type { ApiDeps } from '../deps';
import { pickLocale } from '../i18n';
import { notFound, parseOrThrow, Problem } from '../problem';

const rating = z.enum(['EXCELLENT', 'PASS', 'FAIL']);
export const CouncilIdParam = z.object({ councilId: z.string().regex(/^council-NV-[0-9A-Z]{10,32}-C-(ID|SEL|ACC)-\d{1,3}$/) }).strict();

export const COUNCIL_BODIES = {
  declareConflict: z.object({ memberId: z.string().min(1).max(100).optional(), conflicted: z.boolean(), reason: z.string().trim().min(1).max(2_000).optional() }).strict(),
  recordAttendance: z.object({ present: z.array(z.string().min(1).max(100)).max(20), chairAuthorisedViceChair: z.boolean().optional() }).strict(),
  castVote: z
    .object({
      ballot: z.discriminatedUnion('kind', [
        z.object({ kind: z.literal('C-ID'), yes: z.boolean(), comment: z.string().max(5_000).optional() }).strict(),
        z.object({ kind: z.literal('C-SEL'), dossierId: z.string().min(1).max(50), scores: z.record(z.string().min(1).max(50), z.number().min(0).max(100)), comment: z.string().max(5_000).optional() }).strict(),
        z
          .object({
            kind: z.literal('C-ACC'),
            products: z
              .array(z.object({ productId: z.string().min(1).max(100), quantity: rating, volume: rating, quality: rating, orderedAmount: z.number().int().min(1).optional(), deliveredAmount: z.number().int().min(0).optional() }).strict())
              .min(1)
              .max(50),
            report: rating,
            comment: z.string().max(5_000).optional(),
          })
          .strict(),
      ]),
    })
    .strict(),
  reschedule: z
    .object({
      meetingOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
      votingDeadline: z.iso.datetime({ offset: true }),
      members: z.array(z.object({ memberId: z.string().min(1).max(100), name: z.string().min(1).max(200), email: z.email(), role: z.enum(['chair', 'vice_chair', 'reviewer', 'member', 'scientific_secretary']) }).strict()).min(1).max(15).optional(),
    })
    .strict(),
  chairTieBreak: z.object({ dossierId: z.string().min(1).max(50) }).strict(),
  submitWrittenReview: z.object({ review: z.string().trim().min(1).max(20_000) }).strict(),
} satisfies Record<CouncilCommandName, z.ZodType>;

export const COUNCIL_PATHS: Record<CouncilCommandName, { path: string; roles: Caller['role'][] }> = {
  declareConflict: { path: 'conflict-declarations', roles: ['council_member', 'manager'] },
  recordAttendance: { path: 'attendance', roles: ['manager'] },
  castVote: { path: 'votes', roles: ['council_member'] },
  reschedule: { path: 'reschedule', roles: ['manager'] },
  chairTieBreak: { path: 'tie-break', roles: ['council_member'] },
  submitWrittenReview: { path: 'written-reviews', roles: ['council_member'] },
};

/** Members see their councils; managers their Department's. */
async function canSeeCouncil(deps: ApiDeps, user: Caller, c: CouncilDoc): Promise<boolean> {
  if (user.role === 'council_member') return c.memberIds.includes(user.userId);
  if (user.role === 'manager' || user.role === 'admin') {
    const task = await deps.store.Task.findById(c.taskId).select('departmentId').lean();
    return task?.departmentId === user.departmentId;
  }
  return false;
}

function present(c: CouncilDoc, user: Caller) {
  const { _id, memberIds: _m, updatedAt, ...view } = c;
  return { ...view, updatedAt, you: user.role === 'council_member' ? view.members.find((m) => m.memberId === user.userId) ?? null : null, links: { self: `/api/v1/councils/${_id}` } };
}

function refusalProblem(err: unknown): Problem | undefined {
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
    const refusal = err.cause.details?.[0] as Refusal | undefined;
    const message = refusal?.message ?? { vi: err.cause.message, en: err.cause.message };
    const extras = { rule: refusal?.rule, code: err.cause.type };
    switch (err.cause.type) {
      case 'FORBIDDEN_ROLE':
      case 'NOT_A_MEMBER':
        return new Problem(403, 'forbidden', { vi: 'Không có quyền', en: 'Forbidden' }, message, extras);
      case 'TRANSITION_NOT_ALLOWED':
      case 'PRECONDITION_FAILED':
      case 'VOTING_CLOSED':
      case 'ALREADY_VOTED':
      case 'NO_QUORUM':
        return new Problem(409, 'not-allowed-now', { vi: 'Không thực hiện được lúc này', en: 'Not allowed now' }, message, extras);
      default:
        return new Problem(422, 'business-rule', { vi: 'Vi phạm quy định', en: 'Refused by a business rule' }, message, extras);
    }
  }
  return undefined;
}

export function councilsRouter(deps: ApiDeps): Router {
  const { store, temporal } = deps;
  const r = Router();

  async function load(user: Caller, councilId: string): Promise<CouncilDoc> {
    const c = await store.Council.findById(councilId).lean<CouncilDoc>();
    // 404, not 403: a council's existence is not revealed to non-members.
    if (!c || !(await canSeeCouncil(deps, user, c))) throw notFound();
    return c;
  }

  r.get('/councils/mine', requireRole('council_member'), async (req, res) => {
    const user = caller(req);
    const mine = await store.Council.find({ memberIds: user.userId }).sort({ meetingOn: -1 }).limit(200).lean<CouncilDoc[]>();
    res.json({ items: mine.map((c) => present(c, user)) });
  });

  r.get('/councils/:councilId', async (req, res) => {
    const { councilId } = parseOrThrow(CouncilIdParam, req.params, pickLocale(req), 'path');
    const user = caller(req);
    res.json(present(await load(user, councilId), user));
  });

  for (const name of Object.keys(COUNCIL_BODIES) as CouncilCommandName[]) {
    const { path, roles } = COUNCIL_PATHS[name];
    r.post(`/councils/:councilId/${path}`, requireRole(...roles), async (req, res) => {
      const locale = pickLocale(req);
      const { councilId } = parseOrThrow(CouncilIdParam, req.params, locale, 'path');
      const body = parseOrThrow(COUNCIL_BODIES[name] as z.ZodType<Record<string, unknown>>, req.body ?? {}, locale);
      const user = caller(req);
      const council = await load(user, councilId);
      if (council.status === 'DECIDED') {
        throw new Problem(409, 'not-allowed-now', { vi: 'Hội đồng đã kết luận', en: 'The council has decided' }, {
          vi: 'Hội đồng đã kết luận; không nhận thêm thao tác.',
          en: 'The council has reached its conclusion; nothing more is accepted.',
        }, { rule: 'C-4' });
      }
      const by = { userId: user.userId, role: user.role, name: user.name, email: user.email, orgId: user.orgId, locale: user.locale };
      const args = name === 'declareConflict' ? { ...body, memberId: (body.memberId as string | undefined) ?? user.userId, by } : { ...body, by };
      try {
        const out = await temporal.workflow.getHandle(councilId).executeUpdate(councilUpdate(name), { args: [args as never] });
        // A vote answers with its receipt only (never the ballot); other commands with the council as its members see it.
        if (name === 'castVote') res.status((out as { repeated: boolean }).repeated ? 200 : 201).json(out);
        else res.json(present({ ...(out as object), _id: councilId, memberIds: council.memberIds, updatedAt: new Date() } as CouncilDoc, user));
      } catch (err) {
        throw refusalProblem(err) ?? err;
      }
    });
  }

  return r;
}
