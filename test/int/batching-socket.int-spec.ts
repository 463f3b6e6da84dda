import { createServer, Server, Socket } from 'node:net';
import { BatchingSocket } from '../../src/database/batching-socket';

/** What one tick writes leaves in one write of the real socket, in order, callbacks called. */
describe('BatchingSocket (a real loopback connection)', () => {
  let server: Server;
  let received: Promise<Buffer>;

  beforeEach(async () => {
    received = new Promise((resolve) => {
      server = createServer((s) => {
        const parts: Buffer[] = [];
        s.on('data', (d: Buffer) => parts.push(d));
        s.on('end', () => resolve(Buffer.concat(parts)));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterEach(() => new Promise((resolve) => server.close(resolve)));

  it('sends the writes of one tick with one write, in order, and calls their callbacks', async () => {
    const socket = new BatchingSocket();
    const port = (server.address() as { port: number }).port;
    await new Promise<void>((resolve) => socket.connect(port, '127.0.0.1', resolve));
    const native = jest.spyOn(Socket.prototype, 'write');
    const done: string[] = [];
    socket.write(Buffer.from('one,'));
    socket.write('two,', 'utf8');
    socket.write(Buffer.from('three'), () => done.push('three written'));
    expect(native).not.toHaveBeenCalled(); // nothing leaves before the tick ends
    await new Promise((resolve) => setImmediate(resolve));
    expect(native.mock.contexts.filter((c) => c === socket)).toHaveLength(1);
    native.mockRestore();
    expect(done).toEqual(['three written']);
    socket.write('|next tick');
    socket.end();
    expect((await received).toString()).toBe('one,two,three|next tick');
  });
});
