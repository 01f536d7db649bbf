/**
 * The MongoDB read models and records. Works on FerretDB v1 and on MongoDB:
 * plain CRUD, upserts and unique indexes only (see ../shared/infra.md).
 */
import mongoose, { Schema, type Connection } from 'mongoose';
import type { CouncilView, DelegationArea, Position, TaskState } from '../workflows/definitions';
import { obligationDocs, portfolioTaskDoc, taskPortfolioFields, type ObligationDoc, type PortfolioTaskDoc, type TaskPortfolioFields } from './portfolio/projection';
import { taskListFields, type TaskListFields } from './task-list-fields';
import { personSearchFields } from './people';
import { createUploadStore } from './uploads';

export type { ObligationDoc, PortfolioTaskDoc };

export interface TaskDoc extends TaskState, TaskListFields, TaskPortfolioFields {
  _id: string;
  title: string;
  level: string;
  form: string;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * One line of the append-only audit log: who did what, when, and what it moved
 * (a task's stage, a council's status). Never a ballot (C-4): a vote is recorded
 * as "member X voted on item Y". Entries are only ever inserted (see the model's hooks).
 */
export interface AuditEntry {
  _id: string;
  at: Date;
  /**
   * transition: a stage change, derived from the task's timeline by the read-model
   * activity (durable: people, timers and councils alike); command: a task command
   * accepted through the API; council: a council command accepted through the API;
   * user: user administration; file: a file downloaded (issue 10); document: a signature, register
   * entry or issue of an official document (issue 12).
   */
  kind: 'transition' | 'command' | 'council' | 'user' | 'file' | 'document';
  action: string;
  actor: { userId: string; role: string; name: string };
  departmentId: string;
  taskId?: string;
  councilId?: string;
  subjectUserId?: string;
  /** Stage (tasks) or status (councils) before and after. */
  from?: string;
  to?: string;
  rule?: string;
  /** The council item a vote was cast on (never how). */
  item?: string;
  /** The file downloaded (kind file); never its content. */
  fileId?: string;
  requestId?: string;
}

export interface StoredDocument {
  _id: string;
  taskId: string;
  kind: string;
  title: string;
  filename: string;
  contentType: string;
  stateHash: string;
  /** Số/ký hiệu drawn when the document was issued (§7); absent for papers without one. */
  number?: string;
  size: number;
  data: Buffer;
  createdAt: Date;
}

export interface EmailDelivery {
  _id: string; // the exactly-once key: workflow ID + step
  /**
   * sending: handed to SMTP, outcome not recorded yet (a crash in between leaves it so); sent;
   * failed: SMTP refused or was unreachable (retried).
   */
  status: 'sending' | 'sent' | 'failed';
  /** Attempts found in `sending` (outcome unknown) and sent again with the same Message-ID: at most one. */
  unknownOutcomes?: number;
  /** Marked sent without knowing, after the one resend of an unknown outcome also went unrecorded. */
  assumedSent?: boolean;
  to: string[];
  template: string;
  subject?: string;
  messageId: string;
  attempts: number;
  lastError?: string;
  sentAt?: Date;
  updatedAt: Date;
}

/**
 * Issue 11: an e-mail whose last attempt failed (the operations page lists them), until it goes
 * out: written by the mail activity with each failure, removed when the message is sent. Small,
 * so that the page reads only what it shows.
 */
export interface EmailFailureDoc {
  _id: string; // the delivery key (as EmailDelivery's): workflow ID + step
  taskId?: string;
  to: string[];
  template: string;
  attempts: number;
  lastError: string;
  firstFailedAt: Date;
  updatedAt: Date;
}

/** The task a workflow ID or delivery key names (task-NV-…, council-NV-…-C-ID-1/…). */
export const taskIdIn = (key: string): string | undefined => /(?:^|-)(NV-[0-9A-Z]{10,32})(?:[-/]|$)/.exec(key)?.[1];

/** T-4: a PI or host organisation barred from new tasks until a date. */
export interface Debarment {
  _id: string; // task ID that caused it
  orgId: string;
  piEmail: string;
  until: string; // IsoDate, exclusive
  reason: string;
  createdAt: Date;
}

/** A council's read model: what the council's members and managers may see (never a secret ballot). */
export interface CouncilDoc extends CouncilView {
  _id: string;
  memberIds: string[];
  updatedAt: Date;
}

/** C-9: a council's result stored with every input it was computed from. Not served by any endpoint. */
export interface CouncilResultDoc {
  _id: string;
  taskId: string;
  kind: string;
  ruleSet: unknown;
  sitting: unknown;
  ballots: unknown;
  result: unknown;
  storedAt: Date;
}

/**
 * A user of the system (researcher, council member, manager, admin). The API
 * authenticates against it; mail reads each recipient's language from it.
 */
export interface UserDoc {
  _id: string; // the user ID: the token's subject
  email: string; // lower-case, unique
  name: string;
  role: 'researcher' | 'council_member' | 'manager' | 'admin';
  orgId: string;
  orgName?: string;
  /** Academic title as it is written before the name, e.g. "PGS.TS." (issue 11: councils are formed by it). */
  title?: string;
  /** Where the person works (a council member's institute, university or firm). */
  workplace?: string;
  departmentId: string;
  locale: 'vi' | 'en';
  /** Search and sort fields (people.ts), set with every write of the user. */
  nameKey?: string;
  searchTerms?: string[];
  /** Issue 12: a Department user's position (role manager) and, for a Deputy Director, the delegated areas. */
  position?: Position;
  areas?: DelegationArea[];
  /** bcrypt hash; absent for users who sign in only through an external identity provider. */
  passwordHash?: string;
  active: boolean;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * A browser session (API only, issue 10): stored by the SHA-256 of its random ID, never the ID
 * itself, with the hash of its CSRF token. FerretDB has no TTL index: `expiresAt` (the earlier of
 * the idle and the absolute end, moved on by each request) is checked on every request, and
 * expired sessions are deleted at sign-in.
 */
/** Issue 17: a worker's sign of life, written every few seconds while it runs (GET /health reads it). */
export interface WorkerHeartbeatDoc {
  _id: string; // host:pid:random, one per worker run
  taskQueue: string;
  host: string;
  pid: number;
  startedAt: Date;
  at: Date;
}

export interface SessionDoc {
  _id: string; // sha256(session ID), hex
  userId: string;
  csrfHash: string; // sha256(CSRF token), hex
  createdAt: Date;
  lastSeenAt: Date;
  /** The absolute end: createdAt + SESSION_ABSOLUTE_HOURS. */
  absoluteExpiresAt: Date;
  /** The earlier of lastSeenAt + SESSION_IDLE_MINUTES and absoluteExpiresAt. */
  expiresAt: Date;
}

/**
 * Issue 11: an import of the running portfolio through the API (POST /portfolio/imports), run by
 * the portfolioImportWorkflow: its progress and each row's result, as the page follows it. The ID
 * derives from the Department and the file's SHA-256: the same file again is the same import.
 */
export interface PortfolioImportDoc {
  _id: string;
  departmentId: string;
  workflowId: string;
  file: { uploadId: string; filename: string; sha256: string; contentType: string };
  by: { userId: string; role: string; name: string };
  /** The language of the row errors (the caller's at the start). */
  locale: 'vi' | 'en';
  status: 'queued' | 'running' | 'done' | 'failed';
  total: number;
  done: number;
  /** The results so far, one per row in file order (ImportRowResult). */
  rows: unknown[];
  counts?: Record<string, number>;
  error?: string;
  createdAt: Date;
  startedAt?: Date;
  finishedAt?: Date;
  updatedAt: Date;
}

/** Issue 11: a run of the read models' reconciliation for a Department (POST /portfolio/reconciliation). */
export interface ReconciliationRunDoc {
  _id: string;
  departmentId: string;
  workflowId: string;
  dryRun: boolean;
  by: { userId: string; role: string; name: string };
  status: 'queued' | 'running' | 'done' | 'failed';
  /** Task workflows listed for the Department (when Temporal could count them). */
  total?: number;
  scanned: number;
  inSync: number;
  /** What drifted (TaskRepair), at most REPAIRS_KEPT of them; `repairsTotal` counts all. */
  repairs: unknown[];
  repairsTotal: number;
  repaired: number;
  unreadable: { workflowId: string; reason: string }[];
  error?: string;
  createdAt: Date;
  startedAt?: Date;
  finishedAt?: Date;
  updatedAt: Date;
}

export interface IdempotencyRecord {
  _id: string; // hash of caller + method + route + key
  /** pending while the first request runs; done once its response is stored. */
  state?: 'pending' | 'done';
  requestHash: string;
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
  createdAt: Date;
  /** While pending: the last sign of life of the request that holds the key (a heartbeat). */
  touchedAt?: Date;
  completedAt?: Date;
}

const mixed = Schema.Types.Mixed;

/** §8: what the portfolio projection adds to a task (portfolio/projection.ts), on the task and on its summary alike. */
const portfolioFields = {
        code: String,
        endOn: String,
        executing: Boolean,
        extensionRequested: Boolean,
        acceptanceDossierFiled: Boolean,
        budgetByYear: [{ _id: false, year: Number, approvedState: Number, approvedOther: Number, disbursed: Number, refunded: Number }],
        stoppedOn: String,
        stoppedStage: String,
        stopRule: String,
        stopGrounds: String,
};

export function createStore(connection: Connection) {
  const Task = connection.model<TaskDoc>(
    'Task',
    new Schema<TaskDoc>(
      {
        _id: String,
        taskId: String,
        workflowId: String,
        departmentId: { type: String, index: true },
        stage: { type: String, index: true },
        version: Number,
        title: String,
        level: String,
        form: String,
        ruleSet: mixed,
        proposal: mixed,
        owner: { userId: String, orgId: { type: String, index: true } },
        submittedAt: String,
        timeline: [mixed],
        documents: [mixed],
        // The rest of the workflow's state, as the workflow wrote it (denormalised for reads).
        assignment: String,
        accountableOfficer: mixed,
        host: { orgId: { type: String, index: true }, orgName: String, pi: mixed },
        call: mixed,
        councils: [mixed],
        approval: mixed,
        contract: mixed,
        funds: mixed,
        reports: [mixed],
        adjustments: [mixed],
        extensionsGranted: Number,
        inspections: [mixed],
        suspension: mixed,
        pausedDays: Number,
        termination: mixed,
        acceptance: mixed,
        registration: mixed,
        debarment: mixed,
        obligations: [mixed],
        // Was missing, so the read model dropped the task's council sittings (strict schema).
        councilSittings: [mixed],
        // Issue 10: the files of the task's commands (metadata; the bytes are in GridFS).
        files: { type: [mixed], default: undefined },
        // Issue 12: documents on their way to issue, and the People's Committee's decisions recorded.
        issuance: { type: [mixed], default: undefined },
        approverDecisions: { type: [mixed], default: undefined },
        events: [mixed],
        eventSeq: Number,
        closed: Boolean,
        imported: mixed,
        // Portfolio fields (§8), projected from the state (portfolio/projection.ts).
        ...portfolioFields,
        // List fields (task-list-fields.ts): filters, search and sort keys.
        titleKey: String,
        searchTerms: { type: [String], index: true },
        partyOrgIds: [String],
        nextDeadline: String,
        deadlineKey: String,
        overdue: { type: Boolean, index: true },
        createdAt: Date,
        updatedAt: Date,
      },
      { collection: 'tasks', versionKey: false, strict: true },
    )
      // Lists are keyset-paginated on (scope, sort key, _id): one index per scope × sort,
      // so a page is a range scan (GET /api/v1/tasks). Filters have their own indexes.
      .index({ departmentId: 1, submittedAt: 1, _id: 1 })
      .index({ departmentId: 1, titleKey: 1, _id: 1 })
      .index({ departmentId: 1, deadlineKey: 1, _id: 1 })
      .index({ partyOrgIds: 1, submittedAt: 1, _id: 1 })
      .index({ partyOrgIds: 1, titleKey: 1, _id: 1 })
      .index({ partyOrgIds: 1, deadlineKey: 1, _id: 1 })
      .index({ level: 1 })
      .index({ form: 1 })
      .index({ assignment: 1 })
      .index({ 'accountableOfficer.userId': 1 }),
  );
  // §8: the task-level dashboards read this small summary, one per task (portfolio/projection.ts).
  const PortfolioTask = connection.model<PortfolioTaskDoc & { updatedAt: Date }>(
    'PortfolioTask',
    new Schema<PortfolioTaskDoc & { updatedAt: Date }>(
      {
        _id: String,
        taskId: String,
        departmentId: { type: String, index: true },
        title: String,
        level: String,
        form: String,
        stage: String,
        closed: Boolean,
        createdAt: Date,
        host: mixed,
        accountableOfficer: mixed,
        ...portfolioFields,
        startOn: String,
        refundDue: Number,
        refunded: Number,
        resultsRegistered: Number,
        taskVersion: Number,
        updatedAt: Date,
      },
      { collection: 'portfolio_tasks', versionKey: false, strict: true },
    )
      // One index per portfolio query (portfolio/queries.ts names which it uses).
      .index({ departmentId: 1, level: 1, form: 1, stage: 1 })
      .index({ departmentId: 1, endOn: 1 })
      .index({ departmentId: 1, stoppedOn: 1 }),
  );
  const Obligation = connection.model<ObligationDoc & { updatedAt: Date }>(
    'Obligation',
    new Schema<ObligationDoc & { updatedAt: Date }>(
      {
        _id: String,
        taskId: { type: String, index: true },
        departmentId: String,
        code: String,
        title: String,
        level: String,
        form: String,
        stage: String,
        obligationId: String,
        kind: String,
        rule: String,
        deliverable: { vi: String, en: String },
        assignee: String,
        assigneeName: String,
        personKey: String,
        personName: String,
        unitKey: String,
        unitName: String,
        accountable: mixed,
        accountableKey: String,
        accountableName: String,
        dueOn: String,
        remindOn: String,
        status: String,
        track: String,
        evidence: String,
        closedAt: String,
        taskVersion: Number,
        updatedAt: Date,
      },
      { collection: 'obligations', versionKey: false, strict: true },
    )
      .index({ departmentId: 1, track: 1, dueOn: 1 })
      .index({ departmentId: 1, kind: 1, track: 1, dueOn: 1 }),
  );
  const Document = connection.model<StoredDocument>(
    'Document',
    new Schema<StoredDocument>(
      {
        _id: String,
        taskId: { type: String, index: true },
        kind: String,
        title: String,
        filename: String,
        contentType: String,
        stateHash: String,
        number: String,
        size: Number,
        data: Buffer,
        createdAt: Date,
      },
      { collection: 'documents', versionKey: false },
    ),
  );
  const EmailDeliveryModel = connection.model<EmailDelivery>(
    'EmailDelivery',
    new Schema<EmailDelivery>(
      {
        _id: String,
        status: String,
        to: [String],
        template: String,
        subject: String,
        messageId: String,
        attempts: Number,
        unknownOutcomes: Number,
        assumedSent: Boolean,
        lastError: String,
        sentAt: Date,
        updatedAt: Date,
      },
      { collection: 'email_deliveries', versionKey: false },
    ),
  );
  const EmailFailure = connection.model<EmailFailureDoc>(
    'EmailFailure',
    new Schema<EmailFailureDoc>(
      { _id: String, taskId: String, to: [String], template: String, attempts: Number, lastError: String, firstFailedAt: Date, updatedAt: Date },
      { collection: 'email_failures', versionKey: false, strict: true },
    ),
  );
  const WorkerHeartbeat = connection.model<WorkerHeartbeatDoc>(
    'WorkerHeartbeat',
    new Schema<WorkerHeartbeatDoc>({ _id: String, taskQueue: String, host: String, pid: Number, startedAt: Date, at: Date }, { collection: 'worker_heartbeats', versionKey: false }),
  );
  const Idempotency = connection.model<IdempotencyRecord>(
    'Idempotency',
    new Schema<IdempotencyRecord>(
      { _id: String, state: String, requestHash: String, status: Number, body: mixed, headers: mixed, createdAt: Date, touchedAt: Date, completedAt: Date },
      { collection: 'idempotency_keys', versionKey: false },
    ),
  );

  const Session = connection.model<SessionDoc>(
    'Session',
    new Schema<SessionDoc>(
      { _id: String, userId: { type: String, index: true }, csrfHash: String, createdAt: Date, lastSeenAt: Date, absoluteExpiresAt: Date, expiresAt: { type: Date, index: true } },
      { collection: 'sessions', versionKey: false, strict: true },
    ),
  );

  const DebarmentModel = connection.model<Debarment>(
    'Debarment',
    new Schema<Debarment>(
      { _id: String, orgId: { type: String, index: true }, piEmail: { type: String, index: true }, until: String, reason: String, createdAt: Date },
      { collection: 'debarments', versionKey: false },
    ),
  );

  const Council = connection.model<CouncilDoc>(
    'Council',
    new Schema<CouncilDoc>(
      {
        _id: String, councilId: String, taskId: { type: String, index: true }, taskTitle: String, kind: String, ballot: String, status: String,
        meetingOn: String, votingDeadline: String, members: [mixed], dossiers: [String], criteria: [mixed], quorum: mixed, postponements: [mixed], writtenReviews: [mixed],
        openBallots: { type: [mixed], default: undefined }, result: mixed, version: Number, memberIds: { type: [String], index: true }, updatedAt: Date,
        // Issue 13: paper sittings and their scans, the approved products rated, a tally refused, conflicts lifted.
        voting: String, products: { type: [mixed], default: undefined }, paperBallotFiles: { type: [mixed], default: undefined }, tallyRefusal: mixed,
        liftedConflicts: { type: [mixed], default: undefined },
      },
      { collection: 'councils', versionKey: false },
    ),
  );
  const User = connection.model<UserDoc>(
    'User',
    new Schema<UserDoc>(
      {
        _id: String,
        email: { type: String, required: true, unique: true, lowercase: true, trim: true },
        name: { type: String, required: true },
        role: { type: String, required: true, index: true },
        orgId: { type: String, required: true, index: true },
        orgName: String,
        title: String,
        workplace: String,
        departmentId: { type: String, required: true },
        locale: { type: String, default: 'vi' },
        nameKey: String,
        searchTerms: { type: [String], default: undefined },
        position: String,
        areas: { type: [String], default: undefined },
        passwordHash: String,
        active: { type: Boolean, default: true },
        createdAt: Date,
        updatedAt: Date,
      },
      { collection: 'users', versionKey: false, strict: true },
    )
      // Issue 11: people listed by Department and name (GET /people), searched by word prefixes.
      .index({ departmentId: 1, nameKey: 1, _id: 1 })
      .index({ searchTerms: 1 }),
  );
  const auditSchema = new Schema<AuditEntry>(
    {
      _id: String,
      at: { type: Date, required: true },
      kind: { type: String, required: true },
      action: { type: String, required: true },
      actor: { userId: String, role: String, name: String },
      departmentId: { type: String, required: true },
      taskId: String,
      councilId: String,
      subjectUserId: String,
      from: String,
      to: String,
      rule: String,
      item: String,
      fileId: String,
      requestId: String,
    },
    { collection: 'audit_log', versionKey: false, strict: true },
  )
    .index({ departmentId: 1, at: -1, _id: -1 })
    .index({ taskId: 1, at: -1 })
    .index({ 'actor.userId': 1, at: -1 })
    .index({ action: 1 });
  // Append-only: no update, replace or delete reaches the collection through the model.
  // The one write allowed is an insert-if-absent (updateOne with upsert and $setOnInsert only).
  const refuseWrite = (op: string) => () => {
    throw new Error(`audit_log is append-only: ${op} is not allowed`);
  };
  for (const op of ['deleteOne', 'deleteMany', 'findOneAndDelete', 'findOneAndUpdate', 'findOneAndReplace', 'replaceOne', 'updateMany'] as const) {
    auditSchema.pre(op, refuseWrite(op));
  }
  auditSchema.pre('updateOne', function () {
    const update = this.getUpdate() as Record<string, unknown> | null;
    const onlyInsert = update && Object.keys(update).every((k) => k === '$setOnInsert') && this.getOptions().upsert === true;
    if (!onlyInsert) throw new Error('audit_log is append-only: updateOne only as an insert ($setOnInsert with upsert)');
  });
  const AuditLog = connection.model<AuditEntry>('AuditLog', auditSchema);

  /** Inserts the entry unless one with its _id exists (a retried write changes nothing). */
  async function appendAudit(entry: AuditEntry): Promise<void> {
    const { _id, ...rest } = entry;
    await AuditLog.updateOne({ _id }, { $setOnInsert: rest }, { upsert: true });
  }

  const jobFields = { _id: String, departmentId: String, workflowId: String, by: mixed, status: String, error: String, createdAt: Date, startedAt: Date, finishedAt: Date, updatedAt: Date };
  const PortfolioImport = connection.model<PortfolioImportDoc>(
    'PortfolioImport',
    new Schema<PortfolioImportDoc>(
      { ...jobFields, file: mixed, locale: String, total: Number, done: Number, rows: [mixed], counts: mixed },
      { collection: 'portfolio_imports', versionKey: false, strict: true },
    ),
  );
  const ReconciliationRun = connection.model<ReconciliationRunDoc>(
    'ReconciliationRun',
    new Schema<ReconciliationRunDoc>(
      { ...jobFields, dryRun: Boolean, total: Number, scanned: Number, inSync: Number, repairs: [mixed], repairsTotal: Number, repaired: Number, unreadable: [mixed] },
      { collection: 'reconciliation_runs', versionKey: false, strict: true },
    ).index({ departmentId: 1, createdAt: -1 }),
  );

  const CouncilResult = connection.model<CouncilResultDoc>(
    'CouncilResult',
    new Schema<CouncilResultDoc>(
      { _id: String, taskId: String, kind: String, ruleSet: mixed, sitting: mixed, ballots: mixed, result: mixed, storedAt: Date },
      { collection: 'council_results', versionKey: false },
    ),
  );

  /** The whole task document the read model holds for a state (without updatedAt). */
  const taskDocOf = (state: TaskState) => ({
    ...state,
    ...taskListFields(state),
    ...taskPortfolioFields(state),
    _id: state.taskId,
    title: state.proposal.title,
    level: state.proposal.level,
    form: state.proposal.form,
    createdAt: new Date(state.submittedAt),
  });

  /**
   * The task's obligations, one document each, guarded per document by the task
   * version that wrote it: an older write never overwrites a newer one. FerretDB v1
   * stops an unordered bulk write at its first error, so the upsert-or-duplicate
   * pattern of the task document is not used in bulk: the current versions are read
   * first, existing documents are replaced under the guard (no upsert, so no
   * duplicate-key errors), new ones inserted one by one.
   */
  async function writeObligations(state: TaskState): Promise<number> {
    const v = state.version;
    const docs = obligationDocs(state);
    const now = new Date();
    const existing = await Obligation.find({ taskId: state.taskId }).select({ taskVersion: 1 }).lean();
    const have = new Map(existing.map((d) => [String(d._id), d.taskVersion]));
    const guarded = (d: ObligationDoc) => ({ replaceOne: { filter: { _id: d._id, taskVersion: { $lt: v } }, replacement: { ...d, updatedAt: now } } });
    const replace = docs.filter((d) => (have.get(d._id) ?? Infinity) < v);
    let written = 0;
    if (replace.length) written += (await Obligation.bulkWrite(replace.map(guarded))).modifiedCount;
    for (const d of docs.filter((x) => !have.has(x._id))) {
      try {
        await Obligation.create({ ...d, updatedAt: now });
        written += 1;
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        // Inserted meanwhile by another write of this task: the guard decides which one stays.
        written += (await Obligation.replaceOne(guarded(d).replaceOne.filter, guarded(d).replaceOne.replacement)).modifiedCount;
      }
    }
    // Obligations never leave a state; a document the state does not have is stale (or foreign): drop it under the guard.
    const ids = new Set(docs.map((d) => d._id));
    const gone = existing.map((d) => String(d._id)).filter((id) => !ids.has(id));
    if (gone.length) written += (await Obligation.deleteMany({ _id: { $in: gone }, taskVersion: { $lt: v } })).deletedCount;
    return written;
  }

  /** The task's portfolio summary, guarded by the task version like the task document. */
  /** What goes with every task write (§8): its obligations and its portfolio summary, each under the task's version. */
  const writeDerived = (state: TaskState) => Promise.all([writeObligations(state), writePortfolioTask(state)]);

  async function writePortfolioTask(state: TaskState): Promise<boolean> {
    try {
      const res = await PortfolioTask.replaceOne({ _id: state.taskId, taskVersion: { $lt: state.version } }, { ...portfolioTaskDoc(state), updatedAt: new Date() }, { upsert: true });
      return res.modifiedCount > 0 || res.upsertedCount > 0;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }

  return {
    connection,
    uploads: createUploadStore(connection),
    Task,
    PortfolioTask,
    Obligation,
    taskDocOf,
    writeObligations,
    writePortfolioTask,
    Council,
    CouncilResult,
    Debarment: DebarmentModel,
    Document,
    EmailDelivery: EmailDeliveryModel,
    EmailFailure,
    Idempotency,
    WorkerHeartbeat,
    Session,
    User,
    AuditLog,
    appendAudit,
    PortfolioImport,
    ReconciliationRun,

    /**
     * Audit entries for the task's stage changes, derived from its timeline
     * (append-only in the workflow's state, carried across continue-as-new), one per
     * entry with _id = taskId + entry index: repeated or late writes add nothing.
     */
    async auditTimeline(state: TaskState): Promise<number> {
      const recorded = await AuditLog.countDocuments({ taskId: state.taskId, kind: 'transition' });
      let added = 0;
      for (let i = recorded; i < state.timeline.length; i++) {
        const e = state.timeline[i]!;
        await appendAudit({
          _id: `${state.taskId}:t${i}`,
          at: new Date(e.at),
          kind: 'transition',
          action: e.action ?? 'transition',
          actor: { userId: e.by.userId, role: e.by.role, name: e.by.name },
          departmentId: state.departmentId,
          taskId: state.taskId,
          ...(i > 0 ? { from: state.timeline[i - 1]!.stage } : {}),
          to: e.stage,
          rule: e.rule,
        });
        added++;
      }
      return added;
    },

    /**
     * Writes a task's read model from workflow state. The write applies only if
     * its version is newer than the stored one, so a late or repeated write never
     * moves a task backwards. Returns whether it applied.
     */
    async upsertTask(state: TaskState): Promise<boolean> {
      const now = new Date();
      // The obligations and the portfolio summary go with the task, each under the same version guard. They are written unless the
      // task already holds a newer version (a stale write), even when the task's own write will find its
      // version already there: a retried activity completes what a crash between the two left undone.
      const stored = await Task.findById(state.taskId).select({ version: 1 }).lean();
      if (!stored || stored.version <= state.version) await writeDerived(state);
      try {
        // A whole replacement, so a field the workflow dropped (e.g. a host unset) drops here too.
        const res = await Task.replaceOne({ _id: state.taskId, version: { $lt: state.version } }, { ...taskDocOf(state), updatedAt: now }, { upsert: true });
        return res.modifiedCount > 0 || res.upsertedCount > 0;
      } catch (err) {
        // The document exists with a version >= ours: the upsert's insert collides.
        if (isDuplicateKey(err)) return false;
        throw err;
      }
    },

    /**
     * Tasks written before the list fields and the audit log existed get both,
     * once (the next write from their workflow would do it too): run at API start.
     */
    async backfillListFieldsAndAudit(): Promise<number> {
      const stale = await Task.find({ deadlineKey: { $exists: false } }).lean<TaskDoc[]>();
      for (const t of stale) {
        await Task.updateOne({ _id: t._id, deadlineKey: { $exists: false } }, { $set: taskListFields(t) });
        await this.auditTimeline(t);
      }
      return stale.length;
    },

    /**
     * §8: tasks written before the portfolio read models existed get their summary,
     * their obligations and their portfolio fields from the state they hold, once,
     * so the dashboards count them at once rather than at their workflow's next
     * write (the version guards keep any newer write): run at API start.
     */
    async backfillPortfolio(): Promise<number> {
      const summaries = await PortfolioTask.find({}).select({ _id: 1, refunded: 1 }).lean();
      const summarised = new Set(summaries.map((d) => String(d._id)));
      const all = await Task.find({}).select({ _id: 1 }).lean();
      const missing = all.map((d) => String(d._id)).filter((id) => !summarised.has(id));
      for (const id of missing) {
        const t = await Task.findById(id).lean<TaskDoc>();
        if (!t) continue;
        await writeDerived(t);
        await Task.updateOne({ _id: id, version: t.version }, { $set: taskPortfolioFields(t) });
      }
      // Issue 11: summaries written before they carried the contract start, refunds and results get them, at the same version.
      const older = summaries.filter((d) => typeof d.refunded !== 'number').map((d) => String(d._id));
      for (const id of older) {
        const t = await Task.findById(id).lean<TaskDoc>();
        if (t) await PortfolioTask.replaceOne({ _id: id, taskVersion: t.version, refunded: { $exists: false } }, { ...portfolioTaskDoc(t), updatedAt: new Date() });
      }
      return missing.length + older.length;
    },

    /**
     * Issue 11: users written before their search fields existed get them, once (GET /people
     * finds and orders people by them): run at API start.
     */
    async backfillPeople(): Promise<number> {
      const stale = await User.find({ nameKey: { $exists: false } }).select({ _id: 1, name: 1, email: 1, title: 1, workplace: 1, orgName: 1 }).lean<UserDoc[]>();
      for (const u of stale) await User.updateOne({ _id: u._id, nameKey: { $exists: false } }, { $set: personSearchFields(u) });
      return stale.length;
    },

    /**
     * Issue 11: deliveries that were failing before failures were kept apart get their entry, once
     * (a scan of the delivery log, at API start, while the failures list is empty).
     */
    async backfillEmailFailures(): Promise<number> {
      if (await EmailFailure.countDocuments()) return 0;
      const failed = await EmailDeliveryModel.find({ status: 'failed' }).lean<EmailDelivery[]>();
      for (const f of failed) {
        const taskId = taskIdIn(f._id);
        await EmailFailure.updateOne(
          { _id: f._id },
          { $setOnInsert: { ...(taskId ? { taskId } : {}), to: f.to, template: f.template, attempts: f.attempts, lastError: f.lastError ?? '', firstFailedAt: f.updatedAt, updatedAt: f.updatedAt } },
          { upsert: true },
        );
      }
      return failed.length;
    },

    /** The debarments in force on `onDate` for this host organisation or PI (T-4). */
    async debarmentsFor(orgId: string | undefined, piEmail: string, onDate: string): Promise<Debarment[]> {
      const all = await DebarmentModel.find({ $or: [...(orgId ? [{ orgId }] : []), { piEmail: piEmail.toLowerCase() }] }).lean();
      return all.filter((d) => d.until > onDate);
    },

    /** Council read model, guarded by version like the tasks'. */
    async upsertCouncil(view: CouncilView & { memberIds: string[] }): Promise<boolean> {
      try {
        const res = await Council.replaceOne(
          { _id: view.councilId, version: { $lt: view.version } },
          { ...view, _id: view.councilId, updatedAt: new Date() },
          { upsert: true },
        );
        return res.modifiedCount > 0 || res.upsertedCount > 0;
      } catch (err) {
        if (isDuplicateKey(err)) return false;
        throw err;
      }
    },

    async ping(): Promise<void> {
      const db = connection.db;
      if (!db) throw new Error('MongoDB connection is not open');
      await db.admin().command({ ping: 1 });
    },

    async close(): Promise<void> {
      await connection.close();
    },
  };
}
export type Store = ReturnType<typeof createStore>;

export async function connectStore(uri: string): Promise<Store> {
  const connection = mongoose.createConnection(uri, {
    serverSelectionTimeoutMS: 5000,
    // FerretDB v1 has no sessions or retryable writes; MongoDB is fine without them here.
    retryWrites: false,
    autoIndex: true,
  });
  await connection.asPromise();
  const store = createStore(connection);
  await Promise.all([store.Task.init(), store.PortfolioTask.init(), store.Obligation.init(), store.Document.init(), store.EmailDelivery.init(), store.EmailFailure.init(), store.Idempotency.init(), store.WorkerHeartbeat.init(), store.Session.init(), store.Debarment.init(), store.Council.init(), store.CouncilResult.init(), store.User.init(), store.AuditLog.init(), store.PortfolioImport.init(), store.ReconciliationRun.init(), store.uploads.init()]);
  return store;
}

export function isDuplicateKey(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 11000;
}
