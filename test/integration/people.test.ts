/**
 * Issue 11, people for councils: users' academic title and workplace (set by the admin), the
 * people a manager may pick for a council (GET /people: their Department only, searched by
 * words with accents optional, ordered by given name, paged), and council members provisioned in
 * bulk from a sheet uploaded through /uploads (POST /users/imports: dry run, per-row errors
 * naming row and column, idempotent by e-mail). On the real API and FerretDB.
 */
import ExcelJS from 'exceljs';
import type { Caller } from '../../api/auth';
import { DEV_PROFILES } from '../../scripts/dev-users';
import { pdfFile } from '../support/files';
import { uploadSheet } from '../support/fixtures';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
const otherManager: Caller = { userId: 'u-manager-long-an', role: 'manager', name: 'Võ Minh Tâm', email: 'tam.vm@skhcn-long-an.example.vn', orgId: 'org-skhcn-long-an', departmentId: 'skhcn-long-an', locale: 'vi' };
const otherAdmin: Caller = { ...otherManager, userId: 'u-admin-long-an', role: 'admin', email: 'admin@skhcn-long-an.example.vn' };

beforeAll(async () => {
  stack = await startStack({ inProcessWorker: false });
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

const json = async (res: Response): Promise<any> => res.json();
const people = async (query: string, as: 'manager' | 'admin' | Caller = 'manager') => {
  const res = await stack.call('GET', `/api/v1/people${query}`, { as });
  expect(res.status).toBe(200);
  return json(res);
};

const csv = (lines: string[]) => Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');

describe('academic title and workplace', () => {
  test('an admin creates a user with both, changes the workplace, and removes the title with null', async () => {
    const created = await stack.call('POST', '/api/v1/users', {
      as: 'admin',
      body: { email: 'son.tt@hcmut.example.vn', name: 'Trịnh Thái Sơn', role: 'council_member', orgId: 'org-dh-bach-khoa', title: 'PGS.TS.', workplace: 'Trường Đại học Bách khoa' },
    });
    expect(created.status).toBe(201);
    const user = await json(created);
    expect(user).toMatchObject({ name: 'Trịnh Thái Sơn', title: 'PGS.TS.', workplace: 'Trường Đại học Bách khoa' });
    const moved = await json(await stack.call('PATCH', `/api/v1/users/${user.userId}`, { as: 'admin', body: { workplace: 'Đại học Quốc gia Thành phố Hồ Chí Minh' } }));
    expect(moved).toMatchObject({ title: 'PGS.TS.', workplace: 'Đại học Quốc gia Thành phố Hồ Chí Minh' });
    // The new workplace is searchable at once, the old one no longer.
    expect((await people('?q=quoc%20gia')).items.map((p: any) => p.userId)).toContain(user.userId);
    expect((await people('?q=bach%20khoa')).items.map((p: any) => p.userId)).not.toContain(user.userId);
    const cleared = await json(await stack.call('PATCH', `/api/v1/users/${user.userId}`, { as: 'admin', body: { title: null } }));
    expect(cleared).not.toHaveProperty('title');
    expect(cleared.workplace).toBe('Đại học Quốc gia Thành phố Hồ Chí Minh');
    // A blank title is refused, naming the field.
    const blank = await stack.call('PATCH', `/api/v1/users/${user.userId}`, { as: 'admin', body: { title: '  ' } });
    expect(blank.status).toBe(400);
    expect((await json(blank)).errors).toEqual([expect.objectContaining({ field: 'title' })]);
  });
});

describe('GET /people', () => {
  test('the development council member is seeded with a title and workplace, and found by words of either, accents optional', async () => {
    expect(DEV_PROFILES['u-council-1']).toEqual({ title: 'PGS.TS.', workplace: 'Trường Đại học Nông Lâm Thành phố Hồ Chí Minh' });
    const found = await people('?role=council_member&q=pgs%20nong%20lam');
    expect(found.items).toEqual([
      {
        userId: 'u-council-1',
        name: 'Phạm Thị Ngọc Ánh',
        title: 'PGS.TS.',
        workplace: 'Trường Đại học Nông Lâm Thành phố Hồ Chí Minh',
        email: 'anh.ptn@hoidong.example.vn',
        role: 'council_member',
        organisation: { orgId: 'org-hoi-dong', orgName: 'Hội đồng tư vấn' },
      },
    ]);
    // With accents, in capitals, by part of a word of the name: the same person.
    expect((await people(`?q=${encodeURIComponent('NGỌC Án')}`)).items.map((p: any) => p.userId)).toEqual(['u-council-1']);
    expect((await people('?q=khong%20ai%20ten%20nay')).items).toEqual([]);
  });

  test('ordered by given name, then the whole name; page by page with the cursor; inactive users left out', async () => {
    const names = ['Nguyễn Văn Bảo', 'Lê Thị Bảo Anh', 'Trần Quang Đạt', 'Phan Minh Châu', 'Hoàng Văn Zũng'];
    const ids: string[] = [];
    for (const [i, name] of names.entries()) {
      const res = await stack.call('POST', '/api/v1/users', { as: 'admin', body: { email: `thu.tu.${i}@xep-ten.example.vn`, name, role: 'council_member', orgId: 'org-xep-ten', workplace: 'Viện Xếp Tên' } });
      expect(res.status).toBe(201);
      ids.push((await json(res)).userId);
    }
    const off = await stack.call('PATCH', `/api/v1/users/${ids[4]}`, { as: 'admin', body: { active: false } });
    expect(off.status).toBe(200);
    const first = await people('?q=xep%20ten&limit=2');
    expect(first.items.map((p: any) => p.name)).toEqual(['Lê Thị Bảo Anh', 'Nguyễn Văn Bảo']);
    const second = await people(`?q=xep%20ten&limit=2&cursor=${first.nextCursor}`);
    expect(second.items.map((p: any) => p.name)).toEqual(['Phan Minh Châu', 'Trần Quang Đạt']);
    expect(second.nextCursor).toBeNull();
    // The same person by organisation filter; a cursor of another query is refused.
    expect((await people('?orgId=org-xep-ten&role=council_member')).items).toHaveLength(4);
    const wrong = await stack.call('GET', `/api/v1/people?q=khac&cursor=${first.nextCursor}`, { as: 'manager' });
    expect(wrong.status).toBe(400);
    expect((await json(wrong)).errors[0].field).toBe('cursor');
  });

  test('only the caller\'s Department; researchers and council members are refused; a bad parameter is a 400 naming it', async () => {
    const theirs = await people('?role=council_member&limit=100', otherManager);
    expect(theirs.items.map((p: any) => p.userId)).not.toContain('u-council-1');
    for (const who of ['researcher', 'councilMember'] as const) {
      const res = await stack.call('GET', '/api/v1/people', { as: who });
      expect(res.status).toBe(403);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    }
    const cases: [string, string][] = [['?role=chairman', 'role'], ['?limit=0', 'limit'], ['?colour=red', 'colour'], [`?q=${'x'.repeat(201)}`, 'q']];
    for (const [query, field] of cases) {
      const res = await stack.call('GET', `/api/v1/people${query}`, { as: 'manager', headers: { 'accept-language': 'en' } });
      expect(res.status).toBe(400);
      const body = await json(res);
      expect(body.errors.map((e: any) => e.field)).toContain(field);
      expect(body.errors[0].reason).toMatch(/\w/);
    }
    const vi = await json(await stack.call('GET', '/api/v1/people?limit=500', { as: 'manager' }));
    expect(vi.errors).toEqual([{ field: 'limit', code: 'too_big', reason: 'Phải nhỏ hơn hoặc bằng 100.' }]);
  });
});

describe('POST /users/imports: council members from a sheet', () => {
  const SHEET = [
    'email,name,title,workplace,orgId,orgName,locale',
    'hung.nv@hcmuaf.example.vn,Nguyễn Văn Hùng,PGS.TS.,Trường Đại học Nông Lâm Thành phố Hồ Chí Minh,org-dh-nong-lam,Trường Đại học Nông Lâm,vi',
    'mai.ttt@iasvn.example.vn,Trần Thị Tuyết Mai,TS.,Viện Khoa học Kỹ thuật Nông nghiệp miền Nam,org-iasvn,,English',
    'khong-phai-email,Người Sai,TS.,,org-x,,vi',
    ',Thiếu Thư,ThS.,,,,fr',
    'HUNG.NV@hcmuaf.example.vn,Nguyễn Văn Hùng (lặp),,,org-dh-nong-lam,,',
    'thang.td@skhcn.example.vn,Trần Đức Thắng,,,org-skhcn,,',
  ];

  test('a dry run writes nothing; the run creates; the same sheet again changes nothing; bad rows name their row and column', async () => {
    const uploadId = await uploadSheet(stack, 'admin', 'Thành viên hội đồng.csv', csv(SHEET));
    const before = await stack.store.User.countDocuments();
    const dry = await stack.call('POST', '/api/v1/users/imports', { as: 'admin', body: { uploadId, dryRun: true } });
    expect(dry.status).toBe(200);
    const dryReport = await json(dry);
    expect(dryReport.counts).toEqual({ created: 0, updated: 0, unchanged: 0, would_create: 2, would_update: 0, invalid: 4 });
    expect(await stack.store.User.countDocuments()).toBe(before);
    expect(dryReport.file).toEqual({ uploadId, filename: 'Thành viên hội đồng.csv' });
    const byRow = new Map(dryReport.rows.map((r: any) => [r.row, r]));
    expect(byRow.get(2)).toMatchObject({ email: 'hung.nv@hcmuaf.example.vn', outcome: 'would_create' });
    expect(byRow.get(4)).toMatchObject({ outcome: 'invalid', errors: [{ column: 'email', reason: 'Không đúng định dạng (regex).' }] });
    expect((byRow.get(5) as any).errors.map((e: any) => e.column).sort()).toEqual(['email', 'locale', 'orgId']);
    expect((byRow.get(5) as any).errors.find((e: any) => e.column === 'locale').reason).toBe('Chỉ nhận vi (Tiếng Việt) hoặc en (English).');
    expect(byRow.get(6)).toMatchObject({ outcome: 'invalid', errors: [{ column: 'email', reason: 'Trùng thư điện tử với dòng 2.' }] });
    // The manager's account is not a council member: never taken over by a sheet.
    expect(byRow.get(7)).toMatchObject({ outcome: 'invalid', errors: [{ column: 'email', reason: expect.stringMatching(/^Thư điện tử này đã thuộc một tài khoản khác/) }] });

    const run = await json(await stack.call('POST', '/api/v1/users/imports', { as: 'admin', body: { uploadId } }));
    expect(run.counts).toEqual({ created: 2, updated: 0, unchanged: 0, would_create: 0, would_update: 0, invalid: 4 });
    expect(await stack.store.User.countDocuments()).toBe(before + 2);
    const mai = await stack.store.User.findOne({ email: 'mai.ttt@iasvn.example.vn' }).lean();
    expect(mai).toMatchObject({ role: 'council_member', title: 'TS.', workplace: 'Viện Khoa học Kỹ thuật Nông nghiệp miền Nam', orgId: 'org-iasvn', locale: 'en', departmentId: stack.config.DEPARTMENT_ID, active: true });
    expect(mai).not.toHaveProperty('passwordHash');
    // Found for a council at once, by the new workplace.
    expect((await people('?role=council_member&q=ky%20thuat%20mien%20nam')).items.map((p: any) => p.email)).toEqual(['mai.ttt@iasvn.example.vn']);
    // Audited, as user administration.
    const audit = await json(await stack.call('GET', '/api/v1/audit-log?action=importUser', { as: 'admin' }));
    expect(audit.items.map((e: any) => e.subjectUserId).sort()).toEqual([mai!._id, run.rows[0].userId].sort());

    const again = await json(await stack.call('POST', '/api/v1/users/imports', { as: 'admin', body: { uploadId } }));
    expect(again.counts).toMatchObject({ created: 0, updated: 0, unchanged: 2 });
    expect(await stack.store.User.countDocuments()).toBe(before + 2);
  });

  test('an XLSX with the Vietnamese labels as headers updates a profile by e-mail, in English when asked', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Danh sách');
    ws.addRow(['Thư điện tử', 'Họ và tên', 'Học hàm, học vị', 'Nơi công tác', 'Mã tổ chức']);
    ws.addRow(['ha.ltt@hoidong.example.vn', 'Lý Thị Thu Hà', 'TS.', 'Sở Nông nghiệp và Môi trường tỉnh Tây Ninh', 'org-hoi-dong']);
    ws.addRow(['loan.pt@example.vn', 'Phan Thị Loan', 'ThS.', 'Trường Cao đẳng Tây Ninh', '']);
    const uploadId = await uploadSheet(stack, 'admin', 'danh-sach.xlsx', Buffer.from(await wb.xlsx.writeBuffer()));
    // u-council-3 exists (the development seed's member, ThS.): promoted to TS.
    const seeded = { userId: 'u-council-3', role: 'council_member' as const, name: 'Lý Thị Thu Hà', email: 'ha.ltt@hoidong.example.vn', orgId: 'org-hoi-dong', departmentId: stack.config.DEPARTMENT_ID, locale: 'vi' as const };
    await stack.tokenFor(seeded);
    const res = await stack.call('POST', '/api/v1/users/imports', { as: 'admin', headers: { 'accept-language': 'en' }, body: { uploadId, dryRun: false } });
    expect(res.status).toBe(200);
    const report = await json(res);
    expect(report.rows).toEqual([
      { row: 2, email: 'ha.ltt@hoidong.example.vn', name: 'Lý Thị Thu Hà', outcome: 'updated', userId: 'u-council-3' },
      { row: 3, email: 'loan.pt@example.vn', name: 'Phan Thị Loan', outcome: 'invalid', errors: [{ column: 'orgId', reason: 'This field is required.' }] },
    ]);
    expect(await stack.store.User.findById('u-council-3').lean()).toMatchObject({ title: 'TS.', workplace: 'Sở Nông nghiệp và Môi trường tỉnh Tây Ninh' });
  });

  test('a sheet that is not the template, an upload that is not a sheet or not the caller\'s: 422 naming uploadId; the wrong role 403; a bad body 400', async () => {
    const notTemplate = await uploadSheet(stack, 'admin', 'sai-mau.csv', csv(['email,name,colour', 'a@b.vn,A,red']));
    const res = await stack.call('POST', '/api/v1/users/imports', { as: 'admin', body: { uploadId: notTemplate, dryRun: true } });
    expect(res.status).toBe(422);
    const body = await json(res);
    expect(body.type).toBe('urn:khcn-flow:problem:invalid-sheet');
    expect(body.errors.map((e: any) => e.reason)).toEqual([
      'Cột 3 "colour": không có trong mẫu (cột hợp lệ: email, name, title, workplace, orgId, orgName, locale).',
      'Thiếu cột bắt buộc "orgId" (Mã tổ chức).',
    ]);
    expect(body.errors.every((e: any) => e.field === 'uploadId')).toBe(true);

    const pdf = await uploadSheet(stack, 'admin', 'danh-sach.pdf', await pdfFile());
    const notSheet = await json(await stack.call('POST', '/api/v1/users/imports', { as: 'admin', body: { uploadId: pdf } }));
    expect(notSheet.errors).toEqual([{ field: 'uploadId', code: 'not-a-sheet', reason: 'Tệp «danh-sach.pdf» không phải bảng tính XLSX hoặc CSV.' }]);
    // Another admin's upload (even of the same Department) reads as unknown.
    const mine = await uploadSheet(stack, 'admin', 'cua-toi.csv', csv([SHEET[0]!]));
    const theirs = await stack.call('POST', '/api/v1/users/imports', { as: otherAdmin, body: { uploadId: mine, dryRun: true } });
    expect(theirs.status).toBe(422);
    expect((await json(theirs)).errors[0]).toMatchObject({ field: 'uploadId', code: 'upload-not-found' });

    const manager = await stack.call('POST', '/api/v1/users/imports', { as: 'manager', body: { uploadId: mine, dryRun: true } });
    expect(manager.status).toBe(403);
    const bad = await stack.call('POST', '/api/v1/users/imports', { as: 'admin', body: { uploadId: 'abc', dryRun: 'yes' } });
    expect(bad.status).toBe(400);
    expect((await json(bad)).errors.map((e: any) => e.field).sort()).toEqual(['dryRun', 'uploadId']);
  });

  test('a CSV must be UTF-8 text named .csv: a sheet saved in another encoding is refused at upload (415)', async () => {
    const latin1 = Buffer.from('email,name,orgId\r\nan@example.vn,Nguy\xean V\xe3n An,org-x\r\n', 'latin1');
    const { multipart } = await import('../support/files');
    const { body, contentType } = multipart([{ filename: 'cu.csv', content: latin1 }]);
    const res = await stack.call('POST', '/api/v1/uploads', { as: 'admin', rawBody: body, headers: { 'content-type': contentType } });
    expect(res.status).toBe(415);
    expect((await json(res)).errors).toEqual([
      { field: 'file[0]', code: 'file-type-not-allowed', reason: 'Tệp «cu.csv»: tệp CSV phải là văn bản mã UTF-8 từ đầu đến cuối (không có ký tự điều khiển); hãy lưu bảng tính dưới dạng «CSV UTF-8» hoặc XLSX.' },
    ]);
    // The same text as UTF-8 is a sheet, kept with its type.
    const ok = multipart([{ filename: 'moi.csv', content: Buffer.from('email,name,orgId\r\nan@example.vn,Nguyễn Văn An,org-x\r\n', 'utf8') }]);
    const stored = await stack.call('POST', '/api/v1/uploads', { as: 'admin', rawBody: ok.body, headers: { 'content-type': ok.contentType } });
    expect(stored.status).toBe(201);
    expect((await json(stored)).items[0]).toMatchObject({ filename: 'moi.csv', contentType: 'text/csv' });
  });
});
