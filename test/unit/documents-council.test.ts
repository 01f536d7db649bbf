import { pdfReader, squashText } from '../support/pdf-text';
import {
  type CouncilDocumentSnapshot,
  formatShareVi,
  issuingBodyOf,
  renderCouncilMinutes,
  renderVoteCountingRecord,
} from '../../activities/documents/council-documents';
import { stateHash } from '../../activities/documents/format';
import { renderProposalForm } from '../../activities/documents/pdf';

const pdf = pdfReader('council-pdf');
const pdfText = (b: Buffer) => pdf.text(b);

/**
 * Line wrapping and column layout change whitespace only; letters must survive exactly. The
 * page footers (state hash, page number) are dropped so that text running across a page break
 * stays contiguous; they are checked on the raw text.
 */
const squash = squashText;

import {
  TASK_TITLE,
  DEPARTMENT,
  PEOPLE,
  ALL_NAMES,
  councilView,
  identificationSnapshot,
  SEL_TOTALS,
  SEL_MEMBERS,
  DISSENT_COMMENT,
  selectionSnapshot,
  POSTPONED_REASON,
  acceptanceSnapshot,
} from '../support/council-fixtures';

/** A line (as laid out) that names a member next to a vote or rating would break C-4. */
const VOTE_WORDS = /đồng ý|xuất sắc|không đạt|(^|\s)đạt(\s|$)|biểu quyết|xếp loại|tổng điểm/i;
function expectNoPerMemberVotes(raw: string): void {
  for (const line of raw.split('\n')) {
    if (ALL_NAMES.some((name) => line.includes(name))) expect({ line, vote: VOTE_WORDS.test(line) }).toEqual({ line, vote: false });
  }
}

/** Issue 12: a member as the council's documents name them (the academic title before the name). */
const titled = (id: string) => (PEOPLE[id]!.title ? `${PEOPLE[id]!.title} ${PEOPLE[id]!.name}` : PEOPLE[id]!.name);
const ROLE_VI = { chair: 'Chủ tịch', vice_chair: 'Phó Chủ tịch', reviewer: 'Ủy viên phản biện', member: 'Ủy viên', scientific_secretary: 'Thư ký khoa học' } as const;

/**
 * A row of the minutes' members table: its number and the titled name, then (the workplace wraps
 * within its cell, so its words interleave with the next cells' as the text is read back) every word
 * of the workplace, the role and the attendance before the next row.
 */
function expectSeatRow(text: string, n: number, id: string, attendance: string): void {
  const start = text.indexOf(`${n} ${titled(id)} `);
  expect([id, start >= 0]).toEqual([id, true]);
  const end = text.indexOf(`${n + 1} `, start + 1);
  const row = text.slice(start, end > start ? end : undefined);
  for (const word of [...(PEOPLE[id]!.workplace?.split(' ') ?? []), ...ROLE_VI[PEOPLE[id]!.role].split(' '), ...attendance.split(' ')]) {
    expect([id, word, row.includes(word)]).toEqual([id, word, true]);
  }
}

function expectHeader(raw: string, text: string, dateLine: string): void {
  expect(raw).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
  expect(raw).toContain('Độc lập - Tự do - Hạnh phúc');
  // Decree 30: the province's People's Committee above the Department.
  expect(raw).toMatch(/^\s*UBND TỈNH TÂY NINH\s+CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM$/m);
  expect(raw).toMatch(/^\s*SỞ KHOA HỌC VÀ CÔNG NGHỆ\s+Độc lập - Tự do - Hạnh phúc$/m);
  expect(text).toContain(dateLine);
}

// ---------------------------------------------------------------------------------------------

describe('formatShareVi', () => {
  it('prints the fraction and a truncated percentage with a decimal comma', () => {
    expect(formatShareVi({ num: 7, den: 9 })).toBe('7/9 (77,77%)');
    expect(formatShareVi({ num: 3, den: 4 })).toBe('3/4 (75,00%)');
    expect(formatShareVi({ num: 2, den: 3 })).toBe('2/3 (66,66%)');
    expect(formatShareVi({ num: 0, den: 0 })).toBe('0/0');
  });
});

describe('issuingBodyOf', () => {
  it('puts the province People\'s Committee above a Department (Decree 30)', () => {
    expect(issuingBodyOf(DEPARTMENT)).toEqual({ parentBody: 'UBND tỉnh Tây Ninh', issuingBody: 'Sở Khoa học và Công nghệ' });
    expect(issuingBodyOf('Sở Khoa học và Công nghệ thành phố Hồ Chí Minh')).toEqual({
      parentBody: 'UBND thành phố Hồ Chí Minh',
      issuingBody: 'Sở Khoa học và Công nghệ',
    });
    expect(issuingBodyOf('Ban Quản lý Khu công nghệ cao')).toEqual({ issuingBody: 'Ban Quản lý Khu công nghệ cao' });
  });
});

describe('C-ID identification council (secret ballot, 7 yes / 2 no)', () => {
  const s = identificationSnapshot();
  const hash = stateHash(s);

  it('fixture: the real tally recommends the task with 7/9', () => {
    expect(s.view.result!.outcome).toBe('RECOMMENDED');
    expect(s.view.result!.figures).toEqual({ yes: 7, no: 2, notVoted: 0, present: 9, share: { num: 7, den: 9 } });
    expect(s.view.openBallots).toBeUndefined();
  });

  it('vote-counting record: header, committee, ballots, counts, conclusion, hash; no vote per member (C-4)', async () => {
    const raw = pdfText(await renderVoteCountingRecord(s, hash));
    const text = squash(raw);
    expectHeader(raw, text, 'Tây Ninh, ngày 24 tháng 11 năm 2026');
    expect(text).toContain('Số: 125/BB-HĐ');
    expect(text).toContain('BIÊN BẢN KIỂM PHIẾU Hội đồng tư vấn xác định nhiệm vụ');
    expect(text).toContain('Mã nhiệm vụ: NV-TN-2026-017');
    expect(text).toContain(`Tên nhiệm vụ: ${TASK_TITLE}`);
    expect(text).toContain('Ngày họp: 24/11/2026');
    expect(text).toContain('Hình thức bỏ phiếu: Bỏ phiếu kín');
    expect(text).toContain('Thời gian kiểm phiếu: 16 giờ 30, ngày 24/11/2026');
    // Counting committee: the scientific secretary (the view records no committee).
    // Issue 12: with the academic title and the workplace.
    expect(text).toContain('2. Ban kiểm phiếu Trưởng ban: ThS. Bùi Thị Thu Hà, Trung tâm Ứng dụng tiến bộ khoa học và công nghệ tỉnh Tây Ninh (Thư ký khoa học)');
    expect(text).toContain('Tổng số thành viên hội đồng: 9');
    expect(text).toContain('Thành viên có xung đột lợi ích, không bỏ phiếu: 0');
    expect(text).toContain('Số phiếu phát ra: 9 Số phiếu thu về: 9 Số phiếu hợp lệ: 9 Số phiếu không hợp lệ: 0');
    expect(text).toContain('Số phiếu đồng ý: 7 Số phiếu không đồng ý: 2 Số thành viên có mặt không bỏ phiếu: 0');
    expect(text).toContain('Tỷ lệ đồng ý trên số thành viên có mặt: 7/9 (77,77%)');
    expect(text).toContain('Bỏ phiếu kín: biên bản chỉ ghi số phiếu, không ghi phiếu của từng thành viên.');
    expect(text).toContain('Kết quả: Kiến nghị đặt hàng nhiệm vụ');
    expect(text).toContain(s.view.result!.explanation.vi);
    expect(text).toContain('TRƯỞNG BAN KIỂM PHIẾU (Ký, ghi rõ họ tên) ThS. Bùi Thị Thu Hà');
    expect(raw).toContain(`Mã trạng thái (state hash): ${hash}`);
    expect(raw).toContain(`Mã trạng thái (state hash): ${hash} · Mã nhiệm vụ: NV-TN-2026-017`);
    // C-4: counts only.
    expect(text).not.toContain('Phiếu của từng thành viên');
    for (const name of ['Phạm Thị Ngọc Ánh', 'Đặng Quốc Việt', 'Đỗ Văn Lợi']) expect(text).not.toContain(name);
    expectNoPerMemberVotes(raw);
  });

  it('minutes: date, place, members and roles, quorum, proceedings, tallies, conclusion, dissent counts, both signers', async () => {
    const raw = pdfText(await renderCouncilMinutes(s, hash));
    const text = squash(raw);
    expectHeader(raw, text, 'Tây Ninh, ngày 24 tháng 11 năm 2026');
    expect(text).toContain('Số: 125/BB-HĐ');
    expect(text).toContain('BIÊN BẢN HỌP HỘI ĐỒNG Hội đồng tư vấn xác định nhiệm vụ');
    expect(text).toContain('1. Thời gian, địa điểm Thời gian: ngày 24/11/2026 Địa điểm: Tây Ninh');
    expect(text).toContain(`Tên nhiệm vụ: ${TASK_TITLE}`);
    // Issue 12: the academic title before the name, the workplace in a column of its own (empty for members the directory gave none).
    expect(text).toContain('3. Thành phần hội đồng STT Học hàm, học vị, họ và tên Cơ quan công tác Chức danh Tham dự');
    for (const [i, id] of ['m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7', 'm8', 'm9'].entries()) expectSeatRow(text, i + 1, id, 'Có mặt');
    expect(text).toContain('4 Trần Thị Mai Ủy viên phản biện Có mặt');
    expect(text).toContain('Có mặt 9/9 thành viên. Chủ tịch hội đồng PGS.TS. Phạm Thị Ngọc Ánh chủ trì. Hội đồng đủ điều kiện họp.');
    expect(text).not.toContain('Vắng mặt');
    expect(text).not.toContain('hoãn');
    expect(text).toContain('Hội đồng bầu thư ký khoa học và ban kiểm phiếu (Bùi Thị Thu Hà).');
    expect(text).toContain('tính cấp thiết, tính mới, không trùng lặp, tính khả thi và khả năng ứng dụng');
    expect(text).toContain('Thành viên hội đồng bỏ phiếu kín.');
    expect(text).toContain('Bỏ phiếu kín. Số phiếu phát ra: 9; thu về: 9; hợp lệ: 9.');
    expect(text).toContain('Số phiếu đồng ý: 7 Số phiếu không đồng ý: 2');
    expect(text).toContain('7. Kết luận của hội đồng Kết quả: Kiến nghị đặt hàng nhiệm vụ');
    expect(text).toContain(s.view.result!.explanation.vi);
    expect(text).toContain('8. Ý kiến khác Ý kiến khác (nếu có) được ghi trong phiếu. Số phiếu khác với kết luận của hội đồng: 2.');
    // Secretary on the left, chair on the right, on the same rows, each with their academic title.
    expect(raw).toMatch(/THƯ KÝ KHOA HỌC\s+CHỦ TỊCH HỘI ĐỒNG/);
    expect(raw).toMatch(/ThS\. Bùi Thị Thu Hà\s+PGS\.TS\. Phạm Thị Ngọc Ánh/);
    expect(raw).toContain(`Mã trạng thái (state hash): ${hash}`);
    expectNoPerMemberVotes(raw);
  });

  it('issue 12: a sitting formed before seats carried a title and workplace prints its members as it did', async () => {
    const bare: CouncilDocumentSnapshot = { ...s, view: { ...s.view, members: s.view.members.map(({ title: _t, workplace: _w, ...m }) => m) } };
    const record = squash(pdfText(await renderVoteCountingRecord(bare, hash)));
    expect(record).toContain('2. Ban kiểm phiếu Trưởng ban: Bùi Thị Thu Hà (Thư ký khoa học) 3. Số phiếu');
    const minutes = squash(pdfText(await renderCouncilMinutes(bare, hash)));
    expect(minutes).toContain('3. Thành phần hội đồng STT Họ và tên Chức danh Tham dự 1 Phạm Thị Ngọc Ánh Chủ tịch Có mặt 2 Đặng Quốc Việt Phó Chủ tịch Có mặt');
    expect(minutes).toContain('Chủ tịch hội đồng Phạm Thị Ngọc Ánh chủ trì.');
    expect(minutes).toMatch(/\(Ký, ghi rõ họ tên\) \(Ký, ghi rõ họ tên\) Bùi Thị Thu Hà Phạm Thị Ngọc Ánh$/);
    for (const t of [minutes, record]) {
      expect(t).not.toContain('Cơ quan công tác');
      expect(t).not.toContain('Học hàm');
      expect(t).not.toContain('undefined');
    }
  });
});

describe('C-SEL selection council (open ballot, two dossiers)', () => {
  const s = selectionSnapshot();
  const hash = stateHash(s);

  it('fixture: the real tally selects HS-01 with 82,50 over 68,00', () => {
    expect(s.view.result!.outcome).toBe('SELECTED');
    expect(s.view.result!.winner).toBe('HS-01');
    const rows = (s.view.result!.figures as { rows: { dossierId: string; average: string; qualifies: boolean }[] }).rows;
    expect(rows.map((r) => [r.dossierId, r.average, r.qualifies])).toEqual([
      ['HS-01', '82,50', true],
      ['HS-02', '68,00', false],
    ]);
  });

  it('vote-counting record: averages table, qualification, each member’s totals (open ballot)', async () => {
    const raw = pdfText(await renderVoteCountingRecord(s, hash));
    const text = squash(raw);
    expectHeader(raw, text, 'Tây Ninh, ngày 05 tháng 3 năm 2027');
    expect(text).not.toContain('Số:');
    expect(text).toContain('BIÊN BẢN KIỂM PHIẾU Hội đồng tư vấn tuyển chọn, giao trực tiếp');
    expect(text).toContain('Hình thức bỏ phiếu: Bỏ phiếu công khai');
    expect(text).toContain('Thời gian kiểm phiếu: 09 giờ 15, ngày 05/03/2027');
    expect(text).toContain('Số phiếu phát ra: 7 Số phiếu thu về: 7 Số phiếu hợp lệ: 7');
    expect(text).toContain('1 HS-01 82,50 Không Đạt');
    expect(text).toContain('2 HS-02 68,00 Không Không đạt');
    expect(text).toContain('Số thành viên có mặt chấm điểm: 7');
    expect(text).toContain('Hồ sơ được đề nghị tuyển chọn: HS-01 (có điểm trung bình cao nhất trong các hồ sơ đạt yêu cầu)');
    expect(text).toContain('5. Phiếu của từng thành viên (bỏ phiếu công khai)');
    SEL_MEMBERS.forEach((id, i) => {
      const a = String(SEL_TOTALS['HS-01']![i]).replace('.', ',');
      const b = String(SEL_TOTALS['HS-02']![i]).replace('.', ',');
      expect(text).toContain(`${titled(id)} ${ROLE_VI[PEOPLE[id]!.role]} ${a} ${b}`);
    });
    expect(text).toContain('STT Học hàm, học vị, họ và tên Chức danh Tổng điểm Tổng điểm HS-01 HS-02 1 PGS.TS. Phạm Thị Ngọc Ánh Chủ tịch 85 70');
    expect(text).toContain('TS. Nguyễn Văn Hùng Ủy viên phản biện 82,5 66');
    expect(text).toContain('Kết quả: Tuyển chọn hồ sơ HS-01');
    expect(text).toContain(s.view.result!.explanation.vi);
    expect(text).toContain('TRƯỞNG BAN KIỂM PHIẾU (Ký, ghi rõ họ tên) ThS. Bùi Thị Thu Hà');
    expect(raw).toContain(`Mã trạng thái (state hash): ${hash}`);
  });

  it('minutes: the member who ranked the other dossier higher is named as dissent (open ballot)', async () => {
    const raw = pdfText(await renderCouncilMinutes(s, hash));
    const text = squash(raw);
    expect(text).toContain('BIÊN BẢN HỌP HỘI ĐỒNG Hội đồng tư vấn tuyển chọn, giao trực tiếp');
    expect(text).toContain('Thời gian: ngày 05/03/2027 Địa điểm: Tây Ninh');
    expectSeatRow(text, 2, 'm2', 'Có mặt');
    expectSeatRow(text, 7, 'm9', 'Có mặt');
    expect(text).toContain('Có mặt 7/7 thành viên.');
    expect(text).toContain('Hội đồng thảo luận, đánh giá từng hồ sơ (HS-01, HS-02) theo các tiêu chí chấm điểm trên thang 100 điểm.');
    expect(text).toContain('Bỏ phiếu công khai. Số phiếu phát ra: 7; thu về: 7; hợp lệ: 7.');
    expect(text).toContain('1 HS-01 82,50 Không Đạt');
    expect(text).toContain('2 HS-02 68,00 Không Không đạt');
    expect(text).toContain(s.view.result!.explanation.vi);
    expect(text).toContain(
      `8. Ý kiến khác TS. Đặng Quốc Việt (Phó Chủ tịch): chấm HS-02: 81 điểm, cao hơn hồ sơ được tuyển chọn HS-01: 80 điểm; ý kiến: “${DISSENT_COMMENT.slice(0, -1)}”.`,
    );
    expect(text).not.toContain('Ý kiến khác (nếu có) được ghi trong phiếu');
    expect(raw).toMatch(/THƯ KÝ KHOA HỌC\s+CHỦ TỊCH HỘI ĐỒNG/);
    expect(raw).toMatch(/ThS\. Bùi Thị Thu Hà\s+PGS\.TS\. Phạm Thị Ngọc Ánh/);
    expect(raw).toContain(`Mã trạng thái (state hash): ${hash}`);
  });
});

describe('C-ACC acceptance council (secret ballot, conflict, absence, missing rating)', () => {
  const s = acceptanceSnapshot();
  const hash = stateHash(s);

  it('fixture: the real tally concludes FAIL with 5/7 at Pass or better', () => {
    expect(s.view.result!.outcome).toBe('FAIL');
    expect(s.view.result!.figures).toEqual({
      counts: { EXCELLENT: 2, PASS: 3, FAIL: 1, notRated: 1 },
      present: 7,
      shares: { EXCELLENT: { num: 2, den: 7 }, PASS: { num: 5, den: 7 } },
    });
    expect(s.view.quorum).toEqual({ ok: true, eligible: 8, present: 7, missing: [] });
  });

  it('vote-counting record: three-member committee, ballots issued/received/valid, rating counts and shares; no vote per member', async () => {
    const raw = pdfText(await renderVoteCountingRecord(s, hash));
    const text = squash(raw);
    // Decided at 00:45 on 13 January in Vietnam (17:45 UTC the day before).
    expectHeader(raw, text, 'Tây Ninh, ngày 13 tháng 01 năm 2028');
    expect(text).toContain('Số: 07/BB-HĐ');
    expect(text).toContain('BIÊN BẢN KIỂM PHIẾU Hội đồng tư vấn đánh giá nghiệm thu');
    expect(text).toContain('Ngày họp: 12/01/2028');
    expect(text).toContain('Thời gian kiểm phiếu: 00 giờ 45, ngày 13/01/2028');
    expect(text).toContain(
      'Trưởng ban: Bùi Thị Thu Hà (Thư ký khoa học) Thành viên: Trần Thị Mai (Ủy viên phản biện) Thành viên: Võ Minh Tuấn (Ủy viên)',
    );
    expect(text).toContain('Tổng số thành viên hội đồng: 9');
    expect(text).toContain('Thành viên có xung đột lợi ích, không bỏ phiếu: 1');
    expect(text).toContain('Thành viên vắng mặt: 1');
    expect(text).toContain('Số phiếu phát ra: 7 Số phiếu thu về: 6 Số phiếu hợp lệ: 6 Số phiếu không hợp lệ: 0');
    expect(text).toContain('Số phiếu xếp loại Xuất sắc: 2 Số phiếu xếp loại Đạt: 3 Số phiếu xếp loại Không đạt: 1 Số thành viên có mặt không đánh giá: 1');
    expect(text).toContain('Tỷ lệ xếp loại Xuất sắc: 2/7 (28,57%) Tỷ lệ xếp loại từ Đạt trở lên: 5/7 (71,42%)');
    expect(text).toContain('Kết quả: Xếp loại Không đạt');
    expect(text).toContain(s.view.result!.explanation.vi);
    // The head signs on the right, a member on the left; the third member below.
    expect(raw).toMatch(/THÀNH VIÊN BAN KIỂM PHIẾU\s+TRƯỞNG BAN KIỂM PHIẾU/);
    expect(raw).toMatch(/Trần Thị Mai\s+Bùi Thị Thu Hà/);
    expect(text).toMatch(/Bùi Thị Thu Hà THÀNH VIÊN BAN KIỂM PHIẾU \(Ký, ghi rõ họ tên\) Võ Minh Tuấn$/);
    expect(raw).toContain(`Mã trạng thái (state hash): ${hash}`);
    expectNoPerMemberVotes(raw);
  });

  // Its seats carry no academic title or workplace (a sitting formed before issue 12): the tables are as they were.
  it('minutes: conflicted member excluded (C-6), absent member, postponement, C-ACC-1 order, dissent counts only', async () => {
    const raw = pdfText(await renderCouncilMinutes(s, hash));
    const text = squash(raw);
    expect(text).toContain('BIÊN BẢN HỌP HỘI ĐỒNG Hội đồng tư vấn đánh giá nghiệm thu');
    expect(text).toContain('Thời gian: ngày 12/01/2028 Địa điểm: Tây Ninh');
    expect(text).toContain('5 Lê Hoàng Nam Ủy viên Có mặt');
    expect(text).toContain('7 Huỳnh Thanh Tâm Ủy viên Vắng mặt');
    expect(text).toContain('8 Đỗ Văn Lợi Ủy viên Không tham gia');
    expect(text).toContain(
      'Thành viên có xung đột lợi ích, không tham gia nội dung này và không tính vào tổng số thành viên: Đỗ Văn Lợi (Ủy viên).',
    );
    expect(text).toContain('Thành viên vắng mặt: Huỳnh Thanh Tâm (Ủy viên).');
    expect(text).toContain('Có mặt 7/8 thành viên (không tính 1 thành viên có xung đột lợi ích). Chủ tịch hội đồng Phạm Thị Ngọc Ánh chủ trì. Hội đồng đủ điều kiện họp.');
    expect(text).toContain(`Phiên họp đã hoãn 1 lần: - Ngày 05/01/2028: ${POSTPONED_REASON}`);
    // C-ACC-1 order.
    const order = [
      'Chủ tịch hội đồng thông qua chương trình làm việc',
      'Hội đồng bầu thư ký khoa học và ban kiểm phiếu (Bùi Thị Thu Hà, Trần Thị Mai, Võ Minh Tuấn).',
      'Chủ nhiệm nhiệm vụ trình bày kết quả thực hiện nhiệm vụ, trả lời câu hỏi của thành viên hội đồng, sau đó rời phòng họp.',
      'Đọc báo cáo của tổ chuyên gia (nếu có) và nhận xét của các ủy viên phản biện. Đọc nhận xét bằng văn bản của thành viên vắng mặt',
      'Hội đồng thảo luận.',
      'Thành viên hội đồng đánh giá, xếp loại bằng phiếu cá nhân (bỏ phiếu kín).',
      'Ban kiểm phiếu tổng hợp kết quả đánh giá',
      'Hội đồng thông qua kết luận.',
    ];
    const positions = order.map((step) => text.indexOf(step));
    positions.forEach((p, i) => expect([order[i], p >= 0]).toEqual([order[i], true]));
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(text).toContain('Bỏ phiếu kín. Số phiếu phát ra: 7; thu về: 6; hợp lệ: 6.');
    expect(text).toContain('Số phiếu xếp loại Xuất sắc: 2 Số phiếu xếp loại Đạt: 3 Số phiếu xếp loại Không đạt: 1');
    expect(text).toContain('Kết quả: Xếp loại Không đạt');
    expect(text).toContain(s.view.result!.explanation.vi);
    expect(text).toContain(
      'Ý kiến khác (nếu có) được ghi trong phiếu. Số phiếu xếp loại khác với kết luận của hội đồng: Xuất sắc 2, Đạt 3.',
    );
    expect(raw).toMatch(/THƯ KÝ KHOA HỌC\s+CHỦ TỊCH HỘI ĐỒNG/);
    expect(raw).toMatch(/Bùi Thị Thu Hà\s+Phạm Thị Ngọc Ánh/);
    expect(raw).toContain(`Mã trạng thái (state hash): ${hash}`);
    expectNoPerMemberVotes(raw);
  });
});

describe('C-ID open ballot, chair absent and the vice-chair presiding by authorisation', () => {
  const memberIds = ['m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7', 'm8', 'm9'];
  const COMMENT = 'Nội dung trùng một phần với đề tài cấp tỉnh năm 2024.';
  const view = councilView({
    kind: 'C-ID',
    ballot: 'open',
    memberIds,
    present: memberIds.filter((id) => id !== 'm1'),
    chairAuthorisedViceChair: true,
    meetingOn: '2026-11-24',
    decidedAt: '2026-11-24T09:30:00Z',
    ballots: memberIds
      .filter((id) => id !== 'm1')
      .map((id) => ({ memberId: id, ballot: id === 'm8' ? { kind: 'C-ID' as const, yes: false, comment: COMMENT } : { kind: 'C-ID' as const, yes: true } })),
  });
  const s: CouncilDocumentSnapshot = { view, departmentName: DEPARTMENT, place: 'Tây Ninh' };

  it('lists each member’s vote, names the dissenting member, and the vice-chair signs for the chair', async () => {
    expect(view.result!.outcome).toBe('RECOMMENDED');
    const record = squash(pdfText(await renderVoteCountingRecord(s, 'h')));
    expect(record).toContain('5. Phiếu của từng thành viên (bỏ phiếu công khai) STT Học hàm, học vị, họ và tên Chức danh Biểu quyết 1 TS. Đặng Quốc Việt Phó Chủ tịch Đồng ý');
    // (A table split by a page break repeats its header row.)
    expect(record).toMatch(/7 Đỗ Văn Lợi Ủy viên Không đồng ý (STT Học hàm, học vị, họ và tên Chức danh Biểu quyết )?8 ThS\. Bùi Thị Thu Hà Thư ký khoa học Đồng ý/);
    expect(record).not.toContain('Phạm Thị Ngọc Ánh');
    expect(record).toContain('Số phiếu đồng ý: 7 Số phiếu không đồng ý: 1');

    const minutes = squash(pdfText(await renderCouncilMinutes(s, 'h')));
    expectSeatRow(minutes, 1, 'm1', 'Vắng mặt');
    expect(minutes).toContain('Có mặt 8/9 thành viên. Phó Chủ tịch TS. Đặng Quốc Việt chủ trì theo ủy quyền của Chủ tịch hội đồng.');
    expect(minutes).toContain('Thành viên vắng mặt: PGS.TS. Phạm Thị Ngọc Ánh, Viện Lúa đồng bằng sông Cửu Long (Chủ tịch).');
    expect(minutes).toContain(`8. Ý kiến khác Đỗ Văn Lợi (Ủy viên): không đồng ý; ý kiến: “${COMMENT.slice(0, -1)}”.`);
    expect(minutes).toMatch(
      /THƯ KÝ KHOA HỌC KT\. CHỦ TỊCH \(Ký, ghi rõ họ tên\) PHÓ CHỦ TỊCH HỘI ĐỒNG \(Ký, ghi rõ họ tên\) ThS\. Bùi Thị Thu Hà TS\. Đặng Quốc Việt$/,
    );
  });
});

describe('refusals and invariants', () => {
  it('refuses a council that is not decided, and a committee member who did not sit', async () => {
    const s = identificationSnapshot();
    const { result: _result, ...undecided } = s.view;
    await expect(renderVoteCountingRecord({ ...s, view: { ...undecided, status: 'VOTING' } }, 'h')).rejects.toThrow(RangeError);
    await expect(renderCouncilMinutes({ ...s, view: { ...undecided, status: 'DECIDED' } }, 'h')).rejects.toThrow(/not decided/);
    const acc = acceptanceSnapshot();
    await expect(renderVoteCountingRecord({ ...acc, countingCommittee: ['m8'] }, 'h')).rejects.toThrow(/did not sit/);
  });

  it('the same recorded state renders to the same bytes', async () => {
    const s = selectionSnapshot();
    const a = await renderCouncilMinutes(s, stateHash(s));
    const b = await renderCouncilMinutes(s, stateHash(s));
    expect(a.equals(b)).toBe(true);
  });

  it('the proposal form still renders (shared helpers untouched)', async () => {
    const pdf = await renderProposalForm(
      {
        taskId: 'NV-TN-2026-017',
        departmentName: DEPARTMENT,
        place: 'Tây Ninh',
        submittedAt: '2026-11-23T18:30:00Z',
        title: TASK_TITLE,
        urgency: 'Xâm nhập mặn.',
        objectives: 'Chọn tạo giống.',
        expectedProducts: ['Giống lúa'],
        resultUsage: 'Chuyển giao.',
        durationMonths: 24,
        budget: { stateBudget: 1, otherSources: 0 },
        level: 'provincial',
        form: 'research_topic',
        proposer: { name: 'Nguyễn Thị Hương', organisation: 'Viện Lúa', email: 'h@example.vn' },
      },
      'h',
    );
    expect(squash(pdfText(pdf))).toContain('PHIẾU ĐỀ XUẤT ĐẶT HÀNG NHIỆM VỤ KHOA HỌC VÀ CÔNG NGHỆ');
  });
});
