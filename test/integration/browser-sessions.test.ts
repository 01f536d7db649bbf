/**
 * CookieClient sessions on the real stack (issue 10, issue 15 "CookieClient sessions"): sign-in sets the
 * session and CSRF cookies with the right flags; the cookie works where a bearer token does;
 * cookie-authenticated writes need X-CSRF-Token (double submit) or are refused before anything
 * is recorded; sign-out ends the session server-side; a cookie sent at sign-in is never adopted
 * (fixation); idle and absolute lifetimes; a deactivated user is out at once; bearer clients
 * are unaffected.
 */
import { createHash } from 'node:crypto';
import { Writable } from 'node:stream';
import type { Caller } from '../../api/auth';
import { upsertUser } from '../../scripts/dev-users';
import { CookieClient } from '../support/cookie-client';
import { filedTask } from '../support/fixtures';
import { sampleProposal, startStack, type Stack } from '../support/stack';

const logLines: string[] = [];
const logStream = new Writable({
  write(chunk, _enc, cb) {
    logLines.push(...String(chunk).split('\n').filter(Boolean));
    cb();
  },
});
/** Every session ID and CSRF token this file was given: none may reach a log line. */
const issued = new Set<string>();

let stack: Stack;
beforeAll(async () => {
  // Many sign-ins from one address in this file; the limit itself is tested on an API of its own.
  stack = await startStack({ env: { RATE_LIMIT_LOGIN_MAX: '1000' }, logStream });
});
afterAll(async () => {
  await stack?.stop();
});

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const signedIn = async (who: Caller, baseUrl = stack.baseUrl) => {
  const b = new CookieClient(baseUrl);
  const res = await b.signIn(who.email, stack.password);
  expect(res.status).toBe(201);
  for (const c of b.lastSetCookies) if (c.value) issued.add(c.value);
  return b;
};
const problem = async (res: Response) => ({ status: res.status, ...((await res.json()) as { type: string; detail?: string; errors?: unknown[] }) });

describe('signing in', () => {
  test('sets khcn_session (HttpOnly, SameSite=Strict, Path=/) and khcn_csrf (readable), no Secure under http; the store keeps only hashes', async () => {
    const b = new CookieClient(stack.baseUrl);
    const res = await b.signIn(stack.users.researcher.email.toUpperCase(), stack.password);
    expect(res.status).toBe(201);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body: any = await res.json();
    expect(body).toMatchObject({ user: { userId: 'u-researcher-1', role: 'researcher', locale: 'vi' }, idleTimeoutSeconds: 3600 });
    expect(Date.parse(body.expiresAt) - Date.now()).toBeGreaterThan(12 * 3600_000 - 60_000);
    expect(Date.parse(body.expiresAt) - Date.now()).toBeLessThanOrEqual(12 * 3600_000);

    const session = b.lastSetCookies.find((c) => c.name === 'khcn_session')!;
    const csrf = b.lastSetCookies.find((c) => c.name === 'khcn_csrf')!;
    expect(session).toMatchObject({ path: '/', httpOnly: true, sameSite: 'strict', maxAge: 12 * 3600 });
    expect(session.secure).toBeUndefined();
    expect(session.value).toMatch(/^[A-Za-z0-9_-]{43}$/); // 32 random bytes
    expect(csrf).toMatchObject({ path: '/', sameSite: 'strict', maxAge: 12 * 3600 });
    expect(csrf.httpOnly).toBeUndefined();
    expect(csrf.secure).toBeUndefined();
    expect(csrf.value).toBe(body.csrfToken);
    expect(csrf.value).not.toBe(session.value);

    const stored = await stack.store.Session.find({ userId: 'u-researcher-1' }).lean();
    expect(stored.map((s) => s._id)).toContain(sha256(session.value!));
    expect(JSON.stringify(stored)).not.toContain(session.value);
    expect(JSON.stringify(stored)).not.toContain(csrf.value);
  });

  test('under an https PUBLIC_BASE_URL both cookies are Secure', async () => {
    const api = await stack.extraApi({ PUBLIC_BASE_URL: 'https://khcn.tayninh.example.vn' });
    try {
      const b = await signedIn(stack.users.manager, api.baseUrl);
      expect(b.lastSetCookies.map((c) => [c.name, c.secure, c.sameSite, c.path])).toEqual([
        ['khcn_session', true, 'strict', '/'],
        ['khcn_csrf', true, 'strict', '/'],
      ]);
      const out = await b.signOut();
      expect(out.status).toBe(204);
      expect(b.lastSetCookies.every((c) => c.secure === true && c.maxAge === 0)).toBe(true);
    } finally {
      await api.close();
    }
  });

  test('a wrong password and an unknown e-mail get the same 401, and no cookie', async () => {
    const b = new CookieClient(stack.baseUrl);
    const wrong = await b.signIn(stack.users.manager.email, 'mat-khau-sai-0000');
    expect(b.lastSetCookies).toEqual([]);
    const unknown = await b.signIn('khong-ton-tai@skhcn.example.vn', stack.password);
    expect(b.lastSetCookies).toEqual([]);
    const [x, y] = [await problem(wrong), await problem(unknown)];
    expect(x).toMatchObject({ status: 401, type: 'urn:khcn-flow:problem:invalid-credentials', detail: 'Email hoặc mật khẩu không đúng.' });
    expect({ ...x, instance: undefined, requestId: undefined }).toEqual({ ...y, instance: undefined, requestId: undefined });
    expect((await b.request('POST', '/api/v1/auth/session', { body: { email: '', password: '' } })).status).toBe(400);
  });

  test('a session cookie sent with the sign-in is ended, never adopted (fixation)', async () => {
    const first = await signedIn(stack.users.researcher);
    const old = first.session!;
    // Signing in again from the same browser (no CSRF token needed to sign in): a new ID; the old one is dead.
    expect((await first.request('POST', '/api/v1/auth/session', { csrf: false, body: { email: stack.users.researcher.email, password: stack.password } })).status).toBe(201);
    expect(first.session).toBeDefined();
    expect(first.session).not.toBe(old);
    const replay = new CookieClient(stack.baseUrl);
    replay.jar.set('khcn_session', old);
    expect((await replay.request('GET', '/api/v1/auth/me')).status).toBe(401);
    expect((await first.request('GET', '/api/v1/auth/me')).status).toBe(200);

    // An ID planted by someone else (never issued) is not taken up either.
    const planted = 'A'.repeat(43);
    const victim = new CookieClient(stack.baseUrl);
    victim.jar.set('khcn_session', planted);
    expect((await victim.signIn(stack.users.manager.email, stack.password)).status).toBe(201);
    expect(victim.session).not.toBe(planted);
    expect(await stack.store.Session.countDocuments({ _id: sha256(planted) })).toBe(0);
    const attacker = new CookieClient(stack.baseUrl);
    attacker.jar.set('khcn_session', planted);
    expect((await attacker.request('GET', '/api/v1/auth/me')).status).toBe(401);
  });

  test('shares the failed-sign-in limit with /auth/login', async () => {
    const api = await stack.extraApi({ RATE_LIMIT_LOGIN_MAX: 3, RATE_LIMIT_LOGIN_WINDOW_MS: 60_000 });
    try {
      const b = new CookieClient(api.baseUrl);
      const login = await fetch(`${api.baseUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: stack.users.manager.email, password: 'sai-mat-khau-000' }) });
      expect(login.status).toBe(401);
      // Successful sign-ins do not count; failed ones do, whichever way they came.
      expect((await b.signIn(stack.users.manager.email, stack.password)).status).toBe(201);
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await b.signIn(stack.users.manager.email, 'sai-mat-khau-001')).status);
      expect(statuses).toEqual([401, 401, 429]);
      const limited = await b.signIn(stack.users.manager.email, stack.password);
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toBeTruthy();
      expect((await problem(limited)).type).toBe('urn:khcn-flow:problem:rate-limited');
    } finally {
      await api.close();
    }
  });
});

describe('the cookie where a bearer token goes', () => {
  test('reads work with the cookie alone: me, my tasks, a task', async () => {
    const taskId = await filedTask(stack);
    const b = await signedIn(stack.users.researcher);
    const me = await b.request('GET', '/api/v1/auth/me');
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ userId: 'u-researcher-1', email: stack.users.researcher.email });
    const list: any = await (await b.request('GET', '/api/v1/tasks?limit=100')).json();
    expect(list.items.map((t: { taskId: string }) => t.taskId)).toContain(taskId);
    expect((await b.request('GET', `/api/v1/tasks/${taskId}`)).status).toBe(200);
    // Another organisation's researcher, by cookie as by token, does not see it.
    const other = await signedIn(stack.users.otherResearcher);
    expect((await other.request('GET', `/api/v1/tasks/${taskId}`)).status).toBe(404);
  });

  test('a write without X-CSRF-Token, or with a wrong one, is refused (403) and records nothing; with it, it is accepted', async () => {
    const taskId = await filedTask(stack);
    const manager = await signedIn(stack.users.manager);
    const path = `/api/v1/tasks/${taskId}/start-identification-review`;
    const audited = () => stack.store.AuditLog.countDocuments({ taskId, kind: 'command' });

    const none = await manager.request('POST', path, { csrf: false, headers: { 'accept-language': 'en' } });
    expect(await problem(none)).toMatchObject({
      status: 403,
      type: 'urn:khcn-flow:problem:csrf',
      title: 'Refused: missing or wrong CSRF token',
      in: 'header',
      errors: [{ field: '(header) X-CSRF-Token', code: 'missing' }],
    });
    const wrong = await manager.request('POST', path, { csrf: 'B'.repeat(43) });
    expect(await problem(wrong)).toMatchObject({ status: 403, type: 'urn:khcn-flow:problem:csrf', errors: [{ field: '(header) X-CSRF-Token', code: 'mismatch' }] });
    // Another session's token (header and cookie agree with each other, not with this session).
    const other = await signedIn(stack.users.manager);
    const crossed = new CookieClient(stack.baseUrl);
    crossed.jar.set('khcn_session', manager.session!);
    crossed.jar.set('khcn_csrf', other.jar.get('khcn_csrf')!);
    expect((await crossed.request('POST', path)).status).toBe(403);
    // The header alone, without the cookie it must equal.
    const headerOnly = new CookieClient(stack.baseUrl);
    headerOnly.jar.set('khcn_session', manager.session!);
    expect((await headerOnly.request('POST', path, { csrf: manager.jar.get('khcn_csrf')! })).status).toBe(403);

    expect((await stack.store.Task.findById(taskId).lean())!.stage).toBe('PROPOSED');
    expect(await audited()).toBe(0);

    const ok = await manager.request('POST', path, { body: { note: 'Hồ sơ đầy đủ' } });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as any).stage).toBe('IDENTIFICATION_REVIEW');
    expect(await audited()).toBe(1);
  });

  test('a researcher files a proposal by cookie (with its CSRF token, Idempotency-Key honoured)', async () => {
    const b = await signedIn(stack.users.researcher);
    const refused = await b.request('POST', '/api/v1/proposals', { csrf: false, body: sampleProposal({ title: 'Đề xuất qua trình duyệt không có mã CSRF' }) });
    expect(refused.status).toBe(403);
    expect(await stack.store.Task.countDocuments({ title: 'Đề xuất qua trình duyệt không có mã CSRF' })).toBe(0);
    const headers = { 'idempotency-key': `trinh-duyet-${Date.now()}` };
    const filed = await b.request('POST', '/api/v1/proposals', { headers, body: sampleProposal({ title: 'Đề xuất nộp qua trình duyệt' }) });
    expect(filed.status).toBe(201);
    const again = await b.request('POST', '/api/v1/proposals', { headers, body: sampleProposal({ title: 'Đề xuất nộp qua trình duyệt' }) });
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(((await again.json()) as any).taskId).toBe(((await filed.json()) as any).taskId);
  });

  test('PATCH /auth/me sets one\'s own language (CSRF-checked); the user record keeps it', async () => {
    const who: Caller = { userId: 'u-researcher-locale', role: 'researcher', name: 'Đỗ Thị Hằng', email: 'hang.dt@vien-sinh-hoc.example.vn', orgId: 'org-vien-sinh-hoc', departmentId: stack.config.DEPARTMENT_ID, locale: 'vi' };
    await upsertUser(stack.store, who, { password: stack.password, cost: 4 });
    const b = await signedIn(who);
    expect((await b.request('PATCH', '/api/v1/auth/me', { csrf: false, body: { locale: 'en' } })).status).toBe(403);
    expect((await stack.store.User.findById(who.userId).lean())!.locale).toBe('vi');
    const bad = await b.request('PATCH', '/api/v1/auth/me', { body: { locale: 'fr' }, headers: { 'accept-language': 'en' } });
    expect(await problem(bad)).toMatchObject({ status: 400, errors: [{ field: 'locale', code: 'invalid_value' }] });
    const extra = await b.request('PATCH', '/api/v1/auth/me', { body: { locale: 'en', role: 'admin' } });
    expect(await problem(extra)).toMatchObject({ status: 400, errors: [{ field: 'role', code: 'unrecognized_keys' }] });
    const ok = await b.request('PATCH', '/api/v1/auth/me', { body: { locale: 'en' } });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ userId: who.userId, locale: 'en', role: 'researcher' });
    expect((await stack.store.User.findById(who.userId).lean())!.locale).toBe('en');
    // By bearer token too (no CSRF there).
    const back = await stack.call('PATCH', '/api/v1/auth/me', { as: who, body: { locale: 'vi' } });
    expect(((await back.json()) as any).locale).toBe('vi');
    expect(await stack.store.AuditLog.countDocuments({ action: 'setOwnLocale', subjectUserId: who.userId })).toBe(2);
  });

  test('bearer clients are unaffected: no CSRF for them, and the Authorization header wins over a cookie', async () => {
    const taskId = await filedTask(stack);
    // A bearer write needs no CSRF token.
    expect((await stack.call('POST', `/api/v1/tasks/${taskId}/start-identification-review`, { as: 'manager' })).status).toBe(200);
    const researcher = await signedIn(stack.users.researcher);
    const token = await stack.token('manager');
    // Bearer (the manager) with the researcher's cookie: the manager, and a write without CSRF goes through.
    const me = await researcher.request('GET', '/api/v1/auth/me', { headers: { authorization: `Bearer ${token}` } });
    expect(((await me.json()) as any).userId).toBe('u-manager-1');
    const rejected = await researcher.request('POST', `/api/v1/tasks/${taskId}/reject-proposal`, { csrf: false, headers: { authorization: `Bearer ${token}` }, body: { reasons: ['Trùng lặp'] } });
    expect(rejected.status).toBe(200);
    // A bad bearer token with a live cookie: 401 (the header alone decides).
    expect((await researcher.request('GET', '/api/v1/auth/me', { headers: { authorization: 'Bearer not-a-token' } })).status).toBe(401);
    // And a dead cookie with a good token: the token.
    const dead = new CookieClient(stack.baseUrl);
    dead.jar.set('khcn_session', 'C'.repeat(43));
    expect((await dead.request('GET', '/api/v1/auth/me', { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
  });
});

describe('ending a session', () => {
  test('sign-out needs the CSRF token, ends the session server-side and clears both cookies; the same cookie then gets 401', async () => {
    const b = await signedIn(stack.users.researcher);
    const cookie = b.session!;
    const forged = await b.signOut({ csrf: false });
    expect(forged.status).toBe(403);
    expect((await b.request('GET', '/api/v1/auth/me')).status).toBe(200);

    const out = await b.signOut();
    expect(out.status).toBe(204);
    expect(b.lastSetCookies.map((c) => [c.name, c.value, c.maxAge, c.path, c.sameSite])).toEqual([
      ['khcn_session', '', 0, '/', 'strict'],
      ['khcn_csrf', '', 0, '/', 'strict'],
    ]);
    expect(b.jar.size).toBe(0);
    expect(await stack.store.Session.countDocuments({ _id: sha256(cookie) })).toBe(0);

    const replay = new CookieClient(stack.baseUrl);
    replay.jar.set('khcn_session', cookie);
    const after = await replay.request('GET', '/api/v1/auth/me', { headers: { 'accept-language': 'en' } });
    expect(await problem(after)).toMatchObject({ status: 401, type: 'urn:khcn-flow:problem:unauthenticated', detail: expect.stringContaining('please sign in again') });
    // The dead cookie is cleared in the answer.
    expect(replay.lastSetCookies.map((c) => [c.name, c.maxAge])).toEqual([['khcn_session', 0], ['khcn_csrf', 0]]);
    // Signing out again, or without any session, is harmless.
    expect((await new CookieClient(stack.baseUrl).signOut()).status).toBe(204);
  });

  test('idle lifetime: requests keep the session alive; SESSION_IDLE_MINUTES without one ends it', async () => {
    const api = await stack.extraApi({ SESSION_IDLE_MINUTES: 0.05 }); // 3 s
    try {
      const b = new CookieClient(api.baseUrl);
      const res = await b.signIn(stack.users.manager.email, stack.password);
      expect(((await res.json()) as any).idleTimeoutSeconds).toBe(3);
      for (let i = 0; i < 4; i++) {
        await sleep(1200);
        expect((await b.request('GET', '/api/v1/auth/me')).status).toBe(200); // 4.8 s in all: alive, each request moves the end
      }
      await sleep(3500);
      expect((await b.request('GET', '/api/v1/auth/me')).status).toBe(401);
    } finally {
      await api.close();
    }
  }, 30_000);

  test('absolute lifetime: SESSION_ABSOLUTE_HOURS after sign-in the session ends, however active', async () => {
    const api = await stack.extraApi({ SESSION_ABSOLUTE_HOURS: 0.001, SESSION_IDLE_MINUTES: 0.05 }); // 3.6 s; idle 3 s
    try {
      const b = new CookieClient(api.baseUrl);
      const started = Date.now();
      const body: any = await (await b.signIn(stack.users.manager.email, stack.password)).json();
      expect(Date.parse(body.expiresAt) - started).toBeLessThanOrEqual(3600 + 500);
      expect(b.lastSetCookies.find((c) => c.name === 'khcn_session')!.maxAge).toBe(3);
      const statuses: number[] = [];
      while (Date.now() - started < 5000) {
        statuses.push((await b.request('GET', '/api/v1/auth/me')).status);
        await sleep(700);
      }
      expect(statuses[0]).toBe(200);
      expect(statuses.at(-1)).toBe(401);
      // Once ended it stays ended (no 200 after the first 401).
      expect(statuses.slice(statuses.indexOf(401))).toEqual(statuses.slice(statuses.indexOf(401)).map(() => 401));
      // Expired sessions are swept at the next sign-in.
      await b.signIn(stack.users.manager.email, stack.password);
      expect(await stack.store.Session.countDocuments({ expiresAt: { $lte: new Date() } })).toBe(0);
    } finally {
      await api.close();
    }
  }, 30_000);

  test('a deactivated user\'s session stops working at once (and is deleted); login refused', async () => {
    const who: Caller = { userId: 'u-researcher-off', role: 'researcher', name: 'Phan Văn Khải', email: 'khai.pv@truong-dai-hoc.example.vn', orgId: 'org-truong-dai-hoc', departmentId: stack.config.DEPARTMENT_ID, locale: 'vi' };
    await upsertUser(stack.store, who, { password: stack.password, cost: 4 });
    const b = await signedIn(who);
    expect((await b.request('GET', '/api/v1/tasks')).status).toBe(200);
    // Deactivated behind the API's back: the next request is refused (the user is read every time).
    await stack.store.User.updateOne({ _id: who.userId }, { $set: { active: false } });
    expect((await b.request('GET', '/api/v1/tasks')).status).toBe(401);
    await stack.store.User.updateOne({ _id: who.userId }, { $set: { active: true } });
    const again = await signedIn(who);
    // Deactivated by the admin: every session of the user is deleted.
    const off = await stack.call('PATCH', `/api/v1/users/${who.userId}`, { as: 'admin', body: { active: false } });
    expect(off.status).toBe(200);
    expect(await stack.store.Session.countDocuments({ userId: who.userId })).toBe(0);
    expect((await again.request('GET', '/api/v1/auth/me')).status).toBe(401);
    expect((await new CookieClient(stack.baseUrl).signIn(who.email, stack.password)).status).toBe(401);
  });
});

test('no log line carries a session ID, a CSRF token or a cookie', () => {
  expect(issued.size).toBeGreaterThan(10);
  expect(logLines.length).toBeGreaterThan(50);
  const joined = logLines.join('\n');
  for (const secret of issued) expect(joined).not.toContain(secret);
  expect(joined).not.toMatch(/khcn_session=|khcn_csrf=/);
  // The sign-ins and sign-outs are there, by user.
  expect(joined).toContain('"event":"session.start"');
  expect(joined).toContain('"event":"session.end"');
});
