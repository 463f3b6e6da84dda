import type { PoolClient } from 'pg';
import type { EntityManager } from 'typeorm';

/**
 * What TransactionRunner knows about a manager it handed out (`run` and `connection`), kept in
 * one place: one WeakMap entry per transaction instead of one per fact, on the till's path.
 */
export interface ConnectionState {
  /**
   * The pg client under the manager, from TypeORM's public `QueryRunner.connect()` (which
   * resolves to the driver's connection), so `preparedQuery` can hand a statement to the driver
   * synchronously.
   */
  readonly client: PoolClient;
  /** A transaction `run` opened and has not ended yet. */
  open: boolean;
  /** BEGIN, COMMIT and ROLLBACK are the runner's own (`pipelineBegin`): TypeORM must not open one. */
  selfManaged: boolean;
  /** Work to do once the transaction has committed. */
  onCommit: (() => void)[] | null;
  /** Statements to send right before COMMIT, in the order they were deferred. */
  withCommit: (() => Promise<unknown>)[] | null;
}

const states = new WeakMap<EntityManager, ConnectionState>();

/** `em` runs on `client` until unbound; `selfManaged` for a `pipelineBegin` transaction. */
export function bindConnection(
  em: EntityManager,
  client: PoolClient,
  selfManaged = false,
): ConnectionState {
  const state: ConnectionState = {
    client,
    open: false,
    selfManaged,
    onCommit: null,
    withCommit: null,
  };
  states.set(em, state);
  return state;
}

export function unbindConnection(em: EntityManager): void {
  states.delete(em);
}

export function connectionOf(em: EntityManager): ConnectionState | undefined {
  return states.get(em);
}
