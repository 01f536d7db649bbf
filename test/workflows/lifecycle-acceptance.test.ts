/**
 * §6 acceptance on the time-skipping server: L-17 … L-20 with a FAIL rating
 * (ACCEPTANCE_FAILED, T-3 refund for a subjective cause, T-4 debarment, L-24
 * liquidation), and L-18/L-20: a dossier filed after the contract end + 30 days is
 * rated FAIL at once; one filed on the last day is on time.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { type TaskState } from '../../workflows/definitions';
import { addDays, addMonths, addWorkingDays } from '../../workflows/rules/calendar';
import { formatVnd } from '../../workflows/rules/money';
import { createTimeSkippingEnv, HOST, manager, researcher, runScenario, sitCouncil, toInProgress, type Scenario, taskEventMails, refusedNothingRecorded, until } from '../support/lifecycle-harness';
import { dmy } from '../../workflows/task-documents';

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

const live = (st: TaskState) => st.obligations.filter((o) => o.status === 'OPEN' || o.status === 'OVERDUE');
const ofKind = (st: TaskState, kind: string) => st.obligations.find((o) => o.kind === kind)!;

test('L-17…L-20, N-3, T-3, T-4, L-24: acceptance rated FAIL → ACCEPTANCE_FAILED with refund of unspent + 30 % of spent and a 24-month debarment; liquidation after the refund; ARCHIVED', async () => {
  await scenario('NV-ACCFAILRATING0001', async (s) => {
    const { startOn: S, endOn: E } = await toInProgress(s, { durationMonths: 12, disburse: 1_000_000_000 });
    await until(s, addMonths(S, 6));
    await s.cmd('submitProgressReport', { by: researcher, period: 1, summary: 'Báo cáo kỳ 1' });

    await until(s, addDays(E, -10));
    let st = await s.cmd('startSelfEvaluation', { by: researcher });
    expect(st.stage).toBe('SELF_EVALUATION');
    expect(st.timeline.at(-1)).toMatchObject({ stage: 'SELF_EVALUATION', rule: 'L-17' });
    // N-2: the reported spending cannot exceed what was received.
    expect(await refusedNothingRecorded(s, 'submitAcceptanceDossier', { by: researcher, fundsSpent: 1_000_000_001, documents: ['x'] })).toMatchObject({ type: 'INVALID_COMMAND', rule: 'N-2' });
    st = await s.cmd('submitAcceptanceDossier', { by: researcher, fundsSpent: 900_000_000, documents: ['Báo cáo tổng hợp', 'Báo cáo tóm tắt', 'Báo cáo tự đánh giá'] });
    const submittedOn = await s.today();
    expect(st.stage).toBe('ACCEPTANCE_SUBMITTED');
    expect(st.acceptance).toEqual({ dossierSubmittedAt: expect.any(String), late: false, fundsSpent: 900_000_000 });
    expect(ofKind(st, 'acceptance_dossier')).toMatchObject({ status: 'DONE', evidence: 'Báo cáo tổng hợp, Báo cáo tóm tắt, Báo cáo tự đánh giá' });
    // L-19: completeness answered within 3 working days.
    expect(ofKind(st, 'dossier_completeness')).toMatchObject({ assignee: 'department', dueOn: addWorkingDays(submittedOn, 3), status: 'OPEN' });
    // The council cannot be formed before the dossier is confirmed complete.
    expect(await refusedNothingRecorded(s, 'formAcceptanceCouncil', { by: manager, meetingOn: addDays(submittedOn, 20) })).toMatchObject({ type: 'PRECONDITION_FAILED', rule: 'L-19' });

    await s.days(2);
    st = await s.cmd('checkAcceptanceDossier', { by: manager, complete: true });
    const completeOn = await s.today();
    // L-19: council formed within 15 working days of a complete dossier.
    expect(ofKind(st, 'acceptance_council')).toMatchObject({ dueOn: addWorkingDays(completeOn, 15), status: 'OPEN' });
    await s.days(7);
    st = await s.cmd('formAcceptanceCouncil', { by: manager, meetingOn: addDays(await s.today(), 20) });
    const formedOn = await s.today();
    expect(st.stage).toBe('ACCEPTANCE_REVIEW');
    // L-19: the meeting within 30 days of the decision forming the council.
    expect(ofKind(st, 'acceptance_meeting')).toMatchObject({ dueOn: addDays(formedOn, 30), status: 'OPEN' });

    await s.days(20);
    // C-ACC: the council's ratings and the tally decide (issue 13), here all FAIL.
    const sat = await sitCouncil(s, { kind: 'C-ACC', rating: 'FAIL' });
    st = sat.task;
    const failedOn = await s.today();
    expect(st.stage).toBe('ACCEPTANCE_FAILED');
    expect(st.timeline.at(-1)).toMatchObject({ stage: 'ACCEPTANCE_FAILED', rule: 'L-20', by: { userId: sat.councilId } });
    expect(st.acceptance!.rating).toBe('FAIL');
    expect(st.councils.at(-1)).toMatchObject({ council: 'C-ACC', outcome: 'FAIL', tally: { councilId: sat.councilId } });
    // T-3 (subjective: FAIL): 100 000 000 unspent + 30 % × 900 000 000 = 270 000 000.
    expect(st.funds.refundDue).toEqual({ unspent: 100_000_000, spentShare: 270_000_000, total: 370_000_000, cause: 'subjective', basis: expect.any(Object) });
    // T-4: barred for 24 months.
    expect(st.debarment).toEqual({ until: addMonths(failedOn, 24), orgId: HOST.orgId, piEmail: researcher.email, reason: 'L-20' });
    expect(s.rec.debarments).toEqual([{ taskId: 'NV-ACCFAILRATING0001', until: addMonths(failedOn, 24), orgId: HOST.orgId, piEmail: researcher.email, reason: 'L-20' }]);
    // No result registration after a FAIL; the host owes the refund alone (issue 13: an obligation due in 30 days).
    expect(st.obligations.filter((o) => o.kind === 'result_registration')).toEqual([]);
    expect(live(st).map((o) => [o.kind, o.rule, o.assignee, o.dueOn])).toEqual([['refund', 'T-3', 'host', addDays(failedOn, 30)]]);
    // The fund recovery, then the acceptance result itself (issue 6: every decision is notified).
    expect(st.events.slice(-2)).toMatchObject([{ type: 'funds.recovery', rule: 'T-3', audience: 'both' }, { type: 'acceptance.failed', rule: 'L-20', audience: 'both' }]);
    const recovery = await taskEventMails(s, 'Thu hồi kinh phí', 2);
    expect(recovery.map((m) => m.to)).toEqual([[researcher.email], [manager.email]]);
    expect(recovery[0]!.data.message).toContain(`Số phải hoàn trả: ${formatVnd(370_000_000)} đồng.`);
    expect(recovery[0]!.data.message).toContain(`đến ngày ${dmy(addMonths(failedOn, 24))}.`);

    // N-3: no recognition after FAIL.
    expect(await refusedNothingRecorded(s, 'recognizeResult', { by: manager })).toMatchObject({ type: 'TRANSITION_NOT_ALLOWED', rule: 'L-21' });
    expect(await refusedNothingRecorded(s, 'liquidate', { by: manager })).toMatchObject({ type: 'PRECONDITION_FAILED', rule: 'L-24' });
    st = await s.cmd('recordRefund', { by: manager, amount: 370_000_000 });
    expect(st.funds).toMatchObject({ disbursed: 1_000_000_000, refunded: 370_000_000 });
    st = await s.cmd('liquidate', { by: manager });
    expect(st.timeline.at(-1)).toMatchObject({ stage: 'LIQUIDATED', rule: 'L-24' });
    await s.cmd('archive', { by: manager });
    const final = await s.handle.result();
    expect(final.stage).toBe('ARCHIVED');
    expect(final.timeline.filter((t) => t.action !== 'formCouncil').map((t) => t.stage).slice(-8)).toEqual([
      'CONTRACTED', 'IN_PROGRESS', 'SELF_EVALUATION', 'ACCEPTANCE_SUBMITTED', 'ACCEPTANCE_REVIEW', 'ACCEPTANCE_FAILED', 'LIQUIDATED', 'ARCHIVED',
    ]);
  });
}, 180_000);

test('L-18, L-20: an acceptance dossier filed after the contract end + 30 days is rated FAIL at once (ACCEPTANCE_FAILED) with refund and debarment', async () => {
  await scenario('NV-ACCLATEDOSSIER001', async (s) => {
    const { startOn: S, endOn: E } = await toInProgress(s, { durationMonths: 12, disburse: 1_000_000_000 });
    const dossierDue = addDays(E, 30);
    await until(s, addMonths(S, 6));
    await s.cmd('submitProgressReport', { by: researcher, period: 1, summary: 'Báo cáo kỳ 1' });

    // The due date passes: the dossier is escalated.
    await until(s, addDays(dossierDue, 1));
    let st = await s.state();
    expect(ofKind(st, 'acceptance_dossier')).toMatchObject({ dueOn: dossierDue, status: 'OVERDUE' });
    // (the Department never inspected this task: its yearly inspection, due by the end, went to its officer first)
    expect(st.events.filter((e) => e.type === 'obligation.overdue').map((e) => [e.rule, e.audience])).toEqual([['L-13', 'officer'], ['L-18', 'both']]);
    const [overdueMail] = await taskEventMails(s, 'Quá hạn: Hồ sơ đánh giá nghiệm thu');
    expect(overdueMail!.data.message).toContain(`(hạn ${dmy(dossierDue)})`);

    await s.cmd('startSelfEvaluation', { by: researcher });
    st = await s.cmd('submitAcceptanceDossier', { by: researcher, fundsSpent: 950_000_000, documents: ['Báo cáo tổng hợp'] });
    const failedOn = await s.today();
    expect(st.stage).toBe('ACCEPTANCE_FAILED');
    expect(st.acceptance).toEqual({ dossierSubmittedAt: expect.any(String), late: true, fundsSpent: 950_000_000, rating: 'FAIL' });
    expect(st.timeline.at(-1)).toMatchObject({ stage: 'ACCEPTANCE_FAILED', rule: 'L-20', action: 'submitAcceptanceDossier', note: `Nộp muộn (hạn ${dossierDue})` });
    // No council: the late dossier decides it.
    expect(st.councils.filter((c) => c.council === 'C-ACC')).toEqual([]);
    // T-3: 50 000 000 unspent + 30 % × 950 000 000 = 285 000 000.
    expect(st.funds.refundDue).toMatchObject({ unspent: 50_000_000, spentShare: 285_000_000, total: 335_000_000, cause: 'subjective' });
    expect(st.debarment).toEqual({ until: addMonths(failedOn, 24), orgId: HOST.orgId, piEmail: researcher.email, reason: 'L-20' });
    expect(s.rec.debarments).toHaveLength(1);
    expect(live(st).map((o) => [o.kind, o.dueOn, o.deliverable.vi])).toEqual([['refund', addDays(failedOn, 30), `Hoàn trả ngân sách nhà nước ${formatVnd(335_000_000)} đồng`]]);

    st = await s.cmd('recordRefund', { by: manager, amount: 335_000_000 });
    expect(live(st)).toEqual([]);
    expect(st.obligations.find((o) => o.kind === 'refund')).toMatchObject({ status: 'DONE', evidence: `Đã hoàn trả đủ ${formatVnd(335_000_000)} đồng` });
    st = await s.cmd('liquidate', { by: manager });
    expect(st.stage).toBe('LIQUIDATED');
  });
});

test('L-18: a dossier filed on the last day (contract end + 30) is on time → ACCEPTANCE_SUBMITTED', async () => {
  await scenario('NV-ACCLASTDAYDOSSIER', async (s) => {
    const { startOn: S, endOn: E } = await toInProgress(s, { durationMonths: 12 });
    await until(s, addMonths(S, 6));
    await s.cmd('submitProgressReport', { by: researcher, period: 1, summary: 'Báo cáo kỳ 1' });
    await until(s, addDays(E, 30));
    await s.cmd('startSelfEvaluation', { by: researcher });
    const st = await s.cmd('submitAcceptanceDossier', { by: researcher, fundsSpent: 950_000_000, documents: ['Báo cáo tổng hợp'] });
    expect(st.stage).toBe('ACCEPTANCE_SUBMITTED');
    expect(st.acceptance).toMatchObject({ late: false });
    expect(st.debarment).toBeUndefined();
    // Nothing of the host's is overdue; only the Department's missed yearly inspection (L-13) was escalated, to its officer.
    expect(st.events.filter((e) => e.type === 'obligation.overdue').map((e) => [e.rule, e.audience])).toEqual([['L-13', 'officer']]);
    expect(ofKind(st, 'inspection')).toMatchObject({ status: 'WAIVED', dueOn: E });
  });
});

test('L-19, L-20 (issue 13): a late dossier with reasons goes to the Department; justified, it is checked, found incomplete, filed again within its window and found complete', async () => {
  await scenario('NV-ACCLATEJUSTIFIED1', async (s) => {
    const { endOn: E } = await toInProgress(s, { durationMonths: 12, disburse: 1_000_000_000 });
    const dossierDue = addDays(E, 30);
    await until(s, addDays(dossierDue, 3));
    await s.cmd('startSelfEvaluation', { by: researcher });
    const reason = 'Lũ lớn tháng 10 làm ngập ruộng thí nghiệm, phải chờ thu hoạch vụ bù để có số liệu';
    let st = await s.cmd('submitAcceptanceDossier', { by: researcher, fundsSpent: 950_000_000, documents: ['Báo cáo tổng hợp'], lateReason: reason });
    // Late, but with reasons: not FAIL; the Department decides.
    expect(st.stage).toBe('ACCEPTANCE_SUBMITTED');
    expect(st.acceptance).toMatchObject({ late: true, lateReason: reason });
    expect(st.acceptance!.rating).toBeUndefined();
    expect(st.debarment).toBeUndefined();
    // The answer must say whether the reasons justify the delay.
    expect(await refusedNothingRecorded(s, 'checkAcceptanceDossier', { by: manager, complete: true })).toMatchObject({ type: 'INVALID_COMMAND', rule: 'L-20' });
    // Justified; the dossier lacks two items: the host files it again within 10 working days.
    st = await s.cmd('checkAcceptanceDossier', { by: manager, complete: false, missing: ['Báo cáo tóm tắt', 'Sổ nhật ký'], lateJustified: true });
    const checkedOn = await s.today();
    expect(st.stage).toBe('ACCEPTANCE_SUBMITTED');
    expect(st.acceptance).toMatchObject({ lateJustified: true, complete: false, missing: ['Báo cáo tóm tắt', 'Sổ nhật ký'] });
    expect(ofKind(st, 'dossier_supplement')).toMatchObject({ rule: 'L-19', assignee: 'host', status: 'OPEN', dueOn: addWorkingDays(checkedOn, 10) });
    const [answer] = await taskEventMails(s, 'Kết quả kiểm tra hồ sơ nghiệm thu');
    expect(answer!.data.message).toContain(`Nộp lại hồ sơ đã bổ sung trước hết ngày ${dmy(addWorkingDays(checkedOn, 10))}.`);
    // Nothing to check until it is filed again.
    expect(await refusedNothingRecorded(s, 'checkAcceptanceDossier', { by: manager, complete: true })).toMatchObject({ type: 'PRECONDITION_FAILED', rule: 'L-19' });
    await s.days(5);
    st = await s.cmd('submitAcceptanceDossier', { by: researcher, fundsSpent: 950_000_000, documents: ['Báo cáo tổng hợp', 'Báo cáo tóm tắt', 'Sổ nhật ký'] });
    expect(st.stage).toBe('ACCEPTANCE_SUBMITTED');
    expect(st.acceptance!.refiledAt).toHaveLength(1);
    expect(st.acceptance!.complete).toBeUndefined();
    expect(ofKind(st, 'dossier_supplement').status).toBe('DONE');
    expect(st.obligations.filter((o) => o.kind === 'dossier_completeness').map((o) => o.status)).toEqual(['DONE', 'OPEN']);
    expect(st.timeline.at(-1)).toMatchObject({ stage: 'ACCEPTANCE_SUBMITTED', rule: 'L-19', action: 'submitAcceptanceDossier' });
    // Filed once: not again before it is checked.
    expect(await refusedNothingRecorded(s, 'submitAcceptanceDossier', { by: researcher, fundsSpent: 950_000_000, documents: ['x'] })).toMatchObject({ type: 'PRECONDITION_FAILED', rule: 'L-19' });
    st = await s.cmd('checkAcceptanceDossier', { by: manager, complete: true });
    expect(st.acceptance!.complete).toBe(true);
    expect(live(st).map((o) => o.kind)).toEqual(['acceptance_council']);
  });
}, 180_000);

test('L-20 (issue 13): a late dossier whose reasons the Department does not accept is rated FAIL, with refund and debarment', async () => {
  await scenario('NV-ACCLATENOTJUST01', async (s) => {
    const { endOn: E } = await toInProgress(s, { durationMonths: 12, disburse: 1_000_000_000 });
    await until(s, addDays(E, 35));
    await s.cmd('startSelfEvaluation', { by: researcher });
    await s.cmd('submitAcceptanceDossier', { by: researcher, fundsSpent: 950_000_000, documents: ['Báo cáo tổng hợp'], lateReason: 'Chủ nhiệm bận công tác nước ngoài' });
    const st = await s.cmd('checkAcceptanceDossier', { by: manager, complete: true, lateJustified: false });
    const failedOn = await s.today();
    expect(st.stage).toBe('ACCEPTANCE_FAILED');
    expect(st.acceptance).toMatchObject({ late: true, lateJustified: false, rating: 'FAIL' });
    expect(st.timeline.at(-1)).toMatchObject({ stage: 'ACCEPTANCE_FAILED', rule: 'L-20', action: 'checkAcceptanceDossier', note: 'Nộp muộn không có lý do chính đáng' });
    expect(st.funds.refundDue).toMatchObject({ unspent: 50_000_000, spentShare: 285_000_000, total: 335_000_000, cause: 'subjective' });
    expect(st.debarment).toMatchObject({ until: addMonths(failedOn, 24), reason: 'L-20' });
    expect(live(st).map((o) => o.kind)).toEqual(['refund']);
  });
}, 180_000);
