import { randomUUID } from 'node:crypto';
import { link, lstat, mkdir, open, readdir, rename, rmdir, stat, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { type KeyLocation, SEGMENT_FILE, TEMP_PREFIX, isHashedName, metaRoot } from './key-path';
import { ALMANAC_DIR, ESCAPE_MARKER, escapedName } from './natural';

/**
 * Fault-injection points of the write path. Throwing from one simulates a crash or an I/O
 * error at that step; production code leaves them unset.
 */
export interface FsWriteHooks {
  /** Called before each chunk is written to the temp file. */
  beforeChunk?(tempPath: string, chunkIndex: number): void | Promise<void>;
  /** Called after the temp file is complete and fsynced, before it replaces the target. */
  beforeRename?(tempPath: string, target: string): void | Promise<void>;
}

/** The error code of a Node.js system error, if it is one. */
export function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** A fresh temp file path in `dir` (the root's `.almanac/tmp`, or a sidecar folder). */
export function tempPath(dir: string): string {
  return join(dir, `${TEMP_PREFIX}${randomUUID()}`);
}

/** Folder of the data files' temp files: inside the root, so a rename moves them in place. */
export function tempDir(root: string): string {
  return join(root, ALMANAC_DIR, 'tmp');
}

/** Deletes a regular file (not a directory), ignoring a missing one. */
export async function unlinkFileQuietly(path: string): Promise<void> {
  try {
    if (!(await lstat(path)).isDirectory()) await unlink(path);
  } catch (error) {
    if (errorCode(error) !== 'ENOENT' && errorCode(error) !== 'ENOTDIR') throw error;
  }
}

/** Deletes a file, ignoring a missing one. */
export async function unlinkQuietly(path: string): Promise<void> {
  try {
    await unlink(path);
  } catch (error) {
    if (errorCode(error) !== 'ENOENT') throw error;
  }
}

/** Flushes a directory entry change (a rename) to disk, where the platform allows. */
export async function syncDirectory(path: string): Promise<void> {
  // Windows cannot open a directory for fsync; there the rename is atomic but its durability is up to the OS.
  if (process.platform === 'win32') return;
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } catch (error) {
    // Some filesystems (network and FUSE mounts) do not support fsync on directories.
    if (!['EINVAL', 'ENOTSUP', 'EOPNOTSUPP', 'EISDIR'].includes(errorCode(error) ?? '')) throw error;
  } finally {
    await handle.close();
  }
}

/** Writes a small file atomically: temp file, fsync, rename (or link, to never replace). */
export async function writeSmallFileAtomic(path: string, dir: string, data: string, mode: 'replace' | 'create' = 'replace'): Promise<void> {
  const temp = tempPath(dir);
  try {
    const handle = await open(temp, 'wx', 0o644);
    try {
      await handle.writeFile(data, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (mode === 'replace') await rename(temp, path);
    else {
      try {
        await link(temp, path);
      } catch (error) {
        if (errorCode(error) !== 'EEXIST') throw error;
      }
      await unlinkQuietly(temp);
    }
  } catch (error) {
    await unlinkQuietly(temp).catch(() => undefined);
    throw error;
  }
}

/**
 * Creates the data directories of a key and their mirrors in the sidecar folder, writing the
 * `.segment` file of hashed escaped ones so listing can recover their full name. Where an
 * object holds a directory's natural name (`a` when writing `a/b`), the object is renamed to
 * its escaped name first (a rename keeps its inode, so its sidecar still matches).
 */
export async function ensureDirectories(root: string, location: KeyLocation): Promise<void> {
  let path = root;
  let meta = metaRoot(root);
  await mkdir(meta, { recursive: true });
  await mkdir(tempDir(root), { recursive: true });
  for (const dir of location.dirs) {
    path = join(path, dir.name);
    meta = join(meta, dir.metaName);
    await mkdirQuietly(meta);
    if (dir.name.startsWith(ESCAPE_MARKER) && isHashedName(dir.metaName)) await writeSmallFileAtomic(join(meta, SEGMENT_FILE), meta, dir.sortKey, 'create');
    await makeDataDirectory(path, dir.sortKey.slice(0, -1));
  }
}

async function mkdirQuietly(path: string): Promise<void> {
  try {
    await mkdir(path);
  } catch (error) {
    if (errorCode(error) !== 'EEXIST') throw error;
  }
}

async function makeDataDirectory(path: string, segment: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await mkdir(path);
      return;
    } catch (error) {
      if (errorCode(error) !== 'EEXIST') throw error;
    }
    const existing = await stat(path);
    if (existing.isDirectory()) return;
    if (attempt >= 3) throw Object.assign(new Error(`${path} is not a directory`), { code: 'ENOTDIR' });
    try {
      await rename(path, join(dirname(path), escapedName(segment, 'object')));
    } catch (error) {
      // Moved or deleted meanwhile: try the mkdir again.
      if (errorCode(error) !== 'ENOENT') throw error;
    }
  }
}

/**
 * Removes now-empty directories from the deepest up to (not including) `stop`, so deleted
 * prefixes disappear from listings. A directory holding anything but its `.segment` file is kept.
 */
export async function pruneEmptyDirectories(stop: string, dirPaths: readonly string[]): Promise<void> {
  for (let i = dirPaths.length - 1; i >= 0; i--) {
    const dir = dirPaths[i] as string;
    if (dir === stop) return;
    let entries: string[];
    try {
      entries = await readdir(dir);
    } catch {
      return;
    }
    if (entries.some((name) => name !== SEGMENT_FILE)) return;
    try {
      await unlinkQuietly(join(dir, SEGMENT_FILE));
      await rmdir(dir);
    } catch {
      // A concurrent write put something in it: keep it.
      return;
    }
  }
}

/**
 * Removes temp files older than `olderThanMs` (left by a crash mid-write) under `dir` (the
 * root's `.almanac` folder: data directories hold only objects, whatever their names).
 * Returns how many it removed.
 */
export async function sweepTempFiles(dir: string, nowMs: number, olderThanMs: number): Promise<number> {
  let removed = 0;
  const visit = async (dir: string): Promise<void> => {
    let entries: import('node:fs').Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await visit(path);
      else if (entry.name.startsWith(TEMP_PREFIX)) {
        try {
          const info = await stat(path);
          if (nowMs - info.mtimeMs >= olderThanMs) {
            await unlinkQuietly(path);
            removed++;
          }
        } catch {
          // Renamed or removed meanwhile: not stale.
        }
      }
    }
  };
  await visit(dir);
  return removed;
}

/**
 * Serialises async sections per key within one provider, so a conditional check and the
 * rename that follows it cannot interleave with another writer of the same key.
 */
export function createKeyLocks(): <T>(key: string, run: () => Promise<T>) => Promise<T> {
  const tails = new Map<string, Promise<unknown>>();
  return async <T>(key: string, run: () => Promise<T>): Promise<T> => {
    const previous = tails.get(key) ?? Promise.resolve();
    const current = previous.then(run, run);
    const tail = current.catch(() => undefined);
    tails.set(key, tail);
    try {
      return await current;
    } finally {
      if (tails.get(key) === tail) tails.delete(key);
    }
  };
}
