/**
 * A researcher's work in a real browser against the real stack: filing a proposal with a
 * file and following the acknowledgement e-mail's link to the task page; a bad upload that
 * loses nothing; another organisation's researcher applying to a public call for a
 * receipt; browser sessions (CSRF-less cookie POST refused, sign-out ends the session).
 */
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import PDFDocument from 'pdfkit';
import { sampleProposal, startStack, type Stack } from '../support/stack';
import { collectPageErrors, launchBrowser, newContext } from '../support/browser';
import { apiOk, chooseLanguage, lookAt, signIn, taskWithOpenCall, userWithPassword } from '../support/web-flows';
import { waitUntil } from '../support/services';

let stack: Stack;
let browser: Browser;
let dir: string;
let pdfFile: string;
beforeAll(async () => {
  // A small upload limit, so that "too large" is quick to show.
  [stack, browser] = await Promise.all([startStack({ env: { UPLOAD_MAX_FILE_BYTES: String(300 * 1024), RATE_LIMIT_LOGIN_MAX: '10000' } }), launchBrowser()]);
  for (const u of Object.values(stack.users)) await userWithPassword(stack, u);
  dir = mkdtempSync(join(tmpdir(), 'khcn-browser-'));
  pdfFile = join(dir, 'Thuyết minh sơ bộ.pdf');
  writeFileSync(pdfFile, await pdf('Thuyết minh sơ bộ: giống lúa chịu mặn'));
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

function pdf(text: string): Promise<Buffer> {
  return new Promise((resolve) => {
    const doc = new PDFDocument();
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.text(text);
    doc.end();
  });
}

test('a researcher files a proposal with a file, gets its code, and follows the e-mail link to the task page', async () => {
  const ctx = await newContext(browser, { baseURL: stack.baseUrl, lang: 'vi' });
  const page = await ctx.newPage();
  const errors = collectPageErrors(page);
  await signIn(page, stack.users.researcher.email);
  await page.getByRole('heading', { level: 1, name: 'Nhiệm vụ của tôi' }).waitFor();
  await lookAt(page, 'my-tasks-empty-desktop-vi');

  await page.getByRole('link', { name: 'Đề xuất nhiệm vụ' }).first().click();
  await page.getByRole('heading', { level: 1, name: 'Đề xuất nhiệm vụ khoa học và công nghệ' }).waitFor();
  const p = sampleProposal({ title: 'Ứng dụng IoT giám sát chất lượng nước nuôi tôm ở Bến Lức' });
  await page.getByLabel('Tên nhiệm vụ').fill(p.title as string);
  await page.getByLabel('Tính cấp thiết').fill(p.urgency as string);
  await page.getByLabel('Mục tiêu').fill(p.objectives as string);
  await page.getByLabel('Sản phẩm 1', { exact: true }).fill('Hệ thống IoT 20 điểm đo');
  await page.getByRole('button', { name: 'Thêm sản phẩm' }).click();
  await page.getByLabel('Sản phẩm 2', { exact: true }).fill('Quy trình vận hành');
  await page.getByLabel('Khả năng, địa chỉ ứng dụng kết quả').fill(p.resultUsage as string);
  await page.getByLabel('Ngân sách nhà nước').fill('900000000');
  await page.locator('input[type=file]').setInputFiles(pdfFile);
  await page.getByText('Thuyết minh sơ bộ.pdf').waitFor();
  await lookAt(page, 'new-proposal-form-desktop-vi');

  await page.getByRole('button', { name: 'Kiểm tra trước khi nộp' }).click();
  await page.getByText('Kiểm tra lại nội dung.').waitFor();
  // The review shows the money as people write it, and the file.
  await page.getByText('900.000.000 đ').waitFor();
  await lookAt(page, 'new-proposal-review-desktop-vi');
  await page.getByRole('button', { name: 'Nộp đề xuất' }).click();
  const code = (await page.getByTestId('task-code').textContent())!.trim();
  expect(code).toMatch(/^NV-[0-9A-Z]{10,32}$/);
  await lookAt(page, 'new-proposal-receipt-desktop-vi');

  // The acknowledgement e-mail links to the task's page.
  const proposer = (p.proposer as { email: string }).email;
  const mails = await stack.smtp.waitFor(() => stack.smtp.to(proposer).some((x) => String(x.html).includes(code)), 60_000);
  const ack = mails.find((m) => String(m.html).includes(code))!;
  const link = /href="([^"]+)"/.exec(String(ack.html))![1]!;
  expect(link).toBe(`${stack.config.PUBLIC_BASE_URL}/tasks/${code}`);
  await page.goto(new URL(link).pathname);
  await page.getByRole('heading', { level: 1, name: 'Ứng dụng IoT giám sát chất lượng nước nuôi tôm ở Bến Lức' }).waitFor();
  await page.getByText(code).first().waitFor();
  await page.getByRole('tab', { name: /Tệp/ }).click();
  await page.getByText('Thuyết minh sơ bộ.pdf').waitFor();
  await page.getByRole('tab', { name: /Văn bản/ }).click();
  await page.getByText(/Phiếu đề xuất/).first().waitFor();
  await lookAt(page, 'task-proposed-desktop-vi');
  expect(errors).toEqual([]);
  await ctx.close();
}, 180_000);

test('a bad upload (wrong type, too large) shows its reason next to the files and loses nothing typed', async () => {
  const ctx = await newContext(browser, { baseURL: stack.baseUrl, lang: 'en' });
  const page = await ctx.newPage();
  // Her own language is Vietnamese: she switches to English in the header.
  await signIn(page, stack.users.researcher.email, { lang: 'en' });
  await page.goto('/tasks/new');
  await page.getByLabel('Title').fill('Giống lúa chịu mặn cho Tây Ninh');
  await page.getByLabel('Urgency').fill('Xâm nhập mặn.');
  const fake = join(dir, 'bao-cao.pdf');
  writeFileSync(fake, 'This is plain text pretending to be a PDF.');
  const big = join(dir, 'so-lieu.pdf');
  writeFileSync(big, Buffer.concat([await pdf('Số liệu'), Buffer.alloc(400 * 1024, 0x20)]));
  await page.locator('input[type=file]').setInputFiles([fake]);
  await page.getByText(/bao-cao\.pdf was not accepted/).waitFor();
  await page.locator('input[type=file]').setInputFiles([big]);
  await page.getByText(/so-lieu\.pdf was not accepted/).waitFor();
  await lookAt(page, 'new-proposal-bad-upload-desktop-en');
  // What was typed is still there; a good file is still accepted.
  await expect(page.getByLabel('Title').inputValue()).resolves.toBe('Giống lúa chịu mặn cho Tây Ninh');
  await expect(page.getByLabel('Urgency').inputValue()).resolves.toBe('Xâm nhập mặn.');
  await page.locator('input[type=file]').setInputFiles(pdfFile);
  await page.getByRole('button', { name: 'Remove Thuyết minh sơ bộ.pdf' }).waitFor();
  await ctx.close();
}, 120_000);

test('a failed submit keeps everything typed and shows the API\'s reasons next to the fields', async () => {
  const ctx = await newContext(browser, { baseURL: stack.baseUrl, lang: 'vi' });
  const page = await ctx.newPage();
  await signIn(page, stack.users.researcher.email);
  await page.goto('/tasks/new');
  await page.getByLabel('Tên nhiệm vụ').fill('Mô hình nuôi tôm tuần hoàn');
  await page.getByLabel('Tính cấp thiết').fill('Dịch bệnh trên tôm.');
  await page.getByLabel('Mục tiêu').fill('Giảm 30% thất thoát.');
  await page.getByLabel('Sản phẩm 1', { exact: true }).fill('Mô hình 2 ha');
  await page.getByLabel('Khả năng, địa chỉ ứng dụng kết quả').fill('Hợp tác xã.');
  await page.getByLabel('Ngân sách nhà nước').fill('500000000');
  // The API, not the page, knows that this is not an e-mail address it accepts.
  await page.getByLabel('Thư điện tử').fill('huong@@vien');
  await page.getByRole('button', { name: 'Kiểm tra trước khi nộp' }).click();
  await page.getByRole('button', { name: 'Nộp đề xuất' }).click();
  await page.getByRole('alert').filter({ hasText: 'Dữ liệu không hợp lệ' }).waitFor();
  await page.locator('#proposal_proposer_email_help, .ant-form-item-explain-error').filter({ hasText: /định dạng/ }).first().waitFor();
  await expect(page.getByLabel('Tên nhiệm vụ').inputValue()).resolves.toBe('Mô hình nuôi tôm tuần hoàn');
  await lookAt(page, 'new-proposal-refused-desktop-vi');
  // Corrected, it files.
  await page.getByLabel('Thư điện tử').fill('huong.nt@vien-sinh-hoc.example.vn');
  await page.getByRole('button', { name: 'Kiểm tra trước khi nộp' }).click();
  await page.getByRole('button', { name: 'Nộp đề xuất' }).click();
  await page.getByTestId('task-code').waitFor();
  await ctx.close();
}, 120_000);

test("another organisation's researcher finds the open call without signing in, applies with files and gets a receipt", async () => {
  const taskId = await taskWithOpenCall(stack, sampleProposal({ title: 'Quy trình sản xuất phân bón hữu cơ vi sinh từ phụ phẩm mía' }));
  const other = stack.users.otherResearcher;
  const ctx = await newContext(browser, { baseURL: stack.baseUrl, lang: 'vi' });
  const page = await ctx.newPage();
  const errors = collectPageErrors(page);
  await page.goto('/calls');
  await page.getByRole('link', { name: 'Quy trình sản xuất phân bón hữu cơ vi sinh từ phụ phẩm mía' }).click();
  await page.getByRole('heading', { level: 1, name: 'Quy trình sản xuất phân bón hữu cơ vi sinh từ phụ phẩm mía' }).waitFor();
  // No e-mail address of anyone on the public page.
  expect(await page.content()).not.toMatch(/@[a-z0-9-]+\.example\.vn/);
  await lookAt(page, 'call-visitor-desktop-vi');
  await page.getByRole('link', { name: 'Đăng nhập' }).last().click();
  await page.getByLabel('Thư điện tử').fill(other.email);
  await page.getByLabel('Mật khẩu').fill(stack.password);
  await page.getByRole('button', { name: 'Đăng nhập' }).last().click();
  await page.waitForURL(`**/calls/${taskId}`);
  // His own language is English; this test reads the page in Vietnamese.
  await chooseLanguage(page, 'vi');
  await page.getByLabel('Họ và tên chủ nhiệm nhiệm vụ').fill('Lê Văn Đức');
  await page.locator('input[type=file]').setInputFiles(pdfFile);
  await page.getByText('Thuyết minh sơ bộ.pdf').waitFor();
  await lookAt(page, 'call-apply-desktop-vi');
  await page.getByRole('button', { name: 'Nộp hồ sơ' }).click();
  const code = (await page.getByTestId('dossier-code').textContent())!.trim();
  expect(code).toMatch(/^HS-\d+-\d+$/);
  await lookAt(page, 'call-receipt-desktop-vi');
  // The Department sees the dossier with its applicant; the applicant gets the receipt by e-mail.
  const task = await apiOk(stack, 'GET', `/tasks/${taskId}`, 'manager');
  expect(task.call.dossiers).toEqual(expect.arrayContaining([expect.objectContaining({ dossierId: code, host: expect.objectContaining({ orgId: other.orgId }) })]));
  await stack.smtp.waitFor(() => stack.smtp.to(other.email).some((m) => `${m.subject} ${m.text}`.includes(code)), 60_000);
  expect(errors).toEqual([]);
  await ctx.close();
}, 180_000);

test('a cookie session: a POST without the CSRF token is refused; sign-out ends the session on the server', async () => {
  const ctx = await newContext(browser, { baseURL: stack.baseUrl, lang: 'vi' });
  const page = await ctx.newPage();
  await signIn(page, stack.users.researcher.email);
  const refused = await page.evaluate(async (body) => {
    const r = await fetch('/api/v1/proposals', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), credentials: 'same-origin' });
    return { status: r.status, type: ((await r.json()) as { type: string }).type };
  }, sampleProposal());
  expect(refused).toEqual({ status: 403, type: 'urn:khcn-flow:problem:csrf' });
  const cookie = (await ctx.cookies()).find((c) => c.name === 'khcn_session')!;
  expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
  const asCookie = () => fetch(`${stack.baseUrl}/api/v1/auth/me`, { headers: { cookie: `khcn_session=${cookie.value}` } });
  expect((await asCookie()).status).toBe(200);
  await page.getByRole('button', { name: stack.users.researcher.name }).click();
  await page.getByText('Đăng xuất').click();
  await page.waitForURL('**/sign-in');
  expect((await asCookie()).status).toBe(401);
  // The page itself is signed out too.
  await page.goto('/tasks');
  await page.waitForURL(/\/sign-in\?next=%2Ftasks/);
  await ctx.close();
}, 120_000);

test('the task list filters by stage and keeps the filter in the address', async () => {
  await waitUntil('tasks listed', async () => (await stack.store.Task.countDocuments({ partyOrgIds: stack.users.researcher.orgId })) >= 2);
  const ctx = await newContext(browser, { baseURL: stack.baseUrl, lang: 'en', phone: true });
  const page = await ctx.newPage();
  await signIn(page, stack.users.researcher.email, { lang: 'en' });
  await page.goto('/tasks?stage=CALL_OPEN');
  await page.getByRole('link', { name: 'Quy trình sản xuất phân bón hữu cơ vi sinh từ phụ phẩm mía' }).waitFor();
  await expect(page.getByRole('link', { name: 'Ứng dụng IoT giám sát chất lượng nước nuôi tôm ở Bến Lức' }).count()).resolves.toBe(0);
  await lookAt(page, 'my-tasks-filtered-phone-en');
  await ctx.close();
}, 120_000);
