import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

export interface S3TestServer {
  url: string;
  /** `bucket/key` → bytes. */
  objects: Map<string, Buffer>;
  /** Every request, and whether its signature held. */
  requests: Array<{ method: string; path: string; signed: boolean }>;
  close(): Promise<void>;
}

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');
const hmac = (key: Buffer | string, data: string) =>
  createHmac('sha256', key).update(data).digest();

/** RFC 3986 encoding of one path segment or query part, as SigV4 wants it. */
const uriEncode = (s: string) =>
  encodeURIComponent(s).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );

/**
 * The SigV4 signature a request should carry, computed from the request as received and written
 * from the AWS specification (not with the library the application signs with), so a signing
 * mistake in the application cannot be mirrored here.
 */
export function expectedSignature(
  req: { method: string; url: string; headers: Record<string, string | string[] | undefined> },
  signedHeaders: string[],
  scope: { date: string; region: string; service: string },
  secret: string,
  payloadHash: string,
): string {
  const [rawPath, rawQuery = ''] = req.url.split('?');
  const path = rawPath
    .split('/')
    .map((s) => uriEncode(decodeURIComponent(s)))
    .join('/');
  const query = rawQuery
    .split('&')
    .filter(Boolean)
    .map((p) => p.split('=').map((x) => uriEncode(decodeURIComponent(x))))
    .sort(([a, av], [b, bv]) => (a === b ? (av < bv ? -1 : 1) : a < b ? -1 : 1))
    .map(([k, v = '']) => `${k}=${v}`)
    .join('&');
  const header = (name: string) => {
    const v = req.headers[name];
    return (Array.isArray(v) ? v.join(',') : (v ?? '')).trim().replace(/\s+/g, ' ');
  };
  const canonical = [
    req.method,
    path,
    query,
    signedHeaders.map((h) => `${h}:${header(h)}\n`).join(''),
    signedHeaders.join(';'),
    payloadHash,
  ].join('\n');
  const amzDate = header('x-amz-date');
  const credentialScope = `${scope.date}/${scope.region}/${scope.service}/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, credentialScope, sha256(canonical)].join('\n');
  let key: Buffer = hmac(`AWS4${secret}`, scope.date);
  for (const part of [scope.region, scope.service, 'aws4_request']) key = hmac(key, part);
  return createHmac('sha256', key).update(toSign).digest('hex');
}

/**
 * A minimal S3-compatible server on 127.0.0.1 for tests: path-style PUT, GET and DELETE of
 * objects kept in memory, every request's SigV4 signature and payload hash checked (403
 * SignatureDoesNotMatch otherwise), one access key.
 */
export async function startS3Server(credentials: {
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
}): Promise<S3TestServer> {
  const objects = new Map<string, Buffer>();
  const requests: S3TestServer['requests'] = [];

  const fail = (res: ServerResponse, status: number, code: string) => {
    res.writeHead(status, { 'Content-Type': 'application/xml' });
    res.end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code></Error>`);
  };

  const verify = (req: IncomingMessage, body: Buffer): string | null => {
    const auth =
      /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/.exec(
        req.headers.authorization ?? '',
      );
    if (!auth) return 'AccessDenied';
    const [, keyId, date, region, service, signed, signature] = auth;
    if (keyId !== credentials.accessKeyId) return 'InvalidAccessKeyId';
    if (region !== credentials.region || service !== 's3') return 'AuthorizationHeaderMalformed';
    const names = signed.split(';');
    if (!names.includes('host') || !names.includes('x-amz-date')) return 'AccessDenied';
    const payloadHash = String(req.headers['x-amz-content-sha256'] ?? '');
    if (payloadHash !== 'UNSIGNED-PAYLOAD' && payloadHash !== sha256(body))
      return 'XAmzContentSHA256Mismatch';
    const expected = expectedSignature(
      { method: req.method ?? '', url: req.url ?? '', headers: req.headers },
      names,
      { date, region, service },
      credentials.secretAccessKey,
      payloadHash,
    );
    return timingSafeEqual(Buffer.from(expected), Buffer.from(signature))
      ? null
      : 'SignatureDoesNotMatch';
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const problem = verify(req, body);
      const path = decodeURIComponent((req.url ?? '').split('?')[0]).replace(/^\//, '');
      requests.push({ method: req.method ?? '', path, signed: !problem });
      if (problem) return fail(res, 403, problem);
      if (!/^[^/]+\/.+/.test(path)) return fail(res, 400, 'InvalidRequest');
      if (req.method === 'PUT') {
        objects.set(path, body);
        res.writeHead(200, { ETag: `"${createHash('md5').update(body).digest('hex')}"` });
        return res.end();
      }
      if (req.method === 'GET') {
        const obj = objects.get(path);
        if (!obj) return fail(res, 404, 'NoSuchKey');
        res.writeHead(200, { 'Content-Length': obj.length });
        return res.end(obj);
      }
      if (req.method === 'DELETE') {
        objects.delete(path);
        res.writeHead(204);
        return res.end();
      }
      fail(res, 405, 'MethodNotAllowed');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    objects,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
