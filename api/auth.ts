/**
 * Bearer-token authentication (JWT via jose, HS256 with the configured secret;
 * ready to take an external OIDC provider's JWKS in its place). The claims
 * become the caller (`req.user`); every route then checks role and ownership.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';
import { ROLES, type Actor } from '../workflows/definitions';
import { Problem } from './problem';

export interface Caller extends Actor {
  departmentId: string;
}

declare module 'express-serve-static-core' {
  interface Request {
    user?: Caller;
  }
}

const Claims = z.object({
  sub: z.string().min(1),
  role: z.enum(ROLES),
  name: z.string().min(1),
  email: z.email(),
  org: z.string().min(1),
  dept: z.string().min(1),
  locale: z.enum(['vi', 'en']).default('vi'),
});

export interface AuthSettings {
  secret: string;
  issuer: string;
  audience: string;
}

const key = (s: AuthSettings) => new TextEncoder().encode(s.secret);

const unauthenticated = (detail: { vi: string; en: string }) =>
  new Problem(401, 'unauthenticated', { vi: 'Chưa xác thực', en: 'Not authenticated' }, detail);

export function authenticate(settings: AuthSettings): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const header = req.get('authorization') ?? '';
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m) {
      res.set('WWW-Authenticate', 'Bearer');
      return next(unauthenticated({ vi: 'Thiếu mã truy cập (Authorization: Bearer).', en: 'Missing bearer token (Authorization: Bearer).' }));
    }
    jwtVerify(m[1]!, key(settings), { issuer: settings.issuer, audience: settings.audience, algorithms: ['HS256'] })
      .then(({ payload }) => {
        const claims = Claims.safeParse(payload);
        if (!claims.success) throw new Error('bad claims');
        const c = claims.data;
        req.user = { userId: c.sub, role: c.role, name: c.name, email: c.email, orgId: c.org, departmentId: c.dept, locale: c.locale };
        next();
      })
      .catch(() => {
        res.set('WWW-Authenticate', 'Bearer error="invalid_token"');
        next(unauthenticated({ vi: 'Mã truy cập không hợp lệ hoặc đã hết hạn.', en: 'The bearer token is invalid or expired.' }));
      });
  };
}

/** Only these roles may call the route; others get 403 (the route's existence is public). */
export function requireRole(...roles: Caller['role'][]): RequestHandler {
  return (req, _res, next) => {
    if (req.user && roles.includes(req.user.role)) return next();
    next(
      new Problem(403, 'forbidden', { vi: 'Không có quyền', en: 'Forbidden' }, {
        vi: `Thao tác này dành cho vai trò: ${roles.join(', ')}.`,
        en: `This operation is for roles: ${roles.join(', ')}.`,
      }),
    );
  };
}

export function caller(req: Request): Caller {
  if (!req.user) throw unauthenticated({ vi: 'Chưa xác thực.', en: 'Not authenticated.' });
  return req.user;
}

/** Issues a token for a known user (development users, tests, and later the login endpoint). */
export async function issueToken(settings: AuthSettings, user: Caller, expiresIn = '12h'): Promise<string> {
  return new SignJWT({ role: user.role, name: user.name, email: user.email, org: user.orgId, dept: user.departmentId, locale: user.locale })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(user.userId)
    .setIssuer(settings.issuer)
    .setAudience(settings.audience)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(key(settings));
}
