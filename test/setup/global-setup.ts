import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { openEmbeddedPostgres } from '../../src/database/embedded-postgres';
import { runMigrations } from '../../src/database/migrate';

/**
 * One PostgreSQL for the whole run: the embedded one (fsync off, in a temp folder made for it,
 * reachable by user postgres even when the clone sits in a private home), or DATABASE_URL.
 * Migrations run once into a template database; each test file clones it (test-database.ts).
 */
export default async function globalSetup(): Promise<void> {
  const started = Date.now();
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    reapAbandonedClusters();
    const dir = mkdtempSync(join(tmpdir(), 'fidelia-test-'));
    chmodSync(dir, 0o755);
    writeFileSync(join(dir, 'owner.pid'), String(process.pid));
    const pg = await openEmbeddedPostgres({ dataDir: dir, fast: true });
    (globalThis as { __fideliaPg?: typeof pg }).__fideliaPg = pg;
    adminUrl = pg.url;
  }
  const template = `fidelia_template_${process.pid}`;
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${template}`);
    await client.query(`CREATE DATABASE ${template} ENCODING 'UTF8'`);
  } finally {
    await client.end();
  }
  await runMigrations(withDatabase(adminUrl, template));
  process.env.FIDELIA_TEST_ADMIN_URL = adminUrl;
  process.env.FIDELIA_TEST_TEMPLATE = template;
  if (process.env.FIDELIA_TEST_VERBOSE) {
    process.stdout.write(`\ntest database ready in ${Date.now() - started} ms\n`);
  }
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/**
 * A run that was killed (Ctrl-C twice, a timeout) cannot stop its PostgreSQL, which runs in its
 * own process group. The next run stops the clusters whose jest is gone and removes their folders.
 */
function reapAbandonedClusters(): void {
  for (const name of readdirSync(tmpdir()).filter((n) => n.startsWith('fidelia-test-'))) {
    const dir = join(tmpdir(), name);
    try {
      const ownerFile = join(dir, 'owner.pid');
      if (!existsSync(ownerFile) || alive(Number(readFileSync(ownerFile, 'utf8')))) continue;
      const pidFile = join(dir, 'pg', 'postmaster.pid');
      const postmaster = existsSync(pidFile)
        ? Number(readFileSync(pidFile, 'utf8').split('\n')[0])
        : 0;
      if (postmaster && alive(postmaster)) process.kill(postmaster, 'SIGQUIT'); // immediate shutdown
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // another run is reaping it, or it is not ours to touch
    }
  }
}
