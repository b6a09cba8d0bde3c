import { describe, expect, it } from 'vitest';
import { OracleRangeError, OracleTypeError } from '../src/errors';
import { expectOracleErrorWithFieldPrefix } from './helpers/expect-oracle-error';
import { findSlots, mergeIntervals, subtractIntervals } from '../src/slots';

const base = () => ({
  range: { start: '2024-01-15T00:00:00Z', end: '2024-01-16T00:00:00Z' } as { start: unknown; end: unknown },
  durationMinutes: 30 as unknown,
  participants: [
    { id: 'a', busy: [] as unknown[] },
    { id: 'b', busy: [] as unknown[], timeZone: 'Europe/London' as unknown },
  ] as Array<Record<string, unknown>>,
});

// Builds a request from the valid base with one edit, typed loosely on purpose.
function run(edit: (r: Record<string, unknown> & ReturnType<typeof base>) => void): () => unknown {
  return () => {
    const r = base() as Record<string, unknown> & ReturnType<typeof base>;
    edit(r);
    return findSlots(r as never);
  };
}

describe('findSlots validation', () => {
  it('accepts the valid base request', () => {
    expect(run(() => {})()).toHaveLength(50);
  });

  it('rejects a non-object request and range', () => {
    expectOracleErrorWithFieldPrefix(() => findSlots(null as never), OracleTypeError, 'request');
    expectOracleErrorWithFieldPrefix(run((r) => delete (r as Record<string, unknown>)['range']), OracleTypeError, 'range');
  });

  it('rejects an end before the start', () => {
    expectOracleErrorWithFieldPrefix(run((r) => (r.range.end = '2024-01-14T00:00:00Z')), OracleRangeError, 'range.end');
  });

  it('rejects unparseable and zone-less instants', () => {
    expectOracleErrorWithFieldPrefix(run((r) => (r.range.start = 'tomorrow')), OracleRangeError, 'range.start');
    expectOracleErrorWithFieldPrefix(run((r) => (r.range.start = '2024-01-15T00:00:00')), OracleRangeError, 'range.start');
    expectOracleErrorWithFieldPrefix(run((r) => (r.range.start = new Date(Number.NaN))), OracleRangeError, 'range.start');
    expectOracleErrorWithFieldPrefix(run((r) => (r.range.end = 17)), OracleTypeError, 'range.end');
  });

  it('rejects ranges outside years 0001..9999', () => {
    expectOracleErrorWithFieldPrefix(run((r) => (r.range.start = new Date(-8.64e15))), OracleRangeError, 'range.start');
    expectOracleErrorWithFieldPrefix(run((r) => (r.range.end = new Date(8.64e15))), OracleRangeError, 'range.end');
  });

  it('rejects a non-positive, NaN or non-numeric duration', () => {
    expectOracleErrorWithFieldPrefix(run((r) => (r.durationMinutes = 0)), OracleRangeError, 'durationMinutes');
    expectOracleErrorWithFieldPrefix(run((r) => (r.durationMinutes = -30)), OracleRangeError, 'durationMinutes');
    expectOracleErrorWithFieldPrefix(run((r) => (r.durationMinutes = Number.NaN)), OracleRangeError, 'durationMinutes');
    expectOracleErrorWithFieldPrefix(run((r) => (r.durationMinutes = '30')), OracleTypeError, 'durationMinutes');
    expectOracleErrorWithFieldPrefix(run((r) => delete (r as Record<string, unknown>)['durationMinutes']), OracleTypeError, 'durationMinutes');
  });

  it('rejects a non-positive or NaN step, and bad buffer, notice and maxResults', () => {
    expectOracleErrorWithFieldPrefix(run((r) => (r['stepMinutes'] = 0)), OracleRangeError, 'stepMinutes');
    expectOracleErrorWithFieldPrefix(run((r) => (r['stepMinutes'] = -15)), OracleRangeError, 'stepMinutes');
    expectOracleErrorWithFieldPrefix(run((r) => (r['stepMinutes'] = Number.NaN)), OracleRangeError, 'stepMinutes');
    expectOracleErrorWithFieldPrefix(run((r) => (r['stepMinutes'] = Number.POSITIVE_INFINITY)), OracleRangeError, 'stepMinutes');
    expectOracleErrorWithFieldPrefix(run((r) => (r['bufferMinutes'] = -1)), OracleRangeError, 'bufferMinutes');
    expectOracleErrorWithFieldPrefix(run((r) => (r['maxResults'] = 0)), OracleRangeError, 'maxResults');
    expectOracleErrorWithFieldPrefix(run((r) => (r['maxResults'] = 2.5)), OracleRangeError, 'maxResults');
    expectOracleErrorWithFieldPrefix(run((r) => (r['minNoticeMinutes'] = -5)), OracleRangeError, 'minNoticeMinutes');
  });

  it('requires now with minNoticeMinutes (no hidden clock)', () => {
    expectOracleErrorWithFieldPrefix(run((r) => (r['minNoticeMinutes'] = 60)), OracleTypeError, 'now');
    expectOracleErrorWithFieldPrefix(run((r) => (r['now'] = 'soon')), OracleRangeError, 'now');
  });

  it('rejects an unknown time zone, naming the participant', () => {
    expectOracleErrorWithFieldPrefix(run((r) => (r.participants[1]!['timeZone'] = 'Mars/Olympus_Mons')), OracleRangeError, 'participants[1].timeZone');
    expectOracleErrorWithFieldPrefix(run((r) => (r.participants[1]!['timeZone'] = 42)), OracleTypeError, 'participants[1].timeZone');
  });

  it("rejects bad 'HH:mm' values", () => {
    const withHours = (start: unknown, end: unknown) =>
      run((r) => (r.participants[0]!['workingHours'] = [{ day: 1, start: '09:00', end: '17:00' }, { day: 2, start, end }]));
    expectOracleErrorWithFieldPrefix(withHours('9:00', '17:00'), OracleRangeError, 'participants[0].workingHours[1].start');
    expectOracleErrorWithFieldPrefix(withHours('09:60', '17:00'), OracleRangeError, 'participants[0].workingHours[1].start');
    expectOracleErrorWithFieldPrefix(withHours('24:00', '24:00'), OracleRangeError, 'participants[0].workingHours[1].start');
    expectOracleErrorWithFieldPrefix(withHours('09:00', '24:30'), OracleRangeError, 'participants[0].workingHours[1].end');
    expectOracleErrorWithFieldPrefix(withHours('09:00', '25:00'), OracleRangeError, 'participants[0].workingHours[1].end');
    expectOracleErrorWithFieldPrefix(withHours(900, '17:00'), OracleTypeError, 'participants[0].workingHours[1].start');
    expectOracleErrorWithFieldPrefix(withHours('17:00', '09:00'), OracleRangeError, 'participants[0].workingHours[1].end');
    expectOracleErrorWithFieldPrefix(withHours('09:00', '09:00'), OracleRangeError, 'participants[0].workingHours[1].end');
  });

  it('rejects a day outside 0..6', () => {
    const withDay = (day: unknown) => run((r) => (r.participants[1]!['preferredHours'] = [{ day, start: '09:00', end: '17:00' }]));
    expectOracleErrorWithFieldPrefix(withDay(7), OracleRangeError, 'participants[1].preferredHours[0].day');
    expectOracleErrorWithFieldPrefix(withDay(-1), OracleRangeError, 'participants[1].preferredHours[0].day');
    expectOracleErrorWithFieldPrefix(withDay(1.5), OracleRangeError, 'participants[1].preferredHours[0].day');
    expectOracleErrorWithFieldPrefix(withDay('1'), OracleTypeError, 'participants[1].preferredHours[0].day');
  });

  it('rejects busy intervals that end before they start', () => {
    expectOracleErrorWithFieldPrefix(
      run(
        (r) =>
          (r.participants[0]!['busy'] = [
            { start: '2024-01-15T09:00:00Z', end: '2024-01-15T10:00:00Z' },
            { start: '2024-01-15T11:00:00Z', end: '2024-01-15T10:59:00Z' },
          ]),
      ),
      OracleRangeError,
      'participants[0].busy[1].end',
    );
    expectOracleErrorWithFieldPrefix(run((r) => (r.participants[0]!['busy'] = undefined)), OracleTypeError, 'participants[0].busy');
  });

  it('rejects empty participants, bad ids and duplicate ids', () => {
    expectOracleErrorWithFieldPrefix(run((r) => (r.participants = [])), OracleRangeError, 'participants');
    expectOracleErrorWithFieldPrefix(run((r) => (r.participants[1]!['id'] = 'a')), OracleRangeError, 'participants[1].id');
    expectOracleErrorWithFieldPrefix(run((r) => (r.participants[0]!['id'] = '')), OracleTypeError, 'participants[0].id');
    expectOracleErrorWithFieldPrefix(run((r) => (r.participants[0]!['optional'] = 'yes')), OracleTypeError, 'participants[0].optional');
  });

  it('refuses absurd work quickly instead of hanging', () => {
    // 10 years at a 1-minute step is ~5.3 million starts.
    expectOracleErrorWithFieldPrefix(
      run((r) => {
        r.range.end = '2034-01-01T00:00:00Z';
        r['stepMinutes'] = 1;
      }),
      OracleRangeError,
      'range',
    );
    // A tiny step over a few days is just as absurd.
    expectOracleErrorWithFieldPrefix(run((r) => (r['stepMinutes'] = 0.0001)), OracleRangeError, 'range');
    // A coarse step over centuries is refused by the range length.
    expectOracleErrorWithFieldPrefix(
      run((r) => {
        r.range.end = '2400-01-01T00:00:00Z';
        r['stepMinutes'] = 60 * 24 * 7;
      }),
      OracleRangeError,
      'range',
    );
  });

  it('rejects durations that are not whole milliseconds', () => {
    expectOracleErrorWithFieldPrefix(run((r) => (r.durationMinutes = 1e-9)), OracleRangeError, 'durationMinutes');
  });
});

describe('interval helper validation', () => {
  it('names the bad element', () => {
    expectOracleErrorWithFieldPrefix(() => mergeIntervals([{ start: 1, end: 0 }]), OracleRangeError, 'intervals[0].end');
    expectOracleErrorWithFieldPrefix(() => mergeIntervals([{ start: Number.NaN, end: 0 }]), OracleRangeError, 'intervals[0].start');
    expectOracleErrorWithFieldPrefix(() => mergeIntervals('x' as never), OracleTypeError, 'intervals');
    expectOracleErrorWithFieldPrefix(() => subtractIntervals([], [null as never]), OracleTypeError, 'remove[0]');
  });
});

// Issue #13 item 11: findSlots checked every participant at every step start without a cap
// (100 participants took 12 s) and accepted any maxResults (5e6 used 3.4 GB).
describe('findSlots cost caps', () => {
  const people = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `p${i}`, busy: [], optional: i > 0 }));

  it('refuses participants × step starts over 10,000,000 before parsing any participant', () => {
    // 100 participants over 139 days of 1-minute steps: 20 million checks.
    const request = {
      range: { start: '2024-01-01T00:00:00Z', end: '2024-05-19T00:00:00Z' },
      durationMinutes: 30,
      stepMinutes: 1,
      participants: [...people(99), { id: 'never-parsed', busy: 'not an array' }],
    };
    expectOracleErrorWithFieldPrefix(() => findSlots(request as never), OracleRangeError, 'participants');
    expect(() => findSlots(request as never)).toThrow(/100 participants × \d+ step starts exceed 10000000 checks/);
  });

  it('refuses more than 1,000 participants', () => {
    expectOracleErrorWithFieldPrefix(run((r) => (r.participants = people(1001))), OracleRangeError, 'participants');
  });

  it('refuses maxResults over 100,000, and maxResults × participants over 2,000,000', () => {
    expectOracleErrorWithFieldPrefix(run((r) => ((r as Record<string, unknown>)['maxResults'] = 5e6)), OracleRangeError, 'maxResults');
    expectOracleErrorWithFieldPrefix(
      run((r) => {
        (r as Record<string, unknown>)['maxResults'] = 50_000;
        r.participants = people(41);
      }),
      OracleRangeError,
      'maxResults',
    );
  });

  it('still serves 1,000 participants over a short range', () => {
    expect(run((r) => (r.participants = people(1000)))()).toHaveLength(50);
  });
});
