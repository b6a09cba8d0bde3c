/**
 * The identity provider contract. Adapters implement {@link IdentityProvider}; users call the
 * {@link Identity} facade that wraps one (see `createIdentity`).
 *
 * Rules every adapter follows:
 * - A field the provider cannot give is absent from {@link User}, never guessed; the provider's
 *   own record is kept in `raw`.
 * - Missing users, roles and groups are `NotFoundError`; an email already taken is `ConflictError`;
 *   errors come from `@almanac/core`'s hierarchy and never carry a password or token.
 * - Membership and blocking are idempotent: adding a member already in a group, removing one
 *   who is not, assigning a role already held, blocking a blocked user all succeed.
 * - `deleteUser` of an absent user succeeds (so a retried delete is safe).
 * - Every method takes a last `options` argument with an `AbortSignal`.
 */
import { defineCapabilityMethods } from '@almanac/core/kit';

/** The version of this contract; a provider declares the one it implements. */
export const IDENTITY_SPECIFICATION_VERSION = 'v1' as const;

/** What a provider supports. The facade rejects calls outside these with `CapabilityError`. */
export interface IdentityCapabilities {
  /** Reading and managing users: `getUser`, `findUserByEmail`, `listUsersPage`, `updateUser`, `deleteUser`. */
  readonly users: boolean;
  /** `createUser` is available. */
  readonly createUser: boolean;
  /** `listUsersPage` honours `query` (see {@link ListUsersPageRequest.query}). */
  readonly search: boolean;
  /** `blockUser` and `unblockUser` are available. */
  readonly block: boolean;
  /** `revokeSessions` signs a user out everywhere. */
  readonly revokeSessions: boolean;
  /** `listRoles`, `listUserRoles`, `assignRoles`, `removeRoles` are available. */
  readonly roles: boolean;
  /** `listGroups`, `listUserGroups`, `addToGroup`, `removeFromGroup` are available. */
  readonly groups: boolean;
  /** `getMfaStatus` is available (and `User.mfaEnabled` is filled where it comes cheaply). */
  readonly mfaStatus: boolean;
  /** `User.lastLoginAt` (and `lastLoginIp` when known) are filled. */
  readonly signInActivity: boolean;
  /** `exportUsers` streams every user past any listing cap (e.g. Auth0's users-export job). */
  readonly bulkExport: boolean;
}

/** Name of one capability flag. */
export type IdentityCapability = keyof IdentityCapabilities;

/** Cancellation common to every call. */
export interface CallOptions {
  /** Aborts the call. */
  readonly signal?: AbortSignal | undefined;
}

/** A user as every provider reports it. */
export interface User {
  /** Provider user id (Auth0 `user_id`, Graph object id). */
  readonly id: string;
  /** Primary email address. */
  readonly email: string;
  /** Display name. */
  readonly name: string;
  /** Sign-in is blocked (Auth0 `blocked`, Graph `accountEnabled: false`). */
  readonly blocked: boolean;
  /** When the account was created. */
  readonly createdAt: Date;
  /** Last successful sign-in, when the provider reports it (`signInActivity`). */
  readonly lastLoginAt?: Date | undefined;
  /** IP address of the last sign-in, when the provider reports it. */
  readonly lastLoginIp?: string | undefined;
  /** Whether a second factor is enrolled, when the provider reports it. */
  readonly mfaEnabled?: boolean | undefined;
  /** Role ids, when the provider returns them with the user. */
  readonly roles?: readonly string[] | undefined;
  /** Group ids, when the provider returns them with the user. */
  readonly groups?: readonly string[] | undefined;
  /** Application metadata (Auth0 `app_metadata`/`user_metadata` merged, Graph extensions); `{}` when none. */
  readonly metadata: Readonly<Record<string, unknown>>;
  /** The provider's own record, kept because mappings are lossy. Never holds a password or hash. */
  readonly raw: unknown;
}

/** A role. */
export interface Role {
  /** Role id used by `assignRoles`/`removeRoles`. */
  readonly id: string;
  /** Display name. */
  readonly name: string;
  /** Description, when the provider has one. */
  readonly description?: string | undefined;
  /** The provider's own record. */
  readonly raw?: unknown;
}

/** A group. */
export interface Group {
  /** Group id used by `addToGroup`/`removeFromGroup`. */
  readonly id: string;
  /** Display name. */
  readonly name: string;
  /** Description, when the provider has one. */
  readonly description?: string | undefined;
  /** The provider's own record. */
  readonly raw?: unknown;
}

/** Second-factor enrolment of one user. */
export interface MfaStatus {
  /** At least one second factor is enrolled. */
  readonly enabled: boolean;
  /** Enrolled factor kinds as the provider names them (e.g. `otp`, `sms`, `microsoftAuthenticator`). */
  readonly methods: readonly string[];
}

/** Input of {@link IdentityProvider.createUser}. */
export interface CreateUserInput {
  /** Email address (unique in the tenant). */
  readonly email: string;
  /** Display name. */
  readonly name: string;
  /** Initial password; hashed or forwarded, never stored, logged or returned in clear. */
  readonly password?: string | undefined;
  /** Provider connection or directory (Auth0 connection name); provider default when absent. */
  readonly connection?: string | undefined;
  /** Application metadata. */
  readonly metadata?: Readonly<Record<string, unknown>> | undefined;
  /** A retry with the same key never creates a second user (where the provider supports keys). */
  readonly idempotencyKey?: string | undefined;
}

/**
 * Fields {@link IdentityProvider.updateUser} may change (patch: absent = unchanged).
 * `metadata` is merged key by key; a key set to `null` is removed.
 */
export interface UserPatch {
  /** New email address. */
  readonly email?: string | undefined;
  /** New display name. */
  readonly name?: string | undefined;
  /** New password (never logged or returned). */
  readonly password?: string | undefined;
  /** Metadata keys to set (`null` removes the key). */
  readonly metadata?: Readonly<Record<string, unknown>> | undefined;
}

/** Input of {@link IdentityProvider.listUsersPage}. */
export interface ListUsersPageRequest extends CallOptions {
  /**
   * Case-insensitive prefix of the email or the name; only passed when `capabilities.search`.
   * Adapters translate it (Auth0 `q=email:x* OR name:x*`, Graph `startswith`).
   */
  readonly query?: string | undefined;
  /** Page size hint; adapters clamp to the provider's maximum (Auth0 100, Graph 999). */
  readonly pageSize?: number | undefined;
  /**
   * How many users the caller still wants in total (absent = all). Lets a provider with a
   * listing cap avoid an export job when the caller wants fewer users than the cap.
   */
  readonly limit?: number | undefined;
  /** Opaque cursor from the previous page; absent for the first page. */
  readonly cursor?: string | undefined;
}

/** One page of users. */
export interface UserPage {
  /** Users on this page. */
  readonly items: readonly User[];
  /** Cursor of the next page; absent on the last page. */
  readonly cursor?: string | undefined;
  /**
   * Set on the first page (and only there: the facade rejects it later) when paging cannot
   * reach every matching user, e.g. Auth0 returns at most 1,000 users per search. The facade
   * then discards this page and streams `exportUsers` instead; without `bulkExport` it fails
   * with `CapabilityError` rather than truncate silently.
   */
  readonly useExport?: true | undefined;
}

/** Input of {@link IdentityProvider.exportUsers}. */
export interface ExportUsersRequest extends CallOptions {
  /** Same meaning as in listing; a provider that cannot filter an export rejects it with `ValidationError`. */
  readonly query?: string | undefined;
  /** Stop after this many users. */
  readonly limit?: number | undefined;
}

/**
 * What an adapter implements. Small and async; every method takes a last options argument with
 * a signal. Optional methods are only called when `capabilities` says so (the facade checks,
 * see {@link IDENTITY_CAPABILITY_METHODS}).
 */
export interface IdentityProvider {
  /** Provider name used in errors and audit events, e.g. `auth0`, `entra`, `memory`. */
  readonly name: string;
  /** The contract version implemented. */
  readonly specificationVersion: typeof IDENTITY_SPECIFICATION_VERSION;
  /** What this provider supports. */
  readonly capabilities: IdentityCapabilities;

  /** One user; `NotFoundError` when missing. */
  getUser(id: string, options?: CallOptions): Promise<User>;
  /** The user with this email (case-insensitive), or `undefined`. */
  findUserByEmail(email: string, options?: CallOptions): Promise<User | undefined>;
  /** One page of users, in a stable order. */
  listUsersPage(request: ListUsersPageRequest): Promise<UserPage>;
  /** Every user past any listing cap, streamed (`bulkExport`). */
  exportUsers?(request: ExportUsersRequest): AsyncIterable<User>;
  /** Creates a user; `ConflictError` when the email is taken (`createUser`). */
  createUser?(input: CreateUserInput, options?: CallOptions): Promise<User>;
  /** Patches a user; `NotFoundError` when missing (`users`). */
  updateUser?(id: string, patch: UserPatch, options?: CallOptions): Promise<User>;
  /** Deletes a user; succeeds when already absent (`users`). */
  deleteUser?(id: string, options?: CallOptions): Promise<void>;
  /** Blocks sign-in; idempotent. Does not revoke sessions (the facade calls `revokeSessions`) (`block`). */
  blockUser?(id: string, options?: CallOptions): Promise<void>;
  /** Unblocks sign-in; idempotent (`block`). */
  unblockUser?(id: string, options?: CallOptions): Promise<void>;
  /** Signs the user out of every session / revokes refresh tokens (`revokeSessions`). */
  revokeSessions?(id: string, options?: CallOptions): Promise<void>;
  /** Every role of the tenant (`roles`). */
  listRoles?(options?: CallOptions): Promise<readonly Role[]>;
  /** Roles held by a user (`roles`). */
  listUserRoles?(id: string, options?: CallOptions): Promise<readonly Role[]>;
  /** Assigns roles by id; already-held roles are fine; `NotFoundError` for an unknown role (`roles`). */
  assignRoles?(id: string, roles: readonly string[], options?: CallOptions): Promise<void>;
  /** Removes roles by id; roles not held are fine (`roles`). */
  removeRoles?(id: string, roles: readonly string[], options?: CallOptions): Promise<void>;
  /** Every group of the tenant (`groups`). */
  listGroups?(options?: CallOptions): Promise<readonly Group[]>;
  /** Groups a user is a direct member of (`groups`). */
  listUserGroups?(id: string, options?: CallOptions): Promise<readonly Group[]>;
  /** Adds a user to a group; already a member is fine; `NotFoundError` for an unknown group (`groups`). */
  addToGroup?(id: string, group: string, options?: CallOptions): Promise<void>;
  /** Removes a user from a group; not a member is fine (`groups`). */
  removeFromGroup?(id: string, group: string, options?: CallOptions): Promise<void>;
  /** Second-factor enrolment of a user (`mfaStatus`). */
  getMfaStatus?(id: string, options?: CallOptions): Promise<MfaStatus>;
}

/** Methods of {@link IdentityProvider} (excluding the descriptive fields). */
export type IdentityProviderMethod = Exclude<keyof IdentityProvider, 'name' | 'specificationVersion' | 'capabilities'>;

/**
 * Which provider methods each capability requires. A capability is usable when its flag is true
 * and every listed method is a function; the conformance suite checks both directions.
 * `signInActivity` needs no method: it is about which `User` fields are filled.
 */
export const IDENTITY_CAPABILITY_METHODS = defineCapabilityMethods<IdentityProvider>()({
  /** Reading and managing users. */
  users: ['getUser', 'findUserByEmail', 'listUsersPage', 'updateUser', 'deleteUser'],
  /** Creating users. */
  createUser: ['createUser'],
  /** Listing with a `query`. */
  search: ['listUsersPage'],
  /** Blocking and unblocking sign-in. */
  block: ['blockUser', 'unblockUser'],
  /** Signing a user out everywhere. */
  revokeSessions: ['revokeSessions'],
  /** Roles and their assignment. */
  roles: ['listRoles', 'listUserRoles', 'assignRoles', 'removeRoles'],
  /** Groups and their membership. */
  groups: ['listGroups', 'listUserGroups', 'addToGroup', 'removeFromGroup'],
  /** Second-factor enrolment. */
  mfaStatus: ['getMfaStatus'],
  /** Last sign-in on users: a flag about data, no method. */
  signInActivity: [],
  /** Streaming every user past listing caps. */
  bulkExport: ['exportUsers'],
} as const satisfies { readonly [C in IdentityCapability]: readonly IdentityProviderMethod[] });

/**
 * The old name of {@link IDENTITY_CAPABILITY_METHODS}, kept so existing imports still work.
 *
 * @deprecated Use {@link IDENTITY_CAPABILITY_METHODS}, named like the other domains' tables
 * (`STORAGE_CAPABILITY_METHODS`, `CALENDAR_CAPABILITY_METHODS`, …). Will be removed in the next major.
 */
export const CAPABILITY_METHODS: typeof IDENTITY_CAPABILITY_METHODS = IDENTITY_CAPABILITY_METHODS;
