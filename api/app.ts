/** The Express application, built from injected dependencies; it never listens by itself. */
import { randomUUID } from 'node:crypto';
import express from 'express';
import helmet from 'helmet';
import swaggerUi from 'swagger-ui-express';
import { buildOpenApiDocument, documentedOperations } from './openapi';
import { pinoHttp } from 'pino-http';
import type { ApiDeps } from './deps';
import { identify, requireAuth } from './auth';
import { idempotency } from './idempotency';
import { notFound, Problem, problemHandler } from './problem';
import { corsPolicy, rateLimiters, rejectOperatorKeys } from './security';
import { csrfGuard } from './sessions';
import { auditRouter } from './routes/audit';
import { authRouter } from './routes/auth';
import { healthRouter } from './routes/health';
import { tasksRouter } from './routes/tasks';
import { councilsRouter } from './routes/councils';
import { portfolioRouter } from './routes/portfolio';
import { portfolioJobsRouter } from './routes/portfolio-jobs';
import { TEMPORAL_CODEC_DECODE_PATH, temporalCodecRouter } from './routes/temporal-codec';
import { operationsChecks, operationsRouter } from './routes/operations';
import { createMetrics } from './metrics';
import { documentsRouter } from './routes/documents';
import { publicRouter } from './routes/public';
import { publicStatusRouter } from './routes/public-status';
import { openDataRouter } from './routes/open-data';
import { usersRouter } from './routes/users';
import { DEFAULT_WEB_DIST, webRouter } from './web';
import { uploadsRouter } from './routes/uploads';

/**
 * Never in a log line: tokens, passwords and their hashes, ballots (C-4). The
 * request serializer keeps only id, method and URL (no headers, no body); these
 * paths catch the same things should any other object be logged.
 */
export const LOG_REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'authorization',
  'password',
  'passwordHash',
  'accessToken',
  'token',
  'ballot',
  'ballots',
  'openBallots',
  '*.authorization',
  '*.password',
  '*.passwordHash',
  '*.accessToken',
  '*.token',
  '*.ballot',
  '*.ballots',
  '*.openBallots',
];

export function createApp(deps: ApiDeps): express.Express {
  const { config, logger } = deps;
  const app = express();
  app.disable('x-powered-by');
  // X-Forwarded-For is believed only from the proxies TRUST_PROXY names (none by default).
  app.set('trust proxy', config.TRUST_PROXY);
  const operations = deps.operations ?? operationsChecks(deps);
  // Issue 17: Prometheus metrics, off unless METRICS_ENABLED (then every request is timed from here).
  const metrics = config.METRICS_ENABLED ? createMetrics(deps, operations) : undefined;
  if (metrics) app.use(metrics.observe);
  // Behind plain http (local development) the browser must not be told to upgrade the docs' assets to https.
  const plainHttp = config.PUBLIC_BASE_URL.startsWith('http:');
  app.use(helmet({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: plainHttp ? null : [] } } }));
  app.use(
    pinoHttp({
      logger,
      genReqId: (req, res) => {
        const given = req.headers['x-request-id'];
        const id = typeof given === 'string' && /^[\w.-]{1,128}$/.test(given) ? given : randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      // Tokens and bodies (passwords, ballots) never reach the log: id, method and URL only.
      redact: { paths: LOG_REDACT_PATHS, censor: '[redacted]' },
      serializers: {
        req: (req) => ({ id: req.id, method: req.method, url: req.url }),
        res: (res) => ({ statusCode: res.statusCode }),
      },
    }),
  );
  app.use(corsPolicy(config));
  const openApi = buildOpenApiDocument(config.PUBLIC_BASE_URL);
  const jsonBody = express.json({ limit: config.API_BODY_LIMIT, strict: true, type: ['application/json', 'application/*+json'] });
  // The Temporal Web UI's codec endpoint gets an event's payloads at once (a task's state may be tens of KB; issue 15).
  const codecBody = express.json({ limit: '2mb', strict: true, type: ['application/json'] });
  app.use((req, res, next) => (req.path === TEMPORAL_CODEC_DECODE_PATH ? codecBody : jsonBody)(req, res, next));

  if (metrics) app.use(metrics.router);
  app.use(healthRouter(deps));
  app.get('/api/v1/openapi.json', (_req, res) => {
    res.json(openApi);
  });
  app.use('/docs', swaggerUi.serve, swaggerUi.setup(openApi, { customSiteTitle: 'KHCN Flow API' }));
  // The methods a documented path has. A literal segment wins over a parameter: /users/imports is
  // its own path, not /users/{userId} (whose PATCH it does not take).
  const templates = documentedOperations(openApi).map((o) => ({ ...o, params: (o.path.match(/\{[^}]+\}/g) ?? []).length, re: new RegExp(`^${o.path.replace(/\{[^}]+\}/g, '[^/]+')}$`) }));
  const documentedMethods = (path: string): string[] => {
    const matching = templates.filter((t) => t.re.test(path));
    const fewest = Math.min(...matching.map((t) => t.params));
    const methods = [...new Set(matching.filter((t) => t.params === fewest).map((t) => t.method))];
    if (methods.includes('GET')) methods.push('HEAD');
    return methods;
  };
  // OPTIONS (other than a CORS preflight, answered above): the documented methods, as Allow.
  app.use('/api/v1', (req, res, next) => {
    if (req.method !== 'OPTIONS') return next();
    const methods = documentedMethods(req.baseUrl + req.path);
    if (!methods.length) return next();
    res.set('Allow', methods.join(', ')).status(204).end();
  });
  const limits = rateLimiters(config);
  const v1 = express.Router();
  // Who is calling (if anyone: bearer token or session cookie), then the rate limit for
  // that caller or IP, then the CSRF check of cookie-authenticated writes, then the
  // operations without sign-in (login and sign-in with their own stricter limit, sign-out,
  // the public calls with theirs), then everything else for authenticated callers only.
  v1.use(identify(deps));
  v1.use(limits.general);
  v1.use(csrfGuard);
  v1.use(authRouter(deps, limits.login));
  v1.use('/public', limits.public);
  // Issue 11: the status lookup has a strict limit of its own (against guessing codes and e-mails).
  v1.use('/public/status', limits.status);
  v1.use(publicRouter(deps));
  v1.use(publicStatusRouter(deps));
  v1.use(openDataRouter(deps));
  v1.use(requireAuth);
  // What a signed-in user reads is theirs: no shared or browser cache keeps it (issue 15).
  v1.use((_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });
  v1.use(rejectOperatorKeys);
  // Uploads come before Idempotency-Key: a key's request hash is taken before the body
  // is read, and a multipart body is streamed to GridFS, never held to be hashed. An
  // upload repeated stages a second copy, which expires unattached.
  v1.use(uploadsRouter(deps));
  v1.use(idempotency(deps));
  v1.use(tasksRouter(deps));
  v1.use(councilsRouter(deps));
  v1.use(usersRouter(deps));
  v1.use(auditRouter(deps));
  v1.use(portfolioRouter(deps));
  v1.use(portfolioJobsRouter(deps));
  v1.use(operationsRouter(deps, operations));
  v1.use(documentsRouter(deps));
  v1.use(temporalCodecRouter(deps));
  app.use('/api/v1', v1);
  // The browser app: assets and client routes (after the API, so an API path never falls back to a page).
  app.use(webRouter(config.WEB_DIST_DIR ?? DEFAULT_WEB_DIST, !plainHttp));

  // A documented path with another method: 405 with the methods it has (Allow).
  app.use((req, res, next) => {
    metrics?.unmatched(req);
    const methods = documentedMethods(req.path);
    if (!methods.length) return next(notFound());
    res.set('Allow', methods.join(', '));
    next(new Problem(405, 'method-not-allowed', { vi: 'Phương thức không được hỗ trợ', en: 'Method not allowed' }, {
      vi: `Đường dẫn này chỉ nhận: ${methods.join(', ')}.`,
      en: `This path accepts only: ${methods.join(', ')}.`,
    }));
  });
  app.use(problemHandler((err, req) => logger.error({ err, reqId: req.id }, 'unhandled error')));
  return app;
}
