import { pipelined, preparedQuery } from '../../src/database';
import { startTestApp, TestApp } from '../utils/test-app';

/** The statements the till sends together: one write, answers in order, the first failure wins. */
describe('pipelined statements (real database)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
    await t.dataSource.query(`CREATE TABLE pipeline_probe (id int PRIMARY KEY, note text)`);
  });
  afterAll(() => t.close());

  const rows = (): Promise<{ id: number }[]> =>
    t.dataSource.query(`SELECT id FROM pipeline_probe ORDER BY id`);
  const insert = (em: Parameters<typeof preparedQuery>[0], id: number) =>
    preparedQuery(em, 'probe_insert', `INSERT INTO pipeline_probe (id) VALUES ($1)`, [id]);

  it('sends the statements in one write and answers each in order', async () => {
    const runner = t.dataSource.createQueryRunner();
    await runner.connect();
    const em = runner.manager;
    const socket = (
      runner as unknown as {
        databaseConnection: { connection: { stream: Record<string, unknown> } };
      }
    ).databaseConnection.connection.stream;
    const select = (n: number) =>
      preparedQuery<{ n: number }>(em, 'probe_select', 'SELECT $1::int AS n', [n]);
    await select(0); // prepared once; the batch below is Bind/Execute/Sync only
    // What reaches the kernel: each _write/_writev of the socket is one system call.
    const syscalls: string[] = [];
    const originals = { _write: socket._write, _writev: socket._writev };
    for (const name of ['_write', '_writev'] as const) {
      const original = originals[name] as (...a: unknown[]) => unknown;
      socket[name] = (...args: unknown[]) => {
        syscalls.push(name);
        return original.apply(socket, args);
      };
    }
    try {
      const answers = await pipelined(em, [
        () => select(1),
        () => select(2),
        () => select(3),
      ] as const);
      expect(answers.map((a) => a.rows[0].n)).toEqual([1, 2, 3]);
      expect(syscalls).toEqual(['_writev']);
      syscalls.length = 0;
      // Awaited one by one, the same three are three writes.
      for (const n of [4, 5, 6]) await select(n);
      expect(syscalls).toHaveLength(3);
    } finally {
      Object.assign(socket, originals);
      await runner.release();
    }
  });

  it('in a transaction, throws the first failure in order and writes nothing', async () => {
    await t.dataSource.query(`INSERT INTO pipeline_probe (id) VALUES (1)`);
    const attempt = t.dataSource.transaction((em) =>
      pipelined(em, [() => insert(em, 2), () => insert(em, 1), () => insert(em, 3)] as const),
    );
    // The duplicate (the second) is reported, not the "transaction is aborted" of the third.
    await expect(attempt).rejects.toMatchObject({ code: '23505' });
    expect(await rows()).toEqual([{ id: 1 }]);
  });

  it('leaves the connection usable after a failed pipeline', async () => {
    const runner = t.dataSource.createQueryRunner();
    await runner.connect();
    try {
      const em = runner.manager;
      await expect(
        pipelined(em, [() => insert(em, 1), () => insert(em, 5)] as const),
      ).rejects.toMatchObject({ code: '23505' });
      // Outside a transaction each statement stands alone: the second was written.
      expect(await rows()).toEqual([{ id: 1 }, { id: 5 }]);
      expect(await runner.query(`SELECT 7 AS n`)).toEqual([{ n: 7 }]);
    } finally {
      await runner.release();
    }
  });
});
