/**
 * Task states for portfolio tests and the portfolio benchmark: a state as the
 * lifecycle workflow would hold it, described by what a dashboard looks at
 * (stage, host, officer, contract end, obligations, money, stop), written
 * through the read-model writer like the recordTask activity does.
 */
import type { HostParty, IsoDate, ObligationStatus, Person, TaskForm, TaskLevel, TaskStage, TaskState } from '../../workflows/definitions';
import { startOfVnDay } from '../../workflows/rules/calendar';
import { initialState } from '../../workflows/lifecycle-state';
import { openObligation } from '../../workflows/rules/obligations';
import { sampleProposal } from './stack';

export const DEPT = 'skhcn-tay-ninh';

export interface ObligationSpec {
  id?: string;
  kind: string;
  rule?: string;
  assignee?: 'host' | 'department';
  dueOn: IsoDate;
  status?: ObligationStatus;
  pausable?: boolean;
  right?: boolean;
  evidence?: string;
}

export interface PortfolioTaskSpec {
  taskId: string;
  departmentId?: string;
  code?: string;
  title?: string;
  level: TaskLevel;
  form: TaskForm;
  stage: TaskStage;
  submittedAt?: string;
  host?: HostParty;
  officer?: Person & { userId: string };
  contract?: { startOn: IsoDate; endOn: IsoDate };
  approval?: { approvedOn: IsoDate; stateBudget: number; otherSources: number; durationMonths?: number };
  disbursements?: { on: IsoDate; amount: number }[];
  refunds?: { on: IsoDate; amount: number }[];
  /** Refunded in total (defaults to the dated refunds). */
  refunded?: number;
  /** T-3: the refund owed by the fund-recovery decision (total, integer VND). */
  refundDue?: number;
  /** L-22: the certificates of the results registered. */
  certificates?: string[];
  obligations?: ObligationSpec[];
  suspended?: boolean;
  extension?: 'pending' | 'approved' | 'refused';
  dossierFiledOn?: IsoDate;
  /** The stage entry that stopped it (STOP_STAGES), on a date, with its note. */
  stop?: { on: IsoDate; rule: string; stage?: TaskStage; note?: string; termination?: { initiatedBy: 'host' | 'department'; cause: 'objective' | 'subjective'; grounds: string } };
  version?: number;
}

const RULES: Record<string, string> = {
  progress_report: 'L-13', acceptance_dossier: 'L-18', adjustment_decision: 'L-14', suspension_remedy: 'T-1',
  termination_observations: 'T-2', dossier_completeness: 'L-19', contract_signing: 'L-11', result_registration: 'L-22',
};
const DEPARTMENT_KINDS = new Set(['adjustment_decision', 'dossier_completeness', 'acceptance_council', 'acceptance_meeting', 'open_dossiers']);

const at = (d: IsoDate) => new Date(Date.parse(startOfVnDay(d)) + 9 * 3600_000).toISOString(); // 09:00 in Vietnam

export function portfolioState(spec: PortfolioTaskSpec): TaskState {
  const proposal = sampleProposal({ title: spec.title ?? `Nhiệm vụ ${spec.taskId}`, level: spec.level, form: spec.form }) as TaskState['proposal'];
  const s = initialState(
    {
      taskId: spec.taskId,
      departmentId: spec.departmentId ?? DEPT,
      departmentName: 'Sở Khoa học và Công nghệ tỉnh Tây Ninh',
      place: 'Tây Ninh',
      publicBaseUrl: 'http://127.0.0.1:3000',
      ruleSet: { regime: 'LEGACY_2013', provinceProfile: 'tay-ninh', version: '2026.1' },
      proposal,
      submittedBy: { userId: 'u-researcher-1', role: 'researcher', name: proposal.proposer.name, email: proposal.proposer.email, orgId: spec.host?.orgId ?? 'org-vien-sinh-hoc', locale: 'vi' },
      submittedAt: spec.submittedAt ?? '2024-01-10T02:00:00.000Z',
    },
    `task-${spec.taskId}`,
  );
  s.stage = spec.stage;
  s.version = spec.version ?? 5;
  if (spec.code) s.imported = { code: spec.code, importedAt: s.submittedAt, by: { userId: 'import', role: 'admin', name: 'Nhập dữ liệu' }, summary: '' };
  if (spec.host) s.host = spec.host;
  if (spec.officer) s.accountableOfficer = spec.officer;
  if (spec.approval) {
    s.approval = { approvedOn: spec.approval.approvedOn, durationMonths: spec.approval.durationMonths ?? 24, fundingMode: 'partial_lump_sum', products: ['Báo cáo tổng hợp'] };
    s.funds.approvedState = spec.approval.stateBudget;
    s.funds.approvedOther = spec.approval.otherSources;
  }
  for (const d of spec.disbursements ?? []) {
    s.funds.disbursements.push({ on: d.on, amount: d.amount });
    s.funds.disbursed += d.amount;
  }
  if (spec.refunds) s.funds.refunds = spec.refunds.map((r) => ({ ...r }));
  s.funds.refunded = spec.refunded ?? (spec.refunds ?? []).reduce((t, r) => t + r.amount, 0);
  if (spec.refundDue !== undefined) s.funds.refundDue = { unspent: spec.refundDue, spentShare: 0, total: spec.refundDue, cause: 'subjective', basis: { vi: 'Kinh phí chưa sử dụng', en: 'Unspent funds' } };
  if (spec.certificates) s.registration = { certificates: spec.certificates, registeredAt: s.submittedAt };
  if (spec.contract) s.contract = { startOn: spec.contract.startOn, endOn: spec.contract.endOn, originalEndOn: spec.contract.endOn, hostSignedAt: at(spec.contract.startOn), departmentSignedAt: at(spec.contract.startOn) };
  if (spec.suspended) s.suspension = { since: s.submittedAt, sinceOn: '2026-01-01', remedyDueOn: '2026-03-01', grounds: 'Chậm tiến độ', resumeTo: 'IN_PROGRESS' };
  if (spec.extension) {
    s.adjustments.push({ kind: 'A-3', requestedAt: s.submittedAt, details: { months: 6 }, ...(spec.extension === 'pending' ? {} : { decision: spec.extension === 'approved' ? 'approved' : 'refused', decidedAt: s.submittedAt }) } as TaskState['adjustments'][number]);
    if (spec.extension === 'approved') s.extensionsGranted = 1;
  }
  if (spec.dossierFiledOn) s.acceptance = { dossierSubmittedAt: at(spec.dossierFiledOn), late: false, fundsSpent: 0 };
  for (const o of spec.obligations ?? []) {
    const ob = openObligation(s, {
      kind: o.kind,
      rule: o.rule ?? RULES[o.kind] ?? '§8',
      assignee: o.assignee ?? (DEPARTMENT_KINDS.has(o.kind) ? 'department' : 'host'),
      dueOn: o.dueOn,
      deliverable: { vi: `Nghĩa vụ ${o.kind}`, en: `Obligation ${o.kind}` },
      ...(o.pausable !== undefined ? { pausable: o.pausable } : {}),
      ...(o.right ? { right: true } : {}),
    });
    if (o.id) ob.id = o.id;
    if (o.status) ob.status = o.status;
    if (o.evidence) ob.evidence = o.evidence;
  }
  if (spec.stop) {
    s.timeline.push({ at: at(spec.stop.on), stage: spec.stop.stage ?? spec.stage, rule: spec.stop.rule, by: { userId: 'u-manager-1', role: 'manager', name: 'Trần Đức Thắng' }, action: 'stop', ...(spec.stop.note ? { note: spec.stop.note } : {}) });
    if (spec.stop.termination) s.termination = { ...spec.stop.termination, proposedAt: at(spec.stop.on), resumeTo: 'IN_PROGRESS', decision: 'terminated' };
  }
  return s;
}
