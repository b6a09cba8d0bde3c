// Wire-level tests of the Cost Explorer source: the real SDK (@aws-sdk/client-cost-explorer)
// speaks AWS JSON 1.1 (`x-amz-target: AWSInsightsIndexService.<Action>`) to nock models whose
// bodies follow the API reference:
// https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_GetCostAndUsage.html
// https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_GetCostForecast.html
// (ResultsByTime with TimePeriod/Total/Groups/Estimated, tag group keys as `key$value`, an
// opaque NextPageToken, amounts as decimal strings with a Unit).
import { createManualClock } from '@almanac/core';
import { expectAlmanacError, useStrictNock } from '@almanac/core/testing';
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { createAwsCostSource, costExplorerFilter } from '../src/adapters/aws/index';
import { collectCosts } from '../src/facade/index';
import type { CostQuery } from '../src/spec';

useStrictNock();

const ORIGIN = 'https://ce.us-east-1.amazonaws.com';
const TARGET = 'AWSInsightsIndexService';
const JSON11 = { 'content-type': 'application/x-amz-json-1.1' };
const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const money = (amount: string) => ({ Amount: amount, Unit: 'USD' });

function page(start: string, end: string, groups: [string[], string, string][]) {
  return {
    TimePeriod: { Start: start, End: end },
    Total: {},
    Groups: groups.map(([keys, unblended, amortized]) => ({ Keys: keys, Metrics: { UnblendedCost: money(unblended), AmortizedCost: money(amortized) } })),
    Estimated: false,
  };
}

const query: CostQuery = { range: { start: '2024-09-01', end: '2024-09-03' }, granularity: 'daily', groupBy: ['ServiceName', 'Tag:team'], filter: { tags: { env: ['prod'] }, SubAccountId: ['123456789012'] } };

describe('GetCostAndUsage', () => {
  it('sends dates with End exclusive, tags in a Tags filter (never Dimensions), follows NextPageToken and maps key$value', async () => {
    const bodies: Record<string, unknown>[] = [];
    nock(ORIGIN)
      .post('/', (body) => {
        bodies.push(body);
        return body.NextPageToken === undefined;
      })
      .matchHeader('x-amz-target', `${TARGET}.GetCostAndUsage`)
      .reply(200, { GroupDefinitions: [{ Type: 'DIMENSION', Key: 'SERVICE' }, { Type: 'TAG', Key: 'team' }], ResultsByTime: [page('2024-09-01', '2024-09-02', [[['Amazon Elastic Compute Cloud - Compute', 'team$core'], '10.5', '9.25']])], NextPageToken: 'page-2-token', DimensionValueAttributes: [] }, JSON11)
      .post('/', (body) => {
        bodies.push(body);
        return body.NextPageToken === 'page-2-token';
      })
      .matchHeader('x-amz-target', `${TARGET}.GetCostAndUsage`)
      .reply(200, { ResultsByTime: [page('2024-09-02', '2024-09-03', [[['Amazon Simple Storage Service', 'team$'], '1.25', '1.25'], [['Amazon Elastic Compute Cloud - Compute', 'team$core'], '0', '0']])] }, JSON11);

    const aws = createAwsCostSource({ credentials });
    const rows = await collectCosts(aws.query(query));

    expect(bodies[0]).toEqual({
      TimePeriod: { Start: '2024-09-01', End: '2024-09-03' },
      Granularity: 'DAILY',
      Metrics: ['UnblendedCost', 'AmortizedCost'],
      GroupBy: [
        { Type: 'DIMENSION', Key: 'SERVICE' },
        { Type: 'TAG', Key: 'team' },
      ],
      Filter: { And: [{ Dimensions: { Key: 'LINKED_ACCOUNT', Values: ['123456789012'], MatchOptions: ['EQUALS'] } }, { Tags: { Key: 'env', Values: ['prod'], MatchOptions: ['EQUALS'] } }] },
    });
    expect(JSON.stringify(bodies)).not.toContain('"Key":"TAG"');
    expect(rows).toEqual([
      { periodStart: '2024-09-01T00:00:00.000Z', periodEnd: '2024-09-02T00:00:00.000Z', groups: { ServiceName: 'Amazon Elastic Compute Cloud - Compute', 'Tag:team': 'core' }, billedCost: 10.5, effectiveCost: 9.25, listCost: null, currency: 'USD' },
      { periodStart: '2024-09-02T00:00:00.000Z', periodEnd: '2024-09-03T00:00:00.000Z', groups: { ServiceName: 'Amazon Simple Storage Service', 'Tag:team': null }, billedCost: 1.25, effectiveCost: 1.25, listCost: null, currency: 'USD' },
    ]);
    expect(aws.provider.stats()).toEqual({ requests: 2, cacheHits: 0 });
  });

  it('serves a repeated query from the cache until the TTL passes (each page is billed)', async () => {
    const clock = createManualClock(Date.parse('2024-09-10T00:00:00Z'));
    const reply = { ResultsByTime: [{ TimePeriod: { Start: '2024-09-01', End: '2024-09-02' }, Total: { UnblendedCost: money('3'), AmortizedCost: money('3') }, Groups: [], Estimated: true }] };
    nock(ORIGIN).post('/').matchHeader('x-amz-target', `${TARGET}.GetCostAndUsage`).times(2).reply(200, reply, JSON11);
    const aws = createAwsCostSource({ credentials, clock, cacheTtlMs: 60_000 });
    const simple: CostQuery = { range: { start: '2024-09-01', end: '2024-09-02' }, granularity: 'daily', groupBy: [] };
    const first = await collectCosts(aws.query(simple));
    expect(await collectCosts(aws.query(simple))).toEqual(first);
    expect(aws.provider.stats()).toEqual({ requests: 1, cacheHits: 1 });
    await clock.advance(60_001);
    await collectCosts(aws.query(simple));
    expect(aws.provider.stats()).toEqual({ requests: 2, cacheHits: 1 });
    expect(first[0]?.billedCost).toBe(3);
  });

  it('a throttled request (LimitExceededException) is retried; AccessDenied is a PermissionError', async () => {
    nock(ORIGIN).post('/').reply(400, { __type: 'com.amazonaws.awsinsightsindexservice#LimitExceededException', Message: 'Rate exceeded' }, JSON11);
    nock(ORIGIN).post('/').reply(200, { ResultsByTime: [] }, JSON11);
    const aws = createAwsCostSource({ credentials, cacheTtlMs: 0 });
    const simple: CostQuery = { range: { start: '2024-09-01', end: '2024-09-02' }, granularity: 'monthly', groupBy: [] };
    expect(await collectCosts(aws.query(simple))).toEqual([]);
    expect(aws.provider.stats().requests).toBe(2);

    nock(ORIGIN).post('/').reply(400, { __type: 'AccessDeniedException', Message: 'User is not authorized to perform: ce:GetCostAndUsage' }, JSON11);
    const error = await expectAlmanacError(collectCosts(aws.query(simple)), { code: 'permission', provider: 'aws', operation: 'getCostAndUsage' });
    expect(error.message).not.toContain(credentials.secretAccessKey);
  });

  it('refuses what Cost Explorer cannot do before calling it', async () => {
    const aws = createAwsCostSource({ credentials });
    await expectAlmanacError(async () => collectCosts(aws.query({ ...query, groupBy: ['ServiceName', 'RegionId', 'Tag:team'] })), { code: 'capability' });
    await expectAlmanacError(async () => collectCosts(aws.query({ ...query, groupBy: ['ServiceCategory'] })), { code: 'capability' });
    await expectAlmanacError(collectCosts(aws.query({ ...query, range: { start: '2024-09-01T12:00:00Z', end: '2024-09-03' } })), { code: 'validation', field: 'query.range.start' });
    expect(aws.provider.stats().requests).toBe(0);
  });

  it('refuses empty credentials (they would replace the default chain)', () => {
    expect(() => createAwsCostSource({ credentials: { accessKeyId: '', secretAccessKey: '' } })).toThrow(/options\.credentials/);
  });

  it('costExplorerFilter: one expression alone, never an And of one', () => {
    expect(costExplorerFilter({ tags: { team: ['a', 'b'] } })).toEqual({ Tags: { Key: 'team', Values: ['a', 'b'], MatchOptions: ['EQUALS'] } });
    expect(costExplorerFilter({})).toBeUndefined();
  });
});

describe('GetCostForecast', () => {
  it('maps the mean and the prediction interval per period', async () => {
    let sent: Record<string, unknown> | undefined;
    nock(ORIGIN)
      .post('/', (body) => {
        sent = body;
        return true;
      })
      .matchHeader('x-amz-target', `${TARGET}.GetCostForecast`)
      .reply(
        200,
        {
          Total: { Amount: '61.5', Unit: 'USD' },
          ForecastResultsByTime: [
            { TimePeriod: { Start: '2024-10-01', End: '2024-10-02' }, MeanValue: '30.5', PredictionIntervalLowerBound: '25.1', PredictionIntervalUpperBound: '35.9' },
            { TimePeriod: { Start: '2024-10-02', End: '2024-10-03' }, MeanValue: '31', PredictionIntervalLowerBound: '24', PredictionIntervalUpperBound: '38' },
          ],
        },
        JSON11,
      );
    const forecast = await createAwsCostSource({ credentials }).forecast({ range: { start: '2024-10-01', end: '2024-10-03' }, level: 90 });
    expect(sent).toEqual({ TimePeriod: { Start: '2024-10-01', End: '2024-10-03' }, Metric: 'UNBLENDED_COST', Granularity: 'DAILY', PredictionIntervalLevel: 90 });
    expect(forecast.total).toBe(61.5);
    expect(forecast.periods[1]).toEqual({ periodStart: '2024-10-02T00:00:00.000Z', periodEnd: '2024-10-03T00:00:00.000Z', mean: 31, lower: 24, upper: 38 });
  });
});

// HOURLY: a paid opt-in of the account, served for the last 14 days only
// (https://aws.amazon.com/aws-cost-management/aws-cost-explorer/pricing/), with TimePeriod bounds
// as `yyyy-MM-ddThh:mm:ssZ` (https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_DateInterval.html).
describe('GetCostAndUsage HOURLY', () => {
  const now = Date.parse('2024-09-20T10:30:00Z');
  const hourlyQuery: CostQuery = { range: { start: '2024-09-19T22:00:00Z', end: '2024-09-20T00:00:00Z' }, granularity: 'hourly', groupBy: ['ServiceName'] };

  it('is refused without the opt-in, naming how to enable it, before any request', async () => {
    const aws = createAwsCostSource({ credentials });
    expect(aws.supports('hourlyCosts')).toBe(false);
    const error = await expectAlmanacError(async () => collectCosts(aws.query(hourlyQuery)), { code: 'capability' });
    expect(error.message).toMatch(/hourly: true/);
    expect(aws.provider.stats().requests).toBe(0);
  });

  it('sends HOURLY with hour-precise bounds and maps each hour to its own row', async () => {
    let sent: Record<string, unknown> | undefined;
    nock(ORIGIN)
      .post('/', (body) => {
        sent = body;
        return true;
      })
      .matchHeader('x-amz-target', `${TARGET}.GetCostAndUsage`)
      .reply(
        200,
        {
          ResultsByTime: [
            page('2024-09-19T22:00:00Z', '2024-09-19T23:00:00Z', [[['Amazon Elastic Compute Cloud - Compute'], '0.42', '0.40']]),
            page('2024-09-19T23:00:00Z', '2024-09-20T00:00:00Z', [[['Amazon Elastic Compute Cloud - Compute'], '0.5', '0.48']]),
          ],
        },
        JSON11,
      );
    const aws = createAwsCostSource({ credentials, hourly: true, clock: createManualClock(now) });
    const rows = await collectCosts(aws.query(hourlyQuery));
    expect(sent).toEqual({ TimePeriod: { Start: '2024-09-19T22:00:00Z', End: '2024-09-20T00:00:00Z' }, Granularity: 'HOURLY', Metrics: ['UnblendedCost', 'AmortizedCost'], GroupBy: [{ Type: 'DIMENSION', Key: 'SERVICE' }] });
    expect(rows.map((r) => [r.periodStart, r.periodEnd, r.billedCost, r.effectiveCost])).toEqual([
      ['2024-09-19T22:00:00.000Z', '2024-09-19T23:00:00.000Z', 0.42, 0.4],
      ['2024-09-19T23:00:00.000Z', '2024-09-20T00:00:00.000Z', 0.5, 0.48],
    ]);
  });

  it('refuses a start older than 14 days and a bound inside an hour, without a request', async () => {
    const aws = createAwsCostSource({ credentials, hourly: true, clock: createManualClock(now) });
    const old = await expectAlmanacError(collectCosts(aws.query({ ...hourlyQuery, range: { start: '2024-09-06T09:00:00Z', end: '2024-09-06T12:00:00Z' } })), { code: 'validation', field: 'query.range.start' });
    expect(old.message).toMatch(/14 days/);
    // The oldest hour still served: 14 days before the current hour.
    nock(ORIGIN).post('/').reply(200, { ResultsByTime: [] }, JSON11);
    expect(await collectCosts(aws.query({ ...hourlyQuery, range: { start: '2024-09-06T10:00:00Z', end: '2024-09-06T11:00:00Z' } }))).toEqual([]);
    await expectAlmanacError(collectCosts(aws.query({ ...hourlyQuery, range: { start: '2024-09-19T22:30:00Z', end: '2024-09-20T00:00:00Z' } })), { code: 'validation', field: 'query.range.start' });
    expect(aws.provider.stats().requests).toBe(1);
  });
});
