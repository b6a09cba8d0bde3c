import { abortReason, systemClock } from './clock';
import type { Clock } from './clock';
import { AbortedError, TimeoutError } from './errors';

// Cancels the deadline's own timer once the work settles. One shared Almanac error as the reason:
// `abort()` without one builds a DOMException, and a clock's sleep would wrap it in a new
// AbortedError, two stack captures per call for a rejection nobody reads.
const SETTLED = new AbortedError('deadline timer cancelled: the work settled');

/** Options of {@link withDeadline}: the clock and budget, and where the deadline applies (named in the `TimeoutError`). */
export interface DeadlineOptions {
  /** Clock the timer runs on (a manual clock in tests). */
  readonly clock: Clock;
  /** Milliseconds before the call fails with `TimeoutError`. */
  readonly timeoutMs: number;
  /** The caller's signal; its abort fails the call with `AbortedError`. */
  readonly signal?: AbortSignal | undefined;
  /** Provider name. */
  readonly provider: string;
  /** Operation name. */
  readonly operation: string;
}

/**
 * Runs `work` with a signal that aborts on the caller's abort or at the deadline, and settles
 * as soon as either happens even if the provider ignores its signal, so a hung provider can
 * never hang the caller. The timer runs on the injected clock.
 *
 * Cost per call is one `AbortController` (the work's signal), one timer and one promise: on
 * the system clock the timer is a plain `setTimeout` (no second signal for the clock's sleep,
 * no abort dispatched when the work settles), and a listener goes on the caller's signal only
 * when one is given. Creating an `AbortSignal` and dispatching `abort` are the expensive parts
 * of Node's implementation, tens of microseconds each on a busy machine, which a storage call
 * of a few hundred microseconds of client CPU would otherwise pay two or three times.
 */
export function withDeadline<T>(options: DeadlineOptions, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const { clock, timeoutMs, signal, provider, operation } = options;
  if (signal?.aborted) return Promise.reject(abortReason(signal));
  const controller = new AbortController();
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    let handle: ReturnType<typeof setTimeout> | undefined;
    let sleeping: AbortController | undefined;
    const cleanup = () => {
      settled = true;
      if (handle !== undefined) clearTimeout(handle);
      // Only a clock other than the system one sleeps on a signal; cancel its sleep.
      sleeping?.abort(SETTLED);
      signal?.removeEventListener('abort', onAbort);
    };
    // The deadline or the caller won: abort the work's signal and settle now, whatever the work does.
    const fail = (error: Error) => {
      if (settled) return;
      cleanup();
      controller.abort(error);
      reject(error);
    };
    const onAbort = () => fail(abortReason(signal as AbortSignal));
    const onTimeout = () => fail(new TimeoutError(`${provider} ${operation} timed out after ${timeoutMs} ms`, { provider, operation }));
    signal?.addEventListener('abort', onAbort, { once: true });
    if (clock === systemClock) {
      handle = setTimeout(onTimeout, timeoutMs);
    } else {
      sleeping = new AbortController();
      clock.sleep(timeoutMs, sleeping.signal, { deadline: true }).then(onTimeout, () => {});
    }
    let running: Promise<T>;
    try {
      running = work(controller.signal);
    } catch (error) {
      running = Promise.reject(error);
    }
    // Once the deadline or the caller has won, a late outcome of the abandoned work is dropped.
    Promise.resolve(running).then(
      (value) => {
        if (settled) return;
        cleanup();
        resolve(value);
      },
      (error: unknown) => {
        if (settled) return;
        cleanup();
        // A provider that honours the signal rejects with the platform's AbortError; report ours.
        reject(controller.signal.aborted ? abortReason(controller.signal) : error);
      },
    );
  });
}
