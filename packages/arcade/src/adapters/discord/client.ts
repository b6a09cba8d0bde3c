import { ConfigError, createHttpClient, createMemoryRateLimiter, systemClock } from '@almanac/core';
import type * as z from '@almanac/core/schema';
import { createArcadeRunner } from '../../kit/operations';
import type { ArcadeOperationOptions } from '../../kit/operations';
import { createMessageSchema, executeWebhookSchema, interactionMessageSchema, memberRoleSchema, roleConnectionMetadataSchema, userRoleConnectionSchema } from './schemas';
import type { Clock, FetchLike, HttpClient, Logger, RateLimiter, RetryPolicy } from '@almanac/core';
import { validateDiscordMessage } from './embeds';
import type { DiscordMessageInput } from './embeds';
import { createDiscordRateLimitedFetch } from './rate-limited-fetch';
import type { DiscordInvalidRequestWarning } from './rate-limited-fetch';
import { createMemoryDiscordRateLimitStore } from './rate-limit-store';
import type { DiscordRateLimitStore } from './rate-limit-store';

/** Discord's API base. */
export const DISCORD_API_BASE_URL = 'https://discord.com/api/v10';

/** Options of {@link createDiscordClient}. */
export interface DiscordClientOptions extends ArcadeOperationOptions {
  /** The bot token (sent as `Authorization: Bot <token>`). */
  token: string;
  /** API base. Default `https://discord.com/api/v10`. */
  baseUrl?: string | undefined;
  /** `fetch` implementation. */
  fetch?: FetchLike | undefined;
  /** Time source (timeouts and rate-limit waits). */
  clock?: Clock | undefined;
  /** Per-route rate-limit state; pass a shared one when several processes use the same bot token. Default: in memory. */
  rateLimitStore?: DiscordRateLimitStore | undefined;
  /** The global limit, keyed `discord:global`: core's `RateLimiter` (pass a Redis one to share it across processes). Default: `createMemoryRateLimiter` at `globalPerSecond`. */
  globalLimiter?: RateLimiter | undefined;
  /** Requests per second of the global limit when `globalLimiter` is not given. Default 50. */
  globalPerSecond?: number | undefined;
  /** Times a call is re-sent after a 429. Default 3. */
  max429Retries?: number | undefined;
  /** Longest 429 wait honoured, in ms. Default 60 000. */
  maxRetryAfterMs?: number | undefined;
  /** Invalid-request count (per 10 minutes) at which `onInvalidRequestWarning` fires. Default 8 000 of Discord's 10 000. */
  invalidRequestWarningAt?: number | undefined;
  /** Told once per window when the invalid-request count reaches the warning level. */
  onInvalidRequestWarning?: ((warning: DiscordInvalidRequestWarning) => void) | undefined;
  /** Told about each 429 (route, scope, global, wait). */
  onRateLimited?: ((info: { route: string; scope: string; global: boolean; retryAfterMs: number }) => void) | undefined;
  /** Debug logger (redacted). */
  logger?: Logger | undefined;
  /** Retry policy for idempotent calls on 5xx. */
  retry?: RetryPolicy | undefined;
}

/** Per-call options. */
export interface DiscordCallOptions {
  /** Aborts the call, including rate-limit waits. */
  signal?: AbortSignal | undefined;
}

/** Input of role changes. */
export interface DiscordMemberRoleInput {
  /** Guild id. */
  guildId: string;
  /** User id. */
  userId: string;
  /** Role id. */
  roleId: string;
  /** Shown in the guild's audit log (`X-Audit-Log-Reason`, at most 512 characters). */
  reason?: string | undefined;
}

/** A role-connection metadata record (https://discord.com/developers/docs/resources/application-role-connection-metadata). */
export interface RoleConnectionMetadata {
  /** 1-8: integer ≤/≥/=/≠, datetime ≤/≥, boolean =/≠ (`ApplicationRoleConnectionMetadataType`). */
  type: 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8;
  /** Key (a-z, 0-9, `_`; 1-50 characters). */
  key: string;
  /** Name (1-100). */
  name: string;
  /** Description (1-200). */
  description: string;
  /** Localised names. */
  name_localizations?: Readonly<Record<string, string>> | undefined;
  /** Localised descriptions. */
  description_localizations?: Readonly<Record<string, string>> | undefined;
}

/** A user's role connection (what Linked Roles compare against the metadata). */
export interface RoleConnection {
  /** Platform name shown on the profile (≤ 50). */
  platform_name?: string | undefined;
  /** The user's name on the platform (≤ 100). */
  platform_username?: string | undefined;
  /** Values per metadata key (strings ≤ 100: integers, ISO8601 dates, `0`/`1`). */
  metadata?: Readonly<Record<string, string | number | boolean>> | undefined;
}

/** A sent message (the fields used here; everything else in `raw`). */
export interface DiscordMessage {
  /** Message id. */
  readonly id: string;
  /** Channel id. */
  readonly channelId: string;
  /** Discord's record. */
  readonly raw: Readonly<Record<string, unknown>>;
}

/** A Discord REST client; see {@link createDiscordClient}. */
export interface DiscordClient {
  /** Gives a member a role (`PUT /guilds/{guild}/members/{user}/roles/{role}`), with an audit-log reason. */
  addMemberRole(input: DiscordMemberRoleInput, options?: DiscordCallOptions): Promise<void>;
  /** Removes a role from a member. */
  removeMemberRole(input: DiscordMemberRoleInput, options?: DiscordCallOptions): Promise<void>;
  /** Sends a message after validating it against Discord's limits; no mass mentions unless `allowed_mentions` says so. */
  createMessage(channelId: string, message: DiscordMessageInput, options?: DiscordCallOptions): Promise<DiscordMessage>;
  /** Executes a webhook with `?wait=true`, so the created message is returned (and a failure is reported). */
  executeWebhook(input: { webhookId: string; webhookToken: string; message: DiscordMessageInput; threadId?: string | undefined }, options?: DiscordCallOptions): Promise<DiscordMessage>;
  /**
   * Sends a follow-up message to an interaction (`POST /webhooks/{application}/{token}`, valid
   * 15 minutes after the interaction; no bot token needed, the interaction token authorises it).
   */
  createFollowupMessage(input: { applicationId: string; interactionToken: string; message: DiscordMessageInput }, options?: DiscordCallOptions): Promise<DiscordMessage>;
  /** Edits the original response of an interaction (`PATCH .../messages/@original`), e.g. after a deferral. */
  editOriginalResponse(input: { applicationId: string; interactionToken: string; message: DiscordMessageInput }, options?: DiscordCallOptions): Promise<DiscordMessage>;
  /** Replaces the application's role-connection metadata (at most 5 records). */
  setRoleConnectionMetadata(applicationId: string, records: readonly RoleConnectionMetadata[], options?: DiscordCallOptions): Promise<RoleConnectionMetadata[]>;
  /** Updates one user's role connection with their OAuth2 access token (scope `role_connections.write`). */
  updateUserRoleConnection(input: { applicationId: string; userAccessToken: string; connection: RoleConnection }, options?: DiscordCallOptions): Promise<RoleConnection>;
}

const withSafeMentions = (message: DiscordMessageInput): DiscordMessageInput =>
  message.allowed_mentions === undefined ? { ...message, allowed_mentions: { parse: [] } } : message;

const toMessage = (raw: Record<string, unknown>): DiscordMessage => ({ id: String(raw.id ?? ''), channelId: String(raw.channel_id ?? ''), raw });

/**
 * Creates a Discord REST client over core's HTTP client with Discord's rate limits
 * (https://discord.com/developers/docs/topics/rate-limits): per-route buckets, the global
 * limit, 429 handling by `retry_after`/`global`/scope, and the invalid-request budget.
 */
export function createDiscordClient(options: DiscordClientOptions): DiscordClient {
  if (typeof options?.token !== 'string' || options.token.length === 0) throw new ConfigError('token must be a non-empty string', [{ path: 'token', message: 'must be a non-empty string' }]);
  const clock = options.clock ?? systemClock;
  const globalPerSecond = options.globalPerSecond ?? 50;
  const fetchImpl = createDiscordRateLimitedFetch({
    fetch: options.fetch,
    clock,
    store: options.rateLimitStore ?? createMemoryDiscordRateLimitStore(),
    globalLimiter: options.globalLimiter ?? createMemoryRateLimiter({ capacity: globalPerSecond, refillPerSecond: globalPerSecond, clock }),
    max429Retries: options.max429Retries ?? 3,
    maxRetryAfterMs: options.maxRetryAfterMs ?? 60_000,
    invalidRequestWarningAt: options.invalidRequestWarningAt ?? 8_000,
    onInvalidRequestWarning: options.onInvalidRequestWarning,
    onRateLimited: options.onRateLimited,
  });
  const token = options.token;
  const runner = createArcadeRunner('discord', { onAudit: options.onAudit, timeoutMs: options.timeoutMs, clock, logger: options.logger });
  const http: HttpClient = createHttpClient({
    baseUrl: options.baseUrl ?? DISCORD_API_BASE_URL,
    provider: 'discord',
    auth: { scheme: 'Bot', getToken: async () => token },
    fetch: fetchImpl,
    clock,
    userAgent: 'DiscordBot (https://github.com/almanac, 0.1.0)',
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.retry ? { retry: options.retry } : {}),
  });

  // User-token calls (Linked Roles) share the rate limits but not the bot's Authorization.
  const userHttp: HttpClient = createHttpClient({
    baseUrl: options.baseUrl ?? DISCORD_API_BASE_URL,
    provider: 'discord',
    fetch: fetchImpl,
    clock,
    ...(options.logger ? { logger: options.logger } : {}),
  });

  // Every operation goes through core's runner: zod-validated input (a ValidationError naming
  // the field), a deadline (rate-limit waits included) merged with the caller's signal,
  // AlmanacErrors naming the operation, one span and one audit event.
  const run = <S extends z.ZodType, R>(operation: string, input: unknown, schema: S, body: (input: z.output<S>, signal: AbortSignal) => Promise<R>, callOptions: DiscordCallOptions | undefined, idempotent: boolean) =>
    runner.run(operation, input, schema, (parsed, { signal }) => body(parsed as z.output<S>, signal), { signal: callOptions?.signal, idempotent });

  // Documented: the audit-log reason header is URL-encoded, so any Unicode reason survives.
  const auditReason = (reason: string | undefined): Record<string, string> => (reason === undefined ? {} : { 'x-audit-log-reason': encodeURIComponent(reason) });
  // Adding or removing a role twice ends in the same state: both are idempotent.
  const role = (operation: string, method: 'put' | 'delete', input: DiscordMemberRoleInput, callOptions?: DiscordCallOptions) =>
    run(operation, input, memberRoleSchema, async (i, signal) => {
      await http[method](`/guilds/${i.guildId}/members/${i.userId}/roles/${i.roleId}`, { headers: auditReason(i.reason), signal });
    }, callOptions, true);
  const checked = (message: unknown): DiscordMessageInput => {
    const typed = message as DiscordMessageInput;
    validateDiscordMessage(typed);
    return withSafeMentions(typed);
  };

  return {
    addMemberRole: (input, callOptions) => role('addMemberRole', 'put', input, callOptions),
    removeMemberRole: (input, callOptions) => role('removeMemberRole', 'delete', input, callOptions),
    createMessage: (channelId, message, callOptions) =>
      run('createMessage', { channelId, message }, createMessageSchema, async (i, signal) => {
        const response = await http.post<Record<string, unknown>>(`/channels/${i.channelId}/messages`, { json: checked(i.message), signal });
        return toMessage(response.data);
      }, callOptions, false),
    executeWebhook: (input, callOptions) =>
      run('executeWebhook', input, executeWebhookSchema, async (i, signal) => {
        const json = checked(i.message);
        const response = await http.post<Record<string, unknown>>(`/webhooks/${i.webhookId}/${i.webhookToken}`, { query: { wait: true, thread_id: i.threadId }, json, signal });
        return toMessage(response.data);
      }, callOptions, false),
    createFollowupMessage: (input, callOptions) =>
      run('createFollowupMessage', input, interactionMessageSchema, async (i, signal) => {
        const json = checked(i.message);
        const response = await userHttp.post<Record<string, unknown>>(`/webhooks/${i.applicationId}/${i.interactionToken}`, { json, signal });
        return toMessage(response.data);
      }, callOptions, false),
    editOriginalResponse: (input, callOptions) =>
      run('editOriginalResponse', input, interactionMessageSchema, async (i, signal) => {
        const json = checked(i.message);
        const response = await userHttp.patch<Record<string, unknown>>(`/webhooks/${i.applicationId}/${i.interactionToken}/messages/@original`, { json, signal });
        return toMessage(response.data);
      }, callOptions, true),
    setRoleConnectionMetadata: (applicationId, records, callOptions) =>
      run('setRoleConnectionMetadata', { applicationId, records }, roleConnectionMetadataSchema, async (i, signal) => {
        // PUT replaces the whole set: repeating it is harmless.
        const response = await http.put<RoleConnectionMetadata[]>(`/applications/${i.applicationId}/role-connections/metadata`, { json: records, signal });
        return response.data;
      }, callOptions, true),
    updateUserRoleConnection: (input, callOptions) =>
      run('updateUserRoleConnection', input, userRoleConnectionSchema, async (i, signal) => {
        const response = await userHttp.put<RoleConnection>(`/users/@me/applications/${i.applicationId}/role-connection`, {
          headers: { authorization: `Bearer ${i.userAccessToken}` },
          json: { ...input.connection, metadata: i.connection.metadata ?? {} },
          signal,
        });
        return response.data;
      }, callOptions, true),
  };
}
