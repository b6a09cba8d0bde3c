import { ValidationError, abortReason } from '@almanac/core';
import type { AlmanacError } from '@almanac/core';

// S3's multipart rules (https://docs.aws.amazon.com/AmazonS3/latest/userguide/qfacts.html):
// at most 10,000 parts, numbered 1 to 10,000; each part 5 MiB to 5 GiB except the last.

/** Most parts one multipart upload may have. */
export const MAX_PARTS = 10_000;
/** Largest part S3 accepts. */
export const MAX_PART_SIZE = 5 * 1024 * 1024 * 1024;
const MIB = 1024 * 1024;
/** When the size is unknown, the part size doubles after every this many parts (≈ 8 TiB at 8 MiB parts). */
export const PARTS_PER_SIZE_STEP = 1_000;

/**
 * Size of part `index` (0-based). With the total known, every part is at least
 * `total / 10,000` (rounded up to a MiB), as lib-storage does when `partSize` is not forced, so a
 * body of any allowed size fits in 10,000 parts. With the total unknown, parts start at
 * `configured` and double every {@link PARTS_PER_SIZE_STEP} parts (parts may differ in size).
 */
export function partSizeAt(index: number, configured: number, total: number | undefined): number {
  if (total !== undefined) {
    const needed = Math.ceil(Math.ceil(total / MAX_PARTS) / MIB) * MIB;
    return Math.min(MAX_PART_SIZE, Math.max(configured, needed));
  }
  return Math.min(MAX_PART_SIZE, configured * 2 ** Math.floor(index / PARTS_PER_SIZE_STEP));
}

/** The S3 calls a multipart upload makes; each already runs through the adapter's `callProvider`. */
export interface MultipartCalls {
  /** `CreateMultipartUpload`; resolves with the upload id. Not retried (a repeat would start a second upload). */
  create(signal: AbortSignal | undefined): Promise<string>;
  /** `UploadPart`; resolves with the part's ETag. Retried with backoff: a part is idempotent (same number, same bytes). */
  uploadPart(uploadId: string, partNumber: number, body: Uint8Array, signal: AbortSignal | undefined): Promise<string>;
  /** `CompleteMultipartUpload` with the parts in order (and the write's preconditions). */
  complete(uploadId: string, parts: readonly { readonly PartNumber: number; readonly ETag: string }[], signal: AbortSignal | undefined): Promise<Record<string, unknown>>;
  /** `AbortMultipartUpload` (idempotent, retried). */
  abort(uploadId: string): Promise<void>;
}

/** Input of {@link uploadMultipart}. */
export interface MultipartUpload {
  /** The body; errors it raises (checksum mismatch, abort) fail the upload before it completes. */
  readonly body: ReadableStream<Uint8Array>;
  /** Total size, when known. */
  readonly size: number | undefined;
  /** Configured part size (at least 5 MiB). */
  readonly partSize: number;
  /** Parts in flight at once; memory use is about `queueSize × partSize`. */
  readonly queueSize: number;
  /** The caller's signal. */
  readonly signal: AbortSignal | undefined;
  /** Progress after each part. */
  readonly onProgress?: ((loaded: number) => void) | undefined;
  /** Reports a failed abort (the parts then stay billed until a lifecycle rule removes them). */
  readonly onAbortFailed?: ((error: unknown) => void) | undefined;
}

/**
 * Reads `body` into parts and uploads them `queueSize` at a time: each part is retried on its
 * own (5xx, `SlowDown`, connection failures, with backoff), so one transient error does not fail
 * a large upload. Any failure, of a part, of the body, of the caller's signal, or of
 * `CompleteMultipartUpload` itself (412, 409, 5xx), aborts the multipart upload so no parts
 * stay stored and billed, then rethrows. Resolves with Complete's output and the bytes sent.
 */
export async function uploadMultipart(calls: MultipartCalls, upload: MultipartUpload): Promise<{ output: Record<string, unknown>; sent: number }> {
  const { body, size, partSize, queueSize, signal } = upload;
  const reader = body.getReader();
  const uploadId = await calls.create(signal).catch(async (error: unknown) => {
    await reader.cancel(error).catch(() => undefined);
    throw error;
  });
  const parts: { PartNumber: number; ETag: string }[] = [];
  const inFlight = new Set<Promise<void>>();
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  let ended = false;
  let sent = 0;
  let failure: { error: unknown } | undefined;

  /** The next part's bytes (one copy per part), or `undefined` at the end of the body. */
  const nextPart = async (length: number): Promise<Uint8Array | undefined> => {
    while (!ended && pendingBytes < length) {
      const next = await reader.read();
      if (next.done) ended = true;
      else if (next.value.byteLength > 0) {
        pending.push(next.value);
        pendingBytes += next.value.byteLength;
      }
    }
    if (pendingBytes === 0) return undefined;
    const take = Math.min(length, pendingBytes);
    const part = new Uint8Array(take);
    let offset = 0;
    const rest: Uint8Array[] = [];
    for (const chunk of pending) {
      if (offset < take) {
        const used = Math.min(chunk.byteLength, take - offset);
        part.set(used === chunk.byteLength ? chunk : chunk.subarray(0, used), offset);
        offset += used;
        if (used < chunk.byteLength) rest.push(chunk.subarray(used));
      } else rest.push(chunk);
    }
    pending = rest;
    pendingBytes -= take;
    return part;
  };

  try {
    for (let index = 0; ; index++) {
      if (failure) throw failure.error;
      if (signal?.aborted) throw abortReason(signal);
      if (index >= MAX_PARTS) {
        const message = `needs more than ${MAX_PARTS} parts at this part size; pass its size or raise partSize`;
        throw new ValidationError(`s3: write body ${message}`, [{ path: 'body', message }], { provider: 's3', operation: 'write' });
      }
      const part = await nextPart(partSizeAt(index, partSize, size));
      if (part === undefined) break;
      const partNumber = index + 1;
      const task = calls.uploadPart(uploadId, partNumber, part, signal).then(
        (etag) => {
          parts.push({ PartNumber: partNumber, ETag: etag });
          sent += part.byteLength;
          upload.onProgress?.(sent);
        },
        (error: unknown) => {
          failure ??= { error };
        },
      );
      inFlight.add(task);
      void task.finally(() => inFlight.delete(task));
      if (inFlight.size >= queueSize) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
    // Set by the part callbacks, which the compiler's narrowing does not see.
    const failed = failure as { error: unknown } | undefined;
    if (failed) throw failed.error;
    parts.sort((a, b) => a.PartNumber - b.PartNumber);
    const output = await calls.complete(uploadId, parts, signal);
    return { output, sent };
  } catch (error) {
    await reader.cancel(error).catch(() => undefined);
    await Promise.allSettled(inFlight);
    await calls.abort(uploadId).catch((abortError: unknown) => upload.onAbortFailed?.(abortError));
    if (signal?.aborted) throw abortReason(signal) as AlmanacError;
    throw error;
  }
}
