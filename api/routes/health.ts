/**
 * GET /health: each dependency reported separately, the worker and the task queue's backlog
 * (issue 17). `usable` when Temporal, the store and a worker are up: then 200, `status` "up", or
 * "degraded" when only SMTP is down (e-mails wait and are retried; nothing else does); otherwise
 * 503 "down". With DATA_DIR set, the data directory's disk too: "degraded" (still usable) while it is
 * low. Statuses and counts only: addresses, paths and versions stay out of a public endpoint.
 */
import { Router } from 'express';
import { liveWorkers } from '../../activities/worker-heartbeat';
import { diskUse } from '../disk';
import type { ApiDeps } from '../deps';

export async function probe(check: () => Promise<unknown>, timeoutMs = 3000) {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { status: 'up' as const, latencyMs: Date.now() - started };
  } catch (err) {
    return { status: 'down' as const, latencyMs: Date.now() - started, error: (err as Error).message };
  } finally {
    clearTimeout(timer);
  }
}

export type DependencyStatus = Awaited<ReturnType<typeof probe>>;

/** Each dependency's state (the operations page shows the same checks, issue 11). */
export async function dependencyStatus({ store, temporal, mailer }: Pick<ApiDeps, 'store' | 'temporal' | 'mailer'>): Promise<{ temporal: DependencyStatus; mongodb: DependencyStatus; smtp: DependencyStatus }> {
  const [temporalStatus, mongodb, smtp] = await Promise.all([
    probe(() => temporal.workflowService.getSystemInfo({})),
    probe(() => store.ping()),
    probe(() => mailer.verify()),
  ]);
  return { temporal: temporalStatus, mongodb, smtp };
}

/** Tasks waiting in the task queue for a worker, by kind (Temporal's approximate backlog). */
async function backlog({ temporal, config }: Pick<ApiDeps, 'temporal' | 'config'>): Promise<{ workflow: number; activity: number } | undefined> {
  const count = async (taskQueueType: number) => {
    const res = await temporal.workflowService.describeTaskQueue({ namespace: config.TEMPORAL_NAMESPACE, taskQueue: { name: config.TEMPORAL_TASK_QUEUE, kind: 1 }, taskQueueType, reportStats: true });
    return Number(String(res.stats?.approximateBacklogCount ?? 0));
  };
  let counts: { workflow: number; activity: number } | undefined;
  // Within the probe's time limit; Temporal down is reported as such by the dependencies.
  await probe(async () => {
    const [workflow, activity] = await Promise.all([count(1), count(2)]);
    counts = { workflow, activity };
  });
  return counts;
}

export function healthRouter(deps: ApiDeps): Router {
  const r = Router();
  r.get('/health', async (_req, res) => {
    let workers: Awaited<ReturnType<typeof liveWorkers>> | undefined;
    const [dependencies, , queue, disk] = await Promise.all([
      dependencyStatus(deps),
      probe(async () => {
        workers = await liveWorkers(deps.store, deps.config.TEMPORAL_TASK_QUEUE);
      }),
      backlog(deps),
      diskUse(deps.config),
    ]);
    const worker = { status: workers && workers.live > 0 ? ('up' as const) : ('down' as const), live: workers?.live ?? 0, ...(workers?.lastSeenAt ? { lastSeenAt: workers.lastSeenAt } : {}) };
    const usable = dependencies.temporal.status === 'up' && dependencies.mongodb.status === 'up' && worker.status === 'up';
    const status = !usable ? 'down' : dependencies.smtp.status === 'up' && disk?.status !== 'low' ? 'up' : 'degraded';
    res.status(usable ? 200 : 503).json({ status, usable, dependencies, worker, ...(queue ? { backlog: queue } : {}), ...(disk ? { disk } : {}) });
  });
  return r;
}
