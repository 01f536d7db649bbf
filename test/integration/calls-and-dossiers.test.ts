/**
 * Issue 10 on the real stack: the public open calls (no sign-in, public fields only); a
 * researcher of another organisation applies from a browser session, sees their dossier code
 * and gets the receipt by e-mail in their language, but never another applicant's dossier;
 * the Department sees every dossier; council members see what they judge only after declaring
 * no conflict (C-6); every e-mail links to a page, never to the API.
 */
import type { ParsedMail } from 'mailparser';
import type { Caller } from '../../api/auth';
import { upsertUser } from '../../scripts/dev-users';
import { addDays } from '../../workflows/rules/calendar';
import { CookieClient } from '../support/cookie-client';
import { closedTask, filedTask, MEMBER_NAMES, openCallTask, orderListedTask, paperSitting } from '../support/fixtures';
import { waitUntil } from '../support/services';
import { sampleProposal, startStack, type Stack, type Who } from '../support/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

const today = () => new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);
async function ok(taskId: string, path: string, as: Who | Caller, body: unknown = {}): Promise<any> {
  const res = await stack.call('POST', `/api/v1/tasks/${taskId}/${path}`, { as, body });
  const json: any = await res.json();
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}
const get = async (path: string, as: Who | Caller | null) => {
  const res = await stack.call('GET', path, { as });
  return { status: res.status, body: (await res.json()) as any };
};
const mailText = (m: ParsedMail) => `${m.subject}\n${m.text}\n${typeof m.html === 'string' ? m.html : ''}`;

/** A researcher of a third organisation of the Department. */
const binhOf = (s: Stack): Caller => ({ userId: 'u-researcher-binh', role: 'researcher', name: 'Trần Văn Bình', email: 'binh.tv@cong-ty-xanh.example.vn', orgId: 'org-cong-ty-xanh', departmentId: s.config.DEPARTMENT_ID, locale: 'vi' });

describe('public calls (no sign-in)', () => {
  test('only the Department\'s open calls, with public fields only; a closed, unopened, unknown or foreign task\'s call is a 404', async () => {
    const open = await openCallTask(stack, { title: 'Ứng dụng IoT giám sát chất lượng nước nuôi tôm' });
    const proposed = await filedTask(stack, { title: 'Đề xuất chưa được xét' });
    const closed = await closedTask(stack);
    // Another Department's open call (its own manager files and opens it).
    const longAn: Caller = { userId: 'u-manager-long-an', role: 'manager', name: 'Võ Minh Tâm', email: 'tam.vm@skhcn-long-an.example.vn', orgId: 'org-skhcn-long-an', departmentId: 'skhcn-long-an', locale: 'vi' };
    const created: any = await (await stack.call('POST', '/api/v1/proposals', { as: longAn, body: sampleProposal({ title: 'Nhiệm vụ của Sở Long An' }) })).json();
    const foreign = created.taskId as string;
    await waitUntil('foreign intake', async () => ((await stack.store.Task.findById(foreign).lean())?.documents.length ?? 0) === 1);
    await orderListedTask(stack, foreign, longAn);
    await ok(foreign, 'open-call', longAn, { closesOn: addDays(today(), 35) });
    await waitUntil('foreign call open', async () => (await stack.store.Task.findById(foreign).lean())?.stage === 'CALL_OPEN');

    const list = await get('/api/v1/public/calls', null);
    expect(list.status).toBe(200);
    const ids = list.body.items.map((c: { taskId: string }) => c.taskId);
    expect(ids).toContain(open);
    for (const other of [proposed, closed, foreign]) expect(ids).not.toContain(other);
    const call = list.body.items.find((c: { taskId: string }) => c.taskId === open);
    const proposal = sampleProposal();
    expect(call).toEqual({
      taskId: open,
      title: 'Ứng dụng IoT giám sát chất lượng nước nuôi tôm',
      objectives: proposal.objectives,
      expectedProducts: proposal.expectedProducts,
      level: 'provincial',
      form: 'research_topic',
      durationMonths: 24,
      budgetCeiling: { stateBudget: 1_500_000_000, otherSources: 250_000_000 },
      opensOn: today(),
      closesOn: addDays(today(), 40),
      round: 1,
      departmentName: 'Sở Khoa học và Công nghệ tỉnh Tây Ninh',
    });
    // No e-mail address, phone or person anywhere in the answer.
    const text = JSON.stringify(list.body);
    expect(text).not.toContain('@');
    expect(text).not.toContain('912 345 678');
    expect(text).not.toContain('Nguyễn Thị Hương');

    const one = await get(`/api/v1/public/calls/${open}`, null);
    expect(one).toEqual({ status: 200, body: call });
    // Signed in or not, the same.
    expect((await get(`/api/v1/public/calls/${open}`, 'councilMember')).body).toEqual(call);
    for (const id of [proposed, closed, foreign, 'NV-0000000000ABCDEF']) {
      const res = await stack.call('GET', `/api/v1/public/calls/${id}`, { as: null });
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    }
    const bad = await stack.call('GET', '/api/v1/public/calls/khong-phai-ma', { as: null, headers: { 'accept-language': 'en' } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as any).errors[0].field).toBe('taskId');
  });

  test('their own limit per IP address: 429 with Retry-After, for the signed-in too', async () => {
    const api = await stack.extraApi({ RATE_LIMIT_PUBLIC_MAX: 3, RATE_LIMIT_PUBLIC_WINDOW_MS: 60_000 });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await fetch(`${api.baseUrl}/api/v1/public/calls`)).status);
      expect(statuses).toEqual([200, 200, 200, 429]);
      const limited = await fetch(`${api.baseUrl}/api/v1/public/calls`, { headers: { authorization: `Bearer ${await stack.token('manager')}` } });
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toBeTruthy();
      // The rest of the API is not counted against it.
      expect((await fetch(`${api.baseUrl}/api/v1/tasks`, { headers: { authorization: `Bearer ${await stack.token('manager')}` } })).status).toBe(200);
    } finally {
      await api.close();
    }
  });
});

describe('applying to an open call (L-5)', () => {
  test('another organisation\'s researcher applies from the browser, sees their dossier code and gets the receipt; applicants never see each other; the Department sees all', async () => {
    const taskId = await openCallTask(stack, { title: 'Nghiên cứu quy trình sản xuất phân bón hữu cơ vi sinh từ bã mía' });
    const duc = stack.users.otherResearcher; // locale 'en' in the users collection
    const binh = binhOf(stack);
    await upsertUser(stack.store, binh, { orgName: 'Công ty TNHH Nông nghiệp Xanh' });
    const ducHost = { orgId: duc.orgId, orgName: 'Trường Đại học Tây Ninh', pi: { name: duc.name, email: duc.email } };
    const binhHost = { orgId: binh.orgId, orgName: 'Công ty TNHH Nông nghiệp Xanh', pi: { name: 'Đinh Thị Thuỷ', email: 'thuy.dt@cong-ty-xanh.example.vn' } };

    // Đức reads the call without signing in, then signs in and applies for his own organisation.
    expect((await get(`/api/v1/public/calls/${taskId}`, null)).status).toBe(200);
    const browser = new CookieClient(stack.baseUrl);
    expect((await browser.signIn(duc.email, stack.password)).status).toBe(201);
    // Before applying, the task itself is not his to read.
    expect((await browser.request('GET', `/api/v1/tasks/${taskId}`)).status).toBe(404);
    // Applying for another organisation is refused (L-5) and records nothing.
    const forOther = await browser.request('POST', `/api/v1/tasks/${taskId}/submit-dossier`, { body: { host: binhHost } });
    expect(forOther.status).toBe(403);
    const applied = await browser.request('POST', `/api/v1/tasks/${taskId}/submit-dossier`, { body: { host: ducHost } });
    expect(applied.status).toBe(200);
    const mine: any = await applied.json();
    expect(mine.call).toEqual({ opensOn: today(), closesOn: addDays(today(), 40), round: 1, dossiers: [{ dossierId: 'HS-1-1', host: ducHost, submittedAt: expect.any(String) }] });

    // Bình applies for his company by bearer token.
    const second: any = await ok(taskId, 'submit-dossier', binh, { host: binhHost });
    expect(second.call.dossiers).toEqual([{ dossierId: 'HS-1-2', host: binhHost, submittedAt: expect.any(String) }]);
    await waitUntil('both dossiers in the read model', async () => ((await stack.store.Task.findById(taskId).lean())?.call?.dossiers.length ?? 0) === 2);

    // Each applicant sees only their own dossier; nothing of the other one anywhere in the task.
    const ducView = await browser.request('GET', `/api/v1/tasks/${taskId}`);
    expect(ducView.status).toBe(200);
    const ducText = await ducView.text();
    expect(JSON.parse(ducText).call.dossiers.map((d: { dossierId: string }) => d.dossierId)).toEqual(['HS-1-1']);
    for (const secret of ['HS-1-2', binhHost.orgName, binhHost.orgId, binhHost.pi.email, binhHost.pi.name]) expect(ducText).not.toContain(secret);
    const binhView = await get(`/api/v1/tasks/${taskId}`, binh);
    expect(binhView.body.call.dossiers.map((d: { dossierId: string }) => d.dossierId)).toEqual(['HS-1-2']);
    expect(JSON.stringify(binhView.body)).not.toContain(duc.email);
    // The proposer's organisation did not apply: it sees the call, no dossier.
    const proposerView = (await get(`/api/v1/tasks/${taskId}`, 'researcher')).body;
    expect(proposerView.call.dossiers).toEqual([]);
    // Applying is offered only to an organisation that has not applied yet (the workflow takes one dossier each).
    const offered = (view: { allowedActions: { command: string }[] }) => view.allowedActions.map((a) => a.command).includes('submitDossier');
    expect(offered(proposerView)).toBe(true);
    expect(offered(JSON.parse(ducText))).toBe(false);
    expect(offered(binhView.body)).toBe(false);
    // The Department sees every dossier, with its applicant and code.
    const managerView = await get(`/api/v1/tasks/${taskId}`, 'manager');
    expect(managerView.body.call.dossiers.map((d: { dossierId: string; host: { orgName: string } }) => [d.dossierId, d.host.orgName])).toEqual([
      ['HS-1-1', 'Trường Đại học Tây Ninh'],
      ['HS-1-2', 'Công ty TNHH Nông nghiệp Xanh'],
    ]);

    // The receipts: Đức's in English (his language), Bình's and his PI's in Vietnamese; each only their own.
    await stack.smtp.waitFor(() => stack.smtp.to(duc.email).some((m) => m.subject?.includes('HS-1-1')) && stack.smtp.to(binh.email).some((m) => m.subject?.includes('HS-1-2')) && stack.smtp.to(binhHost.pi.email).length > 0);
    const [ducReceipt] = stack.smtp.to(duc.email).filter((m) => m.subject?.includes('HS-1-1'));
    expect(ducReceipt!.subject).toBe(`[KHCN Flow] Application dossier HS-1-1 received — ${taskId}`);
    expect(ducReceipt!.text).toContain('The Department received the application dossier of Trường Đại học Tây Ninh (PI: Lê Văn Đức)');
    expect(ducReceipt!.text).toContain('Dossier code: HS-1-1.');
    expect(ducReceipt!.text).toContain(`${stack.config.PUBLIC_BASE_URL}/tasks/${taskId}`);
    const [binhReceipt] = stack.smtp.to(binh.email).filter((m) => m.subject?.includes('HS-1-2'));
    expect(binhReceipt!.subject).toBe(`[KHCN Flow] Xác nhận đã nhận hồ sơ đăng ký tuyển chọn HS-1-2 — ${taskId}`);
    expect(binhReceipt!.text).toContain('Mã hồ sơ: HS-1-2.');
    expect(binhReceipt!.text).toContain('Công ty TNHH Nông nghiệp Xanh (chủ nhiệm: Đinh Thị Thuỷ)');
    expect(stack.smtp.to(binhHost.pi.email).map((m) => m.subject)).toEqual([binhReceipt!.subject]);
    expect(stack.smtp.to(duc.email).filter((m) => m.subject?.includes('HS-1-2'))).toEqual([]);
    expect(stack.smtp.to(binh.email).filter((m) => m.subject?.includes('HS-1-1'))).toEqual([]);
    // Nor did the proposer hear of either dossier.
    expect(stack.smtp.to(stack.users.researcher.email).filter((m) => /HS-1-\d/.test(mailText(m)))).toEqual([]);
    for (const m of [ducReceipt!, binhReceipt!]) expect(mailText(m)).not.toContain('/api/v1/');
  });
});

describe('the dossier a council judges (C-6)', () => {
  const ROLES = ['chair', 'vice_chair', 'reviewer', 'reviewer', 'member', 'member', 'member'] as const;
  const membersOf = (prefix: string): Caller[] =>
    MEMBER_NAMES.map((name, i) => ({ userId: `${prefix}-${i + 1}`, role: 'council_member', name, email: `${prefix}${i + 1}@hoidong.example.vn`, orgId: 'org-hoi-dong', departmentId: stack.config.DEPARTMENT_ID, locale: 'vi' }));
  const seats = (ms: Caller[]) => ms.map((m, i) => ({ memberId: m.userId, name: m.name, email: m.email, role: ROLES[i] }));
  const form = async (taskId: string, kind: string, members: Caller[], extra: Record<string, unknown> = {}) => {
    await ok(taskId, 'form-council', 'manager', { kind, members: seats(members), meetingOn: today(), votingDeadline: new Date(Date.now() + 3 * 86_400_000).toISOString(), ballot: 'secret', ...extra });
    const councilId = `council-${taskId}-${kind}-1`;
    await waitUntil('council read model', async () => (await stack.store.Council.countDocuments({ _id: councilId })) === 1);
    return councilId;
  };
  const host = { orgId: 'org-truong-dai-hoc', orgName: 'Trường Đại học Tây Ninh', pi: { name: 'Lê Văn Đức', email: 'duc.lv@truong-dai-hoc.example.vn' } };
  const toDirectAssignment = async (taskId: string) => {
    await orderListedTask(stack, taskId);
    await ok(taskId, 'assign-directly', 'manager', { host });
  };

  test('C-ID: the proposal, never before the member declared no conflict, never for a conflicted member; the Department sees it; invitations link to the council\'s page', async () => {
    const taskId = await filedTask(stack, { title: 'Đánh giá hiện trạng xâm nhập mặn vùng hạ lưu sông Vàm Cỏ' });
    await ok(taskId, 'start-identification-review', 'manager');
    const members = membersOf('cid');
    const councilId = await form(taskId, 'C-ID', members);
    const path = `/api/v1/councils/${councilId}`;

    const undeclared = await get(path, members[0]!);
    expect(undeclared.body.access).toBe('undeclared');
    expect(undeclared.body).not.toHaveProperty('dossier');
    const conflicted: any = await (await stack.call('POST', `${path}/conflict-declarations`, { as: members[6]!, body: { conflicted: true, reason: 'Cùng cơ quan với người đề xuất' } })).json();
    expect(conflicted.access).toBe('conflicted');
    expect(conflicted).not.toHaveProperty('dossier');
    expect((await get(path, members[6]!)).body).not.toHaveProperty('dossier');

    // Declaring no conflict opens the dossier, in the declaration's answer already.
    const declared: any = await (await stack.call('POST', `${path}/conflict-declarations`, { as: members[0]!, body: { conflicted: false } })).json();
    expect(declared.access).toBe('full');
    const { proposer, ...proposal } = sampleProposal({ title: 'Đánh giá hiện trạng xâm nhập mặn vùng hạ lưu sông Vàm Cỏ' }) as any;
    const expected = {
      task: { taskId, title: proposal.title, level: 'provincial', form: 'research_topic', proposal: { ...proposal, proposer: { name: proposer.name, organisation: proposer.organisation } } },
      items: [{ itemId: 'proposal', label: proposal.title, files: [] }],
    };
    expect(declared.dossier).toEqual(expected);
    const after = await get(path, members[0]!);
    expect(after.body.dossier).toEqual(expected);
    const text = JSON.stringify(after.body.dossier);
    expect(text).not.toContain(proposer.email);
    expect(text).not.toContain(proposer.phone);
    expect((await get(path, 'manager')).body.dossier).toEqual(expected);
    // Still nothing for the one who has not declared, nor in the list of one's councils.
    expect((await get(path, members[1]!)).body).not.toHaveProperty('dossier');
    expect((await get('/api/v1/councils/mine', members[0]!)).body.items[0]).not.toHaveProperty('dossier');

    // The invitation links to the council's page.
    await stack.smtp.waitFor(() => stack.smtp.to(members[0]!.email).length >= 1);
    const invitation = mailText(stack.smtp.to(members[0]!.email)[0]!);
    expect(invitation).toContain(`${stack.config.PUBLIC_BASE_URL}/councils/${councilId}`);
    expect(invitation).not.toContain('/api/v1/');
    // So does the acknowledgement of the proposal, to the task's page.
    const ack = stack.smtp.to(stack.users.researcher.email).filter((m) => m.text?.includes(taskId));
    expect(ack.length).toBeGreaterThan(0);
    for (const m of ack) {
      expect(mailText(m)).toContain(`${stack.config.PUBLIC_BASE_URL}/tasks/${taskId}`);
      expect(mailText(m)).not.toContain('/api/v1/');
    }
  });

  test('C-SEL: each dossier of the sitting with its applicant (a direct assignment: HS-GTT), without contact details', async () => {
    const taskId = await filedTask(stack, { title: 'Xây dựng mô hình nuôi tôm thẻ chân trắng tuần hoàn' });
    await toDirectAssignment(taskId);
    const members = membersOf('sel');
    const councilId = await form(taskId, 'C-SEL', members);
    const view = await get(`/api/v1/councils/${councilId}`, 'manager');
    expect(view.body.dossier.items).toEqual([{ itemId: 'HS-GTT', label: 'HS-GTT — Trường Đại học Tây Ninh', host: { orgId: host.orgId, orgName: host.orgName, pi: { name: 'Lê Văn Đức' } }, files: [] }]);
    expect(view.body.dossier).not.toHaveProperty('products');
    expect(JSON.stringify(view.body.dossier)).not.toContain('@');
    expect((await get(`/api/v1/councils/${councilId}`, members[2]!)).body).not.toHaveProperty('dossier');
  });

  test('C-ACC: the acceptance dossier and the approved products as P1…Pn in approval order', async () => {
    const taskId = await filedTask(stack, { title: 'Hoàn thiện quy trình nhân giống chuối cấy mô' });
    await toDirectAssignment(taskId);
    await paperSitting(stack, taskId, { kind: 'C-SEL', winner: 'HS-GTT' });
    await ok(taskId, 'submit-revised-proposal', 'otherResearcher');
    await ok(taskId, 'record-budget-appraisal', 'manager', { requested: 1_750_000_000, appraisedState: 1_500_000_000, appraisedOther: 250_000_000 });
    const products = ['Quy trình nhân giống chuối cấy mô', '50.000 cây giống chuối sạch bệnh', 'Bài báo khoa học (≥ 2)'];
    await ok(taskId, 'approve-task', 'manager', { durationMonths: 12, fundingMode: 'full_lump_sum', stateBudget: 1_500_000_000, otherSources: 250_000_000, products });
    await ok(taskId, 'sign-contract', 'otherResearcher');
    await ok(taskId, 'sign-contract', 'manager');
    await ok(taskId, 'record-disbursement', 'manager', { amount: 1_000_000_000 });
    await ok(taskId, 'start-self-evaluation', 'otherResearcher');
    await ok(taskId, 'submit-acceptance-dossier', 'otherResearcher', { fundsSpent: 950_000_000, documents: ['Báo cáo tổng hợp kết quả', 'Báo cáo sử dụng kinh phí'] });
    await ok(taskId, 'check-acceptance-dossier', 'manager', { complete: true });
    await ok(taskId, 'form-acceptance-council', 'manager', { meetingOn: addDays(today(), 10) });
    const members = membersOf('acc');
    const councilId = await form(taskId, 'C-ACC', members);
    const chair = members[0]!;
    expect((await get(`/api/v1/councils/${councilId}`, chair)).body).not.toHaveProperty('dossier');
    await stack.call('POST', `/api/v1/councils/${councilId}/conflict-declarations`, { as: chair, body: { conflicted: false } });
    const { dossier } = (await get(`/api/v1/councils/${councilId}`, chair)).body;
    expect(dossier.products).toEqual([
      { productId: 'P1', name: products[0] },
      { productId: 'P2', name: products[1] },
      { productId: 'P3', name: products[2] },
    ]);
    expect(dossier.items).toEqual([{ itemId: 'acceptance-dossier', label: 'Hồ sơ đánh giá nghiệm thu — Trường Đại học Tây Ninh', host: { orgId: host.orgId, orgName: host.orgName, pi: { name: 'Lê Văn Đức' } }, files: [] }]);
    expect(dossier.task.approval).toEqual({ durationMonths: 12, fundingMode: 'full_lump_sum', approvedOn: today(), products });
    expect(JSON.stringify(dossier)).not.toContain('@');
  });
});
