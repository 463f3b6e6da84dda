import { DomainError, ErrorKind } from '../../common';

export enum WalletErrorCode {
  /** PassKit web service: wrong or missing `ApplePass` token. */
  PassUnauthorized = 'wallet.pass_unauthorized',
  PassNotFound = 'wallet.pass_not_found',
}

export class WalletError extends DomainError {
  constructor(kind: ErrorKind, code: WalletErrorCode, message: string) {
    super(kind, code, message);
  }
}

export const passUnauthorized = () =>
  new WalletError(
    'unauthorized',
    WalletErrorCode.PassUnauthorized,
    'missing or wrong ApplePass token',
  );

export const passNotFound = () =>
  new WalletError('not_found', WalletErrorCode.PassNotFound, 'no such pass');
