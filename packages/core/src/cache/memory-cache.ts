import { LRUCache } from 'lru-cache';
import { abortReason, systemClock } from '../clock';
import type { Clock } from '../clock';
import type { Cache, CacheLoader, CacheSetOptions, GetOrLoadOptions } from './types';
import { checkKey, checkTtl, invalid } from './checks';

/** Options of {@link createMemoryCache}. */
export interface MemoryCacheOptions {
  /** Most entries kept; the least recently used is evicted beyond this. Default 1000. */
  maxEntries?: number | undefined;
  /** Lifetime of entries set without `ttlMs`, in milliseconds. Default: no expiry. */
  defaultTtlMs?: number | undefined;
  /** Time source for expiry; inject a manual clock in tests. Default {@link systemClock}. */
  clock?: Clock | undefined;
}

const DEFAULT_MAX_ENTRIES = 1000;

// Boxed so `null`, `0` and `false` are cacheable: lru-cache forbids nullish values.
interface Box<V> {
  value: V;
}

interface Flight<V> {
  promise: Promise<V>;
  controller: AbortController;
  waiters: number;
  settled: boolean;
  /** Invalidated while loading: the result is returned to waiters but not stored. */
  superseded: boolean;
}

/**
 * Creates an in-process LRU {@link Cache} with per-entry expiry, built on `lru-cache`.
 * Expiry reads the injected clock, so tests move time with a manual clock.
 */
export function createMemoryCache<V>(options: MemoryCacheOptions = {}): Cache<V> {
  if (typeof options !== 'object' || options === null) invalid('options', 'must be an object');
  const maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
  if (!Number.isInteger(maxEntries) || maxEntries < 1) invalid('options.maxEntries', 'must be a positive integer');
  const defaultTtlMs = options.defaultTtlMs === undefined ? undefined : checkTtl(options.defaultTtlMs, 'options.defaultTtlMs');
  const clock = options.clock ?? systemClock;
  if (typeof clock?.now !== 'function') invalid('options.clock', 'must have a now() method');

  const origin = clock.now();
  const lru = new LRUCache<string, Box<V>>({
    max: maxEntries,
    // lru-cache treats a start time of 0 as "no TTL", so keep injected time strictly positive.
    perf: { now: () => Math.max(1, clock.now() - origin + 1) },
    // The default debounces now() with a real timer, which a manual clock cannot move.
    ttlResolution: 0,
  });
  const flights = new Map<string, Flight<V>>();

  const ttlFor = (ttlMs: number | undefined): number =>
    ttlMs === undefined ? (defaultTtlMs ?? 0) : checkTtl(ttlMs, 'options.ttlMs');

  const supersede = (key: string, flight = flights.get(key)) => {
    if (!flight) return;
    flight.superseded = true;
    if (flights.get(key) === flight) flights.delete(key);
  };

  const startFlight = (key: string, loader: CacheLoader<V>, ttl: number): Flight<V> => {
    const controller = new AbortController();
    // The loader runs on a later microtask, after the flight is registered, so a
    // re-entrant call for the same key joins it instead of starting a second load.
    const load = async (): Promise<V> => {
      await Promise.resolve();
      try {
        const value = await loader(controller.signal);
        if (value === undefined) invalid('loader', 'resolved undefined; cache values cannot be undefined (use null)');
        if (!flight.superseded) lru.set(key, { value }, { ttl });
        return value;
      } finally {
        flight.settled = true;
        if (flights.get(key) === flight) flights.delete(key);
      }
    };
    const flight: Flight<V> = { promise: load(), controller, waiters: 0, settled: false, superseded: false };
    // Every waiter observes a rejection through its own await; this only stops an
    // unhandled-rejection report when all waiters have already aborted.
    flight.promise.catch(() => undefined);
    flights.set(key, flight);
    return flight;
  };

  const wait = async (key: string, flight: Flight<V>, signal: AbortSignal | undefined): Promise<V> => {
    flight.waiters++;
    let onAbort: (() => void) | undefined;
    try {
      if (!signal) return await flight.promise;
      return await new Promise<V>((resolve, reject) => {
        const leave = () => reject(abortReason(signal));
        onAbort = leave;
        signal.addEventListener('abort', leave, { once: true });
        flight.promise.then(resolve, reject);
      });
    } finally {
      if (onAbort) signal?.removeEventListener('abort', onAbort);
      flight.waiters--;
      // The last waiter gave up: cancel the shared load and let the next caller start afresh.
      if (signal?.aborted && flight.waiters === 0 && !flight.settled) {
        supersede(key, flight);
        flight.controller.abort(abortReason(signal));
      }
    }
  };

  return {
    async get(key) {
      checkKey(key);
      return lru.get(key)?.value;
    },
    async set(key, value, setOptions: CacheSetOptions = {}) {
      checkKey(key);
      if (value === undefined) invalid('value', 'cannot be undefined (use null)');
      const ttl = ttlFor(setOptions.ttlMs);
      supersede(key);
      lru.set(key, { value }, { ttl });
    },
    async delete(key) {
      checkKey(key);
      supersede(key);
      return lru.delete(key);
    },
    async deletePrefix(prefix) {
      if (typeof prefix !== 'string' || prefix === '') invalid('prefix', 'must be a non-empty string (use clear() to remove everything)');
      lru.purgeStale();
      const keys = [...lru.keys()].filter((key) => key.startsWith(prefix));
      for (const key of keys) lru.delete(key);
      for (const key of [...flights.keys()]) if (key.startsWith(prefix)) supersede(key);
      return keys.length;
    },
    async clear() {
      lru.clear();
      for (const key of [...flights.keys()]) supersede(key);
    },
    async getOrLoad(key, loader, loadOptions: GetOrLoadOptions = {}) {
      checkKey(key);
      if (typeof loader !== 'function') invalid('loader', 'must be a function');
      const ttl = ttlFor(loadOptions.ttlMs);
      const { signal } = loadOptions;
      if (signal?.aborted) throw abortReason(signal);
      const hit = lru.get(key);
      if (hit) return hit.value;
      const flight = flights.get(key) ?? startFlight(key, loader, ttl);
      return wait(key, flight, signal);
    },
  };
}
