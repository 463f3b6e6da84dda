import { DomainError } from '../../common';

export enum LedgerErrorCode {
  InsufficientPoints = 'ledger.insufficient_points',
  NegativeBalance = 'ledger.negative_balance',
  InvalidPoints = 'ledger.invalid_points',
  Concurrency = 'ledger.concurrency',
}

export class LedgerError extends DomainError {}

export const insufficientPoints = (balance: number, wanted: number) =>
  balance < 0
    ? new LedgerError(
        'conflict',
        LedgerErrorCode.NegativeBalance,
        `insufficient points: the balance is negative (${balance}) until it is repaid`,
        [{ field: 'points', reason: `balance is ${balance}` }],
      )
    : new LedgerError('conflict', LedgerErrorCode.InsufficientPoints, 'insufficient points', [
        { field: 'points', reason: `wanted ${wanted}, available ${balance}` },
      ]);

export const invalidPoints = (reason: string) =>
  new LedgerError('invalid', LedgerErrorCode.InvalidPoints, `points: ${reason}`, [
    { field: 'points', reason },
  ]);
