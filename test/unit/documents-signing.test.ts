/**
 * Issue 12: every kind of document as issued is digitally signed (PAdES, ETSI.CAdES.detached) and
 * `pdfsig` (poppler-utils) verifies it: each signature valid, the Department signer's certificate
 * first (when the document has one), the Department's own last and covering the whole file, the
 * certificates' subjects as configured; a single changed byte makes every signature invalid. The
 * state hash the documents carry stays, and the visible signature block names signer, position, time.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import forge from 'node-forge';
import { ConfigError } from '../../activities/config';
import { stateHash } from '../../activities/documents/format';
import { P12SigningService, readP12, signingServiceFromConfig } from '../../activities/documents/signing';
import { ensureDevelopmentCertificates } from '../../activities/documents/dev-certificates';
import { catalogueSigning, documentCatalogue, issuedSnapshot } from '../support/document-catalogue';
import { pdfReader } from '../support/pdf-text';
import { DEPARTMENT } from '../support/task-fixtures';
import { TASK_DOCUMENT_KINDS } from '../../workflows/task-documents';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const pdf = pdfReader('signing');

interface PdfSig {
  commonName: string;
  type: string;
  valid: boolean;
  validation: string;
  total: boolean;
}

function pdfsig(file: string): PdfSig[] {
  let out: string;
  try {
    out = execFileSync('/usr/bin/pdfsig', [file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    out = String((err as { stdout?: string }).stdout ?? '');
  }
  return out.split(/^Signature #\d+:$/m).slice(1).map((block) => ({
    commonName: /Signer Certificate Common Name: (.*)$/m.exec(block)?.[1]?.trim() ?? '',
    type: /Signature Type: (.*)$/m.exec(block)?.[1]?.trim() ?? '',
    validation: /Signature Validation: (.*)$/m.exec(block)?.[1]?.trim() ?? '',
    valid: /Signature Validation: Signature is Valid\./.test(block),
    total: /Total document signed/.test(block),
  }));
}

const entries = documentCatalogue().filter((e) => e.name.startsWith('issued-'));

test('every kind of document has a signed, issued version in the catalogue', () => {
  expect(entries.map((e) => e.name)).toEqual(expect.arrayContaining(TASK_DOCUMENT_KINDS.map((k) => `issued-${k.replace(/_/g, '-')}`)));
});

describe.each(entries.map((e) => [e.name, e] as const))('%s', (name, entry) => {
  const base = entry.snapshot!;
  let file = '';
  let bytes: Buffer;
  beforeAll(async () => {
    bytes = await entry.render();
    file = pdf.write(bytes, name);
  });

  test('pdfsig: every signature valid; the signer\'s certificate, then the Department\'s over the whole file', () => {
    const snapshot = issuedSnapshot(base);
    const certified = snapshot.issuance!.signatures.filter((s) => s.mode === 'certificate').map((s) => s.name);
    const sigs = pdfsig(file);
    expect(sigs.map((s) => s.commonName)).toEqual([...certified, DEPARTMENT]);
    for (const s of sigs) expect(s).toMatchObject({ type: 'ETSI.CAdES.detached', valid: true });
    expect(sigs.at(-1)!.total).toBe(true);
  });

  test('a single changed byte invalidates every signature', () => {
    // One bit of one byte of the first page's content stream (inside every signature's byte range).
    const tampered = Buffer.from(bytes);
    const at = tampered.indexOf('stream\n') + 'stream\n'.length + 10;
    expect(at).toBeGreaterThan(100);
    tampered[at] = tampered[at]! ^ 0x01;
    const sigs = pdfsig(pdf.write(tampered, `${name}-tampered`));
    expect(sigs.length).toBeGreaterThan(0);
    for (const s of sigs) expect({ valid: s.valid, validation: s.validation }).toEqual({ valid: false, validation: 'Digest Mismatch.' });
  });

  test('the state hash stays; the visible block names signer, position and time; no draft watermark', () => {
    const text = pdf.textOf(file);
    expect(text).toContain(`Mã trạng thái (state hash): ${stateHash(base)}`);
    const snapshot = issuedSnapshot(base);
    for (const s of snapshot.issuance!.signatures) {
      expect(text).toMatch(new RegExp(`(Ký số bởi|Ký trên KHCN Flow): ${s.name}`));
    }
    expect(text).toMatch(/Chức vụ: /);
    expect(text).toMatch(/Thời gian: \d{2} giờ \d{2}, ngày \d{2}\/\d{2}\/\d{4}/);
    expect(text).not.toContain('DỰ THẢO');
    if (snapshot.issuance!.number) expect(text).toContain(`Số: ${snapshot.issuance!.number}`);
  });
});

test('a Deputy under delegation prints KT. GIÁM ĐỐC above PHÓ GIÁM ĐỐC; the Director GIÁM ĐỐC; each with their real name', async () => {
  const byDeputy = pdf.textOf(pdf.write(await entries.find((e) => e.name === 'issued-recognition-decision')!.render(), 'kt'));
  expect(byDeputy).toMatch(/KT\. GIÁM ĐỐC *\n[^\n]*PHÓ GIÁM ĐỐC/);
  expect(byDeputy).toContain('Phan Thị Thu Trang');
  const byDirector = pdf.textOf(pdf.write(await entries.find((e) => e.name === 'issued-termination-decision')!.render(), 'gd'));
  expect(byDirector).not.toContain('KT. GIÁM ĐỐC');
  expect(byDirector).toMatch(/ {4}GIÁM ĐỐC *$/m);
  expect(byDirector).toContain('Lê Minh Quang');
  // The officer who gave the command is not printed as the signer.
  expect(byDirector).not.toMatch(/GIÁM ĐỐC[\s\S]{0,400}Trần Đức Thắng/);
});

test('the certificate that signs is the one configured: subjects from SIGNING_P12_PATH and the signers\' folder', () => {
  const { service } = catalogueSigning();
  expect(service.certificateFor()).toEqual({ subjectCommonName: DEPARTMENT });
  expect(service.certificateFor({ userId: 'u-director-1', name: 'Lê Minh Quang' })).toEqual({ subjectCommonName: 'Lê Minh Quang' });
  expect(service.certificateFor({ userId: 'u-nobody', name: 'Không có' })).toBeNull();
  // Another configured certificate signs with its own subject.
  const files = ensureDevelopmentCertificates(join(tmpdir(), `khcn-flow-other-signing-${process.pid}`), { departmentName: 'Sở Khoa học và Công nghệ tỉnh Long An', signers: [] });
  const other = new P12SigningService({ organisation: { p12: readFileSync(files.organisationP12), passphrase: files.passphrase } });
  expect(other.certificateFor()).toEqual({ subjectCommonName: 'Sở Khoa học và Công nghệ tỉnh Long An' });
  expect(() => readP12(readFileSync(files.organisationP12), 'wrong passphrase')).toThrow();
});

test('a draft is watermarked DỰ THẢO and has neither number nor date; nobody has signed it', async () => {
  const draft = documentCatalogue().find((e) => e.name === 'draft-task-approval-decision')!;
  const file = pdf.write(await draft.render(), 'draft');
  const text = pdf.textOf(file);
  // The watermark is drawn across the page: read it in drawing order.
  expect(execFileSync('/usr/bin/pdftotext', ['-raw', file, '-'], { encoding: 'utf8' })).toMatch(/DỰ\s+THẢO/);
  expect(text).toMatch(/Số:\s+\/QĐ-SKHCN/);
  expect(text).toMatch(/Tây Ninh, ngày\s+tháng\s+năm 2026/);
  expect(text).not.toMatch(/Ký số bởi|Thời gian: /);
  expect(pdfsig(file)).toEqual([]);
});

/** A certificate from elsewhere than `npm start` (self-signed here; a licensed CA's in real use), as PKCS#12. */
function otherCertificateP12(commonName: string, passphrase: string): Buffer {
  const keys = forge.pki.rsa.generateKeyPair(1024);
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = '01';
  cert.validity.notBefore = new Date('2026-01-01T00:00:00Z');
  cert.validity.notAfter = new Date('2031-01-01T00:00:00Z');
  const name = [
    { shortName: 'CN', value: forge.util.encodeUtf8(commonName) },
    { shortName: 'O', value: forge.util.encodeUtf8('Sở Khoa học và Công nghệ tỉnh Tây Ninh') },
  ];
  cert.setSubject(name);
  cert.setIssuer(name);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  const p12 = forge.pkcs12.toPkcs12Asn1(keys.privateKey, [cert], passphrase, { algorithm: '3des' });
  return Buffer.from(forge.asn1.toDer(p12).getBytes(), 'binary');
}

test('production refuses development certificates, the Department\'s or a signer\'s, and names the file; development and real ones pass', () => {
  const dir = join(tmpdir(), `khcn-flow-prod-signing-${process.pid}`);
  const dev = ensureDevelopmentCertificates(join(dir, 'dev'), { departmentName: DEPARTMENT, signers: [{ userId: 'u-director-1', name: 'Lê Minh Quang' }] });
  expect(readP12(readFileSync(dev.organisationP12), dev.passphrase).development).toBe(true);
  const devConfig = { SIGNING_P12_PATH: dev.organisationP12, SIGNING_P12_PASSPHRASE: dev.passphrase, SIGNING_SIGNERS_DIR: dev.signersDir };
  // Development: the development certificates sign.
  expect(signingServiceFromConfig({ ...devConfig, NODE_ENV: 'development' })?.certificateFor()).toEqual({ subjectCommonName: DEPARTMENT });
  // Production: refused, naming the variable, the file and why.
  let refusal: unknown;
  try {
    signingServiceFromConfig({ ...devConfig, NODE_ENV: 'production' });
  } catch (err) {
    refusal = err;
  }
  expect(refusal).toBeInstanceOf(ConfigError);
  expect((refusal as ConfigError).problems.map((p) => p.variable)).toEqual(['SIGNING_P12_PATH', 'SIGNING_SIGNERS_DIR']);
  expect((refusal as Error).message).toContain(`${dev.organisationP12} holds a development certificate`);
  expect((refusal as Error).message).toContain(join(dev.signersDir, 'u-director-1.p12'));

  // The Department's real certificate passes; a development certificate left among the signers' does not.
  const realDir = join(dir, 'real');
  mkdirSync(join(realDir, 'signers'), { recursive: true });
  writeFileSync(join(realDir, 'department.p12'), otherCertificateP12(DEPARTMENT, 'mật khẩu thật'));
  const real = { NODE_ENV: 'production', SIGNING_P12_PATH: join(realDir, 'department.p12'), SIGNING_P12_PASSPHRASE: 'mật khẩu thật', SIGNING_SIGNERS_DIR: join(realDir, 'signers') };
  expect(readP12(readFileSync(real.SIGNING_P12_PATH), real.SIGNING_P12_PASSPHRASE).development).toBe(false);
  expect(signingServiceFromConfig(real)?.certificateFor()).toEqual({ subjectCommonName: DEPARTMENT });
  writeFileSync(join(realDir, 'signers', 'u-director-1.p12'), otherCertificateP12('Lê Minh Quang', 'mật khẩu thật'));
  expect(signingServiceFromConfig(real)?.certificateFor({ userId: 'u-director-1', name: 'Lê Minh Quang' })).toEqual({ subjectCommonName: 'Lê Minh Quang' });
  // A development signer's certificate put among them (re-wrapped with the passphrase the signers' files
  // share with the Department's): refused, that file named.
  const devSigner = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(forge.util.createBuffer(readFileSync(join(dev.signersDir, 'u-director-1.p12')).toString('binary'))), false, dev.passphrase);
  const bag = (type: string) => devSigner.getBags({ bagType: type })[type] ?? [];
  const key = [...bag(forge.pki.oids.pkcs8ShroudedKeyBag!), ...bag(forge.pki.oids.keyBag!)][0]!.key!;
  const certs = bag(forge.pki.oids.certBag!).map((b) => b.cert!);
  writeFileSync(join(realDir, 'signers', 'u-deputy-1.p12'), Buffer.from(forge.asn1.toDer(forge.pkcs12.toPkcs12Asn1(key, certs, 'mật khẩu thật', { algorithm: '3des' })).getBytes(), 'binary'));
  expect(() => signingServiceFromConfig(real)).toThrow(new RegExp(`SIGNING_SIGNERS_DIR: ${join(realDir, 'signers', 'u-deputy-1.p12').replace(/[.]/g, '\\.')} holds a development certificate`));
});
