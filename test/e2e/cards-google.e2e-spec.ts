import { createHmac, createPrivateKey, createPublicKey, randomUUID, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CardsErrorCode, CardsService } from '../../src/modules/cards';
import { startTestApp, TestApp } from '../utils/test-app';

/** What Google Wallet does with totpDetails: RFC 6238 over the hex key, SHA-1, the given length. */
function walletTotp(hexKey: string, periodMillis: number, digits: number, at: number): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / periodMillis)));
  const mac = createHmac('sha1', Buffer.from(hexKey, 'hex')).update(counter).digest();
  const offset = mac[19] & 0xf;
  const value = (mac.readUInt32BE(offset) & 0x7fffffff) % 10 ** digits;
  return String(value).padStart(digits, '0');
}

describe('cards: Google Wallet save link', () => {
  let t: TestApp;
  let staff: Record<string, string>;

  beforeAll(async () => {
    t = await startTestApp({
      PUBLIC_URL: 'https://fidelia.example.com',
      GOOGLE_WALLET_ISSUER_ID: '3388000000022222222',
    });
    staff = await t.auth(['cashier', 'supervisor']);
  });
  afterAll(() => t.close());

  const enrol = () => t.member({ locale: 'en', consents: { terms: true } });

  it('signs an RS256 JWT with the loyalty object, balance and a rotating barcode the till accepts', async () => {
    const ana = await enrol();
    await t.http
      .post(`/api/members/${ana.id}/points/adjustments`)
      .set(staff)
      .set('Idempotency-Key', randomUUID())
      .send({ points: 75, reason: 'welcome gift' })
      .expect(201);

    const res = await t.http
      .get(`/api/members/${ana.id}/card/google-wallet`)
      .set(ana.auth)
      .expect(200);
    expect(res.body.saveUrl).toBe(`https://pay.google.com/gp/v/save/${res.body.jwt}`);
    const [h, p, s] = (res.body.jwt as string).split('.');

    // Verify with the service account's public key (the dev key made in DATA_DIR).
    const account = JSON.parse(
      readFileSync(join(t.dataDir, 'google-wallet-dev-service-account.json'), 'utf8'),
    );
    const publicKey = createPublicKey(createPrivateKey(account.private_key));
    expect(verify('sha256', Buffer.from(`${h}.${p}`), publicKey, Buffer.from(s, 'base64url'))).toBe(
      true,
    );
    const forged = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(p, 'base64url').toString()), iss: 'x' }),
    ).toString('base64url');
    expect(
      verify('sha256', Buffer.from(`${h}.${forged}`), publicKey, Buffer.from(s, 'base64url')),
    ).toBe(false);

    expect(JSON.parse(Buffer.from(h, 'base64url').toString())).toMatchObject({
      alg: 'RS256',
      typ: 'JWT',
    });
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
    expect(claims).toMatchObject({
      iss: account.client_email,
      aud: 'google',
      typ: 'savetowallet',
      origins: ['https://fidelia.example.com'],
    });
    const card = (await t.http.get(`/api/members/${ana.id}/card`).set(staff)).body;
    const [cls] = claims.payload.loyaltyClasses;
    const [object] = claims.payload.loyaltyObjects;
    expect(cls).toMatchObject({
      id: '3388000000022222222.fidelia_loyalty',
      issuerName: 'Fidelia',
      reviewStatus: 'UNDER_REVIEW',
    });
    expect(object).toMatchObject({
      id: `3388000000022222222.${card.id}`,
      classId: cls.id,
      state: 'ACTIVE',
      accountName: 'Ana García',
      loyaltyPoints: { label: 'Points', balance: { int: 75 } },
      rotatingBarcode: {
        type: 'QR_CODE',
        valuePattern: `FDL2.${card.id}.{totp_value_0}`,
        totpDetails: {
          periodMillis: 30000,
          algorithm: 'TOTP_SHA1',
          parameters: [{ valueLength: 8 }],
        },
      },
    });
    expect(object.barcode).toBeUndefined();

    // The code Google Wallet would show now, and 5 minutes later, is accepted at the till.
    const cards = t.app.get(CardsService);
    const { key, valueLength } = object.rotatingBarcode.totpDetails.parameters[0];
    const shown = (at: number) =>
      object.rotatingBarcode.valuePattern.replace(
        '{totp_value_0}',
        walletTotp(key, 30000, valueLength, at),
      );
    t.clock.set('2026-11-27T18:00:05Z');
    try {
      const now = t.clock.now().getTime();
      expect(await cards.resolveCode(t.dataSource.manager, shown(now))).toMatchObject({
        memberId: ana.id,
        kind: 'rotating',
      });
      await expect(cards.resolveCode(t.dataSource.manager, shown(now))).rejects.toMatchObject({
        code: CardsErrorCode.Reused,
      });
      t.clock.advance(5 * 60_000);
      expect(await cards.resolveCode(t.dataSource.manager, shown(now + 5 * 60_000))).toMatchObject({
        memberId: ana.id,
      });
      // A screenshot from five minutes ago no longer works.
      await expect(cards.resolveCode(t.dataSource.manager, shown(now))).rejects.toMatchObject({
        code: CardsErrorCode.Expired,
      });
    } finally {
      t.clock.reset();
    }
  });

  it('is the member’s own: another member gets 404, anonymous 401', async () => {
    const ana = await enrol();
    const bob = await enrol();
    expect(
      (await t.http.get(`/api/members/${ana.id}/card/google-wallet`).set(bob.auth)).status,
    ).toBe(404);
    expect((await t.http.get(`/api/members/${ana.id}/card/google-wallet`)).status).toBe(401);
  });

  it('serves the programme logo the loyalty class points to', async () => {
    const res = await t.http
      .get('/api/public/wallet/logo.png')
      .expect(200)
      .expect('Content-Type', /image\/png/);
    expect(res.body.subarray(1, 4).toString()).toBe('PNG');
  });
});
