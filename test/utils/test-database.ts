import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { withDatabase } from '../setup/global-setup';

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** A fresh, migrated database for one test file: a copy of the run's template. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = process.env.FIDELIA_TEST_ADMIN_URL;
  const template = process.env.FIDELIA_TEST_TEMPLATE;
  if (!adminUrl || !template)
    throw new Error('test database not set up: run through jest (global setup)');
  const name = `fidelia_t_${randomBytes(6).toString('hex')}`;
  await adminQuery(adminUrl, `CREATE DATABASE ${name} TEMPLATE ${template}`);
  return {
    url: withDatabase(adminUrl, name),
    name,
    drop: () => adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
