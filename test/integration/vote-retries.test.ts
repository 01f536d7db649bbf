/**
 * A vote that counted is never refused on retry (issue 15's low finding, issue 17): the identical
 * ballot re-sent after the sitting decided gets its receipt (with or without an Idempotency-Key),
 * a different ballot is still refused, and an error response is never stored as a key's answer.
 */
import { decidedSecretCouncil, type DecidedCouncil } from '../support/fixtures';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
let council: DecidedCouncil;
beforeAll(async () => {
  stack = await startStack();
  council = await decidedSecretCouncil(stack, 'vr', { comment: (m) => `Ý kiến của ${m}` });
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

const vote = (memberIndex: number, ballot: Record<string, unknown>, headers: Record<string, string> = {}) =>
  stack.call('POST', `/api/v1/councils/${council.councilId}/votes`, { as: council.members[memberIndex]!, body: { ballot }, headers });
const counted = (i: number) => ({ kind: 'C-ID', yes: council.votes[council.members[i]!.userId], comment: `Ý kiến của ${council.members[i]!.userId}` });

test('the identical vote re-sent without a key after the decision: 200 with its receipt, never the ballot', async () => {
  const res = await vote(0, counted(0));
  expect(res.status).toBe(200);
  const receipt = (await res.json()) as Record<string, unknown>;
  expect(receipt).toEqual({ councilId: council.councilId, memberId: council.members[0]!.userId, item: 'item', recordedAt: expect.any(String), repeated: true });
  // The time is the vote's own (its audit entry), before the decision.
  const entry = await stack.store.AuditLog.findById(`${council.councilId}:castVote:${council.members[0]!.userId}:item`).lean();
  expect(receipt.recordedAt).toBe(new Date(entry!.at).toISOString());
  // Keys in any order are the same ballot.
  expect((await vote(0, { comment: counted(0).comment, yes: counted(0).yes, kind: 'C-ID' })).status).toBe(200);
  // Still one audit entry for the vote.
  expect(await stack.store.AuditLog.countDocuments({ councilId: council.councilId, action: 'castVote', 'actor.userId': council.members[0]!.userId })).toBe(1);
});

test('a different ballot after the decision is still refused (409), and so is a member who did not vote', async () => {
  expect((await vote(1, { ...counted(1), yes: !counted(1).yes })).status).toBe(409);
  expect((await vote(1, { kind: 'C-ID', yes: counted(1).yes })).status).toBe(409); // the comment is part of the ballot
  expect((await vote(6, { kind: 'C-ID', yes: true })).status).toBe(409); // the conflicted member never voted
});

test('a retry with the same Idempotency-Key returns the receipt, always; a refusal is never stored as the key\'s answer', async () => {
  const key = { 'idempotency-key': `phieu-${council.councilId}-m3` };
  const first = await vote(2, counted(2), key);
  expect(first.status).toBe(200);
  const again = await vote(2, counted(2), key);
  expect(again.status).toBe(200);
  expect(await again.json()).toEqual(await first.json());

  // A changed ballot under a key: 409, and the same request again runs again (not replayed).
  const other = { 'idempotency-key': `phieu-${council.councilId}-m4-khac` };
  const refused = await vote(3, { ...counted(3), yes: !counted(3).yes }, other);
  expect(refused.status).toBe(409);
  const refusedAgain = await vote(3, { ...counted(3), yes: !counted(3).yes }, other);
  expect(refusedAgain.status).toBe(409);
  expect(refusedAgain.headers.get('idempotent-replayed')).toBeNull();
  expect(await stack.store.Idempotency.countDocuments({ state: 'done', status: { $gte: 400 } })).toBe(0);
});

test('an audit entry lost to a fault is written when the counted vote is re-sent', async () => {
  const m = council.members[4]!;
  const id = `${council.councilId}:castVote:${m.userId}:item`;
  // (The model refuses deletes: the audit log is append-only; the fault is simulated underneath it.)
  await stack.store.AuditLog.collection.deleteOne({ _id: id } as never);
  const res = await vote(4, counted(4));
  expect(res.status).toBe(200);
  expect(await stack.store.AuditLog.findById(id).lean()).toMatchObject({ action: 'castVote', item: 'item', councilId: council.councilId });
});
