import { createHash } from 'node:crypto';
import { abortReason } from '@almanac/core';
import type { WriteRequest } from '../../spec';

// Reads are served in chunks of this size, as a network provider would.
const READ_CHUNK = 1 << 20;

/** Hex digest of bytes. */
export function digest(algorithm: 'md5' | 'sha256', bytes: Uint8Array): string {
  return createHash(algorithm).update(bytes).digest('hex');
}

/** A stream of copies of `bytes`, 1 MiB at a time. */
export function chunked(bytes: Uint8Array): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= bytes.byteLength) {
        controller.close();
        return;
      }
      const end = Math.min(offset + READ_CHUNK, bytes.byteLength);
      // A copy, so a consumer that mutates chunks cannot change the stored object.
      controller.enqueue(bytes.slice(offset, end));
      offset = end;
    },
  });
}

/** Reads a body to the end, reporting progress and stopping (nothing kept) on abort. */
export async function collect(request: WriteRequest): Promise<Uint8Array> {
  const { body, signal, onProgress } = request;
  if (signal?.aborted) throw abortReason(signal);
  if (body instanceof Uint8Array) {
    onProgress?.({ loaded: body.byteLength, total: body.byteLength });
    return body.slice();
  }
  const reader = body.getReader();
  const onAbort = () => {
    reader.cancel(signal?.reason).catch(() => {});
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (signal?.aborted) throw abortReason(signal);
      if (done) break;
      chunks.push(value.slice());
      loaded += value.byteLength;
      onProgress?.(request.size === undefined ? { loaded } : { loaded, total: request.size });
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
  const out = new Uint8Array(loaded);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

