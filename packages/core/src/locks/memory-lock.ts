import { abortReason, systemClock } from '../clock';
import type { Clock } from '../clock';
import { ValidationError } from '../errors';
import type { Lock, LockLease } from './types';
import { checkAcquire } from './validate';

/** Options of {@link createMemoryLock}. */
export interface MemoryLockOptions {
  /** Time source for lease expiry and the wait between attempts. Default {@link systemClock}. */
  clock?: Clock | undefined;
}

interface Holder {
  token: number;
  expiresAt: number;
}

interface Waiter {
  wake: () => void;
}

/**
 * Creates an in-process {@link Lock}. Waiters are woken in arrival order when the holder
 * releases; a lease that lapses (its holder never released) is taken over by the next
 * caller, who gets a higher fencing token. Fencing tokens count per key from 1.
 */
export function createMemoryLock(options: MemoryLockOptions = {}): Lock {
  const clock = options.clock ?? systemClock;
  if (typeof clock?.now !== 'function' || typeof clock.sleep !== 'function') {
    throw new ValidationError(undefined, [{ path: 'options.clock', message: 'must have now() and sleep()' }]);
  }
  const holders = new Map<string, Holder>();
  const counters = new Map<string, number>();
  const waiters = new Map<string, Waiter[]>();

  const wakeNext = (key: string) => {
    const queue = waiters.get(key);
    const next = queue?.shift();
    if (queue && queue.length === 0) waiters.delete(key);
    next?.wake();
  };

  const tryTake = (key: string, ttlMs: number): LockLease | undefined => {
    const now = clock.now();
    const current = holders.get(key);
    if (current && current.expiresAt > now) return undefined;
    const token = (counters.get(key) ?? 0) + 1;
    counters.set(key, token);
    const holder: Holder = { token, expiresAt: now + ttlMs };
    holders.set(key, holder);
    return {
      token,
      async release() {
        const held = holders.get(key) === holder && holder.expiresAt > clock.now();
        if (holders.get(key) === holder) holders.delete(key);
        wakeNext(key);
        return held;
      },
    };
  };

  return {
    async acquire(key, acquireOptions) {
      checkAcquire(key, acquireOptions);
      const { ttlMs, signal } = acquireOptions;
      for (;;) {
        if (signal?.aborted) {
          // This waiter may have been the one woken by a release: pass the turn on.
          if (!holders.has(key)) wakeNext(key);
          throw abortReason(signal);
        }
        const lease = tryTake(key, ttlMs);
        if (lease) return lease;
        const holder = holders.get(key) as Holder;
        // Sleep until the lease lapses or the holder releases, whichever comes first.
        const controller = new AbortController();
        const waiter: Waiter = { wake: () => controller.abort() };
        const queue = waiters.get(key) ?? [];
        queue.push(waiter);
        waiters.set(key, queue);
        const onAbort = () => controller.abort();
        signal?.addEventListener('abort', onAbort, { once: true });
        try {
          await clock.sleep(Math.max(1, holder.expiresAt - clock.now()), controller.signal);
        } catch {
          // Woken by a release or by the caller's signal: the loop tells which.
        } finally {
          signal?.removeEventListener('abort', onAbort);
          const index = queue.indexOf(waiter);
          if (index >= 0) queue.splice(index, 1);
          if (queue.length === 0 && waiters.get(key) === queue) waiters.delete(key);
        }
      }
    },
  };
}
