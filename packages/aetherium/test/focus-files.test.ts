import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, listValue } from '@duckdb/node-api';
import { expectAlmanacError } from '@almanac/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { createFocusCostSource } from '../src/adapters/focus/index';
import type { DuckDbConnection, DuckDbModule } from '../src/adapters/focus/index';
import { createMemoryCostSource } from '../src/adapters/memory/index';
import { collectCosts } from '../src/facade/index';
import { parseFocusCsv } from '../src/model/csv';
import type { CostQuery } from '../src/spec';

const datasets = new URL('../../../datasets/focus/', import.meta.url).pathname;
const sample = join(datasets, 'focus_1.0_sample_1000rows.csv');
const examples = join(datasets, 'spec_v1.2_examples');
const dir = mkdtempSync(join(tmpdir(), 'aetherium-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const september: CostQuery = { range: { start: '2024-09-01', end: '2024-10-01' }, granularity: 'daily', groupBy: ['ServiceName', 'SubAccountId'] };

describe('the FOCUS sample (1,000 real rows, four providers)', () => {
  it('DuckDB and the JavaScript reference agree on every daily row', async () => {
    const viaDuckDb = await collectCosts(createFocusCostSource({ files: [sample] }).query(september));
    const viaJs = await collectCosts(createMemoryCostSource({ rows: parseFocusCsv(readFileSync(sample, 'utf8')) }).query(september));
    expect(viaDuckDb.length).toBeGreaterThan(100);
    expect(viaDuckDb.map((r) => [r.periodStart, r.groups, r.currency, r.listCost === null])).toEqual(viaJs.map((r) => [r.periodStart, r.groups, r.currency, r.listCost === null]));
    viaDuckDb.forEach((row, i) => {
      expect(row.billedCost).toBeCloseTo(viaJs[i]!.billedCost, 9);
    });
  });

  it('reads the NULL literal as null: rows without tags form the null tag group', async () => {
    const rows = await collectCosts(createFocusCostSource({ files: [sample] }).query({ ...september, granularity: 'monthly', groupBy: ['Tag:environment'] }));
    const values = rows.map((r) => r.groups['Tag:environment']);
    expect(values).toContain(null);
    expect(values).toContain('prod');
    expect(values).not.toContain('NULL');
  });

  it('reads Parquet as well as CSV, with the same totals', async () => {
    const parquet = join(dir, 'sample.parquet');
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    await connection.run(`COPY (SELECT * FROM read_csv('${sample.replace(/'/g, "''")}', header = true, nullstr = 'NULL')) TO '${parquet}' (FORMAT parquet)`);
    connection.closeSync();
    instance.closeSync();
    const monthly: CostQuery = { ...september, granularity: 'monthly', groupBy: [] };
    const [fromCsv] = await collectCosts(createFocusCostSource({ files: [sample] }).query(monthly));
    const [fromParquet] = await collectCosts(createFocusCostSource({ files: [parquet] }).query(monthly));
    expect(fromParquet?.billedCost).toBeCloseTo(fromCsv!.billedCost, 6);
    expect(fromParquet?.currency).toBe('USD');
  });
});

describe('the specification examples', () => {
  const file = join(examples, 'commitment_discount_flexibility__zero_percent_utilization_without_commitment_discount_flexibility.csv');
  const jan: CostQuery = { range: { start: '2023-01-01', end: '2023-02-01' }, granularity: 'monthly', groupBy: ['ChargeCategory'] };

  it('a file without BillingCurrency is refused naming the column, and read with defaultCurrency', async () => {
    const error = await expectAlmanacError(collectCosts(createFocusCostSource({ files: [file] }).query(jan)), { code: 'validation', field: 'files' });
    expect(error.message).toContain('BillingCurrency');
    const rows = await collectCosts(createFocusCostSource({ files: [file], defaultCurrency: 'USD' }).query(jan));
    // Purchase 1.50 billed; usage: 0 billed on the unused commitment + 2.00 on demand (lowercase null literals read as null).
    expect(rows.map((r) => [r.groups['ChargeCategory'], r.billedCost, r.effectiveCost])).toEqual([
      ['Purchase', 1.5, 0],
      ['Usage', 2, 3.5],
    ]);
  });
});

describe('date/times', () => {
  it('applies zone offsets: a charge at 01:30+02:00 belongs to the previous UTC day', async () => {
    const file = join(dir, 'offsets.csv');
    await import('node:fs').then((fs) =>
      fs.writeFileSync(
        file,
        'ChargePeriodStart,ChargePeriodEnd,BilledCost,EffectiveCost,BillingCurrency\n2024-09-02T01:30:00+02:00,2024-09-02T02:30:00+02:00,1,1,USD\n2024-09-02T01:30:00Z,2024-09-02T02:30:00Z,2,2,USD\n2024-09-01 23:00:00,2024-09-02 00:00:00,4,4,USD\n',
      ),
    );
    const rows = await collectCosts(createFocusCostSource({ files: [file] }).query({ range: { start: '2024-09-01', end: '2024-09-03' }, granularity: 'daily', groupBy: [] }));
    expect(rows.map((r) => [r.periodStart.slice(0, 10), r.billedCost])).toEqual([
      ['2024-09-01', 5],
      ['2024-09-02', 2],
    ]);
  });
});

describe('date/times in other layouts and zones', () => {
  const header = 'ChargePeriodStart,ChargePeriodEnd,BilledCost,EffectiveCost,BillingCurrency\n';
  const twoDays: CostQuery = { range: { start: '2024-09-01', end: '2024-09-03' }, granularity: 'daily', groupBy: [] };
  const byDay = (rows: { periodStart: string; billedCost: number }[]) => rows.map((r) => [r.periodStart.slice(0, 10), r.billedCost]);

  // A DuckDB whose sessions start in New York, as on a host in that zone (the default session
  // zone is the host's): the source must read FOCUS date/times as UTC all the same.
  const newYork: DuckDbModule = {
    listValue,
    DuckDBInstance: {
      create: async (path?: string) => {
        const instance = await DuckDBInstance.create(path);
        return {
          connect: async () => {
            const connection = await instance.connect();
            await connection.run("SET TimeZone = 'America/New_York'");
            // The real connection, typed as the structural slice the source declares.
            return connection as unknown as DuckDbConnection;
          },
          closeSync: () => instance.closeSync(),
        };
      },
    },
  };

  it('a file whose first value has no offset still applies a later offset (the strict layout gives way)', async () => {
    const file = join(dir, 'plain-first.csv');
    writeFileSync(file, `${header}2024-09-01 23:00:00,2024-09-02 00:00:00,4,4,USD\n2024-09-02 00:00:00,2024-09-02 01:00:00,8,8,USD\n2024-09-02T01:30:00+02:00,2024-09-02T02:30:00+02:00,1,1,USD\n2024-09-02T01:30:00Z,2024-09-02T02:30:00Z,2,2,USD\n`);
    const rows = await collectCosts(createFocusCostSource({ files: [file] }).query(twoDays));
    expect(byDay(rows)).toEqual([
      ['2024-09-01', 5],
      ['2024-09-02', 10],
    ]);
  });

  it('offset-free text is UTC whatever the session zone DuckDB starts with', async () => {
    const file = join(dir, 'zones.csv');
    // The first value has an offset, so the reader parses the column as TIMESTAMPTZ; the plain
    // values after it (23:00 on the 1st) would land on the 2nd if read as New York time.
    writeFileSync(file, `${header}2024-09-02T01:30:00+02:00,2024-09-02T02:30:00+02:00,1,1,USD\n2024-09-01 23:00:00,2024-09-02 00:00:00,4,4,USD\n2024-09-02 00:00:00,2024-09-02 01:00:00,8,8,USD\n`);
    const rows = await collectCosts(createFocusCostSource({ files: [file], duckdb: newYork }).query(twoDays));
    expect(byDay(rows)).toEqual([
      ['2024-09-01', 5],
      ['2024-09-02', 8],
    ]);
  });

  it('a Parquet TIMESTAMPTZ column, alone and next to a CSV file, is bounded and truncated in UTC', async () => {
    const csv = join(dir, 'plain.csv');
    writeFileSync(csv, `${header}2024-09-01 00:00:00,2024-09-01 01:00:00,1,1,USD\n2024-09-01 23:30:00,2024-09-02 00:30:00,2,2,USD\n2024-09-02 23:59:59,2024-09-03 00:59:59,4,4,USD\n2024-09-03 00:00:00,2024-09-03 01:00:00,16,16,USD\n`);
    const parquet = join(dir, 'zoned.parquet');
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    await connection.run("SET TimeZone = 'UTC'");
    await connection.run(`COPY (SELECT CAST(ChargePeriodStart AS TIMESTAMPTZ) AS ChargePeriodStart, BilledCost, EffectiveCost, BillingCurrency FROM read_csv('${csv}', header = true)) TO '${parquet}' (FORMAT parquet)`);
    const described = (await connection.runAndReadAll(`DESCRIBE SELECT * FROM '${parquet}'`)).getRowObjectsJS();
    connection.closeSync();
    instance.closeSync();
    expect(described.find((row) => row['column_name'] === 'ChargePeriodStart')?.['column_type']).toBe('TIMESTAMP WITH TIME ZONE');
    const alone = await collectCosts(createFocusCostSource({ files: [parquet], duckdb: newYork }).query(twoDays));
    expect(byDay(alone)).toEqual([
      ['2024-09-01', 3],
      ['2024-09-02', 4],
    ]);
    const mixed = await collectCosts(createFocusCostSource({ files: [csv, parquet], duckdb: newYork }).query(twoDays));
    expect(byDay(mixed)).toEqual([
      ['2024-09-01', 6],
      ['2024-09-02', 8],
    ]);
  });
});

describe('errors', () => {
  it('a missing file is a NotFoundError naming the provider', () =>
    expectAlmanacError(collectCosts(createFocusCostSource({ files: [join(dir, 'missing.csv')] }).query(september)), { code: 'not_found', provider: 'focus' }));

  it('a file that is not FOCUS data is refused naming the missing columns', async () => {
    const other = join(dir, 'other.csv');
    await import('node:fs').then((fs) => fs.writeFileSync(other, 'a,b\n1,2\n'));
    const error = await expectAlmanacError(collectCosts(createFocusCostSource({ files: [other] }).query(september)), { code: 'validation', field: 'files' });
    expect(error.message).toContain('BilledCost');
  });

  it('bad options name the field', () => {
    expect(() => createFocusCostSource({ files: [] })).toThrow(/options\.files/);
    expect(() => createFocusCostSource({ files: ['costs.xlsx'] })).toThrow(/options\.files\.0/);
    expect(() => createFocusCostSource({ files: ['a.csv'], defaultCurrency: 'usd' })).toThrow(/options\.defaultCurrency/);
  });
});
