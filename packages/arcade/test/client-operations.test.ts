// The Twitch and Discord clients run every public operation through core's operation runner:
// one audit event per call (outcome, error code), validation before any request, the caller's
// AbortSignal honoured, and errors from core's hierarchy naming provider and operation.
import { createManualClock } from '@almanac/core';
import type { OperationAuditEvent } from '@almanac/core/kit';
import { expectAlmanacError, useStrictNock } from '@almanac/core/testing';
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { createDiscordClient } from '../src/adapters/discord';
import { createTwitchClient } from '../src/adapters/twitch';

const START = Date.parse('2026-12-03T09:00:00Z');
const staticAuth = { getToken: async () => 'user-token' };

describe('operations on the runner', () => {
  useStrictNock();

  it('Twitch: one audit event per operation, with the outcome and the error code', async () => {
    const events: OperationAuditEvent[] = [];
    const client = createTwitchClient({ clientId: 'cid', auth: staticAuth, clock: createManualClock(START), retry: { maxAttempts: 1 }, onAudit: (e) => events.push(e) });
    // https://dev.twitch.tv/docs/api/reference/#get-users
    nock('https://api.twitch.tv').get('/helix/users').query({ login: 'twitchdev' }).reply(200, { data: [{ id: '141981764', login: 'twitchdev', display_name: 'TwitchDev' }] });
    expect((await client.getUsers({ logins: ['twitchdev'] }))[0]?.displayName).toBe('TwitchDev');
    await expectAlmanacError(client.getStreams({ first: 101 }), { code: 'validation', field: 'first', provider: 'twitch', operation: 'getStreams' });
    nock('https://api.twitch.tv').get('/helix/eventsub/subscriptions').reply(500, { error: 'Internal Server Error', status: 500, message: '' });
    const failed = await client.listEventSubSubscriptions().catch((error: unknown) => error);
    // The HTTP client's error keeps the request as its operation; the audit event names the facade's.
    expect(failed).toMatchObject({ provider: 'twitch', operation: 'GET /eventsub/subscriptions', status: 500 });
    expect(events.map((e) => [e.domain, e.provider, e.operation, e.outcome, e.errorCode])).toEqual([
      ['arcade', 'twitch', 'getUsers', 'ok', undefined],
      ['arcade', 'twitch', 'getStreams', 'error', 'validation'],
      ['arcade', 'twitch', 'listEventSubSubscriptions', 'error', (failed as { code: string }).code],
    ]);
    expect(events[0]?.attributes.idempotent).toBe(true);
  });

  it('Twitch: an aborted signal ends the call with AbortedError before any request', async () => {
    const client = createTwitchClient({ clientId: 'cid', auth: staticAuth, clock: createManualClock(START) });
    const controller = new AbortController();
    controller.abort();
    // useStrictNock fails the test if a request went out.
    await expectAlmanacError(client.checkUserSubscription({ broadcasterId: '1', userId: '2' }, { signal: controller.signal }), { code: 'aborted', operation: 'checkUserSubscription' });
  });

  it('Twitch: the secret of a subscription is refused by length without being echoed', async () => {
    const client = createTwitchClient({ clientId: 'cid', auth: staticAuth });
    const error = await expectAlmanacError(client.createEventSubSubscription({ type: 'stream.online', version: '1', condition: {}, callback: 'https://example.com/cb', secret: 'short-sec' }), { code: 'validation', field: 'secret' });
    expect(JSON.stringify(error.issues) + error.message).not.toContain('short-sec');
  });

  it('Discord: one audit event per operation; validation fails before any request', async () => {
    const events: OperationAuditEvent[] = [];
    const discord = createDiscordClient({ token: 'bot-token', clock: createManualClock(START), retry: { maxAttempts: 1 }, onAudit: (e) => events.push(e) });
    // https://discord.com/developers/docs/resources/message#create-message
    nock('https://discord.com').post('/api/v10/channels/290926798999357250/messages').reply(200, { id: '334385199974967042', channel_id: '290926798999357250', content: 'hi' });
    expect((await discord.createMessage('290926798999357250', { content: 'hi' })).id).toBe('334385199974967042');
    await expectAlmanacError(discord.createMessage('290926798999357250', { embeds: [{ title: 'x'.repeat(257) }] }), { code: 'validation', provider: 'discord', operation: 'createMessage' });
    await expectAlmanacError(discord.removeMemberRole({ guildId: 'g', userId: '80351110224678912', roleId: '41771983423143936', reason: 'r'.repeat(513) }), { code: 'validation', field: 'guildId' });
    expect(events.map((e) => [e.provider, e.operation, e.outcome, e.errorCode])).toEqual([
      ['discord', 'createMessage', 'ok', undefined],
      ['discord', 'createMessage', 'error', 'validation'],
      ['discord', 'removeMemberRole', 'error', 'validation'],
    ]);
    expect(events[0]?.attributes.idempotent).toBe(false);
  });

  it('Discord: a role-connection value over 100 characters names the metadata key', async () => {
    const discord = createDiscordClient({ token: 'bot-token' });
    await expectAlmanacError(
      discord.updateUserRoleConnection({ applicationId: '223704706495545344', userAccessToken: 'user', connection: { metadata: { rating: 'x'.repeat(101) } } }),
      { code: 'validation', field: 'connection.metadata.rating', operation: 'updateUserRoleConnection' },
    );
  });

  it('Discord: an aborted signal ends the call with AbortedError', async () => {
    const discord = createDiscordClient({ token: 'bot-token' });
    const controller = new AbortController();
    controller.abort();
    await expectAlmanacError(discord.addMemberRole({ guildId: '613425648685547541', userId: '80351110224678912', roleId: '41771983423143936' }, { signal: controller.signal }), { code: 'aborted', provider: 'discord' });
  });
});
