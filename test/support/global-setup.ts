import { startFerretdb, startTemporalDevServer } from './services';

declare global {
  // eslint-disable-next-line no-var
  var __khcnServices: { kill(): void }[] | undefined;
}

export default async function globalSetup(): Promise<void> {
  const services: { kill(): void }[] = [];
  const [mongo, temporal] = await Promise.all([
    process.env.MONGODB_URI ? undefined : startFerretdb(),
    process.env.TEMPORAL_TEST_ADDRESS ? undefined : startTemporalDevServer(),
  ]);
  if (mongo) {
    process.env.MONGODB_URI = mongo.uri;
    services.push({ kill: () => mongo.child.kill('SIGTERM') });
  }
  if (temporal) {
    process.env.TEMPORAL_TEST_ADDRESS = temporal.address;
    services.push({ kill: () => temporal.child.kill('SIGKILL') });
  }
  globalThis.__khcnServices = services;
}
