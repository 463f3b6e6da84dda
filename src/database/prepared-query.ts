import type { EntityManager } from 'typeorm';

interface PgResult<R> {
  rows: R[];
  rowCount: number | null;
}
interface PgQueryable {
  query<R>(config: { name: string; text: string; values: unknown[] }): Promise<PgResult<R>>;
}

/**
 * Runs one of the till's hot statements as a named prepared statement on the connection of the
 * caller's transaction (or the pool): PostgreSQL parses and plans it once per connection instead
 * of on every purchase, and TypeORM's query wrapper is skipped. Errors are the driver's (with
 * `code` and `constraint`, as `pgCode`/`isUniqueViolation` read them). `name` must be unique
 * per `text` in the whole process.
 */
export async function preparedQuery<R = Record<string, unknown>>(
  em: EntityManager,
  name: string,
  text: string,
  values: unknown[],
): Promise<PgResult<R>> {
  const runner = em.queryRunner as
    { isReleased?: boolean; connect?: () => Promise<PgQueryable> } | undefined;
  const client: PgQueryable | undefined = runner?.connect
    ? await runner.connect()
    : (em.connection.driver as unknown as { master?: PgQueryable }).master;
  if (!client) {
    // Not a PostgreSQL pool we can reach: the ordinary path.
    const raw: unknown = await em.query(text, values);
    const rows = (Array.isArray(raw) && Array.isArray(raw[0]) ? raw[0] : raw) as R[];
    return { rows, rowCount: rows.length };
  }
  return client.query<R>({ name, text, values });
}
