/**
 * Council tallies of domain.md §3 (C-1 … C-9, C-ID, C-SEL-2, C-BUD, C-ACC-2, C-ACC-3).
 *
 * Pure and deterministic (safe in workflow code): no clock, no I/O, no randomness.
 * Every threshold comes from the task's rule-set (RS-1) and is compared in integers
 * (`meetsShare`); averages are exact rationals (a sum and a count, compared as
 * `sum >= threshold × count`), never floating-point quotients.
 *
 * C-9: each tally is a function of (rule-set, eligible members, attendance, ballots) only.
 * Its result is plain JSON (no Map, no BigInt, no Date) naming the rule, the rule-set
 * version and the numbers that decided it, so it can be stored with its inputs
 * (`CouncilRecord.tally`) and recomputed; `explanation` says the same in Vietnamese
 * and English. Nothing depends on the order of the ballots: lists in a result are
 * sorted, and a member who casts two ballots on the same question is refused.
 *
 * Malformed input (unknown member in the attendance list, duplicate ballot, score out
 * of range…) is a programming error and throws a RangeError: the workflow validates
 * before calling, and these functions still refuse what they cannot tally. A council
 * that breaks the composition rules (C-1, table sizes) is a business refusal, returned
 * by `councilSizeRefusal` as a `Refusal`.
 */
import { meetsShare, type Ratio, type RuleSet, type RuleSetKey, type RuleSetLevel } from './ruleset';
import { formatVnd, MAX_AMOUNT_VND } from './money';
import type { Refusal } from './transitions';
import { nameOf, SELECTION_CRITERION_LABELS } from '../labels';

export type { Ratio, Refusal };

export type CouncilType = 'C-ID' | 'C-SEL' | 'C-BUD' | 'C-ACC';
export type MemberRole = 'chair' | 'vice_chair' | 'reviewer' | 'member' | 'scientific_secretary';
export interface CouncilMember {
  memberId: string;
  name: string;
  role: MemberRole;
}

/** Who sits for one agenda item. */
export interface Sitting {
  members: CouncilMember[];
  /** memberIds present at the meeting. */
  present: string[];
  /** memberIds excluded from this item for a conflict of interest (C-6). */
  conflicted: string[];
  /** The chair has authorised the vice-chair to preside (C-2). */
  chairAuthorisedViceChair?: boolean;
}

/** Which rule decided, and why, in both languages (C-9). */
export interface TallyExplanation {
  rule: string;
  vi: string;
  en: string;
}

export type Rating = 'EXCELLENT' | 'PASS' | 'FAIL';

/** Why a ballot, score sheet or rating form was not counted. */
export type IgnoredReason = 'absent' | 'conflicted' | 'not_a_member';
export interface IgnoredBallot {
  memberId: string;
  reason: IgnoredReason;
}

// ─── Shared helpers ───────────────────────────────────────────────────────────────────

const ROLES: readonly MemberRole[] = ['chair', 'vice_chair', 'reviewer', 'member', 'scientific_secretary'];
const RATINGS: readonly Rating[] = ['EXCELLENT', 'PASS', 'FAIL'];
const RATING_RANK: Record<Rating, number> = { FAIL: 0, PASS: 1, EXCELLENT: 2 };
const RATING_VI: Record<Rating, string> = { EXCELLENT: 'Xuất sắc', PASS: 'Đạt', FAIL: 'Không đạt' };
const RATING_EN: Record<Rating, string> = { EXCELLENT: 'Excellent', PASS: 'Pass', FAIL: 'Fail' };

const ruleSetKey = (rs: RuleSet): RuleSetKey => ({ regime: rs.regime, provinceProfile: rs.provinceProfile, version: rs.version });

/** Code-unit order: the same on every machine (no locale). */
const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const fraction = (r: Ratio): string => `${r.num}/${r.den}`;
/** "lớn hơn 3/4" / "từ 2/3 trở lên". */
const conditionVi = (r: Ratio, strictlyGreater: boolean): string => (strictlyGreater ? `lớn hơn ${fraction(r)}` : `từ ${fraction(r)} trở lên`);
const conditionEn = (r: Ratio, strictlyGreater: boolean): string => (strictlyGreater ? `more than ${fraction(r)}` : `at least ${fraction(r)}`);

/** The fewest of `whole` that meet `ratio` (≥, or > when strict); `whole + 1` when none can. */
function minimumCount(whole: number, ratio: Ratio, strictlyGreater: boolean): number {
  for (let k = 0; k <= whole; k++) if (meetsShare(k, whole, ratio, strictlyGreater)) return k;
  return whole + 1;
}

function requireRatio(name: string, r: Ratio): void {
  if (!r || !Number.isSafeInteger(r.num) || !Number.isSafeInteger(r.den) || r.num < 0 || r.den <= 0 || r.num > r.den) {
    throw new RangeError(`${name} must be a fraction num/den with 0 ≤ num ≤ den, den > 0: ${JSON.stringify(r)}`);
  }
}

function requireCount(name: string, n: number): void {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`${name} must be a non-negative integer: ${n}`);
}

function requireId(name: string, id: unknown): asserts id is string {
  if (typeof id !== 'string' || id.trim() === '') throw new RangeError(`${name} must be a non-empty string: ${JSON.stringify(id)}`);
}

function joinVi(items: string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} và ${items[items.length - 1]}`;
}
function joinEn(items: string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** The sitting, checked and resolved: who is eligible (not conflicted) and who of them is present. */
interface ResolvedSitting {
  byId: Map<string, CouncilMember>;
  eligible: CouncilMember[];
  presentEligible: CouncilMember[];
  presentIds: Set<string>;
  conflictedIds: Set<string>;
}

function resolveSitting(sitting: Sitting): ResolvedSitting {
  if (!sitting || !Array.isArray(sitting.members) || !Array.isArray(sitting.present) || !Array.isArray(sitting.conflicted)) {
    throw new RangeError('sitting must list members, present and conflicted');
  }
  const byId = new Map<string, CouncilMember>();
  for (const m of sitting.members) {
    requireId('memberId', m?.memberId);
    if (!ROLES.includes(m.role)) throw new RangeError(`member ${m.memberId} has an unknown role: ${JSON.stringify(m.role)}`);
    if (byId.has(m.memberId)) throw new RangeError(`member ${m.memberId} is listed twice`);
    byId.set(m.memberId, m);
  }
  for (const [list, ids] of [['present', sitting.present], ['conflicted', sitting.conflicted]] as const) {
    for (const id of ids) if (!byId.has(id)) throw new RangeError(`${list} lists ${JSON.stringify(id)}, who is not a member of the council`);
  }
  const presentIds = new Set(sitting.present);
  const conflictedIds = new Set(sitting.conflicted);
  const eligible = sitting.members.filter((m) => !conflictedIds.has(m.memberId));
  const presentEligible = eligible.filter((m) => presentIds.has(m.memberId));
  return { byId, eligible, presentEligible, presentIds, conflictedIds };
}

/** Whose ballot counts (present and not conflicted, C-3, C-6), and why not otherwise. */
function ballotStatus(s: ResolvedSitting, memberId: string): 'counted' | IgnoredReason {
  if (!s.byId.has(memberId)) return 'not_a_member';
  if (s.conflictedIds.has(memberId)) return 'conflicted';
  if (!s.presentIds.has(memberId)) return 'absent';
  return 'counted';
}

function sortIgnored<T extends IgnoredBallot>(list: T[]): T[] {
  return list.sort((a, b) => byString(a.memberId, b.memberId) || byString(a.reason, b.reason));
}

function ignoredSentence(ignored: IgnoredBallot[], what: { vi: string; en: string }): { vi: string; en: string } | undefined {
  if (ignored.length === 0) return undefined;
  const count = (r: IgnoredReason) => ignored.filter((i) => i.reason === r).length;
  const vi: string[] = [];
  const en: string[] = [];
  if (count('absent')) {
    vi.push(`${count('absent')} ${what.vi} của thành viên vắng mặt`);
    en.push(`${count('absent')} ${what.en} from absent members`);
  }
  if (count('conflicted')) {
    vi.push(`${count('conflicted')} ${what.vi} của thành viên có xung đột lợi ích`);
    en.push(`${count('conflicted')} ${what.en} from conflicted members`);
  }
  if (count('not_a_member')) {
    vi.push(`${count('not_a_member')} ${what.vi} của người không thuộc hội đồng`);
    en.push(`${count('not_a_member')} ${what.en} from non-members`);
  }
  return { vi: `Không tính ${joinVi(vi)}.`, en: `Not counted: ${joinEn(en)}.` };
}

// ─── C-2 Quorum ───────────────────────────────────────────────────────────────────────

export interface QuorumResult {
  rule: 'C-2';
  ruleSet: RuleSetKey;
  ok: boolean;
  /** Members minus those conflicted for this item (C-6 removes them from the denominator). */
  eligible: number;
  /** Eligible members present. */
  present: number;
  required: Ratio;
  /** The fewest present members that meet `required`. */
  requiredCount: number;
  /** Who is required but missing: the presiding chair, and one entry per missing reviewer. */
  missing: ('chair' | 'reviewer')[];
  missingMemberIds: string[];
  /** Who presides: the chair, or the vice-chair the chair authorised; none when missing. */
  presiding: 'chair' | 'vice_chair' | 'none';
  conflicted: number;
  explanation: TallyExplanation;
}

/**
 * C-2: the council may deliberate on an item when at least `rs.councils.quorum` of its
 * eligible members (members minus those conflicted for the item, C-6) are present,
 * including the chair (or the vice-chair, when the chair authorised them) and every
 * eligible reviewer. A conflicted reviewer is not required; a conflicted chair cannot
 * preside, so an authorised vice-chair must. Absent members cast no vote (C-3).
 */
export function quorum(sitting: Sitting, rs: RuleSet): QuorumResult {
  const s = resolveSitting(sitting);
  const required = rs.councils.quorum;
  requireRatio('rs.councils.quorum', required);
  const eligible = s.eligible.length;
  const present = s.presentEligible.length;
  const shareOk = meetsShare(present, eligible, required, false);
  const requiredCount = minimumCount(eligible, required, false);
  const isIn = (m: CouncilMember) => s.presentEligible.includes(m);

  const chairs = sitting.members.filter((m) => m.role === 'chair');
  const viceChairs = s.eligible.filter((m) => m.role === 'vice_chair');
  const chairIn = chairs.some(isIn);
  const viceIn = sitting.chairAuthorisedViceChair === true && viceChairs.some(isIn);
  const presiding: QuorumResult['presiding'] = chairIn ? 'chair' : viceIn ? 'vice_chair' : 'none';

  const missing: ('chair' | 'reviewer')[] = [];
  const missingMemberIds: string[] = [];
  if (presiding === 'none') {
    missing.push('chair');
    missingMemberIds.push(...chairs.map((m) => m.memberId).sort(byString));
  }
  const missingReviewers = s.eligible.filter((m) => m.role === 'reviewer' && !isIn(m)).sort((a, b) => byString(a.memberId, b.memberId));
  for (const r of missingReviewers) {
    missing.push('reviewer');
    missingMemberIds.push(r.memberId);
  }
  const ok = shareOk && missing.length === 0;

  const conflicted = sitting.members.length - eligible;
  const vi: string[] = [];
  const en: string[] = [];
  if (conflicted > 0) {
    vi.push(`${conflicted} thành viên có xung đột lợi ích được loại khỏi nội dung này và không tính vào tổng số thành viên.`);
    en.push(`${conflicted} conflicted member(s) are excluded from this item and from the count of members.`);
  }
  vi.push(
    `Có mặt ${present}/${eligible} thành viên; yêu cầu ${conditionVi(required, false)} (tối thiểu ${requiredCount} người): ${shareOk ? 'đạt' : 'không đạt'}.`,
  );
  en.push(`${present} of ${eligible} members present; required: ${conditionEn(required, false)} (at least ${requiredCount}): ${shareOk ? 'met' : 'not met'}.`);
  if (presiding === 'chair') {
    vi.push('Chủ tịch hội đồng có mặt.');
    en.push('The chair is present.');
  } else if (presiding === 'vice_chair') {
    vi.push('Chủ tịch hội đồng không tham dự nội dung này; phó chủ tịch được chủ tịch ủy quyền có mặt và chủ trì.');
    en.push('The chair does not sit for this item; the vice-chair authorised by the chair is present and presides.');
  } else {
    const chairConflicted = chairs.some((m) => s.conflictedIds.has(m.memberId));
    vi.push(
      `${chairConflicted ? 'Chủ tịch hội đồng có xung đột lợi ích với nội dung này' : 'Vắng chủ tịch hội đồng'} và không có phó chủ tịch được ủy quyền chủ trì có mặt.`,
    );
    en.push(`${chairConflicted ? 'The chair is conflicted for this item' : 'The chair is absent'} and no vice-chair authorised to preside is present.`);
  }
  const eligibleReviewers = s.eligible.filter((m) => m.role === 'reviewer').length;
  if (missingReviewers.length > 0) {
    vi.push(`Vắng ủy viên phản biện: ${missingReviewers.map((m) => m.name).join(', ')}.`);
    en.push(`Reviewer(s) absent: ${missingReviewers.map((m) => m.name).join(', ')}.`);
  } else if (eligibleReviewers > 0) {
    vi.push(`Các ủy viên phản biện (${eligibleReviewers}) đều có mặt.`);
    en.push(`All ${eligibleReviewers} reviewer(s) are present.`);
  }
  vi.push(ok ? 'Hội đồng đủ điều kiện họp.' : 'Hội đồng không đủ điều kiện họp: phiên họp không có giá trị, phải hoãn và tổ chức lại.');
  en.push(ok ? 'The council has a quorum.' : 'The council has no quorum: the meeting is void and must be postponed and rescheduled.');

  return {
    rule: 'C-2',
    ruleSet: ruleSetKey(rs),
    ok,
    eligible,
    present,
    required: { ...required },
    requiredCount,
    missing,
    missingMemberIds,
    presiding,
    conflicted,
    explanation: { rule: 'C-2', vi: vi.join(' '), en: en.join(' ') },
  };
}

function noQuorumSentence(q: QuorumResult): { vi: string; en: string } {
  return {
    vi: `Không kiểm phiếu: hội đồng không đủ điều kiện họp. ${q.explanation.vi}`,
    en: `No tally: the council has no quorum. ${q.explanation.en}`,
  };
}

// ─── C-ID Identification ──────────────────────────────────────────────────────────────

export interface IdentificationBallot {
  memberId: string;
  yes: boolean;
}

export interface IdentificationTally {
  rule: 'C-ID';
  ruleSet: RuleSetKey;
  /** NO_QUORUM: the meeting is void (C-2); nothing is decided. */
  outcome: 'RECOMMENDED' | 'NOT_RECOMMENDED' | 'NO_QUORUM';
  yes: number;
  /** Explicit "no" ballots of present eligible members. */
  no: number;
  /** Present eligible members without a ballot: they count as not-yes. */
  notVoted: number;
  /** Present eligible members: the denominator. */
  present: number;
  share: Ratio;
  /** The rule-set's threshold (the > 3/4 rule or a province's ≥ 2/3 variant live only there, RS-1). */
  threshold: { share: Ratio; strictlyGreater: boolean };
  ignored: IgnoredBallot[];
  quorum: QuorumResult;
  explanation: TallyExplanation;
}

/**
 * C-ID: a proposal is recommended when the yes votes of the present, eligible members
 * meet `rs.councils.identification.recommendShare` of them (strictly greater when the
 * rule-set says so: > 3/4 by default, ≥ 2/3 in the Tây Ninh profile; a variant is a rule-set
 * value, never a constant here). Ballots of absent (C-3), conflicted (C-6)
 * or unknown members are ignored and listed; a present member without a ballot counts as
 * not-yes. A second ballot from the same member is refused (RangeError).
 */
export function identificationTally(input: { sitting: Sitting; ballots: IdentificationBallot[] }, rs: RuleSet): IdentificationTally {
  const s = resolveSitting(input.sitting);
  const q = quorum(input.sitting, rs);
  const threshold = { share: { ...rs.councils.identification.recommendShare }, strictlyGreater: rs.councils.identification.strictlyGreater };
  requireRatio('identification share', threshold.share);

  const seen = new Set<string>();
  const ignored: IgnoredBallot[] = [];
  let yes = 0;
  let no = 0;
  for (const b of input.ballots) {
    requireId('ballot memberId', b?.memberId);
    if (typeof b.yes !== 'boolean') throw new RangeError(`ballot of ${b.memberId} must be yes: true or false`);
    if (seen.has(b.memberId)) throw new RangeError(`member ${b.memberId} cast more than one ballot`);
    seen.add(b.memberId);
    const status = ballotStatus(s, b.memberId);
    if (status !== 'counted') ignored.push({ memberId: b.memberId, reason: status });
    else if (b.yes) yes++;
    else no++;
  }
  const present = s.presentEligible.length;
  const notVoted = present - yes - no;
  const met = meetsShare(yes, present, threshold.share, threshold.strictlyGreater);
  const outcome: IdentificationTally['outcome'] = !q.ok ? 'NO_QUORUM' : met ? 'RECOMMENDED' : 'NOT_RECOMMENDED';

  const vi: string[] = [];
  const en: string[] = [];
  if (!q.ok) {
    const nq = noQuorumSentence(q);
    vi.push(nq.vi);
    en.push(nq.en);
  } else {
    vi.push(
      `${yes}/${present} thành viên có mặt bỏ phiếu đồng ý (${no} không đồng ý${notVoted ? `, ${notVoted} không bỏ phiếu` : ''}); ` +
        `yêu cầu ${conditionVi(threshold.share, threshold.strictlyGreater)} số thành viên có mặt: ${met ? 'đạt' : 'không đạt'}.`,
    );
    en.push(
      `${yes} of ${present} members present voted yes (${no} no${notVoted ? `, ${notVoted} did not vote` : ''}); ` +
        `required: ${conditionEn(threshold.share, threshold.strictlyGreater)} of members present: ${met ? 'met' : 'not met'}.`,
    );
    if (notVoted) {
      vi.push('Thành viên có mặt không bỏ phiếu được tính là không đồng ý.');
      en.push('A present member who did not vote counts as not voting yes.');
    }
    if (q.conflicted) {
      vi.push(`${q.conflicted} thành viên có xung đột lợi ích không được tính vào số thành viên có mặt.`);
      en.push(`${q.conflicted} conflicted member(s) are not counted among the members present.`);
    }
  }
  const ig = ignoredSentence(ignored, { vi: 'phiếu', en: 'ballot(s)' });
  if (ig) {
    vi.push(ig.vi);
    en.push(ig.en);
  }
  if (outcome === 'RECOMMENDED') {
    vi.push('Kết luận: hội đồng kiến nghị đặt hàng nhiệm vụ.');
    en.push('Conclusion: the council recommends ordering the task.');
  } else if (outcome === 'NOT_RECOMMENDED') {
    vi.push('Kết luận: hội đồng không kiến nghị đặt hàng nhiệm vụ.');
    en.push('Conclusion: the council does not recommend ordering the task.');
  }

  return {
    rule: 'C-ID',
    ruleSet: ruleSetKey(rs),
    outcome,
    yes,
    no,
    notVoted,
    present,
    share: { num: yes, den: present },
    threshold,
    ignored: sortIgnored(ignored),
    quorum: q,
    explanation: { rule: 'C-ID', vi: vi.join(' '), en: en.join(' ') },
  };
}

// ─── C-SEL-2 Selection ────────────────────────────────────────────────────────────────

export interface SelectionCriterion {
  id: string;
  /** Maximum points; the criteria of a sheet add up to 100 (C-SEL: 100-point score). */
  max: number;
}

export interface ScoreSheet {
  memberId: string;
  dossierId: string;
  /** criterion id → points: an integer or a half point in [0, max]. */
  scores: Record<string, number>;
}

/** An exact average: `sum / count` points (sum is a multiple of 0.5, exact in binary). */
export interface ExactAverage {
  sum: number;
  count: number;
  /** Two decimals, truncated (never rounded up across a threshold), decimal comma: "82,50". */
  display: string;
  /** The same with a decimal point: "82.50". */
  displayEn: string;
}

export type SelectionReasonCode = 'QUALIFIES' | 'NOT_SCORED' | 'BELOW_PASS_AVERAGE' | 'TOO_MANY_ZERO_SCORES';

export interface SelectionRow {
  dossierId: string;
  average: ExactAverage;
  /** Average of the products/content criteria (tie-break), when `productsCriterionIds` is given. */
  productsAverage?: ExactAverage;
  /** criterion id → how many present eligible members gave it 0. */
  zeroCounts: Record<string, number>;
  qualifies: boolean;
  reasonCodes: SelectionReasonCode[];
  reason: { vi: string; en: string };
}

export interface IgnoredScoreSheet extends IgnoredBallot {
  dossierId: string;
}

export interface SelectionTally {
  rule: 'C-SEL-2';
  ruleSet: RuleSetKey;
  outcome: 'SELECTED' | 'NO_QUALIFIED_APPLICANT' | 'TIE_NEEDS_CHAIR' | 'NO_QUORUM';
  winner?: string;
  /** What separated the winner: its average, the products/content score, or the chair. */
  decidedBy?: 'average' | 'products' | 'chair';
  /** The dossiers still tied when the chair must decide (TIE_NEEDS_CHAIR) or decided. */
  tied?: string[];
  /** Present eligible members: the denominator of the one-third-zero rule. */
  present: number;
  passAverage: number;
  zeroScoreShare: Ratio;
  rows: SelectionRow[];
  ignored: IgnoredScoreSheet[];
  quorum: QuorumResult;
  explanation: TallyExplanation;
}

/** Half points as integers: 82.5 → 165. */
const toHalves = (points: number): number => Math.round(points * 2);

/** sum (in half points) / count, truncated to hundredths. */
function exactAverage(sumHalves: number, count: number): ExactAverage {
  if (count === 0) return { sum: 0, count: 0, display: '—', displayEn: '—' };
  const x = sumHalves * 50; // sumHalves / 2 / count × 100, truncated, in integers
  const hundredths = (x - (x % count)) / count;
  const whole = Math.floor(hundredths / 100);
  const frac = String(hundredths % 100).padStart(2, '0');
  return { sum: sumHalves / 2, count, display: `${whole},${frac}`, displayEn: `${whole}.${frac}` };
}

/** Compare a/b with c/d (counts > 0) in integers. */
const compareRational = (aHalves: number, aCount: number, bHalves: number, bCount: number): number => aHalves * bCount - bHalves * aCount;

/**
 * C-SEL-2: each dossier's average is its total score averaged over the present, eligible
 * members who scored it, or over every present eligible member with a missing sheet counting 0
 * (`rs.councils.selection.averageOver`; exact: sum and count). It qualifies when the average is
 * at least `rs.councils.selection.passAverage` AND no criterion got 0 from strictly more than
 * `zeroScoreShare` of the members present, or of those who scored it (`zeroShareOver`;
 * exactly one third still qualifies). The winner
 * is the highest average among qualifying dossiers; a tie goes to the higher products/content
 * score (the criteria in `productsCriterionIds`, averaged the same way), then to the chair
 * (`chairTieBreak`, which must name one of the tied dossiers; without it: TIE_NEEDS_CHAIR).
 *
 * The sitting's conflicts apply to the whole item (every dossier of the selection).
 * Score sheets from absent, conflicted or unknown members are ignored and listed. Every
 * sheet (counted or not) must name a known dossier, give every criterion once, and
 * give integer or half points in [0, max]; the criteria must pass `selectionCriteriaRefusal`.
 * Otherwise: RangeError naming member, dossier and criterion.
 */
export function selectionTally(
  input: {
    sitting: Sitting;
    criteria: SelectionCriterion[];
    dossiers: string[];
    scores: ScoreSheet[];
    chairTieBreak?: string;
    productsCriterionIds?: string[];
  },
  rs: RuleSet,
): SelectionTally {
  const s = resolveSitting(input.sitting);
  const q = quorum(input.sitting, rs);
  const { passAverage, zeroScoreShare, averageOver, zeroShareOver } = rs.councils.selection;
  if (!Number.isFinite(passAverage) || toHalves(passAverage) !== passAverage * 2 || passAverage < 0) {
    throw new RangeError(`rs.councils.selection.passAverage must be a non-negative multiple of 0.5: ${passAverage}`);
  }
  requireRatio('rs.councils.selection.zeroScoreShare', zeroScoreShare);

  // Criteria and dossiers.
  const bad = selectionCriteriaRefusal(input.criteria);
  if (bad) throw new RangeError(bad.message.en);
  const criteria = new Map<string, number>(input.criteria.map((c) => [c.id, c.max]));
  const products = input.productsCriterionIds ?? [];
  if (new Set(products).size !== products.length) throw new RangeError('productsCriterionIds lists a criterion twice');
  for (const id of products) if (!criteria.has(id)) throw new RangeError(`productsCriterionIds names an unknown criterion: ${JSON.stringify(id)}`);
  if (!Array.isArray(input.dossiers) || input.dossiers.length === 0) throw new RangeError('selection needs at least one dossier');
  const dossierSet = new Set<string>();
  for (const d of input.dossiers) {
    requireId('dossierId', d);
    if (dossierSet.has(d)) throw new RangeError(`dossier ${d} is listed twice`);
    dossierSet.add(d);
  }
  if (input.chairTieBreak !== undefined && !dossierSet.has(input.chairTieBreak)) {
    throw new RangeError(`chairTieBreak names an unknown dossier: ${JSON.stringify(input.chairTieBreak)}`);
  }

  // Score sheets: validate all, count those of present eligible members.
  interface Acc {
    totalHalves: number;
    productsHalves: number;
    count: number;
    zeros: Map<string, number>;
  }
  const acc = new Map<string, Acc>();
  for (const d of input.dossiers) acc.set(d, { totalHalves: 0, productsHalves: 0, count: 0, zeros: new Map([...criteria.keys()].map((k) => [k, 0])) });
  const seen = new Set<string>();
  const ignored: IgnoredScoreSheet[] = [];
  for (const sheet of input.scores) {
    requireId('score sheet memberId', sheet?.memberId);
    const where = `member ${sheet.memberId}, dossier ${JSON.stringify(sheet.dossierId)}`;
    if (!dossierSet.has(sheet.dossierId)) throw new RangeError(`score sheet of ${where}: unknown dossier`);
    const key = JSON.stringify([sheet.memberId, sheet.dossierId]);
    if (seen.has(key)) throw new RangeError(`score sheet of ${where}: scored more than once`);
    seen.add(key);
    if (!sheet.scores || typeof sheet.scores !== 'object') throw new RangeError(`score sheet of ${where}: no scores`);
    for (const k of Object.keys(sheet.scores)) if (!criteria.has(k)) throw new RangeError(`score sheet of ${where}, criterion ${k}: unknown criterion`);
    let totalHalves = 0;
    let productsHalves = 0;
    for (const [id, max] of criteria) {
      if (!Object.prototype.hasOwnProperty.call(sheet.scores, id)) throw new RangeError(`score sheet of ${where}, criterion ${id}: missing score`);
      const v = sheet.scores[id];
      if (typeof v !== 'number' || !Number.isFinite(v) || !Number.isInteger(v * 2) || v < 0 || v > max) {
        throw new RangeError(`score sheet of ${where}, criterion ${id}: ${JSON.stringify(v)} is not an integer or half point in [0, ${max}]`);
      }
      totalHalves += toHalves(v);
      if (products.includes(id)) productsHalves += toHalves(v);
    }
    const status = ballotStatus(s, sheet.memberId);
    if (status !== 'counted') {
      ignored.push({ memberId: sheet.memberId, dossierId: sheet.dossierId, reason: status });
      continue;
    }
    const a = acc.get(sheet.dossierId)!;
    a.totalHalves += totalHalves;
    a.productsHalves += productsHalves;
    a.count++;
    for (const id of criteria.keys()) if (sheet.scores[id] === 0) a.zeros.set(id, a.zeros.get(id)! + 1);
  }

  const present = s.presentEligible.length;
  // The two denominators are rule-set choices (RS-1): see ruleset.ts for the reasoning of the defaults.
  const byPresent = averageOver === 'members_present';
  /** How many sheets the average divides by: those handed in, or every present member (a missing sheet counting 0). */
  const avgCount = (a: Acc) => (byPresent && a.count > 0 ? present : a.count);
  const zeroDenominator = (a: Acc) => (zeroShareOver === 'members_who_scored' ? a.count : present);
  const zeroOfVi = zeroShareOver === 'members_who_scored' ? 'thành viên chấm điểm' : 'thành viên có mặt';
  const zeroOfEn = zeroShareOver === 'members_who_scored' ? 'members who scored' : 'members present';
  const passVi = String(passAverage).replace('.', ',');
  const rows: SelectionRow[] = input.dossiers.map((dossierId) => {
    const a = acc.get(dossierId)!;
    const average = exactAverage(a.totalHalves, avgCount(a));
    const zeroCounts: Record<string, number> = {};
    for (const [id, n] of a.zeros) zeroCounts[id] = n;
    const tooManyZeros = [...a.zeros].filter(([, n]) => meetsShare(n, zeroDenominator(a), zeroScoreShare, true)).map(([id]) => id);
    const reasonCodes: SelectionReasonCode[] = [];
    const vi: string[] = [];
    const en: string[] = [];
    if (a.count === 0) {
      reasonCodes.push('NOT_SCORED');
      vi.push('Không có thành viên có mặt nào chấm điểm hồ sơ này.');
      en.push('No present member scored this dossier.');
    } else {
      const passes = a.totalHalves >= toHalves(passAverage) * avgCount(a); // sum ≥ threshold × count, in half points
      if (!passes) reasonCodes.push('BELOW_PASS_AVERAGE');
      const missing = avgCount(a) - a.count;
      vi.push(
        `Điểm trung bình ${average.display} (${a.count} thành viên chấm${missing ? `; ${missing} thành viên có mặt không nộp phiếu được tính 0 điểm` : ''}), ${passes ? 'đạt' : 'dưới'} mức ${passVi} điểm.`,
      );
      en.push(`Average ${average.displayEn} (scored by ${a.count} members${missing ? `; ${missing} present member(s) without a sheet count as 0` : ''}), ${passes ? 'at or above' : 'below'} ${passAverage} points.`);
      if (tooManyZeros.length) {
        reasonCodes.push('TOO_MANY_ZERO_SCORES');
        const vis = tooManyZeros.map((id) => `tiêu chí "${nameOf(SELECTION_CRITERION_LABELS, id, 'vi', 'khác')}" bị ${a.zeros.get(id)}/${zeroDenominator(a)} ${zeroOfVi} cho 0 điểm`);
        const ens = tooManyZeros.map((id) => `criterion "${nameOf(SELECTION_CRITERION_LABELS, id, 'en', 'other')}" got 0 from ${a.zeros.get(id)} of ${zeroDenominator(a)} ${zeroOfEn}`);
        vi.push(`${joinVi(vis)}, quá ${fraction(zeroScoreShare)} số ${zeroOfVi}.`.replace(/^./, (c) => c.toUpperCase()));
        en.push(`${joinEn(ens)}: more than ${fraction(zeroScoreShare)} of ${zeroOfEn}.`.replace(/^./, (c) => c.toUpperCase()));
      } else {
        vi.push(`Không tiêu chí nào bị quá ${fraction(zeroScoreShare)} số ${zeroOfVi} cho 0 điểm.`);
        en.push(`No criterion got 0 from more than ${fraction(zeroScoreShare)} of ${zeroOfEn}.`);
      }
    }
    const qualifies = reasonCodes.length === 0;
    if (qualifies) reasonCodes.push('QUALIFIES');
    vi.push(qualifies ? 'Hồ sơ đạt yêu cầu.' : 'Hồ sơ không đạt yêu cầu.');
    en.push(qualifies ? 'The dossier qualifies.' : 'The dossier does not qualify.');
    const row: SelectionRow = { dossierId, average, zeroCounts, qualifies, reasonCodes, reason: { vi: vi.join(' '), en: en.join(' ') } };
    if (products.length) row.productsAverage = exactAverage(a.productsHalves, avgCount(a));
    return row;
  });

  // Ranking among qualifying dossiers (C-SEL-2).
  let outcome: SelectionTally['outcome'];
  let winner: string | undefined;
  let decidedBy: SelectionTally['decidedBy'];
  let tied: string[] | undefined;
  const vi: string[] = [];
  const en: string[] = [];
  const qualifying = input.dossiers.filter((d) => rows.find((r) => r.dossierId === d)!.qualifies);
  const accOf = (d: string) => acc.get(d)!;
  const rowOf = (d: string) => rows.find((r) => r.dossierId === d)!;
  if (!q.ok) {
    outcome = 'NO_QUORUM';
    const nq = noQuorumSentence(q);
    vi.push(nq.vi);
    en.push(nq.en);
  } else if (qualifying.length === 0) {
    outcome = 'NO_QUALIFIED_APPLICANT';
    vi.push(`Không có hồ sơ nào đạt yêu cầu (điểm trung bình từ ${passVi} trở lên và không tiêu chí nào bị quá ${fraction(zeroScoreShare)} số ${zeroOfVi} cho 0 điểm).`);
    en.push(`No dossier qualifies (average of at least ${passAverage} and no criterion scored 0 by more than ${fraction(zeroScoreShare)} of ${zeroOfEn}).`);
  } else {
    const bestBy = (ds: string[], halves: (a: Acc) => number): string[] => {
      let best: string[] = [];
      for (const d of ds) {
        if (best.length === 0) best = [d];
        else {
          const c = compareRational(halves(accOf(d)), avgCount(accOf(d)), halves(accOf(best[0])), avgCount(accOf(best[0])));
          if (c > 0) best = [d];
          else if (c === 0) best.push(d);
        }
      }
      return best;
    };
    const topAverage = bestBy(qualifying, (a) => a.totalHalves);
    const avg = rowOf(topAverage[0]).average;
    if (topAverage.length === 1) {
      outcome = 'SELECTED';
      winner = topAverage[0];
      decidedBy = 'average';
      vi.push(`Hồ sơ ${winner} có điểm trung bình cao nhất trong các hồ sơ đạt yêu cầu (${avg.display}).`);
      en.push(`Dossier ${winner} has the highest average among qualifying dossiers (${avg.displayEn}).`);
    } else {
      vi.push(`Các hồ sơ ${joinVi(topAverage)} cùng có điểm trung bình cao nhất (${avg.display}).`);
      en.push(`Dossiers ${joinEn(topAverage)} share the highest average (${avg.displayEn}).`);
      let stillTied = topAverage;
      if (products.length) {
        stillTied = bestBy(topAverage, (a) => a.productsHalves);
        const pa = rowOf(stillTied[0]).productsAverage!;
        if (stillTied.length === 1) {
          decidedBy = 'products';
          const others = topAverage.filter((d) => d !== stillTied[0]).map((d) => `${d}: ${rowOf(d).productsAverage!.display}`);
          const othersEn = topAverage.filter((d) => d !== stillTied[0]).map((d) => `${d}: ${rowOf(d).productsAverage!.displayEn}`);
          vi.push(`Hồ sơ ${stillTied[0]} có điểm sản phẩm/nội dung cao hơn (${pa.display}; ${others.join('; ')}).`);
          en.push(`Dossier ${stillTied[0]} has the higher products/content score (${pa.displayEn}; ${othersEn.join('; ')}).`);
        } else {
          vi.push(`Các hồ sơ ${joinVi(stillTied)} cũng bằng nhau về điểm sản phẩm/nội dung (${pa.display}).`);
          en.push(`Dossiers ${joinEn(stillTied)} are also tied on the products/content score (${pa.displayEn}).`);
        }
      } else {
        vi.push('Không có tiêu chí sản phẩm/nội dung để phân định.');
        en.push('No products/content criteria were given to break the tie.');
      }
      if (stillTied.length === 1) {
        outcome = 'SELECTED';
        winner = stillTied[0];
      } else if (input.chairTieBreak !== undefined) {
        if (!stillTied.includes(input.chairTieBreak)) {
          throw new RangeError(`chairTieBreak ${input.chairTieBreak} is not one of the tied dossiers: ${stillTied.join(', ')}`);
        }
        outcome = 'SELECTED';
        winner = input.chairTieBreak;
        decidedBy = 'chair';
        tied = stillTied;
        vi.push(`Chủ tịch hội đồng quyết định chọn hồ sơ ${winner}.`);
        en.push(`The chair decided for dossier ${winner}.`);
      } else {
        outcome = 'TIE_NEEDS_CHAIR';
        tied = stillTied;
        vi.push('Cần chủ tịch hội đồng quyết định hồ sơ được chọn.');
        en.push('The chair must decide which dossier is selected.');
      }
    }
    if (outcome === 'SELECTED') {
      vi.push(`Kết luận: hồ sơ ${winner} được tuyển chọn.`);
      en.push(`Conclusion: dossier ${winner} is selected.`);
    }
  }
  const lowerFirst = (t: string) => t.charAt(0).toLowerCase() + t.slice(1);
  vi.unshift(...rows.map((r) => `Hồ sơ ${r.dossierId}: ${lowerFirst(r.reason.vi)}`));
  en.unshift(...rows.map((r) => `Dossier ${r.dossierId}: ${lowerFirst(r.reason.en)}`));
  const ig = ignoredSentence(ignored, { vi: 'phiếu chấm điểm', en: 'score sheet(s)' });
  if (ig) {
    vi.push(ig.vi);
    en.push(ig.en);
  }

  const result: SelectionTally = {
    rule: 'C-SEL-2',
    ruleSet: ruleSetKey(rs),
    outcome,
    present,
    passAverage,
    zeroScoreShare: { ...zeroScoreShare },
    rows,
    ignored: ignored.sort((a, b) => byString(a.memberId, b.memberId) || byString(a.dossierId, b.dossierId) || byString(a.reason, b.reason)),
    quorum: q,
    explanation: { rule: 'C-SEL-2', vi: vi.join(' '), en: en.join(' ') },
  };
  if (winner !== undefined) result.winner = winner;
  if (decidedBy !== undefined) result.decidedBy = decidedBy;
  if (tied !== undefined) result.tied = tied;
  return result;
}

/**
 * C-SEL: whether a set of scoring criteria can be tallied: at least one, each a non-empty
 * identifier listed once with a positive integer maximum, the maxima adding up to 100 (the
 * 100-point score sheet). Formation refuses a set that fails (a business refusal naming the
 * rule), so that no sitting can reach a tally it cannot compute.
 */
export function selectionCriteriaRefusal(criteria: readonly { id: string; max: number }[] | undefined): Refusal | null {
  const no = (vi: string, en: string): Refusal => ({ code: 'CRITERIA_INVALID', rule: 'C-SEL', message: { vi: `Tiêu chí chấm điểm không hợp lệ: ${vi}`, en: `The scoring criteria are invalid: ${en}` } });
  if (!Array.isArray(criteria) || criteria.length === 0) return no('không có tiêu chí nào.', 'there are none.');
  const seen = new Set<string>();
  let total = 0;
  for (const c of criteria) {
    if (typeof c?.id !== 'string' || c.id.trim() === '') return no('tiêu chí không có mã.', 'a criterion has no identifier.');
    if (seen.has(c.id)) return no(`tiêu chí ${c.id} có hai lần.`, `criterion ${c.id} is listed twice.`);
    seen.add(c.id);
    if (!Number.isSafeInteger(c.max) || c.max <= 0) return no(`điểm tối đa của tiêu chí ${c.id} phải là số nguyên dương.`, `criterion ${c.id}: the maximum must be a positive integer.`);
    total += c.max;
  }
  return total === 100 ? null : no(`tổng điểm tối đa là ${total}, phải bằng 100.`, `the maxima add up to ${total}, not 100.`);
}

// ─── C-BUD Budget appraisal ───────────────────────────────────────────────────────────

export interface BudgetItem {
  item: string;
  year: number;
  /** Integer VND, 0 … MAX_AMOUNT_VND. */
  requested: number;
  appraised: number;
  lumpSum: boolean;
  source: 'state' | 'other';
}

/** Integer VND; `difference` = appraised − requested (negative when the group cut the request). */
export interface BudgetTotals {
  requested: number;
  appraised: number;
  difference: number;
}

export interface BudgetYearTotals extends BudgetTotals {
  year: number;
  state: BudgetTotals;
  other: BudgetTotals;
}

export interface BudgetAppraisal {
  rule: 'C-BUD';
  outcome: 'CONSENSUS' | 'REFER_TO_APPROVER';
  total: BudgetTotals;
  bySource: { state: BudgetTotals; other: BudgetTotals };
  byLumpSum: { lumpSum: BudgetTotals; nonLumpSum: BudgetTotals };
  /** Ascending by year. */
  byYear: BudgetYearTotals[];
  dissent: string[];
  explanation: TallyExplanation;
}

class Sum {
  requested = 0n;
  appraised = 0n;
  add(i: BudgetItem): void {
    this.requested += BigInt(i.requested);
    this.appraised += BigInt(i.appraised);
  }
  totals(name: string): BudgetTotals {
    for (const [k, v] of [['requested', this.requested], ['appraised', this.appraised]] as const) {
      if (v > BigInt(MAX_AMOUNT_VND)) throw new RangeError(`C-BUD: ${name} ${k} total ${v} exceeds ${MAX_AMOUNT_VND} VND`);
    }
    return { requested: Number(this.requested), appraised: Number(this.appraised), difference: Number(this.appraised - this.requested) };
  }
}

/**
 * C-BUD: totals of requested vs appraised amounts per source, per year and lump-sum vs
 * not, in integer VND (summed as BigInt; each amount and each total ≤ MAX_AMOUNT_VND,
 * 10^15, so results are exact safe integers and plain JSON). The group's conclusion is
 * CONSENSUS only when it agreed and nobody recorded a dissent (C-7); any disagreement
 * goes to the approver (REFER_TO_APPROVER). No rule-set value is involved.
 */
export function budgetAppraisal(input: { items: BudgetItem[]; consensus: boolean; dissent?: string[] }): BudgetAppraisal {
  if (!Array.isArray(input.items) || input.items.length === 0) throw new RangeError('C-BUD: the appraisal needs at least one budget item');
  if (typeof input.consensus !== 'boolean') throw new RangeError('C-BUD: consensus must be true or false');
  const dissent = (input.dissent ?? []).map((d) => {
    if (typeof d !== 'string' || d.trim() === '') throw new RangeError('C-BUD: a dissent must be a non-empty text');
    return d.trim();
  });
  const total = new Sum();
  const source = { state: new Sum(), other: new Sum() };
  const lump = { lumpSum: new Sum(), nonLumpSum: new Sum() };
  const years = new Map<number, { all: Sum; state: Sum; other: Sum }>();
  for (const i of input.items) {
    requireId('budget item', i?.item);
    if (!Number.isSafeInteger(i.year) || i.year < 1900 || i.year > 9999) throw new RangeError(`C-BUD: item ${i.item}: year must be an integer 1900–9999: ${i.year}`);
    for (const k of ['requested', 'appraised'] as const) {
      const v = i[k];
      if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0 || v > MAX_AMOUNT_VND) {
        throw new RangeError(`C-BUD: item ${i.item} (${i.year}): ${k} must be an integer number of VND in [0, ${MAX_AMOUNT_VND}]: ${v}`);
      }
    }
    if (typeof i.lumpSum !== 'boolean') throw new RangeError(`C-BUD: item ${i.item} (${i.year}): lumpSum must be true or false`);
    if (i.source !== 'state' && i.source !== 'other') throw new RangeError(`C-BUD: item ${i.item} (${i.year}): source must be 'state' or 'other'`);
    total.add(i);
    source[i.source].add(i);
    lump[i.lumpSum ? 'lumpSum' : 'nonLumpSum'].add(i);
    if (!years.has(i.year)) years.set(i.year, { all: new Sum(), state: new Sum(), other: new Sum() });
    const y = years.get(i.year)!;
    y.all.add(i);
    y[i.source].add(i);
  }
  const t = total.totals('overall');
  const bySource = { state: source.state.totals('state budget'), other: source.other.totals('other sources') };
  const byLumpSum = { lumpSum: lump.lumpSum.totals('lump-sum'), nonLumpSum: lump.nonLumpSum.totals('non-lump-sum') };
  const byYear: BudgetYearTotals[] = [...years.keys()]
    .sort((a, b) => a - b)
    .map((year) => {
      const y = years.get(year)!;
      return { year, ...y.all.totals(String(year)), state: y.state.totals(`${year} state budget`), other: y.other.totals(`${year} other sources`) };
    });
  const outcome: BudgetAppraisal['outcome'] = input.consensus && dissent.length === 0 ? 'CONSENSUS' : 'REFER_TO_APPROVER';

  const signed = (n: number) => (n > 0 ? `+${formatVnd(n)}` : n < 0 ? `−${formatVnd(-n)}` : '0');
  const lineVi = (label: string, x: BudgetTotals) =>
    `${label}: đề nghị ${formatVnd(x.requested)} đồng, thẩm định ${formatVnd(x.appraised)} đồng (chênh lệch ${signed(x.difference)} đồng)`;
  const lineEn = (label: string, x: BudgetTotals) =>
    `${label}: requested ${formatVnd(x.requested)} VND, appraised ${formatVnd(x.appraised)} VND (difference ${signed(x.difference)} VND)`;
  const vi = [
    `${lineVi('Tổng kinh phí', t)}.`,
    `${lineVi('Ngân sách nhà nước', bySource.state)}; ${lineVi('nguồn khác', bySource.other)}.`,
    `${lineVi('Phần khoán chi', byLumpSum.lumpSum)}; ${lineVi('phần không khoán chi', byLumpSum.nonLumpSum)}.`,
    `Theo năm: ${byYear.map((y) => `năm ${y.year} đề nghị ${formatVnd(y.requested)} đồng, thẩm định ${formatVnd(y.appraised)} đồng`).join('; ')}.`,
  ];
  const en = [
    `${lineEn('Total', t)}.`,
    `${lineEn('State budget', bySource.state)}; ${lineEn('other sources', bySource.other)}.`,
    `${lineEn('Lump-sum part', byLumpSum.lumpSum)}; ${lineEn('non-lump-sum part', byLumpSum.nonLumpSum)}.`,
    `By year: ${byYear.map((y) => `${y.year} requested ${formatVnd(y.requested)} VND, appraised ${formatVnd(y.appraised)} VND`).join('; ')}.`,
  ];
  if (outcome === 'CONSENSUS') {
    vi.push('Tổ thẩm định thống nhất kết quả thẩm định.');
    en.push('The appraisal group agreed on the appraisal.');
  } else {
    vi.push(
      `Tổ thẩm định không thống nhất${dissent.length ? ` (${dissent.length} ý kiến khác được ghi vào biên bản, C-7)` : ''}; ` +
        'kết quả được trình người có thẩm quyền phê duyệt quyết định.',
    );
    en.push(
      `The appraisal group did not agree${dissent.length ? ` (${dissent.length} dissent(s) recorded in the minutes, C-7)` : ''}; ` +
        'the matter goes to the approver.',
    );
  }
  return { rule: 'C-BUD', outcome, total: t, bySource, byLumpSum, byYear, dissent, explanation: { rule: 'C-BUD', vi: vi.join(' '), en: en.join(' ') } };
}

// ─── C-ACC-2 A member's overall rating ────────────────────────────────────────────────

export interface ProductRating {
  productId: string;
  quantity: Rating;
  volume: Rating;
  quality: Rating;
  /** Ordered and delivered amounts, in one integer unit; needed when quantity or volume is FAIL. */
  orderedAmount?: number;
  deliveredAmount?: number;
}

export interface MemberRatingSheet {
  products: ProductRating[];
  report: Rating;
}

export interface ShortfallCheck {
  productId: string;
  criterion: 'quantity' | 'volume';
  orderedAmount?: number;
  deliveredAmount?: number;
  /** delivered × 4 ≥ ordered × 3; false when an amount is missing. */
  meetsThreeQuarters: boolean;
}

export interface MemberAcceptanceRating {
  rule: 'C-ACC-2';
  rating: Rating;
  /** Quantity/volume criteria rated ≥ PASS, out of 2 per product. */
  quantityVolumePassing: number;
  quantityVolumeTotal: number;
  qualityFailed: string[];
  shortfalls: ShortfallCheck[];
  explanation: TallyExplanation;
}

/** C-ACC-2 thresholds are in the legal text [V]: 3/4 of the quantity/volume criteria; 3/4 of the ordered amount. */
const C_ACC_2_SHARE: Ratio = { num: 3, den: 4 };
const CRITERION_VI = { quantity: 'số lượng', volume: 'khối lượng', quality: 'chất lượng' } as const;

/**
 * C-ACC-2: one member's overall rating of an acceptance.
 * - EXCELLENT: every product criterion (quantity, volume, quality of every product) is
 *   EXCELLENT and the report is ≥ PASS.
 * - PASS: every quality criterion ≥ PASS (we read "quality and product-type criteria" as the
 *   quality criterion of each product: the sheet has no separate product-type criterion);
 *   at least 3/4 of the quantity/volume criteria (two per product) ≥ PASS; every
 *   quantity/volume criterion rated FAIL (a shortfall) still delivered ≥ 3/4 of the ordered
 *   amount (`deliveredAmount × 4 ≥ orderedAmount × 3`, integers; missing amounts do not
 *   meet it); and the report ≥ PASS.
 * - Otherwise FAIL.
 * Amounts are non-negative safe integers (express them in an integer unit), ordered > 0.
 */
export function memberAcceptanceRating(sheet: MemberRatingSheet): MemberAcceptanceRating {
  if (!sheet || !Array.isArray(sheet.products) || sheet.products.length === 0) throw new RangeError('C-ACC-2: the rating sheet needs at least one product');
  if (!RATINGS.includes(sheet.report)) throw new RangeError(`C-ACC-2: report rating must be EXCELLENT, PASS or FAIL: ${JSON.stringify(sheet.report)}`);
  const ids = new Set<string>();
  for (const p of sheet.products) {
    requireId('productId', p?.productId);
    if (ids.has(p.productId)) throw new RangeError(`C-ACC-2: product ${p.productId} is listed twice`);
    ids.add(p.productId);
    for (const k of ['quantity', 'volume', 'quality'] as const) {
      if (!RATINGS.includes(p[k])) throw new RangeError(`C-ACC-2: product ${p.productId}, ${k}: rating must be EXCELLENT, PASS or FAIL: ${JSON.stringify(p[k])}`);
    }
    if (p.orderedAmount !== undefined && (!Number.isSafeInteger(p.orderedAmount) || p.orderedAmount <= 0)) {
      throw new RangeError(`C-ACC-2: product ${p.productId}: orderedAmount must be a positive integer: ${p.orderedAmount}`);
    }
    if (p.deliveredAmount !== undefined && (!Number.isSafeInteger(p.deliveredAmount) || p.deliveredAmount < 0)) {
      throw new RangeError(`C-ACC-2: product ${p.productId}: deliveredAmount must be a non-negative integer: ${p.deliveredAmount}`);
    }
  }
  const atLeast = (r: Rating, min: Rating) => RATING_RANK[r] >= RATING_RANK[min];
  const allExcellent = sheet.products.every((p) => p.quantity === 'EXCELLENT' && p.volume === 'EXCELLENT' && p.quality === 'EXCELLENT');
  const reportOk = atLeast(sheet.report, 'PASS');
  const qualityFailed = sheet.products.filter((p) => !atLeast(p.quality, 'PASS')).map((p) => p.productId);
  const quantityVolumeTotal = sheet.products.length * 2;
  const quantityVolumePassing = sheet.products.reduce((n, p) => n + (atLeast(p.quantity, 'PASS') ? 1 : 0) + (atLeast(p.volume, 'PASS') ? 1 : 0), 0);
  const qvShareOk = meetsShare(quantityVolumePassing, quantityVolumeTotal, C_ACC_2_SHARE, false);
  const shortfalls: ShortfallCheck[] = [];
  for (const p of sheet.products) {
    for (const criterion of ['quantity', 'volume'] as const) {
      if (atLeast(p[criterion], 'PASS')) continue;
      const meets = p.orderedAmount !== undefined && p.deliveredAmount !== undefined && p.deliveredAmount * 4 >= p.orderedAmount * 3;
      const check: ShortfallCheck = { productId: p.productId, criterion, meetsThreeQuarters: meets };
      if (p.orderedAmount !== undefined) check.orderedAmount = p.orderedAmount;
      if (p.deliveredAmount !== undefined) check.deliveredAmount = p.deliveredAmount;
      shortfalls.push(check);
    }
  }
  const shortfallsOk = shortfalls.every((c) => c.meetsThreeQuarters);
  const rating: Rating =
    allExcellent && reportOk ? 'EXCELLENT' : reportOk && qualityFailed.length === 0 && qvShareOk && shortfallsOk ? 'PASS' : 'FAIL';

  const n = sheet.products.length;
  const vi: string[] = [];
  const en: string[] = [];
  if (rating === 'EXCELLENT') {
    vi.push(`Tất cả tiêu chí số lượng, khối lượng và chất lượng của ${n} sản phẩm đều Xuất sắc; báo cáo tổng hợp ${RATING_VI[sheet.report]}.`);
    en.push(`Every quantity, volume and quality criterion of the ${n} product(s) is Excellent; the final report is rated ${RATING_EN[sheet.report]}.`);
  } else {
    if (allExcellent) {
      vi.push(`Tất cả tiêu chí của ${n} sản phẩm đều Xuất sắc.`);
      en.push(`Every criterion of the ${n} product(s) is Excellent.`);
    } else {
      vi.push('Không phải mọi tiêu chí sản phẩm đều Xuất sắc.');
      en.push('Not every product criterion is Excellent.');
    }
    vi.push(
      qualityFailed.length
        ? `Tiêu chí chất lượng Không đạt ở sản phẩm ${qualityFailed.join(', ')}.`
        : 'Mọi tiêu chí chất lượng đều từ Đạt trở lên.',
    );
    en.push(qualityFailed.length ? `Quality is rated Fail for product(s) ${qualityFailed.join(', ')}.` : 'Every quality criterion is Pass or better.');
    vi.push(
      `${quantityVolumePassing}/${quantityVolumeTotal} tiêu chí số lượng/khối lượng từ Đạt trở lên; yêu cầu ${conditionVi(C_ACC_2_SHARE, false)}: ${qvShareOk ? 'đạt' : 'không đạt'}.`,
    );
    en.push(
      `${quantityVolumePassing} of ${quantityVolumeTotal} quantity/volume criteria are Pass or better; required: ${conditionEn(C_ACC_2_SHARE, false)}: ${qvShareOk ? 'met' : 'not met'}.`,
    );
    for (const c of shortfalls) {
      if (c.orderedAmount === undefined || c.deliveredAmount === undefined) {
        vi.push(`Sản phẩm ${c.productId} Không đạt về ${CRITERION_VI[c.criterion]} và không có số liệu đặt hàng/giao nộp để xác định mức thiếu hụt: coi như dưới 3/4.`);
        en.push(`Product ${c.productId} fails on ${c.criterion} and has no ordered/delivered amounts to measure the shortfall: treated as below 3/4.`);
      } else {
        vi.push(
          `Sản phẩm ${c.productId} thiếu hụt về ${CRITERION_VI[c.criterion]}: giao ${c.deliveredAmount}/${c.orderedAmount}, ${c.meetsThreeQuarters ? 'đạt' : 'dưới'} 3/4 lượng đặt hàng.`,
        );
        en.push(
          `Product ${c.productId} falls short on ${c.criterion}: ${c.deliveredAmount} of ${c.orderedAmount} delivered, ${c.meetsThreeQuarters ? 'at least' : 'below'} 3/4 of the ordered amount.`,
        );
      }
    }
    vi.push(`Báo cáo tổng hợp ${RATING_VI[sheet.report]}.`);
    en.push(`The final report is rated ${RATING_EN[sheet.report]}.`);
  }
  vi.push(`Xếp loại: ${RATING_VI[rating]}.`);
  en.push(`Rating: ${RATING_EN[rating]}.`);
  return {
    rule: 'C-ACC-2',
    rating,
    quantityVolumePassing,
    quantityVolumeTotal,
    qualityFailed,
    shortfalls,
    explanation: { rule: 'C-ACC-2', vi: vi.join(' '), en: en.join(' ') },
  };
}

// ─── C-ACC-3 Council conclusion ───────────────────────────────────────────────────────

export interface AcceptanceBallot {
  memberId: string;
  rating: Rating;
}

export interface AcceptanceConclusion {
  rule: 'C-ACC-3';
  ruleSet: RuleSetKey;
  /** NO_QUORUM: the meeting is void (C-2); nothing is decided. */
  outcome: Rating | 'NO_QUORUM';
  counts: { EXCELLENT: number; PASS: number; FAIL: number; notRated: number };
  /** Present eligible members: the denominator. */
  present: number;
  /** share(x) = members present rating ≥ x / members present (without the unrated when the rule-set excludes them). */
  shares: { EXCELLENT: Ratio; PASS: Ratio };
  thresholds: { excellentShare: Ratio; passShare: Ratio };
  ignored: IgnoredBallot[];
  quorum: QuorumResult;
  explanation: TallyExplanation;
}

/**
 * C-ACC-3: with share(x) = present eligible members rating ≥ x / present eligible members,
 * EXCELLENT if share(EXCELLENT) ≥ `rs.councils.acceptance.excellentShare` and nobody rated
 * FAIL; else PASS if share(PASS) ≥ `passShare`; else FAIL. A present member without a
 * rating is what `rs.councils.acceptance.unrated` says: in the denominator (below PASS, not a
 * FAIL vote), a FAIL, or out of the denominator. Ratings of absent, conflicted or unknown
 * members are ignored and listed.
 */
export function acceptanceConclusion(input: { sitting: Sitting; ratings: AcceptanceBallot[] }, rs: RuleSet): AcceptanceConclusion {
  const s = resolveSitting(input.sitting);
  const q = quorum(input.sitting, rs);
  const { excellentShare, passShare } = rs.councils.acceptance;
  requireRatio('rs.councils.acceptance.excellentShare', excellentShare);
  requireRatio('rs.councils.acceptance.passShare', passShare);
  const counts = { EXCELLENT: 0, PASS: 0, FAIL: 0, notRated: 0 };
  const seen = new Set<string>();
  const ignored: IgnoredBallot[] = [];
  for (const b of input.ratings) {
    requireId('rating memberId', b?.memberId);
    if (!RATINGS.includes(b.rating)) throw new RangeError(`rating of ${b.memberId} must be EXCELLENT, PASS or FAIL: ${JSON.stringify(b.rating)}`);
    if (seen.has(b.memberId)) throw new RangeError(`member ${b.memberId} gave more than one rating`);
    seen.add(b.memberId);
    const status = ballotStatus(s, b.memberId);
    if (status !== 'counted') ignored.push({ memberId: b.memberId, reason: status });
    else counts[b.rating]++;
  }
  const present = s.presentEligible.length;
  counts.notRated = present - counts.EXCELLENT - counts.PASS - counts.FAIL;
  // A present member without a rating: a rule-set choice (RS-1; the default's reasoning is in ruleset.ts).
  const unrated = rs.councils.acceptance.unrated;
  const denominator = unrated === 'excluded' ? present - counts.notRated : present;
  const fails = counts.FAIL + (unrated === 'as_fail' ? counts.notRated : 0);
  const atLeastExcellent = counts.EXCELLENT;
  const atLeastPass = counts.EXCELLENT + counts.PASS;
  const excellentMet = meetsShare(atLeastExcellent, denominator, excellentShare, false);
  const passMet = meetsShare(atLeastPass, denominator, passShare, false);
  const rating: Rating = excellentMet && fails === 0 ? 'EXCELLENT' : passMet ? 'PASS' : 'FAIL';
  const outcome: AcceptanceConclusion['outcome'] = q.ok ? rating : 'NO_QUORUM';

  const vi: string[] = [];
  const en: string[] = [];
  if (!q.ok) {
    const nq = noQuorumSentence(q);
    vi.push(nq.vi);
    en.push(nq.en);
  } else {
    const unratedVi = { in_denominator: 'vẫn tính vào số thành viên có mặt', as_fail: 'được tính như đánh giá Không đạt', excluded: 'không tính vào số thành viên có mặt' }[unrated];
    const unratedEn = { in_denominator: 'still counted among members present', as_fail: 'counted as Fail', excluded: 'not counted among members present' }[unrated];
    vi.push(
      `${present} thành viên có mặt: ${counts.EXCELLENT} Xuất sắc, ${counts.PASS} Đạt, ${counts.FAIL} Không đạt` +
        `${counts.notRated ? `, ${counts.notRated} không đánh giá (${unratedVi})` : ''}.`,
    );
    en.push(
      `${present} members present: ${counts.EXCELLENT} Excellent, ${counts.PASS} Pass, ${counts.FAIL} Fail` +
        `${counts.notRated ? `, ${counts.notRated} gave no rating (${unratedEn})` : ''}.`,
    );
    vi.push(
      `Xuất sắc: ${atLeastExcellent}/${denominator}, yêu cầu ${conditionVi(excellentShare, false)}: ${excellentMet ? 'đạt' : 'không đạt'}` +
        `${excellentMet && fails > 0 ? `, nhưng có ${fails} thành viên đánh giá Không đạt nên không xếp loại Xuất sắc` : ''}.`,
    );
    en.push(
      `Excellent: ${atLeastExcellent} of ${denominator}, required ${conditionEn(excellentShare, false)}: ${excellentMet ? 'met' : 'not met'}` +
        `${excellentMet && fails > 0 ? `, but ${fails} member(s) rated Fail, so not Excellent` : ''}.`,
    );
    if (rating !== 'EXCELLENT') {
      vi.push(`Từ Đạt trở lên: ${atLeastPass}/${denominator}, yêu cầu ${conditionVi(passShare, false)}: ${passMet ? 'đạt' : 'không đạt'}.`);
      en.push(`Pass or better: ${atLeastPass} of ${denominator}, required ${conditionEn(passShare, false)}: ${passMet ? 'met' : 'not met'}.`);
    }
    if (q.conflicted) {
      vi.push(`${q.conflicted} thành viên có xung đột lợi ích không được tính.`);
      en.push(`${q.conflicted} conflicted member(s) are not counted.`);
    }
  }
  const ig = ignoredSentence(ignored, { vi: 'phiếu đánh giá', en: 'rating form(s)' });
  if (ig) {
    vi.push(ig.vi);
    en.push(ig.en);
  }
  if (q.ok) {
    vi.push(`Kết luận: ${RATING_VI[rating]}.`);
    en.push(`Conclusion: ${RATING_EN[rating]}.`);
  }
  return {
    rule: 'C-ACC-3',
    ruleSet: ruleSetKey(rs),
    outcome,
    counts,
    present,
    shares: { EXCELLENT: { num: atLeastExcellent, den: denominator }, PASS: { num: atLeastPass, den: denominator } },
    thresholds: { excellentShare: { ...excellentShare }, passShare: { ...passShare } },
    ignored: sortIgnored(ignored),
    quorum: q,
    explanation: { rule: 'C-ACC-3', vi: vi.join(' '), en: en.join(' ') },
  };
}

// ─── C-5 Adoption of a general conclusion ─────────────────────────────────────────────

export interface AdoptionResult {
  rule: 'C-5';
  ruleSet: RuleSetKey;
  adopted: boolean;
  yes: number;
  present: number;
  share: Ratio;
  required: Ratio;
  strictlyGreater: boolean;
  explanation: TallyExplanation;
}

/** C-5: a general conclusion is adopted by more than 3/4 of members present (rule-set: `rs.councils.adoption`). */
export function adoption(yes: number, present: number, rs: RuleSet): AdoptionResult {
  requireCount('yes', yes);
  requireCount('present', present);
  if (yes > present) throw new RangeError(`yes (${yes}) exceeds members present (${present})`);
  const { share: required, strictlyGreater } = rs.councils.adoption;
  requireRatio('rs.councils.adoption.share', required);
  const adopted = meetsShare(yes, present, required, strictlyGreater);
  return {
    rule: 'C-5',
    ruleSet: ruleSetKey(rs),
    adopted,
    yes,
    present,
    share: { num: yes, den: present },
    required: { ...required },
    strictlyGreater,
    explanation: {
      rule: 'C-5',
      vi:
        `${yes}/${present} thành viên có mặt tán thành; yêu cầu ${conditionVi(required, strictlyGreater)} số thành viên có mặt: ${adopted ? 'đạt' : 'không đạt'}. ` +
        `Kết luận ${adopted ? 'được' : 'không được'} thông qua.`,
      en:
        `${yes} of ${present} members present agreed; required: ${conditionEn(required, strictlyGreater)} of members present: ${adopted ? 'met' : 'not met'}. ` +
        `The conclusion is ${adopted ? 'adopted' : 'not adopted'}.`,
    },
  };
}

// ─── C-1 Council composition ──────────────────────────────────────────────────────────

const COUNCIL_NAME: Record<CouncilType, { vi: string; en: string }> = {
  'C-ID': { vi: 'Hội đồng tư vấn xác định nhiệm vụ', en: 'The identification council' },
  'C-SEL': { vi: 'Hội đồng tư vấn tuyển chọn, giao trực tiếp', en: 'The selection council' },
  'C-BUD': { vi: 'Tổ thẩm định kinh phí', en: 'The budget appraisal group' },
  'C-ACC': { vi: 'Hội đồng đánh giá nghiệm thu', en: 'The acceptance council' },
};

/**
 * C-1 and the §3 table: null when the council's composition is allowed, otherwise the first
 * reason (in this order): a member listed twice, size outside the rule-set's min–max for the
 * kind and the task's level (`rs.councils.composition`; C-ACC at grassroots level is N-4),
 * not exactly one chair (the head of the C-BUD group), a vice-chair missing where the kind
 * requires one (C-SEL, C-ACC) or more than one, and for every council formed as a sitting
 * (C-ID, C-SEL, C-ACC) a number of reviewers other than the rule-set's (2 by default, 1–2).
 */
export function councilSizeRefusal(type: CouncilType, members: CouncilMember[], rs: RuleSet, level: RuleSetLevel = 'provincial'): Refusal | null {
  if (!(type in COUNCIL_NAME)) throw new RangeError(`unknown council type: ${JSON.stringify(type)}`);
  if (!Array.isArray(members)) throw new RangeError('members must be a list');
  for (const m of members) {
    requireId('memberId', m?.memberId);
    if (!ROLES.includes(m.role)) throw new RangeError(`member ${m.memberId} has an unknown role: ${JSON.stringify(m.role)}`);
  }
  const composition = type === 'C-BUD' ? undefined : rs.councils.composition[type];
  const reviewersRequired = composition?.reviewers;
  if (reviewersRequired !== undefined && (!Number.isSafeInteger(reviewersRequired) || reviewersRequired < 1 || reviewersRequired > 2)) {
    throw new RangeError(`rs.councils.composition['${type}'].reviewers must be 1 or 2 (C-1): ${reviewersRequired}`);
  }
  const name = COUNCIL_NAME[type];
  const sizeRule = type === 'C-ACC' && level === 'grassroots' ? 'N-4' : type;
  const limits = composition ? composition.sizes[level] : rs.councils.budget;
  if (!limits) throw new RangeError(`no council size for ${type} at level ${JSON.stringify(level)}`);
  const refuse = (code: string, rule: string, vi: string, en: string): Refusal => ({ code, rule, message: { vi, en } });

  const ids = new Set<string>();
  for (const m of members) {
    if (ids.has(m.memberId)) {
      return refuse('DUPLICATE_MEMBER', 'C-1', `${name.vi}: thành viên ${m.name} (${m.memberId}) có tên hai lần.`, `${name.en}: member ${m.name} (${m.memberId}) is listed twice.`);
    }
    ids.add(m.memberId);
  }
  const n = members.length;
  const range =
    limits.minMembers === limits.maxMembers
      ? { vi: `${limits.minMembers} thành viên`, en: `${limits.minMembers} members` }
      : { vi: `từ ${limits.minMembers} đến ${limits.maxMembers} thành viên`, en: `${limits.minMembers} to ${limits.maxMembers} members` };
  const atLevel = type === 'C-BUD' ? { vi: '', en: '' } : { vi: ` (nhiệm vụ ${LEVEL_VI[level]})`, en: ` (a ${level} task)` };
  if (n < limits.minMembers) {
    return refuse('COUNCIL_TOO_SMALL', sizeRule, `${name.vi}${atLevel.vi} phải có ${range.vi}; danh sách có ${n}.`, `${name.en}${atLevel.en} must have ${range.en}; the list has ${n}.`);
  }
  if (n > limits.maxMembers) {
    return refuse('COUNCIL_TOO_LARGE', sizeRule, `${name.vi}${atLevel.vi} phải có ${range.vi}; danh sách có ${n}.`, `${name.en}${atLevel.en} must have ${range.en}; the list has ${n}.`);
  }
  const count = (role: MemberRole) => members.filter((m) => m.role === role).length;
  const chairs = count('chair');
  if (chairs !== 1) {
    const head = type === 'C-BUD' ? { vi: 'tổ trưởng', en: 'head' } : { vi: 'chủ tịch', en: 'chair' };
    return refuse('CHAIR_COUNT', 'C-1', `${name.vi} phải có đúng một ${head.vi}; danh sách có ${chairs}.`, `${name.en} must have exactly one ${head.en}; the list has ${chairs}.`);
  }
  const vice = count('vice_chair');
  const title = type === 'C-BUD' ? { vi: 'tổ phó', en: 'deputy head' } : { vi: 'phó chủ tịch', en: 'vice-chair' };
  if (vice > 1) {
    return refuse('VICE_CHAIR_COUNT', 'C-1', `${name.vi} có nhiều nhất một ${title.vi}; danh sách có ${vice}.`, `${name.en} has at most one ${title.en}; the list has ${vice}.`);
  }
  if (vice === 0 && composition?.viceChair === 'required') {
    return refuse('VICE_CHAIR_COUNT', 'C-1', `${name.vi} phải có một ${title.vi}; danh sách không có.`, `${name.en} must have a ${title.en}; the list has none.`);
  }
  if (reviewersRequired !== undefined) {
    const reviewers = count('reviewer');
    if (reviewers !== reviewersRequired) {
      return refuse(
        'REVIEWER_COUNT',
        'C-1',
        `${name.vi} phải có ${reviewersRequired} ủy viên phản biện; danh sách có ${reviewers}.`,
        `${name.en} must have ${reviewersRequired} reviewer(s); the list has ${reviewers}.`,
      );
    }
  }
  return null;
}

const LEVEL_VI: Record<RuleSetLevel, string> = { national: 'cấp quốc gia', ministerial: 'cấp bộ', provincial: 'cấp tỉnh', grassroots: 'cấp cơ sở' };
