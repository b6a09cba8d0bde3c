/**
 * Rate limiting: the async, keyed {@link RateLimiter} interface (token buckets that decide
 * without waiting) and its in-process implementation. `@almanac/core/redis` has one shared
 * between instances.
 *
 * @packageDocumentation
 */
export type { RateLimitDecision, RateLimitTakeOptions, RateLimiter, RateLimiterSettings } from './types';
export { createMemoryRateLimiter } from './memory-rate-limiter';
export type { MemoryRateLimiterOptions } from './memory-rate-limiter';
