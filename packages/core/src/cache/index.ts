/**
 * Caching: the `Cache` interface and an in-memory LRU + TTL cache with single-flight
 * `getOrLoad` and invalidation by key and by prefix.
 *
 * @packageDocumentation
 */
export type { Cache, CacheLoader, CacheSetOptions, GetOrLoadOptions } from './types';
export { createMemoryCache } from './memory-cache';
export type { MemoryCacheOptions } from './memory-cache';
