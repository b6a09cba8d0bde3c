import { AlmanacError } from '@almanac/core';
import type { Logger } from '@almanac/core';
import type { AuditLog } from '../audit/types';

/** Appends facade operations to the audit log, if one is configured. */
export interface AdminAuditor {
  /** Records one admin operation; an append failure is logged, never thrown over the operation's result. */
  record(entry: {
    readonly actor: string;
    readonly action: string;
    readonly target: string | null;
    readonly error?: unknown;
    readonly details: Readonly<Record<string, unknown>>;
  }): Promise<void>;
}

/** Creates the auditor of one facade. */
export function createAdminAuditor(audit: AuditLog | undefined, logger: Logger, provider: string): AdminAuditor {
  return {
    async record({ actor, action, target, error, details }) {
      if (audit === undefined) return;
      const failed = error !== undefined;
      const errorCode = AlmanacError.isInstance(error) ? error.code : failed ? 'provider' : undefined;
      try {
        await audit.append({
          actor,
          action,
          target,
          outcome: failed ? 'failure' : 'success',
          details: { provider, ...details, ...(errorCode === undefined ? {} : { errorCode }) },
        });
      } catch (appendError) {
        // The operation already happened at the provider; failing it now would invite a retry.
        logger.warn('identity: audit append failed', {
          provider,
          action,
          code: AlmanacError.isInstance(appendError) ? appendError.code : 'unknown',
        });
      }
    },
  };
}
