import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Clock, PersonalDataRegistry } from '../../common';
import { pipelined, preparedQuery } from '../../database';
import { inProgress, keyInvalid, keyReused } from './idempotency.errors';
import { isValidKey } from './request-hash';

/** The driver's client (pg), as TypeORM's query runner holds it. */
interface PgClient {
  query(text: string): Promise<unknown>;
}

export interface IdempotentRequest {
  /** The operation and who may replay it, e.g. `purchase:store:<id>` (keys are per scope). */
  scope: string;
  key: string;
  /** requestHash(operation, body): a replay must carry the same request. */
  requestHash: string;
}

export interface IdempotentResponse {
  status: number;
  /** The JSON body as text, byte for byte what the first request answered. */
  body: string;
  replayed: boolean;
}

/** How long keys are kept: a replay after this is a new request (published in the README). */
export const IDEMPOTENCY_RETENTION_DAYS = 30;

/**
 * Exactly-once operations. `execute` opens the operation's transaction and first inserts the key
 * row; the primary key (scope, key) makes a concurrent request with the same key wait for the
 * first to commit, then answer from the stored response (same body) or 422 (another body). A
 * failed operation rolls its key back with it, so a retry runs again.
 */
@Injectable()
export class IdempotencyService implements OnModuleInit {
  private readonly logger = new Logger('Idempotency');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly personalData: PersonalDataRegistry,
  ) {}

  onModuleInit(): void {
    // Stored responses about a member (they name its id) and their caller-supplied keys are
    // personal data (issue 13): erasure deletes them. A replay after erasure would be refused
    // anyway, the member being gone.
    this.personalData.register({
      category: 'stored-responses',
      export: async (reader, memberId) =>
        reader.query(
          `SELECT scope, key, response_status AS "status", created_at AS "createdAt"
             FROM idempotency_keys WHERE status = 'done' AND strpos(response_body, $1) > 0
            ORDER BY created_at`,
          [memberId],
        ),
      erase: async (em, memberId) => {
        await em.query(
          `DELETE FROM idempotency_keys WHERE status = 'done' AND strpos(response_body, $1) > 0`,
          [memberId],
        );
      },
    });
  }

  async execute(
    request: IdempotentRequest,
    work: (em: EntityManager) => Promise<{ status: number; body: unknown }>,
  ): Promise<IdempotentResponse> {
    if (!isValidKey(request.key)) throw keyInvalid();
    // The transaction by hand, so that its first and last round trips carry the key row: the
    // till pays for each trip to the database. `START TRANSACTION` goes with the key's INSERT,
    // and the response's UPDATE with `COMMIT`, each pair in one write (pipelined; a failed
    // UPDATE turns the COMMIT into a rollback). Inside, the runner is marked as in a
    // transaction exactly as TypeORM's own startTransaction leaves it, so `work` (and its
    // savepoints) runs on it as under `dataSource.transaction`.
    const runner = this.dataSource.createQueryRunner();
    try {
      const client = (await runner.connect()) as PgClient;
      const em = runner.manager;
      const keyValues = [request.scope, request.key];
      let claimed: boolean;
      try {
        const [, insert] = await pipelined(em, [
          () => client.query('START TRANSACTION'),
          () =>
            preparedQuery(
              em,
              'idempotency_claim',
              `INSERT INTO idempotency_keys (scope, key, request_hash, status, created_at)
               VALUES ($1, $2, $3, 'in_progress', $4) ON CONFLICT DO NOTHING RETURNING 1`,
              [...keyValues, request.requestHash, this.clock.now()],
            ),
        ] as const);
        claimed = (insert.rowCount ?? 0) > 0;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      }
      const tx = runner as unknown as { isTransactionActive: boolean; transactionDepth: number };
      tx.isTransactionActive = true;
      tx.transactionDepth = 1;
      try {
        let response: IdempotentResponse;
        if (!claimed) {
          response = await this.stored(em, request);
          await client.query('COMMIT');
        } else {
          const result = await work(em);
          if (!Number.isInteger(result.status))
            throw new Error('response status must be an integer');
          const body = JSON.stringify(result.body);
          await pipelined(em, [
            () =>
              preparedQuery(
                em,
                'idempotency_done',
                `UPDATE idempotency_keys
                    SET status = 'done', response_status = $3, response_body = $4
                  WHERE scope = $1 AND key = $2`,
                [...keyValues, result.status, body],
              ),
            () => client.query('COMMIT'),
          ] as const);
          response = { status: result.status, body, replayed: false };
        }
        tx.isTransactionActive = false;
        tx.transactionDepth = 0;
        return response;
      } catch (err) {
        if (tx.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
        tx.isTransactionActive = false;
        tx.transactionDepth = 0;
        throw err;
      }
    } finally {
      await runner.release();
    }
  }

  private async stored(em: EntityManager, request: IdempotentRequest) {
    const [row]: {
      request_hash: string;
      status: string;
      response_status: number | null;
      response_body: string | null;
    }[] = await em.query(
      `SELECT request_hash, status, response_status, response_body FROM idempotency_keys
        WHERE scope = $1 AND key = $2`,
      [request.scope, request.key],
    );
    if (!row) throw inProgress(); // pruned between the insert and the read: let the client retry
    if (row.request_hash !== request.requestHash) throw keyReused();
    if (row.status !== 'done' || row.response_status === null || row.response_body === null) {
      throw inProgress();
    }
    return { status: row.response_status, body: row.response_body, replayed: true };
  }

  /** Forgets keys older than the retention period. */
  @Cron(CronExpression.EVERY_DAY_AT_3AM)
  async prune(): Promise<number> {
    const before = new Date(this.clock.now().getTime() - IDEMPOTENCY_RETENTION_DAYS * 86400000);
    const result: [unknown[], number] = await this.dataSource.query(
      `DELETE FROM idempotency_keys WHERE created_at < $1`,
      [before],
    );
    const count = result[1] ?? 0;
    if (count) this.logger.log(`pruned ${count} idempotency keys`);
    return count;
  }
}
