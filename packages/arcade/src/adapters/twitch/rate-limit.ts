import { systemClock } from '@almanac/core';
import type { Clock, FetchLike } from '@almanac/core';

/** The Helix rate-limit state last reported by Twitch (`Ratelimit-*` headers). */
export interface TwitchRateLimitState {
  /** Bucket size (`Ratelimit-Limit`), e.g. 800 points per minute. */
  readonly limit: number;
  /** Points left (`Ratelimit-Remaining`). */
  readonly remaining: number;
  /** When the bucket is full again, epoch ms (`Ratelimit-Reset` is epoch seconds). */
  readonly resetAt: number;
}

/** A rate-limit-aware `fetch` and the state it last saw. */
export interface TwitchRateLimitedFetch {
  /** The wrapped `fetch`. */
  readonly fetch: FetchLike;
  /** The `Ratelimit-*` state last reported. */
  state(): TwitchRateLimitState | undefined;
}

const MAX_429_RETRIES = 2;
/** A reset further away than this is not waited for: the call fails with the 429 instead. */
const MAX_WAIT_MS = 65_000;

const readInt = (headers: Headers, name: string): number | undefined => {
  const value = headers.get(name);
  return value !== null && /^\d{1,15}$/.test(value) ? Number(value) : undefined;
};

/**
 * Wraps `fetch` so Helix calls honour Twitch's token-bucket headers
 * (https://dev.twitch.tv/docs/api/guide/#twitch-rate-limits): when `Ratelimit-Remaining`
 * reaches 0 the next call waits for `Ratelimit-Reset`, and a 429 (which Twitch sends without
 * doing the work, so any method may be repeated) waits for the reset and is sent again up to
 * twice. Waits end early when the call's signal aborts.
 */
export function createTwitchRateLimitedFetch(fetchImpl: FetchLike | undefined, clock: Clock = systemClock): TwitchRateLimitedFetch {
  let state: TwitchRateLimitState | undefined;
  const update = (headers: Headers) => {
    const limit = readInt(headers, 'ratelimit-limit');
    const remaining = readInt(headers, 'ratelimit-remaining');
    const reset = readInt(headers, 'ratelimit-reset');
    if (limit !== undefined && remaining !== undefined && reset !== undefined) state = { limit, remaining, resetAt: reset * 1000 };
  };
  const waitForReset = async (signal: AbortSignal | null | undefined): Promise<boolean> => {
    if (!state || state.remaining > 0) return true;
    const waitMs = state.resetAt - clock.now();
    if (waitMs <= 0) return true;
    if (waitMs > MAX_WAIT_MS) return false;
    await clock.sleep(waitMs, signal ?? undefined);
    return true;
  };
  const wrapped: FetchLike = async (input, init) => {
    const doFetch = fetchImpl ?? globalThis.fetch;
    for (let attempt = 0; ; attempt++) {
      await waitForReset(init?.signal);
      const response = await doFetch(input, init);
      update(response.headers);
      if (response.status !== 429 || attempt >= MAX_429_RETRIES) return response;
      // Twitch's 429 carries the bucket headers; without them, assume an empty bucket for a second.
      if (!state || state.remaining > 0) state = { limit: state?.limit ?? 0, remaining: 0, resetAt: clock.now() + 1_000 };
      if (!(await waitForReset(init?.signal))) return response;
      await response.body?.cancel().catch(() => undefined);
    }
  };
  return { fetch: wrapped, state: () => state };
}
