/**
 * Real small files of every accepted type, made in the test (issue 10): a PDF with
 * pdfkit, an XLSX with exceljs, DOCX / ODT / ZIP as archives built here, a PNG
 * (zlib), a JPEG (the smallest baseline JPEG); and multipart bodies to send them.
 */
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { crc32, deflateSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import PDFDocument from 'pdfkit';

/** A Vietnamese-capable font for test PDFs: the one the documents use. */
const TINOS = require.resolve('@expo-google-fonts/tinos/400Regular/Tinos_400Regular.ttf');

export async function pdfFile(text = 'Báo cáo tiến độ kỳ 1'): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4' });
  const parts: Buffer[] = [];
  doc.on('data', (b: Buffer) => parts.push(b));
  const done = new Promise((r) => doc.on('end', r));
  doc.font(TINOS).text(text);
  doc.end();
  await done;
  return Buffer.concat(parts);
}

export async function xlsxFile(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Dự toán');
  ws.addRow(['Khoản chi', 'Số tiền (đồng)']);
  ws.addRow(['Thuê khoán chuyên môn', 450_000_000]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** A ZIP archive of stored (uncompressed) entries, in the order given. */
export function zipOf(entries: [name: string, content: string | Buffer][]): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of entries) {
    const data = Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8');
    const n = Buffer.from(name, 'utf8');
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(0, 8); // stored
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(n.length, 26);
    const cd = Buffer.alloc(46);
    cd.writeUInt32LE(0x02014b50, 0);
    cd.writeUInt16LE(20, 4);
    cd.writeUInt16LE(20, 6);
    cd.writeUInt16LE(0x0800, 8);
    cd.writeUInt32LE(crc, 16);
    cd.writeUInt32LE(data.length, 20);
    cd.writeUInt32LE(data.length, 24);
    cd.writeUInt16LE(n.length, 28);
    cd.writeUInt32LE(offset, 42);
    locals.push(local, n, data);
    central.push(cd, n);
    offset += 30 + n.length + data.length;
  }
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

const XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>';

export function docxFile(text = 'Thuyết minh nhiệm vụ'): Buffer {
  return zipOf([
    ['[Content_Types].xml', `${XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`],
    ['_rels/.rels', `${XML}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`],
    ['word/document.xml', `${XML}<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>${text}</w:t></w:r></w:p></w:body></w:document>`],
  ]);
}

export function odtFile(text = 'Ý kiến giải trình'): Buffer {
  return zipOf([
    ['mimetype', 'application/vnd.oasis.opendocument.text'],
    ['META-INF/manifest.xml', `${XML}<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>`],
    ['content.xml', `${XML}<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:text><text:p>${text}</text:p></office:text></office:body></office:document-content>`],
  ]);
}

export function zipFile(): Buffer {
  return zipOf([
    ['du-lieu/mau-dat.csv', 'mẫu,độ mặn\nM01,4.2\n'],
    ['du-lieu/ghi-chu.txt', 'Số liệu thu thập tháng 3/2027'],
  ]);
}

export function pngFile(): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(td));
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(2, 0);
  ihdr.writeUInt32BE(2, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const raw = Buffer.from([0, 255, 0, 0, 0, 128, 0, 0, 0, 0, 255, 200, 200, 200]);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

/** A 1×1 baseline JPEG. */
export function jpegFile(): Buffer {
  return Buffer.from(
    '/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA=',
    'base64',
  );
}

/** A Windows program's first bytes (what a renamed .exe starts with). */
export function exeFile(): Buffer {
  const b = Buffer.alloc(1024);
  b.write('MZ', 0, 'latin1');
  b.write('This program cannot be run in DOS mode.', 78, 'latin1');
  return b;
}

export const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

export interface Part {
  name?: string;
  filename: string;
  content: Buffer;
  contentType?: string;
}

/** A multipart/form-data body (what a browser sends: UTF-8 names unencoded). */
export function multipart(parts: Part[], boundary = `----khcn${randomBytes(8).toString('hex')}`): { body: Buffer; contentType: string } {
  const chunks: Buffer[] = [];
  for (const p of parts) {
    chunks.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${p.name ?? 'file'}"; filename="${p.filename.replace(/"/g, '%22')}"\r\nContent-Type: ${p.contentType ?? 'application/octet-stream'}\r\n\r\n`, 'utf8'),
      p.content,
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

/**
 * A large PDF-typed body streamed in 64 KB pieces, never whole in memory, with the
 * SHA-256 of the file part computed as it is produced (`digest()` once consumed).
 */
export function streamedMultipart(filename: string, bytes: number): { stream: Readable; contentType: string; digest(): string } {
  const boundary = `----khcn${randomBytes(8).toString('hex')}`;
  const hash = createHash('sha256');
  const piece = randomBytes(64 * 1024);
  let sent = 0;
  let stage = 0;
  const stream = new Readable({
    read() {
      if (stage === 0) {
        stage = 1;
        this.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/pdf\r\n\r\n`));
        const head = Buffer.from('%PDF-1.7\n%âãÏÓ\n');
        hash.update(head);
        sent = head.length;
        this.push(head);
        return;
      }
      if (stage === 1) {
        const n = Math.min(piece.length, bytes - sent);
        if (n > 0) {
          const b = piece.subarray(0, n);
          hash.update(b);
          sent += n;
          this.push(Buffer.from(b));
          return;
        }
        stage = 2;
        this.push(Buffer.from(`\r\n--${boundary}--\r\n`));
        return;
      }
      this.push(null);
    },
  });
  return { stream, contentType: `multipart/form-data; boundary=${boundary}`, digest: () => hash.digest('hex') };
}
