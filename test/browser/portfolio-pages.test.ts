/**
 * The Department's portfolio pages in a real browser against the real stack (issue 11): the
 * "5 rõ" dashboard, whose every figure equals what the API returns and links to the list
 * behind it (downloadable as CSV); forming a council from the Department's people (a refused
 * composition shown next to the members, nothing lost); importing tasks under way (a dry run
 * shows a row's error and starts nothing, then the run with its progress) and council members;
 * running the reconciliation; each page looked at in both languages,
 * desktop and phone.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { sampleProposal, startStack, type Stack } from '../support/stack';
import { collectPageErrors, DESKTOP, launchBrowser, newContext, PHONE, resizeTo, openFromMenu } from '../support/browser';
import { apiOk, councilMembers, filed, lookAt, signIn, taskInProgress, userWithPassword } from '../support/web-flows';
import { waitUntil } from '../support/services';

let stack: Stack;
let browser: Browser;
let terminated: string;
let forCouncil: string;

beforeAll(async () => {
  [stack, browser] = await Promise.all([startStack({ env: { RATE_LIMIT_LOGIN_MAX: '10000' } }), launchBrowser()]);
  for (const u of Object.values(stack.users)) await userWithPassword(stack, u);
  const [, t2] = await Promise.all([taskInProgress(stack, sampleProposal()), taskInProgress(stack, sampleProposal({ title: 'Sản xuất chế phẩm sinh học xử lý rơm rạ' }))]);
  terminated = t2;
  // Filed before the termination below debars the researcher's organisation (T-4).
  forCouncil = await filed(stack, sampleProposal({ title: 'Ứng dụng IoT giám sát chất lượng nước nuôi tôm' }));
  // T-3 (subjective): 900.000.000 approved, 600.000.000 disbursed, 400.000.000 spent → a refund owed.
  await apiOk(stack, 'POST', `/tasks/${terminated}/propose-termination`, 'manager', { grounds: 'Không khắc phục được tiến độ sau kiểm tra.' });
  await apiOk(stack, 'POST', `/tasks/${terminated}/submit-observations`, 'researcher', { observations: 'Thời tiết bất thường.' });
  await apiOk(stack, 'POST', `/tasks/${terminated}/decide-termination`, 'manager', { terminate: true, cause: 'subjective', fundsSpent: 400_000_000 });
  await waitUntil('refund in the portfolio', async () => (await apiOk(stack, 'GET', '/portfolio/counts', 'manager')).refunds.owed > 0);
}, 240_000);
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

const text = async (page: Page, testId: string) => (await page.getByTestId(testId).textContent())!.trim();
const vnd = (n: number) => `${new Intl.NumberFormat('vi-VN').format(n)} đ`;

test("the dashboard's figures equal the API's, each links to its list, and the list downloads as CSV", async () => {
  const ctx = await newContext(browser, { baseURL: stack.baseUrl, lang: 'vi' });
  const page = await ctx.newPage();
  const errors = collectPageErrors(page);
  await signIn(page, stack.users.manager.email);
  // A manager starts on the dashboard.
  await page.waitForURL(/\/dashboard$/);
  await page.getByRole('heading', { level: 1, name: 'Tổng quan nhiệm vụ theo "5 rõ"' }).waitFor();
  await page.getByTestId('figure-stopped-TERMINATED').waitFor();

  const [counts, overdue, due7, due30, ending, dossiers] = await Promise.all([
    apiOk(stack, 'GET', '/portfolio/counts', 'manager'),
    apiOk(stack, 'GET', '/portfolio/obligations/overdue', 'manager'),
    apiOk(stack, 'GET', '/portfolio/obligations/due-soon?days=7', 'manager'),
    apiOk(stack, 'GET', '/portfolio/obligations/due-soon?days=30', 'manager'),
    apiOk(stack, 'GET', '/portfolio/tasks/ending-soon', 'manager'),
    apiOk(stack, 'GET', '/portfolio/acceptance-dossiers/overdue', 'manager'),
  ]);
  expect(counts.total).toBeGreaterThanOrEqual(2);
  expect(counts.refunds.owed).toBe(320_000_000);
  expect(await text(page, 'figure-total-value')).toBe(String(counts.total));
  expect(await text(page, 'figure-overdue-value')).toBe(String(overdue.total));
  expect(await text(page, 'figure-due7-value')).toBe(String(due7.total));
  expect(await text(page, 'figure-due30-value')).toBe(String(due30.total));
  expect(await text(page, 'figure-ending-value')).toBe(String(ending.total));
  expect(await text(page, 'figure-acceptance-value')).toBe(String(dossiers.total));
  expect(await text(page, 'figure-refunds-owed-value')).toBe(vnd(counts.refunds.owed));
  expect(await text(page, 'figure-refunds-recovered-value')).toBe(vnd(counts.refunds.recovered));
  expect(await text(page, 'figure-refunds-outstanding-value')).toBe(vnd(counts.refunds.outstanding));
  expect(await text(page, 'figure-stopped-value')).toBe(String(counts.stopped.total));
  // Every stage a task is in, with its count; a stage without tasks is not listed.
  for (const s of counts.byStage) {
    if (s.count) expect(await text(page, `figure-stage-${s.stage}-value`)).toBe(String(s.count));
    else expect(await page.getByTestId(`figure-stage-${s.stage}`).count()).toBe(0);
  }
  for (const s of counts.byLevel) expect(await text(page, `figure-level-${s.level}-value`)).toBe(String(s.count));
  for (const s of counts.byForm) expect(await text(page, `figure-form-${s.form}-value`)).toBe(String(s.count));
  for (const s of counts.stopped.byStage) expect(await text(page, `figure-stopped-${s.stage}-value`)).toBe(String(s.count));
  await page.locator('.recharts-surface').first().waitFor();
  await lookAtBoth(page, 'dashboard', 'vi');

  // A figure opens the list behind it; the list is the API's and downloads as CSV.
  await page.getByTestId('figure-refunds-owed').click();
  await page.getByRole('heading', { level: 1, name: 'Hoàn trả kinh phí' }).waitFor();
  const refunds = await apiOk(stack, 'GET', '/portfolio/refunds', 'manager');
  expect(await text(page, 'list-total')).toBe(`${refunds.total} mục`);
  await page.getByRole('row').filter({ hasText: 'Sản xuất chế phẩm sinh học xử lý rơm rạ' }).getByText(vnd(320_000_000)).first().waitFor();
  await lookAtBoth(page, 'dashboard-refunds', 'vi');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Tải CSV: Hoàn trả kinh phí' }).click()]);
  const csv = readFileSync((await download.path())!, 'utf8');
  expect(download.suggestedFilename()).toMatch(/^hoan-tra-kinh-phi-\d{4}-\d{2}-\d{2}\.csv$/);
  expect(csv).toContain('Sản xuất chế phẩm sinh học xử lý rơm rạ');

  // A stage figure opens the task list filtered by that stage.
  await page.goto('/dashboard');
  await page.getByTestId('figure-stage-TERMINATED').click();
  await page.waitForURL(/\/tasks\?stage=TERMINATED$/);
  await page.getByRole('link', { name: 'Sản xuất chế phẩm sinh học xử lý rơm rạ' }).waitFor();

  await page.getByTitle('English').click();
  await page.goto('/dashboard');
  await page.getByRole('heading', { level: 1, name: 'Portfolio overview ("5 clear")' }).waitFor();
  await page.getByTestId('figure-stopped-TERMINATED').waitFor();
  expect(await text(page, 'figure-refunds-owed-value')).toBe('320,000,000 VND');
  await lookAtBoth(page, 'dashboard', 'en');
  await page.goto('/dashboard/stopped');
  await page.getByRole('row').filter({ hasText: 'Sản xuất chế phẩm sinh học xử lý rơm rạ' }).waitFor();
  await lookAtBoth(page, 'dashboard-stopped', 'en');
  expect(errors).toEqual([]);
  await ctx.close();
}, 180_000);

test('a researcher has no dashboard: the menu does not offer it and the page sends them home', async () => {
  const ctx = await newContext(browser, { baseURL: stack.baseUrl, lang: 'vi' });
  const page = await ctx.newPage();
  await signIn(page, stack.users.researcher.email);
  expect(await page.getByRole('link', { name: 'Tổng quan' }).count()).toBe(0);
  await page.goto('/dashboard');
  await page.waitForURL(/\/tasks$/);
  const res = await stack.call('GET', '/api/v1/portfolio/counts', { as: 'researcher' });
  expect(res.status).toBe(403);
  await ctx.close();
}, 60_000);

const NAMES = ['Trần Minh Khoa', 'Lê Thị Phương Thảo', 'Nguyễn Hữu Tài', 'Đỗ Thị Kim Oanh', 'Phan Văn Quý', 'Huỳnh Ngọc Sương', 'Châu Gia Bảo'];

test("an officer forms an identification council from the Department's people; a refused composition keeps every choice", async () => {
  const members = await councilMembers(stack, 'fc', NAMES);
  for (const [i, m] of members.entries()) await apiOk(stack, 'PATCH', `/users/${m.userId}`, 'admin', { title: i % 2 ? 'TS.' : 'PGS.TS.', workplace: 'Trường Đại học Nông Lâm TP.HCM' });
  // A council member of the proposing organisation: flagged as a likely conflict (C-6).
  await userWithPassword(stack, { userId: 'fc-same-org', role: 'council_member', name: 'Ngô Thanh Bình', email: 'binh.nt@vien-sinh-hoc.example.vn', orgId: stack.users.researcher.orgId, departmentId: stack.config.DEPARTMENT_ID, locale: 'vi' });
  const taskId = forCouncil;
  await apiOk(stack, 'POST', `/tasks/${taskId}/start-identification-review`, 'manager', {});
  await waitUntil('identification review', async () => (await stack.store.Task.findById(taskId).lean())?.stage === 'IDENTIFICATION_REVIEW');

  const ctx = await newContext(browser, { baseURL: stack.baseUrl, lang: 'vi' });
  const page = await ctx.newPage();
  const errors = collectPageErrors(page);
  await signIn(page, stack.users.manager.email);
  await page.goto(`/tasks/${taskId}`);
  await page.getByRole('link', { name: 'Thành lập hội đồng' }).click();
  await page.getByRole('heading', { level: 1, name: 'Thành lập Hội đồng xác định nhiệm vụ' }).waitFor();
  await page.getByRole('row').filter({ hasText: 'Ngô Thanh Bình' }).getByText('Có thể xung đột lợi ích').waitFor();

  // Search by a word of the name without its accents; add five members.
  for (const name of NAMES.slice(0, 5)) {
    const search = page.getByLabel('Tìm theo tên, học hàm, nơi công tác');
    await search.fill(name.split(' ').at(-1)!.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd'));
    await search.press('Enter');
    await page.getByRole('button', { name: `Thêm ${name} vào hội đồng` }).click();
  }
  await page.getByLabel('Tìm theo tên, học hàm, nơi công tác').fill('');
  await page.getByLabel('Tìm theo tên, học hàm, nơi công tác').press('Enter');
  expect(await page.getByTestId('member-count').textContent()).toBe('5 thành viên · 1 chủ tịch · 2 ủy viên phản biện');
  await page.getByRole('button', { name: 'Thành lập hội đồng' }).click();
  // The API refuses five members (C-1): its reason next to the members, the five still there.
  await page.locator('#field-members ~ .ant-form-item-explain, .ant-form-item-explain-error').filter({ hasText: 'phải có từ 7 đến 9 thành viên; danh sách có 5' }).first().waitFor();
  await page.getByRole('alert').filter({ hasText: 'phải có từ 7 đến 9 thành viên' }).first().waitFor();
  expect(await page.locator('.member-list li').count()).toBe(5);
  await lookAtBoth(page, 'form-council-refused', 'vi');
  for (const name of NAMES.slice(5)) await page.getByRole('button', { name: `Thêm ${name} vào hội đồng` }).click();
  await page.getByRole('combobox', { name: `Vai trò của ${NAMES[2]}` }).click();
  await page.getByTitle('Ủy viên', { exact: true }).last().click();
  await page.getByRole('button', { name: 'Thành lập hội đồng' }).click();
  await page.waitForURL(new RegExp(`/tasks/${taskId}$`));
  await page.getByText('Đã thành lập hội đồng.').waitFor();

  const task = await apiOk(stack, 'GET', `/tasks/${taskId}`, 'manager');
  expect(task.councilSittings).toEqual([expect.objectContaining({ kind: 'C-ID' })]);
  const council = await apiOk(stack, 'GET', `/councils/${task.councilSittings[0].councilId}`, 'manager');
  expect(council.members.map((m: { memberId: string; role: string }) => [m.memberId, m.role])).toEqual([
    [members[0]!.userId, 'chair'],
    [members[1]!.userId, 'vice_chair'],
    [members[2]!.userId, 'member'],
    [members[3]!.userId, 'reviewer'],
    [members[4]!.userId, 'reviewer'],
    [members[5]!.userId, 'member'],
    [members[6]!.userId, 'member'],
  ]);
  expect(errors).toEqual([]);
  await ctx.close();
}, 180_000);

const TEMPLATE = readFileSync(join(__dirname, '..', '..', 'templates', 'import', 'danh-muc-nhiem-vu.csv'), 'utf8').split('\n');
const HEADER = TEMPLATE[0]!;
const ROW = TEMPLATE.find((l) => l.startsWith('ĐTCS.2026.02,'))!;

test('an officer checks a portfolio sheet (a row error, nothing started), imports it with a progress bar, and runs the reconciliation', async () => {
  const good = ROW.replace('ĐTCS.2026.02,', 'ĐTCS.2026.91,');
  const bad = ROW.replace('ĐTCS.2026.02,', 'ĐTCS.2026.92,').replace(',grassroots,', ',cap-xa,');
  const csv = Buffer.from(`${HEADER}\n${good}\n${bad}\n`, 'utf8');
  const ctx = await newContext(browser, { baseURL: stack.baseUrl, lang: 'vi' });
  const page = await ctx.newPage();
  const errors = collectPageErrors(page);
  await signIn(page, stack.users.manager.email);
  await openFromMenu(page, 'Số liệu', 'Nhập dữ liệu');
  await page.getByRole('heading', { level: 1, name: 'Nhập dữ liệu và đối soát' }).waitFor();
  // A manager imports tasks; council members are the admin's.
  expect(await page.getByTestId('member-import').count()).toBe(0);
  await lookAtBoth(page, 'imports', 'vi');

  const card = page.getByTestId('portfolio-import');
  // The blank template, from the API.
  const [template] = await Promise.all([page.waitForEvent('download'), card.getByRole('link', { name: 'Tải mẫu CSV' }).click()]);
  expect(template.suggestedFilename()).toBe('danh-muc-nhiem-vu.csv');
  expect(readFileSync((await template.path())!, 'utf8')).toContain(HEADER);
  await card.locator('input[type=file]').setInputFiles({ name: 'danh-muc.csv', mimeType: 'text/csv', buffer: csv });
  await page.getByTestId('portfolio-sheet-file').waitFor();
  await card.getByRole('button', { name: 'Kiểm tra thử (không ghi dữ liệu)' }).click();
  const badRow = card.getByRole('row').filter({ hasText: 'ĐTCS.2026.92' });
  await badRow.getByText('Lỗi', { exact: true }).waitFor();
  await badRow.getByText('level').waitFor();
  await card.getByRole('row').filter({ hasText: 'ĐTCS.2026.91' }).getByText('Sẽ nhập').waitFor();
  await lookAtBoth(page, 'imports-dry-run', 'vi');
  // The dry run started nothing.
  expect(await stack.store.PortfolioImport.countDocuments({})).toBe(0);
  expect(await stack.store.Task.countDocuments({ title: /Khảo sát hiện trạng sử dụng nước ngầm/ })).toBe(0);

  await card.getByRole('button', { name: 'Nhập các dòng hợp lệ' }).click();
  await page.getByTestId('import-status').filter({ hasText: 'Hoàn tất' }).waitFor({ timeout: 60_000 });
  const job = page.getByTestId('import-job');
  await job.getByRole('row').filter({ hasText: 'ĐTCS.2026.91' }).getByText('Đã nhập').waitFor();
  await job.getByRole('row').filter({ hasText: 'ĐTCS.2026.92' }).getByText('Lỗi', { exact: true }).waitFor();
  expect(await page.getByRole('progressbar', { name: 'Tiến độ nhập' }).getAttribute('aria-valuenow')).toBe('100');
  await lookAtBoth(page, 'imports-done', 'vi');

  // Reconciliation: run now, and the page follows the run to its end.
  const rec = page.getByTestId('reconciliation');
  await rec.getByText('Chưa chạy lần nào.').waitFor();
  await rec.getByRole('button', { name: 'Chạy đối soát ngay' }).click();
  await rec.getByTestId('reconciliation-run').getByText('Hoàn tất').waitFor({ timeout: 60_000 });
  const status = await apiOk(stack, 'GET', '/portfolio/reconciliation', 'manager');
  expect(status.lastRun).toMatchObject({ status: 'done', by: { name: stack.users.manager.name } });
  expect(await rec.getByTestId('reconciliation-figures').textContent()).toContain(`Đã xem ${status.lastRun.progress.scanned} nhiệm vụ`);
  await page.getByTitle('English').click();
  await page.getByRole('heading', { level: 1, name: 'Imports and reconciliation' }).waitFor();
  await lookAtBoth(page, 'imports-done', 'en');
  expect(errors).toEqual([]);
  await ctx.close();
}, 180_000);

test('the admin checks and imports council members from a sheet', async () => {
  const sheet = Buffer.from(readFileSync(join(__dirname, '..', '..', 'templates', 'import', 'thanh-vien-hoi-dong.csv'), 'utf8').replace('mai.ttt@iasvn.example.vn', 'not-an-email'), 'utf8');
  const ctx = await newContext(browser, { baseURL: stack.baseUrl, lang: 'vi' });
  const page = await ctx.newPage();
  const errors = collectPageErrors(page);
  await signIn(page, stack.users.admin.email);
  await page.goto('/imports');
  const card = page.getByTestId('member-import');
  await card.locator('input[type=file]').setInputFiles({ name: 'thanh-vien.csv', mimeType: 'text/csv', buffer: sheet });
  await page.getByTestId('member-sheet-file').waitFor();
  await card.getByRole('button', { name: 'Kiểm tra thử (không ghi dữ liệu)' }).click();
  await card.getByRole('row').filter({ hasText: 'hung.nv@hcmuaf.example.vn' }).getByText('Sẽ tạo').waitFor();
  await card.getByRole('row').filter({ hasText: 'not-an-email' }).getByText('Lỗi', { exact: true }).waitFor();
  expect(await stack.store.User.countDocuments({ email: 'hung.nv@hcmuaf.example.vn' })).toBe(0);
  await lookAtBoth(page, 'imports-members-dry-run', 'vi');
  await card.getByRole('button', { name: 'Nhập thành viên' }).click();
  await card.getByRole('row').filter({ hasText: 'hung.nv@hcmuaf.example.vn' }).getByText('Đã tạo').waitFor();
  expect(await stack.store.User.countDocuments({ email: 'hung.nv@hcmuaf.example.vn', role: 'council_member' })).toBe(1);
  expect(errors).toEqual([]);
  await ctx.close();
}, 120_000);

test("the admin's operations page shows each service as the API reports it; a manager has none", async () => {
  const ctx = await newContext(browser, { baseURL: stack.baseUrl, lang: 'vi' });
  const page = await ctx.newPage();
  const errors = collectPageErrors(page);
  await signIn(page, stack.users.admin.email);
  await openFromMenu(page, 'Quản trị', 'Vận hành');
  await page.getByRole('heading', { level: 1, name: 'Tình trạng vận hành' }).waitFor();
  await page.getByTestId('service-worker-status').waitFor();
  const ops = await apiOk(stack, 'GET', '/operations/status', 'admin');
  for (const k of ['temporal', 'mongodb', 'smtp', 'worker'] as const) {
    expect(await text(page, `service-${k}-status`)).toBe(ops.services[k].status === 'up' ? 'Hoạt động' : 'Ngừng');
  }
  await page.getByRole('heading', { level: 2, name: `Quy trình bị kẹt (${ops.workflows.stuck.length})` }).waitFor();
  await page.getByRole('heading', { level: 2, name: `Thư gửi không thành công (${ops.emails.total})` }).waitFor();
  expect(await page.getByRole('link', { name: /Mở Temporal Web UI/ }).getAttribute('href')).toBe(ops.temporalUi.workflows);
  await lookAtBoth(page, 'operations', 'vi');
  await page.getByTitle('English').click();
  await page.getByRole('heading', { level: 1, name: 'Operations status' }).waitFor();
  await lookAtBoth(page, 'operations', 'en');
  expect(errors).toEqual([]);
  await ctx.close();

  const m = await newContext(browser, { baseURL: stack.baseUrl, lang: 'vi' });
  const mp = await m.newPage();
  await signIn(mp, stack.users.manager.email);
  expect(await mp.getByRole('menuitem', { name: 'Quản trị' }).count()).toBe(0);
  await mp.goto('/admin/operations');
  await mp.waitForURL(/\/dashboard$/);
  expect((await stack.call('GET', '/api/v1/operations/status', { as: 'manager' })).status).toBe(403);
  await m.close();
}, 120_000);

for (const lang of ['vi', 'en'] as const) {
  test(`public pages without sign-in (${lang}): a filing's status by code and e-mail (a wrong pair answers like an unknown code); open data as a table and a CSV without e-mail addresses`, async () => {
    const ctx = await newContext(browser, { baseURL: stack.baseUrl, lang });
    const page = await ctx.newPage();
    const errors = collectPageErrors(page);
    const vi = lang === 'vi';
    await page.goto('/');
    await page.getByRole('navigation', { name: vi ? 'Các mục chính' : 'Main sections' }).getByRole('link', { name: vi ? 'Tra cứu hồ sơ' : 'Track a filing' }).click();
    await page.getByRole('heading', { level: 1, name: vi ? 'Tra cứu tình trạng hồ sơ' : 'Where does my filing stand?' }).waitFor();
    const code = page.getByLabel(vi ? 'Mã hồ sơ' : 'Filing code');
    const email = page.getByLabel(vi ? 'Thư điện tử đã dùng khi nộp' : 'E-mail address used to file it');
    const submit = page.getByRole('button', { name: vi ? 'Tra cứu' : 'Look it up' });
    await lookAtBoth(page, 'status-lookup', lang);
    // A wrong e-mail for a real code, then an unknown code: the same answer.
    await code.fill(` ${forCouncil.toLowerCase()} `);
    await email.fill('someone.else@example.vn');
    await submit.click();
    const wrongPair = await (await page.getByTestId('status-not-found').elementHandle())!.textContent();
    await code.fill('NV-ZZZZZZZZZZZZZZZZ');
    await submit.click();
    await page.getByTestId('status-not-found').waitFor();
    expect(await page.getByTestId('status-not-found').textContent()).toBe(wrongPair);
    expect(await email.inputValue()).toBe('someone.else@example.vn');
    await code.fill(forCouncil);
    await email.fill('huong.nt@vien-sinh-hoc.example.vn');
    await submit.click();
    const result = page.getByTestId('status-result');
    await result.getByText(forCouncil).waitFor();
    const status = await (await fetch(`${stack.baseUrl}/api/v1/public/status`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'Accept-Language': lang }, body: JSON.stringify({ code: forCouncil, email: 'huong.nt@vien-sinh-hoc.example.vn' }) })).json() as { next: Record<string, string> };
    await result.getByText(status.next[lang]).waitFor();
    await lookAtBoth(page, 'status-found', lang);

    await page.getByRole('contentinfo').getByRole('link', { name: vi ? 'Dữ liệu mở' : 'Open data' }).click();
    await page.getByRole('heading', { level: 1, name: vi ? 'Dữ liệu mở về nhiệm vụ khoa học và công nghệ' : 'Open data on science and technology tasks' }).waitFor();
    const open = (await (await fetch(`${stack.baseUrl}/api/v1/public/open-data`)).json()) as { items: { code: string; title: string }[]; licence: { name: string } };
    expect(open.items.length).toBeGreaterThan(0);
    await page.getByText(open.items[0].title).first().waitFor();
    await page.getByTestId('open-data-meta').getByRole('link', { name: open.licence.name }).waitFor();
    await lookAtBoth(page, 'open-data', lang);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: vi ? 'Tải CSV' : 'Download CSV' }).click()]);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv).toContain(open.items[0].code);
    expect(csv).not.toMatch(/[^\s",]+@[^\s",]+\.[a-z]{2,}/i);
    expect(errors).toEqual([]);
    await ctx.close();
  }, 120_000);
}
