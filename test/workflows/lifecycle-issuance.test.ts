/**
 * Issue 12 on the time-skipping server: under rule-set 2026.2 every §7 document goes draft →
 * signature by the competent person → number from the clerk's register → issue, and a decision
 * takes effect only when issued (the task's transition completes then). Refusals carry their
 * reasons; a worker restart in the middle changes nothing; the issued version is what is listed
 * and mailed.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { commandUpdate, getIssuanceQuery, getTaskStateQuery, issuanceUpdate, issuanceWorkflowId, taskWorkflowId, type CommandName, type IssuanceCommands, type TaskState } from '../../workflows/definitions';
import { taskLifecycleWorkflow } from '../../workflows/task-lifecycle';
import { addDays, vnDateOf } from '../../workflows/rules/calendar';
import {
  clerk,
  councilSeats,
  createTimeSkippingEnv,
  deputy,
  director,
  HOST,
  lifecycleInput,
  officer,
  recordingActivities,
  researcher,
  runScenario,
  signAndIssue,
  signAndIssueAll,
  sitCouncil,
  TEST_DATA_CONVERTER,
  waitForView,
  type Scenario,
} from '../support/lifecycle-harness';
import { workflowBundle } from '../support/stack';

let env: TestWorkflowEnvironment;
// A test server of its own for every test: one that keeps its time-skipping lock after a scenario (a
// known hazard of the test server with updates) cannot stall the tests after it.
beforeEach(async () => {
  env = await createTimeSkippingEnv();
});
afterEach(async () => {
  await env?.teardown();
});

const TAY_NINH_2026_2 = { ruleSet: { regime: 'LEGACY_2013' as const, provinceProfile: 'tay-ninh', version: '2026.2' } };
const DEFAULT_2026_2 = { ruleSet: { regime: 'LEGACY_2013' as const, provinceProfile: 'default', version: '2026.2' } };

/** The refusal an issuance update gets (type and reason), or a failure if it was accepted. */
async function refusedIssuance<K extends keyof IssuanceCommands>(s: Scenario, documentId: string, name: K, payload: IssuanceCommands[K]) {
  const err = await s.env.client.workflow
    .getHandle(issuanceWorkflowId(documentId))
    .executeUpdate(issuanceUpdate(name), { args: [payload] as never })
    .then(
      () => {
        throw new Error(`${name} was expected to be refused`);
      },
      (e: { cause?: { type?: string; message?: string } }) => e,
    );
  return { type: err.cause?.type, message: err.cause?.message ?? '' };
}

const pendingOf = (st: TaskState) => (st.issuance ?? []).filter((d) => d.status === 'PENDING');
/** A council's own documents (issue 13: every outcome comes from a sitting). */
const COUNCIL_KINDS = ['council_formation_decision', 'vote_counting_record', 'council_minutes', 'score_sheet'];

test('L-3 under 2026.2: the list approval is drafted, signed by the Deputy under delegation, numbered by the clerk and takes effect when issued; refusals on the way', async () => {
  await runScenario(env, 'NV-ISSUEORDERLIST01', async (s) => {
    await s.cmd('startIdentificationReview', { by: officer });
    // Issue 13: the council's ballots recommend the task (its formation decision issued first).
    await sitCouncil(s, { kind: 'C-ID', recommend: true }, { by: officer });
    // The officer prepares the decision: nothing takes effect yet.
    let st = await s.cmd('approveOrderList', { by: officer });
    expect(st.stage).toBe('IDENTIFICATION_REVIEW');
    expect(st.documents.map((d) => d.kind).filter((k) => !COUNCIL_KINDS.includes(k))).toEqual(['proposal_form']);
    const [pending] = pendingOf(st);
    expect(pending).toMatchObject({ kind: 'order_list_approval', title: 'Quyết định phê duyệt danh mục nhiệm vụ đặt hàng', effective: { command: 'approveOrderList' } });
    expect(st.timeline.at(-1)).toMatchObject({ action: 'approveOrderList', stage: 'IDENTIFICATION_REVIEW', note: 'Trình ký: Quyết định phê duyệt danh mục nhiệm vụ đặt hàng' });
    // §8: an obligation of the Department, owed by the competent signer, reminded and escalated like any other.
    const due = st.obligations.find((o) => o.id === `document_issuance-${pending!.documentId}`)!;
    expect(due).toMatchObject({ kind: 'document_issuance', assignee: 'department', status: 'OPEN', assigneeName: 'Giám đốc hoặc Phó Giám đốc phụ trách xác định nhiệm vụ' });
    expect(due.remindOn).toBeDefined();

    const documentId = pending!.documentId;
    const view = await waitForView(s, documentId);
    expect(view).toMatchObject({ status: 'AWAITING_SIGNATURE', kind: 'order_list_approval', slots: [{ slotId: 'department', party: 'department', requirement: { kind: 'leader', area: 'identification', deputyMay: true } }] });
    // The draft shows the state the decision would make.
    const draft = s.rec.drafts.find((d) => d.input.documentId === documentId)!;
    expect(draft.input.draft.snapshot.state.stage).toBe('ORDER_LISTED');

    // While the decision awaits issue the task takes no other stage-changing command.
    const held = await s.refused('rejectProposal', { by: officer, reasons: ['Trùng lặp'] });
    expect(held).toMatchObject({ type: 'DECISION_PENDING' });
    expect(held.message).toContain('awaits signature, registration and issue');

    // Wrong signers: an officer, a researcher, the clerk; the clerk cannot register or issue an unsigned draft.
    expect(await refusedIssuance(s, documentId, 'signDocument', { by: officer })).toMatchObject({ type: 'NOT_COMPETENT_SIGNER' });
    expect(await refusedIssuance(s, documentId, 'signDocument', { by: researcher })).toMatchObject({ type: 'NOT_COMPETENT_SIGNER', message: 'A researcher, council member or administrator never signs a Department document.' });
    expect(await refusedIssuance(s, documentId, 'signDocument', { by: clerk })).toMatchObject({ type: 'NOT_COMPETENT_SIGNER' });
    expect(await refusedIssuance(s, documentId, 'registerDocument', { by: clerk })).toMatchObject({ type: 'NOT_SIGNED' });
    expect(await refusedIssuance(s, documentId, 'issueDocument', { by: clerk })).toMatchObject({ type: 'NOT_SIGNED' });

    // The Deputy Director, delegated identification, signs "KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC".
    const h = s.env.client.workflow.getHandle(issuanceWorkflowId(documentId));
    const signed = await h.executeUpdate(issuanceUpdate('signDocument'), { args: [{ by: deputy }] });
    expect(signed.status).toBe('SIGNED');
    expect(signed.signatures).toEqual([expect.objectContaining({ slotId: 'department', userId: deputy.userId, name: deputy.name, position: 'deputy_director', label: { authority: 'KT. GIÁM ĐỐC', title: 'PHÓ GIÁM ĐỐC' }, mode: 'certificate' })]);
    expect(await refusedIssuance(s, documentId, 'signDocument', { by: deputy })).toMatchObject({ type: 'ALREADY_SIGNED' });
    expect(await refusedIssuance(s, documentId, 'signDocument', { by: director })).toMatchObject({ type: 'ALREADY_SIGNED' });
    // Only the clerk registers and issues; not before the register.
    expect(await refusedIssuance(s, documentId, 'registerDocument', { by: director })).toMatchObject({ type: 'CLERK_ONLY' });
    expect(await refusedIssuance(s, documentId, 'issueDocument', { by: clerk })).toMatchObject({ type: 'NOT_REGISTERED' });
    expect(await refusedIssuance(s, documentId, 'registerDocument', { by: clerk, number: '15/QĐ-SKHCN' })).toMatchObject({ type: 'INVALID_REGISTRATION' });
    expect(await refusedIssuance(s, documentId, 'registerDocument', { by: clerk, number: '15/QĐ-SKHCN', registeredOn: addDays(await s.today(), 1) })).toMatchObject({ type: 'INVALID_REGISTRATION' });
    st = await s.state();
    expect(st.stage).toBe('IDENTIFICATION_REVIEW');

    // 02: the decision forming the identification council was the first in the register (issue 13).
    const registered = await h.executeUpdate(issuanceUpdate('registerDocument'), { args: [{ by: clerk }] });
    expect(registered).toMatchObject({ status: 'REGISTERED', number: '02/SO-TEST', registeredOn: await s.today(), registeredBy: { userId: clerk.userId } });
    expect(await refusedIssuance(s, documentId, 'registerDocument', { by: clerk })).toMatchObject({ type: 'ALREADY_REGISTERED' });

    const issued = await h.executeUpdate(issuanceUpdate('issueDocument'), { args: [{ by: clerk }] });
    expect(issued.status).toBe('ISSUED');
    expect(issued.document).toMatchObject({ documentId, kind: 'order_list_approval', number: '02/SO-TEST' });
    expect(await h.result()).toMatchObject({ status: 'ISSUED' });

    // The decision took effect when issued: the stage moved, the issued document is listed and mailed.
    st = await s.state();
    expect(st.stage).toBe('ORDER_LISTED');
    expect(st.documents.filter((d) => !COUNCIL_KINDS.includes(d.kind)).map((d) => d.documentId)).toEqual([st.documents[0]!.documentId, documentId]);
    expect(pendingOf(st)).toEqual([]);
    expect(st.obligations.find((o) => o.id === `document_issuance-${documentId}`)).toMatchObject({ status: 'DONE', evidence: '02/SO-TEST' });
    // The issued PDF was rendered from the state the decision made, with what the issuance fixed.
    const final = s.rec.issued.find((r) => r.documentId === documentId)!;
    expect(final.request!.snapshot.state.stage).toBe('ORDER_LISTED');
    expect(final.issuance).toMatchObject({ number: '02/SO-TEST', signatures: [expect.objectContaining({ userId: deputy.userId })], issuedBy: { userId: clerk.userId } });
    for (let i = 0; i < 100 && !s.rec.sent.some((m) => m.key.includes('-order.listed/')); i++) await new Promise((r) => setTimeout(r, 20));
    const mail = s.rec.sent.find((m) => m.key.includes('-order.listed/'))!;
    expect(mail.attachments).toEqual([{ documentId, filename: `quyet-dinh-phe-duyet-danh-muc-NV-ISSUEORDERLIST01.pdf` }]);
  }, { input: TAY_NINH_2026_2 });
});

test('A Deputy signs only in the areas delegated; the Director alone signs a termination [P]', async () => {
  await runScenario(env, 'NV-ISSUEDELEGATION1', async (s) => {
    await s.cmd('startIdentificationReview', { by: officer });
    await sitCouncil(s, { kind: 'C-ID', recommend: true }, { by: officer });
    await s.cmd('approveOrderList', { by: officer });
    await signAndIssueAll(s, { departmentSigner: director });
    await s.cmd('assignDirectly', { by: officer, host: HOST });
    await sitCouncil(s, { kind: 'C-SEL', winner: 'HS-GTT' }, { by: officer });
    await s.cmd('submitRevisedProposal', { by: researcher });
    await s.cmd('recordBudgetAppraisal', { by: officer, requested: 1_750_000_000, appraisedState: 1_500_000_000, appraisedOther: 250_000_000 });
    // The appraisal record (not a decision): drafted, the transition does not wait for it.
    let st = await s.state();
    expect(st.stage).toBe('PENDING_APPROVAL');
    const record = pendingOf(st).find((d) => d.kind === 'budget_appraisal_record')!;
    expect(record.effective).toBeUndefined();
    await signAndIssue(s, record.documentId, { departmentSigner: deputy });
    const recordSig = (await s.env.client.workflow.getHandle(issuanceWorkflowId(record.documentId)).query(getIssuanceQuery)).signatures[0]!;
    // In the capacity of the appraisal group's head: no "KT." line.
    expect(recordSig.label).toEqual({ title: 'TỔ TRƯỞNG TỔ THẨM ĐỊNH' });

    await s.cmd('approveTask', { by: officer, durationMonths: 12, fundingMode: 'full_lump_sum', stateBudget: 1_500_000_000, otherSources: 250_000_000, products: ['02 giống lúa chịu mặn'] });
    await signAndIssueAll(s, { departmentSigner: deputy });
    st = await s.cmd('signContract', { by: researcher });
    expect(st.stage).toBe('APPROVED');
    st = await s.cmd('signContract', { by: officer });
    expect(st.stage).toBe('APPROVED'); // the contract awaits party A's signature
    const contract = pendingOf(st).find((d) => d.kind === 'contract')!;
    const view = await waitForView(s, contract.documentId);
    // Party B signed by its command (L-11); party A's block is open.
    expect(view.signatures).toEqual([expect.objectContaining({ slotId: 'party_b', userId: researcher.userId, mode: 'system', label: { authority: 'ĐẠI DIỆN BÊN B', title: 'THỦ TRƯỞNG TỔ CHỨC CHỦ TRÌ' } })]);
    // The Deputy is not delegated contracts.
    const notHers = await refusedIssuance(s, contract.documentId, 'signDocument', { by: deputy });
    expect(notHers).toMatchObject({ type: 'NOT_COMPETENT_SIGNER', message: 'This Deputy Director is not delegated contracts.' });
    const signed = await s.env.client.workflow.getHandle(issuanceWorkflowId(contract.documentId)).executeUpdate(issuanceUpdate('signDocument'), { args: [{ by: director }] });
    expect(signed.signatures.find((x) => x.slotId === 'department')!.label).toEqual({ authority: 'ĐẠI DIỆN BÊN A', title: 'GIÁM ĐỐC' });
    await signAndIssue(s, contract.documentId);
    st = await s.state();
    expect(st.stage).toBe('CONTRACTED');
    expect(st.contract).toMatchObject({ startOn: await s.today() });

    await s.cmd('recordDisbursement', { by: officer, amount: 500_000_000 });
    await s.cmd('suspend', { by: officer, grounds: 'Chậm tiến độ nghiêm trọng', remedyDays: 30 });
    expect((await s.state()).stage).toBe('IN_PROGRESS');
    await signAndIssueAll(s);
    expect((await s.state()).stage).toBe('SUSPENDED');
    await s.cmd('proposeTermination', { by: officer, grounds: 'Không khắc phục' });
    await s.days(31);
    await s.cmd('decideTermination', { by: officer, terminate: true, cause: 'subjective', fundsSpent: 300_000_000 });
    st = await s.state();
    expect(st.stage).toBe('TERMINATION_PENDING');
    const termination = pendingOf(st).find((d) => d.kind === 'termination_decision')!;
    // A termination is the Director's own: not delegated, whatever the Deputy's areas.
    const reserved = await refusedIssuance(s, termination.documentId, 'signDocument', { by: { ...deputy, areas: ['execution'] } });
    expect(reserved).toMatchObject({ type: 'NOT_COMPETENT_SIGNER', message: 'The Director signs this document; it is not delegated.' });
    await signAndIssue(s, termination.documentId);
    st = await s.state();
    expect(st.stage).toBe('TERMINATED');
    expect(st.funds.refundDue?.total).toBeGreaterThan(0);
  }, { input: TAY_NINH_2026_2 });
});

test('L-3, L-10 where the People\'s Committee approves: the Department records its decision (number, date, signer, file) and issues none of its own', async () => {
  await runScenario(env, 'NV-ISSUEPEOPLESCOM1', async (s) => {
    await s.cmd('startIdentificationReview', { by: officer });
    await sitCouncil(s, { kind: 'C-ID', recommend: true }, { by: officer });
    const missing = await s.refused('approveOrderList', { by: officer });
    expect(missing).toMatchObject({ type: 'INVALID_COMMAND', rule: 'L-3' });
    expect(missing.message).toContain('People\'s Committee approves');
    const file = { fileId: 'f-qd-ubnd-0001', filename: 'QD-1234-UBND.pdf', size: 1024, sha256: 'a'.repeat(64), contentType: 'application/pdf' };
    const decision = { number: '1234/QĐ-UBND', date: await s.today(), signer: { name: 'Nguyễn Văn Út', title: 'KT. CHỦ TỊCH / PHÓ CHỦ TỊCH' } };
    const st = await s.cmd('approveOrderList', { by: officer, approverDecision: decision, attachments: [file] });
    // In effect at once: the People's Committee's decision is already issued.
    expect(st.stage).toBe('ORDER_LISTED');
    expect(pendingOf(st)).toEqual([]);
    expect(st.documents.map((d) => d.kind).filter((k) => !COUNCIL_KINDS.includes(k))).toEqual(['proposal_form']);
    expect(st.approverDecisions).toEqual([{ command: 'approveOrderList', decision, at: expect.any(String) }]);
    expect(st.timeline.at(-1)).toMatchObject({ action: 'approveOrderList', attachments: [file] });
  }, { input: DEFAULT_2026_2 });
});

test('A transition waits for its decision across a worker restart: signed on one worker, registered and issued on another', async () => {
  const taskId = 'NV-ISSUERESTART0001';
  const taskQueue = `scenario-${taskId}`;
  const rec = recordingActivities();
  const bundle = await workflowBundle();
  const runWorker = (body: () => Promise<void>) =>
    Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: bundle, activities: rec.activities, maxCachedWorkflows: 0, dataConverter: TEST_DATA_CONVERTER }).then((w) => w.runUntil(body));
  const handle = env.client.workflow.getHandle(taskWorkflowId(taskId));
  const state = () => handle.query(getTaskStateQuery);
  const cmd = (name: CommandName, payload: object) => handle.executeUpdate(commandUpdate(name), { args: [payload as never] });
  let documentId = '';
  try {
    await runWorker(async () => {
      await env.client.workflow.start(taskLifecycleWorkflow, { taskQueue, workflowId: taskWorkflowId(taskId), args: [lifecycleInput(taskId, TAY_NINH_2026_2)] });
      for (let i = 0; i < 200 && (await state()).documents.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
      await cmd('startIdentificationReview', { by: officer });
      // The decision forming the identification council (issue 13: outcomes come from a sitting).
      const st = (await cmd('formCouncil', {
        by: officer, kind: 'C-ID', members: councilSeats(7), meetingOn: vnDateOf(new Date(await env.currentTimeMs()).toISOString()),
        votingDeadline: new Date((await env.currentTimeMs()) + 2 * 86_400_000).toISOString(), ballot: 'secret',
      })) as TaskState;
      documentId = pendingOf(st)[0]!.documentId;
      for (let i = 0; i < 200 && !rec.drafts.some((d) => d.input.documentId === documentId); i++) await new Promise((r) => setTimeout(r, 20));
      await env.client.workflow.getHandle(issuanceWorkflowId(documentId)).executeUpdate(issuanceUpdate('signDocument'), { args: [{ by: director }] });
    });
    // The first worker is gone; a new one picks both workflows up from their histories.
    expect(documentId).not.toBe('');
    await runWorker(async () => {
      const child = env.client.workflow.getHandle(issuanceWorkflowId(documentId));
      expect((await child.query(getIssuanceQuery)).status).toBe('SIGNED');
      expect((await state()).stage).toBe('IDENTIFICATION_REVIEW');
      await child.executeUpdate(issuanceUpdate('registerDocument'), { args: [{ by: clerk }] });
      const view = await child.executeUpdate(issuanceUpdate('issueDocument'), { args: [{ by: clerk }] });
      expect(view.status).toBe('ISSUED');
      for (let i = 0; i < 200 && (await state()).councilSittings.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
      const st = await state();
      // The council is formed (its sitting started) once its decision is issued.
      expect(st.councilSittings).toEqual([expect.objectContaining({ kind: 'C-ID', status: 'SITTING' })]);
      expect(st.documents.find((d) => d.documentId === documentId)).toMatchObject({ documentId, number: '01/SO-TEST' });
      await env.client.workflow.getHandle(st.councilSittings[0]!.councilId).terminate('scenario over').catch(() => undefined);
      // Drafted once, even though the draft's worker went away.
      expect(rec.drafts.filter((d) => d.input.documentId === documentId)).toHaveLength(1);
      await handle.terminate('scenario over');
    });
  } finally {
    await handle.terminate('scenario over').catch(() => undefined);
  }
});

test('A task that ends while a draft awaits signature withdraws it; signing it then is refused', async () => {
  await runScenario(env, 'NV-ISSUEWITHDRAWN01', async (s) => {
    await s.cmd('startIdentificationReview', { by: officer });
    await sitCouncil(s, { kind: 'C-ID', recommend: true }, { by: officer });
    const st = await s.cmd('approveOrderList', { by: officer });
    const documentId = pendingOf(st)[0]!.documentId;
    await waitForView(s, documentId);
    const after = await s.cmd('withdraw', { by: researcher, reason: 'Tổ chức không còn đủ năng lực thực hiện' });
    expect(after.stage).toBe('WITHDRAWN');
    expect(after.issuance?.find((d) => d.documentId === documentId)?.status).toBe('WITHDRAWN');
    const child = s.env.client.workflow.getHandle(issuanceWorkflowId(documentId));
    expect(await child.result()).toMatchObject({ status: 'WITHDRAWN' });
    await expect(child.executeUpdate(issuanceUpdate('signDocument'), { args: [{ by: director }] })).rejects.toThrow();
  }, { input: TAY_NINH_2026_2 });
});
