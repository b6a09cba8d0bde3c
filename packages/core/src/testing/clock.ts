import { setImmediate as nextTurn, setTimeout as realDelay } from 'node:timers/promises';
import type { ManualClock } from '../clock';

/** Options of {@link runWithClock}. */
export interface RunWithClockOptions {
  /** How far the clock moves per step while sleeps are pending, in ms. Default 100. */
  readonly stepMs?: number | undefined;
  /** Most the clock may move in total before giving up (a retry loop that never ends), in ms. Default one hour. */
  readonly maxAdvanceMs?: number | undefined;
  /**
   * Real time, in ms, to let the work's I/O answer before firing a deadline when only
   * deadlines wait (sleeps made with `{ deadline: true }`, such as a request timeout).
   * Default 1 000. Stepping the clock while a reply is on its way would fire a 30 s request
   * timeout after a few real milliseconds on a busy machine.
   */
  readonly ioGraceMs?: number | undefined;
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
 * When only deadlines wait (see {@link RunWithClockOptions.ioGraceMs}), the work is in real
 * I/O: the clock stays put for up to `ioGraceMs` of real time, then moves, on the step grid,
 * to the earliest deadline.
 *
 * @throws `Error` when the clock moved `maxAdvanceMs` and `work` is still pending.
 */
export async function runWithClock<T>(clock: ManualClock, work: PromiseLike<T> | (() => PromiseLike<T>), options: RunWithClockOptions = {}): Promise<T> {
  const stepMs = options.stepMs ?? 100;
  const maxAdvanceMs = options.maxAdvanceMs ?? 3_600_000;
  const ioGraceMs = options.ioGraceMs ?? 1_000;
  if (!(stepMs > 0) || !Number.isFinite(stepMs)) throw new RangeError('runWithClock: stepMs must be a number > 0');
  if (!(ioGraceMs >= 0) || !Number.isFinite(ioGraceMs)) throw new RangeError('runWithClock: ioGraceMs must be a number >= 0');
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
  const moveBy = async (ms: number) => {
    if (advanced >= maxAdvanceMs) {
      throw new Error(`runWithClock: still pending after moving the clock ${advanced} ms (raise maxAdvanceMs if that is expected)`);
    }
    await clock.advance(ms);
    advanced += ms;
  };
  while (!settled) {
    await nextTurn();
    if (settled) break;
    if (clock.nextDueAt('wait') !== undefined) {
      await moveBy(stepMs);
      continue;
    }
    const deadline = clock.nextDueAt('deadline');
    if (deadline === undefined) continue;
    // Only deadlines wait, so the work is in real I/O: give it real time to answer.
    const graceEnds = performance.now() + ioGraceMs;
    const unchanged = () => !settled && clock.nextDueAt('wait') === undefined && clock.nextDueAt('deadline') === deadline;
    while (unchanged() && performance.now() < graceEnds) await realDelay(1);
    if (!unchanged()) continue;
    await moveBy(Math.max(1, Math.ceil((deadline - clock.now()) / stepMs)) * stepMs);
  }
  return pending;
}
