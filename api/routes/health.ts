/** GET /health: each dependency reported separately; 503 when any is down. */
import { Router } from 'express';
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

export function healthRouter(deps: ApiDeps): Router {
  const r = Router();
  r.get('/health', async (_req, res) => {
    // Statuses only: addresses and versions stay out of a public endpoint.
    const dependencies = await dependencyStatus(deps);
    const up = Object.values(dependencies).every((d) => d.status === 'up');
    res.status(up ? 200 : 503).json({ status: up ? 'up' : 'down', dependencies });
  });
  return r;
}
