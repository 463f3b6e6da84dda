import { createConnection, createServer, Server, Socket } from 'node:net';
import { DataSource } from 'typeorm';
import {
  dataSourceOptions,
  PG_ERROR,
  pipelined,
  preparedQuery,
  TransactionRunner,
  Tx,
  withTheCommit,
} from '../../src/database';
import { createTestDatabase, TestDatabase } from '../utils/test-database';

/** One-way delay the proxy adds: a round trip costs at least twice this. */
const DELAY_MS = 100;

/**
 * A TCP proxy on 127.0.0.1 that holds every chunk DELAY_MS in each direction (order kept), so a
 * round trip to PostgreSQL takes 2 × DELAY_MS and the number of them shows in the elapsed time,
 * with nothing of pg's or the socket's internals looked at.
 */
async function slowProxy(
  target: { host: string; port: number } | { path: string },
): Promise<Server> {
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = createConnection(target);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => undefined);
    }
    const relay = (from: Socket, to: Socket) =>
      from.on('data', (chunk) => setTimeout(() => to.write(chunk), DELAY_MS));
    relay(client, upstream);
    relay(upstream, client);
    client.on('close', () => setTimeout(() => upstream.destroy(), DELAY_MS));
    upstream.on('close', () => setTimeout(() => client.destroy(), DELAY_MS));
  });
  server.on('close', () => sockets.forEach((s) => s.destroy()));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

/** The statements the till sends together: one round trip, answers in order, the first failure wins. */
describe('pipelined statements (real database behind a slow proxy)', () => {
  let db: TestDatabase;
  let proxy: Server;
  let dataSource: DataSource;
  let runner: TransactionRunner;

  beforeAll(async () => {
    db = await createTestDatabase();
    const url = new URL(db.url);
    // The test cluster listens on a Unix socket (a percent-encoded folder as the host) or TCP.
    const host = decodeURIComponent(url.hostname);
    const port = Number(url.port);
    proxy = await slowProxy(
      host.startsWith('/') ? { path: `${host}/.s.PGSQL.${port}` } : { host, port },
    );
    url.hostname = '127.0.0.1';
    url.port = String((proxy.address() as { port: number }).port);
    dataSource = new DataSource({ ...dataSourceOptions(url.toString(), { poolSize: 2 }) });
    await dataSource.initialize();
    runner = new TransactionRunner(dataSource);
    await dataSource.query(`CREATE TABLE pipeline_probe (id int PRIMARY KEY)`);
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await new Promise((resolve) => proxy?.close(resolve));
    await db?.drop();
  });

  const rows = (): Promise<{ id: number }[]> =>
    dataSource.query(`SELECT id FROM pipeline_probe ORDER BY id`);
  const insert = (em: Tx, id: number) =>
    preparedQuery(em, 'probe_insert', `INSERT INTO pipeline_probe (id) VALUES ($1)`, [id]);
  const select = (em: Tx, n: number) =>
    preparedQuery<{ n: number }>(em, 'probe_select', 'SELECT $1::int AS n', [n]);
  const roundTrips = (ms: number) => Math.floor(ms / (2 * DELAY_MS));

  it('answers three statements in order in one round trip; awaited one by one they take three', async () => {
    await runner.connection(async (em) => {
      await select(em, 0); // prepared once: what follows is Bind/Execute/Sync only
      let started = performance.now();
      const answers = await pipelined(em, [
        () => select(em, 1),
        () => select(em, 2),
        () => select(em, 3),
      ] as const);
      expect(answers.map((a) => a.rows)).toEqual([[{ n: 1 }], [{ n: 2 }], [{ n: 3 }]]);
      expect(roundTrips(performance.now() - started)).toBe(1);

      started = performance.now();
      for (const n of [4, 5, 6]) await select(em, n);
      expect(roundTrips(performance.now() - started)).toBe(3);
    });
  });

  it('in a transaction, throws the first failure in order and writes nothing', async () => {
    await dataSource.query(`INSERT INTO pipeline_probe (id) VALUES (1)`);
    const attempt = runner.run((tx) =>
      pipelined(tx, [() => insert(tx, 2), () => insert(tx, 1), () => insert(tx, 3)] as const),
    );
    // The duplicate (the second) is reported, not the "transaction is aborted" of the third.
    await expect(attempt).rejects.toMatchObject({ code: PG_ERROR.uniqueViolation });
    expect(await rows()).toEqual([{ id: 1 }]);
  });

  it('outside a transaction each statement stands alone, and the connection stays usable', async () => {
    await runner.connection(async (em) => {
      await expect(
        pipelined(em, [() => insert(em, 1), () => insert(em, 5)] as const),
      ).rejects.toMatchObject({ code: PG_ERROR.uniqueViolation });
      expect(await rows()).toEqual([{ id: 1 }, { id: 5 }]);
      expect(await em.query(`SELECT 7 AS n`)).toEqual([{ n: 7 }]);
    });
  });

  it('sends the last statement with COMMIT: one round trip for both', async () => {
    let afterWork = 0;
    await runner.run(
      async (tx) => {
        await insert(tx, 10);
        afterWork = performance.now();
      },
      { commitWith: (tx) => insert(tx, 11) },
    );
    expect(roundTrips(performance.now() - afterWork)).toBe(1);
    expect(await rows()).toEqual([{ id: 1 }, { id: 5 }, { id: 10 }, { id: 11 }]);
  });

  it('with pipelineBegin, BEGIN rides with the first statement: a write and its commit take two round trips, not three', async () => {
    // Both pooled connections open (a new one would add its own round trips to the count).
    await Promise.all([1, 2].map((n) => runner.connection((em) => select(em, n))));
    for (const pipelineBegin of [false, true]) {
      const id = pipelineBegin ? 22 : 21;
      const started = performance.now();
      await runner.run((tx) => insert(tx, id), { pipelineBegin });
      expect(roundTrips(performance.now() - started)).toBe(pipelineBegin ? 2 : 3);
    }
    expect((await rows()).map((r) => r.id)).toEqual(expect.arrayContaining([21, 22]));
  });

  it('sends the writes deferred with withTheCommit together with COMMIT: one round trip', async () => {
    let afterWork = 0;
    await runner.run(
      async (tx) => {
        await insert(tx, 30);
        withTheCommit(tx, () => insert(tx, 31));
        withTheCommit(tx, () => insert(tx, 32));
        afterWork = performance.now();
      },
      { pipelineBegin: true, commitWith: (tx) => insert(tx, 33) },
    );
    expect(roundTrips(performance.now() - afterWork)).toBe(1);
    expect((await rows()).map((r) => r.id)).toEqual(expect.arrayContaining([30, 31, 32, 33]));
  });
});
