import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OracleRangeError, OracleTypeError } from '../src/errors';
import { type InstanceSize, type LoadSample, recommendCapacity, rightsize } from '../src/scaling';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 0, 5);

/** Deterministic noise in [-1, 1). */
function noise(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  };
}

/** Hourly load peaking at 12:00 UTC: 100 ± 80. */
const truth = (t: number): number => 100 + 80 * Math.sin((2 * Math.PI * ((t / HOUR) % 24 - 6)) / 24);

function dailyHistory(days: number, amplitude = 3): LoadSample[] {
  const rnd = noise(7);
  return Array.from({ length: days * 24 }, (_, i) => ({ at: T0 + i * HOUR, load: truth(T0 + i * HOUR) + amplitude * rnd() }));
}

describe('recommendCapacity', () => {
  const history = dailyHistory(14);

  it('forecasts the daily season (period detected from timestamps)', () => {
    const plan = recommendCapacity({ history, perReplicaCapacity: 10, targetUtilization: 0.8, horizon: 24 * HOUR });
    expect(plan).toHaveLength(24);
    expect(plan[0]!.at.getTime()).toBe(T0 + 14 * 24 * HOUR);
    for (const p of plan) {
      expect(Math.abs(p.expectedLoad - truth(p.at.getTime()))).toBeLessThan(10);
      expect(p.upperLoad).toBeGreaterThanOrEqual(p.expectedLoad);
      // Without lead time each step covers exactly its own upper bound.
      expect(p.replicas).toBe(Math.max(1, Math.ceil(p.upperLoad / 8)));
    }
    const peak = plan.reduce((a, b) => (b.expectedLoad > a.expectedLoad ? b : a));
    expect(new Date(peak.at).getUTCHours()).toBe(12);
  });

  it('raises replicas before the peak by the lead time', () => {
    const plain = recommendCapacity({ history, perReplicaCapacity: 10, targetUtilization: 0.8, horizon: 24 * HOUR });
    const ahead = recommendCapacity({ history, perReplicaCapacity: 10, targetUtilization: 0.8, horizon: 24 * HOUR, leadTime: 2 * HOUR });
    const maxPlain = Math.max(...plain.map((p) => p.replicas));
    const firstAtMax = (plan: typeof plain) => plan.findIndex((p) => p.replicas === maxPlain);
    expect(firstAtMax(ahead)).toBeLessThan(firstAtMax(plain));
    expect(firstAtMax(plain) - firstAtMax(ahead)).toBeLessThanOrEqual(2);
    // Capacity for the peak is in place before the expected load peaks.
    const peakIndex = ahead.reduce((best, p, i) => (p.expectedLoad > ahead[best]!.expectedLoad ? i : best), 0);
    expect(firstAtMax(ahead)).toBeLessThan(peakIndex);
    // Looking ahead only ever adds capacity.
    ahead.forEach((p, i) => {
      expect(p.replicas).toBeGreaterThanOrEqual(plain[i]!.replicas);
    });
  });

  it('clamps to min/max and accepts an explicit period and Date/ISO times', () => {
    const isoHistory = history.map((s, i) => ({ at: i % 2 ? new Date(s.at as number) : new Date(s.at as number).toISOString(), load: s.load }));
    const plan = recommendCapacity({
      history: isoHistory,
      perReplicaCapacity: 10,
      targetUtilization: 0.8,
      horizon: 24 * HOUR,
      period: 24 * HOUR,
      minReplicas: 12,
      maxReplicas: 20,
    });
    expect(Math.min(...plan.map((p) => p.replicas))).toBe(12);
    expect(Math.max(...plan.map((p) => p.replicas))).toBe(20);
  });

  it('fills whole-step gaps and is deterministic', () => {
    const gappy = history.filter((_, i) => i % 37 !== 5);
    const a = recommendCapacity({ history: gappy, perReplicaCapacity: 10, targetUtilization: 0.8, horizon: 6 * HOUR });
    expect(recommendCapacity({ history: gappy, perReplicaCapacity: 10, targetUtilization: 0.8, horizon: 6 * HOUR })).toEqual(a);
    expect(a).toHaveLength(6);
  });

  it('produces finite, bounded schedules for arbitrary loads (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { minLength: 4, maxLength: 80 }), fc.integer({ min: 1, max: 30 }), (loads, steps) => {
        const plan = recommendCapacity({
          history: loads.map((load, i) => ({ at: T0 + i * HOUR, load })),
          perReplicaCapacity: 100,
          targetUtilization: 0.7,
          horizon: steps * HOUR,
          maxReplicas: 1000,
          leadTime: HOUR,
        });
        expect(plan).toHaveLength(steps);
        for (const p of plan) {
          expect(Number.isFinite(p.expectedLoad) && Number.isFinite(p.upperLoad)).toBe(true);
          expect(p.expectedLoad).toBeGreaterThanOrEqual(0);
          expect(p.replicas).toBeGreaterThanOrEqual(1);
          expect(p.replicas).toBeLessThanOrEqual(1000);
        }
      }),
      { numRuns: 50 },
    );
  });

  it('validates input', () => {
    const ok = { history, perReplicaCapacity: 10, targetUtilization: 0.8, horizon: HOUR };
    expect(() => recommendCapacity({ ...ok, history: history.slice(0, 3) })).toThrow(OracleRangeError);
    expect(() => recommendCapacity({ ...ok, targetUtilization: 1.5 })).toThrow(/targetUtilization/);
    expect(() => recommendCapacity({ ...ok, targetUtilization: 0 })).toThrow(OracleRangeError);
    expect(() => recommendCapacity({ ...ok, perReplicaCapacity: 0 })).toThrow(/perReplicaCapacity/);
    expect(() => recommendCapacity({ ...ok, history: [...history].reverse() })).toThrow(/increasing/);
    const uneven = history.map((s, i) => ({ ...s, at: (s.at as number) + (i === 10 ? HOUR / 2 : 0) }));
    expect(() => recommendCapacity({ ...ok, history: uneven })).toThrow(/evenly spaced/);
    expect(() => recommendCapacity({ ...ok, period: 1.5 * HOUR })).toThrow(/multiple/);
    expect(() => recommendCapacity({ ...ok, history: history.map((s, i) => (i === 3 ? { ...s, load: Number.NaN } : s)) })).toThrow(
      /history\[3\]\.load/,
    );
    expect(() => recommendCapacity({ ...ok, history: [{ at: 'yesterday', load: 1 }, ...history] })).toThrow(OracleRangeError);
  });
});

describe('rightsize', () => {
  const sizes: InstanceSize[] = [
    { name: 'large', vcpu: 2, memoryGiB: 8, monthlyPrice: 60 },
    { name: 'xlarge', vcpu: 4, memoryGiB: 16, monthlyPrice: 120 },
    { name: 'c-xlarge', vcpu: 4, memoryGiB: 8, monthlyPrice: 100 },
    { name: '2xlarge', vcpu: 8, memoryGiB: 32, monthlyPrice: 240 },
  ];

  it('picks the cheapest size covering p95 with 20 % headroom', () => {
    // Needs 3 × 1.2 = 3.6 vCPU and 5 × 1.2 = 6 GiB: c-xlarge (100) beats xlarge (120).
    const r = rightsize({ cpuPercentiles: { p50: 1, p95: 3 }, memoryPercentiles: { p95: 5 }, current: '2xlarge', sizes });
    expect(r).toMatchObject({ size: 'c-xlarge', monthlySavings: 140, adequate: true });
    expect(r.requiredVcpu).toBeCloseTo(3.6, 12);
    expect(r.requiredMemoryGiB).toBeCloseTo(6, 12);
    expect(r.reason).toMatch(/oversized/);
  });

  it('upsizes an undersized current size and reports negative savings', () => {
    const r = rightsize({ cpuPercentiles: { p95: 3 }, memoryPercentiles: { p95: 10 }, current: 'large', sizes });
    expect(r).toMatchObject({ size: 'xlarge', monthlySavings: -60, adequate: true });
    expect(r.reason).toMatch(/too small/);
  });

  it('honours percentile and headroom choices and prefers staying on ties', () => {
    expect(rightsize({ cpuPercentiles: { p99: 7 }, memoryPercentiles: { p99: 1 }, current: 'large', sizes, percentile: 'p99', headroom: 0 }).size).toBe(
      '2xlarge',
    );
    const twins: InstanceSize[] = [
      { name: 'a', vcpu: 2, memoryGiB: 4, monthlyPrice: 50 },
      { name: 'b', vcpu: 2, memoryGiB: 4, monthlyPrice: 50 },
    ];
    expect(rightsize({ cpuPercentiles: { p95: 1 }, memoryPercentiles: { p95: 1 }, current: 'b', sizes: twins }).size).toBe('b');
  });

  it('returns the closest size with adequate: false when nothing fits', () => {
    const r = rightsize({ cpuPercentiles: { p95: 20 }, memoryPercentiles: { p95: 100 }, current: 'large', sizes });
    expect(r).toMatchObject({ size: '2xlarge', adequate: false });
  });

  it('never picks a size that fails the requirement when one fits (property)', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 10, noNaN: true }), fc.double({ min: 0, max: 40, noNaN: true }), (c, m) => {
        const r = rightsize({ cpuPercentiles: { p95: c }, memoryPercentiles: { p95: m }, current: 'xlarge', sizes });
        const chosen = sizes.find((s) => s.name === r.size)!;
        const fits = sizes.filter((s) => s.vcpu >= c * 1.2 && s.memoryGiB >= m * 1.2);
        expect(r.adequate).toBe(fits.length > 0);
        if (r.adequate) {
          expect(chosen.monthlyPrice).toBe(Math.min(...fits.map((s) => s.monthlyPrice)));
          expect(r.monthlySavings).toBe(120 - chosen.monthlyPrice);
        }
      }),
    );
  });

  it('validates input', () => {
    const ok = { cpuPercentiles: { p95: 1 }, memoryPercentiles: { p95: 1 }, current: 'large', sizes };
    expect(() => rightsize({ ...ok, current: 'huge' })).toThrow(OracleTypeError);
    expect(() => rightsize({ ...ok, cpuPercentiles: { p50: 1 } })).toThrow(/cpuPercentiles\.p95/);
    expect(() => rightsize({ ...ok, memoryPercentiles: { p95: -1 } })).toThrow(OracleRangeError);
    expect(() => rightsize({ ...ok, sizes: [] })).toThrow(OracleRangeError);
    expect(() => rightsize({ ...ok, percentile: 'p42' as 'p95' })).toThrow(OracleTypeError);
    expect(() => rightsize({ ...ok, sizes: [{ name: 'x', vcpu: Number.NaN, memoryGiB: 1, monthlyPrice: 1 }] })).toThrow(/sizes\[0\]\.vcpu/);
  });
});
