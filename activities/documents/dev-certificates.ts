/**
 * DEVELOPMENT ONLY: a certificate authority of our own and certificates for the Department and
 * its signers, so that `npm start` and the tests can sign issued documents (PAdES) without a real
 * CA. Every certificate says so in its organisation ("KHCN Flow DEVELOPMENT ONLY") and chains to
 * "KHCN Flow Development CA", which no reader trusts. Real deployments set SIGNING_P12_PATH (and
 * SIGNING_SIGNERS_DIR) to certificates from a licensed CA (e.g. the Government's Ban Cơ yếu CA).
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import forge from 'node-forge';

export const DEV_CERTIFICATE_ORGANISATION = 'KHCN Flow DEVELOPMENT ONLY - not for real documents';

export interface DevSigningFiles {
  /** SIGNING_P12_PATH */
  organisationP12: string;
  /** SIGNING_SIGNERS_DIR: `<userId>.p12` */
  signersDir: string;
  /** SIGNING_P12_PASSPHRASE (of every file) */
  passphrase: string;
  /** The development CA's certificate (PEM), to trust it in a test reader. */
  caPem: string;
}

interface Made {
  cert: forge.pki.Certificate;
  key: forge.pki.rsa.PrivateKey;
}

function keyPair(): { publicKey: forge.pki.rsa.PublicKey; privateKey: forge.pki.rsa.PrivateKey } {
  // Node's generator (native) is far faster than forge's; forge then builds the certificates.
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    publicKey: forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString()) as forge.pki.rsa.PublicKey,
    privateKey: forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()) as forge.pki.rsa.PrivateKey,
  };
}

function certificate(commonName: string, issuer: Made | undefined, email?: string): Made {
  const keys = keyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = `01${randomBytes(8).toString('hex')}`;
  cert.validity.notBefore = new Date(Date.now() - 86_400_000);
  cert.validity.notAfter = new Date(Date.now() + 5 * 365 * 86_400_000);
  // UTF8String: forge encodes the value itself.
  const subject = [
    { name: 'commonName', value: commonName, valueTagClass: forge.asn1.Type.UTF8 as unknown as forge.asn1.Class },
    { shortName: 'O', value: DEV_CERTIFICATE_ORGANISATION, valueTagClass: forge.asn1.Type.UTF8 as unknown as forge.asn1.Class },
    { name: 'countryName', value: 'VN' },
    ...(email ? [{ name: 'emailAddress', value: email }] : []),
  ];
  cert.setSubject(subject);
  cert.setIssuer(issuer ? issuer.cert.subject.attributes : subject);
  cert.setExtensions(
    issuer
      ? [{ name: 'basicConstraints', cA: false }, { name: 'keyUsage', digitalSignature: true, nonRepudiation: true }]
      : [{ name: 'basicConstraints', cA: true }, { name: 'keyUsage', keyCertSign: true, cRLSign: true }],
  );
  cert.sign(issuer?.key ?? keys.privateKey, forge.md.sha256.create());
  return { cert, key: keys.privateKey };
}

function p12Of(made: Made, ca: Made, passphrase: string): Buffer {
  const asn = forge.pkcs12.toPkcs12Asn1(made.key, [made.cert, ca.cert], passphrase, { algorithm: '3des' });
  return Buffer.from(forge.asn1.toDer(asn).getBytes(), 'binary');
}

/**
 * Makes (once) in `dir`: ca.pem, organisation.p12 (the Department) and signers/<userId>.p12 for
 * each signer that has none yet. Idempotent: existing files are kept (a new signer gets a file).
 */
export function ensureDevelopmentCertificates(dir: string, o: { departmentName: string; signers: { userId: string; name: string; email?: string }[]; passphrase?: string }): DevSigningFiles {
  const passphrase = o.passphrase ?? 'khcn-flow-dev-signing';
  const signersDir = join(dir, 'signers');
  mkdirSync(signersDir, { recursive: true });
  const caPemPath = join(dir, 'ca.pem');
  const caKeyPath = join(dir, 'ca-key.pem');
  let ca: Made;
  if (existsSync(caPemPath) && existsSync(caKeyPath)) {
    ca = { cert: forge.pki.certificateFromPem(readFileSync(caPemPath, 'utf8')), key: forge.pki.privateKeyFromPem(readFileSync(caKeyPath, 'utf8')) as forge.pki.rsa.PrivateKey };
  } else {
    ca = certificate('KHCN Flow Development CA', undefined);
    writeFileSync(caKeyPath, forge.pki.privateKeyToPem(ca.key), { mode: 0o600 });
    writeFileSync(caPemPath, forge.pki.certificateToPem(ca.cert));
  }
  const organisationP12 = join(dir, 'organisation.p12');
  if (!existsSync(organisationP12)) writeFileSync(organisationP12, p12Of(certificate(o.departmentName, ca), ca, passphrase), { mode: 0o600 });
  for (const s of o.signers) {
    const file = join(signersDir, `${s.userId.replace(/[^A-Za-z0-9._-]/g, '_')}.p12`);
    if (!existsSync(file)) writeFileSync(file, p12Of(certificate(s.name, ca, s.email), ca, passphrase), { mode: 0o600 });
  }
  writeFileSync(join(dir, 'README.txt'), 'DEVELOPMENT ONLY. Certificates made by KHCN Flow for development and tests; they chain to a CA nobody trusts.\nNever use them for real documents: set SIGNING_P12_PATH to the Department\'s certificate from a licensed CA.\n');
  return { organisationP12, signersDir, passphrase, caPem: caPemPath };
}
