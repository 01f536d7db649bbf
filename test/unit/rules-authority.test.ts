/**
 * Issue 12: who may give each Department command and sign each document type, from the rule-set;
 * delegation (KT. GIÁM ĐỐC), capacities, party B and council signatures; the issuance steps' refusals.
 */
import { DELEGATION_AREAS, POSITIONS, type CommandName, type DelegationArea, type Position, type TaskState } from '../../workflows/definitions';
import {
  areaOf,
  commandPositionRefusal,
  DEPARTMENT_STAFF,
  issueRefusal,
  registerRefusal,
  signatureLabel,
  signatureRecord,
  signatureSlots,
  signRefusal,
  slotRefusal,
  type IssuanceFacts,
  type Signer,
} from '../../workflows/rules/authority';
import { ruleSetFor } from '../../workflows/rules/ruleset';
import { COMMANDS, COMMAND_NAMES } from '../../workflows/rules/transitions';
import { TASK_DOCUMENT_KINDS, type TaskDocumentKind, type TaskDocumentSubject } from '../../workflows/task-documents';

const rs = ruleSetFor({ regime: 'LEGACY_2013', provinceProfile: 'tay-ninh', version: '2026.2' });
const authority = rs.authority;

const staff = (position: Position | undefined, areas?: DelegationArea[]): Signer => ({ userId: `u-${position ?? 'none'}`, role: 'manager', name: `Cán bộ ${position ?? ''}`, orgId: 'org-skhcn', position, ...(areas ? { areas } : {}) });
const director = staff('director');
const deputyAll = staff('deputy_director', [...DELEGATION_AREAS]);
const deputyNone = staff('deputy_director', ['identification']);
const head = staff('head_of_division');
const officer = staff('officer');
const clerk = staff('clerk');
const legacyManager = staff(undefined);
const researcher: Signer = { userId: 'u-r', role: 'researcher', name: 'Nguyễn Thị Hương', orgId: 'org-vien-sinh-hoc' };
const otherResearcher: Signer = { userId: 'u-r2', role: 'researcher', name: 'Lê Văn Đức', orgId: 'org-truong' };
const chair: Signer = { userId: 'cm-1', role: 'council_member', name: 'Phạm Thị Ngọc Ánh', orgId: 'org-hoi-dong' };
const secretary: Signer = { userId: 'cm-9', role: 'council_member', name: 'Ngô Thanh Tâm', orgId: 'org-hoi-dong' };
const admin: Signer = { userId: 'u-admin', role: 'admin', name: 'Quản trị', orgId: 'org-skhcn' };

const state = {
  host: { orgId: 'org-vien-sinh-hoc', orgName: 'Viện Sinh học Nhiệt đới', pi: { name: 'Nguyễn Thị Hương', email: 'huong@x.vn' } },
  contract: { hostSignedBy: { userId: 'u-r', role: 'researcher', name: 'Nguyễn Thị Hương' }, hostSignedAt: '2027-01-05T03:00:00.000Z' },
  councilSittings: [{ councilId: 'council-X-C-ACC-1', kind: 'C-ACC', formedAt: '', status: 'DECIDED', officers: [{ role: 'chair', memberId: 'cm-1', name: 'Phạm Thị Ngọc Ánh' }, { role: 'scientific_secretary', memberId: 'cm-9', name: 'Ngô Thanh Tâm' }] }],
} as unknown as TaskState;

const subjectOf = (kind: TaskDocumentKind): TaskDocumentSubject | undefined =>
  kind === 'council_formation_decision' ? { council: { councilId: 'c', kind: 'C-SEL', members: [], meetingOn: '2027-01-01', votingDeadline: '', ballot: 'open' } } : undefined;

describe('commands: the Department\'s people act by position (a clerk gives none)', () => {
  const departmentCommands = COMMAND_NAMES.filter((c) => (COMMANDS[c].roles as readonly string[]).includes('manager'));
  test.each(departmentCommands)('%s: director, deputy, head of division, officer (and a manager without a position) yes; clerk no', (c: CommandName) => {
    for (const p of DEPARTMENT_STAFF) expect(commandPositionRefusal(c, { role: 'manager', position: p }, authority)).toBeNull();
    expect(commandPositionRefusal(c, { role: 'manager' }, authority)).toBeNull();
    const r = commandPositionRefusal(c, { role: 'manager', position: 'clerk' }, authority);
    expect(r).toMatchObject({ code: 'FORBIDDEN_POSITION', rule: COMMANDS[c].rule });
    expect(r!.message.vi).toContain('Văn thư không được');
    expect(r!.message.en).toContain('A clerk may not');
  });
  test('a researcher\'s commands are judged by role and organisation, not position', () => {
    for (const c of COMMAND_NAMES.filter((x) => !(COMMANDS[x].roles as readonly string[]).includes('manager'))) {
      expect(commandPositionRefusal(c, { role: 'researcher' }, authority)).toBeNull();
    }
  });
  test('the same table under 2026.1 (documents issued at once)', () => {
    const old = ruleSetFor({ regime: 'LEGACY_2013', provinceProfile: 'tay-ninh', version: '2026.1' }).authority;
    expect(old.commandPositions).toEqual(authority.commandPositions);
    expect(commandPositionRefusal('approveTask', { role: 'manager', position: 'clerk' }, old)).toMatchObject({ code: 'FORBIDDEN_POSITION' });
  });
});

/** Who may sign the Department's block of each kind, and what it prints. */
const EXPECTED: Record<TaskDocumentKind, { area: DelegationArea | null; deputy: boolean; staff: boolean; title: string; authority?: string; hostSigns?: boolean; council?: boolean }> = {
  council_formation_decision: { area: 'selection', deputy: true, staff: false, title: 'GIÁM ĐỐC' },
  order_list_approval: { area: 'identification', deputy: true, staff: false, title: 'GIÁM ĐỐC' },
  call_notice: { area: 'selection', deputy: true, staff: false, title: 'GIÁM ĐỐC' },
  dossier_opening_record: { area: null, deputy: true, staff: true, title: 'ĐẠI DIỆN SỞ' },
  budget_appraisal_record: { area: 'approval', deputy: true, staff: false, title: 'TỔ TRƯỞNG TỔ THẨM ĐỊNH' },
  task_approval_decision: { area: 'approval', deputy: true, staff: false, title: 'GIÁM ĐỐC' },
  contract: { area: 'contract', deputy: true, staff: false, title: 'GIÁM ĐỐC', authority: 'ĐẠI DIỆN BÊN A', hostSigns: true },
  contract_annex: { area: 'contract', deputy: true, staff: false, title: 'GIÁM ĐỐC', authority: 'ĐẠI DIỆN BÊN A', hostSigns: true },
  inspection_record: { area: null, deputy: true, staff: true, title: 'TRƯỞNG ĐOÀN KIỂM TRA' },
  adjustment_decision: { area: 'execution', deputy: true, staff: false, title: 'GIÁM ĐỐC' },
  suspension_notice: { area: 'execution', deputy: true, staff: false, title: 'GIÁM ĐỐC' },
  termination_decision: { area: 'execution', deputy: false, staff: false, title: 'GIÁM ĐỐC' },
  acceptance_minutes: { area: null, deputy: false, staff: false, title: 'CHỦ TỊCH HỘI ĐỒNG', council: true },
  recognition_decision: { area: 'acceptance', deputy: true, staff: false, title: 'GIÁM ĐỐC' },
  registration_certificate: { area: 'acceptance', deputy: true, staff: false, title: 'GIÁM ĐỐC' },
  liquidation_record: { area: 'settlement', deputy: true, staff: false, title: 'GIÁM ĐỐC', authority: 'ĐẠI DIỆN BÊN A', hostSigns: true },
};

describe.each([...TASK_DOCUMENT_KINDS])('%s: the signer\'s position matches the rule-set', (kind) => {
  const e = EXPECTED[kind];
  const slots = signatureSlots(kind, state, subjectOf(kind), authority);
  const first = slots[0]!;

  test('its blocks', () => {
    if (e.council) {
      expect(slots.map((s) => [s.slotId, s.label.title])).toEqual([['chair', 'CHỦ TỊCH HỘI ĐỒNG'], ['secretary', 'THƯ KÝ KHOA HỌC']]);
      return;
    }
    expect(first).toMatchObject({ slotId: 'department', party: 'department', label: { title: e.title, ...(e.authority ? { authority: e.authority } : {}) } });
    if (e.area) expect(areaOf(kind, subjectOf(kind), authority)).toBe(e.area);
    expect(slots.map((s) => s.slotId)).toEqual(e.hostSigns ? ['department', 'party_b'] : ['department']);
  });

  test('who may sign the Department\'s block, and what it prints', () => {
    if (e.council) {
      expect(slotRefusal(slots[0]!, chair)).toBeNull();
      expect(slotRefusal(slots[1]!, secretary)).toBeNull();
      for (const who of [director, officer, researcher, secretary]) expect(slotRefusal(slots[0]!, who)).not.toBeNull();
      expect(signatureLabel(slots[0]!, chair)).toEqual({ title: 'CHỦ TỊCH HỘI ĐỒNG' });
      return;
    }
    expect(slotRefusal(first, director)).toBeNull();
    expect(slotRefusal(first, deputyAll) === null).toBe(e.deputy);
    expect(slotRefusal(first, officer) === null).toBe(e.staff);
    expect(slotRefusal(first, head) === null).toBe(e.staff);
    expect(slotRefusal(first, legacyManager) === null).toBe(e.staff); // acts as an officer
    for (const never of [clerk, researcher, otherResearcher, chair, admin]) expect(slotRefusal(first, never)).toMatchObject({ code: 'NOT_COMPETENT_SIGNER' });
    // A researcher never signs a Department document.
    expect(slotRefusal(first, researcher)!.message.en).toBe('A researcher, council member or administrator never signs a Department document.');
    if (e.area && e.deputy && !e.staff) {
      // Outside the delegated areas, a Deputy may not.
      if (e.area !== 'identification') expect(slotRefusal(first, deputyNone)!.message.vi).toMatch(/^Phó Giám đốc không được phân công lĩnh vực /);
      const printed = signatureLabel(first, deputyAll);
      if (first.capacity) expect(printed).toEqual({ title: first.capacity });
      else expect(printed).toEqual({ authority: [e.authority, 'KT. GIÁM ĐỐC'].filter(Boolean).join('\n'), title: 'PHÓ GIÁM ĐỐC' });
      expect(signatureLabel(first, director)).toEqual(first.capacity ? { title: first.capacity } : { ...(e.authority ? { authority: e.authority } : {}), title: 'GIÁM ĐỐC' });
    }
    if (!e.deputy) expect(slotRefusal(first, deputyAll)!.message.en).toBe('The Director signs this document; it is not delegated.');
  });

  if (e.hostSigns) {
    test('party B: a researcher of the host organisation, never another\'s', () => {
      const b = slots[1]!;
      expect(b).toMatchObject({ party: 'host', label: { authority: 'ĐẠI DIỆN BÊN B', title: 'THỦ TRƯỞNG TỔ CHỨC CHỦ TRÌ' } });
      expect(slotRefusal(b, researcher)).toBeNull();
      expect(slotRefusal(b, otherResearcher)!.message.en).toBe('Only a representative of Viện Sinh học Nhiệt đới signs as party B.');
      expect(slotRefusal(b, director)).not.toBeNull();
      // The contract's party B signed by its command (L-11).
      if (kind === 'contract') expect(b.presigned).toMatchObject({ userId: 'u-r', mode: 'system', at: '2027-01-05T03:00:00.000Z' });
      else expect(b.presigned).toBeUndefined();
    });
  }
});

test('every position is known by name in both languages', () => {
  expect(POSITIONS).toEqual(['director', 'deputy_director', 'head_of_division', 'officer', 'clerk']);
});

describe('issuance: draft → signature → register → issue, and each refusal', () => {
  const slots = signatureSlots('contract', state, undefined, authority);
  let f: IssuanceFacts = { status: 'AWAITING_SIGNATURE', slots, signatures: slots.flatMap((s) => (s.presigned ? [s.presigned] : [])) };

  test('signing: the open block that is the signer\'s; twice is refused (409), a stranger 403', () => {
    expect(signRefusal(f, researcher)).toMatchObject({ refusal: { code: 'ALREADY_SIGNED' } }); // party B signed by command
    expect(signRefusal(f, officer)).toMatchObject({ refusal: { code: 'NOT_COMPETENT_SIGNER' } });
    expect(signRefusal(f, deputyNone)).toMatchObject({ refusal: { code: 'NOT_COMPETENT_SIGNER', message: { en: 'This Deputy Director is not delegated contracts.' } } });
    const ok = signRefusal(f, deputyAll);
    expect(ok).toMatchObject({ slot: { slotId: 'department' } });
    const sig = signatureRecord((ok as { slot: (typeof slots)[number] }).slot, { ...deputyAll, email: 'trang@x.vn' }, '2027-01-06T02:00:00.000Z');
    expect(sig).toEqual({ slotId: 'department', userId: deputyAll.userId, name: deputyAll.name, email: 'trang@x.vn', position: 'deputy_director', label: { authority: 'ĐẠI DIỆN BÊN A\nKT. GIÁM ĐỐC', title: 'PHÓ GIÁM ĐỐC' }, at: '2027-01-06T02:00:00.000Z', mode: 'certificate' });
    f = { ...f, signatures: [...f.signatures, sig], status: 'SIGNED' };
    expect(signRefusal(f, deputyAll)).toMatchObject({ refusal: { code: 'ALREADY_SIGNED' } });
    expect(signRefusal(f, director)).toMatchObject({ refusal: { code: 'ALREADY_SIGNED' } });
  });

  test('register and issue: the clerk only, in order', () => {
    const unsigned: IssuanceFacts = { ...f, status: 'AWAITING_SIGNATURE' };
    expect(registerRefusal(unsigned, clerk)).toMatchObject({ code: 'NOT_SIGNED' });
    expect(issueRefusal(unsigned, clerk)).toMatchObject({ code: 'NOT_SIGNED' });
    for (const who of [director, officer, legacyManager, researcher, admin]) {
      expect(registerRefusal(f, who)).toMatchObject({ code: 'CLERK_ONLY' });
      expect(issueRefusal(f, who)).toMatchObject({ code: 'CLERK_ONLY' });
    }
    expect(registerRefusal(f, clerk)).toBeNull();
    expect(issueRefusal(f, clerk)).toMatchObject({ code: 'NOT_REGISTERED' });
    const registered: IssuanceFacts = { ...f, status: 'REGISTERED' };
    expect(registerRefusal(registered, clerk)).toMatchObject({ code: 'ALREADY_REGISTERED' });
    expect(issueRefusal(registered, clerk)).toBeNull();
    const issued: IssuanceFacts = { ...f, status: 'ISSUED' };
    expect(issueRefusal(issued, clerk)).toMatchObject({ code: 'ALREADY_ISSUED' });
    expect(signRefusal(issued, director)).toMatchObject({ refusal: { code: 'ALREADY_ISSUED' } });
    const withdrawn: IssuanceFacts = { ...f, status: 'WITHDRAWN' };
    expect(signRefusal(withdrawn, director)).toMatchObject({ refusal: { code: 'WITHDRAWN' } });
    expect(registerRefusal(withdrawn, clerk)).toMatchObject({ code: 'WITHDRAWN' });
  });
});
