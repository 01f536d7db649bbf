/**
 * Deadline arithmetic of domain.md §2 (L-4 … L-22), §4 and §5 (T-1, T-2).
 * Every number comes from the task's rule-set (RS-1); nothing here is hard-coded.
 *
 * Pure and deterministic (safe in workflow code). Dates are `IsoDate` strings meaning a
 * date in Vietnam. Conventions:
 * - "within N days after X" ends on X + N calendar days (the day of X does not count);
 * - "within N working days after X" ends on the N-th working day after X (calendar.ts
 *   `addWorkingDays`: X itself never counts);
 * - a deadline in calendar days is NOT moved when it falls on a weekend or holiday
 *   (Civil Code 2015 art. 148(5) would move it to the next working day; domain.md does
 *   not say so; callers that want it can apply `nextWorkingDayOnOrAfter`).
 * A refusal (user input that breaks a rule) is returned as a `Refusal`; malformed input
 * (an invalid date) is a programming error and throws a RangeError.
 */
import type { RuleSet } from './ruleset';
import { addDays, addMonths, addWorkingDays, compareDates, daysBetween, isValidIsoDate, workingDaysBefore, workingDaysBetween, type IsoDate } from './calendar';

import type { Refusal } from './transitions';

/** Why a date or request breaks a rule, with the rule ID and a bilingual reason naming the numbers. */
export type { Refusal };

function requireDate(name: string, d: IsoDate): void {
  if (!isValidIsoDate(d)) throw new RangeError(`${name} is not a calendar date 'YYYY-MM-DD': ${JSON.stringify(d)}`);
}

function requireInteger(name: string, n: number, min: number): void {
  if (!Number.isSafeInteger(n) || n < min) throw new RangeError(`${name} must be an integer ≥ ${min}: ${n}`);
}

// ─── Contract period and periodic reports (L-13) ─────────────────────────────────────

/**
 * The last day of a contract of `durationMonths` starting on (and including)
 * `contractStart`: the day before start + duration, e.g. 24 months from 2026-01-15 end on
 * 2028-01-14. When the start's day does not exist in the final month, the contract ends
 * on that month's last day (Civil Code 2015 art. 148(3)): 1 month from 2026-01-31 ends on
 * 2026-02-28, not 2026-02-27.
 */
export function contractEndDate(contractStart: IsoDate, durationMonths: number): IsoDate {
  requireDate('contractStart', contractStart);
  requireInteger('durationMonths', durationMonths, 1);
  const anniversary = addMonths(contractStart, durationMonths);
  const clamped = anniversary.slice(8) !== contractStart.slice(8);
  return clamped ? anniversary : addDays(anniversary, -1);
}

/**
 * A-3 / §4: the new contract end after an extension of `months`: the period simply runs
 * `months` longer (2027-06-30 + 6 → 2027-12-31; 2027-12-31 + 12 → 2028-12-31).
 */
export function extendedContractEnd(contractEnd: IsoDate, months: number): IsoDate {
  requireDate('contractEnd', contractEnd);
  requireInteger('months', months, 1);
  return contractEndDate(addDays(contractEnd, 1), months);
}

/**
 * L-13: progress reports every `rs.reportIntervalMonths` months from the contract start,
 * strictly before the contract end (the final report is the acceptance dossier, L-18).
 * Each date is start + k·interval months (not chained), so month-end clamping never drifts.
 */
export function reportDueDates(contractStart: IsoDate, contractEnd: IsoDate, rs: RuleSet): IsoDate[] {
  requireDate('contractStart', contractStart);
  requireDate('contractEnd', contractEnd);
  requireInteger('reportIntervalMonths', rs.reportIntervalMonths, 1);
  const dates: IsoDate[] = [];
  for (let k = 1; ; k++) {
    const due = addMonths(contractStart, k * rs.reportIntervalMonths);
    if (compareDates(due, contractEnd) >= 0) return dates;
    dates.push(due);
  }
}

/**
 * L-13: the Department inspects at least `rs.inspectionsPerYear` times a year [R]:
 * one inspection due at the end of each period of 12 / inspectionsPerYear months
 * from the contract start, the last one no later than the contract end (so a task
 * shorter than a period is still inspected once).
 */
export function inspectionDueDates(contractStart: IsoDate, contractEnd: IsoDate, rs: RuleSet): IsoDate[] {
  requireDate('contractStart', contractStart);
  requireDate('contractEnd', contractEnd);
  requireInteger('inspectionsPerYear', rs.inspectionsPerYear, 1);
  const months = Math.max(1, Math.floor(12 / rs.inspectionsPerYear));
  const dates: IsoDate[] = [];
  for (let k = 1; ; k++) {
    const due = addMonths(contractStart, k * months);
    if (compareDates(due, contractEnd) >= 0) {
      if (dates.length === 0 || compareDates(dates[dates.length - 1]!, contractEnd) < 0) dates.push(contractEnd);
      return dates;
    }
    dates.push(due);
  }
}

/** The officer is reminded early enough to give the host its notice (L-13: ≥ N working days), plus a working week. */
export function inspectionReminderDate(due: IsoDate, rs: RuleSet): IsoDate {
  return workingDaysBefore(due, rs.inspectionNoticeWorkingDays + 5);
}

/** Reminder `rs.reminderDaysBefore` calendar days before a due date [D]. */
export function reminderDate(due: IsoDate, rs: RuleSet): IsoDate {
  return addDays(due, -rs.reminderDaysBefore);
}

// ─── Stage deadlines ─────────────────────────────────────────────────────────────────

/** L-5: dossiers are opened within `rs.dossierOpeningWorkingDays` working days after the call closes [R]. */
export function dossierOpeningDue(callClosesOn: IsoDate, rs: RuleSet): IsoDate {
  return addWorkingDays(callClosesOn, rs.dossierOpeningWorkingDays);
}

/** L-8: host and PI revise the proposal within `rs.revisionWorkingDays` working days of selection [D]. */
export function revisionDue(selectedOn: IsoDate, rs: RuleSet): IsoDate {
  return addWorkingDays(selectedOn, rs.revisionWorkingDays);
}

/** L-11: the contract is signed within `rs.contractSigningDays` calendar days of approval [D]. */
export function contractSigningDue(approvedOn: IsoDate, rs: RuleSet): IsoDate {
  return addDays(approvedOn, rs.contractSigningDays);
}

/** L-14: an adjustment request is decided within `rs.adjustmentDecisionDays` calendar days [R]. */
export function adjustmentDecisionDue(requestedOn: IsoDate, rs: RuleSet): IsoDate {
  return addDays(requestedOn, rs.adjustmentDecisionDays);
}

/**
 * L-18: the acceptance dossier is due within `rs.acceptanceDossierDays` calendar days
 * after the contract end — pass the end including extensions [V]. Earlier is allowed.
 */
export function acceptanceDossierDue(contractEnd: IsoDate, rs: RuleSet): IsoDate {
  return addDays(contractEnd, rs.acceptanceDossierDays);
}

/** L-19: the Department answers on completeness within `rs.completenessWorkingDays` working days [V]. */
export function completenessDue(submittedOn: IsoDate, rs: RuleSet): IsoDate {
  return addWorkingDays(submittedOn, rs.completenessWorkingDays);
}

/** L-19: the acceptance council is formed within `rs.acceptanceCouncilFormingWorkingDays` working days of a complete dossier [V]. */
export function acceptanceCouncilFormingDue(completeOn: IsoDate, rs: RuleSet): IsoDate {
  return addWorkingDays(completeOn, rs.acceptanceCouncilFormingWorkingDays);
}

/** L-19: the council meets within `rs.acceptanceMeetingDays` calendar days of the decision forming it [V]. */
export function acceptanceMeetingDue(councilFormedOn: IsoDate, rs: RuleSet): IsoDate {
  return addDays(councilFormedOn, rs.acceptanceMeetingDays);
}

/** L-22: results are registered within `rs.registrationDays` calendar days of acceptance [V]. */
export function registrationDue(acceptedOn: IsoDate, rs: RuleSet): IsoDate {
  return addDays(acceptedOn, rs.registrationDays);
}

/** T-2: last day for the host's observations on a Department-initiated termination [D]. */
export function observationWindowEnd(proposedOn: IsoDate, rs: RuleSet): IsoDate {
  return addDays(proposedOn, rs.terminationObservationDays);
}

/** T-1: remedy deadline of a suspension: the notice's own period, else `rs.defaultRemedyDays` [D]. */
export function remedyDue(suspendedOn: IsoDate, rs: RuleSet, days?: number): IsoDate {
  const period = days ?? rs.defaultRemedyDays;
  requireInteger('remedy days', period, 1);
  return addDays(suspendedOn, period);
}

/** T-1: calendar days a task stayed suspended (resumedOn − suspendedOn). */
export function pausedDays(suspendedOn: IsoDate, resumedOn: IsoDate): number {
  const days = daysBetween(suspendedOn, resumedOn);
  if (days < 0) throw new RangeError(`resumedOn ${resumedOn} is before suspendedOn ${suspendedOn}`);
  return days;
}

/** T-1: on resumption every running deadline moves later by the paused days. */
export function shiftDate(d: IsoDate, days: number): IsoDate {
  requireInteger('shift days', days, 0);
  return addDays(d, days);
}

// ─── Refusals ────────────────────────────────────────────────────────────────────────

/** L-4: the call window closes after it opens and stays open ≥ `rs.callWindowMinDays` days [R]. */
export function callWindowRefusal(opensOn: IsoDate, closesOn: IsoDate, rs: RuleSet): Refusal | null {
  const days = daysBetween(opensOn, closesOn);
  const min = rs.callWindowMinDays;
  if (days <= 0) {
    return {
      code: 'CALL_WINDOW_INVALID',
      rule: 'L-4',
      message: {
        vi: `Ngày kết thúc nhận hồ sơ (${closesOn}) phải sau ngày bắt đầu nhận hồ sơ (${opensOn}) (L-4).`,
        en: `The call must close (${closesOn}) after it opens (${opensOn}) (L-4).`,
      },
    };
  }
  if (days < min) {
    return {
      code: 'CALL_WINDOW_TOO_SHORT',
      rule: 'L-4',
      message: {
        vi: `Thời hạn nhận hồ sơ phải kéo dài ít nhất ${min} ngày; từ ${opensOn} đến ${closesOn} chỉ có ${days} ngày (L-4).`,
        en: `The call must stay open for at least ${min} days; ${opensOn} to ${closesOn} is only ${days} days (L-4).`,
      },
    };
  }
  return null;
}

/**
 * L-13: the host is notified ≥ `rs.inspectionNoticeWorkingDays` working days ahead [R]:
 * the inspection may take place on `addWorkingDays(noticeOn, N)` or later (notice on
 * Monday 2026-03-02 with N = 5 allows Monday 2026-03-09, not Friday 2026-03-06).
 */
export function inspectionNoticeRefusal(noticeOn: IsoDate, inspectionOn: IsoDate, rs: RuleSet): Refusal | null {
  const min = rs.inspectionNoticeWorkingDays;
  if (compareDates(inspectionOn, noticeOn) <= 0) {
    return {
      code: 'INSPECTION_NOTICE_INVALID',
      rule: 'L-13',
      message: {
        vi: `Ngày kiểm tra (${inspectionOn}) phải sau ngày thông báo (${noticeOn}) (L-13).`,
        en: `The inspection (${inspectionOn}) must come after the notice (${noticeOn}) (L-13).`,
      },
    };
  }
  const ahead = workingDaysBetween(noticeOn, inspectionOn);
  if (ahead < min) {
    const earliest = addWorkingDays(noticeOn, min);
    return {
      code: 'INSPECTION_NOTICE_TOO_SHORT',
      rule: 'L-13',
      message: {
        vi:
          `Tổ chức chủ trì phải được thông báo trước ít nhất ${min} ngày làm việc; thông báo ngày ${noticeOn} ` +
          `cho buổi kiểm tra ngày ${inspectionOn} chỉ trước ${ahead} ngày làm việc, ngày kiểm tra sớm nhất là ${earliest} (L-13).`,
        en:
          `The host must be notified at least ${min} working days ahead; a notice on ${noticeOn} for an inspection on ` +
          `${inspectionOn} gives only ${ahead} working days; the earliest inspection date is ${earliest} (L-13).`,
      },
    };
  }
  return null;
}

/**
 * an extension (gia hạn) is granted at most `rs.extension.maxCount` times; it lasts
 * 1 … cap whole months, the cap being `longTaskCapMonths` for tasks of
 * ≥ `longTaskMinMonths` months (original duration) and `shortTaskCapMonths` otherwise;
 * and it is requested ≥ `requestMinDaysBeforeEnd` calendar days before the contract end
 * (exactly 60 days before is in time). Checks run in that order; the first refusal wins.
 */
export function extensionRefusal(
  request: { requestedOn: IsoDate; months: number },
  task: { durationMonths: number; contractEnd: IsoDate; extensionsGranted: number },
  rs: RuleSet,
): Refusal | null {
  requireDate('requestedOn', request.requestedOn);
  requireDate('contractEnd', task.contractEnd);
  requireInteger('durationMonths', task.durationMonths, 1);
  requireInteger('extensionsGranted', task.extensionsGranted, 0);
  const x = rs.extension;

  if (task.extensionsGranted >= x.maxCount) {
    return {
      code: 'EXTENSION_ALREADY_GRANTED',
      rule: 'A-3',
      message: {
        vi: `Mỗi nhiệm vụ chỉ được gia hạn tối đa ${x.maxCount} lần; nhiệm vụ này đã được gia hạn ${task.extensionsGranted} lần (A-3).`,
        en: `A task may be extended at most ${x.maxCount} time(s); this task has already been extended ${task.extensionsGranted} time(s) (A-3).`,
      },
    };
  }

  const long = task.durationMonths >= x.longTaskMinMonths;
  const cap = long ? x.longTaskCapMonths : x.shortTaskCapMonths;
  if (!Number.isSafeInteger(request.months) || request.months < 1) {
    return {
      code: 'EXTENSION_INVALID',
      rule: 'A-3',
      message: {
        vi: `Thời gian gia hạn phải là số tháng nguyên, từ 1 đến ${cap} tháng; đề nghị ${request.months} tháng không hợp lệ (A-3).`,
        en: `An extension must be a whole number of months from 1 to ${cap}; ${request.months} month(s) is not valid (A-3).`,
      },
    };
  }
  if (request.months > cap) {
    const band = long
      ? { vi: `từ ${x.longTaskMinMonths} tháng trở lên`, en: `of ${x.longTaskMinMonths} months or more` }
      : { vi: `dưới ${x.longTaskMinMonths} tháng`, en: `of less than ${x.longTaskMinMonths} months` };
    return {
      code: 'EXTENSION_TOO_LONG',
      rule: 'A-3',
      message: {
        vi:
          `Nhiệm vụ có thời gian thực hiện ${task.durationMonths} tháng (${band.vi}) chỉ được gia hạn tối đa ${cap} tháng; ` +
          `đề nghị gia hạn ${request.months} tháng vượt quá mức cho phép (A-3).`,
        en:
          `A task of ${task.durationMonths} months (${band.en}) may be extended by at most ${cap} months; ` +
          `the requested ${request.months} months exceed that (A-3).`,
      },
    };
  }

  const daysLeft = daysBetween(request.requestedOn, task.contractEnd);
  const minDays = x.requestMinDaysBeforeEnd;
  if (daysLeft < minDays) {
    const late =
      daysLeft >= 0
        ? { vi: `chỉ còn ${daysLeft} ngày`, en: `only ${daysLeft} days before it` }
        : { vi: `đã quá ngày kết thúc hợp đồng ${-daysLeft} ngày`, en: `${-daysLeft} days after it` };
    return {
      code: 'EXTENSION_TOO_LATE',
      rule: 'A-3',
      message: {
        vi:
          `Đề nghị gia hạn phải được gửi ít nhất ${minDays} ngày trước ngày kết thúc hợp đồng ${task.contractEnd}; ` +
          `đề nghị gửi ngày ${request.requestedOn} ${late.vi} (A-3).`,
        en:
          `An extension must be requested at least ${minDays} days before the contract end date ${task.contractEnd}; ` +
          `the request of ${request.requestedOn} comes ${late.en} (A-3).`,
      },
    };
  }
  return null;
}
