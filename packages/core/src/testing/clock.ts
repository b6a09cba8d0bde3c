import { setImmediate as nextTurn } from 'node:timers/promises';
import type { ManualClock } from '../clock';

/** Options of {@link runWithClock}. */
export interface RunWithClockOptions {
  /** How far the clock moves per step while sleeps are pending, in ms. Default 100. */
  readonly stepMs?: number | undefined;
  /** Most the clock may move in total before giving up (a retry loop that never ends), in ms. Default one hour. */
  readonly maxAdvanceMs?: number | undefined;
}

/**
 * Settles `work` (a promise, or a function whose promise is awaited) that waits on a
 * {@link ManualClock}: while it is pending, the clock moves forward in `stepMs` steps whenever
 * something sleeps on it, and the event loop gets a turn between steps so real I/O (a nock
 * reply, a local server) can progress. Resolves or rejects exactly as `work` does.
 *
 * Steps are small so the order of timers is kept (a 150 ms backoff still fires before a
 * 1 000 ms deadline); use `clock.advance` directly to assert what happens at an exact time.
 *
 * @throws `Error` when the clock moved `maxAdvanceMs` and `work` is still pending.
 */
export async function runWithClock<T>(clock: ManualClock, work: PromiseLike<T> | (() => PromiseLike<T>), options: RunWithClockOptions = {}): Promise<T> {
  const stepMs = options.stepMs ?? 100;
  const maxAdvanceMs = options.maxAdvanceMs ?? 3_600_000;
  if (!(stepMs > 0) || !Number.isFinite(stepMs)) throw new RangeError('runWithClock: stepMs must be a number > 0');
  const pending = Promise.resolve(typeof work === 'function' ? work() : work);
  let settled = false;
  // Observed here so a rejection is never reported as unhandled while the loop runs.
  pending.then(
    () => {
      settled = true;
    },
    () => {
      settled = true;
    },
  );
  let advanced = 0;
  while (!settled) {
    await nextTurn();
    if (settled) break;
    if (clock.pendingSleeps() === 0) continue;
    if (advanced >= maxAdvanceMs) {
      throw new Error(`runWithClock: still pending after moving the clock ${advanced} ms (raise maxAdvanceMs if that is expected)`);
    }
    await clock.advance(stepMs);
    advanced += stepMs;
  }
  return pending;
}
