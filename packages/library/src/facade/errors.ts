import { AlmanacError, ProviderError } from '@almanac/core';

/**
 * Any failure as an {@link AlmanacError}: Almanac errors pass through unchanged (adapters
 * already classified them); anything else becomes a `ProviderError` naming provider and
 * operation, the original kept as `cause`.
 */
export function toAlmanacError(error: unknown, provider: string, operation: string): AlmanacError {
  if (AlmanacError.isInstance(error)) return error;
  const detail = error instanceof Error ? error.message : String(error);
  return new ProviderError(`${provider} ${operation} failed: ${detail}`, { provider, operation, cause: error });
}
