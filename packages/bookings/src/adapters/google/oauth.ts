import { AuthError, ProviderError, TimeoutError, parse, parseTokenSet, raceAbort, systemClock } from '@almanac/core';
import type { Clock, TokenSet, TokenStore } from '@almanac/core';
import * as z from '@almanac/core/schema';
import { GOOGLE_PROVIDER } from './errors';

/** Google's OAuth 2.0 authorization endpoint. */
export const GOOGLE_AUTHORIZATION_ENDPOINT = 'https://accounts.google.com/o/oauth2/v2/auth';
/** Google's OAuth 2.0 token endpoint. */
export const GOOGLE_TOKEN_ENDPOINT = 'https://oauth2.googleapis.com/token';

/** `fetch` as the OAuth helpers call it; inject one for custom agents. */
export type GoogleFetch = (input: string, init: RequestInit) => Promise<Response>;

/** Options of {@link googleAuthorizationUrl}. */
export interface GoogleAuthorizationUrlOptions {
  /** OAuth client id. */
  clientId: string;
  /** Registered redirect URI. */
  redirectUri: string;
  /** Scopes, e.g. `https://www.googleapis.com/auth/calendar.events`. */
  scopes: readonly string[];
  /** Opaque CSRF state, checked on the callback. */
  state: string;
  /** PKCE S256 challenge of a verifier you keep for {@link exchangeGoogleCode}. */
  codeChallenge?: string | undefined;
  /** Pre-selects an account. */
  loginHint?: string | undefined;
}

const nonEmpty = z.string().min(1, 'must not be empty');

const authUrlSchema = z.object({
  clientId: nonEmpty,
  redirectUri: z.url('must be a URL'),
  scopes: z.array(nonEmpty).min(1, 'must list at least one scope'),
  state: nonEmpty,
  codeChallenge: nonEmpty.optional(),
  loginHint: nonEmpty.optional(),
});

/**
 * The consent URL. Asks for offline access with `prompt=consent`, because Google only
 * issues a refresh token on consent, and `include_granted_scopes` for incremental auth.
 */
export function googleAuthorizationUrl(options: GoogleAuthorizationUrlOptions): string {
  const input = parse(authUrlSchema, options, { provider: GOOGLE_PROVIDER, operation: 'googleAuthorizationUrl' });
  const url = new URL(GOOGLE_AUTHORIZATION_ENDPOINT);
  url.searchParams.set('client_id', input.clientId);
  url.searchParams.set('redirect_uri', input.redirectUri);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('scope', input.scopes.join(' '));
  url.searchParams.set('state', input.state);
  url.searchParams.set('access_type', 'offline');
  url.searchParams.set('prompt', 'consent');
  url.searchParams.set('include_granted_scopes', 'true');
  if (input.codeChallenge) {
    url.searchParams.set('code_challenge', input.codeChallenge);
    url.searchParams.set('code_challenge_method', 'S256');
  }
  if (input.loginHint) url.searchParams.set('login_hint', input.loginHint);
  return url.toString();
}

/** Options shared by the token-endpoint calls. */
export interface GoogleTokenCallOptions {
  /** OAuth client id. */
  clientId: string;
  /** OAuth client secret. Never appears in errors or logs. */
  clientSecret: string;
  /** `fetch` to use. Default the global one. */
  fetch?: GoogleFetch | undefined;
  /** Aborts the call. */
  signal?: AbortSignal | undefined;
  /** Clock for `expiresAt`. Default the system clock. */
  clock?: Clock | undefined;
}

/** Options of {@link exchangeGoogleCode}. */
export interface ExchangeGoogleCodeOptions extends GoogleTokenCallOptions {
  /** Authorization code from the callback. */
  code: string;
  /** The redirect URI used for the consent URL. */
  redirectUri: string;
  /** PKCE verifier matching the challenge sent. */
  codeVerifier?: string | undefined;
}

/** Options of {@link refreshGoogleToken}. */
export interface RefreshGoogleTokenOptions extends GoogleTokenCallOptions {
  /** The refresh token. Never appears in errors or logs. */
  refreshToken: string;
}

const callSchema = z.object({ clientId: nonEmpty, clientSecret: nonEmpty }).loose();
const exchangeSchema = callSchema.extend({ code: nonEmpty, redirectUri: nonEmpty, codeVerifier: nonEmpty.optional() });
const refreshSchema = callSchema.extend({ refreshToken: nonEmpty });

const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  expires_in: z.number().optional(),
  refresh_token: z.string().min(1).optional(),
  scope: z.string().optional(),
  token_type: z.string().optional(),
});

/**
 * POSTs a form to the token endpoint. Error messages carry only Google's `error` code and
 * description: the request body holds the client secret, code and refresh token.
 */
async function postToken(
  form: Record<string, string>,
  options: GoogleTokenCallOptions,
  operation: string,
): Promise<TokenSet> {
  const doFetch: GoogleFetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const clock = options.clock ?? systemClock;
  const response = await doFetch(GOOGLE_TOKEN_ENDPOINT, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams(form).toString(),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  if (!response.ok) {
    const error = body as { error?: unknown; error_description?: unknown } | undefined;
    const code = typeof error?.error === 'string' ? error.error : 'unknown_error';
    const description = typeof error?.error_description === 'string' ? `: ${error.error_description.slice(0, 200)}` : '';
    const message = `google: ${operation} failed with HTTP ${response.status} (${code})${description}`;
    const errorOptions = { provider: GOOGLE_PROVIDER, operation, status: response.status };
    // invalid_grant: the code or refresh token was revoked, expired or already used.
    if (code === 'invalid_grant' || code === 'invalid_client' || code === 'unauthorized_client' || response.status === 401) {
      throw new AuthError(message, errorOptions);
    }
    throw new ProviderError(message, { ...errorOptions, retryable: response.status >= 500 || response.status === 429 });
  }
  const parsed = tokenResponseSchema.safeParse(body);
  if (!parsed.success) {
    throw new ProviderError(`google: ${operation} returned an unexpected token response`, { provider: GOOGLE_PROVIDER, operation });
  }
  const data = parsed.data;
  return {
    accessToken: data.access_token,
    ...(data.refresh_token ? { refreshToken: data.refresh_token } : {}),
    ...(data.expires_in !== undefined ? { expiresAt: clock.now() + data.expires_in * 1000 } : {}),
    ...(data.token_type ? { tokenType: data.token_type } : {}),
    ...(data.scope ? { scope: data.scope } : {}),
  };
}

/** Exchanges an authorization code for tokens (`grant_type=authorization_code`). */
export function exchangeGoogleCode(options: ExchangeGoogleCodeOptions): Promise<TokenSet> {
  const input = parse(exchangeSchema, options, { provider: GOOGLE_PROVIDER, operation: 'exchangeGoogleCode' });
  return postToken(
    {
      grant_type: 'authorization_code',
      code: input.code,
      client_id: input.clientId,
      client_secret: input.clientSecret,
      redirect_uri: input.redirectUri,
      ...(input.codeVerifier ? { code_verifier: input.codeVerifier } : {}),
    },
    options,
    'exchangeGoogleCode',
  );
}

/**
 * Refreshes an access token (`grant_type=refresh_token`). Google usually omits
 * `refresh_token` from the answer; the result then keeps the one passed in, and carries the
 * new one when Google rotated it.
 */
export async function refreshGoogleToken(options: RefreshGoogleTokenOptions): Promise<TokenSet> {
  const input = parse(refreshSchema, options, { provider: GOOGLE_PROVIDER, operation: 'refreshGoogleToken' });
  const tokens = await postToken(
    {
      grant_type: 'refresh_token',
      refresh_token: input.refreshToken,
      client_id: input.clientId,
      client_secret: input.clientSecret,
    },
    options,
    'refreshGoogleToken',
  );
  return { ...tokens, refreshToken: tokens.refreshToken ?? input.refreshToken };
}

/** Options of {@link createGoogleTokenProvider}. */
export interface GoogleTokenProviderOptions {
  /** Where the token set is kept as JSON; wrap with `createEncryptedTokenStore` so it is encrypted at rest. */
  store: TokenStore;
  /** Key of this account's token set in `store`. */
  key: string;
  /** OAuth client id. */
  clientId: string;
  /** OAuth client secret. */
  clientSecret: string;
  /** Time source for expiry. Default the system clock. */
  clock?: Clock | undefined;
  /** Refresh this long before expiry, in ms. Default 60 000. */
  refreshBeforeMs?: number | undefined;
  /** `fetch` for the token endpoint. */
  fetch?: GoogleFetch | undefined;
}

/** Longest a shared token refresh may take, in ms (on the provider's clock). */
const REFRESH_TIMEOUT_MS = 30_000;

/** A cached, self-refreshing access token; also usable as core's `HttpAuth`. */
export interface GoogleTokenProvider {
  /** A valid access token, refreshed (and persisted) when it is about to expire or `forceRefresh` is set. */
  getToken(options?: { readonly forceRefresh?: boolean | undefined; readonly signal?: AbortSignal | undefined }): Promise<string>;
}

const providerSchema = z
  .object({
    store: z.custom<TokenStore>((value) => typeof (value as { get?: unknown } | null)?.get === 'function', 'must be a TokenStore'),
    key: nonEmpty,
    clientId: nonEmpty,
    clientSecret: nonEmpty,
    refreshBeforeMs: z.number().min(0).optional(),
  })
  .loose();

/**
 * Access tokens for one account from a `TokenStore` (from `@almanac/core`). Refreshes shortly before expiry,
 * persists the result (including a rotated refresh token, keeping the old one when Google
 * sends none) and shares one refresh between concurrent callers.
 */
export function createGoogleTokenProvider(options: GoogleTokenProviderOptions): GoogleTokenProvider {
  parse(providerSchema, options, { provider: GOOGLE_PROVIDER, operation: 'createGoogleTokenProvider', path: 'options' });
  const clock = options.clock ?? systemClock;
  const refreshBeforeMs = options.refreshBeforeMs ?? 60_000;
  let refreshing: Promise<TokenSet> | undefined;

  const load = async (signal: AbortSignal | undefined): Promise<TokenSet> => {
    const stored = await options.store.get(options.key, signal ? { signal } : undefined);
    if (stored === undefined) {
      throw new AuthError(`google: no tokens stored under "${options.key}"; run the OAuth consent flow first`, {
        provider: GOOGLE_PROVIDER,
        operation: 'getToken',
      });
    }
    let value: unknown;
    try {
      value = JSON.parse(stored);
    } catch {
      throw new AuthError(`google: tokens stored under "${options.key}" are not valid JSON`, {
        provider: GOOGLE_PROVIDER,
        operation: 'getToken',
      });
    }
    return parseTokenSet(value);
  };

  const refresh = async (current: TokenSet, signal: AbortSignal | undefined): Promise<TokenSet> => {
    if (!current.refreshToken) {
      throw new AuthError('google: the access token expired and no refresh token is stored; run the consent flow again', {
        provider: GOOGLE_PROVIDER,
        operation: 'getToken',
      });
    }
    const next = await refreshGoogleToken({
      clientId: options.clientId,
      clientSecret: options.clientSecret,
      refreshToken: current.refreshToken,
      clock,
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(signal ? { signal } : {}),
    });
    await options.store.set(options.key, JSON.stringify(next), signal ? { signal } : undefined);
    return next;
  };

  /**
   * The refresh every concurrent caller shares. It runs on a deadline of its own, never on a
   * caller's signal: if the first caller aborted, the others' refresh failed with it and
   * nothing was stored. Each caller waits with its own signal instead.
   */
  const startRefresh = (current: TokenSet): Promise<TokenSet> => {
    const controller = new AbortController();
    const timer = new AbortController();
    clock.sleep(REFRESH_TIMEOUT_MS, timer.signal, { deadline: true }).then(
      () =>
        controller.abort(
          new TimeoutError(`google: token refresh timed out after ${REFRESH_TIMEOUT_MS} ms`, { provider: GOOGLE_PROVIDER, operation: 'getToken' }),
        ),
      () => {
        // Cancelled: the refresh settled first.
      },
    );
    const shared = refresh(current, controller.signal).finally(() => {
      timer.abort();
      refreshing = undefined;
    });
    // Every caller may have given up; the failure is theirs to see, not an unhandled rejection.
    shared.catch(() => {});
    return shared;
  };

  return {
    async getToken(callOptions) {
      const signal = callOptions?.signal;
      const current = await load(signal);
      const fresh = current.expiresAt === undefined || current.expiresAt - clock.now() > refreshBeforeMs;
      if (fresh && callOptions?.forceRefresh !== true) return current.accessToken;
      refreshing ??= startRefresh(current);
      const shared = refreshing;
      return (await (signal ? raceAbort(shared, signal) : shared)).accessToken;
    },
  };
}
