import type { Tracer } from '@opentelemetry/api';
import { systemClock } from '../clock';
import type { Clock } from '../clock';
import { ConfigError } from '../errors';
import { openTelemetry } from '../otel-api';
import type { ValidationIssue } from '../errors';
import { createRedactor } from '../logger/redact';
import type { Redactor } from '../logger/redact';
import { silentLogger } from '../logger/types';
import type { Logger } from '../logger/types';
import { resolveRetryPolicy } from '../retry/policy';
import type { ResolvedRetryPolicy } from '../retry/policy';
import { createTokenSource } from './auth';
import type { TokenSource } from './auth';
import { createKeyedTokenBuckets, validateTokenBucketOptions } from './token-bucket';
import type { KeyedTokenBuckets } from './token-bucket';
import type { FetchLike, HttpClientOptions, RateLimitKeyInput, RedirectMode } from './types';
import { normalizeBaseUrl } from './url';

// Validating createHttpClient's options, once per client, into the config every call reads.

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_TOTAL_TIMEOUT_MS = 120_000;
const DEFAULT_MAX_REDIRECTS = 5;
/** 16 MiB: far above any JSON page a provider returns, far below what hurts a process. */
export const DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024 * 1024;
const REDIRECT_MODES: ReadonlySet<string> = new Set(['follow', 'error', 'manual']);
/** An HTTP token (RFC 9110 §5.6.2): what a header name or auth scheme may be. */
export const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * Header names whose values are credentials (`x-api-key`, `ocp-apim-subscription-key`,
 * `x-auth-token`, …). Their values are registered as secrets with the client's redactor, so
 * a server that echoes them in a body or error message cannot put them in our errors or logs.
 */
const SECRET_HEADER = /authori[sz]ation|cookie|token|secret|passw|signature|session|api[-_]?key|(?:^|-)key$|auth$/i;

/** Registers the values of credential headers (see SECRET_HEADER) with `redactor`. */
export function registerSecretHeaders(headers: Readonly<Record<string, string>>, redactor: Redactor): void {
  for (const name in headers) {
    if (SECRET_HEADER.test(name)) redactor.addSecret(headers[name] as string);
  }
}

/** Everything validated once at client creation. */
export interface ClientConfig {
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
  readonly redirect: RedirectMode;
  readonly maxRedirects: number;
  /** Body limit of buffered reads; `undefined` for none. */
  readonly maxResponseBytes: number | undefined;
}

/** A `maxResponseBytes` value: a positive integer, `false` (no limit) or `undefined` (the fallback); `null` if invalid. */
export function responseLimit(value: unknown, fallback: number | undefined): number | undefined | null {
  if (value === undefined) return fallback;
  if (value === false) return undefined;
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? value : null;
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

/** Validates a headers object into lower-cased names; `fail` throws the caller's error type. */
export function headerRecord(
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

/** Validates the options of `createHttpClient`, reporting every bad one at once. */
export function resolveConfig(options: HttpClientOptions): ClientConfig {
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
  if (options.redirect !== undefined && !REDIRECT_MODES.has(options.redirect)) {
    issues.push({ path: 'redirect', message: 'must be follow, error or manual' });
  }
  const maxRedirects = options.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  if (!Number.isInteger(maxRedirects) || maxRedirects < 0 || maxRedirects > 20) {
    issues.push({ path: 'maxRedirects', message: 'must be an integer from 0 to 20' });
  }
  const maxResponseBytes = responseLimit(options.maxResponseBytes, DEFAULT_MAX_RESPONSE_BYTES);
  if (maxResponseBytes === null) issues.push({ path: 'maxResponseBytes', message: 'must be a positive integer or false' });
  if (issues.length > 0 || policy === undefined) {
    throw new ConfigError(
      `createHttpClient: invalid options: ${issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`,
      issues,
    );
  }

  const clock = options.clock ?? systemClock;
  const redactor = options.redactor ?? createRedactor();
  registerSecretHeaders(baseHeaders, redactor);
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
    tracer: options.tracer ?? openTelemetry().trace.getTracer('@almanac/core'),
    redirect: options.redirect ?? 'follow',
    maxRedirects,
    maxResponseBytes: maxResponseBytes ?? undefined,
  };
}
