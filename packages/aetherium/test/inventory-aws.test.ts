// The compute inventory over the wire: @almanac/engine's EC2 adapter (the real
// @aws-sdk/client-ec2 and @aws-sdk/client-cloudwatch) against the engine's nock model of EC2 and
// CloudWatch (packages/engine/test/fixtures/aws, modelled on the API references). What this adds
// to the engine's own tests: aetherium's inventory of a 300-instance fleet costs one
// DescribeInstances page and two GetMetricData requests, never one request per instance
// (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricData.html:
// at most 500 MetricDataQuery structures per request).
import type { Clock } from '@almanac/core';
import { createCompute } from '@almanac/engine';
import { createAwsComputeProvider } from '@almanac/engine/aws';
import { describe, expect, it } from 'vitest';
import type { FakeAws } from '../../engine/test/fixtures/aws/fake-aws';
import { AWS_TEST_SETTINGS, useFakeAws } from '../../engine/test/fixtures/aws/harness';
import { recommendSavings } from '../src/insights/savings';
import { collectComputeUsage } from '../src/inventory/compute';

const NOW = Date.parse('2026-01-10T12:00:00Z');
// The adapter's clock (CloudWatch retention, retry backoff) stands still; the facade's deadlines use the system clock.
const clock: Clock = { now: () => NOW, sleep: () => Promise.resolve() };

let fake: FakeAws;
useFakeAws((created) => {
  fake = created;
});

describe('collectComputeUsage over EC2 and CloudWatch', () => {
  it('inventories 300 instances with one DescribeInstances page and two GetMetricData requests, and finds the idle ones', async () => {
    const ids = Array.from({ length: 300 }, (_, i) => `i-0${String(i).padStart(16, '0')}`);
    for (const [i, id] of ids.entries()) fake.addInstance({ id, type: 'm5.large', state: i === 299 ? 'stopped' : 'running' });
    // Every third instance idles at 1 % CPU; the others run at 40 %. No CloudWatch agent: memory has no data.
    fake.metricValue = (query, _at) => (query.namespace === 'CWAgent' ? undefined : ids.indexOf(query.dimensions['InstanceId'] ?? '') % 3 === 0 ? 1 : 40);
    fake.install(['ec2', 'cloudwatch']);
    const compute = createCompute(createAwsComputeProvider({ ...AWS_TEST_SETTINGS, clock }));

    const inventory = await collectComputeUsage(compute, {
      range: { start: new Date(NOW - 36 * 3_600_000), end: new Date(NOW) },
      // EC2 lists sizes without prices.
      sizes: [
        { name: 'm5.large', vcpus: 2, memoryGiB: 8, hourlyPrice: 0.107, currency: 'USD' },
        { name: 't3.large', vcpus: 2, memoryGiB: 8, hourlyPrice: 0.0912, currency: 'USD' },
      ],
    });

    expect(fake.callsOf('DescribeInstances')).toHaveLength(1);
    const metricCalls = fake.callsOf('GetMetricData');
    // 299 running × (cpu, memory) = 598 queries: 500 + 98.
    expect(metricCalls.map((call) => (call.params['MetricDataQueries'] as unknown[]).length)).toEqual([500, 98]);
    expect(inventory.metricCalls).toBe(2);
    expect(inventory.instances).toBe(300);
    expect(inventory.usage).toHaveLength(299);
    expect(inventory.usage.every((u) => u.memoryMeasured === false)).toBe(true);

    const savings = recommendSavings({ compute: inventory.usage });
    const idle = savings.filter((s) => s.kind === 'idle');
    expect(idle).toHaveLength(100);
    expect(idle[0]?.monthlySaving).toBeCloseTo(0.107 * 730, 2);
    // At 40 % of 2 vCPU with 8 GiB kept (memory unknown), the cheaper t3.large fits.
    expect(savings.filter((s) => s.kind === 'rightsize').map((s) => s.evidence['to'])).toEqual(Array(199).fill('t3.large'));
  });
});
