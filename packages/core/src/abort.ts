import { abortReason } from './clock';

/**
 * Settles with `pending`, or rejects with {@link abortReason} as soon as `signal` aborts (at
 * once if it already has), even when `pending` ignores the signal. The listener is removed
 * when `pending` settles; a rejection of `pending` after the abort is observed and dropped.
 */
export function raceAbort<T>(pending: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortReason(signal));
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    pending.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
