// Maps what the Graph SDK throws (a `GraphError` with `statusCode`, `code`, `headers`) onto
// core's error hierarchy. Read structurally: the SDK class is never imported.
import {
  AlmanacError,
  errorForStatus,
  isAbortError,
  isNetworkError,
  parseRetryAfter,
  ProviderError,
} from '@almanac/core';
import type { AlmanacErrorOptions } from '@almanac/core';

/** Provider name used in errors. */
export const PROVIDER = 'microsoft';

const MAX_MESSAGE_CHARS = 300;

interface GraphErrorShape {
  statusCode?: unknown;
  code?: unknown;
  message?: unknown;
  headers?: unknown;
  body?: unknown;
}

/** A mapped failure plus the wait Graph asked for. */
export interface MappedGraphError {
  /** The error to throw. */
  readonly error: AlmanacError;
  /** `Retry-After` in ms, when Graph sent one (429, 503, 504). */
  readonly retryAfterMs: number | undefined;
}

/** Graph's error code (`ErrorItemNotFound`, `syncStateNotFound`, …) kept on the cause, if any. */
export function graphErrorCode(error: unknown): string | undefined {
  const cause: unknown = AlmanacError.isInstance(error) ? error.cause : error;
  if (typeof cause !== 'object' || cause === null) return undefined;
  const code = (cause as GraphErrorShape).code;
  return typeof code === 'string' ? code : undefined;
}

function headersOf(value: unknown): Headers | undefined {
  if (value instanceof Headers) return value;
  if (typeof value === 'object' && value !== null) {
    try {
      return new Headers(value as Record<string, string>);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/**
 * Maps a failure of one Graph call. `operation` is `METHOD /path` without the query string,
 * since delta and skip tokens in the query are credentials of a sort.
 */
export function mapGraphError(error: unknown, operation: string, nowMs: number): MappedGraphError {
  if (AlmanacError.isInstance(error)) return { error, retryAfterMs: undefined };
  const shape: GraphErrorShape = typeof error === 'object' && error !== null ? (error as GraphErrorShape) : {};
  const status = typeof shape.statusCode === 'number' && shape.statusCode > 0 ? shape.statusCode : undefined;
  const code = typeof shape.code === 'string' ? shape.code : undefined;
  if (status === undefined) {
    if (isAbortError(error) || code === 'AbortError') {
      return { error: new ProviderError(`${PROVIDER}: ${operation} was aborted`, { provider: PROVIDER, operation, cause: error }), retryAfterMs: undefined };
    }
    // The SDK wraps fetch failures in a GraphError whose message is the TypeError's.
    const network = isNetworkError(error) || (typeof shape.message === 'string' && /fetch failed|network|ECONN|ETIMEDOUT/i.test(shape.message));
    return {
      error: new ProviderError(`${PROVIDER}: ${operation} failed without a response`, {
        provider: PROVIDER,
        operation,
        retryable: network,
        cause: error,
      }),
      retryAfterMs: undefined,
    };
  }
  const headers = headersOf(shape.headers);
  const retryAfterMs = headers ? parseRetryAfter(headers, nowMs, status === 429) : undefined;
  const detail = typeof shape.message === 'string' && shape.message !== '' ? `: ${shape.message.slice(0, MAX_MESSAGE_CHARS)}` : '';
  const message = `${PROVIDER}: ${operation} failed with HTTP ${status}${code ? ` (${code})` : ''}${detail}`;
  const options: AlmanacErrorOptions = { provider: PROVIDER, operation, status, cause: error };
  return { error: errorFor(status, message, options, retryAfterMs), retryAfterMs };
}

function errorFor(status: number, message: string, options: AlmanacErrorOptions, retryAfterMs: number | undefined): AlmanacError {
  // Graph's 408/504 come from its gateway mid-operation: a provider failure, retryable only on 504.
  if (status === 408 || status === 504) return new ProviderError(message, { ...options, retryable: status === 504 });
  return errorForStatus(status, message, { ...options, retryAfterMs });
}
