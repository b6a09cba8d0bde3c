import { describe, expect, it } from 'vitest';
import { mapGcsError } from '../src/adapters/gcs/errors';

const apiError = (code: number, reason: string, message = 'boom', headers: Record<string, string> = {}) =>
  Object.assign(new Error(message), { code, errors: [{ reason, message }], response: { headers } });

describe('mapGcsError', () => {
  it.each([
    [404, 'notFound', 'not_found', false],
    [412, 'conditionNotMet', 'conflict', false],
    [401, 'authError', 'auth', false],
    [403, 'forbidden', 'permission', false],
    [403, 'rateLimitExceeded', 'rate_limited', true],
    [429, 'rateLimitExceeded', 'rate_limited', true],
    [500, 'backendError', 'provider', true],
    [503, 'backendError', 'provider', true],
    [400, 'invalid', 'validation', false],
  ])('HTTP %i (%s) → %s, retryable %s', (status, reason, code, retryable) => {
    const error = mapGcsError(apiError(status, reason), 'stat', 0);
    expect(error).toMatchObject({ code, retryable, provider: 'gcs', operation: 'stat', status });
  });

  it('reads Retry-After of a 429', () => {
    expect(mapGcsError(apiError(429, 'rateLimitExceeded', 'slow', { 'retry-after': '3' }), 'list', 0)).toMatchObject({ retryAfterMs: 3000 });
  });

  it('maps checksum failures to IntegrityError', () => {
    expect(mapGcsError(Object.assign(new Error('mismatch'), { code: 'FILE_NO_UPLOAD' }), 'write', 0).code).toBe('integrity');
    expect(mapGcsError(Object.assign(new Error('bad'), { code: 'CONTENT_DOWNLOAD_MISMATCH' }), 'read', 0).code).toBe('integrity');
    expect(mapGcsError(apiError(400, 'invalid', 'Provided MD5 hash "x" doesn\'t match calculated MD5 hash "y".'), 'write', 0).code).toBe('integrity');
  });

  it('reads the plain JSON error bodies resumable uploads fail with', () => {
    expect(mapGcsError({ code: 412, message: 'precondition', errors: [{ reason: 'conditionNotMet' }] }, 'write', 0).code).toBe('conflict');
  });

  it('keeps socket resets retryable', () => {
    expect(mapGcsError(Object.assign(new Error('reset'), { code: 'ECONNRESET' }), 'read', 0)).toMatchObject({ code: 'provider', retryable: true });
  });
});
