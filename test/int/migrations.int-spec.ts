import { DataSource } from 'typeorm';
import { ALL_MIGRATIONS } from '../../migrations';
import { dataSourceOptions } from '../../src/database';
import { createTestDatabase, TestDatabase } from '../utils/test-database';

const tables = async (ds: DataSource) =>
  (
    await ds.query<{ table_name: string }[]>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`,
    )
  ).map((r) => r.table_name);

describe('migrations', () => {
  let db: TestDatabase;
  let ds: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = new DataSource(dataSourceOptions(db.url, { poolSize: 2 }));
    await ds.initialize();
  });
  afterAll(async () => {
    await ds.destroy();
    await db.drop();
  });

  it('are listed in timestamp order with unique names', () => {
    const names = ALL_MIGRATIONS.map((m) => m.name);
    const stamps = names.map((n) => Number(/(\d{13})$/.exec(n)?.[1]));
    expect(stamps.every(Number.isFinite)).toBe(true);
    expect([...stamps].sort((a, b) => a - b)).toEqual(stamps);
    expect(new Set(names).size).toBe(names.length);
  });

  it('all revert down to an empty schema and apply again', async () => {
    const before = await tables(ds);
    expect(before).toEqual(expect.arrayContaining(['members', 'staff_users', 'migrations']));
    for (let i = 0; i < ALL_MIGRATIONS.length; i++)
      await ds.undoLastMigration({ transaction: 'each' });
    expect(await tables(ds)).toEqual(['migrations']);
    const applied = await ds.runMigrations({ transaction: 'each' });
    expect(applied).toHaveLength(ALL_MIGRATIONS.length);
    expect(await tables(ds)).toEqual(before);
  });
});
