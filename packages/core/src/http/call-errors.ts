import { AbortedError, AlmanacError, ProviderError, TimeoutError } from '../errors';
import { isNetworkError } from '../retry/classify';
import type { ClientConfig } from './client-options';
import type { PreparedRequest } from './prepare-request';

// The errors one call can end with besides a mapped HTTP response: transport failures,
// timeouts, and bare aborts given the call's provider and operation.

/** An error `fetch` itself threw (no response): network failure or a bad request the runtime refused. */
export function transportError(config: ClientConfig, prepared: PreparedRequest, error: unknown): AlmanacError {
  const { provider, redactor } = config;
  const network = isNetworkError(error);
  const cause = (error as { cause?: { code?: unknown } | undefined } | null)?.cause;
  const code = typeof cause?.code === 'string' ? cause.code : (error as { code?: unknown } | null)?.code;
  const detail = network
    ? `network error${typeof code === 'string' ? ` (${code})` : ''}`
    : redactor.redactString(error instanceof Error ? error.message : String(error)).slice(0, 200);
  return new ProviderError(`${provider}: ${prepared.operation} failed: ${detail}`, {
    provider,
    operation: prepared.operation,
    retryable: network,
    cause: error,
  });
}

/** The per-attempt timeout fired. */
export function attemptTimeoutError(config: ClientConfig, prepared: PreparedRequest): TimeoutError {
  const { provider } = config;
  return new TimeoutError(`${provider}: ${prepared.operation} timed out after ${config.timeoutMs} ms (per attempt)`, {
    provider,
    operation: prepared.operation,
  });
}

/** The call's total timeout expired. */
export function totalTimeoutError(config: ClientConfig, prepared: PreparedRequest, cause?: unknown): TimeoutError {
  const { provider } = config;
  return new TimeoutError(`${provider}: ${prepared.operation} exceeded the total timeout of ${config.totalTimeoutMs} ms`, {
    provider,
    operation: prepared.operation,
    // The deadline is spent: repeating cannot help within this call.
    retryable: false,
    cause,
  });
}

/** Gives errors without call context (e.g. a bare abort) the provider and operation. */
export function finalizeError(config: ClientConfig, prepared: PreparedRequest, error: unknown): AlmanacError {
  const { provider } = config;
  if (AlmanacError.isInstance(error)) {
    if (AbortedError.isInstance(error) && error.provider === undefined) {
      return new AbortedError(`${provider}: ${prepared.operation} was aborted`, {
        provider,
        operation: prepared.operation,
        cause: error.cause ?? error,
      });
    }
    return error;
  }
  return transportError(config, prepared, error);
}
