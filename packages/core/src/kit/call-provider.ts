import { abortReason, systemClock } from '../clock';
import type { Clock } from '../clock';
import { AlmanacError, ProviderError, ValidationError } from '../errors';
import type { ValidationIssue } from '../errors';
import { silentLogger } from '../logger/types';
import type { Logger } from '../logger/types';
import { defaultRetryClassifier } from '../retry/classify';
import type { RetryClassifier } from '../retry/classify';
import type { RetryPolicy } from '../retry/policy';
import { resolveRetryPolicy } from '../retry/policy';
import { runWithRetry } from '../retry/with-retry';
import { withErrorContext } from './errors';

/**
 * Proof that repeating a non-idempotent call cannot apply it twice: a precondition the provider
 * enforces (an etag, "create only if absent") or an idempotency key it deduplicates on.
 */
export interface SafeToRetry {
  /** Which mechanism makes the repeat safe. */
  readonly reason: 'precondition' | 'idempotency-key';
  /** The etag, precondition or key; an empty value proves nothing and disables retries. */
  readonly value: string;
}

/** What {@link ProviderErrorMapper} is told about a failure besides the error. */
export interface ProviderErrorInfo {
  /** Operation that failed. */
  readonly operation: string;
  /** Clock time of the failure, e.g. to turn a `Retry-After` date into a wait. */
  readonly nowMs: number;
  /** The signal of the attempt that failed. */
  readonly signal: AbortSignal;
}

/**
 * A mapping result for a provider that asks for a wait on errors other than rate limits (e.g.
 * Graph's `Retry-After` on 503): the wait is honoured if the error is retried.
 */
export interface MappedProviderError {
  /** The mapped error. */
  readonly error: AlmanacError;
  /** How long the provider asked to wait before a retry, in ms. */
  readonly retryAfterMs?: number | undefined;
}

/**
 * Maps one failure that is not already an {@link AlmanacError} to core's hierarchy. Called once
 * per failed attempt, never for aborts.
 */
export type ProviderErrorMapper = (error: unknown, info: ProviderErrorInfo) => AlmanacError | MappedProviderError;

/** Options of {@link callProvider}. */
export interface CallProviderOptions {
  /** Provider name, set on every error that lacks one. */
  readonly provider: string;
  /** Operation name, set on every error that lacks one and passed to `mapError`. */
  readonly operation: string;
  /** Whether repeating the call is safe by nature (reads, deletes, PUTs of a full state). */
  readonly idempotent: boolean;
  /** Makes a non-idempotent call retryable when its `value` is non-empty (see {@link SafeToRetry}). */
  readonly safeToRetry?: SafeToRetry | undefined;
  /** The caller's signal; aborting it ends the call with `AbortedError` (or the signal's Almanac reason, e.g. a `TimeoutError` deadline). */
  readonly signal?: AbortSignal | undefined;
  /** Retry policy (core's `withRetry`); validated. */
  readonly retry?: RetryPolicy | undefined;
  /** Clock of backoff sleeps and of `nowMs`. Default {@link systemClock}. */
  readonly clock?: Clock | undefined;
  /** Told about each retry at debug level (provider, operation, attempt, wait, error code; nothing else). */
  readonly logger?: Logger | undefined;
  /** Maps a non-Almanac failure; see {@link ProviderErrorMapper}. */
  readonly mapError: ProviderErrorMapper;
  /** Decides which mapped failures are retried. Default: core's {@link defaultRetryClassifier}. */
  readonly classify?: RetryClassifier | undefined;
  /**
   * `fn` itself settles as soon as the signal it gets aborts (an SDK that rejects on
   * `abortSignal`, e.g. the AWS SDK's HTTP handler), so the call need not race each attempt
   * against the signal (one listener and one promise less per attempt). Default `false`: an
   * attempt that ignores its signal is abandoned at the abort.
   */
  readonly honoursSignal?: boolean | undefined;
}

/** Whether the options need no check beyond the common case (two names, a boolean, a mapper). */
function plainOptions(options: CallProviderOptions): boolean {
  return (
    typeof options.provider === 'string' &&
    options.provider !== '' &&
    typeof options.operation === 'string' &&
    options.operation !== '' &&
    typeof options.idempotent === 'boolean' &&
    typeof options.mapError === 'function' &&
    options.classify === undefined &&
    options.safeToRetry === undefined
  );
}

function checkOptions(options: CallProviderOptions): void {
  // Checked on every call: the common shape is recognised without allocating the issue list.
  if (plainOptions(options)) return;
  const issues: ValidationIssue[] = [];
  const text = (field: 'provider' | 'operation') => {
    if (typeof options[field] !== 'string' || options[field] === '') issues.push({ path: `options.${field}`, message: 'must be a non-empty string' });
  };
  text('provider');
  text('operation');
  if (typeof options.idempotent !== 'boolean') issues.push({ path: 'options.idempotent', message: 'must be a boolean' });
  if (typeof options.mapError !== 'function') issues.push({ path: 'options.mapError', message: 'must be a function' });
  if (options.classify !== undefined && typeof options.classify !== 'function') {
    issues.push({ path: 'options.classify', message: 'must be a function' });
  }
  const safe = options.safeToRetry;
  if (safe !== undefined) {
    if (typeof safe !== 'object' || safe === null) {
      issues.push({ path: 'options.safeToRetry', message: 'must be an object' });
    } else {
      if (safe.reason !== 'precondition' && safe.reason !== 'idempotency-key') {
        issues.push({ path: 'options.safeToRetry.reason', message: 'must be "precondition" or "idempotency-key"' });
      }
      if (typeof safe.value !== 'string') issues.push({ path: 'options.safeToRetry.value', message: 'must be a string' });
    }
  }
  if (issues.length > 0) throw new ValidationError(undefined, issues, { provider: options.provider, operation: options.operation });
}

/**
 * Calls a provider (an SDK method, a REST call) with the suite's single set of rules:
 *
 * - **Retries** (core's `withRetry`, on the injected clock, honouring `RateLimitError.retryAfterMs`
 *   and {@link MappedProviderError.retryAfterMs}) only when `idempotent` is true or `safeToRetry`
 *   carries a non-empty value; otherwise exactly one attempt.
 * - **Abort**: when the caller's signal (which is the signal each attempt gets) has aborted,
 *   the call rejects with core's `abortReason(signal)`, never with a mapped provider error,
 *   and is never retried.
 * - **Errors**: Almanac errors pass through, anything else goes through `mapError` exactly once
 *   per failed attempt; the error the caller sees always names `provider` and `operation`.
 *
 * `fn` gets the signal to hand to the provider and the attempt number (from 1).
 */
export async function callProvider<R>(
  fn: (signal: AbortSignal, attempt: number) => Promise<R>,
  options: CallProviderOptions,
): Promise<R> {
  if (typeof fn !== 'function') throw new ValidationError(undefined, [{ path: 'fn', message: 'must be a function' }]);
  if (typeof options !== 'object' || options === null) {
    throw new ValidationError(undefined, [{ path: 'options', message: 'must be an object' }]);
  }
  checkOptions(options);
  const { provider, operation, mapError } = options;
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const safe = options.safeToRetry;
  const retryable = options.idempotent || (safe !== undefined && safe.value !== '');
  // Waits a provider asked for on errors other than RateLimitError; read by the classifier below.
  let requestedWaits: WeakMap<AlmanacError, number> | undefined;
  const baseClassify = options.classify ?? defaultRetryClassifier;
  const classify: RetryClassifier = (error, attempt) => {
    const decision = baseClassify(error, attempt);
    const afterMs = requestedWaits?.get(error as AlmanacError);
    return decision.retry && afterMs !== undefined && decision.afterMs === undefined ? { retry: true, afterMs } : decision;
  };

  const attemptOnce = async (attempt: number, signal: AbortSignal): Promise<R> => {
    try {
      return await fn(signal, attempt);
    } catch (error) {
      // Whatever the provider threw after an abort (its own AbortError, a socket error), the
      // caller asked to stop: report that, not a provider failure.
      if (signal.aborted) throw abortReason(signal);
      if (AlmanacError.isInstance(error)) throw withErrorContext(error, provider, operation);
      let mapped: AlmanacError | MappedProviderError;
      try {
        mapped = mapError(error, { operation, nowMs: clock.now(), signal });
      } catch (mapperError) {
        mapped = AlmanacError.isInstance(mapperError)
          ? mapperError
          : new ProviderError(`${provider} ${operation} failed (and mapping the error failed)`, { provider, operation, cause: error });
      }
      if (AlmanacError.isInstance(mapped)) throw withErrorContext(mapped, provider, operation);
      const result = mapped as MappedProviderError;
      if (!AlmanacError.isInstance(result?.error)) {
        const detail = error instanceof Error ? error.message : String(error);
        throw new ProviderError(`${provider} ${operation} failed: ${detail}`, { provider, operation, cause: error });
      }
      if (result.retryAfterMs !== undefined) {
        requestedWaits ??= new WeakMap();
        requestedWaits.set(result.error, result.retryAfterMs);
      }
      throw withErrorContext(result.error, provider, operation);
    }
  };

  const signal = options.signal;
  // The public contract always hands `fn` a signal, even when the caller has none.
  const attemptSignal = signal ?? new AbortController().signal;
  try {
    // Validated (a ConfigError naming the field, given the call's context below); one shared
    // frozen default when none is given.
    const policy = resolveRetryPolicy(options.retry);
    return await runWithRetry((attempt) => attemptOnce(attempt, attemptSignal), policy, {
      idempotent: retryable,
      signal: attemptSignal,
      clock,
      classify,
      onRetry: ({ attempt, error, delayMs }) =>
        logger.debug(`${provider}: retrying ${operation}`, {
          provider,
          operation,
          attempt,
          delayMs,
          code: AlmanacError.isInstance(error) ? error.code : 'unknown',
          ...(options.idempotent ? {} : { safeToRetry: safe?.reason }),
        }),
    }, { honoursSignal: options.honoursSignal === true });
  } catch (error) {
    if (signal?.aborted) throw abortReason(signal);
    if (AlmanacError.isInstance(error)) throw withErrorContext(error, provider, operation);
    // Only reachable through a bug; still an Almanac error naming the call.
    throw new ProviderError(`${provider} ${operation} failed`, { provider, operation, cause: error });
  }
}
