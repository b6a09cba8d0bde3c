import { abortReason } from '../clock';
import { AbortedError, AlmanacError } from '../errors';
import type { LogFields } from '../logger/types';
import { silentLogger } from '../logger/types';
import { defaultRetryClassifier } from '../retry/classify';
import type { RetryClassifier } from '../retry/classify';
import { runWithRetry } from '../retry/with-retry';
import type { RetryEvent } from '../retry/with-retry';
import { attemptOnce } from './attempt';
import type { CallState, ClientRuntime } from './attempt';
import { finalizeError, totalTimeoutError } from './call-errors';
import { resolveConfig } from './client-options';
import { prepareRequest } from './prepare-request';
import { endRequestSpan, startRequestSpan } from './request-span';
import type {
  HttpCallOptions,
  HttpClient,
  HttpClientOptions,
  HttpMethod,
  HttpRequestFunction,
  HttpRequestOptions,
  HttpResponse,
  HttpShorthand,
} from './types';

// The client itself: options validated once (client-options), then per call: build the
// request (prepare-request), open a span (request-span), and drive attempts (attempt)
// through the retry loop, mapping whatever ends the call (call-errors).

/**
 * Creates an HTTP client for one provider. It drives retries (the {@link withRetry} policy),
 * per-attempt and total timeouts, abort, auth refresh and rate limiting from one clock and
 * one signal, on top of `fetch` directly: ky was measured at ~80% latency overhead per
 * loopback request (Request construction, clone, `AbortSignal.any`) for features this
 * client does not use.
 *
 * Defaults: 30 s per attempt, 120 s per call (including retries and waits); pass
 * `timeoutMs: false` / `totalTimeoutMs: false` to turn either off.
 *
 * Failures are mapped to the Almanac error hierarchy with messages naming provider,
 * method, path (never the query) and status, plus a redacted body excerpt.
 */
export function createHttpClient(options: HttpClientOptions): HttpClient {
  const config = resolveConfig(options);
  const { provider, clock, logger, redactor, tracer, policy, totalTimeoutMs } = config;
  const retryHints = new WeakMap<object, number>();
  const runtime: ClientRuntime = {
    config,
    debugEnabled: logger !== silentLogger,
    debug: (message: string, fields: LogFields) => {
      logger.debug(message, redactor.redact(fields));
    },
    timerCancelled: new AbortedError('timer cancelled'),
    retryHints,
  };
  const { debugEnabled, debug } = runtime;

  const classify: RetryClassifier = (error, attempt) => {
    const decision = defaultRetryClassifier(error, attempt);
    if (!decision.retry || decision.afterMs !== undefined || typeof error !== 'object' || error === null) return decision;
    const hint = retryHints.get(error);
    return hint === undefined ? decision : { retry: true, afterMs: hint };
  };

  const request = async (requestOptions: HttpRequestOptions): Promise<HttpResponse<unknown>> => {
    const prepared = prepareRequest(config, requestOptions);
    const callerSignal = requestOptions.signal;
    if (callerSignal?.aborted) throw finalizeError(config, prepared, abortReason(callerSignal));
    const span = startRequestSpan(tracer, prepared);
    const state: CallState = {
      attempts: 0,
      sends: 0,
      status: undefined,
      deadlineAt: totalTimeoutMs === undefined ? undefined : clock.now() + totalTimeoutMs,
    };
    const onRetry = debugEnabled
      ? (event: RetryEvent) =>
          debug('http retry', {
            provider,
            method: prepared.method,
            url: prepared.urlWithoutQuery,
            attempt: event.attempt,
            delayMs: event.delayMs,
            error: AlmanacError.isInstance(event.error) ? event.error.toJSON() : String(event.error),
          })
      : undefined;
    let failure: AlmanacError | undefined;
    try {
      return await runWithRetry(
        (attempt) => attemptOnce(runtime, prepared, attempt, callerSignal, state),
        policy,
        { idempotent: prepared.idempotent, signal: callerSignal, clock, classify, onRetry },
        { honoursSignal: true, deadlineAt: state.deadlineAt, deadlineError: (cause) => totalTimeoutError(config, prepared, cause) },
      );
    } catch (error) {
      failure = finalizeError(config, prepared, error);
      if (debugEnabled) debug('http failed', { provider, method: prepared.method, url: prepared.urlWithoutQuery, error: failure.toJSON() });
      throw failure;
    } finally {
      endRequestSpan(span, state, failure);
    }
  };

  const shorthand =
    (method: HttpMethod): HttpShorthand =>
    (path: string, callOptions?: HttpCallOptions) =>
      request({ ...callOptions, method, path }) as never;

  return Object.freeze({
    request: request as HttpRequestFunction,
    get: shorthand('GET'),
    post: shorthand('POST'),
    put: shorthand('PUT'),
    patch: shorthand('PATCH'),
    delete: shorthand('DELETE'),
  });
}
