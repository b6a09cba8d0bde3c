import { describe, expect, it } from 'vitest';
import { createManualClock } from '../src/clock';
import { AbortedError, AlmanacError, ConflictError, ProviderError, RateLimitError, TimeoutError, ValidationError } from '../src/errors';
import { callProvider } from '../src/kit/call-provider';
import type { CallProviderOptions, ProviderErrorMapper } from '../src/kit/call-provider';
import type { Logger } from '../src/logger/types';

/** A mapper that counts its calls: SDK errors with `status` become Almanac errors. */
function countingMapper(): ProviderErrorMapper & { calls: unknown[] } {
  const calls: unknown[] = [];
  const mapper = (error: unknown, info: { operation: string; nowMs: number }) => {
    calls.push(error);
    const status = (error as { status?: number }).status;
    if (status === 429) return new RateLimitError(`throttled ${info.operation}`, { retryAfterMs: 5_000 });
    if (status === 503) return new ProviderError('unavailable', { retryable: true });
    return new ProviderError(`failed at ${info.nowMs}`);
  };
  return Object.assign(mapper, { calls });
}

const sdkError = (status: number) => Object.assign(new Error(`HTTP ${status}`), { status });

function base(overrides: Partial<CallProviderOptions> = {}): CallProviderOptions {
  return { provider: 'acme', operation: 'createThing', idempotent: true, mapError: countingMapper(), retry: { maxAttempts: 3, baseDelayMs: 10, random: () => 0.5 }, ...overrides };
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

describe('callProvider', () => {
  it('never retries a non-idempotent call without proof of safety', async () => {
    const clock = createManualClock();
    let attempts = 0;
    const error = await failure(
      callProvider(
        async () => {
          attempts++;
          throw sdkError(503);
        },
        base({ idempotent: false, clock }),
      ),
    );
    expect(attempts).toBe(1);
    expect(ProviderError.isInstance(error)).toBe(true);
  });

  it('retries a non-idempotent call made safe by an idempotency key, logging the retry at debug without secrets', async () => {
    const clock = createManualClock();
    const debug: unknown[] = [];
    const logger: Logger = { debug: (message, fields) => debug.push({ message, fields }), info() {}, warn() {}, error() {} };
    let attempts = 0;
    const pending = callProvider(
      async (_signal, attempt) => {
        attempts = attempt;
        if (attempt === 1) throw sdkError(503);
        return 'created';
      },
      base({ idempotent: false, safeToRetry: { reason: 'idempotency-key', value: 'key-123' }, clock, logger }),
    );
    await clock.advance(100);
    expect(await pending).toBe('created');
    expect(attempts).toBe(2);
    expect(debug).toEqual([
      {
        message: 'acme: retrying createThing',
        fields: { provider: 'acme', operation: 'createThing', attempt: 1, delayMs: 5, code: 'provider', safeToRetry: 'idempotency-key' },
      },
    ]);
    expect(JSON.stringify(debug)).not.toContain('key-123');
  });

  it('an empty safeToRetry value proves nothing: one attempt', async () => {
    let attempts = 0;
    await failure(
      callProvider(
        async () => {
          attempts++;
          throw sdkError(503);
        },
        base({ idempotent: false, safeToRetry: { reason: 'precondition', value: '' } }),
      ),
    );
    expect(attempts).toBe(1);
  });

  it('honours Retry-After (RateLimitError.retryAfterMs) on the injected clock', async () => {
    const clock = createManualClock();
    const starts: number[] = [];
    const pending = callProvider(
      async () => {
        starts.push(clock.now());
        if (starts.length === 1) throw sdkError(429);
        return 'ok';
      },
      base({ clock }),
    );
    await clock.advance(4_999);
    expect(starts).toEqual([0]);
    await clock.advance(1);
    expect(await pending).toBe('ok');
    expect(starts).toEqual([0, 5_000]);
  });

  it('honours a wait a mapper reports for a non-rate-limit error', async () => {
    const clock = createManualClock();
    const starts: number[] = [];
    const pending = callProvider(
      async () => {
        starts.push(clock.now());
        if (starts.length === 1) throw sdkError(503);
        return 'ok';
      },
      base({ clock, mapError: () => ({ error: new ProviderError('busy', { retryable: true }), retryAfterMs: 2_000 }) }),
    );
    await clock.advance(1_999);
    expect(starts).toEqual([0]);
    await clock.advance(1);
    expect(await pending).toBe('ok');
    expect(starts).toEqual([0, 2_000]);
  });

  it('lets an abort win: the abort reason is thrown, never a mapped error, and nothing is retried', async () => {
    const mapper = countingMapper();
    const controller = new AbortController();
    let attempts = 0;
    const pending = failure(
      callProvider(
        (signal) =>
          new Promise((_resolve, reject) => {
            attempts++;
            // Like an SDK: on abort it rejects with its own error, which looks retryable.
            signal.addEventListener('abort', () => reject(sdkError(503)));
          }),
        base({ signal: controller.signal, mapError: mapper }),
      ),
    );
    controller.abort();
    const error = await pending;
    expect(AbortedError.isInstance(error)).toBe(true);
    expect(mapper.calls).toEqual([]);
    expect(attempts).toBe(1);
  });

  it('races an attempt that ignores its signal, unless honoursSignal says the attempt settles on abort itself', async () => {
    // An attempt that ignores the signal and resolves only when told to.
    const ignoring = () => {
      let finish: (value: string) => void = () => {};
      const fn = () => new Promise<string>((resolve) => {
        finish = resolve;
      });
      return { fn, finish: (value: string) => finish(value) };
    };
    const raced = ignoring();
    const racedController = new AbortController();
    const racedCall = failure(callProvider(raced.fn, base({ signal: racedController.signal })));
    racedController.abort();
    expect(AbortedError.isInstance(await racedCall)).toBe(true);

    // honoursSignal: no race, the attempt's own outcome is the call's (here a late value).
    const trusted = ignoring();
    const trustedController = new AbortController();
    const trustedCall = callProvider(trusted.fn, base({ signal: trustedController.signal, honoursSignal: true }));
    trustedController.abort();
    await Promise.resolve();
    trusted.finish('late');
    expect(await trustedCall).toBe('late');

    // The SDK case: the attempt rejects with its own error on abort; the caller still gets the abort reason.
    const sdk = new AbortController();
    const mapper = countingMapper();
    const sdkCall = failure(
      callProvider(
        (signal) => new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(sdkError(503)))),
        base({ signal: sdk.signal, honoursSignal: true, mapError: mapper }),
      ),
    );
    sdk.abort();
    expect(AbortedError.isInstance(await sdkCall)).toBe(true);
    expect(mapper.calls).toEqual([]);
  });

  it("reports a deadline's TimeoutError (the signal's Almanac reason) as is", async () => {
    const controller = new AbortController();
    const deadline = new TimeoutError('acme createThing timed out after 10 ms', { provider: 'acme', operation: 'createThing' });
    const pending = failure(callProvider((signal) => new Promise((_r, reject) => signal.addEventListener('abort', () => reject(new Error('aborted')))), base({ signal: controller.signal })));
    controller.abort(deadline);
    expect(await pending).toBe(deadline);
  });

  it('an already aborted signal never calls the provider', async () => {
    const controller = new AbortController();
    controller.abort();
    let called = false;
    const error = await failure(
      callProvider(async () => {
        called = true;
      }, base({ signal: controller.signal })),
    );
    expect(AbortedError.isInstance(error)).toBe(true);
    expect(called).toBe(false);
  });

  it('maps each failure exactly once, passes Almanac errors through and always names provider and operation', async () => {
    const clock = createManualClock();
    const mapper = countingMapper();
    const first = sdkError(503);
    const pending = failure(
      callProvider(
        async (_signal, attempt) => {
          if (attempt === 1) throw first;
          throw new ConflictError('etag mismatch');
        },
        base({ clock, mapError: mapper }),
      ),
    );
    await clock.advance(100);
    const error = await pending;
    expect(mapper.calls).toEqual([first]);
    expect(ConflictError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ provider: 'acme', operation: 'createThing' });
    const mapped = await failure(callProvider(async () => Promise.reject(sdkError(400)), base({ idempotent: false, mapError: mapper })));
    expect(mapped).toMatchObject({ code: 'provider', provider: 'acme', operation: 'createThing' });
    expect(mapper.calls).toHaveLength(2);
  });

  it('a mapper that throws or returns junk still yields an AlmanacError with the original cause', async () => {
    const original = new Error('raw');
    const thrown = await failure(
      callProvider(async () => Promise.reject(original), base({ mapError: () => {
        throw new Error('mapper bug');
      } })),
    );
    expect(AlmanacError.isInstance(thrown)).toBe(true);
    expect((thrown as ProviderError).cause).toBe(original);
    const junk = await failure(callProvider(async () => Promise.reject(original), base({ mapError: () => 'junk' as never })));
    expect(ProviderError.isInstance(junk)).toBe(true);
    expect((junk as ProviderError).cause).toBe(original);
  });

  it('uses a custom classifier', async () => {
    let attempts = 0;
    await failure(
      callProvider(
        async () => {
          attempts++;
          throw sdkError(503);
        },
        base({ classify: () => ({ retry: false }) }),
      ),
    );
    expect(attempts).toBe(1);
  });

  it('validates its options naming the field', async () => {
    const error = await failure(callProvider(async () => 1, { provider: 'acme', operation: '', idempotent: 'yes' as never, mapError: undefined as never }));
    expect(ValidationError.isInstance(error)).toBe(true);
    expect((error as ValidationError).issues.map((issue) => issue.path)).toEqual(['options.operation', 'options.idempotent', 'options.mapError']);
    const policy = await failure(callProvider(async () => 1, base({ retry: { maxAttempts: 0 } })));
    expect(policy).toMatchObject({ code: 'config', provider: 'acme', operation: 'createThing' });
  });
});
