import { ValidationError } from '@almanac/core';
import type { InstanceSize, UsagePercentiles } from '@almanac/oracle';
import { RIGHTSIZE_HEADROOM } from '../insights/savings';
import type { ComputeUsage } from '../insights/savings';

/** An instance as `@almanac/engine` reports it (the fields the inventory reads). */
export interface InventoryInstance {
  /** Provider id (`i-0abc…`). */
  readonly id: string;
  /** Size / instance type (`m5.large`). */
  readonly size: string;
  /** Normalised state; only `running` instances are measured. */
  readonly state: string;
  /** Region, when reported. */
  readonly region?: string | undefined;
}

/** A size on offer as `@almanac/engine`'s `listSizes` gives it. */
export interface InventorySize {
  /** Size name. */
  readonly name: string;
  /** vCPUs. */
  readonly vcpus: number;
  /** Memory in GiB. */
  readonly memoryGiB: number;
  /** On-demand price per hour, when known. */
  readonly hourlyPrice?: number | undefined;
  /** ISO 4217 currency of `hourlyPrice`. */
  readonly currency?: string | undefined;
}

/** One metric series as `@almanac/engine`'s `getMetrics` gives it. */
export interface InventoryMetricSeries {
  /** Instance id. */
  readonly id: string;
  /** `cpu` or `memory` (others are ignored). */
  readonly metric: string;
  /** `percent`, `bytes`, … */
  readonly unit: string;
  /** `used` or `available` for memory. */
  readonly measure: string;
  /** Period of each point, in seconds. */
  readonly periodSeconds: number;
  /** Points in time order. */
  readonly points: readonly {
    /** Start of the point's period. */
    readonly at: Date;
    /** Value in the series' unit. */
    readonly value: number;
  }[];
}

/**
 * The slice of `@almanac/engine`'s `Compute` facade the inventory uses: any `Compute`
 * (`createAwsCompute`, `createAzureCompute`, `createSimulatorCompute`) satisfies it. Typed
 * structurally so aetherium does not depend on the engine package.
 */
export interface ComputeInventorySource {
  /** Provider name, for notes. */
  readonly name: string;
  /** What the provider can report. */
  readonly capabilities: {
    /** Metrics the source reports (`cpu`, `memory`, …). */
    readonly metricNames: readonly string[];
  };
  /** Whether `getMetrics` / `listSizes` are available. */
  supports(capability: 'metrics' | 'sizes'): boolean;
  /** Every instance, page by page. */
  listInstances(options?: { readonly signal?: AbortSignal | undefined }): AsyncIterable<InventoryInstance>;
  /** Metric series of many instances in one call (the provider batches: ≤ 500 CloudWatch queries per `GetMetricData`). */
  getMetrics(input: {
    readonly ids: readonly string[];
    readonly metrics: readonly ('cpu' | 'memory')[];
    readonly range: { readonly start: Date; readonly end: Date };
    readonly periodSeconds: number;
    readonly signal?: AbortSignal | undefined;
  }): Promise<readonly InventoryMetricSeries[]>;
  /** Sizes on offer, with prices when the provider knows them. */
  listSizes(options?: { readonly signal?: AbortSignal | undefined }): Promise<readonly InventorySize[]>;
}

/** Options of {@link collectComputeUsage}. */
export interface CollectComputeUsageOptions {
  /** Window of utilisation to read, `[start, end)`; at least 30 hours of CPU data are needed per instance. */
  readonly range: {
    /** Start of the range (inclusive), a Date or an ISO string. */
    readonly start: Date | string;
    /** End of the range (exclusive), a Date or an ISO string. */
    readonly end: Date | string;
  };
  /** Period of the metric points in seconds; default 3600 (one point per hour). */
  readonly periodSeconds?: number | undefined;
  /** Sizes with hourly prices, instead of (or because there is no) `listSizes`; EC2 lists sizes without prices. */
  readonly sizes?: readonly InventorySize[] | undefined;
  /** Hours in a month for monthly prices; default 730. */
  readonly hoursPerMonth?: number | undefined;
  /** Aborts the listing and the metric calls. */
  readonly signal?: AbortSignal | undefined;
}

/** What {@link collectComputeUsage} found. */
export interface ComputeInventory {
  /** One entry per running instance with enough CPU data and a priced size: input of `recommendSavings({ compute })`. */
  readonly usage: ComputeUsage[];
  /** Instances listed (all states). */
  readonly instances: number;
  /** `getMetrics` calls made: one per {@link METRIC_QUERIES_PER_CALL} queries, never one per instance. */
  readonly metricCalls: number;
  /** Currency of the size prices (`USD` when none says). */
  readonly currency: string;
  /** What could not be judged and why (no prices, no metrics, too little data). */
  readonly notes: string[];
}

/**
 * CloudWatch's limit of metric queries in one `GetMetricData` request
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricData.html:
 * "you can include as many as 500 MetricDataQuery structures in one request"). Each
 * `getMetrics` call of the inventory asks for at most this many series, so it maps to one
 * request (plus its `NextToken` pages) on AWS.
 */
export const METRIC_QUERIES_PER_CALL = 500;

/** Fewest hours of CPU data a verdict needs (AWS Compute Optimizer asks for 30 hours). */
const MIN_COVERAGE_HOURS = 30;
const GIB = 2 ** 30;

/** p50/p90/p95/p99/max by linear interpolation between closest ranks. */
function percentiles(values: readonly number[]): Required<UsagePercentiles> {
  const s = [...values].sort((a, b) => a - b);
  const at = (q: number) => {
    const position = (s.length - 1) * q;
    const lo = s[Math.floor(position)]!;
    const hi = s[Math.ceil(position)]!;
    return lo + (hi - lo) * (position - Math.floor(position));
  };
  return { p50: at(0.5), p90: at(0.9), p95: at(0.95), p99: at(0.99), max: s[s.length - 1]! };
}

const scale = (p: Required<UsagePercentiles>, f: (v: number) => number): Required<UsagePercentiles> => ({ p50: f(p.p50), p90: f(p.p90), p95: f(p.p95), p99: f(p.p99), max: f(p.max) });

/** Memory used in GiB per point, from percent used/available or bytes; `undefined` for other units. */
function memoryUsedGiB(series: InventoryMetricSeries, memoryGiB: number): number[] | undefined {
  if (series.unit === 'percent') return series.points.map((p) => ((series.measure === 'available' ? 100 - p.value : p.value) / 100) * memoryGiB);
  if (series.unit === 'bytes') return series.points.map((p) => (series.measure === 'available' ? Math.max(0, memoryGiB - p.value / GIB) : p.value / GIB));
  return undefined;
}

function toDate(value: Date | string, path: string): Date {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) throw new ValidationError(undefined, [{ path, message: 'must be a Date or an ISO date/time' }], { operation: 'collectComputeUsage' });
  return date;
}

/**
 * Reads a fleet through `@almanac/engine`'s compute interface and turns it into the
 * {@link ComputeUsage} entries `recommendSavings` rightsizes: running instances, their CPU (and
 * memory, when reported) percentiles over `range`, and the priced sizes. Metrics are fetched in
 * batches of {@link METRIC_QUERIES_PER_CALL} series, never one call per instance. CPU percent is
 * converted to vCPU of the instance's size. Without memory data the current memory is kept as a
 * floor (never shrunk blind), and the entry says `memoryMeasured: false`. What cannot be judged
 * is listed in `notes` instead of guessed.
 *
 * @throws `ValidationError` naming the field for bad options; the compute facade's errors otherwise.
 */
export async function collectComputeUsage(compute: ComputeInventorySource, options: CollectComputeUsageOptions): Promise<ComputeInventory> {
  const fail = (path: string, message: string) => new ValidationError(undefined, [{ path, message }], { operation: 'collectComputeUsage' });
  if (typeof compute?.listInstances !== 'function' || typeof compute?.getMetrics !== 'function') throw fail('compute', 'must be a Compute facade of @almanac/engine');
  if (typeof options !== 'object' || options === null || typeof options.range !== 'object' || options.range === null) throw fail('options.range', 'must be { start, end }');
  const start = toDate(options.range.start, 'options.range.start');
  const end = toDate(options.range.end, 'options.range.end');
  if (end <= start) throw fail('options.range.end', 'must be after start');
  const period = options.periodSeconds ?? 3600;
  if (!Number.isInteger(period) || period < 60 || period % 60 !== 0) throw fail('options.periodSeconds', 'must be a multiple of 60, at least 60');
  const hoursPerMonth = options.hoursPerMonth ?? 730;
  if (!(hoursPerMonth > 0 && hoursPerMonth <= 744)) throw fail('options.hoursPerMonth', 'must be > 0 and at most 744');
  const signal = options.signal;
  const call = signal === undefined ? {} : { signal };
  const notes: string[] = [];

  const instances: InventoryInstance[] = [];
  for await (const instance of compute.listInstances(call)) instances.push(instance);
  const running = instances.filter((i) => i.state === 'running');

  const sizes = options.sizes ?? (compute.supports('sizes') ? await compute.listSizes(call) : []);
  if (options.sizes === undefined && !compute.supports('sizes')) notes.push(`${compute.name} does not list sizes: pass options.sizes with hourly prices`);
  const priced = sizes.filter((s) => typeof s.hourlyPrice === 'number' && Number.isFinite(s.hourlyPrice));
  if (sizes.length > 0 && priced.length === 0) notes.push(`no size of ${compute.name} has a price: pass options.sizes with hourlyPrice`);
  const currency = priced.find((s) => s.currency !== undefined)?.currency ?? 'USD';
  const offer: InstanceSize[] = priced.map((s) => ({ name: s.name, vcpu: s.vcpus, memoryGiB: s.memoryGiB, monthlyPrice: s.hourlyPrice! * hoursPerMonth }));
  const byName = new Map(priced.map((s) => [s.name, s]));

  const metrics: ('cpu' | 'memory')[] = [];
  if (!compute.supports('metrics') || !compute.capabilities.metricNames.includes('cpu')) notes.push(`${compute.name} reports no CPU metrics: nothing to rightsize`);
  else metrics.push('cpu', ...(compute.capabilities.metricNames.includes('memory') ? (['memory'] as const) : []));

  const series = new Map<string, Map<string, InventoryMetricSeries>>();
  let metricCalls = 0;
  const measured = metrics.length === 0 ? [] : running.filter((i) => byName.has(i.size));
  for (const instance of running) if (!byName.has(instance.size)) notes.push(`${instance.id}: size ${instance.size} has no price; not rightsized`);
  // As many instances per call as fit in one GetMetricData request: ids × metrics ≤ 500.
  const perCall = Math.max(1, Math.floor(METRIC_QUERIES_PER_CALL / Math.max(1, metrics.length)));
  for (let i = 0; i < measured.length; i += perCall) {
    const ids = measured.slice(i, i + perCall).map((m) => m.id);
    metricCalls++;
    for (const s of await compute.getMetrics({ ids, metrics, range: { start, end }, periodSeconds: period, ...call })) {
      const byMetric = series.get(s.id) ?? new Map<string, InventoryMetricSeries>();
      byMetric.set(s.metric, s);
      series.set(s.id, byMetric);
    }
  }

  const usage: ComputeUsage[] = [];
  for (const instance of measured) {
    const size = byName.get(instance.size)!;
    const cpu = series.get(instance.id)?.get('cpu');
    const hours = cpu === undefined ? 0 : (cpu.points.length * cpu.periodSeconds) / 3600;
    if (cpu === undefined || cpu.unit !== 'percent' || hours < MIN_COVERAGE_HOURS) {
      notes.push(`${instance.id}: ${Math.floor(hours)} h of CPU data in the range (needs ${MIN_COVERAGE_HOURS} h); not rightsized`);
      continue;
    }
    const cpuPercentiles = scale(percentiles(cpu.points.map((p) => p.value)), (v) => (v / 100) * size.vcpus);
    const memory = series.get(instance.id)?.get('memory');
    const used = memory === undefined || memory.points.length === 0 ? undefined : memoryUsedGiB(memory, size.memoryGiB);
    // Without memory data, require the current memory after rightsize's headroom: never shrink memory blind.
    const floor = size.memoryGiB / (1 + RIGHTSIZE_HEADROOM);
    const memoryPercentiles = used === undefined ? { p50: floor, p90: floor, p95: floor, p99: floor, max: floor } : percentiles(used);
    usage.push({ resourceId: instance.id, currentSize: instance.size, sizes: offer, cpuPercentiles, memoryPercentiles, memoryMeasured: used !== undefined });
  }
  return { usage, instances: instances.length, metricCalls, currency, notes };
}
