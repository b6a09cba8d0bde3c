// The engine conformance suites against the AWS adapters, backed by the nock model of EC2, ECS
// and CloudWatch in test/fixtures/aws/fake-aws.ts (real @aws-sdk clients, real wire protocols).
// The facade and the adapters' retry backoff run on a manual clock the suite moves while it waits;
// the fake's transitional states settle over DescribeInstances/DescribeServices calls. The suite
// moves that clock whenever something sleeps on it, including while a real (nock) HTTP exchange is
// in flight, so call deadlines are set far out: here they would only measure event-loop turns.
import { createManualClock } from '@almanac/core';
import nock from 'nock';
import { createAwsCompute, createAwsContainers } from '../src/adapters/aws';
import { describeComputeConformance, describeContainerConformance } from '../src/testing/index';
import { FakeAws, REGION } from './fixtures/aws/fake-aws';

const START = Date.UTC(2026, 0, 10, 12, 0);
// 24 h deadlines: core's runWithClock advances the manual clock while a nock call is in flight, so 60 s would trip.
const FAR = 86_400_000;
const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'conformance-secret' };

describeComputeConformance({
  name: 'aws (EC2 + CloudWatch over nock)',
  create: () => {
    nock.disableNetConnect();
    const fake = new FakeAws();
    fake.addInstance({ id: 'i-0c0f0000000000001', tags: { team: 'platform', Name: 'conformance' } });
    fake.addInstance({ id: 'i-0c0f0000000000002', state: 'stopped', type: 'm5.large', tags: { team: 'data' } });
    fake.addInstance({ id: 'i-0c0f0000000000003', type: 't3.small' });
    fake.addresses.push({ allocationId: 'eipalloc-0c0f00000000000aa', publicIp: '203.0.113.80' });
    fake.defaultPageSize = 2;
    fake.install(['ec2', 'cloudwatch']);
    const clock = createManualClock(START);
    const compute = createAwsCompute({ region: REGION, credentials, clock, retry: { baseDelayMs: 1 }, timeoutMs: FAR, waitTimeoutMs: FAR });
    return {
      compute,
      instanceId: 'i-0c0f0000000000001',
      clock,
      facadeOptions: { clock },
      resizeSizes: ['t3.large', 't3.micro'],
      address: '203.0.113.80',
      missingInstanceId: 'i-0c0f00000000000ff',
      waitTimeoutMs: FAR,
    };
  },
  destroy: () => {
    nock.cleanAll();
    nock.enableNetConnect();
  },
});

describeContainerConformance({
  name: 'aws (ECS + CloudWatch over nock)',
  create: () => {
    nock.disableNetConnect();
    const fake = new FakeAws();
    // 12 services: more than one DescribeServices chunk of 10.
    for (let i = 0; i < 12; i++) fake.addService('prod', { name: i === 0 ? 'api' : `svc-${i}`, desiredCount: 2, runningCount: 2 });
    fake.install(['ecs', 'cloudwatch']);
    const clock = createManualClock(START);
    const containers = createAwsContainers({ region: REGION, credentials, clock, retry: { baseDelayMs: 1 }, timeoutMs: FAR, waitTimeoutMs: FAR });
    return { containers, cluster: 'prod', service: 'api', clock, facadeOptions: { clock }, waitTimeoutMs: FAR };
  },
  destroy: () => {
    nock.cleanAll();
    nock.enableNetConnect();
  },
});
