import type { Clock, Logger } from '@almanac/core';
import type { Paginated } from '@almanac/core';
import type { OperationAuditEvent, OperationRunnerOptions } from '@almanac/core/kit';
import type {
  ComputeCapabilities,
  ComputeCapability,
  ComputeProvider,
  ContainerCapabilities,
  ContainerCapability,
  ContainerServiceProvider,
  Instance,
  InstanceFilter,
  InstanceState,
  MetricName,
  MetricSeries,
  ScaleSet,
  Service,
  ServiceEvent,
  ServiceFailure,
  ServiceMetricName,
  SizeInfo,
  TaskDefinition,
  TaskDefinitionInput,
  Tags,
  TimeRange,
} from '../spec';

/** Options of {@link createCompute} and {@link createContainers}. */
export interface EngineFacadeOptions {
  /** Deadline of each single call, in ms. Default 60 s. */
  readonly timeoutMs?: number | undefined;
  /** Deadline of `waitFor`, `waitForService` and `resize` when the call gives none, in ms. Default 10 min. */
  readonly waitTimeoutMs?: number | undefined;
  /** Longest interval between two polls, in ms (polls back off ×1.5 from the provider's `pollIntervalMs`). Default 30 s. */
  readonly maxPollIntervalMs?: number | undefined;
  /** Clock of deadlines and polling. Default the system clock; tests pass a manual clock. */
  readonly clock?: Clock | undefined;
  /** Receives diagnostics. Default silent. */
  readonly logger?: Logger | undefined;
  /** Receives one audit event per operation (never secrets). */
  readonly onAudit?: ((event: OperationAuditEvent) => void) | undefined;
  /** OpenTelemetry tracer of the operation spans; default the global one (a no-op without an SDK). */
  readonly tracer?: NonNullable<OperationRunnerOptions<never, never>['tracer']> | undefined;
}

/** Cancellation of one facade call. */
export interface EngineCallOptions {
  /** Aborts the call. */
  readonly signal?: AbortSignal | undefined;
}

/** Options of {@link Compute.listInstances}. */
export interface ListInstancesOptions extends EngineCallOptions {
  /** Conditions on id, state and size. */
  readonly filter?: InstanceFilter | undefined;
  /** Only instances carrying every one of these tag pairs. */
  readonly tags?: Tags | undefined;
  /** Page size hint. */
  readonly pageSize?: number | undefined;
}

/** Options of {@link Compute.stop}. */
export interface StopOptions extends EngineCallOptions {
  /** Release the compute allocation (Azure deallocate; billing stops) instead of powering off. */
  readonly deallocate?: boolean | undefined;
}

/** Options of {@link Compute.resize}. */
export interface ResizeOptions extends EngineCallOptions {
  /**
   * Allow stopping a running instance to resize it (stop → resize → start; Azure deallocates).
   * Without it, a running instance the provider cannot resize in place — or an Azure VM asked
   * for a size outside its `listAvailableSizes` — is refused with `ConflictError` saying so.
   */
  readonly allowStop?: boolean | undefined;
  /** Deadline of the whole resize, in ms; default the facade's `waitTimeoutMs`. */
  readonly timeoutMs?: number | undefined;
}

/** Options of {@link Compute.setTags}. */
export interface SetTagsOptions extends EngineCallOptions {
  /** Tag keys to remove. */
  readonly remove?: readonly string[] | undefined;
}

/** Options of {@link Compute.waitFor}. */
export interface WaitForOptions extends EngineCallOptions {
  /** Give up with `TimeoutError` after this long, in ms; default the facade's `waitTimeoutMs`. */
  readonly timeoutMs?: number | undefined;
  /** First poll interval, in ms; default the provider's `capabilities.pollIntervalMs`. */
  readonly pollIntervalMs?: number | undefined;
}

/** Input of {@link Compute.getMetrics}. */
export interface GetMetricsInput extends EngineCallOptions {
  /** Instance ids. */
  readonly ids: readonly string[];
  /** Metrics wanted (each in `capabilities.metricNames`). */
  readonly metrics: readonly MetricName[];
  /** Time range. */
  readonly range: TimeRange;
  /** Requested period in seconds. */
  readonly periodSeconds: number;
}

/**
 * The compute facade: one interface over EC2, Azure VMs and the simulator. Validates input
 * (`ValidationError` naming the field), refuses unsupported operations before the provider is
 * called (`CapabilityError`), bounds each call by a deadline and the caller's signal, maps every
 * failure to `@almanac/core` errors, and emits one audit event and one span per operation.
 */
export interface Compute {
  /** Provider name. */
  readonly name: string;
  /** The wrapped provider. */
  readonly provider: ComputeProvider;
  /** The provider's capabilities. */
  readonly capabilities: ComputeCapabilities;
  /** Whether the provider supports a capability (flag set and methods present). */
  supports(capability: ComputeCapability): boolean;
  /** Every matching instance, fetched page by page. */
  listInstances(options?: ListInstancesOptions): Paginated<Instance, string>;
  /** One instance; `NotFoundError` when missing. */
  getInstance(id: string, options?: EngineCallOptions): Promise<Instance>;
  /** Starts an instance (returns once accepted; use `waitFor` for `running`). */
  start(id: string, options?: EngineCallOptions): Promise<void>;
  /** Stops (or with `deallocate`, deallocates) an instance (returns once accepted). */
  stop(id: string, options?: StopOptions): Promise<void>;
  /** Reboots a running instance. */
  reboot(id: string, options?: EngineCallOptions): Promise<void>;
  /**
   * Changes the size. A stopped instance is resized and stays stopped; a running one is resized
   * in place when the provider can, else (with `allowStop`) stopped, polled until `stopped`,
   * resized, started and polled until `running`. If the resize fails after the stop, the
   * instance is started again before the error is thrown. Resolves to the instance afterwards.
   * The size is first checked against `listSizes`: the instance's list, or, for providers that
   * resize in place (whose per-instance list holds only in-place sizes), the region's list when
   * the provider can give one (Azure with `location`); an unknown size is a `ValidationError`.
   */
  resize(id: string, size: string, options?: ResizeOptions): Promise<Instance>;
  /** Adds or overwrites tags (and removes `options.remove`). */
  setTags(id: string, tags: Tags, options?: SetTagsOptions): Promise<void>;
  /** Metric series with honest units (see `MetricSeries`). */
  getMetrics(input: GetMetricsInput): Promise<MetricSeries[]>;
  /** Sizes on offer (for `id`: sizes it can be resized to). */
  listSizes(options?: EngineCallOptions & { readonly id?: string | undefined }): Promise<SizeInfo[]>;
  /** Associates a public address (Elastic IP) with an instance. */
  associateAddress(id: string, address: string, options?: EngineCallOptions): Promise<void>;
  /** Disassociates a public address; idempotent. */
  disassociateAddress(id: string, address: string, options?: EngineCallOptions): Promise<void>;
  /** Every scale set. */
  listScaleSets(options?: EngineCallOptions): Paginated<ScaleSet, string>;
  /** Sets a scale set's capacity. */
  setScaleSetCapacity(id: string, capacity: number, options?: EngineCallOptions): Promise<void>;
  /**
   * Polls `getInstance` on the clock until the instance is in `state` (or one of `state`), backing
   * off from the provider's poll interval; `TimeoutError` at the deadline, `ConflictError` when
   * the instance is terminated while another state was awaited. Never a fixed sleep.
   */
  waitFor(id: string, state: InstanceState | readonly InstanceState[], options?: WaitForOptions): Promise<Instance>;
}

/** Options of {@link Containers.listServices}. */
export interface ListServicesOptions extends EngineCallOptions {
  /** Receives services the provider listed but could not describe (never dropped silently; logged at warn when absent). */
  readonly onFailures?: ((failures: readonly ServiceFailure[]) => void) | undefined;
}

/** Identifies a service. */
export interface ServiceRef extends EngineCallOptions {
  /** Cluster name or ARN. */
  readonly cluster: string;
  /** Service name or ARN. */
  readonly service: string;
}

/** Input of {@link Containers.getServiceMetrics}. */
export interface GetServiceMetricsInput extends ServiceRef {
  /** Metrics wanted. */
  readonly metrics: readonly ServiceMetricName[];
  /** Time range. */
  readonly range: TimeRange;
  /** Requested period in seconds. */
  readonly periodSeconds: number;
}

/** The container-service facade (ECS, simulator), with the same guarantees as {@link Compute}. */
export interface Containers {
  /** Provider name. */
  readonly name: string;
  /** The wrapped provider. */
  readonly provider: ContainerServiceProvider;
  /** The provider's capabilities. */
  readonly capabilities: ContainerCapabilities;
  /** Whether the provider supports a capability. */
  supports(capability: ContainerCapability): boolean;
  /** Every service of a cluster, fully described. */
  listServices(cluster: string, options?: ListServicesOptions): Paginated<Service, string>;
  /** One service; `NotFoundError` when missing. */
  getService(input: ServiceRef): Promise<Service>;
  /** Sets the desired task count (≤ `capabilities.maxDesiredCount`). */
  scaleService(input: ServiceRef & { readonly desiredCount: number }): Promise<Service>;
  /** Registers a task definition, validated first (names, ports, Fargate cpu/memory). */
  registerTaskDefinition(definition: TaskDefinitionInput, options?: EngineCallOptions): Promise<TaskDefinition>;
  /** Recent events, newest first. */
  serviceEvents(input: ServiceRef & { readonly since?: Date | undefined }): Promise<ServiceEvent[]>;
  /** Service-level cpu/memory (percent of reservation). */
  getServiceMetrics(input: GetServiceMetricsInput): Promise<MetricSeries[]>;
  /** Polls until running = desired and nothing is pending; resolves to the service. */
  waitForService(input: ServiceRef & { readonly timeoutMs?: number | undefined; readonly pollIntervalMs?: number | undefined }): Promise<Service>;
}
