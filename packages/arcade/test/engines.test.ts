import { createManualClock } from '@almanac/core';
import { describe, expect, it } from 'vitest';
import { aggregateSentiment, createChallengeGenerator, createMatchmakingQueue, createSentimentAnalyzer, rateMatch } from '../src';
import type { ChallengeTextGenerator } from '../src';
import { VADER_LEXICON_TEXT } from '../src/sentiment/vader-lexicon';

const fresh = { rating: 1500, rd: 200, volatility: 0.06 };

describe('challenge generator', () => {
  const profile = { playerId: 'p1', level: 25, favoriteGenre: 'RPG', lastAchievement: 'Defeated the Shadow Lord' };

  it('is deterministic per (seed, player, period) and differs across periods', async () => {
    const gen = createChallengeGenerator({ seed: 'season-1' });
    const a = await gen.generate(profile, '2026-12-03');
    const b = await createChallengeGenerator({ seed: 'season-1' }).generate(profile, '2026-12-03');
    expect(b).toEqual(a);
    const days = await Promise.all(['2026-12-04', '2026-12-05', '2026-12-06', '2026-12-07'].map((d) => gen.generate(profile, d)));
    expect(new Set(days.map((c) => c.id)).size).toBe(4);
    expect(new Set([a, ...days].map((c) => `${c.objective.kind}/${c.objective.count}`)).size).toBeGreaterThan(1);
    expect(a.description).toContain('Shadow Lord');
  });

  it('lowers the difficulty for a player who keeps failing and raises it for one who keeps winning', async () => {
    const gen = createChallengeGenerator({ seed: 's' });
    const losing = await gen.generate({ ...profile, recentOutcomes: Array(10).fill(false), currentDifficulty: 6 }, 'w1');
    const winning = await gen.generate({ ...profile, recentOutcomes: Array(10).fill(true), currentDifficulty: 6 }, 'w1');
    expect(losing.difficulty).toBeLessThan(6);
    expect(losing.difficultyReason).toBe('too_hard');
    expect(winning.difficulty).toBeGreaterThan(6);
    expect(winning.reward.xp).toBeGreaterThan(losing.reward.xp);
  });

  it('lets a custom text generator phrase the challenge but not change it', async () => {
    const llm: ChallengeTextGenerator = { generate: async ({ objective }) => ({ title: `LLM: ${objective.target}`, description: 'x'.repeat(5000) }) };
    const custom = await createChallengeGenerator({ seed: 's', textGenerator: llm }).generate(profile, 'd');
    const plain = await createChallengeGenerator({ seed: 's' }).generate(profile, 'd');
    expect(custom.title).toBe(`LLM: ${plain.objective.target}`);
    expect(custom.objective).toEqual(plain.objective);
    expect(custom.description).toHaveLength(4096);
  });
});

describe('matchmaking queue', () => {
  it('pairs close ratings at once and widens the window for a lone outlier', () => {
    const clock = createManualClock(0);
    const queue = createMatchmakingQueue({ clock });
    queue.enqueue('a', { ...fresh, rating: 1500 });
    queue.enqueue('b', { ...fresh, rating: 1520 });
    queue.enqueue('c', { ...fresh, rating: 1800 });
    const first = queue.match();
    expect(first.map((m) => [m.a.playerId, m.b.playerId])).toEqual([['a', 'b']]);
    expect(queue.size()).toBe(1);
    queue.enqueue('d', { ...fresh, rating: 1580 });
    // 220 apart: not within 50 + 5·s until someone has waited 34 s.
    expect(queue.match()).toEqual([]);
    clock.set(40_000);
    const later = queue.match();
    expect(later.map((m) => [m.a.playerId, m.b.playerId, m.gap])).toEqual([['d', 'c', 220]]);
    expect(queue.size()).toBe(0);
  });

  it('refuses a player queued twice', () => {
    const queue = createMatchmakingQueue();
    queue.enqueue('a', fresh);
    expect(() => queue.enqueue('a', fresh)).toThrow(/already queued/);
  });

  it('rates both players after a match with Glicko-2', () => {
    const { a, b } = rateMatch({ rating: 1500, rd: 200, volatility: 0.06 }, { rating: 1400, rd: 30, volatility: 0.06 }, 1);
    expect(a.rating).toBeGreaterThan(1500);
    expect(b.rating).toBeLessThan(1400);
    expect(a.rd).toBeLessThan(200);
  });
});

describe('sentiment aggregation', () => {
  it('aggregates per channel and day in the given time zone', () => {
    const analyzer = createSentimentAnalyzer({ lexicon: VADER_LEXICON_TEXT });
    const rows = aggregateSentiment(
      [
        { channelId: 'general', at: '2026-12-02T23:30:00Z', text: 'This game is great, love it!' },
        { channelId: 'general', at: '2026-12-03T08:00:00Z', text: 'Servers are down again, horrible.' },
        { channelId: 'general', at: '2026-12-03T09:00:00Z', text: 'The patch is out' },
        { channelId: 'lfg', at: Date.parse('2026-12-03T10:00:00Z'), text: 'Anyone up for a match? Good vibes only' },
      ],
      { analyzer, timeZone: 'Europe/Berlin' },
    );
    // 23:30 UTC on the 2nd is 00:30 on the 3rd in Berlin: all general messages fall on one day.
    expect(rows.map((r) => [r.channelId, r.day, r.messages, r.positive, r.negative, r.neutral])).toEqual([
      ['general', '2026-12-03', 3, 1, 1, 1],
      ['lfg', '2026-12-03', 1, 1, 0, 0],
    ]);
    expect(rows[0]?.meanCompound).toBeGreaterThan(-1);
    expect(() => aggregateSentiment([{ channelId: 'x', at: 'not a date', text: '' }], { analyzer })).toThrow(/messages\[0\]\.at/);
  });
});
