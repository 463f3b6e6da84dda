import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { pgCode, PG_ERROR } from './pg-errors';

/**
 * A transaction, as every writing method receives it (its first parameter). It is TypeORM's
 * EntityManager bound to one connection inside BEGIN … COMMIT; repositories take it, never open one.
 */
export type Tx = EntityManager;

export type IsolationLevel = 'READ COMMITTED' | 'REPEATABLE READ' | 'SERIALIZABLE';

export interface TransactionOptions {
  isolation?: IsolationLevel;
  /**
   * How many times to run `work` again when PostgreSQL aborts it with a serialisation failure
   * or a deadlock (40001, 40P01). Only for work that is safe to repeat as a whole (it has no
   * side effects outside the database). Default 0.
   */
  retries?: number;
}

/**
 * The one way to run a transaction: QueryRunner's public connect / startTransaction /
 * commitTransaction / rollbackTransaction / release. A use case opens it; whatever it calls takes
 * the `Tx` as its first argument.
 */
@Injectable()
export class TransactionRunner {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async run<T>(work: (tx: Tx) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    const retries = options.retries ?? 0;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.once(work, options.isolation);
      } catch (err) {
        const code = pgCode(err);
        const retryable =
          code === PG_ERROR.serializationFailure || code === PG_ERROR.deadlockDetected;
        if (!retryable || attempt >= retries) throw err;
      }
    }
  }

  /** Reads outside a transaction (one statement each, on any pooled connection). */
  get reader(): EntityManager {
    return this.dataSource.manager;
  }

  private async once<T>(work: (tx: Tx) => Promise<T>, isolation?: IsolationLevel): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction(isolation);
      try {
        const result = await work(runner.manager);
        await runner.commitTransaction();
        return result;
      } catch (err) {
        // After a failed COMMIT PostgreSQL has already ended the transaction; the rollback is a no-op.
        await runner.rollbackTransaction().catch(() => undefined);
        throw err;
      }
    } finally {
      await runner.release();
    }
  }
}
