/**
 * Open data (issue 11, no sign-in): the Department's approved, ongoing and finished tasks with
 * the fields a citizen may reuse: code, title, level, form, origin (when recorded), host
 * organisation, principal investigator's name, contract start and end, total state budget,
 * stage, results registered. Never an e-mail address, a phone number, a ballot or a council
 * member's identity: the extraction reads the portfolio summaries (which hold none of those but
 * the PI's e-mail, which is not copied) and writes only the fields listed here.
 *
 * JSON or CSV (`?format=`), with stable field names (OPEN_DATA_FIELDS), the licence and the date
 * of extraction; CSV as UTF-8 with BOM, three comment lines ("# …") before the header. One
 * extraction is served for OPEN_DATA_CACHE_SECONDS (and may be cached as long downstream).
 */
import { Router } from 'express';
import type { OpenAPIRegistry, ResponseConfig } from '@asteasolutions/zod-to-openapi';
import { z } from '../zod';
import type { PortfolioTaskDoc } from '../../activities/store';
import { TaskStage as S, type TaskStage } from '../../workflows/definitions';
import type { ApiDeps } from '../deps';
import { pickLocale } from '../i18n';
import { parseOrThrow } from '../problem';
import { formName, levelName, stageName } from '../list-columns';

/** Tasks that reached approval (L-10) and were not dropped before a contract: approved, running, finished. */
export const OPEN_DATA_STAGES: readonly TaskStage[] = [
  S.APPROVED, S.CONTRACTED, S.IN_PROGRESS, S.UNDER_INSPECTION, S.ADJUSTMENT_PENDING, S.SUSPENDED, S.TERMINATION_PENDING, S.SELF_EVALUATION,
  S.ACCEPTANCE_SUBMITTED, S.ACCEPTANCE_REVIEW, S.ACCEPTED_EXCELLENT, S.ACCEPTED_PASS, S.RESULT_RECOGNIZED, S.RESULT_REGISTERED,
  S.FINANCIAL_SETTLEMENT, S.LIQUIDATED, S.ARCHIVED, S.TERMINATED, S.ACCEPTANCE_FAILED,
];

/** The fields, in order, with what each holds: the same names in JSON and CSV, kept stable. */
export const OPEN_DATA_FIELDS = [
  ['code', 'Mã nhiệm vụ của Sở / the Department\'s code of the task'],
  ['title', 'Tên nhiệm vụ / title'],
  ['level', 'Cấp quản lý (mã): national, ministerial, provincial, grassroots'],
  ['levelName', 'Cấp quản lý / level, in Vietnamese'],
  ['form', 'Hình thức (mã): research_topic, pilot_production, policy_study, st_project, programme'],
  ['formName', 'Hình thức / form, in Vietnamese'],
  ['origin', 'Nguồn gốc (đặt hàng, tài trợ, cơ sở) khi được ghi nhận; để trống khi chưa có / origin when recorded, else empty'],
  ['hostOrganisation', 'Tổ chức chủ trì / host organisation'],
  ['principalInvestigator', 'Họ và tên chủ nhiệm nhiệm vụ / principal investigator\'s name'],
  ['startDate', 'Ngày bắt đầu hợp đồng (YYYY-MM-DD) / contract start'],
  ['endDate', 'Ngày kết thúc hợp đồng, kể cả gia hạn (YYYY-MM-DD) / contract end, extensions included'],
  ['stateBudgetVnd', 'Tổng kinh phí ngân sách nhà nước được phê duyệt (đồng) / total state budget approved (VND)'],
  ['stage', 'Giai đoạn (mã) / stage code'],
  ['stageName', 'Giai đoạn / stage, in Vietnamese'],
  ['resultsRegistered', 'Số kết quả đã đăng ký (giấy chứng nhận) / results registered (certificates)'],
] as const;

export const OpenDataQuery = z.object({ format: z.enum(['json', 'csv']).optional().describe('json (default) or csv (UTF-8 with BOM; three "#" comment lines, then the header)') }).strict();

const OpenDataItem = z
  .object({
    code: z.string(),
    title: z.string(),
    level: z.string(),
    levelName: z.string(),
    form: z.string(),
    formName: z.string(),
    origin: z.string().nullable(),
    hostOrganisation: z.string().nullable(),
    principalInvestigator: z.string().nullable(),
    startDate: z.string().nullable(),
    endDate: z.string().nullable(),
    stateBudgetVnd: z.number().int(),
    stage: z.string(),
    stageName: z.string(),
    resultsRegistered: z.number().int(),
  })
  .strict();
export const OpenData = z
  .object({
    publisher: z.string(),
    licence: z.object({ name: z.string(), url: z.string() }).strict(),
    extractedAt: z.string().describe('When the data was read (ISO 8601)'),
    fields: z.array(z.object({ name: z.string(), description: z.string() }).strict()),
    items: z.array(OpenDataItem),
  })
  .strict();
type OpenDataItem = z.infer<typeof OpenDataItem>;

type Summary = Pick<PortfolioTaskDoc, 'taskId' | 'code' | 'title' | 'level' | 'form' | 'stage' | 'host' | 'startOn' | 'endOn' | 'budgetByYear' | 'resultsRegistered'>;

const csvCell = (v: string | number | null): string => (v === null ? '' : typeof v === 'number' ? String(v) : `"${(/^[=+\-@\t\r]/.test(v) ? `'${v}` : v).replace(/"/g, '""')}"`);

export function openDataRouter({ config, store }: ApiDeps): Router {
  const r = Router();
  let cached: { at: number; data: z.infer<typeof OpenData> } | undefined;

  async function extract(): Promise<z.infer<typeof OpenData>> {
    const docs = await store.PortfolioTask.find({ departmentId: config.DEPARTMENT_ID })
      .select({ _id: 0, taskId: 1, code: 1, title: 1, level: 1, form: 1, stage: 1, host: 1, startOn: 1, endOn: 1, budgetByYear: 1, resultsRegistered: 1 })
      .lean<Summary[]>();
    const items: OpenDataItem[] = docs
      .filter((d) => OPEN_DATA_STAGES.includes(d.stage))
      .map((d) => ({
        code: d.code ?? d.taskId,
        title: d.title,
        level: d.level,
        levelName: levelName(d.level, 'vi'),
        form: d.form,
        formName: formName(d.form, 'vi'),
        // Not recorded by the lifecycle yet (domain.md §1 "origin"): empty until it is.
        origin: null,
        hostOrganisation: d.host?.orgName ?? null,
        principalInvestigator: d.host?.pi.name ?? null,
        startDate: d.startOn ?? null,
        endDate: d.endOn ?? null,
        stateBudgetVnd: (d.budgetByYear ?? []).reduce((s, y) => s + y.approvedState, 0),
        stage: d.stage,
        stageName: stageName(d.stage, 'vi'),
        resultsRegistered: d.resultsRegistered ?? 0,
      }))
      .sort((a, b) => a.code.localeCompare(b.code, 'vi'));
    return {
      publisher: config.DEPARTMENT_NAME,
      licence: { name: config.OPEN_DATA_LICENCE, url: config.OPEN_DATA_LICENCE_URL },
      extractedAt: new Date().toISOString(),
      fields: OPEN_DATA_FIELDS.map(([name, description]) => ({ name, description })),
      items,
    };
  }

  r.get('/public/open-data', async (req, res) => {
    const { format = 'json' } = parseOrThrow(OpenDataQuery, req.query, pickLocale(req), 'query');
    const ttl = config.OPEN_DATA_CACHE_SECONDS * 1000;
    if (!cached || Date.now() - cached.at >= ttl) cached = { at: Date.now(), data: await extract() };
    const { data } = cached;
    const maxAge = Math.max(0, Math.floor((cached.at + ttl - Date.now()) / 1000));
    res.set('Cache-Control', `public, max-age=${maxAge}`).set('Last-Modified', new Date(data.extractedAt).toUTCString());
    if (format === 'json') {
      res.json(data);
      return;
    }
    const names = OPEN_DATA_FIELDS.map(([n]) => n);
    const lines = [
      `# Giấy phép / Licence: ${data.licence.name} ${data.licence.url}`,
      `# Ngày trích xuất / Extracted: ${data.extractedAt}`,
      `# Nguồn / Publisher: ${data.publisher}`,
      names.join(','),
      ...data.items.map((it) => names.map((n) => csvCell(it[n])).join(',')),
    ];
    res
      .type('text/csv; charset=utf-8')
      .set('Content-Disposition', `attachment; filename="du-lieu-mo-nhiem-vu-khcn-${data.extractedAt.slice(0, 10)}.csv"`)
      .send(Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8'));
  });

  return r;
}

export function registerOpenDataPaths(registry: OpenAPIRegistry, h: { errors: Record<string, ResponseConfig>; languageHeader: z.ZodObject }): void {
  registry.registerPath({
    method: 'get',
    path: '/api/v1/public/open-data',
    operationId: 'openData',
    summary: 'Open data: the Department\'s approved, ongoing and finished tasks (no sign-in)',
    description:
      'No sign-in. JSON (default) or CSV: code, title, level, form, origin (when recorded), host organisation, principal investigator\'s name, contract start and end, total state budget, stage, results registered; the licence and the date of extraction. Never an e-mail address, a phone number, a ballot or a council member. Served from one extraction for OPEN_DATA_CACHE_SECONDS (Cache-Control). An unknown or bad query parameter is a 400. Rate-limited per IP address.',
    security: [],
    request: { query: OpenDataQuery, headers: h.languageHeader },
    responses: {
      200: {
        description: 'The open data',
        content: {
          'application/json': { schema: OpenData },
          'text/csv': { schema: z.string().describe('UTF-8 with BOM; "# " lines with the licence, the date of extraction and the publisher, then the header row (the JSON field names) and one row per task') },
        },
      },
      ...h.errors,
    },
  });
}
