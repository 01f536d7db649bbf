/**
 * L-13 inspections on the time-skipping server: the Department owes one a year
 * (an obligation of its accountable officer, reminded early enough to give the
 * host its 5-working-day notice, escalated to the officer alone when missed); an
 * inspection needs that notice; its conclusion continues the task, asks the host
 * for an adjustment (then an A-4 change of PI), suspends it (T-1) or proposes its
 * termination (T-2); each conclusion is recorded, notified and closes the
 * inspection owed.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { SA, type TaskState } from '../../workflows/definitions';
import { addDays, addMonths, workingDaysBefore } from '../../workflows/rules/calendar';
import { inspectionReminderDate } from '../../workflows/rules/deadlines';
import { ruleSetFor } from '../../workflows/rules/ruleset';
import { createTimeSkippingEnv, manager, refusedNothingRecorded, researcher, runScenario, taskEventMails, toInProgress, until, type Scenario } from '../support/lifecycle-harness';

let env: TestWorkflowEnvironment;
// A test server of its own for every test: one that keeps its time-skipping lock after a scenario (a
// known hazard of the test server with updates) cannot stall the tests after it.
beforeEach(async () => {
  env = await createTimeSkippingEnv();
});
afterEach(async () => {
  await env?.teardown();
});

const rs = ruleSetFor({ regime: 'LEGACY_2013', provinceProfile: 'tay-ninh', version: '2026.1' });
const scenario = (taskId: string, body: (s: Scenario) => Promise<void>) => runScenario(env, taskId, body);
const inspections = (st: TaskState) => st.obligations.filter((o) => o.kind === 'inspection');
/** A notice that gives the host its working days before today (L-13). */
const validNotice = async (s: Scenario) => workingDaysBefore(await s.today(), rs.inspectionNoticeWorkingDays + 1);

test('L-13: one inspection a year is owed by the accountable officer, reminded early, needs 5 working days of notice; concluded "adjust", the host asks for an A-4 change of PI, which the Director approves', async () => {
  await scenario('NV-INSPADJUSTPI0001', async (s) => {
    const { startOn: S, endOn: E } = await toInProgress(s, { durationMonths: 24 });
    let st = await s.state();
    expect(inspections(st).map((o) => [o.id, o.dueOn, o.remindOn, o.assignee, o.assigneeName, o.status])).toEqual([
      ['inspection-1', addMonths(S, 12), inspectionReminderDate(addMonths(S, 12), rs), 'department', manager.name, 'OPEN'],
      ['inspection-2', E, inspectionReminderDate(E, rs), 'department', manager.name, 'OPEN'],
    ]);

    // Reminded to the officer alone, ten working days ahead.
    await until(s, inspectionReminderDate(addMonths(S, 12), rs));
    const [reminder, ...more] = await taskEventMails(s, 'Nhắc hạn: Kiểm tra định kỳ tình hình thực hiện nhiệm vụ');
    expect(more).toEqual([]);
    expect(reminder!.to).toEqual([manager.email]);

    // The host must have had its notice; only a manager inspects; refusals record nothing.
    const today = await s.today();
    expect(await refusedNothingRecorded(s, 'startInspection', { by: manager, noticeOn: workingDaysBefore(today, 2) })).toMatchObject({ type: 'INSPECTION_NOTICE_TOO_SHORT', rule: 'L-13' });
    expect(await refusedNothingRecorded(s, 'startInspection', { by: manager, noticeOn: addDays(today, 1) })).toMatchObject({ type: 'INSPECTION_NOTICE_INVALID', rule: 'L-13' });
    expect(await refusedNothingRecorded(s, 'startInspection', { by: researcher, noticeOn: await validNotice(s) })).toMatchObject({ type: 'FORBIDDEN_ROLE', rule: 'L-13' });

    st = await s.cmd('startInspection', { by: manager, noticeOn: await validNotice(s) });
    expect(st.stage).toBe('UNDER_INSPECTION');
    // A report can still be filed while the inspection runs.
    await s.cmd('submitProgressReport', { by: researcher, period: 1, summary: 'Báo cáo kỳ 1' });
    st = await s.cmd('concludeInspection', { by: manager, conclusion: 'adjust', findings: 'Chủ nhiệm đi công tác dài hạn; cần thay đổi chủ nhiệm' });
    expect(st.stage).toBe('IN_PROGRESS');
    expect(st.inspections.at(-1)).toMatchObject({ conclusion: 'adjust', findings: 'Chủ nhiệm đi công tác dài hạn; cần thay đổi chủ nhiệm', concludedAt: expect.any(String) });
    expect(inspections(st).map((o) => [o.id, o.status, o.evidence])).toEqual([
      ['inspection-1', 'DONE', 'Chủ nhiệm đi công tác dài hạn; cần thay đổi chủ nhiệm'],
      ['inspection-2', 'OPEN', undefined],
    ]);
    expect(st.obligations.find((o) => o.kind === 'adjustment_request')).toMatchObject({ assignee: 'host', status: 'OPEN', rule: 'L-14' });
    const [concluded] = await taskEventMails(s, 'Kết luận kiểm tra');
    expect(concluded).toMatchObject({ to: [researcher.email], data: { message: 'Kết luận: Tiếp tục thực hiện, bên thực hiện đề nghị điều chỉnh. Chủ nhiệm đi công tác dài hạn; cần thay đổi chủ nhiệm' } });

    // the host proposes a new PI; the Director approves; the task's PI changes.
    const newPi = { name: 'Trần Quốc Bảo', email: 'bao.tq@vien-sinh-hoc.example.vn' };
    st = await s.cmd('requestAdjustment', { by: researcher, kind: 'A-4', newPi, grounds: 'Chủ nhiệm cũ đi công tác nước ngoài 18 tháng' });
    expect(st.stage).toBe('ADJUSTMENT_PENDING');
    expect(st.obligations.find((o) => o.kind === 'adjustment_request')!.status).toBe('DONE');
    st = await s.cmd('decideAdjustment', { by: manager, approve: true });
    expect(st.stage).toBe('IN_PROGRESS');
    expect(st.host!.pi).toEqual(newPi);
    expect(st.adjustments.at(-1)).toMatchObject({ kind: 'A-4', decision: 'approved', details: { newPi } });
  });
});

test('L-13, T-1: an inspection concluded "suspend" suspends the task with its remedy deadline and meets the inspection owed', async () => {
  await scenario('NV-INSPSUSPEND00001', async (s) => {
    await toInProgress(s, { durationMonths: 24 });
    await s.days(90);
    await s.cmd('startInspection', { by: manager, noticeOn: await validNotice(s) });
    const st = await s.cmd('concludeInspection', { by: manager, conclusion: 'suspend', findings: 'Chậm tiến độ nghiêm trọng: chưa triển khai thí nghiệm đồng ruộng', remedyDays: 45 });
    expect(st.stage).toBe('SUSPENDED');
    expect(st.suspension).toMatchObject({ remedyDueOn: addDays(await s.today(), 45), grounds: 'Chậm tiến độ nghiêm trọng: chưa triển khai thí nghiệm đồng ruộng', resumeTo: 'IN_PROGRESS' });
    expect(st.obligations.find((o) => o.kind === 'suspension_remedy')).toMatchObject({ assignee: 'host', dueOn: addDays(await s.today(), 45), status: 'OPEN' });
    expect(inspections(st)[0]).toMatchObject({ status: 'DONE' });
    expect(st.events.at(-1)).toMatchObject({ type: 'task.suspended', rule: 'T-1' });
  });
});

test('L-13, T-2: an inspection concluded "terminate" proposes the termination, with the host\'s 30-day observation window', async () => {
  await scenario('NV-INSPTERMINATE001', async (s) => {
    await toInProgress(s, { durationMonths: 24 });
    await s.days(90);
    await s.cmd('startInspection', { by: manager, noticeOn: await validNotice(s) });
    const st = await s.cmd('concludeInspection', { by: manager, conclusion: 'terminate', findings: 'Không còn điều kiện thực hiện: đối tác rút vốn đối ứng' });
    expect(st.stage).toBe('TERMINATION_PENDING');
    expect(st.termination).toMatchObject({ initiatedBy: 'department', grounds: 'Không còn điều kiện thực hiện: đối tác rút vốn đối ứng', observationEndsOn: addDays(await s.today(), 30), resumeTo: 'IN_PROGRESS' });
    expect(st.obligations.find((o) => o.kind === 'termination_observations')).toMatchObject({ assignee: 'host', right: true, status: 'OPEN' });
    expect(inspections(st)[0]).toMatchObject({ status: 'DONE' });
  });
});

test('§8, L-13: a yearly inspection never made becomes OVERDUE and is escalated to the newly accountable officer only, never to the host', async () => {
  await scenario('NV-INSPOVERDUE00001', async (s) => {
    const { endOn: E } = await toInProgress(s, { durationMonths: 12 });
    const officer = { userId: 'u-manager-2', name: 'Võ Thị Lan', email: 'lan.vt@skhcn.example.vn' };
    let st = await s.cmd('assignOfficer', { by: manager, officer });
    expect(inspections(st)).toEqual([expect.objectContaining({ dueOn: E, assigneeName: officer.name, accountable: { name: officer.name, email: officer.email } })]);
    await s.cmd('submitProgressReport', { by: researcher, period: 1, summary: 'Báo cáo kỳ 1' });
    await until(s, addDays(E, 1));
    st = await s.state();
    expect(inspections(st)[0]).toMatchObject({ status: 'OVERDUE', escalated: true });
    expect(st.events.filter((e) => e.type === 'obligation.overdue').map((e) => [e.rule, e.audience])).toEqual([['L-13', 'officer']]);
    const [mail, ...more] = await taskEventMails(s, 'Quá hạn: Kiểm tra định kỳ tình hình thực hiện nhiệm vụ');
    expect(more).toEqual([]);
    expect(mail!.to).toEqual([officer.email]);
    expect(mail!.data.message).toContain(`người chịu trách nhiệm: ${officer.name}`);
    expect((await s.handle.describe()).typedSearchAttributes.get(SA.overdue)).toBe(true);
  });
});
