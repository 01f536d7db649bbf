/**
 * The columns of every list that downloads as a file (issue 11): the dashboards' lists and the
 * task list. Headings in Vietnamese and English; coded values with their names from the one
 * table of names (workflows/labels.ts).
 */
import type { BudgetYear } from '../activities/portfolio/projection';
import type { EndingSoonItem, ObligationItem, RefundItem, StoppedItem, TimelineItem } from '../activities/portfolio/queries';
import type { TaskDoc } from '../activities/store';
import type { Locale, TaskForm, TaskLevel, TaskStage } from '../workflows/definitions';
import { ASSIGNMENT_LABELS, STAGE_LABELS, TASK_FORM_LABELS, TASK_LEVEL_LABELS } from '../workflows/labels';
import type { Column } from './export';
import { vnDateOf } from '../workflows/rules/calendar';
import { yesNo } from './export';

const h = (vi: string, en: string) => ({ vi, en });

export const stageName = (s: string, l: Locale) => STAGE_LABELS[s as TaskStage]?.[l] ?? s;
export const levelName = (s: string, l: Locale) => TASK_LEVEL_LABELS[s as TaskLevel]?.[l] ?? s;
export const formName = (s: string, l: Locale) => TASK_FORM_LABELS[s as TaskForm]?.[l] ?? s;

/** Where an obligation stands (§8), as a reader says it. */
export const OBLIGATION_STATUS_LABELS: Record<string, { vi: string; en: string }> = {
  OPEN: h('Chưa đến hạn', 'Open'),
  OVERDUE: h('Quá hạn', 'Overdue'),
  DONE: h('Đã hoàn thành', 'Done'),
  WAIVED: h('Được miễn', 'Waived'),
  CANCELLED: h('Đã hủy', 'Cancelled'),
};

const CODE = h('Mã nhiệm vụ', 'Task code');
const TITLE = h('Tên nhiệm vụ', 'Title');
const LEVEL = h('Cấp quản lý', 'Level');
const FORM = h('Hình thức', 'Form');
const STAGE = h('Giai đoạn', 'Stage');
const HOST = h('Tổ chức chủ trì', 'Host organisation');
const PI = h('Chủ nhiệm nhiệm vụ', 'Principal investigator');

export function obligationColumns(l: Locale): Column<ObligationItem>[] {
  return [
    { header: CODE, value: (r) => r.code },
    { header: TITLE, value: (r) => r.title, width: 50 },
    { header: LEVEL, value: (r) => levelName(r.level, l) },
    { header: STAGE, value: (r) => stageName(r.stage, l) },
    { header: h('Nghĩa vụ', 'Obligation'), value: (r) => r.deliverable[l], width: 50 },
    { header: h('Người thực hiện', 'Person'), value: (r) => r.person.name },
    { header: h('Đơn vị', 'Unit'), value: (r) => r.unit.name },
    { header: h('Cán bộ chịu trách nhiệm', 'Accountable officer'), value: (r) => r.accountable.name },
    { header: h('Hạn', 'Due on'), value: (r) => r.dueOn, kind: 'date' },
    { header: h('Số ngày quá hạn', 'Days overdue'), value: (r) => r.daysOverdue, kind: 'count' },
    { header: h('Tình trạng', 'Status'), value: (r) => OBLIGATION_STATUS_LABELS[r.status]?.[l] ?? r.status },
    { header: h('Quy định', 'Rule'), value: (r) => r.rule },
  ];
}

export function endingSoonColumns(l: Locale): Column<EndingSoonItem>[] {
  return [
    { header: CODE, value: (r) => r.code },
    { header: TITLE, value: (r) => r.title, width: 50 },
    { header: LEVEL, value: (r) => levelName(r.level, l) },
    { header: FORM, value: (r) => formName(r.form, l) },
    { header: STAGE, value: (r) => stageName(r.stage, l) },
    { header: HOST, value: (r) => r.host?.orgName },
    { header: PI, value: (r) => r.host?.pi.name },
    { header: h('Cán bộ theo dõi', 'Accountable officer'), value: (r) => r.accountableOfficer?.name },
    { header: h('Ngày kết thúc hợp đồng', 'Contract end'), value: (r) => r.endOn, kind: 'date' },
    { header: h('Số ngày còn lại', 'Days left'), value: (r) => r.daysLeft, kind: 'count' },
  ];
}

export function budgetColumns(): Column<BudgetYear & { label?: string }>[] {
  return [
    { header: h('Năm', 'Year'), value: (r) => r.label ?? r.year },
    { header: h('Kinh phí NSNN được duyệt (đồng)', 'State budget approved (VND)'), value: (r) => r.approvedState, kind: 'vnd' },
    { header: h('Kinh phí nguồn khác được duyệt (đồng)', 'Other sources approved (VND)'), value: (r) => r.approvedOther, kind: 'vnd' },
    { header: h('Kinh phí đã cấp (đồng)', 'Disbursed (VND)'), value: (r) => r.disbursed, kind: 'vnd' },
    { header: h('Kinh phí đã thu hồi (đồng)', 'Refunded (VND)'), value: (r) => r.refunded, kind: 'vnd' },
  ];
}

/** The counts as one table: group, code, name, value. */
export interface CountRow {
  group: string;
  key: string;
  name: string;
  value: number;
}
export function countColumns(): Column<CountRow>[] {
  return [
    { header: h('Nhóm', 'Group'), value: (r) => r.group },
    { header: h('Mã', 'Code'), value: (r) => r.key },
    { header: h('Tên', 'Name'), value: (r) => r.name, width: 40 },
    { header: h('Giá trị', 'Value'), value: (r) => r.value, kind: 'vnd' },
  ];
}

export function refundColumns(l: Locale): Column<RefundItem>[] {
  return [
    { header: CODE, value: (r) => r.code },
    { header: TITLE, value: (r) => r.title, width: 50 },
    { header: LEVEL, value: (r) => levelName(r.level, l) },
    { header: STAGE, value: (r) => stageName(r.stage, l) },
    { header: HOST, value: (r) => r.host?.orgName },
    { header: PI, value: (r) => r.host?.pi.name },
    { header: h('Phải hoàn trả (đồng)', 'Refund owed (VND)'), value: (r) => r.refundDue, kind: 'vnd' },
    { header: h('Đã thu hồi (đồng)', 'Recovered (VND)'), value: (r) => r.refunded, kind: 'vnd' },
    { header: h('Còn phải thu hồi (đồng)', 'Outstanding (VND)'), value: (r) => r.outstanding, kind: 'vnd' },
  ];
}

export function stoppedColumns(l: Locale): Column<StoppedItem>[] {
  return [
    { header: CODE, value: (r) => r.code },
    { header: TITLE, value: (r) => r.title, width: 50 },
    { header: LEVEL, value: (r) => levelName(r.level, l) },
    { header: FORM, value: (r) => formName(r.form, l) },
    { header: h('Dừng ở giai đoạn', 'Stopped as'), value: (r) => stageName(r.stoppedStage, l) },
    { header: h('Ngày dừng', 'Stopped on'), value: (r) => r.stoppedOn, kind: 'date' },
    { header: h('Lý do', 'Grounds'), value: (r) => r.stopGrounds, width: 50 },
    { header: h('Giai đoạn hiện tại', 'Current stage'), value: (r) => stageName(r.stage, l) },
    { header: HOST, value: (r) => r.host?.orgName },
    { header: h('Quy định', 'Rule'), value: (r) => r.stopRule },
  ];
}

export function timelineColumns(l: Locale): Column<TimelineItem>[] {
  const day = (d: string) => (l === 'vi' ? `${d.slice(8, 10)}/${d.slice(5, 7)}/${d.slice(0, 4)}` : d);
  return [
    { header: CODE, value: (r) => r.code },
    { header: TITLE, value: (r) => r.title, width: 50 },
    { header: STAGE, value: (r) => stageName(r.stage, l) },
    { header: HOST, value: (r) => r.host?.orgName },
    { header: h('Ngày bắt đầu hợp đồng', 'Contract start'), value: (r) => r.startOn, kind: 'date' },
    { header: h('Ngày kết thúc hợp đồng', 'Contract end'), value: (r) => r.endOn, kind: 'date' },
    { header: h('Các hạn trong khoảng thời gian', 'Deadlines in the period'), value: (r) => r.deadlines.map((x) => `${day(x.dueOn)}: ${x.deliverable[l]}${x.overdue ? (l === 'vi' ? ' (quá hạn)' : ' (overdue)') : ''}`).join('; '), width: 80 },
  ];
}

export function taskColumns(l: Locale): Column<TaskDoc>[] {
  return [
    { header: CODE, value: (r) => r.code ?? r._id },
    { header: h('Mã hệ thống', 'Task ID'), value: (r) => r._id },
    { header: TITLE, value: (r) => r.title, width: 50 },
    { header: STAGE, value: (r) => stageName(r.stage, l) },
    { header: LEVEL, value: (r) => levelName(r.level, l) },
    { header: FORM, value: (r) => formName(r.form, l) },
    { header: h('Phương thức giao', 'Assignment'), value: (r) => (r.assignment ? ASSIGNMENT_LABELS[r.assignment][l] : undefined) },
    { header: h('Ngày nộp đề xuất', 'Submitted on'), value: (r) => vnDateOf(r.submittedAt), kind: 'date' },
    { header: h('Tổ chức đề xuất', 'Proposing organisation'), value: (r) => r.proposal.proposer.organisation },
    { header: HOST, value: (r) => r.host?.orgName },
    { header: PI, value: (r) => r.host?.pi.name },
    { header: h('Hạn gần nhất', 'Next deadline'), value: (r) => r.nextDeadline, kind: 'date' },
    { header: h('Có nghĩa vụ quá hạn', 'Overdue'), value: (r) => yesNo(Boolean(r.overdue), l) },
    { header: h('Cán bộ theo dõi', 'Accountable officer'), value: (r) => r.accountableOfficer?.name },
  ];
}
