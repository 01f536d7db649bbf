/**
 * The pure rules behind issue 6, without Temporal: when a queued reminder or escalation is stale
 * (§8), which deadlines get a reminder date, and which documents and notices a step plans.
 */
import type { Obligation, TaskState } from '../../workflows/definitions';
import { ruleSetFor } from '../../workflows/rules/ruleset';
import { addMissingReminders, dmy, markBefore, obligationTag, planAfterEffect, staleObligationEmail } from '../../workflows/task-documents';
import { liquidatedState, MANAGER } from '../support/task-fixtures';

const rs = ruleSetFor({ regime: 'LEGACY_2013', provinceProfile: 'tay-ninh', version: '2026.1' });
const actor = { ...MANAGER, email: 'thang.td@skhcn.example.vn', orgId: 'org-skhcn', locale: 'vi' as const };

function withObligation(o: Partial<Obligation>, extra: Partial<TaskState> = {}): { state: TaskState; o: Obligation } {
  const ob: Obligation = {
    id: 'progress_report-1', kind: 'progress_report', rule: 'L-13', deliverable: { vi: 'Báo cáo định kỳ kỳ 1', en: 'Progress report, period 1' }, assignee: 'host',
    assigneeName: 'Viện Sinh học Nhiệt đới (Nguyễn Thị Hương)', dueOn: '2026-11-11', remindOn: '2026-11-04', status: 'OPEN', pausable: true, reminded: true, escalated: false, ...o,
  };
  return { state: { ...liquidatedState(), stage: 'IN_PROGRESS', obligations: [ob], ...extra }, o: ob };
}

describe('§8 staleObligationEmail: a queued reminder or escalation is dropped once it no longer applies', () => {
  test('still open, same date, clock running: sent', () => {
    const { state, o } = withObligation({});
    expect(staleObligationEmail(state, obligationTag(o))).toBe(false);
  });
  test.each(['DONE', 'WAIVED', 'CANCELLED'] as const)('met or closed (%s): dropped', (status) => {
    const { state, o } = withObligation({});
    const tag = obligationTag(o);
    state.obligations[0]!.status = status;
    expect(staleObligationEmail(state, tag)).toBe(true);
  });
  test('a reminder once the obligation went overdue: dropped (the escalation says it)', () => {
    const { state, o } = withObligation({});
    const tag = obligationTag(o);
    state.obligations[0]!.status = 'OVERDUE';
    expect(staleObligationEmail(state, tag)).toBe(true);
  });
  test('an escalation after an extension reopened it with a later date: dropped', () => {
    const { state, o } = withObligation({ status: 'OVERDUE' });
    const tag = obligationTag(o);
    Object.assign(state.obligations[0]!, { status: 'OPEN', dueOn: '2027-05-10' });
    expect(staleObligationEmail(state, tag)).toBe(true);
  });
  test('a pausable deadline while the task is suspended (T-1): dropped; one that does not pause: sent', () => {
    const suspension = { since: '2026-11-01T03:00:00.000Z', sinceOn: '2026-11-01', remedyDueOn: '2026-12-31', grounds: 'Chậm tiến độ', resumeTo: 'IN_PROGRESS' as const };
    const paused = withObligation({}, { suspension });
    expect(staleObligationEmail(paused.state, obligationTag(paused.o))).toBe(true);
    const running = withObligation({ pausable: false, id: 'suspension_remedy-1' }, { suspension });
    expect(staleObligationEmail(running.state, obligationTag(running.o))).toBe(false);
  });
  test('an obligation no longer on record: dropped', () => {
    const { state, o } = withObligation({});
    expect(staleObligationEmail({ ...state, obligations: [] }, obligationTag(o))).toBe(true);
  });
});

describe('§8 addMissingReminders: every deadline is reminded before it passes', () => {
  const open = (dueOn: string, extra: Partial<Obligation> = {}) => withObligation({ id: 'x-1', dueOn, remindOn: undefined as never, reminded: false, ...extra }).state;
  test('a week before when there is a week', () => {
    const s = open('2027-06-30');
    addMissingReminders(s, 0, '2027-06-01', rs);
    expect(s.obligations[0]!.remindOn).toBe('2027-06-23');
  });
  test('the day before when the period is shorter (e.g. 3 working days)', () => {
    const s = open('2027-06-04');
    addMissingReminders(s, 0, '2027-06-01', rs);
    expect(s.obligations[0]!.remindOn).toBe('2027-06-03');
  });
  test('none when due tomorrow; an existing reminder date and earlier obligations are left alone', () => {
    const s = open('2027-06-02');
    addMissingReminders(s, 0, '2027-06-01', rs);
    expect(s.obligations[0]!.remindOn).toBeUndefined();
    const kept = withObligation({});
    addMissingReminders(kept.state, 0, '2026-10-01', rs);
    expect(kept.state.obligations[0]!.remindOn).toBe('2026-11-04');
    const earlier = open('2027-06-30');
    addMissingReminders(earlier, 1, '2027-06-01', rs);
    expect(earlier.obligations[0]!.remindOn).toBeUndefined();
  });
});

test('dd/mm/yyyy in notices', () => {
  expect(dmy('2027-05-09')).toBe('09/05/2027');
});

describe('planAfterEffect: the documents a command issues and who is told', () => {
  const ctx = { workflowId: 'task-NV-1', taskId: 'NV-1', rs, today: '2026-05-11', now: '2026-05-11T03:00:00.000Z' };
  test('L-11: the second signature issues the contract for both parties; the first asks the other party to sign', () => {
    const state = { ...liquidatedState(), stage: 'CONTRACTED' as const };
    const mark = { ...markBefore(state, 0), stage: 'APPROVED' as const };
    const both = planAfterEffect({ name: 'signContract', p: { by: actor } }, mark, state, ctx);
    expect(both.documents.map((d) => [d.kind, d.key, d.filename, d.attachTo])).toEqual([['contract', 'task-NV-1/contract', 'hop-dong-NV-1.pdf', { events: ['contract.signed'], sides: ['host', 'officer'] }]]);
    expect(both.notices.map((n) => [n.type, n.audience])).toEqual([['contract.signed', 'both']]);
    expect(both.notices[0]!.message.vi).toBe('Hai bên đã ký hợp đồng; thời gian thực hiện từ 11/05/2026 đến 10/11/2027. Hợp đồng được đính kèm.');
    const first = planAfterEffect({ name: 'signContract', p: { by: { ...actor, role: 'researcher' } } }, { ...mark, stage: 'APPROVED' }, { ...state, stage: 'APPROVED' }, ctx);
    expect(first.documents).toEqual([]);
    expect(first.notices.map((n) => [n.type, n.audience])).toEqual([['contract.awaiting_signature', 'officer']]);
  });
  test('L-22: one certificate per number, keyed by it', () => {
    const state = { ...liquidatedState(), stage: 'RESULT_REGISTERED' as const };
    const plan = planAfterEffect({ name: 'registerResult', p: { by: actor, certificates: ['GCN-2028-0042', 'GCN-2028-0043'] } }, { ...markBefore(state, 0), certificates: 0 }, state, ctx);
    expect(plan.documents.map((d) => [d.key, d.subject])).toEqual([
      ['task-NV-1/registration_certificate/GCN-2028-0042', { certificate: { number: 'GCN-2028-0042', index: 0 } }],
      ['task-NV-1/registration_certificate/GCN-2028-0043', { certificate: { number: 'GCN-2028-0043', index: 1 } }],
    ]);
  });
  test('a refused adjustment issues no decision nor annex', () => {
    const state = liquidatedState();
    expect(planAfterEffect({ name: 'decideAdjustment', p: { by: actor, approve: false } }, markBefore(state, 0), state, ctx).documents).toEqual([]);
  });
});
