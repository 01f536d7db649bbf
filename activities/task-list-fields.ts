/**
 * Fields of the `tasks` read model that exist only so lists can be filtered,
 * searched and sorted through an index, on FerretDB v1 as on MongoDB (no text
 * indexes, no collations, no $lookup): denormalised from the workflow's state on
 * every write. Pure functions; the store calls them.
 */
import type { TaskState } from '../workflows/definitions';
import { deadlineSummary } from '../workflows/rules/obligations';

/** A task with no open obligation sorts after every dated one (ascending). */
export const NO_DEADLINE = '9999-12-31';

/**
 * Lower case, Vietnamese diacritics removed (đ → d), so "lua chiu man" finds
 * "lúa chịu mặn" and the sort key orders titles as a reader expects.
 */
export function foldVietnamese(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase();
}

/** The words of a text, folded; what a search term is compared with (as a prefix). */
export function searchWords(s: string): string[] {
  return foldVietnamese(s).split(/[^a-z0-9]+/).filter((w) => w.length > 0);
}

export interface TaskListFields {
  /** Folded title: the sort key for "title". */
  titleKey: string;
  /** Folded words of the title, the host organisation and the proposing organisation (multikey index). */
  searchTerms: string[];
  /** Organisations whose researchers see the task: proposer, host, applicants (multikey index). */
  partyOrgIds: string[];
  /** The earliest open obligation (§8), if any. */
  nextDeadline?: string;
  /** nextDeadline, or NO_DEADLINE: the sort key for "nextDeadline". */
  deadlineKey: string;
  /** Some obligation is overdue (§8). */
  overdue: boolean;
}

export function taskListFields(state: TaskState): TaskListFields {
  const { nextDeadline, overdue } = deadlineSummary(state);
  const orgNames = [state.host?.orgName, state.proposal.proposer.organisation].filter((x): x is string => Boolean(x));
  const terms = new Set([...searchWords(state.proposal.title), ...orgNames.flatMap(searchWords)]);
  const parties = new Set([state.owner.orgId, ...(state.host ? [state.host.orgId] : []), ...(state.call?.dossiers ?? []).map((d) => d.host.orgId)]);
  return {
    titleKey: foldVietnamese(state.proposal.title).trim(),
    searchTerms: [...terms].sort(),
    partyOrgIds: [...parties].sort(),
    ...(nextDeadline ? { nextDeadline } : {}),
    deadlineKey: nextDeadline ?? NO_DEADLINE,
    overdue,
  };
}
