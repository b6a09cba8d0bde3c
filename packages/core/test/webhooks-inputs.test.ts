// Caller mistakes at the webhook helpers are ValidationErrors naming the field (killed mutants:
// the non-object guards and their issue paths and messages).
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../src/errors';
import { computeHmacSha256, createReplayGuard, verifyHmacSha256 } from '../src/webhooks';

const issues = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    expect(ValidationError.isInstance(error)).toBe(true);
    return (error as ValidationError).issues;
  }
  return 'did not throw';
};

describe('webhook helper inputs', () => {
  it('HMAC helpers refuse a missing options object and name each bad field', () => {
    for (const bad of [null, undefined, 'x']) {
      expect(issues(() => computeHmacSha256(bad as never))).toEqual([{ path: '', message: 'must be an options object' }]);
      expect(issues(() => verifyHmacSha256(bad as never))).toEqual([{ path: '', message: 'must be an options object' }]);
    }
    expect(issues(() => computeHmacSha256({ secret: '', payload: 'p', prefix: 7 as never }))).toEqual([
      { path: 'secret', message: 'must be a non-empty string or Uint8Array' },
      { path: 'prefix', message: 'must be a string' },
    ]);
  });

  it('the replay guard refuses a non-object check and bad options, naming the field', async () => {
    const guard = createReplayGuard();
    await expect(guard.check(null as never)).rejects.toSatisfy(
      (e) => ValidationError.isInstance(e) && JSON.stringify(e.issues) === JSON.stringify([{ path: '', message: 'must be an object with id and timestamp' }]),
    );
    expect(issues(() => createReplayGuard({ clock: {} as never }))).toEqual([{ path: 'clock', message: 'must be a Clock' }]);
    expect(issues(() => createReplayGuard({ store: {} as never }))).toEqual([{ path: 'store', message: 'must be a SeenIdStore' }]);
    expect(issues(() => createReplayGuard({ timestampUnit: 'hours' as never }))).toEqual([{ path: 'timestampUnit', message: 'must be "seconds" or "milliseconds"' }]);
  });
});
