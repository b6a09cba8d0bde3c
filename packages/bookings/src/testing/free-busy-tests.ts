// freeBusy: the busy time of the fixture, clipped, merged, across zones, DST and series.
import { expect } from 'vitest';
import { iso } from './assertions';
import type { SuiteContext } from './context';
import { unionIntervals } from './expectations';

/** Registers the free/busy tests. */
export function registerFreeBusyTests(context: SuiteContext): void {
  const { fullRange, busyOf, expectations } = context;

  context.group('freeBusy', () => {
    context.test('reports exactly the busy time of the fixture', ['freeBusy'], async (calendar) => {
      const busy = await busyOf(calendar, fullRange);
      expect(iso(unionIntervals(busy))).toEqual(iso(expectations(calendar).busy));
    });

    context.test('clips busy time to a partial range', ['freeBusy'], async (calendar) => {
      const range = { start: new Date('2026-03-08T06:00:00Z'), end: new Date('2026-03-10T10:30:00Z') };
      const busy = await busyOf(calendar, range);
      expect(iso(unionIntervals(busy))).toEqual(iso(expectations(calendar, range).busy));
      expect(iso(unionIntervals(busy))[0]).toBe('2026-03-08T06:00:00.000Z/2026-03-08T08:00:00.000Z');
    });

    context.test('excludes cancelled and transparent events', ['freeBusy'], async (calendar) => {
      const range = { start: new Date('2026-03-04T00:00:00Z'), end: new Date('2026-03-06T00:00:00Z') };
      expect(await busyOf(calendar, range)).toEqual([]);
    });

    context.test('counts all-day events as busy for their local day in the calendar zone', ['freeBusy'], async (calendar) => {
      const range = { start: new Date('2026-03-19T00:00:00Z'), end: new Date('2026-03-22T00:00:00Z') };
      const busy = await busyOf(calendar, range);
      expect(iso(unionIntervals(busy))).toEqual(iso(expectations(calendar, range).busy));
    });

    context.test('expands recurring series in their zone across DST', ['freeBusy', 'recurrence'], async (calendar) => {
      const range = { start: new Date('2026-03-16T00:00:00Z'), end: new Date('2026-04-08T00:00:00Z') };
      const busy = unionIntervals(await busyOf(calendar, range));
      expect(iso(busy)).toEqual(iso(expectations(calendar, range).busy));
      expect(iso(busy)).toContain('2026-03-31T09:00:00.000Z/2026-03-31T10:00:00.000Z');
      expect(iso(busy)).not.toContain('2026-03-17T10:00:00.000Z/2026-03-17T11:00:00.000Z');
    });
  });
}
