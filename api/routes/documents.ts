/**
 * Issue 12: official documents on their way out, draft → signature → number → issue.
 *
 * - GET  /signatures/pending: what awaits the caller's signature (the Director's and a Deputy's
 *   decisions in their areas, an officer's records, party B's contracts for a host's researcher,
 *   the minutes for a council's chair and secretary), deadlines first.
 * - GET  /documents: the Department's outgoing documents by status (the clerk's queue: SIGNED to
 *   register, REGISTERED to issue; ISSUED is the outgoing register).
 * - GET  /documents/{documentId}, /documents/{documentId}/draft: one document and its draft PDF.
 * - POST /documents/{documentId}/sign | register | issue: updates of the document's workflow, each
 *   refused with its reason (403 not yours to sign or not the clerk, 409 not now, 422 bad entry).
 *
 * Who sees a document: the Department's staff and admin, and whoever holds one of its signature
 * slots (a host's researcher as party B, a council's chair or secretary); for anyone else it does
 * not exist (404).
 */
import { Router } from 'express';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { OpenAPIRegistry, RouteConfig } from '@asteasolutions/zod-to-openapi';
import { issuanceUpdate, issuanceWorkflowId, POSITIONS, type IssuanceCommandName, type IssuanceView } from '../../workflows/definitions';
import { issueRefusal, registerRefusal, signatureLabel, signRefusal, slotAssignee, type IssuanceStatus, type Signer } from '../../workflows/rules/authority';
import type { Refusal } from '../../workflows/rules/transitions';
import { vnDateOf, compareDates } from '../../workflows/rules/calendar';
import { issuanceModels, type IssuanceDoc } from '../../activities/documents/issuance-store';
import { DOCUMENT_TYPE_SYMBOL } from '../../activities/documents/task-documents';
import { caller, requireRole, type Caller } from '../auth';
import type { ApiDeps } from '../deps';
import { pickLocale } from '../i18n';
import { notFound, parseOrThrow, Problem } from '../problem';
import { requireJsonBody } from '../body';
import { isoDate, z } from '../zod';
import { audit } from './audit';
import { actorOf } from './tasks';

// ---------------------------------------------------------------------------------------------
// Schemas (validation and OpenAPI)
// ---------------------------------------------------------------------------------------------

export const DocumentIdParam = z.object({ documentId: z.string().regex(/^doc-[0-9a-f]{24}$/) }).strict();
const STATUSES = ['AWAITING_SIGNATURE', 'SIGNED', 'REGISTERED', 'ISSUED', 'WITHDRAWN'] as const satisfies readonly IssuanceStatus[];

const Label = z.object({ authority: z.string().optional().describe('Printed above the title, e.g. "KT. GIÁM ĐỐC"'), title: z.string() }).strict();
const SlotView = z
  .object({
    slotId: z.string().describe('department, party_b, chair or secretary'),
    party: z.enum(['department', 'host', 'council']),
    label: Label.describe('What the block prints before anyone signs'),
    who: z.object({ vi: z.string(), en: z.string() }).strict().describe('Who signs it'),
    signed: z.boolean(),
  })
  .strict();
const SignatureView = z
  .object({
    slotId: z.string(),
    userId: z.string(),
    name: z.string(),
    position: z.enum(POSITIONS).optional(),
    label: Label.describe('As printed: a Deputy Director under delegation "KT. GIÁM ĐỐC" / "PHÓ GIÁM ĐỐC"'),
    at: z.string().describe('ISO time of the signature'),
    mode: z.enum(['certificate', 'system']).describe('certificate: the signer\'s certificate signs the issued PDF (PAdES); system: an authenticated act in KHCN Flow'),
  })
  .strict();
const Links = z.object({ self: z.string(), draft: z.string(), task: z.string(), document: z.string().optional() }).strict();
export const IssuanceSummary = z
  .object({
    documentId: z.string(),
    taskId: z.string(),
    taskTitle: z.string(),
    kind: z.string(),
    title: z.string().describe('The document, in Vietnamese'),
    status: z.enum(STATUSES),
    number: z.string().optional().describe('Số/ký hiệu from the outgoing register'),
    registeredOn: z.string().optional().describe('Date in the outgoing register, YYYY-MM-DD'),
    draftedAt: z.string(),
    dueOn: z.string().describe('Issue by (an obligation of the task, reminded and escalated)'),
    overdue: z.boolean(),
    issuedAt: z.string().optional(),
    signatures: z.array(SignatureView),
    effective: z.object({ command: z.string(), label: z.object({ vi: z.string(), en: z.string() }).strict() }).strict().optional().describe('A decision: the command that takes effect when it is issued'),
    links: Links,
  })
  .strict();
export const IssuanceDetail = IssuanceSummary.extend({
  slots: z.array(SlotView),
  registeredBy: z.object({ userId: z.string(), name: z.string() }).strict().optional(),
  issuedBy: z.object({ userId: z.string(), name: z.string() }).strict().optional(),
  document: z.object({ documentId: z.string(), title: z.string(), number: z.string().optional(), stateHash: z.string(), url: z.string() }).strict().optional().describe('The issued document (signed PDF), once issued'),
  allowedActions: z.array(z.enum(['sign', 'register', 'issue'])).describe('What the caller may do now'),
}).strict();
const PendingItem = IssuanceSummary.extend({
  slot: z.object({ slotId: z.string(), label: Label.describe('What the caller\'s block will print') }).strict(),
}).strict();
export const PendingSignatures = z.object({ items: z.array(PendingItem) }).strict();
export const IssuanceList = z.object({ items: z.array(IssuanceSummary), nextCursor: z.string().nullable(), limit: z.number().int() }).strict();

export const PendingQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).optional() }).strict();
export const IssuanceListQuery = z
  .object({
    status: z.string().regex(new RegExp(`^(${STATUSES.join('|')})(,(${STATUSES.join('|')}))*$`)).optional().describe('Comma-separated statuses'),
    taskId: z.string().regex(/^NV-[0-9A-Z]{10,32}$/).optional(),
    cursor: z.string().regex(/^[A-Za-z0-9_-]{1,200}$/).optional(),
    limit: z.coerce.number().int().min(1).max(100).optional(),
  })
  .strict();
export const SignBody = z.object({ slotId: z.string().regex(/^[a-z_]{1,30}$/).optional().describe('The block to sign when the caller could sign several') }).strict();
export const RegisterBody = z
  .object({
    number: z.string().regex(/^[0-9]{1,6}\/[0-9A-Za-zĐđ&./-]{1,40}$/).optional().describe('From the Department\'s paper register, e.g. "15/QĐ-SKHCN"; absent: the next number of the system\'s register'),
    registeredOn: isoDate.optional().describe('The register date (with number); absent: today'),
  })
  .strict();
export const IssueBody = z.object({}).strict();

// ---------------------------------------------------------------------------------------------
// Views
// ---------------------------------------------------------------------------------------------

const base = (id: string) => `/api/v1/documents/${id}`;

function summary(d: IssuanceDoc) {
  const today = vnDateOf(new Date().toISOString());
  return {
    documentId: d._id,
    taskId: d.taskId,
    taskTitle: d.taskTitle,
    kind: d.kind,
    title: d.title,
    status: d.status,
    ...(d.number ? { number: d.number } : {}),
    ...(d.registeredOn ? { registeredOn: d.registeredOn } : {}),
    draftedAt: d.draftedAt,
    dueOn: d.dueOn,
    overdue: d.status !== 'ISSUED' && d.status !== 'WITHDRAWN' && compareDates(today, d.dueOn) > 0,
    ...(d.issuedAt ? { issuedAt: d.issuedAt } : {}),
    signatures: d.signatures.map((s) => ({ slotId: s.slotId, userId: s.userId, name: s.name, ...(s.position ? { position: s.position } : {}), label: s.label, at: s.at, mode: s.mode })),
    ...(d.effective ? { effective: d.effective } : {}),
    links: {
      self: base(d._id),
      draft: `${base(d._id)}/draft`,
      task: `/api/v1/tasks/${d.taskId}`,
      ...(d.document ? { document: `/api/v1/tasks/${d.taskId}/documents/${d.document.documentId}` } : {}),
    },
  };
}

function facts(d: Pick<IssuanceDoc, 'status' | 'slots' | 'signatures'>) {
  return { status: d.status, slots: d.slots, signatures: d.signatures };
}

const signerOf = (u: Caller): Signer => ({ userId: u.userId, role: u.role, name: u.name, email: u.email, orgId: u.orgId, position: u.position, areas: u.areas });

function allowedActions(d: IssuanceDoc, u: Caller): ('sign' | 'register' | 'issue')[] {
  const who = signerOf(u);
  return [
    ...('slot' in signRefusal(facts(d), who) ? (['sign'] as const) : []),
    ...(registerRefusal(facts(d), who) ? [] : (['register'] as const)),
    ...(issueRefusal(facts(d), who) ? [] : (['issue'] as const)),
  ];
}

function detail(d: IssuanceDoc, u: Caller) {
  return {
    ...summary(d),
    slots: d.slots.map((s) => ({ slotId: s.slotId, party: s.party, label: s.label, who: whoSigns(s), signed: d.signatures.some((x) => x.slotId === s.slotId) })),
    ...(d.registeredBy ? { registeredBy: { userId: d.registeredBy.userId, name: d.registeredBy.name } } : {}),
    ...(d.issuedBy ? { issuedBy: { userId: d.issuedBy.userId, name: d.issuedBy.name } } : {}),
    ...(d.document ? { document: { documentId: d.document.documentId, title: d.document.title, ...(d.document.number ? { number: d.document.number } : {}), stateHash: d.document.stateHash, url: `/api/v1/tasks/${d.taskId}/documents/${d.document.documentId}` } } : {}),
    allowedActions: allowedActions(d, u),
  };
}

const whoSigns = slotAssignee;

/** Stored bytes as a Buffer (a lean read gives BSON Binary). */
function bytesOf(data: unknown): Buffer {
  if (Buffer.isBuffer(data)) return data;
  const b = (data as { buffer?: ArrayBufferLike | Uint8Array }).buffer;
  return b instanceof Uint8Array ? Buffer.from(b) : Buffer.from(new Uint8Array(b as ArrayBufferLike));
}

/** Who may see a document on its way out: the Department, and whoever holds one of its slots. */
function canSee(u: Caller, d: Pick<IssuanceDoc, 'departmentId' | 'slots'>): boolean {
  if (u.role === 'manager' || u.role === 'admin') return u.departmentId === d.departmentId;
  if (u.role === 'researcher') return d.slots.some((s) => s.requirement.kind === 'host' && s.requirement.orgId === u.orgId);
  return d.slots.some((s) => s.requirement.kind === 'member' && s.requirement.userId === u.userId);
}

/** A refusal as problem+json: 403 not the caller's to do, 409 not now, 422 a bad register entry. */
function refusalProblem(r: Refusal, type: string, locale: 'vi' | 'en' = 'vi'): Problem {
  const extras = { rule: r.rule, code: type };
  switch (type) {
    case 'NOT_COMPETENT_SIGNER':
    case 'CLERK_ONLY':
      return new Problem(403, 'forbidden', { vi: 'Không có thẩm quyền', en: 'Not competent' }, r.message, extras);
    case 'INVALID_REGISTRATION':
      return new Problem(422, 'business-rule', { vi: 'Vi phạm quy định', en: 'Refused by a business rule' }, r.message, {
        ...extras,
        errors: [{ field: /ngày|date/i.test(r.message.en) && !/number and/i.test(r.message.en) ? 'registeredOn' : 'number', code: 'invalid_registration', reason: r.message[locale] }],
      });
    case 'NUMBER_TAKEN':
      return new Problem(409, 'number-taken', { vi: 'Số đã có trong sổ văn bản đi', en: 'Number already registered' }, r.message, { ...extras, errors: [{ field: 'number', code: 'number_taken', reason: r.message[locale] }] });
    default:
      return new Problem(409, 'issuance-not-allowed', { vi: 'Thao tác không hợp lệ ở thời điểm này', en: 'Not allowed now' }, r.message, extras);
  }
}

function updateProblem(err: unknown, locale: 'vi' | 'en'): Problem | undefined {
  if (err instanceof WorkflowNotFoundError) {
    return refusalProblem({ code: 'ALREADY_ISSUED', rule: 'issue-12', message: { vi: 'Văn bản đã được ban hành hoặc đã hủy.', en: 'The document has been issued or withdrawn.' } }, 'ALREADY_ISSUED', locale);
  }
  if (!(err instanceof WorkflowUpdateFailedError) || !(err.cause instanceof ApplicationFailure)) return undefined;
  const cause = err.cause;
  const r = (cause.details?.[0] as Refusal | undefined) ?? { code: cause.type ?? 'refused', rule: 'issue-12', message: { vi: cause.message, en: cause.message } };
  return refusalProblem(r, cause.type ?? r.code, locale);
}

// ---------------------------------------------------------------------------------------------
// Routes
// ---------------------------------------------------------------------------------------------

export function documentsRouter(deps: ApiDeps): Router {
  const { store, temporal } = deps;
  const r = Router();
  const models = () => issuanceModels(store.connection);

  async function load(u: Caller, documentId: string): Promise<IssuanceDoc> {
    const { Issuance, ready } = models();
    await ready;
    const d = await Issuance.findById(documentId).select('-draft -draftRequest').lean<IssuanceDoc>();
    if (!d || !canSee(u, d)) throw notFound();
    return d;
  }

  r.get('/signatures/pending', async (req, res) => {
    const u = caller(req);
    const { limit = 100 } = parseOrThrow(PendingQuery, req.query, pickLocale(req), 'query');
    const { Issuance, ready } = models();
    await ready;
    const filter =
      u.role === 'manager' ? { departmentId: u.departmentId, status: 'AWAITING_SIGNATURE', departmentSlotOpen: true }
      : u.role === 'researcher' ? { eligibleOrgIds: u.orgId, status: 'AWAITING_SIGNATURE' }
      : u.role === 'council_member' ? { eligibleUserIds: u.userId, status: 'AWAITING_SIGNATURE' }
      : undefined;
    const rows = filter ? await Issuance.find(filter).select('-draft -draftRequest').sort({ dueOn: 1, _id: 1 }).limit(500).lean<IssuanceDoc[]>() : [];
    const who = signerOf(u);
    const items = rows.flatMap((d) => {
      const s = signRefusal(facts(d), who);
      return 'slot' in s ? [{ ...summary(d), slot: { slotId: s.slot.slotId, label: signatureLabel(s.slot, who) } }] : [];
    });
    res.json({ items: items.slice(0, limit) });
  });

  r.get('/documents', requireRole('manager', 'admin'), async (req, res) => {
    const u = caller(req);
    const q = parseOrThrow(IssuanceListQuery, req.query, pickLocale(req), 'query');
    const limit = q.limit ?? 50;
    const { Issuance, ready } = models();
    await ready;
    const and: Record<string, unknown>[] = [{ departmentId: u.departmentId }];
    const statuses = q.status?.split(',');
    if (statuses) and.push({ status: statuses.length === 1 ? statuses[0] : { $in: statuses } });
    if (q.taskId) and.push({ taskId: q.taskId });
    if (q.cursor) {
      const [at, id] = Buffer.from(q.cursor, 'base64url').toString('utf8').split('|');
      and.push({ $or: [{ draftedAt: { $lt: at } }, { draftedAt: at, _id: { $lt: id } }] });
    }
    const rows = await Issuance.find({ $and: and }).select('-draft -draftRequest').sort({ draftedAt: -1, _id: -1 }).limit(limit + 1).lean<IssuanceDoc[]>();
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    res.json({ items: page.map(summary), nextCursor: rows.length > limit && last ? Buffer.from(`${last.draftedAt}|${last._id}`).toString('base64url') : null, limit });
  });

  r.get('/documents/:documentId', async (req, res) => {
    const { documentId } = parseOrThrow(DocumentIdParam, req.params, pickLocale(req), 'path');
    const u = caller(req);
    res.json(detail(await load(u, documentId), u));
  });

  r.get('/documents/:documentId/draft', async (req, res) => {
    const { documentId } = parseOrThrow(DocumentIdParam, req.params, pickLocale(req), 'path');
    await load(caller(req), documentId);
    const { Issuance } = models();
    const d = await Issuance.findById(documentId).select('draft').lean<IssuanceDoc>();
    if (!d?.draft) throw notFound();
    res
      .status(200)
      .type('application/pdf')
      .set('Content-Disposition', `attachment; filename="${d.draft.filename.replace(/[^\x20-\x7e]|"/g, '_')}"; filename*=UTF-8''${encodeURIComponent(d.draft.filename)}`)
      .set('X-State-Hash', d.draft.stateHash)
      .send(bytesOf(d.draft.data));
  });

  const act = <K extends IssuanceCommandName>(action: 'sign' | 'register' | 'issue', name: K, bodySchema: z.ZodType<Record<string, unknown>>) => {
    r.post(`/documents/:documentId/${action}`, async (req, res) => {
      const locale = pickLocale(req);
      const { documentId } = parseOrThrow(DocumentIdParam, req.params, locale, 'path');
      const u = caller(req);
      const d = await load(u, documentId);
      const body = parseOrThrow(bodySchema, requireJsonBody(req, true), locale);
      // The rules first, on what the read model says (the workflow's validator has the last word).
      const who = signerOf(u);
      if (action === 'sign') {
        const s = signRefusal(facts(d), who, body.slotId as string | undefined);
        if ('refusal' in s) throw refusalProblem(s.refusal, s.refusal.code, locale);
      } else {
        const refusal = action === 'register' ? registerRefusal(facts(d), who) : issueRefusal(facts(d), who);
        if (refusal) throw refusalProblem(refusal, refusal.code, locale);
      }
      if (action === 'register' && typeof body.number === 'string') {
        // A number from the paper register carries this document's type (Decree 30: "15/QĐ-SKHCN").
        const symbol = DOCUMENT_TYPE_SYMBOL[d.kind as keyof typeof DOCUMENT_TYPE_SYMBOL];
        if (symbol && !body.number.includes(`/${symbol}-`)) {
          const message = {
            vi: `Số văn bản phải mang ký hiệu loại văn bản "${symbol}" (ví dụ 15/${symbol}-SKHCN).`,
            en: `The number must carry the document type "${symbol}" (e.g. 15/${symbol}-SKHCN).`,
          };
          throw new Problem(422, 'business-rule', { vi: 'Vi phạm quy định', en: 'Refused by a business rule' }, message, { rule: 'issue-12', errors: [{ field: 'number', code: 'invalid_number', reason: message[locale] }] });
        }
      }
      let view: IssuanceView;
      try {
        view = await temporal.workflow.getHandle(issuanceWorkflowId(documentId)).executeUpdate(issuanceUpdate(name), { args: [{ ...body, by: actorOf(u) } as never] });
      } catch (err) {
        throw updateProblem(err, locale) ?? err;
      }
      await audit(deps, req, u, { kind: 'document', action: `${action}Document`, departmentId: d.departmentId, taskId: d.taskId, item: documentId, from: d.status, to: view.status, rule: 'issue-12' });
      const { documentId: _id, ...rest } = view;
      res.json(detail({ ...d, ...rest, _id } as IssuanceDoc, u));
    });
  };
  act('sign', 'signDocument', SignBody);
  act('register', 'registerDocument', RegisterBody);
  act('issue', 'issueDocument', IssueBody);

  return r;
}

/** The paths of this router in the OpenAPI document. */
export function registerDocumentPaths(
  registry: OpenAPIRegistry,
  h: { json: (d: string, s: z.ZodType) => unknown; readErrors: Record<string, unknown>; writeErrors: Record<string, unknown>; languageHeader: z.ZodObject; writeHeaders: z.ZodObject },
): void {
  const secured: Record<string, string[]>[] = [{ bearer: [] }, { session: [] }];
  const path = (route: RouteConfig) => registry.registerPath(route);
  registry.register('IssuanceDetail', IssuanceDetail);
  path({
    method: 'get',
    path: '/api/v1/signatures/pending',
    operationId: 'pendingSignatures',
    summary: 'What awaits the caller\'s signature, deadlines first (issue 12)',
    description:
      'The Director: every draft with a Department leader\'s block; a Deputy Director: those of their delegated areas (signed "KT. GIÁM ĐỐC"); officers and heads of division: the records they may sign for the Department; a host\'s researcher: party B\'s block of its contracts, annexes and liquidation records; a council\'s chair and secretary: its minutes. Each item says what the caller\'s block will print. An admin has nothing to sign (empty list).',
    security: secured,
    request: { query: PendingQuery, headers: h.languageHeader },
    responses: { 200: h.json('Drafts awaiting the caller\'s signature', PendingSignatures) as never, ...(h.readErrors as object) },
  });
  path({
    method: 'get',
    path: '/api/v1/documents',
    operationId: 'listOutgoingDocuments',
    summary: 'The Department\'s outgoing documents by status: the clerk\'s queue (SIGNED: to register; REGISTERED: to issue) and the outgoing register (ISSUED)',
    description: 'The Department\'s staff and admin. Newest draft first; cursor pagination.',
    security: secured,
    request: { query: IssuanceListQuery, headers: h.languageHeader },
    responses: { 200: h.json('A page of documents', IssuanceList) as never, ...(h.readErrors as object) },
  });
  path({
    method: 'get',
    path: '/api/v1/documents/{documentId}',
    operationId: 'getOutgoingDocument',
    summary: 'A document on its way out: its signature blocks and signatures, register entry, the issued document, and what the caller may do',
    security: secured,
    request: { params: DocumentIdParam, headers: h.languageHeader },
    responses: { 200: h.json('The document', IssuanceDetail) as never, ...(h.readErrors as object) },
  });
  path({
    method: 'get',
    path: '/api/v1/documents/{documentId}/draft',
    operationId: 'getDocumentDraft',
    summary: 'The draft PDF (watermarked DỰ THẢO, no number or date), as the signer reviews it',
    security: secured,
    request: { params: DocumentIdParam, headers: h.languageHeader },
    responses: { 200: { description: 'The draft', content: { 'application/pdf': { schema: z.string().describe('binary') } } }, ...(h.readErrors as object) },
  });
  const write = (action: string, operationId: string, summary: string, description: string, body: z.ZodType) =>
    path({
      method: 'post',
      path: `/api/v1/documents/{documentId}/${action}`,
      operationId,
      summary,
      description,
      security: secured,
      request: { params: DocumentIdParam, headers: h.writeHeaders, body: { required: false, content: { 'application/json': { schema: body } } } },
      responses: { 200: h.json('The document after it', IssuanceDetail) as never, ...(h.writeErrors as object) },
    });
  write('sign', 'signDocument', 'Sign the draft (the competent signer)', 'The Director, a Deputy Director delegated the document\'s area (printed "KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC"), the staff member who led a record, party B\'s researcher, a council\'s chair or secretary. 403 not-competent (e.g. an officer on a decision, a Deputy outside their areas, a researcher on a Department document); 409 signed already, or past signing.', SignBody);
  write('register', 'registerDocument', 'Register it in the outgoing register: number and date (the clerk)', 'The next number of the Department\'s series for the year and type, dated today; or both from the Department\'s paper register (the number must carry the document\'s type, e.g. 15/QĐ-SKHCN, and not be in the register already: 409 number-taken). 403 when not the clerk; 409 before every block is signed, or registered already; 422 a bad entry (date in the future or before the signature, number without date).', RegisterBody);
  write('issue', 'issueDocument', 'Issue it (the clerk): the decision takes effect, the PDF is rendered, digitally signed and sent', 'A decision\'s command takes effect now (e.g. the task moves to APPROVED); the issued PDF (number, date, the signers\' blocks with their visible signatures; PAdES signatures of the signer and of the Department) is listed with the task and e-mailed. 403 when not the clerk; 409 before it is registered, or issued already.', IssueBody);
}
