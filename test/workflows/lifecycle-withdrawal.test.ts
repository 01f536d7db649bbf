/**
 * WITHDRAWN (domain.md §2, side state; rule L-1 in the transition table) on the
 * time-skipping server: the proposer's organisation may withdraw before a contract;
 * another organisation may not; after the contract it is no longer possible.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { addDays } from '../../workflows/rules/calendar';
import { createTimeSkippingEnv, HOST, manager, otherResearcher, researcher, runScenario, sitCouncil, toInProgress, toOrderListed, type Scenario, refusedNothingRecorded } from '../support/lifecycle-harness';

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

test('WITHDRAWN (L-1): the proposer\'s researcher withdraws during the call → WITHDRAWN, task.withdrawn to the officer, open obligations cancelled, workflow completes; another organisation\'s researcher is refused (NOT_YOUR_TASK)', async () => {
  await scenario('NV-WITHDRAWBEFORE001', async (s) => {
    await toOrderListed(s);
    await s.cmd('openCall', { by: manager, closesOn: addDays(await s.today(), 30) });
    await s.cmd('submitDossier', { by: researcher, host: HOST });

    expect(await refusedNothingRecorded(s, 'withdraw', { by: otherResearcher, reason: 'Không còn nhu cầu' })).toEqual({
      type: 'NOT_YOUR_TASK',
      rule: 'L-1',
      message: 'This task does not belong to your organisation.',
    });
    expect(await refusedNothingRecorded(s, 'withdraw', { by: manager, reason: 'x' })).toMatchObject({ type: 'FORBIDDEN_ROLE', rule: 'L-1' });

    const st = await s.cmd('withdraw', { by: researcher, reason: 'Chủ nhiệm dự kiến chuyển công tác' });
    expect(st.stage).toBe('WITHDRAWN');
    expect(st.closed).toBe(true);
    expect(st.timeline.at(-1)).toMatchObject({ stage: 'WITHDRAWN', rule: 'L-1', action: 'withdraw', note: 'Chủ nhiệm dự kiến chuyển công tác', by: { userId: researcher.userId } });
    expect(st.obligations.find((o) => o.kind === 'open_dossiers')!.status).toBe('CANCELLED');
    expect(st.obligations.filter((o) => o.status === 'OPEN' || o.status === 'OVERDUE')).toEqual([]);
    expect(st.events.at(-1)).toMatchObject({ type: 'task.withdrawn', rule: 'L-1', audience: 'officer' });

    // WITHDRAWN is terminal: the workflow completes once its email is out.
    const final = await s.handle.result();
    expect(final).toMatchObject({ stage: 'WITHDRAWN', closed: true });
    const mails = s.rec.sent.filter((m) => m.template === 'task-event' && m.data.subject === 'Bên đề xuất rút hồ sơ');
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ to: [manager.email], data: { rule: 'L-1', message: 'Lý do: Chủ nhiệm dự kiến chuyển công tác.' } });
    expect((await s.handle.describe()).status.name).toBe('COMPLETED');
  });
});

test('WITHDRAWN (L-1): after the contract a withdrawal is refused (TRANSITION_NOT_ALLOWED) and records nothing', async () => {
  await scenario('NV-WITHDRAWAFTER0001', async (s) => {
    await toInProgress(s, { durationMonths: 12 });
    const r = await refusedNothingRecorded(s, 'withdraw', { by: researcher, reason: 'Không còn nhu cầu' });
    expect(r).toMatchObject({ type: 'TRANSITION_NOT_ALLOWED', rule: 'L-1' });
    expect(r.message).toMatch(/^Cannot withdraw in stage IN_PROGRESS; allowed only in: PROPOSED, .*APPROVED, NO_QUALIFIED_APPLICANT \(L-1\)\.$/);
    const st = await s.state();
    expect(st.stage).toBe('IN_PROGRESS');
    expect(st.closed).toBe(false);
    expect((await s.handle.describe()).status.name).toBe('RUNNING');
  });
});

test('CANCELLED_BEFORE_CONTRACT (L-10): an approved task dropped from the list before signing → the host is told why, the signing deadline is cancelled, the workflow completes; a researcher may not do it', async () => {
  await scenario('NV-CANCELBEFORECTR1', async (s) => {
    await toOrderListed(s);
    await s.cmd('assignDirectly', { by: manager, host: HOST });
    await sitCouncil(s, { kind: 'C-SEL', winner: 'HS-GTT' });
    await s.cmd('submitRevisedProposal', { by: researcher });
    await s.cmd('recordBudgetAppraisal', { by: manager, requested: 1_000_000_000, appraisedState: 900_000_000, appraisedOther: 100_000_000 });
    let st = await s.cmd('approveTask', { by: manager, durationMonths: 12, fundingMode: 'full_lump_sum', stateBudget: 900_000_000, otherSources: 100_000_000, products: ['Quy trình nuôi tôm tuần hoàn'] });
    expect(st.stage).toBe('APPROVED');
    expect(st.obligations.find((o) => o.kind === 'contract_signing')).toMatchObject({ status: 'OPEN' });

    expect(await refusedNothingRecorded(s, 'cancelBeforeContract', { by: researcher, reason: 'x' })).toMatchObject({ type: 'FORBIDDEN_ROLE', rule: 'L-10' });
    st = await s.cmd('cancelBeforeContract', { by: manager, reason: 'Ngân sách tỉnh năm 2027 bị cắt giảm' });
    expect(st.stage).toBe('CANCELLED_BEFORE_CONTRACT');
    expect(st.closed).toBe(true);
    expect(st.timeline.at(-1)).toMatchObject({ stage: 'CANCELLED_BEFORE_CONTRACT', rule: 'L-10', action: 'cancelBeforeContract', note: 'Ngân sách tỉnh năm 2027 bị cắt giảm' });
    expect(st.obligations.find((o) => o.kind === 'contract_signing')!.status).toBe('CANCELLED');
    expect(st.obligations.filter((o) => o.status === 'OPEN' || o.status === 'OVERDUE')).toEqual([]);
    expect(st.events.at(-1)).toMatchObject({ type: 'task.cancelled', rule: 'L-10', audience: 'host' });

    const final = await s.handle.result();
    expect(final).toMatchObject({ stage: 'CANCELLED_BEFORE_CONTRACT', closed: true });
    const mails = s.rec.sent.filter((m) => m.template === 'task-event' && m.data.subject === 'Nhiệm vụ bị đưa khỏi danh mục');
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ to: [researcher.email], data: { message: 'Lý do: Ngân sách tỉnh năm 2027 bị cắt giảm.' } });
    expect((await s.handle.describe()).status.name).toBe('COMPLETED');
  });
});
