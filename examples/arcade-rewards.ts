/**
 * @almanac/arcade demo: simulated Twitch EventSub deliveries go through the signed webhook
 * endpoint into the rewards engine (a replay and a forgery are refused), then a personalised
 * challenge, a matchmaking round with Glicko-2 updates, and community sentiment per channel
 * and day. Runs offline: the "Discord" and "Twitch" actions are recorded, not sent.
 *
 *   npm run build && npx tsx examples/arcade-rewards.ts
 */
import { createHmac, randomUUID } from 'node:crypto';
import {
  aggregateSentiment,
  createChallengeGenerator,
  createMatchmakingQueue,
  createMemoryRewardLedger,
  createRewardsEngine,
  createSentimentAnalyzer,
  rateMatch,
  renderRewardTemplate,
} from '@almanac/arcade';
import type { RewardEvent } from '@almanac/arcade';
import { createEventSubHandler } from '@almanac/arcade/twitch';
import { VADER_LEXICON_TEXT } from '@almanac/arcade/vader-lexicon';

const SECRET = 'demo-eventsub-secret-0123456789';
const out = (line: string) => process.stdout.write(`${line}\n`);

// 1. The rewards engine, with executors that record what a bot would do.
const actions: string[] = [];
const ledger = createMemoryRewardLedger();
const engine = createRewardsEngine({
  ledger,
  rules: [
    { id: 'sub-drop', trigger: { type: 'subscription' }, actions: [{ type: 'drop.fulfill', benefitId: 'sub-skin' }] },
    { id: 'tier3-role', trigger: { type: 'subscription', minTier: '3000' }, actions: [{ type: 'discord.role', guildId: '613425648685547541', roleId: '41771983423143936', reason: 'Tier 3 subscriber' }] },
    { id: 'elite', trigger: { type: 'rating.threshold', threshold: 1700 }, actions: [{ type: 'message', channelId: '290926798999357250', template: '{name} reached {rating}: welcome to Elite!' }] },
  ],
  executors: {
    'drop.fulfill': (action, { event }) => void actions.push(`twitch: fulfil drop ${action.benefitId} for ${event.userId}`),
    'discord.role': (action, { event }) => void actions.push(`discord: role ${action.roleId} to ${event.userId} (${action.reason})`),
    message: (action, { event }) => void actions.push(`discord: #${action.channelId} "${renderRewardTemplate(action.template, event)}"`),
  },
});

// 2. The EventSub endpoint feeds subscription notifications into the engine.
const handler = createEventSubHandler({
  secret: SECRET,
  onNotification: async ({ messageId, subscription, event }) => {
    if (subscription.type !== 'channel.subscribe') return;
    await engine.process({ id: messageId, type: 'subscription', userId: String(event.user_id), data: { tier: event.tier, broadcasterId: event.broadcaster_user_id } });
  },
});

function delivery(id: string, body: string, secret = SECRET): Request {
  const timestamp = new Date().toISOString();
  const signature = `sha256=${createHmac('sha256', secret).update(id + timestamp + body).digest('hex')}`;
  return new Request('http://localhost/twitch', {
    method: 'POST',
    headers: {
      'Twitch-Eventsub-Message-Id': id,
      'Twitch-Eventsub-Message-Timestamp': timestamp,
      'Twitch-Eventsub-Message-Signature': signature,
      'Twitch-Eventsub-Message-Type': 'notification',
    },
    body,
  });
}
const subscribe = (userId: string, tier: string) =>
  JSON.stringify({
    subscription: { id: randomUUID(), status: 'enabled', type: 'channel.subscribe', version: '1', condition: { broadcaster_user_id: '1337' } },
    event: { user_id: userId, user_login: `viewer${userId}`, broadcaster_user_id: '1337', tier, is_gift: false },
  });

async function rewardsDemo(): Promise<void> {
  out('== rewards: EventSub deliveries -> rules -> grants');
  const first = delivery('msg-1', subscribe('1001', '1000'));
  const replay = first.clone();
  const results = [
    ['subscription tier 1', await handler.handle(first)],
    ['same message again (Twitch retry)', await handler.handle(replay)],
    ['subscription tier 3', await handler.handle(delivery('msg-2', subscribe('1002', '3000')))],
    ['forged signature', await handler.handle(delivery('msg-3', subscribe('666', '3000'), 'not-the-secret-at-all'))],
  ] as const;
  for (const [what, response] of results) out(`  ${what.padEnd(36)} -> HTTP ${response.status}`);
  await handler.idle();
  const rating: RewardEvent = { id: 'match-42', type: 'rating', userId: '1001', data: { name: 'viewer1001', previousRating: 1690, rating: 1712 } };
  await engine.process(rating);
  await engine.process(rating); // processed twice: granted once
  for (const action of actions) out(`  ${action}`);
  out('  audit:');
  for (const g of ledger.grants()) out(`    ${g.ruleId.padEnd(11)} user ${g.userId} event ${g.eventId.padEnd(9)} ${g.actionType.padEnd(13)} ${g.outcome}`);
}

async function challengeDemo(): Promise<void> {
  out('\n== challenges: seeded, difficulty from recent outcomes');
  const generator = createChallengeGenerator({ seed: 'season-7' });
  for (const outcomes of [[false, false, false, true, false], [true, true, true, true, true]]) {
    const c = await generator.generate({ playerId: 'p-1001', level: 25, favoriteGenre: 'RPG', lastAchievement: 'Defeated the Shadow Lord', recentOutcomes: outcomes, currentDifficulty: 6 }, '2026-12-03');
    out(`  ${c.difficultyReason.padEnd(9)} difficulty ${c.difficulty}: ${c.title} — ${c.description} (reward ${c.reward.currency} coins, ${c.reward.xp} XP)`);
  }
}

function matchmakingDemo(): void {
  out('\n== matchmaking: Glicko-2 queue with widening windows');
  let now = 0;
  const queue = createMatchmakingQueue({ clock: { now: () => now, sleep: async () => undefined } });
  const ratings = new Map([
    ['ana', { rating: 1520, rd: 80, volatility: 0.06 }],
    ['ben', { rating: 1490, rd: 90, volatility: 0.06 }],
    ['cy', { rating: 1850, rd: 60, volatility: 0.06 }],
    ['dee', { rating: 1640, rd: 120, volatility: 0.06 }],
  ]);
  for (const [id, r] of ratings) queue.enqueue(id, r);
  for (const at of [0, 20, 45]) {
    now = at * 1000;
    for (const m of queue.match()) {
      const { a, b } = rateMatch(m.a.rating, m.b.rating, 1);
      out(`  t=${String(at).padStart(2)}s ${m.a.playerId} vs ${m.b.playerId} (gap ${m.gap}); ${m.a.playerId} wins: ${m.a.rating.rating} -> ${a.rating.toFixed(0)}, ${m.b.playerId} ${m.b.rating.rating} -> ${b.rating.toFixed(0)}`);
    }
    out(`  t=${String(at).padStart(2)}s waiting: ${queue.size()}`);
  }
}

function sentimentDemo(): void {
  out('\n== sentiment: VADER per channel and day');
  const analyzer = createSentimentAnalyzer({ lexicon: VADER_LEXICON_TEXT });
  const rows = aggregateSentiment(
    [
      { channelId: 'general', at: '2026-12-02T18:00:00Z', text: 'The new season is AMAZING!!!' },
      { channelId: 'general', at: '2026-12-02T19:00:00Z', text: 'gg, great match everyone' },
      { channelId: 'general', at: '2026-12-03T08:00:00Z', text: 'Servers are down again. This is horrible.' },
      { channelId: 'general', at: '2026-12-03T08:05:00Z', text: 'not happy with the patch, matchmaking feels terrible' },
      { channelId: 'lfg', at: '2026-12-03T09:00:00Z', text: 'Anyone up for ranked? Friendly players only :)' },
    ],
    { analyzer },
  );
  for (const r of rows) out(`  ${r.channelId.padEnd(8)} ${r.day} messages ${r.messages} mean ${r.meanCompound.toFixed(3)} (+${r.positive} / -${r.negative} / =${r.neutral})`);
}

await rewardsDemo();
await challengeDemo();
matchmakingDemo();
sentimentDemo();
