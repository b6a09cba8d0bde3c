import type { Dirent } from 'node:fs';
import { access, mkdir, readFile, readdir, rename, rmdir, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ensureDirectories, errorCode, unlinkQuietly } from './atomic';
import { SEGMENT_FILE, TEMP_PREFIX, assertSafeKey, decodeName, isHashedName, locate, sidecarName } from './key-path';
import { ALMANAC_DIR } from './natural';
import { readSidecar } from './sidecar';

// Roots written by @almanac/library 0.1 hold percent-encoded folders (`docs%2F/a.txt`) with
// `.name.meta.json` sidecars next to the data. They are moved to the natural layout once,
// object by object: each move is a rename, sidecar first, so a crash at any point leaves every
// object readable and a later run picks up where this one stopped.

/** Written when a root is in the natural layout; its absence with the flag below means a migration is under way. */
const LAYOUT_FILE = 'layout';
const MIGRATING_FILE = 'migrating';
const LAYOUT_VERSION = '2\n';

/** What {@link migrateFsLayout} did. */
export interface FsLayoutMigration {
  /** Objects moved to their natural path (or whose sidecar was moved). */
  readonly moved: number;
  /** Whether the root was in the 0.1 layout (or half-migrated) at all. */
  readonly migrated: boolean;
}

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

/** Whether a root-level entry is one only the 0.1 layout writes. */
function isLegacyEntry(entry: Dirent): boolean {
  if (entry.isDirectory()) return (entry.name.endsWith('%2F') && decodeName(entry.name)?.endsWith('/') === true) || (isHashedName(entry.name) && !entry.name.startsWith('.'));
  return entry.isFile() && entry.name.startsWith('.') && entry.name.endsWith('.meta.json') && entry.name !== '.meta.json';
}

/**
 * Moves a root written by `@almanac/library` 0.1 (percent-encoded folders such as
 * `share%2F/report.csv`, sidecars next to the data) to the natural layout (`share/report.csv`,
 * sidecars under `.almanac/meta`). The fs provider runs this by itself before its first
 * operation on such a root; call it yourself to migrate ahead of time, e.g. before pointing a
 * static server at the folder.
 *
 * Safe to interrupt: each object moves by rename (sidecar, then data), so every object stays
 * readable, and the next run, or the provider's next start, finishes the job. Files the 0.1
 * adapter ignored (names it did not write) are left where they are. Running it on a root that
 * is already in the natural layout, or empty, does nothing.
 *
 * @param root - The directory given to `createFsStorage` as `root`.
 * @returns How many objects moved.
 */
export async function migrateFsLayout(root: string): Promise<FsLayoutMigration> {
  const almanac = join(root, ALMANAC_DIR);
  if (await exists(join(almanac, LAYOUT_FILE))) return { moved: 0, migrated: false };
  const resuming = await exists(join(almanac, MIGRATING_FILE));
  // The adapter's folder without the flag: a natural root (0.1 never wrote one). No scan needed.
  if (!resuming && (await exists(almanac))) return { moved: 0, migrated: false };
  let entries: Dirent[];
  try {
    entries = await readdir(root, { withFileTypes: true });
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return { moved: 0, migrated: false };
    throw error;
  }
  if (!resuming && !entries.some(isLegacyEntry)) return { moved: 0, migrated: false };
  await mkdir(almanac, { recursive: true });
  await writeFile(join(almanac, MIGRATING_FILE), LAYOUT_VERSION);
  const moved = await migrateDirectory(root, root, '');
  await writeFile(join(almanac, LAYOUT_FILE), LAYOUT_VERSION);
  await unlinkQuietly(join(almanac, MIGRATING_FILE));
  return { moved, migrated: true };
}

/** Runs {@link migrateFsLayout} when needed; cheap when the root is already natural. */
export async function ensureLayout(root: string): Promise<void> {
  await migrateFsLayout(root);
}

async function migrateDirectory(root: string, dir: string, dirKey: string): Promise<number> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return 0;
    throw error;
  }
  let moved = 0;
  for (const entry of entries) {
    const { name } = entry;
    if (dir === root && name === ALMANAC_DIR) continue;
    const path = join(dir, name);
    if (name.startsWith(TEMP_PREFIX) && entry.isFile()) {
      // A 0.1 write that crashed: never an object.
      await unlinkQuietly(path);
      continue;
    }
    if (name.startsWith('.')) continue;
    let sortKey = decodeName(name);
    if (sortKey === undefined && isHashedName(name)) sortKey = await legacyHashedSortKey(dir, name, entry.isDirectory());
    if (sortKey === undefined) continue;
    if (entry.isDirectory()) {
      if (!sortKey.endsWith('/')) continue;
      moved += await migrateDirectory(root, path, dirKey + sortKey);
      await removeIfEmpty(path);
    } else if (entry.isFile() && !sortKey.endsWith('/')) {
      if (await migrateObject(root, dir, name, dirKey + sortKey)) moved++;
    }
  }
  return moved;
}

async function migrateObject(root: string, dir: string, name: string, key: string): Promise<boolean> {
  try {
    assertSafeKey(key);
  } catch {
    // A key 0.1 accepted but the current rules refuse (`.`, `..` segments): leave it in place.
    return false;
  }
  const location = locate(root, key);
  await ensureDirectories(root, location);
  const oldData = join(dir, name);
  const oldSidecar = join(dir, sidecarName(name));
  try {
    await rename(oldSidecar, location.sidecar);
  } catch (error) {
    if (errorCode(error) !== 'ENOENT') throw error;
  }
  if (oldData === location.file) return true;
  let target = location.file;
  try {
    if ((await readdir(location.file).then(() => true, () => false))) target = location.escapedFile;
  } catch {
    // Not a directory: the natural name is free or a file.
  }
  try {
    await rename(oldData, target);
  } catch (error) {
    // Another process migrated it meanwhile.
    if (errorCode(error) === 'ENOENT') return false;
    throw error;
  }
  return true;
}

async function legacyHashedSortKey(dir: string, name: string, isDir: boolean): Promise<string | undefined> {
  if (isDir) return readFile(join(dir, name, SEGMENT_FILE), 'utf8').catch(() => undefined);
  const key = (await readSidecar(join(dir, sidecarName(name))))?.key;
  return key?.slice(key.lastIndexOf('/') + 1);
}

async function removeIfEmpty(dir: string): Promise<void> {
  try {
    await unlink(join(dir, SEGMENT_FILE)).catch(() => undefined);
    await rmdir(dir);
  } catch {
    // Something the 0.1 adapter ignored is still there: keep the folder.
  }
}
