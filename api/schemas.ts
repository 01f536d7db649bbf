/**
 * Request and response schemas: validation, TypeScript types and (later) the
 * OpenAPI document come from here. Every object is strict: unknown fields are refused.
 */
import { z } from 'zod';
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

export const StartIdentificationReviewBody = z.object({ note: text(2_000).optional() }).strict();

export const IdempotencyKey = z.string().regex(/^[A-Za-z0-9_.:-]{8,128}$/);
