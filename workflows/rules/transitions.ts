/**
 * Which command is allowed in which stage by which role (domain.md §2).
 * Pure functions: no Temporal, no I/O. The lifecycle issue grows this table to
 * L-1..L-24 and every side state; the workflow's update validators and the API
 * both ask it, so a refusal has one reason wherever it is raised.
 */
import { TaskStage, type Role } from '../definitions';

export interface CommandRule {
  /** Rule ID of domain.md that the command implements. */
  rule: string;
  from: readonly TaskStage[];
  to: TaskStage;
  roles: readonly Role[];
}

export const COMMANDS = {
  /** L-2: the Department screens the proposal and forms the identification council. */
  startIdentificationReview: {
    rule: 'L-2',
    from: [TaskStage.PROPOSED],
    to: TaskStage.IDENTIFICATION_REVIEW,
    roles: ['manager'],
  },
} as const satisfies Record<string, CommandRule>;
export type CommandName = keyof typeof COMMANDS;

export type Refusal =
  | { code: 'FORBIDDEN_ROLE'; message: { vi: string; en: string } }
  | { code: 'TRANSITION_NOT_ALLOWED'; message: { vi: string; en: string } };

/** null when allowed; otherwise the reason, in Vietnamese and English. */
export function refusalFor(command: CommandName, stage: TaskStage, role: Role): Refusal | null {
  const rule: CommandRule = COMMANDS[command];
  if (!rule.roles.includes(role)) {
    return {
      code: 'FORBIDDEN_ROLE',
      message: {
        vi: `Vai trò "${role}" không được thực hiện thao tác này (${rule.rule}).`,
        en: `Role "${role}" may not perform this command (${rule.rule}).`,
      },
    };
  }
  if (!rule.from.includes(stage)) {
    return {
      code: 'TRANSITION_NOT_ALLOWED',
      message: {
        vi: `Không thể thực hiện ở giai đoạn ${stage}; chỉ được phép ở: ${rule.from.join(', ')} (${rule.rule}).`,
        en: `Not allowed in stage ${stage}; allowed only in: ${rule.from.join(', ')} (${rule.rule}).`,
      },
    };
  }
  return null;
}

/** Stages after which the lifecycle workflow has nothing left to do. */
export const TERMINAL_STAGES: readonly TaskStage[] = [TaskStage.ARCHIVED];
