/**
 * The OpenAPI 3.1 document, generated from the same zod schemas that validate
 * requests: every operation with its parameters, bodies, responses and error
 * responses (application/problem+json), and the two ways of signing in: a bearer token
 * (API clients) or the browser session cookie with its CSRF header.
 */
import { OpenApiGeneratorV31, OpenAPIRegistry, type RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z } from './zod';
import type { CouncilCommandName } from '../workflows/definitions';
import { COMMANDS } from '../workflows/rules/transitions';
import { COMMAND_BODIES, COMMAND_EXAMPLES, COMMAND_SUMMARIES, commandPath, type ApiCommandName } from './commands';
import { COUNCIL_BODIES, COUNCIL_EXAMPLES, COUNCIL_PATHS, CouncilFileParams, CouncilIdParam } from './routes/councils';
import { MEDIA_TYPES } from './file-content';
import { registerPortfolioPaths } from './routes/portfolio';
import { listResponse } from './export';
import { registerPortfolioJobPaths } from './routes/portfolio-jobs';
import { registerOperationsPaths } from './routes/operations';
import { registerTemporalCodecPaths } from './routes/temporal-codec';
import { registerPublicStatusPaths } from './routes/public-status';
import { registerOpenDataPaths } from './routes/open-data';
import { registerDocumentPaths } from './routes/documents';
import {
  AuditPage,
  AuditQuery,
  CouncilList,
  CouncilResponse,
  DocumentParams,
  Health,
  LoginBody,
  LoginResult,
  MePatchBody,
  NewUserBody,
  PeopleList,
  PeopleQuery,
  ProblemDetails,
  SheetImportBody,
  UserImportReport,
  ProposalBody,
  PublicCall,
  PublicCallList,
  SessionResult,
  TaskCreated,
  TaskFileParams,
  TaskIdParam,
  UploadResult,
  TaskList,
  TaskListQuery,
  TaskView,
  UserIdParam,
  UserList,
  UserListQuery,
  UserPatchBody,
  UserView,
  VoteReceipt,
} from './schemas';

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input: malformed JSON, unknown or invalid fields, $-keys or dotted keys, a bad cursor (each field named)',
  401: 'No bearer token and no session cookie, an invalid or expired token, a session that has ended, or a deactivated account',
  403: 'The caller\'s role may not do this, or a write authenticated by the session cookie came without the matching X-CSRF-Token (urn:khcn-flow:problem:csrf)',
  404: 'No such resource, or not visible to the caller (existence is not revealed)',
  405: 'Method not allowed on this path (see Allow)',
  409: 'Not allowed now (the reason cites the rule), or a request with the same Idempotency-Key is still running',
  413: 'Body too large',
  415: 'Body is not JSON',
  422: 'Refused by a business rule (the reason cites the rule), or the Idempotency-Key was used for a different body',
  429: 'Too many requests (per user, per IP address when unauthenticated; stricter on login)',
  500: 'Internal error (never a stack trace)',
};

const retryAfter = z.string().describe('Seconds to wait');
const problem = (status: number, description = ERROR_DESCRIPTIONS[status]!) => ({
  description,
  content: { 'application/problem+json': { schema: ProblemDetails } },
  ...(status === 429 ? { headers: z.object({ 'retry-after': retryAfter }) } : {}),
});
const problems = (...statuses: number[]) =>
  Object.fromEntries([
    ...statuses.map((s) => [s, problem(s)]),
    // Node's HTTP server answers this one itself, before the application sees the request.
    [431, { description: 'Request line or headers too large (answered by the HTTP server, without a body)' }],
  ]);
const json = (description: string, schema: z.ZodType, headers?: z.ZodObject) => ({ description, content: { 'application/json': { schema } }, ...(headers ? { headers } : {}) });

const languageHeader = z.object({ 'accept-language': z.string().optional().describe('vi (default) or en') });
/** Every POST, PATCH, PUT and DELETE: the double-submit CSRF token of a browser session. */
const writeHeaders = languageHeader.extend({
  'x-csrf-token': z.string().optional().describe('Required when the request is authenticated by the session cookie (no Authorization header): the value of the khcn_csrf cookie (also returned as csrfToken at sign-in); otherwise 403'),
});
const idempotencyHeaders = writeHeaders.extend({
  'idempotency-key': z.string().regex(/^[A-Za-z0-9_.:-]{8,128}$/).optional().describe('Repeat-safe request key (8–128 of A–Z a–z 0–9 _ . : -): the same key and body get the first response again'),
});
/** A stored file as sent (issue 10): its detected type, as an attachment, with its SHA-256. */
const fileDownload = (description: string) => ({
  description,
  content: Object.fromEntries(Object.values(MEDIA_TYPES).map((t) => [t, { schema: z.string().openapi({ format: 'binary' }) }])),
  headers: z.object({
    'content-disposition': z.string().describe('attachment; filename="…" (ASCII); filename*=UTF-8\'\'… (the exact name)'),
    'x-content-sha256': z.string().describe('SHA-256 of the content, hex'),
  }),
});
const replayedHeader = z.object({ 'idempotent-replayed': z.string().optional().describe('"true" when this is the stored response of an earlier request with the same Idempotency-Key') });

/** Errors every authenticated operation may answer. */
const READ_ERRORS = [400, 401, 403, 404, 429, 500];
const WRITE_ERRORS = [400, 401, 403, 404, 409, 413, 415, 422, 429, 500];

export function buildOpenApiDocument(serverUrl: string) {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'A token from POST /api/v1/auth/login (or, when configured, from the external OpenID Connect provider). When an Authorization header is sent, it alone decides (the session cookie is ignored).',
  });
  registry.registerComponent('securitySchemes', 'session', {
    type: 'apiKey',
    in: 'cookie',
    name: 'khcn_session',
    description:
      'A browser session from POST /api/v1/auth/session (HttpOnly, SameSite=Strict, Path=/, Secure under https). Every POST, PATCH, PUT and DELETE so authenticated needs the X-CSRF-Token header equal to the khcn_csrf cookie, else 403 urn:khcn-flow:problem:csrf. The session ends after SESSION_IDLE_MINUTES without a request, SESSION_ABSOLUTE_HOURS after sign-in, at sign-out, or when the account is deactivated.',
  });
  registry.register('Proposal', ProposalBody);
  registry.register('Task', TaskView);
  registry.register('TaskList', TaskList);
  registry.register('Council', CouncilResponse);
  registry.register('User', UserView);
  registry.register('AuditPage', AuditPage);
  registry.register('Problem', ProblemDetails);
  registry.register('PublicCall', PublicCall);
  const secured: Record<string, string[]>[] = [{ bearer: [] }, { session: [] }];
  const setCookie = z.object({ 'set-cookie': z.string().describe('khcn_session and khcn_csrf') });
  const path = (route: RouteConfig) => registry.registerPath(route);

  path({
    method: 'get',
    path: '/health',
    operationId: 'health',
    summary: 'Health of each dependency (Temporal, MongoDB, SMTP), the worker and the task queue backlog',
    security: [],
    responses: { 200: json('Usable: Temporal, the store and a worker up (status "degraded" when SMTP alone is down)', Health), 503: json('Not usable: Temporal, the store or every worker down', Health), ...problems(500) },
  });
  path({
    method: 'get',
    path: '/api/v1/openapi.json',
    operationId: 'openApiDocument',
    summary: 'This document',
    security: [],
    responses: { 200: json('The OpenAPI 3.1 document', z.looseObject({ openapi: z.string() })) },
  });

  // ---- Authentication ----
  path({
    method: 'post',
    path: '/api/v1/auth/login',
    operationId: 'login',
    summary: 'Sign in with email and password: a bearer token',
    description: 'A wrong password, an unknown email and a deactivated account all get the same 401. Rate-limited per IP address (stricter than the rest). The one POST without Idempotency-Key: a token is never stored for replay.',
    security: [],
    request: { headers: languageHeader, body: { required: true, content: { 'application/json': { schema: LoginBody } } } },
    responses: { 200: json('Signed in', LoginResult), ...problems(400, 401, 413, 415, 429, 500) },
  });
  path({
    method: 'post',
    path: '/api/v1/auth/session',
    operationId: 'signIn',
    summary: 'Sign in with email and password: a browser session (cookies khcn_session and khcn_csrf)',
    description:
      'Always a new session: a session cookie sent with the request is ended (no fixation). Sets khcn_session (HttpOnly; SameSite=Strict; Path=/; Secure under https) and khcn_csrf (readable by scripts; SameSite=Strict; Path=/), both with Max-Age = the absolute lifetime. The same 401 for every wrong credential, and the same per-IP limit as /auth/login. No Idempotency-Key: a session is never stored for replay.',
    security: [],
    request: { headers: languageHeader, body: { required: true, content: { 'application/json': { schema: LoginBody } } } },
    responses: { 201: json('Signed in', SessionResult, setCookie), ...problems(400, 401, 413, 415, 429, 500) },
  });
  path({
    method: 'delete',
    path: '/api/v1/auth/session',
    operationId: 'signOut',
    summary: 'Sign out: the session in the cookie ends now, server-side, and both cookies are cleared',
    description: 'A live session needs its X-CSRF-Token (403 otherwise). Without a live session there is nothing to end: 204 all the same, cookies cleared.',
    security: [],
    request: { headers: writeHeaders },
    responses: { 204: { description: 'Signed out (cookies cleared)', headers: setCookie }, ...problems(403, 429, 500) },
  });
  path({
    method: 'get',
    path: '/api/v1/auth/me',
    operationId: 'me',
    summary: 'The caller as the users collection knows them',
    security: secured,
    request: { headers: languageHeader },
    responses: { 200: json('The caller', UserView), ...problems(...READ_ERRORS) },
  });
  path({
    method: 'patch',
    path: '/api/v1/auth/me',
    operationId: 'updateMe',
    summary: 'Change one\'s own language (pages and e-mails follow it)',
    security: secured,
    request: { headers: writeHeaders, body: { required: true, content: { 'application/json': { schema: MePatchBody } } } },
    responses: { 200: json('The caller', UserView), ...problems(400, 401, 403, 413, 415, 429, 500) },
  });

  // ---- Public: open calls (no sign-in) ----
  path({
    method: 'get',
    path: '/api/v1/public/calls',
    operationId: 'publicCalls',
    summary: 'The Department\'s open calls for applications (L-4): public fields only, closing soonest first',
    description: 'No sign-in. A call is listed while its task is in CALL_OPEN and its closing day (Vietnam) has not passed. Never an e-mail address, a phone, the proposer or an applicant. Rate-limited per IP address.',
    security: [],
    request: { headers: languageHeader },
    responses: { 200: json('Open calls', PublicCallList), ...problems(429, 500) },
  });
  path({
    method: 'get',
    path: '/api/v1/public/calls/{taskId}',
    operationId: 'publicCall',
    summary: 'One open call (404 unless the call is open)',
    security: [],
    request: { params: TaskIdParam, headers: languageHeader },
    responses: { 200: json('The call', PublicCall), ...problems(400, 404, 429, 500) },
  });

  // ---- Public (issue 11): status lookup, open data ----
  registerPublicStatusPaths(registry, { json, errors: problems(400, 403, 404, 413, 415, 429, 500), writeHeaders });
  registerOpenDataPaths(registry, { errors: problems(400, 429, 500), languageHeader });

  // ---- Proposals and tasks ----
  path({
    method: 'post',
    path: '/api/v1/proposals',
    operationId: 'fileProposal',
    summary: 'File a proposal (L-1): starts the task\'s lifecycle workflow',
    security: secured,
    request: { headers: idempotencyHeaders, body: { required: true, content: { 'application/json': { schema: ProposalBody } } } },
    responses: {
      201: json('Task created (or the same task again for a repeated Idempotency-Key)', TaskCreated, replayedHeader.extend({ location: z.string().describe('The task') })),
      ...problems(...WRITE_ERRORS),
    },
  });
  path({
    method: 'get',
    path: '/api/v1/tasks',
    operationId: 'listTasks',
    summary: 'The caller\'s tasks: a researcher\'s organisation\'s, a manager\'s or admin\'s Department\'s (portfolio), filtered, sorted, paginated',
    description: 'Cursor pagination: pass nextCursor back as cursor with the same filters and sort. format=csv or format=xlsx downloads every task the filters select, in the sort, as a file (headings in the Accept-Language; cursor and limit do not apply; at most 10,000 rows, X-Export-Truncated: true beyond). Council members use /councils/mine (403 here).',
    security: secured,
    request: { query: TaskListQuery, headers: languageHeader },
    responses: { 200: listResponse('A page of tasks', TaskList), ...problems(...READ_ERRORS) },
  });
  path({
    method: 'get',
    path: '/api/v1/tasks/{taskId}',
    operationId: 'getTask',
    summary: 'A task with its stage, timeline, obligations, funds, councils (counts only), documents and the caller\'s allowed actions',
    security: secured,
    request: { params: TaskIdParam, headers: languageHeader },
    responses: { 200: json('The task', TaskView), ...problems(...READ_ERRORS) },
  });
  path({
    method: 'get',
    path: '/api/v1/tasks/{taskId}/documents/{documentId}',
    operationId: 'getTaskDocument',
    summary: 'Download a document of the task (PDF)',
    security: secured,
    request: { params: DocumentParams, headers: languageHeader },
    responses: {
      200: { description: 'The document', content: { 'application/pdf': { schema: z.string().describe('binary') } } },
      ...problems(...READ_ERRORS),
    },
  });
  path({
    method: 'get',
    path: '/api/v1/tasks/{taskId}/files/{fileId}',
    operationId: 'getTaskFile',
    summary: 'Download a file of the task (a command\'s attachment), streamed; audited',
    description: 'As the task: its organisation\'s researchers (not another applicant\'s dossier files), the Department\'s managers and admin. Content-Type is the type detected at upload; always Content-Disposition: attachment, X-Content-Type-Options: nosniff.',
    security: secured,
    request: { params: TaskFileParams, headers: languageHeader },
    responses: { 200: fileDownload('The file'), ...problems(...READ_ERRORS) },
  });
  // A body is required unless every field is optional (then no body means `{}`).
  for (const name of Object.keys(COMMAND_BODIES) as ApiCommandName[]) {
    path({
      method: 'post',
      path: `/api/v1/tasks/{taskId}/${commandPath(name)}`,
      operationId: name,
      summary: COMMAND_SUMMARIES[name],
      description: `Roles: ${COMMANDS[name].roles.join(', ')}. Allowed in: ${COMMANDS[name].from.join(', ') || 'any open stage'}. 409 when not allowed now (or the task is closed), 422 when a rule refuses, each with the rule.`,
      security: secured,
      request: { params: TaskIdParam, headers: idempotencyHeaders, body: { required: !COMMAND_BODIES[name].safeParse({}).success, content: { 'application/json': { schema: COMMAND_BODIES[name], example: COMMAND_EXAMPLES[name] } } } },
      responses: { 200: json('The task after the command', TaskView, replayedHeader), ...problems(...WRITE_ERRORS) },
    });
  }

  // ---- Councils ----
  path({
    method: 'get',
    path: '/api/v1/councils/mine',
    operationId: 'myCouncils',
    summary: 'The councils the caller sits on (council members)',
    security: secured,
    request: { headers: languageHeader },
    responses: { 200: json('Councils, each as the caller may see it', CouncilList), ...problems(...READ_ERRORS) },
  });
  path({
    method: 'get',
    path: '/api/v1/councils/{councilId}',
    operationId: 'getCouncil',
    summary: 'A council sitting as the caller may see it: members, declarations, attendance, quorum, result (a secret ballot shows counts only; a conflicted member sees their own seat only)',
    security: secured,
    request: { params: CouncilIdParam, headers: languageHeader },
    responses: { 200: json('The council', CouncilResponse), ...problems(...READ_ERRORS) },
  });
  path({
    method: 'get',
    path: '/api/v1/councils/{councilId}/files/{fileId}',
    operationId: 'getCouncilFile',
    summary: 'Download a file of what the council judges (or of a written review), streamed; audited',
    description: 'The Department\'s managers and admin; the council\'s members only after declaring no conflict (C-6: 403 before, and for a conflicted member). C-ID: the proposal\'s files; C-SEL: the proposal\'s and the agenda\'s dossiers\'; C-ACC: the acceptance dossier\'s.',
    security: secured,
    request: { params: CouncilFileParams, headers: languageHeader },
    responses: { 200: fileDownload('The file'), ...problems(...READ_ERRORS) },
  });
  for (const name of Object.keys(COUNCIL_BODIES) as CouncilCommandName[]) {
    path({
      method: 'post',
      path: `/api/v1/councils/{councilId}/${COUNCIL_PATHS[name].path}`,
      operationId: `council_${name}`,
      summary: `Council: ${name}`,
      description: `Roles: ${COUNCIL_PATHS[name].roles.join(', ')}.`,
      security: secured,
      request: { params: CouncilIdParam, headers: idempotencyHeaders, body: { required: true, content: { 'application/json': { schema: COUNCIL_BODIES[name], example: COUNCIL_EXAMPLES[name] } } } },
      responses: {
        ...(name === 'castVote'
          ? { 201: json('Vote recorded: its receipt, never the ballot', VoteReceipt, replayedHeader), 200: json('The same vote again: the same receipt', VoteReceipt, replayedHeader) }
          : { 200: json('The council after the command', CouncilResponse, replayedHeader) }),
        ...problems(...WRITE_ERRORS),
      },
    });
  }

  // ---- Uploads (issue 10) ----
  path({
    method: 'post',
    path: '/api/v1/uploads',
    operationId: 'uploadFiles',
    summary: 'Upload files to attach to a command: staged, the caller\'s, for UPLOAD_STAGED_HOURS',
    description:
      'multipart/form-data with one or more parts named `file` (at most UPLOAD_MAX_FILES, each at most UPLOAD_MAX_FILE_BYTES). Streamed to storage with the SHA-256 and size computed on the way; the type is read from the content (PDF, DOCX, XLSX, ODT, PNG, JPEG, ZIP), never from the name; names are kept safe (basename, NFC, no control or reserved characters, at most 200 characters). Any bad part fails the whole request and nothing is kept: 413 file-too-large, 415 file-type-not-allowed, 400 file-empty, malformed multipart or no `file` part; each error names `file[i]` and the file. Attach an upload by its uploadId in a command\'s `attachments`. Idempotency-Key is not honoured here (a repeated upload stages a copy, which expires unattached).',
    security: secured,
    request: {
      headers: languageHeader,
      body: { required: true, content: { 'multipart/form-data': { schema: z.object({ file: z.array(z.string().openapi({ format: 'binary' })).min(1).describe('The files, each a part named file') }) } } },
    },
    responses: {
      201: json('Staged: one item per file, in the order sent', UploadResult),
      ...problems(400, 401, 413, 415, 429, 500),
    },
  });

  // ---- Users (admins) ----
  path({
    method: 'get',
    path: '/api/v1/users',
    operationId: 'listUsers',
    summary: 'Users of the Department (admins)',
    security: secured,
    request: { query: UserListQuery, headers: languageHeader },
    responses: { 200: json('A page of users', UserList), ...problems(...READ_ERRORS) },
  });
  path({
    method: 'post',
    path: '/api/v1/users',
    operationId: 'createUser',
    summary: 'Create a user of the Department (admins)',
    security: secured,
    request: { headers: idempotencyHeaders, body: { required: true, content: { 'application/json': { schema: NewUserBody } } } },
    responses: { 201: json('The user', UserView, replayedHeader.extend({ location: z.string() })), ...problems(...WRITE_ERRORS) },
  });
  path({
    method: 'patch',
    path: '/api/v1/users/{userId}',
    operationId: 'updateUser',
    summary: 'Change a user: name, role, organisation, language, password, or deactivate (admins)',
    security: secured,
    request: { params: UserIdParam, headers: writeHeaders, body: { required: true, content: { 'application/json': { schema: UserPatchBody } } } },
    responses: { 200: json('The user', UserView), ...problems(...WRITE_ERRORS) },
  });

  path({
    method: 'post',
    path: '/api/v1/users/imports',
    operationId: 'importCouncilMembers',
    summary: 'Provision council members in bulk from a sheet (admins)',
    description:
      'The sheet is an upload of the caller\'s (POST /api/v1/uploads): XLSX or CSV in UTF-8, columns as in templates/import/thanh-vien-hoi-dong.md (email, name, title, workplace, orgId, orgName, locale; by key or Vietnamese label). Every row is checked; each valid row creates the council member of the caller\'s Department or updates their profile, matched by e-mail (the same sheet again creates nothing). An e-mail of an account of another role or Department is a row error. dryRun: true checks and writes nothing. The upload stays staged (a dry run and then the real run use the same uploadId). 422 when the upload is not the caller\'s staged sheet, or the sheet is not the template (each issue listed). Imported members have no password.',
    security: secured,
    request: { headers: idempotencyHeaders, body: { required: true, content: { 'application/json': { schema: SheetImportBody } } } },
    responses: { 200: json('Every row\'s outcome, with each bad cell\'s column and reason', UserImportReport, replayedHeader), ...problems(...WRITE_ERRORS) },
  });
  path({
    method: 'get',
    path: '/api/v1/people',
    operationId: 'listPeople',
    summary: 'People of the Department to pick for a council: name, academic title, workplace, organisation, e-mail (managers, admins)',
    description: 'Active users of the caller\'s Department, ordered by given name (Vietnamese order), filtered by role (e.g. council_member) and organisation; q searches words of the name, title, workplace, organisation and e-mail (prefixes, accents optional). Cursor pagination.',
    security: secured,
    request: { query: PeopleQuery, headers: languageHeader },
    responses: { 200: json('A page of people', PeopleList), ...problems(...READ_ERRORS) },
  });

  // ---- Audit log (admins) ----
  path({
    method: 'get',
    path: '/api/v1/audit-log',
    operationId: 'auditLog',
    summary: 'The append-only audit log of the Department, newest first (admins)',
    description: 'Stage changes (from the task timelines), accepted task and council commands, user administration. A vote appears as "voted on item", never the ballot. No endpoint changes or deletes an entry.',
    security: secured,
    request: { query: AuditQuery, headers: languageHeader },
    responses: { 200: json('A page of entries', AuditPage), ...problems(...READ_ERRORS) },
  });

  // ---- Portfolio (§8, managers and admins) ----
  registerPortfolioPaths(registry, { json, errors: problems(...READ_ERRORS), languageHeader });
  // Issue 11: the import of the running portfolio and the reconciliation, as jobs.
  registerPortfolioJobPaths(registry, { json, readErrors: problems(...READ_ERRORS), writeErrors: problems(...WRITE_ERRORS), languageHeader, idempotencyHeaders });
  // ---- Operations (issue 11, admins) ----
  registerOperationsPaths(registry, { json, errors: problems(...READ_ERRORS), languageHeader });
  // ---- The Temporal Web UI's codec endpoint (issue 15, admins) ----
  registerTemporalCodecPaths(registry, { json, errors: problems(400, 401, 403, 404, 413, 415, 429, 500), languageHeader });

  // ---- Official documents: draft → signature → number → issue (issue 12) ----
  registerDocumentPaths(registry, { json, readErrors: problems(...READ_ERRORS), writeErrors: problems(...WRITE_ERRORS), languageHeader, writeHeaders: idempotencyHeaders });

  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'KHCN Flow API',
      version: '0.2.0',
      description:
        'Lifecycle of provincial S&T tasks (nhiệm vụ KH&CN). Sign in with a bearer token (API clients) or a browser session cookie (writes then need X-CSRF-Token). Errors are application/problem+json with stable `type` codes and field paths; messages in Vietnamese or English by Accept-Language. Every POST honours Idempotency-Key.',
    },
    servers: [{ url: serverUrl }],
    security: secured,
  });
}

/** Method and path template of every documented operation (the authorization matrix and the 405 handler use it). */
export function documentedOperations(doc: ReturnType<typeof buildOpenApiDocument>): { method: string; path: string }[] {
  return Object.entries(doc.paths ?? {}).flatMap(([p, item]) =>
    Object.keys(item as object)
      .filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
      .map((m) => ({ method: m.toUpperCase(), path: p })),
  );
}
