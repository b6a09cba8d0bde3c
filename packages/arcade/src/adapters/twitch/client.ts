import { ConfigError, NotFoundError, ValidationError, createHttpClient, systemClock } from '@almanac/core';
import type { Clock, FetchLike, HttpAuth, HttpClient, Logger, RetryPolicy } from '@almanac/core';
import { createTwitchRateLimitedFetch } from './rate-limit';
import type { TwitchRateLimitState } from './rate-limit';
import type { EventSubSubscription } from './eventsub-handler';

/** Helix's base URL. */
export const TWITCH_HELIX_BASE_URL = 'https://api.twitch.tv/helix';

/** Options of {@link createTwitchClient}. */
export interface TwitchClientOptions {
  /** Application client id, sent as `Client-Id`. */
  clientId: string;
  /** Token source: {@link createTwitchAppAuth} or a user's `TwitchOAuth.userAuth(...)`. */
  auth: HttpAuth;
  /** Helix base URL. Default `https://api.twitch.tv/helix`. */
  baseUrl?: string | undefined;
  /** `fetch` implementation. */
  fetch?: FetchLike | undefined;
  /** Time source (timeouts, rate-limit waits). */
  clock?: Clock | undefined;
  /** Debug logger (redacted). */
  logger?: Logger | undefined;
  /** Retry policy for idempotent calls. */
  retry?: RetryPolicy | undefined;
}

/** Per-call options. */
export interface TwitchCallOptions {
  /** Aborts the call, including rate-limit waits. */
  signal?: AbortSignal | undefined;
}

/** A Twitch user (`GET /users`). */
export interface TwitchUser {
  /** User id. */
  readonly id: string;
  /** Login name. */
  readonly login: string;
  /** Display name. */
  readonly displayName: string;
  /** `affiliate`, `partner` or empty. */
  readonly broadcasterType: string;
  /** Profile image URL. */
  readonly profileImageUrl: string;
  /** Account creation time (RFC 3339). */
  readonly createdAt: string;
  /** Twitch's record. */
  readonly raw: Readonly<Record<string, unknown>>;
}

/** A live stream (`GET /streams`). */
export interface TwitchStream {
  /** Stream id. */
  readonly id: string;
  /** Broadcaster id. */
  readonly userId: string;
  /** Broadcaster login. */
  readonly userLogin: string;
  /** Game id. */
  readonly gameId: string;
  /** Game name. */
  readonly gameName: string;
  /** Title. */
  readonly title: string;
  /** Current viewers. */
  readonly viewerCount: number;
  /** Start time (RFC 3339). */
  readonly startedAt: string;
  /** Twitch's record. */
  readonly raw: Readonly<Record<string, unknown>>;
}

/** One page of a cursor-paginated listing. */
export interface TwitchPage<T> {
  /** The items. */
  readonly data: readonly T[];
  /** Cursor of the next page; `undefined` on the last one. */
  readonly cursor: string | undefined;
}

/** EventSub cost accounting as Helix reports it (https://dev.twitch.tv/docs/eventsub/manage-subscriptions/#subscription-limits). */
export interface EventSubCost {
  /** Subscriptions the client has. */
  readonly total: number;
  /** Their summed cost. */
  readonly totalCost: number;
  /** The most the client may spend. */
  readonly maxTotalCost: number;
}

/** Input of {@link TwitchClient.createEventSubSubscription}. */
export interface CreateEventSubSubscriptionInput {
  /** Subscription type, e.g. `stream.online`. */
  type: string;
  /** Type version, e.g. `1`. */
  version: string;
  /** Condition, e.g. `{ broadcaster_user_id: '1337' }`. */
  condition: Readonly<Record<string, string>>;
  /** HTTPS callback on port 443. */
  callback: string;
  /** The webhook secret (10-100 characters); the same one given to `createEventSubHandler`. */
  secret: string;
}

/** A Drops entitlement (`GET /entitlements/drops`). */
export interface DropsEntitlement {
  /** Entitlement id. */
  readonly id: string;
  /** Benefit (reward) id. */
  readonly benefitId: string;
  /** When it was granted (RFC 3339). */
  readonly timestamp: string;
  /** Entitled user. */
  readonly userId: string;
  /** Game. */
  readonly gameId: string;
  /** `CLAIMED` or `FULFILLED`. */
  readonly fulfillmentStatus: 'CLAIMED' | 'FULFILLED';
  /** Last update (RFC 3339). */
  readonly lastUpdated: string;
}

/** Filter of {@link TwitchClient.getDropsEntitlements}. */
export interface DropsEntitlementsFilter {
  /** Entitlement ids (up to 100). */
  ids?: readonly string[] | undefined;
  /** Entitled user. */
  userId?: string | undefined;
  /** Game. */
  gameId?: string | undefined;
  /** Status filter. */
  fulfillmentStatus?: 'CLAIMED' | 'FULFILLED' | undefined;
  /** Page size, 1-1000. Default 20 (Twitch's default). */
  first?: number | undefined;
  /** Cursor from a previous page. */
  after?: string | undefined;
}

/** Per-id outcome of a fulfillment update. */
export type DropsUpdateStatus = 'SUCCESS' | 'INVALID_ID' | 'NOT_FOUND' | 'UNAUTHORIZED' | 'UPDATE_FAILED';

/** Result of {@link TwitchClient.updateDropsEntitlements}: what happened to each id. */
export interface DropsUpdateResult {
  /** Status per requested id (an id Twitch did not mention is `UPDATE_FAILED`). */
  readonly results: ReadonlyMap<string, DropsUpdateStatus>;
  /** Ids updated. */
  readonly succeeded: readonly string[];
  /** Ids not updated, with why. */
  readonly failed: readonly DropsUpdateFailure[];
}

/** An entitlement a fulfillment update did not change. */
export interface DropsUpdateFailure {
  /** Entitlement id. */
  readonly id: string;
  /** Why. */
  readonly status: Exclude<DropsUpdateStatus, 'SUCCESS'>;
}

/** Result of {@link TwitchClient.checkUserSubscription}. */
export type TwitchSubscriptionCheck =
  | {
      /** Not subscribed (Twitch answered 404 or no data). */
      readonly subscribed: false;
    }
  | {
      /** Subscribed. */
      readonly subscribed: true;
      /** `1000`, `2000` or `3000`. */
      readonly tier: string;
      /** Whether it was a gift. */
      readonly isGift: boolean;
    };

/** A Helix client; see {@link createTwitchClient}. */
export interface TwitchClient {
  /** Users by id and/or login (up to 100 in total). */
  getUsers(query: { ids?: readonly string[] | undefined; logins?: readonly string[] | undefined }, options?: TwitchCallOptions): Promise<TwitchUser[]>;
  /** Live streams, one page. */
  getStreams(query: { userIds?: readonly string[] | undefined; userLogins?: readonly string[] | undefined; gameIds?: readonly string[] | undefined; first?: number | undefined; after?: string | undefined }, options?: TwitchCallOptions): Promise<TwitchPage<TwitchStream>>;
  /**
   * Whether `userId` subscribes to `broadcasterId` (`GET /subscriptions/user`, a user token with
   * `user:read:subscriptions`); Twitch's 404 means "not subscribed". Resolves the tier when subscribed.
   */
  checkUserSubscription(query: { broadcasterId: string; userId: string }, options?: TwitchCallOptions): Promise<TwitchSubscriptionCheck>;
  /** Creates a webhook EventSub subscription (app token); updates {@link TwitchClient.eventSubCost}. */
  createEventSubSubscription(input: CreateEventSubSubscriptionInput, options?: TwitchCallOptions): Promise<EventSubSubscription>;
  /** One page of EventSub subscriptions; updates {@link TwitchClient.eventSubCost}. */
  listEventSubSubscriptions(query?: { status?: string | undefined; type?: string | undefined; userId?: string | undefined; after?: string | undefined }, options?: TwitchCallOptions): Promise<TwitchPage<EventSubSubscription> & EventSubCost>;
  /** Deletes an EventSub subscription; a missing one is not an error. */
  deleteEventSubSubscription(id: string, options?: TwitchCallOptions): Promise<void>;
  /** The cost accounting from the last create or list call, if any. */
  eventSubCost(): EventSubCost | undefined;
  /** One page of Drops entitlements. */
  getDropsEntitlements(filter?: DropsEntitlementsFilter, options?: TwitchCallOptions): Promise<TwitchPage<DropsEntitlement>>;
  /** Every Drops entitlement matching `filter`, page by page, stopping after `maxPages` (default 100). */
  iterateDropsEntitlements(filter?: Omit<DropsEntitlementsFilter, 'after'>, options?: TwitchCallOptions & { maxPages?: number | undefined }): AsyncIterable<DropsEntitlement>;
  /** Sets the fulfillment status of entitlements (any number of ids, sent 100 per request) and reports the outcome per id. */
  updateDropsEntitlements(input: { ids: readonly string[]; status: 'CLAIMED' | 'FULFILLED' }, options?: TwitchCallOptions): Promise<DropsUpdateResult>;
  /** The `Ratelimit-*` state last reported by Twitch. */
  rateLimit(): TwitchRateLimitState | undefined;
  /** The same client with another token source (e.g. a user's), sharing the rate-limit state. */
  withAuth(auth: HttpAuth): TwitchClient;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const nonEmpty = (value: unknown, path: string) => {
  if (typeof value !== 'string' || value.length === 0) throw new ValidationError(undefined, [{ path, message: 'must be a non-empty string' }]);
};

function toUser(raw: Record<string, unknown>): TwitchUser {
  return { id: str(raw.id), login: str(raw.login), displayName: str(raw.display_name), broadcasterType: str(raw.broadcaster_type), profileImageUrl: str(raw.profile_image_url), createdAt: str(raw.created_at), raw };
}
function toStream(raw: Record<string, unknown>): TwitchStream {
  return {
    id: str(raw.id),
    userId: str(raw.user_id),
    userLogin: str(raw.user_login),
    gameId: str(raw.game_id),
    gameName: str(raw.game_name),
    title: str(raw.title),
    viewerCount: typeof raw.viewer_count === 'number' ? raw.viewer_count : 0,
    startedAt: str(raw.started_at),
    raw,
  };
}
function toEntitlement(raw: Record<string, unknown>): DropsEntitlement {
  return {
    id: str(raw.id),
    benefitId: str(raw.benefit_id),
    timestamp: str(raw.timestamp),
    userId: str(raw.user_id),
    gameId: str(raw.game_id),
    fulfillmentStatus: raw.fulfillment_status === 'FULFILLED' ? 'FULFILLED' : 'CLAIMED',
    lastUpdated: str(raw.last_updated),
  };
}

interface Paged<T> {
  data?: T[] | undefined;
  pagination?: { cursor?: string | undefined } | undefined;
  total?: number | undefined;
  total_cost?: number | undefined;
  max_total_cost?: number | undefined;
}

const DROPS_UPDATE_STATUSES = new Set<DropsUpdateStatus>(['SUCCESS', 'INVALID_ID', 'NOT_FOUND', 'UNAUTHORIZED', 'UPDATE_FAILED']);

/**
 * Creates a Helix client over core's HTTP client (timeouts, retries of idempotent calls,
 * redaction, spans, refresh on 401 through `auth`), honouring Twitch's `Ratelimit-*` headers.
 * Wire shapes follow https://dev.twitch.tv/docs/api/reference/.
 */
export function createTwitchClient(options: TwitchClientOptions): TwitchClient {
  if (typeof options?.clientId !== 'string' || options.clientId.length === 0) throw new ConfigError('clientId must be a non-empty string', [{ path: 'clientId', message: 'must be a non-empty string' }]);
  if (typeof options.auth?.getToken !== 'function') throw new ConfigError('auth must provide getToken', [{ path: 'auth', message: 'must be an HttpAuth' }]);
  const clock = options.clock ?? systemClock;
  const limiter = createTwitchRateLimitedFetch(options.fetch, clock);
  const shared = { cost: undefined as EventSubCost | undefined };
  return buildClient(options, options.auth, clock, limiter, shared);
}

function buildClient(
  options: TwitchClientOptions,
  auth: HttpAuth,
  clock: Clock,
  limiter: ReturnType<typeof createTwitchRateLimitedFetch>,
  shared: { cost: EventSubCost | undefined },
): TwitchClient {
  const http: HttpClient = createHttpClient({
    baseUrl: options.baseUrl ?? TWITCH_HELIX_BASE_URL,
    provider: 'twitch',
    headers: { 'client-id': options.clientId },
    auth,
    fetch: limiter.fetch,
    clock,
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.retry ? { retry: options.retry } : {}),
  });
  const recordCost = (body: Paged<unknown>) => {
    if (typeof body.total === 'number' && typeof body.total_cost === 'number' && typeof body.max_total_cost === 'number') {
      shared.cost = { total: body.total, totalCost: body.total_cost, maxTotalCost: body.max_total_cost };
    }
  };

  const client: TwitchClient = {
    async getUsers(query, callOptions) {
      const ids = query.ids ?? [];
      const logins = query.logins ?? [];
      if (ids.length + logins.length > 100) throw new ValidationError(undefined, [{ path: 'ids', message: 'ids and logins together must be at most 100' }]);
      if (ids.length + logins.length === 0) return [];
      const response = await http.get<Paged<Record<string, unknown>>>('/users', { query: { id: ids, login: logins }, signal: callOptions?.signal });
      return (response.data?.data ?? []).map(toUser);
    },
    async getStreams(query, callOptions) {
      const first = query.first ?? 20;
      if (!Number.isInteger(first) || first < 1 || first > 100) throw new ValidationError(undefined, [{ path: 'first', message: 'must be an integer from 1 to 100' }]);
      const response = await http.get<Paged<Record<string, unknown>>>('/streams', {
        query: { user_id: query.userIds ?? [], user_login: query.userLogins ?? [], game_id: query.gameIds ?? [], first, after: query.after },
        signal: callOptions?.signal,
      });
      return { data: (response.data?.data ?? []).map(toStream), cursor: response.data?.pagination?.cursor || undefined };
    },
    async checkUserSubscription(query, callOptions) {
      nonEmpty(query.broadcasterId, 'broadcasterId');
      nonEmpty(query.userId, 'userId');
      try {
        const response = await http.get<Paged<Record<string, unknown>>>('/subscriptions/user', {
          query: { broadcaster_id: query.broadcasterId, user_id: query.userId },
          signal: callOptions?.signal,
        });
        const first = response.data?.data?.[0];
        if (!first) return { subscribed: false };
        return { subscribed: true, tier: str(first.tier), isGift: first.is_gift === true };
      } catch (error) {
        // Documented: 404 "The user is not subscribed to the broadcaster".
        if (NotFoundError.isInstance(error)) return { subscribed: false };
        throw error;
      }
    },
    async createEventSubSubscription(input, callOptions) {
      nonEmpty(input.type, 'type');
      nonEmpty(input.version, 'version');
      if (typeof input.secret !== 'string' || input.secret.length < 10 || input.secret.length > 100) {
        throw new ValidationError(undefined, [{ path: 'secret', message: 'must be 10-100 characters' }]);
      }
      let callback: URL;
      try {
        callback = new URL(input.callback);
      } catch {
        throw new ValidationError(undefined, [{ path: 'callback', message: 'must be an absolute https URL' }]);
      }
      if (callback.protocol !== 'https:' || (callback.port !== '' && callback.port !== '443')) {
        throw new ValidationError(undefined, [{ path: 'callback', message: 'must be https on port 443 (Twitch requirement)' }]);
      }
      const response = await http.post<Paged<EventSubSubscription>>('/eventsub/subscriptions', {
        json: { type: input.type, version: input.version, condition: input.condition, transport: { method: 'webhook', callback: input.callback, secret: input.secret } },
        signal: callOptions?.signal,
      });
      recordCost(response.data ?? {});
      const created = response.data?.data?.[0];
      if (!created) throw new ValidationError('Twitch accepted the subscription but returned none', [{ path: 'type', message: 'no subscription in response' }]);
      return created;
    },
    async listEventSubSubscriptions(query = {}, callOptions) {
      const response = await http.get<Paged<EventSubSubscription>>('/eventsub/subscriptions', {
        query: { status: query.status, type: query.type, user_id: query.userId, after: query.after },
        signal: callOptions?.signal,
      });
      const body = response.data ?? {};
      recordCost(body);
      return {
        data: body.data ?? [],
        cursor: body.pagination?.cursor || undefined,
        total: body.total ?? 0,
        totalCost: body.total_cost ?? 0,
        maxTotalCost: body.max_total_cost ?? 0,
      };
    },
    async deleteEventSubSubscription(id, callOptions) {
      nonEmpty(id, 'id');
      try {
        await http.delete('/eventsub/subscriptions', { query: { id }, signal: callOptions?.signal });
      } catch (error) {
        if (!NotFoundError.isInstance(error)) throw error;
      }
    },
    eventSubCost: () => shared.cost,
    async getDropsEntitlements(filter = {}, callOptions) {
      const first = filter.first ?? 20;
      if (!Number.isInteger(first) || first < 1 || first > 1000) throw new ValidationError(undefined, [{ path: 'first', message: 'must be an integer from 1 to 1000' }]);
      if ((filter.ids?.length ?? 0) > 100) throw new ValidationError(undefined, [{ path: 'ids', message: 'at most 100 ids' }]);
      const response = await http.get<Paged<Record<string, unknown>>>('/entitlements/drops', {
        query: { id: filter.ids ?? [], user_id: filter.userId, game_id: filter.gameId, fulfillment_status: filter.fulfillmentStatus, first, after: filter.after },
        signal: callOptions?.signal,
      });
      return { data: (response.data?.data ?? []).map(toEntitlement), cursor: response.data?.pagination?.cursor || undefined };
    },
    async *iterateDropsEntitlements(filter = {}, callOptions = {}) {
      const maxPages = callOptions.maxPages ?? 100;
      let after: string | undefined;
      for (let page = 0; page < maxPages; page++) {
        const result = await client.getDropsEntitlements({ ...filter, after }, callOptions);
        yield* result.data;
        if (!result.cursor || result.data.length === 0) return;
        after = result.cursor;
      }
    },
    async updateDropsEntitlements(input, callOptions) {
      if (input.status !== 'CLAIMED' && input.status !== 'FULFILLED') throw new ValidationError(undefined, [{ path: 'status', message: 'must be CLAIMED or FULFILLED' }]);
      if (!Array.isArray(input.ids) || input.ids.some((id) => typeof id !== 'string' || id.length === 0)) {
        throw new ValidationError(undefined, [{ path: 'ids', message: 'must be an array of non-empty strings' }]);
      }
      const ids = [...new Set(input.ids)];
      const results = new Map<string, DropsUpdateStatus>();
      for (let i = 0; i < ids.length; i += 100) {
        const chunk = ids.slice(i, i + 100);
        const response = await http.patch<{ data?: Array<{ status?: string | undefined; ids?: string[] | undefined }> | undefined }>('/entitlements/drops', {
          json: { fulfillment_status: input.status, entitlement_ids: chunk },
          signal: callOptions?.signal,
        });
        for (const group of response.data?.data ?? []) {
          const status = DROPS_UPDATE_STATUSES.has(group.status as DropsUpdateStatus) ? (group.status as DropsUpdateStatus) : 'UPDATE_FAILED';
          for (const id of group.ids ?? []) if (chunk.includes(id)) results.set(id, status);
        }
        // Fail closed: an id Twitch did not report on is not assumed updated.
        for (const id of chunk) if (!results.has(id)) results.set(id, 'UPDATE_FAILED');
      }
      const succeeded: string[] = [];
      const failed: DropsUpdateFailure[] = [];
      for (const [id, status] of results) {
        if (status === 'SUCCESS') succeeded.push(id);
        else failed.push({ id, status });
      }
      return { results, succeeded, failed };
    },
    rateLimit: () => limiter.state(),
    withAuth: (next) => buildClient(options, next, clock, limiter, shared),
  };
  return client;
}
