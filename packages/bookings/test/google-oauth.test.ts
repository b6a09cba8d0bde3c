import { AuthError, createEncryptedTokenStore, createManualClock, createMemoryTokenStore, createTokenVault, generateKey } from '@almanac/core';
import nock from 'nock';
import { useStrictNock } from '@almanac/core/testing';
import { describe, expect, it } from 'vitest';
import {
  createGoogleMessageNumberGuard,
  createGoogleTokenProvider,
  exchangeGoogleCode,
  googleAuthorizationUrl,
  handleGoogleNotification,
  refreshGoogleToken,
} from '../src/adapters/google';
import type { WatchChannel } from '../src/spec';

const CLIENT_SECRET = 'GOCSPX-canary-client-secret-7f3a';
const REFRESH_CANARY = '1//0g-canary-refresh-token-91b2';

useStrictNock();

describe('google OAuth helpers', () => {
  it('builds a consent URL with offline access, consent prompt and PKCE', () => {
    const url = new URL(
      googleAuthorizationUrl({
        clientId: 'client-1.apps.googleusercontent.com',
        redirectUri: 'https://app.example.com/oauth/google',
        scopes: ['https://www.googleapis.com/auth/calendar.events', 'https://www.googleapis.com/auth/calendar.readonly'],
        state: 'csrf-123',
        codeChallenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      }),
    );
    expect(url.origin + url.pathname).toBe('https://accounts.google.com/o/oauth2/v2/auth');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: 'client-1.apps.googleusercontent.com',
      redirect_uri: 'https://app.example.com/oauth/google',
      response_type: 'code',
      scope: 'https://www.googleapis.com/auth/calendar.events https://www.googleapis.com/auth/calendar.readonly',
      state: 'csrf-123',
      access_type: 'offline',
      prompt: 'consent',
      include_granted_scopes: 'true',
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      code_challenge_method: 'S256',
    });
  });

  it('names every invalid field', () => {
    expect(() => googleAuthorizationUrl({ clientId: '', redirectUri: 'nope', scopes: [], state: 's' })).toThrow(
      /clientId.*redirectUri.*scopes/,
    );
  });

  it('exchanges a code for tokens', async () => {
    const clock = createManualClock(1_000_000);
    nock('https://oauth2.googleapis.com')
      .post('/token', {
        grant_type: 'authorization_code',
        code: '4/0Ab-code',
        client_id: 'client-1',
        client_secret: CLIENT_SECRET,
        redirect_uri: 'https://app.example.com/cb',
        code_verifier: 'verifier-1',
      })
      .reply(200, {
        access_token: 'ya29.access-1',
        expires_in: 3599,
        refresh_token: REFRESH_CANARY,
        scope: 'https://www.googleapis.com/auth/calendar.events',
        token_type: 'Bearer',
        id_token: 'eyJ...',
      });
    const tokens = await exchangeGoogleCode({
      clientId: 'client-1',
      clientSecret: CLIENT_SECRET,
      code: '4/0Ab-code',
      redirectUri: 'https://app.example.com/cb',
      codeVerifier: 'verifier-1',
      clock,
    });
    expect(tokens).toEqual({
      accessToken: 'ya29.access-1',
      refreshToken: REFRESH_CANARY,
      expiresAt: 1_000_000 + 3_599_000,
      tokenType: 'Bearer',
      scope: 'https://www.googleapis.com/auth/calendar.events',
    });
  });

  it('keeps secrets out of errors (canary)', async () => {
    nock('https://oauth2.googleapis.com')
      .post('/token')
      .reply(400, { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' });
    const error = await refreshGoogleToken({ clientId: 'c', clientSecret: CLIENT_SECRET, refreshToken: REFRESH_CANARY }).catch(
      (caught: unknown) => caught,
    );
    expect(AuthError.isInstance(error)).toBe(true);
    const text = `${String(error)} ${JSON.stringify(error)} ${(error as Error).stack}`;
    expect(text).toContain('invalid_grant');
    expect(text).not.toContain(CLIENT_SECRET);
    expect(text).not.toContain(REFRESH_CANARY);
  });

  it('token provider refreshes before expiry, persists a rotated refresh token and keeps the old one otherwise', async () => {
    const clock = createManualClock(10_000_000);
    const inner = createMemoryTokenStore();
    const store = createEncryptedTokenStore({ store: inner, vault: createTokenVault({ currentKeyId: 'k1', keys: { k1: generateKey() } }) });
    await store.set('user-1', JSON.stringify({ accessToken: 'old-access', refreshToken: 'refresh-1', expiresAt: 10_000_000 + 120_000 }));
    const tokens = createGoogleTokenProvider({ store, key: 'user-1', clientId: 'c', clientSecret: CLIENT_SECRET, clock });

    expect(await tokens.getToken()).toBe('old-access');

    nock('https://oauth2.googleapis.com')
      .post('/token', { grant_type: 'refresh_token', refresh_token: 'refresh-1', client_id: 'c', client_secret: CLIENT_SECRET })
      .reply(200, { access_token: 'access-2', expires_in: 3599, scope: 's', token_type: 'Bearer' })
      .post('/token', { grant_type: 'refresh_token', refresh_token: 'refresh-1', client_id: 'c', client_secret: CLIENT_SECRET })
      .reply(200, { access_token: 'access-3', expires_in: 3599, refresh_token: 'refresh-2', token_type: 'Bearer' });

    await clock.advance(61_000);
    // Concurrent callers share one refresh.
    expect(await Promise.all([tokens.getToken(), tokens.getToken()])).toEqual(['access-2', 'access-2']);
    expect(JSON.parse((await store.get('user-1')) ?? '{}')).toMatchObject({ accessToken: 'access-2', refreshToken: 'refresh-1' });

    expect(await tokens.getToken({ forceRefresh: true })).toBe('access-3');
    expect(JSON.parse((await store.get('user-1')) ?? '{}')).toMatchObject({ accessToken: 'access-3', refreshToken: 'refresh-2' });
    // Only ciphertext reaches the inner store.
    expect(await inner.get('user-1')).not.toContain('refresh-2');
  });
});

describe('handleGoogleNotification', () => {
  const channel: WatchChannel = {
    id: 'chan-1',
    resourceId: 'res-1',
    calendarId: 'primary',
    expiresAt: new Date('2026-03-20T00:00:00Z'),
    address: 'https://hooks.example.com/google',
  };
  const headers = (overrides: Record<string, string> = {}) => ({
    'x-goog-channel-id': 'chan-1',
    'x-goog-channel-token': 'channel-secret',
    'x-goog-channel-expiration': 'Fri, 20 Mar 2026 00:00:00 GMT',
    'x-goog-resource-id': 'res-1',
    'x-goog-resource-uri': 'https://www.googleapis.com/calendar/v3/calendars/primary/events?alt=json',
    'x-goog-resource-state': 'exists',
    'x-goog-message-number': '2',
    ...overrides,
  });

  it('answers 401 on a bad token, ignores the sync handshake, syncs once and rejects replays', async () => {
    const synced: Array<string | undefined> = [];
    const replayGuard = createGoogleMessageNumberGuard();
    const handle = (h: Record<string, string> | Headers) =>
      handleGoogleNotification({
        headers: h,
        expectedToken: 'channel-secret',
        channels: [channel],
        replayGuard,
        onSync: (calendarId) => {
          synced.push(calendarId);
        },
      });
    expect(await handle(headers({ 'x-goog-channel-token': 'channel-secreT' }))).toEqual({ status: 401, outcome: 'bad_token' });
    expect(await handle(headers({ 'x-goog-channel-token': 'short' }))).toEqual({ status: 401, outcome: 'bad_token' });
    expect(await handle(headers({ 'x-goog-resource-state': 'sync', 'x-goog-message-number': '1' }))).toEqual({
      status: 200,
      outcome: 'handshake',
    });
    expect(await handle(new Headers(headers()))).toEqual({ status: 200, outcome: 'synced' });
    expect(await handle(headers())).toEqual({ status: 200, outcome: 'replay' });
    expect(await handle(headers({ 'x-goog-message-number': '1' }))).toEqual({ status: 200, outcome: 'replay' });
    expect(await handle(headers({ 'x-goog-channel-id': 'chan-x' }))).toEqual({ status: 404, outcome: 'unknown_channel' });
    expect(await handle(headers({ 'x-goog-resource-id': 'res-other', 'x-goog-message-number': '9' }))).toEqual({
      status: 404,
      outcome: 'unknown_channel',
    });
    expect(await handle(headers({ 'x-goog-message-number': '3' }))).toEqual({ status: 200, outcome: 'synced' });
    expect(synced).toEqual(['primary', 'primary']);
  });

  it('releases the message number when onSync fails so the redelivery is processed', async () => {
    const replayGuard = createGoogleMessageNumberGuard();
    let fail = true;
    const handle = () =>
      handleGoogleNotification({
        headers: headers({ 'x-goog-message-number': '5' }),
        expectedToken: 'channel-secret',
        replayGuard,
        onSync: () => {
          if (fail) throw new Error('db down');
        },
      });
    await expect(handle()).rejects.toThrow('db down');
    fail = false;
    expect(await handle()).toEqual({ status: 200, outcome: 'synced' });
  });
});

// Issue #13 items 10 and 14.
describe('google hardening', () => {
  it('keeps a shared token refresh going when the caller who started it aborts (item 10)', async () => {
    const clock = createManualClock(10_000_000);
    const store = createMemoryTokenStore();
    await store.set('user-1', JSON.stringify({ accessToken: 'old-access', refreshToken: 'refresh-1', expiresAt: 10_000_000 + 30_000 }));
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    const seenSignals: Array<AbortSignal | undefined> = [];
    const fetch = async (_input: string, init: RequestInit) => {
      seenSignals.push(init.signal ?? undefined);
      await released;
      if (init.signal?.aborted) throw init.signal.reason;
      return new Response(JSON.stringify({ access_token: 'access-2', expires_in: 3599, token_type: 'Bearer' }), {
        status: 200,
        headers: { 'content-type': 'application/json' },
      });
    };
    const tokens = createGoogleTokenProvider({ store, key: 'user-1', clientId: 'c', clientSecret: CLIENT_SECRET, clock, fetch });
    const callerA = new AbortController();
    const first = tokens.getToken({ signal: callerA.signal });
    const second = tokens.getToken();
    await new Promise((resolve) => setTimeout(resolve, 10));
    // The shared refresh's 30 s timeout is a deadline on the request in flight, not a wait.
    expect(clock.nextDueAt('deadline')).toBe(10_000_000 + 30_000);
    callerA.abort();
    await expect(first).rejects.toMatchObject({ code: 'aborted' });
    release();
    expect(await second).toBe('access-2');
    expect(JSON.parse((await store.get('user-1')) ?? '{}')).toMatchObject({ accessToken: 'access-2', refreshToken: 'refresh-1' });
    // One refresh for both, and not on caller A's signal.
    expect(seenSignals).toHaveLength(1);
    expect(seenSignals[0]).not.toBe(callerA.signal);
    expect(seenSignals[0]?.aborted).toBe(false);
  });

  it('refuses an empty expectedToken instead of matching an empty header (item 14)', async () => {
    const options = {
      headers: {
        'x-goog-channel-id': 'chan-1',
        'x-goog-channel-token': '',
        'x-goog-resource-id': 'res-1',
        'x-goog-resource-state': 'exists',
        'x-goog-message-number': '2',
      },
      expectedToken: '',
      replayGuard: createGoogleMessageNumberGuard(),
      onSync: () => {
        throw new Error('must not sync');
      },
    };
    await expect(handleGoogleNotification(options)).rejects.toMatchObject({ code: 'validation', issues: [expect.objectContaining({ path: 'expectedToken' })] });
    // And an empty header never matches a real token.
    expect(await handleGoogleNotification({ ...options, expectedToken: 'channel-secret' })).toEqual({ status: 401, outcome: 'bad_token' });
  });
});
