import type { IdentityOptions } from './types';

/** Option names only the facade reads; `clock` and `logger` serve the provider too. */
type FacadeOnlyKey = 'timeoutMs' | 'audit' | 'onAuditError' | 'actor' | 'onEvent' | 'createUserAttempts' | 'exportTimeoutMs';

const FACADE_ONLY: readonly FacadeOnlyKey[] = ['timeoutMs', 'audit', 'onAuditError', 'actor', 'onEvent', 'createUserAttempts', 'exportTimeoutMs'];

/**
 * Splits the options of an adapter's `create…Identity` into the facade's and the provider's, so
 * each adapter wires them the same way. Absent options stay absent (no `undefined` keys), and
 * `clock` and `logger` go to both.
 */
export function splitIdentityOptions<O extends IdentityOptions>(options: O): { readonly facade: IdentityOptions; readonly provider: Omit<O, FacadeOnlyKey> } {
  const facade: Record<string, unknown> = {};
  const provider: Record<string, unknown> = { ...(options as object) };
  for (const key of FACADE_ONLY) {
    if (options[key] !== undefined) facade[key] = options[key];
    delete provider[key];
  }
  if (options.clock !== undefined) facade['clock'] = options.clock;
  if (options.logger !== undefined) facade['logger'] = options.logger;
  return { facade: facade as IdentityOptions, provider: provider as Omit<O, FacadeOnlyKey> };
}
