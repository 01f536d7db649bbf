/**
 * Bad input is refused with a 4xx application/problem+json naming the field and
 * the reason; no workflow starts and nothing is stored. Idempotency-Key: a
 * repeated submission returns the same task and starts no second workflow.
 */
import { waitUntil } from '../support/services';
import { sampleProposal, startStack, type Stack } from '../support/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

/** Workflows on this file's task queue: the count of tasks ever started here. */
async function workflowsStarted(): Promise<number> {
  const { count } = await stack.client.workflow.count(`TaskQueue = '${stack.config.TEMPORAL_TASK_QUEUE}'`);
  return count;
}

/** Visibility lags a little behind: wait for the expected count, then make sure it stays there. */
async function expectWorkflowsStarted(n: number) {
  await waitUntil(`${n} workflows visible`, async () => (await workflowsStarted()) >= n);
  await new Promise((r) => setTimeout(r, 300));
  expect(await workflowsStarted()).toBe(n);
}

async function expectRefusedWithNothingStored(res: Response, status: number, type: string) {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const problem: any = await res.json();
  expect(problem).toMatchObject({ type: `urn:khcn-flow:problem:${type}`, status });
  expect(JSON.stringify(problem)).not.toMatch(/at .*\.ts:\d+/); // never a stack trace
  expect(await stack.store.Task.countDocuments()).toBe(0);
  expect(await stack.store.Idempotency.countDocuments()).toBe(0);
  return problem;
}

describe('refused proposals start nothing and store nothing', () => {
  test('malformed JSON', async () => {
    const res = await stack.call('POST', '/api/v1/proposals', { rawBody: '{"title": "Nghiên cứu', headers: { 'content-type': 'application/json' } });
    const p = await expectRefusedWithNothingStored(res, 400, 'malformed-json');
    expect(p.errors[0].field).toBe('(body)');
  });

  test('unknown fields are named', async () => {
    const res = await stack.call('POST', '/api/v1/proposals', { body: { ...sampleProposal(), priority: 'cao', budget: { stateBudget: 1, otherSources: 0, vat: 10 } } });
    const p = await expectRefusedWithNothingStored(res, 400, 'validation-error');
    expect(p.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'priority', code: 'unrecognized_keys' }),
        expect.objectContaining({ field: 'budget.vat', code: 'unrecognized_keys' }),
      ]),
    );
  });

  test('missing and mistyped fields, in Vietnamese by default', async () => {
    const { title: _omit, ...noTitle } = sampleProposal();
    const res = await stack.call('POST', '/api/v1/proposals', {
      body: { ...noTitle, durationMonths: 'hai mươi bốn', budget: { stateBudget: 1.5, otherSources: -1 }, level: 'district' },
    });
    const p = await expectRefusedWithNothingStored(res, 400, 'validation-error');
    expect(res.headers.get('content-language')).toBe('vi');
    expect(p.title).toBe('Dữ liệu không hợp lệ');
    const byField = Object.fromEntries(p.errors.map((e: { field: string; reason: string }) => [e.field, e.reason]));
    expect(byField.title).toBe('Trường này là bắt buộc.');
    expect(byField.durationMonths).toBe('Phải là số.');
    expect(byField['budget.stateBudget']).toBe('Phải là số nguyên.');
    expect(byField['budget.otherSources']).toBe('Phải lớn hơn hoặc bằng 0.');
    expect(byField.level).toContain('provincial');
  });

  test('the same refusal in English when the caller prefers it', async () => {
    const { title: _omit, ...noTitle } = sampleProposal();
    const res = await stack.call('POST', '/api/v1/proposals', { body: noTitle, headers: { 'accept-language': 'en-GB,en;q=0.9,vi;q=0.5' } });
    const p = await expectRefusedWithNothingStored(res, 400, 'validation-error');
    expect(p.title).toBe('Invalid input');
    expect(p.errors).toEqual([expect.objectContaining({ field: 'title', reason: 'This field is required.' })]);
  });

  test('MongoDB operator injection: a $-key is refused by name before validation', async () => {
    const res = await stack.call('POST', '/api/v1/proposals', { body: { ...sampleProposal(), title: { $gt: '' } } });
    const p = await expectRefusedWithNothingStored(res, 400, 'forbidden-key');
    expect(p.errors).toEqual([expect.objectContaining({ field: 'title.$gt', code: 'forbidden_key' })]);
  });

  test('an oversize body', async () => {
    const res = await stack.call('POST', '/api/v1/proposals', { body: { ...sampleProposal(), urgency: 'ă'.repeat(70_000) } });
    await expectRefusedWithNothingStored(res, 413, 'payload-too-large');
  });

  test('a body that is not JSON', async () => {
    const res = await stack.call('POST', '/api/v1/proposals', { rawBody: 'title=abc', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    await expectRefusedWithNothingStored(res, 415, 'unsupported-media-type');
  });

  test('a caller who may not file proposals, and no caller at all', async () => {
    await expectRefusedWithNothingStored(await stack.call('POST', '/api/v1/proposals', { as: 'councilMember', body: sampleProposal() }), 403, 'forbidden');
    await expectRefusedWithNothingStored(await stack.call('POST', '/api/v1/proposals', { as: null, body: sampleProposal() }), 401, 'unauthenticated');
    const forged = await stack.call('POST', '/api/v1/proposals', { as: null, body: sampleProposal(), headers: { authorization: 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.' } });
    await expectRefusedWithNothingStored(forged, 401, 'unauthenticated');
  });

  test('a malformed Idempotency-Key', async () => {
    const res = await stack.call('POST', '/api/v1/proposals', { body: sampleProposal(), headers: { 'idempotency-key': 'x' } });
    const p = await expectRefusedWithNothingStored(res, 400, 'validation-error');
    expect(p.in).toBe('header');
  });

  test('after all of the above, not one workflow was started', async () => {
    await expectWorkflowsStarted(0);
  });
});

describe('Idempotency-Key', () => {
  test('a repeated submission returns the same task and starts no second workflow', async () => {
    const before = await workflowsStarted();
    const headers = { 'idempotency-key': 'de-xuat-2026-lua-chiu-man-01' };
    const first = await stack.call('POST', '/api/v1/proposals', { body: sampleProposal(), headers });
    expect(first.status).toBe(201);
    const a: any = await first.json();
    const second = await stack.call('POST', '/api/v1/proposals', { body: sampleProposal(), headers });
    expect(second.status).toBe(201);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(await second.json()).toEqual(a);
    await expectWorkflowsStarted(before + 1);

    // Concurrent retries of another key still make one task.
    const k2 = { 'idempotency-key': 'de-xuat-2026-lua-chiu-man-02' };
    const burst = await Promise.all([1, 2, 3, 4].map(() => stack.call('POST', '/api/v1/proposals', { body: sampleProposal(), headers: k2 })));
    const ids = new Set(await Promise.all(burst.map(async (r) => ((await r.json()) as any).taskId)));
    expect(burst.map((r) => r.status)).toEqual([201, 201, 201, 201]);
    expect(ids.size).toBe(1);
    await expectWorkflowsStarted(before + 2);

    // One acknowledgement per task, however many times it was submitted.
    await stack.smtp.waitFor((m) => m.length >= 2);
    await new Promise((r) => setTimeout(r, 500));
    expect(stack.smtp.messages.filter((m) => m.text?.includes(a.taskId))).toHaveLength(1);
  });

  test('the same key with a different body is refused', async () => {
    const headers = { 'idempotency-key': 'de-xuat-2026-lua-chiu-man-03' };
    expect((await stack.call('POST', '/api/v1/proposals', { body: sampleProposal(), headers })).status).toBe(201);
    const res = await stack.call('POST', '/api/v1/proposals', { body: sampleProposal({ durationMonths: 36 }), headers });
    expect(res.status).toBe(422);
    expect(((await res.json()) as any).type).toBe('urn:khcn-flow:problem:idempotency-key-reused');
  });

  test('keys are per caller: another researcher using the same key files their own task', async () => {
    const headers = { 'idempotency-key': 'de-xuat-2026-lua-chiu-man-04' };
    const mine: any = await (await stack.call('POST', '/api/v1/proposals', { body: sampleProposal(), headers })).json();
    const theirs: any = await (await stack.call('POST', '/api/v1/proposals', { as: 'otherResearcher', body: sampleProposal(), headers })).json();
    expect(theirs.taskId).not.toBe(mine.taskId);
  });
});
