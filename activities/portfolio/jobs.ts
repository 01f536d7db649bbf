/**
 * The portfolio's long jobs run from the API (issue 11): the import of the running portfolio
 * (POST /portfolio/imports) and the reconciliation of the read models (POST
 * /portfolio/reconciliation). Each is one activity of its own small workflow
 * (workflows/portfolio-jobs.ts), so it survives an API restart, is retried after a worker
 * crash and shows in the Temporal UI; its progress and results go to its job document
 * (portfolio_imports, reconciliation_runs), which the API serves.
 *
 * A retried import carries on after the last row its document records (the rows before it
 * were imported or reported already), so a row is never reported twice; every row start is
 * idempotent anyway (the task's workflow ID derives from its code).
 */
import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { ActorRef } from '../../workflows/definitions';
import type { Config } from '../config';
import type { PortfolioImportDoc, ReconciliationRunDoc, Store } from '../store';
import { countOutcomes, importCheckedRow, readImportFile, validateRows, type ImportRowResult } from './import';
import { defaultReconcileQuery, reconcileReadModels, type TaskRepair } from './reconcile';

export interface JobActivityDeps {
  store: Store;
  /** A client of the Temporal cluster (the import starts task workflows; the reconciliation lists and queries them). */
  temporal: Client;
  config: Config;
}

/** How often, at most, a running job writes its progress. */
const PROGRESS_EVERY_MS = 500;
/** The drifted tasks a reconciliation run keeps in its document (all are counted). */
export const REPAIRS_KEPT = 1000;

/** The visibility query of a Department's task workflows. */
export const departmentReconcileQuery = (config: Pick<Config, 'TEMPORAL_TASK_QUEUE'>, departmentId: string) =>
  `${defaultReconcileQuery(config)} AND TaskDepartment = '${departmentId.replace(/'/g, "\\'")}'`;

async function uploadBytes(store: Store, uploadId: string): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const b of store.uploads.bucket().openDownloadStream(uploadId as never)) parts.push(b as Buffer);
  return Buffer.concat(parts);
}

function heartbeat(details: unknown): void {
  try {
    Context.current().heartbeat(details);
  } catch {
    /* called outside an activity (tests of the function alone) */
  }
}

export function createJobActivities({ store, temporal, config }: JobActivityDeps) {
  return {
    /** Imports the job's file row by row, writing its progress; resumes after the rows already recorded. */
    async runPortfolioImport({ importId }: { importId: string }): Promise<{ done: number; total: number }> {
      const job = await store.PortfolioImport.findById(importId).lean<PortfolioImportDoc>();
      if (!job) throw ApplicationFailure.nonRetryable(`no import ${importId}`, 'JOB_NOT_FOUND');
      if (job.status === 'done') return { done: job.done, total: job.total };
      const data = await uploadBytes(store, job.file.uploadId);
      const name = job.file.contentType === 'text/csv' ? 'sheet.csv' : 'sheet.xlsx';
      const deptConfig = { ...config, DEPARTMENT_ID: job.departmentId };
      const checked = validateRows(await readImportFile({ name, data }), {
        config: deptConfig,
        // The acceptance time, not now: a retry judges every row as the first attempt did.
        importedAt: new Date(job.createdAt).toISOString(),
        by: { userId: job.by.userId, role: job.by.role as ActorRef['role'], name: job.by.name },
        locale: job.locale,
      });
      const results = [...(job.rows as ImportRowResult[])];
      const now = new Date();
      await store.PortfolioImport.updateOne({ _id: importId }, { $set: { status: 'running', total: checked.length, ...(job.startedAt ? {} : { startedAt: now }), updatedAt: now } });
      let written = Date.now();
      const write = (extra: Partial<PortfolioImportDoc> = {}) =>
        store.PortfolioImport.updateOne({ _id: importId }, { $set: { done: results.length, rows: results, counts: countOutcomes(results), updatedAt: new Date(), ...extra } });
      for (let i = results.length; i < checked.length; i++) {
        results.push(await importCheckedRow({ client: temporal, store, config: deptConfig }, checked[i]!, false));
        heartbeat({ done: results.length });
        if (Date.now() - written >= PROGRESS_EVERY_MS) {
          await write();
          written = Date.now();
        }
      }
      await write({ status: 'done', finishedAt: new Date() });
      return { done: results.length, total: checked.length };
    },

    /** Compares the Department's read models with its task workflows and rewrites what drifted (unless a dry run). */
    async runReconciliation({ runId }: { runId: string }): Promise<{ scanned: number; drifted: number }> {
      const run = await store.ReconciliationRun.findById(runId).lean<ReconciliationRunDoc>();
      if (!run) throw ApplicationFailure.nonRetryable(`no reconciliation run ${runId}`, 'JOB_NOT_FOUND');
      if (run.status === 'done') return { scanned: run.scanned, drifted: run.repairsTotal };
      const query = departmentReconcileQuery(config, run.departmentId);
      let total: number | undefined;
      try {
        total = (await temporal.workflow.count(query)).count;
      } catch {
        /* a cluster without counts: the page shows the tasks scanned so far */
      }
      const started = new Date();
      await store.ReconciliationRun.updateOne({ _id: runId }, { $set: { status: 'running', startedAt: started, updatedAt: started, ...(total !== undefined ? { total } : {}) } });
      const repairs: TaskRepair[] = [];
      let written = Date.now();
      // A retry starts the comparison again (it rewrites only what still differs).
      const report = await reconcileReadModels(
        { client: temporal, store, config },
        {
          query,
          dryRun: run.dryRun,
          onProgress: (scanned, last) => {
            if (last) repairs.push(last);
            heartbeat({ scanned });
            if (Date.now() - written >= PROGRESS_EVERY_MS) {
              written = Date.now();
              void store.ReconciliationRun.updateOne({ _id: runId, status: 'running' }, { $set: { scanned, repairsTotal: repairs.length, updatedAt: new Date() } }).catch(() => undefined);
            }
          },
        },
      );
      await store.ReconciliationRun.updateOne(
        { _id: runId },
        {
          $set: {
            status: 'done',
            scanned: report.scanned,
            inSync: report.inSync,
            repairs: report.repairs.slice(0, REPAIRS_KEPT),
            repairsTotal: report.repairs.length,
            repaired: report.repairs.filter((r) => r.repaired).length,
            unreadable: report.unreadable.slice(0, REPAIRS_KEPT),
            finishedAt: new Date(),
            updatedAt: new Date(),
          },
        },
      );
      return { scanned: report.scanned, drifted: report.repairs.length };
    },

    /** A job whose activity gave up: its document says so (the page stops waiting). */
    async failPortfolioJob({ kind, id, message }: { kind: 'import' | 'reconciliation'; id: string; message: string }): Promise<void> {
      const model = kind === 'import' ? store.PortfolioImport : store.ReconciliationRun;
      await (model as typeof store.PortfolioImport).updateOne({ _id: id, status: { $ne: 'done' } }, { $set: { status: 'failed', error: message.slice(0, 500), finishedAt: new Date(), updatedAt: new Date() } });
    },
  };
}

export type JobActivities = ReturnType<typeof createJobActivities>;
