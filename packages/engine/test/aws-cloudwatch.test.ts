// Wire-level tests of the AWS adapters' metrics: the real @aws-sdk/client-cloudwatch speaks
// AWS JSON 1.0 (`x-amz-target: GraniteServiceVersion20100801.GetMetricData`) to a nock model.
// Limits under test, from https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricData.html:
// at most 500 MetricDataQuery structures per call; results paged with NextToken; retention
// (1-minute data for 15 days, 5-minute for 63 days, 1-hour beyond).
// EC2 metric names and units: https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/viewing_metrics_with_cloudwatch.html
import type { Clock } from '@almanac/core';
import { expectAlmanacError } from '@almanac/core/testing';
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { cloudWatchPeriod, createAwsComputeProvider } from '../src/adapters/aws';
import type { FakeAws } from './fixtures/aws/fake-aws';
import { AWS_TEST_SETTINGS, useFakeAws } from './fixtures/aws/harness';

const settings = AWS_TEST_SETTINGS;
const NOW = Date.parse('2026-01-10T12:00:00Z');
// Time stands still; retry backoff sleeps return at once.
const fixedClock: Clock = { now: () => NOW, sleep: () => Promise.resolve() };
const range = { start: new Date(NOW - 3_600_000), end: new Date(NOW) };

let fake: FakeAws;
useFakeAws((created) => {
  fake = created;
});

describe('EC2 getMetrics over CloudWatch GetMetricData', () => {
  it('batches 600 (instance, metric) pairs into calls of at most 500 queries, never one call per instance', async () => {
    fake.install(['cloudwatch']);
    const provider = createAwsComputeProvider({ ...settings, clock: fixedClock });
    const ids = Array.from({ length: 300 }, (_, i) => `i-0${String(i).padStart(16, '0')}`);
    const series = await provider.getMetrics({ ids, metrics: ['cpu', 'networkIn'], range, periodSeconds: 300 });
    const calls = fake.callsOf('GetMetricData');
    expect(calls.map((call) => (call.params['MetricDataQueries'] as unknown[]).length)).toEqual([500, 100]);
    expect(series).toHaveLength(600);
    // One series per (id, metric), ids outer and metrics inner, whatever the batch boundary.
    expect(series.slice(498, 502).map((s) => [s.id, s.metric])).toEqual([
      [ids[249], 'cpu'],
      [ids[249], 'networkIn'],
      [ids[250], 'cpu'],
      [ids[250], 'networkIn'],
    ]);
    expect(series[0]?.points).toHaveLength(12);
    const first = calls[0]?.params['MetricDataQueries'] as { Id: string; MetricStat: Record<string, unknown> }[];
    expect(first[0]).toMatchObject({
      Id: 'm0',
      MetricStat: { Metric: { Namespace: 'AWS/EC2', MetricName: 'CPUUtilization', Dimensions: [{ Name: 'InstanceId', Value: ids[0] }] }, Period: 300, Stat: 'Average' },
    });
    expect(first[1]).toMatchObject({ MetricStat: { Metric: { MetricName: 'NetworkIn' }, Stat: 'Sum' } });
  });

  it('follows NextToken, merging partial pages of several series in time order', async () => {
    fake.datapointsPerPage = 7;
    fake.install(['cloudwatch']);
    const provider = createAwsComputeProvider({ ...settings, clock: fixedClock });
    const series = await provider.getMetrics({ ids: ['i-0aaaaaaaaaaaaaaa1', 'i-0aaaaaaaaaaaaaaa2'], metrics: ['cpu'], range, periodSeconds: 300 });
    // 2 series × 12 points over pages of 7: four calls, each carrying the same queries.
    const calls = fake.callsOf('GetMetricData');
    expect(calls).toHaveLength(4);
    expect(calls.slice(1).map((call) => call.params['NextToken'])).toEqual(['dp-7', 'dp-14', 'dp-21']);
    for (const s of series) {
      expect(s.points).toHaveLength(12);
      const times = s.points.map((point) => point.at.getTime());
      expect(times).toEqual([...times].sort((a, b) => a - b));
      expect(times[0]).toBe(range.start.getTime());
    }
  });

  it('says units honestly and leaves memory empty without the CloudWatch agent', async () => {
    fake.install(['cloudwatch']);
    const provider = createAwsComputeProvider({ ...settings, clock: fixedClock });
    const series = await provider.getMetrics({
      ids: ['i-0aaaaaaaaaaaaaaa1'],
      metrics: ['cpu', 'memory', 'networkOut', 'diskReadOps'],
      range,
      periodSeconds: 60,
    });
    expect(series.map(({ metric, unit, measure, statistic, periodSeconds }) => ({ metric, unit, measure, statistic, periodSeconds }))).toEqual([
      { metric: 'cpu', unit: 'percent', measure: 'used', statistic: 'average', periodSeconds: 60 },
      { metric: 'memory', unit: 'percent', measure: 'used', statistic: 'average', periodSeconds: 60 },
      { metric: 'networkOut', unit: 'bytes', measure: 'transferred', statistic: 'sum', periodSeconds: 60 },
      { metric: 'diskReadOps', unit: 'count', measure: 'operations', statistic: 'sum', periodSeconds: 60 },
    ]);
    expect(series[1]?.points).toEqual([]);
    expect(series[1]?.source).toContain('CWAgent mem_used_percent');
    expect(series[0]?.points).toHaveLength(60);
  });

  it('rounds the period up to what CloudWatch retains for the range', () => {
    expect(cloudWatchPeriod(45, new Date(NOW - 3_600_000), NOW)).toBe(60);
    expect(cloudWatchPeriod(90, new Date(NOW - 3_600_000), NOW)).toBe(120);
    expect(cloudWatchPeriod(60, new Date(NOW - 20 * 86_400_000), NOW)).toBe(300);
    expect(cloudWatchPeriod(600, new Date(NOW - 70 * 86_400_000), NOW)).toBe(3600);
  });

  it('reports a Forbidden series as PermissionError and retries throttling', async () => {
    fake.failNext('GetMetricData', 400, 'Throttling', 'Rate exceeded');
    fake.install(['cloudwatch']);
    const provider = createAwsComputeProvider({ ...settings, clock: fixedClock });
    const series = await provider.getMetrics({ ids: ['i-0aaaaaaaaaaaaaaa1'], metrics: ['cpu'], range, periodSeconds: 300 });
    expect(series[0]?.points).toHaveLength(12);
    expect(fake.callsOf('GetMetricData')).toHaveLength(2);

    nock.cleanAll();
    nock('https://monitoring.eu-west-1.amazonaws.com')
      .post('/')
      .reply(200, { MetricDataResults: [{ Id: 'm0', Label: 'CPUUtilization', Timestamps: [], Values: [], StatusCode: 'Forbidden' }] }, { 'content-type': 'application/x-amz-json-1.0' });
    await expectAlmanacError(provider.getMetrics({ ids: ['i-0aaaaaaaaaaaaaaa1'], metrics: ['cpu'], range, periodSeconds: 300 }), { code: 'permission' });
  });
});
