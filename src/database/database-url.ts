import { Client } from 'pg';
import { openEmbeddedPostgres } from './embedded-postgres';

export interface DatabaseTarget {
  url: string;
  embedded: boolean;
  /** Stops the embedded server if this process started it; no-op otherwise. */
  stop(): Promise<void>;
}

export const EMBEDDED_DATABASE = 'fidelia';

/**
 * DATABASE_URL when given; otherwise the embedded PostgreSQL of this DATA_DIR — the one already
 * running (a CLI task while `npm start` runs) or one started now.
 */
export async function resolveDatabase(opts: {
  databaseUrl?: string;
  dataDir: string;
  embeddedPort?: number;
  log: (message: string) => void;
}): Promise<DatabaseTarget> {
  if (opts.databaseUrl) {
    return { url: opts.databaseUrl, embedded: false, stop: async () => undefined };
  }
  const pg = await openEmbeddedPostgres({
    dataDir: opts.dataDir,
    port: opts.embeddedPort,
    log: opts.log,
  });
  await ensureDatabase(pg.url, EMBEDDED_DATABASE);
  const url = pg.url.replace(/\/postgres$/, `/${EMBEDDED_DATABASE}`);
  return { url, embedded: true, stop: () => pg.stop() };
}

export async function ensureDatabase(adminUrl: string, name: string, template?: string) {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) {
      await client.query(
        `CREATE DATABASE "${name}"${template ? ` TEMPLATE "${template}"` : ''} ENCODING 'UTF8'`,
      );
    }
  } finally {
    await client.end();
  }
}
