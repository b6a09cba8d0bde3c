/**
 * `@almanac/identity/entra`: Microsoft Entra ID through Microsoft Graph v1.0, over core's HTTP
 * client and plain `fetch` (no Graph SDK). Tokens come from any `TokenCredential`-shaped object
 * (`@azure/identity`'s `ClientSecretCredential`, a managed identity, …), cached and shared.
 *
 * @packageDocumentation
 */
import { checkFactoryOptions } from '@almanac/core';
import type { OptionKeys } from '@almanac/core';
import { createIdentity } from '../../facade/create-identity';
import { splitIdentityOptions } from '../../facade/split-options';
import type { Identity, IdentityOptions } from '../../facade/types';
import { createEntraIdentityProvider } from './provider';
import type { EntraIdentityProvider, EntraIdentityProviderOptions } from './types';

export { GRAPH_BATCH_LIMIT } from './batch';
export { odataString } from './odata';
export { GRAPH_BASE_URL, GRAPH_MAX_PAGE_SIZE, createEntraIdentityProvider } from './provider';
export type {
  AccessTokenLike,
  EntraIdentityProvider,
  EntraIdentityProviderOptions,
  EntraMetadataExtension,
  MembershipFailure,
  MembershipReport,
  TokenCredentialLike,
} from './types';

/** Options of {@link createEntraIdentity}: the provider's and the facade's (`clock` and `logger` serve both). */
export interface EntraIdentityOptions extends EntraIdentityProviderOptions, IdentityOptions {}

/** An {@link Identity} whose `provider` is an {@link EntraIdentityProvider} (for bulk membership changes). */
export type EntraIdentity = Identity & {
  /** The Entra adapter itself, typed so `addGroupMembers` and `removeGroupMembers` are reachable without a cast. */
  readonly provider: EntraIdentityProvider;
};

// Every option, so plain-JavaScript callers get "did you mean" for a misspelt one (the type keeps it complete).
const ENTRA_IDENTITY_OPTION_KEYS: OptionKeys<EntraIdentityOptions> = { credential: true, baseUrl: true, fetch: true, clock: true, logger: true, retry: true, requestTimeoutMs: true, signInActivity: true, metadataExtension: true, timeoutMs: true, audit: true, onAuditError: true, actor: true, onEvent: true, createUserAttempts: true, exportTimeoutMs: true };

/**
 * An {@link Identity} over an Entra ID tenant. The application needs Graph application
 * permissions `User.ReadWrite.All`, `GroupMember.ReadWrite.All`, `RoleManagement.ReadWrite.Directory`,
 * `UserAuthenticationMethod.Read.All`, and `AuditLog.Read.All` for sign-in activity.
 * Throws `ConfigError` naming every bad option.
 */
export function createEntraIdentity(options: EntraIdentityOptions): EntraIdentity {
  checkFactoryOptions(options, ENTRA_IDENTITY_OPTION_KEYS, { factory: 'createEntraIdentity', provider: 'entra', required: ['credential'] });
  const { facade, provider: providerOptions } = splitIdentityOptions(options);
  return createIdentity(createEntraIdentityProvider(providerOptions), facade) as EntraIdentity;
}
