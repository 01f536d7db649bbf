/**
 * Issue 6 on the real stack (Temporal dev server, FerretDB, an in-process SMTP server, the real
 * worker and API): decisions and the contract arrive by email once per recipient, each in the
 * recipient's own language (their user record), with the PDF attached; after an SMTP outage every
 * email still arrives exactly once; a document downloaded through the API is the one mailed, and
 * reads back with the state it was rendered from.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ParsedMail } from 'mailparser';
import { formatDateVi, formatVnd } from '../../activities/documents/format';
import { waitUntil } from '../support/services';
import { paperSitting } from '../support/fixtures';
import { sampleProposal, startStack, type Stack, type Who } from '../support/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
  // The users collection (seeded by the stack): the English-speaking researcher, the Vietnamese proposer and the officer.
  const u = stack.users;
  for (const [user, locale] of [[u.otherResearcher, 'en'], [u.researcher, 'vi'], [u.manager, 'vi']] as const) {
    await stack.store.User.updateOne({ _id: user.userId }, { $set: { locale } });
  }
});
afterAll(async () => {
  await stack?.stop();
});

async function ok(taskId: string, path: string, as: Who, body: unknown = {}) {
  const res = await stack.call('POST', `/api/v1/tasks/${taskId}/${path}`, { as, body });
  const json: any = await res.json();
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

const normalise = (s: string) => s.replace(/\s+/g, ' ').trim();
const addresses = (m: ParsedMail) => (Array.isArray(m.to) ? m.to : m.to ? [m.to] : []).flatMap((t) => t.value.map((v) => v.address?.toLowerCase()));
function pdfText(pdf: Buffer): string {
  const file = join(mkdtempSync(join(tmpdir(), 'khcn-doc-')), 'doc.pdf');
  writeFileSync(file, pdf);
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
}

test('decisions, the contract and notices reach each recipient once, in their language, with the PDF; after an SMTP outage every email arrives once; the downloaded document is the one mailed', async () => {
  const duc = stack.users.otherResearcher; // locale 'en' in the users collection
  const huong = stack.users.researcher; // locale 'vi'
  const manager = stack.users.manager;
  // Lê Văn Đức files a proposal naming Nguyễn Thị Hương as proposer; his organisation will be the host.
  const res = await stack.call('POST', '/api/v1/proposals', { as: 'otherResearcher', body: sampleProposal() });
  expect(res.status).toBe(201);
  const { taskId } = (await res.json()) as { taskId: string };
  await waitUntil('intake', async () => ((await stack.store.Task.findById(taskId).lean())?.documents.length ?? 0) === 1);

  // L-1: the acknowledgement goes once to each, Vietnamese for Hương, English for Đức (the request's own language keeps its key).
  await stack.smtp.waitFor(() => stack.smtp.to(huong.email).length >= 1 && stack.smtp.to(duc.email).length >= 1);
  const [ackVi] = stack.smtp.to(huong.email);
  const [ackEn] = stack.smtp.to(duc.email);
  expect(addresses(ackVi!)).toEqual([huong.email]);
  expect(addresses(ackEn!)).toEqual([duc.email]);
  expect(ackVi!.subject).toContain('Đã tiếp nhận đề xuất nhiệm vụ');
  expect(ackEn!.subject).not.toContain('Đã tiếp nhận');
  expect(ackEn!.text).toContain(taskId);
  // Each delivery is recorded once its send has returned, a moment after the catcher has the email.
  const delivered = () => stack.store.EmailDelivery.countDocuments({ _id: { $in: [`task-${taskId}/L-1/proposal-received`, `task-${taskId}/L-1/proposal-received#vi`] }, status: 'sent' });
  await waitUntil('both deliveries recorded', async () => (await delivered()) >= 2);
  expect(await delivered()).toBe(2);

  const host = { orgId: duc.orgId, orgName: 'Trường Đại học Tây Ninh', pi: { name: duc.name, email: duc.email } };
  await ok(taskId, 'start-identification-review', 'manager');
  await paperSitting(stack, taskId, { kind: 'C-ID', recommend: true });
  let t = await ok(taskId, 'approve-order-list', 'manager');
  // The task's own documents in order (the identification council's decision and records are its own, C-9).
  const COUNCIL_DOCUMENTS = ['council_formation_decision', 'vote_counting_record', 'council_minutes'];
  expect(t.documents.map((d: { kind: string }) => d.kind).filter((k: string) => !COUNCIL_DOCUMENTS.includes(k))).toEqual(['proposal_form', 'order_list_approval']);
  await ok(taskId, 'assign-directly', 'manager', { host });
  await paperSitting(stack, taskId, { kind: 'C-SEL', winner: 'HS-GTT' });
  await ok(taskId, 'submit-revised-proposal', 'otherResearcher');
  await ok(taskId, 'record-budget-appraisal', 'manager', { requested: 1_750_000_000, appraisedState: 1_480_000_000, appraisedOther: 250_000_000 });
  t = await ok(taskId, 'approve-task', 'manager', { durationMonths: 18, fundingMode: 'partial_lump_sum', stateBudget: 1_480_000_000, otherSources: 250_000_000, products: ['Quy trình kỹ thuật canh tác lúa chịu mặn'] });

  // The approval decision is listed with the task, numbered from the Department's series, and mailed to the host side.
  const decision = t.documents.find((d: { kind: string }) => d.kind === 'task_approval_decision');
  const list = t.documents.find((d: { kind: string }) => d.kind === 'order_list_approval');
  const year = formatDateVi(new Date().toISOString()).slice(6);
  // The series also numbers the decisions forming the identification (01) and selection (03) councils (issue 13).
  expect(list.number).toBe('02/QĐ-SKHCN');
  expect(decision).toMatchObject({ number: '04/QĐ-SKHCN', title: 'Quyết định phê duyệt tổ chức chủ trì, chủ nhiệm và kinh phí', url: `/api/v1/tasks/${taskId}/documents/${decision.documentId}` });
  const approvedVi = await stack.smtp.waitFor((all) => all.some((m) => m.subject?.includes('Nhiệm vụ được phê duyệt'))).then((all) => all.filter((m) => m.subject?.includes('Nhiệm vụ được phê duyệt')));
  const approvedEn = await stack.smtp.waitFor((all) => all.some((m) => m.subject?.includes('Task approved'))).then((all) => all.filter((m) => m.subject?.includes('Task approved')));
  expect(approvedVi.map(addresses)).toEqual([[huong.email]]);
  expect(approvedEn.map(addresses)).toEqual([[duc.email]]);
  expect(approvedVi[0]!.text).toContain('Kinh phí ngân sách nhà nước 1.480.000.000 đồng, thời gian 18 tháng.');
  expect(approvedVi[0]!.text).toContain('Văn bản kèm theo');
  expect(approvedEn[0]!.text).toContain('State budget 1.480.000.000 VND, 18 months.');
  expect(approvedEn[0]!.text).toContain('Documents (attached as PDF):');
  // Links go to the task's page (issue 10), the document's place on it; never to the API.
  expect(approvedEn[0]!.html).toContain(`href="${stack.config.PUBLIC_BASE_URL}/tasks/${taskId}#${decision.documentId}"`);
  expect(approvedEn[0]!.html).toContain(`href="${stack.config.PUBLIC_BASE_URL}/tasks/${taskId}"`);
  for (const m of [...approvedVi, ...approvedEn]) expect(`${m.text}${m.html}`).not.toContain('/api/v1/');
  for (const m of [...approvedVi, ...approvedEn]) expect(m.attachments.map((a) => [a.filename, a.contentType])).toEqual([[`quyet-dinh-phe-duyet-nhiem-vu-${taskId}.pdf`, 'application/pdf']]);

  // The download is the attachment, carries the state hash and reads back with the state.
  const pdfRes = await stack.call('GET', decision.url, { as: 'otherResearcher' });
  expect(pdfRes.status).toBe(200);
  expect(pdfRes.headers.get('x-state-hash')).toBe(decision.stateHash);
  const pdf = Buffer.from(await pdfRes.arrayBuffer());
  expect(pdf.equals(approvedVi[0]!.attachments[0]!.content)).toBe(true);
  expect(pdf.equals(approvedEn[0]!.attachments[0]!.content)).toBe(true);
  const text = normalise(pdfText(pdf));
  expect(text).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
  expect(text).toContain('Độc lập - Tự do - Hạnh phúc');
  expect(text).toContain('Số: 04/QĐ-SKHCN');
  expect(text).toContain(`Mã trạng thái (state hash): ${decision.stateHash}`);
  expect(text).toContain(normalise(sampleProposal().title));
  expect(text).toContain(`Tổ chức chủ trì: ${host.orgName}`);
  expect(text).toContain(`Chủ nhiệm nhiệm vụ: ${duc.name} (${duc.email})`);
  expect(text).toContain(`Ngân sách nhà nước ${formatVnd(t.funds.approvedState)}`);
  expect(text).toContain(`Ngày phê duyệt: ${formatDateVi(new Date().toISOString())}`);
  expect(text).toContain('GIÁM ĐỐC'); // the signer's title, then the manager who gave the decision
  expect(text).toContain(manager.name);
  expect(text).toContain('Kho bạc Nhà nước tỉnh;');

  // SMTP refuses for a while: both signatures are still accepted at once; the contract goes to both parties once it is back.
  // First, what earlier steps sent is all out: the sittings have ended (their e-mails go out from their own
  // loop, issue 17) and nothing has arrived for a second and a half.
  for (const c of (await stack.store.Task.findById(taskId).lean())!.councilSittings) {
    await waitUntil('the sitting has sent its e-mails', async () => (await stack.client.workflow.getHandle(c.councilId).describe()).status.name !== 'RUNNING', 60_000);
  }
  for (let quiet = 0, last = -1; quiet < 3; ) {
    await new Promise((r) => setTimeout(r, 500));
    quiet = stack.smtp.messages.length === last ? quiet + 1 : 0;
    last = stack.smtp.messages.length;
  }
  const before = stack.smtp.messages.length;
  stack.smtp.refusing = true;
  const t0 = Date.now();
  await ok(taskId, 'sign-contract', 'otherResearcher');
  t = await ok(taskId, 'sign-contract', 'manager');
  expect(Date.now() - t0).toBeLessThan(15_000); // commands never wait for mail
  expect(t.stage).toBe('CONTRACTED');
  const contract = t.documents.find((d: { kind: string }) => d.kind === 'contract');
  expect(contract.number).toBe(`01/${year}/HĐ-SKHCN`);
  await waitUntil('the outbox meets the outage', async () => (await stack.store.EmailDelivery.countDocuments({ status: 'failed' })) > 0);
  expect(stack.smtp.messages.length).toBe(before);
  stack.smtp.refusing = false;

  const signedSubject = (m: ParsedMail) => m.subject?.includes('Hợp đồng thực hiện nhiệm vụ đã ký') || m.subject?.includes('Task contract signed');
  const signed = (await stack.smtp.waitFor((all) => all.filter(signedSubject).length >= 3, 90_000)).filter(signedSubject);
  // Host side: Đức in English, Hương in Vietnamese; officer side: the manager in Vietnamese. Each once, each with the contract.
  expect(signed.map((m) => [addresses(m)[0], m.subject?.includes('Task contract signed') ? 'en' : 'vi']).sort()).toEqual(
    [[duc.email, 'en'], [huong.email, 'vi'], [manager.email, 'vi']].sort(),
  );
  for (const m of signed) expect(m.attachments.map((a) => a.filename)).toEqual([`hop-dong-${taskId}.pdf`]);
  const contractPdf = Buffer.from(await (await stack.call('GET', contract.url, { as: 'manager' })).arrayBuffer());
  for (const m of signed) expect(m.attachments[0]!.content.equals(contractPdf)).toBe(true);
  const contractText = normalise(pdfText(contractPdf));
  expect(contractText).toContain(`Số: 01/${year}/HĐ-SKHCN`);
  expect(contractText).toContain(`Đại diện: ${manager.name}, Giám đốc`);
  expect(contractText).toContain(`Đại diện: ${duc.name}, Thủ trưởng tổ chức chủ trì`);
  expect(contractText).toContain(`từ ngày ${formatDateVi(t.contract.startOn)} đến ngày ${formatDateVi(t.contract.endOn)}`);
  expect(contractText).toContain(`Mã trạng thái (state hash): ${contract.stateHash}`);

  // Everything the outage held arrived, and nothing twice: one message per Message-ID, one delivery per key.
  await stack.smtp.waitFor((all) => all.some((m) => m.subject?.includes('Hợp đồng chờ ký') || m.subject?.includes('Contract awaiting your signature')), 60_000);
  await new Promise((r) => setTimeout(r, 1500));
  const ids = stack.smtp.messages.map((m) => m.messageId);
  expect(new Set(ids).size).toBe(ids.length);
  const failed = await stack.store.EmailDelivery.find({ status: { $ne: 'sent' } }).lean();
  expect(failed).toEqual([]);
  const perRecipientSubject = stack.smtp.messages.map((m) => `${addresses(m).join(',')}|${m.subject}`);
  expect(new Set(perRecipientSubject).size).toBe(perRecipientSubject.length);
}, 180_000);
