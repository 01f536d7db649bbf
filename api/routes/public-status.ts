/**
 * Public status lookup (issue 11, no sign-in): a person types the code from their receipt e-mail
 * and the e-mail address they filed with, and sees the stage, the date of the last step and what
 * is expected next.
 *
 * The code is the task code of a proposal ("NV-…", the acknowledgement's "Mã nhiệm vụ"), or a
 * dossier's: the task code and the dossier code ("HS-1-2", the receipt's "Mã hồ sơ") joined by a
 * slash, "NV-…/HS-1-2". Case and spaces do not matter. The e-mail must be one the filing knows:
 * for a proposal, the proposer's, or that of an account of the organisation that filed it; for a
 * dossier, its principal investigator's, or that of an account of the applicant organisation (the
 * same people the web app shows the task to).
 *
 * An unknown code, a code of another Department and a wrong pair all get the same 404 (the same
 * body), after the same work (one read of the task by ID and one of the account by e-mail, both
 * always made) and no sooner than PUBLIC_STATUS_MIN_MS: neither the answer nor its timing tells
 * whether a code exists. Its own strict limit per IP address (RATE_LIMIT_STATUS_*).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { Router } from 'express';
import type { OpenAPIRegistry, ResponseConfig } from '@asteasolutions/zod-to-openapi';
import { z } from '../zod';
import { email as emailAddress } from '../zod';
import type { TaskDoc, UserDoc } from '../../activities/store';
import { TaskStage as S, type TaskStage } from '../../workflows/definitions';
import { STAGE_LABELS, type Names } from '../../workflows/labels';
import { vnDateOf } from '../../workflows/rules/calendar';
import { requireJsonBody } from '../body';
import type { ApiDeps } from '../deps';
import { pickLocale } from '../i18n';
import { notFound, parseOrThrow } from '../problem';

/** What is expected next, stage by stage (domain.md §2), as a filer would read it. */
export const EXPECTED_NEXT: Record<TaskStage, Names> = {
  PROPOSED: { vi: 'Sở Khoa học và Công nghệ xem xét đề xuất và thành lập hội đồng tư vấn xác định nhiệm vụ.', en: 'The Department reviews the proposal and forms the identification council.' },
  IDENTIFICATION_REVIEW: { vi: 'Hội đồng tư vấn xác định nhiệm vụ họp và bỏ phiếu; sau đó cấp có thẩm quyền phê duyệt danh mục nhiệm vụ đặt hàng.', en: 'The identification council meets and votes; the approver then approves the list of ordered tasks.' },
  ORDER_LISTED: { vi: 'Nhiệm vụ đã vào danh mục đặt hàng; Sở sẽ thông báo tuyển chọn hoặc giao trực tiếp tổ chức chủ trì.', en: 'The task is on the list of ordered tasks; the Department will open a call for applications or assign a host directly.' },
  CALL_OPEN: { vi: 'Sở đang nhận hồ sơ đăng ký tuyển chọn; hồ sơ được mở và kiểm tra tính hợp lệ sau khi hết hạn nộp.', en: 'The Department is taking application dossiers; they are opened and checked for validity after the call closes.' },
  DOSSIERS_OPENED: { vi: 'Hồ sơ đã được mở; Sở thành lập hội đồng tư vấn tuyển chọn để đánh giá các hồ sơ hợp lệ.', en: 'The dossiers have been opened; the Department forms the selection council to assess the valid ones.' },
  SELECTION_REVIEW: { vi: 'Hội đồng tư vấn tuyển chọn, giao trực tiếp đánh giá hồ sơ; kết quả được thông báo sau phiên họp.', en: 'The selection council assesses the dossiers; the result is announced after its meeting.' },
  SELECTED: { vi: 'Tổ chức được tuyển chọn hoàn thiện thuyết minh theo ý kiến của hội đồng.', en: 'The selected host revises the proposal as the council asked.' },
  PROPOSAL_REVISION: { vi: 'Tổ chức chủ trì hoàn thiện thuyết minh; sau đó kinh phí được thẩm định.', en: 'The host revises the proposal; the budget is then appraised.' },
  BUDGET_APPRAISAL: { vi: 'Tổ thẩm định xem xét dự toán kinh phí; sau đó nhiệm vụ được trình phê duyệt.', en: 'The appraisal group reviews the budget; the task then goes for approval.' },
  PENDING_APPROVAL: { vi: 'Cấp có thẩm quyền xem xét phê duyệt tổ chức chủ trì, chủ nhiệm nhiệm vụ và kinh phí.', en: 'The approver considers the host, the principal investigator and the budget.' },
  APPROVED: { vi: 'Sở và tổ chức chủ trì ký hợp đồng thực hiện nhiệm vụ.', en: 'The Department and the host sign the contract.' },
  CONTRACTED: { vi: 'Sở cấp kinh phí lần đầu để bắt đầu thực hiện nhiệm vụ.', en: 'The Department makes the first disbursement and the work starts.' },
  IN_PROGRESS: { vi: 'Nhiệm vụ đang được thực hiện; tổ chức chủ trì báo cáo tiến độ định kỳ và Sở kiểm tra theo kế hoạch.', en: 'The work is under way; the host reports progress periodically and the Department inspects as planned.' },
  SELF_EVALUATION: { vi: 'Tổ chức chủ trì tự đánh giá kết quả và nộp hồ sơ đánh giá nghiệm thu.', en: 'The host evaluates the results and files the acceptance dossier.' },
  ACCEPTANCE_SUBMITTED: { vi: 'Sở kiểm tra tính đầy đủ của hồ sơ và thành lập hội đồng đánh giá nghiệm thu.', en: 'The Department checks the acceptance dossier and forms the acceptance council.' },
  ACCEPTANCE_REVIEW: { vi: 'Hội đồng đánh giá nghiệm thu họp và đánh giá kết quả thực hiện nhiệm vụ.', en: 'The acceptance council meets and rates the results.' },
  ACCEPTED_EXCELLENT: { vi: 'Tổ chức chủ trì hoàn thiện hồ sơ theo ý kiến hội đồng; Sở ra quyết định công nhận kết quả.', en: 'The host finalises the results as the council asked; the Department recognises them.' },
  ACCEPTED_PASS: { vi: 'Tổ chức chủ trì hoàn thiện hồ sơ theo ý kiến hội đồng; Sở ra quyết định công nhận kết quả.', en: 'The host finalises the results as the council asked; the Department recognises them.' },
  RESULT_RECOGNIZED: { vi: 'Tổ chức chủ trì đăng ký, giao nộp kết quả thực hiện nhiệm vụ.', en: 'The host registers the results.' },
  RESULT_REGISTERED: { vi: 'Sở và tổ chức chủ trì quyết toán kinh phí.', en: 'The Department and the host settle the accounts.' },
  FINANCIAL_SETTLEMENT: { vi: 'Sở và tổ chức chủ trì thanh lý hợp đồng.', en: 'The Department and the host liquidate the contract.' },
  LIQUIDATED: { vi: 'Hợp đồng đã được thanh lý; hồ sơ nhiệm vụ được lưu trữ.', en: 'The contract has been liquidated; the task\'s records are archived.' },
  ARCHIVED: { vi: 'Nhiệm vụ đã kết thúc; không còn bước nào tiếp theo.', en: 'The task has ended; no step follows.' },
  PROPOSAL_REJECTED: { vi: 'Đề xuất không được phê duyệt; không còn bước nào tiếp theo.', en: 'The proposal was not approved; no step follows.' },
  NO_QUALIFIED_APPLICANT: { vi: 'Không có hồ sơ đủ điều kiện; Sở có thể thông báo tuyển chọn lại hoặc giao trực tiếp.', en: 'No dossier qualified; the Department may open a new call or assign a host directly.' },
  CANCELLED_BEFORE_CONTRACT: { vi: 'Nhiệm vụ đã được đưa ra khỏi danh mục; không còn bước nào tiếp theo.', en: 'The task was taken off the list; no step follows.' },
  UNDER_INSPECTION: { vi: 'Sở đang kiểm tra tiến độ; kết luận kiểm tra sẽ được thông báo.', en: 'The Department is inspecting progress; its conclusion will be notified.' },
  ADJUSTMENT_PENDING: { vi: 'Sở xem xét đề nghị điều chỉnh và ra quyết định.', en: 'The Department considers the adjustment request and decides.' },
  SUSPENDED: { vi: 'Nhiệm vụ tạm dừng; tổ chức chủ trì khắc phục trong thời hạn đã được thông báo.', en: 'The task is suspended; the host remedies within the notified deadline.' },
  TERMINATION_PENDING: { vi: 'Sở xem xét việc chấm dứt hợp đồng và ra quyết định.', en: 'The Department considers terminating the contract and decides.' },
  TERMINATED: { vi: 'Hợp đồng đã chấm dứt; Sở thu hồi kinh phí và thanh lý hợp đồng.', en: 'The contract was terminated; the Department recovers the funds and liquidates the contract.' },
  ACCEPTANCE_FAILED: { vi: 'Kết quả không đạt; Sở thu hồi kinh phí và thanh lý hợp đồng.', en: 'The results failed acceptance; the Department recovers the funds and liquidates the contract.' },
  WITHDRAWN: { vi: 'Hồ sơ đã được rút; không còn bước nào tiếp theo.', en: 'The application was withdrawn; no step follows.' },
};

export type DossierStatus = 'received' | 'valid' | 'invalid' | 'selected' | 'not_selected';
export const DOSSIER_STATUS_LABELS: Record<DossierStatus, Names> = {
  received: { vi: 'Đã nhận, chờ mở hồ sơ', en: 'Received, to be opened' },
  valid: { vi: 'Hợp lệ, chờ hội đồng tuyển chọn', en: 'Valid, before the selection council' },
  invalid: { vi: 'Không hợp lệ', en: 'Invalid' },
  selected: { vi: 'Được tuyển chọn', en: 'Selected' },
  not_selected: { vi: 'Không được tuyển chọn', en: 'Not selected' },
};
const DOSSIER_ENDED: Names = { vi: 'Không còn bước nào tiếp theo đối với hồ sơ này.', en: 'No step follows for this dossier.' };

/** The stages after the selection (L-7) on the way to a contract and beyond. */
const AFTER_SELECTION = new Set<TaskStage>([
  S.SELECTED, S.PROPOSAL_REVISION, S.BUDGET_APPRAISAL, S.PENDING_APPROVAL, S.APPROVED, S.CONTRACTED, S.IN_PROGRESS, S.SELF_EVALUATION,
  S.ACCEPTANCE_SUBMITTED, S.ACCEPTANCE_REVIEW, S.ACCEPTED_EXCELLENT, S.ACCEPTED_PASS, S.RESULT_RECOGNIZED, S.RESULT_REGISTERED,
  S.FINANCIAL_SETTLEMENT, S.LIQUIDATED, S.ARCHIVED, S.UNDER_INSPECTION, S.ADJUSTMENT_PENDING, S.SUSPENDED, S.TERMINATION_PENDING,
  S.TERMINATED, S.ACCEPTANCE_FAILED, S.CANCELLED_BEFORE_CONTRACT,
]);

/** As typed from a receipt: "NV-…" or "NV-…/HS-1-2", any case, spaces allowed around the parts. */
const CODE = /^\s*[Nn][Vv]-[0-9A-Za-z]{10,32}\s*(\/\s*[Hh][Ss]-[0-9]{1,3}-[0-9]{1,5}\s*)?$/;

export const PublicStatusBody = z
  .object({
    code: z
      .string()
      .max(80)
      .regex(CODE)
      .describe('From the receipt e-mail: the task code of a proposal ("NV-…"), or the task code and the dossier code joined by a slash ("NV-…/HS-1-2"); case and spaces do not matter'),
    email: emailAddress.describe('The e-mail address the proposal or dossier was filed with'),
  })
  .strict();

export const PublicStatus = z
  .object({
    code: z.string().describe('The code as the Department writes it'),
    kind: z.enum(['proposal', 'dossier']),
    title: z.string(),
    stage: z.object({ code: z.string(), name: z.object({ vi: z.string(), en: z.string() }).strict() }).strict(),
    lastStepOn: z.string().describe('Date of the last step (YYYY-MM-DD, Vietnam)'),
    next: z.object({ vi: z.string(), en: z.string() }).strict().describe('What is expected next'),
    dossier: z
      .object({
        code: z.string(),
        submittedOn: z.string(),
        status: z.enum(['received', 'valid', 'invalid', 'selected', 'not_selected']),
        statusName: z.object({ vi: z.string(), en: z.string() }).strict(),
      })
      .strict()
      .optional()
      .describe('A dossier\'s own state in the call'),
  })
  .strict();

const sameText = (a: string, b: string) => timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());

type LookupTask = Pick<TaskDoc, '_id' | 'departmentId' | 'stage' | 'proposal' | 'owner' | 'call' | 'host' | 'councils' | 'timeline' | 'assignment'>;

export function publicStatusRouter(deps: ApiDeps): Router {
  const { config, store } = deps;
  const r = Router();

  r.post('/public/status', async (req, res) => {
    const started = Date.now();
    const locale = pickLocale(req);
    const body = parseOrThrow(PublicStatusBody, requireJsonBody(req, false), locale);
    const [taskPart, dossierPart] = body.code.replace(/\s+/g, '').toUpperCase().split('/') as [string, string | undefined];
    const email = body.email.trim().toLowerCase();
    // Both reads, always: the work does not depend on whether the code exists.
    const [task, account] = await Promise.all([
      store.Task.findById(taskPart).select({ _id: 1, departmentId: 1, stage: 1, proposal: 1, owner: 1, call: 1, host: 1, councils: 1, timeline: 1, assignment: 1 }).lean<LookupTask>(),
      store.User.findOne({ email, active: true }).select({ _id: 1, orgId: 1 }).lean<Pick<UserDoc, '_id' | 'orgId'>>(),
    ]);
    const answer = task && task.departmentId === config.DEPARTMENT_ID ? statusOf(task, dossierPart, email, account) : undefined;
    // No sooner than the floor, found or not.
    const wait = config.PUBLIC_STATUS_MIN_MS - (Date.now() - started);
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    if (!answer) throw notFound();
    res.set('Cache-Control', 'no-store').json(answer);
  });

  return r;
}

function statusOf(t: LookupTask, dossierCode: string | undefined, email: string, account: Pick<UserDoc, '_id' | 'orgId'> | null) {
  const last = t.timeline.at(-1);
  const lastStepOn = vnDateOf(last?.at ?? new Date().toISOString());
  const stage = { code: t.stage, name: STAGE_LABELS[t.stage] };
  if (!dossierCode) {
    const knows = sameText(t.proposal.proposer.email.trim().toLowerCase(), email) || Boolean(account && (account._id === t.owner.userId || account.orgId === t.owner.orgId));
    if (!knows) return undefined;
    return { code: t._id, kind: 'proposal' as const, title: t.proposal.title, stage, lastStepOn, next: EXPECTED_NEXT[t.stage] };
  }
  const d = t.call?.dossiers.find((x) => x.dossierId === dossierCode);
  if (!d) return undefined;
  const knows = sameText(d.host.pi.email.trim().toLowerCase(), email) || Boolean(account && account.orgId === d.host.orgId);
  if (!knows) return undefined;
  const decided = t.councils.some((c) => c.council === 'C-SEL') || t.stage === S.NO_QUALIFIED_APPLICANT;
  const status: DossierStatus =
    d.valid === false
      ? 'invalid'
      : AFTER_SELECTION.has(t.stage) && t.host?.orgId === d.host.orgId
        ? 'selected'
        : decided || AFTER_SELECTION.has(t.stage)
          ? 'not_selected'
          : d.valid === true
            ? 'valid'
            : 'received';
  const submittedOn = vnDateOf(d.submittedAt);
  return {
    code: `${t._id}/${d.dossierId}`,
    kind: 'dossier' as const,
    title: t.proposal.title,
    stage,
    lastStepOn: lastStepOn > submittedOn ? lastStepOn : submittedOn,
    next: status === 'invalid' || status === 'not_selected' ? DOSSIER_ENDED : EXPECTED_NEXT[t.stage],
    dossier: { code: d.dossierId, submittedOn, status, statusName: DOSSIER_STATUS_LABELS[status] },
  };
}

export function registerPublicStatusPaths(registry: OpenAPIRegistry, h: { json: (d: string, s: z.ZodType) => ResponseConfig; errors: Record<string, ResponseConfig>; writeHeaders: z.ZodObject }): void {
  registry.registerPath({
    method: 'post',
    path: '/api/v1/public/status',
    operationId: 'publicStatus',
    summary: 'Where a proposal or an application dossier stands, by the code of its receipt and the e-mail it was filed with (no sign-in)',
    description:
      'No sign-in. code: "NV-…" (a proposal: the acknowledgement\'s task code) or "NV-…/HS-1-2" (a dossier: the task code and the receipt\'s dossier code). email: the proposer\'s or PI\'s address, or that of an account of the organisation that filed it. An unknown code, another Department\'s, or a code with another e-mail all get the same 404, no sooner than the others (PUBLIC_STATUS_MIN_MS). A strict limit per IP address of its own (RATE_LIMIT_STATUS_MAX per RATE_LIMIT_STATUS_WINDOW_MS). A read: no Idempotency-Key.',
    security: [],
    request: { headers: h.writeHeaders, body: { required: true, content: { 'application/json': { schema: PublicStatusBody } } } },
    responses: { 200: h.json('The stage, the date of the last step and what is expected next', PublicStatus), ...h.errors },
  });
}
