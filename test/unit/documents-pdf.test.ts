import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { stateHash } from '../../activities/documents/format';
import { type ProposalFormSnapshot, renderProposalForm } from '../../activities/documents/pdf';
import { pagesOf, pdfReader, readingText } from '../support/pdf-text';

const PDFINFO = '/usr/bin/pdfinfo';
const pdf = pdfReader('pdf');
const writePdf = (b: Buffer) => pdf.write(b);
const pdfText = (file: string) => pdf.textOf(file);
const pageCount = (file: string) => pdf.pageCount(file);

/** Line wrapping and column layout change whitespace only; letters must survive exactly. */
function squash(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

const TITLE = 'Nghiên cứu ứng dụng công nghệ sinh học trong sản xuất giống lúa chịu mặn ở Tây Ninh';

function snapshot(overrides: Partial<ProposalFormSnapshot> = {}): ProposalFormSnapshot {
  return {
    taskId: `TN-TEST-${process.pid}-${Math.random().toString(36).slice(2, 8)}`,
    departmentName: 'Sở Khoa học và Công nghệ tỉnh Tây Ninh',
    place: 'Tây Ninh',
    // 18:30 UTC is already the next day in Vietnam.
    submittedAt: '2026-11-23T18:30:00Z',
    title: TITLE,
    urgency:
      'Xâm nhập mặn ngày càng nghiêm trọng ở vùng hạ lưu sông Vàm Cỏ Đông; những giống lúa hiện có giảm năng suất mạnh trong vụ Đông Xuân.',
    objectives:
      'Chọn tạo hai dòng lúa chịu mặn; xây dựng quy trình kỹ thuật nhân giống; chủ nhiệm dự kiến là TS. Trần Đức Thắng.',
    expectedProducts: [
      'Hai dòng lúa chịu mặn được công nhận sản xuất thử',
      'Quy trình kỹ thuật nhân giống cấp xác nhận',
      'Tài liệu hướng dẫn người nông dân; mẫu giống lưu giữ ở ngân hàng gen',
    ],
    resultUsage: 'Chuyển giao cho Trung tâm Giống nông nghiệp tỉnh và các hợp tác xã vùng bị ảnh hưởng mặn.',
    durationMonths: 24,
    budget: { stateBudget: 1500000000, otherSources: 250000000 },
    level: 'provincial',
    form: 'research_topic',
    proposer: {
      name: 'Nguyễn Thị Hương',
      organisation: 'Viện Lúa đồng bằng sông Cửu Long',
      email: 'huong.nt@example.vn',
      phone: '0912 345 678',
    },
    ...overrides,
  };
}

describe('renderProposalForm', () => {
  it('renders the proposal form with exact Vietnamese text, amounts, date, motto and state hash', async () => {
    const form = snapshot();
    const hash = stateHash(form);
    const file = writePdf(await renderProposalForm(form, hash));
    const raw = pdfText(file);
    const text = squash(raw);

    expect(fs.readFileSync(file).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    // National motto and the administrative header.
    expect(raw).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    expect(raw).toContain('Độc lập - Tự do - Hạnh phúc');
    expect(raw).toContain('VIỆN LÚA');
    expect(text).toContain('Tây Ninh, ngày 24 tháng 11 năm 2026');
    expect(text).toContain('PHIẾU ĐỀ XUẤT ĐẶT HÀNG NHIỆM VỤ KHOA HỌC VÀ CÔNG NGHỆ');
    expect(text).toContain('Kính gửi: Sở Khoa học và Công nghệ tỉnh Tây Ninh');

    // Content, with diacritics checked exactly (ặ ữ ỹ ờ ẫ Đ).
    expect(text).toContain(TITLE);
    expect(text).toContain(form.urgency);
    expect(text).toContain(form.objectives);
    expect(text).toContain(form.resultUsage);
    for (const product of form.expectedProducts) expect(text).toContain(product);
    for (const word of ['mặn', 'những', 'kỹ thuật', 'người', 'hướng dẫn', 'Đông Xuân', 'Trần Đức Thắng']) {
      expect(text).toContain(word);
    }

    // Numbered sections.
    for (const heading of [
      '1. Tên nhiệm vụ',
      '2. Tính cấp thiết',
      '3. Mục tiêu',
      '4. Sản phẩm dự kiến',
      '5. Khả năng và địa chỉ ứng dụng',
      '6. Thời gian thực hiện: 24 tháng',
      '7. Kinh phí dự kiến',
      'Cấp quản lý: Cấp tỉnh',
      'Hình thức thực hiện: Đề tài',
    ]) {
      expect(text).toContain(heading);
    }

    // Budget lines in VND.
    expect(text).toMatch(/Ngân sách nhà nước 1\.500\.000\.000 đồng/);
    expect(text).toMatch(/Nguồn khác 250\.000\.000 đồng/);
    expect(text).toMatch(/Tổng cộng 1\.750\.000\.000 đồng/);

    // Proposer, signer block and distribution.
    expect(text).toContain('Họ và tên: Nguyễn Thị Hương');
    expect(text).toContain('Tổ chức: Viện Lúa đồng bằng sông Cửu Long');
    expect(text).toContain('huong.nt@example.vn');
    expect(text).toContain('Điện thoại: 0912 345 678');
    expect(text).toContain('Ngày đề xuất: 24/11/2026');
    expect(raw).toContain('NGƯỜI ĐỀ XUẤT');
    expect(raw.match(/Nguyễn Thị Hương/g)?.length).toBeGreaterThanOrEqual(2);
    expect(raw).toContain('Nơi nhận:');
    expect(raw).toContain('- Sở Khoa học và Công nghệ;');
    expect(raw).toContain('- Lưu: VT.');

    // State hash and task ID on every page.
    const pages = pageCount(file);
    expect(raw.split(`Mã trạng thái (state hash): ${hash}`).length - 1).toBe(pages);
    expect(raw).toContain(`Mã nhiệm vụ: ${form.taskId}`);
    // Decree 30: page numbers at the top centre from page 2.
    pagesOf(raw).forEach((page, i) => {
      const first = page.split('\n').find((l) => l.trim() !== '')!;
      if (i === 0) expect(first).not.toMatch(/^\s*1\s*$/);
      else expect(first.trim()).toBe(String(i + 1));
    });
  });

  it('uses the Times-metric serif Tinos, embedded, and never Helvetica', async () => {
    const file = writePdf(await renderProposalForm(snapshot(), stateHash('fonts')));
    const fonts = execFileSync('/usr/bin/pdffonts', [file], { encoding: 'utf8' });
    for (const face of ['Tinos-Regular', 'Tinos-Bold', 'Tinos-BoldItalic']) expect(fonts).toContain(face);
    expect(fonts).not.toMatch(/Helvetica/);
  });

  it('renders the same state to the same bytes, with CreationDate from the snapshot', async () => {
    const form = snapshot();
    const hash = stateHash(form);
    const first = await renderProposalForm(form, hash);
    const second = await renderProposalForm(form, hash);
    expect(second.equals(first)).toBe(true);
    expect((await renderProposalForm(form, stateHash({ other: true }))).equals(first)).toBe(false);

    const info = execFileSync(PDFINFO, ['-isodates', writePdf(first)], { encoding: 'utf8' });
    expect(info).toMatch(/CreationDate:\s+2026-11-23T18:30:00(Z|\+00)/);
  });

  it('flows long text onto further pages without losing or reordering any of it', async () => {
    const sentences = Array.from(
      { length: 60 },
      (_, i) => `Câu thứ ${i + 1}: tình trạng xâm nhập mặn đã ảnh hưởng tới những cánh đồng lúa của người dân ở Đức Hòa và Bến Lức.`,
    );
    const urgency = sentences.join(' ');
    const products = Array.from({ length: 15 }, (_, i) => `Sản phẩm số ${i + 1}: bộ tài liệu hướng dẫn kỹ thuật canh tác lúa chịu mặn, dùng cho cán bộ khuyến nông cấp xã`);
    const form = snapshot({ urgency, expectedProducts: products });
    const hash = stateHash(form);
    const file = writePdf(await renderProposalForm(form, hash));
    const raw = pdfText(file);
    const pages = pageCount(file);

    expect(pages).toBeGreaterThanOrEqual(2);
    expect(raw.split('\f').filter((page) => page.trim() !== '').length).toBe(pages);
    expect(raw.split(`Mã trạng thái (state hash): ${hash}`).length - 1).toBe(pages);
    expect(pagesOf(raw)[pages - 1]!.split('\n').find((l) => l.trim() !== '')!.trim()).toBe(String(pages));

    // Remove the per-page footer, then the body must read as one continuous text.
    const body = squash(readingText(raw));
    expect(body).toContain(urgency);
    for (const product of products) expect(body).toContain(product);
    expect(body.indexOf('2. Tính cấp thiết')).toBeLessThan(body.indexOf(sentences[0]));
    expect(body.indexOf(sentences[59])).toBeLessThan(body.indexOf('3. Mục tiêu'));
    expect(body.indexOf('7. Kinh phí dự kiến')).toBeLessThan(body.indexOf('NGƯỜI ĐỀ XUẤT'));
    // The signer's title and name stay together on the last page.
    const lastPage = raw.split('\f').filter((page) => page.trim() !== '').at(-1) ?? '';
    expect(lastPage).toContain('NGƯỜI ĐỀ XUẤT');
    expect(lastPage).toContain('Nguyễn Thị Hương');
  });

  it('shows every level and form in Vietnamese', async () => {
    const file = writePdf(
      await renderProposalForm(snapshot({ level: 'national', form: 'pilot_production' }), stateHash('labels')),
    );
    const text = squash(pdfText(file));
    expect(text).toContain('Cấp quản lý: Cấp quốc gia');
    expect(text).toContain('Hình thức thực hiện: Dự án sản xuất thử nghiệm');
  });

  it('refuses an unknown level or form, a fractional amount and a non-positive duration', async () => {
    await expect(renderProposalForm(snapshot({ level: 'district' as never }), 'h')).rejects.toThrow(/level "district"/);
    await expect(renderProposalForm(snapshot({ form: 'essay' as never }), 'h')).rejects.toThrow(/form "essay"/);
    await expect(
      renderProposalForm(snapshot({ budget: { stateBudget: 1.5, otherSources: 0 } }), 'h'),
    ).rejects.toThrow(RangeError);
    await expect(renderProposalForm(snapshot({ durationMonths: 0 }), 'h')).rejects.toThrow(/durationMonths/);
  });
});
