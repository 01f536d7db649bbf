import { ruleSetFor, type RuleSet } from '../../workflows/rules/ruleset';
import { debarmentUntil, formatVnd, isDebarred, refundDue } from '../../workflows/rules/money';

const legacy: RuleSet = ruleSetFor({ regime: 'LEGACY_2013', provinceProfile: 'default', version: '2026.1' });
/** STI_2025-like: a host that followed procedures owes only unspent funds (law art. 9). */
const stiLike: RuleSet = { ...legacy, subjectiveRefundsSpentFunds: false };

describe('T-3 fund recovery', () => {
  test('T-3: objective cause: only unspent funds; spent funds settled at cost', () => {
    const r = refundDue({ cause: 'objective', received: 2_000_000_000, spent: 500_000_000 }, legacy);
    expect(r).toMatchObject({ unspent: 1_500_000_000, spentShare: 0, total: 1_500_000_000, rule: 'T-3' });
    expect(r.basis.vi).toContain('2.000.000.000 đồng đã nhận − 500.000.000 đồng đã chi = 1.500.000.000 đồng');
    expect(r.basis.vi).toContain('Nguyên nhân khách quan');
    expect(r.basis.vi).toContain('Tổng số phải hoàn trả: 1.500.000.000 đồng.');
    expect(r.basis.en).toContain('Objective cause');
    expect(r.basis.en).toContain('Total to refund: 1.500.000.000 VND.');
  });

  test('T-3: subjective cause: unspent funds plus 30% of spent funds', () => {
    const r = refundDue({ cause: 'subjective', received: 2_000_000_000, spent: 1_500_000_000 }, legacy);
    expect(r).toMatchObject({ unspent: 500_000_000, spentShare: 450_000_000, total: 950_000_000 });
    expect(r.basis.vi).toContain('Nguyên nhân chủ quan');
    expect(r.basis.vi).toContain('1.500.000.000 đồng × 30% = 450.000.000 đồng');
    expect(r.basis.vi).toContain('Tổng số phải hoàn trả: 950.000.000 đồng');
    expect(r.basis.en).toContain('1.500.000.000 VND × 30% = 450.000.000 VND');
  });

  test('T-3: the 30% share is rounded half up to the đồng', () => {
    expect(refundDue({ cause: 'subjective', received: 10, spent: 5 }, legacy)).toMatchObject({ unspent: 5, spentShare: 2, total: 7 }); // 1.5 → 2
    expect(refundDue({ cause: 'subjective', received: 1_000_000_005, spent: 1_000_000_005 }, legacy).spentShare).toBe(300_000_002); // …1.5
    expect(refundDue({ cause: 'subjective', received: 1_000_000_015, spent: 1_000_000_015 }, legacy).spentShare).toBe(300_000_005); // …4.5
    expect(refundDue({ cause: 'subjective', received: 1_000_000_001, spent: 1_000_000_001 }, legacy).spentShare).toBe(300_000_000); // …0.3
    expect(refundDue({ cause: 'subjective', received: 1_000_000_008, spent: 1_000_000_008 }, legacy).spentShare).toBe(300_000_002); // …2.4
    expect(refundDue({ cause: 'subjective', received: 3, spent: 3 }, legacy).spentShare).toBe(1); // 0.9
    expect(refundDue({ cause: 'subjective', received: 1, spent: 1 }, legacy).spentShare).toBe(0); // 0.3
  });

  test('T-3: a fractional share in the rule-set is written with a decimal comma in Vietnamese', () => {
    const r = refundDue({ cause: 'subjective', received: 20, spent: 20 }, { ...legacy, subjectiveRefundShareBp: 2550 });
    expect(r.spentShare).toBe(5); // 5.1
    expect(r.basis.vi).toContain('× 25,5% = 5 đồng');
    expect(r.basis.en).toContain('× 25.5% = 5 VND');
  });

  test('T-3: under an STI_2025-like rule-set a subjective cause owes only the unspent funds', () => {
    const r = refundDue({ cause: 'subjective', received: 2_000_000_000, spent: 1_500_000_000 }, stiLike);
    expect(r).toMatchObject({ unspent: 500_000_000, spentShare: 0, total: 500_000_000, rule: 'T-3' });
    expect(r.basis.vi).toContain('chỉ phải hoàn trả kinh phí chưa sử dụng');
    expect(r.basis.vi).toContain('LEGACY_2013/default/2026.1');
  });

  test('T-3: nothing spent, nothing received, everything spent', () => {
    expect(refundDue({ cause: 'subjective', received: 800_000_000, spent: 0 }, legacy)).toMatchObject({ unspent: 800_000_000, spentShare: 0, total: 800_000_000 });
    expect(refundDue({ cause: 'subjective', received: 0, spent: 0 }, legacy)).toMatchObject({ unspent: 0, spentShare: 0, total: 0 });
    expect(refundDue({ cause: 'objective', received: 800_000_000, spent: 800_000_000 }, legacy).total).toBe(0);
  });

  test('T-3: a 10^15 VND budget is computed exactly (BigInt path)', () => {
    const all = refundDue({ cause: 'subjective', received: 1e15, spent: 1e15 }, legacy);
    expect(all).toMatchObject({ unspent: 0, spentShare: 300_000_000_000_000, total: 300_000_000_000_000 });
    expect(all.basis.vi).toContain('1.000.000.000.000.000 đồng × 30% = 300.000.000.000.000 đồng');

    const r = refundDue({ cause: 'subjective', received: 1e15, spent: 999_999_999_999_995 }, legacy);
    expect(r).toMatchObject({ unspent: 5, spentShare: 299_999_999_999_999, total: 300_000_000_000_004 }); // …998.5 → …999

    // Here floating point (Math.round(spent * bp / 10000)) would give …898.
    const f = refundDue({ cause: 'subjective', received: 1e15, spent: 999_999_999_999_598 }, { ...legacy, subjectiveRefundShareBp: 2550 });
    expect(f.spentShare).toBe(254_999_999_999_897); // exact: 254 999 999 999 897.49
    for (const v of [f.unspent, f.spentShare, f.total]) expect(Number.isSafeInteger(v)).toBe(true);
  });

  test('T-3: impossible amounts are RangeErrors', () => {
    const bad: Array<{ received: number; spent: number }> = [
      { received: 100, spent: 101 }, // spent > received
      { received: -1, spent: 0 },
      { received: 100, spent: -5 },
      { received: 100.5, spent: 0 },
      { received: 100, spent: 0.1 },
      { received: Number.NaN, spent: 0 },
      { received: Number.POSITIVE_INFINITY, spent: 0 },
      { received: 1e15 + 1, spent: 0 },
    ];
    for (const amounts of bad) {
      expect(() => refundDue({ cause: 'objective', ...amounts }, legacy)).toThrow(RangeError);
    }
    expect(() => refundDue({ cause: 'other' as 'objective', received: 1, spent: 0 }, legacy)).toThrow(RangeError);
  });

  test('amounts are written with dot separators', () => {
    expect(formatVnd(0)).toBe('0');
    expect(formatVnd(999)).toBe('999');
    expect(formatVnd(1000)).toBe('1.000');
    expect(formatVnd(1_500_000_000)).toBe('1.500.000.000');
    expect(formatVnd(10n ** 15n)).toBe('1.000.000.000.000.000');
  });
});

describe('T-4 debarment for 24 months', () => {
  test('T-4: debarred until the same day 24 months later', () => {
    expect(debarmentUntil('2026-03-10', legacy)).toBe('2028-03-10');
  });

  test('T-4: 2026-02-28 + 24 months = 2028-02-28 (not the leap day); 2028-02-29 + 24 months = 2030-02-28', () => {
    expect(debarmentUntil('2026-02-28', legacy)).toBe('2028-02-28');
    expect(debarmentUntil('2028-02-29', legacy)).toBe('2030-02-28');
    expect(() => debarmentUntil('2026-02-29', legacy)).toThrow(RangeError);
  });

  test('T-4: debarred on the last day before `until`, free on `until` and the day after', () => {
    const until = debarmentUntil('2026-02-28', legacy);
    expect(isDebarred(until, '2026-02-28')).toBe(true);
    expect(isDebarred(until, '2028-02-27')).toBe(true);
    expect(isDebarred(until, '2028-02-28')).toBe(false);
    expect(isDebarred(until, '2028-02-29')).toBe(false);
  });

  test('T-4: the period comes from the rule-set', () => {
    expect(debarmentUntil('2026-03-10', { ...legacy, debarmentMonths: 36 })).toBe('2029-03-10');
  });
});
