export type { Cache, CacheLoader, CacheSetOptions, GetOrLoadOptions } from './types';
export { createMemoryCache } from './memory-cache';
export type { MemoryCacheOptions } from './memory-cache';
