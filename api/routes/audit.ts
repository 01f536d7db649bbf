/**
 * The audit log: written by the read-model activity (stage changes, from the
 * timeline) and by the API (accepted commands and user administration); read here
 * by admins of the Department, filtered, newest first, with cursor pagination.
 * No endpoint changes or deletes an entry (and the model refuses it too).
 */
import { randomUUID } from 'node:crypto';
import { Router, type Request } from 'express';
import type { AuditEntry } from '../../activities/store';
import { caller, requireRole, type Caller } from '../auth';
import { afterCondition, decodeCursor, encodeCursor, filterHash } from '../cursor';
import type { ApiDeps } from '../deps';
import { pickLocale } from '../i18n';
import { parseOrThrow } from '../problem';
import { AuditQuery } from '../schemas';

export type AuditInput = Omit<AuditEntry, '_id' | 'at' | 'actor' | 'requestId'> & { _id?: string };

/**
 * Appends an entry for an accepted command. The command has already happened, so
 * a store fault is retried briefly and then logged (without the entry's content
 * beyond IDs), never turned into a failure of the request. (The window between
 * Temporal accepting a command and this write is the one place an entry can be
 * lost; stage changes are also derived durably from the timeline.)
 */
export async function audit(deps: Pick<ApiDeps, 'store' | 'logger'>, req: Request, user: Caller, entry: AuditInput): Promise<void> {
  const { _id, ...rest } = entry;
  const doc: AuditEntry = {
    _id: _id ?? `a-${randomUUID()}`,
    at: new Date(),
    actor: { userId: user.userId, role: user.role, name: user.name },
    ...(typeof req.id === 'string' ? { requestId: req.id } : {}),
    ...rest,
  };
  for (let attempt = 1; ; attempt++) {
    try {
      await deps.store.appendAudit(doc);
      return;
    } catch (err) {
      if (attempt >= 3) {
        deps.logger.error({ err, reqId: req.id, auditId: doc._id, action: doc.action }, 'audit entry not written');
        return;
      }
      await new Promise((r) => setTimeout(r, 100 * attempt));
    }
  }
}

function present(e: AuditEntry) {
  const { _id, at, departmentId: _d, ...rest } = e;
  return { id: _id, at: new Date(at).toISOString(), ...rest };
}

export function auditRouter({ store }: ApiDeps): Router {
  const r = Router();
  r.get('/audit-log', requireRole('admin'), async (req, res) => {
    const query = parseOrThrow(AuditQuery, req.query, pickLocale(req), 'query');
    const user = caller(req);
    const { cursor, limit: requested, ...filters } = query;
    const limit = requested ?? 50;
    const and: Record<string, unknown>[] = [{ departmentId: user.departmentId }];
    if (filters.taskId) and.push({ taskId: filters.taskId });
    if (filters.councilId) and.push({ councilId: filters.councilId });
    if (filters.actorId) and.push({ 'actor.userId': filters.actorId });
    if (filters.kind) and.push({ kind: filters.kind });
    if (filters.action) and.push({ action: filters.action });
    if (filters.since) and.push({ at: { $gte: new Date(filters.since) } });
    if (filters.until) and.push({ at: { $lt: new Date(filters.until) } });
    if (cursor) {
      const c = decodeCursor(cursor, 'at:desc', filters);
      and.push(afterCondition('at', 'desc', new Date(c.v), c.id));
    }
    const rows = await store.AuditLog.find({ $and: and }).sort({ at: -1, _id: -1 }).limit(limit + 1).lean<AuditEntry[]>();
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    res.json({
      items: page.map(present),
      nextCursor: rows.length > limit && last ? encodeCursor({ s: 'at:desc', f: filterHash(filters), v: new Date(last.at).toISOString(), id: last._id }) : null,
      limit,
    });
  });
  return r;
}
