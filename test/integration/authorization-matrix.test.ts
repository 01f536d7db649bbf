/**
 * Who may call what: every documented operation × every kind of caller → the
 * expected status, from ONE table (below). The table must name exactly the
 * operations of the OpenAPI document, so a new route without an entry fails here.
 *
 * The callers: a researcher of the organisation that owns the task, a researcher
 * of another organisation, a member of the council, a council member not on it, the
 * Department's manager, a manager of another Department, the admin, and no token.
 * The resources: a closed task (every command is refused with 409 once the caller
 * is allowed and may see it, so nothing moves), its proposal form, and a secret C-ID
 * council that has fully voted (every council command: 409 for those allowed).
 *
 * Then ownership (proposer, host, applicant), council membership and conflicts
 * (C-6), and the secret ballot (C-4) over every read endpoint, read model, audit
 * entry and log line.
 */
import { Writable } from 'node:stream';
import type { Caller } from '../../api/auth';
import { COMMAND_EXAMPLES, commandPath, type ApiCommandName } from '../../api/commands';
import { buildOpenApiDocument, documentedOperations } from '../../api/openapi';
import { COUNCIL_EXAMPLES, COUNCIL_PATHS } from '../../api/routes/councils';
import type { CouncilCommandName } from '../../workflows/definitions';
import { addDays } from '../../workflows/rules/calendar';
import { closedTask, decidedSecretCouncil, filedTask, firstFileOf, issuedDecision, MEMBER_NAMES, openCallTask, orderListedTask, paperSitting, pdfUploadBody, uploadSheet, type DecidedCouncil } from '../support/fixtures';
import { upsertUser } from '../../scripts/dev-users';
import { IMPORT_COLUMNS } from '../../activities/portfolio/import';
import { CookieClient } from '../support/cookie-client';
import { waitUntil } from '../support/services';
import { sampleProposal, startStack, type Stack } from '../support/stack';

const CALLERS = ['ownResearcher', 'otherResearcher', 'member', 'otherMember', 'manager', 'director', 'deputy', 'clerk', 'otherManager', 'admin', 'anonymous'] as const;
type CallerKind = (typeof CALLERS)[number];
type Row = readonly [number, number, number, number, number, number, number, number, number, number, number];

// Issue 12: the Department's people by position: `mgr` is an officer (the development manager), then
// the Director, a Deputy Director (identification, selection, approval, acceptance) and the clerk.
// Rows, by column:            ownR  othR  memb  othM  mgr   dir   dep   clerk othMgr admin anon
const PUBLIC: Row =           [200,  200,  200,  200,  200,  200,  200,  200,  200,   200,  200];
const ANY_USER: Row =         [200,  200,  200,  200,  200,  200,  200,  200,  200,   200,  401];
/** A task's reads: its organisation's researchers, the Department's managers and admin; 404 for others (existence not revealed). */
const TASK_READ: Row =        [200,  404,  404,  404,  200,  200,  200,  200,  404,   200,  401];
/** A command of the host (researcher): allowed and visible → the closed task refuses (409). */
const HOST_COMMAND: Row =     [409,  404,  403,  403,  403,  403,  403,  403,  403,   403,  401];
/** A command of the Department (manager): by position, the clerk gives none (403). */
const DEPT_COMMAND: Row =     [403,  403,  403,  403,  409,  409,  409,  403,  404,   403,  401];
/** Both parties act (the contract is signed by both, L-11). */
const BOTH_COMMAND: Row =     [409,  404,  403,  403,  409,  409,  409,  403,  404,   403,  401];
/** Members and the Department's staff see the council. */
const COUNCIL_READ: Row =     [404,  404,  200,  404,  200,  200,  200,  200,  404,   200,  401];
/** A member's own council act (vote, tie-break, written review): the decided council refuses (409). */
const MEMBER_ACT: Row =       [403,  403,  409,  404,  403,  403,  403,  403,  403,   403,  401];
/** The administrative secretary's acts (attendance, rescheduling): the Department's staff. */
const SECRETARY_ACT: Row =    [403,  403,  403,  403,  409,  409,  409,  409,  404,   403,  401];
/** A declaration: by the member, or recorded by the Department (C-6). */
const DECLARATION: Row =      [403,  403,  409,  404,  409,  409,  409,  409,  404,   403,  401];
const ADMIN_ONLY: Row =       [403,  403,  403,  403,  403,  403,  403,  403,  403,   200,  401];
/** Portfolio monitoring (§8): managers and admins, scoped to their own Department (another Department's manager sees theirs). */
const PORTFOLIO: Row =        [403,  403,  403,  403,  200,  200,  200,  200,  200,   200,  401];
/** Issue 12: an issued document (its record and draft): the Department's staff and admin; holders of a block (none here). */
const DOCUMENT_READ: Row =    [404,  404,  404,  404,  200,  200,  200,  200,  404,   200,  401];
/** Signing an issued decision: the competent signers (Director, Deputy delegated identification) 409; any other Department user 403. */
const DOCUMENT_SIGN: Row =    [404,  404,  404,  404,  403,  409,  409,  403,  404,   403,  401];
/** Registering or issuing an issued document: the clerk 409; anyone else of the Department 403. */
const CLERK_ACT: Row =        [404,  404,  404,  404,  403,  403,  403,  409,  404,   403,  401];

const TABLE: Record<string, Row> = {
  'GET /health': PUBLIC,
  'GET /api/v1/openapi.json': PUBLIC,
  'POST /api/v1/auth/login': PUBLIC,
  // CookieClient sessions: anyone signs in with credentials (201); sign-out is harmless without a session (204).
  'POST /api/v1/auth/session': [201, 201, 201, 201, 201, 201, 201, 201, 201, 201, 201],
  'DELETE /api/v1/auth/session': [204, 204, 204, 204, 204, 204, 204, 204, 204, 204, 204],
  'GET /api/v1/auth/me': ANY_USER,
  'PATCH /api/v1/auth/me': ANY_USER,
  // Open calls (L-4) are public: anyone reads them, signed in or not.
  'GET /api/v1/public/calls': PUBLIC,
  'GET /api/v1/public/calls/{taskId}': PUBLIC,
  // Issue 11: a filing's status by its receipt code and e-mail, and open data: anyone, signed in or not.
  'POST /api/v1/public/status': PUBLIC,
  'GET /api/v1/public/open-data': PUBLIC,
  // Issue 11: operations (services, stuck workflows, failing e-mails, drift): the Department's admin.
  'GET /api/v1/operations/status': ADMIN_ONLY,
  // Issue 15: the Temporal Web UI's codec endpoint: the Department's admin (never a ballot, whoever asks).
  'POST /api/v1/temporal-codec/decode': ADMIN_ONLY,
  // L-1: anyone may propose; council members and the admin do not file proposals.
  'POST /api/v1/proposals':   [201, 201, 403, 403, 201, 201, 201, 201, 201, 403, 401],
  // My tasks / the portfolio: researchers and the Department's staff; council members use /councils/mine.
  'GET /api/v1/tasks':        [200, 200, 403, 403, 200, 200, 200, 200, 200, 200, 401],
  'GET /api/v1/tasks/{taskId}': TASK_READ,
  'GET /api/v1/tasks/{taskId}/documents/{documentId}': TASK_READ,
  // Issue 10: files. Any user may upload (a council member for a written review); a task's files as the task.
  'POST /api/v1/uploads':     [201, 201, 201, 201, 201, 201, 201, 201, 201, 201, 401],
  'GET /api/v1/tasks/{taskId}/files/{fileId}': TASK_READ,
  // Lifecycle commands (domain.md §2 actor column, §4, §5, §6).
  'POST /api/v1/tasks/{taskId}/start-identification-review': DEPT_COMMAND, // L-2
  'POST /api/v1/tasks/{taskId}/approve-order-list': DEPT_COMMAND, // L-3
  'POST /api/v1/tasks/{taskId}/reject-proposal': DEPT_COMMAND, // L-3
  'POST /api/v1/tasks/{taskId}/open-call': DEPT_COMMAND, // L-4
  'POST /api/v1/tasks/{taskId}/assign-directly': DEPT_COMMAND, // L-6
  'POST /api/v1/tasks/{taskId}/submit-dossier': HOST_COMMAND, // L-5 (an applicant; the call is not open here)
  'POST /api/v1/tasks/{taskId}/open-dossiers': DEPT_COMMAND, // L-5
  'POST /api/v1/tasks/{taskId}/form-selection-council': DEPT_COMMAND, // L-6
  'POST /api/v1/tasks/{taskId}/submit-revised-proposal': HOST_COMMAND, // L-8
  'POST /api/v1/tasks/{taskId}/record-budget-appraisal': DEPT_COMMAND, // L-9
  'POST /api/v1/tasks/{taskId}/approve-task': DEPT_COMMAND, // L-10
  'POST /api/v1/tasks/{taskId}/cancel-before-contract': DEPT_COMMAND, // L-10
  'POST /api/v1/tasks/{taskId}/sign-contract': BOTH_COMMAND, // L-11
  'POST /api/v1/tasks/{taskId}/record-disbursement': DEPT_COMMAND, // L-12
  'POST /api/v1/tasks/{taskId}/submit-progress-report': HOST_COMMAND, // L-13
  'POST /api/v1/tasks/{taskId}/start-inspection': DEPT_COMMAND, // L-13
  'POST /api/v1/tasks/{taskId}/conclude-inspection': DEPT_COMMAND, // L-13
  'POST /api/v1/tasks/{taskId}/request-adjustment': HOST_COMMAND, // L-14
  'POST /api/v1/tasks/{taskId}/decide-adjustment': DEPT_COMMAND, // L-14
  'POST /api/v1/tasks/{taskId}/suspend': DEPT_COMMAND, // T-1
  'POST /api/v1/tasks/{taskId}/resume': DEPT_COMMAND, // T-1
  'POST /api/v1/tasks/{taskId}/request-termination': HOST_COMMAND, // T-2 (voluntary)
  'POST /api/v1/tasks/{taskId}/propose-termination': DEPT_COMMAND, // T-2
  'POST /api/v1/tasks/{taskId}/submit-observations': HOST_COMMAND, // T-2
  'POST /api/v1/tasks/{taskId}/decide-termination': DEPT_COMMAND, // T-2
  'POST /api/v1/tasks/{taskId}/start-self-evaluation': HOST_COMMAND, // L-17
  'POST /api/v1/tasks/{taskId}/submit-acceptance-dossier': HOST_COMMAND, // L-18
  'POST /api/v1/tasks/{taskId}/check-acceptance-dossier': DEPT_COMMAND, // L-19
  'POST /api/v1/tasks/{taskId}/form-acceptance-council': DEPT_COMMAND, // L-19
  'POST /api/v1/tasks/{taskId}/submit-revised-results': HOST_COMMAND, // L-21 (issue 13: the host revises)
  'POST /api/v1/tasks/{taskId}/recognize-result': DEPT_COMMAND, // L-21
  'POST /api/v1/tasks/{taskId}/register-result': HOST_COMMAND, // L-22
  'POST /api/v1/tasks/{taskId}/settle-finances': DEPT_COMMAND, // L-23
  'POST /api/v1/tasks/{taskId}/record-refund': DEPT_COMMAND, // T-3
  'POST /api/v1/tasks/{taskId}/write-off-refund': DEPT_COMMAND, // T-3 (issue 13)
  'POST /api/v1/tasks/{taskId}/liquidate': DEPT_COMMAND, // L-23, L-24
  'POST /api/v1/tasks/{taskId}/archive': DEPT_COMMAND, // L-23
  'POST /api/v1/tasks/{taskId}/withdraw': HOST_COMMAND, // L-1 (the applicant withdraws)
  'POST /api/v1/tasks/{taskId}/form-council': DEPT_COMMAND, // C-1
  'POST /api/v1/tasks/{taskId}/assign-officer': DEPT_COMMAND, // §8
  // Councils (§3).
  'GET /api/v1/councils/mine': [403, 403, 200, 200, 403, 403, 403, 403, 403, 403, 401],
  'GET /api/v1/councils/{councilId}': COUNCIL_READ,
  // The dossier's files: the Department's staff, members once declared (C-6; the member here has declared).
  'GET /api/v1/councils/{councilId}/files/{fileId}': COUNCIL_READ,
  'POST /api/v1/councils/{councilId}/conflict-declarations': DECLARATION,
  'POST /api/v1/councils/{councilId}/attendance': SECRETARY_ACT,
  'POST /api/v1/councils/{councilId}/votes': MEMBER_ACT,
  'POST /api/v1/councils/{councilId}/reschedule': SECRETARY_ACT,
  'POST /api/v1/councils/{councilId}/tie-break': MEMBER_ACT,
  'POST /api/v1/councils/{councilId}/written-reviews': MEMBER_ACT,
  'POST /api/v1/councils/{councilId}/paper-ballots': SECRETARY_ACT, // issue 13: the secretary enters a paper sitting's ballots
  // Administration.
  'GET /api/v1/users': ADMIN_ONLY,
  'POST /api/v1/users':       [403, 403, 403, 403, 403, 403, 403, 403, 403, 201, 401],
  'PATCH /api/v1/users/{userId}': ADMIN_ONLY,
  // Issue 11: council members from a sheet (the admin's own upload); the people a council is formed from.
  'POST /api/v1/users/imports': ADMIN_ONLY,
  'GET /api/v1/people': PORTFOLIO,
  'GET /api/v1/audit-log': ADMIN_ONLY,
  // The portfolio dashboards and report (§8): the Department's managers and admin, each of their own Department.
  'GET /api/v1/portfolio/counts': PORTFOLIO,
  'GET /api/v1/portfolio/obligations/overdue': PORTFOLIO,
  'GET /api/v1/portfolio/obligations/due-soon': PORTFOLIO,
  'GET /api/v1/portfolio/tasks/ending-soon': PORTFOLIO,
  'GET /api/v1/portfolio/acceptance-dossiers/overdue': PORTFOLIO,
  'GET /api/v1/portfolio/budget': PORTFOLIO,
  'GET /api/v1/portfolio/reports/six-month': PORTFOLIO,
  // Issue 11: refunds, stopped tasks, the timeline.
  'GET /api/v1/portfolio/refunds': PORTFOLIO,
  'GET /api/v1/portfolio/tasks/stopped': PORTFOLIO,
  'GET /api/v1/portfolio/timeline': PORTFOLIO,
  // Issue 11: the import (a dry run of each caller's own sheet) and the reconciliation, as jobs.
  'POST /api/v1/portfolio/imports': PORTFOLIO,
  // An import of the Department's (another Department's manager does not see it).
  'GET /api/v1/portfolio/imports/{importId}': [403, 403, 403, 403, 200, 200, 200, 200, 404, 200, 401],
  // Issue 11: the blank templates of the sheets, for the imports page.
  'GET /api/v1/portfolio/import-templates/{name}': PORTFOLIO,
  'GET /api/v1/portfolio/reconciliation': PORTFOLIO,
  'POST /api/v1/portfolio/reconciliation': [403, 403, 403, 403, 202, 202, 202, 202, 202, 202, 401],
  // Issue 12: what awaits one's signature (anyone: an empty list for those who sign nothing); the
  // outgoing documents (the Department); one issued decision, its draft, and each step on it.
  'GET /api/v1/signatures/pending': ANY_USER,
  'GET /api/v1/documents':    [403, 403, 403, 403, 200, 200, 200, 200, 200, 200, 401],
  'GET /api/v1/documents/{documentId}': DOCUMENT_READ,
  'GET /api/v1/documents/{documentId}/draft': DOCUMENT_READ,
  'POST /api/v1/documents/{documentId}/sign': DOCUMENT_SIGN,
  'POST /api/v1/documents/{documentId}/register': CLERK_ACT,
  'POST /api/v1/documents/{documentId}/issue': CLERK_ACT,
};

const logLines: string[] = [];
const logStream = new Writable({
  write(chunk, _enc, cb) {
    logLines.push(...String(chunk).split('\n').filter(Boolean));
    cb();
  },
});

let stack: Stack;
let closedTaskId: string;
/** A task whose call for applications is open (L-4): the public call's path. */
let openCallTaskId: string;
let documentId: string;
let fileId: string;
let council: DecidedCouncil;
/** Issue 11: a council members' sheet the admin uploaded; each portfolio caller's own (empty) portfolio sheet; an import of the Department's. */
let adminSheetId: string;
const portfolioSheets: Partial<Record<CallerKind, string>> = {};
let importId: string;
/** Issue 12: a decision issued (signed by the Director, registered and issued by the clerk) on a task under 2026.2. */
let issuedDocumentId: string;
let callers: Record<Exclude<CallerKind, 'anonymous'>, Caller>;

beforeAll(async () => {
  // Every caller signs in (token and session) from this one address: the login limit is tested elsewhere.
  stack = await startStack({ logStream, env: { RATE_LIMIT_LOGIN_MAX: '1000' } });
  closedTaskId = await closedTask(stack);
  openCallTaskId = await openCallTask(stack);
  documentId = (await stack.store.Task.findById(closedTaskId).lean())!.documents[0]!.documentId;
  council = await decidedSecretCouncil(stack);
  fileId = await firstFileOf(stack, closedTaskId);
  adminSheetId = await uploadSheet(stack, 'admin', 'thanh-vien.csv', Buffer.from('email,name,orgId\r\nmatrix@hoidong.example.vn,Người Thử Quyền,org-hoi-dong\r\n'));
  issuedDocumentId = await issuedDecision(stack);
  callers = {
    ownResearcher: stack.users.researcher,
    otherResearcher: stack.users.otherResearcher,
    member: council.members[0]!,
    otherMember: stack.users.councilMember,
    manager: stack.users.manager,
    director: stack.users.director,
    deputy: stack.users.deputy,
    clerk: stack.users.clerk,
    otherManager: { userId: 'u-manager-long-an', role: 'manager', name: 'Võ Minh Tâm', email: 'tam.vm@skhcn-long-an.example.vn', orgId: 'org-skhcn-long-an', departmentId: 'skhcn-long-an', locale: 'vi' },
    admin: stack.users.admin,
  };
  const header = Buffer.from(`${IMPORT_COLUMNS.map((c) => c.key).join(',')}\r\n`);
  for (const kind of ['manager', 'director', 'deputy', 'clerk', 'otherManager', 'admin'] as const) portfolioSheets[kind] = await uploadSheet(stack, callers[kind], `danh-muc-${kind}.csv`, header);
  const started: any = await (await stack.call('POST', '/api/v1/portfolio/imports', { as: 'admin', body: { uploadId: await uploadSheet(stack, 'admin', 'danh-muc.csv', Buffer.concat([header, Buffer.from('\r\n')])) } })).json();
  importId = started.importId;
}, 300_000);
afterAll(async () => {
  await stack?.stop();
});

async function reconciliationIdle(departmentId: string): Promise<void> {
  await waitUntil('the Department\'s reconciliation finished', async () => (await stack.store.ReconciliationRun.countDocuments({ departmentId, status: { $in: ['queued', 'running'] } })) === 0, 30_000);
}

const COMMAND_BY_PATH = new Map((Object.keys(COMMAND_EXAMPLES) as ApiCommandName[]).map((c) => [commandPath(c), c]));
const COUNCIL_BY_PATH = new Map((Object.keys(COUNCIL_PATHS) as CouncilCommandName[]).map((c) => [COUNCIL_PATHS[c].path, c]));

/** The concrete request for an operation: its path filled with the fixtures, and a valid body. */
function requestFor(method: string, template: string, kind: CallerKind): { path: string; body?: unknown; raw?: { body: string; contentType: string } } {
  const path = template
    .replace('{taskId}', template.startsWith('/api/v1/public/') ? openCallTaskId : closedTaskId)
    .replace('{documentId}', template.startsWith('/api/v1/documents/') ? issuedDocumentId : documentId)
    .replace('{fileId}', template.startsWith('/api/v1/councils/') ? council.fileId : fileId)
    .replace('{councilId}', council.councilId)
    .replace('{userId}', 'u-researcher-2')
    .replace('{importId}', importId)
    .replace('{name}', 'danh-muc-nhiem-vu.csv');
  if (template === '/api/v1/portfolio/reports/six-month') return { path: `${path}?from=2026-01-01&to=2026-06-30&format=xlsx` };
  if (method === 'GET') return { path };
  const tail = template.split('/').at(-1)!;
  if (template.startsWith('/api/v1/tasks/{taskId}/')) return { path, body: COMMAND_EXAMPLES[COMMAND_BY_PATH.get(tail)!] };
  // A changed ballot: the very ballot a member had counted gets its receipt even after the decision
  // (vote-retries.test.ts); any other is refused by the decided sitting (409).
  if (tail === 'votes') return { path, body: { ballot: { kind: 'C-ID', yes: true, comment: 'Phiếu gửi lại sau khi hội đồng đã kết luận.' } } };
  if (template.startsWith('/api/v1/councils/{councilId}/')) return { path, body: COUNCIL_EXAMPLES[COUNCIL_BY_PATH.get(tail)!] };
  if (template.startsWith('/api/v1/documents/{documentId}/')) return { path, body: {} };
  switch (template) {
    case '/api/v1/auth/login':
      return { path, body: { email: stack.users.researcher.email, password: stack.password } };
    case '/api/v1/auth/session':
      return method === 'POST' ? { path, body: { email: stack.users.researcher.email, password: stack.password } } : { path };
    case '/api/v1/auth/me':
      // One's own language, set to what it already is (the callers stay as they are).
      return { path, body: { locale: kind === 'anonymous' ? 'vi' : callers[kind].locale } };
    case '/api/v1/proposals':
      return { path, body: sampleProposal({ title: `Đề xuất của ${kind}` }) };
    case '/api/v1/uploads':
      return { path, raw: pdfUploadBody(`Tệp của ${kind}.pdf`) };
    case '/api/v1/users':
      return { path, body: { email: `moi.${kind.toLowerCase()}@vien-sinh-hoc.example.vn`, name: 'Người dùng mới', role: 'researcher', orgId: 'org-vien-sinh-hoc' } };
    case '/api/v1/users/{userId}':
      return { path, body: { locale: 'en' } };
    case '/api/v1/users/imports':
      return { path, body: { uploadId: adminSheetId, dryRun: true } };
    case '/api/v1/portfolio/imports':
      return { path, body: { uploadId: portfolioSheets[kind] ?? 'f-000000000000000000000000', dryRun: true } };
    case '/api/v1/portfolio/reconciliation':
      return { path, body: { dryRun: true } };
    case '/api/v1/temporal-codec/decode':
      return { path, body: { payloads: [] } };
    case '/api/v1/public/status':
      // The open call's proposal, by its proposer's e-mail.
      return { path, body: { code: openCallTaskId, email: sampleProposal().proposer.email } };
  }
  throw new Error(`no request for ${method} ${template}: add it to requestFor`);
}

test('the table names exactly the documented operations', () => {
  const documented = documentedOperations(buildOpenApiDocument('http://x')).map((o) => `${o.method} ${o.path}`).sort();
  expect(Object.keys(TABLE).sort()).toEqual(documented);
});

test('every operation × every caller answers as the table says', async () => {
  const mismatches: string[] = [];
  for (const [op, row] of Object.entries(TABLE)) {
    const [method, template] = op.split(' ') as [string, string];
    for (const [i, kind] of CALLERS.entries()) {
      const { path, body, raw } = requestFor(method, template, kind);
      // One reconciliation at a time per Department (409 otherwise, tested in portfolio-jobs): the previous one first finishes.
      if (op === 'POST /api/v1/portfolio/reconciliation' && kind !== 'anonymous') await reconciliationIdle(callers[kind].departmentId);
      const res = await stack.call(method, path, {
        as: kind === 'anonymous' ? null : callers[kind],
        ...(body !== undefined ? { body } : {}),
        ...(raw ? { rawBody: raw.body, headers: { 'content-type': raw.contentType } } : {}),
      }).catch((e) => { throw new Error(`${op} as ${kind}: ${e.cause?.message ?? e.message}`); });
      const text = await res.text();
      if (res.status !== row[i]) mismatches.push(`${op} as ${kind}: ${res.status}, expected ${row[i]} ${text.slice(0, 200)}`);
      if (res.status >= 400 && res.status !== 405) expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    }
  }
  expect(mismatches).toEqual([]);
}, 120_000);

describe('a browser session (cookie + X-CSRF-Token) gets the same answers as the bearer token', () => {
  const REPRESENTATIVE = [
    'GET /api/v1/auth/me',
    'PATCH /api/v1/auth/me',
    'GET /api/v1/tasks',
    'GET /api/v1/tasks/{taskId}',
    'GET /api/v1/tasks/{taskId}/documents/{documentId}',
    'POST /api/v1/proposals',
    'POST /api/v1/tasks/{taskId}/start-identification-review',
    'POST /api/v1/tasks/{taskId}/submit-revised-proposal',
    'GET /api/v1/councils/mine',
    'GET /api/v1/councils/{councilId}',
    'POST /api/v1/councils/{councilId}/votes',
    'GET /api/v1/users',
    'GET /api/v1/portfolio/counts',
    'GET /api/v1/public/calls/{taskId}',
  ];

  test('every kind of caller, a few representative reads and writes', async () => {
    const browsers = new Map<CallerKind, CookieClient>();
    for (const kind of CALLERS) {
      if (kind === 'anonymous') continue;
      await upsertUser(stack.store, callers[kind], { password: stack.password, cost: 4 });
      const b = new CookieClient(stack.baseUrl);
      expect((await b.signIn(callers[kind].email, stack.password)).status).toBe(201);
      browsers.set(kind, b);
    }
    const mismatches: string[] = [];
    for (const op of REPRESENTATIVE) {
      const [method, template] = op.split(' ') as [string, string];
      for (const [i, kind] of CALLERS.entries()) {
        if (kind === 'anonymous') continue;
        const { path, body } = requestFor(method, template, kind);
        const byToken = await stack.call(method, path, { as: callers[kind], ...(body !== undefined ? { body } : {}) });
        const byCookie = await browsers.get(kind)!.request(method, path, body !== undefined ? { body } : {});
        if (byToken.status !== TABLE[op]![i] || byCookie.status !== byToken.status) mismatches.push(`${op} as ${kind}: token ${byToken.status}, cookie ${byCookie.status}, expected ${TABLE[op]![i]}`);
      }
    }
    expect(mismatches).toEqual([]);
  }, 120_000);
});

describe('ownership: proposer, host and applicant organisations', () => {
  const host = { orgId: 'org-truong-dai-hoc', orgName: 'Trường Đại học Tây Ninh', pi: { name: 'Lê Văn Đức', email: 'duc.lv@truong-dai-hoc.example.vn' } };
  const command = (taskId: string, path: string, as: Caller, body: unknown = {}) => stack.call('POST', `/api/v1/tasks/${taskId}/${path}`, { as, body });
  const listIds = async (as: Caller) => ((await (await stack.call('GET', '/api/v1/tasks?limit=100', { as })).json()) as any).items.map((t: { taskId: string }) => t.taskId);

  async function orderListed(): Promise<string> {
    const taskId = await filedTask(stack);
    await orderListedTask(stack, taskId, callers.manager);
    return taskId;
  }

  test('a directly assigned host sees the task and acts for it; the proposer still sees it but no longer acts (L-6, L-8)', async () => {
    const taskId = await orderListed();
    expect((await stack.call('GET', `/api/v1/tasks/${taskId}`, { as: callers.otherResearcher })).status).toBe(404);
    expect(await listIds(callers.otherResearcher)).not.toContain(taskId);
    expect((await command(taskId, 'assign-directly', callers.manager, { host })).status).toBe(200);
    await paperSitting(stack, taskId, { kind: 'C-SEL', winner: 'HS-GTT' }, callers.manager);
    await waitUntil('read model with the host', async () => (await stack.store.Task.findById(taskId).lean())?.host?.orgId === host.orgId);
    expect((await stack.call('GET', `/api/v1/tasks/${taskId}`, { as: callers.otherResearcher })).status).toBe(200);
    expect(await listIds(callers.otherResearcher)).toContain(taskId);
    expect(await listIds(callers.ownResearcher)).toContain(taskId);
    // After selection the host's organisation acts (the workflow says who: NOT_YOUR_TASK).
    const byProposer = await command(taskId, 'submit-revised-proposal', callers.ownResearcher);
    expect(byProposer.status).toBe(403);
    expect(((await byProposer.json()) as any).code).toBe('NOT_YOUR_TASK');
    expect((await command(taskId, 'submit-revised-proposal', callers.otherResearcher)).status).toBe(200);
  });

  test('an open call is visible to the Department\'s researchers only to apply; an applicant then sees the task (L-4, L-5)', async () => {
    const taskId = await orderListed();
    const today = new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);
    expect((await command(taskId, 'open-call', callers.manager, { closesOn: addDays(today, 40) })).status).toBe(200);
    expect((await stack.call('GET', `/api/v1/tasks/${taskId}`, { as: callers.otherResearcher })).status).toBe(404);
    // Applying for another organisation is refused by the workflow (L-5).
    const forOther = await command(taskId, 'submit-dossier', callers.otherResearcher, { host: { ...host, orgId: 'org-vien-sinh-hoc' } });
    expect(forOther.status).toBe(403);
    expect((await command(taskId, 'submit-dossier', callers.otherResearcher, { host })).status).toBe(200);
    await waitUntil('applicant recorded', async () => ((await stack.store.Task.findById(taskId).lean())?.partyOrgIds ?? []).includes(host.orgId));
    expect((await stack.call('GET', `/api/v1/tasks/${taskId}`, { as: callers.otherResearcher })).status).toBe(200);
    expect(await listIds(callers.otherResearcher)).toContain(taskId);
    // A manager of another Department sees none of it, in lists or by ID.
    expect(await listIds(callers.otherManager)).not.toContain(taskId);
    expect((await stack.call('GET', `/api/v1/tasks/${taskId}`, { as: callers.otherManager })).status).toBe(404);
  });
});

describe('council membership and conflicts (C-6)', () => {
  test('a conflicted member sees their own seat only: no dossier, no other member, no result', async () => {
    const res = await stack.call('GET', `/api/v1/councils/${council.councilId}`, { as: council.conflicted });
    expect(res.status).toBe(200);
    const view: any = await res.json();
    expect(view).toMatchObject({ councilId: council.councilId, access: 'conflicted', you: { memberId: council.conflicted.userId, conflicted: true, voted: false } });
    for (const key of ['members', 'dossiers', 'dossier', 'criteria', 'writtenReviews', 'result', 'quorum', 'openBallots', 'taskId']) expect(view).not.toHaveProperty(key);
    for (const m of council.members.slice(0, 6)) expect(JSON.stringify(view)).not.toContain(m.userId);
    const mine: any = await (await stack.call('GET', '/api/v1/councils/mine', { as: council.conflicted })).json();
    expect(mine.items).toEqual([view]);
    // Nor may they act on the item.
    const review = await stack.call('POST', `/api/v1/councils/${council.councilId}/written-reviews`, { as: council.conflicted, body: COUNCIL_EXAMPLES.submitWrittenReview });
    expect(review.status).toBe(409); // the council has decided; before that: 422 C-6 (below)
  });

  test('a member who has not declared sees no dossier until they declare; a conflicted one may not review (C-6)', async () => {
    const taskId = await filedTask(stack);
    expect((await stack.call('POST', `/api/v1/tasks/${taskId}/start-identification-review`, { as: callers.manager })).status).toBe(200);
    const members: Caller[] = MEMBER_NAMES.map((name, i) => ({ userId: `um-${i + 1}`, role: 'council_member', name, email: `um${i + 1}@hoidong.example.vn`, orgId: 'org-hoi-dong', departmentId: stack.config.DEPARTMENT_ID, locale: 'vi' }));
    const roles = ['chair', 'vice_chair', 'reviewer', 'reviewer', 'member', 'member', 'member'];
    const today = new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);
    const formed = await stack.call('POST', `/api/v1/tasks/${taskId}/form-council`, {
      as: callers.manager,
      body: { kind: 'C-ID', members: members.map((m, i) => ({ memberId: m.userId, name: m.name, email: m.email, role: roles[i] })), meetingOn: today, votingDeadline: new Date(Date.now() + 86_400_000).toISOString(), ballot: 'open' },
    });
    expect(formed.status).toBe(200);
    const councilId = `council-${taskId}-C-ID-1`;
    await waitUntil('council read model', async () => (await stack.store.Council.countDocuments({ _id: councilId })) === 1);

    const before: any = await (await stack.call('GET', `/api/v1/councils/${councilId}`, { as: members[0] })).json();
    expect(before.access).toBe('undeclared');
    expect(before).not.toHaveProperty('members');
    const declared = await stack.call('POST', `/api/v1/councils/${councilId}/conflict-declarations`, { as: members[0], body: { conflicted: false } });
    expect(((await declared.json()) as any).access).toBe('full');
    const after: any = await (await stack.call('GET', `/api/v1/councils/${councilId}`, { as: members[0] })).json();
    expect(after.access).toBe('full');
    expect(after.members).toHaveLength(7);

    // A conflict recorded by the Department (C-6) excludes the member at once.
    expect((await stack.call('POST', `/api/v1/councils/${councilId}/conflict-declarations`, { as: callers.manager, body: { memberId: 'um-2', conflicted: true, reason: 'Cán bộ của tổ chức chủ trì' } })).status).toBe(200);
    await waitUntil('conflict in the read model', async () => (await stack.store.Council.findById(councilId).lean())?.members.find((m) => m.memberId === 'um-2')?.conflicted === true);
    const excluded: any = await (await stack.call('GET', `/api/v1/councils/${councilId}`, { as: members[1] })).json();
    expect(excluded.access).toBe('conflicted');
    const review = await stack.call('POST', `/api/v1/councils/${councilId}/written-reviews`, { as: members[1], body: COUNCIL_EXAMPLES.submitWrittenReview });
    expect(review.status).toBe(422);
    expect(((await review.json()) as any).rule).toBe('C-6');
    // Another Department's manager does not learn the council exists.
    expect((await stack.call('GET', `/api/v1/councils/${councilId}`, { as: callers.otherManager })).status).toBe(404);
  });
});

describe('secret ballot (C-4): a fully voted secret C-ID sitting', () => {
  // A ballot is an object under "ballot", or a member's yes: true/false; counts such as "yes": 5 are fine.
  const BALLOT = /"ballot"\s*:\s*\{|"yes"\s*:\s*(true|false)|"openBallots"|"ballots"/;

  test('no read endpoint, as anyone, shows who voted how', async () => {
    const doc = buildOpenApiDocument('http://x');
    // Every GET but the OpenAPI document itself (it describes the ballot's schema, it holds no ballot).
    const reads = documentedOperations(doc).filter((o) => o.method === 'GET' && o.path !== '/api/v1/openapi.json');
    const taskDoc = (await stack.store.Task.findById(council.taskId).lean())!;
    let checked = 0;
    for (const { path: template } of reads) {
      const path = template
        .replace('{taskId}', council.taskId)
        .replace('{councilId}', council.councilId)
        .replace('{documentId}', taskDoc.documents[0]!.documentId)
        .replace('{fileId}', council.fileId)
        .replace('{userId}', council.members[0]!.userId)
        .replace('{importId}', importId)
        .replace('{name}', 'thanh-vien-hoi-dong.csv');
      for (const kind of CALLERS.filter((k) => k !== 'anonymous')) {
        const as = kind === 'member' ? council.members[5]! : callers[kind as Exclude<CallerKind, 'anonymous'>];
        const res = await stack.call('GET', path, { as });
        if (res.headers.get('content-type')?.includes('pdf')) continue; // the PDFs: read in councils-api.test.ts
        const text = await res.text();
        expect(text).not.toMatch(BALLOT);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(50);
    // What the members and the Department do see: that everyone voted, and the counts.
    const view: any = await (await stack.call('GET', `/api/v1/councils/${council.councilId}`, { as: callers.manager })).json();
    expect(view.result).toMatchObject({ outcome: 'RECOMMENDED', figures: { yes: 5, no: 1, present: 6 } });
    expect(view.members.filter((m: { voted: boolean }) => m.voted)).toHaveLength(6);
  });

  test('nor do the read models, the audit log or any log line', async () => {
    expect(JSON.stringify(await stack.store.Council.findById(council.councilId).lean())).not.toMatch(BALLOT);
    expect(JSON.stringify(await stack.store.Task.findById(council.taskId).lean())).not.toMatch(BALLOT);
    const audit: any = await (await stack.call('GET', `/api/v1/audit-log?councilId=${council.councilId}&limit=100`, { as: callers.admin })).json();
    const votes = audit.items.filter((e: { action: string }) => e.action === 'castVote');
    expect(votes).toHaveLength(6);
    for (const v of votes) expect(Object.keys(v).sort()).toEqual(['action', 'actor', 'at', 'councilId', 'id', 'item', 'kind', 'requestId', 'taskId']);
    expect(JSON.stringify(audit)).not.toMatch(BALLOT);
    expect(JSON.stringify(await stack.store.AuditLog.find({ councilId: council.councilId }).lean())).not.toMatch(BALLOT);
    expect(logLines.length).toBeGreaterThan(100);
    for (const line of logLines) expect(line).not.toMatch(BALLOT);
    // The vote requests are in the log (method and URL), their bodies are not.
    expect(logLines.filter((l) => l.includes(`/councils/${council.councilId}/votes`)).length).toBeGreaterThanOrEqual(6);
  });
});
