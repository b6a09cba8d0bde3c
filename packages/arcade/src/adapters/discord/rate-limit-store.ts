/** What a bucket looks like after a response: `remaining` calls until `resetAt` (epoch ms). */
export interface DiscordBucketState {
  /** Calls left in the window. */
  readonly remaining: number;
  /** When the window resets, epoch ms. */
  readonly resetAt: number;
}

/**
 * Where the Discord client keeps per-route rate-limit state, so several processes sharing one
 * bot token can share it (implement it over Redis; the in-memory one is the default). Every
 * method may be async; `reserve` must be atomic per key (e.g. a Lua script).
 */
export interface DiscordRateLimitStore {
  /** The bucket hash Discord reported for a route key (`X-RateLimit-Bucket`), if known. */
  bucketFor(route: string): Promise<string | undefined>;
  /** Remembers a route's bucket hash. */
  rememberBucket(route: string, bucket: string): Promise<void>;
  /**
   * Takes one call from `key`'s window: resolves 0 when the call may go now (and counts it),
   * or how many ms to wait before asking again. An unknown key may always go.
   */
  reserve(key: string, nowMs: number): Promise<number>;
  /** Records the state a response reported for `key`. */
  update(key: string, state: DiscordBucketState): Promise<void>;
  /** Blocks every call until `untilMs` (after a global 429). */
  blockGlobally(untilMs: number): Promise<void>;
  /** Until when calls are globally blocked (0 when not). */
  globalBlockedUntil(): Promise<number>;
  /** Counts one invalid request (401, 403, 429 not of `shared` scope) and resolves the count in the current 10-minute window. */
  countInvalid(nowMs: number): Promise<number>;
}

/**
 * The shape of a keyed, non-waiting rate limiter (structurally the same as `@almanac/core`'s
 * `RateLimiter`, so a shared Redis limiter from core plugs in). Used for Discord's global 50/s.
 */
export interface DiscordGlobalLimiter {
  /** Takes `cost` tokens from `key`'s bucket if it has them now. */
  take(key: string, options?: { cost?: number | undefined; signal?: AbortSignal | undefined }): Promise<DiscordLimiterDecision>;
}

/** A {@link DiscordGlobalLimiter} answer (the shape of core's `RateLimitDecision`). */
export interface DiscordLimiterDecision {
  /** Whether the tokens were taken. */
  readonly granted: boolean;
  /** When denied, ms until enough tokens refill; 0 when granted. */
  readonly retryAfterMs: number;
  /** Whole tokens left. */
  readonly remaining: number;
}

const INVALID_WINDOW_MS = 10 * 60_000;

/** Creates the in-process {@link DiscordRateLimitStore}. */
export function createMemoryDiscordRateLimitStore(): DiscordRateLimitStore {
  const buckets = new Map<string, string>();
  const states = new Map<string, { remaining: number; resetAt: number }>();
  let globalUntil = 0;
  let invalidWindowStart = 0;
  let invalidCount = 0;
  return {
    async bucketFor(route) {
      return buckets.get(route);
    },
    async rememberBucket(route, bucket) {
      buckets.set(route, bucket);
    },
    async reserve(key, nowMs) {
      const state = states.get(key);
      if (!state) return 0;
      if (state.resetAt <= nowMs) {
        states.delete(key);
        return 0;
      }
      if (state.remaining > 0) {
        state.remaining -= 1;
        return 0;
      }
      return state.resetAt - nowMs;
    },
    async update(key, state) {
      states.set(key, { remaining: state.remaining, resetAt: state.resetAt });
    },
    async blockGlobally(untilMs) {
      globalUntil = Math.max(globalUntil, untilMs);
    },
    async globalBlockedUntil() {
      return globalUntil;
    },
    async countInvalid(nowMs) {
      if (nowMs - invalidWindowStart >= INVALID_WINDOW_MS) {
        invalidWindowStart = nowMs;
        invalidCount = 0;
      }
      invalidCount += 1;
      return invalidCount;
    },
  };
}

/** Creates an in-process {@link DiscordGlobalLimiter}: a token bucket per key on `now`. */
export function createMemoryDiscordGlobalLimiter(settings: { capacity: number; refillPerSecond: number }, now: () => number): DiscordGlobalLimiter {
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    async take(key, options) {
      const cost = options?.cost ?? 1;
      const t = now();
      const bucket = buckets.get(key) ?? { tokens: settings.capacity, at: t };
      bucket.tokens = Math.min(settings.capacity, bucket.tokens + (Math.max(0, t - bucket.at) * settings.refillPerSecond) / 1000);
      bucket.at = t;
      buckets.set(key, bucket);
      if (bucket.tokens >= cost) {
        bucket.tokens -= cost;
        return { granted: true, retryAfterMs: 0, remaining: Math.floor(bucket.tokens) };
      }
      return { granted: false, retryAfterMs: Math.ceil(((cost - bucket.tokens) * 1000) / settings.refillPerSecond), remaining: Math.floor(bucket.tokens) };
    },
  };
}
