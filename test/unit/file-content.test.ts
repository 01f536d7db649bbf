/** Issue 10: what a file is, from its bytes; the name it is kept under. */
import { attachmentDisposition, classifyZip, detectFromHead, directoryNames, HEAD_BYTES, locateDirectory, safeFilename, type AllowedType } from '../../api/file-content';
import { docxFile, exeFile, jpegFile, odtFile, pdfFile, pngFile, xlsxFile, zipFile, zipOf } from '../support/files';

/** As the upload does it: the head, then (for an archive) the directory from the tail. */
function detect(file: Buffer): AllowedType | { refused: string } {
  const v = detectFromHead(file.subarray(0, HEAD_BYTES));
  if ('type' in v) return v.type;
  if ('refused' in v) return { refused: v.refused.en };
  const where = locateDirectory(file, file.length);
  if ('refused' in where) return { refused: where.refused.en };
  const names = directoryNames(file.subarray(where.offset, where.offset + where.size))!;
  const z = classifyZip(file.subarray(0, HEAD_BYTES), names);
  return 'type' in z ? z.type : { refused: z.refused.en };
}

test('the seven accepted types are told by their content', async () => {
  expect(detect(await pdfFile())).toBe('pdf');
  expect(detect(await xlsxFile())).toBe('xlsx');
  expect(detect(docxFile())).toBe('docx');
  expect(detect(odtFile())).toBe('odt');
  expect(detect(zipFile())).toBe('zip');
  expect(detect(pngFile())).toBe('png');
  expect(detect(jpegFile())).toBe('jpeg');
});

test('issue 11: text is a CSV sheet only when it is named .csv; a CSV that is not UTF-8 says so', () => {
  const sheet = Buffer.from('\uFEFFemail,name,orgId\r\nan@example.vn,Nguyễn Văn An,org-x\r\n', 'utf8');
  expect(detectFromHead(sheet, 'Thành viên.csv')).toEqual({ type: 'csv' });
  expect(detectFromHead(sheet, 'THANH-VIEN.CSV')).toEqual({ type: 'csv' });
  expect(detectFromHead(sheet, 'thanh-vien.txt')).toEqual({ refused: expect.objectContaining({ en: expect.stringContaining('plain text') }) });
  expect(detectFromHead(sheet)).toEqual({ refused: expect.objectContaining({ en: expect.stringContaining('plain text') }) });
  // A name never makes a binary file a sheet.
  expect(detectFromHead(exeFile(), 'bang.csv')).toEqual({ refused: expect.objectContaining({ en: expect.stringContaining('Windows program') }) });
  expect(detectFromHead(Buffer.from('email;name\r\nan@x.vn;Nguy\xean\r\n', 'latin1'), 'bang.csv')).toEqual({ refused: expect.objectContaining({ en: expect.stringContaining('UTF-8 text throughout') }) });
  expect(safeFilename('Thành viên', 'csv')).toBe('Thành viên.csv');
});

test('anything else is refused with what it is', () => {
  expect(detect(exeFile())).toEqual({ refused: expect.stringContaining('Windows program') });
  expect(detect(Buffer.from('Báo cáo tiến độ\nkỳ 1\n'))).toEqual({ refused: expect.stringContaining('plain text') });
  expect(detect(Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1'))).toEqual({ refused: expect.stringContaining('GIF') });
  expect(detect(Buffer.from('<!DOCTYPE html><script>alert(1)</script>'))).toEqual({ refused: expect.stringContaining('HTML') });
  expect(detect(Buffer.from([0x00, 0x01, 0x02, 0x03, 0xfe]))).toEqual({ refused: expect.stringContaining('no recognised type') });
  // Containers of other kinds: a presentation, a spreadsheet of OpenDocument, a macro-enabled document.
  expect(detect(zipOf([['[Content_Types].xml', '<Types/>'], ['ppt/presentation.xml', '<p/>']]))).toEqual({ refused: expect.stringContaining('other than DOCX or XLSX') });
  expect(detect(zipOf([['mimetype', 'application/vnd.oasis.opendocument.spreadsheet'], ['content.xml', '<x/>']]))).toEqual({ refused: expect.stringContaining('opendocument.spreadsheet') });
  expect(detect(zipOf([['[Content_Types].xml', '<Types/>'], ['word/document.xml', '<d/>'], ['word/vbaProject.bin', 'x']]))).toEqual({ refused: expect.stringContaining('macro') });
  // A ZIP cut short has no directory.
  const cut = zipFile().subarray(0, 60);
  expect(detect(cut)).toEqual({ refused: expect.stringContaining('damaged ZIP') });
});

test('a ZIP64 end record is followed to the directory', () => {
  const plain = zipFile();
  const endAt = plain.length - 22;
  const cdSize = plain.readUInt32LE(endAt + 12);
  const cdOffset = plain.readUInt32LE(endAt + 16);
  const z64 = Buffer.alloc(56);
  z64.writeUInt32LE(0x06064b50, 0);
  z64.writeBigUInt64LE(44n, 4);
  z64.writeBigUInt64LE(BigInt(cdSize), 40);
  z64.writeBigUInt64LE(BigInt(cdOffset), 48);
  const locator = Buffer.alloc(20);
  locator.writeUInt32LE(0x07064b50, 0);
  locator.writeBigUInt64LE(BigInt(endAt), 8);
  const end = Buffer.from(plain.subarray(endAt));
  end.writeUInt32LE(0xffffffff, 12);
  end.writeUInt32LE(0xffffffff, 16);
  const file = Buffer.concat([plain.subarray(0, endAt), z64, locator, end]);
  expect(detect(file)).toBe('zip');
});

test('names: basename only, NFC, no control or reserved characters, ≤ 200 characters, the extension of the content', () => {
  expect(safeFilename('../../etc/Báo cáo.pdf', 'pdf')).toBe('Báo cáo.pdf');
  expect(safeFilename('C:\\Users\\huong\\Thuyết minh.docx', 'docx')).toBe('Thuyết minh.docx');
  const nfd = 'Nghiên cứu giống lúa.pdf'.normalize('NFD');
  expect(safeFilename(nfd, 'pdf')).toBe('Nghiên cứu giống lúa.pdf'.normalize('NFC'));
  expect(safeFilename(nfd, 'pdf').normalize('NFC')).toBe(safeFilename(nfd, 'pdf'));
  expect(safeFilename('bao\u0000cao\r\n<1>:"?*|.pdf', 'pdf')).toBe('baocao1.pdf');
  // A right-to-left override would show "…fdp.exe" as "…exe.pdf".
  expect(safeFilename('hoa-don\u202Efdp.exe', 'pdf')).toBe('hoa-donfdp.exe.pdf');
  expect(safeFilename('CON.pdf', 'pdf')).toBe('_CON.pdf');
  expect(safeFilename('   ...  ', 'png')).toBe('tep-dinh-kem.png');
  expect(safeFilename(undefined, 'zip')).toBe('tep-dinh-kem.zip');
  expect(safeFilename('anh-hien-truong.JPG', 'jpeg')).toBe('anh-hien-truong.JPG');
  expect(safeFilename('bao-cao.exe', 'pdf')).toBe('bao-cao.exe.pdf');
  const long = `${'Đánh giá hiệu quả mô hình '.repeat(12)}.xlsx`;
  const kept = safeFilename(long, 'xlsx');
  expect([...kept].length).toBeLessThanOrEqual(200);
  expect(kept.endsWith('.xlsx')).toBe(true);
  expect(kept.startsWith('Đánh giá hiệu quả')).toBe(true);
});

test('a download names the file exactly (RFC 8187) with an ASCII fallback', () => {
  expect(attachmentDisposition('Báo cáo "kỳ 1".pdf')).toBe(`attachment; filename="Bao cao _ky 1_.pdf"; filename*=UTF-8''B%C3%A1o%20c%C3%A1o%20%22k%E1%BB%B3%201%22.pdf`);
  expect(attachmentDisposition('Đề cương.docx')).toContain('filename="De cuong.docx"');
});
