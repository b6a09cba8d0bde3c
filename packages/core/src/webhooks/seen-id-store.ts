import { type Clock, systemClock } from '../clock';
import { RateLimitError, ValidationError } from '../errors';
import { throwIfAborted } from '../secrets/token-store';

/** Per-call options of a {@link SeenIdStore}. */
export interface SeenIdStoreCallOptions {
  /** Aborts the call. */
  signal?: AbortSignal | undefined;
}

/**
 * Remembers delivery ids for a limited time. Back it with something shared (e.g. Redis
 * `SET id 1 NX PX ttl`) when several processes receive the same webhooks.
 */
export interface SeenIdStore {
  /** Whether `id` was recorded and has not expired. */
  has(id: string, options?: SeenIdStoreCallOptions): Promise<boolean>;
  /**
   * Records `id` for `ttlMs` unless it is already recorded, resolving `true` only when
   * this call recorded it. Must be atomic: of two concurrent calls with one id, exactly
   * one may resolve `true`. This is what stops a replayed delivery racing the original.
   */
  add(id: string, ttlMs: number, options?: SeenIdStoreCallOptions): Promise<boolean>;
}

/** Options of {@link createMemorySeenIdStore}. */
export interface MemorySeenIdStoreOptions {
  /** Time source for expiry. Default {@link systemClock}. */
  clock?: Clock | undefined;
  /**
   * Most unexpired ids held. When full, `add` rejects with a retryable
   * {@link RateLimitError} rather than forgetting ids early, which would re-open replays.
   * Default 100 000.
   */
  maxEntries?: number | undefined;
}

const DEFAULT_MAX_ENTRIES = 100_000;
/** Below this size expired entries are left alone; sweeping tiny maps is wasted work. */
const MIN_SWEEP_SIZE = 1024;

/**
 * Creates an in-process {@link SeenIdStore}. Expired ids are swept whenever the map has
 * doubled since the last sweep, so memory stays proportional to the ids seen within
 * their TTL at amortised O(1) cost per `add`.
 */
export function createMemorySeenIdStore(options: MemorySeenIdStoreOptions = {}): SeenIdStore {
  const clock = options.clock ?? systemClock;
  const maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
  if (!Number.isSafeInteger(maxEntries) || maxEntries < 1) {
    throw new ValidationError(undefined, [{ path: 'maxEntries', message: 'must be a positive integer' }]);
  }
  const expiries = new Map<string, number>();
  let sweepAtSize = MIN_SWEEP_SIZE;

  const sweep = (now: number) => {
    for (const [id, expiresAt] of expiries) if (expiresAt <= now) expiries.delete(id);
    sweepAtSize = Math.max(MIN_SWEEP_SIZE, expiries.size * 2);
  };

  return {
    async has(id, callOptions) {
      assertId(id);
      throwIfAborted(callOptions?.signal);
      const expiresAt = expiries.get(id);
      return expiresAt !== undefined && expiresAt > clock.now();
    },
    async add(id, ttlMs, callOptions) {
      assertId(id);
      if (typeof ttlMs !== 'number' || !Number.isFinite(ttlMs) || ttlMs <= 0) {
        throw new ValidationError(undefined, [{ path: 'ttlMs', message: 'must be a positive number of milliseconds' }]);
      }
      throwIfAborted(callOptions?.signal);
      // No await between the lookup and the insert: that is what makes this atomic.
      const now = clock.now();
      const expiresAt = expiries.get(id);
      if (expiresAt !== undefined && expiresAt > now) return false;
      if (expiries.size >= sweepAtSize || expiries.size >= maxEntries) sweep(now);
      if (!expiries.has(id) && expiries.size >= maxEntries) {
        throw new RateLimitError(`Seen-id store is full (${maxEntries} unexpired ids); raise maxEntries or use a shared store`, {
          operation: 'seenIds.add',
        });
      }
      expiries.set(id, now + ttlMs);
      return true;
    },
  };
}

function assertId(id: unknown): asserts id is string {
  if (typeof id !== 'string' || id.length === 0) {
    throw new ValidationError(undefined, [{ path: 'id', message: 'must be a non-empty string' }]);
  }
}
