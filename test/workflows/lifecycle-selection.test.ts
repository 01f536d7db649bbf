/**
 * L-4 … L-8 on the time-skipping server: the call window (≥ 30 days), dossiers
 * inside the window only, opening only after it, NO_QUALIFIED_APPLICANT (from the
 * opening session, L-5, or from the council, L-7), then direct assignment (L-6) or a
 * new call (round 2, dossier IDs HS-2-n). A refused command records nothing.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { type Actor } from '../../workflows/definitions';
import { addDays, addWorkingDays } from '../../workflows/rules/calendar';
import { days, timesAndDays } from '../../workflows/labels';
import { dmy } from '../../workflows/task-documents';
import {
  createTimeSkippingEnv,
  HOST,
  hostOf,
  manager,
  OTHER_HOST,
  otherResearcher,
  researcher,
  runScenario,
  sitCouncil,
  toOrderListed,
  type Scenario, taskEventMails, refusedNothingRecorded } from '../support/lifecycle-harness';

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

/** A researcher of a third organisation, for a dossier that comes too late. */
const thirdResearcher: Actor = { ...otherResearcher, userId: 'u-researcher-3', name: 'Trần Văn Bình', email: 'binh.tv@cong-ty-x.example.vn', orgId: 'org-cong-ty-x' };
const THIRD_HOST = hostOf(thirdResearcher, 'Công ty TNHH Công nghệ X');


test('L-4, L-5: a call shorter than 30 days is refused; dossiers are taken until the closing day and opened only after it; no valid dossier → NO_QUALIFIED_APPLICANT → direct assignment (L-6) → SELECTED → PROPOSAL_REVISION (L-7, L-8)', async () => {
  await scenario('NV-SELNOQUALDIRECT01', async (s) => {
    await toOrderListed(s);
    const opens = await s.today();

    // L-4: the window is at least 30 days.
    expect(await refusedNothingRecorded(s, 'openCall', { by: manager, closesOn: addDays(opens, 29) })).toEqual({
      type: 'CALL_WINDOW_TOO_SHORT',
      rule: 'L-4',
      message: `The call must stay open for at least 30 days; ${opens} to ${addDays(opens, 29)} is only 29 days (L-4).`,
    });
    expect(await refusedNothingRecorded(s, 'openCall', { by: manager, closesOn: opens })).toMatchObject({ type: 'CALL_WINDOW_INVALID', rule: 'L-4' });

    const closes = addDays(opens, 30);
    let st = await s.cmd('openCall', { by: manager, closesOn: closes });
    expect(st.stage).toBe('CALL_OPEN');
    expect(st.assignment).toBe('competitive_selection');
    expect(st.call).toEqual({ opensOn: opens, closesOn: closes, dossiers: [], round: 1 });
    expect(st.timeline.at(-1)).toMatchObject({ stage: 'CALL_OPEN', rule: 'L-4', note: `${opens} → ${closes}` });
    // L-5: the Department opens the dossiers within 10 working days after the window closes.
    expect(st.obligations.find((o) => o.kind === 'open_dossiers')).toMatchObject({
      id: 'open_dossiers-1', rule: 'L-5', assignee: 'department', dueOn: addWorkingDays(closes, 10), remindOn: closes, status: 'OPEN', accountable: { name: manager.name, email: manager.email },
    });

    st = await s.cmd('submitDossier', { by: researcher, host: HOST });
    expect(st.call!.dossiers).toEqual([{ dossierId: 'HS-1-1', host: HOST, submittedAt: expect.any(String) }]);
    // One dossier per organisation, and only for one's own organisation.
    expect(await refusedNothingRecorded(s, 'submitDossier', { by: researcher, host: HOST })).toMatchObject({ type: 'PRECONDITION_FAILED', rule: 'L-5' });
    expect(await refusedNothingRecorded(s, 'submitDossier', { by: researcher, host: OTHER_HOST })).toMatchObject({ type: 'NOT_YOUR_TASK', rule: 'L-5' });
    // The call is still open: the dossiers cannot be opened yet.
    expect(await refusedNothingRecorded(s, 'openDossiers', { by: manager, valid: [] })).toEqual({
      type: 'PRECONDITION_FAILED',
      rule: 'L-5',
      message: `The call is still open until ${closes}.`,
    });

    // The closing day itself still takes dossiers, and still may not open them.
    await s.days(30);
    expect(await s.today()).toBe(closes);
    st = await s.cmd('submitDossier', { by: otherResearcher, host: OTHER_HOST });
    expect(st.call!.dossiers.map((d) => d.dossierId)).toEqual(['HS-1-1', 'HS-1-2']);
    expect(await refusedNothingRecorded(s, 'openDossiers', { by: manager, valid: [] })).toMatchObject({ type: 'PRECONDITION_FAILED', rule: 'L-5' });
    // The proposer heard the call open; each applicant got a receipt; the officer was reminded of the opening on the closing day.
    expect((await s.state()).events.filter((e) => e.type !== 'council.formed').map((e) => [e.type, e.rule, e.audience])).toEqual([
      ['order.listed', 'L-3', 'host'], ['call.opened', 'L-4', 'host'], ['dossier.received', 'L-5', 'host'], ['obligation.reminder', 'L-5', 'officer'], ['dossier.received', 'L-5', 'host'],
    ]);

    // The day after: a dossier is refused; the opening may take place.
    await s.days(1);
    expect(await refusedNothingRecorded(s, 'submitDossier', { by: thirdResearcher, host: THIRD_HOST })).toEqual({ type: 'PRECONDITION_FAILED', rule: 'L-5', message: 'The call has closed.' });
    expect(await refusedNothingRecorded(s, 'openDossiers', { by: manager, valid: ['HS-9-9'] })).toMatchObject({ type: 'INVALID_COMMAND', rule: 'L-5', message: 'Unknown dossiers: HS-9-9.' });
    st = await s.cmd('openDossiers', { by: manager, valid: [] });
    expect(st.stage).toBe('NO_QUALIFIED_APPLICANT');
    expect(st.timeline.at(-1)).toMatchObject({ stage: 'NO_QUALIFIED_APPLICANT', rule: 'L-5', action: 'openDossiers' });
    expect(st.call!.dossiers.map((d) => d.valid)).toEqual([false, false]);
    expect(st.obligations.find((o) => o.id === 'open_dossiers-1')).toMatchObject({ status: 'DONE', evidence: '0 hồ sơ hợp lệ' });
    expect(st.host).toBeUndefined();

    // L-6: direct assignment to another organisation; the same council reviews its one dossier.
    st = await s.cmd('assignDirectly', { by: manager, host: OTHER_HOST });
    expect(st.stage).toBe('SELECTION_REVIEW');
    expect(st.assignment).toBe('direct_assignment');
    expect(st.host).toEqual(OTHER_HOST);
    expect(st.timeline.at(-1)).toMatchObject({ stage: 'SELECTION_REVIEW', rule: 'L-6', action: 'assignDirectly' });
    expect(st.events.at(-1)).toMatchObject({ type: 'direct.assignment', rule: 'L-6', audience: 'host' });

    // The same council judges the one dossier (issue 13: its ballots and the tally decide, C-SEL-2).
    st = (await sitCouncil(s, { kind: 'C-SEL', winner: 'HS-GTT' })).task;
    const selectedOn = await s.today();
    expect(st.stage).toBe('PROPOSAL_REVISION');
    expect(st.timeline.slice(-2).map((t) => [t.stage, t.rule])).toEqual([['SELECTED', 'L-7'], ['PROPOSAL_REVISION', 'L-8']]);
    expect(st.councils.at(-1)).toMatchObject({ council: 'C-SEL', outcome: 'SELECTED', tally: { councilId: expect.any(String) } });
    // L-8: 15 working days to revise, owed by the assigned host.
    const revisionDue = addWorkingDays(selectedOn, 15);
    expect(st.obligations.find((o) => o.kind === 'proposal_revision')).toMatchObject({
      rule: 'L-8', assignee: 'host', assigneeName: 'Trường Đại học Tây Ninh (Lê Văn Đức)', dueOn: revisionDue, remindOn: addDays(revisionDue, -7), status: 'OPEN',
    });
    const [selected] = await taskEventMails(s, 'Kết quả tuyển chọn: được chọn');
    expect(selected!.to).toContain(otherResearcher.email);
    expect(selected!.data.message).toBe(`Trường Đại học Tây Ninh được chọn chủ trì. Hạn nộp thuyết minh hoàn thiện: ${dmy(revisionDue)}.`);

    // From now on the assigned host revises; the proposer's organisation may not.
    expect(await refusedNothingRecorded(s, 'submitRevisedProposal', { by: researcher })).toMatchObject({ type: 'NOT_YOUR_TASK', rule: 'L-8' });
    st = await s.cmd('submitRevisedProposal', { by: otherResearcher });
    expect(st.stage).toBe('BUDGET_APPRAISAL');
    expect(st.obligations.find((o) => o.kind === 'proposal_revision')!.status).toBe('DONE');
  });
});

test('L-5, issue 10: each applicant gets a receipt naming its dossier code (both languages travel with it), to the submitter and the PI it names only', async () => {
  await scenario('NV-DOSSIERRECEIPT01', async (s) => {
    await toOrderListed(s);
    const closes = addDays(await s.today(), 30);
    await s.cmd('openCall', { by: manager, closesOn: closes });
    const receipts = () => s.rec.sent.filter((m) => m.template === 'task-event' && String(m.data.subject).startsWith('Xác nhận đã nhận hồ sơ'));

    // Another organisation applies: its researcher is the submitter and the PI.
    let st = await s.cmd('submitDossier', { by: otherResearcher, host: OTHER_HOST });
    const first = st.call!.dossiers[0]!;
    expect(first.dossierId).toBe('HS-1-1');
    expect(st.events.at(-1)).toMatchObject({ type: 'dossier.received', rule: 'L-5', audience: 'host' });
    const [receipt] = await taskEventMails(s, 'Xác nhận đã nhận hồ sơ đăng ký tuyển chọn HS-1-1');
    expect(receipt!.to).toEqual([otherResearcher.email]);
    expect(receipt!.data).toMatchObject({
      message: `Sở đã nhận hồ sơ đăng ký tuyển chọn của Trường Đại học Tây Ninh (chủ nhiệm: Lê Văn Đức) lúc ${timesAndDays(first.submittedAt).vi}. Mã hồ sơ: HS-1-1. Hồ sơ sẽ được mở và kiểm tra tính hợp lệ sau khi hết hạn nộp hồ sơ ngày ${days(closes).vi}.`,
      rule: 'L-5',
      // The link is the task's page, which an applicant may now open.
      taskUrl: 'http://127.0.0.1:3000/tasks/NV-DOSSIERRECEIPT01',
    });
    expect(receipt!.i18n!.en).toEqual({
      subject: 'Application dossier HS-1-1 received',
      message: `The Department received the application dossier of Trường Đại học Tây Ninh (PI: Lê Văn Đức) at ${timesAndDays(first.submittedAt).en}. Dossier code: HS-1-1. The dossiers are opened and checked for validity after the call closes on ${days(closes).en}.`,
    });

    // The proposer's organisation applies too, naming another PI: submitter and PI get its receipt; nobody gets another's.
    const pi = { name: 'Trần Thị Mai', email: 'mai.tt@vien-sinh-hoc.example.vn' };
    st = await s.cmd('submitDossier', { by: researcher, host: { ...HOST, pi } });
    const [second] = await taskEventMails(s, 'Xác nhận đã nhận hồ sơ đăng ký tuyển chọn HS-1-2');
    expect(second!.to).toEqual([researcher.email, pi.email]);
    expect(receipts().map((m) => [m.data.subject, m.to])).toEqual([
      ['Xác nhận đã nhận hồ sơ đăng ký tuyển chọn HS-1-1', [otherResearcher.email]],
      ['Xác nhận đã nhận hồ sơ đăng ký tuyển chọn HS-1-2', [researcher.email, pi.email]],
    ]);
    // A refused dossier (the same organisation again) records nothing and sends nothing.
    expect(await refusedNothingRecorded(s, 'submitDossier', { by: researcher, host: HOST })).toMatchObject({ type: 'PRECONDITION_FAILED', rule: 'L-5' });
    await s.days(1);
    expect(receipts()).toHaveLength(2);
  });
});

test('L-7, L-4: the council finds no qualified applicant → NO_QUALIFIED_APPLICANT, then a new call (round 2, dossiers HS-2-n) selects a host; L-6 papers 3 working days ahead', async () => {
  await scenario('NV-SELNEWCALLROUND02', async (s) => {
    await toOrderListed(s);
    await s.cmd('openCall', { by: manager, closesOn: addDays(await s.today(), 45) });
    await s.cmd('submitDossier', { by: researcher, host: HOST });
    await s.cmd('submitDossier', { by: otherResearcher, host: OTHER_HOST });
    await s.days(46);
    let st = await s.cmd('openDossiers', { by: manager, valid: ['HS-1-1', 'HS-1-2'] });
    expect(st.stage).toBe('DOSSIERS_OPENED');
    expect(st.call!.dossiers.map((d) => [d.dossierId, d.valid])).toEqual([['HS-1-1', true], ['HS-1-2', true]]);

    // L-6: papers reach members at least 3 working days before the meeting.
    const today = await s.today();
    expect(await refusedNothingRecorded(s, 'formSelectionCouncil', { by: manager, meetingOn: addWorkingDays(today, 2) })).toMatchObject({ type: 'PRECONDITION_FAILED', rule: 'L-6' });
    st = await s.cmd('formSelectionCouncil', { by: manager, meetingOn: addWorkingDays(today, 3) });
    expect(st.stage).toBe('SELECTION_REVIEW');

    // L-7: the council scores the valid dossiers of the call; here none reaches 70/100 (C-SEL-2).
    const none1 = await sitCouncil(s, { kind: 'C-SEL', winner: null });
    expect((await s.councilView(none1.councilId)).dossiers).toEqual(['HS-1-1', 'HS-1-2']);
    st = none1.task;
    expect(st.stage).toBe('NO_QUALIFIED_APPLICANT');
    expect(st.timeline.at(-1)).toMatchObject({ stage: 'NO_QUALIFIED_APPLICANT', rule: 'L-7' });
    expect(st.councils.at(-1)).toMatchObject({ council: 'C-SEL', outcome: 'NO_QUALIFIED_APPLICANT', tally: { councilId: none1.councilId } });
    expect(st.host).toBeUndefined();
    // The officer is told, and so are the applicants (none selected).
    expect(st.events.slice(-2).map((e) => [e.type, e.rule, e.audience])).toEqual([['selection.none', 'L-7', 'officer'], ['selection.result', 'L-7', 'host']]);
    const [none] = await taskEventMails(s, 'Không có tổ chức đủ điều kiện');
    expect(none!.to).toEqual([manager.email]);

    // A new call: round 2, a fresh window and dossier list.
    const opens2 = await s.today();
    const closes2 = addDays(opens2, 30);
    expect(await refusedNothingRecorded(s, 'openCall', { by: manager, closesOn: addDays(opens2, 20) })).toMatchObject({ type: 'CALL_WINDOW_TOO_SHORT', rule: 'L-4' });
    st = await s.cmd('openCall', { by: manager, closesOn: closes2 });
    expect(st.stage).toBe('CALL_OPEN');
    expect(st.call).toEqual({ opensOn: opens2, closesOn: closes2, dossiers: [], round: 2 });
    expect(st.timeline.filter((t) => t.stage === 'CALL_OPEN')).toHaveLength(2);
    expect(st.obligations.filter((o) => o.kind === 'open_dossiers').map((o) => [o.id, o.status, o.dueOn])).toEqual([
      ['open_dossiers-1', 'DONE', expect.any(String)],
      ['open_dossiers-2', 'OPEN', addWorkingDays(closes2, 10)],
    ]);

    await s.cmd('submitDossier', { by: otherResearcher, host: OTHER_HOST });
    st = await s.cmd('submitDossier', { by: researcher, host: HOST }); // the same organisations may apply again
    expect(st.call!.dossiers.map((d) => [d.dossierId, d.host.orgId])).toEqual([['HS-2-1', OTHER_HOST.orgId], ['HS-2-2', HOST.orgId]]);

    await s.days(31);
    // Round 1's dossiers do not exist in round 2.
    expect(await refusedNothingRecorded(s, 'openDossiers', { by: manager, valid: ['HS-1-1'] })).toMatchObject({ type: 'INVALID_COMMAND', rule: 'L-5' });
    st = await s.cmd('openDossiers', { by: manager, valid: ['HS-2-2'] });
    expect(st.stage).toBe('DOSSIERS_OPENED');
    expect(st.call!.dossiers.map((d) => [d.dossierId, d.valid])).toEqual([['HS-2-1', false], ['HS-2-2', true]]);
    await s.cmd('formSelectionCouncil', { by: manager, meetingOn: addWorkingDays(await s.today(), 5) });
    // An invalid dossier is not on the council's agenda, so it cannot win.
    const round2 = await sitCouncil(s, { kind: 'C-SEL', winner: 'HS-2-2' });
    expect((await s.councilView(round2.councilId)).dossiers).toEqual(['HS-2-2']);
    st = round2.task;
    expect(st.stage).toBe('PROPOSAL_REVISION');
    expect(st.host).toEqual(HOST);
    expect(st.obligations.find((o) => o.kind === 'proposal_revision')).toMatchObject({ dueOn: addWorkingDays(await s.today(), 15), assigneeName: 'Viện Sinh học Nhiệt đới (Nguyễn Thị Hương)' });
    // (forming each council is on the timeline too, in its stage)
    expect(st.timeline.filter((t) => t.action !== 'formCouncil').map((t) => t.stage)).toEqual([
      'PROPOSED', 'IDENTIFICATION_REVIEW', 'ORDER_LISTED', 'CALL_OPEN', 'DOSSIERS_OPENED', 'SELECTION_REVIEW', 'NO_QUALIFIED_APPLICANT',
      'CALL_OPEN', 'DOSSIERS_OPENED', 'SELECTION_REVIEW', 'SELECTED', 'PROPOSAL_REVISION',
    ]);
  });
});

test('L-9, C-BUD: the appraisal group records requested vs appraised per item and year; totals must match the items; a dissent refers the budget to the approver (C-7)', async () => {
  const items = [
    { item: 'Thuê khoán chuyên môn', year: 2027, requested: 600_000_000, appraised: 550_000_000, lumpSum: true, source: 'state' as const },
    { item: 'Nguyên vật liệu', year: 2027, requested: 250_000_000, appraised: 200_000_000, lumpSum: false, source: 'state' as const },
    { item: 'Thuê khoán chuyên môn', year: 2028, requested: 300_000_000, appraised: 300_000_000, lumpSum: true, source: 'state' as const },
    { item: 'Đối ứng của doanh nghiệp', year: 2028, requested: 150_000_000, appraised: 150_000_000, lumpSum: false, source: 'other' as const },
  ];
  const toAppraisal = async (s: Scenario) => {
    await toOrderListed(s);
    await s.cmd('assignDirectly', { by: manager, host: HOST });
    await sitCouncil(s, { kind: 'C-SEL', winner: 'HS-GTT' });
    await s.cmd('submitRevisedProposal', { by: researcher });
  };
  await scenario('NV-BUDGETITEMS00001', async (s) => {
    await toAppraisal(s);
    // The items add up to 1 300 000 000 requested and 1 050 000 000 + 150 000 000 appraised: a wrong total is refused.
    expect(await refusedNothingRecorded(s, 'recordBudgetAppraisal', { by: manager, requested: 1_300_000_000, appraisedState: 1_100_000_000, appraisedOther: 150_000_000, items })).toMatchObject({
      type: 'INVALID_COMMAND', rule: 'C-BUD', message: expect.stringContaining('appraisedState 1.050.000.000 ≠ 1.100.000.000'),
    });
    const st = await s.cmd('recordBudgetAppraisal', { by: manager, requested: 1_300_000_000, appraisedState: 1_050_000_000, appraisedOther: 150_000_000, items });
    expect(st.stage).toBe('PENDING_APPROVAL');
    const bud = st.councils.at(-1)!;
    expect(bud).toMatchObject({ council: 'C-BUD', outcome: 'CONSENSUS' });
    expect(bud.tally).toMatchObject({
      total: { requested: 1_300_000_000, appraised: 1_200_000_000, difference: -100_000_000 },
      byLumpSum: { lumpSum: { requested: 900_000_000, appraised: 850_000_000 }, nonLumpSum: { requested: 400_000_000, appraised: 350_000_000 } },
      byYear: [
        { year: 2027, requested: 850_000_000, appraised: 750_000_000 },
        { year: 2028, requested: 450_000_000, appraised: 450_000_000 },
      ],
    });
    expect(bud.reasons![0]).toContain('Tổng kinh phí: đề nghị 1.300.000.000 đồng, thẩm định 1.200.000.000 đồng');
  });
  await scenario('NV-BUDGETDISSENT001', async (s) => {
    await toAppraisal(s);
    const st = await s.cmd('recordBudgetAppraisal', {
      by: manager, requested: 1_300_000_000, appraisedState: 1_050_000_000, appraisedOther: 150_000_000, items, consensus: false,
      dissent: ['Đại diện Sở Tài chính: đề nghị giữ nguyên mục nguyên vật liệu'],
    });
    expect(st.councils.at(-1)).toMatchObject({ council: 'C-BUD', outcome: 'REFER_TO_APPROVER', tally: { dissent: ['Đại diện Sở Tài chính: đề nghị giữ nguyên mục nguyên vật liệu'] } });
    expect(st.timeline.at(-1)).toMatchObject({ stage: 'PENDING_APPROVAL', rule: 'L-9', note: 'Tổ thẩm định chưa thống nhất: trình người phê duyệt quyết định' });
  });
});
