import { createHttpClient, defaultRetryClassifier, parseRetryAfter, withRetry } from '@almanac/core';
import type {
  Clock,
  FetchLike,
  HttpAuth,
  HttpClient,
  HttpClientOptions,
  HttpRequestOptions,
  HttpResponse,
  Logger,
  Redactor,
  RetryClassifier,
  RetryPolicy,
} from '@almanac/core';

/** Settings of {@link createRestTransport}. */
export interface RestTransportOptions {
  /** Provider name used in errors, logs and spans. */
  readonly provider: string;
  /** API root every path is joined to. */
  readonly baseUrl: string;
  /** Access-token source; none for calls that obtain the token themselves. */
  readonly auth: HttpAuth | undefined;
  /** `fetch` to use; the global one (looked up per call) by default. */
  readonly fetch: FetchLike | undefined;
  /** Clock of timeouts, backoff and `Retry-After` dates. */
  readonly clock: Clock;
  /** Debug lines (redacted). */
  readonly logger: Logger | undefined;
  /** Limit of each attempt in ms (core's `timeoutMs`); core's default when undefined. */
  readonly timeoutMs: number | undefined;
  /** Retry policy of every call. */
  readonly retry: RetryPolicy | undefined;
  /** Masks secrets in errors and logs; tokens are registered on it. */
  readonly redactor: Redactor;
  /** `User-Agent` header. */
  readonly userAgent: string;
}

/** One JSON call; `repeatable` marks a POST/PATCH whose repetition has the effect of one call. */
export interface RestCall extends Omit<HttpRequestOptions, 'responseType'> {
  /**
   * The call is idempotent in effect although its method is not (setting `blocked: true`,
   * adding a membership whose duplicate is reported as success, revoking sessions): it is
   * retried like a GET. Never set for a create.
   */
  readonly repeatable?: boolean | undefined;
}

/** JSON calls over core's HTTP client. */
export interface RestTransport {
  /** Sends one call and returns the parsed JSON body (`undefined` when empty). */
  request<T>(call: RestCall): Promise<HttpResponse<T>>;
}

/**
 * Core's HTTP client (retries of idempotent calls, timeouts, token refresh on 401, `Retry-After`
 * and `x-ratelimit-reset` on 429, error mapping, redaction) plus one addition: calls marked
 * `repeatable` are retried too. Core decides retries by method, so such a call goes through a
 * single-attempt client inside an idempotent retry loop, which still honours the wait the
 * provider asked for on 429/503 (read off the response by a thin `fetch` wrapper).
 */
export function createRestTransport(options: RestTransportOptions): RestTransport {
  const { clock, retry } = options;
  const userFetch = options.fetch;
  const baseFetch: FetchLike = userFetch ?? ((input, init) => globalThis.fetch(input, init));
  const base: HttpClientOptions = {
    baseUrl: options.baseUrl,
    provider: options.provider,
    auth: options.auth,
    fetch: baseFetch,
    clock,
    logger: options.logger,
    redactor: options.redactor,
    userAgent: options.userAgent,
    retry,
    // Core bounds a whole call (retries included) at 120 s; a longer attempt limit raises that bound too.
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs, totalTimeoutMs: Math.max(120_000, options.timeoutMs * 3) }),
  };
  const client: HttpClient = createHttpClient(base);

  const repeat = <T>(call: RestCall): Promise<HttpResponse<T>> => {
    let requestedWaitMs: number | undefined;
    const once = createHttpClient({
      ...base,
      retry: { ...retry, maxAttempts: 1 },
      fetch: async (input, init) => {
        const response = await baseFetch(input, init);
        requestedWaitMs = response.status >= 400 ? parseRetryAfter(response.headers, clock.now(), response.status === 429) : undefined;
        return response;
      },
    });
    const classify: RetryClassifier = (error, attempt) => {
      const decision = defaultRetryClassifier(error, attempt);
      return decision.retry && decision.afterMs === undefined && requestedWaitMs !== undefined ? { retry: true, afterMs: requestedWaitMs } : decision;
    };
    const { repeatable: _repeatable, signal, ...request } = call;
    return withRetry((_attempt, attemptSignal) => once.request<T>({ ...request, signal: attemptSignal }), retry, {
      idempotent: true,
      signal,
      clock,
      classify,
    });
  };

  return {
    request: <T>(call: RestCall) => {
      if (call.repeatable === true && call.method !== 'GET' && call.method !== 'DELETE' && call.method !== 'PUT') return repeat<T>(call);
      const { repeatable: _repeatable, ...request } = call;
      return client.request<T>(request);
    },
  };
}
