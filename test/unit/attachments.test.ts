/** Issue 10: which files a council judges (C-ID, C-SEL, C-ACC, C-3) and which of a task's files a caller sees. */
import { councilFiles, visibleTaskFiles } from '../../api/attachments';
import type { Caller } from '../../api/auth';
import type { TaskFile, TaskState } from '../../workflows/definitions';

const by = { userId: 'u', role: 'researcher' as const, name: 'N' };
const f = (fileId: string, command: string, orgId: string, dossierId?: string): TaskFile => ({
  fileId,
  filename: `${fileId}.pdf`,
  size: 10,
  sha256: 'a'.repeat(64),
  contentType: 'application/pdf',
  command,
  at: '2027-01-01T00:00:00.000Z',
  by,
  orgId,
  ...(dossierId ? { dossierId } : {}),
});
const files = [
  f('proposal', 'fileProposal', 'org-a'),
  f('hs1', 'submitDossier', 'org-a', 'HS-1-1'),
  f('hs2', 'submitDossier', 'org-b', 'HS-1-2'),
  f('hs3', 'submitDossier', 'org-c', 'HS-1-3'),
  f('report', 'submitProgressReport', 'org-a'),
  f('acceptance', 'submitAcceptanceDossier', 'org-a'),
];
const review = { memberId: 'm1', name: 'M', at: '2027-01-02T00:00:00.000Z', review: 'r', attachments: [{ fileId: 'review', filename: 'review.docx', size: 5, sha256: 'b'.repeat(64), contentType: 'application/zip' }] };
const ids = (xs: { fileId: string }[]) => xs.map((x) => x.fileId);

test('a council judges its items\' files and reads its written reviews\' (C-ID, C-SEL, C-ACC, C-3)', () => {
  expect(ids(councilFiles({ kind: 'C-ID', writtenReviews: [review] }, { files }))).toEqual(['proposal', 'review']);
  // C-SEL: the proposal and the dossiers on the agenda only (HS-1-3 was found invalid at the opening).
  expect(councilFiles({ kind: 'C-SEL', dossiers: ['HS-1-1', 'HS-1-2'], writtenReviews: [] }, { files }).map((x) => [x.fileId, x.dossierId])).toEqual([
    ['proposal', undefined],
    ['hs1', 'HS-1-1'],
    ['hs2', 'HS-1-2'],
  ]);
  expect(ids(councilFiles({ kind: 'C-ACC', writtenReviews: [] }, { files }))).toEqual(['acceptance']);
  expect(councilFiles({ kind: 'C-ID', writtenReviews: [] }, null)).toEqual([]);
});

test('a researcher sees another organisation\'s application files only if that is their own dossier; the Department sees all', () => {
  const task: Pick<TaskState, 'files' | 'call'> = {
    files,
    call: {
      opensOn: '2027-01-01',
      closesOn: '2027-02-01',
      round: 1,
      // HS-1-3 was filed by someone of org-c for host org-d (a dossier of org-d's).
      dossiers: [
        { dossierId: 'HS-1-1', host: { orgId: 'org-a', orgName: 'A', pi: { name: 'a', email: 'a@a.vn' } }, submittedAt: 'x' },
        { dossierId: 'HS-1-2', host: { orgId: 'org-b', orgName: 'B', pi: { name: 'b', email: 'b@b.vn' } }, submittedAt: 'x' },
        { dossierId: 'HS-1-3', host: { orgId: 'org-d', orgName: 'D', pi: { name: 'd', email: 'd@d.vn' } }, submittedAt: 'x' },
      ],
    },
  };
  const user = (role: Caller['role'], orgId: string): Caller => ({ userId: 'x', role, name: 'X', email: 'x@x.vn', orgId, departmentId: 'd', locale: 'vi' });
  expect(ids(visibleTaskFiles(task, user('researcher', 'org-a')))).toEqual(['proposal', 'hs1', 'report', 'acceptance']);
  expect(ids(visibleTaskFiles(task, user('researcher', 'org-b')))).toEqual(['proposal', 'hs2', 'report', 'acceptance']);
  expect(ids(visibleTaskFiles(task, user('researcher', 'org-d')))).toEqual(['proposal', 'hs3', 'report', 'acceptance']);
  expect(ids(visibleTaskFiles(task, user('manager', 'org-skhcn')))).toEqual(ids(files));
  expect(visibleTaskFiles({ call: task.call }, user('manager', 'org-skhcn'))).toEqual([]);
});
