// Shared state on a real redis-server (Debian package redis-server) started on a free loopback
// port: the stores' semantics in one process, their fault policies with Redis stopped, and the
// multi-instance proofs with child processes (each one "instance" of a service).
// Commands used and their semantics: https://redis.io/docs/latest/commands/set/ (NX, PX),
// https://redis.io/docs/latest/commands/eval/ (atomic scripts), https://redis.io/docs/latest/commands/time/.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisServerStatus, startRedisServer } from '../../../tests/support/redis-server';
import type { RedisServer } from '../../../tests/support/redis-server';
import { ProviderError, ValidationError } from '../src/errors';
import { generateKey, createTokenVault } from '../src/secrets';
import type { RedisConnection } from '../src/redis';
import {
  createRedisCache,
  createRedisClient,
  createRedisLock,
  createRedisRateLimiter,
  createRedisSeenIdStore,
  createRedisTokenStore,
} from '../src/redis';
import { createReplayGuard } from '../src/webhooks';

const status = redisServerStatus();
const title = status.available ? 'redis (real redis-server)' : `redis: ${status.reason}`;
const WORKER = join(import.meta.dirname, 'redis-worker.ts');

let server: RedisServer;
let client: RedisConnection;
let workers: Worker[] = [];
let namespace = 0;
const prefix = () => `t${++namespace}:`;

/** A child process running redis-worker.ts: one instance of a service sharing Redis. */
interface Worker {
  run<T>(scenario: Record<string, unknown>): Promise<T>;
  stop(): void;
}

function startWorker(url: string): Promise<Worker> {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER, url], { stdio: ['pipe', 'pipe', 'pipe'] });
  const replies: Array<{ resolve: (value: unknown) => void; reject: (error: Error) => void }> = [];
  let stderr = '';
  let buffered = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    for (let end = buffered.indexOf('\n'); end >= 0; end = buffered.indexOf('\n')) {
      const line = buffered.slice(0, end);
      buffered = buffered.slice(end + 1);
      replies.shift()?.resolve(JSON.parse(line));
    }
  });
  child.on('exit', (code) => {
    for (const reply of replies.splice(0)) reply.reject(new Error(`worker exited ${code}: ${stderr}`));
  });
  const next = () => new Promise<unknown>((resolve, reject) => replies.push({ resolve, reject }));
  const worker: Worker = {
    run<T>(scenario: Record<string, unknown>) {
      const reply = next();
      child.stdin.write(`${JSON.stringify(scenario)}\n`);
      return reply as Promise<T>;
    },
    stop: () => child.kill(),
  };
  return next().then(() => worker);
}

describe.skipIf(!status.available)(title, () => {
  beforeAll(async () => {
    server = await startRedisServer();
    client = await createRedisClient({ url: server.url });
    // Four instances, started once (each takes seconds to boot under tsx on a loaded machine).
    workers = await Promise.all([0, 1, 2, 3].map(() => startWorker(server.url)));
  }, 120_000);

  afterAll(async () => {
    for (const worker of workers) worker.stop();
    await client?.close();
    await server?.close();
  });

  describe('createRedisSeenIdStore', () => {
    it('records an id once (SET NX PX), reports it seen, and forgets it after the TTL', async () => {
      const p = prefix();
      const store = createRedisSeenIdStore({ client, prefix: p });
      expect(await store.add('evt-1', 200)).toBe(true);
      expect(await store.add('evt-1', 200)).toBe(false);
      expect(await store.has('evt-1')).toBe(true);
      expect(await store.has('evt-2')).toBe(false);
      const ttl = Number(await client.sendCommand(['PTTL', `${p}evt-1`]));
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(200);
    });

    it('of many concurrent adds of one id, exactly one wins', async () => {
      const store = createRedisSeenIdStore({ client, prefix: prefix() });
      const results = await Promise.all(Array.from({ length: 50 }, () => store.add('same', 60_000)));
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    it('validates its input', async () => {
      const store = createRedisSeenIdStore({ client });
      await expect(store.add('', 10)).rejects.toBeInstanceOf(ValidationError);
      await expect(store.add('x', 0)).rejects.toThrow(/ttlMs/);
      expect(() => createRedisSeenIdStore({ client: {} as never })).toThrow(/options\.client/);
    });
  });

  describe('createRedisRateLimiter', () => {
    it('grants the burst, then denies with the wait, atomically for concurrent takes', async () => {
      const limiter = createRedisRateLimiter({ client, capacity: 10, refillPerSecond: 0.5, prefix: prefix() });
      const decisions = await Promise.all(Array.from({ length: 25 }, () => limiter.take('api')));
      expect(decisions.filter((decision) => decision.granted)).toHaveLength(10);
      const denied = decisions.find((decision) => !decision.granted);
      expect(denied?.remaining).toBe(0);
      // One token at 0.5/s takes up to 2 s to refill.
      expect(denied?.retryAfterMs).toBeGreaterThan(0);
      expect(denied?.retryAfterMs).toBeLessThanOrEqual(2_000);
      expect((await limiter.take('other', { cost: 10 })).granted).toBe(true);
      await expect(limiter.take('api', { cost: 11 })).rejects.toThrow(/options\.cost/);
    });

    it('refills from the server clock', async () => {
      const limiter = createRedisRateLimiter({ client, capacity: 1, refillPerSecond: 20, prefix: prefix() });
      expect((await limiter.take('k')).granted).toBe(true);
      const denied = await limiter.take('k');
      expect(denied.granted).toBe(false);
      await new Promise((resolve) => setTimeout(resolve, denied.retryAfterMs + 20));
      expect((await limiter.take('k')).granted).toBe(true);
    });

    it('loads its script again after SCRIPT FLUSH (NOSCRIPT falls back to EVAL)', async () => {
      const limiter = createRedisRateLimiter({ client, capacity: 2, refillPerSecond: 1, prefix: prefix() });
      expect((await limiter.take('k')).granted).toBe(true);
      await client.sendCommand(['SCRIPT', 'FLUSH']);
      expect(await limiter.take('k')).toEqual({ granted: true, retryAfterMs: 0, remaining: 0 });
    });
  });

  describe('createRedisLock', () => {
    it('excludes a second holder, issues increasing fencing tokens, and releases only its own lease', async () => {
      const lock = createRedisLock({ client, prefix: prefix() });
      const first = await lock.acquire('job', { ttlMs: 10_000 });
      let secondHeld = false;
      const second = lock.acquire('job', { ttlMs: 10_000 }).then((lease) => {
        secondHeld = true;
        return lease;
      });
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(secondHeld).toBe(false);
      expect(await first.release()).toBe(true);
      const lease = await second;
      expect(lease.token).toBe(first.token + 1);
      expect(await first.release()).toBe(false);
      expect(await lease.release()).toBe(true);
    });

    it('a lapsed lease is taken over with a higher token; the stale holder cannot release the new one', async () => {
      const lock = createRedisLock({ client, prefix: prefix() });
      const stale = await lock.acquire('job', { ttlMs: 50 });
      const next = await lock.acquire('job', { ttlMs: 10_000 });
      expect(next.token).toBeGreaterThan(stale.token);
      expect(await stale.release()).toBe(false);
      expect(await next.release()).toBe(true);
    });

    it('an aborted wait rejects', async () => {
      const lock = createRedisLock({ client, prefix: prefix() });
      const held = await lock.acquire('job', { ttlMs: 10_000 });
      await expect(lock.acquire('job', { ttlMs: 1_000, signal: AbortSignal.timeout(50) })).rejects.toMatchObject({ code: 'aborted' });
      await held.release();
    });
  });

  describe('createRedisTokenStore', () => {
    it('keeps only vault envelopes in Redis, bound to their key', async () => {
      const vault = createTokenVault({ currentKeyId: 'k1', keys: { k1: generateKey() } });
      const p = prefix();
      const store = createRedisTokenStore({ client, vault, prefix: p });
      await store.set('user:1', 'secret-access-token');
      expect(await store.get('user:1')).toBe('secret-access-token');
      const raw = String(await client.sendCommand(['GET', `${p}user:1`]));
      expect(raw).not.toContain('secret-access-token');
      expect(raw.startsWith('v1.k1.')).toBe(true);
      // An envelope moved to another user's key fails instead of decrypting.
      await client.sendCommand(['SET', `${p}user:2`, raw]);
      await expect(store.get('user:2')).rejects.toMatchObject({ code: 'integrity' });
      expect(await store.keys()).toEqual(['user:1', 'user:2']);
      expect(await store.delete('user:1')).toBe(true);
      expect(await store.get('user:1')).toBeUndefined();
    });
  });

  describe('createRedisCache', () => {
    it('stores JSON values with TTL, invalidates by key and prefix', async () => {
      const cache = createRedisCache<{ n: number } | null>({ client, prefix: prefix() });
      await cache.set('a:1', { n: 1 }, { ttlMs: 60_000 });
      await cache.set('a:2', null);
      await cache.set('b:1', { n: 3 });
      expect(await cache.get('a:1')).toEqual({ n: 1 });
      expect(await cache.get('a:2')).toBeNull();
      expect(await cache.deletePrefix('a:')).toBe(2);
      expect(await cache.get('a:1')).toBeUndefined();
      expect(await cache.delete('b:1')).toBe(true);
      await cache.set('short', { n: 4 }, { ttlMs: 30 });
      await new Promise((resolve) => setTimeout(resolve, 80));
      expect(await cache.get('short')).toBeUndefined();
    });

    it('getOrLoad is single-flight across cache instances (two "processes" on one Redis)', async () => {
      const p = prefix();
      const other = await createRedisClient({ url: server.url });
      try {
        const caches = [createRedisCache<string>({ client, prefix: p }), createRedisCache<string>({ client: other, prefix: p })];
        let loads = 0;
        const loader = async () => {
          loads++;
          await new Promise((resolve) => setTimeout(resolve, 100));
          return 'value';
        };
        const values = await Promise.all(Array.from({ length: 10 }, (_, i) => (caches[i % 2] as (typeof caches)[0]).getOrLoad('k', loader)));
        expect(values).toEqual(Array(10).fill('value'));
        expect(loads).toBe(1);
      } finally {
        await other.close();
      }
    });
  });

  describe('multiple processes sharing Redis', () => {
    it('a replayed webhook is dispatched once in total across 3 instances', async () => {
      const now = Date.now();
      const deliveries = Array.from({ length: 40 }, (_, i) => ({ id: `delivery-${i}`, timestamp: now }));
      const results = await Promise.all(
        workers.slice(0, 3).map((worker) => worker.run<{ dispatched: string[] }>({ kind: 'webhook', deliveries, prefix: 'hooks:' })),
      );
      const dispatched = results.flatMap((result) => result.dispatched).sort();
      expect(dispatched).toEqual(deliveries.map((delivery) => delivery.id).sort());
    }, 60_000);

    it('4 processes through one shared limiter never exceed the limit over 10 s', async () => {
      const capacity = 20;
      const refillPerSecond = 10;
      const results = await Promise.all(
        workers.map((worker) =>
          worker.run<{ firstSendAt: number; lastReplyAt: number; grants: number[]; denied: number }>({
            kind: 'ratelimit',
            durationMs: 10_000,
            capacity,
            refillPerSecond,
            prefix: 'shared-limit:',
          }),
        ),
      );
      const from = Math.min(...results.map((result) => result.firstSendAt));
      const to = Math.max(...results.map((result) => result.lastReplyAt));
      const granted = results.reduce((sum, result) => sum + result.grants.length, 0);
      // Every grant happened between the first request and the last reply, so the bucket
      // allows at most its burst plus the refill over that span; the workers together asked
      // for far more (each was denied many times).
      expect(granted).toBeLessThanOrEqual(capacity + Math.ceil((refillPerSecond * (to - from)) / 1000));
      expect(granted).toBeGreaterThanOrEqual(capacity);
      expect(results.every((result) => result.denied > 0)).toBe(true);
    }, 60_000);

    it('20 concurrent token refreshes across 4 processes make one token request', async () => {
      let requests = 0;
      const tokenServer = createServer((_request, response) => {
        requests++;
        // Slow enough that every instance is waiting while the first refresh is in flight.
        setTimeout(() => {
          response.setHeader('content-type', 'application/json');
          response.end(JSON.stringify({ access_token: `token-${requests}`, expires_in: 3600 }));
        }, 300);
      });
      await new Promise<void>((resolve) => tokenServer.listen(0, '127.0.0.1', resolve));
      try {
        const tokenUrl = `http://127.0.0.1:${(tokenServer.address() as AddressInfo).port}/oauth/token`;
        const vaultKey = randomBytes(32).toString('base64');
        const results = await Promise.all(
          workers.map((worker) => worker.run<{ tokens: string[] }>({ kind: 'refresh', concurrency: 5, tokenUrl, vaultKey, prefix: 'refresh:' })),
        );
        const tokens = results.flatMap((result) => result.tokens);
        expect(tokens).toHaveLength(20);
        expect(new Set(tokens)).toEqual(new Set(['token-1']));
        expect(requests).toBe(1);
      } finally {
        tokenServer.close();
      }
    }, 60_000);
  });

  describe('with Redis down', () => {
    it('fails closed for seen ids, rate limits and locks, open for cache reads, and recovers after a restart', async () => {
      const p = prefix();
      const own = await createRedisClient({ url: server.url, maxReconnectDelayMs: 100 });
      const seen = createRedisSeenIdStore({ client: own, prefix: p });
      const limiter = createRedisRateLimiter({ client: own, capacity: 5, refillPerSecond: 1, prefix: p });
      const cache = createRedisCache<string>({ client: own, prefix: p });
      const lock = createRedisLock({ client: own, prefix: p });
      const guard = createReplayGuard({ store: seen });
      try {
        await server.stop({ hard: true });
        const error = await seen.add('evt', 1_000).catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(ProviderError);
        expect(error).toMatchObject({ provider: 'redis', operation: 'seenIds.add', retryable: true });
        await expect(guard.check({ id: 'evt', timestamp: String(Math.floor(Date.now() / 1000)) })).rejects.toBeInstanceOf(ProviderError);
        await expect(limiter.take('k')).rejects.toBeInstanceOf(ProviderError);
        await expect(lock.acquire('k', { ttlMs: 1_000 })).rejects.toBeInstanceOf(ProviderError);
        await expect(cache.set('k', 'v')).rejects.toBeInstanceOf(ProviderError);
        expect(await cache.get('k')).toBeUndefined();
        expect(await cache.getOrLoad('k', async () => 'loaded directly')).toBe('loaded directly');
        await server.start();
        // Reconnects with backoff on its own; commands succeed again once it has.
        let added: boolean | undefined;
        for (let i = 0; i < 100 && added === undefined; i++) {
          added = await seen.add('evt', 1_000).catch(() => undefined);
          if (added === undefined) await new Promise((resolve) => setTimeout(resolve, 100));
        }
        expect(added).toBe(true);
      } finally {
        await own.close();
      }
    }, 60_000);

    it('connecting to a server that is not there fails with a ProviderError', async () => {
      await expect(createRedisClient({ url: 'redis://127.0.0.1:1', connectTimeoutMs: 2_000 })).rejects.toBeInstanceOf(ProviderError);
      await expect(createRedisClient({ url: 'http://x' })).rejects.toThrow(/options\.url/);
    });
  });
});
