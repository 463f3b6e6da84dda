import { DataSourceOptions } from 'typeorm';
import { ALL_MIGRATIONS } from '../../migrations';
import { batchingSocket } from './batching-socket';
import { SnakeNamingStrategy } from './naming-strategy';

/**
 * The one description of how Fidelia talks to PostgreSQL, shared by the app, the CLI tasks and
 * the test harness. Schema changes come only from migrations: synchronize stays off.
 */
export function dataSourceOptions(
  url: string,
  extra: { poolSize?: number } = {},
): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    namingStrategy: new SnakeNamingStrategy(),
    migrations: ALL_MIGRATIONS,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    // Off: TypeORM's query log prints parameters, i.e. personal data. Errors reach the filter.
    logging: false,
    // Pipeline mode: a client sends each query at once instead of queueing it behind the one
    // in flight, so `pipelined` can put independent statements on the wire together. Code that
    // awaits each query (TypeORM, everything else) behaves exactly as without it. The socket
    // sends what one tick wrote in one write (batching-socket.ts).
    extra: {
      max: extra.poolSize ?? 20,
      application_name: 'fidelia',
      pipeline: true,
      stream: batchingSocket,
    },
  };
}
