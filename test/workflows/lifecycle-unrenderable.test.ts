/**
 * Issue 15: a document or e-mail that cannot be rendered from its data (the activity gave up at
 * once, non-retryable) never holds a task: the workflow goes on without it. Before, the render was
 * retried forever and the task never got its acknowledgement.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createTimeSkippingEnv, manager, runScenario } from '../support/lifecycle-harness';

let env: TestWorkflowEnvironment;
// A test server of its own for every test: one that keeps its time-skipping lock after a scenario (a
// known hazard of the test server with updates) cannot stall the tests after it.
beforeEach(async () => {
  env = await createTimeSkippingEnv();
});
afterEach(async () => {
  await env?.teardown();
});

const waitFor = async (what: string, check: () => boolean | Promise<boolean>) => {
  for (let i = 0; i < 250; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
};

test('a proposal form that cannot be rendered is left out; the acknowledgement goes without it and the task takes commands', async () => {
  await runScenario(
    env,
    'NV-UNRENDERABLE01',
    async (s) => {
      await waitFor('the acknowledgement', () => s.rec.sent.some((m) => m.template === 'proposal-received'));
      const ack = s.rec.sent.find((m) => m.template === 'proposal-received')!;
      expect(ack.attachments ?? []).toEqual([]);
      expect((await s.state()).documents).toEqual([]);
      const st = await s.cmd('startIdentificationReview', { by: manager });
      expect(st.stage).toBe('IDENTIFICATION_REVIEW');
    },
    { unrenderable: ['proposal_form'] },
  );
});

test('an e-mail that cannot be rendered is given up; the ones after it still go', async () => {
  await runScenario(
    env,
    'NV-UNRENDERABLE02',
    async (s) => {
      const st = await s.cmd('startIdentificationReview', { by: manager });
      expect(st.stage).toBe('IDENTIFICATION_REVIEW');
      await waitFor('a later e-mail', () => s.rec.sent.length > 0 && s.rec.sent.every((m) => m.template !== 'proposal-received'));
      expect(s.rec.sent.map((m) => m.template)).not.toContain('proposal-received');
    },
    { unrenderableMail: ['proposal-received'] },
  );
});
