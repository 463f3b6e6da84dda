export { dataSourceOptions } from './data-source-options';
export { resolveDatabase, ensureDatabase, EMBEDDED_DATABASE } from './database-url';
export type { DatabaseTarget } from './database-url';
export { runMigrations, revertLastMigration } from './migrate';
export { openEmbeddedPostgres } from './embedded-postgres';
export { SnakeNamingStrategy } from './naming-strategy';
export { isUniqueViolation, pgCode, PG_ERROR } from './pg-errors';
export { pipelined, preparedQuery } from './prepared-query';
