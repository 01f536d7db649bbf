/**
 * Council members in a real browser against the real stack: seven members of a secret
 * identification council declare (one conflicted), read, and vote through the pages, and
 * the council's result is the tally's; one of them on a 375 px phone with the keyboard
 * alone. A selection council's score sheet totals as typed and warns of a zero score.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Caller } from '../../api/auth';
import { sampleProposal, startStack, type Stack } from '../support/stack';
import { collectPageErrors, launchBrowser, newContext } from '../support/browser';
import { apiOk, councilMembers, filed, identificationCouncil, lookAt, signIn, tabTo, taskOnOrderList, userWithPassword, today } from '../support/web-flows';
import { waitUntil } from '../support/services';

const NAMES = ['Phạm Thị Ngọc Ánh', 'Đặng Quốc Việt', 'Lý Thị Thu Hà', 'Hồ Văn Lực', 'Trương Mỹ Linh', 'Bùi Đức Thịnh', 'Vũ Hoàng Yến'];

let stack: Stack;
let browser: Browser;
beforeAll(async () => {
  // Every member signs in from this one address: the login limit is tested elsewhere.
  [stack, browser] = await Promise.all([startStack({ env: { RATE_LIMIT_LOGIN_MAX: '10000' } }), launchBrowser()]);
  for (const u of Object.values(stack.users)) await userWithPassword(stack, u);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

async function memberPage(member: Caller, o: { phone?: boolean; lang?: 'vi' | 'en' } = {}): Promise<{ ctx: BrowserContext; page: Page; errors: string[] }> {
  const ctx = await newContext(browser, { baseURL: stack.baseUrl, lang: o.lang ?? 'vi', ...(o.phone ? { phone: true } : {}) });
  const page = await ctx.newPage();
  const errors = collectPageErrors(page);
  // The members' own language is Vietnamese; one who reads English switches in the header.
  await signIn(page, member.email, { lang: o.lang ?? 'vi' });
  return { ctx, page, errors };
}

test('seven members declare (one conflicted), read and vote in the pages; the result is the tally', async () => {
  const members = await councilMembers(stack, 'cid', NAMES);
  const taskId = await filed(stack, sampleProposal({ title: 'Ứng dụng IoT giám sát chất lượng nước nuôi tôm' }));
  const councilId = await identificationCouncil(stack, taskId, members, 'secret');

  // Each member in their own browser: the councils page shows what awaits them, then the declaration.
  const sessions = [];
  for (const [i, m] of members.entries()) {
    const s = await memberPage(m);
    await s.page.getByRole('heading', { level: 1, name: 'Hội đồng của tôi' }).waitFor();
    if (i === 0) await lookAt(s.page, 'councils-todo-desktop-vi');
    await s.page.getByRole('link', { name: /Ứng dụng IoT giám sát chất lượng nước nuôi tôm/ }).click();
    await s.page.getByRole('heading', { level: 2, name: 'Khai báo xung đột lợi ích' }).waitFor();
    // C-6: no dossier before the declaration.
    await expect(s.page.getByRole('heading', { name: 'Hồ sơ' }).count()).resolves.toBe(0);
    if (i === 0) await lookAt(s.page, 'council-declaration-desktop-vi');
    if (i === 6) {
      await s.page.getByLabel('Tôi có xung đột lợi ích và không tham gia nội dung này').check();
      await s.page.getByLabel('Trường hợp xung đột').fill('Vợ của người đề xuất');
    } else {
      await s.page.getByLabel('Tôi không thuộc trường hợp nào ở trên').check();
    }
    await s.page.getByRole('button', { name: 'Gửi khai báo' }).click();
    if (i === 6) {
      await s.page.getByText('Bạn không tham gia nội dung này do xung đột lợi ích').waitFor();
      await lookAt(s.page, 'council-conflicted-desktop-vi');
    } else {
      await s.page.getByRole('heading', { level: 2, name: 'Hồ sơ' }).waitFor();
      await s.page.getByText('Phiếu mở tại phiên họp ngày').waitFor();
    }
    sessions.push(s);
  }
  await lookAt(sessions[0]!.page, 'council-read-desktop-vi');

  // The meeting: the Department's officer records who is present on the council's page; voting opens.
  const officer = await memberPage(stack.users.manager);
  await officer.page.goto(`/tasks/${taskId}`);
  await officer.page.getByRole('link', { name: 'Hội đồng xác định nhiệm vụ' }).click();
  await officer.page.getByText('Thành viên có mặt', { exact: true }).waitFor();
  // Those who declared are ticked; the conflicted member is not listed.
  await expect(officer.page.getByRole('checkbox').count()).resolves.toBe(6 + 1);
  await lookAt(officer.page, 'council-attendance-desktop-vi');
  await officer.page.getByRole('button', { name: 'Ghi nhận điểm danh' }).click();
  await officer.page.getByText('Đã bỏ phiếu: 0/6 thành viên').waitFor();
  const votes = [true, true, true, true, true, false];
  for (const [i, s] of sessions.slice(0, 6).entries()) {
    await s.page.reload();
    await s.page.getByText('Kết luận của tôi').waitFor();
    if (i === 0) await lookAt(s.page, 'council-ballot-cid-desktop-vi');
    await s.page.getByLabel(votes[i] ? 'Đề nghị đặt hàng nhiệm vụ này' : 'Không đề nghị').check();
    await s.page.getByLabel('Nhận xét (không bắt buộc)').fill(votes[i] ? 'Cấp thiết, khả thi.' : 'Trùng lặp một phần với nhiệm vụ năm 2024.');
    await s.page.getByRole('button', { name: 'Gửi phiếu' }).click();
    await s.page.getByTestId('vote-receipt').waitFor({ timeout: 60_000 });
    if (i === 0) await lookAt(s.page, 'council-receipt-desktop-vi');
  }
  await waitUntil('decided', async () => (await stack.store.Council.findById(councilId).lean())?.status === 'DECIDED', 60_000);
  const view = await apiOk(stack, 'GET', `/councils/${councilId}`, 'manager');
  // 5 of 6 present vote yes: more than 3/4 (C-ID).
  expect(view.result).toMatchObject({ outcome: 'RECOMMENDED', figures: { yes: 5, no: 1, present: 6 } });
  const first = sessions[0]!.page;
  await first.reload();
  await expect(first.getByTestId('council-outcome').textContent()).resolves.toBe('Đề nghị đặt hàng');
  await first.getByText('Đồng ý: 5, không đồng ý: 1, có mặt: 6.').waitFor();
  // A secret ballot: no page shows how anyone voted.
  expect(await first.content()).not.toMatch(/Trùng lặp một phần/);
  await lookAt(first, 'council-result-desktop-vi');
  // The officer sees the same result, in counts.
  await officer.page.reload();
  await officer.page.getByText('Đồng ý: 5, không đồng ý: 1, có mặt: 6.').waitFor();
  for (const s of [...sessions, officer]) {
    expect(s.errors).toEqual([]);
    await s.ctx.close();
  }
}, 300_000);

test('a paper sitting: the secretary records attendance and enters each member\'s paper ballot in the page; the result is the tally', async () => {
  const members = await councilMembers(stack, 'giay', NAMES);
  const taskId = await filed(stack, sampleProposal({ title: 'Quy trình sản xuất phân bón hữu cơ từ phụ phẩm mía' }));
  const councilId = await identificationCouncil(stack, taskId, members, 'secret', 'paper');
  // The members declared on paper at the meeting; the Department records it (C-6).
  for (const m of members) await apiOk(stack, 'POST', `/councils/${councilId}/conflict-declarations`, 'manager', { memberId: m.userId, conflicted: false });

  const officer = await memberPage(stack.users.manager);
  const o = officer.page;
  await o.goto(`/councils/${councilId}`);
  await o.getByText('Thành viên có mặt', { exact: true }).waitFor();
  await o.getByRole('button', { name: 'Ghi nhận điểm danh' }).click();
  await o.getByRole('heading', { level: 3, name: 'Nhập phiếu họp trên giấy' }).waitFor();
  await lookAt(o, 'council-paper-ballots-desktop-vi');
  // Four recommend, three do not: 4/7 is below the threshold, so the tally does not recommend (C-ID).
  const yes = [true, true, true, true, false, false, false];
  // A member cannot vote online at a paper sitting: the API says why (the page offers no ballot to members).
  const online = await stack.call('POST', `/api/v1/councils/${councilId}/votes`, { as: members[0]!, body: { ballot: { kind: 'C-ID', yes: true } } });
  expect(online.status).toBe(422);
  expect(await online.json()).toMatchObject({ rule: 'C-4', code: 'PAPER_SITTING' });
  // The member list refreshes after each entry: a choice made while it re-renders is made again.
  const choose = async (name: string) => {
    for (let attempt = 1; ; attempt++) {
      await o.getByLabel('Phiếu của thành viên').click();
      await o.locator('.ant-select-item-option', { hasText: `${name} ·` }).click();
      try {
        await o.getByLabel('Không đề nghị').waitFor({ timeout: 5_000 });
        return;
      } catch (err) {
        if (attempt === 3) throw err;
        await o.keyboard.press('Escape');
      }
    }
  };
  for (const [i, m] of members.entries()) {
    await choose(m.name);
    await o.getByLabel(yes[i] ? 'Đề nghị đặt hàng nhiệm vụ này' : 'Không đề nghị').check();
    await o.getByRole('button', { name: 'Gửi phiếu' }).click();
    if (i < members.length - 1) await o.getByText(`Đã nhập phiếu của ${m.name}.`).waitFor();
  }
  await waitUntil('decided', async () => (await stack.store.Council.findById(councilId).lean())?.status === 'DECIDED', 60_000);
  const view = await apiOk(stack, 'GET', `/councils/${councilId}`, 'manager');
  expect(view.result).toMatchObject({ outcome: 'NOT_RECOMMENDED', figures: { yes: 4, no: 3, present: 7 } });
  await o.reload();
  await expect(o.getByTestId('council-outcome').textContent()).resolves.toBe('Không đề nghị');
  await o.getByText('Đồng ý: 4, không đồng ý: 3, có mặt: 7.').waitFor();
  await lookAt(o, 'council-paper-decided-desktop-vi');
  expect(officer.errors).toEqual([]);
  await officer.ctx.close();
}, 240_000);

test('a member declares and votes on a 375 px phone with the keyboard alone', async () => {
  const members = await councilMembers(stack, 'kbd', NAMES);
  const taskId = await filed(stack, sampleProposal({ title: 'Bảo tồn nguồn gen cây thuốc núi Bà Đen' }));
  const councilId = await identificationCouncil(stack, taskId, members, 'open');
  const { ctx, page, errors } = await memberPage(members[2]!, { phone: true, lang: 'en' });
  await page.goto(`/councils/${councilId}`);
  await page.getByRole('heading', { level: 2, name: 'Declaration of conflicts of interest' }).waitFor();
  await lookAt(page, 'council-declaration-phone-en');
  // Keyboard only: Tab to the choice, Space to select, Tab to the button, Enter.
  await tabTo(page, 'input[type=radio][value=no]');
  await page.keyboard.press('Space');
  await tabTo(page, 'button[type=submit]');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { level: 2, name: 'Dossier' }).waitFor();
  // The others declare through the API; the Department opens voting.
  for (const m of members.filter((_, i) => i !== 2)) await apiOk(stack, 'POST', `/councils/${councilId}/conflict-declarations`, m, { conflicted: false });
  await apiOk(stack, 'POST', `/councils/${councilId}/attendance`, 'manager', { present: members.map((m) => m.userId) });
  await page.reload();
  await page.getByText('My conclusion').waitFor();
  await lookAt(page, 'council-ballot-cid-phone-en');
  await tabTo(page, 'input[type=radio][value=yes]');
  await page.keyboard.press('Space');
  await tabTo(page, 'textarea');
  await page.keyboard.type('Urgent and feasible.');
  await tabTo(page, 'button[type=submit]');
  await page.keyboard.press('Enter');
  await page.getByTestId('vote-receipt').waitFor();
  await lookAt(page, 'council-receipt-phone-en');
  const view = await apiOk(stack, 'GET', `/councils/${councilId}`, 'manager');
  expect(view.members.find((m: { memberId: string }) => m.memberId === members[2]!.userId)).toMatchObject({ voted: true });
  expect(errors).toEqual([]);
  await ctx.close();
}, 180_000);

test('a selection council member scores each dossier: the total follows the scores, a zero score is warned of', async () => {
  const members = await councilMembers(stack, 'sel', NAMES);
  // A direct assignment (L-6): one dossier goes to the selection council.
  const taskId = await taskOnOrderList(stack, sampleProposal({ title: 'Chọn tạo giống mãng cầu Bà Đen năng suất cao' }));
  await apiOk(stack, 'POST', `/tasks/${taskId}/assign-directly`, 'manager', { host: { orgId: stack.users.otherResearcher.orgId, orgName: 'Trường Đại học Tây Ninh', pi: { name: 'Lê Văn Đức', email: 'duc.lv@truong-dai-hoc.example.vn' } } });
  const ROLES = ['chair', 'vice_chair', 'reviewer', 'reviewer', 'member', 'member', 'member'];
  await apiOk(stack, 'POST', `/tasks/${taskId}/form-council`, 'manager', {
    kind: 'C-SEL',
    members: members.map((m, i) => ({ memberId: m.userId, name: m.name, email: m.email, role: ROLES[i] })),
    meetingOn: today(),
    votingDeadline: new Date(Date.now() + 5 * 86_400_000).toISOString(),
    ballot: 'secret',
    criteria: [
      { id: 'rationale', max: 15 },
      { id: 'content', max: 30, products: true },
      { id: 'products', max: 20, products: true },
      { id: 'applicability', max: 15 },
      { id: 'capacity', max: 10 },
      { id: 'budget', max: 10 },
    ],
  });
  const councilId = `council-${taskId}-C-SEL-1`;
  await waitUntil('council read model', async () => (await stack.store.Council.countDocuments({ _id: councilId })) === 1);
  for (const m of members.slice(1)) await apiOk(stack, 'POST', `/councils/${councilId}/conflict-declarations`, m, { conflicted: false });
  const { ctx, page, errors } = await memberPage(members[0]!);
  await page.goto(`/councils/${councilId}`);
  await page.getByLabel('Tôi không thuộc trường hợp nào ở trên').check();
  await page.getByRole('button', { name: 'Gửi khai báo' }).click();
  await page.getByRole('heading', { level: 2, name: 'Hồ sơ' }).waitFor();
  await apiOk(stack, 'POST', `/councils/${councilId}/attendance`, 'manager', { present: members.map((m) => m.userId) });
  await page.reload();
  const view = await apiOk(stack, 'GET', `/councils/${councilId}`, 'manager');
  const [first] = view.dossiers as [string];
  const sheet = page.locator(`form[id="ballot-c-sel-${first}"]`);
  await sheet.waitFor();
  const scores: Record<string, number> = { rationale: 12, content: 25.5, products: 0, applicability: 12, capacity: 8, budget: 9 };
  for (const [id, v] of Object.entries(scores)) await page.locator(`#score-${first}-${id}`).fill(String(v));
  // The total follows the scores as typed (the last one too).
  await page.getByTestId(`total-${first}`).filter({ hasText: /^66,5$/ }).waitFor();
  await page.getByText('Bạn cho 0 điểm ở: Sản phẩm.').waitFor();
  await lookAt(page, 'council-ballot-csel-desktop-vi');
  await page.getByRole('button', { name: `Gửi phiếu chấm hồ sơ ${first}` }).click();
  await sheet.waitFor({ state: 'detached' });
  await page.getByTestId('vote-receipt').first().waitFor();
  expect(errors).toEqual([]);
  await ctx.close();
}, 240_000);
