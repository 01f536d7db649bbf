/**
 * Reading a rendered PDF as a reader would: `pdftotext -layout` and `pdfinfo`
 * from Debian's poppler-utils (installed by `npm test`). Each test file gets a
 * scratch folder, removed after it; set KHCN_KEEP_PDF_DIR to keep every PDF.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const PDFTOTEXT = '/usr/bin/pdftotext';
const PDFINFO = '/usr/bin/pdfinfo';
const KEEP_DIR = process.env.KHCN_KEEP_PDF_DIR;

/** poppler-utils may still be installing when the suite starts; wait for it rather than fail. */
async function waitForPoppler(timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(fs.existsSync(PDFTOTEXT) && fs.existsSync(PDFINFO))) {
    if (Date.now() > deadline) throw new Error(`${PDFTOTEXT} / ${PDFINFO} not found (install poppler-utils)`);
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}

/** Registers the file's scratch folder (beforeAll / afterAll) and returns its readers. */
export function pdfReader(prefix: string) {
  let workDir = '';
  let counter = 0;
  beforeAll(async () => {
    await waitForPoppler(180_000);
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), `khcn-${prefix}-`));
  }, 200_000);
  afterAll(() => {
    if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
  });

  /** Writes the PDF to the scratch folder (and KHCN_KEEP_PDF_DIR); returns its path. */
  function write(pdf: Buffer, name?: string): string {
    counter += 1;
    const base = `${prefix}-${name ?? counter}.pdf`;
    const file = path.join(workDir, `${process.pid}-${counter}-${base}`);
    fs.writeFileSync(file, pdf);
    if (KEEP_DIR) fs.copyFileSync(file, path.join(KEEP_DIR, base));
    return file;
  }
  /** The text of a PDF file as `pdftotext -layout` lays it out. */
  function textOf(file: string): string {
    return execFileSync(PDFTOTEXT, ['-layout', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
  }
  return {
    write,
    textOf,
    /** The text of a rendered PDF. */
    text: (pdf: Buffer, name?: string) => textOf(write(pdf, name)),
    pageCount(file: string): number {
      const info = execFileSync(PDFINFO, [file], { encoding: 'utf8' });
      const match = /^Pages:\s+(\d+)$/m.exec(info);
      if (!match) throw new Error(`no page count in pdfinfo output:\n${info}`);
      return Number(match[1]);
    },
  };
}

/** The page-number line Decree 30 puts at the top centre of every page from page 2. */
function isPageNumberLine(line: string, page: number): boolean {
  return line.trim() === String(page);
}
/** The small machine line of the footer (state or data hash, task code or report). */
export const MACHINE_LINE = /^\s*Mã (trạng thái \(state hash\)|số liệu \(data hash\)): /;

/**
 * The text of a document as it reads: pages joined, without the page numbers (top centre from
 * page 2) and without the footer's machine line, so that text running across a page break stays
 * contiguous. Whitespace is kept as laid out.
 */
export function readingText(raw: string): string {
  return raw
    .split('\f')
    .map((page, i) => {
      const lines = page.split('\n');
      if (i > 0) {
        const first = lines.findIndex((l) => l.trim() !== '');
        if (first >= 0 && isPageNumberLine(lines[first]!, i + 1)) lines.splice(first, 1);
      }
      return lines.filter((l) => !MACHINE_LINE.test(l)).join('\n');
    })
    .join('\n');
}

/** `readingText` with whitespace collapsed: line wrapping and columns change whitespace only. */
export function squashText(raw: string): string {
  return readingText(raw).replace(/\s+/g, ' ').trim();
}

/** The non-empty pages of `pdftotext -layout` output, as laid out. */
export function pagesOf(raw: string): string[] {
  const pages = raw.split('\f');
  if (pages.length > 1 && pages[pages.length - 1]!.trim() === '') pages.pop();
  return pages;
}
