/**
 * Read models of the portfolio (§8 "5 rõ"), projected from a task's workflow
 * state. Pure: the same state always projects to the same documents, so the
 * activity that writes them and the reconciliation that checks them agree.
 *
 * Everything a dashboard filters or groups on is a plain top-level field, so each
 * query is an indexed equality/range match with at most one `$sum` per `$group`
 * (FerretDB v1 computes only the first accumulator of a `$group`; see
 * queries.ts) and no `$lookup`.
 */
import { writtenOffTotal } from '../../workflows/rules/preconditions';
import { TaskStage as S, type IsoDate, type Obligation, type ObligationStatus, type TaskStage, type TaskState } from '../../workflows/definitions';
import { vnDateOf } from '../../workflows/rules/calendar';

/** From the contract to the acceptance dossier: the stages in which a task runs towards its end date. */
export const EXECUTION_STAGES: readonly TaskStage[] = [
  S.CONTRACTED, S.IN_PROGRESS, S.UNDER_INSPECTION, S.ADJUSTMENT_PENDING, S.SUSPENDED, S.TERMINATION_PENDING, S.SELF_EVALUATION,
];

/**
 * Issue 11: the stops the dashboard counts, by the stage that stopped the task (it may have gone on
 * to liquidation since): terminated, failed at acceptance, cancelled before the contract, withdrawn.
 */
export const DASHBOARD_STOP_STAGES: readonly TaskStage[] = [S.TERMINATED, S.ACCEPTANCE_FAILED, S.CANCELLED_BEFORE_CONTRACT, S.WITHDRAWN];

/** The stages that stop a task short of its results (the six-month report's "stopped" list). */
export const STOP_STAGES: readonly TaskStage[] = [S.TERMINATED, S.ACCEPTANCE_FAILED, S.CANCELLED_BEFORE_CONTRACT, S.PROPOSAL_REJECTED, S.WITHDRAWN];

/** One year of a task's money, integer VND. */
export interface BudgetYear {
  year: number;
  /** Approved in that year (L-10), by source. */
  approvedState: number;
  approvedOther: number;
  /** State funds disbursed in that year (L-12). */
  disbursed: number;
  /** Refunds received in that year (T-3). */
  refunded: number;
}

/** Fields denormalised onto the task document for the dashboards and the report. */
export interface TaskPortfolioFields {
  /** The Department's code of the task: the imported code, otherwise the task ID. */
  code: string;
  /** Contract end date, extensions included (A-3, T-1 shifts). */
  endOn?: IsoDate;
  /** Between contract and acceptance dossier (EXECUTION_STAGES). */
  executing: boolean;
  /** An A-3 extension request pending or granted (a refused one does not protect the end date). */
  extensionRequested: boolean;
  /** The acceptance dossier has been filed (L-18). */
  acceptanceDossierFiled: boolean;
  budgetByYear: BudgetYear[];
  /** When and why the task stopped (STOP_STAGES): the first such entry of its timeline. */
  stoppedOn?: IsoDate;
  stoppedStage?: TaskStage;
  stopRule?: string;
  stopGrounds?: string;
}

const year = (d: IsoDate) => Number(d.slice(0, 4));

export function taskPortfolioFields(state: TaskState): TaskPortfolioFields {
  const stop = state.timeline.find((e) => STOP_STAGES.includes(e.stage));
  const a3 = state.adjustments.some((a) => a.kind === 'A-3' && a.decision !== 'refused');
  return {
    code: state.imported?.code ?? state.taskId,
    ...(state.contract?.endOn ? { endOn: state.contract.endOn } : {}),
    executing: EXECUTION_STAGES.includes(state.stage),
    extensionRequested: a3,
    acceptanceDossierFiled: Boolean(state.acceptance?.dossierSubmittedAt),
    budgetByYear: budgetByYear(state, stop ? vnDateOf(stop.at) : undefined),
    ...(stop ? { stoppedOn: vnDateOf(stop.at), stoppedStage: stop.stage, stopRule: stop.rule, stopGrounds: stopGrounds(state, stop.stage, stop.note) } : {}),
  };
}

/**
 * Approved amounts count in the year of approval (L-10); disbursements and refunds in
 * the year they happened. Refunds recorded before they were dated count in the year the
 * task stopped (the fund-recovery decision, T-3), else in the year of its last change.
 */
export function budgetByYear(state: TaskState, stoppedOn?: IsoDate): BudgetYear[] {
  const years = new Map<number, BudgetYear>();
  const at = (y: number) => {
    let b = years.get(y);
    if (!b) years.set(y, (b = { year: y, approvedState: 0, approvedOther: 0, disbursed: 0, refunded: 0 }));
    return b;
  };
  const f = state.funds;
  if (state.approval && (f.approvedState || f.approvedOther)) {
    const b = at(year(state.approval.approvedOn));
    b.approvedState += f.approvedState;
    b.approvedOther += f.approvedOther;
  }
  for (const d of f.disbursements) at(year(d.on)).disbursed += d.amount;
  let dated = 0;
  for (const r of f.refunds ?? []) {
    at(year(r.on)).refunded += r.amount;
    dated += r.amount;
  }
  const undated = f.refunded - dated;
  if (undated > 0) {
    const last = state.timeline[state.timeline.length - 1];
    at(year(stoppedOn ?? (last ? vnDateOf(last.at) : state.submittedAt.slice(0, 10)))).refunded += undated;
  }
  return [...years.values()].sort((x, y) => x.year - y.year);
}

function stopGrounds(state: TaskState, stage: TaskStage, note: string | undefined): string {
  switch (stage) {
    case S.TERMINATED: {
      const t = state.termination;
      const cause = t?.cause === 'subjective' ? 'nguyên nhân chủ quan' : t?.cause === 'objective' ? 'nguyên nhân khách quan' : undefined;
      const by = t?.initiatedBy === 'host' ? 'theo đề nghị của tổ chức chủ trì' : 'theo đề xuất của Sở';
      return `${t?.grounds ?? note ?? 'Chấm dứt'} (${[by, cause].filter(Boolean).join(', ')})`;
    }
    case S.ACCEPTANCE_FAILED:
      return note ?? 'Hội đồng nghiệm thu kết luận không đạt';
    default:
      return note ?? '';
  }
}

// ---------------------------------------------------------------------------------------------
// The task's portfolio summary: one small document per task
// ---------------------------------------------------------------------------------------------

/**
 * What the task-level dashboards read, apart from the full task document: small, so
 * that scanning a Department's portfolio stays cheap even where no index is used
 * (FerretDB v1), and free of the task's growing timeline, events and documents.
 */
export interface PortfolioTaskDoc extends TaskPortfolioFields {
  _id: string;
  taskId: string;
  departmentId: string;
  title: string;
  level: string;
  form: string;
  stage: TaskStage;
  closed: boolean;
  createdAt: Date;
  host?: { orgId: string; orgName: string; pi: { name: string; email: string } };
  accountableOfficer?: { name: string; email: string };
  /** Issue 11: the contract's start (the timeline draws the period from it to endOn). */
  startOn?: IsoDate;
  /** Issue 11, T-3: the refund owed (funds.refundDue.total less what a decision wrote off, issue 13) and what has come back (funds.refunded), integer VND. */
  refundDue: number;
  refunded: number;
  /** Issue 11: results registered (L-22: one certificate each), for open data. */
  resultsRegistered: number;
  /** The task version that wrote it: guarded like the task document. */
  taskVersion: number;
}

export function portfolioTaskDoc(state: TaskState): PortfolioTaskDoc {
  return {
    _id: state.taskId,
    taskId: state.taskId,
    departmentId: state.departmentId,
    title: state.proposal.title,
    level: state.proposal.level,
    form: state.proposal.form,
    stage: state.stage,
    closed: state.closed,
    createdAt: new Date(state.submittedAt),
    ...(state.host ? { host: { orgId: state.host.orgId, orgName: state.host.orgName, pi: { name: state.host.pi.name, email: state.host.pi.email } } } : {}),
    ...(state.accountableOfficer ? { accountableOfficer: { name: state.accountableOfficer.name, email: state.accountableOfficer.email } } : {}),
    ...taskPortfolioFields(state),
    ...(state.contract?.startOn ? { startOn: state.contract.startOn } : {}),
    refundDue: (state.funds.refundDue?.total ?? 0) - writtenOffTotal(state.funds),
    refunded: state.funds.refunded ?? 0,
    resultsRegistered: state.registration?.certificates.length ?? 0,
    taskVersion: state.version,
  };
}

// ---------------------------------------------------------------------------------------------
// Obligations: one document per obligation per task
// ---------------------------------------------------------------------------------------------

/**
 * Where an obligation stands for the dashboards: `open` and `overdue` are duties whose
 * clock runs; `paused` ones stop while the task is suspended (T-1); a `right` (T-2
 * observations) lapses without escalation; `closed` is done, waived or cancelled.
 */
export type ObligationTrack = 'open' | 'overdue' | 'paused' | 'right' | 'closed';

export interface ObligationDoc {
  _id: string;
  taskId: string;
  departmentId: string;
  code: string;
  title: string;
  level: string;
  form: string;
  stage: TaskStage;
  obligationId: string;
  kind: string;
  rule: string;
  /** Clear task. */
  deliverable: { vi: string; en: string };
  /** Clear person: who owes it, and a stable key to group by (the PI's or the officer's e-mail). */
  assignee: 'host' | 'department';
  assigneeName: string;
  personKey: string;
  personName: string;
  /** The unit that owes it: the host organisation, or the Department for its own decisions. */
  unitKey: string;
  unitName: string;
  /** Clear responsibility: the accountable Department officer. */
  accountable?: { name: string; email: string };
  accountableKey: string;
  accountableName: string;
  /** Clear progress. */
  dueOn: IsoDate;
  remindOn?: IsoDate;
  status: ObligationStatus;
  track: ObligationTrack;
  /** Clear result. */
  evidence?: string;
  closedAt?: string;
  /** The task version that wrote this document: guards it like the task's own read model. */
  taskVersion: number;
}

export const obligationDocId = (taskId: string, obligationId: string) => `${taskId}/${obligationId}`;

export const UNASSIGNED = { key: 'unassigned', name: 'Chưa giao cán bộ theo dõi' } as const;

function trackOf(state: TaskState, o: Obligation): ObligationTrack {
  if (o.status === 'OVERDUE') return 'overdue';
  if (o.status !== 'OPEN') return 'closed';
  if (o.right) return 'right';
  if (o.pausable && state.suspension) return 'paused';
  return 'open';
}

export function obligationDocs(state: TaskState): ObligationDoc[] {
  const code = state.imported?.code ?? state.taskId;
  const pi = state.host?.pi ?? { name: state.proposal.proposer.name, email: state.proposal.proposer.email };
  const org = state.host ? { key: state.host.orgId, name: state.host.orgName } : { key: state.owner.orgId, name: state.proposal.proposer.organisation };
  return state.obligations.map((o) => {
    const officer = o.accountable ?? (state.accountableOfficer ? { name: state.accountableOfficer.name, email: state.accountableOfficer.email } : undefined);
    const officerKey = officer ? `officer:${officer.email.toLowerCase()}` : UNASSIGNED.key;
    const host = o.assignee === 'host';
    return {
      _id: obligationDocId(state.taskId, o.id),
      taskId: state.taskId,
      departmentId: state.departmentId,
      code,
      title: state.proposal.title,
      level: state.proposal.level,
      form: state.proposal.form,
      stage: state.stage,
      obligationId: o.id,
      kind: o.kind,
      rule: o.rule,
      deliverable: { vi: o.deliverable.vi, en: o.deliverable.en },
      assignee: o.assignee,
      assigneeName: o.assigneeName,
      personKey: host ? `pi:${pi.email.toLowerCase()}` : officerKey,
      personName: host ? pi.name : officer?.name ?? UNASSIGNED.name,
      unitKey: host ? `org:${org.key}` : `department:${state.departmentId}`,
      unitName: host ? org.name : 'Sở Khoa học và Công nghệ',
      ...(officer ? { accountable: { name: officer.name, email: officer.email } } : {}),
      accountableKey: officerKey,
      accountableName: officer?.name ?? UNASSIGNED.name,
      dueOn: o.dueOn,
      ...(o.remindOn ? { remindOn: o.remindOn } : {}),
      status: o.status,
      track: trackOf(state, o),
      ...(o.evidence ? { evidence: o.evidence } : {}),
      ...(o.closedAt ? { closedAt: o.closedAt } : {}),
      taskVersion: state.version,
    };
  });
}
