/**
 * Configuration of every process (worker, API, scripts) from environment
 * variables, validated once at start-up. A bad variable stops the process with
 * a message that names it and says what is expected.
 */
import { z } from 'zod';
import { KEY_LIST, keyListProblem } from './payload-codec';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const port = z.coerce.number().int().min(1).max(65535);
const count = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
/** A jose duration: 90s, 15m, 8h, 30d. */
const duration = z.string().regex(/^\d{1,6}(s|m|h|d)$/, 'expected a duration such as 15m, 8h or 30d');
/** Comma-separated browser origins (scheme://host[:port], no path); empty means no cross-origin access. */
const origins = z
  .string()
  .transform((v) => v.split(',').map((o) => o.trim()).filter(Boolean))
  .pipe(z.array(z.string().regex(/^https?:\/\/[^/\s,]+$/, 'expected origins such as https://portal.example.vn (scheme, host, optional port; no path), comma-separated')));

const EnvSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),

    TEMPORAL_ADDRESS: z
      .string()
      .regex(/^[^\s:]+:\d{1,5}$/, 'expected host:port, e.g. 127.0.0.1:7233')
      .default('127.0.0.1:7233'),
    TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
    TEMPORAL_TASK_QUEUE: z.string().min(1).default('khcn-flow'),
    TEMPORAL_TLS: bool.default(false),
    TEMPORAL_TLS_CERT_PATH: z.string().min(1).optional(),
    TEMPORAL_TLS_KEY_PATH: z.string().min(1).optional(),
    TEMPORAL_TLS_SERVER_NAME: z.string().min(1).optional(),
    TEMPORAL_API_KEY: z.string().min(1).optional(),
    /**
     * Payload encryption in Temporal (issue 15; activities/payload-codec.ts). Lists of `id:base64`,
     * comma-separated; the first key encodes, every key listed decodes (rotation: put the new key
     * first, keep the old ones listed until no running workflow holds payloads they sealed).
     * Data keys: 32 random bytes each (AES-256-GCM). Ballot keys: X25519, public (SPKI DER) for the
     * API, private (PKCS#8 DER) for the worker only. Required in production.
     */
    TEMPORAL_PAYLOAD_KEYS: z.string().regex(KEY_LIST, 'expected id:base64[,id:base64…]').optional(),
    TEMPORAL_BALLOT_PUBLIC_KEYS: z.string().regex(KEY_LIST, 'expected id:base64[,id:base64…]').optional(),
    TEMPORAL_BALLOT_PRIVATE_KEYS: z.string().regex(KEY_LIST, 'expected id:base64[,id:base64…]').optional(),
    /** The Temporal Web UI that the operations page links into (issue 11). */
    TEMPORAL_UI_URL: z.url().default('http://127.0.0.1:8233'),

    MONGODB_URI: z
      .string()
      .regex(/^mongodb(\+srv)?:\/\/\S+$/, 'expected a mongodb:// or mongodb+srv:// URI')
      .default('mongodb://127.0.0.1:27017/khcn_flow'),

    SMTP_HOST: z.string().min(1).default('127.0.0.1'),
    SMTP_PORT: port.default(1025),
    SMTP_SECURE: bool.default(false),
    SMTP_USER: z.string().min(1).optional(),
    SMTP_PASSWORD: z.string().min(1).optional(),
    MAIL_FROM: z.string().min(3).default('"Sở KH&CN - KHCN Flow" <no-reply@khcn-flow.local>'),

    API_HOST: z.string().min(1).default('127.0.0.1'),
    /**
     * Issue 17: behind a reverse proxy, which proxies to believe about the client's address
     * (X-Forwarded-For), as Express's 'trust proxy': `false` (none: the default, the API faces the
     * browsers itself), a number of hops, or addresses, subnets and names such as `loopback`,
     * comma-separated. Per-address rate limits (sign-in failures, the status look-up) count the real
     * client only when it is set: otherwise every browser behind the proxy shares one address.
     */
    TRUST_PROXY: z
      .string()
      .regex(/^(false|\d{1,2}|[A-Za-z0-9.:/, -]{1,500})$/, 'expected false, a number of hops, or addresses/subnets/loopback, comma-separated')
      .default('false')
      .transform((v): boolean | number | string => (v === 'false' ? false : /^\d+$/.test(v) ? Number(v) : v)),
    API_PORT: port.default(3000),
    PUBLIC_BASE_URL: z.url().default('http://127.0.0.1:3000'),
    API_BODY_LIMIT: z
      .string()
      .regex(/^\d+(b|kb|mb)$/, 'expected a size such as 100kb')
      .default('100kb'),

    AUTH_JWT_SECRET: z.string().min(32, 'must be at least 32 characters'),
    AUTH_JWT_ISSUER: z.string().min(1).default('khcn-flow'),
    AUTH_JWT_AUDIENCE: z.string().min(1).default('khcn-flow-api'),
    /** Lifetime of tokens issued by POST /auth/login. The user is also checked on every request. */
    AUTH_TOKEN_TTL: duration.default('8h'),
    /** bcrypt cost for stored passwords; at least 10 in production (tests may go lower to run fast). */
    AUTH_BCRYPT_COST: count(4, 15).default(12),
    /** An external OpenID Connect provider's key set: tokens it signs (RS256/ES256…) are accepted too. */
    AUTH_JWKS_URL: z.url().optional(),
    AUTH_OIDC_ISSUER: z.string().min(1).optional(),
    AUTH_OIDC_AUDIENCE: z.string().min(1).optional(),

    /** Requests per window, per user when authenticated and per IP address otherwise. */
    RATE_LIMIT_WINDOW_MS: count(100, 86_400_000).default(60_000),
    RATE_LIMIT_MAX: count(1, 1_000_000).default(600),
    /** The stricter limit on POST /auth/login, per IP address. */
    RATE_LIMIT_LOGIN_WINDOW_MS: count(100, 86_400_000).default(900_000),
    RATE_LIMIT_LOGIN_MAX: count(1, 1_000_000).default(10),
    /** Failed sign-ins from one IP address, whatever the accounts tried (a higher ceiling: an office shares an address). */
    RATE_LIMIT_LOGIN_IP_MAX: count(1, 1_000_000).default(100),
    /** The public operations (open calls, no sign-in): their own limit per IP address. */
    RATE_LIMIT_PUBLIC_WINDOW_MS: count(100, 86_400_000).default(60_000),
    RATE_LIMIT_PUBLIC_MAX: count(1, 1_000_000).default(120),
    /** The public status lookup (code + e-mail): a strict limit of its own per IP address, against guessing. */
    RATE_LIMIT_STATUS_WINDOW_MS: count(100, 86_400_000).default(900_000),
    RATE_LIMIT_STATUS_MAX: count(1, 1_000_000).default(20),
    /** The status lookup answers no sooner than this, found or not, so that its timing tells nothing. */
    PUBLIC_STATUS_MIN_MS: count(0, 10_000).default(300),
    /** Open data (issue 11): its licence, and how long an extraction is served before a new one. */
    OPEN_DATA_LICENCE: z.string().min(1).default('Creative Commons Ghi công 4.0 Quốc tế (CC BY 4.0) / Creative Commons Attribution 4.0 International (CC BY 4.0)'),
    OPEN_DATA_LICENCE_URL: z.url().default('https://creativecommons.org/licenses/by/4.0/'),
    OPEN_DATA_CACHE_SECONDS: count(0, 86_400).default(300),
    /** Browser origins allowed to call the API (CORS); none by default. */
    CORS_ORIGINS: origins.default([]),

    /** The built web app (web/dist) the API serves at /; absent, the API serves no pages. */
    WEB_DIST_DIR: z.string().min(1).optional(),

    /**
     * Browser sessions (cookie khcn_session): a session ends after this long without a request
     * (idle) and this long after sign-in whatever happens (absolute). Fractions are allowed (tests).
     */
    SESSION_IDLE_MINUTES: z.coerce.number().positive().max(7 * 24 * 60).default(60),
    SESSION_ABSOLUTE_HOURS: z.coerce.number().positive().max(30 * 24).default(12),
    /** Uploads (issue 10): the largest file, files per request, hours an unattached upload is kept. */
    UPLOAD_MAX_FILE_BYTES: count(1, 2 * 1024 ** 3).default(25 * 1024 * 1024),
    UPLOAD_MAX_FILES: count(1, 100).default(20),
    UPLOAD_STAGED_HOURS: count(1, 24 * 90).default(24),
    /**
     * Idempotency-Key (issue 17): how long a key's answer is replayed (then it is forgotten and swept),
     * and how long a request in progress may go without a sign of life (its API process died) before a
     * retry with the same key takes it over.
     */
    IDEMPOTENCY_KEY_HOURS: count(1, 24 * 30).default(24),
    IDEMPOTENCY_STALE_SECONDS: count(2, 600).default(15),

    /**
     * Operations (issue 11): an activity is reported once it has failed this many attempts in a
     * row, a workflow once its workflow task has; at most this many running workflows are looked at.
     */
    OPS_ACTIVITY_FAILURES: count(1, 1000).default(3),
    OPS_WORKFLOW_TASK_FAILURES: count(1, 1000).default(2),
    OPS_SCAN_LIMIT: count(1, 10_000).default(300),
    /**
     * Issue 17: e-mail alerts to the Department's admins when a problem of the operations status
     * starts and when it clears (api/ops-alerts.ts), checked by the API every this many seconds.
     */
    OPS_ALERTS: bool.default(true),
    OPS_ALERT_INTERVAL_SECONDS: count(10, 86_400).default(60),
    /**
     * Issue 17: the data directory whose disk is watched (`npm start` passes its own: the embedded
     * database, Temporal's file, the logs). Its disk is "low" when less than DISK_WARN_FREE_PERCENT
     * of it, or less than DISK_WARN_FREE_MB, is free: /health says "degraded", the operations status
     * asks for attention and the admins get an alert. Unset: no disk is watched.
     */
    DATA_DIR: z.string().min(1).optional(),
    DISK_WARN_FREE_PERCENT: count(0, 100).default(10),
    DISK_WARN_FREE_MB: count(0, 10_000_000).default(2048),

    /**
     * Issue 17: Prometheus metrics. The API serves GET /metrics only when enabled, to a scraper
     * that sends `Authorization: Bearer <METRICS_TOKEN>`; the worker serves the Temporal SDK's
     * runtime metrics at WORKER_METRICS_ADDRESS when it is set: `host:port`, or a port alone, which
     * binds loopback (127.0.0.1). The SDK's exporter has no authentication of its own.
     */
    METRICS_ENABLED: bool.default(false),
    METRICS_TOKEN: z.string().min(32, 'must be at least 32 characters').optional(),
    WORKER_METRICS_ADDRESS: z
      .string()
      .regex(/^((\[[0-9A-Fa-f:.]+\]|[^\s:[\]]+):)?\d{1,5}$/, 'expected host:port or a port, e.g. 127.0.0.1:9464 or 9464 (loopback)')
      .transform((v) => (/^\d+$/.test(v) ? `127.0.0.1:${v}` : v))
      .optional(),

    DEPARTMENT_ID: z.string().min(1).default('skhcn-tay-ninh'),
    DEPARTMENT_NAME: z.string().min(1).default('Sở Khoa học và Công nghệ tỉnh Tây Ninh'),
    DOCUMENT_PLACE: z.string().min(1).default('Tây Ninh'),
    RULESET_REGIME: z.enum(['LEGACY_2013', 'STI_2025']).default('LEGACY_2013'),
    RULESET_PROVINCE_PROFILE: z.string().min(1).default('tay-ninh'),
    RULESET_VERSION: z.string().min(1).default('2026.2'),

    /**
     * Issue 12: the Department's signing certificate (PKCS#12) that signs every issued document
     * (PAdES), its passphrase, and a folder of signers' own certificates (`<userId>.p12`, same
     * passphrase). `npm start` makes development ones in the data folder when unset.
     */
    SIGNING_P12_PATH: z.string().min(1).optional(),
    SIGNING_P12_PASSPHRASE: z.string().optional(),
    SIGNING_SIGNERS_DIR: z.string().min(1).optional(),
  })
  .superRefine((env, ctx) => {
    if (Boolean(env.TEMPORAL_TLS_CERT_PATH) !== Boolean(env.TEMPORAL_TLS_KEY_PATH)) {
      ctx.addIssue({
        code: 'custom',
        path: ['TEMPORAL_TLS_KEY_PATH'],
        message: 'TEMPORAL_TLS_CERT_PATH and TEMPORAL_TLS_KEY_PATH go together (mTLS)',
      });
    }
    if (env.NODE_ENV === 'production' && env.AUTH_BCRYPT_COST < 10) {
      ctx.addIssue({ code: 'custom', path: ['AUTH_BCRYPT_COST'], message: 'must be at least 10 in production' });
    }
    if ((env.AUTH_OIDC_ISSUER || env.AUTH_OIDC_AUDIENCE) && !env.AUTH_JWKS_URL) {
      ctx.addIssue({ code: 'custom', path: ['AUTH_JWKS_URL'], message: 'AUTH_OIDC_ISSUER and AUTH_OIDC_AUDIENCE need AUTH_JWKS_URL' });
    }
    if (env.SESSION_IDLE_MINUTES > env.SESSION_ABSOLUTE_HOURS * 60) {
      ctx.addIssue({ code: 'custom', path: ['SESSION_IDLE_MINUTES'], message: 'must not exceed SESSION_ABSOLUTE_HOURS (in minutes)' });
    }
    for (const [variable, kind] of [['TEMPORAL_PAYLOAD_KEYS', 'data'], ['TEMPORAL_BALLOT_PUBLIC_KEYS', 'ballot-public'], ['TEMPORAL_BALLOT_PRIVATE_KEYS', 'ballot-private']] as const) {
      const value = env[variable];
      const problem = value ? keyListProblem(value, kind) : undefined;
      if (problem) ctx.addIssue({ code: 'custom', path: [variable], message: problem });
    }
    if ((env.TEMPORAL_BALLOT_PUBLIC_KEYS || env.TEMPORAL_BALLOT_PRIVATE_KEYS) && !env.TEMPORAL_PAYLOAD_KEYS) {
      ctx.addIssue({ code: 'custom', path: ['TEMPORAL_PAYLOAD_KEYS'], message: 'ballot keys need the data keys too (payload encryption is all or nothing)' });
    }
    if (env.TEMPORAL_PAYLOAD_KEYS && !env.TEMPORAL_BALLOT_PUBLIC_KEYS && !env.TEMPORAL_BALLOT_PRIVATE_KEYS) {
      ctx.addIssue({ code: 'custom', path: ['TEMPORAL_BALLOT_PUBLIC_KEYS'], message: 'a ballot key is needed with the data keys (the API: public keys; the worker: private keys)' });
    }
    if (env.NODE_ENV === 'production' && !env.TEMPORAL_PAYLOAD_KEYS) {
      ctx.addIssue({ code: 'custom', path: ['TEMPORAL_PAYLOAD_KEYS'], message: 'is required in production (personal data and ballots are encrypted in Temporal)' });
    }
    if (env.METRICS_ENABLED && !env.METRICS_TOKEN) {
      ctx.addIssue({ code: 'custom', path: ['METRICS_TOKEN'], message: 'is required when METRICS_ENABLED=true (at least 32 characters): /metrics is never served unprotected' });
    }
    if (Boolean(env.SMTP_USER) !== Boolean(env.SMTP_PASSWORD)) {
      ctx.addIssue({ code: 'custom', path: ['SMTP_PASSWORD'], message: 'SMTP_USER and SMTP_PASSWORD go together' });
    }
  });

export type Config = z.infer<typeof EnvSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: { variable: string; reason: string }[]) {
    super(
      'Invalid configuration:\n' + problems.map((p) => `  - ${p.variable}: ${p.reason}`).join('\n'),
    );
    this.name = 'ConfigError';
  }
}

/** Parses the environment; empty strings count as unset. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = EnvSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => ({
        variable: String(i.path[0] ?? '(environment)'),
        reason: i.code === 'invalid_type' && i.input === undefined ? 'is required' : i.message,
      })),
    );
  }
  return parsed.data;
}

export const ruleSetOf = (c: Config) => ({
  regime: c.RULESET_REGIME,
  provinceProfile: c.RULESET_PROVINCE_PROFILE,
  version: c.RULESET_VERSION,
});
