import type { Clock, Logger } from '@almanac/core';
import type { CapabilitySupport } from '@almanac/core/kit';
import type {
  ByteRange,
  Checksum,
  ListEntry,
  ListPage,
  ObjectInfo,
  ObjectVersion,
  PostureFinding,
  StorageCapabilities,
  StorageCapability,
  StorageProvider,
  WriteProgress,
  RestoreStatus,
} from '../spec';

/**
 * How a {@link Storage} provides each capability (see {@link Storage.describeCapabilities}):
 * every capability of the spec, plus the operations the facade builds itself when the provider
 * has no call for them.
 */
export type StorageCapabilitySupport = {
  readonly [C in StorageCapability | 'deleteMany' | 'move']: CapabilitySupport;
};

/** Cancellation accepted by every facade call. */
export interface StorageCallOptions {
  /** Aborts the call (`AbortedError`); an aborted write leaves no object behind. */
  signal?: AbortSignal | undefined;
}

/** Options of {@link Storage.list}. */
export interface ListOptions extends StorageCallOptions {
  /** Only keys starting with this (NFC-normalised; not a full key, so `.` segments are allowed). */
  prefix?: string | undefined;
  /** Groups keys into common prefixes at this delimiter (usually `/`); needs `listDelimiter`. */
  delimiter?: string | undefined;
  /** Entries per provider page, 1–5000 (providers may return fewer). */
  pageSize?: number | undefined;
  /** Resume after a page: a `nextCursor` from {@link Listing.pages}. */
  cursor?: string | undefined;
}

/** A lazily fetched listing: iterate entries, collect them, or walk whole pages. */
export interface Listing extends AsyncIterable<ListEntry> {
  /** Collects entries, fetching no page once `limit` entries are collected. */
  toArray(options?: { limit?: number | undefined }): Promise<ListEntry[]>;
  /** Whole provider pages, with the cursor to resume after each one. */
  pages(): AsyncIterable<ListPage>;
}

/** Options of the read calls. */
export interface ReadOptions extends StorageCallOptions {
  /** Only these bytes; needs `rangeRead`. */
  range?: ByteRange | undefined;
}

/**
 * A body the facade accepts: bytes, a string (written as UTF-8), a web `ReadableStream`, or any
 * `AsyncIterable<Uint8Array>`, such as a Node `Readable` (`fs.createReadStream(path)`) or an
 * async generator; streams and iterables are sent as they are read, never buffered whole.
 */
export type WriteBody = ReadableStream<Uint8Array> | Uint8Array | string | AsyncIterable<Uint8Array>;

/** Options of {@link Storage.write}. */
export interface WriteOptions extends StorageCallOptions {
  /** Content type, e.g. `text/plain; charset=utf-8`. */
  contentType?: string | undefined;
  /** User metadata: keys `[a-z0-9_-]` (lower-cased), values without control characters. */
  metadata?: Record<string, string> | undefined;
  /** One of `capabilities.storageClasses`; needs `storageClass`. */
  storageClass?: string | undefined;
  /** Expected checksum; a mismatch fails with `IntegrityError` and stores nothing. */
  checksum?: Checksum | undefined;
  /** `'*'`: create only, `ConflictError` if the key exists; needs `conditionalWrite`. */
  ifNoneMatch?: '*' | undefined;
  /** Overwrite only if the current etag matches, else `ConflictError`; needs `conditionalWrite`. */
  ifMatch?: string | undefined;
  /** Called as bytes are sent. */
  onProgress?: ((progress: WriteProgress) => void) | undefined;
}

/** Options of {@link Storage.restore}. */
export interface RestoreOptions extends StorageCallOptions {
  /** Days the restored copy stays readable (S3; required for GLACIER and DEEP_ARCHIVE). */
  days?: number | undefined;
  /** `expedited`, `standard` (default) or `bulk`; Azure maps `expedited` to High priority. */
  tier?: 'expedited' | 'standard' | 'bulk' | undefined;
  /** Azure: the tier to rehydrate into (default `Hot`). */
  storageClass?: string | undefined;
}

/** Options of {@link Storage.signedUrl}. */
export interface SignedUrlOptions extends StorageCallOptions {
  /** `read` (GET) needs `signedRead`; `write` (PUT) needs `signedWrite`. */
  action: 'read' | 'write';
  /** Lifetime in whole seconds, 1–604800 (7 days, the longest every provider accepts). */
  expiresIn: number;
  /** Content type a write URL is signed for; the PUT must send the same. */
  contentType?: string | undefined;
}

/**
 * A pre-authorised HTTP request, from {@link Storage.signedRequest}: send `method` to `url`
 * with exactly `headers` (and the body, for a write) before `expiresAt`. Plain `fetch` works:
 * `fetch(r.url, { method: r.method, headers: r.headers, body })`.
 */
export interface SignedRequest {
  /** The signed URL. */
  readonly url: string;
  /** `GET` for a read URL, `PUT` for a write URL. */
  readonly method: 'GET' | 'PUT';
  /**
   * Headers the client must send, lower-case names. Empty for reads. For writes: Azure
   * `x-ms-blob-type: BlockBlob` (Azure refuses the PUT without it), and `content-type` on every
   * provider when `contentType` was given (S3, GCS, fs and memory refuse another type; on Azure
   * it sets the blob's type). Nothing optional is listed, so sending these is always enough.
   */
  readonly headers: Readonly<Record<string, string>>;
  /** When the URL stops working. */
  readonly expiresAt: Date;
}

/** Result of {@link Storage.deleteMany}: keys that could not be deleted. */
export interface DeleteManyResult {
  /** Each failed key with its error (missing keys are not failures). */
  readonly failed: readonly {
    /** The key. */
    readonly key: string;
    /** Why it could not be deleted (an Almanac error). */
    readonly error: Error;
  }[];
}

/**
 * One storage interface over any {@link StorageProvider}. Every call validates its input
 * (`ValidationError` naming the field), checks capabilities before touching the provider
 * (`CapabilityError`), runs under a deadline merged with the caller's signal
 * (`TimeoutError`/`AbortedError`) and fails only with Almanac errors.
 */
export interface Storage {
  /** The wrapped provider. */
  readonly provider: StorageProvider;
  /** Provider name, used in errors and audit events. */
  readonly name: string;
  /** What the provider supports. */
  readonly capabilities: StorageCapabilities;
  /**
   * Whether the provider declares a capability and has every method it needs (see
   * `STORAGE_CAPABILITY_METHODS`); calls that need an unsupported one fail with `CapabilityError`
   * before the provider is touched.
   */
  supports(capability: StorageCapability): boolean;
  /**
   * How each capability is provided, for callers that care about cost as well as availability:
   *
   * - `'native'`: the provider does it (for `move`: a server-side copy, then a delete);
   * - `'emulated'`: the facade builds it from other calls, so it works everywhere but costs
   *   more: `deleteMany` becomes one `delete` per key (8 at a time) when the provider has no
   *   batch call, and `move` streams the object through this process (read, write, delete)
   *   when the provider cannot copy;
   * - `false`: unavailable; calls needing it fail with `CapabilityError`.
   *
   * The spec's own capabilities are `'native'` or `false` (the facade does not emulate `copy`:
   * a copy that silently downloads and re-uploads would surprise on large objects; `move` does).
   * Computed once; the returned object is frozen.
   */
  describeCapabilities(): StorageCapabilitySupport;
  /**
   * Lists objects (and common prefixes with a delimiter) in key order, fetching pages lazily; each
   * page runs under its own deadline. Invalid options and missing capabilities throw at once.
   */
  list(options?: ListOptions): Listing;
  /** An object's description; `NotFoundError` when missing. */
  stat(key: string, options?: StorageCallOptions): Promise<ObjectInfo>;
  /** Whether an object exists (a `stat` that maps `NotFoundError` to `false`). */
  exists(key: string, options?: StorageCallOptions): Promise<boolean>;
  /** An object's content as a stream; `NotFoundError` when missing. The deadline covers opening it. */
  read(key: string, options?: ReadOptions): Promise<ReadableStream<Uint8Array>>;
  /** An object's content as bytes; the deadline covers the whole transfer. */
  readBytes(key: string, options?: ReadOptions): Promise<Uint8Array>;
  /** An object's content decoded as UTF-8. */
  readText(key: string, options?: ReadOptions): Promise<string>;
  /** Writes an object atomically (strings as UTF-8); resolves with what was stored. */
  write(key: string, body: WriteBody, options?: WriteOptions): Promise<ObjectInfo>;
  /** Deletes an object; deleting a missing key succeeds. */
  delete(key: string, options?: StorageCallOptions): Promise<void>;
  /** Deletes many objects; per-key failures are returned, not thrown. */
  deleteMany(keys: readonly string[], options?: StorageCallOptions): Promise<DeleteManyResult>;
  /** Server-side copy (`to` is overwritten); needs `copy`. `NotFoundError` when `from` is missing. */
  copy(from: string, to: string, options?: StorageCallOptions): Promise<ObjectInfo>;
  /**
   * Copy then delete (read + write when the provider cannot copy). The source is only deleted
   * after the copy succeeded; moving a key onto itself changes nothing.
   */
  move(from: string, to: string, options?: StorageCallOptions): Promise<ObjectInfo>;
  /**
   * A pre-authorised, expiring URL for a plain HTTP GET or PUT; needs `signedRead` or
   * `signedWrite`. The URL alone is enough for a read. A write may need headers the URL
   * cannot carry (Azure's `x-ms-blob-type`, the signed `content-type`): hand out
   * {@link Storage.signedRequest} for writes, which returns them.
   */
  signedUrl(key: string, options: SignedUrlOptions): Promise<string>;
  /**
   * The same signed URL with everything a client must send with it: the method, the required
   * headers and the expiry time ({@link SignedRequest}), the same shape on every provider.
   */
  signedRequest(key: string, options: SignedUrlOptions): Promise<SignedRequest>;
  /** Changes an object's storage class; needs `storageClass`. */
  setStorageClass(key: string, storageClass: string, options?: StorageCallOptions): Promise<void>;
  /** Whether bucket versioning is on; needs `versioning`. */
  getVersioning(options?: StorageCallOptions): Promise<boolean>;
  /** Enables or suspends bucket versioning; needs `versioning`. */
  setVersioning(enabled: boolean, options?: StorageCallOptions): Promise<void>;
  /** Every version (and delete marker) under a prefix; needs `versioning`. */
  listVersions(options?: { prefix?: string | undefined } & StorageCallOptions): AsyncIterable<ObjectVersion>;
  /** An object's tags; needs `tags`. */
  getTags(key: string, options?: StorageCallOptions): Promise<Record<string, string>>;
  /** Replaces an object's tags; needs `tags`. */
  setTags(key: string, tags: Record<string, string>, options?: StorageCallOptions): Promise<void>;
  /** Bucket security posture findings; needs `posture`. */
  posture(options?: StorageCallOptions): Promise<PostureFinding[]>;
  /**
   * Starts bringing an archived object back online and says where it stands; needs `restore`.
   * S3 runs `RestoreObject` for GLACIER and DEEP_ARCHIVE objects (pass `days`, which those
   * classes require: the restored copy is readable that long, the object stays archived);
   * Azure rehydrates a blob out of the Archive tier into `storageClass` (default `Hot`); on GCS
   * every class is online and nothing needs doing. Calling it again while a restore runs is
   * fine. Poll `stat(key)` until `restore.state` is `restored`: S3 takes minutes (Expedited) to
   * hours (Standard, Bulk), Azure up to 15 hours (Standard) or under one (High priority).
   */
  restore(key: string, options?: RestoreOptions): Promise<RestoreStatus>;
}

/** Options of {@link createStorage}. */
export interface StorageOptions {
  /**
   * Deadline of each call (each page, for listings; opening the object, for `read` streams), in
   * milliseconds. Default 60 000. Writes get more, see `writeTimeoutMs`.
   */
  timeoutMs?: number | undefined;
  /**
   * Deadline of every write, in milliseconds, when set. By default a write of known size
   * (bytes, string) gets `timeoutMs` plus the time its body takes at `writeMinBytesPerSecond`,
   * and a streamed write (web stream, Node `Readable`, async iterable) has no deadline of its
   * own: only the caller's `signal` ends it, so a large upload is never cut off mid-way.
   */
  writeTimeoutMs?: number | undefined;
  /** Slowest throughput a write of known size is given time for, in bytes per second. Default 1 MiB/s. */
  writeMinBytesPerSecond?: number | undefined;
  /** Receives debug lines about failures; silent by default. */
  logger?: Logger | undefined;
  /** Clock for deadlines and durations; a manual clock in tests. */
  clock?: Clock | undefined;
  /** Called once per operation (per page for listings); a throwing listener is logged and ignored. */
  onEvent?: ((event: StorageAuditEvent) => void) | undefined;
}

/** What {@link StorageOptions.onEvent} receives for every operation. */
export interface StorageAuditEvent {
  /** Operation, e.g. `read`, `write`, `list`. */
  action: string;
  /** Object key, when the operation has one (`from` for copy and move). */
  key?: string | undefined;
  /** Provider name. */
  provider: string;
  /** Whether the operation succeeded. */
  outcome: 'ok' | 'error';
  /** Bytes read or written, when known. */
  bytes?: number | undefined;
  /** Wall time on the injected clock. */
  durationMs: number;
  /** The `AlmanacError` code on failure. */
  errorCode?: string | undefined;
}
