import { abortReason, raceAbort } from '@almanac/core';
import type { Clock } from '@almanac/core';
import type { ListPage } from '../../spec';

// ListObjectsV2 pages can only be fetched one after another (each needs the previous page's
// continuation token), so a listing's time is the sum, per page, of the server's work and the
// client's (the SDK's XML parse and our mapping). The read-ahead overlaps the two: as soon as a
// page's body has arrived, and before the SDK parses it, the next page is requested with the
// token found in the body, so S3 works on page n + 1 while the client parses page n.

/** Most pages fetched ahead and not yet asked for that an adapter keeps (the oldest is dropped). */
export const READ_AHEAD_LIMIT = 4;
/** A page fetched ahead longer ago than this is not handed out: it is fetched again. */
export const READ_AHEAD_MAX_AGE_MS = 30_000;

const TRUNCATED = Buffer.from('<IsTruncated>true</IsTruncated>');
const TOKEN_OPEN = Buffer.from('<NextContinuationToken>');
const TOKEN_CLOSE = Buffer.from('</NextContinuationToken>');

/**
 * The continuation token in a raw ListObjectsV2 response body, or `undefined` when the listing
 * is complete or the token is not plain text. Inside XML text a `<` is always escaped, so these
 * tags can only be the response's own elements. A token holding an entity (`&amp;`…) is not
 * decoded here: it is left to the SDK's parser, and that page is simply not read ahead.
 */
export function continuationTokenIn(body: Uint8Array): string | undefined {
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (bytes.indexOf(TRUNCATED) < 0) return undefined;
  const open = bytes.indexOf(TOKEN_OPEN);
  if (open < 0) return undefined;
  const start = open + TOKEN_OPEN.length;
  const end = bytes.indexOf(TOKEN_CLOSE, start);
  if (end <= start) return undefined;
  const token = bytes.toString('utf8', start, end);
  return token.includes('&') ? undefined : token;
}

/** One page requested before it was asked for. */
interface FetchedAhead {
  readonly page: Promise<ListPage>;
  readonly controller: AbortController;
  readonly startedAt: number;
  readonly whenTaken: () => void;
}

/** Pages fetched ahead, by the identity of the `listPage` request that will ask for them. */
export interface ListReadAhead {
  /**
   * Starts fetching the page `key` names, unless it is already being fetched. `whenTaken` runs
   * when the page is handed out (so the page after it is read ahead only once this one is asked
   * for: one page ahead of the caller, never the whole listing).
   */
  start(key: string, fetch: (signal: AbortSignal) => Promise<ListPage>, whenTaken: () => void): void;
  /**
   * The page `key` names if it was fetched ahead recently (handed out once), settling as the
   * fetch does unless `signal` aborts first; `undefined` when there is none.
   */
  take(key: string, signal: AbortSignal | undefined): Promise<ListPage> | undefined;
}

/**
 * Keeps at most {@link READ_AHEAD_LIMIT} pages fetched ahead: a listing abandoned midway leaves
 * one behind, which is dropped (its request aborted if still running) once newer ones push it
 * out. Ages are read from `clock`.
 */
export function createListReadAhead(clock: Clock): ListReadAhead {
  const pages = new Map<string, FetchedAhead>();
  const drop = (key: string, entry: FetchedAhead) => {
    pages.delete(key);
    entry.controller.abort();
  };
  return {
    start(key, fetch, whenTaken) {
      if (pages.has(key)) return;
      for (const [oldKey, entry] of pages) {
        if (pages.size < READ_AHEAD_LIMIT) break;
        drop(oldKey, entry);
      }
      const controller = new AbortController();
      const page = fetch(controller.signal);
      // Observed here: a failed fetch ahead is only reported if someone asks for that page.
      page.catch(() => {});
      pages.set(key, { page, controller, startedAt: clock.now(), whenTaken });
    },
    take(key, signal) {
      const entry = pages.get(key);
      if (entry === undefined) return undefined;
      pages.delete(key);
      if (clock.now() - entry.startedAt > READ_AHEAD_MAX_AGE_MS) {
        entry.controller.abort();
        return undefined;
      }
      if (signal?.aborted) {
        entry.controller.abort(signal.reason);
        return Promise.reject(abortReason(signal));
      }
      entry.whenTaken();
      if (signal === undefined) return entry.page;
      // The caller's abort cancels the request too, as it would a request it had started.
      const cancelRequest = () => entry.controller.abort(signal.reason);
      signal.addEventListener('abort', cancelRequest, { once: true });
      const unlink = () => signal.removeEventListener('abort', cancelRequest);
      entry.page.then(unlink, unlink);
      return raceAbort(entry.page, signal);
    },
  };
}
