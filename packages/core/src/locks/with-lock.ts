import type { Lock, LockAcquireOptions, LockLease } from './types';

/**
 * Runs `work` while holding `key`, releasing the lock afterwards whether `work` succeeds or
 * throws. The lease is passed in so `work` can send its fencing token along with its writes.
 *
 * The pattern for single-flight token refresh across instances: acquire, re-read the token
 * store (another instance may have refreshed while this one waited), refresh only if it is
 * still stale, store, release.
 */
export async function withLock<T>(lock: Lock, key: string, options: LockAcquireOptions, work: (lease: LockLease) => Promise<T>): Promise<T> {
  const lease = await lock.acquire(key, options);
  try {
    return await work(lease);
  } finally {
    // A failed release (the store is unreachable) must not hide the work's own outcome;
    // the lease lapses by its TTL anyway.
    await lease.release().catch(() => false);
  }
}
