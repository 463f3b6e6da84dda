import { JwtService } from '@nestjs/jwt';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createSecureServer, Http2SecureServer } from 'node:http2';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Response } from 'supertest';
import { CardsService } from '../../src/modules/cards';
import { makeTestPki } from '../../src/modules/wallet/pass-certificates';
import { PasskitService } from '../../src/modules/wallet/passkit.service';
import { startTestApp, TestApp, TEST_JWT_SECRET } from '../utils/test-app';

const PASS_TYPE = 'pass.org.fidelia.e2e';
const TEAM = 'E2ETEAM01';

const binary = (res: Response, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

function passJson(pkpass: Buffer): Record<string, any> {
  const dir = mkdtempSync(join(tmpdir(), 'pkpass-'));
  try {
    writeFileSync(join(dir, 'p.pkpass'), pkpass);
    return JSON.parse(
      execFileSync('unzip', ['-p', join(dir, 'p.pkpass'), 'pass.json'], { encoding: 'utf8' }),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface Push {
  path: string;
  topic: string;
  pushType: string;
  body: string;
  clientUid: string;
}

/** A local stand-in for APNs: HTTP/2 over TLS, requiring a client certificate from the pass CA. */
async function startApnsStandIn(dir: string, caPem: string) {
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      join(dir, 'apns-key.pem'),
      '-out',
      join(dir, 'apns-cert.pem'),
    ],
    { stdio: 'ignore' },
  );
  const pushes: Push[] = [];
  const server: Http2SecureServer = createSecureServer({
    key: readFileSync(join(dir, 'apns-key.pem')),
    cert: readFileSync(join(dir, 'apns-cert.pem')),
    ca: caPem,
    requestCert: true,
    rejectUnauthorized: true,
  });
  server.on('stream', (stream, headers) => {
    let body = '';
    stream.setEncoding('utf8');
    stream.on('data', (c: string) => (body += c));
    stream.on('end', () => {
      const socket = stream.session?.socket as TLSSocket;
      const uid = socket.getPeerCertificate().subject?.UID;
      const path = String(headers[':path']);
      pushes.push({
        path,
        topic: String(headers['apns-topic']),
        pushType: String(headers['apns-push-type']),
        body,
        clientUid: Array.isArray(uid) ? uid[0] : String(uid),
      });
      if (path.includes('/dead')) {
        stream.respond({ ':status': 410, 'content-type': 'application/json' });
        stream.end(JSON.stringify({ reason: 'Unregistered' }));
      } else {
        stream.respond({ ':status': 200, 'apns-id': randomUUID() });
        stream.end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    server,
    pushes,
    port: (server.address() as AddressInfo).port,
    caFile: join(dir, 'apns-cert.pem'),
  };
}

describe('cards: PassKit web service and APNs pushes, as a device uses them', () => {
  let t: TestApp;
  let dir: string;
  let apns: Awaited<ReturnType<typeof startApnsStandIn>>;
  let staff: Record<string, string>;
  let supervisor: Record<string, string>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'passkit-e2e-'));
    const pki = await makeTestPki(PASS_TYPE, TEAM);
    writeFileSync(join(dir, 'wwdr.pem'), pki.wwdr);
    writeFileSync(join(dir, 'pass-cert.pem'), pki.signerCert);
    writeFileSync(join(dir, 'pass-key.pem'), pki.signerKey);
    apns = await startApnsStandIn(dir, pki.wwdr);
    t = await startTestApp({
      PUBLIC_URL: 'https://fidelia.example.com',
      APPLE_PASS_TYPE_ID: PASS_TYPE,
      APPLE_TEAM_ID: TEAM,
      APPLE_PASS_CERT: join(dir, 'pass-cert.pem'),
      APPLE_PASS_KEY: join(dir, 'pass-key.pem'),
      APPLE_WWDR_CERT: join(dir, 'wwdr.pem'),
      APNS_ENABLED: 'true',
      APNS_URL: `https://127.0.0.1:${apns.port}`,
      APNS_CA: apns.caFile,
    });
    staff = await t.auth('cashier');
    supervisor = await t.auth('supervisor');
  });
  afterAll(async () => {
    await t.close();
    await new Promise((r) => apns.server.close(r));
    rmSync(dir, { recursive: true, force: true });
  });

  it('registers, lists updates, serves the newer pass after a balance change, pushes, unregisters', async () => {
    const enrolled = await t.http
      .post('/api/members')
      .set(staff)
      .send({
        firstName: 'Ana',
        lastName: 'García',
        email: `ana.passkit-${Date.now()}@example.com`,
        locale: 'es',
        consents: { terms: true },
      })
      .expect(201);
    const memberId = enrolled.body.id as string;
    const memberAuth = {
      Authorization: `Bearer ${new JwtService({ secret: TEST_JWT_SECRET }).sign({ sub: memberId, kind: 'member' })}`,
    };

    // The device adds the pass the member downloaded; it reads its serial and token from pass.json.
    const download = await t.http
      .get(`/api/members/${memberId}/card/pass.pkpass`)
      .set(memberAuth)
      .buffer(true)
      .parse(binary)
      .expect(200);
    const pass = passJson(download.body as Buffer);
    expect(pass).toMatchObject({
      passTypeIdentifier: PASS_TYPE,
      teamIdentifier: TEAM,
      webServiceURL: 'https://fidelia.example.com/passkit',
    });
    const serial = pass.serialNumber as string;
    const auth = { Authorization: `ApplePass ${pass.authenticationToken}` };
    const device = 'device-library-1';
    const v1 = '/passkit/v1';
    const registration = `${v1}/devices/${device}/registrations/${PASS_TYPE}/${serial}`;

    expect((await t.http.post(registration).send({ pushToken: 'token1aaaa' })).status).toBe(401);
    expect(
      (
        await t.http
          .post(registration)
          .set({ Authorization: 'ApplePass wrong-token-0123456789' })
          .send({ pushToken: 'token1aaaa' })
      ).status,
    ).toBe(401);
    expect(
      (
        await t.http
          .post(registration)
          .set({ Authorization: `Bearer ${pass.authenticationToken}` })
          .send({ pushToken: 'token1aaaa' })
      ).status,
    ).toBe(401);
    expect(
      (await t.http.post(registration).set(auth).send({ pushToken: 'token1aaaa' })).status,
    ).toBe(201);
    expect(
      (await t.http.post(registration).set(auth).send({ pushToken: 'token1aaaa' })).status,
    ).toBe(200);
    expect((await t.http.post(registration).set(auth).send({})).status).toBe(400);

    const list = await t.http.get(`${v1}/devices/${device}/registrations/${PASS_TYPE}`).expect(200);
    expect(list.body.serialNumbers).toEqual([serial]);
    const tag = list.body.lastUpdated as string;
    expect(
      (
        await t.http.get(
          `${v1}/devices/${device}/registrations/${PASS_TYPE}?passesUpdatedSince=${tag}`,
        )
      ).status,
    ).toBe(204);
    expect((await t.http.get(`${v1}/devices/other-device/registrations/${PASS_TYPE}`)).status).toBe(
      204,
    );

    const passUrl = `${v1}/passes/${PASS_TYPE}/${serial}`;
    const latest = await t.http
      .get(passUrl)
      .set(auth)
      .buffer(true)
      .parse(binary)
      .expect(200)
      .expect('Content-Type', /vnd\.apple\.pkpass/);
    const lastModified = latest.headers['last-modified'];
    expect(lastModified).toBeTruthy();
    expect(
      (await t.http.get(passUrl).set({ ...auth, 'If-Modified-Since': lastModified })).status,
    ).toBe(304);
    expect((await t.http.get(passUrl)).status).toBe(401);
    expect((await t.http.get(`${v1}/passes/${PASS_TYPE}/${randomUUID()}`).set(auth)).status).toBe(
      401,
    );

    // Nothing changed yet: nothing to push.
    const passkit = t.app.get(PasskitService);
    expect(await passkit.flushPushes()).toBe(0);

    // Points change through the ledger: the pass is marked updated and a push is queued.
    await t.http
      .post(`/api/members/${memberId}/points/adjustments`)
      .set(supervisor)
      .set('Idempotency-Key', randomUUID())
      .send({ points: 120, reason: 'welcome gift' })
      .expect(201);
    expect(await passkit.flushPushes()).toBe(1);
    expect(apns.pushes).toEqual([
      {
        path: '/3/device/token1aaaa',
        topic: PASS_TYPE,
        pushType: 'alert',
        body: '{}',
        clientUid: PASS_TYPE,
      },
    ]);
    expect(await passkit.flushPushes()).toBe(0);

    // The device asks what changed since its tag, then fetches the newer pass.
    const changed = await t.http
      .get(`${v1}/devices/${device}/registrations/${PASS_TYPE}?passesUpdatedSince=${tag}`)
      .expect(200);
    expect(changed.body.serialNumbers).toEqual([serial]);
    expect(Number(changed.body.lastUpdated)).toBeGreaterThan(Number(tag));
    const newer = await t.http
      .get(passUrl)
      .set({ ...auth, 'If-Modified-Since': lastModified })
      .buffer(true)
      .parse(binary)
      .expect(200);
    expect(Date.parse(newer.headers['last-modified'])).toBeGreaterThan(Date.parse(lastModified));
    const updated = passJson(newer.body as Buffer);
    expect(updated.storeCard.primaryFields).toEqual([
      expect.objectContaining({ key: 'points', value: 120, changeMessage: 'points_changed' }),
    ]);
    expect(updated.serialNumber).toBe(serial);
    expect(updated.authenticationToken).toBe(pass.authenticationToken);

    // A second device whose token APNs no longer knows: its registration is dropped.
    const registration2 = `${v1}/devices/device-2/registrations/${PASS_TYPE}/${serial}`;
    await t.http.post(registration2).set(auth).send({ pushToken: 'deadbeef00' }).expect(201);
    await t.dataSource.transaction((tx) => t.app.get(CardsService).passChanged(tx, memberId));
    expect(await passkit.flushPushes()).toBe(1);
    expect(
      apns.pushes
        .map((p) => p.path)
        .slice(1)
        .sort(),
    ).toEqual(['/3/device/deadbeef00', '/3/device/token1aaaa']);
    expect(
      await t.dataSource.query(`SELECT device_library_id FROM pass_registrations ORDER BY 1`),
    ).toEqual([{ device_library_id: device }]);

    await t.http
      .post(`${v1}/log`)
      .send({ logs: ['Web service error for pass.org.fidelia.e2e: test'] })
      .expect(200);

    // The card is replaced: the old pass, fetched again, is voided.
    await t.http.post(`/api/members/${memberId}/card/replace`).set(staff).expect(201);
    const voided = passJson(
      (await t.http.get(passUrl).set(auth).buffer(true).parse(binary).expect(200)).body as Buffer,
    );
    expect(voided.voided).toBe(true);

    await t.http
      .delete(registration)
      .set({ Authorization: 'ApplePass nope-nope-nope-nope' })
      .expect(401);
    await t.http.delete(registration).set(auth).expect(200);
    expect((await t.http.get(`${v1}/devices/${device}/registrations/${PASS_TYPE}`)).status).toBe(
      204,
    );
  });

  it('refuses another pass type', async () => {
    const res = await t.http.get(`/passkit/v1/devices/d/registrations/pass.com.other`);
    expect(res.status).toBe(404);
  });
});
