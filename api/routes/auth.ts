/**
 * POST /auth/login (email + password → a bearer token) and GET /auth/me.
 * A wrong password, an unknown email, a deactivated account and an account
 * without a password (external sign-in only) all get the same 401, after the same
 * bcrypt work, so the answer does not tell which accounts exist.
 */
import { Router, type RequestHandler } from 'express';
import type { UserDoc } from '../../activities/store';
import { authSettingsOf, caller, callerOf, durationSeconds, hashPassword, issueToken, requireAuth, verifyPassword } from '../auth';
import type { ApiDeps } from '../deps';
import { pickLocale } from '../i18n';
import { notFound, parseOrThrow, Problem } from '../problem';
import { rejectOperatorKeys } from '../security';
import { LoginBody } from '../schemas';
import { requireJsonBody } from '../body';

export function userView(u: UserDoc) {
  return {
    userId: u._id,
    email: u.email,
    name: u.name,
    role: u.role,
    orgId: u.orgId,
    ...(u.orgName ? { orgName: u.orgName } : {}),
    departmentId: u.departmentId,
    locale: u.locale === 'en' ? ('en' as const) : ('vi' as const),
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

export function authRouter(deps: ApiDeps, loginLimiter: RequestHandler): Router {
  const { config, store } = deps;
  const r = Router();
  const settings = authSettingsOf(config);
  // Compared against when there is no hash to compare with, so every failure costs the same.
  let dummyHash: Promise<string> | undefined;
  const dummy = () => (dummyHash ??= hashPassword('no-such-user-password', config.AUTH_BCRYPT_COST));

  r.post('/auth/login', loginLimiter, rejectOperatorKeys, async (req, res) => {
    const { email, password } = parseOrThrow(LoginBody, requireJsonBody(req, false), pickLocale(req));
    const user = await store.User.findOne({ email: email.toLowerCase() }).lean<UserDoc>();
    const hash = user?.passwordHash ?? (await dummy());
    const matches = await verifyPassword(password, hash);
    if (!user || !user.passwordHash || !matches || user.active === false) {
      deps.logger.info({ reqId: req.id, event: 'login.failed' }, 'login refused');
      throw invalidCredentials();
    }
    const accessToken = await issueToken(settings, callerOf(user), config.AUTH_TOKEN_TTL);
    deps.logger.info({ reqId: req.id, event: 'login', userId: user._id }, 'login');
    res.set('Cache-Control', 'no-store').json({ accessToken, tokenType: 'Bearer', expiresIn: durationSeconds(config.AUTH_TOKEN_TTL), user: userView(user) });
  });

  r.get('/auth/me', requireAuth, async (req, res) => {
    const user = await store.User.findById(caller(req).userId).lean<UserDoc>();
    if (!user) throw notFound();
    res.set('Cache-Control', 'no-store').json(userView(user));
  });

  return r;
}
