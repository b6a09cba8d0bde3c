import { type Dir, existsSync, opendirSync, readFileSync, readdirSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { SEGMENT_FILE, compareKeys, encodeName, metaRoot, sidecarName } from './key-path';
import { decodeChild, escapedName, naturalName } from './natural';
import { readSidecarSync } from './sidecar';
import type { DirectoryWindowCache } from './window-cache';

/** One object found by {@link walkKeys}. */
export interface WalkedObject {
  /** Object key. */
  readonly key: string;
  /** Absolute path of its data file. */
  readonly file: string;
  /**
   * Absolute path of its sidecar, when the sidecar folder held one when the directory was read;
   * `undefined` otherwise (files placed by hand have none, and naming it would cost an encode).
   */
  readonly sidecar: string | undefined;
}

/**
 * Bounds of a walk. `skipPrefix` may be changed by the consumer between items (after it emits
 * a common prefix) and the walk then skips every key under it without reading those directories.
 */
export interface WalkBounds {
  /** Only keys starting with this. */
  readonly prefix: string;
  /** Only keys strictly after this (in {@link compareKeys} order); empty for no bound. */
  readonly after: string;
  /** Skip keys starting with this. */
  skipPrefix?: string | undefined;
  /** How many directory entries to hold per directory level at once. */
  readonly batch: number;
  /** Sorted windows of large directories kept between pages; see `window-cache.ts`. */
  readonly cache?: DirectoryWindowCache | undefined;
}

/** How many batches a cached directory window holds. */
const WINDOW_FACTOR = 8;
/**
 * A directory modified less than this long ago is not cached: a change within the same
 * timestamp tick would not change its mtime (the "racy git" problem). Filesystems with
 * whole-second timestamps (FAT's are 2 s, HFS+, some network mounts) wait {@link SETTLE_MS};
 * those with sub-second ones (ext4, XFS, btrfs, APFS, NTFS tick in at most a few ms)
 * {@link SETTLE_FINE_MS}, so a listing that starts right after a bulk write is cached too.
 */
const SETTLE_MS = 5_000;
const SETTLE_FINE_MS = 100;

/** A directory child, by sort key (see `key-path.ts`). */
export interface Child {
  /** Decoded name: the segment, plus `/` for a directory. */
  readonly sortKey: string;
  /** Name on disk. */
  readonly name: string;
  /** Whether it is a directory. */
  readonly dir: boolean;
  /** Whether the name is escaped (`.%…`); a natural file wins over an escaped one of the same key. */
  readonly escaped: boolean;
}

/**
 * Yields objects under `root` in key order, in runs of consecutive files of one directory (one
 * async step per run, not per object: an async generator costs several promise hops per item,
 * and they are nested once per directory level). Directory reads are streamed and only the
 * `batch` smallest relevant entries of a directory are held at a time (a directory with more
 * is rescanned from where the previous batch ended), so memory does not grow with the number
 * of keys: the bench lists 100,000 keys this way. A run is read before the consumer sees it:
 * when the consumer sets `skipPrefix` mid-run, it skips the rest of that run itself; the walk
 * honours it from the next run on (and never descends into a skipped directory).
 */
export async function* walkKeys(root: string, bounds: WalkBounds): AsyncGenerator<readonly WalkedObject[]> {
  // Start at the deepest directory the prefix pins down, rather than at the root.
  const parts = bounds.prefix.split('/');
  parts.pop();
  let dir = root;
  let metaDir = metaRoot(root);
  let dirKey = '';
  for (const part of parts) {
    dir = join(dir, naturalName(part, 'dir', dirKey === ''));
    metaDir = join(metaDir, encodeName(`${part}/`));
    dirKey += `${part}/`;
  }
  yield* walkDirectory(dir, metaDir, dirKey, bounds);
}

async function* walkDirectory(dir: string, metaDir: string, dirKey: string, bounds: WalkBounds): AsyncGenerator<readonly WalkedObject[]> {
  let localAfter: string | undefined;
  // One read of the mirror directory tells which objects have a sidecar, instead of a probe per file.
  let sidecars: ReadonlySet<string> | undefined;
  const prefix = dir + sep;
  for (;;) {
    const { children, more, resume } = await scan(dir, metaDir, dirKey, bounds, localAfter);
    let run: WalkedObject[] = [];
    for (const child of children) {
      const full = dirKey + child.sortKey;
      const skip = bounds.skipPrefix;
      if (skip !== undefined && full.startsWith(skip)) continue;
      // Concatenation, not `join`: names are single components and `join` normalises every path.
      const path = prefix + child.name;
      if (child.dir) {
        if (run.length > 0) yield run;
        run = [];
        yield* walkDirectory(path, join(metaDir, encodeName(child.sortKey)), full, bounds);
        continue;
      }
      sidecars ??= namesIn(metaDir);
      let sidecar: string | undefined;
      if (sidecars.size > 0) {
        const name = sidecarName(encodeName(child.sortKey));
        if (sidecars.has(name)) sidecar = metaDir + sep + name;
      }
      run.push({ key: full, file: path, sidecar });
    }
    if (run.length > 0) yield run;
    if (!more || resume === undefined) return;
    localAfter = resume;
  }
}

const NO_NAMES: ReadonlySet<string> = new Set();

function namesIn(dir: string): ReadonlySet<string> {
  // Files the adapter did not write have no mirror directory: check without building an error.
  if (!existsSync(dir)) return NO_NAMES;
  try {
    return new Set(readdirSync(dir));
  } catch {
    return NO_NAMES;
  }
}

/** A scan's children, whether the directory has more, and the sort key to continue after. */
interface ScanResult {
  readonly children: Child[];
  readonly more: boolean;
  readonly resume: string | undefined;
}

async function scan(dir: string, metaDir: string, dirKey: string, bounds: WalkBounds, localAfter: string | undefined): Promise<ScanResult> {
  const lower = localAfter ?? lowerBoundIn(bounds.after, dirKey);
  const cache = bounds.cache;
  const isRelevant = (child: Child) => relevant(dirKey + child.sortKey, child.dir, bounds);
  if (cache === undefined) {
    const { children, more } = await rawScan(dir, metaDir, dirKey, lower, bounds.batch, isRelevant, bounds.prefix);
    return { children, more, resume: children[children.length - 1]?.sortKey };
  }
  let mtimeNs: bigint;
  try {
    mtimeNs = (await stat(dir, { bigint: true })).mtimeNs;
  } catch {
    return { children: [], more: false, resume: undefined };
  }
  const hit = cache.lookup(dir, bounds.prefix, mtimeNs, lower);
  if (hit) return hit.filter(isRelevant);
  // Filesystem time, not the injected clock: it is compared with filesystem timestamps.
  const settle = mtimeNs % 1_000_000_000n === 0n ? SETTLE_MS : SETTLE_FINE_MS;
  const settled = Date.now() - Number(mtimeNs / 1_000_000n) > settle;
  const window = await rawScan(dir, metaDir, dirKey, lower, bounds.batch * (settled ? WINDOW_FACTOR : 1), () => true, bounds.prefix);
  // Kept even when complete: the next page resumes inside this directory, or just after it,
  // and would otherwise read it again only to skip what this page listed.
  if (settled && window.children.length > 0) cache.store({ dir, prefix: bounds.prefix, mtimeNs, start: lower, children: window.children, complete: !window.more });
  return { children: window.children.filter(isRelevant), more: window.more, resume: window.children[window.children.length - 1]?.sortKey };
}

/**
 * The exclusive lower bound, among a directory's sort keys, of the children that can hold keys
 * after `after`; `undefined` when every child can.
 */
function lowerBoundIn(after: string, dirKey: string): string | undefined {
  if (after === '' || !after.startsWith(dirKey)) return undefined;
  const rest = after.slice(dirKey.length);
  const slash = rest.indexOf('/');
  // The child directory `D/` holding `after` must stay included, so the bound is `D` (just below it).
  return slash < 0 ? rest : rest.slice(0, slash);
}

/** Entries read between yields to the event loop. */
const READ_CHUNK = 1024;

/**
 * Reads one directory, keeping the `batch` smallest relevant children after `lower`. Entries
 * are read synchronously in chunks of {@link READ_CHUNK} with a yield to the event loop between
 * chunks: an awaited read per entry costs more than the read itself on large listings.
 */
async function rawScan(
  dir: string,
  metaDir: string,
  dirKey: string,
  lower: string | undefined,
  batch: number,
  keep: (child: Child) => boolean,
  prefix: string,
): Promise<{ children: Child[]; more: boolean }> {
  let handle: Dir;
  try {
    handle = opendirSync(dir, { bufferSize: READ_CHUNK });
  } catch {
    return { children: [], more: false };
  }
  const atRoot = dirKey === '';
  let children: Child[] = [];
  let more = false;
  let ceiling: string | undefined;
  try {
    for (let count = 1; ; count++) {
      if (count % READ_CHUNK === 0) await new Promise<void>((resolve) => setImmediate(resolve));
      const entry = handle.readSync();
      if (entry === null) break;
      const isDir = entry.isDirectory();
      if (!isDir && !entry.isFile()) continue;
      const decoded = decodeChild(entry.name, isDir, atRoot);
      let sortKey: string;
      let escaped = true;
      if (decoded.kind === 'skip') continue;
      if (decoded.kind === 'hashed') {
        const recovered = hashedSortKey(metaDir, entry.name, decoded.encoded, isDir);
        if (recovered === undefined) continue;
        sortKey = recovered;
      } else {
        sortKey = decoded.sortKey;
        escaped = decoded.escaped;
      }
      if (lower !== undefined && compareKeys(sortKey, lower) <= 0) continue;
      // Past the batch's current last entry: belongs to a later batch, no need to hold it.
      if (ceiling !== undefined && compareKeys(sortKey, ceiling) >= 0) continue;
      const full = dirKey + sortKey;
      if (!(isDir ? full.startsWith(prefix) || prefix.startsWith(full) : full.startsWith(prefix))) continue;
      const child: Child = { sortKey, name: entry.name, dir: isDir, escaped };
      if (!keep(child)) continue;
      children.push(child);
      if (children.length >= batch * 2) {
        children = sortUnique(children).slice(0, batch);
        ceiling = children[children.length - 1]?.sortKey;
        more = true;
      }
    }
  } finally {
    handle.closeSync();
  }
  children = sortUnique(children);
  if (children.length > batch) {
    children = children.slice(0, batch);
    more = true;
  }
  return { children, more };
}

/** Sorts children by key, dropping an escaped file when its natural twin exists (a move was interrupted). */
function sortUnique(children: Child[]): Child[] {
  children.sort((a, b) => compareKeys(a.sortKey, b.sortKey) || Number(a.escaped) - Number(b.escaped));
  return children.filter((child, i) => i === 0 || children[i - 1]?.sortKey !== child.sortKey);
}

function relevant(full: string, isDir: boolean, bounds: WalkBounds): boolean {
  const { prefix, after, skipPrefix } = bounds;
  if (skipPrefix !== undefined && full.startsWith(skipPrefix)) return false;
  if (isDir) {
    if (!full.startsWith(prefix) && !prefix.startsWith(full)) return false;
    return after === '' || compareKeys(full, after) > 0 || after.startsWith(full);
  }
  return full.startsWith(prefix) && (after === '' || compareKeys(full, after) > 0);
}

/** The sort key of an escaped name whose segment was hashed, from the sidecar folder. */
function hashedSortKey(metaDir: string, name: string, encoded: string, isDir: boolean): string | undefined {
  let sortKey: string | undefined;
  if (isDir) {
    try {
      sortKey = readFileSync(join(metaDir, encoded, SEGMENT_FILE), 'utf8');
    } catch {
      return undefined;
    }
  } else {
    const key = readSidecarSync(join(metaDir, sidecarName(encoded)))?.key;
    sortKey = key?.slice(key.lastIndexOf('/') + 1);
  }
  if (sortKey === undefined) return undefined;
  // Only trust the recovered name if it hashes back to this entry.
  const kind = isDir ? 'dir' : 'object';
  return escapedName(isDir ? sortKey.slice(0, -1) : sortKey, kind) === name ? sortKey : undefined;
}
