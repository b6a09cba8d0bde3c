import {
  AlmanacError,
  defaultRetryClassifier,
  errorForStatus,
  parseRetryAfter,
  ProviderError,
  RateLimitError,
} from '@almanac/core';
import type { RetryClassifier } from '@almanac/core';

/** Provider name on every error and in `CalendarProvider.name`. */
export const GOOGLE_PROVIDER = 'google';

/** `errors[].reason` values meaning "slow down"; Google sends them on 403 as well as 429. */
const RATE_REASONS: ReadonlySet<string> = new Set(['rateLimitExceeded', 'userRateLimitExceeded']);

/**
 * Reasons that look like rate limits but will not clear by waiting seconds: the daily
 * project quota, or Calendar's anti-abuse limits on a user. Retrying only burns quota.
 */
const QUOTA_REASONS: ReadonlySet<string> = new Set(['quotaExceeded', 'dailyLimitExceeded']);

/** What the adapter extracts from a failed SDK call. */
export interface GoogleErrorDetails {
  /** HTTP status, when there was a response. */
  readonly status: number | undefined;
  /** Every `error.errors[].reason`. */
  readonly reasons: readonly string[];
  /** Google's message (never request data). */
  readonly message: string;
  /** `Retry-After`, in ms. */
  readonly retryAfterMs: number | undefined;
  /** `error.errors[].location` of 400 responses, for `ValidationError.issues`. */
  readonly issues: readonly { path: string; message: string }[];
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
}

function toHeaders(value: unknown): Headers {
  if (value instanceof Headers) return value;
  const headers = new Headers();
  const entries = record(value);
  if (entries) {
    for (const [name, raw] of Object.entries(entries)) {
      if (typeof raw === 'string') headers.set(name, raw);
      else if (typeof raw === 'number') headers.set(name, String(raw));
    }
  }
  return headers;
}

/**
 * Reads a gaxios error (or anything shaped like one) into {@link GoogleErrorDetails}.
 * The body is Google's `{ error: { code, message, errors: [{ domain, reason, message }] } }`.
 */
export function googleErrorDetails(error: unknown, nowMs: number): GoogleErrorDetails {
  const root = record(error);
  const response = record(root?.['response']);
  const statusValue = response?.['status'] ?? root?.['status'];
  const status = typeof statusValue === 'number' ? statusValue : undefined;
  let data: unknown = response?.['data'];
  if (typeof data === 'string') {
    try {
      data = JSON.parse(data);
    } catch {
      // Not JSON (an HTML error page from a proxy); keep the status only.
    }
  }
  const body = record(record(data)?.['error']);
  const items = Array.isArray(body?.['errors']) ? (body['errors'] as unknown[]) : [];
  const reasons: string[] = [];
  const issues: { path: string; message: string }[] = [];
  for (const item of items) {
    const entry = record(item);
    if (typeof entry?.['reason'] === 'string') reasons.push(entry['reason']);
    if (typeof entry?.['message'] === 'string') {
      issues.push({ path: typeof entry['location'] === 'string' ? entry['location'] : '', message: entry['message'] });
    }
  }
  const bodyMessage = typeof body?.['message'] === 'string' ? body['message'] : undefined;
  const errorMessage = error instanceof Error ? error.message : undefined;
  return {
    status,
    reasons,
    message: bodyMessage ?? errorMessage ?? 'unknown error',
    retryAfterMs: response ? parseRetryAfter(toHeaders(response['headers']), nowMs, status === 429) : undefined,
    issues,
  };
}

/**
 * Maps a failed SDK call to the core error hierarchy:
 * 401 → `AuthError`; 403/429 with a rate reason, or any 429 → `RateLimitError` (retryable,
 * with `retryAfterMs`); `quotaExceeded`/`dailyLimitExceeded` → `RateLimitError` that is
 * **not** retryable; other 403 → `PermissionError`; 404/410 → `NotFoundError`;
 * 409/412 → `ConflictError`; 400 → `ValidationError`; 5xx → retryable `ProviderError`.
 * Errors without a response (network) stay retryable `ProviderError`s; Almanac errors pass through.
 *
 * @internal
 */
export function mapGoogleError(error: unknown, operation: string, nowMs: number): AlmanacError {
  if (AlmanacError.isInstance(error)) return error;
  const details = googleErrorDetails(error, nowMs);
  const { status, reasons } = details;
  const reasonText = reasons.length > 0 ? ` (${reasons.join(', ')})` : '';
  const options = { provider: GOOGLE_PROVIDER, operation, status, cause: error };
  const message = `google: ${operation} failed${status === undefined ? '' : ` with HTTP ${status}`}${reasonText}: ${details.message}`;
  if (status === undefined) return new ProviderError(message, { ...options, retryable: isTransient(error) });
  if (reasons.some((reason) => QUOTA_REASONS.has(reason))) {
    return new RateLimitError(message, { ...options, retryable: false, retryAfterMs: details.retryAfterMs });
  }
  if (status === 429 || (status === 403 && reasons.some((reason) => RATE_REASONS.has(reason)))) {
    return new RateLimitError(message, { ...options, retryAfterMs: details.retryAfterMs });
  }
  // Google answers 422 only for malformed requests the client library built, not for caller input.
  if (status === 422) return new ProviderError(message, { ...options, retryable: false });
  return errorForStatus(status, message, { ...options, issues: details.issues, retryable: status >= 500 });
}

function isTransient(error: unknown): boolean {
  // No response at all: reset connections and DNS blips; an abort is handled by withRetry.
  const code = record(error)?.['code'];
  return typeof code === 'string' && /^(E[A-Z]+|UND_ERR_[A-Z_]+)$/.test(code);
}

/** Reasons carried by a mapped error's Google cause, for callers branching on `duplicate` etc. */
export function googleReasons(error: unknown): readonly string[] {
  const cause = AlmanacError.isInstance(error) ? (error as Error).cause : error;
  return googleErrorDetails(cause, 0).reasons;
}

/**
 * Retry classifier for Google calls (after {@link mapGoogleError}): rate limits are retried
 * after `Retry-After` when given, 5xx and network failures with backoff; quota exhaustion,
 * `forbiddenForNonOrganizer` and every other 4xx never.
 *
 * @internal
 */
export const googleRetryClassifier: RetryClassifier = (error, attempt) => {
  if (googleReasons(error).some((reason) => QUOTA_REASONS.has(reason) || reason === 'forbiddenForNonOrganizer')) {
    return { retry: false };
  }
  return defaultRetryClassifier(error, attempt);
};
