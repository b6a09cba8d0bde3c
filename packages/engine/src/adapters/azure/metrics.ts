import type { MetricMeasure, MetricName, MetricPoint, MetricStatistic, MetricUnit } from '../../spec';

/** How one engine metric is read from Azure Monitor. */
export interface AzureMetricSource {
  /** Azure Monitor metric name (`metricnames`). */
  readonly name: string;
  /** Aggregation requested and read (`aggregation`). */
  readonly aggregation: 'Average' | 'Total';
  /** Unit of the values. */
  readonly unit: MetricUnit;
  /** What the values measure. */
  readonly measure: MetricMeasure;
  /** The spec's name of the aggregation. */
  readonly statistic: MetricStatistic;
}

/** An Azure Monitor time grain. */
export interface AzureInterval {
  /** ISO 8601 duration, e.g. `PT5M`. */
  readonly interval: string;
  /** The same in seconds. */
  readonly seconds: number;
}

/**
 * Platform metrics of `Microsoft.Compute/virtualMachines`, with the units Azure documents
 * (https://learn.microsoft.com/azure/azure-monitor/reference/supported-metrics/microsoft-compute-virtualmachines-metrics).
 * `Available Memory Bytes` is the memory still free, in bytes: never a usage percentage.
 */
export const AZURE_VM_METRICS: Readonly<Record<MetricName, AzureMetricSource>> = {
  cpu: { name: 'Percentage CPU', aggregation: 'Average', unit: 'percent', measure: 'used', statistic: 'average' },
  memory: { name: 'Available Memory Bytes', aggregation: 'Average', unit: 'bytes', measure: 'available', statistic: 'average' },
  networkIn: { name: 'Network In Total', aggregation: 'Total', unit: 'bytes', measure: 'transferred', statistic: 'sum' },
  networkOut: { name: 'Network Out Total', aggregation: 'Total', unit: 'bytes', measure: 'transferred', statistic: 'sum' },
  diskReadOps: { name: 'Disk Read Operations/Sec', aggregation: 'Average', unit: 'count/second', measure: 'operations', statistic: 'average' },
  diskWriteOps: { name: 'Disk Write Operations/Sec', aggregation: 'Average', unit: 'count/second', measure: 'operations', statistic: 'average' },
};

/** Time grains Azure Monitor serves for VM metrics, as ISO 8601 durations, in seconds. */
const GRAINS: readonly (readonly [string, number])[] = [
  ['PT1M', 60],
  ['PT5M', 300],
  ['PT15M', 900],
  ['PT30M', 1800],
  ['PT1H', 3600],
  ['PT6H', 21_600],
  ['PT12H', 43_200],
  ['P1D', 86_400],
];

/** The smallest supported grain not shorter than `periodSeconds` (the largest for longer asks). */
export function azureInterval(periodSeconds: number): AzureInterval {
  const grain = GRAINS.find(([, seconds]) => seconds >= periodSeconds) ?? GRAINS[GRAINS.length - 1];
  const [interval, seconds] = grain as readonly [string, number];
  return { interval, seconds };
}

/** Seconds of an ISO 8601 duration such as `PT5M` or `P1D`; undefined when it is not one. */
export function durationSeconds(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(value);
  if (match === null || value === 'P' || value === 'PT') return undefined;
  const [, d, h, m, s] = match;
  return Number(d ?? 0) * 86_400 + Number(h ?? 0) * 3600 + Number(m ?? 0) * 60 + Number(s ?? 0);
}

type Json = Record<string, unknown>;

function list(value: unknown): Json[] {
  return Array.isArray(value) ? value.filter((item): item is Json => typeof item === 'object' && item !== null) : [];
}

/**
 * The points of each requested metric in a `Metrics - List` answer, keyed by Azure metric name
 * (lower-cased; Azure matches names case-insensitively). Entries without a value for the
 * aggregation (no data in that grain) are skipped; points are sorted by time, `at` = grain start.
 */
export function pointsByMetric(response: Json, sources: readonly AzureMetricSource[]): Map<string, MetricPoint[]> {
  const byName = new Map<string, MetricPoint[]>();
  for (const metric of list(response['value'])) {
    const name = String((metric['name'] as Json | undefined)?.['value'] ?? '').toLowerCase();
    const source = sources.find((candidate) => candidate.name.toLowerCase() === name);
    if (source === undefined) continue;
    const field = source.aggregation === 'Average' ? 'average' : 'total';
    const points: MetricPoint[] = [];
    for (const series of list(metric['timeseries'])) {
      for (const datum of list(series['data'])) {
        const value = datum[field];
        const stamp = datum['timeStamp'];
        const at = stamp instanceof Date ? stamp : typeof stamp === 'string' ? new Date(stamp) : undefined;
        if (at !== undefined && !Number.isNaN(at.getTime()) && typeof value === 'number' && Number.isFinite(value)) points.push({ at, value });
      }
    }
    byName.set(name, points.sort((a, b) => a.at.getTime() - b.at.getTime()));
  }
  return byName;
}
