/**
 * Shared state on Redis, behind core's own interfaces so nothing above changes when an
 * application runs more than one instance: {@link createRedisCache} (`Cache`, single-flight
 * loads across instances), {@link createRedisSeenIdStore} (`SeenIdStore`, exactly-once webhook
 * dispatch), {@link createRedisRateLimiter} (`RateLimiter`, one atomic Lua token bucket),
 * {@link createRedisTokenStore} (`TokenStore`, vault-encrypted values) and
 * {@link createRedisLock} (`Lock`, fencing tokens). Each takes any client with `sendCommand`;
 * {@link createRedisClient} connects node-redis (the optional peer `redis`, loaded on first call)
 * with the offline queue off and reconnect backoff on.
 *
 * @packageDocumentation
 */
export type { RedisCommandClient } from './client';
export { createRedisClient } from './connect';
export type { RedisClientOptions, RedisConnection } from './connect';
export { createRedisCache } from './cache';
export type { RedisCacheOptions } from './cache';
export { createRedisSeenIdStore } from './seen-id-store';
export type { RedisSeenIdStoreOptions } from './seen-id-store';
export { createRedisRateLimiter } from './rate-limiter';
export type { RedisRateLimiterOptions } from './rate-limiter';
export { createRedisTokenStore } from './token-store';
export type { RedisTokenStoreOptions } from './token-store';
export { createRedisLock } from './lock';
export type { RedisLockOptions } from './lock';
