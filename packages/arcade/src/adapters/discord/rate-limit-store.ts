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
