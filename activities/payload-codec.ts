/**
 * Secrecy at rest in Temporal (issue 15): every payload (workflow inputs and results, updates,
 * signals, queries, activity inputs and results) is encrypted before it leaves the process, so
 * Temporal's database and its Web UI hold no personal data and no ballot in plain text.
 *
 * - Personal data: AES-256-GCM with a data key. The key's ID is in the payload's metadata, so
 *   keys rotate: every configured key decodes, the first one listed encodes.
 * - Ballots (a payload holding a `ballot` object or a `ballots` list, e.g. a castVote update, the
 *   C-9 record of a council's inputs): a key of their own, asymmetric so that the API can seal a
 *   vote it receives but never open one. X25519 with a one-time key per payload, HKDF-SHA-256, then
 *   AES-256-GCM. Only the worker holds the private keys; the codec endpoint for the Temporal Web UI
 *   (in the API) therefore cannot decode a ballot, whoever asks.
 * - Payloads written before encryption (recorded histories, tasks started on older code) carry no
 *   encryption metadata and are decoded as they are.
 */
import { createCipheriv, createDecipheriv, createPrivateKey, createPublicKey, diffieHellman, generateKeyPairSync, hkdfSync, randomBytes, type KeyObject } from 'node:crypto';
import { METADATA_ENCODING_KEY, ValueError, type Payload, type PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';

export const ENCODING_DATA = 'binary/encrypted';
export const ENCODING_BALLOT = 'binary/encrypted-ballot';
const META_KEY_ID = 'encryption-key-id';
const META_EPHEMERAL = 'encryption-ephemeral-key';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HKDF_INFO = Buffer.from('khcn-flow temporal ballot payload v1');

export interface CodecKeys {
  /** Data keys (32 bytes each) by ID, in order: the first encodes, all decode. */
  data: [string, Buffer][];
  /** Ballot public keys (X25519) by ID, in order: the first seals. The API and the worker. */
  ballotPublic: [string, KeyObject][];
  /** Ballot private keys by ID: the worker only. */
  ballotPrivate: [string, KeyObject][];
}

const utf8 = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));
const text = (b: Uint8Array | null | undefined) => (b ? Buffer.from(b).toString('utf8') : undefined);

function seal(key: Buffer, plain: Uint8Array, aad: Buffer): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(aad);
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]);
}

function open(key: Buffer, sealed: Uint8Array, aad: Buffer): Buffer {
  const b = Buffer.from(sealed);
  if (b.length < IV_BYTES + TAG_BYTES) throw new ValueError('encrypted payload too short');
  const decipher = createDecipheriv('aes-256-gcm', key, b.subarray(0, IV_BYTES));
  decipher.setAAD(aad);
  decipher.setAuthTag(b.subarray(b.length - TAG_BYTES));
  return Buffer.concat([decipher.update(b.subarray(IV_BYTES, b.length - TAG_BYTES)), decipher.final()]);
}

const ballotKey = (shared: Buffer, ephemeral: Buffer) => Buffer.from(hkdfSync('sha256', shared, ephemeral, HKDF_INFO, 32));
const rawPublic = (k: KeyObject) => Buffer.from(k.export({ format: 'jwk' }).x!, 'base64url');
const publicFromRaw = (raw: Buffer) => createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: raw.toString('base64url') }, format: 'jwk' });

/**
 * Whether a JSON value holds a ballot: a `ballot` key whose value is an object (a member's vote;
 * `ballot: 'secret'` is only the mode) or a `ballots` key, outside `openBallots` (an open ballot's
 * votes, which the council view shows to anyone allowed to see the council, C-4).
 */
export function holdsBallot(value: unknown): boolean {
  const stack: unknown[] = [value];
  for (let seen = 0; stack.length && seen < 100_000; seen++) {
    const v = stack.pop();
    if (Array.isArray(v)) stack.push(...v);
    else if (v && typeof v === 'object') {
      for (const [k, child] of Object.entries(v)) {
        if (k === 'openBallots') continue;
        if ((k === 'ballot' && child !== null && typeof child === 'object') || (k === 'ballots' && child !== null && typeof child === 'object')) return true;
        stack.push(child);
      }
    }
  }
  return false;
}

function payloadHoldsBallot(p: Payload): boolean {
  const encoding = text(p.metadata?.[METADATA_ENCODING_KEY]);
  if (encoding !== 'json/plain' || !p.data) return false;
  try {
    return holdsBallot(JSON.parse(Buffer.from(p.data).toString('utf8')));
  } catch {
    return false;
  }
}

export class EncryptionCodec implements PayloadCodec {
  private readonly data: Map<string, Buffer>;
  private readonly ballotPrivate: Map<string, KeyObject>;

  constructor(private readonly keys: CodecKeys) {
    if (!keys.data.length) throw new Error('EncryptionCodec: at least one data key');
    for (const [id, k] of keys.data) if (k.length !== 32) throw new Error(`EncryptionCodec: data key ${id} must be 32 bytes`);
    this.data = new Map(keys.data);
    this.ballotPrivate = new Map(keys.ballotPrivate);
  }

  /** Whether this codec can open ballots (the worker's) or only seal them (the API's, the Web UI's). */
  get opensBallots(): boolean {
    return this.ballotPrivate.size > 0;
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((p): Payload => {
      const plain = temporal.api.common.v1.Payload.encode(p).finish();
      if (payloadHoldsBallot(p)) {
        const sealing = this.keys.ballotPublic[0];
        if (!sealing) throw new ValueError('a ballot cannot be sent to Temporal without a ballot key (TEMPORAL_BALLOT_PUBLIC_KEYS)');
        const [id, publicKey] = sealing;
        const eph = generateKeyPairSync('x25519');
        const ephRaw = rawPublic(eph.publicKey);
        const key = ballotKey(diffieHellman({ privateKey: eph.privateKey, publicKey }), ephRaw);
        return {
          metadata: { [METADATA_ENCODING_KEY]: utf8(ENCODING_BALLOT), [META_KEY_ID]: utf8(id), [META_EPHEMERAL]: new Uint8Array(ephRaw) },
          data: new Uint8Array(seal(key, plain, Buffer.from(`${ENCODING_BALLOT}:${id}`))),
        };
      }
      const [id, key] = this.keys.data[0]!;
      return {
        metadata: { [METADATA_ENCODING_KEY]: utf8(ENCODING_DATA), [META_KEY_ID]: utf8(id) },
        data: new Uint8Array(seal(key, plain, Buffer.from(`${ENCODING_DATA}:${id}`))),
      };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((p) => {
      const encoding = text(p.metadata?.[METADATA_ENCODING_KEY]);
      if (encoding !== ENCODING_DATA && encoding !== ENCODING_BALLOT) return p; // written before encryption: as it is
      const id = text(p.metadata?.[META_KEY_ID]);
      if (!id || !p.data) throw new ValueError('encrypted payload without its key ID or data');
      let plain: Buffer;
      if (encoding === ENCODING_DATA) {
        const key = this.data.get(id);
        if (!key) throw new ValueError(`no data key "${id}" to decode a payload (keep retired keys listed in TEMPORAL_PAYLOAD_KEYS)`);
        plain = open(key, p.data, Buffer.from(`${ENCODING_DATA}:${id}`));
      } else {
        const privateKey = this.ballotPrivate.get(id);
        if (!privateKey) throw new ValueError(`ballot key "${id}" is not held here: ballots are opened by the worker only`);
        const ephRaw = Buffer.from(p.metadata?.[META_EPHEMERAL] ?? new Uint8Array());
        const key = ballotKey(diffieHellman({ privateKey, publicKey: publicFromRaw(ephRaw) }), ephRaw);
        plain = open(key, p.data, Buffer.from(`${ENCODING_BALLOT}:${id}`));
      }
      return temporal.api.common.v1.Payload.decode(plain);
    });
  }

  /**
   * For the Temporal Web UI's codec endpoint: personal data decoded, ballots left sealed (this
   * process cannot open them anyway) and shown as what they are. Never throws on one payload.
   */
  async decodeForViewer(payloads: Payload[]): Promise<Payload[]> {
    const out: Payload[] = [];
    for (const p of payloads) {
      const encoding = text(p.metadata?.[METADATA_ENCODING_KEY]);
      if (encoding === ENCODING_BALLOT) {
        out.push({ metadata: { [METADATA_ENCODING_KEY]: utf8('json/plain') }, data: utf8(JSON.stringify({ sealed: 'secret ballot (C-4): opened by the worker only' })) });
        continue;
      }
      try {
        out.push(...(await this.decode([p])));
      } catch {
        out.push(p);
      }
    }
    return out;
  }
}

// ---- Keys from configuration ----

/** `id:base64,id:base64`: the first encodes. */
function parseList(value: string | undefined): [string, Buffer][] {
  if (!value) return [];
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry) => {
      const i = entry.indexOf(':');
      return [entry.slice(0, i), Buffer.from(entry.slice(i + 1), 'base64')];
    });
}

export const KEY_LIST = /^\s*[A-Za-z0-9_.-]{1,40}:[A-Za-z0-9+/]+={0,2}\s*(,\s*[A-Za-z0-9_.-]{1,40}:[A-Za-z0-9+/]+={0,2}\s*)*$/;

/** Checks a key list as configuration (zod refinement): IDs unique, each key what its kind needs. */
export function keyListProblem(value: string, kind: 'data' | 'ballot-public' | 'ballot-private'): string | undefined {
  const list = parseList(value);
  if (new Set(list.map(([id]) => id)).size !== list.length) return 'key IDs must be unique';
  for (const [id, k] of list) {
    try {
      if (kind === 'data' && k.length !== 32) return `key ${id} must be 32 bytes (base64 of 32 random bytes)`;
      if (kind === 'ballot-public') createPublicKey({ key: k, format: 'der', type: 'spki' });
      if (kind === 'ballot-private') createPrivateKey({ key: k, format: 'der', type: 'pkcs8' });
    } catch {
      return `key ${id} is not an X25519 ${kind === 'ballot-public' ? 'public key (base64 of SPKI DER)' : 'private key (base64 of PKCS#8 DER)'}`;
    }
  }
  return undefined;
}

export interface CodecConfig {
  TEMPORAL_PAYLOAD_KEYS?: string | undefined;
  TEMPORAL_BALLOT_PUBLIC_KEYS?: string | undefined;
  TEMPORAL_BALLOT_PRIVATE_KEYS?: string | undefined;
}

/**
 * The codec for this process, or undefined when no key is configured (development without `npm
 * start`; production refuses to start without keys, see activities/config.ts). `opensBallots`:
 * the worker's, with the ballot private keys; the API's never gets them.
 */
export function codecFromConfig(c: CodecConfig, opts: { opensBallots: boolean }): EncryptionCodec | undefined {
  const data = parseList(c.TEMPORAL_PAYLOAD_KEYS);
  if (!data.length) return undefined;
  const ballotPrivate = opts.opensBallots ? parseList(c.TEMPORAL_BALLOT_PRIVATE_KEYS).map(([id, k]): [string, KeyObject] => [id, createPrivateKey({ key: k, format: 'der', type: 'pkcs8' })]) : [];
  const ballotPublic = c.TEMPORAL_BALLOT_PUBLIC_KEYS
    ? parseList(c.TEMPORAL_BALLOT_PUBLIC_KEYS).map(([id, k]): [string, KeyObject] => [id, createPublicKey({ key: k, format: 'der', type: 'spki' })])
    : ballotPrivate.map(([id, k]): [string, KeyObject] => [id, createPublicKey(k)]);
  return new EncryptionCodec({ data, ballotPublic, ballotPrivate });
}

/** The data converter option for clients and workers: `{ dataConverter }` or nothing. */
export function dataConverterOf(codec: EncryptionCodec | undefined): { dataConverter?: { payloadCodecs: PayloadCodec[] } } {
  return codec ? { dataConverter: { payloadCodecs: [codec] } } : {};
}

/** New keys, as configuration values (npm start's development keys, tests). */
export function generateCodecKeys(dataId = 'dev-1', ballotId = 'ballot-dev-1'): Required<CodecConfig> {
  const pair = generateKeyPairSync('x25519');
  return {
    TEMPORAL_PAYLOAD_KEYS: `${dataId}:${randomBytes(32).toString('base64')}`,
    TEMPORAL_BALLOT_PUBLIC_KEYS: `${ballotId}:${pair.publicKey.export({ format: 'der', type: 'spki' }).toString('base64')}`,
    TEMPORAL_BALLOT_PRIVATE_KEYS: `${ballotId}:${pair.privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64')}`,
  };
}
