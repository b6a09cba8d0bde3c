import {
  AlmanacError,
  AuthError,
  ConfigError,
  ConflictError,
  errorForStatus,
  IntegrityError,
  NotFoundError,
  PermissionError,
  ProviderError,
  RateLimitError,
  TimeoutError,
  ValidationError,
} from '@almanac/core';

/** Provider name on every error and in `StorageProvider.name`. */
export const S3_PROVIDER = 's3';

const NOT_FOUND = new Set(['NoSuchKey', 'NotFound', 'NoSuchVersion', 'NoSuchUpload']);
const CONFLICT = new Set(['PreconditionFailed', 'ConditionalRequestConflict', 'OperationAborted', 'BucketAlreadyExists', 'BucketAlreadyOwnedByYou']);
const AUTH = new Set(['InvalidAccessKeyId', 'SignatureDoesNotMatch', 'ExpiredToken', 'InvalidToken', 'TokenRefreshRequired', 'CredentialsProviderError']);
const PERMISSION = new Set(['AccessDenied', 'AllAccessDisabled', 'AccountProblem']);
const THROTTLE = new Set(['SlowDown', 'Throttling', 'ThrottlingException', 'RequestLimitExceeded', 'TooManyRequestsException', 'RequestThrottled']);
const INTEGRITY = new Set(['BadDigest', 'InvalidDigest', 'XAmzContentSHA256Mismatch', 'InvalidChecksum']);
const TIMEOUT = new Set(['RequestTimeout', 'TimeoutError', 'RequestTimeTooSkewed']);
const VALIDATION = new Set(['InvalidArgument', 'InvalidRequest', 'KeyTooLongError', 'InvalidRange', 'EntityTooLarge', 'EntityTooSmall', 'InvalidStorageClass', 'InvalidTag', 'MalformedXML', 'InvalidBucketName']);

/** Configuration a bucket simply does not have; `posture` reads these as "not configured". */
export const MISSING_CONFIGURATION: ReadonlySet<string> = new Set([
  'NoSuchPublicAccessBlockConfiguration',
  'ServerSideEncryptionConfigurationNotFoundError',
  'NoSuchBucketPolicy',
  'NoSuchTagSet',
]);

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
}

/** The S3 error code (`Code` of the XML body, else the SDK's `name`) and HTTP status of a failed call. */
export function s3ErrorDetails(error: unknown): { readonly code: string | undefined; readonly status: number | undefined; readonly message: string } {
  const root = record(error);
  const metadata = record(root?.['$metadata']);
  const statusValue = metadata?.['httpStatusCode'];
  const codeValue = root?.['Code'] ?? root?.['name'];
  const message = error instanceof Error ? error.message : 'unknown error';
  return {
    code: typeof codeValue === 'string' && codeValue !== 'Error' ? codeValue : undefined,
    status: typeof statusValue === 'number' ? statusValue : undefined,
    message,
  };
}

/**
 * Maps a failed SDK call to the core hierarchy. The S3 error code decides first (S3 sends
 * `AccessDenied` and `SignatureDoesNotMatch` both as 403, `SlowDown` as 503); the status only
 * decides for codes we do not know, e.g. the body-less 404 of `HeadObject` (`NotFound`).
 * 5xx and connection failures are retryable `ProviderError`s; Almanac errors pass through.
 */
export function mapS3Error(error: unknown, operation: string): AlmanacError {
  if (AlmanacError.isInstance(error)) return error;
  const { code, status, message: raw } = s3ErrorDetails(error);
  const options = { provider: S3_PROVIDER, operation, status, cause: error };
  const message = `s3: ${operation} failed${status === undefined ? '' : ` with HTTP ${status}`}${code ? ` (${code})` : ''}: ${raw}`;
  if (code !== undefined) {
    // An archived object (GLACIER, DEEP_ARCHIVE, Intelligent-Tiering archive tiers) answers reads
    // with 403 InvalidObjectState until a restored copy exists: not a permission problem, a state
    // the caller can change (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html).
    if (code === 'InvalidObjectState') {
      const storageClass = typeof record(error)?.['StorageClass'] === 'string' ? ` (${String(record(error)?.['StorageClass'])})` : '';
      return new ConflictError(
        `s3: ${operation} failed: the object is archived${storageClass} and must be restored first (storage.restore(key, { days }), S3 RestoreObject); ${raw}`,
        { ...options, retryable: false },
      );
    }
    // A missing bucket is a configuration problem, not a missing object.
    if (code === 'NoSuchBucket') return new ConfigError(`s3: ${operation} failed: the bucket does not exist (NoSuchBucket): ${raw}`, [{ path: 'bucket', message: 'does not exist' }], options);
    if (NOT_FOUND.has(code)) return new NotFoundError(message, options);
    if (CONFLICT.has(code)) return new ConflictError(message, options);
    if (AUTH.has(code)) return new AuthError(message, options);
    if (PERMISSION.has(code)) return new PermissionError(message, options);
    if (THROTTLE.has(code)) return new RateLimitError(message, options);
    if (INTEGRITY.has(code)) return new IntegrityError(message, options);
    if (TIMEOUT.has(code)) return new TimeoutError(message, options);
    if (VALIDATION.has(code)) return new ValidationError(message, [], options);
  }
  if (status === undefined) return new ProviderError(message, { ...options, retryable: isTransient(error) });
  // S3 throttles with 503 SlowDown; 410 and 422 are not part of its API, so nothing to map them to.
  if (status === 503) return new RateLimitError(message, options);
  if (status === 410 || status === 422) return new ProviderError(message, { ...options, retryable: false });
  return errorForStatus(status, message, { ...options, retryable: status >= 500 });
}

function isTransient(error: unknown): boolean {
  // No response at all: reset connections and DNS blips. Aborts are handled by the caller.
  const root = record(error);
  const code = root?.['code'] ?? record(root?.['cause'])?.['code'];
  if (typeof code === 'string' && /^(E[A-Z]+|UND_ERR_[A-Z_]+)$/.test(code)) return true;
  return root?.['name'] === 'TimeoutError';
}
