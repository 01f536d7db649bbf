/**
 * A five-year task on the time-skipping server, with a small history limit so the
 * lifecycle workflow continues as new several times on the way: every progress report
 * of the L-13 cycle filed (9 for 60 months, 2 more after a 12-month A-3 extension), an
 * A-2 adjustment, a T-1 suspension and resume (every later date shifts by the paused
 * days), then acceptance EXCELLENT through L-21 … L-23 to ARCHIVED. The final state
 * must still hold every report, event and timeline entry.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { taskWorkflowId, type TaskState } from '../../workflows/definitions';
import { addDays, addMonths, workingDaysBefore } from '../../workflows/rules/calendar';
import { contractEndDate, extendedContractEnd, reportDueDates } from '../../workflows/rules/deadlines';
import { ruleSetFor } from '../../workflows/rules/ruleset';
import { createTimeSkippingEnv, manager, researcher, runScenario, sitCouncil, toInProgress, until } from '../support/lifecycle-harness';

let env: TestWorkflowEnvironment;
// A test server of its own for every test: one that keeps its time-skipping lock after a scenario (a
// known hazard of the test server with updates) cannot stall the tests after it.
beforeEach(async () => {
  env = await createTimeSkippingEnv();
});
afterEach(async () => {
  await env?.teardown();
});

const TASK_ID = 'NV-LONGTASK60MONTHS01';
const rs = ruleSetFor({ regime: 'LEGACY_2013', provinceProfile: 'tay-ninh', version: '2026.1' });

/** The run IDs of the workflow's chain, first to last, following each continue-as-new. */
async function runChain(firstRunId: string): Promise<string[]> {
  const chain = [firstRunId];
  for (;;) {
    const history = await env.client.workflow.getHandle(taskWorkflowId(TASK_ID), chain.at(-1)).fetchHistory();
    const next = history.events?.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId;
    if (!next) return chain;
    chain.push(next);
  }
}

test('L-13, A-2, A-3, T-1, L-17…L-23: a 60-month task with every progress report filed, two adjustments, a suspension and acceptance EXCELLENT to ARCHIVED, continuing as new several times (historyLimit 150)', async () => {
  await runScenario(
    env,
    TASK_ID,
    async (s) => {
      const firstRunId = (await s.handle.describe()).runId;
      const { startOn: S, endOn: E } = await toInProgress(s, { durationMonths: 60, disburse: 1_000_000_000 });
      expect(E).toBe(contractEndDate(S, 60));
      let st = await s.state();
      // L-13: every 6 months, strictly before the end (the 60th month ends with the acceptance dossier): 9 reports.
      const original = [1, 2, 3, 4, 5, 6, 7, 8, 9].map((k) => addMonths(S, 6 * k));
      expect(reportDueDates(S, E, rs)).toEqual(original);
      expect(st.reports.map((r) => r.dueOn)).toEqual(original);

      // A-2 (Director): product specifications, total unchanged.
      await s.days(20);
      st = await s.cmd('requestAdjustment', { by: researcher, kind: 'A-2', description: 'Điều chỉnh chỉ tiêu độ mặn khảo nghiệm từ 4‰ lên 5‰' });
      expect(st.stage).toBe('ADJUSTMENT_PENDING');
      await s.days(7);
      st = await s.cmd('decideAdjustment', { by: manager, approve: true });
      expect(st.stage).toBe('IN_PROGRESS');
      expect(st.adjustments).toEqual([expect.objectContaining({ kind: 'A-2', decision: 'approved' })]);
      expect(st.contract!.endOn).toBe(E);

      const file = async (period: number, due: string) => {
        await until(s, due);
        const after = await s.cmd('submitProgressReport', { by: researcher, period, summary: `Báo cáo định kỳ kỳ ${period}` });
        expect(after.reports[period - 1]).toMatchObject({ period, dueOn: due, late: false });
        // L-13: with every second report (once a year) the Department inspects, the host notified 5 working days ahead.
        if (period % 2 === 0) {
          const today = await s.today();
          await s.cmd('startInspection', { by: manager, noticeOn: workingDaysBefore(today, rs.inspectionNoticeWorkingDays + 1) });
          const done = await s.cmd('concludeInspection', { by: manager, conclusion: 'continue', findings: `Kiểm tra năm ${period / 2}: đúng tiến độ` });
          expect(done.obligations.find((o) => o.id === `inspection-${period / 2}`)).toMatchObject({ status: 'DONE', evidence: `Kiểm tra năm ${period / 2}: đúng tiến độ` });
        }
      };
      for (const k of [1, 2, 3]) await file(k, original[k - 1]!);

      // T-1: suspended for 40 days; every later report, the dossier and the end move by 40 days.
      await s.days(10);
      await s.cmd('suspend', { by: manager, grounds: 'Kiểm tra định kỳ: chậm giải ngân đối ứng', remedyDays: 60 });
      await s.days(40);
      st = await s.cmd('resume', { by: manager });
      expect(st.pausedDays).toBe(40);
      const shifted = original.map((d, i) => (i < 3 ? d : addDays(d, 40)));
      expect(st.reports.map((r) => r.dueOn)).toEqual(shifted);
      expect(st.contract!.endOn).toBe(addDays(E, 40));
      for (const k of [4, 5, 6]) await file(k, shifted[k - 1]!);

      // By now the workflow has continued as new at least once.
      expect((await s.handle.describe()).runId).not.toBe(firstRunId);

      // 12 more months (a task of ≥ 24 months), well before the end.
      await s.cmd('recordDisbursement', { by: manager, amount: 400_000_000 });
      await s.cmd('requestAdjustment', { by: researcher, kind: 'A-3', months: 12 });
      await s.days(5);
      st = await s.cmd('decideAdjustment', { by: manager, approve: true });
      const E2 = extendedContractEnd(addDays(E, 40), 12);
      expect(st.contract).toMatchObject({ startOn: S, endOn: E2, originalEndOn: E });
      // The added months bring two more reports on the same (shifted) cycle: 11 in all.
      const all = [...shifted, addDays(addMonths(S, 60), 40), addDays(addMonths(S, 66), 40)];
      expect(st.reports.map((r) => r.dueOn)).toEqual(all);
      expect(st.reports).toHaveLength(11);
      expect(all.every((d) => d < E2)).toBe(true);
      expect(st.obligations.find((o) => o.kind === 'acceptance_dossier')).toMatchObject({ dueOn: addDays(E2, 30), status: 'OPEN' });
      for (const k of [7, 8, 9, 10, 11]) await file(k, all[k - 1]!);

      // Acceptance near the new end.
      await until(s, addDays(E2, -5));
      await s.cmd('startSelfEvaluation', { by: researcher });
      st = await s.cmd('submitAcceptanceDossier', { by: researcher, fundsSpent: 1_380_000_000, documents: ['Báo cáo tổng hợp', 'Báo cáo tóm tắt', 'Báo cáo tự đánh giá'] });
      expect(st.acceptance).toMatchObject({ late: false });
      await s.days(2);
      await s.cmd('checkAcceptanceDossier', { by: manager, complete: true });
      await s.days(5);
      await s.cmd('formAcceptanceCouncil', { by: manager, meetingOn: addDays(await s.today(), 15) });
      await s.days(15);
      st = (await sitCouncil(s, { kind: 'C-ACC', rating: 'EXCELLENT' })).task;
      expect(st.stage).toBe('ACCEPTED_EXCELLENT');
      const acceptedOn = await s.today();
      expect(st.obligations.find((o) => o.kind === 'result_registration')).toMatchObject({ dueOn: addDays(acceptedOn, 30), status: 'OPEN' });
      await s.cmd('submitRevisedResults', { by: researcher, summary: 'Đã hoàn thiện báo cáo tổng hợp theo kết luận của hội đồng.' });
      await s.cmd('recognizeResult', { by: manager });
      await s.days(10);
      await s.cmd('registerResult', { by: researcher, certificates: ['GCN-2032-0117', 'GCN-2032-0118'] });
      st = await s.cmd('settleFinances', { by: manager, fundsSpent: 1_380_000_000 });
      expect(st.funds.refundDue).toMatchObject({ unspent: 20_000_000, spentShare: 0, total: 20_000_000, cause: 'objective' });
      // Issue 13: the contract is liquidated once the unspent funds are back.
      await s.cmd('recordRefund', { by: manager, amount: 20_000_000 });
      await s.cmd('liquidate', { by: manager });
      await s.cmd('archive', { by: manager });

      const final: TaskState = await s.handle.result();
      expect(final.stage).toBe('ARCHIVED');
      expect(final.closed).toBe(true);
      // Everything survived the continues-as-new.
      expect(final.reports).toHaveLength(11);
      expect(final.reports.map((r) => [r.period, r.dueOn, r.late, typeof r.submittedAt])).toEqual(all.map((d, i) => [i + 1, d, false, 'string']));
      expect(final.adjustments.map((a) => [a.kind, a.decision])).toEqual([['A-2', 'approved'], ['A-3', 'approved']]);
      expect(final.extensionsGranted).toBe(1);
      expect(final.pausedDays).toBe(40);
      expect(final.funds).toMatchObject({ approvedState: 1_500_000_000, disbursed: 1_400_000_000 });
      expect(final.registration!.certificates).toEqual(['GCN-2032-0117', 'GCN-2032-0118']);
      expect(final.timeline.map((t) => t.stage)).toEqual([
        // Each council's formation is a step of its own on the timeline (issue 13), at the stage it sits in.
        'PROPOSED', 'IDENTIFICATION_REVIEW', 'IDENTIFICATION_REVIEW', 'ORDER_LISTED', 'CALL_OPEN', 'DOSSIERS_OPENED', 'SELECTION_REVIEW', 'SELECTION_REVIEW', 'SELECTED',
        'PROPOSAL_REVISION', 'BUDGET_APPRAISAL', 'PENDING_APPROVAL', 'APPROVED', 'CONTRACTED', 'IN_PROGRESS',
        'ADJUSTMENT_PENDING', 'IN_PROGRESS',
        'UNDER_INSPECTION', 'IN_PROGRESS', // year 1
        'SUSPENDED', 'IN_PROGRESS', // T-1
        'UNDER_INSPECTION', 'IN_PROGRESS', // year 2
        'UNDER_INSPECTION', 'IN_PROGRESS', // year 3
        'ADJUSTMENT_PENDING', 'IN_PROGRESS',
        'UNDER_INSPECTION', 'IN_PROGRESS', // year 4
        'UNDER_INSPECTION', 'IN_PROGRESS', // year 5
        // The host's revised results (L-21, issue 13) are an entry of their own, at the stage they come in.
        'SELF_EVALUATION', 'ACCEPTANCE_SUBMITTED', 'ACCEPTANCE_REVIEW', 'ACCEPTANCE_REVIEW', 'ACCEPTED_EXCELLENT', 'ACCEPTED_EXCELLENT', 'RESULT_RECOGNIZED', 'RESULT_REGISTERED',
        'FINANCIAL_SETTLEMENT', 'LIQUIDATED', 'ARCHIVED',
      ]);
      // Event sequence numbers run on without a gap across the runs; each report was reminded, none escalated.
      expect(final.events.map((e) => e.seq)).toEqual(final.events.map((_, i) => i + 1));
      expect(final.events.filter((e) => e.type === 'obligation.reminder' && e.rule === 'L-13' && e.audience === 'host')).toHaveLength(11);
      // The officer was reminded of each yearly inspection (the sixth, due by the new end, was waived by the acceptance dossier).
      expect(final.events.filter((e) => e.type === 'obligation.reminder' && e.rule === 'L-13' && e.audience === 'officer')).toHaveLength(6);
      expect(final.obligations.filter((o) => o.kind === 'inspection').map((o) => o.status)).toEqual([...Array(5).fill('DONE'), 'WAIVED']);
      expect(final.events.filter((e) => e.type === 'obligation.overdue')).toEqual([]);
      expect(final.obligations.filter((o) => o.status === 'OPEN' || o.status === 'OVERDUE')).toEqual([]);
      expect(final.obligations.filter((o) => o.kind === 'progress_report').map((o) => o.status)).toEqual(Array(11).fill('DONE'));
      // Every email went out once (exactly-once keys are unique).
      const keys = s.rec.sent.map((m) => m.key);
      expect(new Set(keys).size).toBe(keys.length);
      // The read model saw increasing versions ending with the archived state.
      const versions = s.rec.written.map((w) => w.version);
      expect(versions).toEqual([...versions].sort((a, b) => a - b));
      expect(s.rec.written.at(-1)).toMatchObject({ stage: 'ARCHIVED', version: final.version });

      // Several runs in the chain; the last one completed.
      const chain = await runChain(firstRunId);
      expect(chain[0]).toBe(firstRunId);
      expect(chain.length).toBeGreaterThanOrEqual(3);
      expect(chain.at(-1)).toBe((await s.handle.describe()).runId);
      expect((await env.client.workflow.getHandle(taskWorkflowId(TASK_ID), chain[0]).describe()).status.name).toBe('CONTINUED_AS_NEW');
      expect((await s.handle.describe()).status.name).toBe('COMPLETED');
    },
    { input: { historyLimit: 150 } },
  );
});
