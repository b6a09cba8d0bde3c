import { abortReason } from '../clock';
import { AlmanacError, ProviderError, ValidationError } from '../errors';
import type { FetchPage, FetchedPage, Paginated, PaginateOptions, ToArrayOptions } from './types';

/**
 * Turns a page-fetching function into a {@link Paginated} listing.
 *
 * @throws (while iterating) {@link AbortedError} once `options.signal` aborts;
 * {@link ProviderError} when a page's `nextCursor` equals the cursor it was fetched
 * with, which would otherwise loop forever; {@link ValidationError} when `fetchPage`
 * resolves something without an `items` array.
 */
export function paginate<T, C>(fetchPage: FetchPage<T, C>, options: PaginateOptions = {}): Paginated<T, C> {
  if (typeof fetchPage !== 'function') invalid('fetchPage', 'must be a function');
  const { signal } = options;
  if (signal !== undefined && !(signal instanceof AbortSignal)) invalid('options.signal', 'must be an AbortSignal');
  const maxPages = options.maxPages ?? Number.POSITIVE_INFINITY;
  if (maxPages !== Number.POSITIVE_INFINITY && (!Number.isInteger(maxPages) || maxPages < 1)) {
    invalid('options.maxPages', 'must be a positive integer');
  }
  // fetchPage always gets a signal, so adapters can pass it straight to fetch().
  const pageSignal = signal ?? new AbortController().signal;

  async function* pages(): AsyncGenerator<FetchedPage<T, C>, void, undefined> {
    let cursor: C | undefined;
    for (let count = 0; count < maxPages; count++) {
      if (signal?.aborted) throw abortReason(signal);
      let page: unknown;
      try {
        page = await fetchPage({ cursor, signal: pageSignal });
      } catch (error) {
        // A fetch aborted by our signal rejects with a DOMException; report it as ours.
        if (signal?.aborted && !AlmanacError.isInstance(error)) throw abortReason(signal);
        throw error;
      }
      if (signal?.aborted) throw abortReason(signal);
      if (typeof page !== 'object' || page === null || !Array.isArray((page as { items?: unknown }).items)) {
        invalid('page.items', 'fetchPage must resolve to { items: [...], nextCursor? }');
      }
      const { items, nextCursor: rawNext } = page as { items: T[]; nextCursor?: C | null | undefined };
      const nextCursor = rawNext === null || rawNext === '' ? undefined : rawNext;
      yield { items, cursor, nextCursor };
      if (nextCursor === undefined) return;
      if (sameCursor(nextCursor, cursor)) {
        throw new ProviderError('Pagination returned the cursor it was fetched with again; stopping instead of looping forever', {
          operation: 'paginate',
        });
      }
      cursor = nextCursor;
    }
  }

  return {
    async *[Symbol.asyncIterator]() {
      for await (const page of pages()) {
        for (const item of page.items) yield item;
      }
    },
    pages,
    async toArray(arrayOptions: ToArrayOptions = {}) {
      const limit = arrayOptions.limit ?? Number.POSITIVE_INFINITY;
      if (limit !== Number.POSITIVE_INFINITY && (!Number.isInteger(limit) || limit < 0)) {
        invalid('options.limit', 'must be a non-negative integer');
      }
      const out: T[] = [];
      if (limit === 0) return out;
      for await (const page of pages()) {
        for (const item of page.items) {
          out.push(item);
          if (out.length >= limit) return out;
        }
      }
      return out;
    },
  };
}

// Cursors are often objects rebuilt per response, so compare by value, not identity.
function sameCursor(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  try {
    return JSON.stringify(a) === JSON.stringify(b);
  } catch {
    return false;
  }
}

function invalid(path: string, message: string): never {
  throw new ValidationError(undefined, [{ path, message }]);
}
