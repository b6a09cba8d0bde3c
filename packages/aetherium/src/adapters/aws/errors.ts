import { AuthError, PermissionError, ProviderError, RateLimitError, ValidationError, errorForStatus } from '@almanac/core';
import type { AlmanacError } from '@almanac/core';

/**
 * Maps a Cost Explorer SDK error by its exception name
 * (https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_GetCostAndUsage.html#API_GetCostAndUsage_Errors).
 * Messages carry AWS's own text, which never contains credentials.
 */
export function mapCostExplorerError(error: unknown, info: { operation: string }): AlmanacError {
  const e = error as { name?: string | undefined; message?: string | undefined; $metadata?: { httpStatusCode?: number | undefined } | undefined };
  const name = e?.name ?? '';
  const message = `Cost Explorer ${info.operation} failed: ${name}${e?.message ? `: ${e.message}` : ''}`;
  const options = { provider: 'aws', operation: info.operation, cause: error };
  switch (name) {
    case 'LimitExceededException':
    case 'ThrottlingException':
      return new RateLimitError(message, options);
    case 'AccessDeniedException':
      return new PermissionError(message, options);
    case 'UnrecognizedClientException':
    case 'InvalidClientTokenId':
    case 'ExpiredTokenException':
    case 'InvalidSignatureException':
      return new AuthError(message, options);
    case 'ValidationException':
    case 'InvalidNextTokenException':
    case 'BillExpirationException':
      return new ValidationError(message, [], options);
    case 'DataUnavailableException':
    case 'RequestChangedException':
      return new ProviderError(message, { ...options, retryable: false });
    default:
      return errorForStatus(e?.$metadata?.httpStatusCode ?? 500, message, options);
  }
}
