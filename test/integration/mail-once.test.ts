/**
 * Every e-mail once (issue 17): the attempt is recorded before the message is handed to SMTP, so
 * a worker that dies between SMTP taking the message and recording it leaves the attempt in
 * `sending`. The retry sends it once more with the same Message-ID (clients fold the two), and
 * never a third time: if that resend's outcome is lost too, the message is taken as sent. A refusal
 * by SMTP is recorded as failed and retried. Real FerretDB and a real SMTP server; the store is set
 * to exactly what a crash at that point leaves.
 */
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { createMailTransport } from '../../activities/mail/transport';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
let activities: { sendEmail: ReturnType<typeof createActivities>['sendEmail'] };
beforeAll(async () => {
  stack = await startStack({ inProcessWorker: false });
  const real = createActivities({ store: stack.store, mailer: createMailTransport(stack.config), mailFrom: stack.config.MAIL_FROM });
  // The activity as a worker runs it (its context, for its logger).
  activities = { sendEmail: (req) => new MockActivityEnvironment(undefined, { logger: new DefaultLogger('ERROR') }).run(real.sendEmail, req) };
}, 180_000);
afterAll(async () => {
  await stack?.stop();
});

const request = (key: string, to: string) => ({
  key,
  to: [to],
  template: 'task-event',
  locale: 'vi' as const,
  recipients: [{ email: to, name: 'Nguyễn Thị Hương' }],
  data: { subject: 'Kết quả hội đồng', message: 'Hội đồng đã kết luận.', taskId: 'NV-MAILONCE000000', title: 'Nhiệm vụ thử', rule: 'C-4', taskUrl: 'http://127.0.0.1:3000/tasks/NV-MAILONCE000000' },
});
const messageIdOf = (to: string) => stack.smtp.to(to).map((m) => m.messageId);

test('sent once; the attempt was recorded as sent', async () => {
  const to = 'mot-lan@example.vn';
  const r = await activities.sendEmail(request('task-NV-MAILONCE000000/e1/host', to));
  expect(r.duplicate).toBe(false);
  await stack.smtp.waitFor(() => stack.smtp.to(to).length === 1);
  const again = await activities.sendEmail(request('task-NV-MAILONCE000000/e1/host', to));
  expect(again.duplicate).toBe(true);
  expect(messageIdOf(to)).toEqual([r.messageId]);
  expect(await stack.store.EmailDelivery.findById('task-NV-MAILONCE000000/e1/host').lean()).toMatchObject({ status: 'sent', attempts: 1 });
});

test('an attempt left in "sending" by a crash is sent once more with the same Message-ID, and not a third time', async () => {
  const to = 'khong-ro@example.vn';
  const key = 'task-NV-MAILONCE000000/e2/host';
  const messageId = '<crashed-attempt-0001@khcn-flow.local>';
  // What a worker killed after SMTP took the message, before it recorded so, leaves behind.
  await stack.store.EmailDelivery.create({ _id: key, status: 'sending', to: [to], template: 'task-event', messageId, attempts: 0, updatedAt: new Date() });
  const r = await activities.sendEmail(request(key, to));
  await stack.smtp.waitFor(() => stack.smtp.to(to).length === 1);
  expect(r.duplicate).toBe(false);
  const after = await stack.store.EmailDelivery.findById(key).lean();
  expect(after).toMatchObject({ status: 'sent', unknownOutcomes: 1 });
  // The resend carries the Message-ID the key gives (the one the lost attempt carried).
  expect(messageIdOf(to)).toEqual([after!.messageId]);

  // The resend's outcome lost as well: taken as sent, nothing goes out a third time.
  const key3 = 'task-NV-MAILONCE000000/e3/host';
  const to3 = 'khong-ro-lan-hai@example.vn';
  await stack.store.EmailDelivery.create({ _id: key3, status: 'sending', unknownOutcomes: 1, to: [to3], template: 'task-event', messageId, attempts: 1, updatedAt: new Date() });
  const r3 = await activities.sendEmail(request(key3, to3));
  expect(r3.duplicate).toBe(true);
  await new Promise((r) => setTimeout(r, 500));
  expect(stack.smtp.to(to3)).toHaveLength(0);
  expect(await stack.store.EmailDelivery.findById(key3).lean()).toMatchObject({ status: 'sent', assumedSent: true });
});

test('refused by SMTP: recorded as failed (not "sending"), then sent once when SMTP takes it', async () => {
  const to = 'tu-choi@example.vn';
  const key = 'task-NV-MAILONCE000000/e4/host';
  stack.smtp.refusing = true;
  await expect(activities.sendEmail(request(key, to))).rejects.toThrow();
  expect(await stack.store.EmailDelivery.findById(key).lean()).toMatchObject({ status: 'failed' });
  stack.smtp.refusing = false;
  await activities.sendEmail(request(key, to));
  await stack.smtp.waitFor(() => stack.smtp.to(to).length === 1);
  expect(await stack.store.EmailDelivery.findById(key).lean()).toMatchObject({ status: 'sent', unknownOutcomes: 0 });
});
