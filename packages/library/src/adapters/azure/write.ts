import { createHash, randomUUID } from 'node:crypto';
import { CapabilityError, ConflictError, IntegrityError, ValidationError, abortReason } from '@almanac/core';
import type { BlobHTTPHeaders, BlockBlobClient } from '@azure/storage-blob';
import type { ObjectInfo, WriteRequest } from '../../spec';
import { blocksOf } from './blocks';
import type { AzureContext } from './context';
import { AZURE_PROVIDER } from './errors';
import { decodeMetadata, encodeMetadata } from './metadata';

/** Access tiers of block blobs, as the API spells them. */
export const AZURE_TIERS = ['Hot', 'Cool', 'Cold', 'Archive'] as const;

const md5 = (bytes: Uint8Array) => createHash('md5').update(bytes).digest();

// exact-optional-ignore: `common` is spread into the Azure SDK's upload options, which refuse explicit undefined.
interface Prepared {
  readonly blob: BlockBlobClient;
  readonly headers: BlobHTTPHeaders;
  readonly common: { metadata?: Record<string, string>; tier?: string; conditions?: { ifNoneMatch?: string; ifMatch?: string } };
  /** Unconditional writes have the same effect twice, so they may be retried. */
  readonly idempotent: boolean;
  readonly expected: Buffer | undefined;
  readonly total: number | undefined;
}

/** Checks what the facade cannot know about Azure: tier names and checksum algorithms. */
export function checkTier(tier: string): void {
  if (!(AZURE_TIERS as readonly string[]).includes(tier)) {
    throw new ValidationError(`Unknown Azure access tier "${tier}"`, [{ path: 'storageClass', message: `must be one of ${AZURE_TIERS.join(', ')}` }], {
      provider: AZURE_PROVIDER,
    });
  }
}

/**
 * Writes a block blob. Bodies up to `blockSize` go in one `Put Blob`; larger ones are staged
 * as blocks (`concurrency` in flight) and committed with one `Put Block List` at the end, so a
 * failed or aborted upload commits nothing and no partial blob is ever visible (the service
 * discards uncommitted blocks after a week). The MD5 of the whole content is computed while
 * uploading: it is checked against `checksum` before committing and stored as the blob's
 * `Content-MD5`, so reads and listings report it. Staged blocks also carry a transactional MD5
 * the service verifies.
 */
export async function writeBlob(ctx: AzureContext, request: WriteRequest): Promise<ObjectInfo> {
  const { key, signal } = request;
  if (request.storageClass !== undefined) checkTier(request.storageClass);
  if (request.checksum !== undefined && request.checksum.algorithm !== 'md5') {
    throw new CapabilityError(`${request.checksum.algorithm} checksums`, { provider: AZURE_PROVIDER, operation: 'write' });
  }
  const { container } = await ctx.load();
  const conditions =
    request.ifNoneMatch !== undefined ? { ifNoneMatch: '*' } : request.ifMatch !== undefined ? { ifMatch: request.ifMatch } : undefined;
  const prepared: Prepared = {
    blob: container.getBlockBlobClient(key),
    headers: request.contentType === undefined ? {} : { blobContentType: request.contentType },
    common: {
      ...(request.metadata === undefined ? {} : { metadata: encodeMetadata(request.metadata) }),
      ...(request.storageClass === undefined ? {} : { tier: request.storageClass }),
      ...(conditions === undefined ? {} : { conditions }),
    },
    idempotent: conditions === undefined,
    expected: request.checksum === undefined ? undefined : Buffer.from(request.checksum.value, 'hex'),
    total: request.body instanceof Uint8Array ? request.body.byteLength : request.size,
  };
  const blocks = blocksOf(request.body, blockSizeFor(ctx.blockSize, prepared.total, key), signal);
  try {
    const first = await blocks.next();
    const second = first.done ? first : await blocks.next();
    if (second.done) {
      const bytes = first.done ? new Uint8Array(0) : first.value;
      return await putBlob(ctx, request, prepared, bytes);
    }
    return await stageAndCommit(ctx, request, prepared, [first.value, second.value], blocks);
  } catch (error) {
    // The body reader and staging loop throw the signal's raw reason; report ours.
    if (signal?.aborted) throw abortReason(signal);
    throw error;
  } finally {
    await blocks.return(undefined);
  }
}

/** Azure's limits (https://learn.microsoft.com/azure/storage/blobs/scalability-targets): 50,000 blocks of at most 4,000 MiB. */
export const MAX_BLOCKS = 50_000;
const MIB = 1024 * 1024;
/** Largest block Azure accepts. */
export const MAX_BLOCK_SIZE = 4000 * MIB;

/**
 * The block size of one upload: the configured one, grown (in whole MiB) when the body's known
 * size would otherwise need more than 50,000 blocks; a body too large even for 4,000 MiB blocks
 * fails before anything is sent.
 */
export function blockSizeFor(configured: number, total: number | undefined, key: string): number {
  if (total === undefined || total <= configured * MAX_BLOCKS) return configured;
  const needed = Math.ceil(Math.ceil(total / MAX_BLOCKS) / MIB) * MIB;
  if (needed > MAX_BLOCK_SIZE) throw tooManyBlocks(key, `${total} bytes exceed Azure's largest block blob (50,000 blocks of 4,000 MiB)`);
  return needed;
}

function tooManyBlocks(key: string, message: string): ValidationError {
  return new ValidationError(`azure write "${key}": ${message}`, [{ path: 'body', message }], { provider: AZURE_PROVIDER, operation: 'write' });
}

function mismatch(key: string, actual: Buffer, expected: Buffer): IntegrityError {
  return new IntegrityError(
    `azure write "${key}": content MD5 ${actual.toString('hex')} does not match the expected ${expected.toString('hex')}; nothing was stored`,
    { provider: AZURE_PROVIDER, operation: 'write' },
  );
}

function describe(request: WriteRequest, prepared: Prepared, size: number, digest: Buffer, response: { etag?: string | undefined; lastModified?: Date | undefined }): ObjectInfo {
  return {
    key: request.key,
    size,
    lastModified: response.lastModified ?? new Date(0),
    ...(response.etag === undefined ? {} : { etag: response.etag }),
    contentType: request.contentType ?? 'application/octet-stream',
    metadata: decodeMetadata(encodeMetadata(request.metadata ?? {})),
    ...(prepared.common.tier === undefined ? {} : { storageClass: prepared.common.tier }),
    checksum: { algorithm: 'md5', value: digest.toString('hex') },
    raw: response,
  };
}

async function putBlob(ctx: AzureContext, request: WriteRequest, prepared: Prepared, bytes: Uint8Array): Promise<ObjectInfo> {
  const { onProgress, signal, key } = request;
  const size = bytes.byteLength;
  const digest = md5(bytes);
  if (prepared.expected !== undefined && !digest.equals(prepared.expected)) throw mismatch(key, digest, prepared.expected);
  let reported = -1;
  const report = (loaded: number) => {
    if (loaded <= reported) return;
    reported = loaded;
    onProgress?.({ loaded, total: size });
  };
  const response = await ctx.call(
    'write',
    (abortSignal) =>
      prepared.blob.upload(bytes, size, {
        ...prepared.common,
        blobHTTPHeaders: { ...prepared.headers, blobContentMD5: digest },
        abortSignal,
        onProgress: (progress) => report(progress.loadedBytes),
      }),
    { signal, idempotent: prepared.idempotent, key },
  );
  report(size);
  return describe(request, prepared, size, digest, response);
}

async function stageAndCommit(
  ctx: AzureContext,
  request: WriteRequest,
  prepared: Prepared,
  head: readonly Uint8Array[],
  rest: AsyncIterator<Uint8Array>,
): Promise<ObjectInfo> {
  const { key, signal, onProgress } = request;
  const { blob } = prepared;
  if (request.ifNoneMatch !== undefined) {
    // Fail before uploading everything; the commit carries the same condition against races.
    const exists = await ctx.call('write', (abortSignal) => blob.exists({ abortSignal }), { signal, idempotent: true, key });
    if (exists) throw new ConflictError(`azure write "${key}": the blob already exists`, { provider: AZURE_PROVIDER, operation: 'write', status: 409 });
  }
  // Every block id of a blob must have the same length; a fresh prefix keeps concurrent
  // uploads to the same name from mixing their uncommitted blocks.
  const uploadId = randomUUID();
  const ids: string[] = [];
  const hash = createHash('md5');
  const inFlight = new Set<Promise<void>>();
  let failure: { error: unknown } | undefined;
  let loaded = 0;
  let size = 0;
  const stage = (bytes: Uint8Array) => {
    // A stream of unknown size cannot grow its blocks ahead of time: stop at the limit, before
    // uploading more than can ever be committed.
    if (ids.length >= MAX_BLOCKS) {
      throw tooManyBlocks(key, `needs more than ${MAX_BLOCKS} blocks of ${bytes.byteLength} bytes; pass its size or raise blockSize`);
    }
    const id = Buffer.from(`${uploadId}-${String(ids.length).padStart(6, '0')}`).toString('base64');
    ids.push(id);
    hash.update(bytes);
    size += bytes.byteLength;
    const task: Promise<void> = ctx
      .call(
        'write',
        (abortSignal) => blob.stageBlock(id, bytes, bytes.byteLength, { abortSignal, transactionalContentMD5: md5(bytes) }),
        { signal, idempotent: true, key },
      )
      .then(
        () => {
          loaded += bytes.byteLength;
          onProgress?.({ loaded, ...(prepared.total === undefined ? {} : { total: prepared.total }) });
        },
        (error: unknown) => {
          failure ??= { error };
        },
      )
      .finally(() => inFlight.delete(task));
    inFlight.add(task);
  };
  const drain = async (limit: number) => {
    while (inFlight.size > limit && failure === undefined) await Promise.race(inFlight);
  };
  for (const bytes of head) {
    stage(bytes);
    await drain(ctx.concurrency - 1);
  }
  while (failure === undefined) {
    const next = await rest.next();
    if (next.done) break;
    stage(next.value);
    await drain(ctx.concurrency - 1);
  }
  await Promise.all(inFlight);
  if (failure !== undefined) throw (failure as { error: unknown }).error;
  signal?.throwIfAborted();
  const digest = hash.digest();
  if (prepared.expected !== undefined && !digest.equals(prepared.expected)) {
    throw mismatch(key, digest, prepared.expected);
  }
  const response = await ctx.call(
    'write',
    (abortSignal) =>
      blob.commitBlockList(ids, { ...prepared.common, blobHTTPHeaders: { ...prepared.headers, blobContentMD5: digest }, abortSignal }),
    { signal, idempotent: prepared.idempotent, key },
  );
  return describe(request, prepared, size, digest, response);
}
