// nock fakes of Helix and Discord's REST API serving the conformance fixtures, shaped as the
// docs describe:
// - Helix: https://dev.twitch.tv/docs/api/reference/#get-users, #check-user-subscription (200 with
//   the tier, 404 when not subscribed), #get-drops-entitlements (cursor pagination) and
//   #update-drops-entitlements (one `{ status, ids }` group per outcome); every call needs
//   `Authorization: Bearer` and `Client-Id` (https://dev.twitch.tv/docs/api/#twitch-api-authentication).
// - Discord: https://discord.com/developers/docs/resources/guild#add-guild-member-role (204),
//   https://discord.com/developers/docs/resources/message#create-message (the message), and
//   https://discord.com/developers/docs/topics/rate-limits (X-RateLimit-* headers; a 429 body
//   `{ message, retry_after, global }` with X-RateLimit-Scope).
import nock from 'nock';
import type { ArcadeRecordedRequest, DiscordConformanceFixture, TwitchConformanceFixture } from '../../src/testing';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
type Reply = [number, unknown?, Record<string, string>?];

function install(origin: string, base: string, route: (request: ArcadeRecordedRequest, query: URLSearchParams) => Reply): () => readonly ArcadeRecordedRequest[] {
  const seen: ArcadeRecordedRequest[] = [];
  const scope = nock(origin).persist();
  for (const method of METHODS) {
    scope.intercept(new RegExp(`^${base}/`), method).reply(function (uri, body) {
      const url = new URL(uri, origin);
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(this.req.headers)) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
      const request: ArcadeRecordedRequest = { method, path: url.pathname.slice(base.length), headers, body: body === '' ? undefined : body };
      seen.push(request);
      const [status, payload, replyHeaders] = route(request, url.searchParams);
      return [status, payload === undefined ? '' : JSON.stringify(payload), { 'content-type': 'application/json', ...replyHeaders }];
    });
  }
  return () => seen;
}

/** Installs a fake Helix at https://api.twitch.tv/helix holding `fixture`; resolves what it received. */
export function fakeHelix(fixture: TwitchConformanceFixture, clientId: string, token: string): () => readonly ArcadeRecordedRequest[] {
  const notFound: Reply = [404, { error: 'Not Found', status: 404, message: 'not found' }];
  return install('https://api.twitch.tv', '/helix', (request, query) => {
    if (request.headers.authorization !== `Bearer ${token}` || request.headers['client-id'] !== clientId) return [401, { error: 'Unauthorized', status: 401, message: 'Invalid OAuth token' }];
    const key = `${request.method} ${request.path}`;
    if (key === 'GET /users') {
      const u = fixture.user;
      const match = query.getAll('login').includes(u.login) || query.getAll('id').includes(u.id);
      const record = { id: u.id, login: u.login, display_name: u.displayName, type: '', broadcaster_type: 'partner', description: '', profile_image_url: '', offline_image_url: '', view_count: 0, created_at: '2016-12-14T20:32:28Z' };
      return [200, { data: match ? [record] : [] }];
    }
    if (key === 'GET /subscriptions/user') {
      const s = fixture.subscription;
      if (query.get('broadcaster_id') === s.broadcasterId && query.get('user_id') === s.userId) {
        return [200, { data: [{ broadcaster_id: s.broadcasterId, broadcaster_login: 'sample', broadcaster_name: 'Sample', is_gift: false, tier: s.tier }] }];
      }
      return [404, { error: 'Not Found', status: 404, message: 'user has no subscription to broadcaster' }];
    }
    if (key === 'GET /entitlements/drops') {
      const first = Number(query.get('first') ?? '20');
      const start = Number(query.get('after') ?? '0');
      const ids = query.get('user_id') === fixture.user.id ? fixture.entitlementIds : [];
      const page = ids.slice(start, start + first).map((id) => ({ id, benefit_id: '74c52265-e214-48a6-91b9-23b6014e8041', timestamp: '2019-01-28T04:17:53.325Z', user_id: fixture.user.id, game_id: '33214', fulfillment_status: 'CLAIMED', last_updated: '2019-01-28T04:17:53.325Z' }));
      const next = start + first < ids.length ? String(start + first) : undefined;
      return [200, { data: page, pagination: next ? { cursor: next } : {} }];
    }
    if (key === 'PATCH /entitlements/drops') {
      const body = request.body as { entitlement_ids?: string[] };
      const ids = body.entitlement_ids ?? [];
      const known = ids.filter((id) => fixture.entitlementIds.includes(id));
      const unknown = ids.filter((id) => !fixture.entitlementIds.includes(id));
      return [200, { data: [{ status: 'SUCCESS', ids: known }, ...(unknown.length > 0 ? [{ status: 'NOT_FOUND', ids: unknown }] : [])] }];
    }
    return notFound;
  });
}

/** Installs a fake Discord API at https://discord.com/api/v10 holding `fixture`. */
export function fakeDiscord(fixture: DiscordConformanceFixture, token: string): () => readonly ArcadeRecordedRequest[] {
  let limited = false;
  let nextId = 1_000_000_000_000_000_000n;
  const bucket = (remaining: number) => ({ 'x-ratelimit-limit': '5', 'x-ratelimit-remaining': String(remaining), 'x-ratelimit-reset-after': '1', 'x-ratelimit-bucket': 'abcd1234' });
  return install('https://discord.com', '/api/v10', (request) => {
    if (request.headers.authorization !== `Bot ${token}`) return [401, { message: '401: Unauthorized', code: 0 }];
    const rolePath = `/guilds/${fixture.guildId}/members/${fixture.userId}/roles/${fixture.roleId}`;
    if (request.path === rolePath && (request.method === 'PUT' || request.method === 'DELETE')) return [204, undefined, bucket(4)];
    const channel = /^\/channels\/(\d+)\/messages$/.exec(request.path)?.[1];
    if (request.method === 'POST' && (channel === fixture.channelId || channel === fixture.rateLimitedChannelId)) {
      if (channel === fixture.rateLimitedChannelId && !limited) {
        limited = true;
        return [429, { message: 'You are being rate limited.', retry_after: 0.05, global: false }, { ...bucket(0), 'retry-after': '1', 'x-ratelimit-scope': 'user' }];
      }
      nextId += 1n;
      const body = request.body as Record<string, unknown>;
      return [200, { id: String(nextId), channel_id: channel, type: 0, content: body.content ?? '', embeds: body.embeds ?? [] }, bucket(4)];
    }
    return [404, { message: 'Unknown Route', code: 0 }];
  });
}
