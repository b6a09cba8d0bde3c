/**
 * `@almanac/cdp/testing`: the warehouse conformance suite, run against every warehouse adapter
 * (ESM-only, it imports vitest).
 *
 * @packageDocumentation
 */
export { describeWarehouseConformance } from './suite';
export type { WarehouseConformanceOptions } from './suite';
export type { Warehouse } from '../warehouse/facade';
export type { DryRunResult, SqlDialect, SqlQuery, WarehouseCapabilities, WarehouseLoad, WarehouseProvider } from '../spec';
