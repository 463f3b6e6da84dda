/** PostgreSQL SQLSTATE codes we act on. */
export const PG_ERROR = {
  uniqueViolation: '23505',
  foreignKeyViolation: '23503',
  checkViolation: '23514',
  notNullViolation: '23502',
  invalidTextRepresentation: '22P02',
  numericOutOfRange: '22003',
  // Issue 13: the last guard behind the pipe's string checks (a NUL, a too-long value).
  characterNotInRepertoire: '22021',
  untranslatableCharacter: '22P05',
  stringDataRightTruncation: '22001',
  serializationFailure: '40001',
  deadlockDetected: '40P01',
  raiseException: 'P0001',
} as const;

export function pgCode(err: unknown): string | undefined {
  const e = err as { code?: unknown; driverError?: { code?: unknown } };
  const code = e?.driverError?.code ?? e?.code;
  return typeof code === 'string' ? code : undefined;
}

/** The constraint a violation names (TypeORM wraps pg's error in `driverError`). */
export function pgConstraint(err: unknown): string | undefined {
  const e = err as { constraint?: unknown; driverError?: { constraint?: unknown } };
  const constraint = e?.driverError?.constraint ?? e?.constraint;
  return typeof constraint === 'string' ? constraint : undefined;
}

export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  if (pgCode(err) !== PG_ERROR.uniqueViolation) return false;
  return !constraint || pgConstraint(err) === constraint;
}
