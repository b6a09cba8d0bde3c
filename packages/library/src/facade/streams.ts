import { AlmanacError, ProviderError, abortReason } from '@almanac/core';

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
