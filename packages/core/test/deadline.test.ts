import { describe, expect, it } from 'vitest';
import { createManualClock } from '../src/clock';
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

describe('compact', () => {
  it('drops undefined properties only', () => {
    expect(compact({ a: 1, b: undefined, c: null, d: 0 })).toEqual({ a: 1, c: null, d: 0 });
    expect(Object.keys(compact({ a: undefined }))).toEqual([]);
  });
});
