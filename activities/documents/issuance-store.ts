/**
 * Issue 12: the read model of documents on their way out (`document_issuance`: status, signature
 * slots and signatures, the draft PDF and what it was rendered from) and the Department's outgoing
 * register (`outgoing_register`: one entry per number, so a number is never given twice, whether
 * the system drew it or the clerk entered it from the paper register).
 */
import mongoose, { Schema, type Connection, type Model } from 'mongoose';
import type { IssuanceView } from '../../workflows/definitions';
import type { RenderTaskDocumentRequest } from '../../workflows/task-documents';
import { openSlots } from '../../workflows/rules/authority';

export interface IssuanceDoc extends Omit<IssuanceView, 'documentId'> {
  _id: string; // the document ID
  workflowId: string;
  /** Who may sign what is still open, for the lists: host organisations and council members (the Department's slots go by Department). */
  eligibleOrgIds: string[];
  eligibleUserIds: string[];
  /** Whether a Department slot is still open. */
  departmentSlotOpen: boolean;
  draft?: { data: Buffer; size: number; stateHash: string; filename: string };
  /** What the draft was rendered from: the issued document of a record is rendered from it too. */
  draftRequest?: RenderTaskDocumentRequest;
  updatedAt: Date;
}

export interface RegisterEntry {
  _id: string; // `${departmentId}|${number}`
  departmentId: string;
  number: string;
  registeredOn: string;
  documentId: string;
  taskId: string;
  kind: string;
  createdAt: Date;
}

export interface IssuanceModels {
  Issuance: Model<IssuanceDoc>;
  Register: Model<RegisterEntry>;
  ready: Promise<unknown>;
}

const cache = new WeakMap<Connection, IssuanceModels>();

export function issuanceModels(connection: Connection): IssuanceModels {
  const cached = cache.get(connection);
  if (cached) return cached;
  const mixed = mongoose.Schema.Types.Mixed;
  const Issuance = connection.model<IssuanceDoc>(
    'DocumentIssuance',
    new Schema<IssuanceDoc>(
      {
        _id: String,
        workflowId: String,
        taskId: { type: String, index: true },
        taskTitle: String,
        departmentId: String,
        kind: String,
        title: String,
        status: String,
        slots: mixed,
        signatures: mixed,
        number: String,
        registeredOn: String,
        registeredBy: mixed,
        issuedAt: String,
        issuedBy: mixed,
        effective: mixed,
        draftedAt: String,
        dueOn: String,
        document: mixed,
        version: Number,
        eligibleOrgIds: { type: [String], default: [] },
        eligibleUserIds: { type: [String], default: [] },
        departmentSlotOpen: Boolean,
        draft: mixed,
        draftRequest: mixed,
        updatedAt: Date,
      },
      { collection: 'document_issuance', versionKey: false, minimize: false },
    )
      .index({ departmentId: 1, status: 1, draftedAt: -1 })
      .index({ eligibleOrgIds: 1, status: 1 })
      .index({ eligibleUserIds: 1, status: 1 }),
  );
  const Register = connection.model<RegisterEntry>(
    'OutgoingRegister',
    new Schema<RegisterEntry>(
      { _id: String, departmentId: String, number: String, registeredOn: String, documentId: { type: String, index: true }, taskId: String, kind: String, createdAt: Date },
      { collection: 'outgoing_register', versionKey: false },
    ),
  );
  const models = { Issuance, Register, ready: Promise.all([Issuance.init(), Register.init()]) };
  cache.set(connection, models);
  return models;
}

/** The fields of the read model that follow the workflow's view (and who may still sign). */
export function issuanceFields(view: IssuanceView): Omit<IssuanceDoc, '_id' | 'workflowId' | 'draft' | 'draftRequest' | 'updatedAt'> {
  const { documentId: _id, ...rest } = view;
  const open = view.status === 'AWAITING_SIGNATURE' ? openSlots(view) : [];
  return {
    ...rest,
    eligibleOrgIds: open.flatMap((s) => (s.requirement.kind === 'host' ? [s.requirement.orgId] : [])),
    eligibleUserIds: open.flatMap((s) => (s.requirement.kind === 'member' ? [s.requirement.userId] : [])),
    departmentSlotOpen: open.some((s) => s.party === 'department'),
  };
}
