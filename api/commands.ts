/**
 * The lifecycle commands as REST operations: one path per command,
 * `POST /api/v1/tasks/{taskId}/<command-in-kebab-case>`, a strict body schema
 * per command (the caller comes from the token, never from the body), the roles
 * from the transition table. The same schemas feed the OpenAPI document.
 */
import { chars, email, isoDate, text, z } from './zod';
import type { CommandName, CommandPayloads, FileAttachment } from '../workflows/definitions';
import { COMMANDS } from '../workflows/rules/transitions';
import type { RetiredCommand } from '../workflows/rules/preconditions';
import { Attachments } from './schemas';

const vnd = z.number().int().min(0).max(1_000_000_000_000_000).describe('Integer VND');
const note = { note: text(2_000).optional() };
/** Issue 10: the uploads a command carries (the API resolves them to the files' metadata). */
const files = { attachments: Attachments };
const person = z.object({ name: text(200), email }).strict();
const host = z.object({ orgId: text(100), orgName: text(500), pi: person }).strict();
/**
 * A council seat as formed (C-1): the member from the Department's people, their role, and (issue 12)
 * their academic title and workplace as the people directory gives them, printed on the formation
 * decision, the minutes and the vote-counting record. Also the body of a rescheduled membership.
 */
export const CouncilSeatBody = z
  .object({
    memberId: chars(1, 100),
    name: text(200),
    email,
    role: z.enum(['chair', 'vice_chair', 'reviewer', 'member', 'scientific_secretary']),
    title: text(50).optional().describe('Academic title as written before the name, e.g. "PGS.TS." (học hàm, học vị)'),
    workplace: text(500).optional().describe('Where the member works (cơ quan công tác), e.g. "Viện Sinh học Nhiệt đới"'),
  })
  .strict();

/**
 * The commands the API takes: every command of the workflow but the retired free entries of a council's
 * outcome (issue 13: an outcome enters only through ballots and the tally, a sitting online or on paper).
 */
export type ApiCommandName = Exclude<CommandName, RetiredCommand>;

/**
 * Issue 12 (L-3, L-10): where the rule-set has the provincial People's Committee approve, the
 * Department records its decision (number, date, signer) with the decision's file in `attachments`.
 */
const ApproverDecisionBody = z
  .object({
    number: text(50).describe('Số/ký hiệu of the People\'s Committee\'s decision, e.g. 1234/QĐ-UBND'),
    date: isoDate,
    signer: z.object({ name: text(200), title: text(200).describe('e.g. KT. CHỦ TỊCH / PHÓ CHỦ TỊCH') }).strict(),
  })
  .strict()
  .describe('Only where the People\'s Committee approves (rule-set): its decision; the file goes in attachments');

/**
 * A command's body as sent: the payload without `by` (the caller), with uploadIds
 * where the payload has the files' metadata (the API resolves one into the other).
 */
type BodyOf<P> = P extends { attachments?: FileAttachment[] } ? Omit<P, 'by' | 'attachments'> & { attachments?: string[] } : Omit<P, 'by'>;

/** Body of each command, without `by` (the caller). */
export const COMMAND_BODIES = {
  startIdentificationReview: z.object({ ...note }).strict(),
  approveOrderList: z.object({ ...note, ...files, approverDecision: ApproverDecisionBody.optional() }).strict(),
  rejectProposal: z.object({ ...note, reasons: z.array(text(1_000)).min(1).max(20) }).strict(),
  openCall: z.object({ ...note, closesOn: isoDate }).strict(),
  assignDirectly: z.object({ ...note, host }).strict(),
  submitDossier: z.object({ ...note, ...files, host }).strict(),
  openDossiers: z.object({ ...note, valid: z.array(text(50)).max(200) }).strict(),
  formSelectionCouncil: z.object({ ...note, meetingOn: isoDate }).strict(),
  submitRevisedProposal: z.object({ ...note, ...files }).strict(),
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
  approveTask: z.object({ ...note, ...files, approverDecision: ApproverDecisionBody.optional(), durationMonths: z.number().int().min(1).max(120), fundingMode: z.enum(['full_lump_sum', 'partial_lump_sum']), stateBudget: vnd, otherSources: vnd, products: z.array(text(2_000)).min(1).max(50) }).strict(),
  cancelBeforeContract: z.object({ ...note, reason: text(2_000) }).strict(),
  signContract: z.object({ ...note }).strict(),
  recordDisbursement: z.object({ ...note, amount: vnd }).strict(),
  submitProgressReport: z.object({ ...note, ...files, period: z.number().int().min(1).max(100), summary: text(10_000) }).strict(),
  startInspection: z.object({ ...note, noticeOn: isoDate }).strict(),
  concludeInspection: z.object({ ...note, conclusion: z.enum(['continue', 'adjust', 'suspend', 'terminate']), findings: text(10_000), remedyDays: z.number().int().min(1).max(365).optional() }).strict(),
  requestAdjustment: z.discriminatedUnion('kind', [
    z.object({ ...note, ...files, kind: z.literal('A-3'), months: z.number().int().min(1).max(24) }).strict(),
    z.object({ ...note, ...files, kind: z.literal('A-1'), description: text(10_000) }).strict(),
    z
      .object({
        ...note,
        ...files,
        kind: z.enum(['A-2', 'A-5']),
        description: text(10_000),
        changes: z
          .object({
            products: z.array(text(500)).min(1).max(50).optional(),
            title: text(500).optional(),
            objectives: text(10_000).optional(),
            host: host.optional(),
            stateBudget: vnd.optional(),
            otherSources: vnd.optional(),
          })
          .strict()
          .optional()
          .describe('Issue 13: what the approved adjustment changes (A-2: products only; A-5: also name, objectives, host, budget by source); applied when approved, shown before/after in the contract annex'),
      })
      .strict(),
    z.object({ ...note, ...files, kind: z.literal('A-4'), newPi: person, grounds: text(2_000) }).strict(),
  ]),
  decideAdjustment: z.object({ ...note, approve: z.boolean() }).strict(),
  suspend: z.object({ ...note, grounds: text(2_000), remedyDays: z.number().int().min(1).max(365).optional() }).strict(),
  resume: z.object({ ...note }).strict(),
  requestTermination: z.object({ ...note, ...files, grounds: text(2_000) }).strict(),
  proposeTermination: z.object({ ...note, grounds: text(2_000) }).strict(),
  submitObservations: z.object({ ...note, ...files, observations: text(10_000) }).strict(),
  decideTermination: z.discriminatedUnion('terminate', [
    z.object({ ...note, terminate: z.literal(true), cause: z.enum(['objective', 'subjective']), fundsSpent: vnd }).strict(),
    z.object({ ...note, terminate: z.literal(false) }).strict(),
  ]),
  startSelfEvaluation: z.object({ ...note }).strict(),
  submitAcceptanceDossier: z
    .object({ ...note, ...files, fundsSpent: vnd, documents: z.array(text(500)).min(1).max(50), lateReason: text(2_000).optional().describe('Why the dossier is filed after its due date (L-20: the Department decides whether it justifies the delay)') })
    .strict(),
  checkAcceptanceDossier: z
    .object({ ...note, complete: z.boolean(), missing: z.array(text(500)).max(50).optional(), lateJustified: z.boolean().optional().describe('For a late dossier with reasons: whether they justify the delay (required then; false rates it FAIL, L-20)') })
    .strict(),
  submitRevisedResults: z.object({ ...note, ...files, summary: text(5_000).describe('What was revised per the council\'s conclusions') }).strict(),
  formAcceptanceCouncil: z.object({ ...note, meetingOn: isoDate }).strict(),
  recognizeResult: z.object({ ...note }).strict(),
  registerResult: z.object({ ...note, certificates: z.array(text(100)).min(1).max(50) }).strict(),
  settleFinances: z.object({ ...note, fundsSpent: vnd }).strict(),
  recordRefund: z.object({ ...note, amount: vnd }).strict(),
  writeOffRefund: z
    .object({
      ...note,
      ...files,
      amount: vnd.describe('Integer VND written off: more than 0, at most what is still owed'),
      decisionNumber: text(50).describe('Số/ký hiệu of the decision writing the refund off, e.g. 45/QĐ-UBND'),
      decidedOn: isoDate.describe('Date of that decision (not in the future)'),
      grounds: text(2_000).describe('Why the refund cannot be recovered'),
    })
    .strict(),
  liquidate: z.object({ ...note }).strict(),
  archive: z.object({ ...note }).strict(),
  withdraw: z.object({ ...note, reason: text(2_000) }).strict(),
  formCouncil: z
    .object({
      ...note,
      kind: z.enum(['C-ID', 'C-SEL', 'C-ACC']),
      members: z.array(CouncilSeatBody).min(1).max(15),
      meetingOn: isoDate,
      votingDeadline: z.iso.datetime({ offset: true }),
      ballot: z.enum(['open', 'secret']),
      // Criterion IDs become the keys of each member's scores: identifiers only (no dots, no $).
      criteria: z
        .array(z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{1,50}$/), max: z.number().int().min(1).max(100), products: z.boolean().optional() }).strict())
        .max(12)
        // C-SEL: a 100-point sheet, each criterion once (400 naming the field; the rule-set's own sheet is the workflow's check).
        // A sheet that names a criterion twice or whose maxima do not total 100 is well-formed but refused:
        // 422 naming the field (api/routes/tasks.ts).
        .optional()
        .describe('C-SEL: taken from the rule-set for the task\'s form when absent; when given, they must be the rule-set\'s (422 CRITERIA_NOT_IN_RULESET)'),
      conflicts: z.array(z.object({ memberId: text(100), reason: text(1_000) }).strict()).max(15).optional(),
      voting: z.enum(['online', 'paper']).optional().describe('online (default): each member votes; paper: the council meets on paper and the administrative secretary enters each member\'s ballot (POST /councils/{councilId}/paper-ballots)'),
    })
    .strict(),
  assignOfficer: z.object({ ...note, officer: person.extend({ userId: text(100) }).strict() }).strict(),
} satisfies { [K in ApiCommandName]: z.ZodType<BodyOf<CommandPayloads[K]>> };

export const commandPath = (name: CommandName) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

export const COMMAND_SUMMARIES: Record<CommandName, string> = Object.fromEntries(
  (Object.keys(COMMANDS) as CommandName[]).map((c) => [c, `${COMMANDS[c].label.en} (${COMMANDS[c].rule}); ${COMMANDS[c].label.vi}`]),
) as Record<CommandName, string>;

const HOST = { orgId: 'org-vien-sinh-hoc', orgName: 'Viện Sinh học Nhiệt đới', pi: { name: 'Nguyễn Thị Hương', email: 'huong.nt@vien-sinh-hoc.example.vn' } };

/**
 * A valid body for every command: shown in the OpenAPI document (and tried by
 * schemathesis' examples phase) and used by the authorization matrix test.
 */
export const COMMAND_EXAMPLES: { [K in ApiCommandName]: z.input<(typeof COMMAND_BODIES)[K]> } = {
  startIdentificationReview: { note: 'Hồ sơ đầy đủ, chuyển Hội đồng xác định nhiệm vụ.' },
  approveOrderList: {},
  rejectProposal: { reasons: ['Trùng lặp với nhiệm vụ đã thực hiện năm 2024'] },
  openCall: { closesOn: '2027-03-31' },
  assignDirectly: { host: HOST },
  submitDossier: { host: HOST },
  openDossiers: { valid: ['HS-01'] },
  formSelectionCouncil: { meetingOn: '2027-04-20' },
  submitRevisedProposal: { note: 'Đã hoàn thiện thuyết minh theo kết luận của hội đồng.' },
  recordBudgetAppraisal: { requested: 1_750_000_000, appraisedState: 1_500_000_000, appraisedOther: 250_000_000 },
  approveTask: { durationMonths: 24, fundingMode: 'partial_lump_sum', stateBudget: 1_500_000_000, otherSources: 250_000_000, products: ['Quy trình kỹ thuật canh tác'] },
  cancelBeforeContract: { reason: 'Không còn phù hợp với định hướng của tỉnh' },
  signContract: {},
  recordDisbursement: { amount: 500_000_000 },
  submitProgressReport: { period: 1, summary: 'Hoàn thành 40% khối lượng; đã thu thập 120 mẫu giống.' },
  startInspection: { noticeOn: '2027-06-01' },
  concludeInspection: { conclusion: 'continue', findings: 'Tiến độ đúng kế hoạch.' },
  requestAdjustment: { kind: 'A-3', months: 6, note: 'Thời tiết bất thường làm chậm vụ thí nghiệm.' },
  decideAdjustment: { approve: true },
  suspend: { grounds: 'Chậm tiến độ nghiêm trọng', remedyDays: 60 },
  resume: {},
  requestTermination: { grounds: 'Chủ nhiệm chuyển công tác' },
  proposeTermination: { grounds: 'Không khắc phục sau tạm dừng' },
  submitObservations: { observations: 'Tổ chức chủ trì đã bổ sung nhân lực.' },
  decideTermination: { terminate: true, cause: 'objective', fundsSpent: 300_000_000 },
  startSelfEvaluation: {},
  submitAcceptanceDossier: { fundsSpent: 1_400_000_000, documents: ['Báo cáo tổng hợp kết quả', 'Báo cáo sử dụng kinh phí'] },
  checkAcceptanceDossier: { complete: true },
  submitRevisedResults: { summary: 'Đã bổ sung số liệu vụ 2 và chỉnh sửa báo cáo tổng hợp theo kết luận của hội đồng.' },
  formAcceptanceCouncil: { meetingOn: '2028-05-10' },
  recognizeResult: {},
  registerResult: { certificates: ['GCN-2028-015'] },
  settleFinances: { fundsSpent: 1_450_000_000 },
  recordRefund: { amount: 50_000_000 },
  writeOffRefund: { amount: 20_000_000, decisionNumber: '45/QĐ-UBND', decidedOn: '2029-03-02', grounds: 'Tổ chức chủ trì đã giải thể, không còn tài sản để thu hồi' },
  liquidate: {},
  archive: {},
  withdraw: { reason: 'Tổ chức không còn đủ năng lực thực hiện' },
  formCouncil: {
    kind: 'C-ID',
    members: [
      { memberId: 'cm-1', name: 'Phạm Thị Ngọc Ánh', email: 'cm1@hoidong.example.vn', role: 'chair', title: 'PGS.TS.', workplace: 'Viện Sinh học Nhiệt đới' },
      { memberId: 'cm-2', name: 'Đặng Quốc Việt', email: 'cm2@hoidong.example.vn', role: 'vice_chair' },
      { memberId: 'cm-3', name: 'Lý Thị Thu Hà', email: 'cm3@hoidong.example.vn', role: 'reviewer' },
      { memberId: 'cm-4', name: 'Hồ Văn Lực', email: 'cm4@hoidong.example.vn', role: 'reviewer' },
      { memberId: 'cm-5', name: 'Trương Mỹ Linh', email: 'cm5@hoidong.example.vn', role: 'member' },
      { memberId: 'cm-6', name: 'Bùi Đức Thịnh', email: 'cm6@hoidong.example.vn', role: 'member' },
      { memberId: 'cm-7', name: 'Vũ Hoàng Yến', email: 'cm7@hoidong.example.vn', role: 'member' },
    ],
    meetingOn: '2027-02-15',
    votingDeadline: '2027-02-15T17:00:00+07:00',
    ballot: 'secret',
  },
  assignOfficer: { officer: { userId: 'u-manager-1', name: 'Trần Đức Thắng', email: 'thang.td@skhcn.example.vn' } },
};
