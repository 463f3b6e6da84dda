import type { EntityManager } from 'typeorm';

interface PgResult<R> {
  rows: R[];
  rowCount: number | null;
}
/** node-postgres' client, as TypeORM's query runner and pool hold it. */
interface PgClient {
  query<R>(config: { name: string; text: string; values: unknown[] }): Promise<PgResult<R>>;
  connection?: { stream?: { cork?: () => void; uncork?: () => void } };
}
interface PgRunner {
  databaseConnection?: PgClient;
  connect?: () => Promise<PgClient>;
}

/**
 * Runs one of the till's hot statements as a named prepared statement on the connection of the
 * caller's transaction (or the pool): PostgreSQL parses and plans it once per connection instead
 * of on every purchase, and TypeORM's query wrapper is skipped. Errors are the driver's (with
 * `code` and `constraint`, as `pgCode`/`isUniqueViolation` read them). `name` must be unique
 * per `text` in the whole process.
 *
 * On a connected runner the statement is handed to the driver before this returns (no await in
 * between), which is what lets `pipelined` send several of them in one write.
 */
export function preparedQuery<R = Record<string, unknown>>(
  em: EntityManager,
  name: string,
  text: string,
  values: unknown[],
): Promise<PgResult<R>> {
  const config = { name, text, values };
  const runner = em.queryRunner as PgRunner | undefined;
  if (runner?.databaseConnection) return runner.databaseConnection.query<R>(config);
  if (runner?.connect) return runner.connect().then((client) => client.query<R>(config));
  // No runner: the manager of the data source, whose PostgreSQL driver holds the pool.
  return (em.connection.driver as unknown as { master: PgClient }).master.query<R>(config);
}

type Thunks<T extends readonly unknown[]> = { [K in keyof T]: () => Promise<T[K]> };

/**
 * Independent statements on one connection without a round trip each: every thunk is started
 * at once (each must hand its first statement to the driver synchronously, as `preparedQuery`
 * does on a connected runner), the socket is corked meanwhile so they leave in one write, and
 * PostgreSQL answers them in order (the pool's clients run in pipeline mode). Inside a
 * transaction a failed statement makes the ones after it fail too, so the first failure in the
 * given order is the one thrown. What a thunk does after its first statement runs as usual.
 */
export async function pipelined<T extends readonly unknown[]>(
  em: EntityManager,
  thunks: Thunks<T>,
): Promise<T> {
  const stream = (em.queryRunner as PgRunner | undefined)?.databaseConnection?.connection?.stream;
  stream?.cork?.();
  let started: Promise<unknown>[];
  try {
    started = thunks.map((thunk) => thunk());
  } finally {
    stream?.uncork?.();
  }
  const settled = await Promise.allSettled(started);
  for (const s of settled) if (s.status === 'rejected') throw s.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<unknown>).value) as unknown as T;
}
