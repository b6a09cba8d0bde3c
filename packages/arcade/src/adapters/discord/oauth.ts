import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { AuthError, ConfigError, createHttpClient, systemClock } from '@almanac/core';
import type { Clock, FetchLike, TokenSet } from '@almanac/core';
import { DISCORD_API_BASE_URL } from './client';

/** Options of {@link createDiscordOAuth}. */
export interface DiscordOAuthOptions {
  /** Application (client) id. */
  clientId: string;
  /** Client secret. */
  clientSecret: string;
  /** Registered redirect URI (for Linked Roles: the application's verification URL callback). */
  redirectUri: string;
  /** API base. Default `https://discord.com/api/v10`. */
  baseUrl?: string | undefined;
  /** `fetch` implementation. */
  fetch?: FetchLike | undefined;
  /** Time source. */
  clock?: Clock | undefined;
}

/** An authorization request; keep `state` and `codeVerifier` server-side. */
export interface DiscordAuthorizationRequest {
  /** Where to send the user. */
  readonly url: string;
  /** Compare with the callback's `state` via {@link DiscordOAuth.checkState}. */
  readonly state: string;
  /** PKCE verifier for {@link DiscordOAuth.exchangeCode}. */
  readonly codeVerifier: string;
}

/** OAuth2 account linking (https://discord.com/developers/docs/topics/oauth2#authorization-code-grant). */
export interface DiscordOAuth {
  /** Authorization URL with `state` and an S256 PKCE challenge; Linked Roles need scopes `identify` and `role_connections.write`. */
  authorizationUrl(request: { scopes: readonly string[]; prompt?: 'consent' | 'none' | undefined }): DiscordAuthorizationRequest;
  /** Constant-time comparison of the stored and returned `state`. */
  checkState(expected: string, received: string | null | undefined): boolean;
  /** Exchanges the callback code for tokens. */
  exchangeCode(input: { code: string; codeVerifier?: string | undefined }, options?: { signal?: AbortSignal | undefined }): Promise<TokenSet>;
  /** Refreshes tokens (store the returned refresh token: the old one stops working). */
  refresh(refreshToken: string, options?: { signal?: AbortSignal | undefined }): Promise<TokenSet>;
}

interface DiscordTokenResponse {
  access_token?: string | undefined;
  token_type?: string | undefined;
  expires_in?: number | undefined;
  refresh_token?: string | undefined;
  scope?: string | undefined;
}

/** Creates {@link DiscordOAuth}. The client secret travels only in the token request's Basic auth header. */
export function createDiscordOAuth(options: DiscordOAuthOptions): DiscordOAuth {
  for (const field of ['clientId', 'clientSecret', 'redirectUri'] as const) {
    if (typeof options?.[field] !== 'string' || options[field].length === 0) throw new ConfigError(`${field} must be a non-empty string`, [{ path: field, message: 'must be a non-empty string' }]);
  }
  const clock = options.clock ?? systemClock;
  const baseUrl = options.baseUrl ?? DISCORD_API_BASE_URL;
  const basic = Buffer.from(`${encodeURIComponent(options.clientId)}:${encodeURIComponent(options.clientSecret)}`).toString('base64');
  const http = createHttpClient({ baseUrl, provider: 'discord', clock, retry: { maxAttempts: 1 }, ...(options.fetch ? { fetch: options.fetch } : {}) });
  const token = async (params: Record<string, string>, signal?: AbortSignal): Promise<TokenSet> => {
    const response = await http.post<DiscordTokenResponse>('/oauth2/token', {
      body: new URLSearchParams(params),
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${basic}` },
      signal,
    });
    const data = response.data;
    if (typeof data?.access_token !== 'string' || data.access_token.length === 0) throw new AuthError('Discord token response had no access_token', { provider: 'discord', operation: 'oauth2.token' });
    const tokens: TokenSet = { accessToken: data.access_token, tokenType: data.token_type ?? 'Bearer' };
    if (typeof data.expires_in === 'number') tokens.expiresAt = clock.now() + data.expires_in * 1000;
    if (typeof data.refresh_token === 'string') tokens.refreshToken = data.refresh_token;
    if (typeof data.scope === 'string') tokens.scope = data.scope;
    return tokens;
  };
  return {
    authorizationUrl({ scopes, prompt }) {
      if (!Array.isArray(scopes) || scopes.length === 0) throw new ConfigError('scopes must not be empty', [{ path: 'scopes', message: 'must list at least one scope' }]);
      const state = randomBytes(32).toString('base64url');
      const codeVerifier = randomBytes(32).toString('base64url');
      const url = new URL('https://discord.com/oauth2/authorize');
      url.search = new URLSearchParams({
        response_type: 'code',
        client_id: options.clientId,
        redirect_uri: options.redirectUri,
        scope: scopes.join(' '),
        state,
        code_challenge: createHash('sha256').update(codeVerifier).digest('base64url'),
        code_challenge_method: 'S256',
        ...(prompt ? { prompt } : {}),
      }).toString();
      return { url: url.toString(), state, codeVerifier };
    },
    checkState(expected, received) {
      if (typeof expected !== 'string' || typeof received !== 'string') return false;
      const a = Buffer.from(expected);
      const b = Buffer.from(received);
      return a.length === b.length && timingSafeEqual(a, b);
    },
    exchangeCode({ code, codeVerifier }, callOptions) {
      if (typeof code !== 'string' || code.length === 0) throw new ConfigError('code must be a non-empty string', [{ path: 'code', message: 'must be a non-empty string' }]);
      return token({ grant_type: 'authorization_code', code, redirect_uri: options.redirectUri, ...(codeVerifier ? { code_verifier: codeVerifier } : {}) }, callOptions?.signal);
    },
    refresh(refreshToken, callOptions) {
      return token({ grant_type: 'refresh_token', refresh_token: refreshToken }, callOptions?.signal);
    },
  };
}
