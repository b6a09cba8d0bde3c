import { raceAbort } from '@almanac/core';

/** The body as chunks; a stream read is raced with the signal so a stalled body still aborts. */
export async function* chunksOf(body: ReadableStream<Uint8Array> | Uint8Array, signal: AbortSignal | undefined): AsyncGenerator<Uint8Array> {
  if (body instanceof Uint8Array) {
    if (body.byteLength > 0) yield body;
    return;
  }
  const reader = body.getReader();
  let done = false;
  try {
    for (;;) {
      const result = signal ? await raceAbort(reader.read(), signal) : await reader.read();
      if (result.done) {
        done = true;
        return;
      }
      yield result.value;
    }
  } finally {
    if (!done) await reader.cancel().catch(() => undefined);
    try {
      reader.releaseLock();
    } catch {
      // A read still pending after an abort keeps the lock on some runtimes; the stream is cancelled anyway.
    }
  }
}

/** The record with its keys lower-cased (metadata keys are case-insensitive). */
export function lowerCaseKeys(record: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k.toLowerCase(), v]));
}
