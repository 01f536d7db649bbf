/**
 * Drives task lifecycle workflows on the time-skipping test server, with
 * in-memory activities that keep what the workflow asked of the world (read-model
 * writes, debarments, emails), so scenarios can assert stages, deadlines,
 * amounts and emitted events. Months pass in seconds with `days(n)`.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { temporal } from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { ConnectionPlugin, WorkflowHandle } from '@temporalio/client';
import type { Activities, EmailRequest } from '../../activities';
import type { RenderTaskDocumentRequest } from '../../workflows/task-documents';
import { stateHash } from '../../activities/documents/format';
import { ApplicationFailure } from '@temporalio/common';
import { ballotsFor, councilSeats, type SittingOutcome } from './sittings';
import {
  ALL_SEARCH_ATTRIBUTES,
  commandUpdate,
  councilUpdate,
  getCouncilViewQuery,
  getIssuanceQuery,
  getTaskStateQuery,
  issuanceUpdate,
  issuanceWorkflowId,
  taskWorkflowId,
  type IssuanceView,
  type Actor,
  type CommandName,
  type CommandPayloads,
  type CouncilCommands,
  type CouncilSeat,
  type CouncilView,
  type HostParty,
  type VoteReceipt,
  type TaskLifecycleInput,
  type TaskState,
} from '../../workflows/definitions';
import { addDays, daysBetween, vnDateOf } from '../../workflows/rules/calendar';
import { taskLifecycleWorkflow } from '../../workflows/task-lifecycle';
import { DEV_USERS } from '../../scripts/dev-users';
import { toolPath } from './services';
import { codecFromConfig } from '../../activities/payload-codec';
import { TEST_CODEC_KEYS } from './codec-keys';
import { sampleProposal, workflowBundle } from './stack';

/**
 * Issue 15: payloads encrypted as in production, with the repository's fixed test keys, so that
 * histories recorded here replay in test/replay (the scenario's client plays the worker's part too).
 */
export const TEST_DATA_CONVERTER = { payloadCodecs: [codecFromConfig(TEST_CODEC_KEYS, { opensBallots: true })!] };

const T = temporal.api.enums.v1.IndexedValueType;
const INDEXED_TYPE: Record<string, temporal.api.enums.v1.IndexedValueType> = {
  KEYWORD: T.INDEXED_VALUE_TYPE_KEYWORD,
  DATETIME: T.INDEXED_VALUE_TYPE_DATETIME,
  BOOL: T.INDEXED_VALUE_TYPE_BOOL,
};

/**
 * The client's keepalive as the test server allows it. The SDK's default pings every 30 s even with
 * no call in flight; the test server (grpc-java: pings no more often than every 5 minutes, none without
 * calls) answers a file that runs longer than a minute or two, as every file does on a loaded machine,
 * with GOAWAY "too many pings": the calls in flight are cut and retried, and the time-skipping lock was
 * then seen held for good (council-sitting and lifecycle-long-task hung in full runs, never alone).
 */
const TEST_SERVER_KEEPALIVE: ConnectionPlugin = {
  name: 'khcn-test-server-keepalive',
  configureConnection: (o) => ({ ...o, channelArgs: { ...o.channelArgs, 'grpc.keepalive_time_ms': 300_000, 'grpc.keepalive_permit_without_calls': 0 } }),
};

export async function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: toolPath('TEMPORAL_TEST_SERVER_PATH') } },
    client: { dataConverter: TEST_DATA_CONVERTER },
    plugins: [TEST_SERVER_KEEPALIVE],
  });
  // The test server, like a real cluster, refuses search attributes it does not know.
  await env.connection.operatorService.addSearchAttributes({
    namespace: env.namespace ?? 'default',
    searchAttributes: Object.fromEntries(ALL_SEARCH_ATTRIBUTES.map((k) => [k.name, INDEXED_TYPE[k.type]!])),
  });
  return env;
}

const users = DEV_USERS('skhcn-tay-ninh');
const actor = (i: number): Actor => {
  const u = users[i]!;
  return { userId: u.userId, role: u.role, name: u.name, email: u.email, orgId: u.orgId, locale: u.locale };
};
/** The researcher who files (org-vien-sinh-hoc), another organisation's researcher, the Department's manager. */
export const researcher = actor(0);
export const otherResearcher = actor(1);
export const manager = actor(2);
/** Issue 12: the Director, a Deputy Director (identification, selection, approval, acceptance), the clerk; the manager is an officer. */
const withPosition = (i: number): Actor => {
  const u = users[i]!;
  return { ...actor(i), ...(u.position ? { position: u.position } : {}), ...(u.areas ? { areas: u.areas } : {}) };
};
export const officer = withPosition(2);
export const director = withPosition(5);
export const deputy = withPosition(6);
export const clerk = withPosition(7);

export const hostOf = (a: Actor, orgName: string): HostParty => ({ orgId: a.orgId, orgName, pi: { name: a.name, email: a.email } });
export const HOST = hostOf(researcher, 'Viện Sinh học Nhiệt đới');
export const OTHER_HOST = hostOf(otherResearcher, 'Trường Đại học Tây Ninh');

export function lifecycleInput(taskId: string, overrides: Partial<TaskLifecycleInput> = {}): TaskLifecycleInput {
  return {
    taskId,
    departmentId: 'skhcn-tay-ninh',
    departmentName: 'Sở Khoa học và Công nghệ tỉnh Tây Ninh',
    place: 'Tây Ninh',
    publicBaseUrl: 'http://127.0.0.1:3000',
    ruleSet: { regime: 'LEGACY_2013', provinceProfile: 'tay-ninh', version: '2026.1' },
    proposal: sampleProposal() as TaskLifecycleInput['proposal'],
    submittedBy: researcher,
    submittedAt: '2026-11-23T08:00:00.000Z',
    ...overrides,
  };
}

/**
 * In-memory activities with the real ones' contracts. `smtp.down` makes every send fail (a
 * transient SMTP error Temporal retries) until it is set back; `mailFailures` counts them.
 */
/** `unrenderable`: document kinds (proposal_form included) and `unrenderableMail`: templates whose render gives up (issue 15). */
export function recordingActivities(opts: { failMail?: number; unrenderable?: string[]; unrenderableMail?: string[] } = {}) {
  const written: TaskState[] = [];
  const sent: EmailRequest[] = [];
  /** Every task document the workflow asked for, in order (the snapshot it was rendered from). */
  const documents: RenderTaskDocumentRequest[] = [];
  const smtp = { down: false, failures: 0 };
  const debarments: { taskId: string; orgId: string; piEmail: string; until: string; reason: string }[] = [];
  const councils: Parameters<Activities['recordCouncil']>[0][] = [];
  const councilResults: Parameters<Activities['storeCouncilResult']>[0][] = [];
  /** Issue 12: drafts (what each was rendered from), issuance read-model writes, register entries, issued documents. */
  const drafts: Parameters<Activities['renderDocumentDraft']>[0][] = [];
  const issuanceViews: Parameters<Activities['recordIssuance']>[0][] = [];
  const register = new Map<string, string>(); // number → documentId
  const issued: Parameters<Activities['issueTaskDocument']>[0][] = [];
  let mailAttempts = 0;
  // Read-model writes in flight at once, per workflow: a store write takes a little while, as a real one does.
  const inFlight = new Map<string, number>();
  let maxConcurrentWrites = 0;
  const timedWrite = async (id: string, write: () => void) => {
    inFlight.set(id, (inFlight.get(id) ?? 0) + 1);
    maxConcurrentWrites = Math.max(maxConcurrentWrites, inFlight.get(id)!);
    await new Promise((r) => setTimeout(r, 5));
    write();
    inFlight.set(id, inFlight.get(id)! - 1);
  };
  const activities: Activities = {
    async recordTask(state) {
      await timedWrite(state.workflowId, () => written.push(state));
      return { applied: true };
    },
    async recordDebarment(d) {
      debarments.push(d);
    },
    async recordCouncil(view) {
      await timedWrite(view.councilId, () => councils.push(view));
      return { applied: true };
    },
    async storeCouncilResult(r) {
      councilResults.push(r);
    },
    async renderCouncilDocuments(req) {
      const at = req.view.result?.decidedAt ?? '2026-11-23T08:00:00.000Z';
      const records = ['vote_counting_record', 'council_minutes'].map((kind, i) => ({
        documentId: `doc-00000000000000000000c${i}${req.view.kind.length}`.slice(0, 28),
        kind,
        title: `${kind} ${req.view.kind}`,
        stateHash: 'def',
        createdAt: at,
      }));
      // C-4: one score sheet per member who voted, for an open C-SEL or C-ACC ballot only (as the real activity).
      const open = req.view.ballot === 'open' && (req.view.kind === 'C-SEL' || req.view.kind === 'C-ACC');
      const voters = open ? [...new Set((req.view.openBallots ?? []).map((b) => b.memberId))] : [];
      return [...records, ...voters.map((m) => ({ documentId: `doc-score-${req.view.councilId}-${m}`, kind: 'score_sheet', title: `Phiếu đánh giá ${m}`, stateHash: 'def', createdAt: at }))];
    },
    async renderTaskDocument(req) {
      if (opts.unrenderable?.includes(req.snapshot.kind)) throw ApplicationFailure.nonRetryable(`${req.snapshot.kind}: cannot be drawn from this state`, 'DOCUMENT_NOT_RENDERABLE');
      documents.push(req);
      const n = documents.filter((d) => d.snapshot.kind === req.snapshot.kind).length;
      return {
        documentId: `doc-${req.key.replace(/[^A-Za-z0-9]+/g, '-')}`,
        kind: req.snapshot.kind,
        title: `${req.snapshot.kind} ${n}`,
        stateHash: stateHash(req.snapshot),
        createdAt: req.snapshot.issuedAt,
        ...(req.snapshot.kind === 'registration_certificate' ? {} : { number: `${String(n).padStart(2, '0')}/TEST` }),
      };
    },
    async renderDocumentDraft(req) {
      if (!drafts.some((d) => d.input.documentId === req.input.documentId)) drafts.push(req);
      return { stateHash: stateHash(req.input.draft.snapshot) };
    },
    async recordIssuance(view) {
      issuanceViews.push(view);
      return { applied: true };
    },
    async registerOutgoingDocument(req) {
      const mine = [...register].find(([, id]) => id === req.documentId);
      if (mine) return { number: mine[0], registeredOn: req.registeredOn };
      let number = req.number ?? req.certificateNumber;
      if (number && register.has(number)) throw ApplicationFailure.create({ type: 'NUMBER_TAKEN', nonRetryable: true, message: `Number ${number} is already in the outgoing register.` });
      for (let n = register.size + 1; !number || register.has(number); n++) number = `${String(n).padStart(2, '0')}/SO-TEST`;
      register.set(number, req.documentId);
      return { number, registeredOn: req.registeredOn };
    },
    async issueTaskDocument(req) {
      issued.push(req);
      const draft = drafts.find((d) => d.input.documentId === req.documentId);
      const snapshot = req.request?.snapshot ?? draft!.input.draft.snapshot;
      return { documentId: req.documentId, kind: snapshot.kind, title: `${snapshot.kind} ${req.issuance.number}`, stateHash: stateHash(snapshot), createdAt: req.issuance.issuedAt, number: req.issuance.number };
    },
    async renderProposalForm(req) {
      if (opts.unrenderable?.includes('proposal_form')) throw ApplicationFailure.nonRetryable('document not renderable: URIError: URI malformed', 'DOCUMENT_NOT_RENDERABLE');
      return { documentId: 'doc-000000000000000000000001', kind: 'proposal_form', title: `Phiếu đề xuất ${req.taskId}`, stateHash: 'abc', createdAt: req.submittedAt };
    },
    async sendEmail(req) {
      mailAttempts += 1;
      if (opts.unrenderableMail?.includes(req.template)) throw ApplicationFailure.nonRetryable(`email not renderable: ${req.template}`, 'EMAIL_NOT_RENDERABLE');
      if (mailAttempts <= (opts.failMail ?? 0)) throw new Error('421 Service temporarily unavailable');
      if (smtp.down) {
        smtp.failures += 1;
        throw new Error('421 Service temporarily unavailable');
      }
      sent.push(req);
      return { messageId: `<${req.key}>`, duplicate: false };
    },
  };
  return { activities, written, sent, documents, smtp, debarments, councils, councilResults, drafts, issuanceViews, register, issued, mailAttempts: () => mailAttempts, maxConcurrentWrites: () => maxConcurrentWrites };
}

export interface Scenario {
  env: TestWorkflowEnvironment;
  handle: WorkflowHandle<typeof taskLifecycleWorkflow>;
  rec: ReturnType<typeof recordingActivities>;
  /** Gives a command as the actor; resolves to the state after it, or rejects with the refusal. */
  cmd<K extends CommandName>(name: K, payload: CommandPayloads[K]): Promise<TaskState>;
  /** The refusal's ApplicationFailure type and message for a command that must be refused. */
  refused<K extends CommandName>(name: K, payload: CommandPayloads[K]): Promise<{ type: string; message: string; rule?: string }>;
  state(): Promise<TaskState>;
  /** Today in Vietnam, by the test server's clock. */
  today(): Promise<string>;
  /** Lets n days pass (timers fire on the way). */
  days(n: number): Promise<void>;
  /** Types of the events the workflow emitted, in order. */
  events(): Promise<string[]>;
  /** Gives a council command to a sitting of this task; resolves once the task is quiet again. */
  council<K extends keyof CouncilCommands>(councilId: string, name: K, payload: CouncilCommands[K]): Promise<K extends 'castVote' ? VoteReceipt : CouncilView>;
  /** The council's refusal of a command (type, message, rule). */
  councilRefused<K extends keyof CouncilCommands>(councilId: string, name: K, payload: CouncilCommands[K]): Promise<{ type: string; message: string; rule?: string }>;
  councilView(councilId: string): Promise<CouncilView>;
}

function executeCouncil<K extends keyof CouncilCommands>(env: TestWorkflowEnvironment, councilId: string, name: K, payload: CouncilCommands[K]) {
  return env.client.workflow.getHandle(councilId).executeUpdate(councilUpdate(name), { args: [payload] });
}

/**
 * Runs a scenario against a fresh worker; with RECORD_HISTORIES=1 its history is
 * written to test/replay/histories/<taskId>.json for the replay test (never over
 * one already recorded: RECORD_HISTORIES=overwrite for that).
 */
export async function runScenario(
  env: TestWorkflowEnvironment,
  taskId: string,
  body: (s: Scenario) => Promise<void>,
  opts: { input?: Partial<TaskLifecycleInput>; failMail?: number; unrenderable?: string[]; unrenderableMail?: string[] } = {},
): Promise<void> {
  const rec = recordingActivities(opts);
  const taskQueue = `scenario-${taskId}`;
  const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: await workflowBundle(), activities: rec.activities, dataConverter: TEST_DATA_CONVERTER });
  try {
    await worker.runUntil(async () => {
      const handle = await env.client.workflow.start(taskLifecycleWorkflow, {
        taskQueue,
        workflowId: taskWorkflowId(taskId),
        args: [lifecycleInput(taskId, opts.input)],
      });
      let commandCount = 0;
      const s: Scenario = {
        env,
        handle,
        rec,
        async cmd(name, payload) {
          const updateId = `${name}-${++commandCount}`;
          const state = (await resendIfLost(env, taskId, updateId, () => handle.executeUpdate(commandUpdate(name), { args: [payload], updateId }))) as TaskState;
          await quiescent(env, taskWorkflowId(taskId));
          return state;
        },
        async refused(name, payload) {
          const err = await handle.executeUpdate(commandUpdate(name), { args: [payload] }).then(
            () => {
              throw new Error(`${name} was expected to be refused`);
            },
            (e: unknown) => e as { cause?: { type?: string; message?: string; details?: { rule?: string }[] } },
          );
          return { type: err.cause?.type ?? 'unknown', message: err.cause?.message ?? '', ...(err.cause?.details?.[0]?.rule ? { rule: err.cause.details[0].rule } : {}) };
        },
        async state() {
          // What the read model was last given, once the task is idle (see readState).
          return readState(env, taskId, rec.written, () => handle.query(getTaskStateQuery));
        },
        today: async () => vnDateOf(new Date(await env.currentTimeMs()).toISOString()),
        days: async (n) => {
          // Time jumps only once every workflow of the scenario (the task and its sittings) is idle: an
          // activity in flight while the clock skips would time out, and the test server then keeps its
          // time-skipping lock for good.
          for (const id of [taskWorkflowId(taskId), ...(await councilIdsOf(env, taskId))]) await quiescent(env, id);
          await sleepSkipping(env, taskId, n * 86_400_000);
          await quiescent(env, taskWorkflowId(taskId));
        },
        events: async () => (await queryRetrying(env, taskWorkflowId(taskId), () => handle.query(getTaskStateQuery))).events.map((e) => e.type),
        async council(councilId, name, payload) {
          const out = await executeCouncil(env, councilId, name, payload);
          await quiescent(env, councilId);
          await quiescent(env, taskWorkflowId(taskId));
          return out;
        },
        async councilRefused(councilId, name, payload) {
          const err = await executeCouncil(env, councilId, name, payload).then(
            () => {
              throw new Error(`${name} was expected to be refused`);
            },
            (e: unknown) => e as { cause?: { type?: string; message?: string; details?: { rule?: string }[] } },
          );
          return { type: err.cause?.type ?? 'unknown', message: err.cause?.message ?? '', ...(err.cause?.details?.[0]?.rule ? { rule: err.cause.details[0].rule } : {}) };
        },
        councilView: (councilId) => queryRetrying(env, councilId, () => env.client.workflow.getHandle(councilId).query(getCouncilViewQuery)),
      };
      // Intake (L-1) finishes before anything else (an imported task has none: its first write is enough).
      const intakeDone = async () => {
        const st = await s.state();
        return st.documents.length > 0 || ((st.imported !== undefined || opts.unrenderable?.includes('proposal_form')) && rec.written.length > 1);
      };
      for (let i = 0; i < 200 && !(await intakeDone()); i++) await new Promise((r) => setTimeout(r, 20));
      const watchdog = setTimeout(() => void diagnose(env, taskId).then((d) => console.error(`scenario ${taskId} still running after 40 s:\n${d}`)), 40_000);
      try {
        await body(s);
      } finally {
        clearTimeout(watchdog);
        // While the worker still runs: let the workflows finish what they were doing
        // (the outbox, a read-model write), then end them. A workflow task left
        // scheduled when the worker stops holds the test server's time-skipping lock
        // for good, even after termination, and every later `sleep` of the file
        // would then run at wall-clock speed.
        await settle(env, taskId);
      }
    });
  } finally {
    // If the worker could not run at all, nothing may be left running either.
    await endAll(env, taskId);
  }
}

/**
 * A query that reaches the test server while the workflow has a task in flight (a run continuing as
 * new, a sitting handing its result over) can be lost: no answer ever comes, and the test server keeps
 * a time-skipping lock for it, so that a later sleep of days runs at wall speed (lifecycle-long-task
 * failed so in CI and, reproduced, under CPU load). A query is therefore asked only once the workflow
 * is idle; one still without an answer within 10 s of wall time is asked again, at most three times.
 */
/**
 * The task's state as the read model has it (the latest version the workflow wrote), once the task is
 * idle: every command and timer ends by writing it. The task is not queried for it: a query that meets
 * a run continuing as new is lost by the test server, which then keeps a time-skipping lock for it for
 * good (see queryRetrying), and the hand-over of a sitting's result can bring a continue-as-new at any
 * moment. Before the first write (intake), the task is queried.
 */
async function readState(env: TestWorkflowEnvironment, taskId: string, written: TaskState[], ask: () => Promise<TaskState>): Promise<TaskState> {
  await quiescent(env, taskWorkflowId(taskId));
  const mine = written.filter((w) => w.taskId === taskId);
  if (!mine.length) return queryRetrying(env, taskWorkflowId(taskId), ask);
  return structuredClone(mine.reduce((a, b) => (b.version >= a.version ? b : a)));
}

async function queryRetrying<T>(env: TestWorkflowEnvironment, workflowId: string, ask: () => Promise<T>): Promise<T> {
  await quiescent(env, workflowId);
  for (let attempt = 0; ; attempt++) {
    const asked = ask();
    if (attempt >= 3) return asked;
    let timer: NodeJS.Timeout | undefined;
    const lost = new Promise<typeof LOST>((r) => {
      timer = setTimeout(() => r(LOST), 10_000);
    });
    const answer = await Promise.race([asked, lost]).finally(() => clearTimeout(timer));
    if (answer !== LOST) return answer as T;
    asked.catch(() => undefined);
    console.warn(`${workflowId}: a query got no answer within 10 s; asking again`);
  }
}
const LOST = Symbol('lost');

/**
 * A command sent just as its run continues as new can be lost by the test server: the client waits for
 * the update's outcome for good while the new run sits idle (lifecycle-long-task, historyLimit 150, hung
 * so in runs of several files). When no outcome comes within 15 s of wall time and the task's latest run
 * has no workflow task in flight, the same update (same ID) is sent again, at most twice; the first
 * attempt, abandoned, may no longer fail the test file when the environment closes.
 */
async function resendIfLost<T>(env: TestWorkflowEnvironment, taskId: string, updateId: string, send: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    const sent = send();
    if (attempt >= 2) return sent;
    let timer: NodeJS.Timeout | undefined;
    const stalled = new Promise<'stalled'>((r) => {
      timer = setTimeout(() => r('stalled'), 15_000);
    });
    const first = await Promise.race([sent, stalled]).finally(() => clearTimeout(timer));
    if (first !== 'stalled') return first as T;
    const d = await env.client.workflow.getHandle(taskWorkflowId(taskId)).describe();
    const raw = d.raw as { pendingWorkflowTask?: unknown };
    if (d.status.name !== 'RUNNING' || raw.pendingWorkflowTask) return sent;
    sent.catch(() => undefined);
    console.warn(`scenario ${taskId}: update ${updateId} got no outcome within 15 s with the run idle; sending it again`);
  }
}

/**
 * `env.sleep(ms)` on the test server's clock, which skips ahead while nothing is in flight. The test
 * server can keep one time-skipping lock too many (a query lost while a run continued as new; an
 * update it refused), and then the clock moves at wall speed and a sleep of days never ends. When the
 * sleep has not come back within 3 s of wall time, and twice, 1 s apart, no workflow of the scenario
 * has a task or an activity in flight and the clock has not skipped, that lock is a leak: it is
 * released (`unlockTimeSkipping`), at most once per test server. Only once: a lock released that was
 * not a leak leaves the server's count short, and a later wait on a workflow's result (which unlocks
 * and locks again) then never ends; under CPU load a busy moment can look idle to one look.
 */
const releasedLocks = new WeakSet<TestWorkflowEnvironment>();
async function sleepSkipping(env: TestWorkflowEnvironment, taskId: string, ms: number): Promise<void> {
  let done = false;
  const sleeping = env.sleep(ms).finally(() => {
    done = true;
  });
  const stalled = async () => {
    const ids = [taskWorkflowId(taskId), ...(await councilIdsOf(env, taskId))];
    const busy = await Promise.all(
      ids.map(async (id) => {
        const d = await env.client.workflow.getHandle(id).describe();
        const raw = d.raw as { pendingActivities?: unknown[]; pendingWorkflowTask?: unknown };
        return d.status.name === 'RUNNING' && (Boolean(raw.pendingWorkflowTask) || Boolean(raw.pendingActivities?.length));
      }),
    );
    if (done || busy.some(Boolean)) return false;
    const before = await env.currentTimeMs();
    await new Promise((r) => setTimeout(r, 1000));
    return !done && (await env.currentTimeMs()) - before < 5_000; // a clock that skips is only slow
  };
  while (!done) {
    await Promise.race([sleeping, new Promise((r) => setTimeout(r, 3000))]);
    if (done || releasedLocks.has(env)) continue;
    if (!(await stalled()) || !(await stalled())) continue;
    releasedLocks.add(env);
    console.warn(`scenario ${taskId}: the test server's clock was locked with nothing in flight; releasing one time-skipping lock`);
    await env.connection.testService?.unlockTimeSkipping({}).catch(() => undefined);
  }
  await sleeping;
}

/**
 * Waits (up to 30 s) until the workflow's latest run has neither a workflow task nor an activity in
 * flight, seen twice in a row. What a command, a signal or a timer sets going (its emails, then perhaps
 * a continue-as-new) finishes before the scenario goes on or asks a query (see queryRetrying). An
 * activity that has failed and waits to be retried (an email while SMTP is down) is not waited for.
 */
async function quiescent(env: TestWorkflowEnvironment, workflowId: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (let calm = 0; calm < 2 && Date.now() < deadline; ) {
    const d = await env.client.workflow.getHandle(workflowId).describe();
    const raw = d.raw as { pendingActivities?: { lastFailure?: unknown }[]; pendingWorkflowTask?: unknown };
    calm = d.status.name !== 'RUNNING' || (!raw.pendingWorkflowTask && !raw.pendingActivities?.some((a) => !a.lastFailure)) ? calm + 1 : 0;
    if (calm < 2) await new Promise((r) => setTimeout(r, 25));
  }
}

/** Waits (up to 30 s) until no workflow of the scenario has a workflow task or an activity pending; records histories; ends them. */
async function settle(env: TestWorkflowEnvironment, taskId: string): Promise<void> {
  const ids = async () => [taskWorkflowId(taskId), ...(await councilIdsOf(env, taskId))];
  const idle = async (id: string) => {
    const d = await env.client.workflow.getHandle(id).describe();
    const raw = d.raw as { pendingActivities?: unknown[]; pendingWorkflowTask?: unknown };
    return d.status.name !== 'RUNNING' || (!raw.pendingWorkflowTask && !raw.pendingActivities?.length);
  };
  // Up to 30 s: under load a decided sitting may still be rendering its records and mailing its members.
  for (let calm = 0, i = 0; calm < 2 && i < 600; i++) {
    calm = (await Promise.all((await ids()).map(idle))).every(Boolean) ? calm + 1 : 0;
    if (calm < 2) await new Promise((r) => setTimeout(r, 50));
  }
  const recording = process.env.RECORD_HISTORIES;
  if (recording === '1' || recording === 'overwrite') {
    // The task's history and those of its council sittings (child workflows). A history already
    // recorded is kept (it stands for tasks running on older code) unless RECORD_HISTORIES=overwrite.
    const dir = join(__dirname, '..', 'replay', 'histories');
    mkdirSync(dir, { recursive: true });
    for (const id of await ids()) {
      const file = join(dir, `${id.replace(/^task-/, '')}.json`);
      if (existsSync(file) && recording !== 'overwrite') continue;
      const history = await env.client.workflow.getHandle(id).fetchHistory();
      writeFileSync(file, JSON.stringify(JSON.parse(historyToJSON(history)), null, 2));
    }
  }
  await endAll(env, taskId);
}

async function endAll(env: TestWorkflowEnvironment, taskId: string): Promise<void> {
  for (const id of [...(await councilIdsOf(env, taskId)), taskWorkflowId(taskId)]) {
    await env.client.workflow.getHandle(id).terminate('scenario over').catch(() => undefined);
  }
}

/** What a stalled scenario's workflows are waiting for (printed by its watchdog); with DIAG_DIR set, each whole history is written there as JSON. */
async function diagnose(env: TestWorkflowEnvironment, taskId: string): Promise<string> {
  const lines: string[] = [];
  try {
    const t0 = await env.currentTimeMs();
    await new Promise((r) => setTimeout(r, 1000));
    lines.push(`test server clock moved ${(await env.currentTimeMs()) - t0} ms in 1 s of wall time`);
  } catch (err) {
    lines.push(`clock: ${String(err)}`);
  }
  for (const id of [taskWorkflowId(taskId), ...(await councilIdsOf(env, taskId))]) {
    try {
      const h = env.client.workflow.getHandle(id);
      const d = await h.describe();
      const raw = d.raw as { pendingActivities?: { activityType?: { name?: string }; attempt?: number; lastFailure?: { message?: string } }[]; pendingWorkflowTask?: { state?: unknown; attempt?: number } };
      const events = (await h.fetchHistory()).events ?? [];
      if (process.env.DIAG_DIR) writeFileSync(join(process.env.DIAG_DIR, `${id}.json`), JSON.stringify(events, null, 1));
      const tail = events.slice(-8).map((e) => `${e.eventId} ${Object.keys(e).find((k) => k.endsWith('EventAttributes')) ?? e.eventType}`);
      lines.push(`${id}: ${d.status.name}, ${events.length} events; pending activities ${JSON.stringify(raw.pendingActivities?.map((a) => [a.activityType?.name, a.attempt, a.lastFailure?.message]))}; pending workflow task ${JSON.stringify(raw.pendingWorkflowTask)}; last events: ${tail.join(' | ')}`);
    } catch (err) {
      lines.push(`${id}: ${String(err)}`);
    }
  }
  return lines.join('\n');
}

/** The council sittings a task started, from its history (its query needs a worker, which may be gone). */
async function councilIdsOf(env: TestWorkflowEnvironment, taskId: string): Promise<string[]> {
  try {
    const history = await env.client.workflow.getHandle(taskWorkflowId(taskId)).fetchHistory();
    return (history.events ?? []).flatMap((e) => {
      const id = e.startChildWorkflowExecutionInitiatedEventAttributes?.workflowId;
      return id ? [id] : [];
    });
  } catch {
    return [];
  }
}

// ---------------------------------------------------------------------------------------------
// Council sittings (issue 13: every outcome goes through ballots and the tally)
// ---------------------------------------------------------------------------------------------

export { ballotsFor, councilSeats, type SittingOutcome } from './sittings';
export const memberActor = (id: string): Actor => ({ userId: id, role: 'council_member', name: id, email: `${id}@hoidong.example.vn`, orgId: 'org-hoi-dong', locale: 'vi' });

/**
 * A council sitting of the task's current review stage, from formation to its result (C-1 … C-9): formed
 * (7 members by default) to meet today, each member's declaration recorded, all present, and every ballot
 * entered on paper by the administrative secretary (or cast online by each member), so that the same tally
 * decides what `outcome` asks. Resolves with the council ID and the task once it has the result.
 */
export async function sitCouncil(
  s: Scenario,
  outcome: SittingOutcome,
  o: { members?: CouncilSeat[]; voting?: 'paper' | 'online'; ballot?: 'open' | 'secret'; present?: string[]; by?: Actor } = {},
): Promise<{ councilId: string; task: TaskState }> {
  const members = o.members ?? councilSeats();
  const today = await s.today();
  const deadline = new Date((await s.env.currentTimeMs()) + 2 * 86_400_000).toISOString();
  const voting = o.voting ?? 'paper';
  const before = (await s.state()).councilSittings.length;
  let formed = await s.cmd('formCouncil', { by: o.by ?? manager, kind: outcome.kind, members, meetingOn: today, votingDeadline: deadline, ballot: o.ballot ?? 'secret', voting });
  // Issue 12 (signed issuance): the decision forming the council takes effect when issued.
  const decision = (formed.issuance ?? []).find((d) => d.status === 'PENDING' && d.kind === 'council_formation_decision');
  if (decision) {
    await signAndIssue(s, decision.documentId);
    formed = await s.state();
  }
  const councilId = formed.councilSittings[before]!.councilId;
  for (let i = 0; i < 100 && !(await s.councilView(councilId).catch(() => undefined)); i++) await new Promise((r) => setTimeout(r, 20));
  // Updates answer once recorded: no need to wait for the workflows to be idle between them.
  const send = <K extends keyof CouncilCommands>(name: K, p: CouncilCommands[K]) => executeCouncil(s.env, councilId, name, p);
  for (const m of members) await send('declareConflict', { by: voting === 'paper' ? manager : memberActor(m.memberId), memberId: m.memberId, conflicted: false });
  const present = o.present ?? members.map((m) => m.memberId);
  await send('recordAttendance', { by: manager, present });
  const ballots = ballotsFor(await s.councilView(councilId), outcome, present);
  if (voting === 'paper') await send('enterPaperBallots', { by: manager, ballots });
  else for (const b of ballots) await send('castVote', { by: memberActor(b.memberId), ballot: b.ballot });
  // The sitting decides, hands its result to the task, renders its records, mails its members and hands
  // the records over: the task is asked only once the sitting has closed and the task is idle again (a
  // query racing the hand-over, or the continue-as-new it may bring, can be lost; see queryRetrying).
  const sitting = s.env.client.workflow.getHandle(councilId);
  for (const deadline = Date.now() + 60_000; Date.now() < deadline && (await sitting.describe()).status.name === 'RUNNING'; ) await new Promise((r) => setTimeout(r, 25));
  return { councilId, task: await s.state() };
}

/** Identification (L-2, C-ID) recommends the task, and the list is approved (L-3): ORDER_LISTED. */
export async function toOrderListed(s: Scenario): Promise<TaskState> {
  await s.cmd('startIdentificationReview', { by: manager });
  await sitCouncil(s, { kind: 'C-ID', recommend: true });
  return s.cmd('approveOrderList', { by: manager });
}

/** Drives a task from proposal to IN_PROGRESS by competitive selection; returns the contract dates. */
export async function toInProgress(s: Scenario, o: { durationMonths?: number; stateBudget?: number; disburse?: number } = {}) {
  await toOrderListed(s);
  const opens = await s.today();
  await s.cmd('openCall', { by: manager, closesOn: addDays(opens, 30) });
  await s.cmd('submitDossier', { by: researcher, host: HOST });
  await s.cmd('submitDossier', { by: otherResearcher, host: OTHER_HOST });
  await s.days(31);
  await s.cmd('openDossiers', { by: manager, valid: ['HS-1-1', 'HS-1-2'] });
  await s.cmd('formSelectionCouncil', { by: manager, meetingOn: addDays(await s.today(), 10) });
  await sitCouncil(s, { kind: 'C-SEL', winner: 'HS-1-1' });
  await s.cmd('submitRevisedProposal', { by: researcher });
  await s.cmd('recordBudgetAppraisal', { by: manager, requested: 1_750_000_000, appraisedState: 1_500_000_000, appraisedOther: 250_000_000 });
  await s.cmd('approveTask', {
    by: manager,
    durationMonths: o.durationMonths ?? 12,
    fundingMode: 'full_lump_sum',
    stateBudget: o.stateBudget ?? 1_500_000_000,
    otherSources: 250_000_000,
    products: ['02 giống lúa chịu mặn'],
  });
  await s.cmd('signContract', { by: researcher });
  const contracted = await s.cmd('signContract', { by: manager });
  await s.cmd('recordDisbursement', { by: manager, amount: o.disburse ?? 1_000_000_000 });
  return { startOn: contracted.contract!.startOn!, endOn: contracted.contract!.endOn! };
}

/**
 * Issue 12: every document of the task awaiting issue is signed by its competent signers (the
 * Director for the Department unless `departmentSigner` says otherwise, the host's researcher for
 * party B, the council's chair and secretary), registered and issued by the clerk. Returns the
 * documents as issued. Repeats until nothing is pending (issuing a decision may draft records).
 */
export async function signAndIssueAll(s: Scenario, o: { departmentSigner?: Actor; registeredOn?: string } = {}): Promise<IssuanceView[]> {
  const out: IssuanceView[] = [];
  for (let round = 0; round < 10; round++) {
    const pending = ((await s.state()).issuance ?? []).filter((d) => d.status === 'PENDING');
    if (!pending.length) break;
    for (const d of pending) out.push(await signAndIssue(s, d.documentId, o));
  }
  return out;
}

/** One document through signature, registration and issue (see signAndIssueAll). */
export async function signAndIssue(s: Scenario, documentId: string, o: { departmentSigner?: Actor; registeredOn?: string } = {}): Promise<IssuanceView> {
  const h = s.env.client.workflow.getHandle(issuanceWorkflowId(documentId));
  let view = await waitForView(s, documentId);
  for (const slot of view.slots) {
    if (view.signatures.some((x) => x.slotId === slot.slotId)) continue;
    const r = slot.requirement;
    const by: Actor =
      r.kind === 'host' ? { ...researcher, orgId: r.orgId }
      : r.kind === 'member' ? { userId: r.userId, role: 'council_member', name: r.name, email: `${r.userId}@hoidong.example.vn`, orgId: 'org-hoi-dong', locale: 'vi' }
      : r.kind === 'staff' ? officer
      : o.departmentSigner ?? director;
    view = await h.executeUpdate(issuanceUpdate('signDocument'), { args: [{ by, slotId: slot.slotId }] });
  }
  await h.executeUpdate(issuanceUpdate('registerDocument'), { args: [{ by: clerk, ...(o.registeredOn ? { registeredOn: o.registeredOn, number: `${(s.rec.register.size + 1) * 7}/TAY-TEST` } : {}) }] });
  view = await h.executeUpdate(issuanceUpdate('issueDocument'), { args: [{ by: clerk }] });
  await quiescent(s.env, s.handle.workflowId);
  return view;
}

/** The issuance view once its child workflow has drafted it. */
export async function waitForView(s: Scenario, documentId: string): Promise<IssuanceView> {
  const h = s.env.client.workflow.getHandle(issuanceWorkflowId(documentId));
  for (let i = 0; ; i++) {
    try {
      const v = await h.query(getIssuanceQuery);
      if (s.rec.drafts.some((d) => d.input.documentId === documentId)) return v;
    } catch (err) {
      if (i > 200) throw err;
    }
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Emails of template 'task-event' with this subject, once `count` of them went out. */
export async function taskEventMails(s: Scenario, subject: string, count = 1) {
  const pick = () => s.rec.sent.filter((m) => m.template === 'task-event' && m.data.subject === subject);
  for (let i = 0; i < 500 && pick().length < count; i++) await new Promise((r) => setTimeout(r, 20));
  return pick();
}

/** Gives a command that must be refused, and checks that nothing at all was recorded: same state, no write. */
export async function refusedNothingRecorded<K extends CommandName>(s: Scenario, name: K, payload: CommandPayloads[K]) {
  const before = await s.state();
  const writes = s.rec.written.length;
  const r = await s.refused(name, payload);
  expect(await s.state()).toEqual(before);
  expect(s.rec.written.length).toBe(writes);
  return r;
}

/** Lets time pass until the Vietnam date is `date`. */
export async function until(s: Scenario, date: string) {
  const n = daysBetween(await s.today(), date);
  if (n < 0) throw new Error(`${date} is in the past`);
  if (n > 0) await s.days(n);
}
