import { compact, silentLogger, systemClock } from '@almanac/core';
import { callProvider } from '@almanac/core/kit';
import type { AlmanacError } from '@almanac/core';
import { STORAGE_SPECIFICATION_VERSION } from '../../spec';
import type {
  CopyRequest,
  ListPage,
  ListRequest,
  ObjectInfo,
  ObjectVersion,
  ReadRequest,
  ReadResult,
  SignedUrl,
  SignedUrlRequest,
  StorageCapabilities,
  StorageProvider,
  WriteRequest,
} from '../../spec';
import { assertChecksum, chunksOf, digest, guardedStream, readHead } from './body';
import { CALL_SIGNAL, LIST_BODY_PEEK, buildS3Client, lazyS3Sdk } from './client';
import type { S3ClientLike, S3CommandClass, S3SdkModule } from './client';
import { S3_PROVIDER, mapS3Error, s3ErrorDetails } from './errors';
import { continuationTokenIn, createListReadAhead } from './list-read-ahead';
import { listEntries, listVersions, objectInfoFromHead, record } from './map';
import { resolveS3Options } from './options';
import type { S3ProviderOptions } from './options';
import { encodeMetadata } from './metadata';
import { uploadMultipart } from './multipart';
import { checkPosture } from './posture';

/** Storage classes S3 accepts on write and in `setStorageClass`. */
export const S3_STORAGE_CLASSES = ['STANDARD', 'INTELLIGENT_TIERING', 'STANDARD_IA', 'ONEZONE_IA', 'GLACIER_IR', 'GLACIER', 'DEEP_ARCHIVE'] as const;

/** Where `readBytes` keeps the body in the attempt's result (never a field S3 returns). */
const BYTES = '__almanacBytes';
/** Where `readBytes` keeps the SDK's output next to the bytes. */
const OUTPUT = '__almanacOutput';

/** `DeleteObjects` takes at most this many keys per call. */
const DELETE_BATCH = 1_000;

/** The S3 provider: the {@link StorageProvider} contract plus S3-only extras. */
export interface S3Provider extends StorageProvider {
  /** The bucket's region from `GetBucketLocation` (empty/`null` means `us-east-1`, `EU` means `eu-west-1`). */
  bucketRegion(options?: { readonly signal?: AbortSignal | undefined }): Promise<string>;
}

type Invoke = (sdk: S3SdkModule, client: S3ClientLike, signal: AbortSignal) => Promise<unknown>;

/**
 * Creates the bare S3 adapter (wrap it with `createStorage`, or use `createS3Storage`). The SDK packages are loaded on first use; the client is built once
 * (with `maxAttempts: 1`) unless one is injected.
 */
export function createS3StorageProvider(options: S3ProviderOptions): S3Provider {
  const settings = resolveS3Options(options);
  const { bucket } = settings;
  const clock = settings.clock ?? systemClock;
  const logger = settings.logger ?? silentLogger;
  const sdk = lazyS3Sdk(settings.importers);
  // Kept once loaded, so a call does not wait a promise turn for the SDK it already has. A client
  // built here is set up by buildS3Client; an injected one is used as it is.
  let loaded: { module: S3SdkModule; client: S3ClientLike; storedChecksumByHeader: boolean; signalOnInput: boolean; peeksListBodies: boolean } | undefined;
  const client = async (): Promise<{ module: S3SdkModule; client: S3ClientLike }> => {
    if (loaded) return loaded;
    const module = await sdk.client();
    loaded ??= {
      module,
      ...(settings.client === undefined ? buildS3Client(module, settings) : { client: settings.client, storedChecksumByHeader: false, signalOnInput: false, peeksListBodies: false }),
    };
    return loaded;
  };
  // Command classes by name: a computed lookup on the module namespace costs more than the map.
  const commands = new Map<string, S3CommandClass>();
  const command = (module: S3SdkModule, name: string, input: Record<string, unknown>, signal?: AbortSignal): object => {
    let Command = commands.get(name);
    if (Command === undefined) {
      Command = module[`${name}Command`];
      if (!Command) throw new TypeError(`@aws-sdk/client-s3 has no ${name}Command`);
      commands.set(name, Command);
    }
    return new Command(signal === undefined ? { Bucket: bucket, ...input } : { Bucket: bucket, ...input, [CALL_SIGNAL]: signal });
  };
  // A client built here takes the signal on the command input (`send` without options keeps the
  // SDK's cached middleware); any other in `send`'s options. Invokes run once the client is loaded.
  const send = (name: string, input: Record<string, unknown>): Invoke => (module, c, signal) =>
    loaded?.signalOnInput ? c.send(command(module, name, input, signal)) : c.send(command(module, name, input), { abortSignal: signal });

  // The client built here is the SDK's, whose HTTP handler rejects as soon as `abortSignal`
  // aborts: callProvider need not race each attempt against the signal. An injected client
  // might not, so its attempts are raced.
  const ownClient = settings.client === undefined;
  // One error mapper per operation name, not a closure per call.
  const mappers = new Map<string, (error: unknown) => AlmanacError>();
  const mapperOf = (operation: string) => {
    let mapper = mappers.get(operation);
    if (mapper === undefined) {
      mapper = (error: unknown) => mapS3Error(error, operation);
      mappers.set(operation, mapper);
    }
    return mapper;
  };

  /** Runs one SDK call through the kit's `callProvider`: retried only when idempotent, aborts win, failures mapped once. */
  const call = async (operation: string, invoke: Invoke, idempotent: boolean, signal: AbortSignal | undefined): Promise<Record<string, unknown>> => {
    const resolved = loaded ?? (await client());
    return callProvider(async (attemptSignal) => record(await invoke(resolved.module, resolved.client, attemptSignal)), {
      provider: S3_PROVIDER,
      operation,
      idempotent,
      signal,
      retry: settings.retry,
      clock,
      logger,
      mapError: mapperOf(operation),
      honoursSignal: ownClient,
    });
  };

  /** Like `call`, but "this configuration does not exist" answers `undefined` instead of failing. */
  const optional = async (operation: string, name: string, signal: AbortSignal | undefined, missing: ReadonlySet<string>) => {
    try {
      return await call(operation, send(name, {}), true, signal);
    } catch (error) {
      const code = s3ErrorDetails((error as AlmanacError).cause).code;
      if (code !== undefined && missing.has(code)) return undefined;
      throw error;
    }
  };

  const capabilities: StorageCapabilities = {
    list: true,
    listDelimiter: true,
    rangeRead: true,
    multipartWrite: true,
    multipartMinSize: settings.multipartThreshold,
    signedRead: true,
    signedWrite: true,
    storageClass: true,
    storageClasses: S3_STORAGE_CLASSES,
    versioning: true,
    tags: true,
    copy: true,
    conditionalWrite: true,
    checksums: ['md5', 'sha256'],
    maxKeyBytes: 1_024,
    posture: true,
    restore: true,
  };

  // S3 returns an object's stored checksum only when asked (`x-amz-checksum-mode: ENABLED`), so
  // `stat` can report it. A client built here adds the header itself; any other gets `ChecksumMode`.
  const head =
    (key: string): Invoke =>
    (module, c, signal) =>
      send('HeadObject', loaded?.storedChecksumByHeader ? { Key: key } : { Key: key, ChecksumMode: 'ENABLED' })(module, c, signal);
  const stat = async (key: string, signal: AbortSignal | undefined): Promise<ObjectInfo> =>
    objectInfoFromHead(key, await call('stat', head(key), true, signal));

  const writeInfo = (request: WriteRequest, size: number, output: Record<string, unknown>): ObjectInfo => {
    const etag = typeof output['ETag'] === 'string' ? output['ETag'] : undefined;
    const versionId = typeof output['VersionId'] === 'string' ? output['VersionId'] : undefined;
    const metadata: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.metadata ?? {})) metadata[name.toLowerCase()] = value;
    return {
      key: request.key,
      size,
      // S3 does not return the modification time of a write; a HEAD per write would double the calls.
      lastModified: new Date(clock.now()),
      metadata,
      storageClass: request.storageClass ?? 'STANDARD',
      ...(etag !== undefined && { etag }),
      ...(request.contentType !== undefined && { contentType: request.contentType }),
      ...(versionId !== undefined && versionId !== 'null' && { versionId }),
      ...(request.checksum !== undefined && { checksum: request.checksum }),
      raw: output,
    };
  };

  const baseParams = (request: WriteRequest): Record<string, unknown> => ({
    Bucket: bucket,
    Key: request.key,
    ...(request.contentType !== undefined && { ContentType: request.contentType }),
    ...(request.metadata !== undefined && { Metadata: encodeMetadata(request.metadata) }),
    ...(request.storageClass !== undefined && { StorageClass: request.storageClass }),
    ...(request.ifNoneMatch !== undefined && { IfNoneMatch: request.ifNoneMatch }),
    ...(request.ifMatch !== undefined && { IfMatch: request.ifMatch }),
  });

  /** One PutObject. Retried only when unconditional: a lost 200 followed by a retried `If-None-Match` would report a false conflict. */
  const putBytes = async (request: WriteRequest, bytes: Uint8Array): Promise<ObjectInfo> => {
    if (request.checksum) assertChecksum(request.checksum, digest(request.checksum, bytes), request.key);
    // Sent as well so S3 verifies what it received, not only what we were given.
    const checksumHeader = request.checksum
      ? request.checksum.algorithm === 'md5'
        ? { ContentMD5: Buffer.from(request.checksum.value, 'hex').toString('base64') }
        : { ChecksumSHA256: Buffer.from(request.checksum.value, 'hex').toString('base64') }
      : {};
    const input = { ...baseParams(request), ...checksumHeader, Body: bytes, ContentLength: bytes.byteLength };
    const conditional = request.ifNoneMatch !== undefined || request.ifMatch !== undefined;
    request.onProgress?.({ loaded: 0, total: bytes.byteLength });
    const output = await call('write', send('PutObject', input), !conditional, request.signal);
    request.onProgress?.({ loaded: bytes.byteLength, total: bytes.byteLength });
    return writeInfo(request, bytes.byteLength, output);
  };

  /**
   * A multipart upload (see `multipart.ts`): parts retried one by one, part size grown with the
   * body, and the upload aborted on any failure, including a failed `CompleteMultipartUpload`.
   * Preconditions go on `CompleteMultipartUpload`, where S3 checks them for multipart writes.
   */
  const putMultipart = async (request: WriteRequest, body: ReadableStream<Uint8Array>, size: number | undefined): Promise<ObjectInfo> => {
    const { IfNoneMatch, IfMatch, ...createParams } = baseParams(request);
    const conditional = IfNoneMatch !== undefined || IfMatch !== undefined;
    const onProgress = request.onProgress;
    onProgress?.({ loaded: 0, ...(size !== undefined && { total: size }) });
    const { output, sent } = await uploadMultipart(
      {
        create: async (signal) => {
          const created = await call('write', send('CreateMultipartUpload', createParams), false, signal);
          const uploadId = created['UploadId'];
          if (typeof uploadId !== 'string') throw mapS3Error(new Error('CreateMultipartUpload returned no UploadId'), 'write');
          return uploadId;
        },
        uploadPart: async (UploadId, PartNumber, part, signal) => {
          const uploaded = await call(
            'write',
            send('UploadPart', { Key: request.key, UploadId, PartNumber, Body: part, ContentLength: part.byteLength }),
            true,
            signal,
          );
          return String(uploaded['ETag'] ?? '');
        },
        complete: (UploadId, Parts, signal) =>
          call(
            'write',
            send('CompleteMultipartUpload', {
              Key: request.key,
              UploadId,
              MultipartUpload: { Parts },
              ...(IfNoneMatch !== undefined && { IfNoneMatch }),
              ...(IfMatch !== undefined && { IfMatch }),
            }),
            // A lost 200 followed by a repeat would answer NoSuchUpload (or a false 412 when
            // conditional): one attempt, and the upload is aborted if it fails.
            false,
            signal,
          ),
        abort: async (UploadId) => {
          await call('write', send('AbortMultipartUpload', { Key: request.key, UploadId }), true, undefined);
        },
      },
      {
        body,
        size,
        partSize: settings.partSize,
        queueSize: settings.queueSize,
        signal: request.signal,
        onProgress: onProgress && ((loaded) => onProgress({ loaded, ...(size !== undefined && { total: size }) })),
        onAbortFailed: (error) =>
          logger.warn('s3 multipart upload could not be aborted; its parts stay stored until a lifecycle rule removes them', {
            provider: S3_PROVIDER,
            key: request.key,
            conditional,
            error: error instanceof Error ? error.message : String(error),
          }),
      },
    );
    return writeInfo(request, size ?? sent, output);
  };

  /** One ListObjectsV2 call; `onNextToken` gets the next page's token as soon as the body has arrived (see list-read-ahead.ts). */
  const listOnce = async (request: ListRequest, onNextToken: (token: string) => void): Promise<ListPage> => {
    const input = {
      Prefix: request.prefix,
      // Keys come back URL-encoded, so one holding a character XML 1.0 cannot carry does not
      // break the whole page (decoded in map.ts).
      EncodingType: 'url',
      ...(request.delimiter !== undefined && { Delimiter: request.delimiter }),
      ...(request.limit !== undefined && { MaxKeys: Math.min(Math.max(1, request.limit), 1_000) }),
      ...(request.cursor !== undefined && { ContinuationToken: request.cursor }),
    };
    const peek = (body: Uint8Array) => {
      const token = continuationTokenIn(body);
      if (token !== undefined) onNextToken(token);
    };
    // Decided once the client is loaded: only a client built here hands bodies to the peek.
    const invoke: Invoke = (module, c, signal) => send('ListObjectsV2', readsAhead() ? { ...input, [LIST_BODY_PEEK]: peek } : input)(module, c, signal);
    const output = await call('list', invoke, true, request.signal);
    const next = output['IsTruncated'] === true && typeof output['NextContinuationToken'] === 'string' ? output['NextContinuationToken'] : undefined;
    return { entries: listEntries(output), ...(next !== undefined && { nextCursor: next }) };
  };

  // Pages read ahead, one ahead of the caller: the page after `cursor` is requested only once
  // the page at `cursor` has been asked for and its body has arrived, whichever comes last.
  const readAhead = createListReadAhead(clock);
  const readsAhead = () => settings.listReadAhead !== false && loaded?.peeksListBodies === true;
  const readAheadFrom = (request: ListRequest, cursor: string): void => {
    const next: ListRequest = compact({ prefix: request.prefix, delimiter: request.delimiter, limit: request.limit, cursor });
    let taken = false;
    let nextToken: string | undefined;
    readAhead.start(
      listKey(next),
      (signal) =>
        listOnce({ ...next, signal }, (token) => {
          nextToken = token;
          if (taken) readAheadFrom(next, token);
        }),
      () => {
        taken = true;
        if (nextToken !== undefined) readAheadFrom(next, nextToken);
      },
    );
  };

  const provider: S3Provider = {
    name: S3_PROVIDER,
    specificationVersion: STORAGE_SPECIFICATION_VERSION,
    capabilities,

    async listPage(request: ListRequest): Promise<ListPage> {
      const key = listKey(request);
      const ahead = readAhead.take(key, request.signal);
      if (ahead !== undefined) {
        try {
          return await ahead;
        } catch (error) {
          if (request.signal?.aborted) throw error;
          // The page fetched ahead failed: ask again, with this call's own retries and errors.
          logger.debug('s3 list read-ahead failed; fetching the page again', { provider: S3_PROVIDER, error: (error as Error).message });
        }
      }
      return listOnce(request, (token) => readAheadFrom(request, token));
    },

    stat: (request) => stat(request.key, request.signal),

    async read(request: ReadRequest): Promise<ReadResult> {
      const range = request.range;
      // S3 answers 416 to any range of an empty object, and to ranges past the end.
      if (range && (range.start > 0 || range.end !== undefined)) {
        const end = range.end;
        if (end !== undefined && end <= range.start) return { body: emptyStream(), info: await stat(request.key, request.signal) };
        try {
          const result = await getObject(request.key, `bytes=${range.start}-${end === undefined ? '' : end - 1}`, request.signal);
          // HTTP lets a server ignore `Range` (200 with everything), and some S3-compatible ones
          // widen it (s3rver reads `bytes=0-0` as the whole object): trim to what was asked.
          const served = /^bytes (\d+)-(\d+)\//.exec(String(record(result.info.raw)['ContentRange'] ?? ''));
          const first = served ? Number(served[1]) : 0;
          const last = served ? Number(served[2]) : Number.POSITIVE_INFINITY;
          if (first === range.start && (end === undefined || last === end - 1)) return result;
          return { ...result, body: result.body.pipeThrough(sliceStream(range.start - first, end === undefined ? undefined : end - first)) };
        } catch (error) {
          if ((error as AlmanacError).status !== 416) throw error;
          return { body: emptyStream(), info: await stat(request.key, request.signal) };
        }
      }
      return getObject(request.key, undefined, request.signal);
    },

    async readBytes(request) {
      // The body is read inside the attempt, so a connection cut mid-body is retried like any
      // idempotent GET, and through the SDK's own `transformToByteArray` (Node stream
      // concatenation), not a web stream read chunk by chunk.
      const output = await call(
        'read',
        async (module, c, signal) => {
          const got = record(await send('GetObject', { Key: request.key })(module, c, signal));
          const toBytes = record(got['Body'])['transformToByteArray'];
          if (typeof toBytes !== 'function') throw new Error('GetObject returned no body');
          // The output is described as it is (`objectInfoFromHead` leaves `Body` out), not copied.
          return { [OUTPUT]: got, [BYTES]: (await toBytes.call(got['Body'])) as Uint8Array };
        },
        true,
        request.signal,
      );
      return { bytes: output[BYTES] as Uint8Array, info: objectInfoFromHead(request.key, output[OUTPUT]) };
    },

    async write(request: WriteRequest): Promise<ObjectInfo> {
      const threshold = settings.multipartThreshold;
      if (request.body instanceof Uint8Array) {
        const bytes = request.body;
        if (bytes.byteLength <= threshold) return putBytes(request, bytes);
        if (request.checksum) assertChecksum(request.checksum, digest(request.checksum, bytes), request.key);
        const body = guardedStream(chunksOf(bytes, settings.partSize), undefined, { key: request.key, signal: request.signal });
        // Already verified above; the stream need not hash again.
        return putMultipart(request, body, bytes.byteLength);
      }
      const head = await readHead(request.body, threshold, request.signal);
      if (head.ended) return putBytes(request, head.bytes);
      const body = guardedStream(head.chunks, head.reader, { key: request.key, checksum: request.checksum, signal: request.signal });
      return putMultipart(request, body, request.size);
    },

    async delete(request) {
      await call('delete', send('DeleteObject', { Key: request.key }), true, request.signal);
    },

    async deleteMany(request) {
      const failed: { key: string; error: Error }[] = [];
      for (let start = 0; start < request.keys.length; start += DELETE_BATCH) {
        const keys = request.keys.slice(start, start + DELETE_BATCH);
        const output = await call(
          'deleteMany',
          send('DeleteObjects', { Delete: { Objects: keys.map((key) => ({ Key: key })), Quiet: true } }),
          true,
          request.signal,
        );
        for (const item of Array.isArray(output['Errors']) ? output['Errors'] : []) {
          const entry = record(item);
          const code = typeof entry['Code'] === 'string' ? entry['Code'] : 'InternalError';
          if (code === 'NoSuchKey') continue;
          const cause = Object.assign(new Error(String(entry['Message'] ?? code)), { name: code, Code: code });
          failed.push({ key: String(entry['Key'] ?? ''), error: mapS3Error(cause, 'deleteMany') });
        }
      }
      return { failed };
    },

    async copy(request: CopyRequest): Promise<ObjectInfo> {
      const source = await stat(request.from, request.signal);
      const output = await copyObject('copy', source, request.to, {}, request.signal);
      return copiedInfo(source, request.to, output);
    },

    async signedUrl(request: SignedUrlRequest): Promise<SignedUrl> {
      const [{ getSignedUrl }, resolved] = await Promise.all([sdk.presigner(), client()]);
      const input =
        request.action === 'read'
          ? command(resolved.module, 'GetObject', { Key: request.key })
          : command(resolved.module, 'PutObject', { Key: request.key, ...(request.contentType !== undefined && { ContentType: request.contentType }) });
      // The presigner signs only `host` unless told otherwise: name Content-Type so S3 rejects an
      // upload with another type (https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html).
      const signedType = request.action === 'write' ? request.contentType : undefined;
      const signing = signedType !== undefined ? { signableHeaders: new Set(['content-type']) } : {};
      // The presigner dates the signature with the wall clock; the URL expires `expiresIn` after it.
      const signedAt = Date.now();
      // Signing is local, but resolving credentials may call out (IMDS, SSO): one attempt, mapped like any call.
      const url = await callProvider(() => getSignedUrl(resolved.client, input, { expiresIn: request.expiresIn, ...signing }), {
        provider: S3_PROVIDER,
        operation: 'signedUrl',
        idempotent: false,
        signal: request.signal,
        mapError: (error) => mapS3Error(error, 'signedUrl'),
      });
      return { url, headers: signedType === undefined ? {} : { 'content-type': signedType }, expiresAt: new Date(signedAt + request.expiresIn * 1000) };
    },

    async setStorageClass(request) {
      // S3 has no "change class" call: an in-place copy with the new class keeps content and
      // metadata. On a versioned bucket that copy is a new version and the previous one keeps
      // its class (and its price) until deleted: `deletePreviousVersionOnClassChange` deletes it.
      const source = await stat(request.key, request.signal);
      await copyObject('setStorageClass', source, request.key, { StorageClass: request.storageClass }, request.signal);
      if (settings.deletePreviousVersionOnClassChange === true && source.versionId !== undefined) {
        await call('setStorageClass', send('DeleteObject', { Key: request.key, VersionId: source.versionId }), true, request.signal);
      }
    },

    async getVersioning(options) {
      const output = await call('getVersioning', send('GetBucketVersioning', {}), true, options?.signal);
      return output['Status'] === 'Enabled';
    },

    async setVersioning(request) {
      await call(
        'setVersioning',
        send('PutBucketVersioning', { VersioningConfiguration: { Status: request.enabled ? 'Enabled' : 'Suspended' } }),
        true,
        request.signal,
      );
    },

    async listVersionsPage(request: ListRequest) {
      const marker = request.cursor === undefined ? undefined : decodeVersionCursor(request.cursor);
      const output = await call(
        'listVersions',
        send('ListObjectVersions', {
          Prefix: request.prefix,
          ...(request.delimiter !== undefined && { Delimiter: request.delimiter }),
          ...(request.limit !== undefined && { MaxKeys: Math.min(Math.max(1, request.limit), 1_000) }),
          ...(marker?.key !== undefined && { KeyMarker: marker.key }),
          ...(marker?.versionId !== undefined && { VersionIdMarker: marker.versionId }),
        }),
        true,
        request.signal,
      );
      const versions: ObjectVersion[] = listVersions(output);
      if (output['IsTruncated'] !== true) return { versions };
      const next = {
        key: typeof output['NextKeyMarker'] === 'string' ? output['NextKeyMarker'] : undefined,
        versionId: typeof output['NextVersionIdMarker'] === 'string' ? output['NextVersionIdMarker'] : undefined,
      };
      return { versions, nextCursor: encodeVersionCursor(next) };
    },

    async getTags(request) {
      const output = await call('getTags', send('GetObjectTagging', { Key: request.key }), true, request.signal);
      const tags: Record<string, string> = {};
      for (const tag of Array.isArray(output['TagSet']) ? output['TagSet'] : []) {
        const entry = record(tag);
        if (typeof entry['Key'] === 'string') tags[entry['Key']] = String(entry['Value'] ?? '');
      }
      return tags;
    },

    async setTags(request) {
      const TagSet = Object.entries(request.tags).map(([Key, Value]) => ({ Key, Value }));
      await call('setTags', send('PutObjectTagging', { Key: request.key, Tagging: { TagSet } }), true, request.signal);
    },

    async restore(request) {
      // RestoreObject answers 202 when it starts a restore, 200 when a restored copy already
      // exists (its expiry is extended), and 409 RestoreAlreadyInProgress while one runs
      // (https://docs.aws.amazon.com/AmazonS3/latest/API/API_RestoreObject.html).
      const Tier = request.tier === 'expedited' ? 'Expedited' : request.tier === 'bulk' ? 'Bulk' : 'Standard';
      try {
        const output = await call(
          'restore',
          send('RestoreObject', {
            Key: request.key,
            RestoreRequest: { ...(request.days !== undefined && { Days: request.days }), GlacierJobParameters: { Tier } },
          }),
          // Repeating a restore request is harmless: at worst it answers "already in progress".
          true,
          request.signal,
        );
        const status = record(output['$metadata'])['httpStatusCode'];
        return { state: status === 200 ? 'restored' : 'in-progress' };
      } catch (error) {
        if (s3ErrorDetails((error as AlmanacError).cause).code === 'RestoreAlreadyInProgress') return { state: 'in-progress' };
        throw error;
      }
    },

    posture: (options) => checkPosture((name, missing) => optional('posture', name, options?.signal, missing)),

    async bucketRegion(options) {
      const output = await call('bucketRegion', send('GetBucketLocation', {}), true, options?.signal);
      return regionOf(output['LocationConstraint']);
    },
  };

  /**
   * Server-side copy of `source` to `to`: one `CopyObject` up to 5 GiB, the most S3 copies in one
   * call; above that a multipart copy (`UploadPartCopy` ranges, pinned to the source's etag with
   * `CopySourceIfMatch`, aborted on any failure), carrying content type, metadata and storage
   * class over as `CopyObject` would (tags are not copied by either path's multipart form).
   * https://docs.aws.amazon.com/AmazonS3/latest/API/API_UploadPartCopy.html
   */
  async function copyObject(
    operation: string,
    source: ObjectInfo,
    to: string,
    overrides: { readonly StorageClass?: string | undefined },
    signal: AbortSignal | undefined,
  ): Promise<Record<string, unknown>> {
    const from = copySource(bucket, source.key);
    if (source.size <= MAX_COPY_OBJECT_BYTES) {
      return call(operation, send('CopyObject', { Key: to, CopySource: from, ...overrides, ...(overrides.StorageClass !== undefined && { MetadataDirective: 'COPY' }) }), true, signal);
    }
    const partSize = copyPartSize(source.size);
    const created = await call(
      operation,
      send('CreateMultipartUpload', {
        Key: to,
        ...(source.contentType !== undefined && { ContentType: source.contentType }),
        Metadata: encodeMetadata(source.metadata),
        StorageClass: overrides.StorageClass ?? source.storageClass ?? 'STANDARD',
      }),
      false,
      signal,
    );
    const UploadId = String(created['UploadId'] ?? '');
    try {
      const ranges: { PartNumber: number; range: string }[] = [];
      for (let start = 0, n = 1; start < source.size; start += partSize, n++) {
        ranges.push({ PartNumber: n, range: `bytes=${start}-${Math.min(start + partSize, source.size) - 1}` });
      }
      const parts: { PartNumber: number; ETag: string }[] = [];
      let next = 0;
      const worker = async () => {
        while (next < ranges.length) {
          const { PartNumber, range } = ranges[next++] as { PartNumber: number; range: string };
          const output = await call(
            operation,
            send('UploadPartCopy', {
              Key: to,
              UploadId,
              PartNumber,
              CopySource: from,
              CopySourceRange: range,
              ...(source.etag !== undefined && { CopySourceIfMatch: source.etag }),
            }),
            true,
            signal,
          );
          parts.push({ PartNumber, ETag: String(record(output['CopyPartResult'])['ETag'] ?? '') });
        }
      };
      await Promise.all(Array.from({ length: Math.min(settings.queueSize, ranges.length) }, worker));
      parts.sort((a, b) => a.PartNumber - b.PartNumber);
      return await call(operation, send('CompleteMultipartUpload', { Key: to, UploadId, MultipartUpload: { Parts: parts } }), false, signal);
    } catch (error) {
      await call(operation, send('AbortMultipartUpload', { Key: to, UploadId }), true, undefined).catch(() => undefined);
      throw error;
    }
  }

  async function getObject(key: string, range: string | undefined, signal: AbortSignal | undefined): Promise<ReadResult> {
    const output = await call('read', send('GetObject', { Key: key, ...(range !== undefined && { Range: range }) }), true, signal);
    const body = record(output['Body']);
    const toWeb = body['transformToWebStream'];
    if (typeof toWeb !== 'function') throw mapS3Error(new Error('GetObject returned no body stream'), 'read');
    return { body: toWeb.call(output['Body']) as ReadableStream<Uint8Array>, info: objectInfoFromHead(key, output) };
  }

  return provider;
}

/** The largest object one `CopyObject` can copy (5 GiB). */
export const MAX_COPY_OBJECT_BYTES = 5 * 1024 * 1024 * 1024;

/** Part size of a multipart copy: 512 MiB, grown so the object fits 10,000 parts. */
export function copyPartSize(size: number): number {
  const MIB = 1024 * 1024;
  return Math.max(512 * MIB, Math.ceil(Math.ceil(size / 10_000) / MIB) * MIB);
}

/** What a copy describes: the source's description under the new key, with the copy's etag and time. */
function copiedInfo(source: ObjectInfo, to: string, output: Record<string, unknown>): ObjectInfo {
  const result = record(output['CopyObjectResult']);
  const etag = result['ETag'] ?? output['ETag'];
  const modified = result['LastModified'];
  const versionId = output['VersionId'];
  const { versionId: _old, restore: _restore, ...rest } = source;
  return {
    ...rest,
    key: to,
    ...(typeof etag === 'string' && { etag }),
    lastModified: modified instanceof Date ? modified : new Date(),
    ...(typeof versionId === 'string' && versionId !== 'null' && { versionId }),
    raw: output,
  };
}

/** `LocationConstraint` → region: S3 answers nothing for us-east-1 and the legacy `EU` for eu-west-1. */
export function regionOf(constraint: unknown): string {
  if (typeof constraint !== 'string' || constraint === '') return 'us-east-1';
  return constraint === 'EU' ? 'eu-west-1' : constraint;
}

/** `CopySource` is `bucket/key`, URL-encoded; slashes stay readable as S3 accepts either. */
export function copySource(bucket: string, key: string): string {
  return `${bucket}/${key.split('/').map(encodeURIComponent).join('/')}`;
}

// The version cursor carries S3's two markers; base64url keeps it an opaque string.
function encodeVersionCursor(marker: { key: string | undefined; versionId: string | undefined }): string {
  return Buffer.from(JSON.stringify([marker.key ?? null, marker.versionId ?? null]), 'utf8').toString('base64url');
}

function decodeVersionCursor(cursor: string): { key?: string | undefined; versionId?: string | undefined } {
  try {
    const [key, versionId] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [unknown, unknown];
    return { ...(typeof key === 'string' && { key }), ...(typeof versionId === 'string' && { versionId }) };
  } catch {
    return {};
  }
}

/** Keeps bytes `[start, end)` of a stream. */
function sliceStream(start: number, end: number | undefined): TransformStream<Uint8Array, Uint8Array> {
  let offset = 0;
  return new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      const from = Math.max(0, start - offset);
      const to = end === undefined ? chunk.byteLength : Math.min(chunk.byteLength, end - offset);
      offset += chunk.byteLength;
      if (to > from) controller.enqueue(chunk.subarray(from, to));
    },
  });
}

function emptyStream(): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({ start: (controller) => controller.close() });
}

/** What identifies a page of a listing: the same prefix, delimiter, page size and cursor. */
function listKey(request: ListRequest): string {
  return JSON.stringify([request.prefix, request.delimiter ?? null, request.limit ?? null, request.cursor ?? null]);
}
