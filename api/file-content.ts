/**
 * What an uploaded file is, from its bytes (never from its name or the type the
 * browser claims), and the name it is kept under. Pure: no I/O.
 *
 * Eight types are accepted: PDF, DOCX, XLSX, ODT, PNG, JPEG and ZIP (issue 10), and CSV (issue 11:
 * the sheets of the imports), which has no magic number: UTF-8 text throughout (checked over the
 * whole stream by the upload) whose name ends in .csv. Text under any other name stays refused.
 * We read the magic numbers ourselves rather than use `file-type`: that package is
 * ESM-only (with four ESM-only dependencies) while jest here compiles to CommonJS
 * with @swc/jest and runs the API in-process, and, more to the point, its stream
 * API decides DOCX/XLSX/ODT from the local headers at the front of the archive,
 * which either needs a second pass over the file or guesses from a sample. Telling
 * the ZIP containers apart is exact from the archive's central directory, which
 * is at the end: the upload keeps the head and a bounded tail of the stream while
 * it goes to GridFS, and reads the directory from the tail (or, for a very large
 * directory, from the stored file).
 */

export type AllowedType = 'pdf' | 'docx' | 'xlsx' | 'odt' | 'png' | 'jpeg' | 'zip' | 'csv';

export const MEDIA_TYPES: Record<AllowedType, string> = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  odt: 'application/vnd.oasis.opendocument.text',
  png: 'image/png',
  jpeg: 'image/jpeg',
  zip: 'application/zip',
  csv: 'text/csv',
};

/** Extensions that name each type; the first is added to a name that has none of them. */
const EXTENSIONS: Record<AllowedType, string[]> = {
  pdf: ['pdf'],
  docx: ['docx'],
  xlsx: ['xlsx'],
  odt: ['odt'],
  png: ['png'],
  jpeg: ['jpg', 'jpeg'],
  zip: ['zip'],
  csv: ['csv'],
};

/** Why a file is refused, in both languages (the problem names the file). */
export type Refusal = { vi: string; en: string };

/** Bytes needed from the start of a file to decide (ODT's `mimetype` entry is the longest). */
export const HEAD_BYTES = 4096;
/** Bytes kept from the end of a ZIP-like file: its end record and, nearly always, its central directory. */
export const TAIL_BYTES = 1024 * 1024;

export type HeadVerdict = { type: AllowedType } | { zip: true } | { refused: Refusal };

const startsWith = (b: Buffer, sig: number[] | string, at = 0) => {
  const bytes = typeof sig === 'string' ? Buffer.from(sig, 'latin1') : Buffer.from(sig);
  return b.length >= at + bytes.length && b.subarray(at, at + bytes.length).equals(bytes);
};

/** Some types people do try to upload, named in the refusal so that they know why. */
const KNOWN_REFUSED: { sig: number[] | string; at?: number; vi: string; en: string }[] = [
  { sig: 'MZ', vi: 'chương trình Windows (EXE/DLL)', en: 'a Windows program (EXE/DLL)' },
  { sig: [0x7f, 0x45, 0x4c, 0x46], vi: 'chương trình (ELF)', en: 'a program (ELF)' },
  { sig: '#!', vi: 'tập lệnh', en: 'a script' },
  { sig: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], vi: 'tài liệu Office cũ (DOC/XLS)', en: 'a legacy Office document (DOC/XLS)' },
  { sig: 'GIF8', vi: 'ảnh GIF', en: 'a GIF image' },
  { sig: 'Rar!', vi: 'tệp nén RAR', en: 'a RAR archive' },
  { sig: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], vi: 'tệp nén 7z', en: 'a 7z archive' },
  { sig: [0x1f, 0x8b], vi: 'tệp nén gzip', en: 'a gzip archive' },
  { sig: '{\\rtf', vi: 'văn bản RTF', en: 'an RTF document' },
];

const notAllowed = (what: Refusal): Refusal => ({
  vi: `nội dung là ${what.vi}; chỉ nhận PDF, DOCX, XLSX, ODT, PNG, JPEG, ZIP (và bảng CSV mã UTF-8, tên tệp .csv)`,
  en: `its content is ${what.en}; only PDF, DOCX, XLSX, ODT, PNG, JPEG and ZIP are accepted (and CSV sheets in UTF-8, named .csv)`,
});

/** Control characters that plain text does not hold (tab, line breaks and form feeds aside). */
export const TEXT_CONTROL = /[\u0000-\u0008\u000e-\u001f\u007f]/;

/** Plain text (UTF-8 without control characters other than tab and line breaks). */
function looksLikeText(b: Buffer): boolean {
  // A multi-byte letter cut at the sample's end is still text.
  const s = b.subarray(0, Math.min(b.length, 1024)).toString('utf8').replace(/\uFFFD$/, '');
  return s.length > 0 && !s.includes('\uFFFD') && !TEXT_CONTROL.test(s);
}

/** Why a file named .csv is refused: not UTF-8 text throughout. */
export const CSV_NOT_UTF8: Refusal = {
  vi: 'tệp CSV phải là văn bản mã UTF-8 từ đầu đến cuối (không có ký tự điều khiển); hãy lưu bảng tính dưới dạng «CSV UTF-8» hoặc XLSX',
  en: 'a CSV file must be UTF-8 text throughout (no control characters); save the sheet as "CSV UTF-8" or as XLSX',
};

/** A name that says "a CSV sheet": the one case where the name matters (text has no magic number). */
export const namedCsv = (name: string | undefined): boolean => /\.csv$/i.test((name ?? '').trim());

/**
 * From the first bytes (HEAD_BYTES, or the whole file if shorter): the type, or
 * "a ZIP archive, look at its directory", or the reason it is refused.
 */
export function detectFromHead(head: Buffer, name?: string): HeadVerdict {
  if (startsWith(head, '%PDF-')) return { type: 'pdf' };
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { type: 'png' };
  if (startsWith(head, [0xff, 0xd8, 0xff])) return { type: 'jpeg' };
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04]) || startsWith(head, [0x50, 0x4b, 0x05, 0x06])) return { zip: true };
  const known = KNOWN_REFUSED.find((k) => startsWith(head, k.sig, k.at ?? 0));
  if (known) return { refused: notAllowed(known) };
  if (/^\s*<(!doctype html|html|\?xml|svg)/i.test(head.subarray(0, 256).toString('latin1'))) return { refused: notAllowed({ vi: 'HTML/XML/SVG', en: 'HTML/XML/SVG' }) };
  // Text is a CSV sheet only when it is named so; the upload then checks that all of it is UTF-8 text.
  if (looksLikeText(head)) return namedCsv(name) ? { type: 'csv' } : { refused: notAllowed({ vi: 'văn bản thuần (text)', en: 'plain text' }) };
  if (namedCsv(name)) return { refused: CSV_NOT_UTF8 };
  return { refused: { vi: 'không nhận ra loại nội dung; chỉ nhận PDF, DOCX, XLSX, ODT, PNG, JPEG, ZIP (và bảng CSV mã UTF-8, tên tệp .csv)', en: 'its content is of no recognised type; only PDF, DOCX, XLSX, ODT, PNG, JPEG and ZIP are accepted (and CSV sheets in UTF-8, named .csv)' } };
}

/** Where a ZIP archive's central directory is, from its end record (in `tail`, the last bytes of a file of `size` bytes). */
export type DirectoryLocation = { offset: number; size: number } | { refused: Refusal };

const damaged: Refusal = { vi: 'tệp nén ZIP bị hỏng (không đọc được danh mục tệp)', en: 'a damaged ZIP archive (its directory cannot be read)' };

export function locateDirectory(tail: Buffer, size: number): DirectoryLocation {
  const tailStart = size - tail.length;
  // The end record (22 bytes + a comment of up to 65535) is the last thing in the archive.
  for (let i = tail.length - 22; i >= Math.max(0, tail.length - 22 - 0xffff); i--) {
    if (tail.readUInt32LE(i) !== 0x06054b50) continue;
    let offset = tail.readUInt32LE(i + 16);
    let cdSize = tail.readUInt32LE(i + 12);
    if (offset === 0xffffffff || cdSize === 0xffffffff) {
      // ZIP64: the locator just before the end record points at the ZIP64 end record.
      const loc = i - 20;
      if (loc < 0 || tail.readUInt32LE(loc) !== 0x07064b50) return { refused: damaged };
      const at = Number(tail.readBigUInt64LE(loc + 8)) - tailStart;
      if (at < 0 || at + 56 > tail.length || tail.readUInt32LE(at) !== 0x06064b50) return { refused: damaged };
      cdSize = Number(tail.readBigUInt64LE(at + 40));
      offset = Number(tail.readBigUInt64LE(at + 48));
    }
    if (offset + cdSize > size) continue; // a stray signature inside data: keep looking
    return { offset, size: cdSize };
  }
  return { refused: damaged };
}

/** The entry names of a central directory. */
export function directoryNames(cd: Buffer): string[] | undefined {
  const names: string[] = [];
  let p = 0;
  while (p + 46 <= cd.length && cd.readUInt32LE(p) === 0x02014b50) {
    const n = cd.readUInt16LE(p + 28);
    const extra = cd.readUInt16LE(p + 30);
    const comment = cd.readUInt16LE(p + 32);
    if (p + 46 + n > cd.length) return undefined;
    names.push(cd.subarray(p + 46, p + 46 + n).toString('utf8'));
    p += 46 + n + extra + comment;
  }
  return names.length || cd.length === 0 ? names : undefined;
}

/** An ODF document names its type in a first, uncompressed entry `mimetype`. */
function odfMimetype(head: Buffer): string | undefined {
  if (head.length < 30 || head.readUInt32LE(0) !== 0x04034b50) return undefined;
  const method = head.readUInt16LE(8);
  const size = head.readUInt32LE(18);
  const n = head.readUInt16LE(26);
  const extra = head.readUInt16LE(28);
  if (method !== 0 || head.subarray(30, 30 + n).toString('latin1') !== 'mimetype') return undefined;
  const start = 30 + n + extra;
  return head.subarray(start, start + Math.min(size, 200)).toString('latin1');
}

/**
 * A ZIP container: ODT (its `mimetype` entry), DOCX or XLSX (Office Open XML:
 * `[Content_Types].xml` and the main part's folder), or a plain ZIP. Other
 * containers (PPTX, ODS, EPUB…) and macro-enabled Office files are refused.
 */
export function classifyZip(head: Buffer, names: string[]): { type: AllowedType } | { refused: Refusal } {
  const mimetype = odfMimetype(head);
  if (mimetype !== undefined) {
    if (mimetype === MEDIA_TYPES.odt) return { type: 'odt' };
    return { refused: notAllowed({ vi: `tài liệu ${mimetype}`, en: `a ${mimetype} document` }) };
  }
  const has = new Set(names);
  if (has.has('mimetype') && has.has('META-INF/manifest.xml')) return { refused: notAllowed({ vi: 'tài liệu OpenDocument không phải văn bản', en: 'an OpenDocument file that is not a text document' }) };
  if (has.has('[Content_Types].xml')) {
    if (names.some((n) => /(^|\/)vbaProject\.bin$/i.test(n))) return { refused: notAllowed({ vi: 'tài liệu Office có macro', en: 'a macro-enabled Office document' }) };
    if (names.some((n) => n.startsWith('word/'))) return { type: 'docx' };
    if (names.some((n) => n.startsWith('xl/'))) return { type: 'xlsx' };
    return { refused: notAllowed({ vi: 'tài liệu Office không phải DOCX hoặc XLSX', en: 'an Office document other than DOCX or XLSX' }) };
  }
  return { type: 'zip' };
}

// ---- file names ----

const MAX_NAME = 200;
/** Control, format (bidirectional overrides, zero-width) and separator characters, and what Windows reserves. */
const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}<>:"/\\|?*]/gu;
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;

/**
 * The name a file is kept and offered under: the last path segment only, NFC,
 * without control, formatting or reserved characters, at most 200 characters
 * (code points; the extension kept), Vietnamese letters as they are. A name whose
 * extension does not match the content gets the right one added, so that a saved
 * file opens as what it is ("bao-cao.exe" that is a PDF becomes "bao-cao.exe.pdf").
 */
export function safeFilename(given: string | undefined, type: AllowedType): string {
  const base = (given ?? '').split(/[/\\]/).pop() ?? '';
  let name = base.normalize('NFC').replace(UNSAFE, '').replace(/\s+/g, ' ').trim().replace(/^[.\s]+|[.\s]+$/g, '');
  if (WINDOWS_DEVICE.test(name)) name = `_${name}`;
  const ext = /\.([^.]{1,10})$/.exec(name)?.[1]?.toLowerCase();
  if (!name) name = 'tep-dinh-kem';
  if (!ext || !EXTENSIONS[type].includes(ext)) name = `${name}.${EXTENSIONS[type][0]}`;
  const points = [...name];
  if (points.length <= MAX_NAME) return name;
  const suffix = `.${/\.([^.]{1,10})$/.exec(name)![1]}`;
  return [...points.slice(0, MAX_NAME - suffix.length)].join('').trimEnd() + suffix;
}

/** Content-Disposition for a download: an ASCII fallback and the exact name (RFC 6266, RFC 8187). */
export function attachmentDisposition(filename: string): string {
  const ascii = filename.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
