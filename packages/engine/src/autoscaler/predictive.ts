import { type CapacityPoint, recommendCapacity } from '@almanac/oracle';
import type { PredictiveScaling } from './types';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** What the forecast says for now, with a sentence for the reasons. */
export interface Prediction {
  readonly replicas: number;
  readonly reason: string;
}

/**
 * Keeps a capacity schedule from the oracle's `recommendCapacity` (its automatic model: the
 * exponential smoothing form `forecastAuto` chooses on the load history) and refreshes it once per horizon,
 * since fitting is the expensive part.
 */
export function createPredictor(options: PredictiveScaling, bounds: { readonly min: number; readonly max: number }) {
  const historyMs = options.historyMs ?? 7 * DAY;
  const horizonMs = options.horizonMs ?? HOUR;
  const leadTimeMs = options.leadTimeMs ?? 5 * MINUTE;
  const utilization = options.targetUtilization ?? 0.7;
  let schedule: CapacityPoint[] = [];
  let fittedAt = Number.NEGATIVE_INFINITY;

  return async (now: number, signal: AbortSignal): Promise<Prediction | undefined> => {
    if (now - fittedAt >= horizonMs || schedule.length === 0) {
      const history = await options.load({ start: new Date(now - historyMs), end: new Date(now) }, signal);
      if (history.length < 4) return undefined;
      schedule = recommendCapacity({
        history,
        perReplicaCapacity: options.perReplicaCapacity,
        targetUtilization: utilization,
        horizon: horizonMs,
        leadTime: leadTimeMs,
        minReplicas: bounds.min,
        maxReplicas: bounds.max,
        model: 'auto',
        ...(options.confidence === undefined ? {} : { confidence: options.confidence }),
      });
      fittedAt = now;
    }
    // The step in force now: the last one that has started, else the first.
    let point = schedule[0];
    for (const p of schedule) if (p.at.getTime() <= now) point = p;
    if (point === undefined) return undefined;
    const upper = point.upperLoad.toFixed(1);
    return {
      replicas: point.replicas,
      reason: `${point.model === undefined ? '' : `${point.model} `}forecast load up to ${upper} (at ${Math.round(utilization * 100)} % of ${options.perReplicaCapacity} per replica) over the next ${Math.round(leadTimeMs / MINUTE)} min needs ${point.replicas} replicas`,
    };
  };
}
