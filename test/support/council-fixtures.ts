/**
 * Decided council sittings for document tests, built the way the council sitting builds them, with
 * the real tallies (C-9): an identification council (secret ballot), a selection council (open
 * ballot, two dossiers) and an acceptance council (secret ballot, a conflict, an absence).
 */
import type { CouncilDocumentSnapshot } from '../../activities/documents/council-documents';
import type { CouncilBallot, CouncilKind, CouncilMemberRole, CouncilResultRecord, CouncilView } from '../../workflows/definitions';
import { ruleSetFor } from '../../workflows/rules/ruleset';
import { acceptanceConclusion, identificationTally, quorum, type Rating, selectionTally, type Sitting } from '../../workflows/rules/tallies';

// ---------------------------------------------------------------------------------------------
// Fixtures: views built the way the council sitting builds them, with the real tallies (C-9).
// ---------------------------------------------------------------------------------------------

export const rs = ruleSetFor({ regime: 'LEGACY_2013', provinceProfile: 'default', version: '2026.1' });
export const TASK_TITLE = 'Nghiên cứu ứng dụng công nghệ sinh học trong sản xuất giống lúa chịu mặn ở Tây Ninh';
export const DEPARTMENT = 'Sở Khoa học và Công nghệ tỉnh Tây Ninh';

/**
 * Issue 12: some members with the academic title and workplace the people directory gives, the
 * others without (as seats recorded before, or people the directory knows less of).
 */
export const PEOPLE: Record<string, { name: string; role: CouncilMemberRole; title?: string; workplace?: string }> = {
  m1: { name: 'Phạm Thị Ngọc Ánh', role: 'chair', title: 'PGS.TS.', workplace: 'Viện Lúa đồng bằng sông Cửu Long' },
  m2: { name: 'Đặng Quốc Việt', role: 'vice_chair', title: 'TS.', workplace: 'Trường Đại học Cần Thơ' },
  m3: { name: 'Nguyễn Văn Hùng', role: 'reviewer', title: 'TS.', workplace: 'Trường Đại học Nông Lâm Thành phố Hồ Chí Minh' },
  m4: { name: 'Trần Thị Mai', role: 'reviewer' },
  m5: { name: 'Lê Hoàng Nam', role: 'member' },
  m6: { name: 'Võ Minh Tuấn', role: 'member' },
  m7: { name: 'Huỳnh Thanh Tâm', role: 'member' },
  m8: { name: 'Đỗ Văn Lợi', role: 'member' },
  m9: { name: 'Bùi Thị Thu Hà', role: 'scientific_secretary', title: 'ThS.', workplace: 'Trung tâm Ứng dụng tiến bộ khoa học và công nghệ tỉnh Tây Ninh' },
};
export const ALL_NAMES = Object.values(PEOPLE).map((p) => p.name);

export interface Fixture {
  kind: CouncilKind;
  ballot: 'open' | 'secret';
  memberIds: string[];
  present: string[];
  conflicted?: string[];
  meetingOn: string;
  decidedAt: string;
  ballots: { memberId: string; ballot: CouncilBallot }[];
  dossiers?: string[];
  criteria?: { id: string; max: number; products?: boolean }[];
  postponements?: { at: string; reason: string }[];
  chairAuthorisedViceChair?: boolean;
}

export function councilView(f: Fixture): CouncilView {
  const members = f.memberIds.map((id) => ({ memberId: id, ...PEOPLE[id]! }));
  const conflicted = f.conflicted ?? [];
  const sitting: Sitting = { members, present: f.present, conflicted, ...(f.chairAuthorisedViceChair ? { chairAuthorisedViceChair: true } : {}) };
  const q = quorum(sitting, rs);
  const voters = members.filter((m) => f.present.includes(m.memberId) && !conflicted.includes(m.memberId));
  const items = f.kind === 'C-SEL' ? f.dossiers! : ['item'];
  const itemOf = (b: CouncilBallot) => (b.kind === 'C-SEL' ? b.dossierId : 'item');
  const votedAll = (id: string) => items.every((i) => f.ballots.some((b) => b.memberId === id && itemOf(b.ballot) === i));
  const missingVotes = voters.filter((m) => !votedAll(m.memberId)).length;
  const base = { kind: f.kind, decidedAt: f.decidedAt, missingVotes };
  let result: CouncilResultRecord;
  if (f.kind === 'C-ID') {
    const t = identificationTally({ sitting, ballots: f.ballots.map(({ memberId, ballot }) => ({ memberId, yes: ballot.kind === 'C-ID' && ballot.yes })) }, rs);
    result = { ...base, outcome: t.outcome, figures: { yes: t.yes, no: t.no, notVoted: t.notVoted, present: t.present, share: t.share }, explanation: t.explanation };
  } else if (f.kind === 'C-SEL') {
    const t = selectionTally(
      {
        sitting,
        criteria: f.criteria!.map(({ id, max }) => ({ id, max })),
        dossiers: f.dossiers!,
        scores: f.ballots.flatMap(({ memberId, ballot }) => (ballot.kind === 'C-SEL' ? [{ memberId, dossierId: ballot.dossierId, scores: ballot.scores }] : [])),
        productsCriterionIds: f.criteria!.filter((c) => c.products).map((c) => c.id),
      },
      rs,
    );
    result = {
      ...base,
      outcome: t.outcome,
      ...(t.winner ? { winner: t.winner } : {}),
      figures: { present: t.present, tied: t.tied ?? [], decidedBy: t.decidedBy ?? null, rows: t.rows.map((r) => ({ dossierId: r.dossierId, average: r.average.display, qualifies: r.qualifies, zeroCounts: r.zeroCounts })) },
      explanation: t.explanation,
    };
  } else {
    throw new Error('use acceptanceView for C-ACC');
  }
  return assemble(f, members, q, result);
}

export function assemble(
  f: Fixture,
  members: { memberId: string; name: string; role: CouncilMemberRole }[],
  q: ReturnType<typeof quorum>,
  result: CouncilResultRecord,
): CouncilView {
  const conflicted = f.conflicted ?? [];
  const items = f.kind === 'C-SEL' ? f.dossiers! : ['item'];
  const itemOf = (b: CouncilBallot) => (b.kind === 'C-SEL' ? b.dossierId : 'item');
  return {
    councilId: `council-NV-TN-2026-017-${f.kind}-1`,
    writtenReviews: [],
    taskId: 'NV-TN-2026-017',
    taskTitle: TASK_TITLE,
    kind: f.kind,
    ballot: f.ballot,
    status: 'DECIDED',
    meetingOn: f.meetingOn,
    votingDeadline: f.decidedAt,
    members: members.map((m) => ({
      ...m,
      email: `${m.memberId}@example.vn`,
      declared: true,
      conflicted: conflicted.includes(m.memberId),
      present: f.present.includes(m.memberId),
      voted: items.every((i) => f.ballots.some((b) => b.memberId === m.memberId && itemOf(b.ballot) === i)),
    })),
    ...(f.dossiers ? { dossiers: f.dossiers } : {}),
    ...(f.criteria ? { criteria: f.criteria } : {}),
    quorum: { ok: q.ok, eligible: q.eligible, present: q.present, missing: q.missing },
    postponements: f.postponements ?? [],
    // C-4: per-member ballots only for an open ballot.
    ...(f.ballot === 'open' ? { openBallots: f.ballots } : {}),
    result,
    version: 12,
  };
}

/** C-ID: secret ballot, 9 members all present, 7 yes and 2 no. */
export function identificationSnapshot(): CouncilDocumentSnapshot {
  const memberIds = ['m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7', 'm8', 'm9'];
  const view = councilView({
    kind: 'C-ID',
    ballot: 'secret',
    memberIds,
    present: memberIds,
    meetingOn: '2026-11-24',
    // 09:30 UTC = 16:30 in Vietnam.
    decidedAt: '2026-11-24T09:30:00.000Z',
    ballots: memberIds.map((id, i) => ({ memberId: id, ballot: { kind: 'C-ID', yes: i < 7 } })),
  });
  return { view, departmentName: DEPARTMENT, place: 'Tây Ninh', decisionNumber: '125' };
}

/** C-SEL: open ballot, 7 members, two dossiers averaging 82,50 and 68,00. */
export const SEL_TOTALS: Record<string, number[]> = {
  'HS-01': [85, 80, 82.5, 84, 81, 83, 82],
  'HS-02': [70, 81, 66, 69, 67, 68, 55],
};
export const SEL_MEMBERS = ['m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm9'];
export const DISSENT_COMMENT = 'Hồ sơ HS-02 có phương án ứng dụng sát thực tế hơn.';
export function selectionSnapshot(): CouncilDocumentSnapshot {
  const ballots: { memberId: string; ballot: CouncilBallot }[] = [];
  for (const [dossierId, totals] of Object.entries(SEL_TOTALS)) {
    SEL_MEMBERS.forEach((memberId, i) => {
      const total = totals[i]!;
      ballots.push({
        memberId,
        ballot: {
          kind: 'C-SEL',
          dossierId,
          scores: { content: total - 25, capacity: 25 },
          ...(memberId === 'm2' && dossierId === 'HS-02' ? { comment: DISSENT_COMMENT } : {}),
        },
      });
    });
  }
  const view = councilView({
    kind: 'C-SEL',
    ballot: 'open',
    memberIds: SEL_MEMBERS,
    present: SEL_MEMBERS,
    meetingOn: '2027-03-05',
    decidedAt: '2027-03-05T02:15:00Z',
    ballots,
    dossiers: ['HS-01', 'HS-02'],
    criteria: [
      { id: 'content', max: 60, products: true },
      { id: 'capacity', max: 40 },
    ],
  });
  return { view, departmentName: DEPARTMENT, place: 'Tây Ninh' };
}

/**
 * C-ACC: secret ballot, 9 members; Đỗ Văn Lợi conflicted (C-6), Huỳnh Thanh Tâm absent, Lê Hoàng
 * Nam present without a rating; 2 Excellent, 3 Pass, 1 Fail. One postponement before.
 */
export const ACC_RATINGS: Record<string, Rating> = { m1: 'EXCELLENT', m2: 'EXCELLENT', m3: 'PASS', m4: 'PASS', m9: 'PASS', m6: 'FAIL' };
export const POSTPONED_REASON = 'Vắng ủy viên phản biện: Trần Thị Mai. Hội đồng không đủ điều kiện họp.';
export function acceptanceSnapshot(): CouncilDocumentSnapshot {
  const memberIds = ['m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7', 'm8', 'm9'];
  const f: Fixture = {
    kind: 'C-ACC',
    ballot: 'secret',
    memberIds,
    present: ['m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm8', 'm9'],
    conflicted: ['m8'],
    meetingOn: '2028-01-12',
    // 17:45 UTC on the 12th is 00:45 on the 13th in Vietnam.
    decidedAt: '2028-01-12T17:45:00Z',
    ballots: Object.entries(ACC_RATINGS).map(([memberId, r]) => ({
      memberId,
      ballot: { kind: 'C-ACC', products: [{ productId: 'SP1', quantity: r, volume: r, quality: r }], report: r === 'FAIL' ? 'FAIL' : 'PASS' },
    })),
    postponements: [{ at: '2028-01-05T03:00:00Z', reason: POSTPONED_REASON }],
  };
  // As a sitting formed before seats carried the academic title and workplace (issue 12): name and role only.
  const members = memberIds.map((id) => ({ memberId: id, name: PEOPLE[id]!.name, role: PEOPLE[id]!.role }));
  const sitting: Sitting = { members, present: f.present, conflicted: f.conflicted! };
  const t = acceptanceConclusion({ sitting, ratings: Object.entries(ACC_RATINGS).map(([memberId, rating]) => ({ memberId, rating })) }, rs);
  const result: CouncilResultRecord = {
    kind: 'C-ACC',
    outcome: t.outcome,
    figures: { counts: t.counts, present: t.present, shares: t.shares },
    explanation: t.explanation,
    decidedAt: f.decidedAt,
    missingVotes: 1,
  };
  return {
    view: assemble(f, members, quorum(sitting, rs), result),
    departmentName: DEPARTMENT,
    place: 'Tây Ninh',
    decisionNumber: '07',
    countingCommittee: ['m9', 'm4', 'm6'],
  };
}

