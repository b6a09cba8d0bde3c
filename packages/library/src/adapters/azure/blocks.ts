/**
 * Splits a body into blocks of exactly `blockSize` bytes (the last may be shorter). Bytes are
 * sliced without copying; a stream is read on demand, so at most one block plus one chunk is
 * buffered here. Aborting, or the consumer stopping early, cancels the stream.
 */
export async function* blocksOf(
  body: ReadableStream<Uint8Array> | Uint8Array,
  blockSize: number,
  signal?: AbortSignal,
): AsyncGenerator<Uint8Array> {
  if (body instanceof Uint8Array) {
    for (let offset = 0; offset < body.byteLength; offset += blockSize) {
      yield body.subarray(offset, Math.min(offset + blockSize, body.byteLength));
    }
    return;
  }
  const reader = body.getReader();
  const onAbort = () => {
    reader.cancel(signal?.reason).catch(() => {});
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  let pending: Uint8Array[] = [];
  let buffered = 0;
  let done = false;
  try {
    for (;;) {
      signal?.throwIfAborted();
      const result = await reader.read();
      signal?.throwIfAborted();
      if (result.done) break;
      const chunk = result.value;
      if (chunk.byteLength === 0) continue;
      pending.push(chunk);
      buffered += chunk.byteLength;
      while (buffered >= blockSize) {
        const joined = pending.length === 1 && pending[0] !== undefined ? pending[0] : Buffer.concat(pending, buffered);
        yield joined.subarray(0, blockSize);
        const rest = joined.subarray(blockSize);
        pending = rest.byteLength > 0 ? [rest] : [];
        buffered = rest.byteLength;
      }
    }
    done = true;
    if (buffered > 0) yield pending.length === 1 && pending[0] !== undefined ? pending[0] : Buffer.concat(pending, buffered);
  } finally {
    signal?.removeEventListener('abort', onAbort);
    if (!done) await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
}
