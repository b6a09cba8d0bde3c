import type { Tracer } from '@opentelemetry/api';
import type { Clock } from '../clock';
import type { Logger } from '../logger/types';
import type { Redactor } from '../logger/redact';
import type { RetryPolicy } from '../retry/policy';

/** HTTP methods the client sends. */
export type HttpMethod = 'GET' | 'HEAD' | 'OPTIONS' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** One query parameter value; `null` and `undefined` are left out of the URL. */
export type QueryValue = string | number | boolean | null | undefined;

/** Query parameters; an array value repeats the key (`?id=1&id=2`). */
export type QueryParams = Readonly<Record<string, QueryValue | readonly QueryValue[]>>;

/** How the response body is returned in {@link HttpResponse.data}. */
export type ResponseType = 'json' | 'text' | 'bytes' | 'response';

/** The `fetch` signature the client needs; inject one for tests or custom agents. */
export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** Everything one call may set, except method and path. */
export interface HttpCallOptions {
  /** Query parameters. Never included in error messages, logs or spans, since they may carry secrets. */
  query?: QueryParams | undefined;
  /** Extra headers for this call; `undefined` values are dropped. */
  headers?: Readonly<Record<string, string | undefined>> | undefined;
  /** Value sent as a JSON body (`content-type: application/json`). Excludes `body`. */
  json?: unknown;
  /** Raw body. A `ReadableStream` can be sent only once, so such calls are never repeated. Excludes `json`. */
  body?: RequestInit['body'] | undefined;
  /** Aborts the call, including backoff sleeps and rate-limit waits; it then rejects with `AbortedError`. */
  signal?: AbortSignal | undefined;
  /** Sent as `Idempotency-Key`; makes POST and PATCH safe to retry. */
  idempotencyKey?: string | undefined;
  /** Groups calls for per-route client-side rate limiting (see {@link RateLimitOptions.key}). */
  routeKey?: string | undefined;
  /** How to return the body. Default `json`. */
  responseType?: ResponseType | undefined;
  /**
   * Largest body read for `json`, `text` and `bytes`, in bytes; `false` for no limit.
   * Overrides the client's {@link HttpClientOptions.maxResponseBytes} for this call. Stream
   * big downloads with `responseType: 'response'` instead of raising it.
   */
  maxResponseBytes?: number | false | undefined;
}

/** A full request description for {@link HttpClient.request}. */
export interface HttpRequestOptions extends HttpCallOptions {
  /** HTTP method. */
  method: HttpMethod;
  /** Path relative to the client's `baseUrl`, e.g. `/users/42`. Put query parameters in `query`. */
  path: string;
}

/** A successful response. */
export interface HttpResponse<T> {
  /** HTTP status: 2xx, or 3xx when the redirect was not followed (`redirect: 'manual'`, 304, no `Location`). */
  readonly status: number;
  /** Response headers. */
  readonly headers: Headers;
  /** Body as requested by `responseType`; for `json`, `undefined` when the body is empty (204, HEAD). */
  readonly data: T;
  /** Attempts the retry policy made, starting at 1. */
  readonly attempts: number;
}

/** `request()` with the result type following `responseType`. */
export interface HttpRequestFunction {
  /** JSON (default): `data` is the parsed body, typed by the caller. */
  <T = unknown>(options: HttpRequestOptions & { responseType?: 'json' | undefined }): Promise<HttpResponse<T>>;
  /** Text: `data` is the body as a string. */
  (options: HttpRequestOptions & { responseType: 'text' }): Promise<HttpResponse<string>>;
  /** Bytes: `data` is the body as a `Uint8Array`. */
  (options: HttpRequestOptions & { responseType: 'bytes' }): Promise<HttpResponse<Uint8Array>>;
  /** Raw: `data` is the unread `Response`, for streaming; timeouts stop covering it once returned. */
  (options: HttpRequestOptions & { responseType: 'response' }): Promise<HttpResponse<Response>>;
}

/** A method shorthand such as `get(path, options)`, with the result type following `responseType`. */
export interface HttpShorthand {
  /** JSON (default): `data` is the parsed body, typed by the caller. */
  <T = unknown>(path: string, options?: HttpCallOptions & { responseType?: 'json' | undefined }): Promise<HttpResponse<T>>;
  /** Text: `data` is the body as a string. */
  (path: string, options: HttpCallOptions & { responseType: 'text' }): Promise<HttpResponse<string>>;
  /** Bytes: `data` is the body as a `Uint8Array`. */
  (path: string, options: HttpCallOptions & { responseType: 'bytes' }): Promise<HttpResponse<Uint8Array>>;
  /** Raw: `data` is the unread `Response`. */
  (path: string, options: HttpCallOptions & { responseType: 'response' }): Promise<HttpResponse<Response>>;
}

/** A configured HTTP client; see {@link createHttpClient}. */
export interface HttpClient {
  /** Sends a request with retries, timeouts, auth, rate limiting and error mapping. */
  readonly request: HttpRequestFunction;
  /** `GET path`. */
  readonly get: HttpShorthand;
  /** `POST path`; retried only with an `idempotencyKey`. */
  readonly post: HttpShorthand;
  /** `PUT path`. */
  readonly put: HttpShorthand;
  /** `PATCH path`; retried only with an `idempotencyKey`. */
  readonly patch: HttpShorthand;
  /** `DELETE path`. */
  readonly delete: HttpShorthand;
}

/** What {@link RateLimitOptions.key} sees of a request. */
export interface RateLimitKeyInput {
  /** HTTP method. */
  readonly method: HttpMethod;
  /** Request path, without query. */
  readonly path: string;
  /** The call's `routeKey`, if any. */
  readonly routeKey: string | undefined;
}

/** Client-side token-bucket rate limiting. */
export interface RateLimitOptions {
  /** Burst size: calls allowed at once with a full bucket. Integer >= 1. */
  capacity: number;
  /** Tokens added per second. > 0. */
  refillPerSecond: number;
  /** Bucket key per request, for per-route limits; default: one bucket for the whole client. */
  key?: ((request: RateLimitKeyInput) => string) | undefined;
}

/** Options passed to {@link HttpAuth.getToken}. */
export interface GetTokenOptions {
  /** `true` after a 401: the cached token was rejected, fetch a new one. */
  readonly forceRefresh: boolean;
  /** Aborts the token fetch. */
  readonly signal: AbortSignal;
}

/** Supplies access tokens; the client asks per request and forces one refresh on a 401. */
export interface HttpAuth {
  /** Returns the current token (cache it yourself); fetch a fresh one when `forceRefresh` is set. */
  getToken(options: GetTokenOptions): Promise<string>;
  /** `Authorization` scheme. Default `Bearer`. */
  scheme?: string | undefined;
}

/**
 * What the client does with a redirect (301, 302, 303, 307, 308 with a `Location`):
 * - `follow` (default): follows up to `maxRedirects` hops to http(s) URLs, never from https
 *   to http. A hop to another origin keeps only the `accept`, `accept-language`,
 *   `content-language` and `user-agent` headers (no token, API key or cookie) and is refused
 *   when it would resend a body. 303, and 301/302 after a POST, continue as a GET.
 * - `error`: a redirect fails the call with a non-retryable `ProviderError`.
 * - `manual`: the 3xx response is returned as it is.
 */
export type RedirectMode = 'follow' | 'error' | 'manual';

/** Options of {@link createHttpClient}. */
export interface HttpClientOptions {
  /** Absolute `http(s)` URL every path is joined to, e.g. `https://api.example.com/v1`. */
  baseUrl: string;
  /** Provider name used in errors, logs and spans, e.g. `stripe`. */
  provider: string;
  /** Headers sent with every request. */
  headers?: Readonly<Record<string, string>> | undefined;
  /** `fetch` implementation. Default: the global `fetch`, looked up per call. */
  fetch?: FetchLike | undefined;
  /** Limit per attempt, in ms, covering response headers and body; `false` disables it. Default 30 000. */
  timeoutMs?: number | false | undefined;
  /** Limit for the whole call including retries and waits, in ms; `false` disables it. Default 120 000. */
  totalTimeoutMs?: number | false | undefined;
  /** Retry policy; `{ maxAttempts: 1 }` disables retries. */
  retry?: RetryPolicy | undefined;
  /** Client-side rate limit; none by default. */
  rateLimit?: RateLimitOptions | undefined;
  /** Access-token source; sent as `Authorization: <scheme> <token>`. */
  auth?: HttpAuth | undefined;
  /** Receives debug lines (redacted). Default: silent. */
  logger?: Logger | undefined;
  /** Masks secrets in errors and logs; tokens from `auth` are registered on it. Default: a fresh redactor. */
  redactor?: Redactor | undefined;
  /** Time source for timeouts, backoff and rate limiting. Default: the system clock. */
  clock?: Clock | undefined;
  /** `User-Agent` header. Default: none of ours (the runtime's own); provider adapters set theirs. */
  userAgent?: string | undefined;
  /** OpenTelemetry tracer. Default `trace.getTracer('@almanac/core')` (a no-op until an SDK is installed). */
  tracer?: Tracer | undefined;
  /** Redirect handling; see {@link RedirectMode}. Default `follow`. A custom `fetch` must honour `redirect: 'manual'`. */
  redirect?: RedirectMode | undefined;
  /** Most redirect hops followed per request (integer >= 0). Default 5. */
  maxRedirects?: number | undefined;
  /**
   * Largest response body read for `json`, `text` and `bytes`, in bytes, enforced while
   * reading (also after decompression); a bigger body fails the call with a non-retryable
   * `ProviderError` and is not read further. `false` for no limit. Default 16 MiB.
   */
  maxResponseBytes?: number | false | undefined;
}
