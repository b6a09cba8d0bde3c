import { randomUUID } from 'node:crypto';
import type { CacheLoader, CacheSetOptions, GetOrLoadOptions } from '../cache/types';
import type { Cache } from '../cache/types';
import { abortReason, systemClock } from '../clock';
import type { Clock } from '../clock';
import { AlmanacError } from '../errors';
import { silentLogger } from '../logger/types';
import type { Logger } from '../logger/types';
import type { RedisCommandClient } from './client';
import { assertClient, checkPrefix, defineScript, redisCommand, scanPrefix } from './command';
import { checkKey, checkTtl, invalid } from '../cache/checks';

/** Options of {@link createRedisCache}. */
export interface RedisCacheOptions {
  /** A connected client, e.g. from `createRedisClient`. */
  client: RedisCommandClient;
  /** Prefix of every key this cache writes; `deletePrefix` and `clear` stay inside it. Default `almanac:cache:`. */
  prefix?: string | undefined;
  /** Lifetime of entries set without `ttlMs`, in milliseconds. Default: no expiry. */
  defaultTtlMs?: number | undefined;
  /**
   * How long one instance may hold the load lock of a key, in milliseconds. Other instances
   * wait for its value up to this long, then load themselves. Default 10 000.
   */
  loadLockTtlMs?: number | undefined;
  /** Told (at warn level) when Redis fails and the cache falls back to loading directly. */
  logger?: Logger | undefined;
  /** Clock of the waits for another instance's load. Default {@link systemClock}. */
  clock?: Clock | undefined;
}

interface Flight<V> {
  promise: Promise<V>;
  controller: AbortController;
  waiters: number;
  settled: boolean;
}

const RELEASE = defineScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`);

/**
 * Creates a {@link Cache} in Redis shared by every instance on the same prefix. Values are
 * stored as JSON (so they must be JSON-serialisable; `null` is cached). `getOrLoad` is
 * single-flight across instances: the first caller takes a short lock on the key (`SET NX
 * PX`) and loads; the others, in any process, wait for its value instead of loading too.
 *
 * Fails open for reads: when Redis is unreachable `get` resolves `undefined` and `getOrLoad`
 * calls the loader directly (both logged at warn level), so an outage costs load, not
 * availability. Writes and invalidations (`set`, `delete`, `deletePrefix`, `clear`) reject
 * with a retryable `ProviderError`: silently failing to invalidate would serve stale values.
 */
export function createRedisCache<V>(options: RedisCacheOptions): Cache<V> {
  assertClient(options?.client);
  const { client } = options;
  const prefix = checkPrefix(options.prefix, 'almanac:cache:');
  const valuePrefix = `${prefix}v:`;
  const lockPrefix = `${prefix}l:`;
  const defaultTtlMs = options.defaultTtlMs === undefined ? undefined : checkTtl(options.defaultTtlMs, 'options.defaultTtlMs');
  const lockTtlMs = options.loadLockTtlMs ?? 10_000;
  if (!Number.isSafeInteger(lockTtlMs) || lockTtlMs < 1) invalid('options.loadLockTtlMs', 'must be a positive integer');
  const logger = options.logger ?? silentLogger;
  const clock = options.clock ?? systemClock;
  const flights = new Map<string, Flight<V>>();

  const warn = (operation: string, error: unknown) =>
    logger.warn('redis cache unavailable, falling back', {
      provider: 'redis',
      operation,
      error: AlmanacError.isInstance(error) ? error.message : 'unknown error',
    });

  const read = async (key: string, signal?: AbortSignal): Promise<V | undefined> => {
    const raw = await redisCommand(client, ['GET', valuePrefix + key], 'cache.get', signal);
    if (raw === null || raw === undefined) return undefined;
    return (JSON.parse(String(raw)) as { v: V }).v;
  };

  const write = async (key: string, value: V, ttlMs: number | undefined, signal?: AbortSignal) => {
    const json = JSON.stringify({ v: value });
    if (json === undefined) invalid('value', 'must be JSON-serialisable');
    const args = ['SET', valuePrefix + key, json];
    if (ttlMs !== undefined) args.push('PX', String(Math.ceil(ttlMs)));
    await redisCommand(client, args, 'cache.set', signal);
  };

  const ttlFor = (ttlMs: number | undefined) => (ttlMs === undefined ? defaultTtlMs : checkTtl(ttlMs, 'options.ttlMs'));

  const loadShared = async (key: string, loader: CacheLoader<V>, ttlMs: number | undefined, signal: AbortSignal): Promise<V> => {
    const owner = randomUUID();
    const lockKey = lockPrefix + key;
    const started = clock.now();
    let redisUp = true;
    try {
      for (let attempt = 0; ; attempt++) {
        const hit = await read(key, signal);
        if (hit !== undefined) return hit;
        if ((await redisCommand(client, ['SET', lockKey, owner, 'NX', 'PX', String(lockTtlMs)], 'cache.lock', signal)) === 'OK') break;
        // Another instance is loading: wait for its value, but not longer than its lock lasts.
        if (clock.now() - started >= lockTtlMs) break;
        await clock.sleep(Math.min(100, 5 * 2 ** Math.min(attempt, 5)), signal);
      }
    } catch (error) {
      if (signal.aborted) throw abortReason(signal);
      warn('cache.getOrLoad', error);
      redisUp = false;
    }
    try {
      const value = await loader(signal);
      if (value === undefined) invalid('loader', 'resolved undefined; cache values cannot be undefined (use null)');
      if (redisUp) await write(key, value, ttlMs, signal).catch((error: unknown) => warn('cache.set', error));
      return value;
    } finally {
      if (redisUp) await RELEASE.run(client, [lockKey], [owner], 'cache.unlock').catch(() => undefined);
    }
  };

  const wait = async (key: string, flight: Flight<V>, signal: AbortSignal | undefined): Promise<V> => {
    flight.waiters++;
    let onAbort: (() => void) | undefined;
    try {
      if (!signal) return await flight.promise;
      return await new Promise<V>((resolve, reject) => {
        onAbort = () => reject(abortReason(signal));
        signal.addEventListener('abort', onAbort, { once: true });
        flight.promise.then(resolve, reject);
      });
    } finally {
      if (onAbort) signal?.removeEventListener('abort', onAbort);
      flight.waiters--;
      // The last local waiter gave up: stop the shared load.
      if (signal?.aborted && flight.waiters === 0 && !flight.settled) {
        if (flights.get(key) === flight) flights.delete(key);
        flight.controller.abort(abortReason(signal));
      }
    }
  };

  return {
    async get(key) {
      checkKey(key);
      try {
        return await read(key);
      } catch (error) {
        warn('cache.get', error);
        return undefined;
      }
    },
    async set(key, value, setOptions: CacheSetOptions = {}) {
      checkKey(key);
      if (value === undefined) invalid('value', 'cannot be undefined (use null)');
      await write(key, value, ttlFor(setOptions.ttlMs));
    },
    async delete(key) {
      checkKey(key);
      return (await redisCommand(client, ['DEL', valuePrefix + key], 'cache.delete')) === 1;
    },
    async deletePrefix(keyPrefix) {
      if (typeof keyPrefix !== 'string' || keyPrefix === '') invalid('prefix', 'must be a non-empty string (use clear() to remove everything)');
      return removeMatching(client, valuePrefix + keyPrefix);
    },
    async clear() {
      await removeMatching(client, valuePrefix);
    },
    async getOrLoad(key, loader, loadOptions: GetOrLoadOptions = {}) {
      checkKey(key);
      if (typeof loader !== 'function') invalid('loader', 'must be a function');
      const ttlMs = ttlFor(loadOptions.ttlMs);
      const { signal } = loadOptions;
      if (signal?.aborted) throw abortReason(signal);
      let flight = flights.get(key);
      if (!flight) {
        const controller = new AbortController();
        const created: Flight<V> = {
          controller,
          waiters: 0,
          settled: false,
          promise: loadShared(key, loader, ttlMs, controller.signal).finally(() => {
            created.settled = true;
            if (flights.get(key) === created) flights.delete(key);
          }),
        };
        created.promise.catch(() => undefined);
        flights.set(key, created);
        flight = created;
      }
      return wait(key, flight, signal);
    },
  };
}

async function removeMatching(client: RedisCommandClient, prefix: string): Promise<number> {
  const keys = await scanPrefix(client, prefix, 'cache.deletePrefix');
  let removed = 0;
  for (let i = 0; i < keys.length; i += 500) {
    removed += Number(await redisCommand(client, ['UNLINK', ...keys.slice(i, i + 500)], 'cache.deletePrefix'));
  }
  return removed;
}
