import type { Clock } from '@almanac/core';
import type { IdentityCapabilities, IdentityProvider, IdentityProviderMethod } from '../../spec';

/** A role or group to seed, described in full. */
export interface MemorySeedEntityDescription {
  /** Id used by role and group operations. */
  readonly id: string;
  /** Display name; the id when absent. */
  readonly name?: string | undefined;
  /** Description. */
  readonly description?: string | undefined;
}

/** A role or group to seed: its id (also its name), or the full description. */
export type MemorySeedEntity = string | MemorySeedEntityDescription;

/** A user to seed the memory tenant with. */
export interface MemorySeedUser {
  /** User id; `usr_<n>` when absent. */
  readonly id?: string | undefined;
  /** Email address (unique, case-insensitive). */
  readonly email: string;
  /** Display name; the email when absent. */
  readonly name?: string | undefined;
  /** Password, hashed at once with scrypt and then forgotten. */
  readonly password?: string | undefined;
  /** Sign-in blocked. */
  readonly blocked?: boolean | undefined;
  /** Creation time; the clock's now when absent. */
  readonly createdAt?: Date | undefined;
  /** Last sign-in. */
  readonly lastLoginAt?: Date | undefined;
  /** IP of the last sign-in. */
  readonly lastLoginIp?: string | undefined;
  /** Enrolled second factors (e.g. `otp`); MFA is enabled when non-empty. */
  readonly mfaMethods?: readonly string[] | undefined;
  /** Role ids (must be seeded roles). */
  readonly roles?: readonly string[] | undefined;
  /** Group ids (must be seeded groups). */
  readonly groups?: readonly string[] | undefined;
  /** Application metadata. */
  readonly metadata?: Readonly<Record<string, unknown>> | undefined;
}

/** Options of `createMemoryIdentityProvider`. */
export interface MemoryIdentityProviderOptions {
  /** Users to start with. */
  readonly users?: readonly MemorySeedUser[] | undefined;
  /** Roles of the tenant. */
  readonly roles?: readonly MemorySeedEntity[] | undefined;
  /** Groups of the tenant. */
  readonly groups?: readonly MemorySeedEntity[] | undefined;
  /** Source of `createdAt`; the system clock by default. */
  readonly clock?: Clock | undefined;
  /**
   * Capabilities to switch off (tests of capability gating): a switched-off capability's
   * methods are removed and, for `signInActivity`/`mfaStatus`, the matching user fields too.
   */
  readonly capabilities?: Partial<IdentityCapabilities> | undefined;
  /**
   * Emulates a provider listing cap such as Auth0's 1,000: a listing matching more users than
   * this (when the caller wants more) answers `useExport` on its first page. Off by default.
   */
  readonly maxListable?: number | undefined;
}

/** A fault to inject into the next call of one provider method (test hook). */
export interface MemoryFault {
  /** Thrown by the call. */
  readonly error: unknown;
  /**
   * `after`: the operation takes effect, then the call fails, like a 503 or a dropped
   * connection after the server committed. `before` (default): nothing happens.
   */
  readonly when?: 'before' | 'after' | undefined;
}

/** The memory provider: every capability of the spec plus hooks for tests and demos. */
export interface MemoryIdentityProvider extends Required<Omit<IdentityProvider, 'exportUsers' | 'capabilityHints'>> {
  /** Streams every user (`bulkExport`). */
  exportUsers: NonNullable<IdentityProvider['exportUsers']>;
  /** Records a sign-in on the user (what `signInActivity` reports). */
  recordSignIn(id: string, signIn: { readonly at: Date; readonly ip?: string | undefined }): void;
  /** Whether `password` is the user's password (scrypt, constant-time). */
  checkPassword(id: string, password: string): Promise<boolean>;
  /** Enrols second factors (replaces the list; empty disables MFA). */
  setMfaMethods(id: string, methods: readonly string[]): void;
  /** When sessions were last revoked, if ever. */
  sessionsRevokedAt(id: string): Date | undefined;
  /** Makes the next call of `method` fail with `fault.error` (before or after taking effect). */
  failNext(method: IdentityProviderMethod, fault: MemoryFault): void;
  /** How many times each method was called (faulted calls included). */
  callCount(method: IdentityProviderMethod): number;
  /** Number of users in the tenant. */
  readonly size: number;
}
