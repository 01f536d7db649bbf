/**
 * The whole system for one test file, in-process, against the real services:
 * the shared Temporal dev server and FerretDB (own task queue and own database
 * per file), a real SMTP catcher, the real worker and the real API on a free port.
 */
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Server } from 'node:http';
import type { Writable } from 'node:stream';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime, type Worker } from '@temporalio/worker';
import pino from 'pino';
import { loadConfig, type Config } from '../../activities/config';
import { connectStore, type Store } from '../../activities/store';
import { createMailTransport } from '../../activities/mail/transport';
import { createApp, LOG_REDACT_PATHS } from '../../api/app';
import { issueToken, type Caller } from '../../api/auth';
import { DEV_PASSWORD, DEV_USERS, upsertUser } from '../../scripts/dev-users';
import { createWorker } from '../../worker/create-worker';
import { startHeartbeat, type Heartbeat } from '../../activities/worker-heartbeat';
import { codecFromConfig, dataConverterOf, generateCodecKeys, type EncryptionCodec } from '../../activities/payload-codec';
import { mongoUriFor } from './services';
import { startSmtpCatcher, type SmtpCatcher } from './smtp-catcher';
import { ensureDevelopmentCertificates } from '../../activities/documents/dev-certificates';
import { signingServiceFromConfig } from '../../activities/documents/signing';

/**
 * Issue 12: the stack's own development CA and certificates (the Department's and each signer's),
 * made once per jest worker process in the system's temporary folder and shared by its stacks.
 */
export function signingEnv(_id: string, signers: { userId: string; name: string; email?: string }[]): Record<string, string> {
  const dir = join(tmpdir(), `khcn-flow-test-signing-${process.pid}`);
  const files = ensureDevelopmentCertificates(dir, { departmentName: 'Sở Khoa học và Công nghệ tỉnh Tây Ninh', signers });
  return { SIGNING_P12_PATH: files.organisationP12, SIGNING_P12_PASSPHRASE: files.passphrase, SIGNING_SIGNERS_DIR: files.signersDir };
}

// Worker and SDK chatter stays out of the test output; errors still show.
try {
  // The core's own logs too: the time-skipping server does not advertise a capability the
  // core warns about on every worker start, which drowned the test output.
  Runtime.install({ logger: new DefaultLogger('ERROR'), telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' } } } });
} catch {
  /* already installed in this file */
}

let bundle: Promise<{ code: string }> | undefined;
/** Bundled once per test file (about 2 s). */
export const workflowBundle = () => (bundle ??= bundleWorkflowCode({ workflowsPath: require.resolve('../../workflows'), logger: quietLogger }));
const quietLogger = { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} } as never;

export const TEST_SECRET = 'test-secret-for-jwt-signing-only-0123456789';

export type Who = 'researcher' | 'otherResearcher' | 'manager' | 'councilMember' | 'admin' | 'director' | 'deputy' | 'clerk';

export interface Stack {
  config: Config;
  store: Store;
  /** The API's client: its codec seals ballots and cannot open them (issue 15). */
  client: Client;
  /** The worker's codec (opens ballots), for tests that look inside payloads. */
  workerCodec: EncryptionCodec | undefined;
  smtp: SmtpCatcher;
  baseUrl: string;
  users: Record<Who, Caller>;
  token(who: Who): Promise<string>;
  /** A token for any caller (e.g. council members m1…m9); the user is put in the store first. */
  tokenFor(user: Caller): Promise<string>;
  /** The password of the seeded users (the development password). */
  password: string;
  /** fetch against the API with the caller's token (or none). */
  call(method: string, path: string, opts?: { as?: Who | Caller | null; body?: unknown; rawBody?: string | Uint8Array; headers?: Record<string, string> }): Promise<Response>;
  env(): NodeJS.ProcessEnv;
  /**
   * Another API process on the same store and Temporal, with configuration
   * overrides (e.g. low rate limits, CORS origins) and its own log stream.
   */
  extraApi(overrides: Partial<Config>, logStream?: Writable): Promise<{ baseUrl: string; close(): Promise<void> }>;
  startWorker(): Promise<void>;
  stopWorker(): Promise<void>;
  stop(): Promise<void>;
}

export interface StackOptions {
  inProcessWorker?: boolean;
  /** Extra environment for the configuration (e.g. low rate limits). */
  env?: Record<string, string>;
  /** Where the API's log lines go (JSON lines, level info); silent when absent. */
  logStream?: Writable;
  /** A Temporal server of the test's own (a drill that kills it); the suite's shared dev server otherwise. */
  temporalAddress?: string;
}

export async function startStack(opts: StackOptions = {}): Promise<Stack> {
  const id = randomBytes(4).toString('hex');
  const smtp = await startSmtpCatcher();
  const address = opts.temporalAddress ?? process.env.TEMPORAL_TEST_ADDRESS;
  if (!address) throw new Error('TEMPORAL_TEST_ADDRESS is not set (global-setup starts the dev server)');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    TEMPORAL_ADDRESS: address,
    TEMPORAL_TASK_QUEUE: `test-${id}`,
    MONGODB_URI: mongoUriFor(`khcn_test_${id}`),
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(smtp.port),
    AUTH_JWT_SECRET: TEST_SECRET,
    API_BODY_LIMIT: '64kb',
    // Fast hashing in tests (production refuses a cost under 10).
    AUTH_BCRYPT_COST: '4',
    // Scenario tests fire many requests as one user; the rate-limit test sets its own.
    RATE_LIMIT_MAX: '100000',
    // Issue 15: payloads encrypted in Temporal, with keys of this file's own (the API seals ballots, the worker opens them).
    ...generateCodecKeys('test-1', 'ballot-test-1'),
    // Issue 12: tasks start under 2026.1 (documents issued at once, as the tests written before it
    // expect); the tests of draft → signature → number → issue ask for 2026.2.
    RULESET_VERSION: '2026.1',
    // Development certificates of this stack's own (DEVELOPMENT ONLY): issued documents are signed.
    ...signingEnv(id, DEV_USERS('skhcn-tay-ninh').filter((u) => u.role === 'manager' && u.position && u.position !== 'clerk')),
    ...(opts.env ?? {}),
  };
  const config = loadConfig(env);
  const store = await connectStore(config.MONGODB_URI);
  const connection = await Connection.connect({ address });
  const codec = codecFromConfig(config, { opensBallots: false });
  const workerCodec = codecFromConfig(config, { opensBallots: true });
  const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE, ...dataConverterOf(codec) });
  const mailer = createMailTransport(config);
  const logger = opts.logStream ? pino({ level: 'info', redact: { paths: LOG_REDACT_PATHS, censor: '[redacted]' } }, opts.logStream) : pino({ level: 'silent' });
  const app = createApp({ config, store, temporal: client, mailer, logger, ...(codec ? { codec } : {}) });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const baseUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const [researcher, otherResearcher, manager, councilMember, admin, director, deputy, clerk] = DEV_USERS(config.DEPARTMENT_ID) as [Caller, Caller, Caller, Caller, Caller, Caller, Caller, Caller];
  const users = { researcher, otherResearcher, manager, councilMember, admin, director, deputy, clerk };
  const settings = { secret: TEST_SECRET, issuer: config.AUTH_JWT_ISSUER, audience: config.AUTH_JWT_AUDIENCE };
  // Every token the tests use belongs to a user in the store, as in production.
  for (const u of Object.values(users)) await upsertUser(store, u, { password: DEV_PASSWORD, cost: config.AUTH_BCRYPT_COST });
  const seeded = new Set(Object.values(users).map((u) => JSON.stringify(u)));

  let worker: { nc: NativeConnection; w: Worker; run: Promise<void>; heartbeat: Heartbeat } | undefined;
  const stack: Stack = {
    config,
    store,
    client,
    workerCodec,
    smtp,
    baseUrl,
    users,
    password: DEV_PASSWORD,
    token: (who) => issueToken(settings, users[who]),
    async tokenFor(user) {
      const k = JSON.stringify(user);
      if (!seeded.has(k)) {
        await upsertUser(store, user);
        seeded.add(k);
      }
      return issueToken(settings, user);
    },
    async call(method, path, o = {}) {
      const headers: Record<string, string> = { ...(o.headers ?? {}) };
      if (o.as !== null) headers.authorization = `Bearer ${typeof o.as === 'object' ? await stack.tokenFor(o.as) : await stack.token(o.as ?? 'researcher')}`;
      let body: string | Uint8Array | undefined = o.rawBody;
      if (o.body !== undefined) {
        body = JSON.stringify(o.body);
        headers['content-type'] ??= 'application/json';
      }
      const send = () => fetch(`${baseUrl}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
      try {
        return await send();
      } catch (err) {
        // A keep-alive connection the server closed after idling (5 s) just as a read was sent on it
        // (seen under load, on the first request after a long wait): a read is sent again, once.
        const code = (err as { cause?: { code?: string } }).cause?.code;
        if (!(method === 'GET' || method === 'HEAD') || !(code === 'ECONNRESET' || code === 'UND_ERR_SOCKET')) throw err;
        return send();
      }
    },
    env: () => ({ ...env }),
    async extraApi(overrides, logStream) {
      const log = logStream ? pino({ level: 'info', redact: { paths: LOG_REDACT_PATHS, censor: '[redacted]' } }, logStream) : pino({ level: 'silent' });
      const extra = createApp({ config: { ...config, ...overrides }, store, temporal: client, mailer, logger: log, ...(codec ? { codec } : {}) });
      const srv: Server = await new Promise((resolve) => {
        const s = extra.listen(0, '127.0.0.1', () => resolve(s));
      });
      return {
        baseUrl: `http://127.0.0.1:${(srv.address() as { port: number }).port}`,
        close: () => new Promise<void>((r) => srv.close(() => r())),
      };
    },
    async startWorker() {
      const nc = await NativeConnection.connect({ address });
      const signing = signingServiceFromConfig(config);
      const w = await createWorker({
        ...(signing ? { signing } : {}),
        connection: nc,
        namespace: config.TEMPORAL_NAMESPACE,
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        store,
        mailer,
        mailFrom: config.MAIL_FROM,
        temporal: client,
        config,
        workflowBundle: await workflowBundle(),
        ...(workerCodec ? { codec: workerCodec } : {}),
      });
      const heartbeat = await startHeartbeat(store, config.TEMPORAL_TASK_QUEUE);
      worker = { nc, w, run: w.run(), heartbeat };
    },
    async stopWorker() {
      if (!worker) return;
      worker.w.shutdown();
      await worker.run;
      await worker.heartbeat.stop();
      await worker.nc.close();
      worker = undefined;
    },
    async stop() {
      await stack.stopWorker();
      await new Promise((r) => server.close(r));
      await connection.close();
      await store.connection.dropDatabase().catch(() => undefined);
      await store.close();
      mailer.close();
      await smtp.close();
    },
  };
  if (opts.inProcessWorker !== false) await stack.startWorker();
  return stack;
}

/** A proposal full of Vietnamese letters, as a researcher would file it. */
export function sampleProposal(overrides: Record<string, unknown> = {}) {
  return {
    title: 'Nghiên cứu ứng dụng công nghệ sinh học trong sản xuất giống lúa chịu mặn ở Tây Ninh',
    urgency: 'Xâm nhập mặn ngày càng nghiêm trọng ở vùng hạ lưu sông Vàm Cỏ; cần giống lúa thích ứng.',
    objectives: 'Chọn tạo 02 giống lúa chịu mặn 4‰, năng suất ≥ 6 tấn/ha; xây dựng quy trình canh tác.',
    expectedProducts: ['02 giống lúa chịu mặn được công nhận', 'Quy trình kỹ thuật canh tác', 'Bài báo khoa học (≥ 2)'],
    resultUsage: 'Chuyển giao cho Trung tâm Khuyến nông và các hợp tác xã ở huyện Bến Lức, Cần Đước.',
    durationMonths: 24,
    budget: { stateBudget: 1_500_000_000, otherSources: 250_000_000 },
    level: 'provincial',
    form: 'research_topic',
    proposer: { name: 'Nguyễn Thị Hương', organisation: 'Viện Sinh học Nhiệt đới', email: 'huong.nt@vien-sinh-hoc.example.vn', phone: '+84 912 345 678' },
    ...overrides,
  };
}
