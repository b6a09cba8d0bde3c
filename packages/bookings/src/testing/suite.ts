import { describeConformance } from '@almanac/core/testing';
import type { ConformanceOptions as CoreConformanceOptions } from '@almanac/core/testing';
import type { CalendarCapability } from '../spec';
import { registerCapabilityTests } from './capability-tests';
import { createSuiteContext } from './context';
import type { ConformanceHarness } from './context';
import { registerEventTests } from './event-tests';
import { CONFORMANCE_FIXTURE } from './fixture';
import type { ConformanceFixture } from './fixture';
import { registerFreeBusyTests } from './free-busy-tests';
import { registerSyncTests } from './sync-tests';
import { registerValidationTests } from './validation-tests';
import { registerWriteTests } from './write-tests';

/**
 * Options of {@link describeCalendarConformance}: core's one conformance option shape
 * (`name`, `create`, `destroy`, `skip`), with the fixture as what `create` is given, plus the
 * fixture to use.
 *
 * `create` builds a fresh calendar holding the fixture, once per test. Read-only providers serve
 * it (an ICS feed, a mocked API); read-write ones seed it (recurring series only when the
 * provider declares `recurrence`). It must reproduce transparency and status too. `destroy`
 * runs after each test (stop a fake server); the harness may carry whatever it needs.
 *
 * @typeParam H - what `create` returns: at least the calendar under test.
 */
export interface CalendarConformanceOptions<H extends ConformanceHarness = ConformanceHarness>
  extends CoreConformanceOptions<H, ConformanceFixture> {
  /** Fixture to use; {@link CONFORMANCE_FIXTURE} by default. Custom fixtures need `instances` on series. */
  readonly fixture?: ConformanceFixture | undefined;
}

/**
 * Options of {@link describeCalendarConformance} under their old name.
 *
 * @deprecated Use {@link CalendarConformanceOptions}; this alias goes in the next minor release.
 */
export type ConformanceOptions = CalendarConformanceOptions;

/**
 * Registers the calendar conformance suite with vitest (core's `describeConformance`, titled
 * `calendar conformance: <name>`): capabilities (the declared flags match the provider's methods
 * and the facade's refusals), free/busy, listing, reads, writes, conferencing, sync, push and
 * validation, each test gated by the provider's capabilities (reported as skipped, naming what
 * is missing). A fresh calendar is created for each test and destroyed after it. Call it at the
 * top level of a test file.
 *
 * Documented outcomes the suite accepts: after `cancelEvent`, `getEvent` either throws
 * `NotFoundError` or returns the event with status `cancelled`; `listEvents` either omits
 * cancelled events or returns them with status `cancelled`.
 */
export function describeCalendarConformance<H extends ConformanceHarness>(options: CalendarConformanceOptions<H>): void {
  const fixture = options.fixture ?? CONFORMANCE_FIXTURE;
  const destroy = options.destroy ?? ((harness: H) => harness.cleanup?.());
  describeConformance<H, ConformanceFixture>(
    'calendar',
    { ...options, destroy },
    (suite) => {
      const context = createSuiteContext(suite, fixture);
      registerCapabilityTests(context);
      registerFreeBusyTests(context);
      registerEventTests(context);
      registerWriteTests(context);
      registerSyncTests(context);
      registerValidationTests(context);
    },
    {
      scope: 'test',
      fixture,
      supports: (harness, capability) => harness.calendar.supports(capability as CalendarCapability),
    },
  );
}
