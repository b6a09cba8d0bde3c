import { randomUUID } from 'node:crypto';
import { abortReason, systemClock } from '../clock';
import type { Clock } from '../clock';
import { ValidationError } from '../errors';
import type { Lock, LockLease } from '../locks/types';
import { checkAcquire } from '../locks/validate';
import { cryptoRandom } from '../retry/policy';
import type { RedisCommandClient } from './client';
import { assertClient, checkPrefix, defineScript } from './command';

/** Options of {@link createRedisLock}. */
export interface RedisLockOptions {
  /** A connected client, e.g. from `createRedisClient`. */
  client: RedisCommandClient;
  /** Prefix of the lock and fencing-counter keys. Default `almanac:lock:`. */
  prefix?: string | undefined;
  /** Longest wait between attempts while the lock is held elsewhere, in milliseconds; waits start at 5 ms and double, with jitter. Default 200. */
  maxRetryDelayMs?: number | undefined;
  /** Clock of the waits between attempts. Default {@link systemClock}. */
  clock?: Clock | undefined;
}

// Take the lock and draw the fencing token in one step, so a token is only ever issued to
// the holder, and tokens of one key only grow (INCR on a counter that never expires).
const ACQUIRE = defineScript(`
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  return redis.call('INCR', KEYS[2])
end
return 0
`);

// Delete only our own lease: after it lapsed, the key may belong to the next holder.
const RELEASE = defineScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`);

/**
 * Creates a {@link Lock} shared by every instance on the same Redis and prefix: a lease is a
 * key set with `NX PX` holding a random owner id, and the fencing token comes from `INCR` on a
 * per-key counter in the same script. Waiters poll with jittered backoff; release deletes the
 * key only if this lease still owns it.
 *
 * When Redis is unreachable `acquire` rejects with a retryable `ProviderError` (fails closed:
 * the work it guards does not run unguarded).
 */
export function createRedisLock(options: RedisLockOptions): Lock {
  assertClient(options?.client);
  const { client } = options;
  const prefix = checkPrefix(options.prefix, 'almanac:lock:');
  const clock = options.clock ?? systemClock;
  const maxDelay = options.maxRetryDelayMs ?? 200;
  if (!Number.isSafeInteger(maxDelay) || maxDelay < 1) {
    throw new ValidationError(undefined, [{ path: 'options.maxRetryDelayMs', message: 'must be a positive integer' }]);
  }
  return {
    async acquire(key, acquireOptions) {
      checkAcquire(key, acquireOptions);
      const { ttlMs, signal } = acquireOptions;
      const owner = randomUUID();
      const keys = [`${prefix}${key}`, `${prefix}fence:${key}`];
      for (let attempt = 0; ; attempt++) {
        if (signal?.aborted) throw abortReason(signal);
        const token = Number(await ACQUIRE.run(client, keys, [owner, String(ttlMs)], 'lock.acquire', signal));
        if (token > 0) return lease(client, keys[0] as string, owner, token);
        const ceiling = Math.min(maxDelay, 5 * 2 ** Math.min(attempt, 10));
        await clock.sleep(Math.max(1, Math.floor(ceiling / 2 + (cryptoRandom() * ceiling) / 2)), signal);
      }
    },
  };
}

function lease(client: RedisCommandClient, key: string, owner: string, token: number): LockLease {
  let released = false;
  return {
    token,
    async release() {
      if (released) return false;
      released = true;
      return Number(await RELEASE.run(client, [key], [owner], 'lock.release')) === 1;
    },
  };
}
