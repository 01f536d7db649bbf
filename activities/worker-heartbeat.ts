/**
 * A worker's sign of life (issue 17): while it runs, the worker writes its heartbeat to the store
 * every HEARTBEAT_MS, and GET /health counts a worker as up when a heartbeat of the task queue is
 * at most WORKER_STALE_MS old (a killed worker is reported down within seconds; Temporal's own
 * poller list keeps a dead worker for minutes). A graceful stop removes its record.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Store } from './store';

export const HEARTBEAT_MS = 5_000;
export const WORKER_STALE_MS = 15_000;
/** Records of workers gone for longer than this are deleted when a worker of the queue starts. */
const FORGOTTEN_MS = 24 * 3_600_000;

export interface Heartbeat {
  stop(): Promise<void>;
}

export async function startHeartbeat(store: Store, taskQueue: string, onError: (err: unknown) => void = () => undefined): Promise<Heartbeat> {
  const _id = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const startedAt = new Date();
  const beat = () => store.WorkerHeartbeat.updateOne({ _id }, { $set: { taskQueue, host: hostname(), pid: process.pid, startedAt, at: new Date() } }, { upsert: true });
  await store.WorkerHeartbeat.deleteMany({ taskQueue, at: { $lt: new Date(startedAt.getTime() - FORGOTTEN_MS) } });
  await beat();
  const timer = setInterval(() => void beat().catch(onError), HEARTBEAT_MS);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await store.WorkerHeartbeat.deleteOne({ _id }).catch(onError);
    },
  };
}

/** The task queue's workers with a fresh heartbeat, and the newest heartbeat seen. */
export async function liveWorkers(store: Store, taskQueue: string, now = Date.now()): Promise<{ live: number; lastSeenAt?: string }> {
  const beats = await store.WorkerHeartbeat.find({ taskQueue }).select({ at: 1 }).lean<{ at: Date }[]>();
  const times = beats.map((b) => new Date(b.at).getTime()).sort((a, b) => a - b);
  const live = times.filter((t) => now - t <= WORKER_STALE_MS).length;
  return { live, ...(times.length ? { lastSeenAt: new Date(times.at(-1)!).toISOString() } : {}) };
}
