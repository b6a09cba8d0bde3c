import { systemClock } from '../clock';
import type { Clock } from '../clock';
import type { AlmanacError } from '../errors';

// The timer and abort plumbing of one attempt, kept to one timer and one controller.

/**
 * The abort controller of one attempt and the canceller of its single timer. The
 * controller is absent when nothing can abort the attempt (no caller signal, no
 * timeouts): handing `fetch` a signal costs ~10% latency per loopback request in undici.
 */
export interface AttemptSlot {
  readonly controller: AbortController | undefined;
  cancelTimer: (() => void) | undefined;
}

/**
 * Runs `onFire` after `ms` unless the returned canceller runs first. Uses a plain timer
 * with the system clock (no promise, no listener per call) and `clock.sleep` otherwise.
 */
export function startTimer(clock: Clock, ms: number, onFire: () => void, cancelReason: AlmanacError): () => void {
  if (clock === systemClock) {
    const handle = setTimeout(onFire, ms);
    return () => clearTimeout(handle);
  }
  const cancel = new AbortController();
  clock.sleep(ms, cancel.signal, { deadline: true }).then(onFire, () => {
    // Cancelled: the guarded work finished first.
  });
  return () => cancel.abort(cancelReason);
}

/** Forwards an abort of `from` to `to`; returns the unlinker. */
export function linkAbort(from: AbortSignal, to: AbortController): () => void {
  if (from.aborted) {
    to.abort(from.reason);
    return () => {};
  }
  const onAbort = () => to.abort(from.reason);
  from.addEventListener('abort', onAbort, { once: true });
  return () => from.removeEventListener('abort', onAbort);
}
