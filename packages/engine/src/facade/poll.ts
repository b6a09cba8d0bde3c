import { RateLimitError } from '@almanac/core';
import type { Clock } from '@almanac/core';

/** How {@link pollUntil} paces itself. */
export interface PollSchedule {
  /** First interval, ms. */
  readonly firstMs: number;
  /** Longest interval, ms. */
  readonly maxMs: number;
}

/**
 * Calls `read` until `done(value)` holds, sleeping on `clock` between reads: the interval starts
 * at `firstMs` and grows ×1.5 up to `maxMs` (Libcloud's shared polling, with backoff). A
 * throttled read waits as long as the provider asked (or one interval) and tries again, since a
 * read is idempotent. `stop(value)` ends the wait early with its error. The caller's deadline
 * arrives through `signal`, which also interrupts the sleeps.
 */
export async function pollUntil<T>(
  clock: Clock,
  signal: AbortSignal,
  schedule: PollSchedule,
  read: () => Promise<T>,
  done: (value: T) => boolean,
  stop?: (value: T) => Error | undefined,
): Promise<T> {
  let interval = Math.max(1, schedule.firstMs);
  for (;;) {
    let wait = interval;
    try {
      const value = await read();
      if (done(value)) return value;
      const fatal = stop?.(value);
      if (fatal !== undefined) throw fatal;
    } catch (error) {
      if (!RateLimitError.isInstance(error) || signal.aborted) throw error;
      wait = Math.max(interval, error.retryAfterMs ?? 0);
    }
    await clock.sleep(wait, signal);
    interval = Math.min(schedule.maxMs, interval * 1.5);
  }
}
