import { TimeoutError, createManualClock } from '@almanac/core';
import { describe, expect, it } from 'vitest';
import { createTokenCache } from '../src/rest/token-cache';

describe('createTokenCache', () => {
  it('times a hung token request out after fetchTimeoutMs, as a deadline (held back while the reply may come)', async () => {
    const clock = createManualClock(1_000);
    let seen: AbortSignal | undefined;
    const cache = createTokenCache({
      provider: 'acme',
      clock,
      refreshBeforeMs: 60_000,
      fetchTimeoutMs: 10_000,
      fetchToken: (signal) => {
        seen = signal;
        return new Promise(() => {});
      },
    });
    const outcome = cache.getToken({ forceRefresh: false, signal: new AbortController().signal }).catch((error: unknown) => error);
    expect(clock.nextDueAt('deadline')).toBe(11_000);
    expect(clock.nextDueAt('wait')).toBeUndefined();
    await clock.advance(10_000);
    const error = await outcome;
    expect(TimeoutError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ message: 'acme: token request timed out after 10000 ms', operation: 'getToken' });
    expect(seen?.aborted).toBe(true);
  });

  it('shares one fetch among concurrent callers and cancels its timer once it settles', async () => {
    const clock = createManualClock(0);
    let fetches = 0;
    const cache = createTokenCache({
      provider: 'acme',
      clock,
      refreshBeforeMs: 60_000,
      fetchTimeoutMs: 10_000,
      fetchToken: async () => {
        fetches += 1;
        return { token: `tok-${fetches}`, expiresAtMs: 3_600_000 };
      },
    });
    expect(await Promise.all([cache.getToken({ forceRefresh: false, signal: new AbortController().signal }), cache.getToken({ forceRefresh: false, signal: new AbortController().signal })])).toEqual(['tok-1', 'tok-1']);
    expect(fetches).toBe(1);
    expect(clock.pendingSleeps()).toBe(0);
  });
});
