/**
 * Portfolio monitoring by "5 rõ" (domain.md §8): the managers' dashboards and the
 * six-month report, from the read models only, for the caller's Department.
 * Managers and admins only; every query parameter is validated (an unknown one
 * is refused with a problem naming it); default windows come from the
 * deployment's rule-set (RS-1): the reminder lead time for "due soon", the A-3
 * extension notice for "ending soon".
 */
import { Router, type Request } from 'express';
import type { OpenAPIRegistry, ResponseConfig } from '@asteasolutions/zod-to-openapi';
import { z } from '../zod';
import { ruleSetOf } from '../../activities/config';
import { createPortfolioQueries } from '../../activities/portfolio/queries';
import { buildSixMonthReport, renderSixMonthReportPdf, renderSixMonthReportXlsx } from '../../activities/portfolio/report';
import { daysBetween, isValidIsoDate, vnDateOf } from '../../workflows/rules/calendar';
import { ruleSetFor } from '../../workflows/rules/ruleset';
import { caller, requireRole } from '../auth';
import type { ApiDeps } from '../deps';
import { pickLocale } from '../i18n';
import { parseOrThrow, Problem } from '../problem';

/** A report date: a real calendar date of this century (the pattern says so in the OpenAPI document too). */
const reportDate = z
  .string()
  .regex(/^20\d{2}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/)
  .refine(isValidIsoDate, { params: { realDate: true } })
  .openapi({ format: 'date' });
const limit = z.coerce.number().int().min(1).max(1000).optional().describe('Largest number of items listed (groups and totals always count all); default 200');
const days = (what: string) => z.coerce.number().int().min(1).max(366).optional().describe(what);
const year = z.coerce.number().int().min(2000).max(2100).optional();

export const PORTFOLIO_QUERY = {
  counts: z.object({}).strict(),
  overdue: z.object({ limit }).strict(),
  dueSoon: z.object({ days: days('Window in days from today; default: the rule-set\'s reminder lead time'), limit }).strict(),
  endingSoon: z.object({ days: days('Days before the contract end; default: the rule-set\'s A-3 extension notice (60)') }).strict(),
  acceptanceDossiers: z.object({}).strict(),
  budget: z.object({ fromYear: year.describe('First year listed'), toYear: year.describe('Last year listed (not before fromYear, else 400)') }).strict(),
  sixMonth: z
    .object({ from: reportDate.describe('First day of the period (YYYY-MM-DD)'), to: reportDate.describe('Last day of the period: not before from, at most a year later (else 400)'), format: z.enum(['pdf', 'xlsx']).default('pdf') })
    .strict(),
} as const;

/** Each parameter is well-formed, but together they name no period: 400 like any invalid input, naming the parameter. */
const badRange = (field: string, vi: string, en: string) =>
  new Problem(400, 'invalid-range', { vi: 'Khoảng thời gian không hợp lệ', en: 'Invalid range' }, { vi, en }, { in: 'query', errors: [{ field, code: 'invalid_range', reason: en }] });

const DEFAULT_LIMIT = 200;
const today = () => vnDateOf(new Date().toISOString());

export function portfolioRouter({ config, store }: ApiDeps): Router {
  const r = Router();
  const q = createPortfolioQueries(store);
  const rs = ruleSetFor(ruleSetOf(config));
  const query = <S extends z.ZodType>(schema: S, req: Request): z.infer<S> => parseOrThrow(schema, req.query, pickLocale(req), 'query');
  const dept = (req: Request) => caller(req).departmentId;

  r.use('/portfolio', requireRole('manager', 'admin'));

  r.get('/portfolio/counts', async (req, res) => {
    query(PORTFOLIO_QUERY.counts, req);
    const { byLevelStage: _detail, ...counts } = await q.counts(dept(req));
    res.json({ departmentId: dept(req), asOf: today(), ...counts });
  });

  r.get('/portfolio/obligations/overdue', async (req, res) => {
    const p = query(PORTFOLIO_QUERY.overdue, req);
    const t = today();
    res.json({ departmentId: dept(req), asOf: t, ...(await q.overdueObligations(dept(req), t, t, p.limit ?? DEFAULT_LIMIT)) });
  });

  r.get('/portfolio/obligations/due-soon', async (req, res) => {
    const p = query(PORTFOLIO_QUERY.dueSoon, req);
    const t = today();
    const d = p.days ?? rs.reminderDaysBefore;
    res.json({ departmentId: dept(req), asOf: t, days: d, ...(await q.dueSoonObligations(dept(req), t, d, p.limit ?? DEFAULT_LIMIT)) });
  });

  r.get('/portfolio/tasks/ending-soon', async (req, res) => {
    const p = query(PORTFOLIO_QUERY.endingSoon, req);
    const t = today();
    const d = p.days ?? rs.extension.requestMinDaysBeforeEnd;
    const items = await q.endingSoon(dept(req), t, d);
    res.json({ departmentId: dept(req), asOf: t, days: d, total: items.length, items });
  });

  r.get('/portfolio/acceptance-dossiers/overdue', async (req, res) => {
    query(PORTFOLIO_QUERY.acceptanceDossiers, req);
    const t = today();
    const items = await q.overdueAcceptanceDossiers(dept(req), t);
    res.json({ departmentId: dept(req), asOf: t, total: items.length, items });
  });

  r.get('/portfolio/budget', async (req, res) => {
    const p = query(PORTFOLIO_QUERY.budget, req);
    if (p.fromYear !== undefined && p.toYear !== undefined && p.fromYear > p.toYear) throw badRange('fromYear', `Năm đầu (${p.fromYear}) sau năm cuối (${p.toYear}).`, `fromYear (${p.fromYear}) is after toYear (${p.toYear}).`);
    res.json({ departmentId: dept(req), ...(await q.budget(dept(req), p.fromYear, p.toYear)) });
  });

  r.get('/portfolio/reports/six-month', async (req, res) => {
    const p = query(PORTFOLIO_QUERY.sixMonth, req);
    const span = daysBetween(p.from, p.to);
    if (span < 0) throw badRange('to', `Ngày cuối kỳ (${p.to}) trước ngày đầu kỳ (${p.from}).`, `to (${p.to}) is before from (${p.from}).`);
    if (span > 366) throw badRange('to', 'Một báo cáo bao quát tối đa một năm.', 'A report covers at most one year.');
    const generatedAt = new Date().toISOString();
    const report = await buildSixMonthReport(q, {
      departmentId: dept(req),
      departmentName: config.DEPARTMENT_NAME,
      place: config.DOCUMENT_PLACE,
      from: p.from,
      to: p.to,
      generatedAt,
      today: vnDateOf(generatedAt),
    });
    const file = `bao-cao-6-thang-${p.from}-${p.to}.${p.format}`;
    const body = p.format === 'pdf' ? await renderSixMonthReportPdf(report) : await renderSixMonthReportXlsx(report);
    res
      .status(200)
      .type(p.format === 'pdf' ? 'application/pdf' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .set('Content-Disposition', `attachment; filename="${file}"`)
      .send(body);
  });

  return r;
}

// ---------------------------------------------------------------------------------------------
// OpenAPI
// ---------------------------------------------------------------------------------------------

const Group = z.object({ key: z.string(), name: z.string(), count: z.number().int() }).strict();
const ObligationItem = z
  .object({
    taskId: z.string(),
    code: z.string().describe('The Department\'s code of the task'),
    title: z.string(),
    level: z.string(),
    stage: z.string(),
    obligationId: z.string(),
    kind: z.string(),
    rule: z.string(),
    deliverable: z.object({ vi: z.string(), en: z.string() }).describe('Clear task'),
    assignee: z.enum(['host', 'department']),
    assigneeName: z.string().describe('Clear person'),
    person: z.object({ key: z.string(), name: z.string() }),
    unit: z.object({ key: z.string(), name: z.string() }),
    accountable: z.object({ key: z.string(), name: z.string(), email: z.string().optional() }).describe('Clear responsibility'),
    dueOn: z.string().describe('Clear progress'),
    status: z.string(),
    daysOverdue: z.number().int().describe('Days past due (negative: days left)'),
  })
  .strict();
const ObligationReport = z.object({
  departmentId: z.string(),
  asOf: z.string(),
  days: z.number().int().optional(),
  total: z.number().int(),
  byPerson: z.array(Group).describe('Clear person: the PI (host duties) or the officer (Department duties)'),
  byUnit: z.array(Group).describe('The host organisation, or the Department for its own decisions'),
  byAccountable: z.array(Group).describe('The accountable Department officer'),
  items: z.array(ObligationItem),
});
const Counts = z.object({
  departmentId: z.string(),
  asOf: z.string(),
  total: z.number().int(),
  byLevel: z.array(z.object({ level: z.string(), count: z.number().int() })),
  byForm: z.array(z.object({ form: z.string(), count: z.number().int() })),
  byStage: z.array(z.object({ stage: z.string(), count: z.number().int() })),
});
const EndingSoon = z.object({
  departmentId: z.string(),
  asOf: z.string(),
  days: z.number().int(),
  total: z.number().int(),
  items: z.array(z.object({ taskId: z.string(), code: z.string(), title: z.string(), level: z.string(), form: z.string(), stage: z.string(), endOn: z.string(), daysLeft: z.number().int() }).loose()),
});
const Dossiers = z.object({ departmentId: z.string(), asOf: z.string(), total: z.number().int(), items: z.array(ObligationItem) });
const BudgetYear = z.object({ year: z.number().int(), approvedState: z.number().int(), approvedOther: z.number().int(), disbursed: z.number().int(), refunded: z.number().int() }).strict();
const Budget = z.object({ departmentId: z.string(), years: z.array(BudgetYear), totals: BudgetYear.omit({ year: true }) });

export function registerPortfolioPaths(
  registry: OpenAPIRegistry,
  h: { json: (d: string, s: z.ZodType) => ResponseConfig; errors: Record<string, ResponseConfig>; languageHeader: z.ZodObject },
): void {
  const paths: { id: string; path: string; summary: string; query: z.ZodType; ok: ResponseConfig }[] = [
    { id: 'portfolioCounts', path: '/api/v1/portfolio/counts', summary: 'Tasks by level, form and stage (§8)', query: PORTFOLIO_QUERY.counts, ok: h.json('Counts', Counts) },
    { id: 'portfolioOverdueObligations', path: '/api/v1/portfolio/obligations/overdue', summary: 'Obligations past due, by person, unit and accountable officer (§8)', query: PORTFOLIO_QUERY.overdue, ok: h.json('Overdue obligations', ObligationReport) },
    { id: 'portfolioDueSoonObligations', path: '/api/v1/portfolio/obligations/due-soon', summary: 'Obligations due within a window, by person, unit and accountable officer (§8)', query: PORTFOLIO_QUERY.dueSoon, ok: h.json('Obligations due soon', ObligationReport) },
    { id: 'portfolioTasksEndingSoon', path: '/api/v1/portfolio/tasks/ending-soon', summary: 'Tasks near their contract end with neither an extension request nor an acceptance dossier (§8, A-3)', query: PORTFOLIO_QUERY.endingSoon, ok: h.json('Tasks ending soon', EndingSoon) },
    { id: 'portfolioOverdueAcceptanceDossiers', path: '/api/v1/portfolio/acceptance-dossiers/overdue', summary: 'Acceptance dossiers past due (L-18)', query: PORTFOLIO_QUERY.acceptanceDossiers, ok: h.json('Overdue acceptance dossiers', Dossiers) },
    { id: 'portfolioBudget', path: '/api/v1/portfolio/budget', summary: 'Budget approved vs disbursed vs refunded by year, integer VND (§8)', query: PORTFOLIO_QUERY.budget, ok: h.json('Budget by year', Budget) },
    {
      id: 'portfolioSixMonthReport',
      path: '/api/v1/portfolio/reports/six-month',
      summary: 'The six-month portfolio report for the province, as PDF or XLSX (§8)',
      query: PORTFOLIO_QUERY.sixMonth,
      ok: {
        description: 'The report',
        content: {
          'application/pdf': { schema: z.string().describe('binary') },
          'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: z.string().describe('binary') },
        },
      },
    },
  ];
  for (const p of paths) {
    registry.registerPath({
      method: 'get',
      path: p.path,
      operationId: p.id,
      summary: p.summary,
      description: 'Roles: manager, admin. Scoped to the caller\'s Department.',
      security: [{ bearer: [] }, { session: [] }],
      request: { query: p.query as z.ZodObject, headers: h.languageHeader },
      responses: { 200: p.ok, ...h.errors },
    });
  }
}
