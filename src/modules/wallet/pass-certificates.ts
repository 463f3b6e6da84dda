import * as x509 from '@peculiar/x509';
import { createPrivateKey, webcrypto } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AppConfig } from '../../config';

/** What signs Apple Wallet passes (and authenticates to APNs). PEM strings; the key unencrypted. */
export interface PassCertificates {
  wwdr: string;
  signerCert: string;
  signerKey: string;
  passTypeIdentifier: string;
  teamIdentifier: string;
  /** Made locally: passes verify against the local CA but will not install on a real device. */
  testCa: boolean;
  /** Folder of the local test CA, when one is in use. */
  dir?: string;
}

const RSA = {
  name: 'RSASSA-PKCS1-v1_5',
  hash: 'SHA-256',
  publicExponent: new Uint8Array([1, 0, 1]),
  modulusLength: 2048,
};
const UID_OID = '0.9.2342.19200300.100.1.1';

const pem = (der: ArrayBuffer, label: string) =>
  `-----BEGIN ${label}-----\n${Buffer.from(der)
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .replace(/\n$/, '')}\n-----END ${label}-----\n`;

/**
 * The configured Pass Type ID certificate, key and WWDR intermediate; or, with none configured, a
 * local test CA and signer made once under DATA_DIR/passes (kept for the next start).
 */
export async function loadPassCertificates(
  config: AppConfig,
  log: (message: string) => void,
): Promise<PassCertificates> {
  const { APPLE_PASS_CERT, APPLE_PASS_KEY, APPLE_WWDR_CERT } = config;
  if (APPLE_PASS_CERT || APPLE_PASS_KEY || APPLE_WWDR_CERT) {
    if (!APPLE_PASS_CERT || !APPLE_PASS_KEY || !APPLE_WWDR_CERT) {
      throw new Error('APPLE_PASS_CERT, APPLE_PASS_KEY and APPLE_WWDR_CERT must be set together');
    }
    // Decrypt the key once here: passing an encrypted key would re-run its KDF on every pass.
    const signerKey = createPrivateKey({
      key: readFileSync(APPLE_PASS_KEY),
      passphrase: config.APPLE_PASS_KEY_PASSPHRASE,
    })
      .export({ type: 'pkcs8', format: 'pem' })
      .toString();
    return {
      wwdr: readFileSync(APPLE_WWDR_CERT, 'utf8'),
      signerCert: readFileSync(APPLE_PASS_CERT, 'utf8'),
      signerKey,
      passTypeIdentifier: config.APPLE_PASS_TYPE_ID,
      teamIdentifier: config.APPLE_TEAM_ID,
      testCa: false,
    };
  }
  const dir = join(config.dataDir, 'passes');
  const files = {
    wwdr: join(dir, 'test-wwdr-ca.pem'),
    signerCert: join(dir, 'test-pass-cert.pem'),
    signerKey: join(dir, 'test-pass-key.pem'),
  };
  const typeFile = join(dir, 'pass-type-id');
  const wanted = `${config.APPLE_PASS_TYPE_ID} ${config.APPLE_TEAM_ID}`;
  const fresh =
    !existsSync(files.signerKey) ||
    !existsSync(typeFile) ||
    readFileSync(typeFile, 'utf8').trim() !== wanted;
  if (fresh) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const made = await makeTestPki(config.APPLE_PASS_TYPE_ID, config.APPLE_TEAM_ID);
    writeFileSync(join(dir, 'test-wwdr-ca-key.pem'), made.caKey, { mode: 0o600 });
    writeFileSync(files.wwdr, made.wwdr);
    writeFileSync(files.signerCert, made.signerCert);
    writeFileSync(files.signerKey, made.signerKey, { mode: 0o600 });
    writeFileSync(typeFile, wanted + '\n');
  }
  log(
    `Apple Wallet: no pass certificates configured; ${fresh ? 'made' : 'using'} a local test CA ` +
      `in ${dir}. Passes verify against it but will NOT install on real devices: set ` +
      `APPLE_PASS_CERT, APPLE_PASS_KEY and APPLE_WWDR_CERT for production.`,
  );
  return {
    wwdr: readFileSync(files.wwdr, 'utf8'),
    signerCert: readFileSync(files.signerCert, 'utf8'),
    signerKey: readFileSync(files.signerKey, 'utf8'),
    passTypeIdentifier: config.APPLE_PASS_TYPE_ID,
    teamIdentifier: config.APPLE_TEAM_ID,
    testCa: true,
    dir,
  };
}

/**
 * A throwaway PKI shaped like Apple's: a CA standing in for the WWDR intermediate, and a Pass
 * Type ID certificate (UID = pass type id, OU = team id) that can also do TLS client auth (APNs).
 */
export async function makeTestPki(passTypeIdentifier: string, teamIdentifier: string) {
  x509.cryptoProvider.set(webcrypto as unknown as Crypto);
  const subtle = webcrypto.subtle;
  const notBefore = new Date(Date.now() - 24 * 3600 * 1000);
  const notAfter = new Date(Date.now() + 10 * 365 * 24 * 3600 * 1000);
  const caKeys = await subtle.generateKey(RSA, true, ['sign', 'verify']);
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: [
      { C: ['ES'] },
      { O: ['Fidelia local test CA'] },
      { OU: ['G4'] },
      { CN: ['Fidelia TEST stand-in for Apple WWDR'] },
    ],
    notBefore,
    notAfter,
    signingAlgorithm: RSA,
    keys: caKeys,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });
  const keys = await subtle.generateKey(RSA, true, ['sign', 'verify']);
  const signer = await x509.X509CertificateGenerator.create({
    serialNumber: '02',
    subject: [
      { [UID_OID]: [passTypeIdentifier] },
      { CN: [`Pass Type ID: ${passTypeIdentifier}`] },
      { OU: [teamIdentifier] },
      { O: ['Fidelia (TEST)'] },
      { C: ['ES'] },
    ],
    issuer: ca.subject,
    notBefore,
    notAfter,
    signingAlgorithm: RSA,
    publicKey: keys.publicKey,
    signingKey: caKeys.privateKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([
        x509.ExtendedKeyUsage.clientAuth,
        x509.ExtendedKeyUsage.emailProtection,
      ]),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(ca),
    ],
  });
  return {
    wwdr: ca.toString('pem') + '\n',
    caKey: pem(await subtle.exportKey('pkcs8', caKeys.privateKey), 'PRIVATE KEY'),
    signerCert: signer.toString('pem') + '\n',
    signerKey: pem(await subtle.exportKey('pkcs8', keys.privateKey), 'PRIVATE KEY'),
  };
}
