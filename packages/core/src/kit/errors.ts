import { AlmanacError, ProviderError } from '../errors';

/**
 * Sets `provider` and `operation` on an {@link AlmanacError} that lacks them, keeping its class,
 * stack and every other field (the error is updated in place, never copied). Fields already set
 * are left alone: the innermost code knew best where the error came from.
 */
export function withErrorContext<E extends AlmanacError>(error: E, provider: string, operation: string): E {
  if (error.provider !== undefined && error.operation !== undefined) return error;
  const fields = error as { provider: string | undefined; operation: string | undefined };
  try {
    if (fields.provider === undefined) fields.provider = provider;
    if (fields.operation === undefined) fields.operation = operation;
  } catch {
    // A frozen error keeps what it had; it is still the right class and code.
  }
  return error;
}

/**
 * Any thrown value as an {@link AlmanacError} naming `provider` and `operation`: Almanac errors
 * pass through (their class kept, missing provider/operation filled in); anything else becomes a
 * {@link ProviderError} whose message carries the original message and whose `cause` is the
 * original value.
 */
export function toAlmanacError(error: unknown, provider: string, operation: string): AlmanacError {
  if (AlmanacError.isInstance(error)) return withErrorContext(error, provider, operation);
  const detail = error instanceof Error ? error.message : String(error);
  return new ProviderError(`${provider} ${operation} failed: ${detail}`, { provider, operation, cause: error });
}
