/**
 * Every side effect of the workflows, built from injected dependencies.
 * Each activity is idempotent, keyed by workflow ID + step: Temporal may run it
 * again after a worker crash, and the world must see it once.
 */
import { createHash } from 'node:crypto';
import type { Transporter } from 'nodemailer';
import { log } from '@temporalio/activity';
import type { CouncilView, DocumentRef, Locale, Proposal, TaskState } from '../workflows/definitions';
import type { Store } from './store';
import { isDuplicateKey } from './store';
import { renderProposalForm as renderProposalFormPdf } from './documents/pdf';
import { renderCouncilMinutes, renderVoteCountingRecord } from './documents/council-documents';
import { stateHash } from './documents/format';
import { renderEmail } from './mail/templates';

export interface EmailRequest {
  /** Exactly-once key: workflow ID + step. */
  key: string;
  to: string[];
  template: string;
  locale: Locale;
  data: Record<string, unknown>;
  attachments?: { documentId: string; filename: string }[];
}

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
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export function createActivities({ store, mailer, mailFrom }: ActivityDeps) {
  /**
   * Renders a document once per key and keeps it: a repeated activity (after a
   * worker crash) finds the stored one; a concurrent one loses the insert race
   * and returns the winner's.
   */
  async function keepDocument(
    key: string,
    meta: { taskId: string; kind: string; title: string; filename: string; stateHash: string },
    render: () => Promise<Buffer>,
  ): Promise<DocumentRef> {
    const documentId = `doc-${sha256(key).slice(0, 24)}`;
    const existing = await store.Document.findById(documentId).select('-data').lean();
    if (existing) return toRef(existing);
    const pdf = await render();
    const doc = { _id: documentId, ...meta, contentType: 'application/pdf', size: pdf.length, data: pdf, createdAt: new Date() };
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
      log.info('read model written', { taskId: state.taskId, stage: state.stage, version: state.version, applied, audited });
      return { applied };
    },

    /** A council's read model (counts only for a secret ballot: the view never carries one). */
    async recordCouncil(view: CouncilView & { memberIds: string[]; departmentTaskId: string }): Promise<{ applied: boolean }> {
      const { departmentTaskId: _task, ...doc } = view;
      return { applied: await store.upsertCouncil(doc) };
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
            { taskId: req.view.taskId, kind: spec.kind, title: `${spec.title} ${req.view.kind}`, filename: `${spec.file}-${req.view.councilId}.pdf`, stateHash: hash },
            () => spec.render(snapshot, hash),
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
        () => renderProposalFormPdf(snapshot, hash),
      );
    },

    /**
     * Sends one email at most once per key. The delivery log is checked first;
     * the Message-ID is derived from the key so that, in the narrow window where
     * SMTP accepted a message but the log write was lost, a resend carries the same
     * Message-ID and mail clients fold the two.
     */
    async sendEmail(req: EmailRequest): Promise<{ messageId: string; duplicate: boolean }> {
      const messageId = `<${sha256(req.key).slice(0, 32)}@khcn-flow.local>`;
      const done = await store.EmailDelivery.findOne({ _id: req.key, status: 'sent' }).lean();
      if (done) return { messageId: done.messageId, duplicate: true };

      const { subject, html, text } = renderEmail(req.template, req.locale, req.data);
      const attachments = await Promise.all(
        (req.attachments ?? []).map(async (a) => {
          const d = await store.Document.findById(a.documentId);
          if (!d) throw new Error(`attachment ${a.documentId} not found`);
          return { filename: a.filename, content: Buffer.from(d.data), contentType: d.contentType };
        }),
      );
      try {
        await mailer.sendMail({ from: mailFrom, to: req.to, subject, html, text, messageId, attachments });
      } catch (err) {
        await store.EmailDelivery.updateOne(
          { _id: req.key },
          {
            $set: { status: 'failed', to: req.to, template: req.template, messageId, lastError: String(err), updatedAt: new Date() },
            $inc: { attempts: 1 },
          },
          { upsert: true },
        );
        throw err; // transient: Temporal retries with backoff
      }
      await store.EmailDelivery.updateOne(
        { _id: req.key },
        {
          $set: { status: 'sent', to: req.to, template: req.template, subject, messageId, sentAt: new Date(), updatedAt: new Date() },
          $inc: { attempts: 1 },
        },
        { upsert: true },
      );
      log.info('email sent', { key: req.key, template: req.template });
      return { messageId, duplicate: false };
    },
  };
}

export type Activities = ReturnType<typeof createActivities>;

function toRef(d: { _id: string; kind: string; title: string; stateHash: string; createdAt: Date }): DocumentRef {
  return {
    documentId: d._id,
    kind: d.kind,
    title: d.title,
    stateHash: d.stateHash,
    createdAt: new Date(d.createdAt).toISOString(),
  };
}
