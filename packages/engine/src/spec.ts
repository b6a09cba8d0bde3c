/**
 * The compute provider contracts (specification `v1`). Adapters implement
 * {@link ComputeProvider} (virtual machines) and {@link ContainerServiceProvider} (container
 * services); users call the `Compute` and `Containers` facades that wrap them (`createCompute`,
 * `createContainers`).
 *
 * Shaped after Apache Libcloud's `NodeDriver`: every instance carries a normalised
 * {@link InstanceState} and the provider's own `rawState` beside it, plus the untouched provider
 * record in `raw`. Fields a provider does not report are left absent, never guessed.
 *
 * Division of labour:
 * - providers do one provider call (or one paginated/batched sequence) per method, map the answer
 *   onto these types and throw `@almanac/core` errors (`NotFoundError`, `ConflictError`,
 *   `RateLimitError`, `AuthError`, `PermissionError`, `ProviderError`, …);
 * - the facades validate input, check capabilities, apply deadlines, turn pages into
 *   `AsyncIterable`s, and own every wait: `waitFor` polls `getInstance` on the injected clock and
 *   `resize` runs stop → wait → resize → start → wait. Providers never sleep a fixed time.
 */

import { type ProviderContract, SPECIFICATION_VERSION, defineCapabilityMethods } from '@almanac/core/kit';

/** The version of this contract (the kit's `SPECIFICATION_VERSION`); providers declare it as `specificationVersion`. */
export const ENGINE_SPECIFICATION_VERSION: typeof SPECIFICATION_VERSION = SPECIFICATION_VERSION;

/** Type of {@link ENGINE_SPECIFICATION_VERSION}. */
export type EngineSpecificationVersion = typeof SPECIFICATION_VERSION;

/** Cancellation common to every provider call. */
export interface CallOptions {
  /** Aborts the call. Every method that reaches the network honours it. */
  readonly signal?: AbortSignal | undefined;
}

/** A half-open time range `[start, end)`. */
export interface TimeRange {
  /** Inclusive start. */
  readonly start: Date;
  /** Exclusive end. */
  readonly end: Date;
}

/** One page of a listing. */
export interface Page<T> {
  /** Items on this page (possibly empty even when more pages follow). */
  readonly items: readonly T[];
  /** Opaque cursor of the next page; absent on the last page. */
  readonly cursor?: string | undefined;
}

// ---------------------------------------------------------------------------------------------
// Instances
// ---------------------------------------------------------------------------------------------

/**
 * Normalised lifecycle state (Libcloud's `NodeState`, reduced). Mapping guide:
 * EC2 `pending`→pending, `running`→running, `stopping`/`shutting-down`→stopping, `stopped`→stopped,
 * `terminated`→terminated; Azure `PowerState/starting`→pending, `running`→running,
 * `stopping`/`deallocating`→stopping, `stopped`/`deallocated`→stopped; anything else → `unknown`
 * (with `rawState` kept).
 */
export type InstanceState = 'pending' | 'running' | 'stopping' | 'stopped' | 'terminated' | 'rebooting' | 'unknown';

/** Every {@link InstanceState}, in lifecycle order. */
export const INSTANCE_STATES: readonly InstanceState[] = ['pending', 'running', 'stopping', 'stopped', 'terminated', 'rebooting', 'unknown'];

/** Tags (labels) as string pairs. */
export type Tags = Readonly<Record<string, string>>;

/** An inbound network rule that applies to an instance (security group / NSG rule). */
export interface IngressRule {
  /** `tcp`, `udp`, `icmp` or `all` (`-1` in EC2, `*` in Azure). */
  readonly protocol: 'tcp' | 'udp' | 'icmp' | 'all';
  /** First port (inclusive); absent for all ports. */
  readonly fromPort?: number | undefined;
  /** Last port (inclusive); absent for all ports. */
  readonly toPort?: number | undefined;
  /** Source as the provider spells it: a CIDR (`0.0.0.0/0`, `::/0`), `*`, `Internet`, a group id. */
  readonly source: string;
  /** Security group or network security group the rule belongs to. */
  readonly groupId?: string | undefined;
}

/** A disk attached to an instance. */
export interface AttachedDisk {
  /** Provider disk/volume id. */
  readonly id: string;
  /** Size in GiB (2^30 bytes). */
  readonly sizeGiB?: number | undefined;
  /** Provider disk type (`gp3`, `Premium_LRS`, …). */
  readonly type?: string | undefined;
  /**
   * Whether the disk is billed while the instance is stopped. True for EBS volumes and Azure
   * managed disks; false for instance-store / ephemeral disks.
   */
  readonly billedWhenStopped?: boolean | undefined;
}

/** A virtual machine as every provider reports it. */
export interface Instance {
  /** Provider id (`i-0abc…`, Azure resource id). */
  readonly id: string;
  /** Display name (`Name` tag on EC2, resource name on Azure); absent when the provider has none. */
  readonly name?: string | undefined;
  /** Name of the provider that returned it (`aws`, `azure`, `simulator`). */
  readonly provider: string;
  /** Region (`eu-west-1`, `westeurope`). */
  readonly region: string;
  /** Availability zone, when reported. */
  readonly zone?: string | undefined;
  /** Size / instance type as the provider names it (`t3.micro`, `Standard_D2s_v5`). */
  readonly size: string;
  /** Normalised state. */
  readonly state: InstanceState;
  /** The provider's own state string (`shutting-down`, `PowerState/deallocated`, …). */
  readonly rawState: string;
  /**
   * Whether compute time is billed in this state, when the provider says so: an Azure VM that is
   * `PowerState/stopped` (powered off, not deallocated) still bills compute; EC2 `stopped` does not.
   */
  readonly computeBilled?: boolean | undefined;
  /** Launch / creation time, when reported. */
  readonly launchedAt?: Date | undefined;
  /** Tags. Empty object when none. */
  readonly tags: Tags;
  /**
   * Public IPv4/IPv6 addresses. Empty when the provider reports none; **absent when the adapter
   * does not read them** (Azure: addresses live on network interfaces, which would cost one more
   * call per VM), so absence means "unknown", never "none". AWS and the simulator always fill it.
   */
  readonly publicIps?: readonly string[] | undefined;
  /** Private addresses. Empty when none; absent when not read (as for {@link Instance.publicIps}). */
  readonly privateIps?: readonly string[] | undefined;
  /** Inbound rules in effect, when the provider reported them (absent = not known, not "none"). */
  readonly ingress?: readonly IngressRule[] | undefined;
  /** Attached disks, when reported. */
  readonly disks?: readonly AttachedDisk[] | undefined;
  /** The provider's own record, kept because mappings are lossy. */
  readonly raw: unknown;
}

/** Filters of {@link ComputeProvider.listInstancesPage}; all given conditions must hold. */
export interface InstanceFilter {
  /** Only these ids. (EC2: `InstanceIds`, never combined with `MaxResults`.) */
  readonly ids?: readonly string[] | undefined;
  /** Only instances in one of these normalised states. */
  readonly states?: readonly InstanceState[] | undefined;
  /** Only these sizes. */
  readonly sizes?: readonly string[] | undefined;
}

/** Input of {@link ComputeProvider.listInstancesPage}. */
export interface ListInstancesRequest extends CallOptions {
  /** Conditions on id, state and size. */
  readonly filter?: InstanceFilter | undefined;
  /** Only instances carrying every one of these tag pairs (exact key and value). */
  readonly tags?: Tags | undefined;
  /** Cursor from the previous page. */
  readonly cursor?: string | undefined;
  /** Page size hint; providers may return fewer or more. */
  readonly pageSize?: number | undefined;
}

/** Input of single-instance operations. */
export interface InstanceRequest extends CallOptions {
  /** Instance id. */
  readonly id: string;
}

/** Input of {@link ComputeProvider.stop}. */
export interface StopRequest extends InstanceRequest {
  /**
   * Release the compute allocation so it stops billing (Azure `beginDeallocate`) instead of only
   * powering off (Azure `beginPowerOff`, still billed). Providers without the distinction
   * (`capabilities.deallocate === false`) ignore it; EC2 `StopInstances` always stops compute billing.
   */
  readonly deallocate?: boolean | undefined;
}

/** Input of {@link ComputeProvider.resizeInstance}. */
export interface ResizeRequest extends InstanceRequest {
  /** New size name. */
  readonly size: string;
}

/** Input of {@link ComputeProvider.setTags}. */
export interface SetTagsRequest extends InstanceRequest {
  /** Pairs to add or overwrite; other existing tags are kept. */
  readonly tags: Tags;
  /** Keys to remove. */
  readonly remove?: readonly string[] | undefined;
}

/** Input of {@link ComputeProvider.associateAddress} / {@link ComputeProvider.disassociateAddress}. */
export interface AddressRequest extends InstanceRequest {
  /** The public address, or the provider's allocation id (`eipalloc-…`, public IP resource id). */
  readonly address: string;
}

// ---------------------------------------------------------------------------------------------
// Sizes
// ---------------------------------------------------------------------------------------------

/** A size on offer. */
export interface SizeInfo {
  /** Size name (`t3.micro`). */
  readonly name: string;
  /** vCPUs. */
  readonly vcpus: number;
  /** Memory in GiB (2^30 bytes). */
  readonly memoryGiB: number;
  /** On-demand price per hour, when the provider knows it. */
  readonly hourlyPrice?: number | undefined;
  /** ISO 4217 currency of `hourlyPrice`. */
  readonly currency?: string | undefined;
  /** The provider's own record. */
  readonly raw?: unknown;
}

/** Input of {@link ComputeProvider.listSizes}. */
export interface ListSizesRequest extends CallOptions {
  /** Sizes this instance can be resized to in place (Azure `listAvailableSizes`); all sizes when absent. */
  readonly id?: string | undefined;
}

// ---------------------------------------------------------------------------------------------
// Metrics
// ---------------------------------------------------------------------------------------------

/** Metrics the engine knows. */
export type MetricName = 'cpu' | 'memory' | 'networkIn' | 'networkOut' | 'diskReadOps' | 'diskWriteOps';

/** Every {@link MetricName}. */
export const METRIC_NAMES: readonly MetricName[] = ['cpu', 'memory', 'networkIn', 'networkOut', 'diskReadOps', 'diskWriteOps'];

/**
 * Unit of a series' values, said honestly:
 * - `percent`: 0–100 (cpu utilisation; memory when `measure` says used/available percent);
 * - `bytes`: a byte count per period (network) or a byte level (Azure "Available Memory Bytes");
 * - `bytes/second`: a byte rate;
 * - `count`: operations per period (CloudWatch `DiskReadOps` Sum);
 * - `count/second`: an operation rate (Azure `Disk Read Operations/Sec`).
 */
export type MetricUnit = 'percent' | 'bytes' | 'bytes/second' | 'count' | 'count/second';

/** How points were aggregated over each period. */
export type MetricStatistic = 'average' | 'sum' | 'maximum' | 'minimum';

/**
 * What a memory (or other level) value measures: `used` or `available`. A series reporting
 * available bytes must never be presented as usage; convert with the instance's memory size.
 */
export type MetricMeasure = 'used' | 'available' | 'transferred' | 'operations';

/** One point: the aggregate over `[at, at + periodSeconds)`. */
export interface MetricPoint {
  /** Start of the period. */
  readonly at: Date;
  /** Aggregated value in the series' unit. */
  readonly value: number;
}

/** One metric of one resource over a range. */
export interface MetricSeries {
  /** Instance (or service) id. */
  readonly id: string;
  /** Which metric. */
  readonly metric: MetricName;
  /** Unit of every value. */
  readonly unit: MetricUnit;
  /** What the value measures (memory: `used` vs `available`). */
  readonly measure: MetricMeasure;
  /** Aggregation over each period. */
  readonly statistic: MetricStatistic;
  /** Period length in seconds (what the provider actually used; may exceed the request). */
  readonly periodSeconds: number;
  /** Points in time order; empty when the provider has no data (e.g. EC2 memory without the agent). */
  readonly points: readonly MetricPoint[];
  /** The provider's metric name / namespace, for the curious. */
  readonly source?: string | undefined;
}

/** Input of {@link ComputeProvider.getMetrics}. */
export interface MetricsRequest extends CallOptions {
  /** Instance ids (the provider batches, e.g. ≤ 500 CloudWatch queries per `GetMetricData`). */
  readonly ids: readonly string[];
  /** Metrics wanted; each must be in `capabilities.metricNames`. */
  readonly metrics: readonly MetricName[];
  /** Time range. */
  readonly range: TimeRange;
  /** Requested period (≥ 60 for CloudWatch standard resolution). */
  readonly periodSeconds: number;
}

// ---------------------------------------------------------------------------------------------
// Scale sets (Azure VM Scale Sets; EC2 Auto Scaling groups could map here later)
// ---------------------------------------------------------------------------------------------

/** A group of identical instances with one capacity knob. */
export interface ScaleSet {
  /** Provider id. */
  readonly id: string;
  /** Name. */
  readonly name: string;
  /** Region. */
  readonly region: string;
  /** Size of every instance. */
  readonly size: string;
  /** Desired instance count. */
  readonly capacity: number;
  /** Tags. */
  readonly tags: Tags;
  /** The provider's own record. */
  readonly raw: unknown;
}

/** Input of {@link ComputeProvider.setScaleSetCapacity}. */
export interface SetCapacityRequest extends CallOptions {
  /** Scale set id. */
  readonly id: string;
  /** New capacity (≥ 0). */
  readonly capacity: number;
}

// ---------------------------------------------------------------------------------------------
// The compute provider
// ---------------------------------------------------------------------------------------------

/** What a compute provider supports. The facade rejects calls outside these with `CapabilityError`. */
export interface ComputeCapabilities {
  /** `start`, `stop` and `reboot` are available. */
  readonly powerControl: boolean;
  /** `stop` distinguishes deallocating (compute billing stops) from powering off (Azure). */
  readonly deallocate: boolean;
  /** `resizeInstance` is available. */
  readonly resize: boolean;
  /**
   * `resizeInstance` works on a running instance (the provider restarts it itself, e.g. Azure
   * within `listAvailableSizes`). When false the instance must be stopped first; the facade's
   * `resize` does that when the caller passes `allowStop: true`. When true, a size that needs a
   * stop makes `resizeInstance` throw `ConflictError`, and the facade (with `allowStop: true`)
   * stops — deallocates when `deallocate` — resizes and starts.
   */
  readonly resizeInPlace: boolean;
  /** `setTags` is available. */
  readonly tags: boolean;
  /** `getMetrics` is available. */
  readonly metrics: boolean;
  /** Metrics `getMetrics` can return (empty when `metrics` is false). */
  readonly metricNames: readonly MetricName[];
  /** `listSizes` is available. */
  readonly sizes: boolean;
  /** `listSizes` fills `hourlyPrice`. */
  readonly prices: boolean;
  /** `associateAddress` and `disassociateAddress` (Elastic IPs) are available. */
  readonly addresses: boolean;
  /** `listScaleSetsPage` and `setScaleSetCapacity` are available. */
  readonly scaleSets: boolean;
  /** Suggested first interval (ms) between polls of `getInstance` in `waitFor`. */
  readonly pollIntervalMs: number;
}

/**
 * What a compute adapter implements. Small and async; every method takes a signal. Optional
 * methods are only called when `capabilities` says so (the facade checks, see
 * {@link COMPUTE_CAPABILITY_METHODS}).
 *
 * Operations that change state (`start`, `stop`, `reboot`, `resizeInstance`) resolve once the
 * provider has accepted the request (Azure: once the long-running operation has been polled to
 * completion with the SDK poller and the caller's signal); they never sleep a fixed time. Starting
 * a running or stopping a stopped instance is a no-op, not an error. A transition the current state
 * forbids (start a terminated instance, resize a running one without `resizeInPlace`) throws
 * `ConflictError`; an unknown id throws `NotFoundError`.
 */
export interface ComputeProvider extends ProviderContract {
  /** Provider name used in errors and audit events: `aws`, `azure`, `simulator`. */
  readonly name: string;
  /** Contract version implemented. */
  readonly specificationVersion: EngineSpecificationVersion;
  /** What this provider supports. */
  readonly capabilities: ComputeCapabilities;
  /** One page of instances matching the filter and tags (the provider may filter client-side). */
  listInstancesPage(request: ListInstancesRequest): Promise<Page<Instance>>;
  /** One instance; `NotFoundError` when missing. Terminated instances may still be returned. */
  getInstance(request: InstanceRequest): Promise<Instance>;
  /** Starts a stopped instance. */
  start?(request: InstanceRequest): Promise<void>;
  /** Stops (or deallocates) a running instance. */
  stop?(request: StopRequest): Promise<void>;
  /** Reboots a running instance. */
  reboot?(request: InstanceRequest): Promise<void>;
  /** Changes the size: of a stopped instance, or of a running one when `resizeInPlace`. */
  resizeInstance?(request: ResizeRequest): Promise<void>;
  /** Adds/overwrites tags and removes `remove` keys; returns nothing. */
  setTags?(request: SetTagsRequest): Promise<void>;
  /** One series per (id, metric) requested, in request order (ids outer, metrics inner). */
  getMetrics?(request: MetricsRequest): Promise<MetricSeries[]>;
  /** Sizes on offer (with prices when `capabilities.prices`). */
  listSizes?(request: ListSizesRequest): Promise<SizeInfo[]>;
  /** Associates a public address (Elastic IP) with the instance. */
  associateAddress?(request: AddressRequest): Promise<void>;
  /** Disassociates a public address from the instance; idempotent. */
  disassociateAddress?(request: AddressRequest): Promise<void>;
  /** One page of scale sets. */
  listScaleSetsPage?(request: CallOptions & { readonly cursor?: string | undefined }): Promise<Page<ScaleSet>>;
  /** Sets a scale set's capacity; resolves when the provider accepted it. */
  setScaleSetCapacity?(request: SetCapacityRequest): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Container services
// ---------------------------------------------------------------------------------------------

/** Normalised service status (ECS `ACTIVE`/`DRAINING`/`INACTIVE`). */
export type ServiceStatus = 'active' | 'draining' | 'inactive' | 'unknown';

/** Rollout state of a deployment (ECS `rolloutState`). */
export type RolloutState = 'in_progress' | 'completed' | 'failed';

/** One deployment of a service (ECS `Deployment`). */
export interface ServiceDeployment {
  /** Deployment id. */
  readonly id: string;
  /** `primary` (newest), `active` (still draining) or `inactive`, lower-cased from the provider. */
  readonly status: string;
  /** Task definition this deployment runs. */
  readonly taskDefinition: string;
  /** Tasks wanted. */
  readonly desiredCount: number;
  /** Tasks running. */
  readonly runningCount: number;
  /** Tasks starting. */
  readonly pendingCount: number;
  /** Rollout state, when reported. */
  readonly rolloutState?: RolloutState | undefined;
  /** Created at, when reported. */
  readonly createdAt?: Date | undefined;
  /** Last updated at, when reported. */
  readonly updatedAt?: Date | undefined;
}

/** A container service with its full description. */
export interface Service {
  /** Service name. */
  readonly name: string;
  /** Provider id / ARN. */
  readonly arn: string;
  /** Cluster name or ARN as the caller passed it. */
  readonly cluster: string;
  /** Tasks wanted. */
  readonly desiredCount: number;
  /** Tasks running. */
  readonly runningCount: number;
  /** Tasks starting. */
  readonly pendingCount: number;
  /** Normalised status. */
  readonly status: ServiceStatus;
  /** The provider's own status string. */
  readonly rawStatus: string;
  /** Task definition of the primary deployment (ARN or `family:revision`). */
  readonly taskDefinition: string;
  /** Deployments, primary first. */
  readonly deployments: readonly ServiceDeployment[];
  /** Launch type (`FARGATE`, `EC2`), when reported. */
  readonly launchType?: string | undefined;
  /** Created at, when reported. */
  readonly createdAt?: Date | undefined;
  /** The provider's own record. */
  readonly raw: unknown;
}

/** A service the provider could not describe (ECS `DescribeServices` `failures`). */
export interface ServiceFailure {
  /** ARN or name asked for. */
  readonly arn: string;
  /** Provider reason (`MISSING`, …). */
  readonly reason: string;
  /** Detail, when given. */
  readonly detail?: string | undefined;
}

/** One page of services, with the ones that could not be described. */
export interface ServicePage extends Page<Service> {
  /** Services listed but not described; never silently dropped. */
  readonly failures?: readonly ServiceFailure[] | undefined;
}

/** Input of {@link ContainerServiceProvider.listServicesPage}. */
export interface ListServicesRequest extends CallOptions {
  /** Cluster name or ARN. */
  readonly cluster: string;
  /** Cursor from the previous page. */
  readonly cursor?: string | undefined;
}

/** Input of single-service operations. */
export interface ServiceRequest extends CallOptions {
  /** Cluster name or ARN. */
  readonly cluster: string;
  /** Service name or ARN. */
  readonly service: string;
}

/** Input of {@link ContainerServiceProvider.scaleService}. */
export interface ScaleServiceRequest extends ServiceRequest {
  /** New desired task count (≥ 0). */
  readonly desiredCount: number;
}

/** A port a container listens on. */
export interface PortMapping {
  /** Container port (1–65535). */
  readonly containerPort: number;
  /** Host port; absent lets the platform choose (or equals `containerPort` in `awsvpc`). */
  readonly hostPort?: number | undefined;
  /** `tcp` (default) or `udp`. */
  readonly protocol?: 'tcp' | 'udp' | undefined;
}

/** One container of a task definition. */
export interface ContainerDefinition {
  /** Container name, unique in the task. */
  readonly name: string;
  /** Image reference. */
  readonly image: string;
  /** CPU units (1024 = one vCPU). */
  readonly cpu?: number | undefined;
  /** Hard memory limit in MiB. */
  readonly memoryMiB?: number | undefined;
  /** Whether the task stops when this container stops; default true. */
  readonly essential?: boolean | undefined;
  /** Ports. */
  readonly portMappings?: readonly PortMapping[] | undefined;
  /** Environment variables (never secrets: use `secrets`). */
  readonly environment?: Readonly<Record<string, string>> | undefined;
  /** Secrets as name → provider secret reference (ARN / Key Vault URI); values never pass through. */
  readonly secrets?: Readonly<Record<string, string>> | undefined;
  /** Command override. */
  readonly command?: readonly string[] | undefined;
}

/** Input of {@link ContainerServiceProvider.registerTaskDefinition}, validated by the facade. */
export interface TaskDefinitionInput {
  /** Family name (letters, digits, `-`, `_`; ≤ 255). */
  readonly family: string;
  /** At least one container. */
  readonly containers: readonly ContainerDefinition[];
  /** Task CPU units (Fargate requires it). */
  readonly cpu?: number | undefined;
  /** Task memory in MiB (Fargate requires it). */
  readonly memoryMiB?: number | undefined;
  /** Network mode. */
  readonly networkMode?: 'awsvpc' | 'bridge' | 'host' | 'none' | undefined;
  /** Launch types it must be compatible with. */
  readonly requiresCompatibilities?: readonly ('EC2' | 'FARGATE' | 'EXTERNAL')[] | undefined;
  /** Role the agent uses to pull images and read secrets. */
  readonly executionRoleArn?: string | undefined;
  /** Role the task's code runs as. */
  readonly taskRoleArn?: string | undefined;
  /** Tags. */
  readonly tags?: Tags | undefined;
}

/** A registered task definition. */
export interface TaskDefinition {
  /** ARN or id. */
  readonly arn: string;
  /** Family. */
  readonly family: string;
  /** Revision number. */
  readonly revision: number;
  /** The provider's own record. */
  readonly raw: unknown;
}

/** Input of {@link ContainerServiceProvider.registerTaskDefinition}. */
export interface RegisterTaskDefinitionRequest extends CallOptions {
  /** The definition (already validated by the facade). */
  readonly definition: TaskDefinitionInput;
}

/** A service event (ECS `events`: "has reached a steady state", placement failures, …). */
export interface ServiceEvent {
  /** Event id. */
  readonly id: string;
  /** When it happened. */
  readonly at: Date;
  /** Message as the provider wrote it. */
  readonly message: string;
}

/** Input of {@link ContainerServiceProvider.serviceEvents}. */
export interface ServiceEventsRequest extends ServiceRequest {
  /** Only events at or after this instant. */
  readonly since?: Date | undefined;
}

/** Metrics a container service reports (percent of the reserved task CPU / memory). */
export type ServiceMetricName = 'cpu' | 'memory';

/** Input of {@link ContainerServiceProvider.getServiceMetrics}. */
export interface ServiceMetricsRequest extends ServiceRequest {
  /** Metrics wanted. */
  readonly metrics: readonly ServiceMetricName[];
  /** Time range. */
  readonly range: TimeRange;
  /** Requested period in seconds. */
  readonly periodSeconds: number;
}

/** What a container provider supports. */
export interface ContainerCapabilities {
  /** `scaleService` is available. */
  readonly scale: boolean;
  /** `registerTaskDefinition` is available. */
  readonly taskDefinitions: boolean;
  /** `serviceEvents` is available. */
  readonly events: boolean;
  /** `getServiceMetrics` is available (service-level cpu/memory as percent of reservation). */
  readonly metrics: boolean;
  /** Largest `desiredCount` the provider accepts for one service. */
  readonly maxDesiredCount: number;
  /** Suggested first interval (ms) between polls when waiting for a service to settle. */
  readonly pollIntervalMs: number;
}

/**
 * What a container-service adapter implements. `listServicesPage` returns full descriptions
 * (ECS: `ListServices` page, then `DescribeServices` in chunks of at most 10, failures reported).
 */
export interface ContainerServiceProvider extends ProviderContract {
  /** Provider name: `aws`, `simulator`. */
  readonly name: string;
  /** Contract version implemented. */
  readonly specificationVersion: EngineSpecificationVersion;
  /** What this provider supports. */
  readonly capabilities: ContainerCapabilities;
  /** One page of fully described services of a cluster. */
  listServicesPage(request: ListServicesRequest): Promise<ServicePage>;
  /** One service; `NotFoundError` when missing (or listed in `failures` as `MISSING`). */
  getService(request: ServiceRequest): Promise<Service>;
  /** Sets the desired count; returns the service as the provider reports it after the update. */
  scaleService?(request: ScaleServiceRequest): Promise<Service>;
  /** Registers a new task definition revision. */
  registerTaskDefinition?(request: RegisterTaskDefinitionRequest): Promise<TaskDefinition>;
  /** Recent events of a service, newest first. */
  serviceEvents?(request: ServiceEventsRequest): Promise<ServiceEvent[]>;
  /** Service-level metrics (one series per metric, `id` = service ARN). */
  getServiceMetrics?(request: ServiceMetricsRequest): Promise<MetricSeries[]>;
}

// ---------------------------------------------------------------------------------------------
// Capability → method tables
// ---------------------------------------------------------------------------------------------

/** Methods of {@link ComputeProvider} that need a capability flag. */
export type ComputeCapabilityMethod = Exclude<keyof ComputeProvider, 'name' | 'specificationVersion' | 'capabilities' | 'listInstancesPage' | 'getInstance'>;

/** Methods of {@link ContainerServiceProvider} that need a capability flag. */
export type ContainerCapabilityMethod = Exclude<keyof ContainerServiceProvider, 'name' | 'specificationVersion' | 'capabilities' | 'listServicesPage' | 'getService'>;

/**
 * Which methods each boolean compute capability promises. The facade checks both the flag and
 * that the methods are functions; the conformance suite checks the two agree.
 */
export const COMPUTE_CAPABILITY_METHODS = defineCapabilityMethods<ComputeProvider>()({
  /** Power transitions. */
  powerControl: ['start', 'stop', 'reboot'],
  /** Size changes. */
  resize: ['resizeInstance'],
  /** Tag writes. */
  tags: ['setTags'],
  /** Metric series. */
  metrics: ['getMetrics'],
  /** The size list (with prices when `prices`). */
  sizes: ['listSizes'],
  /** Public addresses (Elastic IPs). */
  addresses: ['associateAddress', 'disassociateAddress'],
  /** Scale sets. */
  scaleSets: ['listScaleSetsPage', 'setScaleSetCapacity'],
});

/** Which methods each boolean container capability promises. */
export const CONTAINER_CAPABILITY_METHODS = defineCapabilityMethods<ContainerServiceProvider>()({
  /** Desired-count changes. */
  scale: ['scaleService'],
  /** Task definition registration. */
  taskDefinitions: ['registerTaskDefinition'],
  /** Service events. */
  events: ['serviceEvents'],
  /** Service-level metrics. */
  metrics: ['getServiceMetrics'],
});

/** A compute capability that gates methods. */
export type ComputeCapability = keyof typeof COMPUTE_CAPABILITY_METHODS;

/** A container capability that gates methods. */
export type ContainerCapability = keyof typeof CONTAINER_CAPABILITY_METHODS;
