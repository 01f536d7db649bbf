/**
 * GET /api/v1/tasks: "my tasks" for researchers (their organisation's, as
 * proposer, host or applicant) and the portfolio for the Department's managers,
 * with filters, sorts and cursor pagination over the `tasks` read model on
 * FerretDB (each filter and sort backed by an index). Tasks are written straight
 * into the read model, as the workflow's recordTask activity would.
 */
import type { Caller } from '../../api/auth';
import { initialState } from '../../workflows/lifecycle-state';
import type { Obligation, TaskLifecycleInput, TaskStage, TaskState } from '../../workflows/definitions';
import { sampleProposal, startStack, type Stack } from '../support/stack';

let stack: Stack;
let seq = 0;
const otherManager: Caller = { userId: 'u-manager-long-an', role: 'manager', name: 'Võ Minh Tâm', email: 'tam.vm@skhcn-long-an.example.vn', orgId: 'org-skhcn-long-an', departmentId: 'skhcn-long-an', locale: 'vi' };

function obligation(dueOn: string, status: Obligation['status'] = 'OPEN'): Obligation {
  return { id: `o-${dueOn}`, kind: 'progress_report', rule: 'L-13', deliverable: { vi: 'Báo cáo định kỳ', en: 'Progress report' }, assignee: 'host', assigneeName: 'Chủ nhiệm', dueOn, status, pausable: true, reminded: false, escalated: false };
}

interface Spec {
  title: string;
  stage?: TaskStage;
  level?: string;
  form?: string;
  ownerOrg?: string;
  host?: { orgId: string; orgName: string };
  applicants?: string[];
  assignment?: 'competitive_selection' | 'direct_assignment';
  obligations?: Obligation[];
  officer?: string;
  departmentId?: string;
  submittedAt?: string;
}

/** Writes a task's read model as the recordTask activity would. */
async function task(spec: Spec): Promise<string> {
  seq += 1;
  const taskId = `NV-LIST${String(seq).padStart(12, '0')}`;
  const input: TaskLifecycleInput = {
    taskId,
    departmentId: spec.departmentId ?? stack.config.DEPARTMENT_ID,
    departmentName: 'Sở KH&CN',
    place: 'Tây Ninh',
    publicBaseUrl: 'http://127.0.0.1:3000',
    ruleSet: { regime: 'LEGACY_2013', provinceProfile: 'tay-ninh', version: '2026.1' },
    proposal: sampleProposal({ title: spec.title, level: spec.level ?? 'provincial', form: spec.form ?? 'research_topic' }) as TaskLifecycleInput['proposal'],
    submittedBy: { userId: 'u-x', role: 'researcher', name: 'Người đề xuất', email: 'x@example.vn', orgId: spec.ownerOrg ?? 'org-vien-sinh-hoc', locale: 'vi' },
    submittedAt: spec.submittedAt ?? new Date(Date.UTC(2026, 0, 1) + seq * 3_600_000).toISOString(),
  };
  const state: TaskState = {
    ...initialState(input, `task-${taskId}`),
    stage: spec.stage ?? 'PROPOSED',
    ...(spec.host ? { host: { ...spec.host, pi: { name: 'Chủ nhiệm', email: 'pi@example.vn' } } } : {}),
    ...(spec.applicants ? { call: { opensOn: '2026-03-01', closesOn: '2026-04-15', round: 1, dossiers: spec.applicants.map((orgId, i) => ({ dossierId: `HS-${i + 1}`, host: { orgId, orgName: orgId, pi: { name: 'PI', email: 'pi@example.vn' } }, submittedAt: '2026-03-10T00:00:00Z' })) } } : {}),
    ...(spec.assignment ? { assignment: spec.assignment } : {}),
    ...(spec.officer ? { accountableOfficer: { userId: spec.officer, name: 'Cán bộ', email: 'cb@skhcn.example.vn' } } : {}),
    obligations: spec.obligations ?? [],
  };
  expect(await stack.store.upsertTask(state)).toBe(true);
  return taskId;
}

async function list(query: string, as: Caller | 'researcher' | 'otherResearcher' | 'manager' | 'admin' | 'councilMember' = 'manager') {
  const res = await stack.call('GET', `/api/v1/tasks${query ? `?${query}` : ''}`, { as });
  const body: any = await res.json();
  return { status: res.status, body, ids: (body.items ?? []).map((t: { taskId: string }) => t.taskId) as string[] };
}

/** Every page of a query, following nextCursor. */
async function all(query: string, limit: number, as: Caller | 'manager' = 'manager'): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 100; pages++) {
    const page = await list(`${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`, as);
    expect(page.status).toBe(200);
    expect(page.body.items.length).toBeLessThanOrEqual(limit);
    ids.push(...page.ids);
    cursor = page.body.nextCursor;
    if (!cursor) return ids;
  }
  throw new Error('too many pages');
}

const ids: Record<string, string> = {};
beforeAll(async () => {
  stack = await startStack({ inProcessWorker: false });
  ids.rice = await task({ title: 'Nghiên cứu chọn tạo giống lúa chịu mặn', stage: 'IN_PROGRESS', assignment: 'direct_assignment', host: { orgId: 'org-vien-sinh-hoc', orgName: 'Viện Sinh học Nhiệt đới' }, obligations: [obligation('2026-07-01')], officer: 'u-manager-1' });
  ids.iot = await task({ title: 'Ứng dụng IoT giám sát nước nuôi tôm', stage: 'IN_PROGRESS', form: 'st_project', ownerOrg: 'org-truong-dai-hoc', host: { orgId: 'org-truong-dai-hoc', orgName: 'Trường Đại học Tây Ninh' }, assignment: 'competitive_selection', obligations: [obligation('2026-05-01', 'OVERDUE'), obligation('2026-09-01')] });
  ids.policy = await task({ title: 'Đề án chuyển đổi số nông nghiệp', stage: 'CALL_OPEN', form: 'policy_study', level: 'grassroots', ownerOrg: 'org-so-nong-nghiep', applicants: ['org-truong-dai-hoc'], obligations: [obligation('2026-04-15')] });
  ids.archive = await task({ title: 'Bảo tồn nguồn gen cây dược liệu', stage: 'ARCHIVED', ownerOrg: 'org-so-nong-nghiep' });
  ids.banana = await task({ title: 'an toàn sinh học chuối Tây Ninh', stage: 'PROPOSED' });
  ids.elsewhere = await task({ title: 'Nghiên cứu giống lúa ở Long An', departmentId: 'skhcn-long-an', ownerOrg: 'org-long-an' });
});
afterAll(async () => {
  await stack?.stop();
});

describe('scope', () => {
  test('a researcher sees their organisation\'s tasks: as proposer, host or applicant', async () => {
    expect((await list('', 'researcher')).ids.sort()).toEqual([ids.rice, ids.banana].sort());
    expect((await list('', 'otherResearcher')).ids.sort()).toEqual([ids.iot, ids.policy].sort());
  });

  test('a manager and the admin see their Department\'s, another Department\'s manager theirs; council members use /councils/mine', async () => {
    const mine = (await list('')).ids;
    expect(mine.sort()).toEqual([ids.rice, ids.iot, ids.policy, ids.archive, ids.banana].sort());
    expect((await list('', 'admin')).ids.sort()).toEqual(mine.sort());
    expect((await list('', otherManager)).ids).toEqual([ids.elsewhere]);
    expect((await list('', 'councilMember')).status).toBe(403);
  });
});

describe('filters', () => {
  test.each([
    ['stage=IN_PROGRESS', ['rice', 'iot']],
    ['stage=CALL_OPEN,ARCHIVED', ['policy', 'archive']],
    ['level=grassroots', ['policy']],
    ['form=st_project,policy_study', ['iot', 'policy']],
    ['assignment=direct_assignment', ['rice']],
    ['overdue=true', ['iot']],
    ['overdue=false&stage=IN_PROGRESS', ['rice']],
    ['hostOrgId=org-truong-dai-hoc', ['iot']],
    ['officer=me', ['rice']],
    // Text: words of the title or of an organisation's name, as prefixes, accents optional.
    ['q=lua%20chiu', ['rice']],
    ['q=L%C3%9AA', ['rice']],
    ['q=nuoi%20tom', ['iot']],
    ['q=truong%20dai', ['iot']],
    ['q=sinh%20hoc%20chuoi', ['banana']],
    ['q=vien%20sinh', ['rice', 'iot', 'policy', 'archive', 'banana']], // every proposer here is the Viện Sinh học
    ['q=chuyen%20doi%20so&level=grassroots', ['policy']],
    ['q=khong-co-gi', []],
  ])('%s', async (query, expected) => {
    const r = await list(query);
    expect(r.status).toBe(200);
    expect(r.ids.sort()).toEqual(expected.map((k) => ids[k]!).sort());
  });

  test('bad filters are 400 naming the parameter', async () => {
    for (const [query, field] of [['stage=NOPE', 'stage'], ['limit=101', 'limit'], ['limit=0', 'limit'], ['sort=budget', 'sort'], ['order=sideways', 'order'], ['overdue=yes', 'overdue'], ['colour=red', 'colour']]) {
      const r = await list(query!);
      expect(r.status).toBe(400);
      expect(r.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
  });
});

describe('sorting and cursor pagination', () => {
  const dept = ['rice', 'iot', 'policy', 'archive', 'banana'];

  test('submittedAt (newest first by default), title (accents folded), next deadline (none last)', async () => {
    expect((await list('')).ids).toEqual([...dept].reverse().map((k) => ids[k]));
    expect((await list('sort=submittedAt&order=asc')).ids).toEqual(dept.map((k) => ids[k]));
    // an toàn… < Bảo tồn… < Đề án… < Nghiên cứu… < Ứng dụng… (đ sorts with d, Ư with u)
    const byTitle = ['banana', 'archive', 'policy', 'rice', 'iot'].map((k) => ids[k]);
    expect((await list('sort=title')).ids).toEqual(byTitle);
    expect((await list('sort=title&order=desc')).ids).toEqual([...byTitle].reverse());
    // Earliest open obligation: policy 2026-04-15, rice 07-01, iot 09-01 (its overdue one is not open); then none.
    const byDeadline = (await list('sort=nextDeadline')).body.items.map((t: { taskId: string; nextDeadline?: string }) => [t.taskId, t.nextDeadline ?? null]);
    expect(byDeadline.slice(0, 3)).toEqual([[ids.policy, '2026-04-15'], [ids.rice, '2026-07-01'], [ids.iot, '2026-09-01']]);
    expect(byDeadline.slice(3).map((x: unknown[]) => x[1])).toEqual([null, null]);
  });

  test.each(['sort=submittedAt&order=desc', 'sort=submittedAt&order=asc', 'sort=title&order=asc', 'sort=title&order=desc', 'sort=nextDeadline&order=asc', 'sort=nextDeadline&order=desc'])(
    'pages of 2 walk the same list as one page (%s)',
    async (query) => {
      const whole = (await list(`${query}&limit=100`)).ids;
      expect(whole).toHaveLength(5);
      expect(await all(query, 2)).toEqual(whole);
    },
  );

  test('stable under inserts: tasks added between pages neither repeat nor push others out', async () => {
    const before = (await list('sort=title&limit=100&stage=IN_PROGRESS,PROPOSED,CALL_OPEN,ARCHIVED')).ids;
    const first = await list('sort=title&limit=2&stage=IN_PROGRESS,PROPOSED,CALL_OPEN,ARCHIVED');
    // One sorts before the cursor (A…), one after it (Z… / Ư…).
    const early = await task({ title: 'Ảnh hưởng của phân bón hữu cơ', stage: 'PROPOSED' });
    const late = await task({ title: 'Xây dựng mô hình nông thôn mới', stage: 'PROPOSED' });
    let cursor: string | null = first.body.nextCursor;
    const rest: string[] = [];
    while (cursor) {
      const page = await list(`sort=title&limit=2&stage=IN_PROGRESS,PROPOSED,CALL_OPEN,ARCHIVED&cursor=${cursor}`);
      rest.push(...page.ids);
      cursor = page.body.nextCursor;
    }
    const seen = [...first.ids, ...rest];
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.filter((x) => before.includes(x))).toEqual(before);
    expect(seen).toContain(late);
    expect(seen).not.toContain(early); // it sorts before the first page, which was already served
  });

  test('a cursor belongs to its query; a forged one is refused', async () => {
    const { body } = await list('sort=title&limit=2');
    expect((await list(`sort=submittedAt&limit=2&cursor=${body.nextCursor}`)).body.type).toBe('urn:khcn-flow:problem:invalid-cursor');
    expect((await list(`sort=title&limit=2&stage=PROPOSED&cursor=${body.nextCursor}`)).status).toBe(400);
    const forged = Buffer.from(JSON.stringify({ s: 'title:asc', f: 'x', v: { $gt: '' }, id: 'x' })).toString('base64url');
    expect((await list(`sort=title&limit=2&cursor=${forged}`)).status).toBe(400);
    expect((await list('sort=title&limit=2&cursor=bm90LWpzb24')).status).toBe(400);
  });

  test('every scope × sort and every filter has an index', async () => {
    const keys = (await stack.store.Task.collection.indexes()).map((i) => JSON.stringify(i.key));
    for (const scope of ['departmentId', 'partyOrgIds']) {
      for (const sort of ['submittedAt', 'titleKey', 'deadlineKey']) expect(keys).toContain(JSON.stringify({ [scope]: 1, [sort]: 1, _id: 1 }));
    }
    for (const f of ['stage', 'level', 'form', 'assignment', 'overdue', 'host.orgId', 'searchTerms', 'accountableOfficer.userId']) expect(keys).toContain(JSON.stringify({ [f]: 1 }));
  });
});

test('tasks written before the list fields existed get them (and their audit entries) at API start', async () => {
  const taskId = await task({ title: 'Nhiệm vụ cũ từ trước khi có danh sách', stage: 'IN_PROGRESS', obligations: [obligation('2026-08-01')] });
  const unset = { titleKey: 1, searchTerms: 1, partyOrgIds: 1, nextDeadline: 1, deadlineKey: 1, overdue: 1 };
  await stack.store.Task.collection.updateOne({ _id: taskId as never }, { $unset: unset });
  await stack.store.AuditLog.collection.deleteMany({ taskId });
  expect((await list('q=nhiem%20vu%20cu')).ids).toEqual([]);
  expect(await stack.store.backfillListFieldsAndAudit()).toBe(1);
  expect(await stack.store.backfillListFieldsAndAudit()).toBe(0);
  expect((await list('q=nhiem%20vu%20cu&sort=nextDeadline')).body.items).toEqual([expect.objectContaining({ taskId, nextDeadline: '2026-08-01' })]);
  expect(await stack.store.AuditLog.countDocuments({ taskId, kind: 'transition' })).toBe(1);
});
