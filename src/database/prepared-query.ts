import type { PoolClient, QueryResult, QueryResultRow } from 'pg';
import type { EntityManager } from 'typeorm';
import { connectionOf } from './connection-state';

/**
 * Runs one of the hot statements as a named prepared statement (pg's public
 * `client.query({ name, text, values })`) on the connection of the caller's transaction:
 * PostgreSQL parses and plans it once per connection instead of on every purchase, and TypeORM's
 * query wrapper is skipped. Errors are the driver's (with `code` and `constraint`, as
 * `pgCode`/`isUniqueViolation` read them). `name` must be unique per `text` in the whole process.
 *
 * On a manager from TransactionRunner the statement is handed to the driver before this returns
 * (no await in between), which is what lets `pipelined` put several on the wire together. Any
 * other manager works too (its query runner's public `connect()`, or a pooled connection for
 * the data source's own manager), one statement at a time.
 */
export function preparedQuery<R extends QueryResultRow = Record<string, unknown>>(
  em: EntityManager,
  name: string,
  text: string,
  values: unknown[],
): Promise<QueryResult<R>> {
  const config = { name, text, values };
  const client = connectionOf(em)?.client;
  if (client) return client.query<R>(config);
  if (em.queryRunner) {
    return em.queryRunner.connect().then((c: PoolClient) => c.query<R>(config));
  }
  return (async () => {
    const runner = em.connection.createQueryRunner();
    try {
      const c = (await runner.connect()) as PoolClient;
      return await c.query<R>(config);
    } finally {
      await runner.release();
    }
  })();
}

type Thunks<T extends readonly unknown[]> = { [K in keyof T]: () => Promise<T[K]> };

/**
 * Independent statements on one connection without a round trip each. Every thunk is started at
 * once, in the given order; each must hand its first statement to the driver synchronously (as
 * `preparedQuery` does on a TransactionRunner manager). The pool's clients run in pg's pipeline
 * mode (the documented `pipeline: true` option, node-postgres.com/features/pipelining; set in
 * data-source-options.ts): a query is sent as
 * soon as it is made instead of waiting for the one in flight, and PostgreSQL answers them in
 * order. Inside a transaction a failed statement makes the ones after it fail too ("current
 * transaction is aborted"), so the first failure in the given order is the one thrown. What a
 * thunk does after its first statement runs as usual.
 */
export async function pipelined<T extends readonly unknown[]>(
  em: EntityManager,
  thunks: Thunks<T>,
): Promise<T> {
  if (!connectionOf(em)) {
    // Not a TransactionRunner manager: statements may not reach the driver in order, so one
    // after another.
    const results: unknown[] = [];
    for (const thunk of thunks) results.push(await thunk());
    return results as unknown as T;
  }
  const started = thunks.map((thunk) => thunk());
  const settled = await Promise.allSettled(started);
  for (const s of settled) if (s.status === 'rejected') throw s.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<unknown>).value) as unknown as T;
}
