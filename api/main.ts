/** The API process. */
import { Client, Connection } from '@temporalio/client';
import pino from 'pino';
import { ConfigError, loadConfig } from '../activities/config';
import { connectStore } from '../activities/store';
import { sweepUploads } from './attachments';
import { sweepIdempotencyKeys } from './idempotency';
import { createMailTransport } from '../activities/mail/transport';
import { temporalConnectionOptions } from '../activities/temporal';
import { codecFromConfig, dataConverterOf } from '../activities/payload-codec';
import { join } from 'node:path';
import { developmentLeftovers } from '../scripts/dev-users';
import { createApp } from './app';
import { createOpsAlerts } from './ops-alerts';
import { operationsChecks } from './routes/operations';

async function main() {
  const config = loadConfig();
  const logger = pino({ name: 'api', level: config.LOG_LEVEL });
  const store = await connectStore(config.MONGODB_URI);
  if (config.NODE_ENV === 'production') {
    const leftovers = await developmentLeftovers(store, config, join(__dirname, '..', '.data', 'dev-jwt-secret'));
    if (leftovers.length) {
      console.error(`Refusing to start in production: ${leftovers.join('; ')}. Deactivate or change them (and set your own AUTH_JWT_SECRET).`);
      await store.close();
      process.exit(2);
    }
  }
  const backfilled = await store.backfillListFieldsAndAudit();
  if (backfilled) logger.info({ tasks: backfilled }, 'list fields and audit entries added to earlier tasks');
  const people = await store.backfillPeople();
  if (people) logger.info({ users: people }, 'search fields added to earlier users');
  const failures = await store.backfillEmailFailures();
  if (failures) logger.info({ deliveries: failures }, 'failing e-mails listed for the operations page');
  const summarised = await store.backfillPortfolio();
  if (summarised) logger.info({ tasks: summarised }, 'portfolio summaries and obligations added to earlier tasks');
  const connection = await Connection.connect(temporalConnectionOptions(config));
  // Issue 15: the API seals ballots with their public key and never holds the private one.
  if (config.TEMPORAL_BALLOT_PRIVATE_KEYS) logger.warn('TEMPORAL_BALLOT_PRIVATE_KEYS is set for the API: it is ignored here; give it to the worker only');
  const codec = codecFromConfig(config, { opensBallots: false });
  if (!codec) logger.warn('payload encryption is off (TEMPORAL_PAYLOAD_KEYS not set): Temporal keeps personal data and ballots in plain text');
  const temporal = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE, ...dataConverterOf(codec) });
  const mailer = createMailTransport(config);
  // Issue 17: one set of operations checks for the operations page, the metrics and the alerts.
  const operations = operationsChecks({ config, store, temporal, mailer });
  const app = createApp({ config, store, temporal, mailer, logger, operations, ...(codec ? { codec } : {}) });
  if (config.METRICS_ENABLED) logger.info('metrics served at /metrics (bearer METRICS_TOKEN)');
  // Issue 17: e-mail to the Department's admins when a problem of the operations status starts and when it clears.
  const alerting = config.OPS_ALERTS ? createOpsAlerts({ config, store, temporal, mailer, logger, operations }).start() : undefined;
  // Issue 10: uploads nobody attached within UPLOAD_STAGED_HOURS are removed, at start and hourly.
  const sweep = () =>
    sweepUploads(store, config.UPLOAD_STAGED_HOURS)
      .then((removed) => removed.length && logger.info({ removed: removed.length }, 'expired uploads removed'))
      .catch((err) => logger.error({ err }, 'upload sweep failed'));
  // Issue 17: Idempotency-Keys are forgotten after IDEMPOTENCY_KEY_HOURS; the same sweep deletes them.
  const sweepKeys = () =>
    sweepIdempotencyKeys(store, config.IDEMPOTENCY_KEY_HOURS)
      .then((removed) => removed && logger.info({ removed }, 'expired idempotency keys removed'))
      .catch((err) => logger.error({ err }, 'idempotency key sweep failed'));
  void sweep();
  void sweepKeys();
  const sweeper = setInterval(() => void sweep().then(sweepKeys), 3_600_000);
  sweeper.unref();
  const server = app.listen(config.API_PORT, config.API_HOST, () => {
    logger.info({ url: `http://${config.API_HOST}:${config.API_PORT}` }, 'API listening');
  });
  const stop = () => {
    logger.info('API stopping');
    server.close(async () => {
      await alerting?.stop();
      await Promise.allSettled([connection.close(), store.close()]);
      mailer.close();
      process.exit(0);
    });
    setTimeout(() => process.exit(0), 5000).unref();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err) => {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(2);
  }
  console.error(err);
  process.exit(1);
});
