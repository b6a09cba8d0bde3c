import { ValidationError } from '../errors';

// Argument checks shared by every Cache implementation (memory, Redis), so they refuse the
// same input with the same message (internal).

/** A cache key: a non-empty string. */
export function checkKey(key: unknown): asserts key is string {
  if (typeof key !== 'string' || key === '') invalid('key', 'must be a non-empty string');
}

/** A time to live: a positive finite number of milliseconds. */
export function checkTtl(ttlMs: unknown, path: string): number {
  if (typeof ttlMs !== 'number' || !Number.isFinite(ttlMs) || ttlMs <= 0) invalid(path, 'must be a positive finite number of milliseconds');
  return ttlMs;
}

/** Throws a ValidationError for one field. */
export function invalid(path: string, message: string): never {
  throw new ValidationError(undefined, [{ path, message }]);
}
