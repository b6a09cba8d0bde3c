import { describe, expect, expectTypeOf, it } from 'vitest';
import { ConfigError, NotFoundError, ValidationError } from '../src/errors';
import { expectAlmanacError } from '../src/testing/errors';

const invalid = () =>
  Promise.reject(new ValidationError('Invalid input to acme read: options.prefix: too long', [{ path: 'options.prefix', message: 'too long' }], { provider: 'acme', operation: 'read' }));

describe('expectAlmanacError', () => {
  it('returns the error typed by its code when everything matches', async () => {
    const error = await expectAlmanacError(invalid(), { code: 'validation', field: 'options.prefix', message: 'too long', provider: 'acme', operation: 'read' });
    expectTypeOf(error).toEqualTypeOf<ValidationError>();
    expect(error.issues).toHaveLength(1);
  });

  it('accepts a function (synchronous throws count) and a message pattern', async () => {
    const error = await expectAlmanacError(
      () => {
        throw new ConfigError('missing token', [{ path: 'token', message: 'Required' }]);
      },
      { code: 'config', field: 'token', message: /missing/ },
    );
    expect(error.issues[0]?.path).toBe('token');
  });

  it('fails when the call succeeds, the code differs, the field is not named or the value is not an AlmanacError', async () => {
    await expect(expectAlmanacError(Promise.resolve(1), { code: 'not_found' })).rejects.toThrow(/but the call succeeded/);
    await expect(expectAlmanacError(invalid(), { code: 'not_found' })).rejects.toThrow(/wrong code/);
    await expect(expectAlmanacError(invalid(), { code: 'validation', field: 'options.limit' })).rejects.toThrow(/options\.limit/);
    await expect(expectAlmanacError(Promise.reject(new Error('plain')), { code: 'provider' })).rejects.toThrow(/got Error: plain/);
    await expect(expectAlmanacError(Promise.reject(new NotFoundError('x', { provider: 'b' })), { code: 'not_found', provider: 'a' })).rejects.toThrow();
    await expect(expectAlmanacError(invalid(), { code: 'validation', message: 'nope' })).rejects.toThrow();
  });
});
