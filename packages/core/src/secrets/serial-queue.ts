import { abortReason } from '../clock';

/** Runs async tasks one at a time, in call order. */
export interface SerialQueue {
  /**
   * Runs `task` after every previously queued task has settled. If `signal` aborts
   * while waiting, rejects without running `task` and without blocking later tasks.
   */
  run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T>;
}

/**
 * Creates a {@link SerialQueue}: a read-modify-write on shared state inside it cannot
 * interleave with another, which is what prevents lost updates.
 */
export function createSerialQueue(): SerialQueue {
  let tail: Promise<void> = Promise.resolve();
  return {
    async run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
      const previous = tail;
      let release!: () => void;
      const done = new Promise<void>((resolve) => {
        release = resolve;
      });
      tail = previous.then(() => done);
      try {
        await waitUnlessAborted(previous, signal);
        return await task();
      } finally {
        release();
      }
    },
  };
}

function waitUnlessAborted(turn: Promise<void>, signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return turn;
  if (signal.aborted) return Promise.reject(abortReason(signal));
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => reject(abortReason(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    turn.then(() => {
      signal.removeEventListener('abort', onAbort);
      if (signal.aborted) reject(abortReason(signal));
      else resolve();
    });
  });
}
