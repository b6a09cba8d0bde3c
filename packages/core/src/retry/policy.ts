import { ConfigError } from '../errors';
import type { ValidationIssue } from '../errors';

/** How often and how patiently a failed call is repeated. Every field is optional. */
export interface RetryPolicy {
  /** Total attempts including the first one; `1` disables retrying. Default 3. */
  maxAttempts?: number | undefined;
  /** Backoff ceiling of the first retry, in ms; it doubles per retry. Default 200. */
  baseDelayMs?: number | undefined;
  /** Upper bound of any computed backoff, in ms. Default 20 000. */
  maxDelayMs?: number | undefined;
  /**
   * Longest provider-requested wait (`Retry-After` and friends) we honour, in ms.
   * A longer request makes the call fail at once instead of parking it. Default 60 000.
   */
  maxRetryAfterMs?: number | undefined;
  /** Uniform source in [0, 1) for jitter; injectable so tests are deterministic. Default: crypto-based. */
  random?: (() => number) | undefined;
}

/** A {@link RetryPolicy} with every default filled in and every field validated. */
export interface ResolvedRetryPolicy {
  /** See {@link RetryPolicy.maxAttempts}. */
  readonly maxAttempts: number;
  /** See {@link RetryPolicy.baseDelayMs}. */
  readonly baseDelayMs: number;
  /** See {@link RetryPolicy.maxDelayMs}. */
  readonly maxDelayMs: number;
  /** See {@link RetryPolicy.maxRetryAfterMs}. */
  readonly maxRetryAfterMs: number;
  /** See {@link RetryPolicy.random}. */
  readonly random: () => number;
}

/** Defaults applied by {@link resolveRetryPolicy}. */
// Optional fields accept an explicit `undefined` (exactOptionalPropertyTypes); defaults never are.
export const DEFAULT_RETRY_POLICY: Readonly<{ [K in keyof Omit<RetryPolicy, 'random'>]-?: Exclude<RetryPolicy[K], undefined> }> = Object.freeze({
  maxAttempts: 3,
  baseDelayMs: 200,
  maxDelayMs: 20_000,
  maxRetryAfterMs: 60_000,
});

const UINT32_RANGE = 2 ** 32;

/** Uniform number in [0, 1) from the platform CSPRNG; `Math.random` is banned in library code. */
export function cryptoRandom(): number {
  const buffer = new Uint32Array(1);
  globalThis.crypto.getRandomValues(buffer);
  return (buffer[0] ?? 0) / UINT32_RANGE;
}

const RESOLVED_DEFAULT: ResolvedRetryPolicy = Object.freeze({ ...DEFAULT_RETRY_POLICY, random: cryptoRandom });

/**
 * Validates a policy and fills in defaults. Throws {@link ConfigError} naming every bad
 * field (prefixed with `fieldPrefix`, e.g. `retry.maxAttempts`).
 */
export function resolveRetryPolicy(policy?: RetryPolicy, fieldPrefix = ''): ResolvedRetryPolicy {
  // No policy is the common case on every provider call: nothing to validate or allocate.
  if (policy === undefined) return RESOLVED_DEFAULT;
  if (typeof policy !== 'object' || policy === null) {
    throw new ConfigError(`${fieldPrefix || 'retry policy'} must be an object`, [
      { path: fieldPrefix, message: 'must be an object' },
    ]);
  }
  const issues: ValidationIssue[] = [];
  const field = (name: string) => (fieldPrefix ? `${fieldPrefix}.${name}` : name);
  const number = (name: keyof typeof DEFAULT_RETRY_POLICY, min: number, integer: boolean): number => {
    const value: unknown = policy[name];
    if (value === undefined) return DEFAULT_RETRY_POLICY[name];
    if (typeof value !== 'number' || Number.isNaN(value) || value < min || (integer && !Number.isInteger(value))) {
      issues.push({ path: field(name), message: `must be ${integer ? 'an integer' : 'a number'} >= ${min}` });
      return DEFAULT_RETRY_POLICY[name];
    }
    return value;
  };
  const resolved = {
    maxAttempts: number('maxAttempts', 1, true),
    baseDelayMs: number('baseDelayMs', 0, false),
    maxDelayMs: number('maxDelayMs', 0, false),
    maxRetryAfterMs: number('maxRetryAfterMs', 0, false),
    random: policy.random ?? cryptoRandom,
  };
  if (typeof resolved.random !== 'function') issues.push({ path: field('random'), message: 'must be a function' });
  if (issues.length > 0) {
    throw new ConfigError(`Invalid retry policy: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, issues);
  }
  return Object.freeze(resolved);
}

/**
 * Full-jitter exponential backoff: a uniform pick in
 * `[0, min(maxDelayMs, baseDelayMs * 2^retryIndex)]`. Jitter spreads out clients that
 * failed together so they do not retry in lockstep. `retryIndex` is 0 for the first retry.
 */
export function backoffDelay(policy: ResolvedRetryPolicy, retryIndex: number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retryIndex));
  const draw = policy.random();
  // A misbehaving injected source must not produce negative or oversized waits.
  const unit = Number.isFinite(draw) ? Math.min(Math.max(draw, 0), 1) : 0;
  return Math.floor(unit * ceiling);
}
