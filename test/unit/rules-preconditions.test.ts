/**
 * rules/preconditions.ts (issue 13): the conditions on the task's state a command needs, asked by the
 * workflow's validators and by the API's allowedActions alike; the retired free entries of an outcome.
 */
import { TaskStage as S, type TaskState } from '../../workflows/definitions';
import { initialState } from '../../workflows/lifecycle-state';
import { commandRefusal, isRetired, refundOutstanding, RETIRED_COMMANDS, stateRefusal } from '../../workflows/rules/preconditions';
import { lifecycleInput, manager, otherResearcher, researcher } from '../support/lifecycle-harness';

const base = (): TaskState => initialState(lifecycleInput('NV-PRECONDITIONS01'), 'task-NV-PRECONDITIONS01');
const TODAY = '2027-03-01';

test('C-9: the free entries of a council\'s outcome are retired, for every caller and stage', () => {
  expect(RETIRED_COMMANDS).toEqual(['recordIdentificationResult', 'recordSelectionResult', 'recordAcceptanceResult']);
  for (const name of RETIRED_COMMANDS) {
    expect(isRetired(name)).toBe(true);
    for (const stage of [S.IDENTIFICATION_REVIEW, S.SELECTION_REVIEW, S.ACCEPTANCE_REVIEW]) {
      const refusal = stateRefusal(name, { ...base(), stage }, manager, TODAY);
      expect(refusal).toMatchObject({ code: 'COMMAND_RETIRED', rule: 'C-9' });
      expect(refusal!.message.vi).toContain('kiểm phiếu');
    }
  }
  expect(isRetired('approveOrderList')).toBe(false);
});

test('L-3: the order list needs the identification council\'s recommendation', () => {
  const st = { ...base(), stage: S.IDENTIFICATION_REVIEW };
  expect(commandRefusal('approveOrderList', st, manager, TODAY)).toMatchObject({ code: 'PRECONDITION_FAILED', rule: 'L-3' });
  st.councils = [{ council: 'C-ID', outcome: 'RECOMMENDED', decidedAt: '2027-02-28T09:00:00Z', tally: {} }];
  expect(commandRefusal('approveOrderList', st, manager, TODAY)).toBeNull();
});

test('L-5: one dossier per organisation, inside the window; another organisation may still apply', () => {
  const st: TaskState = { ...base(), stage: S.CALL_OPEN, call: { opensOn: '2027-02-01', closesOn: '2027-03-03', dossiers: [], round: 1 } };
  expect(commandRefusal('submitDossier', st, researcher, TODAY)).toBeNull();
  st.call!.dossiers.push({ dossierId: 'HS-1-1', host: { orgId: researcher.orgId, orgName: 'Viện', pi: { name: researcher.name, email: researcher.email } }, submittedAt: '2027-02-10T00:00:00Z' });
  expect(commandRefusal('submitDossier', st, researcher, TODAY)).toMatchObject({ code: 'PRECONDITION_FAILED', rule: 'L-5' });
  expect(commandRefusal('submitDossier', st, otherResearcher, TODAY)).toBeNull();
  expect(commandRefusal('submitDossier', st, otherResearcher, '2027-03-04')).toMatchObject({ rule: 'L-5' });
});

test('T-3, L-24: the refund owed is what is due less what was refunded; liquidation after FAIL waits for it', () => {
  const st: TaskState = { ...base(), stage: S.ACCEPTANCE_FAILED };
  st.funds = { ...st.funds, refundDue: { unspent: 100, spentShare: 50, total: 150, cause: 'subjective', basis: { vi: '', en: '' } }, refunded: 40 };
  expect(refundOutstanding(st)).toBe(110);
  expect(commandRefusal('liquidate', st, manager, TODAY)).toMatchObject({ code: 'PRECONDITION_FAILED', rule: 'L-24' });
  expect(commandRefusal('recordRefund', st, manager, TODAY)).toBeNull();
  st.funds.refunded = 150;
  expect(refundOutstanding(st)).toBe(0);
  expect(commandRefusal('liquidate', st, manager, TODAY)).toBeNull();
  expect(commandRefusal('recordRefund', st, manager, TODAY)).toMatchObject({ code: 'PRECONDITION_FAILED', rule: 'T-3' });
});

test('T-3, L-23 (issue 13): after settlement the contract waits for the refund too; a write-off decision counts as settled; nothing owed, nothing to write off', () => {
  const st: TaskState = { ...base(), stage: S.FINANCIAL_SETTLEMENT, registration: { certificates: ['GCN-1'], registeredAt: '2027-02-01T00:00:00Z' } };
  expect(commandRefusal('liquidate', st, manager, TODAY)).toBeNull();
  expect(commandRefusal('writeOffRefund', st, manager, TODAY)).toMatchObject({ code: 'PRECONDITION_FAILED', rule: 'T-3' });
  st.funds = { ...st.funds, refundDue: { unspent: 20_000_000, spentShare: 0, total: 20_000_000, cause: 'objective', basis: { vi: '', en: '' } }, refunded: 5_000_000 };
  const refused = commandRefusal('liquidate', st, manager, TODAY);
  expect(refused).toMatchObject({ code: 'PRECONDITION_FAILED', rule: 'L-23' });
  expect(refused!.message.vi).toContain('15.000.000');
  expect(commandRefusal('writeOffRefund', st, manager, TODAY)).toBeNull();
  expect(commandRefusal('writeOffRefund', st, researcher, TODAY)).toMatchObject({ code: 'FORBIDDEN_ROLE' });
  st.funds.writtenOff = [{ on: TODAY, amount: 15_000_000, decisionNumber: '45/QĐ-UBND', decidedOn: TODAY, grounds: 'Giải thể', by: manager.name }];
  expect(refundOutstanding(st)).toBe(0);
  expect(commandRefusal('liquidate', st, manager, TODAY)).toBeNull();
  expect(commandRefusal('writeOffRefund', st, manager, TODAY)).toMatchObject({ code: 'PRECONDITION_FAILED', rule: 'T-3' });
  // Before the certificate, the certificate is what is missing (L-22).
  delete st.registration;
  expect(commandRefusal('liquidate', st, manager, TODAY)).toMatchObject({ rule: 'L-22' });
});

test('NOT_YOUR_TASK: a researcher of another organisation acts on nothing but a call', () => {
  const st = { ...base(), stage: S.PROPOSED };
  expect(commandRefusal('withdraw', st, otherResearcher, TODAY)).toMatchObject({ code: 'NOT_YOUR_TASK' });
  expect(commandRefusal('withdraw', st, researcher, TODAY)).toBeNull();
});
