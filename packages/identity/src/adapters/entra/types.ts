import type { Clock, FetchLike, Logger, RetryPolicy } from '@almanac/core';
import type { CallOptions, IdentityProvider } from '../../spec';

/** An access token as `@azure/identity` credentials return it. */
export interface AccessTokenLike {
  /** The bearer token. */
  readonly token: string;
  /** When it expires, in ms since the epoch. */
  readonly expiresOnTimestamp: number;
}

// exact-optional-ignore: @azure/identity's credentials must stay assignable to this shape.
/**
 * Anything shaped like `@azure/identity`'s `TokenCredential` (`ClientSecretCredential`,
 * `ManagedIdentityCredential`, …): only `getToken` is used, so the SDK is never required.
 */
export interface TokenCredentialLike {
  /** Returns a token for `scopes`, or `null` when none could be obtained. */
  getToken(scopes: string | string[], options?: { abortSignal?: AbortSignal }): Promise<AccessTokenLike | null>;
}

/** Where `User.metadata` lives in Entra ID (see the README). */
export interface EntraMetadataExtension {
  /** Application (client) id that owns the directory extension, with or without dashes. */
  readonly appId: string;
  /** Extension property name as registered. Default `almanacMetadata`. */
  readonly name?: string | undefined;
}

/** Options of `createEntraIdentityProvider`. */
export interface EntraIdentityProviderOptions {
  /** Token source for Microsoft Graph (scope `{graph origin}/.default`). */
  readonly credential: TokenCredentialLike;
  /** Graph root. Default `https://graph.microsoft.com/v1.0` (national clouds have their own). */
  readonly baseUrl?: string | undefined;
  /** `fetch` to use (tests, proxies). Default: the global `fetch`. */
  readonly fetch?: FetchLike | undefined;
  /** Clock of token expiry, backoff and `Retry-After` waits. */
  readonly clock?: Clock | undefined;
  /** Receives diagnostics (redacted; never a token). */
  readonly logger?: Logger | undefined;
  /** Retry policy of idempotent calls (core's `withRetry`). Default: 3 attempts. */
  readonly retry?: RetryPolicy | undefined;
  /** Limit of each HTTP attempt (response headers and body), in ms. Default 30 000. */
  readonly requestTimeoutMs?: number | undefined;
  /**
   * Ask for `signInActivity` (needs Entra ID P1/P2 and `AuditLog.Read.All`). Default `true`: the
   * first 403 on a request selecting it turns the capability off for this instance.
   */
  readonly signInActivity?: boolean | undefined;
  /**
   * A string directory extension holding `User.metadata` as JSON (at most 256 characters).
   * Without it, metadata reads as `{}` and writing metadata is a `ValidationError`.
   */
  readonly metadataExtension?: EntraMetadataExtension | undefined;
}

/** One membership change of a bulk operation that did not succeed. */
export interface MembershipFailure {
  /** The user (or role) id of the change. */
  readonly id: string;
  /** HTTP status Graph answered for it. */
  readonly status: number;
  /** Graph's error code, e.g. `Request_ResourceNotFound`. */
  readonly code: string;
  /** Graph's error message. */
  readonly message: string;
}

/** Outcome of a bulk membership change sent through `$batch`. */
export interface MembershipReport {
  /** Ids whose change succeeded (an existing membership on add, an absent one on remove, count as success). */
  readonly succeeded: readonly string[];
  /** Ids whose change failed, with Graph's answer. */
  readonly failed: readonly MembershipFailure[];
}

/** The Entra provider: the spec's methods plus bulk group membership through `$batch`. */
export interface EntraIdentityProvider extends IdentityProvider {
  /** Adds many users to one group, 20 per `$batch`; never throws for per-user failures, reports them. */
  addGroupMembers(group: string, userIds: readonly string[], options?: CallOptions): Promise<MembershipReport>;
  /** Removes many users from one group, 20 per `$batch`; reports per-user failures. */
  removeGroupMembers(group: string, userIds: readonly string[], options?: CallOptions): Promise<MembershipReport>;
}
