/**
 * Issue 15: secret ballots and personal data are encrypted in Temporal. A council's raw history,
 * read without the codec (as the Temporal Web UI or anyone with the database reads it), holds no
 * ballot, comment, member name or e-mail; the worker's codec opens the ballots; the Web UI's codec
 * endpoint decodes personal data for the Department's admins only and never a ballot.
 */
import { Client } from '@temporalio/client';
import { defaultPayloadConverter, METADATA_ENCODING_KEY, type Payload } from '@temporalio/common';
import { ENCODING_BALLOT, ENCODING_DATA } from '../../activities/payload-codec';
import { taskWorkflowId } from '../../workflows/definitions';
import { decidedSecretCouncil, type DecidedCouncil } from '../support/fixtures';
import { sampleProposal, startStack, type Stack } from '../support/stack';

let stack: Stack;
let council: DecidedCouncil;
const COMMENT = (memberId: string) => `Nhận xét kín của ${memberId}: đề tài cần bổ sung số liệu`;

beforeAll(async () => {
  stack = await startStack();
  council = await decidedSecretCouncil(stack, 'sb', { comment: COMMENT });
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

/** Every payload of a workflow's history, read with a client that has no codec. */
async function rawPayloads(workflowId: string): Promise<Payload[]> {
  const raw = new Client({ connection: stack.client.connection, namespace: stack.config.TEMPORAL_NAMESPACE });
  const payloads: Payload[] = [];
  let nextPageToken: Uint8Array | undefined;
  do {
    const page = await raw.workflowService.getWorkflowExecutionHistory({ namespace: stack.config.TEMPORAL_NAMESPACE, execution: { workflowId }, ...(nextPageToken?.length ? { nextPageToken } : {}) });
    const walk = (v: unknown): void => {
      if (!v || typeof v !== 'object' || v instanceof Uint8Array) return;
      if (Array.isArray(v)) return v.forEach(walk);
      const o = v as Record<string, unknown>;
      if (o.metadata && typeof o.metadata === 'object' && (o.data instanceof Uint8Array || o.data === undefined || o.data === null) && METADATA_ENCODING_KEY in (o.metadata as object)) {
        payloads.push(o as Payload);
        return;
      }
      Object.values(o).forEach(walk);
    };
    walk(page.history?.events ?? []);
    nextPageToken = page.nextPageToken ?? undefined;
  } while (nextPageToken?.length);
  return payloads;
}

const encodingOf = (p: Payload) => Buffer.from(p.metadata![METADATA_ENCODING_KEY]!).toString();
const plainText = (ps: Payload[]) => ps.map((p) => `${encodingOf(p)} ${Buffer.from(p.data ?? new Uint8Array()).toString('utf8')}`).join('\n');

test("a council's raw history holds no ballot, comment, name or e-mail; every payload is encrypted", async () => {
  const payloads = await rawPayloads(council.councilId);
  expect(payloads.length).toBeGreaterThan(10);
  const text = plainText(payloads);
  for (const m of council.members) {
    expect(text).not.toContain(COMMENT(m.userId));
    expect(text).not.toContain(m.name);
    expect(text).not.toContain(m.email);
  }
  expect(text).not.toMatch(/"yes"\s*:/);
  expect(text).not.toContain('"comment"');
  // Everything is encrypted but what Temporal itself must read: patch markers and their search attribute (ids only).
  const plain = payloads.filter((p) => encodingOf(p) === 'json/plain').map((p) => Buffer.from(p.data!).toString());
  for (const v of plain) expect(v).toMatch(/^(\{"id":"[a-z0-9-]+","deprecated":(true|false)\}|\[("[a-z0-9-]+",?)*\])$/);
  expect(new Set(payloads.map(encodingOf).filter((e) => e !== 'json/plain'))).toEqual(new Set([ENCODING_DATA, ENCODING_BALLOT]));
  // The votes (castVote updates) and the C-9 record of the inputs are under the ballot key.
  expect(payloads.filter((p) => encodingOf(p) === ENCODING_BALLOT).length).toBeGreaterThanOrEqual(council.members.length - 1);
});

test("the task's raw history holds no proposer's name or e-mail either", async () => {
  const text = plainText(await rawPayloads(taskWorkflowId(council.taskId)));
  expect(text).not.toContain(sampleProposal().proposer.name);
  expect(text).not.toContain(sampleProposal().proposer.email);
});

test("the worker's codec opens the ballots (it counts them); the API's cannot", async () => {
  const sealed = (await rawPayloads(council.councilId)).filter((p) => encodingOf(p) === ENCODING_BALLOT);
  const opened = (await stack.workerCodec!.decode(sealed)).map((p) => JSON.stringify(defaultPayloadConverter.fromPayload(p)));
  expect(opened.some((v) => v.includes(COMMENT(council.members[0]!.userId)))).toBe(true);
  const apiCodec = (stack.client.options.dataConverter.payloadCodecs ?? [])[0]!;
  await expect(apiCodec.decode(sealed.slice(0, 1))).rejects.toThrow(/worker only/);
});

describe('the codec endpoint for the Temporal Web UI', () => {
  const toJson = (p: Payload) => ({
    metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
    ...(p.data ? { data: Buffer.from(p.data).toString('base64') } : {}),
  });
  const decodedText = (body: { payloads: { metadata: Record<string, string>; data?: string }[] }) =>
    body.payloads.map((p) => `${Buffer.from(p.metadata.encoding ?? '', 'base64').toString()} ${Buffer.from(p.data ?? '', 'base64').toString('utf8')}`).join('\n');

  test("the Department's admin: personal data decoded, ballots sealed", async () => {
    const payloads = (await rawPayloads(council.councilId)).map(toJson);
    const res = await stack.call('POST', '/api/v1/temporal-codec/decode', { as: 'admin', body: { payloads }, headers: { 'x-namespace': stack.config.TEMPORAL_NAMESPACE } });
    expect(res.status).toBe(200);
    const text = decodedText((await res.json()) as never);
    expect(text).toContain(council.members[0]!.name); // the council's input, decoded
    expect(text).toContain('secret ballot (C-4)');
    for (const m of council.members) expect(text).not.toContain(COMMENT(m.userId));
    // Counts (the result's figures) are shown; a member's ballot never is.
    expect(text).not.toMatch(/"ballots?"\s*:\s*[{[]/);
  });

  test("anyone else: refused (a manager, another Department's admin, no token); another namespace: 404", async () => {
    const payloads = (await rawPayloads(council.councilId)).slice(0, 3).map(toJson);
    const otherAdmin = { userId: 'u-admin-long-an', role: 'admin' as const, name: 'Quản trị Long An', email: 'admin@skhcn-long-an.example.vn', orgId: 'org-skhcn-long-an', departmentId: 'skhcn-long-an', locale: 'vi' as const };
    expect((await stack.call('POST', '/api/v1/temporal-codec/decode', { as: 'manager', body: { payloads } })).status).toBe(403);
    expect((await stack.call('POST', '/api/v1/temporal-codec/decode', { as: otherAdmin, body: { payloads } })).status).toBe(403);
    expect((await stack.call('POST', '/api/v1/temporal-codec/decode', { as: null, body: { payloads } })).status).toBe(401);
    expect((await stack.call('POST', '/api/v1/temporal-codec/decode', { as: 'admin', body: { payloads }, headers: { 'x-namespace': 'someone-else' } })).status).toBe(404);
  });
});
