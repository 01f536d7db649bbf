/** Task IDs: `NV-` + Crockford base32. Derived from the caller's Idempotency-Key when one is given. */
import { createHash, randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

function base32(bytes: Uint8Array, length: number): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5 && out.length < length) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out;
}

export const newTaskId = (): string => `NV-${base32(randomBytes(10), 16)}`;

/** The same caller and key always name the same task, so a retried request finds its workflow. */
export const taskIdForIdempotencyKey = (userId: string, key: string): string =>
  `NV-${base32(createHash('sha256').update(`${userId}\u0000${key}`).digest(), 16)}`;

/**
 * An imported task's ID, from the Department and its own code of the task (portfolio import): the
 * same code always names the same task and workflow, so importing a file again starts nothing new.
 * Codes compare as written, ignoring case, surrounding spaces and Unicode composition.
 */
export const importedTaskId = (departmentId: string, code: string): string =>
  `NV-${base32(createHash('sha256').update(`import\u0000${departmentId}\u0000${code.normalize('NFC').trim().toUpperCase()}`).digest(), 16)}`;
