/**
 * Issue 13 on the time-skipping server: no outcome without ballots and the tally (C-9), conflicts that
 * hold (C-6), voting only from the meeting (C-4), a paper sitting that goes through the same checks and
 * the same tally, criteria and composition from the rule-set at formation (C-1, C-SEL), and a tally that
 * cannot be computed: a void meeting the managers see and reschedule, never a failing workflow.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { councilSittingWorkflow } from '../../workflows/council-sitting';
import { councilUpdate, getCouncilViewQuery, type CouncilCommands, type CouncilInput } from '../../workflows/definitions';
import { addDays } from '../../workflows/rules/calendar';
import {
  ballotsFor,
  councilSeats,
  createTimeSkippingEnv,
  HOST,
  manager,
  memberActor,
  refusedNothingRecorded,
  runScenario,
  toOrderListed,
  type Scenario,
} from '../support/lifecycle-harness';

let env: TestWorkflowEnvironment;
// A test server of its own for every test: one that keeps its time-skipping lock after a scenario (a
// known hazard of the test server with updates) cannot stall the tests after it.
beforeEach(async () => {
  env = await createTimeSkippingEnv();
});
afterEach(async () => {
  await env?.teardown();
});

const seats = councilSeats(7, 'm');
const ids = seats.map((m) => m.memberId);

/**
 * A decided sitting renders its records and mails its members after the task has its result: the scenario
 * waits for it to complete, so that no activity of it is left when the scenario's worker stops (the test
 * server would then keep its time-skipping lock for the next tests).
 */
async function sittingDone(s: Scenario, councilId: string): Promise<void> {
  const h = s.env.client.workflow.getHandle(councilId);
  for (let i = 0; i < 600 && (await h.describe()).status.name === 'RUNNING'; i++) await new Promise((r) => setTimeout(r, 50));
}

async function formIdentification(s: Scenario, o: { meetingOn?: string; voting?: 'online' | 'paper'; conflicts?: { memberId: string; reason: string }[] } = {}) {
  await s.cmd('startIdentificationReview', { by: manager });
  const deadline = new Date((await s.env.currentTimeMs()) + 5 * 86_400_000).toISOString();
  const st = await s.cmd('formCouncil', {
    by: manager,
    kind: 'C-ID',
    members: seats,
    meetingOn: o.meetingOn ?? (await s.today()),
    votingDeadline: deadline,
    ballot: 'secret',
    ...(o.voting ? { voting: o.voting } : {}),
    ...(o.conflicts ? { conflicts: o.conflicts } : {}),
  });
  const councilId = st.councilSittings.at(-1)!.councilId;
  for (let i = 0; i < 100 && !(await s.councilView(councilId).catch(() => undefined)); i++) await new Promise((r) => setTimeout(r, 20));
  return councilId;
}

test('C-6: a conflict the Department recorded holds: the member cannot lift it, a manager lifts it only with grounds (kept on record); nobody changes a declaration after attendance', async () => {
  await runScenario(env, 'NV-INTEGCONFLICT001', async (s) => {
    const id = await formIdentification(s, { conflicts: [{ memberId: 'm5', reason: 'Cùng cơ quan với chủ nhiệm' }] });
    // The member lifts the Department's conflict: refused, nothing changes.
    const lift = await s.councilRefused(id, 'declareConflict', { by: memberActor('m5'), memberId: 'm5', conflicted: false });
    expect(lift).toMatchObject({ type: 'CONFLICT_RECORDED', rule: 'C-6' });
    expect(lift.message).toContain('only a manager may lift it');
    expect((await s.councilView(id)).members.find((m) => m.memberId === 'm5')).toMatchObject({ declared: true, conflicted: true });
    // A manager lifts it only with grounds.
    expect(await s.councilRefused(id, 'declareConflict', { by: manager, memberId: 'm5', conflicted: false })).toMatchObject({ type: 'INVALID_COMMAND', rule: 'C-6' });
    const lifted = await s.council(id, 'declareConflict', { by: manager, memberId: 'm5', conflicted: false, reason: 'Đã chuyển công tác khỏi cơ quan chủ trì từ năm 2024' });
    expect(lifted.members.find((m) => m.memberId === 'm5')).toMatchObject({ conflicted: false });
    expect(lifted.liftedConflicts).toEqual([{ memberId: 'm5', by: manager.userId, at: expect.any(String), grounds: 'Đã chuyển công tác khỏi cơ quan chủ trì từ năm 2024' }]);

    // m6 declares a conflict of their own, everyone else none.
    for (const m of ids.filter((x) => x !== 'm5' && x !== 'm6')) await s.council(id, 'declareConflict', { by: memberActor(m), memberId: m, conflicted: false });
    await s.council(id, 'declareConflict', { by: memberActor('m6'), memberId: 'm6', conflicted: true, reason: 'Anh ruột của chủ nhiệm' });
    await s.council(id, 'recordAttendance', { by: manager, present: ids });
    // After attendance: neither the member nor a manager changes a declaration.
    expect(await s.councilRefused(id, 'declareConflict', { by: memberActor('m6'), memberId: 'm6', conflicted: false })).toMatchObject({ type: 'DECLARATION_FIXED', rule: 'C-6' });
    expect(await s.councilRefused(id, 'declareConflict', { by: manager, memberId: 'm6', conflicted: false, reason: 'Nhầm lẫn' })).toMatchObject({ type: 'DECLARATION_FIXED', rule: 'C-6' });
    expect(await s.councilRefused(id, 'declareConflict', { by: memberActor('m1'), memberId: 'm1', conflicted: true, reason: 'x' })).toMatchObject({ type: 'DECLARATION_FIXED' });
    expect((await s.councilRefused(id, 'castVote', { by: memberActor('m6'), ballot: { kind: 'C-ID', yes: true } })).type).toBe('CONFLICTED');
    // The six others vote: m6 is out of the denominator (C-6), 6/6 recommend.
    for (const m of ids.filter((x) => x !== 'm6')) await s.council(id, 'castVote', { by: memberActor(m), ballot: { kind: 'C-ID', yes: true } });
    for (let i = 0; i < 200 && (await s.state()).councils.length === 0; i++) await new Promise((r) => setTimeout(r, 25));
    expect((await s.state()).councils[0]).toMatchObject({ outcome: 'RECOMMENDED', tally: expect.objectContaining({ yes: 6, present: 6 }) });
    await sittingDone(s, id);
  });
});

test('C-4: no attendance, so no vote, before the meeting day; a voting deadline before the meeting day is refused at formation', async () => {
  await runScenario(env, 'NV-INTEGMEETINGDAY1', async (s) => {
    await s.cmd('startIdentificationReview', { by: manager });
    const meetingOn = addDays(await s.today(), 3);
    const early = new Date((await s.env.currentTimeMs()) + 86_400_000).toISOString();
    const refused = await refusedNothingRecorded(s, 'formCouncil', { by: manager, kind: 'C-ID', members: seats, meetingOn, votingDeadline: early, ballot: 'secret' });
    expect(refused).toMatchObject({ type: 'INVALID_COMMAND', rule: 'C-4' });
    expect(refused.message).toContain('cannot come before the meeting day');

    const deadline = new Date((await s.env.currentTimeMs()) + 5 * 86_400_000).toISOString();
    const st = await s.cmd('formCouncil', { by: manager, kind: 'C-ID', members: seats, meetingOn, votingDeadline: deadline, ballot: 'secret' });
    const id = st.councilSittings.at(-1)!.councilId;
    for (let i = 0; i < 100 && !(await s.councilView(id).catch(() => undefined)); i++) await new Promise((r) => setTimeout(r, 20));
    for (const m of ids) await s.council(id, 'declareConflict', { by: memberActor(m), memberId: m, conflicted: false });
    expect(await s.councilRefused(id, 'recordAttendance', { by: manager, present: ids })).toMatchObject({ type: 'MEETING_NOT_STARTED', rule: 'C-4' });
    // Voting is not open before the meeting either.
    expect((await s.councilRefused(id, 'castVote', { by: memberActor('m1'), ballot: { kind: 'C-ID', yes: true } })).type).toBe('TRANSITION_NOT_ALLOWED');
    await s.days(3);
    expect((await s.council(id, 'recordAttendance', { by: manager, present: ids })).status).toBe('VOTING');
    expect((await s.council(id, 'castVote', { by: memberActor('m1'), ballot: { kind: 'C-ID', yes: true } })).repeated).toBe(false);
  });
});

test('C-4, C-9: a paper sitting: only the secretary enters ballots, each checked as the member\'s own vote, and the same tally decides; members cannot vote online, an online sitting takes no paper ballots', async () => {
  await runScenario(env, 'NV-INTEGPAPER000001', async (s) => {
    const id = await formIdentification(s, { voting: 'paper' });
    expect((await s.councilView(id)).voting).toBe('paper');
    for (const m of ids) await s.council(id, 'declareConflict', { by: manager, memberId: m, conflicted: m === 'm7', ...(m === 'm7' ? { reason: 'Vợ của chủ nhiệm' } : {}) });
    await s.council(id, 'recordAttendance', { by: manager, present: ids.filter((m) => m !== 'm6') }); // m6 absent
    // A member cannot vote online in a paper sitting.
    expect(await s.councilRefused(id, 'castVote', { by: memberActor('m1'), ballot: { kind: 'C-ID', yes: true } })).toMatchObject({ type: 'PAPER_SITTING', rule: 'C-4' });
    // The same checks as an online ballot, naming the member: absent, conflicted, not a member, twice.
    const yes = { kind: 'C-ID' as const, yes: true };
    expect(await s.councilRefused(id, 'enterPaperBallots', { by: manager, ballots: [{ memberId: 'm1', ballot: yes }, { memberId: 'm6', ballot: yes }] })).toMatchObject({ type: 'ABSENT' });
    const conflicted = await s.councilRefused(id, 'enterPaperBallots', { by: manager, ballots: [{ memberId: 'm7', ballot: yes }] });
    expect(conflicted).toMatchObject({ type: 'CONFLICTED', rule: 'C-6' });
    expect(conflicted.message).toContain('Thành viên 7');
    expect((await s.councilRefused(id, 'enterPaperBallots', { by: manager, ballots: [{ memberId: 'x9', ballot: yes }] })).type).toBe('NOT_A_MEMBER');
    expect((await s.councilRefused(id, 'enterPaperBallots', { by: manager, ballots: [{ memberId: 'm1', ballot: yes }, { memberId: 'm1', ballot: yes }] })).type).toBe('INVALID_COMMAND');
    expect((await s.councilRefused(id, 'enterPaperBallots', { by: memberActor('m1'), ballots: [{ memberId: 'm1', ballot: yes }] })).type).toBe('FORBIDDEN_ROLE');
    // Nothing was recorded by the refusals.
    expect((await s.councilView(id)).members.filter((m) => m.voted)).toEqual([]);
    // 5 present eligible: 4 yes, 1 no → 4/5 ≥ 2/3 (Tây Ninh): recommended, from the ballots.
    const view = await s.council(id, 'enterPaperBallots', { by: manager, ballots: ['m1', 'm2', 'm3', 'm4'].map((m) => ({ memberId: m, ballot: yes })) });
    expect(view.status).toBe('VOTING');
    await s.council(id, 'enterPaperBallots', { by: manager, ballots: [{ memberId: 'm5', ballot: { kind: 'C-ID', yes: false } }] });
    for (let i = 0; i < 200 && (await s.state()).councils.length === 0; i++) await new Promise((r) => setTimeout(r, 25));
    expect((await s.state()).councils[0]).toMatchObject({ council: 'C-ID', outcome: 'RECOMMENDED', tally: expect.objectContaining({ councilId: id, yes: 4, no: 1, present: 5 }) });
    expect(s.rec.councilResults.at(-1)!.ballots).toHaveLength(5); // stored with its inputs (C-9)
    await sittingDone(s, id);
    // And an online sitting refuses paper ballots.
    expect((await s.cmd('approveOrderList', { by: manager })).stage).toBe('ORDER_LISTED');
  });
  await runScenario(env, 'NV-INTEGPAPER000002', async (s) => {
    const id = await formIdentification(s);
    for (const m of ids) await s.council(id, 'declareConflict', { by: memberActor(m), memberId: m, conflicted: false });
    await s.council(id, 'recordAttendance', { by: manager, present: ids });
    expect(await s.councilRefused(id, 'enterPaperBallots', { by: manager, ballots: [{ memberId: 'm1', ballot: { kind: 'C-ID', yes: true } }] })).toMatchObject({ type: 'NOT_A_PAPER_SITTING', rule: 'C-4' });
  });
});

test('C-1, C-SEL (rule-set): criteria other than the rule-set\'s and a council without a vice-chair are refused at formation; the sheet is the rule-set\'s for the task\'s form', async () => {
  await runScenario(env, 'NV-INTEGCRITERIA001', async (s) => {
    await toOrderListed(s);
    await s.cmd('assignDirectly', { by: manager, host: HOST });
    const deadline = new Date((await s.env.currentTimeMs()) + 2 * 86_400_000).toISOString();
    const form = { by: manager, kind: 'C-SEL' as const, members: seats, meetingOn: await s.today(), votingDeadline: deadline, ballot: 'secret' as const };
    // A set that does not total 100 (or any set other than the rule-set's) is refused, naming the rule.
    const ninety = await refusedNothingRecorded(s, 'formCouncil', { ...form, criteria: [{ id: 'content', max: 60 }, { id: 'budget', max: 30 }] });
    expect(ninety).toMatchObject({ type: 'CRITERIA_NOT_IN_RULESET', rule: 'C-SEL' });
    expect(ninety.message).toContain('rationale 15, content 30, products 20, applicability 15, capacity 10, budget 10');
    // C-SEL needs its vice-chair (§3).
    const noVice = seats.map((m) => (m.role === 'vice_chair' ? { ...m, role: 'member' as const } : m));
    expect(await refusedNothingRecorded(s, 'formCouncil', { ...form, members: noVice })).toMatchObject({ type: 'VICE_CHAIR_COUNT', rule: 'C-1' });
    // Without criteria: the rule-set's sheet for a research topic.
    const st = await s.cmd('formCouncil', form);
    const id = st.councilSittings.at(-1)!.councilId;
    for (let i = 0; i < 100 && !(await s.councilView(id).catch(() => undefined)); i++) await new Promise((r) => setTimeout(r, 20));
    expect((await s.councilView(id)).criteria).toEqual([
      { id: 'rationale', max: 15 },
      { id: 'content', max: 30, products: true },
      { id: 'products', max: 20, products: true },
      { id: 'applicability', max: 15 },
      { id: 'capacity', max: 10 },
      { id: 'budget', max: 10 },
    ]);
  });
});

test('C-9: a sitting whose tally cannot be computed (criteria of a sitting formed before the rule-set check) is void and waits to be rescheduled; it never fails', async () => {
  await runScenario(env, 'NV-INTEGTALLYVOID01', async (s) => {
    await s.cmd('startIdentificationReview', { by: manager });
    // A sitting as one formed before issue 13 could be: criteria adding up to 90.
    const councilId = 'council-NV-INTEGTALLYVOID01-C-SEL-9';
    const input: CouncilInput = {
      councilId,
      taskId: 'NV-INTEGTALLYVOID01',
      taskTitle: 'Nhiệm vụ thử',
      kind: 'C-SEL',
      ruleSet: { regime: 'LEGACY_2013', provinceProfile: 'tay-ninh', version: '2026.1' },
      level: 'provincial',
      formedBy: { userId: manager.userId, role: 'manager', name: manager.name },
      ballot: 'secret',
      members: seats,
      meetingOn: await s.today(),
      votingDeadline: new Date((await s.env.currentTimeMs()) + 2 * 86_400_000).toISOString(),
      dossiers: ['HS-1-1'],
      criteria: [{ id: 'content', max: 60 }, { id: 'budget', max: 30 }],
      voting: 'paper',
      publicBaseUrl: 'http://127.0.0.1:3000',
      departmentName: 'Sở Khoa học và Công nghệ tỉnh Tây Ninh',
      place: 'Tây Ninh',
    };
    const handle = await s.env.client.workflow.start(councilSittingWorkflow, { workflowId: councilId, taskQueue: 'scenario-NV-INTEGTALLYVOID01', args: [input] });
    for (let i = 0; i < 100 && !(await handle.query(getCouncilViewQuery).catch(() => undefined)); i++) await new Promise((r) => setTimeout(r, 20));
    const send = <K extends keyof CouncilCommands>(name: K, p: CouncilCommands[K]) => handle.executeUpdate(councilUpdate(name), { args: [p] });
    for (const m of ids) await send('declareConflict', { by: manager, memberId: m, conflicted: false });
    await send('recordAttendance', { by: manager, present: ids });
    // The last ballot is answered (the secretary is not left hanging) …
    const view = await send('enterPaperBallots', { by: manager, ballots: ballotsFor(await handle.query(getCouncilViewQuery), { kind: 'C-SEL', winner: 'HS-1-1' }, ids) });
    expect(['VOTING', 'POSTPONED']).toContain(view.status);
    // … and the sitting is void, visibly, with the reason; still running, waiting to be rescheduled.
    let after = await handle.query(getCouncilViewQuery);
    for (let i = 0; i < 200 && after.status === 'VOTING'; i++) {
      await new Promise((r) => setTimeout(r, 25));
      after = await handle.query(getCouncilViewQuery);
    }
    expect(after.status).toBe('POSTPONED');
    expect(after.tallyRefusal).toMatchObject({ rule: 'C-SEL-2', en: expect.stringContaining('add up to 90, not 100') });
    expect(after.result).toBeUndefined();
    expect((await handle.describe()).status.name).toBe('RUNNING');
    // The workflow task never failed (no retry loop): the history holds no WorkflowTaskFailed event.
    const history = await handle.fetchHistory();
    expect((history.events ?? []).filter((e) => e.workflowTaskFailedEventAttributes)).toEqual([]);
    await handle.terminate('test over');
  });
});
