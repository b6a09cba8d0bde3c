// Wire-level tests of the ECS adapter: the real @aws-sdk/client-ecs speaks AWS JSON 1.1
// (`x-amz-target: AmazonEC2ContainerServiceV20141113.<Action>`) to a nock model of ECS.
// - ListServices (maxResults ≤ 100, nextToken): https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ListServices.html
// - DescribeServices (at most 10 services per call; `failures` with reason MISSING):
//   https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DescribeServices.html
// - UpdateService: https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_UpdateService.html
// - RegisterTaskDefinition: https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html
// - Service CloudWatch metrics: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/available-metrics.html
import { createManualClock } from '@almanac/core';
import { expectAlmanacError } from '@almanac/core/testing';
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { createAwsContainers, createAwsContainersProvider, MAX_SERVICES_PER_DESCRIBE } from '../src/adapters/aws';
import { ECS_ORIGIN, type FakeAws, REGION } from './fixtures/aws/fake-aws';
import { AWS_TEST_SETTINGS, useFakeAws } from './fixtures/aws/harness';

const settings = AWS_TEST_SETTINGS;
const TARGET = 'AmazonEC2ContainerServiceV20141113';
const JSON11 = { 'content-type': 'application/x-amz-json-1.1' };

let fake: FakeAws;
useFakeAws((created) => {
  fake = created;
});

describe('ECS listServicesPage', () => {
  it('describes a ListServices page in DescribeServices chunks of at most 10', async () => {
    for (let i = 0; i < 23; i++) fake.addService('prod', { name: `svc-${String(i).padStart(2, '0')}` });
    fake.install(['ecs']);
    const provider = createAwsContainersProvider(settings);
    const page = await provider.listServicesPage({ cluster: 'prod' });
    expect(page.items).toHaveLength(23);
    expect(page.cursor).toBeUndefined();
    expect(page.failures).toBeUndefined();
    expect(fake.callsOf('ListServices')[0]?.params).toMatchObject({ cluster: 'prod', maxResults: 100 });
    const sizes = fake.callsOf('DescribeServices').map((call) => (call.params['services'] as unknown[]).length);
    expect(sizes).toEqual([10, 10, 3]);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(MAX_SERVICES_PER_DESCRIBE);
    expect(page.items[0]).toMatchObject({
      name: 'svc-00',
      arn: `arn:aws:ecs:${REGION}:123456789012:service/prod/svc-00`,
      cluster: 'prod',
      desiredCount: 2,
      runningCount: 2,
      pendingCount: 0,
      status: 'active',
      rawStatus: 'ACTIVE',
      launchType: 'FARGATE',
      deployments: [{ status: 'primary', rolloutState: 'completed', desiredCount: 2 }],
    });
  });

  it('follows nextToken across ListServices pages', async () => {
    for (let i = 0; i < 130; i++) fake.addService('big', { name: `s${i}` });
    fake.install(['ecs']);
    const provider = createAwsContainersProvider(settings);
    const first = await provider.listServicesPage({ cluster: 'big' });
    expect(first.items).toHaveLength(100);
    expect(first.cursor).toBe('svc-100');
    const second = await provider.listServicesPage({ cluster: 'big', cursor: first.cursor as string });
    expect(second.items).toHaveLength(30);
    expect(second.cursor).toBeUndefined();
    expect(fake.callsOf('ListServices')[1]?.params).toMatchObject({ nextToken: 'svc-100' });
    expect(fake.callsOf('DescribeServices').every((call) => (call.params['services'] as unknown[]).length <= 10)).toBe(true);
  });

  it('reports services ECS could not describe in failures instead of dropping them', async () => {
    const arns = ['web', 'gone'].map((name) => `arn:aws:ecs:${REGION}:123456789012:service/prod/${name}`);
    nock(ECS_ORIGIN).post('/').matchHeader('x-amz-target', `${TARGET}.ListServices`).reply(200, { serviceArns: arns }, JSON11);
    nock(ECS_ORIGIN)
      .post('/', (body) => Array.isArray(body.services) && body.services.length === 2)
      .matchHeader('x-amz-target', `${TARGET}.DescribeServices`)
      .reply(
        200,
        {
          services: [{ serviceArn: arns[0], serviceName: 'web', status: 'ACTIVE', desiredCount: 3, runningCount: 1, pendingCount: 2, taskDefinition: 'web:7', deployments: [] }],
          failures: [{ arn: arns[1], reason: 'MISSING' }],
        },
        JSON11,
      );
    const page = await createAwsContainersProvider(settings).listServicesPage({ cluster: 'prod' });
    expect(page.items.map((service) => [service.name, service.runningCount, service.pendingCount])).toEqual([['web', 1, 2]]);
    expect(page.failures).toEqual([{ arn: arns[1], reason: 'MISSING' }]);
  });

  it('maps ClusterNotFoundException to NotFoundError', async () => {
    fake.install(['ecs']);
    await expectAlmanacError(createAwsContainersProvider(settings).listServicesPage({ cluster: 'nope' }), { code: 'not_found', operation: 'ListServices' });
  });
});

describe('ECS single-service calls', () => {
  it('getService throws NotFoundError for a MISSING service', async () => {
    fake.addService('prod', { name: 'web' });
    fake.install(['ecs']);
    const provider = createAwsContainersProvider(settings);
    expect((await provider.getService({ cluster: 'prod', service: 'web' })).name).toBe('web');
    await expectAlmanacError(provider.getService({ cluster: 'prod', service: 'api' }), { code: 'not_found' });
  });

  it('scaleService sends UpdateService with desiredCount only and returns the updated service', async () => {
    fake.addService('prod', { name: 'web', desiredCount: 2, runningCount: 2 });
    fake.install(['ecs']);
    const provider = createAwsContainersProvider(settings);
    const service = await provider.scaleService({ cluster: 'prod', service: 'web', desiredCount: 6 });
    expect(service).toMatchObject({ desiredCount: 6, runningCount: 2, pendingCount: 4 });
    expect(fake.callsOf('UpdateService')[0]?.params).toEqual({ cluster: 'prod', service: 'web', desiredCount: 6 });
    // Tasks start over later describes.
    expect((await provider.getService({ cluster: 'prod', service: 'web' })).runningCount).toBe(4);
  });

  it('retries UpdateService on a 5xx (absolute desiredCount is idempotent) but never RegisterTaskDefinition', async () => {
    fake.addService('prod', { name: 'web' });
    fake.failNext('UpdateService', 500, 'ServerException', 'Internal error');
    fake.failNext('RegisterTaskDefinition', 500, 'ServerException', 'Internal error');
    fake.install(['ecs']);
    const provider = createAwsContainersProvider(settings);
    await provider.scaleService({ cluster: 'prod', service: 'web', desiredCount: 3 });
    expect(fake.callsOf('UpdateService')).toHaveLength(2);
    const definition = { family: 'web', containers: [{ name: 'web', image: 'nginx:1.27' }] };
    await expectAlmanacError(provider.registerTaskDefinition({ definition }), { code: 'provider', operation: 'RegisterTaskDefinition' });
    expect(fake.callsOf('RegisterTaskDefinition')).toHaveLength(1);
  });

  it('registerTaskDefinition maps memoryMiB, environment, secrets, task cpu/memory and tags', async () => {
    fake.install(['ecs']);
    const provider = createAwsContainersProvider(settings);
    const registered = await provider.registerTaskDefinition({
      definition: {
        family: 'api',
        cpu: 256,
        memoryMiB: 512,
        networkMode: 'awsvpc',
        requiresCompatibilities: ['FARGATE'],
        executionRoleArn: 'arn:aws:iam::123456789012:role/ecsTaskExecutionRole',
        tags: { team: 'api' },
        containers: [
          {
            name: 'api',
            image: 'ghcr.io/example/api:2.1.0',
            memoryMiB: 512,
            portMappings: [{ containerPort: 8080 }],
            environment: { LOG_LEVEL: 'info' },
            secrets: { DB_PASSWORD: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf' },
          },
        ],
      },
    });
    expect(registered).toMatchObject({ arn: `arn:aws:ecs:${REGION}:123456789012:task-definition/api:1`, family: 'api', revision: 1 });
    expect(fake.callsOf('RegisterTaskDefinition')[0]?.params).toEqual({
      family: 'api',
      cpu: '256',
      memory: '512',
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      executionRoleArn: 'arn:aws:iam::123456789012:role/ecsTaskExecutionRole',
      tags: [{ key: 'team', value: 'api' }],
      containerDefinitions: [
        {
          name: 'api',
          image: 'ghcr.io/example/api:2.1.0',
          memory: 512,
          essential: true,
          portMappings: [{ containerPort: 8080, protocol: 'tcp' }],
          environment: [{ name: 'LOG_LEVEL', value: 'info' }],
          secrets: [{ name: 'DB_PASSWORD', valueFrom: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf' }],
        },
      ],
    });
  });

  it('serviceEvents returns events newest first, since a given time', async () => {
    fake.addService('prod', {
      name: 'web',
      events: [
        { id: 'e1', createdAt: 1767600000, message: '(service web) has started 2 tasks.' },
        { id: 'e3', createdAt: 1767600600, message: '(service web) has reached a steady state.' },
        { id: 'e2', createdAt: 1767600300, message: '(service web) registered 2 targets.' },
      ],
    });
    fake.install(['ecs']);
    const provider = createAwsContainersProvider(settings);
    expect((await provider.serviceEvents({ cluster: 'prod', service: 'web' })).map((event) => event.id)).toEqual(['e3', 'e2', 'e1']);
    const since = await provider.serviceEvents({ cluster: 'prod', service: 'web', since: new Date(1767600300 * 1000) });
    expect(since.map((event) => [event.id, event.at.toISOString()])).toEqual([
      ['e3', '2026-01-05T08:10:00.000Z'],
      ['e2', '2026-01-05T08:05:00.000Z'],
    ]);
  });

  it('getServiceMetrics reads AWS/ECS by cluster and service name, keyed by the service ARN', async () => {
    const now = Date.parse('2026-01-10T12:00:00Z');
    fake.addService('prod', { name: 'web' });
    fake.install(['ecs', 'cloudwatch']);
    const provider = createAwsContainersProvider({ ...settings, clock: createManualClock(now) });
    const series = await provider.getServiceMetrics({
      cluster: `arn:aws:ecs:${REGION}:123456789012:cluster/prod`,
      service: 'web',
      metrics: ['cpu', 'memory'],
      range: { start: new Date(now - 600_000), end: new Date(now) },
      periodSeconds: 60,
    });
    expect(series.map((s) => [s.id, s.metric, s.unit, s.points.length])).toEqual([
      [`arn:aws:ecs:${REGION}:123456789012:service/prod/web`, 'cpu', 'percent', 10],
      [`arn:aws:ecs:${REGION}:123456789012:service/prod/web`, 'memory', 'percent', 10],
    ]);
    const queries = fake.callsOf('GetMetricData')[0]?.params['MetricDataQueries'] as { MetricStat: { Metric: Record<string, unknown> } }[];
    expect(queries.map((query) => query.MetricStat.Metric)).toEqual([
      { Namespace: 'AWS/ECS', MetricName: 'CPUUtilization', Dimensions: [{ Name: 'ClusterName', Value: 'prod' }, { Name: 'ServiceName', Value: 'web' }] },
      { Namespace: 'AWS/ECS', MetricName: 'MemoryUtilization', Dimensions: [{ Name: 'ClusterName', Value: 'prod' }, { Name: 'ServiceName', Value: 'web' }] },
    ]);
  });

  it('createAwsContainers returns the facade over the provider', async () => {
    fake.addService('prod', { name: 'web' });
    fake.install(['ecs']);
    const containers = createAwsContainers(settings);
    expect(containers.provider.name).toBe('aws');
    expect((await containers.getService({ cluster: 'prod', service: 'web' })).name).toBe('web');
  });
});
