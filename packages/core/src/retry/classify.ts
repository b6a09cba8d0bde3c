import { AbortedError, AlmanacError, RateLimitError } from '../errors';

/** What a classifier decided about one failure. */
export interface RetryDecision {
  /** Whether repeating the call may help. */
  readonly retry: boolean;
  /** Wait the provider asked for, in ms; overrides the computed backoff and is subject to the cap. */
  readonly afterMs?: number | undefined;
}

/** Decides whether an error is worth another attempt. Pluggable so adapters can add provider quirks. */
export type RetryClassifier = (error: unknown, attempt: number) => RetryDecision;

/** System error codes of transient network failures, from Node sockets and undici. */
const TRANSIENT_NETWORK_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENETUNREACH',
  'ENETDOWN',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CLOSED',
]);

// Messages browsers and runtimes use for a fetch that never got a response.
const FETCH_FAILURE_MESSAGE = /^(fetch failed|failed to fetch|network ?error|load failed|terminated)/i;

const NO_RETRY: RetryDecision = Object.freeze({ retry: false });
const RETRY: RetryDecision = Object.freeze({ retry: true });

function errorCode(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const code: unknown = (value as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Whether `error` is a transient network failure (connection reset, refused, timed out,
 * or a `fetch` `TypeError` with no response). Looks one level into `cause`, where `fetch`
 * keeps the socket error. A plain `TypeError` from a bug is not a network error.
 */
export function isNetworkError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const code = errorCode(error);
  if (code !== undefined && TRANSIENT_NETWORK_CODES.has(code)) return true;
  const cause: unknown = (error as { cause?: unknown }).cause;
  const causeCode = errorCode(cause);
  if (causeCode !== undefined && TRANSIENT_NETWORK_CODES.has(causeCode)) return true;
  return error instanceof TypeError && FETCH_FAILURE_MESSAGE.test(error.message);
}

/** Whether `error` means the caller gave up (an {@link AbortedError} or a DOM `AbortError`). */
export function isAbortError(error: unknown): boolean {
  if (AbortedError.isInstance(error)) return true;
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'AbortError';
}

/**
 * The default classifier: an {@link AlmanacError} is retried when its `retryable` flag says
 * so (a {@link RateLimitError} also passes its `retryAfterMs`); transient network errors
 * are retried; aborts and everything else are not.
 */
export const defaultRetryClassifier: RetryClassifier = (error) => {
  if (isAbortError(error)) return NO_RETRY;
  if (AlmanacError.isInstance(error)) {
    if (!error.retryable) return NO_RETRY;
    if (RateLimitError.isInstance(error) && error.retryAfterMs !== undefined) {
      return { retry: true, afterMs: error.retryAfterMs };
    }
    return RETRY;
  }
  return isNetworkError(error) ? RETRY : NO_RETRY;
};
