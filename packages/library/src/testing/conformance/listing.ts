import { expect } from 'vitest';
import type { ListEntry } from '../../spec';
import type { SuiteRun } from './context';
import { keysOf, mapLimit } from './context';

/** Listing: pages and cursors, and common prefixes with a delimiter. */
export function registerListingTests(run: SuiteRun): void {
  const { suite, key } = run;

  suite.test(
    'lists many keys across pages, in order, resumable by cursor',
    async (storage) => {
      const count = run.options.paginationKeys ?? 1050;
      const base = `${run.prefix()}pages/`;
      const keys = Array.from({ length: count }, (_, i) => key(`pages/${String(i).padStart(5, '0')}`));
      await mapLimit(keys, 32, (k) => storage.write(k, new Uint8Array(0)));
      const pages: ListEntry[][] = [];
      let second: string | undefined;
      for await (const page of storage.list({ prefix: base, pageSize: 100 }).pages()) {
        expect(page.entries.length).toBeLessThanOrEqual(100);
        if (pages.length === 0) second = page.nextCursor;
        pages.push([...page.entries]);
      }
      expect(pages.length).toBeGreaterThanOrEqual(Math.ceil(count / 100));
      expect(keysOf(pages.flat())).toEqual(keys);
      expect(second).toBeDefined();
      const resumed = await storage.list({ prefix: base, pageSize: 100, cursor: second as string }).toArray({ limit: 5 });
      const firstPage = keysOf(pages[0] ?? []).length;
      expect(keysOf(resumed)).toEqual(keysOf(pages.flat()).slice(firstPage, firstPage + 5));
      expect(await storage.list({ prefix: base, pageSize: 100 }).toArray({ limit: 150 })).toHaveLength(150);
    },
    { id: 'pagination', needs: ['list'], timeout: 120_000 },
  );

  suite.test(
    'groups keys into common prefixes, across pages',
    async (storage) => {
      const base = `${run.prefix()}tree/`;
      const names = ['a.txt', 'b/1.txt', 'b/2.txt', 'c/deep/1.txt', 'd.txt', 'e//x.txt'];
      await mapLimit(names, 8, (name) => storage.write(key(`tree/${name}`), name));
      const entries = await storage.list({ prefix: base, delimiter: '/' }).toArray();
      const simplified = entries.map((entry) => (entry.type === 'prefix' ? `prefix:${entry.prefix}` : `object:${entry.key}`));
      expect(simplified.sort()).toEqual(
        [`object:${base}a.txt`, `prefix:${base}b/`, `prefix:${base}c/`, `object:${base}d.txt`, `prefix:${base}e/`].sort(),
      );
      const nameOf = (entry: ListEntry) => (entry.type === 'prefix' ? entry.prefix : entry.key);
      const paged = await storage.list({ prefix: base, delimiter: '/', pageSize: 1 }).toArray();
      expect(paged.map(nameOf).sort()).toEqual(entries.map(nameOf).sort());
      const nested = await storage.list({ prefix: `${base}e/`, delimiter: '/' }).toArray();
      expect(nested.map(nameOf)).toEqual([`${base}e//`]);
    },
    { id: 'delimiter', needs: ['listDelimiter'] },
  );
}
