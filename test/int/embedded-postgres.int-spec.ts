import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { parse } from 'pg-connection-string';

/**
 * The embedded PostgreSQL of the run (test/setup/global-setup.ts opens it as `npm start` does):
 * the app's URL reaches it through a Unix socket in the cluster folder, only the owner can use
 * that socket, and TCP on 127.0.0.1 stays open for everything else (psql, other tools).
 */
const describeEmbedded = process.env.DATABASE_URL ? describe.skip : describe;

describeEmbedded('embedded PostgreSQL connections', () => {
  const url = process.env.FIDELIA_TEST_ADMIN_URL!;
  const query = async (connectionString: string, sql: string) => {
    const c = new Client({ connectionString });
    await c.connect();
    try {
      return (await c.query(sql)).rows as Record<string, unknown>[];
    } finally {
      await c.end();
    }
  };

  it('connects through a Unix socket in the cluster folder', async () => {
    const { host, port } = parse(url);
    expect(host).toMatch(/^\//);
    const socket = join(host!, `.s.PGSQL.${port}`);
    expect(existsSync(socket)).toBe(true);
    expect(statSync(socket).mode & 0o777).toBe(0o700);
    // No server address: the session is not on TCP.
    expect(await query(url, 'SELECT inet_server_addr() AS addr')).toEqual([{ addr: null }]);
  });

  it('still listens on 127.0.0.1 for TCP clients', async () => {
    const tcp = new URL(url);
    tcp.hostname = '127.0.0.1';
    expect(await query(tcp.toString(), 'SELECT host(inet_server_addr()) AS addr')).toEqual([
      { addr: '127.0.0.1' },
    ]);
  });
});
