import { describe, expect, it } from 'vitest';
import { createManualClock } from '../src/clock';
import { AbortedError, ConfigError } from '../src/errors';
import { createTokenBucket, parseRetryAfter } from '../src/http';
import { buildQueryString, normalizeBaseUrl, normalizePath } from '../src/http/url';

describe('parseRetryAfter', () => {
  const now = Date.parse('2025-01-01T00:00:00Z');
  const headers = (init: Record<string, string>) => new Headers(init);

  it('reads Retry-After as seconds or HTTP date', () => {
    expect(parseRetryAfter(headers({ 'Retry-After': '3' }), now, false)).toBe(3000);
    expect(parseRetryAfter(headers({ 'Retry-After': 'Wed, 01 Jan 2025 00:00:10 GMT' }), now, false)).toBe(10_000);
    expect(parseRetryAfter(headers({ 'Retry-After': 'Tue, 31 Dec 2024 00:00:00 GMT' }), now, false)).toBe(0);
    expect(parseRetryAfter(headers({ 'Retry-After': 'soon' }), now, false)).toBeUndefined();
  });

  it('reads reset headers only when asked (429)', () => {
    expect(parseRetryAfter(headers({ 'X-RateLimit-Reset-After': '1.5' }), now, true)).toBe(1500);
    expect(parseRetryAfter(headers({ 'RateLimit-Reset': '7' }), now, true)).toBe(7000);
    expect(parseRetryAfter(headers({ 'X-RateLimit-Reset': String(now / 1000 + 20) }), now, true)).toBe(20_000);
    expect(parseRetryAfter(headers({ 'X-RateLimit-Reset': String(now + 250) }), now, true)).toBe(250);
    expect(parseRetryAfter(headers({ 'X-RateLimit-Reset': '12' }), now, false)).toBeUndefined();
    expect(parseRetryAfter(headers({}), now, true)).toBeUndefined();
  });

  it('prefers Retry-After over reset headers', () => {
    expect(parseRetryAfter(headers({ 'Retry-After': '2', 'RateLimit-Reset': '9' }), now, true)).toBe(2000);
  });
});

describe('createTokenBucket', () => {
  it('allows a burst of capacity, then one call per refill interval', async () => {
    const clock = createManualClock();
    const bucket = createTokenBucket({ capacity: 3, refillPerSecond: 2, clock });
    expect([bucket.tryTake(), bucket.tryTake(), bucket.tryTake(), bucket.tryTake()]).toEqual([true, true, true, false]);
    let resolved = false;
    const waiting = bucket.take().then(() => {
      resolved = true;
    });
    await clock.advance(499);
    expect(resolved).toBe(false);
    await clock.advance(1);
    await waiting;
    expect(resolved).toBe(true);
  });

  it('never exceeds capacity after a long idle period', async () => {
    const clock = createManualClock();
    const bucket = createTokenBucket({ capacity: 2, refillPerSecond: 10, clock });
    await clock.advance(60_000);
    expect(bucket.available()).toBe(2);
  });

  it('gives the reservation back when a wait is aborted', async () => {
    const clock = createManualClock();
    const bucket = createTokenBucket({ capacity: 1, refillPerSecond: 1, clock });
    await bucket.take();
    const controller = new AbortController();
    const waiting = bucket.take(controller.signal);
    expect(bucket.available()).toBe(-1);
    controller.abort();
    await expect(waiting).rejects.toSatisfy((e: unknown) => AbortedError.isInstance(e));
    expect(bucket.available()).toBe(0);
  });

  it('validates its options', () => {
    expect(() => createTokenBucket({ capacity: 1.5, refillPerSecond: 0 })).toThrow(ConfigError);
  });
});

describe('URL building', () => {
  it('normalises base URL and path', () => {
    expect(normalizeBaseUrl('https://api.x.test/v1/')).toBe('https://api.x.test/v1');
    expect(normalizePath('users/1')).toBe('/users/1');
    expect(normalizePath('')).toBe('');
    expect(() => normalizeBaseUrl('https://api.x.test/?key=1')).toThrow(ConfigError);
    expect(() => normalizePath('/a b')).toThrow(/whitespace/);
  });

  it('builds query strings with repeated array keys and skips null/undefined', () => {
    expect(buildQueryString({ a: [1, 'x', null], b: undefined, c: true })).toBe('?a=1&a=x&c=true');
    expect(buildQueryString({})).toBe('');
    expect(() => buildQueryString({ n: Number.NaN })).toThrow(/query\.n/);
  });
});
