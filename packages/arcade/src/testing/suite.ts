import type { OperationAuditEvent } from '@almanac/core/kit';
import { describeConformance, expectAlmanacError } from '@almanac/core/testing';
import type { ConformanceOptions, ConformanceSuite } from '@almanac/core/testing';
import { expect } from 'vitest';
import type { DiscordClient } from '../adapters/discord/client';
import type { TwitchClient } from '../adapters/twitch/client';
import { DISCORD_CONFORMANCE_FIXTURE, TWITCH_CONFORMANCE_FIXTURE } from './fixture';
import type { DiscordConformanceFixture, TwitchConformanceFixture } from './fixture';

/** One request the backend under test received. */
export interface ArcadeRecordedRequest {
  /** HTTP method, upper case. */
  readonly method: string;
  /** Path after the API base (`/users`, `/channels/{id}/messages`), without the query. */
  readonly path: string;
  /** Headers, names in lower case. */
  readonly headers: Readonly<Record<string, string>>;
  /** The parsed JSON body, if any. */
  readonly body: unknown;
}

/** What the Twitch suite's `create` hook returns: a client on the backend, and what it saw. */
export interface TwitchConformanceHarness {
  /** The client under test, created with `onAudit` pushing into `events`. */
  readonly client: TwitchClient;
  /** Audit events of the client's operations, in order. */
  readonly events: readonly OperationAuditEvent[];
  /** Requests the backend received since `create`. */
  requests(): readonly ArcadeRecordedRequest[];
}

/** What the Discord suite's `create` hook returns. */
export interface DiscordConformanceHarness {
  /** The client under test, created with `onAudit` pushing into `events`. */
  readonly client: DiscordClient;
  /** Audit events of the client's operations, in order. */
  readonly events: readonly OperationAuditEvent[];
  /** Requests the backend received since `create`. */
  requests(): readonly ArcadeRecordedRequest[];
}

/** Options of {@link describeTwitchClientConformance}: core's conformance shape and the fixture the backend holds. */
export interface TwitchClientConformanceOptions extends ConformanceOptions<TwitchConformanceHarness, TwitchConformanceFixture> {
  /** What the backend holds; {@link TWITCH_CONFORMANCE_FIXTURE} by default. */
  readonly fixture?: TwitchConformanceFixture | undefined;
}

/** Options of {@link describeDiscordClientConformance}. */
export interface DiscordClientConformanceOptions extends ConformanceOptions<DiscordConformanceHarness, DiscordConformanceFixture> {
  /** What the backend holds; {@link DISCORD_CONFORMANCE_FIXTURE} by default. */
  readonly fixture?: DiscordConformanceFixture | undefined;
}

const lastEvent = (events: readonly OperationAuditEvent[]) => events[events.length - 1];

// The abort test both suites run: `call` makes one call of the client with the given signal.
function testAbort<C>(suite: ConformanceSuite<{ readonly client: C; requests(): readonly ArcadeRecordedRequest[] }>, call: (client: C, signal: AbortSignal) => Promise<unknown>): void {
  suite.test(
    'an aborted signal ends the call with AbortedError, before any request',
    async ({ client, requests }) => {
      const controller = new AbortController();
      controller.abort();
      await expectAlmanacError(call(client, controller.signal), { code: 'aborted' });
      expect(requests()).toEqual([]);
    },
    { id: 'abort' },
  );
}

/**
 * Registers the Twitch client's conformance suite: each test gets a fresh harness from
 * `create(fixture)` and checks one behaviour of the client against the backend: reads and their
 * mapping, 404 as "not subscribed", paging, per-id fulfillment results, validation and aborts
 * that never reach the backend, and one audit event per operation.
 */
export function describeTwitchClientConformance(options: TwitchClientConformanceOptions): void {
  const fixture = options.fixture ?? TWITCH_CONFORMANCE_FIXTURE;
  describeConformance<TwitchConformanceHarness, TwitchConformanceFixture>(
    'arcade twitch',
    options,
    (suite) => {
      suite.test(
        'reads a user by login, mapped, with one ok audit event',
        async ({ client, events }) => {
          const [user] = await client.getUsers({ logins: [fixture.user.login] });
          expect(user).toMatchObject({ id: fixture.user.id, login: fixture.user.login, displayName: fixture.user.displayName });
          expect(lastEvent(events)).toMatchObject({ domain: 'arcade', provider: 'twitch', operation: 'getUsers', outcome: 'ok' });
        },
        { id: 'users' },
      );
      suite.test(
        'reports a subscription with its tier, and a 404 as not subscribed',
        async ({ client }) => {
          expect(await client.checkUserSubscription(fixture.subscription)).toMatchObject({ subscribed: true, tier: fixture.subscription.tier });
          expect(await client.checkUserSubscription({ broadcasterId: fixture.subscription.broadcasterId, userId: fixture.notSubscribedUserId })).toEqual({ subscribed: false });
        },
        { id: 'subscription' },
      );
      suite.test(
        'pages Drops entitlements to the end, each once, in order',
        async ({ client, requests }) => {
          const ids: string[] = [];
          for await (const entitlement of client.iterateDropsEntitlements({ userId: fixture.user.id, first: 2 })) ids.push(entitlement.id);
          expect(ids).toEqual([...fixture.entitlementIds]);
          expect(requests().filter((r) => r.path === '/entitlements/drops').length).toBe(Math.ceil(fixture.entitlementIds.length / 2));
        },
        { id: 'drops-pages' },
      );
      suite.test(
        'reports a fulfillment update per id, a missing id as failed',
        async ({ client, requests }) => {
          const result = await client.updateDropsEntitlements({ ids: [...fixture.entitlementIds, fixture.missingEntitlementId], status: 'FULFILLED' });
          expect([...result.succeeded].sort()).toEqual([...fixture.entitlementIds].sort());
          expect(result.failed).toEqual([{ id: fixture.missingEntitlementId, status: 'NOT_FOUND' }]);
          expect(requests().find((r) => r.method === 'PATCH')?.body).toMatchObject({ fulfillment_status: 'FULFILLED' });
        },
        { id: 'drops-update' },
      );
      suite.test(
        'refuses invalid input naming the field, before any request, audited as validation',
        async ({ client, events, requests }) => {
          await expectAlmanacError(client.getStreams({ first: 0 }), { code: 'validation', field: 'first', provider: 'twitch', operation: 'getStreams' });
          await expectAlmanacError(
            client.createEventSubSubscription({ type: 'stream.online', version: '1', condition: {}, callback: 'http://example.com/cb', secret: 'a-secret-of-20-chars' }),
            { code: 'validation', field: 'callback' },
          );
          expect(requests()).toEqual([]);
          expect(lastEvent(events)).toMatchObject({ operation: 'createEventSubSubscription', outcome: 'error', errorCode: 'validation' });
        },
        { id: 'validation' },
      );
      testAbort(suite, (client, signal) => client.getUsers({ ids: [fixture.user.id] }, { signal }));
    },
    { scope: 'test', fixture },
  );
}

/**
 * Registers the Discord client's conformance suite: role changes with the audit-log reason,
 * messages without mass mentions, a per-route 429 retried after `retry_after`, embed and id
 * validation before any request, and one audit event per operation.
 */
export function describeDiscordClientConformance(options: DiscordClientConformanceOptions): void {
  const fixture = options.fixture ?? DISCORD_CONFORMANCE_FIXTURE;
  const rolePath = `/guilds/${fixture.guildId}/members/${fixture.userId}/roles/${fixture.roleId}`;
  describeConformance<DiscordConformanceHarness, DiscordConformanceFixture>(
    'arcade discord',
    options,
    (suite) => {
      suite.test(
        'adds and removes a role with the URL-encoded audit-log reason',
        async ({ client, requests, events }) => {
          const reason = 'Reached Elite — rating 2100';
          await client.addMemberRole({ guildId: fixture.guildId, userId: fixture.userId, roleId: fixture.roleId, reason });
          await client.removeMemberRole({ guildId: fixture.guildId, userId: fixture.userId, roleId: fixture.roleId });
          const sent = requests().filter((r) => r.path === rolePath);
          expect(sent.map((r) => r.method)).toEqual(['PUT', 'DELETE']);
          expect(decodeURIComponent(sent[0]?.headers['x-audit-log-reason'] ?? '')).toBe(reason);
          expect(events.map((e) => [e.operation, e.outcome])).toEqual([
            ['addMemberRole', 'ok'],
            ['removeMemberRole', 'ok'],
          ]);
        },
        { id: 'roles' },
      );
      suite.test(
        'sends a message with no mass mentions unless asked',
        async ({ client, requests }) => {
          const message = await client.createMessage(fixture.channelId, { content: '@everyone GG' });
          expect(message.id).not.toBe('');
          expect(requests().find((r) => r.method === 'POST')?.body).toMatchObject({ content: '@everyone GG', allowed_mentions: { parse: [] } });
        },
        { id: 'message' },
      );
      suite.test(
        're-sends a call after a per-route 429',
        async ({ client, requests }) => {
          const message = await client.createMessage(fixture.rateLimitedChannelId, { content: 'hi' });
          expect(message.id).not.toBe('');
          expect(requests().filter((r) => r.path === `/channels/${fixture.rateLimitedChannelId}/messages`)).toHaveLength(2);
        },
        { id: 'rate-limit', timeout: 15_000 },
      );
      suite.test(
        'refuses embeds over the limits and bad ids naming the field, before any request',
        async ({ client, requests, events }) => {
          await expectAlmanacError(client.createMessage(fixture.channelId, { embeds: [{ title: 'x'.repeat(257) }] }), { code: 'validation', field: 'embeds[0].title', provider: 'discord' });
          await expectAlmanacError(client.addMemberRole({ guildId: 'not-an-id', userId: fixture.userId, roleId: fixture.roleId }), { code: 'validation', field: 'guildId' });
          expect(requests()).toEqual([]);
          expect(events.map((e) => e.errorCode)).toEqual(['validation', 'validation']);
        },
        { id: 'validation' },
      );
      testAbort(suite, (client, signal) => client.createMessage(fixture.channelId, { content: 'x' }, { signal }));
    },
    { scope: 'test', fixture },
  );
}
