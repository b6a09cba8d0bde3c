import type { Readable } from 'node:stream';
import { AlmanacError, ProviderError, ValidationError, abortReason } from '@almanac/core';

/**
 * Reads a stream to the end into one buffer. On abort the stream is cancelled (so the provider
 * can release its connection) and the abort reason is thrown.
 */
export async function collectStream(stream: ReadableStream<Uint8Array>, signal?: AbortSignal): Promise<Uint8Array> {
  const reader = stream.getReader();
  const onAbort = () => {
    reader.cancel(signal?.reason).catch(() => {});
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      if (signal?.aborted) throw abortReason(signal);
      const { done, value } = await reader.read();
      if (signal?.aborted) throw abortReason(signal);
      if (done) break;
      chunks.push(value);
      total += value.byteLength;
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
    reader.releaseLock();
  }
  return concatChunks(chunks, total);
}

/** Joins chunks into one `Uint8Array` (the only chunk itself when there is one). */
export function concatChunks(chunks: readonly Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0] as Uint8Array;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

/**
 * Re-exposes a provider's body so that the caller's signal still cancels it after `read`
 * resolved, and so that a failure mid-stream surfaces as an Almanac error.
 */
export function guardStream(
  body: ReadableStream<Uint8Array>,
  signal: AbortSignal | undefined,
  provider: string,
  operation: string,
): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  let onAbort: (() => void) | undefined;
  const detach = () => {
    if (onAbort) signal?.removeEventListener('abort', onAbort);
  };
  return new ReadableStream<Uint8Array>({
    start(controller) {
      if (!signal) return;
      onAbort = () => {
        controller.error(abortReason(signal));
        reader.cancel(signal.reason).catch(() => {});
      };
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
    },
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) {
          detach();
          controller.close();
        } else controller.enqueue(value);
      } catch (error) {
        detach();
        if (signal?.aborted) return;
        controller.error(
          AlmanacError.isInstance(error)
            ? error
            : new ProviderError(`${provider} ${operation} failed while streaming: ${error instanceof Error ? error.message : String(error)}`, {
                provider,
                operation,
                cause: error,
              }),
        );
      }
    },
    cancel(reason) {
      detach();
      return reader.cancel(reason);
    },
  });
}

const textEncoder = new TextEncoder();

/**
 * A web stream over any async iterable of bytes (a Node `Readable`, an async generator), pulled
 * one chunk at a time so nothing is buffered ahead of the consumer. Strings (a `Readable` with
 * an encoding set) are written as UTF-8; any other chunk fails the stream, and so the write,
 * with a `ValidationError` naming `body`. Cancelling the stream ends the iterator (`return()`),
 * which destroys a Node `Readable` and closes its file.
 */
export function iterableToStream(iterable: AsyncIterable<unknown>): ReadableStream<Uint8Array> {
  let iterator: AsyncIterator<unknown> | undefined;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        iterator ??= iterable[Symbol.asyncIterator]();
        const { done, value } = await iterator.next();
        if (done) {
          controller.close();
          return;
        }
        if (value instanceof Uint8Array) controller.enqueue(value);
        else if (typeof value === 'string') controller.enqueue(textEncoder.encode(value));
        else {
          const message = 'must yield Uint8Array chunks';
          const error = new ValidationError(`Invalid body: ${message} (got ${value === null ? 'null' : typeof value})`, [{ path: 'body', message }]);
          await iterator.return?.().catch(() => undefined);
          controller.error(error);
        }
      },
      async cancel() {
        await iterator?.return?.();
      },
    },
    { highWaterMark: 0 },
  );
}

/**
 * A Node stream's bytes in one buffer (one copy, by `Buffer.concat`; none for a single
 * chunk); aborting `signal` destroys the stream, which closes the HTTP response. The whole-body
 * read of adapters whose SDK hands out Node streams (Azure, GCS): no web stream in between.
 */
export async function concatNodeStream(source: NodeJS.ReadableStream, signal: AbortSignal | undefined): Promise<Uint8Array> {
  const stream = source as Readable;
  const onAbort = () => stream.destroy(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const chunks: Buffer[] = [];
    let length = 0;
    for await (const chunk of stream) {
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
      chunks.push(buffer);
      length += buffer.byteLength;
    }
    const whole = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, length);
    return new Uint8Array(whole.buffer, whole.byteOffset, whole.byteLength);
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}
