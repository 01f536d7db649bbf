/**
 * Issue 17 on the time-skipping server: an SMTP outage never holds up a council. The invitations
 * fail from the moment the council is formed (each retried with a backoff that grows to 30 minutes);
 * the members still declare, are marked present and vote, the tally is counted and the task has the
 * result at once. When SMTP is back, every invitation and result e-mail goes out, once.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { councilSeats, createTimeSkippingEnv, manager, memberActor, runScenario } from '../support/lifecycle-harness';

let env: TestWorkflowEnvironment;
// A test server of its own for every test: one that keeps its time-skipping lock after a scenario (a
// known hazard of the test server with updates) cannot stall the tests after it.
beforeEach(async () => {
  env = await createTimeSkippingEnv();
});
afterEach(async () => {
  await env?.teardown();
});

const seats = councilSeats(7, 'm');
const ids = seats.map((m) => m.memberId);

test('SMTP down through a whole sitting: the result reaches the task on time; the e-mails follow once SMTP is back, each once', async () => {
  await runScenario(env, 'NV-SMTPOUTAGECOUNC1', async (s) => {
    s.rec.smtp.down = true;
    await s.cmd('startIdentificationReview', { by: manager });
    const deadline = new Date((await s.env.currentTimeMs()) + 5 * 86_400_000).toISOString();
    const formed = await s.cmd('formCouncil', { by: manager, kind: 'C-ID', members: seats, meetingOn: await s.today(), votingDeadline: deadline, ballot: 'secret' });
    const id = formed.councilSittings.at(-1)!.councilId;
    for (let i = 0; i < 100 && !(await s.councilView(id).catch(() => undefined)); i++) await new Promise((r) => setTimeout(r, 20));

    for (const m of ids) await s.council(id, 'declareConflict', { by: memberActor(m), memberId: m, conflicted: false });
    await s.council(id, 'recordAttendance', { by: manager, present: ids });
    for (const m of ids) await s.council(id, 'castVote', { by: memberActor(m), ballot: { kind: 'C-ID', yes: m !== 'm7' } });

    // The task has the result within seconds, while no e-mail has gone out.
    for (let i = 0; i < 200 && (await s.state()).councils.length === 0; i++) await new Promise((r) => setTimeout(r, 25));
    expect((await s.state()).councils[0]).toMatchObject({ outcome: 'RECOMMENDED', tally: expect.objectContaining({ yes: 6, present: 7 }) });
    expect(s.rec.smtp.failures).toBeGreaterThan(0);
    expect(s.rec.sent.filter((m) => m.key.startsWith(`${id}/`))).toEqual([]);
    // The sitting itself stays open until its e-mails are out.
    expect((await s.env.client.workflow.getHandle(id).describe()).status.name).toBe('RUNNING');

    // SMTP is back: within the retries' next attempts every member gets the invitation and the result, once.
    s.rec.smtp.down = false;
    const ofSitting = () => s.rec.sent.filter((m) => m.key.startsWith(`${id}/`)).map((m) => m.key);
    for (let day = 0; day < 3 && ofSitting().length < 14; day++) await s.days(1);
    for (let i = 0; i < 200 && ofSitting().length < 14; i++) await new Promise((r) => setTimeout(r, 25));
    const keys = ofSitting();
    expect(keys.filter((k) => k.includes('/invite-1/')).sort()).toEqual(ids.map((m) => `${id}/invite-1/${m}`).sort());
    expect(keys.filter((k) => k.includes('/result/')).sort()).toEqual(ids.map((m) => `${id}/result/${m}`).sort());
    expect(new Set(keys).size).toBe(keys.length);
    const h = s.env.client.workflow.getHandle(id);
    for (let i = 0; i < 600 && (await h.describe()).status.name === 'RUNNING'; i++) await new Promise((r) => setTimeout(r, 50));
    expect((await h.describe()).status.name).toBe('COMPLETED');
  });
}, 180_000);
