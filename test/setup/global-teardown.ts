import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { Client } from 'pg';

export default async function globalTeardown(): Promise<void> {
  const adminUrl = process.env.FIDELIA_TEST_ADMIN_URL;
  const pg = (globalThis as { __fideliaPg?: { stop(): Promise<void>; clusterDir: string } })
    .__fideliaPg;
  if (pg) {
    await pg.stop();
    rmSync(dirname(pg.clusterDir), { recursive: true, force: true }); // the run's temp folder
    return;
  }
  if (adminUrl && process.env.FIDELIA_TEST_TEMPLATE) {
    // External server: drop what this run created.
    const client = new Client({ connectionString: adminUrl });
    await client.connect();
    try {
      const dbs = await client.query<{ datname: string }>(
        `SELECT datname FROM pg_database WHERE datname LIKE 'fidelia_t_%' OR datname = $1`,
        [process.env.FIDELIA_TEST_TEMPLATE],
      );
      for (const { datname } of dbs.rows)
        await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    } finally {
      await client.end();
    }
  }
}
