export { paginate } from './paginate';
export type { FetchedPage, FetchPage, Page, PageRequest, Paginated, PaginateOptions, ToArrayOptions } from './types';
