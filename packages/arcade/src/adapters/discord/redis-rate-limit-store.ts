import { createHash } from 'node:crypto';
import { AlmanacError, ConfigError, ProviderError } from '@almanac/core';
import type { RedisCommandClient } from '@almanac/core/redis';
import type { DiscordBucketState, DiscordRateLimitStore } from './rate-limit-store';

/** Options of {@link createRedisDiscordRateLimitStore}. */
export interface RedisDiscordRateLimitStoreOptions {
  /**
   * A connected client: `createRedisClient` from `@almanac/core/redis` (node-redis, the optional
   * peer `redis`, loaded only when that is called) or anything with `sendCommand`.
   */
  client: RedisCommandClient;
  /** Prefix of every key; processes sharing one bot token use the same one. Default `almanac:discord:`. */
  prefix?: string | undefined;
}

// Bucket hashes and bucket states outlive a window only to be reused; an hour bounds the keys a
// bot leaves behind. Expiry is relative (PEXPIRE), so it does not depend on whose clock is right.
const STATE_TTL_MS = 3_600_000;
const INVALID_WINDOW_MS = 10 * 60_000;

// One call from the bucket, atomically: the same decision as the in-memory store, made by the
// server so any number of processes share one count. ARGV[1] is the caller's clock (the store
// interface passes it; every process of one bot uses the same time source in practice).
const RESERVE = `
local s = redis.call('HMGET', KEYS[1], 'remaining', 'reset')
local remaining = tonumber(s[1])
local reset = tonumber(s[2])
local now = tonumber(ARGV[1])
if remaining == nil or reset == nil then return 0 end
if reset <= now then
  redis.call('DEL', KEYS[1])
  return 0
end
if remaining > 0 then
  redis.call('HINCRBY', KEYS[1], 'remaining', -1)
  return 0
end
return reset - now
`;

const BLOCK = `
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if tonumber(ARGV[1]) > current then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) end
return 1
`;

const COUNT_INVALID = `
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local start = tonumber(redis.call('HGET', KEYS[1], 'start') or '-1')
if start < 0 or now - start >= window then redis.call('HSET', KEYS[1], 'start', ARGV[1], 'count', '0') end
local count = redis.call('HINCRBY', KEYS[1], 'count', 1)
redis.call('PEXPIRE', KEYS[1], window * 2)
return count
`;

interface Script {
  readonly source: string;
  readonly sha: string;
}
const script = (source: string): Script => ({ source, sha: createHash('sha1').update(source).digest('hex') });
const SCRIPTS = { reserve: script(RESERVE), block: script(BLOCK), countInvalid: script(COUNT_INVALID) };

/**
 * Creates a {@link DiscordRateLimitStore} on Redis, so every process using one bot token shares
 * the per-route buckets, the global block after a global 429 and the invalid-request count
 * (https://discord.com/developers/docs/topics/rate-limits). `reserve`, the global block and the
 * invalid count are Lua scripts, atomic on the server. Pair it with core's
 * `createRedisRateLimiter` as the client's `globalLimiter` to share the 50/s global limit too.
 *
 * This module imports no Redis SDK: it takes a client. A Redis failure rejects with a retryable
 * `ProviderError` (provider `redis`), which fails the Discord call rather than skipping the limit.
 */
export function createRedisDiscordRateLimitStore(options: RedisDiscordRateLimitStoreOptions): DiscordRateLimitStore {
  const client = options?.client;
  if (typeof client?.sendCommand !== 'function') {
    throw new ConfigError('client must be a Redis client with sendCommand (e.g. from createRedisClient)', [{ path: 'client', message: 'must be a Redis client with sendCommand' }]);
  }
  const prefix = options.prefix ?? 'almanac:discord:';
  if (typeof prefix !== 'string' || prefix.length === 0 || prefix.length > 200) {
    throw new ConfigError('prefix must be 1-200 characters', [{ path: 'prefix', message: 'must be 1-200 characters' }]);
  }
  const routeKey = (route: string) => `${prefix}route:${route}`;
  const bucketKey = (key: string) => `${prefix}bucket:${key}`;
  const globalKey = `${prefix}global`;
  const invalidKey = `${prefix}invalid`;

  const send = async (args: string[], operation: string): Promise<unknown> => {
    try {
      return await client.sendCommand(args);
    } catch (error) {
      if (AlmanacError.isInstance(error)) throw error;
      // Redis replies name the problem, never the values sent; keep the first line only.
      const detail = (error instanceof Error ? error.message : String(error)).split('\n')[0]?.slice(0, 200);
      throw new ProviderError(`Redis ${operation} failed: ${detail}`, { provider: 'redis', operation, retryable: true, cause: error });
    }
  };
  const evaluate = async (s: Script, key: string, args: string[], operation: string): Promise<unknown> => {
    try {
      return await send(['EVALSHA', s.sha, '1', key, ...args], operation);
    } catch (error) {
      // After a restart or SCRIPT FLUSH the script cache is empty: EVAL loads it again.
      if (!/NOSCRIPT/.test(String((error as { cause?: { message?: unknown } | undefined }).cause?.message))) throw error;
      return send(['EVAL', s.source, '1', key, ...args], operation);
    }
  };
  const int = (value: number) => String(Math.floor(value));

  return {
    async bucketFor(route) {
      const value = await send(['GET', routeKey(route)], 'discordRateLimit.bucketFor');
      return typeof value === 'string' ? value : undefined;
    },
    async rememberBucket(route, bucket) {
      await send(['SET', routeKey(route), bucket, 'PX', String(STATE_TTL_MS)], 'discordRateLimit.rememberBucket');
    },
    async reserve(key, nowMs) {
      return Number(await evaluate(SCRIPTS.reserve, bucketKey(key), [int(nowMs)], 'discordRateLimit.reserve'));
    },
    async update(key, state: DiscordBucketState) {
      const k = bucketKey(key);
      await send(['HSET', k, 'remaining', int(state.remaining), 'reset', int(state.resetAt)], 'discordRateLimit.update');
      await send(['PEXPIRE', k, String(STATE_TTL_MS)], 'discordRateLimit.update');
    },
    async blockGlobally(untilMs) {
      await evaluate(SCRIPTS.block, globalKey, [int(untilMs), String(STATE_TTL_MS)], 'discordRateLimit.blockGlobally');
    },
    async globalBlockedUntil() {
      const value = await send(['GET', globalKey], 'discordRateLimit.globalBlockedUntil');
      return typeof value === 'string' ? Number(value) || 0 : 0;
    },
    async countInvalid(nowMs) {
      return Number(await evaluate(SCRIPTS.countInvalid, invalidKey, [int(nowMs), String(INVALID_WINDOW_MS)], 'discordRateLimit.countInvalid'));
    },
  };
}
