import { DataSource } from 'typeorm';
import {
  dataSourceOptions,
  inTransaction,
  pgCode,
  preparedQuery,
  PG_ERROR,
  TransactionOptions,
  TransactionRunner,
  Tx,
  afterCommit,
  withTheCommit,
} from '../../src/database';
import { TransactionGuard } from '../../src/database/transaction-guard';
import { createTestDatabase, TestDatabase } from '../utils/test-database';

/**
 * TransactionRunner on a real PostgreSQL: commit, rollback, and retries of real conflicts, with
 * TypeORM's transaction methods and with `pipelineBegin` (BEGIN and COMMIT on the pg client).
 */
describe.each([
  ['TypeORM', false],
  ['pipelineBegin', true],
])('TransactionRunner (real database, %s)', (_mode, pipelineBegin) => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let runner: TransactionRunner;

  beforeAll(async () => {
    db = await createTestDatabase();
    dataSource = new DataSource(dataSourceOptions(db.url, { poolSize: 4 }));
    await dataSource.initialize();
    runner = new TransactionRunner(dataSource);
    new TransactionGuard(dataSource);
    await dataSource.query(`CREATE TABLE runner_probe (id serial PRIMARY KEY, who text, seen int)`);
  });
  beforeEach(() => dataSource.query(`TRUNCATE runner_probe`));
  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  const run = <T>(work: (tx: Tx) => Promise<T>, options: TransactionOptions<T> = {}) =>
    runner.run(work, { ...options, pipelineBegin });
  const probes = (): Promise<{ who: string; seen: number }[]> =>
    dataSource.query(`SELECT who, seen FROM runner_probe ORDER BY seen, who`);
  const write = (tx: Tx, who: string, seen: number) =>
    tx.query(`INSERT INTO runner_probe (who, seen) VALUES ($1, $2)`, [who, seen]);

  it('runs afterCommit work after COMMIT only: not on rollback, at once outside a transaction', async () => {
    const calls: string[] = [];
    await run(async (tx) => {
      afterCommit(tx, () => calls.push('committed'));
      calls.push('inside');
    });
    await expect(
      run(async (tx) => {
        afterCommit(tx, () => calls.push('rolled back'));
        throw new Error('no');
      }),
    ).rejects.toThrow('no');
    afterCommit(dataSource.manager, () => calls.push('no transaction'));
    expect(calls).toEqual(['inside', 'committed', 'no transaction']);
  });

  it('commits what the work wrote and returns its result', async () => {
    const result = await run(async (tx) => {
      expect(inTransaction(tx)).toBe(true);
      await write(tx, 'a', 1);
      return 42;
    });
    expect(result).toBe(42);
    expect(await probes()).toEqual([{ who: 'a', seen: 1 }]);
  });

  it('rolls back everything when the work throws, and rethrows the same error', async () => {
    const boom = new Error('boom');
    let seen: Tx | undefined;
    await expect(
      run(async (tx) => {
        seen = tx;
        await write(tx, 'a', 1);
        throw boom;
      }),
    ).rejects.toBe(boom);
    expect(await probes()).toEqual([]);
    expect(inTransaction(seen!)).toBe(false);
  });

  it('rolls back when the last statement sent with COMMIT fails, and throws its error', async () => {
    const err = await run((tx) => write(tx, 'a', 1), {
      // Handed to the driver synchronously (preparedQuery), as commitWith requires.
      commitWith: (tx) =>
        preparedQuery(tx, 'runner_probe_bad', `INSERT INTO runner_probe (id) VALUES ($1)`, [
          'not a number',
        ]),
    }).catch((e: unknown) => e);
    expect(pgCode(err)).toBe(PG_ERROR.invalidTextRepresentation);
    expect(await probes()).toEqual([]);
  });

  const deferWrite = (tx: Tx, who: string, seen: number) =>
    withTheCommit(tx, () =>
      preparedQuery(
        tx,
        'runner_probe_write',
        `INSERT INTO runner_probe (who, seen) VALUES ($1, $2)`,
        [who, seen],
      ),
    );

  it('sends the writes deferred with withTheCommit in order, before COMMIT, and commits them', async () => {
    await run(async (tx) => {
      deferWrite(tx, 'b', 2);
      deferWrite(tx, 'c', 3);
      await write(tx, 'a', 1);
    });
    expect(await probes()).toEqual([
      { who: 'a', seen: 1 },
      { who: 'b', seen: 2 },
      { who: 'c', seen: 3 },
    ]);
    expect(() => deferWrite(dataSource.manager, 'd', 4)).toThrow('needs an open transaction');
  });

  it('rolls back the whole work when a deferred write fails, and sends none after a throw', async () => {
    const err = await run(async (tx) => {
      await write(tx, 'a', 1);
      withTheCommit(tx, () =>
        preparedQuery(tx, 'runner_probe_bad', `INSERT INTO runner_probe (id) VALUES ($1)`, [
          'not a number',
        ]),
      );
    }).catch((e: unknown) => e);
    expect(pgCode(err)).toBe(PG_ERROR.invalidTextRepresentation);
    await expect(
      run(async (tx) => {
        deferWrite(tx, 'b', 2);
        throw new Error('no');
      }),
    ).rejects.toThrow('no');
    expect(await probes()).toEqual([]);
  });

  /**
   * Two SERIALIZABLE transactions each count the rows and then add one with the count they saw.
   * Both read before either writes (a barrier), so run serially they could not both have seen 0:
   * PostgreSQL aborts one with 40001, and the runner runs that one again, which then sees 1.
   */
  async function writeSkew(retries: number) {
    const attempts = { a: 0, b: 0 };
    let arrived = 0;
    let bothRead!: () => void;
    const barrier = new Promise<void>((resolve) => (bothRead = resolve));
    const work = (who: 'a' | 'b') =>
      run(
        async (tx) => {
          attempts[who]++;
          const [{ n }]: { n: number }[] = await tx.query(
            `SELECT count(*)::int AS n FROM runner_probe`,
          );
          if (attempts[who] === 1) {
            if (++arrived === 2) bothRead();
            await barrier;
          }
          await write(tx, who, n);
          return n;
        },
        { isolation: 'SERIALIZABLE', retries },
      );
    return { attempts, results: await Promise.allSettled([work('a'), work('b')]) };
  }

  it('retries a serialisation failure between two real concurrent transactions', async () => {
    const { attempts, results } = await writeSkew(2);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
    const seen = results.map((r) => (r as PromiseFulfilledResult<number>).value).sort();
    expect(seen).toEqual([0, 1]);
    expect(attempts.a + attempts.b).toBe(3);
    expect((await probes()).map((p) => p.seen)).toEqual([0, 1]);
  });

  it('without retries, the loser fails with 40001 and only the winner is written', async () => {
    const { attempts, results } = await writeSkew(0);
    expect(attempts).toEqual({ a: 1, b: 1 });
    const failed = results.filter((r) => r.status === 'rejected');
    expect(failed).toHaveLength(1);
    expect(pgCode(failed[0].reason)).toBe(PG_ERROR.serializationFailure);
    expect((await probes()).map((p) => p.seen)).toEqual([0]);
  });

  if (pipelineBegin) {
    // (TypeORM's commitTransaction cannot see that COMMIT answered ROLLBACK.)
    it('refuses COMMIT of a transaction a swallowed failure aborted: nothing is written', async () => {
      await expect(
        run(async (tx) => {
          await write(tx, 'a', 1);
          await tx.query(`SELECT 1/0`).catch(() => undefined);
        }),
      ).rejects.toThrow();
      expect(await probes()).toEqual([]);
    });

    it("refuses TypeORM's own transaction inside (save, manager.transaction) and writes nothing", async () => {
      await expect(
        run(async (tx) => {
          await write(tx, 'a', 1);
          await tx.transaction((inner) => write(inner, 'b', 2));
        }),
      ).rejects.toThrow('TypeORM may not open a transaction inside a pipelineBegin transaction');
      expect(await probes()).toEqual([]);
      // TypeORM's own transactions elsewhere still work.
      await dataSource.transaction((em) => write(em, 'c', 3));
      expect(await probes()).toEqual([{ who: 'c', seen: 3 }]);
    });
  }
});
