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
import { chars, isoDate, recordOf, text, z } from '../zod';
import { councilUpdate, type CouncilBallot, type CouncilCommandName, type TaskState } from '../../workflows/definitions';
import type { Refusal } from '../../workflows/rules/transitions';
import type { CouncilDoc, TaskDoc } from '../../activities/store';
import { councilDossier } from '../council-dossier';
import { caller, requireRole, type Caller } from '../auth';
import type { ApiDeps } from '../deps';
import { pickLocale } from '../i18n';
import { notFound, parseOrThrow, Problem } from '../problem';
import { audit } from './audit';
import { receiptOfCountedVote, voteAuditId } from '../vote-receipt';
import { requireJsonBody } from '../body';
import { Attachments, FileId } from '../schemas';
import { councilFiles, councilFileView, markAttached, resolveAttachments, sendFile } from '../attachments';
import { CouncilSeatBody } from '../commands';

const rating = z.enum(['EXCELLENT', 'PASS', 'FAIL']);
export const CouncilIdParam = z.object({ councilId: z.string().regex(/^council-NV-[0-9A-Z]{10,32}-C-(ID|SEL|ACC)-\d{1,3}$/) }).strict();
export const CouncilFileParams = z.object({ councilId: CouncilIdParam.shape.councilId, fileId: FileId }).strict();

/** A member's ballot, per council kind (C-ID yes/no; C-SEL a score sheet per dossier; C-ACC a rating per approved product). */
const Ballot = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('C-ID'), yes: z.boolean(), comment: chars(0, 5_000).optional() }).strict(),
  z.object({ kind: z.literal('C-SEL'), dossierId: chars(1, 50), scores: recordOf(z.number().min(0).max(100)), comment: chars(0, 5_000).optional() }).strict(),
  z
    .object({
      kind: z.literal('C-ACC'),
      products: z
        .array(z.object({ productId: chars(1, 100).describe('P1…Pn: the council\'s products (GET /councils/{councilId}: products, dossier.products)'), quantity: rating, volume: rating, quality: rating, orderedAmount: z.number().int().min(1).max(1_000_000_000).optional(), deliveredAmount: z.number().int().min(0).max(1_000_000_000).optional() }).strict())
        .min(1)
        .max(50)
        .describe('One rating per approved product, each once'),
      report: rating,
      comment: chars(0, 5_000).optional(),
    })
    .strict(),
]);

export const COUNCIL_BODIES = {
  declareConflict: z
    .object({
      memberId: chars(1, 100).optional(),
      conflicted: z.boolean(),
      reason: text(2_000).optional().describe('The conflict\'s reason; when a manager lifts a conflict the Department recorded, its grounds (required, audited as liftConflict)'),
    })
    .strict(),
  recordAttendance: z.object({ present: z.array(chars(1, 100)).max(20), chairAuthorisedViceChair: z.boolean().optional() }).strict(),
  castVote: z.object({ ballot: Ballot }).strict(),
  reschedule: z
    .object({
      meetingOn: isoDate,
      votingDeadline: z.iso.datetime({ offset: true }),
      members: z.array(CouncilSeatBody).min(1).max(15).optional(),
    })
    .strict(),
  chairTieBreak: z.object({ dossierId: chars(1, 50) }).strict(),
  submitWrittenReview: z.object({ review: text(20_000), attachments: Attachments }).strict(),
  enterPaperBallots: z
    .object({
      ballots: z.array(z.object({ memberId: chars(1, 100), ballot: Ballot }).strict()).min(1).max(20).describe('Each member\'s ballot as cast on paper; each is checked as the member\'s own vote would be'),
      attachments: Attachments.describe('The scanned ballots (uploadIds); the Department\'s staff see them, members never do (C-4)'),
    })
    .strict(),
} satisfies Record<CouncilCommandName, z.ZodType>;

/** A valid body for every council command (OpenAPI examples, authorization matrix). */
export const COUNCIL_EXAMPLES: { [K in CouncilCommandName]: z.input<(typeof COUNCIL_BODIES)[K]> } = {
  declareConflict: { conflicted: false },
  recordAttendance: { present: ['cm-1', 'cm-2', 'cm-3', 'cm-4', 'cm-5', 'cm-6', 'cm-7'] },
  castVote: { ballot: { kind: 'C-ID', yes: true } },
  reschedule: { meetingOn: '2027-03-01', votingDeadline: '2027-03-01T17:00:00+07:00' },
  chairTieBreak: { dossierId: 'HS-01' },
  submitWrittenReview: { review: 'Đề xuất cấp thiết, mục tiêu rõ ràng; đề nghị làm rõ phương pháp chọn giống.' },
  enterPaperBallots: { ballots: [{ memberId: 'cm-1', ballot: { kind: 'C-ID', yes: true } }] },
};

export const COUNCIL_PATHS: Record<CouncilCommandName, { path: string; roles: Caller['role'][] }> = {
  declareConflict: { path: 'conflict-declarations', roles: ['council_member', 'manager'] },
  recordAttendance: { path: 'attendance', roles: ['manager'] },
  castVote: { path: 'votes', roles: ['council_member'] },
  reschedule: { path: 'reschedule', roles: ['manager'] },
  chairTieBreak: { path: 'tie-break', roles: ['council_member'] },
  submitWrittenReview: { path: 'written-reviews', roles: ['council_member'] },
  enterPaperBallots: { path: 'paper-ballots', roles: ['manager'] },
};

/** A council with its task's Department (whose managers and admins may see it). */
type LoadedCouncil = CouncilDoc & { departmentId?: string };

/** Members see their councils; managers and admins their Department's. */
function canSeeCouncil(user: Caller, c: LoadedCouncil): boolean {
  if (user.role === 'council_member') return c.memberIds.includes(user.userId);
  if (user.role === 'manager' || user.role === 'admin') return c.departmentId === user.departmentId;
  return false;
}

export type CouncilAccess = 'full' | 'undeclared' | 'conflicted';
type CouncilDossierView = ReturnType<typeof councilDossier>;

/**
 * How much of the sitting a caller sees (C-6): a member must declare before seeing
 * the dossier; a conflicted member is out of the item, so sees only their own seat,
 * not the dossiers, criteria, written reviews, other members or how anyone voted.
 */
export function accessOf(c: Pick<CouncilDoc, 'members'>, user: Caller): CouncilAccess {
  if (user.role !== 'council_member') return 'full';
  const me = c.members.find((m) => m.memberId === user.userId);
  if (!me || me.conflicted) return 'conflicted';
  return me.declared ? 'full' : 'undeclared';
}

function present(c: CouncilDoc | LoadedCouncil, user: Caller, dossier?: CouncilDossierView) {
  const { _id, memberIds: _m, updatedAt, departmentId: _d, ...view } = c as LoadedCouncil;
  const access = accessOf(c, user);
  const you = user.role === 'council_member' ? view.members.find((m) => m.memberId === user.userId) ?? null : null;
  const links = { self: `/api/v1/councils/${_id}` };
  if (access !== 'full') {
    return { councilId: view.councilId, kind: view.kind, ballot: view.ballot, status: view.status, meetingOn: view.meetingOn, votingDeadline: view.votingDeadline, taskTitle: view.taskTitle, access, you, links };
  }
  // A secret ballot's read model never holds ballots (C-4); open ballots are shown as recorded.
  // A paper sitting's scanned ballots show how each member voted: the Department's staff only.
  const { openBallots, paperBallotFiles, ...rest } = view;
  return {
    ...rest,
    ...(paperBallotFiles?.length && user.role !== 'council_member' ? { paperBallotFiles } : {}),
    ...(view.ballot === 'open' && openBallots ? { openBallots } : {}),
    ...(dossier ? { dossier } : {}),
    access,
    you,
    ...(updatedAt ? { updatedAt: new Date(updatedAt).toISOString() } : {}),
    links,
  };
}

/** Every present, declared member without a conflict has cast every ballot (C-3, C-6): the tally comes next. */
function votingComplete(view: Pick<CouncilDoc, 'status' | 'members'>): boolean {
  // The answer may already show the sitting past its vote (it counts while the update answers).
  const voters = view.members.filter((m) => m.present && m.declared && !m.conflicted);
  return ['VOTING', 'DECIDED', 'AWAITING_CHAIR'].includes(view.status) && voters.length > 0 && voters.every((m) => m.voted);
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

  async function load(user: Caller, councilId: string): Promise<LoadedCouncil> {
    const c = await store.Council.findById(councilId).lean<CouncilDoc>();
    if (!c) throw notFound();
    // Membership settles it for members; the Department's staff need the task's Department
    // (one more read, kept off the members' path: votes come in bursts).
    const task = user.role === 'council_member' ? null : await store.Task.findById(c.taskId).select('departmentId').lean<{ departmentId?: string }>();
    const loaded: LoadedCouncil = { ...c, ...(task?.departmentId ? { departmentId: task.departmentId } : {}) };
    // 404, not 403: a council's existence is not revealed to non-members.
    if (!canSeeCouncil(user, loaded)) throw notFound();
    return loaded;
  }

  r.get('/councils/mine', requireRole('council_member'), async (req, res) => {
    const user = caller(req);
    const mine = await store.Council.find({ memberIds: user.userId }).sort({ meetingOn: -1 }).limit(200).lean<CouncilDoc[]>();
    res.json({ items: mine.map((c) => present(c, user)) });
  });

  /** The dossier, for full access only (C-6: never before the member declared no conflict, never for a conflicted one). */
  async function dossierFor(c: Pick<CouncilDoc, 'kind' | 'dossiers' | 'members' | 'taskId'>, user: Caller): Promise<CouncilDossierView | undefined> {
    if (accessOf(c, user) !== 'full') return undefined;
    const task = await store.Task.findById(c.taskId).lean<TaskDoc>();
    return task ? councilDossier(c, task) : undefined;
  }
  /** Issue 10: the files of what the council judges and of its written reviews (councilFiles). */
  const filesOf = async (c: LoadedCouncil, user: Caller) => [
    ...councilFiles(c, await store.Task.findById(c.taskId).select({ files: 1 }).lean<Pick<TaskState, 'files'>>()),
    // Issue 13: a paper sitting's scanned ballots, for the Department's staff only (C-4).
    ...(user.role === 'council_member' ? [] : (c.paperBallotFiles ?? []).map(({ at: _at, ...f }) => ({ ...f, command: 'enterPaperBallots' }))),
  ];

  r.get('/councils/:councilId', async (req, res) => {
    const { councilId } = parseOrThrow(CouncilIdParam, req.params, pickLocale(req), 'path');
    const user = caller(req);
    const council = await load(user, councilId);
    const view = present(council, user, await dossierFor(council, user));
    if (view.access !== 'full') return void res.json(view);
    // What the council judges, with its files: all of them at the top, each item's with the item (issue 10).
    const files = (await filesOf(council, user)).map((f) => councilFileView(councilId, f));
    const itemFiles = (itemId: string) =>
      files.filter((f) => (council.kind === 'C-SEL' ? f.dossierId === itemId : f.command === (council.kind === 'C-ID' ? 'fileProposal' : 'submitAcceptanceDossier')));
    const dossier = 'dossier' in view && view.dossier ? { ...view.dossier, items: view.dossier.items.map((i) => ({ ...i, files: itemFiles(i.itemId) })) } : undefined;
    res.json({ ...view, ...(dossier ? { dossier } : {}), files });
  });

  // Issue 10: a file of the dossier the council judges, for the Department and, after declaring no conflict (C-6), its members.
  r.get('/councils/:councilId/files/:fileId', async (req, res) => {
    const { councilId, fileId } = parseOrThrow(CouncilFileParams, req.params, pickLocale(req), 'path');
    const user = caller(req);
    const c = await load(user, councilId);
    if (accessOf(c, user) !== 'full') {
      throw new Problem(403, 'declare-first', { vi: 'Chưa được xem hồ sơ', en: 'Not allowed to see the dossier' }, {
        vi: 'Thành viên phải khai báo không có xung đột lợi ích trước khi xem hồ sơ; thành viên có xung đột không xem hồ sơ (C-6).',
        en: 'A member must declare no conflict of interest before seeing the dossier; a conflicted member does not see it (C-6).',
      }, { rule: 'C-6' });
    }
    const file = (await filesOf(c, user)).find((f) => f.fileId === fileId);
    if (!file) throw notFound();
    await sendFile(deps, req, res, user, file, { action: 'downloadCouncilFile', departmentId: c.departmentId ?? user.departmentId, taskId: c.taskId, councilId });
  });

  /**
   * Issue 13: waits (a few seconds at most) until a sitting whose voting has just completed has moved on:
   * decided and on its task (the sitting signals the task first, then renders and mails), awaiting its
   * chair, or void. The read models are written before each of those steps answers.
   */
  async function untilTaskHasResult(councilId: string, taskId: string, timeoutMs = 15_000): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (Date.now() < end) {
      const c = await store.Council.findById(councilId).select({ status: 1 }).lean<Pick<CouncilDoc, 'status'>>();
      if (c && c.status !== 'VOTING') {
        if (c.status !== 'DECIDED') return;
        const t = await store.Task.findById(taskId).select({ councilSittings: 1 }).lean<Pick<TaskState, 'councilSittings'>>();
        if (t?.councilSittings?.find((x) => x.councilId === councilId)?.status === 'DECIDED') return;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  for (const name of Object.keys(COUNCIL_BODIES) as CouncilCommandName[]) {
    const { path, roles } = COUNCIL_PATHS[name];
    r.post(`/councils/:councilId/${path}`, requireRole(...roles), async (req, res) => {
      const locale = pickLocale(req);
      const { councilId } = parseOrThrow(CouncilIdParam, req.params, locale, 'path');
      const user = caller(req);
      // Membership first (a 404 reveals nothing), then the body, then whether the sitting still takes commands.
      const council = await load(user, councilId);
      const body = parseOrThrow(COUNCIL_BODIES[name] as z.ZodType<Record<string, unknown>>, requireJsonBody(req, false), locale);
      if (council.status === 'DECIDED' && name === 'castVote') {
        // Issue 15/17: the very ballot that was counted, re-sent after the decision, gets its receipt.
        const receipt = await receiptOfCountedVote(deps.store, councilId, user.userId, body.ballot as CouncilBallot);
        if (receipt) {
          const { audited, ...answer } = receipt;
          if (!audited) await audit(deps, req, user, { _id: voteAuditId(councilId, answer.memberId, answer.item), kind: 'council', action: name, departmentId: council.departmentId ?? user.departmentId, taskId: council.taskId, councilId, item: answer.item });
          res.status(200).json(answer);
          return;
        }
      }
      if (council.status === 'DECIDED') {
        throw new Problem(409, 'not-allowed-now', { vi: 'Hội đồng đã kết luận', en: 'The council has decided' }, {
          vi: 'Hội đồng đã kết luận; không nhận thêm thao tác.',
          en: 'The council has reached its conclusion; nothing more is accepted.',
        }, { rule: 'C-4' });
      }
      // C-6: a conflicted member takes no part in the item, a written review included.
      if (name === 'submitWrittenReview' && accessOf(council, user) === 'conflicted') {
        throw new Problem(422, 'business-rule', { vi: 'Vi phạm quy định', en: 'Refused by a business rule' }, {
          vi: 'Thành viên có xung đột lợi ích không tham gia nội dung này (C-6).',
          en: 'A conflicted member takes no part in this item (C-6).',
        }, { rule: 'C-6', code: 'CONFLICTED' });
      }
      const by = { userId: user.userId, role: user.role, name: user.name, email: user.email, orgId: user.orgId, locale: user.locale };
      // Issue 10: a written review's files, checked before the update (a refusal leaves them staged).
      const { attachments: uploadIds, ...fields } = body;
      const attachments = await resolveAttachments(deps, user, uploadIds as string[] | undefined, locale);
      const args = name === 'declareConflict' ? { ...fields, memberId: (body.memberId as string | undefined) ?? user.userId, by } : { ...fields, ...(attachments ? { attachments } : {}), by };
      let out: unknown;
      try {
        out = await temporal.workflow.getHandle(councilId).executeUpdate(councilUpdate(name), { args: [args as never] });
      } catch (err) {
        throw refusalProblem(err) ?? err;
      }
      const departmentId = council.departmentId ?? user.departmentId;
      if (name === 'castVote') {
        const { completesVoting, ...receipt } = out as { memberId: string; item: string; repeated: boolean; completesVoting?: boolean };
        // Issue 13: the last ballot is answered once the task has the result (a command right after it is not premature).
        if (completesVoting) await untilTaskHasResult(councilId, council.taskId);
        out = receipt;
        // C-4: that the member voted on the item, never how; one entry per member and item.
        if (!receipt.repeated) {
          await audit(deps, req, user, { _id: `${councilId}:castVote:${receipt.memberId}:${receipt.item}`, kind: 'council', action: name, departmentId, taskId: council.taskId, councilId, item: receipt.item });
        }
        // A vote answers with its receipt only (never the ballot).
        res.status(receipt.repeated ? 200 : 201).json(out);
        return;
      }
      const view = out as CouncilDoc;
      if ((name === 'enterPaperBallots' && votingComplete(view)) || name === 'chairTieBreak') await untilTaskHasResult(councilId, council.taskId);
      const mine = view.writtenReviews?.find((w) => w.memberId === user.userId);
      await markAttached(deps, req, attachments, { taskId: council.taskId, councilId, command: name, attachedAt: mine?.at ?? new Date().toISOString() });
      if (name === 'enterPaperBallots') {
        // C-4: that the secretary entered a member's ballot on an item, never how.
        for (const e of body.ballots as { memberId: string; ballot: { kind: string; dossierId?: string } }[]) {
          const item = e.ballot.kind === 'C-SEL' ? String(e.ballot.dossierId) : 'item';
          await audit(deps, req, user, { _id: `${councilId}:enterPaperBallot:${e.memberId}:${item}`, kind: 'council', action: 'enterPaperBallot', departmentId, taskId: council.taskId, councilId, subjectUserId: e.memberId, item });
        }
      }
      // C-6: a manager lifting a conflict is its own entry (with the member), to be found as such.
      const lifted = name === 'declareConflict' && user.role === 'manager' && body.conflicted === false && council.members.find((m) => m.memberId === body.memberId)?.conflicted === true;
      await audit(deps, req, user, {
        _id: `${councilId}:${name}:v${view.version}`,
        kind: 'council',
        action: lifted ? 'liftConflict' : name,
        departmentId,
        taskId: council.taskId,
        councilId,
        from: council.status,
        to: view.status,
        ...(name === 'declareConflict' ? { subjectUserId: String((args as { memberId?: string }).memberId) } : {}),
      });
      res.json(present({ ...view, _id: councilId, memberIds: council.memberIds, updatedAt: new Date() }, user, await dossierFor({ ...view, taskId: council.taskId }, user)));
    });
  }

  return r;
}
