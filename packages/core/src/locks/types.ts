/** Options of {@link Lock.acquire}. */
export interface LockAcquireOptions {
  /**
   * How long the lock is held at most, in milliseconds, should the holder never release it
   * (a crashed process). Pick it longer than the work it guards: once it lapses another
   * caller may acquire the lock, and only the fencing token tells the two apart.
   */
  ttlMs: number;
  /** Stops waiting for the lock (rejects with the abort reason). Without it, `acquire` waits as long as it takes. */
  signal?: AbortSignal | undefined;
}

/** A held lock. */
export interface LockLease {
  /**
   * Fencing token: strictly greater than the token of every earlier acquisition of the
   * same key. Pass it to the resource the lock guards and have it refuse writes carrying a
   * smaller token than one it has seen, so a holder whose lease lapsed cannot clobber the
   * work of the next one.
   */
  readonly token: number;
  /** Releases the lock if this lease still holds it; resolves `false` when it had already lapsed or been taken over. */
  release(): Promise<boolean>;
}

/**
 * A mutual-exclusion lock keyed by string, with expiring leases and fencing tokens. The
 * in-process one serialises callers in one process; `createRedisLock` from
 * `@almanac/core/redis` serialises them across instances (single-flight token refresh).
 */
export interface Lock {
  /** Waits until `key` is free, then holds it for at most `ttlMs`. */
  acquire(key: string, options: LockAcquireOptions): Promise<LockLease>;
}
