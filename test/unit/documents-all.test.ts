/**
 * Every kind of document the system issues (test/support/document-catalogue.ts), read back as a
 * Department officer reads it: `pdftotext -layout` for the words, `pdftohtml -xml` for the faces.
 *
 * - No rule ID ("(L-19)", "C-BUD", "§4"), no system ID (council-…, doc-…, u-…, org-…) and no
 *   English code word (RECOMMENDED, PASS, continue, IN_PROGRESS, rationale…) in the text; they
 *   may stay in the metadata and in the footer's machine line only.
 * - Decree 30: page numbers at the top centre from page 2, none on page 1.
 * - The last page never holds only the signature block or "Nơi nhận".
 * - A heading after a page break is still bold.
 */
import { execFileSync } from 'node:child_process';
import { contentBox, createPdfDocument, drawParagraph, drawSectionHeading, drawStateHash, pdfToBuffer } from '../../activities/documents/pdf';
import { documentCatalogue } from '../support/document-catalogue';
import { MACHINE_LINE, pagesOf, pdfReader, readingText } from '../support/pdf-text';

const pdf = pdfReader('all-docs');

const RULE_ID = /\b(?:L|T|A|N|RS)-\d+\b|\bC-(?:[A-Z]+|\d+)\b|§/;
const SYSTEM_ID = /\b(?:council|doc|org)-[A-Za-z0-9]|\bu-[a-z0-9]|\bBC6T-/;
const CODE_WORDS = [
  'RECOMMENDED', 'NOT_RECOMMENDED', 'SELECTED', 'NO_QUALIFIED_APPLICANT', 'TIE_NEEDS_CHAIR', 'EXCELLENT', 'PASS', 'FAIL', 'NO_QUORUM', 'APPRAISED', 'REFER_TO_APPROVER',
  'PROPOSED', 'IN_PROGRESS', 'SUSPENDED', 'TERMINATED', 'LIQUIDATED', 'CONTRACTED', 'APPROVED', 'ACCEPTANCE_FAILED', 'TERMINATION_PENDING',
  'continue', 'adjust', 'suspend', 'terminate', 'rationale', 'content', 'products', 'applicability', 'capacity', 'budget', 'objectives',
  'objective', 'subjective', 'full_lump_sum', 'partial_lump_sum', 'competitive_selection', 'direct_assignment', 'research_topic', 'provincial',
  'open', 'secret', 'chair', 'vice_chair', 'reviewer', 'member', 'scientific_secretary', 'state_budget', 'score_sheet', 'host', 'department',
];
const CODE_WORD = new RegExp(`(?<![\\p{L}\\p{N}_@.-])(?:${CODE_WORDS.join('|')})(?![\\p{L}\\p{N}_@-])`, 'u');

/** What opens the closing block: the distribution list or a signer's title. */
const CLOSING_LINE = /Nơi nhận:|^\s*(?:KT\. |TM\. )?(?:GIÁM ĐỐC|ĐẠI DIỆN|THƯ KÝ KHOA HỌC|CHỦ TỊCH HỘI ĐỒNG|TRƯỞNG BAN KIỂM PHIẾU|THÀNH VIÊN BAN KIỂM PHIẾU|NGƯỜI ĐỀ XUẤT|NGƯỜI ĐÁNH GIÁ|TỔ TRƯỞNG TỔ THẨM ĐỊNH|TRƯỞNG ĐOÀN KIỂM TRA|CHỦ NHIỆM NHIỆM VỤ|PHÓ CHỦ TỊCH HỘI ĐỒNG)\b/;
/**
 * A numbered section heading ("3. Thành phần hội đồng"), an article's label ("Điều 2.") or a
 * Roman-numbered part. Numbered list items and table cells are regular text: they end with a
 * full stop or run to the full line.
 */
const isHeading = (t: string) => /^Điều \d+\.$/.test(t) || /^[IVX]+\. \p{Lu}/u.test(t) || (/^\d+\. \p{Lu}/u.test(t) && !/[.;,:]$/.test(t) && t.length <= 70);

/** Text elements of one page with whether they are set in a bold face (`pdftohtml -xml`). */
function faces(file: string, page: number): { text: string; bold: boolean }[] {
  const xml = execFileSync('/usr/bin/pdftohtml', ['-xml', '-i', '-stdout', '-q', '-f', String(page), '-l', String(page), file], { encoding: 'utf8' });
  return [...xml.matchAll(/<text [^>]*>(.*?)<\/text>/g)].map((m) => ({
    text: m[1]!.replace(/<[^>]+>/g, '').replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').trim(),
    bold: m[1]!.includes('<b>'),
  }));
}

const catalogue = documentCatalogue();

test('the catalogue covers every kind of document with its variants', () => {
  expect(catalogue.length).toBeGreaterThanOrEqual(31);
  expect(new Set(catalogue.map((e) => e.name)).size).toBe(catalogue.length);
});

describe.each(catalogue.map((e) => [e.name, e] as const))('%s', (_name, entry) => {
  let file = '';
  let raw = '';
  let pages: string[] = [];
  beforeAll(async () => {
    file = pdf.write(await entry.render(), entry.name);
    raw = pdf.textOf(file);
    pages = pagesOf(raw);
  });

  test('no rule ID, system ID or English code word in the text (only in the machine line)', () => {
    const text = readingText(raw);
    const offending = text.split('\n').filter((line) => RULE_ID.test(line) || SYSTEM_ID.test(line) || CODE_WORD.test(line));
    expect(offending).toEqual([]);
    expect(raw).not.toMatch(/\uFFFD/);
    expect(raw.normalize('NFC')).toBe(raw);
    // The machine line is on every page.
    for (const page of pages) expect(page.split('\n').some((l) => MACHINE_LINE.test(l))).toBe(true);
  });

  test('page numbers at the top centre from page 2, none on page 1', () => {
    expect(pages.length).toBe(pdf.pageCount(file));
    pages.forEach((page, i) => {
      const first = page.split('\n').find((l) => l.trim() !== '')!;
      if (i === 0) expect(first.trim()).not.toBe('1');
      else {
        expect(first.trim()).toBe(String(i + 1));
        // Centred: as far from the left edge of the text as the text's right edge is from it.
        const indent = first.length - first.trimStart().length;
        const widest = Math.max(...page.split('\n').map((l) => l.trimEnd().length));
        expect(Math.abs(indent - widest / 2)).toBeLessThan(widest * 0.2);
      }
    });
  });

  test('the last page never holds only the signature block or "Nơi nhận"', () => {
    if (pages.length < 2) return;
    const last = readingText(pages[pages.length - 1]!).split('\n').filter((l) => l.trim() !== '' && l.trim() !== String(pages.length));
    expect(last.length).toBeGreaterThan(0);
    expect({ firstLineOfLastPage: last[0], closing: CLOSING_LINE.test(last[0]!) }).toEqual({ firstLineOfLastPage: last[0], closing: false });
  });

  test('headings are bold on every page, after a page break too', () => {
    for (let page = 1; page <= pages.length; page += 1) {
      const headings = faces(file, page).filter((t) => isHeading(t.text));
      for (const h of headings) expect({ page, heading: h.text, bold: h.bold }).toEqual({ page, heading: h.text, bold: true });
    }
  });
});

test('a heading pushed to a new page keeps its bold face and the text under it its regular one', async () => {
  const doc = createPdfDocument({ title: 'Thử ngắt trang', creationDate: '2027-01-01T00:00:00Z' });
  drawSectionHeading(doc, '1. Mở đầu');
  drawParagraph(doc, 'Đoạn văn đầu tiên.');
  // Two lines above the bottom margin: the heading and its first lines go to page 2.
  doc.y = doc.page.maxY() - 20;
  doc.x = contentBox(doc).left;
  drawSectionHeading(doc, '2. Tiêu đề sau ngắt trang');
  drawParagraph(doc, 'Nội dung dưới tiêu đề, chữ thường.');
  drawStateHash(doc, 'a'.repeat(64), 'NV-THU-NGAT-TRANG');
  const file = pdf.write(await pdfToBuffer(doc), 'page-break-heading');
  expect(pdf.pageCount(file)).toBe(2);
  const page2 = faces(file, 2);
  expect(page2.find((t) => t.text === '2. Tiêu đề sau ngắt trang')).toEqual({ text: '2. Tiêu đề sau ngắt trang', bold: true });
  expect(page2.find((t) => t.text.startsWith('Nội dung dưới tiêu đề'))?.bold).toBe(false);
  const fonts = execFileSync('/usr/bin/pdffonts', ['-f', '2', '-l', '2', file], { encoding: 'utf8' });
  expect(fonts).toContain('Tinos-Bold');
});

test('issue 13 (T-3): the liquidation record after termination cites the write-off decision and shows the amount written off; nothing is left owed', async () => {
  const entry = catalogue.find((e) => e.name === 'task-liquidation-record-after-termination')!;
  const text = pdf.textOf(pdf.write(await entry.render(), `${entry.name}-write-off`)).replace(/\s+/g, ' ');
  expect(text).toContain('Căn cứ Quyết định số 45/QĐ-UBND ngày 05/08/2027 về việc xóa khoản kinh phí phải thu hồi;');
  expect(text).toMatch(/Kinh phí được xóa theo quyết định 300.000.000 đồng/);
  expect(text).toContain('Bên B đã hoàn thành nghĩa vụ tài chính theo hợp đồng');
  expect(text).not.toContain('còn phải hoàn trả');
});
