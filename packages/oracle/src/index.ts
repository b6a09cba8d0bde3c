/**
 * `@almanac/oracle`: pure, deterministic algorithms — slot finding, churn and lifetime
 * value (BG/NBD, Pareto/NBD, Gamma-Gamma), storage tiering and scaling. No I/O, no
 * hidden clock, no unseeded randomness, no runtime dependencies: runs in Node, browsers
 * and edge runtimes. Invalid input throws {@link OracleRangeError} or
 * {@link OracleTypeError} naming the field.
 *
 * @packageDocumentation
 */
export * from './errors';
export * from './slots/index';
export * from './churn/index';
export * from './tiering/index';
export * from './scaling/index';
export * from './time/index';
export * from './forecast/index';
export * from './anomaly/index';
export * from './ratings/index';
export * from './risk/index';
export * from './classification/index';
// The seeded generator simulations need (engine's simulator); the other math helpers stay internal.
export { mulberry32, normalSampler } from './math/random';
