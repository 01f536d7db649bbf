/**
 * Reconciliation of the read models with the workflows (issue 7): every task
 * workflow is listed in Temporal, its state read (a query while it runs, its
 * result once it has completed), and the task document, its portfolio summary and
 * its obligation documents the state projects to are compared with what the store
 * holds. What drifted
 * (missing, older version, different content, a version the workflow never
 * reached, an obligation the state does not have) is rewritten, each write
 * conditioned on the document still being what was compared, so a concurrent
 * write by the workflow is never overwritten with older data.
 */
import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import { getTaskStateQuery, type TaskState } from '../../workflows/definitions';
import { canonicalJson } from '../documents/format';
import type { Config } from '../config';
import { isDuplicateKey, type ObligationDoc, type Store } from '../store';
import { obligationDocs, portfolioTaskDoc } from './projection';

export type TaskDrift = 'missing' | 'stale' | 'differs' | 'ahead';

export interface TaskRepair {
  taskId: string;
  workflowId: string;
  /** What was wrong with the task document, if anything. */
  task?: TaskDrift;
  storedVersion?: number;
  workflowVersion: number;
  /** What was wrong with the portfolio summary (portfolio_tasks), if anything. */
  portfolio?: TaskDrift;
  portfolioVersion?: number;
  /** Obligation documents by what was wrong with them. */
  obligations: { missing: number; stale: number; differs: number; ahead: number; extra: number };
  /** Whether the writes were made (false in a dry run, or when the workflow wrote first). */
  repaired: boolean;
}

export interface ReconcileReport {
  query: string;
  dryRun: boolean;
  scanned: number;
  inSync: number;
  repairs: TaskRepair[];
  unreadable: { workflowId: string; reason: string }[];
}

export const defaultReconcileQuery = (config: Pick<Config, 'TEMPORAL_TASK_QUEUE'>) =>
  `WorkflowType = 'taskLifecycleWorkflow' AND TaskQueue = '${config.TEMPORAL_TASK_QUEUE.replace(/'/g, "\\'")}'`;

/** A document as stored or as it would be stored, compared without its write time. */
function comparable(doc: unknown): string {
  const { updatedAt: _u, ...rest } = JSON.parse(JSON.stringify(doc)) as Record<string, unknown>;
  return canonicalJson(rest);
}

async function stateOf(client: Client, info: WorkflowExecutionInfo): Promise<TaskState> {
  const handle = client.workflow.getHandle(info.workflowId);
  // A completed lifecycle returns its final state; a running one answers the query.
  if (info.status.name === 'COMPLETED') return (await handle.result()) as TaskState;
  return handle.query(getTaskStateQuery);
}

export async function reconcileReadModels(
  deps: { client: Client; store: Store; config: Pick<Config, 'TEMPORAL_TASK_QUEUE'> },
  o: { query?: string; dryRun?: boolean; onProgress?: (scanned: number, last: TaskRepair | undefined) => void } = {},
): Promise<ReconcileReport> {
  const { client, store } = deps;
  const query = o.query ?? defaultReconcileQuery(deps.config);
  const report: ReconcileReport = { query, dryRun: Boolean(o.dryRun), scanned: 0, inSync: 0, repairs: [], unreadable: [] };
  const seen = new Set<string>();

  for await (const info of client.workflow.list({ query })) {
    // An earlier run of a task that continued as new; its current run is listed too.
    if (info.status.name === 'CONTINUED_AS_NEW' || seen.has(info.workflowId)) continue;
    seen.add(info.workflowId);
    let state: TaskState;
    try {
      state = await stateOf(client, info);
    } catch (err) {
      report.unreadable.push({ workflowId: info.workflowId, reason: (err as Error).message });
      continue;
    }
    report.scanned += 1;
    let repair = await check(state);
    if (repair?.task === 'ahead') {
      // The stored version may be one the workflow reached after we asked it: ask again before calling it corrupt.
      try {
        state = await stateOf(client, { ...info, status: (await client.workflow.getHandle(info.workflowId).describe()).status });
        repair = await check(state);
      } catch {
        /* keep the first reading */
      }
    }
    if (!repair) report.inSync += 1;
    else {
      if (!o.dryRun) repair.repaired = await apply(state, repair);
      report.repairs.push(repair);
    }
    o.onProgress?.(report.scanned, repair);
  }
  return report;

  /** What differs between the store and the state's projection; undefined when nothing does. */
  async function check(state: TaskState): Promise<TaskRepair | undefined> {
    const expectedTask = comparable(new store.Task(store.taskDocOf(state)).toObject());
    const stored = await store.Task.findById(state.taskId).lean();
    let task: TaskDrift | undefined;
    if (!stored) task = 'missing';
    else if (stored.version < state.version) task = 'stale';
    else if (stored.version > state.version) task = 'ahead';
    else if (comparable(stored) !== expectedTask) task = 'differs';

    const summary = await store.PortfolioTask.findById(state.taskId).lean();
    let portfolio: TaskDrift | undefined;
    if (!summary) portfolio = 'missing';
    else if (summary.taskVersion < state.version) portfolio = 'stale';
    else if (summary.taskVersion > state.version) portfolio = 'ahead';
    else if (comparable(summary) !== comparable(new store.PortfolioTask(portfolioTaskDoc(state)).toObject())) portfolio = 'differs';

    const expected = new Map(obligationDocs(state).map((d) => [d._id, comparable(new store.Obligation(d).toObject())]));
    const have = await store.Obligation.find({ taskId: state.taskId }).lean<ObligationDoc[]>();
    const obligations = { missing: 0, stale: 0, differs: 0, ahead: 0, extra: 0 };
    for (const d of have) {
      const want = expected.get(d._id);
      if (want === undefined) obligations.extra += 1;
      else if (d.taskVersion < state.version) obligations.stale += 1;
      else if (d.taskVersion > state.version) obligations.ahead += 1;
      else if (comparable(d) !== want) obligations.differs += 1;
    }
    const haveIds = new Set(have.map((d) => d._id));
    for (const id of expected.keys()) if (!haveIds.has(id)) obligations.missing += 1;

    const drifted = task !== undefined || portfolio !== undefined || Object.values(obligations).some((n) => n > 0);
    if (!drifted) return undefined;
    return {
      taskId: state.taskId,
      workflowId: state.workflowId,
      ...(task ? { task } : {}),
      ...(stored ? { storedVersion: stored.version } : {}),
      workflowVersion: state.version,
      ...(portfolio ? { portfolio } : {}),
      ...(summary ? { portfolioVersion: summary.taskVersion } : {}),
      obligations,
      repaired: false,
    };
  }

  /**
   * Rewrites what drifted. Missing and older documents go through the ordinary guarded
   * writer; a document at the same or a higher version is replaced only if it is still
   * exactly that version (compare-and-set), so a write the workflow makes meanwhile wins.
   */
  async function apply(state: TaskState, r: TaskRepair): Promise<boolean> {
    const now = new Date();
    let wrote = false;
    if (r.task === 'missing' || r.task === 'stale') wrote = (await store.upsertTask(state)) || wrote;
    else if (r.task === 'differs' || r.task === 'ahead') {
      const res = await store.Task.replaceOne({ _id: state.taskId, version: r.storedVersion }, { ...store.taskDocOf(state), updatedAt: now });
      wrote = res.modifiedCount > 0 || wrote;
    }
    if (r.portfolio === 'missing' || r.portfolio === 'stale') wrote = (await store.writePortfolioTask(state)) || wrote;
    else if (r.portfolio === 'differs' || r.portfolio === 'ahead') {
      const res = await store.PortfolioTask.replaceOne({ _id: state.taskId, taskVersion: r.portfolioVersion }, { ...portfolioTaskDoc(state), updatedAt: now });
      wrote = res.modifiedCount > 0 || wrote;
    }
    const expected = new Map(obligationDocs(state).map((d) => [d._id, d]));
    const have = await store.Obligation.find({ taskId: state.taskId }).lean<ObligationDoc[]>();
    for (const d of have) {
      const want = expected.get(d._id);
      if (!want) {
        wrote = (await store.Obligation.deleteOne({ _id: d._id, taskVersion: d.taskVersion })).deletedCount > 0 || wrote;
      } else if (d.taskVersion > state.version || (d.taskVersion === state.version && comparable(d) !== comparable(new store.Obligation(want).toObject()))) {
        wrote = (await store.Obligation.replaceOne({ _id: d._id, taskVersion: d.taskVersion }, { ...want, updatedAt: now })).modifiedCount > 0 || wrote;
      } else if (d.taskVersion < state.version) {
        wrote = (await store.Obligation.replaceOne({ _id: d._id, taskVersion: { $lt: state.version } }, { ...want, updatedAt: now })).modifiedCount > 0 || wrote;
      }
      expected.delete(d._id);
    }
    for (const want of expected.values()) {
      try {
        await store.Obligation.create({ ...want, updatedAt: now });
        wrote = true;
      } catch (err) {
        if (!isDuplicateKey(err)) throw err; // written meanwhile by the workflow
      }
    }
    return wrote;
  }
}

const OBLIGATION_DRIFT_VI: Record<keyof TaskRepair['obligations'], string> = { missing: 'thiếu', stale: 'cũ', differs: 'sai nội dung', ahead: 'phiên bản vượt workflow', extra: 'thừa' };

/** The report as lines for a terminal. */
export function formatReconcileReport(r: ReconcileReport): string {
  const lines = [
    `Đối soát read model với ${r.scanned} workflow nhiệm vụ (${r.query})${r.dryRun ? ' — chạy thử, không ghi' : ''}:`,
    `  khớp: ${r.inSync}; lệch: ${r.repairs.length}${r.dryRun ? '' : ` (đã sửa ${r.repairs.filter((x) => x.repaired).length})`}; không đọc được: ${r.unreadable.length}`,
  ];
  const what: Record<TaskDrift, string> = { missing: 'thiếu', stale: 'cũ', differs: 'sai nội dung', ahead: 'phiên bản vượt workflow' };
  for (const x of r.repairs) {
    const ob = Object.entries(x.obligations).filter(([, n]) => n > 0).map(([k, n]) => `${n} ${OBLIGATION_DRIFT_VI[k as keyof TaskRepair['obligations']]}`).join(', ');
    const t = x.task ? `nhiệm vụ ${what[x.task]} (lưu v${x.storedVersion ?? '—'}, workflow v${x.workflowVersion})` : `nhiệm vụ khớp (v${x.workflowVersion})`;
    const p = x.portfolio ? `; tóm tắt danh mục ${what[x.portfolio]} (lưu v${x.portfolioVersion ?? '—'})` : '';
    lines.push(`  ${x.repaired ? 'ĐÃ SỬA' : r.dryRun ? 'LỆCH  ' : 'BỎ QUA'} ${x.taskId}: ${t}${p}${ob ? `; nghĩa vụ: ${ob}` : ''}`);
  }
  for (const u of r.unreadable) lines.push(`  KHÔNG ĐỌC ĐƯỢC ${u.workflowId}: ${u.reason}`);
  return lines.join('\n');
}
