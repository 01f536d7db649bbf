/**
 * §8 "5 rõ" and L-13 on the time-skipping server: a progress report is reminded a
 * week ahead, escalated when its due date passes (OVERDUE, 'obligation.overdue' to the
 * host and to the accountable officer), flagged by the TaskOverdue search attribute,
 * and may still be filed late (late: true).
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { SA, type TaskState } from '../../workflows/definitions';
import { addDays, addMonths, endOfVnDay } from '../../workflows/rules/calendar';
import { createTimeSkippingEnv, manager, researcher, runScenario, toInProgress, type Scenario, taskEventMails, until } from '../support/lifecycle-harness';
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

async function searchAttributes(s: Scenario) {
  const { typedSearchAttributes: sa } = await s.handle.describe();
  return { stage: sa.get(SA.stage), overdue: sa.get(SA.overdue), nextDeadline: sa.get(SA.nextDeadline)?.toISOString() };
}

const report1 = (st: TaskState) => st.obligations.find((o) => o.id === 'progress_report-1')!;

test('L-13, §8: an unfiled progress report is reminded a week ahead, becomes OVERDUE the day after its due date with obligation.overdue to the host and the accountable officer (TaskOverdue true), and is still accepted late (late: true)', async () => {
  await scenario('NV-OBLOVERDUEREPORT1', async (s) => {
    const { startOn: S, endOn: E } = await toInProgress(s, { durationMonths: 12 });
    const due = addMonths(S, 6);
    let st = await s.state();
    expect(report1(st)).toMatchObject({
      kind: 'progress_report', rule: 'L-13', assignee: 'host', assigneeName: 'Viện Sinh học Nhiệt đới (Nguyễn Thị Hương)',
      accountable: { name: manager.name, email: manager.email }, dueOn: due, remindOn: addDays(due, -7), status: 'OPEN', pausable: true,
    });
    // The accountable officer is the manager who opened identification review.
    expect(st.accountableOfficer).toEqual({ userId: manager.userId, name: manager.name, email: manager.email });
    expect(await searchAttributes(s)).toEqual({ stage: 'IN_PROGRESS', overdue: false, nextDeadline: endOfVnDay(due) });
    const eventsAtStart = st.events.length;

    // A week before: a reminder to the host only.
    await until(s, addDays(due, -8));
    expect((await s.state()).events).toHaveLength(eventsAtStart);
    await s.days(1);
    st = await s.state();
    expect(st.events.slice(eventsAtStart).map((e) => [e.type, e.rule, e.audience])).toEqual([['obligation.reminder', 'L-13', 'host']]);
    const [reminder, ...otherReminders] = await taskEventMails(s, 'Nhắc hạn: Báo cáo định kỳ kỳ 1');
    expect(otherReminders).toEqual([]);
    expect(reminder).toMatchObject({ to: [researcher.email], data: { message: `Hạn báo cáo định kỳ kỳ 1 là ngày ${dmy(due)}.` } });

    // On the due date itself it is not overdue yet.
    await until(s, due);
    st = await s.state();
    expect(report1(st).status).toBe('OPEN');
    expect(st.events.filter((e) => e.type === 'obligation.overdue')).toEqual([]);

    // The day after: OVERDUE, escalated to both sides.
    await s.days(1);
    st = await s.state();
    expect(report1(st)).toMatchObject({ status: 'OVERDUE', escalated: true });
    expect(st.reports[0]).toEqual({ period: 1, dueOn: due });
    expect(st.stage).toBe('IN_PROGRESS');
    expect(st.events.filter((e) => e.type === 'obligation.overdue').map((e) => [e.rule, e.audience])).toEqual([['L-13', 'both']]);
    const overdueMails = await taskEventMails(s, 'Quá hạn: Báo cáo định kỳ kỳ 1', 2);
    expect(overdueMails.map((m) => m.to)).toEqual([[researcher.email], [manager.email]]);
    for (const m of overdueMails) {
      expect(m.data).toMatchObject({
        rule: 'L-13',
        message: `Báo cáo định kỳ kỳ 1 đã quá hạn (hạn ${dmy(due)}); người chịu trách nhiệm: Viện Sinh học Nhiệt đới (Nguyễn Thị Hương). Cán bộ theo dõi: ${manager.name}.`,
      });
    }
    // The search attributes flag it; the next open deadline is the Department's yearly inspection, due by the end (L-13).
    expect(await searchAttributes(s)).toEqual({ stage: 'IN_PROGRESS', overdue: true, nextDeadline: endOfVnDay(E) });

    // Escalated once only.
    await s.days(10);
    expect((await s.state()).events.filter((e) => e.type === 'obligation.overdue')).toHaveLength(1);
    expect((await searchAttributes(s)).overdue).toBe(true);

    // The late report is still accepted, marked late; the flag clears.
    st = await s.cmd('submitProgressReport', { by: researcher, period: 1, summary: 'Hoàn thành 45% khối lượng; chậm do thời tiết.' });
    expect(st.reports[0]).toEqual({ period: 1, dueOn: due, submittedAt: expect.any(String), late: true });
    expect(report1(st)).toMatchObject({ status: 'DONE', evidence: 'Hoàn thành 45% khối lượng; chậm do thời tiết.', closedAt: expect.any(String) });
    expect(await searchAttributes(s)).toEqual({ stage: 'IN_PROGRESS', overdue: false, nextDeadline: endOfVnDay(E) });
    // A period cannot be filed twice.
    expect(await s.refused('submitProgressReport', { by: researcher, period: 1, summary: 'again' })).toMatchObject({ type: 'INVALID_COMMAND', rule: 'L-13' });
  });
});

test('§8: after assignOfficer, escalations go to the newly accountable officer', async () => {
  await scenario('NV-OBLNEWOFFICER0001', async (s) => {
    const { startOn: S } = await toInProgress(s, { durationMonths: 12 });
    const officer = { userId: 'u-manager-2', name: 'Võ Thị Lan', email: 'lan.vt@skhcn.example.vn' };
    let st = await s.cmd('assignOfficer', { by: manager, officer });
    expect(st.accountableOfficer).toEqual(officer);
    expect(report1(st).accountable).toEqual({ name: officer.name, email: officer.email });
    expect(st.obligations.find((o) => o.kind === 'acceptance_dossier')!.accountable).toEqual({ name: officer.name, email: officer.email });
    // A researcher may not reassign.
    expect(await s.refused('assignOfficer', { by: researcher, officer })).toMatchObject({ type: 'FORBIDDEN_ROLE', rule: '§8' });

    await until(s, addDays(addMonths(S, 6), 1));
    st = await s.state();
    expect(report1(st).status).toBe('OVERDUE');
    const mails = await taskEventMails(s, 'Quá hạn: Báo cáo định kỳ kỳ 1', 2);
    expect(mails.map((m) => m.to)).toEqual([[researcher.email], [officer.email]]);
    expect(mails[1]!.data.message).toContain(`Cán bộ theo dõi: ${officer.name}.`);
  });
});
