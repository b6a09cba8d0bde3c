// The FOCUS query builder (DuckDB) against the JavaScript reference (the memory cost source, which
// shares no SQL) on the FOCUS sample, for every shape of request the builder has a branch for:
// each dimension and a tag as group and as filter, hourly/daily/monthly periods, range bounds
// on a charge's exact start, several filter values. Plus the BigQuery builder's parameters and
// allow-lists, which the DuckDB run of its SQL in gcp.test.ts does not pin.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createFocusCostSource } from '../src/adapters/focus/index';
import { buildAggregation, timestampParam } from '../src/adapters/focus/sql';
import { BIGQUERY_DIALECT, buildBillingAggregation } from '../src/adapters/gcp/sql';
import { createMemoryCostSource } from '../src/adapters/memory/index';
import { collectCosts } from '../src/facade/index';
import { parseFocusCsv } from '../src/model/csv';
import type { CostQuery, CostRow, CostSourceRequest } from '../src/spec';

const sample = join(new URL('../../../datasets/focus/', import.meta.url).pathname, 'focus_1.0_sample_1000rows.csv');
const rows = parseFocusCsv(readFileSync(sample, 'utf8'));
const focus = createFocusCostSource({ files: [sample] });
const memory = createMemoryCostSource({ rows });

const round = (row: CostRow) => ({
  ...row,
  billedCost: Math.round(row.billedCost * 1e6) / 1e6,
  effectiveCost: Math.round(row.effectiveCost * 1e6) / 1e6,
  listCost: row.listCost === null ? null : Math.round(row.listCost * 1e6) / 1e6,
});

const september = { start: '2024-09-01', end: '2024-10-01' };

describe('FOCUS SQL against the JavaScript reference', () => {
  const queries: Array<[string, CostQuery]> = [
    ['monthly by every dimension', { range: september, granularity: 'monthly', groupBy: ['ServiceName', 'ServiceCategory', 'SubAccountId', 'RegionId', 'ChargeCategory'] }],
    ['hourly, ungrouped, one day', { range: { start: '2024-09-18', end: '2024-09-19' }, granularity: 'hourly', groupBy: [] }],
    ['daily by a tag', { range: september, granularity: 'daily', groupBy: ['Tag:environment'] }],
    ['filtered on two regions and a category', { range: september, granularity: 'monthly', groupBy: ['RegionId'], filter: { RegionId: ['us-west-2', 'us-east-1'], ServiceCategory: ['Compute', 'Storage', 'Databases'] } }],
    ['filtered on a tag value', { range: september, granularity: 'monthly', groupBy: ['ServiceName'], filter: { tags: { environment: ['prod'] } } }],
    ['filtered on account, service and charge category', { range: september, granularity: 'daily', groupBy: [], filter: { SubAccountId: [String(rows[0]?.SubAccountId)], ServiceName: [String(rows[0]?.ServiceName)], ChargeCategory: ['Usage'] } }],
    // The range starts exactly on a charge's start (inclusive) and ends on another's (exclusive).
    ['bounds on exact charge starts', { range: { start: '2024-09-18T22:00:00Z', end: '2024-09-19T05:00:00Z' }, granularity: 'hourly', groupBy: ['ServiceName'] }],
  ];

  it.each(queries)('%s', async (_name, query) => {
    const viaSql = (await collectCosts(focus.query(query))).map(round);
    const viaJs = (await collectCosts(memory.query(query))).map(round);
    expect(viaSql.length, 'the query selects something').toBeGreaterThan(0);
    expect(viaSql).toEqual(viaJs);
  });
});

describe('buildAggregation', () => {
  const request = (extra: Partial<CostSourceRequest> = {}): CostSourceRequest => ({ start: '2024-09-01T00:00:00Z', end: '2024-10-01T00:00:00Z', granularity: 'daily', groupBy: [], filter: {}, ...extra });
  const columns = new Map([
    ['ChargePeriodStart', 'VARCHAR'],
    ['BilledCost', 'DOUBLE'],
  ]);

  it('passes every value as a parameter, in order, and refuses keys outside the allow-list', () => {
    const { sql, params } = buildAggregation(request({ groupBy: ['Tag:team'], filter: { RegionId: ['r1', 'r2'], tags: { env: ['prod'] } } }), columns, { defaultCurrency: 'EUR' });
    expect(params).toEqual({ p0: 'EUR', p1: '2024-09-01 00:00:00', p2: '2024-10-01 00:00:00', p3: 'r1', p4: 'r2', p5: '$."env"', p6: 'prod', p7: '$."team"' });
    expect(sql).toContain('CAST($p0 AS VARCHAR) AS currency');
    expect(sql).toContain('CAST(NULL AS VARCHAR) IN ($p3, $p4)');
    expect(sql).toContain('json_extract_string(CAST(NULL AS JSON), $p5) IN ($p6)');
    expect(sql).toContain('AS g0');
    expect(sql).toMatch(/GROUP BY period, g0, currency$/);
    expect(() => buildAggregation(request({ groupBy: ['Nope' as never] }), columns, {})).toThrow(new TypeError('dimension outside the allow-list'));
    expect(() => buildAggregation(request({ groupBy: ['Tag:a"b'] }), columns, {})).toThrow(new TypeError('tag key outside the allowed alphabet'));
    expect(() => buildAggregation(request({ filter: { tags: { 'a\\b': ['x'] } } }), columns, {})).toThrow(TypeError);
    // No currency column and no default: NULL, and no parameter spent on it.
    expect(buildAggregation(request(), columns, {}).params).toEqual({ p0: '2024-09-01 00:00:00', p1: '2024-10-01 00:00:00' });
  });

  it('writes bounds as DuckDB timestamps, with +00 for a zoned column', () => {
    expect(timestampParam('2024-09-01T10:20:30Z')).toBe('2024-09-01 10:20:30');
    expect(timestampParam('2024-09-01T10:20:30.123Z', true)).toBe('2024-09-01 10:20:30.123+00');
    expect(timestampParam('2024-09-01T10:20:30')).toBe('2024-09-01 10:20:30');
  });
});

describe('buildBillingAggregation', () => {
  const request = (extra: Partial<CostSourceRequest> = {}): CostSourceRequest => ({ start: '2024-09-01T00:00:00Z', end: '2024-09-03T00:00:00Z', granularity: 'monthly', groupBy: [], filter: {}, ...extra });

  it('binds the range, the partition range widened by the slack, filters and tag keys as parameters', () => {
    const { sql, params } = buildBillingAggregation(request({ groupBy: ['ServiceName', 'Tag:team'], filter: { SubAccountId: ['p1'], tags: { env: ['prod', 'dev'] } } }), '`proj.ds.t`', 2);
    expect(params).toEqual({
      start0: new Date('2024-09-01T00:00:00Z'),
      end1: new Date('2024-09-03T00:00:00Z'),
      partition_start2: new Date('2024-08-30T00:00:00Z'),
      partition_end3: new Date('2024-09-05T00:00:00Z'),
      f4: ['p1'],
      p5: 'env',
      f6: ['prod', 'dev'],
      p7: 'team',
    });
    expect(sql).toContain('TIMESTAMP_TRUNC(usage_start_time, MONTH) AS period');
    expect(sql).toContain('_PARTITIONTIME >= @partition_start2');
    expect(sql).toContain('usage_start_time < @end1');
    expect(sql).toContain('project.id IN UNNEST(@f4)');
    expect(sql).toContain('FROM `proj.ds.t`');
    expect(sql).toMatch(/GROUP BY period, g0, g1, currency$/);
    expect(BIGQUERY_DIALECT.trunc('x', 'HOUR')).toBe('TIMESTAMP_TRUNC(x, HOUR)');
  });

  it('refuses a dimension the export does not have and a tag key outside the alphabet', () => {
    expect(() => buildBillingAggregation(request({ groupBy: ['ServiceCategory'] }), 't', 1)).toThrow(new TypeError('dimension outside the allow-list'));
    expect(() => buildBillingAggregation(request({ filter: { tags: { "x'": ['a'] } } }), 't', 1)).toThrow(new TypeError('tag key outside the allowed alphabet'));
  });
});
