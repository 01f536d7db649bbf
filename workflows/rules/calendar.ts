/**
 * Working-day calendar of Vietnam (domain.md §2: "Working days exclude weekends and
 * Vietnamese public holidays (the calendar is data, per year)").
 *
 * Pure and deterministic: runs inside Temporal workflow code. No clock, no time-zone
 * database, no I/O. A calendar date is an `IsoDate` string 'YYYY-MM-DD' meaning a date
 * in Vietnam (UTC+07:00, no daylight saving since 1975). Date arithmetic is integer
 * arithmetic on day numbers (days since 1970-01-01), so it never depends on the host's
 * time zone; timestamps are converted with an explicit +07:00 offset.
 *
 * Invalid input (a malformed date, a non-integer count) is a programming error: it
 * throws a RangeError. Validate user input at the API boundary with `isValidIsoDate`.
 */

export type IsoDate = string;

/*
 * ─── Holiday data ──────────────────────────────────────────────────────────────────
 *
 * Days off for public employees (cán bộ, công chức, viên chức: Saturday–Sunday weekly
 * rest) per Labour Code 2019 art. 112 (New Year 1 day; Tết Nguyên Đán 5 days; Hùng Kings'
 * day 10/3 lunar; 30/4; 1/5; National Day 2/9 plus one adjacent day), art. 111(3)
 * (a holiday falling on the weekly rest day is compensated on the next working day), and
 * the schedule the Prime Minister / Ministry of Home Affairs ANNOUNCES EACH YEAR, which
 * fixes the Tết block and may swap a working day with a Saturday.
 *
 * THIS DATA MUST BE CHECKED AND EXTENDED EVERY YEAR when the schedule is announced
 * (usually in the autumn of the previous year). A year missing from the data falls back
 * to weekends + the fixed solar holidays only (see FALLBACK_FIXED_HOLIDAYS); callers can
 * detect that with `calendarCovers(year)` and warn. Changing past data changes deadlines
 * of running workflows: only correct it to what was actually observed.
 *
 * A swapped day appears twice: the weekday given off is listed in PUBLIC_HOLIDAYS (it is
 * a day off like a holiday) and the Saturday worked in exchange in SWAPPED_WORKING_DAYS.
 *
 * Sources and confidence (from the engineer's knowledge and press reports of the
 * announcements, not re-checked against the official texts):
 * - 2025 (announced; high confidence): New Year Wed 01/01; Tết Ất Tỵ Mon 27/01–Fri 31/01
 *   (block Sat 25/01–Sun 02/02); Hùng Kings Mon 07/04; 30/4 Wed, 1/5 Thu, and Fri 02/05
 *   given off in exchange for working Sat 26/04 (Ministry of Home Affairs notice);
 *   National Day Mon 01/09 + Tue 02/09.
 * - 2026 (announced; mostly confirmed by press reports): New Year Thu 01/01 plus Fri 02/01
 *   swapped with Sat 10/01 (Government Office letter 12729/VPCP-KGVX of 25/12/2025);
 *   Tết Bính Ngọ Mon 16/02–Fri 20/02 (block Sat 14/02–Sun 22/02, approved October 2025);
 *   Hùng Kings 10/3 lunar = Sun 26/04, compensated Mon 27/04; 30/4 Thu, 1/5 Fri.
 *   UNCERTAIN: National Day Wed 02/09 with the adjacent day taken as Tue 01/09; a
 *   five-day block with a swapped day was reported as proposed but its exact dates were
 *   not confirmed, so no swap is recorded. Check against the announcement.
 * - 2027 (NOT announced; expected schedule, low-to-medium confidence): New Year Fri 01/01;
 *   Tết Đinh Mùi falls on Sat 06/02 (lunar date computed): by the 2024 precedent (Tết
 *   on a Saturday) two days before and three after with weekend compensation, i.e.
 *   Thu 04/02–Wed 10/02; Hùng Kings 10/3 lunar = Fri 16/04 (computed); 30/4 Fri, 1/5 Sat
 *   compensated Mon 03/05; National Day Thu 02/09 + Fri 03/09 (adjacent day expected).
 *   No swaps known.
 * - Not included: "Ngày Văn hóa Việt Nam" (24/11), which the Politburo agreed should
 *   become a paid day off; add it once a Labour Code amendment or decree brings it into
 *   force (2026-11-24 is a Tuesday, 2027-11-24 a Wednesday).
 */
export const PUBLIC_HOLIDAYS: Record<number, readonly IsoDate[]> = Object.freeze({
  2025: Object.freeze([
    '2025-01-01', // Tết Dương lịch
    '2025-01-27', '2025-01-28', '2025-01-29', '2025-01-30', '2025-01-31', // Tết Ất Tỵ (28 tháng Chạp – mùng 3)
    '2025-04-07', // Giỗ Tổ Hùng Vương (10/3 âm lịch)
    '2025-04-30', '2025-05-01', // Giải phóng miền Nam; Quốc tế Lao động
    '2025-05-02', // swapped: worked on Sat 2025-04-26
    '2025-09-01', '2025-09-02', // Quốc khánh + the adjacent day before
  ]),
  2026: Object.freeze([
    '2026-01-01', // Tết Dương lịch
    '2026-01-02', // swapped: worked on Sat 2026-01-10
    '2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20', // Tết Bính Ngọ (29 tháng Chạp – mùng 4)
    '2026-04-27', // Giỗ Tổ Hùng Vương falls on Sun 26/04: compensated
    '2026-04-30', '2026-05-01',
    '2026-09-01', '2026-09-02', // Quốc khánh + adjacent day (UNCERTAIN, see above)
  ]),
  2027: Object.freeze([
    '2027-01-01', // Tết Dương lịch
    '2027-02-04', '2027-02-05', '2027-02-08', '2027-02-09', '2027-02-10', // Tết Đinh Mùi (EXPECTED)
    '2027-04-16', // Giỗ Tổ Hùng Vương (10/3 âm lịch, computed)
    '2027-04-30',
    '2027-05-03', // 1/5 falls on Sat: compensated
    '2027-09-02', '2027-09-03', // Quốc khánh + adjacent day (EXPECTED)
  ]),
});

/** Saturdays made working days by an announced swap (see PUBLIC_HOLIDAYS for sources). */
export const SWAPPED_WORKING_DAYS: Record<number, readonly IsoDate[]> = Object.freeze({
  2025: Object.freeze(['2025-04-26']),
  2026: Object.freeze(['2026-01-10']),
  2027: Object.freeze([]),
});

/** Solar holidays that exist every year; used alone for a year missing from the data (no compensation days). */
export const FALLBACK_FIXED_HOLIDAYS: readonly string[] = Object.freeze(['01-01', '04-30', '05-01', '09-02']);

/** Whether the holiday data covers `year`; when false, working days are approximate (weekends + fixed solar holidays). */
export function calendarCovers(year: number): boolean {
  return Object.prototype.hasOwnProperty.call(PUBLIC_HOLIDAYS, year);
}

// ─── Day numbers ─────────────────────────────────────────────────────────────────────

const MS_PER_DAY = 86_400_000;
const VN_OFFSET_MS = 7 * 3_600_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** A timestamp must carry its offset: without one, Date.parse would read it in the host's zone. */
const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function daysInMonth(y: number, m: number): number {
  return m === 2 ? (isLeapYear(y) ? 29 : 28) : [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Inverse of daysFromCivil. */
function civilFromDays(days: number): [number, number, number] {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

function parts(d: IsoDate): [number, number, number] {
  const match = typeof d === 'string' ? ISO_DATE.exec(d) : null;
  if (match) {
    const y = Number(match[1]);
    const m = Number(match[2]);
    const day = Number(match[3]);
    if (y >= 1 && m >= 1 && m <= 12 && day >= 1 && day <= daysInMonth(y, m)) return [y, m, day];
  }
  throw new RangeError(`Not a calendar date 'YYYY-MM-DD': ${JSON.stringify(d)}`);
}

function toDayNumber(d: IsoDate): number {
  const [y, m, day] = parts(d);
  return daysFromCivil(y, m, day);
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

function format(y: number, m: number, d: number): IsoDate {
  if (y < 1 || y > 9999) throw new RangeError(`Date out of range (years 0001–9999): ${y}-${m}-${d}`);
  return `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`;
}

function fromDayNumber(days: number): IsoDate {
  return format(...civilFromDays(days));
}

function requireInteger(name: string, n: number, min = Number.MIN_SAFE_INTEGER): void {
  if (!Number.isSafeInteger(n) || n < min) {
    throw new RangeError(`${name} must be an integer${min > Number.MIN_SAFE_INTEGER ? ` ≥ ${min}` : ''}: ${n}`);
  }
}

// ─── Holiday lookup ──────────────────────────────────────────────────────────────────

const HOLIDAY_SET: ReadonlySet<IsoDate> = new Set(Object.values(PUBLIC_HOLIDAYS).flat());
const SWAPPED_SET: ReadonlySet<IsoDate> = new Set(Object.values(SWAPPED_WORKING_DAYS).flat());

/** 'YYYY-MM-DD' is a valid Gregorian date (years 0001–9999). */
export function isValidIsoDate(s: string): boolean {
  try {
    parts(s);
    return true;
  } catch {
    return false;
  }
}

/** Day of the week: 0 = Sunday … 6 = Saturday. */
export function dayOfWeek(d: IsoDate): number {
  // 1970-01-01 was a Thursday (4).
  return (((toDayNumber(d) + 4) % 7) + 7) % 7;
}

/** A day public employees work: Monday–Friday that is not a holiday, or a Saturday made working by a swap. */
export function isWorkingDay(d: IsoDate): boolean {
  const [y, m, day] = parts(d);
  const dow = dayOfWeek(d);
  if (calendarCovers(y)) {
    if (SWAPPED_SET.has(d)) return true;
    return dow !== 0 && dow !== 6 && !HOLIDAY_SET.has(d);
  }
  return dow !== 0 && dow !== 6 && !FALLBACK_FIXED_HOLIDAYS.includes(`${pad(m, 2)}-${pad(day, 2)}`);
}

/**
 * The date that is `n` working days after `d`, counting from the day after `d`
 * ("within n working days after d" ends on this date). `d` itself never counts, even
 * when it is a working day; n = 0 returns `d` unchanged.
 * Example: Friday 2026-02-13 + 1 = Monday 2026-02-23 (Tết Bính Ngọ in between).
 */
export function addWorkingDays(d: IsoDate, n: number): IsoDate {
  requireInteger('n', n, 0);
  let day = toDayNumber(d);
  let left = n;
  while (left > 0) {
    day += 1;
    if (isWorkingDay(fromDayNumber(day))) left -= 1;
  }
  return fromDayNumber(day);
}

/** The working day `n` working days before `d` (n ≥ 0): `addWorkingDays` backwards. */
export function workingDaysBefore(d: IsoDate, n: number): IsoDate {
  requireInteger('n', n, 0);
  let day = toDayNumber(d);
  let left = n;
  while (left > 0) {
    day -= 1;
    if (isWorkingDay(fromDayNumber(day))) left -= 1;
  }
  return fromDayNumber(day);
}

/**
 * Working days in (a, b]: after `a`, up to and including `b` — so that
 * `workingDaysBetween(a, addWorkingDays(a, n)) === n`. Negative when b < a.
 */
export function workingDaysBetween(a: IsoDate, b: IsoDate): number {
  const from = toDayNumber(a);
  const to = toDayNumber(b);
  if (to < from) return -workingDaysBetween(b, a);
  let count = 0;
  for (let day = from + 1; day <= to; day++) if (isWorkingDay(fromDayNumber(day))) count++;
  return count;
}

/** `d` if it is a working day, else the next working day. */
export function nextWorkingDayOnOrAfter(d: IsoDate): IsoDate {
  return isWorkingDay(d) ? d : addWorkingDays(d, 1);
}

// ─── Calendar arithmetic ─────────────────────────────────────────────────────────────

/** `d` plus `n` calendar days (n may be negative). */
export function addDays(d: IsoDate, n: number): IsoDate {
  requireInteger('n', n);
  return fromDayNumber(toDayNumber(d) + n);
}

/**
 * `d` plus `n` calendar months (n may be negative), clamped to the end of the target
 * month: 2026-01-31 + 1 = 2026-02-28; 2028-01-31 + 1 = 2028-02-29.
 */
export function addMonths(d: IsoDate, n: number): IsoDate {
  requireInteger('n', n);
  const [y, m, day] = parts(d);
  const index = y * 12 + (m - 1) + n;
  const ny = Math.floor(index / 12);
  const nm = index - ny * 12 + 1;
  if (ny < 1 || ny > 9999) throw new RangeError(`Date out of range (years 0001–9999): ${d} + ${n} months`);
  return format(ny, nm, Math.min(day, daysInMonth(ny, nm)));
}

/** b − a in calendar days. */
export function daysBetween(a: IsoDate, b: IsoDate): number {
  return toDayNumber(b) - toDayNumber(a);
}

/** -1, 0 or 1 as a is before, on or after b (usable as a sort comparator). */
export function compareDates(a: IsoDate, b: IsoDate): number {
  return Math.sign(daysBetween(b, a));
}

/** The latest of the dates. */
export function maxDate(first: IsoDate, ...rest: IsoDate[]): IsoDate {
  parts(first);
  return rest.reduce((acc, d) => (compareDates(d, acc) > 0 ? d : acc), first);
}

/** The earliest of the dates. */
export function minDate(first: IsoDate, ...rest: IsoDate[]): IsoDate {
  parts(first);
  return rest.reduce((acc, d) => (compareDates(d, acc) < 0 ? d : acc), first);
}

// ─── Timestamps ↔ Vietnam dates ──────────────────────────────────────────────────────

/**
 * The date in Vietnam of an ISO-8601 timestamp with an explicit offset ('Z' or ±hh:mm),
 * e.g. '2026-11-23T18:30:00.000Z' → '2026-11-24'. A timestamp without an offset is
 * refused: it would be read in the host's time zone.
 */
export function vnDateOf(isoTimestamp: string): IsoDate {
  const ms = typeof isoTimestamp === 'string' && ISO_TIMESTAMP.test(isoTimestamp) ? Date.parse(isoTimestamp) : NaN;
  if (!Number.isFinite(ms)) throw new RangeError(`Not an ISO timestamp with an offset: ${JSON.stringify(isoTimestamp)}`);
  return fromDayNumber(Math.floor((ms + VN_OFFSET_MS) / MS_PER_DAY));
}

/** 00:00:00.000 of `d` in Vietnam, as an ISO UTC timestamp: '2026-11-24' → '2026-11-23T17:00:00.000Z'. */
export function startOfVnDay(d: IsoDate): string {
  return new Date(toDayNumber(d) * MS_PER_DAY - VN_OFFSET_MS).toISOString();
}

/** 23:59:59.999 of `d` in Vietnam, as an ISO UTC timestamp: '2026-11-24' → '2026-11-24T16:59:59.999Z'. */
export function endOfVnDay(d: IsoDate): string {
  return new Date((toDayNumber(d) + 1) * MS_PER_DAY - VN_OFFSET_MS - 1).toISOString();
}
