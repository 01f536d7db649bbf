/**
 * A-3 (extension, gia hạn) and L-14 on the time-skipping server: once only; at most
 * 12 months for a task of ≥ 24 months, else 6; requested ≥ 60 days before the
 * contract end. An approved extension moves the contract end, the acceptance-dossier
 * due date (L-18) and adds the progress reports of the added months (L-13). A refused
 * command records nothing.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { type TaskState } from '../../workflows/definitions';
import { addDays, addMonths } from '../../workflows/rules/calendar';
import { contractEndDate, extendedContractEnd, reportDueDates } from '../../workflows/rules/deadlines';
import { ruleSetFor } from '../../workflows/rules/ruleset';
import { createTimeSkippingEnv, manager, researcher, runScenario, toInProgress, type Scenario, taskEventMails, refusedNothingRecorded, until } from '../support/lifecycle-harness';
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

const rs = ruleSetFor({ regime: 'LEGACY_2013', provinceProfile: 'tay-ninh', version: '2026.1' });

const dossier = (st: TaskState) => st.obligations.find((o) => o.kind === 'acceptance_dossier')!;

test('A-3, L-14: a 12-month extension of a 24-month task requested exactly 60 days before the end is approved: end date, acceptance-dossier due date and report dates move; a second extension is refused (once only)', async () => {
  await scenario('NV-EXTACCEPTED24M001', async (s) => {
    const { startOn: S, endOn: E } = await toInProgress(s, { durationMonths: 24 });
    expect(E).toBe(contractEndDate(S, 24));
    let st = await s.state();
    // L-13: reports at 6, 12 and 18 months (24 months is the end: the acceptance dossier).
    const due = [6, 12, 18].map((m) => addMonths(S, m));
    expect(st.reports).toEqual(due.map((d, i) => ({ period: i + 1, dueOn: d })));
    expect(dossier(st)).toMatchObject({ dueOn: addDays(E, 30), status: 'OPEN' });

    // Each report filed on its due date.
    for (const [i, d] of due.entries()) {
      await until(s, d);
      st = await s.cmd('submitProgressReport', { by: researcher, period: i + 1, summary: `Báo cáo kỳ ${i + 1}` });
      expect(st.reports[i]).toMatchObject({ late: false, submittedAt: expect.any(String) });
    }

    // Exactly 60 days before the end is still in time.
    await until(s, addDays(E, -60));
    st = await s.cmd('requestAdjustment', { by: researcher, kind: 'A-3', months: 12, note: 'Chờ vụ lúa thứ ba để khảo nghiệm' });
    const requestedOn = await s.today();
    expect(st.stage).toBe('ADJUSTMENT_PENDING');
    expect(st.adjustments).toEqual([{ kind: 'A-3', requestedAt: expect.any(String), details: { months: 12 } }]);
    // L-14: the Department decides within 15 days.
    expect(st.obligations.find((o) => o.kind === 'adjustment_decision')).toMatchObject({
      rule: 'L-14', assignee: 'department', dueOn: addDays(requestedOn, 15), status: 'OPEN', pausable: false,
    });
    expect(st.events.at(-1)).toMatchObject({ type: 'adjustment.requested', rule: 'L-14', audience: 'officer' });
    // While one adjustment is pending, no other may be requested.
    expect(await refusedNothingRecorded(s, 'requestAdjustment', { by: researcher, kind: 'A-2', description: 'x' })).toMatchObject({ type: 'TRANSITION_NOT_ALLOWED', rule: 'L-14' });

    await s.days(10);
    st = await s.cmd('decideAdjustment', { by: manager, approve: true });
    const E2 = extendedContractEnd(E, 12);
    expect(E2).toBe(contractEndDate(S, 36));
    expect(st.stage).toBe('IN_PROGRESS');
    expect(st.contract).toMatchObject({ startOn: S, endOn: E2, originalEndOn: E });
    expect(st.extensionsGranted).toBe(1);
    expect(st.adjustments[0]).toMatchObject({ kind: 'A-3', decision: 'approved', decidedAt: expect.any(String) });
    expect(st.obligations.find((o) => o.kind === 'adjustment_decision')!.status).toBe('DONE');
    // L-18: the dossier is due 30 days after the NEW end; reminder a week before.
    expect(dossier(st)).toMatchObject({ dueOn: addDays(E2, 30), remindOn: addDays(E2, 23), status: 'OPEN' });
    // L-13: the added months bring reports at 24 and 30 months (36 is the new end).
    expect(st.reports.map((r) => r.dueOn)).toEqual([...due, addMonths(S, 24), addMonths(S, 30)]);
    expect(st.reports.map((r) => r.dueOn)).toEqual(reportDueDates(S, E2, rs));
    expect(st.obligations.filter((o) => o.kind === 'progress_report' && o.status === 'OPEN').map((o) => [o.id, o.dueOn])).toEqual([
      ['progress_report-4', addMonths(S, 24)],
      ['progress_report-5', addMonths(S, 30)],
    ]);
    // L-13: the yearly inspections follow the longer contract: the one due by the old end moves to
    // 24 months, one more is owed by the new end (the first, never made, stays overdue).
    expect(st.obligations.filter((o) => o.kind === 'inspection').map((o) => [o.id, o.dueOn, o.status])).toEqual([
      ['inspection-1', addMonths(S, 12), 'OVERDUE'],
      ['inspection-2', addMonths(S, 24), 'OPEN'],
      ['inspection-3', E2, 'OPEN'],
    ]);
    expect(st.timeline.slice(-2).map((t) => [t.stage, t.rule, t.action])).toEqual([
      ['ADJUSTMENT_PENDING', 'L-14', 'requestAdjustment'],
      ['IN_PROGRESS', 'L-14', 'decideAdjustment'],
    ]);
    expect(st.events.at(-1)).toMatchObject({ type: 'adjustment.decided', rule: 'L-14', audience: 'host' });
    const [decided] = await taskEventMails(s, 'Quyết định về đề nghị gia hạn thời gian thực hiện');
    expect(decided).toMatchObject({ to: [researcher.email], data: { rule: 'L-14', message: `Đề nghị gia hạn thời gian thực hiện được chấp thuận. Ngày kết thúc mới: ${dmy(E2)}.` } });

    // Once only: a second extension is refused, whatever its length.
    expect(await refusedNothingRecorded(s, 'requestAdjustment', { by: researcher, kind: 'A-3', months: 1 })).toEqual({
      type: 'EXTENSION_ALREADY_GRANTED',
      rule: 'A-3',
      message: 'A task may be extended at most 1 time(s); this task has already been extended 1 time(s) (A-3).',
    });

    // The old dates no longer apply: report 4 is filed at 24 months, and nothing about the
    // acceptance dossier is reminded or escalated around the old end.
    await until(s, addMonths(S, 24));
    await s.cmd('submitProgressReport', { by: researcher, period: 4, summary: 'Báo cáo kỳ 4' });
    await until(s, addDays(E, 31));
    st = await s.state();
    expect(dossier(st).status).toBe('OPEN');
    expect(st.events.filter((e) => e.rule === 'L-18')).toEqual([]);
    // Nothing of the host's is overdue; the Department's own missed inspections went to its officer only.
    expect(st.events.filter((e) => e.type === 'obligation.overdue').map((e) => [e.rule, e.audience])).toEqual([['L-13', 'officer'], ['L-13', 'officer']]);
  });
});

test('A-3: refused as too long (13 months on a 24-month task), as invalid (0 months), as too late (59 days before the end) and for a manager; a refused request records nothing; an A-2 can still be refused by the Director', async () => {
  await scenario('NV-EXTREFUSED24M001', async (s) => {
    const { endOn: E } = await toInProgress(s, { durationMonths: 24 });

    expect(await refusedNothingRecorded(s, 'requestAdjustment', { by: researcher, kind: 'A-3', months: 13 })).toEqual({
      type: 'EXTENSION_TOO_LONG',
      rule: 'A-3',
      message: 'A task of 24 months (of 24 months or more) may be extended by at most 12 months; the requested 13 months exceed that (A-3).',
    });
    expect(await refusedNothingRecorded(s, 'requestAdjustment', { by: researcher, kind: 'A-3', months: 0 })).toMatchObject({ type: 'EXTENSION_INVALID', rule: 'A-3' });
    expect(await refusedNothingRecorded(s, 'requestAdjustment', { by: manager, kind: 'A-3', months: 6 })).toMatchObject({ type: 'FORBIDDEN_ROLE', rule: 'L-14' });

    // 59 days before the end is too late.
    await until(s, addDays(E, -59));
    const today = await s.today();
    expect(await refusedNothingRecorded(s, 'requestAdjustment', { by: researcher, kind: 'A-3', months: 12 })).toEqual({
      type: 'EXTENSION_TOO_LATE',
      rule: 'A-3',
      message: `An extension must be requested at least 60 days before the contract end date ${E}; the request of ${today} comes only 59 days before it (A-3).`,
    });
    let st = await s.state();
    expect(st.stage).toBe('IN_PROGRESS');
    expect(st.adjustments).toEqual([]);
    expect(st.extensionsGranted).toBe(0);
    expect(st.contract!.endOn).toBe(E);

    // A-2 (Director decides) refused: nothing moves.
    await s.cmd('requestAdjustment', { by: researcher, kind: 'A-2', description: 'Điều chỉnh thông số sản phẩm 2' });
    st = await s.cmd('decideAdjustment', { by: manager, approve: false });
    expect(st.stage).toBe('IN_PROGRESS');
    expect(st.adjustments).toEqual([{ kind: 'A-2', requestedAt: expect.any(String), details: { description: 'Điều chỉnh thông số sản phẩm 2' }, decision: 'refused', decidedAt: expect.any(String) }]);
    expect(st.contract!.endOn).toBe(E);
    expect(dossier(st).dueOn).toBe(addDays(E, 30));
    expect(await s.events()).toContain('adjustment.decided');
    const [refusedMail] = await taskEventMails(s, 'Quyết định về đề nghị điều chỉnh kinh phí các khoản chi không giao khoán và yêu cầu sản phẩm');
    expect(refusedMail!.data.message).toBe('Đề nghị điều chỉnh kinh phí các khoản chi không giao khoán và yêu cầu sản phẩm không được chấp thuận.');
    // Nothing to decide any more.
    expect(await refusedNothingRecorded(s, 'decideAdjustment', { by: manager, approve: true })).toMatchObject({ type: 'TRANSITION_NOT_ALLOWED', rule: 'L-14' });
  });
});

test('A-3: a task of less than 24 months (18) may be extended by at most 6 months: 7 refused, 6 approved (one more report at 18 months)', async () => {
  await scenario('NV-EXTSHORTTASK18M01', async (s) => {
    const { startOn: S, endOn: E } = await toInProgress(s, { durationMonths: 18 });
    expect((await s.state()).reports.map((r) => r.dueOn)).toEqual([addMonths(S, 6), addMonths(S, 12)]);

    expect(await refusedNothingRecorded(s, 'requestAdjustment', { by: researcher, kind: 'A-3', months: 7 })).toEqual({
      type: 'EXTENSION_TOO_LONG',
      rule: 'A-3',
      message: 'A task of 18 months (of less than 24 months) may be extended by at most 6 months; the requested 7 months exceed that (A-3).',
    });

    await s.cmd('requestAdjustment', { by: researcher, kind: 'A-3', months: 6 });
    const st = await s.cmd('decideAdjustment', { by: manager, approve: true });
    const E2 = extendedContractEnd(E, 6);
    expect(E2).toBe(contractEndDate(S, 24));
    expect(st.contract).toMatchObject({ endOn: E2, originalEndOn: E });
    expect(dossier(st).dueOn).toBe(addDays(E2, 30));
    expect(st.reports.map((r) => [r.period, r.dueOn])).toEqual([[1, addMonths(S, 6)], [2, addMonths(S, 12)], [3, addMonths(S, 18)]]);
  });
});
