import { execFileSync, spawnSync } from 'node:child_process';
import { webcrypto } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import 'reflect-metadata';
import * as pkijs from 'pkijs';
import { makeTestPki } from './pass-certificates';
import { PassSigner, signingTime, tlv } from './pass-signer';

const ab = (b: Buffer) => b.buffer.slice(b.byteOffset, b.byteOffset + b.length) as ArrayBuffer;

describe('PassSigner (native CMS detached signature)', () => {
  let pki: Awaited<ReturnType<typeof makeTestPki>>;
  let signer: PassSigner;
  const manifest = Buffer.from(
    JSON.stringify({ 'pass.json': 'da39a3ee5e6b4b0d3255bfef95601890afd80709' }),
  );

  beforeAll(async () => {
    pki = await makeTestPki('pass.org.fidelia.unit', 'UNITTEAM1');
    signer = new PassSigner(pki);
    pkijs.setEngine('node', new pkijs.CryptoEngine({ name: 'node', crypto: webcrypto as Crypto }));
  });

  it('verifies with pkijs against the CA, with the attributes Wallet needs', async () => {
    const at = new Date('2026-11-27T12:34:56Z');
    const der = signer.sign(manifest, at);
    const info = pkijs.ContentInfo.fromBER(ab(der));
    expect(info.contentType).toBe('1.2.840.113549.1.7.2');
    const signed = new pkijs.SignedData({ schema: info.content });
    expect(signed.encapContentInfo.eContent).toBeUndefined(); // detached
    expect(signed.certificates).toHaveLength(2);
    const attrs = signed.signerInfos[0].signedAttrs!.attributes.map((a) => a.type);
    expect(attrs).toEqual(['1.2.840.113549.1.9.3', '1.2.840.113549.1.9.5', '1.2.840.113549.1.9.4']);
    expect(signed.signerInfos[0].digestAlgorithm.algorithmId).toBe('1.3.14.3.2.26');
    const ca = pkijs.Certificate.fromBER(
      ab(Buffer.from(pki.wwdr.replace(/-----[^-]+-----|\s/g, ''), 'base64')),
    );
    const ok = await signed.verify({
      signer: 0,
      data: ab(manifest),
      trustedCerts: [ca],
      checkChain: true,
    });
    expect(ok).toBe(true);
    await expect(
      signed.verify({
        signer: 0,
        data: ab(Buffer.concat([manifest, Buffer.from(' ')])),
        trustedCerts: [ca],
      }),
    ).rejects.toBeTruthy();
  });

  it('verifies with openssl cms and carries the signing time', () => {
    const dir = mkdtempSync(join(tmpdir(), 'signer-'));
    try {
      writeFileSync(join(dir, 'sig'), signer.sign(manifest, new Date('2026-11-27T12:34:56Z')));
      writeFileSync(join(dir, 'manifest.json'), manifest);
      writeFileSync(join(dir, 'ca.pem'), pki.wwdr);
      const r = spawnSync(
        'openssl',
        [
          'cms',
          '-verify',
          '-binary',
          '-inform',
          'DER',
          '-in',
          join(dir, 'sig'),
          '-content',
          join(dir, 'manifest.json'),
          '-CAfile',
          join(dir, 'ca.pem'),
          '-purpose',
          'any',
          '-out',
          '/dev/null',
        ],
        { encoding: 'utf8' },
      );
      expect(r.stderr).toContain('Verification successful');
      const printed = execFileSync(
        'openssl',
        ['cms', '-cmsout', '-print', '-inform', 'DER', '-in', join(dir, 'sig')],
        { encoding: 'utf8' },
      );
      expect(printed).toContain('UTCTIME:Nov 27 12:34:56 2026 GMT');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each([
    [new Date('2026-11-27T12:34:56Z'), '17 0d 323631313237313233343536 5a'],
    [new Date('1999-01-02T03:04:05Z'), '17 0d 393930313032303330343035 5a'],
    [new Date('2051-06-07T08:09:10Z'), '18 0f 3230353130363037303830393130 5a'],
  ])('encodes signingTime %s as UTCTime before 2050, GeneralizedTime after', (at, hex) => {
    expect(signingTime(at).toString('hex')).toBe(hex.replace(/ /g, ''));
  });

  it.each([
    [0, '0400'],
    [127, '047f'],
    [128, '048180'],
    [255, '0481ff'],
    [256, '04820100'],
    [70000, '0483011170'],
  ])('encodes a DER length of %d', (n, prefix) => {
    expect(
      tlv(0x04, Buffer.alloc(n))
        .subarray(0, prefix.length / 2)
        .toString('hex'),
    ).toBe(prefix);
  });
});
