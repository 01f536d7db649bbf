/**
 * §5 on the time-skipping server: T-1 suspension (deadlines pause, disbursement
 * stops, resume shifts every paused deadline by the paused days), T-1 → T-2 when the
 * remedy deadline passes, T-2 termination (Department-initiated with the host's
 * 30-day observation window, or voluntary), T-3 fund recovery (LEGACY_2013: unspent +
 * 30 % of spent for a subjective cause, half-up), T-4 debarment, L-24 liquidation.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { SA, type TaskState } from '../../workflows/definitions';
import { addDays, addMonths } from '../../workflows/rules/calendar';
import { formatVnd } from '../../workflows/rules/money';
import { createTimeSkippingEnv, HOST, manager, otherResearcher, researcher, runScenario, toInProgress, type Scenario, taskEventMails, refusedNothingRecorded, until } from '../support/lifecycle-harness';
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
const ob = (st: TaskState, id: string) => st.obligations.find((o) => o.id === id)!;

test('T-1: suspension for 40 days pauses every pausable deadline (no reminder or overdue fires), stops disbursement; resume shifts reports, the acceptance dossier and the contract end by exactly 40 days', async () => {
  await scenario('NV-SUSPRESUME40DAYS1', async (s) => {
    const { startOn: S, endOn: E } = await toInProgress(s, { durationMonths: 24 });
    const due = [6, 12, 18].map((m) => addMonths(S, m));
    const dossierDue = addDays(E, 30);

    // Suspended two days before report 1's reminder (a week before its due date).
    await until(s, addDays(due[0]!, -9));
    const sinceOn = await s.today();
    let st = await s.cmd('suspend', { by: manager, grounds: 'Kiểm tra phát hiện chậm tiến độ nghiêm trọng', remedyDays: 60 });
    expect(st.stage).toBe('SUSPENDED');
    expect(st.suspension).toEqual({ since: expect.any(String), sinceOn, remedyDueOn: addDays(sinceOn, 60), grounds: 'Kiểm tra phát hiện chậm tiến độ nghiêm trọng', resumeTo: 'IN_PROGRESS' });
    expect(ob(st, 'suspension_remedy-1')).toMatchObject({ rule: 'T-1', assignee: 'host', dueOn: addDays(sinceOn, 60), pausable: false, status: 'OPEN' });
    expect(st.timeline.at(-1)).toMatchObject({ stage: 'SUSPENDED', rule: 'T-1', action: 'suspend' });
    expect(st.events.at(-1)).toMatchObject({ type: 'task.suspended', rule: 'T-1', audience: 'both' });
    const suspendedMails = await taskEventMails(s, 'Thông báo tạm dừng nhiệm vụ', 2);
    expect(suspendedMails.map((m) => m.to)).toEqual([[researcher.email], [manager.email]]);
    expect(suspendedMails[0]!.data.message).toContain(`Hạn khắc phục: ${dmy(addDays(sinceOn, 60))}.`);
    // Disbursement stops (T-1); execution commands wait.
    expect(await refusedNothingRecorded(s, 'recordDisbursement', { by: manager, amount: 100_000_000 })).toMatchObject({ type: 'TRANSITION_NOT_ALLOWED', rule: 'L-12' });
    expect(await refusedNothingRecorded(s, 'requestAdjustment', { by: researcher, kind: 'A-3', months: 6 })).toMatchObject({ type: 'TRANSITION_NOT_ALLOWED', rule: 'L-14' });
    // A researcher may not lift the suspension.
    expect(await refusedNothingRecorded(s, 'resume', { by: researcher })).toMatchObject({ type: 'FORBIDDEN_ROLE', rule: 'T-1' });
    const eventsWhenSuspended = st.events.length;

    // 40 days pass: report 1's reminder and due date fall inside the suspension — nothing fires.
    await s.days(40);
    st = await s.state();
    expect(st.events).toHaveLength(eventsWhenSuspended);
    expect(ob(st, 'progress_report-1')).toMatchObject({ status: 'OPEN', dueOn: due[0], reminded: false });
    expect((await s.handle.describe()).typedSearchAttributes.get(SA.overdue)).toBe(false);

    st = await s.cmd('resume', { by: manager, note: 'Đã bổ sung nhân lực, cập nhật kế hoạch' });
    expect(st.stage).toBe('IN_PROGRESS');
    expect(st.suspension).toBeUndefined();
    expect(st.pausedDays).toBe(40);
    expect(st.timeline.at(-1)).toMatchObject({ stage: 'IN_PROGRESS', rule: 'T-1', action: 'resume', note: '+40 ngày' });
    expect(ob(st, 'suspension_remedy-1')).toMatchObject({ status: 'DONE', evidence: 'Đã bổ sung nhân lực, cập nhật kế hoạch' });
    // Every open pausable deadline, and the contract end, moves by exactly 40 days.
    expect(st.contract).toMatchObject({ startOn: S, endOn: addDays(E, 40), originalEndOn: E });
    expect(st.reports).toEqual(due.map((d, i) => ({ period: i + 1, dueOn: addDays(d, 40) })));
    for (const [i, d] of due.entries()) {
      expect(ob(st, `progress_report-${i + 1}`)).toMatchObject({ dueOn: addDays(d, 40), remindOn: addDays(d, 33), status: 'OPEN' });
    }
    expect(ob(st, 'acceptance_dossier-1')).toMatchObject({ dueOn: addDays(dossierDue, 40), remindOn: addDays(dossierDue, 33), status: 'OPEN' });
    expect(st.events.at(-1)).toMatchObject({ type: 'task.resumed', rule: 'T-1', audience: 'host' });
    const [resumed] = await taskEventMails(s, 'Nhiệm vụ được tiếp tục');
    expect(resumed!.data.message).toBe(`Các thời hạn được lùi 40 ngày; ngày kết thúc hợp đồng: ${dmy(addDays(E, 40))}.`);
    // Disbursement is possible again.
    await s.cmd('recordDisbursement', { by: manager, amount: 100_000_000 });

    // The reminder now comes a week before the shifted date, not before.
    await until(s, addDays(due[0]!, 32));
    expect((await s.state()).events.filter((e) => e.type === 'obligation.reminder' && e.rule === 'L-13')).toEqual([]);
    await s.days(1);
    expect((await s.state()).events.filter((e) => e.type === 'obligation.reminder' && e.rule === 'L-13')).toHaveLength(1);
    // Filed on the shifted due date: on time.
    await until(s, addDays(due[0]!, 40));
    st = await s.cmd('submitProgressReport', { by: researcher, period: 1, summary: 'Báo cáo kỳ 1' });
    expect(st.reports[0]).toMatchObject({ late: false });
    expect(st.events.filter((e) => e.type === 'obligation.overdue')).toEqual([]);
  });
});

test('T-1 → T-2 → T-3, T-4, L-24: a suspension not remedied in time becomes TERMINATION_PENDING automatically with a 30-day observation window; after it, a subjective termination refunds unspent + 30 % of spent (half-up) and debars for 24 months; liquidation waits for the whole refund; then ARCHIVED', async () => {
  await scenario('NV-SUSPNOTREMEDIED01', async (s) => {
    await toInProgress(s, { durationMonths: 12, disburse: 1_000_000_000 });
    await s.days(20);
    const sinceOn = await s.today();
    await s.cmd('suspend', { by: manager, grounds: 'Sử dụng kinh phí sai mục đích', remedyDays: 30 });
    const remedyDue = addDays(sinceOn, 30);

    // On the remedy due date it is still SUSPENDED (reminded a week before).
    await until(s, remedyDue);
    let st = await s.state();
    expect(st.stage).toBe('SUSPENDED');
    expect(st.events.filter((e) => e.rule === 'T-1').map((e) => e.type)).toEqual(['task.suspended', 'obligation.reminder']);

    // The day after: the remedy is overdue and the Department's termination proposal opens by itself.
    await s.days(1);
    const proposedOn = await s.today();
    const observationEnds = addDays(proposedOn, 30);
    st = await s.state();
    expect(st.stage).toBe('TERMINATION_PENDING');
    expect(ob(st, 'suspension_remedy-1').status).toBe('OVERDUE');
    expect(st.termination).toEqual({
      initiatedBy: 'department', grounds: `Không khắc phục trong thời hạn tạm dừng (${dmy(remedyDue)})`, proposedAt: expect.any(String), observationEndsOn: observationEnds, resumeTo: 'IN_PROGRESS',
    });
    expect(st.timeline.at(-1)).toMatchObject({ stage: 'TERMINATION_PENDING', rule: 'T-2', action: 'proposeTermination', by: { userId: 'system', role: 'system' } });
    expect(st.events.slice(-2).map((e) => [e.type, e.rule, e.audience])).toEqual([['obligation.overdue', 'T-1', 'both'], ['termination.proposed', 'T-2', 'both']]);
    expect(ob(st, 'termination_observations-1')).toMatchObject({ rule: 'T-2', assignee: 'host', dueOn: observationEnds, status: 'OPEN' });
    const proposed = await taskEventMails(s, 'Đề xuất chấm dứt nhiệm vụ', 2);
    expect(proposed.map((m) => m.to)).toEqual([[researcher.email], [manager.email]]);
    expect(proposed[0]!.data.message).toContain(`đến hết ngày ${dmy(observationEnds)}`);

    // T-2: no decision inside the window without the host's observations — even on its last day.
    const early = await refusedNothingRecorded(s, 'decideTermination', { by: manager, terminate: true, cause: 'subjective', fundsSpent: 600_000_005 });
    expect(early).toEqual({ type: 'PRECONDITION_FAILED', rule: 'T-2', message: `The host may still submit observations until ${observationEnds}.` });
    await until(s, observationEnds);
    expect(await refusedNothingRecorded(s, 'decideTermination', { by: manager, terminate: true, cause: 'subjective', fundsSpent: 600_000_005 })).toMatchObject({ type: 'PRECONDITION_FAILED', rule: 'T-2' });
    await s.days(1);
    // T-3: the spent amount cannot exceed what was received.
    expect(await refusedNothingRecorded(s, 'decideTermination', { by: manager, terminate: true, cause: 'subjective', fundsSpent: 1_000_000_001 })).toMatchObject({ type: 'INVALID_COMMAND', rule: 'T-3' });

    st = await s.cmd('decideTermination', { by: manager, terminate: true, cause: 'subjective', fundsSpent: 600_000_005 });
    const decidedOn = await s.today();
    expect(st.stage).toBe('TERMINATED');
    expect(st.termination).toMatchObject({ decision: 'terminated', cause: 'subjective' });
    expect(st.timeline.at(-1)).toMatchObject({ stage: 'TERMINATED', rule: 'T-2', action: 'decideTermination' });
    // T-3: 1 000 000 000 − 600 000 005 = 399 999 995 unspent; 30 % × 600 000 005 = 180 000 001.5 → 180 000 002 (half up).
    expect(st.funds.refundDue).toEqual({ unspent: 399_999_995, spentShare: 180_000_002, total: 579_999_997, cause: 'subjective', basis: expect.any(Object) });
    expect(st.funds.refundDue!.basis.vi).toContain('Tổng số phải hoàn trả: 579.999.997 đồng.');
    expect(st.funds.refundDue!.basis.en).toContain('600.000.005 VND × 30% = 180.000.002 VND');
    // T-4: PI and host barred for 24 months, also written to the registry.
    const until24 = addMonths(decidedOn, 24);
    expect(st.debarment).toEqual({ until: until24, orgId: HOST.orgId, piEmail: researcher.email, reason: 'T-2' });
    expect(s.rec.debarments).toEqual([{ taskId: 'NV-SUSPNOTREMEDIED01', until: until24, orgId: HOST.orgId, piEmail: researcher.email, reason: 'T-2' }]);
    // The fund recovery, then the termination decision itself (issue 6: every decision is notified).
    expect(st.events.slice(-2)).toMatchObject([{ type: 'funds.recovery', rule: 'T-3', audience: 'both' }, { type: 'task.terminated', rule: 'T-2', audience: 'both' }]);
    const [recovery] = await taskEventMails(s, 'Thu hồi kinh phí', 2);
    expect(recovery!.data.message).toContain(`Số phải hoàn trả: ${formatVnd(579_999_997)} đồng.`);
    expect(recovery!.data.message).toContain(`không được tham gia nhiệm vụ mới đến ngày ${dmy(until24)}.`);
    // The host owes the refund alone (issue 13: an obligation, due in 30 days); the remedy and the observation window are closed.
    expect(live(st).map((o) => [o.kind, o.dueOn])).toEqual([['refund', addDays(decidedOn, 30)]]);
    expect(ob(st, 'suspension_remedy-1').status).toBe('CANCELLED');
    expect((await s.handle.describe()).typedSearchAttributes.get(SA.overdue)).toBe(false);

    // L-24: liquidation only once the whole refund is recorded.
    expect(await refusedNothingRecorded(s, 'liquidate', { by: manager })).toEqual({ type: 'PRECONDITION_FAILED', rule: 'L-24', message: `Funds not fully recovered (0/${formatVnd(579_999_997)} VND).` });
    expect(await refusedNothingRecorded(s, 'recordRefund', { by: manager, amount: 0 })).toMatchObject({ type: 'INVALID_COMMAND', rule: 'T-3' });
    st = await s.cmd('recordRefund', { by: manager, amount: 500_000_000 });
    expect(st.funds.refunded).toBe(500_000_000);
    expect(await refusedNothingRecorded(s, 'liquidate', { by: manager })).toMatchObject({ type: 'PRECONDITION_FAILED', rule: 'L-24', message: `Funds not fully recovered (${formatVnd(500_000_000)}/${formatVnd(579_999_997)} VND).` });
    st = await s.cmd('recordRefund', { by: manager, amount: 79_999_997 });
    expect(st.funds.refunded).toBe(579_999_997);
    st = await s.cmd('liquidate', { by: manager });
    expect(st.stage).toBe('LIQUIDATED');
    expect(st.timeline.at(-1)).toMatchObject({ stage: 'LIQUIDATED', rule: 'L-24' });
    await s.cmd('archive', { by: manager });
    const final = await s.handle.result();
    expect(final).toMatchObject({ stage: 'ARCHIVED', closed: true });
    expect(final.timeline.map((t) => t.stage).slice(-6)).toEqual(['IN_PROGRESS', 'SUSPENDED', 'TERMINATION_PENDING', 'TERMINATED', 'LIQUIDATED', 'ARCHIVED']);
  });
});

test('T-2: a Department-initiated termination (proposeTermination) cannot be decided inside the 30-day window before the host\'s observations; after them it can; terminate: false returns the task to IN_PROGRESS', async () => {
  await scenario('NV-TERMOBSERVATIONS1', async (s) => {
    const { startOn: S } = await toInProgress(s, { durationMonths: 12 });
    await s.days(10);
    const proposedOn = await s.today();
    const ends = addDays(proposedOn, 30);
    expect(await refusedNothingRecorded(s, 'proposeTermination', { by: researcher, grounds: 'x' })).toMatchObject({ type: 'FORBIDDEN_ROLE', rule: 'T-2' });
    let st = await s.cmd('proposeTermination', { by: manager, grounds: 'Không bảo đảm điều kiện triển khai' });
    expect(st.stage).toBe('TERMINATION_PENDING');
    expect(st.termination).toEqual({ initiatedBy: 'department', grounds: 'Không bảo đảm điều kiện triển khai', proposedAt: expect.any(String), observationEndsOn: ends, resumeTo: 'IN_PROGRESS' });
    expect(st.timeline.at(-1)).toMatchObject({ stage: 'TERMINATION_PENDING', rule: 'T-2', by: { userId: manager.userId } });
    expect(ob(st, 'termination_observations-1')).toMatchObject({ assignee: 'host', dueOn: ends, pausable: false, status: 'OPEN' });
    expect(st.events.at(-1)).toMatchObject({ type: 'termination.proposed', rule: 'T-2', audience: 'both' });

    expect(await refusedNothingRecorded(s, 'decideTermination', { by: manager, terminate: false })).toMatchObject({ type: 'PRECONDITION_FAILED', rule: 'T-2' });
    expect(await refusedNothingRecorded(s, 'submitObservations', { by: otherResearcher, observations: 'x' })).toMatchObject({ type: 'NOT_YOUR_TASK', rule: 'T-2' });

    await s.days(5);
    st = await s.cmd('submitObservations', { by: researcher, observations: 'Đã ký hợp đồng thuê đất thí nghiệm; đề nghị cho tiếp tục.' });
    expect(st.stage).toBe('TERMINATION_PENDING');
    expect(st.termination!.observations).toBe('Đã ký hợp đồng thuê đất thí nghiệm; đề nghị cho tiếp tục.');
    expect(ob(st, 'termination_observations-1')).toMatchObject({ status: 'DONE', evidence: 'Đã ký hợp đồng thuê đất thí nghiệm; đề nghị cho tiếp tục.' });
    // Observations are given once.
    expect(await refusedNothingRecorded(s, 'submitObservations', { by: researcher, observations: 'again' })).toMatchObject({ type: 'PRECONDITION_FAILED', rule: 'T-2' });

    // Inside the window, but the host has spoken: the Director may decide.
    st = await s.cmd('decideTermination', { by: manager, terminate: false, note: 'Chấp nhận giải trình' });
    expect(st.stage).toBe('IN_PROGRESS');
    expect(st.termination).toMatchObject({ decision: 'continued' });
    expect(st.timeline.at(-1)).toMatchObject({ stage: 'IN_PROGRESS', rule: 'T-2', action: 'decideTermination' });
    expect(st.funds.refundDue).toBeUndefined();
    expect(st.debarment).toBeUndefined();
    // Termination pending is not a suspension: the report date did not move.
    expect(ob(st, 'progress_report-1')).toMatchObject({ dueOn: addMonths(S, 6), status: 'OPEN' });
    expect(live(st).map((o) => o.kind).sort()).toEqual(['acceptance_dossier', 'inspection', 'progress_report']);
  });
});

test('T-2: when the 30-day observation window elapses without observations, the decision is allowed (objective cause: only unspent funds, no debarment)', async () => {
  await scenario('NV-TERMWINDOWELAPSED', async (s) => {
    await toInProgress(s, { durationMonths: 12, disburse: 1_000_000_000 });
    const proposedOn = await s.today();
    const ends = addDays(proposedOn, 30);
    await s.cmd('proposeTermination', { by: manager, grounds: 'Bất khả kháng: vùng thí nghiệm bị ngập lụt kéo dài' });

    await until(s, ends);
    expect(await refusedNothingRecorded(s, 'decideTermination', { by: manager, terminate: true, cause: 'objective', fundsSpent: 700_000_000 })).toMatchObject({ type: 'PRECONDITION_FAILED', rule: 'T-2' });
    await s.days(1);
    let st = await s.cmd('decideTermination', { by: manager, terminate: true, cause: 'objective', fundsSpent: 700_000_000 });
    expect(st.stage).toBe('TERMINATED');
    expect(st.termination).toMatchObject({ initiatedBy: 'department', decision: 'terminated', cause: 'objective' });
    expect(st.termination!.observations).toBeUndefined();
    expect(st.funds.refundDue).toMatchObject({ unspent: 300_000_000, spentShare: 0, total: 300_000_000, cause: 'objective' });
    expect(st.debarment).toBeUndefined();
    expect(s.rec.debarments).toEqual([]);
    expect(live(st).map((o) => [o.kind, o.dueOn])).toEqual([['refund', addDays(await s.today(), 30)]]);

    st = await s.cmd('recordRefund', { by: manager, amount: 300_000_000 });
    expect(live(st)).toEqual([]);
    st = await s.cmd('liquidate', { by: manager });
    expect(st.stage).toBe('LIQUIDATED');
  });
});

test('T-2, T-3: voluntary termination requested by the host (objective cause) → refund of the unspent funds only, no T-4 debarment → LIQUIDATED → ARCHIVED', async () => {
  await scenario('NV-TERMVOLUNTARY0001', async (s) => {
    await toInProgress(s, { durationMonths: 12, disburse: 1_000_000_000 });
    await s.days(60);
    expect(await refusedNothingRecorded(s, 'requestTermination', { by: otherResearcher, grounds: 'x' })).toMatchObject({ type: 'NOT_YOUR_TASK', rule: 'T-2' });
    expect(await refusedNothingRecorded(s, 'requestTermination', { by: manager, grounds: 'x' })).toMatchObject({ type: 'FORBIDDEN_ROLE', rule: 'T-2' });

    let st = await s.cmd('requestTermination', { by: researcher, grounds: 'Kết quả đã được một nhiệm vụ cấp quốc gia công bố; tiếp tục không còn cần thiết' });
    expect(st.stage).toBe('TERMINATION_PENDING');
    expect(st.termination).toEqual({ initiatedBy: 'host', grounds: 'Kết quả đã được một nhiệm vụ cấp quốc gia công bố; tiếp tục không còn cần thiết', proposedAt: expect.any(String), resumeTo: 'IN_PROGRESS' });
    expect(st.obligations.filter((o) => o.kind === 'termination_observations')).toEqual([]);
    expect(st.events.at(-1)).toMatchObject({ type: 'termination.requested', rule: 'T-2', audience: 'officer' });
    const [requested] = await taskEventMails(s, 'Đề nghị chấm dứt nhiệm vụ');
    expect(requested!.to).toEqual([manager.email]);
    // No observation window for the host's own request.
    expect(await refusedNothingRecorded(s, 'submitObservations', { by: researcher, observations: 'x' })).toMatchObject({ type: 'PRECONDITION_FAILED', rule: 'T-2' });

    st = await s.cmd('decideTermination', { by: manager, terminate: true, cause: 'objective', fundsSpent: 400_000_000 });
    expect(st.stage).toBe('TERMINATED');
    expect(st.funds.refundDue).toMatchObject({ unspent: 600_000_000, spentShare: 0, total: 600_000_000, cause: 'objective' });
    expect(st.funds.refundDue!.basis.en).toContain('Objective cause: spent funds are settled at cost and not refunded.');
    expect(st.debarment).toBeUndefined();
    expect(s.rec.debarments).toEqual([]);
    const [recovery] = await taskEventMails(s, 'Thu hồi kinh phí', 2);
    expect(recovery!.data.message).toContain(`Số phải hoàn trả: ${formatVnd(600_000_000)} đồng.`);
    expect(recovery!.data.message).not.toContain('T-4');

    expect(await refusedNothingRecorded(s, 'liquidate', { by: manager })).toMatchObject({ type: 'PRECONDITION_FAILED', rule: 'L-24' });
    await s.cmd('recordRefund', { by: manager, amount: 600_000_000 });
    await s.cmd('liquidate', { by: manager });
    await s.cmd('archive', { by: manager });
    const final = await s.handle.result();
    expect(final.stage).toBe('ARCHIVED');
    expect(final.timeline.map((t) => t.stage).slice(-5)).toEqual(['IN_PROGRESS', 'TERMINATION_PENDING', 'TERMINATED', 'LIQUIDATED', 'ARCHIVED']);
  });
});

/*
 * SUSPECTED WORKFLOW BUG (T-1, T-2): a termination requested from SUSPENDED records
 * `resumeTo` = the suspension's own resume stage (IN_PROGRESS), so declining it lifts the
 * suspension without a remedy or a resume: disbursement is possible again, the paused days
 * are never shifted, `state.suspension` stays set and the remedy obligation later goes
 * OVERDUE in IN_PROGRESS (workflows/task-lifecycle.ts, resumeStage() and the
 * requestTermination / proposeTermination effects). Per T-1 only a remedy and `resume`
 * end a suspension.
 */
test('T-1, T-2: a termination requested while SUSPENDED and then declined leaves the task SUSPENDED (only resume ends a suspension)', async () => {
  await scenario('NV-SUSPTERMDECLINED1', async (s) => {
    await toInProgress(s, { durationMonths: 12 });
    await s.days(20);
    await s.cmd('suspend', { by: manager, grounds: 'Chậm tiến độ', remedyDays: 30 });
    await s.days(10);
    await s.cmd('requestTermination', { by: researcher, grounds: 'Khó khăn về nhân lực' });
    const st = await s.cmd('decideTermination', { by: manager, terminate: false });
    expect(st.stage).toBe('SUSPENDED');
    expect(await s.refused('recordDisbursement', { by: manager, amount: 1_000_000 })).toMatchObject({ type: 'TRANSITION_NOT_ALLOWED', rule: 'L-12' });
  });
});
