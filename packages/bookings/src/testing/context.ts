// What every conformance group is given: the fixture, its range, a way to register gated tests,
// and the helpers that read the calendar the way every group checks it.
import type { ConformanceSuite } from '@almanac/core/testing';
import { expect } from 'vitest';
import type { Calendar } from '../facade/types';
import type { BusyInterval, CalendarCapability, TimeRange } from '../spec';
import { sortedByStart } from './assertions';
import { fixtureExpectations, fixtureInstant } from './expectations';
import type { FixtureExpectations } from './expectations';
import type { ConformanceFixture } from './fixture';

/** What a conformance `create` hook returns: a calendar holding the fixture, and anything its `destroy` needs. */
export interface ConformanceHarness {
  /** The facade under test, its fixture calendar holding exactly the fixture events. */
  readonly calendar: Calendar;
  /**
   * Called after each test when the options give no `destroy`.
   *
   * @deprecated Give `destroy` in the options of `describeCalendarConformance` instead.
   */
  readonly cleanup?: (() => Promise<void>) | undefined;
}

/** A range with nothing of the fixture in it, where writes land. */
export const WRITE_RANGE: TimeRange = { start: new Date('2026-05-04T00:00:00Z'), end: new Date('2026-05-09T00:00:00Z') };
/** A notification address the suite watches with. */
export const WATCH_ADDRESS = 'https://hooks.almanac.example/calendar';

/** The conformance run one group registers its tests in. */
export interface SuiteContext {
  /** The fixture the calendar holds. */
  readonly fixture: ConformanceFixture;
  /** The fixture's whole range. */
  readonly fullRange: TimeRange;
  /** A timed event in {@link WRITE_RANGE} for write tests. */
  readonly base: {
    readonly calendarId: string;
    readonly title: string;
    readonly description: string;
    readonly start: string;
    readonly end: string;
    readonly timeZone: string;
    readonly location: string;
    readonly notify: false;
  };
  /** Registers a test that is skipped, naming what is missing, unless the calendar supports every `needs`. */
  test(name: string, needs: readonly CalendarCapability[], body: (calendar: Calendar) => Promise<void>): void;
  /** Registers a group of tests under a nested title. */
  group(name: string, register: () => void): void;
  /** What a correct provider returns for the fixture over `range` (the whole fixture by default). */
  expectations(calendar: Calendar, range?: TimeRange): FixtureExpectations;
  /** Busy blocks of the fixture calendar over `range`, after checking their form (sorted, inside the range, not empty). */
  busyOf(calendar: Calendar, range: TimeRange): Promise<readonly BusyInterval[]>;
  /** Titles of the live events of the fixture calendar overlapping `range`. */
  listTitles(calendar: Calendar, range: TimeRange): Promise<string[]>;
}

/** The context of one suite over `fixture`. */
export function createSuiteContext(suite: ConformanceSuite<ConformanceHarness>, fixture: ConformanceFixture): SuiteContext {
  const fullRange: TimeRange = { start: fixtureInstant(fixture.range.start), end: fixtureInstant(fixture.range.end) };
  return {
    fixture,
    fullRange,
    base: {
      calendarId: fixture.calendarId,
      title: 'Conformance write',
      description: 'kept across patches',
      start: '2026-05-04T14:00:00+02:00',
      end: '2026-05-04T15:00:00+02:00',
      timeZone: 'Europe/Berlin',
      location: 'Room 1',
      notify: false,
    },
    test: (name, needs, body) => suite.test(name, (harness) => body(harness.calendar), needs.length > 0 ? { needs } : {}),
    group: (name, register) => suite.group(name, register),
    expectations: (calendar, range) =>
      fixtureExpectations(
        range === undefined ? { recurrence: calendar.supports('recurrence') } : { recurrence: calendar.supports('recurrence'), range },
        fixture,
      ),
    async busyOf(calendar, range) {
      const results = await calendar.freeBusy({ calendars: [fixture.calendarId], range });
      expect(results.map((result) => result.calendarId)).toEqual([fixture.calendarId]);
      const busy = (results[0] as (typeof results)[number]).busy;
      expect(sortedByStart(busy)).toBe(true);
      for (const block of busy) {
        expect(block.start.getTime()).toBeGreaterThanOrEqual(range.start.getTime());
        expect(block.end.getTime()).toBeLessThanOrEqual(range.end.getTime());
        expect(block.end.getTime()).toBeGreaterThan(block.start.getTime());
      }
      return busy;
    },
    listTitles: async (calendar, range) =>
      (await calendar.listEvents({ calendarId: fixture.calendarId, range }).toArray())
        .filter((event) => event.status !== 'cancelled')
        .map((event) => event.title),
  };
}
