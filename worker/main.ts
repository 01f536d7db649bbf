/**
 * The worker process: runs the task lifecycle workflows and their activities.
 * SIGINT/SIGTERM drain it gracefully (Temporal's runtime handles the signals).
 */
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, type LogLevel } from '@temporalio/worker';
import pino from 'pino';
import { ConfigError, loadConfig } from '../activities/config';
import { connectStore } from '../activities/store';
import { createMailTransport } from '../activities/mail/transport';
import { temporalConnectionOptions } from '../activities/temporal';
import { codecFromConfig, dataConverterOf } from '../activities/payload-codec';
import { createWorker } from './create-worker';
import { startHeartbeat } from '../activities/worker-heartbeat';
import { signingServiceFromConfig } from '../activities/documents/signing';

async function main() {
  const config = loadConfig();
  const logger = pino({ name: 'worker', level: config.LOG_LEVEL });
  // The SDK's own log (workflow and activity loggers included) goes through pino as JSON lines.
  const sdkLevel: LogLevel = ({ trace: 'TRACE', debug: 'DEBUG', info: 'INFO', warn: 'WARN' } as const)[config.LOG_LEVEL as 'info'] ?? 'ERROR';
  Runtime.install({
    logger: new DefaultLogger(sdkLevel, ({ level, message, meta }) => {
      const method = ({ TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' } as const)[level];
      logger[method]({ ...meta, taskQueue: undefined }, message);
    }),
    // Issue 17: the SDK's runtime metrics (pollers, slots, task latencies, failures), in Prometheus
    // format at http://WORKER_METRICS_ADDRESS/metrics; off unless set. The SDK's exporter has no
    // authentication: bind it to loopback and let the monitoring stack's proxy protect it.
    ...(config.WORKER_METRICS_ADDRESS ? { telemetryOptions: { metrics: { prometheus: { bindAddress: config.WORKER_METRICS_ADDRESS } } } } : {}),
  });
  if (config.WORKER_METRICS_ADDRESS) logger.info({ address: config.WORKER_METRICS_ADDRESS }, 'Temporal runtime metrics served at /metrics');
  // Issue 12: the certificate that signs issued documents (PAdES); without one they go out unsigned.
  // Read before anything connects: a development certificate in production is refused (ConfigError, exit 2).
  const signing = signingServiceFromConfig(config);
  if (!signing) logger.warn('SIGNING_P12_PATH is not set: issued documents are not digitally signed');
  const store = await connectStore(config.MONGODB_URI);
  const mailer = createMailTransport(config);
  // Issue 15: the worker's codec is the only one that holds the ballot private keys.
  const codec = codecFromConfig(config, { opensBallots: true });
  if (!codec) logger.warn('payload encryption is off (TEMPORAL_PAYLOAD_KEYS not set): Temporal keeps personal data and ballots in plain text');
  const connection = await NativeConnection.connect(temporalConnectionOptions(config));
  // Issue 11: the portfolio's jobs start, list and query workflows as a client does.
  const clientConnection = await Connection.connect(temporalConnectionOptions(config));
  const temporal = new Client({ connection: clientConnection, namespace: config.TEMPORAL_NAMESPACE, ...dataConverterOf(codec) });
  const worker = await createWorker({
    ...(signing ? { signing } : {}),
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    store,
    mailer,
    mailFrom: config.MAIL_FROM,
    temporal,
    config,
    ...(codec ? { codec } : {}),
  });
  // Issue 17: GET /health tells a running worker from a dead one by this.
  const heartbeat = await startHeartbeat(store, config.TEMPORAL_TASK_QUEUE, (err) => logger.warn({ err }, 'worker heartbeat not written'));
  logger.info({ taskQueue: config.TEMPORAL_TASK_QUEUE, namespace: config.TEMPORAL_NAMESPACE }, 'worker ready');
  try {
    await worker.run();
  } finally {
    await heartbeat.stop();
    await connection.close();
    await clientConnection.close();
    await store.close();
    mailer.close();
    logger.info('worker stopped');
  }
}

main().catch((err) => {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(2);
  }
  console.error(err);
  process.exit(1);
});
