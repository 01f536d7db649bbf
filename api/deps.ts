import type { Client } from '@temporalio/client';
import type { Transporter } from 'nodemailer';
import type { Logger } from 'pino';
import type { Config } from '../activities/config';
import type { Store } from '../activities/store';
import type { EncryptionCodec } from '../activities/payload-codec';
import type { OperationsChecks } from './routes/operations';

/** Everything the API needs, injected (createApp has no globals and never listens by itself). */
export interface ApiDeps {
  config: Config;
  store: Store;
  temporal: Client;
  mailer: Transporter;
  logger: Logger;
  /** Issue 15: the API's payload codec (seals ballots, never opens them); absent when encryption is off. */
  codec?: EncryptionCodec;
  /**
   * Issue 17: the operations checks, shared by the operations page, the metrics and the e-mail
   * alerts of one process (a recent scan of Temporal serves all three); made by createApp if absent.
   */
  operations?: OperationsChecks;
}
