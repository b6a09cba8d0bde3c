import { abortReason, systemClock } from '../clock';
import type { Clock } from '../clock';
import { RateLimitError, ValidationError } from '../errors';
import type { RateLimitDecision, RateLimiter, RateLimiterSettings } from './types';
import { assertRateLimiterSettings, checkTake } from './validate';

/** Options of {@link createMemoryRateLimiter}. */
export interface MemoryRateLimiterOptions extends RateLimiterSettings {
  /** Time source for the refill; inject a manual clock in tests. Default {@link systemClock}. */
  clock?: Clock | undefined;
  /**
   * Most keys tracked at once. Only full buckets are ever forgotten (they hold no state);
   * when every tracked bucket is partly used, `take` for a new key rejects with a retryable
   * `RateLimitError` rather than hand out a fresh bucket. Default 100 000.
   */
  maxKeys?: number | undefined;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

const DEFAULT_MAX_KEYS = 100_000;

/**
 * Creates an in-process {@link RateLimiter}: one token bucket per key, refilled lazily from
 * the clock on each call, so idle keys cost nothing. For one process only; use
 * `createRedisRateLimiter` from `@almanac/core/redis` to share a limit between instances.
 */
export function createMemoryRateLimiter(options: MemoryRateLimiterOptions): RateLimiter {
  assertRateLimiterSettings(options);
  const { capacity, refillPerSecond } = options;
  const clock = options.clock ?? systemClock;
  if (typeof clock?.now !== 'function') throw new ValidationError(undefined, [{ path: 'options.clock', message: 'must have a now() method' }]);
  const maxKeys = options.maxKeys ?? DEFAULT_MAX_KEYS;
  if (!Number.isSafeInteger(maxKeys) || maxKeys < 1) {
    throw new ValidationError(undefined, [{ path: 'options.maxKeys', message: 'must be a positive integer' }]);
  }
  const perMs = refillPerSecond / 1000;
  const buckets = new Map<string, Bucket>();

  const refill = (bucket: Bucket, now: number) => {
    if (now > bucket.updatedAt) bucket.tokens = Math.min(capacity, bucket.tokens + (now - bucket.updatedAt) * perMs);
    // A clock set backwards must not mint tokens later: restart the window from now.
    bucket.updatedAt = now;
  };

  const forgetFullBuckets = (now: number) => {
    for (const [key, bucket] of buckets) {
      refill(bucket, now);
      if (bucket.tokens >= capacity) buckets.delete(key);
    }
  };

  return {
    async take(key, takeOptions = {}): Promise<RateLimitDecision> {
      const cost = checkTake(key, takeOptions.cost, capacity);
      if (takeOptions.signal?.aborted) throw abortReason(takeOptions.signal);
      const now = clock.now();
      let bucket = buckets.get(key);
      if (!bucket) {
        // A full bucket holds no information, so forgetting one is always safe.
        if (buckets.size >= maxKeys) forgetFullBuckets(now);
        if (buckets.size >= maxKeys) {
          throw new RateLimitError(`Rate limiter is tracking ${maxKeys} partly used buckets; raise maxKeys or use a shared limiter`, {
            operation: 'rateLimiter.take',
          });
        }
        bucket = { tokens: capacity, updatedAt: now };
        buckets.set(key, bucket);
      }
      refill(bucket, now);
      if (bucket.tokens >= cost) {
        bucket.tokens -= cost;
        return { granted: true, retryAfterMs: 0, remaining: Math.floor(bucket.tokens) };
      }
      return { granted: false, retryAfterMs: Math.ceil((cost - bucket.tokens) / perMs), remaining: Math.floor(bucket.tokens) };
    },
  };
}
