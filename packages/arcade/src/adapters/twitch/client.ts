import { ConfigError, NotFoundError, ProviderError, createHttpClient, systemClock } from '@almanac/core';
import type { Clock, FetchLike, HttpAuth, HttpClient, Logger, RetryPolicy } from '@almanac/core';
import type * as z from '@almanac/core/schema';
import { createArcadeRunner } from '../../kit/operations';
import type { ArcadeOperationOptions, ArcadeRunner } from '../../kit/operations';
import { createSubscriptionSchema, dropsFilterSchema, dropsUpdateSchema, getStreamsSchema, getUsersSchema, listSubscriptionsSchema, subscriptionCheckSchema, subscriptionIdSchema } from './schemas';
import { createTwitchRateLimitedFetch } from './rate-limit';
import type { TwitchRateLimitState } from './rate-limit';
import type { EventSubSubscription } from './eventsub-handler';

/** Helix's base URL. */
export const TWITCH_HELIX_BASE_URL = 'https://api.twitch.tv/helix';

/** Options of {@link createTwitchClient}. */
export interface TwitchClientOptions extends ArcadeOperationOptions {
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
  const runner = createArcadeRunner('twitch', { onAudit: options.onAudit, timeoutMs: options.timeoutMs, clock, logger: options.logger });
  return buildClient(options, options.auth, clock, limiter, shared, runner);
}

function buildClient(
  options: TwitchClientOptions,
  auth: HttpAuth,
  clock: Clock,
  limiter: ReturnType<typeof createTwitchRateLimitedFetch>,
  shared: { cost: EventSubCost | undefined },
  runner: ArcadeRunner,
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

  // Every operation goes through core's runner: zod-validated input (a ValidationError naming
  // the field), a deadline merged with the caller's signal, AlmanacErrors naming the operation,
  // one span and one audit event. Reads are idempotent (core's HTTP client may retry them).
  const run = <S extends z.ZodType, R>(operation: string, input: unknown, schema: S, body: (input: z.output<S>, signal: AbortSignal) => Promise<R>, callOptions: TwitchCallOptions | undefined, idempotent: boolean) =>
    runner.run(operation, input, schema, (parsed, { signal }) => body(parsed as z.output<S>, signal), { signal: callOptions?.signal, idempotent });

  const client: TwitchClient = {
    getUsers: (query, callOptions) =>
      run('getUsers', query, getUsersSchema, async (q, signal) => {
        const ids = q.ids ?? [];
        const logins = q.logins ?? [];
        if (ids.length + logins.length === 0) return [];
        const response = await http.get<Paged<Record<string, unknown>>>('/users', { query: { id: ids, login: logins }, signal });
        return (response.data?.data ?? []).map(toUser);
      }, callOptions, true),
    getStreams: (query, callOptions) =>
      run('getStreams', query, getStreamsSchema, async (q, signal) => {
        const response = await http.get<Paged<Record<string, unknown>>>('/streams', {
          query: { user_id: q.userIds ?? [], user_login: q.userLogins ?? [], game_id: q.gameIds ?? [], first: q.first ?? 20, after: q.after },
          signal,
        });
        return { data: (response.data?.data ?? []).map(toStream), cursor: response.data?.pagination?.cursor || undefined };
      }, callOptions, true),
    checkUserSubscription: (query, callOptions) =>
      run('checkUserSubscription', query, subscriptionCheckSchema, async (q, signal): Promise<TwitchSubscriptionCheck> => {
        try {
          const response = await http.get<Paged<Record<string, unknown>>>('/subscriptions/user', { query: { broadcaster_id: q.broadcasterId, user_id: q.userId }, signal });
          const first = response.data?.data?.[0];
          if (!first) return { subscribed: false };
          return { subscribed: true, tier: str(first.tier), isGift: first.is_gift === true };
        } catch (error) {
          // Documented: 404 "The user is not subscribed to the broadcaster".
          if (NotFoundError.isInstance(error)) return { subscribed: false };
          throw error;
        }
      }, callOptions, true),
    createEventSubSubscription: (input, callOptions) =>
      run('createEventSubSubscription', input, createSubscriptionSchema, async (i, signal) => {
        const response = await http.post<Paged<EventSubSubscription>>('/eventsub/subscriptions', {
          json: { type: i.type, version: i.version, condition: i.condition, transport: { method: 'webhook', callback: i.callback, secret: i.secret } },
          signal,
        });
        recordCost(response.data ?? {});
        const created = response.data?.data?.[0];
        if (!created) throw new ProviderError('Twitch accepted the subscription but returned none', { provider: 'twitch', operation: 'createEventSubSubscription' });
        return created;
      }, callOptions, false),
    listEventSubSubscriptions: (query = {}, callOptions) =>
      run('listEventSubSubscriptions', query, listSubscriptionsSchema, async (q, signal) => {
        const response = await http.get<Paged<EventSubSubscription>>('/eventsub/subscriptions', { query: { status: q.status, type: q.type, user_id: q.userId, after: q.after }, signal });
        const body = response.data ?? {};
        recordCost(body);
        return {
          data: body.data ?? [],
          cursor: body.pagination?.cursor || undefined,
          total: body.total ?? 0,
          totalCost: body.total_cost ?? 0,
          maxTotalCost: body.max_total_cost ?? 0,
        };
      }, callOptions, true),
    deleteEventSubSubscription: (id, callOptions) =>
      run('deleteEventSubSubscription', { id }, subscriptionIdSchema, async (i, signal) => {
        try {
          await http.delete('/eventsub/subscriptions', { query: { id: i.id }, signal });
        } catch (error) {
          if (!NotFoundError.isInstance(error)) throw error;
        }
      }, callOptions, true),
    eventSubCost: () => shared.cost,
    getDropsEntitlements: (filter = {}, callOptions) =>
      run('getDropsEntitlements', filter, dropsFilterSchema, async (f, signal) => {
        const response = await http.get<Paged<Record<string, unknown>>>('/entitlements/drops', {
          query: { id: f.ids ?? [], user_id: f.userId, game_id: f.gameId, fulfillment_status: f.fulfillmentStatus, first: f.first ?? 20, after: f.after },
          signal,
        });
        return { data: (response.data?.data ?? []).map(toEntitlement), cursor: response.data?.pagination?.cursor || undefined };
      }, callOptions, true),
    async *iterateDropsEntitlements(filter = {}, callOptions = {}) {
      const maxPages = callOptions.maxPages ?? 100;
      let after: string | undefined;
      for (let page = 0; page < maxPages; page++) {
        // One audited getDropsEntitlements operation per page.
        const result = await client.getDropsEntitlements({ ...filter, after }, { signal: callOptions.signal });
        yield* result.data;
        if (!result.cursor || result.data.length === 0) return;
        after = result.cursor;
      }
    },
    // Setting a status is idempotent (the same ids end in the same state), so a retry is safe.
    updateDropsEntitlements: (input, callOptions) =>
      run('updateDropsEntitlements', input, dropsUpdateSchema, async (i, signal) => {
        const ids = [...new Set(i.ids)];
        const results = new Map<string, DropsUpdateStatus>();
        for (let start = 0; start < ids.length; start += 100) {
          const chunk = ids.slice(start, start + 100);
          const response = await http.patch<{ data?: Array<{ status?: string | undefined; ids?: string[] | undefined }> | undefined }>('/entitlements/drops', {
            json: { fulfillment_status: i.status, entitlement_ids: chunk },
            signal,
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
        return { results, succeeded, failed } as DropsUpdateResult;
      }, callOptions, true),
    rateLimit: () => limiter.state(),
    withAuth: (next) => buildClient(options, next, clock, limiter, shared, runner),
  };
  return client;
}
