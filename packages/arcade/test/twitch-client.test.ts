// Wire-level tests of the Twitch auth and Helix client against nock fixtures shaped as
// https://dev.twitch.tv/docs/api/reference/ and https://dev.twitch.tv/docs/authentication/ describe.
import { createManualClock, createMemoryTokenStore } from '@almanac/core';
import { expectAlmanacError, useStrictNock } from '@almanac/core/testing';
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { createTwitchAppAuth, createTwitchClient, createTwitchOAuth } from '../src/adapters/twitch';

const ID = 'https://id.twitch.tv';
const API = 'https://api.twitch.tv';
const CLIENT_ID = 'hof5gwx0su6owfnys0yan9c87zr6t';
const CLIENT_SECRET = '41vpdji4e9gif29md0ouet6fktd2';

function appClient(clock = createManualClock(Date.parse('2026-12-03T09:00:00Z'))) {
  const auth = createTwitchAppAuth({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, clock });
  return { clock, auth, client: createTwitchClient({ clientId: CLIENT_ID, auth, clock, retry: { maxAttempts: 1 } }) };
}

// https://dev.twitch.tv/docs/authentication/getting-tokens-oauth/#client-credentials-grant-flow
const appToken = (token: string, expiresIn = 5011271) => nock(ID).post('/oauth2/token', (body) => body.grant_type === 'client_credentials' && body.client_secret === CLIENT_SECRET).reply(200, { access_token: token, expires_in: expiresIn, token_type: 'bearer' });

describe('Twitch app auth', () => {
  useStrictNock();

  it('requests once, reuses the token, re-requests before expiry and validates hourly', async () => {
    const { auth, clock } = appClient();
    const signal = new AbortController().signal;
    appToken('tok-1', 3600);
    expect(await auth.getToken({ forceRefresh: false, signal })).toBe('tok-1');
    expect(await auth.getToken({ forceRefresh: false, signal })).toBe('tok-1');
    // 56 minutes later the token expires within the 5-minute margin: a new one is requested.
    await clock.advance(56 * 60_000);
    appToken('tok-2', 5_000_000);
    expect(await auth.getToken({ forceRefresh: false, signal })).toBe('tok-2');
    // An hour after that it is validated (https://dev.twitch.tv/docs/authentication/validate-tokens/).
    await clock.advance(61 * 60_000);
    nock(ID).get('/oauth2/validate').matchHeader('authorization', 'OAuth tok-2').reply(200, { client_id: CLIENT_ID, scopes: [], expires_in: 4_000_000 });
    expect(await auth.getToken({ forceRefresh: false, signal })).toBe('tok-2');
    // A failed validation (401) leads to a new token.
    await clock.advance(61 * 60_000);
    nock(ID).get('/oauth2/validate').reply(401, { status: 401, message: 'invalid access token' });
    appToken('tok-3');
    expect(await auth.getToken({ forceRefresh: false, signal })).toBe('tok-3');
  });

  it('coalesces concurrent token requests into one', async () => {
    const { auth } = appClient();
    const signal = new AbortController().signal;
    appToken('only-once');
    const tokens = await Promise.all([1, 2, 3].map(() => auth.getToken({ forceRefresh: false, signal })));
    expect(tokens).toEqual(['only-once', 'only-once', 'only-once']);
  });
});

describe('Twitch user OAuth', () => {
  useStrictNock();

  // https://dev.twitch.tv/docs/authentication/getting-tokens-oauth/#authorization-code-grant-flow
  // documents no PKCE (code_challenge/code_verifier), so none is sent or claimed.
  it('builds an authorization URL with state and no PKCE parameters', () => {
    const oauth = createTwitchOAuth({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUri: 'https://example.com/cb' });
    const request = oauth.authorizationUrl({ scopes: ['user:read:subscriptions', 'user:read:email'] });
    const url = new URL(request.url);
    expect(url.origin + url.pathname).toBe('https://id.twitch.tv/oauth2/authorize');
    expect(url.searchParams.get('response_type')).toBe('code');
    expect(url.searchParams.get('scope')).toBe('user:read:subscriptions user:read:email');
    expect(url.searchParams.get('state')).toBe(request.state);
    expect(url.searchParams.get('client_id')).toBe(CLIENT_ID);
    expect(url.searchParams.get('redirect_uri')).toBe('https://example.com/cb');
    expect(url.searchParams.has('code_challenge')).toBe(false);
    expect(url.searchParams.has('code_challenge_method')).toBe(false);
    expect(Object.keys(request).sort()).toEqual(['state', 'url']);
    expect(request.state).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(url.search).not.toContain(CLIENT_SECRET);
    expect(oauth.checkState(request.state, request.state)).toBe(true);
    expect(oauth.checkState(request.state, `${request.state.slice(0, -1)}x`)).toBe(false);
    expect(oauth.checkState(request.state, null)).toBe(false);
    expect(oauth.authorizationUrl({ scopes: [] }).state).not.toBe(request.state);
  });

  it('exchanges a code, then refreshes reactively on 401 and stores the rotated refresh token', async () => {
    const clock = createManualClock(Date.parse('2026-12-03T09:00:00Z'));
    const oauth = createTwitchOAuth({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUri: 'https://example.com/cb', clock });
    nock(ID)
      // The confidential-client exchange: client id and secret, code, redirect URI; no code_verifier.
      .post('/oauth2/token', (b) => b.grant_type === 'authorization_code' && b.code === 'code-1' && b.client_id === CLIENT_ID && b.client_secret === CLIENT_SECRET && b.redirect_uri === 'https://example.com/cb' && !('code_verifier' in b))
      .reply(200, { access_token: 'user-1', expires_in: 14_000, refresh_token: 'refresh-1', scope: ['user:read:subscriptions'], token_type: 'bearer' });
    const tokens = await oauth.exchangeCode({ code: 'code-1' });
    expect(tokens).toMatchObject({ accessToken: 'user-1', refreshToken: 'refresh-1', scope: 'user:read:subscriptions' });
    const store = createMemoryTokenStore();
    await store.set('twitch:42', JSON.stringify(tokens));
    const userAuth = oauth.userAuth({ store, key: 'twitch:42' });
    const client = createTwitchClient({ clientId: CLIENT_ID, auth: userAuth, clock, retry: { maxAttempts: 1 } });

    // https://dev.twitch.tv/docs/api/reference/#check-user-subscription
    nock(API).get('/helix/subscriptions/user').query({ broadcaster_id: '149747285', user_id: '42' }).matchHeader('authorization', 'Bearer user-1').reply(401, { error: 'Unauthorized', status: 401, message: 'Invalid OAuth token' });
    nock(ID).post('/oauth2/token', (b) => b.grant_type === 'refresh_token' && b.refresh_token === 'refresh-1').reply(200, { access_token: 'user-2', refresh_token: 'refresh-2', expires_in: 14_000, scope: ['user:read:subscriptions'], token_type: 'bearer' });
    nock(API)
      .get('/helix/subscriptions/user')
      .query({ broadcaster_id: '149747285', user_id: '42' })
      .matchHeader('authorization', 'Bearer user-2')
      .matchHeader('client-id', CLIENT_ID)
      .reply(200, { data: [{ broadcaster_id: '149747285', broadcaster_name: 'TwitchPresents', broadcaster_login: 'twitchpresents', is_gift: false, tier: '1000' }] });
    expect(await client.checkUserSubscription({ broadcasterId: '149747285', userId: '42' })).toEqual({ subscribed: true, tier: '1000', isGift: false });
    expect(JSON.parse((await store.get('twitch:42')) as string)).toMatchObject({ accessToken: 'user-2', refreshToken: 'refresh-2' });
  });

  it('a refused refresh is an AuthError that names no token', async () => {
    const oauth = createTwitchOAuth({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUri: 'https://example.com/cb' });
    nock(ID).post('/oauth2/token').reply(400, { status: 400, message: 'Invalid refresh token' });
    const error = await expectAlmanacError(oauth.refresh('secret-refresh-token'), { code: 'validation' });
    expect(error.message).not.toContain('secret-refresh-token');
  });
});

describe('Helix client', () => {
  useStrictNock();

  it('reads users and streams', async () => {
    const { client } = appClient();
    appToken('app');
    // https://dev.twitch.tv/docs/api/reference/#get-users
    nock(API)
      .get('/helix/users')
      .query({ id: '141981764', login: 'twitchdev' })
      .reply(200, { data: [{ id: '141981764', login: 'twitchdev', display_name: 'TwitchDev', type: '', broadcaster_type: 'partner', description: 'Supporting third-party developers', profile_image_url: 'https://static-cdn.jtvnw.net/x.png', offline_image_url: '', view_count: 5980557, created_at: '2016-12-14T20:32:28Z' }] });
    const users = await client.getUsers({ ids: ['141981764'], logins: ['twitchdev'] });
    expect(users[0]).toMatchObject({ id: '141981764', displayName: 'TwitchDev', broadcasterType: 'partner' });
    // https://dev.twitch.tv/docs/api/reference/#get-streams
    nock(API)
      .get('/helix/streams')
      .query({ user_login: 'afro', first: '20' })
      .reply(200, { data: [{ id: '40952121085', user_id: '101051819', user_login: 'afro', user_name: 'Afro', game_id: '32982', game_name: 'Grand Theft Auto V', type: 'live', title: 'Jacob: Digital Den Laptops & Routers', viewer_count: 1490, started_at: '2021-03-10T03:18:11Z', language: 'en', thumbnail_url: 'x', tags: ['English'], is_mature: false }], pagination: { cursor: 'eyJiIjp7IkN1cnNvciI6ImV5SnpJam8zT0RNMk5TNDBORFF4TlRjMU1UY3hOU3dpWkNJNlptRnNjMlVzSW5RaU9uUnlkV1Y5In0sImEiOnsiQ3Vyc29yIjoiZXlKeklqb3hOVGs0TkRrM0xqVXpOalk0TURjek16WTBOeXdpWkNJNlptRnNjMlVzSW5RaU9uUnlkV1Y5In19' } });
    const page = await client.getStreams({ userLogins: ['afro'] });
    expect(page.data[0]).toMatchObject({ userLogin: 'afro', viewerCount: 1490, gameName: 'Grand Theft Auto V' });
    expect(page.cursor).toMatch(/^eyJ/);
  });

  it('a 404 from the subscription check means not subscribed', async () => {
    const { client } = appClient();
    appToken('app');
    nock(API).get('/helix/subscriptions/user').query(true).reply(404, { error: 'Not Found', status: 404, message: 'twitchdev has no subscription to twitchpresents' });
    expect(await client.checkUserSubscription({ broadcasterId: '1', userId: '2' })).toEqual({ subscribed: false });
  });

  it('creates, lists and deletes EventSub subscriptions with cost accounting', async () => {
    const { client } = appClient();
    appToken('app');
    // https://dev.twitch.tv/docs/api/reference/#create-eventsub-subscription (202 Accepted)
    nock(API)
      .post('/helix/eventsub/subscriptions', { type: 'stream.online', version: '1', condition: { broadcaster_user_id: '1337' }, transport: { method: 'webhook', callback: 'https://example.com/webhooks/callback', secret: 's3cre77890ab' } })
      .reply(202, { data: [{ id: '26b1c993-bfcf-44d9-b876-379dacafe75a', status: 'webhook_callback_verification_pending', type: 'stream.online', version: '1', condition: { broadcaster_user_id: '1337' }, created_at: '2026-12-03T09:00:00.000Z', transport: { method: 'webhook', callback: 'https://example.com/webhooks/callback' }, cost: 1 }], total: 1, total_cost: 1, max_total_cost: 10000 });
    const created = await client.createEventSubSubscription({ type: 'stream.online', version: '1', condition: { broadcaster_user_id: '1337' }, callback: 'https://example.com/webhooks/callback', secret: 's3cre77890ab' });
    expect(created.status).toBe('webhook_callback_verification_pending');
    expect(client.eventSubCost()).toEqual({ total: 1, totalCost: 1, maxTotalCost: 10000 });
    // https://dev.twitch.tv/docs/api/reference/#get-eventsub-subscriptions
    nock(API).get('/helix/eventsub/subscriptions').query({ status: 'enabled' }).reply(200, { total: 2, data: [created, { ...created, id: 'b' }], total_cost: 2, max_total_cost: 10000, pagination: {} });
    const listed = await client.listEventSubSubscriptions({ status: 'enabled' });
    expect(listed.data).toHaveLength(2);
    expect(listed.cursor).toBeUndefined();
    expect(client.eventSubCost()?.totalCost).toBe(2);
    // https://dev.twitch.tv/docs/api/reference/#delete-eventsub-subscription (204; 404 when missing)
    nock(API).delete('/helix/eventsub/subscriptions').query({ id: 'b' }).reply(204);
    nock(API).delete('/helix/eventsub/subscriptions').query({ id: 'gone' }).reply(404, { error: 'Not Found', status: 404, message: 'subscription not found' });
    await client.deleteEventSubSubscription('b');
    await client.deleteEventSubSubscription('gone');
    await expectAlmanacError(client.createEventSubSubscription({ type: 'stream.online', version: '1', condition: {}, callback: 'http://example.com/cb', secret: 's3cre77890ab' }), { code: 'validation', field: 'callback' });
  });

  it('pages Drops entitlements and reports fulfillment per id (partial failures)', async () => {
    const { client } = appClient();
    appToken('app');
    // https://dev.twitch.tv/docs/api/reference/#get-drops-entitlements
    const entitlement = (id: string) => ({ id, benefit_id: '74c52265-e214-48a6-91b9-23b6014e8041', timestamp: '2019-01-28T04:17:53.325Z', user_id: '25009227', game_id: '33214', fulfillment_status: 'CLAIMED', last_updated: '2019-01-28T04:17:53.325Z' });
    nock(API).get('/helix/entitlements/drops').query({ user_id: '25009227', first: '2' }).reply(200, { data: [entitlement('e1'), entitlement('e2')], pagination: { cursor: 'c1' } });
    nock(API).get('/helix/entitlements/drops').query({ user_id: '25009227', first: '2', after: 'c1' }).reply(200, { data: [entitlement('e3')], pagination: {} });
    const ids: string[] = [];
    for await (const e of client.iterateDropsEntitlements({ userId: '25009227', first: 2 })) ids.push(e.id);
    expect(ids).toEqual(['e1', 'e2', 'e3']);
    // https://dev.twitch.tv/docs/api/reference/#update-drops-entitlements: one status group per outcome.
    nock(API)
      .patch('/helix/entitlements/drops', { fulfillment_status: 'FULFILLED', entitlement_ids: ['e1', 'e2', 'e3', 'e4'] })
      .reply(200, { data: [{ status: 'SUCCESS', ids: ['e1', 'e2'] }, { status: 'UNAUTHORIZED', ids: ['e3'] }] });
    const result = await client.updateDropsEntitlements({ ids: ['e1', 'e2', 'e3', 'e4'], status: 'FULFILLED' });
    expect(result.succeeded).toEqual(['e1', 'e2']);
    // e4 was not reported at all: it is not assumed updated.
    expect(result.failed).toEqual([
      { id: 'e3', status: 'UNAUTHORIZED' },
      { id: 'e4', status: 'UPDATE_FAILED' },
    ]);
  });

  it('waits for Ratelimit-Reset when the bucket is empty, and retries a 429 after the reset', async () => {
    const { client, clock } = appClient();
    appToken('app');
    const resetSeconds = Math.floor(clock.now() / 1000) + 3;
    // https://dev.twitch.tv/docs/api/guide/#twitch-rate-limits
    nock(API).get('/helix/users').query(true).reply(200, { data: [] }, { 'Ratelimit-Limit': '800', 'Ratelimit-Remaining': '0', 'Ratelimit-Reset': String(resetSeconds) });
    await client.getUsers({ ids: ['1'] });
    expect(client.rateLimit()).toEqual({ limit: 800, remaining: 0, resetAt: resetSeconds * 1000 });
    nock(API).get('/helix/users').query(true).reply(429, { error: 'Too Many Requests', status: 429, message: '' }, { 'Ratelimit-Limit': '800', 'Ratelimit-Remaining': '0', 'Ratelimit-Reset': String(resetSeconds + 3) });
    nock(API).get('/helix/users').query(true).reply(200, { data: [{ id: '1', login: 'a' }] }, { 'Ratelimit-Limit': '800', 'Ratelimit-Remaining': '799', 'Ratelimit-Reset': String(resetSeconds + 60) });
    let settled = false;
    const pending = client.getUsers({ ids: ['1'] }).then((users) => {
      settled = true;
      return users;
    });
    // Not sent before the first reset; then the 429 waits for the second reset.
    await clock.advance(2_000);
    expect(settled).toBe(false);
    await clock.advance(1_000);
    await clock.advance(3_000);
    expect((await pending)[0]?.id).toBe('1');
    expect(client.rateLimit()?.remaining).toBe(799);
  });
});
