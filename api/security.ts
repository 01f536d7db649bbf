/**
 * Request hardening: rate limits (per user when authenticated, per IP otherwise;
 * stricter on login), CORS for the configured origins only, and refusal of keys
 * that MongoDB would read as operators or paths.
 */
import type { Request, RequestHandler } from 'express';
import cors from 'cors';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import type { Config } from '../activities/config';
import { Problem, type FieldError } from './problem';

function tooManyRequests(retryAfter: string | undefined) {
  const s = retryAfter ?? '60';
  return new Problem(429, 'rate-limited', { vi: 'Quá nhiều yêu cầu', en: 'Too many requests' }, {
    vi: `Đã vượt giới hạn số yêu cầu; vui lòng thử lại sau ${s} giây.`,
    en: `Request limit exceeded; try again in ${s} seconds.`,
  }, { retryAfterSeconds: Number(s) });
}

const ipKey = (req: Request) => `ip:${ipKeyGenerator(req.ip ?? 'unknown')}`;
/** The address and the account tried (the body's e-mail, lower-cased; none when the body has no e-mail). */
const loginKey = (req: Request) => {
  const email = (req.body as { email?: unknown } | undefined)?.email;
  return `${ipKey(req)}:${typeof email === 'string' ? email.trim().toLowerCase().slice(0, 320) : ''}`;
};

function limiter(windowMs: number, limit: number, keyGenerator: (req: Request) => string, o: { failuresOnly?: boolean } = {}): RequestHandler {
  return rateLimit({
    windowMs,
    limit,
    // Failures only: a request answered below 400 gives its count back.
    ...(o.failuresOnly ? { skipSuccessfulRequests: true } : {}),
    // RateLimit and RateLimit-Policy headers (IETF draft 8) and Retry-After on a 429.
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator,
    handler: (_req, res, next) => next(tooManyRequests(res.getHeader('Retry-After')?.toString())),
  });
}

/**
 * The general limit counts every /api/v1 request: per user once the token is
 * accepted (`identify` ran before), per IP address otherwise, so that guessing
 * tokens is limited too. The login limit (password sign-in, for a token or a
 * browser session) is per IP address and much lower (password guessing); the
 * public operations have their own per IP address. Each keeps their counters in this process: several API
 * processes behind a load balancer multiply the limits (a shared store would fix that).
 */
export function rateLimiters(config: Config) {
  return {
    general: limiter(config.RATE_LIMIT_WINDOW_MS, config.RATE_LIMIT_MAX, (req) => (req.user ? `user:${req.user.userId}` : ipKey(req))),
    /**
     * Password sign-in (for a token or a browser session) counts failed attempts only (issue 15:
     * nine members and an officer behind one office address were locked out by their own
     * successful sign-ins): per IP address and e-mail at RATE_LIMIT_LOGIN_MAX (guessing one
     * account's password), and per IP address alone at the higher RATE_LIMIT_LOGIN_IP_MAX
     * (trying many accounts from one place).
     */
    // The account's limit first: attempts it refuses never reach (and never count against) the address.
    login: [
      limiter(config.RATE_LIMIT_LOGIN_WINDOW_MS, config.RATE_LIMIT_LOGIN_MAX, loginKey, { failuresOnly: true }),
      limiter(config.RATE_LIMIT_LOGIN_WINDOW_MS, config.RATE_LIMIT_LOGIN_IP_MAX, ipKey, { failuresOnly: true }),
    ] as RequestHandler[],
    /** The public operations (open calls): per IP address, signed in or not. */
    public: limiter(config.RATE_LIMIT_PUBLIC_WINDOW_MS, config.RATE_LIMIT_PUBLIC_MAX, ipKey),
    /** The public status lookup (issue 11): a strict limit of its own per IP address, against guessing codes and e-mails. */
    status: limiter(config.RATE_LIMIT_STATUS_WINDOW_MS, config.RATE_LIMIT_STATUS_MAX, ipKey),
  };
}

/**
 * CORS: only the origins in CORS_ORIGINS get Access-Control-Allow-Origin; with
 * none configured (the default) no cross-origin browser call is allowed. Bearer
 * tokens, not cookies: no credentials mode (the session cookie is SameSite=Strict,
 * for the Department's own pages served by this API).
 */
export function corsPolicy(config: Config): RequestHandler {
  const allowed = new Set(config.CORS_ORIGINS);
  return cors({
    origin: (origin, cb) => cb(null, origin !== undefined && allowed.has(origin)),
    methods: ['GET', 'POST', 'PATCH', 'DELETE'],
    allowedHeaders: ['Authorization', 'Content-Type', 'Accept-Language', 'Idempotency-Key', 'X-Request-Id', 'X-CSRF-Token'],
    exposedHeaders: ['Location', 'Retry-After', 'X-Request-Id', 'Idempotent-Replayed', 'Content-Language', 'RateLimit', 'RateLimit-Policy', 'X-State-Hash', 'Content-Disposition'],
    maxAge: 600,
  });
}

/** A key MongoDB would take as an operator ($gt, $where…) or as a path into a document (a.b). */
const forbiddenKey = (k: string) => k.startsWith('$') || k.includes('.') || k.includes('\u0000');

/** How deep a body may nest, and how many keys and items it may hold in all (issue 15: a 5,000-deep body stalled the API). */
export const MAX_BODY_DEPTH = 32;
export const MAX_BODY_NODES = 20_000;

interface Frame {
  value: unknown;
  depth: number;
  parent: Frame | null;
  key: string;
}

/** The field path of a frame, built only for the message (never while walking). */
function pathOf(f: Frame, last?: string): string {
  const parts: string[] = last === undefined ? [] : [last];
  for (let x: Frame | null = f; x && x.parent; x = x.parent) parts.unshift(x.key);
  return parts.join('.');
}

/**
 * Walks a parsed body without recursion (a stack of frames that point at their parent):
 * the forbidden keys it holds, or why it is refused outright (too deep, too many nodes).
 */
export function inspectBody(body: unknown): { forbidden: string[]; tooDeep?: string; tooMany?: true } {
  const forbidden: string[] = [];
  const stack: Frame[] = [{ value: body, depth: 0, parent: null, key: '' }];
  let nodes = 0;
  while (stack.length) {
    const f = stack.pop()!;
    const v = f.value;
    if (v === null || typeof v !== 'object') continue;
    if (f.depth >= MAX_BODY_DEPTH) return { forbidden, tooDeep: pathOf(f) || '(root)' };
    const entries: [string, unknown][] = Array.isArray(v) ? v.map((x, i) => [String(i), x]) : Object.entries(v);
    nodes += entries.length;
    if (nodes > MAX_BODY_NODES) return { forbidden, tooMany: true };
    for (const [k, child] of entries) {
      if (!Array.isArray(v) && forbiddenKey(k) && forbidden.length < 20) forbidden.push(pathOf(f, k.includes('.') ? `[${JSON.stringify(k)}]` : k));
      if (child !== null && typeof child === 'object') stack.push({ value: child, depth: f.depth + 1, parent: f, key: k });
    }
  }
  return { forbidden };
}

/**
 * Bodies and query strings may not carry $-keys or dotted keys at any depth:
 * refused with 400 naming each field, before any handler sees them. (The strict
 * zod schemas would refuse most of them too; this makes it hold for every
 * route, free-form records included, and keeps such keys out of the store.)
 */
export const rejectOperatorKeys: RequestHandler = (req, _res, next) => {
  const inQuery: string[] = [];
  for (const k of Object.keys(req.query ?? {})) if (forbiddenKey(k) || k.includes('$')) inQuery.push(k);
  const body = inspectBody(req.body);
  if (body.tooDeep !== undefined || body.tooMany) {
    const field = body.tooDeep ?? '(body)';
    return next(
      new Problem(400, 'body-too-complex', { vi: 'Nội dung quá phức tạp', en: 'Body too complex' }, body.tooMany
        ? { vi: `Nội dung có quá ${MAX_BODY_NODES} trường và phần tử.`, en: `The body holds more than ${MAX_BODY_NODES} fields and items.` }
        : { vi: `Nội dung lồng nhau quá ${MAX_BODY_DEPTH} cấp.`, en: `The body nests more than ${MAX_BODY_DEPTH} levels deep.` },
      { in: 'body', errors: [{ field, code: body.tooMany ? 'too_many_nodes' : 'too_deep', reason: body.tooMany ? `more than ${MAX_BODY_NODES} fields and items` : `nested more than ${MAX_BODY_DEPTH} levels` }] }),
    );
  }
  const where = inQuery.length ? 'query' : 'body';
  const fields = inQuery.length ? inQuery : body.forbidden;
  if (!fields.length) return next();
  const errors: FieldError[] = fields.map((field) => ({ field, code: 'forbidden_key', reason: 'keys starting with $ or containing . are not accepted' }));
  next(
    new Problem(400, 'forbidden-key', { vi: 'Tên trường không được phép', en: 'Field name not allowed' }, {
      vi: `Tên trường không được bắt đầu bằng $ hoặc chứa dấu chấm: ${fields.join(', ')}.`,
      en: `Field names may not start with $ or contain a dot: ${fields.join(', ')}.`,
    }, { in: where, errors }),
  );
};
