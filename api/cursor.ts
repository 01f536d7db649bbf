/**
 * Opaque cursors for keyset pagination: the sort key and _id of the last item
 * served, with the sort and a hash of the filters they belong to. A page is then
 * "items after (value, _id) in this order", which an index on (scope, key, _id)
 * serves as a range scan, and which stays correct when items are inserted
 * meanwhile (nothing is skipped or repeated, unlike skip/offset).
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { Problem } from './problem';

const CursorPayload = z
  .object({
    /** sort field and order the cursor belongs to */
    s: z.string().max(40),
    /** hash of the filters */
    f: z.string().max(64),
    /** the last item's sort value (a string: dates are ISO strings) */
    v: z.string().max(2_000),
    /** the last item's _id */
    id: z.string().max(200),
  })
  .strict();
export type CursorPayload = z.infer<typeof CursorPayload>;

export const filterHash = (filters: unknown): string => createHash('sha256').update(JSON.stringify(filters)).digest('base64url').slice(0, 22);

export const encodeCursor = (c: CursorPayload): string => Buffer.from(JSON.stringify(c), 'utf8').toString('base64url');

const invalidCursor = (why: { vi: string; en: string }) =>
  new Problem(400, 'invalid-cursor', { vi: 'Con trỏ trang không hợp lệ', en: 'Invalid cursor' }, why, {
    in: 'query',
    errors: [{ field: 'cursor', code: 'invalid_cursor', reason: why.en }],
  });

/** The cursor's position, if it was issued for the same sort and filters. */
export function decodeCursor(cursor: string, sort: string, filters: unknown): CursorPayload {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor({ vi: 'Con trỏ không đọc được; hãy dùng nextCursor của trang trước.', en: 'The cursor cannot be read; use the previous page\'s nextCursor.' });
  }
  const c = CursorPayload.safeParse(parsed);
  if (!c.success) throw invalidCursor({ vi: 'Con trỏ không đọc được; hãy dùng nextCursor của trang trước.', en: 'The cursor cannot be read; use the previous page\'s nextCursor.' });
  if (c.data.s !== sort || c.data.f !== filterHash(filters)) {
    throw invalidCursor({ vi: 'Con trỏ thuộc về một truy vấn khác (bộ lọc hoặc cách sắp xếp đã đổi).', en: 'The cursor belongs to another query (filters or sort changed).' });
  }
  return c.data;
}

/** The MongoDB condition "after (value, id)" for a sort on `field` then _id. */
export function afterCondition(field: string, order: 'asc' | 'desc', value: unknown, id: string): Record<string, unknown> {
  const op = order === 'asc' ? '$gt' : '$lt';
  return { $or: [{ [field]: { [op]: value } }, { [field]: value, _id: { [op]: id } }] };
}
