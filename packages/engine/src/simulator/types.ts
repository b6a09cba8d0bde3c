import type { AlmanacError, Clock } from '@almanac/core';
import type {
  AttachedDisk,
  ComputeProvider,
  ContainerServiceProvider,
  IngressRule,
  Instance,
  MetricName,
  ScaleSet,
  Service,
  SizeInfo,
  Tags,
  TimeRange,
} from '../spec';

/** How a simulated instance loads its machine over a day (UTC). Percentages are 0–100. */
export interface SimulatorLoadProfile {
  /** CPU percent at the daily trough. */
  readonly cpuBase: number;
  /** CPU percent added at the daily peak. */
  readonly cpuAmplitude: number;
  /** Standard deviation of per-minute CPU noise, in percent points. */
  readonly cpuNoise: number;
  /** Hour of the daily peak, UTC (0–24). */
  readonly peakHourUtc: number;
  /** Memory used, percent, at the trough. */
  readonly memoryBase: number;
  /** Memory percent added at the peak. */
  readonly memoryAmplitude: number;
  /** Bytes received per minute at the peak. */
  readonly networkInBytesPerMinute: number;
  /** Bytes sent per minute at the peak. */
  readonly networkOutBytesPerMinute: number;
  /** Disk read operations per minute at the peak. */
  readonly diskReadOpsPerMinute: number;
  /** Disk write operations per minute at the peak. */
  readonly diskWriteOpsPerMinute: number;
}

/** Ready-made load profiles: `idle` (≈1 % CPU, almost no traffic), `light`, `steady`, `busy`. */
export type SimulatorLoadPreset = 'idle' | 'light' | 'steady' | 'busy';

/** Raw states an instance can be seeded in. */
export type SimulatorSeedState = 'pending' | 'running' | 'stopped' | 'deallocated' | 'terminated';

/** An instance to create when the simulator starts (or with `world.addInstance`). */
export interface SimulatorInstanceSeed {
  /** Id; generated (`i-` + 17 hex digits) when absent. */
  readonly id?: string | undefined;
  /** Name; absent stays absent. */
  readonly name?: string | undefined;
  /** Size, one of the simulator's sizes; default `t3.medium`. */
  readonly size?: string | undefined;
  /** Initial state; default `running` (running since `launchedAt`). */
  readonly state?: SimulatorSeedState | undefined;
  /** Region; default the simulator's region. */
  readonly region?: string | undefined;
  /** Zone; default `<region>a`. */
  readonly zone?: string | undefined;
  /** Tags. */
  readonly tags?: Tags | undefined;
  /** Public addresses. Default none. */
  readonly publicIps?: readonly string[] | undefined;
  /** Private addresses; default one generated `10.x.y.z`. */
  readonly privateIps?: readonly string[] | undefined;
  /** Inbound rules; absent means "not reported". */
  readonly ingress?: readonly IngressRule[] | undefined;
  /** Attached disks; default one 30 GiB `gp3` volume billed when stopped. */
  readonly disks?: readonly AttachedDisk[] | undefined;
  /** Launch time; default 30 days before the clock's start. */
  readonly launchedAt?: Date | undefined;
  /** Load profile (a preset or overrides of a seeded `steady`-like profile). */
  readonly load?: SimulatorLoadPreset | Partial<SimulatorLoadProfile> | undefined;
}

/** Demand on a simulated container service. */
export interface SimulatorServiceLoad {
  /** Mean requests per second over a day. */
  readonly baseRps: number;
  /** Daily swing as a fraction of `baseRps` (0.5: from 0.5× at the trough to 1.5× at the peak). */
  readonly amplitude: number;
  /** Hour of the daily peak, UTC. */
  readonly peakHourUtc: number;
  /** Relative standard deviation of per-minute noise. */
  readonly noise: number;
  /** Requests per second one task serves at 100 % CPU. */
  readonly rpsPerTask: number;
  /** Memory used per task, percent of its reservation, at idle. */
  readonly memoryPercent: number;
}

/** A container service to create when the simulator starts (or with `world.addService`). */
export interface SimulatorServiceSeed {
  /** Cluster name. */
  readonly cluster: string;
  /** Service name (unique in the cluster). */
  readonly name: string;
  /** Initial desired count, all tasks already running; default 2. */
  readonly desiredCount?: number | undefined;
  /** Task definition; default `<name>:1`. */
  readonly taskDefinition?: string | undefined;
  /** Launch type; default `FARGATE`. */
  readonly launchType?: string | undefined;
  /** Demand; defaults: 100 rps ± 50 %, peak 14:00 UTC, 5 % noise, 50 rps per task, 40 % memory. */
  readonly load?: Partial<SimulatorServiceLoad> | undefined;
  /** Time a new task takes to start; default the simulator's `delays.taskStartMs`. */
  readonly taskStartMs?: number | undefined;
  /** Creation time; default 30 days before the clock's start. */
  readonly createdAt?: Date | undefined;
}

/** A scale set to create when the simulator starts. */
export interface SimulatorScaleSetSeed {
  /** Id; generated when absent. */
  readonly id?: string | undefined;
  /** Name. */
  readonly name: string;
  /** Instance size; default `t3.medium`. */
  readonly size?: string | undefined;
  /** Capacity; default 2. */
  readonly capacity?: number | undefined;
  /** Tags. */
  readonly tags?: Tags | undefined;
}

/** How long transitions take on the simulator's clock, in ms. */
export interface SimulatorDelays {
  /** stopped → running. Default 15 s. */
  readonly startMs: number;
  /** running → stopped (powered off). Default 20 s. */
  readonly stopMs: number;
  /** running/stopped → deallocated. Default 30 s. */
  readonly deallocateMs: number;
  /** rebooting → running. Default 10 s. */
  readonly rebootMs: number;
  /** A task from requested to running. Default 30 s. */
  readonly taskStartMs: number;
  /** Relative jitter of task start times, drawn from the seed. Default 0.2. */
  readonly taskStartJitter: number;
}

/** Options of the simulator factories. */
export interface SimulatorOptions {
  /** Clock of every transition and metric; default the system clock. Tests pass `createManualClock()`. */
  readonly clock?: Clock | undefined;
  /** Seed of ids, noise and jitter; default 1. Same seed, same inputs, same results. */
  readonly seed?: number | undefined;
  /** Default region; default `sim-east-1`. */
  readonly region?: string | undefined;
  /** Instances to start with. */
  readonly instances?: readonly SimulatorInstanceSeed[] | undefined;
  /** Container services to start with. */
  readonly services?: readonly SimulatorServiceSeed[] | undefined;
  /** Scale sets to start with. */
  readonly scaleSets?: readonly SimulatorScaleSetSeed[] | undefined;
  /** Transition delays. */
  readonly delays?: Partial<SimulatorDelays> | undefined;
  /** Sizes on offer; default {@link SIMULATOR_SIZES}. */
  readonly sizes?: readonly SizeInfo[] | undefined;
  /** Instances per page of `listInstancesPage`; default 50. Services per page: 10, as ECS. */
  readonly pageSize?: number | undefined;
}

/** What an incident does to the metric values inside its window. */
export type SimulatorIncidentEffect =
  | 'missing'
  | {
      /** Added to each value. */
      readonly add: number;
    }
  | {
      /** Each value multiplied by it. */
      readonly multiply: number;
    }
  | {
      /** Each value replaced by it. */
      readonly set: number;
    };

/** A disturbance of an instance's or a service's metrics over a time window. */
export interface SimulatorIncident {
  /** Instance id, or `<cluster>/<service>` for a container service. */
  readonly target: string;
  /**
   * Metric disturbed; for a service also `load` (its demand in requests/s, which moves its CPU).
   * Absent: every metric of the target (`missing` then makes the target report nothing).
   */
  readonly metric?: MetricName | 'load' | undefined;
  /** Inclusive start. */
  readonly start: Date;
  /** Exclusive end. */
  readonly end: Date;
  /** The disturbance. */
  readonly effect: SimulatorIncidentEffect;
}

/** Kinds of failure a fault can raise. */
export type SimulatorFaultError = 'throttled' | 'unavailable' | 'timeout' | 'auth' | 'permission' | 'conflict' | AlmanacError;

/** A fault injected into provider calls. */
export interface SimulatorFault {
  /** Provider method names it applies to (`getService`, `scaleService`, …); default all. */
  readonly operation?: string | readonly string[] | undefined;
  /** Instance id, scale set id or `<cluster>/<service>` it applies to; default any. */
  readonly target?: string | undefined;
  /** Error to raise; absent for a latency-only fault. */
  readonly error?: SimulatorFaultError | undefined;
  /** How many calls it affects; default 1. `Infinity` for a lasting outage. */
  readonly times?: number | undefined;
  /** Chance (drawn from the seed) that a matching call is affected; default 1. */
  readonly probability?: number | undefined;
  /** Delay before the call proceeds (or fails), on the simulator's clock. */
  readonly latencyMs?: number | undefined;
}

/** A handle to remove an injected incident or fault. */
export interface SimulatorHandle {
  /** Removes it; idempotent. */
  remove(): void;
}

/** One demand sample of a service (see {@link SimulatorWorld.serviceLoad}). */
export interface SimulatorLoadSample {
  /** Sample time. */
  readonly at: Date;
  /** Requests per second. */
  readonly load: number;
}

/** The simulated cloud behind the simulator's providers: inspect it and disturb it. */
export interface SimulatorWorld {
  /** Clock in use. */
  readonly clock: Clock;
  /** Seed in use. */
  readonly seed: number;
  /** Default region. */
  readonly region: string;
  /** The compute provider over this world. */
  readonly compute: SimulatorComputeProvider;
  /** The container-service provider over this world. */
  readonly containers: SimulatorContainerProvider;
  /** Adds an instance now; returns it as `getInstance` would. */
  addInstance(seed: SimulatorInstanceSeed): Instance;
  /** Terminates an instance now (no delay): it stays listed as `terminated`. */
  terminate(id: string): void;
  /** Adds a container service now, its initial tasks already running. */
  addService(seed: SimulatorServiceSeed): Service;
  /** Adds a scale set. */
  addScaleSet(seed: SimulatorScaleSetSeed): ScaleSet;
  /** Disturbs metrics over a window. */
  injectIncident(incident: SimulatorIncident): SimulatorHandle;
  /** Makes matching provider calls fail or slow down. */
  injectFault(fault: SimulatorFault): SimulatorHandle;
  /** Removes every incident. */
  clearIncidents(): void;
  /** Removes every fault. */
  clearFaults(): void;
  /** Demand (requests/s) of a service at `stepMs` intervals over `range`, for predictive scaling. */
  serviceLoad(request: { readonly cluster: string; readonly service: string; readonly range: TimeRange; readonly stepMs: number }): SimulatorLoadSample[];
  /** Number of provider calls made so far, per method name (faulted calls included). */
  callCounts(): Readonly<Record<string, number>>;
}

/** The simulator's compute provider: every optional method is present (it supports all compute capabilities). */
export interface SimulatorComputeProvider extends Required<Omit<ComputeProvider, 'capabilityHints'>> {
  /** The simulated cloud. */
  readonly world: SimulatorWorld;
}

/** The simulator's container-service provider: every optional method is present. */
export interface SimulatorContainerProvider extends Required<Omit<ContainerServiceProvider, 'capabilityHints'>> {
  /** The simulated cloud. */
  readonly world: SimulatorWorld;
}
