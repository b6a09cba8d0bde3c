import { expectAlmanacError } from '@almanac/core/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createDuckDbWarehouse } from '../src/adapters/duckdb/index';
import { createCollector, createIdentityGraph, createMemoryOutbox, createWarehouseSink, goldenRecord, profileTimeline, refreshProfiles } from '../src/index';

describe('createIdentityGraph', () => {
  it('merges ids seen together, across types, transitively', () => {
    const graph = createIdentityGraph();
    graph.link([{ type: 'anonymous_id', value: 'a1' }, { type: 'user_id', value: 'u1' }]);
    graph.link([{ type: 'user_id', value: 'u1' }, { type: 'email', value: 'ana@example.com' }]);
    graph.link([{ type: 'email', value: 'ana@example.com' }, { type: 'discord', value: 'd-77' }]);
    graph.link([{ type: 'anonymous_id', value: 'a9' }]);
    expect(graph.profiles()).toEqual([
      { profileId: 'a9', ids: { anonymous_id: ['a9'] } },
      { profileId: 'u1', ids: { anonymous_id: ['a1'], discord: ['d-77'], email: ['ana@example.com'], user_id: ['u1'] } },
    ]);
    expect(graph.profileOf({ type: 'discord', value: 'd-77' })?.profileId).toBe('u1');
  });

  it('refuses a merge that would give one profile two user ids (a shared family email) and reports it', () => {
    const graph = createIdentityGraph();
    graph.link([{ type: 'user_id', value: 'mum' }, { type: 'email', value: 'family@example.com' }]);
    const conflicts = graph.link([{ type: 'user_id', value: 'kid' }, { type: 'email', value: 'family@example.com' }]);
    expect(conflicts.map((c) => c.type)).toEqual(['user_id']);
    expect(graph.profileOf({ type: 'user_id', value: 'kid' })?.profileId).toBe('kid');
    expect(graph.profileOf({ type: 'email', value: 'family@example.com' })?.profileId).toBe('mum');
    expect(graph.conflicts()).toHaveLength(1);
  });

  it('limits are configurable per type', () => {
    const graph = createIdentityGraph({ maxIdsPerType: { anonymous_id: 2 } });
    graph.link([{ type: 'user_id', value: 'u' }, { type: 'anonymous_id', value: 'a1' }]);
    graph.link([{ type: 'user_id', value: 'u' }, { type: 'anonymous_id', value: 'a2' }]);
    expect(graph.link([{ type: 'user_id', value: 'u' }, { type: 'anonymous_id', value: 'a3' }])).toHaveLength(1);
    expect(graph.profileOf({ type: 'user_id', value: 'u' })?.ids['anonymous_id']).toEqual(['a1', 'a2']);
    expect(() => createIdentityGraph({ maxIdsPerType: { email: 0 } })).toThrow(/maxIdsPerType/);
  });

  it('property: no profile ever exceeds a limit, and every linked id belongs to exactly one profile', () => {
    const id = fc.record({ type: fc.constantFrom('user_id', 'email', 'anonymous_id'), value: fc.constantFrom('1', '2', '3', '4', '5') });
    fc.assert(
      fc.property(fc.array(fc.array(id, { minLength: 1, maxLength: 4 }), { maxLength: 40 }), (links) => {
        const graph = createIdentityGraph({ maxIdsPerType: { user_id: 1, email: 2, anonymous_id: 3 } });
        for (const link of links) graph.link(link);
        const seen = new Map<string, string>();
        for (const profile of graph.profiles()) {
          expect((profile.ids['user_id'] ?? []).length).toBeLessThanOrEqual(1);
          expect((profile.ids['email'] ?? []).length).toBeLessThanOrEqual(2);
          expect((profile.ids['anonymous_id'] ?? []).length).toBeLessThanOrEqual(3);
          for (const [type, values] of Object.entries(profile.ids)) for (const value of values) {
            expect(seen.has(`${type}:${value}`)).toBe(false);
            seen.set(`${type}:${value}`, profile.profileId);
          }
        }
        expect(seen.size).toBe(new Set(links.flat().map((i) => `${i.type}:${i.value}`)).size);
      }),
    );
  });

  it('validates ids', async () => {
    await expectAlmanacError(() => createIdentityGraph().link([{ type: '', value: 'x' }]), { code: 'validation', field: 'ids.0.type' });
  });
});

describe('goldenRecord', () => {
  it('most trusted source wins per trait, then the newest', () => {
    const record = goldenRecord(
      [
        { traits: { email: 'crm@example.com', plan: 'free' }, timestampMs: 1, source: 'crm' },
        { traits: { email: 'app@example.com', plan: 'pro' }, timestampMs: 2, source: 'app' },
        { traits: { plan: 'team', nickname: null }, timestampMs: 3, source: 'app' },
      ],
      { sources: ['app', 'crm'], traits: { email: ['crm', 'app'] } },
    );
    expect(record).toEqual({ email: 'crm@example.com', nickname: null, plan: 'team' });
  });
});

describe('refreshProfiles and the timeline (DuckDB)', () => {
  it('unifies anonymous and known activity into one profile with a golden record and a timeline', async () => {
    const warehouse = createDuckDbWarehouse();
    await warehouse.ensureSchema();
    const collector = await createCollector({ outbox: createMemoryOutbox(), sinks: [createWarehouseSink(warehouse)] });
    await collector.page({ anonymousId: 'anon-1', name: 'Pricing', timestamp: '2026-11-01T10:00:00Z' });
    await collector.identify({ userId: 'u1', anonymousId: 'anon-1', traits: { plan: 'free', email: 'Ana@example.com' }, timestamp: '2026-11-01T10:05:00Z' });
    await collector.track({ userId: 'u1', event: 'Order Completed', properties: { revenue: 30 }, timestamp: '2026-11-02T09:00:00Z' });
    await collector.identify({ userId: 'u1', traits: { plan: 'pro', discord: 'd-1' }, timestamp: '2026-11-03T09:00:00Z' });
    await collector.identify({ userId: 'u2', traits: { email: 'ana@example.com' }, timestamp: '2026-11-04T09:00:00Z' });
    await collector.flush();
    const { profiles, conflicts } = await refreshProfiles(warehouse);
    const ana = profiles.find((p) => p.profileId === 'u1');
    expect(ana?.ids).toEqual({ anonymous_id: ['anon-1'], discord: ['d-1'], email: ['ana@example.com'], user_id: ['u1'] });
    expect(conflicts.map((c) => c.type)).toEqual(['user_id']); // u2 shares the email but stays separate
    const [row] = await warehouse.query({ sql: 'SELECT traits FROM profiles WHERE profile_id = $id', params: { id: 'u1' } });
    expect(JSON.parse(String(row?.['traits']))).toMatchObject({ plan: 'pro', email: 'Ana@example.com', discord: 'd-1' });
    const timeline = await profileTimeline(warehouse, ana as NonNullable<typeof ana>);
    expect(timeline.map((entry) => [entry.type, entry.event])).toEqual([
      ['identify', null],
      ['track', 'Order Completed'],
      ['identify', null],
      ['page', 'Pricing'],
    ]);
    await warehouse.close();
  });

  it('rewrites the identities table to the current graph: each id once, under its canonical profile; merged profiles are removed', async () => {
    const warehouse = createDuckDbWarehouse();
    await warehouse.ensureSchema();
    const collector = await createCollector({ outbox: createMemoryOutbox(), sinks: [createWarehouseSink(warehouse)] });
    const idsTable = async () =>
      (await warehouse.query({ sql: 'SELECT id_type, id_value, profile_id FROM identities ORDER BY id_type, id_value, profile_id', params: {} })).map((r) =>
        [r['id_type'], r['id_value'], r['profile_id']].join(' '),
      );
    const profileIds = async () => (await warehouse.query({ sql: 'SELECT profile_id FROM profiles ORDER BY profile_id', params: {} })).map((r) => r['profile_id']);

    // Before any merge: an anonymous visitor and a user who signed up on another device.
    await collector.page({ anonymousId: 'anon-1', name: 'Pricing', timestamp: '2026-11-01T10:00:00Z' });
    await collector.identify({ userId: 'u1', traits: { email: 'ana@example.com' }, timestamp: '2026-11-01T11:00:00Z' });
    await collector.track({ userId: 'old-9', event: 'Signed Up', timestamp: '2026-11-01T12:00:00Z' });
    await collector.flush();
    const rules = { maxIdsPerType: { user_id: 2 } }; // an alias joins two user ids
    await refreshProfiles(warehouse, { rules });
    expect(await profileIds()).toEqual(['anon-1', 'old-9', 'u1']);

    // The visitor logs in (identify links anon-1 to u1) and old-9 is aliased to u9.
    await collector.identify({ userId: 'u1', anonymousId: 'anon-1', timestamp: '2026-11-02T10:00:00Z' });
    await collector.alias({ userId: 'u9', previousId: 'old-9', timestamp: '2026-11-02T11:00:00Z' });
    await collector.flush();
    expect(await idsTable()).toContain('anonymous_id anon-1 anon-1'); // under its own profile, from the first refresh
    const result = await refreshProfiles(warehouse, { rules });
    expect(result.profiles.map((p) => p.profileId)).toEqual(['old-9', 'u1']);
    expect(result.identitiesRewritten).toBeGreaterThan(0);
    expect(result.profilesRemoved).toBe(1); // anon-1 was merged into u1
    expect(await profileIds()).toEqual(['old-9', 'u1']);
    // Every id exactly once, under the profile the graph puts it in (canonical: the smallest user id).
    expect(await idsTable()).toEqual([
      'anonymous_id anon-1 u1',
      'email ana@example.com u1',
      'previous_id old-9 old-9', // the alias stays an observation, resolved again by each refresh
      'user_id old-9 old-9',
      'user_id u1 u1',
      'user_id u9 old-9',
    ]);
    for (const profile of result.profiles) {
      const rows = await warehouse.query({ sql: 'SELECT id_type, id_value FROM identities WHERE profile_id = $p ORDER BY id_type, id_value', params: { p: profile.profileId } });
      const byType: Record<string, string[]> = {};
      for (const row of rows.filter((r) => r['id_type'] !== 'previous_id')) byType[String(row['id_type'])] = [...(byType[String(row['id_type'])] ?? []), String(row['id_value'])];
      expect(byType).toEqual(profile.ids);
    }

    // Idempotent: a second refresh over the rewritten table finds the same graph and changes nothing.
    const again = await refreshProfiles(warehouse, { rules });
    expect(again.profiles).toEqual(result.profiles);
    expect([again.identitiesRewritten, again.profilesRemoved]).toEqual([0, 0]);
    await warehouse.close();
  });
});
