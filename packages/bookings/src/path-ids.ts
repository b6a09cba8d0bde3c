import { ValidationError } from '@almanac/core';

// Ids that become URL path segments. `encodeURIComponent` keeps dots, so an id of `.` or `..`
// is a dot segment that URL parsing resolves: `cancelEvent({ eventId: '..' })` once sent
// `DELETE …/calendars/<id>/` to Google and to Graph.

/** Whether `value` is `.` or `..`, which a URL path would resolve instead of sending. */
export function isDotSegment(value: string): boolean {
  return value === '.' || value === '..';
}

/**
 * Throws a {@link ValidationError} naming `field` when `value` (an id that goes into a URL
 * path) is `.` or `..`. Adapters call it at their own boundary, so a provider used without
 * the facade is safe too.
 */
export function checkPathId(value: unknown, field: string, provider: string, operation: string): void {
  if (typeof value === 'string' && isDotSegment(value)) {
    throw new ValidationError(`${provider} ${operation}: ${field} must not be "." or ".."`, [{ path: field, message: 'must not be "." or ".."' }], {
      provider,
      operation,
    });
  }
}

/** Throws when a request path (no query) has a `.` or `..` segment, raw or percent-encoded. */
export function checkPathSegments(path: string, provider: string, operation: string): void {
  const end = path.search(/[?#]/);
  for (const segment of (end < 0 ? path : path.slice(0, end)).split('/')) {
    if (/^(?:\.|%2e){1,2}$/i.test(segment)) {
      throw new ValidationError(`${provider} ${operation}: the request path must not contain "." or ".." segments`, [{ path: 'path', message: 'must not contain "." or ".." segments' }], {
        provider,
        operation,
      });
    }
  }
}
