import {
  AlmanacError,
  AuthError,
  ConflictError,
  IntegrityError,
  NotFoundError,
  PermissionError,
  ProviderError,
  RateLimitError,
  ValidationError,
  abortReason,
  isAbortError,
  isNetworkError,
  parseRetryAfter,
} from '@almanac/core';

/** Provider name on every error and in `StorageProvider.name`. */
export const AZURE_PROVIDER = 'azure';

/** What a failed call was doing, for the error message. */
export interface AzureErrorContext {
  /** Operation, e.g. `read`. */
  readonly operation: string;
  /** Blob name, when the call was about one. */
  readonly key?: string | undefined;
  /** The call's signal: an abort wins over whatever the SDK threw. */
  readonly signal?: AbortSignal | undefined;
  /** Current time on the injected clock, for `Retry-After` dates. */
  readonly nowMs: number;
}

/**
 * 403 codes that mean "these credentials were refused" rather than "valid but lacking a role".
 * `AuthorizationFailure` is here because azurite answers a wrong shared key with it, and on Azure
 * it means the identity was refused outright (network rules, shared-key access disabled): a
 * credential or configuration problem either way, not a missing RBAC grant.
 */
const AUTH_CODES: ReadonlySet<string> = new Set([
  'AuthenticationFailed',
  'AuthorizationFailure',
  'InvalidAuthenticationInfo',
  'NoAuthenticationInformation',
]);

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
}

/** The service's error code and status of a `RestError` (or anything shaped like one). */
export function azureErrorDetails(error: unknown): { status: number | undefined; code: string | undefined; message: string } {
  const root = record(error);
  const status = typeof root?.['statusCode'] === 'number' ? root['statusCode'] : undefined;
  const details = record(root?.['details']);
  const rawCode = details?.['errorCode'] ?? root?.['code'];
  const code = typeof rawCode === 'string' ? rawCode : undefined;
  // Storage messages carry "RequestId:…\nTime:…" lines; the first line is the useful part.
  const text = error instanceof Error ? error.message : '';
  const message = text.split('\n')[0]?.trim() ?? '';
  return { status, code, message };
}

function retryAfterMs(error: unknown, nowMs: number): number | undefined {
  const headers = record(record(record(error)?.['response'])?.['headers']);
  const get = headers?.['get'];
  if (typeof get !== 'function') return undefined;
  const value: unknown = get.call(headers, 'retry-after');
  return typeof value === 'string' ? parseRetryAfter(new Headers({ 'retry-after': value }), nowMs, false) : undefined;
}

/**
 * Maps an `@azure/storage-blob` failure to the Almanac error hierarchy by HTTP status and the
 * service's `x-ms-error-code`. Almanac errors pass through; a caller abort always wins.
 *
 * A download of a blob in the Archive tier (409 `BlobArchived`) becomes a `ConflictError`:
 * the blob exists but is offline until rehydrated by moving it to another tier.
 */
export function mapAzureError(error: unknown, context: AzureErrorContext): AlmanacError {
  if (context.signal?.aborted) return abortReason(context.signal) as AlmanacError;
  if (AlmanacError.isInstance(error)) return error;
  const { operation, key } = context;
  const base = { provider: AZURE_PROVIDER, operation, cause: error };
  if (isAbortError(error)) return abortReason(AbortSignal.abort(error)) as AlmanacError;
  const { status, code, message } = azureErrorDetails(error);
  const what = key === undefined ? `azure ${operation}` : `azure ${operation} "${key}"`;
  const detail = `${code ?? status ?? 'error'}${message ? `: ${message}` : ''}`;
  const options = { ...base, status };
  if (status === undefined) {
    // No response: the request never reached the service or the connection dropped.
    const transient = isNetworkError(error) || code === 'REQUEST_SEND_ERROR';
    return new ProviderError(`${what} failed: ${detail}`, { ...options, retryable: transient });
  }
  // Azurite reports a bad Content-MD5 as 400 InvalidOperation "Provided contentMD5 doesn't match".
  if (code === 'Md5Mismatch' || code === 'Crc64Mismatch' || (status === 400 && /md5.*match/i.test(message))) {
    return new IntegrityError(`${what}: content checksum mismatch (${code})`, options);
  }
  if (code === 'BlobArchived') {
    return new ConflictError(
      `${what}: the blob is in the Archive tier and cannot be read until it is rehydrated (set its storage class to Hot, Cool or Cold)`,
      options,
    );
  }
  if (status === 404) return new NotFoundError(`${what}: not found (${detail})`, options);
  if (status === 409 || status === 412) return new ConflictError(`${what}: ${detail}`, options);
  if (status === 401 || (status === 403 && code !== undefined && AUTH_CODES.has(code))) {
    return new AuthError(`${what}: authentication failed (${detail})`, options);
  }
  if (status === 403) return new PermissionError(`${what}: not permitted (${detail})`, options);
  if (status === 416) {
    return new ValidationError(`${what}: range not satisfiable`, [{ path: 'range', message: 'outside the object' }], options);
  }
  if (status === 429 || (status === 503 && (code === 'ServerBusy' || code === undefined))) {
    return new RateLimitError(`${what}: throttled (${detail})`, {
      ...options,
      retryAfterMs: retryAfterMs(error, context.nowMs),
    });
  }
  if (status === 400) return new ValidationError(`${what}: ${detail}`, [{ path: '', message: detail }], options);
  // 500, 502, 503 and 504 are transient on Azure; 501 and 505 will fail the same way again.
  return new ProviderError(`${what} failed: ${detail}`, { ...options, retryable: [500, 502, 503, 504].includes(status) });
}
