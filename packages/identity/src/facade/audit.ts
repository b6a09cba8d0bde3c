import { AlmanacError, ProviderError } from '@almanac/core';
import type { Logger } from '@almanac/core';
import type { AuditEntry, AuditLog, AuditOutcome } from '../audit/types';
import type { IdentityAuditErrorEvent } from './types';

/** Who did what to whom, as the audit entries of one admin operation record it. */
export interface AuditedOperation {
  /** Who is acting. */
  readonly actor: string;
  /** Operation name, e.g. `blockUser`. */
  readonly action: string;
  /** User id (or email before the user exists); `null` when unknown. */
  readonly target: string | null;
  /** Facts describing the input; never a secret (the log sanitises them again anyway). */
  readonly details: Readonly<Record<string, unknown>>;
}

/**
 * Appends the entries of facade admin operations to the audit log, if one is configured, so
 * that no admin change can happen without a record: an intent entry (`attempt`) before the
 * provider is called, which must be written or the operation is refused, then the outcome.
 */
export interface AdminAuditor {
  /**
   * Appends the intent entry. Resolves with it (`undefined` without an audit log); when the
   * append fails, reports it and rejects with a `ProviderError` ("audit log unavailable;
   * operation not attempted"), and the caller must not call the provider.
   */
  attempt(operation: AuditedOperation): Promise<AuditEntry | undefined>;
  /**
   * Appends the outcome: `failure` when `error` is given, `success` otherwise, linked to the
   * intent entry by `details.attemptSeq` when there is one (none when the call was refused
   * before the provider could be touched: validation, capability). Never throws: the result
   * stands, since the provider may already have acted and failing would invite a retry; an
   * append failure is logged at error level and reported to `onAuditError`.
   */
  outcome(operation: AuditedOperation & { readonly attempt?: AuditEntry | undefined; readonly error?: unknown }): Promise<void>;
}

/** Creates the auditor of one facade. */
export function createAdminAuditor(
  audit: AuditLog | undefined,
  logger: Logger,
  provider: string,
  onAuditError: ((event: IdentityAuditErrorEvent) => void) | undefined,
): AdminAuditor {
  const report = (event: IdentityAuditErrorEvent, cause: unknown) => {
    logger.error('identity: audit append failed', {
      provider,
      action: event.action,
      stage: event.stage,
      outcome: event.outcome,
      ...(event.attemptSeq === undefined ? {} : { attemptSeq: event.attemptSeq }),
      // The code only: a store's message may name paths, and the cause is in the event.
      code: AlmanacError.isInstance(cause) ? cause.code : 'unknown',
    });
    if (onAuditError === undefined) return;
    try {
      onAuditError(event);
    } catch (listenerError) {
      logger.warn('identity: onAuditError listener threw; ignored', {
        provider,
        action: event.action,
        code: AlmanacError.isInstance(listenerError) ? listenerError.code : 'unknown',
      });
    }
  };

  return {
    async attempt({ actor, action, target, details }) {
      if (audit === undefined) return undefined;
      try {
        return await audit.append({ actor, action, target, outcome: 'attempt', details: { provider, ...details } });
      } catch (cause) {
        const error = new ProviderError(`audit log unavailable; operation not attempted (${action})`, { provider, operation: action, cause });
        report({ stage: 'attempt', provider, action, actor, target, outcome: 'attempt', error }, cause);
        throw error;
      }
    },

    async outcome({ actor, action, target, details, attempt, error }) {
      if (audit === undefined) return;
      const failed = error !== undefined;
      const outcome: AuditOutcome = failed ? 'failure' : 'success';
      const errorCode = AlmanacError.isInstance(error) ? error.code : failed ? 'provider' : undefined;
      try {
        await audit.append({
          actor,
          action,
          target,
          outcome,
          details: {
            provider,
            ...details,
            ...(attempt === undefined ? {} : { attemptSeq: attempt.seq }),
            ...(errorCode === undefined ? {} : { errorCode }),
          },
        });
      } catch (cause) {
        // Not thrown: the provider may already have acted, and failing now would invite a retry.
        // The intent entry (when there is one) stays in the log with no outcome after it.
        const reported = new ProviderError(`audit log unavailable; outcome of ${action} not recorded`, { provider, operation: action, cause });
        report(
          {
            stage: 'outcome',
            provider,
            action,
            actor,
            target,
            outcome,
            ...(attempt === undefined ? {} : { attemptSeq: attempt.seq }),
            error: reported,
          },
          cause,
        );
      }
    },
  };
}
