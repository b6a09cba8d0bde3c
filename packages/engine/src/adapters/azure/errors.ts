import { AlmanacError, errorForStatus, ProviderError, RateLimitError } from '@almanac/core';
import { errorForCode, failureMessage, isConnectionErrorCode, record } from '../../adapter-errors';
import type { ErrorCodeTable } from '../../adapter-errors';

/** Provider name on every error, audit event and `Instance.provider` of the Azure adapter. */
export const AZURE_PROVIDER = 'azure';

// ARM error codes: https://learn.microsoft.com/azure/azure-resource-manager/troubleshooting/common-deployment-errors
// The code decides before the status (ARM answers several of them with 400 or 409).
const CODES: ErrorCodeTable = {
  notFound: new Set(['ResourceNotFound', 'NotFound', 'ResourceGroupNotFound', 'ParentResourceNotFound', 'SubscriptionNotFound']),
  conflict: new Set(['Conflict', 'OperationNotAllowed', 'PropertyChangeNotAllowed', 'ResourceQuotaExceeded', 'OperationPreempted', 'RetryableError']),
  auth: new Set(['InvalidAuthenticationToken', 'InvalidAuthenticationTokenTenant', 'AuthenticationFailed', 'ExpiredAuthenticationToken', 'CredentialUnavailableError', 'AuthenticationRequiredError']),
  permission: new Set(['AuthorizationFailed', 'LinkedAuthorizationFailed', 'Forbidden']),
  validation: new Set(['InvalidParameter', 'BadRequest', 'InvalidRequestFormat', 'InvalidRequestContent', 'SkuNotAvailable', 'InvalidResourceName', 'InvalidApiVersionParameter']),
};
const THROTTLE = new Set(['TooManyRequests', 'SubscriptionRequestsThrottled', 'ResourceRequestsThrottled', 'OperationThrottled']);
// Capacity and allocation failures: the request was fine, the cloud could not place the VM now.
const CAPACITY = new Set(['AllocationFailed', 'ZonalAllocationFailed', 'OverconstrainedAllocationRequest', 'OverconstrainedZonalAllocationRequest']);

function header(error: Record<string, unknown> | undefined, name: string): string | undefined {
  const headers = record(record(error?.['response'])?.['headers']);
  const get = headers?.['get'];
  const value = typeof get === 'function' ? (get as (n: string) => unknown).call(headers, name) : headers?.[name];
  return typeof value === 'string' ? value : undefined;
}

/** ARM code, HTTP status and message of a failed SDK call or long-running operation. */
export function azureErrorDetails(error: unknown): { readonly code: string | undefined; readonly status: number | undefined; readonly message: string } {
  const root = record(error);
  const message = error instanceof Error ? error.message : 'unknown error';
  const statusValue = root?.['statusCode'] ?? record(root?.['response'])?.['status'];
  let code = root?.['code'];
  const detailsCode = record(record(root?.['details'])?.['error'])?.['code'];
  if (typeof detailsCode === 'string') code = detailsCode;
  // A failed long-running operation surfaces as "The long-running operation has failed. <code>. <message>".
  const lro = /long-running operation has failed\. ([A-Za-z]+)\./.exec(message);
  if (lro !== null) code = lro[1];
  if (typeof code !== 'string' && typeof root?.['name'] === 'string' && root['name'] !== 'Error' && root['name'] !== 'RestError') code = root['name'];
  return {
    code: typeof code === 'string' && code !== '' ? code : undefined,
    status: typeof statusValue === 'number' ? statusValue : undefined,
    message,
  };
}

function isTransientNetworkError(code: string | undefined, error: unknown): boolean {
  if (code === 'REQUEST_SEND_ERROR') return true;
  return isConnectionErrorCode(record(record(error)?.['cause'])?.['code']);
}

/**
 * Maps a failed Azure SDK call (a `RestError`, an identity error, a failed long-running
 * operation) to core's hierarchy. Throttling becomes `RateLimitError` with the `Retry-After`
 * wait; 5xx and connection failures are retryable `ProviderError`s. Messages carry ARM's text,
 * which never contains the bearer token.
 */
export function mapAzureError(error: unknown, operation: string): AlmanacError {
  if (AlmanacError.isInstance(error)) return error;
  const { code, status, message: raw } = azureErrorDetails(error);
  const options = { provider: AZURE_PROVIDER, operation, status, cause: error };
  const message = failureMessage(AZURE_PROVIDER, operation, status, code, raw);
  if (code !== undefined) {
    const common = errorForCode(code, CODES, message, options);
    if (common !== undefined) return common;
    if (CAPACITY.has(code)) return new ProviderError(message, { ...options, retryable: false });
  }
  if (status === 429 || (code !== undefined && THROTTLE.has(code))) {
    const after = Number(header(record(error), 'retry-after'));
    return new RateLimitError(message, { ...options, ...(Number.isFinite(after) && after >= 0 && { retryAfterMs: after * 1000 }) });
  }
  if (status === undefined) return new ProviderError(message, { ...options, retryable: isTransientNetworkError(code, error) });
  return errorForStatus(status, message, { ...options, retryable: status >= 500 });
}
