import { ValidationError } from '@almanac/core';

interface OracleInputError extends Error {
  readonly field: string;
  readonly issues?: readonly { readonly path: string; readonly message: string }[] | undefined;
}

/** Oracle's input errors (RangeError/TypeError subclasses) carry the bad `field`; anything else passes through. */
function isOracleInputError(error: unknown): error is OracleInputError {
  return (error instanceof RangeError || error instanceof TypeError) && typeof (error as { field?: unknown }).field === 'string';
}

/**
 * Runs an oracle call, rethrowing its input errors as core's `ValidationError` with the path
 * rebased onto the caller's names: oracle's leading `options`/`event` segment becomes what
 * `rebase` maps it to, so a caller reads `policy.login.threshold` or `attempt.timeZone`.
 */
export function withOracle<T>(operation: string, rebase: Readonly<Record<string, string>>, work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (!isOracleInputError(error)) throw error;
    const issue = error.issues?.[0];
    const path = issue?.path ?? error.field.replace(/\[(\d+)\]/g, '.$1');
    const head = path.split('.', 1)[0] ?? '';
    const prefix = rebase[head];
    const rebased = prefix === undefined ? path : `${prefix}${path.slice(head.length)}`;
    const message = issue?.message ?? (error.message.startsWith(`${error.field}: `) ? error.message.slice(error.field.length + 2) : error.message);
    throw new ValidationError(undefined, [{ path: rebased, message }], { operation, cause: error });
  }
}
