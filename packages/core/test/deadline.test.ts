import { describe, expect, it } from 'vitest';
import { createManualClock, systemClock } from '../src/clock';
import { compact } from '../src/compact';
import { withDeadline } from '../src/deadline';
import { AbortedError, TimeoutError } from '../src/errors';

describe('withDeadline', () => {
  const where = { provider: 'acme', operation: 'read' };

  it('fails a hung call with TimeoutError at the deadline and aborts its signal', async () => {
    const clock = createManualClock();
    let seen: AbortSignal | undefined;
    const pending = withDeadline({ clock, timeoutMs: 1_000, ...where }, (signal) => {
      seen = signal;
      return new Promise(() => {}); // ignores its signal entirely
    });
    const outcome = pending.catch((error: unknown) => error);
    expect(clock.nextDueAt('deadline')).toBe(1_000);
    await clock.advance(999);
    expect(seen?.aborted).toBe(false);
    await clock.advance(1);
    const error = await outcome;
    expect(TimeoutError.isInstance(error)).toBe(true);
    expect((error as TimeoutError).message).toBe('acme read timed out after 1000 ms');
    expect(seen?.aborted).toBe(true);
  });

  it("fails with AbortedError when the caller's signal aborts, and passes results through", async () => {
    const clock = createManualClock();
    const controller = new AbortController();
    const pending = withDeadline({ clock, timeoutMs: 1_000, signal: controller.signal, ...where }, () => new Promise(() => {}));
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(AbortedError);
    await expect(withDeadline({ clock, timeoutMs: 1_000, ...where }, async () => 42)).resolves.toBe(42);
    expect(clock.pendingSleeps()).toBe(0);
  });
});

describe('withDeadline on the system clock (a plain timer, no second signal)', () => {
  const where = { provider: 'acme', operation: 'write' };

  it('times out a hung call, aborting its signal, and drops the late rejection', async () => {
    let seen: AbortSignal | undefined;
    let lateReject: ((error: Error) => void) | undefined;
    const error = await withDeadline({ clock: systemClock, timeoutMs: 5, ...where }, (signal) => {
      seen = signal;
      return new Promise<never>((_, reject) => {
        lateReject = reject;
      });
    }).catch((caught: unknown) => caught);
    expect(TimeoutError.isInstance(error)).toBe(true);
    expect((error as TimeoutError).message).toBe('acme write timed out after 5 ms');
    expect(seen?.reason).toBe(error);
    lateReject?.(new Error('late'));
  });

  it("reports the caller's abort, not the provider's AbortError, and passes values and errors through", async () => {
    const controller = new AbortController();
    const pending = withDeadline({ clock: systemClock, timeoutMs: 60_000, signal: controller.signal, ...where }, (signal) =>
      new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')))),
    );
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(AbortedError);
    await expect(withDeadline({ clock: systemClock, timeoutMs: 60_000, ...where }, async () => 'done')).resolves.toBe('done');
    const failure = new Error('provider said no');
    await expect(withDeadline({ clock: systemClock, timeoutMs: 60_000, ...where }, async () => Promise.reject(failure))).rejects.toBe(failure);
    // A synchronous throw from the work is a rejection too.
    await expect(withDeadline({ clock: systemClock, timeoutMs: 60_000, ...where }, () => { throw failure; })).rejects.toBe(failure);
  });

  it('fails at once for an already-aborted caller signal without calling the work', async () => {
    let called = false;
    const error = await withDeadline({ clock: systemClock, timeoutMs: 60_000, signal: AbortSignal.abort(), ...where }, async () => {
      called = true;
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AbortedError);
    expect(called).toBe(false);
  });
});

describe('compact', () => {
  it('drops undefined properties only', () => {
    expect(compact({ a: 1, b: undefined, c: null, d: 0 })).toEqual({ a: 1, c: null, d: 0 });
    expect(Object.keys(compact({ a: undefined }))).toEqual([]);
  });
});
