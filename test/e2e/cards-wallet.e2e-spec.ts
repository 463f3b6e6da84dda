import { JwtService } from '@nestjs/jwt';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Response } from 'supertest';
import { CardsService } from '../../src/modules/cards';
import { startTestApp, TestApp, TEST_JWT_SECRET } from '../utils/test-app';

const binary = (res: Response, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

/** Unpacks a .pkpass with Info-ZIP's unzip into a map of file name → bytes. */
function unzip(pkpass: Buffer): Map<string, Buffer> {
  const dir = mkdtempSync(join(tmpdir(), 'pkpass-'));
  try {
    const file = join(dir, 'card.pkpass');
    writeFileSync(file, pkpass);
    const names = execFileSync('unzip', ['-Z1', file], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean);
    return new Map(
      names.map((n) => [n, execFileSync('unzip', ['-p', file, n], { maxBuffer: 1 << 24 })]),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `openssl smime -verify` of the detached PKCS#7 signature over manifest.json. */
function verifySignature(
  signature: Buffer,
  manifest: Buffer,
  caFile: string,
): { ok: boolean; out: string } {
  const dir = mkdtempSync(join(tmpdir(), 'pkpass-sig-'));
  try {
    writeFileSync(join(dir, 'signature'), signature);
    writeFileSync(join(dir, 'manifest.json'), manifest);
    const r = spawnSync(
      'openssl',
      [
        'smime',
        '-verify',
        '-binary',
        '-inform',
        'DER',
        '-in',
        join(dir, 'signature'),
        '-content',
        join(dir, 'manifest.json'),
        '-CAfile',
        caFile,
        '-purpose',
        'any',
        '-out',
        '/dev/null',
      ],
      { encoding: 'utf8' },
    );
    return { ok: r.status === 0, out: `${r.stdout}${r.stderr}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('cards: Apple Wallet pass', () => {
  let t: TestApp;
  let staff: Record<string, string>;
  let n = 0;

  beforeAll(async () => {
    t = await startTestApp({ PUBLIC_URL: 'https://fidelia.example.com' });
    staff = await t.auth('cashier');
  });
  afterAll(() => t.close());

  async function enrol(locale = 'es') {
    const res = await t.http
      .post('/api/members')
      .set(staff)
      .send({
        firstName: 'Ana',
        lastName: 'García',
        email: `ana.wallet-${++n}-${Date.now()}@example.com`,
        locale,
        consents: { terms: true },
      });
    expect(res.status).toBe(201);
    const id = res.body.id as string;
    const token = new JwtService({ secret: TEST_JWT_SECRET }).sign({ sub: id, kind: 'member' });
    return {
      id,
      number: res.body.card.number as string,
      member: { Authorization: `Bearer ${token}` },
    };
  }

  const getPass = (memberId: string, headers: Record<string, string>) =>
    t.http.get(`/api/members/${memberId}/card/pass.pkpass`).set(headers).buffer(true).parse(binary);

  it('builds a storeCard pass whose manifest and signature verify against the local CA', async () => {
    const ana = await enrol();
    const res = await getPass(ana.id, ana.member)
      .expect(200)
      .expect('Content-Type', /application\/vnd\.apple\.pkpass/);
    const files = unzip(res.body as Buffer);

    // Every file but the manifest and the signature is in the manifest, with its SHA-1.
    const manifest = JSON.parse(files.get('manifest.json')!.toString('utf8')) as Record<
      string,
      string
    >;
    const listed = Object.keys(manifest).sort();
    const inZip = [...files.keys()]
      .filter((f) => f !== 'manifest.json' && f !== 'signature')
      .sort();
    expect(listed).toEqual(inZip);
    for (const [name, sha1] of Object.entries(manifest)) {
      expect([name, createHash('sha1').update(files.get(name)!).digest('hex')]).toEqual([
        name,
        sha1,
      ]);
    }
    expect(listed).toEqual(
      expect.arrayContaining([
        'pass.json',
        'icon.png',
        'icon@2x.png',
        'logo.png',
        'es.lproj/pass.strings',
        'en.lproj/pass.strings',
      ]),
    );

    const ca = join(t.dataDir, 'passes', 'test-wwdr-ca.pem');
    const verified = verifySignature(files.get('signature')!, files.get('manifest.json')!, ca);
    expect(verified).toEqual({ ok: true, out: expect.stringContaining('Verification successful') });
    // One byte changed in the manifest: the signature no longer matches.
    const tampered = Buffer.concat([files.get('manifest.json')!, Buffer.from(' ')]);
    expect(verifySignature(files.get('signature')!, tampered, ca).ok).toBe(false);
    // And a different CA does not vouch for it.
    const otherCa = join(mkdtempSync(join(tmpdir(), 'ca-')), 'ca.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        otherCa + '.key',
        '-out',
        otherCa,
        '-subj',
        '/CN=Other CA',
        '-days',
        '1',
      ],
      { stdio: 'ignore' },
    );
    expect(verifySignature(files.get('signature')!, files.get('manifest.json')!, otherCa).ok).toBe(
      false,
    );

    const card = (await t.http.get(`/api/members/${ana.id}/card`).set(staff)).body;
    const pass = JSON.parse(files.get('pass.json')!.toString('utf8'));
    expect(pass).toMatchObject({
      formatVersion: 1,
      passTypeIdentifier: t.config.APPLE_PASS_TYPE_ID,
      teamIdentifier: t.config.APPLE_TEAM_ID,
      serialNumber: card.passSerial,
      webServiceURL: 'https://fidelia.example.com/passkit',
      barcodes: [
        {
          format: 'PKBarcodeFormatQR',
          message: card.staticCode,
          messageEncoding: 'iso-8859-1',
          altText: ana.number.replace(/(\d{4})(?=\d)/g, '$1 '),
        },
      ],
    });
    expect(pass.authenticationToken.length).toBeGreaterThanOrEqual(16);
    const fields = Object.fromEntries(
      ['headerFields', 'primaryFields', 'secondaryFields', 'auxiliaryFields'].flatMap((k) =>
        (pass.storeCard[k] as { key: string; value: unknown }[]).map((f) => [f.key, f.value]),
      ),
    );
    expect(fields).toEqual({
      tier: 'tier_none',
      points: 0,
      member: 'Ana García',
      number: ana.number.replace(/(\d{4})(?=\d)/g, '$1 '),
    });
    expect(
      (await t.app.get(CardsService).resolveCode(t.dataSource.manager, pass.barcodes[0].message))
        .memberId,
    ).toBe(ana.id);

    const es = files.get('es.lproj/pass.strings')!.toString('utf8');
    const en = files.get('en.lproj/pass.strings')!.toString('utf8');
    expect(es).toContain('"points" = "PUNTOS";');
    expect(en).toContain('"points" = "POINTS";');
  });

  it('serves an unchanged pass from the cache and answers 304 to its ETag', async () => {
    const ana = await enrol('en');
    const first = await getPass(ana.id, ana.member).expect(200);
    const second = await getPass(ana.id, staff).expect(200);
    expect(second.headers.etag).toBe(first.headers.etag);
    expect(second.headers['last-modified']).toBe(first.headers['last-modified']);
    expect(Buffer.compare(second.body as Buffer, first.body as Buffer)).toBe(0);
    const notModified = await getPass(ana.id, {
      ...ana.member,
      'If-None-Match': first.headers.etag,
    });
    expect(notModified.status).toBe(304);
  });

  it('shows the tier from the tiers programme and the balance from the ledger', async () => {
    const ana = await enrol();
    const marketing = await t.auth('marketing');
    const tier = await t.http
      .post('/api/tiers')
      .set(marketing)
      .send({ code: 'gold', nameEs: 'Oro', nameEn: 'Gold', thresholdPoints: 100 })
      .expect(201);
    // Tier assignment is the promotions module's business (it writes members.tier); here it is
    // set directly.
    await t.dataSource.query(`UPDATE members SET tier = $2 WHERE id = $1`, [
      ana.id,
      tier.body.code,
    ]);
    await t.http
      .post(`/api/members/${ana.id}/points/adjustments`)
      .set(await t.auth('supervisor'))
      .set('Idempotency-Key', `tier-test-${ana.id}`)
      .send({ points: 250, reason: 'welcome gift' })
      .expect(201);
    const pass = JSON.parse(
      unzip((await getPass(ana.id, ana.member).expect(200)).body as Buffer)
        .get('pass.json')!
        .toString('utf8'),
    );
    expect(pass.storeCard.headerFields[0]).toMatchObject({ key: 'tier', value: 'gold' });
    expect(pass.storeCard.primaryFields[0]).toMatchObject({ key: 'points', value: 250 });
  });

  it('refuses another member and anonymous callers', async () => {
    const ana = await enrol();
    const bob = await enrol();
    expect((await getPass(ana.id, bob.member)).status).toBe(404);
    expect((await t.http.get(`/api/members/${ana.id}/card/pass.pkpass`)).status).toBe(401);
  });

  it('made the test CA once under DATA_DIR/passes', () => {
    const signer = readFileSync(join(t.dataDir, 'passes', 'test-pass-cert.pem'), 'utf8');
    const subject = execFileSync('openssl', ['x509', '-noout', '-subject'], {
      input: signer,
      encoding: 'utf8',
    });
    expect(subject).toContain(`UID = ${t.config.APPLE_PASS_TYPE_ID}`);
    expect(subject).toContain(`OU = ${t.config.APPLE_TEAM_ID}`);
  });
});
