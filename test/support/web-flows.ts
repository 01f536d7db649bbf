/**
 * What a person does in the pages, for the browser tests: sign in as a user of the store
 * (with the development password), look at a page (screenshot and axe), and reach a task
 * or council state through the API where the test is about a later page.
 */
import type { Page } from 'playwright-core';
import type { Caller } from '../../api/auth';
import { DEV_PASSWORD, upsertUser } from '../../scripts/dev-users';
import { addDays } from '../../workflows/rules/calendar';
import { seriousA11yViolations, screenshot } from './browser';
import { waitUntil } from './services';
import { orderListedTask, paperSitting } from './fixtures';
import type { Stack, Who } from './stack';

// Page callbacks run in the browser: `document` and `window` there are the page's (the tests'
// own code has Node's types, not the DOM's, so that fetch and Buffer keep theirs).
declare const document: any;
declare const window: any;

/** A user who can sign in through the page (the development password, cheap hashing for tests). */
export async function userWithPassword(stack: Stack, user: Caller): Promise<Caller> {
  await upsertUser(stack.store, user, { password: DEV_PASSWORD, cost: 4 });
  return user;
}

/**
 * Signs in through the page, then makes the page's language `lang` (Vietnamese unless told):
 * a user's language is stored on their record and follows them, so each test sets the one it reads.
 */
export async function signIn(page: Page, email: string, opts: { path?: string; lang?: 'vi' | 'en' } = {}): Promise<void> {
  await page.goto(opts.path ?? '/sign-in');
  if (!page.url().includes('/sign-in')) await page.waitForURL(/\/sign-in/);
  const en = (await page.evaluate(() => document.documentElement.lang)) === 'en';
  await page.getByLabel(en ? 'E-mail address' : 'Thư điện tử').fill(email);
  await page.getByLabel(en ? 'Password' : 'Mật khẩu').fill(DEV_PASSWORD);
  await page.getByRole('button', { name: en ? 'Sign in' : 'Đăng nhập' }).last().click();
  await page.waitForURL((u) => !u.pathname.startsWith('/sign-in'));
  await chooseLanguage(page, opts.lang ?? 'vi');
}

/** A page as its user sees it: a screenshot to look at, and no serious or critical axe violation. */
export async function lookAt(page: Page, name: string): Promise<void> {
  await screenshot(page, name);
  const violations = await seriousA11yViolations(page);
  if (violations.length) throw new Error(`${name}: accessibility violations ${JSON.stringify(violations, null, 2)}`);
}

export async function apiOk(stack: Stack, method: string, path: string, as: Who | Caller, body?: unknown): Promise<any> {
  const res = await stack.call(method, `/api/v1${path}`, { as, ...(body !== undefined ? { body } : {}) });
  const json = res.status === 204 ? null : await res.json();
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

export const today = () => new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);

/** A filed proposal, recorded in the read model with its proposal form. */
export async function filed(stack: Stack, proposal: Record<string, unknown>, as: Who | Caller = 'researcher'): Promise<string> {
  const { taskId } = await apiOk(stack, 'POST', '/proposals', as, proposal);
  await waitUntil('intake', async () => ((await stack.store.Task.findById(taskId).lean())?.documents.length ?? 0) >= 1);
  return taskId;
}

/** A task on the approved order list (L-3), through identification. */
export async function taskOnOrderList(stack: Stack, proposal: Record<string, unknown>): Promise<string> {
  const taskId = await filed(stack, proposal);
  // Issue 13: identification through a paper sitting's ballots and the tally.
  await orderListedTask(stack, taskId);
  return taskId;
}

/** A task whose call is open (L-4), through identification and the order list. */
export async function taskWithOpenCall(stack: Stack, proposal: Record<string, unknown>): Promise<string> {
  const taskId = await taskOnOrderList(stack, proposal);
  await apiOk(stack, 'POST', `/tasks/${taskId}/open-call`, 'manager', { closesOn: addDays(today(), 40) });
  await waitUntil('call open in the read model', async () => (await stack.store.Task.findById(taskId).lean())?.stage === 'CALL_OPEN');
  return taskId;
}

/** Council members who can sign in: prefix-1 … prefix-n. */
export async function councilMembers(stack: Stack, prefix: string, names: string[]): Promise<Caller[]> {
  const out: Caller[] = [];
  for (const [i, name] of names.entries()) {
    out.push(
      await userWithPassword(stack, {
        userId: `${prefix}-${i + 1}`,
        role: 'council_member',
        name,
        email: `${prefix}${i + 1}@hoidong.example.vn`,
        orgId: 'org-hoi-dong',
        departmentId: stack.config.DEPARTMENT_ID,
        locale: 'vi',
      }),
    );
  }
  return out;
}

const ROLES = ['chair', 'vice_chair', 'reviewer', 'reviewer', 'member', 'member', 'member', 'member', 'member'] as const;

/** An identification council (C-ID) formed on a filed task; returns its ID once its read model exists. */
export async function identificationCouncil(stack: Stack, taskId: string, members: Caller[], ballot: 'open' | 'secret' = 'secret', voting: 'online' | 'paper' = 'online'): Promise<string> {
  await apiOk(stack, 'POST', `/tasks/${taskId}/start-identification-review`, 'manager', {});
  await apiOk(stack, 'POST', `/tasks/${taskId}/form-council`, 'manager', {
    kind: 'C-ID',
    members: members.map((m, i) => ({ memberId: m.userId, name: m.name, email: m.email, role: ROLES[i] })),
    meetingOn: today(),
    votingDeadline: new Date(Date.now() + 3 * 86_400_000).toISOString(),
    ballot,
    ...(voting === 'paper' ? { voting } : {}),
  });
  const councilId = `council-${taskId}-C-ID-1`;
  await waitUntil('council read model', async () => (await stack.store.Council.countDocuments({ _id: councilId })) === 1);
  return councilId;
}

/** Presses Tab until the element is focused (a keyboard-only user reaching a control). */
export async function tabTo(page: Page, selector: string, max = 80): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
  }
  throw new Error(`${selector} was not reached with Tab`);
}

/** Switches the page's language with the header's control (saved on the signed-in user). */
export async function chooseLanguage(page: Page, lang: 'vi' | 'en'): Promise<void> {
  await page.getByTitle(lang === 'en' ? 'English' : 'Tiếng Việt').click();
  await page.waitForFunction((l) => document.documentElement.lang === l, lang);
}

const HOST_OF = (stack: Stack) => ({ orgId: stack.users.researcher.orgId, orgName: 'Viện Sinh học Nhiệt đới', pi: { name: 'Nguyễn Thị Hương', email: 'huong.nt@vien-sinh-hoc.example.vn' } });

/** A task under way (L-12): directly assigned to the researcher's organisation, approved, signed by both parties, first money disbursed. */
export async function taskInProgress(stack: Stack, proposal: Record<string, unknown>): Promise<string> {
  const taskId = await taskOnOrderList(stack, proposal);
  await apiOk(stack, 'POST', `/tasks/${taskId}/assign-officer`, 'manager', { officer: { userId: stack.users.manager.userId, name: stack.users.manager.name, email: stack.users.manager.email } });
  await apiOk(stack, 'POST', `/tasks/${taskId}/assign-directly`, 'manager', { host: HOST_OF(stack) });
  await paperSitting(stack, taskId, { kind: 'C-SEL', winner: 'HS-GTT' });
  await apiOk(stack, 'POST', `/tasks/${taskId}/submit-revised-proposal`, 'researcher', {});
  await apiOk(stack, 'POST', `/tasks/${taskId}/record-budget-appraisal`, 'manager', { requested: 1_750_000_000, appraisedState: 1_500_000_000, appraisedOther: 250_000_000 });
  await apiOk(stack, 'POST', `/tasks/${taskId}/approve-task`, 'manager', { durationMonths: 24, fundingMode: 'partial_lump_sum', stateBudget: 1_500_000_000, otherSources: 250_000_000, products: ['02 giống lúa chịu mặn được công nhận', 'Quy trình kỹ thuật canh tác'] });
  await apiOk(stack, 'POST', `/tasks/${taskId}/sign-contract`, 'researcher', {});
  await apiOk(stack, 'POST', `/tasks/${taskId}/sign-contract`, 'manager', {});
  await apiOk(stack, 'POST', `/tasks/${taskId}/record-disbursement`, 'manager', { amount: 600_000_000 });
  await waitUntil('in progress in the read model', async () => (await stack.store.Task.findById(taskId).lean())?.stage === 'IN_PROGRESS');
  return taskId;
}

/** An acceptance council (C-ACC) formed on a task under way, after its dossier was filed and found complete. */
export async function acceptanceCouncil(stack: Stack, taskId: string, members: Caller[]): Promise<string> {
  await apiOk(stack, 'POST', `/tasks/${taskId}/start-self-evaluation`, 'researcher', {});
  await apiOk(stack, 'POST', `/tasks/${taskId}/submit-acceptance-dossier`, 'researcher', { fundsSpent: 550_000_000, documents: ['Báo cáo tổng hợp kết quả', 'Báo cáo sử dụng kinh phí'] });
  await apiOk(stack, 'POST', `/tasks/${taskId}/check-acceptance-dossier`, 'manager', { complete: true });
  await apiOk(stack, 'POST', `/tasks/${taskId}/form-acceptance-council`, 'manager', { meetingOn: addDays(today(), 10) });
  await apiOk(stack, 'POST', `/tasks/${taskId}/form-council`, 'manager', {
    kind: 'C-ACC',
    members: members.map((m, i) => ({ memberId: m.userId, name: m.name, email: m.email, role: ROLES[i] })),
    meetingOn: today(),
    votingDeadline: new Date(Date.now() + 10 * 86_400_000).toISOString(),
    ballot: 'secret',
  });
  const councilId = `council-${taskId}-C-ACC-1`;
  await waitUntil('council read model', async () => (await stack.store.Council.countDocuments({ _id: councilId })) === 1);
  return councilId;
}
