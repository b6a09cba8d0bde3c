/** Options of {@link RateLimiter.take}. */
export interface RateLimitTakeOptions {
  /** Tokens this call takes; a positive integer no larger than the limiter's capacity. Default 1. */
  cost?: number | undefined;
  /** Aborts the call; a shared limiter then rejects with the abort reason. */
  signal?: AbortSignal | undefined;
}

/** The answer of {@link RateLimiter.take}. */
export interface RateLimitDecision {
  /** Whether the tokens were taken. A denied call takes nothing. */
  readonly granted: boolean;
  /** When denied, how long until enough tokens will have refilled, in milliseconds; 0 when granted. */
  readonly retryAfterMs: number;
  /** Whole tokens left in the bucket after this call. */
  readonly remaining: number;
}

/**
 * A keyed token-bucket rate limiter that decides without waiting: each key has its own
 * bucket of `capacity` tokens refilled at `refillPerSecond`. Async so a shared store (Redis)
 * can implement the same interface as the in-process one; callers that want to wait sleep
 * for `retryAfterMs` themselves.
 */
export interface RateLimiter {
  /** Takes `cost` tokens from `key`'s bucket if it holds that many now. */
  take(key: string, options?: RateLimitTakeOptions): Promise<RateLimitDecision>;
}

/** Bucket settings shared by every {@link RateLimiter} implementation. */
export interface RateLimiterSettings {
  /** Burst size: the most tokens a bucket holds. Integer >= 1. */
  capacity: number;
  /** Tokens added to each bucket per second. Finite and > 0. */
  refillPerSecond: number;
}
