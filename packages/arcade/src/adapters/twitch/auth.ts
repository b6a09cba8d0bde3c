import { randomBytes, timingSafeEqual } from 'node:crypto';
import { AuthError, ConfigError, createHttpClient, parseTokenSet, systemClock } from '@almanac/core';
import type { Clock, FetchLike, GetTokenOptions, HttpAuth, HttpClient, TokenSet, TokenStore } from '@almanac/core';

/** Twitch's OAuth host. */
export const TWITCH_ID_BASE_URL = 'https://id.twitch.tv/oauth2';

interface TwitchTokenResponse {
  access_token: string;
  expires_in?: number | undefined;
  refresh_token?: string | undefined;
  scope?: string[] | string | undefined;
  token_type?: string | undefined;
}

function requireString(value: unknown, path: string): string {
  if (typeof value !== 'string' || value.length === 0) throw new ConfigError(`${path} must be a non-empty string`, [{ path, message: 'must be a non-empty string' }]);
  return value;
}

function idClient(fetchImpl: FetchLike | undefined, clock: Clock, baseUrl: string | undefined): HttpClient {
  return createHttpClient({ baseUrl: baseUrl ?? TWITCH_ID_BASE_URL, provider: 'twitch', clock, retry: { maxAttempts: 1 }, ...(fetchImpl ? { fetch: fetchImpl } : {}) });
}

function toTokenSet(data: TwitchTokenResponse, now: number): TokenSet {
  if (typeof data?.access_token !== 'string' || data.access_token.length === 0) throw new AuthError('Twitch token response had no access_token', { provider: 'twitch', operation: 'token' });
  const tokens: TokenSet = { accessToken: data.access_token, tokenType: 'bearer' };
  if (typeof data.expires_in === 'number' && data.expires_in > 0) tokens.expiresAt = now + data.expires_in * 1000;
  if (typeof data.refresh_token === 'string' && data.refresh_token.length > 0) tokens.refreshToken = data.refresh_token;
  if (Array.isArray(data.scope)) tokens.scope = data.scope.join(' ');
  else if (typeof data.scope === 'string') tokens.scope = data.scope;
  return tokens;
}

/** Options of {@link createTwitchAppAuth}. */
export interface TwitchAppAuthOptions {
  /** Application client id. */
  clientId: string;
  /** Application client secret. */
  clientSecret: string;
  /** Request a new token this long before the current one expires, in ms. Default 5 minutes. */
  refreshBeforeMs?: number | undefined;
  /** How often a cached token is checked with `/oauth2/validate`, in ms. Default 1 hour, as Twitch requires. */
  validateEveryMs?: number | undefined;
  /** `fetch` implementation. */
  fetch?: FetchLike | undefined;
  /** Time source. */
  clock?: Clock | undefined;
  /** OAuth base URL. Default `https://id.twitch.tv/oauth2`. */
  idBaseUrl?: string | undefined;
}

/** An app access token source for {@link createTwitchClient}'s `auth`. */
export interface TwitchAppAuth extends HttpAuth {
  /** Drops the cached token, so the next call requests a new one. */
  invalidate(): void;
}

/**
 * App access tokens by the client-credentials grant
 * (https://dev.twitch.tv/docs/authentication/getting-tokens-oauth/#client-credentials-grant-flow):
 * cached, requested again `refreshBeforeMs` before expiry or after a 401 (`forceRefresh`),
 * and checked with `GET /oauth2/validate` at least hourly
 * (https://dev.twitch.tv/docs/authentication/validate-tokens/); one request at a time however
 * many calls wait.
 */
export function createTwitchAppAuth(options: TwitchAppAuthOptions): TwitchAppAuth {
  const clientId = requireString(options.clientId, 'clientId');
  const clientSecret = requireString(options.clientSecret, 'clientSecret');
  const clock = options.clock ?? systemClock;
  const refreshBeforeMs = options.refreshBeforeMs ?? 5 * 60_000;
  const validateEveryMs = options.validateEveryMs ?? 60 * 60_000;
  const http = idClient(options.fetch, clock, options.idBaseUrl);
  let current: { tokens: TokenSet; validatedAt: number } | undefined;
  let inflight: Promise<TokenSet> | undefined;

  const requestToken = async (signal: AbortSignal): Promise<TokenSet> => {
    const response = await http.post<TwitchTokenResponse>('/token', {
      body: new URLSearchParams({ client_id: clientId, client_secret: clientSecret, grant_type: 'client_credentials' }),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      signal,
    });
    return toTokenSet(response.data, clock.now());
  };
  const validate = async (tokens: TokenSet, signal: AbortSignal): Promise<boolean> => {
    try {
      await http.get('/validate', { headers: { authorization: `OAuth ${tokens.accessToken}` }, signal });
      return true;
    } catch (error) {
      if (AuthError.isInstance(error)) return false;
      throw error;
    }
  };
  const obtain = async (options: GetTokenOptions): Promise<TokenSet> => {
    const now = clock.now();
    if (current && !options.forceRefresh) {
      const fresh = current.tokens.expiresAt === undefined || current.tokens.expiresAt - refreshBeforeMs > now;
      if (fresh && now - current.validatedAt < validateEveryMs) return current.tokens;
      if (fresh && (await validate(current.tokens, options.signal))) {
        current = { tokens: current.tokens, validatedAt: clock.now() };
        return current.tokens;
      }
    }
    const tokens = await requestToken(options.signal);
    current = { tokens, validatedAt: clock.now() };
    return tokens;
  };
  return {
    async getToken(getOptions) {
      if (!inflight) {
        inflight = obtain(getOptions).finally(() => {
          inflight = undefined;
        });
      }
      return (await inflight).accessToken;
    },
    invalidate() {
      current = undefined;
    },
  };
}

/** Options of {@link createTwitchOAuth}. */
export interface TwitchOAuthOptions {
  /** Application client id. */
  clientId: string;
  /** Application client secret. */
  clientSecret: string;
  /** Registered redirect URI. */
  redirectUri: string;
  /** `fetch` implementation. */
  fetch?: FetchLike | undefined;
  /** Time source. */
  clock?: Clock | undefined;
  /** OAuth base URL. Default `https://id.twitch.tv/oauth2`. */
  idBaseUrl?: string | undefined;
}

/**
 * An authorization request to redirect the user to; keep `state` server-side (e.g. in the
 * session). There is no PKCE verifier: Twitch does not document PKCE (see {@link createTwitchOAuth}).
 */
export interface TwitchAuthorizationRequest {
  /** The URL to send the user to. */
  readonly url: string;
  /** Unguessable value to compare with the callback's `state` (see {@link TwitchOAuth.checkState}). */
  readonly state: string;
}

/** Options of {@link TwitchOAuth.userAuth}. */
export interface TwitchUserAuthOptions {
  /** Where the user's token set lives; wrap with core's `createEncryptedTokenStore` for storage at rest. */
  store: TokenStore;
  /** The store key, e.g. `twitch:<user id>`. */
  key: string;
  /** Refresh this long before expiry, in ms. Default 5 minutes. */
  refreshBeforeMs?: number | undefined;
}

/** User OAuth: authorization code with `state` (confidential client, no PKCE), code exchange, refresh. */
export interface TwitchOAuth {
  /** Builds the authorization URL with a fresh 32-byte `state`. */
  authorizationUrl(request: { scopes: readonly string[]; forceVerify?: boolean | undefined }): TwitchAuthorizationRequest;
  /** Compares the callback's `state` with the stored one in constant time. */
  checkState(expected: string, received: string | null | undefined): boolean;
  /** Exchanges the callback's `code` for a token set (authenticated with the client secret). */
  exchangeCode(input: { code: string }, options?: { signal?: AbortSignal | undefined }): Promise<TokenSet>;
  /** Refreshes a token set; Twitch rotates refresh tokens, so store the result. */
  refresh(refreshToken: string, options?: { signal?: AbortSignal | undefined }): Promise<TokenSet>;
  /** An `HttpAuth` over a stored user token set: refreshed before expiry or after a 401, the rotated refresh token written back. */
  userAuth(options: TwitchUserAuthOptions): HttpAuth;
}

const base64url = (bytes: Buffer) => bytes.toString('base64url');

/**
 * User access tokens by the authorization code grant
 * (https://dev.twitch.tv/docs/authentication/getting-tokens-oauth/#authorization-code-grant-flow)
 * and refresh (https://dev.twitch.tv/docs/authentication/refresh-tokens/). The URL carries a
 * 32-byte `state` from the platform CSPRNG, checked in constant time on the callback.
 *
 * No PKCE: Twitch documents the authorization code grant for confidential clients (a server
 * that keeps the client secret) and lists no `code_challenge`/`code_verifier` parameters;
 * sending them would suggest a protection Twitch does not enforce. Apps without a server use the device code or implicit
 * flows instead (https://dev.twitch.tv/docs/authentication/getting-tokens-oauth/).
 */
export function createTwitchOAuth(options: TwitchOAuthOptions): TwitchOAuth {
  const clientId = requireString(options.clientId, 'clientId');
  const clientSecret = requireString(options.clientSecret, 'clientSecret');
  const redirectUri = requireString(options.redirectUri, 'redirectUri');
  const clock = options.clock ?? systemClock;
  const baseUrl = options.idBaseUrl ?? TWITCH_ID_BASE_URL;
  const http = idClient(options.fetch, clock, baseUrl);

  const tokenCall = async (params: Record<string, string>, signal: AbortSignal | undefined): Promise<TokenSet> => {
    const response = await http.post<TwitchTokenResponse>('/token', {
      body: new URLSearchParams({ client_id: clientId, client_secret: clientSecret, ...params }),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      signal,
    });
    return toTokenSet(response.data, clock.now());
  };

  const oauth: TwitchOAuth = {
    authorizationUrl({ scopes, forceVerify }) {
      if (!Array.isArray(scopes) || scopes.some((s) => typeof s !== 'string' || s.length === 0)) {
        throw new ConfigError('scopes must be non-empty strings', [{ path: 'scopes', message: 'must be an array of non-empty strings' }]);
      }
      const state = base64url(randomBytes(32));
      const url = new URL(`${baseUrl}/authorize`);
      url.search = new URLSearchParams({
        response_type: 'code',
        client_id: clientId,
        redirect_uri: redirectUri,
        scope: scopes.join(' '),
        state,
        ...(forceVerify ? { force_verify: 'true' } : {}),
      }).toString();
      return { url: url.toString(), state };
    },
    checkState(expected, received) {
      if (typeof received !== 'string' || typeof expected !== 'string') return false;
      const a = Buffer.from(expected);
      const b = Buffer.from(received);
      return a.length === b.length && timingSafeEqual(a, b);
    },
    exchangeCode({ code }, callOptions) {
      requireString(code, 'code');
      return tokenCall({ code, grant_type: 'authorization_code', redirect_uri: redirectUri }, callOptions?.signal);
    },
    async refresh(refreshToken, callOptions) {
      requireString(refreshToken, 'refreshToken');
      const tokens = await tokenCall({ grant_type: 'refresh_token', refresh_token: refreshToken }, callOptions?.signal);
      // Twitch always returns a refresh token here; keep the old one if a proxy strips it.
      return tokens.refreshToken ? tokens : { ...tokens, refreshToken };
    },
    userAuth({ store, key, refreshBeforeMs = 5 * 60_000 }) {
      if (typeof store?.get !== 'function' || typeof store.set !== 'function') throw new ConfigError('store must be a TokenStore', [{ path: 'store', message: 'must be a TokenStore' }]);
      requireString(key, 'key');
      let inflight: Promise<string> | undefined;
      const obtain = async ({ forceRefresh, signal }: GetTokenOptions): Promise<string> => {
        const raw = await store.get(key, { signal });
        if (raw === undefined) throw new AuthError('No Twitch token stored for this user; run the authorization flow first', { provider: 'twitch', operation: 'userAuth' });
        const tokens = parseTokenSet(JSON.parse(raw));
        const expiring = tokens.expiresAt !== undefined && tokens.expiresAt - refreshBeforeMs <= clock.now();
        if (!forceRefresh && !expiring) return tokens.accessToken;
        if (!tokens.refreshToken) throw new AuthError('The stored Twitch token expired and has no refresh token', { provider: 'twitch', operation: 'userAuth' });
        const next = await oauth.refresh(tokens.refreshToken, { signal });
        await store.set(key, JSON.stringify(next), { signal });
        return next.accessToken;
      };
      return {
        getToken(getOptions) {
          // One refresh at a time per user: Twitch invalidates the old refresh token on use.
          if (!inflight) {
            inflight = obtain(getOptions).finally(() => {
              inflight = undefined;
            });
          }
          return inflight;
        },
      };
    },
  };
  return oauth;
}
