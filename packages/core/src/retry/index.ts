/**
 * Retry for any async call: full-jitter exponential backoff, provider-requested waits
 * with a cap, pluggable classification, and abort-aware sleeps.
 *
 * @packageDocumentation
 */
export { defaultRetryClassifier, isAbortError, isNetworkError } from './classify';
export type { RetryClassifier, RetryDecision } from './classify';
export { backoffDelay, cryptoRandom, DEFAULT_RETRY_POLICY, resolveRetryPolicy } from './policy';
export type { ResolvedRetryPolicy, RetryPolicy } from './policy';
export { withRetry } from './with-retry';
export type { RetryableOperation, RetryEvent, WithRetryOptions } from './with-retry';
