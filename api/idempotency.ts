/**
 * Idempotency-Key on every POST (proposals, task and council commands, user
 * administration). Keyed by caller + method + route + key, with the request's
 * hash and, once known, its response:
 *
 * - the first request inserts a *pending* record (unique _id) before it runs, so a
 *   concurrent duplicate cannot run too: it waits for the first one's response;
 * - the same key and body again → the stored response, `Idempotent-Replayed: true`;
 * - the same key with a different body → 422;
 * - only a success (2xx) is kept as the key's answer; an error response never is
 *   (issue 17): a refusal (400–422) or a server error releases the key, so a retry runs
 *   again and gets what is true now. A vote that counted although its first answer was an
 *   error (a 500 while Temporal restarted) thus gets its receipt on retry, even after the
 *   sitting decided (api/vote-receipt.ts), instead of a stored "the council has decided".
 * A request in progress touches its pending record every few seconds; a pending record untouched
 * for IDEMPOTENCY_STALE_SECONDS (15 s: its API process died mid-request) is taken over by a retry,
 * which then runs (issue 17: it was blocked for 60 s). A key's answer is replayed for
 * IDEMPOTENCY_KEY_HOURS (24 h); after that the key is forgotten (a request with it runs again) and
 * the API's hourly sweep deletes it (FerretDB has no TTL index).
 */
import { createHash } from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { stateHash } from '../activities/documents/format';
import { isDuplicateKey, type IdempotencyRecord, type Store } from '../activities/store';
import { pickLocale } from './i18n';
import { parseOrThrow, Problem } from './problem';
import { IdempotencyKeyHeader } from './schemas';

const KEPT = (status: number) => status >= 200 && status < 300;
const REPLAYED_HEADERS = ['content-type', 'location', 'content-language'];

export interface IdempotencyOptions {
  /** How long a duplicate waits for the first request's response before a 409. */
  waitMs?: number;
  pollMs?: number;
  /** A pending record untouched this long is taken over (default 15 s). */
  staleMs?: number;
  /** A key's answer is replayed this long (default 24 h). */
  keptMs?: number;
}

/** The record of a caller's key on a route: one per caller, method, route and key. */
export const idempotencyRecordId = (userId: string, method: string, route: string, key: string) =>
  createHash('sha256').update([userId, method, route, key].join('\u0000')).digest('hex');

/** What tells a repeated request from a different one under the same key. */
export const requestHashOf = (body: unknown, query: unknown) => stateHash({ body: body ?? null, query: query ?? {} });

/** Keys whose answer is older than `hours`, and pending records that old, are deleted (the API's hourly sweep). */
export async function sweepIdempotencyKeys(store: Store, hours: number, now = new Date()): Promise<number> {
  const before = new Date(now.getTime() - hours * 3_600_000);
  const done = await store.Idempotency.deleteMany({ state: 'done', completedAt: { $lt: before } });
  const abandoned = await store.Idempotency.deleteMany({ state: 'pending', createdAt: { $lt: before } });
  return done.deletedCount + abandoned.deletedCount;
}

export const idempotencyMismatch = () =>
  new Problem(422, 'idempotency-key-reused', { vi: 'Idempotency-Key đã được dùng cho yêu cầu khác', en: 'Idempotency-Key already used for a different request' }, {
    vi: 'Khóa này đã gắn với một yêu cầu có nội dung khác; hãy dùng khóa mới.',
    en: 'This key belongs to a request with different content; use a new key.',
  }, { errors: [{ field: '(header) Idempotency-Key', code: 'reused', reason: 'different request body' }] });

const inProgress = () =>
  new Problem(409, 'idempotency-key-in-progress', { vi: 'Yêu cầu cùng khóa đang được xử lý', en: 'A request with this key is in progress' }, {
    vi: 'Một yêu cầu với cùng Idempotency-Key đang được xử lý; hãy thử lại sau giây lát.',
    en: 'A request with the same Idempotency-Key is still being processed; retry shortly.',
  });

function replay(res: Response, rec: IdempotencyRecord): void {
  res.status(rec.status ?? 200);
  for (const [k, v] of Object.entries(rec.headers ?? {})) res.set(k, v);
  res.set('Idempotent-Replayed', 'true');
  res.send(JSON.stringify(rec.body));
}

export function idempotency({ store, logger, config }: { store: Store; logger: Logger; config: { IDEMPOTENCY_KEY_HOURS: number; IDEMPOTENCY_STALE_SECONDS: number } }, opts: IdempotencyOptions = {}): RequestHandler {
  const waitMs = opts.waitMs ?? 15_000;
  const pollMs = opts.pollMs ?? 100;
  const staleMs = opts.staleMs ?? config.IDEMPOTENCY_STALE_SECONDS * 1000;
  const keptMs = opts.keptMs ?? config.IDEMPOTENCY_KEY_HOURS * 3_600_000;
  const heartbeatMs = Math.max(500, Math.floor(staleMs / 3));
  return async (req, res, next) => {
    const header = req.get('idempotency-key');
    if (req.method !== 'POST' || header === undefined || !req.user) return next();
    const key = parseOrThrow(IdempotencyKeyHeader, { 'Idempotency-Key': header }, pickLocale(req), 'header')['Idempotency-Key'];
    const route = req.originalUrl.split('?')[0]!;
    const _id = idempotencyRecordId(req.user.userId, req.method, route, key);
    const requestHash = requestHashOf(req.body, req.query);

    // Claim the key, or answer from the one who holds it.
    const deadline = Date.now() + waitMs;
    for (;;) {
      try {
        await store.Idempotency.create({ _id, state: 'pending', requestHash, createdAt: new Date() });
        break;
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
      }
      const rec = await store.Idempotency.findById(_id).lean<IdempotencyRecord>();
      if (!rec) continue; // released meanwhile: claim again
      if (rec.state === 'done' && Date.now() - new Date(rec.completedAt ?? rec.createdAt).getTime() > keptMs) {
        // Expired: the key is forgotten, whatever body it had.
        await store.Idempotency.deleteOne({ _id, state: 'done', completedAt: rec.completedAt });
        continue;
      }
      if (rec.requestHash !== requestHash) throw idempotencyMismatch();
      if (rec.state !== 'pending') return replay(res, rec);
      const lastSign = rec.touchedAt ?? rec.createdAt;
      if (Date.now() - new Date(lastSign).getTime() > staleMs) {
        // Its request died with its process: take the key over (one retry wins).
        const taken = await store.Idempotency.updateOne({ _id, state: 'pending', createdAt: rec.createdAt }, { $set: { createdAt: new Date(), touchedAt: new Date() } });
        if (taken.modifiedCount === 1) break;
        continue;
      }
      if (Date.now() > deadline) {
        res.set('Retry-After', '1');
        throw inProgress();
      }
      await new Promise((r) => setTimeout(r, pollMs));
    }

    // Run the request; keep its response (or release the key) before it is sent. While it runs, its
    // record shows it is alive.
    let settled = false;
    const heartbeat = setInterval(() => {
      store.Idempotency.updateOne({ _id, state: 'pending' }, { $set: { touchedAt: new Date() } }).catch((err) => logger.warn({ err, reqId: req.id }, 'idempotency heartbeat failed'));
    }, heartbeatMs);
    heartbeat.unref();
    const release = () => store.Idempotency.deleteOne({ _id, state: 'pending' }).catch((err) => logger.error({ err, reqId: req.id }, 'idempotency key not released'));
    const originalJson = res.json.bind(res);
    res.json = ((body: unknown) => {
      settled = true;
      const status = res.statusCode;
      const send = () => originalJson(body);
      if (!KEPT(status)) {
        void release().finally(send);
        return res;
      }
      const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
      for (const h of REPLAYED_HEADERS) {
        const v = res.getHeader(h);
        if (v !== undefined) headers[h] = String(v);
      }
      store.Idempotency.updateOne({ _id, state: 'pending' }, { $set: { state: 'done', status, body, headers, completedAt: new Date() } })
        .catch((err) => logger.error({ err, reqId: req.id }, 'idempotent response not stored'))
        .finally(send);
      return res;
    }) as Response['json'];
    // A response that never went through res.json (a dropped connection) frees the key.
    res.once('close', () => {
      clearInterval(heartbeat);
      if (!settled) void release();
    });
    next();
  };
}
