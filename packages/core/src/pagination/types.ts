/** What one call of a {@link FetchPage} function resolves to. */
export interface Page<T, C> {
  /** Items of this page, in order. */
  items: T[];
  /** Cursor of the next page; `undefined`, `null` or `''` means this was the last page. */
  nextCursor?: C | undefined | null;
}

/** Arguments of a {@link FetchPage} call. */
export interface PageRequest<C> {
  /** Cursor returned by the previous page; `undefined` for the first page. */
  cursor: C | undefined;
  /** Pass on to the HTTP call. Never aborts when the caller gave no signal. */
  signal: AbortSignal;
}

/** Fetches one page; supplied by each adapter. */
export type FetchPage<T, C> = (request: PageRequest<C>) => Promise<Page<T, C>>;

/** Options of {@link paginate}. */
export interface PaginateOptions {
  /** Aborts the listing; checked before each page and passed to `fetchPage`. */
  signal?: AbortSignal | undefined;
  /** Stops after this many pages: a deliberate cap, so reaching it is not an error. Default: no cap. */
  maxPages?: number | undefined;
}

/** A page as yielded by {@link Paginated.pages}, with the cursors to resume from. */
export interface FetchedPage<T, C> {
  /** Items of this page, in order. */
  items: readonly T[];
  /** Cursor this page was fetched with; `undefined` for the first page. */
  cursor: C | undefined;
  /** Cursor of the next page; `undefined` on the last page. */
  nextCursor: C | undefined;
}

/** Options of {@link Paginated.toArray}. */
export interface ToArrayOptions {
  /** Most items returned; no page is fetched once this many are collected. Default: all. */
  limit?: number | undefined;
}

/**
 * A lazily fetched listing. Iterating yields items one by one, fetching a page only when
 * the previous one is used up and holding one page at a time; `break` stops fetching.
 * Each iteration starts again from the first page.
 */
export interface Paginated<T, C = unknown> extends AsyncIterable<T> {
  /** Collects items into an array, stopping fetching at `limit`. */
  toArray(options?: ToArrayOptions): Promise<T[]>;
  /** The pages themselves, for batch processing or saving a cursor to resume from. */
  pages(): AsyncIterable<FetchedPage<T, C>>;
}
