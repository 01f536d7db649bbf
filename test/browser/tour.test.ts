/**
 * Every page of the researchers' and council members' app, as its users see it: in
 * Vietnamese and English, on a desktop and on a 375 px phone (the same page resized; the
 * phone's own touch and keyboard use is in council.test.ts), each screenshot saved under
 * .data/screenshots/ to be looked at, each page checked with axe-core (no serious or
 * critical violation) and free of script errors. Also a researcher's action through its
 * form on the task page (a progress report) and an acceptance council's rating sheet.
 */
import type { Browser, Page } from 'playwright-core';
import type { Caller } from '../../api/auth';
import { sampleProposal, startStack, type Stack } from '../support/stack';
import { collectPageErrors, DESKTOP, launchBrowser, newContext, PHONE, resizeTo } from '../support/browser';
import { acceptanceCouncil, apiOk, councilMembers, filed, identificationCouncil, lookAt, signIn, taskInProgress, taskWithOpenCall, userWithPassword } from '../support/web-flows';
import { waitUntil } from '../support/services';

const NAMES = ['Phạm Thị Ngọc Ánh', 'Đặng Quốc Việt', 'Lý Thị Thu Hà', 'Hồ Văn Lực', 'Trương Mỹ Linh', 'Bùi Đức Thịnh', 'Vũ Hoàng Yến'];
const LANGS = ['vi', 'en'] as const;
type Lang = (typeof LANGS)[number];

let stack: Stack;
let browser: Browser;
let inProgress: string;
let openCall: string;
let cid: string;
let cacc: string;
let members: Caller[];
let accMembers: Caller[];

beforeAll(async () => {
  // Every visit signs in from this one address: the login limit is tested elsewhere.
  [stack, browser] = await Promise.all([startStack({ env: { RATE_LIMIT_LOGIN_MAX: '10000' } }), launchBrowser()]);
  for (const u of Object.values(stack.users)) await userWithPassword(stack, u);
  members = await councilMembers(stack, 'tour', NAMES);
  accMembers = await councilMembers(stack, 'tacc', NAMES);
  [inProgress, openCall] = await Promise.all([
    taskInProgress(stack, sampleProposal()),
    taskWithOpenCall(stack, sampleProposal({ title: 'Quy trình sản xuất phân bón hữu cơ vi sinh từ phụ phẩm mía' })),
  ]);
  const forCouncil = await filed(stack, sampleProposal({ title: 'Ứng dụng IoT giám sát chất lượng nước nuôi tôm' }));
  cid = await identificationCouncil(stack, forCouncil, members, 'secret');
  // Member 2 has declared and reads the dossier; member 1 has not declared yet.
  await apiOk(stack, 'POST', `/councils/${cid}/conflict-declarations`, members[1]!, { conflicted: false });
  const forAcceptance = await taskInProgress(stack, sampleProposal({ title: 'Chọn tạo giống mãng cầu Bà Đen năng suất cao' }));
  cacc = await acceptanceCouncil(stack, forAcceptance, accMembers);
  for (const m of accMembers) await apiOk(stack, 'POST', `/councils/${cacc}/conflict-declarations`, m, { conflicted: false });
  await apiOk(stack, 'POST', `/councils/${cacc}/attendance`, 'manager', { present: accMembers.map((m) => m.userId) });
}, 300_000);
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

async function visit(lang: Lang, as: Caller | null, steps: (page: Page) => Promise<void>) {
  const ctx = await newContext(browser, { baseURL: stack.baseUrl, lang });
  const page = await ctx.newPage();
  const errors = collectPageErrors(page);
  if (as) await signIn(page, as.email, { lang });
  await steps(page);
  expect(errors).toEqual([]);
  await ctx.close();
}

/** The page as it is now, on a desktop and then on a 375 px phone (the same page, resized), then back. */
async function lookAtBoth(page: Page, name: string, lang: Lang) {
  await lookAt(page, `${name}-desktop-${lang}`);
  await resizeTo(page, PHONE);
  await lookAt(page, `${name}-phone-${lang}`);
  await resizeTo(page, DESKTOP);
}

const h1 = (page: Page) => page.getByRole('heading', { level: 1 }).first().waitFor();

describe.each(LANGS)('%s', (lang) => {
  test('public pages: home, sign-in, open calls, a call, a page that does not exist', async () => {
    await visit(lang, null, async (page) => {
      await page.goto('/');
      await h1(page);
      await lookAtBoth(page, 'home', lang);
      await page.goto('/sign-in');
      await h1(page);
      await lookAtBoth(page, 'sign-in', lang);
      await page.goto('/calls');
      await page.getByRole('link', { name: 'Quy trình sản xuất phân bón hữu cơ vi sinh từ phụ phẩm mía' }).waitFor();
      await lookAtBoth(page, 'calls', lang);
      await page.goto(`/calls/${openCall}`);
      await h1(page);
      await lookAtBoth(page, 'call', lang);
      await page.goto('/no/such/page');
      await h1(page);
      await lookAtBoth(page, 'not-found', lang);
    });
  }, 120_000);

  test("a researcher's pages: my tasks, a new proposal, a task under way and an action's form", async () => {
    await visit(lang, stack.users.researcher, async (page) => {
      await page.goto('/tasks');
      await page.getByRole('link', { name: 'Nghiên cứu ứng dụng công nghệ sinh học trong sản xuất giống lúa chịu mặn ở Tây Ninh' }).first().waitFor();
      await lookAtBoth(page, 'my-tasks', lang);
      await page.goto('/tasks/new');
      await h1(page);
      await lookAtBoth(page, 'new-proposal', lang);
      await page.goto(`/tasks/${inProgress}`);
      await page.getByText(inProgress).first().waitFor();
      await lookAtBoth(page, 'task-in-progress', lang);
      // The sections: tabs on a desktop (a phone shows the same one opened).
      await page.getByRole('tab', { name: lang === 'vi' ? 'Nghĩa vụ "5 rõ"' : 'Obligations ("5 clear")' }).click();
      await lookAtBoth(page, 'task-obligations', lang);
      await page.getByRole('tab', { name: lang === 'vi' ? /Văn bản/ : /Documents/ }).click();
      await lookAtBoth(page, 'task-documents', lang);
      await page.getByRole('button', { name: lang === 'vi' ? 'Nộp báo cáo định kỳ' : 'File a progress report' }).click();
      await page.getByRole('dialog').waitFor();
      await lookAtBoth(page, 'task-action-progress-report', lang);
      await page.getByRole('button', { name: lang === 'vi' ? 'Hủy' : 'Cancel' }).first().click();
    });
  }, 120_000);

  test("a council member's pages: my councils, the declaration, the dossier, an acceptance rating sheet", async () => {
    await visit(lang, members[0]!, async (page) => {
      await page.goto('/councils');
      await page.getByRole('link', { name: /Ứng dụng IoT giám sát chất lượng nước nuôi tôm/ }).waitFor();
      await lookAtBoth(page, 'councils', lang);
      await page.goto(`/councils/${cid}`);
      await page.getByRole('heading', { level: 2 }).first().waitFor();
      await lookAtBoth(page, 'council-declaration', lang);
    });
    await visit(lang, members[1]!, async (page) => {
      await page.goto(`/councils/${cid}`);
      await page.getByRole('heading', { level: 2, name: lang === 'vi' ? 'Hồ sơ' : 'Dossier' }).waitFor();
      await lookAtBoth(page, 'council-dossier', lang);
    });
    await visit(lang, accMembers[0]!, async (page) => {
      await page.goto(`/councils/${cacc}`);
      await page.getByText(lang === 'vi' ? 'Báo cáo tổng hợp' : 'Final report').first().waitFor();
      await lookAtBoth(page, 'council-ballot-cacc', lang);
    });
  }, 120_000);
});

test('a researcher files a progress report through its form on the task page', async () => {
  await visit('vi', stack.users.researcher, async (page) => {
    await page.goto(`/tasks/${inProgress}`);
    await page.getByRole('button', { name: 'Nộp báo cáo định kỳ' }).click();
    await page.getByLabel('Nội dung báo cáo').fill('Hoàn thành 40% khối lượng; đã thu thập 120 mẫu giống.');
    await page.getByRole('dialog').getByRole('button', { name: 'Nộp báo cáo định kỳ' }).click();
    await page.getByText('Đã thực hiện: Nộp báo cáo định kỳ.').waitFor();
    await page.getByRole('tab', { name: 'Tiến trình' }).click();
    await page.getByText('Nộp báo cáo định kỳ').first().waitFor();
  });
  await waitUntil('report on record', async () => (await stack.store.Task.findById(inProgress).lean())?.reports[0]?.submittedAt !== undefined);
}, 120_000);

test('an acceptance council member rates each approved product and the report', async () => {
  await visit('vi', accMembers[1]!, async (page) => {
    await page.goto(`/councils/${cacc}`);
    for (const product of ['P1', 'P2']) {
      for (const k of ['Số lượng', 'Khối lượng', 'Chất lượng']) await page.getByRole('radiogroup', { name: `${product} ${k}` }).getByLabel('Đạt', { exact: true }).check();
    }
    await page.getByRole('radiogroup', { name: 'Báo cáo tổng hợp' }).getByLabel('Xuất sắc').check();
    await page.getByRole('button', { name: 'Gửi phiếu' }).click();
    await page.getByTestId('vote-receipt').waitFor();
  });
  const view = await apiOk(stack, 'GET', `/councils/${cacc}`, 'manager');
  expect(view.members.find((m: { memberId: string }) => m.memberId === accMembers[1]!.userId)).toMatchObject({ voted: true });
}, 120_000);
