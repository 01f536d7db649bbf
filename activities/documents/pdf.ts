/**
 * PDF rendering of official documents (domain.md §7) with pdfkit.
 *
 * Every document shares the Vietnamese administrative layout of Decree 30/2020/NĐ-CP (appendix I):
 * issuing body and national motto side by side, number and place-and-date, the title and its
 * summary line with a short rule under it, the body at 13 pt, the signer block and the
 * distribution list ("Nơi nhận"), page numbers at the top centre from page 2. The helpers below
 * draw those parts so that council records, decisions and contracts share them.
 *
 * The layout engine keeps two promises a printed page must keep:
 * - Styles survive page breaks: pdfkit re-applies the document's `font` option on every new page,
 *   so the option is dropped once the first page exists; the face and size in use carry over.
 * - The signature block and "Nơi nhận" never stand alone on a page: `drawClosing` measures the
 *   closing block and the last lines of text before drawing them, and breaks the page earlier so
 *   that the last lines go over with the closing block.
 *
 * Font: Tinos (npm `@expo-google-fonts/tinos`, metric-compatible with Times New Roman, every
 * Vietnamese letter precomposed). pdfkit's built-in Helvetica has no Vietnamese glyphs and is
 * never loaded.
 */
import type { Proposal } from '../../workflows/definitions';
import path from 'node:path';
import PDFDocument from 'pdfkit';
import { TASK_FORM_LABELS, TASK_LEVEL_LABELS } from '../../workflows/labels';
import { formatDateVi, formatVnd, placeAndDateVi } from './format';

export type PdfDoc = PDFKit.PDFDocument;
/** Something drawn at `doc.y`, leaving `doc.y` below it. */
export type Draw = (doc: PdfDoc) => void;

const FONT_DIR = path.dirname(require.resolve('@expo-google-fonts/tinos/package.json'));

/** Names under which the Tinos faces are registered on every document made by `createPdfDocument`. */
export const PDF_FONT = {
  regular: 'vn-regular',
  bold: 'vn-bold',
  italic: 'vn-italic',
  boldItalic: 'vn-bold-italic',
} as const;
export type PdfFont = (typeof PDF_FONT)[keyof typeof PDF_FONT];

const FONT_FILES: Record<PdfFont, string> = {
  [PDF_FONT.regular]: path.join(FONT_DIR, '400Regular', 'Tinos_400Regular.ttf'),
  [PDF_FONT.bold]: path.join(FONT_DIR, '700Bold', 'Tinos_700Bold.ttf'),
  [PDF_FONT.italic]: path.join(FONT_DIR, '400Regular_Italic', 'Tinos_400Regular_Italic.ttf'),
  [PDF_FONT.boldItalic]: path.join(FONT_DIR, '700Bold_Italic', 'Tinos_700Bold_Italic.ttf'),
};

const MM = 72 / 25.4;

/**
 * Type sizes of Decree 30 (appendix I) in a Times face: body, number, place-and-date and the
 * signer 13 pt; title 14 pt; the national name 12.5 pt (it must hold one line in its column);
 * "Nơi nhận:" 12 pt and its items 11 pt; tables 12 pt. The footer's machine line is 7 pt.
 */
export const PDF_TEXT_SIZE = {
  body: 13,
  header: 13,
  nationalName: 12.5,
  motto: 13.5,
  title: 14,
  subtitle: 13.5,
  small: 12,
  distributionHeading: 12,
  distribution: 11,
  pageNumber: 13,
  footer: 7,
} as const;

const BODY_LINE_GAP = 1.5;
const PARAGRAPH_GAP = 4;
/** First-line indent of body paragraphs (Decree 30: 1–1.27 cm). */
const FIRST_LINE_INDENT = 10 * MM;
const TEXT_COLOR = '#000000';
const FOOTER_COLOR = '#444444';

/** Vietnamese text is drawn in NFC: Tinos has precomposed glyphs for every Vietnamese letter. */
export function nfc(text: string): string {
  return text.normalize('NFC');
}

export function contentBox(doc: PdfDoc): { left: number; width: number; right: number } {
  const left = doc.page.margins.left;
  const right = doc.page.width - doc.page.margins.right;
  return { left, right, width: right - left };
}

export function useFont(doc: PdfDoc, font: PdfFont, size: number): PdfDoc {
  return doc.font(font).fontSize(size).fillColor(TEXT_COLOR);
}

/** Height that `text` will take in `width` with the given face. */
function measure(doc: PdfDoc, font: PdfFont, size: number, text: string, width: number, lineGap = 0): number {
  useFont(doc, font, size);
  return doc.heightOfString(nfc(text), { width, lineGap });
}

/**
 * Largest size ≤ `size` (and ≥ `minSize`) at which `text` fits on one line of `width`. Text that
 * would not fit even at `minSize` keeps `size` and wraps instead of shrinking for nothing.
 */
function fitSize(doc: PdfDoc, font: PdfFont, size: number, text: string, width: number, minSize = size * 0.8): number {
  useFont(doc, font, size);
  const natural = doc.widthOfString(nfc(text));
  if (natural <= width) return size;
  const fitted = Math.floor(((size * width) / natural) * 10) / 10;
  return fitted >= minSize ? fitted : size;
}

/**
 * Narrowest width ≤ `maxWidth` at which `text` still takes as few lines as at `maxWidth`, so a
 * wrapped title or body name breaks into lines of similar length instead of leaving one word alone.
 */
function balancedWidth(doc: PdfDoc, font: PdfFont, size: number, text: string, maxWidth: number): number {
  useFont(doc, font, size);
  const oneLine = doc.currentLineHeight();
  const height = measure(doc, font, size, text, maxWidth);
  if (height <= oneLine * 1.5) return maxWidth;
  let feasible = maxWidth;
  let tooNarrow = maxWidth / 2;
  for (let i = 0; i < 14; i += 1) {
    const mid = (feasible + tooNarrow) / 2;
    if (measure(doc, font, size, text, mid) > height + 0.01) tooNarrow = mid;
    else feasible = mid;
  }
  return Math.min(maxWidth, feasible + 1);
}

/** Draws `text` centred (and balanced, if it wraps) in [x, x + width] from `y`; returns the y below it. */
function centred(doc: PdfDoc, font: PdfFont, size: number, text: string, x: number, y: number, width: number): number {
  const lineWidth = balancedWidth(doc, font, size, text, width);
  useFont(doc, font, size);
  doc.text(nfc(text), x + (width - lineWidth) / 2, y, { width: lineWidth, align: 'center' });
  return doc.y;
}

/** Width of the widest line of `text` as drawn centred in `width` (for the short rules of Decree 30). */
function widestLine(doc: PdfDoc, font: PdfFont, size: number, text: string, width: number): number {
  const lineWidth = balancedWidth(doc, font, size, text, width);
  useFont(doc, font, size);
  return Math.min(lineWidth, Math.max(...nfc(text).split('\n').map((l) => doc.widthOfString(l))));
}

function rule(doc: PdfDoc, x1: number, x2: number, y: number, lineWidth = 0.6): void {
  doc.save().lineWidth(lineWidth).strokeColor(TEXT_COLOR).moveTo(x1, y).lineTo(x2, y).stroke().restore();
}

// ---------------------------------------------------------------------------------------------
// Document lifecycle
// ---------------------------------------------------------------------------------------------

export interface PdfDocumentMeta {
  title: string;
  /** ISO timestamp of the recorded state the document is rendered from; becomes CreationDate. */
  creationDate: string;
  author?: string;
  subject?: string;
  keywords?: string[];
}

const PAGE_OPTIONS = {
  size: 'A4',
  margins: { top: 20 * MM, bottom: 20 * MM, left: 30 * MM, right: 15 * MM },
} as const;

function newDocument(options: PDFKit.PDFDocumentOptions): PdfDoc {
  const doc = new PDFDocument({
    ...PAGE_OPTIONS,
    // Load the Vietnamese-capable face as the initial font so Helvetica is never instantiated.
    font: FONT_FILES[PDF_FONT.regular],
    ...options,
  });
  // pdfkit applies the `font` option again to every page it adds, which silently turned a bold
  // heading drawn after a page break into regular text. Once the first page exists the option
  // has done its work: without it the face and size in use carry over to the next page.
  delete (doc.options as { font?: unknown }).font;
  for (const [name, file] of Object.entries(FONT_FILES)) doc.registerFont(name, file);
  useFont(doc, PDF_FONT.regular, PDF_TEXT_SIZE.body);
  return doc;
}

/**
 * An A4 document with Decree 30 margins (top/bottom 20 mm, left 30 mm, right 15 mm), the Tinos
 * faces registered, and pages buffered so `drawStateHash` can number and stamp every page at the
 * end. CreationDate comes from the recorded state, so the same state renders to the same bytes.
 */
export function createPdfDocument(meta: PdfDocumentMeta): PdfDoc {
  const creationDate = new Date(meta.creationDate);
  if (Number.isNaN(creationDate.getTime())) {
    throw new RangeError(`createPdfDocument: invalid creationDate "${meta.creationDate}"`);
  }
  // pdfkit derives the file ID from every info entry, so only defined entries are passed.
  const info: PDFKit.DocumentInfo = {
    Title: nfc(meta.title),
    Creator: 'KHCN Flow',
    Producer: 'KHCN Flow (PDFKit)',
    CreationDate: creationDate,
  };
  if (meta.author !== undefined) info.Author = nfc(meta.author);
  if (meta.subject !== undefined) info.Subject = nfc(meta.subject);
  if (meta.keywords !== undefined) info.Keywords = meta.keywords.map(nfc).join(', ');
  return newDocument({ bufferPages: true, lang: 'vi-VN', displayTitle: true, info });
}

/** Ends the document and collects its bytes. */
export function pdfToBuffer(doc: PdfDoc): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.end();
  });
}

/** Starts a new page when fewer than `height` points remain above the bottom margin. */
export function ensureSpace(doc: PdfDoc, height: number): void {
  if (doc.y + height > doc.page.maxY()) doc.addPage();
  doc.x = doc.page.margins.left;
}

// ---------------------------------------------------------------------------------------------
// Measuring before drawing
// ---------------------------------------------------------------------------------------------

/** A scratch document of the same page geometry, never ended, to measure drawings on. */
const scratchDocs = new WeakMap<PdfDoc, PdfDoc>();

/**
 * The height `draw` takes when drawn from the top of an empty page of `doc`'s geometry (a drawing
 * that overflows counts each full page it fills). Drawn on a scratch document: `doc` is untouched.
 */
export function measureDrawing(doc: PdfDoc, draw: Draw): number {
  let scratch = scratchDocs.get(doc);
  if (!scratch) {
    scratch = newDocument({ autoFirstPage: true });
    scratchDocs.set(doc, scratch);
  }
  scratch.addPage();
  const top = scratch.page.margins.top;
  const usable = scratch.page.maxY() - top;
  let pages = 0;
  const count = () => {
    pages += 1;
  };
  scratch.on('pageAdded', count);
  try {
    scratch.x = scratch.page.margins.left;
    scratch.y = top;
    draw(scratch);
  } finally {
    scratch.removeListener('pageAdded', count);
  }
  return pages * usable + (scratch.y - top);
}

/** About two lines of body text: what goes over to the next page with a closing block at the least. */
const CARRIED_LINES = 2;

/**
 * Draws the last lines of the body (`tail`) and then the closing block (`closing`: signature,
 * distribution), so that the closing block never stands alone on a page.
 *
 * Both are measured first. When the closing block would not fit after the tail on this page and
 * less than two lines of the tail would reach the next page anyway, the page is broken earlier:
 * this page's bottom is raised for the tail so that its last lines (at least two, or the whole
 * tail when it is shorter) go over to the next page, where the closing block follows them.
 */
export function drawClosing(doc: PdfDoc, tail: Draw, closing: Draw): void {
  const closingHeight = measureDrawing(doc, closing);
  const tailHeight = measureDrawing(doc, tail);
  const page = doc.page;
  const room = page.maxY() - doc.y;
  const usable = page.maxY() - page.margins.top;
  useFont(doc, PDF_FONT.regular, PDF_TEXT_SIZE.body);
  const carried = CARRIED_LINES * (doc.currentLineHeight(true) + BODY_LINE_GAP) + PARAGRAPH_GAP;
  // What of the tail would reach the next page anyway (measured heights count the trailing gaps,
  // which never move a line, so a tail "a few points too tall" still ends on this page).
  const overflow = Math.max(0, tailHeight - room);
  const alone = tailHeight + closingHeight > room && overflow < carried;
  if (alone && closingHeight + Math.min(carried, tailHeight) <= usable) {
    const bottom = page.margins.bottom;
    // The tail breaks where `carried` points of it (or all of it) are left for the next page.
    const breakAt = Math.max(doc.y, Math.min(doc.y + tailHeight, page.maxY()) - carried);
    page.margins.bottom = page.height - breakAt;
    try {
      if (breakAt <= doc.y + 0.5) doc.addPage();
      tail(doc);
    } finally {
      page.margins.bottom = bottom;
    }
  } else {
    tail(doc);
  }
  closing(doc);
}

// ---------------------------------------------------------------------------------------------
// Administrative header, signature and distribution, page numbers and the state hash footer
// ---------------------------------------------------------------------------------------------

export const NATIONAL_NAME = 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM';
export const NATIONAL_MOTTO = 'Độc lập - Tự do - Hạnh phúc';

export interface AdministrativeHeader {
  /** Cơ quan chủ quản, e.g. "UBND tỉnh Tây Ninh"; printed in capitals. */
  parentBody?: string;
  /** Cơ quan ban hành (issuing body); printed in bold capitals. */
  issuingBody: string;
  /** Số/ký hiệu without the "Số:" prefix, e.g. "12/QĐ-SKHCN". */
  number?: string;
  place: string;
  /** ISO timestamp or yyyy-mm-dd; shown as the Vietnamese date in Asia/Ho_Chi_Minh. */
  date: string;
  /**
   * Document title (tên loại văn bản), printed in bold capitals, centred. A "\n" chooses where a
   * long title breaks (Vietnamese compounds such as "NHIỆM VỤ" should not be split).
   */
  title: string;
  /** Summary line under the title (trích yếu), bold, centred, with a short rule under it. */
  subtitle?: string;
  /** Issue 12: printed instead of the place and date (a draft: "Tây Ninh, ngày      tháng      năm 2026"). */
  dateLine?: string;
}

/**
 * Draws the administrative header at the top of the current page and leaves `doc.y` below the
 * title. Left column: parent body, issuing body (bold) with a short rule, "Số: …". Right column:
 * national name (bold), motto (bold, ruled underneath as wide as it), then the italic
 * place-and-date line on the same row as the number. Then the title (bold capitals), the summary
 * line (bold) and a short rule under them (Decree 30: a third to a half of the line above it).
 */
export function drawAdministrativeHeader(doc: PdfDoc, header: AdministrativeHeader): void {
  const box = contentBox(doc);
  const gap = 6;
  const leftWidth = Math.round(box.width * 0.4);
  const rightX = box.left + leftWidth + gap;
  const rightWidth = box.right - rightX;
  const top = doc.page.margins.top;
  const size = PDF_TEXT_SIZE.header;

  // Left column: who issues the document.
  let leftY = top;
  if (header.parentBody) {
    const parent = header.parentBody.toUpperCase();
    leftY = centred(doc, PDF_FONT.regular, fitSize(doc, PDF_FONT.regular, size, parent, leftWidth), parent, box.left, leftY, leftWidth);
  }
  const issuingBody = header.issuingBody.toUpperCase();
  const issuingSize = fitSize(doc, PDF_FONT.bold, size, issuingBody, leftWidth);
  leftY = centred(doc, PDF_FONT.bold, issuingSize, issuingBody, box.left, leftY, leftWidth);
  const issuingRule = widestLine(doc, PDF_FONT.bold, issuingSize, issuingBody, leftWidth) * 0.4;
  rule(doc, box.left + (leftWidth - issuingRule) / 2, box.left + (leftWidth + issuingRule) / 2, leftY + 5);
  leftY += 8;

  // Right column: national name and motto.
  const nameSize = fitSize(doc, PDF_FONT.bold, PDF_TEXT_SIZE.nationalName, NATIONAL_NAME, rightWidth, 10);
  let rightY = centred(doc, PDF_FONT.bold, nameSize, NATIONAL_NAME, rightX, top, rightWidth);
  const mottoSize = fitSize(doc, PDF_FONT.bold, PDF_TEXT_SIZE.motto, NATIONAL_MOTTO, rightWidth, 10);
  rightY = centred(doc, PDF_FONT.bold, mottoSize, NATIONAL_MOTTO, rightX, rightY, rightWidth);
  useFont(doc, PDF_FONT.bold, mottoSize);
  const mottoWidth = doc.widthOfString(NATIONAL_MOTTO);
  rule(doc, rightX + (rightWidth - mottoWidth) / 2, rightX + (rightWidth + mottoWidth) / 2, rightY + 5);
  rightY += 8;

  // Number (left) and place-and-date (right) share a row.
  const rowY = Math.max(leftY, rightY) + 6;
  let rowBottom = rowY;
  if (header.number) {
    rowBottom = centred(doc, PDF_FONT.regular, size, `Số: ${header.number}`, box.left, rowY, leftWidth);
  }
  const dateLine = header.dateLine ?? placeAndDateVi(header.place, header.date);
  const dateSize = fitSize(doc, PDF_FONT.italic, size, dateLine, rightWidth, size * 0.85);
  rowBottom = Math.max(rowBottom, centred(doc, PDF_FONT.italic, dateSize, dateLine, rightX, rowY, rightWidth));

  // Title and summary, centred across the page, with a short rule under them.
  let y = rowBottom + 18;
  y = centred(doc, PDF_FONT.bold, PDF_TEXT_SIZE.title, header.title.toUpperCase(), box.left, y, box.width);
  let ruleWidth = widestLine(doc, PDF_FONT.bold, PDF_TEXT_SIZE.title, header.title.toUpperCase(), box.width);
  if (header.subtitle) {
    y = centred(doc, PDF_FONT.bold, PDF_TEXT_SIZE.subtitle, header.subtitle, box.left, y + 1, box.width);
    ruleWidth = widestLine(doc, PDF_FONT.bold, PDF_TEXT_SIZE.subtitle, header.subtitle, box.width);
  }
  const shortRule = Math.max(60, ruleWidth * 0.4);
  rule(doc, box.left + (box.width - shortRule) / 2, box.left + (box.width + shortRule) / 2, y + 6);
  doc.x = box.left;
  doc.y = y + 18;
  useFont(doc, PDF_FONT.regular, PDF_TEXT_SIZE.body);
}

export interface DocumentSigner {
  /** Signing authority line above the title, e.g. "TM. HỘI ĐỒNG" or "KT. GIÁM ĐỐC". */
  authority?: string;
  /** Signer's title, e.g. "GIÁM ĐỐC" or "NGƯỜI ĐỀ XUẤT"; printed in bold capitals. */
  title: string;
  name: string;
  /** Italic hint under the title, e.g. "(Ký, ghi rõ họ tên)". */
  note?: string;
  /**
   * Issue 12: the visible signature, drawn boxed in the signature space: who signed, their position
   * and when ("Ký số bởi: …", "Chức vụ: …", "Thời gian: …").
   */
  stamp?: string[];
}

const STAMP_COLOR = '#1b3f8f';
const STAMP_SIZE = 9;

/**
 * The visible signature block: its lines in a thin box, centred in [x, x + width], from `y`, inside
 * the signature space (it never pushes the name down).
 */
export function drawSignatureStamp(doc: PdfDoc, lines: string[], x: number, y: number, width: number): void {
  if (!lines.length) return;
  doc.font(PDF_FONT.regular).fontSize(STAMP_SIZE);
  const textWidth = Math.min(width - 8, Math.max(...lines.map((l) => doc.widthOfString(nfc(l)))) + 2);
  const boxWidth = textWidth + 12;
  const lineHeight = doc.currentLineHeight(true);
  const boxHeight = Math.min(SIGNATURE_SPACE - 6, lines.length * lineHeight + 8);
  const left = x + (width - boxWidth) / 2;
  const top = y + (SIGNATURE_SPACE - boxHeight) / 2;
  doc.save().lineWidth(0.8).strokeColor(STAMP_COLOR).roundedRect(left, top, boxWidth, boxHeight, 3).stroke().restore();
  doc.fillColor(STAMP_COLOR);
  lines.forEach((l, i) => doc.text(nfc(l), left + 6, top + 4 + i * lineHeight, { width: textWidth, lineBreak: false, ellipsis: true }));
  doc.fillColor(TEXT_COLOR);
}

export interface SignatureAndDistribution {
  signer: DocumentSigner;
  /** Nơi nhận: each item on its own line, prefixed with "- " (include the ";" or "." yourself). */
  distribution?: string[];
  distributionHeading?: string;
}

/** Room left blank for the handwritten signature and seal. */
export const SIGNATURE_SPACE = 60;

/**
 * Draws the closing block: distribution list ("Nơi nhận:") on the left, signer (authority, title,
 * signature space, name) on the right, both starting on the same line. The block is kept whole:
 * it moves to a new page rather than splitting the signature from its title (call it through
 * `drawClosing` so that it never moves there alone).
 */
export function drawSignatureAndDistribution(doc: PdfDoc, block: SignatureAndDistribution): void {
  const box = contentBox(doc);
  const leftWidth = Math.round(box.width * 0.45) - 8;
  const rightX = box.left + Math.round(box.width * 0.45);
  const rightWidth = box.right - rightX;
  const heading = block.distributionHeading ?? 'Nơi nhận:';
  const items = (block.distribution ?? []).map((item) => `- ${item}`);
  const { signer } = block;

  const rightHeight =
    (signer.authority ? measure(doc, PDF_FONT.bold, PDF_TEXT_SIZE.body, signer.authority, rightWidth) : 0) +
    measure(doc, PDF_FONT.bold, PDF_TEXT_SIZE.body, signer.title.toUpperCase(), rightWidth) +
    (signer.note ? measure(doc, PDF_FONT.italic, PDF_TEXT_SIZE.small, signer.note, rightWidth) : 0) +
    SIGNATURE_SPACE +
    measure(doc, PDF_FONT.bold, PDF_TEXT_SIZE.body, signer.name, rightWidth);
  const leftHeight =
    items.length === 0
      ? 0
      : measure(doc, PDF_FONT.boldItalic, PDF_TEXT_SIZE.distributionHeading, heading, leftWidth) +
        items.reduce((sum, item) => sum + measure(doc, PDF_FONT.regular, PDF_TEXT_SIZE.distribution, item, leftWidth), 0);

  ensureSpace(doc, 10 + Math.max(leftHeight, rightHeight));
  const top = doc.y + 10;

  let rightY = top;
  if (signer.authority) {
    rightY = centred(doc, PDF_FONT.bold, PDF_TEXT_SIZE.body, signer.authority, rightX, rightY, rightWidth);
  }
  rightY = centred(doc, PDF_FONT.bold, PDF_TEXT_SIZE.body, signer.title.toUpperCase(), rightX, rightY, rightWidth);
  if (signer.note) {
    rightY = centred(doc, PDF_FONT.italic, PDF_TEXT_SIZE.small, signer.note, rightX, rightY, rightWidth);
  }
  if (signer.stamp) drawSignatureStamp(doc, signer.stamp, rightX, rightY, rightWidth);
  rightY = centred(doc, PDF_FONT.bold, PDF_TEXT_SIZE.body, signer.name || ' ', rightX, rightY + SIGNATURE_SPACE, rightWidth);

  let leftY = top;
  if (items.length > 0) {
    useFont(doc, PDF_FONT.boldItalic, PDF_TEXT_SIZE.distributionHeading);
    doc.text(nfc(heading), box.left, leftY, { width: leftWidth });
    useFont(doc, PDF_FONT.regular, PDF_TEXT_SIZE.distribution);
    for (const item of items) doc.text(nfc(item), box.left, doc.y, { width: leftWidth });
    leftY = doc.y;
  }

  doc.x = box.left;
  doc.y = Math.max(leftY, rightY) + 8;
  useFont(doc, PDF_FONT.regular, PDF_TEXT_SIZE.body);
}

/** "Nơi nhận:" on its own (under a record's signatures), kept whole. */
export function drawDistribution(doc: PdfDoc, items: string[]): void {
  if (!items.length) return;
  const { left, width } = contentBox(doc);
  const w = Math.round(width * 0.5);
  const height =
    measure(doc, PDF_FONT.boldItalic, PDF_TEXT_SIZE.distributionHeading, 'Nơi nhận:', w) +
    items.reduce((sum, item) => sum + measure(doc, PDF_FONT.regular, PDF_TEXT_SIZE.distribution, `- ${item}`, w), 0);
  ensureSpace(doc, height + 4);
  doc.y += 4;
  useFont(doc, PDF_FONT.boldItalic, PDF_TEXT_SIZE.distributionHeading);
  doc.text(nfc('Nơi nhận:'), left, doc.y, { width: w });
  useFont(doc, PDF_FONT.regular, PDF_TEXT_SIZE.distribution);
  for (const item of items) doc.text(nfc(`- ${item}`), left, doc.y, { width: w });
  doc.x = left;
  useFont(doc, PDF_FONT.regular, PDF_TEXT_SIZE.body);
}

/**
 * Numbers every page from page 2 at the top centre (Decree 30), and stamps every page, inside its
 * bottom margin, with the small machine line: the hash of the recorded state the document was
 * rendered from (domain.md §7) and the task code. Call it once, after all content, just before
 * `pdfToBuffer` (it needs the buffered pages of `createPdfDocument`).
 */
export function drawStateHash(doc: PdfDoc, hash: string, taskId: string, options: { watermark?: string } = {}): void {
  drawPageFurniture(doc, `Mã trạng thái (state hash): ${hash} · Mã nhiệm vụ: ${taskId}`, options);
}

/** Issue 12: the draft's watermark, across the middle of every page. */
export const DRAFT_WATERMARK = 'DỰ THẢO';

/** Page numbers from page 2 (top centre) and the machine line in the footer of every page; a draft's watermark. */
export function drawPageFurniture(doc: PdfDoc, machineLine: string, options: { watermark?: string } = {}): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i += 1) {
    doc.switchToPage(i);
    const page = doc.page;
    const box = contentBox(doc);
    const { top, bottom } = page.margins;
    // Writing inside a margin would make pdfkit start a new page; lift the margins meanwhile.
    page.margins.bottom = 0;
    page.margins.top = 0;
    if (options.watermark) {
      doc.save();
      doc.font(PDF_FONT.bold).fontSize(96).fillColor('#c0392b').fillOpacity(0.16);
      const w = doc.widthOfString(nfc(options.watermark));
      doc.rotate(-35, { origin: [page.width / 2, page.height / 2] });
      doc.text(nfc(options.watermark), page.width / 2 - w / 2, page.height / 2 - 48, { lineBreak: false });
      doc.restore();
      doc.fillOpacity(1);
    }
    const n = i - range.start + 1;
    if (n >= 2) {
      useFont(doc, PDF_FONT.regular, PDF_TEXT_SIZE.pageNumber);
      doc.text(String(n), box.left, top / 2 - doc.currentLineHeight() / 2, { width: box.width, align: 'center', lineBreak: false });
    }
    const y = page.height - bottom + 10;
    rule(doc, box.left, box.right, y - 3, 0.3);
    doc.font(PDF_FONT.regular).fontSize(PDF_TEXT_SIZE.footer).fillColor(FOOTER_COLOR);
    doc.text(nfc(machineLine), box.left, y, { width: box.width, lineBreak: false });
    page.margins.bottom = bottom;
    page.margins.top = top;
  }
  doc.switchToPage(range.start + range.count - 1);
  useFont(doc, PDF_FONT.regular, PDF_TEXT_SIZE.body);
}

// ---------------------------------------------------------------------------------------------
// Body building blocks
// ---------------------------------------------------------------------------------------------

const BODY_INDENT = FIRST_LINE_INDENT;

/** Bold section heading ("1. Tên nhiệm vụ"), kept on the same page as the first lines below it. */
export function drawSectionHeading(doc: PdfDoc, heading: string): void {
  useFont(doc, PDF_FONT.bold, PDF_TEXT_SIZE.body);
  ensureSpace(doc, doc.currentLineHeight(true) * 3);
  const { left, width } = contentBox(doc);
  doc.text(nfc(heading), left + BODY_INDENT, doc.y, { width: width - BODY_INDENT, lineGap: BODY_LINE_GAP, paragraphGap: 2 });
  doc.x = left;
}

/** Justified body text, its first line indented; flows onto further pages as needed. */
export function drawParagraph(doc: PdfDoc, text: string, options: { indent?: number } = {}): void {
  const { left, width } = contentBox(doc);
  useFont(doc, PDF_FONT.regular, PDF_TEXT_SIZE.body);
  ensureSpace(doc, doc.currentLineHeight(true));
  if (options.indent !== undefined) {
    // A block indented as a whole (a quoted review, a sub-item).
    doc.text(nfc(text.trim()), left + options.indent, doc.y, { width: width - options.indent, align: 'justify', lineGap: BODY_LINE_GAP, paragraphGap: PARAGRAPH_GAP });
  } else {
    doc.text(nfc(text.trim()), left, doc.y, { width, indent: FIRST_LINE_INDENT, align: 'justify', lineGap: BODY_LINE_GAP, paragraphGap: PARAGRAPH_GAP });
  }
  doc.x = left;
}

/** A list of items, each opened by a dash as Vietnamese documents write them, wrapping under its own text. */
export function drawBulletList(doc: PdfDoc, items: string[], options: { indent?: number } = {}): void {
  const indent = options.indent ?? BODY_INDENT;
  const bulletWidth = 10;
  const { left, width } = contentBox(doc);
  useFont(doc, PDF_FONT.regular, PDF_TEXT_SIZE.body);
  for (const item of items) {
    ensureSpace(doc, doc.currentLineHeight(true) + BODY_LINE_GAP);
    const y = doc.y;
    doc.text('-', left + indent, y, { width: bulletWidth, lineBreak: false });
    doc.text(nfc(item.trim()), left + indent + bulletWidth, y, {
      width: width - indent - bulletWidth,
      align: 'justify',
      lineGap: BODY_LINE_GAP,
      paragraphGap: 2,
    });
  }
  doc.y += PARAGRAPH_GAP;
  doc.x = left;
}

export interface AmountRow {
  label: string;
  /** Integer VND. */
  amount: number;
  /** Totals are bold and ruled above. */
  total?: boolean;
}

/** Label / amount lines with amounts right-aligned in VND ("1.500.000.000 đồng"). */
export function drawAmountRows(doc: PdfDoc, rows: AmountRow[], options: { indent?: number } = {}): void {
  const indent = options.indent ?? BODY_INDENT;
  const { left, right, width } = contentBox(doc);
  const labelWidth = Math.round((width - indent) * 0.58);
  const amountX = left + indent + labelWidth;
  const amountWidth = right - amountX;
  for (const row of rows) {
    const font = row.total ? PDF_FONT.bold : PDF_FONT.regular;
    const amount = formatVnd(row.amount);
    useFont(doc, font, PDF_TEXT_SIZE.body);
    ensureSpace(doc, doc.currentLineHeight(true) + 6);
    if (row.total) {
      rule(doc, left + indent, right, doc.y + 1, 0.5);
      doc.y += 4;
    }
    const y = doc.y;
    doc.text(nfc(row.label), left + indent, y, { width: labelWidth, lineGap: BODY_LINE_GAP });
    const labelBottom = doc.y;
    useFont(doc, font, PDF_TEXT_SIZE.body);
    doc.text(amount, amountX, y, { width: amountWidth, align: 'right', lineGap: BODY_LINE_GAP });
    doc.y = Math.max(labelBottom, doc.y);
  }
  doc.y += PARAGRAPH_GAP;
  doc.x = left;
}

/** "Label: value" lines (label bold), each a paragraph with its first line indented. */
export function drawFieldLines(doc: PdfDoc, fields: { label: string; value: string }[], options: { indent?: number } = {}): void {
  const indent = options.indent ?? BODY_INDENT;
  const { left, width } = contentBox(doc);
  for (const field of fields) {
    useFont(doc, PDF_FONT.regular, PDF_TEXT_SIZE.body);
    ensureSpace(doc, doc.currentLineHeight(true) + BODY_LINE_GAP);
    useFont(doc, PDF_FONT.bold, PDF_TEXT_SIZE.body);
    doc.text(nfc(`${field.label}: `), left, doc.y, { width, indent, continued: true, align: 'justify', lineGap: BODY_LINE_GAP });
    useFont(doc, PDF_FONT.regular, PDF_TEXT_SIZE.body);
    doc.text(nfc(field.value), { align: 'justify', lineGap: BODY_LINE_GAP });
  }
  doc.y += PARAGRAPH_GAP;
  doc.x = left;
}

// ---------------------------------------------------------------------------------------------
// Proposal form (Phiếu đề xuất đặt hàng nhiệm vụ KH&CN)
// ---------------------------------------------------------------------------------------------

/** Task level labels (domain.md §1), from the shared table of names. */
export const TASK_LEVEL_LABELS_VI = Object.fromEntries(Object.entries(TASK_LEVEL_LABELS).map(([k, v]) => [k, v.vi])) as Record<keyof typeof TASK_LEVEL_LABELS, string>;

/** Task form labels (domain.md §1), from the shared table of names. */
export const TASK_FORM_LABELS_VI = Object.fromEntries(Object.entries(TASK_FORM_LABELS).map(([k, v]) => [k, v.vi])) as Record<keyof typeof TASK_FORM_LABELS, string>;

export type TaskLevelKey = keyof typeof TASK_LEVEL_LABELS_VI;
export type TaskFormKey = keyof typeof TASK_FORM_LABELS_VI;

function labelOf<T extends Record<string, string>>(labels: T, value: string, what: string): string {
  if (!Object.prototype.hasOwnProperty.call(labels, value)) {
    throw new RangeError(`Unknown task ${what} "${value}"; expected one of ${Object.keys(labels).join(', ')}`);
  }
  return labels[value as keyof T] as string;
}

export const PROPOSAL_FORM_TITLE = 'PHIẾU ĐỀ XUẤT ĐẶT HÀNG NHIỆM VỤ KHOA HỌC VÀ CÔNG NGHỆ';
/** The same title broken where the printed form breaks it, between whole words. */
const PROPOSAL_FORM_TITLE_LINES = 'PHIẾU ĐỀ XUẤT ĐẶT HÀNG\nNHIỆM VỤ KHOA HỌC VÀ CÔNG NGHỆ';

/** What the proposal form is rendered from: the proposal as filed, and where and when. */
export type ProposalFormSnapshot = Proposal & { taskId: string; departmentName: string; place: string; submittedAt: string /* ISO */ };

/**
 * Renders the proposal form (domain.md §7: name, urgency, objectives, products, use of results,
 * duration, budget, proposer). The proposer files it, so their organisation is the issuing body.
 * Throws on an unknown level or form, a non-integer amount or a non-positive duration.
 */
export async function renderProposalForm(snapshot: ProposalFormSnapshot, stateHash: string): Promise<Buffer> {
  if (!Number.isInteger(snapshot.durationMonths) || snapshot.durationMonths <= 0) {
    throw new RangeError(`renderProposalForm: durationMonths must be a positive integer, got ${snapshot.durationMonths}`);
  }
  const levelLabel = labelOf(TASK_LEVEL_LABELS_VI, snapshot.level, 'level');
  const formLabel = labelOf(TASK_FORM_LABELS_VI, snapshot.form, 'form');
  const { stateBudget, otherSources } = snapshot.budget;
  const total = stateBudget + otherSources;
  formatVnd(total); // validates the amounts before anything is drawn

  const doc = createPdfDocument({
    title: `${PROPOSAL_FORM_TITLE}: ${snapshot.title}`,
    creationDate: snapshot.submittedAt,
    author: snapshot.proposer.name,
    subject: `Đề xuất nhiệm vụ ${snapshot.taskId}`,
    keywords: [snapshot.taskId, 'đề xuất nhiệm vụ'],
  });

  drawAdministrativeHeader(doc, {
    issuingBody: snapshot.proposer.organisation,
    place: snapshot.place,
    date: snapshot.submittedAt,
    title: PROPOSAL_FORM_TITLE_LINES,
  });

  const box = contentBox(doc);
  useFont(doc, PDF_FONT.regular, PDF_TEXT_SIZE.body);
  doc.text(nfc(`Kính gửi: ${snapshot.departmentName}`), box.left, doc.y, { width: box.width, align: 'center' });
  doc.y += 10;

  drawSectionHeading(doc, '1. Tên nhiệm vụ');
  drawParagraph(doc, snapshot.title);
  drawSectionHeading(doc, '2. Tính cấp thiết');
  drawParagraph(doc, snapshot.urgency);
  drawSectionHeading(doc, '3. Mục tiêu');
  drawParagraph(doc, snapshot.objectives);
  drawSectionHeading(doc, '4. Sản phẩm dự kiến');
  drawBulletList(doc, snapshot.expectedProducts);
  drawSectionHeading(doc, '5. Khả năng và địa chỉ ứng dụng');
  drawParagraph(doc, snapshot.resultUsage);
  drawSectionHeading(doc, `6. Thời gian thực hiện: ${snapshot.durationMonths} tháng`);
  doc.y += PARAGRAPH_GAP;
  drawSectionHeading(doc, '7. Kinh phí dự kiến');
  drawAmountRows(doc, [
    { label: 'Ngân sách nhà nước', amount: stateBudget },
    { label: 'Nguồn khác', amount: otherSources },
    { label: 'Tổng cộng', amount: total, total: true },
  ]);
  drawSectionHeading(doc, `8. Cấp quản lý: ${levelLabel}`);
  drawSectionHeading(doc, `9. Hình thức thực hiện: ${formLabel}`);
  doc.y += PARAGRAPH_GAP;
  drawClosing(
    doc,
    (d) => {
      drawSectionHeading(d, '10. Thông tin người đề xuất');
      drawFieldLines(d, [
        { label: 'Họ và tên', value: snapshot.proposer.name },
        { label: 'Tổ chức', value: snapshot.proposer.organisation },
        { label: 'Thư điện tử', value: snapshot.proposer.email },
        ...(snapshot.proposer.phone ? [{ label: 'Điện thoại', value: snapshot.proposer.phone }] : []),
        { label: 'Ngày đề xuất', value: formatDateVi(snapshot.submittedAt) },
      ]);
    },
    (d) =>
      drawSignatureAndDistribution(d, {
        signer: { title: 'NGƯỜI ĐỀ XUẤT', note: '(Ký, ghi rõ họ tên)', name: snapshot.proposer.name },
        distribution: ['Sở Khoa học và Công nghệ;', 'Lưu: VT.'],
      }),
  );
  drawStateHash(doc, stateHash, snapshot.taskId);
  return pdfToBuffer(doc);
}
