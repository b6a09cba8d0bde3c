/**
 * `@almanac/core/testing`: the test harness every Almanac package shares — strict nock, error
 * assertions, manual-clock helpers, the one conformance-suite shape, and the capability-table
 * check. ESM-only, because it imports vitest; nock is an optional peer used by `useStrictNock`.
 *
 * @packageDocumentation
 */
export { useStrictNock } from './nock';
export type { StrictNockOptions } from './nock';
export { expectAlmanacError } from './errors';
export type { AlmanacErrorByCode, ExpectedAlmanacError } from './errors';
export { runWithClock } from './clock';
export type { RunWithClockOptions } from './clock';
export { describeConformance } from './conformance';
export type { ConformanceOptions, ConformanceSettings, ConformanceSuite, ConformanceTestOptions } from './conformance';
export { checkCapabilityTable } from './capabilities';
export type { CapabilityCalls, CapabilityTableCheck } from './capabilities';
