/**
 * The managers' portfolio dashboards (domain.md §8 "5 rõ"), over the read models
 * only, scoped to one Department. Each query names the index it is served by
 * (QUERY_INDEXES; declared in store.ts) and uses only what FerretDB v1 and
 * MongoDB both support.
 *
 * Each endpoint reads its collection once, one indexed find projected to the
 * fields it needs, and totals, groups and sums of the matched documents are
 * computed here. Two FerretDB v1.24 facts shape this: its SQLite
 * backend pushes down only a filter that is exactly `{ _id: … }`, so every other
 * query scans and decodes the whole collection (the indexes serve MongoDB), and a
 * `$group` computes only its first accumulator (the others come back 0).
 */
import type { IsoDate, TaskStage } from '../../workflows/definitions';
import { TASK_FORMS, TASK_LEVELS, TaskStage as S } from '../../workflows/definitions';
import { addDays, daysBetween, endOfVnDay } from '../../workflows/rules/calendar';
import type { Store } from '../store';
import { DASHBOARD_STOP_STAGES, type BudgetYear, type ObligationDoc } from './projection';

/** Which index serves which query: the test checks that each exists and leads with the query's fields. */
export const QUERY_INDEXES = {
  counts: { collection: 'portfolio_tasks', key: { departmentId: 1, level: 1, form: 1, stage: 1 }, fields: ['departmentId'] },
  overdueObligations: { collection: 'obligations', key: { departmentId: 1, track: 1, dueOn: 1 }, fields: ['departmentId', 'track', 'dueOn'] },
  dueSoonObligations: { collection: 'obligations', key: { departmentId: 1, track: 1, dueOn: 1 }, fields: ['departmentId', 'track', 'dueOn'] },
  endingSoon: { collection: 'portfolio_tasks', key: { departmentId: 1, endOn: 1 }, fields: ['departmentId', 'endOn'] },
  overdueAcceptanceDossiers: { collection: 'obligations', key: { departmentId: 1, kind: 1, track: 1, dueOn: 1 }, fields: ['departmentId', 'kind', 'track', 'dueOn'] },
  budget: { collection: 'portfolio_tasks', key: { departmentId: 1 }, fields: ['departmentId'] },
  stoppedBetween: { collection: 'portfolio_tasks', key: { departmentId: 1, stoppedOn: 1 }, fields: ['departmentId', 'stoppedOn'] },
  refunds: { collection: 'portfolio_tasks', key: { departmentId: 1 }, fields: ['departmentId'] },
  timeline: { collection: 'portfolio_tasks', key: { departmentId: 1, endOn: 1 }, fields: ['departmentId', 'endOn'] },
  timelineDeadlines: { collection: 'obligations', key: { departmentId: 1, track: 1, dueOn: 1 }, fields: ['departmentId', 'track', 'dueOn'] },
} as const;
export type PortfolioQuery = keyof typeof QUERY_INDEXES;

/** Main path first, then the side states, as domain.md §2 lists them. */
export const STAGE_ORDER = Object.values(S) as TaskStage[];

export interface Group {
  key: string;
  name: string;
  count: number;
}

export interface ObligationItem {
  taskId: string;
  code: string;
  title: string;
  level: string;
  stage: string;
  obligationId: string;
  kind: string;
  rule: string;
  deliverable: { vi: string; en: string };
  assignee: 'host' | 'department';
  assigneeName: string;
  person: { key: string; name: string };
  unit: { key: string; name: string };
  accountable: { key: string; name: string; email?: string };
  dueOn: IsoDate;
  status: string;
  /** Positive: days past due; negative: days left. */
  daysOverdue: number;
}

export interface ObligationReport {
  total: number;
  byPerson: Group[];
  byUnit: Group[];
  byAccountable: Group[];
  items: ObligationItem[];
}

export interface EndingSoonItem {
  taskId: string;
  code: string;
  title: string;
  level: string;
  form: string;
  stage: string;
  endOn: IsoDate;
  daysLeft: number;
  host?: { orgId: string; orgName: string; pi: { name: string; email: string } };
  accountableOfficer?: { name: string; email: string };
}

export interface StoppedItem {
  taskId: string;
  code: string;
  title: string;
  level: string;
  form: string;
  stage: string;
  stoppedOn: IsoDate;
  stoppedStage: string;
  stopRule: string;
  stopGrounds: string;
  host?: { orgName: string };
}

/** T-3: a task that owes, or has paid back, state funds. */
export interface RefundItem {
  taskId: string;
  code: string;
  title: string;
  level: string;
  form: string;
  stage: string;
  host?: { orgId: string; orgName: string; pi: { name: string } };
  /** Owed (the fund-recovery decision), recovered so far, and what is left, integer VND. */
  refundDue: number;
  refunded: number;
  outstanding: number;
}

export interface RefundTotals {
  owed: number;
  recovered: number;
  outstanding: number;
  /** Tasks that owe something (refundDue > 0). */
  tasks: number;
}

/** A task on the timeline: its contract period and its deadlines inside the window. */
export interface TimelineItem {
  taskId: string;
  code: string;
  title: string;
  level: string;
  form: string;
  stage: string;
  host?: { orgId: string; orgName: string };
  startOn?: IsoDate;
  endOn: IsoDate;
  deadlines: { obligationId: string; kind: string; rule: string; deliverable: { vi: string; en: string }; assignee: 'host' | 'department'; dueOn: IsoDate; status: string; overdue: boolean }[];
}

const zeroBudget = (year: number): BudgetYear => ({ year, approvedState: 0, approvedOther: 0, disbursed: 0, refunded: 0 });
const BUDGET_MEASURES = ['approvedState', 'approvedOther', 'disbursed', 'refunded'] as const;

export function createPortfolioQueries(store: Store) {
  const { PortfolioTask, Obligation } = store;

  /** One read of the matching obligations, in due order; the total, the three groupings and the first `limit` items from it. */
  async function obligationReport(match: Record<string, unknown>, today: IsoDate, limit: number): Promise<ObligationReport> {
    const docs = await Obligation.find(match).select(OBLIGATION_FIELDS).sort({ dueOn: 1, _id: 1 }).lean<ObligationDoc[]>();
    return {
      total: docs.length,
      byPerson: groupBy(docs, 'personKey', 'personName'),
      byUnit: groupBy(docs, 'unitKey', 'unitName'),
      byAccountable: groupBy(docs, 'accountableKey', 'accountableName'),
      items: docs.slice(0, limit).map((d) => obligationItem(d, today)),
    };
  }

  return {
    /**
     * Tasks by level, form and stage (every value listed, zeros included), counted here from one
     * projected read: on MongoDB a covered query of its index; on FerretDB cheaper than a `$group`.
     */
    async counts(departmentId: string, createdUntil?: IsoDate) {
      const match: Record<string, unknown> = { departmentId };
      if (createdUntil) match.createdAt = { $lte: new Date(endOfVnDay(createdUntil)) };
      const combos = new Map<string, { _id: { level: string; form: string; stage: string }; n: number }>();
      const refunds: RefundTotals = { owed: 0, recovered: 0, outstanding: 0, tasks: 0 };
      const stopped = new Map<string, number>(DASHBOARD_STOP_STAGES.map((st) => [st, 0]));
      type Row = { level: string; form: string; stage: string; stoppedStage?: string; refundDue?: number; refunded?: number };
      for (const d of await PortfolioTask.find(match).select({ _id: 0, level: 1, form: 1, stage: 1, stoppedStage: 1, refundDue: 1, refunded: 1 }).lean<Row[]>()) {
        addRefund(refunds, d.refundDue ?? 0, d.refunded ?? 0);
        if (d.stoppedStage && stopped.has(d.stoppedStage)) stopped.set(d.stoppedStage, stopped.get(d.stoppedStage)! + 1);
        const k = `${d.level}|${d.form}|${d.stage}`;
        const c = combos.get(k);
        if (c) c.n += 1;
        else combos.set(k, { _id: { level: d.level, form: d.form, stage: d.stage }, n: 1 });
      }
      const rows = [...combos.values()];
      const tally = <K extends string>(keys: readonly K[], pick: (r: (typeof rows)[number]) => string) =>
        keys.map((k) => ({ key: k, count: rows.filter((r) => pick(r) === k).reduce((s, r) => s + r.n, 0) }));
      const byLevelStage = rows
        .map((r) => ({ level: r._id.level, stage: r._id.stage, count: r.n }))
        .reduce<{ level: string; stage: string; count: number }[]>((acc, r) => {
          const e = acc.find((x) => x.level === r.level && x.stage === r.stage);
          if (e) e.count += r.count;
          else acc.push({ ...r });
          return acc;
        }, [])
        .sort((a, b) => STAGE_ORDER.indexOf(a.stage as TaskStage) - STAGE_ORDER.indexOf(b.stage as TaskStage) || TASK_LEVELS.indexOf(a.level as never) - TASK_LEVELS.indexOf(b.level as never));
      return {
        total: rows.reduce((s, r) => s + r.n, 0),
        byLevel: tally(TASK_LEVELS, (r) => r._id.level).map(({ key, count }) => ({ level: key, count })),
        byForm: tally(TASK_FORMS, (r) => r._id.form).map(({ key, count }) => ({ form: key, count })),
        byStage: tally(STAGE_ORDER, (r) => r._id.stage).map(({ key, count }) => ({ stage: key, count })),
        byLevelStage,
        refunds,
        stopped: { total: [...stopped.values()].reduce((a, b) => a + b, 0), byStage: [...stopped].map(([stage, count]) => ({ stage, count })) },
      };
    },

    /** T-3: the tasks that owe state funds back, or have paid some back: owed, recovered, outstanding (most outstanding first). */
    async refunds(departmentId: string): Promise<{ totals: RefundTotals; items: RefundItem[] }> {
      const docs = await PortfolioTask.find({ departmentId })
        .select({ taskId: 1, code: 1, title: 1, level: 1, form: 1, stage: 1, host: 1, refundDue: 1, refunded: 1 })
        .lean();
      const totals: RefundTotals = { owed: 0, recovered: 0, outstanding: 0, tasks: 0 };
      const items: RefundItem[] = [];
      for (const d of docs) {
        const due = d.refundDue ?? 0;
        const back = d.refunded ?? 0;
        if (!due && !back) continue;
        addRefund(totals, due, back);
        items.push({
          taskId: d.taskId,
          code: d.code ?? d.taskId,
          title: d.title,
          level: d.level,
          form: d.form,
          stage: d.stage,
          ...(d.host?.orgId ? { host: { orgId: d.host.orgId, orgName: d.host.orgName, pi: { name: d.host.pi.name } } } : {}),
          refundDue: due,
          refunded: back,
          outstanding: Math.max(0, due - back),
        });
      }
      items.sort((a, b) => b.outstanding - a.outstanding || a.code.localeCompare(b.code, 'vi'));
      return { totals, items };
    },

    /**
     * The tasks on a timeline window: those whose contract period (start to end, extensions
     * included) overlaps [from, to], earliest end first, each with its open and overdue
     * obligations due inside the window. Two reads: the Department's summaries that end on or
     * after `from`, and its running obligations due inside the window.
     */
    async timeline(departmentId: string, from: IsoDate, to: IsoDate, limit: number): Promise<{ total: number; items: TimelineItem[] }> {
      const [tasks, obligations] = await Promise.all([
        PortfolioTask.find({ departmentId, endOn: { $gte: from } })
          .select({ taskId: 1, code: 1, title: 1, level: 1, form: 1, stage: 1, host: 1, startOn: 1, endOn: 1 })
          .sort({ endOn: 1, _id: 1 })
          .lean(),
        Obligation.find({ departmentId, track: { $in: ['open', 'overdue'] }, dueOn: { $gte: from, $lte: to } })
          .select({ taskId: 1, obligationId: 1, kind: 1, rule: 1, deliverable: 1, assignee: 1, dueOn: 1, status: 1, track: 1 })
          .sort({ dueOn: 1, _id: 1 })
          .lean<ObligationDoc[]>(),
      ]);
      const byTask = new Map<string, TimelineItem['deadlines']>();
      for (const o of obligations) {
        const list = byTask.get(o.taskId) ?? [];
        list.push({ obligationId: o.obligationId, kind: o.kind, rule: o.rule, deliverable: { vi: o.deliverable.vi, en: o.deliverable.en }, assignee: o.assignee, dueOn: o.dueOn, status: o.status, overdue: o.track === 'overdue' });
        byTask.set(o.taskId, list);
      }
      const inWindow = tasks.filter((t) => t.endOn && (t.startOn ?? t.endOn) <= to);
      return {
        total: inWindow.length,
        items: inWindow.slice(0, limit).map((t) => ({
          taskId: t.taskId,
          code: t.code ?? t.taskId,
          title: t.title,
          level: t.level,
          form: t.form,
          stage: t.stage,
          ...(t.host?.orgId ? { host: { orgId: t.host.orgId, orgName: t.host.orgName } } : {}),
          ...(t.startOn ? { startOn: t.startOn } : {}),
          endOn: t.endOn!,
          deadlines: byTask.get(t.taskId) ?? [],
        })),
      };
    },

    /**
     * Duties past their due date: OVERDUE as the workflow marked them, and OPEN ones whose
     * date has passed but whose workflow has not run its timer yet (a worker outage must not
     * hide them). Paused obligations of a suspended task (T-1) and lapsed rights are not duties.
     */
    overdueObligations(departmentId: string, dueBefore: IsoDate, today: IsoDate, limit: number): Promise<ObligationReport> {
      return obligationReport({ departmentId, track: { $in: ['open', 'overdue'] }, dueOn: { $lt: dueBefore } }, today, limit);
    },

    /** Duties due from today to today + days (the reminder window of the rule-set by default). */
    dueSoonObligations(departmentId: string, today: IsoDate, days: number, limit: number): Promise<ObligationReport> {
      return obligationReport({ departmentId, track: 'open', dueOn: { $gte: today, $lte: addDays(today, days) } }, today, limit);
    },

    /**
     * §8, A-3: tasks running towards a contract end within `days` with neither an extension
     * request (pending or granted) nor an acceptance dossier: past the A-3 notice (60 days by
     * default) they can no longer ask for more time.
     */
    async endingSoon(departmentId: string, today: IsoDate, days: number): Promise<EndingSoonItem[]> {
      const docs = await PortfolioTask.find({ departmentId, endOn: { $gte: today, $lte: addDays(today, days) }, executing: true, extensionRequested: false, acceptanceDossierFiled: false })
        .select({ taskId: 1, code: 1, title: 1, level: 1, form: 1, stage: 1, endOn: 1, host: 1, accountableOfficer: 1 })
        .sort({ endOn: 1, _id: 1 })
        .lean();
      return docs.map((d) => ({
        taskId: d.taskId,
        code: d.code ?? d.taskId,
        title: d.title,
        level: d.level,
        form: d.form,
        stage: d.stage,
        endOn: d.endOn!,
        daysLeft: daysBetween(today, d.endOn!),
        ...(d.host?.orgId ? { host: { orgId: d.host.orgId, orgName: d.host.orgName, pi: { name: d.host.pi.name, email: d.host.pi.email } } } : {}),
        ...(d.accountableOfficer ? { accountableOfficer: { name: d.accountableOfficer.name, email: d.accountableOfficer.email } } : {}),
      }));
    },

    /** L-18: acceptance dossiers past their due date (30 days after the contract end by default) and not filed. */
    async overdueAcceptanceDossiers(departmentId: string, today: IsoDate): Promise<ObligationItem[]> {
      const docs = await Obligation.find({ departmentId, kind: 'acceptance_dossier', track: { $in: ['open', 'overdue'] }, dueOn: { $lt: today } })
        .select(OBLIGATION_FIELDS)
        .sort({ dueOn: 1, _id: 1 })
        .lean<ObligationDoc[]>();
      return docs.map((d) => obligationItem(d, today));
    },

    /** Approved vs disbursed vs refunded by year (integer VND), summed over the Department's tasks' budget lines. */
    async budget(departmentId: string, fromYear?: number, toYear?: number): Promise<{ years: BudgetYear[]; totals: Omit<BudgetYear, 'year'> }> {
      const docs = await PortfolioTask.find({ departmentId }).select({ _id: 0, budgetByYear: 1 }).lean<{ budgetByYear?: BudgetYear[] }[]>();
      const years = new Map<number, BudgetYear>();
      for (const d of docs) {
        for (const b of d.budgetByYear ?? []) {
          if ((fromYear !== undefined && b.year < fromYear) || (toYear !== undefined && b.year > toYear)) continue;
          const y = years.get(b.year) ?? zeroBudget(b.year);
          for (const m of BUDGET_MEASURES) y[m] += b[m];
          years.set(b.year, y);
        }
      }
      const list = [...years.values()].sort((a, b) => a.year - b.year);
      const totals = { approvedState: 0, approvedOther: 0, disbursed: 0, refunded: 0 };
      for (const y of list) for (const m of BUDGET_MEASURES) totals[m] += y[m];
      return { years: list, totals };
    },

    /** Tasks that stopped (terminated, failed acceptance, cancelled, rejected, withdrawn) between two dates, with grounds. */
    async stoppedBetween(departmentId: string, from: IsoDate, to: IsoDate): Promise<StoppedItem[]> {
      const docs = await PortfolioTask.find({ departmentId, stoppedOn: { $gte: from, $lte: to } })
        .select({ taskId: 1, code: 1, title: 1, level: 1, form: 1, stage: 1, stoppedOn: 1, stoppedStage: 1, stopRule: 1, stopGrounds: 1, host: 1 })
        .sort({ stoppedOn: 1, _id: 1 })
        .lean();
      return docs.map((d) => ({
        taskId: d.taskId,
        code: d.code ?? d.taskId,
        title: d.title,
        level: d.level,
        form: d.form,
        stage: d.stage,
        stoppedOn: d.stoppedOn!,
        stoppedStage: d.stoppedStage!,
        stopRule: d.stopRule ?? '',
        stopGrounds: d.stopGrounds ?? '',
        ...(d.host?.orgName ? { host: { orgName: d.host.orgName } } : {}),
      }));
    },
  };
}
export type PortfolioQueries = ReturnType<typeof createPortfolioQueries>;

function addRefund(t: RefundTotals, due: number, back: number): void {
  t.owed += due;
  t.recovered += back;
  t.outstanding += Math.max(0, due - back);
  if (due > 0) t.tasks += 1;
}

const OBLIGATION_FIELDS = {
  taskId: 1, code: 1, title: 1, level: 1, stage: 1, obligationId: 1, kind: 1, rule: 1, deliverable: 1, assignee: 1, assigneeName: 1,
  personKey: 1, personName: 1, unitKey: 1, unitName: 1, accountable: 1, accountableKey: 1, accountableName: 1, dueOn: 1, status: 1,
} as const;

/** Counts per key, most first; the same key under two spellings of its name is one group (the first name met). */
function groupBy(docs: ObligationDoc[], key: 'personKey' | 'unitKey' | 'accountableKey', name: 'personName' | 'unitName' | 'accountableName'): Group[] {
  const groups = new Map<string, Group>();
  for (const d of docs) {
    const g = groups.get(d[key]);
    if (g) g.count += 1;
    else groups.set(d[key], { key: d[key], name: d[name], count: 1 });
  }
  return [...groups.values()].sort((a, b) => b.count - a.count || a.name.localeCompare(b.name, 'vi') || a.key.localeCompare(b.key));
}

function obligationItem(d: ObligationDoc, today: IsoDate): ObligationItem {
  return {
    taskId: d.taskId,
    code: d.code,
    title: d.title,
    level: d.level,
    stage: d.stage,
    obligationId: d.obligationId,
    kind: d.kind,
    rule: d.rule,
    deliverable: { vi: d.deliverable.vi, en: d.deliverable.en },
    assignee: d.assignee,
    assigneeName: d.assigneeName,
    person: { key: d.personKey, name: d.personName },
    unit: { key: d.unitKey, name: d.unitName },
    accountable: { key: d.accountableKey, name: d.accountableName, ...(d.accountable?.email ? { email: d.accountable.email } : {}) },
    dueOn: d.dueOn,
    status: d.status,
    daysOverdue: daysBetween(d.dueOn, today),
  };
}
