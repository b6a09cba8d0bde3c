import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AbortedError, ProviderError, TimeoutError, ValidationError } from '../src/errors';
import { paginate } from '../src/pagination';
import type { FetchPage } from '../src/pagination';

/** A fake API serving `pages` by numeric cursor, recording every request. */
function pagedApi<T>(pages: T[][]) {
  const requests: Array<number | undefined> = [];
  const fetchPage: FetchPage<T, number> = async ({ cursor }) => {
    requests.push(cursor);
    const index = cursor ?? 0;
    const items = pages[index] ?? [];
    return { items: [...items], nextCursor: index + 1 < pages.length ? index + 1 : null };
  };
  return { fetchPage, requests };
}

/** Splits `items` into consecutive pages of the given sizes (leftover goes in a final page). */
function split<T>(items: T[], sizes: number[]): T[][] {
  const pages: T[][] = [];
  let at = 0;
  for (const size of sizes) {
    pages.push(items.slice(at, at + size));
    at += size;
  }
  if (at < items.length || pages.length === 0) pages.push(items.slice(at));
  return pages;
}

const pageSplits = fc
  .tuple(fc.array(fc.integer(), { maxLength: 60 }), fc.array(fc.nat({ max: 8 }), { maxLength: 15 }))
  .map(([items, sizes]) => ({ items, pages: split(items, sizes) }));

describe('paginate', () => {
  it('iterates every item of every page in order', async () => {
    const { fetchPage, requests } = pagedApi([[1, 2], [3], [4, 5, 6]]);
    const seen: number[] = [];
    for await (const item of paginate(fetchPage)) seen.push(item);
    expect(seen).toEqual([1, 2, 3, 4, 5, 6]);
    expect(requests).toEqual([undefined, 1, 2]);
  });

  it('yields exactly the concatenation of the pages for any split (property)', async () => {
    await fc.assert(
      fc.asyncProperty(pageSplits, async ({ items, pages }) => {
        const { fetchPage, requests } = pagedApi(pages);
        expect(await paginate(fetchPage).toArray()).toEqual(items);
        expect(requests).toHaveLength(pages.length);
      }),
    );
  });

  it('toArray({ limit }) never fetches a page after the limit is reached (property)', async () => {
    await fc.assert(
      fc.asyncProperty(pageSplits, fc.nat({ max: 70 }), async ({ items, pages }, limit) => {
        const { fetchPage, requests } = pagedApi(pages);
        const out = await paginate(fetchPage).toArray({ limit });
        expect(out).toEqual(items.slice(0, limit));
        // Pages needed: the smallest prefix of pages holding `limit` items (all pages if there are fewer).
        let needed = 0;
        let collected = 0;
        if (limit > 0) {
          for (const page of pages) {
            needed++;
            collected += page.length;
            if (collected >= limit) break;
          }
        }
        expect(requests).toHaveLength(needed);
      }),
    );
  });

  it('toArray({ limit: 0 }) fetches nothing', async () => {
    const { fetchPage, requests } = pagedApi([[1]]);
    expect(await paginate(fetchPage).toArray({ limit: 0 })).toEqual([]);
    expect(requests).toEqual([]);
  });

  it('stops fetching when the loop breaks early', async () => {
    const { fetchPage, requests } = pagedApi([[1, 2], [3, 4], [5, 6]]);
    for await (const item of paginate(fetchPage)) {
      if (item === 2) break;
    }
    expect(requests).toEqual([undefined]);
  });

  it('fetches the next page only once the current one is used up (one page held at a time)', async () => {
    const { fetchPage, requests } = pagedApi([[1, 2], [3, 4]]);
    const iterator = paginate(fetchPage)[Symbol.asyncIterator]();
    expect((await iterator.next()).value).toBe(1);
    expect((await iterator.next()).value).toBe(2);
    expect(requests).toEqual([undefined]);
    expect((await iterator.next()).value).toBe(3);
    expect(requests).toEqual([undefined, 1]);
    await iterator.return?.();
  });

  it('exposes pages with the cursor each was fetched with and the next one', async () => {
    const { fetchPage } = pagedApi([['a'], ['b', 'c']]);
    const pages = [];
    for await (const page of paginate(fetchPage).pages()) pages.push(page);
    expect(pages).toEqual([
      { items: ['a'], cursor: undefined, nextCursor: 1 },
      { items: ['b', 'c'], cursor: 1, nextCursor: undefined },
    ]);
  });

  it('starts from the first page on every iteration', async () => {
    const { fetchPage } = pagedApi([[1], [2]]);
    const listing = paginate(fetchPage);
    expect(await listing.toArray()).toEqual([1, 2]);
    expect(await listing.toArray()).toEqual([1, 2]);
  });

  it('treats undefined, null and empty-string cursors as the end, and continues past empty pages', async () => {
    for (const end of [undefined, null, '']) {
      const responses = [
        { items: [], nextCursor: 'b' },
        { items: [1], nextCursor: end },
      ];
      let call = 0;
      const listing = paginate<number, string>(async () => responses[call++] ?? { items: [] });
      expect(await listing.toArray()).toEqual([1]);
      expect(call).toBe(2);
    }
  });

  it('stops after maxPages pages without error', async () => {
    const { fetchPage, requests } = pagedApi([[1], [2], [3], [4]]);
    expect(await paginate(fetchPage, { maxPages: 2 }).toArray()).toEqual([1, 2]);
    expect(requests).toHaveLength(2);
  });

  it('passes the caller signal to fetchPage, or a live one when none was given', async () => {
    const seen: AbortSignal[] = [];
    const controller = new AbortController();
    const fetchPage: FetchPage<number, number> = async ({ signal }) => {
      seen.push(signal);
      return { items: [1] };
    };
    await paginate(fetchPage, { signal: controller.signal }).toArray();
    await paginate(fetchPage).toArray();
    expect(seen[0]).toBe(controller.signal);
    expect(seen[1]).toBeInstanceOf(AbortSignal);
    expect(seen[1]?.aborted).toBe(false);
  });

  it('throws AbortedError when aborted between pages, without fetching more', async () => {
    const controller = new AbortController();
    const { fetchPage, requests } = pagedApi([[1, 2], [3, 4]]);
    const seen: number[] = [];
    const run = (async () => {
      for await (const item of paginate(fetchPage, { signal: controller.signal })) {
        seen.push(item);
        if (item === 2) controller.abort();
      }
    })();
    await expect(run).rejects.toBeInstanceOf(AbortedError);
    expect(seen).toEqual([1, 2]);
    expect(requests).toEqual([undefined]);
  });

  it('throws at once for an already-aborted signal, and reports a fetch aborted mid-flight as AbortedError', async () => {
    const { fetchPage, requests } = pagedApi([[1]]);
    await expect(paginate(fetchPage, { signal: AbortSignal.abort() }).toArray()).rejects.toBeInstanceOf(AbortedError);
    expect(requests).toEqual([]);

    const controller = new AbortController();
    const abortingFetch: FetchPage<number, number> = async () => {
      controller.abort();
      throw new DOMException('The operation was aborted.', 'AbortError');
    };
    await expect(paginate(abortingFetch, { signal: controller.signal }).toArray()).rejects.toBeInstanceOf(AbortedError);
  });

  it('keeps an Almanac error given as the abort reason', async () => {
    const { fetchPage } = pagedApi([[1]]);
    const signal = AbortSignal.abort(new TimeoutError('deadline'));
    await expect(paginate(fetchPage, { signal }).toArray()).rejects.toBeInstanceOf(TimeoutError);
  });

  it('fails instead of looping forever when a cursor repeats', async () => {
    let calls = 0;
    const stuck: FetchPage<number, string> = async () => {
      calls++;
      return { items: [calls], nextCursor: 'page-2' };
    };
    const seen: number[] = [];
    const run = (async () => {
      for await (const item of paginate(stuck)) seen.push(item);
    })();
    await expect(run).rejects.toBeInstanceOf(ProviderError);
    expect(calls).toBe(2);
    expect(seen).toEqual([1, 2]);
  });

  it('compares object cursors by value', async () => {
    let calls = 0;
    const stuck: FetchPage<number, { offset: number }> = async () => {
      calls++;
      return { items: [calls], nextCursor: { offset: 10 } };
    };
    await expect(paginate(stuck).toArray()).rejects.toThrow(/cursor/);
    expect(calls).toBe(2);
  });

  it('rejects a page without an items array, and propagates fetch errors unchanged', async () => {
    await expect(paginate(async () => ({ nextCursor: 1 }) as never).toArray()).rejects.toMatchObject({ issues: [{ path: 'page.items' }] });
    const failure = new Error('500');
    await expect(
      paginate(async () => {
        throw failure;
      }).toArray(),
    ).rejects.toBe(failure);
  });

  it('validates its arguments', async () => {
    const { fetchPage } = pagedApi([[1]]);
    expect(() => paginate('x' as never)).toThrow(ValidationError);
    expect(() => paginate(fetchPage, { maxPages: 0 })).toThrow(/options\.maxPages/);
    expect(() => paginate(fetchPage, { signal: {} as never })).toThrow(/options\.signal/);
    await expect(paginate(fetchPage).toArray({ limit: -1 })).rejects.toThrow(/options\.limit/);
    await expect(paginate(fetchPage).toArray({ limit: 1.5 })).rejects.toThrow(ValidationError);
  });
});
