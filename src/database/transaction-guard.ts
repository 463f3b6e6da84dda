import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntitySubscriberInterface, TransactionStartEvent } from 'typeorm';
import { inSelfManagedTransaction } from './transaction-runner';

/**
 * Inside a `pipelineBegin` transaction TypeORM does not know a transaction is open, so its own
 * `save`/`remove`/`manager.transaction` would BEGIN and COMMIT one of theirs in the middle of
 * ours. This subscriber (TypeORM's public event API) refuses that start instead: the use case
 * fails and rolls back whole, and its tests show it.
 */
@Injectable()
export class TransactionGuard implements EntitySubscriberInterface {
  constructor(@InjectDataSource() dataSource: DataSource) {
    dataSource.subscribers.push(this);
  }

  beforeTransactionStart(event: TransactionStartEvent): void {
    if (inSelfManagedTransaction(event.queryRunner)) {
      throw new Error(
        'TypeORM may not open a transaction inside a pipelineBegin transaction: use a query, ' +
          'a query builder or save(…, { transaction: false }) in this use case',
      );
    }
  }
}
