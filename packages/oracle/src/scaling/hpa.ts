import { OracleRangeError, OracleTypeError } from '../errors';
import { array, finiteNumber, object } from '../validate';

/** One metric of an HPA: the current per-pod average (or utilization) and its target. */
export interface HpaMetric {
  /** Current value; `null` when the metric could not be fetched (as Kubernetes tolerates). */
  readonly currentValue: number | null;
  /** Target value (> 0), in the same unit. */
  readonly targetValue: number;
}

/** Input of {@link hpaDesiredReplicas}. */
export interface HpaInput {
  /** Replicas the scale target has now. */
  readonly currentReplicas: number;
  /**
   * Ready pods that reported a metric sample (the controller's `readyPodCount`); default
   * `currentReplicas − missingPods`. Pods neither ready-with-metrics nor missing are "ignored"
   * (not ready / still starting).
   */
  readonly readyPods?: number | undefined;
  /** Ready pods without a metric sample; default 0. */
  readonly missingPods?: number | undefined;
  /** At least one metric; the highest proposal wins. */
  readonly metrics: readonly HpaMetric[];
  /** No scaling while |1 − ratio| ≤ tolerance; default 0.1 (controller flag default). */
  readonly tolerance?: number | undefined;
  /** Lower bound; default 1. */
  readonly minReplicas?: number | undefined;
  /** Upper bound. */
  readonly maxReplicas: number;
}

/** Why an HPA step produced its replica count. */
export type HpaReason =
  | 'scaling-disabled'
  | 'above-max'
  | 'below-min'
  | 'within-tolerance'
  | 'scale-up'
  | 'scale-down'
  | 'unchanged'
  | 'limited-by-max'
  | 'limited-by-min'
  | 'metrics-unavailable';

/** Result of {@link hpaDesiredReplicas}. */
export interface HpaResult {
  /** Replicas to run. */
  readonly replicas: number;
  /** Usage ratio (current / target) of the metric that decided; 0 when none did. */
  readonly ratio: number;
  /** Why. */
  readonly reason: HpaReason;
}

/** Validated input plus the unclamped metric proposal, shared with the stateful recommender. */
export interface HpaEvaluation {
  readonly currentReplicas: number;
  readonly minReplicas: number;
  readonly maxReplicas: number;
  /** Max over metrics before min/max clamping (`currentReplicas` when nothing applies). */
  readonly desired: number;
  readonly ratio: number;
  /** Reason for `desired` before clamping. */
  readonly reason: HpaReason;
}

interface PodCounts {
  readonly current: number;
  readonly ready: number;
  readonly missing: number;
  readonly ignored: number;
}

/**
 * One metric's proposal, following `replica_calculator.go`: a plain `ceil(ratio × readyPods)`
 * unless pods are missing or (scaling up) not ready, in which case a second pass assumes missing
 * pods sit at the target when scaling down and at zero when scaling up, not-ready pods at zero when
 * scaling up, and abandons the change if that flips direction or lands within tolerance.
 */
function metricProposal(ratio: number, pods: PodCounts, tolerance: number): { replicas: number; withinTolerance: boolean } {
  const { current, ready, missing, ignored } = pods;
  const rebalanceIgnored = ignored > 0 && ratio > 1;
  if (!rebalanceIgnored && missing === 0) {
    if (Math.abs(1 - ratio) <= tolerance) return { replicas: current, withinTolerance: true };
    return { replicas: Math.ceil(ratio * ready), withinTolerance: false };
  }
  let sum = ratio * ready;
  let count = ready;
  if (ratio < 1) {
    sum += missing;
    count += missing;
  } else if (ratio > 1) {
    count += missing;
  }
  if (rebalanceIgnored) count += ignored;
  const newRatio = sum / count;
  if (Math.abs(1 - newRatio) <= tolerance || (ratio < 1 && newRatio > 1) || (ratio > 1 && newRatio < 1)) {
    return { replicas: current, withinTolerance: true };
  }
  const replicas = Math.ceil(newRatio * count);
  if ((newRatio < 1 && replicas > current) || (newRatio > 1 && replicas < current)) return { replicas: current, withinTolerance: true };
  return { replicas, withinTolerance: false };
}

function count(field: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number {
  return finiteNumber(field, value, { min, max, integer: true });
}

/** Validates input and computes the unclamped proposal (internal; see {@link hpaDesiredReplicas}). */
export function evaluateHpa(input: HpaInput, field = 'input'): HpaEvaluation {
  const o = object(field, input);
  const current = count(`${field}.currentReplicas`, o['currentReplicas'], 0);
  const maxReplicas = count(`${field}.maxReplicas`, o['maxReplicas'], 1);
  const minReplicas = o['minReplicas'] === undefined ? 1 : count(`${field}.minReplicas`, o['minReplicas'], 1, maxReplicas);
  const tolerance = o['tolerance'] === undefined ? 0.1 : finiteNumber(`${field}.tolerance`, o['tolerance'], { min: 0 });
  const missing = o['missingPods'] === undefined ? 0 : count(`${field}.missingPods`, o['missingPods'], 0, current);
  const ready = o['readyPods'] === undefined ? current - missing : count(`${field}.readyPods`, o['readyPods'], 0, current - missing);
  const metrics = array(`${field}.metrics`, o['metrics']);
  if (metrics.length === 0) throw new OracleRangeError(`${field}.metrics`, 'needs at least one metric');

  const parsed = metrics.map((raw, i) => {
    const m = object(`${field}.metrics[${i}]`, raw);
    const target = finiteNumber(`${field}.metrics[${i}].targetValue`, m['targetValue']);
    if (target <= 0) throw new OracleRangeError(`${field}.metrics[${i}].targetValue`, `must be > 0, got ${target}`);
    const value = m['currentValue'] === null ? null : finiteNumber(`${field}.metrics[${i}].currentValue`, m['currentValue'], { min: 0 });
    return value === null ? null : value / target;
  });
  const available = parsed.filter((r): r is number => r !== null);
  if (available.length === 0) throw new OracleTypeError(`${field}.metrics`, 'no metric has a current value');

  const base = { currentReplicas: current, minReplicas, maxReplicas };
  // A scale target at zero replicas has autoscaling disabled (the controller does not act on it).
  if (current === 0) return { ...base, desired: 0, ratio: 0, reason: 'scaling-disabled' };
  if (ready === 0) throw new OracleRangeError(`${field}.readyPods`, 'did not receive metrics for any ready pods');

  const pods: PodCounts = { current, ready, missing, ignored: current - ready - missing };
  let desired = -1;
  let ratio = 0;
  let withinTolerance = false;
  for (const r of available) {
    const p = metricProposal(r, pods, tolerance);
    if (p.replicas > desired) {
      desired = p.replicas;
      ratio = r;
      withinTolerance = p.withinTolerance;
    }
  }
  // Some metrics failed and the rest suggest scaling down: too little evidence to remove pods.
  if (available.length < parsed.length && desired < current) return { ...base, desired: current, ratio, reason: 'metrics-unavailable' };
  const reason: HpaReason = withinTolerance ? 'within-tolerance' : desired > current ? 'scale-up' : desired < current ? 'scale-down' : 'unchanged';
  return { ...base, desired, ratio, reason };
}

/**
 * The Kubernetes HPA replica formula without history: per metric
 * `ceil(readyPods × current / target)`, no change within `tolerance`, the highest metric wins,
 * clamped to `[minReplicas, maxReplicas]` (a target already outside the bounds is brought to the
 * nearest bound first, as the controller does). Stabilization windows and rate limits need history:
 * see {@link createHpaRecommender}.
 */
export function hpaDesiredReplicas(input: HpaInput): HpaResult {
  const e = evaluateHpa(input);
  if (e.reason === 'scaling-disabled') return { replicas: 0, ratio: 0, reason: e.reason };
  if (e.currentReplicas > e.maxReplicas) return { replicas: e.maxReplicas, ratio: e.ratio, reason: 'above-max' };
  if (e.currentReplicas < e.minReplicas) return { replicas: e.minReplicas, ratio: e.ratio, reason: 'below-min' };
  if (e.desired > e.maxReplicas) return { replicas: e.maxReplicas, ratio: e.ratio, reason: 'limited-by-max' };
  if (e.desired < e.minReplicas) return { replicas: e.minReplicas, ratio: e.ratio, reason: 'limited-by-min' };
  return { replicas: e.desired, ratio: e.ratio, reason: e.reason };
}
