import { ApplicationFailure } from '@temporalio/common';
import { knownRuleSets, meetsShare, ruleSetFor, RULESET_ERROR } from '../../workflows/rules/ruleset';

test('RS-1: LEGACY_2013 has a full default set and a Tây Ninh profile', () => {
  const d = ruleSetFor({ regime: 'LEGACY_2013', provinceProfile: 'default', version: '2026.1' });
  expect(d).toMatchObject({ callWindowMinDays: 30, reportIntervalMonths: 6, debarmentMonths: 24, subjectiveRefundShareBp: 3000 });
  expect(d.councils.identification).toMatchObject({ recommendShare: { num: 3, den: 4 }, strictlyGreater: true }); // C-ID > 3/4
  const tn = ruleSetFor({ regime: 'LEGACY_2013', provinceProfile: 'tay-ninh', version: '2026.1' });
  expect(tn.councils.identification).toMatchObject({ recommendShare: { num: 2, den: 3 }, strictlyGreater: false }); // ≥ 2/3 [P]
  // Issue 12: 2026.2 of each profile issues documents draft → signature → number → issue.
  expect(knownRuleSets()).toHaveLength(4);
});

test('issue 12: 2026.1 issues documents at once; 2026.2 signs them, with the approver of each profile [P]', () => {
  for (const provinceProfile of ['default', 'tay-ninh']) {
    const old = ruleSetFor({ regime: 'LEGACY_2013', provinceProfile, version: '2026.1' });
    expect(old.authority).toMatchObject({ issuance: 'immediate', approver: 'director' });
    const next = ruleSetFor({ regime: 'LEGACY_2013', provinceProfile, version: '2026.2' });
    // The thresholds and deadlines do not change with the version.
    expect({ ...next, version: old.version, authority: old.authority }).toEqual(old);
    expect(next.authority.issuance).toBe('signed');
  }
  expect(ruleSetFor({ regime: 'LEGACY_2013', provinceProfile: 'default', version: '2026.2' }).authority.approver).toBe('people_committee');
  expect(ruleSetFor({ regime: 'LEGACY_2013', provinceProfile: 'tay-ninh', version: '2026.2' }).authority.approver).toBe('director');
});

test('RS-1: STI_2025 refuses with the list of what is not mapped yet', () => {
  let err: unknown;
  try {
    ruleSetFor({ regime: 'STI_2025', provinceProfile: 'default', version: '2026.1-draft' });
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(ApplicationFailure);
  expect(err).toMatchObject({ type: RULESET_ERROR, nonRetryable: true });
  expect((err as Error).message).toMatch(/STI_2025.*not mapped yet; missing: .*callWindowMinDays/);
});

test('an unknown version is refused, naming the known ones', () => {
  expect(() => ruleSetFor({ regime: 'LEGACY_2013', provinceProfile: 'tay-ninh', version: '1999.1' })).toThrow(/known: LEGACY_2013\/default\/2026.1/);
});

test('C-ID shares compare exactly in integers: > 3/4 and ≥ 2/3 at their boundaries', () => {
  const threeQuarters = { num: 3, den: 4 };
  expect(meetsShare(6, 8, threeQuarters, true)).toBe(false); // exactly 3/4 is not more than 3/4
  expect(meetsShare(7, 8, threeQuarters, true)).toBe(true);
  expect(meetsShare(6, 8, threeQuarters, false)).toBe(true);
  const twoThirds = { num: 2, den: 3 };
  expect(meetsShare(6, 9, twoThirds)).toBe(true);
  expect(meetsShare(5, 9, twoThirds)).toBe(false);
  expect(meetsShare(0, 0, twoThirds)).toBe(false);
});
