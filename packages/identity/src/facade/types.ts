import type { AlmanacError, Clock, Logger } from '@almanac/core';
import type { OperationAuditEvent } from '@almanac/core/kit';
import type { AuditLog, AuditOutcome } from '../audit/types';
import type {
  CreateUserInput,
  Group,
  IdentityCapabilities,
  IdentityCapability,
  IdentityProvider,
  MfaStatus,
  Role,
  User,
  UserPatch,
} from '../spec';

/** Options every facade call takes. */
export interface IdentityCallOptions {
  /** Aborts the call. */
  readonly signal?: AbortSignal | undefined;
  /** Deadline of this call in ms; overrides the facade's `timeoutMs`. */
  readonly timeoutMs?: number | undefined;
  /** Who is acting, recorded in the audit log; overrides the facade's `actor`. */
  readonly actor?: string | undefined;
}

/** Options of {@link Identity.listUsers}. */
export interface ListUsersOptions extends Omit<IdentityCallOptions, 'actor'> {
  /** Case-insensitive prefix of the email or the name (needs `search`). */
  readonly query?: string | undefined;
  /** Stop after this many users. */
  readonly limit?: number | undefined;
  /** Users fetched per provider call (a hint; adapters clamp it). */
  readonly pageSize?: number | undefined;
}

/** Options of {@link Identity.exportUsers}. */
export type ExportUsersOptions = Omit<ListUsersOptions, 'pageSize'>;

/** Options of {@link Identity.blockUser}. */
export interface BlockUserOptions extends IdentityCallOptions {
  /**
   * Also sign the user out everywhere. Default `true`, done when the provider can
   * (`revokeSessions`); asking for it explicitly on a provider that cannot is a `CapabilityError`.
   */
  readonly revokeSessions?: boolean | undefined;
}

/** Options of {@link createIdentity}. */
export interface IdentityOptions {
  /** Deadline of each operation in ms (each page of a listing has its own). Default 30 000. */
  readonly timeoutMs?: number | undefined;
  /** Clock of deadlines and retry back-off. */
  readonly clock?: Clock | undefined;
  /** Receives diagnostics; never passwords or tokens. */
  readonly logger?: Logger | undefined;
  /**
   * Admin operations (create, update, delete, block, unblock, revoke, role and group changes) are
   * appended here, failing closed: an `attempt` entry is written before the provider is called,
   * and if it cannot be, the operation is refused with a `ProviderError` ("audit log
   * unavailable; operation not attempted") and the provider is never called. The outcome
   * (`success`/`failure`) follows; if that append fails the result stands and the failure goes
   * to the logger (error level) and {@link IdentityOptions.onAuditError}.
   */
  readonly audit?: AuditLog | undefined;
  /**
   * Called whenever an audit append fails: the intent entry (the operation was refused and the
   * caller got the error) or the outcome entry (the operation's result stands; the log shows the
   * intent entry with no outcome after it). Hook it to alerting: the audit trail is incomplete.
   * A listener that throws is logged (warn) and ignored.
   */
  readonly onAuditError?: ((event: IdentityAuditErrorEvent) => void) | undefined;
  /** Default actor recorded in the audit log. Default `system`. */
  readonly actor?: string | undefined;
  /** One event per operation (duration, outcome, error code), for metrics. */
  readonly onEvent?: ((event: OperationAuditEvent) => void) | undefined;
  /** How many times `createUser` is attempted in total when the outcome is unknown (timeout, 5xx, reset). Default 3. */
  readonly createUserAttempts?: number | undefined;
  /** Longest wait for the next user of a bulk export (the first one waits for the export job), in ms. Default 600 000. */
  readonly exportTimeoutMs?: number | undefined;
}

/** An audit append that failed, as {@link IdentityOptions.onAuditError} receives it. */
export interface IdentityAuditErrorEvent {
  /**
   * `attempt`: the intent entry could not be written, so the provider was not called and the
   * caller received `error`. `outcome`: the outcome entry could not be written after the
   * operation ran (or was refused before reaching the provider); the operation's result stands.
   */
  readonly stage: 'attempt' | 'outcome';
  /** Provider name. */
  readonly provider: string;
  /** Operation, e.g. `blockUser`. */
  readonly action: string;
  /** Who was acting. */
  readonly actor: string;
  /** User id (or email before the user exists), as the entry would have recorded it. */
  readonly target: string | null;
  /** The outcome the lost entry would have recorded. */
  readonly outcome: AuditOutcome;
  /** Position of the operation's intent entry, already in the log (stage `outcome` after an attempt). */
  readonly attemptSeq?: number | undefined;
  /** A `ProviderError` whose `cause` is what the audit log threw. */
  readonly error: AlmanacError;
}

/** Names accepted by {@link Identity.supports}. */
export type IdentityFeature = IdentityCapability;

/**
 * One identity interface over any provider: validated input (`ValidationError` naming the field),
 * capability checks (`CapabilityError` before the provider is touched), deadlines merged with the
 * caller's signal, errors from `@almanac/core`'s hierarchy, and an audit entry for every admin
 * operation.
 */
export interface Identity {
  /** Provider name. */
  readonly name: string;
  /** The adapter behind the facade. */
  readonly provider: IdentityProvider;
  /** The provider's declared capabilities. */
  readonly capabilities: IdentityCapabilities;
  /** Whether a capability is declared and its methods exist. */
  supports(capability: IdentityFeature): boolean;
  /** One user; `NotFoundError` when missing. */
  getUser(id: string, options?: IdentityCallOptions): Promise<User>;
  /** The user with this email (case-insensitive), or `undefined`. */
  findUserByEmail(email: string, options?: IdentityCallOptions): Promise<User | undefined>;
  /** Every user (matching `query`), streamed page by page; never silently truncated. */
  listUsers(options?: ListUsersOptions): AsyncIterable<User>;
  /**
   * Every user through the provider's bulk export (`bulkExport`, e.g. an Auth0 users-export
   * job): for backups and very large tenants. `listUsers` switches to it by itself when paging
   * cannot reach every user.
   */
  exportUsers(options?: ExportUsersOptions): AsyncIterable<User>;
  /**
   * Creates a user; `ConflictError` when the email is taken. Never creates twice: after a failure
   * whose outcome is unknown it looks the user up by email before trying again.
   */
  createUser(input: CreateUserInput, options?: IdentityCallOptions): Promise<User>;
  /** Patches a user. */
  updateUser(id: string, patch: UserPatch, options?: IdentityCallOptions): Promise<User>;
  /** Deletes a user; succeeds when already absent. */
  deleteUser(id: string, options?: IdentityCallOptions): Promise<void>;
  /** Blocks sign-in and (by default) revokes sessions; idempotent. */
  blockUser(id: string, options?: BlockUserOptions): Promise<void>;
  /** Unblocks sign-in; idempotent. */
  unblockUser(id: string, options?: IdentityCallOptions): Promise<void>;
  /** Signs the user out everywhere. */
  revokeSessions(id: string, options?: IdentityCallOptions): Promise<void>;
  /** Every role. */
  listRoles(options?: IdentityCallOptions): Promise<readonly Role[]>;
  /** Roles of a user. */
  listUserRoles(id: string, options?: IdentityCallOptions): Promise<readonly Role[]>;
  /** Assigns roles (ids); idempotent. */
  assignRoles(id: string, roles: readonly string[], options?: IdentityCallOptions): Promise<void>;
  /** Removes roles (ids); idempotent. */
  removeRoles(id: string, roles: readonly string[], options?: IdentityCallOptions): Promise<void>;
  /** Every group. */
  listGroups(options?: IdentityCallOptions): Promise<readonly Group[]>;
  /** Groups of a user. */
  listUserGroups(id: string, options?: IdentityCallOptions): Promise<readonly Group[]>;
  /** Adds a user to a group; idempotent. */
  addToGroup(id: string, group: string, options?: IdentityCallOptions): Promise<void>;
  /** Removes a user from a group; idempotent. */
  removeFromGroup(id: string, group: string, options?: IdentityCallOptions): Promise<void>;
  /** Second-factor enrolment of a user. */
  getMfaStatus(id: string, options?: IdentityCallOptions): Promise<MfaStatus>;
}
