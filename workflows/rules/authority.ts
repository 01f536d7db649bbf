/**
 * Issue 12: who may decide and sign. Pure rules, no I/O: the workflows, the API and the
 * document renderer ask the same functions, so a refusal has one reason wherever it is raised.
 *
 * - Commands: the role decides what kind of user may give a command (transitions.ts); for the
 *   Department's commands the position decides which of its people (a clerk gives none).
 * - Documents: every §7 document has signature slots. A decision is signed by the Director, or by a
 *   Deputy Director the Director has delegated its area to (printed "KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC");
 *   a record by the staff member who led it; a contract, annex or liquidation record by both
 *   parties' representatives; acceptance minutes by the council's chair and secretary. A researcher
 *   never signs for the Department: only as party B of a bilateral document of their own organisation.
 * - Issuance: draft → signatures → the clerk registers it in the outgoing register (number, date)
 *   → the clerk issues it.
 *
 * What a province does is in its rule-set (`RuleSet.authority`); delegation is provincial practice [P].
 */
import type { CommandName, DelegationArea, Position, TaskState } from '../definitions';
import type { TaskDocumentKind, TaskDocumentSubject } from '../task-documents';
import { COMMANDS, refuse, type Refusal } from './transitions';

/** How a task's documents are issued: at once by the command (rule-sets before 2026.2) or draft → signature → number → issue. */
export type IssuanceMode = 'immediate' | 'signed';

/** Who signs one kind of document (besides the party B and council slots it may also have). */
export type SignerRule =
  /** The Director, or a Deputy Director delegated `area` (when `deputyMay`). `capacity`: signs in that capacity (no "KT."), e.g. as head of the appraisal group. */
  | { signer: 'leader'; area: DelegationArea; deputyMay: boolean; capacity?: string; party?: 'A'; hostSigns?: boolean }
  /** A staff member of these positions, in `capacity` (e.g. head of the inspection team). */
  | { signer: 'staff'; area: DelegationArea; positions: readonly Position[]; capacity: string }
  /** The council's chair and scientific secretary (C-1, C-ACC-1). */
  | { signer: 'council' };

export interface AuthorityRules {
  issuance: IssuanceMode;
  /** L-3, L-10: the approver of the list and of the task: the Director under delegation [P] or the provincial People's Committee, whose decision the Department records. */
  approver: 'director' | 'people_committee';
  /** Positions that may give each of the Department's commands (commands of role `manager`). */
  commandPositions: Partial<Record<CommandName, readonly Position[]>>;
  /** Who signs each kind of document. */
  signers: Record<TaskDocumentKind, SignerRule>;
  /** Working days for a document to be signed, registered and issued once drafted [D]; then it is overdue and escalated. */
  issuanceWorkingDays: number;
}

/** Everyone of the Department who prepares and gives commands; the clerk only registers and issues. */
export const DEPARTMENT_STAFF: readonly Position[] = ['director', 'deputy_director', 'head_of_division', 'officer'];

const commandPositions = (): Partial<Record<CommandName, readonly Position[]>> =>
  Object.fromEntries((Object.keys(COMMANDS) as CommandName[]).filter((c) => (COMMANDS[c].roles as readonly string[]).includes('manager')).map((c) => [c, DEPARTMENT_STAFF]));

const leader = (area: DelegationArea, o: { deputyMay?: boolean; capacity?: string; party?: 'A'; hostSigns?: boolean } = {}): SignerRule => ({ signer: 'leader', area, deputyMay: o.deputyMay ?? true, ...(o.capacity ? { capacity: o.capacity } : {}), ...(o.party ? { party: o.party } : {}), ...(o.hostSigns ? { hostSigns: true } : {}) });

/**
 * Tây Ninh's practice [P]: the Director signs or delegates by area; a termination is the
 * Director's own (never delegated); records are signed by whoever led the meeting or inspection.
 */
export const DEFAULT_SIGNERS: Record<TaskDocumentKind, SignerRule> = {
  council_formation_decision: leader('identification'), // the area follows the council: see areaOf()
  order_list_approval: leader('identification'),
  call_notice: leader('selection'),
  dossier_opening_record: { signer: 'staff', area: 'selection', positions: ['director', 'deputy_director', 'head_of_division', 'officer'], capacity: 'ĐẠI DIỆN SỞ' },
  budget_appraisal_record: leader('approval', { capacity: 'TỔ TRƯỞNG TỔ THẨM ĐỊNH' }),
  task_approval_decision: leader('approval'),
  contract: leader('contract', { party: 'A', hostSigns: true }),
  contract_annex: leader('contract', { party: 'A', hostSigns: true }),
  inspection_record: { signer: 'staff', area: 'execution', positions: ['director', 'deputy_director', 'head_of_division', 'officer'], capacity: 'TRƯỞNG ĐOÀN KIỂM TRA' },
  adjustment_decision: leader('execution'),
  suspension_notice: leader('execution'),
  termination_decision: leader('execution', { deputyMay: false }),
  acceptance_minutes: { signer: 'council' },
  recognition_decision: leader('acceptance'),
  registration_certificate: leader('acceptance'),
  liquidation_record: leader('settlement', { party: 'A', hostSigns: true }),
};

/** The authority of rule-sets before issue 12: documents issued at once, the Director approving under delegation. */
export const IMMEDIATE_AUTHORITY: AuthorityRules = {
  issuance: 'immediate',
  approver: 'director',
  commandPositions: commandPositions(),
  signers: DEFAULT_SIGNERS,
  issuanceWorkingDays: 5,
};

export const SIGNED_AUTHORITY = (approver: AuthorityRules['approver']): AuthorityRules => ({ ...IMMEDIATE_AUTHORITY, issuance: 'signed', approver });

// ---------------------------------------------------------------------------------------------
// Commands
// ---------------------------------------------------------------------------------------------

export const POSITION_LABELS: Record<Position, { vi: string; en: string }> = {
  director: { vi: 'Giám đốc', en: 'Director' },
  deputy_director: { vi: 'Phó Giám đốc', en: 'Deputy Director' },
  head_of_division: { vi: 'Trưởng phòng', en: 'Head of division' },
  officer: { vi: 'Chuyên viên', en: 'Officer' },
  clerk: { vi: 'Văn thư', en: 'Clerk' },
};

export const AREA_LABELS: Record<DelegationArea, { vi: string; en: string }> = {
  identification: { vi: 'xác định nhiệm vụ', en: 'identification' },
  selection: { vi: 'tuyển chọn, giao trực tiếp', en: 'selection' },
  approval: { vi: 'thẩm định, phê duyệt', en: 'appraisal and approval' },
  contract: { vi: 'ký hợp đồng', en: 'contracts' },
  execution: { vi: 'kiểm tra, điều chỉnh, xử lý vi phạm', en: 'monitoring, adjustments, sanctions' },
  acceptance: { vi: 'nghiệm thu, công nhận, đăng ký kết quả', en: 'acceptance, recognition, registration' },
  settlement: { vi: 'quyết toán, thanh lý', en: 'settlement, liquidation' },
};

/** While a decision of the task awaits issuance, only these commands are taken (they change no stage, or end the task). */
export const WHILE_DECISION_PENDING: readonly CommandName[] = ['assignOfficer', 'recordDisbursement', 'submitProgressReport', 'recordRefund', 'withdraw', 'cancelBeforeContract'];

/** A manager without a position acts as an officer (users created before positions existed). */
export const positionOf = (a: { role: string; position?: Position | undefined }): Position | undefined => (a.role === 'manager' ? a.position ?? 'officer' : undefined);

/**
 * Null when the actor's position may give the command; the reason otherwise. Only the Department's
 * commands are concerned (a researcher's are judged by role and organisation).
 */
export function commandPositionRefusal(command: CommandName, actor: { role: string; position?: Position | undefined }, rules: AuthorityRules): Refusal | null {
  if (actor.role !== 'manager') return null;
  const allowed = rules.commandPositions[command];
  const position = positionOf(actor)!;
  if (!allowed || allowed.includes(position)) return null;
  const r = COMMANDS[command];
  return refuse('FORBIDDEN_POSITION', r.rule,
    `${POSITION_LABELS[position].vi} không được ${r.label.vi}; chỉ: ${allowed.map((p) => POSITION_LABELS[p].vi).join(', ')}.`,
    `A ${POSITION_LABELS[position].en.toLowerCase()} may not ${r.label.en}; only: ${allowed.map((p) => POSITION_LABELS[p].en).join(', ')}.`);
}

// ---------------------------------------------------------------------------------------------
// Signature slots
// ---------------------------------------------------------------------------------------------

export type SignerRequirement =
  | { kind: 'leader'; area: DelegationArea; deputyMay: boolean }
  | { kind: 'staff'; positions: readonly Position[] }
  | { kind: 'member'; userId: string; name: string }
  | { kind: 'host'; orgId: string; orgName: string };

/** What a signature block prints above the name: the authority line(s) and the title. */
export interface SignatureLabel {
  authority?: string;
  title: string;
}

export interface SignatureRecord {
  slotId: string;
  userId: string;
  name: string;
  email?: string;
  position?: Position;
  /** As printed: e.g. authority "KT. GIÁM ĐỐC", title "PHÓ GIÁM ĐỐC". */
  label: SignatureLabel;
  at: string;
  /** 'certificate': the Department's signer, whose certificate signs the issued PDF (PAdES); 'system': an authenticated act in KHCN Flow. */
  mode: 'certificate' | 'system';
}

export interface SignatureSlot {
  slotId: string;
  party: 'department' | 'host' | 'council';
  requirement: SignerRequirement;
  /** What the block prints before anyone has signed (the draft). */
  label: SignatureLabel;
  /** In what capacity: printed as the title whoever signs (no "KT."). */
  capacity?: string;
  /** "ĐẠI DIỆN BÊN A": printed above the signer's own lines. */
  partyLine?: string;
  /** Already signed when drafted (the host's signature of the contract is its command, L-11). */
  presigned?: SignatureRecord;
}

/** The delegation area of a document (a council's decision follows the council's kind). */
export function areaOf(kind: TaskDocumentKind, subject: TaskDocumentSubject | undefined, rules: AuthorityRules): DelegationArea {
  if (kind === 'council_formation_decision' && subject?.council) {
    return subject.council.kind === 'C-ID' ? 'identification' : subject.council.kind === 'C-SEL' ? 'selection' : 'acceptance';
  }
  const r = rules.signers[kind];
  return r.signer === 'council' ? 'acceptance' : r.area;
}

/**
 * The signature slots of a document, from the rule-set and the recorded state: the Department's
 * signer first, then party B's representative, then the council's chair and secretary.
 */
export function signatureSlots(kind: TaskDocumentKind, state: TaskState, subject: TaskDocumentSubject | undefined, rules: AuthorityRules): SignatureSlot[] {
  const r = rules.signers[kind];
  const slots: SignatureSlot[] = [];
  if (r.signer === 'leader') {
    const partyLine = r.party ? 'ĐẠI DIỆN BÊN A' : undefined;
    slots.push({
      slotId: 'department',
      party: 'department',
      requirement: { kind: 'leader', area: areaOf(kind, subject, rules), deputyMay: r.deputyMay },
      label: { ...(partyLine ? { authority: partyLine } : {}), title: r.capacity ?? 'GIÁM ĐỐC' },
      ...(r.capacity ? { capacity: r.capacity } : {}),
      ...(partyLine ? { partyLine } : {}),
    });
    if (r.hostSigns && state.host) {
      const signedBy = kind === 'contract' ? state.contract?.hostSignedBy : undefined;
      const signedAt = kind === 'contract' ? state.contract?.hostSignedAt : undefined;
      const label = { authority: 'ĐẠI DIỆN BÊN B', title: 'THỦ TRƯỞNG TỔ CHỨC CHỦ TRÌ' };
      slots.push({
        slotId: 'party_b',
        party: 'host',
        requirement: { kind: 'host', orgId: state.host.orgId, orgName: state.host.orgName },
        label,
        partyLine: 'ĐẠI DIỆN BÊN B',
        ...(signedBy && signedAt ? { presigned: { slotId: 'party_b', userId: signedBy.userId, name: signedBy.name, label, at: signedAt, mode: 'system' as const } } : {}),
      });
    }
  } else if (r.signer === 'staff') {
    slots.push({ slotId: 'department', party: 'department', requirement: { kind: 'staff', positions: r.positions }, label: { title: r.capacity }, capacity: r.capacity });
  } else {
    const sitting = [...state.councilSittings].reverse().find((c) => c.kind === 'C-ACC' && c.officers?.length);
    const chair = sitting?.officers?.find((o) => o.role === 'chair');
    const secretary = sitting?.officers?.find((o) => o.role === 'scientific_secretary');
    if (chair) slots.push({ slotId: 'chair', party: 'council', requirement: { kind: 'member', userId: chair.memberId, name: chair.name }, label: { title: 'CHỦ TỊCH HỘI ĐỒNG' }, capacity: 'CHỦ TỊCH HỘI ĐỒNG' });
    if (secretary) slots.push({ slotId: 'secretary', party: 'council', requirement: { kind: 'member', userId: secretary.memberId, name: secretary.name }, label: { title: 'THƯ KÝ KHOA HỌC' }, capacity: 'THƯ KÝ KHOA HỌC' });
    // A result recorded from a paper sitting (no seats known): the Department's officer certifies the copy.
    if (!chair) slots.push({ slotId: 'department', party: 'department', requirement: { kind: 'staff', positions: DEPARTMENT_STAFF }, label: { title: 'THƯ KÝ HÀNH CHÍNH' }, capacity: 'THƯ KÝ HÀNH CHÍNH' });
  }
  return slots;
}

/** Who may sign: enough of a user to judge (the API and the workflows pass the caller). */
export interface Signer {
  userId: string;
  role: string;
  name: string;
  email?: string;
  orgId: string;
  position?: Position | undefined;
  areas?: readonly DelegationArea[] | undefined;
}

/** Null when `who` may sign `slot`; the reason (vi, en) otherwise. */
export function slotRefusal(slot: SignatureSlot, who: Signer): Refusal | null {
  const req = slot.requirement;
  const no = (vi: string, en: string) => refuse('NOT_COMPETENT_SIGNER', 'issue-12', vi, en);
  if (req.kind === 'host') {
    if (who.role !== 'researcher' || who.orgId !== req.orgId) return no(`Chỉ đại diện của ${req.orgName} ký với tư cách bên B.`, `Only a representative of ${req.orgName} signs as party B.`);
    return null;
  }
  if (req.kind === 'member') {
    return who.userId === req.userId ? null : no(`Chỉ ${req.name} ký ô này.`, `Only ${req.name} signs this block.`);
  }
  // The Department's own signature: never a researcher, a council member or the admin.
  if (who.role !== 'manager') return no('Người nghiên cứu, thành viên hội đồng hay quản trị hệ thống không ký văn bản của Sở.', 'A researcher, council member or administrator never signs a Department document.');
  const position = positionOf(who)!;
  if (req.kind === 'staff') {
    return req.positions.includes(position) ? null : no(`${POSITION_LABELS[position].vi} không ký văn bản này.`, `A ${POSITION_LABELS[position].en.toLowerCase()} does not sign this document.`);
  }
  if (position === 'director') return null;
  if (position === 'deputy_director') {
    if (!req.deputyMay) return no('Văn bản này do Giám đốc ký, không ủy quyền.', 'The Director signs this document; it is not delegated.');
    if (who.areas?.includes(req.area)) return null;
    return no(`Phó Giám đốc không được phân công lĩnh vực ${AREA_LABELS[req.area].vi}.`, `This Deputy Director is not delegated ${AREA_LABELS[req.area].en}.`);
  }
  return no(`Văn bản này do Giám đốc hoặc Phó Giám đốc được phân công lĩnh vực ${AREA_LABELS[req.area].vi} ký.`, `The Director, or a Deputy Director delegated ${AREA_LABELS[req.area].en}, signs this document.`);
}

/** What the block prints for `who` signing `slot`: a Deputy under delegation "KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC". */
export function signatureLabel(slot: SignatureSlot, who: Signer): SignatureLabel {
  const lines = (authority: string | undefined, title: string): SignatureLabel => {
    const a = [slot.partyLine, authority].filter(Boolean).join('\n');
    return { ...(a ? { authority: a } : {}), title };
  };
  if (slot.capacity) return lines(undefined, slot.capacity);
  if (slot.requirement.kind === 'leader') {
    return positionOf(who) === 'deputy_director' ? lines('KT. GIÁM ĐỐC', 'PHÓ GIÁM ĐỐC') : lines(undefined, 'GIÁM ĐỐC');
  }
  return slot.label;
}

/** The record of `who` signing `slot` at `at` (a Department signer's certificate signs the issued PDF). */
export function signatureRecord(slot: SignatureSlot, who: Signer, at: string): SignatureRecord {
  const position = positionOf(who);
  return {
    slotId: slot.slotId,
    userId: who.userId,
    name: who.name,
    ...(who.email ? { email: who.email } : {}),
    ...(position ? { position } : {}),
    label: signatureLabel(slot, who),
    at,
    mode: slot.party === 'department' ? 'certificate' : 'system',
  };
}

// ---------------------------------------------------------------------------------------------
// Issuance: draft → signature → number → issue
// ---------------------------------------------------------------------------------------------

export type IssuanceStatus = 'AWAITING_SIGNATURE' | 'SIGNED' | 'REGISTERED' | 'ISSUED' | 'WITHDRAWN';

export interface IssuanceFacts {
  status: IssuanceStatus;
  slots: SignatureSlot[];
  signatures: SignatureRecord[];
}

/** The slots still open. */
export const openSlots = (f: Pick<IssuanceFacts, 'slots' | 'signatures'>): SignatureSlot[] => f.slots.filter((s) => !f.signatures.some((x) => x.slotId === s.slotId));

const conflict = (code: string, vi: string, en: string) => refuse(code, 'issue-12', vi, en);

/**
 * Which slot `who` signs now; otherwise the refusal: 403 when no block of the document is theirs to
 * sign (whatever its status), 409 when it is theirs but not now (signed already, fully signed,
 * issued or withdrawn).
 */
export function signRefusal(f: IssuanceFacts, who: Signer, slotId?: string): { refusal: Refusal } | { slot: SignatureSlot } {
  const named = f.slots.filter((s) => !slotId || s.slotId === slotId);
  const competent = named.filter((s) => slotRefusal(s, who) === null);
  if (!competent.length) {
    const reason = named.map((s) => slotRefusal(s, who)).find(Boolean);
    return { refusal: reason ?? refuse('NOT_COMPETENT_SIGNER', 'issue-12', 'Văn bản không có ô ký này.', 'The document has no such signature block.') };
  }
  if (f.status === 'WITHDRAWN') return { refusal: conflict('WITHDRAWN', 'Dự thảo đã bị hủy.', 'The draft was withdrawn.') };
  if (f.status === 'ISSUED') return { refusal: conflict('ALREADY_ISSUED', 'Văn bản đã được ban hành.', 'The document has been issued.') };
  if (f.signatures.some((x) => x.userId === who.userId)) return { refusal: conflict('ALREADY_SIGNED', 'Bạn đã ký văn bản này.', 'You have already signed this document.') };
  const open = openSlots(f);
  const mine = competent.find((s) => open.includes(s));
  if (f.status !== 'AWAITING_SIGNATURE' || !mine) return { refusal: conflict('ALREADY_SIGNED', 'Ô ký này đã được ký.', 'This signature block has been signed.') };
  return { slot: mine };
}

/** Null when `who` may register (the clerk, once every slot is signed); the refusal otherwise. */
export function registerRefusal(f: IssuanceFacts, who: Signer): Refusal | null {
  if (who.role !== 'manager' || positionOf(who) !== 'clerk') return refuse('CLERK_ONLY', 'issue-12', 'Chỉ văn thư vào sổ và phát hành văn bản.', 'Only the clerk registers and issues documents.');
  if (f.status === 'WITHDRAWN') return conflict('WITHDRAWN', 'Dự thảo đã bị hủy.', 'The draft was withdrawn.');
  if (f.status === 'AWAITING_SIGNATURE') return conflict('NOT_SIGNED', 'Văn bản chưa được ký đủ.', 'The document is not fully signed yet.');
  if (f.status !== 'SIGNED') return conflict('ALREADY_REGISTERED', 'Văn bản đã được vào sổ.', 'The document is already registered.');
  return null;
}

/** Null when `who` may issue (the clerk, once registered); the refusal otherwise. */
export function issueRefusal(f: IssuanceFacts, who: Signer): Refusal | null {
  if (who.role !== 'manager' || positionOf(who) !== 'clerk') return refuse('CLERK_ONLY', 'issue-12', 'Chỉ văn thư vào sổ và phát hành văn bản.', 'Only the clerk registers and issues documents.');
  if (f.status === 'WITHDRAWN') return conflict('WITHDRAWN', 'Dự thảo đã bị hủy.', 'The draft was withdrawn.');
  if (f.status === 'ISSUED') return conflict('ALREADY_ISSUED', 'Văn bản đã được ban hành.', 'The document has been issued.');
  if (f.status === 'AWAITING_SIGNATURE') return conflict('NOT_SIGNED', 'Văn bản chưa được ký đủ.', 'The document is not fully signed yet.');
  if (f.status !== 'REGISTERED') return conflict('NOT_REGISTERED', 'Văn bản chưa được vào sổ văn bản đi.', 'The document is not in the outgoing register yet.');
  return null;
}

/** Who is told that a document awaits their signature ("Giám đốc hoặc Phó Giám đốc phụ trách …"). */
export function slotAssignee(slot: SignatureSlot): { vi: string; en: string } {
  const r = slot.requirement;
  switch (r.kind) {
    case 'leader':
      return r.deputyMay
        ? { vi: `Giám đốc hoặc Phó Giám đốc phụ trách ${AREA_LABELS[r.area].vi}`, en: `the Director or the Deputy Director for ${AREA_LABELS[r.area].en}` }
        : { vi: 'Giám đốc', en: 'the Director' };
    case 'staff':
      return { vi: `Cán bộ của Sở (${slot.label.title.toLowerCase()})`, en: 'a Department officer' };
    case 'member':
      return { vi: r.name, en: r.name };
    case 'host':
      return { vi: `Đại diện ${r.orgName}`, en: `a representative of ${r.orgName}` };
  }
}
