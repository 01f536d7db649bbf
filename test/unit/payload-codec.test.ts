/**
 * Issue 15: the payload codec. Personal data under a data key (AES-256-GCM, key ID in the
 * metadata, rotation), ballots under a key only the worker can open, payloads written before
 * encryption read as they are.
 */
import { defaultPayloadConverter, METADATA_ENCODING_KEY, type Payload } from '@temporalio/common';
import { codecFromConfig, ENCODING_BALLOT, ENCODING_DATA, generateCodecKeys, holdsBallot } from '../../activities/payload-codec';
import { loadConfig } from '../../activities/config';

const keys = generateCodecKeys('k1', 'b1');
const worker = codecFromConfig(keys, { opensBallots: true })!;
const api = codecFromConfig({ TEMPORAL_PAYLOAD_KEYS: keys.TEMPORAL_PAYLOAD_KEYS, TEMPORAL_BALLOT_PUBLIC_KEYS: keys.TEMPORAL_BALLOT_PUBLIC_KEYS }, { opensBallots: false })!;
const payload = (v: unknown): Payload => defaultPayloadConverter.toPayload(v)!;
const value = (p: Payload) => defaultPayloadConverter.fromPayload(p);
const encodingOf = (p: Payload) => Buffer.from(p.metadata![METADATA_ENCODING_KEY]!).toString();
const vote = { ballot: { kind: 'C-ID', yes: true, comment: 'Đề tài có tính cấp thiết cao' }, by: { userId: 'cm-1', name: 'Phạm Thị Ngọc Ánh' } };

test('personal data: encrypted with the first data key, its ID in the metadata, nothing readable', async () => {
  const [enc] = await api.encode([payload({ name: 'Nguyễn Thị Hương', email: 'huong.nt@vien-sinh-hoc.example.vn' })]);
  expect(encodingOf(enc!)).toBe(ENCODING_DATA);
  expect(Buffer.from(enc!.metadata!['encryption-key-id']!).toString()).toBe('k1');
  expect(Buffer.from(enc!.data!).toString('latin1')).not.toContain('huong');
  expect(value((await worker.decode([enc!]))[0]!)).toEqual({ name: 'Nguyễn Thị Hương', email: 'huong.nt@vien-sinh-hoc.example.vn' });
  expect(value((await api.decode([enc!]))[0]!)).toMatchObject({ name: 'Nguyễn Thị Hương' });
});

test('a tampered payload is refused (GCM tag)', async () => {
  const [enc] = await api.encode([payload('x')]);
  enc!.data![enc!.data!.length - 1]! ^= 1;
  await expect(worker.decode([enc!])).rejects.toThrow();
});

test('a ballot: sealed by the API, opened by the worker only; the viewer sees a placeholder', async () => {
  const [enc] = await api.encode([payload(vote)]);
  expect(encodingOf(enc!)).toBe(ENCODING_BALLOT);
  expect(Buffer.from(enc!.data!).toString('latin1')).not.toContain('cấp thiết');
  expect(value((await worker.decode([enc!]))[0]!)).toEqual(vote);
  await expect(api.decode([enc!])).rejects.toThrow(/worker only/);
  const [shown] = await api.decodeForViewer([enc!]);
  expect(JSON.stringify(value(shown!))).not.toContain('cấp thiết');
  expect(value(shown!)).toEqual({ sealed: expect.stringContaining('secret ballot') });
});

test('what holds a ballot: a ballot object or a ballots list, not the ballot mode nor an open ballot\'s votes', () => {
  expect(holdsBallot(vote)).toBe(true);
  expect(holdsBallot({ councilId: 'c', ballots: [{ memberId: 'm1', ballot: { yes: true } }] })).toBe(true);
  expect(holdsBallot({ kind: 'C-ID', ballot: 'secret', members: [] })).toBe(false);
  expect(holdsBallot({ ballot: 'open', openBallots: [{ memberId: 'm1', ballot: { yes: true } }] })).toBe(false);
  expect(holdsBallot([{ a: [{ b: { ballot: { yes: false } } }] }])).toBe(true);
});

test('key rotation: a new first key encodes, the old one still decodes what it sealed; a retired key no longer does', async () => {
  const [old] = await api.encode([payload({ n: 1 })]);
  const fresh = generateCodecKeys('k2', 'b2');
  const rotated = codecFromConfig(
    { TEMPORAL_PAYLOAD_KEYS: `${fresh.TEMPORAL_PAYLOAD_KEYS},${keys.TEMPORAL_PAYLOAD_KEYS}`, TEMPORAL_BALLOT_PRIVATE_KEYS: `${fresh.TEMPORAL_BALLOT_PRIVATE_KEYS},${keys.TEMPORAL_BALLOT_PRIVATE_KEYS}` },
    { opensBallots: true },
  )!;
  const [now] = await rotated.encode([payload({ n: 2 })]);
  expect(Buffer.from(now!.metadata!['encryption-key-id']!).toString()).toBe('k2');
  expect(value((await rotated.decode([old!]))[0]!)).toEqual({ n: 1 });
  const [oldBallot] = await api.encode([payload(vote)]);
  expect(value((await rotated.decode([oldBallot!]))[0]!)).toEqual(vote);
  const retired = codecFromConfig({ TEMPORAL_PAYLOAD_KEYS: fresh.TEMPORAL_PAYLOAD_KEYS, TEMPORAL_BALLOT_PRIVATE_KEYS: fresh.TEMPORAL_BALLOT_PRIVATE_KEYS }, { opensBallots: true })!;
  await expect(retired.decode([old!])).rejects.toThrow(/no data key "k1"/);
});

test('payloads written before encryption (recorded histories) decode as they are', async () => {
  const plain = payload({ title: 'Đề tài cũ' });
  expect(await worker.decode([plain])).toEqual([plain]);
});

test('configuration: keys are checked, production requires them, the data keys need a ballot key', () => {
  const base = { AUTH_JWT_SECRET: 'x'.repeat(40) };
  expect(() => loadConfig({ ...base, TEMPORAL_PAYLOAD_KEYS: 'k1:AAAA' })).toThrow(/TEMPORAL_PAYLOAD_KEYS: key k1 must be 32 bytes/);
  expect(() => loadConfig({ ...base, TEMPORAL_PAYLOAD_KEYS: keys.TEMPORAL_PAYLOAD_KEYS })).toThrow(/TEMPORAL_BALLOT_PUBLIC_KEYS/);
  expect(() => loadConfig({ ...base, ...keys, TEMPORAL_BALLOT_PUBLIC_KEYS: 'b1:AAAA' })).toThrow(/not an X25519 public key/);
  expect(() => loadConfig({ ...base, NODE_ENV: 'production', AUTH_BCRYPT_COST: '12' })).toThrow(/TEMPORAL_PAYLOAD_KEYS: is required in production/);
  expect(loadConfig({ ...base, ...keys }).TEMPORAL_PAYLOAD_KEYS).toBe(keys.TEMPORAL_PAYLOAD_KEYS);
});
