import {
  AuthError,
  ConflictError,
  NotFoundError,
  PermissionError,
  ProviderError,
  RateLimitError,
  TimeoutError,
  ValidationError,
} from '../errors';
import type { AlmanacError, AlmanacErrorOptions, ValidationIssue } from '../errors';

/** Options of {@link errorForStatus}. */
export interface StatusErrorOptions extends AlmanacErrorOptions {
  /** Field issues for a 400/422 `ValidationError`. */
  issues?: readonly ValidationIssue[] | undefined;
  /** The provider's requested wait, for a 429 `RateLimitError`. */
  retryAfterMs?: number | undefined;
}

/**
 * The Almanac error for an HTTP error status, shared by the HTTP client and the SDK adapters:
 * 400/422 → `ValidationError`, 401 → `AuthError`, 403 → `PermissionError`, 404/410 →
 * `NotFoundError`, 409/412 → `ConflictError`, 429 → `RateLimitError`, 408/504 →
 * `TimeoutError`, anything else → `ProviderError`. Each class keeps its own retryability;
 * `options.retryable` only decides the `ProviderError` case (default: 5xx other than 501/505).
 * Adapters map their provider-specific reasons (quota, checksum, throttling codes) first.
 */
export function errorForStatus(status: number, message: string, options: StatusErrorOptions = {}): AlmanacError {
  const { issues = [], retryAfterMs, retryable, ...common } = options;
  switch (status) {
    case 400:
    case 422:
      return new ValidationError(message, issues, common);
    case 401:
      return new AuthError(message, common);
    case 403:
      return new PermissionError(message, common);
    case 404:
    case 410:
      return new NotFoundError(message, common);
    case 409:
    case 412:
      return new ConflictError(message, common);
    case 429:
      return new RateLimitError(message, { ...common, retryAfterMs });
    case 408:
    case 504:
      return new TimeoutError(message, common);
    default:
      return new ProviderError(message, { ...common, retryable: retryable ?? (status >= 500 && status !== 501 && status !== 505) });
  }
}
