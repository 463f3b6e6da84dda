import { sign } from 'aws4';
import { request as httpRequest, IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { DocumentStore } from './document-store';

export interface S3StoreOptions {
  /** `https://s3.eu-west-3.amazonaws.com`, `https://s3.fr-par.scw.cloud`, `http://127.0.0.1:9000`… */
  endpoint: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** `endpoint/bucket/key` (MinIO, most self-hosted servers) rather than `bucket.endpoint/key`. */
  pathStyle: boolean;
  /** Prepended to every key, e.g. `fidelia/documents/`. */
  prefix?: string;
  /** Per request, in ms. */
  timeoutMs?: number;
}

/** An S3 answer other than the one expected: status and the error code of its XML body. */
export class S3StoreError extends Error {
  constructor(
    readonly status: number,
    readonly s3Code: string | null,
    method: string,
    key: string,
  ) {
    super(`S3 ${method} ${key}: ${status}${s3Code ? ` ${s3Code}` : ''}`);
  }
}

/**
 * Document bytes in an S3-compatible bucket (AWS, MinIO, Scaleway, Ceph…): three plain REST
 * calls signed with Signature Version 4 by `aws4`. The signature uses the wall clock, not the
 * injected one: the server refuses a request more than 15 minutes off its own time.
 */
export class S3DocumentStore implements DocumentStore {
  private readonly base: URL;

  constructor(private readonly o: S3StoreOptions) {
    this.base = new URL(o.endpoint);
  }

  async put(key: string, bytes: Buffer): Promise<void> {
    const res = await this.call('PUT', key, bytes, { 'Content-Type': 'application/octet-stream' });
    if (res.status !== 200) throw this.failure(res, 'PUT', key);
  }

  async get(key: string): Promise<Buffer> {
    const res = await this.call('GET', key);
    if (res.status !== 200) throw this.failure(res, 'GET', key);
    return res.body;
  }

  async delete(key: string): Promise<void> {
    const res = await this.call('DELETE', key);
    // S3 answers 204 for a missing key too; 404 from other servers is not an error either.
    if (res.status !== 204 && res.status !== 200 && res.status !== 404)
      throw this.failure(res, 'DELETE', key);
  }

  /** Where a key lives: host and path, path-style or virtual-hosted. */
  target(key: string): { host: string; path: string } {
    const objectPath = `${this.o.prefix ?? ''}${key}`
      .split('/')
      .map((s) => encodeURIComponent(s))
      .join('/');
    const basePath = this.base.pathname.replace(/\/+$/, '');
    return this.o.pathStyle
      ? { host: this.base.host, path: `${basePath}/${this.o.bucket}/${objectPath}` }
      : { host: `${this.o.bucket}.${this.base.host}`, path: `${basePath}/${objectPath}` };
  }

  private failure(res: { status: number; body: Buffer }, method: string, key: string) {
    const code = /<Code>([^<]+)<\/Code>/.exec(res.body.toString('utf8'))?.[1] ?? null;
    return new S3StoreError(res.status, code, method, key);
  }

  private call(
    method: 'PUT' | 'GET' | 'DELETE',
    key: string,
    body?: Buffer,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; body: Buffer }> {
    const { host, path } = this.target(key);
    const signed = sign(
      {
        host,
        path,
        method,
        service: 's3',
        region: this.o.region,
        headers: { ...headers, ...(body ? { 'Content-Length': String(body.length) } : {}) },
        body,
      },
      { accessKeyId: this.o.accessKeyId, secretAccessKey: this.o.secretAccessKey },
    );
    const send = this.base.protocol === 'https:' ? httpsRequest : httpRequest;
    const [hostname, port] = [this.base.hostname, this.base.port];
    return new Promise((resolve, reject) => {
      const req = send(
        {
          protocol: this.base.protocol,
          hostname: this.o.pathStyle ? hostname : `${this.o.bucket}.${hostname}`,
          port: port || undefined,
          method,
          path,
          headers: signed.headers as Record<string, string>,
          timeout: this.o.timeoutMs ?? 30_000,
        },
        (res: IncomingMessage) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }),
          );
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error(`S3 ${method} ${key}: timed out`)));
      req.on('error', reject);
      req.end(body);
    });
  }
}
