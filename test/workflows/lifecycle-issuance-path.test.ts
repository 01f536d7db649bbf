/**
 * Issue 12 on the time-skipping server, the whole lifecycle under rule-set 2026.2: every §7
 * document goes draft → signature → number → issue, each transition when its decision is issued.
 * A file of its own (its own time-skipping server): after the scenarios of
 * lifecycle-issuance.test.ts the shared server's clock could stay locked to wall time.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { issuanceUpdate, issuanceWorkflowId, type CommandName, type IssuanceCommands, type TaskState } from '../../workflows/definitions';
import { addDays } from '../../workflows/rules/calendar';
import {
  createTimeSkippingEnv,
  director,
  HOST,
  officer,
  researcher,
  runScenario,
  signAndIssueAll,
  sitCouncil,
  waitForView,
  type Scenario,
} from '../support/lifecycle-harness';

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

test('The whole path under 2026.2: every §7 document goes draft → signed → numbered → issued, each transition when its decision is issued; the minutes signed by the chair and the secretary, the contract and the liquidation record by both parties', async () => {
  await runScenario(env, 'NV-ISSUEWHOLEPATH01', async (s) => {
    const issue = (o: Parameters<typeof signAndIssueAll>[1] = {}) => signAndIssueAll(s, o);
    const step = async <K extends CommandName>(name: K, payload: Parameters<Scenario['cmd']>[1] & object) => {
      await s.cmd(name, payload as never);
      return issue();
    };
    await step('startIdentificationReview', { by: officer });
    // Issue 13: every council's outcome comes from its sitting (its formation decision issued first).
    await sitCouncil(s, { kind: 'C-ID', recommend: true }, { by: officer });
    await issue();
    await step('approveOrderList', { by: officer });
    await step('openCall', { by: officer, closesOn: addDays(await s.today(), 30) });
    expect((await s.state()).stage).toBe('CALL_OPEN'); // open once the call notice is issued
    await s.cmd('submitDossier', { by: researcher, host: HOST });
    await s.days(31);
    await step('openDossiers', { by: officer, valid: ['HS-1-1'] });
    await step('formSelectionCouncil', { by: officer, meetingOn: addDays(await s.today(), 10) });
    await sitCouncil(s, { kind: 'C-SEL', winner: 'HS-1-1' }, { by: officer });
    await issue();
    await step('submitRevisedProposal', { by: researcher });
    await step('recordBudgetAppraisal', { by: officer, requested: 1_750_000_000, appraisedState: 1_500_000_000, appraisedOther: 250_000_000 });
    await step('approveTask', { by: officer, durationMonths: 12, fundingMode: 'full_lump_sum', stateBudget: 1_500_000_000, otherSources: 250_000_000, products: ['02 giống lúa chịu mặn'] });
    await step('signContract', { by: researcher });
    await step('signContract', { by: officer });
    expect((await s.state()).stage).toBe('CONTRACTED');
    await step('recordDisbursement', { by: officer, amount: 1_000_000_000 });
    await s.days(340);
    await step('startSelfEvaluation', { by: researcher });
    await step('submitAcceptanceDossier', { by: researcher, fundsSpent: 900_000_000, documents: ['Báo cáo tổng hợp'] });
    await step('checkAcceptanceDossier', { by: officer, complete: true });
    await step('formAcceptanceCouncil', { by: officer, meetingOn: addDays(await s.today(), 20) });
    const roles = ['chair', 'vice_chair', 'reviewer', 'reviewer', 'member', 'member', 'member', 'member', 'scientific_secretary'] as const;
    const members = roles.map((role, i) => ({ memberId: `m${i + 1}`, name: `Thành viên ${i + 1}`, email: `m${i + 1}@hoidong.example.vn`, role }));
    await s.cmd('formCouncil', { by: officer, kind: 'C-ACC', members, meetingOn: await s.today(), votingDeadline: new Date((await env.currentTimeMs()) + 5 * 86_400_000).toISOString(), ballot: 'secret' });
    // The council is formed, and sits, once the decision forming it is issued.
    const acc = async () => (await s.state()).councilSittings.filter((c) => c.kind === 'C-ACC');
    expect(await acc()).toEqual([]);
    expect((await s.state()).issuance?.some((d) => d.kind === 'council_formation_decision' && d.status === 'PENDING')).toBe(true);
    await issue();
    expect(await acc()).toEqual([expect.objectContaining({ kind: 'C-ACC', status: 'SITTING' })]);
    const council = env.client.workflow.getHandle((await acc())[0]!.councilId);
    const member = (id: string) => ({ userId: id, role: 'council_member' as const, name: id, email: `${id}@hoidong.example.vn`, orgId: 'org-hoi-dong', locale: 'vi' as const });
    const { councilUpdate } = await import('../../workflows/definitions');
    for (const m of members) await council.executeUpdate(councilUpdate('declareConflict'), { args: [{ by: member(m.memberId), memberId: m.memberId, conflicted: false }] });
    await council.executeUpdate(councilUpdate('recordAttendance'), { args: [{ by: officer, present: members.map((m) => m.memberId) }] });
    for (const m of members) await council.executeUpdate(councilUpdate('castVote'), { args: [{ by: member(m.memberId), ballot: { kind: 'C-ACC', products: [{ productId: 'P1', quantity: 'PASS', volume: 'PASS', quality: 'PASS' }], report: 'PASS' } }] });
    for (let i = 0; i < 400 && (await s.state()).stage === 'ACCEPTANCE_REVIEW'; i++) await new Promise((r) => setTimeout(r, 50));
    expect((await s.state()).stage).toBe('ACCEPTED_PASS');
    // C-ACC-1: the minutes go to the council's chair and scientific secretary to sign.
    const minutes = pendingOf(await s.state()).find((d) => d.kind === 'acceptance_minutes')!;
    const minutesView = await waitForView(s, minutes.documentId);
    expect(minutesView.slots.map((x) => [x.slotId, x.requirement])).toEqual([['chair', { kind: 'member', userId: 'm1', name: 'Thành viên 1' }], ['secretary', { kind: 'member', userId: 'm9', name: 'Thành viên 9' }]]);
    expect(await refusedIssuance(s, minutes.documentId, 'signDocument', { by: director })).toMatchObject({ type: 'NOT_COMPETENT_SIGNER' });
    expect(await refusedIssuance(s, minutes.documentId, 'signDocument', { by: member('m2') })).toMatchObject({ type: 'NOT_COMPETENT_SIGNER' });
    await issue();
    await s.cmd('submitRevisedResults', { by: researcher, summary: 'Đã chỉnh sửa báo cáo tổng hợp theo kết luận của hội đồng.' });
    await step('recognizeResult', { by: officer });
    expect((await s.state()).stage).toBe('RESULT_RECOGNIZED');
    await step('registerResult', { by: researcher, certificates: ['GCN-2028-0042'] });
    await step('settleFinances', { by: officer, fundsSpent: 900_000_000 });
    await step('recordRefund', { by: officer, amount: 100_000_000 });
    await s.cmd('liquidate', { by: officer });
    expect((await s.state()).stage).toBe('FINANCIAL_SETTLEMENT');
    const liquidation = pendingOf(await s.state()).find((d) => d.kind === 'liquidation_record')!;
    const lv = await waitForView(s, liquidation.documentId);
    // Party B's representative signs the liquidation record through the API; another organisation's researcher may not.
    expect(lv.slots.map((x) => x.slotId)).toEqual(['department', 'party_b']);
    expect(await refusedIssuance(s, liquidation.documentId, 'signDocument', { by: { ...researcher, orgId: 'org-khac' }, slotId: 'party_b' })).toMatchObject({ type: 'NOT_COMPETENT_SIGNER' });
    await issue();
    let st = await s.state();
    expect(st.stage).toBe('LIQUIDATED');
    await step('archive', { by: officer });
    st = await s.state();
    expect(st.stage).toBe('ARCHIVED');
    // Every document of the path was issued once, numbered, and nothing is left pending.
    expect(pendingOf(st)).toEqual([]);
    const kinds = st.documents.map((d) => d.kind).filter((k) => !['proposal_form', 'vote_counting_record', 'council_minutes', 'score_sheet'].includes(k));
    // Three councils formed: identification, selection, acceptance (issue 13: each outcome from a sitting).
    expect(kinds.sort()).toEqual(['acceptance_minutes', 'budget_appraisal_record', 'call_notice', 'contract', 'council_formation_decision', 'council_formation_decision', 'council_formation_decision', 'dossier_opening_record', 'liquidation_record', 'order_list_approval', 'recognition_decision', 'registration_certificate', 'task_approval_decision'].sort());
    for (const d of st.documents.filter((x) => kinds.includes(x.kind))) expect(d.number).toMatch(/\/SO-TEST$|^GCN-/);
    expect(st.obligations.filter((o) => o.kind === 'document_issuance').every((o) => o.status === 'DONE')).toBe(true);
    // Issued once each, with the signatures of their blocks.
    const minutesIssued = s.rec.issued.find((r) => r.documentId === minutes.documentId)!;
    expect(minutesIssued.issuance.signatures.map((x) => [x.slotId, x.userId, x.label.title])).toEqual([['chair', 'm1', 'CHỦ TỊCH HỘI ĐỒNG'], ['secretary', 'm9', 'THƯ KÝ KHOA HỌC']]);
    expect(new Set(s.rec.issued.map((r) => r.documentId)).size).toBe(s.rec.issued.length);
  }, { input: TAY_NINH_2026_2 });
}, 400_000);
