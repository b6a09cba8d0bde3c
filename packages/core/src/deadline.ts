import { abortReason } from './clock';
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
 */
export async function withDeadline<T>(options: DeadlineOptions, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const { clock, timeoutMs, signal, provider, operation } = options;
  if (signal?.aborted) throw abortReason(signal);
  const controller = new AbortController();
  const timer = new AbortController();
  let fail: (error: Error) => void = () => {};
  const interrupted = new Promise<never>((_, reject) => {
    fail = (error) => {
      controller.abort(error);
      reject(error);
    };
  });
  interrupted.catch(() => {});
  const onAbort = () => fail(abortReason(signal as AbortSignal));
  signal?.addEventListener('abort', onAbort, { once: true });
  clock.sleep(timeoutMs, timer.signal).then(
    () => fail(new TimeoutError(`${provider} ${operation} timed out after ${timeoutMs} ms`, { provider, operation })),
    () => {},
  );
  try {
    const running = (async () => work(controller.signal))();
    // If the deadline wins, a late rejection of the abandoned work must not go unhandled.
    running.catch(() => {});
    return await Promise.race([running, interrupted]);
  } catch (error) {
    // A provider that honours the signal rejects with the platform's AbortError; report ours.
    if (controller.signal.aborted) throw abortReason(controller.signal);
    throw error;
  } finally {
    timer.abort(SETTLED);
    signal?.removeEventListener('abort', onAbort);
  }
}
