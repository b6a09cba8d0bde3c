import { ProviderError, createManualClock } from '@almanac/core';
import { expectAlmanacError } from '@almanac/core/testing';
import { describe, expect, it } from 'vitest';
import { createMemoryRewardLedger, createRewardsEngine, evaluateRewardCondition, renderRewardTemplate } from '../src';
import type { RewardAction, RewardRule } from '../src';

const rules: RewardRule[] = [
  { id: 'sub-bonus', trigger: { type: 'subscription', minTier: '2000' }, actions: [{ type: 'drop.fulfill', benefitId: 'bonus' }] },
  {
    id: 'elite',
    trigger: { type: 'rating.threshold', threshold: 2000 },
    actions: [
      { type: 'discord.role', guildId: 'g', roleId: 'elite', reason: 'Rating 2000+' },
      { type: 'message', channelId: 'c', template: 'Congrats {userId}, rating {rating}!' },
    ],
  },
  { id: 'live-shoutout', trigger: { type: 'stream.online', broadcasterId: '1337' }, when: { field: 'viewers', op: 'gte', value: 10 }, actions: [{ type: 'message', channelId: 'c', template: '{name} is live' }] },
];

function setup(failing: Set<string> = new Set()) {
  const done: Array<{ type: string; user: string }> = [];
  const exec = async (action: RewardAction, { event }: { event: { userId: string } }) => {
    if (failing.has(action.type)) throw new ProviderError('downstream failed', { provider: 'discord' });
    done.push({ type: action.type, user: event.userId });
  };
  const ledger = createMemoryRewardLedger();
  const engine = createRewardsEngine({ rules, ledger, clock: createManualClock(1_000), executors: { 'drop.fulfill': exec, 'discord.role': exec, message: exec } });
  return { engine, ledger, done };
}

describe('rewards engine', () => {
  it('grants matching rules once per (rule, user, event) and audits duplicates', async () => {
    const { engine, ledger, done } = setup();
    const event = { id: 'evt-1', type: 'subscription' as const, userId: 'u1', data: { tier: '3000' } };
    const first = await engine.process(event);
    const again = await engine.process(event);
    expect(first.matchedRules).toEqual(['sub-bonus']);
    expect(done).toEqual([{ type: 'drop.fulfill', user: 'u1' }]);
    expect(again.grants.map((g) => g.outcome)).toEqual(['duplicate']);
    expect(ledger.grants().map((g) => `${g.ruleId}/${g.outcome}`)).toEqual(['sub-bonus/granted', 'sub-bonus/duplicate']);
    // A lower tier does not match; another event id is a new grant.
    expect((await engine.process({ ...event, id: 'evt-2', data: { tier: '1000' } })).matchedRules).toEqual([]);
    await engine.process({ ...event, id: 'evt-3' });
    expect(done).toHaveLength(2);
  });

  it('fires a rating rule on the crossing only', async () => {
    const { engine, done } = setup();
    await engine.process({ id: 'r1', type: 'rating', userId: 'u2', data: { previousRating: 1990, rating: 2010 } });
    await engine.process({ id: 'r2', type: 'rating', userId: 'u2', data: { previousRating: 2010, rating: 2030 } });
    expect(done).toEqual([
      { type: 'discord.role', user: 'u2' },
      { type: 'message', user: 'u2' },
    ]);
  });

  it('releases a failed action so a retry grants only what did not happen', async () => {
    const failing = new Set(['message']);
    const { engine, done } = setup(failing);
    const event = { id: 'r1', type: 'rating' as const, userId: 'u3', data: { rating: 2100 } };
    const first = await engine.process(event);
    expect(first.grants.map((g) => [g.actionType, g.outcome, g.errorCode])).toEqual([
      ['discord.role', 'granted', undefined],
      ['message', 'failed', 'provider'],
    ]);
    failing.clear();
    const retry = await engine.process(event);
    expect(retry.grants.map((g) => g.outcome)).toEqual(['duplicate', 'granted']);
    expect(done.map((d) => d.type)).toEqual(['discord.role', 'message']);
  });

  it('evaluates conditions and templates', async () => {
    const { engine, done } = setup();
    await engine.process({ id: 's1', type: 'stream.online', userId: 'b', data: { broadcasterId: '1337', viewers: 3 } });
    await engine.process({ id: 's2', type: 'stream.online', userId: 'b', data: { broadcasterId: '1337', viewers: 30 } });
    expect(done).toHaveLength(1);
    expect(evaluateRewardCondition({ any: [{ field: 'a.b', op: 'in', value: [1, 2] }, { not: { field: 'x', op: 'exists' } }] }, { a: { b: 3 }, x: 1 })).toBe(false);
    expect(evaluateRewardCondition({ field: 'n', op: 'gt', value: 5 }, { n: '9' })).toBe(false);
    expect(renderRewardTemplate('Hi {userId}: {rating} {missing}', { id: 'e', type: 'rating', userId: 'u', data: { rating: 2001 } })).toBe('Hi u: 2001 {missing}');
  });

  it('validates rules and events, naming the field', async () => {
    expect(() => createRewardsEngine({ rules: [{ id: 'x', trigger: { type: 'achievement' }, actions: [] }], executors: {} })).toThrow(/rules\.0\.actions/);
    expect(() => createRewardsEngine({ rules: [{ id: 'x', trigger: { type: 'achievement' }, actions: [{ type: 'drop.fulfill' }] }], executors: {} })).toThrow(/no executor/i);
    const { engine } = setup();
    await expectAlmanacError(engine.process({ id: '', type: 'rating', userId: 'u' }), { code: 'validation', field: 'event.id' });
  });
});
