import { OracleRangeError, OracleTypeError } from '../errors';
import { array, finiteNumber, object, oneOf } from '../validate';

/** Percentile name accepted by {@link rightsize}. */
export type UsagePercentile = 'p50' | 'p90' | 'p95' | 'p99' | 'max';

/** Observed usage percentiles of one resource (only the chosen one is required). */
export type UsagePercentiles = Partial<Record<UsagePercentile, number>>;

/** A VM or task size on offer. */
export interface InstanceSize {
  /** Size name (e.g. `m7g.large`, `2vCPU-4GB`). */
  readonly name: string;
  /** vCPUs. */
  readonly vcpu: number;
  /** Memory in GiB (2^30 bytes), as clouds list instance memory. */
  readonly memoryGiB: number;
  /** Price per month. */
  readonly monthlyPrice: number;
}

/** Input of {@link rightsize}. */
export interface RightsizeInput {
  /** CPU used, in vCPU (cores busy), not percent. */
  readonly cpuPercentiles: UsagePercentiles;
  /** Memory used, in GiB. */
  readonly memoryPercentiles: UsagePercentiles;
  /** Name of the size in use now; must be in `sizes`. */
  readonly current: string;
  /** Sizes to choose from. */
  readonly sizes: readonly InstanceSize[];
  /** Percentile to cover; default `p95`. */
  readonly percentile?: UsagePercentile | undefined;
  /** Spare fraction above the percentile, e.g. 0.2 = 20 %; default 0.2. */
  readonly headroom?: number | undefined;
}

/** Result of {@link rightsize}. */
export interface RightsizeResult {
  /** Name of the recommended size. */
  readonly size: string;
  /** Current price − recommended price; negative when the current size is too small. */
  readonly monthlySavings: number;
  /** vCPU the size must provide (percentile × (1 + headroom)). */
  readonly requiredVcpu: number;
  /** GiB the size must provide. */
  readonly requiredMemoryGiB: number;
  /** False when no size covers the requirement (the largest-fitting one is returned). */
  readonly adequate: boolean;
  /** One sentence. */
  readonly reason: string;
}

const PERCENTILES: readonly UsagePercentile[] = ['p50', 'p90', 'p95', 'p99', 'max'];

/**
 * Picks the cheapest size whose vCPU and memory cover the chosen usage percentile plus headroom.
 * Ties go to the current size, then to the smaller size, then to input order. When nothing covers
 * the requirement, returns the size covering the largest fraction of it with `adequate: false`.
 */
export function rightsize(input: RightsizeInput): RightsizeResult {
  const o = object('input', input);
  const percentile = o['percentile'] === undefined ? 'p95' : oneOf('input.percentile', o['percentile'], PERCENTILES);
  const headroom = o['headroom'] === undefined ? 0.2 : finiteNumber('input.headroom', o['headroom'], { min: 0, max: 10 });
  const cpu = object('input.cpuPercentiles', o['cpuPercentiles']);
  const mem = object('input.memoryPercentiles', o['memoryPercentiles']);
  const cpuUsed = finiteNumber(`input.cpuPercentiles.${percentile}`, cpu[percentile], { min: 0 });
  const memUsed = finiteNumber(`input.memoryPercentiles.${percentile}`, mem[percentile], { min: 0 });
  const sizes = array('input.sizes', o['sizes']).map((raw, i): InstanceSize => {
    const s = object(`input.sizes[${i}]`, raw);
    if (typeof s['name'] !== 'string' || s['name'].length === 0) throw new OracleTypeError(`input.sizes[${i}].name`, 'expected a non-empty string');
    return {
      name: s['name'],
      vcpu: finiteNumber(`input.sizes[${i}].vcpu`, s['vcpu'], { min: 0 }),
      memoryGiB: finiteNumber(`input.sizes[${i}].memoryGiB`, s['memoryGiB'], { min: 0 }),
      monthlyPrice: finiteNumber(`input.sizes[${i}].monthlyPrice`, s['monthlyPrice'], { min: 0 }),
    };
  });
  if (sizes.length === 0) throw new OracleRangeError('input.sizes', 'needs at least one size');
  const current = sizes.find((s) => s.name === o['current']);
  if (current === undefined) {
    oneOf(
      'input.current',
      o['current'],
      sizes.map((s) => s.name),
    );
    throw new OracleTypeError('input.current', 'not one of the sizes');
  }

  const needCpu = cpuUsed * (1 + headroom);
  const needMem = memUsed * (1 + headroom);
  const better = (a: InstanceSize, b: InstanceSize): boolean => {
    if (a.monthlyPrice !== b.monthlyPrice) return a.monthlyPrice < b.monthlyPrice;
    if ((a === current) !== (b === current)) return a === current;
    if (a.vcpu !== b.vcpu) return a.vcpu < b.vcpu;
    return a.memoryGiB < b.memoryGiB;
  };
  let chosen: InstanceSize | undefined;
  for (const s of sizes) {
    if (s.vcpu >= needCpu && s.memoryGiB >= needMem && (chosen === undefined || better(s, chosen))) chosen = s;
  }
  const need = `${needCpu.toFixed(2)} vCPU / ${needMem.toFixed(2)} GiB (${percentile} + ${Math.round(headroom * 100)}% headroom)`;
  if (chosen === undefined) {
    const coverage = (s: InstanceSize): number => Math.min(needCpu === 0 ? 1 : s.vcpu / needCpu, needMem === 0 ? 1 : s.memoryGiB / needMem);
    let largest = sizes[0]!;
    for (const s of sizes) if (coverage(s) > coverage(largest)) largest = s;
    return {
      size: largest.name,
      monthlySavings: current.monthlyPrice - largest.monthlyPrice,
      requiredVcpu: needCpu,
      requiredMemoryGiB: needMem,
      adequate: false,
      reason: `no size provides ${need}; ${largest.name} comes closest`,
    };
  }
  const reason =
    chosen === current
      ? `${current.name} is the cheapest size providing ${need}`
      : current.vcpu >= needCpu && current.memoryGiB >= needMem
        ? `${chosen.name} is the cheapest size providing ${need}; ${current.name} is oversized`
        : `${current.name} is too small for ${need}; ${chosen.name} is the cheapest that fits`;
  return {
    size: chosen.name,
    monthlySavings: current.monthlyPrice - chosen.monthlyPrice,
    requiredVcpu: needCpu,
    requiredMemoryGiB: needMem,
    adequate: true,
    reason,
  };
}
