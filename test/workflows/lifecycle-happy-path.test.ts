/**
 * The main path of domain.md §2 on the time-skipping server: L-1 … L-23 to
 * ARCHIVED by competitive selection, with the deadlines each step opens.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { addDays, addMonths } from '../../workflows/rules/calendar';
import { createTimeSkippingEnv, manager, researcher, runScenario, sitCouncil, toInProgress } from '../support/lifecycle-harness';

let env: TestWorkflowEnvironment;
// A test server of its own for every test: one that keeps its time-skipping lock after a scenario (a
// known hazard of the test server with updates) cannot stall the tests after it.
beforeEach(async () => {
  env = await createTimeSkippingEnv();
});
afterEach(async () => {
  await env?.teardown();
});

test('L-1…L-23: proposal to ARCHIVED with every deadline, the report cycle and the settlement', async () => {
  await runScenario(env, 'NV-HAPPYPATH0000001', async (s) => {
    const { startOn, endOn } = await toInProgress(s, { durationMonths: 12 });
    expect(endOn).toBe(addDays(addMonths(startOn, 12), -1));

    let st = await s.state();
    expect(st.stage).toBe('IN_PROGRESS');
    expect(st.host?.orgName).toBe('Viện Sinh học Nhiệt đới');
    expect(st.funds).toMatchObject({ approvedState: 1_500_000_000, disbursed: 1_000_000_000 });
    // L-13: one report at six months; L-18: the dossier 30 days after the end.
    expect(st.reports).toEqual([{ period: 1, dueOn: addMonths(startOn, 6) }]);
    const dossier = st.obligations.find((o) => o.kind === 'acceptance_dossier')!;
    expect(dossier).toMatchObject({ dueOn: addDays(endOn, 30), assignee: 'host', status: 'OPEN', accountable: { name: manager.name } });
    // Earlier obligations were met: dossier opening, revision, contract signing.
    expect(st.obligations.filter((o) => ['open_dossiers', 'proposal_revision', 'contract_signing'].includes(o.kind)).map((o) => o.status)).toEqual(['DONE', 'DONE', 'DONE']);

    // Six months on, the report (reminded a week before) is filed on time.
    await s.days(180);
    st = await s.cmd('submitProgressReport', { by: researcher, period: 1, summary: 'Đã hoàn thành 50% khối lượng.' });
    expect(st.reports[0]).toMatchObject({ late: false });
    expect(await s.events()).toContain('obligation.reminder');

    // Near the end: self-evaluation and the acceptance dossier in time.
    await s.days(170);
    await s.cmd('startSelfEvaluation', { by: researcher });
    await s.cmd('submitAcceptanceDossier', { by: researcher, fundsSpent: 950_000_000, documents: ['Báo cáo tổng hợp', 'Báo cáo tóm tắt'] });
    await s.cmd('checkAcceptanceDossier', { by: manager, complete: true });
    await s.cmd('formAcceptanceCouncil', { by: manager, meetingOn: addDays(await s.today(), 20) });
    // C-ACC: the council sits (on paper here) and its tally decides (issue 13: no outcome without ballots).
    st = (await sitCouncil(s, { kind: 'C-ACC', rating: 'PASS' })).task;
    expect(st.stage).toBe('ACCEPTED_PASS');
    const registration = st.obligations.find((o) => o.kind === 'result_registration')!;
    expect(registration.dueOn).toBe(addDays(await s.today(), 30)); // L-22

    // L-21 (issue 13): the host revises the results per the council, then the Director recognises them.
    expect(st.acceptance!.revisionRequired).toBe(true);
    expect(st.obligations.find((o) => o.kind === 'result_revision')).toMatchObject({ rule: 'L-21', assignee: 'host', status: 'OPEN', dueOn: addDays(await s.today(), 15) });
    expect(await s.refused('recognizeResult', { by: manager })).toMatchObject({ type: 'PRECONDITION_FAILED', rule: 'L-21' });
    st = await s.cmd('submitRevisedResults', { by: researcher, summary: 'Đã bổ sung số liệu vụ 2 vào báo cáo tổng hợp theo kết luận của hội đồng.' });
    expect(st.obligations.find((o) => o.kind === 'result_revision')).toMatchObject({ status: 'DONE', evidence: 'Đã bổ sung số liệu vụ 2 vào báo cáo tổng hợp theo kết luận của hội đồng.' });
    expect(st.timeline.at(-1)).toMatchObject({ stage: 'ACCEPTED_PASS', rule: 'L-21', action: 'submitRevisedResults' });
    await s.cmd('recognizeResult', { by: manager });
    await s.cmd('registerResult', { by: researcher, certificates: ['GCN-2027-0042'] });
    st = await s.cmd('settleFinances', { by: manager, fundsSpent: 950_000_000 });
    expect(st.funds.refundDue).toMatchObject({ unspent: 50_000_000, total: 50_000_000 });
    // T-3 (issue 13): the unspent state funds are the host's obligation, due in 30 days; the contract is not
    // liquidated while they are owed, and no more than is due comes back.
    const refund = st.obligations.find((o) => o.kind === 'refund')!;
    expect(refund).toMatchObject({ rule: 'T-3', assignee: 'host', status: 'OPEN', dueOn: addDays(await s.today(), 30), deliverable: { vi: 'Hoàn trả ngân sách nhà nước 50.000.000 đồng' } });
    expect(await s.refused('liquidate', { by: manager })).toMatchObject({ type: 'PRECONDITION_FAILED', rule: 'L-23', message: expect.stringContaining('50.000.000') });
    expect(await s.refused('recordRefund', { by: manager, amount: 50_000_001 })).toMatchObject({ type: 'INVALID_COMMAND', rule: 'T-3' });
    st = await s.cmd('recordRefund', { by: manager, amount: 50_000_000 });
    expect(st.funds.refunded).toBe(50_000_000);
    expect(st.obligations.find((o) => o.kind === 'refund')).toMatchObject({ status: 'DONE' });
    await s.cmd('liquidate', { by: manager });
    st = await s.cmd('archive', { by: manager });
    expect(st.stage).toBe('ARCHIVED');

    const final = await s.handle.result();
    expect(final.closed).toBe(true);
    // Each council's formation is on the timeline too (C-1), in the stage it sat in.
    expect(final.timeline.filter((t) => t.action === 'formCouncil').map((t) => [t.stage, t.rule])).toEqual([['IDENTIFICATION_REVIEW', 'C-1'], ['SELECTION_REVIEW', 'C-1'], ['ACCEPTANCE_REVIEW', 'C-1']]);
    const moves = final.timeline.filter((t) => t.action !== 'formCouncil');
    expect(moves.map((t) => t.stage)).toEqual([
      'PROPOSED', 'IDENTIFICATION_REVIEW', 'ORDER_LISTED', 'CALL_OPEN', 'DOSSIERS_OPENED', 'SELECTION_REVIEW', 'SELECTED',
      'PROPOSAL_REVISION', 'BUDGET_APPRAISAL', 'PENDING_APPROVAL', 'APPROVED', 'CONTRACTED', 'IN_PROGRESS', 'SELF_EVALUATION',
      'ACCEPTANCE_SUBMITTED', 'ACCEPTANCE_REVIEW', 'ACCEPTED_PASS', 'ACCEPTED_PASS', 'RESULT_RECOGNIZED', 'RESULT_REGISTERED',
      'FINANCIAL_SETTLEMENT', 'LIQUIDATED', 'ARCHIVED',
    ]);
    expect(moves.map((t) => t.rule)).toEqual([
      'L-1', 'L-2', 'L-3', 'L-4', 'L-5', 'L-6', 'L-7', 'L-8', 'L-9', 'L-9', 'L-10', 'L-11', 'L-12', 'L-17', 'L-18', 'L-19',
      'L-20', 'L-21', 'L-21', 'L-22', 'L-23', 'L-23', 'L-23',
    ]);
    expect(final.obligations.filter((o) => o.status === 'OPEN' || o.status === 'OVERDUE')).toEqual([]);
    // The read model saw every version in order, ending with the archived state.
    const versions = s.rec.written.map((w) => w.version);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(s.rec.written.at(-1)).toMatchObject({ stage: 'ARCHIVED', version: final.version });
    expect(s.rec.debarments).toEqual([]);
  });
});
