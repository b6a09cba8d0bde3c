import { BigQuery } from '@google-cloud/bigquery';
import { expectAlmanacError, useStrictNock } from '@almanac/core/testing';
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import type { BigQueryClientLike } from '../src/adapters/bigquery/index';
import { bigQueryMergeStatement, createBigQueryWarehouse } from '../src/adapters/bigquery/index';
import { audienceMembers } from '../src/index';
import { AS_OF, AUDIENCES } from './golden/audiences';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// Wire fixtures of the BigQuery jobs API, shaped like its reference:
// jobs.query (POST /bigquery/v2/projects/{projectId}/queries), the SDK's fast path for query():
//   https://cloud.google.com/bigquery/docs/reference/rest/v2/jobs/query
// jobs.insert (POST /bigquery/v2/projects/{projectId}/jobs) with configuration.dryRun for dry runs:
//   https://cloud.google.com/bigquery/docs/reference/rest/v2/Job#JobConfiguration
// Errors: https://cloud.google.com/bigquery/docs/error-messages (invalidQuery 400, backendError 503).
const API = 'https://bigquery.googleapis.com';
const QUERIES = '/bigquery/v2/projects/proj-test/queries';

interface QueryBody {
  query: string;
  useLegacySql: boolean;
  parameterMode?: string;
  queryParameters?: { name: string; parameterType: { type: string; arrayType?: { type: string; structTypes?: { name: string; type: { type: string } }[] } }; parameterValue: unknown }[];
}

const queryResponse = (fields: { name: string; type: string }[], rows: unknown[][]) => ({
  kind: 'bigquery#queryResponse',
  jobComplete: true,
  jobReference: { projectId: 'proj-test', jobId: 'job_1', location: 'US' },
  schema: { fields },
  rows: rows.map((row) => ({ f: row.map((v) => ({ v })) })),
  totalRows: String(rows.length),
});

// A real SDK client whose credentials are a stub: only the HTTP layer is faked (by nock). The SDK's own
// retries are off, as in the adapter's default client: retries belong to callProvider.
function sdkClient(): BigQueryClientLike {
  const authClient = {
    getRequestHeaders: async () => new Headers({ authorization: 'Bearer test-token' }),
    getAccessToken: async () => ({ token: 'test-token' }),
    getProjectId: async () => 'proj-test',
  };
  return new BigQuery({ projectId: 'proj-test', authClient: authClient as never, autoRetry: false }) as unknown as BigQueryClientLike;
}

describe('createBigQueryWarehouse (BigQuery jobs API fixtures)', () => {
  useStrictNock();
  const warehouse = () => createBigQueryWarehouse({ projectId: 'proj-test', dataset: 'cdp', bigquery: sdkClient(), retry: { maxAttempts: 3, baseDelayMs: 1 } });

  it('ensureSchema creates the same tables as DuckDB, qualified by project and dataset, and records the version', async () => {
    const statements: string[] = [];
    nock(API)
      .post(QUERIES)
      .query(true)
      .times(7)
      .reply(200, (_uri, body) => {
        statements.push((body as QueryBody).query);
        return queryResponse([{ name: 'meta_value', type: 'STRING' }], []);
      });
    await warehouse().ensureSchema();
    expect(statements.slice(0, 5).map((sql) => /CREATE TABLE IF NOT EXISTS `proj-test\.cdp\.(\w+)`/.exec(sql)?.[1])).toEqual([
      'events',
      'profiles',
      'identities',
      'predictions',
      'cdp_meta',
    ]);
    expect(statements[0]).toContain('ts_ms INT64');
    expect(statements[0]).toContain('revenue FLOAT64');
    expect(statements[6]).toMatch(/^INSERT INTO `proj-test\.cdp\.cdp_meta`/);
  });

  it('loads with one MERGE per batch, rows as an ARRAY<STRUCT> named parameter', async () => {
    const bodies: QueryBody[] = [];
    nock(API)
      .post(QUERIES)
      .query(true)
      .times(2)
      .reply(200, (_uri, body) => {
        bodies.push(body as QueryBody);
        return queryResponse([], []);
      });
    const events = Array.from({ length: 3 }, (_, i) => ({
      messageId: `m${i}`,
      type: 'track',
      event: 'Order Completed',
      profileId: 'p1',
      userId: 'p1',
      anonymousId: null,
      timestampMs: 1000 + i,
      revenue: i === 0 ? null : 5,
      properties: "{\"note\":\"'; DROP TABLE events; --\"}",
    }));
    await createBigQueryWarehouse({ projectId: 'proj-test', dataset: 'cdp', bigquery: sdkClient(), loadBatchSize: 2 }).load({ events });
    expect(bodies).toHaveLength(2);
    expect(bodies[0]?.query).toBe(bigQueryMergeStatement('events', '`proj-test.cdp.events`'));
    expect(bodies[0]?.query).toContain('WHEN NOT MATCHED THEN INSERT ROW');
    expect(bodies[0]?.query).not.toContain('DROP TABLE');
    const rows = bodies[0]?.queryParameters?.find((p) => p.name === 'rows');
    expect(rows?.parameterType.type).toBe('ARRAY');
    expect(rows?.parameterType.arrayType?.type).toBe('STRUCT');
    expect(rows?.parameterType.arrayType?.structTypes?.map((s) => `${s.name}:${s.type.type}`)).toContain('ts_ms:INT64');
    expect(JSON.stringify(rows?.parameterValue)).toContain('DROP TABLE'); // the payload travels as a value
  });

  it('runs audience SQL with named parameters (the golden statement) and parses the rows', async () => {
    let body: QueryBody | undefined;
    nock(API)
      .post(QUERIES)
      .query(true)
      .reply(200, (_uri, b) => {
        body = b as QueryBody;
        return queryResponse([{ name: 'profile_id', type: 'STRING' }], [['ana'], ['cy']]);
      });
    const members = await audienceMembers(warehouse(), AUDIENCES['frequent_buyers'] as never, { asOf: new Date(AS_OF) });
    expect(members).toEqual(['ana', 'cy']);
    const golden = readFileSync(fileURLToPath(new URL('golden/frequent_buyers.bigquery.sql', import.meta.url)), 'utf8')
      .split('\n-- params')[0]
      ?.replaceAll('`proj.cdp.', '`proj-test.cdp.');
    expect(body?.query).toBe(golden);
    expect(body?.parameterMode).toBe('named');
    expect(body?.queryParameters?.map((p) => p.name)).toEqual(['p0', 'p1', 'p2', 'p3']);
  });

  it('dry-runs through jobs.insert with configuration.dryRun and reports bytes processed', async () => {
    let configuration: { dryRun?: boolean; query?: { query: string } } | undefined;
    nock(API)
      .post('/bigquery/v2/projects/proj-test/jobs')
      .query(true)
      .reply(200, (_uri, body) => {
        configuration = (body as { configuration: typeof configuration }).configuration;
        return {
          kind: 'bigquery#job',
          jobReference: { projectId: 'proj-test', location: 'US' },
          configuration: body && (body as { configuration: unknown }).configuration,
          status: { state: 'DONE' },
          statistics: { totalBytesProcessed: '1048576', query: { totalBytesProcessed: '1048576' } },
        };
      });
    const result = await warehouse().dryRun({ sql: 'SELECT profile_id FROM `proj-test.cdp.events` WHERE event = @e', params: { e: 'x' } });
    expect(configuration?.dryRun).toBe(true);
    expect(result.totalBytesProcessed).toBe(1048576);
  });

  it('retries backendError (503) and maps invalidQuery (400) to a ValidationError', async () => {
    nock(API)
      .post(QUERIES)
      .query(true)
      .reply(503, { error: { code: 503, message: 'Backend error', errors: [{ reason: 'backendError', message: 'Backend error' }] } })
      .post(QUERIES)
      .query(true)
      .reply(200, queryResponse([{ name: 'n', type: 'INTEGER' }], [['1']]));
    expect(await warehouse().query({ sql: 'SELECT 1 AS n', params: {} })).toEqual([{ n: 1 }]);
    nock(API)
      .post(QUERIES)
      .query(true)
      .reply(400, { error: { code: 400, message: 'Syntax error', errors: [{ reason: 'invalidQuery', message: 'Syntax error' }] } });
    await expectAlmanacError(warehouse().query({ sql: 'SELEC 1', params: {} }), { code: 'validation', provider: 'bigquery' });
  });

  it('validates options, naming the field', async () => {
    await expectAlmanacError(() => createBigQueryWarehouse({ projectId: 'proj-test', dataset: 'cdp`; DROP' }), { code: 'validation', field: 'options.dataset' });
    await expectAlmanacError(() => createBigQueryWarehouse({ projectId: 'P', dataset: 'cdp' }), { code: 'validation', field: 'options.projectId' });
  });
});
