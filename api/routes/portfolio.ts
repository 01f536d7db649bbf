/**
 * Portfolio monitoring by "5 rõ" (domain.md §8): the managers' dashboards and the
 * six-month report, from the read models only, for the caller's Department.
 * Managers and admins only; every query parameter is validated (an unknown one
 * is refused with a problem naming it); default windows come from the
 * deployment's rule-set (RS-1): the reminder lead time for "due soon", the A-3
 * extension notice for "ending soon".
 */
import { Router, type Request, type Response } from 'express';
import type { OpenAPIRegistry, ResponseConfig } from '@asteasolutions/zod-to-openapi';
import { z } from '../zod';
import { ruleSetOf } from '../../activities/config';
import { createPortfolioQueries, type ObligationReport } from '../../activities/portfolio/queries';
import { buildSixMonthReport, renderSixMonthReportPdf, renderSixMonthReportXlsx } from '../../activities/portfolio/report';
import { addDays, daysBetween, isValidIsoDate, vnDateOf } from '../../workflows/rules/calendar';
import { ruleSetFor } from '../../workflows/rules/ruleset';
import { caller, requireRole } from '../auth';
import type { ApiDeps } from '../deps';
import { pickLocale } from '../i18n';
import { parseOrThrow, Problem } from '../problem';
import { EXPORT_MAX_ROWS, formatParam, listResponse, sendTable } from '../export';
import { budgetColumns, countColumns, endingSoonColumns, formName, levelName, obligationColumns, refundColumns, stageName, stoppedColumns, timelineColumns, type CountRow } from '../list-columns';
import { DASHBOARD_STOP_STAGES } from '../../activities/portfolio/projection';

/** A report date: a real calendar date of this century (the pattern says so in the OpenAPI document too). */
const reportDate = z
  .string()
  .regex(/^20\d{2}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/)
  .refine(isValidIsoDate, { params: { realDate: true } })
  .openapi({ format: 'date' });
const limit = z.coerce.number().int().min(1).max(1000).optional().describe('Largest number of items listed (groups and totals always count all); default 200');
const days = (what: string) => z.coerce.number().int().min(1).max(366).optional().describe(what);
const year = z.coerce.number().int().min(2000).max(2100).optional();

const format = formatParam;
const isoDay = reportDate.describe('YYYY-MM-DD');

export const PORTFOLIO_QUERY = {
  counts: z.object({ format }).strict(),
  overdue: z.object({ limit, format }).strict(),
  dueSoon: z.object({ days: days('Window in days from today; default: the rule-set\'s reminder lead time'), limit, format }).strict(),
  endingSoon: z.object({ days: days('Days before the contract end; default: the rule-set\'s A-3 extension notice (60)'), format }).strict(),
  acceptanceDossiers: z.object({ format }).strict(),
  budget: z.object({ fromYear: year.describe('First year listed'), toYear: year.describe('Last year listed (not before fromYear, else 400)'), format }).strict(),
  refunds: z.object({ format }).strict(),
  stopped: z.object({ from: isoDay.optional().describe('Stopped on or after (default: any time)'), to: isoDay.optional().describe('Stopped on or before (default: today); not before from, else 400'), format }).strict(),
  timeline: z
    .object({
      from: isoDay.optional().describe('First day of the window (default: today)'),
      to: isoDay.optional().describe('Last day of the window (default: a year after from); not before from and at most five years after it, else 400'),
      limit,
      format,
    })
    .strict(),
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

  const file = (f: 'json' | 'csv' | 'xlsx' | undefined): f is 'csv' | 'xlsx' => f === 'csv' || f === 'xlsx';

  r.get('/portfolio/counts', async (req, res) => {
    const p = query(PORTFOLIO_QUERY.counts, req);
    const { byLevelStage: _detail, ...counts } = await q.counts(dept(req));
    if (file(p.format)) {
      const l = pickLocale(req);
      const g = (vi: string, en: string) => (l === 'vi' ? vi : en);
      const rows: CountRow[] = [
        { group: g('Tổng số', 'Total'), key: 'total', name: g('Tổng số nhiệm vụ', 'Tasks in all'), value: counts.total },
        ...counts.byLevel.map((x) => ({ group: g('Cấp quản lý', 'Level'), key: x.level, name: levelName(x.level, l), value: x.count })),
        ...counts.byForm.map((x) => ({ group: g('Hình thức', 'Form'), key: x.form, name: formName(x.form, l), value: x.count })),
        ...counts.byStage.map((x) => ({ group: g('Giai đoạn', 'Stage'), key: x.stage, name: stageName(x.stage, l), value: x.count })),
        ...counts.stopped.byStage.map((x) => ({ group: g('Nhiệm vụ dừng', 'Stopped tasks'), key: x.stage, name: stageName(x.stage, l), value: x.count })),
        { group: g('Hoàn trả kinh phí', 'Refunds'), key: 'owed', name: g('Phải hoàn trả (đồng)', 'Owed (VND)'), value: counts.refunds.owed },
        { group: g('Hoàn trả kinh phí', 'Refunds'), key: 'recovered', name: g('Đã thu hồi (đồng)', 'Recovered (VND)'), value: counts.refunds.recovered },
        { group: g('Hoàn trả kinh phí', 'Refunds'), key: 'outstanding', name: g('Còn phải thu hồi (đồng)', 'Outstanding (VND)'), value: counts.refunds.outstanding },
      ];
      return sendTable(res, { format: p.format, locale: l, filename: `so-lieu-nhiem-vu-${today()}`, sheet: { vi: 'Số liệu', en: 'Counts' }, columns: countColumns(), rows });
    }
    res.json({ departmentId: dept(req), asOf: today(), ...counts });
  });

  /** An obligation report as JSON, or its items as a file (all of them, or `limit`). */
  const obligationList = async (req: Request, res: Response, format: 'json' | 'csv' | 'xlsx' | undefined, limit: number | undefined, name: string, sheet: { vi: string; en: string }, read: (limit: number) => Promise<ObligationReport>, extra: Record<string, unknown> = {}) => {
    const t = today();
    if (file(format)) {
      const report = await read(limit ?? EXPORT_MAX_ROWS);
      return sendTable(res, { format, locale: pickLocale(req), filename: `${name}-${t}`, sheet, columns: obligationColumns(pickLocale(req)), rows: report.items, truncated: report.total > report.items.length && limit === undefined });
    }
    res.json({ departmentId: dept(req), asOf: t, ...extra, ...(await read(limit ?? DEFAULT_LIMIT)) });
  };

  r.get('/portfolio/obligations/overdue', async (req, res) => {
    const p = query(PORTFOLIO_QUERY.overdue, req);
    const t = today();
    await obligationList(req, res, p.format, p.limit, 'nghia-vu-qua-han', { vi: 'Nghĩa vụ quá hạn', en: 'Overdue obligations' }, (n) => q.overdueObligations(dept(req), t, t, n));
  });

  r.get('/portfolio/obligations/due-soon', async (req, res) => {
    const p = query(PORTFOLIO_QUERY.dueSoon, req);
    const t = today();
    const d = p.days ?? rs.reminderDaysBefore;
    await obligationList(req, res, p.format, p.limit, `nghia-vu-den-han-${d}-ngay`, { vi: 'Nghĩa vụ sắp đến hạn', en: 'Obligations due soon' }, (n) => q.dueSoonObligations(dept(req), t, d, n), { days: d });
  });

  r.get('/portfolio/tasks/ending-soon', async (req, res) => {
    const p = query(PORTFOLIO_QUERY.endingSoon, req);
    const t = today();
    const d = p.days ?? rs.extension.requestMinDaysBeforeEnd;
    const items = await q.endingSoon(dept(req), t, d);
    if (file(p.format)) return sendTable(res, { format: p.format, locale: pickLocale(req), filename: `nhiem-vu-sap-ket-thuc-${t}`, sheet: { vi: 'Sắp kết thúc', en: 'Ending soon' }, columns: endingSoonColumns(pickLocale(req)), rows: items });
    res.json({ departmentId: dept(req), asOf: t, days: d, total: items.length, items });
  });

  r.get('/portfolio/acceptance-dossiers/overdue', async (req, res) => {
    const p = query(PORTFOLIO_QUERY.acceptanceDossiers, req);
    const t = today();
    const items = await q.overdueAcceptanceDossiers(dept(req), t);
    if (file(p.format)) return sendTable(res, { format: p.format, locale: pickLocale(req), filename: `ho-so-nghiem-thu-qua-han-${t}`, sheet: { vi: 'Hồ sơ nghiệm thu quá hạn', en: 'Overdue acceptance dossiers' }, columns: obligationColumns(pickLocale(req)), rows: items });
    res.json({ departmentId: dept(req), asOf: t, total: items.length, items });
  });

  r.get('/portfolio/budget', async (req, res) => {
    const p = query(PORTFOLIO_QUERY.budget, req);
    if (p.fromYear !== undefined && p.toYear !== undefined && p.fromYear > p.toYear) throw badRange('fromYear', `Năm đầu (${p.fromYear}) sau năm cuối (${p.toYear}).`, `fromYear (${p.fromYear}) is after toYear (${p.toYear}).`);
    const budget = await q.budget(dept(req), p.fromYear, p.toYear);
    if (file(p.format)) {
      const l = pickLocale(req);
      const rows = [...budget.years, { year: 0, label: l === 'vi' ? 'Tổng cộng' : 'Total', ...budget.totals }];
      return sendTable(res, { format: p.format, locale: l, filename: `kinh-phi-theo-nam-${today()}`, sheet: { vi: 'Kinh phí theo năm', en: 'Budget by year' }, columns: budgetColumns(), rows });
    }
    res.json({ departmentId: dept(req), ...budget });
  });

  // Issue 11, T-3: refunds owed and recovered, task by task.
  r.get('/portfolio/refunds', async (req, res) => {
    const p = query(PORTFOLIO_QUERY.refunds, req);
    const { totals, items } = await q.refunds(dept(req));
    if (file(p.format)) return sendTable(res, { format: p.format, locale: pickLocale(req), filename: `hoan-tra-kinh-phi-${today()}`, sheet: { vi: 'Hoàn trả kinh phí', en: 'Refunds' }, columns: refundColumns(pickLocale(req)), rows: items });
    res.json({ departmentId: dept(req), asOf: today(), totals, total: items.length, items });
  });

  // Issue 11: stopped tasks (terminated, failed at acceptance, cancelled before the contract, withdrawn), with their grounds.
  r.get('/portfolio/tasks/stopped', async (req, res) => {
    const p = query(PORTFOLIO_QUERY.stopped, req);
    const t = today();
    const from = p.from ?? '2000-01-01';
    const to = p.to ?? t;
    if (daysBetween(from, to) < 0) throw badRange('to', `Ngày cuối (${to}) trước ngày đầu (${from}).`, `to (${to}) is before from (${from}).`);
    const items = (await q.stoppedBetween(dept(req), from, to)).filter((x) => DASHBOARD_STOP_STAGES.includes(x.stoppedStage as never));
    if (file(p.format)) return sendTable(res, { format: p.format, locale: pickLocale(req), filename: `nhiem-vu-dung-${t}`, sheet: { vi: 'Nhiệm vụ dừng', en: 'Stopped tasks' }, columns: stoppedColumns(pickLocale(req)), rows: items });
    const byStage = DASHBOARD_STOP_STAGES.map((stage) => ({ stage, count: items.filter((x) => x.stoppedStage === stage).length }));
    res.json({ departmentId: dept(req), asOf: t, ...(p.from ? { from: p.from } : {}), to, total: items.length, byStage, items });
  });

  // Issue 11: tasks against their contract periods, with the deadlines inside the window.
  r.get('/portfolio/timeline', async (req, res) => {
    const p = query(PORTFOLIO_QUERY.timeline, req);
    const from = p.from ?? today();
    const to = p.to ?? addDays(from, 365);
    const span = daysBetween(from, to);
    if (span < 0) throw badRange('to', `Ngày cuối (${to}) trước ngày đầu (${from}).`, `to (${to}) is before from (${from}).`);
    if (span > 5 * 366) throw badRange('to', 'Khoảng thời gian tối đa năm năm.', 'The window is at most five years.');
    const { total, items } = await q.timeline(dept(req), from, to, file(p.format) ? (p.limit ?? EXPORT_MAX_ROWS) : (p.limit ?? DEFAULT_LIMIT));
    if (file(p.format)) return sendTable(res, { format: p.format, locale: pickLocale(req), filename: `tien-do-hop-dong-${from}-${to}`, sheet: { vi: 'Tiến độ hợp đồng', en: 'Timeline' }, columns: timelineColumns(pickLocale(req)), rows: items });
    res.json({ departmentId: dept(req), asOf: today(), from, to, total, items });
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
const RefundTotals = z
  .object({
    owed: z.number().int().describe('Refunds owed by fund-recovery decisions (T-3), integer VND'),
    recovered: z.number().int().describe('Refunds received, integer VND'),
    outstanding: z.number().int().describe('Still to recover: the sum over tasks of what each owes beyond what it paid back'),
    tasks: z.number().int().describe('Tasks that owe a refund'),
  })
  .strict();
const StopStage = z.enum(DASHBOARD_STOP_STAGES as unknown as [string, ...string[]]);
const Counts = z.object({
  departmentId: z.string(),
  asOf: z.string(),
  total: z.number().int(),
  byLevel: z.array(z.object({ level: z.string(), count: z.number().int() })),
  byForm: z.array(z.object({ form: z.string(), count: z.number().int() })),
  byStage: z.array(z.object({ stage: z.string(), count: z.number().int() })),
  refunds: RefundTotals.describe('Issue 11: refunds owed and recovered (list: /portfolio/refunds)'),
  stopped: z
    .object({ total: z.number().int(), byStage: z.array(z.object({ stage: StopStage, count: z.number().int() }).strict()) })
    .strict()
    .describe('Issue 11: tasks stopped (terminated, acceptance failed, cancelled before the contract, withdrawn), by the stage that stopped them, whatever came after (list: /portfolio/tasks/stopped)'),
});
const Refunds = z
  .object({
    departmentId: z.string(),
    asOf: z.string(),
    totals: RefundTotals,
    total: z.number().int(),
    items: z.array(
      z
        .object({
          taskId: z.string(),
          code: z.string(),
          title: z.string(),
          level: z.string(),
          form: z.string(),
          stage: z.string(),
          host: z.object({ orgId: z.string(), orgName: z.string(), pi: z.object({ name: z.string() }).strict() }).strict().optional(),
          refundDue: z.number().int(),
          refunded: z.number().int(),
          outstanding: z.number().int(),
        })
        .strict(),
    ).describe('Tasks that owe or have paid back state funds, most outstanding first'),
  })
  .strict();
const Stopped = z
  .object({
    departmentId: z.string(),
    asOf: z.string(),
    from: z.string().optional(),
    to: z.string(),
    total: z.number().int(),
    byStage: z.array(z.object({ stage: StopStage, count: z.number().int() }).strict()),
    items: z.array(
      z
        .object({
          taskId: z.string(),
          code: z.string(),
          title: z.string(),
          level: z.string(),
          form: z.string(),
          stage: z.string().describe('Where the task is now (e.g. LIQUIDATED after fund recovery)'),
          stoppedOn: z.string(),
          stoppedStage: StopStage,
          stopRule: z.string(),
          stopGrounds: z.string(),
          host: z.object({ orgName: z.string() }).strict().optional(),
        })
        .strict(),
    ).describe('Stopped in the period, earliest first'),
  })
  .strict();
const Timeline = z
  .object({
    departmentId: z.string(),
    asOf: z.string(),
    from: z.string(),
    to: z.string(),
    total: z.number().int().describe('Tasks whose contract period overlaps the window'),
    items: z.array(
      z
        .object({
          taskId: z.string(),
          code: z.string(),
          title: z.string(),
          level: z.string(),
          form: z.string(),
          stage: z.string(),
          host: z.object({ orgId: z.string(), orgName: z.string() }).strict().optional(),
          startOn: z.string().optional().describe('Contract start'),
          endOn: z.string().describe('Contract end, extensions included'),
          deadlines: z.array(
            z
              .object({
                obligationId: z.string(),
                kind: z.string(),
                rule: z.string(),
                deliverable: z.object({ vi: z.string(), en: z.string() }).strict(),
                assignee: z.enum(['host', 'department']),
                dueOn: z.string(),
                status: z.string(),
                overdue: z.boolean(),
              })
              .strict(),
          ).describe('Open and overdue obligations due inside the window'),
        })
        .strict(),
    ).describe('Earliest end first (at most limit)'),
  })
  .strict();
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
    { id: 'portfolioCounts', path: '/api/v1/portfolio/counts', summary: 'Tasks by level, form and stage; refunds owed and recovered; stopped tasks (§8)', query: PORTFOLIO_QUERY.counts, ok: listResponse('Counts', Counts) },
    { id: 'portfolioOverdueObligations', path: '/api/v1/portfolio/obligations/overdue', summary: 'Obligations past due, by person, unit and accountable officer (§8)', query: PORTFOLIO_QUERY.overdue, ok: listResponse('Overdue obligations', ObligationReport) },
    { id: 'portfolioDueSoonObligations', path: '/api/v1/portfolio/obligations/due-soon', summary: 'Obligations due within a window, by person, unit and accountable officer (§8)', query: PORTFOLIO_QUERY.dueSoon, ok: listResponse('Obligations due soon', ObligationReport) },
    { id: 'portfolioTasksEndingSoon', path: '/api/v1/portfolio/tasks/ending-soon', summary: 'Tasks near their contract end with neither an extension request nor an acceptance dossier (§8, A-3)', query: PORTFOLIO_QUERY.endingSoon, ok: listResponse('Tasks ending soon', EndingSoon) },
    { id: 'portfolioOverdueAcceptanceDossiers', path: '/api/v1/portfolio/acceptance-dossiers/overdue', summary: 'Acceptance dossiers past due (L-18)', query: PORTFOLIO_QUERY.acceptanceDossiers, ok: listResponse('Overdue acceptance dossiers', Dossiers) },
    { id: 'portfolioBudget', path: '/api/v1/portfolio/budget', summary: 'Budget approved vs disbursed vs refunded by year, integer VND (§8)', query: PORTFOLIO_QUERY.budget, ok: listResponse('Budget by year', Budget) },
    { id: 'portfolioRefunds', path: '/api/v1/portfolio/refunds', summary: 'Refunds owed and recovered, task by task (T-3)', query: PORTFOLIO_QUERY.refunds, ok: listResponse('Refunds', Refunds) },
    { id: 'portfolioStoppedTasks', path: '/api/v1/portfolio/tasks/stopped', summary: 'Stopped tasks: terminated, failed at acceptance, cancelled before the contract, withdrawn, with their grounds', query: PORTFOLIO_QUERY.stopped, ok: listResponse('Stopped tasks', Stopped) },
    { id: 'portfolioTimeline', path: '/api/v1/portfolio/timeline', summary: 'Tasks against their contract periods, with the deadlines inside a window', query: PORTFOLIO_QUERY.timeline, ok: listResponse('Timeline', Timeline) },
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
      description: 'Roles: manager, admin. Scoped to the caller\'s Department.' + (p.id === 'portfolioSixMonthReport' ? '' : ' format=csv or format=xlsx downloads the list (its items, all of them unless limit is given) as a file, headings in the Accept-Language.'),
      security: [{ bearer: [] }, { session: [] }],
      request: { query: p.query as z.ZodObject, headers: h.languageHeader },
      responses: { 200: p.ok, ...h.errors },
    });
  }
}
