// The arcade conformance suites (@almanac/arcade/testing) against the real Twitch and Discord
// clients, each on a nock fake of the platform modelled on its docs (see support/fakes.ts).
// The network stays closed: a request the fakes do not serve fails instead of leaving the machine.
import nock from 'nock';
import { afterAll, beforeAll } from 'vitest';
import type { OperationAuditEvent } from '@almanac/core/kit';
import { createDiscordClient } from '../src/adapters/discord';
import { createTwitchClient } from '../src/adapters/twitch';
import { DISCORD_CONFORMANCE_FIXTURE, TWITCH_CONFORMANCE_FIXTURE, describeDiscordClientConformance, describeTwitchClientConformance } from '../src/testing';
import { fakeDiscord, fakeHelix } from './support/fakes';

beforeAll(() => {
  nock.disableNetConnect();
});
afterAll(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

describeTwitchClientConformance({
  name: 'createTwitchClient on a Helix fake',
  create: (fixture) => {
    const requests = fakeHelix(fixture, 'conformance-client', 'app-token');
    const events: OperationAuditEvent[] = [];
    const client = createTwitchClient({ clientId: 'conformance-client', auth: { getToken: async () => 'app-token' }, retry: { maxAttempts: 1 }, onAudit: (e) => events.push(e) });
    return { client, events, requests };
  },
  destroy: () => void nock.cleanAll(),
  fixture: TWITCH_CONFORMANCE_FIXTURE,
});

describeDiscordClientConformance({
  name: 'createDiscordClient on a Discord fake',
  create: (fixture) => {
    const requests = fakeDiscord(fixture, 'bot-token');
    const events: OperationAuditEvent[] = [];
    const client = createDiscordClient({ token: 'bot-token', retry: { maxAttempts: 1 }, onAudit: (e) => events.push(e) });
    return { client, events, requests };
  },
  destroy: () => void nock.cleanAll(),
});
