import { describe, expect, it } from 'vitest';
import {
  AbortedError,
  AlmanacError,
  CapabilityError,
  ConflictError,
  NotFoundError,
  RateLimitError,
  ValidationError,
} from '../src/errors';

describe('AlmanacError', () => {
  it('carries a stable code, provider, operation and retryability', () => {
    const error = new RateLimitError('slow down', { provider: 'twitch', operation: 'GET /users', retryAfterMs: 1500, status: 429 });
    expect(error.code).toBe('rate_limited');
    expect(error.provider).toBe('twitch');
    expect(error.operation).toBe('GET /users');
    expect(error.retryable).toBe(true);
    expect(error.retryAfterMs).toBe(1500);
    expect(error.name).toBe('RateLimitError');
    expect(error).toBeInstanceOf(AlmanacError);
  });

  it('isInstance checks the brand and, on subclasses, the code', () => {
    const notFound = new NotFoundError('missing');
    expect(AlmanacError.isInstance(notFound)).toBe(true);
    expect(NotFoundError.isInstance(notFound)).toBe(true);
    expect(ConflictError.isInstance(notFound)).toBe(false);
    expect(AlmanacError.isInstance(new Error('plain'))).toBe(false);
    expect(AlmanacError.isInstance(null)).toBe(false);
    expect(AlmanacError.isInstance({ code: 'not_found' })).toBe(false);
  });

  it('isInstance recognises an error from another copy of the package', () => {
    // A copy of the class defined elsewhere shares only the global-registry brand.
    const foreign = Object.assign(new Error('from another copy'), {
      code: 'not_found',
      [Symbol.for('@almanac/core.AlmanacError')]: true,
    });
    expect(NotFoundError.isInstance(foreign)).toBe(true);
    expect(ValidationError.isInstance(foreign)).toBe(false);
  });

  it('names every bad field in a validation message', () => {
    const error = new ValidationError(undefined, [
      { path: 'range.end', message: 'must be after start' },
      { path: 'durationMinutes', message: 'expected a positive number' },
    ]);
    expect(error.message).toBe('range.end: must be after start; durationMinutes: expected a positive number');
    expect(error.toJSON()).toMatchObject({ code: 'validation', issues: error.issues });
  });

  it('names provider and operation in capability errors', () => {
    const error = new CapabilityError('signedWrite', { provider: 'ics', operation: 'signedUrl' });
    expect(error.message).toBe('Provider "ics" does not support signedWrite (operation signedUrl)');
    expect(error.code).toBe('capability');
  });

  it('never retries aborted calls and keeps cause out of JSON', () => {
    const error = new AbortedError(undefined, { retryable: true, cause: new Error('secret-bearing cause') });
    expect(error.retryable).toBe(false);
    expect(JSON.stringify(error)).not.toContain('secret-bearing');
  });
});
