/**
 * Reading a sheet someone filled in (the portfolio import, the council members' import):
 * a CSV (UTF-8, comma or semicolon separated) or an XLSX file (its first sheet), header
 * first. The header names each column by its key or by its Vietnamese label (case and spacing
 * ignored); an unknown or repeated column, or a missing required one, refuses the file whole
 * (SheetFileError), before any row is read. Every cell comes back as the text a person typed:
 * dates as YYYY-MM-DD, numbers in full.
 */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import ExcelJS from 'exceljs';
import { parse as parseCsv } from 'csv-parse/sync';

export interface SheetColumn {
  key: string;
  label: string;
  /** 'yes': the header must have it; anything else: optional as a column. */
  required: string;
}

export interface SheetRow {
  /** Row number as the person who filled the file sees it (spreadsheet row, or CSV line). */
  row: number;
  values: Record<string, string>;
}

/** Why a whole file is refused, in both languages. */
export interface SheetIssue {
  vi: string;
  en: string;
}

export class SheetFileError extends Error {
  /** The issues in Vietnamese (the command-line tools print these). */
  readonly issues: string[];
  constructor(readonly bilingual: SheetIssue[]) {
    super(bilingual.map((i) => i.vi).join('\n'));
    this.name = 'SheetFileError';
    this.issues = bilingual.map((i) => i.vi);
  }
}

const fold = (s: string) => s.normalize('NFC').trim().toLowerCase().replace(/\s+/g, ' ');

/** Every cell as the text a person typed: dates as YYYY-MM-DD, numbers in full. */
function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString().slice(0, 10); // Excel dates carry no zone: exceljs reads them as UTC midnight
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'string') return v;
  if ('richText' in v) return v.richText.map((t) => t.text).join('');
  if ('text' in v && typeof v.text === 'string') return v.text;
  if ('result' in v) return cellText(v.result as ExcelJS.CellValue);
  return String(v);
}

function headerMap(cells: string[], columns: readonly SheetColumn[]): { map: (string | undefined)[]; issues: SheetIssue[] } {
  const issues: SheetIssue[] = [];
  const seen = new Set<string>();
  const keys = columns.map((c) => c.key).join(', ');
  const map = cells.map((h, i) => {
    const f = fold(h);
    if (!f) return undefined;
    const col = columns.find((c) => fold(c.key) === f || fold(c.label) === f);
    if (!col) {
      issues.push({ vi: `Cột ${i + 1} "${h}": không có trong mẫu (cột hợp lệ: ${keys}).`, en: `Column ${i + 1} "${h}" is not in the template (columns: ${keys}).` });
      return undefined;
    }
    if (seen.has(col.key)) issues.push({ vi: `Cột "${col.key}" xuất hiện hai lần.`, en: `Column "${col.key}" appears twice.` });
    seen.add(col.key);
    return col.key;
  });
  for (const c of columns) {
    if (c.required === 'yes' && !seen.has(c.key)) issues.push({ vi: `Thiếu cột bắt buộc "${c.key}" (${c.label}).`, en: `The required column "${c.key}" (${c.label}) is missing.` });
  }
  return { map, issues };
}

function toRows(header: string[], records: { row: number; cells: string[] }[], columns: readonly SheetColumn[]): SheetRow[] {
  const { map, issues } = headerMap(header, columns);
  if (issues.length) throw new SheetFileError(issues);
  return records
    .map((r) => {
      const values: Record<string, string> = {};
      r.cells.forEach((cell, i) => {
        const key = map[i];
        if (key && cell.trim() !== '') values[key] = cell.trim();
      });
      return { row: r.row, values };
    })
    .filter((r) => Object.keys(r.values).length > 0);
}

const noHeader = (): SheetIssue => ({ vi: 'Tệp không có dòng tiêu đề.', en: 'The file has no header row.' });

/** The rows of a CSV or XLSX file (by its name's extension), header first, against the template's columns. */
export async function readSheet(file: string | { name: string; data: Buffer }, columns: readonly SheetColumn[]): Promise<SheetRow[]> {
  const name = typeof file === 'string' ? file : file.name;
  const data = typeof file === 'string' ? await readFile(file) : file.data;
  const ext = extname(name).toLowerCase();
  if (ext === '.xlsx') {
    const wb = new ExcelJS.Workbook();
    try {
      await wb.xlsx.load(data as unknown as ArrayBuffer);
    } catch (err) {
      throw new SheetFileError([{ vi: `Không đọc được tệp XLSX: ${(err as Error).message}`, en: `The XLSX file cannot be read: ${(err as Error).message}` }]);
    }
    const ws = wb.worksheets[0];
    if (!ws) throw new SheetFileError([{ vi: 'Tệp XLSX không có trang tính nào.', en: 'The XLSX file has no worksheet.' }]);
    const records: { row: number; cells: string[] }[] = [];
    ws.eachRow({ includeEmpty: false }, (row) => {
      const cells: string[] = [];
      for (let c = 1; c <= row.cellCount; c += 1) cells.push(cellText(row.getCell(c).value));
      records.push({ row: row.number, cells });
    });
    const [header, ...body] = records;
    if (!header) throw new SheetFileError([noHeader()]);
    return toRows(header.cells, body, columns);
  }
  if (ext === '.csv') {
    const text = data.toString('utf8');
    const firstLine = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
    const delimiter = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
    let parsed: { record: string[]; info: { lines: number } }[];
    try {
      parsed = parseCsv(data, { bom: true, delimiter, relax_column_count: true, skip_empty_lines: true, info: true }) as unknown as typeof parsed;
    } catch (err) {
      throw new SheetFileError([{ vi: `Không đọc được tệp CSV: ${(err as Error).message}`, en: `The CSV file cannot be read: ${(err as Error).message}` }]);
    }
    const [header, ...body] = parsed;
    if (!header) throw new SheetFileError([noHeader()]);
    return toRows(header.record, body.map((r) => ({ row: r.info.lines, cells: r.record })), columns);
  }
  throw new SheetFileError([{ vi: `Chỉ nhận tệp .csv hoặc .xlsx, không nhận "${ext || name}".`, en: `Only .csv or .xlsx files are read, not "${ext || name}".` }]);
}
