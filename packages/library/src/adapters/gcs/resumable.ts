import { AbortedError, AlmanacError, ProviderError, abortReason, backoffDelay, resolveRetryPolicy } from '@almanac/core';
import type { Clock, RetryPolicy } from '@almanac/core';
import type { GcsFileLike, GcsObjectResource } from './client';
import { GCS_PROVIDER, mapGcsError } from './errors';

// A resumable upload that resumes, as Google documents it
// (https://cloud.google.com/storage/docs/performing-resumable-uploads): the session is opened
// through the SDK (which authenticates the POST); each chunk is then a PUT of the session URI
// with `Content-Range: bytes <first>-<last>/<total or *>`, answered 308 (with `Range:
// bytes=0-<last persisted>`) until the final one, answered 200/201 with the object. After a
// failed chunk (408, 429, 5xx, a dropped connection, or a reply that never came) the session
// is asked where it stands with an empty PUT and `Content-Range: bytes */<total or *>`; it
// answers 308 and the persisted range, and the upload continues from there, resending only
// the bytes not persisted. The session URI is itself the credential for these requests, so no
// authorization header is sent (https://cloud.google.com/storage/docs/resumable-uploads#session-uris).
// Only the chunk in flight is buffered.

/** What one resumable upload needs. */
export interface ResumableUploadInput {
  /** Object handle of the upload. */
  readonly file: GcsFileLike;
  /** The body, as the provider normalised it. */
  readonly body: ReadableStream<Uint8Array> | Uint8Array;
  /** Total size when known (sent in every `Content-Range`); otherwise `*` until the last chunk. */
  readonly size: number | undefined;
  /** Object resource metadata of the session (content type, metadata, class, checksums). */
  readonly metadata: Record<string, unknown>;
  /** `ifGenerationMatch` and friends, sent when the session is opened. */
  readonly preconditionOpts: Record<string, unknown>;
  /** Bytes per chunk: a multiple of 256 KiB. */
  readonly chunkSize: number;
  /** Retry policy of chunks (attempts per chunk, backoff). */
  readonly retry: RetryPolicy | undefined;
  /** Clock of backoff sleeps. */
  readonly clock: Clock;
  /** Aborts the upload. */
  readonly signal: AbortSignal;
  /** Bytes the service has confirmed so far. */
  readonly onProgress?: ((loaded: number) => void) | undefined;
  /** `fetch` to send chunks with (tests inject one; default the global). */
  readonly fetch?: typeof fetch | undefined;
}

/** Where a session stands: complete with the object, or how many bytes are persisted. */
type SessionState = { readonly done: true; readonly resource: GcsObjectResource } | { readonly done: false; readonly persisted: number };

/** Uploads through one resumable session, resuming from the persisted offset after a failure. */
export async function resumableUpload(input: ResumableUploadInput): Promise<GcsObjectResource> {
  const { file, size, signal } = input;
  const policy = resolveRetryPolicy(input.retry ?? {});
  const send = input.fetch ?? fetch;
  const [uri] = (await file.createResumableUpload({ metadata: input.metadata, preconditionOpts: input.preconditionOpts, ...(size === undefined ? {} : { size }) })) as readonly [string, ...unknown[]];
  if (typeof uri !== 'string' || uri === '') throw new ProviderError('gcs: write failed: the resumable session has no URI', { provider: GCS_PROVIDER, operation: 'write' });

  const put = async (headers: Record<string, string>, chunk: Uint8Array | undefined): Promise<SessionState> => {
    let response: Response;
    try {
      // 308 here means "resume incomplete", not a redirect: `manual` keeps fetch from following it.
      response = await send(uri, { method: 'PUT', redirect: 'manual', headers: { ...headers, 'Content-Length': String(chunk?.byteLength ?? 0) }, ...(chunk ? { body: chunk } : {}), signal });
    } catch (error) {
      if (signal.aborted) throw abortReason(signal);
      // No reply at all (reset, refused, lost): the chunk may or may not have landed.
      throw new ProviderError(`gcs: write failed: ${(error as Error).message}`, { provider: GCS_PROVIDER, operation: 'write', retryable: true, cause: error });
    }
    if (response.status === 308) {
      await response.arrayBuffer();
      // `Range: bytes=0-N` means N + 1 bytes are persisted; no header means none.
      const last = /^bytes=0-(\d+)$/.exec(response.headers.get('range') ?? '')?.[1];
      return { done: false, persisted: last === undefined ? 0 : Number(last) + 1 };
    }
    const text = await response.text();
    if (response.status === 200 || response.status === 201) return { done: true, resource: JSON.parse(text) as GcsObjectResource };
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // Not JSON: keep the text as the message.
    }
    throw mapGcsError({ code: response.status, response: { status: response.status, data: body, headers: Object.fromEntries(response.headers) }, message: text }, 'write', input.clock.now());
  };

  const statusOf = (total: string) => put({ 'Content-Range': `bytes */${total}` }, undefined);

  let offset = 0; // bytes the session has persisted
  let failures = 0;
  for await (const { chunk, start, last } of chunksOf(input.body, input.chunkSize)) {
    const end = start + chunk.byteLength;
    const total = last ? String(end) : size === undefined ? '*' : String(size);
    while (offset < end || (last && chunk.byteLength === 0)) {
      if (signal.aborted) throw abortReason(signal);
      let state: SessionState;
      try {
        const from = offset - start;
        const rest = chunk.subarray(from);
        const range = rest.byteLength === 0 ? `bytes */${total}` : `bytes ${offset}-${end - 1}/${total}`;
        state = await put({ 'Content-Range': range }, rest.byteLength === 0 ? undefined : rest);
      } catch (error) {
        if (!retryable(error) || ++failures >= policy.maxAttempts) throw error;
        await input.clock.sleep(backoffDelay(policy, failures - 1), signal);
        state = await queryWithRetry(statusOf, total, policy, input.clock, signal);
      }
      if (state.done) {
        input.onProgress?.(Number(state.resource['size'] ?? end));
        return state.resource;
      }
      // The service may keep less than was sent (it persists whole 256 KiB blocks): resend the rest.
      if (state.persisted < start) throw new ProviderError(`gcs: write failed: the session lost data it had confirmed (persisted ${state.persisted} bytes, chunk starts at ${start})`, { provider: GCS_PROVIDER, operation: 'write' });
      if (state.persisted > offset) failures = 0;
      offset = state.persisted;
      input.onProgress?.(offset);
      if (last && offset >= end) {
        // Everything persisted but the session did not finalise: ask once more.
        const final = await queryWithRetry(statusOf, total, policy, input.clock, signal);
        if (final.done) return final.resource;
        throw new ProviderError('gcs: write failed: every byte is persisted but the session did not finalise the object', { provider: GCS_PROVIDER, operation: 'write' });
      }
    }
  }
  throw new ProviderError('gcs: write failed: the body ended before the session finalised the object', { provider: GCS_PROVIDER, operation: 'write' });
}

/** The status query itself is idempotent: retried with backoff on transient failures. */
async function queryWithRetry(statusOf: (total: string) => Promise<SessionState>, total: string, policy: ReturnType<typeof resolveRetryPolicy>, clock: Clock, signal: AbortSignal): Promise<SessionState> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await statusOf(total);
    } catch (error) {
      if (!retryable(error) || attempt >= policy.maxAttempts) throw error;
      await clock.sleep(backoffDelay(policy, attempt - 1), signal);
    }
  }
}

function retryable(error: unknown): boolean {
  return AlmanacError.isInstance(error) && error.retryable && !AbortedError.isInstance(error);
}

/** A chunk of the body with its offset; `last` marks the final one (read one ahead to know). */
interface Chunk {
  readonly chunk: Uint8Array;
  readonly start: number;
  readonly last: boolean;
}

async function* chunksOf(body: ReadableStream<Uint8Array> | Uint8Array, chunkSize: number): AsyncGenerator<Chunk> {
  if (body instanceof Uint8Array) {
    for (let start = 0; start < body.byteLength || start === 0; start += chunkSize) {
      const chunk = body.subarray(start, start + chunkSize);
      yield { chunk, start, last: start + chunkSize >= body.byteLength };
      if (start + chunkSize >= body.byteLength) return;
    }
    return;
  }
  const reader = body.getReader();
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  let start = 0;
  const take = (): Uint8Array => {
    const out = new Uint8Array(chunkSize);
    let filled = 0;
    while (filled < chunkSize) {
      const head = pending[0] as Uint8Array;
      const n = Math.min(head.byteLength, chunkSize - filled);
      out.set(head.subarray(0, n), filled);
      filled += n;
      if (n === head.byteLength) pending.shift();
      else pending[0] = head.subarray(n);
    }
    pendingBytes -= chunkSize;
    return out;
  };
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      pending.push(value);
      pendingBytes += value.byteLength;
      // Keep one byte beyond a full chunk before sending it, so the last chunk is known as such.
      while (pendingBytes > chunkSize) {
        const chunk = take();
        yield { chunk, start, last: false };
        start += chunk.byteLength;
      }
    }
    const rest = new Uint8Array(pendingBytes);
    let at = 0;
    for (const part of pending) {
      rest.set(part, at);
      at += part.byteLength;
    }
    pending = [];
    yield { chunk: rest, start, last: true };
  } finally {
    reader.releaseLock();
  }
}
