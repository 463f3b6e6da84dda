import { spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Client } from 'pg';
import { parse } from 'pg-connection-string';
import ts from 'typescript';
import { openEmbeddedPostgres } from '../../src/database/embedded-postgres';

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

/**
 * Issue 13, defect 13: after a SIGKILL of the process that started the embedded server, the next
 * start adopts the orphan and stops it on exit; a live owner's server (the app, while the CLI
 * runs) is used and left running.
 */
describeEmbedded('embedded PostgreSQL left behind', () => {
  const root = join(__dirname, '..', '..');
  const dataDir = mkdtempSync(join(tmpdir(), 'fidelia-orphan-'));
  // The module as plain JS, so a separate node process (the one we kill) can run it.
  const moduleJs = join(root, 'test-output', `embedded-postgres-${process.pid}.js`);
  const postmasterPid = () =>
    Number(readFileSync(join(clusterDir(), 'postmaster.pid'), 'utf8').split('\n')[0]);
  const clusterDir = () =>
    existsSync(join(dataDir, 'pg-location'))
      ? readFileSync(join(dataDir, 'pg-location'), 'utf8').trim()
      : join(dataDir, 'pg');
  const alive = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch (err) {
      return (err as NodeJS.ErrnoException).code === 'EPERM';
    }
  };

  beforeAll(() => {
    mkdirSync(dirname(moduleJs), { recursive: true });
    const source = readFileSync(join(root, 'src', 'database', 'embedded-postgres.ts'), 'utf8');
    const { outputText } = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
    });
    writeFileSync(moduleJs, outputText);
  });
  afterAll(() => {
    rmSync(moduleJs, { force: true });
    rmSync(clusterDir(), { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('adopts the server of a killed process and stops it on exit', async () => {
    const child = spawn(
      process.execPath,
      [
        '-e',
        `require(${JSON.stringify(moduleJs)}).openEmbeddedPostgres({ dataDir: ${JSON.stringify(dataDir)} })` +
          `.then((h) => console.log('ready ' + h.port))`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const port = await new Promise<number>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        const m = /ready (\d+)/.exec(out);
        if (m) resolve(Number(m[1]));
      });
      child.on('exit', (code) => reject(new Error(`the starter exited with ${code}`)));
    });
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
    const pid = postmasterPid();
    expect(alive(pid)).toBe(true); // the orphan

    const said: string[] = [];
    const pg = await openEmbeddedPostgres({ dataDir, log: (m) => said.push(m) });
    expect(pg.port).toBe(port);
    expect(pg.startedHere).toBe(true);
    expect(said.join('\n')).toContain('Adopting the embedded PostgreSQL');
    const c = new Client({ connectionString: pg.url });
    await c.connect();
    expect((await c.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    await c.end();

    await pg.stop();
    expect(alive(pid)).toBe(false);
    expect(existsSync(join(clusterDir(), 'postmaster.pid'))).toBe(false);
  });

  it("uses a live owner's server without stopping it", async () => {
    const owner = await openEmbeddedPostgres({ dataDir });
    const pid = postmasterPid();
    const said: string[] = [];
    const cli = await openEmbeddedPostgres({ dataDir, log: (m) => said.push(m) });
    expect(cli.startedHere).toBe(false);
    expect(said.join('\n')).toContain('already running');
    await cli.stop();
    expect(alive(pid)).toBe(true);
    await owner.stop();
    expect(alive(pid)).toBe(false);
  });
});
