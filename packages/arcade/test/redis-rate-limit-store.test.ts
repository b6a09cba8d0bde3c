// The Redis-backed Discord rate-limit store on a real redis-server (Debian package
// redis-server): atomic reservations across store instances, the shared global block and
// invalid-request count, and two Discord clients (separate connections, one prefix) sharing a
// bucket learned from X-RateLimit-Bucket, as https://discord.com/developers/docs/topics/rate-limits
// describes (X-RateLimit-Remaining / -Reset-After per bucket, shared by every caller of the token).
import { createManualClock } from '@almanac/core';
import { createRedisClient } from '@almanac/core/redis';
import type { RedisConnection } from '@almanac/core/redis';
import { expectAlmanacError, useStrictNock } from '@almanac/core/testing';
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { redisServerStatus, startRedisServer } from '../../../tests/support/redis-server';
import type { RedisServer } from '../../../tests/support/redis-server';
import { createDiscordClient, createRedisDiscordRateLimitStore } from '../src/adapters/discord';
import type { DiscordRateLimitStore } from '../src/adapters/discord';

const status = redisServerStatus();
const title = status.available ? 'Discord rate-limit store on Redis (real redis-server)' : `Discord rate-limit store on Redis: ${status.reason}`;
const START = Date.parse('2026-12-03T09:00:00Z');
const CHANNEL = '290926798999357250';

let server: RedisServer;
let first: RedisConnection;
let second: RedisConnection;
let namespace = 0;
const prefix = () => `arcade-test${++namespace}:`;

describe.skipIf(!status.available)(title, () => {
  beforeAll(async () => {
    server = await startRedisServer();
    first = await createRedisClient({ url: server.url });
    second = await createRedisClient({ url: server.url });
  }, 60_000);

  afterAll(async () => {
    await first?.close();
    await second?.close();
    await server?.close();
  });

  it('reserves atomically across stores: of 30 concurrent calls on 5 remaining, exactly 5 go', async () => {
    const p = prefix();
    const a = createRedisDiscordRateLimitStore({ client: first, prefix: p });
    const b = createRedisDiscordRateLimitStore({ client: second, prefix: p });
    expect(await a.reserve('bucket-x:1', START)).toBe(0); // unknown key: may always go
    await a.update('bucket-x:1', { remaining: 5, resetAt: START + 2_000 });
    const waits = await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 === 0 ? a : b).reserve('bucket-x:1', START + 500)));
    expect(waits.filter((w) => w === 0)).toHaveLength(5);
    expect(waits.filter((w) => w === 1_500)).toHaveLength(25);
    // After the reset the window is gone and calls go again.
    expect(await b.reserve('bucket-x:1', START + 2_000)).toBe(0);
  });

  it('shares bucket hashes, the global block (only ever extended) and the invalid-request window', async () => {
    const p = prefix();
    const a = createRedisDiscordRateLimitStore({ client: first, prefix: p });
    const b = createRedisDiscordRateLimitStore({ client: second, prefix: p });
    expect(await b.bucketFor('POST /channels/:major/messages')).toBeUndefined();
    await a.rememberBucket('POST /channels/:major/messages', 'abcd1234');
    expect(await b.bucketFor('POST /channels/:major/messages')).toBe('abcd1234');
    expect(await b.globalBlockedUntil()).toBe(0);
    await a.blockGlobally(START + 5_000);
    await b.blockGlobally(START + 1_000);
    expect(await b.globalBlockedUntil()).toBe(START + 5_000);
    expect(await a.countInvalid(START)).toBe(1);
    expect(await b.countInvalid(START + 1)).toBe(2);
    // A new 10-minute window starts the count again.
    expect(await a.countInvalid(START + 10 * 60_000)).toBe(1);
    // Another prefix is another bot: nothing shared.
    expect(await createRedisDiscordRateLimitStore({ client: first, prefix: prefix() }).bucketFor('POST /channels/:major/messages')).toBeUndefined();
  });

  describe('two clients', () => {
    useStrictNock();

    it('share one bucket: the second waits for the reset the first one learned', async () => {
      const p = prefix();
      const clock = createManualClock(START);
      const waits: number[] = [];
      const recording = (store: DiscordRateLimitStore): DiscordRateLimitStore => ({
        ...store,
        reserve: async (key, now) => {
          const wait = await store.reserve(key, now);
          waits.push(wait);
          return wait;
        },
      });
      const one = createDiscordClient({ token: 'bot', clock, rateLimitStore: createRedisDiscordRateLimitStore({ client: first, prefix: p }) });
      const two = createDiscordClient({ token: 'bot', clock, rateLimitStore: recording(createRedisDiscordRateLimitStore({ client: second, prefix: p })) });
      const headers = (remaining: number) => ({ 'X-RateLimit-Limit': '5', 'X-RateLimit-Remaining': String(remaining), 'X-RateLimit-Reset-After': '2.5', 'X-RateLimit-Bucket': 'abcd1234' });
      const message = (id: string) => ({ id, channel_id: CHANNEL, content: 'hi' });
      nock('https://discord.com').post(`/api/v10/channels/${CHANNEL}/messages`).reply(200, message('1'), headers(0));
      await one.createMessage(CHANNEL, { content: 'hi' });
      const sent = nock('https://discord.com').post(`/api/v10/channels/${CHANNEL}/messages`).reply(200, message('2'), headers(4));
      const pending = two.createMessage(CHANNEL, { content: 'hi' });
      // The other client's store answered "wait until the reset", so nothing was sent yet.
      await vi.waitFor(() => expect(waits.some((w) => w > 0)).toBe(true), { timeout: 10_000 });
      expect(waits.find((w) => w > 0)).toBe(2_500);
      expect(sent.isDone()).toBe(false);
      await clock.advance(2_500);
      expect((await pending).id).toBe('2');
    });
  });

  it('a Redis failure fails the call with a retryable ProviderError, never skipping the limit', async () => {
    const broken = createRedisDiscordRateLimitStore({ client: { sendCommand: async () => Promise.reject(new Error('ECONNREFUSED 127.0.0.1:1')) } });
    const error = await expectAlmanacError(broken.reserve('k', START), { code: 'provider', provider: 'redis' });
    expect(error.retryable).toBe(true);
    expect(() => createRedisDiscordRateLimitStore({ client: {} as never })).toThrow(/client/);
  });
});
