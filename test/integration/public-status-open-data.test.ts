/**
 * Issue 11, public and without sign-in: the status lookup by receipt code and e-mail (a wrong
 * pair answers exactly like an unknown code, and no sooner; a strict limit per IP address), and
 * open data (approved, ongoing and finished tasks; stable fields, licence, date of extraction;
 * no e-mail address, phone, ballot or council member; cached; a bad parameter is a 400).
 */
import { parse as parseCsv } from 'csv-parse/sync';
import type { Caller } from '../../api/auth';
import { OPEN_DATA_FIELDS } from '../../api/routes/open-data';
import { vnDateOf } from '../../workflows/rules/calendar';
import { filedTask, openCallTask } from '../support/fixtures';
import { portfolioState } from '../support/portfolio-fixtures';
import { waitUntil } from '../support/services';
import { sampleProposal, startStack, type Stack } from '../support/stack';

let stack: Stack;
const T = vnDateOf(new Date().toISOString());
const HUONG = 'huong.nt@vien-sinh-hoc.example.vn';
const DUC = { name: 'Lê Văn Đức', email: 'duc.lv@truong-dai-hoc.example.vn' };
const otherManager: Caller = { userId: 'u-manager-long-an', role: 'manager', name: 'Võ Minh Tâm', email: 'tam.vm@skhcn-long-an.example.vn', orgId: 'org-skhcn-long-an', departmentId: 'skhcn-long-an', locale: 'vi' };

beforeAll(async () => {
  stack = await startStack({ env: { RATE_LIMIT_STATUS_MAX: '1000', RATE_LIMIT_PUBLIC_MAX: '1000' } });
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

const lookup = async (body: unknown, o: { lang?: 'vi' | 'en'; base?: string } = {}) => {
  const started = Date.now();
  const res = o.base
    ? await fetch(`${o.base}/api/v1/public/status`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
    : await stack.call('POST', '/api/v1/public/status', { as: null, body, ...(o.lang ? { headers: { 'accept-language': o.lang } } : {}) });
  const text = await res.text();
  return { status: res.status, ms: Date.now() - started, headers: res.headers, body: text ? JSON.parse(text) : undefined } as { status: number; ms: number; headers: Headers; body: any };
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

describe('POST /public/status', () => {
  let taskId: string;

  test('a proposal by its task code and the proposer\'s e-mail: stage, date of the last step, what comes next; typed loosely', async () => {
    taskId = await filedTask(stack);
    const res = await lookup({ code: taskId, email: HUONG });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      code: taskId,
      kind: 'proposal',
      title: sampleProposal().title,
      stage: { code: 'PROPOSED', name: { vi: 'Đề xuất', en: 'Proposed' } },
      lastStepOn: T,
      next: { vi: 'Sở Khoa học và Công nghệ xem xét đề xuất và thành lập hội đồng tư vấn xác định nhiệm vụ.', en: 'The Department reviews the proposal and forms the identification council.' },
    });
    expect(res.headers.get('cache-control')).toBe('no-store');
    // As typed from an e-mail: lower case, spaces, the address in capitals.
    expect((await lookup({ code: `  ${taskId.toLowerCase()} `, email: HUONG.toUpperCase() })).body.code).toBe(taskId);
    // The stage moves on with the task.
    expect((await stack.call('POST', `/api/v1/tasks/${taskId}/start-identification-review`, { as: 'manager' })).status).toBe(200);
    await waitUntil('the read model moved on', async () => (await stack.store.Task.findById(taskId).lean())?.stage === 'IDENTIFICATION_REVIEW');
    expect((await lookup({ code: taskId, email: HUONG })).body.stage.code).toBe('IDENTIFICATION_REVIEW');
  });

  test('a wrong e-mail answers exactly like an unknown code, another Department\'s code too, and no sooner', async () => {
    const wrongEmail = await lookup({ code: taskId, email: DUC.email });
    const unknown = await lookup({ code: 'NV-0000000000ZZZZZZ', email: HUONG });
    const { taskId: theirs } = await (await stack.call('POST', '/api/v1/proposals', { as: otherManager, body: sampleProposal({ proposer: { name: 'Nguyễn Thị Hương', organisation: 'Viện Sinh học Nhiệt đới', email: HUONG } }) })).json() as { taskId: string };
    await waitUntil('their task recorded', async () => Boolean(await stack.store.Task.findById(theirs).lean()));
    const otherDept = await lookup({ code: theirs, email: HUONG });
    const strip = (r: typeof wrongEmail) => ({ status: r.status, type: r.headers.get('content-type'), body: { ...r.body, requestId: undefined } });
    expect(strip(wrongEmail)).toEqual(strip(unknown));
    expect(strip(otherDept)).toEqual(strip(unknown));
    expect(strip(unknown)).toEqual({ status: 404, type: 'application/problem+json; charset=utf-8', body: { type: 'urn:khcn-flow:problem:not-found', title: 'Không tìm thấy', status: 404, instance: '/api/v1/public/status', requestId: undefined } });
    // Timing: every answer waits for the same floor; found or not, the medians stay close.
    const found: number[] = [];
    const missing: number[] = [];
    for (let i = 0; i < 5; i++) {
      found.push((await lookup({ code: taskId, email: HUONG })).ms);
      missing.push((await lookup({ code: taskId, email: DUC.email })).ms);
    }
    expect(Math.min(...found, ...missing)).toBeGreaterThanOrEqual(stack.config.PUBLIC_STATUS_MIN_MS - 5);
    expect(Math.abs(median(found) - median(missing))).toBeLessThan(150);
  });

  test('a dossier by "task code/dossier code" and the PI\'s e-mail (or an account of the applicant organisation): its own state in the call', async () => {
    const callId = await openCallTask(stack);
    const host = { orgId: 'org-truong-dai-hoc', orgName: 'Trường Đại học Tây Ninh', pi: DUC };
    expect((await stack.call('POST', `/api/v1/tasks/${callId}/submit-dossier`, { as: 'otherResearcher', body: { host } })).status).toBe(200);
    await waitUntil('the dossier recorded', async () => ((await stack.store.Task.findById(callId).lean())?.call?.dossiers.length ?? 0) === 1);
    const res = await lookup({ code: `${callId} / hs-1-1`, email: DUC.email }, { lang: 'en' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      code: `${callId}/HS-1-1`,
      kind: 'dossier',
      stage: { code: 'CALL_OPEN', name: { vi: 'Đang thông báo tuyển chọn', en: 'Call open' } },
      lastStepOn: T,
      dossier: { code: 'HS-1-1', submittedOn: T, status: 'received', statusName: { vi: 'Đã nhận, chờ mở hồ sơ', en: 'Received, to be opened' } },
    });
    // The researcher of the other organisation (the proposer, here) learns nothing of this dossier; nor of one that does not exist.
    expect((await lookup({ code: `${callId}/HS-1-1`, email: HUONG })).status).toBe(404);
    expect((await lookup({ code: `${callId}/HS-1-2`, email: DUC.email })).status).toBe(404);
    // The task code alone is the proposal's: the PI of a dossier is not its proposer.
    expect((await lookup({ code: callId, email: DUC.email })).status).toBe(404);
  });

  test('a malformed code or e-mail is a 400 naming the field; the lookup has a strict limit of its own per IP address', async () => {
    const bad = await lookup({ code: 'HS-1-2', email: 'khong-phai-email' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: any) => e.field).sort()).toEqual(['code', 'email']);
    expect((await lookup({ code: taskId, email: HUONG, name: 'x' })).body.errors).toEqual([expect.objectContaining({ field: 'name', code: 'unrecognized_keys' })]);
    const strict = await stack.extraApi({ ...stack.config, RATE_LIMIT_STATUS_MAX: 2 });
    try {
      expect((await lookup({ code: taskId, email: HUONG }, { base: strict.baseUrl })).status).toBe(200);
      expect((await lookup({ code: taskId, email: DUC.email }, { base: strict.baseUrl })).status).toBe(404);
      const limited = await lookup({ code: taskId, email: HUONG }, { base: strict.baseUrl });
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(limited.body.type).toBe('urn:khcn-flow:problem:rate-limited');
      // The other public operations keep their own limit.
      expect((await fetch(`${strict.baseUrl}/api/v1/public/calls`)).status).toBe(200);
    } finally {
      await strict.close();
    }
  });
});

describe('GET /public/open-data', () => {
  const id = (n: number) => `NV-OPENDATA${String(n).padStart(7, '0')}`;
  const host = { orgId: 'org-vien-sinh-hoc', orgName: 'Viện Sinh học Nhiệt đới', pi: { name: 'Nguyễn Thị Hương', email: HUONG } };

  beforeAll(async () => {
    const specs = [
      { taskId: id(1), code: 'OD-01', title: 'Giống lúa chịu mặn', level: 'provincial', form: 'research_topic', stage: 'IN_PROGRESS', host, contract: { startOn: '2025-04-01', endOn: '2027-03-31' }, approval: { approvedOn: '2025-03-15', stateBudget: 1_500_000_000, otherSources: 250_000_000 } },
      { taskId: id(2), code: 'OD-02', title: 'Chế phẩm vi sinh', level: 'grassroots', form: 'pilot_production', stage: 'LIQUIDATED', host, contract: { startOn: '2023-01-01', endOn: '2024-12-31' }, approval: { approvedOn: '2022-12-01', stateBudget: 700_000_000, otherSources: 0 }, certificates: ['GCN-01', 'GCN-02'] },
      { taskId: id(3), code: 'OD-03', title: 'Đề xuất chưa duyệt', level: 'provincial', form: 'research_topic', stage: 'PROPOSED' },
      { taskId: id(4), code: 'OD-04', title: 'Rút trước hợp đồng', level: 'provincial', form: 'research_topic', stage: 'WITHDRAWN', host },
      { taskId: id(5), code: 'OD-05', title: 'Của tỉnh khác', level: 'provincial', form: 'research_topic', stage: 'IN_PROGRESS', host, departmentId: 'skhcn-long-an' },
    ] as const;
    for (const s of specs) await stack.store.upsertTask(portfolioState(s as never));
  });

  test('JSON: approved, ongoing and finished tasks with the open fields, the licence and the date of extraction; no e-mail, phone or council member', async () => {
    const res = await stack.call('GET', '/api/v1/public/open-data', { as: null });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toMatch(/^public, max-age=\d+$/);
    const data: any = await res.json();
    expect(data).toMatchObject({ publisher: stack.config.DEPARTMENT_NAME, licence: { name: expect.stringContaining('CC BY 4.0'), url: 'https://creativecommons.org/licenses/by/4.0/' }, extractedAt: expect.any(String) });
    expect(data.fields.map((f: any) => f.name)).toEqual(OPEN_DATA_FIELDS.map(([n]) => n));
    const mine = data.items.filter((i: any) => i.code.startsWith('OD-'));
    expect(mine).toEqual([
      { code: 'OD-01', title: 'Giống lúa chịu mặn', level: 'provincial', levelName: 'Cấp tỉnh', form: 'research_topic', formName: 'Đề tài', origin: null, hostOrganisation: 'Viện Sinh học Nhiệt đới', principalInvestigator: 'Nguyễn Thị Hương', startDate: '2025-04-01', endDate: '2027-03-31', stateBudgetVnd: 1_500_000_000, stage: 'IN_PROGRESS', stageName: 'Đang thực hiện', resultsRegistered: 0 },
      { code: 'OD-02', title: 'Chế phẩm vi sinh', level: 'grassroots', levelName: 'Cấp cơ sở', form: 'pilot_production', formName: 'Dự án sản xuất thử nghiệm', origin: null, hostOrganisation: 'Viện Sinh học Nhiệt đới', principalInvestigator: 'Nguyễn Thị Hương', startDate: '2023-01-01', endDate: '2024-12-31', stateBudgetVnd: 700_000_000, stage: 'LIQUIDATED', stageName: 'Đã thanh lý hợp đồng', resultsRegistered: 2 },
    ]);
    const text = JSON.stringify(data.items);
    expect(text).not.toMatch(/@/);
    expect(text).not.toMatch(/\+?84[ .]?\d{3}|\b0\d{9}\b/);
    for (const member of ['Phạm Thị Ngọc Ánh', 'u-council-1', 'ballot', 'members']) expect(text).not.toContain(member);
  });

  test('CSV: UTF-8 with BOM, the licence, the date and the publisher as "#" lines, then the same fields and rows; it parses', async () => {
    const res = await stack.call('GET', '/api/v1/public/open-data?format=csv', { as: null });
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="du-lieu-mo-nhiem-vu-khcn-\d{4}-\d{2}-\d{2}\.csv"$/);
    const buf = Buffer.from(await res.arrayBuffer());
    expect([...buf.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = buf.toString('utf8').replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[0]).toMatch(/^# Giấy phép \/ Licence: .*CC BY 4\.0.* https:\/\/creativecommons\.org\/licenses\/by\/4\.0\/$/);
    expect(lines[1]).toMatch(/^# Ngày trích xuất \/ Extracted: \d{4}-\d{2}-\d{2}T/);
    expect(lines[2]).toBe(`# Nguồn / Publisher: ${stack.config.DEPARTMENT_NAME}`);
    const rows = parseCsv(buf, { bom: true, comment: '#', columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0]!)).toEqual(OPEN_DATA_FIELDS.map(([n]) => n));
    expect(rows.find((r) => r.code === 'OD-02')).toMatchObject({ title: 'Chế phẩm vi sinh', stateBudgetVnd: '700000000', resultsRegistered: '2', origin: '', stageName: 'Đã thanh lý hợp đồng' });
    expect(rows.map((r) => r.code)).not.toContain('OD-03');
    expect(buf.toString('utf8')).not.toMatch(/@/);
  });

  test('one extraction is served for a few minutes; a bad query parameter is a 400 naming it', async () => {
    const first: any = await (await stack.call('GET', '/api/v1/public/open-data', { as: null })).json();
    await stack.store.upsertTask(portfolioState({ taskId: id(6), code: 'OD-06', level: 'provincial', form: 'research_topic', stage: 'APPROVED', host, approval: { approvedOn: '2026-01-05', stateBudget: 100_000_000, otherSources: 0 } }));
    const again: any = await (await stack.call('GET', '/api/v1/public/open-data', { as: null })).json();
    expect(again.extractedAt).toBe(first.extractedAt);
    expect(again.items.map((i: any) => i.code)).not.toContain('OD-06');
    const fresh = await stack.extraApi({ ...stack.config, OPEN_DATA_CACHE_SECONDS: 0 });
    try {
      const now: any = await (await fetch(`${fresh.baseUrl}/api/v1/public/open-data`)).json();
      expect(now.items.map((i: any) => i.code)).toContain('OD-06');
    } finally {
      await fresh.close();
    }
    for (const [q, field] of [['format=xlsx', 'format'], ['page=2', 'page'], ['format=csv&q=lua', 'q']] as const) {
      const res = await stack.call('GET', `/api/v1/public/open-data?${q}`, { as: null });
      expect(res.status).toBe(400);
      expect(((await res.json()) as any).errors.map((e: any) => e.field)).toContain(field);
    }
  });
});
