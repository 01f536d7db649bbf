/**
 * Issue 6 on the time-skipping server: the documents of domain.md §7 appear with the task at the
 * transitions that issue them, each rendered from a state the read model recorded; the emails a
 * user expects carry them; decisions that had no email now have one; and a reminder or overdue
 * email is never sent once its obligation is met (§8), not even when an SMTP outage held it.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { greeting, type EmailRequest } from '../../activities';
import { renderEmail } from '../../activities/mail/templates';
import { stateHash } from '../../activities/documents/format';
import { councilUpdate, getCouncilViewQuery, type Actor, type CouncilCommands, type CouncilSeat, type TaskState } from '../../workflows/definitions';
import { addDays, addMonths } from '../../workflows/rules/calendar';
import { createTimeSkippingEnv, HOST, manager, OTHER_HOST, otherResearcher, researcher, runScenario, sitCouncil, toInProgress, toOrderListed, until, type Scenario } from '../support/lifecycle-harness';

let env: TestWorkflowEnvironment;
// A test server of its own for every test: one that keeps its time-skipping lock after a scenario (a
// known hazard of the test server with updates) cannot stall the tests after it.
beforeEach(async () => {
  env = await createTimeSkippingEnv();
});
afterEach(async () => {
  await env?.teardown();
});

/** The task's own documents (a council's formation decision and records are the council's, and arrive in their own time). */
const COUNCIL_KINDS = ['council_formation_decision', 'vote_counting_record', 'council_minutes', 'score_sheet'];
const kinds = (st: TaskState) => st.documents.map((d) => d.kind).filter((k) => !COUNCIL_KINDS.includes(k));
const settle = () => new Promise((r) => setTimeout(r, 300));

/** Emails of one event type (by their exactly-once key), once `count` went out. */
async function mailsOf(s: Scenario, type: string, count = 1): Promise<EmailRequest[]> {
  const pick = () => s.rec.sent.filter((m) => m.key.includes(`-${type}/`));
  for (let i = 0; i < 500 && pick().length < count; i++) await new Promise((r) => setTimeout(r, 20));
  return pick();
}

/** The document a command issued, checked against what the read model recorded: one recorded state, its hash. */
function issued(s: Scenario, st: TaskState, kind: string) {
  const ref = [...st.documents].reverse().find((d) => d.kind === kind);
  expect(ref).toBeDefined();
  const req = [...s.rec.documents].reverse().find((r) => r.snapshot.kind === kind)!;
  const recorded = s.rec.written.find((w) => w.version === req.snapshot.state.version);
  expect(recorded).toEqual(req.snapshot.state); // rendered from ONE recorded state
  expect(ref!.stateHash).toBe(stateHash(req.snapshot));
  return { ref: ref!, req };
}

const attachmentsOf = (m: EmailRequest) => (m.attachments ?? []).map((a) => a.documentId);

test('§7 main path: each decision, record and the contract is issued at its transition, from a recorded state, and mailed to those it concerns', async () => {
  await runScenario(env, 'NV-DOCSMAINPATH0001', async (s) => {
    await s.cmd('startIdentificationReview', { by: manager });
    await sitCouncil(s, { kind: 'C-ID', recommend: true });
    let st = await s.cmd('approveOrderList', { by: manager });
    // L-3: the list approval is with the task as soon as the command answers, and goes to the proposer.
    expect(kinds(st)).toEqual(['proposal_form', 'order_list_approval']);
    const list = issued(s, st, 'order_list_approval');
    expect(list.req.snapshot.state.stage).toBe('ORDER_LISTED');
    expect(list.req.snapshot.issuedBy).toEqual({ userId: manager.userId, role: 'manager', name: manager.name });
    const [listed] = await mailsOf(s, 'order.listed');
    expect(listed!.to).toEqual([researcher.email]);
    expect(attachmentsOf(listed!)).toEqual([list.ref.documentId]);
    expect(listed!.data.documents).toEqual([{ title: expect.stringContaining('(số 01/TEST)'), url: `http://127.0.0.1:3000/tasks/NV-DOCSMAINPATH0001#${list.ref.documentId}` }]); // the task's page (issue 10)
    // Both languages travel with the email (the mail activity picks each recipient's).
    expect(listed!.i18n).toEqual({ vi: { subject: 'Nhiệm vụ được đưa vào danh mục đặt hàng', message: expect.any(String) }, en: { subject: 'Task added to the ordered-task list', message: expect.any(String) } });

    // L-4: the call notice, and a notice to the proposer that it is open.
    const opens = await s.today();
    st = await s.cmd('openCall', { by: manager, closesOn: addDays(opens, 30) });
    expect(issued(s, st, 'call_notice').req.key).toBe('task-NV-DOCSMAINPATH0001/call_notice/round-1');
    const [call] = await mailsOf(s, 'call.opened');
    expect(call!.data.message).toContain(`đến hết ngày ${addDays(opens, 30).split('-').reverse().join('/')}`);
    expect(attachmentsOf(call!)).toHaveLength(1);

    await s.cmd('submitDossier', { by: researcher, host: HOST });
    await s.cmd('submitDossier', { by: otherResearcher, host: OTHER_HOST });
    await s.days(31);
    // L-5: the opening record goes to every applicant and to the officer.
    st = await s.cmd('openDossiers', { by: manager, valid: ['HS-1-1', 'HS-1-2'] });
    const opening = issued(s, st, 'dossier_opening_record');
    const opened = await mailsOf(s, 'dossiers.opened', 2);
    expect(opened.map((m) => m.to)).toEqual([[HOST.pi.email, OTHER_HOST.pi.email], [manager.email]]);
    for (const m of opened) expect(attachmentsOf(m)).toEqual([opening.ref.documentId]);

    await s.cmd('formSelectionCouncil', { by: manager, meetingOn: addDays(await s.today(), 10) });
    await sitCouncil(s, { kind: 'C-SEL', winner: 'HS-1-1' });
    // L-8: the revised proposal is the officer's to act on.
    await s.cmd('submitRevisedProposal', { by: researcher });
    expect((await mailsOf(s, 'proposal.revised')).map((m) => m.to)).toEqual([[manager.email]]);

    // L-9: the budget appraisal record, with the figures, to the host.
    st = await s.cmd('recordBudgetAppraisal', { by: manager, requested: 1_750_000_000, appraisedState: 1_480_000_000, appraisedOther: 250_000_000 });
    issued(s, st, 'budget_appraisal_record');
    const [appraised] = await mailsOf(s, 'budget.appraised');
    expect(appraised!.data.message).toBe('Kinh phí đề nghị 1.750.000.000 đồng; kinh phí thẩm định: ngân sách nhà nước 1.480.000.000 đồng, nguồn khác 250.000.000 đồng.');

    // L-10: the approval decision to the host.
    st = await s.cmd('approveTask', { by: manager, durationMonths: 12, fundingMode: 'full_lump_sum', stateBudget: 1_480_000_000, otherSources: 250_000_000, products: ['02 giống lúa chịu mặn'] });
    const approval = issued(s, st, 'task_approval_decision');
    const approved = await mailsOf(s, 'task.approved');
    expect(approved.map((m) => [m.to, attachmentsOf(m)])).toEqual([[[researcher.email], [approval.ref.documentId]]]);

    // L-11: the host signs; the Department is told to sign; both signed → the contract to both parties.
    await s.cmd('signContract', { by: researcher });
    expect((await mailsOf(s, 'contract.awaiting_signature')).map((m) => m.to)).toEqual([[manager.email]]);
    st = await s.cmd('signContract', { by: manager });
    expect(st.stage).toBe('CONTRACTED');
    const contract = issued(s, st, 'contract');
    expect(contract.req.snapshot.state.contract).toMatchObject({ hostSignedBy: { name: researcher.name }, departmentSignedBy: { name: manager.name } });
    const signed = await mailsOf(s, 'contract.signed', 2);
    expect(signed.map((m) => m.to)).toEqual([[researcher.email], [manager.email]]);
    for (const m of signed) expect(attachmentsOf(m)).toEqual([contract.ref.documentId]);
    expect(signed[0]!.attachments![0]!.filename).toBe('hop-dong-NV-DOCSMAINPATH0001.pdf');

    // L-12: the host hears of each disbursement.
    await s.cmd('recordDisbursement', { by: manager, amount: 700_000_000 });
    expect((await mailsOf(s, 'funds.disbursed'))[0]!.data.message).toContain('700.000.000 đồng');

    // L-13: the inspection (notified ten days ago) starts, the host is told; its record goes with the conclusion.
    await s.cmd('startInspection', { by: manager, noticeOn: addDays(await s.today(), -10) });
    expect((await mailsOf(s, 'inspection.started')).map((m) => m.to)).toEqual([[researcher.email]]);
    st = await s.cmd('concludeInspection', { by: manager, conclusion: 'continue', findings: 'Tiến độ đạt 45% khối lượng.' });
    const inspection = issued(s, st, 'inspection_record');
    expect(inspection.req.snapshot.subject).toEqual({ inspection: { index: 0 } });
    expect(attachmentsOf((await mailsOf(s, 'inspection.concluded'))[0]!)).toEqual([inspection.ref.documentId]);

    // the extension decision and the contract annex (clause, before, after) to the host.
    const endBefore = st.contract!.endOn!;
    await s.cmd('requestAdjustment', { by: researcher, kind: 'A-3', months: 3 });
    st = await s.cmd('decideAdjustment', { by: manager, approve: true });
    const decision = issued(s, st, 'adjustment_decision');
    const annex = issued(s, st, 'contract_annex');
    expect(annex.req.snapshot.subject?.adjustment?.changes).toEqual([
      { clause: 'Điều 2. Thời gian thực hiện (gia hạn)', before: `Đến ngày ${endBefore.split('-').reverse().join('/')}`, after: `Đến ngày ${st.contract!.endOn!.split('-').reverse().join('/')} (gia hạn 3 tháng)` },
    ]);
    // Both rendered from the same recorded state.
    expect(annex.req.snapshot.state).toEqual(decision.req.snapshot.state);
    expect(attachmentsOf((await mailsOf(s, 'adjustment.decided'))[0]!)).toEqual([decision.ref.documentId, annex.ref.documentId]);

    // To the end: acceptance, recognition, registration, settlement, liquidation.
    await until(s, addDays(st.contract!.endOn!, -20));
    await s.cmd('startSelfEvaluation', { by: researcher });
    await s.cmd('submitAcceptanceDossier', { by: researcher, fundsSpent: 662_500_000, documents: ['Báo cáo tổng hợp'] });
    expect((await mailsOf(s, 'acceptance.submitted')).map((m) => m.to)).toEqual([[manager.email]]);
    await s.cmd('checkAcceptanceDossier', { by: manager, complete: true });
    await s.cmd('formAcceptanceCouncil', { by: manager, meetingOn: addDays(await s.today(), 20) });
    expect((await mailsOf(s, 'acceptance.council'))[0]!.to).toEqual([researcher.email]);
    await sitCouncil(s, { kind: 'C-ACC', rating: 'PASS' });
    await s.cmd('submitRevisedResults', { by: researcher, summary: 'Đã bổ sung số liệu vụ Đông Xuân vào báo cáo tổng hợp.' });
    st = await s.cmd('recognizeResult', { by: manager, note: 'Bổ sung số liệu vụ Đông Xuân vào báo cáo tổng hợp.' });
    const minutes = issued(s, st, 'acceptance_minutes');
    const recognition = issued(s, st, 'recognition_decision');
    const recognized = await mailsOf(s, 'result.recognized', 2);
    for (const m of recognized) expect(attachmentsOf(m)).toEqual([minutes.ref.documentId, recognition.ref.documentId]);

    // L-22: one certificate per number.
    st = await s.cmd('registerResult', { by: researcher, certificates: ['GCN-2027-0042', 'GCN-2027-0043'] });
    const certs = st.documents.filter((d) => d.kind === 'registration_certificate');
    expect(certs).toHaveLength(2);
    expect(s.rec.documents.filter((r) => r.snapshot.kind === 'registration_certificate').map((r) => r.snapshot.subject?.certificate)).toEqual([
      { number: 'GCN-2027-0042', index: 0 },
      { number: 'GCN-2027-0043', index: 1 },
    ]);
    expect(attachmentsOf((await mailsOf(s, 'result.registered'))[0]!)).toEqual(certs.map((c) => c.documentId));

    st = await s.cmd('settleFinances', { by: manager, fundsSpent: 662_500_000 });
    expect((await mailsOf(s, 'funds.settled'))[0]!.data.message).toContain('37.500.000 đồng');
    // Issue 13 (T-3): the unspent funds come back before the contract is liquidated.
    await s.cmd('recordRefund', { by: manager, amount: 37_500_000 });
    st = await s.cmd('liquidate', { by: manager });
    const liquidation = issued(s, st, 'liquidation_record');
    const liquidated = await mailsOf(s, 'task.liquidated', 2);
    for (const m of liquidated) expect(attachmentsOf(m)).toEqual([liquidation.ref.documentId]);

    expect(kinds(st)).toEqual([
      'proposal_form', 'order_list_approval', 'call_notice', 'dossier_opening_record', 'budget_appraisal_record', 'task_approval_decision',
      'contract', 'inspection_record', 'adjustment_decision', 'contract_annex', 'acceptance_minutes', 'recognition_decision',
      'registration_certificate', 'registration_certificate', 'liquidation_record',
    ]);
    // Every email went out once; every document once per key.
    await settle();
    const keys = s.rec.sent.map((m) => m.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(new Set(s.rec.documents.map((d) => d.key)).size).toBe(s.rec.documents.length);
    // Every deadline had a reminder date (§8).
    expect(st.obligations.filter((o) => !o.remindOn && !['adjustment_request'].includes(o.kind)).map((o) => o.kind)).toEqual([]);
    // Issue 12: every email greets its recipients by name and reads in words and dates, in both languages.
    expect(s.rec.sent.length).toBeGreaterThan(20);
    for (const m of s.rec.sent) expectReadableEmail(m);
  });
}, 240_000);

/** Codes a reader must never see in an email: rule IDs, stage and outcome codes, English code words. */
const EMAIL_CODES = /\b(?:L|T|A|N|RS)-\d+\b|\bC-(?:[A-Z]+|\d+)\b|§|\b[A-Z]{2,}(?:_[A-Z]+)+\b|\b(?:RECOMMENDED|SELECTED|EXCELLENT|PASS|FAIL|APPRAISED)\b|\b(?:continue|adjust|suspend|terminate|rationale|objective|subjective)\b/;
function expectReadableEmail(m: EmailRequest): void {
  // Every address the task knows is greeted by name.
  for (const to of m.to) {
    const person = m.recipients?.find((r) => r.email === to);
    expect({ key: m.key, to, name: person?.name }).toEqual({ key: m.key, to, name: expect.stringMatching(/\S/) });
    for (const locale of ['vi', 'en'] as const) {
      const data = { ...m.data, ...(m.i18n?.[locale] ?? {}) };
      const mail = renderEmail(m.template, locale, { ...data, greeting: greeting(locale, person) });
      const text = `${mail.subject}\n${mail.text}`.replace(String(m.data.taskUrl ?? '\u0000'), '').replace(/https?:\/\/\S+/g, '').replace(/#\S+/g, ''); // links (and their anchors) are not prose
      expect(mail.text.split('\n')[0]).toBe(locale === 'vi' ? `Kính gửi Ông/Bà ${person!.name},` : `Dear ${person!.name},`);
      expect({ key: m.key, locale, codes: text.match(EMAIL_CODES)?.[0] }).toEqual({ key: m.key, locale, codes: undefined });
      // Dates read as dates: "20/02/2028" or "20 Feb 2028", never "2028-02-20" or a UTC timestamp.
      expect({ key: m.key, locale, iso: text.match(/\d{4}-\d{2}-\d{2}|T\d{2}:\d{2}/)?.[0] }).toEqual({ key: m.key, locale, iso: undefined });
      if (locale === 'en') expect(text).not.toMatch(/\b\d{2}\/\d{2}\/\d{4}\b/);
    }
  }
}

const ROLES: CouncilSeat['role'][] = ['chair', 'vice_chair', 'reviewer', 'reviewer', 'member', 'member', 'member', 'member', 'scientific_secretary'];
const seats = (): CouncilSeat[] => ROLES.map((role, i) => ({ memberId: `m${i + 1}`, name: `Thành viên ${i + 1}`, email: `m${i + 1}@hoidong.example.vn`, role }));
const memberActor = (id: string): Actor => ({ userId: id, role: 'council_member', name: id, email: `${id}@hoidong.example.vn`, orgId: 'org-hoi-dong', locale: 'vi' });
const ids = Array.from({ length: 9 }, (_, i) => `m${i + 1}`);

test('C-1, C-4, §7: the council formation decision goes with the invitations; an open C-SEL ballot gives one score sheet per member, a secret C-ACC ballot none', async () => {
  await runScenario(env, 'NV-DOCSCOUNCILS0001', async (s) => {
    await toOrderListed(s);
    await s.cmd('assignDirectly', { by: manager, host: HOST });
    // The criteria are the rule-set's (issue 13); voting opens at the meeting, today (C-4).
    let st = await s.cmd('formCouncil', {
      by: manager, kind: 'C-SEL', members: seats(), meetingOn: await s.today(),
      votingDeadline: new Date((await env.currentTimeMs()) + 6 * 86_400_000).toISOString(), ballot: 'open',
    });
    const decision = issued(s, st, 'council_formation_decision');
    const councilId = st.councilSittings.at(-1)!.councilId;
    expect(decision.req.snapshot.subject?.council).toMatchObject({ councilId, kind: 'C-SEL', ballot: 'open', members: seats(), dossiers: ['HS-GTT'] });
    // Every member's invitation carries the decision (C-1); the officer is told too.
    const invitations = s.rec.sent.filter((m) => m.key.includes(`${councilId}/invite-1/`));
    for (let i = 0; i < 50 && invitations.length < 9; i++) {
      await new Promise((r) => setTimeout(r, 50));
      invitations.splice(0, invitations.length, ...s.rec.sent.filter((m) => m.key.includes(`${councilId}/invite-1/`)));
    }
    expect(invitations).toHaveLength(9);
    for (const m of invitations) expect(m.attachments).toEqual([{ documentId: decision.ref.documentId, filename: `quyet-dinh-thanh-lap-hoi-dong-NV-DOCSCOUNCILS0001-${councilId}.pdf` }]);
    // (the identification council's came first)
    expect((await mailsOf(s, 'council.formed', 2)).slice(1).map((m) => [m.to, attachmentsOf(m)])).toEqual([[[manager.email], [decision.ref.documentId]]]);

    const council = env.client.workflow.getHandle(councilId);
    const send = <K extends keyof CouncilCommands>(name: K, p: CouncilCommands[K]) => council.executeUpdate(councilUpdate(name), { args: [p] });
    for (const id of ids) await send('declareConflict', { by: memberActor(id), memberId: id, conflicted: false });
    await send('recordAttendance', { by: manager, present: ids });
    for (const id of ids) await send('castVote', { by: memberActor(id), ballot: { kind: 'C-SEL', dossierId: 'HS-GTT', scores: { rationale: 12, content: 24, products: 16, applicability: 12, capacity: 8, budget: 8 }, comment: 'Đạt yêu cầu.' } });
    // The result moves the task at once; the sitting's records (score sheets too) follow (issue 13).
    for (let i = 0; i < 200 && ((await s.state()).stage === 'SELECTION_REVIEW' || (await s.state()).councilSittings.some((c) => c.documentsPending)); i++) await new Promise((r) => setTimeout(r, 50));
    st = await s.state();
    expect(st.stage).toBe('PROPOSAL_REVISION');
    expect(st.documents.filter((d) => d.kind === 'score_sheet')).toHaveLength(9);
    expect((await council.query(getCouncilViewQuery)).ballot).toBe('open');

    // A secret acceptance ballot: counts only, no member's paper among the task's documents.
    await s.cmd('submitRevisedProposal', { by: researcher });
    await s.cmd('recordBudgetAppraisal', { by: manager, requested: 1_750_000_000, appraisedState: 1_500_000_000, appraisedOther: 250_000_000 });
    await s.cmd('approveTask', { by: manager, durationMonths: 12, fundingMode: 'full_lump_sum', stateBudget: 1_500_000_000, otherSources: 250_000_000, products: ['Quy trình kỹ thuật'] });
    await s.cmd('signContract', { by: researcher });
    await s.cmd('signContract', { by: manager });
    await s.cmd('recordDisbursement', { by: manager, amount: 1_000_000_000 });
    await s.days(340);
    await s.cmd('startSelfEvaluation', { by: researcher });
    await s.cmd('submitAcceptanceDossier', { by: researcher, fundsSpent: 900_000_000, documents: ['Báo cáo tổng hợp'] });
    await s.cmd('checkAcceptanceDossier', { by: manager, complete: true });
    await s.cmd('formAcceptanceCouncil', { by: manager, meetingOn: addDays(await s.today(), 20) });
    st = await s.cmd('formCouncil', {
      by: manager, kind: 'C-ACC', members: seats(), meetingOn: await s.today(),
      votingDeadline: new Date((await env.currentTimeMs()) + 5 * 86_400_000).toISOString(), ballot: 'secret',
    });
    const accId = st.councilSittings.at(-1)!.councilId;
    // C-ACC-1: the host presents at the meeting, so the host gets the decision too.
    const formed = await mailsOf(s, 'council.formed', 4);
    expect(formed.slice(2).map((m) => m.to)).toEqual([[researcher.email], [manager.email]]);
    const acc = env.client.workflow.getHandle(accId);
    const sendAcc = <K extends keyof CouncilCommands>(name: K, p: CouncilCommands[K]) => acc.executeUpdate(councilUpdate(name), { args: [p] });
    for (const id of ids) await sendAcc('declareConflict', { by: memberActor(id), memberId: id, conflicted: false });
    await sendAcc('recordAttendance', { by: manager, present: ids });
    for (const id of ids) await sendAcc('castVote', { by: memberActor(id), ballot: { kind: 'C-ACC', products: [{ productId: 'P1', quantity: 'PASS', volume: 'PASS', quality: 'PASS' }], report: 'PASS' } });
    for (let i = 0; i < 200 && ((await s.state()).stage === 'ACCEPTANCE_REVIEW' || (await s.state()).councilSittings.some((c) => c.documentsPending)); i++) await new Promise((r) => setTimeout(r, 50));
    st = await s.state();
    expect(st.stage).toBe('ACCEPTED_PASS');
    expect(st.documents.filter((d) => d.kind === 'score_sheet')).toHaveLength(9); // still only the open C-SEL ones
    expect(st.documents.filter((d) => d.kind === 'council_formation_decision')).toHaveLength(3);
  });
}, 240_000);

test('T-1, T-2, T-3: an inspection that suspends issues its record and the suspension notice; a lapsed remedy and a termination decision follow, then liquidation', async () => {
  await runScenario(env, 'NV-DOCSSUSPTERM0001', async (s) => {
    await toInProgress(s, { durationMonths: 24 });
    await s.cmd('startInspection', { by: manager, noticeOn: addDays(await s.today(), -10) });
    let st = await s.cmd('concludeInspection', { by: manager, conclusion: 'suspend', findings: 'Chậm tiến độ nghiêm trọng: chưa triển khai thí nghiệm đồng ruộng.', remedyDays: 30 });
    expect(st.stage).toBe('SUSPENDED');
    const record = issued(s, st, 'inspection_record');
    const notice = issued(s, st, 'suspension_notice');
    expect(notice.req.snapshot.state).toEqual(record.req.snapshot.state);
    const suspended = await mailsOf(s, 'task.suspended', 2);
    for (const m of suspended) expect(attachmentsOf(m)).toEqual([record.ref.documentId, notice.ref.documentId]);

    // The remedy lapses (T-1): termination is proposed; the host is reminded before the observation window closes (T-2).
    await s.days(31);
    st = await s.state();
    expect(st.stage).toBe('TERMINATION_PENDING');
    const window = st.obligations.find((o) => o.kind === 'termination_observations')!;
    expect(window.remindOn).toBe(addDays(window.dueOn, -7));
    await until(s, window.remindOn!);
    await settle();
    const reminders = await mailsOf(s, 'obligation.reminder', 2);
    expect(reminders.at(-1)!.data.subject).toBe('Nhắc hạn: Ý kiến giải trình trước khi chấm dứt');
    expect(reminders.at(-1)!.obligation).toMatchObject({ id: window.id, status: 'OPEN', dueOn: window.dueOn });

    await s.cmd('submitObservations', { by: researcher, observations: 'Thời tiết bất thường làm chậm thí nghiệm.' });
    expect((await mailsOf(s, 'termination.observations'))[0]!.to).toEqual([manager.email]);
    st = await s.cmd('decideTermination', { by: manager, terminate: true, cause: 'subjective', fundsSpent: 800_000_000 });
    const termination = issued(s, st, 'termination_decision');
    const terminated = await mailsOf(s, 'task.terminated', 2);
    expect(terminated.map((m) => m.to)).toEqual([[researcher.email], [manager.email]]);
    expect(terminated[0]!.data.message).toContain(`${'440.000.000'} đồng`); // 200.000.000 unspent + 30% of 800.000.000
    for (const m of terminated) expect(attachmentsOf(m)).toEqual([termination.ref.documentId]);

    await s.cmd('recordRefund', { by: manager, amount: 440_000_000 });
    st = await s.cmd('liquidate', { by: manager });
    issued(s, st, 'liquidation_record');
    expect(kinds(st)).toEqual([
      'proposal_form', 'order_list_approval', 'call_notice', 'dossier_opening_record', 'budget_appraisal_record', 'task_approval_decision', 'contract',
      'inspection_record', 'suspension_notice', 'termination_decision', 'liquidation_record',
    ]);
  });
}, 240_000);

test('§7: a document the recorded state cannot carry is left out, and its email still goes (the outbox never waits for it)', async () => {
  await runScenario(
    env,
    'NV-DOCSUNRENDERABLE',
    async (s) => {
      const st = await toOrderListed(s);
      expect(st.stage).toBe('ORDER_LISTED');
      expect(kinds(st)).toEqual(['proposal_form']);
      const [listed] = await mailsOf(s, 'order.listed');
      expect(listed!.attachments).toBeUndefined();
      // The next command's document and email are not held up either.
      await s.cmd('openCall', { by: manager, closesOn: addDays(await s.today(), 30) });
      expect(attachmentsOf((await mailsOf(s, 'call.opened'))[0]!)).toHaveLength(1);
    },
    { unrenderable: ['order_list_approval'] },
  );
});

test('§8: a report filed the day before its reminder date gets no reminder', async () => {
  await runScenario(env, 'NV-DOCSNOREMINDER01', async (s) => {
    const { startOn } = await toInProgress(s, { durationMonths: 12 });
    const due = addMonths(startOn, 6);
    await until(s, addDays(due, -8));
    await s.cmd('submitProgressReport', { by: researcher, period: 1, summary: 'Đã hoàn thành 50% khối lượng.' });
    await until(s, addDays(due, 2));
    await settle();
    const st = await s.state();
    expect(st.obligations.find((o) => o.id === 'progress_report-1')).toMatchObject({ status: 'DONE', reminded: false });
    expect(st.events.filter((e) => e.type.startsWith('obligation.') && e.rule === 'L-13').map((e) => e.type)).toEqual([]);
    expect(s.rec.sent.filter((m) => m.obligation?.id === 'progress_report-1')).toEqual([]);
    // The officer heard of the report instead.
    expect((await mailsOf(s, 'report.submitted'))[0]!.to).toEqual([manager.email]);
  });
});

test('§8: during an SMTP outage a queued reminder and escalation are dropped once the report is filed; every other email arrives once', async () => {
  await runScenario(env, 'NV-DOCSSTALEOUTAGE1', async (s) => {
    const { startOn } = await toInProgress(s, { durationMonths: 24 });
    const due1 = addMonths(startOn, 6);
    // The outage starts before the reminder date: the reminder is queued and keeps failing (retried with backoff).
    await until(s, addDays(due1, -8));
    await settle();
    s.rec.smtp.down = true;
    await until(s, addDays(due1, -6));
    for (let i = 0; i < 100 && s.rec.smtp.failures === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(s.rec.smtp.failures).toBeGreaterThan(0);
    expect((await s.state()).events.map((e) => e.type)).toContain('obligation.reminder');
    // The host files the report while the reminder is still being retried: it is dropped.
    await s.cmd('submitProgressReport', { by: researcher, period: 1, summary: 'Đã hoàn thành 30% khối lượng.' });
    s.rec.smtp.down = false;
    await mailsOf(s, 'report.submitted', 1);

    // Report 2: its reminder goes out; then, in a second outage, it goes overdue: escalation to host and
    // officer, queued one behind the other; the report is filed before SMTP is back.
    const due2 = addMonths(startOn, 12);
    await until(s, addDays(due2, -1));
    await settle();
    s.rec.smtp.down = true;
    await until(s, addDays(due2, 2));
    expect((await s.state()).obligations.find((o) => o.id === 'progress_report-2')?.status).toBe('OVERDUE');
    await s.cmd('submitProgressReport', { by: researcher, period: 2, summary: 'Đã hoàn thành 55% khối lượng.' });
    s.rec.smtp.down = false;
    await mailsOf(s, 'report.submitted', 2);
    await settle();

    const st = await s.state();
    // (the Department's own yearly inspection, also L-13, is reminded and escalated to its officer alone: not counted here)
    expect(st.events.filter((e) => e.type.startsWith('obligation.') && e.rule === 'L-13' && e.audience !== 'officer').map((e) => [e.type, e.rule])).toEqual([
      ['obligation.reminder', 'L-13'], ['obligation.reminder', 'L-13'], ['obligation.overdue', 'L-13'],
    ]);
    // Of the four emails those events queued, only report 2's reminder was sent: it went while the report was still due.
    expect(s.rec.sent.filter((m) => m.obligation?.id.startsWith('progress_report-')).map((m) => [m.obligation!.id, m.data.subject])).toEqual([['progress_report-2', 'Nhắc hạn: Báo cáo định kỳ kỳ 2']]);
    // The officer's notices of both reports arrived, once each; no email went twice.
    expect((await mailsOf(s, 'report.submitted', 2)).map((m) => m.data.subject)).toEqual(['Báo cáo định kỳ kỳ 1', 'Báo cáo định kỳ kỳ 2']);
    const keys = s.rec.sent.map((m) => m.key);
    expect(new Set(keys).size).toBe(keys.length);
  });
}, 240_000);
