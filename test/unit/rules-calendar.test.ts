import {
  FALLBACK_FIXED_HOLIDAYS,
  PUBLIC_HOLIDAYS,
  SWAPPED_WORKING_DAYS,
  addDays,
  addMonths,
  addWorkingDays,
  calendarCovers,
  compareDates,
  dayOfWeek,
  daysBetween,
  endOfVnDay,
  isValidIsoDate,
  isWorkingDay,
  maxDate,
  minDate,
  nextWorkingDayOnOrAfter,
  startOfVnDay,
  vnDateOf,
  workingDaysBetween,
} from '../../workflows/rules/calendar';

const SATURDAY = 6;
const SUNDAY = 0;

describe('holiday data (the calendar is data, per year)', () => {
  const years = Object.keys(PUBLIC_HOLIDAYS).map(Number);

  test('covers 2025, 2026 and 2027, with a swap list for each', () => {
    expect(years).toEqual([2025, 2026, 2027]);
    expect(Object.keys(SWAPPED_WORKING_DAYS).map(Number)).toEqual(years);
    for (const y of years) expect(calendarCovers(y)).toBe(true);
    expect(calendarCovers(2024)).toBe(false);
    expect(calendarCovers(2030)).toBe(false);
  });

  test.each(years)('%i: every day off is a valid weekday of that year, listed once and in order', (y) => {
    const days = PUBLIC_HOLIDAYS[y];
    expect([...days].sort()).toEqual(days);
    expect(new Set(days).size).toBe(days.length);
    for (const d of days) {
      expect(isValidIsoDate(d)).toBe(true);
      expect(d.startsWith(`${y}-`)).toBe(true);
      expect([SATURDAY, SUNDAY]).not.toContain(dayOfWeek(d));
    }
  });

  test.each(years)('%i: every swapped working day is a Saturday of that year', (y) => {
    for (const d of SWAPPED_WORKING_DAYS[y]) {
      expect(d.startsWith(`${y}-`)).toBe(true);
      expect(dayOfWeek(d)).toBe(SATURDAY);
      expect(isWorkingDay(d)).toBe(true);
    }
  });

  test.each(years)('%i: each fixed solar holiday on a weekday is a day off', (y) => {
    for (const md of FALLBACK_FIXED_HOLIDAYS) {
      const d = `${y}-${md}`;
      if (![SATURDAY, SUNDAY].includes(dayOfWeek(d))) expect(PUBLIC_HOLIDAYS[y]).toContain(d);
    }
  });

  test('each covered year gives five Tết working days off, as the Labour Code sets', () => {
    const tet = { 2025: ['2025-01-20', '2025-02-10'], 2026: ['2026-02-09', '2026-03-02'], 2027: ['2027-01-28', '2027-02-20'] };
    for (const [y, [from, to]] of Object.entries(tet)) {
      const inBlock = PUBLIC_HOLIDAYS[Number(y)].filter((d) => d >= from && d <= to);
      expect(inBlock).toHaveLength(5);
    }
  });

  test('the data cannot be changed at run time', () => {
    expect(Object.isFrozen(PUBLIC_HOLIDAYS)).toBe(true);
    expect(Object.isFrozen(PUBLIC_HOLIDAYS[2026])).toBe(true);
    expect(Object.isFrozen(SWAPPED_WORKING_DAYS[2025])).toBe(true);
  });
});

describe('isWorkingDay / addWorkingDays (domain.md §2 working days)', () => {
  test('Tết Bính Ngọ 2026: Sat 14/2 – Sun 22/2 are all days off', () => {
    expect(isWorkingDay('2026-02-13')).toBe(true);
    for (let d = '2026-02-14'; d <= '2026-02-22'; d = addDays(d, 1)) expect(isWorkingDay(d)).toBe(false);
    expect(isWorkingDay('2026-02-23')).toBe(true);
  });

  test('one working day after Friday 2026-02-13 is Monday 2026-02-23 (Tết and two weekends skipped)', () => {
    expect(addWorkingDays('2026-02-13', 1)).toBe('2026-02-23');
    expect(addWorkingDays('2026-02-12', 3)).toBe('2026-02-24');
    expect(workingDaysBetween('2026-02-13', '2026-02-23')).toBe(1);
    expect(workingDaysBetween('2026-02-13', '2026-02-22')).toBe(0);
  });

  test('a plain weekend: Friday + 1 = Monday; Saturday + 1 = Monday; Sunday + 5 = next Friday', () => {
    expect(addWorkingDays('2026-03-06', 1)).toBe('2026-03-09');
    expect(addWorkingDays('2026-03-07', 1)).toBe('2026-03-09');
    expect(addWorkingDays('2026-03-08', 5)).toBe('2026-03-13');
    expect(addWorkingDays('2026-03-02', 5)).toBe('2026-03-09');
  });

  test('n = 0 returns the date itself, working day or not', () => {
    expect(addWorkingDays('2026-03-06', 0)).toBe('2026-03-06');
    expect(addWorkingDays('2026-03-07', 0)).toBe('2026-03-07');
    expect(nextWorkingDayOnOrAfter('2026-03-07')).toBe('2026-03-09');
    expect(nextWorkingDayOnOrAfter('2026-03-06')).toBe('2026-03-06');
    expect(nextWorkingDayOnOrAfter('2026-02-14')).toBe('2026-02-23');
  });

  test('30/4 – 1/5 2026 (Thu–Fri) and the Hùng Kings compensation day Mon 27/4', () => {
    expect(isWorkingDay('2026-04-26')).toBe(false); // Sunday, Giỗ Tổ itself
    expect(isWorkingDay('2026-04-27')).toBe(false); // compensation
    expect(isWorkingDay('2026-04-28')).toBe(true);
    expect(isWorkingDay('2026-04-30')).toBe(false);
    expect(isWorkingDay('2026-05-01')).toBe(false);
    expect(addWorkingDays('2026-04-24', 1)).toBe('2026-04-28');
    expect(addWorkingDays('2026-04-29', 1)).toBe('2026-05-04');
    expect(addWorkingDays('2026-04-24', 5)).toBe('2026-05-06');
  });

  test('30/4 – 1/5 2025 with the swap: Sat 26/4 is worked, Fri 2/5 is off', () => {
    expect(isWorkingDay('2025-04-26')).toBe(true);
    expect(isWorkingDay('2025-05-02')).toBe(false);
    expect(addWorkingDays('2025-04-25', 1)).toBe('2025-04-26');
    expect(addWorkingDays('2025-04-29', 1)).toBe('2025-05-05');
  });

  test('New Year 2026: Fri 2/1 off, swapped with Sat 10/1', () => {
    expect(isWorkingDay('2026-01-01')).toBe(false);
    expect(isWorkingDay('2026-01-02')).toBe(false);
    expect(isWorkingDay('2026-01-10')).toBe(true);
    expect(isWorkingDay('2026-01-17')).toBe(false);
    expect(addWorkingDays('2025-12-31', 1)).toBe('2026-01-05');
  });

  test('an ordinary Saturday and Sunday are not working days', () => {
    expect(isWorkingDay('2026-03-07')).toBe(false);
    expect(isWorkingDay('2026-03-08')).toBe(false);
  });

  test('a year outside the data falls back to weekends + 01-01, 30/4, 1/5, 2/9 and never crashes', () => {
    expect(calendarCovers(2030)).toBe(false);
    expect(isWorkingDay('2030-01-01')).toBe(false); // Tuesday
    expect(isWorkingDay('2030-04-30')).toBe(false); // Tuesday
    expect(isWorkingDay('2030-05-01')).toBe(false); // Wednesday
    expect(isWorkingDay('2030-09-02')).toBe(false); // Monday
    expect(isWorkingDay('2030-09-03')).toBe(true); // no adjacent day in the fallback
    expect(isWorkingDay('2030-02-04')).toBe(true); // Tết 2030 unknown to the fallback
    expect(addWorkingDays('2030-04-29', 1)).toBe('2030-05-02');
    // A five-year task that runs past the data still gets dates.
    const far = addWorkingDays('2027-12-28', 1300);
    expect(isValidIsoDate(far)).toBe(true);
    expect(workingDaysBetween('2027-12-28', far)).toBe(1300);
  });

  test('workingDaysBetween is the inverse of addWorkingDays over 2025–2028', () => {
    for (let d = '2025-01-01'; d <= '2028-12-31'; d = addDays(d, 17)) {
      for (const n of [0, 1, 3, 5, 10, 15]) {
        const end = addWorkingDays(d, n);
        expect(workingDaysBetween(d, end)).toBe(n);
        if (n > 0) expect(isWorkingDay(end)).toBe(true);
      }
    }
    expect(workingDaysBetween('2026-03-09', '2026-03-02')).toBe(-5);
  });

  test('a negative or fractional count, or an invalid date, is a RangeError', () => {
    expect(() => addWorkingDays('2026-03-02', -1)).toThrow(RangeError);
    expect(() => addWorkingDays('2026-03-02', 1.5)).toThrow(RangeError);
    expect(() => isWorkingDay('2026-02-30')).toThrow(RangeError);
    expect(() => addDays('2026-3-2', 1)).toThrow(RangeError);
  });
});

describe('calendar arithmetic', () => {
  test('addDays forwards, backwards, across years and leap days', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2027-01-01', -1)).toBe('2026-12-31');
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2028-02-28', 2)).toBe('2028-03-01');
    expect(addDays('2100-02-28', 1)).toBe('2100-03-01');
    expect(addDays('2000-02-28', 1)).toBe('2000-02-29');
    expect(addDays('2026-01-15', 0)).toBe('2026-01-15');
  });

  test('addDays and dayOfWeek agree with Date.UTC for every day of 1969–2101', () => {
    const mismatches: string[] = [];
    let d = '1969-01-01';
    for (let ms = Date.UTC(1969, 0, 1); ms <= Date.UTC(2101, 11, 31); ms += 86_400_000) {
      const utc = new Date(ms);
      if (d !== utc.toISOString().slice(0, 10) || dayOfWeek(d) !== utc.getUTCDay()) mismatches.push(d);
      d = addDays(d, 1);
    }
    expect(mismatches).toEqual([]);
    expect(d).toBe('2102-01-01');
  });

  test('addMonths clamps to the end of the month (2026-01-31 + 1 = 2026-02-28)', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2028-01-31', 1)).toBe('2028-02-29');
    expect(addMonths('2028-02-29', 12)).toBe('2029-02-28');
    expect(addMonths('2028-02-29', 48)).toBe('2032-02-29');
    expect(addMonths('2026-05-31', 1)).toBe('2026-06-30');
    expect(addMonths('2026-03-31', -1)).toBe('2026-02-28');
    expect(addMonths('2026-12-15', 1)).toBe('2027-01-15');
    expect(addMonths('2026-01-15', -1)).toBe('2025-12-15');
    expect(addMonths('2026-01-15', -13)).toBe('2024-12-15');
    expect(addMonths('2026-01-15', 0)).toBe('2026-01-15');
    expect(addMonths('2026-01-15', 24)).toBe('2028-01-15');
  });

  test('daysBetween is b − a, 365 or 366 days a year', () => {
    expect(daysBetween('2026-01-01', '2027-01-01')).toBe(365);
    expect(daysBetween('2028-01-01', '2029-01-01')).toBe(366);
    expect(daysBetween('2026-03-31', '2026-03-01')).toBe(-30);
    expect(daysBetween('2026-03-01', '2026-03-01')).toBe(0);
  });

  test('compareDates, maxDate, minDate', () => {
    expect(compareDates('2026-01-02', '2026-01-01')).toBe(1);
    expect(compareDates('2026-01-01', '2026-01-02')).toBe(-1);
    expect(compareDates('2026-01-01', '2026-01-01')).toBe(0);
    expect(['2027-01-01', '2025-12-31', '2026-06-30'].sort(compareDates)).toEqual(['2025-12-31', '2026-06-30', '2027-01-01']);
    expect(maxDate('2026-06-30', '2027-01-01', '2025-12-31')).toBe('2027-01-01');
    expect(minDate('2026-06-30', '2027-01-01', '2025-12-31')).toBe('2025-12-31');
    expect(maxDate('2026-06-30')).toBe('2026-06-30');
    expect(() => maxDate('2026-06-31')).toThrow(RangeError);
  });

  test('isValidIsoDate accepts only real YYYY-MM-DD dates', () => {
    expect(isValidIsoDate('2028-02-29')).toBe(true);
    expect(isValidIsoDate('2026-02-29')).toBe(false);
    expect(isValidIsoDate('2100-02-29')).toBe(false);
    expect(isValidIsoDate('2000-02-29')).toBe(true);
    expect(isValidIsoDate('2026-04-31')).toBe(false);
    expect(isValidIsoDate('2026-13-01')).toBe(false);
    expect(isValidIsoDate('2026-00-10')).toBe(false);
    expect(isValidIsoDate('2026-1-01')).toBe(false);
    expect(isValidIsoDate('2026-01-01T00:00:00Z')).toBe(false);
    expect(isValidIsoDate('0000-01-01')).toBe(false);
    expect(isValidIsoDate('')).toBe(false);
    expect(isValidIsoDate(20260101 as unknown as string)).toBe(false);
  });
});

describe('timestamps ↔ Vietnam dates (UTC+07:00)', () => {
  test('vnDateOf across UTC midnight and Vietnam midnight', () => {
    expect(vnDateOf('2026-11-23T18:30:00.000Z')).toBe('2026-11-24');
    expect(vnDateOf('2026-11-23T16:59:59.999Z')).toBe('2026-11-23');
    expect(vnDateOf('2026-11-23T17:00:00.000Z')).toBe('2026-11-24');
    expect(vnDateOf('2026-11-24T00:00:00.000Z')).toBe('2026-11-24');
    expect(vnDateOf('2026-12-31T17:00:00Z')).toBe('2027-01-01');
    expect(vnDateOf('2028-02-28T17:00:00Z')).toBe('2028-02-29');
    expect(vnDateOf('2026-11-24T00:00:00+07:00')).toBe('2026-11-24');
    expect(vnDateOf('2026-11-23T23:59:59.999+07:00')).toBe('2026-11-23');
    expect(vnDateOf('2026-11-23T12:00-05:00')).toBe('2026-11-24');
  });

  test('a timestamp without an offset, or not a timestamp, is refused', () => {
    expect(() => vnDateOf('2026-11-23T18:30:00')).toThrow(RangeError);
    expect(() => vnDateOf('2026-11-23')).toThrow(RangeError);
    expect(() => vnDateOf('yesterday')).toThrow(RangeError);
    expect(() => vnDateOf('2026-13-23T18:30:00Z')).toThrow(RangeError);
  });

  test('startOfVnDay and endOfVnDay bound the Vietnam day', () => {
    expect(endOfVnDay('2026-11-24')).toBe('2026-11-24T16:59:59.999Z');
    expect(startOfVnDay('2026-11-24')).toBe('2026-11-23T17:00:00.000Z');
    expect(startOfVnDay('2027-01-01')).toBe('2026-12-31T17:00:00.000Z');
    expect(endOfVnDay('2028-02-29')).toBe('2028-02-29T16:59:59.999Z');
    for (const d of ['2026-01-01', '2026-11-24', '2027-12-31', '2028-02-29']) {
      expect(vnDateOf(startOfVnDay(d))).toBe(d);
      expect(vnDateOf(endOfVnDay(d))).toBe(d);
      expect(vnDateOf(new Date(Date.parse(endOfVnDay(d)) + 1).toISOString())).toBe(addDays(d, 1));
      expect(vnDateOf(new Date(Date.parse(startOfVnDay(d)) - 1).toISOString())).toBe(addDays(d, -1));
    }
  });

  test("results do not depend on the host's time zone", () => {
    const saved = process.env.TZ;
    try {
      process.env.TZ = 'America/Los_Angeles';
      expect(vnDateOf('2026-11-23T18:30:00.000Z')).toBe('2026-11-24');
      expect(endOfVnDay('2026-11-24')).toBe('2026-11-24T16:59:59.999Z');
      expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
      expect(dayOfWeek('2026-03-07')).toBe(SATURDAY);
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });
});
