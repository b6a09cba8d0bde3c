import { ValidationError } from '@almanac/core';

/**
 * One id as a URL path segment: refused when empty or a dot segment (`.`/`..` would be
 * resolved away by URL parsing and hit another resource), percent-encoded otherwise, so an id
 * such as `auth0|42` or one holding `/`, `?` or `#` stays one segment.
 */
export function pathSegment(value: string, field: string, provider: string): string {
  const fail = (message: string) => new ValidationError(undefined, [{ path: field, message }], { provider });
  if (typeof value !== 'string' || value.trim() === '') throw fail('must not be empty');
  if (value === '.' || value === '..') throw fail('must not be "." or ".."');
  return encodeURIComponent(value);
}
