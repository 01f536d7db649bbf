/**
 * Request and response schemas: validation, TypeScript types and (later) the
 * OpenAPI document come from here. Every object is strict: unknown fields are refused.
 */
import { z } from './zod';
import { TASK_FORMS, TASK_LEVELS } from '../workflows/definitions';

/** Integer VND, never negative; 10^15 is far above any S&T budget and inside 2^53. */
const vnd = z.number().int().min(0).max(1_000_000_000_000_000);
const text = (max: number) => z.string().trim().min(1).max(max);

export const ProposalBody = z
  .object({
    title: text(500),
    urgency: text(10_000),
    objectives: text(10_000),
    expectedProducts: z.array(text(2_000)).min(1).max(50),
    resultUsage: text(10_000),
    durationMonths: z.number().int().min(1).max(120),
    budget: z.object({ stateBudget: vnd, otherSources: vnd }).strict(),
    level: z.enum(TASK_LEVELS),
    form: z.enum(TASK_FORMS),
    proposer: z
      .object({
        name: text(200),
        organisation: text(500),
        email: z.email(),
        phone: z.string().trim().regex(/^\+?[0-9 .()-]{6,20}$/).optional(),
      })
      .strict(),
  })
  .strict();
export type ProposalBody = z.infer<typeof ProposalBody>;

export const TaskIdParam = z.object({ taskId: z.string().regex(/^NV-[0-9A-Z]{10,32}$/) }).strict();
export const DocumentParams = z
  .object({ taskId: TaskIdParam.shape.taskId, documentId: z.string().regex(/^doc-[0-9a-f]{24}$/) })
  .strict();

export const IdempotencyKey = z.string().regex(/^[A-Za-z0-9_.:-]{8,128}$/);

// ---- Responses (documented in OpenAPI; the tests hold responses to them) ----

const Stage = z.string().describe('Task stage, domain.md §2 (e.g. PROPOSED, IDENTIFICATION_REVIEW)');

export const TaskCreated = z
  .object({ taskId: z.string(), workflowId: z.string(), stage: Stage, links: z.object({ self: z.string() }).strict() })
  .strict();

export const TimelineEntry = z
  .object({
    at: z.string(),
    stage: Stage,
    rule: z.string().describe('Rule ID of domain.md that made the transition'),
    by: z.object({ userId: z.string(), role: z.string(), name: z.string() }).strict(),
    action: z.string().optional(),
    note: z.string().optional(),
  })
  .strict();

export const DocumentLink = z
  .object({ documentId: z.string(), kind: z.string(), title: z.string(), stateHash: z.string(), createdAt: z.string(), url: z.string() })
  .strict();

const Person = z.object({ name: z.string(), email: z.string() }).strict();
const Host = z.object({ orgId: z.string(), orgName: z.string(), pi: Person }).strict();

export const Obligation = z
  .object({
    id: z.string(),
    kind: z.string(),
    rule: z.string(),
    deliverable: z.object({ vi: z.string(), en: z.string() }).strict().describe('Clear task'),
    assignee: z.enum(['host', 'department']).describe('Clear person'),
    assigneeName: z.string(),
    accountable: Person.optional().describe('Clear responsibility: the accountable officer'),
    dueOn: z.string().describe('Clear progress: due date (Vietnam)'),
    remindOn: z.string().optional(),
    status: z.enum(['OPEN', 'DONE', 'OVERDUE', 'WAIVED', 'CANCELLED']),
    pausable: z.boolean(),
    right: z.boolean().optional().describe('A right that lapses, not a duty'),
    reminded: z.boolean(),
    escalated: z.boolean(),
    evidence: z.string().optional().describe('Clear result'),
    closedAt: z.string().optional(),
  })
  .strict();

const Funds = z
  .object({
    approvedState: z.number().int(),
    approvedOther: z.number().int(),
    disbursed: z.number().int(),
    disbursements: z.array(z.object({ on: z.string(), amount: z.number().int(), note: z.string().optional() }).strict()),
    refundDue: z
      .object({ unspent: z.number().int(), spentShare: z.number().int(), total: z.number().int(), cause: z.enum(['objective', 'subjective']), basis: z.object({ vi: z.string(), en: z.string() }).strict() })
      .strict()
      .optional(),
    refunded: z.number().int(),
    refunds: z.array(z.object({ on: z.string(), amount: z.number().int() }).strict()).optional().describe('Refunds received, dated'),
  })
  .strict();

export const TaskView = z
  .object({
    taskId: z.string(),
    workflowId: z.string(),
    stage: Stage,
    version: z.number().int(),
    title: z.string(),
    level: z.string(),
    form: z.string(),
    ruleSet: z.object({ regime: z.string(), provinceProfile: z.string(), version: z.string() }).strict(),
    submittedAt: z.string(),
    proposal: ProposalBody,
    host: Host.optional(),
    accountableOfficer: Person.optional(),
    contract: z.object({ hostSignedAt: z.string().optional(), departmentSignedAt: z.string().optional(), startOn: z.string().optional(), endOn: z.string().optional(), originalEndOn: z.string().optional() }).strict().optional(),
    funds: Funds,
    obligations: z.array(Obligation),
    reports: z.array(z.object({ period: z.number().int(), dueOn: z.string(), submittedAt: z.string().optional(), late: z.boolean().optional() }).strict()),
    councils: z.array(z.object({ council: z.string(), outcome: z.string(), decidedAt: z.string() }).strict()),
    councilSittings: z.array(
      z
        .object({
          councilId: z.string(),
          kind: z.string(),
          status: z.string(),
          formedAt: z.string(),
          outcome: z.string().optional(),
          warnings: z.array(z.object({ rule: z.string(), vi: z.string(), en: z.string() }).strict()).describe('C-8 continuity warnings'),
          href: z.string(),
        })
        .strict(),
    ),
    timeline: z.array(TimelineEntry),
    documents: z.array(DocumentLink),
    allowedActions: z.array(z.object({ command: z.string(), href: z.string() }).strict()).describe('Commands the caller may give now'),
    links: z.object({ self: z.string() }).strict(),
  })
  .strict();

export const ProblemDetails = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().optional(),
  instance: z.string().optional(),
  requestId: z.string().optional(),
  in: z.string().optional(),
  errors: z.array(z.object({ field: z.string(), code: z.string(), reason: z.string() })).optional(),
});

const DependencyStatus = z.object({ status: z.enum(['up', 'down']), latencyMs: z.number(), error: z.string().optional() }).strict();
export const Health = z
  .object({
    status: z.enum(['up', 'down']),
    dependencies: z.object({ temporal: DependencyStatus, mongodb: DependencyStatus, smtp: DependencyStatus }).strict(),
  })
  .strict();
