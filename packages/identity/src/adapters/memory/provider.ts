import {
  CapabilityError,
  ConflictError,
  NotFoundError,
  ValidationError,
  abortReason,
  parse,
  systemClock,
} from '@almanac/core';
import type { Clock } from '@almanac/core';
import {
  type CallOptions,
  type CreateUserInput,
  type ExportUsersRequest,
  type Group,
  IDENTITY_SPECIFICATION_VERSION,
  type IdentityCapabilities,
  type IdentityCapability,
  type IdentityProviderMethod,
  type ListUsersPageRequest,
  type MfaStatus,
  type Role,
  type User,
  type UserPage,
  type UserPatch,
} from '../../spec';
import { memoryOptionsSchema } from './options';
import { hashPassword, hashPasswordSync, verifyPassword } from './password';
import { type UserRecord, UserTable, lower } from './table';
import type { MemoryFault, MemoryIdentityProvider, MemoryIdentityProviderOptions, MemorySeedEntity } from './types';

const NAME = 'memory';
const DEFAULT_PAGE_SIZE = 100;
const MAX_PAGE_SIZE = 1_000;
const ALL_CAPABILITIES: IdentityCapabilities = Object.freeze({
  users: true,
  createUser: true,
  search: true,
  block: true,
  revokeSessions: true,
  roles: true,
  groups: true,
  mfaStatus: true,
  signInActivity: true,
  bulkExport: true,
});

type Entity = { id: string; name: string; description?: string | undefined };

function toEntity(seed: MemorySeedEntity): Entity {
  if (typeof seed === 'string') return { id: seed, name: seed };
  return { id: seed.id, name: seed.name ?? seed.id, ...(seed.description === undefined ? {} : { description: seed.description }) };
}

function entityMap(seeds: readonly MemorySeedEntity[] | undefined, path: string): Map<string, Entity> {
  const map = new Map<string, Entity>();
  (seeds ?? []).forEach((seed, i) => {
    const entity = toEntity(seed);
    if (map.has(entity.id)) throw new ValidationError(undefined, [{ path: `${path}.${i}`, message: `repeats ${path.slice(0, -1)} ${entity.id}` }]);
    map.set(entity.id, entity);
  });
  return map;
}

// Cursors are opaque to callers; base64url keeps ids with any characters URL-safe.
const encodeCursor = (id: string) => Buffer.from(id, 'utf8').toString('base64url');
const decodeCursor = (cursor: string) => Buffer.from(cursor, 'base64url').toString('utf8');

function clone<T extends Record<string, unknown>>(value: T): T {
  // Most users carry no metadata; skipping structuredClone for those keeps listing fast.
  for (const _ in value) return structuredClone(value);
  return {} as T;
}

/**
 * Creates the in-memory identity provider: every capability of the spec, deterministic ids
 * (`usr_00000001`, …), passwords hashed with scrypt and never kept or returned in clear, and
 * hooks for tests (`recordSignIn`, `failNext`, …). Wrap it with `createIdentity`, or call
 * `createMemoryIdentity` for both at once.
 */
export function createMemoryIdentityProvider(options: MemoryIdentityProviderOptions = {}): MemoryIdentityProvider {
  parse(memoryOptionsSchema, options, { provider: NAME, operation: 'createMemoryIdentityProvider', path: 'options' });
  const clock: Clock = options.clock ?? systemClock;
  const capabilities: IdentityCapabilities = Object.freeze({ ...ALL_CAPABILITIES, ...options.capabilities });
  const roles = entityMap(options.roles, 'roles');
  const groups = entityMap(options.groups, 'groups');
  const table = new UserTable();
  const idempotencyKeys = new Map<string, string>();
  const faults = new Map<IdentityProviderMethod, MemoryFault[]>();
  const calls = new Map<IdentityProviderMethod, number>();
  let nextId = 1;

  const newId = (): string => {
    for (;;) {
      const id = `usr_${String(nextId++).padStart(8, '0')}`;
      if (!table.has(id)) return id;
    }
  };

  // Seeds: validated above; cross-references (roles, groups, duplicates) checked here.
  const seeded: UserRecord[] = [];
  const seenEmails = new Set<string>();
  const seenIds = new Set<string>();
  (options.users ?? []).forEach((seed, i) => {
    const email = lower(seed.email);
    if (seenEmails.has(email)) throw new ValidationError(undefined, [{ path: `options.users.${i}.email`, message: 'repeats an email' }]);
    seenEmails.add(email);
    if (seed.id !== undefined) {
      if (seenIds.has(seed.id)) throw new ValidationError(undefined, [{ path: `options.users.${i}.id`, message: 'repeats an id' }]);
      seenIds.add(seed.id);
    }
    for (const [j, role] of (seed.roles ?? []).entries()) {
      if (!roles.has(role)) throw new ValidationError(undefined, [{ path: `options.users.${i}.roles.${j}`, message: `unknown role ${role}` }]);
    }
    for (const [j, group] of (seed.groups ?? []).entries()) {
      if (!groups.has(group)) throw new ValidationError(undefined, [{ path: `options.users.${i}.groups.${j}`, message: `unknown group ${group}` }]);
    }
  });
  (options.users ?? []).forEach((seed) => {
    const name = seed.name ?? seed.email;
    seeded.push({
      id: seed.id ?? '',
      email: seed.email,
      emailKey: lower(seed.email),
      name,
      nameKey: lower(name),
      blocked: seed.blocked ?? false,
      createdAt: seed.createdAt?.getTime() ?? clock.now(),
      ...(seed.lastLoginAt === undefined ? {} : { lastLoginAt: seed.lastLoginAt.getTime() }),
      ...(seed.lastLoginIp === undefined ? {} : { lastLoginIp: seed.lastLoginIp }),
      mfaMethods: [...(seed.mfaMethods ?? [])],
      roles: new Set(seed.roles ?? []),
      groups: new Set(seed.groups ?? []),
      metadata: clone({ ...seed.metadata }),
      ...(seed.password === undefined ? {} : { passwordHash: hashPasswordSync(seed.password) }),
      connection: 'memory',
    });
  });
  // Explicit ids first, so generated ones can skip them.
  for (const record of seeded) if (record.id !== '') table.reserve(record.id);
  for (const record of seeded) if (record.id === '') record.id = newId();
  table.load(seeded);

  const toUser = (r: UserRecord): User => {
    const roleIds = [...r.roles].sort();
    const groupIds = [...r.groups].sort();
    const user: {
      -readonly [K in keyof User]: User[K];
    } = {
      id: r.id,
      email: r.email,
      name: r.name,
      blocked: r.blocked,
      createdAt: new Date(r.createdAt),
      roles: roleIds,
      groups: groupIds,
      metadata: clone(r.metadata),
      raw: {
        id: r.id,
        email: r.email,
        name: r.name,
        blocked: r.blocked,
        connection: r.connection,
        createdAt: r.createdAt,
        hasPassword: r.passwordHash !== undefined,
        ...(r.sessionsRevokedAt === undefined ? {} : { sessionsRevokedAt: r.sessionsRevokedAt }),
      },
    };
    if (capabilities.signInActivity) {
      if (r.lastLoginAt !== undefined) user.lastLoginAt = new Date(r.lastLoginAt);
      if (r.lastLoginIp !== undefined) user.lastLoginIp = r.lastLoginIp;
    }
    if (capabilities.mfaStatus) user.mfaEnabled = r.mfaMethods.length > 0;
    return user;
  };

  /** Counting, abort check, capability check and fault injection around one call. */
  async function call<T>(
    method: IdentityProviderMethod,
    capability: IdentityCapability | undefined,
    signal: AbortSignal | undefined,
    work: () => T | Promise<T>,
  ): Promise<T> {
    calls.set(method, (calls.get(method) ?? 0) + 1);
    if (signal?.aborted) throw abortReason(signal);
    if (capability !== undefined && !capabilities[capability]) {
      throw new CapabilityError(capability, { provider: NAME, operation: method });
    }
    const fault = faults.get(method)?.shift();
    if (fault !== undefined && fault.when !== 'after') throw fault.error;
    const result = await work();
    if (fault !== undefined) throw fault.error;
    return result;
  }

  const userOf = (id: string, operation: string): UserRecord => {
    const record = table.get(id);
    if (record === undefined) throw new NotFoundError(`User ${id} not found`, { provider: NAME, operation });
    return record;
  };

  const roleOf = (id: string, operation: string): Entity => {
    const role = roles.get(id);
    if (role === undefined) throw new NotFoundError(`Role ${id} not found`, { provider: NAME, operation });
    return role;
  };

  const groupOf = (id: string, operation: string): Entity => {
    const group = groups.get(id);
    if (group === undefined) throw new NotFoundError(`Group ${id} not found`, { provider: NAME, operation });
    return group;
  };

  const matches = (record: UserRecord, query: string | undefined) =>
    query === undefined || record.emailKey.startsWith(query) || record.nameKey.startsWith(query);

  const queryKey = (query: string | undefined, operation: string): string | undefined => {
    if (query === undefined) return undefined;
    if (!capabilities.search) throw new CapabilityError('search', { provider: NAME, operation });
    return lower(query);
  };

  const provider: MemoryIdentityProvider = {
    name: NAME,
    specificationVersion: IDENTITY_SPECIFICATION_VERSION,
    capabilities,

    getUser: (id: string, o?: CallOptions) => call('getUser', undefined, o?.signal, () => toUser(userOf(id, 'getUser'))),

    findUserByEmail: (email: string, o?: CallOptions) =>
      call('findUserByEmail', undefined, o?.signal, () => {
        const record = table.byEmail(lower(email));
        return record === undefined ? undefined : toUser(record);
      }),

    listUsersPage: (request: ListUsersPageRequest) =>
      call('listUsersPage', undefined, request.signal, (): UserPage => {
        const query = queryKey(request.query, 'listUsersPage');
        const size = Math.min(MAX_PAGE_SIZE, Math.max(1, request.pageSize ?? DEFAULT_PAGE_SIZE));
        const cap = options.maxListable;
        if (request.cursor === undefined && cap !== undefined && (request.limit === undefined || request.limit > cap)) {
          let count = 0;
          for (const record of table.from(0)) if (matches(record, query) && ++count > cap) return { items: [], useExport: true };
        }
        const start = request.cursor === undefined ? 0 : table.positionAfter(decodeCursor(request.cursor));
        const items: User[] = [];
        let last: UserRecord | undefined;
        let more = false;
        for (const record of table.from(start)) {
          if (!matches(record, query)) continue;
          if (items.length === size) {
            more = true;
            break;
          }
          items.push(toUser(record));
          last = record;
        }
        return more && last !== undefined ? { items, cursor: encodeCursor(last.id) } : { items };
      }),

    exportUsers(request: ExportUsersRequest): AsyncIterable<User> {
      const signal = request.signal;
      return {
        async *[Symbol.asyncIterator]() {
          // Like a provider's export file, the set of users is fixed when the export starts
          // (ids only, so memory stays flat); users deleted since are left out.
          const ids = await call('exportUsers', 'bulkExport', signal, () => {
            const query = queryKey(request.query, 'exportUsers');
            const out: string[] = [];
            for (const record of table.from(0)) {
              if (request.limit !== undefined && out.length >= request.limit) break;
              if (matches(record, query)) out.push(record.id);
            }
            return out;
          });
          for (const id of ids) {
            if (signal?.aborted) throw abortReason(signal);
            const record = table.get(id);
            if (record !== undefined) yield toUser(record);
          }
        },
      };
    },

    createUser: (input: CreateUserInput, o?: CallOptions) =>
      call('createUser', 'createUser', o?.signal, async () => {
        if (input.idempotencyKey !== undefined) {
          const existing = table.get(idempotencyKeys.get(input.idempotencyKey) ?? '');
          if (existing !== undefined) return toUser(existing);
        }
        const emailKey = lower(input.email);
        if (table.byEmail(emailKey) !== undefined) {
          throw new ConflictError('A user with this email already exists', { provider: NAME, operation: 'createUser' });
        }
        // Hash before inserting so a concurrent create of the same email cannot slip in between check and insert.
        const passwordHash = input.password === undefined ? undefined : await hashPassword(input.password);
        if (table.byEmail(emailKey) !== undefined) {
          throw new ConflictError('A user with this email already exists', { provider: NAME, operation: 'createUser' });
        }
        const record: UserRecord = {
          id: newId(),
          email: input.email,
          emailKey,
          name: input.name,
          nameKey: lower(input.name),
          blocked: false,
          createdAt: clock.now(),
          mfaMethods: [],
          roles: new Set(),
          groups: new Set(),
          metadata: clone({ ...input.metadata }),
          ...(passwordHash === undefined ? {} : { passwordHash }),
          connection: input.connection ?? 'memory',
        };
        table.insert(record);
        if (input.idempotencyKey !== undefined) idempotencyKeys.set(input.idempotencyKey, record.id);
        return toUser(record);
      }),

    updateUser: (id: string, patch: UserPatch, o?: CallOptions) =>
      call('updateUser', 'users', o?.signal, async () => {
        userOf(id, 'updateUser');
        const passwordHash = patch.password === undefined ? undefined : await hashPassword(patch.password);
        const record = userOf(id, 'updateUser');
        if (patch.email !== undefined) {
          const emailKey = lower(patch.email);
          const holder = table.byEmail(emailKey);
          if (holder !== undefined && holder.id !== id) {
            throw new ConflictError('A user with this email already exists', { provider: NAME, operation: 'updateUser' });
          }
          table.reindexEmail(record, patch.email);
        }
        if (patch.name !== undefined) {
          record.name = patch.name;
          record.nameKey = lower(patch.name);
        }
        if (passwordHash !== undefined) record.passwordHash = passwordHash;
        if (patch.metadata !== undefined) {
          const next = { ...record.metadata };
          for (const [key, value] of Object.entries(patch.metadata)) {
            if (value === null) delete next[key];
            else next[key] = structuredClone(value);
          }
          record.metadata = next;
        }
        return toUser(record);
      }),

    deleteUser: (id: string, o?: CallOptions) =>
      call('deleteUser', 'users', o?.signal, () => {
        table.delete(id);
        for (const [key, holder] of idempotencyKeys) if (holder === id) idempotencyKeys.delete(key);
      }),

    blockUser: (id: string, o?: CallOptions) =>
      call('blockUser', 'block', o?.signal, () => {
        userOf(id, 'blockUser').blocked = true;
      }),

    unblockUser: (id: string, o?: CallOptions) =>
      call('unblockUser', 'block', o?.signal, () => {
        userOf(id, 'unblockUser').blocked = false;
      }),

    revokeSessions: (id: string, o?: CallOptions) =>
      call('revokeSessions', 'revokeSessions', o?.signal, () => {
        userOf(id, 'revokeSessions').sessionsRevokedAt = clock.now();
      }),

    listRoles: (o?: CallOptions) => call('listRoles', 'roles', o?.signal, (): Role[] => [...roles.values()].map((r) => ({ ...r }))),

    listUserRoles: (id: string, o?: CallOptions) =>
      call('listUserRoles', 'roles', o?.signal, (): Role[] =>
        [...userOf(id, 'listUserRoles').roles].sort().map((r) => ({ ...roleOf(r, 'listUserRoles') })),
      ),

    assignRoles: (id: string, ids: readonly string[], o?: CallOptions) =>
      call('assignRoles', 'roles', o?.signal, () => {
        const record = userOf(id, 'assignRoles');
        for (const role of ids) roleOf(role, 'assignRoles');
        for (const role of ids) record.roles.add(role);
      }),

    removeRoles: (id: string, ids: readonly string[], o?: CallOptions) =>
      call('removeRoles', 'roles', o?.signal, () => {
        const record = userOf(id, 'removeRoles');
        for (const role of ids) record.roles.delete(role);
      }),

    listGroups: (o?: CallOptions) => call('listGroups', 'groups', o?.signal, (): Group[] => [...groups.values()].map((g) => ({ ...g }))),

    listUserGroups: (id: string, o?: CallOptions) =>
      call('listUserGroups', 'groups', o?.signal, (): Group[] =>
        [...userOf(id, 'listUserGroups').groups].sort().map((g) => ({ ...groupOf(g, 'listUserGroups') })),
      ),

    addToGroup: (id: string, group: string, o?: CallOptions) =>
      call('addToGroup', 'groups', o?.signal, () => {
        const record = userOf(id, 'addToGroup');
        groupOf(group, 'addToGroup');
        record.groups.add(group);
      }),

    removeFromGroup: (id: string, group: string, o?: CallOptions) =>
      call('removeFromGroup', 'groups', o?.signal, () => {
        userOf(id, 'removeFromGroup').groups.delete(group);
      }),

    getMfaStatus: (id: string, o?: CallOptions) =>
      call('getMfaStatus', 'mfaStatus', o?.signal, (): MfaStatus => {
        const methods = [...userOf(id, 'getMfaStatus').mfaMethods];
        return { enabled: methods.length > 0, methods };
      }),

    recordSignIn(id, signIn) {
      const record = userOf(id, 'recordSignIn');
      record.lastLoginAt = signIn.at.getTime();
      if (signIn.ip === undefined) delete record.lastLoginIp;
      else record.lastLoginIp = signIn.ip;
    },

    async checkPassword(id, password) {
      const hash = userOf(id, 'checkPassword').passwordHash;
      return hash !== undefined && (await verifyPassword(password, hash));
    },

    setMfaMethods(id, methods) {
      userOf(id, 'setMfaMethods').mfaMethods = [...methods];
    },

    sessionsRevokedAt(id) {
      const at = userOf(id, 'sessionsRevokedAt').sessionsRevokedAt;
      return at === undefined ? undefined : new Date(at);
    },

    failNext(method, fault) {
      const queue = faults.get(method) ?? [];
      queue.push(fault);
      faults.set(method, queue);
    },

    callCount: (method) => calls.get(method) ?? 0,

    get size() {
      return table.size;
    },
  };
  return provider;
}

