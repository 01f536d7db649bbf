import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { greeting } from '../../activities';
import { createEmailRenderer, type EmailLocale, renderEmail } from '../../activities/mail/templates';

function uniqueTaskId(): string {
  return `TN-MAIL-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
}

function proposalReceivedData(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const taskId = uniqueTaskId();
  return {
    proposerName: 'Nguyễn Thị Hương',
    departmentName: 'Sở Khoa học và Công nghệ tỉnh Tây Ninh',
    taskId,
    title: 'Nghiên cứu giống lúa chịu mặn ở Tây Ninh',
    submittedAt: '2026-11-23T18:30:00Z',
    totalBudget: 1750000000,
    taskUrl: `https://khcn.example.vn/tasks/${taskId}`,
    ...overrides,
  };
}

function reviewStartedData(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const taskId = uniqueTaskId();
  return {
    proposerName: 'Trần Đức Thắng',
    departmentName: 'Sở Khoa học và Công nghệ tỉnh Tây Ninh',
    taskId,
    title: 'Ứng dụng kỹ thuật tưới tiết kiệm cho cây mía',
    taskUrl: `https://khcn.example.vn/tasks/${taskId}`,
    ...overrides,
  };
}

describe('renderEmail: proposal-received', () => {
  it('renders the Vietnamese email with the task, date in Vietnam time, budget in VND and link', () => {
    const data = proposalReceivedData();
    const email = renderEmail('proposal-received', 'vi', data);

    expect(email.subject).toBe(`[KHCN Flow] Đã tiếp nhận đề xuất nhiệm vụ: ${data.title}`);
    for (const body of [email.text, email.html]) {
      expect(body).toContain('Kính gửi Ông/Bà Nguyễn Thị Hương');
      expect(body).toContain('Sở Khoa học và Công nghệ tỉnh Tây Ninh đã tiếp nhận đề xuất nhiệm vụ');
      expect(body).toContain(String(data.title));
      expect(body).toContain(`Mã nhiệm vụ: `);
      expect(body).toContain(String(data.taskId));
      expect(body).toContain('24/11/2026');
      expect(body).toContain('1.750.000.000 đồng');
      expect(body).toContain('đính kèm');
    }
    expect(email.text).toContain(String(data.taskUrl));
    expect(email.html).toContain(`<a href="https://khcn.example.vn/tasks/${data.taskId}"`);
    expect(email.html).toContain('<html lang="vi">');
    expect(email.html).toMatch(/<p[ >]/);
  });

  it('renders the English email', () => {
    const data = proposalReceivedData();
    const email = renderEmail('proposal-received', 'en', data);
    expect(email.subject).toBe(`[KHCN Flow] Proposal received: ${data.title}`);
    expect(email.text).toContain('Dear Nguyễn Thị Hương,');
    expect(email.text).toContain('has received your science and technology task proposal');
    expect(email.text).toContain(`Task ID: ${data.taskId}`);
    // The recipient's language: the date in English, in Vietnam time (18:30 UTC is already the 24th there), VND.
    expect(email.text).toContain('Submitted on: 24 Nov 2026');
    expect(email.text).toContain('Estimated budget: 1.750.000.000 VND');
    expect(email.html).toContain('<html lang="en">');
    expect(email.html).toContain('attached');
  });

  it('escapes HTML in the HTML part only', () => {
    const title = 'Lúa <script>alert("x")</script> & mía';
    const email = renderEmail('proposal-received', 'vi', proposalReceivedData({ title }));
    expect(email.html).not.toContain('<script>');
    expect(email.html).toContain('&lt;script&gt;');
    expect(email.html).toContain('&amp; mía');
    expect(email.text).toContain(title);
    expect(email.subject).toContain(title);
  });

  it('refuses to render when a required field is missing', () => {
    const data = proposalReceivedData();
    delete data.taskUrl;
    expect(() => renderEmail('proposal-received', 'vi', data)).toThrow(/proposal-received.*taskUrl/);
  });

  it('greets without a name when none is given', () => {
    const data = proposalReceivedData();
    delete data.proposerName;
    expect(renderEmail('proposal-received', 'vi', data).text).toMatch(/^Kính gửi Ông\/Bà,\n/);
    expect(renderEmail('proposal-received', 'en', data).text).toMatch(/^Dear Sir or Madam,\n/);
  });
});

describe('renderEmail: identification-review-started', () => {
  it('renders the Vietnamese email with the note', () => {
    const data = reviewStartedData({ note: 'Hội đồng họp vào tuần tới; vui lòng chuẩn bị thuyết minh.' });
    const email = renderEmail('identification-review-started', 'vi', data);
    expect(email.subject).toBe(`[KHCN Flow] Đề xuất được đưa vào xét duyệt xác định nhiệm vụ: ${data.title}`);
    for (const body of [email.text, email.html]) {
      expect(body).toContain('Kính gửi Ông/Bà Trần Đức Thắng');
      expect(body).toContain('xét duyệt xác định nhiệm vụ');
      expect(body).toContain(String(data.title));
      expect(body).toContain(String(data.taskId));
      expect(body).toContain('Ghi chú của Sở: Hội đồng họp vào tuần tới; vui lòng chuẩn bị thuyết minh.');
    }
    expect(email.text).toContain(String(data.taskUrl));
    expect(email.html).toContain(`href="${data.taskUrl}"`);
  });

  it('leaves the note out when there is none', () => {
    const email = renderEmail('identification-review-started', 'vi', reviewStartedData());
    expect(email.text).not.toContain('Ghi chú');
    expect(email.html).not.toContain('Ghi chú');
    expect(email.text).not.toMatch(/\n\n\n/);
  });

  it('renders the English email', () => {
    const data = reviewStartedData({ note: 'The council meets next week.' });
    const email = renderEmail('identification-review-started', 'en', data);
    expect(email.subject).toBe(`[KHCN Flow] Proposal accepted for identification review: ${data.title}`);
    expect(email.text).toContain('Dear Trần Đức Thắng,');
    expect(email.text).toContain(`(task ID ${data.taskId}) for identification review`);
    expect(email.text).toContain('Note from the Department: The council meets next week.');
    expect(email.html).toContain('<html lang="en">');
  });
});

describe('renderEmail: resolution', () => {
  it('throws an error naming an unknown template', () => {
    expect(() => renderEmail('no-such-template', 'vi', {})).toThrow(/"no-such-template" does not exist/);
    expect(() => renderEmail('../etc', 'vi', {})).toThrow(/"\.\.\/etc" does not exist/);
  });

  it('falls back to Vietnamese for an unsupported locale', () => {
    const data = proposalReceivedData();
    const fallback = renderEmail('proposal-received', 'fr' as EmailLocale, data);
    expect(fallback).toEqual(renderEmail('proposal-received', 'vi', data));
  });

  describe('with its own templates directory', () => {
    let dir: string;
    beforeEach(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'khcn-mail-'));
      fs.mkdirSync(path.join(dir, 'only-vi'));
      fs.writeFileSync(path.join(dir, 'only-vi', 'subject.vi.hbs'), 'Chào {{name}}\n');
      fs.writeFileSync(path.join(dir, 'only-vi', 'html.vi.hbs'), '<p>Chào {{name}}</p>');
      fs.writeFileSync(path.join(dir, 'only-vi', 'text.vi.hbs'), 'Chào {{name}}, số tiền {{vnd amount}}');
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('falls back to Vietnamese when the requested locale has no files', () => {
      const renderer = createEmailRenderer({ templatesDir: dir });
      expect(renderer.render('only-vi', 'en', { name: 'Hương', amount: 1000 })).toEqual({
        subject: 'Chào Hương',
        html: '<p>Chào Hương</p>',
        text: 'Chào Hương, số tiền 1.000 đồng',
      });
    });

    it('does not mix languages when a locale is incomplete', () => {
      fs.writeFileSync(path.join(dir, 'only-vi', 'subject.en.hbs'), 'Hello {{name}}');
      const renderer = createEmailRenderer({ templatesDir: dir });
      expect(renderer.render('only-vi', 'en', { name: 'Hương', amount: 1 }).subject).toBe('Chào Hương');
    });

    it('compiles once and serves later renders from the cache', () => {
      const renderer = createEmailRenderer({ templatesDir: dir });
      expect(renderer.render('only-vi', 'vi', { name: 'A', amount: 1 }).html).toBe('<p>Chào A</p>');
      fs.writeFileSync(path.join(dir, 'only-vi', 'html.vi.hbs'), '<p>Changed {{name}}</p>');
      expect(renderer.render('only-vi', 'vi', { name: 'B', amount: 1 }).html).toBe('<p>Chào B</p>');
    });

    it('names the missing file when the Vietnamese set is incomplete', () => {
      fs.rmSync(path.join(dir, 'only-vi', 'text.vi.hbs'));
      const renderer = createEmailRenderer({ templatesDir: dir });
      expect(() => renderer.render('only-vi', 'vi', { name: 'A' })).toThrow(/"only-vi".*text\.vi\.hbs/);
    });
  });
});

describe('renderEmail: task-event (every lifecycle event until it has its own template)', () => {
  const data = {
    subject: 'Quá hạn: Báo cáo định kỳ kỳ 1',
    message: 'Báo cáo định kỳ kỳ 1 đã quá hạn (hạn 2027-05-23); người chịu trách nhiệm: Viện Sinh học Nhiệt đới (Nguyễn Thị Hương).',
    taskId: 'NV-ABCDEFGHJK012345',
    title: 'Nghiên cứu giống lúa chịu mặn <Tây Ninh>',
    rule: 'L-13',
    taskUrl: 'http://127.0.0.1:3000/tasks/NV-ABCDEFGHJK012345',
  };

  test('Vietnamese: subject, text and escaped HTML carry the event and the task, greet by name, never the rule ID', () => {
    const m = renderEmail('task-event', 'vi', { ...data, greeting: 'Kính gửi Bà Nguyễn Thị Hương,' });
    expect(m.subject).toBe('[KHCN Flow] Quá hạn: Báo cáo định kỳ kỳ 1 — NV-ABCDEFGHJK012345');
    expect(m.text).toMatch(/^Kính gửi Bà Nguyễn Thị Hương,\n/);
    expect(m.html).toContain('>Kính gửi Bà Nguyễn Thị Hương,</p>');
    expect(m.text).toContain(data.message);
    for (const part of [m.text, m.html, m.subject]) expect(part).not.toMatch(/L-13|Căn cứ:/);
    expect(m.text).toContain('Nghiên cứu giống lúa chịu mặn <Tây Ninh>');
    expect(m.html).toContain('&lt;Tây Ninh&gt;');
    expect(m.html).toContain('lang="vi"');
  });

  test('English alongside', () => {
    const m = renderEmail('task-event', 'en', { ...data, subject: 'Overdue: Progress report, period 1', message: 'Progress report, period 1 is overdue.' });
    expect(m.subject).toBe('[KHCN Flow] Overdue: Progress report, period 1 — NV-ABCDEFGHJK012345');
    expect(m.text).toMatch(/^Dear Sir or Madam,\n/);
    for (const part of [m.text, m.html, m.subject]) expect(part).not.toMatch(/L-13|Rule:/);
    expect(m.html).toContain('lang="en"');
  });
});

describe('greeting: each recipient by name, in their language', () => {
  test('with the honorific when known, "Ông/Bà" when not, the formal salutation without a name', () => {
    expect(greeting('vi', { name: 'Nguyễn Thị Hương', honorific: 'Bà' })).toBe('Kính gửi Bà Nguyễn Thị Hương,');
    expect(greeting('vi', { name: 'Trần Đức Thắng' })).toBe('Kính gửi Ông/Bà Trần Đức Thắng,');
    expect(greeting('vi', undefined)).toBe('Kính gửi Ông/Bà,');
    expect(greeting('en', { name: 'Nguyễn Thị Hương', honorific: 'Bà' })).toBe('Dear Ms Nguyễn Thị Hương,');
    expect(greeting('en', { name: 'Lê Văn Đức' })).toBe('Dear Lê Văn Đức,');
    expect(greeting('en', { name: '  ' })).toBe('Dear Sir or Madam,');
  });
});
