import { createHash } from 'node:crypto';
import type { Hash } from 'node:crypto';
import { IntegrityError, abortReason } from '@almanac/core';
import type { Checksum } from '../../spec';
import { S3_PROVIDER } from './errors';

/** Node hash name of a checksum algorithm the adapter verifies itself. */
function hashName(checksum: Checksum): 'md5' | 'sha256' {
  return checksum.algorithm === 'md5' ? 'md5' : 'sha256';
}

/** Throws `IntegrityError` when `actual` (hex) is not the expected checksum. */
export function assertChecksum(expected: Checksum, actualHex: string, key: string): void {
  if (expected.value.toLowerCase() !== actualHex) {
    throw new IntegrityError(`s3: ${expected.algorithm} checksum of "${key}" does not match: expected ${expected.value}, got ${actualHex}`, {
      provider: S3_PROVIDER,
      operation: 'write',
    });
  }
}

/** Hex digest of `bytes`. */
export function digest(checksum: Checksum, bytes: Uint8Array): string {
  return createHash(hashName(checksum)).update(bytes).digest('hex');
}

/** The first bytes of a stream: everything when it ended within `limit`, else the chunks read so far and the reader. */
export type StreamHead =
  | { readonly ended: true; readonly bytes: Uint8Array }
  | { readonly ended: false; readonly chunks: Uint8Array[]; readonly reader: ReadableStreamDefaultReader<Uint8Array> };

/**
 * Reads until the stream ends or more than `limit` bytes arrived. Lets small streams take the
 * single-request path (retryable, abortable, server-verified checksum) without buffering big ones.
 */
export async function readHead(stream: ReadableStream<Uint8Array>, limit: number, signal: AbortSignal | undefined): Promise<StreamHead> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  try {
    for (;;) {
      if (signal?.aborted) throw abortReason(signal);
      const { done, value } = await reader.read();
      if (done) return { ended: true, bytes: concat(chunks, length) };
      chunks.push(value);
      length += value.byteLength;
      if (length > limit) return { ended: false, chunks, reader };
    }
  } catch (error) {
    await reader.cancel(error).catch(() => undefined);
    throw error;
  }
}

function concat(chunks: readonly Uint8Array[], length: number): Uint8Array {
  if (chunks.length === 1 && chunks[0]) return chunks[0];
  const out = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

/**
 * The body handed to lib-storage's `Upload`: replays `head`, then reads `reader`, hashing as it
 * goes. A checksum mismatch or an abort errors the stream *before its end*, so `Upload` fails
 * before `CompleteMultipartUpload` and aborts the multipart upload: nothing becomes visible.
 * (Aborting `Upload` itself would reject at once while parts are still being sent.)
 */
export function guardedStream(
  head: readonly Uint8Array[],
  reader: ReadableStreamDefaultReader<Uint8Array> | undefined,
  options: { readonly key: string; readonly checksum?: Checksum | undefined; readonly signal?: AbortSignal | undefined },
): ReadableStream<Uint8Array> {
  const pending = [...head];
  const hash: Hash | undefined = options.checksum ? createHash(hashName(options.checksum)) : undefined;
  const signal = options.signal;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        if (signal?.aborted) throw abortReason(signal);
        let chunk = pending.shift();
        if (chunk === undefined && reader) {
          const next = await reader.read();
          if (signal?.aborted) throw abortReason(signal);
          chunk = next.done ? undefined : next.value;
        }
        if (chunk === undefined) {
          if (hash && options.checksum) assertChecksum(options.checksum, hash.digest('hex'), options.key);
          controller.close();
          return;
        }
        hash?.update(chunk);
        controller.enqueue(chunk);
      } catch (error) {
        await reader?.cancel(error).catch(() => undefined);
        controller.error(error);
      }
    },
    async cancel(reason) {
      await reader?.cancel(reason);
    },
  });
}

/** Splits bytes into part-sized views, so large `Uint8Array` writes go through {@link guardedStream} too. */
export function chunksOf(bytes: Uint8Array, size: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let offset = 0; offset < bytes.byteLength; offset += size) out.push(bytes.subarray(offset, offset + size));
  return out;
}
