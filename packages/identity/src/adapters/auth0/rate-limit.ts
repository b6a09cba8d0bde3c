import { RateLimitError } from '@almanac/core';
import type { Clock, FetchLike } from '@almanac/core';
import { PROVIDER } from './options';

// Auth0 sends x-ratelimit-limit, x-ratelimit-remaining and x-ratelimit-reset (epoch seconds) on
// every Management API response:
// https://auth0.com/docs/troubleshoot/customer-support/operational-policies/rate-limit-policy
// A 429 is mapped by core's client (RateLimitError, retryAfterMs from x-ratelimit-reset); this
// gate also stops us from sending the request we already know would be refused.

/** Longest we hold a request back inside one attempt; longer waits surface as `RateLimitError`. */
const MAX_INLINE_WAIT_MS = 10_000;

/**
 * Wraps `fetch` so that after a response reporting `x-ratelimit-remaining: 0`, the next requests
 * wait until `x-ratelimit-reset`. A wait longer than 10 s fails the attempt with a retryable
 * `RateLimitError` carrying `retryAfterMs`, which core's retry loop honours for idempotent calls.
 */
export function createRateLimitGate(fetch: FetchLike, clock: Clock): FetchLike {
  let openAtMs = 0;
  return async (input, init) => {
    const waitMs = openAtMs - clock.now();
    if (waitMs > 0) {
      if (waitMs > MAX_INLINE_WAIT_MS) {
        const url = new URL(input instanceof Request ? input.url : String(input));
        throw new RateLimitError(`${PROVIDER}: rate limit exhausted until x-ratelimit-reset (${Math.ceil(waitMs / 1000)} s)`, {
          provider: PROVIDER,
          operation: `${init?.method ?? 'GET'} ${url.pathname}`,
          retryAfterMs: waitMs,
        });
      }
      await clock.sleep(waitMs, init?.signal ?? undefined);
    }
    const response = await fetch(input, init);
    const remaining = response.headers.get('x-ratelimit-remaining');
    const reset = Number(response.headers.get('x-ratelimit-reset'));
    if (remaining !== null && Number(remaining) <= 0 && Number.isFinite(reset) && reset > 0) {
      openAtMs = Math.max(openAtMs, reset * 1000);
    }
    return response;
  };
}
