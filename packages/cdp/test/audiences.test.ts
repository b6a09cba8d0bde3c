import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expectAlmanacError } from '@almanac/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDuckDbWarehouse } from '../src/adapters/duckdb/index';
import type { Audience, CdpMessage, CdpSink, EventRow, Warehouse } from '../src/index';
import { audienceMembers, compileAudience, exportAudience } from '../src/index';
import { AS_OF, AUDIENCES } from './golden/audiences';

const DAY = 86_400_000;
const golden = (name: string) => readFileSync(fileURLToPath(new URL(`golden/${name}.bigquery.sql`, import.meta.url)), 'utf8').trim();

const order = (id: string, profile: string, daysAgo: number, event = 'Order Completed'): EventRow => ({
  messageId: id,
  type: 'track',
  event,
  profileId: profile,
  userId: profile,
  anonymousId: null,
  timestampMs: AS_OF - daysAgo * DAY,
  revenue: 10,
  properties: '{}',
});

describe('audiences', () => {
  let warehouse: Warehouse;
  beforeAll(async () => {
    warehouse = createDuckDbWarehouse();
    await warehouse.ensureSchema();
    await warehouse.load({
      profiles: [
        { profileId: 'ana', traits: JSON.stringify({ plan: 'pro', age: 34, vip: true }), updatedMs: 1 },
        { profileId: 'ben', traits: JSON.stringify({ plan: 'free', age: 17, twitch: 'ben_tv' }), updatedMs: 1 },
        { profileId: 'cy', traits: JSON.stringify({ plan: 'pro', age: 'unknown' }), updatedMs: 1 },
        { profileId: 'dee', traits: JSON.stringify({ plan: "pro' OR '1'='1" }), updatedMs: 1 },
      ],
      events: [
        order('e1', 'ana', 3),
        order('e2', 'ana', 10),
        order('e3', 'ben', 5),
        order('e4', 'ben', 45), // outside the 30-day window
        order('e5', 'cy', 1),
        order('e6', 'cy', 2),
        order('e7', 'cy', 3),
        order('e8', 'dee', 1, 'Page Viewed'),
        order('e9', 'eve', -1), // after asOf: not counted
      ],
      predictions: [
        { profileId: 'ana', churnProbability: 0.7, churnCategory: 'high', expectedPurchases: 2, predictedLtv: 300, ltvSegment: 'top', computedMs: 1 },
        { profileId: 'ben', churnProbability: 0.4, churnCategory: 'medium', expectedPurchases: 1, predictedLtv: 150, ltvSegment: 'high', computedMs: 1 },
        { profileId: 'cy', churnProbability: 0.1, churnCategory: 'low', expectedPurchases: 3, predictedLtv: 500, ltvSegment: 'top', computedMs: 1 },
      ],
    });
  });
  afterAll(() => warehouse.close());

  const members = (audience: Audience) => audienceMembers(warehouse, audience, { asOf: new Date(AS_OF) });

  it.each([
    ['pro_plan', ['ana', 'cy']],
    ['frequent_buyers', ['ana', 'cy']],
    ['high_value_at_risk', ['ben']],
    ['adults_or_gamers', ['ana', 'ben']],
  ])('%s: DuckDB members, and the BigQuery SQL matches its golden file', async (name, expected) => {
    const audience = AUDIENCES[name] as Audience;
    expect(await members(audience)).toEqual(expected);
    const bigquery = compileAudience(audience, { dialect: 'bigquery', asOfMs: AS_OF, qualify: (table) => `\`proj.cdp.${table}\`` });
    const duck = compileAudience(audience, { dialect: 'duckdb', asOfMs: AS_OF });
    expect(`${bigquery.sql}\n-- params: ${JSON.stringify(bigquery.params)}`).toBe(golden(name));
    // Same parameters, same structure: only placeholders, JSON functions, casts and table names differ
    // (test/audience-dialects.test.ts runs both statements on random data).
    expect(bigquery.params).toEqual(duck.params);
    const normalise = (sql: string) =>
      sql
        .replace(/[$@](p\d+)/g, ':$1')
        .replace(/json_extract_string\(json_value\(([^)]*)\), '\$'\)/g, 'JSON($1)')
        .replace(/JSON_VALUE/g, 'JSON')
        .replace(/TRY_CAST|SAFE_CAST/g, 'CAST')
        .replace(/DOUBLE|FLOAT64/g, 'NUMBER')
        .replace(/`proj\.cdp\.(\w+)`/g, '$1');
    expect(normalise(bigquery.sql)).toBe(normalise(duck.sql));
  });

  const PAYLOADS = ["x' OR '1'='1", "'; DROP TABLE events; --", 'plan") OR 1=1 --', '$.plan', "a'||(SELECT 1)||'", '\\u0027 OR 1=1'];

  it.each(PAYLOADS)('an injection payload as a trait name is refused: %s', async (payload) => {
    await expectAlmanacError(() => compileAudience({ name: 'x', where: { kind: 'trait', trait: payload, op: 'exists' } }, { dialect: 'duckdb', asOfMs: AS_OF }), {
      code: 'validation',
      field: 'audience.where.trait',
    });
    await expectAlmanacError(() => compileAudience({ name: payload, where: { kind: 'trait', trait: 'plan', op: 'exists' } }, { dialect: 'bigquery', asOfMs: AS_OF }), {
      code: 'validation',
      field: 'audience.name',
    });
  });

  it.each(PAYLOADS)('an injection payload as a value or event name is inert: %s', async (payload) => {
    const conditions: Audience['where'][] = [
      { kind: 'trait', trait: 'plan', op: 'eq', value: payload },
      { kind: 'trait', trait: 'plan', op: 'contains', value: payload },
      { kind: 'trait', trait: 'plan', op: 'in', values: [payload, 'nobody'] },
      { kind: 'eventCount', event: payload, op: 'gte', count: 1, withinDays: 365 },
      { kind: 'prediction', field: 'ltvSegment', op: 'eq', value: payload },
    ];
    for (const where of conditions) {
      // The payload changes only the parameters, never the statement.
      const benign = JSON.parse(JSON.stringify(where).split(JSON.stringify(payload).slice(1, -1)).join('benign')) as Audience['where'];
      const compiled = compileAudience({ name: 'probe', where }, { dialect: 'duckdb', asOfMs: AS_OF });
      expect(compiled.sql).toBe(compileAudience({ name: 'probe', where: benign }, { dialect: 'duckdb', asOfMs: AS_OF }).sql);
      expect(Object.values(compiled.params)).toContain(payload);
      expect(await members({ name: 'probe', where })).toEqual([]);
    }
    expect(await members(AUDIENCES['pro_plan'] as Audience)).toEqual(['ana', 'cy']);
    const [count] = await warehouse.query({ sql: 'SELECT COUNT(*) AS n FROM events', params: {} });
    expect(count?.['n']).toBe(9);
  });

  it('matches a stored value that itself looks like an injection, exactly', async () => {
    expect(await members({ name: 'odd', where: { kind: 'trait', trait: 'plan', op: 'eq', value: "pro' OR '1'='1" } })).toEqual(['dee']);
  });

  it('exportAudience sends one identify per member with the audience trait, idempotent per snapshot', async () => {
    const sent: CdpMessage[] = [];
    const sink: CdpSink = {
      name: 'capture',
      async deliver(messages) {
        sent.push(...messages);
        return { rejected: [] };
      },
    };
    const result = await exportAudience(warehouse, AUDIENCES['pro_plan'] as Audience, sink, { asOf: new Date(AS_OF) });
    await exportAudience(warehouse, AUDIENCES['pro_plan'] as Audience, sink, { asOf: new Date(AS_OF) });
    expect(result).toEqual({ trait: 'pro_plan', members: ['ana', 'cy'] });
    expect(sent.map((m) => [m.type, m.userId, m.type === 'identify' ? m.traits : undefined])).toEqual([
      ['identify', 'ana', { pro_plan: true }],
      ['identify', 'cy', { pro_plan: true }],
      ['identify', 'ana', { pro_plan: true }],
      ['identify', 'cy', { pro_plan: true }],
    ]);
    expect(sent[0]?.messageId).toBe(sent[2]?.messageId);
    expect(sent[0]?.messageId).not.toBe(sent[1]?.messageId);
  });
});
