/**
 * A sheet to import (issue 11: council members, the portfolio), as an upload of the caller's
 * (POST /api/v1/uploads): staged, not expired, and an XLSX or CSV file by its content. Else 422
 * naming `uploadId`. The upload stays staged (a dry run and then the real run read the same
 * one) and expires unattached like any other.
 */
import type { Locale } from '../workflows/definitions';
import { SheetFileError } from '../activities/sheets';
import type { Caller } from './auth';
import type { ApiDeps } from './deps';
import { MEDIA_TYPES } from './file-content';
import { Problem } from './problem';

export interface SheetUpload {
  uploadId: string;
  filename: string;
  sha256: string;
  contentType: string;
  /** The name the sheet reader goes by: the kept name, with the extension of its detected type. */
  name: string;
  data: Buffer;
}

const SHEET_TYPES: Record<string, 'xlsx' | 'csv'> = { [MEDIA_TYPES.xlsx]: 'xlsx', [MEDIA_TYPES.csv]: 'csv' };

const badUpload = (locale: Locale, code: string, vi: string, en: string) =>
  new Problem(422, 'invalid-upload', { vi: 'Tệp tải lên không dùng được', en: 'The upload cannot be used' }, { vi, en }, {
    in: 'body',
    errors: [{ field: 'uploadId', code, reason: locale === 'vi' ? vi : en }],
  });

export async function readSheetUpload(
  deps: Pick<ApiDeps, 'store' | 'config'>,
  user: Caller,
  uploadId: string,
  locale: Locale,
  /** A sheet already kept by this command (a portfolio import run again) may be read again. */
  keptBy?: string,
): Promise<SheetUpload> {
  const d = await deps.store.uploads.findOne(uploadId);
  // Someone else's upload reads as unknown.
  if (!d || d.metadata.uploadedBy.userId !== user.userId || d.metadata.status === 'uploading') {
    throw badUpload(locale, 'upload-not-found', `Không có tệp tải lên ${uploadId} của bạn.`, `No upload ${uploadId} of yours.`);
  }
  const kept = d.metadata.status === 'attached' && keptBy !== undefined && d.metadata.command === keptBy;
  if (d.metadata.status === 'attached' && !kept) {
    throw badUpload(locale, 'upload-already-attached', `Tệp «${d.filename}» đã được đính kèm vào một thao tác.`, `"${d.filename}" is attached to a command.`);
  }
  if (!kept && (d.metadata.stagedAt ?? d.uploadDate).getTime() < Date.now() - deps.config.UPLOAD_STAGED_HOURS * 3_600_000) {
    throw badUpload(locale, 'upload-expired', `Tệp «${d.filename}» đã hết hạn (quá ${deps.config.UPLOAD_STAGED_HOURS} giờ); hãy tải lên lại.`, `"${d.filename}" has expired (older than ${deps.config.UPLOAD_STAGED_HOURS} hours); upload it again.`);
  }
  const type = SHEET_TYPES[d.metadata.contentType ?? ''];
  if (!type) {
    throw badUpload(locale, 'not-a-sheet', `Tệp «${d.filename}» không phải bảng tính XLSX hoặc CSV.`, `"${d.filename}" is not an XLSX or CSV sheet.`);
  }
  const parts: Buffer[] = [];
  for await (const b of deps.store.uploads.bucket().openDownloadStream(uploadId as never)) parts.push(b as Buffer);
  return { uploadId, filename: d.filename, sha256: d.metadata.sha256!, contentType: d.metadata.contentType!, name: `sheet.${type}`, data: Buffer.concat(parts) };
}

/** A sheet refused whole (unreadable, or its header is not the template's): 422 naming the upload, with every issue. */
export function sheetProblem(err: SheetFileError, locale: Locale): Problem {
  return new Problem(
    422,
    'invalid-sheet',
    { vi: 'Bảng tính không đúng mẫu', en: 'The sheet does not follow the template' },
    { vi: err.bilingual.map((i) => i.vi).join(' '), en: err.bilingual.map((i) => i.en).join(' ') },
    { in: 'body', errors: err.bilingual.map((i) => ({ field: 'uploadId', code: 'invalid_sheet', reason: i[locale] })) },
  );
}
