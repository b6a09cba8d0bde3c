import { ConflictError, IntegrityError, NotFoundError, ValidationError, abortReason, parse, systemClock } from '@almanac/core';
import { STORAGE_SPECIFICATION_VERSION } from '../../spec';
import type {
  CallOptions,
  Checksum,
  ListEntry,
  ListPage,
  ListRequest,
  ObjectInfo,
  ObjectVersion,
  ReadRequest,
  ReadResult,
  StorageCapabilities,
  WriteRequest,
} from '../../spec';
import { chunked, collect, digest } from './bodies';
import { MEMORY_STORAGE_CLASSES, optionsSchema } from './options';
import type { MemoryProvider, MemoryProviderOptions } from './options';
import { SignedUrlServer } from './signed-server';
import { SortedKeys } from './sorted-keys';

interface StoredObject {
  readonly bytes: Uint8Array;
  readonly lastModified: Date;
  readonly etag: string;
  readonly contentType: string;
  readonly metadata: Readonly<Record<string, string>>;
  storageClass: string;
  readonly versionId: string | undefined;
  readonly sha256: string;
  tags: Readonly<Record<string, string>>;
  /** Listing entry, built on first listing and dropped when the object changes. */
  entry?: ListEntry | undefined;
}

interface StoredVersion {
  readonly versionId: string;
  readonly deleteMarker: boolean;
  readonly size: number;
  readonly lastModified: Date;
}

const DEFAULT_PAGE = 1000;
const MAX_PAGE = 5000;

/**
 * Creates the in-memory reference provider: every capability, with the semantics the facade and
 * the conformance suite expect of real ones.
 *
 * - Writes (streamed or not) are collected completely and committed in one step, after
 *   conditions and checksums pass, so aborted or failed writes leave nothing. "Multipart" is
 *   declared above `multipartMinSize` and behaves the same: parts are buffered, then committed.
 * - Checksums: `md5` and `sha256` (hex) are verified; reads report `sha256`. Etags are the
 *   quoted md5 of the content, like S3 single-part uploads.
 * - Signed URLs are real `http://127.0.0.1:<port>/…` URLs served by a small `node:http` server
 *   this provider starts on first use (a small `node:http` server); `close()` stops it.
 * - Versioning follows S3: while enabled every write adds a version and a delete adds a delete
 *   marker; while suspended the single `null` version is replaced.
 * - Listing uses a sorted key array with binary search, in UTF-8 byte order, constant memory per page.
 */
export function createMemoryStorageProvider(options: MemoryProviderOptions = {}): MemoryProvider {
  parse(optionsSchema, options, { provider: options.name ?? 'memory', operation: 'createMemoryStorageProvider', path: 'options' });
  const name = options.name ?? 'memory';
  const clock = options.clock ?? systemClock;
  const storageClasses = options.storageClasses ?? MEMORY_STORAGE_CLASSES;
  const capabilities: StorageCapabilities = {
    list: true,
    listDelimiter: true,
    rangeRead: true,
    multipartWrite: true,
    multipartMinSize: options.multipartMinSize ?? 5 * 1024 * 1024,
    signedRead: true,
    signedWrite: true,
    storageClass: true,
    storageClasses,
    versioning: true,
    tags: true,
    copy: true,
    conditionalWrite: true,
    checksums: ['md5', 'sha256'],
    maxKeyBytes: options.maxKeyBytes ?? 1024,
    posture: true,
    restore: false,
    ...options.capabilities,
  };
  const defaultClass = storageClasses[0] as string;
  const objects = new Map<string, StoredObject>();
  const keys = new SortedKeys((key) => objects.has(key));
  const versions = new Map<string, StoredVersion[]>();
  let versioning = false;
  let versionSeq = 0;

  const notFound = (key: string, operation: string) =>
    new NotFoundError(`${name}: no object at key "${key}"`, { provider: name, operation });

  const checkSignal = (signal: AbortSignal | undefined) => {
    if (signal?.aborted) throw abortReason(signal);
  };

  const infoOf = (key: string, object: StoredObject): ObjectInfo => ({
    key,
    size: object.bytes.byteLength,
    lastModified: object.lastModified,
    etag: object.etag,
    contentType: object.contentType,
    metadata: object.metadata,
    storageClass: object.storageClass,
    ...(object.versionId === undefined ? {} : { versionId: object.versionId }),
    checksum: { algorithm: 'sha256', value: object.sha256 },
  });

  const nextVersionId = () => `v${String(++versionSeq).padStart(12, '0')}`;

  const recordVersion = (key: string, version: StoredVersion) => {
    const history = versions.get(key) ?? [];
    // Suspended versioning keeps one `null` version per key, as S3 does.
    const kept = version.versionId === 'null' ? history.filter((entry) => entry.versionId !== 'null') : history;
    kept.push(version);
    versions.set(key, kept);
  };

  /** Stores an object; every check happens before, so this never fails half-way. */
  const commit = (
    key: string,
    bytes: Uint8Array,
    fields: {
      contentType?: string | undefined;
      metadata?: Readonly<Record<string, string>> | undefined;
      storageClass?: string | undefined;
      tags?: Readonly<Record<string, string>> | undefined;
    },
  ): StoredObject => {
    const lastModified = new Date(clock.now());
    const versionId = versioning ? nextVersionId() : versions.has(key) ? 'null' : undefined;
    const object: StoredObject = {
      bytes,
      lastModified,
      etag: `"${digest('md5', bytes)}"`,
      contentType: fields.contentType ?? 'application/octet-stream',
      metadata: { ...(fields.metadata ?? {}) },
      storageClass: fields.storageClass ?? defaultClass,
      versionId,
      sha256: digest('sha256', bytes),
      tags: fields.tags ?? {},
    };
    if (!objects.has(key)) keys.add(key);
    objects.set(key, object);
    if (versionId !== undefined) recordVersion(key, { versionId, deleteMarker: false, size: bytes.byteLength, lastModified });
    return object;
  };

  const remove = (key: string) => {
    if (objects.delete(key)) keys.remove();
    if (versioning) recordVersion(key, { versionId: nextVersionId(), deleteMarker: true, size: 0, lastModified: new Date(clock.now()) });
    else if (versions.has(key)) {
      const kept = (versions.get(key) ?? []).filter((entry) => entry.versionId !== 'null');
      if (kept.length === 0) versions.delete(key);
      else versions.set(key, kept);
    }
  };

  const verify = (bytes: Uint8Array, checksum: Checksum) => {
    if (checksum.algorithm === 'crc32c') {
      throw new ValidationError(`${name} does not verify crc32c`, [{ path: 'checksum.algorithm', message: 'crc32c is not supported' }], {
        provider: name,
        operation: 'write',
      });
    }
    const actual = digest(checksum.algorithm, bytes);
    if (actual !== checksum.value.toLowerCase()) {
      throw new IntegrityError(`${name}: ${checksum.algorithm} mismatch (expected ${checksum.value}, got ${actual}); nothing stored`, {
        provider: name,
        operation: 'write',
      });
    }
  };

  const signer = new SignedUrlServer(
    {
      get(key) {
        const object = objects.get(key);
        return object && { bytes: object.bytes, contentType: object.contentType, etag: object.etag };
      },
      async put(key, bytes, contentType) {
        const previous = objects.get(key);
        commit(key, bytes, { contentType, storageClass: defaultClass, tags: previous?.tags ?? {} });
      },
    },
    clock,
  );

  const cursorOf = (value: string, isPrefix: boolean) => Buffer.from(`${isPrefix ? 'p' : 'o'}:${value}`, 'utf8').toString('base64url');

  const startIndex = (prefix: string, cursor: string | undefined): number => {
    if (cursor === undefined) return keys.lowerBound(prefix);
    const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
    const kind = decoded.slice(0, 2);
    const value = decoded.slice(2);
    if ((kind !== 'o:' && kind !== 'p:') || !value.startsWith(prefix)) {
      throw new ValidationError(`${name}: invalid list cursor`, [{ path: 'cursor', message: 'is not a cursor of this listing' }], {
        provider: name,
        operation: 'listPage',
      });
    }
    return kind === 'p:' ? keys.afterPrefix(value, keys.lowerBound(value)) : keys.lowerBound(value, true);
  };

  const listPage = async (request: ListRequest): Promise<ListPage> => {
    checkSignal(request.signal);
    const { prefix, delimiter } = request;
    const limit = Math.min(Math.max(1, request.limit ?? DEFAULT_PAGE), MAX_PAGE);
    const sorted = keys.view();
    const entries: ListEntry[] = [];
    let index = startIndex(prefix, request.cursor);
    let last: { value: string; isPrefix: boolean } | undefined;
    while (index < sorted.length && entries.length < limit) {
      const key = sorted[index] as string;
      if (!key.startsWith(prefix)) break;
      const cut = delimiter === undefined ? -1 : key.indexOf(delimiter, prefix.length);
      if (cut >= 0) {
        const common = key.slice(0, cut + (delimiter as string).length);
        entries.push({ type: 'prefix', prefix: common });
        last = { value: common, isPrefix: true };
        index = keys.afterPrefix(common, index);
        continue;
      }
      const object = objects.get(key) as StoredObject;
      // Cached: listing 100,000 keys must not rebuild 100,000 descriptions each time.
      object.entry ??= { type: 'object', ...infoOf(key, object) };
      entries.push(object.entry);
      last = { value: key, isPrefix: false };
      index++;
    }
    const more = index < sorted.length && (sorted[index] as string).startsWith(prefix);
    return more && last ? { entries, nextCursor: cursorOf(last.value, last.isPrefix) } : { entries };
  };

  const provider: MemoryProvider = {
    name,
    specificationVersion: STORAGE_SPECIFICATION_VERSION,
    capabilities,
    listPage,

    async stat({ key, signal }) {
      checkSignal(signal);
      const object = objects.get(key);
      if (!object) throw notFound(key, 'stat');
      return infoOf(key, object);
    },

    async read(request: ReadRequest): Promise<ReadResult> {
      checkSignal(request.signal);
      const object = objects.get(request.key);
      if (!object) throw notFound(request.key, 'read');
      const size = object.bytes.byteLength;
      const { range } = request;
      // Past-the-end ranges read as empty rather than failing, like an HTTP 206 clamp.
      const bytes =
        range === undefined ? object.bytes : object.bytes.subarray(Math.min(range.start, size), Math.min(range.end ?? size, size));
      return { body: chunked(bytes), info: infoOf(request.key, object) };
    },

    async write(request: WriteRequest): Promise<ObjectInfo> {
      const bytes = await collect(request);
      checkSignal(request.signal);
      if (request.checksum) verify(bytes, request.checksum);
      const current = objects.get(request.key);
      if (request.ifNoneMatch === '*' && current) {
        throw new ConflictError(`${name}: object "${request.key}" already exists`, { provider: name, operation: 'write', status: 412 });
      }
      if (request.ifMatch !== undefined && current?.etag !== request.ifMatch) {
        throw new ConflictError(`${name}: etag of "${request.key}" does not match ${request.ifMatch}`, {
          provider: name,
          operation: 'write',
          status: 412,
        });
      }
      if (request.storageClass !== undefined && !storageClasses.includes(request.storageClass)) {
        throw new ValidationError(undefined, [{ path: 'storageClass', message: `must be one of ${storageClasses.join(', ')}` }], {
          provider: name,
          operation: 'write',
        });
      }
      const object = commit(request.key, bytes, {
        contentType: request.contentType,
        metadata: request.metadata,
        storageClass: request.storageClass,
      });
      return infoOf(request.key, object);
    },

    async delete({ key, signal }) {
      checkSignal(signal);
      remove(key);
    },

    async deleteMany({ keys: toDelete, signal }) {
      checkSignal(signal);
      for (const key of toDelete) remove(key);
      return { failed: [] };
    },

    async copy({ from, to, signal }) {
      checkSignal(signal);
      const source = objects.get(from);
      if (!source) throw notFound(from, 'copy');
      const object = commit(to, source.bytes, {
        contentType: source.contentType,
        metadata: source.metadata,
        storageClass: source.storageClass,
        tags: source.tags,
      });
      return infoOf(to, object);
    },

    async signedUrl({ key, action, expiresIn, contentType, signal }) {
      checkSignal(signal);
      return signer.sign(key, action, expiresIn, contentType);
    },

    async setStorageClass({ key, storageClass, signal }) {
      checkSignal(signal);
      const object = objects.get(key);
      if (!object) throw notFound(key, 'setStorageClass');
      object.storageClass = storageClass;
      object.entry = undefined;
    },

    async getVersioning(callOptions?: CallOptions) {
      checkSignal(callOptions?.signal);
      return versioning;
    },

    async setVersioning({ enabled, signal }) {
      checkSignal(signal);
      versioning = enabled;
    },

    async listVersionsPage(request: ListRequest) {
      checkSignal(request.signal);
      const limit = Math.min(Math.max(1, request.limit ?? DEFAULT_PAGE), MAX_PAGE);
      const all: ObjectVersion[] = [];
      const versionKeys = [...versions.keys()].filter((key) => key.startsWith(request.prefix)).sort();
      for (const key of versionKeys) {
        const history = versions.get(key) ?? [];
        for (let i = history.length - 1; i >= 0; i--) {
          const version = history[i] as StoredVersion;
          all.push({ key, ...version, isLatest: i === history.length - 1 });
        }
      }
      const offset = request.cursor === undefined ? 0 : Number(request.cursor);
      if (!Number.isInteger(offset) || offset < 0) {
        throw new ValidationError(undefined, [{ path: 'cursor', message: 'is not a cursor of this listing' }], { provider: name });
      }
      const page = all.slice(offset, offset + limit);
      return offset + limit < all.length ? { versions: page, nextCursor: String(offset + limit) } : { versions: page };
    },

    async getTags({ key, signal }) {
      checkSignal(signal);
      const object = objects.get(key);
      if (!object) throw notFound(key, 'getTags');
      return { ...object.tags };
    },

    async setTags({ key, tags, signal }) {
      checkSignal(signal);
      const object = objects.get(key);
      if (!object) throw notFound(key, 'setTags');
      object.tags = { ...tags };
    },

    async posture(callOptions?: CallOptions) {
      checkSignal(callOptions?.signal);
      return [
        {
          rule: 'memory.volatile',
          severity: 'info',
          passed: true,
          message: 'In-memory store: nothing is persisted or publicly reachable; signed URLs are served on 127.0.0.1 only.',
        },
      ];
    },

    size: () => objects.size,
    clear() {
      objects.clear();
      versions.clear();
      keys.remove();
    },
    close: () => signer.close(),
  };
  return provider;
}
