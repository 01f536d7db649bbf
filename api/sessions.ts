/**
 * Browser sessions (issue 10): a random session ID in an HttpOnly, SameSite=Strict cookie
 * (`khcn_session`, Secure under https), a CSRF token in a cookie scripts can read
 * (`khcn_csrf`), and double-submit: every cookie-authenticated POST/PATCH/PUT/DELETE carries
 * `X-CSRF-Token` equal to that cookie and to the session's token, or it is refused (403) before
 * anything runs. Bearer tokens are untouched: a request with an Authorization header is never
 * authenticated by the cookie.
 *
 * Sessions are stored by the SHA-256 of their ID (a stolen copy of the store holds no usable
 * session), with an idle and an absolute end from configuration. FerretDB has no TTL index:
 * every request checks the end, and sign-in deletes the expired ones.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { parseCookie, stringifySetCookie } from 'cookie';
import type { Config } from '../activities/config';
import type { SessionDoc, Store, UserDoc } from '../activities/store';
import { Problem } from './problem';

export const SESSION_COOKIE = 'khcn_session';
export const CSRF_COOKIE = 'khcn_csrf';
export const CSRF_HEADER = 'X-CSRF-Token';

/** 32 random bytes, base64url: what both the session ID and the CSRF token look like. */
const SECRET = /^[A-Za-z0-9_-]{43}$/;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface SessionSettings {
  idleMs: number;
  absoluteMs: number;
  /** Secure cookies: when the public base URL is https. */
  secure: boolean;
}

export const sessionSettingsOf = (c: Config): SessionSettings => ({
  idleMs: Math.round(c.SESSION_IDLE_MINUTES * 60_000),
  absoluteMs: Math.round(c.SESSION_ABSOLUTE_HOURS * 3_600_000),
  secure: c.PUBLIC_BASE_URL.startsWith('https:'),
});

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const newSecret = () => randomBytes(32).toString('base64url');

function cookiesOf(req: Request): Record<string, string | undefined> {
  const header = req.headers.cookie;
  return header ? parseCookie(header) : {};
}

/** The session cookie as sent: undefined when absent, null when it cannot be a session ID. */
export function sessionCookieOf(req: Request): string | null | undefined {
  const value = cookiesOf(req)[SESSION_COOKIE];
  if (value === undefined) return undefined;
  return SECRET.test(value) ? value : null;
}

/**
 * The user of a live session, or nothing (unknown, signed out, expired, user deactivated or
 * deleted). A live session's idle end moves on; written at most every tenth of the idle time
 * (at most once a minute), not on every request.
 */
export async function sessionUser(store: Store, settings: SessionSettings, sessionId: string): Promise<{ user: UserDoc; session: SessionDoc } | undefined> {
  const now = new Date();
  const session = await store.Session.findById(sha256(sessionId)).lean<SessionDoc>();
  if (!session) return undefined;
  if (new Date(session.expiresAt) <= now || new Date(session.absoluteExpiresAt) <= now) {
    await store.Session.deleteOne({ _id: session._id });
    return undefined;
  }
  const user = await store.User.findById(session.userId).lean<UserDoc>();
  if (!user || user.active === false) return undefined;
  const throttle = Math.min(60_000, settings.idleMs / 10);
  if (now.getTime() - new Date(session.lastSeenAt).getTime() >= throttle) {
    const expiresAt = new Date(Math.min(now.getTime() + settings.idleMs, new Date(session.absoluteExpiresAt).getTime()));
    await store.Session.updateOne({ _id: session._id, expiresAt: { $gt: now } }, { $set: { lastSeenAt: now, expiresAt } });
  }
  return { user, session };
}

/**
 * Starts a session for the user: a new random ID every time (no fixation). The session the
 * request came with, if any, is ended, and every expired session is deleted on the way.
 */
export async function startSession(store: Store, settings: SessionSettings, userId: string, previous: string | null | undefined) {
  const now = new Date();
  if (previous) await store.Session.deleteOne({ _id: sha256(previous) });
  await store.Session.deleteMany({ expiresAt: { $lte: now } });
  const sessionId = newSecret();
  const csrfToken = newSecret();
  const absoluteExpiresAt = new Date(now.getTime() + settings.absoluteMs);
  const expiresAt = new Date(Math.min(now.getTime() + settings.idleMs, absoluteExpiresAt.getTime()));
  await store.Session.create({ _id: sha256(sessionId), userId, csrfHash: sha256(csrfToken), createdAt: now, lastSeenAt: now, absoluteExpiresAt, expiresAt });
  return { sessionId, csrfToken, absoluteExpiresAt };
}

/** Ends the session named by the cookie, if there is one. */
export async function endSession(store: Store, sessionId: string | null | undefined): Promise<void> {
  if (sessionId) await store.Session.deleteOne({ _id: sha256(sessionId) });
}

/** Ends every session of a user (deactivation, a password reset). */
export async function endSessionsOf(store: Store, userId: string): Promise<number> {
  return (await store.Session.deleteMany({ userId })).deletedCount;
}

const cookieOptions = (settings: SessionSettings) => ({ path: '/', sameSite: 'strict' as const, secure: settings.secure });

/** khcn_session (HttpOnly) and khcn_csrf (readable by the page's scripts), both until the absolute end. */
export function setSessionCookies(res: Response, settings: SessionSettings, s: { sessionId: string; csrfToken: string }): void {
  const maxAge = Math.max(1, Math.floor(settings.absoluteMs / 1000));
  res.append('Set-Cookie', stringifySetCookie(SESSION_COOKIE, s.sessionId, { ...cookieOptions(settings), httpOnly: true, maxAge }));
  res.append('Set-Cookie', stringifySetCookie(CSRF_COOKIE, s.csrfToken, { ...cookieOptions(settings), maxAge }));
}

/** Tells the browser to drop both cookies (same attributes, expired). */
export function clearSessionCookies(res: Response, settings: SessionSettings): void {
  const gone = { ...cookieOptions(settings), maxAge: 0, expires: new Date(0) };
  res.append('Set-Cookie', stringifySetCookie(SESSION_COOKIE, '', { ...gone, httpOnly: true }));
  res.append('Set-Cookie', stringifySetCookie(CSRF_COOKIE, '', gone));
}

const csrfRefused = (code: 'missing' | 'mismatch') =>
  new Problem(403, 'csrf', { vi: 'Yêu cầu bị từ chối: thiếu hoặc sai mã chống giả mạo (CSRF)', en: 'Refused: missing or wrong CSRF token' }, {
    vi: `Yêu cầu xác thực bằng cookie phiên phải gửi tiêu đề ${CSRF_HEADER} có giá trị đúng bằng cookie ${CSRF_COOKIE} của phiên đăng nhập.`,
    en: `A request authenticated by the session cookie must send the ${CSRF_HEADER} header, equal to the session's ${CSRF_COOKIE} cookie.`,
  }, {
    in: 'header',
    errors: [{ field: `(header) ${CSRF_HEADER}`, code, reason: code === 'missing' ? `missing; send the value of the ${CSRF_COOKIE} cookie` : `does not match the ${CSRF_COOKIE} cookie of this session` }],
  });

function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Double-submit CSRF check for cookie-authenticated unsafe methods. Signing in (which ends any
 * session the request came with rather than acting on it) is exempt; bearer requests never
 * reach it (a browser cannot add an Authorization header to a cross-site request).
 */
export const csrfGuard: RequestHandler = (req, _res, next) => {
  if (req.authVia !== 'session' || SAFE_METHODS.has(req.method)) return next();
  if (req.method === 'POST' && (req.path === '/auth/session' || req.path === '/auth/login')) return next();
  const header = req.get(CSRF_HEADER);
  if (!header) return next(csrfRefused('missing'));
  const cookie = cookiesOf(req)[CSRF_COOKIE];
  const ok = cookie !== undefined && header === cookie && SECRET.test(header) && req.authSession !== undefined && sameHash(sha256(header), req.authSession.csrfHash);
  next(ok ? undefined : csrfRefused('mismatch'));
};
