import { compact, paginate } from '@almanac/core';
import type { ListEntry, ListPage, ObjectVersion } from '../spec';
import type { StorageKernel } from './kernel';
import type { Storage } from './types';

/**
 * Iterates the entries of fetched pages. Hand-written rather than an async generator because a
 * generator costs several promise hops per item, which halves listing throughput on big buckets;
 * here an item of an already fetched page costs one resolved promise.
 */
function entriesOf<T>(pages: AsyncIterable<{ readonly items: readonly T[] }>): AsyncIterator<T> {
  const source = pages[Symbol.asyncIterator]();
  let items: readonly T[] = [];
  let index = 0;
  let finished = false;
  const advance = async (): Promise<IteratorResult<T>> => {
    while (index >= items.length) {
      if (finished) return { done: true, value: undefined };
      const page = await source.next();
      if (page.done) {
        finished = true;
        return { done: true, value: undefined };
      }
      items = page.value.items;
      index = 0;
    }
    return { done: false, value: items[index++] as T };
  };
  return {
    next: () => (index < items.length ? Promise.resolve({ done: false, value: items[index++] as T }) : advance()),
    async return(): Promise<IteratorResult<T>> {
      finished = true;
      items = [];
      await source.return?.();
      return { done: true, value: undefined };
    },
  };
}

/** A provider page as `paginate` wants it: items, and the cursor only when there is one. */
function pageOf<T>(items: readonly T[], nextCursor: string | undefined): { items: T[]; nextCursor?: string | undefined } {
  return nextCursor === undefined ? { items: [...items] } : { items: [...items], nextCursor };
}

/**
 * `list` and `listVersions` of the facade. Options are checked when the listing is created (a
 * bad call throws at once); each page is then one operation with its own deadline and audit event.
 */
export function listingOperations(kernel: StorageKernel): Pick<Storage, 'list' | 'listVersions'> {
  const { runner, provider, input } = kernel;
  return {
    list(options) {
      const request = runner.prepare(
        'list',
        { options },
        input.list,
        (call) => {
          if (call.options?.delimiter !== undefined) runner.require('listDelimiter', 'list');
          return call.options;
        },
        { capability: 'list' },
      );
      const signal = request?.signal;
      const startCursor = request?.cursor;
      const pageSize = request?.pageSize;
      const delimiter = request?.delimiter;
      const prefix = request?.prefix ?? '';
      const listing = paginate<ListEntry, string>(
        ({ cursor }) =>
          runner.run(
            'list',
            undefined,
            undefined,
            async (_none, context) => {
              const page = await provider.listPage(
                compact({ prefix, delimiter, limit: pageSize, cursor: cursor ?? startCursor, signal: context.signal }),
              );
              return pageOf(page.entries, page.nextCursor);
            },
            { signal, idempotent: true },
          ),
        { signal },
      );
      return {
        [Symbol.asyncIterator]: () => entriesOf(listing.pages()),
        toArray: (arrayOptions) => listing.toArray(arrayOptions),
        async *pages(): AsyncGenerator<ListPage> {
          for await (const page of listing.pages()) {
            yield page.nextCursor === undefined ? { entries: page.items } : { entries: page.items, nextCursor: page.nextCursor };
          }
        },
      };
    },

    listVersions(options) {
      const { versioned, request } = runner.prepare(
        'listVersions',
        { options },
        input.listVersions,
        (call) => ({ versioned: runner.require('versioning', 'listVersions'), request: call.options }),
        { capability: 'versioning' },
      );
      const signal = request?.signal;
      const prefix = request?.prefix ?? '';
      return paginate<ObjectVersion, string>(
        ({ cursor }) =>
          runner.run(
            'listVersions',
            undefined,
            undefined,
            async (_none, context) => {
              const page = await versioned.listVersionsPage(compact({ prefix, cursor, signal: context.signal }));
              return pageOf(page.versions, page.nextCursor);
            },
            { signal, idempotent: true },
          ),
        { signal },
      );
    },
  };
}
