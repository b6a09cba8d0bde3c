import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AbortedError, ValidationError } from '../src/errors';
import { createManualClock } from '../src/clock';
import { createMemoryCache } from '../src/cache';

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const flush = async () => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
};

describe('createMemoryCache: basics', () => {
  it('gets what was set, and undefined for a miss', async () => {
    const cache = createMemoryCache<number>();
    await cache.set('a', 1);
    expect(await cache.get('a')).toBe(1);
    expect(await cache.get('b')).toBeUndefined();
  });

  it('caches falsy values such as null, 0 and false', async () => {
    const cache = createMemoryCache<unknown>();
    await cache.set('null', null);
    await cache.set('zero', 0);
    await cache.set('false', false);
    expect(await cache.get('null')).toBeNull();
    expect(await cache.get('zero')).toBe(0);
    expect(await cache.get('false')).toBe(false);
  });

  it('evicts the least recently used entry beyond maxEntries', async () => {
    const cache = createMemoryCache<string>({ maxEntries: 2 });
    await cache.set('a', 'A');
    await cache.set('b', 'B');
    await cache.get('a');
    await cache.set('c', 'C');
    expect(await cache.get('a')).toBe('A');
    expect(await cache.get('b')).toBeUndefined();
    expect(await cache.get('c')).toBe('C');
  });

  it('validates keys, values, ttl and options, naming the field', async () => {
    const cache = createMemoryCache<unknown>();
    await expect(cache.get('')).rejects.toMatchObject({ issues: [{ path: 'key' }] });
    await expect(cache.set('k', undefined)).rejects.toMatchObject({ issues: [{ path: 'value' }] });
    await expect(cache.set('k', 1, { ttlMs: -5 })).rejects.toMatchObject({ issues: [{ path: 'options.ttlMs' }] });
    await expect(cache.set('k', 1, { ttlMs: Number.NaN })).rejects.toBeInstanceOf(ValidationError);
    await expect(cache.deletePrefix('')).rejects.toMatchObject({ issues: [{ path: 'prefix' }] });
    await expect(cache.getOrLoad('k', 'nope' as never)).rejects.toMatchObject({ issues: [{ path: 'loader' }] });
    expect(() => createMemoryCache({ maxEntries: 0 })).toThrow(/options\.maxEntries/);
    // Found by the adversarial suite: null options threw a raw TypeError.
    expect(() => createMemoryCache(null as never)).toThrow(expect.objectContaining({ issues: [{ path: 'options', message: 'must be an object' }] }));
    expect(() => createMemoryCache({ defaultTtlMs: 0 })).toThrow(/options\.defaultTtlMs/);
    expect(() => createMemoryCache({ clock: {} as never })).toThrow(/options\.clock/);
  });
});

describe('createMemoryCache: expiry on the injected clock', () => {
  it('expires entries after their ttl, read from the manual clock', async () => {
    const clock = createManualClock(1_000_000);
    const cache = createMemoryCache<string>({ clock });
    await cache.set('k', 'v', { ttlMs: 100 });
    await clock.advance(100);
    expect(await cache.get('k')).toBe('v');
    await clock.advance(1);
    expect(await cache.get('k')).toBeUndefined();
  });

  it('works with a clock starting at 0', async () => {
    const clock = createManualClock(0);
    const cache = createMemoryCache<string>({ clock, defaultTtlMs: 50 });
    await cache.set('k', 'v');
    await clock.advance(49);
    expect(await cache.get('k')).toBe('v');
    await clock.advance(2);
    expect(await cache.get('k')).toBeUndefined();
  });

  it('applies defaultTtlMs unless a per-entry ttl is given, and never expires without either', async () => {
    const clock = createManualClock(5);
    const withDefault = createMemoryCache<string>({ clock, defaultTtlMs: 10 });
    await withDefault.set('short', 's');
    await withDefault.set('long', 'l', { ttlMs: 1000 });
    await clock.advance(11);
    expect(await withDefault.get('short')).toBeUndefined();
    expect(await withDefault.get('long')).toBe('l');

    const forever = createMemoryCache<string>({ clock });
    await forever.set('k', 'v');
    await clock.advance(365 * 24 * 3600 * 1000);
    expect(await forever.get('k')).toBe('v');
  });

  it('getOrLoad reloads once the loaded value expires', async () => {
    const clock = createManualClock(1);
    const cache = createMemoryCache<number>({ clock });
    let calls = 0;
    const loader = async () => ++calls;
    expect(await cache.getOrLoad('k', loader, { ttlMs: 10 })).toBe(1);
    expect(await cache.getOrLoad('k', loader, { ttlMs: 10 })).toBe(1);
    await clock.advance(11);
    expect(await cache.getOrLoad('k', loader, { ttlMs: 10 })).toBe(2);
  });
});

describe('createMemoryCache: invalidation', () => {
  it('deletes one key', async () => {
    const cache = createMemoryCache<number>();
    await cache.set('a', 1);
    expect(await cache.delete('a')).toBe(true);
    expect(await cache.delete('a')).toBe(false);
    expect(await cache.get('a')).toBeUndefined();
  });

  it('deletes by literal prefix and counts what it removed', async () => {
    const cache = createMemoryCache<number>();
    await cache.set('user:1:profile', 1);
    await cache.set('user:1:settings', 2);
    await cache.set('user:10:profile', 3);
    await cache.set('org:1', 4);
    await cache.set('user:*', 5);
    expect(await cache.deletePrefix('user:1:')).toBe(2);
    expect(await cache.get('user:10:profile')).toBe(3);
    expect(await cache.get('org:1')).toBe(4);
    // `*` is an ordinary character, not a wildcard.
    expect(await cache.deletePrefix('user:*')).toBe(1);
    expect(await cache.get('user:10:profile')).toBe(3);
  });

  it('does not count expired entries as deleted', async () => {
    const clock = createManualClock(1);
    const cache = createMemoryCache<number>({ clock });
    await cache.set('p:a', 1, { ttlMs: 5 });
    await cache.set('p:b', 2);
    await clock.advance(10);
    expect(await cache.deletePrefix('p:')).toBe(1);
  });

  it('clears everything', async () => {
    const cache = createMemoryCache<number>();
    await cache.set('a', 1);
    await cache.set('b', 2);
    await cache.clear();
    expect(await cache.get('a')).toBeUndefined();
    expect(await cache.get('b')).toBeUndefined();
  });

  it('does not store a load that was invalidated while in flight', async () => {
    const cache = createMemoryCache<string>();
    const gate = deferred<string>();
    const pending = cache.getOrLoad('k', () => gate.promise);
    await flush();
    await cache.delete('k');
    gate.resolve('stale');
    expect(await pending).toBe('stale');
    expect(await cache.get('k')).toBeUndefined();
  });

  it('lets an explicit set win over a load in flight', async () => {
    const cache = createMemoryCache<string>();
    const gate = deferred<string>();
    const pending = cache.getOrLoad('k', () => gate.promise);
    await flush();
    await cache.set('k', 'fresh');
    gate.resolve('old');
    await pending;
    expect(await cache.get('k')).toBe('fresh');
  });
});

describe('createMemoryCache: getOrLoad single-flight', () => {
  it('runs the loader once for 10 concurrent callers and stores the result', async () => {
    const cache = createMemoryCache<string>();
    const gate = deferred<string>();
    let calls = 0;
    const loader = () => {
      calls++;
      return gate.promise;
    };
    const callers = Array.from({ length: 10 }, () => cache.getOrLoad('k', loader));
    await flush();
    gate.resolve('value');
    expect(await Promise.all(callers)).toEqual(Array(10).fill('value'));
    expect(calls).toBe(1);
    expect(await cache.get('k')).toBe('value');
  });

  it('loads different keys independently', async () => {
    const cache = createMemoryCache<string>();
    const seen: string[] = [];
    const [a, b] = await Promise.all([
      cache.getOrLoad('a', async () => {
        seen.push('a');
        return 'A';
      }),
      cache.getOrLoad('b', async () => {
        seen.push('b');
        return 'B';
      }),
    ]);
    expect([a, b]).toEqual(['A', 'B']);
    expect(seen.sort()).toEqual(['a', 'b']);
  });

  it('propagates a failed load to every waiter and does not cache it', async () => {
    const cache = createMemoryCache<string>();
    const gate = deferred<string>();
    let calls = 0;
    const callers = Array.from({ length: 10 }, () =>
      cache.getOrLoad('k', () => {
        calls++;
        return gate.promise;
      }),
    );
    await flush();
    const failure = new Error('upstream down');
    gate.reject(failure);
    const results = await Promise.allSettled(callers);
    expect(results.every((result) => result.status === 'rejected' && result.reason === failure)).toBe(true);
    expect(calls).toBe(1);
    expect(await cache.get('k')).toBeUndefined();
    expect(await cache.getOrLoad('k', async () => 'recovered')).toBe('recovered');
  });

  it('treats a loader that throws synchronously like a rejected load', async () => {
    const cache = createMemoryCache<string>();
    await expect(
      cache.getOrLoad('k', () => {
        throw new Error('sync boom');
      }),
    ).rejects.toThrow('sync boom');
    expect(await cache.get('k')).toBeUndefined();
  });

  it('rejects a loader that resolves undefined instead of caching a miss', async () => {
    const cache = createMemoryCache<string>();
    await expect(cache.getOrLoad('k', async () => undefined as never)).rejects.toMatchObject({ issues: [{ path: 'loader' }] });
  });

  it('lets one caller abort without cancelling the load for the others', async () => {
    const cache = createMemoryCache<string>();
    const gate = deferred<string>();
    let loaderSignal: AbortSignal | undefined;
    const controller = new AbortController();
    const quitter = cache.getOrLoad(
      'k',
      (signal) => {
        loaderSignal = signal;
        return gate.promise;
      },
      { signal: controller.signal },
    );
    const stayer = cache.getOrLoad('k', async () => 'never used');
    await flush();
    controller.abort();
    await expect(quitter).rejects.toBeInstanceOf(AbortedError);
    expect(loaderSignal?.aborted).toBe(false);
    gate.resolve('done');
    expect(await stayer).toBe('done');
    expect(await cache.get('k')).toBe('done');
  });

  it('aborts the shared load once every waiter has aborted, and starts afresh afterwards', async () => {
    const cache = createMemoryCache<string>();
    let loaderSignal: AbortSignal | undefined;
    const first = new AbortController();
    const second = new AbortController();
    const hang = (signal: AbortSignal) => {
      loaderSignal = signal;
      return new Promise<string>(() => {});
    };
    const a = cache.getOrLoad('k', hang, { signal: first.signal });
    const b = cache.getOrLoad('k', hang, { signal: second.signal });
    await flush();
    first.abort();
    await expect(a).rejects.toBeInstanceOf(AbortedError);
    expect(loaderSignal?.aborted).toBe(false);
    second.abort();
    await expect(b).rejects.toBeInstanceOf(AbortedError);
    expect(loaderSignal?.aborted).toBe(true);
    expect(await cache.getOrLoad('k', async () => 'fresh')).toBe('fresh');
  });

  it('rejects at once with an already-aborted signal, without loading', async () => {
    const cache = createMemoryCache<string>();
    let calls = 0;
    await expect(
      cache.getOrLoad(
        'k',
        async () => {
          calls++;
          return 'v';
        },
        { signal: AbortSignal.abort() },
      ),
    ).rejects.toBeInstanceOf(AbortedError);
    expect(calls).toBe(0);
  });

  it('returns a cached value without calling the loader', async () => {
    const cache = createMemoryCache<string>();
    await cache.set('k', 'cached');
    let calls = 0;
    expect(
      await cache.getOrLoad('k', async () => {
        calls++;
        return 'loaded';
      }),
    ).toBe('cached');
    expect(calls).toBe(0);
  });
});

describe('createMemoryCache: model check', () => {
  const key = fc.constantFrom('a', 'ab', 'abc', 'b', 'ba');
  const op = fc.oneof(
    fc.record({ kind: fc.constant('set' as const), key, value: fc.integer() }),
    fc.record({ kind: fc.constant('get' as const), key }),
    fc.record({ kind: fc.constant('delete' as const), key }),
    fc.record({ kind: fc.constant('deletePrefix' as const), key }),
  );

  it('behaves like a Map while under capacity and without expiry (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 40 }), async (ops) => {
        const cache = createMemoryCache<number>({ maxEntries: 100 });
        const model = new Map<string, number>();
        for (const step of ops) {
          if (step.kind === 'set') {
            await cache.set(step.key, step.value);
            model.set(step.key, step.value);
          } else if (step.kind === 'get') {
            expect(await cache.get(step.key)).toBe(model.get(step.key));
          } else if (step.kind === 'delete') {
            expect(await cache.delete(step.key)).toBe(model.delete(step.key));
          } else {
            const doomed = [...model.keys()].filter((k) => k.startsWith(step.key));
            for (const k of doomed) model.delete(k);
            expect(await cache.deletePrefix(step.key)).toBe(doomed.length);
          }
        }
      }),
    );
  });
});
