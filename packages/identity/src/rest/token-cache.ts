import { AlmanacError, AuthError, TimeoutError, raceAbort } from '@almanac/core';
import type { Clock, GetTokenOptions, HttpAuth } from '@almanac/core';

/** A token and when it stops being valid. */
export interface ExpiringToken {
  /** The access token. */
  readonly token: string;
  /** Clock time (ms) after which the provider rejects it. */
  readonly expiresAtMs: number;
}

/** Settings of {@link createTokenCache}. */
export interface TokenCacheOptions {
  /** Provider name for errors. */
  readonly provider: string;
  /** Obtains a fresh token; throws an `AlmanacError` (normally `AuthError`) holding no secret. */
  readonly fetchToken: (signal: AbortSignal) => Promise<ExpiringToken>;
  /** Clock of expiry and of the fetch timeout. */
  readonly clock: Clock;
  /** A token is replaced this long before it expires (at most half its lifetime). */
  readonly refreshBeforeMs: number;
  /** Longest one shared fetch may take, in ms. */
  readonly fetchTimeoutMs: number;
}

/**
 * A token source for core's HTTP client: the token is cached until shortly before it expires,
 * and any number of concurrent callers share ONE fetch (each caller's own signal only ends its
 * own wait, never the shared fetch). `forceRefresh` (after a 401) joins a fetch in flight or
 * starts one.
 */
export function createTokenCache(options: TokenCacheOptions): HttpAuth {
  const { provider, fetchToken, clock, refreshBeforeMs, fetchTimeoutMs } = options;
  let cached: { token: string; refreshAtMs: number } | undefined;
  let inflight: Promise<string> | undefined;

  const start = (): Promise<string> => {
    const controller = new AbortController();
    const timer = new AbortController();
    clock.sleep(fetchTimeoutMs, timer.signal, { deadline: true }).then(
      () => controller.abort(new TimeoutError(`${provider}: token request timed out after ${fetchTimeoutMs} ms`, { provider, operation: 'getToken' })),
      () => {
        // Cancelled: the fetch settled first.
      },
    );
    const obtainedAt = clock.now();
    const promise = raceAbort(fetchToken(controller.signal), controller.signal)
      .then(
        ({ token, expiresAtMs }) => {
          const lifetime = Math.max(0, expiresAtMs - obtainedAt);
          cached = { token, refreshAtMs: obtainedAt + Math.max(lifetime - refreshBeforeMs, lifetime / 2) };
          return token;
        },
        (error: unknown) => {
          cached = undefined;
          if (AlmanacError.isInstance(error)) throw error;
          // Never the underlying message: it may describe the credentials.
          throw new AuthError(`${provider}: obtaining an access token failed`, { provider, operation: 'getToken' });
        },
      )
      .finally(() => {
        timer.abort();
        if (inflight === promise) inflight = undefined;
      });
    inflight = promise;
    return promise;
  };

  return {
    getToken({ forceRefresh, signal }: GetTokenOptions): Promise<string> {
      if (!forceRefresh && inflight === undefined && cached !== undefined && clock.now() < cached.refreshAtMs) {
        return Promise.resolve(cached.token);
      }
      return raceAbort(inflight ?? start(), signal);
    },
  };
}
