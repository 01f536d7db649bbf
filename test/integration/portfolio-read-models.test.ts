/**
 * Portfolio read models (§8) on the real store (FerretDB here, MongoDB when
 * MONGODB_URI points at one): the task document, its portfolio summary and one
 * document per obligation, each guarded by the task version, so repeated, late and
 * out-of-order writes always leave the newest state; and every dashboard query
 * is served by an index declared in the schemas.
 */
import { randomBytes } from 'node:crypto';
import { connectStore, type Store } from '../../activities/store';
import { obligationDocs, portfolioTaskDoc, taskPortfolioFields } from '../../activities/portfolio/projection';
import { QUERY_INDEXES } from '../../activities/portfolio/queries';
import type { TaskState } from '../../workflows/definitions';
import { mongoUriFor } from '../support/services';
import { portfolioState } from '../support/portfolio-fixtures';

let store: Store;
beforeAll(async () => {
  store = await connectStore(mongoUriFor(`khcn_test_rm_${randomBytes(4).toString('hex')}`));
});
afterAll(async () => {
  await store?.connection.dropDatabase().catch(() => undefined);
  await store?.close();
});

const HOST = { orgId: 'org-vien-sinh-hoc', orgName: 'Viện Sinh học Nhiệt đới', pi: { name: 'Nguyễn Thị Hương', email: 'huong.nt@vien-sinh-hoc.example.vn' } };
const OFFICER = { userId: 'u-manager-1', name: 'Trần Đức Thắng', email: 'thang.td@skhcn.example.vn' };

/** Version n of one task: report n-1 filed, a new report opened each version; stage moves on at v4. */
function version(taskId: string, n: number): TaskState {
  const reports = Array.from({ length: n }, (_, i) => ({ id: `progress_report-${i + 1}`, kind: 'progress_report', dueOn: `2026-${String(i + 1).padStart(2, '0')}-15`, status: i < n - 1 ? ('DONE' as const) : ('OPEN' as const) }));
  return portfolioState({
    taskId, level: 'provincial', form: 'research_topic', stage: n >= 4 ? 'SELF_EVALUATION' : 'IN_PROGRESS', version: n, host: HOST, officer: OFFICER,
    contract: { startOn: '2025-07-15', endOn: '2027-07-14' },
    obligations: [...reports, { kind: 'acceptance_dossier', dueOn: '2027-08-13' }],
  });
}

async function stored(taskId: string) {
  const task = await store.Task.findById(taskId).lean();
  const summary = await store.PortfolioTask.findById(taskId).lean();
  const obligations = await store.Obligation.find({ taskId }).sort({ _id: 1 }).lean();
  return { task, summary: summary && (({ updatedAt: _u, ...rest }) => rest)(summary), obligations: obligations.map(({ updatedAt: _u, ...o }) => o) };
}
const expectedSummary = (s: TaskState) => JSON.parse(JSON.stringify(new store.PortfolioTask(portfolioTaskDoc(s)).toObject()));

const expectedObligations = (s: TaskState) => obligationDocs(s).sort((a, b) => a._id.localeCompare(b._id));

test('§8 read models: repeated and late writes never move the task or its obligations backwards', async () => {
  const id = 'NV-PFREADMODEL00001';
  expect(await store.upsertTask(version(id, 1))).toBe(true);
  expect(await store.upsertTask(version(id, 3))).toBe(true);
  expect(await store.upsertTask(version(id, 2))).toBe(false); // late
  expect(await store.upsertTask(version(id, 3))).toBe(false); // repeated
  const { task, summary, obligations } = await stored(id);
  expect(task).toMatchObject({ version: 3, stage: 'IN_PROGRESS', ...taskPortfolioFields(version(id, 3)) });
  expect(JSON.parse(JSON.stringify(summary))).toEqual(expectedSummary(version(id, 3)));
  expect(obligations).toEqual(expectedObligations(version(id, 3)));
  expect(obligations.map((o) => [o.obligationId, o.status, o.taskVersion])).toEqual([
    ['acceptance_dossier-1', 'OPEN', 3],
    ['progress_report-1', 'DONE', 3],
    ['progress_report-2', 'DONE', 3],
    ['progress_report-3', 'OPEN', 3],
  ]);
  // The denormalised task fields travel with every obligation document.
  expect(new Set(obligations.map((o) => `${o.stage}|${o.personName}|${o.unitName}|${o.accountableName}|${o.track}`))).toEqual(
    new Set(['IN_PROGRESS|Nguyễn Thị Hương|Viện Sinh học Nhiệt đới|Trần Đức Thắng|open', 'IN_PROGRESS|Nguyễn Thị Hương|Viện Sinh học Nhiệt đới|Trần Đức Thắng|closed']),
  );
});

test('§8 read models: writes arriving in any order, several at once, end at the newest version (obligations included)', async () => {
  const id = 'NV-PFREADMODEL00002';
  const versions = [7, 2, 9, 4, 1, 8, 3, 6, 5];
  // Two rounds: all at once, then again one by one in a shuffled order, each write repeated.
  await Promise.all(versions.map((v) => store.upsertTask(version(id, v))));
  for (const v of [...versions].reverse()) {
    await store.upsertTask(version(id, v));
    await store.upsertTask(version(id, v));
  }
  const { task, summary, obligations } = await stored(id);
  expect(task?.version).toBe(9);
  expect(task?.stage).toBe('SELF_EVALUATION');
  expect(summary).toMatchObject({ taskVersion: 9, stage: 'SELF_EVALUATION' });
  expect(obligations).toEqual(expectedObligations(version(id, 9)));
  expect(obligations.every((o) => o.taskVersion === 9)).toBe(true);
  expect(obligations).toHaveLength(10);
});

test('§8 read models: a crash between the obligations and the task write is completed by the retried activity', async () => {
  const id = 'NV-PFREADMODEL00003';
  await store.upsertTask(version(id, 1));
  // The retry finds the obligations already at v2 (the crash came after them) and completes the task document.
  await store.writeObligations(version(id, 2));
  expect((await stored(id)).task?.version).toBe(1);
  expect(await store.upsertTask(version(id, 2))).toBe(true);
  // …and the other way round: the task at v3 already, its obligations not yet.
  await store.Task.replaceOne({ _id: id }, { ...store.taskDocOf(version(id, 3)), updatedAt: new Date() });
  expect(await store.upsertTask(version(id, 3))).toBe(false);
  const { task, summary, obligations } = await stored(id);
  expect(task?.version).toBe(3);
  expect(summary?.taskVersion).toBe(3);
  expect(obligations).toEqual(expectedObligations(version(id, 3)));
});

test('§8 read models: an obligation no longer in the state is dropped by a newer write only', async () => {
  const id = 'NV-PFREADMODEL00004';
  await store.upsertTask(version(id, 2));
  await store.Obligation.create({ ...obligationDocs(version(id, 2))[0]!, _id: `${id}/stray-1`, obligationId: 'stray-1', taskVersion: 1, updatedAt: new Date() });
  await store.Obligation.create({ ...obligationDocs(version(id, 2))[0]!, _id: `${id}/stray-2`, obligationId: 'stray-2', taskVersion: 9, updatedAt: new Date() });
  await store.upsertTask(version(id, 3));
  const ids = (await stored(id)).obligations.map((o) => o.obligationId);
  expect(ids).not.toContain('stray-1');
  expect(ids).toContain('stray-2'); // written by a newer version than ours: not ours to drop
});

test('every dashboard query has its index, on this server too (FerretDB creates them; MongoDB also plans with them)', async () => {
  const build = await store.connection.db!.admin().command({ buildInfo: 1 });
  const ferret = 'ferretdbVersion' in build;
  for (const [query, spec] of Object.entries(QUERY_INDEXES)) {
    const indexes = await store.connection.db!.collection(spec.collection).indexes();
    const found = indexes.find((i) => JSON.stringify(i.key) === JSON.stringify(spec.key));
    expect({ query, found: Boolean(found) }).toEqual({ query, found: true });
    // The fields the query filters on lead the index, in order.
    expect(Object.keys(spec.key).slice(0, spec.fields.length)).toEqual([...spec.fields]);
    if (!ferret) {
      const filter = Object.fromEntries(spec.fields.map((f) => [f, f === 'dueOn' || f === 'endOn' || f === 'stoppedOn' ? { $gte: '2026-01-01' } : 'x']));
      const plan = JSON.stringify(await store.connection.db!.collection(spec.collection).find(filter).explain());
      expect(plan).toContain('IXSCAN');
    }
  }
});

test('§8 read models: a task written before the portfolio read models existed gets its summary and obligations at API start, once', async () => {
  const s = version(`NV-BACKFILL${randomBytes(4).toString('hex').toUpperCase()}`, 2);
  // As the read-model activity wrote it before: the task document alone, without its portfolio fields.
  await store.Task.collection.insertOne({ ...JSON.parse(JSON.stringify(s)), _id: s.taskId, title: s.proposal.title, level: s.proposal.level, form: s.proposal.form } as never);
  expect(await store.PortfolioTask.findById(s.taskId).lean()).toBeNull();
  expect(await store.backfillPortfolio()).toBeGreaterThanOrEqual(1);
  const after = await stored(s.taskId);
  expect(JSON.parse(JSON.stringify(after.summary))).toEqual(expectedSummary(s));
  expect(after.obligations).toEqual(expectedObligations(s));
  expect(after.task).toMatchObject({ version: 2, endOn: taskPortfolioFields(s).endOn });
  // Once: nothing is left to fill.
  expect(await store.backfillPortfolio()).toBe(0);
});
