import { ruleSetFor, type RuleSet } from '../../workflows/rules/ruleset';
import { addMonths } from '../../workflows/rules/calendar';
import {
  acceptanceCouncilFormingDue,
  acceptanceDossierDue,
  acceptanceMeetingDue,
  adjustmentDecisionDue,
  callWindowRefusal,
  completenessDue,
  contractEndDate,
  contractSigningDue,
  dossierOpeningDue,
  extendedContractEnd,
  extensionRefusal,
  inspectionDueDates,
  inspectionNoticeRefusal,
  inspectionReminderDate,
  observationWindowEnd,
  pausedDays,
  registrationDue,
  reminderDate,
  remedyDue,
  reportDueDates,
  revisionDue,
  shiftDate,
  type Refusal,
} from '../../workflows/rules/deadlines';

const rs: RuleSet = ruleSetFor({ regime: 'LEGACY_2013', provinceProfile: 'default', version: '2026.1' });

function expectBilingual(r: Refusal | null, code: string, rule: string): Refusal {
  expect(r).not.toBeNull();
  const refusal = r as Refusal;
  expect(refusal.code).toBe(code);
  expect(refusal.rule).toBe(rule);
  expect(refusal.message.vi).toContain(`(${rule})`);
  expect(refusal.message.en).toContain(`(${rule})`);
  return refusal;
}

describe('contract period', () => {
  test('a 24-month contract starting 2026-01-15 ends 2028-01-14', () => {
    expect(contractEndDate('2026-01-15', 24)).toBe('2028-01-14');
    expect(contractEndDate('2026-01-01', 12)).toBe('2026-12-31');
    expect(contractEndDate('2026-03-01', 12)).toBe('2027-02-28');
    expect(contractEndDate('2027-03-01', 12)).toBe('2028-02-29');
  });

  test('when the start day does not exist in the last month, the contract ends on that month’s last day', () => {
    expect(contractEndDate('2026-01-31', 1)).toBe('2026-02-28');
    expect(contractEndDate('2028-01-30', 1)).toBe('2028-02-29');
    expect(contractEndDate('2028-02-29', 12)).toBe('2029-02-28');
    expect(contractEndDate('2026-01-28', 1)).toBe('2026-02-27');
  });

  test('A-3: an extension moves the end by whole months', () => {
    expect(extendedContractEnd('2027-12-31', 12)).toBe('2028-12-31');
    expect(extendedContractEnd('2027-06-30', 6)).toBe('2027-12-31');
    expect(extendedContractEnd('2028-01-14', 12)).toBe('2029-01-14');
    expect(() => extendedContractEnd('2027-12-31', 0)).toThrow(RangeError);
  });

  test('a duration below 1 month is a RangeError', () => {
    expect(() => contractEndDate('2026-01-15', 0)).toThrow(RangeError);
    expect(() => contractEndDate('2026-02-30', 12)).toThrow(RangeError);
  });
});

describe('L-13 periodic reports every 6 months, strictly before the contract end', () => {
  const start = '2026-01-15';
  test.each([
    [6, []],
    [12, ['2026-07-15']],
    [18, ['2026-07-15', '2027-01-15']],
    [24, ['2026-07-15', '2027-01-15', '2027-07-15']],
    [36, ['2026-07-15', '2027-01-15', '2027-07-15', '2028-01-15', '2028-07-15']],
  ])('L-13: a %i-month contract has its reports on %j', (months, expected) => {
    const end = contractEndDate(start, months as number);
    expect(reportDueDates(start, end, rs)).toEqual(expected);
  });

  test('L-13: a report due on the contract end itself is not asked for (the acceptance dossier replaces it)', () => {
    expect(reportDueDates('2026-01-15', '2026-07-15', rs)).toEqual([]);
    expect(reportDueDates('2026-01-15', '2026-07-16', rs)).toEqual(['2026-07-15']);
  });

  test('L-13: month-end starts do not drift (2026-08-31 → 02-28, 08-31, 2028-02-29)', () => {
    const end = contractEndDate('2026-08-31', 24);
    expect(end).toBe('2028-08-30');
    expect(reportDueDates('2026-08-31', end, rs)).toEqual(['2027-02-28', '2027-08-31', '2028-02-29']);
  });

  test('L-13 + A-3: a 12-month extension of a 24-month task adds two reports', () => {
    const end = extendedContractEnd(contractEndDate(start, 24), 12);
    expect(end).toBe('2029-01-14');
    expect(reportDueDates(start, end, rs)).toHaveLength(5);
  });

  test('L-13: the interval comes from the rule-set', () => {
    const quarterly: RuleSet = { ...rs, reportIntervalMonths: 3 };
    expect(reportDueDates(start, contractEndDate(start, 12), quarterly)).toEqual(['2026-04-15', '2026-07-15', '2026-10-15']);
  });

  test('reminders come rs.reminderDaysBefore (7) days before a due date', () => {
    expect(reminderDate('2026-07-15', rs)).toBe('2026-07-08');
    expect(reminderDate('2027-01-03', rs)).toBe('2026-12-27');
  });
});

describe('stage deadlines', () => {
  test('L-5: dossiers opened 10 working days after a call closing on 2026-02-10 (across Tết) → 2026-03-03', () => {
    expect(dossierOpeningDue('2026-02-10', rs)).toBe('2026-03-03');
  });

  test('L-8: proposal revised 15 working days after selection on Fri 2026-02-06 (across Tết) → 2026-03-06', () => {
    expect(revisionDue('2026-02-06', rs)).toBe('2026-03-06');
  });

  test('L-11: contract signed 30 calendar days after approval', () => {
    expect(contractSigningDue('2026-03-10', rs)).toBe('2026-04-09');
    expect(contractSigningDue('2026-02-10', rs)).toBe('2026-03-12');
  });

  test('L-14: adjustment decided within 15 calendar days, across the year end', () => {
    expect(adjustmentDecisionDue('2026-12-20', rs)).toBe('2027-01-04');
  });

  test('L-18: acceptance dossier ≤ 30 days after the contract end (extensions included)', () => {
    expect(acceptanceDossierDue('2027-12-31', rs)).toBe('2028-01-30');
    expect(acceptanceDossierDue(extendedContractEnd('2027-12-31', 12), rs)).toBe('2029-01-30');
  });

  test('L-19: completeness answer within 3 working days, across 30/4 – 1/5 2026', () => {
    expect(completenessDue('2026-04-28', rs)).toBe('2026-05-05');
  });

  test('L-19: council formed within 15 working days of a complete dossier, across National Day 2026', () => {
    expect(acceptanceCouncilFormingDue('2026-08-21', rs)).toBe('2026-09-15');
  });

  test('L-19: meeting within 30 days of the decision forming the council', () => {
    expect(acceptanceMeetingDue('2026-09-15', rs)).toBe('2026-10-15');
  });

  test('L-22: results registered within 30 days of acceptance', () => {
    expect(registrationDue('2026-10-20', rs)).toBe('2026-11-19');
  });

  test('T-2: the host has 30 days for observations on a Department-initiated termination', () => {
    expect(observationWindowEnd('2026-06-01', rs)).toBe('2026-07-01');
  });

  test('T-1: remedy deadline from the notice, else the rule-set default (60 days)', () => {
    expect(remedyDue('2026-06-01', rs)).toBe('2026-07-31');
    expect(remedyDue('2026-06-01', rs, 45)).toBe('2026-07-16');
    expect(() => remedyDue('2026-06-01', rs, 0)).toThrow(RangeError);
  });

  test('T-1: on resumption every running deadline shifts by the paused days', () => {
    const paused = pausedDays('2026-06-01', '2026-07-11');
    expect(paused).toBe(40);
    expect(shiftDate('2026-07-15', paused)).toBe('2026-08-24');
    expect(shiftDate('2027-12-31', paused)).toBe('2028-02-09');
    expect(shiftDate('2026-07-15', 0)).toBe('2026-07-15');
    expect(() => shiftDate('2026-07-15', -1)).toThrow(RangeError);
    expect(() => pausedDays('2026-07-11', '2026-06-01')).toThrow(RangeError);
  });
});

describe('L-4 call window ≥ 30 days', () => {
  test('L-4: 30 days is allowed', () => {
    expect(callWindowRefusal('2026-03-01', '2026-03-31', rs)).toBeNull();
    expect(callWindowRefusal('2026-02-01', '2026-03-03', rs)).toBeNull();
  });

  test('L-4: 29 days is refused, naming both numbers', () => {
    const r = expectBilingual(callWindowRefusal('2026-03-01', '2026-03-30', rs), 'CALL_WINDOW_TOO_SHORT', 'L-4');
    expect(r.message.vi).toContain('ít nhất 30 ngày');
    expect(r.message.vi).toContain('chỉ có 29 ngày');
    expect(r.message.en).toContain('at least 30 days');
  });

  test('L-4: a window that closes on or before its opening is invalid', () => {
    expectBilingual(callWindowRefusal('2026-03-01', '2026-03-01', rs), 'CALL_WINDOW_INVALID', 'L-4');
    expectBilingual(callWindowRefusal('2026-03-31', '2026-03-01', rs), 'CALL_WINDOW_INVALID', 'L-4');
  });
});

describe('L-13 inspection notice ≥ 5 working days', () => {
  test('L-13: notice Monday 2026-03-02, inspection Monday 2026-03-09 (5 working days) is allowed', () => {
    expect(inspectionNoticeRefusal('2026-03-02', '2026-03-09', rs)).toBeNull();
  });

  test('L-13: inspection Friday 2026-03-06 (4 working days) is refused with the earliest date', () => {
    const r = expectBilingual(inspectionNoticeRefusal('2026-03-02', '2026-03-06', rs), 'INSPECTION_NOTICE_TOO_SHORT', 'L-13');
    expect(r.message.vi).toContain('ít nhất 5 ngày làm việc');
    expect(r.message.vi).toContain('chỉ trước 4 ngày làm việc');
    expect(r.message.vi).toContain('2026-03-09');
  });

  test('L-13: holidays do not count (notice Fri 2026-04-24: earliest inspection Wed 2026-05-06)', () => {
    expect(inspectionNoticeRefusal('2026-04-24', '2026-05-06', rs)).toBeNull();
    expectBilingual(inspectionNoticeRefusal('2026-04-24', '2026-05-05', rs), 'INSPECTION_NOTICE_TOO_SHORT', 'L-13');
  });

  test('L-13: an inspection on or before the notice is invalid', () => {
    expectBilingual(inspectionNoticeRefusal('2026-03-02', '2026-03-02', rs), 'INSPECTION_NOTICE_INVALID', 'L-13');
  });
});

describe('A-3 extension: once, ≤ 12 months (tasks ≥ 24 months) else ≤ 6, requested ≥ 60 days before the end', () => {
  const task24 = { durationMonths: 24, contractEnd: '2027-12-31', extensionsGranted: 0 };
  const task18 = { durationMonths: 18, contractEnd: '2027-12-31', extensionsGranted: 0 };
  const inTime = '2027-09-01';

  test('A-3: requested exactly 60 days before the end is allowed', () => {
    expect(extensionRefusal({ requestedOn: '2027-11-01', months: 12 }, task24, rs)).toBeNull();
  });

  test('A-3: requested 59 days before the end is refused, naming 60 days and the end date', () => {
    const r = expectBilingual(extensionRefusal({ requestedOn: '2027-11-02', months: 12 }, task24, rs), 'EXTENSION_TOO_LATE', 'A-3');
    expect(r.message.vi).toContain('ít nhất 60 ngày trước ngày kết thúc hợp đồng 2027-12-31');
    expect(r.message.vi).toContain('chỉ còn 59 ngày');
    expect(r.message.en).toContain('at least 60 days before the contract end date 2027-12-31');
  });

  test('A-3: requested after the end is refused as late', () => {
    const r = expectBilingual(extensionRefusal({ requestedOn: '2028-01-05', months: 3 }, task24, rs), 'EXTENSION_TOO_LATE', 'A-3');
    expect(r.message.vi).toContain('đã quá ngày kết thúc hợp đồng 5 ngày');
  });

  test('A-3: 12 months for a 24-month task is allowed; 13 is refused', () => {
    expect(extensionRefusal({ requestedOn: inTime, months: 12 }, task24, rs)).toBeNull();
    const r = expectBilingual(extensionRefusal({ requestedOn: inTime, months: 13 }, task24, rs), 'EXTENSION_TOO_LONG', 'A-3');
    expect(r.message.vi).toContain('tối đa 12 tháng');
    expect(r.message.vi).toContain('từ 24 tháng trở lên');
    expect(r.message.en).toContain('at most 12 months');
  });

  test('A-3: 6 months for an 18-month task is allowed; 7 is refused', () => {
    expect(extensionRefusal({ requestedOn: inTime, months: 6 }, task18, rs)).toBeNull();
    const r = expectBilingual(extensionRefusal({ requestedOn: inTime, months: 7 }, task18, rs), 'EXTENSION_TOO_LONG', 'A-3');
    expect(r.message.vi).toContain('tối đa 6 tháng');
    expect(r.message.vi).toContain('dưới 24 tháng');
  });

  test('A-3: the cap changes exactly at 24 months (23-month task: 6; 24-month task: 12)', () => {
    const task23 = { ...task24, durationMonths: 23 };
    expect(extensionRefusal({ requestedOn: inTime, months: 7 }, task23, rs)?.code).toBe('EXTENSION_TOO_LONG');
    expect(extensionRefusal({ requestedOn: inTime, months: 7 }, task24, rs)).toBeNull();
  });

  test('A-3: a second extension is refused, whatever else', () => {
    const r = expectBilingual(
      extensionRefusal({ requestedOn: inTime, months: 1 }, { ...task24, extensionsGranted: 1 }, rs),
      'EXTENSION_ALREADY_GRANTED',
      'A-3',
    );
    expect(r.message.vi).toContain('tối đa 1 lần');
    expect(extensionRefusal({ requestedOn: '2028-01-05', months: 99 }, { ...task24, extensionsGranted: 1 }, rs)?.code).toBe(
      'EXTENSION_ALREADY_GRANTED',
    );
  });

  test('A-3: 0, negative or fractional months are invalid', () => {
    for (const months of [0, -1, 1.5, Number.NaN]) {
      expectBilingual(extensionRefusal({ requestedOn: inTime, months }, task24, rs), 'EXTENSION_INVALID', 'A-3');
    }
  });

  test('A-3: the limits come from the rule-set (a province allowing two extensions)', () => {
    const twice: RuleSet = { ...rs, extension: { ...rs.extension, maxCount: 2 } };
    expect(extensionRefusal({ requestedOn: inTime, months: 6 }, { ...task24, extensionsGranted: 1 }, twice)).toBeNull();
    expect(extensionRefusal({ requestedOn: inTime, months: 6 }, { ...task24, extensionsGranted: 2 }, twice)?.code).toBe(
      'EXTENSION_ALREADY_GRANTED',
    );
  });

  test('A-3: the full chain: extension granted → new end → new acceptance-dossier date (L-18)', () => {
    const start = '2026-01-15';
    const end = contractEndDate(start, 24);
    expect(extensionRefusal({ requestedOn: '2027-10-01', months: 6 }, { durationMonths: 24, contractEnd: end, extensionsGranted: 0 }, rs)).toBeNull();
    const newEnd = extendedContractEnd(end, 6);
    expect(newEnd).toBe('2028-07-14');
    expect(newEnd).toBe(contractEndDate(start, 30));
    expect(acceptanceDossierDue(newEnd, rs)).toBe('2028-08-13');
    expect(addMonths(start, 30)).toBe('2028-07-15');
  });
});

describe('L-13: inspections at least once a year', () => {
  test('a 24-month contract is inspected after 12 months and by its end', () => {
    expect(inspectionDueDates('2026-01-15', '2028-01-14', rs)).toEqual(['2027-01-15', '2028-01-14']);
  });
  test('an 18-month contract: after 12 months, then by its end', () => {
    expect(inspectionDueDates('2026-01-15', '2027-07-14', rs)).toEqual(['2027-01-15', '2027-07-14']);
  });
  test('a 12-month (or shorter) contract is still inspected once, by its end', () => {
    expect(inspectionDueDates('2026-01-15', '2027-01-14', rs)).toEqual(['2027-01-14']);
    expect(inspectionDueDates('2026-01-15', '2026-07-14', rs)).toEqual(['2026-07-14']);
  });
  test('a rule-set with two inspections a year: every 6 months', () => {
    expect(inspectionDueDates('2026-01-15', '2027-01-14', { ...rs, inspectionsPerYear: 2 })).toEqual(['2026-07-15', '2027-01-14']);
  });
  test('the officer is reminded the notice period plus a working week ahead (2027-01-15 is a Friday)', () => {
    // 10 working days before Friday 2027-01-15: Friday 2027-01-01 is New Year's Day (a holiday), so Thursday 2026-12-31.
    expect(inspectionReminderDate('2027-01-15', rs)).toBe('2026-12-31');
  });
});
