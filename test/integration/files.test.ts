/**
 * Files (issue 10) on the real stack (FerretDB with GridFS, Temporal, the worker,
 * the API): uploads checked by content, refusals that name the file and leave
 * nothing behind, attachments carried by commands into the task's timeline and
 * files, downloads for those who may see them (C-6 for council members), audited.
 */
import { request } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Caller } from '../../api/auth';
import { sweepUploads } from '../../api/attachments';
import { addDays } from '../../workflows/rules/calendar';
import { filedTask, MEMBER_NAMES, orderListedTask } from '../support/fixtures';
import { docxFile, exeFile, jpegFile, multipart, odtFile, pdfFile, pngFile, sha256, streamedMultipart, xlsxFile, zipFile, type Part } from '../support/files';
import { waitUntil } from '../support/services';
import { sampleProposal, startStack, type Stack, type Who } from '../support/stack';

let stack: Stack;
const SMALL_LIMIT = 256 * 1024;
beforeAll(async () => {
  // A small limit per file and per request, so that "too large" and "too many" are cheap to reach.
  stack = await startStack({ env: { UPLOAD_MAX_FILE_BYTES: String(SMALL_LIMIT), UPLOAD_MAX_FILES: '8' } });
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

type Item = { uploadId: string; filename: string; size: number; sha256: string; contentType: string; uploadedAt: string };

async function upload(parts: Part[], as: Who | Caller = 'researcher', opts: { base?: string; lang?: string } = {}): Promise<Response> {
  const { body, contentType } = multipart(parts);
  const token = typeof as === 'object' ? await stack.tokenFor(as) : await stack.token(as);
  return fetch(`${opts.base ?? stack.baseUrl}/api/v1/uploads`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': contentType, ...(opts.lang ? { 'accept-language': opts.lang } : {}) },
    body,
  });
}

async function staged(parts: Part[], as: Who | Caller = 'researcher'): Promise<Item[]> {
  const res = await upload(parts, as);
  const body: any = await res.json();
  if (res.status !== 201) throw new Error(`upload: ${res.status} ${JSON.stringify(body)}`);
  return body.items;
}

const gridfs = () => stack.store.uploads.counts();
const bytesOf = async (res: Response) => Buffer.from(await res.arrayBuffer());
const today = () => new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);

test('a 20 MB file is streamed to GridFS, not held in memory', async () => {
  // The upload route alone in a process of its own (test/support/upload-memory-probe.ts), on this
  // stack's store with the default 25 MB limit: this process's worker and client stay out of the figure.
  const probe = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', join(__dirname, '..', 'support', 'upload-memory-probe.ts')], {
    cwd: join(__dirname, '..', '..'),
    env: { ...stack.env(), UPLOAD_MAX_FILE_BYTES: String(25 * 1024 * 1024) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const [line] = (await once(createInterface({ input: probe.stdout! }), 'line')) as [string];
    const base = `http://127.0.0.1:${(JSON.parse(line) as { port: number }).port}`;
    const size = 20 * 1024 * 1024;
    const body = streamedMultipart('Số liệu đo đạc.pdf', size);
    // node:http with a pipeline, which honours backpressure: the probe reads as this side sends.
    const { status, text } = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(`${base}/api/v1/uploads`, { method: 'POST', headers: { 'content-type': body.contentType } }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      });
      pipeline(body.stream, req).catch(reject);
    });
    const out: any = JSON.parse(text);
    expect(status).toBe(201);
    expect(out.items[0]).toMatchObject({ size, sha256: body.digest(), contentType: 'application/pdf', filename: 'Số liệu đo đạc.pdf' });
    const chunks = await stack.store.connection.db!.collection('uploads.chunks').countDocuments({ files_id: out.items[0].uploadId });
    expect(chunks).toBe(Math.ceil(size / (255 * 1024)));
    const m = (await (await fetch(`${base}/memory`)).json()) as { base: number; peak: number; samples: number; growths: number[] };
    const growth = m.peak - m.base;
    const median = [...m.growths].sort((x, y) => x - y)[Math.floor(m.growths.length / 2)]!;
    const mb = (n: number) => `${(n / 1024 ** 2).toFixed(1)} MB`;
    console.log(`upload of ${size / 1024 ** 2} MB: the API process's live heap + buffers over ${m.samples} samples (one per 2 MB received and one at the end, each after a full GC): median ${mb(median)}, peak ${mb(growth)} above the start`);
    expect(m.samples).toBe(11);
    // Holding the file whole would keep all 20 MB alive by the end (and half of it at the median sample);
    // streaming keeps a few chunks and the 1 MB tail. What the driver and sockets hold while the store is
    // slow (a loaded machine) shows as higher samples: measured 1.7 MB median alone, 9.6 MB beside a browser test.
    expect(median).toBeLessThan(size / 2);
    expect(growth).toBeLessThan(size * 0.75);
  } finally {
    probe.kill('SIGTERM');
    await once(probe, 'exit');
  }
}, 120_000);

test('each accepted type is stored and detected by its content, whatever its name says', async () => {
  const files: [Part, string][] = [
    [{ filename: 'Báo cáo tổng hợp.pdf', content: await pdfFile() }, 'application/pdf'],
    [{ filename: 'Dự toán kinh phí.xlsx', content: await xlsxFile() }, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
    // A DOCX sent as "bin" and claimed to be text: the content decides, and the name gets the right extension.
    [{ filename: 'Thuyết minh.bin', content: docxFile(), contentType: 'text/plain' }, 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
    [{ filename: 'Ý kiến giải trình.odt', content: odtFile() }, 'application/vnd.oasis.opendocument.text'],
    [{ filename: 'so-lieu.zip', content: zipFile() }, 'application/zip'],
    [{ filename: 'ảnh hiện trường.png', content: pngFile() }, 'image/png'],
    [{ filename: 'chân dung.jpg', content: jpegFile() }, 'image/jpeg'],
  ];
  const items = await staged(files.map(([p]) => p));
  expect(items.map((i) => i.contentType)).toEqual(files.map(([, t]) => t));
  expect(items.map((i) => i.filename)).toEqual(['Báo cáo tổng hợp.pdf', 'Dự toán kinh phí.xlsx', 'Thuyết minh.bin.docx', 'Ý kiến giải trình.odt', 'so-lieu.zip', 'ảnh hiện trường.png', 'chân dung.jpg']);
  items.forEach((item, i) => {
    expect(item.uploadId).toMatch(/^f-[0-9a-f]{24}$/);
    expect(item.size).toBe(files[i]![0].content.length);
    expect(item.sha256).toBe(sha256(files[i]![0].content));
    expect(item.filename).toBe(item.filename.normalize('NFC'));
  });
  // Staged in GridFS, the uploader's, with what was computed while streaming.
  const doc = await stack.store.uploads.findOne(items[0]!.uploadId);
  expect(doc).toMatchObject({ length: items[0]!.size, filename: 'Báo cáo tổng hợp.pdf', metadata: { status: 'staged', sha256: items[0]!.sha256, contentType: 'application/pdf', uploadedBy: { userId: stack.users.researcher.userId } } });
});

describe('refusals name the file and the reason, and leave nothing behind', () => {
  test('a renamed program or text file given a .pdf name: 415, the whole request refused', async () => {
    const before = await gridfs();
    const res = await upload([
      { filename: 'hop-le.pdf', content: await pdfFile() },
      { filename: 'bao-cao.pdf', content: exeFile() },
      { filename: 'ghi-chu.pdf', content: Buffer.from('Đây chỉ là văn bản thuần, không phải PDF.\n'.repeat(200)) },
    ]);
    expect(res.status).toBe(415);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const p: any = await res.json();
    expect(p.type).toBe('urn:khcn-flow:problem:file-type-not-allowed');
    expect(p.errors).toEqual([
      { field: 'file[1]', code: 'file-type-not-allowed', reason: expect.stringMatching(/^Tệp «bao-cao\.pdf»: nội dung là chương trình Windows/) },
      { field: 'file[2]', code: 'file-type-not-allowed', reason: expect.stringMatching(/^Tệp «ghi-chu\.pdf»: nội dung là văn bản thuần/) },
    ]);
    expect(await gridfs()).toEqual(before);
    // In English too.
    const en: any = await (await upload([{ filename: 'setup.pdf', content: exeFile() }], 'researcher', { lang: 'en' })).json();
    expect(en.errors[0].reason).toBe('File "setup.pdf": its content is a Windows program (EXE/DLL); only PDF, DOCX, XLSX, ODT, PNG, JPEG and ZIP are accepted (and CSV sheets in UTF-8, named .csv).');
  });

  test('an empty file: 400; a file over the limit: 413; too many files: 413', async () => {
    const before = await gridfs();
    const empty = await upload([{ filename: 'trong.pdf', content: Buffer.alloc(0) }]);
    expect(empty.status).toBe(400);
    expect(await empty.json()).toMatchObject({ type: 'urn:khcn-flow:problem:file-empty', errors: [{ field: 'file[0]', code: 'file-empty', reason: 'Tệp «trong.pdf»: tệp rỗng (0 byte).' }] });

    const big = Buffer.concat([await pdfFile(), Buffer.alloc(SMALL_LIMIT)]);
    const tooLarge = await upload([{ filename: 'ok.png', content: pngFile() }, { filename: 'Báo cáo quá lớn.pdf', content: big }]);
    expect(tooLarge.status).toBe(413);
    expect(await tooLarge.json()).toMatchObject({ type: 'urn:khcn-flow:problem:file-too-large', errors: [{ field: 'file[1]', code: 'file-too-large', reason: 'Tệp «Báo cáo quá lớn.pdf»: tệp lớn hơn giới hạn 256 KB.' }] });

    // A body longer than every file allowed could be: not read to its end.
    const endless = await upload([{ filename: 'vo-tan.pdf', content: Buffer.concat([await pdfFile(), Buffer.alloc(8 * (SMALL_LIMIT + 64 * 1024) + 128 * 1024)]) }]).catch((err: Error) => err);
    if (endless instanceof Response) {
      expect(endless.status).toBe(413);
      expect(((await endless.json()) as any).type).toBe('urn:khcn-flow:problem:request-too-large');
    } // else: the connection was closed while the client was still sending, which is the point

        const many = await upload(Array.from({ length: 9 }, (_, i) => ({ filename: `anh-${i}.png`, content: pngFile() })));
    expect(many.status).toBe(413);
    expect(await many.json()).toMatchObject({ type: 'urn:khcn-flow:problem:too-many-files', errors: [{ field: 'file', code: 'too-many-files' }] });
    expect(await gridfs()).toEqual(before);
  });

  test('malformed multipart, no file part, another part, not multipart: 400 / 415', async () => {
    const before = await gridfs();
    const token = await stack.token('researcher');
    const post = (body: Buffer | string, contentType: string) => fetch(`${stack.baseUrl}/api/v1/uploads`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': contentType }, body });
    // Cut off in the middle of a file: no closing boundary.
    const { body, contentType } = multipart([{ filename: 'bi-cat.pdf', content: Buffer.concat([await pdfFile(), Buffer.alloc(8192)]) }]);
    const cut = await post(body.subarray(0, body.length - 3000), contentType);
    expect(cut.status).toBe(400);
    expect(await cut.json()).toMatchObject({ type: 'urn:khcn-flow:problem:malformed-multipart', errors: [{ field: 'file', code: 'malformed-multipart' }] });
    const noBoundary = await post('xyz', 'multipart/form-data');
    expect(noBoundary.status).toBe(400);
    expect(((await noBoundary.json()) as any).type).toBe('urn:khcn-flow:problem:malformed-multipart');
    const none = multipart([]);
    const noFile = await post(none.body, none.contentType);
    expect(noFile.status).toBe(400);
    expect(((await noFile.json()) as any).type).toBe('urn:khcn-flow:problem:no-file');
    const other = multipart([{ name: 'tai-lieu', filename: 'a.pdf', content: await pdfFile() }]);
    const wrongName = await post(other.body, other.contentType);
    expect(wrongName.status).toBe(400);
    expect(await wrongName.json()).toMatchObject({ type: 'urn:khcn-flow:problem:unexpected-part', errors: [{ field: 'tai-lieu' }] });
    const json = await post('{"file":"x"}', 'application/json');
    expect(json.status).toBe(415);
    expect(await gridfs()).toEqual(before);
  });
});

test('a proposal filed with two attachments: in the task view and timeline, downloaded byte-identical, audited', async () => {
  const pdf = await pdfFile('Thuyết minh đề xuất đặt hàng');
  const xlsx = await xlsxFile();
  const [a, b] = await staged([{ filename: 'Thuyết minh đề xuất.pdf', content: pdf }, { filename: 'Dự toán.xlsx', content: xlsx }]);
  const res = await stack.call('POST', '/api/v1/proposals', { body: sampleProposal({ attachments: [a!.uploadId, b!.uploadId] }) });
  expect(res.status).toBe(201);
  const { taskId } = (await res.json()) as { taskId: string };
  await waitUntil('intake', async () => ((await stack.store.Task.findById(taskId).lean())?.documents.length ?? 0) === 1);

  const task: any = await (await stack.call('GET', `/api/v1/tasks/${taskId}`)).json();
  const researcher = stack.users.researcher;
  expect(task.files).toEqual([
    { fileId: a!.uploadId, filename: 'Thuyết minh đề xuất.pdf', size: pdf.length, sha256: sha256(pdf), contentType: 'application/pdf', uploadedBy: { userId: researcher.userId, name: researcher.name }, uploadedAt: task.submittedAt, command: 'fileProposal', url: `/api/v1/tasks/${taskId}/files/${a!.uploadId}` },
    { fileId: b!.uploadId, filename: 'Dự toán.xlsx', size: xlsx.length, sha256: sha256(xlsx), contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', uploadedBy: { userId: researcher.userId, name: researcher.name }, uploadedAt: task.submittedAt, command: 'fileProposal', url: `/api/v1/tasks/${taskId}/files/${b!.uploadId}` },
  ]);
  expect(task.timeline[0]).toMatchObject({ action: 'fileProposal', attachments: [{ fileId: a!.uploadId, filename: 'Thuyết minh đề xuất.pdf' }, { fileId: b!.uploadId, filename: 'Dự toán.xlsx' }] });
  expect(task.proposal).not.toHaveProperty('attachments');
  expect((await stack.store.uploads.findOne(a!.uploadId))?.metadata).toMatchObject({ status: 'attached', taskId, command: 'fileProposal' });

  for (const [f, content] of [[a!, pdf], [b!, xlsx]] as const) {
    for (const who of ['researcher', 'manager'] as const) {
      const dl = await stack.call('GET', `/api/v1/tasks/${taskId}/files/${f.uploadId}`, { as: who });
      expect(dl.status).toBe(200);
      expect(dl.headers.get('content-type')).toBe(f.contentType);
      expect(dl.headers.get('x-content-sha256')).toBe(sha256(content));
      expect(dl.headers.get('x-content-type-options')).toBe('nosniff');
      expect(dl.headers.get('content-disposition')).toBe(`attachment; filename="${f.filename.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D')}"; filename*=UTF-8''${encodeURIComponent(f.filename)}`);
      const got = await bytesOf(dl);
      expect(got.equals(content)).toBe(true);
      expect(sha256(got)).toBe(f.sha256);
    }
  }
  // Another organisation's researcher, a council member and another Department: not found.
  expect((await stack.call('GET', `/api/v1/tasks/${taskId}/files/${a!.uploadId}`, { as: 'otherResearcher' })).status).toBe(404);
  expect((await stack.call('GET', `/api/v1/tasks/${taskId}/files/${a!.uploadId}`, { as: 'councilMember' })).status).toBe(404);
  const otherDept: Caller = { userId: 'u-manager-long-an', role: 'manager', name: 'Võ Minh Tâm', email: 'tam.vm@skhcn-long-an.example.vn', orgId: 'org-skhcn-long-an', departmentId: 'skhcn-long-an', locale: 'vi' };
  expect((await stack.call('GET', `/api/v1/tasks/${taskId}/files/${a!.uploadId}`, { as: otherDept })).status).toBe(404);
  // A file of another task, asked for under this one: not found.
  const [stray] = await staged([{ filename: 'khac.png', content: pngFile() }]);
  expect((await stack.call('GET', `/api/v1/tasks/${taskId}/files/${stray!.uploadId}`, { as: 'researcher' })).status).toBe(404);

  // Every download is in the audit log: who, which file, never its content.
  const log: any = await (await stack.call('GET', `/api/v1/audit-log?kind=file&taskId=${taskId}&limit=100`, { as: 'admin' })).json();
  expect(log.items).toHaveLength(4);
  for (const e of log.items) {
    expect(e).toMatchObject({ kind: 'file', action: 'downloadTaskFile', taskId });
    expect([a!.uploadId, b!.uploadId]).toContain(e.fileId);
  }
  expect(log.items.map((e: any) => e.actor.userId).sort()).toEqual([researcher.userId, researcher.userId, stack.users.manager.userId, stack.users.manager.userId].sort());
});

test('attachments are checked before the command: someone else\'s, unknown, used or expired uploads are refused 422 naming attachments[i]', async () => {
  const [theirs] = await staged([{ filename: 'cua-nguoi-khac.pdf', content: await pdfFile() }], 'otherResearcher');
  const [mine, old] = await staged([{ filename: 'cua-toi.pdf', content: await pdfFile() }, { filename: 'cu.png', content: pngFile() }]);
  const refused = await stack.call('POST', '/api/v1/proposals', { body: sampleProposal({ attachments: [mine!.uploadId, theirs!.uploadId, 'f-000000000000000000000000'] }) });
  expect(refused.status).toBe(422);
  expect(await refused.json()).toMatchObject({
    type: 'urn:khcn-flow:problem:invalid-attachments',
    errors: [
      { field: 'attachments[1]', code: 'upload-not-found' },
      { field: 'attachments[2]', code: 'upload-not-found' },
    ],
  });
  expect((await stack.store.uploads.findOne(theirs!.uploadId))?.metadata.status).toBe('staged');
  expect((await stack.store.uploads.findOne(mine!.uploadId))?.metadata.status).toBe('staged');
  // The same upload twice in one command: 400.
  const twice = await stack.call('POST', '/api/v1/proposals', { body: sampleProposal({ attachments: [mine!.uploadId, mine!.uploadId] }) });
  expect(twice.status).toBe(400);
  // Used once, it cannot be attached again.
  expect((await stack.call('POST', '/api/v1/proposals', { body: sampleProposal({ attachments: [mine!.uploadId] }) })).status).toBe(201);
  await waitUntil('attached', async () => (await stack.store.uploads.findOne(mine!.uploadId))?.metadata.status === 'attached');
  const again: any = await (await stack.call('POST', '/api/v1/proposals', { body: sampleProposal({ attachments: [mine!.uploadId] }) })).json();
  expect(again.errors).toEqual([{ field: 'attachments[0]', code: 'upload-already-attached', reason: expect.stringContaining('cua-toi.pdf') }]);
  // Staged longer than UPLOAD_STAGED_HOURS: expired.
  await stack.store.connection.db!.collection('uploads.files').updateOne({ _id: old!.uploadId as never }, { $set: { 'metadata.stagedAt': new Date(Date.now() - 25 * 3_600_000) } });
  const expired: any = await (await stack.call('POST', '/api/v1/proposals', { body: sampleProposal({ attachments: [old!.uploadId] }), headers: { 'accept-language': 'en' } })).json();
  expect(expired.errors).toEqual([{ field: 'attachments[0]', code: 'upload-expired', reason: '"cu.png" has expired (not attached within 24 hours); upload it again.' }]);
});

test('the sweep removes uploads nobody attached in time, keeps attached ones, and keeps a file a task already lists', async () => {
  const [fresh, forgotten] = await staged([{ filename: 'moi.png', content: pngFile() }, { filename: 'bo-quen.png', content: pngFile() }]);
  const [used] = await staged([{ filename: 'da-dung.pdf', content: await pdfFile() }]);
  const { taskId } = (await (await stack.call('POST', '/api/v1/proposals', { body: sampleProposal({ attachments: [used!.uploadId] }) })).json()) as { taskId: string };
  await waitUntil('read model', async () => ((await stack.store.Task.findById(taskId).lean())?.files?.length ?? 0) === 1);
  const files = stack.store.connection.db!.collection('uploads.files');
  // As if the API had stopped between the command and marking its file: staged, yet the task lists it.
  await files.updateOne({ _id: used!.uploadId as never }, { $set: { 'metadata.status': 'staged', 'metadata.stagedAt': new Date(Date.now() - 30 * 3_600_000) } });
  await files.updateOne({ _id: forgotten!.uploadId as never }, { $set: { 'metadata.stagedAt': new Date(Date.now() - 30 * 3_600_000) } });
  const removed = await sweepUploads(stack.store, stack.config.UPLOAD_STAGED_HOURS);
  expect(removed).toContain(forgotten!.uploadId);
  expect(removed).not.toContain(fresh!.uploadId);
  expect(removed).not.toContain(used!.uploadId);
  expect(await stack.store.uploads.findOne(forgotten!.uploadId)).toBeNull();
  expect(await stack.store.connection.db!.collection('uploads.chunks').countDocuments({ files_id: forgotten!.uploadId })).toBe(0);
  expect((await stack.store.uploads.findOne(used!.uploadId))?.metadata.status).toBe('attached');
  expect((await stack.call('GET', `/api/v1/tasks/${taskId}/files/${used!.uploadId}`)).status).toBe(200);
});

test('a refused command (409) leaves its uploads staged; the same uploadIds then go through; an applicant\'s files are its own and the Department\'s', async () => {
  const taskId = await filedTask(stack);
  const command = (path: string, as: Who, body: unknown = {}) => stack.call('POST', `/api/v1/tasks/${taskId}/${path}`, { as, body });
  await orderListedTask(stack, taskId);
  const ours = { orgId: 'org-vien-sinh-hoc', orgName: 'Viện Sinh học Nhiệt đới', pi: { name: 'Nguyễn Thị Hương', email: 'huong.nt@vien-sinh-hoc.example.vn' } };
  const dossier = await staged([{ filename: 'Hồ sơ đăng ký.pdf', content: await pdfFile('Hồ sơ đăng ký tuyển chọn') }, { filename: 'Lý lịch khoa học.docx', content: docxFile() }]);
  const ids = dossier.map((f) => f.uploadId);
  // The call is not open yet: refused, and nothing is attached.
  const early = await command('submit-dossier', 'researcher', { host: ours, attachments: ids });
  expect(early.status).toBe(409);
  for (const id of ids) expect((await stack.store.uploads.findOne(id))?.metadata.status).toBe('staged');
  expect((await command('open-call', 'manager', { closesOn: addDays(today(), 40) })).status).toBe(200);
  const applied = await command('submit-dossier', 'researcher', { host: ours, attachments: ids });
  expect(applied.status).toBe(200);
  const view: any = await applied.json();
  expect(view.files.map((f: any) => [f.filename, f.command, f.dossierId])).toEqual([
    ['Hồ sơ đăng ký.pdf', 'submitDossier', 'HS-1-1'],
    ['Lý lịch khoa học.docx', 'submitDossier', 'HS-1-1'],
  ]);
  // An application makes no entry in the timeline the other applicants see.
  expect(view.timeline.some((e: any) => e.action === 'submitDossier')).toBe(false);

  // Another organisation applies with its own file: it sees its own, not ours; we see ours, not theirs; the Department sees both.
  const theirs = { orgId: 'org-truong-dai-hoc', orgName: 'Trường Đại học Tây Ninh', pi: { name: 'Lê Văn Đức', email: 'duc.lv@truong-dai-hoc.example.vn' } };
  const [their] = await staged([{ filename: 'Proposal dossier.pdf', content: await pdfFile() }], 'otherResearcher');
  expect((await command('submit-dossier', 'otherResearcher', { host: theirs, attachments: [their!.uploadId] })).status).toBe(200);
  await waitUntil('both dossiers in the read model', async () => ((await stack.store.Task.findById(taskId).lean())?.files?.length ?? 0) === 3);
  const seen = async (who: Who) => ((await (await stack.call('GET', `/api/v1/tasks/${taskId}`, { as: who })).json()) as any).files.map((f: any) => f.fileId);
  expect(await seen('researcher')).toEqual(ids);
  expect(await seen('otherResearcher')).toEqual([their!.uploadId]);
  expect(await seen('manager')).toEqual([...ids, their!.uploadId]);
  expect((await stack.call('GET', `/api/v1/tasks/${taskId}/files/${their!.uploadId}`, { as: 'researcher' })).status).toBe(404);
  expect((await stack.call('GET', `/api/v1/tasks/${taskId}/files/${ids[0]}`, { as: 'otherResearcher' })).status).toBe(404);
  expect((await stack.call('GET', `/api/v1/tasks/${taskId}/files/${their!.uploadId}`, { as: 'otherResearcher' })).status).toBe(200);
});

test('council members download the dossier only after declaring no conflict (C-6); a written review carries its file; downloads audited', async () => {
  const proposalPdf = await pdfFile('Phiếu đề xuất kèm thuyết minh');
  const [att] = await staged([{ filename: 'Thuyết minh.pdf', content: proposalPdf }]);
  const { taskId } = (await (await stack.call('POST', '/api/v1/proposals', { body: sampleProposal({ attachments: [att!.uploadId] }) })).json()) as { taskId: string };
  await waitUntil('intake', async () => ((await stack.store.Task.findById(taskId).lean())?.documents.length ?? 0) === 1);
  expect((await stack.call('POST', `/api/v1/tasks/${taskId}/start-identification-review`, { as: 'manager' })).status).toBe(200);
  const members: Caller[] = MEMBER_NAMES.map((name, i) => ({ userId: `fm-${i + 1}`, role: 'council_member', name, email: `fm${i + 1}@hoidong.example.vn`, orgId: 'org-hoi-dong', departmentId: stack.config.DEPARTMENT_ID, locale: 'vi' }));
  const roles = ['chair', 'vice_chair', 'reviewer', 'reviewer', 'member', 'member', 'member'];
  const formed = await stack.call('POST', `/api/v1/tasks/${taskId}/form-council`, {
    as: 'manager',
    body: { kind: 'C-ID', members: members.map((m, i) => ({ memberId: m.userId, name: m.name, email: m.email, role: roles[i] })), meetingOn: today(), votingDeadline: new Date(Date.now() + 86_400_000).toISOString(), ballot: 'secret' },
  });
  expect(formed.status).toBe(200);
  const councilId = `council-${taskId}-C-ID-1`;
  await waitUntil('council read model', async () => (await stack.store.Council.countDocuments({ _id: councilId })) === 1);
  const url = `/api/v1/councils/${councilId}/files/${att!.uploadId}`;

  // Before declaring: the council is theirs, the dossier is not yet (C-6).
  const undeclared = await stack.call('GET', url, { as: members[0]! });
  expect(undeclared.status).toBe(403);
  expect(await undeclared.json()).toMatchObject({ type: 'urn:khcn-flow:problem:declare-first', rule: 'C-6' });
  expect(await (await stack.call('GET', `/api/v1/councils/${councilId}`, { as: members[0]! })).json()).not.toHaveProperty('files');
  expect((await stack.call('POST', `/api/v1/councils/${councilId}/conflict-declarations`, { as: members[0]!, body: { conflicted: false } })).status).toBe(200);
  const view: any = await (await stack.call('GET', `/api/v1/councils/${councilId}`, { as: members[0]! })).json();
  expect(view.files).toEqual([{ fileId: att!.uploadId, filename: 'Thuyết minh.pdf', size: proposalPdf.length, sha256: sha256(proposalPdf), contentType: 'application/pdf', command: 'fileProposal', url }]);
  const dl = await stack.call('GET', url, { as: members[0]! });
  expect(dl.status).toBe(200);
  expect((await bytesOf(dl)).equals(proposalPdf)).toBe(true);
  // A conflicted member never sees it; a member of no council of this task learns nothing; the Department's manager may.
  expect((await stack.call('POST', `/api/v1/councils/${councilId}/conflict-declarations`, { as: members[1]!, body: { conflicted: true, reason: 'Chồng của chủ nhiệm đề xuất' } })).status).toBe(200);
  expect((await stack.call('GET', url, { as: members[1]! })).status).toBe(403);
  expect((await stack.call('GET', url, { as: 'councilMember' })).status).toBe(404);
  expect((await stack.call('GET', url, { as: 'researcher' })).status).toBe(404);
  expect((await stack.call('GET', url, { as: 'manager' })).status).toBe(200);

  // An absent member's written review (C-3) with its file.
  expect((await stack.call('POST', `/api/v1/councils/${councilId}/conflict-declarations`, { as: members[2]!, body: { conflicted: false } })).status).toBe(200);
  const reviewFile = docxFile('Nhận xét phản biện');
  const [rev] = await staged([{ filename: 'Nhận xét phản biện.docx', content: reviewFile }], members[2]!);
  const review = await stack.call('POST', `/api/v1/councils/${councilId}/written-reviews`, { as: members[2]!, body: { review: 'Đề xuất cấp thiết; cần làm rõ phương pháp.', attachments: [rev!.uploadId] } });
  expect(review.status).toBe(200);
  expect(((await review.json()) as any).writtenReviews[0].attachments).toEqual([{ fileId: rev!.uploadId, filename: 'Nhận xét phản biện.docx', size: reviewFile.length, sha256: sha256(reviewFile), contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' }]);
  await waitUntil('review in the read model', async () => ((await stack.store.Council.findById(councilId).lean())?.writtenReviews.length ?? 0) === 1);
  const after: any = await (await stack.call('GET', `/api/v1/councils/${councilId}`, { as: 'manager' })).json();
  expect(after.files.map((f: any) => [f.filename, f.command])).toEqual([['Thuyết minh.pdf', 'fileProposal'], ['Nhận xét phản biện.docx', 'submitWrittenReview']]);
  const revDl = await stack.call('GET', `/api/v1/councils/${councilId}/files/${rev!.uploadId}`, { as: members[0]! });
  expect((await bytesOf(revDl)).equals(reviewFile)).toBe(true);
  expect((await stack.store.uploads.findOne(rev!.uploadId))?.metadata).toMatchObject({ status: 'attached', councilId, taskId, command: 'submitWrittenReview' });

  const log: any = await (await stack.call('GET', `/api/v1/audit-log?kind=file&councilId=${councilId}&limit=100`, { as: 'admin' })).json();
  expect(log.items.map((e: any) => [e.action, e.actor.userId, e.fileId]).sort()).toEqual(
    [
      ['downloadCouncilFile', members[0]!.userId, att!.uploadId],
      ['downloadCouncilFile', stack.users.manager.userId, att!.uploadId],
      ['downloadCouncilFile', members[0]!.userId, rev!.uploadId],
    ].sort(),
  );
});
