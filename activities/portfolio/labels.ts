/** Vietnamese names of stages and task classes for the portfolio report and the import template. */
import type { TaskStage } from '../../workflows/definitions';
import { STAGE_LABELS } from '../../workflows/labels';

/** From the shared table of names (workflows/labels.ts). */
export const STAGE_LABELS_VI = Object.fromEntries(Object.entries(STAGE_LABELS).map(([k, v]) => [k, v.vi])) as Record<TaskStage, string>;

export const STOP_LABELS_VI: Partial<Record<TaskStage, string>> = {
  TERMINATED: 'Chấm dứt hợp đồng',
  ACCEPTANCE_FAILED: 'Nghiệm thu không đạt',
  CANCELLED_BEFORE_CONTRACT: 'Đưa ra khỏi danh mục trước khi ký hợp đồng',
  PROPOSAL_REJECTED: 'Đề xuất không được phê duyệt',
  WITHDRAWN: 'Tổ chức, cá nhân rút hồ sơ',
};

export const LEVEL_SHORT_VI: Record<string, string> = { national: 'Quốc gia', ministerial: 'Bộ', provincial: 'Tỉnh', grassroots: 'Cơ sở' };
