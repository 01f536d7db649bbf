/**
 * One official document on its way out (issue 12), as a child workflow of its task:
 * draft (watermarked "DỰ THẢO", rendered from the recorded state) → signed by the competent
 * person(s) → registered by the clerk in the Department's outgoing register (number and date
 * from the system's register, or entered from the paper one) → issued by the clerk. On issue the
 * task renders the issued PDF (a decision: after it takes effect), signs it (PAdES) and lists and
 * mails it; this workflow then ends. Signatures, registration and issue are updates with
 * validators: a refusal has its reason (rules/authority.ts) and records nothing.
 * Deterministic code only; every step survives a worker restart.
 */
import { ActivityFailure, ApplicationFailure, allHandlersFinished, condition, getExternalWorkflowHandle, proxyActivities, setHandler } from '@temporalio/workflow';
import type { Activities } from '../activities';
import {
  documentIssuedSignal,
  documentReadySignal,
  getIssuanceQuery,
  issuanceUpdate,
  withdrawDocumentSignal,
  type Actor,
  type DocumentRef,
  type IssuanceInput,
  type IssuanceView,
} from './definitions';
import { issueRefusal, openSlots, registerRefusal, signatureRecord, signRefusal } from './rules/authority';
import { compareDates, vnDateOf } from './rules/calendar';
import { refuse, type Refusal } from './rules/transitions';
import { serialReadModelWriter } from './read-model-writer';

const { renderDocumentDraft, recordIssuance, registerOutgoingDocument } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

const refOf = (a: Actor) => ({ userId: a.userId, role: a.role, name: a.name });

export async function documentIssuanceWorkflow(input: IssuanceInput): Promise<IssuanceView> {
  const now = () => new Date().toISOString();
  const view: IssuanceView = {
    documentId: input.documentId,
    taskId: input.taskId,
    taskTitle: input.taskTitle,
    departmentId: input.departmentId,
    kind: input.kind,
    title: input.title,
    status: 'AWAITING_SIGNATURE',
    slots: input.slots,
    // Party B's signature of a contract is its command (L-11): already there when drafted.
    signatures: input.slots.flatMap((s) => (s.presigned ? [s.presigned] : [])),
    ...(input.effective ? { effective: input.effective } : {}),
    draftedAt: now(),
    dueOn: input.dueOn,
    version: 1,
  };
  if (openSlots(view).length === 0) view.status = 'SIGNED';
  let drafted = false;
  let issued: DocumentRef | undefined;
  let issuing = false;

  setHandler(getIssuanceQuery, () => view);
  const writer = serialReadModelWriter(() => JSON.parse(JSON.stringify(view)) as IssuanceView, (v) => recordIssuance(v));
  async function save() {
    view.version += 1;
    await writer.written(view.version);
  }
  function fail(r: Refusal): never {
    throw ApplicationFailure.create({ type: r.code, message: r.message.en, details: [r], nonRetryable: true });
  }

  // ---------- signature ----------
  const checkSign = (p: { by: Actor; slotId?: string }) => {
    const r = signRefusal(view, p.by, p.slotId);
    if ('refusal' in r) fail(r.refusal);
    return r.slot;
  };
  setHandler(
    issuanceUpdate('signDocument'),
    async (p) => {
      await condition(() => drafted);
      const slot = checkSign(p); // another signer may have signed meanwhile
      view.signatures.push(signatureRecord(slot, p.by, now()));
      if (openSlots(view).length === 0) view.status = 'SIGNED';
      await save();
      return view;
    },
    { validator: (p) => void checkSign(p) },
  );

  // ---------- registration in the outgoing register ----------
  const checkRegister = (p: { by: Actor; number?: string; registeredOn?: string }) => {
    const r = registerRefusal(view, p.by);
    if (r) fail(r);
    if (Boolean(p.number) !== Boolean(p.registeredOn)) {
      fail(refuse('INVALID_REGISTRATION', 'issue-12', 'Số và ngày từ sổ văn bản đi được nhập cùng nhau (hoặc để hệ thống cấp cả hai).', 'The number and the date from the outgoing register go together (or let the system give both).'));
    }
    if (p.registeredOn) {
      const today = vnDateOf(now());
      const signedOn = vnDateOf(view.signatures.map((s) => s.at).sort().at(-1) ?? view.draftedAt);
      if (compareDates(p.registeredOn, today) > 0) fail(refuse('INVALID_REGISTRATION', 'issue-12', 'Ngày vào sổ không được sau hôm nay.', 'The register date cannot be in the future.'));
      if (compareDates(p.registeredOn, signedOn) < 0) fail(refuse('INVALID_REGISTRATION', 'issue-12', 'Ngày vào sổ không được trước ngày ký.', 'The register date cannot be before the signature.'));
    }
  };
  setHandler(
    issuanceUpdate('registerDocument'),
    async (p) => {
      await condition(() => drafted);
      checkRegister(p);
      let entry: { number: string; registeredOn: string };
      try {
        entry = await registerOutgoingDocument({
          documentId: input.documentId,
          taskId: input.taskId,
          departmentId: input.departmentId,
          departmentName: input.draft.snapshot.departmentName,
          kind: input.kind,
          registeredOn: p.registeredOn ?? vnDateOf(now()),
          ...(p.number ? { number: p.number } : {}),
          ...(input.draft.snapshot.subject?.certificate ? { certificateNumber: input.draft.snapshot.subject.certificate.number } : {}),
        });
      } catch (err) {
        // A number already in the register: the clerk's entry is refused, nothing recorded.
        if (err instanceof ActivityFailure && err.cause instanceof ApplicationFailure && err.cause.type === 'NUMBER_TAKEN') throw err.cause;
        throw err;
      }
      view.number = entry.number;
      view.registeredOn = entry.registeredOn;
      view.registeredBy = refOf(p.by);
      view.status = 'REGISTERED';
      await save();
      return view;
    },
    { validator: (p) => checkRegister(p) },
  );

  // ---------- issue ----------
  const checkIssue = (p: { by: Actor }) => {
    const r = issueRefusal(view, p.by);
    if (r) fail(r);
    if (issuing) fail(refuse('ALREADY_ISSUED', 'issue-12', 'Văn bản đang được phát hành.', 'The document is being issued.'));
  };
  setHandler(
    issuanceUpdate('issueDocument'),
    async (p) => {
      await condition(() => drafted);
      checkIssue(p);
      issuing = true;
      const issuedAt = now();
      // The task renders the issued PDF (a decision: once it has taken effect), signs and lists it.
      await getExternalWorkflowHandle(input.parentWorkflowId).signal(documentReadySignal, {
        documentId: input.documentId,
        issuance: { slots: view.slots, signatures: view.signatures, number: view.number!, registeredOn: view.registeredOn!, issuedAt, issuedBy: refOf(p.by) },
      });
      await condition(() => issued !== undefined || view.status === 'WITHDRAWN');
      if (!issued) fail(refuse('WITHDRAWN', 'issue-12', 'Dự thảo đã bị hủy.', 'The draft was withdrawn.'));
      view.document = issued;
      view.issuedAt = issuedAt;
      view.issuedBy = refOf(p.by);
      view.status = 'ISSUED';
      await save();
      return view;
    },
    { validator: (p) => checkIssue(p) },
  );

  setHandler(documentIssuedSignal, ({ document }) => {
    issued = document;
  });
  setHandler(withdrawDocumentSignal, () => {
    if (view.status !== 'ISSUED' && !issued) view.status = 'WITHDRAWN';
  });

  // ---------- draft ----------
  await renderDocumentDraft({ input, view: JSON.parse(JSON.stringify(view)) as IssuanceView });
  drafted = true;

  await condition(() => view.status === 'ISSUED' || view.status === 'WITHDRAWN');
  await condition(allHandlersFinished);
  await save();
  return view;
}
