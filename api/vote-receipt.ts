/**
 * A vote re-sent after the sitting decided (issue 15, issue 17): a client whose first answer was
 * lost (a dropped connection, a 500 while Temporal restarted) retries, and the sitting has closed
 * meanwhile. When the ballot sent is the very ballot that was counted, the answer is its receipt,
 * not "the council has decided": a vote that counted is never refused. A different ballot still is.
 *
 * The decided sitting's workflow has ended, so the receipt comes from the C-9 record of the
 * result's inputs (the store keeps every counted ballot) and the vote's audit entry (its time); an
 * audit entry lost to a fault is then written (issue 17: every accepted command has one).
 */
import type { Store } from '../activities/store';
import type { CouncilBallot, VoteReceipt } from '../workflows/definitions';

const itemOf = (b: CouncilBallot) => (b.kind === 'C-SEL' ? b.dossierId : 'item');

/** Key-order-independent JSON, as the sitting compares a repeated ballot with the recorded one. */
function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v && typeof v === 'object') return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${stableJson((v as Record<string, unknown>)[k])}`).join(',')}}`;
  return JSON.stringify(v);
}

export const voteAuditId = (councilId: string, memberId: string, item: string) => `${councilId}:castVote:${memberId}:${item}`;

/** The receipt of the member's counted ballot when `ballot` is that very ballot; otherwise undefined. */
export async function receiptOfCountedVote(store: Store, councilId: string, memberId: string, ballot: CouncilBallot): Promise<(VoteReceipt & { audited: boolean }) | undefined> {
  const record = await store.CouncilResult.findById(councilId).lean<{ ballots?: { memberId: string; ballot: CouncilBallot }[]; result?: { decidedAt?: string }; storedAt?: Date }>();
  const item = itemOf(ballot);
  const counted = record?.ballots?.find((b) => b.memberId === memberId && itemOf(b.ballot) === item);
  if (!counted || stableJson(counted.ballot) !== stableJson(ballot)) return undefined;
  const entry = await store.AuditLog.findById(voteAuditId(councilId, memberId, item)).lean<{ at: Date }>();
  // Without its audit entry, the time is the decision's: the vote was recorded no later than that.
  const recordedAt = entry ? new Date(entry.at).toISOString() : (record!.result?.decidedAt ?? new Date(record!.storedAt ?? Date.now()).toISOString());
  return { councilId, memberId, item, recordedAt, repeated: true, audited: Boolean(entry) };
}
