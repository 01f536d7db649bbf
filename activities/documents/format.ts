/**
 * Pure formatting helpers shared by documents (PDF) and emails.
 *
 * Nothing here depends on ICU locale or time-zone data: Node builds without full ICU would
 * otherwise print "1,500,000,000" or shift dates silently, and an official document must not.
 */
import { formatVnd as groupVnd } from '../../workflows/rules/money';
import { createHash } from 'node:crypto';

/**
 * Vietnam (Asia/Ho_Chi_Minh) has kept a fixed UTC+07:00 offset with no daylight saving since
 * 1975, so a constant offset is exact for every date this product handles.
 */
const VIETNAM_UTC_OFFSET_MS = 7 * 60 * 60 * 1000;

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
/** ISO 8601 timestamp that states its zone (Z or ±hh:mm), e.g. 2026-11-23T18:30:00.000Z. */
const ZONED_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;

/**
 * Money is integer VND (domain.md §1). Vietnamese groups thousands with dots:
 * 1500000000 → "1.500.000.000 đồng".
 */
export function formatVnd(amount: number): string {
  if (!Number.isSafeInteger(amount)) {
    throw new RangeError(`formatVnd: amount must be a safe integer number of VND, got ${String(amount)}`);
  }
  return `${groupVnd(amount)} đồng`;
}

/** A calendar date as seen on a wall clock in Vietnam. */
export interface VietnamCalendarDate {
  year: number;
  month: number;
  day: number;
}

/**
 * The calendar date in Asia/Ho_Chi_Minh of an ISO timestamp, or of a plain yyyy-mm-dd date
 * (which is taken as already being a Vietnamese calendar date).
 * Timestamps must carry their zone: a zone-less timestamp would be read in the host's zone.
 */
export function vietnamCalendarDate(iso: string): VietnamCalendarDate {
  const dateOnly = DATE_ONLY.exec(iso);
  if (dateOnly) {
    const year = Number(dateOnly[1]);
    const month = Number(dateOnly[2]);
    const day = Number(dateOnly[3]);
    const check = new Date(Date.UTC(year, month - 1, day));
    if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
      throw new RangeError(`Invalid calendar date: "${iso}"`);
    }
    return { year, month, day };
  }
  if (!ZONED_TIMESTAMP.test(iso)) {
    throw new RangeError(
      `Expected an ISO timestamp with a time zone (Z or ±hh:mm) or a yyyy-mm-dd date, got "${iso}"`,
    );
  }
  const instant = Date.parse(iso);
  if (Number.isNaN(instant)) {
    throw new RangeError(`Invalid ISO timestamp: "${iso}"`);
  }
  const wallClock = new Date(instant + VIETNAM_UTC_OFFSET_MS);
  return { year: wallClock.getUTCFullYear(), month: wallClock.getUTCMonth() + 1, day: wallClock.getUTCDate() };
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/** "dd/mm/yyyy" in Asia/Ho_Chi_Minh: 2026-11-23T18:30:00Z → "24/11/2026". */
export function formatDateVi(iso: string): string {
  const { year, month, day } = vietnamCalendarDate(iso);
  return `${pad2(day)}/${pad2(month)}/${year}`;
}

/**
 * The place-and-date line of an administrative document:
 * "Tây Ninh, ngày 23 tháng 11 năm 2026".
 * Decree 30/2020/NĐ-CP (document format) writes days below 10 and the months 1 and 2 with a
 * leading zero ("ngày 05 tháng 02"), other months without ("tháng 3"), so months 1–2 cannot be
 * misread as 10–12 when the date is altered by hand.
 */
export function placeAndDateVi(place: string, iso: string): string {
  const { year, month, day } = vietnamCalendarDate(iso);
  const monthText = month <= 2 ? pad2(month) : String(month);
  return `${place.trim()}, ngày ${pad2(day)} tháng ${monthText} năm ${year}`;
}

/**
 * Canonical JSON: JSON semantics (toJSON is honoured, undefined/functions dropped from objects)
 * with object keys sorted recursively. Values that JSON would silently turn into something else
 * (NaN, Infinity, bigint, Map, Set, cycles) are refused so two different states never share a hash.
 */
export function canonicalJson(value: unknown): string {
  const seen = new Set<object>();

  const encode = (input: unknown, path: string): string | undefined => {
    let v = input;
    if (v !== null && typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON === 'function') {
      v = (v as { toJSON: () => unknown }).toJSON();
    }
    switch (typeof v) {
      case 'string':
      case 'boolean':
        return JSON.stringify(v);
      case 'number':
        if (!Number.isFinite(v)) throw new TypeError(`canonicalJson: non-finite number at ${path}`);
        return JSON.stringify(v);
      case 'bigint':
        throw new TypeError(`canonicalJson: bigint at ${path} (store money as integer numbers)`);
      case 'undefined':
      case 'function':
      case 'symbol':
        return undefined;
      default:
        break;
    }
    if (v === null) return 'null';
    const obj = v as object;
    if (obj instanceof Map || obj instanceof Set) {
      throw new TypeError(`canonicalJson: ${obj.constructor.name} at ${path} is not plain JSON`);
    }
    if (seen.has(obj)) throw new TypeError(`canonicalJson: circular reference at ${path}`);
    seen.add(obj);
    try {
      if (Array.isArray(obj)) {
        return `[${obj.map((item, i) => encode(item, `${path}[${i}]`) ?? 'null').join(',')}]`;
      }
      const record = obj as Record<string, unknown>;
      const members: string[] = [];
      for (const key of Object.keys(record).sort()) {
        const encoded = encode(record[key], `${path}.${key}`);
        if (encoded !== undefined) members.push(`${JSON.stringify(key)}:${encoded}`);
      }
      return `{${members.join(',')}}`;
    } finally {
      seen.delete(obj);
    }
  };

  const result = encode(value, '$');
  if (result === undefined) throw new TypeError('canonicalJson: value has no JSON representation');
  return result;
}

/**
 * sha256 (hex) of the canonical JSON of a recorded task state. Every generated document
 * carries the hash of the state it was rendered from (domain.md §7).
 */
export function stateHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value), 'utf8').digest('hex');
}
