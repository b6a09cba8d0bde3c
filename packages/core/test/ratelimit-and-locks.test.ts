import { describe, expect, it } from 'vitest';
import { createManualClock } from '../src/clock';
import { AbortedError, RateLimitError, ValidationError } from '../src/errors';
import { createMemoryLock } from '../src/locks';
import { createMemoryRateLimiter } from '../src/ratelimit';

describe('createMemoryRateLimiter', () => {
  it('grants a burst of capacity, then denies with the wait until the next token', async () => {
    const clock = createManualClock(1_000);
    const limiter = createMemoryRateLimiter({ capacity: 3, refillPerSecond: 2, clock });
    const decisions = [];
    for (let i = 0; i < 4; i++) decisions.push(await limiter.take('k'));
    expect(decisions.map((d) => d.granted)).toEqual([true, true, true, false]);
    expect(decisions[2]?.remaining).toBe(0);
    expect(decisions[3]?.retryAfterMs).toBe(500);
    await clock.advance(500);
    expect(await limiter.take('k')).toEqual({ granted: true, retryAfterMs: 0, remaining: 0 });
  });

  it('keeps one bucket per key and charges the cost; a denied call takes nothing', async () => {
    const clock = createManualClock(0);
    const limiter = createMemoryRateLimiter({ capacity: 5, refillPerSecond: 1, clock });
    expect(await limiter.take('a', { cost: 4 })).toMatchObject({ granted: true, remaining: 1 });
    expect(await limiter.take('a', { cost: 2 })).toMatchObject({ granted: false, retryAfterMs: 1000, remaining: 1 });
    expect(await limiter.take('a', { cost: 1 })).toMatchObject({ granted: true, remaining: 0 });
    expect(await limiter.take('b', { cost: 5 })).toMatchObject({ granted: true, remaining: 0 });
  });

  it('never mints tokens when the clock goes backwards', async () => {
    const clock = createManualClock(10_000);
    const limiter = createMemoryRateLimiter({ capacity: 1, refillPerSecond: 1, clock });
    expect((await limiter.take('k')).granted).toBe(true);
    clock.set(5_000);
    expect((await limiter.take('k')).granted).toBe(false);
    clock.set(5_999);
    expect((await limiter.take('k')).granted).toBe(false);
    clock.set(6_000);
    expect((await limiter.take('k')).granted).toBe(true);
  });

  it('validates settings and calls, naming the field', async () => {
    expect(() => createMemoryRateLimiter({ capacity: 0, refillPerSecond: 1 })).toThrow(ValidationError);
    expect(() => createMemoryRateLimiter({ capacity: 1, refillPerSecond: Number.NaN })).toThrow(/refillPerSecond/);
    const limiter = createMemoryRateLimiter({ capacity: 2, refillPerSecond: 1 });
    await expect(limiter.take('k', { cost: 3 })).rejects.toThrow(/options\.cost/);
    await expect(limiter.take('')).rejects.toThrow(/key/);
  });

  it('refuses a new key rather than forget a partly used bucket when full', async () => {
    const clock = createManualClock(0);
    const limiter = createMemoryRateLimiter({ capacity: 2, refillPerSecond: 1, clock, maxKeys: 2 });
    await limiter.take('a');
    await limiter.take('b');
    await expect(limiter.take('c')).rejects.toBeInstanceOf(RateLimitError);
    await clock.advance(1_000);
    // 'a' and 'b' are full again, so they are forgotten and 'c' gets a bucket.
    expect((await limiter.take('c')).granted).toBe(true);
  });

  it('rejects an aborted call', async () => {
    const limiter = createMemoryRateLimiter({ capacity: 1, refillPerSecond: 1 });
    await expect(limiter.take('k', { signal: AbortSignal.abort(new Error('stop')) })).rejects.toBeInstanceOf(AbortedError);
  });
});

describe('createMemoryLock', () => {
  it('serialises holders of one key and hands out increasing fencing tokens', async () => {
    const lock = createMemoryLock();
    const order: string[] = [];
    const first = await lock.acquire('k', { ttlMs: 60_000 });
    const second = lock.acquire('k', { ttlMs: 60_000 }).then((lease) => {
      order.push('second');
      return lease;
    });
    await new Promise((resolve) => setTimeout(resolve, 5));
    order.push('first releases');
    expect(await first.release()).toBe(true);
    const lease = await second;
    expect(order).toEqual(['first releases', 'second']);
    expect(lease.token).toBeGreaterThan(first.token);
    expect(await lease.release()).toBe(true);
    expect(await lease.release()).toBe(false);
  });

  it('lets the next caller take over a lapsed lease; the stale holder learns it on release', async () => {
    const clock = createManualClock(0);
    const lock = createMemoryLock({ clock });
    const stale = await lock.acquire('k', { ttlMs: 100 });
    const next = lock.acquire('k', { ttlMs: 100 });
    await clock.advance(100);
    const lease = await next;
    expect(lease.token).toBe(stale.token + 1);
    expect(await stale.release()).toBe(false);
    expect(await lease.release()).toBe(true);
  });

  it('keys are independent, and an aborted wait rejects and passes the turn on', async () => {
    const lock = createMemoryLock();
    const held = await lock.acquire('a', { ttlMs: 60_000 });
    const other = await lock.acquire('b', { ttlMs: 60_000 });
    expect(other.token).toBe(1);
    const controller = new AbortController();
    const waiting = lock.acquire('a', { ttlMs: 1_000, signal: controller.signal });
    const patient = lock.acquire('a', { ttlMs: 1_000 });
    controller.abort(new Error('gave up'));
    await expect(waiting).rejects.toBeInstanceOf(AbortedError);
    await held.release();
    expect((await patient).token).toBe(held.token + 1);
  });

  it('validates key and ttlMs', async () => {
    const lock = createMemoryLock();
    await expect(lock.acquire('k', { ttlMs: 0 })).rejects.toThrow(/options\.ttlMs/);
    await expect(lock.acquire('', { ttlMs: 10 })).rejects.toThrow(/key/);
  });
});

describe('withLock', () => {
  it('runs the work under the lock and releases it even when the work throws', async () => {
    const { withLock } = await import('../src/locks');
    const lock = createMemoryLock();
    await expect(withLock(lock, 'k', { ttlMs: 60_000 }, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    const token = await withLock(lock, 'k', { ttlMs: 60_000 }, async (lease) => lease.token);
    expect(token).toBe(2);
  });
});
