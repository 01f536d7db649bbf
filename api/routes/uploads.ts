/**
 * POST /api/v1/uploads (issue 10): one or more parts named `file`, streamed with
 * busboy straight into GridFS (bucket `uploads`) with their SHA-256 and size
 * computed on the way and their type read from their bytes (api/file-content.ts).
 * Nothing is held whole in memory: per file, the first 4 KB and the last 1 MB (for
 * a ZIP container's directory) besides the chunk in flight. A request with any bad
 * part stores nothing: every file it wrote is removed before the answer.
 *
 * A staged upload is its uploader's until a command attaches it (api/attachments.ts);
 * one nobody attaches is swept after UPLOAD_STAGED_HOURS.
 */
import { randomBytes, createHash } from 'node:crypto';
import { once } from 'node:events';
import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import busboy from 'busboy';
import { Router, type Request } from 'express';
import type { Logger } from 'pino';
import type { UploadStore } from '../../activities/uploads';
import { caller, type Caller } from '../auth';
import type { ApiDeps } from '../deps';
import {
  classifyZip,
  CSV_NOT_UTF8,
  detectFromHead,
  directoryNames,
  HEAD_BYTES,
  locateDirectory,
  MEDIA_TYPES,
  safeFilename,
  TEXT_CONTROL,
  TAIL_BYTES,
  type AllowedType,
  type Refusal,
} from '../file-content';
import { pickLocale } from '../i18n';
import { Problem, type Bilingual, type FieldError } from '../problem';

interface Stored {
  index: number;
  id: string;
  filename: string;
  size: number;
  sha256: string;
  contentType: string;
  uploadedAt: Date;
}
interface Refused {
  index: number;
  /** The id of what was written before the refusal (removed with the request's other files). */
  id?: string;
  status: 400 | 413 | 415;
  code: 'file-too-large' | 'file-type-not-allowed' | 'file-empty';
  name: string;
  reason: Refusal;
}
interface Failed {
  index: number;
  id?: string;
  error: unknown;
}
type Outcome = Stored | Refused | Failed;

interface Limits {
  maxFileBytes: number;
  maxFiles: number;
}

/** Bytes in words, as people read them: 25 MB, 512 KB, 900 byte. */
export function formatBytes(n: number): Bilingual {
  const unit = n >= 1024 ** 2 ? { d: 1024 ** 2, u: 'MB' } : n >= 1024 ? { d: 1024, u: 'KB' } : { d: 1, u: '' };
  const v = n / unit.d;
  const s = Number.isInteger(v) ? String(v) : v.toFixed(1);
  return unit.u ? { vi: `${s.replace('.', ',')} ${unit.u}`, en: `${s} ${unit.u}` } : { vi: `${n} byte`, en: `${n} bytes` };
}

/** The name as the user gave it, made safe to show in a message. */
const shownName = (name: string | undefined, index: number) => {
  const n = (name ?? '').normalize('NFC').replace(/[\p{Cc}\p{Cf}]/gu, '').trim();
  return n ? [...n].slice(0, 200).join('') : `#${index + 1}`;
};

/** Reads one part into GridFS. Never rejects: a refusal or a fault is an outcome. */
async function receiveFile(uploads: UploadStore, user: Caller, limits: Limits, index: number, stream: Readable & { truncated?: boolean }, given: string | undefined): Promise<Outcome> {
  const id = `f-${randomBytes(12).toString('hex')}`;
  const name = shownName(given, index);
  const refuse = (status: Refused['status'], code: Refused['code'], reason: Refusal): Refused => ({ index, id, status, code, name, reason });
  let tooLarge = false;
  stream.once('limit', () => {
    tooLarge = true;
  });
  // A malformed body ends the part with an error, possibly before the loop below reads it:
  // the loop sees it (an errored stream's iterator throws); this keeps it from going unhandled.
  stream.on('error', () => undefined);
  try {
    await uploads.begin(id);
    const upload = uploads.bucket().openUploadStreamWithId(id as never, name, {
      metadata: { status: 'uploading', uploadedBy: { userId: user.userId, name: user.name, orgId: user.orgId }, departmentId: user.departmentId },
    });
    // Aborting (a refusal) fails the writes still queued: expected, and surfaced by end/finished otherwise.
    upload.on('error', () => undefined);
    const hash = createHash('sha256');
    let size = 0;
    let head = Buffer.alloc(0);
    const tail: Buffer[] = [];
    let tailBytes = 0;
    let verdict: ReturnType<typeof detectFromHead> | undefined;
    let refused: Refused | undefined;
    // A CSV sheet (issue 11) has no magic number: all of it must be UTF-8 text, checked as it streams by.
    const text = { decoder: new TextDecoder('utf-8', { fatal: true }), ok: true };
    const checkText = (chunk?: Buffer) => {
      if (!text.ok) return;
      try {
        if (TEXT_CONTROL.test(chunk ? text.decoder.decode(chunk, { stream: true }) : text.decoder.decode())) text.ok = false;
      } catch {
        text.ok = false;
      }
    };
    const maybeCsv = () => !verdict || ('type' in verdict && verdict.type === 'csv');
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      // After a refusal the rest of the part is read and dropped (busboy needs it consumed).
      if (refused || tooLarge) continue;
      size += chunk.length;
      hash.update(chunk);
      if (head.length < HEAD_BYTES) head = Buffer.concat([head, chunk.subarray(0, HEAD_BYTES - head.length)]);
      if (maybeCsv()) checkText(chunk);
      tail.push(chunk);
      tailBytes += chunk.length;
      while (tail.length > 1 && tailBytes - tail[0]!.length >= TAIL_BYTES) tailBytes -= tail.shift()!.length;
      if (!verdict && head.length >= HEAD_BYTES) {
        verdict = detectFromHead(head, given);
        // Known at once: nothing more of it is stored.
        if ('refused' in verdict) {
          refused = refuse(415, 'file-type-not-allowed', verdict.refused);
          continue;
        }
      }
      if (!upload.write(chunk)) await once(upload, 'drain');
    }
    if (tooLarge || stream.truncated) {
      await upload.abort().catch(() => undefined);
      const max = formatBytes(limits.maxFileBytes);
      return refuse(413, 'file-too-large', { vi: `tệp lớn hơn giới hạn ${max.vi}`, en: `the file is larger than the limit of ${max.en}` });
    }
    if (refused) {
      await upload.abort().catch(() => undefined);
      return refused;
    }
    if (size === 0) {
      await upload.abort().catch(() => undefined);
      return refuse(400, 'file-empty', { vi: 'tệp rỗng (0 byte)', en: 'the file is empty (0 bytes)' });
    }
    verdict ??= detectFromHead(head, given);
    if ('refused' in verdict) {
      await upload.abort().catch(() => undefined);
      return refuse(415, 'file-type-not-allowed', verdict.refused);
    }
    if ('type' in verdict && verdict.type === 'csv') {
      checkText();
      if (!text.ok) {
        await upload.abort().catch(() => undefined);
        return refuse(415, 'file-type-not-allowed', CSV_NOT_UTF8);
      }
    }
    upload.end();
    await finished(upload);
    let type: AllowedType;
    if ('type' in verdict) type = verdict.type;
    else {
      const zip = await classifyStoredZip(uploads, id, head, Buffer.concat(tail), size);
      if ('refused' in zip) return refuse(415, 'file-type-not-allowed', zip.refused);
      type = zip.type;
    }
    const sha256 = hash.digest('hex');
    const filename = safeFilename(given, type);
    const contentType = MEDIA_TYPES[type];
    await uploads.markStaged(id, { sha256, contentType, filename });
    await uploads.end(id);
    return { index, id, filename, size, sha256, contentType, uploadedAt: new Date() };
  } catch (error) {
    stream.resume();
    return { index, id, error };
  }
}

/** DOCX, XLSX, ODT or a plain ZIP, from the archive's directory: in the kept tail, or read back from the stored file. */
async function classifyStoredZip(uploads: UploadStore, id: string, head: Buffer, tail: Buffer, size: number) {
  const where = locateDirectory(tail, size);
  if ('refused' in where) return where;
  const tailStart = size - tail.length;
  let cd: Buffer;
  if (where.offset >= tailStart) cd = tail.subarray(where.offset - tailStart, where.offset - tailStart + where.size);
  else {
    // A directory larger than the tail (an archive of many thousand entries): read that range back.
    const parts: Buffer[] = [];
    const end = Math.min(where.offset + where.size, where.offset + 64 * 1024 * 1024);
    for await (const b of uploads.bucket().openDownloadStream(id as never, { start: where.offset, end })) parts.push(b as Buffer);
    cd = Buffer.concat(parts);
  }
  const names = directoryNames(cd);
  if (!names) return { refused: { vi: 'tệp nén ZIP bị hỏng (không đọc được danh mục tệp)', en: 'a damaged ZIP archive (its directory cannot be read)' } };
  return classifyZip(head, names);
}

interface Received {
  outcomes: Outcome[];
  malformed?: string;
  tooMany: boolean;
  /** More bytes than the files allowed could take: the rest is not read. */
  tooLong: boolean;
  unexpected: string[];
}

/** Parses the multipart body; each `file` part goes to GridFS as it arrives. */
function receive(req: Request, uploads: UploadStore, user: Caller, limits: Limits, logger: Logger): Promise<Received> {
  return new Promise((resolve) => {
    const pending: Promise<Outcome>[] = [];
    const unexpected: string[] = [];
    let malformed: string | undefined;
    let tooMany = false;
    let tooLong = false;
    let index = 0;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      void Promise.all(pending).then((outcomes) => resolve({ outcomes, tooMany, tooLong, unexpected, ...(malformed ? { malformed } : {}) }));
    };
    // busboy drops what is over a file's limit but reads on: a body longer than the files
    // allowed (and their part headers) could take is cut off instead of read to its end.
    const maxBody = limits.maxFiles * (limits.maxFileBytes + 64 * 1024) + 64 * 1024;
    let received = 0;
    let bb: busboy.Busboy;
    try {
      bb = busboy({
        headers: req.headers as IncomingHttpHeaders,
        // Browsers send UTF-8 names unencoded: Vietnamese names arrive as typed.
        defParamCharset: 'utf8',
        limits: { fileSize: limits.maxFileBytes, files: limits.maxFiles, fields: 20, fieldSize: 1024, parts: limits.maxFiles + 20, headerPairs: 50 },
      });
    } catch (err) {
      malformed = (err as Error).message;
      req.resume();
      return finish();
    }
    bb.on('file', (field, stream, info) => {
      if (field !== 'file') {
        unexpected.push(field);
        stream.resume();
        return;
      }
      pending.push(receiveFile(uploads, user, limits, index++, stream, info.filename));
    });
    bb.on('field', (field) => unexpected.push(field));
    bb.on('filesLimit', () => {
      tooMany = true;
    });
    bb.on('partsLimit', () => {
      malformed ??= 'too many parts';
    });
    bb.on('fieldsLimit', () => {
      malformed ??= 'too many fields';
    });
    bb.on('error', (err) => {
      malformed ??= (err as Error).message;
      req.unpipe(bb);
      req.resume();
      finish();
    });
    bb.on('close', finish);
    // A client gone mid-upload: the part in flight ends with an error, so its file is removed.
    req.on('close', () => {
      if (req.complete || done) return;
      malformed ??= 'request aborted';
      logger.warn({ reqId: req.id }, 'upload aborted by the client');
      bb.destroy(new Error('request aborted'));
      finish();
    });
    req.on('data', (b: Buffer) => {
      received += b.length;
      if (received <= maxBody || tooLong) return;
      tooLong = true;
      req.unpipe(bb);
      bb.destroy(new Error('request too long'));
      finish();
    });
    req.pipe(bb);
  });
}

const isStored = (o: Outcome): o is Stored => 'sha256' in o;
const isRefused = (o: Outcome): o is Refused => 'code' in o;

const TITLES: Record<Refused['code'] | 'malformed-multipart' | 'no-file' | 'too-many-files' | 'request-too-large' | 'unexpected-part', Bilingual> = {
  'file-too-large': { vi: 'Tệp quá lớn', en: 'File too large' },
  'file-type-not-allowed': { vi: 'Loại tệp không được chấp nhận', en: 'File type not allowed' },
  'file-empty': { vi: 'Tệp rỗng', en: 'Empty file' },
  'malformed-multipart': { vi: 'Dữ liệu multipart không hợp lệ', en: 'Malformed multipart body' },
  'no-file': { vi: 'Không có tệp', en: 'No file' },
  'too-many-files': { vi: 'Quá nhiều tệp', en: 'Too many files' },
  'request-too-large': { vi: 'Nội dung quá lớn', en: 'Request too large' },
  'unexpected-part': { vi: 'Phần dữ liệu không được nhận', en: 'Unexpected part' },
};

function problemOf(code: keyof typeof TITLES, status: number, details: { field: string; reason: Bilingual; code?: string }[], locale: 'vi' | 'en'): Problem {
  const errors: FieldError[] = details.map((d) => ({ field: d.field, code: d.code ?? code, reason: d.reason[locale] }));
  return new Problem(status, code, TITLES[code], { vi: details.map((d) => d.reason.vi).join(' '), en: details.map((d) => d.reason.en).join(' ') }, { in: 'body', errors });
}

export function uploadsRouter(deps: ApiDeps): Router {
  const { config, store, logger } = deps;
  const r = Router();
  const limits: Limits = { maxFileBytes: config.UPLOAD_MAX_FILE_BYTES, maxFiles: config.UPLOAD_MAX_FILES };

  // Any signed-in user (council members upload their written reviews' files).
  r.post('/uploads', async (req, res) => {
    const locale = pickLocale(req);
    const user = caller(req);
    if (!/^multipart\/form-data\b/i.test(req.get('content-type') ?? '')) {
      req.resume();
      throw new Problem(415, 'unsupported-media-type', { vi: 'Kiểu nội dung không được hỗ trợ', en: 'Unsupported media type' }, {
        vi: 'Gửi tệp dưới dạng multipart/form-data, mỗi tệp một phần tên "file".',
        en: 'Send the files as multipart/form-data, each in a part named "file".',
      }, { in: 'header', errors: [{ field: '(header) Content-Type', code: 'unsupported_media_type', reason: req.get('content-type') ?? 'missing' }] });
    }
    const got = await receive(req, store.uploads, user, limits, logger);
    const stored = got.outcomes.filter(isStored);
    const failed = got.outcomes.filter((o): o is Failed => 'error' in o);
    const refused = got.outcomes.filter(isRefused).sort((a, b) => a.index - b.index);
    let problem: Problem | undefined;
    if (got.tooLong) {
      const max = formatBytes(limits.maxFileBytes);
      problem = problemOf('request-too-large', 413, [{ field: 'file', reason: { vi: `nội dung yêu cầu dài hơn ${limits.maxFiles} tệp × ${max.vi}`, en: `the request is longer than ${limits.maxFiles} files × ${max.en}` } }], locale);
      // The client is still sending: the answer closes the connection.
      res.set('Connection', 'close');
    } else if (got.malformed !== undefined) {
      problem = problemOf('malformed-multipart', 400, [{ field: 'file', reason: { vi: `nội dung multipart không hợp lệ (${got.malformed})`, en: `the multipart body is malformed (${got.malformed})` } }], locale);
    } else if (got.tooMany) {
      problem = problemOf('too-many-files', 413, [{ field: 'file', reason: { vi: `mỗi lần gửi tối đa ${limits.maxFiles} tệp`, en: `at most ${limits.maxFiles} files per request` } }], locale);
    } else if (got.unexpected.length) {
      problem = problemOf('unexpected-part', 400, got.unexpected.slice(0, 20).map((f) => ({ field: f, reason: { vi: `chỉ nhận các phần tên "file" (không nhận "${f}")`, en: `only parts named "file" are accepted (not "${f}")` } })), locale);
    } else if (refused.length) {
      const first = refused[0]!;
      // The first refusal sets the status; every one is listed, each under its own code.
      problem = problemOf(first.code, first.status, refused.map((o) => ({ field: `file[${o.index}]`, code: o.code, reason: { vi: `Tệp «${o.name}»: ${o.reason.vi}.`, en: `File "${o.name}": ${o.reason.en}.` } })), locale);
    } else if (!failed.length && !stored.length) {
      problem = problemOf('no-file', 400, [{ field: 'file', reason: { vi: 'không có phần nào tên "file"', en: 'no part named "file"' } }], locale);
    }
    if (problem || failed.length) {
      // A failed request leaves nothing behind: every file it wrote goes, refused or not.
      const ids = got.outcomes.map((o) => o.id).filter((id): id is string => Boolean(id));
      await store.uploads.remove(ids);
      await Promise.all(ids.map((id) => store.uploads.end(id)));
      // A part cut short by a malformed body failed because of it: the answer is the 400.
      throw problem ?? failed[0]!.error;
    }
    res.status(201).json({
      items: stored
        .sort((a, b) => a.index - b.index)
        .map((s) => ({ uploadId: s.id, filename: s.filename, size: s.size, sha256: s.sha256, contentType: s.contentType, uploadedAt: s.uploadedAt.toISOString() })),
    });
  });
  return r;
}
