/**
 * The resilient HTTP client every adapter uses: retries, timeouts, abort, auth refresh,
 * client-side rate limiting, error mapping, redaction and tracing.
 *
 * @packageDocumentation
 */
export { createHttpClient } from './client';
export { bodyExcerpt, MAX_EXCERPT_CHARS, mapResponseError, RETRYABLE_STATUSES } from './response-error';
export type { MappedResponseError, ResponseErrorContext } from './response-error';
export { parseRetryAfter } from './retry-after';
export { createKeyedTokenBuckets, createTokenBucket } from './token-bucket';
export type { KeyedTokenBuckets, TokenBucket, TokenBucketOptions } from './token-bucket';
export type {
  FetchLike,
  GetTokenOptions,
  HttpAuth,
  HttpCallOptions,
  HttpClient,
  HttpClientOptions,
  HttpMethod,
  HttpRequestFunction,
  HttpRequestOptions,
  HttpResponse,
  HttpShorthand,
  QueryParams,
  QueryValue,
  RateLimitKeyInput,
  RateLimitOptions,
  RedirectMode,
  ResponseType,
} from './types';
export { errorForStatus } from './status-error';
export type { StatusErrorOptions } from './status-error';
