import { createHash } from 'node:crypto';
import type { BigIntStats } from 'node:fs';
import { copyFile, link, open, rename, stat } from 'node:fs/promises';
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
  tempPath,
  unlinkQuietly,
  writeSmallFileAtomic,
} from './atomic';
import { chunksOf, lowerCaseKeys } from './chunks';
import { toFsError } from './errors';
import { etagOf, sha256OfFile, sidecarMatches, toObjectInfo } from './info';
import { type KeyLocation, assertSafeKey, compareKeys, isHashedName, locate } from './key-path';
import { type Sidecar, readSidecar, serializeSidecar } from './sidecar';
import { optionsSchema } from './options';
import type { FsProvider, FsProviderOptions } from './options';
import { createConfinement } from './confine';
import { buildSignedUrl } from './signing';
import { type WalkBounds, type WalkedObject, walkKeys } from './walk';
import { createDirectoryWindowCache } from './window-cache';

const MAX_KEY_BYTES = 1024;
const DEFAULT_PAGE = 1000;
const STAT_CONCURRENCY = 32;

/**
 * Creates the local-disk {@link StorageProvider}. See `key-path.ts` for how keys map to files;
 * writes go to a temp file in the target's directory that is fsynced and renamed over it, so
 * no partial object is ever visible. Metadata, content type, tags and the SHA-256 etag live in
 * a `.<name>.meta.json` sidecar, written the same way after the data.
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

  const describe = async (key: string, file: string, sidecarPath: string): Promise<ObjectInfo> => {
    // Both at once: a stale sidecar is detected by inode either way.
    const [stats, sidecar] = await Promise.all([statFile(file), readSidecar(sidecarPath)]);
    if (!stats) throw new NotFoundError(`Object not found for key "${key}"`, { provider: 'fs', operation: 'stat' });
    return toObjectInfo(key, stats, sidecar, file);
  };

  /** Replaces the target with a complete temp file under the key lock, checking preconditions first. */
  const commit = async (location: KeyLocation, temp: string, request: Pick<WriteRequest, 'ifMatch' | 'ifNoneMatch'>, sidecar: (stats: BigIntStats) => Sidecar, key: string): Promise<ObjectInfo> =>
    withLock(location.file, async () => {
      if (request.ifMatch !== undefined) {
        const current = await statFile(location.file);
        const etag = current ? etagOf(current, await readSidecar(location.sidecar)) : undefined;
        if (etag !== request.ifMatch.replace(/^(W\/)?"|"$/g, '')) {
          throw new ConflictError(`Precondition failed for key "${key}": etag does not match`, { provider: 'fs', operation: 'write', status: 412 });
        }
      }
      const tempStats = await stat(temp, { bigint: true });
      await hooks.beforeRename?.(temp, location.file);
      if (request.ifNoneMatch === '*') {
        try {
          await link(temp, location.file);
        } catch (error) {
          if (errorCode(error) === 'EEXIST') {
            throw new ConflictError(`Object already exists for key "${key}"`, { provider: 'fs', operation: 'write', status: 412 });
          }
          throw error;
        }
        await unlinkQuietly(temp);
      } else {
        await rename(temp, location.file);
      }
      const side = sidecar(tempStats);
      await writeSmallFileAtomic(location.sidecar, location.dir, serializeSidecar(side));
      await syncDirectory(location.dir);
      return toObjectInfo(key, tempStats, side, location.file);
    });

  /** Creates the directories and a temp file, retrying if a concurrent delete pruned the directory meanwhile. */
  const openTemp = async (location: KeyLocation) => {
    for (let attempt = 0; ; attempt++) {
      await ensureDirectories(root, location.dirs, isHashedName);
      const temp = tempPath(location.dir);
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
    type Pending = { readonly type: 'object'; readonly walked: WalkedObject } | { readonly type: 'prefix'; readonly prefix: string };
    const pending: Pending[] = [];
    try {
      for await (const walked of walkKeys(root, bounds)) {
        checkSignal(signal);
        const common = prefixOf(walked.key);
        if (common === undefined) pending.push({ type: 'object', walked });
        else {
          bounds.skipPrefix = common;
          if (cursor === undefined || compareKeys(common, cursor) > 0) pending.push({ type: 'prefix', prefix: common });
        }
        if (pending.length > limit) break;
      }
      const more = pending.length > limit;
      const page = pending.slice(0, limit);
      const entries: ListEntry[] = [];
      for (let i = 0; i < page.length; i += STAT_CONCURRENCY) {
        checkSignal(signal);
        const described = await Promise.all(
          page.slice(i, i + STAT_CONCURRENCY).map(async (item): Promise<ListEntry | undefined> => {
            if (item.type === 'prefix') return item;
            try {
              return { type: 'object', ...(await describe(item.walked.key, item.walked.file, item.walked.sidecar)) };
            } catch (error) {
              // Deleted between the directory read and the stat: not listed.
              if (NotFoundError.isInstance(error)) return undefined;
              throw error;
            }
          }),
        );
        for (const entry of described) if (entry) entries.push(entry);
      }
      const last = page[page.length - 1];
      const nextCursor = more && last ? (last.type === 'prefix' ? last.prefix : last.walked.key) : undefined;
      return nextCursor === undefined ? { entries } : { entries, nextCursor };
    } catch (error) {
      throw toFsError(error, 'list');
    }
  };

  const read: StorageProvider['read'] = async ({ key, range, signal }) => {
    const location = where(key);
    checkSignal(signal);
    await confined(location.file, key, 'read');
    let handle: import('node:fs/promises').FileHandle;
    try {
      handle = await open(location.file, 'r');
    } catch (error) {
      throw toFsError(error, 'read', key);
    }
    try {
      // Reading through the open handle keeps serving this version even if the key is replaced meanwhile.
      const stats = await handle.stat({ bigint: true });
      if (!stats.isFile()) throw new NotFoundError(`Object not found for key "${key}"`, { provider: 'fs', operation: 'read' });
      const info = toObjectInfo(key, stats, await readSidecar(location.sidecar), location.file);
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
    await confined(location.file, key, 'delete');
    try {
      await withLock(location.file, async () => {
        await unlinkQuietly(location.file);
        await unlinkQuietly(location.sidecar);
      });
      const dirs: string[] = [root];
      for (const dir of location.dirs) dirs.push(join(dirs[dirs.length - 1] as string, dir.name));
      await pruneEmptyDirectories(root, dirs);
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
      await confined(location.file, key, 'stat');
      try {
        return await describe(key, location.file, location.sidecar);
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
      await confined(source.file, from, 'copy');
      await confined(target.file, to, 'copy');
      const sourceStats = await statFile(source.file).catch((error: unknown) => {
        throw toFsError(error, 'copy', from);
      });
      if (!sourceStats) throw new NotFoundError(`Object not found for key "${from}"`, { provider: 'fs', operation: 'copy' });
      const sourceSidecar = await readSidecar(source.sidecar);
      const { temp, handle } = await openTemp(target).catch((error: unknown) => {
        throw toFsError(error, 'copy', to);
      });
      await handle.close();
      try {
        await copyFile(source.file, temp);
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
      return buildSignedUrl(baseUrl, secret, {
        action,
        key,
        expires,
        contentType: action === 'write' ? contentType : undefined,
        inline: action === 'read' && config.inlineActiveContent === true,
      });
    },
    async getTags({ key, signal }) {
      const location = where(key);
      checkSignal(signal);
      await confined(location.file, key, 'getTags');
      const stats = await statFile(location.file);
      if (!stats) throw new NotFoundError(`Object not found for key "${key}"`, { provider: 'fs', operation: 'getTags' });
      const sidecar = await readSidecar(location.sidecar);
      return sidecarMatches(stats, sidecar) ? { ...sidecar.tags } : {};
    },
    async setTags({ key, tags, signal }) {
      const location = where(key);
      checkSignal(signal);
      await confined(location.file, key, 'setTags');
      try {
        await withLock(location.file, async () => {
          const stats = await statFile(location.file);
          if (!stats) throw new NotFoundError(`Object not found for key "${key}"`, { provider: 'fs', operation: 'setTags' });
          const current = await readSidecar(location.sidecar);
          const base: Sidecar = sidecarMatches(stats, current)
            ? current
            : { v: 1, key, ino: stats.ino.toString(), size: Number(stats.size), sha256: await sha256OfFile(location.file), metadata: {}, tags: {} };
          await writeSmallFileAtomic(location.sidecar, location.dir, serializeSidecar({ ...base, tags: { ...tags } }));
        });
      } catch (error) {
        throw toFsError(error, 'setTags', key);
      }
    },
    sweepTempFiles: (sweepOptions) => sweepTempFiles(root, clock.now(), sweepOptions?.olderThanMs ?? 3_600_000),
  };
  return provider;
}
