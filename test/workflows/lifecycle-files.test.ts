/**
 * Issue 10 in the workflow: the files a command carries go on the timeline entry
 * it makes (a new one, in the same stage, when it makes none), into the task's
 * files, and never into the shared timeline for an application (submitDossier).
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { FileAttachment } from '../../workflows/definitions';
import { addDays } from '../../workflows/rules/calendar';
import { createTimeSkippingEnv, HOST, manager, otherResearcher, OTHER_HOST, researcher, runScenario, sitCouncil, toOrderListed } from '../support/lifecycle-harness';

let env: TestWorkflowEnvironment;
// A test server of its own for every test: one that keeps its time-skipping lock after a scenario (a
// known hazard of the test server with updates) cannot stall the tests after it.
beforeEach(async () => {
  env = await createTimeSkippingEnv();
});
afterEach(async () => {
  await env?.teardown();
});

const file = (n: number, filename: string, contentType = 'application/pdf'): FileAttachment => ({
  fileId: `f-${String(n).padStart(24, '0')}`,
  filename,
  size: 1000 + n,
  sha256: String(n).repeat(64).slice(0, 64),
  contentType,
});

test('attachments: on the command\'s timeline entry and in the task\'s files; an application\'s only in the files', async () => {
  const proposalFile = file(1, 'Thuyết minh đề xuất.pdf');
  await runScenario(
    env,
    'NV-FILESATTACHED01',
    async (s) => {
      let st = await s.state();
      expect(st.timeline[0]).toMatchObject({ action: 'fileProposal', attachments: [proposalFile] });
      expect(st.files).toEqual([{ ...proposalFile, command: 'fileProposal', at: st.submittedAt, by: { userId: researcher.userId, role: 'researcher', name: researcher.name }, orgId: researcher.orgId }]);

      await toOrderListed(s);
      await s.cmd('openCall', { by: manager, closesOn: addDays(await s.today(), 30) });
      const entries = (await s.state()).timeline.length;
      st = await s.cmd('submitDossier', { by: researcher, host: HOST, attachments: [file(2, 'Hồ sơ đăng ký.pdf')] });
      st = await s.cmd('submitDossier', { by: otherResearcher, host: OTHER_HOST, attachments: [file(3, 'Application.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document')] });
      // Applicants see the task's timeline too: an application adds nothing there.
      expect(st.timeline).toHaveLength(entries);
      expect(st.files!.slice(1).map((f) => [f.fileId, f.command, f.dossierId, f.orgId])).toEqual([
        [file(2, '').fileId, 'submitDossier', 'HS-1-1', researcher.orgId],
        [file(3, '').fileId, 'submitDossier', 'HS-1-2', otherResearcher.orgId],
      ]);

      await s.days(31);
      await s.cmd('openDossiers', { by: manager, valid: ['HS-1-1', 'HS-1-2'] });
      await s.cmd('formSelectionCouncil', { by: manager, meetingOn: addDays(await s.today(), 10) });
      await sitCouncil(s, { kind: 'C-SEL', winner: 'HS-1-1' });
      // A command that moves the task: its own entry carries the files.
      const revised = file(4, 'Thuyết minh hoàn thiện.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document');
      st = await s.cmd('submitRevisedProposal', { by: researcher, attachments: [revised] });
      const entry = st.timeline.at(-1)!;
      expect(entry).toMatchObject({ stage: 'BUDGET_APPRAISAL', action: 'submitRevisedProposal', rule: 'L-9', attachments: [revised] });
      expect(st.files!.at(-1)).toMatchObject({ fileId: revised.fileId, command: 'submitRevisedProposal', at: entry.at });

      await s.cmd('recordBudgetAppraisal', { by: manager, requested: 1_750_000_000, appraisedState: 1_500_000_000, appraisedOther: 250_000_000 });
      await s.cmd('approveTask', { by: manager, durationMonths: 12, fundingMode: 'full_lump_sum', stateBudget: 1_500_000_000, otherSources: 250_000_000, products: ['02 giống lúa chịu mặn'] });
      await s.cmd('signContract', { by: researcher });
      await s.cmd('signContract', { by: manager });
      await s.cmd('recordDisbursement', { by: manager, amount: 1_000_000_000 });
      await s.days(180);
      // A command that leaves the stage as it is: a new entry records the files, in that stage.
      const report = [file(5, 'Báo cáo định kỳ kỳ 1.pdf'), file(6, 'Số liệu.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')];
      const before = (await s.state()).timeline.length;
      st = await s.cmd('submitProgressReport', { by: researcher, period: 1, summary: 'Hoàn thành 50% khối lượng.', attachments: report });
      expect(st.timeline).toHaveLength(before + 1);
      expect(st.timeline.at(-1)).toMatchObject({ stage: 'IN_PROGRESS', action: 'submitProgressReport', rule: 'L-13', by: { userId: researcher.userId }, attachments: report });
      expect(st.reports[0]).toMatchObject({ late: false });
      expect(st.files!.map((f) => f.command)).toEqual(['fileProposal', 'submitDossier', 'submitDossier', 'submitRevisedProposal', 'submitProgressReport', 'submitProgressReport']);
      // A command without files records as it always did.
      const plain = (await s.state()).timeline.length;
      st = await s.cmd('requestAdjustment', { by: researcher, kind: 'A-1', description: 'Điều chuyển nội dung chi giữa các khoản khoán.' });
      expect(st.timeline).toHaveLength(plain);
    },
    { input: { attachments: [proposalFile] } },
  );
});
