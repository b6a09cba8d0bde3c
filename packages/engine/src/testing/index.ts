/**
 * `@almanac/engine/testing`: the conformance suites every compute and container-service adapter
 * runs (gated by the capabilities it declares). ESM-only, because it imports vitest.
 *
 * @packageDocumentation
 */
export { describeComputeConformance } from './compute-suite';
export type { ComputeConformanceOptions, ComputeHarness } from './compute-suite';
export { describeContainerConformance } from './containers-suite';
export type { ContainerConformanceOptions, ContainersHarness } from './containers-suite';
