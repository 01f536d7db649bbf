/**
 * Fund recovery (T-3) and debarment (T-4) of domain.md §5.
 *
 * Pure and deterministic (safe in workflow code). Money is integer VND; products that
 * may exceed 2^53 (amount × basis points) are computed with BigInt, and every result is
 * an exact integer ≤ the amount received (≤ 10^15), hence a safe `number`.
 */
import type { RuleSet } from './ruleset';
import { addMonths, compareDates, type IsoDate } from './calendar';

/** Largest amount accepted, in VND (one million billion đồng): keeps every result a safe integer. */
export const MAX_AMOUNT_VND = 1_000_000_000_000_000;

export type RefundCause = 'objective' | 'subjective';

export interface RefundDue {
  /** State funds received but not spent (received − spent): always refunded [V]. */
  unspent: number;
  /** Share of spent funds refunded for a subjective cause (0 otherwise). */
  spentShare: number;
  /** unspent + spentShare. */
  total: number;
  rule: 'T-3';
  /** How the amount was computed, amounts written with dot separators ("1.500.000.000 đồng"). */
  basis: { vi: string; en: string };
}

/** 1500000000 → "1.500.000.000" (Vietnamese grouping, used in both languages so figures match the documents). */
export function formatVnd(amount: number | bigint): string {
  const s = (typeof amount === 'bigint' ? amount : BigInt(amount)).toString();
  const negative = s.startsWith('-');
  const digits = negative ? s.slice(1) : s;
  return (negative ? '-' : '') + digits.replace(/\B(?=(\d{3})+(?!\d))/g, '.');
}

/** 3000 bp → "30"; 2550 bp → "25,5" (vi) / "25.5" (en). */
function formatPercent(bp: number, decimalMark: ',' | '.'): string {
  const whole = Math.floor(bp / 100);
  const fraction = String(bp % 100).padStart(2, '0').replace(/0+$/, '');
  return fraction ? `${whole}${decimalMark}${fraction}` : String(whole);
}

function requireAmount(name: string, v: number): void {
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new RangeError(`${name} must be an integer number of VND: ${v}`);
  if (v < 0) throw new RangeError(`${name} must not be negative: ${v}`);
  if (v > MAX_AMOUNT_VND) throw new RangeError(`${name} exceeds ${MAX_AMOUNT_VND} VND: ${v}`);
}

/**
 * T-3: what the host refunds to the state budget when a task fails or is terminated.
 * - Unspent state funds (received − spent) are always refunded [V].
 * - Objective cause: spent funds are settled at cost (nothing more).
 * - Subjective cause (no dossier, FAIL, abandonment): when `rs.subjectiveRefundsSpentFunds`
 *   (LEGACY_2013), also spent × `rs.subjectiveRefundShareBp` / 10 000, rounded half up
 *   to the đồng [D]; otherwise (STI_2025, procedures followed) only the unspent funds.
 * Throws a RangeError for non-integer, negative or oversized amounts and spent > received.
 */
export function refundDue(input: { cause: RefundCause; received: number; spent: number }, rs: RuleSet): RefundDue {
  const { cause, received, spent } = input;
  if (cause !== 'objective' && cause !== 'subjective') throw new RangeError(`cause must be 'objective' or 'subjective': ${String(cause)}`);
  requireAmount('received', received);
  requireAmount('spent', spent);
  if (spent > received) throw new RangeError(`spent (${spent}) exceeds received (${received})`);
  const bp = rs.subjectiveRefundShareBp;
  if (!Number.isInteger(bp) || bp < 0 || bp > 10_000) throw new RangeError(`subjectiveRefundShareBp must be an integer 0–10000: ${bp}`);

  const unspent = BigInt(received) - BigInt(spent);
  const refundsShare = cause === 'subjective' && rs.subjectiveRefundsSpentFunds;
  // Half up on non-negative integers: floor((spent·bp + 5000) / 10000).
  const share = refundsShare ? (BigInt(spent) * BigInt(bp) + 5_000n) / 10_000n : 0n;
  const total = unspent + share;

  const R = formatVnd(received);
  const S = formatVnd(spent);
  const U = formatVnd(unspent);
  const T = formatVnd(total);
  const unspentVi = `Kinh phí ngân sách nhà nước chưa sử dụng luôn phải hoàn trả: ${R} đồng đã nhận − ${S} đồng đã chi = ${U} đồng.`;
  const unspentEn = `Unspent state funds are always refunded: ${R} VND received − ${S} VND spent = ${U} VND.`;
  let causeVi: string;
  let causeEn: string;
  if (cause === 'objective') {
    causeVi = 'Nguyên nhân khách quan: kinh phí đã chi được quyết toán theo thực chi, không phải hoàn trả.';
    causeEn = 'Objective cause: spent funds are settled at cost and not refunded.';
  } else if (refundsShare) {
    const pVi = formatPercent(bp, ',');
    const pEn = formatPercent(bp, '.');
    const H = formatVnd(share);
    causeVi = `Nguyên nhân chủ quan: hoàn trả thêm ${pVi}% kinh phí đã chi: ${S} đồng × ${pVi}% = ${H} đồng (làm tròn đến đồng).`;
    causeEn = `Subjective cause: ${pEn}% of the spent funds is also refunded: ${S} VND × ${pEn}% = ${H} VND (rounded half up to the đồng).`;
  } else {
    const key = `${rs.regime}/${rs.provinceProfile}/${rs.version}`;
    causeVi = `Nguyên nhân chủ quan, nhưng theo bộ quy tắc ${key} tổ chức chủ trì chỉ phải hoàn trả kinh phí chưa sử dụng; kinh phí đã chi không phải hoàn trả.`;
    causeEn = `Subjective cause, but under rule-set ${key} the host owes only the unspent funds; spent funds are not refunded.`;
  }
  return {
    unspent: Number(unspent),
    spentShare: Number(share),
    total: Number(total),
    rule: 'T-3',
    basis: {
      vi: `${unspentVi} ${causeVi} Tổng số phải hoàn trả: ${T} đồng.`,
      en: `${unspentEn} ${causeEn} Total to refund: ${T} VND.`,
    },
  };
}

/**
 * T-4: after FAIL or a subjective termination, the PI and host are barred from new
 * provincial tasks until `from` + `rs.debarmentMonths` months (clamped to month end:
 * 2028-02-29 + 24 months → 2030-02-28). `until` is the first day they may apply again.
 */
export function debarmentUntil(from: IsoDate, rs: RuleSet): IsoDate {
  if (!Number.isSafeInteger(rs.debarmentMonths) || rs.debarmentMonths < 0) {
    throw new RangeError(`debarmentMonths must be a non-negative integer: ${rs.debarmentMonths}`);
  }
  return addMonths(from, rs.debarmentMonths);
}

/** T-4: debarred while `on` < `until` (the day before `until` is the last barred day). */
export function isDebarred(until: IsoDate, on: IsoDate): boolean {
  return compareDates(on, until) < 0;
}
