import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OracleRangeError } from '../src/errors';
import { instantToZonedTime, zonedTimeToInstant } from '../src/time';

describe('zonedTimeToInstant', () => {
  it('reads wall times in the zone, not the server zone, across DST', () => {
    expect(zonedTimeToInstant({ year: 2026, month: 3, day: 6, hour: 9 }, 'America/New_York').toISOString()).toBe('2026-03-06T14:00:00.000Z');
    expect(zonedTimeToInstant({ year: 2026, month: 3, day: 9, hour: 9 }, 'America/New_York').toISOString()).toBe('2026-03-09T13:00:00.000Z');
    expect(zonedTimeToInstant({ year: 2026, month: 11, day: 2, hour: 9, minute: 30 }, 'Asia/Kolkata').toISOString()).toBe('2026-11-02T04:00:00.000Z');
    expect(zonedTimeToInstant({ year: 2026, month: 1, day: 1, second: 1, millisecond: 250 }, 'UTC').toISOString()).toBe('2026-01-01T00:00:01.250Z');
  });

  it('maps a skipped time to the jump and a repeated time to its first occurrence', () => {
    // New York springs forward at 02:00 on 2026-03-08 (07:00Z); 02:30 does not exist.
    expect(zonedTimeToInstant({ year: 2026, month: 3, day: 8, hour: 2, minute: 30 }, 'America/New_York').toISOString()).toBe('2026-03-08T07:00:00.000Z');
    // London falls back at 02:00 BST on 2026-10-25; 01:30 happens twice, first at 00:30Z.
    expect(zonedTimeToInstant({ year: 2026, month: 10, day: 25, hour: 1, minute: 30 }, 'Europe/London').toISOString()).toBe('2026-10-25T00:30:00.000Z');
  });

  it('rejects impossible dates and unknown zones naming the field', () => {
    expect(() => zonedTimeToInstant({ year: 2026, month: 2, day: 30 }, 'UTC')).toThrow(/local\.day/);
    expect(() => zonedTimeToInstant({ year: 2026, month: 13, day: 1 }, 'UTC')).toThrow(OracleRangeError);
    expect(() => zonedTimeToInstant({ year: 2026, month: 1, day: 1 }, 'Mars/Olympus')).toThrow(/timeZone/);
  });
});

describe('instantToZonedTime', () => {
  it('gives the wall clock, weekday and offset', () => {
    expect(instantToZonedTime('2026-03-09T13:00:00Z', 'America/New_York')).toEqual({
      year: 2026, month: 3, day: 9, hour: 9, minute: 0, second: 0, weekday: 1, offsetMinutes: -240,
    });
  });

  it('round-trips with zonedTimeToInstant for every instant', () => {
    const zones = ['America/New_York', 'Europe/London', 'Asia/Kolkata', 'Australia/Sydney', 'UTC'];
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2020, 0, 1) / 60_000, max: Date.UTC(2030, 0, 1) / 60_000 }), fc.constantFrom(...zones), (minutes, zone) => {
        const at = new Date(minutes * 60_000);
        const local = instantToZonedTime(at, zone);
        const back = zonedTimeToInstant(local, zone);
        // Equal, except for the second occurrence of a repeated (fall-back) time, which maps to the first.
        expect(back.getTime() === at.getTime() || at.getTime() - back.getTime() === 3_600_000 || at.getTime() - back.getTime() === 1_800_000).toBe(true);
      }),
    );
  });
});
