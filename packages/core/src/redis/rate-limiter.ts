import { abortReason } from '../clock';
import type { RateLimitDecision, RateLimiter, RateLimiterSettings } from '../ratelimit/types';
import { assertRateLimiterSettings, checkTake } from '../ratelimit/validate';
import type { RedisCommandClient } from './client';
import { assertClient, checkPrefix, defineScript } from './command';

/** Options of {@link createRedisRateLimiter}. */
export interface RedisRateLimiterOptions extends RateLimiterSettings {
  /** A connected client, e.g. from `createRedisClient`. */
  client: RedisCommandClient;
  /** Prefix of every bucket key. Default `almanac:ratelimit:`. */
  prefix?: string | undefined;
}

// The whole bucket update runs inside Redis, so concurrent takes from any number of instances
// are serialised by the server, and time is the server's (TIME), so instances with skewed
// clocks share one refill. Tokens are stored as a decimal string to keep fractions exact
// enough (Lua numbers returned to Redis would be truncated to integers). A clock that steps
// back never mints tokens: the refill only moves forward.
const TAKE = defineScript(`
local capacity = tonumber(ARGV[1])
local per_ms = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1])
local at = tonumber(state[2])
if tokens == nil or at == nil then
  tokens = capacity
  at = now
end
if now > at then
  tokens = math.min(capacity, tokens + (now - at) * per_ms)
  at = now
end
local granted = 0
local retry = 0
if tokens >= cost then
  tokens = tokens - cost
  granted = 1
else
  retry = math.ceil((cost - tokens) / per_ms)
end
redis.call('HSET', KEYS[1], 'tokens', string.format('%.6f', tokens), 'at', string.format('%d', at))
redis.call('PEXPIRE', KEYS[1], math.ceil(capacity / per_ms) + 1000)
return {granted, retry, math.floor(tokens)}
`);

/**
 * Creates a {@link RateLimiter} whose buckets live in Redis, shared by every instance with
 * the same prefix: each `take` is one Lua script run atomically by the server on the server's
 * clock. Idle buckets expire once they would be full again.
 *
 * When Redis is unreachable `take` rejects with a retryable `ProviderError` (fails closed):
 * a caller that prefers availability over the limit catches it and proceeds.
 */
export function createRedisRateLimiter(options: RedisRateLimiterOptions): RateLimiter {
  assertRateLimiterSettings(options);
  assertClient(options.client);
  const { client, capacity, refillPerSecond } = options;
  const prefix = checkPrefix(options.prefix, 'almanac:ratelimit:');
  const settings = [String(capacity), String(refillPerSecond / 1000)];
  return {
    async take(key, takeOptions = {}): Promise<RateLimitDecision> {
      const cost = checkTake(key, takeOptions.cost, capacity);
      const { signal } = takeOptions;
      if (signal?.aborted) throw abortReason(signal);
      const reply = (await TAKE.run(client, [prefix + key], [...settings, String(cost)], 'rateLimiter.take', signal)) as [number, number, number];
      return { granted: Number(reply[0]) === 1, retryAfterMs: Number(reply[1]), remaining: Number(reply[2]) };
    },
  };
}
