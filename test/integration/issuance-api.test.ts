/**
 * Issue 12 on the real stack (Temporal dev server, FerretDB, SMTP catcher, the real worker and
 * API), rule-set 2026.2: a decision goes draft → signed by the competent person → registered by
 * the clerk → issued, through the documents API, with every refusal as problem+json (vi and en);
 * the task's transition completes when the decision is issued; the issued PDF is digitally signed
 * (pdfsig), listed with the task and is the very file e-mailed.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitUntil } from '../support/services';
import { sampleProposal, startStack, type Stack, type Who } from '../support/stack';
import { paperSitting } from '../support/fixtures';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ env: { RULESET_VERSION: '2026.2' } });
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

const today = () => new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);
async function call(method: string, path: string, as: Who, body?: unknown, headers: Record<string, string> = {}) {
  const res = await stack.call(method, path, { as, ...(body !== undefined ? { body } : {}), headers });
  const type = res.headers.get('content-type') ?? '';
  return { status: res.status, type, json: (type.includes('json') ? await res.json() : undefined) as any, res };
}
async function ok(taskId: string, path: string, as: Who, body: unknown = {}) {
  const r = await call('POST', `/api/v1/tasks/${taskId}/${path}`, as, body);
  if (r.status !== 200) throw new Error(`${path}: ${r.status} ${JSON.stringify(r.json)}`);
  return r.json;
}
function file(pdf: Buffer, name: string): string {
  const f = join(mkdtempSync(join(tmpdir(), 'khcn-issue-')), `${name}.pdf`);
  writeFileSync(f, pdf);
  return f;
}
function pdfsig(f: string): string {
  try {
    return execFileSync('/usr/bin/pdfsig', [f], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    return String((err as { stdout?: string }).stdout ?? '');
  }
}

/** A task whose list approval (L-3) the officer has put to signature. */
async function orderListAwaitingSignature(): Promise<{ taskId: string; documentId: string }> {
  const res = await stack.call('POST', '/api/v1/proposals', { as: 'researcher', body: sampleProposal() });
  expect(res.status).toBe(201);
  const { taskId } = (await res.json()) as { taskId: string };
  await waitUntil('intake', async () => ((await stack.store.Task.findById(taskId).lean())?.documents.length ?? 0) === 1);
  await ok(taskId, 'start-identification-review', 'manager');
  await paperSitting(stack, taskId, { kind: 'C-ID', recommend: true });
  const t = await ok(taskId, 'approve-order-list', 'manager');
  expect(t.stage).toBe('IDENTIFICATION_REVIEW');
  const pending = t.issuance.find((d: { kind: string }) => d.kind === 'order_list_approval');
  expect(pending).toMatchObject({ status: 'PENDING', effective: 'approveOrderList', href: `/api/v1/documents/${pending.documentId}` });
  await waitUntil('draft recorded', async () => (await call('GET', `/api/v1/documents/${pending.documentId}`, 'director')).status === 200);
  return { taskId, documentId: pending.documentId };
}

test('L-3: drafted, signed by the Director, registered and issued by the clerk through the API; refusals on the way; the decision takes effect when issued, and the issued, signed PDF is listed and e-mailed', async () => {
  const { taskId, documentId } = await orderListAwaitingSignature();
  const doc = `/api/v1/documents/${documentId}`;

  // The task waits, and offers no stage-changing action meanwhile.
  let t = (await call('GET', `/api/v1/tasks/${taskId}`, 'manager')).json;
  expect(t.stage).toBe('IDENTIFICATION_REVIEW');
  expect(t.allowedActions.map((a: { command: string }) => a.command)).not.toContain('reject-proposal');
  expect(t.allowedActions.map((a: { command: string }) => a.command)).not.toContain('rejectProposal');
  const held = await call('POST', `/api/v1/tasks/${taskId}/reject-proposal`, 'manager', { reasons: ['Trùng lặp'] }, { 'accept-language': 'vi' });
  expect(held.status).toBe(409);
  expect(held.json).toMatchObject({ code: 'DECISION_PENDING', rule: 'L-3' });
  expect(held.json.detail).toContain('Đang chờ ký, vào sổ và phát hành quyết định phê duyệt danh mục nhiệm vụ đặt hàng');
  // A researcher sees the task but none of the Department's drafts.
  expect((await call('GET', `/api/v1/tasks/${taskId}`, 'researcher')).json.issuance).toBeUndefined();

  // What awaits each one's signature: the Director and the Deputy (delegated identification) see it; officer, clerk, researcher not.
  const pendingFor = async (who: Who) => ((await call('GET', '/api/v1/signatures/pending', who)).json.items as { documentId: string; slot: { label: unknown } }[]).filter((i) => i.documentId === documentId);
  expect(await pendingFor('director')).toEqual([expect.objectContaining({ documentId, taskId, title: 'Quyết định phê duyệt danh mục nhiệm vụ đặt hàng', status: 'AWAITING_SIGNATURE', slot: { slotId: 'department', label: { title: 'GIÁM ĐỐC' } }, effective: { command: 'approveOrderList', label: expect.any(Object) }, links: expect.objectContaining({ draft: `${doc}/draft` }) })]);
  expect((await pendingFor('deputy'))[0]!.slot.label).toEqual({ authority: 'KT. GIÁM ĐỐC', title: 'PHÓ GIÁM ĐỐC' });
  for (const who of ['manager', 'clerk', 'researcher', 'councilMember', 'admin'] as const) expect(await pendingFor(who)).toEqual([]);

  // The draft, as the signer reviews it: watermarked, no number, no date.
  const draft = await call('GET', `${doc}/draft`, 'director');
  expect(draft.status).toBe(200);
  expect(draft.type).toBe('application/pdf');
  const draftFile = file(Buffer.from(await draft.res.arrayBuffer()), 'draft');
  expect(execFileSync('/usr/bin/pdftotext', ['-raw', draftFile, '-'], { encoding: 'utf8' })).toMatch(/DỰ\s+THẢO/);
  expect(execFileSync('/usr/bin/pdftotext', ['-layout', draftFile, '-'], { encoding: 'utf8' })).toMatch(/Số:\s+\/QĐ-SKHCN/);
  expect((await call('GET', `${doc}/draft`, 'researcher')).status).toBe(404);
  expect((await call('GET', doc, 'otherResearcher')).status).toBe(404);

  // Refusals: wrong signer 403, the clerk only registers and issues, not before it is signed (409).
  const byOfficer = await call('POST', `${doc}/sign`, 'manager', {}, { 'accept-language': 'en' });
  expect(byOfficer.status).toBe(403);
  expect(byOfficer.type).toMatch(/^application\/problem\+json/);
  expect(byOfficer.json).toMatchObject({ type: 'urn:khcn-flow:problem:forbidden', code: 'NOT_COMPETENT_SIGNER', detail: 'The Director, or a Deputy Director delegated identification, signs this document.' });
  const byClerk = await call('POST', `${doc}/sign`, 'clerk', {}, { 'accept-language': 'vi' });
  expect(byClerk.status).toBe(403);
  expect(byClerk.json.detail).toBe('Văn bản này do Giám đốc hoặc Phó Giám đốc được phân công lĩnh vực xác định nhiệm vụ ký.');
  expect((await call('POST', `${doc}/register`, 'clerk', {})).json).toMatchObject({ status: 409, code: 'NOT_SIGNED' });
  expect((await call('POST', `${doc}/issue`, 'clerk', {})).json).toMatchObject({ status: 409, code: 'NOT_SIGNED' });

  // The Director signs; signing twice is refused, and so is the Deputy now.
  const signed = await call('POST', `${doc}/sign`, 'director', {});
  expect(signed.status).toBe(200);
  expect(signed.json).toMatchObject({ status: 'SIGNED', signatures: [{ slotId: 'department', userId: 'u-director-1', name: 'Lê Minh Quang', position: 'director', label: { title: 'GIÁM ĐỐC' }, mode: 'certificate' }], allowedActions: [] });
  expect((await call('POST', `${doc}/sign`, 'director', {})).json).toMatchObject({ status: 409, code: 'ALREADY_SIGNED' });
  expect((await call('POST', `${doc}/sign`, 'deputy', {})).json).toMatchObject({ status: 409, code: 'ALREADY_SIGNED' });

  // Only the clerk registers; a number from the paper register must carry the type; the issue waits for the register.
  expect((await call('POST', `${doc}/register`, 'director', {})).json).toMatchObject({ status: 403, code: 'CLERK_ONLY' });
  expect((await call('GET', doc, 'clerk')).json.allowedActions).toEqual(['register']);
  expect((await call('POST', `${doc}/issue`, 'clerk', {})).json).toMatchObject({ status: 409, code: 'NOT_REGISTERED' });
  const wrongType = await call('POST', `${doc}/register`, 'clerk', { number: '15/TB-SKHCN', registeredOn: today() });
  expect(wrongType.status).toBe(422);
  expect(wrongType.json.errors).toEqual([expect.objectContaining({ field: 'number' })]);
  const noDate = await call('POST', `${doc}/register`, 'clerk', { number: '15/QĐ-SKHCN' });
  expect(noDate.json).toMatchObject({ status: 422, code: 'INVALID_REGISTRATION' });
  const registered = await call('POST', `${doc}/register`, 'clerk', { number: '15/QĐ-SKHCN', registeredOn: today() });
  expect(registered.status).toBe(200);
  expect(registered.json).toMatchObject({ status: 'REGISTERED', number: '15/QĐ-SKHCN', registeredOn: today(), registeredBy: { userId: 'u-clerk-1', name: 'Huỳnh Thị Mai' }, allowedActions: ['issue'] });
  expect((await call('POST', `${doc}/register`, 'clerk', {})).json).toMatchObject({ status: 409, code: 'ALREADY_REGISTERED' });
  expect((await call('GET', '/api/v1/documents?status=REGISTERED', 'clerk')).json.items.map((i: { documentId: string }) => i.documentId)).toContain(documentId);
  expect((await call('GET', '/api/v1/documents?status=REGISTERED', 'researcher')).status).toBe(403);

  // Issue: the decision takes effect now.
  const issued = await call('POST', `${doc}/issue`, 'clerk', {});
  expect(issued.status).toBe(200);
  expect(issued.json).toMatchObject({ status: 'ISSUED', number: '15/QĐ-SKHCN', issuedBy: { userId: 'u-clerk-1' }, document: { documentId, number: '15/QĐ-SKHCN', url: `/api/v1/tasks/${taskId}/documents/${documentId}` } });
  expect((await call('POST', `${doc}/issue`, 'clerk', {})).json).toMatchObject({ status: 409, code: 'ALREADY_ISSUED' });
  await waitUntil('the decision took effect', async () => (await stack.store.Task.findById(taskId).lean())?.stage === 'ORDER_LISTED');
  t = (await call('GET', `/api/v1/tasks/${taskId}`, 'researcher')).json;
  expect(t.stage).toBe('ORDER_LISTED');
  const listed = t.documents.find((d: { kind: string }) => d.kind === 'order_list_approval');
  expect(listed).toMatchObject({ documentId, number: '15/QĐ-SKHCN' });

  // The issued PDF: the Director's and the Department's signatures, valid; the number and the Director's real name.
  const download = await stack.call('GET', listed.url, { as: 'researcher' });
  const pdf = Buffer.from(await download.arrayBuffer());
  const f = file(pdf, 'issued');
  const sig = pdfsig(f);
  expect(sig.match(/Signature Validation: Signature is Valid\./g)).toHaveLength(2);
  expect(sig).toContain('Signer Certificate Common Name: Lê Minh Quang');
  expect(sig).toContain(`Signer Certificate Common Name: ${stack.config.DEPARTMENT_NAME}`);
  expect(sig).toContain('Total document signed');
  const text = execFileSync('/usr/bin/pdftotext', ['-layout', f, '-'], { encoding: 'utf8' });
  expect(text).toContain('Số: 15/QĐ-SKHCN');
  expect(text).toContain('Ký số bởi: Lê Minh Quang');
  expect(text).not.toContain('Trần Đức Thắng'); // the officer who prepared it does not sign it
  expect(text).not.toMatch(/DỰ\s+THẢO/);

  // The e-mail carries exactly the issued document.
  const mails = await stack.smtp.waitFor((all) => all.some((m) => m.subject?.includes('Nhiệm vụ được đưa vào danh mục đặt hàng')));
  const mail = mails.find((m) => m.subject?.includes('Nhiệm vụ được đưa vào danh mục đặt hàng'))!;
  expect(mail.attachments).toHaveLength(1);
  expect(mail.attachments[0]!.content.equals(pdf)).toBe(true);

  // The audit log has the signature, the register entry and the issue (of this document; the decision forming
  // the identification council went the same way before it, issue 13).
  const audit = (await call('GET', `/api/v1/audit-log?taskId=${taskId}&kind=document&limit=50`, 'admin')).json;
  expect(audit.items.filter((e: { item?: string }) => e.item === documentId).map((e: { action: string; actor: { userId: string } }) => [e.action, e.actor.userId]).reverse()).toEqual([['signDocument', 'u-director-1'], ['registerDocument', 'u-clerk-1'], ['issueDocument', 'u-clerk-1']]);

  // A number already in the register is refused for another document (409 naming the field).
  const second = await orderListAwaitingSignature();
  expect((await call('POST', `/api/v1/documents/${second.documentId}/sign`, 'deputy', {})).status).toBe(200);
  const taken = await call('POST', `/api/v1/documents/${second.documentId}/register`, 'clerk', { number: '15/QĐ-SKHCN', registeredOn: today() });
  expect(taken.status).toBe(409);
  expect(taken.json).toMatchObject({ type: 'urn:khcn-flow:problem:number-taken', errors: [{ field: 'number', code: 'number_taken' }] });
  // The system's register gives the next free number of the series.
  const next = await call('POST', `/api/v1/documents/${second.documentId}/register`, 'clerk', {});
  expect(next.json.number).toMatch(/^\d{2}\/QĐ-SKHCN$/);
  expect(next.json.number).not.toBe('15/QĐ-SKHCN');
  const secondIssued = await call('POST', `/api/v1/documents/${second.documentId}/issue`, 'clerk', {});
  expect(secondIssued.json.signatures[0]).toMatchObject({ name: 'Phan Thị Thu Trang', label: { authority: 'KT. GIÁM ĐỐC', title: 'PHÓ GIÁM ĐỐC' } });
  const secondPdf = Buffer.from(await (await stack.call('GET', secondIssued.json.document.url, { as: 'manager' })).arrayBuffer());
  const secondText = execFileSync('/usr/bin/pdftotext', ['-layout', file(secondPdf, 'kt'), '-'], { encoding: 'utf8' });
  expect(secondText).toMatch(/KT\. GIÁM ĐỐC *\n[^\n]*PHÓ GIÁM ĐỐC/);
  expect(pdfsig(file(secondPdf, 'kt2'))).toContain('Signer Certificate Common Name: Phan Thị Thu Trang');
}, 240_000);

test('positions: a clerk gives no lifecycle command (403), a manager without a position acts as an officer; the admin sets positions and areas, refused where they do not belong', async () => {
  const res = await stack.call('POST', '/api/v1/proposals', { as: 'researcher', body: sampleProposal() });
  const { taskId } = (await res.json()) as { taskId: string };
  await waitUntil('intake', async () => ((await stack.store.Task.findById(taskId).lean())?.documents.length ?? 0) === 1);
  const clerk = await call('POST', `/api/v1/tasks/${taskId}/start-identification-review`, 'clerk', {}, { 'accept-language': 'vi' });
  expect(clerk.status).toBe(403);
  expect(clerk.json).toMatchObject({ code: 'FORBIDDEN_POSITION', rule: 'L-2' });
  expect(clerk.json.detail).toContain('Văn thư không được');
  expect((await call('GET', `/api/v1/tasks/${taskId}`, 'clerk')).json.allowedActions).toEqual([]);
  expect((await call('GET', `/api/v1/tasks/${taskId}`, 'director')).json.allowedActions.map((a: { command: string }) => a.command)).toContain('startIdentificationReview');

  const me = (await call('GET', '/api/v1/auth/me', 'deputy')).json;
  expect(me).toMatchObject({ role: 'manager', position: 'deputy_director', areas: ['identification', 'selection', 'approval', 'acceptance'] });
  const created = await call('POST', '/api/v1/users', 'admin', { email: 'binh.vv@skhcn.example.vn', name: 'Võ Văn Bình', role: 'manager', orgId: 'org-skhcn', position: 'head_of_division' });
  expect(created.status).toBe(201);
  expect(created.json).toMatchObject({ position: 'head_of_division' });
  const deputyWithout = await call('PATCH', `/api/v1/users/${created.json.userId}`, 'admin', { position: 'deputy_director' });
  expect(deputyWithout.status).toBe(422);
  expect(deputyWithout.json.errors).toEqual([expect.objectContaining({ field: 'areas' })]);
  const deputy = await call('PATCH', `/api/v1/users/${created.json.userId}`, 'admin', { position: 'deputy_director', areas: ['execution'] });
  expect(deputy.json).toMatchObject({ position: 'deputy_director', areas: ['execution'] });
  const researcherPosition = await call('POST', '/api/v1/users', 'admin', { email: 'x.y@vien.example.vn', name: 'X Y', role: 'researcher', orgId: 'org-vien-sinh-hoc', position: 'director' });
  expect(researcherPosition.status).toBe(422);
  expect(researcherPosition.json.errors).toEqual([expect.objectContaining({ field: 'position' })]);
  // Back to an officer: the areas go with the Deputy's position.
  const officer = await call('PATCH', `/api/v1/users/${created.json.userId}`, 'admin', { position: 'officer' });
  expect(officer.json.position).toBe('officer');
  expect(officer.json.areas).toBeUndefined();
}, 120_000);
