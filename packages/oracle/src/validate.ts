import { OracleRangeError, OracleTypeError } from './errors';
import { describeValue } from './time/guards';

// Small shared input checks. Internal: not exported from the package face.

/** A finite number, optionally bounded. */
export function finiteNumber(
  field: string,
  value: unknown,
  bounds: { min?: number | undefined; max?: number | undefined; integer?: boolean | undefined } = {},
): number {
  if (typeof value !== 'number') throw new OracleTypeError(field, `expected a number, got ${typeof value}`);
  if (!Number.isFinite(value)) throw new OracleRangeError(field, `expected a finite number, got ${value}`);
  if (bounds.integer && !Number.isInteger(value)) throw new OracleRangeError(field, `expected an integer, got ${value}`);
  if (bounds.min !== undefined && value < bounds.min) throw new OracleRangeError(field, `must be >= ${bounds.min}, got ${value}`);
  if (bounds.max !== undefined && value > bounds.max) throw new OracleRangeError(field, `must be <= ${bounds.max}, got ${value}`);
  return value;
}

// `Date.parse` reads an ISO date-time without `Z`/offset in the host's zone, which would make
// results depend on the machine; only date-only strings (defined as UTC) may omit it.
const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2}))?$/i;

/**
 * A Date or ISO-8601 string, returned as epoch milliseconds. Strings must be a date
 * (`2026-03-01`, read as UTC) or a date-time with `Z` or an offset: a zone-less date-time
 * would be read in the host's zone, so it is refused.
 */
export function instant(field: string, value: unknown): number {
  if (value instanceof Date) {
    const ms = value.getTime();
    if (Number.isNaN(ms)) throw new OracleRangeError(field, 'invalid Date');
    return ms;
  }
  if (typeof value === 'string') {
    if (!ISO_WITH_ZONE.test(value)) {
      throw new OracleRangeError(field, `expected an ISO-8601 date or a date-time with Z or a UTC offset, got "${value}"`);
    }
    const ms = Date.parse(value);
    if (Number.isNaN(ms)) throw new OracleRangeError(field, `not an ISO-8601 date: "${value}"`);
    return ms;
  }
  throw new OracleTypeError(field, `expected a Date or ISO string, got ${value === null ? 'null' : typeof value}`);
}

/** An array (any iterable is not accepted: callers pass arrays). */
export function array<T = unknown>(field: string, value: unknown): T[] {
  if (!Array.isArray(value)) throw new OracleTypeError(field, 'expected an array');
  return value as T[];
}

/** A non-null object. */
export function object(field: string, value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new OracleTypeError(field, 'expected an object');
  }
  return value as Record<string, unknown>;
}

/** One of a fixed set of string values. */
export function oneOf<T extends string>(field: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new OracleTypeError(field, `expected one of ${allowed.join(', ')}, got ${typeof value === 'string' ? JSON.stringify(value) : describeValue(value)}`);
  }
  return value as T;
}

/** A valid IANA time zone name (the check is shared with the time module, which caches it). */
export { checkTimeZone as timeZone } from './time/offset';
