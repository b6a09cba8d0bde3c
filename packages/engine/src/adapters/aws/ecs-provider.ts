import { NotFoundError, ProviderError, systemClock } from '@almanac/core';
import {
  type ContainerCapabilities,
  type ContainerServiceProvider,
  ENGINE_SPECIFICATION_VERSION,
  type MetricSeries,
  type RegisterTaskDefinitionRequest,
  type ScaleServiceRequest,
  type Service,
  type ServiceEvent,
  type ServiceEventsRequest,
  type ServiceFailure,
  type ServiceMetricName,
  type ServiceMetricsRequest,
  type ServicePage,
  type ServiceRequest,
  type TaskDefinition,
} from '../../spec';
import { type AwsCall, awsCaller } from './call';
import { cloudWatchPeriod, getMetricData } from './cloudwatch';
import { nameOf, toEvents, toFailures, toRegisterInput, toService } from './ecs-map';
import { AWS_PROVIDER } from './errors';
import { type AwsContainersProviderOptions, checkAwsContainersOptions, endpointOf } from './options';
import { awsService } from './sdk';

/**
 * `DescribeServices` accepts at most 10 services per call.
 * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DescribeServices.html
 */
export const MAX_SERVICES_PER_DESCRIBE = 10;

/** `ListServices` page size (its maximum). */
const LIST_PAGE_SIZE = 100;

/**
 * What the ECS adapter supports. `maxDesiredCount` is ECS's default "tasks per service" quota
 * (https://docs.aws.amazon.com/general/latest/gr/ecs-service.html).
 */
export const AWS_CONTAINER_CAPABILITIES: ContainerCapabilities = Object.freeze({
  scale: true,
  taskDefinitions: true,
  events: true,
  metrics: true,
  maxDesiredCount: 5_000,
  pollIntervalMs: 5_000,
});

/** The ECS container provider: every optional method the capabilities promise is present. */
export interface AwsContainersProvider extends ContainerServiceProvider {
  /** `UpdateService` with `desiredCount` only (no new deployment), retried as it sets an absolute value. */
  scaleService(request: ScaleServiceRequest): Promise<Service>;
  /** `RegisterTaskDefinition`; sent once, never retried (each call creates a revision). */
  registerTaskDefinition(request: RegisterTaskDefinitionRequest): Promise<TaskDefinition>;
  /** The service's `events` from `DescribeServices` (ECS keeps the latest 100), newest first. */
  serviceEvents(request: ServiceEventsRequest): Promise<ServiceEvent[]>;
  /** CloudWatch `AWS/ECS` `CPUUtilization` / `MemoryUtilization` by cluster and service (percent of reservation). */
  getServiceMetrics(request: ServiceMetricsRequest): Promise<MetricSeries[]>;
}

type Json = Record<string, unknown>;

const SERVICE_METRICS: Readonly<Record<ServiceMetricName, string>> = { cpu: 'CPUUtilization', memory: 'MemoryUtilization' };

/**
 * The ECS container-service provider (plus CloudWatch for service metrics), over
 * `@aws-sdk/client-ecs` and `@aws-sdk/client-cloudwatch` loaded on first use. Use
 * `createAwsContainers` for the facade.
 *
 * `listServicesPage` reads one `ListServices` page (up to 100 ARNs; the cursor is its
 * `nextToken`) and describes them with `DescribeServices` in chunks of at most 10, the API's
 * limit; services ECS could not describe come back in `failures`, never silently dropped.
 */
export function createAwsContainersProvider(options: AwsContainersProviderOptions): AwsContainersProvider {
  checkAwsContainersOptions(options);
  const settings = { region: options.region, credentials: options.credentials };
  const ecs = awsService('ecs', { ...settings, endpoint: endpointOf(options.endpoint, 'ecs') }, options.clients?.ecs, options.importers);
  const cloudwatch = awsService('cloudwatch', { ...settings, endpoint: endpointOf(options.endpoint, 'cloudwatch') }, options.clients?.cloudwatch, options.importers);
  const call: AwsCall = awsCaller(options);
  const clock = options.clock ?? systemClock;

  const describe = async (cluster: string, services: readonly string[], signal: AbortSignal | undefined): Promise<{ services: Json[]; failures: ServiceFailure[] }> => {
    const described: Json[] = [];
    const failures: ServiceFailure[] = [];
    for (let offset = 0; offset < services.length; offset += MAX_SERVICES_PER_DESCRIBE) {
      const chunk = services.slice(offset, offset + MAX_SERVICES_PER_DESCRIBE);
      const output = await call(ecs, 'DescribeServices', { cluster, services: chunk }, { idempotent: true, signal });
      described.push(...(Array.isArray(output['services']) ? (output['services'] as Json[]) : []));
      failures.push(...toFailures(output['failures']));
    }
    return { services: described, failures };
  };

  const describeOne = async (request: ServiceRequest): Promise<Json> => {
    const { services, failures } = await describe(request.cluster, [request.service], request.signal);
    const found = services[0];
    if (found !== undefined) return found;
    const failure = failures[0];
    if (failure === undefined || failure.reason === 'MISSING') {
      throw new NotFoundError(`aws: service ${request.service} does not exist in cluster ${request.cluster}`, { provider: AWS_PROVIDER, operation: 'DescribeServices' });
    }
    throw new ProviderError(`aws: DescribeServices could not describe ${request.service}: ${failure.reason}${failure.detail ? ` (${failure.detail})` : ''}`, {
      provider: AWS_PROVIDER,
      operation: 'DescribeServices',
    });
  };

  return {
    name: AWS_PROVIDER,
    specificationVersion: ENGINE_SPECIFICATION_VERSION,
    capabilities: AWS_CONTAINER_CAPABILITIES,

    async listServicesPage(request): Promise<ServicePage> {
      const listed = await call(
        ecs,
        'ListServices',
        { cluster: request.cluster, maxResults: LIST_PAGE_SIZE, ...(request.cursor !== undefined && { nextToken: request.cursor }) },
        { idempotent: true, signal: request.signal },
      );
      const arns = Array.isArray(listed['serviceArns']) ? (listed['serviceArns'] as unknown[]).filter((arn): arn is string => typeof arn === 'string') : [];
      const { services, failures } = arns.length === 0 ? { services: [], failures: [] } : await describe(request.cluster, arns, request.signal);
      const token = listed['nextToken'];
      return {
        items: services.map((service) => toService(service, request.cluster)),
        ...(failures.length > 0 && { failures }),
        ...(typeof token === 'string' && token !== '' && { cursor: token }),
      };
    },

    async getService(request: ServiceRequest): Promise<Service> {
      return toService(await describeOne(request), request.cluster);
    },

    async scaleService(request: ScaleServiceRequest): Promise<Service> {
      // Setting an absolute desiredCount (no taskDefinition, no forceNewDeployment) starts no
      // deployment, so a repeat converges on the same service: safe to retry.
      const output = await call(
        ecs,
        'UpdateService',
        { cluster: request.cluster, service: request.service, desiredCount: request.desiredCount },
        { idempotent: true, signal: request.signal },
      );
      const service = output['service'];
      if (typeof service !== 'object' || service === null) {
        throw new ProviderError('aws: UpdateService answered without a service', { provider: AWS_PROVIDER, operation: 'UpdateService' });
      }
      return toService(service as Json, request.cluster);
    },

    async registerTaskDefinition(request: RegisterTaskDefinitionRequest): Promise<TaskDefinition> {
      const output = await call(ecs, 'RegisterTaskDefinition', toRegisterInput(request.definition), { idempotent: false, signal: request.signal });
      const definition = output['taskDefinition'] as Json | undefined;
      if (definition === undefined || typeof definition['taskDefinitionArn'] !== 'string') {
        throw new ProviderError('aws: RegisterTaskDefinition answered without a task definition', { provider: AWS_PROVIDER, operation: 'RegisterTaskDefinition' });
      }
      return {
        arn: definition['taskDefinitionArn'],
        family: String(definition['family'] ?? request.definition.family),
        revision: typeof definition['revision'] === 'number' ? definition['revision'] : 0,
        raw: definition,
      };
    },

    async serviceEvents(request: ServiceEventsRequest): Promise<ServiceEvent[]> {
      const events = toEvents((await describeOne(request))['events']);
      const since = request.since;
      return since === undefined ? events : events.filter((event) => event.at.getTime() >= since.getTime());
    },

    async getServiceMetrics(request: ServiceMetricsRequest): Promise<MetricSeries[]> {
      // Describe first: the series id is the service ARN, and a missing service is NotFoundError, not empty data.
      const service = toService(await describeOne(request), request.cluster);
      const periodSeconds = cloudWatchPeriod(request.periodSeconds, request.range.start, clock.now());
      const dimensions = { ClusterName: nameOf(request.cluster), ServiceName: service.name };
      const points = await getMetricData(
        call,
        cloudwatch,
        request.metrics.map((metric) => ({ namespace: 'AWS/ECS', metricName: SERVICE_METRICS[metric], dimensions, stat: 'Average' as const })),
        { range: request.range, periodSeconds, signal: request.signal },
      );
      return request.metrics.map((metric, index) => ({
        id: service.arn,
        metric,
        unit: 'percent',
        measure: 'used',
        statistic: 'average',
        periodSeconds,
        points: points[index] ?? [],
        source: `AWS/ECS ${SERVICE_METRICS[metric]} (Average)`,
      }));
    },
  };
}
