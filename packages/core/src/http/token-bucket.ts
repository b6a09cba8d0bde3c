import { abortReason, systemClock } from '../clock';
import type { Clock } from '../clock';
import { ConfigError } from '../errors';
import type { ValidationIssue } from '../errors';

/** Options of {@link createTokenBucket}. */
export interface TokenBucketOptions {
  /** Burst size. Integer >= 1. */
  capacity: number;
  /** Tokens added per second. > 0. */
  refillPerSecond: number;
  /** Time source; waits use `clock.sleep`. Default: the system clock. */
  clock?: Clock | undefined;
}

/** A token bucket: `capacity` calls at once, then `refillPerSecond` calls per second. */
export interface TokenBucket {
  /** Takes a token, waiting for the refill if none is left; aborting the wait gives the reservation back. */
  take(signal?: AbortSignal): Promise<void>;
  /** Takes a token only if one is available now. */
  tryTake(): boolean;
  /** Tokens available now (negative while callers are waiting). */
  available(): number;
}

/** Validates bucket settings, naming fields under `prefix` (e.g. `rateLimit.capacity`). */
export function validateTokenBucketOptions(options: unknown, prefix = ''): void {
  const field = (name: string) => (prefix ? `${prefix}.${name}` : name);
  if (typeof options !== 'object' || options === null) {
    throw new ConfigError(`${prefix || 'token bucket options'} must be an object`, [{ path: prefix, message: 'must be an object' }]);
  }
  const { capacity, refillPerSecond } = options as Partial<TokenBucketOptions>;
  const issues: ValidationIssue[] = [];
  if (typeof capacity !== 'number' || !Number.isInteger(capacity) || capacity < 1) {
    issues.push({ path: field('capacity'), message: 'must be an integer >= 1' });
  }
  if (typeof refillPerSecond !== 'number' || !Number.isFinite(refillPerSecond) || refillPerSecond <= 0) {
    issues.push({ path: field('refillPerSecond'), message: 'must be a finite number > 0' });
  }
  if (issues.length > 0) {
    throw new ConfigError(`Invalid rate limit: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, issues);
  }
}

/**
 * Creates a clock-driven {@link TokenBucket}. Waiters reserve a token up front (the count
 * goes negative), so concurrent callers are served in arrival order without polling.
 */
export function createTokenBucket(options: TokenBucketOptions): TokenBucket {
  validateTokenBucketOptions(options);
  const { capacity, refillPerSecond } = options;
  const clock = options.clock ?? systemClock;
  let tokens = capacity;
  let updatedAt = clock.now();

  const refill = () => {
    const now = clock.now();
    if (now > updatedAt) tokens = Math.min(capacity, tokens + ((now - updatedAt) * refillPerSecond) / 1000);
    // A clock set backwards must not mint tokens later; restart the window from now.
    updatedAt = now;
  };

  return {
    take(signal) {
      if (signal?.aborted) return Promise.reject(abortReason(signal));
      refill();
      tokens -= 1;
      if (tokens >= 0) return Promise.resolve();
      const waitMs = Math.ceil((-tokens * 1000) / refillPerSecond);
      return clock.sleep(waitMs, signal).catch((error: unknown) => {
        tokens += 1;
        throw error;
      });
    },
    tryTake() {
      refill();
      if (tokens < 1) return false;
      tokens -= 1;
      return true;
    },
    available() {
      refill();
      return tokens;
    },
  };
}

/** Buckets kept per key before the least recently created is dropped; bounds memory for unbounded keys. */
const MAX_BUCKETS = 10_000;

/** A set of token buckets keyed by string, created on first use. */
export interface KeyedTokenBuckets {
  /** Takes a token from the bucket of `key`. */
  take(key: string, signal?: AbortSignal): Promise<void>;
}

/** Creates {@link KeyedTokenBuckets} sharing one configuration. */
export function createKeyedTokenBuckets(options: TokenBucketOptions): KeyedTokenBuckets {
  validateTokenBucketOptions(options);
  const buckets = new Map<string, TokenBucket>();
  return {
    take(key, signal) {
      let bucket = buckets.get(key);
      if (bucket === undefined) {
        if (buckets.size >= MAX_BUCKETS) {
          const oldest = buckets.keys().next();
          if (!oldest.done) buckets.delete(oldest.value);
        }
        bucket = createTokenBucket(options);
        buckets.set(key, bucket);
      }
      return bucket.take(signal);
    },
  };
}
