/**
 * Authentication and hardening on the real stack: login against the users
 * collection (bcrypt), deactivated and deleted users, rate limits (429 and
 * recovery), CORS, $-key and dotted-key refusal, Idempotency-Key on a command
 * (replay, mismatch, concurrent duplicates run once), the audit log (entries after
 * commands, pagination, nothing can change them), the 500 path, and log lines
 * without secrets.
 */
import { createServer } from 'node:http';
import { Writable } from 'node:stream';
import { decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair, SignJWT } from 'jose';
import type { Caller } from '../../api/auth';
import { upsertUser } from '../../scripts/dev-users';
import { filedTask, orderListedTask } from '../support/fixtures';
import { waitUntil } from '../support/services';
import { startStack, type Stack } from '../support/stack';
import { idempotencyRecordId, requestHashOf, sweepIdempotencyKeys } from '../../api/idempotency';

const logLines: string[] = [];
const logStream = new Writable({
  write(chunk, _enc, cb) {
    logLines.push(...String(chunk).split('\n').filter(Boolean));
    cb();
  },
});

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ logStream });
});
afterAll(async () => {
  await stack?.stop();
});

const login = (email: string, password: string, baseUrl = stack.baseUrl, headers: Record<string, string> = {}) =>
  fetch(`${baseUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ email, password }) });
const withToken = (token: string, path: string, init: RequestInit = {}, baseUrl = stack.baseUrl) =>
  fetch(`${baseUrl}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, ...(init.headers ?? {}) } });
const comparable = (p: any) => ({ type: p.type, title: p.title, status: p.status, detail: p.detail });

describe('authentication', () => {
  test('login gives a token with the usual claims; it works until the user is deactivated', async () => {
    const res = await login(stack.users.researcher.email.toUpperCase(), stack.password);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body: any = await res.json();
    expect(body).toMatchObject({ tokenType: 'Bearer', expiresIn: 8 * 3600, user: { userId: 'u-researcher-1', role: 'researcher', orgId: 'org-vien-sinh-hoc', active: true } });
    expect(body.user).not.toHaveProperty('passwordHash');
    expect(decodeProtectedHeader(body.accessToken).alg).toBe('HS256');
    expect(decodeJwt(body.accessToken)).toMatchObject({
      sub: 'u-researcher-1', role: 'researcher', name: 'Nguyễn Thị Hương', email: 'huong.nt@vien-sinh-hoc.example.vn',
      org: 'org-vien-sinh-hoc', dept: stack.config.DEPARTMENT_ID, locale: 'vi', iss: stack.config.AUTH_JWT_ISSUER, aud: stack.config.AUTH_JWT_AUDIENCE,
    });
    const me = await withToken(body.accessToken, '/api/v1/auth/me');
    expect(me.status).toBe(200);
    expect(((await me.json()) as any).email).toBe('huong.nt@vien-sinh-hoc.example.vn');

    // Stored: a bcrypt hash (cost 4 in tests; production refuses < 10), never the password.
    const stored = await stack.store.User.findById('u-researcher-1').lean();
    expect(stored?.passwordHash).toMatch(/^\$2[aby]\$04\$/);
    expect(JSON.stringify(stored)).not.toContain(stack.password);
    // Seeding again (every `npm start`) keeps the user and the hash as they are.
    await upsertUser(stack.store, stack.users.researcher, { password: stack.password, cost: 4 });
    expect((await stack.store.User.findById('u-researcher-1').lean())?.passwordHash).toBe(stored?.passwordHash);
    expect(await stack.store.User.countDocuments({ email: stack.users.researcher.email })).toBe(1);
  });

  test('a wrong password and an unknown email get the same 401', async () => {
    const wrong = await login(stack.users.manager.email, 'mat-khau-sai-0000');
    const unknown = await login('khong-ton-tai@skhcn.example.vn', stack.password);
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    const [a, b] = [await wrong.json(), await unknown.json()];
    expect(comparable(a)).toEqual(comparable(b));
    expect(comparable(a)).toMatchObject({ type: 'urn:khcn-flow:problem:invalid-credentials', detail: 'Email hoặc mật khẩu không đúng.' });
    expect((await login('', '')).status).toBe(400);
  });

  test('a deactivated user: the token they hold is refused at once, login too; reactivated, both work again', async () => {
    const user: Caller = { userId: 'u-researcher-deact', role: 'researcher', name: 'Hoàng Thị Mai', email: 'mai.ht@vien-sinh-hoc.example.vn', orgId: 'org-vien-sinh-hoc', departmentId: stack.config.DEPARTMENT_ID, locale: 'vi' };
    const admin = await stack.token('admin');
    const created = await withToken(admin, '/api/v1/users', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId: user.userId, email: user.email, name: user.name, role: 'researcher', orgId: user.orgId, password: 'mat-khau-cua-mai-2026' }) });
    expect(created.status).toBe(201);
    const token = ((await (await login(user.email, 'mat-khau-cua-mai-2026')).json()) as any).accessToken as string;
    expect((await withToken(token, '/api/v1/tasks')).status).toBe(200);

    const off = await withToken(admin, `/api/v1/users/${user.userId}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ active: false }) });
    expect(off.status).toBe(200);
    const refused = await withToken(token, '/api/v1/tasks');
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toContain('invalid_token');
    expect(comparable(await (await login(user.email, 'mat-khau-cua-mai-2026')).json())).toEqual(comparable(await (await login(user.email, 'sai-mat-khau-123')).json()));

    await withToken(admin, `/api/v1/users/${user.userId}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ active: true }) });
    expect((await withToken(token, '/api/v1/tasks')).status).toBe(200);
    // An admin may not lock themselves out.
    expect((await withToken(admin, '/api/v1/users/u-admin-1', { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ active: false }) })).status).toBe(422);
    // A deleted user's token is refused too.
    await stack.store.User.deleteOne({ _id: user.userId });
    expect((await withToken(token, '/api/v1/auth/me')).status).toBe(401);
  });

  test('a token signed with another key, or with alg none, is refused', async () => {
    const forged = (await stack.token('manager')).split('.');
    const tampered = `${forged[0]}.${Buffer.from(JSON.stringify({ ...decodeJwt(forged.join('.')), role: 'admin' })).toString('base64url')}.${forged[2]}`;
    expect((await withToken(tampered, '/api/v1/auth/me')).status).toBe(401);
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"sub":"u-admin-1"}').toString('base64url')}.`;
    expect((await withToken(none, '/api/v1/auth/me')).status).toBe(401);
  });
});

describe('an external OpenID Connect provider (AUTH_JWKS_URL)', () => {
  test('its tokens are verified against its key set and mapped to our users; our own tokens still work', async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    const jwks = createServer((_req, res) => res.setHeader('content-type', 'application/json').end(JSON.stringify({ keys: [jwk] })));
    await new Promise<void>((r) => jwks.listen(0, '127.0.0.1', () => r()));
    const issuer = 'https://dinh-danh.tayninh.example.vn';
    const api = await stack.extraApi({ AUTH_JWKS_URL: `http://127.0.0.1:${(jwks.address() as { port: number }).port}/jwks.json`, AUTH_OIDC_ISSUER: issuer, AUTH_OIDC_AUDIENCE: 'khcn-flow' });
    const idToken = (sub: string, claims: Record<string, unknown>, iss = issuer) =>
      new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setSubject(sub).setIssuer(iss).setAudience('khcn-flow').setIssuedAt().setExpirationTime('5m').sign(privateKey);
    try {
      const bySub = await withToken(await idToken('u-researcher-1', {}), '/api/v1/auth/me', {}, api.baseUrl);
      expect(bySub.status).toBe(200);
      expect(((await bySub.json()) as any).userId).toBe('u-researcher-1');
      // The provider's own subject, linked by a verified email; the role is ours, not the provider's.
      const byEmail = await withToken(await idToken('cccd-079123456789', { email: stack.users.manager.email, email_verified: true, role: 'admin' }), '/api/v1/auth/me', {}, api.baseUrl);
      expect(await byEmail.json()).toMatchObject({ userId: 'u-manager-1', role: 'manager' });
      expect((await withToken(await idToken('cccd-079123456789', { email: stack.users.manager.email, email_verified: false }), '/api/v1/auth/me', {}, api.baseUrl)).status).toBe(401);
      expect((await withToken(await idToken('u-researcher-1', {}, 'https://gia-mao.example.com'), '/api/v1/auth/me', {}, api.baseUrl)).status).toBe(401);
      expect((await withToken(await stack.token('admin'), '/api/v1/auth/me', {}, api.baseUrl)).status).toBe(200);
      // Without a configured key set, such a token means nothing.
      expect((await withToken(await idToken('u-researcher-1', {}), '/api/v1/auth/me')).status).toBe(401);
    } finally {
      await api.close();
      await new Promise((r) => jwks.close(r));
    }
  });
});

describe('rate limits', () => {
  test('per user when authenticated, per IP otherwise: 429 as problem+json with Retry-After, then recovery', async () => {
    const api = await stack.extraApi({ RATE_LIMIT_MAX: 4, RATE_LIMIT_WINDOW_MS: 2000 });
    try {
      const manager = await stack.token('manager');
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) statuses.push((await withToken(manager, '/api/v1/tasks', {}, api.baseUrl)).status);
      expect(statuses).toEqual([200, 200, 200, 200, 429]);
      const limited = await withToken(manager, '/api/v1/tasks', { headers: { 'accept-language': 'en' } }, api.baseUrl);
      expect(limited.status).toBe(429);
      expect(limited.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(await limited.json()).toMatchObject({ type: 'urn:khcn-flow:problem:rate-limited', status: 429, title: 'Too many requests' });
      // Another user has their own allowance.
      expect((await withToken(await stack.token('researcher'), '/api/v1/tasks', {}, api.baseUrl)).status).toBe(200);
      await new Promise((r) => setTimeout(r, 2100));
      expect((await withToken(manager, '/api/v1/tasks', {}, api.baseUrl)).status).toBe(200);
    } finally {
      await api.close();
    }
  });

  test('sign-in counts failures only, per address and e-mail, with a higher ceiling per address (issue 15)', async () => {
    const api = await stack.extraApi({ RATE_LIMIT_LOGIN_MAX: 3, RATE_LIMIT_LOGIN_IP_MAX: 5, RATE_LIMIT_LOGIN_WINDOW_MS: 3000 });
    try {
      // A council and its officer behind one office address: successful sign-ins never count.
      const ok: number[] = [];
      for (let i = 0; i < 12; i++) ok.push((await login(stack.users.manager.email, stack.password, api.baseUrl)).status);
      expect(ok).toEqual(Array(12).fill(200));
      // Guessing one account's password: three failures, then that account is refused from this address, the right password too.
      const guessed: number[] = [];
      for (let i = 0; i < 4; i++) guessed.push((await login(stack.users.manager.email, 'doan-sai-mat-khau', api.baseUrl)).status);
      expect(guessed).toEqual([401, 401, 401, 429]);
      const limited = await login(stack.users.manager.email, stack.password, api.baseUrl);
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toBeTruthy();
      // Another account from the same address still signs in, until the address's own ceiling of failures.
      expect((await login(stack.users.researcher.email, stack.password, api.baseUrl)).status).toBe(200);
      // Failures from this address: 3 (manager) + 1 + 1 = 5, its ceiling; then every account is refused from here.
      expect((await login(stack.users.researcher.email, 'doan-sai-mat-khau', api.baseUrl)).status).toBe(401);
      expect((await login(stack.users.admin.email, 'doan-sai-mat-khau', api.baseUrl)).status).toBe(401);
      expect((await login(stack.users.admin.email, stack.password, api.baseUrl)).status).toBe(429);
      // The window passes: signing in works again.
      await new Promise((r) => setTimeout(r, 3100));
      expect((await login(stack.users.manager.email, stack.password, api.baseUrl)).status).toBe(200);
    } finally {
      await api.close();
    }
  });
});

describe('behind a reverse proxy (TRUST_PROXY, issue 17)', () => {
  test('sign-in failures count per client address the trusted proxy forwards; untrusted, X-Forwarded-For is ignored', async () => {
    const guess = async (baseUrl: string, from: string) => (await login(stack.users.manager.email, 'doan-sai-mat-khau', baseUrl, { 'x-forwarded-for': from })).status;
    const behind = await stack.extraApi({ TRUST_PROXY: 'loopback', RATE_LIMIT_LOGIN_MAX: 2, RATE_LIMIT_LOGIN_IP_MAX: 100, RATE_LIMIT_LOGIN_WINDOW_MS: 60_000 });
    try {
      // Two offices behind one proxy: each has its own allowance of failures for the account.
      expect([await guess(behind.baseUrl, '203.0.113.7'), await guess(behind.baseUrl, '203.0.113.7'), await guess(behind.baseUrl, '203.0.113.7')]).toEqual([401, 401, 429]);
      expect(await guess(behind.baseUrl, '198.51.100.20')).toBe(401);
    } finally {
      await behind.close();
    }
    const direct = await stack.extraApi({ RATE_LIMIT_LOGIN_MAX: 2, RATE_LIMIT_LOGIN_IP_MAX: 100, RATE_LIMIT_LOGIN_WINDOW_MS: 60_000 });
    try {
      // Without TRUST_PROXY a client cannot escape its limit by claiming another address.
      expect([await guess(direct.baseUrl, '203.0.113.8'), await guess(direct.baseUrl, '203.0.113.9'), await guess(direct.baseUrl, '203.0.113.10')]).toEqual([401, 401, 429]);
    } finally {
      await direct.close();
    }
  });
});

describe('CORS', () => {
  test('only configured origins get Access-Control-Allow-Origin; none by default', async () => {
    const portal = 'https://portal.skhcn.example.vn';
    const api = await stack.extraApi({ CORS_ORIGINS: [portal] });
    try {
      const preflight = await fetch(`${api.baseUrl}/api/v1/tasks/NV-0000000000/start-identification-review`, {
        method: 'OPTIONS',
        headers: { origin: portal, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type,idempotency-key' },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get('access-control-allow-origin')).toBe(portal);
      expect(preflight.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('idempotency-key');
      expect(preflight.headers.get('access-control-allow-credentials')).toBeNull();
      const allowed = await withToken(await stack.token('manager'), '/api/v1/tasks', { headers: { origin: portal } }, api.baseUrl);
      expect(allowed.headers.get('access-control-allow-origin')).toBe(portal);
      expect(allowed.headers.get('access-control-expose-headers')).toContain('Idempotent-Replayed');
      const denied = await withToken(await stack.token('manager'), '/api/v1/tasks', { headers: { origin: 'https://evil.example.com' } }, api.baseUrl);
      expect(denied.headers.get('access-control-allow-origin')).toBeNull();
      const deniedPreflight = await fetch(`${api.baseUrl}/api/v1/tasks`, { method: 'OPTIONS', headers: { origin: 'https://evil.example.com', 'access-control-request-method': 'GET' } });
      expect(deniedPreflight.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await api.close();
    }
    const byDefault = await stack.call('GET', '/api/v1/tasks', { as: 'manager', headers: { origin: portal } });
    expect(byDefault.headers.get('access-control-allow-origin')).toBeNull();
  });
});

test('OPTIONS names the methods the path has: a literal path is not taken for a parameter (/users/imports is not /users/{userId})', async () => {
  const imports = await stack.call('OPTIONS', '/api/v1/users/imports', { as: 'admin' });
  expect(imports.status).toBe(204);
  expect(imports.headers.get('allow')).toBe('POST');
  const user = await stack.call('OPTIONS', '/api/v1/users/u-someone', { as: 'admin' });
  expect(user.headers.get('allow')).toBe('PATCH');
  const users = await stack.call('OPTIONS', '/api/v1/users', { as: 'admin' });
  expect(users.headers.get('allow')?.split(', ').sort()).toEqual(['GET', 'HEAD', 'POST']);
});

describe('low findings of the probe (issue 15)', () => {
  test('a token without an expiry is refused', async () => {
    const { TEST_SECRET } = await import('../support/stack');
    const noExp = await new SignJWT({ role: 'manager' })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(stack.users.manager.userId)
      .setIssuer(stack.config.AUTH_JWT_ISSUER)
      .setAudience(stack.config.AUTH_JWT_AUDIENCE)
      .setIssuedAt()
      .sign(new TextEncoder().encode(TEST_SECRET));
    const res = await withToken(noExp, '/api/v1/tasks');
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('invalid_token');
  });

  test('a corrupt gzip body and a path that does not decode are 400, not 500', async () => {
    const gz = await fetch(`${stack.baseUrl}/api/v1/proposals`, { method: 'POST', headers: { authorization: `Bearer ${await stack.token('researcher')}`, 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: 'definitely not gzip' });
    expect(gz.status).toBe(400);
    expect(gz.headers.get('content-type')).toMatch(/problem\+json/);
    const badPath = await withToken(await stack.token('manager'), '/api/v1/tasks/%E0%A4%A');
    expect(badPath.status).toBe(400);
    expect(((await badPath.json()) as any).type).toBe('urn:khcn-flow:problem:bad-request');
  });

  test('what a signed-in user reads is never cached', async () => {
    const res = await withToken(await stack.token('manager'), '/api/v1/tasks');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  test('a bad Idempotency-Key is reported as that header', async () => {
    const res = await stack.call('POST', '/api/v1/proposals', { as: 'researcher', body: {}, headers: { 'idempotency-key': 'x' } });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ in: 'header', errors: [expect.objectContaining({ field: 'Idempotency-Key' })] });
  });

  test("a password longer than bcrypt's 72 bytes is refused when set and never signs in", async () => {
    const long = 'Mật khẩu rất dài của hội đồng tư vấn khoa học công nghệ tỉnh Tây Ninh 2026!';
    expect(new TextEncoder().encode(long).length).toBeGreaterThan(72);
    const set = await stack.call('PATCH', `/api/v1/users/${stack.users.councilMember.userId}`, { as: 'admin', body: { password: long } });
    expect(set.status).toBe(422);
    expect(await set.json()).toMatchObject({ type: 'urn:khcn-flow:problem:password-too-long', errors: [{ field: 'password' }] });
    // A 72-byte password set, then the same with more after it: only the exact one signs in.
    const exact = 'a'.repeat(72);
    expect((await stack.call('PATCH', `/api/v1/users/${stack.users.councilMember.userId}`, { as: 'admin', body: { password: exact } })).status).toBe(200);
    expect((await login(stack.users.councilMember.email, exact)).status).toBe(200);
    expect((await login(stack.users.councilMember.email, `${exact}b`)).status).toBe(401);
    await stack.call('PATCH', `/api/v1/users/${stack.users.councilMember.userId}`, { as: 'admin', body: { password: stack.password } });
  });
});

describe('Departments are apart (issue 15)', () => {
  test("a researcher of another Department with the same organisation code sees nothing of this Department's task and cannot act on it", async () => {
    const taskId = await filedTask(stack);
    const intruder: Caller = { userId: 'u-other-dept-researcher', role: 'researcher', name: 'Phan Văn Khải', email: 'khai.pv@vien-sinh-hoc.example.vn', orgId: stack.users.researcher.orgId, departmentId: 'skhcn-another-province', locale: 'vi' };
    const task = await stack.store.Task.findById(taskId).lean();
    const documentId = task!.documents[0]!.documentId;
    expect((await stack.call('GET', `/api/v1/tasks/${taskId}`, { as: intruder })).status).toBe(404);
    expect((await stack.call('GET', `/api/v1/tasks/${taskId}/documents/${documentId}`, { as: intruder })).status).toBe(404);
    expect((await stack.call('POST', `/api/v1/tasks/${taskId}/withdraw`, { as: intruder, body: { reason: 'Rút hồ sơ' } })).status).toBe(404);
    const list: any = await (await stack.call('GET', '/api/v1/tasks', { as: intruder })).json();
    expect(list.items.map((t: { taskId: string }) => t.taskId)).not.toContain(taskId);
    // The Department's own researcher of that organisation still sees it; nothing moved.
    expect((await stack.call('GET', `/api/v1/tasks/${taskId}`, { as: 'researcher' })).status).toBe(200);
    expect((await stack.store.Task.findById(taskId).lean())?.stage).toBe('PROPOSED');
  });
});

describe('deeply nested and oversized bodies (issue 15)', () => {
  const nest = (depth: number): unknown => {
    let v: unknown = 'x';
    for (let i = 0; i < depth; i++) v = { a: v };
    return v;
  };

  test('a body nested past the limit is a 400 naming where it got too deep, before any handler runs', async () => {
    const taskId = await filedTask(stack);
    const deep = await stack.call('POST', `/api/v1/tasks/${taskId}/reject-proposal`, { as: 'manager', body: { reasons: ['x'], note: nest(40) }, headers: { 'accept-language': 'en' } });
    expect(deep.status).toBe(400);
    const body = (await deep.json()) as any;
    expect(body).toMatchObject({ type: 'urn:khcn-flow:problem:body-too-complex', in: 'body', errors: [{ code: 'too_deep' }] });
    expect(body.errors[0].field).toBe(['note', ...Array(31).fill('a')].join('.'));
    // Within the limit, the body goes on to the command's own validation.
    const shallow = await stack.call('POST', `/api/v1/tasks/${taskId}/reject-proposal`, { as: 'manager', body: { reasons: ['x'], note: nest(20) } });
    expect(((await shallow.json()) as any).type).toBe('urn:khcn-flow:problem:validation-error');
    expect((await stack.store.Task.findById(taskId).lean())?.stage).toBe('PROPOSED');
  });

  test('bodies nested thousands deep, ten at once, get 400s (never a 500) and the API stays up', async () => {
    // 4,000 and 5,000 deep: the recursion that answered 500 (stack overflow) and stalled /health.
    const raw = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) => stack.call('POST', '/api/v1/proposals', { as: 'researcher', rawBody: raw(i % 2 ? 5_000 : 4_000), headers: { 'content-type': 'application/json' } })),
    );
    expect(answers.map((r) => r.status)).toEqual(Array(10).fill(400));
    expect(((await answers[1]!.json()) as any).type).toBe('urn:khcn-flow:problem:body-too-complex');
    expect((await fetch(`${stack.baseUrl}/health`)).status).toBeLessThan(500);
  });

  test('a body with too many fields and items is refused as a whole', async () => {
    const wide = await stack.call('POST', '/api/v1/proposals', { as: 'researcher', rawBody: JSON.stringify({ expectedProducts: Array.from({ length: 21_000 }, () => 1) }), headers: { 'content-type': 'application/json' } });
    expect(wide.status).toBe(400);
    expect(await wide.json()).toMatchObject({ type: 'urn:khcn-flow:problem:body-too-complex', errors: [{ field: '(body)', code: 'too_many_nodes' }] });
  });
});

describe('MongoDB operator injection', () => {
  test('$-keys and dotted keys in bodies and query strings are refused with 400 naming the field', async () => {
    const taskId = await filedTask(stack);
    const nested = await stack.call('POST', `/api/v1/tasks/${taskId}/reject-proposal`, { as: 'manager', body: { reasons: ['x'], note: { $where: 'sleep(1000)' } } });
    expect(nested.status).toBe(400);
    expect(await nested.json()).toMatchObject({ type: 'urn:khcn-flow:problem:forbidden-key', in: 'body', errors: [{ field: 'note.$where', code: 'forbidden_key' }] });
    const dotted = await stack.call('POST', `/api/v1/tasks/${taskId}/reject-proposal`, { as: 'manager', body: { reasons: ['x'], figures: { 'figures.average': 80 } } });
    expect(((await dotted.json()) as any).errors).toEqual([expect.objectContaining({ field: 'figures.["figures.average"]', code: 'forbidden_key' })]);
    const inArray = await stack.call('POST', `/api/v1/tasks/${taskId}/reject-proposal`, { as: 'manager', body: { reasons: [{ $gt: '' }] } });
    expect(((await inArray.json()) as any).errors[0].field).toBe('reasons.0.$gt');
    const query = await stack.call('GET', '/api/v1/tasks?stage[$ne]=ARCHIVED', { as: 'manager', headers: { 'accept-language': 'en' } });
    expect(query.status).toBe(400);
    expect(await query.json()).toMatchObject({ type: 'urn:khcn-flow:problem:forbidden-key', in: 'query', errors: [{ field: 'stage[$ne]' }] });
    expect(((await (await stack.call('GET', '/api/v1/tasks?host.orgId=x', { as: 'manager' })).json()) as any).errors[0].field).toBe('host.orgId');
    // Login is public: the same refusal there.
    const loginInjection = await fetch(`${stack.baseUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: { $ne: null }, password: { $ne: null } }) });
    expect(loginInjection.status).toBe(400);
    // Nothing moved.
    expect((await stack.store.Task.findById(taskId).lean())?.stage).toBe('PROPOSED');
  });
});

describe('Idempotency-Key on a command', () => {
  const auditCommands = (taskId: string, action: string) => stack.store.AuditLog.countDocuments({ taskId, kind: 'command', action });

  test('the same key and body: the first response again, marked; another body: 422; per route', async () => {
    const taskId = await filedTask(stack);
    const headers = { 'idempotency-key': `mo-xac-dinh-${taskId}` };
    const first = await stack.call('POST', `/api/v1/tasks/${taskId}/start-identification-review`, { as: 'manager', body: { note: 'Chuyển hội đồng' }, headers });
    expect(first.status).toBe(200);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const a = await first.json();
    const again = await stack.call('POST', `/api/v1/tasks/${taskId}/start-identification-review`, { as: 'manager', body: { note: 'Chuyển hội đồng' }, headers });
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await again.json()).toEqual(a);
    const other = await stack.call('POST', `/api/v1/tasks/${taskId}/start-identification-review`, { as: 'manager', body: { note: 'Nội dung khác' }, headers });
    expect(other.status).toBe(422);
    expect(((await other.json()) as any).type).toBe('urn:khcn-flow:problem:idempotency-key-reused');
    // The key belongs to the route: the same key on another command runs that command.
    const reject = await stack.call('POST', `/api/v1/tasks/${taskId}/reject-proposal`, { as: 'manager', body: { reasons: ['Không cấp thiết'] }, headers });
    expect(reject.status).toBe(200);
    expect(reject.headers.get('idempotent-replayed')).toBeNull();
    const task = (await stack.store.Task.findById(taskId).lean())!;
    expect(task.timeline.filter((e) => e.action === 'startIdentificationReview')).toHaveLength(1);
    expect(await auditCommands(taskId, 'startIdentificationReview')).toBe(1);
  });

  test('concurrent duplicates run once; without a key the second is refused by the rule instead', async () => {
    const taskId = await filedTask(stack);
    const headers = { 'idempotency-key': `dong-thoi-${taskId}` };
    const burst = await Promise.all(
      [1, 2, 3, 4, 5].map(() => stack.call('POST', `/api/v1/tasks/${taskId}/start-identification-review`, { as: 'manager', headers })),
    );
    expect(burst.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(burst.filter((r) => r.headers.get('idempotent-replayed') === 'true')).toHaveLength(4);
    const bodies = await Promise.all(burst.map((r) => r.json()));
    expect(new Set(bodies.map((b) => JSON.stringify(b))).size).toBe(1);
    await waitUntil('read model', async () => (await stack.store.Task.findById(taskId).lean())?.stage === 'IDENTIFICATION_REVIEW');
    expect((await stack.store.Task.findById(taskId).lean())!.timeline.filter((e) => e.action === 'startIdentificationReview')).toHaveLength(1);
    expect(await auditCommands(taskId, 'startIdentificationReview')).toBe(1);

    const plain = await filedTask(stack);
    const unkeyed = await Promise.all([1, 2].map(() => stack.call('POST', `/api/v1/tasks/${plain}/start-identification-review`, { as: 'manager' })));
    expect(unkeyed.map((r) => r.status).sort()).toEqual([200, 409]);
  });

  test('a key left in progress by an API process that died is taken over by the retry within seconds', async () => {
    const taskId = await filedTask(stack);
    const key = `api-chet-${taskId}`;
    const route = `/api/v1/tasks/${taskId}/start-identification-review`;
    const body = { note: 'Chuyển hội đồng' };
    // What a crash mid-request leaves: the key claimed, no answer, its last sign of life 20 s ago.
    const twentySecondsAgo = new Date(Date.now() - 20_000);
    await stack.store.Idempotency.create({
      _id: idempotencyRecordId(stack.users.manager.userId, 'POST', route, key),
      state: 'pending',
      requestHash: requestHashOf(body, {}),
      createdAt: twentySecondsAgo,
      touchedAt: twentySecondsAgo,
    });
    const retry = await stack.call('POST', route, { as: 'manager', body, headers: { 'idempotency-key': key } });
    expect(retry.status).toBe(200);
    expect(retry.headers.get('idempotent-replayed')).toBeNull();
    expect(((await retry.json()) as any).stage).toBe('IDENTIFICATION_REVIEW');
    const again = await stack.call('POST', route, { as: 'manager', body, headers: { 'idempotency-key': key } });
    expect(again.headers.get('idempotent-replayed')).toBe('true');
  });

  test('a key is forgotten after IDEMPOTENCY_KEY_HOURS and swept', async () => {
    const taskId = await filedTask(stack);
    const key = `het-han-${taskId}`;
    const route = `/api/v1/tasks/${taskId}/start-identification-review`;
    expect((await stack.call('POST', route, { as: 'manager', body: { note: 'Lần đầu' }, headers: { 'idempotency-key': key } })).status).toBe(200);
    const _id = idempotencyRecordId(stack.users.manager.userId, 'POST', route, key);
    // A day and an hour later, the same key with another body is no longer "reused": it runs, and the rule answers.
    await stack.store.Idempotency.updateOne({ _id }, { $set: { completedAt: new Date(Date.now() - 25 * 3_600_000) } });
    const later = await stack.call('POST', route, { as: 'manager', body: { note: 'Một ngày sau' }, headers: { 'idempotency-key': key } });
    expect(later.status).toBe(409);
    expect(((await later.json()) as any).type).not.toBe('urn:khcn-flow:problem:idempotency-key-reused');
    // The sweep deletes answers older than the limit and keeps the others.
    const fresh = `moi-${taskId}`;
    const reject = await stack.call('POST', `/api/v1/tasks/${taskId}/reject-proposal`, { as: 'manager', body: { reasons: ['Trùng lặp'] }, headers: { 'idempotency-key': fresh } });
    expect(reject.status).toBe(200);
    const freshId = idempotencyRecordId(stack.users.manager.userId, 'POST', `/api/v1/tasks/${taskId}/reject-proposal`, fresh);
    await stack.store.Idempotency.create({ _id: `${_id}-old`, state: 'done', requestHash: 'x', status: 200, body: {}, createdAt: new Date(0), completedAt: new Date(Date.now() - 25 * 3_600_000) });
    expect(await sweepIdempotencyKeys(stack.store, 24)).toBeGreaterThanOrEqual(1);
    expect(await stack.store.Idempotency.findById(`${_id}-old`).lean()).toBeNull();
    expect(await stack.store.Idempotency.findById(freshId).lean()).not.toBeNull();
  });

  test('a refusal that is not an outcome (400) releases the key for a corrected request', async () => {
    const taskId = await filedTask(stack);
    const headers = { 'idempotency-key': `sua-loi-${taskId}` };
    expect((await stack.call('POST', `/api/v1/tasks/${taskId}/reject-proposal`, { as: 'manager', body: { reasons: [] }, headers })).status).toBe(400);
    expect((await stack.call('POST', `/api/v1/tasks/${taskId}/reject-proposal`, { as: 'manager', body: { reasons: ['Trùng lặp'] }, headers })).status).toBe(200);
  });
});

describe('audit log', () => {
  test('commands leave entries (who, what, when, from → to); pages are stable; nothing can change them', async () => {
    const taskId = await filedTask(stack);
    await orderListedTask(stack, taskId);
    await waitUntil('transitions audited', async () => (await stack.store.AuditLog.countDocuments({ taskId, kind: 'transition' })) === 4);
    const admin = await stack.token('admin');
    const page: any = await (await withToken(admin, `/api/v1/audit-log?taskId=${taskId}&limit=100`)).json();
    const byKind = (k: string) => page.items.filter((e: { kind: string }) => e.kind === k).reverse();
    // Timeline entries (L-1 by the proposer; L-2, the council's formation and L-3 by the manager).
    expect(byKind('transition').map((e: any) => [e.action, e.from ?? null, e.to, e.rule, e.actor.userId])).toEqual([
      ['fileProposal', null, 'PROPOSED', 'L-1', 'u-researcher-1'],
      ['startIdentificationReview', 'PROPOSED', 'IDENTIFICATION_REVIEW', 'L-2', 'u-manager-1'],
      // The identification council formed (its outcome comes from its ballots, issue 13).
      ['formCouncil', 'IDENTIFICATION_REVIEW', 'IDENTIFICATION_REVIEW', 'C-1', 'u-manager-1'],
      ['approveOrderList', 'IDENTIFICATION_REVIEW', 'ORDER_LISTED', 'L-3', 'u-manager-1'],
    ]);
    // Every accepted command, including one that moved nothing (forming the council).
    expect(byKind('command').map((e: any) => [e.action, e.from, e.to])).toEqual([
      ['startIdentificationReview', 'PROPOSED', 'IDENTIFICATION_REVIEW'],
      ['formCouncil', 'IDENTIFICATION_REVIEW', 'IDENTIFICATION_REVIEW'],
      ['approveOrderList', 'IDENTIFICATION_REVIEW', 'ORDER_LISTED'],
    ]);
    const times = page.items.map((e: { at: string }) => e.at);
    expect([...times].sort().reverse()).toEqual(times);

    // Cursor pagination: two at a time, every entry once, in the same order.
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: any = await (await withToken(admin, `/api/v1/audit-log?taskId=${taskId}&limit=2${cursor ? `&cursor=${cursor}` : ''}`)).json();
      seen.push(...res.items.map((e: { id: string }) => e.id));
      cursor = res.nextCursor;
    } while (cursor);
    expect(seen).toEqual(page.items.map((e: { id: string }) => e.id));
    // A cursor belongs to its query.
    const first: any = await (await withToken(admin, `/api/v1/audit-log?taskId=${taskId}&limit=2`)).json();
    expect((await withToken(admin, `/api/v1/audit-log?kind=command&limit=2&cursor=${first.nextCursor}`)).status).toBe(400);

    // No endpoint edits or deletes an entry.
    const id = page.items[0].id;
    for (const [method, path] of [['DELETE', '/api/v1/audit-log'], ['DELETE', `/api/v1/audit-log/${id}`], ['PATCH', `/api/v1/audit-log/${id}`], ['PUT', `/api/v1/audit-log/${id}`], ['POST', '/api/v1/audit-log']] as const) {
      const res = await withToken(admin, path, { method, headers: { 'content-type': 'application/json' }, body: '{}' });
      expect([404, 405]).toContain(res.status);
    }
    // And the store refuses it too.
    await expect(stack.store.AuditLog.deleteMany({ taskId })).rejects.toThrow(/append-only/);
    await expect(stack.store.AuditLog.updateOne({ _id: id }, { $set: { action: 'nothing' } })).rejects.toThrow(/append-only/);
    await expect(stack.store.AuditLog.replaceOne({ _id: id }, { action: 'x' })).rejects.toThrow(/append-only/);
    const after: any = await (await withToken(admin, `/api/v1/audit-log?taskId=${taskId}&limit=100`)).json();
    expect(after.items).toEqual(page.items);
    // Only admins read it, and only their Department's.
    expect((await stack.call('GET', '/api/v1/audit-log', { as: 'manager' })).status).toBe(403);
  });
});

describe('errors', () => {
  test('an unexpected failure is a bare 500 problem: no message, no stack trace', async () => {
    const taskId = await filedTask(stack);
    const spy = jest.spyOn(stack.store.Task, 'findById').mockImplementationOnce(() => {
      throw new Error('boom at /srv/khcn/api/secret-path.ts:42 mongodb://admin:hunter2@db');
    });
    try {
      const res = await stack.call('GET', `/api/v1/tasks/${taskId}`, { as: 'manager', headers: { 'accept-language': 'en' } });
      expect(res.status).toBe(500);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      const text = await res.text();
      expect(JSON.parse(text)).toMatchObject({ type: 'urn:khcn-flow:problem:internal-error', title: 'Internal error', status: 500 });
      expect(text).not.toMatch(/boom|secret-path|\.ts:\d+|hunter2|at .*\(/);
    } finally {
      spy.mockRestore();
    }
    // A method the path does not have: 405 with Allow.
    const put = await stack.call('PUT', `/api/v1/tasks/${taskId}`, { as: 'manager', body: {} });
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('GET, HEAD');
  });

  test('no log line carries a token, a password or its hash', async () => {
    // Put each secret through the API at least once in this file's stack.
    await login(stack.users.admin.email, stack.password);
    await login(stack.users.admin.email, 'mot-mat-khau-sai-ro-rang');
    const tokens = await Promise.all((['researcher', 'manager', 'admin'] as const).map((w) => stack.token(w)));
    for (const t of tokens) await withToken(t, '/api/v1/auth/me');
    expect(logLines.length).toBeGreaterThan(20);
    const joined = logLines.join('\n');
    expect(joined).toContain('unhandled error'); // the 500 above was logged (with its request ID)…
    for (const t of tokens) expect(joined).not.toContain(t.split('.')[2]!);
    expect(joined).not.toContain(stack.password);
    expect(joined).not.toContain('mot-mat-khau-sai-ro-rang');
    expect(joined).not.toContain('mat-khau-cua-mai-2026');
    expect(joined).not.toMatch(/\$2[aby]\$\d\d\$/);
    expect(joined).not.toMatch(/"authorization"\s*:\s*"Bearer/i);
  });
});
