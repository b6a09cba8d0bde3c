/**
 * The storage provider contract. Adapters implement {@link StorageProvider}; users call the
 * `Storage` facade that wraps one (see `createStorage`).
 *
 * Keys are the provider's object names, already normalised and validated by the facade.
 * Bodies are web `ReadableStream<Uint8Array>`s or bytes; dates are `Date`s.
 */
import { SPECIFICATION_VERSION, defineCapabilityMethods } from '@almanac/core/kit';
import type { ProviderContract } from '@almanac/core/kit';

/** The version of this contract (the kit's `SPECIFICATION_VERSION`); providers declare it as `specificationVersion`. */
export const STORAGE_SPECIFICATION_VERSION = SPECIFICATION_VERSION;

/** Checksum algorithms a provider can verify on write and report on read. */
export type ChecksumAlgorithm = 'md5' | 'sha256' | 'crc32c';

/** What a provider supports. The facade rejects calls outside these with `CapabilityError`. */
export interface StorageCapabilities {
  /** `listPage` is available. */
  readonly list: boolean;
  /** Listing with a delimiter groups keys into common prefixes. */
  readonly listDelimiter: boolean;
  /** Byte-range reads. */
  readonly rangeRead: boolean;
  /** Large writes are split into parts (and aborted on failure) by the provider. */
  readonly multipartWrite: boolean;
  /** Size in bytes above which writes go multipart (0 when `multipartWrite` is false). */
  readonly multipartMinSize: number;
  /** Signed (pre-authorised, expiring) read URLs. */
  readonly signedRead: boolean;
  /** Signed (pre-authorised, expiring) write URLs. */
  readonly signedWrite: boolean;
  /** Objects have a storage class that can be set on write and changed later. */
  readonly storageClass: boolean;
  /** Storage classes as the provider's API spells them (empty when `storageClass` is false). */
  readonly storageClasses: readonly string[];
  /** Bucket versioning (`getVersioning`, `setVersioning`, `listVersionsPage`). */
  readonly versioning: boolean;
  /** Object tags (`getTags`, `setTags`). */
  readonly tags: boolean;
  /** Server-side copy. */
  readonly copy: boolean;
  /** `ifNoneMatch: '*'` writes (create only if absent) and `ifMatch` etag preconditions. */
  readonly conditionalWrite: boolean;
  /** Checksums the provider verifies on write. */
  readonly checksums: readonly ChecksumAlgorithm[];
  /** Longest key in UTF-8 bytes. */
  readonly maxKeyBytes: number;
  /** Bucket posture checks (`posture`). */
  readonly posture: boolean;
  /**
   * Archived objects can be brought back online (`restore`), and `ObjectInfo.restore` reports
   * progress: S3 `RestoreObject` (GLACIER, DEEP_ARCHIVE), Azure rehydration out of the Archive
   * tier; on GCS every class is online, so `restore` only checks the object exists.
   */
  readonly restore: boolean;
}

/** How far bringing an archived object back online has got (`ObjectInfo.restore`). */
export interface RestoreStatus {
  /** `in-progress`: requested, not readable yet; `restored`: readable (until `expiresAt`, on S3). */
  readonly state: 'in-progress' | 'restored';
  /** When a restored S3 copy is removed again (the object stays archived). */
  readonly expiresAt?: Date | undefined;
  /** Speed requested, as the provider names it (Azure's rehydrate priority `High`/`Standard`). */
  readonly priority?: string | undefined;
}

/** Input of {@link StorageProvider.restore}. */
export interface RestoreRequest extends CallOptions {
  /** Object key. */
  readonly key: string;
  /** Days the restored copy stays readable (S3: required by GLACIER and DEEP_ARCHIVE; ignored by Azure and GCS). */
  readonly days?: number | undefined;
  /**
   * Retrieval speed: `expedited` (S3 Expedited, Azure High priority), `standard` (default) or
   * `bulk` (S3 Bulk; Azure Standard).
   */
  readonly tier?: 'expedited' | 'standard' | 'bulk' | undefined;
  /** Azure: the tier the blob is rehydrated to (default `Hot`); ignored elsewhere. */
  readonly storageClass?: string | undefined;
}

/** Cancellation common to every call. */
export interface CallOptions {
  /** Aborts the call; an aborted write leaves no object behind. */
  readonly signal?: AbortSignal | undefined;
}

/** A checksum of an object's content. */
export interface Checksum {
  /** Algorithm. */
  readonly algorithm: ChecksumAlgorithm;
  /** Value: hex for md5 and sha256, base64 for crc32c (as the providers report them). */
  readonly value: string;
}

/** What a provider knows about one stored object. */
export interface ObjectInfo {
  /** Object key. */
  readonly key: string;
  /** Size in bytes. */
  readonly size: number;
  /** Last modification time. */
  readonly lastModified: Date;
  /** Entity tag, for conditional requests. */
  readonly etag?: string | undefined;
  /** Content type. */
  readonly contentType?: string | undefined;
  /** User metadata (lower-case keys). */
  readonly metadata: Readonly<Record<string, string>>;
  /** Storage class as the provider spells it. */
  readonly storageClass?: string | undefined;
  /** Version id, on versioned buckets. */
  readonly versionId?: string | undefined;
  /** Content checksum, when the provider reports one. */
  readonly checksum?: Checksum | undefined;
  /** Restore of an archived object, when one was requested or the object is restored. */
  readonly restore?: RestoreStatus | undefined;
  /** The provider's own representation, kept because mappings are lossy. */
  readonly raw?: unknown;
}

/** One listing entry: an object, or a common prefix when listing with a delimiter. */
export type ListEntry =
  | ({
      /** An object, described by the rest of the entry. */
      readonly type: 'object';
    } & ObjectInfo)
  | {
      /** A common prefix (listing with a delimiter). */
      readonly type: 'prefix';
      /** The prefix, ending with the delimiter. */
      readonly prefix: string;
    };

/** Input of {@link StorageProvider.listPage}. */
export interface ListRequest extends CallOptions {
  /** Only keys starting with this (may be empty). */
  readonly prefix: string;
  /** Group keys by this delimiter after the prefix (usually `/`). */
  readonly delimiter?: string | undefined;
  /** Page size hint. */
  readonly limit?: number | undefined;
  /** Cursor from the previous page. */
  readonly cursor?: string | undefined;
}

/** One page of a listing, in key order. */
export interface ListPage {
  /** Entries of this page. */
  readonly entries: readonly ListEntry[];
  /** Cursor of the next page; absent on the last page. */
  readonly nextCursor?: string | undefined;
}

/** A byte range: `start` inclusive, `end` exclusive (to the end when absent). */
export interface ByteRange {
  /** First byte. */
  readonly start: number;
  /** One past the last byte. */
  readonly end?: number | undefined;
}

/** Input of {@link StorageProvider.read}. */
export interface ReadRequest extends CallOptions {
  /** Object key. */
  readonly key: string;
  /** Only these bytes (requires `rangeRead`). */
  readonly range?: ByteRange | undefined;
}

/** An object being read. */
export interface ReadResult {
  /** The content (or the requested range of it). */
  readonly body: ReadableStream<Uint8Array>;
  /** The object's description. */
  readonly info: ObjectInfo;
}

/** Progress of a write. */
export interface WriteProgress {
  /** Bytes sent so far. */
  readonly loaded: number;
  /** Total bytes, when known. */
  readonly total?: number | undefined;
}

/** Input of {@link StorageProvider.write}. */
export interface WriteRequest extends CallOptions {
  /** Object key. */
  readonly key: string;
  /** Content. */
  readonly body: ReadableStream<Uint8Array> | Uint8Array;
  /** Size in bytes, when known (always known for `Uint8Array`). */
  readonly size?: number | undefined;
  /** Content type. */
  readonly contentType?: string | undefined;
  /** User metadata. */
  readonly metadata?: Readonly<Record<string, string>> | undefined;
  /** Storage class (must be in `capabilities.storageClasses`). */
  readonly storageClass?: string | undefined;
  /** Expected checksum: a mismatch fails the write with `IntegrityError` and stores nothing. */
  readonly checksum?: Checksum | undefined;
  /** `'*'`: fail with `ConflictError` if the key exists. */
  readonly ifNoneMatch?: '*' | undefined;
  /** Only overwrite if the current etag matches; otherwise `ConflictError`. */
  readonly ifMatch?: string | undefined;
  /** Called as bytes are sent. */
  readonly onProgress?: ((progress: WriteProgress) => void) | undefined;
}

/** Input of {@link StorageProvider.copy}. */
export interface CopyRequest extends CallOptions {
  /** Source key. */
  readonly from: string;
  /** Destination key (overwritten). */
  readonly to: string;
}

/** Input of {@link StorageProvider.signedUrl}. */
export interface SignedUrlRequest extends CallOptions {
  /** Object key. */
  readonly key: string;
  /** What the URL allows. */
  readonly action: 'read' | 'write';
  /** Lifetime in seconds. */
  readonly expiresIn: number;
  /** Content type a write URL is signed for. */
  readonly contentType?: string | undefined;
}

/**
 * What {@link StorageProvider.signedUrl} returns: the URL and exactly the headers a client must
 * send with it, because a URL alone is not always enough (Azure refuses a PUT without
 * `x-ms-blob-type`; S3 and GCS refuse a write whose `Content-Type` differs from the signed one).
 */
export interface SignedUrl {
  /** The pre-authorised URL. */
  readonly url: string;
  /**
   * Headers the client must send, with lower-case names: empty for a read; for a write, the
   * provider's required headers (Azure `x-ms-blob-type: BlockBlob`) plus `content-type` when
   * the request named one. Nothing a client may leave out is listed.
   */
  readonly headers: Readonly<Record<string, string>>;
  /** When the URL stops working; the facade computes `now + expiresIn` when absent. */
  readonly expiresAt?: Date | undefined;
}

/** One version of an object on a versioned bucket. */
export interface ObjectVersion {
  /** Object key. */
  readonly key: string;
  /** Version id. */
  readonly versionId: string;
  /** Whether this is the current version. */
  readonly isLatest: boolean;
  /** A delete marker rather than content. */
  readonly deleteMarker: boolean;
  /** Size in bytes (0 for delete markers). */
  readonly size: number;
  /** When this version was written. */
  readonly lastModified: Date;
  /** The provider's own representation. */
  readonly raw?: unknown;
}

/** A finding of a bucket posture check. */
export interface PostureFinding {
  /** Stable rule id, e.g. `s3.public_access_block`, `gcs.uniform_access`. */
  readonly rule: string;
  /** How bad. */
  readonly severity: 'info' | 'low' | 'medium' | 'high';
  /** Whether the bucket passes the rule. */
  readonly passed: boolean;
  /** One sentence. */
  readonly message: string;
  /** The provider's answer, kept raw. */
  readonly raw?: unknown;
}

/**
 * What an adapter implements. Small and async; every method takes a signal. Optional
 * operations are only called when `capabilities` says so and the method exists (the facade
 * checks both, see {@link STORAGE_CAPABILITY_METHODS}).
 */
export interface StorageProvider extends ProviderContract {
  /** Provider name used in errors and audit events, e.g. `s3`, `gcs`, `azure`, `fs`, `memory`. */
  readonly name: string;
  /**
   * The contract version the adapter implements: `'v1'`. The facade refuses a provider that
   * declares another version (or none) with a `ConfigError`, because third-party adapters are
   * matched structurally and a mismatch would otherwise fail later in confusing ways.
   */
  readonly specificationVersion: typeof STORAGE_SPECIFICATION_VERSION;
  /** What this provider supports. */
  readonly capabilities: StorageCapabilities;
  /** One page of objects (and common prefixes) under a prefix, in key order. */
  listPage(request: ListRequest): Promise<ListPage>;
  /** An object's description; `NotFoundError` when missing. */
  stat(request: { readonly key: string } & CallOptions): Promise<ObjectInfo>;
  /** An object's content; `NotFoundError` when missing. */
  read(request: ReadRequest): Promise<ReadResult>;
  /**
   * An object's whole content in one buffer, by the provider's fastest path (for S3 the SDK's
   * `transformToByteArray`, with no web stream in between). Optional: without it the facade's
   * `readBytes`/`readText` collect `read`'s stream. Never called with a range.
   */
  readBytes?(request: { readonly key: string } & CallOptions): Promise<{
    /** The content. */
    readonly bytes: Uint8Array;
    /** The object's description. */
    readonly info: ObjectInfo;
  }>;
  /** Writes an object atomically: after a failure or abort, no partial object is visible. */
  write(request: WriteRequest): Promise<ObjectInfo>;
  /** Deletes an object; deleting a missing key succeeds. */
  delete(request: { readonly key: string } & CallOptions): Promise<void>;
  /** Deletes many objects in as few calls as the provider allows; missing keys succeed. */
  deleteMany?(request: { readonly keys: readonly string[] } & CallOptions): Promise<{
    /** Keys that could not be deleted (missing keys are not failures). */
    readonly failed: readonly {
      /** The key. */
      readonly key: string;
      /** Why it could not be deleted. */
      readonly error: Error;
    }[];
  }>;
  /** Server-side copy; `NotFoundError` when the source is missing. */
  copy?(request: CopyRequest): Promise<ObjectInfo>;
  /**
   * A signed URL for a plain HTTP GET or PUT, with the headers the client must send
   * ({@link SignedUrl}). A bare string, what adapters written for 0.1 return, is still accepted
   * within contract `'v1'`: the facade then assumes no required header beyond the signed
   * `content-type`, which is wrong for a provider that needs more (return the object instead).
   */
  signedUrl?(request: SignedUrlRequest): Promise<SignedUrl | string>;
  /** Changes an object's storage class. */
  setStorageClass?(request: { readonly key: string; readonly storageClass: string } & CallOptions): Promise<void>;
  /** Whether versioning is enabled on the bucket. */
  getVersioning?(options?: CallOptions): Promise<boolean>;
  /** Enables or suspends versioning. */
  setVersioning?(request: { readonly enabled: boolean } & CallOptions): Promise<void>;
  /** One page of object versions under a prefix. */
  listVersionsPage?(request: ListRequest): Promise<{
    /** Versions of this page, newest first per key. */
    readonly versions: readonly ObjectVersion[];
    /** Cursor of the next page; absent on the last page. */
    readonly nextCursor?: string | undefined;
  }>;
  /** An object's tags. */
  getTags?(request: { readonly key: string } & CallOptions): Promise<Readonly<Record<string, string>>>;
  /** Replaces an object's tags. */
  setTags?(request: { readonly key: string; readonly tags: Readonly<Record<string, string>> } & CallOptions): Promise<void>;
  /** Bucket-level security posture (public access, encryption, versioning, logging…). */
  posture?(options?: CallOptions): Promise<PostureFinding[]>;
  /**
   * Starts bringing an archived object back online and says where it stands; calling it again
   * while a restore runs is not an error. `NotFoundError` when the object is missing.
   */
  restore?(request: RestoreRequest): Promise<RestoreStatus>;
}

/** Methods of {@link StorageProvider}, without its descriptive fields. */
export type StorageProviderMethod = Exclude<keyof StorageProvider, 'name' | 'specificationVersion' | 'capabilities'>;

/**
 * Which provider methods each capability needs. A capability is supported when its
 * `capabilities` flag is `true` and every listed method is a function; the facade's
 * `supports()`, its `CapabilityError`s and the typing of the methods it calls are all derived
 * from this one table, and the conformance suite checks it against each adapter. Pure flags
 * (`rangeRead`, `multipartWrite`, `conditionalWrite`) need no method: they change how `read` and
 * `write` behave. `listDelimiter` refines `list`; an adapter declaring it must declare `list` too.
 */
export const STORAGE_CAPABILITY_METHODS = defineCapabilityMethods<StorageProvider>()({
  /** Listing pages of objects. */
  list: ['listPage'],
  /** Listing with a delimiter (common prefixes). */
  listDelimiter: ['listPage'],
  /** Byte-range reads: a flag on `read`. */
  rangeRead: [],
  /** Multipart (or resumable) writes of large objects: a flag on `write`. */
  multipartWrite: [],
  /** Signed read URLs. */
  signedRead: ['signedUrl'],
  /** Signed write URLs. */
  signedWrite: ['signedUrl'],
  /** Storage classes, set on write and changed later. */
  storageClass: ['setStorageClass'],
  /** Bucket versioning. */
  versioning: ['getVersioning', 'setVersioning', 'listVersionsPage'],
  /** Object tags. */
  tags: ['getTags', 'setTags'],
  /** Server-side copy. */
  copy: ['copy'],
  /** `ifNoneMatch`/`ifMatch` preconditions: a flag on `write`. */
  conditionalWrite: [],
  /** Bucket posture checks. */
  posture: ['posture'],
  /** Restoring archived objects. */
  restore: ['restore'],
} as const satisfies { readonly [C in StorageCapability]: readonly StorageProviderMethod[] });

/** A capability `Storage.supports` can be asked about: a boolean flag of {@link StorageCapabilities}. */
export type StorageCapability =
  | 'list'
  | 'listDelimiter'
  | 'rangeRead'
  | 'multipartWrite'
  | 'signedRead'
  | 'signedWrite'
  | 'storageClass'
  | 'versioning'
  | 'tags'
  | 'copy'
  | 'conditionalWrite'
  | 'posture'
  | 'restore';
