import type { MetricMeasure, MetricName, MetricPoint, MetricSeries, MetricStatistic, MetricUnit, ServiceMetricName, TimeRange } from '../spec';
import { runningAt } from './instances';
import { hash32, normalAt } from './rng';
import type { SimInstance, SimService, WorldState } from './state';
import type { SimulatorIncident } from './types';

const MINUTE = 60_000;
const HOUR = 3_600_000;
/** Samples averaged per period at most; longer periods are sampled evenly (the signal is smooth). */
const SAMPLES_PER_PERIOD = 12;

interface MetricShape {
  readonly unit: MetricUnit;
  readonly measure: MetricMeasure;
  readonly statistic: MetricStatistic;
  readonly source: string;
}

/** Honest units of the simulator's series (CloudWatch-like statistics). */
export const METRIC_SHAPES: Readonly<Record<MetricName, MetricShape>> = {
  cpu: { unit: 'percent', measure: 'used', statistic: 'average', source: 'simulator/CPUUtilization' },
  memory: { unit: 'percent', measure: 'used', statistic: 'average', source: 'simulator/MemoryUtilization' },
  networkIn: { unit: 'bytes', measure: 'transferred', statistic: 'sum', source: 'simulator/NetworkIn' },
  networkOut: { unit: 'bytes', measure: 'transferred', statistic: 'sum', source: 'simulator/NetworkOut' },
  diskReadOps: { unit: 'count', measure: 'operations', statistic: 'sum', source: 'simulator/DiskReadOps' },
  diskWriteOps: { unit: 'count', measure: 'operations', statistic: 'sum', source: 'simulator/DiskWriteOps' },
};

/** 1 at the daily peak hour, 0 twelve hours later (a cosine). */
export function season(t: number, peakHourUtc: number): number {
  const hour = (t % (24 * HOUR)) / HOUR;
  return 0.5 + 0.5 * Math.cos((2 * Math.PI * (hour - peakHourUtc)) / 24);
}

type Incidents = readonly SimulatorIncident[];

/** Incidents touching `target`'s `metric`. */
function incidentsFor(world: WorldState, target: string, metric: string): Incidents {
  const out: SimulatorIncident[] = [];
  for (const incident of world.incidents) {
    if (incident.target === target && (incident.metric === undefined || incident.metric === metric)) out.push(incident);
  }
  return out;
}

/** The value after incidents active at `t`; `undefined` when an incident makes it missing. */
function disturb(incidents: Incidents, t: number, value: number): number | undefined {
  let v = value;
  for (const incident of incidents) {
    if (t < incident.start.getTime() || t >= incident.end.getTime()) continue;
    const effect = incident.effect;
    if (effect === 'missing') return undefined;
    if ('add' in effect) v += effect.add;
    else if ('multiply' in effect) v *= effect.multiply;
    else v = effect.set;
  }
  return v;
}

const clampPercent = (v: number) => Math.min(100, Math.max(0, v));

/** The raw per-minute value of an instance metric (before incidents). */
function instanceValue(instance: SimInstance, metric: MetricName, key: number, t: number): number {
  const p = instance.load;
  const s = season(t, p.peakHourUtc);
  const minute = Math.floor(t / MINUTE);
  const noise = normalAt(key, minute);
  switch (metric) {
    case 'cpu':
      return p.cpuBase + p.cpuAmplitude * s + p.cpuNoise * noise;
    case 'memory':
      return p.memoryBase + p.memoryAmplitude * s + 0.5 * noise;
    case 'networkIn':
      return p.networkInBytesPerMinute * (0.15 + 0.85 * s) * Math.exp(0.2 * noise);
    case 'networkOut':
      return p.networkOutBytesPerMinute * (0.15 + 0.85 * s) * Math.exp(0.2 * noise);
    case 'diskReadOps':
      return p.diskReadOpsPerMinute * (0.15 + 0.85 * s) * Math.exp(0.3 * noise);
    default:
      return p.diskWriteOpsPerMinute * (0.15 + 0.85 * s) * Math.exp(0.3 * noise);
  }
}

/**
 * Aggregates per-minute samples into periods aligned to multiples of the period (as CloudWatch
 * does). A period without any sample (not running, missing, or in the future) has no point.
 */
function aggregate(
  range: TimeRange,
  periodMs: number,
  now: number,
  statistic: MetricStatistic,
  sample: (t: number) => number | undefined,
): MetricPoint[] {
  const points: MetricPoint[] = [];
  const first = Math.floor(range.start.getTime() / periodMs) * periodMs;
  const last = Math.min(range.end.getTime(), now + 1);
  const step = Math.max(MINUTE, Math.floor(periodMs / SAMPLES_PER_PERIOD / MINUTE) * MINUTE);
  for (let p = first; p < last; p += periodMs) {
    let sum = 0;
    let count = 0;
    const stop = Math.min(p + periodMs, now + 1);
    for (let t = p; t < stop; t += step) {
      const v = sample(t);
      if (v === undefined) continue;
      sum += v;
      count++;
    }
    if (count === 0) continue;
    const mean = sum / count;
    // Sums scale the per-minute mean by the minutes that had data.
    const value = statistic === 'sum' ? mean * ((count * step) / MINUTE) : mean;
    points.push({ at: new Date(p), value });
  }
  return points;
}

/** One instance metric series. */
export function instanceSeries(world: WorldState, instance: SimInstance, metric: MetricName, range: TimeRange, periodSeconds: number): MetricSeries {
  const shape = METRIC_SHAPES[metric];
  const key = hash32(instance.key, metric);
  const incidents = incidentsFor(world, instance.id, metric);
  const percent = shape.unit === 'percent';
  const points = aggregate(range, periodSeconds * 1000, world.clock.now(), shape.statistic, (t) => {
    if (!runningAt(instance, t)) return undefined;
    const v = disturb(incidents, t, instanceValue(instance, metric, key, t));
    if (v === undefined) return undefined;
    return percent ? clampPercent(v) : Math.max(0, v);
  });
  return { id: instance.id, metric, ...shape, periodSeconds, points };
}

/** An empty series (unknown id: like CloudWatch, the simulator cannot tell it from "no data"). */
export function emptySeries(id: string, metric: MetricName, periodSeconds: number): MetricSeries {
  return { id, metric, ...METRIC_SHAPES[metric], periodSeconds, points: [] };
}

/** Tasks of a service running at `t`. */
export function runningTasksAt(service: SimService, t: number): number {
  let n = 0;
  for (const task of service.tasks) if (task.readyAt <= t && (task.stoppedAt === undefined || task.stoppedAt > t)) n++;
  return n;
}

/** Demand on a service at `t` in requests/s, incidents on `load` applied. */
export function demandAt(service: SimService, incidents: Incidents, t: number): number {
  const l = service.load;
  const s = season(t, l.peakHourUtc);
  const noise = normalAt(hash32(service.key, 'load'), Math.floor(t / MINUTE));
  const base = l.baseRps * (1 - l.amplitude + 2 * l.amplitude * s) * (1 + l.noise * noise);
  return Math.max(0, disturb(incidents, t, base) ?? 0);
}

/** Service CPU at `t`: demand over the capacity of the running tasks, in percent of reservation. */
function serviceCpuAt(service: SimService, loadIncidents: Incidents, t: number): number | undefined {
  const running = runningTasksAt(service, t);
  if (running === 0) return undefined;
  const demand = demandAt(service, loadIncidents, t);
  const noise = normalAt(hash32(service.key, 'cpu'), Math.floor(t / MINUTE));
  return (demand / (running * service.load.rpsPerTask)) * 100 + noise;
}

/** One service metric series (percent of the tasks' reservation, averaged). */
export function serviceSeries(world: WorldState, service: SimService, metric: ServiceMetricName, range: TimeRange, periodSeconds: number): MetricSeries {
  const target = `${service.cluster}/${service.name}`;
  const loadIncidents = incidentsFor(world, target, 'load');
  const incidents = incidentsFor(world, target, metric);
  const memoryKey = hash32(service.key, 'memory');
  const points = aggregate(range, periodSeconds * 1000, world.clock.now(), 'average', (t) => {
    const cpu = serviceCpuAt(service, loadIncidents, t);
    if (cpu === undefined) return undefined;
    const raw = metric === 'cpu' ? cpu : service.load.memoryPercent + 0.15 * Math.min(100, cpu) + 0.5 * normalAt(memoryKey, Math.floor(t / MINUTE));
    const v = disturb(incidents, t, raw);
    return v === undefined ? undefined : clampPercent(v);
  });
  const shape = METRIC_SHAPES[metric];
  return { id: service.arn, metric, unit: 'percent', measure: 'used', statistic: 'average', periodSeconds, points, source: shape.source.replace('simulator/', 'simulator/service/') };
}

/** Demand samples for predictive scaling. */
export function demandSamples(world: WorldState, service: SimService, range: TimeRange, stepMs: number): { at: Date; load: number }[] {
  const incidents = incidentsFor(world, `${service.cluster}/${service.name}`, 'load');
  const out: { at: Date; load: number }[] = [];
  const end = Math.min(range.end.getTime(), world.clock.now() + 1);
  for (let t = range.start.getTime(); t < end; t += stepMs) out.push({ at: new Date(t), load: demandAt(service, incidents, t) });
  return out;
}
