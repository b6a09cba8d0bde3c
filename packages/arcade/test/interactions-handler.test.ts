// The Discord interactions endpoint, per
// https://discord.com/developers/docs/interactions/overview#setting-up-an-endpoint-validating-security-request-headers
// (Ed25519 over X-Signature-Timestamp + raw body, 401 when invalid; PING answered with type 1)
// and https://discord.com/developers/docs/interactions/receiving-and-responding#responding-to-an-interaction
// (3 seconds for the first answer; type 5 defers, then PATCH /webhooks/{application.id}/{interaction.token}/messages/@original).
import { createManualClock } from '@almanac/core';
import { describe, expect, it, vi } from 'vitest';
import { createInteractionsHandler } from '../src/adapters/discord';
import { NOW, discordKeys, discordRequest, interactionBody } from './support/deliveries';

const keys = discordKeys();

describe('createInteractionsHandler', () => {
  it('answers PING with type 1', async () => {
    const handler = createInteractionsHandler({ publicKey: keys.publicKeyHex, clock: createManualClock(NOW), onCommand: () => ({ type: 4 }) });
    const response = await handler.handle(discordRequest(keys, interactionBody('1', 1)));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ type: 1 });
  });

  it('refuses an invalid or missing signature with 401 (what Discord probes for)', async () => {
    const handler = createInteractionsHandler({ publicKey: keys.publicKeyHex, clock: createManualClock(NOW), onCommand: () => ({ type: 4 }) });
    expect((await handler.handle(discordRequest(discordKeys(), interactionBody('1', 1)))).status).toBe(401);
    expect((await handler.handle(discordRequest(keys, interactionBody('2', 1), { signature: null }))).status).toBe(401);
    expect((await handler.handle(discordRequest(keys, interactionBody('3', 1), { signature: 'zz'.repeat(64) }))).status).toBe(401);
  });

  it('answers a command with the handler reply when it is fast', async () => {
    const handler = createInteractionsHandler({
      publicKey: keys.publicKeyHex,
      clock: createManualClock(NOW),
      onCommand: (i) => ({ type: 4, data: { content: `rank for ${(i.data as { name: string }).name}` } }),
    });
    const response = await handler.handle(discordRequest(keys, interactionBody('10')));
    expect(await response.json()).toEqual({ type: 4, data: { content: 'rank for rank' } });
  });

  it('defers a slow command (type 5) and edits the original response with the reply', async () => {
    const clock = createManualClock(NOW);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const calls: Array<{ url: string; method: string; body: string }> = [];
    const handler = createInteractionsHandler({
      publicKey: keys.publicKeyHex,
      clock,
      deferAfterMs: 2_000,
      fetch: async (url, init) => {
        calls.push({ url: String(url), method: String(init?.method), body: String(init?.body) });
        return new Response('{}', { status: 200 });
      },
      onCommand: async () => {
        await gate;
        return { type: 4, data: { content: 'done' } };
      },
    });
    const pending = handler.handle(discordRequest(keys, interactionBody('20')));
    // The defer timer is a deadline on the command in flight, not a wait to step through.
    await vi.waitFor(() => expect(clock.nextDueAt('deadline')).toBe(NOW + 2_000));
    await clock.advance(2_000);
    const response = await pending;
    expect(await response.json()).toEqual({ type: 5 });
    expect(calls).toHaveLength(0);
    release();
    await handler.idle();
    expect(calls).toEqual([
      { url: 'https://discord.com/api/v10/webhooks/111111111111111111/tok-20/messages/@original', method: 'PATCH', body: '{"content":"done"}' },
    ]);
  });

  it('reports a deferred reply that breaks Discord limits to onError instead of sending it', async () => {
    const clock = createManualClock(NOW);
    const errors: unknown[] = [];
    let sent = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const handler = createInteractionsHandler({
      publicKey: keys.publicKeyHex,
      clock,
      deferAfterMs: 0,
      onError: (e) => errors.push(e),
      fetch: async () => {
        sent += 1;
        return new Response('{}');
      },
      onCommand: async () => {
        await gate;
        return { type: 4, data: { content: 'x'.repeat(2001) } };
      },
    });
    const pending = handler.handle(discordRequest(keys, interactionBody('25')));
    await clock.advance(0);
    expect(await (await pending).json()).toEqual({ type: 5 });
    release();
    await handler.idle();
    expect(sent).toBe(0);
    expect(errors).toHaveLength(1);
  });

  it('refuses a replayed interaction and a stale timestamp with 401', async () => {
    let count = 0;
    const handler = createInteractionsHandler({ publicKey: keys.publicKeyHex, clock: createManualClock(NOW), onCommand: () => {
        count += 1;
        return { type: 4 };
      },
    });
    const body = interactionBody('30');
    expect((await handler.handle(discordRequest(keys, body))).status).toBe(200);
    expect((await handler.handle(discordRequest(keys, body))).status).toBe(401);
    expect((await handler.handle(discordRequest(keys, interactionBody('31'), { timestamp: String(Math.floor(NOW / 1000) - 3600) }))).status).toBe(401);
    expect(count).toBe(1);
  });

  it('acknowledges components without a handler with type 6', async () => {
    const handler = createInteractionsHandler({ publicKey: keys.publicKeyHex, clock: createManualClock(NOW), onCommand: () => ({ type: 4 }) });
    const response = await handler.handle(discordRequest(keys, interactionBody('40', 3)));
    expect(await response.json()).toEqual({ type: 6 });
  });

  it('rejects a bad public key at configuration time, naming the field', () => {
    expect(() => createInteractionsHandler({ publicKey: 'nope', onCommand: () => ({ type: 4 }) })).toThrow(/publicKey/);
  });
});
