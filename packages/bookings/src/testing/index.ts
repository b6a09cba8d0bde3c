/**
 * `@almanac/bookings/testing`: the conformance suite every calendar adapter runs, and the
 * canonical fixture it checks against. Needs vitest (an optional peer dependency).
 *
 * @packageDocumentation
 */
export { CONFORMANCE_FIXTURE } from './fixture';
export type { ConformanceFixture, FixtureEvent, FixtureInstance, FixtureOverride } from './fixture';
export { fixtureEventInterval, fixtureExpectations, fixtureInstant, unionIntervals } from './expectations';
export type { ExpectedEvent, ExpectedTime, FixtureExpectations, FixtureExpectationsOptions } from './expectations';
export { describeCalendarConformance } from './suite';
export type { CalendarConformanceOptions, ConformanceOptions } from './suite';
export type { ConformanceHarness } from './context';
