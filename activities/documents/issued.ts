/**
 * Issue 12: an issued document as it leaves the Department: rendered with its number, register
 * date and the signers' blocks (each with its visible signature), then digitally signed (PAdES):
 * by each Department signer who has a certificate, in order, and last by the Department itself
 * as the clerk issues it, which covers the whole file.
 */
import type { TaskDocumentSnapshot } from '../../workflows/task-documents';
import { renderTaskDocument, taskDocumentTitle } from './task-documents';
import type { DocumentSigningService } from './signing';

export interface SigningLog {
  warn(message: string, meta: Record<string, unknown>): void;
}

/** PAdES signatures of an issued document; without a signing service the PDF is returned as it is (and a warning logged). */
export async function signIssuedDocument(pdf: Buffer, snapshot: TaskDocumentSnapshot, signing: DocumentSigningService | undefined, log: SigningLog): Promise<Buffer> {
  if (!signing) {
    log.warn('issued document not digitally signed: no signing certificate configured (SIGNING_P12_PATH)', { taskId: snapshot.state.taskId, kind: snapshot.kind });
    return pdf;
  }
  const title = taskDocumentTitle(snapshot);
  let signed = pdf;
  for (const sig of snapshot.issuance?.signatures ?? []) {
    if (sig.mode !== 'certificate') continue;
    const signer = { userId: sig.userId, name: sig.name, ...(sig.email ? { email: sig.email } : {}) };
    if (!signing.certificateFor(signer)) {
      log.warn('signer has no certificate: the signature is recorded, not digital', { taskId: snapshot.state.taskId, userId: sig.userId });
      continue;
    }
    signed = await signing.sign(signed, { signer, reason: `Ký ${title}`, location: snapshot.place, signedAt: new Date(sig.at), ...(sig.email ? { contactInfo: sig.email } : {}) });
  }
  const number = snapshot.issuance?.number;
  return signing.sign(signed, { reason: `Phát hành ${title}${number ? ` số ${number}` : ''}`, location: snapshot.place, signedAt: new Date(snapshot.issuance?.issuedAt ?? snapshot.issuedAt) });
}

/** Render and sign: the issued PDF. */
export async function renderIssuedDocument(snapshot: TaskDocumentSnapshot, stateHash: string, signing: DocumentSigningService | undefined, log: SigningLog): Promise<Buffer> {
  const pdf = await renderTaskDocument(snapshot, stateHash, snapshot.issuance?.number);
  return signIssuedDocument(pdf, snapshot, signing, log);
}
