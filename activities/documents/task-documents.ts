/**
 * The task's official documents (domain.md §7) other than the proposal form and the council
 * records: decisions, notices, records, the contract and its annexes, the registration
 * certificate and the liquidation record. Each is rendered from ONE recorded state of the task
 * (`TaskDocumentSnapshot`: the state as written to the read model, plus the item it is about),
 * in the Vietnamese administrative layout of `pdf.ts`, and prints the snapshot's hash on every page.
 *
 * Layouts (Decree 30/2020/NĐ-CP):
 * - a decision (quyết định): authority line, legal bases in italics, "QUYẾT ĐỊNH:", articles,
 *   then the signer on the right and the distribution list ("Nơi nhận") on the left;
 * - a notice (thông báo) and a certificate: body, signer and distribution;
 * - a record (biên bản), the contract and its annexes: body, the signers of each party side by
 *   side, then the distribution.
 *
 * Choices the recorded state does not settle:
 * - Signer of the Department's decisions and notices: the manager who gave the command, as
 *   "GIÁM ĐỐC" (domain.md has the Director decide; the deployment has no separate signer record).
 * - The approver of the list (L-3) and of the task (L-10) is the Director under delegation [P]:
 *   the Department issues both.
 * - Amounts per item and year are not recorded by the budget appraisal command: the record gives
 *   totals per source and refers to the estimate annexed to the revised proposal.
 */
import { refundOutstanding, writtenOffTotal } from '../../workflows/rules/preconditions';
import type { CouncilSeat, TaskState } from '../../workflows/definitions';
import type { TaskDocumentKind, TaskDocumentSnapshot } from '../../workflows/task-documents';
import { ruleSetFor } from '../../workflows/rules/ruleset';
import { POSITION_LABELS, type SignatureRecord } from '../../workflows/rules/authority';
import {
  ADJUSTMENT_LABELS,
  ASSIGNMENT_LABELS,
  COUNCIL_KIND_LABELS,
  FUNDING_MODE_LABELS,
  INSPECTION_CONCLUSION_LABELS,
  TERMINATION_CAUSE_LABELS,
  type Names,
} from '../../workflows/labels';
import { plainText } from './plain-text';
import {
  COUNCIL_KIND_LABELS_VI,
  COUNCIL_ROLE_LABELS_VI,
  RATING_LABELS_VI,
  criterionVi,
  drawNumberedList,
  drawSigners,
  drawTable,
  formatShareVi,
  formatTimeAndDateVi,
  issuingBodyOf,
  seatColumns,
  seatName,
  type TableColumn,
} from './council-documents';
import { formatDateVi, formatVnd } from './format';
import {
  contentBox,
  createPdfDocument,
  drawAdministrativeHeader,
  drawAmountRows,
  drawClosing,
  drawDistribution,
  drawBulletList,
  drawFieldLines,
  drawParagraph,
  drawSectionHeading,
  drawSignatureAndDistribution,
  drawStateHash,
  DRAFT_WATERMARK,
  ensureSpace,
  nfc,
  PDF_FONT,
  PDF_TEXT_SIZE,
  pdfToBuffer,
  TASK_FORM_LABELS_VI,
  TASK_LEVEL_LABELS_VI,
  useFont,
  type AmountRow,
  type DocumentSigner,
  type PdfDoc,
} from './pdf';

// ---------------------------------------------------------------------------------------------
// Numbers and symbols (số, ký hiệu)
// ---------------------------------------------------------------------------------------------

/** Type of each document in its number (Decree 30 appendix III abbreviations); null: the number is given elsewhere. */
export const DOCUMENT_TYPE_SYMBOL: Record<TaskDocumentKind, string | null> = {
  council_formation_decision: 'QĐ',
  order_list_approval: 'QĐ',
  call_notice: 'TB',
  dossier_opening_record: 'BB',
  budget_appraisal_record: 'BB',
  task_approval_decision: 'QĐ',
  contract: 'HĐ',
  contract_annex: 'PLHĐ',
  inspection_record: 'BB',
  adjustment_decision: 'QĐ',
  suspension_notice: 'TB',
  termination_decision: 'QĐ',
  acceptance_minutes: 'BB',
  recognition_decision: 'QĐ',
  registration_certificate: null,
  liquidation_record: 'BB',
};

/**
 * The issuing body's abbreviation: "Sở Khoa học và Công nghệ tỉnh Tây Ninh" → "SKHCN" (initials
 * of the Department's name without the province, "và" left out).
 */
export function departmentSymbol(departmentName: string): string {
  const { issuingBody } = issuingBodyOf(departmentName);
  const initials = issuingBody
    .normalize('NFC')
    .split(/\s+/)
    .filter((w) => w && w.toLowerCase() !== 'và' && w !== '&')
    .map((w) => w[0]!.toUpperCase())
    .join('');
  return initials.replace(/&/g, '') || 'SKHCN';
}

/** The counter a number is drawn from (per Department, year and type) and how it is written. */
export function numberSeries(kind: TaskDocumentKind, snapshot: Pick<TaskDocumentSnapshot, 'departmentName' | 'issuedAt' | 'state'>): { counter: string; format: (n: number) => string } | undefined {
  const type = DOCUMENT_TYPE_SYMBOL[kind];
  if (!type) return undefined;
  const year = formatDateVi(snapshot.issuedAt).slice(6);
  const symbol = `${type}-${departmentSymbol(snapshot.departmentName)}`;
  const pad = (n: number) => String(n).padStart(2, '0');
  // Contracts and their annexes carry the year in the number ("05/2026/HĐ-SKHCN").
  const withYear = type === 'HĐ' || type === 'PLHĐ';
  return {
    counter: `${snapshot.state.departmentId}/${year}/${symbol}`,
    format: (n) => (withYear ? `${pad(n)}/${year}/${symbol}` : `${pad(n)}/${symbol}`),
  };
}

// ---------------------------------------------------------------------------------------------
// Labels
// ---------------------------------------------------------------------------------------------

// From the shared table of names (workflows/labels.ts), in Vietnamese.
const vi = <K extends string>(table: Record<K, Names>) => Object.fromEntries(Object.entries<Names>(table).map(([k, v]) => [k, v.vi])) as Record<K, string>;
const ASSIGNMENT_VI = vi(ASSIGNMENT_LABELS);
const FUNDING_MODE_VI = vi(FUNDING_MODE_LABELS);
const INSPECTION_CONCLUSION_VI = vi(INSPECTION_CONCLUSION_LABELS);
const ADJUSTMENT_VI: Record<string, string> = vi(ADJUSTMENT_LABELS);
const TERMINATION_CAUSE_VI = vi(TERMINATION_CAUSE_LABELS);

export const TASK_DOCUMENT_TITLES: Record<TaskDocumentKind, string> = {
  council_formation_decision: 'Quyết định thành lập hội đồng',
  order_list_approval: 'Quyết định phê duyệt danh mục nhiệm vụ đặt hàng',
  call_notice: 'Thông báo tuyển chọn',
  dossier_opening_record: 'Biên bản mở hồ sơ',
  budget_appraisal_record: 'Biên bản thẩm định kinh phí',
  task_approval_decision: 'Quyết định phê duyệt tổ chức chủ trì, chủ nhiệm và kinh phí',
  contract: 'Hợp đồng thực hiện nhiệm vụ',
  contract_annex: 'Phụ lục hợp đồng',
  inspection_record: 'Biên bản kiểm tra',
  adjustment_decision: 'Quyết định điều chỉnh',
  suspension_notice: 'Thông báo tạm dừng',
  termination_decision: 'Quyết định chấm dứt hợp đồng',
  acceptance_minutes: 'Biên bản đánh giá nghiệm thu',
  recognition_decision: 'Quyết định công nhận kết quả',
  registration_certificate: 'Giấy chứng nhận đăng ký kết quả',
  liquidation_record: 'Biên bản thanh lý hợp đồng',
};

/** The title listed with the task's documents, e.g. "Quyết định thành lập hội đồng C-ACC". */
export function taskDocumentTitle(s: TaskDocumentSnapshot): string {
  const base = TASK_DOCUMENT_TITLES[s.kind];
  const sub = s.subject;
  if (sub?.council) return `Quyết định thành lập ${COUNCIL_KIND_LABELS[sub.council.kind].vi}`;
  if (sub?.adjustment) {
    const kind = s.state.adjustments[sub.adjustment.index]?.kind;
    return kind && ADJUSTMENT_LABELS[kind] ? `${base} (${ADJUSTMENT_LABELS[kind].vi})` : base;
  }
  if (sub?.certificate) return `${base} số ${sub.certificate.number}`;
  if (sub?.round) return `${base} (đợt ${sub.round})`;
  if (sub?.inspection) return `${base} lần ${sub.inspection.index + 1}`;
  return base;
}

// ---------------------------------------------------------------------------------------------
// Composition: what a document says, as blocks; drawing is shared
// ---------------------------------------------------------------------------------------------

type Block =
  | { t: 'heading'; text: string }
  | { t: 'para'; text: string; indent?: number }
  | { t: 'basis'; text: string }
  | { t: 'centre'; text: string }
  | { t: 'fields'; fields: { label: string; value: string }[] }
  | { t: 'bullets'; items: string[] }
  | { t: 'numbered'; items: string[] }
  | { t: 'amounts'; rows: AmountRow[] }
  | { t: 'table'; columns: TableColumn[]; rows: string[][] }
  | { t: 'article'; label: string; text: string };

interface Composition {
  title: string;
  subtitle?: string;
  /** "Kính gửi: …" under the title (notices). */
  addressee?: string;
  blocks: Block[];
  /** A decision or notice: one signer, distribution on the left. A record: several signers, distribution below. */
  close: { signer: DocumentSigner; distribution: string[] } | { signers: (DocumentSigner | undefined)[]; distribution: string[] };
  /** Printed instead of a counter number (certificates). */
  number?: string;
}

const h = (text: string): Block => ({ t: 'heading', text });
const p = (text: string, indent?: number): Block => ({ t: 'para', text, ...(indent !== undefined ? { indent } : {}) });
const art = (n: number, text: string): Block => ({ t: 'article', label: `Điều ${n}.`, text });
const fields = (f: { label: string; value: string }[]): Block => ({ t: 'fields', fields: f });

/** Decree 30: articles and legal bases open with a first-line indent of 1 cm and wrap to the margin. */
const ARTICLE_INDENT = 10 * (72 / 25.4);

function drawArticle(doc: PdfDoc, label: string, text: string): void {
  const { left, width } = contentBox(doc);
  useFont(doc, PDF_FONT.regular, PDF_TEXT_SIZE.body);
  ensureSpace(doc, doc.currentLineHeight(true) * 2);
  useFont(doc, PDF_FONT.bold, PDF_TEXT_SIZE.body);
  doc.text(nfc(`${label} `), left, doc.y, { width, indent: ARTICLE_INDENT, continued: true, align: 'justify', lineGap: 1.5 });
  useFont(doc, PDF_FONT.regular, PDF_TEXT_SIZE.body);
  doc.text(nfc(text), { align: 'justify', lineGap: 1.5, paragraphGap: 4 });
  doc.x = left;
}

function drawBasis(doc: PdfDoc, text: string): void {
  const { left, width } = contentBox(doc);
  useFont(doc, PDF_FONT.italic, PDF_TEXT_SIZE.body);
  ensureSpace(doc, doc.currentLineHeight(true));
  doc.text(nfc(text), left, doc.y, { width, indent: ARTICLE_INDENT, align: 'justify', lineGap: 1.5, paragraphGap: 2 });
  doc.x = left;
}

function drawCentre(doc: PdfDoc, text: string): void {
  const { left, width } = contentBox(doc);
  useFont(doc, PDF_FONT.bold, PDF_TEXT_SIZE.body);
  ensureSpace(doc, doc.currentLineHeight(true) * 2);
  doc.y += 4;
  doc.text(nfc(text), left, doc.y, { width, align: 'center', lineGap: 1.5 });
  doc.y += 6;
  doc.x = left;
}

/** A heading or a line introducing what follows ("Sản phẩm:") stays with the block after it. */
function leadsInto(b: Block): boolean {
  return b.t === 'heading' || (b.t === 'para' && b.text.trim().endsWith(':')) || (b.t === 'article' && b.text.trim().endsWith(':'));
}

function drawBlocks(doc: PdfDoc, blocks: Block[]): void {
  for (const b of blocks) {
    switch (b.t) {
      case 'heading':
        drawSectionHeading(doc, b.text);
        break;
      case 'para':
        drawParagraph(doc, b.text, b.indent !== undefined ? { indent: b.indent } : {});
        break;
      case 'basis':
        drawBasis(doc, b.text);
        break;
      case 'centre':
        drawCentre(doc, b.text);
        break;
      case 'fields':
        drawFieldLines(doc, b.fields);
        break;
      case 'bullets':
        drawBulletList(doc, b.items);
        break;
      case 'numbered':
        drawNumberedList(doc, b.items);
        break;
      case 'amounts':
        drawAmountRows(doc, b.rows);
        break;
      case 'table':
        drawTable(doc, b.columns, b.rows);
        break;
      case 'article':
        drawArticle(doc, b.label, b.text);
        break;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Facts read from the recorded state
// ---------------------------------------------------------------------------------------------

function requireHost(s: TaskState): NonNullable<TaskState['host']> {
  if (!s.host) throw new RangeError(`task document: task ${s.taskId} has no host organisation yet`);
  return s.host;
}

const money = (n: number) => formatVnd(n);
const date = (iso: string | undefined) => (iso ? formatDateVi(iso) : '—');

function legalBases(state: TaskState): string[] {
  return state.ruleSet.regime === 'STI_2025'
    ? ['Căn cứ Luật Khoa học, công nghệ và đổi mới sáng tạo số 93/2025/QH15;', 'Căn cứ Nghị định số 267/2025/NĐ-CP của Chính phủ quy định chi tiết một số điều của Luật Khoa học, công nghệ và đổi mới sáng tạo;']
    : ['Căn cứ Luật Khoa học và Công nghệ số 29/2013/QH13;', 'Căn cứ Nghị định số 08/2014/NĐ-CP của Chính phủ quy định chi tiết và hướng dẫn thi hành một số điều của Luật Khoa học và Công nghệ;'];
}

/** "GIÁM ĐỐC SỞ KHOA HỌC VÀ CÔNG NGHỆ TỈNH TÂY NINH": who decides, above the legal bases. */
const authorityLine = (departmentName: string) => `GIÁM ĐỐC ${departmentName.normalize('NFC').toUpperCase()}`;

function director(s: TaskDocumentSnapshot): DocumentSigner {
  return { title: 'GIÁM ĐỐC', name: s.issuedBy.name };
}

// Issue 12: who signs, once documents go draft → signature → number → issue. A document rendered
// without `issuance` (rule-sets that issue at once, documents kept from before) reads as it did.

/** What the stamp says of a signer's function: their position, else the block's title. */
function signerFunction(sig: SignatureRecord): string {
  if (sig.position) return POSITION_LABELS[sig.position].vi;
  const t = sig.label.title.normalize('NFC').toLowerCase();
  return t.charAt(0).toUpperCase() + t.slice(1);
}

/** The visible signature: who signed, in what function, when (Vietnam time). */
export function signatureStamp(sig: SignatureRecord): string[] {
  return [
    sig.mode === 'certificate' ? `Ký số bởi: ${sig.name}` : `Ký trên KHCN Flow: ${sig.name}`,
    `Chức vụ: ${signerFunction(sig)}`,
    `Thời gian: ${formatTimeAndDateVi(sig.at)}`,
  ];
}

/**
 * The block of a signature slot: its signature (real position, name and the visible stamp) or, in a
 * draft, the slot's title over an empty name; undefined when the document has no such slot.
 * `head` overrides what is printed above the name (e.g. the Department's full name).
 */
function slotSigner(s: TaskDocumentSnapshot, slotId: string, head?: { authority?: string; title: string }): DocumentSigner | undefined {
  const iss = s.issuance;
  const slot = iss?.slots.find((x) => x.slotId === slotId);
  if (!iss || !slot) return undefined;
  const sig = iss.signatures.find((x) => x.slotId === slotId);
  const label = head ?? sig?.label ?? slot.label;
  return {
    ...(label.authority ? { authority: label.authority } : {}),
    title: label.title,
    name: sig?.name ?? '',
    ...(sig ? { stamp: signatureStamp(sig) } : {}),
  };
}

/** The Department's signer: from the issuance, else as documents issued at once print it. */
const deptSigner = (s: TaskDocumentSnapshot, legacy: DocumentSigner, head?: { authority?: string; title: string }): DocumentSigner => slotSigner(s, 'department', head) ?? legacy;

/** Party A's representative as the body names them ("Lê Minh Quang, Giám đốc"). */
function partyARepresentative(s: TaskDocumentSnapshot): string {
  if (!s.issuance) return `${s.state.contract?.departmentSignedBy?.name ?? s.issuedBy.name}, Giám đốc`;
  const sig = s.issuance.signatures.find((x) => x.slotId === 'department');
  if (!sig) return 'Giám đốc Sở hoặc Phó Giám đốc được phân công';
  return sig.position === 'deputy_director' ? `${sig.name}, Phó Giám đốc (ký thay Giám đốc)` : `${sig.name}, ${signerFunction(sig)}`;
}

/** Party B's representative: who signed for the host (the contract's signature, or this document's). */
function partyBRepresentative(s: TaskDocumentSnapshot): string | undefined {
  return s.issuance?.signatures.find((x) => x.slotId === 'party_b')?.name ?? s.state.contract?.hostSignedBy?.name;
}

/** L-3, L-10: the provincial People's Committee's decision the Department recorded, cited by its number and date. */
function approverDecisionBasis(state: TaskState, command: 'approveOrderList' | 'approveTask'): string | undefined {
  const d = [...(state.approverDecisions ?? [])].reverse().find((x) => x.command === command)?.decision;
  return d ? `Quyết định số ${d.number} ngày ${date(d.date)} của Ủy ban nhân dân tỉnh` : undefined;
}

function docNumber(state: TaskState, kind: TaskDocumentKind): string | undefined {
  return [...state.documents].reverse().find((d) => d.kind === kind)?.number;
}
function docDate(state: TaskState, kind: TaskDocumentKind): string | undefined {
  return [...state.documents].reverse().find((d) => d.kind === kind)?.createdAt;
}
const contractRef = (state: TaskState) => {
  const n = docNumber(state, 'contract');
  const on = state.contract?.startOn;
  return `Hợp đồng thực hiện nhiệm vụ${n ? ` số ${n}` : ''}${on ? ` ngày ${date(on)}` : ''}`;
};

function taskFields(state: TaskState): { label: string; value: string }[] {
  return [
    { label: 'Tên nhiệm vụ', value: state.proposal.title },
    { label: 'Mã nhiệm vụ', value: state.taskId },
    { label: 'Cấp quản lý', value: TASK_LEVEL_LABELS_VI[state.proposal.level] },
    { label: 'Hình thức', value: TASK_FORM_LABELS_VI[state.proposal.form] },
  ];
}

function hostFields(state: TaskState): { label: string; value: string }[] {
  const host = requireHost(state);
  return [
    { label: 'Tổ chức chủ trì', value: host.orgName },
    { label: 'Chủ nhiệm nhiệm vụ', value: `${host.pi.name} (${host.pi.email})` },
  ];
}

const products = (state: TaskState) => state.approval?.products ?? state.proposal.expectedProducts;

/** §8: what is still owed, and by when (the deadlines a document hands on). */
function openObligationsTable(state: TaskState): Block {
  const open = state.obligations.filter((o) => o.status === 'OPEN' || o.status === 'OVERDUE');
  return {
    t: 'table',
    columns: [
      { header: 'STT', width: 0.08, align: 'center' },
      { header: 'Nghĩa vụ', width: 0.44 },
      { header: 'Người thực hiện', width: 0.3 },
      { header: 'Hạn', width: 0.18, align: 'center' },
    ],
    rows: open.length
      ? open.map((o, i) => [String(i + 1), `${plainText(o.deliverable.vi)}${o.status === 'OVERDUE' ? ' (quá hạn)' : ''}`, o.assigneeName, date(o.dueOn)])
      : [['—', 'Không có nghĩa vụ đang mở', '—', '—']],
  };
}

function partyBlocks(s: TaskDocumentSnapshot): Block[] {
  const { state } = s;
  const host = requireHost(state);
  return [
    h('BÊN ĐẶT HÀNG (BÊN A):'),
    fields([
      { label: 'Cơ quan', value: s.departmentName },
      { label: 'Đại diện', value: partyARepresentative(s) },
    ]),
    h('BÊN NHẬN ĐẶT HÀNG (BÊN B):'),
    fields([
      { label: 'Tổ chức chủ trì', value: host.orgName },
      { label: 'Đại diện', value: `${partyBRepresentative(s) ?? host.pi.name}, Thủ trưởng tổ chức chủ trì` },
      { label: 'Chủ nhiệm nhiệm vụ', value: `${host.pi.name} (${host.pi.email})` },
    ]),
  ];
}

function partySigners(s: TaskDocumentSnapshot, sideA: string): (DocumentSigner | undefined)[] {
  const { state } = s;
  const host = requireHost(state);
  // Party A on the left, party B on the right with its principal investigator under it.
  if (s.issuance) return [slotSigner(s, 'party_b'), slotSigner(s, 'department'), undefined, { title: 'CHỦ NHIỆM NHIỆM VỤ', name: host.pi.name }];
  return [
    { authority: 'ĐẠI DIỆN BÊN B', title: 'THỦ TRƯỞNG TỔ CHỨC CHỦ TRÌ', name: state.contract?.hostSignedBy?.name ?? '' },
    { authority: 'ĐẠI DIỆN BÊN A', title: 'GIÁM ĐỐC', name: sideA },
    undefined,
    { title: 'CHỦ NHIỆM NHIỆM VỤ', name: host.pi.name },
  ];
}

const TABLE_COLUMNS_CHANGES: TableColumn[] = [
  { header: 'STT', width: 0.08, align: 'center' },
  { header: 'Điều khoản', width: 0.26 },
  { header: 'Trước điều chỉnh', width: 0.33 },
  { header: 'Sau điều chỉnh', width: 0.33 },
];

// ---------------------------------------------------------------------------------------------
// One composition per kind
// ---------------------------------------------------------------------------------------------

function decisionOpening(s: TaskDocumentSnapshot, extra: string[]): Block[] {
  return [
    { t: 'centre', text: authorityLine(s.departmentName) },
    ...[...legalBases(s.state), ...extra].map((text): Block => ({ t: 'basis', text })),
    { t: 'basis', text: 'Theo đề nghị của bộ phận quản lý khoa học.' },
    { t: 'centre', text: 'QUYẾT ĐỊNH:' },
  ];
}

function councilFormation(s: TaskDocumentSnapshot): Composition {
  const c = s.subject?.council;
  if (!c) throw new RangeError('council_formation_decision: the snapshot names no council');
  const kindLabel = COUNCIL_KIND_LABELS_VI[c.kind];
  const conflicts = (c.conflicts ?? []).map((x) => {
    const m = c.members.find((seat) => seat.memberId === x.memberId);
    return `${m ? seatName(m) : x.memberId} (${x.reason})`;
  });
  const secretary = s.state.accountableOfficer?.name ?? s.issuedBy.name;
  // Issue 12: "PGS.TS. Nguyễn Văn An" with the workplace in a column of its own (the usual list of a
  // formation decision); seats recorded without them (sittings formed before) print as they did.
  const seats = seatColumns(c.members);
  const columns: TableColumn[] = seats.workplaces
    ? [{ header: 'STT', width: 0.07, align: 'center' }, { header: seats.nameHeader, width: 0.36 }, { header: 'Cơ quan công tác', width: 0.35 }, { header: 'Chức danh trong hội đồng', width: 0.22 }]
    : [{ header: 'STT', width: 0.1, align: 'center' }, { header: seats.nameHeader, width: 0.5 }, { header: 'Chức danh trong hội đồng', width: 0.4 }];
  const seatRow = (m: CouncilSeat, i: number) => [String(i + 1), seatName(m), ...(seats.workplaces ? [m.workplace?.trim() ?? ''] : []), COUNCIL_ROLE_LABELS_VI[m.role]];
  const blocks: Block[] = [
    ...decisionOpening(s, [c.kind === 'C-ACC' ? 'Căn cứ hồ sơ đánh giá nghiệm thu đã được xác nhận đầy đủ;' : c.kind === 'C-SEL' ? 'Căn cứ kết quả mở hồ sơ đăng ký tuyển chọn, giao trực tiếp;' : 'Căn cứ đề xuất đặt hàng nhiệm vụ;']),
    art(1, `Thành lập ${kindLabel} nhiệm vụ “${s.state.proposal.title}” (mã ${s.state.taskId}), gồm ${c.members.length} thành viên có tên sau:`),
    { t: 'table', columns, rows: c.members.map(seatRow) },
    p(`Thư ký hành chính (cán bộ Sở, không bỏ phiếu): ${secretary}.`),
  ];
  if (c.dossiers?.length) blocks.push(p(`Hồ sơ được đánh giá: ${c.dossiers.join(', ')}.`));
  if (c.criteria?.length) {
    blocks.push(p('Tiêu chí chấm điểm (thang 100 điểm):'));
    blocks.push({ t: 'bullets', items: c.criteria.map((k) => `${criterionVi(k.id)}: tối đa ${k.max} điểm${k.products ? ' (tiêu chí sản phẩm, nội dung)' : ''}`) });
  }
  blocks.push(
    art(2, `Hội đồng họp ngày ${date(c.meetingOn)}; hình thức bỏ phiếu: ${c.ballot === 'secret' ? 'bỏ phiếu kín' : 'bỏ phiếu công khai'}; hạn bỏ phiếu: ${formatTimeAndDateVi(c.votingDeadline)}. Thành viên khai báo xung đột lợi ích trước khi xem hồ sơ và bỏ phiếu; thành viên vắng mặt gửi nhận xét bằng văn bản, không bỏ phiếu.${conflicts.length ? ` Thành viên không tham gia nội dung này do xung đột lợi ích: ${conflicts.join('; ')}.` : ''} Hội đồng tự giải thể sau khi hoàn thành nhiệm vụ.`),
    art(3, 'Quyết định có hiệu lực kể từ ngày ký. Chánh Văn phòng Sở, bộ phận quản lý khoa học và các thành viên có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này.'),
  );
  return {
    title: 'QUYẾT ĐỊNH',
    subtitle: `Về việc thành lập ${kindLabel} nhiệm vụ khoa học và công nghệ`,
    blocks,
    close: { signer: deptSigner(s, director(s)), distribution: ['Như Điều 3;', 'Các thành viên hội đồng;', 'Lưu: VT, QLKH.'] },
  };
}

function identificationFigures(state: TaskState): string {
  const c = [...state.councils].reverse().find((x) => x.council === 'C-ID' && x.outcome === 'RECOMMENDED');
  if (!c) return '';
  const t = c.tally as { yes?: number; present?: number };
  return typeof t.yes === 'number' && typeof t.present === 'number' ? ` (${t.yes}/${t.present} thành viên có mặt đồng ý)` : '';
}

function orderListApproval(s: TaskDocumentSnapshot): Composition {
  const { state } = s;
  const c = [...state.councils].reverse().find((x) => x.council === 'C-ID' && x.outcome === 'RECOMMENDED');
  const budget = state.proposal.budget;
  return {
    title: 'QUYẾT ĐỊNH',
    subtitle: 'Về việc phê duyệt danh mục nhiệm vụ khoa học và công nghệ đặt hàng',
    blocks: [
      ...decisionOpening(s, [`Căn cứ kết luận của Hội đồng tư vấn xác định nhiệm vụ${c ? ` ngày ${date(c.decidedAt)}` : ''} kiến nghị đặt hàng${identificationFigures(state)};`]),
      art(1, 'Phê duyệt danh mục nhiệm vụ khoa học và công nghệ đặt hàng gồm 01 nhiệm vụ sau:'),
      fields([...taskFields(state), { label: 'Mục tiêu', value: state.proposal.objectives }]),
      p('Sản phẩm dự kiến:'),
      { t: 'bullets', items: state.proposal.expectedProducts },
      fields([
        { label: 'Phương thức tổ chức thực hiện', value: 'tuyển chọn hoặc giao trực tiếp tổ chức, cá nhân chủ trì' },
        { label: 'Thời gian thực hiện dự kiến', value: `${state.proposal.durationMonths} tháng` },
        { label: 'Kinh phí dự kiến', value: `${money(budget.stateBudget + budget.otherSources)} (ngân sách nhà nước ${money(budget.stateBudget)}; nguồn khác ${money(budget.otherSources)})` },
        { label: 'Tổ chức, cá nhân đề xuất', value: `${state.proposal.proposer.organisation} (${state.proposal.proposer.name})` },
      ]),
      art(2, 'Giao bộ phận quản lý khoa học tổ chức tuyển chọn hoặc giao trực tiếp tổ chức, cá nhân chủ trì thực hiện nhiệm vụ tại Điều 1 theo quy định.'),
      art(3, 'Quyết định có hiệu lực kể từ ngày ký. Chánh Văn phòng Sở, bộ phận quản lý khoa học và các tổ chức, cá nhân có liên quan chịu trách nhiệm thi hành Quyết định này.'),
    ],
    close: { signer: deptSigner(s, director(s)), distribution: ['Như Điều 3;', `${state.proposal.proposer.organisation} (đơn vị đề xuất);`, 'Lưu: VT, QLKH.'] },
  };
}

function callNotice(s: TaskDocumentSnapshot): Composition {
  const { state } = s;
  const call = state.call;
  if (!call) throw new RangeError('call_notice: the task has no call');
  const rs = ruleSetFor(state.ruleSet);
  const budget = state.proposal.budget;
  return {
    title: 'THÔNG BÁO',
    subtitle: 'Tuyển chọn tổ chức, cá nhân chủ trì thực hiện nhiệm vụ khoa học và công nghệ',
    blocks: [
      p(`Căn cứ ${approverDecisionBasis(state, 'approveOrderList') ? `${approverDecisionBasis(state, 'approveOrderList')} phê duyệt danh mục nhiệm vụ khoa học và công nghệ đặt hàng` : `Quyết định phê duyệt danh mục nhiệm vụ khoa học và công nghệ đặt hàng${docNumber(state, 'order_list_approval') ? ` số ${docNumber(state, 'order_list_approval')}` : ''}`}, ${s.departmentName} thông báo tuyển chọn (đợt ${call.round}) tổ chức, cá nhân chủ trì thực hiện nhiệm vụ sau:`),
      h('1. Nhiệm vụ'),
      fields([...taskFields(state), { label: 'Mục tiêu', value: state.proposal.objectives }, { label: 'Thời gian thực hiện dự kiến', value: `${state.proposal.durationMonths} tháng` }, { label: 'Kinh phí ngân sách nhà nước dự kiến', value: money(budget.stateBudget) }]),
      p('Sản phẩm yêu cầu:'),
      { t: 'bullets', items: state.proposal.expectedProducts },
      h('2. Điều kiện tham gia'),
      { t: 'numbered', items: [
        'Tổ chức khoa học và công nghệ có tư cách pháp nhân, chức năng hoạt động phù hợp với lĩnh vực của nhiệm vụ.',
        'Chủ nhiệm có trình độ đại học trở lên, chuyên môn phù hợp và thời gian để chủ trì thực hiện nhiệm vụ.',
        'Tổ chức và chủ nhiệm không đang trong thời gian bị cấm tham gia nhiệm vụ khoa học và công nghệ cấp tỉnh.',
      ] },
      h('3. Hồ sơ đăng ký'),
      { t: 'numbered', items: [
        'Đơn đăng ký chủ trì thực hiện nhiệm vụ.',
        'Thuyết minh nhiệm vụ, kèm dự toán kinh phí.',
        'Tóm tắt hoạt động khoa học và công nghệ của tổ chức đăng ký chủ trì.',
        'Lý lịch khoa học của chủ nhiệm và các thành viên chính.',
        'Văn bản xác nhận phối hợp của tổ chức tham gia (nếu có).',
      ] },
      h('4. Thời hạn và địa điểm nhận hồ sơ'),
      p(`Từ ngày ${date(call.opensOn)} đến hết ngày ${date(call.closesOn)} (không ít hơn ${rs.callWindowMinDays} ngày), nộp trực tuyến qua hệ thống KHCN Flow của ${s.departmentName}. Hồ sơ được mở trong vòng ${rs.dossierOpeningWorkingDays} ngày làm việc sau khi hết hạn nhận hồ sơ, với sự tham dự của đại diện các tổ chức đăng ký.`),
    ],
    close: { signer: deptSigner(s, director(s)), distribution: ['Cổng thông tin điện tử của Sở;', 'Các tổ chức, cá nhân quan tâm;', 'Lưu: VT, QLKH.'] },
  };
}

function dossierOpening(s: TaskDocumentSnapshot): Composition {
  const { state } = s;
  const call = state.call;
  if (!call) throw new RangeError('dossier_opening_record: the task has no call');
  const valid = call.dossiers.filter((d) => d.valid);
  const invalid = call.dossiers.filter((d) => !d.valid);
  return {
    title: 'BIÊN BẢN MỞ HỒ SƠ',
    subtitle: 'Đăng ký tuyển chọn tổ chức, cá nhân chủ trì thực hiện nhiệm vụ khoa học và công nghệ',
    blocks: [
      p(`Hôm nay, vào lúc ${formatTimeAndDateVi(s.issuedAt)}, tại ${s.departmentName}, đại diện Sở và đại diện các tổ chức đăng ký tiến hành mở hồ sơ đăng ký tuyển chọn (đợt ${call.round}) chủ trì thực hiện nhiệm vụ “${state.proposal.title}” (mã ${state.taskId}).`),
      h('1. Thời hạn nhận hồ sơ'),
      p(`Từ ngày ${date(call.opensOn)} đến hết ngày ${date(call.closesOn)}.`),
      h('2. Hồ sơ nhận được'),
      {
        t: 'table',
        columns: [
          { header: 'STT', width: 0.06, align: 'center' },
          { header: 'Mã hồ sơ', width: 0.11 },
          { header: 'Tổ chức đăng ký chủ trì', width: 0.28 },
          { header: 'Chủ nhiệm', width: 0.2 },
          { header: 'Ngày nộp', width: 0.17, align: 'center' },
          { header: 'Tính hợp lệ', width: 0.18, align: 'center' },
        ],
        rows: call.dossiers.length
          ? call.dossiers.map((d, i) => [String(i + 1), d.dossierId, d.host.orgName, d.host.pi.name, date(d.submittedAt), d.valid ? 'Hợp lệ' : 'Không hợp lệ'])
          : [['—', '—', 'Không có hồ sơ', '—', '—', '—']],
      },
      h('3. Kết quả'),
      fields([
        { label: 'Số hồ sơ nhận được', value: String(call.dossiers.length) },
        { label: 'Số hồ sơ hợp lệ', value: `${valid.length}${valid.length ? ` (${valid.map((d) => d.dossierId).join(', ')})` : ''}` },
        { label: 'Số hồ sơ không hợp lệ', value: `${invalid.length}${invalid.length ? ` (${invalid.map((d) => d.dossierId).join(', ')})` : ''}` },
      ]),
      p(valid.length ? 'Các hồ sơ hợp lệ được chuyển hội đồng tư vấn tuyển chọn đánh giá.' : 'Không có hồ sơ hợp lệ: Sở xem xét tuyển chọn lại hoặc giao trực tiếp.'),
    ],
    close: {
      signers: [
        deptSigner(s, { authority: 'ĐẠI DIỆN', title: s.departmentName, name: s.issuedBy.name }, { authority: 'ĐẠI DIỆN', title: s.departmentName }),
        ...call.dossiers.map((d): DocumentSigner => ({ authority: `ĐẠI DIỆN HỒ SƠ ${d.dossierId}`, title: d.host.orgName, name: d.host.pi.name })),
      ],
      distribution: ['Các tổ chức đăng ký;', 'Lưu: VT, QLKH.'],
    },
  };
}

function budgetAppraisal(s: TaskDocumentSnapshot): Composition {
  const { state } = s;
  const c = [...state.councils].reverse().find((x) => x.council === 'C-BUD');
  if (!c) throw new RangeError('budget_appraisal_record: no budget appraisal recorded');
  type Totals = { requested: number; appraised: number };
  const t = c.tally as {
    requested: number; appraisedState: number; appraisedOther: number;
    // C-BUD item-level record, when the group gave one
    items?: { item: string; year: number; requested: number; appraised: number; lumpSum: boolean; source: 'state' | 'other' }[];
    byYear?: (Totals & { year: number })[];
    byLumpSum?: { lumpSum: Totals; nonLumpSum: Totals };
    dissent?: string[];
  };
  const items = t.items?.length ? t.items : undefined;
  const asked = state.proposal.budget;
  const bySource = asked.stateBudget + asked.otherSources === t.requested;
  const appraised = t.appraisedState + t.appraisedOther;
  const host = requireHost(state);
  return {
    title: 'BIÊN BẢN THẨM ĐỊNH KINH PHÍ',
    subtitle: 'Nhiệm vụ khoa học và công nghệ',
    blocks: [
      p(`Hôm nay, ngày ${date(c.decidedAt)}, tại ${s.departmentName}, Tổ thẩm định kinh phí thẩm định dự toán kinh phí nhiệm vụ “${state.proposal.title}” (mã ${state.taskId}) do ${host.orgName} chủ trì, ${host.pi.name} làm chủ nhiệm.`),
      h('1. Kinh phí đề nghị và kinh phí thẩm định theo nguồn'),
      {
        t: 'table',
        columns: [
          { header: 'Nguồn kinh phí', width: 0.28 },
          { header: 'Đề nghị', width: 0.24, align: 'right' },
          { header: 'Thẩm định', width: 0.24, align: 'right' },
          { header: 'Chênh lệch', width: 0.24, align: 'right' },
        ],
        rows: [
          ['Ngân sách nhà nước', bySource ? money(asked.stateBudget) : '—', money(t.appraisedState), bySource ? money(t.appraisedState - asked.stateBudget) : '—'],
          ['Nguồn khác', bySource ? money(asked.otherSources) : '—', money(t.appraisedOther), bySource ? money(t.appraisedOther - asked.otherSources) : '—'],
          ['Tổng cộng', money(t.requested), money(appraised), money(appraised - t.requested)],
        ],
      },
      h('2. Dự toán theo khoản chi và theo năm'),
      ...(items
        ? [
            {
              t: 'table' as const,
              columns: [
                { header: 'Khoản chi', width: 0.27 },
                { header: 'Năm', width: 0.08, align: 'center' as const },
                { header: 'Nguồn', width: 0.1 },
                { header: 'Khoán', width: 0.1, align: 'center' as const },
                { header: 'Đề nghị', width: 0.225, align: 'right' as const },
                { header: 'Thẩm định', width: 0.225, align: 'right' as const },
              ],
              rows: [
                ...items.map((i) => [i.item, String(i.year), i.source === 'state' ? 'NSNN' : 'Khác', i.lumpSum ? 'Có' : 'Không', money(i.requested), money(i.appraised)]),
                ...(t.byYear ?? []).map((y) => [`Cộng năm ${y.year}`, '', '', '', money(y.requested), money(y.appraised)]),
              ],
            },
          ]
        : [p('Theo dự toán chi tiết kèm thuyết minh đã hoàn thiện, điều chỉnh theo tổng kinh phí thẩm định tại mục 1.')]),
      h('3. Phương thức khoán chi'),
      p(
        t.byLumpSum
          ? `Phần khoán chi: đề nghị ${money(t.byLumpSum.lumpSum.requested)}, thẩm định ${money(t.byLumpSum.lumpSum.appraised)}; phần không khoán chi: đề nghị ${money(t.byLumpSum.nonLumpSum.requested)}, thẩm định ${money(t.byLumpSum.nonLumpSum.appraised)}. Cấp có thẩm quyền quyết định phương thức khoán chi khi phê duyệt nhiệm vụ.`
          : 'Tổ thẩm định kiến nghị cấp có thẩm quyền quyết định phương thức khoán chi khi phê duyệt nhiệm vụ.',
      ),
      h('4. Kết luận'),
      p(
        c.outcome === 'REFER_TO_APPROVER'
          ? `Tổ thẩm định chưa thống nhất; trình người có thẩm quyền phê duyệt quyết định. Tổng kinh phí đề xuất thẩm định ${money(appraised)}, trong đó ngân sách nhà nước ${money(t.appraisedState)}, nguồn khác ${money(t.appraisedOther)}.`
          : `Tổ thẩm định thống nhất tổng kinh phí thẩm định ${money(appraised)}, trong đó ngân sách nhà nước ${money(t.appraisedState)}, nguồn khác ${money(t.appraisedOther)}.`,
      ),
      // C-7: dissent is recorded in the minutes.
      ...(t.dissent?.length ? [h('5. Ý kiến khác'), ...t.dissent.map((d) => p(`- ${d}`))] : []),
    ],
    close: { signers: [deptSigner(s, { title: 'TỔ TRƯỞNG TỔ THẨM ĐỊNH', name: s.issuedBy.name })], distribution: ['Giám đốc Sở (để báo cáo);', `${host.orgName};`, 'Lưu: VT, KHTC.'] },
  };
}

function taskApproval(s: TaskDocumentSnapshot): Composition {
  const { state } = s;
  const a = state.approval;
  if (!a) throw new RangeError('task_approval_decision: the task is not approved');
  const host = requireHost(state);
  const signing = state.obligations.find((o) => o.kind === 'contract_signing');
  return {
    title: 'QUYẾT ĐỊNH',
    subtitle: 'Về việc phê duyệt tổ chức chủ trì, chủ nhiệm, kinh phí và thời gian thực hiện nhiệm vụ khoa học và công nghệ',
    blocks: [
      ...decisionOpening(s, [
        `Căn cứ kết quả ${state.assignment === 'direct_assignment' ? 'giao trực tiếp' : 'tuyển chọn'} và biên bản thẩm định kinh phí${docNumber(state, 'budget_appraisal_record') ? ` số ${docNumber(state, 'budget_appraisal_record')}` : ''};`,
      ]),
      art(1, 'Phê duyệt tổ chức chủ trì, chủ nhiệm, kinh phí và thời gian thực hiện nhiệm vụ khoa học và công nghệ sau:'),
      fields([
        ...taskFields(state),
        ...hostFields(state),
        { label: 'Phương thức giao', value: state.assignment ? ASSIGNMENT_VI[state.assignment] : '—' },
        { label: 'Mục tiêu', value: state.proposal.objectives },
        { label: 'Thời gian thực hiện', value: `${a.durationMonths} tháng, kể từ ngày ký hợp đồng` },
      ]),
      p('Sản phẩm:'),
      { t: 'bullets', items: a.products },
      p('Kinh phí thực hiện:'),
      { t: 'amounts', rows: [
        { label: 'Ngân sách nhà nước', amount: state.funds.approvedState },
        { label: 'Nguồn khác', amount: state.funds.approvedOther },
        { label: 'Tổng cộng', amount: state.funds.approvedState + state.funds.approvedOther, total: true },
      ] },
      fields([{ label: 'Phương thức khoán chi', value: FUNDING_MODE_VI[a.fundingMode] }, { label: 'Ngày phê duyệt', value: date(a.approvedOn) }]),
      art(2, `${host.orgName} và chủ nhiệm ${host.pi.name} ký hợp đồng thực hiện nhiệm vụ với ${s.departmentName}${signing ? ` trước ngày ${date(signing.dueOn)}` : ''}.`),
      art(3, `Quyết định có hiệu lực kể từ ngày ký. Chánh Văn phòng Sở, bộ phận quản lý khoa học, bộ phận kế hoạch - tài chính, ${host.orgName} và chủ nhiệm nhiệm vụ chịu trách nhiệm thi hành Quyết định này.`),
    ],
    close: { signer: deptSigner(s, director(s)), distribution: ['Như Điều 3;', 'Kho bạc Nhà nước tỉnh;', 'Lưu: VT, QLKH, KHTC.'] },
  };
}

function contract(s: TaskDocumentSnapshot): Composition {
  const { state } = s;
  const c = state.contract;
  const a = state.approval;
  if (!c?.startOn || !c.endOn || !a) throw new RangeError('contract: the contract is not signed by both parties');
  const rs = ruleSetFor(state.ruleSet);
  const dossier = state.obligations.find((o) => o.kind === 'acceptance_dossier');
  const approvalNo = docNumber(state, 'task_approval_decision');
  return {
    title: 'HỢP ĐỒNG',
    subtitle: 'Thực hiện nhiệm vụ khoa học và công nghệ',
    blocks: [
      ...[
        ...legalBases(state),
        approverDecisionBasis(state, 'approveTask')
          ? `Căn cứ ${approverDecisionBasis(state, 'approveTask')} phê duyệt tổ chức chủ trì, chủ nhiệm, kinh phí và thời gian thực hiện nhiệm vụ;`
          : `Căn cứ Quyết định phê duyệt tổ chức chủ trì, chủ nhiệm, kinh phí và thời gian thực hiện nhiệm vụ${approvalNo ? ` số ${approvalNo}` : ''} ngày ${date(a.approvedOn)};`,
      ].map((text): Block => ({ t: 'basis', text })),
      p(`Hôm nay, ngày ${date(s.issuedAt)}, tại ${s.departmentName}, chúng tôi gồm:`),
      ...partyBlocks(s),
      p('Hai bên thỏa thuận ký hợp đồng thực hiện nhiệm vụ khoa học và công nghệ với các điều khoản sau:'),
      art(1, `Đối tượng hợp đồng. Bên A đặt hàng và Bên B nhận thực hiện nhiệm vụ “${state.proposal.title}” (mã ${state.taskId}) theo thuyết minh đã được phê duyệt, là phụ lục của hợp đồng. Mục tiêu: ${state.proposal.objectives}`),
      p('Sản phẩm Bên B giao nộp:'),
      { t: 'bullets', items: a.products },
      art(2, `Thời gian thực hiện: ${a.durationMonths} tháng, từ ngày ${date(c.startOn)} đến ngày ${date(c.endOn)}.`),
      art(3, `Kinh phí và phương thức cấp. ${FUNDING_MODE_VI[a.fundingMode]}.`),
      { t: 'amounts', rows: [
        { label: 'Ngân sách nhà nước', amount: state.funds.approvedState },
        { label: 'Nguồn khác (Bên B huy động)', amount: state.funds.approvedOther },
        { label: 'Tổng cộng', amount: state.funds.approvedState + state.funds.approvedOther, total: true },
      ] },
      p('Kinh phí ngân sách nhà nước được Bên A cấp theo tiến độ thực hiện và kết quả kiểm tra; đợt đầu sau khi hợp đồng có hiệu lực. Việc cấp kinh phí dừng khi nhiệm vụ bị tạm dừng.'),
      art(4, `Báo cáo và kiểm tra. Bên B báo cáo định kỳ ${rs.reportIntervalMonths} tháng một lần; Bên A kiểm tra ít nhất ${rs.inspectionsPerYear} lần mỗi năm, thông báo trước ít nhất ${rs.inspectionNoticeWorkingDays} ngày làm việc. Hồ sơ đánh giá nghiệm thu nộp chậm nhất ${rs.acceptanceDossierDays} ngày sau ngày kết thúc hợp đồng${dossier ? ` (hạn ${date(dossier.dueOn)})` : ''}.`),
      {
        t: 'table',
        columns: [{ header: 'Kỳ báo cáo', width: 0.3, align: 'center' }, { header: 'Hạn nộp', width: 0.7, align: 'center' }],
        rows: state.reports.length ? state.reports.map((r) => [String(r.period), date(r.dueOn)]) : [['—', 'Không có kỳ báo cáo giữa kỳ']],
      },
      art(5, `Điều chỉnh, tạm dừng và chấm dứt hợp đồng. Mọi điều chỉnh được lập thành phụ lục hợp đồng; gia hạn tối đa ${rs.extension.maxCount} lần, đề nghị trước ngày kết thúc ít nhất ${rs.extension.requestMinDaysBeforeEnd} ngày. Bên A tạm dừng hợp đồng khi phát hiện chậm tiến độ nghiêm trọng hoặc vi phạm. Hợp đồng chấm dứt khi việc tiếp tục không cần thiết, Bên B vi phạm nghiêm trọng, không nộp hồ sơ nghiệm thu hoặc do sự kiện bất khả kháng; trước khi Bên A chấm dứt, Bên B được gửi ý kiến giải trình trong ${rs.terminationObservationDays} ngày. Kinh phí được thu hồi theo quy định.`),
      art(6, 'Quyền sở hữu, sử dụng kết quả. Kết quả nhiệm vụ sử dụng ngân sách nhà nước thuộc sở hữu Nhà nước, Bên A là đại diện chủ sở hữu; Bên B và các tác giả được bảo đảm quyền tác giả và được ưu tiên giao quyền sở hữu, quyền sử dụng kết quả theo quy định của pháp luật. Bên B đăng ký kết quả thực hiện nhiệm vụ sau khi nghiệm thu.'),
      // Issue 12: the form of Circular 05/2014/TT-BKHCN settles disputes by negotiation and conciliation, then in court.
      art(7, 'Giải quyết tranh chấp. Trong quá trình thực hiện Hợp đồng, nếu có tranh chấp, hai bên thương lượng, hòa giải; trường hợp không hòa giải được thì một trong hai bên có quyền đưa tranh chấp ra Tòa án có thẩm quyền giải quyết theo quy định của pháp luật.'),
      art(8, 'Điều khoản chung. Hợp đồng có hiệu lực kể từ ngày ký. Thuyết minh nhiệm vụ đã được phê duyệt là phụ lục và là bộ phận không tách rời của Hợp đồng; các phụ lục hợp đồng lập theo Điều 5 có giá trị như Hợp đồng. Hai bên cam kết thực hiện đúng các điều khoản đã thỏa thuận. Hợp đồng được lập thành 06 bản có giá trị pháp lý như nhau, mỗi bên giữ 03 bản.'),
    ],
    close: { signers: partySigners(s, c.departmentSignedBy?.name ?? s.issuedBy.name), distribution: ['Bên A: 03 bản;', 'Bên B: 03 bản.'] },
  };
}

function adjustmentOf(s: TaskDocumentSnapshot) {
  const sub = s.subject?.adjustment;
  const a = sub ? s.state.adjustments[sub.index] : undefined;
  if (!sub || !a) throw new RangeError(`${s.kind}: the snapshot names no adjustment`);
  return { a, changes: sub.changes };
}

function dependentDeadlines(state: TaskState): Block {
  const dossier = state.obligations.find((o) => o.kind === 'acceptance_dossier' && (o.status === 'OPEN' || o.status === 'OVERDUE'));
  const nextReport = state.reports.find((r) => !r.submittedAt);
  return fields([
    { label: 'Ngày kết thúc hợp đồng', value: date(state.contract?.endOn) },
    { label: 'Hạn nộp hồ sơ đánh giá nghiệm thu', value: date(dossier?.dueOn) },
    { label: 'Kỳ báo cáo tiếp theo', value: nextReport ? `kỳ ${nextReport.period}, hạn ${date(nextReport.dueOn)}` : 'không còn' },
  ]);
}

function contractAnnex(s: TaskDocumentSnapshot): Composition {
  const { state } = s;
  const { a, changes } = adjustmentOf(s);
  return {
    title: 'PHỤ LỤC HỢP ĐỒNG',
    subtitle: `Kèm theo ${contractRef(state)}`,
    blocks: [
      { t: 'basis', text: `Căn cứ ${contractRef(state)};` },
      { t: 'basis', text: `Căn cứ quyết định của Giám đốc ${s.departmentName} ngày ${date(a.decidedAt ?? s.issuedAt)} chấp thuận đề nghị ${ADJUSTMENT_VI[a.kind] ?? 'điều chỉnh'} ngày ${date(a.requestedAt)};` },
      p('Hai bên thống nhất sửa đổi hợp đồng như sau:'),
      { t: 'table', columns: TABLE_COLUMNS_CHANGES, rows: changes.map((c, i) => [String(i + 1), plainText(c.clause), c.before, c.after]) },
      p('Các thời hạn phụ thuộc sau điều chỉnh:'),
      dependentDeadlines(state),
      p('Các điều khoản khác của hợp đồng giữ nguyên. Phụ lục có hiệu lực kể từ ngày ký, là bộ phận không tách rời của hợp đồng, được lập thành 06 bản, mỗi bên giữ 03 bản.'),
    ],
    close: { signers: partySigners(s, s.issuedBy.name), distribution: ['Bên A: 03 bản;', 'Bên B: 03 bản.'] },
  };
}

function adjustmentDecision(s: TaskDocumentSnapshot): Composition {
  const { state } = s;
  const { a, changes } = adjustmentOf(s);
  const host = requireHost(state);
  const label = ADJUSTMENT_VI[a.kind] ?? 'điều chỉnh';
  const grounds = a.kind === 'A-4' ? String(a.details.grounds ?? '') : a.kind === 'A-3' ? `đề nghị gia hạn ${String(a.details.months)} tháng` : String(a.details.description ?? '');
  const fundsLine =
    a.kind === 'A-3' || a.kind === 'A-4'
      ? `Tổng kinh phí (${money(state.funds.approvedState + state.funds.approvedOther)}) và sản phẩm của nhiệm vụ không thay đổi.`
      : 'Tổng kinh phí và sản phẩm điều chỉnh theo nội dung tại Điều 1; các nội dung khác không thay đổi.';
  return {
    title: 'QUYẾT ĐỊNH',
    subtitle: `Về việc ${label} nhiệm vụ khoa học và công nghệ`,
    blocks: [
      ...decisionOpening(s, [`Căn cứ ${contractRef(state)};`, `Xét đề nghị của ${host.orgName} ngày ${date(a.requestedAt)}${grounds ? ` (${grounds})` : ''};`]),
      art(1, `Chấp thuận ${label} nhiệm vụ “${state.proposal.title}” (mã ${state.taskId}) như sau:`),
      { t: 'table', columns: TABLE_COLUMNS_CHANGES, rows: changes.map((c, i) => [String(i + 1), plainText(c.clause), c.before, c.after]) },
      p('Các thời hạn phụ thuộc sau điều chỉnh:'),
      dependentDeadlines(state),
      art(2, `${fundsLine} Hai bên ký phụ lục hợp đồng ghi nhận nội dung điều chỉnh.`),
      art(3, `Quyết định có hiệu lực kể từ ngày ${date(a.decidedAt ?? s.issuedAt)}. Chánh Văn phòng Sở, bộ phận quản lý khoa học, ${host.orgName} và chủ nhiệm nhiệm vụ chịu trách nhiệm thi hành Quyết định này.`),
    ],
    close: { signer: deptSigner(s, director(s)), distribution: ['Như Điều 3;', 'Lưu: VT, QLKH.'] },
  };
}

function inspectionRecord(s: TaskDocumentSnapshot): Composition {
  const { state } = s;
  const i = s.subject?.inspection?.index ?? state.inspections.length - 1;
  const ins = state.inspections[i];
  if (!ins?.conclusion) throw new RangeError('inspection_record: the inspection is not concluded');
  const host = requireHost(state);
  const c = state.contract;
  const concludedOn = ins.concludedAt ?? s.issuedAt;
  const from = i > 0 ? state.inspections[i - 1]?.concludedAt ?? c?.startOn : c?.startOn;
  const elapsed = c?.startOn && c.endOn ? progressShare(c.startOn, c.endOn, concludedOn) : undefined;
  const conclusion: string[] = [INSPECTION_CONCLUSION_VI[ins.conclusion]];
  if (ins.conclusion === 'suspend' && state.suspension) conclusion.push(`Hạn khắc phục: ${date(state.suspension.remedyDueOn)}.`);
  if (ins.conclusion === 'terminate' && state.termination?.observationEndsOn) conclusion.push(`Bên thực hiện được gửi ý kiến giải trình đến hết ngày ${date(state.termination.observationEndsOn)}.`);
  return {
    title: 'BIÊN BẢN KIỂM TRA',
    subtitle: 'Tình hình thực hiện nhiệm vụ khoa học và công nghệ',
    blocks: [
      p(`Hôm nay, ngày ${date(concludedOn)}, Đoàn kiểm tra của ${s.departmentName} (thông báo kiểm tra ngày ${date(ins.noticeOn)}) kiểm tra tình hình thực hiện nhiệm vụ tại ${host.orgName}.`),
      h('1. Thông tin nhiệm vụ'),
      fields([...taskFields(state).slice(0, 2), ...hostFields(state), { label: 'Thời gian thực hiện theo hợp đồng', value: `${date(c?.startOn)} – ${date(c?.endOn)}` }]),
      h('2. Kỳ kiểm tra'),
      p(`Từ ngày ${date(from)} đến ngày ${date(concludedOn)} (lần kiểm tra thứ ${i + 1}).`),
      h('3. Tiến độ so với kế hoạch'),
      ...(elapsed ? [p(`Thời gian đã thực hiện: ${elapsed}.`)] : []),
      {
        t: 'table',
        columns: [
          { header: 'Kỳ báo cáo', width: 0.2, align: 'center' },
          { header: 'Hạn nộp', width: 0.25, align: 'center' },
          { header: 'Ngày nộp', width: 0.25, align: 'center' },
          { header: 'Tình trạng', width: 0.3, align: 'center' },
        ],
        rows: state.reports.length
          ? state.reports.map((r) => [String(r.period), date(r.dueOn), r.submittedAt ? date(r.submittedAt) : '—', r.submittedAt ? (r.late ? 'Nộp muộn' : 'Đúng hạn') : 'Chưa đến hạn hoặc chưa nộp'])
          : [['—', '—', '—', 'Không có kỳ báo cáo']],
      },
      h('4. Kinh phí'),
      { t: 'amounts', rows: [
        { label: 'Ngân sách nhà nước được phê duyệt', amount: state.funds.approvedState },
        { label: 'Kinh phí đã cấp', amount: state.funds.disbursed },
        { label: 'Kinh phí chưa cấp', amount: state.funds.approvedState - state.funds.disbursed, total: true },
      ] },
      ...(state.funds.disbursements.length ? [p(`Các đợt cấp: ${state.funds.disbursements.map((d) => `${date(d.on)}: ${money(d.amount)}`).join('; ')}.`)] : []),
      h('5. Những vấn đề phát hiện'),
      p(ins.findings ?? 'Không có.'),
      h('6. Kết luận của Đoàn kiểm tra'),
      p(conclusion.join(' ')),
      h('7. Các thời hạn tiếp theo'),
      openObligationsTable(state),
    ],
    close: {
      signers: [
        deptSigner(s, { title: 'TRƯỞNG ĐOÀN KIỂM TRA', name: s.issuedBy.name }),
        { title: 'ĐẠI DIỆN TỔ CHỨC CHỦ TRÌ', name: c?.hostSignedBy?.name ?? '' },
        { title: 'CHỦ NHIỆM NHIỆM VỤ', name: host.pi.name },
      ],
      distribution: [`${host.orgName};`, `Chủ nhiệm nhiệm vụ ${host.pi.name};`, 'Lưu: VT, QLKH.'],
    },
  };
}

/** "8/24 tháng (33%)": calendar time elapsed of the contract, in whole months and a truncated percentage. */
function progressShare(start: string, end: string, at: string): string {
  const d = (x: string) => Date.parse(`${x.slice(0, 10)}T00:00:00Z`);
  const total = Math.max(1, (d(end) - d(start)) / 86_400_000 + 1);
  const done = Math.min(total, Math.max(0, (d(formatIso(at)) - d(start)) / 86_400_000));
  return `${Math.floor((done / total) * 100)}% thời gian hợp đồng (${Math.round(done)}/${Math.round(total)} ngày)`;
}
/** yyyy-mm-dd of an ISO timestamp in Vietnam. */
function formatIso(iso: string): string {
  const [dd, mm, yyyy] = formatDateVi(iso).split('/');
  return `${yyyy}-${mm}-${dd}`;
}

function suspensionNotice(s: TaskDocumentSnapshot): Composition {
  const { state } = s;
  const sus = state.suspension;
  if (!sus) throw new RangeError('suspension_notice: the task is not suspended');
  const host = requireHost(state);
  const paused = state.obligations.filter((o) => o.status === 'OPEN' && o.pausable);
  const inspection = [...state.inspections].reverse().find((x) => x.conclusion === 'suspend');
  return {
    title: 'THÔNG BÁO',
    subtitle: 'Tạm dừng thực hiện nhiệm vụ khoa học và công nghệ',
    addressee: `${host.orgName}; chủ nhiệm nhiệm vụ ${host.pi.name}`,
    blocks: [
      p(`Căn cứ ${contractRef(state)}${inspection ? ` và kết quả kiểm tra ngày ${date(inspection.concludedAt)}` : ''}, ${s.departmentName} thông báo tạm dừng thực hiện nhiệm vụ “${state.proposal.title}” (mã ${state.taskId}) kể từ ngày ${date(sus.sinceOn)}.`),
      h('1. Lý do tạm dừng'),
      p(sus.grounds),
      h('2. Kinh phí'),
      p(`Ngừng cấp kinh phí trong thời gian tạm dừng. Kinh phí đã cấp: ${money(state.funds.disbursed)} trên tổng ${money(state.funds.approvedState)} ngân sách nhà nước được phê duyệt.`),
      h('3. Thời hạn khắc phục'),
      p(`Tổ chức chủ trì và chủ nhiệm khắc phục nguyên nhân tạm dừng trước ngày ${date(sus.remedyDueOn)}. Quá thời hạn trên mà không khắc phục, Sở xem xét chấm dứt hợp đồng.`),
      h('4. Các thời hạn tạm ngưng'),
      p('Các thời hạn sau ngừng tính trong thời gian tạm dừng và được lùi tương ứng khi nhiệm vụ được tiếp tục:'),
      {
        t: 'table',
        columns: [{ header: 'STT', width: 0.08, align: 'center' }, { header: 'Nghĩa vụ', width: 0.62 }, { header: 'Hạn hiện tại', width: 0.3, align: 'center' }],
        rows: paused.length ? paused.map((o, i) => [String(i + 1), plainText(o.deliverable.vi), date(o.dueOn)]) : [['—', 'Không có', '—']],
      },
    ],
    close: { signer: deptSigner(s, director(s)), distribution: [`${host.orgName};`, `Chủ nhiệm nhiệm vụ ${host.pi.name};`, 'Kho bạc Nhà nước tỉnh (phối hợp dừng cấp kinh phí);', 'Lưu: VT, QLKH, KHTC.'] },
  };
}

function refundBlocks(state: TaskState): Block[] {
  const due = state.funds.refundDue;
  const spent = state.funds.disbursed - (due?.unspent ?? 0);
  const rows: AmountRow[] = [
    { label: 'Kinh phí ngân sách nhà nước đã cấp', amount: state.funds.disbursed },
    { label: 'Kinh phí đã sử dụng', amount: spent },
    { label: 'Kinh phí chưa sử dụng phải hoàn trả', amount: due?.unspent ?? 0 },
  ];
  if (due && due.spentShare > 0) rows.push({ label: 'Phần kinh phí đã sử dụng phải hoàn trả', amount: due.spentShare });
  rows.push({ label: 'Tổng số phải hoàn trả', amount: due?.total ?? 0, total: true });
  return [{ t: 'amounts', rows }, ...(due ? [p(plainText(due.basis.vi))] : [])];
}

function terminationDecision(s: TaskDocumentSnapshot): Composition {
  const { state } = s;
  const t = state.termination;
  if (!t || t.decision !== 'terminated') throw new RangeError('termination_decision: the task is not terminated');
  const host = requireHost(state);
  const bar = state.debarment;
  return {
    title: 'QUYẾT ĐỊNH',
    subtitle: 'Về việc chấm dứt hợp đồng thực hiện nhiệm vụ khoa học và công nghệ',
    blocks: [
      ...decisionOpening(s, [
        `Căn cứ ${contractRef(state)};`,
        t.initiatedBy === 'host' ? `Xét đề nghị chấm dứt của ${host.orgName} ngày ${date(t.proposedAt)};` : `Xét đề xuất chấm dứt của Sở ngày ${date(t.proposedAt)}${t.observations ? ' và ý kiến giải trình của bên thực hiện' : ''};`,
      ]),
      art(1, `Chấm dứt hợp đồng thực hiện nhiệm vụ “${state.proposal.title}” (mã ${state.taskId}) do ${host.orgName} chủ trì, ${host.pi.name} làm chủ nhiệm, kể từ ngày ${date(s.issuedAt)}.`),
      fields([
        { label: 'Lý do', value: t.grounds },
        { label: 'Nguyên nhân', value: TERMINATION_CAUSE_VI[t.cause ?? 'objective'] },
        ...(t.observations ? [{ label: 'Ý kiến giải trình của bên thực hiện', value: t.observations }] : []),
      ]),
      art(2, 'Xử lý kinh phí:'),
      ...refundBlocks(state),
      p('Sản phẩm đã hoàn thành (nếu có) được đánh giá và ghi nhận trong biên bản thanh lý hợp đồng.'),
      ...(bar ? [p(`${host.orgName} và chủ nhiệm ${host.pi.name} không được tham gia nhiệm vụ khoa học và công nghệ cấp tỉnh mới đến ngày ${date(bar.until)}.`)] : []),
      art(3, `Quyết định có hiệu lực kể từ ngày ký. ${host.orgName} hoàn trả kinh phí theo Điều 2 và thanh lý hợp đồng với Sở. Chánh Văn phòng Sở, bộ phận quản lý khoa học, bộ phận kế hoạch - tài chính, ${host.orgName} và chủ nhiệm nhiệm vụ chịu trách nhiệm thi hành Quyết định này.`),
    ],
    close: { signer: deptSigner(s, director(s)), distribution: ['Như Điều 3;', 'Kho bạc Nhà nước tỉnh;', 'Lưu: VT, QLKH, KHTC.'] },
  };
}

interface AccFigures {
  counts?: { EXCELLENT: number; PASS: number; FAIL: number; notRated?: number };
  present?: number;
  shares?: { EXCELLENT: { num: number; den: number }; PASS: { num: number; den: number } };
  councilId?: string;
}

function acceptanceCouncil(state: TaskState) {
  const c = [...state.councils].reverse().find((x) => x.council === 'C-ACC');
  if (!c) throw new RangeError('acceptance document: no acceptance result recorded');
  return { record: c, f: c.tally as AccFigures, rating: c.outcome as 'EXCELLENT' | 'PASS' | 'FAIL' };
}

function acceptanceMinutes(s: TaskDocumentSnapshot): Composition {
  const { state } = s;
  const host = requireHost(state);
  const { record, f, rating } = acceptanceCouncil(state);
  const note = state.timeline.filter((x) => x.action === 'recognizeResult').at(-1)?.note;
  const tallies: { label: string; value: string }[] = [];
  if (f.counts) {
    tallies.push(
      { label: 'Số thành viên có mặt đánh giá', value: String(f.present ?? f.counts.EXCELLENT + f.counts.PASS + f.counts.FAIL) },
      { label: 'Số phiếu Xuất sắc / Đạt / Không đạt', value: `${f.counts.EXCELLENT} / ${f.counts.PASS} / ${f.counts.FAIL}` },
    );
  }
  if (f.shares) {
    tallies.push({ label: 'Tỷ lệ xếp loại Xuất sắc', value: formatShareVi(f.shares.EXCELLENT) }, { label: 'Tỷ lệ xếp loại từ Đạt trở lên', value: formatShareVi(f.shares.PASS) });
  }
  return {
    title: 'BIÊN BẢN',
    subtitle: 'Đánh giá, nghiệm thu kết quả thực hiện nhiệm vụ khoa học và công nghệ',
    blocks: [
      p(`Hội đồng tư vấn đánh giá nghiệm thu kết luận ngày ${date(record.decidedAt)} về kết quả thực hiện nhiệm vụ “${state.proposal.title}” (mã ${state.taskId}).`),
      h('1. Thông tin nhiệm vụ'),
      fields([
        ...hostFields(state),
        { label: 'Thời gian thực hiện', value: `${date(state.contract?.startOn)} – ${date(state.contract?.endOn)}` },
        { label: 'Ngày nộp hồ sơ nghiệm thu', value: date(state.acceptance?.dossierSubmittedAt) },
        ...(state.acceptance?.fundsSpent !== undefined ? [{ label: 'Kinh phí đã sử dụng', value: money(state.acceptance.fundsSpent) }] : []),
      ]),
      h('2. Sản phẩm và báo cáo được đánh giá'),
      { t: 'bullets', items: [...products(state), 'Báo cáo tổng hợp kết quả thực hiện nhiệm vụ'] },
      p('Mỗi sản phẩm được đánh giá về số lượng, khối lượng và chất lượng; báo cáo tổng hợp được đánh giá riêng; xếp loại của từng thành viên được ghi trong phiếu đánh giá của thành viên.'),
      h('3. Kết quả đánh giá của hội đồng'),
      ...(tallies.length ? [fields(tallies)] : []),
      fields([{ label: 'Xếp loại chung', value: RATING_LABELS_VI[rating] }]),
      h('4. Yêu cầu hoàn thiện'),
      p(note ?? 'Tổ chức chủ trì hoàn thiện hồ sơ theo ý kiến của hội đồng trước khi công nhận kết quả.'),
    ],
    close: {
      // Issue 12: signed by the council's chair and secretary (C-ACC-1); before, by the Department with the PI.
      signers: s.issuance
        ? [slotSigner(s, 'chair') ?? slotSigner(s, 'department')!, ...(slotSigner(s, 'secretary') ? [slotSigner(s, 'secretary')] : [])]
        : [{ authority: 'ĐẠI DIỆN', title: s.departmentName, name: s.issuedBy.name }, { title: 'CHỦ NHIỆM NHIỆM VỤ', name: host.pi.name }],
      distribution: [`${host.orgName};`, 'Lưu: VT, QLKH.'],
    },
  };
}

function recognitionDecision(s: TaskDocumentSnapshot): Composition {
  const { state } = s;
  const host = requireHost(state);
  const { record, rating } = acceptanceCouncil(state);
  const reg = state.obligations.find((o) => o.kind === 'result_registration');
  return {
    title: 'QUYẾT ĐỊNH',
    subtitle: 'Về việc công nhận kết quả thực hiện nhiệm vụ khoa học và công nghệ',
    blocks: [
      ...decisionOpening(s, [`Căn cứ ${contractRef(state)};`, `Căn cứ kết luận của Hội đồng tư vấn đánh giá nghiệm thu ngày ${date(record.decidedAt)} và hồ sơ đã hoàn thiện của tổ chức chủ trì;`]),
      art(1, 'Công nhận kết quả thực hiện nhiệm vụ khoa học và công nghệ sau:'),
      fields([
        ...taskFields(state),
        ...hostFields(state),
        { label: 'Thời gian thực hiện', value: `${date(state.contract?.startOn)} – ${date(state.contract?.endOn)}` },
        { label: 'Kinh phí ngân sách nhà nước được phê duyệt', value: money(state.funds.approvedState) },
        ...(state.acceptance?.fundsSpent !== undefined ? [{ label: 'Kinh phí đã sử dụng', value: money(state.acceptance.fundsSpent) }] : []),
        { label: 'Xếp loại nghiệm thu', value: RATING_LABELS_VI[rating] },
      ]),
      p('Sản phẩm được công nhận:'),
      { t: 'bullets', items: products(state) },
      art(2, `${host.orgName} đăng ký kết quả thực hiện nhiệm vụ${reg ? ` trước ngày ${date(reg.dueOn)}` : ''}, quyết toán kinh phí và thanh lý hợp đồng với Sở.`),
      art(3, `Quyết định có hiệu lực kể từ ngày ký. Chánh Văn phòng Sở, bộ phận quản lý khoa học, ${host.orgName} và chủ nhiệm nhiệm vụ chịu trách nhiệm thi hành Quyết định này.`),
    ],
    close: { signer: deptSigner(s, director(s)), distribution: ['Như Điều 3;', 'Lưu: VT, QLKH.'] },
  };
}

function registrationCertificate(s: TaskDocumentSnapshot): Composition {
  const { state } = s;
  const cert = s.subject?.certificate;
  const reg = state.registration;
  if (!cert || !reg) throw new RangeError('registration_certificate: no registration recorded');
  const host = requireHost(state);
  const rating = [...state.councils].reverse().find((x) => x.council === 'C-ACC')?.outcome as 'EXCELLENT' | 'PASS' | undefined;
  return {
    title: 'GIẤY CHỨNG NHẬN',
    subtitle: 'Đăng ký kết quả thực hiện nhiệm vụ khoa học và công nghệ',
    number: cert.number,
    blocks: [
      { t: 'centre', text: `${s.departmentName.normalize('NFC').toUpperCase()} CHỨNG NHẬN` },
      fields([
        ...taskFields(state),
        ...hostFields(state),
        { label: 'Thời gian thực hiện', value: `${date(state.contract?.startOn)} – ${date(state.contract?.endOn)}` },
        ...(rating ? [{ label: 'Xếp loại nghiệm thu', value: RATING_LABELS_VI[rating] }] : []),
        { label: 'Số giấy chứng nhận', value: cert.number },
        { label: 'Ngày đăng ký', value: date(reg.registeredAt) },
      ]),
      p(`Đã đăng ký kết quả thực hiện nhiệm vụ khoa học và công nghệ sử dụng ngân sách nhà nước. Giấy chứng nhận thứ ${cert.index + 1}/${reg.certificates.length} của nhiệm vụ.`),
    ],
    close: { signer: deptSigner(s, director(s)), distribution: [`${host.orgName};`, `Chủ nhiệm nhiệm vụ ${host.pi.name};`, 'Lưu: VT, QLKH.'] },
  };
}

function liquidationRecord(s: TaskDocumentSnapshot): Composition {
  const { state } = s;
  requireHost(state);
  const acceptance = [...state.councils].reverse().find((x) => x.council === 'C-ACC');
  const outcome =
    state.termination?.decision === 'terminated'
      ? `Chấm dứt hợp đồng trước thời hạn (nguyên nhân ${state.termination.cause === 'subjective' ? 'chủ quan' : 'khách quan'}): ${state.termination.grounds}`
      : acceptance
        ? `Đã đánh giá nghiệm thu, xếp loại ${RATING_LABELS_VI[acceptance.outcome as 'EXCELLENT' | 'PASS' | 'FAIL']}`
        : state.acceptance?.rating === 'FAIL'
          ? 'Không đạt (hồ sơ đánh giá nghiệm thu nộp quá hạn không có lý do chính đáng)'
          : 'Hoàn thành';
  const due = state.funds.refundDue;
  const spent = state.funds.disbursed - (due?.unspent ?? 0);
  const certs = state.registration?.certificates ?? [];
  // Never "obligations fulfilled" while money is still owed.
  const writtenOff = state.funds.writtenOff ?? [];
  const owed = refundOutstanding(state);
  const failed = state.stage === 'LIQUIDATED' && (acceptance?.outcome === 'FAIL' || state.termination?.decision === 'terminated' || state.acceptance?.rating === 'FAIL');
  return {
    title: 'BIÊN BẢN THANH LÝ HỢP ĐỒNG',
    subtitle: 'Thực hiện nhiệm vụ khoa học và công nghệ',
    blocks: [
      { t: 'basis', text: `Căn cứ ${contractRef(state)};` },
      ...(docNumber(state, 'recognition_decision') ? [{ t: 'basis' as const, text: `Căn cứ Quyết định công nhận kết quả số ${docNumber(state, 'recognition_decision')} ngày ${date(docDate(state, 'recognition_decision'))};` }] : []),
      ...(docNumber(state, 'termination_decision') ? [{ t: 'basis' as const, text: `Căn cứ Quyết định chấm dứt hợp đồng số ${docNumber(state, 'termination_decision')} ngày ${date(docDate(state, 'termination_decision'))};` }] : []),
      ...writtenOff.map((w) => ({ t: 'basis' as const, text: `Căn cứ Quyết định số ${w.decisionNumber} ngày ${date(w.decidedOn)} về việc xóa khoản kinh phí phải thu hồi;` })),
      p(`Hôm nay, ngày ${date(s.issuedAt)}, tại ${s.departmentName}, chúng tôi gồm:`),
      ...partyBlocks(s),
      p('Hai bên thống nhất thanh lý hợp đồng với các nội dung sau:'),
      art(1, `Kết quả thực hiện nhiệm vụ “${state.proposal.title}” (mã ${state.taskId}): ${outcome.replace(/\.+$/, '')}.`),
      art(2, 'Kinh phí:'),
      { t: 'amounts', rows: [
        { label: 'Ngân sách nhà nước được phê duyệt', amount: state.funds.approvedState },
        { label: 'Kinh phí đã nhận', amount: state.funds.disbursed },
        { label: 'Kinh phí đã sử dụng', amount: spent },
        { label: 'Kinh phí phải hoàn trả', amount: due?.total ?? 0 },
        { label: 'Kinh phí đã hoàn trả', amount: state.funds.refunded },
        ...(writtenOff.length ? [{ label: 'Kinh phí được xóa theo quyết định', amount: writtenOffTotal(state.funds) }] : []),
      ] },
      art(3, failed ? 'Sản phẩm đã hoàn thành được ghi nhận như sau:' : 'Sản phẩm đã giao nộp:'),
      { t: 'bullets', items: products(state) },
      ...(certs.length ? [p(`Giấy chứng nhận đăng ký kết quả: ${certs.join(', ')}.`)] : []),
      art(4, `${owed > 0 ? `Bên B còn phải hoàn trả ${money(owed)} kinh phí ngân sách nhà nước; sau khi hoàn trả, hai bên không còn nghĩa vụ với nhau theo hợp đồng, trừ nghĩa vụ về quyền sở hữu, sử dụng kết quả.` : 'Bên B đã hoàn thành nghĩa vụ tài chính theo hợp đồng; hai bên không còn nghĩa vụ với nhau theo hợp đồng, trừ nghĩa vụ về quyền sở hữu, sử dụng kết quả.'}${state.debarment ? ` Tổ chức chủ trì và chủ nhiệm không được tham gia nhiệm vụ khoa học và công nghệ cấp tỉnh mới đến ngày ${date(state.debarment.until)}.` : ''} Biên bản được lập thành 04 bản, mỗi bên giữ 02 bản.`),
    ],
    close: { signers: partySigners(s, s.issuedBy.name), distribution: ['Bên A: 02 bản;', 'Bên B: 02 bản.'] },
  };
}

const COMPOSERS: Record<TaskDocumentKind, (s: TaskDocumentSnapshot) => Composition> = {
  council_formation_decision: councilFormation,
  order_list_approval: orderListApproval,
  call_notice: callNotice,
  dossier_opening_record: dossierOpening,
  budget_appraisal_record: budgetAppraisal,
  task_approval_decision: taskApproval,
  contract,
  contract_annex: contractAnnex,
  inspection_record: inspectionRecord,
  adjustment_decision: adjustmentDecision,
  suspension_notice: suspensionNotice,
  termination_decision: terminationDecision,
  acceptance_minutes: acceptanceMinutes,
  recognition_decision: recognitionDecision,
  registration_certificate: registrationCertificate,
  liquidation_record: liquidationRecord,
};

/**
 * Renders one task document from its snapshot. `number` is the số/ký hiệu drawn when it was issued
 * (the certificate prints its own). Throws a RangeError when the state cannot carry this document
 * (e.g. a contract not signed by both parties).
 */
export async function renderTaskDocument(snapshot: TaskDocumentSnapshot, stateHash: string, number?: string): Promise<Buffer> {
  const compose = COMPOSERS[snapshot.kind];
  if (!compose) throw new RangeError(`task document: unknown kind "${String(snapshot.kind)}"`);
  const c = compose(snapshot);
  const doc = createPdfDocument({
    title: `${c.title}${c.subtitle ? ` ${c.subtitle}` : ''}: ${snapshot.state.proposal.title}`,
    creationDate: snapshot.issuedAt,
    author: snapshot.departmentName,
    subject: `${TASK_DOCUMENT_TITLES[snapshot.kind]}, nhiệm vụ ${snapshot.state.taskId}`,
    keywords: [snapshot.state.taskId, snapshot.kind],
  });
  // Issue 12: a draft has neither number nor date (the clerk gives both from the register); the
  // issued document prints the register's.
  const iss = snapshot.issuance;
  const series = numberSeries(snapshot.kind, snapshot);
  const printed = c.number ?? (iss ? (iss.draft ? series?.format(0).replace(/^\d+/, '          ') : iss.number) : number);
  const year = formatDateVi(snapshot.issuedAt).slice(6);
  drawAdministrativeHeader(doc, {
    ...issuingBodyOf(snapshot.departmentName),
    ...(printed ? { number: printed } : {}),
    place: snapshot.place,
    date: iss?.registeredOn ?? snapshot.issuedAt,
    ...(iss?.draft ? { dateLine: `${snapshot.place}, ngày        tháng        năm ${year}` } : {}),
    title: c.title,
    ...(c.subtitle ? { subtitle: c.subtitle } : {}),
  });
  if (c.addressee) {
    const { left, width } = contentBox(doc);
    useFont(doc, PDF_FONT.regular, PDF_TEXT_SIZE.body);
    doc.text(nfc(`Kính gửi: ${c.addressee}`), left, doc.y, { width, align: 'center' });
    doc.y += 8;
  }
  // The signature block and "Nơi nhận" go with the last lines of text: the last block, and the
  // heading or lead-in line (ending in ":") right before it.
  let tailFrom = c.blocks.length - 1;
  while (tailFrom > 0 && leadsInto(c.blocks[tailFrom - 1]!)) tailFrom -= 1;
  drawBlocks(doc, c.blocks.slice(0, Math.max(0, tailFrom)));
  const close = c.close;
  drawClosing(
    doc,
    (d) => drawBlocks(d, c.blocks.slice(Math.max(0, tailFrom))),
    (d) => {
      if ('signer' in close || close.signers.length === 1) {
        const signer = 'signer' in close ? close.signer : close.signers[0]!;
        drawSignatureAndDistribution(d, { signer, distribution: close.distribution });
      } else {
        const [main, ...others] = close.signers;
        drawSigners(d, main!, others);
        drawDistribution(d, close.distribution);
      }
    },
  );
  drawStateHash(doc, stateHash, snapshot.state.taskId, iss?.draft ? { watermark: DRAFT_WATERMARK } : {});
  return pdfToBuffer(doc);
}
