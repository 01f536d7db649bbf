/** What the portfolio commands (import, reconcile) share: configuration and connections, closed on exit. */
import { Client, Connection } from '@temporalio/client';
import { ConfigError, loadConfig, type Config } from '../activities/config';
import { connectStore, type Store } from '../activities/store';
import { temporalConnectionOptions } from '../activities/temporal';
import { codecFromConfig, dataConverterOf } from '../activities/payload-codec';

export interface CliEnv {
  config: Config;
  store: Store;
  client: Client;
  close(): Promise<void>;
}

export async function openCliEnv(): Promise<CliEnv> {
  // These commands sign no tokens: the API's secret is not needed, so a missing one is not an error here.
  const config = loadConfig({ AUTH_JWT_SECRET: 'not-used-by-portfolio-commands-0000000', ...process.env });
  const store = await connectStore(config.MONGODB_URI);
  const connection = await Connection.connect(temporalConnectionOptions(config));
  const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE, ...dataConverterOf(codecFromConfig(config, { opensBallots: false })) });
  return { config, store, client, close: async () => void (await Promise.allSettled([connection.close(), store.close()])) };
}

/** Runs a command's main; a configuration error exits 2 with its message, anything else 1. */
export function runCli(main: () => Promise<number>): void {
  main()
    .then((code) => process.exit(code))
    .catch((err) => {
      if (err instanceof ConfigError) {
        console.error(err.message);
        process.exit(2);
      }
      console.error(err);
      process.exit(1);
    });
}
