/** Injection token for the HMAC secret of staff and member tokens. */
export const AUTH_SECRET = Symbol('AUTH_SECRET');
