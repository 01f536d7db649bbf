/**
 * Uploaded files (issue 10), in GridFS through the driver mongoose ships
 * (`mongoose.mongo.GridFSBucket`, bucket `uploads`: collections `uploads.files`
 * and `uploads.chunks`). Checked on FerretDB v1 (SQLite) and MongoDB alike: chunk
 * documents hold BSON binary; `openUploadStreamWithId`, `abort`, `delete`,
 * `openDownloadStream` (whole and with start/end), the driver's own indexes
 * (files: filename + uploadDate; chunks: files_id + n, unique) and `$set` on
 * `metadata.*` all work on both. Nothing here needs a transaction or a TTL index:
 * expiry is a sweep (`sweepExpired`).
 *
 * A file's life is in its files document's `metadata`:
 * - `uploading`: chunks are being written (the document appears when the stream ends);
 * - `staged`: complete, with its SHA-256 and detected type; only its uploader may attach it,
 *   within UPLOAD_STAGED_HOURS;
 * - `attached`: part of a task (a command's attachments) or of a council (a written review);
 *   kept for good.
 */
import type { Connection } from 'mongoose';
import mongoose from 'mongoose';
import type { FileAttachment, TaskState, CouncilView } from '../workflows/definitions';

export const UPLOAD_BUCKET = 'uploads';

export interface UploadMetadata {
  status: 'uploading' | 'staged' | 'attached';
  uploadedBy: { userId: string; name: string; orgId: string };
  departmentId: string;
  sha256?: string;
  contentType?: string;
  stagedAt?: Date;
  /** Once attached: where and by which command (the timeline's time). */
  taskId?: string;
  councilId?: string;
  command?: string;
  attachedAt?: string;
  /** Issue 11: the portfolio import that read it (kept for good, as the record of what was imported). */
  importId?: string;
}

/** A files document of the bucket (GridFS spec fields plus our metadata). */
export interface UploadFileDoc {
  _id: string;
  length: number;
  chunkSize: number;
  uploadDate: Date;
  filename: string;
  metadata: UploadMetadata;
}

/** Upload and file IDs: 'f-' and 24 random hex digits (the files document's _id). */
export const FILE_ID = /^f-[0-9a-f]{24}$/;

export function createUploadStore(connection: Connection) {
  const db = () => {
    if (!connection.db) throw new Error('MongoDB connection is not open');
    return connection.db;
  };
  let bucket: mongoose.mongo.GridFSBucket | undefined;
  const files = () => db().collection<UploadFileDoc>(`${UPLOAD_BUCKET}.files`);
  const chunks = () => db().collection(`${UPLOAD_BUCKET}.chunks`);
  /** Uploads under way: a marker from before the first chunk until the file is staged or removed. */
  const attempts = () => db().collection<{ _id: string; startedAt: Date }>('upload_attempts');

  const uploads = {
    bucket(): mongoose.mongo.GridFSBucket {
      return (bucket ??= new mongoose.mongo.GridFSBucket(db(), { bucketName: UPLOAD_BUCKET }));
    },

    /** Before the first chunk: an upload that never finishes is found and removed by the sweep. */
    async begin(id: string): Promise<void> {
      await attempts().insertOne({ _id: id, startedAt: new Date() });
    },

    /** The upload is staged, or removed: no longer under way. */
    async end(id: string): Promise<void> {
      await attempts().deleteOne({ _id: id });
    },

    find(ids: string[]): Promise<UploadFileDoc[]> {
      return files().find({ _id: { $in: ids } }).toArray();
    },

    findOne(id: string): Promise<UploadFileDoc | null> {
      return files().findOne({ _id: id });
    },

    /** Complete: its hash, detected type and safe name are known; it waits to be attached. */
    async markStaged(id: string, facts: { sha256: string; contentType: string; filename: string }): Promise<void> {
      await files().updateOne(
        { _id: id },
        { $set: { filename: facts.filename, 'metadata.status': 'staged', 'metadata.sha256': facts.sha256, 'metadata.contentType': facts.contentType, 'metadata.stagedAt': new Date() } },
      );
    },

    /**
     * Attached to a task or council: kept for good. Idempotent (only a file not yet
     * attached changes), so the API right after the command and the read-model
     * activity (durably, for every file the state lists) may both call it.
     */
    async markAttached(ids: string[], where: { taskId: string; councilId?: string; command: string; attachedAt: string }): Promise<number> {
      if (!ids.length) return 0;
      const set: Record<string, string> = { 'metadata.status': 'attached', 'metadata.taskId': where.taskId, 'metadata.command': where.command, 'metadata.attachedAt': where.attachedAt };
      if (where.councilId) set['metadata.councilId'] = where.councilId;
      const res = await files().updateMany({ _id: { $in: ids }, 'metadata.status': { $ne: 'attached' } }, { $set: set });
      return res.modifiedCount;
    },

    /** Issue 11: a sheet a portfolio import runs from: kept for good with its import (idempotent). */
    async markImported(id: string, importId: string, at: string): Promise<void> {
      await files().updateOne({ _id: id, 'metadata.status': { $ne: 'attached' } }, { $set: { 'metadata.status': 'attached', 'metadata.command': 'importPortfolio', 'metadata.importId': importId, 'metadata.attachedAt': at } });
    },

    /** Every file a task's state lists (its commands' attachments), attached: the durable side of markAttached. */
    async attachTaskFiles(state: Pick<TaskState, 'taskId' | 'files'>): Promise<number> {
      let n = 0;
      const byCommand = new Map<string, { ids: string[]; at: string }>();
      for (const f of state.files ?? []) {
        const k = `${f.command}\u0000${f.at}`;
        const g = byCommand.get(k) ?? { ids: [], at: f.at };
        g.ids.push(f.fileId);
        byCommand.set(k, g);
      }
      if (!byCommand.size) return 0;
      // One read to skip what is already attached (the common case: every write after the first).
      const all = [...byCommand.values()].flatMap((g) => g.ids);
      const pending = new Set((await files().find({ _id: { $in: all }, 'metadata.status': { $ne: 'attached' } }).project({ _id: 1 }).toArray()).map((d) => d._id));
      if (!pending.size) return 0;
      for (const [k, g] of byCommand) {
        const ids = g.ids.filter((id) => pending.has(id));
        if (ids.length) n += await uploads.markAttached(ids, { taskId: state.taskId, command: k.split('\u0000')[0]!, attachedAt: g.at });
      }
      return n;
    },

    /** The files of a council's written reviews (C-3), attached: the durable side for councils. */
    async attachCouncilFiles(view: Pick<CouncilView, 'councilId' | 'taskId' | 'writtenReviews' | 'paperBallotFiles'>): Promise<number> {
      let n = 0;
      for (const r of view.writtenReviews ?? []) {
        const ids = (r.attachments ?? []).map((a: FileAttachment) => a.fileId);
        if (ids.length) n += await uploads.markAttached(ids, { taskId: view.taskId, councilId: view.councilId, command: 'submitWrittenReview', attachedAt: r.at });
      }
      // Issue 13: a paper sitting's scanned ballots.
      for (const f of view.paperBallotFiles ?? []) n += await uploads.markAttached([f.fileId], { taskId: view.taskId, councilId: view.councilId, command: 'enterPaperBallots', attachedAt: f.at });
      return n;
    },

    /** Removes a file and its chunks, whatever state it is in (a failed request's files). */
    async remove(ids: string[]): Promise<void> {
      if (!ids.length) return;
      await files().deleteMany({ _id: { $in: ids }, 'metadata.status': { $ne: 'attached' } });
      await chunks().deleteMany({ files_id: { $in: ids } });
    },

    /**
     * Staged uploads nobody attached within `stagedHours`, and uploads begun that
     * long ago that never completed (the process died mid-stream), are deleted with
     * their chunks. A file
     * a task or council already lists (its command went through but the API stopped
     * before marking it) is marked attached instead, never deleted. Returns what it removed.
     */
    async sweepExpired(now: Date, stagedHours: number, lookup: { taskFileExists(id: string): Promise<boolean>; councilFileExists(id: string): Promise<boolean> }): Promise<string[]> {
      const cutoff = new Date(now.getTime() - stagedHours * 3_600_000);
      // FerretDB pushes no range down: the candidates are read by status and filtered here.
      const candidates = await files().find({ 'metadata.status': { $in: ['uploading', 'staged'] } }).project<{ _id: string; uploadDate: Date; metadata: UploadMetadata }>({ _id: 1, uploadDate: 1, metadata: 1 }).toArray();
      const removed: string[] = [];
      for (const f of candidates) {
        const since = f.metadata.stagedAt ?? f.uploadDate;
        if (!(since < cutoff)) continue;
        if ((await lookup.taskFileExists(f._id)) || (await lookup.councilFileExists(f._id))) {
          await files().updateOne({ _id: f._id }, { $set: { 'metadata.status': 'attached' } });
          continue;
        }
        await uploads.remove([f._id]);
        removed.push(f._id);
      }
      // Uploads begun and never finished (the process died mid-stream): their chunks, if any.
      for (const a of await attempts().find({}).toArray()) {
        if (!(a.startedAt < cutoff)) continue;
        await uploads.remove([a._id]);
        await attempts().deleteOne({ _id: a._id });
        removed.push(a._id);
      }
      return removed;
    },

    /** Index for the sweep and for a task's files (the driver creates GridFS's own on first write). */
    async init(): Promise<void> {
      await files().createIndex({ 'metadata.status': 1 });
    },

    counts: async () => ({ files: await files().countDocuments(), chunks: await chunks().countDocuments() }),
  };
  return uploads;
}
export type UploadStore = ReturnType<typeof createUploadStore>;
