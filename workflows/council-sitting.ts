/**
 * One council sitting (hội đồng) as a child workflow of its task (domain.md §3):
 * members invited → conflicts declared (C-6) → attendance and quorum (C-2; no
 * quorum → postponed, rescheduled, membership may change) → votes as updates
 * with validators, inside the voting window, once per item (C-3, C-4) →
 * reminders to those who have not voted → the tally, a pure function stored
 * with its inputs (C-9) → the result signalled to the task's lifecycle.
 * A paper sitting (issue 13) goes through the same code: the administrative
 * secretary enters each member's ballot, which the same validators check and
 * the same tally counts. A tally that cannot be computed voids the meeting
 * (visible, reschedulable) instead of failing the workflow.
 * A secret ballot is never shown per member: the query and every write outside
 * the result store carry counts only.
 */
import {
  ApplicationFailure,
  condition,
  getExternalWorkflowHandle,
  patched,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities, EmailRequest } from '../activities';
import {
  councilDocumentsSignal,
  councilPageUrl,
  councilProblemSignal,
  councilResultSignal,
  councilUpdate,
  getCouncilViewQuery,
  NotRenderableType,
  notRenderable,
  taskWorkflowId,
  type CouncilBallot,
  type CouncilCommands,
  type CouncilInput,
  type CouncilResultRecord,
  type CouncilSeat,
  type CouncilStatus,
  type CouncilView,
  type VoteReceipt,
} from './definitions';
import { ruleSetFor } from './rules/ruleset';
import {
  acceptanceConclusion,
  councilSizeRefusal,
  identificationTally,
  memberAcceptanceRating,
  quorum,
  selectionTally,
  type Sitting,
} from './rules/tallies';
import { refuse, type Refusal } from './rules/transitions';
import { serialReadModelWriter } from './read-model-writer';
import { dmy, vnTimeAndDay } from './task-documents';
import { compareDates, vnDateOf } from './rules/calendar';
import { COUNCIL_KIND_LABELS, COUNCIL_OUTCOME_LABELS, days, timesAndDays } from './labels';

const { recordCouncil, storeCouncilResult, renderCouncilDocuments } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});
const { sendEmail } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '30 minutes' },
});

/** A reminder goes to members who have not voted this long before the window closes [D]. */
const REMINDER_BEFORE_MS = 24 * 3600_000;

/** Issue 6: a vote reminder still queued when the member has voted is dropped, not sent. */
const STALE_VOTE_REMINDER_PATCH = 'council-drop-stale-vote-reminders';
/**
 * Issue 13: a sitting whose attendance never came is void at its deadline; a tally that cannot be
 * computed voids the meeting instead of failing; the result reaches the task before the documents
 * and emails, and the ballot that completes the voting is answered once it has. Decided once per run.
 */
const COUNCIL_INTEGRITY_PATCH = 'council-integrity-13';
/**
 * Issue 17: e-mails go out from a loop of their own, so an SMTP outage (each e-mail retried for
 * up to 30 minutes between attempts) never holds up the sitting: voting closes, the tally is
 * counted and the result reaches the task on time; the sitting ends once its e-mails are out.
 */
const MAIL_ASIDE_PATCH = 'council-mail-aside-17';

export async function councilSittingWorkflow(input: CouncilInput): Promise<CouncilResultRecord> {
  const rs = ruleSetFor(input.ruleSet);
  const { workflowId } = workflowInfo();
  const v13 = patched(COUNCIL_INTEGRITY_PATCH);
  const mailAside = patched(MAIL_ASIDE_PATCH);
  const voting = input.voting ?? 'online';
  let members: CouncilSeat[] = input.members;
  let meetingOn = input.meetingOn;
  let votingDeadline = input.votingDeadline;
  let status: CouncilStatus = 'FORMED';
  let round = 1;
  let version = 1;
  const declarations: Record<string, { conflicted: boolean; reason?: string; at: string; by: string }> = {};
  for (const c of input.conflicts ?? []) declarations[c.memberId] = { conflicted: true, reason: c.reason, at: new Date().toISOString(), by: input.formedBy.userId };
  let attendance: { present: string[]; chairAuthorisedViceChair?: boolean } | undefined;
  /** Ballots by item key (member, or member + dossier for C-SEL). Kept for the tally only. */
  const ballots: Record<string, CouncilBallot> = {};
  const votedAt: Record<string, string> = {};
  const postponements: { at: string; reason: string }[] = [];
  const writtenReviews: CouncilView['writtenReviews'] = [];
  let tieBreak: string | undefined;
  let result: CouncilResultRecord | undefined;
  const outbox: EmailRequest[] = [];
  let changed = false;
  let tallyRefusal: CouncilView['tallyRefusal'];
  const liftedConflicts: NonNullable<CouncilView['liftedConflicts']> = [];
  const paperBallotFiles: NonNullable<CouncilView['paperBallotFiles']> = [];

  const now = () => new Date().toISOString();
  // The council's page (issue 10); activity inputs only, so histories recorded with the API path replay.
  const councilUrl = councilPageUrl(input.publicBaseUrl, input.councilId);
  const conflicted = () => members.filter((m) => declarations[m.memberId]?.conflicted).map((m) => m.memberId);
  const sitting = (): Sitting => ({
    members: members.map(({ memberId, name, role }) => ({ memberId, name, role })),
    present: attendance?.present ?? [],
    conflicted: conflicted(),
    ...(attendance?.chairAuthorisedViceChair ? { chairAuthorisedViceChair: true } : {}),
  });
  const items = (): string[] => (input.kind === 'C-SEL' ? input.dossiers ?? [] : ['item']);
  const itemOf = (b: CouncilBallot) => (b.kind === 'C-SEL' ? b.dossierId : 'item');
  const key = (memberId: string, item: string) => `${memberId}/${item}`;
  /** Present, declared, not conflicted: who votes (C-3, C-6). */
  const voters = () => members.filter((m) => attendance?.present.includes(m.memberId) && declarations[m.memberId] && !declarations[m.memberId]!.conflicted);
  const hasVotedAll = (memberId: string) => items().every((i) => ballots[key(memberId, i)]);
  const allVoted = () => voters().length > 0 && voters().every((m) => hasVotedAll(m.memberId));

  function view(): CouncilView {
    const q = attendance ? quorum(sitting(), rs) : undefined;
    return {
      councilId: input.councilId,
      taskId: input.taskId,
      taskTitle: input.taskTitle,
      kind: input.kind,
      ballot: input.ballot,
      status,
      meetingOn,
      votingDeadline,
      members: members.map((m) => ({
        ...m,
        declared: Boolean(declarations[m.memberId]),
        conflicted: Boolean(declarations[m.memberId]?.conflicted),
        ...(attendance ? { present: attendance.present.includes(m.memberId) } : {}),
        voted: hasVotedAll(m.memberId),
      })),
      ...(input.dossiers ? { dossiers: input.dossiers } : {}),
      ...(input.criteria ? { criteria: input.criteria } : {}),
      ...(q ? { quorum: { ok: q.ok, eligible: q.eligible, present: q.present, missing: q.missing } } : {}),
      postponements,
      writtenReviews,
      // C-4: per-member ballots only for an open ballot.
      ...(input.ballot === 'open' ? { openBallots: Object.entries(ballots).map(([k, ballot]) => ({ memberId: k.split('/')[0]!, ballot })) } : {}),
      ...(result ? { result } : {}),
      version,
      ...(input.voting ? { voting: input.voting } : {}),
      ...(input.products ? { products: input.products } : {}),
      ...(paperBallotFiles.length ? { paperBallotFiles } : {}),
      ...(tallyRefusal ? { tallyRefusal } : {}),
      ...(liftedConflicts.length ? { liftedConflicts } : {}),
    };
  }
  setHandler(getCouncilViewQuery, view);

  const snapshot = () => ({ ...view(), memberIds: members.map((m) => m.memberId), departmentTaskId: input.taskId });
  // One read-model write at a time, of the latest view: concurrent votes must not race their
  // writes (see read-model-writer.ts). Histories recorded before this wrote once per change.
  const writer = serialReadModelWriter(snapshot, (s) => recordCouncil(s));
  async function persist() {
    version += 1;
    changed = true;
    if (patched('serial-read-model-writes')) await writer.written(version);
    else await recordCouncil(snapshot());
  }

  function mail(to: CouncilSeat[], step: string, subject: { vi: string; en: string }, message: { vi: string; en: string }, attachments: EmailRequest['attachments'] = []) {
    for (const m of to) {
      outbox.push({
        ...(attachments.length ? { attachments } : {}),
        key: `${workflowId}/${step}/${m.memberId}`,
        to: [m.email],
        // Greeted by name (issue 12).
        recipients: [{ email: m.email, name: m.name }],
        template: 'task-event',
        locale: 'vi',
        data: { subject: subject.vi, message: message.vi, taskId: input.taskId, title: input.taskTitle, rule: input.kind, taskUrl: councilUrl },
        // Both languages travel with the email; the mail activity picks each member's own.
        i18n: { vi: { subject: subject.vi, message: message.vi }, en: { subject: subject.en, message: message.en } },
      });
    }
  }

  function invite() {
    // §7: the first invitation carries the decision forming the council (a rescheduled sitting may have other members).
    const decision = round === 1 && input.formationDecision ? [input.formationDecision] : [];
    const council = COUNCIL_KIND_LABELS[input.kind];
    mail(members, `invite-${round}`, { vi: `Mời tham gia ${council.vi}`, en: `Invitation: ${council.en}` }, {
      vi: `Ông/Bà được mời tham gia ${council.vi}, họp ngày ${dmy(meetingOn)}; hạn bỏ phiếu: ${vnTimeAndDay(votingDeadline)}. Vui lòng khai báo xung đột lợi ích trước khi xem hồ sơ. Hồ sơ và phiếu: ${councilUrl}`,
      en: `You are invited to sit on the ${council.en.toLowerCase()}, meeting on ${days(meetingOn).en}; voting closes at ${timesAndDays(votingDeadline).en}. Please declare any conflict of interest before reading the dossier.`,
    }, decision);
  }

  // ---------- validation ----------
  function fail(r: Refusal): never {
    throw ApplicationFailure.create({ type: r.code, message: r.message.en, details: [r], nonRetryable: true });
  }
  const memberOf = (id: string) => members.find((m) => m.memberId === id);
  const refusals: { [K in keyof CouncilCommands]: (p: CouncilCommands[K]) => Refusal | null } = {
    declareConflict: (p) => {
      if (status === 'DECIDED') return refuse('TRANSITION_NOT_ALLOWED', 'C-6', 'Hội đồng đã kết luận.', 'The council has decided.');
      if (!memberOf(p.memberId)) return refuse('NOT_A_MEMBER', 'C-6', 'Không phải thành viên hội đồng.', 'Not a member of this council.');
      const self = p.by.role === 'council_member' && p.by.userId === p.memberId;
      if (!self && p.by.role !== 'manager') return refuse('FORBIDDEN_ROLE', 'C-6', 'Chỉ thành viên tự khai báo hoặc cán bộ quản lý ghi nhận.', 'Only the member or a manager may record a declaration.');
      if (p.by.role === 'manager' && p.conflicted && !p.reason) return refuse('INVALID_COMMAND', 'C-6', 'Phải nêu lý do xung đột lợi ích.', 'A recorded conflict needs a reason.');
      if (items().some((i) => ballots[key(p.memberId, i)])) return refuse('PRECONDITION_FAILED', 'C-6', 'Thành viên đã bỏ phiếu; không thể thay đổi khai báo.', 'The member has voted; the declaration can no longer change.');
      return null;
    },
    recordAttendance: (p) => {
      if (p.by.role !== 'manager') return refuse('FORBIDDEN_ROLE', 'C-2', 'Chỉ thư ký hành chính (cán bộ Sở) ghi nhận điểm danh.', 'Only the administrative secretary records attendance.');
      if (status !== 'FORMED') return refuse('TRANSITION_NOT_ALLOWED', 'C-2', `Không thể điểm danh ở trạng thái ${status}.`, `Attendance cannot be recorded in status ${status}.`);
      const unknown = p.present.filter((id) => !memberOf(id));
      return unknown.length ? refuse('NOT_A_MEMBER', 'C-2', `Không phải thành viên: ${unknown.join(', ')}.`, `Not members: ${unknown.join(', ')}.`) : null;
    },
    castVote: (p) => {
      const m = p.by.role === 'council_member' ? memberOf(p.by.userId) : undefined;
      if (!m) return refuse('NOT_A_MEMBER', 'C-3', 'Chỉ thành viên hội đồng được bỏ phiếu.', 'Only members of this council may vote.');
      return ballotRefusal(m, p.ballot);
    },
    reschedule: (p) => {
      if (p.by.role !== 'manager') return refuse('FORBIDDEN_ROLE', 'C-2', 'Chỉ cán bộ quản lý được dời lịch họp.', 'Only a manager may reschedule.');
      if (status !== 'POSTPONED') return refuse('TRANSITION_NOT_ALLOWED', 'C-2', 'Chỉ dời lịch khi phiên họp bị hoãn.', 'Only a postponed sitting is rescheduled.');
      if (!(Date.parse(p.votingDeadline) > Date.now())) return refuse('INVALID_COMMAND', 'C-2', 'Hạn bỏ phiếu phải ở tương lai.', 'The voting deadline must be in the future.');
      return p.members ? councilSizeRefusal(input.kind, p.members, rs, input.level) : null;
    },
    chairTieBreak: (p) => {
      const m = memberOf(p.by.userId);
      if (p.by.role !== 'council_member' || m?.role !== 'chair') return refuse('FORBIDDEN_ROLE', 'C-SEL-2', 'Chỉ chủ tịch hội đồng quyết định khi bằng điểm.', 'Only the chair breaks a tie.');
      if (status !== 'AWAITING_CHAIR') return refuse('TRANSITION_NOT_ALLOWED', 'C-SEL-2', 'Không có hồ sơ nào bằng điểm chờ chủ tịch quyết định.', 'No tie awaits the chair.');
      return (result?.figures.tied as string[] | undefined)?.includes(p.dossierId) ? null : refuse('INVALID_COMMAND', 'C-SEL-2', 'Hồ sơ không nằm trong số bằng điểm.', 'That dossier is not among the tied ones.');
    },
    enterPaperBallots: (p) => {
      if (p.by.role !== 'manager') return refuse('FORBIDDEN_ROLE', 'C-4', 'Chỉ thư ký hành chính (cán bộ Sở) nhập phiếu của phiên họp trên giấy.', 'Only the administrative secretary enters the ballots of a paper sitting.');
      if (voting !== 'paper') return refuse('NOT_A_PAPER_SITTING', 'C-4', 'Hội đồng bỏ phiếu trực tuyến: mỗi thành viên tự bỏ phiếu.', 'This council votes online: each member casts their own ballot.');
      if (p.ballots.length === 0) return refuse('INVALID_COMMAND', 'C-4', 'Chưa có phiếu nào.', 'No ballot given.');
      const seen = new Set<string>();
      for (const [i, e] of p.ballots.entries()) {
        const m = memberOf(e.memberId);
        if (!m) return refuse('NOT_A_MEMBER', 'C-3', `Phiếu thứ ${i + 1}: ${e.memberId} không phải thành viên hội đồng.`, `Ballot ${i + 1}: ${e.memberId} is not a member of this council.`);
        const k = key(m.memberId, itemOf(e.ballot));
        if (seen.has(k)) return refuse('INVALID_COMMAND', 'C-4', `Phiếu của ${m.name} cho cùng nội dung được nhập hai lần.`, `${m.name}'s ballot on the same item is entered twice.`);
        seen.add(k);
        const r = ballotRefusal(m, e.ballot);
        if (r) return { ...r, message: { vi: `Phiếu của ${m.name}: ${r.message.vi}`, en: `${m.name}'s ballot: ${r.message.en}` } };
      }
      return null;
    },
    submitWrittenReview: (p) => {
      const m = p.by.role === 'council_member' ? memberOf(p.by.userId) : undefined;
      if (!m) return refuse('NOT_A_MEMBER', 'C-3', 'Chỉ thành viên hội đồng được gửi nhận xét.', 'Only members of this council may submit a review.');
      if (status === 'DECIDED') return refuse('TRANSITION_NOT_ALLOWED', 'C-3', 'Hội đồng đã kết luận.', 'The council has decided.');
      if (attendance?.present.includes(m.memberId)) return refuse('PRECONDITION_FAILED', 'C-3', 'Thành viên có mặt bỏ phiếu, không gửi nhận xét thay phiếu.', 'A present member votes; written reviews are for absent members.');
      return writtenReviews.some((r) => r.memberId === m.memberId) ? refuse('PRECONDITION_FAILED', 'C-3', 'Đã gửi nhận xét.', 'Review already submitted.') : null;
    },
  };

  /**
   * Whether member `m`'s ballot may be recorded now (C-2, C-3, C-4, C-6, C-7): online as the member casts it,
   * on paper as the secretary enters it. A repeat of a ballot already recorded is answered with its receipt,
   * even once the sitting has decided (a client retrying after a lost answer must not see a refusal for a
   * vote that counted).
   */
  function ballotRefusal(m: CouncilSeat, ballot: CouncilBallot): Refusal | null {
    const recorded = ballot.kind === input.kind ? ballots[key(m.memberId, itemOf(ballot))] : undefined;
    if (recorded && stableJson(recorded) === stableJson(ballot)) return null;
    if (status !== 'VOTING') return refuse('TRANSITION_NOT_ALLOWED', 'C-2', `Chưa mở hoặc đã đóng bỏ phiếu (trạng thái ${status}).`, `Voting is not open (status ${status}).`);
    if (Date.now() > Date.parse(votingDeadline)) return refuse('VOTING_CLOSED', 'C-4', `Đã hết hạn bỏ phiếu (${vnTimeAndDay(votingDeadline)}).`, `The voting window closed at ${votingDeadline}.`);
    const d = declarations[m.memberId];
    if (!d) return refuse('CONFLICT_NOT_DECLARED', 'C-6', 'Phải khai báo xung đột lợi ích trước khi bỏ phiếu.', 'Declare conflicts of interest before voting.');
    if (d.conflicted) return refuse('CONFLICTED', 'C-6', 'Thành viên có xung đột lợi ích không được bỏ phiếu cho nội dung này.', 'A conflicted member may not vote on this item.');
    if (!attendance?.present.includes(m.memberId)) return refuse('ABSENT', 'C-3', 'Thành viên vắng mặt không bỏ phiếu (chỉ gửi nhận xét bằng văn bản).', 'Absent members do not vote (their written reviews are read).');
    const q = quorum(sitting(), rs);
    if (!q.ok) return refuse('NO_QUORUM', 'C-2', q.explanation.vi, q.explanation.en);
    if (ballot.kind !== input.kind) return refuse('INVALID_BALLOT', input.kind, 'Phiếu không đúng loại hội đồng.', 'The ballot does not fit this council.');
    const bad = ballotProblem(ballot);
    if (bad) return refuse('INVALID_BALLOT', input.kind, bad.vi, bad.en);
    if (recorded) return refuse('ALREADY_VOTED', 'C-7', 'Thành viên đã bỏ phiếu cho nội dung này; phiếu không thể thay đổi.', 'Already voted on this item; a ballot cannot be changed.');
    return null;
  }

  /**
   * Issue 13: refusals checked when a command arrives (update validators only, which do not run when a
   * recorded history replays: what sittings accepted before stays accepted).
   */
  const strictRefusals: { [K in keyof CouncilCommands]?: (p: CouncilCommands[K]) => Refusal | null } = {
    declareConflict: (p) => {
      const d = declarations[p.memberId];
      const self = p.by.role === 'council_member';
      // C-6: a conflict the Department recorded (at formation or since) holds until a manager lifts it, with grounds.
      const recordedByDepartment = d?.conflicted && d.by !== p.memberId;
      if (self && recordedByDepartment) {
        return refuse('CONFLICT_RECORDED', 'C-6', 'Xung đột lợi ích do Sở ghi nhận; chỉ cán bộ quản lý được gỡ bỏ, có nêu căn cứ.', 'The Department recorded this conflict; only a manager may lift it, stating the grounds.');
      }
      const lifting = d?.conflicted === true && !p.conflicted;
      if (p.by.role === 'manager' && lifting && !p.reason?.trim()) {
        return refuse('INVALID_COMMAND', 'C-6', 'Gỡ bỏ xung đột lợi ích phải nêu căn cứ.', 'Lifting a conflict of interest needs its grounds.');
      }
      if (attendance && d && (lifting || (self && d.conflicted !== p.conflicted))) {
        return refuse('DECLARATION_FIXED', 'C-6', 'Đã điểm danh: khai báo xung đột lợi ích không thể thay đổi.', 'Attendance is recorded: a declaration can no longer change.');
      }
      return null;
    },
    recordAttendance: () => {
      // C-4: voting opens at the meeting (with the attendance), never before its day, and never after its deadline.
      if (compareDates(vnDateOf(now()), meetingOn) < 0) {
        return refuse('MEETING_NOT_STARTED', 'C-4', `Phiên họp diễn ra ngày ${dmy(meetingOn)}; chỉ điểm danh và mở bỏ phiếu tại phiên họp.`, `The meeting is on ${days(meetingOn).en}; attendance is taken, and voting opens, at the meeting.`);
      }
      if (Date.now() > Date.parse(votingDeadline)) {
        return refuse('VOTING_CLOSED', 'C-4', `Đã hết hạn bỏ phiếu (${vnTimeAndDay(votingDeadline)}); cần dời lịch họp.`, `The voting window closed at ${timesAndDays(votingDeadline).en}; reschedule the meeting.`);
      }
      return null;
    },
    castVote: (p) => {
      const recorded = p.ballot.kind === input.kind ? ballots[key(p.by.userId, itemOf(p.ballot))] : undefined;
      if (voting === 'paper' && !(recorded && stableJson(recorded) === stableJson(p.ballot))) {
        return refuse('PAPER_SITTING', 'C-4', 'Hội đồng họp và bỏ phiếu trên giấy; thư ký hành chính nhập phiếu.', 'This council votes on paper; the administrative secretary enters the ballots.');
      }
      return null;
    },
    reschedule: (p) => {
      if (compareDates(p.meetingOn, vnDateOf(now())) < 0) return refuse('INVALID_COMMAND', 'C-2', 'Ngày họp mới không được ở quá khứ.', 'The new meeting day cannot be in the past.');
      return deadlineBeforeMeeting(p.meetingOn, p.votingDeadline);
    },
  };

  function ballotProblem(b: CouncilBallot): { vi: string; en: string } | null {
    if (b.kind === 'C-SEL') {
      if (!input.dossiers?.includes(b.dossierId)) return { vi: `Hồ sơ ${b.dossierId} không thuộc phiên họp.`, en: `Dossier ${b.dossierId} is not on the agenda.` };
      for (const c of input.criteria ?? []) {
        const v = b.scores[c.id];
        if (v === undefined) return { vi: `Thiếu điểm tiêu chí ${c.id}.`, en: `Missing score for criterion ${c.id}.` };
        if (!(v >= 0 && v <= c.max && Number.isInteger(v * 2))) return { vi: `Điểm tiêu chí ${c.id} phải từ 0 đến ${c.max} (bước 0,5).`, en: `Criterion ${c.id} takes 0–${c.max} in half points.` };
      }
      const extra = Object.keys(b.scores).filter((k) => !(input.criteria ?? []).some((c) => c.id === k));
      if (extra.length) return { vi: `Tiêu chí không tồn tại: ${extra.join(', ')}.`, en: `Unknown criteria: ${extra.join(', ')}.` };
    }
    if (b.kind === 'C-ACC' && b.products.length === 0) return { vi: 'Phiếu đánh giá phải có ít nhất một sản phẩm.', en: 'The rating sheet needs at least one product.' };
    if (b.kind === 'C-ACC' && input.products) {
      // Issue 13: one rating per approved product (P1…Pn of the approval and its adjustments), each once.
      const ids = b.products.map((x) => x.productId);
      const unknown = ids.filter((id) => !input.products!.some((x) => x.productId === id));
      if (unknown.length) return { vi: `Sản phẩm không có trong danh mục được phê duyệt: ${unknown.join(', ')}.`, en: `Not an approved product: ${unknown.join(', ')}.` };
      const twice = ids.filter((id, i) => ids.indexOf(id) !== i);
      if (twice.length) return { vi: `Sản phẩm được đánh giá hai lần: ${[...new Set(twice)].join(', ')}.`, en: `Product rated twice: ${[...new Set(twice)].join(', ')}.` };
      const missing = input.products.filter((x) => !ids.includes(x.productId));
      if (missing.length) return { vi: `Thiếu đánh giá sản phẩm: ${missing.map((x) => `${x.productId} (${x.name})`).join('; ')}.`, en: `No rating for product(s): ${missing.map((x) => `${x.productId} (${x.name})`).join('; ')}.` };
    }
    return null;
  }

  function guard<K extends keyof CouncilCommands>(name: K) {
    return (p: CouncilCommands[K]) => {
      const r = refusals[name](p);
      if (r) fail(r);
    };
  }
  /** The validator: the checks every handler repeats, then those of issue 13 (validators only). */
  function validate<K extends keyof CouncilCommands>(name: K) {
    return (p: CouncilCommands[K]) => {
      guard(name)(p);
      const r = strictRefusals[name]?.(p);
      if (r) fail(r);
    };
  }
  // ---------- handlers ----------
  setHandler(
    councilUpdate('declareConflict'),
    async (p) => {
      guard('declareConflict')(p);
      const lifted = v13 && p.by.role === 'manager' && declarations[p.memberId]?.conflicted === true && !p.conflicted;
      declarations[p.memberId] = { conflicted: p.conflicted, ...(p.reason ? { reason: p.reason } : {}), at: now(), by: p.by.userId };
      // C-6: a lifted conflict stays on record with its grounds.
      if (lifted) liftedConflicts.push({ memberId: p.memberId, by: p.by.userId, at: now(), grounds: p.reason ?? '' });
      await persist();
      return view();
    },
    { validator: validate('declareConflict') },
  );
  setHandler(
    councilUpdate('recordAttendance'),
    async (p) => {
      guard('recordAttendance')(p);
      attendance = { present: [...new Set(p.present)], ...(p.chairAuthorisedViceChair ? { chairAuthorisedViceChair: true } : {}) };
      const q = quorum(sitting(), rs);
      if (!q.ok) {
        // C-2: no quorum → the meeting is void, postponed and rescheduled.
        status = 'POSTPONED';
        postponements.push({ at: now(), reason: q.explanation.vi });
        mail(members, `postponed-${round}`, { vi: 'Hoãn phiên họp hội đồng', en: 'Council meeting postponed' }, { vi: `Phiên họp ngày ${dmy(meetingOn)} không đủ điều kiện: ${q.explanation.vi}`, en: q.explanation.en });
      } else {
        status = 'VOTING';
      }
      await persist();
      return view();
    },
    { validator: validate('recordAttendance') },
  );
  setHandler(
    councilUpdate('castVote'),
    async (p): Promise<VoteReceipt> => {
      guard('castVote')(p);
      const item = itemOf(p.ballot);
      const k = key(p.by.userId, item);
      if (ballots[k]) return { councilId: input.councilId, memberId: p.by.userId, item, recordedAt: votedAt[k]!, repeated: true };
      ballots[k] = p.ballot;
      votedAt[k] = now();
      await persist();
      // Issue 13: the ballot that completes the voting says so (the API answers once the task has the result).
      return { councilId: input.councilId, memberId: p.by.userId, item, recordedAt: votedAt[k]!, repeated: false, ...(v13 && allVoted() ? { completesVoting: true } : {}) };
    },
    { validator: validate('castVote') },
  );
  setHandler(
    councilUpdate('enterPaperBallots'),
    async (p) => {
      guard('enterPaperBallots')(p);
      for (const e of p.ballots) {
        const k = key(e.memberId, itemOf(e.ballot));
        if (ballots[k]) continue; // the same ballot entered again: counted once
        ballots[k] = e.ballot;
        votedAt[k] = now();
      }
      // The scanned ballots: the Department's evidence of the paper sitting.
      for (const f of p.attachments ?? []) paperBallotFiles.push({ ...f, at: now() });
      await persist();
      return view();
    },
    { validator: validate('enterPaperBallots') },
  );
  setHandler(
    councilUpdate('reschedule'),
    async (p) => {
      guard('reschedule')(p);
      meetingOn = p.meetingOn;
      votingDeadline = p.votingDeadline;
      if (p.members) members = p.members;
      attendance = undefined;
      tallyRefusal = undefined;
      status = 'FORMED';
      round += 1;
      invite();
      await persist();
      return view();
    },
    { validator: validate('reschedule') },
  );
  setHandler(
    councilUpdate('chairTieBreak'),
    async (p) => {
      guard('chairTieBreak')(p);
      tieBreak = p.dossierId;
      status = 'DECIDED';
      await persist();
      return view();
    },
    { validator: validate('chairTieBreak') },
  );

  setHandler(
    councilUpdate('submitWrittenReview'),
    async (p) => {
      guard('submitWrittenReview')(p);
      // Issue 10: the files the member sent with it (absent from reviews recorded before).
      writtenReviews.push({ memberId: p.by.userId, name: memberOf(p.by.userId)!.name, at: now(), review: p.review, ...(p.attachments?.length ? { attachments: p.attachments } : {}) });
      await persist();
      return view();
    },
    { validator: validate('submitWrittenReview') },
  );

  // ---------- the sitting ----------
  invite();
  await persist();
  /** A vote reminder to a member who has voted since it was queued (e.g. during an SMTP outage). */
  const staleReminder = (m: EmailRequest) => {
    const member = /\/reminder-\d+\/([^/]+)$/.exec(m.key)?.[1];
    return member !== undefined && hasVotedAll(member);
  };
  /** While true, the mail loop is sending the outbox's head. */
  let mailing = false;
  const drain = async () => {
    while (outbox.length) {
      const m = outbox[0]!;
      if (!(staleReminder(m) && patched(STALE_VOTE_REMINDER_PATCH))) {
        try {
          await sendEmail(m);
        } catch (err) {
          // Issue 15: an e-mail that cannot be rendered is given up (listed for the operators), not retried forever.
          if (!notRenderable(err, NotRenderableType.EMAIL)) throw err;
        }
      }
      outbox.shift();
    }
  };
  if (mailAside) {
    void (async () => {
      for (;;) {
        await condition(() => outbox.length > 0);
        mailing = true;
        await drain();
        mailing = false;
      }
    })();
  }
  /** The e-mails queued so far: sent here (before issue 17) or by the mail loop. */
  const mailed = () => (mailAside ? condition(() => outbox.length === 0 && !mailing) : drain());

  for (;;) {
    await votingPhase();
    // ---------- the tally (C-9: a pure function of the rule-set, members, attendance and ballots) ----------
    if (v13) {
      const counted = countedOrRefused();
      if ('problem' in counted) {
        await voidForTallyRefusal(counted.problem);
        continue;
      }
      result = counted.result;
    } else {
      result = tally();
    }
    if (result.outcome === 'NO_QUORUM') {
      // C-2 at the moment of counting (a late conflict declaration can break it): the meeting is void.
      status = 'POSTPONED';
      postponements.push({ at: now(), reason: result.explanation.vi });
      for (const k of Object.keys(ballots)) delete ballots[k];
      result = undefined;
      await persist();
      continue;
    }
    if (result.outcome !== 'TIE_NEEDS_CHAIR') break;
    status = 'AWAITING_CHAIR';
    await persist();
    mail(members.filter((m) => m.role === 'chair'), 'tie', { vi: 'Hồ sơ bằng điểm: chủ tịch quyết định', en: 'Tie: the chair decides' }, { vi: `Các hồ sơ bằng điểm: ${(result.figures.tied as string[]).join(', ')}.`, en: `Tied dossiers: ${(result.figures.tied as string[]).join(', ')}.` });
    if (!mailAside) await drain();
    await condition(() => tieBreak !== undefined);
    if (v13) {
      const counted = countedOrRefused();
      if ('problem' in counted) {
        await voidForTallyRefusal(counted.problem);
        continue;
      }
      result = counted.result;
    } else {
      result = tally();
    }
    break;
  }
  status = 'DECIDED';
  await storeCouncilResult({ councilId: input.councilId, taskId: input.taskId, kind: input.kind, ruleSet: input.ruleSet, sitting: sitting(), ballots: Object.entries(ballots).map(([k, b]) => ({ memberId: k.split('/')[0]!, ballot: b })), result });
  await persist();
  const task = getExternalWorkflowHandle(taskWorkflowId(input.taskId));
  if (v13) {
    // Issue 13: the task has the result at once; the documents and emails follow.
    await task.signal(councilResultSignal, { councilId: input.councilId, result, documents: [] });
  }
  // §7: the vote-counting record and the minutes, from this decided state; the minutes go with the result email.
  let documents: Awaited<ReturnType<typeof renderCouncilDocuments>> = [];
  try {
    documents = await renderCouncilDocuments({ view: view(), departmentName: input.departmentName, place: input.place });
  } catch (err) {
    // Issue 15: documents that cannot be drawn are left out (the activity gave up at once); the result still goes.
    if (!notRenderable(err, NotRenderableType.DOCUMENT)) throw err;
  }
  const minutes = documents.find((d) => d.kind === 'council_minutes');
  const outcome = COUNCIL_OUTCOME_LABELS[result.outcome] ?? { vi: 'Hội đồng đã kết luận', en: 'The council has concluded' };
  mail(members, 'result', { vi: `Kết quả ${COUNCIL_KIND_LABELS[input.kind].vi}: ${outcome.vi}`, en: `${COUNCIL_KIND_LABELS[input.kind].en}: ${outcome.en.toLowerCase()}` }, { vi: result.explanation.vi, en: result.explanation.en }, minutes ? [{ documentId: minutes.documentId, filename: `bien-ban-hop-hoi-dong-${input.councilId}.pdf` }] : []);
  // Every e-mail of the sitting is out before its last word (the task has had the result since the tally).
  await mailed();
  if (v13) {
    // The sitting's last word: its documents (the task waits for them before it may close).
    await task.signal(councilDocumentsSignal, { councilId: input.councilId, documents }).catch(() => undefined);
  } else {
    await task.signal(councilResultSignal, { councilId: input.councilId, result, documents });
  }
  return result;

  /** The tally, or why it cannot be computed from what was recorded (never a thrown error: C-9, issue 13). */
  function countedOrRefused(): { result: CouncilResultRecord } | { problem: { rule: string; vi: string; en: string } } {
    try {
      return { result: tally() };
    } catch (err) {
      const rule = input.kind === 'C-SEL' ? 'C-SEL-2' : input.kind === 'C-ACC' ? 'C-ACC-3' : 'C-ID';
      const detail = err instanceof Error ? err.message : String(err);
      return {
        problem: {
          rule,
          vi: 'Không kiểm phiếu được từ các phiếu đã ghi nhận (dữ liệu phiếu hoặc tiêu chí không hợp lệ). Phiên họp không có giá trị; cần dời lịch và tổ chức lại.',
          en: `The tally could not be computed from the recorded ballots (${detail}). The meeting is void; reschedule it.`,
        },
      };
    }
  }

  /** Issue 13: the meeting is void; the managers see why (the view, and the task's officer is told), and reschedule it. */
  async function voidForTallyRefusal(problem: { rule: string; vi: string; en: string }): Promise<void> {
    tallyRefusal = { ...problem, at: now() };
    status = 'POSTPONED';
    postponements.push({ at: now(), reason: problem.vi });
    for (const k of Object.keys(ballots)) delete ballots[k];
    result = undefined;
    await persist();
    await getExternalWorkflowHandle(taskWorkflowId(input.taskId)).signal(councilProblemSignal, { councilId: input.councilId, kind: input.kind, problem }).catch(() => undefined);
  }

  /** The voting deadline must not come before the meeting day (C-4: voting opens at the meeting). */
  function deadlineBeforeMeeting(day: string, deadline: string): Refusal | null {
    return compareDates(vnDateOf(deadline), day) < 0
      ? refuse('INVALID_COMMAND', 'C-4', `Hạn bỏ phiếu (${vnTimeAndDay(deadline)}) phải từ ngày họp (${dmy(day)}) trở đi.`, `The voting deadline (${timesAndDays(deadline).en}) cannot come before the meeting day (${days(day).en}).`)
      : null;
  }

  /** Waits through formation, attendance and the voting window; returns when voting closes. */
  async function votingPhase(): Promise<void> {
    let reminded = false;
    for (;;) {
      if (!mailAside) await drain();
      changed = false;
      if (status === 'VOTING') {
        const untilDeadline = Date.parse(votingDeadline) - Date.now();
        const untilReminder = untilDeadline - REMINDER_BEFORE_MS;
        if (allVoted() || untilDeadline <= 0) return;
        if (!reminded && untilReminder <= 0) {
          reminded = true;
          // Only to those who have not voted; never to those who have.
          mail(voters().filter((m) => !hasVotedAll(m.memberId)), `reminder-${round}`, { vi: 'Nhắc bỏ phiếu', en: 'Voting reminder' }, {
            vi: `Ông/Bà chưa bỏ phiếu; hạn bỏ phiếu là ${vnTimeAndDay(votingDeadline)}.`,
            en: `You have not voted yet; voting closes at ${timesAndDays(votingDeadline).en}.`,
          });
          continue;
        }
        await condition(() => changed || (!mailAside && outbox.length > 0) || allVoted(), reminded ? untilDeadline : Math.max(1, untilReminder));
        continue;
      }
      await condition(() => changed || (!mailAside && outbox.length > 0));
    }
  }

  function tally(): CouncilResultRecord {
    const missingVotes = voters().filter((m) => !hasVotedAll(m.memberId)).length;
    const base = { kind: input.kind, decidedAt: now(), missingVotes };
    const list = Object.entries(ballots).map(([k, b]) => ({ memberId: k.split('/')[0]!, b }));
    if (input.kind === 'C-ID') {
      const t = identificationTally({ sitting: sitting(), ballots: list.map(({ memberId, b }) => ({ memberId, yes: b.kind === 'C-ID' && b.yes })) }, rs);
      return { ...base, outcome: t.outcome, figures: { yes: t.yes, no: t.no, notVoted: t.notVoted, present: t.present, share: t.share }, explanation: t.explanation };
    }
    if (input.kind === 'C-SEL') {
      const t = selectionTally(
        {
          sitting: sitting(),
          criteria: (input.criteria ?? []).map(({ id, max }) => ({ id, max })),
          dossiers: input.dossiers ?? [],
          scores: list.flatMap(({ memberId, b }) => (b.kind === 'C-SEL' ? [{ memberId, dossierId: b.dossierId, scores: b.scores }] : [])),
          ...(tieBreak ? { chairTieBreak: tieBreak } : {}),
          productsCriterionIds: (input.criteria ?? []).filter((c) => c.products).map((c) => c.id),
        },
        rs,
      );
      return {
        ...base,
        outcome: t.outcome,
        ...(t.winner ? { winner: t.winner } : {}),
        figures: { present: t.present, tied: t.tied ?? [], decidedBy: t.decidedBy ?? null, rows: t.rows.map((r) => ({ dossierId: r.dossierId, average: r.average.display, qualifies: r.qualifies, zeroCounts: r.zeroCounts })) },
        explanation: t.explanation,
      };
    }
    const ratings = list.flatMap(({ memberId, b }) => (b.kind === 'C-ACC' ? [{ memberId, rating: memberAcceptanceRating({ products: b.products, report: b.report }).rating }] : []));
    const t = acceptanceConclusion({ sitting: sitting(), ratings }, rs);
    return { ...base, outcome: t.outcome, figures: { counts: t.counts, present: t.present, shares: t.shares }, explanation: t.explanation };
  }
}


/** Key-order-independent JSON, to tell an identical repeated ballot from a changed one. */
function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v && typeof v === 'object') return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${stableJson((v as Record<string, unknown>)[k])}`).join(',')}}`;
  return JSON.stringify(v);
}
