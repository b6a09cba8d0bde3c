import {
  AbortedError,
  AlmanacError,
  errorForStatus,
  IntegrityError,
  parseRetryAfter,
  ProviderError,
  RateLimitError,
} from '@almanac/core';

/** Provider name on every error and in `StorageProvider.name`. */
export const GCS_PROVIDER = 'gcs';

/** SDK error codes for a local checksum mismatch (upload deleted, or download corrupt). */
const INTEGRITY_CODES: ReadonlySet<string> = new Set(['FILE_NO_UPLOAD', 'FILE_NO_UPLOAD_DELETE', 'CONTENT_DOWNLOAD_MISMATCH']);

/** `errors[].reason` values meaning "slow down" even on a 403. */
const RATE_REASONS: ReadonlySet<string> = new Set(['rateLimitExceeded', 'userRateLimitExceeded']);

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
}

/** What the mapper reads of an SDK failure, whichever of its several shapes it came in. */
interface GcsErrorDetails {
  readonly status: number | undefined;
  readonly code: string | undefined;
  readonly reasons: readonly string[];
  readonly message: string;
  readonly headers: Headers;
}

function headersOf(value: unknown): Headers {
  const headers = new Headers();
  if (value instanceof Headers) return value;
  for (const [name, raw] of Object.entries(record(value) ?? {})) {
    if (typeof raw === 'string' || typeof raw === 'number') headers.set(name, String(raw));
  }
  return headers;
}

/**
 * The SDK fails with an `ApiError` (`code` = HTTP status, `errors[]`), a gaxios error
 * (`response.status`, `response.data.error`), a plain JSON-API error body (resumable
 * uploads), or an `Error` with a string `code` (`FILE_NO_UPLOAD`). Reads all of them.
 */
function details(error: unknown): GcsErrorDetails {
  const root = record(error);
  const response = record(root?.['response']);
  let data: unknown = response?.['data'];
  if (typeof data === 'string') {
    try {
      data = JSON.parse(data);
    } catch {
      // Not JSON (a proxy's HTML page); the status is all there is.
    }
  }
  const body = record(record(data)?.['error']) ?? record(root?.['error']);
  const rawCode = root?.['code'];
  const statusCandidates = [response?.['status'], response?.['statusCode'], typeof rawCode === 'number' ? rawCode : undefined, body?.['code']];
  const status = statusCandidates.find((value): value is number => typeof value === 'number' && value >= 100 && value < 600);
  const items = [root?.['errors'], body?.['errors']].flatMap((list) => (Array.isArray(list) ? (list as unknown[]) : []));
  const reasons: string[] = [];
  for (const item of items) {
    const entry = record(item);
    const reason = entry?.['reason'] ?? record(entry?.['error'])?.['status'];
    if (typeof reason === 'string') reasons.push(reason);
  }
  const message =
    (typeof body?.['message'] === 'string' ? body['message'] : undefined) ??
    (typeof root?.['message'] === 'string' ? root['message'] : undefined) ??
    'unknown error';
  return { status, code: typeof rawCode === 'string' ? rawCode : undefined, reasons, message, headers: headersOf(response?.['headers']) };
}

/**
 * Maps a failed SDK call to the core error hierarchy: 404 → `NotFoundError`; 409/412
 * (`conditionNotMet`) → `ConflictError`; 401 → `AuthError`; 429 or a rate reason →
 * retryable `RateLimitError` (with `Retry-After`); other 403 → `PermissionError`;
 * checksum mismatches (SDK `FILE_NO_UPLOAD`, server "hash mismatch" 400) → `IntegrityError`;
 * other 400 → `ValidationError`; 408/504 → `TimeoutError`; 5xx → retryable `ProviderError`.
 * Responseless failures (reset sockets) are retryable `ProviderError`s.
 */
export function mapGcsError(error: unknown, operation: string, nowMs: number): AlmanacError {
  if (AlmanacError.isInstance(error)) return error;
  if (error instanceof Error && error.name === 'AbortError') return new AbortedError(undefined, { provider: GCS_PROVIDER, operation, cause: error });
  const info = details(error);
  const { status, reasons } = info;
  const options = { provider: GCS_PROVIDER, operation, status, cause: error };
  const reasonText = reasons.length > 0 ? ` (${reasons.join(', ')})` : '';
  const message = `gcs: ${operation} failed${status === undefined ? '' : ` with HTTP ${status}`}${reasonText}: ${info.message}`;
  if (info.code !== undefined && INTEGRITY_CODES.has(info.code)) return new IntegrityError(message, options);
  if (status === undefined) {
    if (/checksum|mismatch/i.test(info.message)) return new IntegrityError(message, options);
    return new ProviderError(message, { ...options, retryable: isTransient(info.code) });
  }
  if (status === 429 || reasons.some((reason) => RATE_REASONS.has(reason))) {
    return new RateLimitError(message, { ...options, retryAfterMs: parseRetryAfter(info.headers, nowMs, true) });
  }
  if (status === 400 && /hash|checksum|crc32c|md5/i.test(info.message)) return new IntegrityError(message, options);
  if (status === 422) return new ProviderError(message, { ...options, retryable: false });
  const issues = status === 400 ? [{ path: '', message: info.message }] : [];
  return errorForStatus(status, message, { ...options, issues, retryable: status >= 500 });
}

function isTransient(code: string | undefined): boolean {
  return code !== undefined && /^(E[A-Z]+|UND_ERR_[A-Z_]+)$/.test(code);
}
