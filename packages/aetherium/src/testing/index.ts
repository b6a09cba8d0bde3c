/**
 * `@almanac/aetherium/testing`: the conformance suite every cost source runs, and its
 * canonical fixture. ESM-only, because it imports vitest (an optional peer dependency).
 *
 * @packageDocumentation
 */
export { describeCostSourceConformance } from './suite';
export type { CostSourceConformanceOptions } from './suite';
export { COST_SOURCE_FIXTURE, fixtureToCsv } from './fixture';
export type { CostSourceFixture } from './fixture';
