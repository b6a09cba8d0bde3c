import { compareKeys } from './key-path';
import type { Child } from './walk';

/** A sorted run of a directory's children, as seen at one directory mtime. */
export interface DirectoryWindow {
  /** Directory path. */
  readonly dir: string;
  /** Listing prefix the children were filtered by. */
  readonly prefix: string;
  /** Directory mtime (ns) when scanned; any entry added, removed or renamed changes it. */
  readonly mtimeNs: bigint;
  /** Exclusive lower bound of the window; `undefined` from the first child. */
  readonly start: string | undefined;
  /** Children after `start`, sorted, as many as the window holds. */
  readonly children: readonly Child[];
  /** Whether no child sorts after the last one held. */
  readonly complete: boolean;
}

/** What {@link DirectoryWindowCache.lookup} returns: the window's children after the bound. */
export interface WindowHit {
  /** Children after the bound that pass `keep`, whether the directory has more, and where the window ends. */
  filter(keep: (child: Child) => boolean): { children: Child[]; more: boolean; resume: string | undefined };
}

/** A small per-provider cache of directory windows. */
export interface DirectoryWindowCache {
  /** The window covering children after `lower`, if one is cached for this mtime. */
  lookup(dir: string, prefix: string, mtimeNs: bigint, lower: string | undefined): WindowHit | undefined;
  /** Keeps a window, evicting the least recently used beyond the limit. */
  store(window: DirectoryWindow): void;
}

/**
 * Creates the cache that makes paging through a large directory linear instead of quadratic:
 * a page scans the directory once and keeps the next several batches of sorted children, so
 * the following pages need only a `stat` of the directory. Memory stays bounded by
 * `maxWindows` windows of at most a few thousand names each, whatever the key count.
 */
export function createDirectoryWindowCache(maxWindows = 8): DirectoryWindowCache {
  const windows = new Map<string, DirectoryWindow>();
  const id = (dir: string, prefix: string) => `${dir}\0${prefix}`;
  return {
    lookup(dir, prefix, mtimeNs, lower) {
      const key = id(dir, prefix);
      const window = windows.get(key);
      if (!window) return undefined;
      if (window.mtimeNs !== mtimeNs) {
        windows.delete(key);
        return undefined;
      }
      if (window.start !== undefined && (lower === undefined || compareKeys(lower, window.start) < 0)) return undefined;
      const last = window.children[window.children.length - 1];
      // Past the window: only a complete window knows there is nothing more.
      if (!window.complete && (last === undefined || (lower !== undefined && compareKeys(lower, last.sortKey) >= 0))) return undefined;
      windows.delete(key);
      windows.set(key, window);
      return {
        filter(keep) {
          const children = window.children.filter((child) => (lower === undefined || compareKeys(child.sortKey, lower) > 0) && keep(child));
          return { children, more: !window.complete, resume: last?.sortKey };
        },
      };
    },
    store(window) {
      const key = id(window.dir, window.prefix);
      windows.delete(key);
      windows.set(key, window);
      while (windows.size > maxWindows) {
        const oldest = windows.keys().next().value;
        if (oldest === undefined) break;
        windows.delete(oldest);
      }
    },
  };
}
