import { ConfigError, ValidationError } from '../errors';
import type { QueryParams, QueryValue } from './types';

/**
 * Validates `baseUrl` and returns it without a trailing slash. Credentials, query and
 * fragment are refused: they would end up in every request and could leak into logs.
 */
export function normalizeBaseUrl(baseUrl: unknown): string {
  const fail = (message: string) => new ConfigError(`baseUrl ${message}`, [{ path: 'baseUrl', message }]);
  if (typeof baseUrl !== 'string' || baseUrl.length === 0) throw fail('must be a non-empty string');
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw fail('must be an absolute URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw fail('must use http or https');
  if (url.username || url.password) throw fail('must not contain credentials');
  if (url.search || url.hash || baseUrl.includes('?') || baseUrl.includes('#')) throw fail('must not contain a query or fragment');
  return url.href.replace(/\/+$/, '');
}

const SCHEME = /^[a-z][a-z\d+.-]*:/i;
/** Longest request path accepted: far above real ones (an S3 key is at most 1024 bytes, ×3 encoded). */
const MAX_PATH_LENGTH = 16_384;
// Control characters and whitespace would be silently percent-encoded or rejected by fetch.
function hasInvalidPathChar(path: string): boolean {
  for (let i = 0; i < path.length; i++) {
    const code = path.charCodeAt(i);
    if (code <= 0x20 || code === 0x7f) return true;
  }
  return false;
}

/**
 * Whether `path` has a `.` or `..` segment, also percent-encoded (`%2e`, `.%2E`, …) or with
 * a `;` parameter (`..;x`, which some servers read as `..`). URL parsing resolves these, so
 * `/users/%2e%2e/admin` joined to `https://h/api` would reach `https://h/admin`. Segments
 * are split at `/` and at `\`, which WHATWG URL treats as `/` in http(s) URLs.
 */
function hasDotSegment(path: string): boolean {
  // Hot path: most paths have neither a dot nor a percent sign.
  if (path.indexOf('.') < 0 && path.indexOf('%') < 0) return false;
  for (let start = 0; start <= path.length; ) {
    DOT_SEGMENT.lastIndex = start;
    if (DOT_SEGMENT.test(path)) return true;
    const slash = path.indexOf('/', start);
    const backslash = path.indexOf('\\', start);
    const next = slash < 0 ? backslash : backslash < 0 ? slash : Math.min(slash, backslash);
    if (next < 0) return false;
    start = next + 1;
  }
  return false;
}

/** One or two dots (each `.` or `%2e`) that make up a whole segment, or precede a `;` parameter. Sticky: tried at a segment start. */
const DOT_SEGMENT = /(?:\.|%2e){1,2}(?=[/\\;]|$)/iy;

/**
 * Validates a request path and returns it with a leading slash. Absolute and
 * scheme-relative URLs are refused so a token can never be sent to another host, and
 * dot segments (`.`, `..`, also as `%2e`) so a path built from ids can never climb out
 * of the base URL's path.
 */
export function normalizePath(path: unknown): string {
  const fail = (message: string) => new ValidationError(`path ${message}`, [{ path: 'path', message }]);
  if (typeof path !== 'string') throw fail('must be a string');
  // Servers refuse far shorter URLs; a megabyte path would only cost us scanning and logging.
  if (path.length > MAX_PATH_LENGTH) throw fail(`must be at most ${MAX_PATH_LENGTH} characters`);
  if (SCHEME.test(path) || path.startsWith('//')) throw fail('must be relative to baseUrl, not an absolute URL');
  if (path.includes('?') || path.includes('#')) throw fail('must not contain "?" or "#"; pass query parameters in `query`');
  if (hasInvalidPathChar(path)) throw fail('must not contain whitespace or control characters');
  if (hasDotSegment(path)) throw fail('must not contain "." or ".." segments (also percent-encoded)');
  if (path === '') return '';
  return path.startsWith('/') ? path : `/${path}`;
}

function queryValue(key: string, value: QueryValue): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  throw new ValidationError(`query.${key} must be a string, finite number, boolean, null or undefined`, [
    { path: `query.${key}`, message: 'must be a string, finite number, boolean, null or undefined' },
  ]);
}

/** Serialises query parameters (arrays repeat the key); returns `''` when there are none. */
export function buildQueryString(query: QueryParams | undefined): string {
  if (query === undefined) return '';
  if (typeof query !== 'object' || query === null || Array.isArray(query)) {
    throw new ValidationError('query must be an object', [{ path: 'query', message: 'must be an object' }]);
  }
  const params = new URLSearchParams();
  for (const key of Object.keys(query)) {
    const value = query[key];
    if (Array.isArray(value)) {
      for (const item of value as readonly QueryValue[]) {
        const text = queryValue(key, item);
        if (text !== undefined) params.append(key, text);
      }
    } else {
      const text = queryValue(key, value as QueryValue);
      if (text !== undefined) params.append(key, text);
    }
  }
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}
