import * as asn1js from 'asn1js';
import { createHash, createPrivateKey, KeyObject, sign } from 'node:crypto';
import { dirname, join } from 'node:path';
import * as pkijs from 'pkijs';

/**
 * The PKCS#7 detached signature of a pass's manifest.json, made with Node's native crypto (RSA in
 * OpenSSL, ~1 ms) and assembled as CMS SignedData with pkijs. It is what passkit-generator makes
 * with node-forge (SHA-1 digest; signed attributes contentType, signingTime, messageDigest; the
 * WWDR and signer certificates embedded), 20–40× faster.
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

const algorithm = (oid: string) =>
  new pkijs.AlgorithmIdentifier({ algorithmId: oid, algorithmParams: new asn1js.Null() });

export class PassSigner {
  private readonly wwdr: pkijs.Certificate;
  private readonly signer: pkijs.Certificate;
  private readonly key: KeyObject;

  constructor(certs: { wwdr: string; signerCert: string; signerKey: string }) {
    this.wwdr = pkijs.Certificate.fromBER(derOf(certs.wwdr));
    this.signer = pkijs.Certificate.fromBER(derOf(certs.signerCert));
    this.key = createPrivateKey(certs.signerKey);
  }

  sign(manifest: Buffer, at: Date = new Date()): Buffer {
    const digest = createHash('sha1').update(manifest).digest();
    // DER orders a SET OF by encoding; these three (by length) are already in that order.
    const signedAttrs = new pkijs.SignedAndUnsignedAttributes({
      type: 0,
      attributes: [
        new pkijs.Attribute({
          type: OID.contentType,
          values: [new asn1js.ObjectIdentifier({ value: OID.data })],
        }),
        new pkijs.Attribute({
          type: OID.signingTime,
          values: [new asn1js.UTCTime({ valueDate: at })],
        }),
        new pkijs.Attribute({
          type: OID.messageDigest,
          values: [new asn1js.OctetString({ valueHex: toArrayBuffer(digest) })],
        }),
      ],
    });
    // What is signed is the attributes' DER with the universal SET tag instead of [0].
    const encoded = Buffer.from(signedAttrs.toSchema().toBER());
    encoded[0] = 0x31;
    const signature = sign('sha1', encoded, this.key);
    const signedData = new pkijs.SignedData({
      version: 1,
      digestAlgorithms: [algorithm(OID.sha1)],
      encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: OID.data }),
      certificates: [this.wwdr, this.signer],
      signerInfos: [
        new pkijs.SignerInfo({
          version: 1,
          sid: new pkijs.IssuerAndSerialNumber({
            issuer: this.signer.issuer,
            serialNumber: this.signer.serialNumber,
          }),
          digestAlgorithm: algorithm(OID.sha1),
          signedAttrs,
          signatureAlgorithm: algorithm(OID.rsaEncryption),
          signature: new asn1js.OctetString({ valueHex: toArrayBuffer(signature) }),
        }),
      ],
    });
    const contentInfo = new pkijs.ContentInfo({
      contentType: OID.signedData,
      content: signedData.toSchema(true),
    });
    return Buffer.from(contentInfo.toSchema().toBER());
  }
}

function toArrayBuffer(b: Buffer): ArrayBuffer {
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.length) as ArrayBuffer;
}

// ---------------------------------------------------------------------------------------------
// passkit-generator hook

interface SignatureModule {
  create(manifest: Buffer, certificates: { signerCert: string | Buffer }): Buffer;
  createHash(buffer: Buffer): string;
}

const signers = new Map<string, PassSigner>();
let hooked = false;

/**
 * Routes passkit-generator's signing through native signers. passkit-generator 3.6 calls its
 * internal `Signature.create(manifest, certificates)` (node-forge RSA, ~15–25 passes/s here) and
 * hashes every file with node-forge SHA-1; both are replaced for the certificates registered
 * here, so everything else about building the pass stays passkit-generator's.
 */
export function registerNativeSigner(certs: {
  wwdr: string;
  signerCert: string;
  signerKey: string;
}): PassSigner {
  const signer = new PassSigner(certs);
  signers.set(certs.signerCert.trim(), signer);
  if (!hooked) {
    const entry = require.resolve('passkit-generator');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const signature = require(join(dirname(entry), 'Signature.js')) as SignatureModule;
    if (typeof signature.create !== 'function' || typeof signature.createHash !== 'function') {
      throw new Error('passkit-generator changed: Signature.create/createHash not found');
    }
    const forgeCreate = signature.create.bind(signature);
    signature.create = (manifest, certificates) => {
      const native = signers.get(String(certificates.signerCert).trim());
      return native ? native.sign(manifest) : forgeCreate(manifest, certificates);
    };
    signature.createHash = (buffer) => createHash('sha1').update(buffer).digest('hex');
    hooked = true;
  }
  return signer;
}
