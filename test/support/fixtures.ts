/**
 * Shared situations for API tests, built through the API on the real stack:
 * a closed task (rejected at L-3) and a secret identification council (C-ID)
 * that has fully voted and decided, with one member excluded for a conflict (C-6).
 */
import type { Caller } from '../../api/auth';
import { addDays } from '../../workflows/rules/calendar';
import { multipart } from './files';
import { waitUntil } from './services';
import { sampleProposal, type Stack, type Who } from './stack';
import { ballotsFor, councilSeats, type SittingOutcome } from './sittings';

async function ok(stack: Stack, method: string, path: string, as: Who | Caller, body?: unknown): Promise<any> {
  const res = await stack.call(method, path, { as, ...(body !== undefined ? { body } : {}) });
  const json = await res.json();
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

/** A proposal of the researcher's organisation, recorded (read model and proposal form). */
export async function filedTask(stack: Stack, overrides: Record<string, unknown> = {}, as: Who | Caller = 'researcher'): Promise<string> {
  const { taskId } = await ok(stack, 'POST', '/api/v1/proposals', as, sampleProposal(overrides));
  await waitUntil('intake', async () => ((await stack.store.Task.findById(taskId).lean())?.documents.length ?? 0) === 1);
  return taskId;
}

/** A small PDF (ASCII, so it fits a string body) as a multipart/form-data upload body. */
export function pdfUploadBody(filename = 'Thuyết minh.pdf'): { body: string; contentType: string } {
  const boundary = '----khcn-fixture-boundary';
  const pdf = '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n';
  return {
    body: `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/pdf\r\n\r\n${pdf}\r\n--${boundary}--\r\n`,
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}

/** A staged upload of the caller's (issue 10): its uploadId. */
export async function stagedUpload(stack: Stack, as: Who | Caller = 'researcher'): Promise<string> {
  const { body, contentType } = pdfUploadBody();
  const res = await stack.call('POST', '/api/v1/uploads', { as, rawBody: body, headers: { 'content-type': contentType } });
  const json = (await res.json()) as { items: { uploadId: string }[] };
  if (res.status !== 201) throw new Error(`upload: ${res.status} ${JSON.stringify(json)}`);
  return json.items[0].uploadId;
}

/** A sheet (XLSX or CSV) uploaded as the caller (issue 11: the imports): its uploadId. */
export async function uploadSheet(stack: Stack, as: Who | Caller, filename: string, content: Buffer): Promise<string> {
  const { body, contentType } = multipart([{ filename, content }]);
  const res = await stack.call('POST', '/api/v1/uploads', { as, rawBody: body, headers: { 'content-type': contentType } });
  const json = (await res.json()) as { items: { uploadId: string }[] };
  if (res.status !== 201) throw new Error(`upload: ${res.status} ${JSON.stringify(json)}`);
  return json.items[0]!.uploadId;
}

/** The first file of a task (issue 10). */
export async function firstFileOf(stack: Stack, taskId: string): Promise<string> {
  await waitUntil('the task\'s files', async () => ((await stack.store.Task.findById(taskId).lean())?.files?.length ?? 0) > 0);
  return (await stack.store.Task.findById(taskId).lean())!.files![0]!.fileId;
}

/** A task rejected at identification (L-3): closed, it takes no more commands. Its proposal came with a file. */
export async function closedTask(stack: Stack): Promise<string> {
  const taskId = await filedTask(stack, { title: 'Đề xuất trùng lặp, không được phê duyệt', attachments: [await stagedUpload(stack)] });
  await ok(stack, 'POST', `/api/v1/tasks/${taskId}/reject-proposal`, 'manager', { reasons: ['Trùng lặp với nhiệm vụ đã thực hiện'] });
  await waitUntil('closed in the read model', async () => (await stack.store.Task.findById(taskId).lean())?.closed === true);
  return taskId;
}

/** A task on the order list (L-3) whose call for applications is open (L-4), closing in 40 days. */
export async function openCallTask(stack: Stack, overrides: Record<string, unknown> = {}): Promise<string> {
  const taskId = await filedTask(stack, { title: 'Nghiên cứu chế phẩm sinh học xử lý phụ phẩm nông nghiệp', ...overrides });
  await orderListedTask(stack, taskId);
  const today = new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);
  await ok(stack, 'POST', `/api/v1/tasks/${taskId}/open-call`, 'manager', { closesOn: addDays(today, 40) });
  await waitUntil('open call in the read model', async () => (await stack.store.Task.findById(taskId).lean())?.stage === 'CALL_OPEN');
  return taskId;
}

/**
 * Issue 12: a decision issued through the whole flow on a task under rule-set 2026.2 (filed through
 * an API configured for it): the list approval (L-3), signed by the Director, registered and issued
 * by the clerk. Returns its document ID.
 */
export async function issuedDecision(stack: Stack): Promise<string> {
  const api = await stack.extraApi({ RULESET_VERSION: '2026.2' });
  let taskId: string;
  try {
    const res = await fetch(`${api.baseUrl}/api/v1/proposals`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await stack.token('researcher')}`, 'content-type': 'application/json' },
      body: JSON.stringify(sampleProposal({ title: 'Đề xuất được phê duyệt theo quy trình ký ban hành' })),
    });
    if (res.status !== 201) throw new Error(`proposal under 2026.2: ${res.status} ${await res.text()}`);
    ({ taskId } = (await res.json()) as { taskId: string });
  } finally {
    await api.close();
  }
  await waitUntil('intake', async () => ((await stack.store.Task.findById(taskId).lean())?.documents.length ?? 0) === 1);
  await ok(stack, 'POST', `/api/v1/tasks/${taskId}/start-identification-review`, 'manager');
  await paperSitting(stack, taskId, { kind: 'C-ID', recommend: true });
  const t = await ok(stack, 'POST', `/api/v1/tasks/${taskId}/approve-order-list`, 'manager');
  const documentId = (t.issuance as { documentId: string; kind: string }[]).find((d) => d.kind === 'order_list_approval')!.documentId;
  await waitUntil('the draft', async () => (await stack.call('GET', `/api/v1/documents/${documentId}`, { as: 'director' })).status === 200);
  await ok(stack, 'POST', `/api/v1/documents/${documentId}/sign`, 'director', {});
  await ok(stack, 'POST', `/api/v1/documents/${documentId}/register`, 'clerk', {});
  await ok(stack, 'POST', `/api/v1/documents/${documentId}/issue`, 'clerk', {});
  await waitUntil('issued in the read model', async () => (await stack.call('GET', `/api/v1/documents/${documentId}`, { as: 'clerk' }).then((r) => r.json() as Promise<{ status: string }>)).status === 'ISSUED');
  return documentId;
}

export const MEMBER_NAMES = ['Phạm Thị Ngọc Ánh', 'Đặng Quốc Việt', 'Lý Thị Thu Hà', 'Hồ Văn Lực', 'Trương Mỹ Linh', 'Bùi Đức Thịnh', 'Vũ Hoàng Yến'];
const ROLES = ['chair', 'vice_chair', 'reviewer', 'reviewer', 'member', 'member', 'member'] as const;

export interface DecidedCouncil {
  taskId: string;
  councilId: string;
  /** cm-1 … cm-7; the last one declared a conflict and did not vote. */
  members: Caller[];
  conflicted: Caller;
  /** How each member voted (what must never show): true = yes. */
  votes: Record<string, boolean>;
  /** The file filed with the proposal the council judged (issue 10). */
  fileId: string;
}

/**
 * A secret C-ID sitting of 7: cm-7 declares a conflict (C-6), the other 6 are
 * present and vote, 5 yes and 1 no (cm-6), so the council recommends (C-ID). `comment`: each
 * member's ballot comment (issue 15: what must never show).
 */
export async function decidedSecretCouncil(stack: Stack, prefix = 'cm', opts: { comment?: (memberId: string) => string } = {}): Promise<DecidedCouncil> {
  const members: Caller[] = MEMBER_NAMES.map((name, i) => ({
    userId: `${prefix}-${i + 1}`,
    role: 'council_member',
    name,
    email: `${prefix}${i + 1}@hoidong.example.vn`,
    orgId: 'org-hoi-dong',
    departmentId: stack.config.DEPARTMENT_ID,
    locale: 'vi',
  }));
  const taskId = await filedTask(stack, { title: 'Ứng dụng IoT giám sát chất lượng nước nuôi tôm', attachments: [await stagedUpload(stack)] });
  await ok(stack, 'POST', `/api/v1/tasks/${taskId}/start-identification-review`, 'manager');
  const today = new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);
  await ok(stack, 'POST', `/api/v1/tasks/${taskId}/form-council`, 'manager', {
    kind: 'C-ID',
    members: members.map((m, i) => ({ memberId: m.userId, name: m.name, email: m.email, role: ROLES[i] })),
    // C-4: voting opens at the meeting, today.
    meetingOn: today,
    votingDeadline: new Date(Date.now() + 3 * 86_400_000).toISOString(),
    ballot: 'secret',
  });
  const councilId = `council-${taskId}-C-ID-1`;
  await waitUntil('council read model', async () => (await stack.store.Council.countDocuments({ _id: councilId })) === 1);
  const conflicted = members[6]!;
  const voters = members.slice(0, 6);
  for (const m of voters) await ok(stack, 'POST', `/api/v1/councils/${councilId}/conflict-declarations`, m, { conflicted: false });
  await ok(stack, 'POST', `/api/v1/councils/${councilId}/conflict-declarations`, conflicted, { conflicted: true, reason: 'Vợ của chủ nhiệm đề xuất' });
  await ok(stack, 'POST', `/api/v1/councils/${councilId}/attendance`, 'manager', { present: voters.map((m) => m.userId) });
  const votes: Record<string, boolean> = Object.fromEntries(voters.map((m, i) => [m.userId, i !== 5]));
  await Promise.all(voters.map((m) => ok(stack, 'POST', `/api/v1/councils/${councilId}/votes`, m, { ballot: { kind: 'C-ID', yes: votes[m.userId], ...(opts.comment ? { comment: opts.comment(m.userId) } : {}) } })));
  await waitUntil('council decided', async () => (await stack.store.Council.findById(councilId).lean())?.status === 'DECIDED', 30_000);
  await waitUntil('result on the task', async () => ((await stack.store.Task.findById(taskId).lean())?.councils.length ?? 0) === 1, 30_000);
  return { taskId, councilId, members, conflicted, votes, fileId: await firstFileOf(stack, taskId) };
}

/**
 * Issue 13: a council of the task's current review stage meets on paper, through the API: formed to meet
 * today (C-1: 7 members with chair, vice-chair and two reviewers), every declaration and the attendance
 * recorded by the administrative secretary, then each member's ballot entered from the paper (C-4); the
 * real tally decides `outcome`. Resolves with the council ID once the task has the result.
 */
export async function paperSitting(stack: Stack, taskId: string, outcome: SittingOutcome, as: Who | Caller = 'manager'): Promise<string> {
  const members = councilSeats(7, `ps-${outcome.kind.toLowerCase()}-`);
  const today = new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);
  const formed = await ok(stack, 'POST', `/api/v1/tasks/${taskId}/form-council`, as, {
    kind: outcome.kind,
    members,
    meetingOn: today,
    votingDeadline: new Date(Date.now() + 2 * 86_400_000).toISOString(),
    ballot: 'secret',
    voting: 'paper',
  });
  let sittings = formed.councilSittings as { councilId: string }[];
  // Issue 12 (signed issuance, 2026.2): the decision forming the council takes effect when issued.
  const decision = ((formed.issuance ?? []) as { documentId: string; kind: string; status: string }[]).find((d) => d.kind === 'council_formation_decision' && d.status === 'PENDING');
  if (decision) {
    await issueThroughApi(stack, decision.documentId);
    const before = sittings.length;
    await waitUntil('council formed', async () => ((await stack.store.Task.findById(taskId).lean())?.councilSittings?.length ?? 0) > before, 30_000);
    sittings = (await stack.store.Task.findById(taskId).lean())!.councilSittings as { councilId: string }[];
  }
  const councilId = sittings.at(-1)!.councilId;
  await waitUntil('council read model', async () => (await stack.store.Council.countDocuments({ _id: councilId })) === 1);
  for (const m of members) await ok(stack, 'POST', `/api/v1/councils/${councilId}/conflict-declarations`, as, { memberId: m.memberId, conflicted: false });
  const present = members.map((m) => m.memberId);
  await ok(stack, 'POST', `/api/v1/councils/${councilId}/attendance`, as, { present });
  const view = await ok(stack, 'GET', `/api/v1/councils/${councilId}`, as);
  await ok(stack, 'POST', `/api/v1/councils/${councilId}/paper-ballots`, as, { ballots: ballotsFor(view, outcome, present) });
  await waitUntil('result on the task', async () => (await stack.store.Task.findById(taskId).lean())?.councilSittings?.find((c: { councilId: string }) => c.councilId === councilId)?.status === 'DECIDED', 30_000);
  return councilId;
}

/** Issue 12: a drafted document signed by the Director, registered and issued by the clerk, through the API. */
export async function issueThroughApi(stack: Stack, documentId: string): Promise<void> {
  await waitUntil('the draft', async () => (await stack.call('GET', `/api/v1/documents/${documentId}`, { as: 'director' })).status === 200);
  await ok(stack, 'POST', `/api/v1/documents/${documentId}/sign`, 'director', {});
  await ok(stack, 'POST', `/api/v1/documents/${documentId}/register`, 'clerk', {});
  await ok(stack, 'POST', `/api/v1/documents/${documentId}/issue`, 'clerk', {});
}

/** The proposal recommended by a paper identification sitting (C-ID) and the list approved (L-3): ORDER_LISTED. */
export async function orderListedTask(stack: Stack, taskId: string, as: Who | Caller = 'manager'): Promise<void> {
  await ok(stack, 'POST', `/api/v1/tasks/${taskId}/start-identification-review`, as);
  await paperSitting(stack, taskId, { kind: 'C-ID', recommend: true }, as);
  await ok(stack, 'POST', `/api/v1/tasks/${taskId}/approve-order-list`, as);
}
