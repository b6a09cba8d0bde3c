import { Readable } from 'node:stream';
import type { ReadableStream as NodeWebReadableStream } from 'node:stream/web';

/** Body of a write as a Node stream the SDK can consume; bytes get a fresh stream per attempt. */
export function toNodeReadable(body: ReadableStream<Uint8Array> | Uint8Array): Readable {
  if (body instanceof Uint8Array) return Readable.from([Buffer.from(body.buffer, body.byteOffset, body.byteLength)], { objectMode: false });
  return Readable.fromWeb(body as unknown as NodeWebReadableStream<Uint8Array>);
}

/** An empty web stream, for zero-length ranges GCS would answer with 416. */
export function emptyStream(): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({ start: (controller) => controller.close() });
}

/**
 * A Node download stream as a web stream. Errors are mapped (so consumers see core errors,
 * e.g. `IntegrityError` for a corrupt download); cancelling the web stream or aborting the
 * signal destroys the Node stream, which closes the HTTP response.
 */
export function toWebStream(
  source: Readable,
  mapError: (error: unknown) => Error,
  signal: AbortSignal | undefined,
): ReadableStream<Uint8Array> {
  const iterator = source[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const onAbort = () => source.destroy(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
  signal?.addEventListener('abort', onAbort, { once: true });
  const done = () => signal?.removeEventListener('abort', onAbort);
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await iterator.next();
        if (next.done) {
          done();
          controller.close();
        } else {
          controller.enqueue(new Uint8Array(next.value.buffer, next.value.byteOffset, next.value.byteLength));
        }
      } catch (error) {
        done();
        controller.error(mapError(error));
      }
    },
    cancel() {
      done();
      source.destroy();
    },
  });
}

/**
 * Reads the first chunk of a stream of unknown length, so an empty stream can be sent as
 * an empty simple upload: a chunked resumable session would announce `bytes 0--1/0`.
 * Resolves with the bytes when the stream was empty, else with an equivalent stream.
 */
export async function peekEmpty(body: ReadableStream<Uint8Array>): Promise<ReadableStream<Uint8Array> | Uint8Array> {
  const reader = body.getReader();
  const first = await reader.read();
  if (first.done) return new Uint8Array(0);
  let pending: Uint8Array | undefined = first.value;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (pending) {
        controller.enqueue(pending);
        pending = undefined;
        return;
      }
      const next = await reader.read();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
    cancel: (reason) => reader.cancel(reason),
  });
}
