/**
 * Issue 15: text that cannot be stored, rendered and read back is refused at the door, in every
 * text field of every body (a lone surrogate, a control character, nothing visible), as a 400
 * problem naming the field and the reason in the caller's language; and what still fails to
 * render gives up at once instead of being retried forever.
 */
import { MockActivityEnvironment } from '@temporalio/testing';
import { ApplicationFailure } from '@temporalio/common';
import { createActivities } from '../../activities';
import { createMailTransport } from '../../activities/mail/transport';
import { filedTask } from '../support/fixtures';
import { sampleProposal, startStack, type Stack } from '../support/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
}, 60_000);
afterAll(async () => {
  await stack?.stop();
});

async function refusal(res: Response) {
  expect(res.status).toBe(400);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  return (await res.json()) as { errors: { field: string; code: string; reason: string }[]; detail: string };
}

describe('text fields refuse what cannot be text', () => {
  test.each([
    ['a lone surrogate in the title', { title: 'Đề tài \ud800 mới' }, 'title', 'ill_formed_unicode', 'nửa cặp thay thế', 'lone surrogate'],
    ['only zero-width characters as the title', { title: '\u200b\u200c\u2060' }, 'title', 'invisible_only', 'vô hình', 'invisible'],
    ['a bell in the title', { title: 'Đề tài\u0007' }, 'title', 'control_character', 'ký tự điều khiển', 'control character'],
    ['a line break in the proposer\'s name (it reaches e-mail headers)', { proposer: { ...sampleProposal().proposer, name: 'Nguyễn\r\nBcc: x@example.vn' } }, 'proposer.name', 'control_character', 'một dòng', 'single-line'],
    ['a C1 control in a product', { expectedProducts: ['Giống lúa\u0085'] }, 'expectedProducts.0', 'control_character', 'ký tự điều khiển', 'control character'],
  ])('%s: 400 naming the field and the reason, in Vietnamese and English', async (_what, override, field, code, vi, en) => {
    const body = sampleProposal(override);
    const inVi = await refusal(await stack.call('POST', '/api/v1/proposals', { body }));
    expect(inVi.errors).toEqual([expect.objectContaining({ field, code })]);
    expect(inVi.errors[0]!.reason).toContain(vi);
    const inEn = await refusal(await stack.call('POST', '/api/v1/proposals', { body, headers: { 'accept-language': 'en' } }));
    expect(inEn.errors[0]!.reason).toContain(en);
    expect(inEn.detail).toContain(field);
  });

  test('line breaks and tabs stay welcome in multi-line fields', async () => {
    const taskId = await filedTask(stack, { objectives: 'Mục tiêu:\n\t1. Chọn tạo giống\r\n\t2. Quy trình canh tác', title: 'Đề tài 👩‍🔬 có\u200bký tự nối' });
    const task = await stack.store.Task.findById(taskId).lean();
    expect(task).not.toBeNull();
  });

  test('a command\'s fields are held to the same rule', async () => {
    const taskId = await filedTask(stack);
    const cmd = await refusal(await stack.call('POST', `/api/v1/tasks/${taskId}/withdraw`, { body: { reason: 'Rút \udc00' } }));
    expect(cmd.errors).toEqual([expect.objectContaining({ field: 'reason', code: 'ill_formed_unicode' })]);
    const note = await refusal(await stack.call('POST', `/api/v1/tasks/${taskId}/start-identification-review`, { as: 'manager', body: { note: '\u0000' } }));
    expect(note.errors).toEqual([expect.objectContaining({ field: 'note', code: 'control_character' })]);
    // Nothing was recorded by either.
    expect((await stack.store.Task.findById(taskId).lean())?.stage).toBe('PROPOSED');
  });
});

describe('rendering that cannot succeed gives up at once (non-retryable)', () => {
  const activities = () => createActivities({ store: stack.store, mailer: createMailTransport(stack.config), mailFrom: stack.config.MAIL_FROM });

  test('a proposal form from a title with a lone surrogate: DOCUMENT_NOT_RENDERABLE, not retried', async () => {
    const proposal = sampleProposal({ title: 'Tiêu đề \ud800' }) as never;
    const err = await new MockActivityEnvironment()
      .run(activities().renderProposalForm, { taskId: 'NV-0000000000RENDER', workflowId: `task-NV-RENDER-${Date.now()}`, departmentName: 'Sở', place: 'Tây Ninh', submittedAt: new Date().toISOString(), proposal })
      .then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect(err).toMatchObject({ type: 'DOCUMENT_NOT_RENDERABLE', nonRetryable: true });
  });

  test('an e-mail that cannot be rendered: EMAIL_NOT_RENDERABLE, not retried, and listed for the operators', async () => {
    const key = `task-NV-0000000000MAILX/${Date.now()}/x`;
    const err = await new MockActivityEnvironment()
      .run(activities().sendEmail, { key, to: ['a@example.vn'], template: 'no-such-template', locale: 'vi' as const, data: {} })
      .then(() => undefined, (e: unknown) => e);
    expect(err).toMatchObject({ type: 'EMAIL_NOT_RENDERABLE', nonRetryable: true });
    expect(await stack.store.EmailFailure.findById(key).lean()).toMatchObject({ template: 'no-such-template' });
    expect(stack.smtp.messages.filter((m) => JSON.stringify(m.to ?? "").includes("a@example.vn"))).toHaveLength(0);
  });
});
