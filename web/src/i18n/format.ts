/**
 * One place for how dates, times and money look: dd/mm/yyyy in both languages, times in
 * Vietnam time (Asia/Ho_Chi_Minh) whatever the browser's zone, integer VND with thousands
 * separators.
 */
import type { Locale } from './locale';

const ZONE = 'Asia/Ho_Chi_Minh';

const parts = (d: Date, opts: Intl.DateTimeFormatOptions) =>
  Object.fromEntries(new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, ...opts }).formatToParts(d).map((p) => [p.type, p.value]));

/** 'YYYY-MM-DD' (a calendar date in Vietnam) or an ISO timestamp → dd/mm/yyyy. */
export function formatDate(value: string | undefined | null): string {
  if (!value) return '';
  const plain = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (plain) return `${plain[3]}/${plain[2]}/${plain[1]}`;
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return value;
  const p = parts(d, { day: '2-digit', month: '2-digit', year: 'numeric' });
  return `${p.day}/${p.month}/${p.year}`;
}

/** An ISO timestamp → 'HH:mm dd/mm/yyyy' in Vietnam time. */
export function formatDateTime(value: string | undefined | null): string {
  if (!value) return '';
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return value;
  const p = parts(d, { day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  return `${p.hour}:${p.minute} ${p.day}/${p.month}/${p.year}`;
}

/** Today's date in Vietnam, 'YYYY-MM-DD'. */
export function todayInVietnam(now = new Date()): string {
  const p = parts(now, { day: '2-digit', month: '2-digit', year: 'numeric' });
  return `${p.year}-${p.month}-${p.day}`;
}

/** Whole days from today (Vietnam) to a 'YYYY-MM-DD' date; negative when past. */
export function daysFromToday(date: string, now = new Date()): number {
  const a = Date.parse(`${todayInVietnam(now)}T00:00:00Z`);
  const b = Date.parse(`${date}T00:00:00Z`);
  return Math.round((b - a) / 86_400_000);
}

/** Integer VND: '1.500.000.000 đ' (vi), '1,500,000,000 VND' (en). */
export function formatVnd(amount: number | undefined | null, locale: Locale): string {
  if (amount === undefined || amount === null) return '';
  return locale === 'vi' ? `${new Intl.NumberFormat('vi-VN').format(amount)} đ` : `${new Intl.NumberFormat('en-US').format(amount)} VND`;
}

/** Digits with thousands separators, for money inputs. */
export function groupDigits(amount: number | string | undefined, locale: Locale): string {
  if (amount === undefined || amount === '') return '';
  const digits = String(amount).replace(/\D/g, '');
  if (!digits) return '';
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, locale === 'vi' ? '.' : ',');
}

/** Bytes for people: '1,2 MB' (vi), '1.2 MB' (en). */
export function formatBytes(bytes: number, locale: Locale): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  const n = new Intl.NumberFormat(locale === 'vi' ? 'vi-VN' : 'en-US', { maximumFractionDigits: u === 0 ? 0 : 1 }).format(v);
  return `${n} ${units[u]}`;
}

/** A 'YYYY-MM-DD' date plus n days (n may be negative). */
export function addDaysIso(date: string, n: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}
