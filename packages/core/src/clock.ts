import { AbortedError, AlmanacError } from './errors';

/**
 * Source of time and sleeps. Inject one wherever code waits or reads the time,
 * so tests can use {@link createManualClock} instead of real timers.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /**
   * Resolves after `ms`; rejects with {@link AbortedError} as soon as `signal` aborts.
   * `options` describe the sleep; a clock may ignore them (the system clock does).
   */
  sleep(ms: number, signal?: AbortSignal, options?: SleepOptions): Promise<void>;
}

/** What a {@link Clock.sleep} is for. */
export interface SleepOptions {
  /**
   * `true` when the sleep is a deadline on work in flight (a request timeout): it only
   * matters if the work has not finished by then. A test clock driver such as
   * `runWithClock` moves straight through waits (backoff, rate limits) but holds a
   * deadline back while real I/O (a nock reply, a local server) may still answer.
   */
  readonly deadline?: boolean | undefined;
}

/** The real clock: `Date.now()` and `setTimeout`. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep(ms, signal) {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(abortReason(signal));
        return;
      }
      const onAbort = () => {
        clearTimeout(timer);
        reject(abortReason(signal as AbortSignal));
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, Math.max(0, ms));
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  },
};

/** A clock that only moves when told to. For tests. */
export interface ManualClock extends Clock {
  /** Moves time forward, resolving every sleep that is now due (in order). */
  advance(ms: number): Promise<void>;
  /** Sets the current time (never backwards past pending sleeps' order). */
  set(epochMs: number): void;
  /** Number of sleeps still waiting. */
  pendingSleeps(): number;
  /**
   * When the earliest pending sleep of that kind is due (epoch ms), or `undefined` when
   * none waits: `'deadline'` for sleeps made with `{ deadline: true }`, `'wait'` for the rest.
   */
  nextDueAt(kind: 'deadline' | 'wait'): number | undefined;
}

/** Creates a {@link ManualClock} starting at `startMs` (default 0). */
export function createManualClock(startMs = 0): ManualClock {
  let current = startMs;
  let sequence = 0;
  const sleepers: Array<{ due: number; seq: number; deadline: boolean; resolve: () => void }> = [];
  const flushMicrotasks = async () => {
    for (let i = 0; i < 10; i++) await Promise.resolve();
  };
  return {
    now: () => current,
    sleep(ms, signal, options) {
      return new Promise<void>((resolve, reject) => {
        if (signal?.aborted) {
          reject(abortReason(signal));
          return;
        }
        const entry = { due: current + Math.max(0, ms), seq: sequence++, deadline: options?.deadline === true, resolve: () => resolve() };
        sleepers.push(entry);
        signal?.addEventListener(
          'abort',
          () => {
            const index = sleepers.indexOf(entry);
            if (index >= 0) sleepers.splice(index, 1);
            reject(abortReason(signal));
          },
          { once: true },
        );
      });
    },
    async advance(ms) {
      const target = current + ms;
      for (;;) {
        await flushMicrotasks();
        sleepers.sort((a, b) => a.due - b.due || a.seq - b.seq);
        const next = sleepers[0];
        if (!next || next.due > target) break;
        sleepers.shift();
        current = Math.max(current, next.due);
        next.resolve();
      }
      current = target;
      await flushMicrotasks();
    },
    set(epochMs) {
      current = epochMs;
    },
    pendingSleeps: () => sleepers.length,
    nextDueAt(kind) {
      let earliest: number | undefined;
      for (const sleeper of sleepers) {
        if (sleeper.deadline !== (kind === 'deadline')) continue;
        if (earliest === undefined || sleeper.due < earliest) earliest = sleeper.due;
      }
      return earliest;
    },
  };
}

/**
 * The error to throw for an aborted signal: the reason itself when it is already an
 * {@link AlmanacError} (e.g. a `TimeoutError` from a deadline), else {@link AbortedError}.
 */
export function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (AlmanacError.isInstance(reason)) return reason;
  return new AbortedError(undefined, { cause: reason });
}
