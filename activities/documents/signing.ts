/**
 * Digital signatures of issued documents (issue 12): PAdES, a detached CMS signature inside the
 * PDF (sub-filter ETSI.CAdES.detached), added as an incremental update so that every earlier
 * signature stays valid. An issued document carries its Department signer's signature (the
 * Director's, a Deputy's under delegation, the officer who led a record) when that signer has a
 * certificate, then the Department's own signature (chữ ký số của cơ quan) applied at issue,
 * which covers the whole file.
 *
 * `DocumentSigningService` is the seam: this module implements it with PKCS#12 files (the
 * Department's certificate from SIGNING_P12_PATH, and one file per signer in SIGNING_SIGNERS_DIR);
 * a remote signing service or a USB-token signer implements the same two methods.
 *
 * Libraries: @signpdf/placeholder-plain adds the signature dictionary to pdfkit's output (any
 * plain PDF) and @signpdf/signpdf fills in the byte range and the CMS. The CMS itself is built here
 * with node-forge's ASN.1 and PKCS#12 reader and Node's crypto: forge's own PKCS#7 writer
 * re-encodes the issuer name of a certificate it has parsed, which garbles UTF-8 names such as
 * "Sở Khoa học và Công nghệ" (the signature then names a certificate that does not exist), and it
 * cannot add the ESS signing-certificate-v2 attribute that CAdES requires. Here the certificate's
 * own DER bytes are used as they are.
 */
import { createHash, createPrivateKey, sign as cryptoSign, type KeyObject } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import forge from 'node-forge';
import { plainAddPlaceholder } from '@signpdf/placeholder-plain';
import { SignPdf } from '@signpdf/signpdf';
import { Signer, SUBFILTER_ETSI_CADES_DETACHED } from '@signpdf/utils';
import { ConfigError } from '../config';
import { DEV_CERTIFICATE_ORGANISATION } from './dev-certificates';

export interface SigningIdentity {
  userId: string;
  name: string;
  email?: string;
}

export interface SignatureRequest {
  /** Who signs; absent: the Department itself (the organisation's certificate). */
  signer?: SigningIdentity;
  reason: string;
  location: string;
  contactInfo?: string;
  /** The time the signature claims (the signing dictionary's /M). */
  signedAt: Date;
}

export interface DocumentSigningService {
  /** The certificate that would sign for `signer` (the organisation's when absent), or null when there is none. */
  certificateFor(signer?: SigningIdentity): { subjectCommonName: string } | null;
  /** Adds one PAdES signature to `pdf` (an incremental update); earlier signatures stay valid. */
  sign(pdf: Buffer, request: SignatureRequest): Promise<Buffer>;
}

const asn1 = forge.asn1;
const { Class: C, Type: T } = asn1;
const seq = (v: forge.asn1.Asn1[]) => asn1.create(C.UNIVERSAL, T.SEQUENCE, true, v);
const set = (v: forge.asn1.Asn1[]) => asn1.create(C.UNIVERSAL, T.SET, true, v);
const oid = (o: string) => asn1.create(C.UNIVERSAL, T.OID, false, asn1.oidToDer(o).getBytes());
const octets = (bytes: string) => asn1.create(C.UNIVERSAL, T.OCTETSTRING, false, bytes);
const int = (n: number) => asn1.create(C.UNIVERSAL, T.INTEGER, false, asn1.integerToDer(n).getBytes());
const nul = () => asn1.create(C.UNIVERSAL, T.NULL, false, '');
/** A copy of an ASN.1 node from its own DER bytes (re-serialised byte for byte). */
const same = (node: forge.asn1.Asn1) => asn1.fromDer(asn1.toDer(node).getBytes());
const attribute = (type: string, value: forge.asn1.Asn1) => seq([oid(type), set([value])]);
const OID_SIGNING_CERTIFICATE_V2 = '1.2.840.113549.1.9.16.2.47';

/** A certificate and its private key from a PKCS#12 file, the chain kept as DER. */
export interface P12Identity {
  key: KeyObject;
  certificateDer: Buffer;
  chainDer: Buffer[];
  subjectCommonName: string;
  /** Made by `npm start` for development (its subject or issuer is DEV_CERTIFICATE_ORGANISATION): never for real documents. */
  development: boolean;
}

export function readP12(p12: Buffer, passphrase: string): P12Identity {
  const parsed = forge.pkcs12.pkcs12FromAsn1(asn1.fromDer(forge.util.createBuffer(p12.toString('binary'))), false, passphrase);
  const keyBag = parsed.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag! })[forge.pki.oids.pkcs8ShroudedKeyBag!]?.[0]
    ?? parsed.getBags({ bagType: forge.pki.oids.keyBag! })[forge.pki.oids.keyBag!]?.[0];
  const key = keyBag?.key as forge.pki.rsa.PrivateKey | undefined;
  if (!key) throw new Error('the PKCS#12 file has no private key (RSA keys only)');
  const certs = (parsed.getBags({ bagType: forge.pki.oids.certBag! })[forge.pki.oids.certBag!] ?? []).map((b) => b.cert).filter((c): c is forge.pki.Certificate => Boolean(c));
  // The cached TBS is reused: a parsed certificate serialises back to its own bytes.
  const ders = certs.map((c) => Buffer.from(asn1.toDer(forge.pki.certificateToAsn1(c)).getBytes(), 'binary'));
  const i = certs.findIndex((c) => (c.publicKey as forge.pki.rsa.PublicKey).n.compareTo(key.n) === 0);
  if (i < 0) throw new Error('no certificate in the PKCS#12 file matches its private key');
  const cn = certs[i]!.subject.getField('CN')?.value as string | undefined;
  const organisationOf = (name: forge.pki.Certificate['subject']) => {
    const o = name.getField('O')?.value as string | undefined;
    return o ? Buffer.from(o, 'binary').toString('utf8') : undefined;
  };
  return {
    key: createPrivateKey(forge.pki.privateKeyToPem(key)),
    certificateDer: ders[i]!,
    chainDer: ders.filter((_, j) => j !== i),
    // forge keeps a parsed UTF8String as its UTF-8 bytes.
    subjectCommonName: cn ? Buffer.from(cn, 'binary').toString('utf8') : '',
    development: [certs[i]!.subject, certs[i]!.issuer].some((n) => organisationOf(n) === DEV_CERTIFICATE_ORGANISATION),
  };
}

/**
 * The CMS SignedData of a PAdES signature (ETSI.CAdES.detached): the digest of the signed byte
 * ranges, the content type and the ESS signing-certificate-v2 as signed attributes (no
 * signing-time attribute: PAdES puts the claimed time in the signature dictionary), SHA-256 with RSA.
 */
export class CadesDetachedSigner extends Signer {
  constructor(private readonly identity: P12Identity) {
    super();
  }

  override async sign(pdfBuffer: Buffer): Promise<Buffer> {
    const { identity } = this;
    const cert = asn1.fromDer(identity.certificateDer.toString('binary'));
    const tbs = cert.value[0] as forge.asn1.Asn1;
    const fields = tbs.value as forge.asn1.Asn1[];
    const offset = fields[0]!.tagClass === C.CONTEXT_SPECIFIC ? 1 : 0; // [0] version
    const serial = fields[offset]!;
    const issuer = fields[offset + 2]!;
    const digest = createHash('sha256').update(pdfBuffer).digest('binary');
    const certHash = createHash('sha256').update(identity.certificateDer).digest('binary');
    const sha256 = seq([oid(forge.pki.oids.sha256!)]);
    const attrs = [
      attribute(forge.pki.oids.contentType!, oid(forge.pki.oids.data!)),
      attribute(forge.pki.oids.messageDigest!, octets(digest)),
      // SigningCertificateV2 { certs: [ESSCertIDv2 { certHash (SHA-256, the default), issuerSerial { [4] issuer, serial } }] }
      attribute(OID_SIGNING_CERTIFICATE_V2, seq([seq([seq([octets(certHash), seq([seq([asn1.create(C.CONTEXT_SPECIFIC, 4, true, [same(issuer)])]), same(serial)])])])])),
    ];
    const signature = cryptoSign('sha256', Buffer.from(asn1.toDer(set(attrs)).getBytes(), 'binary'), identity.key).toString('binary');
    const signerInfo = seq([
      int(1),
      seq([same(issuer), same(serial)]),
      sha256,
      asn1.create(C.CONTEXT_SPECIFIC, 0, true, attrs),
      seq([oid(forge.pki.oids.rsaEncryption!), nul()]),
      octets(signature),
    ]);
    const certificates = [identity.certificateDer, ...identity.chainDer].map((d) => asn1.fromDer(d.toString('binary')));
    const signedData = seq([int(1), set([sha256]), seq([oid(forge.pki.oids.data!)]), asn1.create(C.CONTEXT_SPECIFIC, 0, true, certificates), set([signerInfo])]);
    const contentInfo = seq([oid(forge.pki.oids.signedData!), asn1.create(C.CONTEXT_SPECIFIC, 0, true, [signedData])]);
    return Buffer.from(asn1.toDer(contentInfo).getBytes(), 'binary');
  }
}

/**
 * The signature dictionary's texts without diacritics: @signpdf/placeholder-plain writes a
 * non-ASCII text string as UTF-16 and then re-encodes its bytes as UTF-8, which garbles it. These
 * texts are informative only; the signer is named by the certificate, whose UTF-8 name is intact.
 */
export const asciiFold = (text: string) => text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').replace(/[^\x20-\x7e]/g, '?');

/** Adds one PAdES signature made with `identity` (placeholder, byte range, CMS). */
export async function signPdfWith(pdf: Buffer, identity: P12Identity, request: SignatureRequest): Promise<Buffer> {
  const withPlaceholder = plainAddPlaceholder({
    pdfBuffer: pdf,
    reason: asciiFold(request.reason),
    contactInfo: asciiFold(request.contactInfo ?? ''),
    name: asciiFold(request.signer?.name ?? identity.subjectCommonName),
    location: asciiFold(request.location),
    signingTime: request.signedAt,
    subFilter: SUBFILTER_ETSI_CADES_DETACHED,
    appName: 'KHCN-Flow',
  });
  return new SignPdf().sign(withPlaceholder, new CadesDetachedSigner(identity));
}

export interface P12SigningOptions {
  /** The Department's certificate (SIGNING_P12_PATH). */
  organisation: { p12: Buffer; passphrase: string };
  /** One PKCS#12 file per signer, named `<userId>.p12`, with the same passphrase (SIGNING_SIGNERS_DIR). */
  signersDir?: string;
}

/** PKCS#12 files: the Department's certificate and, where a signer has one, theirs. */
export class P12SigningService implements DocumentSigningService {
  private readonly organisation: P12Identity;
  private readonly signers = new Map<string, P12Identity | null>();

  constructor(private readonly options: P12SigningOptions) {
    this.organisation = readP12(options.organisation.p12, options.organisation.passphrase);
  }

  private identityFor(signer?: SigningIdentity): P12Identity | null {
    if (!signer) return this.organisation;
    if (!this.options.signersDir) return null;
    if (!this.signers.has(signer.userId)) {
      const file = join(this.options.signersDir, `${signer.userId.replace(/[^A-Za-z0-9._-]/g, '_')}.p12`);
      this.signers.set(signer.userId, existsSync(file) ? readP12(readFileSync(file), this.options.organisation.passphrase) : null);
    }
    return this.signers.get(signer.userId)!;
  }

  /** The configured files that hold a development certificate (the Department's, then each signer's). */
  developmentCertificates(): string[] {
    const found = this.organisation.development ? ['SIGNING_P12_PATH'] : [];
    const dir = this.options.signersDir;
    if (!dir || !existsSync(dir)) return found;
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.p12')).sort()) {
      if (readP12(readFileSync(join(dir, file)), this.options.organisation.passphrase).development) found.push(join(dir, file));
    }
    return found;
  }

  certificateFor(signer?: SigningIdentity): { subjectCommonName: string } | null {
    const id = this.identityFor(signer);
    return id ? { subjectCommonName: id.subjectCommonName } : null;
  }

  async sign(pdf: Buffer, request: SignatureRequest): Promise<Buffer> {
    const id = this.identityFor(request.signer);
    if (!id) throw new Error(`no signing certificate for ${request.signer?.userId ?? 'the Department'}`);
    return signPdfWith(pdf, id, request);
  }
}

/**
 * The signing service of the configuration; undefined when SIGNING_P12_PATH is not set. In production
 * (issue 17) a development certificate, the Department's or a signer's, is refused with a
 * ConfigError: documents signed by a CA nobody trusts must never go out as the Department's.
 */
export function signingServiceFromConfig(c: { NODE_ENV?: string; SIGNING_P12_PATH?: string | undefined; SIGNING_P12_PASSPHRASE?: string | undefined; SIGNING_SIGNERS_DIR?: string | undefined }): DocumentSigningService | undefined {
  if (!c.SIGNING_P12_PATH) return undefined;
  const service = new P12SigningService({
    organisation: { p12: readFileSync(c.SIGNING_P12_PATH), passphrase: c.SIGNING_P12_PASSPHRASE ?? '' },
    ...(c.SIGNING_SIGNERS_DIR ? { signersDir: c.SIGNING_SIGNERS_DIR } : {}),
  });
  if (c.NODE_ENV === 'production') {
    const development = service.developmentCertificates();
    if (development.length) {
      throw new ConfigError(development.map((file) => ({
        variable: file === 'SIGNING_P12_PATH' ? 'SIGNING_P12_PATH' : 'SIGNING_SIGNERS_DIR',
        reason: `${file === 'SIGNING_P12_PATH' ? c.SIGNING_P12_PATH : file} holds a development certificate ("${DEV_CERTIFICATE_ORGANISATION}"), refused in production: configure the Department's real certificate`,
      })));
    }
  }
  return service;
}
