import type { AlmanacError, Clock, Logger } from '@almanac/core';
import type { OperationAuditEvent, OperationRunnerOptions } from '@almanac/core/kit';
import type { HpaBehavior } from '@almanac/oracle';
import type { Containers } from '../facade/types';
import type { ContainerServiceProvider, Service, ServiceMetricName, TimeRange } from '../spec';

/** A metric read by the caller's code (e.g. requests per task from a load balancer). */
export interface AutoscalerMetricSource {
  /** Name used in reasons and events, e.g. `requestsPerTask`. */
  readonly name: string;
  /** Unit used in reasons, e.g. `rps`. */
  readonly unit?: string | undefined;
  /**
   * The current per-replica value in the unit of `targetValue`, or `null` when there is no
   * reliable value (the autoscaler then never scales down).
   */
  read(context: { readonly now: Date; readonly service: Service; readonly signal: AbortSignal }): Promise<number | null>;
}

/** What the autoscaler scales. */
export interface AutoscalerTarget {
  /** The container facade or a bare provider (wrapped in `createContainers` with the autoscaler's clock). */
  readonly provider: Containers | ContainerServiceProvider;
  /** Cluster name or ARN. */
  readonly cluster: string;
  /** Service name or ARN. */
  readonly service: string;
}

/** Minimum time between scaling actions. */
export interface AutoscalerCooldown {
  /** After a scale-up, no further scale-up for this long (s). Default 60. */
  readonly scaleUpSeconds?: number | undefined;
  /** After any scaling, no scale-down for this long (s). Default 300. */
  readonly scaleDownSeconds?: number | undefined;
}

/** One load sample of {@link PredictiveScaling.load}. */
export interface PredictiveLoadSample {
  /** Sample time. */
  readonly at: Date;
  /** Load, in the unit of `perReplicaCapacity`. */
  readonly load: number;
}

/** Load forecasting that can raise (never lower) the replica count ahead of demand. */
export interface PredictiveScaling {
  /** Load history, evenly spaced, in the unit of `perReplicaCapacity` (e.g. requests/s). */
  load(range: TimeRange, signal: AbortSignal): Promise<readonly PredictiveLoadSample[]>;
  /** Load one replica serves at 100 % utilisation. */
  readonly perReplicaCapacity: number;
  /** Utilisation to plan for, in (0, 1]. Default 0.7. */
  readonly targetUtilization?: number | undefined;
  /** History to fit on, ms. Default 7 days. */
  readonly historyMs?: number | undefined;
  /** Time a replica takes to be ready, ms; capacity is scheduled this much ahead. Default 5 min. */
  readonly leadTimeMs?: number | undefined;
  /** Forecast horizon, ms, and how often the forecast is refreshed. Default 1 h. */
  readonly horizonMs?: number | undefined;
  /** Coverage of the upper forecast bound, in (0.5, 1). Default 0.95. */
  readonly confidence?: number | undefined;
}

/** Options of {@link createAutoscaler}. */
export interface AutoscalerOptions {
  /** The service to scale. */
  readonly target: AutoscalerTarget;
  /** `cpu` or `memory` (service-level percent of reservation), or a metric of your own. */
  readonly metric: ServiceMetricName | AutoscalerMetricSource;
  /** Target per-replica value (percent for `cpu`/`memory`). */
  readonly targetValue: number;
  /** Fewest replicas (≥ 0). */
  readonly minReplicas: number;
  /** Most replicas (≥ max(1, minReplicas)). */
  readonly maxReplicas: number;
  /** Stabilisation windows and rate policies (Kubernetes `autoscaling/v2` defaults when absent). */
  readonly behavior?: HpaBehavior | undefined;
  /** Cooldowns between actions. */
  readonly cooldown?: AutoscalerCooldown | undefined;
  /** No change while |value/target − 1| ≤ tolerance. Default 0.1. */
  readonly tolerance?: number | undefined;
  /** Metrics older than this are ignored, s. Default 180. */
  readonly metricMaxAgeSeconds?: number | undefined;
  /** Forecast-driven scale-up. */
  readonly predictive?: PredictiveScaling | undefined;
  /** Decide and report without changing anything. Default `true`: opt in to act. */
  readonly dryRun?: boolean | undefined;
  /** Clock of decisions, cooldowns and `run` intervals. Default the system clock. */
  readonly clock?: Clock | undefined;
  /** Receives one `info` line per decision. Default silent. */
  readonly logger?: Logger | undefined;
  /** Receives every decision and every failed evaluation. */
  readonly onEvent?: ((event: AutoscalerEvent) => void) | undefined;
  /** Receives the kit's audit event of each evaluation. */
  readonly onAudit?: ((event: OperationAuditEvent) => void) | undefined;
  /** OpenTelemetry tracer of the `autoscaler.evaluate` spans. */
  readonly tracer?: NonNullable<OperationRunnerOptions<never, never>['tracer']> | undefined;
}

/** Why the autoscaler decided what it did (the first, deciding reason). */
export type AutoscalerReasonCode =
  | 'scale-up'
  | 'scale-down'
  | 'within-tolerance'
  | 'unchanged'
  | 'stabilized'
  | 'scale-up-limited'
  | 'scale-down-limited'
  | 'limited-by-max'
  | 'limited-by-min'
  | 'below-min'
  | 'above-max'
  | 'metrics-unavailable'
  | 'scaling-disabled'
  | 'cooldown'
  | 'predictive';

/** One decision. */
export interface AutoscalerDecision {
  /** What to do. */
  readonly decision: 'scale_up' | 'scale_down' | 'hold';
  /** Replicas wanted after this decision (always within [minReplicas, maxReplicas] unless the service is at 0 with scaling disabled). */
  readonly desired: number;
  /** Desired count of the service before the decision. */
  readonly current: number;
  /** Tasks running when the decision was taken. */
  readonly running: number;
  /** The deciding reason. */
  readonly code: AutoscalerReasonCode;
  /** Human-readable reasons, most important first. */
  readonly reasons: readonly string[];
  /** The metric as read (`value` null when missing). */
  readonly metric: {
    /** Metric name (`cpu`, `memory` or the source's name). */
    readonly name: string;
    /** Value read; `null` when missing. */
    readonly value: number | null;
    /** Target value. */
    readonly target: number;
  };
  /** Replicas the forecast asked for, when predictive scaling is on and had a forecast. */
  readonly predicted?: number | undefined;
  /** Whether the decision was applied to the service (false in dry run and for holds). */
  readonly applied: boolean;
  /** Whether this autoscaler is in dry run. */
  readonly dryRun: boolean;
  /** Decision time. */
  readonly at: Date;
}

/** What {@link AutoscalerOptions.onEvent} receives. */
export type AutoscalerEvent = AutoscalerDecisionEvent | AutoscalerErrorEvent;

/** A decision was taken (and applied, unless dry run or hold). */
export interface AutoscalerDecisionEvent {
  /** Kind. */
  readonly type: 'decision';
  /** Cluster of the service. */
  readonly cluster: string;
  /** The service. */
  readonly service: string;
  /** The decision. */
  readonly decision: AutoscalerDecision;
}

/** An evaluation failed (during `run`; it goes on at the next interval). */
export interface AutoscalerErrorEvent {
  /** Kind. */
  readonly type: 'error';
  /** Cluster of the service. */
  readonly cluster: string;
  /** The service. */
  readonly service: string;
  /** When. */
  readonly at: Date;
  /** What failed. */
  readonly error: AlmanacError;
}

/** Options of {@link Autoscaler.run}. */
export interface AutoscalerRunOptions {
  /** Time between evaluations, ms (≥ 1000). */
  readonly intervalMs: number;
  /** Stops the loop (the promise then resolves). */
  readonly signal?: AbortSignal | undefined;
}

/** Counts of one `run`. */
export interface AutoscalerRunSummary {
  /** Evaluations completed. */
  readonly evaluations: number;
  /** Scale-up decisions. */
  readonly scaleUps: number;
  /** Scale-down decisions. */
  readonly scaleDowns: number;
  /** Evaluations that failed (reported as `error` events; the loop went on). */
  readonly errors: number;
}

/** A target-tracking autoscaler for one container service. */
export interface Autoscaler {
  /** Whether decisions are only reported. */
  readonly dryRun: boolean;
  /** Reads the service and its metric, decides, applies (unless dry run), reports. */
  evaluate(options?: { readonly signal?: AbortSignal | undefined }): Promise<AutoscalerDecision>;
  /** Evaluates every `intervalMs` on the clock until `signal` aborts; failures are reported and the loop goes on. */
  run(options: AutoscalerRunOptions): Promise<AutoscalerRunSummary>;
}
