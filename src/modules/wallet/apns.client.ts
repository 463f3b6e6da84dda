import { connect, ClientHttp2Session, constants } from 'node:http2';

export interface ApnsResult {
  status: number;
  /** APNs' reason on failure, e.g. BadDeviceToken, Unregistered. */
  reason?: string;
}

export interface ApnsOptions {
  /** https origin, e.g. https://api.push.apple.com */
  url: string;
  /** Mutual TLS with the Pass Type ID certificate and key (PEM). */
  cert: string;
  key: string;
  /** Extra trust (PEM), only for a local APNs stand-in. */
  ca?: string;
  timeoutMs?: number;
}

/**
 * Apple Push Notification service over HTTP/2 for Wallet pass updates: an empty payload to
 * /3/device/<push token> with the pass type id as topic. One session, reconnected when it closes.
 */
export class ApnsClient {
  private session?: ClientHttp2Session;

  constructor(private readonly options: ApnsOptions) {}

  private connection(): ClientHttp2Session {
    if (this.session && !this.session.closed && !this.session.destroyed) return this.session;
    const session = connect(this.options.url, {
      cert: this.options.cert,
      key: this.options.key,
      ...(this.options.ca ? { ca: this.options.ca } : {}),
    });
    session.on('error', () => session.destroy());
    session.unref();
    this.session = session;
    return session;
  }

  send(pushToken: string, topic: string): Promise<ApnsResult> {
    return new Promise((resolve, reject) => {
      const req = this.connection().request({
        [constants.HTTP2_HEADER_METHOD]: 'POST',
        [constants.HTTP2_HEADER_PATH]: `/3/device/${encodeURIComponent(pushToken)}`,
        'apns-topic': topic,
        'apns-push-type': 'alert',
        'content-type': 'application/json',
      });
      req.setTimeout(this.options.timeoutMs ?? 10_000, () => {
        req.close(constants.NGHTTP2_CANCEL);
        reject(new Error('APNs request timed out'));
      });
      let status = 0;
      let body = '';
      req.on('response', (headers) => (status = Number(headers[constants.HTTP2_HEADER_STATUS])));
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (body += chunk));
      req.on('error', reject);
      req.on('end', () => {
        let reason: string | undefined;
        try {
          reason = body ? (JSON.parse(body) as { reason?: string }).reason : undefined;
        } catch {
          reason = undefined;
        }
        resolve({ status, reason });
      });
      req.end('{}');
    });
  }

  close(): void {
    this.session?.close();
    this.session = undefined;
  }
}
