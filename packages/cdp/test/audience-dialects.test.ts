// Does the audience compiled for BigQuery select the same members as the one compiled for
// DuckDB? There is no BigQuery here (no emulator, no network), so the evidence has three parts:
// 1. The two compilers emit the same statement up to a fixed, written-down mapping of the few
//    BigQuery-only spellings (`toDuckDbSpelling` below); the test checks that after the mapping
//    the texts are identical and that nothing BigQuery-specific is left.
// 2. Each mapped function is replaced by a DuckDB expression with the semantics BigQuery
//    documents for it (cited below), so the mapped BigQuery statement can run on DuckDB.
// 3. On random audiences over random data, the DuckDB statement, the mapped BigQuery statement
//    and an independent reference evaluator of the audience language agree on the members.
// What this cannot prove: that BigQuery itself evaluates the shared SQL (EXISTS, COUNT, NULL
// logic, string comparison, parameter typing) and the mapped functions exactly as documented.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDuckDbWarehouse } from '../src/adapters/duckdb/index';
import type { Audience, AudienceCondition, ComparisonOperator, EventRow, PredictionRow, ProfileRow, TraitComparison, Warehouse } from '../src/index';
import { compileAudience } from '../src/index';

const DAY = 86_400_000;
const AS_OF = Date.UTC(2026, 11, 1);

/**
 * BigQuery spelling → DuckDB spelling. Each rule and the BigQuery semantics it relies on:
 * - `@name` → `$name`: named query parameters
 *   (https://cloud.google.com/bigquery/docs/parameterized-queries).
 * - `JSON_VALUE(json, path)` → `json_extract_string(json_value(json, path), '$')`: BigQuery's
 *   JSON_VALUE "extracts a JSON scalar value and converts it to a SQL STRING value", removing the
 *   outermost quotes, and "returns a SQL NULL if a non-scalar value is selected"
 *   (https://cloud.google.com/bigquery/docs/reference/standard-sql/json_functions#json_value).
 * - `SAFE_CAST(x AS FLOAT64)` → `TRY_CAST(x AS DOUBLE)`: NULL instead of an error when the text is
 *   not a number (https://cloud.google.com/bigquery/docs/reference/standard-sql/conversion_functions#safe_casting).
 */
function toDuckDbSpelling(sql: string): string {
  return sql
    .replace(/@(p\d+)\b/g, '$$$1')
    .replace(/JSON_VALUE\((t\.traits), ('\$\.[A-Za-z_][A-Za-z0-9_]*')\)/g, "json_extract_string(json_value($1, $2), '$$')")
    .replace(/SAFE_CAST\((.+?) AS FLOAT64\)/g, 'TRY_CAST($1 AS DOUBLE)');
}

// ---- random data -------------------------------------------------------------------------
const IDS = ['ana', 'ben', 'cy', 'dee', 'eve', 'fay'];
const TRAITS = ['plan', 'age', 'vip', 'tags'];
const STRINGS = ['pro', 'free', 'Pro', 'pro plus', 'é', '42', '7.5', "o'hara"];
const EVENTS = ['Order Completed', 'Page Viewed'];
const CATEGORIES = ['low', 'medium', 'high', 'one-time'];

const traitValue = fc.oneof(
  fc.constantFrom(...STRINGS),
  fc.integer({ min: -5, max: 60 }),
  fc.integer({ min: -10, max: 120 }).map((n) => n / 2),
  fc.boolean(),
  fc.constant(null),
  fc.constant({ nested: 1 }),
  fc.constant(['a', 'b']),
);
const dataset = fc.record({
  profiles: fc.uniqueArray(
    fc.record({ id: fc.constantFrom(...IDS), traits: fc.dictionary(fc.constantFrom(...TRAITS), traitValue, { maxKeys: 4 }) }),
    { selector: (p) => p.id, maxLength: 6 },
  ),
  events: fc.array(fc.record({ id: fc.constantFrom(...IDS), event: fc.constantFrom(...EVENTS), daysAgo: fc.integer({ min: -2, max: 40 }) }), { maxLength: 25 }),
  predictions: fc.uniqueArray(
    fc.record({
      id: fc.constantFrom(...IDS),
      churn: fc.option(fc.integer({ min: 0, max: 10 }).map((n) => n / 10), { nil: null }),
      category: fc.constantFrom(...CATEGORIES),
      ltv: fc.integer({ min: 0, max: 500 }),
      segment: fc.constantFrom('top', 'high', 'medium', 'low'),
    }),
    { selector: (p) => p.id, maxLength: 6 },
  ),
});
type Dataset = typeof dataset extends fc.Arbitrary<infer T> ? T : never;

const op = fc.constantFrom<ComparisonOperator>('eq', 'neq', 'gt', 'gte', 'lt', 'lte');
const scalar = fc.oneof(fc.constantFrom(...STRINGS), fc.integer({ min: -5, max: 60 }), fc.integer({ min: -10, max: 120 }).map((n) => n / 2), fc.boolean());
const leaf: fc.Arbitrary<AudienceCondition> = fc.oneof(
  fc.record({ kind: fc.constant('trait' as const), trait: fc.constantFrom(...TRAITS), op, value: scalar }),
  fc.record({ kind: fc.constant('trait' as const), trait: fc.constantFrom(...TRAITS), op: fc.constant('in' as const), values: fc.array(scalar, { minLength: 1, maxLength: 3 }) }),
  fc.record({ kind: fc.constant('trait' as const), trait: fc.constantFrom(...TRAITS), op: fc.constant('contains' as const), value: fc.constantFrom('pro', 'e', '4', 'é') }),
  fc.record({ kind: fc.constant('trait' as const), trait: fc.constantFrom(...TRAITS), op: fc.constantFrom('exists' as const, 'missing' as const) }),
  fc.record({ kind: fc.constant('eventCount' as const), event: fc.constantFrom(...EVENTS), op, count: fc.integer({ min: 0, max: 4 }), withinDays: fc.constantFrom(1, 7, 30, 0.5) }),
  fc.record({ kind: fc.constant('prediction' as const), field: fc.constantFrom('churnProbability' as const, 'predictedLtv' as const), op, value: fc.integer({ min: 0, max: 500 }).map((n) => n / 10) }),
  fc.record({ kind: fc.constant('prediction' as const), field: fc.constantFrom('churnCategory' as const, 'ltvSegment' as const), op: fc.constantFrom('eq' as const, 'neq' as const), value: fc.constantFrom(...CATEGORIES, 'top') }),
  fc.record({ kind: fc.constant('prediction' as const), field: fc.constant('churnCategory' as const), op: fc.constant('in' as const), values: fc.array(fc.constantFrom(...CATEGORIES), { minLength: 1, maxLength: 3 }) }),
);
const condition: fc.Arbitrary<AudienceCondition> = fc.letrec<{ c: AudienceCondition }>((tie) => ({
  c: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.record({ kind: fc.constantFrom('and' as const, 'or' as const), conditions: fc.array(tie('c'), { minLength: 1, maxLength: 3 }) }),
    fc.record({ kind: fc.constant('not' as const), condition: tie('c') }),
  ),
})).c;

// ---- reference evaluator: the audience language's meaning, written without SQL ----------------
/** BigQuery's JSON_VALUE of a trait: scalars as text, everything else (and absent) null. */
function jsonValue(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return JSON.stringify(value);
  return null;
}
const compare = <T extends string | number>(a: T, b: T, how: ComparisonOperator): boolean =>
  how === 'eq' ? a === b : how === 'neq' ? a !== b : how === 'gt' ? a > b : how === 'gte' ? a >= b : how === 'lt' ? a < b : a <= b;
// Numbers as the engines cast text: plain decimal text only (the generated traits never hold other forms).
const asNumber = (text: string | null): number | null => (text !== null && /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : null);
const asText = (value: string | number | boolean): string => (typeof value === 'string' ? value : String(value));

function expectedMembers(data: Dataset, where: AudienceCondition): string[] {
  const everyone = new Set([...data.profiles.map((p) => p.id), ...data.events.map((e) => e.id), ...data.predictions.map((p) => p.id)]);
  const holds = (id: string, c: AudienceCondition): boolean => {
    switch (c.kind) {
      case 'and':
        return c.conditions.every((x) => holds(id, x));
      case 'or':
        return c.conditions.some((x) => holds(id, x));
      case 'not':
        return !holds(id, c.condition);
      case 'trait': {
        const profile = data.profiles.find((p) => p.id === id);
        if (!profile) return c.op === 'missing';
        const text = jsonValue(profile.traits[c.trait]);
        if (c.op === 'exists' || c.op === 'missing') return c.op === 'exists' ? text !== null : text === null;
        if (text === null) return false;
        if (c.op === 'contains') return text.includes(c.value);
        if (c.op === 'in') return c.values.some((v) => asText(v) === text);
        // The remaining trait conditions are comparisons (TypeScript does not narrow `op` here).
        const comparison = c as TraitComparison;
        if (typeof comparison.value === 'number') {
          const n = asNumber(text);
          return n !== null && compare(n, comparison.value, comparison.op);
        }
        return compare(text, asText(comparison.value), comparison.op);
      }
      case 'eventCount': {
        const since = AS_OF - Math.round(c.withinDays * DAY);
        const count = data.events.filter((e) => e.id === id && e.event === c.event && AS_OF - e.daysAgo * DAY >= since && AS_OF - e.daysAgo * DAY < AS_OF).length;
        return compare(count, c.count, c.op);
      }
      case 'prediction': {
        const p = data.predictions.find((x) => x.id === id);
        if (!p) return false;
        if (c.field === 'churnCategory' || c.field === 'ltvSegment') {
          const value = c.field === 'churnCategory' ? p.category : p.segment;
          return c.op === 'in' ? c.values.includes(value) : compare(value, c.value as string, c.op);
        }
        const value = c.field === 'churnProbability' ? p.churn : p.ltv;
        return value !== null && compare(value, (c as { readonly value: number }).value, c.op as ComparisonOperator);
      }
    }
  };
  return [...everyone].filter((id) => holds(id, where)).sort();
}

describe('the BigQuery audience selects the same members as the DuckDB one', () => {
  let warehouse: Warehouse;
  beforeAll(async () => {
    warehouse = createDuckDbWarehouse();
    await warehouse.ensureSchema();
  });
  afterAll(() => warehouse.close());

  async function load(data: Dataset): Promise<void> {
    for (const table of ['profiles', 'events', 'predictions']) await warehouse.query({ sql: `DELETE FROM ${table}`, params: {} });
    const profiles: ProfileRow[] = data.profiles.map((p) => ({ profileId: p.id, traits: JSON.stringify(p.traits), updatedMs: 1 }));
    const events: EventRow[] = data.events.map((e, i) => ({
      messageId: `m${i}`,
      type: 'track',
      event: e.event,
      profileId: e.id,
      userId: e.id,
      anonymousId: null,
      timestampMs: AS_OF - e.daysAgo * DAY,
      revenue: null,
      properties: '{}',
    }));
    const predictions: PredictionRow[] = data.predictions.map((p) => ({
      profileId: p.id,
      churnProbability: p.churn,
      churnCategory: p.category,
      expectedPurchases: 1,
      predictedLtv: p.ltv,
      ltvSegment: p.segment,
      computedMs: 1,
    }));
    await warehouse.load({ profiles, events, predictions });
  }

  async function run(query: { sql: string; params: Readonly<Record<string, string | number | boolean | null>> }): Promise<string[]> {
    return (await warehouse.query(query)).map((row) => String(row['profile_id']));
  }

  it('the two compilers differ only by the mapped spellings', () => {
    fc.assert(
      fc.property(condition, (where) => {
        const audience: Audience = { name: 'a', where };
        const duck = compileAudience(audience, { dialect: 'duckdb', asOfMs: AS_OF });
        const bq = compileAudience(audience, { dialect: 'bigquery', asOfMs: AS_OF });
        expect(bq.params).toEqual(duck.params);
        expect(toDuckDbSpelling(bq.sql)).toBe(duck.sql);
        expect(bq.sql).not.toMatch(/\$p\d|json_extract_string|TRY_CAST|DOUBLE/);
      }),
      { numRuns: 300, seed: 1203 },
    );
  });

  it('property: on random data, DuckDB, the mapped BigQuery statement and the reference evaluator agree', async () => {
    await fc.assert(
      fc.asyncProperty(dataset, condition, async (data, where) => {
        await load(data);
        const audience: Audience = { name: 'a', where };
        const expected = expectedMembers(data, where);
        const duck = compileAudience(audience, { dialect: 'duckdb', asOfMs: AS_OF });
        const bq = compileAudience(audience, { dialect: 'bigquery', asOfMs: AS_OF });
        expect(await run(duck)).toEqual(expected);
        expect(await run({ sql: toDuckDbSpelling(bq.sql), params: bq.params })).toEqual(expected);
      }),
      { numRuns: 60, seed: 20261203 },
    );
  }, 120_000);

  it('object, array and null traits count as missing on both engines, as BigQuery JSON_VALUE has it', async () => {
    const data: Dataset = {
      profiles: [
        { id: 'ana', traits: { tags: ['a', 'b'] } },
        { id: 'ben', traits: { tags: { nested: 1 } } },
        { id: 'cy', traits: { tags: null } },
        { id: 'dee', traits: { tags: 'vip' } },
      ],
      events: [],
      predictions: [],
    };
    await load(data);
    const audience: Audience = { name: 'tagged', where: { kind: 'trait', trait: 'tags', op: 'exists' } };
    const bq = compileAudience(audience, { dialect: 'bigquery', asOfMs: AS_OF });
    expect(await run(compileAudience(audience, { dialect: 'duckdb', asOfMs: AS_OF }))).toEqual(['dee']);
    expect(await run({ sql: toDuckDbSpelling(bq.sql), params: bq.params })).toEqual(['dee']);
    expect(expectedMembers(data, audience.where)).toEqual(['dee']);
  });
});
