/**
 * Issue 13, T-3 on the time-skipping server: a refund owed is the host's obligation (due `refundDays` after
 * the decision that fixes it, reminded, escalated when overdue), paid in parts, or written off by a
 * competent authority's decision; the contract is liquidated only once nothing is owed.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { TaskState } from '../../workflows/definitions';
import { addDays } from '../../workflows/rules/calendar';
import { formatVnd } from '../../workflows/rules/money';
import { dmy } from '../../workflows/task-documents';
import { createTimeSkippingEnv, manager, refusedNothingRecorded, researcher, runScenario, taskEventMails, toInProgress } from '../support/lifecycle-harness';

let env: TestWorkflowEnvironment;
// A test server of its own for every test: one that keeps its time-skipping lock after a scenario (a
// known hazard of the test server with updates) cannot stall the tests after it.
beforeEach(async () => {
  env = await createTimeSkippingEnv();
});
afterEach(async () => {
  await env?.teardown();
});

const refundOf = (st: TaskState) => st.obligations.find((o) => o.kind === 'refund')!;

test('T-3: a refund owed after termination is paid in part, reminded, escalated when late, written off by a decision; only then is the contract liquidated', async () => {
  await runScenario(env, 'NV-REFUNDWRITEOFF01', async (s) => {
    await toInProgress(s, { durationMonths: 12, disburse: 1_000_000_000 });
    await s.days(30);
    await s.cmd('requestTermination', { by: researcher, grounds: 'Chủ nhiệm chuyển công tác, tổ chức không bố trí được người thay thế' });
    let st = await s.cmd('decideTermination', { by: manager, terminate: true, cause: 'objective', fundsSpent: 400_000_000 });
    const decidedOn = await s.today();
    const dueOn = addDays(decidedOn, 30);
    expect(st.stage).toBe('TERMINATED');
    expect(refundOf(st)).toMatchObject({ rule: 'T-3', assignee: 'host', status: 'OPEN', dueOn, remindOn: addDays(dueOn, -7), deliverable: { vi: `Hoàn trả ngân sách nhà nước ${formatVnd(600_000_000)} đồng` } });

    // A part comes back: still owed, the obligation stays open.
    st = await s.cmd('recordRefund', { by: manager, amount: 250_000_000 });
    expect(st.funds.refunded).toBe(250_000_000);
    expect(refundOf(st).status).toBe('OPEN');
    expect(await refusedNothingRecorded(s, 'liquidate', { by: manager })).toMatchObject({ type: 'PRECONDITION_FAILED', rule: 'L-24', message: `Funds not fully recovered (${formatVnd(250_000_000)}/${formatVnd(600_000_000)} VND).` });

    // A week before the due date the host is reminded; the day after it, the host and the officer are told it is late.
    await s.days(24);
    const [reminder] = await taskEventMails(s, `Nhắc hạn: Hoàn trả ngân sách nhà nước ${formatVnd(600_000_000)} đồng`);
    expect(reminder!.to).toEqual([researcher.email]);
    expect(reminder!.data.message).toContain(`ngày ${dmy(dueOn)}`);
    await s.days(8);
    st = await s.state();
    expect(refundOf(st).status).toBe('OVERDUE');
    const late = await taskEventMails(s, `Quá hạn: Hoàn trả ngân sách nhà nước ${formatVnd(600_000_000)} đồng`, 2);
    expect(late.map((m) => m.to)).toEqual([[researcher.email], [manager.email]]);

    // The rest cannot be recovered: a decision writes it off. More than is owed, or a decision dated tomorrow, is refused.
    const decision = { decisionNumber: '45/QĐ-UBND', decidedOn: await s.today(), grounds: 'Tổ chức chủ trì đã giải thể, không còn tài sản để thu hồi' };
    expect(await refusedNothingRecorded(s, 'writeOffRefund', { by: manager, amount: 350_000_001, ...decision })).toMatchObject({ type: 'INVALID_COMMAND', rule: 'T-3', message: `The amount written off exceeds what is still owed (${formatVnd(350_000_000)} VND).` });
    expect(await refusedNothingRecorded(s, 'writeOffRefund', { by: manager, amount: 350_000_000, ...decision, decidedOn: addDays(await s.today(), 1) })).toMatchObject({ type: 'INVALID_COMMAND', rule: 'T-3' });
    expect(await refusedNothingRecorded(s, 'writeOffRefund', { by: researcher, amount: 350_000_000, ...decision })).toMatchObject({ type: 'FORBIDDEN_ROLE' });
    st = await s.cmd('writeOffRefund', { by: manager, amount: 350_000_000, ...decision });
    expect(st.funds.writtenOff).toEqual([{ on: await s.today(), amount: 350_000_000, ...decision, by: manager.name }]);
    expect(refundOf(st)).toMatchObject({ status: 'WAIVED', evidence: 'Xóa khoản phải thu theo Quyết định 45/QĐ-UBND' });
    expect(st.timeline.at(-1)).toMatchObject({ stage: 'TERMINATED', rule: 'T-3', action: 'writeOffRefund', note: expect.stringContaining('45/QĐ-UBND') });
    // Nothing is owed: no further refund or write-off, and the contract is liquidated.
    expect(await refusedNothingRecorded(s, 'recordRefund', { by: manager, amount: 1 })).toMatchObject({ type: 'PRECONDITION_FAILED', rule: 'T-3' });
    st = await s.cmd('liquidate', { by: manager });
    expect(st.stage).toBe('LIQUIDATED');
  });
}, 180_000);
