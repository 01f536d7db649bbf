/**
 * Every kind of document the system issues (domain.md §7 and the six-month report of §8), each
 * rendered from a realistic recorded state, with the variants whose text or layout differs
 * (each council kind, each adjustment, a liquidation after termination). The document tests
 * read them back as a reader would, and `npm run documents:png` renders them to PNG to look at.
 */
import { renderCouncilMinutes, renderVoteCountingRecord } from '../../activities/documents/council-documents';
import { stateHash } from '../../activities/documents/format';
import { renderProposalForm, type ProposalFormSnapshot } from '../../activities/documents/pdf';
import { renderScoreSheet } from '../../activities/documents/score-sheet';
import { renderTaskDocument } from '../../activities/documents/task-documents';
import { renderSixMonthReportPdf, type SixMonthReport } from '../../activities/portfolio/report';
import { STAGE_LABELS_VI } from '../../activities/portfolio/labels';
import type { TaskState } from '../../workflows/definitions';
import { TASK_DOCUMENT_KINDS, type TaskDocumentKind, type TaskDocumentSnapshot } from '../../workflows/task-documents';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { signatureRecord, signatureSlots, type SignatureSlot, type Signer } from '../../workflows/rules/authority';
import { ruleSetFor } from '../../workflows/rules/ruleset';
import { ensureDevelopmentCertificates } from '../../activities/documents/dev-certificates';
import { P12SigningService, type DocumentSigningService } from '../../activities/documents/signing';
import { renderIssuedDocument } from '../../activities/documents/issued';
import { DEV_DEPARTMENT_LEADERS, DEV_USERS } from '../../scripts/dev-users';
import { acceptanceSnapshot, identificationSnapshot, selectionSnapshot } from './council-fixtures';
import { DEPARTMENT, HOST, liquidatedState, openView, SEATS, snapshotFor, snapshotOf, TASK_ID } from './task-fixtures';

export interface CatalogueEntry {
  /** File-name friendly name, e.g. "task-contract", "council-C-ID-minutes". */
  name: string;
  /** The task code the document is about (printed where a task code is meant). */
  taskId: string;
  render: () => Promise<Buffer>;
  /** Issue 12: an issued or draft version: the snapshot it is rendered from (before its issuance). */
  snapshot?: TaskDocumentSnapshot;
}

/** Numbers as the Department's series would draw them (the certificate prints its own). */
const NUMBERS: Record<TaskDocumentKind, string | undefined> = {
  council_formation_decision: '05/QĐ-SKHCN',
  order_list_approval: '01/QĐ-SKHCN',
  call_notice: '02/TB-SKHCN',
  dossier_opening_record: '03/BB-SKHCN',
  budget_appraisal_record: '04/BB-SKHCN',
  task_approval_decision: '07/QĐ-SKHCN',
  contract: '03/2026/HĐ-SKHCN',
  contract_annex: '01/2027/PLHĐ-SKHCN',
  inspection_record: '09/BB-SKHCN',
  adjustment_decision: '12/QĐ-SKHCN',
  suspension_notice: '03/TB-SKHCN',
  termination_decision: '15/QĐ-SKHCN',
  acceptance_minutes: '11/BB-SKHCN',
  recognition_decision: '41/QĐ-SKHCN',
  registration_certificate: undefined,
  liquidation_record: '21/BB-SKHCN',
};

const task = (name: string, s: TaskDocumentSnapshot): CatalogueEntry => ({
  name: `task-${name}`,
  taskId: s.state.taskId,
  render: () => renderTaskDocument(s, stateHash(s), NUMBERS[s.kind]),
});

export function proposalFormSnapshot(): ProposalFormSnapshot {
  const p = liquidatedState().proposal;
  return {
    ...p,
    urgency:
      'Xâm nhập mặn ngày càng nghiêm trọng ở vùng hạ lưu sông Vàm Cỏ Đông; độ mặn 4‰ xuất hiện sớm hơn một tháng so với trung bình nhiều năm, những giống lúa hiện có giảm năng suất mạnh trong vụ Đông Xuân. Nông dân các huyện Bến Lức, Cần Đước cần giống lúa thích ứng và quy trình canh tác phù hợp.',
    proposer: { ...p.proposer, phone: '0912 345 678' },
    taskId: TASK_ID,
    departmentName: DEPARTMENT,
    place: 'Tây Ninh',
    submittedAt: '2026-01-12T02:15:00.000Z',
  };
}

/** The six-month report of a Department with a few stopped and overdue tasks. */
export function sixMonthReport(): SixMonthReport {
  const levels = ['national', 'ministerial', 'provincial', 'grassroots'];
  const stages = (['IN_PROGRESS', 'ACCEPTANCE_REVIEW', 'SUSPENDED', 'TERMINATED', 'LIQUIDATED'] as const).map((stage, i) => ({
    stage,
    label: STAGE_LABELS_VI[stage],
    byLevel: [0, 0, 12 - 2 * i, i],
    total: 12 - i,
  }));
  const overdue = ['Báo cáo định kỳ kỳ 2', 'Hồ sơ đánh giá nghiệm thu', 'Đăng ký kết quả thực hiện nhiệm vụ'].map((d, i) => ({
    taskId: `NV-2026-00${i + 1}`,
    code: `NV-2026-00${i + 1}`,
    title: i === 0 ? 'Ứng dụng IoT giám sát chất lượng nước nuôi tôm' : 'Nghiên cứu chọn tạo giống lúa chịu mặn cho vùng hạ lưu sông Vàm Cỏ',
    level: 'provincial',
    stage: 'IN_PROGRESS',
    obligationId: `o-${i}`,
    kind: 'progress_report',
    rule: 'L-13',
    deliverable: { vi: d, en: d },
    assignee: 'host' as const,
    assigneeName: 'Viện Sinh học Nhiệt đới (Nguyễn Thị Hương)',
    person: { key: 'p', name: 'Nguyễn Thị Hương' },
    unit: { key: 'u', name: 'Viện Sinh học Nhiệt đới' },
    accountable: { key: 'a', name: 'Trần Đức Thắng' },
    dueOn: `2026-0${4 + i}-11`,
    daysOverdue: 80 - 20 * i,
  }));
  return {
    reportId: 'BC6T-skhcn-tay-ninh-2026-01-01-2026-06-30',
    departmentId: 'skhcn-tay-ninh',
    departmentName: DEPARTMENT,
    place: 'Tây Ninh',
    from: '2026-01-01',
    to: '2026-06-30',
    generatedAt: '2026-07-03T02:00:00.000Z',
    generatedOn: '2026-07-03',
    levels,
    stages,
    levelTotals: [0, 0, 50, 10],
    total: 60,
    stopped: [
      { taskId: 'NV-2025-014', code: 'NV-2025-014', title: 'Xây dựng mô hình nuôi cá lóc trong ao lót bạt', level: 'provincial', form: 'st_project', stage: 'TERMINATED', stoppedOn: '2026-03-15', stoppedStage: 'TERMINATED', stopRule: 'T-2', stopGrounds: 'Không khắc phục trong thời hạn tạm dừng.' },
    ],
    overdue: overdue as unknown as SixMonthReport['overdue'],
    overdueTotal: overdue.length,
    budget: {
      years: [
        { year: 2025, approvedState: 4_500_000_000, approvedOther: 600_000_000, disbursed: 3_200_000_000, refunded: 0 },
        { year: 2026, approvedState: 2_480_000_000, approvedOther: 250_000_000, disbursed: 1_900_000_000, refunded: 37_500_000 },
      ],
      totals: { approvedState: 6_980_000_000, approvedOther: 850_000_000, disbursed: 5_100_000_000, refunded: 37_500_000 },
    },
  };
}

function withAdjustment(kind: 'A-2' | 'A-4', doc: 'adjustment_decision' | 'contract_annex'): TaskDocumentSnapshot {
  const s = liquidatedState();
  const adjustment =
    kind === 'A-4'
      ? { kind, requestedAt: '2027-02-01T03:00:00.000Z', details: { newPi: { name: 'Trần Văn Lộc', email: 'loc.tv@vien-sinh-hoc.example.vn' }, grounds: 'Chủ nhiệm đi công tác nước ngoài dài hạn' }, decision: 'approved' as const, decidedAt: '2027-02-10T03:00:00.000Z' }
      : { kind, requestedAt: '2027-02-01T03:00:00.000Z', details: { description: 'Chuyển 50.000.000 đồng từ mục nguyên vật liệu sang mục thuê khoán phân tích mẫu đất' }, decision: 'approved' as const, decidedAt: '2027-02-10T03:00:00.000Z' };
  const changes =
    kind === 'A-4'
      ? [{ clause: 'Điều 1. Chủ nhiệm nhiệm vụ', before: `${HOST.pi.name} (${HOST.pi.email})`, after: 'Trần Văn Lộc (loc.tv@vien-sinh-hoc.example.vn); lý do: Chủ nhiệm đi công tác nước ngoài dài hạn' }]
      : [{ clause: 'Điều 3. Kinh phí (khoản chi không khoán) và yêu cầu sản phẩm', before: 'Theo thuyết minh đã phê duyệt; tổng kinh phí không đổi', after: 'Chuyển 50.000.000 đồng từ mục nguyên vật liệu sang mục thuê khoán phân tích mẫu đất' }];
  const state: TaskState = { ...s, stage: 'IN_PROGRESS', adjustments: [adjustment as TaskState['adjustments'][number]], contract: { ...s.contract!, endOn: '2028-05-10' } };
  return snapshotOf(doc, state, { issuedAt: '2027-02-10T03:00:00.000Z', subject: { adjustment: { index: 0, changes } } });
}

function councilFormation(kind: 'C-ID' | 'C-SEL'): TaskDocumentSnapshot {
  const s = liquidatedState();
  return snapshotOf('council_formation_decision', { ...s, stage: kind === 'C-ID' ? 'IDENTIFICATION_REVIEW' : 'SELECTION_REVIEW' }, {
    issuedAt: kind === 'C-ID' ? '2026-01-15T03:00:00.000Z' : '2026-03-12T03:00:00.000Z',
    subject: {
      council: {
        councilId: `council-${TASK_ID}-${kind}-1`,
        kind,
        members: SEATS,
        meetingOn: kind === 'C-ID' ? '2026-01-22' : '2026-03-25',
        votingDeadline: kind === 'C-ID' ? '2026-01-22T10:00:00.000Z' : '2026-03-25T10:00:00.000Z',
        ballot: kind === 'C-ID' ? 'secret' : 'open',
        ...(kind === 'C-SEL'
          ? {
              dossiers: ['HS-1-1', 'HS-1-2'],
              criteria: [
                { id: 'rationale', max: 10 },
                { id: 'content', max: 25 },
                { id: 'products', max: 25, products: true },
                { id: 'applicability', max: 15 },
                { id: 'capacity', max: 15 },
                { id: 'budget', max: 10 },
              ],
            }
          : {}),
      },
    },
  });
}

/** A task terminated for a subjective cause, liquidated once part of the refund came back and a decision wrote off the rest (issue 13). */
function liquidationAfterTermination(): TaskDocumentSnapshot {
  const { registration: _none, ...t } = snapshotFor('termination_decision').state;
  const documents = [
    ...t.documents.filter((d) => d.kind === 'task_approval_decision' || d.kind === 'contract'),
    { documentId: 'doc-aaaaaaaaaaaaaaaaaaaaaaa4', kind: 'termination_decision', title: 'Quyết định chấm dứt hợp đồng', stateHash: 'x', createdAt: '2027-06-15T03:00:00.000Z', number: '15/QĐ-SKHCN' },
  ];
  const councils = t.councils.filter((c) => c.council !== 'C-ACC');
  const { acceptance: _acceptance, ...rest } = t;
  const rest_ = (t.funds.refundDue?.total ?? 0) - 200_000_000;
  const writtenOff = [{ on: '2027-08-10', amount: rest_, decisionNumber: '45/QĐ-UBND', decidedOn: '2027-08-05', grounds: 'Tổ chức chủ trì đã giải thể, không còn tài sản để thu hồi', by: 'Trần Đức Thắng' }];
  return snapshotOf('liquidation_record', { ...rest, documents, councils, stage: 'LIQUIDATED', funds: { ...t.funds, refunded: 200_000_000, writtenOff } }, { issuedAt: '2027-08-20T03:00:00.000Z' });
}

// ---------------------------------------------------------------------------------------------
// Issue 12: drafts and signed, issued versions
// ---------------------------------------------------------------------------------------------

const SIGNED_AUTHORITY = ruleSetFor({ regime: 'LEGACY_2013', provinceProfile: 'tay-ninh', version: '2026.2' }).authority;
const [, , OFFICER] = DEV_USERS('skhcn-tay-ninh');
const [DIRECTOR, DEPUTY] = DEV_DEPARTMENT_LEADERS('skhcn-tay-ninh');
const asSigner = (u: typeof DIRECTOR): Signer => ({ userId: u!.userId, role: u!.role, name: u!.name, email: u!.email, orgId: u!.orgId, position: u!.position, areas: u!.areas });
/** A Deputy signs (KT. GIÁM ĐỐC) what is delegated to her; the Director the rest. */
const BY_DEPUTY: TaskDocumentKind[] = ['order_list_approval', 'call_notice', 'task_approval_decision', 'budget_appraisal_record', 'recognition_decision', 'registration_certificate', 'council_formation_decision'];
const HOST_REPRESENTATIVE: Signer = { userId: 'u-researcher-1', role: 'researcher', name: 'Nguyễn Văn Bảo', orgId: HOST.orgId };

let signingService: DocumentSigningService | undefined;
/** Development certificates (DEVELOPMENT ONLY) for the catalogue's signed documents, made once per process. */
export function catalogueSigning(): { service: DocumentSigningService; organisation: string; signers: Record<string, string> } {
  const dir = join(tmpdir(), `khcn-flow-catalogue-signing-${process.pid}`);
  const signers = [DIRECTOR!, DEPUTY!, OFFICER!];
  const files = ensureDevelopmentCertificates(dir, { departmentName: DEPARTMENT, signers });
  signingService ??= new P12SigningService({ organisation: { p12: readFileSync(files.organisationP12), passphrase: files.passphrase }, signersDir: files.signersDir });
  return { service: signingService, organisation: DEPARTMENT, signers: Object.fromEntries(signers.map((u) => [u.userId, u.name])) };
}

/** The snapshot as issued: each block signed by its signer, the number and date from the register. */
export function issuedSnapshot(s: TaskDocumentSnapshot, o: { draft?: boolean } = {}): TaskDocumentSnapshot {
  // The acceptance council's chair and secretary (C-ACC-1) sign its minutes.
  const state = s.kind === 'acceptance_minutes'
    ? { ...s.state, councilSittings: [{ councilId: `council-${TASK_ID}-C-ACC-1`, kind: 'C-ACC' as const, formedAt: '2028-01-12T03:00:00.000Z', status: 'DECIDED' as const, officers: SEATS.flatMap((m) => (m.role === 'chair' || m.role === 'scientific_secretary' ? [{ role: m.role, memberId: m.memberId, name: m.name }] : [])) }] }
    : s.state;
  const slots: SignatureSlot[] = signatureSlots(s.kind, state, s.subject, SIGNED_AUTHORITY);
  const at = (minutes: number) => new Date(Date.parse(s.issuedAt) + minutes * 60_000).toISOString();
  const whoFor = (slot: SignatureSlot): Signer => {
    const r = slot.requirement;
    if (r.kind === 'host') return HOST_REPRESENTATIVE;
    if (r.kind === 'member') return { userId: r.userId, role: 'council_member', name: r.name, orgId: 'org-hoi-dong' };
    if (r.kind === 'staff') return asSigner(OFFICER);
    return asSigner(BY_DEPUTY.includes(s.kind) ? DEPUTY : DIRECTOR);
  };
  const signatures = o.draft ? [] : slots.map((slot, i) => slot.presigned ?? signatureRecord(slot, whoFor(slot), at(90 + 5 * i)));
  const number = NUMBERS[s.kind] ?? s.subject?.certificate?.number;
  const registeredOn = at(24 * 60).slice(0, 10);
  return { ...s, state, issuance: o.draft ? { draft: true, slots, signatures } : { draft: false, slots, signatures, ...(number ? { number } : {}), registeredOn, issuedAt: at(24 * 60 + 30) } };
}

const issuedEntry = (name: string, s: TaskDocumentSnapshot): CatalogueEntry => ({
  name: `issued-${name}`,
  taskId: s.state.taskId,
  snapshot: s,
  render: () => renderIssuedDocument(issuedSnapshot(s), stateHash(s), catalogueSigning().service, { warn: () => undefined }),
});
const draftEntry = (name: string, s: TaskDocumentSnapshot): CatalogueEntry => ({
  name: `draft-${name}`,
  taskId: s.state.taskId,
  snapshot: s,
  render: () => renderTaskDocument(issuedSnapshot(s, { draft: true }), stateHash(s)),
});

export function documentCatalogue(): CatalogueEntry[] {
  const entries: CatalogueEntry[] = [];
  entries.push({ name: 'proposal-form', taskId: TASK_ID, render: () => { const s = proposalFormSnapshot(); return renderProposalForm(s, stateHash(s)); } });
  for (const kind of TASK_DOCUMENT_KINDS) entries.push(task(kind.replace(/_/g, '-'), snapshotFor(kind)));
  entries.push(task('council-formation-decision-C-ID', councilFormation('C-ID')));
  entries.push(task('council-formation-decision-C-SEL', councilFormation('C-SEL')));
  entries.push(task('adjustment-decision-A-4', withAdjustment('A-4', 'adjustment_decision')));
  entries.push(task('contract-annex-A-4', withAdjustment('A-4', 'contract_annex')));
  entries.push(task('adjustment-decision-A-2', withAdjustment('A-2', 'adjustment_decision')));
  entries.push(task('liquidation-record-after-termination', liquidationAfterTermination()));
  for (const [kind, make] of [['C-ID', identificationSnapshot], ['C-SEL', selectionSnapshot], ['C-ACC', acceptanceSnapshot]] as const) {
    const s = make();
    entries.push({ name: `council-${kind}-vote-counting-record`, taskId: s.view.taskId, render: () => renderVoteCountingRecord(s, stateHash(s)) });
    entries.push({ name: `council-${kind}-minutes`, taskId: s.view.taskId, render: () => renderCouncilMinutes(s, stateHash(s)) });
  }
  for (const kind of ['C-SEL', 'C-ACC'] as const) {
    const view = openView(kind);
    entries.push({ name: `score-sheet-${kind}`, taskId: view.taskId, render: () => renderScoreSheet({ view, departmentName: DEPARTMENT, place: 'Tây Ninh' }, 'm3', stateHash(view)) });
  }
  entries.push({ name: 'six-month-report', taskId: '', render: () => renderSixMonthReportPdf(sixMonthReport()) });
  // Issue 12: every kind as issued (signed by its competent signers, numbered, PAdES) and a draft of a decision, a record and the contract.
  for (const kind of TASK_DOCUMENT_KINDS) entries.push(issuedEntry(kind.replace(/_/g, '-'), snapshotFor(kind)));
  entries.push(issuedEntry('contract-annex-A-4', withAdjustment('A-4', 'contract_annex')));
  for (const kind of ['task_approval_decision', 'inspection_record', 'contract'] as const) entries.push(draftEntry(kind.replace(/_/g, '-'), snapshotFor(kind)));
  return entries;
}
