import { AlmanacError, ConflictError, NotFoundError, ValidationError, silentLogger, systemClock } from '@almanac/core';
import { createHash } from 'node:crypto';
import { callProvider } from '@almanac/core/kit';
import type { Clock, Logger, RetryPolicy } from '@almanac/core';
import { pipeline } from 'node:stream/promises';
import { STORAGE_SPECIFICATION_VERSION } from '../../spec';
import type {
  CallOptions,
  CopyRequest,
  ListEntry,
  ListPage,
  ListRequest,
  ObjectInfo,
  ReadRequest,
  ReadResult,
  SignedUrl,
  SignedUrlRequest,
  StorageCapabilities,
  StorageProvider,
  WriteRequest,
} from '../../spec';
import { lazyGcsBucket } from './client';
import type { GcsBucketLike, GcsFileLike, GcsObjectResource } from './client';
import { GCS_PROVIDER, mapGcsError } from './errors';
import { compareKeys, hexToBase64, toObjectInfo, toObjectVersion } from './map';
import { resolveGcsOptions } from './options';
import type { GcsProviderOptions, ResolvedGcsOptions } from './options';
import { gcsPostureFindings } from './posture';
import { resumableUpload } from './resumable';
import { concatNodeStream } from '../../facade/streams';
import { emptyStream, peekEmpty, toNodeReadable, toWebStream } from './streams';

/** Storage classes as the JSON API spells them. */
export const GCS_STORAGE_CLASSES = ['STANDARD', 'NEARLINE', 'COLDLINE', 'ARCHIVE'] as const;

/** V4 signed URLs live at most seven days. */
const MAX_SIGNED_URL_SECONDS = 7 * 24 * 60 * 60;
/** Parallel deletes of `deleteMany`: the SDK has no batch call, so this bounds the fan-out. */
const DELETE_CONCURRENCY = 8;

interface Context {
  readonly bucket: () => Promise<GcsBucketLike>;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly retry: RetryPolicy | undefined;
}

/** Runs one SDK call through the kit's `callProvider`: retried only when idempotent, aborts win, failures mapped once. */
async function call<T>(
  context: Context,
  operation: string,
  invoke: (bucket: GcsBucketLike, signal: AbortSignal) => Promise<T>,
  options: { readonly idempotent: boolean; readonly signal?: AbortSignal | undefined },
): Promise<T> {
  const bucket = await context.bucket();
  return callProvider((signal) => invoke(bucket, signal), {
    provider: GCS_PROVIDER,
    operation,
    idempotent: options.idempotent,
    signal: options.signal,
    retry: context.retry,
    clock: context.clock,
    logger: context.logger,
    mapError: (error, { nowMs }) => mapGcsError(error, operation, nowMs),
  });
}

/**
 * Google documents delete, copy/rewrite and uploads as "conditionally idempotent": safe to
 * repeat only with a generation precondition, since a blind repeat could delete or overwrite a
 * newer generation someone wrote in between
 * (https://cloud.google.com/storage/docs/retry-strategy#idempotency). So the first attempt is
 * sent as asked and never repeated as is; after a retryable failure, the object's current
 * generation is read (`0` when absent) and the call is retried pinned to it (`ifGenerationMatch`).
 */
async function withGenerationRetry<T>(
  context: Context,
  operation: string,
  first: (bucket: GcsBucketLike, signal: AbortSignal) => Promise<T>,
  generation: () => Promise<string>,
  pinned: (bucket: GcsBucketLike, generation: string, signal: AbortSignal) => Promise<T>,
  signal: AbortSignal | undefined,
): Promise<T> {
  try {
    return await call(context, operation, first, { idempotent: false, signal });
  } catch (error) {
    if (signal?.aborted || !AlmanacError.isInstance(error) || !error.retryable) throw error;
    const current = await generation();
    return call(context, operation, (bucket, attemptSignal) => pinned(bucket, current, attemptSignal), { idempotent: true, signal });
  }
}

function capabilitiesOf(options: ResolvedGcsOptions): StorageCapabilities {
  return {
    list: true,
    listDelimiter: true,
    rangeRead: true,
    multipartWrite: true,
    multipartMinSize: options.resumableThreshold,
    signedRead: true,
    signedWrite: true,
    storageClass: true,
    storageClasses: GCS_STORAGE_CLASSES,
    versioning: true,
    // GCS has no object tags; faking them with custom metadata would change `metadata`.
    tags: false,
    copy: true,
    conditionalWrite: true,
    checksums: ['md5', 'crc32c'],
    maxKeyBytes: 1024,
    posture: true,
    // Every GCS class, ARCHIVE included, is online: reads work at once, so restore only checks
    // the object exists (https://cloud.google.com/storage/docs/storage-classes#archive).
    restore: true,
  };
}

/** `ifMatch` etag → generation (see `toObjectInfo`); anything else can match no generation. */
function generationOf(etag: string, key: string): string {
  const bare = etag.replace(/^W\//, '').replace(/^"|"$/g, '');
  if (!/^\d+$/.test(bare)) {
    throw new ConflictError(`gcs: write of "${key}" failed: ifMatch "${etag}" is not a generation of this object`, {
      provider: GCS_PROVIDER,
      operation: 'write',
      status: 412,
    });
  }
  return bare;
}

function resourceMetadata(request: WriteRequest): Record<string, unknown> {
  const metadata: Record<string, unknown> = { contentType: request.contentType ?? 'application/octet-stream' };
  if (request.metadata) {
    metadata['metadata'] = Object.fromEntries(Object.entries(request.metadata).map(([name, value]) => [name.toLowerCase(), value]));
  }
  if (request.storageClass) metadata['storageClass'] = request.storageClass;
  // The server verifies these and rejects a mismatch before anything is committed.
  if (request.checksum?.algorithm === 'md5') metadata['md5Hash'] = hexToBase64(request.checksum.value);
  if (request.checksum?.algorithm === 'crc32c') metadata['crc32c'] = request.checksum.value;
  return metadata;
}

/** Streams one upload attempt; resolves with the resource the final response carried. */
async function uploadOnce(
  file: GcsFileLike,
  original: WriteRequest,
  settings: ResolvedGcsOptions,
  signal: AbortSignal,
  generation?: string,
): Promise<GcsObjectResource> {
  const request: WriteRequest =
    original.body instanceof Uint8Array || original.size !== undefined ? original : { ...original, body: await peekEmpty(original.body) };
  const size = request.body instanceof Uint8Array ? request.body.byteLength : request.size;
  // Unknown sizes go resumable: only a session can take a body of any length.
  const resumable = size === undefined || size > settings.resumableThreshold;
  const metadata = resourceMetadata(request);
  const preconditionOpts: Record<string, unknown> = {};
  if (request.ifNoneMatch === '*') preconditionOpts['ifGenerationMatch'] = 0;
  else if (request.ifMatch !== undefined) preconditionOpts['ifGenerationMatch'] = generationOf(request.ifMatch, request.key);
  else if (generation !== undefined) preconditionOpts['ifGenerationMatch'] = Number(generation);
  const writeOptions: Record<string, unknown> = {
    resumable,
    contentType: metadata['contentType'],
    metadata,
    validation: request.checksum?.algorithm === 'md5' ? 'md5' : 'crc32c',
    ...(Object.keys(preconditionOpts).length > 0 ? { preconditionOpts } : {}),
    ...(resumable && settings.chunkSize > 0 ? { chunkSize: settings.chunkSize } : {}),
  };
  if (resumable && settings.chunkSize > 0) {
    // Chunked sessions resume after a failed chunk from the offset the service persisted (resumable.ts).
    const resource = await resumableUpload({
      file,
      body: request.body,
      size,
      metadata,
      preconditionOpts,
      chunkSize: settings.chunkSize,
      retry: settings.retry,
      clock: settings.clock ?? systemClock,
      signal,
      onProgress: (loaded) => request.onProgress?.({ loaded, ...(size === undefined ? {} : { total: size }) }),
    });
    return resource;
  }
  const sink = file.createWriteStream(writeOptions);
  const total = size;
  sink.on('progress', (event: { bytesWritten?: unknown }) => {
    if (typeof event.bytesWritten === 'number') request.onProgress?.({ loaded: event.bytesWritten, ...(total === undefined ? {} : { total }) });
  });
  // Destroying the stream mid-upload never finalises the object: a simple upload's request
  // is cut short, and a resumable session is left unfinished (GCS expires it after a week).
  await pipeline(toNodeReadable(request.body), sink, { signal });
  const resource = file.metadata;
  const loaded = Number(resource['size'] ?? total ?? 0);
  request.onProgress?.({ loaded, ...(total === undefined ? {} : { total }) });
  return resource;
}

/**
 * Creates the bare GCS adapter over one bucket (wrap it with `createStorage`, or use
 * `createGcsStorage`). Options are validated now (`ValidationError` naming every bad field); the
 * SDK is imported on the first call, failing with a `ConfigError` naming `@google-cloud/storage`
 * when it is not installed.
 */
export function createGcsStorageProvider(options: GcsProviderOptions): StorageProvider {
  const settings = resolveGcsOptions(options);
  const context: Context = {
    bucket: lazyGcsBucket(
      settings.bucket,
      settings.storage,
      {
        projectId: settings.projectId,
        keyFilename: settings.keyFilename,
        credentials: settings.credentials,
        apiEndpoint: settings.apiEndpoint,
      },
      settings.importer,
    ),
    clock: settings.clock ?? systemClock,
    logger: settings.logger ?? silentLogger,
    retry: settings.retry,
  };

  const stat = (key: string, signal: AbortSignal | undefined): Promise<ObjectInfo> =>
    call(context, 'stat', async (bucket) => toObjectInfo((await bucket.file(key).getMetadata())[0]), { idempotent: true, signal });

  /** The live generation of `key`, `'0'` when there is none (what `ifGenerationMatch` means by "absent"). */
  const generationOfKey = async (key: string, signal: AbortSignal | undefined): Promise<string> => {
    try {
      const info = await stat(key, signal);
      return info.etag ?? '0';
    } catch (error) {
      if (NotFoundError.isInstance(error)) return '0';
      throw error;
    }
  };

  const deleteOne = async (key: string, signal: AbortSignal | undefined): Promise<void> => {
    try {
      await withGenerationRetry(
        context,
        'delete',
        (bucket) => bucket.file(key).delete({ ignoreNotFound: true }),
        () => generationOfKey(key, signal),
        // Gone by now (the first attempt did delete it): done; else delete exactly that generation.
        async (bucket, generation) => (generation === '0' ? undefined : bucket.file(key).delete({ ignoreNotFound: true, ifGenerationMatch: generation })),
        signal,
      );
    } catch (error) {
      // Deleting what is already gone is success (a concurrent delete, or a retry after a lost reply).
      if (!NotFoundError.isInstance(error)) throw error;
    }
  };

  const listQuery = (request: ListRequest): Record<string, unknown> => ({
    autoPaginate: false,
    ...(request.prefix ? { prefix: request.prefix } : {}),
    ...(request.delimiter ? { delimiter: request.delimiter } : {}),
    ...(request.limit === undefined ? {} : { maxResults: request.limit }),
    ...(request.cursor ? { pageToken: request.cursor } : {}),
  });

  const nextCursorOf = (nextQuery: unknown): { nextCursor?: string | undefined } => {
    const token = (nextQuery as { pageToken?: unknown } | null | undefined)?.pageToken;
    return typeof token === 'string' && token !== '' ? { nextCursor: token } : {};
  };

  return {
    name: GCS_PROVIDER,
    specificationVersion: STORAGE_SPECIFICATION_VERSION,
    capabilities: capabilitiesOf(settings),

    async listPage(request): Promise<ListPage> {
      // The listing already carries every field ObjectInfo needs: no per-object getMetadata.
      const [files, nextQuery, response] = await call(context, 'list', (bucket) => bucket.getFiles(listQuery(request)), {
        idempotent: true,
        signal: request.signal,
      });
      const entries: ListEntry[] = ((files ?? []) as GcsFileLike[]).map((file) => ({ type: 'object', ...toObjectInfo(file.metadata) }));
      const prefixes = (response as { prefixes?: unknown } | undefined)?.prefixes;
      for (const prefix of Array.isArray(prefixes) ? prefixes : []) {
        if (typeof prefix === 'string') entries.push({ type: 'prefix', prefix });
      }
      entries.sort((a, b) => compareKeys(a.type === 'prefix' ? a.prefix : a.key, b.type === 'prefix' ? b.prefix : b.key));
      return { entries, ...nextCursorOf(nextQuery) };
    },

    stat: (request) => stat(request.key, request.signal),

    async restore(request) {
      await stat(request.key, request.signal);
      return { state: 'restored' };
    },

    async read(request: ReadRequest): Promise<ReadResult> {
      const info = await stat(request.key, request.signal);
      const range = request.range;
      const start = range?.start ?? 0;
      const end = Math.min(range?.end ?? info.size, info.size);
      if (range && start >= end) return { body: emptyStream(), info };
      const bucket = await context.bucket();
      // Pinning the generation we just described makes body and info agree under races.
      const file = bucket.file(request.key, info.etag ? { generation: info.etag } : {});
      // GCS ranges are inclusive at the end; ours are exclusive. Validation needs whole objects.
      const source = file.createReadStream(range ? { start, end: end - 1, validation: false } : {});
      const body = toWebStream(source, (error) => mapGcsError(error, 'read', context.clock.now()), request.signal);
      return { body, info };
    },

    async readBytes(request) {
      const info = await stat(request.key, request.signal);
      // The body is collected inside the attempt (a cut transfer is retried, pinned to the
      // generation described) straight from the SDK's Node stream, which checks the object's
      // CRC32C/MD5 as it reads: no web stream in between.
      const bytes = await call(
        context,
        'read',
        (bucket, signal) => concatNodeStream(bucket.file(request.key, info.etag ? { generation: info.etag } : {}).createReadStream({}), signal),
        { idempotent: true, signal: request.signal },
      );
      return { bytes, info };
    },

    async write(request: WriteRequest): Promise<ObjectInfo> {
      const upload = (bucket: GcsBucketLike, signal: AbortSignal, generation?: string) =>
        uploadOnce(bucket.file(request.key), request, settings, signal, generation);
      // A consumed stream cannot be sent again: one attempt.
      if (!(request.body instanceof Uint8Array)) return toObjectInfo(await call(context, 'write', upload, { idempotent: false, signal: request.signal }));
      const bytes = request.body;
      const conditional = request.ifNoneMatch !== undefined || request.ifMatch !== undefined;
      if (!conditional) {
        // Unconditional bytes: retried only pinned to the generation found after a failure.
        const resource = await withGenerationRetry(context, 'write', upload, () => generationOfKey(request.key, request.signal), (bucket, generation, signal) => upload(bucket, signal, generation), request.signal);
        return toObjectInfo(resource);
      }
      // A conditional write carries its generation precondition, so a resend is safe. But if the
      // first attempt succeeded and only its reply was lost, the resend fails its own precondition
      // (412): then the object is checked, and if it is exactly what was sent, the write succeeded.
      let attempts = 0;
      try {
        const resource = await call(
          context,
          'write',
          (bucket, signal) => {
            attempts++;
            return upload(bucket, signal);
          },
          { idempotent: true, signal: request.signal },
        );
        return toObjectInfo(resource);
      } catch (error) {
        if (attempts < 2 || !ConflictError.isInstance(error)) throw error;
        const current = await stat(request.key, request.signal).catch(() => undefined);
        if (current?.checksum?.algorithm === 'md5' && current.checksum.value === createHash('md5').update(bytes).digest('hex')) return current;
        throw error;
      }
    },

    delete: (request) => deleteOne(request.key, request.signal),

    async deleteMany(request) {
      const failed: { key: string; error: Error }[] = [];
      const queue = [...request.keys];
      const worker = async () => {
        for (let key = queue.shift(); key !== undefined; key = queue.shift()) {
          try {
            await deleteOne(key, request.signal);
          } catch (error) {
            if (request.signal?.aborted) throw error;
            failed.push({ key, error: error as Error });
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(DELETE_CONCURRENCY, queue.length) }, worker));
      return { failed };
    },

    async copy(request: CopyRequest): Promise<ObjectInfo> {
      const result = await withGenerationRetry(
        context,
        'copy',
        (bucket) => bucket.file(request.from).copy(bucket.file(request.to)),
        () => generationOfKey(request.to, request.signal),
        (bucket, generation) => bucket.file(request.from).copy(bucket.file(request.to), { preconditionOpts: { ifGenerationMatch: generation } }),
        request.signal,
      );
      const [copied, response] = result as [GcsFileLike | undefined, { resource?: GcsObjectResource | undefined } | undefined];
      const resource = response?.resource ?? copied?.metadata;
      return resource ? toObjectInfo(resource) : stat(request.to, request.signal);
    },

    async signedUrl(request: SignedUrlRequest): Promise<SignedUrl> {
      if (!Number.isInteger(request.expiresIn) || request.expiresIn < 1 || request.expiresIn > MAX_SIGNED_URL_SECONDS) {
        throw new ValidationError(undefined, [{ path: 'expiresIn', message: `must be an integer from 1 to ${MAX_SIGNED_URL_SECONDS} (7 days)` }], {
          provider: GCS_PROVIDER,
          operation: 'signedUrl',
        });
      }
      // Wall clock, like the SDK's own default. Signing at an explicit `accessibleAt` makes
      // X-Goog-Expires exactly `expiresIn`: the SDK takes the difference of the two times, each
      // rounded down to the second, so a second boundary between them would otherwise cost one.
      let signedAt = 0;
      const signedType = request.action === 'write' && request.contentType ? request.contentType : undefined;
      const [url] = await call(
        context,
        'signedUrl',
        (bucket) => {
          signedAt = Math.floor(Date.now() / 1000) * 1000;
          return bucket.file(request.key).getSignedUrl({
            version: 'v4',
            action: request.action,
            accessibleAt: new Date(signedAt),
            expires: signedAt + request.expiresIn * 1000,
            ...(signedType === undefined ? {} : { contentType: signedType }),
          });
        },
        { idempotent: true, signal: request.signal },
      );
      // A V4 signature over content-type makes GCS refuse an upload without that exact header
      // (https://cloud.google.com/storage/docs/authentication/canonical-requests#required-headers).
      return { url, headers: signedType === undefined ? {} : { 'content-type': signedType }, expiresAt: new Date(signedAt + request.expiresIn * 1000) };
    },

    async setStorageClass(request): Promise<void> {
      // A rewrite: conditionally idempotent like copy.
      await withGenerationRetry(
        context,
        'setStorageClass',
        (bucket) => bucket.file(request.key).setStorageClass(request.storageClass),
        () => generationOfKey(request.key, request.signal),
        (bucket, generation) =>
          bucket.file(request.key).setStorageClass(request.storageClass, { preconditionOpts: { ifGenerationMatch: generation } }),
        request.signal,
      );
    },

    async getVersioning(options?: CallOptions): Promise<boolean> {
      const [metadata] = await call(context, 'getVersioning', (bucket) => bucket.getMetadata(), { idempotent: true, signal: options?.signal });
      return (metadata as { versioning?: { enabled?: unknown } | undefined } | undefined)?.versioning?.enabled === true;
    },

    async setVersioning(request): Promise<void> {
      await call(context, 'setVersioning', (bucket) => bucket.setMetadata({ versioning: { enabled: request.enabled } }), {
        idempotent: true,
        signal: request.signal,
      });
    },

    async listVersionsPage(request) {
      const [files, nextQuery] = await call(context, 'listVersions', (bucket) => bucket.getFiles({ ...listQuery(request), versions: true }), {
        idempotent: true,
        signal: request.signal,
      });
      const versions = ((files ?? []) as GcsFileLike[]).map((file) => toObjectVersion(file.metadata));
      return { versions, ...nextCursorOf(nextQuery) };
    },

    async posture(options?: CallOptions) {
      const [[bucketResource], [policy]] = await Promise.all([
        call(context, 'posture', (bucket) => bucket.getMetadata(), { idempotent: true, signal: options?.signal }),
        call(context, 'posture', (bucket) => bucket.iam.getPolicy({ requestedPolicyVersion: 3 }), { idempotent: true, signal: options?.signal }),
      ]);
      return gcsPostureFindings(bucketResource, policy);
    },
  };
}
