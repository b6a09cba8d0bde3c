import { createHash } from 'node:crypto';
import { type BigIntStats, statSync } from 'node:fs';
import { copyFile, link, lstat, open, rename, stat } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import {
  CapabilityError,
  ConflictError,
  IntegrityError,
  NotFoundError,
  ValidationError,
  abortReason,
  parse,
  systemClock,
} from '@almanac/core';
import { STORAGE_SPECIFICATION_VERSION } from '../../spec';
import type { ListEntry, ObjectInfo, StorageCapabilities, StorageProvider, WriteRequest } from '../../spec';
import {
  type FsWriteHooks,
  createKeyLocks,
  ensureDirectories,
  errorCode,
  pruneEmptyDirectories,
  sweepTempFiles,
  syncDirectory,
  tempDir,
  tempPath,
  unlinkFileQuietly,
  unlinkQuietly,
  writeSmallFileAtomic,
} from './atomic';
import { chunksOf, lowerCaseKeys } from './chunks';
import { toFsError } from './errors';
import { type FileStats, etagOf, listedObject, sha256OfFile, sidecarMatches, toObjectInfo } from './info';
import { type KeyLocation, assertSafeKey, compareKeys, locate, metaRoot } from './key-path';
import { ensureLayout } from './migrate';
import { ALMANAC_DIR } from './natural';
import { type Sidecar, readSidecar, readSidecarSync, serializeSidecar } from './sidecar';
import { optionsSchema } from './options';
import type { FsProvider, FsProviderOptions } from './options';
import { createConfinement } from './confine';
import { buildSignedUrl } from './signing';
import { type WalkBounds, type WalkedObject, walkKeys } from './walk';
import { createDirectoryWindowCache } from './window-cache';

const MAX_KEY_BYTES = 1024;
const DEFAULT_PAGE = 1000;
const STAT_CONCURRENCY = 32;

/** Options of a listing's per-file stat, built once (a page stats up to 1,000 files). */
const LIST_STAT = { throwIfNoEntry: false } as const;
const LIST_STAT_BIGINT = { bigint: true, throwIfNoEntry: false } as const;

/**
 * Creates the local-disk {@link StorageProvider}. The key `a/b/c.txt` is the file
 * `<root>/a/b/c.txt` (see `natural.ts` for the few names that are escaped); writes go to a temp
 * file under `<root>/.almanac/tmp` that is fsynced and renamed over the target, so no partial
 * object is ever visible. Metadata, content type, tags and the SHA-256 etag live in a sidecar
 * under `<root>/.almanac/meta` (see `key-path.ts`), written the same way after the data. A root
 * in the 0.1 layout (percent-encoded folders) is migrated on first use (see `migrate.ts`).
 *
 * Conditional writes are atomic within one provider (a per-key lock covers check and rename;
 * `ifNoneMatch: '*'` also uses `link`, which fails if the key exists, so it holds across
 * processes). `ifMatch` across processes is best effort.
 */
export function createFsStorageProvider(options: FsProviderOptions): FsProvider {
  const config = parse(optionsSchema, options, { provider: 'fs', operation: 'createFsStorageProvider', path: 'options' });
  const root = resolve(config.root);
  const clock = config.clock ?? systemClock;
  const hooks: FsWriteHooks = config.hooks ?? {};
  const baseUrl = config.baseUrl;
  const secret = config.signingSecret;
  const signing = baseUrl !== undefined && secret !== undefined;
  const withLock = createKeyLocks();
  const windowCache = createDirectoryWindowCache();

  const capabilities: StorageCapabilities = {
    list: true,
    listDelimiter: true,
    rangeRead: true,
    multipartWrite: false,
    multipartMinSize: 0,
    signedRead: signing,
    signedWrite: signing,
    storageClass: false,
    storageClasses: [],
    versioning: false,
    tags: true,
    copy: true,
    conditionalWrite: true,
    checksums: ['md5', 'sha256'],
    maxKeyBytes: MAX_KEY_BYTES,
    posture: false,
    restore: false,
  };

  const where = (key: string, field = 'key'): KeyLocation => {
    assertSafeKey(key, field);
    const location = locate(root, key);
    // Encoding already prevents escapes; this check keeps that true if the encoding ever changes.
    if (!location.file.startsWith(root + sep)) {
      throw new ValidationError(`Invalid ${field}: resolves outside the root`, [{ path: field, message: 'resolves outside the root' }], { provider: 'fs' });
    }
    return location;
  };

  // Refuses keys that reach outside the root through a symbolic link inside it.
  const confined = createConfinement(root);

  const checkSignal = (signal: AbortSignal | undefined) => {
    if (signal?.aborted) throw abortReason(signal);
  };

  const statFile = async (file: string): Promise<BigIntStats | undefined> => {
    try {
      const stats = await stat(file, { bigint: true });
      return stats.isFile() ? stats : undefined;
    } catch (error) {
      if (errorCode(error) === 'ENOENT' || errorCode(error) === 'ENOTDIR') return undefined;
      throw error;
    }
  };

  // A 0.1 root is migrated once, before the first operation touches it.
  let layout: Promise<void> | undefined;
  const ready = (): Promise<void> => {
    layout ??= ensureLayout(root).catch((error: unknown) => {
      layout = undefined;
      throw toFsError(error, 'migrate');
    });
    return layout;
  };

  /** The data file of a key: its natural name, or its escaped name when a directory holds that one. */
  const resolveFile = async (location: KeyLocation): Promise<{ file: string; stats: BigIntStats } | undefined> => {
    const natural = await statFile(location.file);
    if (natural) return { file: location.file, stats: natural };
    if (location.escapedFile === location.file) return undefined;
    const escaped = await statFile(location.escapedFile);
    return escaped ? { file: location.escapedFile, stats: escaped } : undefined;
  };

  const describe = async (key: string, location: KeyLocation): Promise<ObjectInfo> => {
    // Both at once: a stale sidecar is detected by inode either way.
    const [found, sidecar] = await Promise.all([resolveFile(location), readSidecar(location.sidecar)]);
    if (!found) throw new NotFoundError(`Object not found for key "${key}"`, { provider: 'fs', operation: 'stat' });
    return toObjectInfo(key, found.stats, sidecar, found.file);
  };

  /** Where a write lands: the natural name, unless a directory holds it. */
  const targetOf = async (location: KeyLocation): Promise<string> => {
    if (location.escapedFile === location.file) return location.file;
    try {
      return (await lstat(location.file)).isDirectory() ? location.escapedFile : location.file;
    } catch {
      return location.file;
    }
  };

  /** Replaces the target with a complete temp file under the key lock, checking preconditions first. */
  const commit = async (location: KeyLocation, temp: string, request: Pick<WriteRequest, 'ifMatch' | 'ifNoneMatch'>, sidecar: (stats: BigIntStats) => Sidecar, key: string): Promise<ObjectInfo> =>
    withLock(location.sidecar, async () => {
      if (request.ifMatch !== undefined) {
        const current = (await resolveFile(location))?.stats;
        const etag = current ? etagOf(current, await readSidecar(location.sidecar)) : undefined;
        if (etag !== request.ifMatch.replace(/^(W\/)?"|"$/g, '')) {
          throw new ConflictError(`Precondition failed for key "${key}": etag does not match`, { provider: 'fs', operation: 'write', status: 412 });
        }
      }
      const tempStats = await stat(temp, { bigint: true });
      let target = await targetOf(location);
      await hooks.beforeRename?.(temp, target);
      const exists = () => new ConflictError(`Object already exists for key "${key}"`, { provider: 'fs', operation: 'write', status: 412 });
      if (request.ifNoneMatch === '*' && (await resolveFile(location))) throw exists();
      for (let attempt = 0; ; attempt++) {
        try {
          if (request.ifNoneMatch === '*') {
            await link(temp, target);
            await unlinkQuietly(temp);
          } else {
            await rename(temp, target);
          }
          break;
        } catch (error) {
          const code = errorCode(error);
          if (code === 'EEXIST' && request.ifNoneMatch === '*' && !(await lstat(target)).isDirectory()) throw exists();
          // A directory took the natural name meanwhile (a write under `key/`): use the escaped one.
          if ((code === 'EISDIR' || code === 'EEXIST' || code === 'ENOTEMPTY' || code === 'EPERM') && attempt < 2 && target !== location.escapedFile) {
            target = location.escapedFile;
            continue;
          }
          throw error;
        }
      }
      // The other name may hold an older version (its directory came or went since): only one stays.
      if (target === location.file && location.escapedFile !== location.file) await unlinkFileQuietly(location.escapedFile);
      const side = sidecar(tempStats);
      await writeSmallFileAtomic(location.sidecar, location.metaDir, serializeSidecar(side));
      await syncDirectory(location.dir);
      return toObjectInfo(key, tempStats, side, target);
    });

  /** Creates the directories and a temp file, retrying if a concurrent delete pruned the directory meanwhile. */
  const openTemp = async (location: KeyLocation) => {
    for (let attempt = 0; ; attempt++) {
      await ensureDirectories(root, location);
      const temp = tempPath(tempDir(root));
      try {
        return { temp, handle: await open(temp, 'wx', 0o644) };
      } catch (error) {
        if (errorCode(error) !== 'ENOENT' || attempt >= 3) throw error;
      }
    }
  };

  const write = async (request: WriteRequest): Promise<ObjectInfo> => {
    const { key, signal } = request;
    const location = where(key);
    checkSignal(signal);
    await ready();
    await confined(location.file, key, 'write');
    const { temp, handle } = await openTemp(location);
    let closed = false;
    try {
      const sha256 = createHash('sha256');
      const md5 = request.checksum?.algorithm === 'md5' ? createHash('md5') : undefined;
      let loaded = 0;
      let index = 0;
      for await (const chunk of chunksOf(request.body, signal)) {
        checkSignal(signal);
        await hooks.beforeChunk?.(temp, index++);
        await handle.write(chunk);
        sha256.update(chunk);
        md5?.update(chunk);
        loaded += chunk.byteLength;
        const total = request.size ?? (request.body instanceof Uint8Array ? request.body.byteLength : undefined);
        request.onProgress?.(total === undefined ? { loaded } : { loaded, total });
      }
      await handle.sync();
      closed = true;
      await handle.close();
      const sha256Hex = sha256.digest('hex');
      const md5Hex = md5?.digest('hex');
      if (request.checksum) {
        const { algorithm, value } = request.checksum;
        const actual = algorithm === 'sha256' ? sha256Hex : algorithm === 'md5' ? md5Hex : undefined;
        if (actual === undefined) throw new CapabilityError(`checksum ${algorithm}`, { provider: 'fs', operation: 'write' });
        if (actual !== value.toLowerCase()) {
          throw new IntegrityError(`Checksum mismatch for key "${key}": expected ${algorithm} ${value}, got ${actual}`, { provider: 'fs', operation: 'write' });
        }
      }
      if (request.size !== undefined && request.size !== loaded) {
        throw new IntegrityError(`Size mismatch for key "${key}": expected ${request.size} bytes, got ${loaded}`, { provider: 'fs', operation: 'write' });
      }
      checkSignal(signal);
      return await commit(location, temp, request, (stats) => ({
        v: 1,
        key,
        ino: stats.ino.toString(),
        size: Number(stats.size),
        sha256: sha256Hex,
        ...(md5Hex === undefined ? {} : { md5: md5Hex }),
        ...(request.contentType === undefined ? {} : { contentType: request.contentType }),
        metadata: lowerCaseKeys(request.metadata ?? {}),
        tags: {},
      }), key);
    } catch (error) {
      if (!closed) await handle.close().catch(() => undefined);
      await unlinkQuietly(temp).catch(() => undefined);
      throw toFsError(error, 'write', key);
    }
  };

  const listPage: StorageProvider['listPage'] = async (request) => {
    const { prefix, delimiter, cursor, signal } = request;
    const limit = Math.max(1, Math.min(request.limit ?? DEFAULT_PAGE, DEFAULT_PAGE));
    const bounds: WalkBounds = { prefix, after: cursor ?? '', batch: Math.max(16, limit + 1), cache: windowCache };
    const prefixOf = (key: string): string | undefined => {
      if (!delimiter || !key.startsWith(prefix)) return undefined;
      const index = key.indexOf(delimiter, prefix.length);
      return index < 0 ? undefined : key.slice(0, index + delimiter.length);
    };
    if (cursor !== undefined) {
      const skip = prefixOf(cursor);
      if (skip !== undefined) bounds.skipPrefix = skip;
    }
    // Objects and common prefixes in key order (a prefix is a string); one more than a page, to know if more follow.
    const pending: (WalkedObject | string)[] = [];
    try {
      await ready();
      walk: for await (const run of walkKeys(root, bounds)) {
        checkSignal(signal);
        for (const walked of run) {
          const skip = bounds.skipPrefix;
          // Set by an earlier item of this run: the walk only sees it from the next run on.
          if (skip !== undefined && walked.key.startsWith(skip)) continue;
          const common = prefixOf(walked.key);
          if (common === undefined) pending.push(walked);
          else {
            bounds.skipPrefix = common;
            if (cursor === undefined || compareKeys(common, cursor) > 0) pending.push(common);
          }
          if (pending.length > limit) break walk;
        }
      }
      const more = pending.length > limit;
      const page = more ? pending.slice(0, limit) : pending;
      const entries: ListEntry[] = [];
      for (const item of page) {
        if (typeof item === 'string') {
          entries.push({ type: 'prefix', prefix: item });
          continue;
        }
        // Synchronous on purpose: an awaited stat per entry goes through libuv's four-thread pool
        // and costs about ten times the stat itself; a page of 1,000 takes a few milliseconds.
        // A number stat (no BigInt per field) unless the inode number does not fit a double.
        const { key, file, sidecar } = item;
        let stats: (FileStats & { isFile(): boolean }) | undefined = statSync(file, LIST_STAT);
        if (stats !== undefined && !Number.isSafeInteger(stats.ino)) stats = statSync(file, LIST_STAT_BIGINT);
        // Deleted between the directory read and the stat: not listed.
        if (!stats?.isFile()) continue;
        entries.push(listedObject(key, stats, sidecar === undefined ? undefined : readSidecarSync(sidecar), file));
      }
      const last = page[page.length - 1];
      const nextCursor = more && last !== undefined ? (typeof last === 'string' ? last : last.key) : undefined;
      return nextCursor === undefined ? { entries } : { entries, nextCursor };
    } catch (error) {
      throw toFsError(error, 'list');
    }
  };

  /**
   * Opens a key's data file (natural name first, then escaped). Reading through the open handle
   * keeps serving this version even if the key is replaced meanwhile.
   */
  const openObject = async (key: string, location: KeyLocation) => {
    for (const file of location.escapedFile === location.file ? [location.file] : [location.file, location.escapedFile]) {
      let handle: import('node:fs/promises').FileHandle;
      try {
        handle = await open(file, 'r');
      } catch (error) {
        if (['ENOENT', 'ENOTDIR', 'EISDIR'].includes(errorCode(error) ?? '')) continue;
        throw error;
      }
      const stats = await handle.stat({ bigint: true }).catch(async (error: unknown) => {
        await handle.close();
        throw error;
      });
      if (stats.isFile()) return { handle, stats, file };
      await handle.close();
    }
    throw new NotFoundError(`Object not found for key "${key}"`, { provider: 'fs', operation: 'read' });
  };

  const read: StorageProvider['read'] = async ({ key, range, signal }) => {
    const location = where(key);
    checkSignal(signal);
    await ready();
    await confined(location.file, key, 'read');
    let opened: { handle: import('node:fs/promises').FileHandle; stats: BigIntStats; file: string };
    try {
      opened = await openObject(key, location);
    } catch (error) {
      throw toFsError(error, 'read', key);
    }
    const { handle, stats, file } = opened;
    try {
      const info = toObjectInfo(key, stats, await readSidecar(location.sidecar), file);
      const start = Math.min(range?.start ?? 0, info.size);
      const end = Math.min(range?.end ?? info.size, info.size);
      if (end <= start) {
        await handle.close();
        return { info, body: new ReadableStream<Uint8Array>({ start: (controller) => controller.close() }) };
      }
      const stream = handle.createReadStream({ start, end: end - 1, autoClose: true });
      if (signal) {
        const onAbort = () => stream.destroy(abortReason(signal));
        signal.addEventListener('abort', onAbort, { once: true });
        stream.once('close', () => signal.removeEventListener('abort', onAbort));
      }
      return { info, body: Readable.toWeb(stream) as unknown as ReadableStream<Uint8Array> };
    } catch (error) {
      await handle.close().catch(() => undefined);
      throw toFsError(error, 'read', key);
    }
  };

  const deleteOne = async (key: string, signal: AbortSignal | undefined): Promise<void> => {
    const location = where(key);
    checkSignal(signal);
    await ready();
    await confined(location.file, key, 'delete');
    try {
      await withLock(location.sidecar, async () => {
        await unlinkFileQuietly(location.file);
        if (location.escapedFile !== location.file) await unlinkFileQuietly(location.escapedFile);
        await unlinkQuietly(location.sidecar);
      });
      const dirs: string[] = [root];
      const metaDirs: string[] = [metaRoot(root)];
      for (const dir of location.dirs) {
        dirs.push(join(dirs[dirs.length - 1] as string, dir.name));
        metaDirs.push(join(metaDirs[metaDirs.length - 1] as string, dir.metaName));
      }
      await pruneEmptyDirectories(root, dirs);
      await pruneEmptyDirectories(metaRoot(root), metaDirs);
    } catch (error) {
      throw toFsError(error, 'delete', key);
    }
  };

  const provider: FsProvider = {
    name: 'fs',
    specificationVersion: STORAGE_SPECIFICATION_VERSION,
    capabilities,
    // Signed URLs are off only for want of configuration: say which.
    ...(signing
      ? {}
      : {
          capabilityHints: {
            signedRead: 'configure signingSecret and baseUrl in createFsStorage, and mount createSignedUrlHandler at baseUrl',
            signedWrite: 'configure signingSecret and baseUrl in createFsStorage, and mount createSignedUrlHandler at baseUrl',
          },
        }),
    root,
    baseUrl,
    listPage,
    async stat({ key, signal }) {
      const location = where(key);
      checkSignal(signal);
      try {
        await ready();
        await confined(location.file, key, 'stat');
        return await describe(key, location);
      } catch (error) {
        throw toFsError(error, 'stat', key);
      }
    },
    read,
    write,
    delete: ({ key, signal }) => deleteOne(key, signal),
    async deleteMany({ keys, signal }) {
      const failed: { key: string; error: Error }[] = [];
      for (let i = 0; i < keys.length; i += STAT_CONCURRENCY) {
        checkSignal(signal);
        await Promise.all(
          keys.slice(i, i + STAT_CONCURRENCY).map(async (key) => {
            try {
              await deleteOne(key, undefined);
            } catch (error) {
              failed.push({ key, error: error as Error });
            }
          }),
        );
      }
      return { failed };
    },
    async copy({ from, to, signal }) {
      const source = where(from, 'from');
      const target = where(to, 'to');
      checkSignal(signal);
      await ready();
      await confined(source.file, from, 'copy');
      await confined(target.file, to, 'copy');
      const found = await resolveFile(source).catch((error: unknown) => {
        throw toFsError(error, 'copy', from);
      });
      if (!found) throw new NotFoundError(`Object not found for key "${from}"`, { provider: 'fs', operation: 'copy' });
      const sourceStats = found.stats;
      const sourceSidecar = await readSidecar(source.sidecar);
      const { temp, handle } = await openTemp(target).catch((error: unknown) => {
        throw toFsError(error, 'copy', to);
      });
      await handle.close();
      try {
        await copyFile(found.file, temp);
        const synced = await open(temp, 'r+');
        try {
          await synced.sync();
        } finally {
          await synced.close();
        }
        // If the source was replaced while copying, its sidecar no longer describes the copy: rehash.
        const copiedStats = await stat(temp, { bigint: true });
        const matched = sidecarMatches(sourceStats, sourceSidecar) && copiedStats.size === sourceStats.size ? sourceSidecar : undefined;
        const sha256 = matched?.sha256 ?? (await sha256OfFile(temp));
        checkSignal(signal);
        return await commit(target, temp, {}, (stats) => ({
          v: 1,
          key: to,
          ino: stats.ino.toString(),
          size: Number(stats.size),
          sha256,
          ...(matched?.md5 === undefined ? {} : { md5: matched.md5 }),
          ...(matched?.contentType === undefined ? {} : { contentType: matched.contentType }),
          metadata: { ...(matched?.metadata ?? {}) },
          tags: { ...(matched?.tags ?? {}) },
        }), to);
      } catch (error) {
        await unlinkQuietly(temp).catch(() => undefined);
        throw toFsError(error, 'copy', to);
      }
    },
    async signedUrl({ key, action, expiresIn, contentType }) {
      where(key);
      if (!signing) throw new CapabilityError(action === 'read' ? 'signedRead' : 'signedWrite', { provider: 'fs', operation: 'signedUrl' });
      const expires = Math.floor(clock.now() / 1000) + Math.ceil(expiresIn);
      const signedType = action === 'write' ? contentType : undefined;
      const url = buildSignedUrl(baseUrl, secret, {
        action,
        key,
        expires,
        contentType: signedType,
        inline: action === 'read' && config.inlineActiveContent === true,
      });
      // The handler refuses a PUT whose content-type differs from the signed one.
      return { url, headers: signedType === undefined ? {} : { 'content-type': signedType }, expiresAt: new Date(expires * 1000) };
    },
    async getTags({ key, signal }) {
      const location = where(key);
      checkSignal(signal);
      await ready();
      await confined(location.file, key, 'getTags');
      const found = await resolveFile(location);
      if (!found) throw new NotFoundError(`Object not found for key "${key}"`, { provider: 'fs', operation: 'getTags' });
      const sidecar = await readSidecar(location.sidecar);
      return sidecarMatches(found.stats, sidecar) ? { ...sidecar.tags } : {};
    },
    async setTags({ key, tags, signal }) {
      const location = where(key);
      checkSignal(signal);
      await ready();
      await confined(location.file, key, 'setTags');
      try {
        await withLock(location.sidecar, async () => {
          const found = await resolveFile(location);
          if (!found) throw new NotFoundError(`Object not found for key "${key}"`, { provider: 'fs', operation: 'setTags' });
          const { stats, file } = found;
          const current = await readSidecar(location.sidecar);
          const base: Sidecar = sidecarMatches(stats, current)
            ? current
            : { v: 1, key, ino: stats.ino.toString(), size: Number(stats.size), sha256: await sha256OfFile(file), metadata: {}, tags: {} };
          await ensureDirectories(root, location);
          await writeSmallFileAtomic(location.sidecar, location.metaDir, serializeSidecar({ ...base, tags: { ...tags } }));
        });
      } catch (error) {
        throw toFsError(error, 'setTags', key);
      }
    },
    sweepTempFiles: (sweepOptions) => sweepTempFiles(join(root, ALMANAC_DIR), clock.now(), sweepOptions?.olderThanMs ?? 3_600_000),
  };
  return provider;
}
