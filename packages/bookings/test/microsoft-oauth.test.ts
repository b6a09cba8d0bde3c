import { AuthError, createEncryptedTokenStore, createManualClock, createMemoryTokenStore, createTokenVault, generateKey } from '@almanac/core';
import nock from 'nock';
import { useStrictNock } from '@almanac/core/testing';
import { describe, expect, it } from 'vitest';
import {
  createMicrosoftTokenProvider,
  exchangeMicrosoftCode,
  microsoftAuthorizationUrl,
  refreshMicrosoftToken,
  saveMicrosoftTokens,
} from '../src/adapters/microsoft';

const LOGIN = 'https://login.microsoftonline.com';
const TOKEN_PATH = '/contoso.onmicrosoft.com/oauth2/v2.0/token';
const app = { tenant: 'contoso.onmicrosoft.com', clientId: '6731de76-14a6-49ae-97bc-6eba6914391e', clientSecret: 'CANARY-client-secret-1234' };
const START = Date.parse('2026-03-01T00:00:00Z');

function tokenResponse(access: string, refresh?: string) {
  return {
    token_type: 'Bearer',
    scope: 'https://graph.microsoft.com/Calendars.ReadWrite https://graph.microsoft.com/User.Read',
    expires_in: 3599,
    ext_expires_in: 3599,
    access_token: access,
    ...(refresh ? { refresh_token: refresh } : {}),
  };
}

useStrictNock();

describe('microsoft oauth', () => {
  it('builds the authorization URL with PKCE and offline_access', () => {
    const url = new URL(
      microsoftAuthorizationUrl({
        tenant: 'common',
        clientId: app.clientId,
        redirectUri: 'https://app.example.com/callback',
        scopes: ['Calendars.ReadWrite'],
        state: 'xyz',
        codeChallenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      }),
    );
    expect(url.origin + url.pathname).toBe(`${LOGIN}/common/oauth2/v2.0/authorize`);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: app.clientId,
      response_type: 'code',
      redirect_uri: 'https://app.example.com/callback',
      response_mode: 'query',
      scope: 'Calendars.ReadWrite offline_access',
      state: 'xyz',
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      code_challenge_method: 'S256',
    });
  });

  it('exchanges a code', async () => {
    let form: URLSearchParams | undefined;
    nock(LOGIN)
      .post(TOKEN_PATH, (body) => {
        form = new URLSearchParams(body as unknown as string);
        return true;
      })
      .reply(200, tokenResponse('access-1', 'refresh-1'));
    const tokens = await exchangeMicrosoftCode({
      ...app,
      clock: createManualClock(START),
      code: 'OAAABAAAAiL9Kn2Z27UubvWFPbm0gLWQJVzCTE9UkP3pSx1aXxUjq3n8b2JRLk4OxVXr',
      redirectUri: 'https://app.example.com/callback',
      codeVerifier: 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk',
      scopes: ['Calendars.ReadWrite'],
    });
    expect(Object.fromEntries(form ?? [])).toMatchObject({
      client_id: app.clientId,
      client_secret: app.clientSecret,
      grant_type: 'authorization_code',
      redirect_uri: 'https://app.example.com/callback',
      code_verifier: 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk',
      scope: 'Calendars.ReadWrite offline_access',
    });
    expect(tokens).toEqual({
      accessToken: 'access-1',
      refreshToken: 'refresh-1',
      expiresAt: START + 3_599_000,
      tokenType: 'Bearer',
      scope: 'https://graph.microsoft.com/Calendars.ReadWrite https://graph.microsoft.com/User.Read',
    });
  });

  it('refreshes before expiry and persists the rotated refresh token in an encrypted store', async () => {
    const clock = createManualClock(START);
    const inner = createMemoryTokenStore();
    const store = createEncryptedTokenStore({ store: inner, vault: createTokenVault({ currentKeyId: 'k1', keys: { k1: generateKey() } }) });
    await saveMicrosoftTokens(store, 'user-1', { accessToken: 'access-0', refreshToken: 'refresh-0', expiresAt: START + 60_000 });
    nock(LOGIN)
      .post(TOKEN_PATH, (body) => new URLSearchParams(body as unknown as string).get('refresh_token') === 'refresh-0')
      .reply(200, tokenResponse('access-1', 'refresh-1'));
    const getToken = createMicrosoftTokenProvider({ ...app, clock, store, key: 'user-1', scopes: ['Calendars.ReadWrite'] });
    const signal = new AbortController().signal;
    // Two concurrent callers share one refresh.
    expect(await Promise.all([getToken(signal), getToken(signal)])).toEqual(['access-1', 'access-1']);
    const saved = JSON.parse((await store.get('user-1')) as string);
    expect(saved).toMatchObject({ accessToken: 'access-1', refreshToken: 'refresh-1' });
    expect(JSON.stringify(await inner.get('user-1'))).not.toContain('refresh-1');
    // Still fresh: no call.
    expect(await getToken(signal)).toBe('access-1');
    // Near expiry: refresh with the rotated token.
    clock.set(START + 3_599_000 - 60_000);
    nock(LOGIN)
      .post(TOKEN_PATH, (body) => new URLSearchParams(body as unknown as string).get('refresh_token') === 'refresh-1')
      .reply(200, tokenResponse('access-2'));
    expect(await getToken(signal)).toBe('access-2');
    // Microsoft did not rotate this time: the old refresh token is kept.
    expect(JSON.parse((await store.get('user-1')) as string)).toMatchObject({ accessToken: 'access-2', refreshToken: 'refresh-1' });
  });

  it('maps invalid_grant to AuthError without leaking the secret or refresh token (canary)', async () => {
    nock(LOGIN)
      .post(TOKEN_PATH)
      .reply(400, {
        error: 'invalid_grant',
        error_description: `AADSTS70008: The provided authorization code or refresh token has expired. Secret ${app.clientSecret} refresh CANARY-refresh-token-5678`,
        error_codes: [70008],
        timestamp: '2026-03-01 00:00:00Z',
        trace_id: '0000aaaa-11bb-cccc-dd22-eeeeee333333',
        correlation_id: 'aaaa0000-bb11-2222-33cc-444444dddddd',
      });
    const error = await refreshMicrosoftToken({ ...app, refreshToken: 'CANARY-refresh-token-5678', scopes: ['Calendars.ReadWrite'] }).catch((e: unknown) => e);
    expect(AuthError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('invalid_grant');
    expect((error as Error).message).toContain('AADSTS70008');
    for (const secret of [app.clientSecret, 'CANARY-refresh-token-5678']) {
      expect((error as Error).message).not.toContain(secret);
      expect(JSON.stringify(error)).not.toContain(secret);
    }
  });

  it('fails with AuthError when nothing is stored', async () => {
    const getToken = createMicrosoftTokenProvider({ ...app, store: createMemoryTokenStore(), key: 'nobody', scopes: ['Calendars.Read'] });
    await expect(getToken(new AbortController().signal)).rejects.toSatisfy((e) => AuthError.isInstance(e));
  });
});
