/**
 * The Department's own pages in a real browser against the real stack: the six-month report
 * downloaded as the PDF a reader gets (its text names the period), the users an admin manages
 * (a new council member who then signs in; deactivated, refused) and the audit log that records
 * it, each page looked at in both languages on a desktop and a phone.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { sampleProposal, startStack, type Stack } from '../support/stack';
import { collectPageErrors, DESKTOP, launchBrowser, newContext, PHONE, resizeTo, openFromMenu } from '../support/browser';
import { chooseLanguage, lookAt, signIn, taskInProgress, userWithPassword } from '../support/web-flows';
import { DEV_PASSWORD } from '../../scripts/dev-users';

let stack: Stack;
let browser: Browser;
beforeAll(async () => {
  [stack, browser] = await Promise.all([startStack({ env: { RATE_LIMIT_LOGIN_MAX: '10000' } }), launchBrowser()]);
  for (const u of Object.values(stack.users)) await userWithPassword(stack, u);
  await taskInProgress(stack, sampleProposal());
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

test('the six-month report downloads as the PDF whose text names the period; the page in both languages', async () => {
  const ctx = await newContext(browser, { baseURL: stack.baseUrl, lang: 'vi' });
  const page = await ctx.newPage();
  const errors = collectPageErrors(page);
  await signIn(page, stack.users.manager.email);
  await openFromMenu(page, 'Số liệu', 'Báo cáo');
  await page.getByRole('heading', { level: 1, name: 'Báo cáo' }).waitFor();
  await lookAtBoth(page, 'reports', 'vi');
  const periodText = await page.getByText(/^Từ ngày \d{2}\/\d{2}\/\d{4} đến ngày \d{2}\/\d{2}\/\d{4}\.$/).textContent();
  const [, from, to] = /Từ ngày (\S+) đến ngày (\S+)\./.exec(periodText!)!;
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Tải báo cáo (PDF)' }).click()]);
  const dir = mkdtempSync(join(tmpdir(), 'khcn-report-'));
  const file = join(dir, download.suggestedFilename());
  await download.saveAs(file);
  expect(download.suggestedFilename()).toMatch(/^bao-cao-6-thang-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.pdf$/);
  const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  expect(text).toContain(from!);
  expect(text).toContain(to!);
  await chooseLanguage(page, 'en');
  await page.goto('/reports');
  await page.getByRole('heading', { level: 1, name: 'Reports' }).waitFor();
  await lookAtBoth(page, 'reports', 'en');
  expect(errors).toEqual([]);
  await ctx.close();
}, 120_000);

test('an admin adds a council member, who signs in; deactivated, they are refused; the audit log shows both', async () => {
  const ctx = await newContext(browser, { baseURL: stack.baseUrl, lang: 'vi' });
  const page = await ctx.newPage();
  const errors = collectPageErrors(page);
  await signIn(page, stack.users.admin.email);
  await openFromMenu(page, 'Quản trị', 'Người dùng');
  await page.getByRole('heading', { level: 1, name: 'Người dùng' }).waitFor();
  await lookAtBoth(page, 'users', 'vi');
  await page.getByRole('button', { name: 'Thêm người dùng' }).click();
  const drawer = page.getByRole('dialog');
  await drawer.getByLabel('Thư điện tử').fill('hanh.ntm@hoidong.example.vn');
  await drawer.getByLabel('Họ và tên').fill('Nguyễn Thị Mỹ Hạnh');
  await drawer.getByLabel('Vai trò').click();
  await page.getByTitle('Thành viên hội đồng').click();
  await drawer.getByLabel('Mã tổ chức').fill('org-hoi-dong');
  await drawer.getByLabel('Tổ chức', { exact: true }).fill('Trường Đại học Nông Lâm TP.HCM');
  await drawer.getByLabel('Mật khẩu').fill(DEV_PASSWORD);
  await lookAt(page, 'users-new-desktop-vi');
  await drawer.getByRole('button', { name: 'Lưu' }).click();
  await page.getByText('hanh.ntm@hoidong.example.vn').waitFor();

  // The new member signs in, in a browser of her own.
  const other = await newContext(browser, { baseURL: stack.baseUrl, lang: 'vi' });
  const memberPage = await other.newPage();
  await signIn(memberPage, 'hanh.ntm@hoidong.example.vn');
  await memberPage.getByRole('heading', { level: 1, name: 'Hội đồng của tôi' }).waitFor();

  // Deactivated: her open session ends at once.
  await page.getByRole('button', { name: 'Sửa Nguyễn Thị Mỹ Hạnh' }).click();
  await page.getByRole('dialog').getByRole('switch').click();
  await page.getByRole('dialog').getByRole('button', { name: 'Lưu' }).click();
  await page.getByRole('row').filter({ hasText: 'Nguyễn Thị Mỹ Hạnh' }).getByText('Đã khóa').waitFor();
  await memberPage.goto('/councils');
  await memberPage.waitForURL(/\/sign-in/);
  await other.close();

  await openFromMenu(page, 'Quản trị', 'Nhật ký');
  await page.getByRole('heading', { level: 1, name: 'Nhật ký hệ thống' }).waitFor();
  await page.getByRole('row').filter({ hasText: 'Thêm người dùng' }).first().waitFor();
  await page.getByRole('row').filter({ hasText: 'Khóa người dùng' }).first().waitFor();
  await lookAtBoth(page, 'audit', 'vi');
  await chooseLanguage(page, 'en');
  await page.goto('/admin/users');
  await page.getByRole('heading', { level: 1, name: 'Users' }).waitFor();
  await lookAtBoth(page, 'users', 'en');
  await page.goto('/admin/audit');
  await page.getByRole('heading', { level: 1, name: 'Audit log' }).waitFor();
  await lookAtBoth(page, 'audit', 'en');
  expect(errors).toEqual([]);
  await ctx.close();
}, 180_000);
