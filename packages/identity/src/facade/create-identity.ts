import { CapabilityError, parse, silentLogger, systemClock } from '@almanac/core';
import { createOperationRunner } from '@almanac/core/kit';
import * as z from '@almanac/core/schema';
import type { OperationRunner } from '@almanac/core/kit';
import type { AuditEntry, AuditLog } from '../audit/types';
import { IDENTITY_CAPABILITY_METHODS } from '../spec';
import type { CreateUserInput, IdentityCapability, IdentityProvider, User, UserPatch } from '../spec';
import { createAdminAuditor } from './audit';
import { CreateUserFailure, createUserOnce } from './create-user';
import { exportUsers, listUsers } from './list-users';
import type { ListPlan } from './list-users';
import {
  blockOptionsSchema,
  callOptionsSchema,
  createUserSchema,
  emailSchema,
  exportUsersSchema,
  groupSchema,
  identityOptionsSchema,
  listUsersSchema,
  rolesSchema,
  updateUserSchema,
  userIdSchema,
} from './schemas';
import type { BlockUserOptions, ExportUsersOptions, Identity, IdentityCallOptions, IdentityOptions, ListUsersOptions } from './types';

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_EXPORT_TIMEOUT_MS = 600_000;
const DEFAULT_CREATE_ATTEMPTS = 3;

type Runner = OperationRunner<IdentityProvider, typeof IDENTITY_CAPABILITY_METHODS>;
type ObjectSchema = z.ZodObject;

const emptySchema = z.object({});

const str = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const keysOf = (value: unknown): string[] => (typeof value === 'object' && value !== null ? Object.keys(value).sort() : []);

/**
 * Wraps a provider in the {@link Identity} facade, on core's operation runner: every call is
 * validated (`ValidationError` naming the field), checked against `capabilities`
 * (`CapabilityError` before the provider is touched), bounded by `timeoutMs` and the caller's
 * signal (`TimeoutError`/`AbortedError`), and fails only with `AlmanacError`s. Admin operations
 * are appended to `options.audit` with their actor, failing closed: an `attempt` entry before
 * the provider is called (refused with a `ProviderError` when it cannot be written), then the
 * outcome (an append failure there is logged and sent to `onAuditError`, never thrown over the
 * result). Passwords never reach the log, nor any error message or log line.
 */
export function createIdentity(provider: IdentityProvider, options: IdentityOptions = {}): Identity {
  parse(identityOptionsSchema, options, { operation: 'createIdentity', path: 'options' });
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const runner: Runner = createOperationRunner({
    domain: 'identity',
    provider,
    capabilityMethods: IDENTITY_CAPABILITY_METHODS,
    defaultTimeoutMs: DEFAULT_TIMEOUT_MS,
    timeoutMs: options.timeoutMs,
    clock,
    logger,
    onAudit: options.onEvent,
  });
  const name = runner.providerName;
  const auditor = createAdminAuditor(options.audit as AuditLog | undefined, logger, name, options.onAuditError);
  const defaultActor = options.actor ?? 'system';
  const createAttempts = options.createUserAttempts ?? DEFAULT_CREATE_ATTEMPTS;
  const exportTimeoutMs = options.exportTimeoutMs ?? DEFAULT_EXPORT_TIMEOUT_MS;

  const actorOf = (call: IdentityCallOptions | undefined) =>
    typeof call?.actor === 'string' && call.actor.length > 0 ? call.actor : defaultActor;
  // Every operation but createUser is idempotent by contract (memberships, blocks, patches, deletes).
  const runOptionsOf = (call: IdentityCallOptions | undefined, capability: IdentityCapability) => ({
    signal: call?.signal,
    timeoutMs: call?.timeoutMs,
    capability,
    idempotent: true,
  });

  /** A read: validation (call options included), capability, deadline, error mapping. */
  const read = <I extends object, R>(
    operation: string,
    input: I,
    schema: ObjectSchema,
    capability: IdentityCapability,
    call: IdentityCallOptions | undefined,
    fn: (p: IdentityProvider, input: I, signal: AbortSignal) => Promise<R>,
  ): Promise<R> =>
    runner.run(
      operation,
      { ...input, options: call ?? {} },
      schema.extend({ options: callOptionsSchema }),
      (parsed, context) => fn(provider, parsed as unknown as I, context.signal),
      runOptionsOf(call, capability),
    );

  /**
   * A write: a read whose provider call is bracketed by audit entries. Once validation and the
   * capability check pass, `check` runs (refusals that need the parsed input), then the intent
   * entry is appended and only then is the provider called; if the intent cannot be written the
   * provider is never touched. The outcome entry follows whatever happened. `details` describes
   * the input (never a secret: ids, field names, metadata keys); `after` adds facts from the result.
   */
  const write = async <I extends object, R>(
    operation: string,
    input: I,
    schema: ObjectSchema,
    capability: IdentityCapability,
    call: IdentityCallOptions | undefined,
    details: (input: I) => Record<string, unknown>,
    fn: (p: IdentityProvider, input: I & { options: BlockUserOptions }, signal: AbortSignal) => Promise<R>,
    after: (result: R) => Record<string, unknown> = () => ({}),
    optionsSchema: ObjectSchema = callOptionsSchema,
    check: (input: I & { options: BlockUserOptions }) => void = () => {},
  ): Promise<R> => {
    const target = str((input as { id?: unknown }).id);
    let known: Record<string, unknown> = {};
    try {
      known = details(input);
    } catch {
      // Details come from unvalidated input here; failing to describe it must not hide the real error.
    }
    const audited = { actor: actorOf(call), action: operation, target };
    let intent: Promise<AuditEntry | undefined> | undefined;
    let result: R;
    try {
      result = await runner.run(
        operation,
        { ...input, options: call ?? {} },
        schema.extend({ options: optionsSchema }),
        async (value, context) => {
          const parsed = value as unknown as I & { options: BlockUserOptions };
          check(parsed);
          intent = auditor.attempt({ ...audited, details: known });
          await intent;
          // The deadline or the caller may have given up while the entry was written: the call
          // has already failed, so the provider must not act on it now.
          context.signal.throwIfAborted();
          return fn(provider, parsed, context.signal);
        },
        { ...runOptionsOf(call, capability), ...(target === null ? {} : { attributes: { target } }) },
      );
    } catch (error) {
      // Settled even when the deadline won the race against the append.
      const attempt = intent === undefined ? undefined : await intent.catch(() => null);
      // null: the intent could not be written, nothing was attempted, and that was reported already.
      if (attempt !== null) await auditor.outcome({ ...audited, details: known, attempt, error });
      throw error;
    }
    await auditor.outcome({ ...audited, details: { ...known, ...after(result) }, attempt: await intent });
    return result;
  };

  const identity: Identity = {
    name,
    provider,
    capabilities: provider.capabilities,
    supports: (capability) => runner.supports(capability),

    getUser: (id, call) => read('getUser', { id }, userIdSchema, 'users', call, (p, i, signal) => p.getUser(i.id, { signal })),

    findUserByEmail: (email, call) =>
      read('findUserByEmail', { email }, emailSchema, 'users', call, (p, i, signal) => p.findUserByEmail(i.email, { signal })),

    listUsers(listOptions: ListUsersOptions = {}) {
      const query = (listOptions as { query?: unknown } | null)?.query;
      const plan = runner.prepare('listUsers', listOptions, listUsersSchema, undefined, {
        capability: query === undefined ? 'users' : 'search',
        path: 'options',
      }) as ListPlan;
      if (!runner.supports('users')) throw new CapabilityError('users', { provider: name, operation: 'listUsers' });
      return { [Symbol.asyncIterator]: () => listUsers(runner, plan, exportTimeoutMs, clock) };
    },

    exportUsers(exportOptions: ExportUsersOptions = {}) {
      const plan = runner.prepare('exportUsers', exportOptions, exportUsersSchema, undefined, { capability: 'bulkExport', path: 'options' }) as ListPlan;
      return { [Symbol.asyncIterator]: () => exportUsers(runner, plan, plan.limit, exportTimeoutMs, clock) };
    },

    async createUser(input: CreateUserInput, call?: IdentityCallOptions) {
      const email = str((input as { email?: unknown } | null)?.email);
      const described = {
        ...(email === null ? {} : { email }),
        connection: str((input as { connection?: unknown } | null)?.connection) ?? undefined,
        metadataKeys: keysOf((input as { metadata?: unknown } | null)?.metadata),
      };
      const audited = { actor: actorOf(call), action: 'createUser', details: described };
      let parsed: CreateUserInput;
      let parsedCall: IdentityCallOptions;
      try {
        parsed = runner.prepare('createUser', input, createUserSchema, undefined, { capability: 'createUser' }) as CreateUserInput;
        parsedCall = runner.prepare('createUser', call ?? {}, callOptionsSchema, undefined, { path: 'options' }) as IdentityCallOptions;
      } catch (error) {
        await auditor.outcome({ ...audited, target: email, error });
        throw error;
      }
      // No intent entry, no call: a rejection here means the provider was never touched.
      const attempt = await auditor.attempt({ ...audited, target: email });
      try {
        const outcome = await createUserOnce(runner, parsed, parsedCall, createAttempts, clock);
        await auditor.outcome({
          ...audited,
          target: outcome.user.id,
          details: { ...described, attempts: outcome.attempts, recovered: outcome.recovered },
          attempt,
        });
        return outcome.user;
      } catch (error) {
        const failure = error instanceof CreateUserFailure ? error : undefined;
        const thrown = failure?.error ?? error;
        await auditor.outcome({
          ...audited,
          target: email,
          details: { ...described, ...(failure === undefined ? {} : { attempts: failure.attempts }) },
          attempt,
          error: thrown,
        });
        throw thrown;
      }
    },

    updateUser: (id: string, patch: UserPatch, call?: IdentityCallOptions): Promise<User> =>
      write(
        'updateUser',
        { id, patch },
        updateUserSchema,
        'users',
        call,
        (i) => ({ fields: keysOf(i.patch).filter((k) => (i.patch as Record<string, unknown>)[k] !== undefined), metadataKeys: keysOf(i.patch?.metadata) }),
        (p, i, signal) => (p.updateUser as NonNullable<IdentityProvider['updateUser']>)(i.id, i.patch, { signal }),
      ),

    deleteUser: (id, call) =>
      write('deleteUser', { id }, userIdSchema, 'users', call, () => ({}), (p, i, signal) =>
        (p.deleteUser as NonNullable<IdentityProvider['deleteUser']>)(i.id, { signal }),
      ),

    async blockUser(id: string, call?: BlockUserOptions) {
      const canRevoke = runner.supports('revokeSessions');
      await write(
        'blockUser',
        { id },
        userIdSchema,
        'block',
        call,
        () => ({}),
        async (p, i, signal) => {
          await (p.blockUser as NonNullable<IdentityProvider['blockUser']>)(i.id, { signal });
          if (!(i.options.revokeSessions ?? true) || !canRevoke) return false;
          await (p.revokeSessions as NonNullable<IdentityProvider['revokeSessions']>)(i.id, { signal });
          return true;
        },
        (revoked) => ({ sessionsRevoked: revoked }),
        blockOptionsSchema,
        (i) => {
          // Asked for explicitly on a provider that cannot: refuse before blocking (or auditing an attempt).
          if (i.options.revokeSessions === true && !canRevoke) throw new CapabilityError('revokeSessions', { provider: name, operation: 'blockUser' });
        },
      );
    },

    unblockUser: (id, call) =>
      write('unblockUser', { id }, userIdSchema, 'block', call, () => ({}), (p, i, signal) =>
        (p.unblockUser as NonNullable<IdentityProvider['unblockUser']>)(i.id, { signal }),
      ),

    revokeSessions: (id, call) =>
      write('revokeSessions', { id }, userIdSchema, 'revokeSessions', call, () => ({}), (p, i, signal) =>
        (p.revokeSessions as NonNullable<IdentityProvider['revokeSessions']>)(i.id, { signal }),
      ),

    listRoles: (call) =>
      read('listRoles', {}, emptySchema, 'roles', call, (p, _i, signal) => (p.listRoles as NonNullable<IdentityProvider['listRoles']>)({ signal })),

    listUserRoles: (id, call) =>
      read('listUserRoles', { id }, userIdSchema, 'roles', call, (p, i, signal) =>
        (p.listUserRoles as NonNullable<IdentityProvider['listUserRoles']>)(i.id, { signal }),
      ),

    assignRoles: (id, roles, call) =>
      write('assignRoles', { id, roles }, rolesSchema, 'roles', call, (i) => ({ roles: [...i.roles] }), (p, i, signal) =>
        (p.assignRoles as NonNullable<IdentityProvider['assignRoles']>)(i.id, i.roles, { signal }),
      ),

    removeRoles: (id, roles, call) =>
      write('removeRoles', { id, roles }, rolesSchema, 'roles', call, (i) => ({ roles: [...i.roles] }), (p, i, signal) =>
        (p.removeRoles as NonNullable<IdentityProvider['removeRoles']>)(i.id, i.roles, { signal }),
      ),

    listGroups: (call) =>
      read('listGroups', {}, emptySchema, 'groups', call, (p, _i, signal) => (p.listGroups as NonNullable<IdentityProvider['listGroups']>)({ signal })),

    listUserGroups: (id, call) =>
      read('listUserGroups', { id }, userIdSchema, 'groups', call, (p, i, signal) =>
        (p.listUserGroups as NonNullable<IdentityProvider['listUserGroups']>)(i.id, { signal }),
      ),

    addToGroup: (id, group, call) =>
      write('addToGroup', { id, group }, groupSchema, 'groups', call, (i) => ({ group: i.group }), (p, i, signal) =>
        (p.addToGroup as NonNullable<IdentityProvider['addToGroup']>)(i.id, i.group, { signal }),
      ),

    removeFromGroup: (id, group, call) =>
      write('removeFromGroup', { id, group }, groupSchema, 'groups', call, (i) => ({ group: i.group }), (p, i, signal) =>
        (p.removeFromGroup as NonNullable<IdentityProvider['removeFromGroup']>)(i.id, i.group, { signal }),
      ),

    getMfaStatus: (id, call) =>
      read('getMfaStatus', { id }, userIdSchema, 'mfaStatus', call, (p, i, signal) =>
        (p.getMfaStatus as NonNullable<IdentityProvider['getMfaStatus']>)(i.id, { signal }),
      ),
  };
  return Object.freeze(identity);
}
