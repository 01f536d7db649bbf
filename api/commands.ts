/**
 * The lifecycle commands as REST operations: one path per command,
 * `POST /api/v1/tasks/{taskId}/<command-in-kebab-case>`, a strict body schema
 * per command (the caller comes from the token, never from the body), the roles
 * from the transition table. The same schemas feed the OpenAPI document.
 */
import { z } from './zod';
import type { CommandName, CommandPayloads } from '../workflows/definitions';
import { COMMANDS } from '../workflows/rules/transitions';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD').describe('A calendar date in Vietnam, YYYY-MM-DD');
const vnd = z.number().int().min(0).max(1_000_000_000_000_000).describe('Integer VND');
const text = (max: number) => z.string().trim().min(1).max(max);
const note = { note: text(2_000).optional() };
const person = z.object({ name: text(200), email: z.email() }).strict();
const host = z.object({ orgId: text(100), orgName: text(500), pi: person }).strict();
const tally = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional().describe('Figures that decided it (C-9), counts only');

/** Body of each command, without `by` (the caller). */
export const COMMAND_BODIES = {
  startIdentificationReview: z.object({ ...note }).strict(),
  recordIdentificationResult: z.object({ ...note, members: z.number().int().min(1).max(50), present: z.number().int().min(0).max(50), yes: z.number().int().min(0).max(50), reasons: z.array(text(1_000)).max(20).optional() }).strict(),
  approveOrderList: z.object({ ...note }).strict(),
  rejectProposal: z.object({ ...note, reasons: z.array(text(1_000)).min(1).max(20) }).strict(),
  openCall: z.object({ ...note, closesOn: isoDate }).strict(),
  assignDirectly: z.object({ ...note, host }).strict(),
  submitDossier: z.object({ ...note, host }).strict(),
  openDossiers: z.object({ ...note, valid: z.array(text(50)).max(200) }).strict(),
  formSelectionCouncil: z.object({ ...note, meetingOn: isoDate }).strict(),
  recordSelectionResult: z.discriminatedUnion('outcome', [
    z.object({ ...note, outcome: z.literal('SELECTED'), dossierId: text(50).optional(), tally }).strict(),
    z.object({ ...note, outcome: z.literal('NO_QUALIFIED_APPLICANT'), tally }).strict(),
  ]),
  submitRevisedProposal: z.object({ ...note }).strict(),
  recordBudgetAppraisal: z
    .object({
      ...note,
      requested: vnd,
      appraisedState: vnd,
      appraisedOther: vnd,
      items: z
        .array(z.object({ item: text(500), year: z.number().int().min(1900).max(9999), requested: vnd, appraised: vnd, lumpSum: z.boolean(), source: z.enum(['state', 'other']) }).strict())
        .min(1)
        .max(500)
        .optional()
        .describe('C-BUD: requested vs appraised per item and year; must add up to the totals'),
      consensus: z.boolean().optional().describe('C-BUD: the group agreed (default true); otherwise the approver decides'),
      dissent: z.array(text(2_000)).max(20).optional().describe('C-7: dissenting opinions, recorded in the minutes'),
    })
    .strict(),
  approveTask: z.object({ ...note, durationMonths: z.number().int().min(1).max(120), fundingMode: z.enum(['full_lump_sum', 'partial_lump_sum']), stateBudget: vnd, otherSources: vnd, products: z.array(text(2_000)).min(1).max(50) }).strict(),
  cancelBeforeContract: z.object({ ...note, reason: text(2_000) }).strict(),
  signContract: z.object({ ...note }).strict(),
  recordDisbursement: z.object({ ...note, amount: vnd }).strict(),
  submitProgressReport: z.object({ ...note, period: z.number().int().min(1).max(100), summary: text(10_000) }).strict(),
  startInspection: z.object({ ...note, noticeOn: isoDate }).strict(),
  concludeInspection: z.object({ ...note, conclusion: z.enum(['continue', 'adjust', 'suspend', 'terminate']), findings: text(10_000), remedyDays: z.number().int().min(1).max(365).optional() }).strict(),
  requestAdjustment: z.discriminatedUnion('kind', [
    z.object({ ...note, kind: z.literal('A-3'), months: z.number().int().min(1).max(24) }).strict(),
    z.object({ ...note, kind: z.enum(['A-1', 'A-2', 'A-5']), description: text(10_000) }).strict(),
    z.object({ ...note, kind: z.literal('A-4'), newPi: person, grounds: text(2_000) }).strict(),
  ]),
  decideAdjustment: z.object({ ...note, approve: z.boolean() }).strict(),
  suspend: z.object({ ...note, grounds: text(2_000), remedyDays: z.number().int().min(1).max(365).optional() }).strict(),
  resume: z.object({ ...note }).strict(),
  requestTermination: z.object({ ...note, grounds: text(2_000) }).strict(),
  proposeTermination: z.object({ ...note, grounds: text(2_000) }).strict(),
  submitObservations: z.object({ ...note, observations: text(10_000) }).strict(),
  decideTermination: z.discriminatedUnion('terminate', [
    z.object({ ...note, terminate: z.literal(true), cause: z.enum(['objective', 'subjective']), fundsSpent: vnd }).strict(),
    z.object({ ...note, terminate: z.literal(false) }).strict(),
  ]),
  startSelfEvaluation: z.object({ ...note }).strict(),
  submitAcceptanceDossier: z.object({ ...note, fundsSpent: vnd, documents: z.array(text(500)).min(1).max(50) }).strict(),
  checkAcceptanceDossier: z.object({ ...note, complete: z.boolean(), missing: z.array(text(500)).max(50).optional() }).strict(),
  formAcceptanceCouncil: z.object({ ...note, meetingOn: isoDate }).strict(),
  recordAcceptanceResult: z.object({ ...note, rating: z.enum(['EXCELLENT', 'PASS', 'FAIL']), tally }).strict(),
  recognizeResult: z.object({ ...note }).strict(),
  registerResult: z.object({ ...note, certificates: z.array(text(100)).min(1).max(50) }).strict(),
  settleFinances: z.object({ ...note, fundsSpent: vnd }).strict(),
  recordRefund: z.object({ ...note, amount: vnd }).strict(),
  liquidate: z.object({ ...note }).strict(),
  archive: z.object({ ...note }).strict(),
  withdraw: z.object({ ...note, reason: text(2_000) }).strict(),
  formCouncil: z
    .object({
      ...note,
      kind: z.enum(['C-ID', 'C-SEL', 'C-ACC']),
      members: z.array(z.object({ memberId: text(100), name: text(200), email: z.email(), role: z.enum(['chair', 'vice_chair', 'reviewer', 'member', 'scientific_secretary']) }).strict()).min(1).max(15),
      meetingOn: isoDate,
      votingDeadline: z.iso.datetime({ offset: true }),
      ballot: z.enum(['open', 'secret']),
      criteria: z.array(z.object({ id: text(50), max: z.number().int().min(1).max(100), products: z.boolean().optional() }).strict()).max(12).optional(),
      conflicts: z.array(z.object({ memberId: text(100), reason: text(1_000) }).strict()).max(15).optional(),
    })
    .strict(),
  assignOfficer: z.object({ ...note, officer: person.extend({ userId: text(100) }).strict() }).strict(),
} satisfies { [K in CommandName]: z.ZodType<Omit<CommandPayloads[K], 'by'>> };

export const commandPath = (name: CommandName) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

export const COMMAND_SUMMARIES: Record<CommandName, string> = Object.fromEntries(
  (Object.keys(COMMANDS) as CommandName[]).map((c) => [c, `${COMMANDS[c].label.en} (${COMMANDS[c].rule}); ${COMMANDS[c].label.vi}`]),
) as Record<CommandName, string>;
