import { open } from 'node:fs/promises';
import {
  NotFoundError,
  PermissionError,
  ProviderError,
  abortReason,
  createHttpClient,
  createRedactor,
} from '@almanac/core';
import type { AlmanacError, Clock, FetchLike, Logger, RetryPolicy } from '@almanac/core';

/** What one load produced: new text with its validator, or "unchanged since `validator`". */
export type LoadResult =
  | { readonly changed: true; readonly text: string; readonly validator: string | undefined }
  | { readonly changed: false };

/** Reads a feed's text, skipping the body when it is known to be unchanged. */
export interface FeedLoader {
  /** Human-readable origin for messages (never a URL's secret parts). */
  readonly describe: string;
  /** Loads the feed; `previous` is the validator of the copy in hand, if any. */
  load(previous: string | undefined, signal: AbortSignal): Promise<LoadResult>;
}

const PROVIDER = 'ics';

function tooBig(where: string, maxBytes: number): ProviderError {
  return new ProviderError(`ics: feed ${where} is larger than maxFeedBytes (${maxBytes} bytes)`, { provider: PROVIDER, operation: 'load' });
}

function decode(bytes: Uint8Array, contentType: string | null): string {
  const charset = /charset="?([^";\s]+)/i.exec(contentType ?? '')?.[1];
  if (charset !== undefined) {
    try {
      return new TextDecoder(charset).decode(bytes);
    } catch {
      // Unknown label: iCalendar's default (RFC 5545 §6) is UTF-8.
    }
  }
  return new TextDecoder('utf-8').decode(bytes);
}

/** Reads a body up to `maxBytes`, cancelling it as soon as the cap or an abort is hit. */
async function readCapped(response: Response, maxBytes: number, signal: AbortSignal, where: string): Promise<string> {
  const length = Number(response.headers.get('content-length'));
  const body = response.body;
  if (Number.isFinite(length) && length > maxBytes) {
    await body?.cancel().catch(() => {});
    throw tooBig(where, maxBytes);
  }
  if (body === null) return '';
  const reader = body.getReader();
  const onAbort = () => {
    reader.cancel().catch(() => {});
  };
  signal.addEventListener('abort', onAbort, { once: true });
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      if (signal.aborted) throw abortReason(signal);
      const { done, value } = await reader.read();
      if (signal.aborted) throw abortReason(signal);
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        reader.cancel().catch(() => {});
        throw tooBig(where, maxBytes);
      }
      chunks.push(value);
    }
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return decode(bytes, response.headers.get('content-type'));
}

/** Options of {@link createUrlLoader}. */
export interface UrlLoaderOptions {
  /** Feed URL (http or https). */
  readonly url: URL;
  /** `fetch` to use; the global one when absent. */
  readonly fetch: FetchLike | undefined;
  /** Extra request headers. */
  readonly headers: Readonly<Record<string, string>> | undefined;
  /** Retry policy of the HTTP client. */
  readonly retry: RetryPolicy | undefined;
  /** Clock of the HTTP client (timeouts, backoff). */
  readonly clock: Clock | undefined;
  /** Debug log of the HTTP client. */
  readonly logger: Logger | undefined;
  /** Largest body accepted. */
  readonly maxBytes: number;
}

/**
 * Fetches a feed through core's HTTP client (timeouts, retries on 5xx/429, error mapping:
 * 404 → `NotFoundError`, 401 → `AuthError`...). Reloads are conditional on `ETag` and
 * `Last-Modified`, so an unchanged feed costs a 304 and no parsing.
 */
export function createUrlLoader(options: UrlLoaderOptions): FeedLoader {
  const { url, maxBytes } = options;
  // Feed URLs are usually capability URLs (Google's "secret address", Outlook's published
  // calendars): long path segments are the secret, so they are masked in errors and logs.
  const redactor = createRedactor();
  for (const segment of url.pathname.split('/')) if (segment.length >= 16) redactor.addSecret(segment);
  const client = createHttpClient({
    baseUrl: url.origin,
    provider: PROVIDER,
    headers: { accept: 'text/calendar, text/plain;q=0.9, */*;q=0.5', ...options.headers },
    redactor,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.retry ? { retry: options.retry } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
  });
  const query: Record<string, string[]> = {};
  for (const key of new Set(url.searchParams.keys())) query[key] = url.searchParams.getAll(key);
  const where = redactor.redactString(`${url.origin}${url.pathname}`);

  return {
    describe: where,
    async load(previous, signal) {
      const conditional: Record<string, string> = {};
      if (previous !== undefined) {
        const validator = JSON.parse(previous) as { etag?: string | undefined; lastModified?: string | undefined };
        if (validator.etag !== undefined) conditional['if-none-match'] = validator.etag;
        if (validator.lastModified !== undefined) conditional['if-modified-since'] = validator.lastModified;
      }
      const response = await client.get(url.pathname, { query, headers: conditional, signal, responseType: 'response' });
      if (response.status === 304 && previous !== undefined) {
        await response.data.body?.cancel().catch(() => {});
        return { changed: false };
      }
      const text = await readCapped(response.data, maxBytes, signal, where);
      const etag = response.headers.get('etag') ?? undefined;
      const lastModified = response.headers.get('last-modified') ?? undefined;
      const validator =
        etag === undefined && lastModified === undefined
          ? undefined
          : JSON.stringify({ ...(etag === undefined ? {} : { etag }), ...(lastModified === undefined ? {} : { lastModified }) });
      return { changed: true, text, validator };
    },
  };
}

function fileError(error: unknown, path: string, signal: AbortSignal): AlmanacError {
  if (signal.aborted) return abortReason(signal) as AlmanacError;
  const code = (error as { code?: unknown } | null)?.code;
  const options = { provider: PROVIDER, operation: 'read', cause: error };
  if (code === 'ENOENT' || code === 'ENOTDIR') return new NotFoundError(`ics: feed file not found: ${path}`, options);
  if (code === 'EACCES' || code === 'EPERM') return new PermissionError(`ics: feed file not readable: ${path}`, options);
  const detail = error instanceof Error ? error.message : String(error);
  return new ProviderError(`ics: cannot read feed file ${path}: ${detail}`, options);
}

/** Reads a feed file; a reload with unchanged size and mtime skips reading and parsing. */
export function createFileLoader(path: string, maxBytes: number): FeedLoader {
  return {
    describe: path,
    async load(previous, signal) {
      if (signal.aborted) throw abortReason(signal);
      let handle: Awaited<ReturnType<typeof open>> | undefined;
      try {
        handle = await open(path, 'r');
        const stats = await handle.stat();
        if (stats.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
        if (stats.size > maxBytes) throw tooBig(path, maxBytes);
        const validator = `${stats.size}:${stats.mtimeMs}`;
        if (validator === previous) return { changed: false };
        const text = await handle.readFile({ encoding: 'utf8', signal });
        if (Buffer.byteLength(text) > maxBytes) throw tooBig(path, maxBytes);
        return { changed: true, text, validator };
      } catch (error) {
        if (ProviderError.isInstance(error)) throw error;
        throw fileError(error, path, signal);
      } finally {
        await handle?.close().catch(() => {});
      }
    },
  };
}
