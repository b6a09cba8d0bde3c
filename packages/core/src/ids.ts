import { validate as validateUuid, v7 } from 'uuid';
import { ValidationError } from './errors';

/** A random (version 4) UUID from the platform's CSPRNG. */
export function uuidv4(): string {
  return globalThis.crypto.randomUUID();
}

/**
 * A time-ordered (version 7) UUID: ids created later sort later as strings, also within
 * one millisecond, which keeps database indexes append-only.
 */
export function uuidv7(): string {
  return v7();
}

/** Whether `value` is a UUID string of any version (case-insensitive), including nil and max. */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && validateUuid(value);
}

/** Milliseconds since the Unix epoch encoded in a version 7 UUID. */
export function uuidv7Timestamp(id: string): number {
  if (!isUuid(id) || id[14] !== '7') {
    throw new ValidationError(undefined, [{ path: 'id', message: 'must be a version 7 UUID' }]);
  }
  return Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
}
