// Wire-level tests of the Discord REST client against nock fixtures shaped as
// https://discord.com/developers/docs/topics/rate-limits describes: X-RateLimit-* headers,
// 429 bodies `{ message, retry_after, global, code? }`, X-RateLimit-Scope user|global|shared.
import { createManualClock, createMemoryRateLimiter } from '@almanac/core';
import type { ManualClock } from '@almanac/core';
import { expectAlmanacError, runWithClock, useStrictNock } from '@almanac/core/testing';
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { createDiscordClient, createDiscordOAuth, createMemoryDiscordRateLimitStore, discordRoute, validateDiscordMessage } from '../src/adapters/discord';
import type { DiscordInvalidRequestWarning } from '../src/adapters/discord';

const API = 'https://discord.com';
const GUILD = '613425648685547541';
const USER = '80351110224678912';
const ROLE = '41771983423143936';
const CHANNEL = '290926798999357250';
const START = Date.parse('2026-12-03T09:00:00Z');

const bucketHeaders = (bucket: string, remaining: number, resetAfter: number) => ({
  'X-RateLimit-Limit': '5',
  'X-RateLimit-Remaining': String(remaining),
  'X-RateLimit-Reset': String(START / 1000 + resetAfter),
  'X-RateLimit-Reset-After': String(resetAfter),
  'X-RateLimit-Bucket': bucket,
});

function client(clock: ManualClock, extra: Parameters<typeof createDiscordClient>[0] extends infer O ? Partial<O> : never = {}) {
  return createDiscordClient({ token: 'bot-token-secret', clock, retry: { maxAttempts: 1 }, ...extra });
}

const drive = <T>(clock: ManualClock, work: Promise<T>) => runWithClock(clock, work, { stepMs: 50 });

describe('discordRoute', () => {
  it('keeps major parameters and hides the webhook token', () => {
    expect(discordRoute('PUT', `/api/v10/guilds/${GUILD}/members/${USER}/roles/${ROLE}`)).toEqual({ route: 'PUT /guilds/:major/members/:id/roles/:id', major: GUILD });
    const hook = discordRoute('POST', '/api/v10/webhooks/223704706495545344/3d89bb7572e0fb30d8128367b3b1b44fecd1726de135cbe28a41f8b2f777c372ba2939e72279b94526ff5d1bd4358d65cf11');
    expect(hook.route).toBe('POST /webhooks/:major/:token');
    expect(hook.major).not.toContain('3d89bb');
  });
});

describe('Discord client', () => {
  useStrictNock();

  it('adds and removes roles with an URL-encoded audit-log reason', async () => {
    const clock = createManualClock(START);
    const discord = client(clock);
    // https://discord.com/developers/docs/resources/guild#add-guild-member-role (204 No Content)
    nock(API)
      .put(`/api/v10/guilds/${GUILD}/members/${USER}/roles/${ROLE}`)
      .matchHeader('authorization', 'Bot bot-token-secret')
      .matchHeader('x-audit-log-reason', 'Reached%20Elite%20%E2%80%94%20rating%202100')
      .reply(204);
    nock(API).delete(`/api/v10/guilds/${GUILD}/members/${USER}/roles/${ROLE}`).reply(204);
    await discord.addMemberRole({ guildId: GUILD, userId: USER, roleId: ROLE, reason: 'Reached Elite — rating 2100' });
    await discord.removeMemberRole({ guildId: GUILD, userId: USER, roleId: ROLE });
    await expectAlmanacError(discord.addMemberRole({ guildId: GUILD, userId: 'me', roleId: ROLE }), { code: 'validation', field: 'userId' });
  });

  it('learns buckets from X-RateLimit-Bucket and waits for the reset when a bucket is empty', async () => {
    const clock = createManualClock(START);
    const discord = client(clock);
    const sentAt: number[] = [];
    nock(API)
      .post(`/api/v10/channels/${CHANNEL}/messages`)
      .times(2)
      .reply(function reply() {
        sentAt.push(clock.now());
        const remaining = sentAt.length === 1 ? 1 : 0;
        return [200, { id: String(sentAt.length), channel_id: CHANNEL }, bucketHeaders('abcd1234', remaining, 2)];
      });
    nock(API)
      .post(`/api/v10/channels/${CHANNEL}/messages`)
      .reply(function reply() {
        sentAt.push(clock.now());
        return [200, { id: '3', channel_id: CHANNEL }, bucketHeaders('abcd1234', 4, 2)];
      });
    for (let i = 0; i < 3; i++) await drive(clock, discord.createMessage(CHANNEL, { content: `hello ${i}` }));
    // The third call waited for the window (2 s after the second response).
    expect((sentAt[2] as number) - (sentAt[1] as number)).toBeGreaterThanOrEqual(2_000);
  });

  it('re-sends after a per-route 429 (retry_after) and counts it as an invalid request', async () => {
    const clock = createManualClock(START);
    const warnings: DiscordInvalidRequestWarning[] = [];
    const discord = client(clock, { invalidRequestWarningAt: 1, onInvalidRequestWarning: (w) => warnings.push(w) });
    nock(API)
      .post(`/api/v10/channels/${CHANNEL}/messages`)
      .reply(429, { message: 'You are being rate limited.', retry_after: 1.5, global: false }, { ...bucketHeaders('abcd1234', 0, 1.5), 'X-RateLimit-Scope': 'user', 'Retry-After': '2' });
    nock(API).post(`/api/v10/channels/${CHANNEL}/messages`).reply(200, { id: '9', channel_id: CHANNEL }, bucketHeaders('abcd1234', 4, 2));
    const started = clock.now();
    const message = await drive(clock, discord.createMessage(CHANNEL, { content: 'gg' }));
    expect(message.id).toBe('9');
    expect(clock.now() - started).toBeGreaterThanOrEqual(1_500);
    expect(warnings).toEqual([{ count: 1, limit: 10_000 }]);
  });

  it('a global 429 blocks every route until retry_after', async () => {
    const clock = createManualClock(START);
    const store = createMemoryDiscordRateLimitStore();
    const discord = client(clock, { rateLimitStore: store, max429Retries: 0 });
    nock(API)
      .put(`/api/v10/guilds/${GUILD}/members/${USER}/roles/${ROLE}`)
      .reply(429, { message: 'You are being rate limited.', retry_after: 3, global: true }, { 'X-RateLimit-Global': 'true', 'X-RateLimit-Scope': 'global', 'Retry-After': '3' });
    await expectAlmanacError(drive(clock, discord.addMemberRole({ guildId: GUILD, userId: USER, roleId: ROLE })), { code: 'rate_limited' });
    const blockedUntil = await store.globalBlockedUntil();
    // The block lasts retry_after (3 s) from when the 429 arrived.
    expect(blockedUntil).toBeGreaterThanOrEqual(START + 3_000);
    expect(blockedUntil).toBeGreaterThan(clock.now());
    // Another route waits for the same global block.
    let otherSentAt = 0;
    nock(API)
      .post(`/api/v10/channels/${CHANNEL}/messages`)
      .reply(function reply() {
        otherSentAt = clock.now();
        return [200, { id: '5', channel_id: CHANNEL }];
      });
    await drive(clock, discord.createMessage(CHANNEL, { content: 'after the block' }));
    expect(otherSentAt).toBeGreaterThanOrEqual(blockedUntil);
  });

  it('holds calls to the global limit (core RateLimiter)', async () => {
    const clock = createManualClock(START);
    const discord = client(clock, { globalPerSecond: 2 });
    const sentAt: number[] = [];
    nock(API)
      .post(`/api/v10/channels/${CHANNEL}/messages`)
      .times(3)
      .reply(function reply() {
        sentAt.push(clock.now());
        return [200, { id: String(sentAt.length), channel_id: CHANNEL }];
      });
    await drive(clock, Promise.all([0, 1, 2].map((i) => discord.createMessage(CHANNEL, { content: `m${i}` }))));
    // Two at once, the third after the bucket refilled half a second later.
    expect(sentAt).toHaveLength(3);
    expect(Math.max(...sentAt) - START).toBeGreaterThanOrEqual(500);
  });

  it('two clients sharing one rate-limit store and global limiter share the buckets', async () => {
    const clock = createManualClock(START);
    const rateLimitStore = createMemoryDiscordRateLimitStore();
    const globalLimiter = createMemoryRateLimiter({ capacity: 50, refillPerSecond: 50, clock });
    const a = client(clock, { rateLimitStore, globalLimiter });
    const b = client(clock, { rateLimitStore, globalLimiter });
    let firstAt = 0;
    nock(API)
      .post(`/api/v10/channels/${CHANNEL}/messages`)
      .reply(function reply() {
        firstAt = clock.now();
        return [200, { id: '1', channel_id: CHANNEL }, bucketHeaders('shared-bucket', 0, 2)];
      });
    let secondAt = 0;
    nock(API)
      .post(`/api/v10/channels/${CHANNEL}/messages`)
      .reply(function reply() {
        secondAt = clock.now();
        return [200, { id: '2', channel_id: CHANNEL }, bucketHeaders('shared-bucket', 4, 2)];
      });
    await drive(clock, a.createMessage(CHANNEL, { content: 'from process A' }));
    await drive(clock, b.createMessage(CHANNEL, { content: 'from process B' }));
    // B waited for the window A's response emptied (2 s from that response).
    expect(secondAt - firstAt).toBeGreaterThanOrEqual(2_000);
  });

  it('a shared-scope 429 is retried and not counted as invalid', async () => {
    const clock = createManualClock(START);
    const warnings: DiscordInvalidRequestWarning[] = [];
    const discord = client(clock, { invalidRequestWarningAt: 1, onInvalidRequestWarning: (w) => warnings.push(w) });
    nock(API).post(`/api/v10/channels/${CHANNEL}/messages`).reply(429, { message: 'The resource is being rate limited.', retry_after: 0.5, global: false }, { 'X-RateLimit-Scope': 'shared' });
    nock(API).post(`/api/v10/channels/${CHANNEL}/messages`).reply(200, { id: '1', channel_id: CHANNEL });
    expect((await drive(clock, discord.createMessage(CHANNEL, { content: 'x' }))).id).toBe('1');
    expect(warnings).toEqual([]);
  });

  it('gives up after max429Retries with a RateLimitError', async () => {
    const clock = createManualClock(START);
    const discord = client(clock, { max429Retries: 1 });
    nock(API).post(`/api/v10/channels/${CHANNEL}/messages`).times(2).reply(429, { message: 'slow down', retry_after: 0.2, global: false });
    await expectAlmanacError(drive(clock, discord.createMessage(CHANNEL, { content: 'x' })), { code: 'rate_limited', provider: 'discord' });
  });

  it('sends no mass mentions by default and validates embeds before sending', async () => {
    const clock = createManualClock(START);
    const discord = client(clock);
    nock(API).post(`/api/v10/channels/${CHANNEL}/messages`, (body) => JSON.stringify(body.allowed_mentions) === '{"parse":[]}').reply(200, { id: '1', channel_id: CHANNEL });
    await discord.createMessage(CHANNEL, { content: '@everyone gg', embeds: [{ title: 'Elite Player Unlocked!', color: 0x00ff00 }] });
    await expectAlmanacError(discord.createMessage(CHANNEL, { embeds: [{ title: 'x'.repeat(257) }] }), { code: 'validation', field: 'embeds[0].title' });
  });

  it('executes a webhook with ?wait=true and returns the message', async () => {
    const clock = createManualClock(START);
    const discord = client(clock);
    // https://discord.com/developers/docs/resources/webhook#execute-webhook
    nock(API).post('/api/v10/webhooks/223704706495545344/abcDEF_123-xyz').query({ wait: 'true' }).reply(200, { id: '1100', channel_id: CHANNEL, content: 'hi' });
    const message = await discord.executeWebhook({ webhookId: '223704706495545344', webhookToken: 'abcDEF_123-xyz', message: { content: 'hi' } });
    expect(message).toMatchObject({ id: '1100', channelId: CHANNEL });
  });

  it('sends interaction follow-ups and edits the original response with the interaction token only', async () => {
    const clock = createManualClock(START);
    const discord = client(clock);
    const app = '1093228392847564800';
    // https://discord.com/developers/docs/interactions/receiving-and-responding#create-followup-message
    nock(API)
      .post(`/api/v10/webhooks/${app}/aW50ZXJhY3Rpb24.token`, (b) => b.content === 'more' && JSON.stringify(b.allowed_mentions) === '{"parse":[]}')
      .reply(function reply() {
        // The interaction token authorises the call: the bot token is not sent.
        expect(this.req.headers.authorization).toBeUndefined();
        return [200, { id: '7', channel_id: CHANNEL }];
      });
    nock(API).patch(`/api/v10/webhooks/${app}/aW50ZXJhY3Rpb24.token/messages/@original`).reply(200, { id: '6', channel_id: CHANNEL });
    expect((await discord.createFollowupMessage({ applicationId: app, interactionToken: 'aW50ZXJhY3Rpb24.token', message: { content: 'more' } })).id).toBe('7');
    expect((await discord.editOriginalResponse({ applicationId: app, interactionToken: 'aW50ZXJhY3Rpb24.token', message: { content: 'done' } })).id).toBe('6');
    await expectAlmanacError(discord.createFollowupMessage({ applicationId: app, interactionToken: '../x', message: { content: 'x' } }), { code: 'validation', field: 'interactionToken' });
  });

  it('sets role-connection metadata and updates a user role connection with the user token', async () => {
    const clock = createManualClock(START);
    const discord = client(clock);
    const app = '1093228392847564800';
    const records = [{ type: 2 as const, key: 'rating', name: 'Rating', description: 'Glicko-2 rating at least' }];
    // https://discord.com/developers/docs/resources/application-role-connection-metadata#update-application-role-connection-metadata-records
    nock(API).put(`/api/v10/applications/${app}/role-connections/metadata`, records).matchHeader('authorization', 'Bot bot-token-secret').reply(200, records);
    expect(await discord.setRoleConnectionMetadata(app, records)).toEqual(records);
    // https://discord.com/developers/docs/resources/user#update-current-user-application-role-connection
    nock(API)
      .put(`/api/v10/users/@me/applications/${app}/role-connection`, { platform_name: 'Almanac Arcade', metadata: { rating: '2100', verified: '1' } })
      .matchHeader('authorization', 'Bearer user-access')
      .reply(200, { platform_name: 'Almanac Arcade', platform_username: null, metadata: { rating: '2100', verified: '1' } });
    const connection = await discord.updateUserRoleConnection({ applicationId: app, userAccessToken: 'user-access', connection: { platform_name: 'Almanac Arcade', metadata: { rating: 2100, verified: true } } });
    expect(connection.metadata).toEqual({ rating: '2100', verified: '1' });
    await expectAlmanacError(discord.setRoleConnectionMetadata(app, [{ ...records[0], key: 'Bad Key' } as never]), { code: 'validation', field: 'records.0.key' });
  });
});

describe('Discord OAuth2', () => {
  useStrictNock();

  it('builds the URL with state and PKCE and exchanges the code with Basic auth', async () => {
    const oauth = createDiscordOAuth({ clientId: '1093228392847564800', clientSecret: 'client-secret', redirectUri: 'https://example.com/discord/cb', clock: createManualClock(START) });
    const request = oauth.authorizationUrl({ scopes: ['identify', 'role_connections.write'] });
    const url = new URL(request.url);
    expect(url.searchParams.get('scope')).toBe('identify role_connections.write');
    expect(url.searchParams.get('state')).toBe(request.state);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(oauth.checkState(request.state, request.state)).toBe(true);
    expect(oauth.checkState(request.state, 'other')).toBe(false);
    // https://discord.com/developers/docs/topics/oauth2#authorization-code-grant-access-token-response
    nock(API)
      .post('/api/v10/oauth2/token', (b) => b.grant_type === 'authorization_code' && b.code === 'abc' && b.code_verifier === request.codeVerifier)
      .matchHeader('authorization', `Basic ${Buffer.from('1093228392847564800:client-secret').toString('base64')}`)
      .reply(200, { access_token: '6qrZcUqja7812RVdnEKjpzOL4CvHBFG', token_type: 'Bearer', expires_in: 604800, refresh_token: 'D43f5y0ahjqew82jZ4NViEr2YafMKhue', scope: 'identify role_connections.write' });
    const tokens = await oauth.exchangeCode({ code: 'abc', codeVerifier: request.codeVerifier });
    expect(tokens).toMatchObject({ accessToken: '6qrZcUqja7812RVdnEKjpzOL4CvHBFG', refreshToken: 'D43f5y0ahjqew82jZ4NViEr2YafMKhue', expiresAt: START + 604_800_000 });
  });
});

describe('validateDiscordMessage', () => {
  it('enforces the documented limits, naming each field', () => {
    const field = { name: 'n', value: 'v' };
    expect(() => validateDiscordMessage({ embeds: Array.from({ length: 11 }, () => ({ title: 't' })) })).toThrow(/embeds/);
    expect(() => validateDiscordMessage({ embeds: [{ fields: Array.from({ length: 26 }, () => field) }] })).toThrow(/embeds\[0\]\.fields/);
    expect(() => validateDiscordMessage({ embeds: [{ description: 'd'.repeat(4097) }] })).toThrow(/embeds\[0\]\.description/);
    // 6,000 characters across all embeds: two 3,001-character descriptions are each fine, together too long.
    expect(() => validateDiscordMessage({ embeds: [{ description: 'a'.repeat(3001) }, { description: 'b'.repeat(3000) }] })).toThrow(/6000/);
    expect(() => validateDiscordMessage({ embeds: [{ description: 'a'.repeat(3000) }, { description: 'b'.repeat(3000) }] })).not.toThrow();
    expect(() => validateDiscordMessage({ content: 'c'.repeat(2001) })).toThrow(/content/);
  });
});
