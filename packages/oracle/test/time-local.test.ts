import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OracleRangeError } from '../src/errors';
import {
  addDays,
  allDayToRange,
  createZoneOffsetReader,
  dateInZone,
  formatInZone,
  instantToLocal,
  isValidTimeZone,
  localToInstant,
  parseIsoInstant,
  zonedLocalToInstant,
  zoneOffsetMs,
} from '../src/time';
import { expectOracleError } from './helpers/expect-oracle-error';

const iso = (date: Date) => date.toISOString();

describe('parseIsoInstant', () => {
  it('accepts Z and numeric offsets, fractions included', () => {
    expect(iso(parseIsoInstant('2026-03-08T01:30:00-05:00') as Date)).toBe('2026-03-08T06:30:00.000Z');
    expect(iso(parseIsoInstant('2026-03-10T15:30+05:30') as Date)).toBe('2026-03-10T10:00:00.000Z');
    expect(iso(parseIsoInstant('2026-03-01T00:00:00.123456Z') as Date)).toBe('2026-03-01T00:00:00.123Z');
  });

  it('refuses zone-less, impossible and non-ISO input', () => {
    for (const text of ['2026-03-01T00:00:00', '2026-02-30T00:00:00Z', '2026-03-01T24:00:00Z', '2026-03-01', 'March 1 2026', '2026-03-01T00:00:00+25:00']) {
      expect(parseIsoInstant(text), text).toBeUndefined();
    }
  });
});

describe('local times in IANA zones', () => {
  it('reads a skipped spring-forward time shifted by the gap (RFC 5545), or rejects it', () => {
    expect(iso(zonedLocalToInstant('2026-03-08T02:30:00', 'America/New_York'))).toBe('2026-03-08T07:30:00.000Z');
    expect(iso(zonedLocalToInstant('2026-03-08T02:30:00', 'America/New_York', 'earlier'))).toBe('2026-03-08T06:30:00.000Z');
    expect(() => zonedLocalToInstant('2026-03-08T02:30:00', 'America/New_York', 'reject')).toThrow(RangeError);
  });

  it('reads an ambiguous fall-back time as its earlier occurrence unless told otherwise', () => {
    expect(iso(zonedLocalToInstant('2026-10-25T01:30:00', 'Europe/London'))).toBe('2026-10-25T00:30:00.000Z');
    expect(iso(zonedLocalToInstant('2026-10-25T01:30:00', 'Europe/London', 'later'))).toBe('2026-10-25T01:30:00.000Z');
    expect(() => zonedLocalToInstant('2026-10-25T01:30:00', 'Europe/London', 'reject')).toThrow(/twice/);
  });

  it('handles half-hour zones and the southern hemisphere', () => {
    expect(iso(zonedLocalToInstant('2026-03-10T15:30', 'Asia/Kolkata'))).toBe('2026-03-10T10:00:00.000Z');
    expect(iso(zonedLocalToInstant('2026-04-05T02:30:00', 'Australia/Sydney'))).toBe('2026-04-04T15:30:00.000Z');
  });

  it('refuses malformed text and unknown zones', () => {
    expect(() => zonedLocalToInstant('2026-03-08 25:00', 'UTC')).toThrow(RangeError);
    expect(() => localToInstant({ year: 2026, month: 3, day: 1 }, 'Mars/Olympus_Mons')).toThrow(RangeError);
    expect(isValidTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isValidTimeZone('Asia/Kolkata')).toBe(true);
  });

  it('round-trips every instant through its local time', () => {
    const zones = ['America/New_York', 'Europe/London', 'Asia/Kolkata', 'Australia/Lord_Howe', 'UTC'];
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) }),
        fc.constantFrom(...zones),
        (ms, zone) => {
          const instant = Math.floor(ms / 1000) * 1000;
          const local = instantToLocal(instant, zone);
          const back = localToInstant(local, zone, 'earlier').getTime();
          const later = localToInstant(local, zone, 'later').getTime();
          // Ambiguous local times map back to one of their two instants.
          expect([back, later]).toContain(instant);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('formats an instant with the offset of its zone', () => {
    expect(formatInZone(new Date('2026-03-08T08:00:00Z'), 'America/New_York')).toBe('2026-03-08T04:00:00-04:00');
    expect(formatInZone(new Date('2026-03-10T10:00:00Z'), 'Asia/Kolkata')).toBe('2026-03-10T15:30:00+05:30');
  });
});

describe('all-day dates', () => {
  it('covers the local day, 23 hours long on a spring-forward day', () => {
    const { start, end } = allDayToRange('2026-03-08', '2026-03-09', 'America/New_York');
    expect(iso(start)).toBe('2026-03-08T05:00:00.000Z');
    expect(iso(end)).toBe('2026-03-09T04:00:00.000Z');
    expect(end.getTime() - start.getTime()).toBe(23 * 3_600_000);
  });

  it('starts at the first instant of a day whose midnight a DST change skips', () => {
    // Chile springs forward at 00:00 on 6 September 2026: the day starts at 01:00 local.
    expect(iso(allDayToRange('2026-09-06', '2026-09-07', 'America/Santiago').start)).toBe('2026-09-06T04:00:00.000Z');
  });

  it('adds days and reads the date of an instant in a zone', () => {
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(dateInZone(new Date('2026-03-10T20:00:00Z'), 'Asia/Kolkata')).toBe('2026-03-11');
    expect(dateInZone(new Date('2026-03-10T20:00:00Z'), 'America/New_York')).toBe('2026-03-10');
  });
});

describe('input errors name the field', () => {
  it('names the zone, the date and the day count', () => {
    expectOracleError(() => createZoneOffsetReader('Mars/Olympus_Mons'), OracleRangeError, 'zone');
    expectOracleError(() => allDayToRange('2026-03-01', '2026-02-30', 'UTC'), OracleRangeError, 'endDate');
    expectOracleError(() => addDays('2026-03-01', 0.5), OracleRangeError, 'days');
    expectOracleError(() => zonedLocalToInstant('2026-03-08T02:30', 'America/New_York', 'reject'), OracleRangeError, 'text');
  });

  it('reads the offset of a zone through a reader kept for many instants', () => {
    const reader = createZoneOffsetReader('America/New_York');
    expect(reader.offsetAt(Date.UTC(2026, 2, 8, 6, 59))).toBe(-5 * 3_600_000);
    expect(reader.offsetAt(Date.UTC(2026, 2, 8, 7, 0))).toBe(-4 * 3_600_000);
    expect(zoneOffsetMs('Asia/Kolkata', new Date('2026-01-01T00:00:00Z'))).toBe(5.5 * 3_600_000);
  });
});
