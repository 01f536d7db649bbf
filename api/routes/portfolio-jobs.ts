/**
 * The portfolio's jobs over the API (issue 11), for the Department's managers and admins:
 *
 * - the import of the tasks already under way (what `npm run import` does): a sheet uploaded
 *   through /uploads; a dry run answers every row with its errors and starts nothing; a real
 *   run is a job (portfolioImportWorkflow) whose progress and per-row results the page follows.
 *   The job's ID derives from the Department and the file's SHA-256: the same file again is the
 *   same job, and starts nothing again (each row is idempotent by its task code besides).
 * - the reconciliation of the read models (what `npm run reconcile` does) for the caller's
 *   Department: one run at a time (the workflow ID is the Department's), a dry run or not; the
 *   last run says when, by whom, what drifted and what was rewritten.
 */
import { createHash, randomBytes } from 'node:crypto';
import { Router, type Request } from 'express';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { OpenAPIRegistry, ResponseConfig } from '@asteasolutions/zod-to-openapi';
import { z } from '../zod';
import { countOutcomes, importCheckedRow, readImportFile, validateRows, type ImportRowResult } from '../../activities/portfolio/import';
import { SheetFileError } from '../../activities/sheets';
import type { PortfolioImportDoc, ReconciliationRunDoc } from '../../activities/store';
import { portfolioImportWorkflowId, reconciliationWorkflowId, type Locale } from '../../workflows/definitions';
import type { portfolioImportWorkflow, reconciliationWorkflow } from '../../workflows/portfolio-jobs';
import { caller, requireRole } from '../auth';
import { requireJsonBody } from '../body';
import type { ApiDeps } from '../deps';
import { pickLocale } from '../i18n';
import { notFound, parseOrThrow, Problem } from '../problem';
import { SheetImportBody } from '../schemas';
import { readSheetUpload, sheetProblem } from '../sheet-upload';
import { audit } from './audit';

export const ImportIdParam = z.object({ importId: z.string().regex(/^imp-[0-9a-f]{24}$/) }).strict();
export const ReconcileBody = z
  .object({ dryRun: z.boolean().optional().describe('true: compare and report, rewrite nothing (default false)') })
  .strict();

const IMPORT_COMMAND = 'importPortfolio';

/** One row as the page shows it; a refusal's reason in the caller's language. */
function rowView(r: ImportRowResult, locale: Locale) {
  return {
    row: r.row,
    ...(r.code ? { code: r.code } : {}),
    ...(r.title ? { title: r.title } : {}),
    ...(r.taskId ? { taskId: r.taskId, links: { task: `/api/v1/tasks/${r.taskId}` } } : {}),
    outcome: r.outcome,
    ...(r.errors ? { errors: r.errors } : {}),
    ...(r.refusal ? { refusal: { rule: r.refusal.rule, reason: r.refusal[locale] } } : {}),
  };
}

function importView(j: PortfolioImportDoc, locale: Locale) {
  const rows = j.rows as ImportRowResult[];
  return {
    importId: j._id,
    status: j.status,
    file: { uploadId: j.file.uploadId, filename: j.file.filename, sha256: j.file.sha256 },
    by: { userId: j.by.userId, name: j.by.name },
    progress: { done: j.done, total: j.total },
    counts: countOutcomes(rows),
    rows: rows.map((r) => rowView(r, locale)),
    createdAt: new Date(j.createdAt).toISOString(),
    ...(j.startedAt ? { startedAt: new Date(j.startedAt).toISOString() } : {}),
    ...(j.finishedAt ? { finishedAt: new Date(j.finishedAt).toISOString() } : {}),
    ...(j.error ? { error: j.error } : {}),
    workflowId: j.workflowId,
    links: { self: `/api/v1/portfolio/imports/${j._id}` },
  };
}

function runView(r: ReconciliationRunDoc) {
  return {
    runId: r._id,
    status: r.status,
    dryRun: r.dryRun,
    by: { userId: r.by.userId, name: r.by.name },
    createdAt: new Date(r.createdAt).toISOString(),
    ...(r.startedAt ? { startedAt: new Date(r.startedAt).toISOString() } : {}),
    ...(r.finishedAt ? { finishedAt: new Date(r.finishedAt).toISOString() } : {}),
    progress: { scanned: r.scanned, ...(r.total !== undefined ? { total: r.total } : {}) },
    inSync: r.inSync,
    drifted: r.repairsTotal,
    repaired: r.repaired,
    repairs: r.repairs,
    unreadable: r.unreadable,
    ...(r.error ? { error: r.error } : {}),
    workflowId: r.workflowId,
  };
}

const reconciliationRunning = (runId: string | undefined) =>
  new Problem(409, 'reconciliation-running', { vi: 'Đang đối soát', en: 'A reconciliation is running' }, {
    vi: 'Một lần đối soát của Sở đang chạy; hãy chờ nó xong (GET /api/v1/portfolio/reconciliation).',
    en: 'A reconciliation of the Department is running; wait for it to finish (GET /api/v1/portfolio/reconciliation).',
  }, runId ? { runId } : {});

export function portfolioJobsRouter(deps: ApiDeps): Router {
  const { config, store, temporal } = deps;
  const r = Router();
  const actor = (req: Request) => {
    const u = caller(req);
    return { userId: u.userId, role: u.role, name: u.name };
  };

  r.post('/portfolio/imports', requireRole('manager', 'admin'), async (req, res) => {
    const locale = pickLocale(req);
    const body = parseOrThrow(SheetImportBody, requireJsonBody(req, false), locale);
    const user = caller(req);
    const sheet = await readSheetUpload(deps, user, body.uploadId, locale, IMPORT_COMMAND);
    let rows;
    try {
      rows = await readImportFile(sheet);
    } catch (err) {
      if (err instanceof SheetFileError) throw sheetProblem(err, locale);
      throw err;
    }
    const deptConfig = { ...config, DEPARTMENT_ID: user.departmentId };

    if (body.dryRun) {
      const checked = validateRows(rows, { config: deptConfig, importedAt: new Date().toISOString(), by: actor(req), locale });
      const results: ImportRowResult[] = [];
      for (const c of checked) results.push(await importCheckedRow({ client: temporal, store, config: deptConfig }, c, true));
      res.json({ dryRun: true, file: { uploadId: sheet.uploadId, filename: sheet.filename, sha256: sheet.sha256 }, total: results.length, counts: countOutcomes(results), rows: results.map((x) => rowView(x, locale)) });
      return;
    }

    const importId = `imp-${createHash('sha256').update(`${user.departmentId}\u0000${sheet.sha256}`).digest('hex').slice(0, 24)}`;
    const workflowId = portfolioImportWorkflowId(importId);
    const existing = await store.PortfolioImport.findById(importId).lean<PortfolioImportDoc>();
    if (existing && existing.status !== 'failed') {
      // The same file again: the same import, nothing started again.
      res.status(200).location(`/api/v1/portfolio/imports/${importId}`).json({ ...importView(existing, locale), repeated: true });
      return;
    }
    const now = new Date();
    if (existing) {
      // A failed import run again: it carries on after the rows it recorded.
      await store.PortfolioImport.updateOne({ _id: importId, status: 'failed' }, { $set: { status: 'queued', updatedAt: now }, $unset: { error: 1, finishedAt: 1 } });
    } else {
      try {
        await store.PortfolioImport.create({
          _id: importId,
          departmentId: user.departmentId,
          workflowId,
          file: { uploadId: sheet.uploadId, filename: sheet.filename, sha256: sheet.sha256, contentType: sheet.contentType },
          by: actor(req),
          locale,
          status: 'queued',
          total: rows.length,
          done: 0,
          rows: [],
          createdAt: now,
          updatedAt: now,
        });
      } catch (err) {
        if (!(err && (err as { code?: number }).code === 11000)) throw err;
        const raced = (await store.PortfolioImport.findById(importId).lean<PortfolioImportDoc>())!;
        res.status(200).location(`/api/v1/portfolio/imports/${importId}`).json({ ...importView(raced, locale), repeated: true });
        return;
      }
    }
    // The sheet is kept for good with its import: the record of what was imported.
    await store.uploads.markImported(sheet.uploadId, importId, now.toISOString());
    try {
      await temporal.workflow.start<typeof portfolioImportWorkflow>('portfolioImportWorkflow', {
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        workflowId,
        args: [{ importId }],
        workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
      });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
    await audit(deps, req, user, { kind: 'command', action: IMPORT_COMMAND, departmentId: user.departmentId });
    const job = (await store.PortfolioImport.findById(importId).lean<PortfolioImportDoc>())!;
    res.status(202).location(`/api/v1/portfolio/imports/${importId}`).json({ ...importView(job, locale), repeated: false });
  });

  r.get('/portfolio/imports/:importId', requireRole('manager', 'admin'), async (req, res) => {
    const locale = pickLocale(req);
    const { importId } = parseOrThrow(ImportIdParam, req.params, locale, 'path');
    const job = await store.PortfolioImport.findById(importId).lean<PortfolioImportDoc>();
    // Another Department's import is not found.
    if (!job || job.departmentId !== caller(req).departmentId) throw notFound();
    res.set('Cache-Control', 'no-store').json(importView(job, locale));
  });

  r.get('/portfolio/reconciliation', requireRole('manager', 'admin'), async (req, res) => {
    parseOrThrow(z.object({}).strict(), req.query, pickLocale(req), 'query');
    const runs = await store.ReconciliationRun.find({ departmentId: caller(req).departmentId }).sort({ createdAt: -1 }).limit(20).lean<ReconciliationRunDoc[]>();
    const last = runs[0];
    const completed = runs.find((x) => x.status === 'done');
    res.set('Cache-Control', 'no-store').json({ lastRun: last ? runView(last) : null, lastCompletedRun: completed ? runView(completed) : null });
  });

  r.post('/portfolio/reconciliation', requireRole('manager', 'admin'), async (req, res) => {
    const locale = pickLocale(req);
    const body = parseOrThrow(ReconcileBody, requireJsonBody(req, true), locale);
    const user = caller(req);
    const runId = `rec-${randomBytes(12).toString('hex')}`;
    const workflowId = reconciliationWorkflowId(user.departmentId);
    const now = new Date();
    await store.ReconciliationRun.create({
      _id: runId,
      departmentId: user.departmentId,
      workflowId,
      dryRun: Boolean(body.dryRun),
      by: actor(req),
      status: 'queued',
      scanned: 0,
      inSync: 0,
      repairs: [],
      repairsTotal: 0,
      repaired: 0,
      unreadable: [],
      createdAt: now,
      updatedAt: now,
    });
    try {
      // One run at a time per Department: the workflow ID is the Department's.
      await temporal.workflow.start<typeof reconciliationWorkflow>('reconciliationWorkflow', {
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        workflowId,
        args: [{ runId }],
        workflowIdReusePolicy: 'ALLOW_DUPLICATE',
      });
    } catch (err) {
      await store.ReconciliationRun.deleteOne({ _id: runId, status: 'queued' });
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      const running = await store.ReconciliationRun.find({ departmentId: user.departmentId, status: { $in: ['queued', 'running'] } }).sort({ createdAt: -1 }).limit(1).lean<ReconciliationRunDoc[]>();
      throw reconciliationRunning(running[0]?._id);
    }
    await audit(deps, req, user, { kind: 'command', action: 'reconcileReadModels', departmentId: user.departmentId });
    res.status(202).location('/api/v1/portfolio/reconciliation').json(runView((await store.ReconciliationRun.findById(runId).lean<ReconciliationRunDoc>())!));
  });

  return r;
}

// ---------------------------------------------------------------------------------------------
// OpenAPI
// ---------------------------------------------------------------------------------------------

const Outcome = z.enum(['imported', 'already_imported', 'would_import', 'invalid', 'refused']);
const ImportRowView = z
  .object({
    row: z.number().int().describe('The row as the sheet shows it (the header is row 1)'),
    code: z.string().optional().describe('The Department\'s code of the task, as the row gives it'),
    title: z.string().optional(),
    taskId: z.string().optional(),
    links: z.object({ task: z.string() }).strict().optional(),
    outcome: Outcome.describe('imported; already_imported (its code was imported before: nothing started); would_import (dry run); invalid (errors by column); refused (a rule of the lifecycle)'),
    errors: z.array(z.object({ column: z.string().describe('The column\'s key in the template'), reason: z.string() }).strict()).optional(),
    refusal: z.object({ rule: z.string().describe('Rule ID of domain.md'), reason: z.string() }).strict().optional(),
  })
  .strict();
const ImportCounts = z.object({ imported: z.number().int(), already_imported: z.number().int(), would_import: z.number().int(), invalid: z.number().int(), refused: z.number().int() }).strict();
export const PortfolioImportPreview = z
  .object({
    dryRun: z.literal(true),
    file: z.object({ uploadId: z.string(), filename: z.string(), sha256: z.string() }).strict(),
    total: z.number().int(),
    counts: ImportCounts,
    rows: z.array(ImportRowView),
  })
  .strict();
export const PortfolioImportJob = z
  .object({
    importId: z.string(),
    status: z.enum(['queued', 'running', 'done', 'failed']),
    file: z.object({ uploadId: z.string(), filename: z.string(), sha256: z.string() }).strict(),
    by: z.object({ userId: z.string(), name: z.string() }).strict(),
    progress: z.object({ done: z.number().int(), total: z.number().int() }).strict().describe('Rows done of the file\'s data rows'),
    counts: ImportCounts,
    rows: z.array(ImportRowView).describe('The result of each row done so far, in file order'),
    createdAt: z.string(),
    startedAt: z.string().optional(),
    finishedAt: z.string().optional(),
    error: z.string().optional().describe('Why a failed import stopped (it carries on from there when the same file is posted again)'),
    workflowId: z.string().describe('The job\'s workflow in Temporal'),
    repeated: z.boolean().optional().describe('POST only: true when this file was imported (or is being imported) already, and nothing was started again'),
    links: z.object({ self: z.string() }).strict(),
  })
  .strict();
const Drift = z.enum(['missing', 'stale', 'differs', 'ahead']);
const RepairView = z
  .object({
    taskId: z.string(),
    workflowId: z.string(),
    task: Drift.optional().describe('What was wrong with the task document'),
    storedVersion: z.number().int().optional(),
    workflowVersion: z.number().int(),
    portfolio: Drift.optional().describe('What was wrong with the portfolio summary'),
    portfolioVersion: z.number().int().optional(),
    obligations: z.object({ missing: z.number().int(), stale: z.number().int(), differs: z.number().int(), ahead: z.number().int(), extra: z.number().int() }).strict(),
    repaired: z.boolean().describe('Rewritten (false in a dry run, or when the workflow wrote first)'),
  })
  .strict();
export const ReconciliationRunView = z
  .object({
    runId: z.string(),
    status: z.enum(['queued', 'running', 'done', 'failed']),
    dryRun: z.boolean(),
    by: z.object({ userId: z.string(), name: z.string() }).strict(),
    createdAt: z.string(),
    startedAt: z.string().optional(),
    finishedAt: z.string().optional(),
    progress: z.object({ scanned: z.number().int(), total: z.number().int().optional() }).strict(),
    inSync: z.number().int(),
    drifted: z.number().int().describe('Tasks whose read models differed from their workflow'),
    repaired: z.number().int().describe('Of those, rewritten'),
    repairs: z.array(RepairView).describe('What drifted, task by task (at most 1,000; drifted counts all)'),
    unreadable: z.array(z.object({ workflowId: z.string(), reason: z.string() }).strict()),
    error: z.string().optional(),
    workflowId: z.string(),
  })
  .strict();
export const ReconciliationStatus = z
  .object({
    lastRun: ReconciliationRunView.nullable().describe('The newest run (it may still be running); null before the first'),
    lastCompletedRun: ReconciliationRunView.nullable().describe('The newest finished run'),
  })
  .strict();

export function registerPortfolioJobPaths(
  registry: OpenAPIRegistry,
  h: { json: (d: string, s: z.ZodType, headers?: z.ZodObject) => ResponseConfig; readErrors: Record<string, ResponseConfig>; writeErrors: Record<string, ResponseConfig>; languageHeader: z.ZodObject; idempotencyHeaders: z.ZodObject },
): void {
  const security: Record<string, string[]>[] = [{ bearer: [] }, { session: [] }];
  const location = z.object({ location: z.string() });
  registry.registerPath({
    method: 'post',
    path: '/api/v1/portfolio/imports',
    operationId: 'importPortfolio',
    summary: 'Import tasks under way from a sheet: a dry run answers every row; a real run starts a job (managers, admins)',
    description:
      'The sheet is an upload of the caller\'s (POST /api/v1/uploads): XLSX or CSV in UTF-8, columns as in templates/import/README.md. dryRun: true answers 200 with every row (would_import, already_imported, invalid with each bad column, refused with the rule) and starts nothing. Otherwise 202 with the job (follow it at its Location); the tasks go to the caller\'s Department. The same file again (by content) answers 200 with that import and starts nothing again (repeated: true); a failed one carries on. 422 when the upload is not the caller\'s staged sheet or the sheet is not the template.',
    security,
    request: { headers: h.idempotencyHeaders, body: { required: true, content: { 'application/json': { schema: SheetImportBody } } } },
    responses: {
      200: h.json('Dry run: every row; or the same file again: its import', z.union([PortfolioImportPreview, PortfolioImportJob])),
      202: h.json('The import started: follow it at Location', PortfolioImportJob, location),
      ...h.writeErrors,
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/portfolio/imports/{importId}',
    operationId: 'getPortfolioImport',
    summary: 'An import of the running portfolio: status, progress (rows done / total), each row\'s result (managers, admins)',
    description: 'Roles: manager, admin. The caller\'s Department\'s imports only (another\'s is a 404).',
    security,
    request: { params: ImportIdParam, headers: h.languageHeader },
    responses: { 200: h.json('The import', PortfolioImportJob), ...h.readErrors },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/portfolio/reconciliation',
    operationId: 'getReconciliation',
    summary: 'The last reconciliation of the read models: when, by whom, what drifted, what was rewritten (managers, admins)',
    description: 'Roles: manager, admin. Scoped to the caller\'s Department.',
    security,
    request: { query: z.object({}).strict(), headers: h.languageHeader },
    responses: { 200: h.json('The newest and the newest finished run', ReconciliationStatus), ...h.readErrors },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/v1/portfolio/reconciliation',
    operationId: 'runReconciliation',
    summary: 'Reconcile the read models with the task workflows of the caller\'s Department (managers, admins)',
    description:
      'Starts a run (a job): every task workflow of the Department is read and its task document, portfolio summary and obligations compared with what the store holds; what drifted is rewritten, unless dryRun. One run at a time per Department: 409 reconciliation-running while one runs. Follow it with GET /api/v1/portfolio/reconciliation.',
    security,
    request: { headers: h.idempotencyHeaders, body: { required: false, content: { 'application/json': { schema: ReconcileBody } } } },
    responses: { 202: h.json('The run, started', ReconciliationRunView, location), ...h.writeErrors },
  });
}
