/**
 * Recorded task states for document tests: one task of Tây Ninh followed from proposal to
 * liquidation, with Vietnamese names carrying every kind of diacritic and amounts in the
 * billions, and the snapshot each document of domain.md §7 is rendered from.
 */
import type { CouncilSeat, CouncilView, TaskState } from '../../workflows/definitions';
import type { TaskDocumentKind, TaskDocumentSnapshot, TaskDocumentSubject } from '../../workflows/task-documents';

export const DEPARTMENT = 'Sở Khoa học và Công nghệ tỉnh Tây Ninh';
export const TASK_ID = 'NV-0123456789ABCDEF';
export const TITLE = 'Nghiên cứu ứng dụng công nghệ sinh học trong sản xuất giống lúa chịu mặn ở Tây Ninh';
export const MANAGER = { userId: 'u-manager-1', role: 'manager' as const, name: 'Trần Đức Thắng' };
export const HOST = { orgId: 'org-vien-sinh-hoc', orgName: 'Viện Sinh học Nhiệt đới', pi: { name: 'Nguyễn Thị Hương', email: 'huong.nt@vien-sinh-hoc.example.vn' } };
export const OTHER = { orgId: 'org-truong-dai-hoc', orgName: 'Trường Đại học Tây Ninh', pi: { name: 'Lê Văn Đức', email: 'duc.lv@truong-dai-hoc.example.vn' } };

/** Names with ă â đ ê ô ơ ư and all five tone marks. */
export const SEATS: CouncilSeat[] = [
  { memberId: 'm1', name: 'Phạm Thị Ngọc Ánh', email: 'anh.ptn@hoidong.example.vn', role: 'chair', title: 'PGS.TS.', workplace: 'Viện Lúa đồng bằng sông Cửu Long' },
  { memberId: 'm2', name: 'Đặng Quốc Việt', email: 'viet.dq@hoidong.example.vn', role: 'vice_chair', title: 'TS.', workplace: 'Trường Đại học Cần Thơ' },
  { memberId: 'm3', name: 'Huỳnh Tấn Phước', email: 'phuoc.ht@hoidong.example.vn', role: 'reviewer', title: 'PGS.TS.', workplace: 'Trường Đại học Nông Lâm Thành phố Hồ Chí Minh' },
  { memberId: 'm4', name: 'Võ Thị Ỷ Lan', email: 'lan.vty@hoidong.example.vn', role: 'reviewer', title: 'TS.', workplace: 'Viện Khoa học Kỹ thuật Nông nghiệp miền Nam' },
  { memberId: 'm5', name: 'Lê Hoàng Nam', email: 'nam.lh@hoidong.example.vn', role: 'member', title: 'ThS.', workplace: 'Trung tâm Khuyến nông tỉnh Tây Ninh' },
  { memberId: 'm6', name: 'Trương Mỹ Hạnh', email: 'hanh.tm@hoidong.example.vn', role: 'member', title: 'TS.', workplace: 'Sở Nông nghiệp và Môi trường tỉnh Tây Ninh' },
  { memberId: 'm7', name: 'Ông Ích Khiêm', email: 'khiem.oi@hoidong.example.vn', role: 'member', title: 'KS.', workplace: 'Hợp tác xã Nông nghiệp Thạnh Đức' },
  { memberId: 'm8', name: 'Đỗ Thị Hằng Nga', email: 'nga.dth@hoidong.example.vn', role: 'scientific_secretary', title: 'ThS.', workplace: 'Chi cục Trồng trọt và Bảo vệ thực vật tỉnh Tây Ninh' },
  // Of the host's institute: the conflict the formation decision records (C-6).
  { memberId: 'm9', name: 'Bùi Xuân Trường', email: 'truong.bx@hoidong.example.vn', role: 'member', title: 'TS.', workplace: 'Viện Sinh học Nhiệt đới' },
];

const officer = { userId: MANAGER.userId, name: MANAGER.name, email: 'thang.td@skhcn.example.vn' };

/** The task on the day it was liquidated: every earlier step is on record. */
export function liquidatedState(): TaskState {
  return {
    taskId: TASK_ID,
    workflowId: `task-${TASK_ID}`,
    departmentId: 'skhcn-tay-ninh',
    stage: 'LIQUIDATED',
    version: 61,
    ruleSet: { regime: 'LEGACY_2013', provinceProfile: 'tay-ninh', version: '2026.1' },
    proposal: {
      title: TITLE,
      urgency: 'Xâm nhập mặn ngày càng nghiêm trọng ở vùng hạ lưu sông Vàm Cỏ; cần giống lúa thích ứng.',
      objectives: 'Chọn tạo 02 giống lúa chịu mặn 4‰, năng suất ≥ 6 tấn/ha; xây dựng quy trình canh tác.',
      expectedProducts: ['02 giống lúa chịu mặn được công nhận', 'Quy trình kỹ thuật canh tác', 'Bài báo khoa học (≥ 2)'],
      resultUsage: 'Chuyển giao cho Trung tâm Khuyến nông và các hợp tác xã ở huyện Bến Lức, Cần Đước.',
      durationMonths: 24,
      budget: { stateBudget: 1_500_000_000, otherSources: 250_000_000 },
      level: 'provincial',
      form: 'research_topic',
      proposer: { name: 'Nguyễn Thị Hương', organisation: 'Viện Sinh học Nhiệt đới', email: HOST.pi.email },
    },
    owner: { userId: 'u-researcher-1', orgId: HOST.orgId },
    submittedAt: '2026-01-12T02:15:00.000Z',
    timeline: [
      { at: '2026-01-12T02:15:00.000Z', stage: 'PROPOSED', rule: 'L-1', by: { userId: 'u-researcher-1', role: 'researcher', name: 'Nguyễn Thị Hương' }, action: 'fileProposal' },
      { at: '2028-03-02T03:00:00.000Z', stage: 'RESULT_RECOGNIZED', rule: 'L-21', by: MANAGER, action: 'recognizeResult', note: 'Bổ sung số liệu thử nghiệm vụ Đông Xuân vào báo cáo tổng hợp trước ngày 15/03/2028.' },
    ],
    documents: [
      { documentId: 'doc-aaaaaaaaaaaaaaaaaaaaaaa1', kind: 'task_approval_decision', title: 'Quyết định phê duyệt', stateHash: 'x', createdAt: '2026-05-04T03:00:00.000Z', number: '07/QĐ-SKHCN' },
      { documentId: 'doc-aaaaaaaaaaaaaaaaaaaaaaa2', kind: 'contract', title: 'Hợp đồng', stateHash: 'x', createdAt: '2026-05-11T03:00:00.000Z', number: '03/2026/HĐ-SKHCN' },
      { documentId: 'doc-aaaaaaaaaaaaaaaaaaaaaaa3', kind: 'recognition_decision', title: 'Quyết định công nhận', stateHash: 'x', createdAt: '2028-03-02T03:00:00.000Z', number: '41/QĐ-SKHCN' },
    ],
    assignment: 'competitive_selection',
    accountableOfficer: officer,
    host: HOST,
    call: {
      opensOn: '2026-02-02',
      closesOn: '2026-03-04',
      round: 1,
      dossiers: [
        { dossierId: 'HS-1-1', host: HOST, submittedAt: '2026-02-20T07:30:00.000Z', valid: true },
        { dossierId: 'HS-1-2', host: OTHER, submittedAt: '2026-03-03T09:45:00.000Z', valid: true },
        { dossierId: 'HS-1-3', host: { orgId: 'org-cong-ty', orgName: 'Công ty TNHH Nông nghiệp Xanh Bến Cầu', pi: { name: 'Đinh Thị Thuỷ', email: 'thuy.dt@nongnghiepxanh.example.vn' } }, submittedAt: '2026-03-04T16:59:00.000Z', valid: false },
      ],
    },
    councils: [
      { council: 'C-ID', outcome: 'RECOMMENDED', decidedAt: '2026-01-22T08:00:00.000Z', tally: { yes: 7, no: 1, notVoted: 0, present: 8, share: { num: 7, den: 8 }, councilId: `council-${TASK_ID}-C-ID-1` } },
      { council: 'C-SEL', outcome: 'SELECTED', decidedAt: '2026-03-25T08:00:00.000Z', tally: { present: 9 } },
      { council: 'C-BUD', outcome: 'APPRAISED', decidedAt: '2026-04-20T03:00:00.000Z', tally: { requested: 1_750_000_000, appraisedState: 1_480_000_000, appraisedOther: 250_000_000 } },
      {
        council: 'C-ACC', outcome: 'PASS', decidedAt: '2028-02-20T09:30:00.000Z',
        tally: { counts: { EXCELLENT: 5, PASS: 4, FAIL: 0, notRated: 0 }, present: 9, shares: { EXCELLENT: { num: 5, den: 9 }, PASS: { num: 9, den: 9 } }, councilId: `council-${TASK_ID}-C-ACC-1` },
      },
    ],
    approval: { durationMonths: 24, fundingMode: 'partial_lump_sum', approvedOn: '2026-05-04', products: ['02 giống lúa chịu mặn được công nhận', 'Quy trình kỹ thuật canh tác lúa chịu mặn', 'Bài báo khoa học (≥ 2)'] },
    contract: {
      hostSignedAt: '2026-05-08T02:00:00.000Z', departmentSignedAt: '2026-05-11T03:00:00.000Z', startOn: '2026-05-11', endOn: '2027-11-10', originalEndOn: '2027-11-10',
      hostSignedBy: { userId: 'u-researcher-9', role: 'researcher', name: 'Hồ Thị Kiều Oanh' }, departmentSignedBy: MANAGER,
    },
    funds: {
      approvedState: 1_480_000_000,
      approvedOther: 250_000_000,
      disbursed: 1_200_000_000,
      disbursements: [{ on: '2026-05-20', amount: 700_000_000 }, { on: '2027-01-15', amount: 500_000_000 }],
      refundDue: { unspent: 37_500_000, spentShare: 0, total: 37_500_000, cause: 'objective', basis: { vi: 'Hoàn trả kinh phí chưa sử dụng: 37.500.000 đồng.', en: 'Unspent funds returned: 37.500.000 VND.' } },
      refunded: 37_500_000,
    },
    reports: [
      { period: 1, dueOn: '2026-11-11', submittedAt: '2026-11-05T03:00:00.000Z', late: false },
      { period: 2, dueOn: '2027-05-11', submittedAt: '2027-05-14T03:00:00.000Z', late: true },
    ],
    adjustments: [{ kind: 'A-3', requestedAt: '2027-07-01T03:00:00.000Z', details: { months: 6 }, decision: 'approved', decidedAt: '2027-07-10T03:00:00.000Z' }],
    extensionsGranted: 1,
    inspections: [{ startedAt: '2027-03-01T02:00:00.000Z', noticeOn: '2027-03-10', conclusion: 'continue', findings: 'Tiến độ đạt khoảng 45% khối lượng; thí nghiệm vụ Hè Thu chậm 3 tuần do mặn xâm nhập sớm.', concludedAt: '2027-03-10T08:00:00.000Z' }],
    pausedDays: 0,
    acceptance: { dossierSubmittedAt: '2028-01-05T03:00:00.000Z', late: false, complete: true, councilFormedOn: '2028-01-12', rating: 'PASS', fundsSpent: 1_162_500_000 },
    registration: { certificates: ['GCN-2028-0042', 'GCN-2028-0043'], registeredAt: '2028-03-20T03:00:00.000Z' },
    obligations: [
      { id: 'acceptance_dossier-1', kind: 'acceptance_dossier', rule: 'L-18', deliverable: { vi: 'Hồ sơ đánh giá nghiệm thu', en: 'Acceptance dossier' }, assignee: 'host', assigneeName: 'Viện Sinh học Nhiệt đới (Nguyễn Thị Hương)', dueOn: '2028-06-09', status: 'DONE', pausable: true, reminded: false, escalated: false },
      { id: 'result_registration-1', kind: 'result_registration', rule: 'L-22', deliverable: { vi: 'Đăng ký kết quả thực hiện nhiệm vụ', en: 'Register the results' }, assignee: 'host', assigneeName: 'Viện Sinh học Nhiệt đới (Nguyễn Thị Hương)', dueOn: '2028-03-21', status: 'DONE', pausable: false, reminded: true, escalated: false },
    ],
    councilSittings: [],
    events: [],
    eventSeq: 0,
    closed: false,
  };
}

export function snapshotOf(kind: TaskDocumentKind, state: TaskState, o: { subject?: TaskDocumentSubject; issuedAt?: string } = {}): TaskDocumentSnapshot {
  return {
    kind,
    state,
    ...(o.subject ? { subject: o.subject } : {}),
    issuedAt: o.issuedAt ?? '2026-12-05T02:30:00.000Z',
    issuedBy: MANAGER,
    departmentName: DEPARTMENT,
    place: 'Tây Ninh',
  };
}

/** Each document kind with the state it is issued in and the item it is about. */
export function snapshotFor(kind: TaskDocumentKind): TaskDocumentSnapshot {
  const s = liquidatedState();
  switch (kind) {
    case 'council_formation_decision':
      return snapshotOf(kind, { ...s, stage: 'ACCEPTANCE_REVIEW' }, {
        issuedAt: '2028-01-12T03:00:00.000Z',
        subject: {
          council: {
            councilId: `council-${TASK_ID}-C-ACC-1`, kind: 'C-ACC', members: SEATS, meetingOn: '2028-02-20', votingDeadline: '2028-02-20T10:00:00.000Z', ballot: 'secret',
            conflicts: [{ memberId: 'm9', reason: 'Cùng cơ quan với chủ nhiệm nhiệm vụ' }],
          },
        },
      });
    case 'order_list_approval':
      return snapshotOf(kind, { ...s, stage: 'ORDER_LISTED' }, { issuedAt: '2026-01-26T03:00:00.000Z' });
    case 'call_notice':
      return snapshotOf(kind, { ...s, stage: 'CALL_OPEN' }, { issuedAt: '2026-02-02T02:00:00.000Z', subject: { round: 1 } });
    case 'dossier_opening_record':
      return snapshotOf(kind, { ...s, stage: 'DOSSIERS_OPENED' }, { issuedAt: '2026-03-10T02:00:00.000Z', subject: { round: 1 } });
    case 'budget_appraisal_record':
      return snapshotOf(kind, { ...s, stage: 'PENDING_APPROVAL' }, { issuedAt: '2026-04-20T03:00:00.000Z' });
    case 'task_approval_decision':
      return snapshotOf(kind, {
        ...s, stage: 'APPROVED',
        obligations: [{ id: 'contract_signing-1', kind: 'contract_signing', rule: 'L-11', deliverable: { vi: 'Ký hợp đồng thực hiện nhiệm vụ', en: 'Sign the task contract' }, assignee: 'host', assigneeName: 'Viện Sinh học Nhiệt đới (Nguyễn Thị Hương)', dueOn: '2026-06-03', status: 'OPEN', pausable: true, reminded: false, escalated: false }],
      }, { issuedAt: '2026-05-04T03:00:00.000Z' });
    case 'contract':
      return snapshotOf(kind, { ...s, stage: 'CONTRACTED', contract: { ...s.contract!, endOn: '2028-05-10', originalEndOn: '2028-05-10' }, reports: [{ period: 1, dueOn: '2026-11-11' }, { period: 2, dueOn: '2027-05-11' }, { period: 3, dueOn: '2027-11-11' }] }, { issuedAt: '2026-05-11T03:00:00.000Z' });
    case 'contract_annex':
    case 'adjustment_decision':
      return snapshotOf(kind, { ...s, stage: 'IN_PROGRESS', contract: { ...s.contract!, endOn: '2028-11-10' } }, {
        issuedAt: '2027-07-10T03:00:00.000Z',
        subject: { adjustment: { index: 0, changes: [{ clause: 'Điều 2. Thời gian thực hiện (gia hạn, A-3)', before: 'Đến ngày 10/05/2028', after: 'Đến ngày 10/11/2028 (gia hạn 6 tháng)' }] } },
      });
    case 'inspection_record':
      // On the inspection day: the first report is in, the second not yet due; the host was notified on 01/03/2027.
      return snapshotOf(kind, {
        ...s, stage: 'IN_PROGRESS',
        reports: [s.reports[0]!, { period: 2, dueOn: '2027-05-11' }],
        inspections: [{ ...s.inspections[0]!, noticeOn: '2027-03-01' }],
      }, { issuedAt: '2027-03-10T08:00:00.000Z', subject: { inspection: { index: 0 } } });
    case 'suspension_notice':
      return snapshotOf(kind, {
        ...s, stage: 'SUSPENDED',
        suspension: { since: '2027-03-12T03:00:00.000Z', sinceOn: '2027-03-12', remedyDueOn: '2027-05-11', grounds: 'Chậm tiến độ nghiêm trọng: chưa triển khai thí nghiệm đồng ruộng vụ Hè Thu.', resumeTo: 'IN_PROGRESS' },
        obligations: [{ id: 'progress_report-2', kind: 'progress_report', rule: 'L-13', deliverable: { vi: 'Báo cáo định kỳ kỳ 2', en: 'Progress report, period 2' }, assignee: 'host', assigneeName: 'Viện Sinh học Nhiệt đới (Nguyễn Thị Hương)', dueOn: '2027-05-11', status: 'OPEN', pausable: true, reminded: false, escalated: false }],
      }, { issuedAt: '2027-03-12T03:00:00.000Z', subject: { suspension: { n: 1 } } });
    case 'termination_decision':
      return snapshotOf(kind, {
        ...s, stage: 'TERMINATED',
        termination: { initiatedBy: 'department', grounds: 'Không khắc phục trong thời hạn tạm dừng (11/05/2027).', proposedAt: '2027-05-12T03:00:00.000Z', observationEndsOn: '2027-06-11', observations: 'Đề nghị xem xét do thời tiết bất thường.', resumeTo: 'IN_PROGRESS', decision: 'terminated', cause: 'subjective' },
        funds: { ...s.funds, refundDue: { unspent: 200_000_000, spentShare: 300_000_000, total: 500_000_000, cause: 'subjective', basis: { vi: 'Hoàn trả kinh phí chưa sử dụng 200.000.000 đồng và 30% kinh phí đã sử dụng (300.000.000 đồng).', en: '' } }, refunded: 0 },
        debarment: { until: '2029-06-15', orgId: HOST.orgId, piEmail: HOST.pi.email, reason: 'T-2' },
      }, { issuedAt: '2027-06-15T03:00:00.000Z' });
    case 'acceptance_minutes':
    case 'recognition_decision':
    {
      const { registration: _registered, ...recognized } = s;
      return snapshotOf(kind, { ...recognized, stage: 'RESULT_RECOGNIZED' }, { issuedAt: '2028-03-02T03:00:00.000Z' });
    }
    case 'registration_certificate':
      return snapshotOf(kind, { ...s, stage: 'RESULT_REGISTERED' }, { issuedAt: '2028-03-20T03:00:00.000Z', subject: { certificate: { number: 'GCN-2028-0043', index: 1 } } });
    case 'liquidation_record':
      return snapshotOf(kind, s, { issuedAt: '2028-04-15T03:00:00.000Z' });
  }
}

/** A decided C-SEL or C-ACC sitting of the task, with every member's ballot (an open ballot has score sheets). */
export function openView(kind: 'C-SEL' | 'C-ACC', ballot: 'open' | 'secret' = 'open'): CouncilView {
  const members = SEATS.map((m) => ({ ...m, declared: true, conflicted: false, present: true, voted: true }));
  const ballots =
    kind === 'C-SEL'
      ? SEATS.flatMap((m) => [
          { memberId: m.memberId, ballot: { kind: 'C-SEL' as const, dossierId: 'HS-1-1', scores: { rationale: 8, content: 21.5, products: 20, applicability: 12, capacity: 13, budget: 8 }, comment: m.memberId === 'm3' ? 'Cần làm rõ phương pháp thử nghiệm mặn 4‰.' : undefined } },
          { memberId: m.memberId, ballot: { kind: 'C-SEL' as const, dossierId: 'HS-1-2', scores: { rationale: 7, content: 18, products: 17, applicability: 11, capacity: 10, budget: 7 } } },
        ])
      : SEATS.map((m) => ({ memberId: m.memberId, ballot: { kind: 'C-ACC' as const, products: [{ productId: 'Giống lúa chịu mặn ST-TN1', quantity: 'PASS' as const, volume: 'PASS' as const, quality: 'EXCELLENT' as const, orderedAmount: 2, deliveredAmount: 2 }], report: 'PASS' as const, comment: 'Báo cáo đầy đủ.' } }));
  return {
    councilId: `council-${TASK_ID}-${kind}-1`, taskId: TASK_ID, taskTitle: TITLE, kind, ballot, status: 'DECIDED', meetingOn: '2026-03-25', votingDeadline: '2026-03-25T10:00:00.000Z',
    members, ...(kind === 'C-SEL' ? { dossiers: ['HS-1-1', 'HS-1-2'], criteria: [{ id: 'rationale', max: 10 }, { id: 'content', max: 25 }, { id: 'products', max: 25, products: true }, { id: 'applicability', max: 15 }, { id: 'capacity', max: 15 }, { id: 'budget', max: 10 }] } : {}),
    postponements: [], writtenReviews: [],
    ...(ballot === 'open' ? { openBallots: ballots.map((b) => ({ memberId: b.memberId, ballot: JSON.parse(JSON.stringify(b.ballot)) })) } : {}),
    result: { kind, outcome: kind === 'C-SEL' ? 'SELECTED' : 'PASS', figures: {}, explanation: { rule: kind, vi: '', en: '' }, decidedAt: '2026-03-25T09:00:00.000Z', missingVotes: 0 },
    version: 30,
  };
}

