import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { PoolClient } from 'pg';
import { DataSource, EntityManager } from 'typeorm';
import { pgCode, PG_ERROR } from './pg-errors';
import { bindClient, unbindClient } from './prepared-query';

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
   * `work` returned; null for none. If it fails, PostgreSQL turns the COMMIT into a rollback and
   * its error is thrown. It must hand its statement to the driver synchronously (`preparedQuery`).
   */
  commitWith?: (tx: Tx, result: T) => Promise<unknown> | null;
}

/** Transactions `run` opened and has not ended yet: what `inTransaction` answers from. */
const open = new WeakSet<EntityManager>();

/** Whether `em` is a transaction opened by TransactionRunner.run (and still open). */
export function inTransaction(em: EntityManager): boolean {
  return open.has(em);
}

/** Work to do once a transaction has committed (never after a rollback). */
const onCommit = new WeakMap<EntityManager, (() => void)[]>();

/**
 * Runs `fn` after `tx` commits (at once when `tx` is not an open transaction of the runner, i.e.
 * its writes are already visible). For side effects that must not see uncommitted rows, such as
 * waking the outbox dispatcher. `fn` must not throw.
 */
export function afterCommit(tx: EntityManager, fn: () => void): void {
  if (!open.has(tx)) return fn();
  const list = onCommit.get(tx);
  if (list) list.push(fn);
  else onCommit.set(tx, [fn]);
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

  async run<T>(work: (tx: Tx) => Promise<T>, options: TransactionOptions<T> = {}): Promise<T> {
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
      bindClient(runner.manager, (await runner.connect()) as PoolClient);
      return await work(runner.manager);
    } finally {
      unbindClient(runner.manager);
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
    try {
      bindClient(tx, (await runner.connect()) as PoolClient);
      await runner.startTransaction(options.isolation);
      open.add(tx);
      try {
        const result = await work(tx);
        // The last statement first, then COMMIT right behind it (pg's pipeline mode).
        const last = options.commitWith?.(tx, result) ?? null;
        const [lastDone, committed] = await Promise.allSettled([last, runner.commitTransaction()]);
        if (lastDone.status === 'rejected') throw lastDone.reason;
        if (committed.status === 'rejected') throw committed.reason;
        open.delete(tx);
        for (const fn of onCommit.get(tx) ?? []) fn();
        return result;
      } catch (err) {
        open.delete(tx);
        // After a failed COMMIT PostgreSQL has already ended the transaction; the rollback is a no-op.
        await runner.rollbackTransaction().catch(() => undefined);
        throw err;
      }
    } finally {
      open.delete(tx);
      onCommit.delete(tx);
      unbindClient(tx);
      await runner.release();
    }
  }
}
