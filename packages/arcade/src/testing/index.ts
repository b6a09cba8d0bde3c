/**
 * `@almanac/arcade/testing`: the conformance suites of the Twitch (Helix) and Discord clients,
 * run against any backend that serves the fixtures (nock fakes modelled on the docs, a mock
 * server such as `twitch mock-api`), and their fixtures. ESM-only, because it imports vitest.
 *
 * @packageDocumentation
 */
export { describeDiscordClientConformance, describeTwitchClientConformance } from './suite';
export type { ArcadeRecordedRequest, DiscordClientConformanceOptions, DiscordConformanceHarness, TwitchClientConformanceOptions, TwitchConformanceHarness } from './suite';
export { DISCORD_CONFORMANCE_FIXTURE, TWITCH_CONFORMANCE_FIXTURE } from './fixture';
export type { DiscordConformanceFixture, TwitchConformanceFixture, TwitchConformanceSubscription, TwitchConformanceUser } from './fixture';
