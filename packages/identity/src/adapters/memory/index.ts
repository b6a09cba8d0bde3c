/**
 * `@almanac/identity/memory`: the reference identity provider, in memory: every capability,
 * passwords hashed with scrypt (`node:crypto`) and never stored or returned in clear,
 * deterministic ids, and hooks for tests and demos. The embedded default.
 *
 * @packageDocumentation
 */
import { checkFactoryOptions } from '@almanac/core';
import type { OptionKeys } from '@almanac/core';
import { createIdentity } from '../../facade/create-identity';
import type { Identity, IdentityOptions } from '../../facade/types';
import { createMemoryIdentityProvider } from './provider';
import type { MemoryIdentityProvider, MemoryIdentityProviderOptions } from './types';

export { createMemoryIdentityProvider } from './provider';
export type {
  MemoryFault,
  MemoryIdentityProvider,
  MemoryIdentityProviderOptions,
  MemorySeedEntity,
  MemorySeedEntityDescription,
  MemorySeedUser,
} from './types';

/** Options of {@link createMemoryIdentity}: the tenant's and the facade's. */
export interface MemoryIdentityOptions extends MemoryIdentityProviderOptions, IdentityOptions {}

/** An {@link Identity} whose `provider` is a {@link MemoryIdentityProvider} (for its test hooks). */
export interface MemoryIdentity extends Identity {
  /** The memory provider, with its test hooks (`recordSignIn`, `failNext`, `callCount`, …). */
  readonly provider: MemoryIdentityProvider;
}

// Every option, so plain-JavaScript callers get "did you mean" for a misspelt one (the type keeps it complete).
const MEMORY_IDENTITY_OPTION_KEYS: OptionKeys<MemoryIdentityOptions> = { users: true, roles: true, groups: true, clock: true, capabilities: true, maxListable: true, timeoutMs: true, logger: true, audit: true, onAuditError: true, actor: true, onEvent: true, createUserAttempts: true, exportTimeoutMs: true };

/**
 * Creates an in-memory identity tenant behind the facade, seeded with `users`, `roles` and
 * `groups`; `clock` drives both `createdAt` and the facade's deadlines.
 */
export function createMemoryIdentity(options: MemoryIdentityOptions = {}): MemoryIdentity {
  checkFactoryOptions(options, MEMORY_IDENTITY_OPTION_KEYS, { factory: 'createMemoryIdentity', provider: 'memory' });
  const { users, roles, groups, capabilities, maxListable, ...facade } = options;
  const provider = createMemoryIdentityProvider({
    ...(users === undefined ? {} : { users }),
    ...(roles === undefined ? {} : { roles }),
    ...(groups === undefined ? {} : { groups }),
    ...(capabilities === undefined ? {} : { capabilities }),
    ...(maxListable === undefined ? {} : { maxListable }),
    ...(facade.clock === undefined ? {} : { clock: facade.clock }),
  });
  return createIdentity(provider, facade) as MemoryIdentity;
}
