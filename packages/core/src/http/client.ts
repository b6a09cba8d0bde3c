import { INVALID_SPAN_CONTEXT, SpanKind, SpanStatusCode, context, isSpanContextValid, propagation, trace } from '@opentelemetry/api';
import type { Span, Tracer } from '@opentelemetry/api';
import { abortReason, systemClock } from '../clock';
import type { Clock } from '../clock';
import { AbortedError, AlmanacError, AuthError, ConfigError, ProviderError, TimeoutError, ValidationError } from '../errors';
import type { ValidationIssue } from '../errors';
import { createRedactor } from '../logger/redact';
import type { Redactor } from '../logger/redact';
import { silentLogger } from '../logger/types';
import type { LogFields, Logger } from '../logger/types';
import { defaultRetryClassifier, isNetworkError } from '../retry/classify';
import type { RetryClassifier } from '../retry/classify';
import { resolveRetryPolicy } from '../retry/policy';
import type { ResolvedRetryPolicy } from '../retry/policy';
import { runWithRetry } from '../retry/with-retry';
import type { RetryEvent } from '../retry/with-retry';
import { createTokenSource } from './auth';
import type { TokenSource } from './auth';
import { bodyExcerpt, mapResponseError } from './response-error';
import { createKeyedTokenBuckets, validateTokenBucketOptions } from './token-bucket';
import type { KeyedTokenBuckets } from './token-bucket';
import type {
  FetchLike,
  HttpCallOptions,
  HttpClient,
  HttpClientOptions,
  HttpMethod,
  HttpRequestFunction,
  HttpRequestOptions,
  HttpResponse,
  HttpShorthand,
  RateLimitKeyInput,
  ResponseType,
} from './types';
import { buildQueryString, normalizeBaseUrl, normalizePath } from './url';

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_TOTAL_TIMEOUT_MS = 120_000;
const MAX_IDEMPOTENCY_KEY_LENGTH = 255;
const METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'PATCH', 'DELETE']);
/** Methods whose repetition has the same effect as one call (RFC 9110 §9.2.2). */
const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);
const RESPONSE_TYPES: ReadonlySet<string> = new Set(['json', 'text', 'bytes', 'response']);
const EMPTY_BODY_STATUSES: ReadonlySet<number> = new Set([204, 205, 304]);
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Everything validated once at client creation. */
interface ClientConfig {
  readonly baseUrl: string;
  readonly provider: string;
  readonly baseHeaders: Readonly<Record<string, string>>;
  readonly fetch: FetchLike;
  readonly timeoutMs: number | undefined;
  readonly totalTimeoutMs: number | undefined;
  readonly policy: ResolvedRetryPolicy;
  readonly limiter: KeyedTokenBuckets | undefined;
  readonly limiterKey: ((request: RateLimitKeyInput) => string) | undefined;
  readonly tokens: TokenSource | undefined;
  readonly scheme: string;
  readonly logger: Logger;
  readonly redactor: Redactor;
  readonly clock: Clock;
  readonly tracer: Tracer;
}

/** One call, validated and with its URL and headers built. */
interface PreparedRequest {
  readonly method: HttpMethod;
  readonly path: string;
  readonly operation: string;
  readonly url: string;
  readonly urlWithoutQuery: string;
  readonly headers: Record<string, string>;
  readonly body: RequestInit['body'] | undefined;
  readonly responseType: ResponseType;
  readonly idempotent: boolean;
  /** Whether the body can be sent again (not a one-shot stream). */
  readonly resendable: boolean;
  readonly routeKey: string | undefined;
}

/** Mutable bookkeeping of one call, for spans and the result. */
interface CallState {
  attempts: number;
  sends: number;
  status: number | undefined;
  /** Clock time the total timeout expires, if there is one. */
  readonly deadlineAt: number | undefined;
}

/**
 * The abort controller of one attempt and the canceller of its single timer. The
 * controller is absent when nothing can abort the attempt (no caller signal, no
 * timeouts): handing `fetch` a signal costs ~10% latency per loopback request in undici.
 */
interface AttemptSlot {
  readonly controller: AbortController | undefined;
  cancelTimer: (() => void) | undefined;
}

const isPositiveNumber = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value) && value > 0;

function hasFunctions(value: unknown, names: readonly string[]): boolean {
  if (typeof value !== 'object' || value === null) return false;
  return names.every((name) => typeof (value as Record<string, unknown>)[name] === 'function');
}

/** Collects the issues of a validator that throws {@link ConfigError}. */
function collect(issues: ValidationIssue[], run: () => void): void {
  try {
    run();
  } catch (error) {
    if (ConfigError.isInstance(error) && error.issues.length > 0) issues.push(...error.issues);
    else throw error;
  }
}

function headerRecord(
  headers: unknown,
  field: string,
  fail: (path: string, message: string) => never,
): Record<string, string> {
  const out: Record<string, string> = {};
  if (headers === undefined) return out;
  if (typeof headers !== 'object' || headers === null || Array.isArray(headers)) fail(field, 'must be an object of strings');
  for (const [name, value] of Object.entries(headers as Record<string, unknown>)) {
    if (value === undefined) continue;
    if (!HEADER_NAME.test(name)) fail(`${field}.${name}`, 'is not a valid header name');
    if (typeof value !== 'string') fail(`${field}.${name}`, 'must be a string');
    if (/[\r\n\0]/.test(value as string)) fail(`${field}.${name}`, 'must not contain line breaks or NUL');
    out[name.toLowerCase()] = value as string;
  }
  return out;
}

function resolveConfig(options: HttpClientOptions): ClientConfig {
  if (typeof options !== 'object' || options === null) {
    throw new ConfigError('createHttpClient: options must be an object', [{ path: '', message: 'must be an object' }]);
  }
  const issues: ValidationIssue[] = [];
  const fail = (path: string, message: string): never => {
    throw new ConfigError(message, [{ path, message }]);
  };
  let baseUrl = '';
  collect(issues, () => {
    baseUrl = normalizeBaseUrl(options.baseUrl);
  });
  if (typeof options.provider !== 'string' || options.provider.trim() === '') {
    issues.push({ path: 'provider', message: 'must be a non-empty string' });
  }
  let baseHeaders: Record<string, string> = {};
  collect(issues, () => {
    baseHeaders = headerRecord(options.headers, 'headers', fail);
  });
  if (options.fetch !== undefined && typeof options.fetch !== 'function') issues.push({ path: 'fetch', message: 'must be a function' });
  const timeout = (name: 'timeoutMs' | 'totalTimeoutMs', fallback: number): number | undefined => {
    const value = options[name];
    if (value === undefined) return fallback;
    if (value === false) return undefined;
    if (!isPositiveNumber(value)) issues.push({ path: name, message: 'must be a finite number > 0, or false' });
    return value;
  };
  const timeoutMs = timeout('timeoutMs', DEFAULT_TIMEOUT_MS);
  const totalTimeoutMs = timeout('totalTimeoutMs', DEFAULT_TOTAL_TIMEOUT_MS);
  let policy: ResolvedRetryPolicy | undefined;
  collect(issues, () => {
    policy = resolveRetryPolicy(options.retry, 'retry');
  });
  if (options.rateLimit !== undefined) {
    collect(issues, () => validateTokenBucketOptions(options.rateLimit, 'rateLimit'));
    if (options.rateLimit?.key !== undefined && typeof options.rateLimit.key !== 'function') {
      issues.push({ path: 'rateLimit.key', message: 'must be a function' });
    }
  }
  if (options.auth !== undefined) {
    if (!hasFunctions(options.auth, ['getToken'])) issues.push({ path: 'auth.getToken', message: 'must be a function' });
    const scheme: unknown = options.auth?.scheme;
    if (scheme !== undefined && (typeof scheme !== 'string' || !HEADER_NAME.test(scheme))) {
      issues.push({ path: 'auth.scheme', message: 'must be a single token such as "Bearer"' });
    }
  }
  if (options.logger !== undefined && !hasFunctions(options.logger, ['debug', 'info', 'warn', 'error'])) {
    issues.push({ path: 'logger', message: 'must implement debug, info, warn and error' });
  }
  if (options.redactor !== undefined && !hasFunctions(options.redactor, ['addSecret', 'redact', 'redactString'])) {
    issues.push({ path: 'redactor', message: 'must implement addSecret, redact and redactString' });
  }
  if (options.clock !== undefined && !hasFunctions(options.clock, ['now', 'sleep'])) {
    issues.push({ path: 'clock', message: 'must implement now and sleep' });
  }
  if (options.userAgent !== undefined && (typeof options.userAgent !== 'string' || /[\r\n\0]/.test(options.userAgent))) {
    issues.push({ path: 'userAgent', message: 'must be a string without line breaks' });
  }
  if (options.tracer !== undefined && !hasFunctions(options.tracer, ['startSpan'])) {
    issues.push({ path: 'tracer', message: 'must be an OpenTelemetry Tracer' });
  }
  if (issues.length > 0 || policy === undefined) {
    throw new ConfigError(
      `createHttpClient: invalid options: ${issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`,
      issues,
    );
  }

  const clock = options.clock ?? systemClock;
  const redactor = options.redactor ?? createRedactor();
  const provider = options.provider.trim();
  const userFetch = options.fetch;
  const rateLimit = options.rateLimit;
  return {
    baseUrl,
    provider,
    // No default user-agent or accept header: fetch sends its own, and each extra header costs latency.
    baseHeaders: Object.freeze(options.userAgent === undefined ? baseHeaders : { 'user-agent': options.userAgent, ...baseHeaders }),
    // Looked up per call so test interceptors that patch globalThis.fetch later still apply.
    fetch: userFetch ?? ((input, init) => globalThis.fetch(input, init)),
    timeoutMs,
    totalTimeoutMs,
    policy,
    limiter: rateLimit ? createKeyedTokenBuckets({ capacity: rateLimit.capacity, refillPerSecond: rateLimit.refillPerSecond, clock }) : undefined,
    limiterKey: rateLimit?.key,
    tokens: options.auth
      ? createTokenSource({ auth: options.auth, provider, redactor, clock, refreshTimeoutMs: timeoutMs ?? totalTimeoutMs })
      : undefined,
    scheme: options.auth?.scheme ?? 'Bearer',
    logger: options.logger ?? silentLogger,
    redactor,
    clock,
    tracer: options.tracer ?? trace.getTracer('@almanac/core'),
  };
}

/**
 * Runs `onFire` after `ms` unless the returned canceller runs first. Uses a plain timer
 * with the system clock (no promise, no listener per call) and `clock.sleep` otherwise.
 */
function startTimer(clock: Clock, ms: number, onFire: () => void, cancelReason: AlmanacError): () => void {
  if (clock === systemClock) {
    const handle = setTimeout(onFire, ms);
    return () => clearTimeout(handle);
  }
  const cancel = new AbortController();
  clock.sleep(ms, cancel.signal).then(onFire, () => {
    // Cancelled: the guarded work finished first.
  });
  return () => cancel.abort(cancelReason);
}

function hasKeys(record: Record<string, string>): boolean {
  for (const _ in record) return true;
  return false;
}

/** Forwards an abort of `from` to `to`; returns the unlinker. */
function linkAbort(from: AbortSignal, to: AbortController): () => void {
  if (from.aborted) {
    to.abort(from.reason);
    return () => {};
  }
  const onAbort = () => to.abort(from.reason);
  from.addEventListener('abort', onAbort, { once: true });
  return () => from.removeEventListener('abort', onAbort);
}

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
  const { provider, clock, logger, redactor, tracer, policy, timeoutMs, totalTimeoutMs, tokens } = config;
  const debugEnabled = logger !== silentLogger;
  // Reused abort reason for cancelled internal timers: never surfaces, so one instance per client is enough.
  const timerCancelled = new AbortedError('timer cancelled');
  // Provider-requested waits on non-429 errors (e.g. 503 + Retry-After), keyed by the thrown error.
  const retryHints = new WeakMap<object, number>();

  const classify: RetryClassifier = (error, attempt) => {
    const decision = defaultRetryClassifier(error, attempt);
    if (!decision.retry || decision.afterMs !== undefined || typeof error !== 'object' || error === null) return decision;
    const hint = retryHints.get(error);
    return hint === undefined ? decision : { retry: true, afterMs: hint };
  };

  const debug = (message: string, fields: LogFields) => {
    logger.debug(message, redactor.redact(fields));
  };

  const validationFail = (path: string, message: string): never => {
    throw new ValidationError(`${path} ${message}`, [{ path, message }]);
  };

  const prepare = (request: HttpRequestOptions): PreparedRequest => {
    if (typeof request !== 'object' || request === null) validationFail('request', 'must be an object');
    const { method } = request;
    if (typeof method !== 'string' || !METHODS.has(method)) validationFail('method', `must be one of ${[...METHODS].join(', ')}`);
    const path = normalizePath(request.path);
    const query = buildQueryString(request.query);
    const responseType = request.responseType ?? 'json';
    if (!RESPONSE_TYPES.has(responseType)) validationFail('responseType', 'must be json, text, bytes or response');
    const headers: Record<string, string> = { ...config.baseHeaders };
    if (request.headers !== undefined) Object.assign(headers, headerRecord(request.headers, 'headers', validationFail));
    const { idempotencyKey, routeKey } = request;
    if (idempotencyKey !== undefined) {
      if (typeof idempotencyKey !== 'string' || idempotencyKey.length === 0 || idempotencyKey.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
        validationFail('idempotencyKey', `must be a non-empty string of at most ${MAX_IDEMPOTENCY_KEY_LENGTH} characters`);
      }
      if (/[\r\n\0]/.test(idempotencyKey)) validationFail('idempotencyKey', 'must not contain line breaks or NUL');
      headers['idempotency-key'] = idempotencyKey;
    }
    if (routeKey !== undefined && typeof routeKey !== 'string') validationFail('routeKey', 'must be a string');
    if (request.signal !== undefined && !(request.signal instanceof AbortSignal)) validationFail('signal', 'must be an AbortSignal');
    let body: RequestInit['body'] | undefined;
    if (request.json !== undefined) {
      if (request.body !== undefined) validationFail('json', 'cannot be combined with body');
      try {
        body = JSON.stringify(request.json);
      } catch (error) {
        throw new ValidationError('json is not JSON-serialisable', [{ path: 'json', message: 'is not JSON-serialisable' }], {
          cause: error,
        });
      }
      headers['content-type'] ??= 'application/json';
    } else if (request.body !== undefined && request.body !== null) {
      body = request.body;
    }
    if (body !== undefined && (method === 'GET' || method === 'HEAD')) validationFail('body', `is not allowed with ${method}`);
    const resendable = !(body instanceof ReadableStream);
    const urlWithoutQuery = config.baseUrl + path;
    return {
      method: method as HttpMethod,
      path: path || '/',
      operation: `${method} ${path || '/'}`,
      url: urlWithoutQuery + query,
      urlWithoutQuery,
      headers,
      body,
      responseType: responseType as ResponseType,
      idempotent: resendable && (IDEMPOTENT_METHODS.has(method) || idempotencyKey !== undefined),
      resendable,
      routeKey,
    };
  };

  const readData = async (prepared: PreparedRequest, response: Response): Promise<unknown> => {
    const empty = prepared.method === 'HEAD' || EMPTY_BODY_STATUSES.has(response.status);
    switch (prepared.responseType) {
      case 'response':
        return response;
      case 'text':
        return empty ? '' : response.text();
      case 'bytes':
        return empty ? new Uint8Array(0) : new Uint8Array(await response.arrayBuffer());
      default: {
        if (empty) return undefined;
        const text = await response.text();
        if (text === '') return undefined;
        try {
          return JSON.parse(text);
        } catch (error) {
          throw new ProviderError(
            redactor.redactString(
              `${provider}: ${prepared.operation} returned invalid JSON (HTTP ${response.status}): ${bodyExcerpt(text, redactor)}`,
            ),
            { provider, operation: prepared.operation, status: response.status, cause: error },
          );
        }
      }
    }
  };

  /** An error `fetch` itself threw (no response): network failure or a bad request the runtime refused. */
  const transportError = (prepared: PreparedRequest, error: unknown): AlmanacError => {
    const network = isNetworkError(error);
    const cause = (error as { cause?: { code?: unknown } } | null)?.cause;
    const code = typeof cause?.code === 'string' ? cause.code : (error as { code?: unknown } | null)?.code;
    const detail = network
      ? `network error${typeof code === 'string' ? ` (${code})` : ''}`
      : redactor.redactString(error instanceof Error ? error.message : String(error)).slice(0, 200);
    return new ProviderError(`${provider}: ${prepared.operation} failed: ${detail}`, {
      provider,
      operation: prepared.operation,
      retryable: network,
      cause: error,
    });
  };

  const attemptTimeoutError = (prepared: PreparedRequest) =>
    new TimeoutError(`${provider}: ${prepared.operation} timed out after ${timeoutMs} ms (per attempt)`, {
      provider,
      operation: prepared.operation,
    });

  const totalTimeoutError = (prepared: PreparedRequest, cause?: unknown) =>
    new TimeoutError(`${provider}: ${prepared.operation} exceeded the total timeout of ${totalTimeoutMs} ms`, {
      provider,
      operation: prepared.operation,
      // The deadline is spent: repeating cannot help within this call.
      retryable: false,
      cause,
    });

  /**
   * (Re)arms the attempt's single timer at the earlier of the per-attempt limit (while
   * sending) and the call deadline. One timer and one controller per attempt keep the
   * hot path cheap.
   */
  const arm = (slot: AttemptSlot, prepared: PreparedRequest, state: CallState, sending: boolean): void => {
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
      () => controller.abort(total ? totalTimeoutError(prepared) : attemptTimeoutError(prepared)),
      timerCancelled,
    );
  };

  /** One send and read, under the per-attempt timeout. */
  const exchange = async (
    prepared: PreparedRequest,
    token: string | undefined,
    slot: AttemptSlot,
    state: CallState,
  ): Promise<HttpResponse<unknown>> => {
    arm(slot, prepared, state, true);
    state.sends += 1;
    const startedAt = debugEnabled ? clock.now() : 0;
    const headers = token === undefined ? prepared.headers : { ...prepared.headers, authorization: `${config.scheme} ${token}` };
    let response: Response;
    try {
      const init: RequestInit = { method: prepared.method };
      // An empty headers object still costs undici ~4% latency per request, so omit it.
      if (hasKeys(headers)) init.headers = headers;
      if (slot.controller) init.signal = slot.controller.signal;
      if (prepared.body !== undefined) init.body = prepared.body;
      response = await config.fetch(prepared.url, init);
    } catch (error) {
      if (slot.controller?.signal.aborted) throw abortReason(slot.controller.signal);
      throw AlmanacError.isInstance(error) ? error : transportError(prepared, error);
    }
    state.status = response.status;
    if (debugEnabled) {
      debug('http response', {
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
        redactor,
        nowMs: clock.now(),
      });
      if (mapped.retryAfterMs !== undefined) retryHints.set(mapped.error, mapped.retryAfterMs);
      throw mapped.error;
    }
    const data = await readData(prepared, response);
    return { status: response.status, headers: response.headers, data, attempts: state.attempts };
  };

  /** One attempt of the retry loop: rate limit, token, send; on a 401, one refresh and one resend. */
  const attemptOnce = async (
    prepared: PreparedRequest,
    attempt: number,
    callerSignal: AbortSignal | undefined,
    state: CallState,
  ): Promise<HttpResponse<unknown>> => {
    state.attempts = attempt;
    if (state.deadlineAt !== undefined && clock.now() >= state.deadlineAt) throw totalTimeoutError(prepared);
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
      if (limiter || tokens) arm(slot, prepared, state, false);
      if (limiter) await limiter.take(limitKey, signal!);
      if (debugEnabled) debug('http request', { provider, method: prepared.method, url: prepared.urlWithoutQuery, attempt });
      if (tokens === undefined) return await exchange(prepared, undefined, slot, state);
      const token = await tokens.current(signal!);
      try {
        return await exchange(prepared, token, slot, state);
      } catch (error) {
        if (!(AuthError.isInstance(error) && error.status === 401 && prepared.resendable)) throw error;
        arm(slot, prepared, state, false);
        const fresh = await tokens.refresh(token, signal!);
        if (debugEnabled) debug('http auth refreshed after 401', { provider, method: prepared.method, url: prepared.urlWithoutQuery });
        if (limiter) await limiter.take(limitKey, signal!);
        // A second 401 with a fresh token is final: the credentials are wrong, not stale.
        return await exchange(prepared, fresh, slot, state);
      }
    } catch (error) {
      // Timeouts and caller aborts surface as the abort reason, whatever the step that noticed.
      if (signal?.aborted) throw abortReason(signal);
      throw error;
    } finally {
      slot.cancelTimer?.();
      unlink?.();
    }
  };

  /** Gives errors without call context (e.g. a bare abort) the provider and operation. */
  const finalizeError = (prepared: PreparedRequest, error: unknown): AlmanacError => {
    if (AlmanacError.isInstance(error)) {
      if (AbortedError.isInstance(error) && error.provider === undefined) {
        return new AbortedError(`${provider}: ${prepared.operation} was aborted`, {
          provider,
          operation: prepared.operation,
          cause: error.cause ?? error,
        });
      }
      return error;
    }
    return transportError(prepared, error);
  };

  const request = async (requestOptions: HttpRequestOptions): Promise<HttpResponse<unknown>> => {
    const prepared = prepare(requestOptions);
    const callerSignal = requestOptions.signal;
    if (callerSignal?.aborted) throw finalizeError(prepared, abortReason(callerSignal));
    const span: Span = tracer.startSpan(`HTTP ${prepared.method}`, { kind: SpanKind.CLIENT });
    const recording = span.isRecording();
    if (recording) {
      span.setAttribute('http.request.method', prepared.method);
      span.setAttribute('url.full', prepared.urlWithoutQuery);
    }
    const spanContext = span.spanContext();
    // Identity check first: the no-op tracer returns this constant, and the full check runs regexes.
    if (spanContext !== INVALID_SPAN_CONTEXT && isSpanContextValid(spanContext)) {
      propagation.inject(trace.setSpan(context.active(), span), prepared.headers);
    }
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
    try {
      return await runWithRetry(
        (attempt) => attemptOnce(prepared, attempt, callerSignal, state),
        policy,
        { idempotent: prepared.idempotent, signal: callerSignal, clock, classify, onRetry },
        { honoursSignal: true, deadlineAt: state.deadlineAt, deadlineError: (cause) => totalTimeoutError(prepared, cause) },
      );
    } catch (error) {
      const final = finalizeError(prepared, error);
      if (recording) {
        span.setAttribute('error.type', state.status !== undefined && state.status >= 400 ? String(state.status) : final.code);
        span.setStatus({ code: SpanStatusCode.ERROR, message: final.message });
      }
      if (debugEnabled) debug('http failed', { provider, method: prepared.method, url: prepared.urlWithoutQuery, error: final.toJSON() });
      throw final;
    } finally {
      if (recording) {
        if (state.status !== undefined) span.setAttribute('http.response.status_code', state.status);
        if (state.sends > 1) span.setAttribute('http.request.resend_count', state.sends - 1);
      }
      span.end();
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
