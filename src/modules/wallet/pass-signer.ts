import * as asn1js from 'asn1js';
import { createHash, createPrivateKey, KeyObject, sign } from 'node:crypto';
import * as pkijs from 'pkijs';

/**
 * The PKCS#7 detached signature of a pass's manifest.json, made with Node's native crypto (RSA in
 * OpenSSL, ~1 ms): what passkit-generator makes with node-forge (SHA-1 digest; signed attributes
 * contentType, signingTime, messageDigest; the WWDR and signer certificates embedded), 20–40×
 * faster.
 *
 * pkijs parses the certificates once; the CMS SignedData around them is then written directly
 * in DER, because only three small parts change per pass (the digest, the time, the signature)
 * and re-encoding the certificates through pkijs on every pass cost 4–5 ms.
 */
const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  sha1: '1.3.14.3.2.26',
  rsaEncryption: '1.2.840.113549.1.1.1',
};

const derOf = (pemText: string) => {
  const b = Buffer.from(pemText.replace(/-----[^-]+-----|\s/g, ''), 'base64');
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.length);
};

/** DER tag-length-value. */
export function tlv(tag: number, ...content: Buffer[]): Buffer {
  const body = content.length === 1 ? content[0] : Buffer.concat(content);
  const n = body.length;
  const len =
    n < 0x80
      ? Buffer.from([n])
      : n < 0x100
        ? Buffer.from([0x81, n])
        : n < 0x10000
          ? Buffer.from([0x82, n >> 8, n & 0xff])
          : Buffer.from([0x83, n >> 16, (n >> 8) & 0xff, n & 0xff]);
  return Buffer.concat([Buffer.from([tag]), len, body]);
}

const SEQUENCE = 0x30;
const SET = 0x31;
const oid = (dotted: string) =>
  Buffer.from(new asn1js.ObjectIdentifier({ value: dotted }).toBER(false));
const NULL = Buffer.from([0x05, 0x00]);
const algorithm = (dotted: string) => tlv(SEQUENCE, oid(dotted), NULL);

/** CMS signingTime: UTCTime (YYMMDDHHMMSSZ) for 1950–2049, GeneralizedTime after (RFC 5652). */
export function signingTime(at: Date): Buffer {
  const p = (n: number) => String(n).padStart(2, '0');
  const year = at.getUTCFullYear();
  const rest =
    p(at.getUTCMonth() + 1) +
    p(at.getUTCDate()) +
    p(at.getUTCHours()) +
    p(at.getUTCMinutes()) +
    p(at.getUTCSeconds()) +
    'Z';
  return year >= 1950 && year < 2050
    ? tlv(0x17, Buffer.from(p(year % 100) + rest, 'ascii'))
    : tlv(0x18, Buffer.from(String(year).padStart(4, '0') + rest, 'ascii'));
}

export class PassSigner {
  private readonly key: KeyObject;
  private readonly certificates: Buffer;
  private readonly signerId: Buffer;
  private readonly contentTypeAttr: Buffer;
  private readonly prefix = {
    sha1: algorithm(OID.sha1),
    rsa: algorithm(OID.rsaEncryption),
    signingTime: oid(OID.signingTime),
    messageDigest: oid(OID.messageDigest),
  };

  constructor(certs: { wwdr: string; signerCert: string; signerKey: string }) {
    const wwdr = Buffer.from(derOf(certs.wwdr));
    const signerDer = derOf(certs.signerCert);
    const signer = pkijs.Certificate.fromBER(signerDer);
    this.key = createPrivateKey(certs.signerKey);
    this.certificates = tlv(0xa0, wwdr, Buffer.from(signerDer));
    this.signerId = tlv(
      SEQUENCE,
      Buffer.from(signer.issuer.toSchema().toBER(false)),
      Buffer.from(signer.serialNumber.toBER(false)),
    );
    this.contentTypeAttr = tlv(SEQUENCE, oid(OID.contentType), tlv(SET, oid(OID.data)));
  }

  sign(manifest: Buffer, at: Date = new Date()): Buffer {
    const digest = createHash('sha1').update(manifest).digest();
    // A DER SET OF is ordered by encoding; these three (by length) already are.
    const attributes = Buffer.concat([
      this.contentTypeAttr,
      tlv(SEQUENCE, this.prefix.signingTime, tlv(SET, signingTime(at))),
      tlv(SEQUENCE, this.prefix.messageDigest, tlv(SET, tlv(0x04, digest))),
    ]);
    // The signature covers the attributes as a universal SET; in SignerInfo they are [0].
    const signature = sign('sha1', tlv(SET, attributes), this.key);
    const signerInfo = tlv(
      SEQUENCE,
      Buffer.from([0x02, 0x01, 0x01]), // version 1
      this.signerId,
      this.prefix.sha1,
      tlv(0xa0, attributes),
      this.prefix.rsa,
      tlv(0x04, signature),
    );
    const signedData = tlv(
      SEQUENCE,
      Buffer.from([0x02, 0x01, 0x01]), // version 1
      tlv(SET, this.prefix.sha1),
      tlv(SEQUENCE, oid(OID.data)), // detached: no eContent
      this.certificates,
      tlv(SET, signerInfo),
    );
    return tlv(SEQUENCE, oid(OID.signedData), tlv(0xa0, signedData));
  }
}
