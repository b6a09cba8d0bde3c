// Throughput of the arcade's hot paths: EventSub and Discord interaction verification per
// delivery (against the bare crypto each needs, measured in the same run, since absolute times
// drift on shared machines), and VADER scoring per chat message.
// Run: npm run bench -- arcade
import { createHmac, generateKeyPairSync, sign, verify } from 'node:crypto';
import { createSentimentAnalyzer } from '@almanac/arcade';
import { createInteractionsHandler } from '@almanac/arcade/discord';
import { createEventSubHandler } from '@almanac/arcade/twitch';
import { VADER_LEXICON_TEXT } from '@almanac/arcade/vader-lexicon';

const N = 5_000;
const SECRET = 'bench-eventsub-secret-012345';

async function time(label: string, run: (i: number) => unknown, baselineMs?: number): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < N; i++) await run(i);
  const ms = performance.now() - start;
  const ratio = baselineMs ? ` (${(ms / baselineMs).toFixed(1)}× the baseline)` : '';
  console.log(`  ${label.padEnd(44)} ${((ms * 1000) / N).toFixed(1).padStart(7)} µs per item${ratio}`);
  return ms;
}

const body = (i: number) => JSON.stringify({ subscription: { id: 's', status: 'enabled', type: 'stream.online', version: '1', condition: {} }, event: { id: `e${i}`, broadcaster_user_id: '1' } });
const eventsub = createEventSubHandler({ secret: SECRET, onNotification: () => undefined });
const hmacBaseline = await time('baseline: HMAC-SHA256 of a delivery', (i) => createHmac('sha256', SECRET).update(`m${i}2026-12-03T09:00:00Z${body(i)}`).digest('hex'));
await time('EventSub endpoint: verify + replay check', (i) => {
  const timestamp = new Date().toISOString();
  const b = body(i);
  return eventsub.handle(
    new Request('http://localhost/', {
      method: 'POST',
      headers: {
        'twitch-eventsub-message-id': `m${i}`,
        'twitch-eventsub-message-timestamp': timestamp,
        'twitch-eventsub-message-type': 'notification',
        'twitch-eventsub-message-signature': `sha256=${createHmac('sha256', SECRET).update(`m${i}${timestamp}${b}`).digest('hex')}`,
      },
      body: b,
    }),
  );
}, hmacBaseline);
await eventsub.idle();

const { publicKey, privateKey } = generateKeyPairSync('ed25519');
const publicKeyHex = Buffer.from(publicKey.export({ format: 'jwk' }).x as string, 'base64url').toString('hex');
const interactions = createInteractionsHandler({ publicKey: publicKeyHex, onCommand: () => ({ type: 4, data: { content: 'ok' } }) });
const signed = Array.from({ length: N }, (_, i) => {
  const ts = String(Math.floor(Date.now() / 1000));
  const b = JSON.stringify({ id: String(10_000_000 + i), application_id: '111111111111111111', type: 2, token: `t${i}` });
  return { ts, b, sig: sign(null, Buffer.from(ts + b), privateKey).toString('hex') };
});
const edBaseline = await time('baseline: Ed25519 verify', (i) => verify(null, Buffer.from(signed[i]!.ts + signed[i]!.b), publicKey, Buffer.from(signed[i]!.sig, 'hex')));
await time('Discord endpoint: verify + replay + answer', (i) =>
  interactions.handle(new Request('http://localhost/', { method: 'POST', headers: { 'x-signature-ed25519': signed[i]!.sig, 'x-signature-timestamp': signed[i]!.ts }, body: signed[i]!.b })),
  edBaseline,
);

const analyzer = createSentimentAnalyzer({ lexicon: VADER_LEXICON_TEXT });
const lines = ['gg wp, that was AMAZING!!!', 'servers down again, this is not great', 'anyone up for ranked?', 'Today only kinda sux! But I\'ll get by, lol'];
await time('VADER score of a chat line', (i) => analyzer.score(lines[i % lines.length]!));
