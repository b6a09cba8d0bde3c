import { OracleRangeError } from '../errors';
import { array, finiteNumber, instant, object, oneOf } from '../validate';
import { evaluateHpa, type HpaInput, type HpaReason } from './hpa';

/** A rate limit on scaling in one direction (`autoscaling/v2` `HPAScalingPolicy`). */
export interface HpaScalingPolicy {
  /** `Pods`: absolute count; `Percent`: of the replicas at the start of the period. */
  readonly type: 'Pods' | 'Percent';
  /** Pods or percent allowed per period (> 0). */
  readonly value: number;
  /** Period length, 1–1800 s. */
  readonly periodSeconds: number;
}

/** Scaling rules for one direction (`autoscaling/v2` `HPAScalingRules`); omitted fields take defaults. */
export interface HpaScalingRules {
  /** Look-back window, 0–3600 s. */
  readonly stabilizationWindowSeconds?: number | undefined;
  /** `Max`: policy allowing the largest change; `Min`: the smallest; `Disabled`: no scaling this way. */
  readonly selectPolicy?: 'Max' | 'Min' | 'Disabled' | undefined;
  /** At least one policy. */
  readonly policies?: readonly HpaScalingPolicy[] | undefined;
}

/** `spec.behavior` of an HPA. */
export interface HpaBehavior {
  /** Default: window 0 s, Max of [Pods 4 / 15 s, Percent 100 / 15 s]. */
  readonly scaleUp?: HpaScalingRules | undefined;
  /** Default: window 300 s, Max of [Percent 100 / 15 s]. */
  readonly scaleDown?: HpaScalingRules | undefined;
}

/** Options of {@link createHpaRecommender}. */
export interface HpaRecommenderOptions {
  /** Scaling behavior; defaults as in Kubernetes `autoscaling/v2`. */
  readonly behavior?: HpaBehavior | undefined;
}

/** One sync of the recommender: the HPA input at time `now`. */
export interface HpaRecommendInput extends HpaInput {
  /** Time of this sync (Date, ISO string or epoch ms); must not go backwards. */
  readonly now: Date | number | string;
}

/** Why a recommender step produced its replica count. */
export type HpaRecommendationReason = HpaReason | 'stabilized' | 'scale-up-limited' | 'scale-down-limited';

/** Result of one recommender sync. */
export interface HpaRecommendation {
  /** Replicas to run now. */
  readonly replicas: number;
  /** The metric proposal before stabilization and rate limits. */
  readonly desiredReplicas: number;
  /** The proposal after the stabilization windows, before rate limits. */
  readonly stabilizedReplicas: number;
  /** Usage ratio of the deciding metric. */
  readonly ratio: number;
  /** Why. */
  readonly reason: HpaRecommendationReason;
}

/** A stateful HPA: feed it one input per sync. */
export interface HpaRecommender {
  /**
   * Computes the replica count for this sync and records it, assuming the caller applies it
   * (the next call's `currentReplicas` should be the returned `replicas`).
   */
  recommend(input: HpaRecommendInput): HpaRecommendation;
}

interface Rules {
  readonly windowMs: number;
  readonly select: 'Max' | 'Min' | 'Disabled';
  readonly policies: readonly { readonly type: 'Pods' | 'Percent'; readonly value: number; readonly periodMs: number }[];
}

const DEFAULT_UP: { [K in keyof HpaScalingRules]-?: Exclude<HpaScalingRules[K], undefined> } = {
  stabilizationWindowSeconds: 0,
  selectPolicy: 'Max',
  policies: [
    { type: 'Pods', value: 4, periodSeconds: 15 },
    { type: 'Percent', value: 100, periodSeconds: 15 },
  ],
};

const DEFAULT_DOWN: { [K in keyof HpaScalingRules]-?: Exclude<HpaScalingRules[K], undefined> } = {
  stabilizationWindowSeconds: 300,
  selectPolicy: 'Max',
  policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
};

function compileRules(field: string, raw: unknown, defaults: { [K in keyof HpaScalingRules]-?: Exclude<HpaScalingRules[K], undefined> }): Rules {
  const r = raw === undefined ? {} : object(field, raw);
  const window =
    r['stabilizationWindowSeconds'] === undefined
      ? defaults.stabilizationWindowSeconds
      : finiteNumber(`${field}.stabilizationWindowSeconds`, r['stabilizationWindowSeconds'], { min: 0, max: 3600, integer: true });
  const select = r['selectPolicy'] === undefined ? defaults.selectPolicy : oneOf(`${field}.selectPolicy`, r['selectPolicy'], ['Max', 'Min', 'Disabled'] as const);
  const list = r['policies'] === undefined ? defaults.policies : array(`${field}.policies`, r['policies']);
  if (list.length === 0) throw new OracleRangeError(`${field}.policies`, 'needs at least one policy');
  const policies = list.map((rawPolicy, i) => {
    const pf = `${field}.policies[${i}]`;
    const p = object(pf, rawPolicy);
    return {
      type: oneOf(`${pf}.type`, p['type'], ['Pods', 'Percent'] as const),
      value: finiteNumber(`${pf}.value`, p['value'], { min: 1, integer: true }),
      periodMs: finiteNumber(`${pf}.periodSeconds`, p['periodSeconds'], { min: 1, max: 1800, integer: true }) * 1000,
    };
  });
  return { windowMs: window * 1000, select, policies };
}

function toEpochMs(field: string, value: unknown): number {
  if (typeof value === 'number') return finiteNumber(field, value);
  return instant(field, value);
}

interface Stamped {
  readonly at: number;
  readonly value: number;
}

/** Sum of replica changes recorded strictly after `now − periodMs` (Go's `After(cutoff)`). */
function changeInPeriod(events: readonly Stamped[], now: number, periodMs: number): number {
  const cutoff = now - periodMs;
  let sum = 0;
  for (const e of events) if (e.at > cutoff) sum += e.value;
  return sum;
}

/**
 * Creates a stateful Kubernetes-compatible HPA (`horizontal.go` with `behavior`): the metric
 * proposal of {@link hpaDesiredReplicas}, then stabilization (scale-up uses the lowest recommendation
 * in its window, scale-down the highest), then per-direction rate limits from the policies relative
 * to the replicas at the start of each policy period, then min/max. History is kept in the returned
 * object and pruned to the longest window/period, so memory is bounded.
 */
export function createHpaRecommender(options: HpaRecommenderOptions = {}): HpaRecommender {
  const o = object('options', options);
  const behavior = o['behavior'] === undefined ? {} : object('options.behavior', o['behavior']);
  const up = compileRules('options.behavior.scaleUp', behavior['scaleUp'], DEFAULT_UP);
  const down = compileRules('options.behavior.scaleDown', behavior['scaleDown'], DEFAULT_DOWN);
  const keepRecommendationsMs = Math.max(up.windowMs, down.windowMs);
  const keepEventsMs = Math.max(...up.policies.map((p) => p.periodMs), ...down.policies.map((p) => p.periodMs));

  let recommendations: Stamped[] = [];
  let upEvents: Stamped[] = [];
  let downEvents: Stamped[] = [];
  let lastNow = Number.NEGATIVE_INFINITY;

  const periodStart = (current: number, periodMs: number, now: number): number =>
    current - changeInPeriod(upEvents, now, periodMs) + changeInPeriod(downEvents, now, periodMs);

  const scaleUpLimit = (current: number, now: number): number => {
    if (up.select === 'Disabled') return current;
    let result = up.select === 'Min' ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
    for (const p of up.policies) {
      const start = periodStart(current, p.periodMs, now);
      // Percent rounds up so a small deployment can always grow by at least one pod.
      const proposed = p.type === 'Pods' ? start + p.value : Math.ceil(start * (1 + p.value / 100));
      result = up.select === 'Min' ? Math.min(result, proposed) : Math.max(result, proposed);
    }
    return result;
  };

  const scaleDownLimit = (current: number, now: number): number => {
    if (down.select === 'Disabled') return current;
    let result = down.select === 'Min' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
    for (const p of down.policies) {
      const start = periodStart(current, p.periodMs, now);
      const proposed = p.type === 'Pods' ? start - p.value : Math.trunc(start * (1 - p.value / 100));
      result = down.select === 'Min' ? Math.max(result, proposed) : Math.min(result, proposed);
    }
    return result;
  };

  const recordScale = (from: number, to: number, now: number): void => {
    if (to > from) upEvents.push({ at: now, value: to - from });
    else if (to < from) downEvents.push({ at: now, value: from - to });
  };

  return {
    recommend(input: HpaRecommendInput): HpaRecommendation {
      const i = object('input', input);
      const now = toEpochMs('input.now', i['now']);
      if (now < lastNow) throw new OracleRangeError('input.now', 'must not be earlier than the previous call');
      const e = evaluateHpa(input);
      lastNow = now;
      recommendations = recommendations.filter((r) => r.at > now - keepRecommendationsMs);
      upEvents = upEvents.filter((r) => r.at > now - keepEventsMs);
      downEvents = downEvents.filter((r) => r.at > now - keepEventsMs);

      const current = e.currentReplicas;
      const base = { desiredReplicas: e.desired, ratio: e.ratio };
      if (e.reason === 'scaling-disabled') return { ...base, replicas: 0, stabilizedReplicas: 0, reason: e.reason };
      if (current > e.maxReplicas || current < e.minReplicas) {
        const replicas = current > e.maxReplicas ? e.maxReplicas : e.minReplicas;
        recordScale(current, replicas, now);
        return { ...base, replicas, stabilizedReplicas: replicas, reason: current > e.maxReplicas ? 'above-max' : 'below-min' };
      }

      // Stabilize: scale up no further than the lowest, down no further than the highest,
      // recommendation inside each window (entries strictly newer than the cutoff).
      let upRec = e.desired;
      let downRec = e.desired;
      for (const r of recommendations) {
        if (r.at > now - up.windowMs) upRec = Math.min(upRec, r.value);
        if (r.at > now - down.windowMs) downRec = Math.max(downRec, r.value);
      }
      let stabilized = current;
      if (stabilized < upRec) stabilized = upRec;
      if (stabilized > downRec) stabilized = downRec;
      recommendations.push({ at: now, value: e.desired });

      let replicas = stabilized;
      let reason: HpaRecommendationReason = stabilized !== e.desired ? 'stabilized' : e.reason;
      if (stabilized > current) {
        const limit = Math.max(scaleUpLimit(current, now), current);
        const maxAllowed = Math.min(e.maxReplicas, limit);
        if (stabilized > maxAllowed) {
          replicas = maxAllowed;
          reason = limit < e.maxReplicas ? 'scale-up-limited' : 'limited-by-max';
        }
      } else if (stabilized < current) {
        const limit = Math.min(scaleDownLimit(current, now), current);
        const minAllowed = Math.max(e.minReplicas, limit);
        if (stabilized < minAllowed) {
          replicas = minAllowed;
          reason = limit > e.minReplicas ? 'scale-down-limited' : 'limited-by-min';
        }
      }
      recordScale(current, replicas, now);
      return { ...base, replicas, stabilizedReplicas: stabilized, reason };
    },
  };
}
