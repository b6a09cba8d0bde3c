import { ValidationError } from '@almanac/core';

/** Oracle's input errors carry `code` and `field`; anything else passes through. */
function isOracleInputError(error: unknown): error is Error & { field: string; code: string } {
  return (
    error instanceof Error &&
    typeof (error as { field?: unknown }).field === 'string' &&
    ((error as { code?: unknown }).code === 'invalid_range' || (error as { code?: unknown }).code === 'invalid_type')
  );
}

/**
 * Runs an oracle call, turning its `RangeError`/`TypeError` input errors into a
 * `ValidationError` whose path is rebased: oracle's leading `options`/`event` segment becomes
 * `prefix`, so callers read `policy.login.threshold` rather than oracle's internal name.
 */
export function withOracle<T>(operation: string, rebase: Readonly<Record<string, string>>, work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (!isOracleInputError(error)) throw error;
    const head = error.field.split(/[.[]/, 1)[0] ?? '';
    const prefix = rebase[head];
    const path = prefix === undefined ? error.field : `${prefix}${error.field.slice(head.length)}`;
    const message = error.message.startsWith(`${error.field}: `) ? error.message.slice(error.field.length + 2) : error.message;
    throw new ValidationError(undefined, [{ path, message }], { operation, cause: error });
  }
}
