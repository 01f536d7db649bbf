/**
 * L-2, L-3 and C-ID / C-2 on the time-skipping server: the identification council's
 * result (tay-ninh ≥ 2/3 profile and the default > 3/4 rule-set), a manager's direct
 * rejection with reasons, a result without quorum, and the refusals of the
 * transition table (FORBIDDEN_ROLE, TRANSITION_NOT_ALLOWED, NOT_YOUR_TASK) at the
 * workflow level. A refused command records nothing.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { type Actor } from '../../workflows/definitions';
import { councilSeats, createTimeSkippingEnv, manager, otherResearcher, researcher, runScenario, sitCouncil, toInProgress, type Scenario, taskEventMails, refusedNothingRecorded } from '../support/lifecycle-harness';

let env: TestWorkflowEnvironment;
// A test server of its own for every test: one that keeps its time-skipping lock after a scenario (a
// known hazard of the test server with updates) cannot stall the tests after it.
beforeEach(async () => {
  env = await createTimeSkippingEnv();
});
afterEach(async () => {
  await env?.teardown();
});

const scenario = (taskId: string, body: (s: Scenario) => Promise<void>, opts?: Parameters<typeof runScenario>[3]) => runScenario(env, taskId, body, opts);

// Issue 13: the council's outcome comes only from its ballots and the tally (here entered from a paper sitting).
const nine = councilSeats(9);
const firstPresent = (n: number) => nine.slice(0, n).map((m) => m.memberId);

test('C-ID, L-3 (tay-ninh ≥ 2/3): 5 yes of 8 present (9 members) is not recommended → PROPOSAL_REJECTED, proposal.rejected to host and officer, workflow completes', async () => {
  await scenario('NV-IDNOTRECOMMENDED01', async (s) => {
    await s.cmd('startIdentificationReview', { by: manager });
    const { councilId, task: st } = await sitCouncil(s, { kind: 'C-ID', recommend: false, yes: 5 }, { members: nine, present: firstPresent(8) });
    expect(st.stage).toBe('PROPOSAL_REJECTED');
    expect(st.closed).toBe(true);
    expect(st.councils).toEqual([
      { council: 'C-ID', outcome: 'NOT_RECOMMENDED', decidedAt: expect.any(String), tally: expect.objectContaining({ councilId, yes: 5, no: 3, present: 8, share: { num: 5, den: 8 } }) },
    ]);
    expect(st.timeline.at(-1)).toMatchObject({ stage: 'PROPOSAL_REJECTED', rule: 'L-3', action: 'councilResult', by: { userId: councilId } });
    expect(st.events.map((e) => [e.type, e.rule, e.audience])).toEqual([['council.formed', 'C-1', 'officer'], ['proposal.rejected', 'L-3', 'both']]);

    // The workflow completes (PROPOSAL_REJECTED is terminal) once its emails are out.
    const final = await s.handle.result();
    expect(final).toMatchObject({ stage: 'PROPOSAL_REJECTED', closed: true });
    const mails = s.rec.sent.filter((m) => m.template === 'task-event' && m.data.rule === 'L-3');
    expect(mails).toHaveLength(2);
    // Host side (proposer, in the submitter's locale) and the accountable officer (the manager who opened review).
    expect(mails.map((m) => m.to)).toEqual([[researcher.email], [manager.email]]);
    for (const m of mails) {
      expect(m.data).toMatchObject({ subject: 'Đề xuất không được hội đồng đề nghị', rule: 'L-3' });
      expect(m.data.message).toContain('5/8 thành viên có mặt bỏ phiếu đồng ý');
    }
    expect((await s.handle.describe()).status.name).toBe('COMPLETED');
  });
});

test('C-ID (RS-1): under the default rule-set (> 3/4 strictly), 6 yes of 8 present is not recommended', async () => {
  await scenario(
    'NV-IDDEFAULTPROFILE01',
    async (s) => {
      await s.cmd('startIdentificationReview', { by: manager });
      const { task: st } = await sitCouncil(s, { kind: 'C-ID', recommend: false, yes: 6 }, { members: nine, present: firstPresent(8) });
      expect(st.stage).toBe('PROPOSAL_REJECTED');
      expect(st.councils[0]).toMatchObject({ outcome: 'NOT_RECOMMENDED', tally: { yes: 6, present: 8 } });
      await s.handle.result();
    },
    { input: { ruleSet: { regime: 'LEGACY_2013', provinceProfile: 'default', version: '2026.1' } } },
  );
});

test('C-9: no outcome without ballots (the free entry is retired); C-ID size 7–9 and reviewers at formation; L-3 needs a recommendation; 4 yes of 6 present (= 2/3) is recommended under tay-ninh', async () => {
  await scenario('NV-IDQUORUM000000001', async (s) => {
    await s.cmd('startIdentificationReview', { by: manager });

    // L-3: the list cannot be approved before the council recommended the task.
    expect(await refusedNothingRecorded(s, 'approveOrderList', { by: manager })).toMatchObject({ type: 'PRECONDITION_FAILED', rule: 'L-3' });

    // Issue 13: a manager cannot type an outcome, whatever the figures.
    const typed = await refusedNothingRecorded(s, 'recordIdentificationResult', { by: manager, members: 9, present: 9, yes: 9 });
    expect(typed).toMatchObject({ type: 'COMMAND_RETIRED', rule: 'C-9' });
    expect(typed.message).toContain('ballots and the tally');
    expect((await s.state()).councils).toEqual([]);

    // C-ID: 7–9 members (C-1, §3), with reviewers.
    const deadline = new Date((await s.env.currentTimeMs()) + 86_400_000).toISOString();
    const form = (members: typeof nine) => ({ by: manager, kind: 'C-ID' as const, members, meetingOn: '2099-01-01', votingDeadline: deadline, ballot: 'secret' as const });
    expect(await refusedNothingRecorded(s, 'formCouncil', { ...form(nine.slice(0, 6)), meetingOn: await s.today() })).toMatchObject({ type: 'COUNCIL_TOO_SMALL', rule: 'C-ID' });
    const noReviewers = nine.map((m) => (m.role === 'reviewer' ? { ...m, role: 'member' as const } : m));
    expect(await refusedNothingRecorded(s, 'formCouncil', { ...form(noReviewers), meetingOn: await s.today() })).toMatchObject({ type: 'REVIEWER_COUNT', rule: 'C-1' });

    // 6 of 9 present (exactly 2/3: quorum, chair and reviewers among them), 4 yes (exactly 2/3: recommended under tay-ninh).
    let st = (await sitCouncil(s, { kind: 'C-ID', recommend: true, yes: 4 }, { members: nine, present: firstPresent(6) })).task;
    expect(st.stage).toBe('IDENTIFICATION_REVIEW');
    expect(st.councils.map((c) => c.outcome)).toEqual(['RECOMMENDED']);
    st = await s.cmd('approveOrderList', { by: manager });
    expect(st.stage).toBe('ORDER_LISTED');
    expect(st.timeline.at(-1)).toMatchObject({ stage: 'ORDER_LISTED', rule: 'L-3' });
    expect(await s.events()).toEqual(['council.formed', 'order.listed']);
  });
});

test('L-3: a manager rejects the proposal directly with reasons → PROPOSAL_REJECTED; a rejection without reasons is refused', async () => {
  await scenario('NV-IDDIRECTREJECT001', async (s) => {
    await s.cmd('startIdentificationReview', { by: manager });
    expect(await refusedNothingRecorded(s, 'rejectProposal', { by: manager, reasons: [] })).toMatchObject({ type: 'INVALID_COMMAND', rule: 'L-3' });

    const reasons = ['Trùng với nhiệm vụ cấp quốc gia đang thực hiện', 'Sản phẩm dự kiến chưa rõ địa chỉ ứng dụng'];
    const st = await s.cmd('rejectProposal', { by: manager, reasons });
    expect(st.stage).toBe('PROPOSAL_REJECTED');
    expect(st.closed).toBe(true);
    expect(st.councils).toEqual([]);
    expect(st.timeline.at(-1)).toMatchObject({ stage: 'PROPOSAL_REJECTED', rule: 'L-3', action: 'rejectProposal', note: reasons.join('; ') });
    expect(st.events.map((e) => [e.type, e.rule, e.audience])).toEqual([['proposal.rejected', 'L-3', 'host']]);

    const final = await s.handle.result();
    expect(final.stage).toBe('PROPOSAL_REJECTED');
    const [mail, ...more] = await taskEventMails(s, 'Đề xuất không được phê duyệt');
    expect(more).toEqual([]);
    expect(mail).toMatchObject({ to: [researcher.email], locale: 'vi', data: { rule: 'L-3', message: `Lý do: ${reasons.join('; ')}.` } });
  });
});

test('transition table (L-2, L-3, L-4, L-11, L-12, L-13, L-23): FORBIDDEN_ROLE for the wrong role, TRANSITION_NOT_ALLOWED in the wrong stage, NOT_YOUR_TASK for another organisation, each with its rule and nothing recorded', async () => {
  await scenario('NV-TRANSITIONTABLE01', async (s) => {
    const admin: Actor = { ...manager, userId: 'u-admin-1', role: 'admin', name: 'Quản trị hệ thống', email: 'admin@skhcn.example.vn' };

    // PROPOSED: a researcher or an admin may not open review; only a manager.
    expect(await refusedNothingRecorded(s, 'startIdentificationReview', { by: researcher })).toEqual({
      type: 'FORBIDDEN_ROLE',
      rule: 'L-2',
      message: 'Role "researcher" may not open identification review (L-2).',
    });
    expect(await refusedNothingRecorded(s, 'startIdentificationReview', { by: admin })).toMatchObject({ type: 'FORBIDDEN_ROLE', rule: 'L-2' });
    expect(await refusedNothingRecorded(s, 'approveOrderList', { by: researcher })).toMatchObject({ type: 'FORBIDDEN_ROLE', rule: 'L-3' });
    // The role is checked before the stage: a manager giving a researcher's command.
    expect(await refusedNothingRecorded(s, 'submitProgressReport', { by: manager, period: 1, summary: 'x' })).toMatchObject({ type: 'FORBIDDEN_ROLE', rule: 'L-13' });
    // Right role, wrong stage.
    expect(await refusedNothingRecorded(s, 'openCall', { by: manager, closesOn: '2099-01-01' })).toEqual({
      type: 'TRANSITION_NOT_ALLOWED',
      rule: 'L-4',
      message: 'Cannot open a call in stage PROPOSED; allowed only in: ORDER_LISTED, NO_QUALIFIED_APPLICANT (L-4).',
    });
    expect(await refusedNothingRecorded(s, 'signContract', { by: manager })).toMatchObject({ type: 'TRANSITION_NOT_ALLOWED', rule: 'L-11' });
    // A retired command is refused as such in any stage (issue 13).
    expect(await refusedNothingRecorded(s, 'recordIdentificationResult', { by: manager, members: 9, present: 9, yes: 9 })).toMatchObject({ type: 'COMMAND_RETIRED', rule: 'C-9' });
    // Another organisation's researcher may not act on the task.
    expect(await refusedNothingRecorded(s, 'withdraw', { by: otherResearcher, reason: 'x' })).toMatchObject({ type: 'NOT_YOUR_TASK', rule: 'L-1' });
    expect((await s.state()).stage).toBe('PROPOSED');

    // In execution: earlier stages' commands are no longer allowed; a researcher may not disburse.
    await toInProgress(s, { durationMonths: 12 });
    expect(await refusedNothingRecorded(s, 'startIdentificationReview', { by: manager })).toMatchObject({ type: 'TRANSITION_NOT_ALLOWED', rule: 'L-2' });
    expect(await refusedNothingRecorded(s, 'approveTask', { by: manager, durationMonths: 12, fundingMode: 'full_lump_sum', stateBudget: 1, otherSources: 0, products: [] })).toMatchObject({ type: 'TRANSITION_NOT_ALLOWED', rule: 'L-10' });
    expect(await refusedNothingRecorded(s, 'archive', { by: manager })).toMatchObject({ type: 'TRANSITION_NOT_ALLOWED', rule: 'L-23' });
    expect(await refusedNothingRecorded(s, 'recordDisbursement', { by: researcher, amount: 1 })).toMatchObject({ type: 'FORBIDDEN_ROLE', rule: 'L-12' });
    expect(await refusedNothingRecorded(s, 'submitProgressReport', { by: otherResearcher, period: 1, summary: 'x' })).toMatchObject({ type: 'NOT_YOUR_TASK', rule: 'L-13' });
    // L-12: disbursements never exceed the approved state budget (1.5 bn, 1 bn already out).
    expect(await refusedNothingRecorded(s, 'recordDisbursement', { by: manager, amount: 500_000_001 })).toMatchObject({ type: 'PRECONDITION_FAILED', rule: 'L-12' });
    expect((await s.state()).stage).toBe('IN_PROGRESS');
  });
});
