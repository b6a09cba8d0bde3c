/**
 * `@almanac/engine/testing`: the conformance suite every compute adapter runs (ESM-only: imports vitest).
 *
 * @packageDocumentation
 */
export {};
