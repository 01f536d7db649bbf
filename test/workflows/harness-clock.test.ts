/**
 * The harness itself (test/support/lifecycle-harness.ts): a time-skipping lock the test server keeps
 * with nothing in flight (a leak seen after continue-as-new and refused updates in full runs) does not
 * stall `days(n)`: the harness releases it once and the days pass on the test server's clock.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { addDays } from '../../workflows/rules/calendar';
import { createTimeSkippingEnv, manager, runScenario } from '../support/lifecycle-harness';

let env: TestWorkflowEnvironment;
beforeEach(async () => {
  env = await createTimeSkippingEnv();
});
afterEach(async () => {
  await env?.teardown();
});

test('a leaked time-skipping lock is released: 40 days pass on the test server\'s clock', async () => {
  await runScenario(env, 'NV-HARNESSCLOCK001', async (s) => {
    const st = await s.cmd('startIdentificationReview', { by: manager });
    const start = await s.today();
    expect(st.stage).toBe('IDENTIFICATION_REVIEW');
    // The leak, as the test server leaves it: one lock more than the client holds.
    await env.connection.testService!.lockTimeSkipping({});
    // Without the release, the sleep of 40 days would run at wall speed and the test would time out.
    await s.days(40);
    expect(await s.today()).toBe(addDays(start, 40));
  });
}, 120_000);
