import type { Clock, FetchLike, Logger, RetryPolicy } from '@almanac/core';
import type { ExportUsersRequest, IdentityProvider, User } from '../../spec';

/** Options of `createAuth0IdentityProvider`. */
export interface Auth0IdentityProviderOptions {
  /** Tenant domain, e.g. `acme.eu.auth0.com` (a host name, no scheme or path). */
  readonly domain: string;
  /** Client id of a machine-to-machine application authorised for the Management API. */
  readonly clientId: string;
  /** Its client secret; sent only to the token endpoint, never logged or put in an error. */
  readonly clientSecret: string;
  /** Token audience. Default `https://{domain}/api/v2/`. */
  readonly audience?: string | undefined;
  /**
   * Management API root. Default `https://{domain}/api/v2`; the token endpoint is `/oauth/token`
   * on the same origin (point both at a fake or a private deployment with one setting).
   */
  readonly baseUrl?: string | undefined;
  /** `fetch` to use (tests, proxies). Default: the global `fetch`. */
  readonly fetch?: FetchLike | undefined;
  /** Clock of token expiry, backoff, rate-limit waits and export polling. */
  readonly clock?: Clock | undefined;
  /** Receives diagnostics (redacted; never the secret or a token). */
  readonly logger?: Logger | undefined;
  /** Limit of each HTTP attempt (response headers and body), in ms. Default 30 000. */
  readonly requestTimeoutMs?: number | undefined;
  /** Retry policy of idempotent calls (core's `withRetry`). Default: 3 attempts. */
  readonly retry?: RetryPolicy | undefined;
  /** Connection `createUser` uses when the input names none. Default `Username-Password-Authentication`. */
  readonly connection?: string | undefined;
  /**
   * Declare `revokeSessions` (`DELETE /api/v2/users/{id}/sessions`, available on Auth0 Enterprise
   * plans only). Default `false`: on other plans the call would fail with 403 after a block.
   */
  readonly revokeSessions?: boolean | undefined;
  /** First wait between two polls of a users-export job, in ms (it doubles up to 30 s). Default 1 000. */
  readonly exportPollIntervalMs?: number | undefined;
}

/** The Auth0 provider: the spec's methods, all implemented (`exportUsers` included). */
export interface Auth0IdentityProvider extends IdentityProvider {
  /** Streams every user through a users-export job (gzipped NDJSON, parsed line by line). */
  exportUsers(request: ExportUsersRequest): AsyncIterable<User>;
}
