/** The Express application, built from injected dependencies; it never listens by itself. */
import { randomUUID } from 'node:crypto';
import express from 'express';
import helmet from 'helmet';
import swaggerUi from 'swagger-ui-express';
import { buildOpenApiDocument } from './openapi';
import { pinoHttp } from 'pino-http';
import type { ApiDeps } from './deps';
import { authenticate } from './auth';
import { notFound, problemHandler } from './problem';
import { healthRouter } from './routes/health';
import { tasksRouter } from './routes/tasks';
import { councilsRouter } from './routes/councils';
import { portfolioRouter } from './routes/portfolio';

export function createApp(deps: ApiDeps): express.Express {
  const { config, logger } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
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
      // Tokens and bodies (which may carry ballots later) never reach the log.
      redact: ['req.headers.authorization', 'req.headers.cookie'],
      serializers: { req: (req) => ({ id: req.id, method: req.method, url: req.url }) },
    }),
  );
  app.use(express.json({ limit: config.API_BODY_LIMIT, strict: true, type: ['application/json', 'application/*+json'] }));

  app.use(healthRouter(deps));
  const openApi = buildOpenApiDocument(config.PUBLIC_BASE_URL);
  app.get('/api/v1/openapi.json', (_req, res) => {
    res.json(openApi);
  });
  app.use('/docs', swaggerUi.serve, swaggerUi.setup(openApi, { customSiteTitle: 'KHCN Flow API' }));
  const v1 = express.Router();
  v1.use(authenticate({ secret: config.AUTH_JWT_SECRET, issuer: config.AUTH_JWT_ISSUER, audience: config.AUTH_JWT_AUDIENCE }));
  v1.use(tasksRouter(deps));
  v1.use(councilsRouter(deps));
  v1.use(portfolioRouter(deps));
  app.use('/api/v1', v1);

  app.use((_req, _res, next) => next(notFound()));
  app.use(problemHandler((err, req) => logger.error({ err, reqId: req.id }, 'unhandled error')));
  return app;
}
