/**
 * Portfolio dashboard benchmark (issue 7): a portfolio of N tasks (10,000 by
 * default) across every stage is generated straight into the read models of a
 * fresh database (FerretDB started as bench/votes.ts starts it, or MONGODB_URI),
 * then every dashboard query of §8 runs many times, each run followed by a plain
 * indexed `find` by _id on the same collection as the baseline measured in the
 * same conditions; p50/p99 of both and their ratio are printed.
 *
 *   npm run bench:portfolio -- [--tasks 10000] [--runs 30] [--timeout 2400]
 *
 * Loading is timed but not part of the figures. Nothing here asserts on timing.
 */
import { cpus, platform, release, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import type { ChildProcess } from 'node:child_process';
import { connectStore, type Store } from '../activities/store';
import { obligationDocs, portfolioTaskDoc } from '../activities/portfolio/projection';
import { createPortfolioQueries, QUERY_INDEXES } from '../activities/portfolio/queries';
import { buildSixMonthReport, renderSixMonthReportPdf, renderSixMonthReportXlsx } from '../activities/portfolio/report';
import { TASK_FORMS, TaskStage, type TaskLevel, type TaskState } from '../workflows/definitions';
import { addDays, vnDateOf } from '../workflows/rules/calendar';
import { startFerretdb } from '../test/support/services';
import { portfolioState, type ObligationSpec, type PortfolioTaskSpec } from '../test/support/portfolio-fixtures';
import { runBenchmark } from './run';

const { values: argv } = parseArgs({
  options: { tasks: { type: 'string', default: '10000' }, runs: { type: 'string', default: '30' }, timeout: { type: 'string', default: '2400' } },
  strict: true,
  allowPositionals: false,
});
const N = Number(argv.tasks);
const RUNS = Number(argv.runs);
const TIMEOUT_S = Number(argv.timeout);
if (!Number.isSafeInteger(N) || N < 10 || N > 200_000) throw new Error(`--tasks must be an integer 10…200000: ${argv.tasks}`);
if (!Number.isSafeInteger(RUNS) || RUNS < 5 || RUNS > 10_000) throw new Error(`--runs must be an integer 5…10000: ${argv.runs}`);

const DEPT = 'skhcn-tay-ninh';
const OTHER = 'skhcn-long-an';
const STAGES = Object.values(TaskStage);
const EXECUTING = new Set<string>(['CONTRACTED', 'IN_PROGRESS', 'UNDER_INSPECTION', 'ADJUSTMENT_PENDING', 'SUSPENDED', 'TERMINATION_PENDING', 'SELF_EVALUATION']);
const STOPPED = new Set<string>(['TERMINATED', 'ACCEPTANCE_FAILED', 'CANCELLED_BEFORE_CONTRACT', 'PROPOSAL_REJECTED', 'WITHDRAWN']);
const AFTER_CONTRACT = new Set<string>([...EXECUTING, 'ACCEPTANCE_SUBMITTED', 'ACCEPTANCE_REVIEW', 'ACCEPTED_EXCELLENT', 'ACCEPTED_PASS', 'RESULT_RECOGNIZED', 'RESULT_REGISTERED', 'FINANCIAL_SETTLEMENT', 'LIQUIDATED', 'ARCHIVED', 'TERMINATED', 'ACCEPTANCE_FAILED']);
const OFFICERS = Array.from({ length: 12 }, (_, k) => ({ userId: `u-officer-${k}`, name: `Cán bộ theo dõi số ${k + 1}`, email: `officer${k}@skhcn.example.vn` }));

/** Deterministic pseudo-random numbers (mulberry32), so every run generates the same portfolio. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function generate(n: number, today: string): TaskState[] {
  const rand = rng(20261201);
  const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const level = (): TaskLevel => {
    const r = rand();
    return r < 0.01 ? 'national' : r < 0.05 ? 'ministerial' : r < 0.75 ? 'provincial' : 'grassroots';
  };
  const states: TaskState[] = [];
  for (let i = 0; i < n; i += 1) {
    const stage = STAGES[i % STAGES.length]!;
    const org = int(1, 200);
    const host = { orgId: `org-${org}`, orgName: `Tổ chức chủ trì số ${org}`, pi: { name: `Chủ nhiệm ${i}`, email: `pi${i}@org${org}.example.vn` } };
    const approvedOn = `${int(2021, 2026)}-${String(int(1, 12)).padStart(2, '0')}-${String(int(1, 28)).padStart(2, '0')}`;
    const stateBudget = int(2, 40) * 50_000_000;
    const endOn = addDays(today, int(-200, 720));
    const obligations: ObligationSpec[] = [];
    const spec: PortfolioTaskSpec = {
      taskId: `NV-BENCH${String(i).padStart(10, '0')}`,
      code: `BM.${2021 + (i % 6)}.${String(i).padStart(5, '0')}`,
      departmentId: i % 10 === 9 ? OTHER : DEPT,
      title: `Nhiệm vụ đo hiệu năng số ${i}`,
      level: level(),
      form: pick(TASK_FORMS),
      stage,
      host,
      officer: pick(OFFICERS),
      version: int(3, 60),
      obligations,
    };
    if (AFTER_CONTRACT.has(stage) || stage === 'APPROVED') spec.approval = { approvedOn, stateBudget, otherSources: int(0, 4) * 50_000_000 };
    if (AFTER_CONTRACT.has(stage)) {
      spec.contract = { startOn: addDays(endOn, -int(360, 900)), endOn };
      const paid = Math.floor((stateBudget * int(3, 10)) / 10 / 1000) * 1000;
      spec.disbursements = [{ on: addDays(spec.contract.startOn, 15), amount: Math.floor(paid * 0.6) }, { on: addDays(spec.contract.startOn, 200), amount: paid - Math.floor(paid * 0.6) }];
    }
    if (EXECUTING.has(stage)) {
      for (let k = 1; k <= 4; k += 1) {
        const due = addDays(today, int(-300, 400));
        obligations.push({ id: `progress_report-${k}`, kind: 'progress_report', dueOn: due, status: due < today ? (rand() < 0.7 ? 'DONE' : 'OVERDUE') : 'OPEN' });
      }
      obligations.push({ kind: 'acceptance_dossier', dueOn: addDays(endOn, 30) });
      if (stage === 'SUSPENDED') {
        spec.suspended = true;
        obligations.push({ kind: 'suspension_remedy', dueOn: addDays(today, int(-10, 40)), pausable: false });
      }
      if (stage === 'ADJUSTMENT_PENDING') {
        spec.extension = 'pending';
        obligations.push({ kind: 'adjustment_decision', dueOn: addDays(today, int(-5, 15)), pausable: false });
      }
      if (stage === 'TERMINATION_PENDING') obligations.push({ kind: 'termination_observations', dueOn: addDays(today, int(-5, 30)), right: true, pausable: false });
    }
    if (stage === 'APPROVED') obligations.push({ kind: 'contract_signing', dueOn: addDays(today, int(-20, 30)) });
    if (stage === 'ACCEPTANCE_SUBMITTED') {
      spec.dossierFiledOn = addDays(today, -int(1, 10));
      obligations.push({ kind: 'acceptance_dossier', dueOn: addDays(endOn, 30), status: 'DONE' }, { kind: 'dossier_completeness', dueOn: addDays(today, int(-5, 5)), pausable: false });
    }
    if (stage === 'ACCEPTED_PASS' || stage === 'ACCEPTED_EXCELLENT') obligations.push({ kind: 'result_registration', dueOn: addDays(today, int(-10, 30)), pausable: false });
    if (STOPPED.has(stage)) {
      const on = addDays(today, -int(1, 700));
      spec.stop = { on, rule: stage === 'TERMINATED' ? 'T-2' : stage === 'ACCEPTANCE_FAILED' ? 'L-20' : stage === 'WITHDRAWN' ? 'L-1' : 'L-10', note: `Lý do dừng của nhiệm vụ ${i}` };
      if (stage === 'TERMINATED') spec.stop.termination = { initiatedBy: 'department', cause: rand() < 0.5 ? 'subjective' : 'objective', grounds: `Lý do dừng của nhiệm vụ ${i}` };
      if ((stage === 'TERMINATED' || stage === 'ACCEPTANCE_FAILED') && spec.disbursements) spec.refunds = [{ on: addDays(on, 20), amount: Math.floor(spec.disbursements[0]!.amount / 4) }];
    }
    states.push(portfolioState(spec));
  }
  return states;
}

// ---------- measuring ----------
function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length))) - 1]!;
}
const fmt = (n: number, d = 2) => (Number.isFinite(n) ? n.toFixed(d) : '—');
const log = (msg: string) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}`);

interface Row {
  label: string;
  collection: string;
  runs: number;
  size: string;
  p50: number;
  p99: number;
  b50: number;
  b99: number;
}

async function measure(label: string, collection: string, runs: number, op: () => Promise<unknown>, baseline: () => Promise<unknown>, size: (r: unknown) => string): Promise<Row> {
  for (let k = 0; k < Math.min(5, runs); k += 1) {
    await op();
    await baseline();
  }
  const q: number[] = [];
  const b: number[] = [];
  let last: unknown;
  for (let k = 0; k < runs; k += 1) {
    let t = performance.now();
    last = await op();
    q.push(performance.now() - t);
    t = performance.now();
    await baseline();
    b.push(performance.now() - t);
  }
  q.sort((x, y) => x - y);
  b.sort((x, y) => x - y);
  return { label, collection, runs, size: size(last), p50: percentile(q, 50), p99: percentile(q, 99), b50: percentile(b, 50), b99: percentile(b, 99) };
}

function table(rows: Row[]): string {
  const head = ['query', 'coll.', 'runs', 'result', 'p50 ms', 'p99 ms', 'base p50', 'base p99', 'p50 ×', 'p99 ×'];
  const body = rows.map((r) => [r.label, r.collection, String(r.runs), r.size, fmt(r.p50), fmt(r.p99), fmt(r.b50), fmt(r.b99), fmt(r.p50 / r.b50, 1), fmt(r.p99 / r.b99, 1)]);
  const w = head.map((h, i) => Math.max(h.length, ...body.map((x) => x[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => (i <= 1 || i === 3 ? c.padEnd(w[i]!) : c.padStart(w[i]!))).join(' | ')} |`;
  return [line(head), `|${w.map((x, i) => (i <= 1 || i === 3 ? '-'.repeat(x + 2) : `${'-'.repeat(x + 1)}:`)).join('|')}|`, ...body.map(line)].join('\n');
}

// ---------- main ----------
const children: ChildProcess[] = [];
let store: Store | undefined;
let dropOnExit = false;

async function main(): Promise<number> {
  const cpu = cpus();
  console.log(`KHCN Flow portfolio benchmark: ${N} tasks (90% one Department, 10% another), ${RUNS} runs per query`);
  console.log(`machine: ${cpu.length} CPUs (${cpu[0]?.model ?? '?'}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB, ${platform()} ${release()}, node ${process.version}`);
  let base = process.env.MONGODB_URI;
  if (!base) {
    const f = await startFerretdb();
    children.push(f.child);
    base = f.uri;
  } else dropOnExit = true;
  const u = new URL(base);
  u.pathname = `/khcn_bench_${randomBytes(3).toString('hex')}`;
  store = await connectStore(u.toString());
  const build = await store.connection.db!.admin().command({ buildInfo: 1 });
  const server = 'ferretdbVersion' in build ? `FerretDB (MongoDB ${build.version} wire), SQLite backend` : `MongoDB ${build.version}`;
  log(`store: ${server}, database ${u.pathname.slice(1)}`);

  const today = vnDateOf(new Date().toISOString());
  let t = performance.now();
  const states = generate(N, today);
  log(`generated ${states.length} task states in ${fmt(performance.now() - t, 0)} ms`);

  // Straight into the read models, as the writer projects them (insertMany: the guarded writer one task at a time would take far longer to load and is not what is measured).
  t = performance.now();
  let obligations = 0;
  const now = new Date();
  for (let k = 0; k < states.length; k += 500) {
    const batch = states.slice(k, k + 500);
    const obl = batch.flatMap((s) => obligationDocs(s)).map((o) => ({ ...o, updatedAt: now }));
    obligations += obl.length;
    await store.Task.insertMany(batch.map((s) => ({ ...store!.taskDocOf(s), updatedAt: now })), { ordered: true, lean: true });
    await store.PortfolioTask.insertMany(batch.map((s) => ({ ...portfolioTaskDoc(s), updatedAt: now })), { ordered: true, lean: true });
    if (obl.length) await store.Obligation.insertMany(obl, { ordered: true, lean: true });
  }
  const loadMs = performance.now() - t;
  const [tasksIn, summariesIn, oblIn] = await Promise.all([store.Task.estimatedDocumentCount(), store.PortfolioTask.estimatedDocumentCount(), store.Obligation.estimatedDocumentCount()]);
  log(`loaded ${tasksIn} task, ${summariesIn} portfolio summary and ${oblIn} obligation documents (${obligations} generated) in ${fmt(loadMs / 1000, 1)} s`);

  const q = createPortfolioQueries(store);
  const deptIds = states.filter((s) => s.departmentId === DEPT).map((s) => s.taskId);
  let probe = 0;
  const anyId = () => deptIds[(probe = (probe * 7919 + 1) % deptIds.length)]!;
  const taskBaseline = () => store!.PortfolioTask.find({ _id: anyId() }).lean();
  const obligationIds = (await store.Obligation.find({ departmentId: DEPT }).select({ _id: 1 }).limit(5000).lean()).map((o) => String(o._id));
  const oblBaseline = () => store!.Obligation.find({ _id: obligationIds[(probe = (probe * 7919 + 1) % obligationIds.length)]! }).lean();
  const from = addDays(today, -181);

  // What FerretDB pushes down to SQLite (its v1 SQLite backend pushes down little: see the report).
  const explain = async (coll: 'portfolio_tasks' | 'obligations', filter: Record<string, unknown>) => {
    const e = (await store!.connection.db!.collection(coll).find(filter).explain()) as Record<string, unknown>;
    return 'filterPushdown' in e ? `filterPushdown=${String(e.filterPushdown)}` : JSON.stringify(e.queryPlanner ?? {}).includes('IXSCAN') ? 'IXSCAN' : 'COLLSCAN';
  };
  log(`plans: find by _id ${await explain('portfolio_tasks', { _id: deptIds[0] })}; overdue filter ${await explain('obligations', { departmentId: DEPT, track: { $in: ['open', 'overdue'] }, dueOn: { $lt: today } })}; ending-soon filter ${await explain('portfolio_tasks', { departmentId: DEPT, endOn: { $gte: today, $lte: addDays(today, 60) } })}`);

  const expectedTotal = deptIds.length;
  const rows: Row[] = [];
  const count = (r: unknown) => String((r as { total?: number; length?: number }).total ?? (r as unknown[]).length);
  rows.push(await measure('counts by level/form/stage', 'portfolio_tasks', RUNS, () => q.counts(DEPT), taskBaseline, (r) => `${(r as { total: number }).total} tasks`));
  if ((await q.counts(DEPT)).total !== expectedTotal) throw new Error(`counts: ${(await q.counts(DEPT)).total} ≠ ${expectedTotal}`);
  rows.push(await measure('overdue obligations (limit 200)', 'obligations', RUNS, () => q.overdueObligations(DEPT, today, today, 200), oblBaseline, (r) => `${count(r)} overdue`));
  rows.push(await measure('due soon, 7 days (limit 200)', 'obligations', RUNS, () => q.dueSoonObligations(DEPT, today, 7, 200), oblBaseline, (r) => `${count(r)} due`));
  rows.push(await measure('ending soon, 60 days', 'portfolio_tasks', RUNS, () => q.endingSoon(DEPT, today, 60), taskBaseline, (r) => `${count(r)} tasks`));
  rows.push(await measure('overdue acceptance dossiers', 'obligations', RUNS, () => q.overdueAcceptanceDossiers(DEPT, today), oblBaseline, (r) => `${count(r)} dossiers`));
  rows.push(await measure('budget by year', 'portfolio_tasks', RUNS, () => q.budget(DEPT), taskBaseline, (r) => `${(r as { years: unknown[] }).years.length} years`));
  rows.push(await measure('stopped in the last 6 months', 'portfolio_tasks', RUNS, () => q.stoppedBetween(DEPT, from, today), taskBaseline, (r) => `${count(r)} tasks`));
  const reportRuns = Math.max(5, Math.floor(RUNS / 10));
  const opts = { departmentId: DEPT, departmentName: 'Sở Khoa học và Công nghệ tỉnh Tây Ninh', place: 'Tây Ninh', from, to: today, generatedAt: new Date().toISOString(), today };
  rows.push(await measure('six-month report: data', 'both', reportRuns, () => buildSixMonthReport(q, opts), taskBaseline, (r) => `${(r as { overdueTotal: number }).overdueTotal} overdue`));
  const data = await buildSixMonthReport(q, opts);
  rows.push(await measure('six-month report: PDF render', '—', reportRuns, () => renderSixMonthReportPdf(data), taskBaseline, (r) => `${Math.round((r as Buffer).length / 1024)} KiB`));
  rows.push(await measure('six-month report: XLSX render', '—', reportRuns, () => renderSixMonthReportXlsx(data), taskBaseline, (r) => `${Math.round((r as Buffer).length / 1024)} KiB`));

  console.log('');
  console.log(table(rows));
  console.log('');
  console.log('base = a plain find by _id on the same collection (portfolio_tasks or obligations), run right after each query run;');
  console.log('× = query ÷ baseline. p99 is nearest-rank. The report rows: data = 4 reads (3 portfolio_tasks, 1 obligations); renders are in-process, against the portfolio_tasks baseline.');
  console.log(`indexes declared per query: ${Object.entries(QUERY_INDEXES).map(([k, v]) => `${k} ${v.collection}(${Object.keys(v.key).join(',')})`).join('; ')}`);
  return 0;
}

async function cleanup(): Promise<void> {
  if (store) {
    if (dropOnExit) await store.connection.dropDatabase().catch(() => undefined);
    await store.close().catch(() => undefined);
  }
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
}

runBenchmark(main, cleanup, TIMEOUT_S);
