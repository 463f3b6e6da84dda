import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../../src/config';
import { DocumentsService } from '../../src/modules/cases';
import { S3DocumentStore, S3StoreError } from '../../src/modules/cases/documents/s3-document-store';
import { binary } from '../utils/pdf-text';
import { startS3Server, S3TestServer } from '../utils/s3-server';
import { startTestApp, TestApp } from '../utils/test-app';

jest.setTimeout(90_000);

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]);
const KEYS = {
  accessKeyId: 'FIDELIATESTKEY',
  secretAccessKey: 'test/secret+key=42',
  region: 'eu-south-2',
};

let s3: S3TestServer;
let t: TestApp;

beforeAll(async () => {
  s3 = await startS3Server(KEYS);
  t = await startTestApp({
    DOCUMENTS_STORAGE: 's3',
    DOCUMENTS_S3_ENDPOINT: s3.url,
    DOCUMENTS_S3_BUCKET: 'fidelia-docs',
    DOCUMENTS_S3_REGION: KEYS.region,
    DOCUMENTS_S3_ACCESS_KEY_ID: KEYS.accessKeyId,
    DOCUMENTS_S3_SECRET_ACCESS_KEY: KEYS.secretAccessKey,
    DOCUMENTS_S3_PATH_STYLE: 'true',
    DOCUMENTS_S3_PREFIX: 'shop-1/',
  });
});
afterAll(async () => {
  await t.close();
  await s3.close();
});
afterEach(() => t.clock.reset());

describe('the S3 adapter against a local S3-compatible server that checks SigV4', () => {
  const store = (over: Partial<ConstructorParameters<typeof S3DocumentStore>[0]> = {}) =>
    new S3DocumentStore({ endpoint: s3.url, bucket: 'raw', pathStyle: true, ...KEYS, ...over });

  it('puts, gets and deletes an object with signed requests; a missing one is a 404 NoSuchKey', async () => {
    const s = store();
    await s.put('2026/a b-v1.pdf', PDF);
    expect(s3.objects.get('raw/2026/a b-v1.pdf')).toEqual(PDF);
    expect(await s.get('2026/a b-v1.pdf')).toEqual(PDF);
    await s.delete('2026/a b-v1.pdf');
    await s.delete('2026/a b-v1.pdf'); // twice: a purge may run again
    await expect(s.get('2026/a b-v1.pdf')).rejects.toMatchObject({
      status: 404,
      s3Code: 'NoSuchKey',
    });
    expect(s3.requests.every((r) => r.signed)).toBe(true);
  });

  it('is refused with a wrong secret (the server really checks the signature)', async () => {
    const err = await store({ secretAccessKey: 'wrong' })
      .put('x.pdf', PDF)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(S3StoreError);
    expect(err).toMatchObject({ status: 403, s3Code: 'SignatureDoesNotMatch' });
    expect(s3.objects.has('raw/x.pdf')).toBe(false);
  });

  it('addresses virtual-hosted buckets by host name', () => {
    const s = store({ endpoint: 'https://s3.fr-par.scw.cloud', pathStyle: false });
    expect(s.target('2026/d-v1.pdf')).toEqual({
      host: 'raw.s3.fr-par.scw.cloud',
      path: '/2026/d-v1.pdf',
    });
    expect(store({ prefix: 'p/' }).target('k.pdf').path).toBe('/raw/p/k.pdf');
  });
});

describe('documents stored in S3 (DOCUMENTS_STORAGE=s3)', () => {
  it('files, versions, reads back and purges a document in the bucket, nothing on disk', async () => {
    const agent = await t.auth('agent');
    const c = (
      await t.http
        .post('/api/cases')
        .set(agent)
        .send({
          kind: 'incident',
          channel: 'email',
          contact: { name: 'Eva', email: 'eva@example.com' },
          subject: 'Warranty',
          description: 'The kettle stopped.',
        })
        .expect(201)
    ).body;
    const doc = (
      await t.http
        .post(`/api/cases/${c.id}/documents`)
        .set(agent)
        .field('kind', 'photo')
        .attach('file', PDF, 'warranty.pdf')
        .expect(201)
    ).body;
    await t.http
      .post(`/api/documents/${doc.id}/versions`)
      .set(agent)
      .attach('file', PNG, 'photo.png')
      .expect(201);
    const keys = [...s3.objects.keys()].filter((k) => k.startsWith('fidelia-docs/'));
    expect(keys).toHaveLength(2);
    expect(keys.every((k) => k.startsWith('fidelia-docs/shop-1/'))).toBe(true);
    const v1 = keys.find((k) => k.endsWith('-v1.pdf'))!;
    expect(createHash('sha256').update(s3.objects.get(v1)!).digest('hex')).toBe(doc.sha256);
    expect(existsSync(join(t.dataDir, 'documents'))).toBe(false);

    const back = await t.http
      .get(`${doc.contentUrl}?version=1`)
      .set(agent)
      .buffer(true)
      .parse(binary)
      .expect(200);
    expect(Buffer.compare(back.body as Buffer, PDF)).toBe(0);

    // Photos are kept two years: three years on, the purge deletes both versions in the bucket.
    t.clock.set(new Date(Date.now() + 3 * 366 * 86_400_000));
    const purged = await t.app.get(DocumentsService).purge();
    expect(purged).toMatchObject({ expired: 1, filesDeleted: 2 });
    expect([...s3.objects.keys()].filter((k) => k.startsWith('fidelia-docs/'))).toEqual([]);
  });

  it('refuses to boot with DOCUMENTS_STORAGE=s3 and no bucket or keys', () => {
    const env = { NODE_ENV: 'test', JWT_SECRET: 'x'.repeat(40), DOCUMENTS_STORAGE: 's3' };
    expect(() => loadConfig(env, {})).toThrow(/DOCUMENTS_S3_BUCKET/);
    expect(() => loadConfig(env, {})).toThrow(/DOCUMENTS_S3_SECRET_ACCESS_KEY/);
  });
});
