import { abortReason } from '@almanac/core';
import type { Clock } from '@almanac/core';
import type { ParsedFeed } from './feed';
import type { FeedLoader } from './load';

/** Hands out the parsed feed, loading it at most once per refresh interval. */
export interface FeedCache {
  /** The current feed; loads (or revalidates) it when older than the refresh interval. */
  get(signal: AbortSignal | undefined): Promise<ParsedFeed>;
}

/** Options of {@link createFeedCache}. */
export interface FeedCacheOptions {
  /** Fetches or reads the text. */
  readonly loader: FeedLoader;
  /** Turns text into a feed; throws for text that is not iCalendar. */
  readonly parse: (text: string) => ParsedFeed;
  /** Time source of the refresh interval. */
  readonly clock: Clock;
  /** How long a loaded feed is served before it is revalidated. */
  readonly refreshIntervalMs: number;
}

interface Entry {
  readonly feed: ParsedFeed;
  readonly validator: string | undefined;
  loadedAt: number;
}

interface Inflight {
  readonly promise: Promise<ParsedFeed>;
  readonly controller: AbortController;
  waiters: number;
}

/**
 * Caches the parsed feed. Concurrent callers share one load (a split free/busy request
 * would otherwise fetch the feed once per chunk); the load is aborted only when every
 * caller waiting for it has aborted. Failed loads are not cached: the next call retries.
 */
export function createFeedCache(options: FeedCacheOptions): FeedCache {
  const { loader, parse, clock, refreshIntervalMs } = options;
  let entry: Entry | undefined;
  let inflight: Inflight | undefined;

  const start = (): Inflight => {
    const controller = new AbortController();
    const previous = entry;
    const promise = (async () => {
      const result = await loader.load(previous?.validator, controller.signal);
      const now = clock.now();
      if (!result.changed && previous !== undefined) {
        previous.loadedAt = now;
        return previous.feed;
      }
      if (!result.changed) throw new Error('ics: feed reported unchanged without a cached copy');
      const feed = parse(result.text);
      entry = { feed, validator: result.validator, loadedAt: now };
      return feed;
    })();
    const current: Inflight = { promise, controller, waiters: 0 };
    const clear = () => {
      if (inflight === current) inflight = undefined;
    };
    promise.then(clear, clear);
    return current;
  };

  const join = (load: Inflight, signal: AbortSignal | undefined): Promise<ParsedFeed> => {
    load.waiters++;
    if (signal === undefined) return load.promise;
    return new Promise<ParsedFeed>((resolve, reject) => {
      const onAbort = () => {
        load.waiters--;
        if (load.waiters === 0) load.controller.abort(signal.reason);
        reject(abortReason(signal));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      load.promise.then(
        (feed) => {
          signal.removeEventListener('abort', onAbort);
          resolve(feed);
        },
        (error: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(error);
        },
      );
    });
  };

  return {
    get(signal) {
      if (signal?.aborted) return Promise.reject(abortReason(signal));
      if (entry !== undefined && clock.now() - entry.loadedAt < refreshIntervalMs) return Promise.resolve(entry.feed);
      inflight ??= start();
      return join(inflight, signal);
    },
  };
}
