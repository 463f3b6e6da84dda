import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { PoolClient, QueryResult } from 'pg';
import { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { pgCode, PG_ERROR } from './pg-errors';
import {
  bindConnection,
  type ConnectionState,
  connectionOf,
  unbindConnection,
} from './connection-state';

/**
 * A transaction, as every writing method receives it (its first parameter). It is TypeORM's
 * EntityManager bound to one connection inside BEGIN … COMMIT; repositories take it, never open one.
 */
export type Tx = EntityManager;

export type IsolationLevel = 'READ COMMITTED' | 'REPEATABLE READ' | 'SERIALIZABLE';

export interface TransactionOptions<T = unknown> {
  isolation?: IsolationLevel;
  /**
   * How many times to run `work` again when PostgreSQL aborts it with a serialisation failure
   * or a deadlock (40001, 40P01). Only for work that is safe to repeat as a whole (it has no
   * side effects outside the database). Default 0.
   */
  retries?: number;
  /**
   * A last statement sent together with COMMIT (one round trip instead of two), given what
   * `work` returned; null for none. It follows those `withTheCommit` deferred. If it fails, PostgreSQL turns the COMMIT into a rollback and
   * its error is thrown. It must hand its statement to the driver synchronously (`preparedQuery`).
   */
  commitWith?: (tx: Tx, result: T) => Promise<unknown> | null;
  /**
   * BEGIN leaves together with the first statement of `work` instead of one round trip ahead
   * of it (for the till's idempotent writes, where each round trip is latency the cashier
   * waits for). The runner then sends BEGIN, COMMIT and ROLLBACK itself on the pg client that
   * QueryRunner.connect() handed out, and TypeORM's own transaction methods are not used:
   * `work` may run queries, query builders and `preparedQuery`, but nothing that opens a
   * TypeORM transaction of its own (`save`, `remove`, `manager.transaction`): that throws
   * (TransactionGuard) instead of committing half of the work.
   */
  pipelineBegin?: boolean;
}

/** Whether `runner` is in a `pipelineBegin` transaction, where TypeORM must not open its own. */
export function inSelfManagedTransaction(runner: QueryRunner | undefined): boolean {
  return !!runner && connectionOf(runner.manager)?.selfManaged === true;
}

/** Whether `em` is a transaction opened by TransactionRunner.run (and still open). */
export function inTransaction(em: EntityManager): boolean {
  return connectionOf(em)?.open === true;
}

/**
 * Runs `fn` after `tx` commits (at once when `tx` is not an open transaction of the runner, i.e.
 * its writes are already visible). For side effects that must not see uncommitted rows, such as
 * waking the outbox dispatcher. `fn` must not throw.
 */
export function afterCommit(tx: EntityManager, fn: () => void): void {
  const state = connectionOf(tx);
  if (!state?.open) return fn();
  (state.onCommit ??= []).push(fn);
}

/**
 * Sends a write together with COMMIT instead of awaiting it on its own round trip: `send` is
 * called when `work` has returned, just before the commit, and must hand its statement to the
 * driver synchronously (`preparedQuery`). If it fails, PostgreSQL turns the COMMIT into a
 * rollback and `run` throws its error, as if `work` had. For writes nothing in `work` reads
 * back, such as the follow-up tasks a purchase schedules. `tx` must be a transaction `run`
 * opened and has not ended.
 */
export function withTheCommit(tx: EntityManager, send: () => Promise<unknown>): void {
  const state = connectionOf(tx);
  if (!state?.open) throw new Error('withTheCommit needs an open transaction of TransactionRunner');
  (state.withCommit ??= []).push(send);
}

/** The deferred statements and commitWith's, handed to the driver now, in order. */
function lastStatements<T>(
  tx: Tx,
  state: ConnectionState,
  options: TransactionOptions<T>,
  result: T,
): Promise<unknown>[] {
  const sends: (() => Promise<unknown> | null)[] = [
    ...(state.withCommit ?? []),
    () => options.commitWith?.(tx, result) ?? null,
  ];
  return sends.map((send) => {
    try {
      return send() ?? Promise.resolve(null);
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
  });
}

/** The first failure among the last statements and COMMIT, in the order they were sent. */
function firstFailure(settled: PromiseSettledResult<unknown>[]): void {
  for (const s of settled) if (s.status === 'rejected') throw s.reason;
}

/**
 * The one way to run a transaction, on QueryRunner's public API: `connect` (which resolves to the
 * pg client, kept for `preparedQuery`), `startTransaction`, `commitTransaction`,
 * `rollbackTransaction`, `release`. A use case opens it; whatever it calls takes the `Tx` as its
 * first argument.
 */
@Injectable()
export class TransactionRunner {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  run<T>(work: (tx: Tx) => Promise<T>, options: TransactionOptions<T> = {}): Promise<T> {
    // Most use cases do not retry: no loop around `once` (and no promise of its own).
    return options.retries ? this.retrying(work, options) : this.once(work, options);
  }

  private async retrying<T>(work: (tx: Tx) => Promise<T>, options: TransactionOptions<T>) {
    const retries = options.retries ?? 0;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.once(work, options);
      } catch (err) {
        const code = pgCode(err);
        const retryable =
          code === PG_ERROR.serializationFailure || code === PG_ERROR.deadlockDetected;
        if (!retryable || attempt >= retries) throw err;
      }
    }
  }

  /**
   * One pooled connection without a transaction, for reads that `pipelined` sends together
   * (each statement is its own implicit transaction).
   */
  async connection<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    try {
      bindConnection(runner.manager, (await runner.connect()) as PoolClient);
      return await work(runner.manager);
    } finally {
      unbindConnection(runner.manager);
      await runner.release();
    }
  }

  /** Reads outside a transaction (one statement each, on any pooled connection). */
  get reader(): EntityManager {
    return this.dataSource.manager;
  }

  private async once<T>(work: (tx: Tx) => Promise<T>, options: TransactionOptions<T>) {
    const runner = this.dataSource.createQueryRunner();
    const tx = runner.manager;
    // pipelineBegin: BEGIN, COMMIT and ROLLBACK are the runner's own, on the pg client.
    const own = options.pipelineBegin === true;
    try {
      const client = (await runner.connect()) as PoolClient;
      const state = bindConnection(tx, client, own);
      let begun: Promise<unknown> = Promise.resolve();
      if (own) {
        // Sent now; the first statement of `work` follows it on the wire (the pool's clients
        // run in pipeline mode, see prepared-query.ts); its outcome is awaited with the rest.
        begun = client.query(beginStatement(options.isolation));
        begun.catch(() => undefined);
      } else {
        await runner.startTransaction(options.isolation);
      }
      state.open = true;
      try {
        const result = await work(tx);
        await begun;
        // The last statements first, then COMMIT right behind them (pg's pipeline mode).
        const settled = await Promise.allSettled([
          ...lastStatements(tx, state, options, result),
          own ? client.query('COMMIT') : runner.commitTransaction(),
        ]);
        firstFailure(settled);
        // COMMIT of a transaction a failed statement aborted answers ROLLBACK, not an error:
        // work that swallowed that failure must not report success. (TypeORM's
        // commitTransaction does not show the answer.)
        const committed = (settled[settled.length - 1] as PromiseFulfilledResult<QueryResult>)
          .value;
        if (own && committed.command !== 'COMMIT') {
          throw new Error(`transaction rolled back at COMMIT (${committed.command})`);
        }
        state.open = false;
        for (const fn of state.onCommit ?? []) fn();
        return result;
      } catch (err) {
        state.open = false;
        // After a failed COMMIT PostgreSQL has already ended the transaction; the rollback is a no-op.
        await (own ? client.query('ROLLBACK') : runner.rollbackTransaction()).catch(
          () => undefined,
        );
        throw err;
      }
    } finally {
      unbindConnection(tx);
      await runner.release();
    }
  }
}

function beginStatement(isolation: IsolationLevel | undefined): string {
  return isolation ? `BEGIN ISOLATION LEVEL ${isolation}` : 'BEGIN';
}
