import type { Clock, FetchLike, RateLimiter } from '@almanac/core';
import type { DiscordRateLimitStore } from './rate-limit-store';

/** A warning that the invalid-request budget is running out. */
export interface DiscordInvalidRequestWarning {
  /** Invalid requests (401, 403, non-shared 429) counted in the current 10-minute window. */
  readonly count: number;
  /** Discord's limit: 10,000 per 10 minutes, after which Cloudflare bans the IP for a while. */
  readonly limit: number;
}

/** Settings of {@link createDiscordRateLimitedFetch}. */
export interface DiscordRateLimitedFetchOptions {
  /** Underlying `fetch`. */
  fetch?: FetchLike | undefined;
  /** Time source for waits. */
  clock: Clock;
  /** Per-route state. */
  store: DiscordRateLimitStore;
  /** The global 50/s limit (core's `RateLimiter`: memory, or Redis to share it across processes). */
  globalLimiter: RateLimiter;
  /** Most times one call is re-sent after a 429. */
  max429Retries: number;
  /** Longest wait honoured for one 429, in ms; longer ones fail the call with the 429. */
  maxRetryAfterMs: number;
  /** Count at which `onInvalidRequestWarning` fires (once per window). */
  invalidRequestWarningAt: number;
  /** Told when the invalid-request count reaches the warning level. */
  onInvalidRequestWarning?: ((warning: DiscordInvalidRequestWarning) => void) | undefined;
  /** Told about every 429 (scope and wait), for metrics. */
  onRateLimited?: ((info: { route: string; scope: string; global: boolean; retryAfterMs: number }) => void) | undefined;
}

/** A request's rate-limit identity. */
export interface DiscordRouteKey {
  /** Method and path template, e.g. `PUT /guilds/:major/members/:id/roles/:id`. */
  readonly route: string;
  /** The major parameters' values (a webhook token only as its length). */
  readonly major: string;
}

const SNOWFLAKE = /^\d{15,21}$/;
const INVALID_LIMIT = 10_000;

/**
 * The rate-limit key of a request (https://discord.com/developers/docs/topics/rate-limits):
 * the method and path with ids replaced, except the "major parameters" (channel, guild,
 * webhook id and token), which split buckets per resource.
 */
export function discordRoute(method: string, pathname: string): DiscordRouteKey {
  const parts = pathname.replace(/^\/api\/v\d+/, '').split('/').filter(Boolean);
  const out: string[] = [];
  const major: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as string;
    const previous = parts[i - 1];
    if ((previous === 'channels' || previous === 'guilds' || previous === 'webhooks') && i === 1) {
      out.push(':major');
      major.push(part);
    } else if (parts[0] === 'webhooks' && i === 2) {
      // The webhook token is a major parameter too; it is never kept in the key in clear.
      out.push(':token');
      major.push(`t${part.length}`);
    } else if (SNOWFLAKE.test(part)) {
      out.push(':id');
    } else {
      out.push(part);
    }
  }
  return { route: `${method} /${out.join('/')}`, major: major.join('/') };
}

const headerNumber = (headers: Headers, name: string): number | undefined => {
  const value = headers.get(name);
  if (value === null || !/^\d+(?:\.\d+)?$/.test(value)) return undefined;
  return Number(value);
};

/**
 * Wraps `fetch` with Discord's rate limits: waits for the global limit (50/s by default) and
 * for the route's bucket (learned from `X-RateLimit-Bucket`, `-Remaining`, `-Reset-After`),
 * honours a global block after a global 429, and re-sends a 429 after `retry_after` (Discord
 * did not act on it, so any method may be repeated). Counts invalid requests towards
 * Discord's 10,000 per 10 minutes and warns before the limit.
 */
export function createDiscordRateLimitedFetch(options: DiscordRateLimitedFetchOptions): FetchLike {
  const { clock, store, globalLimiter } = options;
  let warnedInWindowOf = -1;
  const countInvalid = async () => {
    const count = await store.countInvalid(clock.now());
    if (count >= options.invalidRequestWarningAt && warnedInWindowOf < 0) {
      warnedInWindowOf = count;
      options.onInvalidRequestWarning?.({ count, limit: INVALID_LIMIT });
    }
    if (count < options.invalidRequestWarningAt) warnedInWindowOf = -1;
  };

  return async (input, init) => {
    const doFetch = options.fetch ?? globalThis.fetch;
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    const method = (init?.method ?? 'GET').toUpperCase();
    const { route, major } = discordRoute(method, url.pathname);
    const signal = init?.signal ?? undefined;
    for (let attempt = 0; ; attempt++) {
      // 1. A global block from an earlier global 429.
      const blockedFor = (await store.globalBlockedUntil()) - clock.now();
      if (blockedFor > 0) await clock.sleep(blockedFor, signal);
      // 2. The global per-second limit. Interaction endpoints are exempt, per the docs.
      if (!route.includes('/interactions/') && !route.startsWith(`${method} /webhooks/`)) {
        for (;;) {
          const decision = await globalLimiter.take('discord:global', { signal });
          if (decision.granted) break;
          await clock.sleep(Math.max(1, decision.retryAfterMs), signal);
        }
      }
      // 3. The route's bucket.
      const bucket = await store.bucketFor(route);
      const key = bucket ? `${bucket}:${major}` : `${route}:${major}`;
      for (;;) {
        const waitMs = await store.reserve(key, clock.now());
        if (waitMs <= 0) break;
        await clock.sleep(waitMs, signal);
      }
      const response = await doFetch(input, init);
      const headers = response.headers;
      const reported = headers.get('x-ratelimit-bucket');
      if (reported) {
        if (reported !== bucket) await store.rememberBucket(route, reported);
        const remaining = headerNumber(headers, 'x-ratelimit-remaining');
        const resetAfter = headerNumber(headers, 'x-ratelimit-reset-after');
        if (remaining !== undefined && resetAfter !== undefined) {
          await store.update(`${reported}:${major}`, { remaining, resetAt: clock.now() + Math.ceil(resetAfter * 1000) });
        }
      }
      if (response.status === 401 || response.status === 403) await countInvalid();
      if (response.status !== 429) return response;

      const scope = headers.get('x-ratelimit-scope') ?? 'user';
      let body: { retry_after?: unknown; global?: unknown } = {};
      try {
        body = (await response.clone().json()) as typeof body;
      } catch {
        // Cloudflare's HTML 429 has no JSON body; fall back to the headers.
      }
      const global = body.global === true || headers.get('x-ratelimit-global') === 'true';
      const retryAfterSeconds = typeof body.retry_after === 'number' ? body.retry_after : (headerNumber(headers, 'retry-after') ?? 1);
      const retryAfterMs = Math.ceil(retryAfterSeconds * 1000);
      // Shared-scope 429s (a per-resource limit) do not count towards the invalid-request limit.
      if (scope !== 'shared') await countInvalid();
      options.onRateLimited?.({ route, scope, global, retryAfterMs });
      if (global) await store.blockGlobally(clock.now() + retryAfterMs);
      else await store.update(`${reported ?? bucket ?? route}:${major}`, { remaining: 0, resetAt: clock.now() + retryAfterMs });
      if (!reported && !bucket) await store.update(key, { remaining: 0, resetAt: clock.now() + retryAfterMs });
      if (attempt >= options.max429Retries || retryAfterMs > options.maxRetryAfterMs) return response;
      await response.body?.cancel().catch(() => undefined);
    }
  };
}
