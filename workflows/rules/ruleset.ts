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

/** Task levels (domain.md §1), as the rule-set keys council sizes by them. */
export type RuleSetLevel = 'national' | 'ministerial' | 'provincial' | 'grassroots';
/** Task forms (domain.md §1), as the rule-set keys selection criteria by them. */
export type RuleSetForm = 'research_topic' | 'pilot_production' | 'policy_study' | 'st_project' | 'programme';

/** C-1 and the §3 table, per council kind: who must sit on it. */
export interface CouncilComposition {
  /** Members, by the task's level. */
  sizes: Record<RuleSetLevel, CouncilRules>;
  /** C-1: 'required': exactly one vice-chair; 'optional': at most one. */
  viceChair: 'required' | 'optional';
  /** C-1: reviewers (ủy viên phản biện): 2 by default [V], configurable 1–2. */
  reviewers: number;
}

/** A C-SEL scoring criterion: its maximum points (its weight out of 100) and whether it counts as products/content (the tie-break). */
export interface SelectionCriterionRule {
  id: string;
  max: number;
  products?: boolean;
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
  /** T-3: a refund owed is paid within N days of the decision or settlement that fixes it [D]; then it is overdue and escalated. */
  refundDays: number;
  /** T-4: debarment after FAIL or subjective termination, in months [R]. */
  debarmentMonths: number;
  /** L-18: acceptance dossier due ≤ N days after the contract end (extensions included) [V]. */
  acceptanceDossierDays: number;
  /** L-19: completeness answer ≤ N working days; council formed ≤ M working days; meeting ≤ K days [V]. */
  completenessWorkingDays: number;
  acceptanceCouncilFormingWorkingDays: number;
  acceptanceMeetingDays: number;
  /** L-19: an incomplete acceptance dossier is completed and filed again within N working days of the answer [D]. */
  dossierSupplementWorkingDays: number;
  /** L-21: the host revises the results per the council's conclusions within N days of acceptance [D]. */
  resultRevisionDays: number;
  /** L-22: results registered ≤ N days after acceptance [V]. */
  registrationDays: number;
  /** §3 councils. */
  councils: {
    quorum: Ratio; // C-2 [V]: ≥ 2/3 present
    identification: { recommendShare: Ratio; strictlyGreater: boolean }; // C-ID
    selection: {
      passAverage: number;
      zeroScoreShare: Ratio;
      /**
       * C-SEL-2, the dossier's average: over the score sheets of the present, eligible members who scored it
       * ('members_who_scored'), or over every present, eligible member, a missing sheet counting 0 ('members_present').
       */
      averageOver: 'members_who_scored' | 'members_present';
      /** C-SEL-2, the one-third-zero rule: its denominator ('members_present' as domain.md words it, or 'members_who_scored'). */
      zeroShareOver: 'members_present' | 'members_who_scored';
    }; // C-SEL-2
    budget: CouncilRules; // C-BUD
    acceptance: {
      excellentShare: Ratio;
      passShare: Ratio;
      /**
       * C-ACC-3, a present eligible member who gave no rating: 'in_denominator' (counted among the members present,
       * rating below PASS, but not a FAIL vote), 'as_fail' (a FAIL: below PASS and it blocks EXCELLENT) or
       * 'excluded' (out of the denominator, as if absent).
       */
      unrated: 'in_denominator' | 'as_fail' | 'excluded';
    }; // C-ACC-3
    adoption: { share: Ratio; strictlyGreater: boolean }; // C-5
    /** C-1 and the §3 table: size by level, vice-chair, reviewers, per council formed as a sitting. */
    composition: Record<'C-ID' | 'C-SEL' | 'C-ACC', CouncilComposition>;
    /** C-SEL: the 100-point score sheet per task form: criteria and their weights [R]. */
    selectionCriteria: Record<RuleSetForm, SelectionCriterionRule[]>;
  };
  /**
   * Issue 12: who gives the Department's commands and signs each document, whether documents are
   * issued at once or draft → signature → number → issue, and who approves (L-3, L-10) [P].
   */
  authority: AuthorityRules;
}

/** The six C-SEL headings with their maxima, in the order of domain.md §3. */
function SELECTION_WEIGHTS(rationale: number, content: number, products: number, applicability: number, capacity: number, budget: number): SelectionCriterionRule[] {
  return [
    { id: 'rationale', max: rationale },
    { id: 'content', max: content, products: true },
    { id: 'products', max: products, products: true },
    { id: 'applicability', max: applicability },
    { id: 'capacity', max: capacity },
    { id: 'budget', max: budget },
  ];
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
  refundDays: 30,
  debarmentMonths: 24,
  acceptanceDossierDays: 30,
  completenessWorkingDays: 3,
  acceptanceCouncilFormingWorkingDays: 15,
  acceptanceMeetingDays: 30,
  dossierSupplementWorkingDays: 10,
  resultRevisionDays: 15,
  registrationDays: 30,
  councils: {
    quorum: { num: 2, den: 3 },
    identification: { recommendShare: { num: 3, den: 4 }, strictlyGreater: true },
    selection: {
      passAverage: 70,
      zeroScoreShare: { num: 1, den: 3 },
      // [D] The average is over the valid score sheets (the vote-counting record counts sheets issued and valid): a
      // present member who handed in no sheet has not scored the dossier, and reading that as 0 would let one missing
      // sheet sink a dossier the others rated well.
      averageOver: 'members_who_scored',
      // [R] As the rule is worded: "0 from more than 1/3 of members present". A member who scored nothing gave no 0,
      // but still counts in the third (the rule protects against a criterion the council as a whole finds missing).
      zeroShareOver: 'members_present',
    },
    budget: { minMembers: 5, maxMembers: 7 },
    acceptance: {
      excellentShare: { num: 3, den: 4 },
      passShare: { num: 3, den: 4 },
      // [R] As C-ACC-3 is worded: share(x) = members present rating ≥ x / members present, and EXCELLENT needs nobody
      // to have rated FAIL. A member present without a rating is among the members present (so their missing rating
      // lowers both shares), but did not rate FAIL: a blank form is not a Fail vote.
      unrated: 'in_denominator',
    },
    adoption: { share: { num: 3, den: 4 }, strictlyGreater: true },
    composition: {
      // C-ID: 7–9 [R]; reviewers as C-1 says for every council [V]; a vice-chair when named.
      'C-ID': { sizes: { national: { minMembers: 7, maxMembers: 9 }, ministerial: { minMembers: 7, maxMembers: 9 }, provincial: { minMembers: 7, maxMembers: 9 }, grassroots: { minMembers: 7, maxMembers: 9 } }, viceChair: 'optional', reviewers: 2 },
      // C-SEL: 7–9 with chair, vice-chair and 2 reviewers [V].
      'C-SEL': { sizes: { national: { minMembers: 7, maxMembers: 9 }, ministerial: { minMembers: 7, maxMembers: 9 }, provincial: { minMembers: 7, maxMembers: 9 }, grassroots: { minMembers: 7, maxMembers: 9 } }, viceChair: 'required', reviewers: 2 },
      // C-ACC: national 9, ministerial 7 [V]; provincial 7–9 [P]; grassroots 5–7 (N-4) [P]; chair, vice-chair, 2 reviewers.
      'C-ACC': { sizes: { national: { minMembers: 9, maxMembers: 9 }, ministerial: { minMembers: 7, maxMembers: 7 }, provincial: { minMembers: 7, maxMembers: 9 }, grassroots: { minMembers: 5, maxMembers: 7 } }, viceChair: 'required', reviewers: 2 },
    },
    // [D] Weights out of 100 over the six headings of domain.md §3 (C-SEL), per form: products and content
    // weigh more for production and S&T projects, the rationale more for a policy study. Content and products
    // break a tie (C-SEL-2).
    selectionCriteria: {
      research_topic: SELECTION_WEIGHTS(15, 30, 20, 15, 10, 10),
      programme: SELECTION_WEIGHTS(15, 30, 20, 15, 10, 10),
      pilot_production: SELECTION_WEIGHTS(10, 25, 25, 20, 10, 10),
      st_project: SELECTION_WEIGHTS(10, 25, 25, 20, 10, 10),
      policy_study: SELECTION_WEIGHTS(20, 30, 20, 15, 10, 5),
    },
  },
  authority: IMMEDIATE_AUTHORITY,
};

/** Tây Ninh: legacy texts; identification by ≥ 2/3 of members present [P]. */
const LEGACY_2013_TAY_NINH: RuleSet = {
  ...LEGACY_2013_DEFAULT,
  provinceProfile: 'tay-ninh',
  councils: {
    ...LEGACY_2013_DEFAULT.councils,
    identification: { recommendShare: { num: 2, den: 3 }, strictlyGreater: false },
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
