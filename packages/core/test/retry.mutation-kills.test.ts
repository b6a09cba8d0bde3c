// Retry behaviour that the mutation run (`npm run mutation -- core-retry`) found unpinned: option
// and policy messages, the edges of provider-requested waits, the deadline the HTTP client passes
// in, signal handling when the operation honours the signal itself, and abort and network-error
// recognition for values that are not Errors.
import { describe, expect, it } from 'vitest';
import type { Clock } from '../src/clock';
import { AbortedError, ConfigError, ProviderError, RateLimitError, TimeoutError, ValidationError } from '../src/errors';
import { defaultRetryClassifier, isAbortError, isNetworkError, resolveRetryPolicy, withRetry } from '../src/retry';
import type { RetryEvent } from '../src/retry';
import { runWithRetry } from '../src/retry/with-retry';

const transient = () => new ProviderError('boom', { retryable: true });
const code = (value: string, cause?: unknown) => Object.assign(new Error(value, { cause }), { code: value });

/** A clock whose sleeps end at once (recorded), starting at `start`. */
function instantClock(start = 0): Clock & { sleeps: number[] } {
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => start,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  };
}

/** Fails once with `error`, then resolves 'ok'; records the retry events. */
async function retryOnce(error: unknown, classify: (error: unknown) => { retry: boolean; afterMs?: number }, policy = {}) {
  const events: RetryEvent[] = [];
  const clock = instantClock();
  let calls = 0;
  const result = await withRetry(
    async () => {
      calls++;
      if (calls === 1) throw error;
      return 'ok';
    },
    { random: () => 0.5, ...policy },
    { idempotent: true, clock, classify, onRetry: (event) => events.push(event) },
  );
  return { result, events, calls };
}

describe('provider-requested waits', () => {
  it('waits 0 ms when asked to, and falls back to backoff for negative or infinite requests', async () => {
    expect((await retryOnce(transient(), () => ({ retry: true, afterMs: 0 }))).events.map((e) => e.delayMs)).toEqual([0]);
    // Backoff of the first retry with random 0.5: floor(0.5 * 200) = 100.
    expect((await retryOnce(transient(), () => ({ retry: true, afterMs: -5 }))).events.map((e) => e.delayMs)).toEqual([100]);
    expect((await retryOnce(transient(), () => ({ retry: true, afterMs: Number.POSITIVE_INFINITY }))).events.map((e) => e.delayMs)).toEqual([100]);
    expect((await retryOnce(transient(), () => ({ retry: true, afterMs: 10.2 }))).events.map((e) => e.delayMs)).toEqual([11]);
  });

  it('honours a request of exactly maxRetryAfterMs and refuses one a millisecond longer', async () => {
    const exact = await retryOnce(transient(), () => ({ retry: true, afterMs: 5000 }), { maxRetryAfterMs: 5000 });
    expect(exact.result).toBe('ok');
    expect(exact.events.map((e) => e.delayMs)).toEqual([5000]);
    const error = transient();
    await expect(retryOnce(error, () => ({ retry: true, afterMs: 5001 }), { maxRetryAfterMs: 5000 })).rejects.toBe(error);
  });
});

describe('abort recognition', () => {
  it('never retries a DOM AbortError, even when the classifier says retry, but retries other thrown values', async () => {
    const domAbort = Object.assign(new Error('aborted'), { name: 'AbortError' });
    await expect(retryOnce(domAbort, () => ({ retry: true }))).rejects.toBe(domAbort);
    for (const value of [null, 'text', 42, { name: 'Other' }]) {
      const { result, calls } = await retryOnce(value, () => ({ retry: true }));
      expect(result, String(value)).toBe('ok');
      expect(calls).toBe(2);
    }
  });

  it('isAbortError recognises AbortedError and the AbortError name only', () => {
    expect(isAbortError(new AbortedError())).toBe(true);
    expect(isAbortError({ name: 'AbortError' })).toBe(true);
    expect(isAbortError({ name: 'TimeoutError' })).toBe(false);
    expect(isAbortError(null)).toBe(false);
    expect(isAbortError(undefined)).toBe(false);
    expect(isAbortError('AbortError')).toBe(false);
  });
});

describe('network error recognition', () => {
  it('reads the code of an error and of its cause, whatever the error type', () => {
    expect(isNetworkError(new Error('request failed', { cause: code('ECONNRESET') }))).toBe(true);
    expect(isNetworkError(new Error('request failed', { cause: code('ENOENT') }))).toBe(false);
    expect(isNetworkError(new Error('request failed', { cause: null }))).toBe(false);
    expect(isNetworkError(code('ENOENT', code('EAI_AGAIN')))).toBe(true);
    expect(isNetworkError(null)).toBe(false);
    expect(isNetworkError(undefined)).toBe(false);
    expect(isNetworkError('ECONNRESET')).toBe(false);
  });

  it('retries a RateLimitError without a requested wait using the backoff (no afterMs)', () => {
    expect(defaultRetryClassifier(new RateLimitError('slow down'), 1)).toStrictEqual({ retry: true });
    expect(defaultRetryClassifier(transient(), 1)).toStrictEqual({ retry: true });
  });
});

describe('policy and option messages', () => {
  it('refuses a policy that is not an object, naming the prefix', () => {
    const bare = (() => {
      try {
        resolveRetryPolicy(null as never);
      } catch (error) {
        return error;
      }
    })();
    expect(bare).toBeInstanceOf(ConfigError);
    expect(bare).toMatchObject({ message: 'retry policy must be an object', issues: [{ path: '', message: 'must be an object' }] });
    expect(() => resolveRetryPolicy('fast' as never, 'retry')).toThrow(
      expect.objectContaining({ message: 'retry must be an object', issues: [{ path: 'retry', message: 'must be an object' }] }),
    );
  });

  it('names each bad field with the rule it breaks, in one message', () => {
    let error: unknown;
    try {
      resolveRetryPolicy({ maxAttempts: 0, baseDelayMs: '5' as never, random: 5 as never });
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({
      message: 'Invalid retry policy: maxAttempts: must be an integer >= 1; baseDelayMs: must be a number >= 0; random: must be a function',
      issues: [
        { path: 'maxAttempts', message: 'must be an integer >= 1' },
        { path: 'baseDelayMs', message: 'must be a number >= 0' },
        { path: 'random', message: 'must be a function' },
      ],
    });
  });

  it('accepts fractional delays (only maxAttempts must be an integer)', () => {
    expect(resolveRetryPolicy({ baseDelayMs: 0.5, maxDelayMs: 1.5, maxRetryAfterMs: 2.5 })).toMatchObject({ baseDelayMs: 0.5, maxDelayMs: 1.5, maxRetryAfterMs: 2.5 });
  });

  it('withRetry names a missing function and bad options', async () => {
    await expect(withRetry(5 as never, {}, { idempotent: true })).rejects.toMatchObject({
      message: 'withRetry: fn must be a function',
      issues: [{ path: 'fn', message: 'must be a function' }],
    });
    for (const options of [null, 'x', {}]) {
      const error = await withRetry(async () => 1, {}, options as never).catch((caught: unknown) => caught);
      expect(error, String(options)).toBeInstanceOf(ValidationError);
      expect(error).toMatchObject({ message: 'withRetry: options.idempotent must be a boolean', issues: [{ path: 'options.idempotent', message: 'must be a boolean' }] });
    }
  });
});

describe('runWithRetry internals the HTTP client uses', () => {
  const policy = resolveRetryPolicy({ random: () => 0.5 });

  it('works without a signal, retrying as usual', async () => {
    let calls = 0;
    const result = await runWithRetry(
      async () => {
        calls++;
        if (calls === 1) throw transient();
        return 'done';
      },
      policy,
      { idempotent: true, clock: instantClock() },
    );
    expect(result).toBe('done');
    expect(calls).toBe(2);
  });

  it('lets an operation that honours the signal finish instead of racing it', async () => {
    const controller = new AbortController();
    let release: (value: string) => void = () => undefined;
    const pending = runWithRetry(
      () =>
        new Promise<string>((resolve) => {
          release = resolve;
        }),
      policy,
      { idempotent: true, signal: controller.signal, clock: instantClock() },
      { honoursSignal: true },
    );
    controller.abort();
    release('finished');
    expect(await pending).toBe('finished');
  });

  it('a caller abort during an attempt ends the loop even when the attempt failed otherwise', async () => {
    const controller = new AbortController();
    const events: RetryEvent[] = [];
    const error = await runWithRetry(
      async () => {
        controller.abort();
        throw transient();
      },
      policy,
      { idempotent: true, signal: controller.signal, clock: instantClock(), onRetry: (event) => events.push(event) },
      { honoursSignal: true },
    ).catch((caught: unknown) => caught);
    expect(isAbortError(error)).toBe(true);
    expect(events).toEqual([]);
  });

  it('fails at once when the wait would reach the deadline, with the deadline error', async () => {
    const attempt = (afterMs: number, internals: { deadlineAt: number; deadlineError?: (last: unknown) => Error }) => {
      let calls = 0;
      return runWithRetry(
        async () => {
          calls++;
          if (calls === 1) throw new RateLimitError('later', { retryAfterMs: afterMs });
          return 'ok';
        },
        policy,
        { idempotent: true, clock: instantClock(1000) },
        internals,
      );
    };
    const deadlineError = (last: unknown) => new TimeoutError('deadline', { cause: last });
    await expect(attempt(500, { deadlineAt: 1500, deadlineError })).rejects.toMatchObject({ message: 'deadline' });
    await expect(attempt(499, { deadlineAt: 1500, deadlineError })).resolves.toBe('ok');
    await expect(attempt(500, { deadlineAt: 1500 })).rejects.toBeInstanceOf(RateLimitError);
    await expect(attempt(0, { deadlineAt: 5000 })).resolves.toBe('ok');
  });
});
