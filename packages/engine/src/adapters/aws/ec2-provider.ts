import { ConflictError, NotFoundError, systemClock } from '@almanac/core';
import {
  type AddressRequest,
  type ComputeCapabilities,
  type ComputeProvider,
  ENGINE_SPECIFICATION_VERSION,
  type IngressRule,
  type Instance,
  type InstanceRequest,
  type ListInstancesRequest,
  type ListSizesRequest,
  METRIC_NAMES,
  type MetricMeasure,
  type MetricName,
  type MetricSeries,
  type MetricsRequest,
  type MetricStatistic,
  type MetricUnit,
  type Page,
  type ResizeRequest,
  type SetTagsRequest,
  type SizeInfo,
  type StopRequest,
} from '../../spec';
import { matchesListRequest } from '../../instance-filter';
import { type AwsCall, awsCaller } from './call';
import { type CloudWatchQuery, cloudWatchPeriod, getMetricData } from './cloudwatch';
import { EC2_RAW_STATES, ingressByGroup, instancesOf, securityGroupIds, toInstance } from './ec2-map';
import { AWS_PROVIDER } from './errors';
import { type AwsComputeProviderOptions, checkAwsComputeOptions, endpointOf } from './options';
import { awsService } from './sdk';

/**
 * What the EC2 adapter supports. `deallocate` is false because EC2 has no such distinction
 * (`StopInstances` always stops compute billing); `resizeInPlace` is false because EC2 changes
 * the instance type of stopped instances only; scale sets (Auto Scaling groups) are not mapped.
 */
export const AWS_COMPUTE_CAPABILITIES: ComputeCapabilities = Object.freeze({
  powerControl: true,
  deallocate: false,
  resize: true,
  resizeInPlace: false,
  tags: true,
  metrics: true,
  metricNames: METRIC_NAMES,
  sizes: true,
  prices: false,
  addresses: true,
  scaleSets: false,
  // EC2 transitions take tens of seconds; polling faster only spends API quota.
  pollIntervalMs: 5_000,
});

/** The EC2 compute provider: every optional method the capabilities promise is present. */
export interface AwsComputeProvider extends ComputeProvider {
  /** Starts a stopped instance (`StartInstances`); a running one is left as is. */
  start(request: InstanceRequest): Promise<void>;
  /** Stops an instance (`StopInstances`); `deallocate` is ignored, compute billing always stops. */
  stop(request: StopRequest): Promise<void>;
  /** Reboots (`RebootInstances`); sent once, never retried (a repeat would reboot again). */
  reboot(request: InstanceRequest): Promise<void>;
  /** Changes the instance type of a stopped instance (`ModifyInstanceAttribute`); `ConflictError` otherwise. */
  resizeInstance(request: ResizeRequest): Promise<void>;
  /** `CreateTags` for `tags`, `DeleteTags` for `remove`. */
  setTags(request: SetTagsRequest): Promise<void>;
  /** CloudWatch `GetMetricData`, ≤ 500 queries per call, pages followed. */
  getMetrics(request: MetricsRequest): Promise<MetricSeries[]>;
  /** `DescribeInstanceTypes` (for `id`: the types of the instance's architecture). No prices. */
  listSizes(request: ListSizesRequest): Promise<SizeInfo[]>;
  /** Associates an Elastic IP (allocation id `eipalloc-…` or its public address). */
  associateAddress(request: AddressRequest): Promise<void>;
  /** Disassociates an Elastic IP from the instance; a no-op when it is not associated with it. */
  disassociateAddress(request: AddressRequest): Promise<void>;
}

interface MetricSource {
  readonly namespace: string;
  readonly metricName: string;
  readonly stat: 'Average' | 'Sum';
  readonly unit: MetricUnit;
  readonly measure: MetricMeasure;
  readonly statistic: MetricStatistic;
}

// https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/viewing_metrics_with_cloudwatch.html
// DiskReadOps/DiskWriteOps count instance-store volumes only (EBS volumes report in AWS/EBS).
// Memory is not an EC2 metric: it exists only when the CloudWatch agent publishes
// `mem_used_percent` with the InstanceId dimension alone; otherwise the series is empty.
const EC2_METRICS: Readonly<Record<MetricName, MetricSource>> = {
  cpu: { namespace: 'AWS/EC2', metricName: 'CPUUtilization', stat: 'Average', unit: 'percent', measure: 'used', statistic: 'average' },
  memory: { namespace: 'CWAgent', metricName: 'mem_used_percent', stat: 'Average', unit: 'percent', measure: 'used', statistic: 'average' },
  networkIn: { namespace: 'AWS/EC2', metricName: 'NetworkIn', stat: 'Sum', unit: 'bytes', measure: 'transferred', statistic: 'sum' },
  networkOut: { namespace: 'AWS/EC2', metricName: 'NetworkOut', stat: 'Sum', unit: 'bytes', measure: 'transferred', statistic: 'sum' },
  diskReadOps: { namespace: 'AWS/EC2', metricName: 'DiskReadOps', stat: 'Sum', unit: 'count', measure: 'operations', statistic: 'sum' },
  diskWriteOps: { namespace: 'AWS/EC2', metricName: 'DiskWriteOps', stat: 'Sum', unit: 'count', measure: 'operations', statistic: 'sum' },
};

type Json = Record<string, unknown>;

function list(value: unknown): Json[] {
  return Array.isArray(value) ? (value as Json[]) : [];
}

/**
 * The EC2 compute provider (plus CloudWatch for metrics), over `@aws-sdk/client-ec2` and
 * `@aws-sdk/client-cloudwatch` loaded on first use. Use `createAwsCompute` for the facade.
 *
 * - `listInstancesPage`: one `DescribeInstances` page, filtered server-side (`instance-id`,
 *   `instance-state-name`, `instance-type`, `tag:<key>`) and checked again client-side; the
 *   cursor is EC2's `NextToken`. `MaxResults` is sent only for a `pageSize` and never together
 *   with `InstanceIds` (EC2 rejects the pair), so ids go through the `instance-id` filter.
 * - Retries: reads, `StartInstances`, `StopInstances`, `ModifyInstanceAttribute` and tag calls
 *   converge on the same state when repeated, and `AssociateAddress`/`DisassociateAddress` are
 *   idempotent by EC2's own definition, so they are retried; `RebootInstances` is not.
 */
export function createAwsComputeProvider(options: AwsComputeProviderOptions): AwsComputeProvider {
  checkAwsComputeOptions(options);
  const settings = { region: options.region, credentials: options.credentials };
  const ec2 = awsService('ec2', { ...settings, endpoint: endpointOf(options.endpoint, 'ec2') }, options.clients?.ec2, options.importers);
  const cloudwatch = awsService('cloudwatch', { ...settings, endpoint: endpointOf(options.endpoint, 'cloudwatch') }, options.clients?.cloudwatch, options.importers);
  const call: AwsCall = awsCaller(options);
  const region = options.region;
  const clock = options.clock ?? systemClock;

  const ingressOf = async (records: readonly Json[], signal: AbortSignal | undefined): Promise<Map<string, IngressRule[]> | undefined> => {
    if (options.ingress !== true) return undefined;
    const groupIds = [...new Set(records.flatMap(securityGroupIds))];
    if (groupIds.length === 0) return new Map();
    const groups: Json[] = [];
    let nextToken: string | undefined;
    do {
      // No MaxResults with GroupIds, as with DescribeInstances; NextToken alone pages.
      const output = await call(ec2, 'DescribeSecurityGroups', { GroupIds: groupIds, ...(nextToken !== undefined && { NextToken: nextToken }) }, { idempotent: true, signal });
      groups.push(...list(output['SecurityGroups']));
      nextToken = typeof output['NextToken'] === 'string' && output['NextToken'] !== '' ? output['NextToken'] : undefined;
    } while (nextToken !== undefined);
    return ingressByGroup(groups);
  };

  const mapAll = async (records: readonly Json[], signal: AbortSignal | undefined): Promise<Instance[]> => {
    const rules = await ingressOf(records, signal);
    return records.map((record) => toInstance(record, region, rules === undefined ? undefined : securityGroupIds(record).flatMap((id) => rules.get(id) ?? [])));
  };

  const describeOne = async (id: string, signal: AbortSignal | undefined): Promise<Json> => {
    // InstanceIds without MaxResults: an unknown id answers InvalidInstanceID.NotFound.
    const output = await call(ec2, 'DescribeInstances', { InstanceIds: [id] }, { idempotent: true, signal });
    const record = instancesOf(output).find((candidate) => candidate['InstanceId'] === id);
    if (record === undefined) throw new NotFoundError(`aws: instance ${id} does not exist`, { provider: AWS_PROVIDER, operation: 'DescribeInstances' });
    return record;
  };

  const findAddress = async (address: string, signal: AbortSignal | undefined): Promise<Json> => {
    const input = address.startsWith('eipalloc-') ? { AllocationIds: [address] } : { PublicIps: [address] };
    const output = await call(ec2, 'DescribeAddresses', input, { idempotent: true, signal });
    const found = list(output['Addresses'])[0];
    if (found === undefined) throw new NotFoundError(`aws: Elastic IP ${address} does not exist`, { provider: AWS_PROVIDER, operation: 'DescribeAddresses' });
    return found;
  };

  return {
    name: AWS_PROVIDER,
    specificationVersion: ENGINE_SPECIFICATION_VERSION,
    capabilities: AWS_COMPUTE_CAPABILITIES,

    async listInstancesPage(request: ListInstancesRequest): Promise<Page<Instance>> {
      const filters: { Name: string; Values: string[] }[] = [];
      const filter = request.filter;
      if (filter?.ids !== undefined) {
        if (filter.ids.length === 0) return { items: [] };
        filters.push({ Name: 'instance-id', Values: [...filter.ids] });
      }
      if (filter?.states !== undefined) {
        const raw = [...new Set(filter.states.flatMap((state) => EC2_RAW_STATES[state] ?? []))];
        // Only states EC2 never reports were asked for (rebooting, unknown): nothing can match.
        if (raw.length === 0) return { items: [] };
        filters.push({ Name: 'instance-state-name', Values: raw });
      }
      if (filter?.sizes !== undefined) {
        if (filter.sizes.length === 0) return { items: [] };
        filters.push({ Name: 'instance-type', Values: [...filter.sizes] });
      }
      for (const [key, value] of Object.entries(request.tags ?? {})) filters.push({ Name: `tag:${key}`, Values: [value] });
      const input: Json = {
        ...(filters.length > 0 && { Filters: filters }),
        ...(request.cursor !== undefined && { NextToken: request.cursor }),
        ...(request.pageSize !== undefined && { MaxResults: Math.min(1000, Math.max(5, Math.floor(request.pageSize))) }),
      };
      const output = await call(ec2, 'DescribeInstances', input, { idempotent: true, signal: request.signal });
      const items = (await mapAll(instancesOf(output), request.signal)).filter((instance) => matchesListRequest(instance, request));
      const token = output['NextToken'];
      return typeof token === 'string' && token !== '' ? { items, cursor: token } : { items };
    },

    async getInstance(request: InstanceRequest): Promise<Instance> {
      const record = await describeOne(request.id, request.signal);
      const [instance] = await mapAll([record], request.signal);
      return instance as Instance;
    },

    async start(request: InstanceRequest): Promise<void> {
      // EC2 answers a start of a running instance with its current state: already a no-op.
      await call(ec2, 'StartInstances', { InstanceIds: [request.id] }, { idempotent: true, signal: request.signal });
    },

    async stop(request: StopRequest): Promise<void> {
      await call(ec2, 'StopInstances', { InstanceIds: [request.id] }, { idempotent: true, signal: request.signal });
    },

    async reboot(request: InstanceRequest): Promise<void> {
      await call(ec2, 'RebootInstances', { InstanceIds: [request.id] }, { idempotent: false, signal: request.signal });
    },

    async resizeInstance(request: ResizeRequest): Promise<void> {
      // EC2 itself refuses a running instance with IncorrectInstanceState (mapped to ConflictError).
      await call(ec2, 'ModifyInstanceAttribute', { InstanceId: request.id, InstanceType: { Value: request.size } }, { idempotent: true, signal: request.signal });
    },

    async setTags(request: SetTagsRequest): Promise<void> {
      const tags = Object.entries(request.tags).map(([Key, Value]) => ({ Key, Value }));
      if (tags.length > 0) await call(ec2, 'CreateTags', { Resources: [request.id], Tags: tags }, { idempotent: true, signal: request.signal });
      const remove = (request.remove ?? []).filter((key) => !(key in request.tags));
      // A Key without Value deletes the tag whatever its value.
      if (remove.length > 0) await call(ec2, 'DeleteTags', { Resources: [request.id], Tags: remove.map((Key) => ({ Key })) }, { idempotent: true, signal: request.signal });
    },

    async getMetrics(request: MetricsRequest): Promise<MetricSeries[]> {
      const periodSeconds = cloudWatchPeriod(request.periodSeconds, request.range.start, clock.now());
      const pairs = request.ids.flatMap((id) => request.metrics.map((metric) => ({ id, metric, source: EC2_METRICS[metric] })));
      const queries: CloudWatchQuery[] = pairs.map(({ id, source }) => ({
        namespace: source.namespace,
        metricName: source.metricName,
        dimensions: { InstanceId: id },
        stat: source.stat,
      }));
      const points = await getMetricData(call, cloudwatch, queries, { range: request.range, periodSeconds, signal: request.signal });
      return pairs.map(({ id, metric, source }, index) => ({
        id,
        metric,
        unit: source.unit,
        measure: source.measure,
        statistic: source.statistic,
        periodSeconds,
        points: points[index] ?? [],
        source: `${source.namespace} ${source.metricName} (${source.stat})`,
      }));
    },

    async listSizes(request: ListSizesRequest): Promise<SizeInfo[]> {
      const filters: { Name: string; Values: string[] }[] = [];
      if (request.id !== undefined) {
        // EC2 has no "sizes this instance can take"; the hard constraint is the CPU architecture.
        const architecture = (await describeOne(request.id, request.signal))['Architecture'];
        if (typeof architecture === 'string') filters.push({ Name: 'processor-info.supported-architecture', Values: [architecture] });
      }
      const sizes: SizeInfo[] = [];
      let nextToken: string | undefined;
      do {
        const output = await call(
          ec2,
          'DescribeInstanceTypes',
          { MaxResults: 100, ...(filters.length > 0 && { Filters: filters }), ...(nextToken !== undefined && { NextToken: nextToken }) },
          { idempotent: true, signal: request.signal },
        );
        for (const type of list(output['InstanceTypes'])) {
          const name = type['InstanceType'];
          const vcpus = (type['VCpuInfo'] as Json | undefined)?.['DefaultVCpus'];
          const memoryMiB = (type['MemoryInfo'] as Json | undefined)?.['SizeInMiB'];
          if (typeof name !== 'string' || typeof vcpus !== 'number' || typeof memoryMiB !== 'number') continue;
          sizes.push({ name, vcpus, memoryGiB: memoryMiB / 1024, raw: type });
        }
        nextToken = typeof output['NextToken'] === 'string' && output['NextToken'] !== '' ? output['NextToken'] : undefined;
      } while (nextToken !== undefined);
      return sizes.sort((a, b) => a.name.localeCompare(b.name));
    },

    async associateAddress(request: AddressRequest): Promise<void> {
      const address = await findAddress(request.address, request.signal);
      if (address['InstanceId'] === request.id) return;
      const allocationId = address['AllocationId'];
      if (typeof allocationId !== 'string') {
        throw new ConflictError(`aws: ${request.address} has no allocation id (not a VPC Elastic IP)`, { provider: AWS_PROVIDER, operation: 'AssociateAddress' });
      }
      // AllowReassociation false: an address in use elsewhere is refused (Resource.AlreadyAssociated), never stolen.
      await call(ec2, 'AssociateAddress', { InstanceId: request.id, AllocationId: allocationId, AllowReassociation: false }, { idempotent: true, signal: request.signal });
    },

    async disassociateAddress(request: AddressRequest): Promise<void> {
      const address = await findAddress(request.address, request.signal);
      const associationId = address['AssociationId'];
      if (address['InstanceId'] !== request.id || typeof associationId !== 'string') return;
      await call(ec2, 'DisassociateAddress', { AssociationId: associationId }, { idempotent: true, signal: request.signal });
    },
  };
}
