/**
 * `@almanac/__domain__/testing`: the conformance suite every __domainWords__ adapter runs, and its
 * canonical fixture. ESM-only, because it imports vitest (an optional peer dependency).
 *
 * @packageDocumentation
 */
export { describe__Domain__Conformance } from './suite';
export type { __Domain__ConformanceOptions } from './suite';
export { __DOMAIN___FIXTURE } from './fixture';
export type { __Domain__Fixture } from './fixture';
