import { AlmanacError, errorForStatus, ProviderError, RateLimitError, TimeoutError, ValidationError } from '@almanac/core';
import { errorForCode, failureMessage, isConnectionErrorCode, record } from '../../adapter-errors';
import type { ErrorCodeTable } from '../../adapter-errors';

/** Provider name on every error, audit event and `Instance.provider` of the AWS adapters. */
export const AWS_PROVIDER = 'aws';

// Error codes from https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html
// and the ECS / CloudWatch API references. The code decides before the HTTP status: EC2 sends
// both `InvalidParameterValue` and `InvalidInstanceID.NotFound` as 400, and throttles with 503.
const CODES: ErrorCodeTable = {
  notFound: new Set([
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
  ]),
  conflict: new Set([
    'IncorrectInstanceState',
    'IncorrectState',
    'UnsupportedOperation',
    'Resource.AlreadyAssociated',
    'ServiceNotActiveException',
    'ConcurrentTagAccess',
    'UpdateInProgressException',
  ]),
  auth: new Set([
    'AuthFailure',
    'InvalidClientTokenId',
    'SignatureDoesNotMatch',
    'IncompleteSignature',
    'ExpiredToken',
    'ExpiredTokenException',
    'MissingAuthenticationToken',
    'UnrecognizedClientException',
    'CredentialsProviderError',
  ]),
  permission: new Set(['UnauthorizedOperation', 'AccessDenied', 'AccessDeniedException', 'OptInRequired', 'Blocked']),
  validation: new Set([
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
  ]),
};
const THROTTLE = new Set(['RequestLimitExceeded', 'Throttling', 'ThrottlingException', 'TooManyRequestsException', 'LimitExceededException']);
const CURSOR = new Set(['InvalidNextToken', 'InvalidPaginationToken']);
const SERVER = new Set(['InternalError', 'InternalFailure', 'ServerException', 'ServiceUnavailable', 'Unavailable', 'InsufficientInstanceCapacity']);

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
  if (isConnectionErrorCode(root?.['code'] ?? record(root?.['cause'])?.['code'])) return true;
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
  const message = failureMessage(AWS_PROVIDER, operation, status, code, raw);
  if (code !== undefined) {
    const common = errorForCode(code, CODES, message, options);
    if (common !== undefined) return common;
    if (THROTTLE.has(code)) return new RateLimitError(message, options);
    if (CURSOR.has(code)) return new ValidationError(message, [{ path: 'cursor', message: 'is not a cursor this provider returned, or it expired' }], options);
    if (SERVER.has(code)) return new ProviderError(message, { ...options, retryable: code !== 'InsufficientInstanceCapacity' });
    if (code === 'RequestTimeout' || code === 'RequestTimeoutException') return new TimeoutError(message, options);
  }
  if (status === undefined) return new ProviderError(message, { ...options, retryable: isTransientNetworkError(error) });
  // EC2 throttles some calls with a bare 503.
  if (status === 503) return new RateLimitError(message, options);
  return errorForStatus(status, message, { ...options, retryable: status >= 500 });
}
