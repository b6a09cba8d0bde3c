import { OracleRangeError, OracleTypeError } from '../errors';
import type { LocalDateTime } from './civil';
import type { ZoneOffsetReader } from './offset';

// Entry checks for the exported time helpers, so a hostile argument (null, an object with no
// prototype, a BigInt) is an OracleTypeError naming the field, never a raw TypeError from
// reading a field of it or formatting it into a message. Internal.

/** What a value is, for messages; never its contents (`${value}` throws on some objects). */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Date) return 'a Date';
  const type = typeof value;
  return type === 'object' ? 'an object' : type === 'undefined' ? 'undefined' : `a ${type}`;
}

/** A string, or an OracleTypeError. */
export function checkString(field: string, value: unknown): string {
  if (typeof value !== 'string') throw new OracleTypeError(field, `expected a string, got ${describeValue(value)}`);
  return value;
}

/** A valid Date or finite epoch milliseconds, as milliseconds. */
export function checkInstantMs(field: string, value: unknown): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new OracleRangeError(field, 'expected finite epoch milliseconds');
    return value;
  }
  if (value instanceof Date) {
    const ms = value.getTime();
    if (Number.isNaN(ms)) throw new OracleRangeError(field, 'invalid Date');
    return ms;
  }
  throw new OracleTypeError(field, `expected a Date or epoch milliseconds, got ${describeValue(value)}`);
}

/** An IANA zone name or a reader with `offsetAt`, as given (names are checked where they are read). */
export function checkZoneArgument(field: string, value: unknown): string | ZoneOffsetReader {
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null && typeof (value as { offsetAt?: unknown }).offsetAt === 'function') return value as ZoneOffsetReader;
  throw new OracleTypeError(field, `expected an IANA zone name or a zone offset reader, got ${describeValue(value)}`);
}

const PARTS = ['year', 'month', 'day', 'hour', 'minute', 'second', 'millisecond'] as const;

/** An object whose date-time parts are numbers (year, month and day present). */
export function checkLocalParts(field: string, value: unknown): LocalDateTime {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new OracleTypeError(field, `expected date-time parts, got ${describeValue(value)}`);
  const parts = value as Record<string, unknown>;
  for (const part of PARTS) {
    const v = parts[part];
    const required = part === 'year' || part === 'month' || part === 'day';
    if (v === undefined && !required) continue;
    if (typeof v !== 'number') throw new OracleTypeError(`${field}.${part}`, `expected a number, got ${describeValue(v)}`);
  }
  return value as LocalDateTime;
}
