import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createManualClock } from '../src/clock';
import type { ManualClock } from '../src/clock';
import { AbortedError, ConfigError, ProviderError, RateLimitError, ValidationError } from '../src/errors';
import {
  backoffDelay,
  cryptoRandom,
  defaultRetryClassifier,
  isNetworkError,
  resolveRetryPolicy,
  withRetry,
} from '../src/retry';
import type { RetryEvent } from '../src/retry';

const transient = () => new ProviderError('boom', { retryable: true });

/** Lets pending promise callbacks (not timers) run until `condition` holds. */
async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (condition()) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error(`condition never met: ${what}`);
}

/** Advances the manual clock in steps until `state` settles: a sleep of 0 ms still waits for the clock. */
async function runClock(clock: ManualClock, state: { done: boolean }): Promise<void> {
  for (let i = 0; i < 100 && !state.done; i++) await clock.advance(1000);
  await until(() => state.done, 'settled');
}

/** Settles `promise` into a value we can inspect without unhandled rejections. */
function settle<T>(promise: Promise<T>): { readonly result: { done: boolean; value?: T; error?: unknown } } {
  const state: { done: boolean; value?: T; error?: unknown } = { done: false };
  promise.then(
    (value) => {
      state.done = true;
      state.value = value;
    },
    (error: unknown) => {
      state.done = true;
      state.error = error;
    },
  );
  return { result: state };
}

describe('withRetry', () => {
  it('retries retryable failures and passes 1-based attempt numbers', async () => {
    const clock = createManualClock();
    const seen: number[] = [];
    const events: RetryEvent[] = [];
    const run = settle(
      withRetry(
        async (attempt) => {
          seen.push(attempt);
          if (attempt < 3) throw transient();
          return 'ok';
        },
        { random: () => 0 },
        { idempotent: true, clock, onRetry: (event) => events.push(event) },
      ),
    );
    await runClock(clock, run.result);
    expect(run.result.value).toBe('ok');
    expect(seen).toEqual([1, 2, 3]);
    expect(events.map((event) => [event.attempt, event.delayMs])).toEqual([
      [1, 0],
      [2, 0],
    ]);
  });

  it('uses full-jitter exponential backoff capped at maxDelayMs', async () => {
    const clock = createManualClock();
    const delays: number[] = [];
    const run = settle(
      withRetry(
        async () => {
          throw transient();
        },
        { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 300, random: () => 0.5 },
        { idempotent: true, clock, onRetry: (event) => delays.push(event.delayMs) },
      ),
    );
    for (let i = 0; i < 10 && !run.result.done; i++) await clock.advance(1000);
    // ceilings 100, 200, 300 (capped), 300 (capped); half of each.
    expect(delays).toEqual([50, 100, 150, 150]);
    expect(ProviderError.isInstance(run.result.error)).toBe(true);
  });

  it('gives up after maxAttempts and throws the last error', async () => {
    let calls = 0;
    const clock = createManualClock();
    const run = settle(
      withRetry(
        async () => {
          calls++;
          throw new ProviderError(`fail ${calls}`, { retryable: true });
        },
        { maxAttempts: 2, random: () => 0 },
        { idempotent: true, clock },
      ),
    );
    await runClock(clock, run.result);
    expect(calls).toBe(2);
    expect((run.result.error as Error).message).toBe('fail 2');
  });

  it('never retries a non-idempotent call', async () => {
    let calls = 0;
    await expect(
      withRetry(
        async () => {
          calls++;
          throw transient();
        },
        { random: () => 0 },
        { idempotent: false, clock: createManualClock() },
      ),
    ).rejects.toThrow('boom');
    expect(calls).toBe(1);
  });

  it('does not retry non-retryable errors', async () => {
    let calls = 0;
    await expect(
      withRetry(
        async () => {
          calls++;
          throw new ProviderError('permanent', { retryable: false });
        },
        undefined,
        { idempotent: true, clock: createManualClock() },
      ),
    ).rejects.toThrow('permanent');
    expect(calls).toBe(1);
  });

  it('waits exactly the provider-requested retryAfterMs', async () => {
    const clock = createManualClock();
    const times: number[] = [];
    const run = settle(
      withRetry(
        async (attempt) => {
          times.push(clock.now());
          if (attempt === 1) throw new RateLimitError('slow down', { retryAfterMs: 3000 });
          return 'ok';
        },
        { random: () => 0.99 },
        { idempotent: true, clock },
      ),
    );
    await until(() => clock.pendingSleeps() === 1, 'backoff sleep');
    await clock.advance(2999);
    expect(times).toEqual([0]);
    await clock.advance(1);
    await until(() => run.result.done, 'finished');
    expect(times).toEqual([0, 3000]);
    expect(run.result.value).toBe('ok');
  });

  it('fails at once when the requested wait exceeds maxRetryAfterMs', async () => {
    const clock = createManualClock();
    let calls = 0;
    const error = await withRetry(
      async () => {
        calls++;
        throw new RateLimitError('come back in an hour', { retryAfterMs: 3_600_000 });
      },
      { maxRetryAfterMs: 60_000 },
      { idempotent: true, clock },
    ).catch((e: unknown) => e);
    expect(RateLimitError.isInstance(error)).toBe(true);
    expect((error as RateLimitError).retryAfterMs).toBe(3_600_000);
    expect(calls).toBe(1);
    expect(clock.pendingSleeps()).toBe(0);
  });

  it('aborting during a backoff sleep rejects immediately with AbortedError', async () => {
    const clock = createManualClock();
    const controller = new AbortController();
    let calls = 0;
    const run = settle(
      withRetry(
        async () => {
          calls++;
          throw transient();
        },
        { baseDelayMs: 10_000, random: () => 1 },
        { idempotent: true, clock, signal: controller.signal },
      ),
    );
    await until(() => clock.pendingSleeps() === 1, 'backoff sleep');
    controller.abort();
    await until(() => run.result.done, 'rejected');
    expect(AbortedError.isInstance(run.result.error)).toBe(true);
    expect(calls).toBe(1);
    expect(clock.pendingSleeps()).toBe(0);
  });

  it('aborting during an attempt rejects even if the operation ignores the signal', async () => {
    const controller = new AbortController();
    let calls = 0;
    const run = settle(
      withRetry(
        () => {
          calls++;
          return new Promise<string>(() => {});
        },
        undefined,
        { idempotent: true, clock: createManualClock(), signal: controller.signal },
      ),
    );
    await until(() => calls === 1, 'attempt started');
    controller.abort();
    await until(() => run.result.done, 'rejected');
    expect(AbortedError.isInstance(run.result.error)).toBe(true);
    expect(calls).toBe(1);
  });

  it('does not start when the signal is already aborted', async () => {
    let calls = 0;
    await expect(
      withRetry(
        async () => {
          calls++;
          return 1;
        },
        undefined,
        { idempotent: true, signal: AbortSignal.abort() },
      ),
    ).rejects.toSatisfy((e: unknown) => AbortedError.isInstance(e));
    expect(calls).toBe(0);
  });

  it('never retries aborts, even when a custom classifier says retry', async () => {
    let calls = 0;
    await expect(
      withRetry(
        async () => {
          calls++;
          throw new AbortedError();
        },
        undefined,
        { idempotent: true, clock: createManualClock(), classify: () => ({ retry: true }) },
      ),
    ).rejects.toSatisfy((e: unknown) => AbortedError.isInstance(e));
    expect(calls).toBe(1);
  });

  it('lets a custom classifier retry otherwise unknown errors with its own wait', async () => {
    const clock: ManualClock = createManualClock();
    let calls = 0;
    const run = settle(
      withRetry(
        async () => {
          calls++;
          if (calls === 1) throw new Error('provider quirk');
          return 'ok';
        },
        undefined,
        { idempotent: true, clock, classify: (error) => ({ retry: (error as Error).message === 'provider quirk', afterMs: 500 }) },
      ),
    );
    await until(() => clock.pendingSleeps() === 1, 'sleep');
    await clock.advance(500);
    await until(() => run.result.done, 'done');
    expect(run.result.value).toBe('ok');
    expect(calls).toBe(2);
  });

  it('rejects bad input with errors naming the field', async () => {
    await expect(withRetry(async () => 1, { maxAttempts: 0 }, { idempotent: true })).rejects.toSatisfy(
      (e: unknown) => ConfigError.isInstance(e) && e.issues.some((issue) => issue.path === 'maxAttempts'),
    );
    await expect(withRetry(async () => 1, undefined, {} as never)).rejects.toSatisfy(
      (e: unknown) => ValidationError.isInstance(e) && e.issues[0]?.path === 'options.idempotent',
    );
    await expect(withRetry('nope' as never, undefined, { idempotent: true })).rejects.toSatisfy(
      (e: unknown) => ValidationError.isInstance(e) && e.issues[0]?.path === 'fn',
    );
  });
});

describe('retry policy', () => {
  it('fills defaults', () => {
    const policy = resolveRetryPolicy();
    expect(policy).toMatchObject({ maxAttempts: 3, baseDelayMs: 200, maxDelayMs: 20_000, maxRetryAfterMs: 60_000 });
  });

  it('names every invalid field with the prefix', () => {
    try {
      resolveRetryPolicy({ maxAttempts: 1.5, baseDelayMs: -1, random: 'x' as never }, 'retry');
      expect.unreachable();
    } catch (error) {
      expect(ConfigError.isInstance(error)).toBe(true);
      expect((error as ConfigError).issues.map((issue) => issue.path)).toEqual(['retry.maxAttempts', 'retry.baseDelayMs', 'retry.random']);
    }
  });

  it('backoff always lies within [0, min(max, base * 2^n)]', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 0, max: 100_000 }),
        fc.integer({ min: 0, max: 40 }),
        fc.double({ min: -1, max: 2, noNaN: true }),
        (base, max, retryIndex, draw) => {
          const policy = resolveRetryPolicy({ baseDelayMs: base, maxDelayMs: max, random: () => draw });
          const delay = backoffDelay(policy, retryIndex);
          expect(delay).toBeGreaterThanOrEqual(0);
          expect(delay).toBeLessThanOrEqual(Math.min(max, base * 2 ** retryIndex));
          expect(Number.isInteger(delay)).toBe(true);
        },
      ),
    );
  });

  it('cryptoRandom draws from [0, 1)', () => {
    const draws = Array.from({ length: 1000 }, () => cryptoRandom());
    expect(draws.every((value) => value >= 0 && value < 1)).toBe(true);
    expect(new Set(draws).size).toBeGreaterThan(990);
  });
});

describe('default classifier', () => {
  const code = (value: string) => Object.assign(new Error(value), { code: value });

  it('retries transient network errors, directly or as fetch causes', () => {
    expect(isNetworkError(code('ECONNRESET'))).toBe(true);
    expect(isNetworkError(code('ETIMEDOUT'))).toBe(true);
    expect(isNetworkError(new TypeError('fetch failed', { cause: code('ECONNREFUSED') }))).toBe(true);
    expect(isNetworkError(new TypeError('fetch failed'))).toBe(true);
    expect(defaultRetryClassifier(code('ECONNRESET'), 1)).toEqual({ retry: true });
  });

  it('does not retry programming errors or unknown codes', () => {
    expect(isNetworkError(new TypeError('x is not a function'))).toBe(false);
    expect(isNetworkError(code('ENOENT'))).toBe(false);
    expect(defaultRetryClassifier(new Error('bug'), 1).retry).toBe(false);
    expect(defaultRetryClassifier('string', 1).retry).toBe(false);
  });

  it('follows AlmanacError.retryable and passes RateLimitError.retryAfterMs', () => {
    expect(defaultRetryClassifier(new ProviderError('x', { retryable: false }), 1).retry).toBe(false);
    expect(defaultRetryClassifier(new RateLimitError('x', { retryAfterMs: 1200 }), 1)).toEqual({ retry: true, afterMs: 1200 });
    const domAbort = Object.assign(new Error('aborted'), { name: 'AbortError' });
    expect(defaultRetryClassifier(domAbort, 1).retry).toBe(false);
  });
});
