// Secrets, tokens and signatures never reach logs or error messages: the clients run with a
// logger that records everything (debug level), through a token refresh, a 429 and a failure.
import { createManualClock } from '@almanac/core';
import type { Logger } from '@almanac/core';
import { runWithClock, useStrictNock } from '@almanac/core/testing';
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { createDiscordClient } from '../src/adapters/discord';
import { createTwitchAppAuth, createTwitchClient } from '../src/adapters/twitch';

function recordingLogger(): { logger: Logger; text(): string } {
  const lines: string[] = [];
  const record = (level: string) => (message: string, fields?: unknown) => void lines.push(`${level} ${message} ${JSON.stringify(fields ?? {})}`);
  return { logger: { debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') }, text: () => lines.join('\n') };
}

describe('no secret in logs or errors', () => {
  useStrictNock();

  it('Twitch: client secret and tokens stay out of logs and errors', async () => {
    const { logger, text } = recordingLogger();
    const clock = createManualClock(Date.parse('2026-12-03T09:00:00Z'));
    const auth = createTwitchAppAuth({ clientId: 'client-id-1', clientSecret: 'SECRET-client-secret-1', clock });
    const twitch = createTwitchClient({ clientId: 'client-id-1', auth, clock, logger, retry: { maxAttempts: 1 } });
    nock('https://id.twitch.tv').post('/oauth2/token').times(2).reply(200, { access_token: 'TOKEN-app-access-1', expires_in: 5000, token_type: 'bearer' });
    nock('https://api.twitch.tv').get('/helix/users').query(true).reply(401, { error: 'Unauthorized', status: 401, message: 'Invalid OAuth token' });
    nock('https://api.twitch.tv').get('/helix/users').query(true).reply(500, { error: 'Internal Server Error', status: 500, message: 'boom' });
    const error = await twitch.getUsers({ ids: ['1'] }).catch((e: unknown) => e as Error);
    expect(error).toBeInstanceOf(Error);
    const everything = `${text()}\n${(error as Error).message}\n${JSON.stringify(error)}`;
    expect(text().length).toBeGreaterThan(0);
    expect(everything).not.toContain('SECRET-client-secret-1');
    expect(everything).not.toContain('TOKEN-app-access-1');
  });

  it('Discord: the bot token stays out of logs and errors, through a 429', async () => {
    const { logger, text } = recordingLogger();
    const clock = createManualClock(Date.parse('2026-12-03T09:00:00Z'));
    const discord = createDiscordClient({ token: 'TOKEN-discord-bot-1', clock, logger, max429Retries: 0, retry: { maxAttempts: 1 } });
    nock('https://discord.com').post('/api/v10/channels/290926798999357250/messages').reply(429, { message: 'You are being rate limited.', retry_after: 1, global: false });
    const error = await runWithClock(clock, discord.createMessage('290926798999357250', { content: 'x' }).catch((e: unknown) => e as Error));
    const everything = `${text()}\n${(error as Error).message}\n${JSON.stringify(error)}`;
    expect(everything).toContain('429');
    expect(everything).not.toContain('TOKEN-discord-bot-1');
  });
});
