/**
 * What each council's members judge (issue 10): the item per thing voted on, with the applicant
 * or host (no contact details), and the approved products of an acceptance council.
 */
import { councilDossier } from '../../api/council-dossier';
import { CouncilDossier } from '../../api/schemas';
import { HOST, liquidatedState, OTHER, TASK_ID, TITLE } from '../support/task-fixtures';

const state = liquidatedState();

test('C-SEL: one item per dossier the sitting scores (the valid ones), each with its applicant; an unknown code has none', () => {
  const d = councilDossier({ kind: 'C-SEL', dossiers: ['HS-1-1', 'HS-1-2', 'HS-9-9'] }, state);
  expect(d.items).toEqual([
    { itemId: 'HS-1-1', label: 'HS-1-1 — Viện Sinh học Nhiệt đới', host: { orgId: HOST.orgId, orgName: HOST.orgName, pi: { name: HOST.pi.name } }, files: [] },
    { itemId: 'HS-1-2', label: 'HS-1-2 — Trường Đại học Tây Ninh', host: { orgId: OTHER.orgId, orgName: OTHER.orgName, pi: { name: OTHER.pi.name } }, files: [] },
    { itemId: 'HS-9-9', label: 'HS-9-9', files: [] },
  ]);
  // The invalid dossier HS-1-3 is not the sitting's: not shown.
  expect(JSON.stringify(d)).not.toContain('HS-1-3');
  expect(CouncilDossier.safeParse(d).success).toBe(true);
});

test('every council: the task and its proposal without the proposer\'s e-mail or phone; no e-mail address anywhere', () => {
  for (const kind of ['C-ID', 'C-SEL', 'C-ACC'] as const) {
    const d = councilDossier({ kind, dossiers: ['HS-1-1'] }, { ...state, proposal: { ...state.proposal, proposer: { ...state.proposal.proposer, phone: '+84 912 345 678' } } });
    expect(d.task).toMatchObject({ taskId: TASK_ID, title: TITLE, level: 'provincial', form: 'research_topic' });
    expect(d.task.proposal.proposer).toEqual({ name: 'Nguyễn Thị Hương', organisation: 'Viện Sinh học Nhiệt đới' });
    expect(JSON.stringify(d)).not.toMatch(/@|912 345 678/);
    expect(CouncilDossier.safeParse(d).success).toBe(true);
  }
});

test('C-ACC: the acceptance dossier of the host and the approved products P1…Pn in approval order', () => {
  const d = councilDossier({ kind: 'C-ACC' }, state);
  expect(d.items).toEqual([{ itemId: 'acceptance-dossier', label: 'Hồ sơ đánh giá nghiệm thu — Viện Sinh học Nhiệt đới', host: { orgId: HOST.orgId, orgName: HOST.orgName, pi: { name: HOST.pi.name } }, files: [] }]);
  expect(d.products).toEqual([
    { productId: 'P1', name: '02 giống lúa chịu mặn được công nhận' },
    { productId: 'P2', name: 'Quy trình kỹ thuật canh tác lúa chịu mặn' },
    { productId: 'P3', name: 'Bài báo khoa học (≥ 2)' },
  ]);
  expect(d.task.approval).toEqual(state.approval);
});

test('C-ID: the proposal is the one item', () => {
  const { approval: _none, ...proposed } = state;
  const d = councilDossier({ kind: 'C-ID' }, proposed);
  expect(d.items).toEqual([{ itemId: 'proposal', label: TITLE, files: [] }]);
  expect(d.task).not.toHaveProperty('approval');
  expect(d).not.toHaveProperty('products');
});
