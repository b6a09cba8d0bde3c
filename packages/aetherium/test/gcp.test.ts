// The GCP billing export source, two ways:
// 1. wire level: the real @google-cloud/bigquery client against nock models of the OAuth token
//    endpoint and the jobs.query API (https://cloud.google.com/bigquery/docs/reference/rest/v2/jobs/query:
//    POST /bigquery/v2/projects/{projectId}/queries with queryParameters; a QueryResponse with
//    schema, rows of {f: [{v}]}, jobComplete; TIMESTAMPs as int64 microseconds because the client
//    asks for formatOptions.useInt64Timestamp);
// 2. the same SQL shape executed by DuckDB on a local table with the export's schema
//    (https://cloud.google.com/billing/docs/how-to/export-data-bigquery-tables: service.description,
//    project.id, location.region, cost_type, cost, currency, labels and credits as repeated
//    records), with a dialect that changes only parameter marks, TIMESTAMP_TRUNC and UNNEST.
import { generateKeyPairSync } from 'node:crypto';
import { DuckDBInstance, listValue, timestampValueFromDate } from '@duckdb/node-api';
import { BigQuery } from '@google-cloud/bigquery';
import { expectAlmanacError, useStrictNock } from '@almanac/core/testing';
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { buildBillingAggregation, createGcpCostSource, createGcpCostSourceProvider } from '../src/adapters/gcp/index';
import type { BigQueryLike, BillingSqlDialect } from '../src/adapters/gcp/index';
import { createCostSource } from '../src/facade/create-cost-source';
import { collectCosts } from '../src/facade/index';
import type { CostQuery, CostSourceRequest } from '../src/spec';
import { COST_SOURCE_FIXTURE, describeCostSourceConformance } from '../src/testing/index';
import type { CostSourceFixture } from '../src/testing/index';

const DUCKDB_DIALECT: BillingSqlDialect = {
  param: (name) => `$${name}`,
  trunc: (expression, unit) => `date_trunc('${unit.toLowerCase()}', ${expression})`,
  inArray: (expression, param) => `list_contains(${param}, ${expression})`,
  unnest: (array, alias) => `(SELECT UNNEST(${array}) AS ${alias})`,
};

const TABLE_DDL = `CREATE TABLE billing (
  _PARTITIONTIME TIMESTAMP, usage_start_time TIMESTAMP, service STRUCT(description VARCHAR), project STRUCT(id VARCHAR),
  location STRUCT(region VARCHAR), cost_type VARCHAR, cost DOUBLE, currency VARCHAR,
  labels STRUCT("key" VARCHAR, "value" VARCHAR)[], credits STRUCT(name VARCHAR, amount DOUBLE)[])`;

type BillingRow = { partition: string; start: string; service: string; project: string; region: string; costType: string; cost: number; currency: string; labels: [string, string][]; credits: number[] };

const sqlString = (value: string) => `'${value.replace(/'/g, "''")}'`;
function insertSql(rows: readonly BillingRow[]): string {
  const values = rows.map(
    (r) =>
      `(TIMESTAMP ${sqlString(r.partition)}, TIMESTAMP ${sqlString(r.start)}, {'description': ${sqlString(r.service)}}, {'id': ${sqlString(r.project)}}, {'region': ${sqlString(r.region)}}, ${sqlString(r.costType)}, ${r.cost}, ${sqlString(r.currency)}, [${r.labels.map(([k, v]) => `{'key': ${sqlString(k)}, 'value': ${sqlString(v)}}`).join(', ')}]::STRUCT("key" VARCHAR, "value" VARCHAR)[], [${r.credits.map((a, i) => `{'name': 'credit-${i}', 'amount': ${a}}`).join(', ')}]::STRUCT(name VARCHAR, amount DOUBLE)[])`,
  );
  return `INSERT INTO billing VALUES ${values.join(',\n')}`;
}

/** A BigQueryLike that runs the statement on DuckDB, rewritten to the DuckDB dialect by building it again. */
async function duckBigQuery(rows: readonly BillingRow[]): Promise<{ client: (request: CostSourceRequest) => Promise<Record<string, unknown>[]> }> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  await connection.run(TABLE_DDL);
  if (rows.length > 0) await connection.run(insertSql(rows));
  return {
    client: async (request) => {
      const statement = buildBillingAggregation(request, 'billing', 3, DUCKDB_DIALECT);
      const params: Record<string, ReturnType<typeof listValue> | ReturnType<typeof timestampValueFromDate> | string> = {};
      for (const [name, value] of Object.entries(statement.params)) {
        params[name] = value instanceof Date ? timestampValueFromDate(value) : Array.isArray(value) ? listValue(value) : value;
      }
      const result = await connection.runAndReadAll(statement.sql, params);
      return result.getRowObjectsJS() as Record<string, unknown>[];
    },
  };
}

/** The source wired to DuckDB: the provider's own mapping, DuckDB instead of BigQuery. */
async function duckSource(rows: readonly BillingRow[]) {
  const duck = await duckBigQuery(rows);
  let current: CostSourceRequest | undefined;
  const bigquery: BigQueryLike = { query: async () => [await duck.client(current!)] as const };
  const provider = createGcpCostSourceProvider({ projectId: 'billing-prj', dataset: 'billing', table: 'gcp_billing_export_v1_0123AB', bigquery });
  return createCostSource({
    ...provider,
    query: (request) => {
      current = request;
      return provider.query(request);
    },
  });
}

// The conformance fixture as billing export rows: no ServiceCategory; cost_type from ChargeCategory.
function fixtureRows(fixture: CostSourceFixture): BillingRow[] {
  return fixture.rows.map((row) => ({
    partition: `${row['ChargePeriodStart']!.slice(0, 10)} 00:00:00`,
    start: row['ChargePeriodStart']!,
    service: row['ServiceName']!,
    project: row['SubAccountId']!,
    region: row['RegionId']!,
    costType: row['ChargeCategory'] === 'Tax' ? 'tax' : 'regular',
    // The fixture's credit row is a negative cost; effective = billed here (net cost).
    cost: Number(row['BilledCost']),
    currency: row['BillingCurrency']!,
    labels: Object.entries(row['Tags'] === 'NULL' ? {} : (JSON.parse(row['Tags']!) as Record<string, string>)),
    credits: [],
  }));
}

describe('the billing SQL on DuckDB', () => {
  const sept: CostQuery = { range: { start: '2024-09-01', end: '2024-09-03' }, granularity: 'daily', groupBy: ['ServiceName', 'Tag:team'] };

  it('sums credits per row without fan-out (two credits and two labels on one row count once), net = cost + credits', async () => {
    const source = await duckSource([
      { partition: '2024-09-01 00:00:00', start: '2024-09-01 10:00:00', service: 'Compute Engine', project: 'p1', region: 'europe-west1', costType: 'regular', cost: 10, currency: 'EUR', labels: [['team', 'core'], ['env', 'prod']], credits: [-1, -2] },
      { partition: '2024-09-01 00:00:00', start: '2024-09-01 11:00:00', service: 'Compute Engine', project: 'p1', region: 'europe-west1', costType: 'regular', cost: 5, currency: 'EUR', labels: [['team', 'core']], credits: [] },
      { partition: '2024-09-03 00:00:00', start: '2024-09-02 23:00:00', service: 'Cloud Storage', project: 'p2', region: 'europe-west1', costType: 'regular', cost: 1, currency: 'EUR', labels: [], credits: [-0.25] },
      // Outside the range by usage time, inside the partition slack: excluded by the exact filter.
      { partition: '2024-09-03 00:00:00', start: '2024-09-03 00:00:00', service: 'Cloud Storage', project: 'p2', region: 'europe-west1', costType: 'regular', cost: 100, currency: 'EUR', labels: [], credits: [] },
      // Late row beyond the slack: pruned (the documented trade-off of partitionSlackDays).
      { partition: '2024-09-20 00:00:00', start: '2024-09-01 09:00:00', service: 'Cloud Storage', project: 'p2', region: 'europe-west1', costType: 'regular', cost: 1000, currency: 'EUR', labels: [], credits: [] },
    ]);
    const rows = await collectCosts(source.query(sept));
    expect(rows.map((r) => [r.periodStart.slice(0, 10), r.groups['ServiceName'], r.groups['Tag:team'], r.billedCost, r.listCost, r.currency])).toEqual([
      ['2024-09-01', 'Compute Engine', 'core', 12, null, 'EUR'],
      ['2024-09-02', 'Cloud Storage', null, 0.75, null, 'EUR'],
    ]);
  });

  it('maps cost_type to ChargeCategory and filters on it', async () => {
    const source = await duckSource([
      { partition: '2024-09-01 00:00:00', start: '2024-09-01 00:00:00', service: 'Compute Engine', project: 'p1', region: 'us-central1', costType: 'regular', cost: 3, currency: 'USD', labels: [], credits: [] },
      { partition: '2024-09-01 00:00:00', start: '2024-09-01 00:00:00', service: 'Compute Engine', project: 'p1', region: 'us-central1', costType: 'tax', cost: 0.5, currency: 'USD', labels: [], credits: [] },
    ]);
    const rows = await collectCosts(source.query({ range: sept.range, granularity: 'monthly', groupBy: ['ChargeCategory'], filter: { ChargeCategory: ['Tax'] } }));
    expect(rows.map((r) => [r.groups['ChargeCategory'], r.billedCost])).toEqual([['Tax', 0.5]]);
  });
});

describeCostSourceConformance({ name: 'gcp (billing SQL on DuckDB)', create: (fixture) => duckSource(fixtureRows(fixture)) as never, reportsListCost: false, effectiveIsBilled: true });

describe('jobs.query on the wire', () => {
  useStrictNock();
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
  const credentials = { client_email: 'cost-reader@billing-prj.iam.gserviceaccount.com', private_key: privateKey };

  it('sends named parameters (never values in the SQL), prunes _PARTITIONTIME with slack and maps the rows', async () => {
    nock('https://oauth2.googleapis.com').post('/token').reply(200, { access_token: 'ya29.test-token', expires_in: 3600, token_type: 'Bearer' });
    let sent: { query: string; parameterMode: string; queryParameters: { name: string; parameterType: { type: string; arrayType?: { type: string } }; parameterValue: { value?: string; arrayValues?: { value: string }[] } }[]; useLegacySql: boolean } | undefined;
    nock('https://bigquery.googleapis.com')
      .post('/bigquery/v2/projects/billing-prj/queries', (body) => {
        sent = body;
        return true;
      })
      .query({ prettyPrint: 'false' })
      .matchHeader('authorization', 'Bearer ya29.test-token')
      .reply(200, {
        kind: 'bigquery#queryResponse',
        schema: { fields: [{ name: 'period', type: 'TIMESTAMP', mode: 'NULLABLE' }, { name: 'g0', type: 'STRING', mode: 'NULLABLE' }, { name: 'currency', type: 'STRING', mode: 'NULLABLE' }, { name: 'net_cost', type: 'FLOAT', mode: 'NULLABLE' }, { name: 'gross_cost', type: 'FLOAT', mode: 'NULLABLE' }] },
        jobReference: { projectId: 'billing-prj', jobId: 'job_abc', location: 'EU' },
        totalRows: '2',
        rows: [
          { f: [{ v: '1725148800000000' }, { v: 'Compute Engine' }, { v: 'EUR' }, { v: '12' }, { v: '15' }] },
          { f: [{ v: '1725235200000000' }, { v: 'Cloud Storage' }, { v: 'EUR' }, { v: '0.75' }, { v: '1' }] },
        ],
        totalBytesProcessed: '1024',
        jobComplete: true,
        cacheHit: false,
        queryId: 'job_abc',
      });
    const gcp = createGcpCostSource({ projectId: 'billing-prj', dataset: 'billing', table: 'gcp_billing_export_v1_0123AB', bigquery: new BigQuery({ projectId: 'billing-prj', credentials }) as unknown as BigQueryLike });
    const payload = "x' OR '1'='1";
    const rows = await collectCosts(gcp.query({ range: { start: '2024-09-01', end: '2024-09-03' }, granularity: 'daily', groupBy: ['ServiceName'], filter: { SubAccountId: [payload] } }));
    expect(rows).toEqual([
      { periodStart: '2024-09-01T00:00:00.000Z', periodEnd: '2024-09-02T00:00:00.000Z', groups: { ServiceName: 'Compute Engine' }, billedCost: 12, effectiveCost: 12, listCost: null, currency: 'EUR' },
      { periodStart: '2024-09-02T00:00:00.000Z', periodEnd: '2024-09-03T00:00:00.000Z', groups: { ServiceName: 'Cloud Storage' }, billedCost: 0.75, effectiveCost: 0.75, listCost: null, currency: 'EUR' },
    ]);
    expect(sent?.useLegacySql).toBe(false);
    expect(sent?.parameterMode).toBe('named');
    expect(sent?.query).not.toContain(payload);
    expect(sent?.query).not.toContain('2024-09');
    expect(sent?.query).toContain('FROM `billing-prj.billing.gcp_billing_export_v1_0123AB`');
    expect(sent?.query).toMatch(/_PARTITIONTIME >= @partition_start\d+/);
    expect(sent?.query).toContain('(SELECT SUM(c.amount) FROM UNNEST(credits) AS c)');
    const byName = Object.fromEntries((sent?.queryParameters ?? []).map((p) => [p.name.replace(/\d+$/, ''), p]));
    expect(byName['partition_start']?.parameterValue.value).toMatch(/^2024-08-29[T ]00:00:00/);
    expect(byName['partition_end']?.parameterValue.value).toMatch(/^2024-09-06[T ]00:00:00/);
    expect(byName['start']?.parameterType.type).toBe('TIMESTAMP');
    expect(byName['f']?.parameterType).toEqual({ type: 'ARRAY', arrayType: { type: 'STRING' } });
    expect(byName['f']?.parameterValue.arrayValues).toEqual([{ value: payload }]);
  });

  it('an access error is a PermissionError', async () => {
    nock('https://oauth2.googleapis.com').post('/token').reply(200, { access_token: 'ya29.test-token', expires_in: 3600, token_type: 'Bearer' });
    nock('https://bigquery.googleapis.com')
      .post('/bigquery/v2/projects/billing-prj/queries')
      .query(true)
      .reply(403, { error: { code: 403, message: 'Access Denied: Table billing-prj:billing.gcp_billing_export_v1_0123AB: User does not have permission to query table', errors: [{ message: 'Access Denied', domain: 'global', reason: 'accessDenied' }], status: 'PERMISSION_DENIED' } });
    const gcp = createGcpCostSource({ projectId: 'billing-prj', dataset: 'billing', table: 'gcp_billing_export_v1_0123AB', bigquery: new BigQuery({ projectId: 'billing-prj', credentials }) as unknown as BigQueryLike });
    await expectAlmanacError(collectCosts(gcp.query({ range: { start: '2024-09-01', end: '2024-09-03' }, granularity: 'daily', groupBy: [] })), { code: 'permission', provider: 'gcp' });
  });

  it('refuses identifiers that could escape the table reference', () => {
    for (const table of ['t`; DROP TABLE x; --', 'a.b', '']) {
      expect(() => createGcpCostSource({ projectId: 'billing-prj', dataset: 'billing', table })).toThrow(/options\.table/);
    }
    expect(() => createGcpCostSource({ projectId: 'billing-prj', dataset: 'bill-ing', table: 't' })).toThrow(/options\.dataset/);
    expect(() => createGcpCostSource({ projectId: 'Bad Project', dataset: 'billing', table: 't' })).toThrow(/options\.projectId/);
  });
});

it('the fixture used above has rows', () => {
  expect(COST_SOURCE_FIXTURE.rows.length).toBe(10);
});
