import { DataSource } from 'typeorm';
import {
  dataSourceOptions,
  inTransaction,
  PG_ERROR,
  TransactionRunner,
  Tx,
  afterCommit,
} from '../../src/database';
import { createTestDatabase, TestDatabase } from '../utils/test-database';

/** TransactionRunner on a real PostgreSQL: commit, rollback, and retries of real conflicts. */
describe('TransactionRunner (real database)', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let runner: TransactionRunner;

  beforeAll(async () => {
    db = await createTestDatabase();
    dataSource = new DataSource(dataSourceOptions(db.url, { poolSize: 4 }));
    await dataSource.initialize();
    runner = new TransactionRunner(dataSource);
    await dataSource.query(`CREATE TABLE runner_probe (id serial PRIMARY KEY, who text, seen int)`);
  });
  beforeEach(() => dataSource.query(`TRUNCATE runner_probe`));
  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  const probes = (): Promise<{ who: string; seen: number }[]> =>
    dataSource.query(`SELECT who, seen FROM runner_probe ORDER BY seen, who`);
  const write = (tx: Tx, who: string, seen: number) =>
    tx.query(`INSERT INTO runner_probe (who, seen) VALUES ($1, $2)`, [who, seen]);

  it('runs afterCommit work after COMMIT only: not on rollback, at once outside a transaction', async () => {
    const calls: string[] = [];
    await runner.run(async (tx) => {
      afterCommit(tx, () => calls.push('committed'));
      calls.push('inside');
    });
    await expect(
      runner.run(async (tx) => {
        afterCommit(tx, () => calls.push('rolled back'));
        throw new Error('no');
      }),
    ).rejects.toThrow('no');
    afterCommit(dataSource.manager, () => calls.push('no transaction'));
    expect(calls).toEqual(['inside', 'committed', 'no transaction']);
  });

  it('commits what the work wrote and returns its result', async () => {
    const result = await runner.run(async (tx) => {
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
      runner.run(async (tx) => {
        seen = tx;
        await write(tx, 'a', 1);
        throw boom;
      }),
    ).rejects.toBe(boom);
    expect(await probes()).toEqual([]);
    expect(inTransaction(seen!)).toBe(false);
  });

  it('rolls back when the last statement sent with COMMIT fails, and throws its error', async () => {
    await expect(
      runner.run((tx) => write(tx, 'a', 1), {
        commitWith: (tx) => tx.query(`INSERT INTO runner_probe (id) VALUES ('not a number')`),
      }),
    ).rejects.toMatchObject({ driverError: { code: PG_ERROR.invalidTextRepresentation } });
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
      runner.run(
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
    expect(failed[0].reason).toMatchObject({
      driverError: { code: PG_ERROR.serializationFailure },
    });
    expect((await probes()).map((p) => p.seen)).toEqual([0]);
  });
});
