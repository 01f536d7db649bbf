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
 * A pending record older than STALE_MS (the process died mid-request) may be taken over.
 * Records are kept (FerretDB has no TTL index); an operator may prune old ones.
 */
import { createHash } from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { stateHash } from '../activities/documents/format';
import { isDuplicateKey, type IdempotencyRecord, type Store } from '../activities/store';
import { pickLocale } from './i18n';
import { parseOrThrow, Problem } from './problem';
import { IdempotencyKeyHeader } from './schemas';

const STALE_MS = 60_000;
const KEPT = (status: number) => status >= 200 && status < 300;
const REPLAYED_HEADERS = ['content-type', 'location', 'content-language'];

export interface IdempotencyOptions {
  /** How long a duplicate waits for the first request's response before a 409. */
  waitMs?: number;
  pollMs?: number;
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

export function idempotency({ store, logger }: { store: Store; logger: Logger }, opts: IdempotencyOptions = {}): RequestHandler {
  const waitMs = opts.waitMs ?? 15_000;
  const pollMs = opts.pollMs ?? 100;
  return async (req, res, next) => {
    const header = req.get('idempotency-key');
    if (req.method !== 'POST' || header === undefined || !req.user) return next();
    const key = parseOrThrow(IdempotencyKeyHeader, { 'Idempotency-Key': header }, pickLocale(req), 'header')['Idempotency-Key'];
    const route = req.originalUrl.split('?')[0]!;
    const _id = createHash('sha256').update([req.user.userId, req.method, route, key].join('\u0000')).digest('hex');
    const requestHash = stateHash({ body: req.body ?? null, query: req.query ?? {} });

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
      if (rec.requestHash !== requestHash) throw idempotencyMismatch();
      if (rec.state !== 'pending') return replay(res, rec);
      if (Date.now() - new Date(rec.createdAt).getTime() > STALE_MS) {
        const taken = await store.Idempotency.updateOne({ _id, state: 'pending', createdAt: rec.createdAt }, { $set: { createdAt: new Date() } });
        if (taken.modifiedCount === 1) break;
        continue;
      }
      if (Date.now() > deadline) {
        res.set('Retry-After', '1');
        throw inProgress();
      }
      await new Promise((r) => setTimeout(r, pollMs));
    }

    // Run the request; keep its response (or release the key) before it is sent.
    let settled = false;
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
      if (!settled) void release();
    });
    next();
  };
}
