import { DomainError } from '../../common';

export enum ReportsErrorCode {
  BadPeriod = 'reports.bad_period',
  StoreNotAllowed = 'reports.store_not_allowed',
  StoreNotFound = 'reports.store_not_found',
}

export class ReportsError extends DomainError {}

export const badPeriod = (field: 'from' | 'to', reason: string) =>
  new ReportsError('invalid', ReportsErrorCode.BadPeriod, `${field}: ${reason}`, [
    { field, reason },
  ]);

export const storeNotAllowed = () =>
  new ReportsError(
    'forbidden',
    ReportsErrorCode.StoreNotAllowed,
    'this report is about another store than yours',
    [{ field: 'storeId', reason: 'not your store' }],
  );

export const storeNotFound = () =>
  new ReportsError('invalid', ReportsErrorCode.StoreNotFound, 'storeId: no such store', [
    { field: 'storeId', reason: 'no such store' },
  ]);
