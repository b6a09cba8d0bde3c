/**
 * `@almanac/identity/auth0`: Auth0 through the Management API v2, over core's HTTP client and
 * plain `fetch` (no `auth0` SDK: it is 34 MB, slow to load and retries non-idempotent POSTs).
 * Client-credentials tokens are cached and shared; `x-ratelimit-*` headers are respected; a
 * listing past Auth0's 1,000-user cap switches to a users-export job, streamed.
 *
 * @packageDocumentation
 */
import { checkFactoryOptions } from '@almanac/core';
import type { OptionKeys } from '@almanac/core';
import { createIdentity } from '../../facade/create-identity';
import { splitIdentityOptions } from '../../facade/split-options';
import type { Identity, IdentityOptions } from '../../facade/types';
import { createAuth0IdentityProvider } from './provider';
import type { Auth0IdentityProvider, Auth0IdentityProviderOptions } from './types';

export { AUTH0_LISTING_CAP, AUTH0_MAX_PAGE_SIZE, createAuth0IdentityProvider } from './provider';
export { escapeLucene } from './query';
export type { Auth0IdentityProvider, Auth0IdentityProviderOptions } from './types';

/** Options of {@link createAuth0Identity}: the provider's and the facade's (`clock` and `logger` serve both). */
export interface Auth0IdentityOptions extends Auth0IdentityProviderOptions, IdentityOptions {}

/** An {@link Identity} whose `provider` is an {@link Auth0IdentityProvider}. */
export type Auth0Identity = Identity & {
  /** The Auth0 adapter itself, typed so its extra `exportUsers` is reachable without a cast. */
  readonly provider: Auth0IdentityProvider;
};

// Every option, so plain-JavaScript callers get "did you mean" for a misspelt one (the type keeps it complete).
const AUTH0_IDENTITY_OPTION_KEYS: OptionKeys<Auth0IdentityOptions> = { domain: true, clientId: true, clientSecret: true, audience: true, baseUrl: true, fetch: true, clock: true, logger: true, requestTimeoutMs: true, retry: true, connection: true, revokeSessions: true, exportPollIntervalMs: true, timeoutMs: true, audit: true, onAuditError: true, actor: true, onEvent: true, createUserAttempts: true, exportTimeoutMs: true };

/**
 * An {@link Identity} over an Auth0 tenant. The machine-to-machine application needs the
 * Management API scopes of the operations used (`read:users`, `update:users`, `create:users`,
 * `delete:users`, `read:roles`, `create:role_members`, `delete:role_members`,
 * `read:authentication_methods`; `delete:sessions` and `delete:refresh_tokens` for
 * `revokeSessions`). Throws `ConfigError` naming every bad option.
 */
export function createAuth0Identity(options: Auth0IdentityOptions): Auth0Identity {
  checkFactoryOptions(options, AUTH0_IDENTITY_OPTION_KEYS, { factory: 'createAuth0Identity', provider: 'auth0', required: ['domain', 'clientId', 'clientSecret'] });
  const { facade, provider: providerOptions } = splitIdentityOptions(options);
  return createIdentity(createAuth0IdentityProvider(providerOptions), facade) as Auth0Identity;
}
