import { ValidationError } from '../errors';
import type { ValidationIssue } from '../errors';
import type { RateLimiterSettings } from './types';

/** Throws {@link ValidationError} naming each bad bucket setting under `prefix` (e.g. `options.capacity`). */
export function assertRateLimiterSettings(options: unknown, prefix = 'options'): asserts options is RateLimiterSettings {
  if (typeof options !== 'object' || options === null) {
    throw new ValidationError(undefined, [{ path: prefix, message: 'must be an object' }]);
  }
  const { capacity, refillPerSecond } = options as Partial<RateLimiterSettings>;
  const issues: ValidationIssue[] = [];
  if (typeof capacity !== 'number' || !Number.isSafeInteger(capacity) || capacity < 1) {
    issues.push({ path: `${prefix}.capacity`, message: 'must be an integer >= 1' });
  }
  if (typeof refillPerSecond !== 'number' || !Number.isFinite(refillPerSecond) || refillPerSecond <= 0) {
    issues.push({ path: `${prefix}.refillPerSecond`, message: 'must be a finite number > 0' });
  }
  if (issues.length > 0) throw new ValidationError(undefined, issues);
}

/** Validates `key` and `cost` of a `take` call; returns the cost (default 1). */
export function checkTake(key: unknown, cost: unknown, capacity: number): number {
  const issues: ValidationIssue[] = [];
  if (typeof key !== 'string' || key.length === 0 || key.length > 1024) {
    issues.push({ path: 'key', message: 'must be a non-empty string of at most 1024 characters' });
  }
  const value = cost ?? 1;
  // A cost above capacity could never be granted: refusing it beats denying forever.
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1 || value > capacity) {
    issues.push({ path: 'options.cost', message: `must be an integer from 1 to the capacity (${capacity})` });
  }
  if (issues.length > 0) throw new ValidationError(undefined, issues);
  return value as number;
}
