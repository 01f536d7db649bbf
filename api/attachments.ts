/**
 * Files once uploaded (issue 10): attaching staged uploads to a command, who sees
 * which of a task's and a council's files, and sending one (streamed, audited).
 */
import { pipeline } from 'node:stream/promises';
import type { Request, Response } from 'express';
import type { CouncilDoc, Store } from '../activities/store';
import type { FileAttachment, Locale, TaskFile, TaskState } from '../workflows/definitions';
import type { Caller } from './auth';
import type { ApiDeps } from './deps';
import { attachmentDisposition } from './file-content';
import { notFound, Problem, type FieldError } from './problem';
import { audit, type AuditInput } from './routes/audit';

/**
 * The caller's staged uploads named by `ids`, as the files' metadata the command
 * carries. Checked before anything reaches the workflow: each must exist, be the
 * caller's (someone else's reads as unknown), not be attached yet and not have
 * expired; else 422 naming attachments[i]. Nothing changes here: a refused command
 * leaves them staged, for the same request again.
 */
export async function resolveAttachments(
  deps: Pick<ApiDeps, 'store' | 'config'>,
  user: Caller,
  ids: string[] | undefined,
  locale: Locale,
  /** A proposal filed again under the same Idempotency-Key: its files are already that task's. */
  againFor?: { taskId: string; command: string },
): Promise<FileAttachment[] | undefined> {
  if (!ids?.length) return undefined;
  const found = new Map((await deps.store.uploads.find(ids)).map((d) => [d._id, d]));
  const expiredBefore = Date.now() - deps.config.UPLOAD_STAGED_HOURS * 3_600_000;
  const errors: (FieldError & { vi: string; en: string })[] = [];
  ids.forEach((id, i) => {
    const d = found.get(id);
    const field = `attachments[${i}]`;
    const add = (code: string, vi: string, en: string) => errors.push({ field, code, reason: locale === 'vi' ? vi : en, vi: `${field}: ${vi}`, en: `${field}: ${en}` });
    if (!d || d.metadata.uploadedBy.userId !== user.userId || d.metadata.status === 'uploading') {
      add('upload-not-found', `không có tệp tải lên ${id} của bạn.`, `no upload ${id} of yours.`);
    } else if (d.metadata.status === 'attached' && againFor && d.metadata.taskId === againFor.taskId && d.metadata.command === againFor.command) {
      // the same filing again: fine
    } else if (d.metadata.status === 'attached') {
      add('upload-already-attached', `tệp «${d.filename}» đã được đính kèm vào một thao tác khác.`, `"${d.filename}" is already attached to another command.`);
    } else if ((d.metadata.stagedAt ?? d.uploadDate).getTime() < expiredBefore) {
      add('upload-expired', `tệp «${d.filename}» đã hết hạn (quá ${deps.config.UPLOAD_STAGED_HOURS} giờ chưa đính kèm); hãy tải lên lại.`, `"${d.filename}" has expired (not attached within ${deps.config.UPLOAD_STAGED_HOURS} hours); upload it again.`);
    }
  });
  if (errors.length) {
    throw new Problem(422, 'invalid-attachments', { vi: 'Tệp đính kèm không hợp lệ', en: 'Invalid attachments' }, {
      vi: errors.map((e) => e.vi).join(' '),
      en: errors.map((e) => e.en).join(' '),
    }, { in: 'body', errors: errors.map(({ field, code, reason }) => ({ field, code, reason })) });
  }
  return ids.map((id) => {
    const d = found.get(id)!;
    return { fileId: id, filename: d.filename, size: d.length, sha256: d.metadata.sha256!, contentType: d.metadata.contentType! };
  });
}

/**
 * After the command went through: its uploads are the task's (or council's) for good.
 * The read-model activity does the same durably; a fault here is only logged.
 */
export async function markAttached(deps: Pick<ApiDeps, 'store' | 'logger'>, req: Request, files: FileAttachment[] | undefined, where: { taskId: string; councilId?: string; command: string; attachedAt: string }): Promise<void> {
  if (!files?.length) return;
  try {
    await deps.store.uploads.markAttached(files.map((f) => f.fileId), where);
  } catch (err) {
    deps.logger.error({ err, reqId: req.id, taskId: where.taskId, command: where.command }, 'attachments not marked (the read model will)');
  }
}

/**
 * The task's files the caller may see: all of them for the Department; for a
 * researcher, not another organisation's application dossier (the applicants of
 * a call all see the task).
 */
export function visibleTaskFiles(t: Pick<TaskState, 'files' | 'call'>, user: Caller): TaskFile[] {
  const files = t.files ?? [];
  if (user.role !== 'researcher') return files;
  return files.filter((f) => f.command !== 'submitDossier' || f.orgId === user.orgId || t.call?.dossiers.find((d) => d.dossierId === f.dossierId)?.host.orgId === user.orgId);
}

export const taskFileView = (taskId: string, f: TaskFile) => ({
  fileId: f.fileId,
  filename: f.filename,
  size: f.size,
  sha256: f.sha256,
  contentType: f.contentType,
  uploadedBy: { userId: f.by.userId, name: f.by.name },
  uploadedAt: f.at,
  command: f.command,
  ...(f.dossierId ? { dossierId: f.dossierId } : {}),
  url: `/api/v1/tasks/${encodeURIComponent(taskId)}/files/${f.fileId}`,
});

export type CouncilFile = FileAttachment & { command: string; dossierId?: string };

/**
 * What a council judges, as files: C-ID the proposal's; C-SEL the proposal's and
 * those of the dossiers on its agenda (submitDossier); C-ACC the acceptance
 * dossier's; and, for any council, the files of its members' written reviews (C-3).
 */
export function councilFiles(c: Pick<CouncilDoc, 'kind' | 'dossiers' | 'writtenReviews'>, task: Pick<TaskState, 'files'> | null): CouncilFile[] {
  const taskFiles = task?.files ?? [];
  const judged = taskFiles.filter((f) => {
    switch (c.kind) {
      case 'C-ID':
        return f.command === 'fileProposal';
      case 'C-SEL':
        return f.command === 'fileProposal' || (f.command === 'submitDossier' && Boolean(f.dossierId && c.dossiers?.includes(f.dossierId)));
      case 'C-ACC':
        return f.command === 'submitAcceptanceDossier';
    }
  });
  const reviews = (c.writtenReviews ?? []).flatMap((r) => (r.attachments ?? []).map((a) => ({ ...a, command: 'submitWrittenReview' })));
  return [
    ...judged.map((f) => ({ fileId: f.fileId, filename: f.filename, size: f.size, sha256: f.sha256, contentType: f.contentType, command: f.command, ...(f.dossierId ? { dossierId: f.dossierId } : {}) })),
    ...reviews,
  ];
}

export const councilFileView = (councilId: string, f: CouncilFile) => ({ ...f, url: `/api/v1/councils/${encodeURIComponent(councilId)}/files/${f.fileId}` });

/**
 * Sends a stored file: streamed from GridFS, its detected Content-Type, as an
 * attachment (never rendered inline: nosniff, a sandboxing CSP), with its SHA-256;
 * the download is audited first (who, which file; never its content).
 */
export async function sendFile(deps: Pick<ApiDeps, 'store' | 'logger'>, req: Request, res: Response, user: Caller, file: FileAttachment, entry: Omit<AuditInput, 'kind' | 'fileId'>): Promise<void> {
  const stored = await deps.store.uploads.findOne(file.fileId);
  if (!stored || stored.metadata.status !== 'attached' && stored.metadata.status !== 'staged') throw notFound();
  if (req.method === 'GET') await audit(deps, req, user, { ...entry, kind: 'file', fileId: file.fileId });
  res
    .status(200)
    .set({
      'Content-Type': file.contentType,
      'Content-Length': String(stored.length),
      'Content-Disposition': attachmentDisposition(file.filename),
      'X-Content-SHA256': file.sha256,
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': "default-src 'none'; sandbox",
      'Cache-Control': 'private, no-store',
    });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  try {
    await pipeline(deps.store.uploads.bucket().openDownloadStream(file.fileId as never), res);
  } catch (err) {
    // The headers are gone: the connection is cut, so the client sees an incomplete download.
    deps.logger.error({ err, reqId: req.id, fileId: file.fileId }, 'download interrupted');
    res.destroy();
  }
}

/**
 * Removes the uploads nobody attached within `stagedHours` (and those never finished);
 * a file a task or council already lists is kept and marked attached instead.
 */
export function sweepUploads(store: Store, stagedHours: number, now = new Date()): Promise<string[]> {
  return store.uploads.sweepExpired(now, stagedHours, {
    taskFileExists: async (id) => (await store.Task.countDocuments({ 'files.fileId': id })) > 0,
    councilFileExists: async (id) => (await store.Council.countDocuments({ 'writtenReviews.attachments.fileId': id })) > 0,
  });
}
