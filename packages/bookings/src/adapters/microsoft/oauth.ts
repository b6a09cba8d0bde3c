// Delegated OAuth 2.0 against the Microsoft identity platform (v2.0 endpoints): authorization
// URL with PKCE, code exchange, refresh, and a token provider over a core `TokenStore`.
// Microsoft rotates refresh tokens: each refresh may return a new one and the old one then
// stops working at some point, so the new token is persisted before the access token is used.
import {
  AlmanacError,
  AuthError,
  ProviderError,
  RateLimitError,
  abortReason,
  createRedactor,
  parse,
  parseRetryAfter,
  parseTokenSet,
  raceAbort,
  systemClock,
} from '@almanac/core';
import type { Clock, TokenSet, TokenStore } from '@almanac/core';
import * as z from '@almanac/core/schema';
import { PROVIDER } from './errors';
import type { GraphAccessTokenProvider } from './types';

/** Default sign-in host; change it for national clouds. */
export const MICROSOFT_AUTHORITY = 'https://login.microsoftonline.com';
const OFFLINE_ACCESS = 'offline_access';
const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_REFRESH_BEFORE_MS = 5 * 60_000;

/** The app registration and tenant used for delegated sign-in. */
export interface MicrosoftOAuthApp {
  /** `common`, `organizations`, `consumers`, a tenant id or a domain. */
  readonly tenant: string;
  /** Application (client) id. */
  readonly clientId: string;
  /** Client secret of a confidential (web) app; omit for public clients using PKCE only. */
  readonly clientSecret?: string | undefined;
  /** Sign-in host. Default {@link MICROSOFT_AUTHORITY}. */
  readonly authority?: string | undefined;
  /** `fetch` to use; defaults to the global one (looked up per call). */
  readonly fetch?: typeof globalThis.fetch | undefined;
  /** Clock for token expiry. */
  readonly clock?: Clock | undefined;
  /** Deadline of one token request in ms. Default 30 000. */
  readonly timeoutMs?: number | undefined;
}

/** Options of {@link microsoftAuthorizationUrl}. */
export interface MicrosoftAuthorizationUrlOptions {
  /** Tenant segment, e.g. `common` or a tenant id. */
  readonly tenant: string;
  /** Application (client) id. */
  readonly clientId: string;
  /** Registered redirect URI. */
  readonly redirectUri: string;
  /** Scopes, e.g. `Calendars.ReadWrite`; `offline_access` is added so a refresh token is issued. */
  readonly scopes: readonly string[];
  /** CSRF state, checked by the caller on return. */
  readonly state: string;
  /** PKCE S256 challenge of the verifier later passed to {@link exchangeMicrosoftCode}. */
  readonly codeChallenge: string;
  /** `select_account`, `consent`, `login` or `none`. */
  readonly prompt?: 'select_account' | 'consent' | 'login' | 'none' | undefined;
  /** Pre-fills the account. */
  readonly loginHint?: string | undefined;
  /** Sign-in host. Default {@link MICROSOFT_AUTHORITY}. */
  readonly authority?: string | undefined;
}

const nonEmpty = z.string().min(1);
const authorizationSchema = z.object({
  tenant: nonEmpty,
  clientId: nonEmpty,
  redirectUri: z.string().url(),
  scopes: z.array(nonEmpty).min(1),
  state: nonEmpty,
  codeChallenge: z.string().regex(/^[A-Za-z0-9_-]{43,128}$/, 'must be a base64url S256 challenge'),
  prompt: z.enum(['select_account', 'consent', 'login', 'none']).optional(),
  loginHint: nonEmpty.optional(),
  authority: z.string().url().optional(),
});

function withOfflineAccess(scopes: readonly string[]): string {
  return [...new Set([...scopes, OFFLINE_ACCESS])].join(' ');
}

function tokenEndpoint(authority: string | undefined, tenant: string): string {
  return `${(authority ?? MICROSOFT_AUTHORITY).replace(/\/+$/, '')}/${encodeURIComponent(tenant)}/oauth2/v2.0/token`;
}

/** The URL to send a user to for consent (authorization code flow with PKCE S256). */
export function microsoftAuthorizationUrl(options: MicrosoftAuthorizationUrlOptions): string {
  const input = parse(authorizationSchema, options, { provider: PROVIDER, operation: 'microsoftAuthorizationUrl' });
  const url = new URL(`${(input.authority ?? MICROSOFT_AUTHORITY).replace(/\/+$/, '')}/${encodeURIComponent(input.tenant)}/oauth2/v2.0/authorize`);
  url.searchParams.set('client_id', input.clientId);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('redirect_uri', input.redirectUri);
  url.searchParams.set('response_mode', 'query');
  url.searchParams.set('scope', withOfflineAccess(input.scopes));
  url.searchParams.set('state', input.state);
  url.searchParams.set('code_challenge', input.codeChallenge);
  url.searchParams.set('code_challenge_method', 'S256');
  if (input.prompt !== undefined) url.searchParams.set('prompt', input.prompt);
  if (input.loginHint !== undefined) url.searchParams.set('login_hint', input.loginHint);
  return url.toString();
}

const tokenResponseSchema = z.object({
  access_token: nonEmpty,
  token_type: z.string().optional(),
  expires_in: z.coerce.number().positive().optional(),
  scope: z.string().optional(),
  refresh_token: nonEmpty.optional(),
});

/** Posts one token request; secrets in the form never reach an error message. */
async function requestToken(app: MicrosoftOAuthApp, form: Record<string, string>, operation: string, signal: AbortSignal | undefined): Promise<TokenSet> {
  const clock = app.clock ?? systemClock;
  const redactor = createRedactor();
  for (const key of ['client_secret', 'refresh_token', 'code', 'code_verifier']) {
    const value = form[key];
    if (value) redactor.addSecret(value);
  }
  const body = new URLSearchParams({ client_id: app.clientId, ...form, ...(app.clientSecret ? { client_secret: app.clientSecret } : {}) });
  const timeout = AbortSignal.timeout(app.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const requestSignal = signal ? AbortSignal.any([signal, timeout]) : timeout;
  let response: Response;
  try {
    response = await (app.fetch ?? globalThis.fetch)(tokenEndpoint(app.authority, app.tenant), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body,
      signal: requestSignal,
    });
  } catch (error) {
    if (signal?.aborted) throw abortReason(signal);
    throw new ProviderError(`${PROVIDER}: ${operation} request failed without a response`, { provider: PROVIDER, operation, retryable: true, cause: error });
  }
  let json: unknown;
  try {
    json = await response.json();
  } catch {
    json = undefined;
  }
  if (!response.ok) {
    const error = (json as { error?: unknown } | undefined)?.error;
    const description = (json as { error_description?: unknown } | undefined)?.error_description;
    const code = typeof error === 'string' && /^[a-z_]{1,64}$/i.test(error) ? error : 'unknown_error';
    // AADSTS codes identify the cause; the rest of the description is not needed in the message.
    const aadsts = typeof description === 'string' ? /AADSTS\d+/.exec(description)?.[0] : undefined;
    const message = redactor.redactString(`${PROVIDER}: ${operation} failed with HTTP ${response.status} (${code}${aadsts ? `, ${aadsts}` : ''})`);
    const options = { provider: PROVIDER, operation, status: response.status };
    if (response.status === 429) {
      throw new RateLimitError(message, { ...options, retryAfterMs: parseRetryAfter(response.headers, clock.now(), true) });
    }
    if (response.status >= 500) throw new ProviderError(message, { ...options, retryable: true });
    throw new AuthError(message, options);
  }
  let parsed: z.output<typeof tokenResponseSchema>;
  try {
    parsed = parse(tokenResponseSchema, json, { provider: PROVIDER, operation });
  } catch {
    throw new ProviderError(`${PROVIDER}: ${operation} returned an unreadable token response`, { provider: PROVIDER, operation, status: response.status });
  }
  return {
    accessToken: parsed.access_token,
    ...(parsed.refresh_token !== undefined ? { refreshToken: parsed.refresh_token } : {}),
    ...(parsed.expires_in !== undefined ? { expiresAt: clock.now() + parsed.expires_in * 1000 } : {}),
    ...(parsed.token_type !== undefined ? { tokenType: parsed.token_type } : {}),
    ...(parsed.scope !== undefined ? { scope: parsed.scope } : {}),
  };
}

/** Options of {@link exchangeMicrosoftCode}. */
export interface ExchangeMicrosoftCodeOptions extends MicrosoftOAuthApp {
  /** The `code` from the redirect. */
  readonly code: string;
  /** The redirect URI used in the authorization URL. */
  readonly redirectUri: string;
  /** The PKCE verifier whose challenge was sent. */
  readonly codeVerifier: string;
  /** Scopes requested (as in the authorization URL). */
  readonly scopes: readonly string[];
  /** Aborts the request. */
  readonly signal?: AbortSignal | undefined;
}

/** Redeems an authorization code for tokens (including a refresh token, thanks to `offline_access`). */
export function exchangeMicrosoftCode(options: ExchangeMicrosoftCodeOptions): Promise<TokenSet> {
  return requestToken(
    options,
    {
      grant_type: 'authorization_code',
      code: options.code,
      redirect_uri: options.redirectUri,
      code_verifier: options.codeVerifier,
      scope: withOfflineAccess(options.scopes),
    },
    'exchangeMicrosoftCode',
    options.signal,
  );
}

/** Options of {@link refreshMicrosoftToken}. */
export interface RefreshMicrosoftTokenOptions extends MicrosoftOAuthApp {
  /** The current refresh token. */
  readonly refreshToken: string;
  /** Scopes to request. */
  readonly scopes: readonly string[];
  /** Aborts the request. */
  readonly signal?: AbortSignal | undefined;
}

/**
 * Trades a refresh token for new tokens. The result carries Microsoft's new refresh token
 * when it rotated one; persist it (the token provider below does) and drop the old one.
 */
export async function refreshMicrosoftToken(options: RefreshMicrosoftTokenOptions): Promise<TokenSet> {
  const tokens = await requestToken(
    options,
    { grant_type: 'refresh_token', refresh_token: options.refreshToken, scope: withOfflineAccess(options.scopes) },
    'refreshMicrosoftToken',
    options.signal,
  );
  return tokens.refreshToken === undefined ? { ...tokens, refreshToken: options.refreshToken } : tokens;
}

/** Stores a token set under `key` in the format {@link createMicrosoftTokenProvider} reads. */
export function saveMicrosoftTokens(store: TokenStore, key: string, tokens: TokenSet, signal?: AbortSignal): Promise<void> {
  return store.set(key, JSON.stringify(parseTokenSet(tokens)), signal ? { signal } : undefined);
}

/** Options of {@link createMicrosoftTokenProvider}. */
export interface MicrosoftTokenProviderOptions extends MicrosoftOAuthApp {
  /** Where the token set lives; wrap it with `createEncryptedTokenStore` so only ciphertext is stored. */
  readonly store: TokenStore;
  /** Key of this user's token set in `store`. */
  readonly key: string;
  /** Scopes to request on refresh. */
  readonly scopes: readonly string[];
  /** Refresh this long before expiry. Default 5 minutes. */
  readonly refreshBeforeMs?: number | undefined;
}

/**
 * A delegated-access token provider for `createMicrosoftCalendarProvider({ getAccessToken })`. Reads the
 * token set from `store`, refreshes shortly before expiry (one refresh at a time, shared by
 * concurrent callers) and writes the rotated refresh token back before returning.
 */
export function createMicrosoftTokenProvider(options: MicrosoftTokenProviderOptions): GraphAccessTokenProvider {
  const clock = options.clock ?? systemClock;
  const refreshBeforeMs = options.refreshBeforeMs ?? DEFAULT_REFRESH_BEFORE_MS;
  let cached: TokenSet | undefined;
  let refreshing: Promise<TokenSet> | undefined;
  const fresh = (tokens: TokenSet | undefined): boolean =>
    tokens !== undefined && (tokens.expiresAt === undefined || tokens.expiresAt - refreshBeforeMs > clock.now());

  const load = async (): Promise<TokenSet | undefined> => {
    const stored = await options.store.get(options.key);
    if (stored === undefined) return undefined;
    try {
      return parseTokenSet(JSON.parse(stored));
    } catch (error) {
      throw new AuthError(`${PROVIDER}: the stored token set under the given key is unreadable`, { provider: PROVIDER, operation: 'getAccessToken', cause: error });
    }
  };

  const refresh = async (): Promise<TokenSet> => {
    // Another process may have rotated the tokens already; its result is the one to use.
    const stored = await load();
    if (stored !== undefined && fresh(stored)) return stored;
    const refreshToken = stored?.refreshToken ?? cached?.refreshToken;
    if (refreshToken === undefined) {
      throw new AuthError(`${PROVIDER}: no refresh token stored; run the authorization flow again`, { provider: PROVIDER, operation: 'getAccessToken' });
    }
    const tokens = await refreshMicrosoftToken({ ...options, refreshToken });
    await saveMicrosoftTokens(options.store, options.key, tokens);
    return tokens;
  };

  return async (signal) => {
    if (cached !== undefined && fresh(cached)) return cached.accessToken;
    let pending = refreshing;
    if (pending === undefined) {
      pending = refresh();
      refreshing = pending;
      const started = pending;
      started.then(
        (tokens) => {
          cached = tokens;
          if (refreshing === started) refreshing = undefined;
        },
        () => {
          if (refreshing === started) refreshing = undefined;
        },
      );
    }
    try {
      return (await raceAbort(pending, signal)).accessToken;
    } catch (error) {
      if (AlmanacError.isInstance(error)) throw error;
      throw new AuthError(`${PROVIDER}: could not obtain an access token`, { provider: PROVIDER, operation: 'getAccessToken', cause: error });
    }
  };
}
