import { AlmanacError, AuthError, RateLimitError } from '@almanac/core';
import type { Clock, FetchLike, HttpAuth, Logger, Redactor, RetryPolicy } from '@almanac/core';
import { createRestTransport } from '../../rest/transport';
import { createTokenCache } from '../../rest/token-cache';
import { PROVIDER } from './options';

// Client-credentials grant: https://auth0.com/docs/secure/tokens/access-tokens/management-api-access-tokens/get-management-api-access-tokens-for-production
// Response: { access_token, token_type: "Bearer", expires_in: 86400 } (seconds).

/** Replace a token this long before Auth0 says it expires. */
const REFRESH_BEFORE_MS = 60_000;
/** Longest a shared token request may take (its retries included). */
const TOKEN_TIMEOUT_MS = 60_000;

interface TokenResponse {
  readonly access_token?: unknown;
  readonly expires_in?: unknown;
}

/** Settings of {@link createAuth0TokenSource}. */
export interface Auth0TokenSettings {
  readonly origin: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly audience: string;
  readonly fetch: FetchLike | undefined;
  readonly clock: Clock;
  readonly logger: Logger | undefined;
  readonly retry: RetryPolicy | undefined;
  readonly timeoutMs: number | undefined;
  readonly redactor: Redactor;
  readonly userAgent: string;
}

/**
 * Management API tokens from `POST {origin}/oauth/token`, cached until a minute before expiry,
 * one request for any number of concurrent callers. A failure is an `AuthError` (a 429 stays a
 * `RateLimitError`) whose message names only the HTTP status: never the secret, the token or
 * Auth0's description.
 */
export function createAuth0TokenSource(settings: Auth0TokenSettings): HttpAuth {
  const { clock, redactor } = settings;
  redactor.addSecret(settings.clientSecret);
  const transport = createRestTransport({
    provider: PROVIDER,
    baseUrl: settings.origin,
    auth: undefined,
    fetch: settings.fetch,
    clock,
    logger: settings.logger,
    retry: settings.retry,
    timeoutMs: settings.timeoutMs,
    redactor,
    userAgent: settings.userAgent,
  });

  const fetchToken = async (signal: AbortSignal) => {
    const requestedAt = clock.now();
    let body: TokenResponse | undefined;
    try {
      const response = await transport.request<TokenResponse>({
        method: 'POST',
        path: '/oauth/token',
        json: { grant_type: 'client_credentials', client_id: settings.clientId, client_secret: settings.clientSecret, audience: settings.audience },
        signal,
        // Asking for a token twice only issues two tokens.
        repeatable: true,
      });
      body = response.data;
    } catch (error) {
      if (signal.aborted) throw error;
      const status = AlmanacError.isInstance(error) ? error.status : undefined;
      if (RateLimitError.isInstance(error)) {
        throw new RateLimitError(`${PROVIDER}: the token endpoint is rate limiting (HTTP 429)`, {
          provider: PROVIDER,
          operation: 'getToken',
          status: 429,
          retryAfterMs: error.retryAfterMs,
        });
      }
      const reason = status === undefined ? 'no response' : `HTTP ${status}`;
      throw new AuthError(`${PROVIDER}: client-credentials token request failed (${reason}); check clientId, clientSecret and the application's Management API grant`, {
        provider: PROVIDER,
        operation: 'getToken',
        status,
      });
    }
    const token = body?.access_token;
    const expiresIn = body?.expires_in;
    if (typeof token !== 'string' || token === '' || typeof expiresIn !== 'number' || !(expiresIn > 0)) {
      throw new AuthError(`${PROVIDER}: the token endpoint answered without access_token and expires_in`, { provider: PROVIDER, operation: 'getToken' });
    }
    redactor.addSecret(token);
    return { token, expiresAtMs: requestedAt + expiresIn * 1000 };
  };

  const fetchTimeoutMs = Math.max(TOKEN_TIMEOUT_MS, settings.timeoutMs ?? 0);
  return createTokenCache({ provider: PROVIDER, fetchToken, clock, refreshBeforeMs: REFRESH_BEFORE_MS, fetchTimeoutMs });
}
