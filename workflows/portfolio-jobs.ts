/**
 * The portfolio's long jobs (issue 11), each one activity in a workflow of its own so that it
 * outlives the request that started it, is retried after a worker crash, and shows in the
 * Temporal UI: the import of the running portfolio and the read models' reconciliation. The
 * activity writes the job's progress to its document; when it gives up, the document says so.
 */
import { ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import type { JobActivities } from '../activities/portfolio/jobs';
import type { PortfolioImportInput, ReconciliationInput } from './definitions';

const { runPortfolioImport, runReconciliation } = proxyActivities<JobActivities>({
  startToCloseTimeout: '4 hours',
  // A worker that dies mid-file is noticed within a minute; the next attempt carries on.
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes', maximumAttempts: 5 },
});
const { failPortfolioJob } = proxyActivities<JobActivities>({ startToCloseTimeout: '1 minute', retry: { maximumAttempts: 10 } });

async function asJob<T>(kind: 'import' | 'reconciliation', id: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    await failPortfolioJob({ kind, id, message: err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err) });
    throw ApplicationFailure.nonRetryable(`the ${kind} ${id} failed`, 'PORTFOLIO_JOB_FAILED');
  }
}

export async function portfolioImportWorkflow(input: PortfolioImportInput): Promise<{ done: number; total: number }> {
  return asJob('import', input.importId, () => runPortfolioImport({ importId: input.importId }));
}

export async function reconciliationWorkflow(input: ReconciliationInput): Promise<{ scanned: number; drifted: number }> {
  return asJob('reconciliation', input.runId, () => runReconciliation({ runId: input.runId }));
}
