// Alias semantics of the identity graph and of refreshProfiles, against Segment's spec:
// "The previousId is the existing ID you've referred to the user by. It might be an Anonymous ID
// assigned to that user or a User ID you previously identified them with using Segment's
// Identify call." (https://segment.com/docs/connections/spec/alias/)
import { expectAlmanacError } from '@almanac/core/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createDuckDbWarehouse } from '../src/adapters/duckdb/index';
import type { CdpMessage, IdentityGraph, IdentityRules, ResolvedProfile } from '../src/index';
import { createCollector, createIdentityGraph, createMemoryOutbox, createWarehouseSink, identityRows, profileTimeline, refreshProfiles } from '../src/index';

const user = (value: string) => ({ type: 'user_id', value });
const anon = (value: string) => ({ type: 'anonymous_id', value });

describe('IdentityGraph.alias', () => {
  it('an alias of an anonymous id merges it into the user under the default limits, whichever arrives first', () => {
    const visitedFirst = createIdentityGraph();
    visitedFirst.link([anon('a1')]);
    expect(visitedFirst.alias('u1', 'a1')).toEqual([]);
    const aliasedFirst = createIdentityGraph();
    expect(aliasedFirst.alias('u1', 'a1')).toEqual([]);
    aliasedFirst.link([anon('a1')]);
    for (const graph of [visitedFirst, aliasedFirst]) {
      expect(graph.profiles()).toEqual([{ profileId: 'u1', ids: { anonymous_id: ['a1'], user_id: ['u1'] } }]);
      expect(graph.profileOf(anon('a1'))?.profileId).toBe('u1');
      expect(graph.conflicts()).toEqual([]);
    }
  });

  it('an alias of an earlier user id merges two user ids when maxIdsPerType.user_id allows it', () => {
    const graph = createIdentityGraph({ maxIdsPerType: { user_id: 2 } });
    graph.link([user('old-9'), anon('a9')]);
    expect(graph.alias('u9', 'old-9')).toEqual([]);
    expect(graph.profiles()).toEqual([{ profileId: 'old-9', ids: { anonymous_id: ['a9'], user_id: ['old-9', 'u9'] } }]);
    expect(graph.profileOf(user('u9'))?.profileId).toBe('old-9');
  });

  it('is refused under the default limits, with a conflict naming the limit', () => {
    const graph = createIdentityGraph();
    graph.link([user('old-9'), anon('a9')]);
    const conflicts = graph.alias('u9', 'old-9');
    expect(conflicts).toEqual([
      {
        ids: [user('u9'), { type: 'previous_id', value: 'old-9' }],
        type: 'user_id',
        reason: 'merging would give one profile 2 user_id ids, more than maxIdsPerType.user_id (1) allows',
      },
    ]);
    expect(graph.profiles()).toEqual([
      { profileId: 'old-9', ids: { anonymous_id: ['a9'], user_id: ['old-9'] } },
      { profileId: 'u9', ids: { user_id: ['u9'] } },
    ]);
    expect(graph.conflicts()).toEqual(conflicts);
  });

  it('a previous id seen as neither is listed as an anonymous id until it is seen; seen later as a user id, it is that user id', () => {
    const graph = createIdentityGraph();
    graph.alias('u1', 'x');
    expect(graph.profiles()).toEqual([{ profileId: 'u1', ids: { anonymous_id: ['x'], user_id: ['u1'] } }]);
    expect(graph.profileOf(anon('x'))?.profileId).toBe('u1');
    expect(graph.profileOf(user('x'))).toBeUndefined();
    // x turns out to be another user id: under the default limit of one user id, not merged.
    const conflicts = graph.link([user('x'), { type: 'email', value: 'x@example.com' }]);
    expect(conflicts.map((c) => c.type)).toEqual(['user_id']);
    expect(graph.profiles()).toEqual([
      { profileId: 'u1', ids: { user_id: ['u1'] } },
      { profileId: 'x', ids: { email: ['x@example.com'], user_id: ['x'] } },
    ]);
    expect(graph.profileOf(anon('x'))).toBeUndefined();
  });

  it('two aliases of one previous id are one person (both joined, as limits allow)', () => {
    const graph = createIdentityGraph({ maxIdsPerType: { user_id: 3 } });
    graph.alias('u1', 'a');
    graph.alias('u2', 'a');
    expect(graph.profiles()).toEqual([{ profileId: 'u1', ids: { anonymous_id: ['a'], user_id: ['u1', 'u2'] } }]);
  });

  it('validates its arguments, naming the field', async () => {
    await expectAlmanacError(() => createIdentityGraph().alias('u1', ''), { code: 'validation', field: 'previousId' });
    await expectAlmanacError(() => createIdentityGraph().alias('', 'a'), { code: 'validation', field: 'userId' });
  });
});

describe('large profiles', () => {
  // The smallest size that overflowed push(...ids) on Node 20; a few seconds on a loaded machine.
  it('merges two profiles of 150,000 ids each (no argument spreading that overflows the stack)', { timeout: 60_000 }, () => {
    const graph = createIdentityGraph({ maxIdsPerType: { anonymous_id: 1_000_000 } });
    const many = (prefix: string) => Array.from({ length: 150_000 }, (_, i) => anon(`${prefix}${i}`));
    graph.link([anon('a0'), ...many('a')]);
    graph.link([anon('b0'), ...many('b')]);
    expect(graph.alias('u1', 'a0')).toEqual([]);
    expect(graph.link([user('u1'), anon('b0')])).toEqual([]);
    expect(graph.profileOf(anon('b149999'))?.ids['anonymous_id']).toHaveLength(300_000);
  });
});

describe('canonical profile ids', () => {
  it('are unique: an anonymous id spelt like another person user id is typed, the user keeps the bare id', () => {
    const graph = createIdentityGraph();
    graph.link([user('x')]);
    graph.link([anon('x'), { type: 'email', value: 'v@example.com' }]); // an email outranks an anonymous id
    graph.link([anon('y')]);
    graph.link([user('y'), anon('z')]);
    graph.link([user('email:w@example.com')]);
    graph.link([{ type: 'email', value: 'w@example.com' }]);
    expect(graph.profiles().map((p) => p.profileId)).toEqual(['anonymous_id:y', 'email:v@example.com', 'email:w@example.com', 'email:w@example.com#2', 'x', 'y']);
    expect(graph.profileOf(anon('y'))?.profileId).toBe('anonymous_id:y');
    expect(graph.profileOf(anon('x'))?.profileId).toBe('email:v@example.com');
    expect(graph.profileOf(user('y'))?.profileId).toBe('y');
    expect(graph.profileOf({ type: 'email', value: 'w@example.com' })?.profileId).toBe('email:w@example.com#2');
    graph.link([]); // no cached pass: the lookups alone must find the same ids
    expect(graph.profileOf({ type: 'email', value: 'w@example.com' })?.profileId).toBe('email:w@example.com#2');
    expect(graph.profileOf(user('email:w@example.com'))?.profileId).toBe('email:w@example.com');
    expect(graph.profileOf(anon('y'))?.profileId).toBe('anonymous_id:y');
    expect(graph.profileOf(user('x'))?.profileId).toBe('x');
  });

  it('the defect of last session: an alias of an anonymous id no longer yields two profiles named after it', () => {
    const graph = createIdentityGraph({ maxIdsPerType: { user_id: 2 } });
    graph.link([anon('anon-1')]);
    graph.link([user('u2'), anon('anon-1')]); // anon-1 logs in as u2
    graph.alias('u1', 'anon-1'); // and is aliased to u1 (joined through anon-1)
    expect(graph.profiles()).toEqual([{ profileId: 'u1', ids: { anonymous_id: ['anon-1'], user_id: ['u1', 'u2'] } }]);
  });
});

// Random calls over small pools, so user ids, anonymous ids and previous ids collide often.
type Call =
  | { readonly type: 'identify'; readonly userId?: string; readonly anonymousId?: string; readonly email?: string }
  | { readonly type: 'track'; readonly userId?: string; readonly anonymousId?: string }
  | { readonly type: 'alias'; readonly userId: string; readonly previousId: string };
const value = fc.constantFrom('1', '2', '3', '4', '5', '6');
const call: fc.Arbitrary<Call> = fc.oneof(
  fc
    .record({ userId: value, anonymousId: value, email: fc.constantFrom('a@x.io', 'b@x.io') }, { requiredKeys: [] })
    .filter((c) => c.userId !== undefined || c.anonymousId !== undefined)
    .map((c) => ({ type: 'identify' as const, ...c })),
  fc.oneof(
    value.map((v) => ({ type: 'track' as const, userId: v })),
    value.map((v) => ({ type: 'track' as const, anonymousId: v })),
  ),
  fc.record({ userId: value, previousId: value }).map((c) => ({ type: 'alias' as const, ...c })),
);
// The warehouse stores a message's observations under its user id, else its anonymous id, so a
// value used as both is one key there; its property draws the two from different pools.
const userValue = fc.constantFrom('1', '2', '3', '4', '5', '6');
const anonValue = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f');
const warehouseCall: fc.Arbitrary<Call> = fc.oneof(
  fc
    .record({ userId: userValue, anonymousId: anonValue, email: fc.constantFrom('a@x.io', 'b@x.io') }, { requiredKeys: [] })
    .filter((c) => c.userId !== undefined || c.anonymousId !== undefined)
    .map((c) => ({ type: 'identify' as const, ...c })),
  fc.oneof(
    userValue.map((v) => ({ type: 'track' as const, userId: v })),
    anonValue.map((v) => ({ type: 'track' as const, anonymousId: v })),
  ),
  fc.record({ userId: userValue, previousId: fc.oneof(userValue, anonValue) }).map((c) => ({ type: 'alias' as const, ...c })),
);
const calls = fc.array(call, { maxLength: 25 }).chain((list) => fc.tuple(fc.constant(list), fc.shuffledSubarray(list, { minLength: list.length, maxLength: list.length })));

/** The message a call becomes (as the collector would store it). */
function message(c: Call, i: number): CdpMessage {
  const base = { messageId: `m${i}`, timestamp: '2026-11-01T00:00:00.000Z' };
  if (c.type === 'alias') return { ...base, type: 'alias', userId: c.userId, previousId: c.previousId };
  const ids = { ...(c.userId === undefined ? {} : { userId: c.userId }), ...(c.anonymousId === undefined ? {} : { anonymousId: c.anonymousId }) };
  if (c.type === 'track') return { ...base, ...ids, type: 'track', event: 'E' };
  return { ...base, ...ids, type: 'identify', traits: c.email === undefined ? {} : { email: c.email } };
}

/** Links each call's identity observations (the rows the warehouse sink stores) into a fresh graph. */
function replay(list: readonly Call[], rules?: IdentityRules): IdentityGraph {
  const graph = createIdentityGraph(rules);
  for (const [i, c] of list.entries()) graph.link(identityRows(message(c, i)).map((row) => ({ type: row.idType, value: row.idValue })));
  return graph;
}

function expectWellFormed(graph: IdentityGraph): void {
  const profiles = graph.profiles();
  expect(new Set(profiles.map((p) => p.profileId)).size).toBe(profiles.length);
  const owner = new Map<string, string>();
  for (const profile of profiles) {
    expect(profile.ids['previous_id']).toBeUndefined();
    for (const [type, values] of Object.entries(profile.ids)) {
      for (const v of values) {
        expect(owner.has(`${type}:${v}`)).toBe(false);
        owner.set(`${type}:${v}`, profile.profileId);
        expect(graph.profileOf({ type, value: v })?.profileId).toBe(profile.profileId);
      }
    }
  }
}

const UNLIMITED: IdentityRules = { maxIdsPerType: { user_id: 1000, email: 1000, anonymous_id: 1000 } };

describe('property: identify/alias/track sequences', () => {
  it('every id is in exactly one profile, profile ids are unique, and without refusals the order of the calls does not matter', () => {
    fc.assert(
      fc.property(calls, ([list, shuffled]) => {
        const [inOrder, reordered] = [replay(list, UNLIMITED), replay(shuffled, UNLIMITED)];
        expectWellFormed(inOrder);
        expect(inOrder.conflicts()).toEqual([]);
        // profileOf answers from the profile alone when it can (no pass over every profile): same answers.
        const fresh = replay(list, UNLIMITED);
        for (const profile of inOrder.profiles()) {
          for (const [type, values] of Object.entries(profile.ids)) {
            for (const v of values) {
              fresh.link([]); // drops the cached pass, so each lookup takes the short path when it can
              expect(fresh.profileOf({ type, value: v })).toEqual(profile);
            }
          }
        }
        expect(reordered.profiles()).toEqual(inOrder.profiles());
        // Under the default limits some links are refused; whenever neither order refused one, they agree too.
        const [strict, strictReordered] = [replay(list), replay(shuffled)];
        expectWellFormed(strict);
        expectWellFormed(strictReordered);
        for (const profile of strict.profiles()) expect((profile.ids['user_id'] ?? []).length).toBeLessThanOrEqual(1);
        if (strict.conflicts().length === 0 && strictReordered.conflicts().length === 0) expect(strictReordered.profiles()).toEqual(strict.profiles());
      }),
      { numRuns: 400 },
    );
  });

  it('the warehouse (sink + refreshProfiles, refreshed midway) resolves the same profiles as the in-memory graph', { timeout: 120_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(warehouseCall, { maxLength: 25 }), fc.nat(), async (list, cut) => {
        const warehouse = createDuckDbWarehouse();
        await warehouse.ensureSchema();
        const collector = await createCollector({ outbox: createMemoryOutbox(), sinks: [createWarehouseSink(warehouse)] });
        const send = async (c: Call) => {
          if (c.type === 'alias') return void (await collector.alias({ userId: c.userId, previousId: c.previousId }));
          const ids = { ...(c.userId === undefined ? {} : { userId: c.userId }), ...(c.anonymousId === undefined ? {} : { anonymousId: c.anonymousId }) } as { userId: string };
          if (c.type === 'track') await collector.track({ ...ids, event: 'E' });
          else await collector.identify({ ...ids, traits: c.email === undefined ? {} : { email: c.email } });
        };
        // A refresh midway rewrites the identities table; the later calls must resolve as if it had not.
        const middle = list.length === 0 ? 0 : cut % (list.length + 1);
        for (const c of list.slice(0, middle)) await send(c);
        await collector.flush();
        await refreshProfiles(warehouse, { rules: UNLIMITED });
        for (const c of list.slice(middle)) await send(c);
        await collector.close();
        const { profiles, conflicts } = await refreshProfiles(warehouse, { rules: UNLIMITED });
        await warehouse.close();
        expect(conflicts).toEqual([]);
        expect(profiles).toEqual(replay(list, UNLIMITED).profiles());
      }),
      { numRuns: 20 },
    );
  });
});

describe('refreshProfiles follows an alias (DuckDB)', () => {
  it('merges the anonymous visitor into the user under the default limits: ids, golden record, timeline; the visitor profile is removed', async () => {
    const warehouse = createDuckDbWarehouse();
    await warehouse.ensureSchema();
    const collector = await createCollector({ outbox: createMemoryOutbox(), sinks: [createWarehouseSink(warehouse)] });
    await collector.page({ anonymousId: 'anon-1', name: 'Pricing', timestamp: '2026-11-01T10:00:00Z' });
    await collector.identify({ anonymousId: 'anon-1', traits: { referrer: 'newsletter', plan: 'trial' }, timestamp: '2026-11-01T10:01:00Z' });
    await collector.flush();
    expect((await refreshProfiles(warehouse)).profiles.map((p) => p.profileId)).toEqual(['anon-1']);

    await collector.alias({ userId: 'u1', previousId: 'anon-1', timestamp: '2026-11-01T10:05:00Z' });
    await collector.identify({ userId: 'u1', traits: { plan: 'pro', email: 'ana@example.com' }, timestamp: '2026-11-01T10:06:00Z' });
    await collector.flush();
    const result = await refreshProfiles(warehouse);
    expect(result.conflicts).toEqual([]);
    expect(result.profiles).toEqual([{ profileId: 'u1', ids: { anonymous_id: ['anon-1'], email: ['ana@example.com'], user_id: ['u1'] } }]);
    expect(result.profilesRemoved).toBe(1);
    const rows = await warehouse.query({ sql: 'SELECT profile_id, traits FROM profiles', params: {} });
    expect(rows.map((r) => r['profile_id'])).toEqual(['u1']);
    expect(JSON.parse(String(rows[0]?.['traits']))).toMatchObject({ referrer: 'newsletter', plan: 'pro', email: 'ana@example.com' });
    const timeline = await profileTimeline(warehouse, result.profiles[0] as ResolvedProfile);
    expect(timeline.map((e) => [e.type, e.event])).toEqual([
      ['identify', null],
      ['alias', null],
      ['identify', null],
      ['page', 'Pricing'],
    ]);
    await warehouse.close();
  });

  it('an alias delivered before its previous id is seen: listed as an anonymous id, stored as a previous_id row, joined when the visitor shows up', async () => {
    const warehouse = createDuckDbWarehouse();
    await warehouse.ensureSchema();
    const collector = await createCollector({ outbox: createMemoryOutbox(), sinks: [createWarehouseSink(warehouse)] });
    const idsTable = async () =>
      (await warehouse.query({ sql: 'SELECT id_type, id_value, profile_id FROM identities ORDER BY ALL', params: {} })).map((r) => [r['id_type'], r['id_value'], r['profile_id']].join(' '));
    await collector.alias({ userId: 'u2', previousId: 'late', timestamp: '2026-11-01T10:00:00Z' });
    await collector.flush();
    expect((await refreshProfiles(warehouse)).profiles).toEqual([{ profileId: 'u2', ids: { anonymous_id: ['late'], user_id: ['u2'] } }]);
    expect(await idsTable()).toEqual(['previous_id late u2', 'user_id u2 u2']);
    await collector.page({ anonymousId: 'late', name: 'Home', timestamp: '2026-11-01T09:00:00Z' });
    await collector.flush();
    const { profiles } = await refreshProfiles(warehouse);
    expect(profiles).toEqual([{ profileId: 'u2', ids: { anonymous_id: ['late'], user_id: ['u2'] } }]);
    expect(await idsTable()).toEqual(['anonymous_id late u2', 'previous_id late u2', 'user_id u2 u2']);
    expect((await profileTimeline(warehouse, profiles[0] as ResolvedProfile)).map((e) => e.type)).toEqual(['alias', 'page']);
    await warehouse.close();
  });

  it("a key's observations are linked to the key's own id even when the sink skipped that row as already loaded", async () => {
    const warehouse = createDuckDbWarehouse();
    await warehouse.ensureSchema();
    const sink = createWarehouseSink(warehouse); // remembers the identities rows it loaded
    const at = '2026-11-01T10:00:00.000Z';
    await sink.deliver(
      [
        { type: 'track', messageId: 'm1', timestamp: at, userId: '6', event: 'E' },
        { type: 'alias', messageId: 'm2', timestamp: at, userId: '1', previousId: '6' },
      ],
      { signal: new AbortController().signal },
    );
    const rules = { maxIdsPerType: { user_id: 2 } };
    expect((await refreshProfiles(warehouse, { rules })).profiles).toEqual([{ profileId: '1', ids: { user_id: ['1', '6'] } }]);
    // The refresh moved (6, user_id, 6) to profile 1; the sink still remembers loading it, so the
    // next message of user 6 brings only its new ids, under key 6.
    await sink.deliver([{ type: 'identify', messageId: 'm3', timestamp: at, userId: '6', anonymousId: 'd', traits: { email: 'six@example.com' } }], { signal: new AbortController().signal });
    const rows = await warehouse.query({ sql: "SELECT id_type FROM identities WHERE profile_id = '6' ORDER BY id_type", params: {} });
    expect(rows.map((r) => r['id_type'])).toEqual(['anonymous_id', 'email']);
    expect((await refreshProfiles(warehouse, { rules })).profiles).toEqual([{ profileId: '1', ids: { anonymous_id: ['d'], email: ['six@example.com'], user_id: ['1', '6'] } }]);
    await warehouse.close();
  });

  it('an alias of an earlier user id is refused under the default limits (conflict naming the limit) and merges when the limit allows', async () => {
    const warehouse = createDuckDbWarehouse();
    await warehouse.ensureSchema();
    const collector = await createCollector({ outbox: createMemoryOutbox(), sinks: [createWarehouseSink(warehouse)] });
    await collector.track({ userId: 'old-9', event: 'Signed Up', timestamp: '2026-11-01T10:00:00Z' });
    await collector.alias({ userId: 'u9', previousId: 'old-9', timestamp: '2026-11-02T10:00:00Z' });
    await collector.close();
    const refused = await refreshProfiles(warehouse);
    expect(refused.conflicts.map((c) => [c.type, c.reason])).toEqual([['user_id', 'merging would give one profile 2 user_id ids, more than maxIdsPerType.user_id (1) allows']]);
    expect(refused.profiles.map((p) => p.profileId)).toEqual(['old-9', 'u9']);
    const merged = await refreshProfiles(warehouse, { rules: { maxIdsPerType: { user_id: 2 } } });
    expect(merged.profiles).toEqual([{ profileId: 'old-9', ids: { user_id: ['old-9', 'u9'] } }]);
    expect((await profileTimeline(warehouse, merged.profiles[0] as ResolvedProfile)).map((e) => e.event ?? e.type)).toEqual(['alias', 'Signed Up']);
    await warehouse.close();
  });
});
