/**
 * Operations (issue 11), for the Department's admins: GET /operations/status, one look at what
 * may need a hand:
 *
 * - each service's state (the checks of /health), and whether a worker polls the task queue;
 * - workflows that are stuck: their workflow task failing again and again (a code fault, a
 *   non-determinism), or an activity retrying past a threshold (a document that never renders,
 *   an SMTP server that refuses). Temporal is asked: the running workflows of the task queue
 *   are listed (at most OPS_SCAN_LIMIT) and each is described (pending workflow task and
 *   activities with their attempt counts), a few at a time;
 * - e-mails whose last attempt failed (email_failures, kept by the mail activity);
 * - read-model drift, from the Department's last reconciliation;
 * - links into the Temporal Web UI (TEMPORAL_UI_URL) for the details.
 *
 * Scoped to the caller's Department: a task's and a council's workflows by their task, the
 * portfolio's jobs by theirs; a workflow tied to no Department (none in normal operation) is
 * shown to the deployment's own Department (DEPARTMENT_ID).
 *
 * Issue 17: the checks are a factory of their own (`operationsChecks`), so that the e-mail alerts
 * (api/ops-alerts.ts) and the metrics (api/metrics.ts) compute the same things without an HTTP
 * request: one scan of Temporal serves every Department, and the metrics reuse a recent one.
 */
import { Router } from 'express';
import type { WorkflowExecutionDescription, WorkflowExecutionInfo } from '@temporalio/client';
import type { OpenAPIRegistry, ResponseConfig } from '@asteasolutions/zod-to-openapi';
import { z } from '../zod';
import type { EmailFailureDoc, PortfolioImportDoc, ReconciliationRunDoc } from '../../activities/store';
import { taskIdIn } from '../../activities/store';
import { liveWorkers } from '../../activities/worker-heartbeat';
import { SA } from '../../workflows/definitions';
import { caller, requireRole } from '../auth';
import type { ApiDeps } from '../deps';
import { pickLocale } from '../i18n';
import { parseOrThrow } from '../problem';
import { dependencyStatus, probe } from './health';
import { diskUse } from '../disk';

/** google.protobuf.Timestamp as an ISO string. */
type Ts = { seconds?: unknown; nanos?: number | null } | null | undefined;
const iso = (t: Ts): string | undefined => {
  if (!t || t.seconds === undefined || t.seconds === null) return undefined;
  const ms = Number(String(t.seconds)) * 1000 + Math.floor((t.nanos ?? 0) / 1e6);
  return Number.isFinite(ms) && ms > 0 ? new Date(ms).toISOString() : undefined;
};

/** Temporal's pending activity states (enums.v1.PendingActivityState), by number. */
const ACTIVITY_STATES: Record<number, string> = { 1: 'scheduled', 2: 'started', 3: 'cancel_requested', 4: 'paused', 5: 'pause_requested' };
/** Task queue types (enums.v1.TaskQueueType): workflow, activity. */
const TASK_QUEUE_TYPES = { workflow: 1, activity: 2 } as const;
/** A poller seen within this long counts as a live worker (Temporal keeps pollers a few minutes). */
const POLLER_FRESH_MS = 2 * 60_000;
const DESCRIBE_AT_ONCE = 8;
const EMAILS_SHOWN = 100;

export interface StuckWorkflow {
  workflowId: string;
  runId: string;
  type: string;
  taskId?: string;
  startedAt?: string;
  problems: ('workflow_task_failing' | 'activity_retrying')[];
  workflowTask?: { attempt: number; failures: number; lastFailure?: string; scheduledAt?: string };
  activities: { activityId: string; activityType: string; attempt: number; failures: number; state: string; lastFailure?: string; lastStartedAt?: string; nextAttemptAt?: string; maximumAttempts?: number }[];
  links: { temporal: string; task?: string };
}

/** One look at the running workflows of the task queue, for every Department at once. */
export interface WorkflowScan {
  /** When it was taken (ms since the epoch). */
  at: number;
  scanned: number;
  truncated: boolean;
  /** Temporal could not be asked: nothing is known about the workflows. */
  error?: string;
  stuck: (StuckWorkflow & { departmentId: string })[];
}

export type ServicesStatus = Awaited<ReturnType<typeof dependencyStatus>>;

async function inBatches<T, R>(items: T[], size: number, f: (x: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) out.push(...(await Promise.all(items.slice(i, i + size).map(f))));
  return out;
}

export type OperationsDeps = Pick<ApiDeps, 'config' | 'store' | 'temporal' | 'mailer'>;

export function operationsChecks(deps: OperationsDeps) {
  const { config, store, temporal } = deps;
  const ns = config.TEMPORAL_NAMESPACE;
  const ui = config.TEMPORAL_UI_URL.replace(/\/+$/, '');
  const uiWorkflow = (workflowId: string, runId: string) => `${ui}/namespaces/${encodeURIComponent(ns)}/workflows/${encodeURIComponent(workflowId)}/${encodeURIComponent(runId)}/history`;
  const thresholds = { activityFailures: config.OPS_ACTIVITY_FAILURES, workflowTaskFailures: config.OPS_WORKFLOW_TASK_FAILURES, scanLimit: config.OPS_SCAN_LIMIT };

  /**
   * Whether a worker polls the task queue, for workflows and for activities, and whether one has a
   * fresh heartbeat in the store (issue 17). Temporal keeps a stopped worker's poller for minutes,
   * the heartbeat goes stale within 15 s: the worker is up only when both say so, as /health says.
   */
  async function workerStatus() {
    const now = Date.now();
    let heartbeats: { live: number; lastSeenAt?: string } | undefined;
    const [kinds, beat] = await Promise.all([
      Promise.all(
        (Object.entries(TASK_QUEUE_TYPES) as [keyof typeof TASK_QUEUE_TYPES, number][]).map(async ([kind, type]) => {
          let pollers: { lastAccessTime?: Ts }[] = [];
          const check = await probe(async () => {
            const res = await temporal.workflowService.describeTaskQueue({ namespace: ns, taskQueue: { name: config.TEMPORAL_TASK_QUEUE, kind: 1 }, taskQueueType: type });
            pollers = res.pollers ?? [];
          });
          const seen = pollers.map((p) => iso(p.lastAccessTime)).filter((x): x is string => Boolean(x)).sort();
          const live = seen.filter((t) => now - Date.parse(t) <= POLLER_FRESH_MS).length;
          return [kind, { pollers: live, ...(seen.length ? { lastSeenAt: seen.at(-1)! } : {}), ...(check.status === 'down' ? { error: check.error } : {}) }] as const;
        }),
      ),
      probe(async () => {
        heartbeats = await liveWorkers(store, config.TEMPORAL_TASK_QUEUE);
      }),
    ]);
    const byKind = Object.fromEntries(kinds) as Record<keyof typeof TASK_QUEUE_TYPES, { pollers: number; lastSeenAt?: string; error?: string }>;
    const polling = byKind.workflow.pollers > 0 && byKind.activity.pollers > 0;
    const live = heartbeats?.live ?? 0;
    return {
      status: polling && live > 0 ? ('up' as const) : ('down' as const),
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      ...byKind,
      heartbeats: { live, ...(heartbeats?.lastSeenAt ? { lastSeenAt: heartbeats.lastSeenAt } : {}), ...(beat.status === 'down' ? { error: beat.error } : {}) },
    };
  }

  /** The Department a workflow belongs to (see the module's comment). */
  async function departmentOf(info: WorkflowExecutionInfo | WorkflowExecutionDescription, taskDepartments: Map<string, string | undefined>): Promise<string> {
    const fromAttribute = info.typedSearchAttributes.get(SA.department);
    if (fromAttribute) return fromAttribute;
    const taskId = taskIdIn(info.workflowId);
    if (taskId) {
      if (!taskDepartments.has(taskId)) taskDepartments.set(taskId, (await store.Task.findById(taskId).select({ departmentId: 1 }).lean<{ departmentId?: string }>())?.departmentId);
      return taskDepartments.get(taskId) ?? config.DEPARTMENT_ID;
    }
    const job = /^portfolio-import-(imp-[0-9a-f]{24})$/.exec(info.workflowId);
    if (job) return (await store.PortfolioImport.findById(job[1]).select({ departmentId: 1 }).lean<PortfolioImportDoc>())?.departmentId ?? config.DEPARTMENT_ID;
    const rec = /^reconciliation-(.+)$/.exec(info.workflowId);
    if (rec) return rec[1]!;
    return config.DEPARTMENT_ID;
  }

  /** The message of the workflow's last workflow-task failure, from the newest events of its history. */
  async function lastWorkflowTaskFailure(workflowId: string, runId: string): Promise<string | undefined> {
    try {
      const res = await temporal.workflowService.getWorkflowExecutionHistoryReverse({ namespace: ns, execution: { workflowId, runId }, maximumPageSize: 20 });
      for (const e of res.history?.events ?? []) {
        const msg = e.workflowTaskFailedEventAttributes?.failure?.message;
        if (msg) return msg.slice(0, 1000);
      }
    } catch {
      /* the details are in the Temporal UI */
    }
    return undefined;
  }

  async function scanOnce(): Promise<WorkflowScan> {
    const at = Date.now();
    const query = `ExecutionStatus = 'Running' AND TaskQueue = '${config.TEMPORAL_TASK_QUEUE.replace(/'/g, "\\'")}'`;
    const listed: WorkflowExecutionInfo[] = [];
    let truncated = false;
    for await (const w of temporal.workflow.list({ query, pageSize: Math.min(config.OPS_SCAN_LIMIT + 1, 1000) })) {
      if (listed.length >= config.OPS_SCAN_LIMIT) {
        truncated = true;
        break;
      }
      listed.push(w);
    }
    const taskDepartments = new Map<string, string | undefined>();
    const described = await inBatches(listed, DESCRIBE_AT_ONCE, async (w) => {
      try {
        return await temporal.workflow.getHandle(w.workflowId, w.runId).describe();
      } catch {
        return undefined; // it completed meanwhile
      }
    });
    const stuck: WorkflowScan['stuck'] = [];
    for (const d of described) {
      if (!d) continue;
      const wft = d.raw.pendingWorkflowTask;
      const wftFailures = Math.max(0, (wft?.attempt ?? 1) - 1);
      const activities = (d.raw.pendingActivities ?? [])
        .map((a) => ({
          activityId: a.activityId ?? '',
          activityType: a.activityType?.name ?? '',
          attempt: a.attempt ?? 1,
          failures: Math.max(0, (a.attempt ?? 1) - 1),
          state: ACTIVITY_STATES[Number(a.state ?? 0)] ?? 'unknown',
          ...(a.lastFailure?.message ? { lastFailure: a.lastFailure.message.slice(0, 1000) } : {}),
          ...(iso(a.lastStartedTime) ? { lastStartedAt: iso(a.lastStartedTime)! } : {}),
          ...(iso(a.nextAttemptScheduleTime) ? { nextAttemptAt: iso(a.nextAttemptScheduleTime)! } : {}),
          ...(a.maximumAttempts ? { maximumAttempts: a.maximumAttempts } : {}),
        }))
        .filter((a) => a.failures >= config.OPS_ACTIVITY_FAILURES);
      const failing = wftFailures >= config.OPS_WORKFLOW_TASK_FAILURES;
      if (!failing && !activities.length) continue;
      const departmentId = await departmentOf(d, taskDepartments);
      const taskId = taskIdIn(d.workflowId);
      stuck.push({
        departmentId,
        workflowId: d.workflowId,
        runId: d.runId,
        type: d.type,
        ...(taskId ? { taskId } : {}),
        ...(d.startTime ? { startedAt: d.startTime.toISOString() } : {}),
        problems: [...(failing ? (['workflow_task_failing'] as const) : []), ...(activities.length ? (['activity_retrying'] as const) : [])],
        ...(failing
          ? { workflowTask: { attempt: wft!.attempt ?? 1, failures: wftFailures, ...(iso(wft!.scheduledTime) ? { scheduledAt: iso(wft!.scheduledTime)! } : {}), ...(await lastWorkflowTaskFailure(d.workflowId, d.runId).then((m) => (m ? { lastFailure: m } : {}))) } }
          : {}),
        activities,
        links: { temporal: uiWorkflow(d.workflowId, d.runId), ...(taskId ? { task: `/api/v1/tasks/${taskId}` } : {}) },
      });
    }
    return { at, scanned: listed.length, truncated, stuck };
  }

  let latest: WorkflowScan | undefined;
  let inFlight: Promise<WorkflowScan> | undefined;
  /**
   * Looks at the running workflows now (a scan already under way is joined, not repeated). A
   * Temporal that cannot be asked gives a scan with `error` and nothing stuck.
   */
  function scanWorkflows(): Promise<WorkflowScan> {
    inFlight ??= scanOnce()
      .catch((err: Error): WorkflowScan => ({ at: Date.now(), error: err.message, scanned: 0, truncated: false, stuck: [] }))
      .then((scan) => {
        latest = scan;
        return scan;
      })
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  }

  /** The latest scan if it is at most `maxAgeMs` old, else a new one (the metrics: at most one scan a minute). */
  function recentScan(maxAgeMs: number): Promise<WorkflowScan> {
    return latest && Date.now() - latest.at <= maxAgeMs ? Promise.resolve(latest) : scanWorkflows();
  }

  /** The Department's part of a scan, as GET /operations/status shows it. */
  function workflowsOf(scan: WorkflowScan, departmentId: string) {
    return {
      ...(scan.error ? { error: scan.error } : {}),
      scanned: scan.scanned,
      truncated: scan.truncated,
      thresholds,
      stuck: scan.stuck.filter((w) => w.departmentId === departmentId).map(({ departmentId: _, ...w }): StuckWorkflow => w),
    };
  }

  async function failingEmails(departmentId: string) {
    const all = await store.EmailFailure.find({}).sort({ updatedAt: -1 }).lean<EmailFailureDoc[]>();
    const depts = new Map<string, string | undefined>();
    for (const taskId of new Set(all.map((f) => f.taskId).filter((x): x is string => Boolean(x)))) {
      depts.set(taskId, (await store.Task.findById(taskId).select({ departmentId: 1 }).lean<{ departmentId?: string }>())?.departmentId);
    }
    const mine = all.filter((f) => (f.taskId ? depts.get(f.taskId) ?? config.DEPARTMENT_ID : config.DEPARTMENT_ID) === departmentId);
    return {
      total: mine.length,
      items: mine.slice(0, EMAILS_SHOWN).map((f) => ({
        key: f._id,
        ...(f.taskId ? { taskId: f.taskId } : {}),
        template: f.template,
        to: f.to,
        attempts: f.attempts,
        lastError: f.lastError,
        firstFailedAt: new Date(f.firstFailedAt).toISOString(),
        lastFailedAt: new Date(f.updatedAt).toISOString(),
        ...(f.taskId ? { links: { task: `/api/v1/tasks/${f.taskId}` } } : {}),
      })),
    };
  }

  async function readModels(departmentId: string) {
    const runs = await store.ReconciliationRun.find({ departmentId, status: 'done' }).sort({ finishedAt: -1 }).limit(1).lean<ReconciliationRunDoc[]>();
    const last = runs[0];
    return {
      lastReconciliation: last
        ? {
            runId: last._id,
            dryRun: last.dryRun,
            finishedAt: new Date(last.finishedAt ?? last.updatedAt).toISOString(),
            by: { userId: last.by.userId, name: last.by.name },
            scanned: last.scanned,
            drifted: last.repairsTotal,
            repaired: last.repaired,
            unreadable: last.unreadable.length,
            driftedTasks: (last.repairs as { taskId: string; repaired: boolean }[]).slice(0, 20).map((x) => ({ taskId: x.taskId, repaired: x.repaired })),
          }
        : null,
      links: { reconciliation: '/api/v1/portfolio/reconciliation' },
    };
  }

  /**
   * What GET /operations/status answers for a Department. `shared` holds what is the same for every
   * Department (the services, the worker, a scan of the workflows), when it was taken already.
   */
  async function status(departmentId: string, shared: { services?: ServicesStatus; worker?: WorkerStatus; scan?: WorkflowScan } = {}) {
    const [services, worker, scan, emails, drift, disk] = await Promise.all([
      shared.services ?? dependencyStatus(deps),
      shared.worker ?? workerStatus(),
      shared.scan ?? scanWorkflows(),
      failingEmails(departmentId),
      readModels(departmentId),
      diskUse(deps.config),
    ]);
    const workflows = workflowsOf(scan, departmentId);
    const down = Object.values(services).some((s) => s.status === 'down') || worker.status === 'down';
    const attention = workflows.stuck.length > 0 || emails.total > 0 || driftUnrepaired(drift.lastReconciliation) || disk?.status === 'low';
    return {
      departmentId,
      checkedAt: new Date().toISOString(),
      status: down ? ('down' as const) : attention ? ('attention' as const) : ('ok' as const),
      services: { ...services, worker },
      ...(disk ? { disk: { ...disk, thresholds: { freePercent: deps.config.DISK_WARN_FREE_PERCENT, freeMb: deps.config.DISK_WARN_FREE_MB } } } : {}),
      workflows,
      emails,
      readModels: drift,
      temporalUi: { baseUrl: ui, namespace: ns, workflows: `${ui}/namespaces/${encodeURIComponent(ns)}/workflows` },
    };
  }

  return { workerStatus, scanWorkflows, recentScan, status, dependencies: () => dependencyStatus(deps) };
}

export type OperationsChecks = ReturnType<typeof operationsChecks>;
type WorkerStatus = Awaited<ReturnType<OperationsChecks['workerStatus']>>;
export type OperationsStatusBody = Awaited<ReturnType<OperationsChecks['status']>>;

/** The last reconciliation found drift it did not repair (a dry run repairs nothing). */
export function driftUnrepaired(last: { drifted: number; repaired: number; dryRun: boolean } | null): boolean {
  return (last?.drifted ?? 0) > (last?.dryRun ? 0 : last?.repaired ?? 0);
}

export function operationsRouter(deps: ApiDeps, checks: OperationsChecks = operationsChecks(deps)): Router {
  const r = Router();
  r.get('/operations/status', requireRole('admin'), async (req, res) => {
    parseOrThrow(z.object({}).strict(), req.query, pickLocale(req), 'query');
    res.set('Cache-Control', 'no-store').json(await checks.status(caller(req).departmentId));
  });
  return r;
}

// ---------------------------------------------------------------------------------------------
// ---------------------------------------------------------------------------------------------
// OpenAPI
// ---------------------------------------------------------------------------------------------

const Dependency = z.object({ status: z.enum(['up', 'down']), latencyMs: z.number(), error: z.string().optional() }).strict();
const Pollers = z.object({ pollers: z.number().int().describe('Workers polling in the last two minutes'), lastSeenAt: z.string().optional(), error: z.string().optional() }).strict();
export const OperationsStatus = z
  .object({
    departmentId: z.string(),
    checkedAt: z.string(),
    status: z.enum(['ok', 'attention', 'down']).describe('down: a service or the worker is down; attention: something below needs a look'),
    services: z
      .object({
        temporal: Dependency,
        mongodb: Dependency,
        smtp: Dependency,
        worker: z
          .object({
            status: z.enum(['up', 'down']),
            taskQueue: z.string(),
            workflow: Pollers,
            activity: Pollers,
            heartbeats: z
              .object({ live: z.number().int().describe('Workers whose heartbeat in the store is at most 15 s old (as /health counts them)'), lastSeenAt: z.string().optional(), error: z.string().optional() })
              .strict(),
          })
          .strict()
          .describe('Up when a worker polls the task queue for workflow and activity tasks and a worker\'s heartbeat is fresh (Temporal keeps a stopped worker\'s poller for minutes)'),
      })
      .strict(),
    disk: z
      .union([
        z.object({ status: z.enum(['ok', 'low']), totalBytes: z.number().int(), freeBytes: z.number().int(), usedPercent: z.number().int(), thresholds: z.object({ freePercent: z.number().int(), freeMb: z.number().int() }).strict() }).strict(),
        z.object({ status: z.literal('unknown'), error: z.string(), thresholds: z.object({ freePercent: z.number().int(), freeMb: z.number().int() }).strict() }).strict(),
      ])
      .optional()
      .describe('The data directory\'s disk (DATA_DIR): low when less than DISK_WARN_FREE_PERCENT or DISK_WARN_FREE_MB is free'),
    workflows: z
      .object({
        scanned: z.number().int().describe('Running workflows of the task queue looked at'),
        truncated: z.boolean().describe('More were running than OPS_SCAN_LIMIT: the rest were not looked at'),
        thresholds: z.object({ activityFailures: z.number().int(), workflowTaskFailures: z.number().int(), scanLimit: z.number().int() }).strict(),
        error: z.string().optional().describe('Temporal could not be asked'),
        stuck: z.array(
          z
            .object({
              workflowId: z.string(),
              runId: z.string(),
              type: z.string(),
              taskId: z.string().optional(),
              startedAt: z.string().optional(),
              problems: z.array(z.enum(['workflow_task_failing', 'activity_retrying'])),
              workflowTask: z.object({ attempt: z.number().int(), failures: z.number().int(), lastFailure: z.string().optional(), scheduledAt: z.string().optional() }).strict().optional(),
              activities: z.array(
                z
                  .object({
                    activityId: z.string(),
                    activityType: z.string(),
                    attempt: z.number().int(),
                    failures: z.number().int(),
                    state: z.string(),
                    lastFailure: z.string().optional(),
                    lastStartedAt: z.string().optional(),
                    nextAttemptAt: z.string().optional(),
                    maximumAttempts: z.number().int().optional(),
                  })
                  .strict(),
              ).describe('Activities that failed at least thresholds.activityFailures attempts in a row'),
              links: z.object({ temporal: z.string().describe('The workflow in the Temporal Web UI'), task: z.string().optional() }).strict(),
            })
            .strict(),
        ),
      })
      .strict(),
    emails: z
      .object({
        total: z.number().int().describe('E-mails whose last attempt failed (they are retried until they go)'),
        items: z.array(
          z
            .object({
              key: z.string(),
              taskId: z.string().optional(),
              template: z.string(),
              to: z.array(z.string()),
              attempts: z.number().int(),
              lastError: z.string(),
              firstFailedAt: z.string(),
              lastFailedAt: z.string(),
              links: z.object({ task: z.string() }).strict().optional(),
            })
            .strict(),
        ).describe('Newest failure first, at most 100'),
      })
      .strict(),
    readModels: z
      .object({
        lastReconciliation: z
          .object({
            runId: z.string(),
            dryRun: z.boolean(),
            finishedAt: z.string(),
            by: z.object({ userId: z.string(), name: z.string() }).strict(),
            scanned: z.number().int(),
            drifted: z.number().int(),
            repaired: z.number().int(),
            unreadable: z.number().int(),
            driftedTasks: z.array(z.object({ taskId: z.string(), repaired: z.boolean() }).strict()),
          })
          .strict()
          .nullable(),
        links: z.object({ reconciliation: z.string() }).strict(),
      })
      .strict(),
    temporalUi: z.object({ baseUrl: z.string(), namespace: z.string(), workflows: z.string() }).strict(),
  })
  .strict();

export function registerOperationsPaths(registry: OpenAPIRegistry, h: { json: (d: string, s: z.ZodType) => ResponseConfig; errors: Record<string, ResponseConfig>; languageHeader: z.ZodObject }): void {
  registry.registerPath({
    method: 'get',
    path: '/api/v1/operations/status',
    operationId: 'operationsStatus',
    summary: 'Operations: services, stuck workflows, failing e-mails, read-model drift, links into the Temporal UI (admins)',
    description:
      'Roles: admin. Scoped to the caller\'s Department. Each service as /health checks it, and whether a worker polls the task queue; running workflows of the task queue (at most OPS_SCAN_LIMIT) whose workflow task failed OPS_WORKFLOW_TASK_FAILURES times or more, or with an activity that failed OPS_ACTIVITY_FAILURES attempts or more; e-mails whose last attempt failed; the last reconciliation\'s drift.',
    security: [{ bearer: [] }, { session: [] }],
    request: { query: z.object({}).strict(), headers: h.languageHeader },
    responses: { 200: h.json('The state of things', OperationsStatus), ...h.errors },
  });
}
