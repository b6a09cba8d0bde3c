// Fuzzing the Discord interactions endpoint with 10,000 generated deliveries: tampered, stale,
// future, replayed, wrongly signed and malformed ones must all be refused, and every valid one
// dispatched exactly once. The EventSub endpoint's run is in webhook-fuzz-eventsub.test.ts.
import { createManualClock } from '@almanac/core';
import { describe, expect, it } from 'vitest';
import { createInteractionsHandler } from '../src/adapters/discord';
import { NOW, discordKeys, discordRequest, discordSignature, interactionBody } from './support/deliveries';
import { flip, fuzzCases, sendDeliveries } from './support/fuzz';

const TIMESTAMP = String(Math.floor(NOW / 1000));
const DISCORD_KINDS = ['valid', 'replay', 'tamper-body', 'tamper-signature', 'other-key', 'stale', 'future', 'no-signature', 'garbage-timestamp', 'signed-garbage-body'] as const;

describe('webhook fuzzing', () => {
  it('Discord: 10,000 interactions, only fresh valid ones dispatched, each once', async () => {
    const keys = discordKeys();
    const other = discordKeys();
    const cases = fuzzCases(DISCORD_KINDS, 3122026);
    const clock = createManualClock(NOW);
    const dispatched = new Map<string, number>();
    const handler = createInteractionsHandler({
      publicKey: keys.publicKeyHex,
      clock,
      onCommand: (interaction) => {
        dispatched.set(interaction.id, (dispatched.get(interaction.id) ?? 0) + 1);
        return { type: 4, data: { content: 'ok' } };
      },
    });
    const { expectedValid, wrongAnswers, counts } = await sendDeliveries(cases, handler, (kind, m, index, accepted) => {
      const id = String(10_000_000 + index);
      let request: Request;
      let expected = 401;
      let validId: string | undefined;
      if (kind === 'valid' || (kind === 'replay' && accepted.length === 0)) {
        request = discordRequest(keys, interactionBody(id));
        validId = id;
        expected = 200;
      } else if (kind === 'replay') {
        request = discordRequest(keys, interactionBody(accepted[m.pick % accepted.length] as string));
      } else if (kind === 'tamper-body') {
        const body = interactionBody(id);
        request = discordRequest(keys, flip(body, m.position), { signature: discordSignature(keys, TIMESTAMP, body) });
      } else if (kind === 'tamper-signature') {
        const body = interactionBody(id);
        request = discordRequest(keys, body, { signature: flip(discordSignature(keys, TIMESTAMP, body), m.position) });
      } else if (kind === 'other-key') {
        request = discordRequest(other, interactionBody(id));
      } else if (kind === 'stale' || kind === 'future') {
        const at = kind === 'stale' ? NOW - m.skewMs : NOW + m.skewMs;
        request = discordRequest(keys, interactionBody(id), { timestamp: String(Math.floor(at / 1000)) });
      } else if (kind === 'no-signature') {
        request = discordRequest(keys, interactionBody(id), { signature: null });
      } else if (kind === 'garbage-timestamp') {
        request = discordRequest(keys, interactionBody(id), { timestamp: `${Math.floor(NOW / 1000)}${m.noise.replace(/[^\x21-\x7e]/g, 'x')}` });
      } else {
        request = discordRequest(keys, m.noise.length % 2 === 0 ? JSON.stringify({ id: m.noise, type: 2 }) : m.noise);
        expected = 400;
      }
      // A garbage timestamp that still parses as digits fails the signature instead: both are 401.
      return { request, ok: (status) => status === expected, validId };
    });
    expect(wrongAnswers).toBe(0);
    expect([...dispatched.keys()].sort()).toEqual([...expectedValid].sort());
    expect([...dispatched.values()].every((count) => count === 1)).toBe(true);
    // The generator really produced every kind, many times.
    expect(counts.size).toBe(DISCORD_KINDS.length);
    expect(Math.min(...counts.values())).toBeGreaterThan(500);
  }, 60_000);
});
