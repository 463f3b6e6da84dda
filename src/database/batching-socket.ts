import { Socket } from 'node:net';

type WriteCallback = (err?: Error | null) => void;

/**
 * The TCP socket under each pooled PostgreSQL connection (pg's documented `stream` factory
 * option, set in data-source-options.ts). What pg writes while one piece of work runs — its
 * synchronous code and the promise callbacks it queues — leaves in one `write` on the next
 * tick, instead of one system call (and one packet PostgreSQL wakes up for) per statement.
 *
 * Why: in pipeline mode pg writes each query as soon as it is made. A purchase's batch is five
 * statements, the scan's four, and the last write goes with COMMIT: 13 sends per scan and
 * purchase instead of 6, measured at 0.19 ms of the server's CPU per scan and purchase
 * (`perf` on `bench:checkout`, pg's stacks). Nothing waits for the flush but the rest of the
 * current tick.
 *
 * Only Node's public socket API is used: `write` is this class's own, and it is put back after
 * `connect`, which resets a socket's `write` to `Socket.prototype.write`.
 */
export class BatchingSocket extends Socket {
  private chunks: Buffer[] = [];
  private callbacks: WriteCallback[] = [];
  private scheduled = false;

  override connect(...args: unknown[]): this {
    (Socket.prototype.connect as (...a: unknown[]) => Socket).apply(this, args);
    this.write = BatchingSocket.prototype.write;
    return this;
  }

  override write(chunk: unknown, encoding?: unknown, callback?: unknown): boolean {
    const cb = (typeof encoding === 'function' ? encoding : callback) as WriteCallback | undefined;
    const enc = typeof encoding === 'string' ? (encoding as BufferEncoding) : undefined;
    this.chunks.push(
      Buffer.isBuffer(chunk)
        ? chunk
        : typeof chunk === 'string'
          ? Buffer.from(chunk, enc)
          : Buffer.from(chunk as Uint8Array),
    );
    if (cb) this.callbacks.push(cb);
    if (!this.scheduled) {
      this.scheduled = true;
      process.nextTick(this.flush);
    }
    return true;
  }

  /** What is still batched goes before the end. */
  override end(...args: unknown[]): this {
    this.flush();
    (Socket.prototype.end as (...a: unknown[]) => Socket).apply(this, args);
    return this;
  }

  private readonly flush = (): void => {
    this.scheduled = false;
    const chunks = this.chunks;
    const callbacks = this.callbacks;
    if (!chunks.length) return;
    this.chunks = [];
    this.callbacks = [];
    if (this.destroyed) return;
    const data = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
    (Socket.prototype.write as (data: Buffer, cb?: WriteCallback) => boolean).call(
      this,
      data,
      callbacks.length ? (err?: Error | null) => callbacks.forEach((cb) => cb(err)) : undefined,
    );
  };
}

/** pg's `stream` option: a factory called once per new connection. */
export function batchingSocket(): Socket {
  return new BatchingSocket();
}
