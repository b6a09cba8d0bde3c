import { describe, expect, it } from 'vitest';
import { createManualClock } from '../src/clock';
import { TimeoutError } from '../src/errors';
import { callProvider } from '../src/kit/call-provider';
import { ProviderError, RateLimitError } from '../src/errors';
import { withDeadline } from '../src/deadline';
import { runWithClock } from '../src/testing/clock';
import { setTimeout as realDelay } from 'node:timers/promises';

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

  it('holds a deadline back while the work waits on real I/O (a slow reply is not a timeout)', async () => {
    const clock = createManualClock();
    // A reply that takes 150 ms of real time under a 30 s request timeout stepped by 50 ms:
    // stepping through the deadline would take 600 event-loop turns, a few real milliseconds.
    const work = withDeadline({ clock, timeoutMs: 30_000, provider: 'acme', operation: 'read' }, () => realDelay(150).then(() => 'answered'));
    expect(await runWithClock(clock, work, { stepMs: 50 })).toBe('answered');
    expect(clock.now()).toBe(0);
  });

  it('fires a deadline on work that never answers once the real grace has passed, on the step grid', async () => {
    const clock = createManualClock();
    const work = withDeadline({ clock, timeoutMs: 30_010, provider: 'acme', operation: 'read' }, () => new Promise<never>(() => {}));
    const started = performance.now();
    const error = await runWithClock(clock, work, { stepMs: 50, ioGraceMs: 80 }).catch((caught: unknown) => caught);
    expect(TimeoutError.isInstance(error)).toBe(true);
    expect(clock.now()).toBe(30_050);
    expect(performance.now() - started).toBeGreaterThanOrEqual(75);
  });

  it('steps through waits (backoff) even while a deadline is pending', async () => {
    const clock = createManualClock();
    const work = withDeadline({ clock, timeoutMs: 10_000, provider: 'acme', operation: 'read' }, async (signal) => {
      await clock.sleep(400, signal);
      return clock.now();
    });
    expect(await runWithClock(clock, work, { ioGraceMs: 60_000 })).toBe(400);
  });

  it('rejects a negative or non-finite ioGraceMs', async () => {
    const clock = createManualClock();
    await expect(runWithClock(clock, Promise.resolve(1), { ioGraceMs: -1 })).rejects.toThrow(/ioGraceMs/);
    await expect(runWithClock(clock, Promise.resolve(1), { ioGraceMs: Number.POSITIVE_INFINITY })).rejects.toThrow(/ioGraceMs/);
  });
});

describe('createManualClock nextDueAt', () => {
  it('reports the earliest pending sleep of each kind and forgets settled or aborted ones', async () => {
    const clock = createManualClock(1_000);
    expect(clock.nextDueAt('wait')).toBeUndefined();
    expect(clock.nextDueAt('deadline')).toBeUndefined();
    const stop = new AbortController();
    const timeout = clock.sleep(5_000, stop.signal, { deadline: true }).catch(() => 'aborted');
    void clock.sleep(300);
    void clock.sleep(200);
    expect(clock.nextDueAt('wait')).toBe(1_200);
    expect(clock.nextDueAt('deadline')).toBe(6_000);
    await clock.advance(300);
    expect(clock.nextDueAt('wait')).toBeUndefined();
    stop.abort();
    expect(await timeout).toBe('aborted');
    expect(clock.nextDueAt('deadline')).toBeUndefined();
  });
});
