/**
 * Council sittings for tests (issue 13: every outcome goes through ballots and the tally, C-9): the seats
 * of a well-formed council and the ballots that make the real tally decide a wanted outcome. Pure: used
 * by the time-skipping harness and by the API fixtures alike.
 */
import type { CouncilBallot, CouncilSeat, CouncilView } from '../../workflows/definitions';

const SEAT_ROLES: CouncilSeat['role'][] = ['chair', 'vice_chair', 'reviewer', 'reviewer', 'member', 'member', 'member', 'member', 'member'];

/** n seats (7 by default): chair, vice-chair, two reviewers, members (C-1); IDs `${prefix}1`…. */
export const councilSeats = (n = 7, prefix = 'tv'): CouncilSeat[] =>
  SEAT_ROLES.slice(0, n).map((role, i) => ({ memberId: `${prefix}${i + 1}`, name: `Thành viên ${i + 1}`, email: `${prefix}${i + 1}@hoidong.example.vn`, role }));

/** What a sitting should decide: C-ID recommends or not; C-SEL a winning dossier or none; C-ACC a rating. */
export type SittingOutcome = { kind: 'C-ID'; recommend: boolean; /** the first `yes` present members vote yes, the others no */ yes?: number } | { kind: 'C-SEL'; winner: string | null } | { kind: 'C-ACC'; rating: 'EXCELLENT' | 'PASS' | 'FAIL' };

/**
 * Every present member's ballot for the outcome wanted: C-ID all yes or all no; C-SEL 90 % of every
 * criterion for the winner, 50 % for the others (below 70/100); C-ACC the rating on every product and the report.
 */
export function ballotsFor(view: Pick<CouncilView, 'dossiers' | 'criteria' | 'products'>, outcome: SittingOutcome, memberIds: string[]): { memberId: string; ballot: CouncilBallot }[] {
  const half = (x: number) => Math.floor(x * 2) / 2;
  return memberIds.flatMap((memberId): { memberId: string; ballot: CouncilBallot }[] => {
    switch (outcome.kind) {
      case 'C-ID':
        return [{ memberId, ballot: { kind: 'C-ID' as const, yes: outcome.yes === undefined ? outcome.recommend : memberIds.indexOf(memberId) < outcome.yes } }];
      case 'C-SEL':
        return (view.dossiers ?? []).map((dossierId) => ({
          memberId,
          ballot: { kind: 'C-SEL' as const, dossierId, scores: Object.fromEntries((view.criteria ?? []).map((c) => [c.id, half(c.max * (dossierId === outcome.winner ? 0.9 : 0.5))])) },
        }));
      case 'C-ACC': {
        const r = outcome.rating;
        const products = (view.products ?? [{ productId: 'P1', name: '' }]).map((p) => ({ productId: p.productId, quantity: r, volume: r, quality: r }));
        return [{ memberId, ballot: { kind: 'C-ACC' as const, products, report: r } }];
      }
    }
  });
}
