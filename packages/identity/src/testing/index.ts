/**
 * `@almanac/identity/testing`: the conformance suite every identity adapter runs, and its
 * canonical tenant. ESM-only, because it imports vitest.
 *
 * @packageDocumentation
 */
export { describeIdentityConformance } from './suite';
export type { IdentityConformanceOptions, IdentityHarness } from './suite';
export { IDENTITY_FIXTURE } from './fixture';
export type { FixtureUser, IdentityFixture } from './fixture';
