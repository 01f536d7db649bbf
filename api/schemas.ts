/**
 * Request and response schemas: validation, TypeScript types and (later) the
 * OpenAPI document come from here. Every object is strict: unknown fields are refused.
 */
import { chars, email as emailAddress, text, z } from './zod';
import { DELEGATION_AREAS, POSITIONS, ROLES, TASK_FORMS, TASK_LEVELS, TaskStage } from '../workflows/definitions';

/** Integer VND, never negative; 10^15 is far above any S&T budget and inside 2^53. */
const vnd = z.number().int().min(0).max(1_000_000_000_000_000);

// ---- Files (issue 10) ----

/** An upload's ID (POST /api/v1/uploads); once attached to a command, the file's ID. */
export const FileId = z.string().regex(/^f-[0-9a-f]{24}$/);

/**
 * The files a command carries: uploadIds of the caller's staged uploads, each once.
 * The API checks them before the command goes to the workflow (422 naming attachments[i]).
 */
export const Attachments = z
  .array(FileId)
  .max(20)
  .refine((ids) => new Set(ids).size === ids.length, { params: { unique: true } })
  .openapi({ uniqueItems: true })
  .describe('uploadIds from POST /api/v1/uploads (the caller\'s, not yet attached), at most 20')
  .optional();

/** A file as a command recorded it: what it is, never where it is stored. */
export const FileAttachmentView = z
  .object({ fileId: z.string(), filename: z.string(), size: z.number().int(), sha256: z.string().describe('SHA-256 of the content, hex'), contentType: z.string().describe('Detected from the content') })
  .strict();

/** One of a task's files, with who filed it, when, by which command, and where to download it. */
export const TaskFileView = FileAttachmentView.extend({
  uploadedBy: z.object({ userId: z.string(), name: z.string() }).strict(),
  uploadedAt: z.string().describe('Time of the command that attached it'),
  command: z.string().describe('The command that attached it (fileProposal for the proposal)'),
  dossierId: z.string().optional().describe('The application dossier it belongs to (submitDossier)'),
  url: z.string(),
}).strict();

/** A file of the items a council judges (C-ID, C-SEL, C-ACC), and its written reviews' files (C-3). */
export const CouncilFileView = z
  .object({
    fileId: z.string(),
    filename: z.string(),
    size: z.number().int(),
    sha256: z.string(),
    contentType: z.string(),
    command: z.string(),
    dossierId: z.string().optional().describe('C-SEL: the dossier it belongs to'),
    url: z.string(),
  })
  .strict();

export const UploadResult = z
  .object({
    items: z.array(
      z
        .object({
          uploadId: FileId,
          filename: z.string().describe('The name kept: basename, NFC, no control or reserved characters, ≤ 200 characters, the extension of the detected type'),
          size: z.number().int(),
          sha256: z.string(),
          contentType: z.enum(['application/pdf', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'application/vnd.oasis.opendocument.text', 'image/png', 'image/jpeg', 'application/zip', 'text/csv']),
          uploadedAt: z.string(),
        })
        .strict(),
    ),
  })
  .strict();

/** The proposal form's fields (L-1, domain.md §7). */
export const ProposalFields = z
  .object({
    title: text(500),
    urgency: text(10_000),
    objectives: text(10_000),
    expectedProducts: z.array(text(2_000)).min(1).max(50),
    resultUsage: text(10_000),
    durationMonths: z.number().int().min(1).max(120),
    budget: z.object({ stateBudget: vnd, otherSources: vnd }).strict(),
    level: z.enum(TASK_LEVELS),
    form: z.enum(TASK_FORMS),
    proposer: z
      .object({
        name: text(200),
        organisation: text(500),
        email: emailAddress,
        phone: z.string().regex(/^\+?[0-9 .()-]{6,20}$/).optional(),
      })
      .strict(),
  })
  .strict();

/** POST /api/v1/proposals: the form, and the files filed with it. */
export const ProposalBody = ProposalFields.extend({ attachments: Attachments }).strict();
export type ProposalBody = z.infer<typeof ProposalBody>;

export const TaskIdParam = z.object({ taskId: z.string().regex(/^NV-[0-9A-Z]{10,32}$/) }).strict();
export const DocumentParams = z
  .object({ taskId: TaskIdParam.shape.taskId, documentId: z.string().regex(/^doc-[0-9a-f]{24}$/) })
  .strict();

export const TaskFileParams = z.object({ taskId: TaskIdParam.shape.taskId, fileId: FileId }).strict();

export const IdempotencyKey = z.string().regex(/^[A-Za-z0-9_.:-]{8,128}$/);
/** The header as a field, so that a bad key is reported as `Idempotency-Key`, not as the body's root. */
export const IdempotencyKeyHeader = z.object({ 'Idempotency-Key': IdempotencyKey }).strict();

/** A comma-separated list of values of an enum, as a query parameter (stage=IN_PROGRESS,SUSPENDED). */
const csvOf = (values: readonly string[]) =>
  z.string().regex(new RegExp(`^(${values.join('|')})(,(${values.join('|')})){0,${values.length - 1}}$`), `comma-separated values of: ${values.join(', ')}`);
export const splitCsv = (v: string | undefined): string[] | undefined => (v === undefined ? undefined : [...new Set(v.split(','))]);
const limit = z.coerce.number().int().min(1).max(100).optional().describe('Page size, 1–100 (default 20)');
const cursor = z.string().regex(/^[A-Za-z0-9_-]{1,1000}$/).optional().describe('nextCursor of the previous page (opaque)');
export const TASK_STAGES = Object.values(TaskStage) as [TaskStage, ...TaskStage[]];

/**
 * GET /api/v1/tasks: the caller's tasks (a researcher: their organisation's, as
 * proposer, host or applicant; a manager or admin: their Department's), filtered and sorted.
 */
export const TaskListQuery = z
  .object({
    stage: csvOf(TASK_STAGES).optional().describe('Stages, comma-separated'),
    level: csvOf(TASK_LEVELS).optional().describe('Levels, comma-separated'),
    form: csvOf(TASK_FORMS).optional().describe('Forms, comma-separated'),
    assignment: z.enum(['competitive_selection', 'direct_assignment']).optional(),
    overdue: z.enum(['true', 'false']).optional().describe('Only tasks with (true) or without (false) an overdue obligation (§8)'),
    q: text(200).optional().describe('Words of the title or of the host or proposing organisation (prefixes; accents optional)'),
    hostOrgId: chars(1, 100).optional(),
    officer: z.literal('me').optional().describe('Only tasks whose accountable officer is the caller'),
    sort: z.enum(['submittedAt', 'title', 'nextDeadline']).optional().describe('Default submittedAt'),
    order: z.enum(['asc', 'desc']).optional().describe('Default desc for submittedAt, asc otherwise'),
    cursor,
    limit,
    format: z
      .enum(['json', 'csv', 'xlsx'])
      .optional()
      .describe('json (default: a page), or every task the filters select, in the sort, as a file (csv: UTF-8 with BOM; xlsx), headings in the Accept-Language; cursor and limit do not apply to a file (at most 10,000 rows)'),
  })
  .strict();
export type TaskListQuery = z.infer<typeof TaskListQuery>;

// ---- Responses (documented in OpenAPI; the tests hold responses to them) ----

const isoTime = z.string().describe('ISO 8601 timestamp');

const Stage = z.string().describe('Task stage, domain.md §2 (e.g. PROPOSED, IDENTIFICATION_REVIEW)');

export const TaskCreated = z
  .object({ taskId: z.string(), workflowId: z.string(), stage: Stage, links: z.object({ self: z.string() }).strict() })
  .strict();

export const TimelineEntry = z
  .object({
    at: z.string(),
    stage: Stage,
    rule: z.string().describe('Rule ID of domain.md that made the transition'),
    by: z.object({ userId: z.string(), role: z.string(), name: z.string() }).strict(),
    action: z.string().optional(),
    note: z.string().optional(),
    attachments: z.array(FileAttachmentView).optional().describe('Files the command carried'),
  })
  .strict();

export const DocumentLink = z
  .object({ documentId: z.string(), kind: z.string(), title: z.string(), stateHash: z.string(), createdAt: z.string(), number: z.string().optional(), url: z.string() })
  .strict();

const Person = z.object({ name: z.string(), email: z.string() }).strict();
const Host = z.object({ orgId: z.string(), orgName: z.string(), pi: Person }).strict();

export const Obligation = z
  .object({
    id: z.string(),
    kind: z.string(),
    rule: z.string(),
    deliverable: z.object({ vi: z.string(), en: z.string() }).strict().describe('Clear task'),
    assignee: z.enum(['host', 'department']).describe('Clear person'),
    assigneeName: z.string(),
    accountable: Person.optional().describe('Clear responsibility: the accountable officer'),
    dueOn: z.string().describe('Clear progress: due date (Vietnam)'),
    remindOn: z.string().optional(),
    status: z.enum(['OPEN', 'DONE', 'OVERDUE', 'WAIVED', 'CANCELLED']),
    pausable: z.boolean(),
    right: z.boolean().optional().describe('A right that lapses, not a duty'),
    reminded: z.boolean(),
    escalated: z.boolean(),
    evidence: z.string().optional().describe('Clear result'),
    closedAt: z.string().optional(),
  })
  .strict();

const Funds = z
  .object({
    approvedState: z.number().int(),
    approvedOther: z.number().int(),
    disbursed: z.number().int(),
    disbursements: z.array(z.object({ on: z.string(), amount: z.number().int(), note: z.string().optional() }).strict()),
    refundDue: z
      .object({ unspent: z.number().int(), spentShare: z.number().int(), total: z.number().int(), cause: z.enum(['objective', 'subjective']), basis: z.object({ vi: z.string(), en: z.string() }).strict() })
      .strict()
      .optional(),
    refunded: z.number().int(),
    refunds: z.array(z.object({ on: z.string(), amount: z.number().int() }).strict()).optional().describe('Refunds received, dated'),
    writtenOff: z
      .array(z.object({ on: z.string(), amount: z.number().int(), decisionNumber: z.string(), decidedOn: z.string(), grounds: z.string(), by: z.string() }).strict())
      .optional()
      .describe('Issue 13 (T-3): amounts owed written off by a decision'),
  })
  .strict();

export const TaskView = z
  .object({
    taskId: z.string(),
    workflowId: z.string(),
    stage: Stage,
    version: z.number().int(),
    title: z.string(),
    level: z.string(),
    form: z.string(),
    ruleSet: z.object({ regime: z.string(), provinceProfile: z.string(), version: z.string() }).strict(),
    submittedAt: z.string(),
    proposal: ProposalFields,
    host: Host.optional(),
    accountableOfficer: Person.optional(),
    call: z
      .object({
        opensOn: z.string().describe('YYYY-MM-DD (Vietnam)'),
        closesOn: z.string().describe('Last day dossiers are taken, YYYY-MM-DD (Vietnam)'),
        round: z.number().int(),
        dossiers: z
          .array(z.object({ dossierId: z.string().describe('The dossier code (HS-<round>-<n>)'), host: Host.describe('The applicant: organisation and PI'), submittedAt: isoTime, valid: z.boolean().optional().describe('Set at the opening session (L-5)') }).strict())
          .describe('A researcher sees their own organisation\'s dossiers only; the Department sees every dossier'),
      })
      .strict()
      .optional()
      .describe('The call for applications (L-4, L-5), once opened'),
    proposingOrgId: z.string().describe('The organisation that filed the proposal'),
    approval: z.object({ durationMonths: z.number().int(), fundingMode: z.enum(['full_lump_sum', 'partial_lump_sum']), approvedOn: z.string(), products: z.array(z.string()) }).strict().optional().describe('L-10, once approved'),
    adjustments: z
      .array(z.object({ kind: z.enum(['A-1', 'A-2', 'A-3', 'A-4', 'A-5']), requestedAt: isoTime, details: z.record(z.string(), z.unknown()), decision: z.enum(['approved', 'refused']).optional(), decidedAt: isoTime.optional() }).strict())
      .describe('Adjustment requests (§4), the pending one without a decision'),
    inspections: z
      .array(z.object({ startedAt: isoTime, noticeOn: z.string(), conclusion: z.enum(['continue', 'adjust', 'suspend', 'terminate']).optional(), findings: z.string().optional(), concludedAt: isoTime.optional() }).strict())
      .describe('Inspections (L-13)'),
    suspension: z.object({ since: isoTime, sinceOn: z.string(), remedyDueOn: z.string(), grounds: z.string(), resumeTo: Stage }).strict().optional().describe('T-1, while suspended'),
    termination: z
      .object({
        initiatedBy: z.enum(['host', 'department']),
        grounds: z.string(),
        proposedAt: isoTime,
        observationEndsOn: z.string().optional(),
        observations: z.string().optional(),
        resumeTo: Stage,
        decision: z.enum(['terminated', 'continued']).optional(),
        cause: z.enum(['objective', 'subjective']).optional(),
      })
      .strict()
      .optional()
      .describe('T-2, once proposed or requested'),
    acceptance: z
      .object({ dossierSubmittedAt: isoTime.optional(), late: z.boolean().optional(), complete: z.boolean().optional(), missing: z.array(z.string()).optional(), councilFormedOn: z.string().optional(), rating: z.enum(['EXCELLENT', 'PASS', 'FAIL']).optional(), fundsSpent: z.number().int().optional(),
        lateReason: z.string().optional().describe('Issue 13: the host\'s reasons for filing late'),
        lateJustified: z.boolean().optional().describe('Issue 13: whether the Department found them justified (L-20)'),
        refiledAt: z.array(isoTime).optional().describe('Issue 13: an incomplete dossier filed again (L-19)'),
        revisionRequired: z.boolean().optional().describe('Issue 13: results to be revised before recognition (L-21)'),
        revisedAt: isoTime.optional(),
      })
      .strict()
      .optional()
      .describe('§6, once the acceptance dossier is filed'),
    registration: z.object({ certificates: z.array(z.string()), registeredAt: isoTime }).strict().optional().describe('L-22'),
    contract: z.object({ hostSignedAt: z.string().optional(), departmentSignedAt: z.string().optional(), startOn: z.string().optional(), endOn: z.string().optional(), originalEndOn: z.string().optional(), hostSignedBy: z.object({ userId: z.string(), role: z.string(), name: z.string() }).strict().optional(), departmentSignedBy: z.object({ userId: z.string(), role: z.string(), name: z.string() }).strict().optional() }).strict().optional(),
    funds: Funds,
    obligations: z.array(Obligation),
    reports: z.array(z.object({ period: z.number().int(), dueOn: z.string(), submittedAt: z.string().optional(), late: z.boolean().optional() }).strict()),
    councils: z.array(z.object({ council: z.string(), outcome: z.string(), decidedAt: z.string() }).strict()),
    councilSittings: z.array(
      z
        .object({
          councilId: z.string(),
          kind: z.string(),
          status: z.string(),
          formedAt: z.string(),
          outcome: z.string().optional(),
          warnings: z.array(z.object({ rule: z.string(), vi: z.string(), en: z.string() }).strict()).describe('C-8 continuity warnings'),
          href: z.string(),
        })
        .strict(),
    ),
    timeline: z.array(TimelineEntry),
    nextDeadline: z.string().optional().describe('Earliest open obligation (§8)'),
    overdue: z.boolean().describe('Some obligation is overdue (§8)'),
    documents: z.array(DocumentLink),
    issuance: z
      .array(
        z
          .object({
            documentId: z.string(),
            kind: z.string(),
            title: z.string(),
            status: z.enum(['PENDING', 'ISSUED', 'WITHDRAWN']),
            draftedAt: z.string(),
            effective: z.string().optional().describe('A decision: the command that takes effect when it is issued'),
            href: z.string().describe('GET /api/v1/documents/{documentId}: its signatures and register entry'),
          })
          .strict(),
      )
      .optional()
      .describe('Issue 12: documents drafted and on their way to signature, registration and issue (the Department and the holders of a signature block)'),
    approverDecisions: z
      .array(z.object({ command: z.string(), decision: z.object({ number: z.string(), date: z.string(), signer: z.object({ name: z.string(), title: z.string() }).strict() }).strict(), at: z.string() }).strict())
      .optional()
      .describe('Issue 12: the People\'s Committee\'s decisions the Department recorded (L-3, L-10)'),
    files: z.array(TaskFileView).describe('Files of the task\'s commands, oldest first (an applicant\'s dossier files: its organisation and the Department only)'),
    allowedActions: z.array(z.object({ command: z.string(), href: z.string() }).strict()).describe('Commands the caller may give now (by role, position, stage, and not while a decision awaits issue)'),
    links: z.object({ self: z.string() }).strict(),
  })
  .strict();

export const ProblemDetails = z
  .object({
    type: z.string().describe('Stable problem type, urn:khcn-flow:problem:<code>'),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    requestId: z.string().optional(),
    in: z.string().optional().describe('Where the bad input is: body, query, path or header'),
    errors: z.array(z.object({ field: z.string(), code: z.string(), reason: z.string() })).optional(),
    rule: z.string().optional().describe('Rule ID of domain.md behind a refusal'),
    code: z.string().optional().describe('Refusal code of the workflow'),
  })
  .loose();


export const TaskSummary = z
  .object({
    taskId: z.string(),
    title: z.string(),
    stage: Stage,
    level: z.string(),
    form: z.string(),
    assignment: z.string().optional(),
    submittedAt: isoTime,
    proposerOrganisation: z.string(),
    host: z.object({ orgId: z.string(), orgName: z.string() }).strict().optional(),
    nextDeadline: z.string().optional().describe('Earliest open obligation (§8), YYYY-MM-DD'),
    overdue: z.boolean(),
    accountableOfficer: Person.optional(),
    links: z.object({ self: z.string() }).strict(),
  })
  .strict();
export const TaskList = z
  .object({ items: z.array(TaskSummary), nextCursor: z.string().nullable().describe('Cursor of the next page; null on the last page'), limit: z.number().int() })
  .strict();

// ---- Public calls (no sign-in) ----
/**
 * An open call for applications (L-4) as anyone may read it: what is ordered, for how long and
 * up to what budget, until when. Never an e-mail address, a phone, the proposer or an applicant.
 */
export const PublicCall = z
  .object({
    taskId: z.string(),
    title: z.string(),
    objectives: z.string(),
    expectedProducts: z.array(z.string()),
    level: z.enum(TASK_LEVELS),
    form: z.enum(TASK_FORMS),
    durationMonths: z.number().int(),
    budgetCeiling: z.object({ stateBudget: z.number().int(), otherSources: z.number().int() }).strict().describe('Integer VND, by source'),
    opensOn: z.string().describe('YYYY-MM-DD (Vietnam)'),
    closesOn: z.string().describe('Last day dossiers are taken, YYYY-MM-DD (Vietnam)'),
    round: z.number().int().describe('The call round of this task (1, then 2 after a call without a qualified applicant)'),
    departmentName: z.string(),
  })
  .strict();
export const PublicCallList = z.object({ items: z.array(PublicCall).describe('Open calls, closing soonest first') }).strict();

// ---- Councils ----
const CouncilSeatView = z
  .object({
    memberId: z.string(),
    name: z.string(),
    email: z.string(),
    role: z.string(),
    title: z.string().optional().describe('Issue 12: academic title, e.g. "PGS.TS." (absent on sittings formed before)'),
    workplace: z.string().optional().describe('Issue 12: where the member works'),
    declared: z.boolean(),
    conflicted: z.boolean(),
    present: z.boolean().optional(),
    voted: z.boolean(),
  })
  .strict();

/**
 * What a council judges (C-ID: the proposal; C-SEL: each dossier of the sitting with its applicant;
 * C-ACC: the acceptance dossier and the approved products), for full access only (C-6): the
 * Department's staff, and members once they declared no conflict. Never the proposer's or a
 * PI's e-mail address or phone.
 */
export const CouncilDossier = z
  .object({
    task: z
      .object({
        taskId: z.string(),
        title: z.string(),
        level: z.string(),
        form: z.string(),
        proposal: ProposalBody.omit({ proposer: true }).extend({ proposer: z.object({ name: z.string(), organisation: z.string() }).strict() }).strict(),
        approval: z
          .object({ durationMonths: z.number().int(), fundingMode: z.enum(['full_lump_sum', 'partial_lump_sum']), approvedOn: z.string(), products: z.array(z.string()) })
          .strict()
          .optional()
          .describe('L-10, once approved'),
      })
      .strict(),
    items: z
      .array(
        z
          .object({
            itemId: z.string().describe('C-ID: "proposal"; C-SEL: the dossier code (what a score sheet names as dossierId; HS-GTT for a direct assignment); C-ACC: "acceptance-dossier"'),
            label: z.string(),
            host: z.object({ orgId: z.string(), orgName: z.string(), pi: z.object({ name: z.string() }).strict() }).strict().optional().describe('The applicant (C-SEL) or the host (C-ACC)'),
            files: z
              .array(z.object({ fileId: z.string(), filename: z.string(), size: z.number().int(), sha256: z.string(), contentType: z.string(), url: z.string() }).loose())
              .describe('The files of this item (uploads: issue 10, files)'),
          })
          .strict(),
      )
      .describe('What the members judge, one entry per item'),
    products: z
      .array(z.object({ productId: z.string().describe('P1…Pn: what a C-ACC rating sheet names as productId'), name: z.string() }).strict())
      .optional()
      .describe('C-ACC: the approved products, in approval order'),
  })
  .strict();

/**
 * A council as the caller may see it. `access` says how much: full (managers, and
 * members who declared no conflict), undeclared (a member who has not declared yet,
 * C-6: no dossier before the declaration) or conflicted (excluded, C-6: their own
 * seat only). A secret ballot shows counts only, to everyone (C-4).
 */
export const CouncilResponse = z
  .object({
    councilId: z.string(),
    kind: z.string(),
    ballot: z.enum(['open', 'secret']),
    status: z.string(),
    meetingOn: z.string(),
    votingDeadline: z.string(),
    taskTitle: z.string(),
    access: z.enum(['full', 'undeclared', 'conflicted']),
    you: CouncilSeatView.nullable().describe('The caller\'s own seat (council members)'),
    taskId: z.string().optional(),
    members: z.array(CouncilSeatView).optional(),
    dossiers: z.array(z.string()).optional(),
    dossier: CouncilDossier.optional().describe('What the council judges (full access: GET /councils/{councilId} and the answers of council commands)'),
    criteria: z.array(z.object({ id: z.string(), max: z.number(), products: z.boolean().optional() }).strict()).optional(),
    quorum: z.object({ ok: z.boolean(), eligible: z.number().int(), present: z.number().int(), missing: z.array(z.string()) }).strict().optional(),
    postponements: z.array(z.object({ at: z.string(), reason: z.string() }).strict()).optional(),
    writtenReviews: z.array(z.object({ memberId: z.string(), name: z.string(), at: z.string(), review: z.string(), attachments: z.array(FileAttachmentView).optional() }).strict()).optional(),
    openBallots: z.array(z.object({ memberId: z.string(), ballot: z.record(z.string(), z.unknown()) }).strict()).optional().describe('Open ballots only (C-4)'),
    result: z
      .object({
        kind: z.string(),
        outcome: z.string(),
        figures: z.record(z.string(), z.unknown()).describe('Counts and figures only (C-4, C-9)'),
        explanation: z.object({ rule: z.string(), vi: z.string(), en: z.string() }).strict(),
        winner: z.string().optional(),
        decidedAt: z.string(),
        missingVotes: z.number().int(),
      })
      .strict()
      .optional(),
    version: z.number().int().optional(),
    updatedAt: z.string().optional(),
    files: z.array(CouncilFileView).optional().describe('Full access (GET): the files of what the council judges and of its written reviews (and, for the Department\'s staff, a paper sitting\'s scanned ballots)'),
    voting: z.enum(['online', 'paper']).optional().describe('online (absent: online): members vote themselves; paper: the administrative secretary enters each member\'s ballot'),
    products: z.array(z.object({ productId: z.string(), name: z.string() }).strict()).optional().describe('C-ACC: the approved products a rating sheet rates, P1…Pn'),
    paperBallotFiles: z.array(FileAttachmentView.extend({ at: z.string() }).strict()).optional().describe('A paper sitting\'s scanned ballots: the Department\'s staff only (C-4)'),
    tallyRefusal: z.object({ rule: z.string(), vi: z.string(), en: z.string(), at: z.string() }).strict().optional().describe('The tally could not be computed: the meeting is void, to be rescheduled'),
    liftedConflicts: z.array(z.object({ memberId: z.string(), by: z.string(), at: z.string(), grounds: z.string() }).strict()).optional().describe('C-6: conflicts a manager lifted, with the grounds'),
    links: z.object({ self: z.string() }).strict(),
  })
  .strict();
export const CouncilList = z.object({ items: z.array(CouncilResponse) }).strict();
export const VoteReceipt = z
  .object({ councilId: z.string(), memberId: z.string(), item: z.string(), recordedAt: isoTime, repeated: z.boolean().describe('The same ballot had already been recorded') })
  .strict()
  .describe('A vote\'s receipt: never the ballot');

// ---- Users and authentication ----
const email = emailAddress;
const password = chars(10, 200).describe('At least 10 characters; stored as a bcrypt hash only');
export const LoginBody = z.object({ email: chars(1, 320), password: chars(1, 200) }).strict();
export const UserView = z
  .object({
    userId: z.string(),
    email: z.string(),
    name: z.string(),
    role: z.enum(ROLES),
    orgId: z.string(),
    orgName: z.string().optional(),
    title: z.string().optional().describe('Academic title as written before the name, e.g. "PGS.TS."'),
    workplace: z.string().optional().describe('Where the person works'),
    departmentId: z.string(),
    locale: z.enum(['vi', 'en']),
    position: z.enum(POSITIONS).optional().describe('A Department user\'s position (issue 12); a manager without one acts as an officer'),
    areas: z.array(z.enum(DELEGATION_AREAS)).optional().describe('A Deputy Director\'s delegated areas'),
    active: z.boolean(),
    createdAt: isoTime.optional(),
    updatedAt: isoTime.optional(),
  })
  .strict();
export const LoginResult = z
  .object({ accessToken: z.string(), tokenType: z.literal('Bearer'), expiresIn: z.number().int().describe('Seconds'), user: UserView })
  .strict();
/** A browser session's answer at sign-in; the session itself is in the khcn_session cookie (HttpOnly). */
export const SessionResult = z
  .object({
    user: UserView,
    csrfToken: z.string().describe('Send it back as X-CSRF-Token on every POST, PATCH, PUT and DELETE (also in the khcn_csrf cookie)'),
    expiresAt: isoTime.describe('The absolute end of the session (SESSION_ABSOLUTE_HOURS after sign-in)'),
    idleTimeoutSeconds: z.number().int().describe('The session ends after this long without a request (SESSION_IDLE_MINUTES)'),
  })
  .strict();
/** What a user may change of their own account. */
export const MePatchBody = z
  .object({ locale: z.enum(['vi', 'en']).describe('The language of the pages and e-mails for this user') })
  .strict();
export const UserIdParam = z.object({ userId: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{1,99}$/) }).strict();
/** Issue 11: a person's academic title ("PGS.TS.", "TS.", "ThS.") and workplace, as a council is formed by them. */
const academicTitle = text(50).describe('Academic title as written before the name, e.g. "PGS.TS." (học hàm, học vị)');
const workplace = text(500).describe('Where the person works (institute, university, firm)');
/** Issue 12: positions on Department users (role manager); a Deputy Director's delegated areas. */
const Position = z.enum(POSITIONS).describe('director, deputy_director, head_of_division, officer or clerk: only for role manager');
const Areas = z
  .array(z.enum(DELEGATION_AREAS))
  .min(1)
  .max(DELEGATION_AREAS.length)
  .describe('The areas the Director delegates to this Deputy Director (required for deputy_director, refused otherwise)');
export const NewUserBody = z
  .object({
    userId: UserIdParam.shape.userId.optional().describe('Default: generated'),
    email,
    name: text(200),
    role: z.enum(ROLES),
    orgId: text(100),
    orgName: text(500).optional(),
    title: academicTitle.optional(),
    workplace: workplace.optional(),
    locale: z.enum(['vi', 'en']).optional(),
    position: Position.optional(),
    areas: Areas.optional(),
    password: password.optional().describe('Absent for users who sign in only through the external identity provider'),
  })
  .strict();
export const UserPatchBody = z
  .object({
    name: text(200).optional(),
    role: z.enum(ROLES).optional(),
    orgId: text(100).optional(),
    orgName: text(500).optional(),
    title: academicTitle.nullable().optional().describe('Academic title, e.g. "PGS.TS."; null removes it'),
    workplace: workplace.nullable().optional().describe('Where the person works; null removes it'),
    locale: z.enum(['vi', 'en']).optional(),
    position: Position.nullable().optional().describe('null removes the position'),
    areas: Areas.nullable().optional().describe('null removes the areas'),
    active: z.boolean().optional().describe('false deactivates: the user\'s tokens stop working at once'),
    password: password.optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, { message: 'at least one field' });
export const UserListQuery = z
  .object({ role: z.enum(ROLES).optional(), position: z.enum(POSITIONS).optional(), active: z.enum(['true', 'false']).optional(), cursor, limit })
  .strict();
export const UserList = z.object({ items: z.array(UserView), nextCursor: z.string().nullable(), limit: z.number().int() }).strict();

// ---- People (issue 11): candidates for councils ----
const rolesCsv = csvOf(ROLES);
export const PeopleQuery = z
  .object({
    role: rolesCsv.optional().describe('Roles, comma-separated (e.g. council_member); default every role'),
    q: text(200).optional().describe('Words of the name, academic title, workplace, organisation or e-mail (prefixes; accents optional)'),
    orgId: chars(1, 100).optional().describe('Only people of this organisation'),
    cursor,
    limit,
  })
  .strict();
export const PersonView = z
  .object({
    userId: z.string(),
    name: z.string(),
    title: z.string().optional().describe('Academic title, e.g. "PGS.TS."'),
    workplace: z.string().optional(),
    email: z.string(),
    role: z.enum(ROLES),
    organisation: z.object({ orgId: z.string(), orgName: z.string().optional() }).strict().describe('Compare orgId with the host\'s and the applicants\' to flag a likely conflict (C-6)'),
  })
  .strict();
export const PeopleList = z
  .object({ items: z.array(PersonView).describe('Active people of the caller\'s Department, by given name'), nextCursor: z.string().nullable(), limit: z.number().int() })
  .strict();

// ---- Imports of sheets (issue 11) ----
/** A sheet uploaded through POST /uploads (XLSX, or CSV in UTF-8), to import. */
export const SheetImportBody = z
  .object({
    uploadId: FileId.describe('The sheet: an upload of the caller\'s (POST /api/v1/uploads), XLSX or CSV'),
    dryRun: z.boolean().optional().describe('true: check every row and write nothing (default false)'),
  })
  .strict();
const RowError = z.object({ column: z.string().describe('The column at fault (its key in the template)'), reason: z.string() }).strict();
export const UserImportRow = z
  .object({
    row: z.number().int().describe('The row as the sheet shows it (the header is row 1)'),
    email: z.string().optional(),
    name: z.string().optional(),
    outcome: z.enum(['created', 'updated', 'unchanged', 'would_create', 'would_update', 'invalid']),
    userId: z.string().optional(),
    errors: z.array(RowError).optional().describe('invalid: each bad cell, by column'),
  })
  .strict();
export const UserImportReport = z
  .object({
    dryRun: z.boolean(),
    file: z.object({ uploadId: z.string(), filename: z.string() }).strict(),
    rows: z.array(UserImportRow),
    counts: z.object({ created: z.number().int(), updated: z.number().int(), unchanged: z.number().int(), would_create: z.number().int(), would_update: z.number().int(), invalid: z.number().int() }).strict(),
  })
  .strict();

// ---- Audit log ----
export const AuditEntryView = z
  .object({
    id: z.string(),
    at: isoTime,
    kind: z.enum(['transition', 'command', 'council', 'user', 'file', 'document']),
    action: z.string(),
    actor: z.object({ userId: z.string(), role: z.string(), name: z.string() }).strict(),
    taskId: z.string().optional(),
    councilId: z.string().optional(),
    subjectUserId: z.string().optional(),
    from: z.string().optional(),
    to: z.string().optional(),
    rule: z.string().optional(),
    item: z.string().optional().describe('The council item a vote was cast on (never how)'),
    fileId: z.string().optional().describe('The file downloaded (kind file)'),
    requestId: z.string().optional(),
  })
  .strict();
export const AuditQuery = z
  .object({
    taskId: TaskIdParam.shape.taskId.optional(),
    councilId: chars(1, 100).optional(),
    actorId: chars(1, 100).optional(),
    kind: z.enum(['transition', 'command', 'council', 'user', 'file', 'document']).optional(),
    action: z.string().regex(/^[A-Za-z]{1,60}$/).optional(),
    since: z.iso.datetime({ offset: true }).optional(),
    until: z.iso.datetime({ offset: true }).optional(),
    cursor,
    limit,
  })
  .strict();
export const AuditPage = z.object({ items: z.array(AuditEntryView), nextCursor: z.string().nullable(), limit: z.number().int() }).strict();

const DependencyStatus = z.object({ status: z.enum(['up', 'down']), latencyMs: z.number(), error: z.string().optional() }).strict();
export const Health = z
  .object({
    status: z.enum(['up', 'degraded', 'down']).describe('up: everything; degraded: usable, but SMTP is down (e-mails wait) or the data disk is low; down: not usable'),
    usable: z.boolean().describe('Temporal, the store and at least one worker are up: commands are taken and carried out'),
    dependencies: z.object({ temporal: DependencyStatus, mongodb: DependencyStatus, smtp: DependencyStatus }).strict(),
    worker: z
      .object({ status: z.enum(['up', 'down']), live: z.number().int().describe('Workers with a heartbeat in the last 15 s'), lastSeenAt: isoTime.optional().describe('The newest heartbeat') })
      .strict(),
    backlog: z.object({ workflow: z.number().int(), activity: z.number().int() }).strict().optional().describe("Tasks waiting in the task queue for a worker (Temporal's approximate count)"),
    disk: z
      .union([
        z.object({ status: z.enum(['ok', 'low']), totalBytes: z.number().int(), freeBytes: z.number().int(), usedPercent: z.number().int() }).strict(),
        z.object({ status: z.literal('unknown'), error: z.string().describe('The error code, e.g. ENOENT') }).strict(),
      ])
      .optional()
      .describe('Issue 17: the disk of the data directory (DATA_DIR, when set): low when less than DISK_WARN_FREE_PERCENT or DISK_WARN_FREE_MB is free; then status is "degraded"'),
  })
  .strict();
