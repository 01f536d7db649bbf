/**
 * The upload route alone in its own process, to measure what an upload keeps alive
 * (issue 10: "never buffered whole in memory") without the test process's own
 * traffic (worker, client) in the figure. Run by test/integration/files.test.ts as
 * `node --expose-gc --import tsx test/support/upload-memory-probe.ts` with the
 * stack's environment; prints `{"port":…}` once listening. The caller is fixed
 * (authentication is not what is measured). GET /memory answers the baseline, the
 * peak and every sample's growth of live heap + buffers, each sample after a full
 * collection, one per 2 MB received and one at the end of the body.
 */
import express from 'express';
import pino from 'pino';
import { loadConfig } from '../../activities/config';
import { connectStore } from '../../activities/store';
import type { Caller } from '../../api/auth';
import { problemHandler } from '../../api/problem';
import { uploadsRouter } from '../../api/routes/uploads';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');
const live = () => {
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};

async function main() {
  const config = loadConfig();
  const store = await connectStore(config.MONGODB_URI);
  const user: Caller = { userId: 'u-researcher-1', role: 'researcher', name: 'Nguyễn Thị Hương', email: 'huong.nt@vien-sinh-hoc.example.vn', orgId: 'org-vien-sinh-hoc', departmentId: config.DEPARTMENT_ID, locale: 'vi' };
  const app = express();
  let base = 0;
  let peak = 0;
  let samples = 0;
  let growths: number[] = [];
  app.get('/memory', (_req, res) => {
    res.json({ base, peak, samples, growths });
  });
  app.use((req, _res, next) => {
    req.user = user;
    base = live();
    peak = base;
    growths = [];
    let received = 0;
    let next2mb = 2 * 1024 * 1024;
    req.on('data', (b: Buffer) => {
      received += b.length;
      if (received < next2mb) return;
      next2mb += 2 * 1024 * 1024;
      const v = live();
      growths.push(v - base);
      peak = Math.max(peak, v);
      samples++;
    });
    // The whole body received: the last part is being stored.
    req.on('end', () => {
      const v = live();
      growths.push(v - base);
      peak = Math.max(peak, v);
      samples++;
    });
    next();
  });
  app.use('/api/v1', uploadsRouter({ config, store, logger: pino({ level: 'silent' }) } as never));
  app.use(problemHandler((err) => console.error(err)));
  const server = app.listen(0, '127.0.0.1', () => {
    console.log(JSON.stringify({ port: (server.address() as { port: number }).port }));
  });
  process.once('SIGTERM', () => {
    server.close();
    void store.close().then(() => process.exit(0));
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
