import { abortReason } from '../clock';
import { AlmanacError, AuthError } from '../errors';
import type { LogFields } from '../logger/types';
import { linkAbort, startTimer } from './attempt-timer';
import type { AttemptSlot } from './attempt-timer';
import { attemptTimeoutError, totalTimeoutError, transportError } from './call-errors';
import type { ClientConfig } from './client-options';
import type { PreparedRequest } from './prepare-request';
import { followRedirects, REDIRECT_STATUSES } from './redirect';
import { readResponseBody } from './response-body';
import { mapResponseError } from './response-error';
import type { HttpResponse } from './types';

// One attempt of the retry loop: rate limit, token, send and read under the attempt's
// timer, and on a 401 one token refresh and one resend.

/** What a client builds once and every attempt reads. */
export interface ClientRuntime {
  readonly config: ClientConfig;
  /** Whether a logger other than the silent one is set: debug fields are built only then. */
  readonly debugEnabled: boolean;
  /** Logs at debug level with redacted fields. */
  readonly debug: (message: string, fields: LogFields) => void;
  /** Reused abort reason for cancelled internal timers: never surfaces, so one instance per client is enough. */
  readonly timerCancelled: AlmanacError;
  /** Provider-requested waits on non-429 errors (e.g. 503 + Retry-After), keyed by the thrown error. */
  readonly retryHints: WeakMap<object, number>;
}

/** Mutable bookkeeping of one call, for spans and the result. */
export interface CallState {
  attempts: number;
  sends: number;
  status: number | undefined;
  /** Clock time the total timeout expires, if there is one. */
  readonly deadlineAt: number | undefined;
}

function hasKeys(record: Record<string, string>): boolean {
  for (const _ in record) return true;
  return false;
}

/**
 * (Re)arms the attempt's single timer at the earlier of the per-attempt limit (while
 * sending) and the call deadline. One timer and one controller per attempt keep the
 * hot path cheap.
 */
function arm(runtime: ClientRuntime, slot: AttemptSlot, prepared: PreparedRequest, state: CallState, sending: boolean): void {
  const { config } = runtime;
  const { clock, timeoutMs } = config;
  slot.cancelTimer?.();
  slot.cancelTimer = undefined;
  const now = clock.now();
  let fireAt = sending && timeoutMs !== undefined ? now + timeoutMs : undefined;
  let total = false;
  if (state.deadlineAt !== undefined && (fireAt === undefined || state.deadlineAt <= fireAt)) {
    fireAt = state.deadlineAt;
    total = true;
  }
  const { controller } = slot;
  if (fireAt === undefined || controller === undefined) return;
  slot.cancelTimer = startTimer(
    clock,
    Math.max(0, fireAt - now),
    () => controller.abort(total ? totalTimeoutError(config, prepared) : attemptTimeoutError(config, prepared)),
    runtime.timerCancelled,
  );
}

/** Sends one request (the first or a redirect hop), mapping what `fetch` throws. */
async function send(runtime: ClientRuntime, prepared: PreparedRequest, slot: AttemptSlot, url: string, init: RequestInit): Promise<Response> {
  try {
    return await runtime.config.fetch(url, init);
  } catch (error) {
    if (slot.controller?.signal.aborted) throw abortReason(slot.controller.signal);
    throw AlmanacError.isInstance(error) ? error : transportError(runtime.config, prepared, error);
  }
}

/** One send and read, under the per-attempt timeout. */
async function exchange(
  runtime: ClientRuntime,
  prepared: PreparedRequest,
  token: string | undefined,
  slot: AttemptSlot,
  state: CallState,
): Promise<HttpResponse<unknown>> {
  const { config, debugEnabled } = runtime;
  const { provider, clock } = config;
  arm(runtime, slot, prepared, state, true);
  state.sends += 1;
  const startedAt = debugEnabled ? clock.now() : 0;
  const headers = token === undefined ? prepared.headers : { ...prepared.headers, authorization: `${config.scheme} ${token}` };
  // Redirects are followed by followRedirects, which knows which headers may cross origins.
  const init: RequestInit = { method: prepared.method, redirect: 'manual' };
  // An empty headers object still costs undici ~4% latency per request, so omit it.
  if (hasKeys(headers)) init.headers = headers;
  if (slot.controller) init.signal = slot.controller.signal;
  if (prepared.body !== undefined) init.body = prepared.body;
  let response = await send(runtime, prepared, slot, prepared.url, init);
  if (response.status >= 300 && response.status < 400 && config.redirect !== 'manual' && REDIRECT_STATUSES.has(response.status)) {
    response = await followRedirects(config, prepared, response, init, (url, hopInit) => send(runtime, prepared, slot, url, hopInit));
  }
  state.status = response.status;
  if (debugEnabled) {
    runtime.debug('http response', {
      provider,
      method: prepared.method,
      url: prepared.urlWithoutQuery,
      status: response.status,
      attempt: state.attempts,
      durationMs: clock.now() - startedAt,
    });
  }
  if (response.status >= 400) {
    const mapped = await mapResponseError(response, {
      provider,
      method: prepared.method,
      path: prepared.path,
      redactor: config.redactor,
      nowMs: clock.now(),
    });
    if (mapped.retryAfterMs !== undefined) runtime.retryHints.set(mapped.error, mapped.retryAfterMs);
    throw mapped.error;
  }
  const data = await readResponseBody(config, prepared, response);
  return { status: response.status, headers: response.headers, data, attempts: state.attempts };
}

/** One attempt of the retry loop: rate limit, token, send; on a 401, one refresh and one resend. */
export async function attemptOnce(
  runtime: ClientRuntime,
  prepared: PreparedRequest,
  attempt: number,
  callerSignal: AbortSignal | undefined,
  state: CallState,
): Promise<HttpResponse<unknown>> {
  const { config, debugEnabled } = runtime;
  const { clock, timeoutMs, tokens } = config;
  state.attempts = attempt;
  if (state.deadlineAt !== undefined && clock.now() >= state.deadlineAt) throw totalTimeoutError(config, prepared);
  // Waiting for a token or the rate limiter needs a signal too (they take one).
  const abortable =
    callerSignal !== undefined || timeoutMs !== undefined || state.deadlineAt !== undefined || tokens !== undefined || config.limiter !== undefined;
  const controller = abortable ? new AbortController() : undefined;
  const slot: AttemptSlot = { controller, cancelTimer: undefined };
  const unlink = callerSignal && controller ? linkAbort(callerSignal, controller) : undefined;
  const signal = controller?.signal;
  try {
    const limiter = config.limiter;
    const limitKey = limiter
      ? (config.limiterKey?.({ method: prepared.method, path: prepared.path, routeKey: prepared.routeKey }) ?? '')
      : '';
    // Waits before sending are bounded by the call deadline only.
    if (limiter || tokens) arm(runtime, slot, prepared, state, false);
    if (limiter) await limiter.take(limitKey, signal!);
    if (debugEnabled) runtime.debug('http request', { provider: config.provider, method: prepared.method, url: prepared.urlWithoutQuery, attempt });
    if (tokens === undefined) return await exchange(runtime, prepared, undefined, slot, state);
    const token = await tokens.current(signal!);
    try {
      return await exchange(runtime, prepared, token, slot, state);
    } catch (error) {
      if (!(AuthError.isInstance(error) && error.status === 401 && prepared.resendable)) throw error;
      arm(runtime, slot, prepared, state, false);
      const fresh = await tokens.refresh(token, signal!);
      if (debugEnabled) {
        runtime.debug('http auth refreshed after 401', { provider: config.provider, method: prepared.method, url: prepared.urlWithoutQuery });
      }
      if (limiter) await limiter.take(limitKey, signal!);
      // A second 401 with a fresh token is final: the credentials are wrong, not stale.
      return await exchange(runtime, prepared, fresh, slot, state);
    }
  } catch (error) {
    // Timeouts and caller aborts surface as the abort reason, whatever the step that noticed.
    if (signal?.aborted) throw abortReason(signal);
    throw error;
  } finally {
    slot.cancelTimer?.();
    unlink?.();
  }
}
