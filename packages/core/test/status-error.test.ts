import { describe, expect, it } from 'vitest';
import { errorForStatus } from '../src/http/status-error';

describe('errorForStatus', () => {
  const cases: Array<[number, string, boolean]> = [
    [400, 'validation', false],
    [422, 'validation', false],
    [401, 'auth', false],
    [403, 'permission', false],
    [404, 'not_found', false],
    [410, 'not_found', false],
    [409, 'conflict', false],
    [412, 'conflict', false],
    [429, 'rate_limited', true],
    [408, 'timeout', true],
    [504, 'timeout', true],
    [500, 'provider', true],
    [503, 'provider', true],
    [501, 'provider', false],
    [505, 'provider', false],
    [418, 'provider', false],
  ];
  for (const [status, code, retryable] of cases) {
    it(`maps ${status} to ${code} (retryable ${retryable})`, () => {
      const error = errorForStatus(status, `HTTP ${status}`, { provider: 'acme', operation: 'GET /x', status });
      expect(error.code).toBe(code);
      expect(error.retryable).toBe(retryable);
      expect(error).toMatchObject({ provider: 'acme', operation: 'GET /x', status, message: `HTTP ${status}` });
    });
  }

  it('carries issues and the requested wait, and lets the caller decide retryability of other statuses only', () => {
    expect(errorForStatus(400, 'bad', { issues: [{ path: 'name', message: 'Required' }] })).toMatchObject({ issues: [{ path: 'name', message: 'Required' }] });
    expect(errorForStatus(429, 'slow', { retryAfterMs: 1500 })).toMatchObject({ retryAfterMs: 1500, retryable: true });
    expect(errorForStatus(501, 'x', { retryable: true }).retryable).toBe(true);
    expect(errorForStatus(404, 'x', { retryable: true }).retryable).toBe(false);
  });
});
