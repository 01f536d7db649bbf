import { ConfigError, loadConfig } from '../../activities/config';

const base = { AUTH_JWT_SECRET: 'x'.repeat(32) };

test('defaults give the embedded stack', () => {
  const c = loadConfig(base);
  expect(c).toMatchObject({ TEMPORAL_ADDRESS: '127.0.0.1:7233', MONGODB_URI: 'mongodb://127.0.0.1:27017/khcn_flow', SMTP_PORT: 1025, TEMPORAL_TLS: false });
});

test('a real cluster, MongoDB and SMTP server come from the environment', () => {
  const c = loadConfig({
    ...base,
    TEMPORAL_ADDRESS: 'khcn.a1b2c.tmprl.cloud:7233',
    TEMPORAL_NAMESPACE: 'khcn.a1b2c',
    TEMPORAL_API_KEY: 'key',
    MONGODB_URI: 'mongodb+srv://user:pw@cluster0.example.net/khcn',
    SMTP_HOST: 'smtp.example.vn',
    SMTP_PORT: '465',
    SMTP_SECURE: 'true',
    SMTP_USER: 'u',
    SMTP_PASSWORD: 'p',
  });
  expect(c).toMatchObject({ TEMPORAL_NAMESPACE: 'khcn.a1b2c', SMTP_PORT: 465, SMTP_SECURE: true });
});

test('every bad variable is named with its reason', () => {
  let err: unknown;
  try {
    loadConfig({ AUTH_JWT_SECRET: 'short', TEMPORAL_ADDRESS: 'no-port', MONGODB_URI: 'postgres://x', SMTP_PORT: '99999', TEMPORAL_TLS: 'maybe' });
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(ConfigError);
  const vars = (err as ConfigError).problems.map((p) => p.variable).sort();
  expect(vars).toEqual(['AUTH_JWT_SECRET', 'MONGODB_URI', 'SMTP_PORT', 'TEMPORAL_ADDRESS', 'TEMPORAL_TLS']);
  expect((err as ConfigError).message).toContain('AUTH_JWT_SECRET: must be at least 32 characters');
  expect((err as ConfigError).message).toContain('TEMPORAL_ADDRESS: expected host:port');
});

test('a missing secret is "required"', () => {
  expect(() => loadConfig({})).toThrow(/AUTH_JWT_SECRET: is required/);
});

test('variables that go together are checked together', () => {
  expect(() => loadConfig({ ...base, SMTP_USER: 'only-user' })).toThrow(/SMTP_PASSWORD: SMTP_USER and SMTP_PASSWORD go together/);
  expect(() => loadConfig({ ...base, TEMPORAL_TLS_CERT_PATH: '/etc/tls/client.pem' })).toThrow(/TEMPORAL_TLS_KEY_PATH/);
});

test('API hardening settings: rate limits, CORS origins, token lifetime, bcrypt cost', () => {
  const c = loadConfig({ ...base, CORS_ORIGINS: 'https://portal.skhcn.example.vn, http://localhost:5173', RATE_LIMIT_MAX: '50', AUTH_TOKEN_TTL: '15m' });
  expect(c).toMatchObject({ CORS_ORIGINS: ['https://portal.skhcn.example.vn', 'http://localhost:5173'], RATE_LIMIT_MAX: 50, AUTH_TOKEN_TTL: '15m', AUTH_BCRYPT_COST: 12 });
  expect(loadConfig(base).CORS_ORIGINS).toEqual([]);
  expect(() => loadConfig({ ...base, CORS_ORIGINS: 'https://portal.example.vn/app' })).toThrow(/CORS_ORIGINS: expected origins/);
  expect(() => loadConfig({ ...base, RATE_LIMIT_MAX: '0' })).toThrow(/RATE_LIMIT_MAX/);
  expect(() => loadConfig({ ...base, AUTH_TOKEN_TTL: 'forever' })).toThrow(/AUTH_TOKEN_TTL: expected a duration/);
  expect(() => loadConfig({ ...base, NODE_ENV: 'production', AUTH_BCRYPT_COST: '4' })).toThrow(/AUTH_BCRYPT_COST: must be at least 10 in production/);
  expect(loadConfig({ ...base, NODE_ENV: 'test', AUTH_BCRYPT_COST: '4' }).AUTH_BCRYPT_COST).toBe(4);
  expect(() => loadConfig({ ...base, AUTH_OIDC_ISSUER: 'https://id.example.vn' })).toThrow(/AUTH_JWKS_URL/);
});

test('TRUST_PROXY (issue 17): none by default; a number of hops, or addresses, subnets and loopback; nonsense is named', () => {
  expect(loadConfig(base).TRUST_PROXY).toBe(false);
  expect(loadConfig({ ...base, TRUST_PROXY: '1' }).TRUST_PROXY).toBe(1);
  expect(loadConfig({ ...base, TRUST_PROXY: 'loopback, 10.0.0.0/8' }).TRUST_PROXY).toBe('loopback, 10.0.0.0/8');
  expect(() => loadConfig({ ...base, TRUST_PROXY: 'loopback; rm -rf' })).toThrow(/TRUST_PROXY: expected false, a number of hops/);
});

test('browser sessions: idle and absolute lifetimes; public operations: their own limit', () => {
  expect(loadConfig(base)).toMatchObject({ SESSION_IDLE_MINUTES: 60, SESSION_ABSOLUTE_HOURS: 12, RATE_LIMIT_PUBLIC_MAX: 120, RATE_LIMIT_PUBLIC_WINDOW_MS: 60_000 });
  expect(loadConfig({ ...base, SESSION_IDLE_MINUTES: '0.05', SESSION_ABSOLUTE_HOURS: '0.002' })).toMatchObject({ SESSION_IDLE_MINUTES: 0.05, SESSION_ABSOLUTE_HOURS: 0.002 });
  expect(() => loadConfig({ ...base, SESSION_IDLE_MINUTES: '0' })).toThrow(/SESSION_IDLE_MINUTES/);
  expect(() => loadConfig({ ...base, SESSION_ABSOLUTE_HOURS: 'never' })).toThrow(/SESSION_ABSOLUTE_HOURS/);
  expect(() => loadConfig({ ...base, SESSION_IDLE_MINUTES: '900', SESSION_ABSOLUTE_HOURS: '12' })).toThrow(/SESSION_IDLE_MINUTES: must not exceed SESSION_ABSOLUTE_HOURS/);
});

test('upload limits: 25 MB, 20 files, 24 hours by default; set from the environment and checked', () => {
  expect(loadConfig(base)).toMatchObject({ UPLOAD_MAX_FILE_BYTES: 25 * 1024 * 1024, UPLOAD_MAX_FILES: 20, UPLOAD_STAGED_HOURS: 24 });
  expect(loadConfig({ ...base, UPLOAD_MAX_FILE_BYTES: '1048576', UPLOAD_MAX_FILES: '5', UPLOAD_STAGED_HOURS: '48' })).toMatchObject({ UPLOAD_MAX_FILE_BYTES: 1_048_576, UPLOAD_MAX_FILES: 5, UPLOAD_STAGED_HOURS: 48 });
  expect(() => loadConfig({ ...base, UPLOAD_MAX_FILE_BYTES: '25MB' })).toThrow(/UPLOAD_MAX_FILE_BYTES/);
  expect(() => loadConfig({ ...base, UPLOAD_MAX_FILES: '0' })).toThrow(/UPLOAD_MAX_FILES/);
  expect(() => loadConfig({ ...base, UPLOAD_STAGED_HOURS: '-1' })).toThrow(/UPLOAD_STAGED_HOURS/);
});
