/**
 * The official documents of domain.md §7 that a task's own commands create, and the
 * notices (emails) that tell the people concerned: which document a command issues,
 * from which recorded state, under which exactly-once key, and which emails carry it.
 *
 * Pure and deterministic (workflow code): the lifecycle workflow calls `planAfterEffect`
 * right after a command's effect, renders each planned document through one activity from
 * the state it has just recorded, and holds the emails until their attachments exist.
 * Council documents (vote-counting record, minutes, open-ballot score sheets) are the
 * council sitting's own (council-sitting.ts); the proposal form is the intake's (L-1).
 */
import type { ApprovedChanges, CouncilInput, CouncilKind, CouncilSeat, IsoDate, Obligation, ObligationStatus, Person, TaskStage, TaskState, ActorRef, CommandName, CommandPayloads } from './definitions';
import { TaskStage as S } from './definitions';
import { addDays, compareDates } from './rules/calendar';
import { reminderDate, registrationDue } from './rules/deadlines';
import { formatVnd } from './rules/money';
import { running } from './rules/obligations';
import type { RuleSet } from './rules/ruleset';
import type { SignatureRecord, SignatureSlot } from './rules/authority';
import { COUNCIL_KIND_LABELS, DOCUMENT_KIND_LABELS, days, timesAndDays, type Names } from './labels';

export const TASK_DOCUMENT_KINDS = [
  'council_formation_decision',
  'order_list_approval',
  'call_notice',
  'dossier_opening_record',
  'budget_appraisal_record',
  'task_approval_decision',
  'contract',
  'contract_annex',
  'inspection_record',
  'adjustment_decision',
  'suspension_notice',
  'termination_decision',
  'acceptance_minutes',
  'recognition_decision',
  'registration_certificate',
  'liquidation_record',
] as const;
export type TaskDocumentKind = (typeof TASK_DOCUMENT_KINDS)[number];

/**
 * Issue 12: decisions and notices that take effect when issued. Where documents go draft →
 * signature → number → issue, the command that plans one of these waits for its issuance (the
 * task's transition completes then); the other documents (records, annexes, certificates) follow
 * the transition that made them.
 */
export const EFFECTIVE_ON_ISSUE: readonly TaskDocumentKind[] = [
  'council_formation_decision',
  'order_list_approval',
  'call_notice',
  'task_approval_decision',
  'contract',
  'adjustment_decision',
  'suspension_notice',
  'termination_decision',
  'recognition_decision',
  'liquidation_record',
];

/** Where a file name starts (ASCII, for mail clients and Content-Disposition). */
const FILE_STEM: Record<TaskDocumentKind, string> = {
  council_formation_decision: 'quyet-dinh-thanh-lap-hoi-dong',
  order_list_approval: 'quyet-dinh-phe-duyet-danh-muc',
  call_notice: 'thong-bao-tuyen-chon',
  dossier_opening_record: 'bien-ban-mo-ho-so',
  budget_appraisal_record: 'bien-ban-tham-dinh-kinh-phi',
  task_approval_decision: 'quyet-dinh-phe-duyet-nhiem-vu',
  contract: 'hop-dong',
  contract_annex: 'phu-luc-hop-dong',
  inspection_record: 'bien-ban-kiem-tra',
  adjustment_decision: 'quyet-dinh-dieu-chinh',
  suspension_notice: 'thong-bao-tam-dung',
  termination_decision: 'quyet-dinh-cham-dut',
  acceptance_minutes: 'bien-ban-nghiem-thu',
  recognition_decision: 'quyet-dinh-cong-nhan-ket-qua',
  registration_certificate: 'giay-chung-nhan-dang-ky-ket-qua',
  liquidation_record: 'bien-ban-thanh-ly-hop-dong',
};

/** Issue 12: a planned document's name in both languages, for the signer's list, obligations and emails. */
export function plannedTitle(doc: Pick<PlannedDocument, 'kind' | 'subject'>): Names {
  const base = DOCUMENT_KIND_LABELS[doc.kind] ?? { vi: 'Văn bản', en: 'Document' };
  const sub = doc.subject;
  if (sub?.council) return { vi: `Quyết định thành lập ${COUNCIL_KIND_LABELS[sub.council.kind].vi.charAt(0).toLowerCase()}${COUNCIL_KIND_LABELS[sub.council.kind].vi.slice(1)}`, en: `Decision forming the ${COUNCIL_KIND_LABELS[sub.council.kind].en.toLowerCase()}` };
  if (sub?.certificate) return { vi: `${base.vi} số ${sub.certificate.number}`, en: `${base.en} ${sub.certificate.number}` };
  if (sub?.round) return { vi: `${base.vi} (đợt ${sub.round})`, en: `${base.en} (round ${sub.round})` };
  if (sub?.inspection) return { vi: `${base.vi} lần ${sub.inspection.index + 1}`, en: `${base.en} no. ${sub.inspection.index + 1}` };
  if (sub?.suspension) return { vi: `${base.vi} lần ${sub.suspension.n}`, en: `${base.en} no. ${sub.suspension.n}` };
  return base;
}

/** One row of a contract annex (§4: each approved change, clause by clause). */
export interface AnnexChange {
  clause: string;
  before: string;
  after: string;
}

/** What a document is about when the state alone does not say (one council, one adjustment, one certificate). */
export interface TaskDocumentSubject {
  /** council_formation_decision: the sitting as formed (C-1 roles, C-4 ballot, C-6 known conflicts). */
  council?: {
    councilId: string;
    kind: CouncilKind;
    members: CouncilSeat[];
    meetingOn: IsoDate;
    votingDeadline: string;
    ballot: 'open' | 'secret';
    criteria?: { id: string; max: number; products?: boolean }[];
    conflicts?: { memberId: string; reason: string }[];
    dossiers?: string[];
  };
  /** adjustment_decision, contract_annex: index into state.adjustments, with each clause before and after. */
  adjustment?: { index: number; changes: AnnexChange[] };
  /** inspection_record: index into state.inspections. */
  inspection?: { index: number };
  /** registration_certificate: one certificate of state.registration. */
  certificate?: { number: string; index: number };
  /** call_notice, dossier_opening_record: the call round. */
  round?: number;
  /** suspension_notice: which suspension of the task (1, 2, …). */
  suspension?: { n: number };
}

/**
 * Everything one document is rendered from (domain.md §7): the task as recorded — the read
 * model holds exactly this version — plus, for a document about one item, that item, and who
 * issued it when. The document prints `stateHash(snapshot)`.
 */
export interface TaskDocumentSnapshot {
  kind: TaskDocumentKind;
  state: TaskState;
  subject?: TaskDocumentSubject;
  /** Workflow time of the command that issued it. */
  issuedAt: string;
  issuedBy: ActorRef;
  departmentName: string;
  place: string;
  /**
   * Issue 12: where the document is in draft → signature → number → issue. A draft is watermarked
   * and has no number or date; an issued document prints both and its signers' blocks. Not part
   * of the state hash: the issued document carries the hash of the same recorded state.
   */
  issuance?: DocumentIssuanceFacts;
}

export interface DocumentIssuanceFacts {
  draft: boolean;
  slots: SignatureSlot[];
  signatures: SignatureRecord[];
  number?: string;
  registeredOn?: IsoDate;
  issuedAt?: string;
}

export interface RenderTaskDocumentRequest {
  /** Exactly-once key: workflow ID + kind (+ item). */
  key: string;
  filename: string;
  snapshot: TaskDocumentSnapshot;
}

/** A document a command issues, and the emails (by event type and side) that carry it. */
export interface PlannedDocument {
  kind: TaskDocumentKind;
  key: string;
  filename: string;
  subject?: TaskDocumentSubject;
  issuedAt: string;
  issuedBy: ActorRef;
  attachTo: { events: string[]; sides: ('host' | 'officer')[] };
}

export interface PlannedNotice {
  type: string;
  rule: string;
  audience: 'host' | 'officer' | 'both';
  subject: { vi: string; en: string };
  message: { vi: string; en: string };
  /** Host-side recipients instead of the proposer and host (e.g. the applicants of a call). */
  to?: string[];
}

/** What the effect changed, for documents that show a before and an after. Taken just before it. */
export interface EffectMark {
  outbox: number;
  eventSeq: number;
  obligations: number;
  stage: TaskStage;
  endOn?: IsoDate;
  pi?: Person;
  hostName?: string;
  title: string;
  /** Issue 13: what an A-2/A-5 adjustment may change, before it. */
  objectives?: string;
  products?: string[];
  approvedState?: number;
  approvedOther?: number;
  suspensions: number;
  inspections: number;
  certificates: number;
}

export function markBefore(state: TaskState, outboxLength: number): EffectMark {
  return {
    outbox: outboxLength,
    eventSeq: state.eventSeq,
    obligations: state.obligations.length,
    stage: state.stage,
    ...(state.contract?.endOn ? { endOn: state.contract.endOn } : {}),
    ...(state.host ? { pi: { ...state.host.pi }, hostName: state.host.orgName } : {}),
    title: state.proposal.title,
    objectives: state.proposal.objectives,
    ...(state.approval ? { products: [...state.approval.products] } : {}),
    approvedState: state.funds.approvedState,
    approvedOther: state.funds.approvedOther,
    suspensions: state.timeline.filter((t) => t.stage === S.SUSPENDED).length,
    inspections: state.inspections.length,
    certificates: state.registration?.certificates.length ?? 0,
  };
}

/** "2027-05-23" → "23/05/2027": dates in emails read as in the documents. */
export function dmy(date: IsoDate): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(date);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : date;
}

/** An ISO timestamp as read in Vietnam (UTC+7): "2026-12-05T10:00:00.000Z" → "17:00 ngày 05/12/2026". */
export function vnTimeAndDay(iso: string): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  const vn = new Date(t + 7 * 3600_000).toISOString();
  return `${vn.slice(11, 16)} ngày ${dmy(vn.slice(0, 10))}`;
}

const vnd = (n: number) => ({ vi: `${formatVnd(n)} đồng`, en: `${formatVnd(n)} VND` });

/**
 * §8: every deadline is reminded before it passes. Obligations opened without a reminder date
 * (short Department deadlines, the T-2 observation window) get one: a week before [D], or the
 * day before when the period is shorter, never on the day it opens.
 */
export function addMissingReminders(state: TaskState, fromIndex: number, today: IsoDate, rs: RuleSet): void {
  for (const o of state.obligations.slice(fromIndex)) {
    if (o.remindOn || o.status !== 'OPEN') continue;
    const week = reminderDate(o.dueOn, rs);
    const dayBefore = addDays(o.dueOn, -1);
    const on = compareDates(week, today) > 0 ? week : compareDates(dayBefore, today) > 0 ? dayBefore : undefined;
    if (on) o.remindOn = on;
  }
}

/** What an obligation email was about when it was queued. */
export interface ObligationTag {
  id: string;
  status: ObligationStatus;
  dueOn: IsoDate;
}

export const obligationTag = (o: Obligation): ObligationTag => ({ id: o.id, status: o.status, dueOn: o.dueOn });

/**
 * A reminder or overdue email queued while its obligation was open is stale once the obligation
 * is met, waived or cancelled, moved to another date, or paused by a suspension (§8, T-1):
 * it is dropped rather than sent.
 */
export function staleObligationEmail(state: TaskState, tag: ObligationTag): boolean {
  const o = state.obligations.find((x) => x.id === tag.id);
  return !o || o.status !== tag.status || o.dueOn !== tag.dueOn || !running(state, o);
}

export interface PlanContext {
  workflowId: string;
  taskId: string;
  rs: RuleSet;
  today: IsoDate;
  now: string;
  /** The council sitting this command formed, if any. */
  council?: CouncilInput;
  /** Issue 10 (behind its patch): a submitted dossier gets a receipt naming its code. */
  dossierReceipt?: boolean;
  /** Issue 12 (rule-sets with signed issuance): the acceptance minutes follow the council's result, not the recognition. */
  signed?: boolean;
  /** Issue 12: where the People's Committee approves, the Department issues no approval decision of its own. */
  approverIsPeoplesCommittee?: boolean;
}

export type PlannedStep =
  | { [K in CommandName]: { name: K; p: CommandPayloads[K] } }[CommandName]
  | { name: 'councilResult'; p: { by: ActorRef; kind: CouncilKind } };

/** Applicants' PIs of the current call (the people an opening record or a selection concerns). */
function applicantEmails(state: TaskState): string[] {
  return (state.call?.dossiers ?? []).map((d) => d.host.pi.email);
}

/**
 * Records facts a document needs that the effect does not keep (who signed the contract for each
 * party, L-11). Mutates the state; called with the plan, behind the same patch.
 */
export function recordDocumentFacts(step: PlannedStep, state: TaskState): void {
  if (step.name === 'signContract' && state.contract) {
    const by: ActorRef = { userId: step.p.by.userId, role: step.p.by.role, name: step.p.by.name };
    if (step.p.by.role === 'manager') state.contract.departmentSignedBy ??= by;
    else state.contract.hostSignedBy ??= by;
  }
}

/**
 * The documents and notices of one step, read from the state after its effect (and the mark
 * taken before it). Notices are for those who must act or know and did not give the command.
 */
export function planAfterEffect(step: PlannedStep, mark: EffectMark, state: TaskState, ctx: PlanContext): { documents: PlannedDocument[]; notices: PlannedNotice[] } {
  const documents: PlannedDocument[] = [];
  const notices: PlannedNotice[] = [];
  const by: ActorRef = { userId: step.p.by.userId, role: step.p.by.role, name: step.p.by.name };
  const doc = (kind: TaskDocumentKind, events: string[], o: { item?: string; subject?: TaskDocumentSubject; sides?: ('host' | 'officer')[] } = {}) => {
    documents.push({
      kind,
      key: `${ctx.workflowId}/${kind}${o.item ? `/${o.item}` : ''}`,
      filename: `${FILE_STEM[kind]}-${ctx.taskId}${o.item ? `-${o.item.replace(/[^A-Za-z0-9-]+/g, '-')}` : ''}.pdf`,
      ...(o.subject ? { subject: o.subject } : {}),
      issuedAt: ctx.now,
      issuedBy: by,
      attachTo: { events, sides: o.sides ?? ['host', 'officer'] },
    });
  };
  const notice = (n: PlannedNotice) => notices.push(n);
  const moved = state.stage !== mark.stage;

  switch (step.name) {
    case 'formCouncil': {
      const c = ctx.council;
      if (!c) break;
      doc('council_formation_decision', ['council.formed'], {
        item: c.councilId,
        subject: {
          council: {
            councilId: c.councilId, kind: c.kind, members: c.members, meetingOn: c.meetingOn, votingDeadline: c.votingDeadline, ballot: c.ballot,
            ...(c.criteria ? { criteria: c.criteria } : {}), ...(c.conflicts ? { conflicts: c.conflicts } : {}), ...(c.dossiers ? { dossiers: c.dossiers } : {}),
          },
        },
      });
      // C-ACC: the host and PI present at the meeting (C-ACC-1); the other councils concern the Department and their members (invited by the sitting).
      notice({
        type: 'council.formed', rule: 'C-1', audience: c.kind === 'C-ACC' ? 'both' : 'officer',
        subject: { vi: `Quyết định thành lập ${COUNCIL_KIND_LABELS[c.kind].vi}`, en: `${COUNCIL_KIND_LABELS[c.kind].en} formed` },
        message: {
          vi: `${COUNCIL_KIND_LABELS[c.kind].vi} (${c.members.length} thành viên) được thành lập, họp ngày ${dmy(c.meetingOn)}. Quyết định thành lập hội đồng được đính kèm.`,
          en: `The ${COUNCIL_KIND_LABELS[c.kind].en.toLowerCase()} (${c.members.length} members) is formed and meets on ${days(c.meetingOn).en}. The decision forming it is attached.`,
        },
      });
      break;
    }
    case 'approveOrderList':
      if (!ctx.approverIsPeoplesCommittee) doc('order_list_approval', ['order.listed']);
      break;
    case 'openCall': {
      const call = state.call!;
      doc('call_notice', ['call.opened'], { item: `round-${call.round}`, subject: { round: call.round } });
      notice({
        type: 'call.opened', rule: 'L-4', audience: 'host',
        subject: { vi: 'Thông báo tuyển chọn tổ chức, cá nhân chủ trì', en: 'Call for applications opened' },
        message: {
          vi: `Sở thông báo tuyển chọn tổ chức, cá nhân chủ trì nhiệm vụ; nhận hồ sơ từ ngày ${dmy(call.opensOn)} đến hết ngày ${dmy(call.closesOn)}.`,
          en: `The Department has opened a call for a host organisation and PI; dossiers are accepted from ${days(call.opensOn).en} until the end of ${days(call.closesOn).en}.`,
        },
      });
      break;
    }
    case 'submitDossier': {
      // L-5, issue 10: the applicant's receipt, with the dossier code to quote from now on. To the one who
      // submitted it and the PI it names; nobody else (another applicant learns nothing of it).
      const call = state.call;
      const d = call?.dossiers.at(-1);
      if (!ctx.dossierReceipt || !call || !d) break;
      notice({
        type: 'dossier.received', rule: 'L-5', audience: 'host', to: [step.p.by.email, d.host.pi.email],
        subject: { vi: `Xác nhận đã nhận hồ sơ đăng ký tuyển chọn ${d.dossierId}`, en: `Application dossier ${d.dossierId} received` },
        message: {
          vi: `Sở đã nhận hồ sơ đăng ký tuyển chọn của ${d.host.orgName} (chủ nhiệm: ${d.host.pi.name}) lúc ${timesAndDays(d.submittedAt).vi}. Mã hồ sơ: ${d.dossierId}. Hồ sơ sẽ được mở và kiểm tra tính hợp lệ sau khi hết hạn nộp hồ sơ ngày ${days(call.closesOn).vi}.`,
          en: `The Department received the application dossier of ${d.host.orgName} (PI: ${d.host.pi.name}) at ${timesAndDays(d.submittedAt).en}. Dossier code: ${d.dossierId}. The dossiers are opened and checked for validity after the call closes on ${days(call.closesOn).en}.`,
        },
      });
      break;
    }
    case 'openDossiers': {
      const call = state.call!;
      const valid = call.dossiers.filter((d) => d.valid).map((d) => d.dossierId);
      doc('dossier_opening_record', ['dossiers.opened'], { item: `round-${call.round}`, subject: { round: call.round } });
      notice({
        type: 'dossiers.opened', rule: 'L-5', audience: 'both', to: [...applicantEmails(state)],
        subject: { vi: 'Biên bản mở hồ sơ đăng ký tuyển chọn', en: 'Application dossiers opened' },
        message: {
          vi: `Đã mở ${call.dossiers.length} hồ sơ; hồ sơ hợp lệ: ${valid.length ? valid.join(', ') : 'không có'}.`,
          en: `${call.dossiers.length} dossier(s) opened; valid: ${valid.length ? valid.join(', ') : 'none'}.`,
        },
      });
      break;
    }
    case 'councilResult': {
      // L-7: the applicants who were not selected learn the outcome too.
      if (step.p.kind === 'C-SEL' && state.assignment === 'competitive_selection') {
        const winner = state.host?.pi.email.toLowerCase();
        const others = applicantEmails(state).filter((e) => e.toLowerCase() !== winner);
        if (others.length) {
          notice({
            type: 'selection.result', rule: 'L-7', audience: 'host', to: others,
            subject: { vi: 'Kết quả tuyển chọn', en: 'Selection result' },
            message: state.host
              ? { vi: `Hội đồng tuyển chọn đã chọn ${state.host.orgName} chủ trì nhiệm vụ; hồ sơ của Quý tổ chức không được chọn.`, en: `The selection council chose ${state.host.orgName} as host; your dossier was not selected.` }
              : { vi: 'Hội đồng không chọn được hồ sơ đạt yêu cầu.', en: 'No dossier qualified.' },
          });
        }
      }
      if (step.p.kind === 'C-ACC' && state.stage === S.ACCEPTANCE_FAILED) acceptanceFailed(notice, state);
      // Issue 12: the minutes of the acceptance meeting go to the chair and secretary to sign now.
      if (step.p.kind === 'C-ACC' && ctx.signed && state.councils.some((c) => c.council === 'C-ACC')) doc('acceptance_minutes', ['acceptance.passed', 'acceptance.failed']);
      break;
    }
    case 'recordSelectionResult':
      break;
    case 'submitRevisedProposal':
      notice({
        type: 'proposal.revised', rule: 'L-8', audience: 'officer',
        subject: { vi: 'Thuyết minh hoàn thiện đã nộp', en: 'Revised proposal submitted' },
        message: { vi: 'Bên thực hiện đã nộp thuyết minh hoàn thiện; nhiệm vụ chuyển thẩm định kinh phí.', en: 'The host submitted the revised proposal; the task moves to budget appraisal.' },
      });
      break;
    case 'recordBudgetAppraisal': {
      const t = { requested: step.p.requested, state: step.p.appraisedState, other: step.p.appraisedOther };
      doc('budget_appraisal_record', ['budget.appraised']);
      notice({
        type: 'budget.appraised', rule: 'L-9', audience: 'host',
        subject: { vi: 'Kết quả thẩm định kinh phí', en: 'Budget appraisal' },
        message: {
          vi: `Kinh phí đề nghị ${vnd(t.requested).vi}; kinh phí thẩm định: ngân sách nhà nước ${vnd(t.state).vi}, nguồn khác ${vnd(t.other).vi}.`,
          en: `Requested ${vnd(t.requested).en}; appraised: state budget ${vnd(t.state).en}, other sources ${vnd(t.other).en}.`,
        },
      });
      break;
    }
    case 'approveTask':
      if (!ctx.approverIsPeoplesCommittee) doc('task_approval_decision', ['task.approved']);
      break;
    case 'signContract': {
      const c = state.contract!;
      if (state.stage === S.CONTRACTED && moved) {
        // L-11: the contract goes to both parties.
        doc('contract', ['contract.signed']);
        notice({
          type: 'contract.signed', rule: 'L-11', audience: 'both',
          subject: { vi: 'Hợp đồng thực hiện nhiệm vụ đã ký', en: 'Task contract signed' },
          message: {
            vi: `Hai bên đã ký hợp đồng; thời gian thực hiện từ ${dmy(c.startOn!)} đến ${dmy(c.endOn!)}. Hợp đồng được đính kèm.`,
            en: `Both parties have signed; the task runs from ${days(c.startOn!).en} to ${days(c.endOn!).en}. The contract is attached.`,
          },
        });
      } else {
        // One party signed: the other must sign before the deadline.
        const hostSigned = step.p.by.role !== 'manager';
        notice({
          type: 'contract.awaiting_signature', rule: 'L-11', audience: hostSigned ? 'officer' : 'host',
          subject: { vi: 'Hợp đồng chờ ký', en: 'Contract awaiting your signature' },
          message: hostSigned
            ? { vi: 'Bên thực hiện đã ký hợp đồng; chờ Sở ký.', en: 'The host has signed the contract; the Department must sign.' }
            : { vi: 'Sở đã ký hợp đồng; chờ tổ chức chủ trì và chủ nhiệm ký.', en: 'The Department has signed the contract; the host must sign.' },
        });
      }
      break;
    }
    case 'recordDisbursement':
      notice({
        type: 'funds.disbursed', rule: 'L-12', audience: 'host',
        subject: { vi: 'Cấp kinh phí', en: 'Funds disbursed' },
        message: {
          vi: `Sở đã cấp ${vnd(step.p.amount).vi}; tổng kinh phí đã cấp ${vnd(state.funds.disbursed).vi} / ${vnd(state.funds.approvedState).vi} ngân sách nhà nước được phê duyệt.`,
          en: `The Department disbursed ${vnd(step.p.amount).en}; disbursed so far ${vnd(state.funds.disbursed).en} of ${vnd(state.funds.approvedState).en} approved state budget.`,
        },
      });
      break;
    case 'submitProgressReport':
      notice({
        type: 'report.submitted', rule: 'L-13', audience: 'officer',
        subject: { vi: `Báo cáo định kỳ kỳ ${step.p.period}`, en: `Progress report, period ${step.p.period}` },
        message: { vi: `Bên thực hiện đã nộp báo cáo định kỳ kỳ ${step.p.period}: ${step.p.summary}`, en: `The host submitted the progress report for period ${step.p.period}: ${step.p.summary}` },
      });
      break;
    case 'startInspection':
      // L-13: the inspection the host was notified of (on noticeOn) begins; its record follows with the conclusion.
      notice({
        type: 'inspection.started', rule: 'L-13', audience: 'host',
        subject: { vi: 'Kiểm tra tình hình thực hiện nhiệm vụ', en: 'Inspection started' },
        message: {
          vi: `Đoàn kiểm tra của Sở bắt đầu kiểm tra tình hình thực hiện nhiệm vụ ngày ${dmy(ctx.today)} (đã thông báo ngày ${dmy(step.p.noticeOn)}).`,
          en: `The Department's inspection of the task starts on ${days(ctx.today).en} (notified on ${days(step.p.noticeOn).en}).`,
        },
      });
      break;
    case 'concludeInspection': {
      const index = state.inspections.length - 1;
      const events = ['inspection.concluded', 'task.suspended', 'termination.proposed'];
      doc('inspection_record', events, { item: `${index + 1}`, subject: { inspection: { index } } });
      if (state.stage === S.SUSPENDED) doc('suspension_notice', ['task.suspended'], { item: `${mark.suspensions + 1}`, subject: { suspension: { n: mark.suspensions + 1 } } });
      break;
    }
    case 'requestAdjustment':
      if (step.p.kind === 'A-1') {
        notice({
          type: 'adjustment.recorded', rule: 'A-1', audience: 'officer',
          subject: { vi: 'Điều chỉnh thuộc thẩm quyền tổ chức chủ trì', en: 'Host-level adjustment recorded' },
          message: { vi: `Bên thực hiện đã điều chỉnh và báo cáo: ${step.p.description}`, en: `The host made and reported an adjustment: ${step.p.description}` },
        });
      }
      break;
    case 'decideAdjustment': {
      if (!step.p.approve) break;
      const index = state.adjustments.length - 1 - [...state.adjustments].reverse().findIndex((a) => a.decision && a.kind !== 'A-1');
      const a = state.adjustments[index];
      if (!a) break;
      const changes = annexChanges(a, mark, state);
      doc('adjustment_decision', ['adjustment.decided'], { item: `${index + 1}`, subject: { adjustment: { index, changes } } });
      doc('contract_annex', ['adjustment.decided'], { item: `${index + 1}`, subject: { adjustment: { index, changes } } });
      break;
    }
    case 'suspend':
      doc('suspension_notice', ['task.suspended'], { item: `${mark.suspensions + 1}`, subject: { suspension: { n: mark.suspensions + 1 } } });
      break;
    case 'submitObservations':
      notice({
        type: 'termination.observations', rule: 'T-2', audience: 'officer',
        subject: { vi: 'Ý kiến giải trình của bên thực hiện', en: 'Observations from the host' },
        message: { vi: `Bên thực hiện đã gửi ý kiến giải trình: ${step.p.observations}`, en: `The host submitted observations: ${step.p.observations}` },
      });
      break;
    case 'decideTermination':
      if (!step.p.terminate) break;
      doc('termination_decision', ['task.terminated']);
      notice({
        type: 'task.terminated', rule: 'T-2', audience: 'both',
        subject: { vi: 'Quyết định chấm dứt hợp đồng thực hiện nhiệm vụ', en: 'Task terminated' },
        message: {
          vi: `Sở quyết định chấm dứt nhiệm vụ: ${state.termination?.grounds ?? ''}. Số kinh phí phải hoàn trả: ${vnd(state.funds.refundDue?.total ?? 0).vi}.`,
          en: `The Department terminated the task: ${state.termination?.grounds ?? ''}. Amount to refund: ${vnd(state.funds.refundDue?.total ?? 0).en}.`,
        },
      });
      break;
    case 'submitAcceptanceDossier':
      if (state.stage === S.ACCEPTANCE_FAILED) {
        acceptanceFailed(notice, state);
      } else {
        const due = state.obligations.find((o) => o.kind === 'dossier_completeness' && o.status === 'OPEN');
        notice({
          type: 'acceptance.submitted', rule: 'L-18', audience: 'officer',
          subject: { vi: 'Hồ sơ đánh giá nghiệm thu đã nộp', en: 'Acceptance dossier submitted' },
          message: {
            vi: `Bên thực hiện đã nộp hồ sơ nghiệm thu (${step.p.documents.join(', ')}). Hạn trả lời về tính đầy đủ: ${due ? dmy(due.dueOn) : '—'}.`,
            en: `The host submitted the acceptance dossier (${step.p.documents.join(', ')}). Completeness answer due ${due ? days(due.dueOn).en : '—'}.`,
          },
        });
      }
      break;
    case 'formAcceptanceCouncil':
      notice({
        type: 'acceptance.council', rule: 'L-19', audience: 'host',
        subject: { vi: 'Lịch họp hội đồng đánh giá nghiệm thu', en: 'Acceptance council meeting' },
        message: { vi: `Hội đồng đánh giá nghiệm thu họp ngày ${dmy(step.p.meetingOn)}; chủ nhiệm trình bày kết quả tại phiên họp.`, en: `The acceptance council meets on ${days(step.p.meetingOn).en}; the PI presents the results at the meeting.` },
      });
      break;
    case 'recordAcceptanceResult':
      if (state.stage === S.ACCEPTANCE_FAILED) acceptanceFailed(notice, state);
      if (ctx.signed) doc('acceptance_minutes', ['acceptance.passed', 'acceptance.failed']);
      break;
    case 'recognizeResult': {
      if (!ctx.signed) doc('acceptance_minutes', ['result.recognized']);
      doc('recognition_decision', ['result.recognized']);
      const reg = state.obligations.find((o) => o.kind === 'result_registration' && (o.status === 'OPEN' || o.status === 'OVERDUE'));
      const due = reg?.dueOn ?? registrationDue(ctx.today, ctx.rs);
      notice({
        type: 'result.recognized', rule: 'L-21', audience: 'both',
        subject: { vi: 'Quyết định công nhận kết quả thực hiện nhiệm vụ', en: 'Results recognised' },
        message: { vi: `Giám đốc Sở công nhận kết quả thực hiện nhiệm vụ. Hạn đăng ký kết quả: ${dmy(due)}.`, en: `The Director recognised the task's results. Register them by ${days(due).en}.` },
      });
      break;
    }
    case 'registerResult': {
      const certs = state.registration?.certificates ?? [];
      certs.forEach((number, index) => {
        if (index < mark.certificates) return;
        doc('registration_certificate', ['result.registered'], { item: number, subject: { certificate: { number, index } } });
      });
      notice({
        type: 'result.registered', rule: 'L-22', audience: 'both',
        subject: { vi: 'Đăng ký kết quả thực hiện nhiệm vụ', en: 'Results registered' },
        message: { vi: `Kết quả đã được đăng ký; giấy chứng nhận số ${certs.join(', ')}.`, en: `The results are registered; certificate(s) ${certs.join(', ')}.` },
      });
      break;
    }
    case 'settleFinances': {
      const due = state.funds.refundDue;
      notice({
        type: 'funds.settled', rule: 'L-23', audience: 'host',
        subject: { vi: 'Quyết toán kinh phí', en: 'Financial settlement' },
        message: due && due.total > 0
          ? { vi: `Quyết toán: kinh phí chưa sử dụng phải hoàn trả ${vnd(due.total).vi} trước khi thanh lý hợp đồng.`, en: `Settlement: unspent funds of ${vnd(due.total).en} are to be refunded before liquidation.` }
          : { vi: 'Quyết toán: không có kinh phí phải hoàn trả.', en: 'Settlement: nothing to refund.' },
      });
      break;
    }
    case 'liquidate':
      doc('liquidation_record', ['task.liquidated']);
      notice({
        type: 'task.liquidated', rule: state.timeline.at(-1)?.rule ?? 'L-23', audience: 'both',
        subject: { vi: 'Thanh lý hợp đồng thực hiện nhiệm vụ', en: 'Contract liquidated' },
        message: { vi: 'Hợp đồng thực hiện nhiệm vụ đã được thanh lý. Biên bản thanh lý được đính kèm.', en: 'The task contract has been liquidated. The liquidation record is attached.' },
      });
      break;
    case 'assignOfficer':
      notice({
        type: 'officer.assigned', rule: '§8', audience: 'officer',
        subject: { vi: 'Giao cán bộ theo dõi nhiệm vụ', en: 'You are the accountable officer' },
        message: {
          vi: `Ông/Bà được giao theo dõi nhiệm vụ; ${state.obligations.filter((o) => o.status === 'OPEN' || o.status === 'OVERDUE').length} nghĩa vụ đang mở.`,
          en: `You are now accountable for this task; ${state.obligations.filter((o) => o.status === 'OPEN' || o.status === 'OVERDUE').length} obligation(s) are open.`,
        },
      });
      break;
    default:
      break;
  }
  return { documents, notices };
}

function acceptanceFailed(notice: (n: PlannedNotice) => void, state: TaskState): void {
  const late = state.acceptance?.late === true;
  notice({
    type: 'acceptance.failed', rule: 'L-20', audience: 'both',
    subject: { vi: 'Kết quả nghiệm thu: Không đạt', en: 'Acceptance: fail' },
    message: late
      ? { vi: 'Hồ sơ nghiệm thu nộp quá hạn không có lý do chính đáng: nhiệm vụ bị đánh giá Không đạt.', en: 'The acceptance dossier was filed late without justification: the task is rated fail.' }
      : { vi: 'Hội đồng đánh giá nghiệm thu kết luận nhiệm vụ Không đạt.', en: 'The acceptance council rated the task fail.' },
  });
}

/** §4: the contract clauses an approved adjustment changes, before and after. */
function annexChanges(a: TaskState['adjustments'][number], mark: EffectMark, state: TaskState): AnnexChange[] {
  switch (a.kind) {
    case 'A-3':
      return [
        { clause: 'Điều 2. Thời gian thực hiện (gia hạn)', before: `Đến ngày ${dmy(mark.endOn ?? '')}`, after: `Đến ngày ${dmy(state.contract?.endOn ?? '')} (gia hạn ${String(a.details.months)} tháng)` },
      ];
    case 'A-4': {
      const pi = a.details.newPi as Person;
      return [{ clause: 'Điều 1. Chủ nhiệm nhiệm vụ', before: mark.pi ? `${mark.pi.name} (${mark.pi.email})` : '—', after: `${pi.name} (${pi.email}); lý do: ${String(a.details.grounds ?? '')}` }];
    }
    case 'A-2':
    case 'A-5': {
      // Issue 13: the approved changes, clause by clause, before and after; otherwise the description.
      const c = a.details.changes as ApprovedChanges | undefined;
      if (c && a.decision === 'approved') {
        const rows: AnnexChange[] = [];
        if (c.title !== undefined) rows.push({ clause: 'Điều 1. Tên nhiệm vụ', before: mark.title, after: c.title });
        if (c.objectives !== undefined) rows.push({ clause: 'Điều 1. Mục tiêu', before: mark.objectives ?? '—', after: c.objectives });
        if (c.host) rows.push({ clause: 'Điều 1. Tổ chức chủ trì', before: mark.hostName ?? '—', after: `${c.host.orgName}; chủ nhiệm: ${c.host.pi.name} (${c.host.pi.email})` });
        if (c.products) rows.push({ clause: 'Điều 1. Sản phẩm', before: (mark.products ?? []).join('; ') || '—', after: c.products.join('; ') });
        if (c.stateBudget !== undefined) rows.push({ clause: 'Điều 3. Kinh phí từ ngân sách nhà nước', before: `${formatVnd(mark.approvedState ?? 0)} đồng`, after: `${formatVnd(c.stateBudget)} đồng` });
        if (c.otherSources !== undefined) rows.push({ clause: 'Điều 3. Kinh phí từ nguồn khác', before: `${formatVnd(mark.approvedOther ?? 0)} đồng`, after: `${formatVnd(c.otherSources)} đồng` });
        if (rows.length) return rows;
      }
      return a.kind === 'A-2'
        ? [{ clause: 'Điều 3. Kinh phí (khoản chi không khoán) và yêu cầu sản phẩm', before: 'Theo thuyết minh đã phê duyệt; tổng kinh phí không đổi', after: String(a.details.description ?? '') }]
        : [{ clause: 'Điều 1. Tổ chức chủ trì, tên, mục tiêu hoặc tổng kinh phí', before: `${mark.hostName ?? '—'}; tên nhiệm vụ: ${mark.title}`, after: String(a.details.description ?? '') }];
    }
    default:
      return [{ clause: 'Điều 1. Tổ chức chủ trì, tên, mục tiêu hoặc tổng kinh phí', before: `${mark.hostName ?? '—'}; tên nhiệm vụ: ${mark.title}`, after: String(a.details.description ?? '') }];
  }
}
