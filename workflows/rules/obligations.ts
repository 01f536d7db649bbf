/**
 * Obligations (§8 "5 rõ") and the timers they imply: reminders before a due
 * date, escalation when it passes, pausing while a task is suspended (T-1).
 * Pure functions over the task state; the workflow turns them into timers.
 */
import type { IsoDate, Obligation, Person, TaskState } from '../definitions';
import { addDays, compareDates, endOfVnDay, startOfVnDay } from './calendar';

export interface ObligationSpec {
  kind: string;
  rule: string;
  deliverable: { vi: string; en: string };
  assignee: 'host' | 'department';
  dueOn: IsoDate;
  remindOn?: IsoDate;
  pausable?: boolean;
  /** A right rather than a duty (e.g. T-2 observations): when its time passes it lapses, nobody is escalated. */
  right?: boolean;
}

export function openObligation(state: TaskState, spec: ObligationSpec): Obligation {
  const n = state.obligations.filter((o) => o.kind === spec.kind).length + 1;
  const o: Obligation = {
    id: `${spec.kind}-${n}`,
    kind: spec.kind,
    rule: spec.rule,
    deliverable: spec.deliverable,
    assignee: spec.assignee,
    assigneeName: spec.assignee === 'host' ? hostName(state) : state.accountableOfficer?.name ?? 'Sở KH&CN',
    ...(state.accountableOfficer ? { accountable: officerOf(state.accountableOfficer) } : {}),
    dueOn: spec.dueOn,
    ...(spec.remindOn ? { remindOn: spec.remindOn } : {}),
    status: 'OPEN',
    pausable: spec.pausable ?? true,
    ...(spec.right ? { right: true } : {}),
    reminded: false,
    escalated: false,
  };
  state.obligations.push(o);
  return o;
}

const officerOf = (p: Person): Person => ({ name: p.name, email: p.email });

export function hostName(state: TaskState): string {
  return state.host ? `${state.host.orgName} (${state.host.pi.name})` : `${state.proposal.proposer.organisation} (${state.proposal.proposer.name})`;
}

const live = (o: Obligation) => o.status === 'OPEN' || o.status === 'OVERDUE';

/** Closes every live obligation of these kinds (DONE with evidence, or WAIVED / CANCELLED). */
export function closeObligations(
  state: TaskState,
  match: (o: Obligation) => boolean,
  status: 'DONE' | 'WAIVED' | 'CANCELLED',
  at: string,
  evidence?: string,
): Obligation[] {
  const closed = state.obligations.filter((o) => live(o) && match(o));
  for (const o of closed) {
    o.status = status;
    o.closedAt = at;
    if (evidence) o.evidence = evidence;
  }
  return closed;
}

/** Whether an obligation's clock runs now: pausable ones stop while the task is suspended (T-1), including while a termination it led to is pending. */
export const running = (state: TaskState, o: Obligation) => !(o.pausable && state.suspension !== undefined);

export interface DueEvents {
  reminders: Obligation[];
  overdue: Obligation[];
}

/** What has come due by `nowIso`: reminders to send and obligations now overdue. Marks them (mutates). */
export function collectDue(state: TaskState, nowIso: string): DueEvents {
  const reminders: Obligation[] = [];
  const overdue: Obligation[] = [];
  for (const o of state.obligations) {
    if (o.status !== 'OPEN' || !running(state, o)) continue;
    if (nowIso > endOfVnDay(o.dueOn) && o.right) {
      o.status = 'WAIVED';
      o.closedAt = nowIso;
    } else if (nowIso > endOfVnDay(o.dueOn)) {
      o.status = 'OVERDUE';
      o.escalated = true;
      overdue.push(o);
    } else if (o.remindOn && !o.reminded && nowIso >= startOfVnDay(o.remindOn)) {
      o.reminded = true;
      reminders.push(o);
    }
  }
  return { reminders, overdue };
}

/** Milliseconds until the next reminder or due date passes, or undefined when nothing is waiting. */
export function msUntilNext(state: TaskState, nowMs: number): number | undefined {
  let next: number | undefined;
  for (const o of state.obligations) {
    if (o.status !== 'OPEN' || !running(state, o)) continue;
    const candidates = [Date.parse(endOfVnDay(o.dueOn)) + 1];
    if (o.remindOn && !o.reminded) candidates.push(Date.parse(startOfVnDay(o.remindOn)));
    for (const t of candidates) if (t > nowMs && (next === undefined || t < next)) next = t;
  }
  return next === undefined ? undefined : Math.max(1, next - nowMs);
}

/** T-1: after a suspension, every paused deadline moves by the paused days. */
export function shiftPaused(state: TaskState, days: number): void {
  for (const o of state.obligations) {
    if (o.status !== 'OPEN' || !o.pausable) continue;
    o.dueOn = addDays(o.dueOn, days);
    if (o.remindOn) o.remindOn = addDays(o.remindOn, days);
  }
}

/** The earliest open due date (search attribute TaskNextDeadline) and whether anything is overdue. */
export function deadlineSummary(state: TaskState): { nextDeadline?: IsoDate; overdue: boolean } {
  const open = state.obligations.filter((o) => o.status === 'OPEN').map((o) => o.dueOn).sort(compareDates);
  return { ...(open[0] ? { nextDeadline: open[0] } : {}), overdue: state.obligations.some((o) => o.status === 'OVERDUE') };
}
