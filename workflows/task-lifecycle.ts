/**
 * One durable workflow per S&T task (nhiệm vụ KH&CN), from proposal to archive
 * (domain.md §2, L-1 … L-24, §4 adjustments, §5 suspension and termination,
 * §6 acceptance). Commands are updates with validators: a refused command gets
 * its reason and records nothing. Deadlines are obligations with reminders and
 * escalation; suspension pauses them. Deterministic code only.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  ParentClosePolicy,
  allHandlersFinished,
  condition,
  continueAsNew,
  isCancellation,
  log,
  patched,
  proxyActivities,
  setHandler,
  startChild,
  upsertSearchAttributes,
  uuid4,
  getExternalWorkflowHandle,
  workflowInfo,
} from '@temporalio/workflow';
import { councilSittingWorkflow } from './council-sitting';
import { documentIssuanceWorkflow } from './document-issuance';
import type { Activities, EmailRequest } from '../activities';
import {
  commandUpdate,
  councilDocumentsSignal,
  councilProblemSignal,
  councilResultSignal,
  councilWorkflowId,
  documentIssuedSignal,
  documentReadySignal,
  getTaskStateQuery,
  issuanceWorkflowId,
  notRenderable,
  NotRenderableType,
  withdrawDocumentSignal,
  type IssuanceFixed,
  type IssuanceInput,
  SA,
  taskPageUrl,
  TaskStage as S,
  type ActorRef,
  type CommandName,
  type CommandPayloads,
  type ApprovedChanges,
  type HostParty,
  type TaskLifecycleInput,
  type TaskStage,
  type TaskState,
  type WithAttachments,
} from './definitions';
import { addDays, addWorkingDays, compareDates, daysBetween, endOfVnDay, vnDateOf } from './rules/calendar';
import {
  acceptanceDossierDue,
  acceptanceMeetingDue,
  adjustmentDecisionDue,
  acceptanceCouncilFormingDue,
  callWindowRefusal,
  completenessDue,
  contractEndDate,
  contractSigningDue,
  extendedContractEnd,
  dossierOpeningDue,
  extensionRefusal,
  inspectionDueDates,
  inspectionNoticeRefusal,
  inspectionReminderDate,
  observationWindowEnd,
  registrationDue,
  reminderDate,
  remedyDue,
  reportDueDates,
  revisionDue,
} from './rules/deadlines';
import { debarmentUntil, formatVnd, refundDue } from './rules/money';
import { closeObligations, collectDue, deadlineSummary, msUntilNext, openObligation, shiftPaused } from './rules/obligations';
import { meetsShare, ruleSetFor } from './rules/ruleset';
import { budgetAppraisal, councilSizeRefusal, selectionCriteriaRefusal } from './rules/tallies';
import { isRetired, refundOutstanding, stateRefusal } from './rules/preconditions';
import { initialState, refOf } from './lifecycle-state';
import { serialReadModelWriter } from './read-model-writer';
import { COMMAND_NAMES, COMMANDS, refusalFor, refuse, TERMINAL_STAGES, type Refusal } from './rules/transitions';
import { commandPositionRefusal, openSlots, signatureSlots, slotAssignee, WHILE_DECISION_PENDING } from './rules/authority';
import {
  addMissingReminders,
  dmy,
  EFFECTIVE_ON_ISSUE,
  plannedTitle,
  markBefore,
  obligationTag,
  planAfterEffect,
  recordDocumentFacts,
  staleObligationEmail,
  type EffectMark,
  type PlannedDocument,
  type PlannedStep,
} from './task-documents';
import { ADJUSTMENT_LABELS, COUNCIL_KIND_LABELS, days, INSPECTION_CONCLUSION_LABELS, RATING_LABELS, STAGE_LABELS, type Names } from './labels';

/** An adjustment by what it changes (domain.md §4). */
const adjustmentName = (kind: string): Names => ADJUSTMENT_LABELS[kind] ?? { vi: 'điều chỉnh', en: 'adjustment' };

// Store writes and documents: quick, retried, then surfaced.
const { recordTask, renderProposalForm, recordDebarment, renderTaskDocument, issueTaskDocument } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

// Mail: retried with backoff for as long as it takes (an SMTP outage must not lose
// an email); it runs from the outbox loop, so it never blocks a command.
const { sendEmail } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '30 minutes' },
});

/** What a run hands to the next one when it continues as new. */
export interface ContinuedLifecycle {
  continued: { input: TaskLifecycleInput; state: TaskState; outbox: EmailRequest[] };
}

const SYSTEM: ActorRef = { userId: 'system', role: 'system', name: 'KHCN Flow' };

/**
 * Issue 6: the documents of domain.md §7 issued by commands, the notices that go with them,
 * emails readable in each recipient's language, and reminders dropped once stale. Tasks that
 * started before it replay unchanged.
 */
const DOCUMENTS_PATCH = 'task-documents-and-notices';
/** Issue 13: justified late acceptance dossiers, re-filing an incomplete one, the revision before recognition (L-19…L-21). */
const ACCEPTANCE_PATCH = 'acceptance-procedure-13';
/** Issue 10: an applicant gets a receipt naming the dossier code when a dossier is submitted to a call (L-5). */
const DOSSIER_RECEIPT_PATCH = 'call-dossier-receipt';
/**
 * Issue 12: documents go draft → signature → number → issue, and a decision takes effect when issued
 * (rule-sets 2026.2 on). Tasks on earlier rule-sets never reach this patch and issue as they did.
 */
const SIGNED_ISSUANCE_PATCH = 'signed-issuance';
const DEFAULT_HISTORY_LIMIT = 10_000;
/** A run continues as new only once the decided sittings it started have completed (see the main loop). */
const CONTINUE_AFTER_SITTINGS_PATCH = 'continue-after-decided-sittings';
/**
 * Issue 13 (council integrity and rule fidelity): a council's result is applied as it arrives (a command
 * right after it sees it), its documents follow; refunds are obligations; adjustments take effect; the
 * acceptance procedure's justified delays, re-filing, re-evaluation and revision. Decided once per run.
 */
const TASK_INTEGRITY_PATCH = 'task-integrity-13';

export async function taskLifecycleWorkflow(arg: TaskLifecycleInput | ContinuedLifecycle): Promise<TaskState> {
  const input = 'continued' in arg ? arg.continued.input : arg;
  const { workflowId } = workflowInfo();
  const rs = ruleSetFor(input.ruleSet);
  const signedIssuance = rs.authority.issuance === 'signed' && patched(SIGNED_ISSUANCE_PATCH);
  const v13 = patched(TASK_INTEGRITY_PATCH);
  const state: TaskState = 'continued' in arg ? arg.continued.state : initialState(input, workflowId);
  /** Emails waiting to go out, in order; each carries its exactly-once key. */
  const outbox: EmailRequest[] = 'continued' in arg ? arg.continued.outbox : [];
  /** Commands wait until the proposal is on record and acknowledged (L-1), so events keep their order. */
  let intakeDone = 'continued' in arg;
  /** Set by every change, so the main loop recomputes its timers. */
  let changed = false;
  /** A debarment decided by the current command, to be written to the registry. */
  let debarmentToRecord = false;
  /** A council sitting formed by the current command, to be started as a child workflow. */
  let councilToStart: import('./definitions').CouncilInput | undefined;
  /** Issue 13: the sittings this run started, until each completes. */
  const sittingsOfThisRun = new Map<string, Promise<void>>();
  /** The sittings this run started that have not completed yet. */
  const runningSittings = new Set<string>();

  // E-mails link to the task's page (issue 10), documents to their place on it. Only activity inputs
  // change: histories recorded when links pointed at the API replay unchanged.
  const taskUrl = taskPageUrl(input.publicBaseUrl, input.taskId);
  const now = () => new Date().toISOString();
  const today = () => vnDateOf(now());

  setHandler(getTaskStateQuery, () => state);

  // ---------- notifications ----------
  function hostRecipients(): string[] {
    return uniqueEmails([input.submittedBy.email, input.proposal.proposer.email, ...(state.host ? [state.host.pi.email] : [])]);
  }
  /** Everyone the task knows by name, so that each email greets its recipient by name (issue 12). */
  function knownPeople(): { email: string; name: string }[] {
    return [
      { email: input.submittedBy.email, name: input.submittedBy.name },
      { email: input.proposal.proposer.email, name: input.proposal.proposer.name },
      ...(state.host ? [{ email: state.host.pi.email, name: state.host.pi.name }] : []),
      ...(state.call?.dossiers ?? []).map((d) => ({ email: d.host.pi.email, name: d.host.pi.name })),
      ...(state.accountableOfficer ? [{ email: state.accountableOfficer.email, name: state.accountableOfficer.name }] : []),
    ];
  }
  function recipientsOf(to: string[]): { email: string; name: string }[] {
    const people = knownPeople();
    return to.flatMap((email) => {
      const person = people.find((p) => p.email.trim().toLowerCase() === email.trim().toLowerCase() && p.name);
      return person ? [{ email, name: person.name }] : [];
    });
  }
  type Audience = 'host' | 'officer' | 'both';
  function notify(
    type: string,
    rule: string,
    audience: Audience,
    subject: { vi: string; en: string },
    message: { vi: string; en: string },
    opts: { hostTo?: string[]; obligation?: import('./definitions').Obligation } = {},
  ) {
    state.eventSeq += 1;
    state.events.push({ seq: state.eventSeq, type, rule, at: now(), audience });
    const issue6 = patched(DOCUMENTS_PATCH);
    const send = (side: 'host' | 'officer', to: string[], locale: 'vi' | 'en') => {
      if (!to.length) return;
      outbox.push({
        key: `${workflowId}/e${state.eventSeq}-${type}/${side}`,
        to,
        recipients: recipientsOf(to),
        template: 'task-event',
        locale,
        data: { subject: subject[locale], message: message[locale], taskId: input.taskId, title: state.proposal.title, rule, taskUrl },
        // Both languages travel with the email: each recipient reads it in their own (issue 6).
        ...(issue6 ? { i18n: { vi: { subject: subject.vi, message: message.vi }, en: { subject: subject.en, message: message.en } } } : {}),
        // §8: a reminder or escalation names its obligation, so it is dropped once the obligation closes.
        ...(issue6 && opts.obligation ? { obligation: obligationTag(opts.obligation) } : {}),
      });
    };
    if (audience !== 'officer') send('host', opts.hostTo ? uniqueEmails(opts.hostTo) : hostRecipients(), input.submittedBy.locale);
    if (audience !== 'host') send('officer', state.accountableOfficer ? [state.accountableOfficer.email] : [], 'vi');
  }

  // ---------- recording ----------
  function touch() {
    state.version += 1;
    changed = true;
    const { nextDeadline, overdue } = deadlineSummary(state);
    upsertSearchAttributes([
      { key: SA.stage, value: state.stage },
      { key: SA.nextDeadline, value: nextDeadline ? new Date(endOfVnDay(nextDeadline)) : null },
      { key: SA.overdue, value: overdue },
    ]);
  }
  // One read-model write at a time, of the latest state (see read-model-writer.ts); histories
  // recorded before this wrote once per change, concurrently.
  const writer = serialReadModelWriter(() => structuredCopy(state), (s) => recordTask(s));
  async function persist() {
    touch();
    if (patched('serial-read-model-writes')) await writer.written(state.version);
    else await recordTask(structuredCopy(state));
  }
  /** After a command or a council result: the read model, then what the change set in motion. */
  async function record() {
    await persist();
    const issued = await issueDocuments();
    if (councilToStart) {
      const decision = issued.find((d) => d.ref.kind === 'council_formation_decision');
      // §7: the members receive the decision forming their council with their invitation.
      const c = decision ? { ...councilToStart, formationDecision: { documentId: decision.ref.documentId, filename: decision.filename } } : councilToStart;
      councilToStart = undefined;
      // The sitting outlives a continue-as-new of its task: it reports back by signal, not as a result.
      const child = await startChild(councilSittingWorkflow, { workflowId: c.councilId, args: [c], parentClosePolicy: ParentClosePolicy.ABANDON });
      // Issue 13: a task that closes once a sitting has decided lets it finish first (its last act is a signal to the task).
      if (v13) {
        runningSittings.add(c.councilId);
        sittingsOfThisRun.set(
          c.councilId,
          child.result().then(
            () => undefined,
            () => undefined,
          ).then(() => {
            runningSittings.delete(c.councilId);
            changed = true; // a hand-over postponed for it may go ahead
          }),
        );
      }
    }
    if (debarmentToRecord) {
      debarmentToRecord = false;
      // T-4: kept outside the task too, so a new proposal from the PI or host is refused.
      await recordDebarment({ taskId: state.taskId, ...state.debarment! });
    }
  }
  function moveTo(to: TaskStage, rule: string, by: ActorRef, action: string, note?: string) {
    state.stage = to;
    state.timeline.push({ at: now(), stage: to, rule, by: refOf(by), action, ...(note ? { note } : {}) });
    if (TERMINAL_STAGES.includes(to)) {
      closeObligations(state, () => true, 'CANCELLED', now());
      state.closed = true;
    }
  }

  // ---------- documents (§7) and notices, issue 6 (behind DOCUMENTS_PATCH) ----------
  /** Documents the current command issues, rendered by record() once the state is recorded. */
  let documentsToIssue: { doc: PlannedDocument; emails: EmailRequest[] }[] = [];
  /** Keys of queued emails waiting for their attachments: the outbox holds them until then. */
  const awaitingDocuments: string[] = [];

  function beginEffect(): EffectMark | undefined {
    return patched(DOCUMENTS_PATCH) ? markBefore(state, outbox.length) : undefined;
  }

  /** Right after an effect: its reminders (§8), notices and documents; the emails that carry a document wait for it. */
  function afterEffect(step: PlannedStep, mark: EffectMark | undefined) {
    if (!mark) return;
    recordDocumentFacts(step, state);
    addMissingReminders(state, mark.obligations, today(), rs);
    const plan = planAfterEffect(step, mark, state, {
      workflowId, taskId: input.taskId, rs, today: today(), now: now(),
      ...(councilToStart ? { council: councilToStart } : {}),
      ...(step.name === 'submitDossier' && patched(DOSSIER_RECEIPT_PATCH) ? { dossierReceipt: true } : {}),
      ...(signedIssuance ? { signed: true } : {}),
      ...(rs.authority.approver === 'people_committee' ? { approverIsPeoplesCommittee: true } : {}),
    });
    for (const n of plan.notices) notify(n.type, n.rule, n.audience, n.subject, n.message, n.to ? { hostTo: n.to } : {});
    const queued = outbox.slice(mark.outbox);
    const events = state.events.filter((e) => e.seq > mark.eventSeq);
    for (const doc of plan.documents) {
      const keys = events.filter((e) => doc.attachTo.events.includes(e.type)).flatMap((e) => doc.attachTo.sides.map((side) => `${workflowId}/e${e.seq}-${e.type}/${side}`));
      const emails = queued.filter((m) => keys.includes(m.key));
      for (const m of emails) if (!awaitingDocuments.includes(m.key)) awaitingDocuments.push(m.key);
      documentsToIssue.push({ doc, emails });
    }
  }

  /**
   * Renders the documents the command issued, each from the state just recorded (one snapshot),
   * lists them with the task, attaches them to their emails and lets those go.
   */
  async function issueDocuments(): Promise<{ ref: import('./definitions').DocumentRef; filename: string }[]> {
    if (documentsToIssue.length === 0) return [];
    const batch = documentsToIssue;
    documentsToIssue = [];
    const recorded = structuredCopy(state);
    const issued: { ref: import('./definitions').DocumentRef; filename: string }[] = [];
    try {
      for (const { doc, emails } of batch) {
        let ref: import('./definitions').DocumentRef | undefined;
        try {
          // Issue 12: the document being issued now is rendered in its issued form; any other goes to signature as a draft.
          ref = signedIssuance
            ? await issueOrDraft(doc, recorded)
            : await renderTaskDocument({ key: doc.key, filename: doc.filename, snapshot: snapshotOf(doc, recorded) });
        } catch (err) {
          // A document the recorded state cannot carry is left out; the task and its emails go on.
          if (err instanceof ActivityFailure && err.cause instanceof ApplicationFailure && err.cause.type === 'DOCUMENT_NOT_RENDERABLE') {
            log.warn('document not rendered', { taskId: input.taskId, kind: doc.kind, reason: err.cause.message });
            continue;
          }
          throw err;
        }
        if (!ref) continue;
        state.documents.push(ref);
        issued.push({ ref, filename: doc.filename });
        for (const m of emails) {
          m.attachments = [...(m.attachments ?? []), { documentId: ref.documentId, filename: doc.filename }];
          const listed = (m.data.documents as { title: string; url: string }[] | undefined) ?? [];
          m.data = { ...m.data, documents: [...listed, { title: ref.number ? `${ref.title} (số ${ref.number})` : ref.title, url: `${taskUrl}#${ref.documentId}` }] };
        }
      }
    } finally {
      // An email may carry several documents of the batch: it goes once all are attached (or given up).
      for (const { emails } of batch) {
        for (const m of emails) {
          const i = awaitingDocuments.indexOf(m.key);
          if (i >= 0) awaitingDocuments.splice(i, 1);
        }
      }
    }
    await persist();
    await startDrafts();
    return issued;
  }

  // ---------- Issue 12: draft → signature → number → issue (behind SIGNED_ISSUANCE_PATCH) ----------
  /** The clerk's issue being applied: the document, with what the issuance fixed. */
  let issuingNow: { documentId: string; issuance: IssuanceFixed } | undefined;
  /** Drafts planned by the current step, started as child workflows once the state is recorded. */
  let draftsToStart: IssuanceInput[] = [];

  function snapshotOf(doc: PlannedDocument, s: TaskState) {
    return { kind: doc.kind, state: s, ...(doc.subject ? { subject: doc.subject } : {}), issuedAt: doc.issuedAt, issuedBy: doc.issuedBy, departmentName: input.departmentName, place: input.place };
  }

  /** The document the clerk is issuing now, in its issued form; any other is drafted (undefined). */
  async function issueOrDraft(doc: PlannedDocument, recorded: TaskState): Promise<import('./definitions').DocumentRef | undefined> {
    const entry = issuingNow && state.issuance?.find((d) => d.documentId === issuingNow!.documentId);
    if (issuingNow && entry && (entry.effective ? entry.kind === doc.kind : entry.planned.key === doc.key)) {
      return issueTaskDocument({
        documentId: entry.documentId,
        filename: entry.planned.filename,
        // A decision shows the state it has just made; a record the state it was drafted from.
        ...(entry.effective ? { request: { key: doc.key, filename: entry.planned.filename, snapshot: snapshotOf(doc, recorded) } } : {}),
        issuance: issuingNow.issuance,
      });
    }
    planDraft(doc, recorded);
    return undefined;
  }

  /** A draft going to signature: listed with the task, an obligation of the Department (§8), its child workflow to start. */
  function planDraft(doc: PlannedDocument, s: TaskState, effective?: { command: CommandName; payload: CommandPayloads[CommandName] }): string {
    const documentId = `doc-${uuid4().replace(/-/g, '').slice(0, 24)}`;
    const title = plannedTitle(doc);
    const slots = signatureSlots(doc.kind, s, doc.subject, rs.authority);
    (state.issuance ??= []).push({ documentId, kind: doc.kind, title: title.vi, planned: doc, status: 'PENDING', draftedAt: now(), ...(effective ? { effective } : {}) });
    const before = state.obligations.length;
    const dueOn = addWorkingDays(today(), rs.authority.issuanceWorkingDays);
    const o = openObligation(state, {
      kind: 'document_issuance', rule: '§7', assignee: 'department', dueOn, pausable: false,
      deliverable: { vi: `Ký, vào sổ và phát hành: ${title.vi}`, en: `Sign, register and issue: ${title.en}` },
    });
    o.id = `document_issuance-${documentId}`;
    const first = openSlots({ slots, signatures: slots.flatMap((x) => (x.presigned ? [x.presigned] : [])) })[0];
    if (first) o.assigneeName = slotAssignee(first).vi;
    addMissingReminders(state, before, today(), rs);
    draftsToStart.push({
      documentId, taskId: input.taskId, taskTitle: state.proposal.title, departmentId: input.departmentId, parentWorkflowId: workflowId,
      kind: doc.kind, title: title.vi, draft: { key: doc.key, filename: doc.filename, snapshot: snapshotOf(doc, s) }, slots, dueOn,
      ...(effective ? { effective: { command: effective.command, label: COMMANDS[effective.command].label } } : {}),
    });
    return documentId;
  }

  async function startDrafts() {
    const drafts = draftsToStart;
    draftsToStart = [];
    for (const d of drafts) await startChild(documentIssuanceWorkflow, { workflowId: issuanceWorkflowId(d.documentId), args: [d], parentClosePolicy: ParentClosePolicy.ABANDON });
  }

  const pendingDecision = () => state.issuance?.find((d) => d.status === 'PENDING' && d.effective);

  /**
   * A command whose effect plans a decision that takes effect when issued: the effect is tried and
   * undone (nothing of it stays), the decision is drafted from the state it would make and goes to
   * signature; the command takes effect when the clerk issues it. False for any other command.
   */
  async function deferredToIssuance(name: CommandName, p: CommandPayloads[CommandName]): Promise<boolean> {
    const saved = structuredCopy(state);
    const kept = { outbox: outbox.length, documents: documentsToIssue.length, council: councilToStart, debarment: debarmentToRecord, awaiting: [...awaitingDocuments] };
    const mark = beginEffect();
    (effects[name] as (x: typeof p) => void)(p);
    afterEffect({ name, p } as PlannedStep, mark);
    const decision = documentsToIssue.slice(kept.documents).map((d) => d.doc).find((d) => EFFECTIVE_ON_ISSUE.includes(d.kind));
    const after = decision ? structuredCopy(state) : undefined;
    // Undo: the state, the outbox, what the effect set going.
    for (const k of Object.keys(state)) delete (state as unknown as Record<string, unknown>)[k];
    Object.assign(state, saved);
    outbox.length = kept.outbox;
    documentsToIssue.length = kept.documents;
    councilToStart = kept.council;
    debarmentToRecord = kept.debarment;
    awaitingDocuments.splice(0, awaitingDocuments.length, ...kept.awaiting);
    if (!decision || !after) return false;
    const title = plannedTitle(decision);
    planDraft(decision, after, { command: name, payload: p });
    state.timeline.push({ at: now(), stage: state.stage, rule: COMMANDS[name].rule, by: refOf(p.by), action: name, note: `Trình ký: ${title.vi}` });
    await persist();
    await startDrafts();
    return true;
  }

  /** The Department records the People's Committee's decision it was given (L-3, L-10). */
  function recordApproverDecision(name: CommandName, p: CommandPayloads[CommandName]) {
    const d = (p as { approverDecision?: import('./definitions').ApproverDecision }).approverDecision;
    if (d && (name === 'approveOrderList' || name === 'approveTask')) (state.approverDecisions ??= []).push({ command: name, decision: d, at: now() });
  }

  // The clerk issues a document: a decision takes effect now, then the issued PDF is rendered, signed, listed and mailed.
  setHandler(documentReadySignal, async ({ documentId, issuance }) => {
    await condition(() => intakeDone && issuingNow === undefined);
    const entry = state.issuance?.find((d) => d.documentId === documentId);
    if (!entry || entry.status === 'WITHDRAWN') return;
    if (entry.status === 'ISSUED') {
      // A repeated signal: the child is told again what was issued.
      const done = state.documents.find((d) => d.documentId === documentId);
      if (done) await getExternalWorkflowHandle(issuanceWorkflowId(documentId)).signal(documentIssuedSignal, { documentId, document: done });
      return;
    }
    issuingNow = { documentId, issuance };
    try {
      entry.status = 'ISSUED';
      closeObligations(state, (o) => o.id === `document_issuance-${documentId}`, 'DONE', now(), issuance.number);
      if (entry.effective) {
        const { command, payload } = entry.effective;
        const mark = beginEffect();
        const entries = state.timeline.length;
        (effects[command] as (x: typeof payload) => void)(payload);
        afterEffect({ name: command, p: payload } as PlannedStep, mark);
        recordAttachments(command, payload, entries);
        recordApproverDecision(command, payload);
      } else {
        // A record issued after its transition: to the same people, with the document.
        const mark = beginEffect();
        const title = plannedTitle(entry.planned);
        const sides = entry.planned.attachTo.sides;
        notify('document.issued', '§7', sides.length === 2 ? 'both' : sides[0] === 'host' ? 'host' : 'officer', { vi: `${title.vi} số ${issuance.number}`, en: `${title.en} no. ${issuance.number}` }, {
          vi: `Sở đã ban hành ${title.vi.toLowerCase()} số ${issuance.number} ngày ${dmy(issuance.registeredOn)}; văn bản được đính kèm.`,
          en: `The Department issued the ${title.en.toLowerCase()} no. ${issuance.number} on ${days(issuance.registeredOn).en}; it is attached.`,
        });
        const queued = outbox.slice(mark?.outbox ?? outbox.length);
        for (const m of queued) if (!awaitingDocuments.includes(m.key)) awaitingDocuments.push(m.key);
        documentsToIssue.push({ doc: entry.planned, emails: queued });
      }
      await record();
      const document = state.documents.find((d) => d.documentId === documentId);
      if (document) await getExternalWorkflowHandle(issuanceWorkflowId(documentId)).signal(documentIssuedSignal, { documentId, document });
    } finally {
      issuingNow = undefined;
    }
    await withdrawIfClosed();
  });

  /** A task that ended (withdrawn, cancelled, archived) withdraws the drafts still awaiting issue. */
  async function withdrawIfClosed() {
    if (!signedIssuance || !state.closed) return;
    const pending = (state.issuance ?? []).filter((d) => d.status === 'PENDING');
    if (!pending.length) return;
    for (const d of pending) {
      d.status = 'WITHDRAWN';
      closeObligations(state, (o) => o.id === `document_issuance-${d.documentId}`, 'CANCELLED', now());
    }
    await persist();
    for (const d of pending) {
      try {
        await getExternalWorkflowHandle(issuanceWorkflowId(d.documentId)).signal(withdrawDocumentSignal, { reason: state.stage });
      } catch (err) {
        log.warn('draft not withdrawn', { taskId: input.taskId, documentId: d.documentId, error: String(err) });
      }
    }
  }

  /**
   * Sends one email of the outbox. Once patched: an email waits for its documents; a reminder or
   * escalation whose obligation has closed, moved or paused is dropped (§8), also while an SMTP
   * outage keeps it retrying.
   */
  async function deliver(m: EmailRequest): Promise<void> {
    // Issue 15: an e-mail that cannot be rendered from its data is given up (the activity listed it
    // with the failing e-mails for the operators); the task goes on. Before, it retried forever.
    // (A try/catch at each send, not a wrapper: another await layer would reorder the workflow's commands.)
    const givenUp = (err: unknown) => {
      if (!notRenderable(err, NotRenderableType.EMAIL)) throw err;
      log.warn('email not rendered', { taskId: input.taskId, key: m.key, template: m.template, reason: err.cause?.message });
    };
    if (!patched(DOCUMENTS_PATCH)) {
      try {
        await sendEmail(m);
      } catch (err) {
        givenUp(err);
      }
      return;
    }
    if (awaitingDocuments.includes(m.key)) await condition(() => !awaitingDocuments.includes(m.key));
    const tag = m.obligation;
    if (!tag) {
      try {
        await sendEmail(m);
      } catch (err) {
        givenUp(err);
      }
      return;
    }
    if (staleObligationEmail(state, tag)) return;
    let settled = false;
    const scope = new CancellationScope();
    const sending = scope.run(() => sendEmail(m));
    void condition(() => settled || staleObligationEmail(state, tag)).then(() => {
      if (!settled) scope.cancel();
    });
    try {
      await sending;
    } catch (err) {
      if (!isCancellation(err)) givenUp(err);
    } finally {
      settled = true;
    }
  }

  // ---------- validation ----------
  function fail(r: Refusal): never {
    throw ApplicationFailure.create({ type: r.code, message: r.message.en, details: [r], nonRetryable: true });
  }
  function check<K extends CommandName>(name: K, p: CommandPayloads[K]): void {
    const base = refusalFor(name, state.stage, p.by.role);
    if (base) fail(base);
    if (p.by.role === 'researcher' && name !== 'submitDossier') {
      // Before selection the proposer's organisation acts; after it, the host's (the proposer may still withdraw).
      const party = state.host?.orgId ?? state.owner.orgId;
      if (p.by.orgId !== party && !(name === 'withdraw' && p.by.orgId === state.owner.orgId)) {
        fail(refuse('NOT_YOUR_TASK', COMMANDS[name].rule, 'Nhiệm vụ này không thuộc tổ chức của bạn.', 'This task does not belong to your organisation.'));
      }
    }
    // Issue 12: the Department's people act by position (a clerk gives no command); a decision awaiting issue holds the task.
    const position = commandPositionRefusal(name, p.by, rs.authority);
    if (position) fail(position);
    if (signedIssuance) {
      const waiting = pendingDecision();
      if (waiting && !WHILE_DECISION_PENDING.includes(name)) {
        fail(refuse('DECISION_PENDING', COMMANDS[name].rule,
          `Đang chờ ký, vào sổ và phát hành ${waiting.title.charAt(0).toLowerCase()}${waiting.title.slice(1)}; thao tác này thực hiện sau khi văn bản được phát hành.`,
          `${plannedTitle(waiting.planned).en} awaits signature, registration and issue; this command can be given once it is issued.`));
      }
    }
    if (name === 'approveOrderList' || name === 'approveTask') {
      const d = (p as { approverDecision?: unknown }).approverDecision;
      if (rs.authority.approver === 'people_committee' && !d) {
        fail(refuse('INVALID_COMMAND', COMMANDS[name].rule, 'Ủy ban nhân dân tỉnh phê duyệt: cần số, ngày, người ký và tệp quyết định (approverDecision, attachments).', 'The provincial People\'s Committee approves: its decision\'s number, date, signer and file are needed (approverDecision, attachments).'));
      }
      if (rs.authority.approver === 'director' && d) {
        fail(refuse('INVALID_COMMAND', COMMANDS[name].rule, 'Giám đốc Sở phê duyệt theo ủy quyền: Sở ban hành quyết định của mình, không ghi quyết định của Ủy ban nhân dân tỉnh.', 'The Director approves under delegation: the Department issues its own decision (no approverDecision).'));
      }
    }
    const r = preconditions[name](p as never);
    if (r) fail(r);
  }

  const pre = (rule: string, vi: string, en: string) => refuse('PRECONDITION_FAILED', rule, vi, en);
  const pendingAdjustment = () => state.adjustments.find((a) => !a.decision && a.kind !== 'A-1');
  /** T-3: an amount paid back or written off: integer VND, more than 0, at most what is still owed. */
  const refundAmountRefusal = (amount: number, vi: string, en: string): Refusal | null => {
    const owed = refundOutstanding(state);
    if (owed === 0) return pre('T-3', 'Không còn khoản kinh phí nào phải hoàn trả.', 'No refund is owed.');
    if (!money(amount) || amount === 0) return badMoney('T-3');
    return amount > owed ? refuse('INVALID_COMMAND', 'T-3', `${vi} vượt số còn phải hoàn trả (${formatVnd(owed)} đồng).`, `${en} exceeds what is still owed (${formatVnd(owed)} VND).`) : null;
  };
  const lastCouncil = (c: string) => [...state.councils].reverse().find((x) => x.council === c);

  /** Conditions beyond stage and role, per command; null when satisfied. */
  const preconditions: { [K in CommandName]: (p: CommandPayloads[K]) => Refusal | null } = {
    startIdentificationReview: () => null,
    recordIdentificationResult: (p) => {
      // Retired (issue 13): refused by the validator; kept so that recorded histories replay.
      const c = { ...rs.councils.identification, ...rs.councils.composition['C-ID'].sizes[state.proposal.level] };
      if (p.members < c.minMembers || p.members > c.maxMembers) return pre('C-ID', `Hội đồng xác định phải có ${c.minMembers}–${c.maxMembers} thành viên.`, `The identification council must have ${c.minMembers}–${c.maxMembers} members.`);
      if (p.present > p.members || p.yes > p.present || p.present < 0 || p.yes < 0) return refuse('INVALID_COMMAND', 'C-ID', 'Số liệu kiểm phiếu không hợp lệ.', 'The tally figures are inconsistent.');
      if (!meetsShare(p.present, p.members, rs.councils.quorum)) return pre('C-2', `Không đủ số thành viên có mặt (${p.present}/${p.members}); phiên họp phải hoãn.`, `No quorum (${p.present}/${p.members} present); the meeting must be postponed.`);
      const recommended = meetsShare(p.yes, p.present, c.recommendShare, c.strictlyGreater);
      if (!recommended && !(p.reasons && p.reasons.length)) return refuse('INVALID_COMMAND', 'L-3', 'Kết luận không đề nghị phải nêu lý do.', 'A rejection carries its reasons.');
      return null;
    },
    approveOrderList: () =>
      lastCouncil('C-ID')?.outcome === 'RECOMMENDED' ? null : pre('L-3', 'Chưa có kết luận đề nghị của hội đồng xác định nhiệm vụ.', 'The identification council has not recommended the task.'),
    rejectProposal: (p) => (p.reasons.length ? null : refuse('INVALID_COMMAND', 'L-3', 'Phải nêu lý do không phê duyệt.', 'Rejections carry reasons.')),
    openCall: (p) => callWindowRefusal(today(), p.closesOn, rs),
    assignDirectly: () => null,
    submitDossier: (p) => {
      if (!state.call || compareDates(today(), state.call.closesOn) > 0) return pre('L-5', 'Đã hết hạn nộp hồ sơ.', 'The call has closed.');
      if (state.call.dossiers.some((d) => d.host.orgId === p.host.orgId)) return pre('L-5', 'Tổ chức đã nộp hồ sơ cho đợt này.', 'This organisation already applied in this call.');
      if (p.host.orgId !== p.by.orgId) return refuse('NOT_YOUR_TASK', 'L-5', 'Chỉ được nộp hồ sơ cho tổ chức của mình.', 'You may apply only for your own organisation.');
      return null;
    },
    openDossiers: (p) => {
      if (state.call && compareDates(today(), state.call.closesOn) <= 0) return pre('L-5', `Chưa hết hạn nộp hồ sơ (${state.call.closesOn}).`, `The call is still open until ${state.call.closesOn}.`);
      const unknown = p.valid.filter((id) => !state.call?.dossiers.some((d) => d.dossierId === id));
      return unknown.length ? refuse('INVALID_COMMAND', 'L-5', `Hồ sơ không tồn tại: ${unknown.join(', ')}.`, `Unknown dossiers: ${unknown.join(', ')}.`) : null;
    },
    formSelectionCouncil: (p) =>
      compareDates(p.meetingOn, addWorkingDays(today(), rs.selectionPapersWorkingDaysBefore)) < 0
        ? pre('L-6', `Tài liệu phải gửi thành viên ít nhất ${rs.selectionPapersWorkingDaysBefore} ngày làm việc trước phiên họp.`, `Papers must reach members at least ${rs.selectionPapersWorkingDaysBefore} working days before the meeting.`)
        : null,
    recordSelectionResult: (p) => {
      if (p.outcome !== 'SELECTED') return null;
      if (state.assignment === 'direct_assignment') return state.host ? null : pre('L-7', 'Chưa có tổ chức được giao trực tiếp.', 'No directly assigned host.');
      const ok = state.call?.dossiers.some((d) => d.dossierId === p.dossierId && d.valid);
      return ok ? null : refuse('INVALID_COMMAND', 'L-7', 'Hồ sơ trúng tuyển phải là một hồ sơ hợp lệ của đợt tuyển chọn.', 'The selected dossier must be a valid dossier of the call.');
    },
    submitRevisedProposal: () => null,
    recordBudgetAppraisal: (p) => {
      if (!(money(p.requested) && money(p.appraisedState) && money(p.appraisedOther))) return badMoney('C-BUD');
      if (!p.items) return null;
      // C-BUD: the item-level record must add up to the totals given.
      let a: ReturnType<typeof budgetAppraisal>;
      try {
        a = budgetAppraisal({ items: p.items, consensus: p.consensus ?? true, ...(p.dissent ? { dissent: p.dissent } : {}) });
      } catch (err) {
        return refuse('INVALID_COMMAND', 'C-BUD', `Biên bản thẩm định không hợp lệ: ${(err as Error).message}`, `The appraisal record is invalid: ${(err as Error).message}`);
      }
      const mismatch = [
        a.total.requested !== p.requested ? `requested ${formatVnd(a.total.requested)} ≠ ${formatVnd(p.requested)}` : '',
        a.bySource.state.appraised !== p.appraisedState ? `appraisedState ${formatVnd(a.bySource.state.appraised)} ≠ ${formatVnd(p.appraisedState)}` : '',
        a.bySource.other.appraised !== p.appraisedOther ? `appraisedOther ${formatVnd(a.bySource.other.appraised)} ≠ ${formatVnd(p.appraisedOther)}` : '',
      ].filter(Boolean);
      return mismatch.length
        ? refuse('INVALID_COMMAND', 'C-BUD', `Tổng các khoản không khớp với số tổng hợp: ${mismatch.join('; ')}.`, `The items do not add up to the totals: ${mismatch.join('; ')}.`)
        : null;
    },
    approveTask: (p) => (money(p.stateBudget) && money(p.otherSources) && Number.isInteger(p.durationMonths) && p.durationMonths >= 1 ? null : badMoney('L-10')),
    cancelBeforeContract: () => null,
    signContract: (p) => {
      const c = state.contract;
      const signed = p.by.role === 'manager' ? c?.departmentSignedAt : c?.hostSignedAt;
      return signed ? pre('L-11', 'Bên này đã ký hợp đồng.', 'This party has already signed.') : null;
    },
    recordDisbursement: (p) => {
      if (!money(p.amount) || p.amount === 0) return badMoney('L-12');
      return state.funds.disbursed + p.amount > state.funds.approvedState
        ? pre('L-12', 'Tổng cấp phát vượt kinh phí ngân sách nhà nước được phê duyệt.', 'Disbursements would exceed the approved state budget.')
        : null;
    },
    submitProgressReport: (p) =>
      state.reports.some((r) => r.period === p.period && !r.submittedAt) ? null : refuse('INVALID_COMMAND', 'L-13', `Không có kỳ báo cáo ${p.period} đang chờ.`, `No report for period ${p.period} is due.`),
    startInspection: (p) => inspectionNoticeRefusal(p.noticeOn, today(), rs),
    concludeInspection: () => null,
    requestAdjustment: (p) => {
      if (pendingAdjustment()) return pre('L-14', 'Đang có một đề nghị điều chỉnh chờ quyết định.', 'Another adjustment is awaiting a decision.');
      if (p.kind !== 'A-3') return null;
      return extensionRefusal({ requestedOn: today(), months: p.months }, { durationMonths: state.approval!.durationMonths, contractEnd: state.contract!.endOn!, extensionsGranted: state.extensionsGranted }, rs);
    },
    decideAdjustment: () => (pendingAdjustment() ? null : pre('L-14', 'Không có đề nghị điều chỉnh nào đang chờ.', 'No adjustment is pending.')),
    suspend: (p) => (p.remedyDays === undefined || (Number.isInteger(p.remedyDays) && p.remedyDays > 0) ? null : refuse('INVALID_COMMAND', 'T-1', 'Thời hạn khắc phục phải là số ngày dương.', 'The remedy period must be a positive number of days.')),
    resume: () => null,
    requestTermination: () => null,
    proposeTermination: () => null,
    submitObservations: () =>
      state.termination?.initiatedBy === 'department' && !state.termination.observations
        ? null
        : pre('T-2', 'Không có đề xuất chấm dứt nào chờ ý kiến giải trình.', 'No Department-initiated termination awaits observations.'),
    decideTermination: (p) => {
      const t = state.termination!;
      if (t.initiatedBy === 'department' && !t.observations && compareDates(today(), t.observationEndsOn!) <= 0) {
        return pre('T-2', `Chưa hết thời hạn giải trình của bên thực hiện (đến ${t.observationEndsOn}).`, `The host may still submit observations until ${t.observationEndsOn}.`);
      }
      if (p.terminate && (!money(p.fundsSpent) || p.fundsSpent > state.funds.disbursed)) return badMoney('T-3');
      return null;
    },
    startSelfEvaluation: () => null,
    submitAcceptanceDossier: (p) => (money(p.fundsSpent) && p.fundsSpent <= state.funds.disbursed ? null : badMoney('N-2')),
    submitRevisedResults: () => null,
    checkAcceptanceDossier: () => null,
    formAcceptanceCouncil: () => (state.acceptance?.complete ? null : pre('L-19', 'Hồ sơ nghiệm thu chưa được xác nhận đầy đủ.', 'The acceptance dossier has not been confirmed complete.')),
    recordAcceptanceResult: () => null,
    recognizeResult: () => null,
    registerResult: (p) => (p.certificates.length ? null : refuse('INVALID_COMMAND', 'L-22', 'Phải có ít nhất một giấy chứng nhận đăng ký kết quả.', 'At least one registration certificate is required.')),
    settleFinances: (p) => (money(p.fundsSpent) && p.fundsSpent <= state.funds.disbursed ? null : badMoney('L-23')),
    // What is still owed: the amount due less what was refunded and written off (before issue 13, due − refunded).
    recordRefund: (p) => refundAmountRefusal(p.amount, 'Số thu hồi', 'The refund'),
    writeOffRefund: (p) => {
      if (compareDates(p.decidedOn, today()) > 0) return refuse('INVALID_COMMAND', 'T-3', 'Ngày quyết định không được ở tương lai.', 'The decision date cannot be in the future.');
      return refundAmountRefusal(p.amount, 'Số xóa', 'The amount written off');
    },
    liquidate: () => {
      if (state.stage === S.FINANCIAL_SETTLEMENT) return state.registration ? null : pre('L-22', 'Chưa có giấy chứng nhận đăng ký kết quả.', 'No registration certificate yet.');
      const owed = refundOutstanding(state);
      const due = state.funds.refundDue?.total ?? 0;
      return owed === 0 ? null : pre('L-24', `Chưa thu hồi đủ kinh phí (${formatVnd(due - owed)}/${formatVnd(due)} đồng).`, `Funds not fully recovered (${formatVnd(due - owed)}/${formatVnd(due)} VND).`);
    },
    archive: () => null,
    withdraw: () => null,
    assignOfficer: () => null,
    formCouncil: (p) => {
      const expected = state.stage === S.IDENTIFICATION_REVIEW ? 'C-ID' : state.stage === S.SELECTION_REVIEW ? 'C-SEL' : 'C-ACC';
      if (p.kind !== expected) return refuse('INVALID_COMMAND', 'C-1', `Giai đoạn ${state.stage} cần hội đồng ${expected}.`, `Stage ${state.stage} needs a ${expected} council.`);
      if (state.councilSittings.some((c) => c.status === 'SITTING')) return pre('C-1', 'Đang có một hội đồng chưa kết luận.', 'A council of this task is still sitting.');
      if (!(p.votingDeadline > now())) return refuse('INVALID_COMMAND', 'C-4', 'Hạn bỏ phiếu phải ở tương lai.', 'The voting deadline must be in the future.');
      // Issue 13: the composition (C-1, by the task's level) and the criteria (C-SEL, from the rule-set) are the validator's.
      return null;
    },
  };

  /**
   * Issue 13: what the validators check on top of `check` (stage, role, the conditions handlers repeat):
   * the task's state as the API's allowed actions read it (rules/preconditions.ts), then what depends on the
   * body. Validators do not run when a recorded history replays, so tasks that accepted a command before keep it.
   */
  const strictRefusals: { [K in CommandName]?: (p: CommandPayloads[K]) => Refusal | null } = {
    checkAcceptanceDossier: (p) =>
      state.acceptance?.lateReason !== undefined && state.acceptance.lateJustified === undefined && p.lateJustified === undefined
        ? refuse('INVALID_COMMAND', 'L-20', `Hồ sơ nộp muộn kèm lý do: phải nêu lý do có chính đáng hay không (lý do: ${state.acceptance.lateReason}).`, `A late dossier with reasons: say whether they justify the delay (reasons: ${state.acceptance.lateReason}).`)
        : null,
    requestAdjustment: (p) => {
      if (p.kind !== 'A-1' && p.kind !== 'A-2' && p.kind !== 'A-5') return null;
      const c = p.changes;
      if (!c) return null;
      const given = Object.entries(c).filter(([, v]) => v !== undefined).map(([k]) => k);
      if (p.kind === 'A-1') return refuse('INVALID_COMMAND', 'A-1', 'Điều chỉnh A-1 thuộc quyền của tổ chức chủ trì, không thay đổi nội dung đã phê duyệt.', 'An A-1 adjustment is the host\'s own and changes nothing that was approved.');
      if (given.length === 0) return refuse('INVALID_COMMAND', p.kind, 'Chưa nêu nội dung thay đổi.', 'No change is given.');
      // A-2: product specifications without changing the objective; the total stays (§4).
      if (p.kind === 'A-2' && given.some((k) => k !== 'products')) {
        return refuse('ADJUSTMENT_OUT_OF_SCOPE', 'A-2', 'Điều chỉnh A-2 chỉ thay đổi yêu cầu sản phẩm; tên, mục tiêu, tổ chức chủ trì và tổng kinh phí là điều chỉnh A-5 (người phê duyệt quyết định).', 'An A-2 adjustment changes product specifications only; the name, objectives, host and total budget are A-5 (decided by the approver).');
      }
      if (c.products && c.products.length === 0) return refuse('INVALID_COMMAND', p.kind, 'Danh mục sản phẩm không được để trống.', 'The list of products cannot be empty.');
      if (c.stateBudget !== undefined && (!money(c.stateBudget) || c.stateBudget < state.funds.disbursed)) {
        return refuse('INVALID_COMMAND', 'A-5', `Kinh phí ngân sách nhà nước mới không được thấp hơn số đã cấp (${formatVnd(state.funds.disbursed)} đồng).`, `The new state budget cannot be below what was disbursed (${formatVnd(state.funds.disbursed)} VND).`);
      }
      if (c.otherSources !== undefined && !money(c.otherSources)) return badMoney('A-5');
      return null;
    },
    formCouncil: (p) => {
      if (!(Date.parse(p.votingDeadline) > Date.now())) return refuse('INVALID_COMMAND', 'C-4', 'Hạn bỏ phiếu phải ở tương lai.', 'The voting deadline must be in the future.');
      if (compareDates(vnDateOf(p.votingDeadline), p.meetingOn) < 0) {
        return refuse('INVALID_COMMAND', 'C-4', `Hạn bỏ phiếu phải từ ngày họp (${dmy(p.meetingOn)}) trở đi: bỏ phiếu mở tại phiên họp.`, `The voting deadline cannot come before the meeting day (${days(p.meetingOn).en}): voting opens at the meeting.`);
      }
      if (compareDates(p.meetingOn, today()) < 0) return refuse('INVALID_COMMAND', 'C-4', 'Ngày họp không được ở quá khứ.', 'The meeting day cannot be in the past.');
      const size = councilSizeRefusal(p.kind, p.members, rs, state.proposal.level);
      if (size) return size;
      const unknownConflict = (p.conflicts ?? []).find((c) => !p.members.some((m) => m.memberId === c.memberId));
      if (unknownConflict) return refuse('NOT_A_MEMBER', 'C-6', `Xung đột lợi ích ghi cho người không thuộc hội đồng: ${unknownConflict.memberId}.`, `A conflict is recorded for someone not on the council: ${unknownConflict.memberId}.`);
      if (p.kind === 'C-SEL') {
        // C-SEL: the 100-point sheet of the rule-set for the task's form; a set given at formation must be that one.
        const criteria = councilCriteria();
        const bad = selectionCriteriaRefusal(criteria);
        if (bad) return bad;
        if (p.criteria && stableCriteria(p.criteria) !== stableCriteria(criteria)) {
          const listed = criteria.map((c) => `${c.id} ${c.max}`).join(', ');
          return refuse('CRITERIA_NOT_IN_RULESET', 'C-SEL', `Tiêu chí và trọng số phải theo bộ quy tắc của nhiệm vụ: ${listed}.`, `The criteria and weights must be the task's rule-set's: ${listed}.`);
        }
      }
      if (p.kind === 'C-ACC' && approvedProducts().length === 0) return pre('C-ACC', 'Nhiệm vụ chưa có sản phẩm được phê duyệt để đánh giá.', 'The task has no approved product to rate.');
      return null;
    },
  };

  /** §4 A-2/A-5 (issue 13): the approval as changed (the annex shows before and after). */
  function applyApprovedChanges(c: ApprovedChanges): void {
    if (c.products && state.approval) state.approval = { ...state.approval, products: [...c.products] };
    if (c.title !== undefined) state.proposal = { ...state.proposal, title: c.title };
    if (c.objectives !== undefined) state.proposal = { ...state.proposal, objectives: c.objectives };
    if (c.host) state.host = { ...c.host, pi: { ...c.host.pi } };
    // The state budget is also the disbursement cap (L-12).
    if (c.stateBudget !== undefined) state.funds.approvedState = c.stateBudget;
    if (c.otherSources !== undefined) state.funds.approvedOther = c.otherSources;
  }

  /** C-SEL criteria: the rule-set's for the task's form (issue 13). */
  function councilCriteria() {
    return rs.councils.selectionCriteria[state.proposal.form].map((c) => ({ ...c }));
  }
  /** C-ACC: the approved products a rating sheet rates, P1…Pn in approval order (L-10, and the adjustments since). */
  function approvedProducts(): { productId: string; name: string }[] {
    return (state.approval?.products ?? []).map((name, i) => ({ productId: `P${i + 1}`, name }));
  }

  // ---------- transitions ----------
  const effects: { [K in CommandName]: (p: CommandPayloads[K]) => void } = {
    startIdentificationReview: (p) => {
      state.accountableOfficer = { userId: p.by.userId, name: p.by.name, email: p.by.email };
      for (const o of state.obligations) o.accountable = { name: p.by.name, email: p.by.email };
      moveTo(S.IDENTIFICATION_REVIEW, 'L-2', p.by, 'startIdentificationReview', p.note);
      outbox.push({
        key: `${workflowId}/L-2/identification-review-started`,
        to: hostRecipients(),
        recipients: recipientsOf(hostRecipients()),
        template: 'identification-review-started',
        locale: input.submittedBy.locale,
        data: { taskId: input.taskId, title: input.proposal.title, note: p.note ?? '', taskUrl },
      });
    },
    recordIdentificationResult: (p) => {
      const c = rs.councils.identification;
      const recommended = meetsShare(p.yes, p.present, c.recommendShare, c.strictlyGreater);
      state.councils.push({ council: 'C-ID', outcome: recommended ? 'RECOMMENDED' : 'NOT_RECOMMENDED', decidedAt: now(), tally: { members: p.members, present: p.present, yes: p.yes, share: c.recommendShare, strictlyGreater: c.strictlyGreater }, ...(p.reasons ? { reasons: p.reasons } : {}) });
      if (!recommended) {
        moveTo(S.PROPOSAL_REJECTED, 'L-3', p.by, 'recordIdentificationResult', (p.reasons ?? []).join('; '));
        notify('proposal.rejected', 'L-3', 'both', { vi: 'Đề xuất không được hội đồng đề nghị', en: 'Proposal not recommended by the council' }, {
          vi: `Hội đồng xác định nhiệm vụ không đề nghị đặt hàng (${p.yes}/${p.present} phiếu đồng ý). Lý do: ${(p.reasons ?? []).join('; ') || 'không nêu'}.`,
          en: `The identification council did not recommend the task (${p.yes}/${p.present} yes). Reasons: ${(p.reasons ?? []).join('; ') || 'none given'}.`,
        });
      }
    },
    approveOrderList: (p) => {
      moveTo(S.ORDER_LISTED, 'L-3', p.by, 'approveOrderList', p.note);
      notify('order.listed', 'L-3', 'host', { vi: 'Nhiệm vụ được đưa vào danh mục đặt hàng', en: 'Task added to the ordered-task list' }, { vi: 'Đề xuất của bạn đã được phê duyệt vào danh mục nhiệm vụ đặt hàng.', en: 'Your proposal was approved into the list of ordered tasks.' });
    },
    rejectProposal: (p) => {
      moveTo(S.PROPOSAL_REJECTED, 'L-3', p.by, 'rejectProposal', p.reasons.join('; '));
      notify('proposal.rejected', 'L-3', 'host', { vi: 'Đề xuất không được phê duyệt', en: 'Proposal rejected' }, { vi: `Lý do: ${p.reasons.join('; ')}.`, en: `Reasons: ${p.reasons.join('; ')}.` });
    },
    openCall: (p) => {
      state.assignment = 'competitive_selection';
      state.call = { opensOn: today(), closesOn: p.closesOn, dossiers: [], round: (state.call?.round ?? 0) + 1 };
      openObligation(state, {
        kind: 'open_dossiers', rule: 'L-5', assignee: 'department', dueOn: dossierOpeningDue(p.closesOn, rs), remindOn: p.closesOn,
        deliverable: { vi: 'Mở hồ sơ đăng ký tuyển chọn', en: 'Open the application dossiers' },
      });
      moveTo(S.CALL_OPEN, 'L-4', p.by, 'openCall', `${today()} → ${p.closesOn}`);
    },
    assignDirectly: (p) => {
      state.assignment = 'direct_assignment';
      state.host = p.host;
      moveTo(S.SELECTION_REVIEW, 'L-6', p.by, 'assignDirectly', `${p.host.orgName} — ${p.host.pi.name}`);
      notify('direct.assignment', 'L-6', 'host', { vi: 'Nhiệm vụ được giao trực tiếp', en: 'Task directly assigned' }, { vi: `Nhiệm vụ được giao trực tiếp cho ${p.host.orgName}, chủ nhiệm ${p.host.pi.name}.`, en: `The task is directly assigned to ${p.host.orgName}, PI ${p.host.pi.name}.` });
    },
    submitDossier: (p) => {
      state.call!.dossiers.push({ dossierId: `HS-${state.call!.round}-${state.call!.dossiers.length + 1}`, host: p.host, submittedAt: now() });
    },
    openDossiers: (p) => {
      for (const d of state.call!.dossiers) d.valid = p.valid.includes(d.dossierId);
      closeObligations(state, (o) => o.kind === 'open_dossiers', 'DONE', now(), `${p.valid.length} hồ sơ hợp lệ`);
      if (p.valid.length === 0) moveTo(S.NO_QUALIFIED_APPLICANT, 'L-5', p.by, 'openDossiers', 'Không có hồ sơ hợp lệ');
      else moveTo(S.DOSSIERS_OPENED, 'L-5', p.by, 'openDossiers', `${p.valid.length} hồ sơ hợp lệ`);
    },
    formSelectionCouncil: (p) => moveTo(S.SELECTION_REVIEW, 'L-6', p.by, 'formSelectionCouncil', `Họp ngày ${p.meetingOn}`),
    recordSelectionResult: (p) => {
      state.councils.push({ council: 'C-SEL', outcome: p.outcome, decidedAt: now(), tally: p.tally ?? {} });
      if (p.outcome === 'NO_QUALIFIED_APPLICANT') {
        if (state.assignment === 'direct_assignment') delete state.host;
        moveTo(S.NO_QUALIFIED_APPLICANT, 'L-7', p.by, 'recordSelectionResult');
        notify('selection.none', 'L-7', 'officer', { vi: 'Không có tổ chức đủ điều kiện', en: 'No qualified applicant' }, { vi: 'Hội đồng không chọn được hồ sơ đạt yêu cầu; có thể tuyển chọn lại hoặc giao trực tiếp.', en: 'No dossier qualified; open a new call or assign directly.' });
        return;
      }
      if (state.assignment !== 'direct_assignment') state.host = state.call!.dossiers.find((d) => d.dossierId === p.dossierId)!.host;
      moveTo(S.SELECTED, 'L-7', p.by, 'recordSelectionResult', state.host!.orgName);
      // L-8: the selected host and PI revise the proposal as the council asked.
      openObligation(state, {
        kind: 'proposal_revision', rule: 'L-8', assignee: 'host', dueOn: revisionDue(today(), rs), remindOn: reminderDate(revisionDue(today(), rs), rs),
        deliverable: { vi: 'Thuyết minh hoàn thiện theo ý kiến hội đồng', en: 'Proposal revised as the council asked' },
      });
      moveTo(S.PROPOSAL_REVISION, 'L-8', SYSTEM, 'recordSelectionResult');
      notify('selection.selected', 'L-7', 'host', { vi: 'Kết quả tuyển chọn: được chọn', en: 'Selected' }, { vi: `${state.host!.orgName} được chọn chủ trì. Hạn nộp thuyết minh hoàn thiện: ${dmy(revisionDue(today(), rs))}.`, en: `${state.host!.orgName} is selected as host. Revised proposal due ${days(revisionDue(today(), rs)).en}.` });
    },
    submitRevisedProposal: (p) => {
      closeObligations(state, (o) => o.kind === 'proposal_revision', 'DONE', now(), p.note ?? 'Thuyết minh hoàn thiện');
      moveTo(S.BUDGET_APPRAISAL, 'L-9', p.by, 'submitRevisedProposal');
    },
    recordBudgetAppraisal: (p) => {
      const totals = { requested: p.requested, appraisedState: p.appraisedState, appraisedOther: p.appraisedOther };
      if (p.items && patched('budget-appraisal-items')) {
        // C-BUD / C-9: the consensus record with its figures; a disagreement is referred to the approver (L-10).
        const a = budgetAppraisal({ items: p.items, consensus: p.consensus ?? true, ...(p.dissent ? { dissent: p.dissent } : {}) });
        state.councils.push({
          council: 'C-BUD', outcome: a.outcome, decidedAt: now(),
          tally: { ...totals, total: a.total, bySource: a.bySource, byLumpSum: a.byLumpSum, byYear: a.byYear, items: p.items, dissent: a.dissent },
          reasons: [a.explanation.vi],
        });
        moveTo(S.PENDING_APPROVAL, 'L-9', p.by, 'recordBudgetAppraisal', a.outcome === 'REFER_TO_APPROVER' ? 'Tổ thẩm định chưa thống nhất: trình người phê duyệt quyết định' : undefined);
        return;
      }
      state.councils.push({ council: 'C-BUD', outcome: 'APPRAISED', decidedAt: now(), tally: totals });
      moveTo(S.PENDING_APPROVAL, 'L-9', p.by, 'recordBudgetAppraisal');
    },
    approveTask: (p) => {
      state.approval = { durationMonths: p.durationMonths, fundingMode: p.fundingMode, approvedOn: today(), products: p.products };
      state.funds.approvedState = p.stateBudget;
      state.funds.approvedOther = p.otherSources;
      openObligation(state, {
        kind: 'contract_signing', rule: 'L-11', assignee: 'host', dueOn: contractSigningDue(today(), rs), remindOn: reminderDate(contractSigningDue(today(), rs), rs),
        deliverable: { vi: 'Ký hợp đồng thực hiện nhiệm vụ', en: 'Sign the task contract' },
      });
      moveTo(S.APPROVED, 'L-10', p.by, 'approveTask');
      notify('task.approved', 'L-10', 'host', { vi: 'Nhiệm vụ được phê duyệt', en: 'Task approved' }, { vi: `Kinh phí ngân sách nhà nước ${formatVnd(p.stateBudget)} đồng, thời gian ${p.durationMonths} tháng. Hạn ký hợp đồng: ${dmy(contractSigningDue(today(), rs))}.`, en: `State budget ${formatVnd(p.stateBudget)} VND, ${p.durationMonths} months. Contract to be signed by ${days(contractSigningDue(today(), rs)).en}.` });
    },
    cancelBeforeContract: (p) => {
      moveTo(S.CANCELLED_BEFORE_CONTRACT, 'L-10', p.by, 'cancelBeforeContract', p.reason);
      notify('task.cancelled', 'L-10', 'host', { vi: 'Nhiệm vụ bị đưa khỏi danh mục', en: 'Task cancelled before contract' }, { vi: `Lý do: ${p.reason}.`, en: `Reason: ${p.reason}.` });
    },
    signContract: (p) => {
      state.contract ??= {};
      if (p.by.role === 'manager') state.contract.departmentSignedAt = now();
      else state.contract.hostSignedAt = now();
      if (!(state.contract.departmentSignedAt && state.contract.hostSignedAt)) return;
      const start = today();
      const end = contractEndDate(start, state.approval!.durationMonths);
      Object.assign(state.contract, { startOn: start, endOn: end, originalEndOn: end });
      closeObligations(state, (o) => o.kind === 'contract_signing', 'DONE', now(), 'Hợp đồng đã ký');
      moveTo(S.CONTRACTED, 'L-11', p.by, 'signContract', `${start} → ${end}`);
      openExecutionObligations(start, end);
    },
    recordDisbursement: (p) => {
      state.funds.disbursed += p.amount;
      state.funds.disbursements.push({ on: today(), amount: p.amount, ...(p.note ? { note: p.note } : {}) });
      if (state.stage === S.CONTRACTED) moveTo(S.IN_PROGRESS, 'L-12', p.by, 'recordDisbursement');
    },
    submitProgressReport: (p) => {
      const r = state.reports.find((x) => x.period === p.period)!;
      r.submittedAt = now();
      r.late = compareDates(today(), r.dueOn) > 0;
      closeObligations(state, (o) => o.id === `progress_report-${p.period}`, 'DONE', now(), p.summary);
    },
    startInspection: (p) => {
      state.inspections.push({ startedAt: now(), noticeOn: p.noticeOn });
      moveTo(S.UNDER_INSPECTION, 'L-13', p.by, 'startInspection');
    },
    concludeInspection: (p) => {
      const ins = state.inspections[state.inspections.length - 1]!;
      Object.assign(ins, { conclusion: p.conclusion, findings: p.findings, concludedAt: now() });
      // L-13: this inspection meets the earliest inspection still owed; its record is the evidence.
      if (patched('inspection-obligations')) {
        const owed = state.obligations.find((o) => o.kind === 'inspection' && (o.status === 'OPEN' || o.status === 'OVERDUE'));
        if (owed) closeObligations(state, (o) => o === owed, 'DONE', now(), p.findings);
      }
      if (p.conclusion === 'suspend') return suspendTask(p.by, p.findings, p.remedyDays, S.IN_PROGRESS);
      if (p.conclusion === 'terminate') return proposeTerminationBy(p.by, p.findings, S.IN_PROGRESS);
      moveTo(S.IN_PROGRESS, 'L-13', p.by, 'concludeInspection', p.findings);
      if (p.conclusion === 'adjust') {
        openObligation(state, {
          kind: 'adjustment_request', rule: 'L-14', assignee: 'host', dueOn: adjustmentDecisionDue(today(), rs),
          deliverable: { vi: 'Đề nghị điều chỉnh theo kết luận kiểm tra', en: 'Adjustment request following the inspection' },
        });
      }
      notify('inspection.concluded', 'L-13', 'host', { vi: 'Kết luận kiểm tra', en: 'Inspection conclusion' }, { vi: `Kết luận: ${INSPECTION_CONCLUSION_LABELS[p.conclusion].vi}. ${p.findings}`, en: `Conclusion: ${INSPECTION_CONCLUSION_LABELS[p.conclusion].en}. ${p.findings}` });
    },
    requestAdjustment: (p) => {
      const details: Record<string, unknown> =
        p.kind === 'A-3' ? { months: p.months } : p.kind === 'A-4' ? { newPi: p.newPi, grounds: p.grounds } : { description: p.description, ...(p.changes ? { changes: p.changes } : {}) };
      state.adjustments.push({ kind: p.kind, requestedAt: now(), details, ...(p.kind === 'A-1' ? { decision: 'approved' as const, decidedAt: now() } : {}) });
      closeObligations(state, (o) => o.kind === 'adjustment_request', 'DONE', now(), p.kind);
      if (p.kind === 'A-1') return; // A-1: decided by the host, recorded and reported
      openObligation(state, {
        kind: 'adjustment_decision', rule: 'L-14', assignee: 'department', dueOn: adjustmentDecisionDue(today(), rs), remindOn: reminderDate(adjustmentDecisionDue(today(), rs), rs), pausable: false,
        deliverable: { vi: `Quyết định về đề nghị ${adjustmentName(p.kind).vi}`, en: `Decision on the request: ${adjustmentName(p.kind).en}` },
      });
      moveTo(S.ADJUSTMENT_PENDING, 'L-14', p.by, 'requestAdjustment', p.kind);
      notify('adjustment.requested', 'L-14', 'officer', { vi: `Đề nghị ${adjustmentName(p.kind).vi}`, en: `Request: ${adjustmentName(p.kind).en}` }, { vi: `Bên thực hiện đề nghị ${adjustmentName(p.kind).vi}; hạn quyết định ${dmy(adjustmentDecisionDue(today(), rs))}.`, en: `The host requests an adjustment (${adjustmentName(p.kind).en}); decision due ${days(adjustmentDecisionDue(today(), rs)).en}.` });
    },
    decideAdjustment: (p) => {
      const a = pendingAdjustment()!;
      a.decision = p.approve ? 'approved' : 'refused';
      a.decidedAt = now();
      closeObligations(state, (o) => o.kind === 'adjustment_decision', 'DONE', now(), a.decision);
      if (p.approve && a.kind === 'A-3') extendContract(a.details.months as number);
      if (p.approve && a.kind === 'A-4') state.host = { ...state.host!, pi: a.details.newPi as HostParty['pi'] };
      // Issue 13 (§4 A-2, A-5): an approved change takes effect on what was approved. Only requests that carry
      // `changes` (a field recorded histories never had) change anything, so replays are unaffected.
      if (p.approve && (a.kind === 'A-2' || a.kind === 'A-5') && a.details.changes) applyApprovedChanges(a.details.changes as ApprovedChanges);
      moveTo(S.IN_PROGRESS, 'L-14', p.by, 'decideAdjustment', `${a.kind}: ${a.decision}`);
      const what = adjustmentName(a.kind);
      notify('adjustment.decided', 'L-14', 'host', { vi: `Quyết định về đề nghị ${what.vi}`, en: `Decision on the request: ${what.en}` }, {
        vi: p.approve ? `Đề nghị ${what.vi} được chấp thuận.${a.kind === 'A-3' ? ` Ngày kết thúc mới: ${dmy(state.contract!.endOn!)}.` : ''}` : `Đề nghị ${what.vi} không được chấp thuận.`,
        en: p.approve ? `The request (${what.en}) is approved.${a.kind === 'A-3' ? ` New end date: ${days(state.contract!.endOn!).en}.` : ''}` : `The request (${what.en}) is refused.`,
      });
    },
    suspend: (p) => suspendTask(p.by, p.grounds, p.remedyDays, state.stage === S.ADJUSTMENT_PENDING ? S.ADJUSTMENT_PENDING : S.IN_PROGRESS),
    resume: (p) => {
      const { paused, resumeTo } = endSuspension(p.by, p.note ?? 'Đã khắc phục');
      moveTo(resumeTo, 'T-1', p.by, 'resume', `+${paused} ngày`);
      notify('task.resumed', 'T-1', 'host', { vi: 'Nhiệm vụ được tiếp tục', en: 'Task resumed' }, { vi: `Các thời hạn được lùi ${paused} ngày; ngày kết thúc hợp đồng: ${dmy(state.contract?.endOn ?? '')}.`, en: `Deadlines move by ${paused} days; contract end: ${days(state.contract?.endOn ?? '').en}.` });
    },
    requestTermination: (p) => {
      state.termination = { initiatedBy: 'host', grounds: p.grounds, proposedAt: now(), resumeTo: resumeStage() };
      moveTo(S.TERMINATION_PENDING, 'T-2', p.by, 'requestTermination', p.grounds);
      notify('termination.requested', 'T-2', 'officer', { vi: 'Đề nghị chấm dứt nhiệm vụ', en: 'Termination requested' }, { vi: `Bên thực hiện đề nghị chấm dứt: ${p.grounds}.`, en: `The host requests termination: ${p.grounds}.` });
    },
    proposeTermination: (p) => proposeTerminationBy(p.by, p.grounds, resumeStage()),
    submitObservations: (p) => {
      state.termination!.observations = p.observations;
      closeObligations(state, (o) => o.kind === 'termination_observations', 'DONE', now(), p.observations);
    },
    decideTermination: (p) => {
      const t = state.termination!;
      closeObligations(state, (o) => o.kind === 'termination_observations', 'WAIVED', now());
      if (!p.terminate) {
        t.decision = 'continued';
        // Back where it was; a task the system sent here from a lapsed suspension resumes (its paused days shift).
        if (state.suspension && t.resumeTo !== S.SUSPENDED) endSuspension(p.by, 'Sở quyết định không chấm dứt');
        moveTo(t.resumeTo, 'T-2', p.by, 'decideTermination', 'Không chấm dứt');
        notify('termination.declined', 'T-2', 'both', { vi: 'Quyết định không chấm dứt nhiệm vụ', en: 'Termination declined' }, {
          vi: `Sở quyết định không chấm dứt nhiệm vụ; nhiệm vụ trở lại giai đoạn: ${STAGE_LABELS[t.resumeTo].vi.toLowerCase()}.`,
          en: `The Department decided not to terminate the task; it returns to the stage: ${STAGE_LABELS[t.resumeTo].en.toLowerCase()}.`,
        });
        return;
      }
      t.decision = 'terminated';
      t.cause = p.cause;
      moveTo(S.TERMINATED, 'T-2', p.by, 'decideTermination', t.grounds);
      // Nothing more is owed by the host, nor an inspection of work that has stopped.
      closeObligations(state, (o) => o.assignee === 'host' || o.kind === 'inspection', 'CANCELLED', now());
      settleRefund(p.cause, p.fundsSpent, 'T-2');
    },
    startSelfEvaluation: (p) => moveTo(S.SELF_EVALUATION, 'L-17', p.by, 'startSelfEvaluation'),
    submitAcceptanceDossier: (p) => {
      if (state.stage === S.ACCEPTANCE_SUBMITTED) {
        // Issue 13 (L-19): the dossier the Department found incomplete, filed again completed (a new stage entry
        // only since issue 13: before, the command was not taken in this stage).
        const a = state.acceptance!;
        (a.refiledAt ??= []).push(now());
        delete a.complete;
        delete a.missing;
        a.fundsSpent = p.fundsSpent;
        closeObligations(state, (o) => o.kind === 'dossier_supplement', 'DONE', now(), p.documents.join(', '));
        openObligation(state, {
          kind: 'dossier_completeness', rule: 'L-19', assignee: 'department', dueOn: completenessDue(today(), rs), pausable: false,
          deliverable: { vi: 'Trả lời về tính đầy đủ của hồ sơ nghiệm thu', en: 'Answer on the acceptance dossier\'s completeness' },
        });
        moveTo(S.ACCEPTANCE_SUBMITTED, 'L-19', p.by, 'submitAcceptanceDossier', 'Nộp lại hồ sơ đã bổ sung');
        notify('acceptance.refiled', 'L-19', 'officer', { vi: 'Hồ sơ nghiệm thu được nộp bổ sung', en: 'Acceptance dossier filed again' }, {
          vi: `Bên thực hiện đã nộp lại hồ sơ nghiệm thu đã bổ sung; hạn trả lời về tính đầy đủ: ${dmy(completenessDue(today(), rs))}.`,
          en: `The host filed the completed acceptance dossier again; answer on its completeness by ${days(completenessDue(today(), rs)).en}.`,
        });
        return;
      }
      const due = state.obligations.find((o) => o.kind === 'acceptance_dossier')!;
      const late = compareDates(today(), due.dueOn) > 0;
      state.acceptance = { dossierSubmittedAt: now(), late, fundsSpent: p.fundsSpent };
      closeObligations(state, (o) => o.kind === 'acceptance_dossier', 'DONE', now(), p.documents.join(', '));
      // Execution is over: no more reports, and the acceptance council, not an inspection, judges the work.
      closeObligations(state, (o) => o.kind === 'progress_report' || o.kind === 'inspection', 'WAIVED', now());
      // Issue 13 (L-20): a late dossier with the host's reasons goes to the Department, which decides whether they
      // justify the delay when it checks the dossier; without reasons it is rated FAIL at once, as before.
      const justifying = late && p.lateReason !== undefined && patched(ACCEPTANCE_PATCH);
      if (justifying) state.acceptance.lateReason = p.lateReason;
      if (late && !justifying) {
        // L-20: an unjustified late dossier is rated FAIL (a justified delay is an A-3 extension).
        state.acceptance.rating = 'FAIL';
        moveTo(S.ACCEPTANCE_FAILED, 'L-20', p.by, 'submitAcceptanceDossier', `Nộp muộn (hạn ${due.dueOn})`);
        failTask('L-20', p.fundsSpent);
        return;
      }
      openObligation(state, {
        kind: 'dossier_completeness', rule: 'L-19', assignee: 'department', dueOn: completenessDue(today(), rs), pausable: false,
        deliverable: { vi: 'Trả lời về tính đầy đủ của hồ sơ nghiệm thu', en: 'Answer on the acceptance dossier\'s completeness' },
      });
      moveTo(S.ACCEPTANCE_SUBMITTED, 'L-18', p.by, 'submitAcceptanceDossier');
    },
    checkAcceptanceDossier: (p) => {
      const a = state.acceptance!;
      if (a.lateReason !== undefined && a.lateJustified === undefined) {
        // Issue 13 (L-20): the Department's answer on the reasons for a late dossier (once); unjustified is FAIL.
        a.lateJustified = p.lateJustified === true;
        if (!a.lateJustified) {
          a.rating = 'FAIL';
          closeObligations(state, (o) => o.kind === 'dossier_completeness', 'DONE', now(), 'Nộp muộn không có lý do chính đáng');
          moveTo(S.ACCEPTANCE_FAILED, 'L-20', p.by, 'checkAcceptanceDossier', 'Nộp muộn không có lý do chính đáng');
          failTask('L-20', a.fundsSpent ?? state.funds.disbursed);
          return;
        }
      }
      a.complete = p.complete;
      if (p.missing) a.missing = p.missing;
      closeObligations(state, (o) => o.kind === 'dossier_completeness', 'DONE', now(), p.complete ? 'Đầy đủ' : `Thiếu: ${(p.missing ?? []).join(', ')}`);
      let refileBy: string | undefined;
      if (!p.complete && patched(ACCEPTANCE_PATCH)) {
        // Issue 13 (L-19): the host completes the dossier and files it again within the rule-set's window.
        const dueOn = (refileBy = addWorkingDays(today(), rs.dossierSupplementWorkingDays));
        openObligation(state, {
          kind: 'dossier_supplement', rule: 'L-19', assignee: 'host', dueOn, remindOn: reminderDate(dueOn, rs), pausable: false,
          deliverable: { vi: 'Nộp bổ sung hồ sơ nghiệm thu', en: 'File the completed acceptance dossier' },
        });
      }
      if (p.complete) {
        openObligation(state, {
          kind: 'acceptance_council', rule: 'L-19', assignee: 'department', dueOn: acceptanceCouncilFormingDue(today(), rs), pausable: false,
          deliverable: { vi: 'Quyết định thành lập hội đồng nghiệm thu', en: 'Decision forming the acceptance council' },
        });
      }
      notify('acceptance.completeness', 'L-19', 'host', { vi: 'Kết quả kiểm tra hồ sơ nghiệm thu', en: 'Acceptance dossier check' }, {
        vi: p.complete ? 'Hồ sơ nghiệm thu đầy đủ.' : `Hồ sơ còn thiếu: ${(p.missing ?? []).join(', ')}.${refileBy ? ` Nộp lại hồ sơ đã bổ sung trước hết ngày ${dmy(refileBy)}.` : ''}`,
        en: p.complete ? 'The acceptance dossier is complete.' : `Missing: ${(p.missing ?? []).join(', ')}.${refileBy ? ` File the completed dossier again by ${days(refileBy).en}.` : ''}`,
      });
    },
    formAcceptanceCouncil: (p) => {
      state.acceptance!.councilFormedOn = today();
      closeObligations(state, (o) => o.kind === 'acceptance_council', 'DONE', now(), `Họp ngày ${p.meetingOn}`);
      openObligation(state, {
        kind: 'acceptance_meeting', rule: 'L-19', assignee: 'department', dueOn: acceptanceMeetingDue(today(), rs), pausable: false,
        deliverable: { vi: 'Phiên họp hội đồng nghiệm thu', en: 'Acceptance council meeting' },
      });
      moveTo(S.ACCEPTANCE_REVIEW, 'L-19', p.by, 'formAcceptanceCouncil', `Họp ngày ${p.meetingOn}`);
    },
    recordAcceptanceResult: (p) => {
      state.councils.push({ council: 'C-ACC', outcome: p.rating, decidedAt: now(), tally: p.tally ?? {} });
      state.acceptance!.rating = p.rating;
      closeObligations(state, (o) => o.kind === 'acceptance_meeting', 'DONE', now(), p.rating);
      if (p.rating === 'FAIL') {
        moveTo(S.ACCEPTANCE_FAILED, 'L-20', p.by, 'recordAcceptanceResult');
        failTask('L-20', state.acceptance!.fundsSpent ?? state.funds.disbursed);
        return;
      }
      moveTo(p.rating === 'EXCELLENT' ? S.ACCEPTED_EXCELLENT : S.ACCEPTED_PASS, 'L-20', p.by, 'recordAcceptanceResult');
      if (patched(ACCEPTANCE_PATCH)) {
        // Issue 13 (L-21): the host revises the results per the council's conclusions, then the Director recognises them.
        state.acceptance!.revisionRequired = true;
        const revisionDue = addDays(today(), rs.resultRevisionDays);
        openObligation(state, {
          kind: 'result_revision', rule: 'L-21', assignee: 'host', dueOn: revisionDue, remindOn: reminderDate(revisionDue, rs), pausable: false,
          deliverable: { vi: 'Hoàn thiện kết quả theo kết luận của hội đồng nghiệm thu', en: 'Revise the results per the acceptance council\'s conclusions' },
        });
      }
      openObligation(state, {
        kind: 'result_registration', rule: 'L-22', assignee: 'host', dueOn: registrationDue(today(), rs), remindOn: reminderDate(registrationDue(today(), rs), rs), pausable: false,
        deliverable: { vi: 'Đăng ký kết quả thực hiện nhiệm vụ', en: 'Register the task\'s results' },
      });
      notify('acceptance.passed', 'L-20', 'both', { vi: `Kết quả nghiệm thu: ${RATING_LABELS[p.rating].vi}`, en: `Acceptance: ${RATING_LABELS[p.rating].en}` }, { vi: `Hạn đăng ký kết quả: ${dmy(registrationDue(today(), rs))}.`, en: `Register the results by ${days(registrationDue(today(), rs)).en}.` });
    },
    submitRevisedResults: (p) => {
      state.acceptance!.revisedAt = now();
      closeObligations(state, (o) => o.kind === 'result_revision', 'DONE', now(), p.summary);
      state.timeline.push({ at: now(), stage: state.stage, rule: 'L-21', by: refOf(p.by), action: 'submitRevisedResults', note: p.summary });
      notify('results.revised', 'L-21', 'officer', { vi: 'Kết quả đã được hoàn thiện theo kết luận hội đồng', en: 'Results revised per the council' }, {
        vi: `Bên thực hiện đã nộp kết quả hoàn thiện: ${p.summary}`,
        en: `The host submitted the revised results: ${p.summary}`,
      });
    },
    recognizeResult: (p) => moveTo(S.RESULT_RECOGNIZED, 'L-21', p.by, 'recognizeResult'),
    registerResult: (p) => {
      state.registration = { certificates: p.certificates, registeredAt: now() };
      closeObligations(state, (o) => o.kind === 'result_registration', 'DONE', now(), p.certificates.join(', '));
      moveTo(S.RESULT_REGISTERED, 'L-22', p.by, 'registerResult');
    },
    settleFinances: (p) => {
      const unspent = state.funds.disbursed - p.fundsSpent;
      if (unspent > 0) state.funds.refundDue = { unspent, spentShare: 0, total: unspent, cause: 'objective', basis: { vi: `Hoàn trả kinh phí chưa sử dụng: ${formatVnd(unspent)} đồng.`, en: `Unspent funds returned: ${formatVnd(unspent)} VND.` } };
      moveTo(S.FINANCIAL_SETTLEMENT, 'L-23', p.by, 'settleFinances');
      if (unspent > 0) openRefundObligation();
    },
    recordRefund: (p) => {
      state.funds.refunded += p.amount;
      // Dated, so the portfolio can show refunds by year (§8). State only: no command changes, replay is unaffected.
      (state.funds.refunds ??= []).push({ on: today(), amount: p.amount });
      closeRefundObligation('DONE', { vi: `Đã hoàn trả đủ ${formatVnd(state.funds.refunded)} đồng`, en: `Refunded in full: ${formatVnd(state.funds.refunded)} VND` });
    },
    writeOffRefund: (p) => {
      (state.funds.writtenOff ??= []).push({ on: today(), amount: p.amount, decisionNumber: p.decisionNumber, decidedOn: p.decidedOn, grounds: p.grounds, by: p.by.name });
      state.timeline.push({
        at: now(), stage: state.stage, rule: 'T-3', by: refOf(p.by), action: 'writeOffRefund',
        note: `${p.decisionNumber} (${dmy(p.decidedOn)}): ${formatVnd(p.amount)} đồng. ${p.grounds}`,
      });
      closeRefundObligation('WAIVED', { vi: `Xóa khoản phải thu theo Quyết định ${p.decisionNumber}`, en: `Written off by decision ${p.decisionNumber}` });
    },
    liquidate: (p) => moveTo(S.LIQUIDATED, state.stage === S.FINANCIAL_SETTLEMENT ? 'L-23' : 'L-24', p.by, 'liquidate'),
    archive: (p) => moveTo(S.ARCHIVED, 'L-23', p.by, 'archive'),
    withdraw: (p) => {
      moveTo(S.WITHDRAWN, 'L-1', p.by, 'withdraw', p.reason);
      notify('task.withdrawn', 'L-1', 'officer', { vi: 'Bên đề xuất rút hồ sơ', en: 'Applicant withdrew' }, { vi: `Lý do: ${p.reason}.`, en: `Reason: ${p.reason}.` });
    },
    formCouncil: (p) => {
      const n = state.councilSittings.filter((c) => c.kind === p.kind).length + 1;
      const councilId = councilWorkflowId(state.taskId, p.kind, n);
      // C-8: prefer identification experts on the selection council; at least one acceptance member from an earlier council.
      const earlier = new Set(state.councilSittings.flatMap((c) => c.memberIds ?? []));
      const overlap = p.members.some((m) => earlier.has(m.memberId));
      const warnings =
        !overlap && (p.kind === 'C-ACC' || (p.kind === 'C-SEL' && state.councilSittings.some((c) => c.kind === 'C-ID')))
          ? [{ rule: 'C-8', vi: 'Không thành viên nào đã tham gia hội đồng trước của nhiệm vụ này (nên có để bảo đảm tính liên tục).', en: 'No member sat on an earlier council of this task (continuity is preferred).' }]
          : [];
      // Issue 12: the chair and the scientific secretary sign the council's minutes (state only).
      const officers = p.members.flatMap((m) => (m.role === 'chair' || m.role === 'scientific_secretary' ? [{ role: m.role, memberId: m.memberId, name: m.name }] : []));
      state.councilSittings.push({ councilId, kind: p.kind, formedAt: now(), status: 'SITTING', memberIds: p.members.map((m) => m.memberId), ...(officers.length ? { officers } : {}), ...(warnings.length ? { warnings } : {}) });
      councilToStart = {
        councilId,
        taskId: state.taskId,
        taskTitle: state.proposal.title,
        kind: p.kind,
        ruleSet: input.ruleSet,
        level: state.proposal.level,
        ballot: p.ballot,
        members: p.members,
        meetingOn: p.meetingOn,
        votingDeadline: p.votingDeadline,
        ...(p.kind === 'C-SEL' ? { dossiers: selectionDossiers(), criteria: p.criteria ?? councilCriteria() } : {}),
        ...(p.conflicts ? { conflicts: p.conflicts } : {}),
        ...(p.voting ? { voting: p.voting } : {}),
        ...(p.kind === 'C-ACC' && v13 ? { products: approvedProducts() } : {}),
        publicBaseUrl: input.publicBaseUrl,
        departmentName: input.departmentName,
        place: input.place,
        formedBy: refOf(p.by),
      };
      state.timeline.push({ at: now(), stage: state.stage, rule: 'C-1', by: refOf(p.by), action: 'formCouncil', note: `${p.kind}: ${councilId}` });
    },
    assignOfficer: (p) => {
      state.accountableOfficer = p.officer;
      for (const o of state.obligations) {
        if (o.status !== 'OPEN' && o.status !== 'OVERDUE') continue;
        o.accountable = { name: p.officer.name, email: p.officer.email };
        // The Department's own obligations are the officer's to do (clear person, §8).
        if (o.assignee === 'department') o.assigneeName = p.officer.name;
      }
    },
  };

  /** Where a declined termination returns: a suspended task stays suspended (its remedy still runs). */
  function resumeStage(): TaskStage {
    if (state.stage === S.SUSPENDED || state.stage === S.SELF_EVALUATION) return state.stage;
    return S.IN_PROGRESS;
  }

  /** T-1: the suspension ends; paused deadlines, the contract end and report dates move by the paused days. */
  function endSuspension(by: ActorRef, evidence: string) {
    const s = state.suspension!;
    const paused = daysBetween(s.sinceOn, today());
    state.pausedDays += paused;
    delete state.suspension;
    closeObligations(state, (o) => o.kind === 'suspension_remedy', 'DONE', now(), evidence);
    shiftDeadlines(paused);
    return { paused, resumeTo: s.resumeTo, by };
  }

  function suspendTask(by: ActorRef, grounds: string, remedyDays: number | undefined, resumeTo: TaskStage) {
    const due = remedyDue(today(), rs, remedyDays);
    state.suspension = { since: now(), sinceOn: today(), remedyDueOn: due, grounds, resumeTo };
    openObligation(state, {
      kind: 'suspension_remedy', rule: 'T-1', assignee: 'host', dueOn: due, remindOn: reminderDate(due, rs), pausable: false,
      deliverable: { vi: 'Khắc phục nguyên nhân tạm dừng', en: 'Remedy the grounds for suspension' },
    });
    moveTo(S.SUSPENDED, 'T-1', by, 'suspend', grounds);
    notify('task.suspended', 'T-1', 'both', { vi: 'Thông báo tạm dừng nhiệm vụ', en: 'Task suspended' }, {
      vi: `Nhiệm vụ tạm dừng: ${grounds}. Ngừng cấp kinh phí; các thời hạn tạm ngưng. Hạn khắc phục: ${dmy(due)}.`,
      en: `Task suspended: ${grounds}. Disbursement stops; deadlines pause. Remedy by ${days(due).en}.`,
    });
  }

  function proposeTerminationBy(by: ActorRef, grounds: string, resumeTo: TaskStage) {
    const ends = observationWindowEnd(today(), rs);
    state.termination = { initiatedBy: 'department', grounds, proposedAt: now(), observationEndsOn: ends, resumeTo };
    openObligation(state, {
      kind: 'termination_observations', rule: 'T-2', assignee: 'host', dueOn: ends, pausable: false, right: true,
      deliverable: { vi: 'Ý kiến giải trình trước khi chấm dứt', en: 'Observations before termination' },
    });
    moveTo(S.TERMINATION_PENDING, 'T-2', by, 'proposeTermination', grounds);
    notify('termination.proposed', 'T-2', 'both', { vi: 'Đề xuất chấm dứt nhiệm vụ', en: 'Termination proposed' }, {
      vi: `Sở đề xuất chấm dứt nhiệm vụ: ${grounds}. Bên thực hiện được gửi ý kiến giải trình đến hết ngày ${dmy(ends)}.`,
      en: `The Department proposes to terminate the task: ${grounds}. The host may submit observations until ${days(ends).en}.`,
    });
  }

  /**
   * Issue 13 (T-3): a refund owed is the host's obligation, due `rs.refundDays` after the decision or the settlement
   * that fixes it, reminded and escalated like any other; it closes when paid in full or written off.
   */
  function openRefundObligation() {
    const owed = refundOutstanding(state);
    if (owed === 0 || !patched('refund-obligation-13')) return;
    const dueOn = addDays(today(), rs.refundDays);
    openObligation(state, {
      kind: 'refund', rule: 'T-3', assignee: 'host', dueOn, remindOn: reminderDate(dueOn, rs), pausable: false,
      deliverable: { vi: `Hoàn trả ngân sách nhà nước ${formatVnd(owed)} đồng`, en: `Refund ${formatVnd(owed)} VND to the state budget` },
    });
  }

  function closeRefundObligation(status: 'DONE' | 'WAIVED', evidence: { vi: string; en: string }) {
    if (refundOutstanding(state) > 0) return;
    closeObligations(state, (o) => o.kind === 'refund', status, now(), evidence.vi);
  }

  /** T-3 refund and, for a subjective cause, T-4 debarment. */
  function settleRefund(cause: 'objective' | 'subjective', fundsSpent: number, rule: string) {
    const r = refundDue({ cause, received: state.funds.disbursed, spent: fundsSpent }, rs);
    state.funds.refundDue = { unspent: r.unspent, spentShare: r.spentShare, total: r.total, cause, basis: r.basis };
    openRefundObligation();
    if (cause === 'subjective') {
      state.debarment = {
        until: debarmentUntil(today(), rs),
        orgId: state.host?.orgId ?? state.owner.orgId,
        piEmail: (state.host?.pi.email ?? state.proposal.proposer.email).toLowerCase(),
        reason: rule,
      };
      debarmentToRecord = true;
    }
    notify('funds.recovery', 'T-3', 'both', { vi: 'Thu hồi kinh phí', en: 'Fund recovery' }, {
      vi: `Số phải hoàn trả: ${formatVnd(r.total)} đồng. ${r.basis.vi}${state.debarment ? ` Chủ nhiệm và tổ chức chủ trì không được tham gia nhiệm vụ mới đến ngày ${dmy(state.debarment.until)}.` : ''}`,
      en: `Amount to refund: ${formatVnd(r.total)} VND. ${r.basis.en}${state.debarment ? ` The PI and host are barred from new tasks until ${days(state.debarment.until).en}.` : ''}`,
    });
  }

  function failTask(rule: string, fundsSpent: number) {
    closeObligations(state, (o) => (o.assignee === 'host' && o.kind !== 'result_registration') || o.kind === 'inspection', 'CANCELLED', now());
    settleRefund('subjective', Math.min(fundsSpent, state.funds.disbursed), rule);
  }

  /** From the contract: a report every six months and the Department's yearly inspection (L-13), the acceptance dossier after the end (L-18). */
  function openExecutionObligations(start: string, end: string) {
    reportDueDates(start, end, rs).forEach((due, i) => addReport(i + 1, due));
    if (patched('inspection-obligations')) for (const due of inspectionDueDates(start, end, rs)) addInspection(due);
    const dossierDue = acceptanceDossierDue(end, rs);
    openObligation(state, {
      kind: 'acceptance_dossier', rule: 'L-18', assignee: 'host', dueOn: dossierDue, remindOn: reminderDate(dossierDue, rs),
      deliverable: { vi: 'Hồ sơ đánh giá nghiệm thu', en: 'Acceptance dossier' },
    });
  }

  function addReport(period: number, due: string) {
    state.reports.push({ period, dueOn: due });
    const o = openObligation(state, {
      kind: 'progress_report', rule: 'L-13', assignee: 'host', dueOn: due, remindOn: reminderDate(due, rs),
      deliverable: { vi: `Báo cáo định kỳ kỳ ${period}`, en: `Progress report, period ${period}` },
    });
    o.id = `progress_report-${period}`;
  }

  function addInspection(due: string) {
    openObligation(state, {
      kind: 'inspection', rule: 'L-13', assignee: 'department', dueOn: due, remindOn: inspectionReminderDate(due, rs),
      deliverable: { vi: 'Kiểm tra định kỳ tình hình thực hiện nhiệm vụ', en: 'Periodic inspection of the task' },
    });
  }

  /** A-3: the end date moves; so do the acceptance dossier and the reports and inspections of the added months. */
  function extendContract(months: number) {
    const c = state.contract!;
    c.endOn = extendedContractEnd(c.endOn!, months);
    state.extensionsGranted += 1;
    moveDossierDue();
    // Report dates stay on the contract's cycle, shifted by any suspension so far (T-1).
    const last = state.reports[state.reports.length - 1]?.dueOn ?? c.startOn!;
    for (const due of reportDueDates(c.startOn!, c.endOn, rs).map((d) => addDays(d, state.pausedDays))) {
      if (compareDates(due, last) > 0 && compareDates(due, c.endOn) < 0) addReport(state.reports.length + 1, due);
    }
    // The inspections still owed follow the longer contract's plan (the one "by the end" moves with the end).
    const inspections = state.obligations.filter((o) => o.kind === 'inspection');
    if (inspections.length && patched('inspection-obligations')) {
      const owed = inspections.filter((o) => o.status === 'OPEN' || o.status === 'OVERDUE');
      // (planned on the working calendar, i.e. without the paused days, then shifted by them as every pausable date is)
      const plan = inspectionDueDates(c.startOn!, addDays(c.endOn, -state.pausedDays), rs).map((d) => addDays(d, state.pausedDays)).slice(inspections.length - owed.length);
      plan.forEach((due, i) => {
        const o = owed[i];
        if (!o) return addInspection(due);
        if (o.dueOn === due) return;
        Object.assign(o, { dueOn: due, remindOn: inspectionReminderDate(due, rs), reminded: false, escalated: false });
        if (o.status === 'OVERDUE' && compareDates(today(), due) <= 0) o.status = 'OPEN';
      });
    }
  }

  function moveDossierDue() {
    const o = state.obligations.find((x) => x.kind === 'acceptance_dossier' && (x.status === 'OPEN' || x.status === 'OVERDUE'));
    if (!o) return;
    o.dueOn = acceptanceDossierDue(state.contract!.endOn!, rs);
    o.remindOn = reminderDate(o.dueOn, rs);
    o.reminded = false;
    if (o.status === 'OVERDUE' && compareDates(today(), o.dueOn) <= 0) o.status = 'OPEN';
  }

  /** T-1: every paused deadline, the contract end and the report dates move by the paused days. */
  function shiftDeadlines(days: number) {
    if (days <= 0) return;
    shiftPaused(state, days);
    const c = state.contract;
    if (c?.endOn) c.endOn = addDays(c.endOn, days);
    for (const r of state.reports) if (!r.submittedAt) r.dueOn = state.obligations.find((o) => o.id === `progress_report-${r.period}`)?.dueOn ?? r.dueOn;
  }

  // ---------- command handlers: one update per command ----------
  for (const name of COMMAND_NAMES) {
    setHandler(
      commandUpdate(name),
      async (p: CommandPayloads[typeof name]) => {
        await condition(() => intakeDone);
        check(name, p); // a concurrent command may have moved the task meanwhile
        // Issue 12: a decision that takes effect when issued goes to signature first.
        if (signedIssuance && (await deferredToIssuance(name, p))) return state;
        const mark = beginEffect();
        const entries = state.timeline.length;
        (effects[name] as (x: typeof p) => void)(p);
        afterEffect({ name, p } as PlannedStep, mark);
        recordAttachments(name, p, entries);
        if (signedIssuance) recordApproverDecision(name, p);
        await record();
        await withdrawIfClosed();
        return state;
      },
      {
        validator: (p: CommandPayloads[typeof name]) => {
          // Issue 13: a retired free entry of a council's outcome is refused as such, whatever the stage.
          if (isRetired(name)) fail(stateRefusal(name, state, p.by, today())!);
          check(name, p);
          const r = stateRefusal(name, state, p.by, today()) ?? (strictRefusals[name] as ((x: typeof p) => Refusal | null) | undefined)?.(p);
          if (r) fail(r);
        },
      },
    );
  }

  /**
   * Issue 10: the files a command carried go on the timeline entry it made (or on a new
   * entry, in the same stage, when it made none) and into the task's files. An application
   * (submitDossier) makes no shared entry: the other applicants see the task's timeline too;
   * its files are listed with its dossier. State only, after the effect's documents and
   * notices are planned: commands recorded before issue 10 carry no files and replay unchanged.
   */
  function recordAttachments(name: CommandName, p: CommandPayloads[CommandName], entriesBefore: number) {
    const files = (p as WithAttachments).attachments;
    if (!files?.length) return;
    const made = state.timeline.slice(entriesBefore);
    let entry = made.find((e) => e.action === name) ?? made[0];
    if (entry) entry.attachments = files;
    else if (name !== 'submitDossier') {
      entry = { at: now(), stage: state.stage, rule: COMMANDS[name].rule, by: refOf(p.by), action: name, attachments: files };
      state.timeline.push(entry);
    }
    const dossierId = name === 'submitDossier' ? state.call?.dossiers.at(-1)?.dossierId : undefined;
    const at = entry?.at ?? now();
    (state.files ??= []).push(...files.map((f) => ({ ...f, command: name, at, by: refOf(p.by), orgId: p.by.orgId, ...(dossierId ? { dossierId } : {}) })));
  }

  /** C-SEL items: the valid dossiers of the call, or the one dossier of a direct assignment. */
  function selectionDossiers(): string[] {
    if (state.assignment === 'direct_assignment') return ['HS-GTT'];
    return (state.call?.dossiers ?? []).filter((d) => d.valid).map((d) => d.dossierId);
  }

  // A council sitting's result arrives as a signal and moves the task as a recorded result would (§3 → L-3, L-7, L-20).
  setHandler(councilResultSignal, async ({ councilId, result, documents }) => {
    // Issue 13: applied as it arrives (a command validated right after it must see it); before, after the intake.
    if (!(v13 && intakeDone)) await condition(() => intakeDone);
    const sitting = state.councilSittings.find((c) => c.councilId === councilId && c.status === 'SITTING');
    if (!sitting) return; // unknown or already applied: a repeated signal changes nothing
    const mark = beginEffect();
    sitting.status = 'DECIDED';
    sitting.outcome = result.outcome;
    delete sitting.problem;
    // Issue 13: a sitting that signals its result first sends its documents next (councilDocuments).
    if (v13 && documents?.length === 0) sitting.documentsPending = true;
    state.documents.push(...(documents ?? []));
    const council = { userId: councilId, role: 'system', name: `Hội đồng ${result.kind}` } as unknown as import('./definitions').Actor;
    if (result.kind === 'C-ID' && state.stage === S.IDENTIFICATION_REVIEW) {
      state.councils.push({ council: 'C-ID', outcome: result.outcome, decidedAt: result.decidedAt, tally: { ...result.figures, councilId } });
      if (result.outcome === 'NOT_RECOMMENDED') {
        moveTo(S.PROPOSAL_REJECTED, 'L-3', council, 'councilResult', result.explanation.vi);
        notify('proposal.rejected', 'L-3', 'both', { vi: 'Đề xuất không được hội đồng đề nghị', en: 'Proposal not recommended by the council' }, { vi: result.explanation.vi, en: result.explanation.en });
      }
    } else if (result.kind === 'C-SEL' && state.stage === S.SELECTION_REVIEW) {
      const winner = result.winner === 'HS-GTT' ? undefined : result.winner;
      effects.recordSelectionResult(
        result.outcome === 'SELECTED'
          ? { by: council, outcome: 'SELECTED', ...(winner ? { dossierId: winner } : {}), tally: { ...result.figures, councilId } as never }
          : { by: council, outcome: 'NO_QUALIFIED_APPLICANT', tally: { councilId } },
      );
    } else if (result.kind === 'C-ACC' && state.stage === S.ACCEPTANCE_REVIEW) {
      effects.recordAcceptanceResult({ by: council, rating: result.outcome as 'EXCELLENT' | 'PASS' | 'FAIL', tally: { ...result.figures, councilId } as never });
    }
    afterEffect({ name: 'councilResult', p: { by: council, kind: result.kind } }, mark);
    await record();
  });

  // Issue 13: the vote-counting record and minutes of a sitting that signalled its result first.
  setHandler(councilDocumentsSignal, async ({ councilId, documents }) => {
    // Any decided sitting of the task (a task that started before issue 13 did not mark them pending).
    const sitting = state.councilSittings.find((c) => c.councilId === councilId && c.status === 'DECIDED');
    const fresh = documents.filter((d) => !state.documents.some((x) => x.documentId === d.documentId));
    if (!sitting || (!sitting.documentsPending && fresh.length === 0)) return;
    delete sitting.documentsPending;
    state.documents.push(...fresh);
    await persist();
  });

  // Issue 13: a sitting that could not compute its tally is void; the officer is told, the managers reschedule it.
  setHandler(councilProblemSignal, async ({ councilId, kind, problem }) => {
    const sitting = state.councilSittings.find((c) => c.councilId === councilId && c.status === 'SITTING');
    if (!sitting) return;
    sitting.problem = { ...problem, at: now() };
    state.timeline.push({ at: now(), stage: state.stage, rule: problem.rule, by: { userId: councilId, role: 'system', name: COUNCIL_KIND_LABELS[kind].vi }, action: 'councilProblem', note: problem.vi });
    notify('council.tally_refused', problem.rule, 'officer', { vi: `${COUNCIL_KIND_LABELS[kind].vi}: không kiểm phiếu được`, en: `${COUNCIL_KIND_LABELS[kind].en}: the tally could not be computed` }, { vi: problem.vi, en: problem.en });
    await persist();
  });

  // ---------- L-1: intake ----------
  if (!intakeDone && input.imported) {
    // Imported (issue 7): proposed, approved and contracted on paper before KHCN Flow; no L-1 form or
    // acknowledgement. A new workflow, so this branch needs no patched(): existing tasks never take it.
    await persist();
    intakeDone = true;
  }
  if (!intakeDone) {
    await recordTask(structuredCopy(state));
    let form: import('./definitions').DocumentRef | undefined;
    try {
      form = await renderProposalForm({
        taskId: input.taskId,
        workflowId,
        departmentName: input.departmentName,
        place: input.place,
        submittedAt: input.submittedAt,
        proposal: input.proposal,
      });
    } catch (err) {
      // Issue 15: a form that cannot be drawn from the proposal is left out (the activity gave up at
      // once, the operators see it); the task and its acknowledgement go on. Before, it retried forever.
      if (!notRenderable(err, NotRenderableType.DOCUMENT)) throw err;
      log.warn('proposal form not rendered', { taskId: input.taskId, reason: err.cause?.message });
    }
    if (form) state.documents.push(form);
    await persist();
    outbox.push({
      key: `${workflowId}/L-1/proposal-received`,
      to: hostRecipients(),
      recipients: recipientsOf(hostRecipients()),
      template: 'proposal-received',
      locale: input.submittedBy.locale,
      data: {
        taskId: input.taskId,
        title: input.proposal.title,
        departmentName: input.departmentName,
        submittedAt: input.submittedAt,
        totalBudget: input.proposal.budget.stateBudget + input.proposal.budget.otherSources,
        taskUrl,
      },
      ...(form ? { attachments: [{ documentId: form.documentId, filename: `phieu-de-xuat-${input.taskId}.pdf` }] } : {}),
    });
    intakeDone = true;
  }

  // ---------- main loop: outbox, reminders, escalations, timers ----------
  const historyLimit = input.historyLimit ?? DEFAULT_HISTORY_LIMIT;
  for (;;) {
    const wait = msUntilNext(state, Date.now());
    changed = false;
    if (outbox.length === 0) {
      // Issue 13: a closed task still lists the council documents on their way.
      if (state.closed && !state.councilSittings.some((c) => c.documentsPending)) break;
      await (wait === undefined ? condition(() => changed || outbox.length > 0) : condition(() => changed || outbox.length > 0, wait));
    }
    await processDue();
    const next = outbox.shift();
    if (next) await deliver(next);
    if (outbox.length === 0 && (workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > historyLimit)) {
      await condition(allHandlersFinished);
      // A run hands over once the sittings it started have completed (a child's completion is then never
      // addressed to a closed run; the time-skipping test server kept its clock locked for good when one
      // was), unless the server insists. Meanwhile the loop goes on: reminders and deadlines never wait.
      const sittingsDone = runningSittings.size === 0 || workflowInfo().continueAsNewSuggested || !patched(CONTINUE_AFTER_SITTINGS_PATCH);
      if (sittingsDone && outbox.length === 0) {
        await continueAsNew<typeof taskLifecycleWorkflow>({ continued: { input, state, outbox } });
      }
    }
  }
  await condition(allHandlersFinished);
  // Issue 13: the decided sittings this run started have sent their last signal; let them complete first.
  await Promise.all(state.councilSittings.filter((c) => c.status === 'DECIDED').map((c) => sittingsOfThisRun.get(c.councilId)));
  return state;

  async function processDue() {
    const { reminders, overdue } = collectDue(state, now());
    if (!reminders.length && !overdue.length) return;
    const opened = state.obligations.length;
    for (const o of reminders) {
      notify('obligation.reminder', o.rule, o.assignee === 'host' ? 'host' : 'officer', { vi: `Nhắc hạn: ${o.deliverable.vi}`, en: `Reminder: ${o.deliverable.en}` }, {
        vi: `Hạn ${o.deliverable.vi.toLowerCase()} là ngày ${dmy(o.dueOn)}.`,
        en: `${o.deliverable.en} is due on ${days(o.dueOn).en}.`,
      }, { obligation: o });
    }
    for (const o of overdue) {
      notify('obligation.overdue', o.rule, o.kind === 'inspection' ? 'officer' : 'both', { vi: `Quá hạn: ${o.deliverable.vi}`, en: `Overdue: ${o.deliverable.en}` }, {
        vi: `${o.deliverable.vi} đã quá hạn (hạn ${dmy(o.dueOn)}); người chịu trách nhiệm: ${o.assigneeName}. Cán bộ theo dõi: ${o.accountable?.name ?? 'chưa giao'}.`,
        en: `${o.deliverable.en} is overdue (due ${days(o.dueOn).en}); owed by ${o.assigneeName}. Accountable officer: ${o.accountable?.name ?? 'not assigned'}.`,
      }, { obligation: o });
      // T-1: a remedy period that ends without a remedy leads to termination.
      if (o.kind === 'suspension_remedy' && state.stage === S.SUSPENDED) {
        proposeTerminationBy(SYSTEM, `Không khắc phục trong thời hạn tạm dừng (${dmy(o.dueOn)})`, state.suspension!.resumeTo);
      }
    }
    // §8: a deadline a timer opened (the T-2 observation window) is reminded like any other.
    if (state.obligations.length > opened && patched(DOCUMENTS_PATCH)) addMissingReminders(state, opened, today(), rs);
    await persist();
  }
}

const money = (n: number) => Number.isSafeInteger(n) && n >= 0;
/** Criteria compared whatever their order and key order. */
const stableCriteria = (cs: { id: string; max: number; products?: boolean }[]) => JSON.stringify([...cs].map((c) => [c.id, c.max, Boolean(c.products)]).sort());
const badMoney = (rule: string) => refuse('INVALID_COMMAND', rule, 'Số tiền phải là số nguyên đồng, không âm và hợp lệ.', 'Amounts must be valid non-negative integer VND.');

function uniqueEmails(emails: string[]): string[] {
  const seen = new Set<string>();
  return emails.filter((e) => {
    const k = e.trim().toLowerCase();
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Activities receive a snapshot, never the live object a handler may be changing. */
function structuredCopy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
