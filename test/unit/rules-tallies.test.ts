import { ruleSetFor, type RuleSet } from '../../workflows/rules/ruleset';
import {
  acceptanceConclusion,
  adoption,
  budgetAppraisal,
  councilSizeRefusal,
  identificationTally,
  memberAcceptanceRating,
  quorum,
  selectionCriteriaRefusal,
  selectionTally,
  type AcceptanceBallot,
  type BudgetItem,
  type CouncilMember,
  type IdentificationBallot,
  type MemberRole,
  type ProductRating,
  type Rating,
  type ScoreSheet,
  type Sitting,
} from '../../workflows/rules/tallies';

const legacy: RuleSet = ruleSetFor({ regime: 'LEGACY_2013', provinceProfile: 'default', version: '2026.1' });
const tayNinh: RuleSet = ruleSetFor({ regime: 'LEGACY_2013', provinceProfile: 'tay-ninh', version: '2026.1' });

/**
 * A council of n: m1 chair, m2 vice-chair, m3 and m4 reviewers, m5 scientific secretary,
 * the rest plain members (m6 … mn).
 */
function council(n: number): CouncilMember[] {
  const roles: MemberRole[] = ['chair', 'vice_chair', 'reviewer', 'reviewer', 'scientific_secretary'];
  return Array.from({ length: n }, (_, i) => ({ memberId: `m${i + 1}`, name: `Thành viên ${i + 1}`, role: roles[i] ?? 'member' }));
}

function sitting(n: number, opts: { absent?: string[]; conflicted?: string[]; auth?: boolean } = {}): Sitting {
  const members = council(n);
  const absent = new Set(opts.absent ?? []);
  const s: Sitting = { members, present: members.map((m) => m.memberId).filter((id) => !absent.has(id)), conflicted: opts.conflicted ?? [] };
  if (opts.auth !== undefined) s.chairAuthorisedViceChair = opts.auth;
  return s;
}

/** Ballots of the given voters: the first `yes` vote yes, the rest no. */
const ballots = (voters: string[], yes: number): IdentificationBallot[] => voters.map((memberId, i) => ({ memberId, yes: i < yes }));
const ids = (...n: number[]) => n.map((i) => `m${i}`);
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `m${from + i}`);

/** Seeded PRNG (mulberry32), so the property tests are reproducible. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
function shuffled<T>(xs: T[], rnd: () => number): T[] {
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

// ─── C-2 ────────────────────────────────────────────────────────────────────────────

describe('C-2 quorum', () => {
  test('C-2: exactly 2/3 present (6 of 9) with chair and both reviewers → quorum', () => {
    const q = quorum(sitting(9, { absent: ids(7, 8, 9) }), legacy);
    expect(q).toMatchObject({ ok: true, eligible: 9, present: 6, required: { num: 2, den: 3 }, requiredCount: 6, missing: [], presiding: 'chair' });
    expect(q.explanation.rule).toBe('C-2');
    expect(q.explanation.vi).toContain('Có mặt 6/9 thành viên; yêu cầu từ 2/3 trở lên (tối thiểu 6 người): đạt.');
    expect(q.explanation.vi).toContain('Hội đồng đủ điều kiện họp.');
    expect(q.explanation.en).toContain('The council has a quorum.');
  });

  test('C-2: 5 of 9 present is under 2/3 → no quorum', () => {
    const q = quorum(sitting(9, { absent: ids(6, 7, 8, 9) }), legacy);
    expect(q).toMatchObject({ ok: false, present: 5, requiredCount: 6, missing: [] });
    expect(q.explanation.vi).toContain('phiên họp không có giá trị, phải hoãn và tổ chức lại');
  });

  test('C-2: 7 members: 5 present meets 2/3, 4 does not', () => {
    expect(quorum(sitting(7, { absent: ids(6, 7) }), legacy)).toMatchObject({ ok: true, present: 5, requiredCount: 5 });
    expect(quorum(sitting(7, { absent: ids(5, 6, 7) }), legacy)).toMatchObject({ ok: false, present: 4 });
  });

  test('C-2: the chair missing → no quorum even with 8 of 9 present', () => {
    const q = quorum(sitting(9, { absent: ids(1) }), legacy);
    expect(q).toMatchObject({ ok: false, present: 8, missing: ['chair'], missingMemberIds: ['m1'], presiding: 'none' });
    expect(q.explanation.vi).toContain('Vắng chủ tịch hội đồng');
  });

  test('C-2: chair absent, vice-chair authorised and present → quorum, the vice-chair presides', () => {
    const q = quorum(sitting(9, { absent: ids(1), auth: true }), legacy);
    expect(q).toMatchObject({ ok: true, missing: [], presiding: 'vice_chair' });
    expect(q.explanation.vi).toContain('phó chủ tịch được chủ tịch ủy quyền có mặt và chủ trì');
    // Authorised but absent too: nobody presides.
    expect(quorum(sitting(9, { absent: ids(1, 2), auth: true }), legacy)).toMatchObject({ ok: false, missing: ['chair'] });
    // Present but not authorised: the chair is missing.
    expect(quorum(sitting(9, { absent: ids(1), auth: false }), legacy)).toMatchObject({ ok: false, missing: ['chair'] });
  });

  test('C-2: a reviewer missing → no quorum, named in the explanation', () => {
    const q = quorum(sitting(9, { absent: ids(4) }), legacy);
    expect(q).toMatchObject({ ok: false, missing: ['reviewer'], missingMemberIds: ['m4'] });
    expect(q.explanation.vi).toContain('Vắng ủy viên phản biện: Thành viên 4.');
    expect(quorum(sitting(9, { absent: ids(1, 3, 4) }), legacy)).toMatchObject({ missing: ['chair', 'reviewer', 'reviewer'], missingMemberIds: ['m1', 'm3', 'm4'] });
  });

  test('C-2 / C-6: a conflicted reviewer is not required and leaves the denominator', () => {
    const q = quorum(sitting(9, { absent: ids(3, 8, 9), conflicted: ids(3) }), legacy);
    expect(q).toMatchObject({ ok: true, eligible: 8, present: 6, conflicted: 1, missing: [] });
    expect(q.explanation.vi).toContain('1 thành viên có xung đột lợi ích được loại khỏi nội dung này');
  });

  test('C-2 / C-6: one member conflicted shrinks the denominator (6 of 8 meets 2/3; 5 of 8 does not)', () => {
    // m9 is conflicted yet present: still not counted.
    expect(quorum(sitting(9, { absent: ids(7, 8), conflicted: ids(9) }), legacy)).toMatchObject({ ok: true, eligible: 8, present: 6 });
    expect(quorum(sitting(9, { absent: ids(6, 7, 8), conflicted: ids(9) }), legacy)).toMatchObject({ ok: false, eligible: 8, present: 5, requiredCount: 6 });
  });

  test('C-2 / C-6: a conflicted chair cannot preside; an authorised vice-chair can', () => {
    const q = quorum(sitting(9, { conflicted: ids(1) }), legacy);
    expect(q).toMatchObject({ ok: false, missing: ['chair'] });
    expect(q.explanation.vi).toContain('Chủ tịch hội đồng có xung đột lợi ích với nội dung này');
    expect(quorum(sitting(9, { conflicted: ids(1), auth: true }), legacy)).toMatchObject({ ok: true, presiding: 'vice_chair' });
  });

  test('C-2: attendance naming a non-member or a member listed twice is refused', () => {
    const s = sitting(7);
    expect(() => quorum({ ...s, present: [...s.present, 'x'] }, legacy)).toThrow(RangeError);
    expect(() => quorum({ ...s, conflicted: ['x'] }, legacy)).toThrow(RangeError);
    expect(() => quorum({ ...s, members: [...s.members, s.members[0]] }, legacy)).toThrow(/listed twice/);
  });
});

// ─── C-ID ───────────────────────────────────────────────────────────────────────────

describe('C-ID identification', () => {
  const eightOfNine = () => sitting(9, { absent: ids(9) });

  test('C-ID: 6 of 8 yes is exactly 3/4, NOT more than 3/4 → not recommended', () => {
    const t = identificationTally({ sitting: eightOfNine(), ballots: ballots(range(1, 8), 6) }, legacy);
    expect(t).toMatchObject({ rule: 'C-ID', outcome: 'NOT_RECOMMENDED', yes: 6, no: 2, notVoted: 0, present: 8, share: { num: 6, den: 8 } });
    expect(t.threshold).toEqual({ share: { num: 3, den: 4 }, strictlyGreater: true });
    expect(t.ruleSet).toEqual({ regime: 'LEGACY_2013', provinceProfile: 'default', version: '2026.1' });
    expect(t.explanation.vi).toContain('6/8 thành viên có mặt bỏ phiếu đồng ý (2 không đồng ý); yêu cầu lớn hơn 3/4 số thành viên có mặt: không đạt.');
    expect(t.explanation.vi).toContain('Kết luận: hội đồng không kiến nghị đặt hàng nhiệm vụ.');
    expect(t.explanation.en).toContain('required: more than 3/4 of members present: not met');
  });

  test('C-ID: 7 of 8 yes is more than 3/4 → recommended', () => {
    const t = identificationTally({ sitting: eightOfNine(), ballots: ballots(range(1, 8), 7) }, legacy);
    expect(t).toMatchObject({ outcome: 'RECOMMENDED', yes: 7, no: 1, present: 8 });
    expect(t.explanation.vi).toContain('Kết luận: hội đồng kiến nghị đặt hàng nhiệm vụ.');
  });

  test('C-ID: 9 members all present: 7/9 recommended, 6/9 not', () => {
    expect(identificationTally({ sitting: sitting(9), ballots: ballots(range(1, 9), 7) }, legacy).outcome).toBe('RECOMMENDED');
    expect(identificationTally({ sitting: sitting(9), ballots: ballots(range(1, 9), 6) }, legacy).outcome).toBe('NOT_RECOMMENDED');
  });

  test('C-ID: 7 members all present: 6/7 recommended, 5/7 not', () => {
    expect(identificationTally({ sitting: sitting(7), ballots: ballots(range(1, 7), 6) }, legacy).outcome).toBe('RECOMMENDED');
    expect(identificationTally({ sitting: sitting(7), ballots: ballots(range(1, 7), 5) }, legacy).outcome).toBe('NOT_RECOMMENDED');
  });

  test('C-ID ≥ 2/3 variant (Tây Ninh rule-set): 6/9 recommended, 5/9 not', () => {
    const six = identificationTally({ sitting: sitting(9), ballots: ballots(range(1, 9), 6) }, tayNinh);
    expect(six).toMatchObject({ outcome: 'RECOMMENDED', threshold: { share: { num: 2, den: 3 }, strictlyGreater: false } });
    expect(six.explanation.vi).toContain('yêu cầu từ 2/3 trở lên số thành viên có mặt: đạt');
    expect(identificationTally({ sitting: sitting(9), ballots: ballots(range(1, 9), 5) }, tayNinh).outcome).toBe('NOT_RECOMMENDED');
  });

  test('C-ID: the threshold is the rule-set\'s only (no variant in code, RS-1)', () => {
    // The same ballots, two rule-sets: > 3/4 (default) refuses 6/9, the Tây Ninh ≥ 2/3 accepts it.
    expect(identificationTally({ sitting: sitting(9), ballots: ballots(range(1, 9), 6) }, legacy).outcome).toBe('NOT_RECOMMENDED');
    expect(identificationTally({ sitting: sitting(9), ballots: ballots(range(1, 9), 6) }, tayNinh).outcome).toBe('RECOMMENDED');
    // A rule-set with another variant is obeyed as written.
    const half: RuleSet = { ...legacy, councils: { ...legacy.councils, identification: { recommendShare: { num: 1, den: 2 }, strictlyGreater: false } } };
    expect(identificationTally({ sitting: sitting(8), ballots: ballots(range(1, 8), 4) }, half)).toMatchObject({ outcome: 'RECOMMENDED', threshold: { share: { num: 1, den: 2 }, strictlyGreater: false } });
  });

  test('C-ID / C-6: one member conflicted: denominator shrinks to 8 and their ballot is ignored', () => {
    const s = sitting(9, { conflicted: ids(9) });
    const yes7 = identificationTally({ sitting: s, ballots: [...ballots(range(1, 8), 7), { memberId: 'm9', yes: false }] }, legacy);
    expect(yes7).toMatchObject({ outcome: 'RECOMMENDED', yes: 7, present: 8, share: { num: 7, den: 8 }, ignored: [{ memberId: 'm9', reason: 'conflicted' }] });
    expect(yes7.explanation.vi).toContain('Không tính 1 phiếu của thành viên có xung đột lợi ích.');
    // The conflicted member's yes would have made it 7/9 > 3/4; it does not count: 6/8.
    const yes6 = identificationTally({ sitting: s, ballots: [...ballots(range(1, 8), 6), { memberId: 'm9', yes: true }] }, legacy);
    expect(yes6).toMatchObject({ outcome: 'NOT_RECOMMENDED', yes: 6, present: 8 });
  });

  test('C-ID / C-3: an absent member’s ballot is ignored', () => {
    const t = identificationTally({ sitting: eightOfNine(), ballots: [...ballots(range(1, 8), 6), { memberId: 'm9', yes: true }] }, legacy);
    expect(t).toMatchObject({ outcome: 'NOT_RECOMMENDED', yes: 6, present: 8, ignored: [{ memberId: 'm9', reason: 'absent' }] });
    expect(t.explanation.vi).toContain('Không tính 1 phiếu của thành viên vắng mặt.');
  });

  test('C-ID: a ballot from someone outside the council is ignored and reported', () => {
    const t = identificationTally({ sitting: sitting(7), ballots: [...ballots(range(1, 7), 6), { memberId: 'x', yes: true }] }, legacy);
    expect(t.ignored).toEqual([{ memberId: 'x', reason: 'not_a_member' }]);
    expect(t.yes).toBe(6);
  });

  test('C-ID: a present member without a ballot counts as not-yes', () => {
    const t = identificationTally({ sitting: eightOfNine(), ballots: ballots(range(1, 7), 6) }, legacy);
    expect(t).toMatchObject({ outcome: 'NOT_RECOMMENDED', yes: 6, no: 1, notVoted: 1, present: 8 });
    expect(t.explanation.vi).toContain('Thành viên có mặt không bỏ phiếu được tính là không đồng ý.');
  });

  test('C-ID / C-2: without quorum nothing is recommended', () => {
    const t = identificationTally({ sitting: sitting(9, { absent: ids(3) }), ballots: ballots(ids(1, 2, 4, 5, 6, 7, 8, 9), 8) }, legacy);
    expect(t.outcome).toBe('NO_QUORUM');
    expect(t.quorum.missing).toEqual(['reviewer']);
    expect(t.explanation.vi).toContain('Không kiểm phiếu: hội đồng không đủ điều kiện họp.');
  });

  test('C-ID: two ballots from one member are refused', () => {
    expect(() => identificationTally({ sitting: sitting(7), ballots: [{ memberId: 'm1', yes: true }, { memberId: 'm1', yes: false }] }, legacy)).toThrow(/more than one ballot/);
  });
});

// ─── C-5 ────────────────────────────────────────────────────────────────────────────

describe('C-5 adoption', () => {
  test('C-5: 6 of 8 (exactly 3/4) is not adopted; 7 of 8 is', () => {
    expect(adoption(6, 8, legacy)).toMatchObject({ adopted: false, share: { num: 6, den: 8 }, required: { num: 3, den: 4 }, strictlyGreater: true });
    const a = adoption(7, 8, legacy);
    expect(a.adopted).toBe(true);
    expect(a.explanation.vi).toBe('7/8 thành viên có mặt tán thành; yêu cầu lớn hơn 3/4 số thành viên có mặt: đạt. Kết luận được thông qua.');
  });

  test('C-5: a ≥ 2/3 province adopts 6 of 9; bad counts are refused', () => {
    const twoThirds: RuleSet = { ...legacy, councils: { ...legacy.councils, adoption: { share: { num: 2, den: 3 }, strictlyGreater: false } } };
    expect(adoption(6, 9, twoThirds).adopted).toBe(true);
    expect(adoption(5, 9, twoThirds).adopted).toBe(false);
    expect(adoption(0, 0, legacy).adopted).toBe(false);
    expect(() => adoption(9, 8, legacy)).toThrow(RangeError);
    expect(() => adoption(1.5, 8, legacy)).toThrow(RangeError);
  });
});

// ─── C-SEL-2 ────────────────────────────────────────────────────────────────────────

describe('C-SEL-2 selection', () => {
  // 100 points: rationale 10, content 25, products 25, applicability 15, capacity 15, budget 10.
  const criteria = [
    { id: 'rationale', max: 10 },
    { id: 'content', max: 25 },
    { id: 'products', max: 25 },
    { id: 'applicability', max: 15 },
    { id: 'capacity', max: 15 },
    { id: 'budget', max: 10 },
  ];
  const keys = criteria.map((c) => c.id);
  const sheet = (memberId: string, dossierId: string, points: number[]): ScoreSheet => ({
    memberId,
    dossierId,
    scores: Object.fromEntries(keys.map((k, i) => [k, points[i]])),
  });
  const S70 = [7, 17.5, 17.5, 10.5, 10.5, 7]; // 70
  const S65_5 = [7, 17.5, 17.5, 10.5, 10.5, 2.5]; // 65.5
  const S80 = [8, 20, 20, 12, 12, 8]; // 80
  const S85 = [8, 22, 22, 12.5, 12.5, 8]; // 85
  const S90_NO_BUDGET = [10, 25, 25, 15, 15, 0]; // 100 − budget = 90
  const S100 = [10, 25, 25, 15, 15, 10];
  const all = (members: string[], dossierId: string, points: number[]) => members.map((m) => sheet(m, dossierId, points));

  test('C-SEL-2: an average of exactly 70 qualifies', () => {
    const t = selectionTally({ sitting: sitting(9), criteria, dossiers: ['D1'], scores: all(range(1, 9), 'D1', S70) }, legacy);
    expect(t.rows[0]).toMatchObject({ dossierId: 'D1', average: { sum: 630, count: 9, display: '70,00', displayEn: '70.00' }, qualifies: true, reasonCodes: ['QUALIFIES'] });
    expect(t).toMatchObject({ rule: 'C-SEL-2', outcome: 'SELECTED', winner: 'D1', decidedBy: 'average', present: 9, passAverage: 70 });
    expect(t.rows[0].reason.vi).toContain('Điểm trung bình 70,00 (9 thành viên chấm), đạt mức 70 điểm.');
    expect(t.explanation.vi).toContain('Kết luận: hồ sơ D1 được tuyển chọn.');
  });

  test('C-SEL-2 denominators (rule-set): the average over the sheets handed in by default, or over every member present; the one-third-zero rule over members present by default', () => {
    expect(legacy.councils.selection).toMatchObject({ averageOver: 'members_who_scored', zeroShareOver: 'members_present' });
    // 9 present, 7 scored 80: by default the average is 80 (7 sheets) and qualifies.
    const scores = all(range(1, 7), 'D1', S80);
    const byDefault = selectionTally({ sitting: sitting(9), criteria, dossiers: ['D1'], scores }, legacy);
    expect(byDefault.rows[0]).toMatchObject({ average: { sum: 560, count: 7 }, qualifies: true });
    // Over every member present, the two missing sheets count 0: 560/9 = 62.2 → below 70.
    const overPresent: RuleSet = { ...legacy, councils: { ...legacy.councils, selection: { ...legacy.councils.selection, averageOver: 'members_present' } } };
    const strict = selectionTally({ sitting: sitting(9), criteria, dossiers: ['D1'], scores }, overPresent);
    expect(strict.rows[0]).toMatchObject({ average: { sum: 560, count: 9, display: '62,22' }, qualifies: false, reasonCodes: ['BELOW_PASS_AVERAGE'] });
    expect(strict.rows[0]!.reason.en).toContain('2 present member(s) without a sheet count as 0');
    // Zeros: 3 of 9 present gave budget 0 (exactly 1/3: qualifies), but that is 3 of 6 who scored (more than 1/3).
    const zeros = [...all(range(1, 3), 'D1', S90_NO_BUDGET), ...all(range(4, 6), 'D1', S100)];
    expect(selectionTally({ sitting: sitting(9), criteria, dossiers: ['D1'], scores: zeros }, legacy).rows[0]).toMatchObject({ qualifies: true });
    const zeroOverScored: RuleSet = { ...legacy, councils: { ...legacy.councils, selection: { ...legacy.councils.selection, zeroShareOver: 'members_who_scored' } } };
    const z = selectionTally({ sitting: sitting(9), criteria, dossiers: ['D1'], scores: zeros }, zeroOverScored);
    expect(z.rows[0]).toMatchObject({ qualifies: false, reasonCodes: ['TOO_MANY_ZERO_SCORES'] });
    expect(z.rows[0]!.reason.en).toContain('got 0 from 3 of 6 members who scored');
  });

  test('C-SEL: criteria that cannot be tallied are a refusal naming the rule (selectionCriteriaRefusal), never a crash later', () => {
    expect(selectionCriteriaRefusal(criteria)).toBeNull();
    expect(selectionCriteriaRefusal([])).toMatchObject({ code: 'CRITERIA_INVALID', rule: 'C-SEL' });
    expect(selectionCriteriaRefusal(undefined)).toMatchObject({ code: 'CRITERIA_INVALID' });
    const ninety = selectionCriteriaRefusal([{ id: 'a', max: 60 }, { id: 'b', max: 30 }]);
    expect(ninety!.message).toEqual({ vi: 'Tiêu chí chấm điểm không hợp lệ: tổng điểm tối đa là 90, phải bằng 100.', en: 'The scoring criteria are invalid: the maxima add up to 90, not 100.' });
    expect(selectionCriteriaRefusal([{ id: 'a', max: 50 }, { id: 'a', max: 50 }])!.message.en).toContain('listed twice');
    expect(selectionCriteriaRefusal([{ id: 'a', max: 50.5 }, { id: 'b', max: 49.5 }])!.message.en).toContain('positive integer');
    // Every form's sheet in every shipped rule-set adds up to 100 (C-SEL weights live in the rule-set).
    for (const rs of [legacy, tayNinh]) for (const [form, cs] of Object.entries(rs.councils.selectionCriteria)) expect([form, selectionCriteriaRefusal(cs)]).toEqual([form, null]);
  });

  test('C-SEL-2: an average of 69.5 does not qualify → no qualified applicant', () => {
    const scores = [...all(range(1, 8), 'D1', S70), sheet('m9', 'D1', S65_5)];
    const t = selectionTally({ sitting: sitting(9), criteria, dossiers: ['D1'], scores }, legacy);
    expect(t.rows[0]).toMatchObject({ average: { sum: 625.5, count: 9, display: '69,50' }, qualifies: false, reasonCodes: ['BELOW_PASS_AVERAGE'] });
    expect(t.outcome).toBe('NO_QUALIFIED_APPLICANT');
    expect(t.winner).toBeUndefined();
    expect(t.explanation.vi).toContain('Không có hồ sơ nào đạt yêu cầu');
    expect(t.explanation.en).toContain('No dossier qualifies');
  });

  test('C-SEL-2: averages are exact rationals, displayed truncated (70.1666… → "70,16"; 69.8333… → "69,83", not qualifying)', () => {
    const up = selectionTally({ sitting: sitting(7), criteria, dossiers: ['D1'], scores: [sheet('m1', 'D1', S70), sheet('m2', 'D1', S70), sheet('m3', 'D1', [7, 17.5, 17.5, 10.5, 10.5, 7.5])] }, legacy);
    expect(up.rows[0]).toMatchObject({ average: { sum: 210.5, count: 3, display: '70,16' }, qualifies: true });
    const down = selectionTally({ sitting: sitting(7), criteria, dossiers: ['D1'], scores: [sheet('m1', 'D1', S70), sheet('m2', 'D1', S70), sheet('m3', 'D1', [7, 17.5, 17.5, 10.5, 10.5, 6.5])] }, legacy);
    expect(down.rows[0]).toMatchObject({ average: { sum: 209.5, count: 3, display: '69,83' }, qualifies: false });
  });

  test('C-SEL-2: 82.5 average displays "82,50"', () => {
    const scores = [...all(range(1, 4), 'D1', S80), ...all(range(5, 8), 'D1', S85)];
    const t = selectionTally({ sitting: sitting(8), criteria, dossiers: ['D1'], scores }, legacy);
    expect(t.rows[0].average).toEqual({ sum: 660, count: 8, display: '82,50', displayEn: '82.50' });
  });

  test('C-SEL-2: one-third-zero rule with 9 present: 3 zeros on a criterion still qualifies, 4 disqualify', () => {
    const three = selectionTally({ sitting: sitting(9), criteria, dossiers: ['D1'], scores: [...all(range(1, 3), 'D1', S90_NO_BUDGET), ...all(range(4, 9), 'D1', S100)] }, legacy);
    expect(three.rows[0]).toMatchObject({ qualifies: true, zeroCounts: { budget: 3, rationale: 0 } });
    const four = selectionTally({ sitting: sitting(9), criteria, dossiers: ['D1'], scores: [...all(range(1, 4), 'D1', S90_NO_BUDGET), ...all(range(5, 9), 'D1', S100)] }, legacy);
    expect(four.rows[0]).toMatchObject({ qualifies: false, reasonCodes: ['TOO_MANY_ZERO_SCORES'], zeroCounts: { budget: 4 } });
    expect(four.rows[0].reason.vi).toContain('Tiêu chí "Dự toán kinh phí" bị 4/9 thành viên có mặt cho 0 điểm, quá 1/3 số thành viên có mặt.');
    expect(four.outcome).toBe('NO_QUALIFIED_APPLICANT');
  });

  test('C-SEL-2: one-third-zero rule with 7 present: 2 zeros qualify, 3 do not', () => {
    const s = sitting(9, { absent: ids(8, 9) });
    const two = selectionTally({ sitting: s, criteria, dossiers: ['D1'], scores: [...all(range(1, 2), 'D1', S90_NO_BUDGET), ...all(range(3, 7), 'D1', S100)] }, legacy);
    expect(two).toMatchObject({ present: 7, outcome: 'SELECTED' });
    const three = selectionTally({ sitting: s, criteria, dossiers: ['D1'], scores: [...all(range(1, 3), 'D1', S90_NO_BUDGET), ...all(range(4, 7), 'D1', S100)] }, legacy);
    expect(three.rows[0]).toMatchObject({ qualifies: false, zeroCounts: { budget: 3 } });
  });

  test('C-SEL-2: the highest qualifying average wins; a higher but disqualified dossier does not', () => {
    const scores = [
      ...all(range(1, 9), 'D1', S80),
      ...all(range(1, 4), 'D2', S90_NO_BUDGET), // 4 of 9 zeros on budget
      ...all(range(5, 9), 'D2', S100),
      ...all(range(1, 9), 'D3', S85),
    ];
    const t = selectionTally({ sitting: sitting(9), criteria, dossiers: ['D1', 'D2', 'D3'], scores }, legacy);
    expect(t.rows.map((r) => r.qualifies)).toEqual([true, false, true]);
    expect(t).toMatchObject({ outcome: 'SELECTED', winner: 'D3', decidedBy: 'average' });
    expect(t.explanation.vi).toContain('Hồ sơ D3 có điểm trung bình cao nhất trong các hồ sơ đạt yêu cầu (85,00).');
  });

  test('C-SEL-2: a tie on average is broken by the products/content score', () => {
    const moreProducts = [8, 20, 22, 11, 11, 8]; // 80
    const lessProducts = [8, 22, 20, 11, 11, 8]; // 80
    const t = selectionTally(
      { sitting: sitting(7), criteria, dossiers: ['D1', 'D2'], scores: [...all(range(1, 7), 'D1', lessProducts), ...all(range(1, 7), 'D2', moreProducts)], productsCriterionIds: ['products'] },
      legacy,
    );
    expect(t).toMatchObject({ outcome: 'SELECTED', winner: 'D2', decidedBy: 'products' });
    expect(t.rows[1].productsAverage).toMatchObject({ sum: 154, count: 7, display: '22,00' });
    expect(t.explanation.vi).toContain('Các hồ sơ D1 và D2 cùng có điểm trung bình cao nhất (80,00).');
    expect(t.explanation.vi).toContain('Hồ sơ D2 có điểm sản phẩm/nội dung cao hơn (22,00; D1: 20,00).');
  });

  test('C-SEL-2: tied on average and products → the chair decides', () => {
    const input = { sitting: sitting(7), criteria, dossiers: ['D1', 'D2'], scores: [...all(range(1, 7), 'D1', S80), ...all(range(1, 7), 'D2', S80)], productsCriterionIds: ['content', 'products'] };
    const t = selectionTally({ ...input, chairTieBreak: 'D2' }, legacy);
    expect(t).toMatchObject({ outcome: 'SELECTED', winner: 'D2', decidedBy: 'chair', tied: ['D1', 'D2'] });
    expect(t.explanation.vi).toContain('Chủ tịch hội đồng quyết định chọn hồ sơ D2.');
  });

  test('C-SEL-2: a tie without the chair’s decision → TIE_NEEDS_CHAIR', () => {
    const scores = [...all(range(1, 7), 'D1', S80), ...all(range(1, 7), 'D2', S80), ...all(range(1, 7), 'D3', S70)];
    const t = selectionTally({ sitting: sitting(7), criteria, dossiers: ['D1', 'D2', 'D3'], scores, productsCriterionIds: ['products'] }, legacy);
    expect(t).toMatchObject({ outcome: 'TIE_NEEDS_CHAIR', tied: ['D1', 'D2'] });
    expect(t.winner).toBeUndefined();
    expect(t.explanation.vi).toContain('Cần chủ tịch hội đồng quyết định hồ sơ được chọn.');
    // No products criteria given: straight to the chair.
    expect(selectionTally({ sitting: sitting(7), criteria, dossiers: ['D1', 'D2'], scores: scores.filter((x) => x.dossierId !== 'D3') }, legacy).outcome).toBe('TIE_NEEDS_CHAIR');
    // The chair may only pick one of the tied dossiers.
    expect(() => selectionTally({ sitting: sitting(7), criteria, dossiers: ['D1', 'D2', 'D3'], scores, chairTieBreak: 'D3' }, legacy)).toThrow(/not one of the tied/);
  });

  test('C-SEL-2 / C-3 / C-6: sheets of absent and conflicted members are ignored; the denominator is members present and eligible', () => {
    const s = sitting(9, { absent: ids(8), conflicted: ids(9) });
    const scores = [...all(range(1, 7), 'D1', S70), sheet('m8', 'D1', S100), sheet('m9', 'D1', S100)];
    const t = selectionTally({ sitting: s, criteria, dossiers: ['D1'], scores }, legacy);
    expect(t).toMatchObject({ present: 7, rows: [{ average: { sum: 490, count: 7, display: '70,00' } }] });
    expect(t.ignored).toEqual([
      { memberId: 'm8', dossierId: 'D1', reason: 'absent' },
      { memberId: 'm9', dossierId: 'D1', reason: 'conflicted' },
    ]);
    expect(t.explanation.vi).toContain('Không tính 1 phiếu chấm điểm của thành viên vắng mặt và 1 phiếu chấm điểm của thành viên có xung đột lợi ích.');
  });

  test('C-SEL-2: a dossier nobody present scored does not qualify', () => {
    const t = selectionTally({ sitting: sitting(7), criteria, dossiers: ['D1', 'D2'], scores: all(range(1, 7), 'D1', S70) }, legacy);
    expect(t.rows[1]).toMatchObject({ dossierId: 'D2', qualifies: false, reasonCodes: ['NOT_SCORED'], average: { sum: 0, count: 0 } });
    expect(t.winner).toBe('D1');
  });

  test('C-SEL-2 / C-2: without quorum nobody is selected', () => {
    const t = selectionTally({ sitting: sitting(9, { absent: ids(1) }), criteria, dossiers: ['D1'], scores: all(range(2, 9), 'D1', S100) }, legacy);
    expect(t.outcome).toBe('NO_QUORUM');
    expect(t.winner).toBeUndefined();
  });

  test('C-SEL-2: bad score sheets are refused, naming member, dossier and criterion', () => {
    const base = { sitting: sitting(7), criteria, dossiers: ['D1'] };
    const bad = (points: number[]) => () => selectionTally({ ...base, scores: [sheet('m2', 'D1', points)] }, legacy);
    expect(bad([7.3, 17.5, 17.5, 10.5, 10.5, 7])).toThrow(/member m2, dossier "D1", criterion rationale: 7.3 is not an integer or half point in \[0, 10\]/);
    expect(bad([11, 17.5, 17.5, 10.5, 10.5, 7])).toThrow(/criterion rationale/);
    expect(bad([-1, 17.5, 17.5, 10.5, 10.5, 7])).toThrow(RangeError);
    expect(bad([Number.NaN, 17.5, 17.5, 10.5, 10.5, 7])).toThrow(RangeError);
    const missing = sheet('m2', 'D1', S70);
    delete missing.scores.budget;
    expect(() => selectionTally({ ...base, scores: [missing] }, legacy)).toThrow(/member m2, dossier "D1", criterion budget: missing score/);
    expect(() => selectionTally({ ...base, scores: [{ ...sheet('m2', 'D1', S70), scores: { ...sheet('m2', 'D1', S70).scores, extra: 1 } }] }, legacy)).toThrow(/criterion extra: unknown criterion/);
    expect(() => selectionTally({ ...base, scores: [sheet('m2', 'D9', S70)] }, legacy)).toThrow(/unknown dossier/);
    expect(() => selectionTally({ ...base, scores: [sheet('m2', 'D1', S70), sheet('m2', 'D1', S80)] }, legacy)).toThrow(/more than once/);
    // Even an ignored (absent member's) sheet must be well formed.
    expect(() => selectionTally({ ...base, sitting: sitting(9, { absent: ids(9) }), scores: [sheet('m9', 'D1', [99, 0, 0, 0, 0, 0])] }, legacy)).toThrow(/member m9/);
    expect(() => selectionTally({ ...base, criteria: [{ id: 'a', max: 50 }], scores: [] }, legacy)).toThrow(/add up to 50, not 100/);
    expect(() => selectionTally({ ...base, scores: [], productsCriterionIds: ['nope'] }, legacy)).toThrow(/unknown criterion/);
    expect(() => selectionTally({ ...base, scores: [], chairTieBreak: 'D9' }, legacy)).toThrow(/unknown dossier/);
  });
});

// ─── C-BUD ──────────────────────────────────────────────────────────────────────────

describe('C-BUD budget appraisal', () => {
  const item = (over: Partial<BudgetItem>): BudgetItem => ({ item: 'Công lao động', year: 2026, requested: 0, appraised: 0, lumpSum: true, source: 'state', ...over });

  test('C-BUD: BigInt-sized amounts: totals per source, year and lump-sum split are exact up to 10^15 VND', () => {
    const items = [
      item({ item: 'Thiết bị', year: 2027, requested: 600_000_000_000_000, appraised: 500_000_000_000_001, lumpSum: false, source: 'state' }),
      item({ item: 'Công lao động', year: 2026, requested: 399_999_999_999_999, appraised: 399_999_999_999_998, lumpSum: true, source: 'state' }),
      item({ item: 'Hội thảo', year: 2026, requested: 1, appraised: 1, lumpSum: true, source: 'other' }),
    ];
    const b = budgetAppraisal({ items, consensus: true });
    expect(b.total).toEqual({ requested: 1_000_000_000_000_000, appraised: 900_000_000_000_000, difference: -100_000_000_000_000 });
    expect(b.bySource).toEqual({
      state: { requested: 999_999_999_999_999, appraised: 899_999_999_999_999, difference: -100_000_000_000_000 },
      other: { requested: 1, appraised: 1, difference: 0 },
    });
    expect(b.byLumpSum).toEqual({
      lumpSum: { requested: 400_000_000_000_000, appraised: 399_999_999_999_999, difference: -1 },
      nonLumpSum: { requested: 600_000_000_000_000, appraised: 500_000_000_000_001, difference: -99_999_999_999_999 },
    });
    expect(b.byYear.map((y) => [y.year, y.requested, y.appraised, y.state.requested, y.other.requested])).toEqual([
      [2026, 400_000_000_000_000, 399_999_999_999_999, 399_999_999_999_999, 1],
      [2027, 600_000_000_000_000, 500_000_000_000_001, 600_000_000_000_000, 0],
    ]);
    expect(b.outcome).toBe('CONSENSUS');
    expect(b.explanation.vi).toContain('Tổng kinh phí: đề nghị 1.000.000.000.000.000 đồng, thẩm định 900.000.000.000.000 đồng (chênh lệch −100.000.000.000.000 đồng).');
    expect(b.explanation.vi).toContain('Tổ thẩm định thống nhất kết quả thẩm định.');
    expect(JSON.parse(JSON.stringify(b))).toEqual(b); // plain JSON, no BigInt (C-9)
  });

  test('C-BUD: a total above 10^15 VND or a non-integer amount is refused', () => {
    expect(() => budgetAppraisal({ items: [item({ requested: 1_000_000_000_000_000 }), item({ requested: 1 })], consensus: true })).toThrow(/exceeds/);
    expect(() => budgetAppraisal({ items: [item({ requested: 0.5 })], consensus: true })).toThrow(RangeError);
    expect(() => budgetAppraisal({ items: [item({ appraised: -1 })], consensus: true })).toThrow(RangeError);
    expect(() => budgetAppraisal({ items: [item({ year: 2026.5 })], consensus: true })).toThrow(RangeError);
    expect(() => budgetAppraisal({ items: [], consensus: true })).toThrow(RangeError);
  });

  test('C-BUD: disagreement goes to the approver; a recorded dissent is disagreement (C-7)', () => {
    const items = [item({ requested: 100, appraised: 90 })];
    const no = budgetAppraisal({ items, consensus: false });
    expect(no.outcome).toBe('REFER_TO_APPROVER');
    expect(no.explanation.vi).toContain('kết quả được trình người có thẩm quyền phê duyệt quyết định');
    const dissent = budgetAppraisal({ items, consensus: true, dissent: ['Ông B đề nghị giữ nguyên dự toán thiết bị.'] });
    expect(dissent).toMatchObject({ outcome: 'REFER_TO_APPROVER', dissent: ['Ông B đề nghị giữ nguyên dự toán thiết bị.'] });
    expect(dissent.explanation.vi).toContain('1 ý kiến khác được ghi vào biên bản, C-7');
  });

  test('C-BUD: item order does not change the totals', () => {
    const items = [
      item({ year: 2028, requested: 5, appraised: 4, source: 'other' }),
      item({ year: 2026, requested: 7, appraised: 7, lumpSum: false }),
      item({ year: 2027, requested: 11, appraised: 3 }),
    ];
    const a = budgetAppraisal({ items, consensus: true });
    expect(budgetAppraisal({ items: [...items].reverse(), consensus: true })).toEqual(a);
    expect(a.byYear.map((y) => y.year)).toEqual([2026, 2027, 2028]);
  });
});

// ─── C-ACC-2 ────────────────────────────────────────────────────────────────────────

describe('C-ACC-2 a member’s overall rating', () => {
  const product = (productId: string, q: Rating, v: Rating, quality: Rating, amounts?: [number, number]): ProductRating => {
    const p: ProductRating = { productId, quantity: q, volume: v, quality };
    if (amounts) [p.orderedAmount, p.deliveredAmount] = amounts;
    return p;
  };

  test('C-ACC-2: every product criterion EXCELLENT and report ≥ PASS → EXCELLENT', () => {
    const r = memberAcceptanceRating({ products: [product('SP1', 'EXCELLENT', 'EXCELLENT', 'EXCELLENT'), product('SP2', 'EXCELLENT', 'EXCELLENT', 'EXCELLENT')], report: 'PASS' });
    expect(r).toMatchObject({ rule: 'C-ACC-2', rating: 'EXCELLENT', quantityVolumePassing: 4, quantityVolumeTotal: 4 });
    expect(r.explanation.vi).toContain('Tất cả tiêu chí số lượng, khối lượng và chất lượng của 2 sản phẩm đều Xuất sắc');
    expect(r.explanation.vi).toContain('Xếp loại: Xuất sắc.');
  });

  test('C-ACC-2: report FAIL → FAIL even with every product EXCELLENT', () => {
    const r = memberAcceptanceRating({ products: [product('SP1', 'EXCELLENT', 'EXCELLENT', 'EXCELLENT')], report: 'FAIL' });
    expect(r.rating).toBe('FAIL');
    expect(r.explanation.vi).toContain('Báo cáo tổng hợp Không đạt.');
  });

  test('C-ACC-2: one quality criterion FAIL → FAIL (quality is the “product-type” criterion)', () => {
    const r = memberAcceptanceRating({ products: [product('SP1', 'EXCELLENT', 'EXCELLENT', 'FAIL'), product('SP2', 'PASS', 'PASS', 'PASS')], report: 'EXCELLENT' });
    expect(r).toMatchObject({ rating: 'FAIL', qualityFailed: ['SP1'] });
    expect(r.explanation.vi).toContain('Tiêu chí chất lượng Không đạt ở sản phẩm SP1.');
  });

  test('C-ACC-2: not all EXCELLENT but everything ≥ PASS → PASS', () => {
    expect(memberAcceptanceRating({ products: [product('SP1', 'EXCELLENT', 'PASS', 'EXCELLENT')], report: 'EXCELLENT' }).rating).toBe('PASS');
  });

  test('C-ACC-2: exactly 3/4 of quantity/volume criteria pass, the shortfall delivered exactly 3/4 → PASS', () => {
    const r = memberAcceptanceRating({ products: [product('SP1', 'PASS', 'PASS', 'PASS'), product('SP2', 'FAIL', 'PASS', 'PASS', [100, 75])], report: 'PASS' });
    expect(r).toMatchObject({ rating: 'PASS', quantityVolumePassing: 3, quantityVolumeTotal: 4 });
    expect(r.shortfalls).toEqual([{ productId: 'SP2', criterion: 'quantity', orderedAmount: 100, deliveredAmount: 75, meetsThreeQuarters: true }]);
    expect(r.explanation.vi).toContain('Sản phẩm SP2 thiếu hụt về số lượng: giao 75/100, đạt 3/4 lượng đặt hàng.');
    expect(r.explanation.vi).toContain('3/4 tiêu chí số lượng/khối lượng từ Đạt trở lên; yêu cầu từ 3/4 trở lên: đạt.');
  });

  test('C-ACC-2: exactly 3/4 pass but the shortfall delivered under 3/4 (74 of 100) → FAIL', () => {
    const r = memberAcceptanceRating({ products: [product('SP1', 'PASS', 'PASS', 'PASS'), product('SP2', 'FAIL', 'PASS', 'PASS', [100, 74])], report: 'PASS' });
    expect(r.rating).toBe('FAIL');
    expect(r.explanation.vi).toContain('giao 74/100, dưới 3/4 lượng đặt hàng');
  });

  test('C-ACC-2: a FAILed quantity/volume without amounts does not meet the 3/4 shortfall rule', () => {
    const r = memberAcceptanceRating({ products: [product('SP1', 'PASS', 'PASS', 'PASS'), product('SP2', 'PASS', 'FAIL', 'PASS')], report: 'PASS' });
    expect(r).toMatchObject({ rating: 'FAIL', shortfalls: [{ productId: 'SP2', criterion: 'volume', meetsThreeQuarters: false }] });
    expect(r.explanation.vi).toContain('không có số liệu đặt hàng/giao nộp');
  });

  test('C-ACC-2: under 3/4 of quantity/volume criteria pass (2 of 4) → FAIL even if each shortfall is ≥ 3/4', () => {
    const r = memberAcceptanceRating({ products: [product('SP1', 'FAIL', 'PASS', 'PASS', [4, 3]), product('SP2', 'FAIL', 'PASS', 'PASS', [4, 3])], report: 'PASS' });
    expect(r).toMatchObject({ rating: 'FAIL', quantityVolumePassing: 2 });
    expect(r.explanation.en).toContain('2 of 4 quantity/volume criteria are Pass or better; required: at least 3/4: not met');
  });

  test('C-ACC-2: malformed sheets are refused', () => {
    expect(() => memberAcceptanceRating({ products: [], report: 'PASS' })).toThrow(RangeError);
    expect(() => memberAcceptanceRating({ products: [product('SP1', 'PASS', 'PASS', 'GOOD' as Rating)], report: 'PASS' })).toThrow(/quality/);
    expect(() => memberAcceptanceRating({ products: [product('SP1', 'PASS', 'PASS', 'PASS'), product('SP1', 'PASS', 'PASS', 'PASS')], report: 'PASS' })).toThrow(/twice/);
    expect(() => memberAcceptanceRating({ products: [product('SP1', 'FAIL', 'PASS', 'PASS', [0, 0])], report: 'PASS' })).toThrow(/orderedAmount/);
  });
});

// ─── C-ACC-3 ────────────────────────────────────────────────────────────────────────

describe('C-ACC-3 council conclusion', () => {
  const rate = (spec: [number, Rating][]): AcceptanceBallot[] => {
    const out: AcceptanceBallot[] = [];
    let i = 1;
    for (const [n, rating] of spec) for (let k = 0; k < n; k++) out.push({ memberId: `m${i++}`, rating });
    return out;
  };

  test('C-ACC-3: all FAIL → FAIL', () => {
    const c = acceptanceConclusion({ sitting: sitting(9), ratings: rate([[9, 'FAIL']]) }, legacy);
    expect(c).toMatchObject({ rule: 'C-ACC-3', outcome: 'FAIL', counts: { EXCELLENT: 0, PASS: 0, FAIL: 9, notRated: 0 }, shares: { PASS: { num: 0, den: 9 } } });
    expect(c.explanation.vi).toContain('Kết luận: Không đạt.');
  });

  test('C-ACC-3: exactly 3/4 EXCELLENT and nobody FAIL → EXCELLENT', () => {
    const c = acceptanceConclusion({ sitting: sitting(8), ratings: rate([[6, 'EXCELLENT'], [2, 'PASS']]) }, legacy);
    expect(c).toMatchObject({ outcome: 'EXCELLENT', shares: { EXCELLENT: { num: 6, den: 8 }, PASS: { num: 8, den: 8 } } });
    expect(c.explanation.vi).toContain('Xuất sắc: 6/8, yêu cầu từ 3/4 trở lên: đạt.');
  });

  test('C-ACC-3: 3/4 EXCELLENT with one FAIL → not EXCELLENT (PASS, 7/8 ≥ PASS)', () => {
    const c = acceptanceConclusion({ sitting: sitting(8), ratings: rate([[6, 'EXCELLENT'], [1, 'PASS'], [1, 'FAIL']]) }, legacy);
    expect(c).toMatchObject({ outcome: 'PASS', counts: { EXCELLENT: 6, PASS: 1, FAIL: 1 } });
    expect(c.explanation.vi).toContain('nhưng có 1 thành viên đánh giá Không đạt nên không xếp loại Xuất sắc');
    expect(c.explanation.vi).toContain('Kết luận: Đạt.');
  });

  test('C-ACC-3: exactly 3/4 rate ≥ PASS → PASS; just under (5 of 8, 6 of 9) → FAIL', () => {
    expect(acceptanceConclusion({ sitting: sitting(8), ratings: rate([[2, 'EXCELLENT'], [4, 'PASS'], [2, 'FAIL']]) }, legacy)).toMatchObject({
      outcome: 'PASS',
      shares: { PASS: { num: 6, den: 8 } },
    });
    expect(acceptanceConclusion({ sitting: sitting(8), ratings: rate([[2, 'EXCELLENT'], [3, 'PASS'], [3, 'FAIL']]) }, legacy).outcome).toBe('FAIL');
    const c = acceptanceConclusion({ sitting: sitting(9), ratings: rate([[6, 'PASS'], [3, 'FAIL']]) }, legacy);
    expect(c.outcome).toBe('FAIL');
    expect(c.explanation.vi).toContain('Từ Đạt trở lên: 6/9, yêu cầu từ 3/4 trở lên: không đạt.');
  });

  test('C-ACC-3: a present member without a rating stays in the denominator', () => {
    const c = acceptanceConclusion({ sitting: sitting(8), ratings: rate([[5, 'EXCELLENT'], [1, 'PASS']]) }, legacy);
    expect(c).toMatchObject({ outcome: 'PASS', counts: { notRated: 2 }, shares: { EXCELLENT: { num: 5, den: 8 }, PASS: { num: 6, den: 8 } } });
    expect(c.explanation.vi).toContain('2 không đánh giá (vẫn tính vào số thành viên có mặt)');
  });

  test('C-ACC-3 (rule-set `unrated`): the default keeps an unrated present member in the denominator without blocking EXCELLENT; as_fail blocks it; excluded drops them', () => {
    // 6 EXCELLENT of 8 present, 2 unrated: 6/8 = 3/4.
    const ratings = rate([[6, 'EXCELLENT']]);
    const withUnrated = (unrated: RuleSet['councils']['acceptance']['unrated']): RuleSet => ({ ...legacy, councils: { ...legacy.councils, acceptance: { ...legacy.councils.acceptance, unrated } } });
    expect(legacy.councils.acceptance.unrated).toBe('in_denominator');
    const byDefault = acceptanceConclusion({ sitting: sitting(8), ratings }, legacy);
    expect(byDefault).toMatchObject({ outcome: 'EXCELLENT', shares: { EXCELLENT: { num: 6, den: 8 } } });
    const asFail = acceptanceConclusion({ sitting: sitting(8), ratings }, withUnrated('as_fail'));
    expect(asFail).toMatchObject({ outcome: 'PASS', shares: { EXCELLENT: { num: 6, den: 8 } } });
    expect(asFail.explanation.en).toContain('2 gave no rating (counted as Fail)');
    expect(asFail.explanation.en).toContain('but 2 member(s) rated Fail, so not Excellent');
    // 5 EXCELLENT of 8 present, 3 unrated: 5/8 short of 3/4 unless the unrated are excluded (5/5).
    const five = rate([[5, 'EXCELLENT']]);
    expect(acceptanceConclusion({ sitting: sitting(8), ratings: five }, legacy).outcome).toBe('FAIL');
    const excluded = acceptanceConclusion({ sitting: sitting(8), ratings: five }, withUnrated('excluded'));
    expect(excluded).toMatchObject({ outcome: 'EXCELLENT', shares: { EXCELLENT: { num: 5, den: 5 } } });
    expect(excluded.explanation.vi).toContain('3 không đánh giá (không tính vào số thành viên có mặt)');
  });

  test('C-ACC-3 / C-3 / C-6: ratings of absent and conflicted members are ignored', () => {
    const s = sitting(9, { absent: ids(8), conflicted: ids(9) });
    const c = acceptanceConclusion({ sitting: s, ratings: [...rate([[7, 'EXCELLENT']]), { memberId: 'm8', rating: 'FAIL' }, { memberId: 'm9', rating: 'FAIL' }] }, legacy);
    expect(c).toMatchObject({ outcome: 'EXCELLENT', present: 7, counts: { FAIL: 0 } });
    expect(c.ignored).toEqual([{ memberId: 'm8', reason: 'absent' }, { memberId: 'm9', reason: 'conflicted' }]);
  });

  test('C-ACC-3: rule-set thresholds apply (a 2/3 pass share)', () => {
    const rs: RuleSet = { ...legacy, councils: { ...legacy.councils, acceptance: { ...legacy.councils.acceptance, passShare: { num: 2, den: 3 } } } };
    expect(acceptanceConclusion({ sitting: sitting(9), ratings: rate([[6, 'PASS'], [3, 'FAIL']]) }, rs).outcome).toBe('PASS');
  });

  test('C-ACC-3 / C-2: without quorum there is no conclusion', () => {
    const c = acceptanceConclusion({ sitting: sitting(9, { absent: ids(4) }), ratings: rate([[3, 'EXCELLENT']]) }, legacy);
    expect(c.outcome).toBe('NO_QUORUM');
    expect(c.explanation.vi).not.toContain('Kết luận:');
  });

  test('C-ACC-3: duplicate or malformed ratings are refused', () => {
    expect(() => acceptanceConclusion({ sitting: sitting(7), ratings: [{ memberId: 'm1', rating: 'PASS' }, { memberId: 'm1', rating: 'FAIL' }] }, legacy)).toThrow(RangeError);
    expect(() => acceptanceConclusion({ sitting: sitting(7), ratings: [{ memberId: 'm1', rating: 'OK' as Rating }] }, legacy)).toThrow(RangeError);
  });
});

// ─── C-1 composition ────────────────────────────────────────────────────────────────

describe('C-1 council composition', () => {
  const withRoles = (roles: MemberRole[]): CouncilMember[] => roles.map((role, i) => ({ memberId: `c${i + 1}`, name: `Người ${i + 1}`, role }));
  const standard = (n: number, reviewers = 2): CouncilMember[] =>
    withRoles(['chair', 'vice_chair', ...Array<MemberRole>(reviewers).fill('reviewer'), ...Array<MemberRole>(n - 2 - reviewers).fill('member')]);

  test('C-1: 7 and 9 members with one chair, one vice-chair and 2 reviewers are accepted for every council', () => {
    for (const type of ['C-ID', 'C-SEL', 'C-ACC'] as const) {
      expect(councilSizeRefusal(type, standard(7), legacy)).toBeNull();
      expect(councilSizeRefusal(type, standard(9), legacy)).toBeNull();
    }
    expect(councilSizeRefusal('C-BUD', withRoles(['chair', 'member', 'member', 'member', 'member']), legacy)).toBeNull();
  });

  test('C-1: sizes outside the rule-set range are refused', () => {
    const small = councilSizeRefusal('C-SEL', standard(6), legacy);
    expect(small).toMatchObject({ code: 'COUNCIL_TOO_SMALL', rule: 'C-SEL' });
    expect(small!.message.vi).toBe('Hội đồng tư vấn tuyển chọn, giao trực tiếp (nhiệm vụ cấp tỉnh) phải có từ 7 đến 9 thành viên; danh sách có 6.');
    expect(councilSizeRefusal('C-ID', standard(10), legacy)).toMatchObject({ code: 'COUNCIL_TOO_LARGE', rule: 'C-ID' });
    expect(councilSizeRefusal('C-BUD', withRoles(['chair', 'member', 'member', 'member']), legacy)).toMatchObject({ code: 'COUNCIL_TOO_SMALL', rule: 'C-BUD' });
    expect(councilSizeRefusal('C-BUD', standard(8, 0), legacy)).toMatchObject({ code: 'COUNCIL_TOO_LARGE' });
  });

  test('N-4: a grassroots acceptance council has 5–7 members', () => {
    expect(councilSizeRefusal('C-ACC', standard(5), legacy, 'grassroots')).toBeNull();
    expect(councilSizeRefusal('C-ACC', standard(5), legacy, 'provincial')).toMatchObject({ code: 'COUNCIL_TOO_SMALL', rule: 'C-ACC' });
    expect(councilSizeRefusal('C-ACC', standard(8), legacy, 'grassroots')).toMatchObject({ code: 'COUNCIL_TOO_LARGE', rule: 'N-4' });
  });

  test('C-1: exactly one chair, at most one vice-chair', () => {
    expect(councilSizeRefusal('C-ID', withRoles(['member', 'vice_chair', 'reviewer', 'reviewer', 'member', 'member', 'member']), legacy)).toMatchObject({ code: 'CHAIR_COUNT' });
    expect(councilSizeRefusal('C-ID', withRoles(['chair', 'chair', 'reviewer', 'reviewer', 'member', 'member', 'member']), legacy)).toMatchObject({ code: 'CHAIR_COUNT' });
    const vice = councilSizeRefusal('C-SEL', withRoles(['chair', 'vice_chair', 'vice_chair', 'reviewer', 'reviewer', 'member', 'member']), legacy);
    expect(vice).toMatchObject({ code: 'VICE_CHAIR_COUNT', rule: 'C-1' });
    // C-SEL and C-ACC need their vice-chair (§3 table); C-ID may do without one.
    const noVice = withRoles(['chair', 'reviewer', 'reviewer', 'member', 'member', 'member', 'member']);
    expect(councilSizeRefusal('C-SEL', noVice, legacy)).toMatchObject({ code: 'VICE_CHAIR_COUNT', rule: 'C-1' });
    expect(councilSizeRefusal('C-SEL', noVice, legacy)!.message.en).toContain('must have a vice-chair');
    expect(councilSizeRefusal('C-ACC', noVice, legacy)).toMatchObject({ code: 'VICE_CHAIR_COUNT', rule: 'C-1' });
    expect(councilSizeRefusal('C-ID', noVice, legacy)).toBeNull();
  });

  test('C-ACC sizes by level (§3): national 9, ministerial 7, provincial 7–9, from the rule-set', () => {
    expect(councilSizeRefusal('C-ACC', standard(9), legacy, 'national')).toBeNull();
    const eight = councilSizeRefusal('C-ACC', standard(8), legacy, 'national');
    expect(eight).toMatchObject({ code: 'COUNCIL_TOO_SMALL', rule: 'C-ACC' });
    expect(eight!.message.en).toContain('(a national task) must have 9 members; the list has 8.');
    expect(councilSizeRefusal('C-ACC', standard(7), legacy, 'ministerial')).toBeNull();
    expect(councilSizeRefusal('C-ACC', standard(8), legacy, 'ministerial')).toMatchObject({ code: 'COUNCIL_TOO_LARGE' });
    expect(councilSizeRefusal('C-ACC', standard(8), legacy, 'provincial')).toBeNull();
  });

  test('C-1: every council formed as a sitting needs the rule-set\'s reviewers (2 by default, 1 when configured)', () => {
    const one = standard(7, 1);
    const r = councilSizeRefusal('C-SEL', one, legacy);
    expect(r).toMatchObject({ code: 'REVIEWER_COUNT', rule: 'C-1' });
    expect(r!.message.vi).toBe('Hội đồng tư vấn tuyển chọn, giao trực tiếp phải có 2 ủy viên phản biện; danh sách có 1.');
    expect(councilSizeRefusal('C-ACC', standard(7, 3), legacy)).toMatchObject({ code: 'REVIEWER_COUNT' });
    // C-ID too (issue 13: reviewers for every council).
    expect(councilSizeRefusal('C-ID', standard(7, 0), legacy)).toMatchObject({ code: 'REVIEWER_COUNT' });
    expect(councilSizeRefusal('C-ID', one, legacy)).toMatchObject({ code: 'REVIEWER_COUNT' });
    const withReviewers = (n: number): RuleSet => ({
      ...legacy,
      councils: { ...legacy.councils, composition: { ...legacy.councils.composition, 'C-SEL': { ...legacy.councils.composition['C-SEL'], reviewers: n } } },
    });
    expect(councilSizeRefusal('C-SEL', one, withReviewers(1))).toBeNull();
    expect(() => councilSizeRefusal('C-SEL', one, withReviewers(3))).toThrow(RangeError);
  });

  test('C-1: a member listed twice is refused', () => {
    const m = standard(7);
    expect(councilSizeRefusal('C-ID', [...m.slice(0, 6), { ...m[5] }], legacy)).toMatchObject({ code: 'DUPLICATE_MEMBER' });
  });
});

// ─── C-9 determinism ────────────────────────────────────────────────────────────────

describe('C-9 tallies are pure functions of their inputs', () => {
  const RATINGS: Rating[] = ['EXCELLENT', 'PASS', 'FAIL'];

  function randomSitting(rnd: () => number): Sitting {
    const n = 7 + Math.floor(rnd() * 3);
    const members = council(n);
    const present = members.filter(() => rnd() < 0.92).map((m) => m.memberId);
    const conflicted = members.filter(() => rnd() < 0.1).map((m) => m.memberId);
    return { members, present, conflicted, chairAuthorisedViceChair: rnd() < 0.5 };
  }

  test('C-9: shuffling ballot order never changes any tally (C-ID, C-SEL-2, C-ACC-3), results are plain JSON', () => {
    const rnd = prng(20260101);
    const criteria = [
      { id: 'a', max: 40 },
      { id: 'b', max: 35 },
      { id: 'c', max: 25 },
    ];
    const seen = new Set<string>();
    for (let round = 0; round < 200; round++) {
      const s = randomSitting(rnd);
      const voters = [...s.members.map((m) => m.memberId), 'outsider'].filter(() => rnd() < 0.9);
      const idBallots = voters.map((memberId) => ({ memberId, yes: rnd() < 0.75 }));
      const accRatings = voters.map((memberId) => ({ memberId, rating: RATINGS[Math.floor(rnd() * 3)] }));
      const dossiers = ['D1', 'D2', 'D3'];
      const half = (max: number) => Math.floor(rnd() * (max * 2 + 1)) / 2;
      // Coarse scores so that zeros and ties happen often: in some rounds D2 copies D1 (tie
      // on average and products) and D3 moves 5 points of D1 to the products criterion b
      // (tie on average, higher products score); in some rounds every sheet is handed in.
      const coarse = (max: number) => (rnd() < 0.1 ? 0 : rnd() < 0.6 ? max : half(max));
      const randomSheet = (): Record<string, number> => Object.fromEntries(criteria.map((c) => [c.id, coarse(c.max)]));
      const copyD2 = rnd() < 0.5;
      const shiftD3 = rnd() < 0.5;
      const complete = rnd() < 0.6;
      const toProducts = (d: Record<string, number>): Record<string, number> =>
        d.b > 30 ? { ...d } : d.a >= 5 ? { ...d, a: d.a - 5, b: d.b + 5 } : d.c >= 5 ? { ...d, c: d.c - 5, b: d.b + 5 } : { ...d };
      const scores: ScoreSheet[] = voters.flatMap((memberId) => {
        const d1 = randomSheet();
        const all: ScoreSheet[] = [
          { memberId, dossierId: 'D1', scores: d1 },
          { memberId, dossierId: 'D2', scores: copyD2 ? { ...d1 } : randomSheet() },
          { memberId, dossierId: 'D3', scores: shiftD3 ? toProducts(d1) : randomSheet() },
        ];
        return all.filter(() => complete || rnd() < 0.9);
      });
      const sel = { sitting: s, criteria, dossiers, productsCriterionIds: ['b'] };

      const id0 = identificationTally({ sitting: s, ballots: idBallots }, legacy);
      const acc0 = acceptanceConclusion({ sitting: s, ratings: accRatings }, legacy);
      const sel0 = selectionTally({ ...sel, scores }, legacy);
      expect(JSON.parse(JSON.stringify(id0))).toEqual(id0);
      expect(JSON.parse(JSON.stringify(acc0))).toEqual(acc0);
      expect(JSON.parse(JSON.stringify(sel0))).toEqual(sel0);
      for (let k = 0; k < 4; k++) {
        expect(identificationTally({ sitting: s, ballots: shuffled(idBallots, rnd) }, legacy)).toEqual(id0);
        expect(identificationTally({ sitting: { ...s, present: shuffled(s.present, rnd), conflicted: shuffled(s.conflicted, rnd) }, ballots: idBallots }, legacy)).toEqual(id0);
        expect(acceptanceConclusion({ sitting: s, ratings: shuffled(accRatings, rnd) }, legacy)).toEqual(acc0);
        expect(selectionTally({ ...sel, scores: shuffled(scores, rnd) }, legacy)).toEqual(sel0);
      }
      if (sel0.outcome === 'TIE_NEEDS_CHAIR') {
        const chairTieBreak = sel0.tied![sel0.tied!.length - 1];
        const decided = selectionTally({ ...sel, scores, chairTieBreak }, legacy);
        expect(decided).toMatchObject({ outcome: 'SELECTED', winner: chairTieBreak, decidedBy: 'chair' });
        expect(selectionTally({ ...sel, scores: shuffled(scores, rnd), chairTieBreak }, legacy)).toEqual(decided);
      }
      seen.add(`sel:${sel0.outcome}:${sel0.decidedBy ?? ''}`).add(`id:${id0.outcome}`).add(`acc:${acc0.outcome}`);
    }
    // The generator reaches every outcome, so the property is not vacuous.
    expect([...seen].sort()).toEqual(
      [
        'acc:EXCELLENT', 'acc:FAIL', 'acc:NO_QUORUM', 'acc:PASS',
        'id:NOT_RECOMMENDED', 'id:NO_QUORUM', 'id:RECOMMENDED',
        'sel:NO_QUALIFIED_APPLICANT:', 'sel:NO_QUORUM:', 'sel:SELECTED:average', 'sel:SELECTED:products', 'sel:TIE_NEEDS_CHAIR:',
      ].sort(),
    );
  });

  test('C-9: the same inputs give the same result, and results name the rule-set version that decided them', () => {
    const input = { sitting: sitting(9, { conflicted: ids(9) }), ballots: ballots(range(1, 9), 7) };
    const a = identificationTally(input, tayNinh);
    expect(identificationTally(JSON.parse(JSON.stringify(input)), tayNinh)).toEqual(a);
    expect(a.ruleSet).toEqual({ regime: 'LEGACY_2013', provinceProfile: 'tay-ninh', version: '2026.1' });
    expect(a.quorum.ruleSet).toEqual(a.ruleSet);
  });
});
