import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { Clock, PersonalDataRegistry } from '../../common';
import type { EntityManager } from 'typeorm';
import { preparedQuery, TransactionRunner, Tx } from '../../database';
import { inProgress, keyInvalid, keyReused } from './idempotency.errors';
import { isValidKey, requestHash } from './request-hash';

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

/** Stored responses whose body names one of the ids in `$1` (personal data: issue 13). */
const NAMING_ANY_OF_1 = `status = 'done' AND response_body IS NOT NULL
  AND EXISTS (SELECT 1 FROM unnest($1::text[]) AS i(id) WHERE strpos(response_body, i.id) > 0)`;

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
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    private readonly personalData: PersonalDataRegistry,
  ) {}

  /**
   * The fingerprint of a request that a replay with the same key must match: `operation` (e.g.
   * `purchase`, `return:<id>`) and the body in canonical JSON, hashed.
   */
  requestHash(operation: string, body: unknown): string {
    return requestHash(operation, body);
  }

  /** Whether an `Idempotency-Key` has the accepted form (8–255 visible ASCII characters). */
  isValidKey(key: string): boolean {
    return isValidKey(key);
  }

  onModuleInit(): void {
    // Stored responses about a member (they name its id) and their caller-supplied keys are
    // personal data (issue 13): erasure deletes them. A replay after erasure would be refused
    // anyway, the member being gone.
    this.personalData.register({
      category: 'stored-responses',
      export: (reader, memberId) => this.responsesNaming(reader, [memberId]),
      erase: async (tx, memberId) => {
        await this.eraseResponsesNaming(tx, [memberId]);
      },
    });
  }

  /** The keys and stored responses that name any of `ids` (a member's, a contact's), for export. */
  async responsesNaming(
    reader: EntityManager,
    ids: string[],
  ): Promise<{ scope: string; key: string; status: number; createdAt: Date }[]> {
    if (!ids.length) return [];
    return reader.query(
      `SELECT scope, key, response_status AS "status", created_at AS "createdAt"
         FROM idempotency_keys WHERE ${NAMING_ANY_OF_1} ORDER BY created_at`,
      [ids],
    );
  }

  /**
   * Forgets the stored responses that name any of `ids` (a member's id, a contact's in the answer
   * to its purchase), with their caller-supplied keys. A replay of such a key runs again, as after
   * the retention period.
   */
  async eraseResponsesNaming(tx: Tx, ids: string[]): Promise<number> {
    if (!ids.length) return 0;
    const result: [unknown[], number] = await tx.query(
      `DELETE FROM idempotency_keys WHERE ${NAMING_ANY_OF_1}`,
      [ids],
    );
    return result[1] ?? 0;
  }

  async execute(
    request: IdempotentRequest,
    work: (tx: Tx) => Promise<{ status: number; body: unknown }>,
  ): Promise<IdempotentResponse> {
    if (!isValidKey(request.key)) throw keyInvalid();
    const keyValues = [request.scope, request.key];
    // The response's UPDATE leaves with COMMIT (one round trip: the till pays for each); a
    // failed UPDATE turns the COMMIT into a rollback and is thrown.
    const { response } = await this.transactions.run(
      async (tx) => {
        const claim = await preparedQuery(
          tx,
          'idempotency_claim',
          `INSERT INTO idempotency_keys (scope, key, request_hash, status, created_at)
           VALUES ($1, $2, $3, 'in_progress', $4) ON CONFLICT DO NOTHING RETURNING 1`,
          [...keyValues, request.requestHash, this.clock.now()],
        );
        if (!claim.rowCount) return { response: await this.stored(tx, request), done: false };
        const result = await work(tx);
        if (!Number.isInteger(result.status)) throw new Error('response status must be an integer');
        const body = JSON.stringify(result.body);
        const response: IdempotentResponse = { status: result.status, body, replayed: false };
        return { response, done: true };
      },
      {
        // BEGIN leaves with the key's INSERT: one round trip fewer for every till write.
        pipelineBegin: true,
        commitWith: (tx, { response, done }) =>
          done
            ? preparedQuery(
                tx,
                'idempotency_done',
                `UPDATE idempotency_keys
                    SET status = 'done', response_status = $3, response_body = $4
                  WHERE scope = $1 AND key = $2`,
                [...keyValues, response.status, response.body],
              )
            : null,
      },
    );
    return response;
  }

  private async stored(tx: Tx, request: IdempotentRequest) {
    const [row]: {
      request_hash: string;
      status: string;
      response_status: number | null;
      response_body: string | null;
    }[] = await tx.query(
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
    const result: [unknown[], number] = await this.transactions.reader.query(
      `DELETE FROM idempotency_keys WHERE created_at < $1`,
      [before],
    );
    const count = result[1] ?? 0;
    if (count) this.logger.log(`pruned ${count} idempotency keys`);
    return count;
  }
}
