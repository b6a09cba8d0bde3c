import { describe, expect, it } from 'vitest';
import { createManualClock } from '../src/clock';
import { TimeoutError } from '../src/errors';
import { callProvider } from '../src/kit/call-provider';
import { ProviderError, RateLimitError } from '../src/errors';
import { withDeadline } from '../src/deadline';
import { runWithClock } from '../src/testing/clock';

describe('runWithClock', () => {
  it('moves the clock until a retrying call settles, keeping timer order', async () => {
    const clock = createManualClock();
    const starts: number[] = [];
    const result = await runWithClock(clock, () =>
      callProvider(
        async () => {
          starts.push(clock.now());
          if (starts.length < 3) throw new RateLimitError('slow down', { retryAfterMs: 1_500 });
          return 'done';
        },
        { provider: 'acme', operation: 'read', idempotent: true, clock, mapError: () => new ProviderError('x') },
      ),
    );
    expect(result).toBe('done');
    expect(starts).toEqual([0, 1_500, 3_000]);
  });

  it('rejects exactly as the work does (a deadline on the manual clock)', async () => {
    const clock = createManualClock();
    const work = withDeadline({ clock, timeoutMs: 250, provider: 'acme', operation: 'read' }, () => new Promise<never>(() => {}));
    const error = await runWithClock(clock, work).catch((caught: unknown) => caught);
    expect(TimeoutError.isInstance(error)).toBe(true);
    expect(clock.now()).toBe(300); // one step past the deadline, not the whole budget
  });

  it('settles work that needs no time without moving the clock', async () => {
    const clock = createManualClock(42);
    expect(await runWithClock(clock, Promise.resolve('now'))).toBe('now');
    expect(clock.now()).toBe(42);
  });

  it('gives up after maxAdvanceMs instead of looping forever', async () => {
    const clock = createManualClock();
    const forever = (async () => {
      for (;;) await clock.sleep(1_000);
    })();
    await expect(runWithClock(clock, forever, { maxAdvanceMs: 5_000, stepMs: 1_000 })).rejects.toThrow(/still pending after moving the clock 5000 ms/);
  });
});
