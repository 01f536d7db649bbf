/** Vietnamese names of stages and task classes for the portfolio report and the import template. */
import type { TaskStage } from '../../workflows/definitions';

export const STAGE_LABELS_VI: Record<TaskStage, string> = {
  PROPOSED: 'Đề xuất',
  IDENTIFICATION_REVIEW: 'Đang xác định nhiệm vụ',
  ORDER_LISTED: 'Trong danh mục đặt hàng',
  CALL_OPEN: 'Đang thông báo tuyển chọn',
  DOSSIERS_OPENED: 'Đã mở hồ sơ',
  SELECTION_REVIEW: 'Đang tuyển chọn, giao trực tiếp',
  SELECTED: 'Được tuyển chọn',
  PROPOSAL_REVISION: 'Hoàn thiện thuyết minh',
  BUDGET_APPRAISAL: 'Thẩm định kinh phí',
  PENDING_APPROVAL: 'Chờ phê duyệt',
  APPROVED: 'Đã phê duyệt, chờ ký hợp đồng',
  CONTRACTED: 'Đã ký hợp đồng',
  IN_PROGRESS: 'Đang thực hiện',
  SELF_EVALUATION: 'Tự đánh giá',
  ACCEPTANCE_SUBMITTED: 'Đã nộp hồ sơ nghiệm thu',
  ACCEPTANCE_REVIEW: 'Đang đánh giá nghiệm thu',
  ACCEPTED_EXCELLENT: 'Nghiệm thu: Xuất sắc',
  ACCEPTED_PASS: 'Nghiệm thu: Đạt',
  RESULT_RECOGNIZED: 'Đã công nhận kết quả',
  RESULT_REGISTERED: 'Đã đăng ký kết quả',
  FINANCIAL_SETTLEMENT: 'Đang quyết toán',
  LIQUIDATED: 'Đã thanh lý hợp đồng',
  ARCHIVED: 'Đã lưu trữ',
  PROPOSAL_REJECTED: 'Đề xuất không được phê duyệt',
  NO_QUALIFIED_APPLICANT: 'Không có tổ chức đủ điều kiện',
  CANCELLED_BEFORE_CONTRACT: 'Đưa ra khỏi danh mục',
  UNDER_INSPECTION: 'Đang kiểm tra',
  ADJUSTMENT_PENDING: 'Chờ quyết định điều chỉnh',
  SUSPENDED: 'Tạm dừng',
  TERMINATION_PENDING: 'Chờ quyết định chấm dứt',
  TERMINATED: 'Chấm dứt',
  ACCEPTANCE_FAILED: 'Nghiệm thu: Không đạt',
  WITHDRAWN: 'Rút hồ sơ',
};

export const STOP_LABELS_VI: Partial<Record<TaskStage, string>> = {
  TERMINATED: 'Chấm dứt hợp đồng',
  ACCEPTANCE_FAILED: 'Nghiệm thu không đạt',
  CANCELLED_BEFORE_CONTRACT: 'Đưa ra khỏi danh mục trước khi ký hợp đồng',
  PROPOSAL_REJECTED: 'Đề xuất không được phê duyệt',
  WITHDRAWN: 'Tổ chức, cá nhân rút hồ sơ',
};

export const LEVEL_SHORT_VI: Record<string, string> = { national: 'Quốc gia', ministerial: 'Bộ', provincial: 'Tỉnh', grassroots: 'Cơ sở' };
