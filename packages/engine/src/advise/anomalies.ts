import { anomalyThreshold, scoreAnomalies } from '@almanac/oracle';
import type { Instance, MetricSeries } from '../spec';
import { ascending, percentile, round } from './stats';
import type { Finding } from './types';

/** Fewest points worth scoring (the detector's scores stay low while its window fills). */
const MIN_POINTS = 50;
/** Flagged points this many periods apart or closer belong to one episode. */
const EPISODE_GAP = 6;
/** Points of evidence kept per episode. */
const MAX_EVIDENCE = 50;

/** A run of flagged points of one series. */
export interface Episode {
  /** Indices of the flagged points, ascending. */
  readonly indices: readonly number[];
}

/** Indices of points whose score reaches the threshold, grouped into episodes. */
export function anomalyEpisodes(series: MetricSeries, options: { sensitivity: number; window?: number | undefined }): { episodes: Episode[]; scores: number[] } {
  const points = series.points.map((p) => ({ timestamp: p.at, value: p.value }));
  if (points.length < MIN_POINTS) return { episodes: [], scores: [] };
  // Oracle's residual method, not its KNN-CAD default: advise's findings go to people, and KNN-CAD's
  // conformal false-alarm rate (about one point in 300-900 of plain noise at sensitivity 0.5) would
  // put a finding on every quiet instance every few days.
  const scores = scoreAnomalies(points, options.window === undefined ? { method: 'residual' } : { method: 'residual', window: options.window });
  const threshold = anomalyThreshold(options.sensitivity);
  const episodes: Episode[] = [];
  let current: number[] = [];
  scores.forEach((score, i) => {
    if (score < threshold) return;
    const last = current[current.length - 1];
    if (last !== undefined && i - last > EPISODE_GAP) {
      episodes.push({ indices: current });
      current = [];
    }
    current.push(i);
  });
  if (current.length > 0) episodes.push({ indices: current });
  return { episodes, scores };
}

/** Findings for the anomaly episodes of one series. */
export function anomalyFindings(instance: Instance, series: MetricSeries, options: { sensitivity: number; window?: number | undefined }): Finding[] {
  const { episodes, scores } = anomalyEpisodes(series, options);
  return episodes.map((episode) => {
    const first = episode.indices[0] as number;
    const last = episode.indices[episode.indices.length - 1] as number;
    const start = series.points[first]?.at as Date;
    const end = series.points[last]?.at as Date;
    // Baseline: the median of the day (or what exists) before the episode, to show the jump.
    const before = series.points.slice(Math.max(0, first - Math.round(86_400 / series.periodSeconds)), first).map((p) => p.value);
    const baseline = before.length > 0 ? percentile(ascending(before), 0.5) : undefined;
    const peak = episode.indices.reduce((best, i) => (Math.abs((series.points[i]?.value ?? 0) - (baseline ?? 0)) > Math.abs((series.points[best]?.value ?? 0) - (baseline ?? 0)) ? i : best), first);
    const peakValue = series.points[peak]?.value ?? Number.NaN;
    const maxScore = Math.max(...episode.indices.map((i) => scores[i] ?? 0));
    return {
      id: `metric-anomaly:${instance.id}:${series.metric}:${start.toISOString()}`,
      category: 'anomaly',
      rule: 'metric-anomaly',
      severity: maxScore >= 0.95 ? 'medium' : 'low',
      instanceId: instance.id,
      ...(instance.name === undefined ? {} : { instanceName: instance.name }),
      title: `Unusual ${series.metric} from ${start.toISOString()}: ${round(peakValue)} ${series.unit}${baseline === undefined ? '' : ` against a usual ${round(baseline)}`}`,
      detail: `The oracle's anomaly detector flagged ${episode.indices.length} point(s) of ${series.metric} as larger deviations than anything in its recent window. Check deployments, traffic and incidents around ${start.toISOString()}.`,
      evidence: {
        metric: series.metric,
        unit: series.unit,
        statistic: series.statistic,
        periodSeconds: series.periodSeconds,
        start,
        end,
        ...(baseline === undefined ? {} : { baseline: round(baseline, 3) }),
        peak: { at: series.points[peak]?.at, value: round(peakValue, 3) },
        maxScore: round(maxScore, 4),
        threshold: round(anomalyThreshold(options.sensitivity), 4),
        points: episode.indices.slice(0, MAX_EVIDENCE).map((i) => ({ at: series.points[i]?.at, value: series.points[i]?.value, score: round(scores[i] ?? 0, 4) })),
      },
      estimatedMonthlySaving: 0,
    } satisfies Finding;
  });
}
