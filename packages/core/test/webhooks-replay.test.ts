import { describe, expect, it } from 'vitest';
import { createManualClock } from '../src/clock';
import { AbortedError, IntegrityError, RateLimitError, ValidationError } from '../src/errors';
import { ReplayError, type SeenIdStore, createMemorySeenIdStore, createReplayGuard } from '../src/webhooks';

const START = Date.UTC(2024, 0, 1);
const MINUTE = 60_000;
const seconds = (ms: number) => String(Math.floor(ms / 1000));

describe('createReplayGuard', () => {
  it('accepts a fresh delivery and rejects the same id again as duplicate', async () => {
    const clock = createManualClock(START);
    const guard = createReplayGuard({ clock });
    expect(await guard.check({ id: 'evt-1', timestamp: seconds(START) })).toEqual({ ok: true });
    expect(await guard.check({ id: 'evt-1', timestamp: seconds(START) })).toEqual({ ok: false, reason: 'duplicate' });
    expect(await guard.check({ id: 'evt-2', timestamp: seconds(START) })).toEqual({ ok: true });
  });

  it('rejects timestamps outside the window in both directions, accepting the exact edges', async () => {
    const clock = createManualClock(START);
    const guard = createReplayGuard({ clock, windowMs: 5 * MINUTE, timestampUnit: 'milliseconds' });
    expect(await guard.check({ id: 'a', timestamp: START - 5 * MINUTE - 1 })).toEqual({ ok: false, reason: 'stale' });
    expect(await guard.check({ id: 'b', timestamp: START + 5 * MINUTE + 1 })).toEqual({ ok: false, reason: 'future' });
    expect(await guard.check({ id: 'c', timestamp: START - 5 * MINUTE })).toEqual({ ok: true });
    expect(await guard.check({ id: 'd', timestamp: START + 5 * MINUTE })).toEqual({ ok: true });
  });

  it('does not record the id of a rejected stale delivery', async () => {
    const clock = createManualClock(START);
    const guard = createReplayGuard({ clock, timestampUnit: 'milliseconds' });
    expect(await guard.check({ id: 'x', timestamp: START - 11 * MINUTE })).toEqual({ ok: false, reason: 'stale' });
    expect(await guard.check({ id: 'x', timestamp: START })).toEqual({ ok: true });
  });

  it('accepts the same id again once the window has passed', async () => {
    const clock = createManualClock(START);
    const guard = createReplayGuard({ clock, windowMs: 10 * MINUTE });
    expect(await guard.check({ id: 'evt', timestamp: seconds(clock.now()) })).toEqual({ ok: true });
    await clock.advance(10 * MINUTE);
    expect(await guard.check({ id: 'evt', timestamp: seconds(clock.now()) })).toEqual({ ok: false, reason: 'duplicate' });
    await clock.advance(1);
    expect(await guard.check({ id: 'evt', timestamp: seconds(clock.now()) })).toEqual({ ok: true });
  });

  it('remembers an id signed in the future until its timestamp goes stale', async () => {
    const clock = createManualClock(START);
    const window = 10 * MINUTE;
    const guard = createReplayGuard({ clock, windowMs: window, timestampUnit: 'milliseconds' });
    const delivery = { id: 'ahead', timestamp: START + window };
    expect(await guard.check(delivery)).toEqual({ ok: true });
    // The replayed delivery's timestamp is still inside the window, so the id must still be known.
    await clock.advance(2 * window);
    expect(await guard.check(delivery)).toEqual({ ok: false, reason: 'duplicate' });
    await clock.advance(1);
    expect(await guard.check(delivery)).toEqual({ ok: false, reason: 'stale' });
  });

  it('lets exactly one of several concurrent checks of the same id pass', async () => {
    const guard = createReplayGuard({ clock: createManualClock(START) });
    const results = await Promise.all(Array.from({ length: 20 }, () => guard.check({ id: 'race', timestamp: seconds(START) })));
    expect(results.filter((result) => result.ok)).toHaveLength(1);
    expect(results.filter((result) => !result.ok && result.reason === 'duplicate')).toHaveLength(19);
  });

  it.each<[string, unknown]>([
    ['Date', new Date(START)],
    ['epoch seconds number', START / 1000],
    ['epoch seconds string', seconds(START)],
    ['fractional seconds string', `${seconds(START)}.250`],
    ['RFC 3339 UTC', '2024-01-01T00:00:00Z'],
    ['RFC 3339 with fraction and offset', '2024-01-01T01:00:00.123+01:00'],
  ])('understands a %s timestamp', async (_name, timestamp) => {
    const guard = createReplayGuard({ clock: createManualClock(START), windowMs: 1000 });
    expect(await guard.check({ id: 'id', timestamp: timestamp as string })).toEqual({ ok: true });
  });

  it('reads numbers as milliseconds when told to, and reports milliseconds-as-seconds as future', async () => {
    const clock = createManualClock(START);
    expect(await createReplayGuard({ clock, timestampUnit: 'milliseconds' }).check({ id: 'a', timestamp: START })).toEqual({ ok: true });
    expect(await createReplayGuard({ clock }).check({ id: 'a', timestamp: START })).toEqual({ ok: false, reason: 'future' });
  });

  it.each<[string, unknown, unknown]>([
    ['empty id', '', seconds(START)],
    ['non-string id', 42, seconds(START)],
    ['over-long id', 'x'.repeat(513), seconds(START)],
    ['missing timestamp', 'id', undefined],
    ['invalid Date', 'id', new Date(Number.NaN)],
    ['NaN', 'id', Number.NaN],
    ['negative', 'id', -1],
    ['garbage string', 'id', 'yesterday'],
    ['ISO without zone', 'id', '2024-01-01T00:00:00'],
    ['hex string', 'id', '0x65920080'],
    ['impossible date', 'id', '2024-13-45T00:00:00Z'],
  ])('reports %s as invalid without throwing', async (_name, id, timestamp) => {
    const guard = createReplayGuard({ clock: createManualClock(START) });
    expect(await guard.check({ id, timestamp } as never)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('assertFresh resolves for a fresh delivery and throws ReplayError with the reason otherwise', async () => {
    const guard = createReplayGuard({ clock: createManualClock(START) });
    await expect(guard.assertFresh({ id: 'a', timestamp: seconds(START) })).resolves.toBeUndefined();
    const error = await guard.assertFresh({ id: 'a', timestamp: seconds(START) }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ReplayError);
    expect(IntegrityError.isInstance(error)).toBe(true);
    expect((error as ReplayError).reason).toBe('duplicate');
    expect((error as ReplayError).toJSON()).toMatchObject({ code: 'integrity', reason: 'duplicate' });
    await expect(guard.assertFresh({ id: 'b', timestamp: seconds(START - 11 * MINUTE) })).rejects.toMatchObject({ reason: 'stale' });
  });

  it('validates its options, naming the field', () => {
    expect(() => createReplayGuard({ windowMs: 0 })).toThrow(ValidationError);
    expect(() => createReplayGuard({ windowMs: Number.POSITIVE_INFINITY })).toThrow(/windowMs/);
    expect(() => createReplayGuard({ timestampUnit: 'minutes' as 'seconds' })).toThrow(/timestampUnit/);
    expect(() => createReplayGuard({ store: {} as SeenIdStore })).toThrow(/store/);
  });

  it('uses a pluggable store and passes the TTL and signal through', async () => {
    const calls: Array<{ id: string; ttlMs: number; signal: AbortSignal | undefined }> = [];
    const store: SeenIdStore = {
      has: async () => false,
      add: async (id, ttlMs, options) => {
        calls.push({ id, ttlMs, signal: options?.signal });
        return true;
      },
    };
    const signal = new AbortController().signal;
    const guard = createReplayGuard({ clock: createManualClock(START), store, windowMs: MINUTE });
    await guard.check({ id: 'p', timestamp: seconds(START) }, { signal });
    expect(calls).toEqual([{ id: 'p', ttlMs: MINUTE + 1, signal }]);
  });
});

describe('createMemorySeenIdStore', () => {
  it('adds once, reports presence, and expires after the TTL', async () => {
    const clock = createManualClock(START);
    const store = createMemorySeenIdStore({ clock });
    expect(await store.add('a', 100)).toBe(true);
    expect(await store.add('a', 100)).toBe(false);
    expect(await store.has('a')).toBe(true);
    await clock.advance(99);
    expect(await store.has('a')).toBe(true);
    await clock.advance(1);
    expect(await store.has('a')).toBe(false);
    expect(await store.add('a', 100)).toBe(true);
  });

  it('stays bounded: expired ids are swept, and a full store refuses rather than forgets', async () => {
    const clock = createManualClock(START);
    const store = createMemorySeenIdStore({ clock, maxEntries: 3 });
    for (const id of ['a', 'b', 'c']) expect(await store.add(id, 1000)).toBe(true);
    await expect(store.add('d', 1000)).rejects.toBeInstanceOf(RateLimitError);
    expect(await store.add('a', 1000)).toBe(false);
    await clock.advance(1000);
    for (const id of ['d', 'e', 'f']) expect(await store.add(id, 1000)).toBe(true);
  });

  it('validates ids, TTLs and options, and honours an aborted signal', async () => {
    const store = createMemorySeenIdStore({ clock: createManualClock(START) });
    await expect(store.add('', 10)).rejects.toMatchObject({ issues: [{ path: 'id' }] });
    await expect(store.add('a', 0)).rejects.toMatchObject({ issues: [{ path: 'ttlMs' }] });
    expect(() => createMemorySeenIdStore({ maxEntries: 0 })).toThrow(/maxEntries/);
    const controller = new AbortController();
    controller.abort();
    await expect(store.add('a', 10, { signal: controller.signal })).rejects.toBeInstanceOf(AbortedError);
    expect(await store.has('a')).toBe(false);
  });
});
