import { DomainError } from '../../common';

export enum AuthErrorCode {
  BadCredentials = 'auth.bad_credentials',
  TokenExpired = 'auth.token_expired',
  TokenInvalid = 'auth.token_invalid',
  Unauthenticated = 'auth.unauthenticated',
  Forbidden = 'auth.forbidden',
  BadApiKey = 'auth.bad_api_key',
  BadCode = 'auth.bad_code',
  EmailTaken = 'auth.email_taken',
  NotFound = 'auth.not_found',
  SessionRevoked = 'auth.session_revoked',
  TooManyAttempts = 'auth.too_many_attempts',
}

export class AuthError extends DomainError {}

export const badCredentials = () =>
  new AuthError('unauthorized', AuthErrorCode.BadCredentials, 'wrong email or password');
