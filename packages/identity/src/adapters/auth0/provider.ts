import { ProviderError, createRedactor, systemClock } from '@almanac/core';
import type { Clock, FetchLike } from '@almanac/core';
import { absentIsDone } from '../../rest/absent-is-done';
import { pathSegment } from '../../rest/path';
import { createRestTransport } from '../../rest/transport';
import type { RestCall } from '../../rest/transport';
import {
  type CallOptions,
  type CreateUserInput,
  IDENTITY_SPECIFICATION_VERSION,
  type IdentityCapabilities,
  type ListUsersPageRequest,
  type MfaStatus,
  type Role,
  type User,
  type UserPage,
  type UserPatch,
} from '../../spec';
import { decodeCursor, encodeCursor } from './cursor';
import { exportUsers } from './export-job';
import { mapRole, mapUser } from './map-user';
import { PROVIDER, validateOptions } from './options';
import { prefixQuery } from './query';
import { createRateLimitGate } from './rate-limit';
import { createAuth0TokenSource } from './token';
import type { Auth0IdentityProvider, Auth0IdentityProviderOptions } from './types';

// Management API v2 reference: https://auth0.com/docs/api/management/v2

/** Auth0 returns at most this many users for any listing or search (then an export job is needed). */
export const AUTH0_LISTING_CAP = 1_000;
/** Largest `per_page` the Management API accepts. */
export const AUTH0_MAX_PAGE_SIZE = 100;
const DEFAULT_CONNECTION = 'Username-Password-Authentication';
const USER_AGENT = '@almanac/identity (auth0)';

interface UsersPage {
  readonly users?: unknown;
  readonly total?: unknown;
  readonly start?: unknown;
  readonly length?: unknown;
}

interface RolesPage {
  readonly roles?: unknown;
  readonly total?: unknown;
}

/** Second factors only: a password or a passkey is the first factor. */
const FIRST_FACTORS: ReadonlySet<string> = new Set(['password', 'passkey']);

const clampPageSize = (size: number | undefined): number =>
  Math.max(1, Math.min(AUTH0_MAX_PAGE_SIZE, Math.floor(size ?? AUTH0_MAX_PAGE_SIZE)));

/**
 * Creates the Auth0 identity provider: Management API v2 over core's HTTP client (no SDK).
 * Capabilities: users, createUser, search, block, roles, mfaStatus, signInActivity (`last_login`,
 * `last_ip`), bulkExport (users-export jobs), and revokeSessions when `options.revokeSessions`
 * (Enterprise plans). Auth0 has no groups.
 *
 * Throws `ConfigError` naming every bad option (never echoing the secret).
 */
export function createAuth0IdentityProvider(options: Auth0IdentityProviderOptions): Auth0IdentityProvider {
  validateOptions(options);
  const clock: Clock = options.clock ?? systemClock;
  const baseUrl = (options.baseUrl ?? `https://${options.domain}/api/v2`).replace(/\/+$/, '');
  const origin = new URL(baseUrl).origin;
  const userFetch: FetchLike = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const redactor = createRedactor();
  const auth = createAuth0TokenSource({
    origin,
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    audience: options.audience ?? `https://${options.domain}/api/v2/`,
    fetch: userFetch,
    clock,
    logger: options.logger,
    retry: options.retry,
    timeoutMs: options.requestTimeoutMs,
    redactor,
    userAgent: USER_AGENT,
  });
  const transport = createRestTransport({
    provider: PROVIDER,
    baseUrl,
    auth,
    fetch: createRateLimitGate(userFetch, clock),
    clock,
    logger: options.logger,
    retry: options.retry,
    timeoutMs: options.requestTimeoutMs,
    redactor,
    userAgent: USER_AGENT,
  });
  const defaultConnection = options.connection ?? DEFAULT_CONNECTION;
  const revokeSupported = options.revokeSessions === true;

  const call = async <T>(request: RestCall): Promise<T> => (await transport.request<T>(request)).data;
  const userPath = (id: string) => `/users/${pathSegment(id, 'id', PROVIDER)}`;

  /** Every page of a `page`/`per_page`/`include_totals` listing of roles. */
  const allRoles = async (path: string, signal: AbortSignal | undefined): Promise<Role[]> => {
    const roles: Role[] = [];
    for (let page = 0; ; page++) {
      const data = await call<RolesPage>({ method: 'GET', path, query: { page, per_page: AUTH0_MAX_PAGE_SIZE, include_totals: true }, signal });
      const items = Array.isArray(data?.roles) ? data.roles : [];
      roles.push(...items.map(mapRole));
      const total = typeof data?.total === 'number' ? data.total : roles.length;
      if (items.length === 0 || roles.length >= total) return roles;
    }
  };

  const capabilities: IdentityCapabilities = Object.freeze({
    users: true,
    createUser: true,
    search: true,
    block: true,
    revokeSessions: revokeSupported,
    roles: true,
    groups: false,
    mfaStatus: true,
    signInActivity: true,
    bulkExport: true,
  });

  const provider: Auth0IdentityProvider = {
    name: PROVIDER,
    specificationVersion: IDENTITY_SPECIFICATION_VERSION,
    capabilities,

    async getUser(id: string, opts: CallOptions = {}): Promise<User> {
      return mapUser(await call({ method: 'GET', path: userPath(id), signal: opts.signal }));
    },

    // GET /api/v2/users-by-email: https://auth0.com/docs/api/management/v2/users-by-email/get-users-by-email
    // Auth0 stores database users' emails in lower case; other IdPs keep theirs, so both are tried.
    async findUserByEmail(email: string, opts: CallOptions = {}): Promise<User | undefined> {
      const wanted = email.toLowerCase();
      for (const candidate of new Set([wanted, email])) {
        const data = await call<unknown>({ method: 'GET', path: '/users-by-email', query: { email: candidate }, signal: opts.signal });
        const users = (Array.isArray(data) ? data : []).map(mapUser);
        const match = users.find((user) => user.email.toLowerCase() === wanted);
        if (match !== undefined) return match;
      }
      return undefined;
    },

    // GET /api/v2/users with page/per_page/include_totals: https://auth0.com/docs/manage-users/user-search/view-search-results-by-page
    async listUsersPage(request: ListUsersPageRequest): Promise<UserPage> {
      const { page, perPage } = request.cursor === undefined ? { page: 0, perPage: clampPageSize(request.pageSize) } : decodeCursor(request.cursor);
      const q = request.query === undefined || request.query === '' ? undefined : prefixQuery(request.query);
      const data = await call<UsersPage>({
        method: 'GET',
        path: '/users',
        query: {
          page,
          per_page: perPage,
          include_totals: true,
          sort: 'created_at:1',
          ...(q === undefined ? {} : { q, search_engine: 'v3' }),
        },
        signal: request.signal,
      });
      const items = (Array.isArray(data?.users) ? data.users : []).map(mapUser);
      const total = typeof data?.total === 'number' ? data.total : undefined;
      const start = typeof data?.start === 'number' ? data.start : page * perPage;
      // The reported total of a search may itself stop at the cap, so reaching it is enough to
      // doubt that paging can list everyone; an export is never wrong, a truncated list is.
      const wantsMore = request.limit === undefined || request.limit > AUTH0_LISTING_CAP;
      if (request.cursor === undefined && total !== undefined && total >= AUTH0_LISTING_CAP && wantsMore) {
        return { items: [], useExport: true };
      }
      const seen = start + items.length;
      const more = items.length > 0 && (total === undefined ? items.length === perPage : seen < total);
      if (!more) return { items };
      // Auth0 serves no record past the cap, so the next page must end within it.
      if ((page + 2) * perPage > AUTH0_LISTING_CAP) {
        const stillWanted = request.limit === undefined || request.limit > items.length;
        if (stillWanted) {
          throw new ProviderError(
            `${PROVIDER}: the listing grew past Auth0's ${AUTH0_LISTING_CAP}-user cap while paging; list again (an export job will be used)`,
            { provider: PROVIDER, operation: 'listUsersPage' },
          );
        }
        return { items };
      }
      return { items, cursor: encodeCursor({ page: page + 1, perPage }) };
    },

    exportUsers: (request) =>
      exportUsers(
        {
          transport,
          fetch: userFetch,
          clock,
          logger: options.logger,
          retry: options.retry,
          pollIntervalMs: options.exportPollIntervalMs ?? 1_000,
          allowHttp: baseUrl.startsWith('http:'),
        },
        request,
      ),

    // POST /api/v2/users: https://auth0.com/docs/api/management/v2/users/post-users (409 when the user exists).
    // Not retried: a repeat could create a second user; the facade looks the user up instead.
    async createUser(input: CreateUserInput, opts: CallOptions = {}): Promise<User> {
      const metadata = input.metadata === undefined || Object.keys(input.metadata).length === 0 ? undefined : input.metadata;
      const data = await call({
        method: 'POST',
        path: '/users',
        json: {
          connection: input.connection ?? defaultConnection,
          email: input.email,
          name: input.name,
          ...(input.password === undefined ? {} : { password: input.password }),
          ...(metadata === undefined ? {} : { app_metadata: metadata }),
        },
        signal: opts.signal,
      });
      return mapUser(data);
    },

    // PATCH /api/v2/users/{id}: app_metadata is merged at the first level and `null` removes a key;
    // an empty object would erase it all, so it is never sent.
    // https://auth0.com/docs/api/management/v2/users/patch-users-by-id
    async updateUser(id: string, patch: UserPatch, opts: CallOptions = {}): Promise<User> {
      const path = userPath(id);
      const fields: Record<string, unknown> = {};
      if (patch.name !== undefined) fields['name'] = patch.name;
      if (patch.email !== undefined) fields['email'] = patch.email;
      if (patch.metadata !== undefined && Object.keys(patch.metadata).length > 0) fields['app_metadata'] = patch.metadata;
      let data: unknown;
      if (Object.keys(fields).length > 0) {
        data = await call({ method: 'PATCH', path, json: fields, signal: opts.signal, repeatable: true });
      }
      // Auth0 refuses email and password in one request; the password goes alone, unrepeated
      // (a password-history policy could refuse the same password twice).
      if (patch.password !== undefined) data = await call({ method: 'PATCH', path, json: { password: patch.password }, signal: opts.signal });
      return data === undefined ? provider.getUser(id, opts) : mapUser(data);
    },

    async deleteUser(id: string, opts: CallOptions = {}): Promise<void> {
      await absentIsDone(() => call({ method: 'DELETE', path: userPath(id), signal: opts.signal }));
    },

    // Blocking is a field of the user; setting it twice has the effect of once.
    async blockUser(id: string, opts: CallOptions = {}): Promise<void> {
      await call({ method: 'PATCH', path: userPath(id), json: { blocked: true }, signal: opts.signal, repeatable: true });
    },

    // Clears the administrative block only; brute-force blocks are `/user-blocks` (see README).
    async unblockUser(id: string, opts: CallOptions = {}): Promise<void> {
      await call({ method: 'PATCH', path: userPath(id), json: { blocked: false }, signal: opts.signal, repeatable: true });
    },

    // DELETE /api/v2/users/{id}/sessions and /refresh-tokens (Enterprise plans):
    // https://auth0.com/docs/manage-users/sessions/manage-user-sessions-with-auth0-management-api
    ...(revokeSupported
      ? {
          async revokeSessions(id: string, opts: CallOptions = {}): Promise<void> {
            await call({ method: 'DELETE', path: `${userPath(id)}/sessions`, signal: opts.signal });
            await call({ method: 'DELETE', path: `${userPath(id)}/refresh-tokens`, signal: opts.signal });
          },
        }
      : {}),

    // GET /api/v2/roles: https://auth0.com/docs/api/management/v2/roles/get-roles
    listRoles: (opts: CallOptions = {}) => allRoles('/roles', opts.signal),

    // GET /api/v2/users/{id}/roles: https://auth0.com/docs/api/management/v2/users/get-user-roles
    listUserRoles: (id: string, opts: CallOptions = {}) => allRoles(`${userPath(id)}/roles`, opts.signal),

    // POST /api/v2/users/{id}/roles { roles }: assigning a held role again changes nothing.
    async assignRoles(id: string, roles: readonly string[], opts: CallOptions = {}): Promise<void> {
      await call({ method: 'POST', path: `${userPath(id)}/roles`, json: { roles }, signal: opts.signal, repeatable: true });
    },

    // DELETE /api/v2/users/{id}/roles { roles }.
    async removeRoles(id: string, roles: readonly string[], opts: CallOptions = {}): Promise<void> {
      await call({ method: 'DELETE', path: `${userPath(id)}/roles`, json: { roles }, signal: opts.signal });
    },

    // GET /api/v2/users/{id}/authentication-methods: confirmed second factors.
    // https://auth0.com/docs/secure/multi-factor-authentication/manage-mfa-auth0-apis/manage-authentication-methods-with-management-api
    async getMfaStatus(id: string, opts: CallOptions = {}): Promise<MfaStatus> {
      const data = await call<unknown>({
        method: 'GET',
        path: `${userPath(id)}/authentication-methods`,
        query: { per_page: AUTH0_MAX_PAGE_SIZE, page: 0 },
        signal: opts.signal,
      });
      const list = Array.isArray(data) ? data : Array.isArray((data as { authenticators?: unknown } | null)?.authenticators) ? (data as { authenticators: unknown[] }).authenticators : [];
      const methods = new Set<string>();
      for (const entry of list) {
        const method = entry as { type?: unknown; confirmed?: unknown };
        if (typeof method.type === 'string' && method.confirmed === true && !FIRST_FACTORS.has(method.type) && method.type !== 'recovery-code') {
          methods.add(method.type);
        }
      }
      return { enabled: methods.size > 0, methods: [...methods].sort() };
    },
  };
  return provider;
}
