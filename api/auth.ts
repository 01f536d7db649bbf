/**
 * Authentication. Bearer tokens are JWTs: HS256 tokens this API issues at
 * POST /auth/login (and to development users), and, when AUTH_JWKS_URL is set,
 * tokens of an external OpenID Connect provider verified against its key set.
 * Browsers use a session cookie instead (sessions.ts); a request with an
 * Authorization header is judged by its bearer token alone (the header wins).
 *
 * The token only says who the caller is. Every request then reads the user from
 * the `users` collection: a deactivated or deleted user is refused at once, and the
 * role, organisation and Department come from the store, not from a claim that may
 * be hours old. (One _id lookup per request; short-lived tokens alone would leave
 * a deactivated user in for the token's remaining life.)
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import bcrypt from 'bcryptjs';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import type { Config } from '../activities/config';
import type { SessionDoc, Store, UserDoc } from '../activities/store';
import type { Actor } from '../workflows/definitions';
import { Problem } from './problem';
import { clearSessionCookies, sessionCookieOf, sessionSettingsOf, sessionUser } from './sessions';

export interface Caller extends Actor {
  departmentId: string;
}

declare module 'express-serve-static-core' {
  interface Request {
    user?: Caller;
    /** How the caller was identified: a bearer token or the session cookie (CSRF applies to the latter). */
    authVia?: 'bearer' | 'session';
    /** The session of a cookie-authenticated request. */
    authSession?: SessionDoc;
    /** Why no caller was identified (answered by requireAuth as a 401): no credentials, a bad token, a dead session. */
    authFailure?: 'missing' | 'invalid' | 'session';
  }
}

export interface AuthSettings {
  secret: string;
  issuer: string;
  audience: string;
  jwksUrl?: string;
  oidcIssuer?: string;
  oidcAudience?: string;
}

export const authSettingsOf = (c: Config): AuthSettings => ({
  secret: c.AUTH_JWT_SECRET,
  issuer: c.AUTH_JWT_ISSUER,
  audience: c.AUTH_JWT_AUDIENCE,
  ...(c.AUTH_JWKS_URL ? { jwksUrl: c.AUTH_JWKS_URL } : {}),
  ...(c.AUTH_OIDC_ISSUER ? { oidcIssuer: c.AUTH_OIDC_ISSUER } : {}),
  ...(c.AUTH_OIDC_AUDIENCE ? { oidcAudience: c.AUTH_OIDC_AUDIENCE } : {}),
});

const key = (s: AuthSettings) => new TextEncoder().encode(s.secret);

/** Verifies a token's signature, issuer, audience and expiry; returns its claims and who issued it. */
export function tokenVerifier(settings: AuthSettings): (token: string) => Promise<{ payload: JWTPayload; external: boolean }> {
  const jwks = settings.jwksUrl ? createRemoteJWKSet(new URL(settings.jwksUrl)) : undefined;
  return async (token) => {
    const alg = decodeProtectedHeader(token).alg;
    if (alg === 'HS256' || !jwks) {
      // A token without an expiry is never accepted (issue 15): every token we issue has one.
      const { payload } = await jwtVerify(token, key(settings), { issuer: settings.issuer, audience: settings.audience, algorithms: ['HS256'], requiredClaims: ['exp'] });
      return { payload, external: false };
    }
    // Asymmetric algorithms only: an HS256 token never reaches the key set (no algorithm confusion).
    const { payload } = await jwtVerify(token, jwks, {
      issuer: settings.oidcIssuer ?? settings.issuer,
      audience: settings.oidcAudience ?? settings.audience,
      algorithms: ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'],
      requiredClaims: ['exp'],
    });
    return { payload, external: true };
  };
}

export const callerOf = (u: Pick<UserDoc, '_id' | 'role' | 'name' | 'email' | 'orgId' | 'departmentId' | 'locale' | 'position' | 'areas'>): Caller => ({
  userId: u._id,
  role: u.role,
  name: u.name,
  email: u.email,
  orgId: u.orgId,
  departmentId: u.departmentId,
  locale: u.locale === 'en' ? 'en' : 'vi',
  // Issue 12: the position (and a Deputy's areas) come from the store, like the role.
  ...(u.role === 'manager' && u.position ? { position: u.position } : {}),
  ...(u.role === 'manager' && u.position === 'deputy_director' && u.areas?.length ? { areas: u.areas } : {}),
});

export const unauthenticated = (detail: { vi: string; en: string }) =>
  new Problem(401, 'unauthenticated', { vi: 'Chưa xác thực', en: 'Not authenticated' }, detail);

/**
 * Reads the bearer token or, without an Authorization header, the session cookie, and
 * sets `req.user` from the users collection. It never answers by itself: rate limiting
 * comes next (per user or per IP), then the CSRF check, then requireAuth refuses what
 * this left unauthenticated. A session cookie that no longer names a live session is
 * cleared in whatever response follows.
 */
export function identify(deps: { config: Config; store: Store }): RequestHandler {
  const verify = tokenVerifier(authSettingsOf(deps.config));
  const sessions = sessionSettingsOf(deps.config);
  return (req: Request, res: Response, next: NextFunction) => {
    const header = req.get('authorization');
    if (header === undefined) {
      const sessionId = sessionCookieOf(req);
      if (sessionId === undefined) {
        req.authFailure = 'missing';
        return next();
      }
      (sessionId === null ? Promise.resolve(undefined) : sessionUser(deps.store, sessions, sessionId)).then((found) => {
        if (found) {
          req.user = callerOf(found.user);
          req.authVia = 'session';
          req.authSession = found.session;
        } else {
          req.authFailure = 'session';
          clearSessionCookies(res, sessions);
        }
        next();
      }, next);
      return;
    }
    const m = /^Bearer\s+([A-Za-z0-9_.~+/=-]+)$/i.exec(header);
    if (!m) {
      req.authFailure = 'invalid';
      return next();
    }
    verify(m[1]!).then(
      async ({ payload, external }) => {
        // A token that verifies is looked up; if the store is down, the request fails as such (503),
        // never as an invalid token (issue 17).
        try {
          if (typeof payload.sub !== 'string' || !payload.sub) {
            req.authFailure = 'invalid';
            return next();
          }
          let user = await deps.store.User.findById(payload.sub).lean<UserDoc>();
          // An external provider's subject may not be our user ID: its verified email links the two.
          if (!user && external && typeof payload.email === 'string' && payload.email_verified !== false) {
            user = await deps.store.User.findOne({ email: payload.email.toLowerCase() }).lean<UserDoc>();
          }
          if (user && user.active) {
            req.user = callerOf(user);
            req.authVia = 'bearer';
          } else req.authFailure = 'invalid';
          next();
        } catch (err) {
          next(err);
        }
      },
      () => {
        req.authFailure = 'invalid';
        next();
      },
    );
  };
}

/** Refuses a request without an accepted token or session: 401 with WWW-Authenticate. */
export const requireAuth: RequestHandler = (req, res, next) => {
  if (req.user) return next();
  if (req.authFailure === 'invalid') {
    res.set('WWW-Authenticate', 'Bearer error="invalid_token"');
    return next(unauthenticated({ vi: 'Mã truy cập không hợp lệ, đã hết hạn hoặc tài khoản không còn hoạt động.', en: 'The bearer token is invalid or expired, or the account is no longer active.' }));
  }
  if (req.authFailure === 'session') {
    res.set('WWW-Authenticate', 'Bearer');
    return next(unauthenticated({
      vi: 'Phiên đăng nhập không còn hiệu lực (đã đăng xuất, hết hạn hoặc tài khoản không còn hoạt động); vui lòng đăng nhập lại.',
      en: 'The session is no longer valid (signed out, expired, or the account is no longer active); please sign in again.',
    }));
  }
  res.set('WWW-Authenticate', 'Bearer');
  next(unauthenticated({ vi: 'Chưa đăng nhập: thiếu mã truy cập (Authorization: Bearer) hoặc cookie phiên đăng nhập.', en: 'Not signed in: no bearer token (Authorization: Bearer) and no session cookie.' }));
};

export const forbiddenForRoles = (roles: readonly string[]) =>
  new Problem(403, 'forbidden', { vi: 'Không có quyền', en: 'Forbidden' }, {
    vi: `Thao tác này dành cho vai trò: ${roles.join(', ')}.`,
    en: `This operation is for roles: ${roles.join(', ')}.`,
  });

/** Only these roles may call the route; others get 403 (the route's existence is public). */
export function requireRole(...roles: Caller['role'][]): RequestHandler {
  return (req, _res, next) => {
    if (req.user && roles.includes(req.user.role)) return next();
    next(req.user ? forbiddenForRoles(roles) : unauthenticated({ vi: 'Chưa xác thực.', en: 'Not authenticated.' }));
  };
}

export function caller(req: Request): Caller {
  if (!req.user) throw unauthenticated({ vi: 'Chưa xác thực.', en: 'Not authenticated.' });
  return req.user;
}

/** Issues a token with the claims every token carries (sub, role, name, email, org, dept, locale). */
export async function issueToken(settings: AuthSettings, user: Caller, expiresIn = '12h'): Promise<string> {
  return new SignJWT({ role: user.role, name: user.name, email: user.email, org: user.orgId, dept: user.departmentId, locale: user.locale })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(user.userId)
    .setIssuer(settings.issuer)
    .setAudience(settings.audience)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(key(settings));
}

/**
 * bcrypt reads only the first 72 bytes of a password (issue 15: two passwords alike in their
 * first 72 bytes both signed in). A longer password is never set (refused with the reason) and
 * never matches at sign-in.
 */
export const BCRYPT_MAX_BYTES = 72;
export const passwordTooLong = (password: string): boolean => new TextEncoder().encode(password).length > BCRYPT_MAX_BYTES;
export const hashPassword = (password: string, cost: number): Promise<string> => bcrypt.hash(password, cost);
export const verifyPassword = async (password: string, hash: string): Promise<boolean> => !passwordTooLong(password) && (await bcrypt.compare(password, hash));

/** Seconds of a jose duration ('15m', '8h', '30d'). */
export function durationSeconds(d: string): number {
  const m = /^(\d+)(s|m|h|d)$/.exec(d);
  if (!m) throw new Error(`bad duration ${d}`);
  return Number(m[1]) * { s: 1, m: 60, h: 3600, d: 86_400 }[m[2] as 's' | 'm' | 'h' | 'd'];
}
