import { expect } from 'vitest';
import { AlmanacError } from '../errors';
import type {
  AbortedError,
  AuthError,
  CapabilityError,
  ConfigError,
  ConflictError,
  ErrorCode,
  IntegrityError,
  NotFoundError,
  PermissionError,
  ProviderError,
  RateLimitError,
  TimeoutError,
  ValidationError,
} from '../errors';

/** The error class each {@link ErrorCode} stands for. */
export interface AlmanacErrorByCode {
  /** Code `validation` is a `ValidationError`. */
  validation: ValidationError;
  /** Code `not_found` is a `NotFoundError`. */
  not_found: NotFoundError;
  /** Code `conflict` is a `ConflictError`. */
  conflict: ConflictError;
  /** Code `auth` is an `AuthError`. */
  auth: AuthError;
  /** Code `permission` is a `PermissionError`. */
  permission: PermissionError;
  /** Code `rate_limited` is a `RateLimitError`. */
  rate_limited: RateLimitError;
  /** Code `timeout` is a `TimeoutError`. */
  timeout: TimeoutError;
  /** Code `aborted` is an `AbortedError`. */
  aborted: AbortedError;
  /** Code `capability` is a `CapabilityError`. */
  capability: CapabilityError;
  /** Code `integrity` is an `IntegrityError`. */
  integrity: IntegrityError;
  /** Code `provider` is a `ProviderError`. */
  provider: ProviderError;
  /** Code `config` is a `ConfigError`. */
  config: ConfigError;
}

/** What {@link expectAlmanacError} checks; every field but `code` is optional. */
export interface ExpectedAlmanacError<C extends ErrorCode> {
  /** The error's stable code. */
  readonly code: C;
  /** A field that must be among the error's `issues[].path` (validation and config errors). */
  readonly field?: string | undefined;
  /** Text the message must contain, or a pattern it must match. */
  readonly message?: string | RegExp | undefined;
  /** The error's `provider`. */
  readonly provider?: string | undefined;
  /** The error's `operation`. */
  readonly operation?: string | undefined;
}

async function failureOf(subject: PromiseLike<unknown> | (() => unknown)): Promise<{ failed: true; error: unknown } | { failed: false }> {
  try {
    await (typeof subject === 'function' ? subject() : subject);
  } catch (error) {
    return { failed: true, error };
  }
  return { failed: false };
}

/**
 * Awaits `subject` (a promise, or a function called and awaited, so synchronous throws count)
 * and asserts it fails with an {@link AlmanacError} of `expected.code`, whose `issues` name
 * `expected.field` and whose message contains `expected.message`. Brand-checked with
 * `isInstance`, so it works across duplicate copies of core.
 *
 * @returns the error, typed by its code, for further checks.
 */
export async function expectAlmanacError<C extends ErrorCode>(
  subject: PromiseLike<unknown> | (() => unknown),
  expected: ExpectedAlmanacError<C>,
): Promise<AlmanacErrorByCode[C]> {
  const outcome = await failureOf(subject);
  if (!outcome.failed) expect.fail(`expected an AlmanacError with code "${expected.code}", but the call succeeded`);
  const error = outcome.error;
  const shown = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  expect(AlmanacError.isInstance(error), `expected an AlmanacError with code "${expected.code}", got ${shown}`).toBe(true);
  const almanac = error as AlmanacError;
  expect(almanac.code, `wrong code for ${shown}`).toBe(expected.code);
  if (expected.field !== undefined) {
    const issues = (almanac as { issues?: readonly { path: string }[] | undefined }).issues;
    expect(
      Array.isArray(issues) ? issues.map((issue) => issue.path) : [],
      `expected ${shown} to name the field "${expected.field}" in issues[].path`,
    ).toContain(expected.field);
  }
  if (typeof expected.message === 'string') expect(almanac.message).toContain(expected.message);
  else if (expected.message instanceof RegExp) expect(almanac.message).toMatch(expected.message);
  if (expected.provider !== undefined) expect(almanac.provider, `provider of ${shown}`).toBe(expected.provider);
  if (expected.operation !== undefined) expect(almanac.operation, `operation of ${shown}`).toBe(expected.operation);
  return almanac as AlmanacErrorByCode[C];
}
