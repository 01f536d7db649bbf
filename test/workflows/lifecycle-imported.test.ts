/**
 * A task imported from the running portfolio (issue 7) on the time-skipping
 * server: it starts in its current stage without the L-1 proposal form or
 * acknowledgement, the report it had already missed is on record as OVERDUE
 * without an escalation, the reports still ahead are reminded and escalated on
 * time (L-13), and it takes lifecycle commands like any task.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { SA, type ImportedTask } from '../../workflows/definitions';
import { addDays, addMonths, vnDateOf } from '../../workflows/rules/calendar';
import { contractEndDate, reportDueDates } from '../../workflows/rules/deadlines';
import { ruleSetFor } from '../../workflows/rules/ruleset';
import { createTimeSkippingEnv, HOST, manager, researcher, runScenario, until } from '../support/lifecycle-harness';

let env: TestWorkflowEnvironment;
// A test server of its own for every test: one that keeps its time-skipping lock after a scenario (a
// known hazard of the test server with updates) cannot stall the tests after it.
beforeEach(async () => {
  env = await createTimeSkippingEnv();
});
afterEach(async () => {
  await env?.teardown();
});

test('imported IN_PROGRESS (issue 7): no L-1 form or email, the missed report OVERDUE without escalation, the next one reminded and escalated on time (L-13), commands accepted', async () => {
  const now = new Date(await env.currentTimeMs()).toISOString();
  const today = vnDateOf(now);
  const start = addDays(addMonths(today, -6), -10);
  const end = contractEndDate(start, 24);
  const due = reportDueDates(start, end, ruleSetFor({ regime: 'LEGACY_2013', provinceProfile: 'tay-ninh', version: '2026.1' }));
  const imported: ImportedTask = {
    code: 'ĐTCT.2026.07',
    importedAt: now,
    by: { userId: manager.userId, role: 'manager', name: manager.name },
    stage: 'IN_PROGRESS',
    assignment: 'direct_assignment',
    host: HOST,
    accountableOfficer: { userId: manager.userId, name: manager.name, email: manager.email },
    approval: { approvedOn: addDays(start, -20), durationMonths: 24, fundingMode: 'full_lump_sum', products: ['Quy trình kỹ thuật'] },
    budget: { stateBudget: 1_000_000_000, otherSources: 0 },
    contract: { startOn: start, endOn: end },
    disbursements: [{ on: addDays(start, 10), amount: 600_000_000 }],
    reportsFiledOn: [],
    summary: 'Giao trực tiếp; đang triển khai thí nghiệm đồng ruộng.',
  };
  await runScenario(
    env,
    'NV-IMPORTEDTASK0001',
    async (s) => {
      let st = await s.state();
      expect(st).toMatchObject({ stage: 'IN_PROGRESS', version: 2, documents: [], imported: { code: 'ĐTCT.2026.07' }, funds: { disbursed: 600_000_000 } });
      expect(st.timeline.map((e) => [e.rule, e.action])).toEqual([['IMPORT', 'imported']]);
      expect(st.obligations.find((o) => o.id === 'progress_report-1')).toMatchObject({ dueOn: due[0], status: 'OVERDUE', escalated: false });
      expect(st.events).toEqual([]);
      const sa = (await s.handle.describe()).typedSearchAttributes;
      expect([sa.get(SA.stage), sa.get(SA.overdue)]).toEqual(['IN_PROGRESS', true]);

      // The host files the missed report late; the Department pays the second tranche.
      st = await s.cmd('submitProgressReport', { by: researcher, period: 1, summary: 'Hoàn thành thí nghiệm vụ 1' });
      expect(st.reports[0]).toMatchObject({ period: 1, late: true });
      st = await s.cmd('recordDisbursement', { by: manager, amount: 300_000_000 });
      expect(st.funds.disbursed).toBe(900_000_000);

      // Report 2: reminded a week ahead, escalated the day after its due date; the Department's
      // yearly inspection (L-13), due the same day and not held, likewise.
      const report2 = async () => (await s.state()).obligations.find((o) => o.id === 'progress_report-2')!;
      const inspection1 = async () => (await s.state()).obligations.find((o) => o.id === 'inspection-1')!;
      expect(await inspection1()).toMatchObject({ assignee: 'department', dueOn: due[1], status: 'OPEN' });
      await until(s, addDays(due[1]!, -8));
      expect(await report2()).toMatchObject({ status: 'OPEN', reminded: false });
      await s.days(1);
      expect(await report2()).toMatchObject({ status: 'OPEN', reminded: true, escalated: false });
      await until(s, addDays(due[1]!, 1));
      expect(await report2()).toMatchObject({ status: 'OVERDUE', escalated: true });
      expect(await inspection1()).toMatchObject({ status: 'OVERDUE', escalated: true });
      const overdueEvents = (await s.state()).events.filter((e) => e.type === 'obligation.overdue');
      expect(overdueEvents.map((e) => [e.rule, e.audience])).toEqual([['L-13', 'both'], ['L-13', 'officer']]);
    },
    { input: { imported, submittedBy: { ...researcher }, submittedAt: `${imported.approval.approvedOn}T01:00:00.000Z` } },
  );
});

test('an imported task gets no proposal-received email and no proposal form', async () => {
  // Checked on the recorded activities of a second, shorter run.
  const now = new Date(await env.currentTimeMs()).toISOString();
  const today = vnDateOf(now);
  let sent: string[] = [];
  await runScenario(
    env,
    'NV-IMPORTEDAPPROVED1',
    async (s) => {
      const st = await s.state();
      expect(st.stage).toBe('APPROVED');
      expect(st.obligations.map((o) => [o.kind, o.status])).toEqual([['contract_signing', 'OPEN']]);
      await s.cmd('signContract', { by: researcher });
      const signed = await s.cmd('signContract', { by: manager });
      expect(signed.stage).toBe('CONTRACTED');
      expect(signed.obligations.find((o) => o.kind === 'contract_signing')!.status).toBe('DONE');
      sent = s.rec.sent.map((m) => m.template);
    },
    {
      input: {
        imported: {
          code: 'DA.2026.03', importedAt: now, by: { userId: manager.userId, role: 'manager', name: manager.name }, stage: 'APPROVED', assignment: 'competitive_selection', host: HOST,
          approval: { approvedOn: addDays(today, -3), durationMonths: 12, fundingMode: 'partial_lump_sum', products: ['Mô hình'] }, budget: { stateBudget: 500_000_000, otherSources: 0 },
          disbursements: [], reportsFiledOn: [], summary: '',
        },
      },
    },
  );
  expect(sent).not.toContain('proposal-received');
});
