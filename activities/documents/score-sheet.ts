/**
 * A council member's review / score sheet (phiếu đánh giá, domain.md §7): member, role, the score
 * of each criterion (C-SEL) or the rating of each product and of the report (C-ACC, with the
 * member's overall rating by C-ACC-2), and comments.
 *
 * C-4: rendered ONLY for an open ballot, from `view.openBallots`. Under a secret ballot a score
 * sheet is the member's own paper: it never enters the task's documents (which the host and the
 * applicants may download) nor any read model; the ballots stay in `council_results` (C-9), which
 * no endpoint serves. `renderScoreSheet` refuses a secret sitting.
 */
import type { CouncilBallot, CouncilView } from '../../workflows/definitions';
import { memberAcceptanceRating } from '../../workflows/rules/tallies';
import { COUNCIL_KIND_LABELS_VI, COUNCIL_ROLE_LABELS_VI, RATING_LABELS_VI, criterionVi, drawTable, issuingBodyOf, type CouncilDocumentSnapshot } from './council-documents';
import { formatDateVi } from './format';
import {
  createPdfDocument,
  drawAdministrativeHeader,
  drawClosing,
  drawFieldLines,
  drawParagraph,
  drawSectionHeading,
  drawSignatureAndDistribution,
  drawStateHash,
  pdfToBuffer,
} from './pdf';

const points = (n: number) => (Number.isInteger(n) ? String(n) : String(n).replace('.', ','));

/** The members of an open C-SEL or C-ACC sitting who cast a ballot: one score sheet each. */
export function scoreSheetMembers(view: CouncilView): string[] {
  if (view.ballot !== 'open' || (view.kind !== 'C-SEL' && view.kind !== 'C-ACC')) return [];
  const ids: string[] = [];
  for (const b of view.openBallots ?? []) if (!ids.includes(b.memberId)) ids.push(b.memberId);
  return ids;
}

export async function renderScoreSheet(s: CouncilDocumentSnapshot, memberId: string, stateHash: string): Promise<Buffer> {
  const { view } = s;
  if (view.ballot !== 'open') throw new RangeError('score sheet: a secret ballot is never rendered per member (C-4)');
  if (view.kind !== 'C-SEL' && view.kind !== 'C-ACC') throw new RangeError(`score sheet: ${view.kind} councils vote yes/no, they have no score sheet`);
  const member = view.members.find((m) => m.memberId === memberId);
  const ballots = (view.openBallots ?? []).filter((b) => b.memberId === memberId).map((b) => b.ballot);
  if (!member || ballots.length === 0) throw new RangeError(`score sheet: member ${memberId} cast no ballot in ${view.councilId}`);
  const kindLabel = COUNCIL_KIND_LABELS_VI[view.kind];

  const doc = createPdfDocument({
    title: `Phiếu đánh giá: ${member.name} – ${view.taskTitle}`,
    creationDate: view.result?.decidedAt ?? view.meetingOn,
    author: member.name,
    subject: `${kindLabel}, nhiệm vụ ${view.taskId}`,
    keywords: [view.taskId, view.councilId, 'score_sheet'],
  });
  drawAdministrativeHeader(doc, {
    ...issuingBodyOf(s.departmentName),
    place: s.place,
    date: view.meetingOn,
    title: 'PHIẾU ĐÁNH GIÁ',
    subtitle: view.kind === 'C-SEL' ? 'Hồ sơ tuyển chọn, giao trực tiếp thực hiện nhiệm vụ khoa học và công nghệ' : 'Kết quả thực hiện nhiệm vụ khoa học và công nghệ',
  });
  drawFieldLines(doc, [
    { label: 'Họ và tên thành viên', value: member.name },
    { label: 'Chức danh trong hội đồng', value: COUNCIL_ROLE_LABELS_VI[member.role] },
    { label: 'Hội đồng', value: kindLabel },
    { label: 'Nhiệm vụ', value: `${view.taskTitle} (mã ${view.taskId})` },
    { label: 'Ngày họp', value: formatDateVi(view.meetingOn) },
    { label: 'Hình thức bỏ phiếu', value: 'Bỏ phiếu công khai' },
  ]);

  const comments: string[] = [];
  ballots.forEach((b, i) => {
    if (b.kind === 'C-SEL') drawSelection(doc, view, b, i + 1);
    if (b.kind === 'C-ACC') drawAcceptance(doc, b);
    if (b.comment?.trim()) comments.push(b.kind === 'C-SEL' ? `Hồ sơ ${b.dossierId}: ${b.comment.trim()}` : b.comment.trim());
  });
  drawClosing(
    doc,
    (d) => {
      drawSectionHeading(d, `${view.kind === 'C-SEL' ? ballots.length + 1 : 3}. Ý kiến nhận xét`);
      if (comments.length) for (const c of comments) drawParagraph(d, c);
      else drawParagraph(d, 'Không có.');
    },
    (d) =>
      drawSignatureAndDistribution(d, {
        signer: { title: 'NGƯỜI ĐÁNH GIÁ', note: '(Ký, ghi rõ họ tên)', name: member.name },
        distribution: ['Thư ký hành chính hội đồng;', 'Lưu: hồ sơ hội đồng.'],
      }),
  );
  drawStateHash(doc, stateHash, view.taskId);
  return pdfToBuffer(doc);
}

function drawSelection(doc: PDFKit.PDFDocument, view: CouncilView, b: Extract<CouncilBallot, { kind: 'C-SEL' }>, n: number): void {
  const criteria = view.criteria ?? Object.keys(b.scores).map((id) => ({ id, max: NaN }));
  const total = Object.values(b.scores).reduce((sum, v) => sum + v, 0);
  const max = criteria.reduce((sum, c) => sum + (Number.isFinite(c.max) ? c.max : 0), 0);
  drawSectionHeading(doc, `${n}. Hồ sơ ${b.dossierId}`);
  drawTable(
    doc,
    [
      { header: 'STT', width: 0.08, align: 'center' },
      { header: 'Tiêu chí', width: 0.56 },
      { header: 'Điểm tối đa', width: 0.18, align: 'center' },
      { header: 'Điểm chấm', width: 0.18, align: 'center' },
    ],
    [
      ...criteria.map((c, i) => [String(i + 1), criterionVi(c.id), Number.isFinite(c.max) ? String(c.max) : '—', points(b.scores[c.id] ?? 0)]),
      ['', 'Tổng cộng', max ? String(max) : '—', points(total)],
    ],
  );
}

function drawAcceptance(doc: PDFKit.PDFDocument, b: Extract<CouncilBallot, { kind: 'C-ACC' }>): void {
  const r = (x: 'EXCELLENT' | 'PASS' | 'FAIL') => RATING_LABELS_VI[x];
  drawSectionHeading(doc, '1. Đánh giá sản phẩm');
  drawTable(
    doc,
    [
      { header: 'STT', width: 0.07, align: 'center' },
      { header: 'Sản phẩm', width: 0.34 },
      { header: 'Số lượng', width: 0.14, align: 'center' },
      { header: 'Khối lượng', width: 0.14, align: 'center' },
      { header: 'Chất lượng', width: 0.14, align: 'center' },
      { header: 'Đặt hàng / giao nộp', width: 0.17, align: 'center' },
    ],
    b.products.map((x, i) => [
      String(i + 1),
      x.productId,
      r(x.quantity),
      r(x.volume),
      r(x.quality),
      x.orderedAmount !== undefined || x.deliveredAmount !== undefined ? `${x.orderedAmount ?? '—'} / ${x.deliveredAmount ?? '—'}` : '—',
    ]),
  );
  const overall = memberAcceptanceRating({ products: b.products, report: b.report });
  drawSectionHeading(doc, '2. Báo cáo tổng hợp và xếp loại chung');
  drawFieldLines(doc, [
    { label: 'Báo cáo tổng hợp', value: r(b.report) },
    { label: 'Xếp loại chung của thành viên', value: r(overall.rating) },
  ]);
}
