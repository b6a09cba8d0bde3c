/**
 * Pagination: `paginate(fetchPage)` turns any cursor-paged API into an `AsyncIterable`,
 * one page in memory at a time.
 *
 * @packageDocumentation
 */
export { paginate } from './paginate';
export type { FetchedPage, FetchPage, Page, PageRequest, Paginated, PaginateOptions, ToArrayOptions } from './types';
