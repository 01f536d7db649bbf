/**
 * Signing in and out: POST /auth/login (email + password → a bearer token, for API
 * clients), POST and DELETE /auth/session (the same credentials → a browser session in
 * a cookie; sign-out ends it), GET /auth/me and PATCH /auth/me (one's own language).
 * A wrong password, an unknown email, a deactivated account and an account
 * without a password (external sign-in only) all get the same 401, after the same
 * bcrypt work, so the answer does not tell which accounts exist.
 */
import { Router, type Request, type RequestHandler } from 'express';
import type { UserDoc } from '../../activities/store';
import { authSettingsOf, caller, callerOf, durationSeconds, hashPassword, issueToken, requireAuth, verifyPassword } from '../auth';
import type { ApiDeps } from '../deps';
import { pickLocale } from '../i18n';
import { notFound, parseOrThrow, Problem } from '../problem';
import { rejectOperatorKeys } from '../security';
import { LoginBody, MePatchBody } from '../schemas';
import { requireJsonBody } from '../body';
import { clearSessionCookies, endSession, sessionCookieOf, sessionSettingsOf, setSessionCookies, startSession } from '../sessions';
import { audit } from './audit';

export function userView(u: UserDoc) {
  return {
    userId: u._id,
    email: u.email,
    name: u.name,
    role: u.role,
    orgId: u.orgId,
    ...(u.orgName ? { orgName: u.orgName } : {}),
    ...(u.title ? { title: u.title } : {}),
    ...(u.workplace ? { workplace: u.workplace } : {}),
    departmentId: u.departmentId,
    locale: u.locale === 'en' ? ('en' as const) : ('vi' as const),
    ...(u.position ? { position: u.position } : {}),
    ...(u.areas?.length ? { areas: u.areas } : {}),
    active: u.active !== false,
    ...(u.createdAt ? { createdAt: new Date(u.createdAt).toISOString() } : {}),
    ...(u.updatedAt ? { updatedAt: new Date(u.updatedAt).toISOString() } : {}),
  };
}

const invalidCredentials = () =>
  new Problem(401, 'invalid-credentials', { vi: 'Sai thông tin đăng nhập', en: 'Invalid credentials' }, {
    vi: 'Email hoặc mật khẩu không đúng.',
    en: 'The email or password is wrong.',
  });

export function authRouter(deps: ApiDeps, loginLimiter: RequestHandler[]): Router {
  const { config, store } = deps;
  const r = Router();
  const settings = authSettingsOf(config);
  const sessions = sessionSettingsOf(config);
  // Compared against when there is no hash to compare with, so every failure costs the same.
  let dummyHash: Promise<string> | undefined;
  const dummy = () => (dummyHash ??= hashPassword('no-such-user-password', config.AUTH_BCRYPT_COST));

  /** The user these credentials belong to, or the one 401 for every kind of failure. */
  async function signIn(req: Request, event: string): Promise<UserDoc> {
    const { email, password } = parseOrThrow(LoginBody, requireJsonBody(req, false), pickLocale(req));
    const user = await store.User.findOne({ email: email.toLowerCase() }).lean<UserDoc>();
    const hash = user?.passwordHash ?? (await dummy());
    const matches = await verifyPassword(password, hash);
    if (!user || !user.passwordHash || !matches || user.active === false) {
      deps.logger.info({ reqId: req.id, event: `${event}.failed` }, 'sign-in refused');
      throw invalidCredentials();
    }
    deps.logger.info({ reqId: req.id, event, userId: user._id }, 'signed in');
    return user;
  }

  r.post('/auth/login', ...loginLimiter, rejectOperatorKeys, async (req, res) => {
    const user = await signIn(req, 'login');
    const accessToken = await issueToken(settings, callerOf(user), config.AUTH_TOKEN_TTL);
    res.set('Cache-Control', 'no-store').json({ accessToken, tokenType: 'Bearer', expiresIn: durationSeconds(config.AUTH_TOKEN_TTL), user: userView(user) });
  });

  // A browser session: always a new ID; the session the browser came with (if any) is ended.
  r.post('/auth/session', ...loginLimiter, rejectOperatorKeys, async (req, res) => {
    const user = await signIn(req, 'session.start');
    const s = await startSession(store, sessions, user._id, sessionCookieOf(req));
    setSessionCookies(res, sessions, s);
    res
      .status(201)
      .set('Cache-Control', 'no-store')
      .json({ user: userView(user), csrfToken: s.csrfToken, expiresAt: s.absoluteExpiresAt.toISOString(), idleTimeoutSeconds: Math.round(sessions.idleMs / 1000) });
  });

  // Sign-out: the session named by the cookie ends here and now (a live one only with its CSRF token,
  // checked before this handler); the cookies are cleared. Without a live session there is nothing to end: 204 all the same.
  r.delete('/auth/session', async (req, res) => {
    await endSession(store, sessionCookieOf(req));
    if (req.authVia === 'session') deps.logger.info({ reqId: req.id, event: 'session.end', userId: req.user?.userId }, 'signed out');
    clearSessionCookies(res, sessions);
    res.status(204).set('Cache-Control', 'no-store').end();
  });

  r.get('/auth/me', requireAuth, async (req, res) => {
    const user = await store.User.findById(caller(req).userId).lean<UserDoc>();
    if (!user) throw notFound();
    res.set('Cache-Control', 'no-store').json(userView(user));
  });

  // One's own language (pages and e-mails: the mail activity reads it from the user record).
  r.patch('/auth/me', requireAuth, rejectOperatorKeys, async (req, res) => {
    const me = caller(req);
    const { locale } = parseOrThrow(MePatchBody, requireJsonBody(req, false), pickLocale(req));
    await store.User.updateOne({ _id: me.userId }, { $set: { locale, updatedAt: new Date() } });
    const user = await store.User.findById(me.userId).lean<UserDoc>();
    if (!user) throw notFound();
    await audit(deps, req, me, { kind: 'user', action: 'setOwnLocale', departmentId: me.departmentId, subjectUserId: me.userId, to: locale });
    res.set('Cache-Control', 'no-store').json(userView(user));
  });

  return r;
}
