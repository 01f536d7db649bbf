/**
 * Councils through the API on the real stack: a manager forms the
 * identification council, members declare and vote with their own tokens, the
 * result moves the task; a non-member gets 404; and a secret ballot never shows
 * per member in any read endpoint, email or read model.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Caller } from '../../api/auth';
import { waitUntil } from '../support/services';
import { sampleProposal, startStack, type Stack } from '../support/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

const ROLES = ['chair', 'vice_chair', 'reviewer', 'reviewer', 'member', 'member', 'member'] as const;
const NAMES = ['Phạm Thị Ngọc Ánh', 'Đặng Quốc Việt', 'Lý Thị Thu Hà', 'Hồ Văn Lực', 'Trương Mỹ Linh', 'Bùi Đức Thịnh', 'Vũ Hoàng Yến'];
const members = ROLES.map((role, i) => ({ memberId: `cm-${i + 1}`, name: NAMES[i]!, email: `cm${i + 1}@hoidong.example.vn`, role }));
const memberCaller = (i: number): Caller => ({ userId: `cm-${i + 1}`, role: 'council_member', name: NAMES[i]!, email: `cm${i + 1}@hoidong.example.vn`, orgId: 'org-hoi-dong', departmentId: stack.config.DEPARTMENT_ID, locale: 'vi' });

test('an identification council by secret ballot, through the API, with no ballot ever shown per member', async () => {
  const res = await stack.call('POST', '/api/v1/proposals', { body: sampleProposal() });
  const { taskId } = (await res.json()) as { taskId: string };
  await waitUntil('intake', async () => ((await stack.store.Task.findById(taskId).lean())?.documents.length ?? 0) === 1);
  await stack.call('POST', `/api/v1/tasks/${taskId}/start-identification-review`, { as: 'manager' });

  const today = new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);
  const formed = await stack.call('POST', `/api/v1/tasks/${taskId}/form-council`, {
    as: 'manager',
    body: { kind: 'C-ID', members, meetingOn: today, votingDeadline: new Date(Date.now() + 3 * 86_400_000).toISOString(), ballot: 'secret' },
  });
  expect(formed.status).toBe(200);
  const councilId = `council-${taskId}-C-ID-1`;
  await waitUntil('council read model', async () => (await stack.store.Council.countDocuments({ _id: councilId })) === 1);

  // Members were invited by email, each once, with the decision forming the council (§7).
  await stack.smtp.waitFor(() => members.every((x) => stack.smtp.to(x.email).length === 1));
  for (const x of members) expect(stack.smtp.to(x.email)[0]!.attachments.map((a) => a.filename)).toEqual([`quyet-dinh-thanh-lap-hoi-dong-${taskId}-${councilId}.pdf`]);

  // Who sees it: its members (and "my councils"), the Department's manager; not another member, not a researcher.
  const mine: any = await (await stack.call('GET', '/api/v1/councils/mine', { as: memberCaller(0) })).json();
  expect(mine.items.map((c: { councilId: string }) => c.councilId)).toEqual([councilId]);
  expect((await stack.call('GET', `/api/v1/councils/${councilId}`, { as: 'councilMember' })).status).toBe(404);
  expect((await stack.call('GET', `/api/v1/councils/${councilId}`, { as: 'researcher' })).status).toBe(404);
  expect((await stack.call('GET', `/api/v1/councils/${councilId}`, { as: 'manager' })).status).toBe(200);

  // Declarations, attendance, then the votes: 6 yes, 1 no.
  for (let i = 0; i < 7; i++) {
    const d = await stack.call('POST', `/api/v1/councils/${councilId}/conflict-declarations`, { as: memberCaller(i), body: { conflicted: false } });
    expect(d.status).toBe(200);
  }
  const att = await stack.call('POST', `/api/v1/councils/${councilId}/attendance`, { as: 'manager', body: { present: members.map((m) => m.memberId) } });
  expect(((await att.json()) as any).status).toBe('VOTING');
  // A non-member cannot vote (404: the council is not revealed); a malformed ballot is a 400.
  expect((await stack.call('POST', `/api/v1/councils/${councilId}/votes`, { as: 'councilMember', body: { ballot: { kind: 'C-ID', yes: true } } })).status).toBe(404);
  expect((await stack.call('POST', `/api/v1/councils/${councilId}/votes`, { as: memberCaller(0), body: { ballot: { kind: 'C-ID', yes: 'có' } } })).status).toBe(400);

  const receipt = await stack.call('POST', `/api/v1/councils/${councilId}/votes`, { as: memberCaller(0), body: { ballot: { kind: 'C-ID', yes: true } } });
  expect(receipt.status).toBe(201);
  const r: any = await receipt.json();
  expect(r).toMatchObject({ councilId, memberId: 'cm-1', repeated: false });
  expect(JSON.stringify(r)).not.toContain('"yes"');
  // A changed vote is refused with the rule; the same one again is the same receipt.
  const changed = await stack.call('POST', `/api/v1/councils/${councilId}/votes`, { as: memberCaller(0), body: { ballot: { kind: 'C-ID', yes: false } } });
  expect(changed.status).toBe(409);
  expect(((await changed.json()) as any).code).toBe('ALREADY_VOTED');
  const same = await stack.call('POST', `/api/v1/councils/${councilId}/votes`, { as: memberCaller(0), body: { ballot: { kind: 'C-ID', yes: true } } });
  expect(same.status).toBe(200);
  expect(((await same.json()) as any).recordedAt).toBe(r.recordedAt);

  await Promise.all(
    [1, 2, 3, 4, 5, 6].map((i) =>
      stack.call('POST', `/api/v1/councils/${councilId}/votes`, { as: memberCaller(i), body: { ballot: { kind: 'C-ID', yes: i !== 6 } } }),
    ),
  );

  // The sitting decides and the task records it: 6/7 ≥ 2/3.
  await waitUntil('council result on the task', async () => ((await stack.store.Task.findById(taskId).lean())?.councils.length ?? 0) === 1, 30_000);
  const task: any = await (await stack.call('GET', `/api/v1/tasks/${taskId}`, { as: 'manager' })).json();
  expect(task.councils).toEqual([expect.objectContaining({ council: 'C-ID', outcome: 'RECOMMENDED' })]);
  await waitUntil('council decided', async () => (await stack.store.Council.findById(councilId).lean())?.status === 'DECIDED');
  const council: any = await (await stack.call('GET', `/api/v1/councils/${councilId}`, { as: memberCaller(2) })).json();
  expect(council.result).toMatchObject({ outcome: 'RECOMMENDED', figures: { yes: 6, no: 1, present: 7 } });
  expect(council.you).toMatchObject({ memberId: 'cm-3', voted: true });

  // Secrecy (C-4): no read endpoint, read model or email shows who voted how.
  // (a ballot is an object under "ballot", or a member's yes: true/false; counts like "yes": 6 are fine)
  const ballotPattern = /"ballot"\s*:\s*\{|"yes"\s*:\s*(true|false)|"openBallots"/;
  const reads = [
    await (await stack.call('GET', `/api/v1/councils/${councilId}`, { as: 'manager' })).text(),
    await (await stack.call('GET', `/api/v1/councils/${councilId}`, { as: memberCaller(6) })).text(),
    await (await stack.call('GET', '/api/v1/councils/mine', { as: memberCaller(6) })).text(),
    await (await stack.call('GET', `/api/v1/tasks/${taskId}`, { as: 'manager' })).text(),
    await (await stack.call('GET', `/api/v1/tasks/${taskId}`, { as: 'researcher' })).text(),
    JSON.stringify(await stack.store.Council.findById(councilId).lean()),
    JSON.stringify(await stack.store.Task.findById(taskId).lean()),
  ];
  for (const body of reads) expect(body).not.toMatch(ballotPattern);
  await stack.smtp.waitFor((m) => m.some((x) => x.subject?.includes('Kết quả Hội đồng tư vấn xác định nhiệm vụ')));
  for (const m of stack.smtp.messages) {
    for (const name of NAMES) expect(`${m.text}`).not.toMatch(new RegExp(`${name}[^\\n]*(đồng ý|không đồng ý|yes|no)\\b`, 'i'));
  }
  // §7: the vote-counting record and the minutes are the task's documents, rendered from the decided sitting.
  // (The decision forming the council is the task's too, issued when it was formed.)
  await waitUntil('council documents', async () => ((await stack.store.Task.findById(taskId).lean())?.documents.length ?? 0) === 4);
  const withDocs: any = await (await stack.call('GET', `/api/v1/tasks/${taskId}`, { as: 'manager' })).json();
  expect(withDocs.documents.map((d: { kind: string }) => d.kind)).toEqual(['proposal_form', 'council_formation_decision', 'vote_counting_record', 'council_minutes']);
  const minutes = withDocs.documents[3];
  const minutesPdf = Buffer.from(await (await stack.call('GET', minutes.url, { as: 'manager' })).arrayBuffer());
  const dir = mkdtempSync(join(tmpdir(), 'khcn-minutes-'));
  writeFileSync(join(dir, 'm.pdf'), minutesPdf);
  const text = execFileSync('pdftotext', ['-layout', join(dir, 'm.pdf'), '-'], { encoding: 'utf8' });
  expect(text).toContain('BIÊN BẢN HỌP HỘI ĐỒNG');
  for (const name of NAMES) expect(text).toContain(name);
  expect(text).toContain(minutes.stateHash);
  for (const name of NAMES) expect(text).not.toMatch(new RegExp(`${name}[^\n]*(Đồng ý|Không đồng ý)`));
  // The members' result email carries the minutes.
  const resultMail = stack.smtp.messages.find((m) => m.subject?.includes('Kết quả Hội đồng tư vấn xác định nhiệm vụ'))!;
  expect(resultMail.attachments.map((a) => a.filename)).toEqual([`bien-ban-hop-hoi-dong-${councilId}.pdf`]);
  // Issue 12: each member is greeted by name, and the outcome reads in Vietnamese, never as its code.
  expect(NAMES.some((name) => resultMail.text?.startsWith(`Kính gửi Ông/Bà ${name},`))).toBe(true);
  // (Links keep their own paths.)
  for (const m of stack.smtp.messages) expect(`${m.subject} ${m.text}`.replace(/https?:\/\/\S+/g, '')).not.toMatch(/RECOMMENDED|C-ID|\(C-\d\)/);

  // C-9: the inputs are kept (for recount), in a store no endpoint serves.
  const stored: any = await stack.store.CouncilResult.findById(councilId).lean();
  expect(stored.ballots).toHaveLength(7);

  // After the decision, nothing more is accepted.
  const late = await stack.call('POST', `/api/v1/councils/${councilId}/votes`, { as: memberCaller(6), body: { ballot: { kind: 'C-ID', yes: true } } });
  expect(late.status).toBe(409);
}, 120_000);

test('issue 13 through the API: no route types an outcome; a paper sitting\'s ballots decide; refusals are problem+json naming the field or the rule, in both languages', async () => {
  const res = await stack.call('POST', '/api/v1/proposals', { body: sampleProposal({ title: 'Đánh giá chất lượng nước sông Sài Gòn đoạn qua Tây Ninh' }) });
  const { taskId } = (await res.json()) as { taskId: string };
  await waitUntil('intake', async () => ((await stack.store.Task.findById(taskId).lean())?.documents.length ?? 0) === 1);
  await stack.call('POST', `/api/v1/tasks/${taskId}/start-identification-review`, { as: 'manager' });
  // C-9: the free entries of an outcome are gone.
  for (const path of ['record-identification-result', 'record-selection-result', 'record-acceptance-result']) {
    expect((await stack.call('POST', `/api/v1/tasks/${taskId}/${path}`, { as: 'manager', body: { members: 9, present: 9, yes: 9 } })).status).toBe(404);
  }

  const today = new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);
  const body = { kind: 'C-ID', members, meetingOn: today, votingDeadline: new Date(Date.now() + 3 * 86_400_000).toISOString(), ballot: 'secret', voting: 'paper' };
  // A score sheet that does not total 100: 422 naming the field, in the caller's language.
  const bad = await stack.call('POST', `/api/v1/tasks/${taskId}/form-council`, { as: 'manager', headers: { 'accept-language': 'en' }, body: { ...body, criteria: [{ id: 'content', max: 60 }, { id: 'budget', max: 30 }] } });
  expect(bad.status).toBe(422);
  expect(bad.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(((await bad.json()) as any).errors).toEqual([expect.objectContaining({ field: 'criteria', reason: 'The criteria\'s maxima must add up to 100 (they add up to 90).' })]);
  const badVi: any = await (await stack.call('POST', `/api/v1/tasks/${taskId}/form-council`, { as: 'manager', body: { ...body, criteria: [{ id: 'content', max: 60 }, { id: 'budget', max: 30 }] } })).json();
  expect(badVi.errors[0].reason).toBe('Tổng điểm tối đa của các tiêu chí phải bằng 100 (đang là 90).');
  // A criterion named twice: 422 naming the field and the criterion.
  const twice: any = await (await stack.call('POST', `/api/v1/tasks/${taskId}/form-council`, { as: 'manager', body: { ...body, criteria: [{ id: 'content', max: 50 }, { id: 'content', max: 50 }] } })).json();
  expect(twice).toMatchObject({ status: 422, errors: [{ field: 'criteria', code: 'repeated', reason: 'Mỗi tiêu chí chỉ được nêu một lần (lặp lại: content).' }] });
  // C-1: a council without reviewers: 422 naming the rule.
  const noReviewers = await stack.call('POST', `/api/v1/tasks/${taskId}/form-council`, { as: 'manager', body: { ...body, members: members.map((m) => (m.role === 'reviewer' ? { ...m, role: 'member' } : m)) } });
  expect(noReviewers.status).toBe(422);
  expect(await noReviewers.json()).toMatchObject({ rule: 'C-1', code: 'REVIEWER_COUNT' });

  expect((await stack.call('POST', `/api/v1/tasks/${taskId}/form-council`, { as: 'manager', body })).status).toBe(200);
  const councilId = `council-${taskId}-C-ID-1`;
  await waitUntil('council read model', async () => (await stack.store.Council.countDocuments({ _id: councilId })) === 1);
  expect(((await (await stack.call('GET', `/api/v1/councils/${councilId}`, { as: 'manager' })).json()) as any).voting).toBe('paper');
  for (const m of members) await stack.call('POST', `/api/v1/councils/${councilId}/conflict-declarations`, { as: 'manager', body: { memberId: m.memberId, conflicted: false } });
  await stack.call('POST', `/api/v1/councils/${councilId}/attendance`, { as: 'manager', body: { present: members.map((m) => m.memberId) } });
  // A member cannot vote online in a paper sitting (422 naming the rule).
  const online = await stack.call('POST', `/api/v1/councils/${councilId}/votes`, { as: memberCaller(0), body: { ballot: { kind: 'C-ID', yes: true } } });
  expect(online.status).toBe(422);
  expect(await online.json()).toMatchObject({ rule: 'C-4' });
  // A malformed paper ballot: 400 naming the field.
  const malformed = await stack.call('POST', `/api/v1/councils/${councilId}/paper-ballots`, { as: 'manager', body: { ballots: [{ memberId: 'cm-1', ballot: { kind: 'C-ID' } }] } });
  expect(malformed.status).toBe(400);
  expect(((await malformed.json()) as any).errors).toEqual([expect.objectContaining({ field: 'ballots.0.ballot.yes' })]);
  // The secretary enters the ballots: 5 yes, 2 no → 5/7 ≥ 2/3, recommended by the tally.
  const entered = await stack.call('POST', `/api/v1/councils/${councilId}/paper-ballots`, {
    as: 'manager',
    body: { ballots: members.map((m, i) => ({ memberId: m.memberId, ballot: { kind: 'C-ID', yes: i < 5 } })) },
  });
  expect(entered.status).toBe(200);
  // The answer comes once the task has the result: the next command is not premature.
  const approved = await stack.call('POST', `/api/v1/tasks/${taskId}/approve-order-list`, { as: 'manager' });
  expect(approved.status).toBe(200);
  expect(((await approved.json()) as any).councils).toEqual([expect.objectContaining({ council: 'C-ID', outcome: 'RECOMMENDED' })]);
  const decided: any = await (await stack.call('GET', `/api/v1/councils/${councilId}`, { as: 'manager' })).json();
  expect(decided.result).toMatchObject({ outcome: 'RECOMMENDED', figures: { yes: 5, present: 7 } });
  // Audited as entered ballots, never how each member voted.
  await waitUntil('audited', async () => (await stack.store.AuditLog.countDocuments({ councilId, action: 'enterPaperBallot' })) === 7);
  const entries = await stack.store.AuditLog.find({ councilId, action: 'enterPaperBallot' }).lean();
  expect(JSON.stringify(entries)).not.toMatch(/"yes"/);
});

test('issue 12 through the API: a member\'s academic title and workplace travel with the seat to the council\'s view and the decision forming it; an over-long one is a 400 naming the field', async () => {
  const res = await stack.call('POST', '/api/v1/proposals', { body: sampleProposal({ title: 'Chọn tạo giống mãng cầu ta năng suất cao cho vùng Bà Đen' }) });
  const { taskId } = (await res.json()) as { taskId: string };
  await waitUntil('intake', async () => ((await stack.store.Task.findById(taskId).lean())?.documents.length ?? 0) === 1);
  await stack.call('POST', `/api/v1/tasks/${taskId}/start-identification-review`, { as: 'manager' });

  const today = new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);
  const seats = members.map((m, i) =>
    i === 0 ? { ...m, title: 'PGS.TS.', workplace: 'Viện Lúa đồng bằng sông Cửu Long' } : i === 1 ? { ...m, title: 'TS.' } : i === 2 ? { ...m, workplace: 'Trường Đại học Cần Thơ' } : m,
  );
  const body = { kind: 'C-ID', members: seats, meetingOn: today, votingDeadline: new Date(Date.now() + 3 * 86_400_000).toISOString(), ballot: 'secret' };
  // A title over 50 characters, a workplace over 500: 400 naming each field; nothing is formed.
  const longTitle = await stack.call('POST', `/api/v1/tasks/${taskId}/form-council`, {
    as: 'manager',
    body: { ...body, members: seats.map((m, i) => (i === 1 ? { ...m, title: 'Giáo sư, Tiến sĩ khoa học, Nhà giáo nhân dân, Viện sĩ' } : m)) },
  });
  expect(longTitle.status).toBe(400);
  expect(longTitle.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(((await longTitle.json()) as any).errors).toEqual([expect.objectContaining({ field: 'members.1.title' })]);
  const longWorkplace = await stack.call('POST', `/api/v1/tasks/${taskId}/form-council`, {
    as: 'manager',
    body: { ...body, members: seats.map((m, i) => (i === 2 ? { ...m, workplace: 'Viện '.repeat(101) } : m)) },
  });
  expect(longWorkplace.status).toBe(400);
  expect(((await longWorkplace.json()) as any).errors).toEqual([expect.objectContaining({ field: 'members.2.workplace' })]);
  // An unknown field on a seat is still refused (the seat stays strict).
  const unknown = await stack.call('POST', `/api/v1/tasks/${taskId}/form-council`, { as: 'manager', body: { ...body, members: seats.map((m, i) => (i === 0 ? { ...m, degree: 'TS' } : m)) } });
  expect(unknown.status).toBe(400);

  expect((await stack.call('POST', `/api/v1/tasks/${taskId}/form-council`, { as: 'manager', body })).status).toBe(200);
  const councilId = `council-${taskId}-C-ID-1`;
  await waitUntil('council read model', async () => (await stack.store.Council.countDocuments({ _id: councilId })) === 1);
  const view: any = await (await stack.call('GET', `/api/v1/councils/${councilId}`, { as: 'manager' })).json();
  expect(view.members.slice(0, 4)).toEqual([
    expect.objectContaining({ memberId: 'cm-1', title: 'PGS.TS.', workplace: 'Viện Lúa đồng bằng sông Cửu Long' }),
    expect.objectContaining({ memberId: 'cm-2', title: 'TS.' }),
    expect.objectContaining({ memberId: 'cm-3', workplace: 'Trường Đại học Cần Thơ' }),
    expect.not.objectContaining({ title: expect.anything() }),
  ]);
  // The decision forming the council, attached to the members' invitations, prints them (§7).
  // (The members sit on the other tests' councils too: this council's invitation is the one carrying its decision.)
  const decisionOf = () => stack.smtp.to(members[0]!.email).flatMap((m) => m.attachments).find((a) => a.filename === `quyet-dinh-thanh-lap-hoi-dong-${taskId}-${councilId}.pdf`);
  await stack.smtp.waitFor(() => decisionOf() !== undefined);
  const decision = decisionOf()!;
  const dir = mkdtempSync(join(tmpdir(), 'khcn-formation-'));
  writeFileSync(join(dir, 'd.pdf'), decision.content);
  const text = execFileSync('pdftotext', ['-layout', join(dir, 'd.pdf'), '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
  expect(text).toContain('Học hàm, học vị, họ và tên');
  expect(text).toContain('Cơ quan công tác');
  expect(text).toContain('PGS.TS. Phạm Thị Ngọc Ánh');
  expect(text).toContain('TS. Đặng Quốc Việt');
  expect(text).toContain('Trường Đại học Cần Thơ');
}, 120_000);
