import { createHash } from 'node:crypto';

/**
 * Deterministic pseudo-random bytes (xorshift32), so large test objects are not trivially
 * compressible, and every run writes the same content (no random source needed).
 */
export function patternBytes(size: number, seed = 0x9e3779b9): Uint8Array {
  const out = new Uint8Array(size);
  let state = seed >>> 0 || 1;
  for (let i = 0; i < size; i += 4) {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    out[i] = state & 0xff;
    if (i + 1 < size) out[i + 1] = (state >>> 8) & 0xff;
    if (i + 2 < size) out[i + 2] = (state >>> 16) & 0xff;
    if (i + 3 < size) out[i + 3] = (state >>> 24) & 0xff;
  }
  return out;
}

/** Hex sha256 of bytes. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Hex md5 of bytes. */
export function md5Hex(bytes: Uint8Array): string {
  return createHash('md5').update(bytes).digest('hex');
}

/**
 * A stream of `totalBytes` pattern bytes in `chunkBytes` chunks, generated lazily so a 21 MB
 * body never sits in memory twice. `hash` receives every chunk (for a streaming sha256).
 */
export function patternStream(totalBytes: number, chunkBytes = 1 << 20, onChunk?: (chunk: Uint8Array) => void): ReadableStream<Uint8Array> {
  let sent = 0;
  let seed = 1;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= totalBytes) {
        controller.close();
        return;
      }
      const size = Math.min(chunkBytes, totalBytes - sent);
      const chunk = patternBytes(size, seed++);
      sent += size;
      onChunk?.(chunk);
      controller.enqueue(chunk);
    },
  });
}

/** Options of {@link failingStream}. */
export interface FailingStreamOptions {
  /** Chunks delivered before failing. */
  readonly chunks: number;
  /** Bytes per chunk. */
  readonly chunkBytes?: number | undefined;
  /** Aborts this controller after `chunks` chunks (an abort mid-upload)… */
  readonly abort?: AbortController | undefined;
  /** …or errors the stream with this (a source failing mid-upload). */
  readonly error?: Error | undefined;
}

/**
 * A body that misbehaves part-way: after `chunks` chunks it aborts the given controller and then
 * keeps trickling data (as a real source would until told to stop), or errors the stream.
 */
export function failingStream(options: FailingStreamOptions): ReadableStream<Uint8Array> {
  const chunkBytes = options.chunkBytes ?? 64 * 1024;
  let delivered = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (delivered === options.chunks) {
        if (options.error) {
          controller.error(options.error);
          return;
        }
        options.abort?.abort();
      }
      if (delivered > options.chunks) await new Promise((resolve) => setTimeout(resolve, 5));
      // A cap, so a provider that ignores the abort still finishes instead of reading forever.
      if (delivered >= options.chunks + 64) {
        controller.close();
        return;
      }
      delivered++;
      controller.enqueue(patternBytes(chunkBytes, delivered));
    },
  });
}
