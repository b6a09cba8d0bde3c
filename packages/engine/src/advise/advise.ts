import { parse } from '@almanac/core';
import { type InstanceSize, rightsize } from '@almanac/oracle';
import { createCompute } from '../facade/create-compute';
import type { Compute } from '../facade/types';
import type { ComputeProvider, Instance, MetricName, MetricSeries, SizeInfo } from '../spec';
import { anomalyFindings } from './anomalies';
import { adviseOptionsSchema } from './schema';
import { missingPatchTagFinding, openIngressFinding } from './security';
import { percentiles, round } from './stats';
import type { Advice, AdviseOptions, Finding } from './types';

const GIB = 2 ** 30;
const DAY_S = 86_400;
/** Fewest seconds of metrics a rightsizing or idle verdict needs (AWS Compute Optimizer asks for 30 h). */
const MIN_COVERAGE_S = 30 * 3600;
/** Points per metrics call, under CloudWatch's 100,800 per `GetMetricData`. */
const MAX_POINTS_PER_CALL = 100_000;
const DEFAULT_PATCH_TAGS = ['PatchGroup', 'patch-group', 'Patch Group'];
const SEVERITY_RANK = { high: 0, medium: 1, low: 2 } as const;

function isCompute(value: Compute | ComputeProvider): value is Compute {
  return typeof (value as Compute).listInstances === 'function' && typeof (value as Compute).provider === 'object';
}

/** Smallest multiple of 300 s giving at most 5,000 points over the range. */
function defaultPeriod(rangeMs: number): number {
  return Math.max(300, Math.ceil(rangeMs / 1000 / 5000 / 300) * 300);
}

/** Memory used in GiB per point, from whichever form the provider reports (percent used, bytes available). */
function memoryUsedGiB(series: MetricSeries | undefined, memoryGiB: number): number[] | undefined {
  if (series === undefined || series.points.length === 0) return undefined;
  if (series.unit === 'percent') {
    const used = series.measure === 'available' ? (v: number) => 100 - v : (v: number) => v;
    return series.points.map((p) => (used(p.value) / 100) * memoryGiB);
  }
  if (series.unit === 'bytes') {
    return series.points.map((p) => (series.measure === 'available' ? Math.max(0, memoryGiB - p.value / GIB) : p.value / GIB));
  }
  return undefined;
}

/** Bytes per day of a network series (sums per period, or rates). */
function bytesPerDay(series: MetricSeries | undefined): number | undefined {
  if (series === undefined || series.points.length === 0) return undefined;
  const mean = series.points.reduce((sum, p) => sum + p.value, 0) / series.points.length;
  if (series.unit === 'bytes') return (mean * DAY_S) / series.periodSeconds;
  if (series.unit === 'bytes/second') return mean * DAY_S;
  return undefined;
}

/**
 * Looks over a fleet and returns advice, each finding with its evidence and an estimated monthly
 * saving: rightsizing from CPU and memory percentiles (oracle `rightsize` over the provider's
 * priced sizes), idle instances, metric anomalies (oracle `scoreAnomalies`), public instances with
 * inbound rules open to the internet, instances without a patch tag, stopped instances still
 * paying for disks, and powered-off VMs still billed for compute. Read-only: it never changes
 * anything. What cannot be judged (no prices, no metrics, ingress or addresses not reported) is listed in
 * `notes` rather than guessed.
 */
export async function advise(target: Compute | ComputeProvider, options: AdviseOptions): Promise<Advice> {
  const parsed = parse(adviseOptionsSchema, options, { operation: 'advise', path: 'options' });
  const compute = isCompute(target) ? target : createCompute(target);
  const signal = options.signal;
  const call = signal === undefined ? {} : { signal };
  const range = options.range;
  const rangeMs = range.end.getTime() - range.start.getTime();
  const period = options.periodSeconds ?? defaultPeriod(rangeMs);
  const hoursPerMonth = options.hoursPerMonth ?? 730;
  const diskPrice = options.diskPricePerGiBMonth ?? 0.08;
  const notes: string[] = [];
  const findings: Finding[] = [];

  const instances = await compute
    .listInstances({ ...(options.filter === undefined ? {} : { filter: options.filter }), ...(options.tags === undefined ? {} : { tags: options.tags }), ...call })
    .toArray();

  // Prices.
  let sizes: readonly SizeInfo[] = [];
  if (options.sizes !== undefined) sizes = options.sizes;
  else if (compute.supports('sizes')) sizes = await compute.listSizes(call);
  else notes.push(`${compute.name} does not list sizes: no rightsizing and no savings in currency (pass options.sizes)`);
  if (sizes.length > 0 && !sizes.some((s) => s.hourlyPrice !== undefined)) notes.push('no size has a price: savings are 0 (pass options.sizes with hourlyPrice)');
  const priced = sizes.filter((s) => s.hourlyPrice !== undefined);
  const currency = priced[0]?.currency;
  const sizeByName = new Map(sizes.map((s) => [s.name, s]));
  const monthly = (size: string): number | undefined => {
    const price = sizeByName.get(size)?.hourlyPrice;
    return price === undefined ? undefined : price * hoursPerMonth;
  };
  const money = (amount: number) => round(amount, 2);
  const withCurrency = currency === undefined ? {} : { currency };

  // Metrics, batched.
  const running = instances.filter((i) => i.state === 'running');
  const wanted: MetricName[] = compute.supports('metrics') ? [...compute.capabilities.metricNames] : [];
  if (!compute.supports('metrics')) notes.push(`${compute.name} reports no metrics: no rightsizing, idle or anomaly analysis`);
  const series = new Map<string, Map<MetricName, MetricSeries>>();
  if (wanted.length > 0 && running.length > 0) {
    const pointsPerSeries = Math.ceil(rangeMs / 1000 / period) + 1;
    const perCall = Math.max(1, Math.min(100, Math.floor(MAX_POINTS_PER_CALL / (pointsPerSeries * wanted.length))));
    for (let i = 0; i < running.length; i += perCall) {
      const ids = running.slice(i, i + perCall).map((r) => r.id);
      const got = await compute.getMetrics({ ids, metrics: wanted, range, periodSeconds: period, ...call });
      for (const s of got) {
        const byMetric = series.get(s.id) ?? new Map<MetricName, MetricSeries>();
        byMetric.set(s.metric, s);
        series.set(s.id, byMetric);
      }
    }
  }

  const rightsizing = parsed.rightsizing === false ? undefined : { percentile: parsed.rightsizing?.percentile ?? 'p95', headroom: parsed.rightsizing?.headroom ?? 0.2 };
  const idle = parsed.idle === false ? undefined : { cpu: parsed.idle?.cpuPercent ?? 3, network: parsed.idle?.networkBytesPerDay ?? 5_000_000 };
  const anomalies = parsed.anomalies === false ? undefined : { sensitivity: parsed.anomalies?.sensitivity ?? 0.5, window: parsed.anomalies?.window, metrics: parsed.anomalies?.metrics };
  const patchKeys = parsed.security === false ? undefined : (parsed.security?.patchTagKeys ?? DEFAULT_PATCH_TAGS);
  const oracleSizes: InstanceSize[] = priced.map((s) => ({ name: s.name, vcpu: s.vcpus, memoryGiB: s.memoryGiB, monthlyPrice: (s.hourlyPrice as number) * hoursPerMonth }));
  let ingressUnknown = 0;
  let addressesUnknown = 0;
  const named = (instance: Instance) => (instance.name === undefined ? {} : { instanceName: instance.name });

  for (const instance of instances) {
    if (instance.state === 'terminated') continue;
    const metrics = series.get(instance.id);
    const cpu = metrics?.get('cpu');
    const covered = (cpu?.points.length ?? 0) * period >= MIN_COVERAGE_S;
    let isIdle = false;

    if (instance.state === 'running' && cpu !== undefined && covered && cpu.unit === 'percent') {
      const cpuP = percentiles(cpu.points.map((p) => p.value));
      const size = sizeByName.get(instance.size);
      if (idle !== undefined) {
        const inDay = bytesPerDay(metrics?.get('networkIn'));
        const outDay = bytesPerDay(metrics?.get('networkOut'));
        const network = inDay === undefined && outDay === undefined ? undefined : (inDay ?? 0) + (outDay ?? 0);
        if (cpuP.p95 < idle.cpu && (network === undefined || network < idle.network)) {
          isIdle = true;
          const price = monthly(instance.size);
          findings.push({
            id: `idle:${instance.id}`,
            category: 'idle',
            rule: 'idle',
            severity: price !== undefined && price > 50 ? 'medium' : 'low',
            instanceId: instance.id,
            ...named(instance),
            title: `Idle: CPU p95 ${round(cpuP.p95)} %${network === undefined ? '' : `, network ${round(network / 1e6)} MB/day`}`,
            detail: `Nothing much has run on this ${instance.size} over the period. Stop or remove it (its disks still bill while it is stopped)${network === undefined ? '; network is not reported, so this rests on CPU alone' : ''}.`,
            evidence: { cpuPercentiles: mapRound(cpuP), ...(network === undefined ? {} : { networkBytesPerDay: Math.round(network) }), points: cpu.points.length, periodSeconds: cpu.periodSeconds },
            estimatedMonthlySaving: price === undefined ? 0 : money(price),
            ...withCurrency,
          });
        }
      }
      if (!isIdle && rightsizing !== undefined) {
        if (size === undefined || size.hourlyPrice === undefined) {
          notes.push(`${instance.id}: size ${instance.size} has no price; not rightsized`);
        } else {
          const used = memoryUsedGiB(metrics?.get('memory'), size.memoryGiB);
          const memP = used === undefined ? undefined : percentiles(used);
          const cpuVcpu = mapValues(cpuP, (v) => (v / 100) * size.vcpus);
          // Without memory data, require the current memory: never shrink memory blind.
          const memory = memP ?? mapValues(cpuP, () => size.memoryGiB / (1 + rightsizing.headroom));
          const result = rightsize({ cpuPercentiles: cpuVcpu, memoryPercentiles: memory, current: instance.size, sizes: oracleSizes, percentile: rightsizing.percentile, headroom: rightsizing.headroom });
          if (result.size !== instance.size) {
            const down = result.monthlySavings > 0;
            findings.push({
              id: `${down ? 'downsize' : 'upsize'}:${instance.id}`,
              category: 'rightsizing',
              rule: down ? 'downsize' : 'upsize',
              severity: down ? (result.monthlySavings > 50 ? 'medium' : 'low') : 'medium',
              instanceId: instance.id,
              ...named(instance),
              title: `${down ? 'Oversized' : 'Undersized'}: ${instance.size} → ${result.size}`,
              detail: `${result.reason}${memP === undefined ? ' Memory is not reported, so the current memory was kept as a floor.' : ''}`,
              evidence: {
                percentile: rightsizing.percentile,
                headroom: rightsizing.headroom,
                cpuPercentPercentiles: mapRound(cpuP),
                ...(memP === undefined ? { memory: 'not reported' } : { memoryUsedGiBPercentiles: mapRound(memP) }),
                requiredVcpu: round(result.requiredVcpu, 3),
                requiredMemoryGiB: round(result.requiredMemoryGiB, 3),
                current: { size: instance.size, vcpus: size.vcpus, memoryGiB: size.memoryGiB, monthlyPrice: money(monthly(instance.size) ?? 0) },
                recommended: { size: result.size, monthlyPrice: money(monthly(result.size) ?? 0) },
                adequate: result.adequate,
              },
              estimatedMonthlySaving: money(result.monthlySavings),
              ...withCurrency,
            });
          }
        }
      }
    } else if (instance.state === 'running' && wanted.length > 0 && (rightsizing !== undefined || idle !== undefined)) {
      notes.push(`${instance.id}: less than ${MIN_COVERAGE_S / 3600} h of CPU data in the range; not rightsized or checked for idleness`);
    }

    if (anomalies !== undefined && metrics !== undefined) {
      for (const s of metrics.values()) {
        if (anomalies.metrics !== undefined && !anomalies.metrics.includes(s.metric)) continue;
        findings.push(...anomalyFindings(instance, s, { sensitivity: anomalies.sensitivity, ...(anomalies.window === undefined ? {} : { window: anomalies.window }) }));
      }
    }

    if (patchKeys !== undefined) {
      const open = openIngressFinding(instance);
      if (open !== undefined) findings.push(open);
      if (instance.publicIps === undefined) addressesUnknown++;
      else if (instance.publicIps.length > 0 && instance.ingress === undefined) ingressUnknown++;
      const patch = missingPatchTagFinding(instance, patchKeys);
      if (patch !== undefined) findings.push(patch);
    }

    if (instance.state === 'stopped') {
      if (instance.computeBilled === true) {
        const price = monthly(instance.size);
        findings.push({
          id: `powered-off-still-billed:${instance.id}`,
          category: 'cost',
          rule: 'powered-off-still-billed',
          severity: 'high',
          instanceId: instance.id,
          ...named(instance),
          title: `Powered off but still billed for compute (${instance.rawState})`,
          detail: 'The VM was stopped without deallocation, so its compute is still billed. Deallocate it (stop with deallocate: true).',
          evidence: { rawState: instance.rawState, size: instance.size, ...(price === undefined ? {} : { monthlyPrice: money(price) }) },
          estimatedMonthlySaving: price === undefined ? 0 : money(price),
          ...withCurrency,
        });
      }
      const billed = (instance.disks ?? []).filter((d) => d.billedWhenStopped === true);
      if (billed.length > 0) {
        const gib = billed.reduce((sum, d) => sum + (d.sizeGiB ?? 0), 0);
        findings.push({
          id: `stopped-with-billed-disks:${instance.id}`,
          category: 'cost',
          rule: 'stopped-with-billed-disks',
          severity: 'low',
          instanceId: instance.id,
          ...named(instance),
          title: `Stopped, still paying for ${billed.length} disk(s), ${gib} GiB`,
          detail: 'Disks of a stopped instance keep billing. If it is not coming back, snapshot and delete the disks (or the instance).',
          evidence: { disks: billed, diskPricePerGiBMonth: diskPrice },
          estimatedMonthlySaving: money(gib * diskPrice),
          ...withCurrency,
        });
      }
    }
  }
  if (ingressUnknown > 0) notes.push(`${ingressUnknown} public instance(s) without reported inbound rules: exposure not checked`);
  if (addressesUnknown > 0) notes.push(`${addressesUnknown} instance(s) whose addresses ${compute.name} does not report: public exposure not checked`);

  findings.sort((a, b) => b.estimatedMonthlySaving - a.estimatedMonthlySaving || SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || a.id.localeCompare(b.id));
  const total = money(findings.reduce((sum, f) => sum + Math.max(0, f.estimatedMonthlySaving), 0));
  return { findings, totalMonthlySaving: total, ...withCurrency, instances: instances.length, notes };
}

function mapValues<T extends Record<string, number>>(values: T, f: (v: number) => number): T {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, f(v)])) as T;
}

function mapRound<T extends Record<string, number>>(values: T): T {
  return mapValues(values, (v) => round(v, 3));
}
