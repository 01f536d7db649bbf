/** GET /health: each dependency reported separately; 503 when any is down. */
import { Router } from 'express';
import type { ApiDeps } from '../deps';

async function probe(check: () => Promise<unknown>, timeoutMs = 3000) {
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

export function healthRouter({ store, temporal, mailer }: ApiDeps): Router {
  const r = Router();
  r.get('/health', async (_req, res) => {
    const [temporalStatus, mongodb, smtp] = await Promise.all([
      probe(() => temporal.workflowService.getSystemInfo({})),
      probe(() => store.ping()),
      probe(() => mailer.verify()),
    ]);
    // Statuses only: addresses and versions stay out of a public endpoint.
    const dependencies = { temporal: temporalStatus, mongodb, smtp };
    const up = Object.values(dependencies).every((d) => d.status === 'up');
    res.status(up ? 200 : 503).json({ status: up ? 'up' : 'down', dependencies });
  });
  return r;
}
