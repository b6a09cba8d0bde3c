import { ValidationError } from '@almanac/core';
import type { QueryParams } from '@almanac/core';
import { PROVIDER } from './options';

// Paging: https://learn.microsoft.com/graph/paging — follow `@odata.nextLink` as is; it holds a
// `$skiptoken` that must not be altered.

/** A nextLink as a request: its path below the Graph root and its query parameters. */
export interface LinkRequest {
  readonly path: string;
  readonly query: QueryParams;
}

/**
 * Splits a cursor (a whole `@odata.nextLink`) into path and query, after checking it stays on the
 * Graph root: a cursor pointing elsewhere would send our bearer token to another host.
 */
export function parseNextLink(link: string, root: URL): LinkRequest {
  let url: URL | undefined;
  try {
    url = new URL(link);
  } catch {
    url = undefined;
  }
  const base = root.pathname.replace(/\/+$/, '');
  if (url === undefined || url.origin !== root.origin || !url.pathname.startsWith(`${base}/`) || url.username !== '' || url.password !== '') {
    throw new ValidationError(undefined, [{ path: 'cursor', message: `must be an @odata.nextLink under ${root.origin}${base}` }], { provider: PROVIDER });
  }
  const query: Record<string, string | string[]> = {};
  for (const [name, value] of url.searchParams) {
    const previous = query[name];
    query[name] = previous === undefined ? value : [...(Array.isArray(previous) ? previous : [previous]), value];
  }
  return { path: url.pathname.slice(base.length), query };
}
