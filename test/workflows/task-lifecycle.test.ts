/**
 * The first steps of the lifecycle on the time-skipping server: intake (L-1),
 * the Department's first command (L-2) with its refusals, and an SMTP outage
 * that delays the acknowledgement without blocking commands.
 */
import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { commandUpdate } from '../../workflows/definitions';
import { createTimeSkippingEnv, manager, researcher, runScenario, toInProgress } from '../support/lifecycle-harness';

let env: TestWorkflowEnvironment;
// A test server of its own for every test: one that keeps its time-skipping lock after a scenario (a
// known hazard of the test server with updates) cannot stall the tests after it.
beforeEach(async () => {
  env = await createTimeSkippingEnv();
});
afterEach(async () => {
  await env?.teardown();
});

async function waitFor(predicate: () => boolean, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

test("L-1 → L-2: records, renders, acknowledges, then opens identification review on a manager's command", async () => {
  const taskId = 'NV-SKELETONHAPPY01';
  await runScenario(env, taskId, async (s) => {
    await waitFor(() => s.rec.sent.length === 1);
    const state = await s.state();
    expect(state.stage).toBe('PROPOSED');
    expect(state.documents.map((d) => d.kind)).toEqual(['proposal_form']);
    expect(s.rec.sent[0]).toMatchObject({ template: 'proposal-received', to: ['huong.nt@vien-sinh-hoc.example.vn'], key: `task-${taskId}/L-1/proposal-received` });
    expect(s.rec.sent[0]!.attachments).toEqual([{ documentId: 'doc-000000000000000000000001', filename: `phieu-de-xuat-${taskId}.pdf` }]);

    // A researcher may not open review: refused by the validator, nothing recorded.
    const writesBefore = s.rec.written.length;
    const refused = await s.handle.executeUpdate(commandUpdate('startIdentificationReview'), { args: [{ by: researcher }] }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(WorkflowUpdateFailedError);
    expect((refused as WorkflowUpdateFailedError).cause).toMatchObject({ type: 'FORBIDDEN_ROLE' });
    expect(s.rec.written.length).toBe(writesBefore);

    const after = await s.cmd('startIdentificationReview', { by: manager, note: 'Đủ điều kiện' });
    expect(after.stage).toBe('IDENTIFICATION_REVIEW');
    expect(after.version).toBe(3);
    expect(s.rec.written.at(-1)).toMatchObject({ stage: 'IDENTIFICATION_REVIEW', version: 3 });
    await waitFor(() => s.rec.sent.length === 2);
    expect(s.rec.sent[1]).toMatchObject({ template: 'identification-review-started', key: `task-${taskId}/L-2/identification-review-started` });

    // Once there, the same command is not allowed again.
    expect((await s.refused('startIdentificationReview', { by: manager })).type).toBe('TRANSITION_NOT_ALLOWED');
  });
});

test('an SMTP outage delays the email without blocking commands, and the email still goes out once', async () => {
  // SMTP refuses the first four attempts (backoff 5 s, 10 s, 20 s, 40 s).
  await runScenario(
    env,
    'NV-SKELETONSMTPDOWN',
    async (s) => {
      // While the acknowledgement keeps failing, the Department's command still goes through.
      expect((await s.cmd('startIdentificationReview', { by: manager })).stage).toBe('IDENTIFICATION_REVIEW');
      await s.days(2 / (24 * 60)); // two minutes: time skips past the retries
      await waitFor(() => s.rec.sent.length === 2);
      expect(s.rec.mailAttempts()).toBe(6);
      expect(s.rec.sent.map((m) => m.template)).toEqual(['proposal-received', 'identification-review-started']);
    },
    { failMail: 4 },
  );
});

test('commands given at the same moment: each counts once, and the read model is written one write at a time, in version order, ending with the latest state', async () => {
  await runScenario(env, 'NV-CONCURRENTCMDS01', async (s) => {
    await toInProgress(s, { disburse: 100_000_000 });
    // Six disbursements of 100 000 000 đ each, sent together (L-12).
    const states = await Promise.all(Array.from({ length: 6 }, () => s.cmd('recordDisbursement', { by: manager, amount: 100_000_000 })));
    const final = await s.state();
    expect(final.funds.disbursed).toBe(700_000_000);
    expect(final.funds.disbursements).toHaveLength(7);
    // Each answer already shows its own disbursement.
    for (const st of states) expect(st.funds.disbursed).toBeGreaterThanOrEqual(200_000_000);
    expect(s.rec.maxConcurrentWrites()).toBe(1);
    const versions = s.rec.written.map((w) => w.version);
    expect(versions).toEqual([...new Set(versions)].sort((a, b) => a - b));
    expect(s.rec.written.at(-1)).toMatchObject({ version: final.version, funds: { disbursed: 700_000_000 } });
  });
});
