import { randomBytes } from 'node:crypto';
import { AlmanacError, ConflictError, PermissionError, ValidationError, createRedactor, systemClock } from '@almanac/core';
import type { Clock } from '@almanac/core';
import { absentIsDone } from '../../rest/absent-is-done';
import { pathSegment } from '../../rest/path';
import { createRestTransport } from '../../rest/transport';
import type { RestCall } from '../../rest/transport';
import {
  type CallOptions,
  type CreateUserInput,
  type Group,
  IDENTITY_SPECIFICATION_VERSION,
  type IdentityCapabilities,
  type ListUsersPageRequest,
  type MfaStatus,
  type Role,
  type User,
  type UserPage,
  type UserPatch,
} from '../../spec';
import { graphError, reportError, runBatch } from './batch';
import type { BatchChange } from './batch';
import { USER_FIELDS, mapEntity, mapUser, readMetadata } from './map';
import { parseNextLink } from './next-link';
import type { LinkRequest } from './next-link';
import { emailFilter, prefixFilter } from './odata';
import { PROVIDER, validateOptions } from './options';
import { createEntraTokenSource } from './token';
import type { EntraIdentityProvider, EntraIdentityProviderOptions, MembershipReport } from './types';

// Microsoft Graph v1.0: users https://learn.microsoft.com/graph/api/resources/user,
// groups https://learn.microsoft.com/graph/api/resources/group,
// directory roles https://learn.microsoft.com/graph/api/resources/directoryrole,
// throttling https://learn.microsoft.com/graph/throttling (429/503 with Retry-After).

/** Default Graph root. */
export const GRAPH_BASE_URL = 'https://graph.microsoft.com/v1.0';
/** Largest `$top` Graph accepts for users. */
export const GRAPH_MAX_PAGE_SIZE = 999;
const DEFAULT_PAGE_SIZE = 100;
const USER_AGENT = '@almanac/identity (entra)';
/** Directory string extensions hold at most 256 characters. */
const MAX_METADATA_CHARS = 256;
const ALREADY_MEMBER = 'One or more added object references already exist';
const ALREADY_TAKEN = /already exists/i;

interface Collection {
  readonly value?: unknown;
  readonly '@odata.nextLink'?: unknown;
}

/** Authentication methods that are not a second factor (the password; email only resets it). */
const NOT_SECOND_FACTORS: ReadonlySet<string> = new Set(['password', 'email', 'temporaryAccessPass']);

/**
 * Creates the Entra ID provider over Microsoft Graph v1.0 (no Graph SDK; any
 * `TokenCredential`-shaped object supplies tokens). Capabilities: users, createUser, search,
 * block, revokeSessions, roles (directory roles), groups, mfaStatus, and signInActivity until a
 * 403 proves the tenant cannot report it. No listing cap, so no export.
 *
 * Throws `ConfigError` naming every bad option.
 */
export function createEntraIdentityProvider(options: EntraIdentityProviderOptions): EntraIdentityProvider {
  validateOptions(options);
  const clock: Clock = options.clock ?? systemClock;
  const baseUrl = (options.baseUrl ?? GRAPH_BASE_URL).replace(/\/+$/, '');
  const root = new URL(`${baseUrl}/`);
  const transport = createRestTransport({
    provider: PROVIDER,
    baseUrl,
    auth: createEntraTokenSource(options.credential, `${root.origin}/.default`, clock),
    fetch: options.fetch,
    clock,
    logger: options.logger,
    retry: options.retry,
    timeoutMs: options.requestTimeoutMs,
    redactor: createRedactor(),
    userAgent: USER_AGENT,
  });
  const extension = options.metadataExtension;
  const metadataProperty = extension === undefined ? undefined : `extension_${extension.appId.replace(/-/g, '').toLowerCase()}_${extension.name ?? 'almanacMetadata'}`;
  // Detected, not assumed: on until a request selecting it is refused with 403 and the same
  // request without it succeeds (tenant without Entra ID P1/P2, or no AuditLog.Read.All).
  let signInActivity = options.signInActivity !== false;

  const call = async <T>(request: RestCall): Promise<T> => (await transport.request<T>(request)).data;
  const userPath = (id: string) => `/users/${pathSegment(id, 'id', PROVIDER)}`;
  const select = (withSignIn: boolean) =>
    [...USER_FIELDS, ...(withSignIn ? ['signInActivity'] : []), ...(metadataProperty === undefined ? [] : [metadataProperty])].join(',');
  const toUser = (raw: unknown) => mapUser(raw, metadataProperty);

  /**
   * Runs a user read selecting signInActivity while the capability is on. A 403 is retried once
   * without it; if that succeeds the tenant cannot report sign-ins and the capability goes off.
   */
  const readUsers = async <T>(send: (withSignIn: boolean) => Promise<T>): Promise<T> => {
    if (!signInActivity) return send(false);
    try {
      return await send(true);
    } catch (error) {
      if (!PermissionError.isInstance(error)) throw error;
      const result = await send(false);
      if (signInActivity) {
        signInActivity = false;
        options.logger?.warn(`${PROVIDER}: signInActivity refused (403); reading users without it from now on`, {
          provider: PROVIDER,
          hint: 'needs Entra ID P1/P2 and AuditLog.Read.All',
        });
      }
      return result;
    }
  };

  /** Every page of a Graph collection. */
  const all = async (first: LinkRequest, signal: AbortSignal | undefined): Promise<unknown[]> => {
    const items: unknown[] = [];
    let next: LinkRequest | undefined = first;
    while (next !== undefined) {
      const data: Collection = await call<Collection>({ method: 'GET', path: next.path, query: next.query, signal });
      items.push(...(Array.isArray(data?.value) ? data.value : []));
      next = typeof data?.['@odata.nextLink'] === 'string' ? parseNextLink(data['@odata.nextLink'], root) : undefined;
    }
    return items;
  };

  /** The metadata patch as the extension's JSON value, merged onto `current` (`null` removes). */
  const metadataValue = (current: Record<string, unknown>, patch: Readonly<Record<string, unknown>>): string | null => {
    if (metadataProperty === undefined) {
      throw new ValidationError(undefined, [{ path: 'metadata', message: 'needs options.metadataExtension (a directory extension to hold it)' }], {
        provider: PROVIDER,
      });
    }
    const merged: Record<string, unknown> = { ...current };
    for (const [key, value] of Object.entries(patch)) {
      if (value === null) delete merged[key];
      else merged[key] = value;
    }
    if (Object.keys(merged).length === 0) return null;
    const json = JSON.stringify(merged);
    if (json.length > MAX_METADATA_CHARS) {
      throw new ValidationError(undefined, [{ path: 'metadata', message: `must serialise to at most ${MAX_METADATA_CHARS} characters of JSON (a directory extension limit)` }], {
        provider: PROVIDER,
      });
    }
    return json;
  };

  /** A 400 "… already exists" (userPrincipalName, proxyAddresses) as the ConflictError it is. */
  const conflictOf = (error: unknown): unknown =>
    ValidationError.isInstance(error) && ALREADY_TAKEN.test(error.message)
      ? new ConflictError(error.message, { provider: PROVIDER, operation: error.operation, status: error.status, cause: error })
      : error;

  /** `$ref` membership add: already a member (400 "…already exist") is success. */
  const addRef = async (collection: string, id: string, member: string, signal: AbortSignal | undefined): Promise<void> => {
    try {
      await call({
        method: 'POST',
        path: `/${collection}/${pathSegment(id, collection === 'groups' ? 'group' : 'role', PROVIDER)}/members/$ref`,
        json: { '@odata.id': `${root.origin}${root.pathname}directoryObjects/${pathSegment(member, 'id', PROVIDER)}` },
        signal,
        repeatable: true,
      });
    } catch (error) {
      if (!(AlmanacError.isInstance(error) && error.status === 400 && error.message.includes(ALREADY_MEMBER))) throw error;
    }
  };

  const membershipChanges = (kind: 'groups' | 'directoryRoles', target: (key: string) => { owner: string; member: string }, keys: readonly string[], method: 'POST' | 'DELETE'): BatchChange[] =>
    keys.map((key) => {
      const { owner, member } = target(key);
      const ownerSegment = pathSegment(owner, kind === 'groups' ? 'group' : 'roles', PROVIDER);
      const memberSegment = pathSegment(member, 'id', PROVIDER);
      return method === 'POST'
        ? {
            key,
            method,
            url: `/${kind}/${ownerSegment}/members/$ref`,
            body: { '@odata.id': `${root.origin}${root.pathname}directoryObjects/${memberSegment}` },
            alreadyDone: (status: number, body: unknown) => status === 400 && graphError(body).message.includes(ALREADY_MEMBER),
          }
        : { key, method, url: `/${kind}/${ownerSegment}/members/${memberSegment}/$ref`, alreadyDone: (status: number) => status === 404 };
    });

  const batch = (changes: BatchChange[], signal: AbortSignal | undefined): Promise<MembershipReport> =>
    runBatch(changes, { transport, clock, retry: options.retry, logger: options.logger, signal });

  const capabilities: IdentityCapabilities = Object.freeze({
    users: true,
    createUser: true,
    search: true,
    block: true,
    revokeSessions: true,
    roles: true,
    groups: true,
    mfaStatus: true,
    get signInActivity() {
      return signInActivity;
    },
    bulkExport: false,
  });

  const provider: EntraIdentityProvider = {
    name: PROVIDER,
    specificationVersion: IDENTITY_SPECIFICATION_VERSION,
    capabilities,

    // GET /users/{id}: https://learn.microsoft.com/graph/api/user-get
    getUser: (id: string, opts: CallOptions = {}) =>
      readUsers(async (withSignIn) => toUser(await call({ method: 'GET', path: userPath(id), query: { $select: select(withSignIn) }, signal: opts.signal }))),

    // mail or userPrincipalName equal to the email (Entra compares strings case-insensitively).
    async findUserByEmail(email: string, opts: CallOptions = {}): Promise<User | undefined> {
      const data = await readUsers((withSignIn) =>
        call<Collection>({ method: 'GET', path: '/users', query: { $filter: emailFilter(email), $select: select(withSignIn), $top: 5 }, signal: opts.signal }),
      );
      const users = (Array.isArray(data?.value) ? data.value : []).map(toUser);
      const wanted = email.toLowerCase();
      return (
        users.find((u) => u.email.toLowerCase() === wanted) ??
        users.find((u) => String((u.raw as { userPrincipalName?: unknown }).userPrincipalName).toLowerCase() === wanted)
      );
    },

    // GET /users with $select/$top/$filter, then @odata.nextLink (the cursor is the whole link).
    // https://learn.microsoft.com/graph/api/user-list and https://learn.microsoft.com/graph/paging
    async listUsersPage(request: ListUsersPageRequest): Promise<UserPage> {
      const top = Math.max(1, Math.min(GRAPH_MAX_PAGE_SIZE, Math.floor(request.pageSize ?? DEFAULT_PAGE_SIZE)));
      const cursorRequest = request.cursor === undefined ? undefined : parseNextLink(request.cursor, root);
      const send = (withSignIn: boolean) => {
        if (cursorRequest !== undefined) {
          const query = { ...cursorRequest.query };
          // The link repeats our $select; once sign-ins are known to be refused, ask without them.
          if (!withSignIn && typeof query['$select'] === 'string') query['$select'] = query['$select'].split(',').filter((f) => f !== 'signInActivity').join(',');
          return call<Collection>({ method: 'GET', path: cursorRequest.path, query, signal: request.signal });
        }
        return call<Collection>({
          method: 'GET',
          path: '/users',
          query: {
            $select: select(withSignIn),
            $top: top,
            ...(request.query === undefined || request.query === '' ? {} : { $filter: prefixFilter(request.query) }),
          },
          signal: request.signal,
        });
      };
      const data = await readUsers(send);
      const items = (Array.isArray(data?.value) ? data.value : []).map(toUser);
      const next = data?.['@odata.nextLink'];
      if (typeof next !== 'string') return { items };
      parseNextLink(next, root);
      return { items, cursor: next };
    },

    // POST /users: https://learn.microsoft.com/graph/api/user-post-users — the sign-in name is the
    // email (its domain must be verified in the tenant). Without a password, a random one is set
    // and must be changed at first sign-in. Not retried: the facade looks the user up instead.
    async createUser(input: CreateUserInput, opts: CallOptions = {}): Promise<User> {
      if (input.connection !== undefined) {
        throw new ValidationError(undefined, [{ path: 'connection', message: 'is not used by Entra ID; leave it out' }], { provider: PROVIDER });
      }
      const metadata = input.metadata === undefined || Object.keys(input.metadata).length === 0 ? undefined : metadataValue({}, input.metadata);
      const nickname = (input.email.split('@')[0] ?? '').replace(/[^A-Za-z0-9._-]/g, '').slice(0, 64) || 'user';
      const password = input.password ?? `${randomBytes(24).toString('base64url')}aA1!`;
      const requestedAt = new Date(clock.now());
      try {
        const data = await call({
          method: 'POST',
          path: '/users',
          json: {
            accountEnabled: true,
            displayName: input.name,
            mailNickname: nickname,
            userPrincipalName: input.email,
            mail: input.email,
            passwordProfile: { password, forceChangePasswordNextSignIn: input.password === undefined },
            ...(metadata === undefined || metadataProperty === undefined ? {} : { [metadataProperty]: metadata }),
          },
          signal: opts.signal,
        });
        // The answer holds the default properties only: no createdDateTime or accountEnabled.
        return mapUser({ accountEnabled: true, ...(data as object), ...(metadata === undefined || metadataProperty === undefined ? {} : { [metadataProperty]: metadata }) }, metadataProperty, requestedAt);
      } catch (error) {
        throw conflictOf(error);
      }
    },

    // PATCH /users/{id} answers 204; the user is read back. Metadata is read, merged and written whole.
    async updateUser(id: string, patch: UserPatch, opts: CallOptions = {}): Promise<User> {
      const path = userPath(id);
      const body: Record<string, unknown> = {};
      if (patch.name !== undefined) body['displayName'] = patch.name;
      if (patch.email !== undefined) body['mail'] = patch.email;
      if (patch.password !== undefined) body['passwordProfile'] = { password: patch.password, forceChangePasswordNextSignIn: false };
      if (patch.metadata !== undefined && Object.keys(patch.metadata).length > 0) {
        const property = metadataProperty;
        const current = property === undefined ? {} : readMetadata(await call({ method: 'GET', path, query: { $select: `id,${property}` }, signal: opts.signal }), property);
        body[property ?? 'metadata'] = metadataValue(current, patch.metadata);
      }
      if (Object.keys(body).length > 0) {
        try {
          await call({ method: 'PATCH', path, json: body, signal: opts.signal, repeatable: patch.password === undefined });
        } catch (error) {
          throw conflictOf(error);
        }
      }
      return provider.getUser(id, opts);
    },

    async deleteUser(id: string, opts: CallOptions = {}): Promise<void> {
      await absentIsDone(() => call({ method: 'DELETE', path: userPath(id), signal: opts.signal }));
    },

    async blockUser(id: string, opts: CallOptions = {}): Promise<void> {
      await call({ method: 'PATCH', path: userPath(id), json: { accountEnabled: false }, signal: opts.signal, repeatable: true });
    },

    async unblockUser(id: string, opts: CallOptions = {}): Promise<void> {
      await call({ method: 'PATCH', path: userPath(id), json: { accountEnabled: true }, signal: opts.signal, repeatable: true });
    },

    // POST /users/{id}/revokeSignInSessions: https://learn.microsoft.com/graph/api/user-revokesigninsessions
    async revokeSessions(id: string, opts: CallOptions = {}): Promise<void> {
      await call({ method: 'POST', path: `${userPath(id)}/revokeSignInSessions`, signal: opts.signal, repeatable: true });
    },

    // Roles are directory roles (activated ones): https://learn.microsoft.com/graph/api/directoryrole-list
    async listRoles(opts: CallOptions = {}): Promise<readonly Role[]> {
      return (await all({ path: '/directoryRoles', query: { $select: 'id,displayName,description,roleTemplateId' } }, opts.signal)).map(mapEntity);
    },

    async listUserRoles(id: string, opts: CallOptions = {}): Promise<readonly Role[]> {
      const path = `${userPath(id)}/memberOf/microsoft.graph.directoryRole`;
      return (await all({ path, query: { $select: 'id,displayName,description,roleTemplateId' } }, opts.signal)).map(mapEntity);
    },

    async assignRoles(id: string, roles: readonly string[], opts: CallOptions = {}): Promise<void> {
      const report = await batch(membershipChanges('directoryRoles', (role) => ({ owner: role, member: id }), roles, 'POST'), opts.signal);
      const error = reportError(report, 'assignRoles');
      if (error !== undefined) throw error;
    },

    async removeRoles(id: string, roles: readonly string[], opts: CallOptions = {}): Promise<void> {
      const report = await batch(membershipChanges('directoryRoles', (role) => ({ owner: role, member: id }), roles, 'DELETE'), opts.signal);
      const error = reportError(report, 'removeRoles');
      if (error !== undefined) throw error;
    },

    // https://learn.microsoft.com/graph/api/group-list
    async listGroups(opts: CallOptions = {}): Promise<readonly Group[]> {
      return (await all({ path: '/groups', query: { $select: 'id,displayName,description', $top: GRAPH_MAX_PAGE_SIZE } }, opts.signal)).map(mapEntity);
    },

    // Direct memberships: https://learn.microsoft.com/graph/api/user-list-memberof
    async listUserGroups(id: string, opts: CallOptions = {}): Promise<readonly Group[]> {
      const path = `${userPath(id)}/memberOf/microsoft.graph.group`;
      return (await all({ path, query: { $select: 'id,displayName,description' } }, opts.signal)).map(mapEntity);
    },

    // POST /groups/{id}/members/$ref: https://learn.microsoft.com/graph/api/group-post-members
    addToGroup: (id: string, group: string, opts: CallOptions = {}) => addRef('groups', group, id, opts.signal),

    // DELETE /groups/{id}/members/{userId}/$ref: https://learn.microsoft.com/graph/api/group-delete-members
    // A 404 (not a member) is success: the removal is idempotent.
    async removeFromGroup(id: string, group: string, opts: CallOptions = {}): Promise<void> {
      await absentIsDone(() => call({ method: 'DELETE', path: `/groups/${pathSegment(group, 'group', PROVIDER)}/members/${pathSegment(id, 'id', PROVIDER)}/$ref`, signal: opts.signal }));
    },

    addGroupMembers: (group, userIds, opts = {}) => batch(membershipChanges('groups', (user) => ({ owner: group, member: user }), userIds, 'POST'), opts.signal),

    removeGroupMembers: (group, userIds, opts = {}) => batch(membershipChanges('groups', (user) => ({ owner: group, member: user }), userIds, 'DELETE'), opts.signal),

    // GET /users/{id}/authentication/methods: https://learn.microsoft.com/graph/api/authentication-list-methods
    async getMfaStatus(id: string, opts: CallOptions = {}): Promise<MfaStatus> {
      const items = await all({ path: `${userPath(id)}/authentication/methods`, query: {} }, opts.signal);
      const methods = new Set<string>();
      for (const item of items) {
        const type = (item as { '@odata.type'?: unknown })['@odata.type'];
        if (typeof type !== 'string') continue;
        const kind = type.replace(/^#microsoft\.graph\./, '').replace(/AuthenticationMethod$/, '');
        if (!NOT_SECOND_FACTORS.has(kind)) methods.add(kind);
      }
      return { enabled: methods.size > 0, methods: [...methods].sort() };
    },
  };
  return provider;
}
