import { raceAbort } from '../abort';
import { abortReason, systemClock } from '../clock';
import type { Clock } from '../clock';
import { ValidationError } from '../errors';
import { defaultRetryClassifier, isAbortError } from './classify';
import type { RetryClassifier } from './classify';
import { backoffDelay, resolveRetryPolicy } from './policy';
import type { ResolvedRetryPolicy, RetryPolicy } from './policy';

/** Reported to {@link WithRetryOptions.onRetry} before each backoff sleep. */
export interface RetryEvent {
  /** The attempt that just failed, starting at 1. */
  readonly attempt: number;
  /** Why it failed. */
  readonly error: unknown;
  /** How long we wait before the next attempt, in ms. */
  readonly delayMs: number;
}

/** Options of {@link withRetry}. */
export interface WithRetryOptions {
  /**
   * Whether repeating the call is safe. Required, so nobody retries a payment by accident:
   * pass `true` only for naturally idempotent operations or calls carrying an idempotency key.
   * `false` means exactly one attempt.
   */
  idempotent: boolean;
  /** Aborts the current attempt and any backoff sleep; the call then rejects with `AbortedError` (or the signal's Almanac reason). */
  signal?: AbortSignal | undefined;
  /** Clock used for backoff sleeps. Default {@link systemClock}. */
  clock?: Clock | undefined;
  /** Decides which failures are retried. Default {@link defaultRetryClassifier}. */
  classify?: RetryClassifier | undefined;
  /** Called before each backoff sleep, e.g. for logging. */
  onRetry?: ((event: RetryEvent) => void) | undefined;
}

/** The operation retried by {@link withRetry}: gets the attempt number (from 1) and the signal to honour. */
export type RetryableOperation<T> = (attempt: number, signal: AbortSignal) => Promise<T>;

/**
 * Runs `fn`, repeating it on retryable failures with full-jitter exponential backoff.
 *
 * Provider-requested waits (e.g. `RateLimitError.retryAfterMs`) replace the backoff; a wait
 * above `policy.maxRetryAfterMs` makes the call fail at once with that error. Aborts are
 * never retried, and aborting during a backoff sleep rejects immediately.
 */
export function withRetry<T>(
  fn: RetryableOperation<T>,
  policy: RetryPolicy | undefined,
  options: WithRetryOptions,
): Promise<T> {
  if (typeof fn !== 'function') {
    return Promise.reject(new ValidationError('withRetry: fn must be a function', [{ path: 'fn', message: 'must be a function' }]));
  }
  if (typeof options !== 'object' || options === null || typeof options.idempotent !== 'boolean') {
    return Promise.reject(
      new ValidationError('withRetry: options.idempotent must be a boolean', [
        { path: 'options.idempotent', message: 'must be a boolean' },
      ]),
    );
  }
  let resolved: ResolvedRetryPolicy;
  try {
    resolved = resolveRetryPolicy(policy);
  } catch (error) {
    return Promise.reject(error);
  }
  // The public contract always hands `fn` a signal, even when the caller has none.
  const signal = options.signal ?? new AbortController().signal;
  return runWithRetry((attempt) => fn(attempt, signal), resolved, { ...options, signal });
}

/**
 * Knobs of {@link runWithRetry} for the HTTP client's hot path. Not part of the public API.
 *
 * @internal
 */
export interface RetryInternals {
  /** `fn` honours the signal itself, so skip racing it (saves a listener per attempt). */
  readonly honoursSignal?: boolean | undefined;
  /** Clock time after which no new attempt may start; a backoff reaching it fails at once. */
  readonly deadlineAt?: number | undefined;
  /** The error thrown when a backoff would cross `deadlineAt`; gets the last failure. */
  readonly deadlineError?: ((lastError: unknown) => Error) | undefined;
}

/**
 * {@link withRetry} for an already-validated policy, so hot paths (the HTTP client)
 * skip re-validating and allocating per call. `fn` gets the caller's signal, if any.
 *
 * @internal
 */
export async function runWithRetry<T>(
  fn: (attempt: number, signal: AbortSignal | undefined) => Promise<T>,
  policy: ResolvedRetryPolicy,
  options: WithRetryOptions,
  internals: RetryInternals = {},
): Promise<T> {
  const { signal } = options;
  const clock = options.clock ?? systemClock;
  const classify = options.classify ?? defaultRetryClassifier;
  const race = signal !== undefined && internals.honoursSignal !== true;
  for (let attempt = 1; ; attempt++) {
    if (signal?.aborted) throw abortReason(signal);
    try {
      return race ? await raceAbort(fn(attempt, signal), signal) : await fn(attempt, signal);
    } catch (error) {
      // Whatever the attempt threw, a caller abort wins and ends the loop.
      if (signal?.aborted) throw abortReason(signal);
      if (!options.idempotent || attempt >= policy.maxAttempts || isAbortError(error)) throw error;
      const decision = classify(error, attempt);
      if (!decision.retry) throw error;
      let delayMs: number;
      const requested = decision.afterMs;
      if (requested !== undefined && Number.isFinite(requested) && requested >= 0) {
        // Parking a call for longer than the cap ties up the caller; failing lets them decide.
        if (requested > policy.maxRetryAfterMs) throw error;
        delayMs = Math.ceil(requested);
      } else {
        delayMs = backoffDelay(policy, attempt - 1);
      }
      const { deadlineAt, deadlineError } = internals;
      if (deadlineAt !== undefined && clock.now() + delayMs >= deadlineAt) {
        // Sleeping only to time out helps nobody; fail now.
        throw deadlineError ? deadlineError(error) : error;
      }
      options.onRetry?.({ attempt, error, delayMs });
      await clock.sleep(delayMs, signal);
    }
  }
}
