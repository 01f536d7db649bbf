/** Connection options for a Temporal cluster: local dev server, self-hosted with mTLS, or Temporal Cloud (API key). */
import { readFileSync } from 'node:fs';
import type { Config } from './config';

export interface TemporalConnectionOptions {
  address: string;
  tls?: boolean | { serverNameOverride?: string; clientCertPair?: { crt: Buffer; key: Buffer } };
  apiKey?: string;
}

export function temporalConnectionOptions(c: Config): TemporalConnectionOptions {
  const useTls = c.TEMPORAL_TLS || Boolean(c.TEMPORAL_TLS_CERT_PATH) || Boolean(c.TEMPORAL_API_KEY);
  const tls = !useTls
    ? undefined
    : c.TEMPORAL_TLS_CERT_PATH && c.TEMPORAL_TLS_KEY_PATH
      ? {
          ...(c.TEMPORAL_TLS_SERVER_NAME ? { serverNameOverride: c.TEMPORAL_TLS_SERVER_NAME } : {}),
          clientCertPair: { crt: readFileSync(c.TEMPORAL_TLS_CERT_PATH), key: readFileSync(c.TEMPORAL_TLS_KEY_PATH) },
        }
      : true;
  return {
    address: c.TEMPORAL_ADDRESS,
    ...(tls !== undefined ? { tls } : {}),
    ...(c.TEMPORAL_API_KEY ? { apiKey: c.TEMPORAL_API_KEY } : {}),
  };
}
