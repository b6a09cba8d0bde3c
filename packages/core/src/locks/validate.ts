import { ValidationError } from '../errors';
import type { ValidationIssue } from '../errors';
import type { LockAcquireOptions } from './types';

/** Throws {@link ValidationError} naming each bad argument of `Lock.acquire`. */
export function checkAcquire(key: unknown, options: unknown): asserts options is LockAcquireOptions {
  const issues: ValidationIssue[] = [];
  if (typeof key !== 'string' || key.length === 0 || key.length > 1024) {
    issues.push({ path: 'key', message: 'must be a non-empty string of at most 1024 characters' });
  }
  if (typeof options !== 'object' || options === null) {
    issues.push({ path: 'options', message: 'must be an object with ttlMs' });
  } else {
    const { ttlMs } = options as Partial<LockAcquireOptions>;
    if (typeof ttlMs !== 'number' || !Number.isSafeInteger(ttlMs) || ttlMs < 1) {
      issues.push({ path: 'options.ttlMs', message: 'must be a positive integer number of milliseconds' });
    }
  }
  if (issues.length > 0) throw new ValidationError(undefined, issues);
}
