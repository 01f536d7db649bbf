/**
 * Every side effect of the workflows, built from injected dependencies.
 * Each activity is idempotent, keyed by workflow ID + step: Temporal may run it
 * again after a worker crash, and the world must see it once.
 */
import { createHash } from 'node:crypto';
import type { Transporter } from 'nodemailer';
import { log } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { CouncilView, DocumentRef, IssuanceFixed, IssuanceInput, IssuanceView, Locale, Proposal, TaskState } from '../workflows/definitions';
import { issuanceWorkflowId, NotRenderableType } from '../workflows/definitions';
import type { TaskDocumentKind, TaskDocumentSnapshot } from '../workflows/task-documents';
import { issuanceFields, issuanceModels } from './documents/issuance-store';
import type { DocumentSigningService } from './documents/signing';
import { renderIssuedDocument } from './documents/issued';
import type { Store } from './store';
import { isDuplicateKey, taskIdIn } from './store';
import { renderProposalForm as renderProposalFormPdf } from './documents/pdf';
import { renderCouncilMinutes, renderVoteCountingRecord } from './documents/council-documents';
import { renderScoreSheet, scoreSheetMembers } from './documents/score-sheet';
import { numberSeries, renderTaskDocument as renderTaskDocumentPdf, taskDocumentTitle } from './documents/task-documents';
import { stateHash } from './documents/format';
import { EMAIL_LOCALES, renderEmail } from './mail/templates';
import { COUNCIL_KIND_LABELS } from '../workflows/labels';
import type { ObligationTag, RenderTaskDocumentRequest } from '../workflows/task-documents';

export interface EmailRequest {
  /** Exactly-once key: workflow ID + step. */
  key: string;
  to: string[];
  template: string;
  locale: Locale;
  data: Record<string, unknown>;
  attachments?: { documentId: string; filename: string }[];
  /**
   * The same fields in each language (e.g. a task event's subject and message), so that every
   * recipient reads the email in their own language (their user record's locale).
   */
  i18n?: Partial<Record<Locale, Record<string, unknown>>>;
  /** A reminder or overdue email: the obligation it is about, as it was when queued (§8). */
  obligation?: ObligationTag;
  /**
   * Who the addresses belong to, so that each is greeted by name ("Kính gửi Bà Nguyễn Thị Hương,").
   * An address not named here is greeted with the name of its user record, if it has one.
   */
  recipients?: EmailRecipient[];
}

/** A person an email is addressed to; the honorific when known (else "Ông/Bà"). */
export interface EmailRecipient {
  email: string;
  name?: string;
  honorific?: 'Ông' | 'Bà';
}

/** The salutation in each language: "Kính gửi Bà Nguyễn Thị Hương," / "Dear Ms Nguyễn Thị Hương,". */
export function greeting(locale: Locale, person: { name?: string; honorific?: 'Ông' | 'Bà' | undefined } | undefined): string {
  const name = person?.name?.normalize('NFC').trim();
  if (locale === 'en') {
    if (!name) return 'Dear Sir or Madam,';
    const title = person?.honorific === 'Ông' ? 'Mr ' : person?.honorific === 'Bà' ? 'Ms ' : '';
    return `Dear ${title}${name},`;
  }
  if (!name) return 'Kính gửi Ông/Bà,';
  return `Kính gửi ${person?.honorific ?? 'Ông/Bà'} ${name},`;
}

/** Templates whose data carries no text in a language (names, dates, amounts): any locale renders them. */
const LANGUAGE_NEUTRAL_TEMPLATES = new Set(['proposal-received', 'identification-review-started']);

export interface RenderProposalFormRequest {
  taskId: string;
  workflowId: string;
  departmentName: string;
  place: string;
  submittedAt: string;
  proposal: Proposal;
}

export interface ActivityDeps {
  store: Store;
  mailer: Transporter;
  mailFrom: string;
  /** Issue 12: signs issued documents (PAdES); without it they are issued unsigned (a warning is logged). */
  signing?: DocumentSigningService;
}

/** Issue 12: what the clerk's register entry is made from. */
export interface RegisterOutgoingRequest {
  documentId: string;
  taskId: string;
  departmentId: string;
  departmentName: string;
  kind: TaskDocumentKind;
  registeredOn: string;
  /** Entered from the Department's paper register; absent: the next number of the system's series. */
  number?: string;
  /** A registration certificate is numbered by the certificate (L-22), not by a series. */
  certificateNumber?: string;
}

/** Issue 12: the issued version of a document in draft → signature → number → issue. */
export interface IssueTaskDocumentRequest {
  documentId: string;
  filename: string;
  /** A decision: rendered from the state it made; a record: absent, rendered from its draft's state. */
  request?: RenderTaskDocumentRequest;
  issuance: IssuanceFixed;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** The failure types of rendering that cannot succeed on retry; the workflows handle them. */
export const NOT_RENDERABLE = { document: NotRenderableType.DOCUMENT, email: NotRenderableType.EMAIL } as const;

/**
 * Rendering (a PDF, an e-mail) is a function of its input only: what it throws once it throws on
 * every retry (issue 15: a lone surrogate in a title failed the proposal form's render forever, and
 * the task never got its form or acknowledgement). Such an error becomes a non-retryable failure
 * of the activity, typed, which the workflow handles and the operators see. An error of the
 * system (a font file that could not be read: an errno code such as EMFILE) may pass and is retried.
 */
export async function renderOrGiveUp<T>(what: keyof typeof NOT_RENDERABLE, render: () => T | Promise<T>): Promise<T> {
  try {
    return await render();
  } catch (err) {
    if (err instanceof ApplicationFailure) throw err;
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) throw err;
    const name = err instanceof Error ? err.name : 'Error';
    const message = err instanceof Error ? err.message : String(err);
    throw ApplicationFailure.create({ message: `${what} not renderable: ${name}: ${message}`, type: NOT_RENDERABLE[what], nonRetryable: true, cause: err instanceof Error ? err : undefined });
  }
}

export function createActivities({ store, mailer, mailFrom, signing }: ActivityDeps) {
  /**
   * Renders a document once per key and keeps it: a repeated activity (after a
   * worker crash) finds the stored one; a concurrent one loses the insert race
   * and returns the winner's.
   */
  async function keepDocument(
    key: string,
    meta: { taskId: string; kind: string; title: string; filename: string; stateHash: string; createdAt?: Date },
    render: () => Promise<Buffer | { pdf: Buffer; number?: string }>,
  ): Promise<DocumentRef> {
    return keepDocumentAs(`doc-${sha256(key).slice(0, 24)}`, meta, render);
  }

  async function keepDocumentAs(
    documentId: string,
    meta: { taskId: string; kind: string; title: string; filename: string; stateHash: string; createdAt?: Date },
    render: () => Promise<Buffer | { pdf: Buffer; number?: string }>,
  ): Promise<DocumentRef> {
    const existing = await store.Document.findById(documentId).select('-data').lean();
    if (existing) return toRef(existing);
    const rendered = await render();
    const { pdf, number } = Buffer.isBuffer(rendered) ? { pdf: rendered, number: undefined } : rendered;
    const doc = { _id: documentId, ...meta, ...(number ? { number } : {}), contentType: 'application/pdf', size: pdf.length, data: pdf, createdAt: meta.createdAt ?? new Date() };
    try {
      await store.Document.create(doc);
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      const raced = await store.Document.findById(documentId).select('-data').lean();
      if (raced) return toRef(raced);
      throw err;
    }
    return toRef(doc);
  }

  /**
   * Draws the next number of a series (per Department, year and document type). A number drawn by
   * an attempt that then loses the insert race is skipped, as a records office skips a spoilt number.
   */
  async function nextNumber(counter: string): Promise<number> {
    const numbers = store.connection.collection<{ _id: string; seq: number }>('document_numbers');
    const r = await numbers.findOneAndUpdate({ _id: counter }, { $inc: { seq: 1 } }, { upsert: true, returnDocument: 'after' });
    if (!r || typeof r.seq !== 'number') throw new Error(`document number ${counter} could not be drawn`);
    return r.seq;
  }

  /**
   * One message per recipient, in their language (their user record's, else the request's when the
   * data can be read in it) and greeting them by name. The request's own language keeps the
   * request's key (and Message-ID) for a single recipient; every other message derives its own.
   */
  async function recipientMessages(req: EmailRequest): Promise<{ locale: Locale; to: string[]; key: string; groupKey: string; person?: EmailRecipient }[]> {
    const users = await store.User.find({ email: { $in: req.to.map((e) => e.trim().toLowerCase()) } }).select('email locale name').lean();
    const personOf = (addr: string): EmailRecipient | undefined => {
      const named = req.recipients?.find((r) => r.email.trim().toLowerCase() === addr.trim().toLowerCase() && r.name);
      if (named) return named;
      const user = users.find((u) => u.email === addr.trim().toLowerCase());
      return user?.name ? { email: addr, name: user.name } : undefined;
    };
    return (await languageGroups(req, users)).flatMap((g) =>
      g.to.map((addr) => {
        const person = personOf(addr);
        return { locale: g.locale, to: [addr], groupKey: g.key, key: g.to.length === 1 ? g.key : `${g.key}>${addr.trim().toLowerCase()}`, ...(person ? { person } : {}) };
      }),
    );
  }

  /** Each recipient's language: their user record's, else the request's (when the data can be read in it). */
  async function languageGroups(req: EmailRequest, users: { email: string; locale?: string | null }[]): Promise<{ locale: Locale; to: string[]; key: string }[]> {
    const readable = (l: Locale) => l === req.locale || Boolean(req.i18n?.[l]) || LANGUAGE_NEUTRAL_TEMPLATES.has(req.template);
    const localeOf = (addr: string): Locale => {
      const l = users.find((u) => u.email === addr.trim().toLowerCase())?.locale as Locale | undefined;
      return l && EMAIL_LOCALES.includes(l) && readable(l) ? l : req.locale;
    };
    const order = [req.locale, ...EMAIL_LOCALES.filter((l) => l !== req.locale)];
    return order
      .map((locale) => ({ locale, to: req.to.filter((a) => localeOf(a) === locale) }))
      .filter((g) => g.to.length > 0)
      // The request's own language keeps the request's key (and Message-ID); each other language derives its own.
      .map((g) => ({ ...g, key: g.locale === req.locale ? req.key : `${req.key}#${g.locale}` }));
  }

  /** A delivery that failed: in the delivery log, and (issue 11) in the operations page's list of e-mails that keep failing. */
  async function recordFailure(key: string, to: string[], template: string, err: unknown, messageId?: string): Promise<void> {
    const now = new Date();
    await store.EmailDelivery.updateOne(
      { _id: key },
      { $set: { status: 'failed', to, template, ...(messageId ? { messageId } : {}), lastError: String(err), updatedAt: now }, $inc: { attempts: 1 } },
      { upsert: true },
    );
    const taskId = taskIdIn(key);
    await store.EmailFailure.updateOne(
      { _id: key },
      { $set: { to, template, lastError: String(err).slice(0, 1000), updatedAt: now, ...(taskId ? { taskId } : {}) }, $inc: { attempts: 1 }, $setOnInsert: { firstFailedAt: now } },
      { upsert: true },
    );
  }

  /** One message to one recipient, at most once per key. */
  async function deliverOnce(req: EmailRequest, group: { locale: Locale; to: string[]; key: string; groupKey: string; person?: EmailRecipient }): Promise<{ messageId: string; duplicate: boolean }> {
    const messageId = `<${sha256(group.key).slice(0, 32)}@khcn-flow.local>`;
    // Before messages went one per recipient, a language group got one message under the group's key.
    const done = await store.EmailDelivery.findOne({ _id: { $in: [...new Set([group.key, group.groupKey])] }, status: 'sent' }).lean();
    if (done) return { messageId: done.messageId, duplicate: true };
    // Issue 17: an attempt found in `sending` was handed to SMTP by a process that died before it
    // could record the outcome. SMTP cannot be asked whether it took the message, so it is sent
    // once more, with the same Message-ID (mail clients fold the two); if that resend's outcome is
    // lost too, the message is taken as sent rather than risk a third copy.
    const earlier = await store.EmailDelivery.findById(group.key).lean();
    let unknownOutcomes = earlier?.unknownOutcomes ?? 0;
    if (earlier?.status === 'sending') {
      if (unknownOutcomes >= 1) {
        await store.EmailDelivery.updateOne({ _id: group.key, status: 'sending' }, { $set: { status: 'sent', assumedSent: true, sentAt: new Date(), updatedAt: new Date() } });
        log.warn('email outcome unknown twice: taken as sent', { key: group.key, template: req.template });
        return { messageId: earlier.messageId, duplicate: true };
      }
      unknownOutcomes += 1;
    }

    const data = { ...req.data, ...(req.i18n?.[group.locale] ?? {}) };
    let rendered: ReturnType<typeof renderEmail>;
    try {
      rendered = await renderOrGiveUp('email', () =>
        renderEmail(req.template, group.locale, {
          ...data,
          greeting: greeting(group.locale, group.person ?? (typeof data.proposerName === 'string' && req.to.length === 1 ? { name: data.proposerName } : undefined)),
        }),
      );
    } catch (err) {
      // The operations page lists it with the e-mails that keep failing (issue 11), then the workflow goes on without it.
      if (err instanceof ApplicationFailure && err.type === NOT_RENDERABLE.email) await recordFailure(group.key, group.to, req.template, err);
      throw err;
    }
    const { subject, html, text } = rendered;
    const attachments = await Promise.all(
      (req.attachments ?? []).map(async (a) => {
        const d = await store.Document.findById(a.documentId);
        if (!d) throw new Error(`attachment ${a.documentId} not found`);
        return { filename: a.filename, content: Buffer.from(d.data), contentType: d.contentType };
      }),
    );
    // The attempt is recorded before the message is handed over (see above).
    await store.EmailDelivery.updateOne(
      { _id: group.key },
      { $set: { status: 'sending', to: group.to, template: req.template, subject, messageId, unknownOutcomes, updatedAt: new Date() } },
      { upsert: true },
    );
    try {
      await mailer.sendMail({ from: mailFrom, to: group.to, subject, html, text, messageId, attachments });
    } catch (err) {
      await recordFailure(group.key, group.to, req.template, err, messageId);
      throw err; // transient: Temporal retries with backoff
    }
    await store.EmailDelivery.updateOne(
      { _id: group.key },
      {
        $set: { status: 'sent', to: group.to, template: req.template, subject, messageId, sentAt: new Date(), updatedAt: new Date() },
        $inc: { attempts: 1 },
      },
      { upsert: true },
    );
    await store.EmailFailure.deleteOne({ _id: group.key });
    log.info('email sent', { key: group.key, template: req.template, locale: group.locale });
    return { messageId, duplicate: false };
  }

  return {
    /**
     * Writes the task's read model; a stale or repeated write is ignored (version guard).
     * The audit log's stage changes are derived here from the timeline, so they are
     * written as durably as the read model (retried until they are), whoever moved the
     * task: a person, a timer or a council.
     */
    async recordTask(state: TaskState): Promise<{ applied: boolean }> {
      const applied = await store.upsertTask(state);
      const audited = await store.auditTimeline(state);
      // Issue 10: the files the state lists are the task's for good (the API marks them too, at once; this is the durable side).
      const attached = await store.uploads.attachTaskFiles(state);
      log.info('read model written', { taskId: state.taskId, stage: state.stage, version: state.version, applied, audited, attached });
      return { applied };
    },

    /** A council's read model (counts only for a secret ballot: the view never carries one). */
    async recordCouncil(view: CouncilView & { memberIds: string[]; departmentTaskId: string }): Promise<{ applied: boolean }> {
      const { departmentTaskId: _task, ...doc } = view;
      const applied = await store.upsertCouncil(doc);
      // Issue 10: the files of its written reviews are the council's for good.
      await store.uploads.attachCouncilFiles(doc);
      return { applied };
    },

    /** C-9: the result with every input it came from, so it can be recomputed and explained. Idempotent per council. */
    async storeCouncilResult(r: { councilId: string; taskId: string; kind: string; ruleSet: unknown; sitting: unknown; ballots: unknown; result: unknown }): Promise<void> {
      await store.CouncilResult.updateOne(
        { _id: r.councilId },
        { $setOnInsert: { taskId: r.taskId, kind: r.kind, ruleSet: r.ruleSet, sitting: r.sitting, ballots: r.ballots, result: r.result, storedAt: new Date() } },
        { upsert: true },
      );
    },

    /** T-4: records a debarment in the registry the API checks when a proposal is filed (idempotent per task). */
    async recordDebarment(d: { taskId: string; orgId: string; piEmail: string; until: string; reason: string }): Promise<void> {
      await store.Debarment.updateOne(
        { _id: d.taskId },
        { $set: { orgId: d.orgId, piEmail: d.piEmail.toLowerCase(), until: d.until, reason: d.reason }, $setOnInsert: { createdAt: new Date() } },
        { upsert: true },
      );
    },

    /**
     * The council's vote-counting record and minutes (domain.md §7), rendered once
     * from the decided sitting and kept with the task's documents.
     */
    async renderCouncilDocuments(req: { view: CouncilView; departmentName: string; place: string }): Promise<DocumentRef[]> {
      const hash = stateHash(req.view);
      const snapshot = { view: req.view, departmentName: req.departmentName, place: req.place };
      const specs = [
        { kind: 'vote_counting_record', title: 'Biên bản kiểm phiếu', file: 'bien-ban-kiem-phieu', render: renderVoteCountingRecord },
        { kind: 'council_minutes', title: 'Biên bản họp hội đồng', file: 'bien-ban-hop-hoi-dong', render: renderCouncilMinutes },
      ];
      const refs: DocumentRef[] = [];
      for (const spec of specs) {
        refs.push(
          await keepDocument(
            `${req.view.councilId}/${spec.kind}`,
            { taskId: req.view.taskId, kind: spec.kind, title: `${spec.title} – ${COUNCIL_KIND_LABELS[req.view.kind].vi}`, filename: `${spec.file}-${req.view.councilId}.pdf`, stateHash: hash },
            () => renderOrGiveUp('document', () => spec.render(snapshot, hash)),
          ),
        );
      }
      // C-4: each member's score sheet, for an open ballot only (a secret one is never shown per member).
      for (const memberId of scoreSheetMembers(req.view)) {
        const name = req.view.members.find((m) => m.memberId === memberId)?.name ?? memberId;
        refs.push(
          await keepDocument(
            `${req.view.councilId}/score_sheet/${memberId}`,
            { taskId: req.view.taskId, kind: 'score_sheet', title: `Phiếu đánh giá – ${name} (${COUNCIL_KIND_LABELS[req.view.kind].vi})`, filename: `phieu-danh-gia-${req.view.councilId}-${memberId}.pdf`, stateHash: hash },
            () => renderOrGiveUp('document', () => renderScoreSheet(snapshot, memberId, hash)),
          ),
        );
      }
      return refs;
    },

    /** Renders the proposal form (domain.md §7) once per task and keeps it. */
    async renderProposalForm(req: RenderProposalFormRequest): Promise<DocumentRef> {
      const snapshot = { taskId: req.taskId, departmentName: req.departmentName, place: req.place, submittedAt: req.submittedAt, ...req.proposal };
      const hash = stateHash(snapshot);
      return keepDocument(
        `${req.workflowId}/proposal_form`,
        { taskId: req.taskId, kind: 'proposal_form', title: 'Phiếu đề xuất đặt hàng nhiệm vụ KH&CN', filename: `phieu-de-xuat-${req.taskId}.pdf`, stateHash: hash },
        () => renderOrGiveUp('document', () => renderProposalFormPdf(snapshot, hash)),
      );
    },

    /**
     * A task document of domain.md §7 (decision, notice, record, contract, annex, certificate),
     * rendered once per key from one recorded state of the task and kept. Its number is drawn
     * from the Department's series when it is first rendered; the PDF prints the snapshot's hash.
     */
    async renderTaskDocument(req: RenderTaskDocumentRequest): Promise<DocumentRef> {
      const { snapshot } = req;
      const hash = stateHash(snapshot);
      const series = numberSeries(snapshot.kind, snapshot);
      return keepDocument(
        req.key,
        { taskId: snapshot.state.taskId, kind: snapshot.kind, title: taskDocumentTitle(snapshot), filename: req.filename, stateHash: hash, createdAt: new Date(snapshot.issuedAt) },
        async () => {
          const number = series ? series.format(await nextNumber(series.counter)) : snapshot.subject?.certificate?.number;
          // A state this document cannot be drawn from will not get better by retrying.
          const pdf = await renderOrGiveUp('document', () => renderTaskDocumentPdf(snapshot, hash, number));
          return { pdf, ...(number ? { number } : {}) };
        },
      );
    },

    // ---------- Issue 12: draft → signature → number → issue ----------

    /** Renders the draft (watermarked, no number or date) once and writes the issuance's read model with it. */
    async renderDocumentDraft(req: { input: IssuanceInput; view: IssuanceView }): Promise<{ stateHash: string }> {
      const { Issuance, ready } = issuanceModels(store.connection);
      await ready;
      const { input } = req;
      const base = input.draft.snapshot;
      const hash = stateHash(base);
      if (await Issuance.exists({ _id: input.documentId })) return { stateHash: hash };
      let pdf: Buffer;
      try {
        pdf = await renderTaskDocumentPdf({ ...base, issuance: { draft: true, slots: input.slots, signatures: req.view.signatures } }, hash);
      } catch (err) {
        if (err instanceof RangeError) throw ApplicationFailure.nonRetryable(err.message, 'DOCUMENT_NOT_RENDERABLE');
        throw err;
      }
      try {
        await Issuance.create({
          _id: input.documentId,
          workflowId: issuanceWorkflowId(input.documentId),
          ...issuanceFields(req.view),
          draft: { data: pdf, size: pdf.length, stateHash: hash, filename: input.draft.filename.replace(/\.pdf$/, '-du-thao.pdf') },
          draftRequest: input.draft,
          updatedAt: new Date(),
        });
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
      }
      log.info('document drafted', { taskId: input.taskId, documentId: input.documentId, kind: input.kind });
      return { stateHash: hash };
    },

    /** The issuance's read model (status, signatures, number); a stale or repeated write is ignored. */
    async recordIssuance(view: IssuanceView): Promise<{ applied: boolean }> {
      const { Issuance, ready } = issuanceModels(store.connection);
      await ready;
      const r = await Issuance.updateOne({ _id: view.documentId, version: { $lt: view.version } }, { $set: { ...issuanceFields(view), updatedAt: new Date() } });
      return { applied: r.modifiedCount > 0 };
    },

    /**
     * The clerk's entry in the outgoing register: the next number of the Department's series for the
     * year and type (a number the clerk has already entered by hand is skipped), or the number the
     * clerk read from the paper register, refused if the register has it for another document.
     * Idempotent per document.
     */
    async registerOutgoingDocument(req: RegisterOutgoingRequest): Promise<{ number: string; registeredOn: string }> {
      const { Register, ready } = issuanceModels(store.connection);
      await ready;
      const done = await Register.findOne({ documentId: req.documentId }).lean();
      if (done) return { number: done.number, registeredOn: done.registeredOn };
      const entry = (number: string) => ({ _id: `${req.departmentId}|${number}`, departmentId: req.departmentId, number, registeredOn: req.registeredOn, documentId: req.documentId, taskId: req.taskId, kind: req.kind, createdAt: new Date() });
      const take = async (number: string): Promise<boolean> => {
        try {
          await Register.create(entry(number));
          return true;
        } catch (err) {
          if (!isDuplicateKey(err)) throw err;
          const holder = await Register.findById(`${req.departmentId}|${number}`).lean();
          return holder?.documentId === req.documentId;
        }
      };
      const manual = req.number ?? (numberSeries(req.kind, { departmentName: req.departmentName, issuedAt: `${req.registeredOn}T05:00:00.000Z`, state: { departmentId: req.departmentId } as TaskState }) ? undefined : req.certificateNumber);
      if (manual) {
        if (await take(manual)) return { number: manual, registeredOn: req.registeredOn };
        throw ApplicationFailure.create({
          type: 'NUMBER_TAKEN',
          nonRetryable: true,
          message: `Number ${manual} is already in the outgoing register.`,
          details: [{ code: 'NUMBER_TAKEN', rule: 'issue-12', message: { vi: `Số ${manual} đã có trong sổ văn bản đi.`, en: `Number ${manual} is already in the outgoing register.` } }],
        });
      }
      const series = numberSeries(req.kind, { departmentName: req.departmentName, issuedAt: `${req.registeredOn}T05:00:00.000Z`, state: { departmentId: req.departmentId } as TaskState })!;
      for (;;) {
        const number = series.format(await nextNumber(series.counter));
        if (await take(number)) return { number, registeredOn: req.registeredOn };
      }
    },

    /**
     * The issued document: rendered with its number, date and signers' blocks (a decision from the
     * state it has just made, a record from its draft's state), signed (PAdES: the Department's
     * signer's certificate, then the Department's), kept under the draft's document ID.
     */
    async issueTaskDocument(req: IssueTaskDocumentRequest): Promise<DocumentRef> {
      const { Issuance, ready } = issuanceModels(store.connection);
      await ready;
      const request = req.request ?? (await Issuance.findById(req.documentId).select('draftRequest').lean())?.draftRequest;
      if (!request) throw ApplicationFailure.nonRetryable(`no draft of ${req.documentId}`, 'DOCUMENT_NOT_RENDERABLE');
      const base: TaskDocumentSnapshot = request.snapshot;
      const hash = stateHash(base);
      const { slots, signatures, number, registeredOn, issuedAt } = req.issuance;
      const snapshot: TaskDocumentSnapshot = { ...base, issuance: { draft: false, slots, signatures, number, registeredOn, issuedAt } };
      return keepDocumentAs(
        req.documentId,
        { taskId: base.state.taskId, kind: base.kind, title: taskDocumentTitle(base), filename: req.filename, stateHash: hash, createdAt: new Date(issuedAt) },
        async () => {
          try {
            return { pdf: await renderIssuedDocument(snapshot, hash, signing, log), number };
          } catch (err) {
            if (err instanceof RangeError) throw ApplicationFailure.nonRetryable(err.message, 'DOCUMENT_NOT_RENDERABLE');
            throw err;
          }
        },
      );
    },

    /**
     * Sends one email at most once per key. The delivery log is checked first;
     * the Message-ID is derived from the key so that, in the narrow window where
     * SMTP accepted a message but the log write was lost, a resend carries the same
     * Message-ID and mail clients fold the two.
     */
    async sendEmail(req: EmailRequest): Promise<{ messageId: string; duplicate: boolean }> {
      // One message per recipient, in their language, each exactly once under its own key.
      const groups = await recipientMessages(req);
      let first: { messageId: string; duplicate: boolean } | undefined;
      let duplicate = true;
      for (const group of groups) {
        const r = await deliverOnce(req, group);
        first ??= r;
        duplicate &&= r.duplicate;
      }
      return { messageId: first?.messageId ?? `<${sha256(req.key).slice(0, 32)}@khcn-flow.local>`, duplicate };
    },
  };
}

export type Activities = ReturnType<typeof createActivities>;

function toRef(d: { _id: string; kind: string; title: string; stateHash: string; createdAt: Date; number?: string }): DocumentRef {
  return {
    documentId: d._id,
    kind: d.kind,
    title: d.title,
    stateHash: d.stateHash,
    createdAt: new Date(d.createdAt).toISOString(),
    ...(d.number ? { number: d.number } : {}),
  };
}
