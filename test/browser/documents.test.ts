/**
 * Issue 12 in a real browser against the real stack under rule-set 2026.2: the list approval the
 * officer decided waits for the Director's signature; the Director finds it under "Chờ tôi ký",
 * reads the draft and signs; the clerk finds it signed under "Văn bản đi", is told next to the
 * field when the paper register's number has the wrong type (what was typed stays), registers it
 * and issues it; the task then moves, and its issued document carries the number. Each page in
 * both languages, desktop and phone; a researcher has neither page.
 */
import type { Browser, Page } from 'playwright-core';
import { sampleProposal, startStack, type Stack } from '../support/stack';
import { collectPageErrors, DESKTOP, launchBrowser, newContext, PHONE, resizeTo, waitOrExplain } from '../support/browser';
import { apiOk, chooseLanguage, filed, lookAt, signIn, userWithPassword } from '../support/web-flows';
import { waitUntil } from '../support/services';
import { paperSitting } from '../support/fixtures';

let stack: Stack;
let browser: Browser;
let taskId: string;
let documentId: string;
let stageBefore: string;
beforeAll(async () => {
  [stack, browser] = await Promise.all([startStack({ env: { RATE_LIMIT_LOGIN_MAX: '10000', RULESET_VERSION: '2026.2' } }), launchBrowser()]);
  for (const u of Object.values(stack.users)) await userWithPassword(stack, u);
  taskId = await filed(stack, sampleProposal({ title: 'Ứng dụng cảm biến IoT giám sát độ mặn nước tưới ở huyện Châu Thành' }));
  await apiOk(stack, 'POST', `/tasks/${taskId}/start-identification-review`, 'manager');
  await paperSitting(stack, taskId, { kind: 'C-ID', recommend: true });
  const t = await apiOk(stack, 'POST', `/tasks/${taskId}/approve-order-list`, 'manager');
  documentId = (t.issuance as { documentId: string; kind: string }[]).find((d) => d.kind === 'order_list_approval')!.documentId;
  await waitUntil('the draft', async () => (await stack.call('GET', `/api/v1/documents/${documentId}`, { as: 'director' })).status === 200);
  stageBefore = (await apiOk(stack, 'GET', `/tasks/${taskId}`, 'manager')).stage;
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

async function lookAtBoth(page: Page, name: string, lang: 'vi' | 'en') {
  await lookAt(page, `${name}-desktop-${lang}`);
  await resizeTo(page, PHONE);
  await lookAt(page, `${name}-phone-${lang}`);
  await resizeTo(page, DESKTOP);
}

const TITLE = 'Quyết định phê duyệt danh mục nhiệm vụ đặt hàng';

test('the Director reads the draft and signs it; the officer sees it awaiting issue on the task', async () => {
  const ctx = await newContext(browser, { baseURL: stack.baseUrl, lang: 'vi' });
  const page = await ctx.newPage();
  const errors = collectPageErrors(page);
  await signIn(page, stack.users.director.email);
  await page.getByRole('link', { name: 'Chờ tôi ký' }).click();
  await page.getByRole('heading', { level: 1, name: 'Văn bản chờ tôi ký' }).waitFor();
  const row = page.getByRole('row').filter({ hasText: 'IoT giám sát độ mặn' });
  await row.waitFor();
  await expect(row.textContent()).resolves.toContain('GIÁM ĐỐC');
  await lookAtBoth(page, 'signatures', 'vi');
  await row.getByRole('link', { name: new RegExp(TITLE) }).click();
  await page.getByRole('heading', { level: 1, name: new RegExp(TITLE) }).waitFor();
  await expect(page.getByText('Chờ ký', { exact: true }).first().isVisible()).resolves.toBe(true);
  // The draft, read in the page before signing.
  await page.getByRole('button', { name: 'Xem dự thảo' }).click();
  const preview = page.getByRole('dialog');
  await preview.locator('iframe').waitFor();
  await lookAt(page, 'document-draft-desktop-vi');
  await preview.getByRole('button', { name: /Close|Đóng/ }).click();
  await lookAtBoth(page, 'document-to-sign', 'vi');
  await page.getByRole('button', { name: 'Ký', exact: true }).click();
  const confirm = page.getByRole('dialog', { name: 'Xác nhận ký văn bản' });
  await expect(confirm.textContent()).resolves.toContain(stack.users.director.name);
  await confirm.getByRole('button', { name: 'Ký', exact: true }).click();
  await page.getByText('Đã ký', { exact: true }).first().waitFor();
  await page.getByText(`${stack.users.director.name} đã ký lúc`).waitFor();
  // Signed: no longer awaiting the Director.
  await page.getByRole('link', { name: 'Chờ tôi ký' }).click();
  await page.getByText('Không có văn bản nào chờ bạn ký.').waitFor();
  await chooseLanguage(page, 'en');
  await page.goto(`/documents/${documentId}`);
  await page.getByRole('heading', { level: 1, name: new RegExp(TITLE) }).waitFor();
  await page.getByText(/Signed by .+ at/).waitFor();
  await lookAtBoth(page, 'document-signed', 'en');
  await page.goto('/signatures');
  await page.getByRole('heading', { level: 1, name: 'Awaiting my signature' }).waitFor();
  await lookAtBoth(page, 'signatures', 'en');
  expect(errors).toEqual([]);
  await ctx.close();

  // The officer's task page says the decision awaits issue, and the stage has not moved.
  const officer = await newContext(browser, { baseURL: stack.baseUrl, lang: 'vi' });
  const op = await officer.newPage();
  await signIn(op, stack.users.manager.email, { path: `/tasks/${taskId}` });
  await op.getByText('Văn bản đang trình ký, chờ ban hành').waitFor();
  await expect(op.getByRole('link', { name: TITLE }).isVisible()).resolves.toBe(true);
  await lookAt(op, 'task-issuance-pending-desktop-vi');
  await officer.close();
}, 180_000);

test('the clerk registers it (a wrong paper number is refused next to its field, kept as typed) and issues it; the task moves on', async () => {
  const ctx = await newContext(browser, { baseURL: stack.baseUrl, lang: 'vi' });
  const page = await ctx.newPage();
  const errors = collectPageErrors(page);
  await signIn(page, stack.users.clerk.email);
  await page.getByRole('link', { name: 'Văn bản đi' }).click();
  await page.getByRole('heading', { level: 1, name: 'Văn bản đi' }).waitFor();
  const row = page.getByRole('row').filter({ hasText: 'IoT giám sát độ mặn' });
  await row.waitFor();
  await expect(row.textContent()).resolves.toContain(stack.users.director.name);
  await lookAtBoth(page, 'documents-signed', 'vi');
  await row.getByRole('link', { name: TITLE }).click();
  await page.getByRole('heading', { level: 1, name: new RegExp(TITLE) }).waitFor();
  await page.getByText('Nhập số và ngày từ sổ văn bản đi của Sở').click();
  const number = page.getByLabel('Số, ký hiệu');
  await number.fill('27/HĐ-SKHCN');
  await page.getByRole('button', { name: 'Vào sổ', exact: true }).click();
  // The type symbol of a decision is QĐ: refused, said next to the field, the entry kept.
  await page.locator('#register-number_help, .ant-form-item-explain-error').filter({ hasText: 'QĐ' }).first().waitFor();
  await expect(number.inputValue()).resolves.toBe('27/HĐ-SKHCN');
  await lookAtBoth(page, 'document-register-refused', 'vi');
  await number.fill('27/QĐ-SKHCN');
  await waitOrExplain(page, page.getByRole('button', { name: 'Vào sổ', exact: true }));
  await page.getByRole('button', { name: 'Vào sổ', exact: true }).click();
  await page.getByText('Đã vào sổ', { exact: true }).first().waitFor();
  await page.getByText(/27\/QĐ-SKHCN — \d{2}\/\d{2}\/\d{4}/).waitFor();
  await page.getByRole('button', { name: 'Ban hành', exact: true }).click();
  const confirm = page.getByRole('dialog', { name: 'Xác nhận ban hành' });
  await expect(confirm.textContent()).resolves.toContain('27/QĐ-SKHCN');
  await confirm.getByRole('button', { name: 'Ban hành', exact: true }).click();
  await page.getByText(/Đã ban hành: số 27\/QĐ-SKHCN/).waitFor();
  await lookAtBoth(page, 'document-issued', 'vi');
  // The outgoing register lists it with its number.
  await page.goto('/documents?status=ISSUED');
  await page.getByRole('row').filter({ hasText: '27/QĐ-SKHCN' }).waitFor();
  await chooseLanguage(page, 'en');
  await page.goto('/documents?status=ISSUED');
  await page.getByRole('heading', { level: 1, name: 'Outgoing documents' }).waitFor();
  await lookAtBoth(page, 'documents-issued', 'en');
  expect(errors).toEqual([]);
  await ctx.close();

  // The decision took effect: the task left the order-list stage and its documents carry the number.
  await waitUntil('the task moved', async () => (await apiOk(stack, 'GET', `/tasks/${taskId}`, 'manager')).stage !== stageBefore);
  const task = await apiOk(stack, 'GET', `/tasks/${taskId}`, 'manager');
  expect(task.documents.some((d: { number?: string }) => d.number === '27/QĐ-SKHCN')).toBe(true);
  expect(task.issuance.every((d: { status: string }) => d.status !== 'PENDING')).toBe(true);
}, 180_000);

test('a researcher has neither page: no menu entry, and a document of the Department is not found', async () => {
  const ctx = await newContext(browser, { baseURL: stack.baseUrl, lang: 'vi' });
  const page = await ctx.newPage();
  await signIn(page, stack.users.researcher.email);
  await page.getByRole('link', { name: 'Nhiệm vụ của tôi' }).first().waitFor();
  await expect(page.getByRole('link', { name: 'Văn bản đi' }).count()).resolves.toBe(0);
  await page.goto(`/documents/${documentId}`);
  await page.getByText('Không tìm thấy', { exact: false }).first().waitFor();
  await page.goto('/documents');
  await expect(page.getByRole('heading', { level: 1, name: 'Văn bản đi' }).count()).resolves.toBe(0);
  await ctx.close();
}, 60_000);
