/**
 * `@almanac/library/testing`: the conformance suite every storage adapter runs, a chaos
 * decorator for providers, and deterministic test bodies. Needs vitest (an optional peer).
 *
 * @packageDocumentation
 */
export { runStorageConformance } from './suite';
export type { ConformanceTestId, StorageConformanceOptions } from './options';
export { withFaults } from './faults';
export type { Fault, FaultOperation, FaultPlan, FaultyProvider } from './faults';
export { failingStream, md5Hex, patternBytes, patternStream, sha256Hex } from './bodies';
export type { FailingStreamOptions } from './bodies';
