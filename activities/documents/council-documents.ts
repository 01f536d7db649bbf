/**
 * Council documents (domain.md §3, §7): the vote-counting record (biên bản kiểm phiếu) and the
 * council minutes (biên bản họp hội đồng), rendered from one recorded `CouncilView` of a decided
 * sitting, in the Vietnamese administrative layout of `pdf.ts`.
 *
 * C-4: a secret ballot is never shown per member. The view of a secret sitting carries no
 * ballots, and these renderers print counts only; per-member votes appear only for an open
 * ballot, from `view.openBallots`.
 *
 * Choices the view does not settle (it records no counting committee, no invalid ballots):
 * - Counting committee: `snapshot.countingCommittee` when given; otherwise the scientific
 *   secretaries who sat for the item (present, not conflicted), and when there is none, the
 *   member presiding (the chair, or the authorised vice-chair). The first one heads it.
 * - Ballots issued = eligible members present (C-3, C-6); received = issued − missing votes;
 *   valid = the ballots counted by the tally (the sitting's validators refuse a malformed
 *   ballot when it is cast, so every ballot received is valid).
 * - Shares are printed as a fraction and a percentage truncated (never rounded up across a
 *   threshold) to two decimals with a decimal comma, like the C-SEL averages.
 * - Both documents are dated by the result (`decidedAt`, Vietnam time); the minutes also state
 *   the meeting date.
 */
import type { CouncilBallot, CouncilKind, CouncilMemberRole, CouncilView } from '../../workflows/definitions';
import { memberAcceptanceRating, type Rating } from '../../workflows/rules/tallies';
import { BALLOT_LABELS, COUNCIL_KIND_LABELS, COUNCIL_OUTCOME_LABELS, COUNCIL_ROLE_LABELS, RATING_LABELS, SELECTION_CRITERION_LABELS, nameOf } from '../../workflows/labels';
import { formatDateVi } from './format';
import { plainText } from './plain-text';
import {
  createPdfDocument,
  drawAdministrativeHeader,
  drawClosing,
  drawFieldLines,
  drawParagraph,
  drawSectionHeading,
  drawStateHash,
  SIGNATURE_SPACE,
  drawSignatureStamp,
  type Draw,
  ensureSpace,
  PDF_FONT,
  PDF_TEXT_SIZE,
  pdfToBuffer,
  type DocumentSigner,
  type PdfDoc,
  contentBox,
  nfc,
  useFont,
} from './pdf';

export interface CouncilDocumentSnapshot {
  /** The sitting as recorded: status DECIDED, with its result. */
  view: CouncilView;
  /** The Department (Sở KH&CN): the issuing body of both documents. */
  departmentName: string;
  /** Place printed in the place-and-date line and as the meeting place. */
  place: string;
  /** Number of the record; printed as "Số: {decisionNumber}/BB-HĐ". */
  decisionNumber?: string;
  /**
   * memberIds of the counting committee elected at the meeting, head first (C-4: 2 members for
   * identification, 3 for acceptance). The view does not record it; without it the committee is
   * the scientific secretary (or, failing one, the presiding chair).
   */
  countingCommittee?: string[];
}

// ---------------------------------------------------------------------------------------------
// Vietnamese labels
// ---------------------------------------------------------------------------------------------

// From the shared table of names (workflows/labels.ts), in Vietnamese.
export const COUNCIL_KIND_LABELS_VI: Record<CouncilKind, string> = {
  'C-ID': COUNCIL_KIND_LABELS['C-ID'].vi,
  'C-SEL': COUNCIL_KIND_LABELS['C-SEL'].vi,
  'C-ACC': COUNCIL_KIND_LABELS['C-ACC'].vi,
};

export const COUNCIL_ROLE_LABELS_VI = Object.fromEntries(Object.entries(COUNCIL_ROLE_LABELS).map(([k, v]) => [k, v.vi])) as Record<CouncilMemberRole, string>;

export const RATING_LABELS_VI: Record<Rating, string> = { EXCELLENT: RATING_LABELS.EXCELLENT.vi, PASS: RATING_LABELS.PASS.vi, FAIL: RATING_LABELS.FAIL.vi };

/** A selection criterion by its name (a criterion the council named itself is printed as named). */
export const criterionVi = (id: string) => nameOf(SELECTION_CRITERION_LABELS, id, 'vi', 'Tiêu chí khác');

export const VOTE_COUNTING_RECORD_TITLE = 'BIÊN BẢN KIỂM PHIẾU';
export const COUNCIL_MINUTES_TITLE = 'BIÊN BẢN HỌP HỘI ĐỒNG';

const BALLOT_LABELS_VI = { open: BALLOT_LABELS.open.vi, secret: BALLOT_LABELS.secret.vi } as const;
const SECRET_DISSENT_VI = 'Ý kiến khác (nếu có) được ghi trong phiếu.';

// ---------------------------------------------------------------------------------------------
// Reading the recorded result
// ---------------------------------------------------------------------------------------------

interface Ratio {
  num: number;
  den: number;
}
interface IdFigures {
  kind: 'C-ID';
  yes: number;
  no: number;
  notVoted: number;
  present: number;
  share: Ratio;
}
interface SelRow {
  dossierId: string;
  average: string;
  qualifies: boolean;
  zeroCounts: Record<string, number>;
}
interface SelFigures {
  kind: 'C-SEL';
  present: number;
  tied: string[];
  decidedBy: 'average' | 'products' | 'chair' | null;
  rows: SelRow[];
}
interface AccFigures {
  kind: 'C-ACC';
  counts: { EXCELLENT: number; PASS: number; FAIL: number; notRated: number };
  present: number;
  shares: { EXCELLENT: Ratio; PASS: Ratio };
}
type Figures = IdFigures | SelFigures | AccFigures;

function bad(what: string): never {
  throw new RangeError(`council document: the recorded result has no valid ${what}`);
}
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
function count(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) bad(what);
  return v;
}
function ratio(v: unknown, what: string): Ratio {
  if (!isRecord(v)) bad(what);
  const den = count(v.den, `${what}.den`);
  const num = count(v.num, `${what}.num`);
  if (num > den) bad(what);
  return { num, den };
}

/** The figures of `result` for its kind, checked (C-9: counts and figures only, never a ballot). */
function readFigures(view: CouncilView): Figures {
  const f = view.result!.figures;
  if (!isRecord(f)) bad('figures');
  switch (view.kind) {
    case 'C-ID':
      return {
        kind: 'C-ID',
        yes: count(f.yes, 'figures.yes'),
        no: count(f.no, 'figures.no'),
        notVoted: count(f.notVoted, 'figures.notVoted'),
        present: count(f.present, 'figures.present'),
        share: ratio(f.share, 'figures.share'),
      };
    case 'C-SEL': {
      if (!Array.isArray(f.rows)) bad('figures.rows');
      const rows = f.rows.map((r, i): SelRow => {
        if (!isRecord(r) || typeof r.dossierId !== 'string' || typeof r.average !== 'string' || typeof r.qualifies !== 'boolean') {
          bad(`figures.rows[${i}]`);
        }
        const zeroCounts: Record<string, number> = {};
        if (isRecord(r.zeroCounts)) for (const [k, n] of Object.entries(r.zeroCounts)) zeroCounts[k] = count(n, `figures.rows[${i}].zeroCounts`);
        return { dossierId: r.dossierId, average: r.average, qualifies: r.qualifies, zeroCounts };
      });
      const decidedBy = f.decidedBy ?? null;
      if (decidedBy !== null && decidedBy !== 'average' && decidedBy !== 'products' && decidedBy !== 'chair') bad('figures.decidedBy');
      const tied = Array.isArray(f.tied) ? f.tied.filter((t): t is string => typeof t === 'string') : [];
      return { kind: 'C-SEL', present: count(f.present, 'figures.present'), tied, decidedBy, rows };
    }
    case 'C-ACC': {
      if (!isRecord(f.counts) || !isRecord(f.shares)) bad('figures.counts / figures.shares');
      return {
        kind: 'C-ACC',
        counts: {
          EXCELLENT: count(f.counts.EXCELLENT, 'figures.counts.EXCELLENT'),
          PASS: count(f.counts.PASS, 'figures.counts.PASS'),
          FAIL: count(f.counts.FAIL, 'figures.counts.FAIL'),
          notRated: count(f.counts.notRated, 'figures.counts.notRated'),
        },
        present: count(f.present, 'figures.present'),
        shares: { EXCELLENT: ratio(f.shares.EXCELLENT, 'figures.shares.EXCELLENT'), PASS: ratio(f.shares.PASS, 'figures.shares.PASS') },
      };
    }
    default:
      throw new RangeError(`council document: unknown council kind "${String(view.kind)}"`);
  }
}

type Member = CouncilView['members'][number];

/** Everything both documents derive from the view. */
interface Sitting {
  view: CouncilView;
  result: NonNullable<CouncilView['result']>;
  figures: Figures;
  kindLabel: string;
  /** Present and not conflicted: the members who vote (C-3, C-6). */
  voters: Member[];
  conflicted: Member[];
  absent: Member[];
  committee: Member[];
  presiding: { member: Member; byAuthorisation: boolean } | undefined;
  ballots: { issued: number; received: number; valid: number };
}

function readSitting(s: CouncilDocumentSnapshot): Sitting {
  const { view } = s;
  if (view.status !== 'DECIDED' || !view.result) {
    throw new RangeError(`council document: council ${view.councilId} is not decided (status ${view.status})`);
  }
  const result = view.result;
  if (result.kind !== view.kind) throw new RangeError(`council document: result kind ${result.kind} does not match council kind ${view.kind}`);
  if (!Number.isSafeInteger(result.missingVotes) || result.missingVotes < 0) bad('missingVotes');
  const figures = readFigures(view);
  const kindLabel = COUNCIL_KIND_LABELS_VI[view.kind];

  const conflicted = view.members.filter((m) => m.conflicted);
  const voters = view.members.filter((m) => !m.conflicted && m.present === true);
  const absent = view.members.filter((m) => !m.conflicted && m.present !== true);

  const sitsAs = (role: CouncilMemberRole) => voters.find((m) => m.role === role);
  const chair = sitsAs('chair');
  const vice = sitsAs('vice_chair');
  const presiding = chair ? { member: chair, byAuthorisation: false } : vice ? { member: vice, byAuthorisation: true } : undefined;

  let committee: Member[];
  if (s.countingCommittee && s.countingCommittee.length > 0) {
    committee = s.countingCommittee.map((id) => {
      const m = voters.find((v) => v.memberId === id);
      if (!m) throw new RangeError(`council document: counting committee member ${id} did not sit for this item (absent, conflicted or unknown)`);
      return m;
    });
  } else {
    const secretaries = voters.filter((m) => m.role === 'scientific_secretary');
    committee = secretaries.length > 0 ? secretaries : presiding ? [presiding.member] : [];
  }
  if (committee.length === 0) throw new RangeError('council document: no member present can head the counting committee');

  // Ballots issued to the members who vote; received unless missing; valid as counted by the tally.
  const issued = figures.present;
  const received = Math.max(0, issued - result.missingVotes);
  const valid =
    figures.kind === 'C-ID'
      ? figures.yes + figures.no
      : figures.kind === 'C-ACC'
        ? figures.counts.EXCELLENT + figures.counts.PASS + figures.counts.FAIL
        : received;
  return { view, result, figures, kindLabel, voters, conflicted, absent, committee, presiding, ballots: { issued, received, valid } };
}

// ---------------------------------------------------------------------------------------------
// Formatting
// ---------------------------------------------------------------------------------------------

/** "7/9 (77,77%)": the percentage truncated to hundredths, decimal comma. */
export function formatShareVi(r: Ratio): string {
  if (r.den === 0) return `${r.num}/${r.den}`;
  const x = r.num * 10000;
  const hundredths = (x - (x % r.den)) / r.den;
  const whole = Math.floor(hundredths / 100);
  const frac = String(hundredths % 100).padStart(2, '0');
  return `${r.num}/${r.den} (${whole},${frac}%)`;
}

/** Points in halves: 82.5 → "82,5", 80 → "80". */
function formatPointsVi(points: number): string {
  return Number.isInteger(points) ? String(points) : String(points).replace('.', ',');
}

/** "16 giờ 30, ngày 24/11/2026" (Asia/Ho_Chi_Minh); a plain date gives "ngày dd/mm/yyyy". */
export function formatTimeAndDateVi(iso: string): string {
  const date = formatDateVi(iso); // validates (a timestamp must carry its zone)
  if (/^\d{4}-\d{2}-\d{2}$/.test(iso)) return `ngày ${date}`;
  const wall = new Date(Date.parse(iso) + 7 * 3600_000);
  const hh = String(wall.getUTCHours()).padStart(2, '0');
  const mm = String(wall.getUTCMinutes()).padStart(2, '0');
  return `${hh} giờ ${mm}, ngày ${date}`;
}

function outcomeLabelVi(sitting: Sitting): string {
  const { result } = sitting;
  switch (result.outcome) {
    case 'RECOMMENDED':
      return 'Kiến nghị đặt hàng nhiệm vụ';
    case 'NOT_RECOMMENDED':
      return 'Không kiến nghị đặt hàng nhiệm vụ';
    case 'SELECTED':
      return result.winner ? `Tuyển chọn hồ sơ ${result.winner}` : 'Có hồ sơ được tuyển chọn';
    case 'NO_QUALIFIED_APPLICANT':
      return 'Không có hồ sơ đủ điều kiện';
    default:
      return nameOf(COUNCIL_OUTCOME_LABELS, result.outcome);
  }
}

/**
 * Issue 12: a member as the council's documents name them, the academic title before the name
 * ("PGS.TS. Nguyễn Văn An"); a seat recorded without one (sittings formed before) prints the name alone.
 */
export const seatName = (m: { name: string; title?: string }): string => (m.title?.trim() ? `${m.title.trim()} ${m.name}` : m.name);
/** "PGS.TS. Nguyễn Văn An, Viện Sinh học Nhiệt đới": the title, the name and, where recorded, the workplace. */
export const seatNameAndWorkplace = (m: { name: string; title?: string; workplace?: string }): string =>
  m.workplace?.trim() ? `${seatName(m)}, ${m.workplace.trim()}` : seatName(m);
/**
 * A list of members as a table: "Học hàm, học vị, họ và tên" when any has a title, a column "Cơ quan
 * công tác" when any has a workplace; without either (sittings formed before) the table is as it was.
 */
export function seatColumns(members: { title?: string; workplace?: string }[]): { titled: boolean; workplaces: boolean; nameHeader: string } {
  const titled = members.some((m) => m.title?.trim());
  return { titled, workplaces: members.some((m) => m.workplace?.trim()), nameHeader: titled ? 'Học hàm, học vị, họ và tên' : 'Họ và tên' };
}
/** Where a member is listed with their role (counting committee, conflicted, absent): name, workplace, role. */
const memberLabel = (m: Member) => `${seatNameAndWorkplace(m)} (${COUNCIL_ROLE_LABELS_VI[m.role]})`;
/** Where a member's own view is quoted (dissent): the name and role only. */
const memberShort = (m: Member) => `${seatName(m)} (${COUNCIL_ROLE_LABELS_VI[m.role]})`;

// ---------------------------------------------------------------------------------------------
// Drawing helpers local to council documents (pdf.ts keeps its own private ones)
// ---------------------------------------------------------------------------------------------

/** Lists and tables start where a paragraph's first line does (Decree 30: 1 cm). */
const INDENT = 10 * (72 / 25.4);
const box = contentBox;
const font = (doc: PdfDoc, face: string, size: number): PdfDoc => useFont(doc, face as Parameters<typeof useFont>[1], size);

/** Numbered list "1. …", each item wrapping under its own text. */
export function drawNumberedList(doc: PdfDoc, items: string[]): void {
  const { left, width } = box(doc);
  const numberWidth = 18;
  font(doc, PDF_FONT.regular, PDF_TEXT_SIZE.body);
  items.forEach((item, i) => {
    ensureSpace(doc, doc.currentLineHeight(true) + 2);
    const y = doc.y;
    font(doc, PDF_FONT.regular, PDF_TEXT_SIZE.body);
    doc.text(`${i + 1}.`, left + INDENT, y, { width: numberWidth, lineBreak: false });
    doc.text(nfc(item), left + INDENT + numberWidth, y, { width: width - INDENT - numberWidth, align: 'justify', lineGap: 1.5, paragraphGap: 2 });
  });
  doc.y += 4;
  doc.x = left;
}

export interface TableColumn {
  header: string;
  /** Share of the table width; the shares add up to 1. */
  width: number;
  align?: 'left' | 'center' | 'right';
}

/**
 * A ruled table across the body (indented like the text). Rows are kept whole; a row that does
 * not fit goes to the next page under a repeated header row.
 */
export function drawTable(doc: PdfDoc, columns: TableColumn[], rows: string[][]): void {
  const { left, right } = box(doc);
  const x0 = left + INDENT;
  const tableWidth = right - x0;
  const pad = 3;
  const size = PDF_TEXT_SIZE.small;
  const xs: number[] = [];
  let acc = x0;
  for (const c of columns) {
    xs.push(acc);
    acc += c.width * tableWidth;
  }
  const widths = columns.map((c) => c.width * tableWidth);

  const heightOf = (cells: string[], face: string): number => {
    font(doc, face, size);
    return Math.max(...cells.map((cell, i) => doc.heightOfString(nfc(cell), { width: widths[i]! - 2 * pad }))) + 2 * pad;
  };
  const drawRow = (cells: string[], face: string, height: number): void => {
    const y = doc.y;
    doc.save().lineWidth(0.5).strokeColor('#000000');
    cells.forEach((_, i) => doc.rect(xs[i]!, y, widths[i]!, height).stroke());
    doc.restore();
    font(doc, face, size);
    cells.forEach((cell, i) => {
      doc.text(nfc(cell), xs[i]! + pad, y + pad, { width: widths[i]! - 2 * pad, align: columns[i]!.align ?? 'left' });
    });
    doc.x = left;
    doc.y = y + height;
  };

  const header = columns.map((c) => c.header);
  const headerHeight = heightOf(header, PDF_FONT.bold);
  const firstHeight = rows.length ? heightOf(rows[0]!, PDF_FONT.regular) : 0;
  ensureSpace(doc, headerHeight + firstHeight);
  drawRow(header, PDF_FONT.bold, headerHeight);
  for (const row of rows) {
    const h = heightOf(row, PDF_FONT.regular);
    if (doc.y + h > doc.page.maxY()) {
      doc.addPage();
      drawRow(header, PDF_FONT.bold, headerHeight);
    }
    drawRow(row, PDF_FONT.regular, h);
  }
  doc.x = left;
  doc.y += 8;
  font(doc, PDF_FONT.regular, PDF_TEXT_SIZE.body);
}

/**
 * Signers in two columns. The main signer takes the right column of the first row, where an
 * administrative document puts its signature, with the first co-signer on its left; further
 * co-signers follow in rows of two. Each row is kept whole on one page.
 */
export function drawSigners(doc: PdfDoc, main: DocumentSigner, others: (DocumentSigner | undefined)[] = []): void {
  const { left, width } = box(doc);
  const colWidth = width / 2 - 6;
  const cols = [left, left + width / 2 + 6];
  const pairs: (DocumentSigner | undefined)[][] = [[others[0], main]];
  for (let i = 1; i < others.length; i += 2) pairs.push([others[i], others[i + 1]]);
  const centred = (face: string, size: number, text: string, x: number, y: number): number => {
    font(doc, face, size);
    doc.text(nfc(text), x, y, { width: colWidth, align: 'center' });
    return doc.y;
  };
  const h = (face: string, size: number, text: string): number => {
    font(doc, face, size);
    return doc.heightOfString(nfc(text), { width: colWidth });
  };
  /** Authority, title and note: the part above the signature space. */
  const headOf = (s: DocumentSigner): number =>
    (s.authority ? h(PDF_FONT.bold, PDF_TEXT_SIZE.body, s.authority) : 0) +
    h(PDF_FONT.bold, PDF_TEXT_SIZE.body, s.title.toUpperCase()) +
    (s.note ? h(PDF_FONT.italic, PDF_TEXT_SIZE.small, s.note) : 0);
  for (const pair of pairs) {
    const present = pair.filter((s): s is DocumentSigner => s !== undefined);
    // Names of a row share one line, below the taller of the two heads.
    const head = Math.max(...present.map(headOf));
    const nameHeight = Math.max(...present.map((s) => h(PDF_FONT.bold, PDF_TEXT_SIZE.body, s.name || ' ')));
    ensureSpace(doc, 12 + head + SIGNATURE_SPACE + nameHeight);
    const top = doc.y + 12;
    const nameY = top + head + SIGNATURE_SPACE;
    pair.forEach((s, i) => {
      if (!s) return;
      const x = cols[i]!;
      let y = top;
      if (s.authority) y = centred(PDF_FONT.bold, PDF_TEXT_SIZE.body, s.authority, x, y);
      y = centred(PDF_FONT.bold, PDF_TEXT_SIZE.body, s.title.toUpperCase(), x, y);
      if (s.note) centred(PDF_FONT.italic, PDF_TEXT_SIZE.small, s.note, x, y);
      // Issue 12: the visible signature in the signature space, under the head of its column.
      if (s.stamp) drawSignatureStamp(doc, s.stamp, x, nameY - SIGNATURE_SPACE, colWidth);
      centred(PDF_FONT.bold, PDF_TEXT_SIZE.body, s.name || ' ', x, nameY);
    });
    doc.x = left;
    doc.y = nameY + nameHeight + 14;
  }
  font(doc, PDF_FONT.regular, PDF_TEXT_SIZE.body);
}

// ---------------------------------------------------------------------------------------------
// Shared sections
// ---------------------------------------------------------------------------------------------

/**
 * Decree 30 header of a provincial Department: the People's Committee of the province it belongs
 * to as the parent body, the Department as the issuing body ("UBND TỈNH TÂY NINH" over "SỞ KHOA
 * HỌC VÀ CÔNG NGHỆ"). A name that does not end in "tỉnh …"/"thành phố …" is printed as given.
 */
export function issuingBodyOf(departmentName: string): { parentBody?: string; issuingBody: string } {
  const m = /^(Sở\s.+?)\s+((?:tỉnh|thành phố)\s+\S.*)$/iu.exec(departmentName.normalize('NFC').trim());
  return m ? { parentBody: `UBND ${m[2]}`, issuingBody: m[1]! } : { issuingBody: departmentName };
}

function startDocument(s: CouncilDocumentSnapshot, sitting: Sitting, title: string): PdfDoc {
  const { view, result } = sitting;
  const doc = createPdfDocument({
    title: `${title}: ${sitting.kindLabel} – ${view.taskTitle}`,
    creationDate: result.decidedAt,
    author: s.departmentName,
    subject: `${sitting.kindLabel}, nhiệm vụ ${view.taskId}`,
    keywords: [view.taskId, view.councilId, view.kind],
  });
  drawAdministrativeHeader(doc, {
    ...issuingBodyOf(s.departmentName),
    ...(s.decisionNumber ? { number: `${s.decisionNumber}/BB-HĐ` } : {}),
    place: s.place,
    date: result.decidedAt,
    title,
    subtitle: sitting.kindLabel,
  });
  return doc;
}

/** Starts a new page unless about `lines` body lines still fit: keeps a short section whole. */
function keepTogether(doc: PdfDoc, lines: number): void {
  font(doc, PDF_FONT.regular, PDF_TEXT_SIZE.body);
  ensureSpace(doc, lines * (doc.currentLineHeight(true) + 1.5) + 8);
}

/** About how many body lines `drawTallies` takes (table rows count double, for padding and wraps). */
function talliesLines(sitting: Sitting): number {
  const f = sitting.figures;
  return f.kind === 'C-ID' ? 4 : f.kind === 'C-ACC' ? 6 : 4 + 2 * Math.min(f.rows.length, 4);
}

/** The tallies of the result, per kind; counts only (C-4). */
function drawTallies(doc: PdfDoc, sitting: Sitting): void {
  const f = sitting.figures;
  if (f.kind === 'C-ID') {
    drawFieldLines(doc, [
      { label: 'Số phiếu đồng ý', value: String(f.yes) },
      { label: 'Số phiếu không đồng ý', value: String(f.no) },
      { label: 'Số thành viên có mặt không bỏ phiếu', value: String(f.notVoted) },
      { label: 'Tỷ lệ đồng ý trên số thành viên có mặt', value: formatShareVi(f.share) },
    ]);
  } else if (f.kind === 'C-SEL') {
    drawTable(
      doc,
      [
        { header: 'STT', width: 0.08, align: 'center' },
        { header: 'Hồ sơ', width: 0.2 },
        { header: 'Điểm trung bình', width: 0.22, align: 'center' },
        { header: 'Tiêu chí bị chấm 0 điểm', width: 0.28, align: 'center' },
        { header: 'Đủ điều kiện', width: 0.22, align: 'center' },
      ],
      f.rows.map((r, i) => {
        const zeros = Object.entries(r.zeroCounts)
          .filter(([, n]) => n > 0)
          .map(([id, n]) => `${criterionVi(id)}: ${n}`);
        return [String(i + 1), r.dossierId, r.average, zeros.length ? zeros.join('; ') : 'Không', r.qualifies ? 'Đạt' : 'Không đạt'];
      }),
    );
    const decidedBy =
      f.decidedBy === 'average'
        ? 'có điểm trung bình cao nhất trong các hồ sơ đạt yêu cầu'
        : f.decidedBy === 'products'
          ? 'bằng điểm trung bình, có điểm sản phẩm/nội dung cao hơn'
          : f.decidedBy === 'chair'
            ? `bằng điểm với ${f.tied.filter((d) => d !== sitting.result.winner).join(', ')}; chủ tịch hội đồng quyết định`
            : '';
    drawFieldLines(doc, [
      { label: 'Số thành viên có mặt chấm điểm', value: String(f.present) },
      {
        label: 'Hồ sơ được đề nghị tuyển chọn',
        value: sitting.result.winner ? `${sitting.result.winner}${decidedBy ? ` (${decidedBy})` : ''}` : 'Không có',
      },
    ]);
  } else {
    drawFieldLines(doc, [
      { label: 'Số phiếu xếp loại Xuất sắc', value: String(f.counts.EXCELLENT) },
      { label: 'Số phiếu xếp loại Đạt', value: String(f.counts.PASS) },
      { label: 'Số phiếu xếp loại Không đạt', value: String(f.counts.FAIL) },
      { label: 'Số thành viên có mặt không đánh giá', value: String(f.counts.notRated) },
      { label: 'Tỷ lệ xếp loại Xuất sắc', value: formatShareVi(f.shares.EXCELLENT) },
      { label: 'Tỷ lệ xếp loại từ Đạt trở lên', value: formatShareVi(f.shares.PASS) },
    ]);
  }
}

function drawBallotCounts(doc: PdfDoc, sitting: Sitting): void {
  const { ballots } = sitting;
  drawFieldLines(doc, [
    { label: 'Số phiếu phát ra', value: String(ballots.issued) },
    { label: 'Số phiếu thu về', value: String(ballots.received) },
    { label: 'Số phiếu hợp lệ', value: String(ballots.valid) },
    { label: 'Số phiếu không hợp lệ', value: String(ballots.received - ballots.valid) },
  ]);
}

function drawConclusion(doc: PdfDoc, sitting: Sitting): void {
  drawFieldLines(doc, [{ label: 'Kết quả', value: outcomeLabelVi(sitting) }]);
  drawParagraph(doc, plainText(sitting.result.explanation.vi));
}

/** The ballot of each member who voted, from an open ballot only (C-4). */
function openBallotOf(sitting: Sitting, memberId: string, dossierId?: string): CouncilBallot | undefined {
  if (sitting.view.ballot !== 'open') return undefined;
  return (sitting.view.openBallots ?? []).find(
    (b) => b.memberId === memberId && (dossierId === undefined || (b.ballot.kind === 'C-SEL' && b.ballot.dossierId === dossierId)),
  )?.ballot;
}

const ballotTotal = (b: CouncilBallot | undefined): number | undefined =>
  b?.kind === 'C-SEL' ? Object.values(b.scores).reduce((sum, v) => sum + v, 0) : undefined;

const accRating = (b: CouncilBallot | undefined): Rating | undefined =>
  b?.kind === 'C-ACC' ? memberAcceptanceRating({ products: b.products, report: b.report }).rating : undefined;

/** Open ballot only: each voting member's vote, as a table. */
function drawOpenBallots(doc: PdfDoc, sitting: Sitting): void {
  const { view, voters } = sitting;
  if (view.kind === 'C-SEL') {
    const dossiers = sitting.figures.kind === 'C-SEL' ? sitting.figures.rows.map((r) => r.dossierId) : view.dossiers ?? [];
    for (let start = 0; start < dossiers.length; start += 3) {
      const chunk = dossiers.slice(start, start + 3);
      const scoreWidth = 0.36 / chunk.length;
      drawTable(
        doc,
        [
          { header: 'STT', width: 0.07, align: 'center' },
          { header: seatColumns(voters).nameHeader, width: 0.35 },
          { header: 'Chức danh', width: 0.22 },
          ...chunk.map((d) => ({ header: `Tổng điểm ${d}`, width: scoreWidth, align: 'center' as const })),
        ],
        voters.map((m, i) => [
          String(i + 1),
          seatName(m),
          COUNCIL_ROLE_LABELS_VI[m.role],
          ...chunk.map((d) => {
            const total = ballotTotal(openBallotOf(sitting, m.memberId, d));
            return total === undefined ? 'Không chấm' : formatPointsVi(total);
          }),
        ]),
      );
    }
    return;
  }
  drawTable(
    doc,
    [
      { header: 'STT', width: 0.08, align: 'center' },
      { header: seatColumns(voters).nameHeader, width: 0.36 },
      { header: 'Chức danh', width: 0.28 },
      { header: view.kind === 'C-ID' ? 'Biểu quyết' : 'Xếp loại', width: 0.28, align: 'center' },
    ],
    voters.map((m, i) => {
      const b = openBallotOf(sitting, m.memberId);
      const vote =
        b?.kind === 'C-ID' ? (b.yes ? 'Đồng ý' : 'Không đồng ý') : b?.kind === 'C-ACC' ? RATING_LABELS_VI[accRating(b)!] : 'Không bỏ phiếu';
      return [String(i + 1), seatName(m), COUNCIL_ROLE_LABELS_VI[m.role], vote];
    }),
  );
}

// ---------------------------------------------------------------------------------------------
// Vote-counting record (Biên bản kiểm phiếu)
// ---------------------------------------------------------------------------------------------

/**
 * Renders the vote-counting record (domain.md §7: counting committee, ballots issued and valid,
 * tallies, averages) of a decided sitting. For a secret ballot it prints counts only (C-4).
 * Throws a RangeError when the council is not decided or its recorded figures are malformed.
 */
export async function renderVoteCountingRecord(s: CouncilDocumentSnapshot, stateHash: string): Promise<Buffer> {
  const sitting = readSitting(s);
  const { view, committee } = sitting;
  const doc = startDocument(s, sitting, VOTE_COUNTING_RECORD_TITLE);

  drawSectionHeading(doc, '1. Thông tin chung');
  drawFieldLines(doc, [
    { label: 'Hội đồng', value: sitting.kindLabel },
    { label: 'Mã nhiệm vụ', value: view.taskId },
    { label: 'Tên nhiệm vụ', value: view.taskTitle },
    { label: 'Ngày họp', value: formatDateVi(view.meetingOn) },
    { label: 'Hình thức bỏ phiếu', value: BALLOT_LABELS_VI[view.ballot] },
    { label: 'Thời gian kiểm phiếu', value: formatTimeAndDateVi(sitting.result.decidedAt) },
  ]);

  drawSectionHeading(doc, '2. Ban kiểm phiếu');
  drawFieldLines(doc, [
    { label: 'Trưởng ban', value: memberLabel(committee[0]!) },
    ...committee.slice(1).map((m) => ({ label: 'Thành viên', value: memberLabel(m) })),
  ]);

  drawSectionHeading(doc, '3. Số phiếu');
  drawFieldLines(doc, [
    { label: 'Tổng số thành viên hội đồng', value: String(view.members.length) },
    { label: 'Thành viên có xung đột lợi ích, không bỏ phiếu', value: String(sitting.conflicted.length) },
    { label: 'Thành viên vắng mặt', value: String(sitting.absent.length) },
  ]);
  drawBallotCounts(doc, sitting);

  keepTogether(doc, talliesLines(sitting) + 1);
  drawSectionHeading(doc, `4. Kết quả kiểm phiếu${view.kind === 'C-SEL' ? ' (điểm trung bình theo thang 100 điểm)' : ''}`);
  drawTallies(doc, sitting);

  if (view.ballot === 'open') {
    drawSectionHeading(doc, '5. Phiếu của từng thành viên (bỏ phiếu công khai)');
    drawOpenBallots(doc, sitting);
  } else {
    drawParagraph(doc, 'Bỏ phiếu kín: biên bản chỉ ghi số phiếu, không ghi phiếu của từng thành viên.');
  }

  drawClosing(
    doc,
    (d) => {
      drawSectionHeading(d, `${view.ballot === 'open' ? 6 : 5}. Kết luận`);
      drawConclusion(d, sitting);
    },
    (d) =>
      drawSigners(
        d,
        { title: 'Trưởng ban kiểm phiếu', note: '(Ký, ghi rõ họ tên)', name: seatName(committee[0]!) },
        committee.slice(1).map((m) => ({ title: 'Thành viên ban kiểm phiếu', note: '(Ký, ghi rõ họ tên)', name: seatName(m) })),
      ),
  );
  drawStateHash(doc, stateHash, view.taskId);
  return pdfToBuffer(doc);
}

// ---------------------------------------------------------------------------------------------
// Council minutes (Biên bản họp hội đồng)
// ---------------------------------------------------------------------------------------------

function proceedingsVi(sitting: Sitting): string[] {
  const { view, committee, absent } = sitting;
  const committeeNames = committee.map((m) => m.name).join(', ');
  const absentReviews = absent.length
    ? ' Đọc nhận xét bằng văn bản của thành viên vắng mặt (thành viên vắng mặt không bỏ phiếu).'
    : '';
  const ballot = view.ballot === 'open' ? 'công khai' : 'kín';
  if (view.kind === 'C-ACC') {
    // C-ACC-1: the order of an acceptance meeting.
    return [
      'Chủ tịch hội đồng thông qua chương trình làm việc; thư ký hành chính báo cáo thành phần tham dự và việc khai báo xung đột lợi ích.',
      `Hội đồng bầu thư ký khoa học và ban kiểm phiếu (${committeeNames}).`,
      'Chủ nhiệm nhiệm vụ trình bày kết quả thực hiện nhiệm vụ, trả lời câu hỏi của thành viên hội đồng, sau đó rời phòng họp.',
      `Đọc báo cáo của tổ chuyên gia (nếu có) và nhận xét của các ủy viên phản biện.${absentReviews}`,
      'Hội đồng thảo luận.',
      `Thành viên hội đồng đánh giá, xếp loại bằng phiếu cá nhân (bỏ phiếu ${ballot}).`,
      'Ban kiểm phiếu tổng hợp kết quả đánh giá (biên bản kiểm phiếu kèm theo).',
      'Hội đồng thông qua kết luận.',
    ];
  }
  const discussion =
    view.kind === 'C-ID'
      ? 'Hội đồng thảo luận, đánh giá đề xuất về tính cấp thiết, tính mới, không trùng lặp, tính khả thi và khả năng ứng dụng; góp ý tên, mục tiêu, sản phẩm, phương pháp và mức độ ưu tiên.'
      : `Hội đồng thảo luận, đánh giá từng hồ sơ (${(view.dossiers ?? []).join(', ')}) theo các tiêu chí chấm điểm trên thang 100 điểm.`;
  const vote = view.kind === 'C-ID' ? `Thành viên hội đồng bỏ phiếu ${ballot}.` : `Thành viên hội đồng chấm điểm bằng phiếu cá nhân (bỏ phiếu ${ballot}).`;
  return [
    'Chủ tịch hội đồng chủ trì phiên họp và thông qua chương trình làm việc; thư ký hành chính báo cáo thành phần tham dự và việc khai báo xung đột lợi ích.',
    `Hội đồng bầu thư ký khoa học và ban kiểm phiếu (${committeeNames}).`,
    `Các ủy viên phản biện trình bày nhận xét.${absentReviews}`,
    discussion,
    vote,
    'Ban kiểm phiếu kiểm phiếu và công bố kết quả (biên bản kiểm phiếu kèm theo).',
    'Hội đồng thông qua kết luận.',
  ];
}

/** C-7 dissent: named from an open ballot; for a secret ballot, counts only. */
function dissentVi(sitting: Sitting): string[] {
  const { view, figures, result } = sitting;
  const none = 'Không có thành viên biểu quyết khác với kết luận của hội đồng.';
  if (view.ballot === 'secret') {
    const lines = [SECRET_DISSENT_VI];
    if (figures.kind === 'C-ID') {
      const against = result.outcome === 'RECOMMENDED' ? figures.no : figures.yes;
      lines.push(`Số phiếu khác với kết luận của hội đồng: ${against}${figures.notVoted ? `; số thành viên có mặt không bỏ phiếu: ${figures.notVoted}` : ''}.`);
    } else if (figures.kind === 'C-ACC') {
      const ratings = (['EXCELLENT', 'PASS', 'FAIL'] as const).filter((r) => r !== result.outcome && figures.counts[r] > 0);
      lines.push(
        ratings.length
          ? `Số phiếu xếp loại khác với kết luận của hội đồng: ${ratings.map((r) => `${RATING_LABELS_VI[r]} ${figures.counts[r]}`).join(', ')}.`
          : 'Số phiếu xếp loại khác với kết luận của hội đồng: 0.',
      );
    }
    return lines;
  }
  const comment = (b: CouncilBallot | undefined) => (b?.comment?.trim() ? `; ý kiến: “${b.comment.trim().replace(/[.;]+$/u, '')}”` : '');
  const lines: string[] = [];
  if (figures.kind === 'C-ID') {
    const recommended = result.outcome === 'RECOMMENDED';
    for (const m of sitting.voters) {
      const b = openBallotOf(sitting, m.memberId);
      if (b?.kind === 'C-ID' && b.yes !== recommended) lines.push(`${memberShort(m)}: ${b.yes ? 'đồng ý' : 'không đồng ý'}${comment(b)}.`);
    }
  } else if (figures.kind === 'C-ACC') {
    for (const m of sitting.voters) {
      const b = openBallotOf(sitting, m.memberId);
      const rating = accRating(b);
      if (rating && rating !== result.outcome) lines.push(`${memberShort(m)}: xếp loại ${RATING_LABELS_VI[rating]}${comment(b)}.`);
    }
  } else if (result.winner) {
    // C-SEL: a member who scored another dossier above the one selected.
    const winner = result.winner;
    for (const m of sitting.voters) {
      const own = ballotTotal(openBallotOf(sitting, m.memberId, winner));
      if (own === undefined) continue;
      const higher = figures.rows
        .map((r) => ({ d: r.dossierId, b: openBallotOf(sitting, m.memberId, r.dossierId) }))
        .filter(({ d, b }) => d !== winner && (ballotTotal(b) ?? -1) > own);
      if (higher.length) {
        const detail = higher.map(({ d, b }) => `${d}: ${formatPointsVi(ballotTotal(b)!)} điểm`).join('; ');
        lines.push(`${memberShort(m)}: chấm ${detail}, cao hơn hồ sơ được tuyển chọn ${winner}: ${formatPointsVi(own)} điểm${comment(higher[0]!.b)}.`);
      }
    }
  }
  return lines.length ? lines : [none];
}

/**
 * Renders the council minutes (domain.md §7: date, place, present/absent, quorum, proceedings,
 * tallies, conclusion, dissent, chair and secretary). Conflicted members are shown as not
 * sitting for the item (C-6); dissent is named only for an open ballot (C-4, C-7).
 * Throws a RangeError when the council is not decided or its recorded figures are malformed.
 */
export async function renderCouncilMinutes(s: CouncilDocumentSnapshot, stateHash: string): Promise<Buffer> {
  const sitting = readSitting(s);
  const { view } = sitting;
  const doc = startDocument(s, sitting, COUNCIL_MINUTES_TITLE);

  drawSectionHeading(doc, '1. Thời gian, địa điểm');
  drawFieldLines(doc, [
    { label: 'Thời gian', value: `ngày ${formatDateVi(view.meetingOn)}` },
    { label: 'Địa điểm', value: s.place },
  ]);

  drawSectionHeading(doc, '2. Nhiệm vụ');
  drawFieldLines(doc, [
    { label: 'Mã nhiệm vụ', value: view.taskId },
    { label: 'Tên nhiệm vụ', value: view.taskTitle },
  ]);

  drawSectionHeading(doc, '3. Thành phần hội đồng');
  // Issue 12: the academic title before the name and, where recorded, the workplace in a column of its own.
  const seats = seatColumns(view.members);
  drawTable(
    doc,
    seats.workplaces
      ? [
          { header: 'STT', width: 0.07, align: 'center' },
          { header: seats.nameHeader, width: 0.35 },
          { header: 'Cơ quan công tác', width: 0.22 },
          { header: 'Chức danh', width: 0.22 },
          { header: 'Tham dự', width: 0.14, align: 'center' },
        ]
      : [
          { header: 'STT', width: 0.08, align: 'center' },
          { header: seats.nameHeader, width: 0.35 },
          { header: 'Chức danh', width: 0.29 },
          { header: 'Tham dự', width: 0.28, align: 'center' },
        ],
    view.members.map((m, i) => [
      String(i + 1),
      seatName(m),
      ...(seats.workplaces ? [m.workplace?.trim() ?? ''] : []),
      COUNCIL_ROLE_LABELS_VI[m.role],
      m.conflicted ? 'Không tham gia' : m.present ? 'Có mặt' : 'Vắng mặt',
    ]),
  );
  if (sitting.conflicted.length) {
    drawParagraph(
      doc,
      `Thành viên có xung đột lợi ích, không tham gia nội dung này và không tính vào tổng số thành viên: ${sitting.conflicted.map(memberLabel).join(', ')}.`,
    );
  }
  if (sitting.absent.length) {
    drawParagraph(doc, `Thành viên vắng mặt: ${sitting.absent.map(memberLabel).join(', ')}.`);
  }

  drawSectionHeading(doc, '4. Điều kiện họp');
  const q = view.quorum ?? { ok: true, eligible: view.members.length - sitting.conflicted.length, present: sitting.voters.length, missing: [] };
  const presiding = sitting.presiding;
  const missingVi = q.missing.map((k) => (k === 'chair' ? 'chủ tịch hội đồng' : k === 'reviewer' ? 'ủy viên phản biện' : k));
  drawParagraph(
    doc,
    [
      `Có mặt ${q.present}/${q.eligible} thành viên${sitting.conflicted.length ? ` (không tính ${sitting.conflicted.length} thành viên có xung đột lợi ích)` : ''}.`,
      presiding
        ? presiding.byAuthorisation
          ? `Phó Chủ tịch ${seatName(presiding.member)} chủ trì theo ủy quyền của Chủ tịch hội đồng.`
          : `Chủ tịch hội đồng ${seatName(presiding.member)} chủ trì.`
        : '',
      missingVi.length ? `Vắng: ${missingVi.join(', ')}.` : '',
      q.ok ? 'Hội đồng đủ điều kiện họp.' : 'Hội đồng không đủ điều kiện họp.',
    ]
      .filter(Boolean)
      .join(' '),
  );
  // C-3: absent members' written reviews are read at the meeting; they are not votes.
  if (view.writtenReviews?.length) {
    drawParagraph(doc, `Nhận xét bằng văn bản của thành viên vắng mặt (đã đọc tại phiên họp, không tính là phiếu):`);
    for (const r of view.writtenReviews) {
      const seat = view.members.find((m) => m.memberId === r.memberId);
      drawParagraph(doc, `- ${seat ? seatName(seat) : r.name}: ${r.review}`, { indent: 28 });
    }
  }
  if (view.postponements.length) {
    drawParagraph(doc, `Phiên họp đã hoãn ${view.postponements.length} lần:`);
    for (const p of view.postponements) drawParagraph(doc, `- Ngày ${formatDateVi(p.at)}: ${p.reason}`, { indent: 28 });
  }

  drawSectionHeading(doc, '5. Diễn biến phiên họp');
  drawNumberedList(doc, proceedingsVi(sitting));

  keepTogether(doc, talliesLines(sitting) + 3);
  drawSectionHeading(doc, '6. Kết quả bỏ phiếu');
  drawParagraph(doc, `${BALLOT_LABELS_VI[view.ballot]}. Số phiếu phát ra: ${sitting.ballots.issued}; thu về: ${sitting.ballots.received}; hợp lệ: ${sitting.ballots.valid}.`);
  drawTallies(doc, sitting);

  drawSectionHeading(doc, '7. Kết luận của hội đồng');
  drawConclusion(doc, sitting);

  const dissent: Draw = (d) => {
    drawSectionHeading(d, '8. Ý kiến khác');
    for (const line of dissentVi(sitting)) drawParagraph(d, line);
  };

  const secretary = sitting.voters.find((m) => m.role === 'scientific_secretary') ?? view.members.find((m) => m.role === 'scientific_secretary');
  const chairSigner: DocumentSigner =
    presiding?.byAuthorisation === true
      ? { authority: 'KT. CHỦ TỊCH', title: 'Phó Chủ tịch hội đồng', note: '(Ký, ghi rõ họ tên)', name: seatName(presiding.member) }
      : {
          title: 'Chủ tịch hội đồng',
          note: '(Ký, ghi rõ họ tên)',
          name: seatName(presiding?.member ?? view.members.find((m) => m.role === 'chair') ?? { name: '' }),
        };
  drawClosing(doc, dissent, (d) => drawSigners(d, chairSigner, [{ title: 'Thư ký khoa học', note: '(Ký, ghi rõ họ tên)', name: secretary ? seatName(secretary) : '' }]));
  drawStateHash(doc, stateHash, view.taskId);
  return pdfToBuffer(doc);
}
