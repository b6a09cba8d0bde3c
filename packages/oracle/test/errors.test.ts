import { describe, expect, it } from 'vitest';
import { AlmanacError, NotFoundError, ValidationError } from '../../core/src/errors';
import { OracleRangeError, OracleTypeError } from '../src/errors';
import { findSlots } from '../src/slots';
import { zonedTimeToInstant } from '../src/time';

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('oracle errors are core validation errors', () => {
  it('pass AlmanacError.isInstance and ValidationError.isInstance, and no other class', () => {
    for (const error of [new OracleRangeError('range.end', 'before start'), new OracleTypeError('durationMinutes', 'expected a number')]) {
      expect(AlmanacError.isInstance(error)).toBe(true);
      expect(ValidationError.isInstance(error)).toBe(true);
      expect(NotFoundError.isInstance(error)).toBe(false);
      expect(error.code).toBe('validation');
      expect(error.retryable).toBe(false);
    }
  });

  it('keep the built-in class they always had', () => {
    expect(new OracleRangeError('x', 'm')).toBeInstanceOf(RangeError);
    expect(new OracleTypeError('x', 'm')).toBeInstanceOf(TypeError);
    expect(new OracleRangeError('x', 'm')).not.toBeInstanceOf(TypeError);
  });

  it('name the field in issues[].path in core dotted form, keeping the message and the deprecated field', () => {
    const error = new OracleRangeError('participants[2].timeZone', 'unknown time zone "Mars/Olympus"');
    expect(error.issues).toEqual([{ path: 'participants.2.timeZone', message: 'unknown time zone "Mars/Olympus"' }]);
    expect(error.message).toBe('participants[2].timeZone: unknown time zone "Mars/Olympus"');
    expect(error.field).toBe('participants[2].timeZone');
    expect(error.name).toBe('OracleRangeError');
  });

  it('serialise like core errors, without the deprecated field', () => {
    const error = new OracleTypeError('local.year', 'expected a number, got string');
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      name: 'OracleTypeError',
      code: 'validation',
      message: 'local.year: expected a number, got string',
      retryable: false,
      issues: [{ path: 'local.year', message: 'expected a number, got string' }],
    });
    expect(Object.keys(error)).not.toContain('field');
  });

  it('are what real oracle calls throw, so one catch handles the suite', () => {
    const bad = thrown(() =>
      findSlots({
        range: { start: '2026-03-02T00:00:00Z', end: '2026-03-03T00:00:00Z' },
        durationMinutes: 30,
        participants: [{ id: 'ana', timeZone: 'Mars/Olympus', workingHours: [], busy: [] }],
      }),
    );
    expect(ValidationError.isInstance(bad)).toBe(true);
    expect((bad as ValidationError).issues[0]?.path).toBe('participants.0.timeZone');
    const zone = thrown(() => zonedTimeToInstant({ year: 2026, month: 2, day: 30 }, 'UTC'));
    expect(ValidationError.isInstance(zone) && zone.issues[0]?.path).toBe('local.day');
  });
});
