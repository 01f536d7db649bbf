/**
 * The lifecycle workflow on the time-skipping test server, with in-memory
 * activities standing in for the store, the documents and SMTP (the integration
 * tests run the real ones). Set RECORD_HISTORIES=1 to refresh the histories
 * under test/replay/histories that CI replays on every change.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import type { Activities, EmailRequest } from '../../activities';
import { temporal } from '@temporalio/proto';
import { ALL_SEARCH_ATTRIBUTES, getTaskStateQuery, startIdentificationReviewUpdate, taskWorkflowId, type TaskLifecycleInput, type TaskState } from '../../workflows/definitions';
import { taskLifecycleWorkflow } from '../../workflows/task-lifecycle';
import { toolPath } from '../support/services';
import { sampleProposal, workflowBundle } from '../support/stack'; // also quiets the SDK's logger
import { DEV_USERS } from '../../scripts/dev-users';

const TASK_QUEUE = 'lifecycle-test';
const T = temporal.api.enums.v1.IndexedValueType;
const INDEXED_TYPE: Record<string, temporal.api.enums.v1.IndexedValueType> = {
  KEYWORD: T.INDEXED_VALUE_TYPE_KEYWORD,
  DATETIME: T.INDEXED_VALUE_TYPE_DATETIME,
  BOOL: T.INDEXED_VALUE_TYPE_BOOL,
};
let env: TestWorkflowEnvironment;

beforeAll(async () => {
  env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: toolPath('TEMPORAL_TEST_SERVER_PATH') } },
  });
  // The test server, like a real cluster, refuses search attributes it does not know.
  await env.connection.operatorService.addSearchAttributes({
    namespace: env.namespace ?? 'default',
    searchAttributes: Object.fromEntries(ALL_SEARCH_ATTRIBUTES.map((k) => [k.name, INDEXED_TYPE[k.type]])),
  });
});
afterAll(async () => {
  await env?.teardown();
});

const [researcher, , manager] = DEV_USERS('skhcn-tay-ninh');

function input(taskId: string): TaskLifecycleInput {
  return {
    taskId,
    departmentId: 'skhcn-tay-ninh',
    departmentName: 'Sở Khoa học và Công nghệ tỉnh Tây Ninh',
    place: 'Tây Ninh',
    publicBaseUrl: 'http://127.0.0.1:3000',
    ruleSet: { regime: 'LEGACY_2013', provinceProfile: 'tay-ninh', version: '2026.1' },
    proposal: sampleProposal() as TaskLifecycleInput['proposal'],
    submittedBy: { userId: researcher!.userId, role: 'researcher', name: researcher!.name, email: researcher!.email, orgId: researcher!.orgId, locale: 'vi' },
    submittedAt: '2026-11-23T08:00:00.000Z',
  };
}

/** In-memory activities with the real ones' contracts; `failMail` makes SMTP refuse the first n sends. */
function fakeActivities(failMail = 0) {
  const written: TaskState[] = [];
  const sent: EmailRequest[] = [];
  let mailAttempts = 0;
  const activities: Activities = {
    async recordTask(state) {
      written.push(state);
      return { applied: true };
    },
    async recordDebarment() {},
    async recordCouncil() {
      return { applied: true };
    },
    async storeCouncilResult() {},
    async renderProposalForm(req) {
      return { documentId: 'doc-000000000000000000000001', kind: 'proposal_form', title: `Phiếu đề xuất ${req.taskId}`, stateHash: 'abc', createdAt: req.submittedAt };
    },
    async sendEmail(req) {
      mailAttempts += 1;
      if (mailAttempts <= failMail) throw new Error('421 Service temporarily unavailable');
      sent.push(req);
      return { messageId: `<${req.key}>`, duplicate: false };
    },
  };
  return { activities, written, sent, attempts: () => mailAttempts };
}

async function run<T>(name: string, activities: Activities, fn: () => Promise<T>): Promise<T> {
  const worker = await Worker.create({ connection: env.nativeConnection, taskQueue: `${TASK_QUEUE}-${name}`, workflowBundle: await workflowBundle(), activities });
  const result = await worker.runUntil(fn);
  if (process.env.RECORD_HISTORIES === '1') {
    const history = await env.client.workflow.getHandle(taskWorkflowId(name)).fetchHistory();
    const dir = join(__dirname, '..', 'replay', 'histories');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `${name}.json`), JSON.stringify(JSON.parse(historyToJSON(history)), null, 2));
  }
  return result;
}

test('L-1 → L-2: records, renders, acknowledges, then opens identification review on a manager\'s command', async () => {
  const fake = fakeActivities();
  const taskId = 'NV-SKELETONHAPPY01';
  await run(taskId, fake.activities, async () => {
    const handle = await env.client.workflow.start(taskLifecycleWorkflow, { taskQueue: `${TASK_QUEUE}-${taskId}`, workflowId: taskWorkflowId(taskId), args: [input(taskId)] });
   await waitFor(() => fake.sent.length === 1);
    const state = await handle.query(getTaskStateQuery);
    expect(state.stage).toBe('PROPOSED');
    expect(state.documents.map((d) => d.kind)).toEqual(['proposal_form']);
    expect(fake.sent[0]).toMatchObject({ template: 'proposal-received', to: ['huong.nt@vien-sinh-hoc.example.vn'], key: `task-${taskId}/L-1/proposal-received` });
    expect(fake.sent[0]!.attachments).toEqual([{ documentId: 'doc-000000000000000000000001', filename: `phieu-de-xuat-${taskId}.pdf` }]);

    // A researcher may not open review: refused by the validator, nothing recorded.
    const writesBefore = fake.written.length;
    const refused = await handle
      .executeUpdate(startIdentificationReviewUpdate, { args: [{ by: { ...input(taskId).submittedBy } }] })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(WorkflowUpdateFailedError);
    expect((refused as WorkflowUpdateFailedError).cause).toMatchObject({ type: 'FORBIDDEN_ROLE' });
    expect(fake.written.length).toBe(writesBefore);

    const after: TaskState = await handle.executeUpdate(startIdentificationReviewUpdate, {
      args: [{ by: { userId: manager!.userId, role: 'manager', name: manager!.name, email: manager!.email, orgId: manager!.orgId, locale: 'vi' }, note: 'Đủ điều kiện' }],
    });
    expect(after.stage).toBe('IDENTIFICATION_REVIEW');
    expect(after.version).toBe(3);
    expect(fake.written.at(-1)).toMatchObject({ stage: 'IDENTIFICATION_REVIEW', version: 3 });
    await waitFor(() => fake.sent.length === 2);
    expect(fake.sent[1]).toMatchObject({ template: 'identification-review-started', key: `task-${taskId}/L-2/identification-review-started` });

    // Once there, the same command is not allowed again.
    const again = await handle
      .executeUpdate(startIdentificationReviewUpdate, { args: [{ by: { userId: manager!.userId, role: 'manager', name: manager!.name, email: manager!.email, orgId: manager!.orgId, locale: 'vi' } }] })
      .catch((e: unknown) => e);
    expect((again as WorkflowUpdateFailedError).cause).toMatchObject({ type: 'TRANSITION_NOT_ALLOWED' });
  });
});

test('an SMTP outage delays the email without blocking commands, and the email still goes out once', async () => {
  const fake = fakeActivities(4); // SMTP refuses the first four attempts (backoff 5 s, 10 s, 20 s, 40 s)
  const taskId = 'NV-SKELETONSMTPDOWN';
  await run(taskId, fake.activities, async () => {
    const handle = await env.client.workflow.start(taskLifecycleWorkflow, { taskQueue: `${TASK_QUEUE}-${taskId}`, workflowId: taskWorkflowId(taskId), args: [input(taskId)] });
    // While the acknowledgement keeps failing, the Department's command still goes through.
    const after: TaskState = await handle.executeUpdate(startIdentificationReviewUpdate, {
      args: [{ by: { userId: manager!.userId, role: 'manager', name: manager!.name, email: manager!.email, orgId: manager!.orgId, locale: 'vi' } }],
    });
    expect(after.stage).toBe('IDENTIFICATION_REVIEW');
    await env.sleep('2 minutes'); // time skips past the retries
    await waitFor(() => fake.sent.length === 2);
    expect(fake.attempts()).toBe(6);
    expect(fake.sent.map((s) => s.template)).toEqual(['proposal-received', 'identification-review-started']);
  });
});

async function waitFor(predicate: () => boolean, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
