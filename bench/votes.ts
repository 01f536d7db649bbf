/**
 * Vote benchmark (councils issue): N councils × 9 members vote at once through
 * the HTTP API against the running stack (real Temporal dev server, FerretDB,
 * SMTP catcher, worker and API, in-process as in the integration tests), and a
 * no-op Temporal update measured in the same run as the baseline.
 *
 *   npm run bench:votes -- --councils 10 [--timeout 300]
 *
 * Set-up (proposal → identification review → C-ID council of 9, secret ballot,
 * declarations and attendance) is not measured; nor is the wait for every
 * council to reach DECIDED afterwards, which is checked (exit code 1 if not).
 * A council whose read model does not get there is described from its workflow
 * (status, every read-model write since attendance and whether the store said it
 * applied it); BENCH_DUMP_DIR=<dir> also writes its history there as JSON.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, platform, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import type { ChildProcess } from 'node:child_process';
import type { WorkflowHandle } from '@temporalio/client';
import type { Caller } from '../api/auth';
import { benchNoopUpdate, benchNoopWorkflow } from '../workflows/bench-noop';
import { getCouncilViewQuery } from '../workflows/definitions';
import { addDays } from '../workflows/rules/calendar';
import { startFerretdb, startTemporalDevServer, waitUntil } from '../test/support/services';
import { sampleProposal, startStack, type Stack } from '../test/support/stack';
import { runBenchmark } from './run';

// ---------- arguments ----------
const { values: argv } = parseArgs({
  options: {
    councils: { type: 'string', default: '10' },
    timeout: { type: 'string', default: '300' },
  },
  strict: true,
  allowPositionals: false,
});
const N = Number(argv.councils);
const TIMEOUT_S = Number(argv.timeout);
if (!Number.isSafeInteger(N) || N < 1 || N > 500) throw new Error(`--councils must be an integer 1…500: ${argv.councils}`);
if (!(TIMEOUT_S > 0)) throw new Error(`--timeout must be a positive number of seconds: ${argv.timeout}`);

const ROLES = ['chair', 'vice_chair', 'reviewer', 'reviewer', 'member', 'member', 'member', 'member', 'member'] as const;
const NAMES = ['Phạm Thị Ngọc Ánh', 'Đặng Quốc Việt', 'Lý Thị Thu Hà', 'Hồ Văn Lực', 'Trương Mỹ Linh', 'Bùi Đức Thịnh', 'Vũ Hoàng Yến', 'Ngô Minh Tâm', 'Đoàn Thị Lan'];
const MEMBERS = ROLES.length; // 9
/** The last member of each council votes no: every council should end 8 yes, 1 no. */
const votesYes = (j: number) => j !== MEMBERS - 1;
const EXPECTED_YES = ROLES.filter((_, j) => votesYes(j)).length;

// ---------- small helpers ----------
interface Timed {
  ms: number;
  ok: boolean;
  detail?: string;
}
interface Figures {
  label: string;
  count: number;
  failed: number;
  wallMs: number;
  opsPerSec: number;
  p50: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentile. */
function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length))) - 1]!;
}

function figures(label: string, samples: Timed[], wallMs: number): Figures {
  const ms = samples.map((s) => s.ms).sort((a, b) => a - b);
  const ok = samples.filter((s) => s.ok).length;
  return { label, count: samples.length, failed: samples.length - ok, wallMs, opsPerSec: ok / (wallMs / 1000), p50: percentile(ms, 50), p99: percentile(ms, 99), max: ms[ms.length - 1] ?? NaN };
}

/** CPU time (ms) used so far by this process and by each spawned service (Linux /proc; 0 elsewhere). */
function cpuNow(): Record<string, number> {
  const self = process.cpuUsage();
  const out: Record<string, number> = { 'node (API + worker + clients)': (self.user + self.system) / 1000 };
  for (const { name, child } of children) {
    try {
      const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      out[name] = ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
    } catch {
      out[name] = 0;
    }
  }
  return out;
}
const CLOCK_TICKS = 100;

/** Fires every operation at once; each is timed on its own, the burst as a whole by wall clock. */
async function burst(ops: (() => Promise<{ ok: boolean; detail?: string }>)[]): Promise<{ samples: Timed[]; wallMs: number; cpu: Record<string, number> }> {
  const cpu0 = cpuNow();
  const t0 = performance.now();
  const samples = await Promise.all(
    ops.map(async (op) => {
      const s = performance.now();
      try {
        const r = await op();
        return { ms: performance.now() - s, ...r };
      } catch (err) {
        return { ms: performance.now() - s, ok: false, detail: String((err as Error)?.message ?? err) };
      }
    }),
  );
  const wallMs = performance.now() - t0;
  const cpu1 = cpuNow();
  return { samples, wallMs, cpu: Object.fromEntries(Object.keys(cpu1).map((k) => [k, cpu1[k]! - (cpu0[k] ?? 0)])) };
}

function cpuLine(label: string, b: { wallMs: number; cpu: Record<string, number> }): string {
  const parts = Object.entries(b.cpu).map(([k, ms]) => `${k} ${fmt(ms, 0)} ms (${fmt((100 * ms) / b.wallMs, 0)}% of a core)`);
  return `CPU during ${label}: ${parts.join(', ')}; ${cpus().length} cores available`;
}

const log = (msg: string) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}`);
const fmt = (n: number, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : '—');

async function expectOk(res: Response, what: string, status?: number): Promise<any> {
  const text = await res.text();
  if (status !== undefined ? res.status !== status : !res.ok) throw new Error(`${what}: HTTP ${res.status} ${text.slice(0, 500)}`);
  return text ? JSON.parse(text) : undefined;
}

/** In small groups, so set-up does not itself become a load test. */
async function inBatches<T, R>(items: T[], size: number, fn: (t: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) out.push(...(await Promise.all(items.slice(i, i + size).map((t, k) => fn(t, i + k)))));
  return out;
}

// ---------- the councils ----------
interface BenchCouncil {
  index: number;
  taskId: string;
  councilId: string;
  members: { caller: Caller; token: string; yes: boolean }[];
}

async function formCouncil(stack: Stack, runId: string, index: number): Promise<BenchCouncil> {
  const proposal = sampleProposal({ title: `Đo hiệu năng bỏ phiếu hội đồng — nhiệm vụ số ${index} (${runId})` });
  const { taskId } = await expectOk(await stack.call('POST', '/api/v1/proposals', { body: proposal }), 'file a proposal');
  await waitUntil(`intake of ${taskId}`, async () => ((await stack.store.Task.findById(taskId).lean())?.documents.length ?? 0) >= 1, 120_000);
  await expectOk(await stack.call('POST', `/api/v1/tasks/${taskId}/start-identification-review`, { as: 'manager' }), 'start identification review');

  const seats = ROLES.map((role, j) => ({ memberId: `bm-${runId}-${index}-${j + 1}`, name: NAMES[j]!, email: `bm${index}-${j + 1}.${runId}@hoidong.example.vn`, role }));
  const today = new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);
  await expectOk(
    await stack.call('POST', `/api/v1/tasks/${taskId}/form-council`, {
      as: 'manager',
      body: { kind: 'C-ID', members: seats, meetingOn: addDays(today, 3), votingDeadline: new Date(Date.now() + 3600_000).toISOString(), ballot: 'secret' },
    }),
    'form the council',
    200,
  );
  const councilId = `council-${taskId}-C-ID-1`;
  await waitUntil(`read model of ${councilId}`, async () => (await stack.store.Council.countDocuments({ _id: councilId })) === 1, 60_000);

  const members = await Promise.all(
    seats.map(async (s, j) => {
      const caller: Caller = { userId: s.memberId, role: 'council_member', name: s.name, email: s.email, orgId: 'org-hoi-dong', departmentId: stack.config.DEPARTMENT_ID, locale: 'vi' };
      return { caller, token: await stack.tokenFor(caller), yes: votesYes(j) };
    }),
  );
  for (const m of members) {
    await expectOk(await stack.call('POST', `/api/v1/councils/${councilId}/conflict-declarations`, { as: m.caller, body: { conflicted: false } }), 'declare no conflict', 200);
  }
  const att = await expectOk(
    await stack.call('POST', `/api/v1/councils/${councilId}/attendance`, { as: 'manager', body: { present: seats.map((s) => s.memberId) } }),
    'record attendance',
    200,
  );
  if (att.status !== 'VOTING') throw new Error(`${councilId}: status ${att.status} after attendance, expected VOTING`);
  return { index, taskId, councilId, members };
}

/** Until none of these workflows has an activity or a workflow task outstanding (trailing emails, tallies, PDFs). */
async function quiesce(stack: Stack, workflowIds: string[], what: string, timeoutMs = 120_000): Promise<void> {
  await waitUntil(
    what,
    async () => {
      const busy = await inBatches(workflowIds, 50, async (id) => {
        const d = await stack.client.workflow.getHandle(id).describe();
        return (d.raw.pendingActivities?.length ?? 0) > 0 || Boolean(d.raw.pendingWorkflowTask);
      });
      return busy.every((b) => !b);
    },
    timeoutMs,
  );
}

function voteOps(stack: Stack, councils: BenchCouncil[]) {
  return councils.flatMap((c) =>
    c.members.map((m) => {
      const url = `${stack.baseUrl}/api/v1/councils/${c.councilId}/votes`;
      const init = {
        method: 'POST',
        headers: { authorization: `Bearer ${m.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ ballot: { kind: 'C-ID', yes: m.yes } }),
      };
      return async () => {
        const res = await fetch(url, init);
        const text = await res.text();
        return res.status === 201 ? { ok: true } : { ok: false, detail: `HTTP ${res.status} ${text.slice(0, 300)}` };
      };
    }),
  );
}

/** Every council's read model DECIDED with yes + no = 9 (8 yes, 1 no as cast). */
async function verify(stack: Stack, councils: BenchCouncil[], timeoutMs = 120_000): Promise<string[]> {
  const ids = councils.map((c) => c.councilId);
  // Until each read model is DECIDED, or its sitting has closed (the sitting writes its last read model before it closes).
  try {
    await waitUntil(
      'every council DECIDED or its sitting closed',
      async () => {
        const done = new Set((await stack.store.Council.find({ _id: { $in: ids }, status: 'DECIDED' }).select('_id').lean()).map((d) => String(d._id)));
        const rest = ids.filter((id) => !done.has(id));
        return (await inBatches(rest, 50, async (id) => (await stack.client.workflow.getHandle(id).describe()).status.name !== 'RUNNING')).every(Boolean);
      },
      timeoutMs,
    );
  } catch {
    /* reported below, council by council */
  }
  const docs = await stack.store.Council.find({ _id: { $in: ids } }).lean();
  const byId = new Map(docs.map((d) => [String(d._id), d]));
  const problems: string[] = [];
  for (const id of ids) {
    const d = byId.get(id) as any;
    const yes = d?.result?.figures?.yes;
    const no = d?.result?.figures?.no;
    if (d?.status !== 'DECIDED') problems.push(`${id}: read model status ${d?.status ?? 'missing'} (version ${d?.version}, voted ${d?.members?.filter((m: { voted: boolean }) => m.voted).length ?? '?'}/${MEMBERS}); ${await workflowSide(stack, id)}`);
    else if (yes + no !== MEMBERS || yes !== EXPECTED_YES) problems.push(`${id}: yes ${yes}, no ${no} (expected ${EXPECTED_YES} + ${MEMBERS - EXPECTED_YES} = ${MEMBERS})`);
  }
  return problems;
}

/** The sittings' own results (the workflows' return values), whatever the read models say. */
async function verifySittings(stack: Stack, councils: BenchCouncil[]): Promise<string[]> {
  const out = await inBatches(councils, 50, async (c) => {
    try {
      const r = await stack.client.workflow.getHandle(c.councilId).result();
      const { yes, no } = r.figures as { yes?: number; no?: number };
      return yes === EXPECTED_YES && no === MEMBERS - EXPECTED_YES ? null : `${c.councilId}: sitting returned ${r.outcome}, yes ${yes}, no ${no}`;
    } catch (err) {
      return `${c.councilId}: sitting failed: ${(err as Error).message}`;
    }
  });
  return out.filter((x): x is string => x !== null);
}

/** What the sitting's workflow itself says, for a council whose read model did not get there. */
async function workflowSide(stack: Stack, councilId: string): Promise<string> {
  try {
    const h = stack.client.workflow.getHandle(councilId);
    const d = await h.describe();
    const pending = d.raw.pendingActivities?.map((a) => `${a.activityType?.name} attempt ${a.attempt}${a.lastFailure?.message ? ` (${a.lastFailure.message})` : ''}`) ?? [];
    let view = '';
    if (d.status.name === 'RUNNING') {
      const v = await h.query(getCouncilViewQuery);
      view = `, view status ${v.status} version ${v.version} voted ${v.members.filter((m) => m.voted).length}/${v.members.length}`;
    }
    // Every read-model write the sitting made: the version and status it carried, and whether the store applied it.
    const conv = stack.client.options.loadedDataConverter.payloadConverter;
    const writes = new Map<string, string>();
    const hist = await h.fetchHistory();
    if (process.env.BENCH_DUMP_DIR) writeFileSync(join(process.env.BENCH_DUMP_DIR, `${councilId}.json`), JSON.stringify(hist));
    for (const e of hist.events ?? []) {
      const sch = e.activityTaskScheduledEventAttributes;
      if (sch?.activityType?.name === 'recordCouncil') {
        const v = conv.fromPayload<{ version: number; status: string }>(sch.input!.payloads![0]!);
        writes.set(String(e.eventId), `v${v.version} ${v.status}`);
        if (v.status === 'FORMED') writes.delete(String(e.eventId)); // formation and declarations: not the interesting part
      }
      const done = e.activityTaskCompletedEventAttributes;
      const key = String(done?.scheduledEventId);
      if (done && writes.has(key)) writes.set(key, `${writes.get(key)}→${conv.fromPayload<{ applied: boolean }>(done.result!.payloads![0]!).applied ? '✓' : '✗'}`);
    }
    return `workflow ${d.status.name}, history ${d.historyLength} events${view}, pending activities [${pending.join(', ')}]; its read-model writes since attendance (✓ = store reported applied): ${[...writes.values()].join(', ')}`;
  } catch (err) {
    return `workflow not described: ${(err as Error).message}`;
  }
}

// ---------- the no-op baseline ----------
async function startNoops(stack: Stack, runId: string, tag: string, count: number): Promise<WorkflowHandle[]> {
  const handles = await inBatches(Array.from({ length: count }, (_, k) => k), 50, (k) =>
    stack.client.workflow.start(benchNoopWorkflow, { taskQueue: stack.config.TEMPORAL_TASK_QUEUE, workflowId: `bench-noop-${runId}-${tag}-${k}` }),
  );
  // Each has run its first workflow task (handler registered, waiting), so the update measures the update alone.
  await waitUntil(
    `${count} no-op workflows started`,
    async () => (await inBatches(handles, 50, async (h) => Number((await h.describe()).historyLength) >= 4)).every(Boolean),
    60_000,
  );
  return handles;
}

const noopOps = (handles: WorkflowHandle[]) =>
  handles.map((h, k) => async () => {
    const out = await h.executeUpdate(benchNoopUpdate, { args: [k] });
    return out === k ? { ok: true } : { ok: false, detail: `returned ${out}, expected ${k}` };
  });

// ---------- output ----------
function table(rows: Figures[]): string {
  const head = ['', 'count', 'failed', 'wall ms', 'ops/s', 'p50 ms', 'p99 ms', 'max ms'];
  const body = rows.map((r) => [r.label, String(r.count), String(r.failed), fmt(r.wallMs), fmt(r.opsPerSec), fmt(r.p50, 2), fmt(r.p99, 2), fmt(r.max, 2)]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  return [line(head), `|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`, ...body.map(line)].join('\n');
}

function printFailures(label: string, samples: Timed[]) {
  const failed = samples.filter((s) => !s.ok);
  if (!failed.length) return;
  console.log(`${label}: ${failed.length} failed; first: ${failed.slice(0, 3).map((f) => f.detail).join(' || ')}`);
}

// ---------- main ----------
const children: { name: string; child: ChildProcess }[] = [];
let stack: Stack | undefined;
const noopHandles: WorkflowHandle[] = [];
let cleaning: Promise<void> | undefined;

function cleanup(): Promise<void> {
  return (cleaning ??= (async () => {
    const s = stack;
    if (s && noopHandles.length) {
      await inBatches(noopHandles, 50, (h) => h.terminate('benchmark finished').catch(() => undefined)).catch(() => undefined);
    }
    if (s) {
      await Promise.race([s.stop().catch((err) => console.error('stack.stop failed:', err)), new Promise((r) => setTimeout(r, 30_000))]);
    }
    for (const { child: c } of children) {
      if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
      // FerretDB's SQLite files live in a fresh temporary directory: remove it.
      const dir = c.spawnargs[c.spawnargs.indexOf('-sqlite-dir') + 1];
      if (c.spawnargs.includes('-sqlite-dir') && dir?.startsWith(tmpdir())) {
        await new Promise((r) => c.exitCode !== null || c.signalCode !== null ? r(null) : c.once('exit', r));
        rmSync(dir, { recursive: true, force: true });
      }
    }
  })());
}

async function main(): Promise<number> {
  const runId = randomBytes(3).toString('hex');
  const cpu = cpus();
  console.log(`KHCN Flow vote benchmark: ${N} councils × ${MEMBERS} members = ${N * MEMBERS} votes`);
  console.log(`machine: ${cpu.length} CPUs (${cpu[0]?.model ?? '?'}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB, ${platform()} ${release()}, node ${process.version}`);
  console.log('all in one process: load generator, API, Temporal client and worker; Temporal dev server (in-memory) and FerretDB (SQLite) as child processes');

  const tServices = performance.now();
  const [mongo, temporal] = await Promise.all([
    process.env.MONGODB_URI ? undefined : startFerretdb(),
    process.env.TEMPORAL_TEST_ADDRESS ? undefined : startTemporalDevServer(),
  ]);
  if (mongo) {
    children.push({ name: 'FerretDB', child: mongo.child });
    process.env.MONGODB_URI = mongo.uri;
  }
  if (temporal) {
    children.push({ name: 'Temporal dev server', child: temporal.child });
    process.env.TEMPORAL_TEST_ADDRESS = temporal.address;
  }
  stack = await startStack();
  log(`services and stack up in ${fmt(performance.now() - tServices, 0)} ms (Temporal ${process.env.TEMPORAL_TEST_ADDRESS}, task queue ${stack.config.TEMPORAL_TASK_QUEUE})`);

  // Set-up, not measured: 1 warm-up council + N measured ones.
  const tSetup = performance.now();
  const all = await inBatches(Array.from({ length: N + 1 }, (_, i) => i), 10, (i) => formCouncil(stack!, runId, i));
  const [warmCouncil, ...councils] = all as [BenchCouncil, ...BenchCouncil[]];
  // A deadline under 24 h away sends the "not voted yet" reminders right after attendance: let them go out first.
  await stack.smtp.waitFor(() => all.every((c) => c.members.every((m) => stack!.smtp.to(m.caller.email).length >= 2)), 120_000);
  await quiesce(stack, all.flatMap((c) => [c.councilId, `task-${c.taskId}`]), 'councils idle before voting');
  log(`set up ${all.length} councils (formed, declared, attendance, VOTING; invitations and reminders sent) in ${fmt(performance.now() - tSetup, 0)} ms`);

  // Warm-up, not counted: one council's votes, then nine no-op updates.
  const warmVotes = await burst(voteOps(stack, [warmCouncil]));
  printFailures('warm-up votes', warmVotes.samples);
  const warmProblems = await verify(stack, [warmCouncil]);
  const warmNoops = await startNoops(stack, runId, 'warm', MEMBERS);
  noopHandles.push(...warmNoops);
  const warmNoop = await burst(noopOps(warmNoops));
  printFailures('warm-up no-op', warmNoop.samples);
  await quiesce(stack, [warmCouncil.councilId, `task-${warmCouncil.taskId}`], 'warm-up council finished').catch(() => undefined);
  log(`warm-up: ${MEMBERS} votes in ${fmt(warmVotes.wallMs, 0)} ms, ${MEMBERS} no-op updates in ${fmt(warmNoop.wallMs, 0)} ms${warmProblems.length ? `; warm-up council: ${warmProblems.join('; ')}` : ''}`);

  // Measured: every member of every council votes at once.
  log(`burst: ${councils.length * MEMBERS} votes at once through POST /api/v1/councils/{id}/votes`);
  const votes = await burst(voteOps(stack, councils));
  const voteFig = figures('API vote (update via HTTP)', votes.samples, votes.wallMs);
  printFailures('votes', votes.samples);

  // Correctness (not timed).
  const tVerify = performance.now();
  const problems = await verify(stack, councils);
  if (problems.length) {
    console.log(`CHECK FAILED: ${problems.length} of ${councils.length} councils' read models not DECIDED with yes + no = ${MEMBERS}:`);
    for (const p of problems.slice(0, 5)) console.log(`  ${p}`);
    if (problems.length > 5) console.log(`  … and ${problems.length - 5} more`);
  } else {
    console.log(`CHECK OK: all ${councils.length} councils' read models DECIDED with yes + no = ${MEMBERS} (${EXPECTED_YES} yes, ${MEMBERS - EXPECTED_YES} no each), reached ${fmt(performance.now() - tVerify, 0)} ms after the burst ended`);
  }
  // The decided sittings' trailing work (result emails, stored tally, signal to the task, its documents) must not overlap the baseline.
  await quiesce(stack, councils.flatMap((c) => [c.councilId, `task-${c.taskId}`]), 'councils and tasks idle after voting');
  const sittingProblems = await verifySittings(stack, councils);
  if (sittingProblems.length) {
    console.log(`SITTINGS FAILED: ${sittingProblems.length} of ${councils.length} sitting workflows did not return yes ${EXPECTED_YES}, no ${MEMBERS - EXPECTED_YES}:`);
    for (const p of sittingProblems.slice(0, 20)) console.log(`  ${p}`);
  } else {
    console.log(`sittings: all ${councils.length} council workflows completed with yes ${EXPECTED_YES}, no ${MEMBERS - EXPECTED_YES} (their own result, whatever the read model says)`);
  }

  // Baseline: the same number of no-op updates, at once, through the Temporal client.
  const handles = await startNoops(stack, runId, 'run', councils.length * MEMBERS);
  noopHandles.push(...handles);
  log(`burst: ${handles.length} no-op updates at once through the Temporal client (executeUpdate)`);
  const noops = await burst(noopOps(handles));
  const noopFig = figures('no-op Temporal update', noops.samples, noops.wallMs);
  printFailures('no-op', noops.samples);

  console.log('');
  console.log(table([voteFig, noopFig]));
  console.log('');
  console.log(cpuLine('the vote burst', votes));
  console.log(cpuLine('the no-op burst', noops));
  console.log(`vote p50 / no-op p50        = ${fmt(voteFig.p50 / noopFig.p50, 2)}×`);
  console.log(`vote p99 / no-op p99        = ${fmt(voteFig.p99 / noopFig.p99, 2)}×`);
  console.log(`no-op ops/s ÷ vote ops/s    = ${fmt(noopFig.opsPerSec / voteFig.opsPerSec, 2)}×`);
  console.log(`(p99 is nearest-rank: with ${voteFig.count} samples it is sample no. ${Math.ceil(0.99 * voteFig.count)} in ascending order; ops/s counts successful operations only)`);

  const failed = voteFig.failed + noopFig.failed;
  return problems.length || sittingProblems.length || failed ? 1 : 0;
}

runBenchmark(main, cleanup, TIMEOUT_S);
