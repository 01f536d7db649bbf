/**
 * The walking skeleton through the real stack: a researcher files a proposal
 * (L-1) → the task's workflow starts → the read model records it → a Vietnamese
 * acknowledgement email arrives with the proposal form → the PDF downloads and
 * reads back exactly → the Department opens identification review (L-2).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { taskWorkflowId } from '../../workflows/definitions';
import { sampleProposal, startStack, type Stack } from '../support/stack';
import { waitUntil } from '../support/services';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

async function fileProposal(body = sampleProposal(), headers: Record<string, string> = {}) {
  const res = await stack.call('POST', '/api/v1/proposals', { as: 'researcher', body, headers });
  expect(res.status).toBe(201);
  return (await res.json()) as { taskId: string; workflowId: string; stage: string; links: { self: string } };
}

async function taskOnceRecorded(taskId: string, who: 'researcher' | 'manager' = 'researcher') {
  let task: any;
  await waitUntil('read model with the proposal form', async () => {
    const res = await stack.call('GET', `/api/v1/tasks/${taskId}`, { as: who });
    task = await res.json();
    return res.status === 200 && task.documents.length === 1;
  });
  return task;
}

const normalise = (s: string) => s.replace(/\s+/g, ' ').trim();

test('L-1: a proposal starts its task workflow, is recorded, acknowledged in Vietnamese and rendered as a PDF', async () => {
  const proposal = sampleProposal();
  const created = await fileProposal(proposal);
  expect(created.taskId).toMatch(/^NV-[0-9A-Z]{16}$/);
  expect(created.workflowId).toBe(taskWorkflowId(created.taskId));
  expect(created.stage).toBe('PROPOSED');

  // The workflow runs under the ID derived from the task, with its stage searchable.
  const description = await stack.client.workflow.getHandle(created.workflowId).describe();
  expect(description.status.name).toBe('RUNNING');
  expect(description.type).toBe('taskLifecycleWorkflow');

  const task = await taskOnceRecorded(created.taskId);
  expect(task.stage).toBe('PROPOSED');
  expect(task.proposal).toEqual(proposal); // Vietnamese text round-trips exactly
  expect(task.title).toBe(proposal.title);
  expect(task.timeline).toEqual([expect.objectContaining({ stage: 'PROPOSED', rule: 'L-1', by: expect.objectContaining({ name: 'Nguyễn Thị Hương' }) })]);
  expect(task.documents[0]).toMatchObject({ kind: 'proposal_form', url: expect.stringContaining(`/api/v1/tasks/${created.taskId}/documents/doc-`) });

  // The read model in MongoDB holds the same state.
  const stored = await stack.store.Task.findById(created.taskId).lean();
  expect(stored).toMatchObject({ stage: 'PROPOSED', workflowId: created.workflowId, title: proposal.title, owner: { orgId: 'org-vien-sinh-hoc' } });

  // One acknowledgement email, in Vietnamese, with the form attached.
  const [ack] = await stack.smtp.waitFor((m) => m.length >= 1);
  expect(ack!.subject).toContain('Đã tiếp nhận đề xuất nhiệm vụ');
  expect(ack!.subject).toContain(proposal.title);
  expect(ack!.text).toContain(created.taskId);
  expect(ack!.text).toContain('1.750.000.000 đồng');
  expect(ack!.html).toContain(proposal.title);
  expect(stack.smtp.to('huong.nt@vien-sinh-hoc.example.vn')).toHaveLength(1);
  expect(ack!.attachments.map((a) => a.contentType)).toEqual(['application/pdf']);

  // The PDF downloads and reads back as the proposer wrote it.
  const pdfRes = await stack.call('GET', task.documents[0].url, { as: 'researcher' });
  expect(pdfRes.status).toBe(200);
  expect(pdfRes.headers.get('content-type')).toBe('application/pdf');
  expect(pdfRes.headers.get('content-disposition')).toContain(`phieu-de-xuat-${created.taskId}.pdf`);
  const pdf = Buffer.from(await pdfRes.arrayBuffer());
  expect(pdf.equals(ack!.attachments[0]!.content)).toBe(true);
  const file = join(mkdtempSync(join(tmpdir(), 'khcn-pdf-')), 'form.pdf');
  writeFileSync(file, pdf);
  const text = normalise(execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }));
  expect(text).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
  expect(text).toContain(normalise(proposal.title));
  expect(text).toContain('Nguyễn Thị Hương');
  expect(text).toContain('1.500.000.000 đồng');
  expect(text).toContain(task.documents[0].stateHash);

  // Stage is a search attribute: the portfolio can be filtered in Temporal.
  await waitUntil('visibility', async () => {
    const { count } = await stack.client.workflow.count(`WorkflowId = '${created.workflowId}' AND TaskStage = 'PROPOSED'`);
    return count === 1;
  });
});

test('L-2: a manager opens identification review; the stage, timeline, search attribute and email follow', async () => {
  const created = await fileProposal();
  await taskOnceRecorded(created.taskId);

  const res = await stack.call('POST', `/api/v1/tasks/${created.taskId}/start-identification-review`, {
    as: 'manager',
    body: { note: 'Hồ sơ đầy đủ, chuyển Hội đồng xác định nhiệm vụ.' },
  });
  expect(res.status).toBe(200);
  const task: any = await res.json();
  expect(task.stage).toBe('IDENTIFICATION_REVIEW');
  expect(task.timeline.map((t: { rule: string }) => t.rule)).toEqual(['L-1', 'L-2']);
  expect(task.timeline[1]).toMatchObject({ note: 'Hồ sơ đầy đủ, chuyển Hội đồng xác định nhiệm vụ.', by: { name: 'Trần Đức Thắng', role: 'manager' } });

  const stored = await stack.store.Task.findById(created.taskId).lean();
  expect(stored?.stage).toBe('IDENTIFICATION_REVIEW');
  await stack.smtp.waitFor((m) => m.some((x) => x.subject?.includes(created.taskId) || x.text?.includes(created.taskId) && x.subject?.includes('xác định')));
  await waitUntil('visibility', async () => {
    const { count } = await stack.client.workflow.count(`WorkflowId = '${created.workflowId}' AND TaskStage = 'IDENTIFICATION_REVIEW'`);
    return count === 1;
  });

  // A second attempt is refused with the rule's reason, in the caller's language, and records nothing.
  const again = await stack.call('POST', `/api/v1/tasks/${created.taskId}/start-identification-review`, {
    as: 'manager',
    headers: { 'accept-language': 'en' },
  });
  expect(again.status).toBe(409);
  expect(again.headers.get('content-type')).toContain('application/problem+json');
  const problem: any = await again.json();
  expect(problem.type).toBe('urn:khcn-flow:problem:transition-not-allowed');
  expect(problem.detail).toContain('Cannot open identification review in stage IDENTIFICATION_REVIEW');
  expect(problem.detail).toContain('L-2');
  const after = await stack.call('GET', `/api/v1/tasks/${created.taskId}`, { as: 'manager' });
  expect(((await after.json()) as any).timeline).toHaveLength(2);
});

test('who may see and act: another organisation gets 404, a researcher may not open review, no token is 401', async () => {
  const created = await fileProposal();
  await taskOnceRecorded(created.taskId);

  const other = await stack.call('GET', `/api/v1/tasks/${created.taskId}`, { as: 'otherResearcher' });
  expect(other.status).toBe(404);
  const council = await stack.call('GET', `/api/v1/tasks/${created.taskId}`, { as: 'councilMember' });
  expect(council.status).toBe(404);
  const anonymous = await stack.call('GET', `/api/v1/tasks/${created.taskId}`, { as: null });
  expect(anonymous.status).toBe(401);
  expect(anonymous.headers.get('content-type')).toContain('application/problem+json');

  const doc = ((await (await stack.call('GET', `/api/v1/tasks/${created.taskId}`)).json()) as any).documents[0];
  expect((await stack.call('GET', doc.url, { as: 'otherResearcher' })).status).toBe(404);

  const byResearcher = await stack.call('POST', `/api/v1/tasks/${created.taskId}/start-identification-review`, { as: 'researcher' });
  expect(byResearcher.status).toBe(403);
  const still = await stack.call('GET', `/api/v1/tasks/${created.taskId}`);
  expect(((await still.json()) as any).stage).toBe('PROPOSED');
});
