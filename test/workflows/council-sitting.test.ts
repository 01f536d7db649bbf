/**
 * Council sittings as child workflows of their task (domain.md §3), on the
 * time-skipping server: quorum (C-2), conflicts (C-6), absent members (C-3),
 * the voting window and duplicate votes (C-4), reminders only to non-voters,
 * secret ballots shown as counts only, and the result moving the task.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import {
  councilUpdate,
  getCouncilViewQuery,
  type Actor,
  type CouncilBallot,
  type CouncilCommands,
  type CouncilSeat,
} from '../../workflows/definitions';
import { addDays } from '../../workflows/rules/calendar';
import { createTimeSkippingEnv, HOST, manager, OTHER_HOST, otherResearcher, researcher, runScenario, toInProgress, toOrderListed, type Scenario } from '../support/lifecycle-harness';

let env: TestWorkflowEnvironment;
// A test server of its own for every test: one that keeps its time-skipping lock after a scenario (a
// known hazard of the test server with updates) cannot stall the tests after it.
beforeEach(async () => {
  env = await createTimeSkippingEnv();
});
afterEach(async () => {
  await env?.teardown();
});

const ROLES: CouncilSeat['role'][] = ['chair', 'vice_chair', 'reviewer', 'reviewer', 'member', 'member', 'member', 'member', 'member'];
const seats = (n = 9): CouncilSeat[] =>
  ROLES.slice(0, n).map((role, i) => ({ memberId: `m${i + 1}`, name: `Thành viên ${i + 1} (${role})`, email: `m${i + 1}@hoidong.example.vn`, role }));
const memberActor = (id: string): Actor => ({ userId: id, role: 'council_member', name: id, email: `${id}@hoidong.example.vn`, orgId: 'org-hoi-dong', locale: 'vi' });

async function toIdentificationCouncil(s: Scenario, o: { members?: CouncilSeat[]; ballot?: 'open' | 'secret'; deadlineDays?: number } = {}) {
  await s.cmd('startIdentificationReview', { by: manager });
  const today = await s.today();
  const deadline = new Date((await env.currentTimeMs()) + (o.deadlineDays ?? 5) * 86_400_000).toISOString();
  const st = await s.cmd('formCouncil', {
    by: manager,
    kind: 'C-ID',
    members: o.members ?? seats(),
    // C-4: voting opens at the meeting (attendance is taken on its day).
    meetingOn: today,
    votingDeadline: deadline,
    ballot: o.ballot ?? 'secret',
  });
  const councilId = st.councilSittings[0]!.councilId;
  const council = env.client.workflow.getHandle(councilId);
  const c = {
    id: councilId,
    view: () => council.query(getCouncilViewQuery),
    send: <K extends keyof CouncilCommands>(name: K, p: CouncilCommands[K]) => council.executeUpdate(councilUpdate(name), { args: [p] }),
    refused: async <K extends keyof CouncilCommands>(name: K, p: CouncilCommands[K]) => {
      const e = await council.executeUpdate(councilUpdate(name), { args: [p] }).then(
        () => {
          throw new Error(`${name} should have been refused`);
        },
        (err: { cause?: { type?: string; message?: string } }) => err,
      );
      return { type: e.cause?.type, message: e.cause?.message };
    },
    declareAll: async (ids: string[], conflicted: string[] = []) => {
      for (const id of ids) await c.send('declareConflict', { by: memberActor(id), memberId: id, conflicted: conflicted.includes(id), ...(conflicted.includes(id) ? { reason: 'Cùng cơ quan với chủ nhiệm' } : {}) });
    },
    vote: (id: string, yes: boolean) => c.send('castVote', { by: memberActor(id), ballot: { kind: 'C-ID', yes } }),
  };
  return c;
}

const ids = (n: number) => Array.from({ length: n }, (_, i) => `m${i + 1}`);

test('C-ID: a secret ballot decides, counts only are shown, and the task moves (L-3)', async () => {
  await runScenario(env, 'NV-COUNCILCID00001', async (s) => {
    const c = await toIdentificationCouncil(s);
    await c.declareAll(ids(9));
    await c.send('recordAttendance', { by: manager, present: ids(9) });
    for (const id of ids(7)) await c.vote(id, true);
    await c.vote('m8', false);
    await c.vote('m9', false);
    // All voted: the sitting decides at once. 7/9 ≥ 2/3 (Tây Ninh profile) → RECOMMENDED.
    for (let i = 0; i < 100 && (await s.state()).councils.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    const task = await s.state();
    expect(task.stage).toBe('IDENTIFICATION_REVIEW');
    expect(task.councils).toEqual([expect.objectContaining({ council: 'C-ID', outcome: 'RECOMMENDED', tally: expect.objectContaining({ yes: 7, present: 9 }) })]);
    const view = await c.view();
    expect(view.status).toBe('DECIDED');
    expect(view.result).toMatchObject({ outcome: 'RECOMMENDED', figures: { yes: 7, no: 2 } });
    // C-4: no per-member ballot anywhere in what is shown or written outside the result store.
    expect(view.openBallots).toBeUndefined();
    for (const written of s.rec.councils) expect(JSON.stringify(written)).not.toMatch(/"yes":(true|false)/);
    for (const mail of s.rec.sent) expect(JSON.stringify(mail)).not.toMatch(/"yes":(true|false)/);
    // C-9: the result is stored with its inputs (ballots included) where no endpoint reads it.
    expect(s.rec.councilResults).toHaveLength(1);
    expect((s.rec.councilResults[0]!.ballots as unknown[]).length).toBe(9);
    // The members were told the result (after the task had it); the manager then approves the list.
    for (let i = 0; i < 200 && s.rec.sent.filter((m) => m.key.includes('/result/')).length < 9; i++) await new Promise((r) => setTimeout(r, 25));
    expect(s.rec.sent.filter((m) => m.key.includes('/result/'))).toHaveLength(9);
    expect((await s.cmd('approveOrderList', { by: manager })).stage).toBe('ORDER_LISTED');
  });
});

test('C-2: without quorum the sitting is postponed, rescheduled with amended members, then decides', async () => {
  await runScenario(env, 'NV-COUNCILNOQUORUM1', async (s) => {
    const c = await toIdentificationCouncil(s);
    await c.declareAll(ids(9));
    // 5 of 9 present is under 2/3.
    let view = await c.send('recordAttendance', { by: manager, present: ids(5) });
    expect(view.status).toBe('POSTPONED');
    expect(view.quorum).toMatchObject({ ok: false, eligible: 9, present: 5 });
    expect((await c.refused('castVote', { by: memberActor('m1'), ballot: { kind: 'C-ID', yes: true } })).type).toBe('TRANSITION_NOT_ALLOWED');
    // A reviewer missing also voids it, even with 2/3 present.
    const deadline = new Date((await env.currentTimeMs()) + 5 * 86_400_000).toISOString();
    // C-4: the voting deadline cannot come before the new meeting day.
    expect((await c.refused('reschedule', { by: manager, meetingOn: addDays(await s.today(), 7), votingDeadline: deadline })).type).toBe('INVALID_COMMAND');
    view = await c.send('reschedule', { by: manager, meetingOn: addDays(await s.today(), 2), votingDeadline: deadline });
    expect(view.status).toBe('FORMED');
    // Attendance (and with it the vote) opens at the meeting, not before its day.
    expect((await c.refused('recordAttendance', { by: manager, present: ids(9) })).type).toBe('MEETING_NOT_STARTED');
    await s.days(2);
    view = await c.send('recordAttendance', { by: manager, present: ['m1', 'm2', 'm3', 'm5', 'm6', 'm7', 'm8', 'm9'] });
    expect(view.status).toBe('POSTPONED');
    expect(view.quorum?.missing).toEqual(['reviewer']);
    expect(view.postponements).toHaveLength(2);
    // Rescheduled with a 7-member council; everyone comes.
    const seven = seats(7);
    view = await c.send('reschedule', { by: manager, meetingOn: addDays(await s.today(), 1), votingDeadline: new Date((await env.currentTimeMs()) + 5 * 86_400_000).toISOString(), members: seven });
    await s.days(1);
    await c.send('recordAttendance', { by: manager, present: ids(7) });
    for (const id of ids(7)) await c.vote(id, id !== 'm7');
    for (let i = 0; i < 100 && (await s.state()).councils.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect((await s.state()).councils[0]).toMatchObject({ outcome: 'RECOMMENDED', tally: expect.objectContaining({ yes: 6, present: 7 }) });
  });
});

test('C-6 and C-3: conflicted, undeclared, absent and non-members cannot vote; duplicates count once', async () => {
  await runScenario(env, 'NV-COUNCILREFUSALS1', async (s) => {
    const c = await toIdentificationCouncil(s);
    await c.declareAll(ids(8), ['m5']); // m9 never declares; m5 is conflicted
    await c.send('recordAttendance', { by: manager, present: ['m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7', 'm9'] }); // m8 absent
    const ballot: CouncilBallot = { kind: 'C-ID', yes: true };
    expect((await c.refused('castVote', { by: memberActor('m5'), ballot })).type).toBe('CONFLICTED');
    expect((await c.refused('castVote', { by: memberActor('m9'), ballot })).type).toBe('CONFLICT_NOT_DECLARED');
    expect((await c.refused('castVote', { by: memberActor('m8'), ballot })).type).toBe('ABSENT');
    expect((await c.refused('castVote', { by: memberActor('outsider'), ballot })).type).toBe('NOT_A_MEMBER');
    expect((await c.refused('castVote', { by: manager, ballot })).type).toBe('NOT_A_MEMBER');
    // A member may not declare for another; a manager records a conflict only with a reason.
    expect((await c.refused('declareConflict', { by: memberActor('m1'), memberId: 'm2', conflicted: true })).type).toBe('FORBIDDEN_ROLE');
    expect((await c.refused('declareConflict', { by: manager, memberId: 'm9', conflicted: true })).type).toBe('INVALID_COMMAND');

    const first = await c.vote('m1', true);
    const again = await c.vote('m1', true);
    expect(first.repeated).toBe(false);
    expect(again).toEqual({ ...first, repeated: true });
    expect((await c.refused('castVote', { by: memberActor('m1'), ballot: { kind: 'C-ID', yes: false } })).type).toBe('ALREADY_VOTED');
    // After voting, the declaration is fixed.
    expect((await c.refused('declareConflict', { by: memberActor('m1'), memberId: 'm1', conflicted: true })).type).toBe('PRECONDITION_FAILED');
    const view = await c.view();
    expect(view.members.filter((m) => m.voted).map((m) => m.memberId)).toEqual(['m1']);
  });
});

test('the voting window: a reminder only to those who have not voted, a late vote refused, missing votes a named outcome', async () => {
  await runScenario(env, 'NV-COUNCILWINDOW01', async (s) => {
    const c = await toIdentificationCouncil(s, { deadlineDays: 3 });
    await c.declareAll(ids(9));
    await c.send('recordAttendance', { by: manager, present: ids(9) });
    for (const id of ids(6)) await c.vote(id, id !== 'm6');
    // Two days on: the reminder (24 h before the deadline) reaches m7, m8, m9 only.
    await s.days(2.5);
    const reminders = s.rec.sent.filter((m) => m.key.includes('/reminder-1/'));
    expect(reminders.map((m) => m.to[0]).sort()).toEqual(['m7@hoidong.example.vn', 'm8@hoidong.example.vn', 'm9@hoidong.example.vn']);
    await c.vote('m7', false);
    await s.days(1);
    // The window closed: a late vote is refused; the tally counts the two silent members as not-yes.
    // (the sitting has closed: the update is refused by the server, and the API answers 409 from the read model)
    await expect(c.vote('m8', true)).rejects.toThrow();
    for (let i = 0; i < 100 && (await s.state()).councils.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    const view = await c.view();
    // 5 of 9 present is under 2/3 (Tây Ninh profile).
    expect(view.result).toMatchObject({ outcome: 'NOT_RECOMMENDED', missingVotes: 2, figures: { yes: 5, no: 2, notVoted: 2 } });
    expect((await s.state()).stage).toBe('PROPOSAL_REJECTED');
  });
});

test('all members voting at the same moment are counted exactly once', async () => {
  await runScenario(env, 'NV-COUNCILCONCURR01', async (s) => {
    const c = await toIdentificationCouncil(s, { ballot: 'open' });
    await c.declareAll(ids(9));
    await c.send('recordAttendance', { by: manager, present: ids(9) });
    // Each member's vote is sent three times at once.
    const receipts = await Promise.all(ids(9).flatMap((id) => [c.vote(id, true), c.vote(id, true), c.vote(id, true)]));
    expect(receipts.filter((r) => !r.repeated)).toHaveLength(9);
    for (let i = 0; i < 100 && (await s.state()).councils.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    const view = await c.view();
    expect(view.result).toMatchObject({ outcome: 'RECOMMENDED', figures: { yes: 9, present: 9 } });
    // An open ballot shows each member's vote.
    expect(view.openBallots).toHaveLength(9);
    // The read model was written one write at a time, in version order, ending with the decided
    // sitting: 27 concurrent votes never raced their writes (FerretDB's guard is not atomic).
    expect(s.rec.maxConcurrentWrites()).toBe(1);
    const versions = s.rec.councils.map((w) => w.version);
    expect(versions).toEqual([...new Set(versions)].sort((a, b) => a - b));
    expect(s.rec.councils.at(-1)).toMatchObject({ status: 'DECIDED', version: view.version });
  });
});

describe('C-SEL and C-ACC sittings move the task', () => {
  // The rule-set's sheet for a research topic (C-SEL, issue 13): rationale 15, content 30, products 20, applicability 15, capacity 10, budget 10.
  const sheet = (total: 'tieA' | 'tieB') =>
    total === 'tieA'
      ? { rationale: 12, content: 25, products: 20, applicability: 7, capacity: 8, budget: 8 } // 80, products+content 45
      : { rationale: 14, content: 24, products: 19, applicability: 8, capacity: 7, budget: 8 }; // 80, products+content 43

  test('C-SEL-2: two dossiers tied on average, separated by the products/content score; the task goes to revision (L-7, L-8)', async () => {
    await runScenario(env, 'NV-COUNCILSEL00001', async (s) => {
      await toOrderListed(s);
      await s.cmd('openCall', { by: manager, closesOn: addDays(await s.today(), 30) });
      await s.cmd('submitDossier', { by: researcher, host: HOST });
      await s.cmd('submitDossier', { by: otherResearcher, host: OTHER_HOST });
      await s.days(31);
      await s.cmd('openDossiers', { by: manager, valid: ['HS-1-1', 'HS-1-2'] });
      await s.cmd('formSelectionCouncil', { by: manager, meetingOn: addDays(await s.today(), 10) });
      // The criteria come from the rule-set (issue 13); the sitting meets today.
      const st = await s.cmd('formCouncil', {
        by: manager, kind: 'C-SEL', members: seats(), meetingOn: await s.today(),
        votingDeadline: new Date((await env.currentTimeMs()) + 5 * 86_400_000).toISOString(), ballot: 'secret',
      });
      const council = env.client.workflow.getHandle(st.councilSittings.at(-1)!.councilId);
      const send = <K extends keyof CouncilCommands>(name: K, p: CouncilCommands[K]) => council.executeUpdate(councilUpdate(name), { args: [p] });
      for (const id of ids(9)) await send('declareConflict', { by: memberActor(id), memberId: id, conflicted: false });
      await send('recordAttendance', { by: manager, present: ids(9) });
      // An incomplete score sheet is refused.
      const bad = await send('castVote', { by: memberActor('m1'), ballot: { kind: 'C-SEL', dossierId: 'HS-1-1', scores: { rationale: 10 } } }).catch((e: { cause?: { type?: string } }) => e.cause?.type);
      expect(bad).toBe('INVALID_BALLOT');
      for (const id of ids(9)) {
        await send('castVote', { by: memberActor(id), ballot: { kind: 'C-SEL', dossierId: 'HS-1-1', scores: sheet('tieA') } });
        await send('castVote', { by: memberActor(id), ballot: { kind: 'C-SEL', dossierId: 'HS-1-2', scores: sheet('tieB') } });
      }
      for (let i = 0; i < 100 && (await s.state()).stage === 'SELECTION_REVIEW'; i++) await new Promise((r) => setTimeout(r, 50));
      const task = await s.state();
      expect(task.stage).toBe('PROPOSAL_REVISION');
      expect(task.host?.orgName).toBe('Viện Sinh học Nhiệt đới'); // HS-1-1 won on products/content
      const view = await council.query(getCouncilViewQuery);
      expect(view.result).toMatchObject({ outcome: 'SELECTED', winner: 'HS-1-1', figures: { decidedBy: 'products' } });
      // §7: the identification council's documents, the list approval, call and opening record of the task, the decision forming the council, then its records.
      for (let i = 0; i < 100 && (await s.state()).councilSittings.some((c) => c.documentsPending); i++) await new Promise((r) => setTimeout(r, 50));
      // (a council's records arrive after its result, so after what the next command issued)
      expect((await s.state()).documents.map((d) => d.kind).sort()).toEqual([
        'proposal_form', 'council_formation_decision', 'vote_counting_record', 'council_minutes', 'order_list_approval', 'call_notice', 'dossier_opening_record', 'council_formation_decision', 'vote_counting_record', 'council_minutes',
      ].sort());
    });
  });

  test('C-ACC-2/3: members rate products; a council conclusion of PASS moves the task to ACCEPTED_PASS (L-20)', async () => {
    await runScenario(env, 'NV-COUNCILACC00001', async (s) => {
      await toInProgress(s, { durationMonths: 12 });
      await s.days(340);
      await s.cmd('startSelfEvaluation', { by: researcher });
      await s.cmd('submitAcceptanceDossier', { by: researcher, fundsSpent: 900_000_000, documents: ['Báo cáo tổng hợp'] });
      await s.cmd('checkAcceptanceDossier', { by: manager, complete: true });
      await s.cmd('formAcceptanceCouncil', { by: manager, meetingOn: addDays(await s.today(), 20) });
      const st = await s.cmd('formCouncil', {
        by: manager, kind: 'C-ACC', members: seats(), meetingOn: await s.today(),
        votingDeadline: new Date((await env.currentTimeMs()) + 5 * 86_400_000).toISOString(), ballot: 'secret',
      });
      const council = env.client.workflow.getHandle(st.councilSittings.at(-1)!.councilId);
      const send = <K extends keyof CouncilCommands>(name: K, p: CouncilCommands[K]) => council.executeUpdate(councilUpdate(name), { args: [p] });
      for (const id of ids(9)) await send('declareConflict', { by: memberActor(id), memberId: id, conflicted: false });
      await send('recordAttendance', { by: manager, present: ids(9) });
      const excellent = { productId: 'P1', quantity: 'EXCELLENT', volume: 'EXCELLENT', quality: 'EXCELLENT' } as const;
      const pass = { productId: 'P1', quantity: 'PASS', volume: 'PASS', quality: 'PASS' } as const;
      // 6 rate EXCELLENT, 3 PASS: share(EXCELLENT) = 6/9 < 3/4, share(PASS) = 9/9 → PASS (C-ACC-3).
      for (const [i, id] of ids(9).entries()) await send('castVote', { by: memberActor(id), ballot: { kind: 'C-ACC', products: [i < 6 ? excellent : pass], report: 'PASS' } });
      for (let i = 0; i < 100 && (await s.state()).stage === 'ACCEPTANCE_REVIEW'; i++) await new Promise((r) => setTimeout(r, 50));
      const task = await s.state();
      expect(task.stage).toBe('ACCEPTED_PASS');
      expect(task.councils.at(-1)).toMatchObject({ council: 'C-ACC', outcome: 'PASS', tally: expect.objectContaining({ counts: { EXCELLENT: 6, PASS: 3, FAIL: 0, notRated: 0 } }) });
      expect(task.obligations.find((o) => o.kind === 'result_registration')?.status).toBe('OPEN');
    });
  }, 300_000);
});

test('C-3: an absent member sends a written review (not a vote)', async () => {
  await runScenario(env, 'NV-COUNCILREVIEW001', async (s) => {
    const c = await toIdentificationCouncil(s);
    await c.declareAll(ids(9));
    await c.send('recordAttendance', { by: manager, present: ids(8) }); // m9 absent
    const view = await c.send('submitWrittenReview', { by: memberActor('m9'), review: 'Đề xuất cấp thiết; cần làm rõ phạm vi ứng dụng.' });
    expect(view.writtenReviews).toEqual([expect.objectContaining({ memberId: 'm9', review: 'Đề xuất cấp thiết; cần làm rõ phạm vi ứng dụng.' })]);
    expect((await c.refused('submitWrittenReview', { by: memberActor('m1'), review: 'Tôi có mặt' })).type).toBe('PRECONDITION_FAILED');
    expect((await c.refused('castVote', { by: memberActor('m9'), ballot: { kind: 'C-ID', yes: true } })).type).toBe('ABSENT');
    for (const id of ids(8)) await c.vote(id, true);
    for (let i = 0; i < 100 && (await s.state()).councils.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect((await c.view()).result).toMatchObject({ outcome: 'RECOMMENDED', figures: { present: 8, yes: 8 } });
    expect((await s.state()).councilSittings[0]!.warnings).toBeUndefined();
  });
});

test('C-8: an acceptance council with no member of the task\'s earlier councils gets a continuity warning', async () => {
  await runScenario(env, 'NV-COUNCILCONTINUITY', async (s) => {
    await toInProgress(s, { durationMonths: 12 });
    await s.days(340);
    await s.cmd('startSelfEvaluation', { by: researcher });
    await s.cmd('submitAcceptanceDossier', { by: researcher, fundsSpent: 900_000_000, documents: ['Báo cáo tổng hợp'] });
    await s.cmd('checkAcceptanceDossier', { by: manager, complete: true });
    await s.cmd('formAcceptanceCouncil', { by: manager, meetingOn: addDays(await s.today(), 20) });
    const st = await s.cmd('formCouncil', {
      by: manager, kind: 'C-ACC', members: seats(), meetingOn: await s.today(),
      votingDeadline: new Date((await env.currentTimeMs()) + 5 * 86_400_000).toISOString(), ballot: 'secret',
    });
    // No member of the task's earlier councils sits on this one (C-8 warns, never blocks).
    expect(st.councilSittings.at(-1)!.warnings).toEqual([expect.objectContaining({ rule: 'C-8' })]);
  });
}, 300_000);
