// Fuzzing the Discord interactions endpoint with 10,000 generated deliveries: tampered, stale,
// future, replayed, wrongly signed and malformed ones must all be refused, and every valid one
// dispatched exactly once. The EventSub endpoint's run is in webhook-fuzz-eventsub.test.ts.
import { createManualClock } from '@almanac/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createInteractionsHandler } from '../src/adapters/discord';
import { NOW, discordKeys, discordRequest, discordSignature, interactionBody } from './support/deliveries';
import { RUNS, flip, mutation } from './support/fuzz';

const TIMESTAMP = String(Math.floor(NOW / 1000));
const DISCORD_KINDS = ['valid', 'replay', 'tamper-body', 'tamper-signature', 'other-key', 'stale', 'future', 'no-signature', 'garbage-timestamp', 'signed-garbage-body'] as const;

describe('webhook fuzzing', () => {
  it('Discord: 10,000 interactions, only fresh valid ones dispatched, each once', async () => {
    const keys = discordKeys();
    const other = discordKeys();
    const cases = fc.sample(fc.tuple(fc.constantFrom(...DISCORD_KINDS), mutation), { numRuns: RUNS, seed: 3122026 });
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
    const accepted: string[] = [];
    const expectedValid = new Set<string>();
    let wrongAnswers = 0;
    for (const [index, [kind, m]] of cases.entries()) {
      const id = String(10_000_000 + index);
      let request: Request;
      let expected = 401;
      if (kind === 'valid' || (kind === 'replay' && accepted.length === 0)) {
        request = discordRequest(keys, interactionBody(id));
        expectedValid.add(id);
        accepted.push(id);
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
      const response = await handler.handle(request);
      // A garbage timestamp that still parses as digits fails the signature instead: both are 401.
      if (response.status !== expected) wrongAnswers++;
    }
    await handler.idle();
    expect(wrongAnswers).toBe(0);
    expect([...dispatched.keys()].sort()).toEqual([...expectedValid].sort());
    expect([...dispatched.values()].every((count) => count === 1)).toBe(true);
    // The generator really produced every kind, many times.
    const counts = new Map<string, number>();
    for (const [kind] of cases) counts.set(kind, (counts.get(kind) ?? 0) + 1);
    expect(counts.size).toBe(DISCORD_KINDS.length);
    expect(Math.min(...counts.values())).toBeGreaterThan(500);
  }, 60_000);
});
