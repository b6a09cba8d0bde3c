import { OracleRangeError, OracleTypeError } from '../errors';
import { finiteNumber, object } from '../validate';
import type { ObjectMetadata } from './types';

// Input checks shared by the classification entry points.

/** Default masked samples per finding type. */
export const DEFAULT_MAX_SAMPLES = 3;
const MAX_SAMPLES_LIMIT = 100;

/** An optional string field. */
export function optionalString(field: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new OracleTypeError(field, `expected a string, got ${value === null ? 'null' : typeof value}`);
  return value;
}

/** An optional boolean field. */
export function optionalBoolean(field: string, value: unknown): boolean | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') throw new OracleTypeError(field, `expected a boolean, got ${value === null ? 'null' : typeof value}`);
  return value;
}

/** Samples per type: an integer 0..100, default 3. */
export function maxSamples(field: string, value: unknown): number {
  return value === undefined ? DEFAULT_MAX_SAMPLES : finiteNumber(field, value, { min: 0, max: MAX_SAMPLES_LIMIT, integer: true });
}

/** Metadata: an object whose values are strings, string arrays, numbers, booleans or null. */
export function metadata(field: string, value: unknown): ObjectMetadata | undefined {
  if (value === undefined) return undefined;
  const record = object(field, value);
  for (const [name, v] of Object.entries(record)) {
    if (v === null || v === undefined || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') continue;
    if (Array.isArray(v) && v.every((item) => typeof item === 'string')) continue;
    throw new OracleTypeError(`${field}.${name}`, 'expected a string, string array, number, boolean or null');
  }
  return record as ObjectMetadata;
}

/** A non-empty string. */
export function nonEmptyString(field: string, value: unknown): string {
  if (typeof value !== 'string') throw new OracleTypeError(field, `expected a string, got ${value === null ? 'null' : typeof value}`);
  if (value.length === 0) throw new OracleRangeError(field, 'must not be empty');
  return value;
}
