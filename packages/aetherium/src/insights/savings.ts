import { ValidationError } from '@almanac/core';
import { recommendStorageClass, rightsize } from '@almanac/oracle';
import type { InstanceSize, StorageCloud, StorageObject, StoragePriceTable, UsagePercentiles } from '@almanac/oracle';
import { parseFocusRow } from '../model/focus-row';
import type { FocusRow } from '../model/focus-row';
import type { StorageTieringGroup } from '../inventory/storage';

/** One VM or container task with its observed usage (e.g. from `@almanac/engine` instances and metrics). */
export interface ComputeUsage {
  /** Resource id (instance id, ARM id, task ARN). */
  readonly resourceId: string;
  /** Name of the size in use; must be in `sizes`. */
  readonly currentSize: string;
  /** Sizes on offer with their monthly prices (the current one included). */
  readonly sizes: readonly InstanceSize[];
  /** CPU used, in vCPU (cores busy), at least `p95`. */
  readonly cpuPercentiles: UsagePercentiles;
  /** Memory used, in GiB, at least `p95`. */
  readonly memoryPercentiles: UsagePercentiles;
  /**
   * `false` when memory was not reported and `memoryPercentiles` only keep the current memory as a
   * floor (EC2 without the CloudWatch agent); shown in the evidence. Default `true`.
   */
  readonly memoryMeasured?: boolean | undefined;
}

/** One bucket or object class with its size and access pattern (e.g. from `@almanac/library` listings). */
export interface StorageUsage {
  /** Resource id (bucket, prefix or object key). */
  readonly resourceId: string;
  /** Cloud whose storage classes apply. */
  readonly provider: StorageCloud;
  /** Size, age, class and reads (oracle's `StorageObject`). */
  readonly object: StorageObject;
  /** Price table; default oracle's built-in list prices for `provider`. */
  readonly prices?: StoragePriceTable | undefined;
}

/** Input of {@link recommendSavings}. */
export interface SavingsInput {
  /** FOCUS charges (with `CommitmentDiscount*` columns) for commitment utilisation and coverage. */
  readonly costs?: readonly (FocusRow | Readonly<Record<string, unknown>>)[] | undefined;
  /** Compute resources for rightsizing and idle detection. */
  readonly compute?: readonly ComputeUsage[] | undefined;
  /** Storage for tiering and lifecycle rules, one object (or class of objects) each. */
  readonly storage?: readonly StorageUsage[] | undefined;
  /** Storage moves already priced per object and grouped by prefix (`collectStorageUsage(...).tiering`). */
  readonly storageGroups?: readonly StorageTieringGroup[] | undefined;
}

/** Options of {@link recommendSavings}. */
export interface SavingsOptions {
  /** Currency of `compute` and `storage` prices; default `USD`. */
  readonly currency?: string | undefined;
  /** A resource whose p95 CPU is below this many vCPU is idle; default 0.05. */
  readonly idleCpuVcpu?: number | undefined;
  /** Commitments used below this fraction are flagged; default 0.9. */
  readonly utilizationTarget?: number | undefined;
  /** Services whose usage is covered by commitments below this fraction are flagged; default 0.7. */
  readonly coverageTarget?: number | undefined;
  /** Discount a commitment gives on covered usage, used to estimate coverage savings; default 0.2 (an assumption, shown in the evidence). */
  readonly commitmentDiscountRate?: number | undefined;
  /** Smallest monthly saving to report; default 0.01. */
  readonly minMonthlySaving?: number | undefined;
}

/** What kind of saving. */
export type SavingsKind = 'idle' | 'rightsize' | 'storage-tier' | 'commitment-utilization' | 'commitment-coverage';

/** One recommendation, with the numbers it rests on. */
export interface SavingsRecommendation {
  /** What kind of saving. */
  readonly kind: SavingsKind;
  /** The resource, commitment id or service concerned. */
  readonly resourceId: string;
  /** One sentence saying what to do. */
  readonly title: string;
  /** Estimated saving per month, in `currency`. */
  readonly monthlySaving: number;
  /** Currency of the saving. */
  readonly currency: string;
  /** The figures behind it (usage, prices, utilisation, …). */
  readonly evidence: Readonly<Record<string, string | number | boolean | null>>;
}

const DAYS_PER_MONTH = 30.4375;

/** Spare capacity rightsizing keeps above the p95 (oracle `rightsize`'s `headroom`): 20 %. */
export const RIGHTSIZE_HEADROOM = 0.2;
const round = (n: number) => Math.round(n * 100) / 100;

interface Thresholds {
  readonly utilizationTarget: number;
  readonly coverageTarget: number;
  readonly commitmentDiscountRate: number;
}

function commitmentFindings(rows: readonly FocusRow[], o: Thresholds): SavingsRecommendation[] {
  if (rows.length === 0) return [];
  // Amounts are scaled to a month over the span of the rows they come from (hourly examples, a month of export…).
  const perMonth = (group: readonly FocusRow[]) => {
    const start = Math.min(...group.map((r) => Date.parse(r.ChargePeriodStart)));
    const end = Math.max(...group.map((r) => Date.parse(r.ChargePeriodEnd)));
    const days = Math.max(1 / 24, (end - start) / 86_400_000);
    return { factor: DAYS_PER_MONTH / days, days };
  };
  const out: SavingsRecommendation[] = [];

  const commitments = new Map<string, { used: number; unused: number; currency: string; rows: FocusRow[] }>();
  for (const r of rows) {
    if (r.CommitmentDiscountId === null || (r.CommitmentDiscountStatus !== 'Used' && r.CommitmentDiscountStatus !== 'Unused')) continue;
    const c = commitments.get(r.CommitmentDiscountId) ?? { used: 0, unused: 0, currency: r.BillingCurrency, rows: [] };
    if (r.CommitmentDiscountStatus === 'Used') c.used += r.EffectiveCost;
    else c.unused += r.EffectiveCost;
    c.rows.push(r);
    commitments.set(r.CommitmentDiscountId, c);
  }
  for (const [id, c] of commitments) {
    const { factor, days: spanDays } = perMonth(c.rows);
    const total = c.used + c.unused;
    const utilization = total > 0 ? c.used / total : 1;
    if (utilization >= o.utilizationTarget || c.unused <= 0) continue;
    out.push({
      kind: 'commitment-utilization',
      resourceId: id,
      title: `Commitment ${id} is ${Math.round(utilization * 100)} % used: move eligible usage onto it or resize it at renewal`,
      monthlySaving: c.unused * factor,
      currency: c.currency,
      evidence: { utilization: round(utilization), usedEffectiveCost: round(c.used), unusedEffectiveCost: round(c.unused), spanDays: round(spanDays) },
    });
  }

  const services = new Map<string, { covered: number; onDemand: number; currency: string; rows: FocusRow[] }>();
  for (const r of rows) {
    if (r.ChargeCategory !== 'Usage') continue;
    const key = `${r.ServiceName ?? '(none)'}\u0000${r.BillingCurrency}`;
    const s = services.get(key) ?? { covered: 0, onDemand: 0, currency: r.BillingCurrency, rows: [] };
    s.rows.push(r);
    if (r.CommitmentDiscountId !== null) s.covered += r.EffectiveCost;
    else if (r.PricingCategory === null || r.PricingCategory === 'Standard') s.onDemand += r.EffectiveCost;
    services.set(key, s);
  }
  for (const [key, s] of services) {
    const total = s.covered + s.onDemand;
    if (total <= 0) continue;
    const { factor, days: spanDays } = perMonth(s.rows);
    const coverage = s.covered / total;
    if (coverage >= o.coverageTarget) continue;
    const toCover = o.coverageTarget * total - s.covered;
    const service = key.split('\u0000')[0]!;
    out.push({
      kind: 'commitment-coverage',
      resourceId: service,
      title: `${service}: ${Math.round(coverage * 100)} % of usage is covered by commitments; covering up to ${Math.round(o.coverageTarget * 100)} % of its steady usage would save about this much`,
      monthlySaving: toCover * o.commitmentDiscountRate * factor,
      currency: s.currency,
      evidence: { coverage: round(coverage), onDemandCost: round(s.onDemand), coveredCost: round(s.covered), assumedDiscountRate: o.commitmentDiscountRate, spanDays: round(spanDays) },
    });
  }
  return out;
}

/**
 * Savings from rightsizing and idle compute (oracle's `rightsize`), storage tiering with a
 * lifecycle rule (oracle's `recommendStorageClass`, which weighs prices, retrieval fees and
 * minimum durations), and commitment utilisation and coverage (FOCUS `CommitmentDiscount*`
 * columns). Each comes with its evidence and a monthly saving; the list is sorted by saving, then
 * kind and resource, and is the same for the same input (no clock, no randomness).
 *
 * @throws `ValidationError` naming the field for bad input (`compute.0.currentSize`, `costs.3.BilledCost`, …).
 */
export function recommendSavings(input: SavingsInput, options: SavingsOptions = {}): SavingsRecommendation[] {
  const o = {
    idleCpuVcpu: options.idleCpuVcpu ?? 0.05,
    utilizationTarget: options.utilizationTarget ?? 0.9,
    coverageTarget: options.coverageTarget ?? 0.7,
    commitmentDiscountRate: options.commitmentDiscountRate ?? 0.2,
    minMonthlySaving: options.minMonthlySaving ?? 0.01,
  };
  const currency = options.currency ?? 'USD';
  const out: SavingsRecommendation[] = [];

  (input?.compute ?? []).forEach((usage, i) => {
    const current = usage.sizes?.find((s) => s.name === usage.currentSize);
    if (!current) throw new ValidationError(undefined, [{ path: `compute.${i}.currentSize`, message: 'must be one of sizes' }], { operation: 'recommendSavings' });
    const p95 = usage.cpuPercentiles.p95 ?? usage.cpuPercentiles.max;
    if (p95 !== undefined && p95 < o.idleCpuVcpu) {
      out.push({
        kind: 'idle',
        resourceId: usage.resourceId,
        title: `${usage.resourceId} is idle (p95 CPU ${p95} vCPU): stop or delete it`,
        monthlySaving: current.monthlyPrice,
        currency,
        evidence: { cpuP95Vcpu: p95, size: current.name, monthlyPrice: current.monthlyPrice },
      });
      return;
    }
    const result = rightsize({ cpuPercentiles: usage.cpuPercentiles, memoryPercentiles: usage.memoryPercentiles, current: usage.currentSize, sizes: usage.sizes, headroom: RIGHTSIZE_HEADROOM });
    if (result.monthlySavings > 0 && result.adequate) {
      out.push({
        kind: 'rightsize',
        resourceId: usage.resourceId,
        title: `Resize ${usage.resourceId} from ${usage.currentSize} to ${result.size}`,
        monthlySaving: result.monthlySavings,
        currency,
        evidence: { from: usage.currentSize, to: result.size, requiredVcpu: round(result.requiredVcpu), requiredMemoryGiB: round(result.requiredMemoryGiB), memoryMeasured: usage.memoryMeasured ?? true, reason: result.reason },
      });
    }
  });

  for (const usage of input?.storage ?? []) {
    const result = recommendStorageClass(usage.object, { provider: usage.provider, ...(usage.prices ? { prices: usage.prices } : {}) });
    if (result.monthlySavings <= 0 || result.storageClass === result.currentClass) continue;
    const afterDays = Math.max(30, Math.ceil(usage.object.daysSinceLastAccess ?? usage.object.ageDays));
    out.push({
      kind: 'storage-tier',
      resourceId: usage.resourceId,
      title: `Move ${usage.resourceId} from ${result.currentClass} to ${result.storageClass}, with a lifecycle rule transitioning objects after ${afterDays} days`,
      monthlySaving: result.monthlySavings,
      currency,
      evidence: { from: result.currentClass, to: result.storageClass, lifecycleTransitionAfterDays: afterDays, transitionCost: round(result.transitionCost), breakEvenMonths: round(result.breakEvenMonths), reason: result.reason },
    });
  }

  (input?.storageGroups ?? []).forEach((group, i) => {
    for (const field of ['objects', 'bytes', 'monthlySaving', 'transitionCost', 'minAgeDays'] as const) {
      if (typeof group?.[field] !== 'number' || !Number.isFinite(group[field]) || group[field] < 0) {
        throw new ValidationError(undefined, [{ path: `storageGroups.${i}.${field}`, message: 'must be a finite number ≥ 0' }], { operation: 'recommendSavings' });
      }
    }
  });
  for (const group of input?.storageGroups ?? []) {
    if (group.monthlySaving <= 0 || group.currentClass === group.targetClass) continue;
    const afterDays = Math.max(30, group.minAgeDays);
    out.push({
      kind: 'storage-tier',
      resourceId: group.resourceId,
      title: `Move ${group.objects} object(s) under ${group.resourceId} from ${group.currentClass} to ${group.targetClass}, with a lifecycle rule on that prefix transitioning after ${afterDays} days`,
      monthlySaving: group.monthlySaving,
      currency: group.currency,
      evidence: {
        from: group.currentClass,
        to: group.targetClass,
        objects: group.objects,
        bytes: group.bytes,
        lifecycleTransitionAfterDays: afterDays,
        transitionCost: round(group.transitionCost),
        breakEvenMonths: round(group.transitionCost / group.monthlySaving),
      },
    });
  }

  const rows = (input?.costs ?? []).map((row, i) => parseFocusRow(row, { path: `costs.${i}` }));
  out.push(...commitmentFindings(rows, o));

  const kinds: SavingsKind[] = ['idle', 'rightsize', 'storage-tier', 'commitment-utilization', 'commitment-coverage'];
  return out
    .filter((r) => r.monthlySaving >= o.minMonthlySaving)
    .map((r) => Object.freeze({ ...r, monthlySaving: round(r.monthlySaving), evidence: Object.freeze(r.evidence) }))
    .sort((a, b) => b.monthlySaving - a.monthlySaving || kinds.indexOf(a.kind) - kinds.indexOf(b.kind) || (a.resourceId < b.resourceId ? -1 : a.resourceId > b.resourceId ? 1 : 0));
}
