/**
 * `npm run import:template`: writes the import templates (templates/import/) from the
 * column lists the importers read (activities/portfolio/import.ts, activities/user-import.ts),
 * so the two never drift: for each, an XLSX with the columns, example rows and a guide sheet,
 * the same as CSV, and a README.
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { IMPORT_COLUMNS } from '../activities/portfolio/import';
import { USER_IMPORT_COLUMNS } from '../activities/user-import';

const DIR = join(__dirname, '..', 'templates', 'import');
const BASE = 'danh-muc-nhiem-vu';
const USERS_BASE = 'thanh-vien-hoi-dong';

/** Issue 11: council members provisioned in bulk (POST /api/v1/users/imports). */
export const USER_EXAMPLE_ROWS: Record<string, string>[] = [
  { email: 'hung.nv@hcmuaf.example.vn', name: 'Nguyễn Văn Hùng', title: 'PGS.TS.', workplace: 'Trường Đại học Nông Lâm Thành phố Hồ Chí Minh', orgId: 'org-dh-nong-lam', orgName: 'Trường Đại học Nông Lâm Thành phố Hồ Chí Minh', locale: 'vi' },
  { email: 'mai.ttt@iasvn.example.vn', name: 'Trần Thị Tuyết Mai', title: 'TS.', workplace: 'Viện Khoa học Kỹ thuật Nông nghiệp miền Nam', orgId: 'org-iasvn', orgName: 'Viện Khoa học Kỹ thuật Nông nghiệp miền Nam', locale: 'vi' },
  { email: 'quang.lm@giongmiennam.example.vn', name: 'Lê Minh Quang', title: 'KS.', workplace: 'Công ty Cổ phần Giống cây trồng miền Nam', orgId: 'org-giong-mien-nam', orgName: '', locale: 'en' },
];

export const EXAMPLE_ROWS: Record<string, string>[] = [
  {
    code: 'ĐTCT.2025.05', title: 'Nghiên cứu ứng dụng công nghệ sinh học trong sản xuất giống lúa chịu mặn ở Tây Ninh', level: 'provincial', form: 'research_topic',
    assignment: 'competitive_selection', stage: 'IN_PROGRESS', objectives: 'Chọn tạo 02 giống lúa chịu mặn 4‰, năng suất ≥ 6 tấn/ha; xây dựng quy trình canh tác.',
    products: '02 giống lúa chịu mặn; Quy trình kỹ thuật canh tác; 02 bài báo khoa học', hostOrgId: 'org-vien-sinh-hoc', hostOrgName: 'Viện Sinh học Nhiệt đới',
    piName: 'Nguyễn Thị Hương', piEmail: 'huong.nt@vien-sinh-hoc.example.vn', officerName: 'Trần Đức Thắng', officerEmail: 'thang.td@skhcn.example.vn',
    approvedOn: '2025-03-15', durationMonths: '24', fundingMode: 'partial_lump_sum', stateBudget: '1.500.000.000', otherSources: '250.000.000',
    contractStartOn: '2025-04-01', contractEndOn: '2027-03-31', extensionMonths: '', disbursements: '2025-04-15: 900.000.000; 2026-01-20: 400.000.000',
    reportsFiledOn: '2025-10-03', inspectionsOn: '2026-06-10', history: 'Tuyển chọn năm 2025; đã kiểm tra tiến độ tháng 6/2026.',
  },
  {
    code: 'ĐTCS.2026.02', title: 'Khảo sát hiện trạng sử dụng nước ngầm tại huyện Bến Lức', level: 'grassroots', form: 'research_topic',
    assignment: 'direct_assignment', stage: 'CONTRACTED', objectives: 'Đánh giá hiện trạng khai thác nước ngầm; đề xuất giải pháp quản lý.',
    products: 'Báo cáo khảo sát; Bản đồ hiện trạng', hostOrgId: 'org-truong-dai-hoc', hostOrgName: 'Trường Đại học Tây Ninh',
    piName: 'Lê Văn Đức', piEmail: 'duc.lv@truong-dai-hoc.example.vn', officerName: '', officerEmail: '',
    approvedOn: '2026-09-15', durationMonths: '12', fundingMode: 'full_lump_sum', stateBudget: '300000000', otherSources: '',
    contractStartOn: '2026-10-01', contractEndOn: '2027-09-30', extensionMonths: '', disbursements: '', reportsFiledOn: '', inspectionsOn: '', history: '',
  },
  {
    code: 'DA.2026.01', title: 'Dự án sản xuất thử nghiệm chế phẩm vi sinh xử lý phụ phẩm nông nghiệp', level: 'provincial', form: 'pilot_production',
    assignment: 'direct_assignment', stage: 'APPROVED', objectives: 'Sản xuất thử 20 tấn chế phẩm; chuyển giao cho 03 hợp tác xã.',
    products: '20 tấn chế phẩm vi sinh; Quy trình sản xuất', hostOrgId: 'org-vien-sinh-hoc', hostOrgName: 'Viện Sinh học Nhiệt đới',
    piName: 'Trần Văn Bình', piEmail: 'binh.tv@vien-sinh-hoc.example.vn', officerName: 'Trần Đức Thắng', officerEmail: 'thang.td@skhcn.example.vn',
    approvedOn: '2026-11-20', durationMonths: '18', fundingMode: 'partial_lump_sum', stateBudget: '2.000.000.000', otherSources: '1.000.000.000',
    contractStartOn: '', contractEndOn: '', extensionMonths: '', disbursements: '', reportsFiledOn: '', inspectionsOn: '', history: 'Phê duyệt tại Quyết định số 123/QĐ-UBND.',
  },
];

const required = { yes: 'Bắt buộc', no: 'Không bắt buộc', contract: 'Bắt buộc từ CONTRACTED' } as const;
const csvCell = (s: string) => (/[",\n;]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

async function main() {
  mkdirSync(DIR, { recursive: true });
  const keys = IMPORT_COLUMNS.map((c) => c.key);

  const wb = new ExcelJS.Workbook();
  wb.creator = 'KHCN Flow';
  wb.created = new Date('2026-12-01T00:00:00.000Z'); // fixed, so regenerating an unchanged template changes nothing that matters
  const ws = wb.addWorksheet('Danh mục');
  const header = ws.addRow(keys);
  header.font = { bold: true };
  IMPORT_COLUMNS.forEach((c, i) => {
    header.getCell(i + 1).note = `${c.label} (${required[c.required].toLowerCase()}): ${c.help}`;
    ws.getColumn(i + 1).width = Math.max(14, Math.min(40, c.label.length + 4));
    ws.getColumn(i + 1).numFmt = '@'; // text: dates and amounts stay as typed
  });
  for (const r of EXAMPLE_ROWS) ws.addRow(keys.map((k) => r[k] ?? ''));
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  const guide = wb.addWorksheet('Hướng dẫn');
  guide.addRow(['Cột', 'Tên', 'Bắt buộc', 'Cách ghi']).font = { bold: true };
  for (const c of IMPORT_COLUMNS) guide.addRow([c.key, c.label, required[c.required], c.help]);
  guide.addRow([]);
  guide.addRow(['', 'Nhập: npm run import -- --file danh-muc.xlsx (thêm --dry-run để kiểm tra trước). Mỗi dòng một nhiệm vụ; nhập lại cùng tệp không tạo nhiệm vụ mới.']);
  [16, 30, 22, 100].forEach((w, i) => (guide.getColumn(i + 1).width = w));
  writeFileSync(join(DIR, `${BASE}.xlsx`), Buffer.from(await wb.xlsx.writeBuffer()));

  const csv = [keys.join(','), ...EXAMPLE_ROWS.map((r) => keys.map((k) => csvCell(r[k] ?? '')).join(','))].join('\n') + '\n';
  writeFileSync(join(DIR, `${BASE}.csv`), csv);

  const readme = [
    '# Mẫu nhập danh mục nhiệm vụ đang thực hiện',
    '',
    `\`${BASE}.xlsx\` (trang "Danh mục"; trang "Hướng dẫn" giải thích từng cột) hoặc \`${BASE}.csv\` (UTF-8, phân cách bằng dấu phẩy hoặc chấm phẩy).`,
    'Dòng đầu là tên cột (tên mã dưới đây hoặc tên tiếng Việt); mỗi dòng sau là một nhiệm vụ. Tệp này được sinh bởi `npm run import:template`.',
    '',
    '```sh',
    'npm run import -- --file templates/import/danh-muc-nhiem-vu.xlsx --dry-run   # kiểm tra, không nhập',
    'npm run import -- --file templates/import/danh-muc-nhiem-vu.xlsx             # nhập',
    '```',
    '',
    'Hoặc qua API (trang Báo cáo của Sở): tải tệp lên (`POST /api/v1/uploads`), rồi `POST /api/v1/portfolio/imports` với `{ "uploadId": "…", "dryRun": true }` để kiểm tra, và không có `dryRun` để nhập; theo dõi tiến độ tại `GET /api/v1/portfolio/imports/{importId}`.',
    '',
    'Mỗi dòng được báo cáo: đã nhập / đã có (nhập trước đây) / không hợp lệ (cột, lý do) / bị từ chối (quy định, lý do).',
    'Một dòng không hợp lệ hoặc bị từ chối không để lại gì; chạy lại cùng tệp không tạo nhiệm vụ mới (mã nhiệm vụ quyết định mã workflow).',
    '',
    '| cột | tên | bắt buộc | cách ghi |',
    '|---|---|---|---|',
    ...IMPORT_COLUMNS.map((c) => `| \`${c.key}\` | ${c.label} | ${required[c.required]} | ${c.help.replace(/\|/g, '\\|')} |`),
    '',
  ].join('\n');
  writeFileSync(join(DIR, 'README.md'), readme);
  await writeUserTemplate();
  console.log(`wrote ${DIR}/{${BASE}.xlsx,${BASE}.csv,README.md,${USERS_BASE}.xlsx,${USERS_BASE}.csv,${USERS_BASE}.md}`);
}

async function writeUserTemplate() {
  const keys = USER_IMPORT_COLUMNS.map((c) => c.key);
  const wb = new ExcelJS.Workbook();
  wb.creator = 'KHCN Flow';
  wb.created = new Date('2026-12-01T00:00:00.000Z');
  const ws = wb.addWorksheet('Thành viên hội đồng');
  const header = ws.addRow(keys);
  header.font = { bold: true };
  USER_IMPORT_COLUMNS.forEach((c, i) => {
    header.getCell(i + 1).note = `${c.label} (${c.required === 'yes' ? 'bắt buộc' : 'không bắt buộc'}): ${c.help}`;
    ws.getColumn(i + 1).width = Math.max(16, Math.min(48, c.label.length + 8));
    ws.getColumn(i + 1).numFmt = '@';
  });
  for (const r of USER_EXAMPLE_ROWS) ws.addRow(keys.map((k) => r[k] ?? ''));
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  const guide = wb.addWorksheet('Hướng dẫn');
  guide.addRow(['Cột', 'Tên', 'Bắt buộc', 'Cách ghi']).font = { bold: true };
  for (const c of USER_IMPORT_COLUMNS) guide.addRow([c.key, c.label, c.required === 'yes' ? 'Bắt buộc' : 'Không bắt buộc', c.help]);
  guide.addRow([]);
  guide.addRow(['', 'Mỗi dòng một thành viên hội đồng. Nhập lại cùng tệp không tạo tài khoản mới: tài khoản được nhận ra theo thư điện tử.']);
  [14, 20, 16, 100].forEach((w, i) => (guide.getColumn(i + 1).width = w));
  writeFileSync(join(DIR, `${USERS_BASE}.xlsx`), Buffer.from(await wb.xlsx.writeBuffer()));
  const csv = [keys.join(','), ...USER_EXAMPLE_ROWS.map((r) => keys.map((k) => csvCell(r[k] ?? '')).join(','))].join('\n') + '\n';
  writeFileSync(join(DIR, `${USERS_BASE}.csv`), csv);
  const readme = [
    '# Mẫu nhập thành viên hội đồng',
    '',
    `\`${USERS_BASE}.xlsx\` hoặc \`${USERS_BASE}.csv\` (UTF-8, phân cách bằng dấu phẩy hoặc chấm phẩy). Dòng đầu là tên cột (tên mã hoặc tên tiếng Việt); mỗi dòng sau là một thành viên hội đồng.`,
    'Tải tệp lên (`POST /api/v1/uploads`), rồi `POST /api/v1/users/imports` với `{ "uploadId": "…", "dryRun": true }` để kiểm tra (không ghi gì), và `dryRun: false` để nhập.',
    'Mỗi dòng được báo cáo: tạo mới / cập nhật / không đổi / không hợp lệ (cột, lý do). Chạy lại cùng tệp không tạo tài khoản mới.',
    'Tài khoản nhập vào chưa có mật khẩu: thành viên đăng nhập qua hệ thống xác thực bên ngoài, hoặc quản trị viên đặt mật khẩu.',
    '',
    '| cột | tên | bắt buộc | cách ghi |',
    '|---|---|---|---|',
    ...USER_IMPORT_COLUMNS.map((c) => `| \`${c.key}\` | ${c.label} | ${c.required === 'yes' ? 'Bắt buộc' : 'Không bắt buộc'} | ${c.help.replace(/\|/g, '\\|')} |`),
    '',
  ].join('\n');
  writeFileSync(join(DIR, `${USERS_BASE}.md`), readme);
}

if (require.main === module) void main();
