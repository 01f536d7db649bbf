/** Builds a worker for the task queue with real activities; used by the process entry point and by tests. */
import type { Client } from '@temporalio/client';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities';
import type { Config } from '../activities/config';
import { createJobActivities } from '../activities/portfolio/jobs';
import type { EncryptionCodec } from '../activities/payload-codec';

export interface CreateWorkerOptions extends ActivityDeps {
  /** Issue 11: the portfolio's jobs (import, reconciliation) start, list and query workflows through it. */
  temporal: Client;
  config: Config;
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  /** Pre-built bundle (tests bundle once per file); otherwise workflows are bundled from source. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** Issue 15: payloads encrypted in Temporal (the worker's codec opens ballots). */
  codec?: EncryptionCodec;
}

export async function createWorker(o: CreateWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: o.connection,
    namespace: o.namespace,
    taskQueue: o.taskQueue,
    ...(o.codec ? { dataConverter: { payloadCodecs: [o.codec] } } : {}),
    activities: {
      ...createActivities({ store: o.store, mailer: o.mailer, mailFrom: o.mailFrom, ...(o.signing ? { signing: o.signing } : {}) }),
      ...createJobActivities({ store: o.store, temporal: o.temporal, config: o.config }),
    },
    ...(o.workflowBundle ? { workflowBundle: o.workflowBundle } : { workflowsPath: require.resolve('../workflows') }),
  });
}
