/**
 * RS-1: every threshold, deadline, council size, cap, refund share and debarment
 * period of domain.md lives in a versioned rule-set keyed by (regime, province
 * profile, version). A task keeps the version it started with; a new version
 * applies to new tasks only. Pure data and lookups: no I/O, safe in workflows.
 *
 * Evidence tags follow domain.md: [V] legal text, [R] regulation not re-confirmed,
 * [P] provincial practice, [D] our design default.
 */
import { ApplicationFailure } from '@temporalio/common';
import { IMMEDIATE_AUTHORITY, SIGNED_AUTHORITY, type AuthorityRules } from './authority';

export type Regime = 'LEGACY_2013' | 'STI_2025';

/** A fraction as integers, so that thresholds compare exactly (no floating point). */
export interface Ratio {
  num: number;
  den: number;
}

export interface CouncilRules {
  minMembers: number;
  maxMembers: number;
}

export interface RuleSet {
  regime: Regime;
  provinceProfile: string;
  version: string;
  /** L-4: a call stays open at least this many calendar days [R]. */
  callWindowMinDays: number;
  /** L-5: dossiers are opened within this many working days after the window closes [R]. */
  dossierOpeningWorkingDays: number;
  /** L-6: papers reach members ≥ N working days before the meeting; written reviews ≥ M before [V]. */
  selectionPapersWorkingDaysBefore: number;
  selectionReviewsWorkingDaysBefore: number;
  /** L-8: host and PI revise the proposal within this many working days [D]. */
  revisionWorkingDays: number;
  /** L-11: the contract is signed within this many days of approval [D]. */
  contractSigningDays: number;
  /** L-13: a progress report every N months from the contract start [R]. */
  reportIntervalMonths: number;
  /** Reminder this many days before each due date [D]. */
  reminderDaysBefore: number;
  /** L-13: at least N inspections a year, announced ≥ M working days ahead [R]. */
  inspectionsPerYear: number;
  inspectionNoticeWorkingDays: number;
  /** L-14: an adjustment request is decided within N days [R]. */
  adjustmentDecisionDays: number;
  /** extension once only; cap by task length; requested ≥ N days before the contract end [R]. */
  extension: {
    maxCount: number;
    longTaskMinMonths: number;
    longTaskCapMonths: number;
    shortTaskCapMonths: number;
    requestMinDaysBeforeEnd: number;
  };
  /** T-1: remedy period when the notice does not set one [D]. */
  defaultRemedyDays: number;
  /** T-2: the host may submit observations for N days before a Department-initiated termination [D]. */
  terminationObservationDays: number;
  /** T-3: share of spent state funds refunded for a subjective cause, in basis points (3000 = 30%) [D]. */
  subjectiveRefundShareBp: number;
  /** T-3: whether spent funds are refunded at all for a subjective cause (STI_2025: no, if procedures were followed) [V/R]. */
  subjectiveRefundsSpentFunds: boolean;
  /** T-4: debarment after FAIL or subjective termination, in months [R]. */
  debarmentMonths: number;
  /** L-18: acceptance dossier due ≤ N days after the contract end (extensions included) [V]. */
  acceptanceDossierDays: number;
  /** L-19: completeness answer ≤ N working days; council formed ≤ M working days; meeting ≤ K days [V]. */
  completenessWorkingDays: number;
  acceptanceCouncilFormingWorkingDays: number;
  acceptanceMeetingDays: number;
  /** L-22: results registered ≤ N days after acceptance [V]. */
  registrationDays: number;
  /** §3 councils. */
  councils: {
    quorum: Ratio; // C-2 [V]: ≥ 2/3 present
    reviewers: number; // C-1 [V]: 2 by default, 1–2
    identification: CouncilRules & { recommendShare: Ratio; strictlyGreater: boolean }; // C-ID
    selection: CouncilRules & { passAverage: number; zeroScoreShare: Ratio }; // C-SEL-2
    budget: CouncilRules; // C-BUD
    acceptance: CouncilRules & { excellentShare: Ratio; passShare: Ratio }; // C-ACC-3
    acceptanceGrassroots: CouncilRules; // N-4
    adoption: { share: Ratio; strictlyGreater: boolean }; // C-5
  };
  /**
   * Issue 12: who gives the Department's commands and signs each document, whether documents are
   * issued at once or draft → signature → number → issue, and who approves (L-3, L-10) [P].
   */
  authority: AuthorityRules;
}

const LEGACY_2013_DEFAULT: RuleSet = {
  regime: 'LEGACY_2013',
  provinceProfile: 'default',
  version: '2026.1',
  callWindowMinDays: 30,
  dossierOpeningWorkingDays: 10,
  selectionPapersWorkingDaysBefore: 3,
  selectionReviewsWorkingDaysBefore: 1,
  revisionWorkingDays: 15,
  contractSigningDays: 30,
  reportIntervalMonths: 6,
  reminderDaysBefore: 7,
  inspectionsPerYear: 1,
  inspectionNoticeWorkingDays: 5,
  adjustmentDecisionDays: 15,
  extension: { maxCount: 1, longTaskMinMonths: 24, longTaskCapMonths: 12, shortTaskCapMonths: 6, requestMinDaysBeforeEnd: 60 },
  defaultRemedyDays: 60,
  terminationObservationDays: 30,
  subjectiveRefundShareBp: 3000,
  subjectiveRefundsSpentFunds: true,
  debarmentMonths: 24,
  acceptanceDossierDays: 30,
  completenessWorkingDays: 3,
  acceptanceCouncilFormingWorkingDays: 15,
  acceptanceMeetingDays: 30,
  registrationDays: 30,
  councils: {
    quorum: { num: 2, den: 3 },
    reviewers: 2,
    identification: { minMembers: 7, maxMembers: 9, recommendShare: { num: 3, den: 4 }, strictlyGreater: true },
    selection: { minMembers: 7, maxMembers: 9, passAverage: 70, zeroScoreShare: { num: 1, den: 3 } },
    budget: { minMembers: 5, maxMembers: 7 },
    acceptance: { minMembers: 7, maxMembers: 9, excellentShare: { num: 3, den: 4 }, passShare: { num: 3, den: 4 } },
    acceptanceGrassroots: { minMembers: 5, maxMembers: 7 },
    adoption: { share: { num: 3, den: 4 }, strictlyGreater: true },
  },
  authority: IMMEDIATE_AUTHORITY,
};

/** Tây Ninh: legacy texts; identification by ≥ 2/3 of members present [P]. */
const LEGACY_2013_TAY_NINH: RuleSet = {
  ...LEGACY_2013_DEFAULT,
  provinceProfile: 'tay-ninh',
  councils: {
    ...LEGACY_2013_DEFAULT.councils,
    identification: { ...LEGACY_2013_DEFAULT.councils.identification, recommendShare: { num: 2, den: 3 }, strictlyGreater: false },
  },
};

/**
 * STI_2025 (Law 93/2025, Decree 267/2025): only what has been mapped. A value
 * marked UNMAPPED makes every lookup of this rule-set refuse with the list of
 * what is missing, rather than silently apply legacy numbers.
 */
const STI_2025_PARTIAL: Partial<RuleSet> = {
  regime: 'STI_2025',
  provinceProfile: 'default',
  version: '2026.1-draft',
  subjectiveRefundsSpentFunds: false, // law art. 9: a host that followed procedures owes only unspent funds [V/R]
  subjectiveRefundShareBp: 0,
};

/**
 * 2026.2 (issue 12): the same thresholds and deadlines; every §7 document is drafted, signed by the
 * competent person, numbered by the clerk and issued, and takes effect when issued. Where the
 * provincial People's Committee approves (the default profile), the Department records its decision;
 * Tây Ninh's Director approves under delegation [P]. Tasks started under 2026.1 keep issuing at once.
 */
const LEGACY_2013_DEFAULT_2026_2: RuleSet = { ...LEGACY_2013_DEFAULT, version: '2026.2', authority: SIGNED_AUTHORITY('people_committee') };
const LEGACY_2013_TAY_NINH_2026_2: RuleSet = { ...LEGACY_2013_TAY_NINH, version: '2026.2', authority: SIGNED_AUTHORITY('director') };

const REGISTRY: RuleSet[] = [LEGACY_2013_DEFAULT, LEGACY_2013_TAY_NINH, LEGACY_2013_DEFAULT_2026_2, LEGACY_2013_TAY_NINH_2026_2];

export const RULESET_ERROR = 'RuleSetUnavailable';

export interface RuleSetKey {
  regime: Regime;
  provinceProfile: string;
  version: string;
}

/** The rule-set a task runs under; refuses (non-retryable) what does not exist or is not mapped yet. */
export function ruleSetFor(key: RuleSetKey): RuleSet {
  if (key.regime === 'STI_2025') {
    const required = Object.keys(LEGACY_2013_DEFAULT) as (keyof RuleSet)[];
    const missing = required.filter((k) => !(k in STI_2025_PARTIAL));
    throw ApplicationFailure.create({
      type: RULESET_ERROR,
      nonRetryable: true,
      message:
        `Rule-set STI_2025 (Law 93/2025, Decree 267/2025) is not mapped yet; missing: ${missing.join(', ')}. ` +
        'Start the task under LEGACY_2013 or publish a complete STI_2025 rule-set version.',
    });
  }
  const exact = REGISTRY.find((r) => r.regime === key.regime && r.provinceProfile === key.provinceProfile && r.version === key.version);
  if (exact) return exact;
  const known = REGISTRY.map((r) => `${r.regime}/${r.provinceProfile}/${r.version}`).join(', ');
  throw ApplicationFailure.create({
    type: RULESET_ERROR,
    nonRetryable: true,
    message: `No rule-set ${key.regime}/${key.provinceProfile}/${key.version}; known: ${known}.`,
  });
}

export const knownRuleSets = (): readonly RuleSetKey[] =>
  REGISTRY.map(({ regime, provinceProfile, version }) => ({ regime, provinceProfile, version }));

/** `part/whole ≥ ratio` (or `>`), in integers. */
export function meetsShare(part: number, whole: number, ratio: Ratio, strictlyGreater = false): boolean {
  if (whole <= 0) return false;
  const lhs = part * ratio.den;
  const rhs = ratio.num * whole;
  return strictlyGreater ? lhs > rhs : lhs >= rhs;
}
