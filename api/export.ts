/**
 * Lists as files (issue 11): every list the dashboards show, and the task list, downloads as
 * CSV or XLSX with the same filters (`?format=csv|xlsx`). Column headings in the caller's
 * language (Accept-Language, Vietnamese by default); codes (stages, levels, forms) given with
 * their names. CSV is UTF-8 with a byte order mark, so that Excel shows Vietnamese letters, CRLF
 * line ends, every text quoted; a text cell that a spreadsheet would run as a formula (= + - @,
 * tab, carriage return first) gets a leading apostrophe (OWASP "CSV injection"). XLSX (exceljs):
 * one sheet, bold frozen heading, amounts as numbers with thousands separators, dates as dates.
 */
import type { Response } from 'express';
import ExcelJS from 'exceljs';
import { z } from './zod';
import type { Locale } from '../workflows/definitions';
import { attachmentDisposition, MEDIA_TYPES } from './file-content';

export type Cell = string | number | boolean | null | undefined;

export interface Column<T> {
  header: { vi: string; en: string };
  value: (row: T) => Cell;
  /** How the XLSX shows it: money (integer VND, grouped), a date (YYYY-MM-DD as a date), a count, or text (default). */
  kind?: 'vnd' | 'date' | 'count' | 'text';
  width?: number;
}

export const EXPORT_FORMATS = ['csv', 'xlsx'] as const;
/** `format` of a list: JSON by default, or a file. */
export const formatParam = z.enum(['json', 'csv', 'xlsx']).optional().describe('json (default), or the list as a file: csv (UTF-8 with BOM) or xlsx; headings in the Accept-Language');

/** The most rows a file holds (a Department's lists are far shorter). */
export const EXPORT_MAX_ROWS = 10_000;

const FORMULA_START = /^[=+\-@\t\r]/;

function csvCell(v: Cell): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  const s = FORMULA_START.test(v) ? `'${v}` : v;
  return `"${s.replace(/"/g, '""')}"`;
}

export function toCsv<T>(columns: readonly Column<T>[], rows: readonly T[], locale: Locale): Buffer {
  const lines = [columns.map((c) => csvCell(c.header[locale])).join(',')];
  for (const r of rows) lines.push(columns.map((c) => csvCell(c.value(r))).join(','));
  return Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');
}

const isoDay = /^\d{4}-\d{2}-\d{2}$/;

export async function toXlsx<T>(columns: readonly Column<T>[], rows: readonly T[], locale: Locale, sheetName: string): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'KHCN Flow';
  // A sheet name may not hold : \ / ? * [ ] and has at most 31 characters.
  const ws = wb.addWorksheet(sheetName.replace(/[:\\/?*[\]]/g, ' ').slice(0, 31));
  const header = ws.addRow(columns.map((c) => c.header[locale]));
  header.font = { bold: true };
  columns.forEach((c, i) => {
    const col = ws.getColumn(i + 1);
    col.width = c.width ?? (c.kind === 'vnd' ? 18 : c.kind === 'date' ? 12 : c.kind === 'count' ? 10 : Math.min(50, Math.max(12, c.header[locale].length + 2)));
    if (c.kind === 'vnd') col.numFmt = '#,##0';
    if (c.kind === 'date') col.numFmt = 'dd/mm/yyyy';
  });
  for (const r of rows) {
    ws.addRow(
      columns.map((c) => {
        const v = c.value(r);
        if (v === null || v === undefined) return null;
        // A calendar day as a date at midnight UTC (Excel dates carry no zone).
        if (c.kind === 'date' && typeof v === 'string' && isoDay.test(v)) return new Date(`${v}T00:00:00.000Z`);
        return v;
      }),
    );
  }
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Sends the rows as a CSV or XLSX attachment named `<base>.<format>`. */
export async function sendTable<T>(
  res: Response,
  o: { format: 'csv' | 'xlsx'; locale: Locale; filename: string; sheet: { vi: string; en: string }; columns: readonly Column<T>[]; rows: readonly T[]; truncated?: boolean },
): Promise<void> {
  const body = o.format === 'csv' ? toCsv(o.columns, o.rows, o.locale) : await toXlsx(o.columns, o.rows, o.locale, o.sheet[o.locale]);
  res
    .status(200)
    .type(o.format === 'csv' ? 'text/csv; charset=utf-8' : MEDIA_TYPES.xlsx)
    .set('Content-Disposition', attachmentDisposition(`${o.filename}.${o.format}`))
    .set('Content-Language', o.locale)
    .set('Cache-Control', 'no-store');
  if (o.truncated) res.set('X-Export-Truncated', 'true');
  res.send(body);
}

/** The 200 response of a list that is also a file: JSON, CSV or XLSX. */
export function listResponse(description: string, schema: z.ZodType) {
  return {
    description: `${description}; with format=csv or format=xlsx, the same list as a file (Content-Disposition: attachment)`,
    content: {
      'application/json': { schema },
      'text/csv': { schema: z.string().describe('UTF-8 with BOM, CRLF, a heading row in the Accept-Language') },
      [MEDIA_TYPES.xlsx]: { schema: z.string().openapi({ format: 'binary' }) },
    },
  };
}

/** Yes / no in the caller's language. */
export const yesNo = (b: boolean | undefined, locale: Locale) => (b ? (locale === 'vi' ? 'Có' : 'Yes') : locale === 'vi' ? 'Không' : 'No');
