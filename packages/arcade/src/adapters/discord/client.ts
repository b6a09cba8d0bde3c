import { ConfigError, ValidationError, createHttpClient, createMemoryRateLimiter, systemClock } from '@almanac/core';
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
export interface DiscordClientOptions {
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

const SNOWFLAKE = /^\d{15,21}$/;
const METADATA_KEY = /^[a-z0-9_]{1,50}$/;

function snowflake(value: unknown, path: string): string {
  if (typeof value !== 'string' || !SNOWFLAKE.test(value)) throw new ValidationError(undefined, [{ path, message: 'must be a Discord snowflake id' }]);
  return value;
}

function auditReason(reason: string | undefined): Record<string, string> {
  if (reason === undefined) return {};
  if (typeof reason !== 'string' || [...reason].length > 512) throw new ValidationError(undefined, [{ path: 'reason', message: 'must be at most 512 characters' }]);
  // Documented: the header value is URL-encoded, so any Unicode reason survives.
  return { 'x-audit-log-reason': encodeURIComponent(reason) };
}

function interactionTokenOf(value: unknown): string {
  if (typeof value !== 'string' || !/^[A-Za-z0-9._-]{1,500}$/.test(value)) throw new ValidationError(undefined, [{ path: 'interactionToken', message: 'must be an interaction token' }]);
  return value;
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

  const role = async (method: 'put' | 'delete', input: DiscordMemberRoleInput, callOptions?: DiscordCallOptions) => {
    const guild = snowflake(input.guildId, 'guildId');
    const user = snowflake(input.userId, 'userId');
    const roleId = snowflake(input.roleId, 'roleId');
    await http[method](`/guilds/${guild}/members/${user}/roles/${roleId}`, { headers: auditReason(input.reason), signal: callOptions?.signal });
  };

  return {
    addMemberRole: (input, callOptions) => role('put', input, callOptions),
    removeMemberRole: (input, callOptions) => role('delete', input, callOptions),
    async createMessage(channelId, message, callOptions) {
      snowflake(channelId, 'channelId');
      validateDiscordMessage(message);
      const response = await http.post<Record<string, unknown>>(`/channels/${channelId}/messages`, { json: withSafeMentions(message), signal: callOptions?.signal });
      return toMessage(response.data);
    },
    async executeWebhook(input, callOptions) {
      snowflake(input.webhookId, 'webhookId');
      if (typeof input.webhookToken !== 'string' || !/^[A-Za-z0-9_-]{1,200}$/.test(input.webhookToken)) {
        throw new ValidationError(undefined, [{ path: 'webhookToken', message: 'must be a webhook token' }]);
      }
      validateDiscordMessage(input.message);
      const response = await http.post<Record<string, unknown>>(`/webhooks/${input.webhookId}/${input.webhookToken}`, {
        query: { wait: true, thread_id: input.threadId },
        json: withSafeMentions(input.message),
        signal: callOptions?.signal,
      });
      return toMessage(response.data);
    },
    async createFollowupMessage({ applicationId, interactionToken, message }, callOptions) {
      snowflake(applicationId, 'applicationId');
      interactionTokenOf(interactionToken);
      validateDiscordMessage(message);
      const response = await userHttp.post<Record<string, unknown>>(`/webhooks/${applicationId}/${interactionToken}`, { json: withSafeMentions(message), signal: callOptions?.signal });
      return toMessage(response.data);
    },
    async editOriginalResponse({ applicationId, interactionToken, message }, callOptions) {
      snowflake(applicationId, 'applicationId');
      interactionTokenOf(interactionToken);
      validateDiscordMessage(message);
      const response = await userHttp.patch<Record<string, unknown>>(`/webhooks/${applicationId}/${interactionToken}/messages/@original`, {
        json: withSafeMentions(message),
        signal: callOptions?.signal,
      });
      return toMessage(response.data);
    },
    async setRoleConnectionMetadata(applicationId, records, callOptions) {
      snowflake(applicationId, 'applicationId');
      const issues: Array<{ path: string; message: string }> = [];
      if (!Array.isArray(records) || records.length > 5) issues.push({ path: 'records', message: 'at most 5 records' });
      (Array.isArray(records) ? records : []).forEach((r, i) => {
        if (!Number.isInteger(r.type) || r.type < 1 || r.type > 8) issues.push({ path: `records[${i}].type`, message: 'must be 1-8' });
        if (typeof r.key !== 'string' || !METADATA_KEY.test(r.key)) issues.push({ path: `records[${i}].key`, message: 'must be 1-50 of a-z, 0-9, _' });
        if (typeof r.name !== 'string' || r.name.length < 1 || r.name.length > 100) issues.push({ path: `records[${i}].name`, message: 'must be 1-100 characters' });
        if (typeof r.description !== 'string' || r.description.length < 1 || r.description.length > 200) issues.push({ path: `records[${i}].description`, message: 'must be 1-200 characters' });
      });
      if (issues.length > 0) throw new ValidationError(undefined, issues);
      const response = await http.put<RoleConnectionMetadata[]>(`/applications/${applicationId}/role-connections/metadata`, { json: records, signal: callOptions?.signal });
      return response.data;
    },
    async updateUserRoleConnection({ applicationId, userAccessToken, connection }, callOptions) {
      snowflake(applicationId, 'applicationId');
      if (typeof userAccessToken !== 'string' || userAccessToken.length === 0) throw new ValidationError(undefined, [{ path: 'userAccessToken', message: 'must be a non-empty string' }]);
      const issues: Array<{ path: string; message: string }> = [];
      if (connection.platform_name !== undefined && [...connection.platform_name].length > 50) issues.push({ path: 'connection.platform_name', message: 'at most 50 characters' });
      if (connection.platform_username !== undefined && [...connection.platform_username].length > 100) issues.push({ path: 'connection.platform_username', message: 'at most 100 characters' });
      const metadata: Record<string, string> = {};
      for (const [key, value] of Object.entries(connection.metadata ?? {})) {
        const text = typeof value === 'boolean' ? (value ? '1' : '0') : String(value);
        if (!METADATA_KEY.test(key)) issues.push({ path: `connection.metadata.${key}`, message: 'key must be 1-50 of a-z, 0-9, _' });
        if (text.length > 100) issues.push({ path: `connection.metadata.${key}`, message: 'value must be at most 100 characters' });
        metadata[key] = text;
      }
      if (issues.length > 0) throw new ValidationError(undefined, issues);
      const response = await userHttp.put<RoleConnection>(`/users/@me/applications/${applicationId}/role-connection`, {
        headers: { authorization: `Bearer ${userAccessToken}` },
        json: { ...connection, metadata },
        signal: callOptions?.signal,
      });
      return response.data;
    },
  };
}
