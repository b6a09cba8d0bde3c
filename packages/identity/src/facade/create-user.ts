import { AbortedError, ConflictError } from '@almanac/core';
import type { AlmanacError, Clock } from '@almanac/core';
import type { OperationRunner } from '@almanac/core/kit';
import type { IDENTITY_CAPABILITY_METHODS, CreateUserInput, IdentityProvider, User } from '../spec';

/** How a `createUser` call ended, for the audit entry. */
export interface CreateOutcome {
  /** The user. */
  readonly user: User;
  /** Provider `createUser` calls made. */
  readonly attempts: number;
  /** True when the user was found by email after a failure whose outcome was unknown. */
  readonly recovered: boolean;
}

/** Thrown with how many attempts were made, so the audit entry can say so. */
export class CreateUserFailure extends Error {
  constructor(
    readonly error: AlmanacError,
    readonly attempts: number,
  ) {
    super(error.message);
  }
}

/**
 * Whether a failed create may nonetheless have happened: the request may have reached the
 * provider and been applied before the answer was lost (deadline passed, 5xx, connection reset
 * or a response we could not read). A 4xx, a 429 or a caller abort before sending are not.
 */
export function outcomeUnknown(error: AlmanacError): boolean {
  // Codes, not isInstance: the classes are structurally equal, so narrowing one excludes the other.
  if (error.code === 'timeout') return true;
  if (error.code === 'provider') return error.status === undefined || error.status >= 500;
  return false;
}

const BACKOFF_MS = 250;

/**
 * `createUser` that never creates twice. An attempt that fails with an unknown outcome is
 * followed by a lookup by email: found means the first attempt worked (return it), absent means
 * it did not (back off and try again). If the lookup itself fails nothing is retried, since we
 * could no longer tell. A `ConflictError` after an unknown outcome is our own earlier attempt
 * showing up late, and is resolved by one more lookup.
 */
export async function createUserOnce(
  runner: OperationRunner<IdentityProvider, typeof IDENTITY_CAPABILITY_METHODS>,
  input: CreateUserInput,
  call: { readonly signal?: AbortSignal | undefined; readonly timeoutMs?: number | undefined },
  maxAttempts: number,
  clock: Clock,
): Promise<CreateOutcome> {
  const provider = runner.require('createUser', 'createUser');
  const lookup = () =>
    runner.run('findUserByEmail', input.email, undefined, (email, context) => provider.findUserByEmail(email, { signal: context.signal }), {
      signal: call.signal,
      timeoutMs: call.timeoutMs,
      idempotent: true,
      attributes: { reason: 'createUser-recovery' },
    });
  let uncertain = false;
  for (let attempt = 1; ; attempt++) {
    let failure: AlmanacError;
    try {
      const user = await runner.run('createUser', input, undefined, (value, context) => provider.createUser(value, { signal: context.signal }), {
        signal: call.signal,
        timeoutMs: call.timeoutMs,
        idempotent: false,
        attributes: { attempt },
      });
      return { user, attempts: attempt, recovered: false };
    } catch (error) {
      failure = error as AlmanacError;
    }
    const conflictAfterUnknown = uncertain && ConflictError.isInstance(failure);
    if (!conflictAfterUnknown && !outcomeUnknown(failure)) throw new CreateUserFailure(failure, attempt);
    uncertain = true;
    let existing: User | undefined;
    try {
      existing = await lookup();
    } catch {
      // Unknown whether the user exists, so trying again could create a second one.
      throw new CreateUserFailure(failure, attempt);
    }
    if (existing !== undefined) return { user: existing, attempts: attempt, recovered: true };
    if (conflictAfterUnknown || attempt >= maxAttempts) throw new CreateUserFailure(failure, attempt);
    try {
      await clock.sleep(BACKOFF_MS * 2 ** (attempt - 1), call.signal);
    } catch {
      throw new CreateUserFailure(new AbortedError(undefined, { provider: runner.providerName, operation: 'createUser' }), attempt);
    }
  }
}
