/** Options of {@link Cache.set}. */
export interface CacheSetOptions {
  /** Lifetime of the entry in milliseconds; the cache's default when omitted. */
  ttlMs?: number | undefined;
}

/** Options of {@link Cache.getOrLoad}. */
export interface GetOrLoadOptions extends CacheSetOptions {
  /** Stops this caller waiting; the shared load is aborted only once every waiter has left. */
  signal?: AbortSignal | undefined;
}

/**
 * Produces the value for a missing key. The signal aborts when every caller waiting
 * on this load has given up, so the loader can cancel its request.
 */
export type CacheLoader<V> = (signal: AbortSignal) => Promise<V>;

/**
 * A key-value cache with expiry and explicit invalidation. Every method is async so a
 * Redis-like store can implement the same interface as the in-memory one.
 * Values may be anything except `undefined`, which means "not cached".
 */
export interface Cache<V> {
  /** The cached value, or `undefined` when absent or expired. */
  get(key: string): Promise<V | undefined>;
  /** Stores `value`, replacing any entry and superseding any load in flight for `key`. */
  set(key: string, value: V, options?: CacheSetOptions): Promise<void>;
  /** Removes `key`; resolves whether an entry was removed. A load in flight for it is not stored. */
  delete(key: string): Promise<boolean>;
  /** Removes every key starting with `prefix` (a literal prefix, not a pattern); resolves how many. */
  deletePrefix(prefix: string): Promise<number>;
  /** Removes everything. */
  clear(): Promise<void>;
  /**
   * The cached value, or the loader's result, stored for next time. Concurrent callers
   * for one key share a single load (the `ttlMs` of the caller that started it applies);
   * a failed load is not cached and rejects every waiter.
   */
  getOrLoad(key: string, loader: CacheLoader<V>, options?: GetOrLoadOptions): Promise<V>;
}
