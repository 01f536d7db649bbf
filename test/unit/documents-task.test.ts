/**
 * Every task document of domain.md §7, rendered from a realistic recorded state and read back
 * with `pdftotext -layout` as a reader would: the administrative header (motto, issuing body,
 * number and symbol, place and date), the title, the names with their diacritics, amounts in
 * VND, dates dd/mm/yyyy, the state hash, the signer and the distribution list.
 */
import { pdfReader, squashText } from '../support/pdf-text';
import { stateHash } from '../../activities/documents/format';
import { renderScoreSheet, scoreSheetMembers } from '../../activities/documents/score-sheet';
import { departmentSymbol, numberSeries, renderTaskDocument, taskDocumentTitle } from '../../activities/documents/task-documents';
import { TASK_DOCUMENT_KINDS, type TaskDocumentKind } from '../../workflows/task-documents';
import { DEPARTMENT, HOST, MANAGER, openView, SEATS, snapshotFor, TASK_ID, TITLE } from '../support/task-fixtures';

const pdf = pdfReader('task-pdf');
const pdfText = (b: Buffer, name: string) => pdf.text(b, name);

/** Whitespace only changes with wrapping and columns; page footers are dropped so text across a page break stays contiguous. */
const squash = squashText;

/** What every document must show (the administrative format of §7). */
interface Expectations {
  number: string;
  date: string;
  title: string[];
  body: string[];
  signer: string[];
  distribution: string[];
}

const EXPECTED: Record<TaskDocumentKind, Expectations> = {
  council_formation_decision: {
    number: '05/QĐ-SKHCN',
    date: 'Tây Ninh, ngày 12 tháng 01 năm 2028',
    title: ['QUYẾT ĐỊNH', 'Về việc thành lập Hội đồng tư vấn đánh giá nghiệm thu nhiệm vụ khoa học và công nghệ'],
    body: [
      'GIÁM ĐỐC SỞ KHOA HỌC VÀ CÔNG NGHỆ TỈNH TÂY NINH', 'Căn cứ Luật Khoa học và Công nghệ số 29/2013/QH13;', 'QUYẾT ĐỊNH:',
      `Thành lập Hội đồng tư vấn đánh giá nghiệm thu nhiệm vụ “${TITLE}” (mã ${TASK_ID}), gồm 9 thành viên`,
      // Issue 12: each member with their academic title before the name, their workplace and their role.
      'STT Học hàm, học vị, họ và tên Cơ quan công tác Chức danh trong hội đồng',
      ...SEATS.map((m) => `${m.title} ${m.name}`), 'Chủ tịch', 'Phó Chủ tịch', 'Ủy viên phản biện', 'Thư ký khoa học',
      '2 TS. Đặng Quốc Việt Trường Đại học Cần Thơ Phó Chủ tịch', '9 TS. Bùi Xuân Trường Viện Sinh học Nhiệt đới Ủy viên',
      'Thư ký hành chính (cán bộ Sở, không bỏ phiếu): Trần Đức Thắng.',
      'Hội đồng họp ngày 20/02/2028; hình thức bỏ phiếu: bỏ phiếu kín; hạn bỏ phiếu: 17 giờ 00, ngày 20/02/2028.',
      'TS. Bùi Xuân Trường (Cùng cơ quan với chủ nhiệm nhiệm vụ)',
    ],
    signer: ['GIÁM ĐỐC', MANAGER.name],
    distribution: ['Nơi nhận:', '- Như Điều 3;', '- Các thành viên hội đồng;', '- Lưu: VT, QLKH.'],
  },
  order_list_approval: {
    number: '01/QĐ-SKHCN',
    date: 'Tây Ninh, ngày 26 tháng 01 năm 2026',
    title: ['QUYẾT ĐỊNH', 'Về việc phê duyệt danh mục nhiệm vụ khoa học và công nghệ đặt hàng'],
    body: [
      'Căn cứ kết luận của Hội đồng tư vấn xác định nhiệm vụ ngày 22/01/2026 kiến nghị đặt hàng (7/8 thành viên có mặt đồng ý);',
      `Tên nhiệm vụ: ${TITLE}`, 'Cấp quản lý: Cấp tỉnh', 'Hình thức: Đề tài',
      'Mục tiêu: Chọn tạo 02 giống lúa chịu mặn 4‰, năng suất ≥ 6 tấn/ha; xây dựng quy trình canh tác.',
      '02 giống lúa chịu mặn được công nhận', 'Bài báo khoa học (≥ 2)',
      'Kinh phí dự kiến: 1.750.000.000 đồng (ngân sách nhà nước 1.500.000.000 đồng; nguồn khác 250.000.000 đồng)',
      'Tổ chức, cá nhân đề xuất: Viện Sinh học Nhiệt đới (Nguyễn Thị Hương)',
    ],
    signer: ['GIÁM ĐỐC', MANAGER.name],
    distribution: ['- Như Điều 3;', '- Viện Sinh học Nhiệt đới (đơn vị đề xuất);', '- Lưu: VT, QLKH.'],
  },
  call_notice: {
    number: '02/TB-SKHCN',
    date: 'Tây Ninh, ngày 02 tháng 02 năm 2026',
    title: ['THÔNG BÁO', 'Tuyển chọn tổ chức, cá nhân chủ trì thực hiện nhiệm vụ khoa học và công nghệ'],
    body: [
      'Sở Khoa học và Công nghệ tỉnh Tây Ninh thông báo tuyển chọn (đợt 1)', `Tên nhiệm vụ: ${TITLE}`,
      'Kinh phí ngân sách nhà nước dự kiến: 1.500.000.000 đồng', '2. Điều kiện tham gia', '3. Hồ sơ đăng ký', 'Lý lịch khoa học của chủ nhiệm',
      'Từ ngày 02/02/2026 đến hết ngày 04/03/2026 (không ít hơn 30 ngày)', 'trong vòng 10 ngày làm việc sau khi hết hạn',
    ],
    signer: ['GIÁM ĐỐC', MANAGER.name],
    distribution: ['- Cổng thông tin điện tử của Sở;', '- Các tổ chức, cá nhân quan tâm;', '- Lưu: VT, QLKH.'],
  },
  dossier_opening_record: {
    number: '03/BB-SKHCN',
    date: 'Tây Ninh, ngày 10 tháng 3 năm 2026',
    title: ['BIÊN BẢN MỞ HỒ SƠ'],
    body: [
      'Hôm nay, vào lúc 09 giờ 00, ngày 10/03/2026, tại Sở Khoa học và Công nghệ tỉnh Tây Ninh',
      // Table cells wrap: each is checked by a part that stays on one line.
      '1 HS-1-1 Viện Sinh học Nhiệt đới', '20/02/2026 Hợp lệ', '2 HS-1-2 Trường Đại học Tây', 'Lê Văn Đức 03/03/2026 Hợp lệ',
      '3 HS-1-3 Công ty TNHH Nông', 'Đinh Thị Thuỷ 04/03/2026 Không hợp lệ',
      'Số hồ sơ nhận được: 3', 'Số hồ sơ hợp lệ: 2 (HS-1-1, HS-1-2)', 'Số hồ sơ không hợp lệ: 1 (HS-1-3)',
    ],
    signer: ['ĐẠI DIỆN HỒ SƠ HS-1-1', 'ĐẠI DIỆN HỒ SƠ HS-1-3', 'TRƯỜNG ĐẠI HỌC TÂY NINH', 'CÔNG TY TNHH NÔNG NGHIỆP XANH BẾN CẦU', MANAGER.name, 'Lê Văn Đức', 'Đinh Thị Thuỷ'],
    distribution: ['Nơi nhận:', '- Các tổ chức đăng ký;', '- Lưu: VT, QLKH.'],
  },
  budget_appraisal_record: {
    number: '04/BB-SKHCN',
    date: 'Tây Ninh, ngày 20 tháng 4 năm 2026',
    title: ['BIÊN BẢN THẨM ĐỊNH KINH PHÍ'],
    body: [
      'Tổ thẩm định kinh phí', 'do Viện Sinh học Nhiệt đới chủ trì, Nguyễn Thị Hương làm chủ nhiệm',
      'Ngân sách nhà nước 1.500.000.000 đồng 1.480.000.000 đồng -20.000.000 đồng', 'Nguồn khác 250.000.000 đồng 250.000.000 đồng 0 đồng',
      'Tổng cộng 1.750.000.000 đồng 1.730.000.000 đồng -20.000.000 đồng',
      'Tổ thẩm định thống nhất tổng kinh phí thẩm định 1.730.000.000 đồng, trong đó ngân sách nhà nước 1.480.000.000 đồng, nguồn khác 250.000.000 đồng.',
    ],
    signer: ['TỔ TRƯỞNG TỔ THẨM ĐỊNH', MANAGER.name],
    distribution: ['- Giám đốc Sở (để báo cáo);', '- Viện Sinh học Nhiệt đới;', '- Lưu: VT, KHTC.'],
  },
  task_approval_decision: {
    number: '07/QĐ-SKHCN',
    date: 'Tây Ninh, ngày 04 tháng 5 năm 2026',
    title: ['QUYẾT ĐỊNH', 'Về việc phê duyệt tổ chức chủ trì, chủ nhiệm, kinh phí và thời gian thực hiện nhiệm vụ khoa học và công nghệ'],
    body: [
      'Tổ chức chủ trì: Viện Sinh học Nhiệt đới', `Chủ nhiệm nhiệm vụ: ${HOST.pi.name} (${HOST.pi.email})`, 'Phương thức giao: Tuyển chọn',
      'Thời gian thực hiện: 24 tháng, kể từ ngày ký hợp đồng', 'Quy trình kỹ thuật canh tác lúa chịu mặn',
      'Ngân sách nhà nước 1.480.000.000 đồng', 'Nguồn khác 250.000.000 đồng', 'Tổng cộng 1.730.000.000 đồng',
      'Phương thức khoán chi: Khoán chi từng phần', 'Ngày phê duyệt: 04/05/2026', 'trước ngày 03/06/2026',
    ],
    signer: ['GIÁM ĐỐC', MANAGER.name],
    distribution: ['- Như Điều 3;', '- Kho bạc Nhà nước tỉnh;', '- Lưu: VT, QLKH, KHTC.'],
  },
  contract: {
    number: '03/2026/HĐ-SKHCN',
    date: 'Tây Ninh, ngày 11 tháng 5 năm 2026',
    title: ['HỢP ĐỒNG', 'Thực hiện nhiệm vụ khoa học và công nghệ'],
    body: [
      'thực hiện nhiệm vụ số 07/QĐ-SKHCN ngày 04/05/2026;', 'BÊN ĐẶT HÀNG (BÊN A):', 'Đại diện: Trần Đức Thắng, Giám đốc', 'BÊN NHẬN ĐẶT HÀNG (BÊN B):',
      'Đại diện: Hồ Thị Kiều Oanh, Thủ trưởng tổ chức chủ trì', `Chủ nhiệm nhiệm vụ: ${HOST.pi.name}`,
      'Thời gian thực hiện: 24 tháng, từ ngày 11/05/2026 đến ngày 10/05/2028.', 'Tổng cộng 1.730.000.000 đồng',
      '11/11/2026', '11/05/2027', '11/11/2027', 'Quyền sở hữu, sử dụng kết quả.', 'ý kiến giải trình trong 30 ngày',
      // Issue 12: disputes (the form of Circular 05/2014/TT-BKHCN) and the general terms.
      'Điều 7. Giải quyết tranh chấp. Trong quá trình thực hiện Hợp đồng, nếu có tranh chấp, hai bên thương lượng, hòa giải; trường hợp không hòa giải được thì một trong hai bên có quyền đưa tranh chấp ra Tòa án có thẩm quyền giải quyết theo quy định của pháp luật.',
      'Điều 8. Điều khoản chung. Hợp đồng có hiệu lực kể từ ngày ký. Thuyết minh nhiệm vụ đã được phê duyệt là phụ lục và là bộ phận không tách rời của Hợp đồng',
      'Hợp đồng được lập thành 06 bản có giá trị pháp lý như nhau, mỗi bên giữ 03 bản.',
    ],
    signer: ['ĐẠI DIỆN BÊN A', 'ĐẠI DIỆN BÊN B', 'THỦ TRƯỞNG TỔ CHỨC CHỦ TRÌ', 'CHỦ NHIỆM NHIỆM VỤ', 'Hồ Thị Kiều Oanh', MANAGER.name, HOST.pi.name],
    distribution: ['- Bên A: 03 bản;', '- Bên B: 03 bản.'],
  },
  contract_annex: {
    number: '01/2027/PLHĐ-SKHCN',
    date: 'Tây Ninh, ngày 10 tháng 7 năm 2027',
    title: ['PHỤ LỤC HỢP ĐỒNG', 'Kèm theo Hợp đồng thực hiện nhiệm vụ số 03/2026/HĐ-SKHCN ngày 11/05/2026'],
    body: ['chấp thuận đề nghị gia hạn thời gian thực hiện ngày 01/07/2027;', 'Điều 2. Thời gian', 'Đến ngày 10/05/2028', 'Đến ngày 10/11/2028 (gia', 'Ngày kết thúc hợp đồng: 10/11/2028'],
    signer: ['ĐẠI DIỆN BÊN A', 'ĐẠI DIỆN BÊN B', 'CHỦ NHIỆM NHIỆM VỤ', HOST.pi.name],
    distribution: ['- Bên A: 03 bản;', '- Bên B: 03 bản.'],
  },
  inspection_record: {
    number: '09/BB-SKHCN',
    date: 'Tây Ninh, ngày 10 tháng 3 năm 2027',
    title: ['BIÊN BẢN KIỂM TRA', 'Tình hình thực hiện nhiệm vụ khoa học và công nghệ'],
    body: [
      'Hôm nay, ngày 10/03/2027, Đoàn kiểm tra của Sở Khoa học và Công nghệ tỉnh Tây Ninh (thông báo kiểm tra ngày 01/03/2027)',
      'Từ ngày 11/05/2026 đến ngày 10/03/2027 (lần kiểm tra thứ 1).', '1 11/11/2026 05/11/2026 Đúng hạn', '2 11/05/2027 — Chưa đến hạn hoặc chưa nộp',
      'Ngân sách nhà nước được phê duyệt 1.480.000.000 đồng', 'Kinh phí đã cấp 1.200.000.000 đồng', 'Kinh phí chưa cấp 280.000.000 đồng',
      '20/05/2026: 700.000.000 đồng; 15/01/2027: 500.000.000 đồng.', 'thí nghiệm vụ Hè Thu chậm 3 tuần do mặn xâm nhập sớm.', 'Tiếp tục thực hiện nhiệm vụ',
    ],
    signer: ['TRƯỞNG ĐOÀN KIỂM TRA', 'ĐẠI DIỆN TỔ CHỨC CHỦ TRÌ', 'CHỦ NHIỆM NHIỆM VỤ', MANAGER.name, HOST.pi.name],
    distribution: ['- Viện Sinh học Nhiệt đới;', '- Chủ nhiệm nhiệm vụ Nguyễn Thị Hương;', '- Lưu: VT, QLKH.'],
  },
  adjustment_decision: {
    number: '12/QĐ-SKHCN',
    date: 'Tây Ninh, ngày 10 tháng 7 năm 2027',
    title: ['QUYẾT ĐỊNH', 'Về việc gia hạn thời gian thực hiện nhiệm vụ khoa học và công nghệ'],
    body: [
      'Xét đề nghị của Viện Sinh học Nhiệt đới ngày 01/07/2027 (đề nghị gia hạn 6 tháng);', 'Chấp thuận gia hạn thời gian thực hiện nhiệm vụ',
      'Đến ngày 10/05/2028', 'Ngày kết thúc hợp đồng: 10/11/2028', 'Tổng kinh phí (1.730.000.000 đồng) và sản phẩm của nhiệm vụ không thay đổi.',
      'Quyết định có hiệu lực kể từ ngày 10/07/2027.',
    ],
    signer: ['GIÁM ĐỐC', MANAGER.name],
    distribution: ['- Như Điều 3;', '- Lưu: VT, QLKH.'],
  },
  suspension_notice: {
    number: '03/TB-SKHCN',
    date: 'Tây Ninh, ngày 12 tháng 3 năm 2027',
    title: ['THÔNG BÁO', 'Tạm dừng thực hiện nhiệm vụ khoa học và công nghệ'],
    body: [
      'Kính gửi: Viện Sinh học Nhiệt đới; chủ nhiệm nhiệm vụ Nguyễn Thị Hương', 'kể từ ngày 12/03/2027.',
      'Chậm tiến độ nghiêm trọng: chưa triển khai thí nghiệm đồng ruộng vụ Hè Thu.', 'Kinh phí đã cấp: 1.200.000.000 đồng trên tổng 1.480.000.000 đồng',
      'trước ngày 11/05/2027.', 'Báo cáo định kỳ kỳ 2 11/05/2027',
    ],
    signer: ['GIÁM ĐỐC', MANAGER.name],
    distribution: ['- Viện Sinh học Nhiệt đới;', '- Kho bạc Nhà nước tỉnh (phối hợp dừng', '- Lưu: VT, QLKH, KHTC.'],
  },
  termination_decision: {
    number: '15/QĐ-SKHCN',
    date: 'Tây Ninh, ngày 15 tháng 6 năm 2027',
    title: ['QUYẾT ĐỊNH', 'Về việc chấm dứt hợp đồng thực hiện nhiệm vụ khoa học và công nghệ'],
    body: [
      'Xét đề xuất chấm dứt của Sở ngày 12/05/2027 và ý kiến giải trình của bên thực hiện;', 'kể từ ngày 15/06/2027.', 'Nguyên nhân: Chủ quan',
      'Ý kiến giải trình của bên thực hiện: Đề nghị xem xét do thời tiết bất thường.', 'Kinh phí ngân sách nhà nước đã cấp 1.200.000.000 đồng',
      'Kinh phí đã sử dụng 1.000.000.000 đồng', 'Kinh phí chưa sử dụng phải hoàn trả 200.000.000 đồng', 'Phần kinh phí đã sử dụng phải hoàn trả 300.000.000 đồng',
      'Tổng số phải hoàn trả 500.000.000 đồng', 'đến ngày 15/06/2029.',
    ],
    signer: ['GIÁM ĐỐC', MANAGER.name],
    distribution: ['- Như Điều 3;', '- Kho bạc Nhà nước tỉnh;'],
  },
  acceptance_minutes: {
    number: '11/BB-SKHCN',
    date: 'Tây Ninh, ngày 02 tháng 3 năm 2028',
    title: ['BIÊN BẢN', 'Đánh giá, nghiệm thu kết quả thực hiện nhiệm vụ khoa học và công nghệ'],
    body: [
      `kết luận ngày 20/02/2028`, 'Ngày nộp hồ sơ nghiệm thu: 05/01/2028', 'Kinh phí đã sử dụng: 1.162.500.000 đồng',
      'Số phiếu Xuất sắc / Đạt / Không đạt: 5 / 4 / 0', 'Tỷ lệ xếp loại Xuất sắc: 5/9 (55,55%)', 'Tỷ lệ xếp loại từ Đạt trở lên: 9/9 (100,00%)', 'Xếp loại chung: Đạt',
      'Bổ sung số liệu thử nghiệm vụ Đông Xuân vào báo cáo tổng hợp trước ngày 15/03/2028.',
    ],
    signer: ['CHỦ NHIỆM NHIỆM VỤ', MANAGER.name, HOST.pi.name],
    distribution: ['- Viện Sinh học Nhiệt đới;', '- Lưu: VT, QLKH.'],
  },
  recognition_decision: {
    number: '41/QĐ-SKHCN',
    date: 'Tây Ninh, ngày 02 tháng 3 năm 2028',
    title: ['QUYẾT ĐỊNH', 'Về việc công nhận kết quả thực hiện nhiệm vụ khoa học và công nghệ'],
    body: ['Căn cứ kết luận của Hội đồng tư vấn đánh giá nghiệm thu ngày 20/02/2028', `Tổ chức chủ trì: ${HOST.orgName}`, 'Thời gian thực hiện: 11/05/2026 – 10/11/2027', 'Xếp loại nghiệm thu: Đạt', 'Kinh phí đã sử dụng: 1.162.500.000 đồng', 'trước ngày 21/03/2028'],
    signer: ['GIÁM ĐỐC', MANAGER.name],
    distribution: ['- Như Điều 3;', '- Lưu: VT, QLKH.'],
  },
  registration_certificate: {
    number: 'GCN-2028-0043',
    date: 'Tây Ninh, ngày 20 tháng 3 năm 2028',
    title: ['GIẤY CHỨNG NHẬN', 'Đăng ký kết quả thực hiện nhiệm vụ khoa học và công nghệ'],
    body: ['SỞ KHOA HỌC VÀ CÔNG NGHỆ TỈNH TÂY NINH CHỨNG NHẬN', `Mã nhiệm vụ: ${TASK_ID}`, 'Số giấy chứng nhận: GCN-2028-0043', 'Ngày đăng ký: 20/03/2028', 'Giấy chứng nhận thứ 2/2 của nhiệm vụ.'],
    signer: ['GIÁM ĐỐC', MANAGER.name],
    distribution: ['- Viện Sinh học Nhiệt đới;', '- Lưu: VT, QLKH.'],
  },
  liquidation_record: {
    number: '21/BB-SKHCN',
    date: 'Tây Ninh, ngày 15 tháng 4 năm 2028',
    title: ['BIÊN BẢN THANH LÝ HỢP ĐỒNG'],
    body: [
      'Căn cứ Quyết định công nhận kết quả số 41/QĐ-SKHCN ngày 02/03/2028;', 'Đã đánh giá nghiệm thu, xếp loại Đạt.', 'Kinh phí đã nhận 1.200.000.000 đồng',
      'Kinh phí đã sử dụng 1.162.500.000 đồng', 'Kinh phí phải hoàn trả 37.500.000 đồng', 'Kinh phí đã hoàn trả 37.500.000 đồng',
      'Giấy chứng nhận đăng ký kết quả: GCN-2028-0042, GCN-2028-0043.',
    ],
    signer: ['ĐẠI DIỆN BÊN A', 'ĐẠI DIỆN BÊN B', 'Hồ Thị Kiều Oanh', MANAGER.name, HOST.pi.name],
    distribution: ['- Bên A: 02 bản;', '- Bên B: 02 bản.'],
  },
};

describe.each(TASK_DOCUMENT_KINDS.map((k) => [k]))('§7 %s', (kind) => {
  test('reads back with the administrative header, its state, hash, signer and distribution', async () => {
    const snapshot = snapshotFor(kind);
    const hash = stateHash(snapshot);
    const e = EXPECTED[kind];
    const pdf = await renderTaskDocument(snapshot, hash, kind === 'registration_certificate' ? undefined : e.number);
    const raw = pdfText(pdf, kind);
    const text = squash(raw);
    // Header: national name and motto, issuing body, number and symbol, place and date.
    expect(text).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    expect(text).toContain('Độc lập - Tự do - Hạnh phúc');
    expect(text).toContain('UBND TỈNH TÂY NINH');
    expect(text).toContain('SỞ KHOA HỌC VÀ CÔNG NGHỆ');
    expect(text).toContain(`Số: ${e.number}`);
    expect(text).toContain(e.date);
    for (const t of e.title) expect(text).toContain(t);
    for (const b of e.body) expect(text).toContain(b);
    for (const s of e.signer) expect(text).toContain(s);
    for (const d of e.distribution) expect(text).toContain(d);
    // Every page carries the hash of the state it was rendered from.
    const pages = raw.split('\f').filter((p) => p.trim());
    for (const page of pages) expect(page).toContain(`Mã trạng thái (state hash): ${hash}`);
    // Vietnamese letters survive exactly (no decomposed marks, no replacement glyphs).
    expect(raw).not.toMatch(/\uFFFD/);
    expect(raw.normalize('NFC')).toBe(raw);
  });
});

test('§7: the task name with its ‰ and ≥ and every council member name survive in the formation decision', async () => {
  const s = snapshotFor('council_formation_decision');
  const text = squash(pdfText(await renderTaskDocument(s, stateHash(s), '05/QĐ-SKHCN'), 'names'));
  expect(text).toContain(TITLE);
  for (const m of SEATS) expect(text).toContain(`${m.title} ${m.name}`);
});

test('issue 12: a council formed before members carried a title and workplace prints its list as it did (name and role only)', async () => {
  const s = snapshotFor('council_formation_decision');
  const council = s.subject!.council!;
  const bare = { ...s, subject: { ...s.subject, council: { ...council, members: council.members.map(({ title: _t, workplace: _w, ...seat }) => seat) } } };
  const text = squash(pdfText(await renderTaskDocument(bare, stateHash(bare), '05/QĐ-SKHCN'), 'bare-seats'));
  expect(text).toContain('STT Họ và tên Chức danh trong hội đồng 1 Phạm Thị Ngọc Ánh Chủ tịch 2 Đặng Quốc Việt Phó Chủ tịch');
  expect(text).toContain('Thành viên không tham gia nội dung này do xung đột lợi ích: Bùi Xuân Trường (Cùng cơ quan với chủ nhiệm nhiệm vụ).');
  expect(text).not.toContain('Cơ quan công tác');
  expect(text).not.toContain('Học hàm');
  expect(text).not.toContain('undefined');
});

test('issue 12: the contract closes with the dispute clause and the general terms, after the six articles before them', async () => {
  const s = snapshotFor('contract');
  const text = squash(pdfText(await renderTaskDocument(s, stateHash(s), '03/2026/HĐ-SKHCN'), 'contract-articles'));
  const articles = [...text.matchAll(/Điều (\d+)\. /g)].map((m) => Number(m[1]));
  expect(articles).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  expect(text.indexOf('Điều 7. Giải quyết tranh chấp.')).toBeLessThan(text.indexOf('Điều 8. Điều khoản chung.'));
  expect(text).toContain('các phụ lục hợp đồng lập theo Điều 5 có giá trị như Hợp đồng');
});

test('C-BUD: an appraisal recorded per item and year prints each item, the yearly totals, the lump-sum split, the referral to the approver and the dissent (C-7)', async () => {
  const s = snapshotFor('budget_appraisal_record');
  const bud = s.state.councils.find((c) => c.council === 'C-BUD')!;
  bud.outcome = 'REFER_TO_APPROVER';
  bud.tally = {
    ...bud.tally,
    items: [
      { item: 'Thuê khoán chuyên môn', year: 2026, requested: 900_000_000, appraised: 880_000_000, lumpSum: true, source: 'state' },
      { item: 'Nguyên vật liệu', year: 2027, requested: 600_000_000, appraised: 600_000_000, lumpSum: false, source: 'state' },
      { item: 'Đối ứng của doanh nghiệp', year: 2027, requested: 250_000_000, appraised: 250_000_000, lumpSum: false, source: 'other' },
    ],
    byYear: [{ year: 2026, requested: 900_000_000, appraised: 880_000_000 }, { year: 2027, requested: 850_000_000, appraised: 850_000_000 }],
    byLumpSum: { lumpSum: { requested: 900_000_000, appraised: 880_000_000 }, nonLumpSum: { requested: 850_000_000, appraised: 850_000_000 } },
    dissent: ['Đại diện Sở Tài chính đề nghị giảm mục thuê khoán'],
  };
  const text = squash(pdfText(await renderTaskDocument(s, stateHash(s), '04/BB-SKHCN'), 'budget-items'));
  expect(text).toContain('Thuê khoán chuyên 2026 NSNN Có 900.000.000 đồng 880.000.000 đồng môn'); // the item's name wraps in its cell
  expect(text).toContain('Nguyên vật liệu 2027 NSNN Không 600.000.000 đồng 600.000.000 đồng');
  expect(text).toMatch(/Đối ứng của doanh 2027 Khác Không 250\.000\.000 đồng 250\.000\.000 đồng nghiệp/); // the item's name wraps in its cell
  expect(text).toContain('Cộng năm 2027 850.000.000 đồng 850.000.000 đồng');
  expect(text).toContain('Phần khoán chi: đề nghị 900.000.000 đồng, thẩm định 880.000.000 đồng');
  expect(text).toContain('Tổ thẩm định chưa thống nhất; trình người có thẩm quyền phê duyệt quyết định.');
  expect(text).toContain('5. Ý kiến khác - Đại diện Sở Tài chính đề nghị giảm mục thuê khoán');
});

test('the same snapshot renders to the same bytes; another state, another hash', async () => {
  const s = snapshotFor('task_approval_decision');
  const a = await renderTaskDocument(s, stateHash(s), '07/QĐ-SKHCN');
  const b = await renderTaskDocument(s, stateHash(s), '07/QĐ-SKHCN');
  expect(a.equals(b)).toBe(true);
  const changed = { ...s, state: { ...s.state, funds: { ...s.state.funds, approvedState: 1_480_000_001 } } };
  expect(stateHash(changed)).not.toBe(stateHash(s));
});

test('a document the state cannot carry is refused (a contract before both signatures)', async () => {
  const s = snapshotFor('contract');
  const unsigned = { ...s, state: { ...s.state, contract: { hostSignedAt: '2026-05-08T02:00:00.000Z' } } };
  await expect(renderTaskDocument(unsigned, stateHash(unsigned), '01/2026/HĐ-SKHCN')).rejects.toThrow(/not signed by both parties/);
});

test('numbers and symbols: per Department, year and type; contracts carry the year', () => {
  expect(departmentSymbol(DEPARTMENT)).toBe('SKHCN');
  const at = (kind: TaskDocumentKind) => numberSeries(kind, snapshotFor(kind));
  expect(at('task_approval_decision')).toMatchObject({ counter: 'skhcn-tay-ninh/2026/QĐ-SKHCN' });
  expect(at('task_approval_decision')!.format(7)).toBe('07/QĐ-SKHCN');
  expect(at('contract')!.format(3)).toBe('03/2026/HĐ-SKHCN');
  expect(at('suspension_notice')!.format(12)).toBe('12/TB-SKHCN');
  expect(at('inspection_record')!.format(1)).toBe('01/BB-SKHCN');
  expect(at('registration_certificate')).toBeUndefined(); // the certificate prints its own number
  expect(taskDocumentTitle(snapshotFor('registration_certificate'))).toBe('Giấy chứng nhận đăng ký kết quả số GCN-2028-0043');
  expect(taskDocumentTitle(snapshotFor('council_formation_decision'))).toBe('Quyết định thành lập Hội đồng tư vấn đánh giá nghiệm thu');
});

// ---------------------------------------------------------------------------------------------
// Score sheets (C-4: open ballots only)
// ---------------------------------------------------------------------------------------------

test('C-SEL score sheet (open ballot): the member, role, each criterion per dossier, totals and comments', async () => {
  const view = openView('C-SEL');
  expect(scoreSheetMembers(view)).toEqual(SEATS.map((m) => m.memberId));
  const hash = stateHash(view);
  const raw = pdfText(await renderScoreSheet({ view, departmentName: DEPARTMENT, place: 'Tây Ninh' }, 'm3', hash), 'score-sel');
  const text = squash(raw);
  expect(text).toContain('PHIẾU ĐÁNH GIÁ');
  expect(text).toContain('Tây Ninh, ngày 25 tháng 3 năm 2026');
  expect(text).toContain('Họ và tên thành viên: Huỳnh Tấn Phước');
  expect(text).toContain('Chức danh trong hội đồng: Ủy viên phản biện');
  expect(text).toContain('1. Hồ sơ HS-1-1');
  expect(text).toContain('Mục tiêu, nội dung, phương pháp 25 21,5');
  expect(text).toContain('Tổng cộng 100 82,5');
  expect(text).toContain('2. Hồ sơ HS-1-2');
  expect(text).toContain('Tổng cộng 100 70');
  expect(text).toContain('Hồ sơ HS-1-1: Cần làm rõ phương pháp thử nghiệm mặn 4‰.');
  expect(text).toContain('NGƯỜI ĐÁNH GIÁ');
  expect(raw).toContain(`Mã trạng thái (state hash): ${hash}`);
});

test('C-ACC score sheet (open ballot): each product by quantity, volume, quality, the report, and the member rating (C-ACC-2)', async () => {
  const view = openView('C-ACC');
  const text = squash(pdfText(await renderScoreSheet({ view, departmentName: DEPARTMENT, place: 'Tây Ninh' }, 'm1', stateHash(view)), 'score-acc'));
  expect(text).toContain('Họ và tên thành viên: Phạm Thị Ngọc Ánh');
  expect(text).toMatch(/1 Giống lúa chịu mặn ST-TN1 Đạt Đạt Xuất sắc 2 ?\/ ?2/);
  expect(text).toContain('Báo cáo tổng hợp: Đạt');
  expect(text).toContain('Xếp loại chung của thành viên: Đạt');
  expect(text).toContain('Báo cáo đầy đủ.');
});

test('C-4: a secret ballot has no score sheets, and rendering one is refused', async () => {
  const view = openView('C-ACC', 'secret');
  expect(scoreSheetMembers(view)).toEqual([]);
  await expect(renderScoreSheet({ view, departmentName: DEPARTMENT, place: 'Tây Ninh' }, 'm1', stateHash(view))).rejects.toThrow(/secret ballot/);
  expect(scoreSheetMembers({ ...openView('C-SEL'), kind: 'C-ID' })).toEqual([]);
});
