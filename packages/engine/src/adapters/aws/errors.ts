import {
  AlmanacError,
  AuthError,
  ConflictError,
  errorForStatus,
  NotFoundError,
  PermissionError,
  ProviderError,
  RateLimitError,
  TimeoutError,
  ValidationError,
} from '@almanac/core';

/** Provider name on every error, audit event and `Instance.provider` of the AWS adapters. */
export const AWS_PROVIDER = 'aws';

// Error codes from https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html
// and the ECS / CloudWatch API references. The code decides before the HTTP status: EC2 sends
// both `InvalidParameterValue` and `InvalidInstanceID.NotFound` as 400, and throttles with 503.
const NOT_FOUND = new Set([
  'InvalidInstanceID.NotFound',
  // An id that is not even well formed names no instance: for the caller that is "not found".
  'InvalidInstanceID.Malformed',
  'InvalidAllocationID.NotFound',
  'InvalidAddress.NotFound',
  'InvalidAssociationID.NotFound',
  'InvalidGroup.NotFound',
  'ClusterNotFoundException',
  'ServiceNotFoundException',
  'ResourceNotFoundException',
  'ResourceNotFound',
]);
const CONFLICT = new Set([
  'IncorrectInstanceState',
  'IncorrectState',
  'UnsupportedOperation',
  'Resource.AlreadyAssociated',
  'ServiceNotActiveException',
  'ConcurrentTagAccess',
  'UpdateInProgressException',
]);
const AUTH = new Set([
  'AuthFailure',
  'InvalidClientTokenId',
  'SignatureDoesNotMatch',
  'IncompleteSignature',
  'ExpiredToken',
  'ExpiredTokenException',
  'MissingAuthenticationToken',
  'UnrecognizedClientException',
  'CredentialsProviderError',
]);
const PERMISSION = new Set(['UnauthorizedOperation', 'AccessDenied', 'AccessDeniedException', 'OptInRequired', 'Blocked']);
const THROTTLE = new Set(['RequestLimitExceeded', 'Throttling', 'ThrottlingException', 'TooManyRequestsException', 'LimitExceededException']);
const VALIDATION = new Set([
  'InvalidParameter',
  'InvalidParameterValue',
  'InvalidParameterCombination',
  'InvalidParameterException',
  'InvalidParameterValueException',
  'MissingParameter',
  'MissingParameterValueException',
  'ValidationError',
  'ValidationException',
  'InvalidInstanceType',
  'InvalidInstanceAttributeValue',
  'InvalidFilter',
]);
const CURSOR = new Set(['InvalidNextToken', 'InvalidPaginationToken']);
const SERVER = new Set(['InternalError', 'InternalFailure', 'ServerException', 'ServiceUnavailable', 'Unavailable', 'InsufficientInstanceCapacity']);

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
}

/** The AWS error code (the SDK's `name`, else `Code`) and HTTP status of a failed SDK call. */
export function awsErrorDetails(error: unknown): { readonly code: string | undefined; readonly status: number | undefined; readonly message: string } {
  const root = record(error);
  const metadata = record(root?.['$metadata']);
  const statusValue = metadata?.['httpStatusCode'];
  const nameValue = root?.['name'];
  const codeValue = typeof nameValue === 'string' && nameValue !== 'Error' && nameValue !== 'ServiceException' ? nameValue : (root?.['Code'] ?? root?.['code']);
  return {
    code: typeof codeValue === 'string' && codeValue !== '' ? codeValue : undefined,
    status: typeof statusValue === 'number' ? statusValue : undefined,
    message: error instanceof Error ? error.message : 'unknown error',
  };
}

function isTransientNetworkError(error: unknown): boolean {
  // No response at all: reset connections, refused sockets, DNS blips, the SDK's own timeouts.
  const root = record(error);
  const code = root?.['code'] ?? record(root?.['cause'])?.['code'];
  if (typeof code === 'string' && /^(E[A-Z]+|UND_ERR_[A-Z_]+)$/.test(code)) return true;
  return root?.['name'] === 'TimeoutError';
}

/**
 * Maps a failed AWS SDK call to core's hierarchy. The AWS error code decides first; the HTTP
 * status only for codes not listed here. 5xx and connection failures are retryable
 * `ProviderError`s (retried only for idempotent calls); throttling is a `RateLimitError`.
 * Messages carry AWS's own text, which never contains credentials.
 */
export function mapAwsError(error: unknown, operation: string): AlmanacError {
  if (AlmanacError.isInstance(error)) return error;
  const { code, status, message: raw } = awsErrorDetails(error);
  const options = { provider: AWS_PROVIDER, operation, status, cause: error };
  const message = `aws: ${operation} failed${status === undefined ? '' : ` with HTTP ${status}`}${code ? ` (${code})` : ''}: ${raw}`;
  if (code !== undefined) {
    if (NOT_FOUND.has(code)) return new NotFoundError(message, options);
    if (CONFLICT.has(code)) return new ConflictError(message, options);
    if (AUTH.has(code)) return new AuthError(message, options);
    if (PERMISSION.has(code)) return new PermissionError(message, options);
    if (THROTTLE.has(code)) return new RateLimitError(message, options);
    if (CURSOR.has(code)) return new ValidationError(message, [{ path: 'cursor', message: 'is not a cursor this provider returned, or it expired' }], options);
    if (VALIDATION.has(code)) return new ValidationError(message, [], options);
    if (SERVER.has(code)) return new ProviderError(message, { ...options, retryable: code !== 'InsufficientInstanceCapacity' });
    if (code === 'RequestTimeout' || code === 'RequestTimeoutException') return new TimeoutError(message, options);
  }
  if (status === undefined) return new ProviderError(message, { ...options, retryable: isTransientNetworkError(error) });
  // EC2 throttles some calls with a bare 503.
  if (status === 503) return new RateLimitError(message, options);
  return errorForStatus(status, message, { ...options, retryable: status >= 500 });
}
