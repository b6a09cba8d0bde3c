/** An instance of a recurring fixture series moved to another time (`RECURRENCE-ID`). */
export interface FixtureOverride {
  /** Original start of the moved instance, ISO 8601 with offset (its `RECURRENCE-ID`). */
  readonly recurrenceId: string;
  /** New start, ISO 8601 with the offset of the series zone. */
  readonly start: string;
  /** New end (exclusive). */
  readonly end: string;
}

/** One expected occurrence of a recurring fixture series inside the fixture range. */
export interface FixtureInstance {
  /** Start, ISO 8601 with offset. */
  readonly start: string;
  /** End (exclusive). */
  readonly end: string;
}

/**
 * One canonical event. Timed boundaries are ISO 8601 whose wall-clock part is the local time in
 * `timeZone` and whose offset is that zone's offset at that moment, so an adapter can write
 * either `DTSTART;TZID=<timeZone>:<wall time>` or the instant. All-day boundaries are dates.
 */
export interface FixtureEvent {
  /** Stable identifier (an iCalendar `UID`); providers assign their own event ids. */
  readonly uid: string;
  /** Title; unique within the fixture, so tests match events by it. */
  readonly title: string;
  /** Description. */
  readonly description?: string | undefined;
  /** IANA zone the event is scheduled in (for all-day events: the zone it was created in). */
  readonly timeZone: string;
  /** All-day event: `start`/`end` are `YYYY-MM-DD`, the end exclusive. */
  readonly allDay?: boolean | undefined;
  /** Start: ISO 8601 with offset, or `YYYY-MM-DD` when `allDay`. */
  readonly start: string;
  /** End (exclusive), same form as `start`. */
  readonly end: string;
  /** `RRULE` value (without the `RRULE:` prefix), expanded in `timeZone`. */
  readonly rrule?: string | undefined;
  /** Original starts of excluded instances (`EXDATE`), ISO 8601 with offset. */
  readonly exdates?: readonly string[] | undefined;
  /** Moved instances. */
  readonly overrides?: readonly FixtureOverride[] | undefined;
  /**
   * For a series: every occurrence inside the fixture range after exdates and overrides,
   * worked out by hand, so expectations do not depend on any RRULE engine.
   */
  readonly instances?: readonly FixtureInstance[] | undefined;
  /** Shown as free when `transparent`. */
  readonly transparency: 'opaque' | 'transparent';
  /** Status; `cancelled` never counts as busy. */
  readonly status: 'confirmed' | 'tentative' | 'cancelled';
}

/** The canonical calendar every adapter is tested against. */
export interface ConformanceFixture {
  /** Calendar holding the events. */
  readonly calendarId: string;
  /** The calendar's own zone: all-day events are busy for their local day in it. */
  readonly timeZone: string;
  /** Range that contains every event; tests query it (or parts of it). */
  readonly range: {
    /** Inclusive start, ISO 8601 with offset. */
    readonly start: string;
    /** Exclusive end, ISO 8601 with offset. */
    readonly end: string;
  };
  /** An event id that never exists in the calendar. */
  readonly missingEventId: string;
  /** The events. */
  readonly events: readonly FixtureEvent[];
}

/**
 * The canonical fixture: timed events in America/New_York, Europe/London and Asia/Kolkata
 * (one across the US change on 8 March 2026 and one across the EU change on 29 March 2026),
 * two overlapping events, an all-day event, a weekly series with one `EXDATE` and one moved
 * instance that also crosses the EU change, a transparent and a cancelled event.
 */
export const CONFORMANCE_FIXTURE: ConformanceFixture = {
  calendarId: 'conformance@almanac.example',
  timeZone: 'America/New_York',
  range: { start: '2026-03-01T00:00:00Z', end: '2026-04-15T00:00:00Z' },
  missingEventId: 'missing0event0id0',
  events: [
    {
      uid: 'ny-standup@almanac.example',
      title: 'New York standup',
      description: 'Daily standup, New York team',
      timeZone: 'America/New_York',
      start: '2026-03-02T09:00:00-05:00',
      end: '2026-03-02T09:30:00-05:00',
      transparency: 'opaque',
      status: 'confirmed',
    },
    {
      // 23:00 EST to 04:00 EDT: five wall-clock hours, four real ones (02:00 is skipped).
      uid: 'ny-dst-deploy@almanac.example',
      title: 'Overnight deploy window',
      timeZone: 'America/New_York',
      start: '2026-03-07T23:00:00-05:00',
      end: '2026-03-08T04:00:00-04:00',
      transparency: 'opaque',
      status: 'confirmed',
    },
    {
      // 22:00 GMT to 03:00 BST: five wall-clock hours, four real ones (01:00 is skipped).
      uid: 'london-dst-release@almanac.example',
      title: 'London release night',
      timeZone: 'Europe/London',
      start: '2026-03-28T22:00:00+00:00',
      end: '2026-03-29T03:00:00+01:00',
      transparency: 'opaque',
      status: 'confirmed',
    },
    {
      uid: 'kolkata-review@almanac.example',
      title: 'Kolkata design review',
      timeZone: 'Asia/Kolkata',
      start: '2026-03-10T15:30:00+05:30',
      end: '2026-03-10T16:30:00+05:30',
      transparency: 'opaque',
      status: 'confirmed',
    },
    {
      // Overlaps the review and the weekly sync of 10 March: busy time merges to 10:00–11:30Z.
      uid: 'kolkata-follow-up@almanac.example',
      title: 'Kolkata follow-up',
      timeZone: 'Asia/Kolkata',
      start: '2026-03-10T16:00:00+05:30',
      end: '2026-03-10T17:00:00+05:30',
      transparency: 'opaque',
      status: 'confirmed',
    },
    {
      uid: 'offsite@almanac.example',
      title: 'Company offsite',
      timeZone: 'America/New_York',
      allDay: true,
      start: '2026-03-20',
      end: '2026-03-21',
      transparency: 'opaque',
      status: 'confirmed',
    },
    {
      // Tuesdays 10:00 London time: 10:00Z before the EU change, 09:00Z after it.
      uid: 'weekly-sync@almanac.example',
      title: 'Weekly sync',
      timeZone: 'Europe/London',
      start: '2026-03-03T10:00:00+00:00',
      end: '2026-03-03T11:00:00+00:00',
      rrule: 'FREQ=WEEKLY;BYDAY=TU;COUNT=6',
      exdates: ['2026-03-17T10:00:00+00:00'],
      overrides: [
        {
          recurrenceId: '2026-03-24T10:00:00+00:00',
          start: '2026-03-25T14:00:00+00:00',
          end: '2026-03-25T15:00:00+00:00',
        },
      ],
      instances: [
        { start: '2026-03-03T10:00:00+00:00', end: '2026-03-03T11:00:00+00:00' },
        { start: '2026-03-10T10:00:00+00:00', end: '2026-03-10T11:00:00+00:00' },
        { start: '2026-03-25T14:00:00+00:00', end: '2026-03-25T15:00:00+00:00' },
        { start: '2026-03-31T10:00:00+01:00', end: '2026-03-31T11:00:00+01:00' },
        { start: '2026-04-07T10:00:00+01:00', end: '2026-04-07T11:00:00+01:00' },
      ],
      transparency: 'opaque',
      status: 'confirmed',
    },
    {
      uid: 'focus-time@almanac.example',
      title: 'Focus time',
      timeZone: 'Europe/London',
      start: '2026-03-04T13:00:00+00:00',
      end: '2026-03-04T15:00:00+00:00',
      transparency: 'transparent',
      status: 'confirmed',
    },
    {
      uid: 'cancelled-planning@almanac.example',
      title: 'Cancelled planning',
      timeZone: 'America/New_York',
      start: '2026-03-05T16:00:00-05:00',
      end: '2026-03-05T17:00:00-05:00',
      transparency: 'opaque',
      status: 'cancelled',
    },
    {
      uid: 'late-london-call@almanac.example',
      title: 'Late London call',
      timeZone: 'Europe/London',
      start: '2026-04-14T18:00:00+01:00',
      end: '2026-04-14T19:00:00+01:00',
      transparency: 'opaque',
      status: 'confirmed',
    },
  ],
};
