/**
 * Prometheus metrics of the API (issue 17), for Departments that run a monitoring stack: off
 * unless METRICS_ENABLED=true, and then served at GET /metrics (outside /api/v1 and the OpenAPI
 * document: it is for a scraper, not for the API's clients) only to a request that carries
 * `Authorization: Bearer <METRICS_TOKEN>` (compared in constant time); 401 problem+json otherwise.
 *
 * - Node's process metrics (prom-client's defaults), prefixed `khcn_`;
 * - `khcn_http_requests_total{method,route,status}`, `khcn_http_request_duration_seconds` and
 *   `khcn_http_errors_total` (5xx). `route` is the Express route template
 *   (`/api/v1/tasks/:taskId`), never the URL, so that the number of series stays bounded; a request
 *   that matched no route (an unknown path, a static file, the docs' assets) is `unmatched`;
 * - gauges read from the store at scrape time: e-mails whose last attempt failed (email_failures),
 *   whether a worker is live (its heartbeat, as /health counts it);
 * - workflows whose workflow task keeps failing and activities retrying past OPS_ACTIVITY_FAILURES:
 *   these need a scan of Temporal (api/routes/operations.ts), so they come from a scan at most a
 *   minute old, never from a scan per scrape.
 * A value that could not be read is NaN (not a stale or made-up number).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { Router, type Request, type RequestHandler } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { liveWorkers } from '../activities/worker-heartbeat';
import { unauthenticated } from './auth';
import type { ApiDeps } from './deps';
import type { OperationsChecks, WorkflowScan } from './routes/operations';

export const METRICS_PATH = '/metrics';
const UNMATCHED = 'unmatched';
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
/** The Temporal scan behind the workflow gauges: at most one a minute, whatever the scrape interval. */
const SCAN_MAX_AGE_MS = 60_000;
/** A scrape waits this long for a new scan; past it, the previous values go out and the scan goes on. */
const SCAN_WAIT_MS = 5_000;
/** Each store read of a scrape. */
const READ_TIMEOUT_MS = 3_000;
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export interface ApiMetrics {
  /** The app's first middleware: times every request and counts it by its route template. */
  observe: RequestHandler;
  /** A request that reached the app's fall-through handlers (404, 405) matched no route. */
  unmatched(req: Request): void;
  /** GET /metrics, behind the bearer token. */
  router: Router;
}

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/** Resolves with the promise's value, or rejects after `ms`. */
function within<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([p, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)))]).finally(() => clearTimeout(timer));
}

export function createMetrics(deps: Pick<ApiDeps, 'config' | 'store' | 'logger'>, operations: OperationsChecks): ApiMetrics {
  const { config, store, logger } = deps;
  if (!config.METRICS_TOKEN) throw new Error('METRICS_TOKEN is required when METRICS_ENABLED=true');
  const expected = sha256(config.METRICS_TOKEN);
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'khcn_' });
  const registers = [registry];
  const labelNames = ['method', 'route', 'status'] as const;
  const requests = new Counter({ name: 'khcn_http_requests_total', help: 'HTTP requests answered, by method, route template and status', labelNames, registers });
  const durations = new Histogram({ name: 'khcn_http_request_duration_seconds', help: 'Time to answer an HTTP request, by method, route template and status', labelNames, buckets: DURATION_BUCKETS, registers });
  const errors = new Counter({ name: 'khcn_http_errors_total', help: 'HTTP requests answered with a server error (5xx), by method, route template and status', labelNames, registers });
  const emailsFailing = new Gauge({ name: 'khcn_emails_failing', help: 'E-mails whose last attempt failed (they are retried until they go)', registers });
  const workerUp = new Gauge({ name: 'khcn_worker_up', help: '1 when a worker of the task queue has a heartbeat at most 15 s old, else 0', registers });
  const workersLive = new Gauge({ name: 'khcn_workers_live', help: 'Workers of the task queue with a heartbeat at most 15 s old', registers });
  const workflowsFailing = new Gauge({ name: 'khcn_workflows_task_failing', help: 'Running workflows whose workflow task failed OPS_WORKFLOW_TASK_FAILURES times or more (from a scan of Temporal at most a minute old)', registers });
  const activitiesRetrying = new Gauge({ name: 'khcn_activities_retrying', help: 'Activities that failed OPS_ACTIVITY_FAILURES attempts or more in a row (from a scan of Temporal at most a minute old)', registers });
  const scanAge = new Gauge({ name: 'khcn_workflows_scan_age_seconds', help: 'Age of the scan of Temporal behind khcn_workflows_task_failing and khcn_activities_retrying', registers });
  let lastScan: WorkflowScan | undefined;
  for (const g of [emailsFailing, workerUp, workersLive, workflowsFailing, activitiesRetrying, scanAge]) g.set(Number.NaN);

  const unmatchedRequests = new WeakSet<Request>();

  const observe: RequestHandler = (req, res, next) => {
    const started = process.hrtime.bigint();
    // Express sets req.route when a route matches, with the path relative to the router it is
    // declared in; the router's mount path (req.baseUrl) is only right at that moment (an error
    // handled later sees it restored), so the template is taken then.
    let route: unknown;
    let template: string | undefined;
    Object.defineProperty(req, 'route', {
      configurable: true,
      enumerable: true,
      get: () => route,
      set: (value: { path?: unknown } | undefined) => {
        route = value;
        template = value?.path === undefined ? undefined : `${req.baseUrl}${String(value.path)}`;
      },
    });
    res.once('finish', () => {
      const labels = {
        method: METHODS.has(req.method) ? req.method : 'OTHER',
        route: unmatchedRequests.has(req) ? UNMATCHED : template ?? UNMATCHED,
        status: String(res.statusCode),
      };
      requests.inc(labels);
      durations.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
      if (res.statusCode >= 500) errors.inc(labels);
    });
    next();
  };

  const applyScan = (scan: WorkflowScan) => {
    lastScan = scan;
    if (scan.error) {
      workflowsFailing.set(Number.NaN);
      activitiesRetrying.set(Number.NaN);
      return;
    }
    workflowsFailing.set(scan.stuck.filter((w) => w.problems.includes('workflow_task_failing')).length);
    activitiesRetrying.set(scan.stuck.reduce((n, w) => n + w.activities.length, 0));
  };

  /** The gauges, read now (the workflow gauges from a recent scan). */
  async function refresh(): Promise<void> {
    const scan = operations.recentScan(SCAN_MAX_AGE_MS).then(applyScan, (err: unknown) => logger.warn({ err }, 'metrics: workflow scan failed'));
    await Promise.all([
      within(liveWorkers(store, config.TEMPORAL_TASK_QUEUE), READ_TIMEOUT_MS).then(
        (w) => {
          workerUp.set(w.live > 0 ? 1 : 0);
          workersLive.set(w.live);
        },
        () => {
          workerUp.set(Number.NaN);
          workersLive.set(Number.NaN);
        },
      ),
      within(store.EmailFailure.countDocuments({}), READ_TIMEOUT_MS).then(
        (n) => emailsFailing.set(n),
        () => emailsFailing.set(Number.NaN),
      ),
      within(scan, SCAN_WAIT_MS).catch(() => undefined),
    ]);
    scanAge.set(lastScan ? (Date.now() - lastScan.at) / 1000 : Number.NaN);
  }

  const router = Router();
  router.get(METRICS_PATH, async (req, res, next) => {
    const given = /^Bearer[ ]+(\S+)[ ]*$/i.exec(req.get('authorization') ?? '')?.[1];
    // Both sides hashed to the same length first: timingSafeEqual then compares in constant time.
    if (given === undefined || !timingSafeEqual(sha256(given), expected)) {
      res.set('WWW-Authenticate', given === undefined ? 'Bearer realm="metrics"' : 'Bearer realm="metrics", error="invalid_token"');
      return next(
        unauthenticated({
          vi: 'Số liệu giám sát cần mã truy cập (Authorization: Bearer <METRICS_TOKEN>).',
          en: 'Metrics need the scrape token (Authorization: Bearer <METRICS_TOKEN>).',
        }),
      );
    }
    await refresh();
    res.set('Cache-Control', 'no-store').type(registry.contentType).send(await registry.metrics());
  });

  return { observe, unmatched: (req) => void unmatchedRequests.add(req), router };
}
