import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { anomalyThreshold, costAnomalies, type DailyCost, detectAnomalies, forecastCost, scoreAnomalies } from '../src/anomaly';
import { OracleRangeError, OracleTypeError } from '../src/errors';
import { mulberry32, normalSampler } from '../src/math';

const T0 = Date.UTC(2026, 0, 1);
const MINUTE = 60_000;

function points(values: readonly number[]): { timestamp: number; value: number }[] {
  return values.map((value, i) => ({ timestamp: T0 + i * MINUTE, value }));
}

function noisy(n: number, seed: number, f: (i: number) => number): number[] {
  const noise = normalSampler(mulberry32(seed));
  return Array.from({ length: n }, (_, i) => f(i) + noise());
}

describe('scoreAnomalies', () => {
  it('is online: changing a later point never changes earlier scores (property)', () => {
    const base = noisy(400, 1, () => 10);
    const before = scoreAnomalies(points(base));
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 399 }), fc.double({ min: -1e6, max: 1e6, noNaN: true }), (i, v) => {
        const changed = base.slice();
        changed[i] = v;
        const after = scoreAnomalies(points(changed));
        expect(after.slice(0, i)).toEqual(before.slice(0, i));
      }),
      { numRuns: 60 },
    );
  });

  it('returns one score in [0, 1] per point for arbitrary values (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e9, max: 1e9, noNaN: true }), { maxLength: 200 }), (values) => {
        const s = scoreAnomalies(points(values), { window: 20 });
        expect(s).toHaveLength(values.length);
        for (const x of s) expect(x >= 0 && x <= 1).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it('flags a spike, and only the spike', () => {
    const values = noisy(1000, 2, () => 50);
    values[700] = 70;
    const found = detectAnomalies(points(values));
    expect(found.map((a) => a.index)).toEqual([700]);
    expect(found[0]!.expected).toBeGreaterThan(45);
    expect(found[0]!.expected).toBeLessThan(55);
    expect(found[0]!.score).toBeGreaterThanOrEqual(anomalyThreshold(0.5));
  });

  it('adapts to a level shift', () => {
    // Residual method: the shift is flagged and absorbed within 20 points.
    const values = noisy(1200, 3, (i) => (i < 600 ? 20 : 60));
    const s = scoreAnomalies(points(values), { method: 'residual' });
    expect(s[600]!).toBeGreaterThan(0.85);
    expect(Math.max(...s.slice(620))).toBeLessThan(anomalyThreshold(0.5));
    expect(detectAnomalies(points(values), { method: 'residual' }).every((a) => a.index >= 600 && a.index < 620)).toBe(true);
    // Default (KNN-CAD, trained by then): the shift alarms once; the rest that follows lets the
    // calibration set fill with the new level's scores, so it does not alarm again.
    const later = noisy(3000, 3, (i) => (i < 1500 ? 20 : 60));
    expect(detectAnomalies(points(later)).filter((a) => a.index >= 1500).map((a) => a.index)).toEqual([1500]);
  });

  it('does not flag a repeating seasonal pattern', () => {
    const values = noisy(24 * 60, 4, (i) => 100 + 40 * Math.sin((2 * Math.PI * i) / 24) + (i % 24 === 8 ? 30 : 0));
    expect(detectAnomalies(points(values), { method: 'residual' }).filter((a) => a.index >= 300)).toEqual([]);
    // KNN-CAD: never at the pattern's peak; what remains is its false-alarm rate on the noise
    // (about one point in 300 at the default sensitivity; none at 0.25).
    const knn = detectAnomalies(points(values)).filter((a) => a.index >= 300);
    expect(knn.filter((a) => a.index % 24 === 8)).toEqual([]);
    expect(knn.length).toBeLessThanOrEqual(2);
    expect(detectAnomalies(points(values), { sensitivity: 0.25 })).toEqual([]);
  });

  it('sensitivity maps monotonically onto the threshold', () => {
    expect(anomalyThreshold(0)).toBe(1);
    expect(anomalyThreshold(0.5)).toBeCloseTo(0.8025, 12);
    expect(anomalyThreshold(1)).toBeCloseTo(0.605, 12);
    expect(anomalyThreshold(0.2)).toBeGreaterThan(anomalyThreshold(0.5));
    const values = noisy(800, 5, () => 0);
    values[500] = 4.5;
    const loose = detectAnomalies(points(values), { sensitivity: 0.9 }).length;
    const strict = detectAnomalies(points(values), { sensitivity: 0.1 }).length;
    expect(loose).toBeGreaterThanOrEqual(strict);
    expect(detectAnomalies(points(values), { sensitivity: 0 })).toEqual([]);
  });

  it('validates input', () => {
    expect(() => scoreAnomalies([{ timestamp: T0, value: Number.NaN }])).toThrow(/points\[0\]\.value/);
    expect(() => scoreAnomalies([{ timestamp: T0 + 1, value: 1 }, { timestamp: T0, value: 2 }])).toThrow(/points\[1\]\.timestamp/);
    expect(() => scoreAnomalies([{ timestamp: 'soon', value: 1 }])).toThrow(OracleRangeError);
    expect(() => scoreAnomalies([{ timestamp: T0, value: 1 }, { timestamp: T0, value: 2 }])).not.toThrow();
    expect(() => scoreAnomalies(points([1, 2]), { window: 5 })).toThrow(/window/);
    expect(() => scoreAnomalies(points([1, 2]), { smoothing: 0 })).toThrow(/smoothing/);
    expect(() => detectAnomalies(points([1, 2]), { sensitivity: 2 })).toThrow(/sensitivity/);
    expect(() => scoreAnomalies({} as never)).toThrow(OracleTypeError);
  });
});

function dailyCosts(days: number, seed: number): DailyCost[] {
  const noise = normalSampler(mulberry32(seed));
  const rows: DailyCost[] = [];
  for (let d = 0; d < days; d++) {
    const date = new Date(Date.UTC(2026, 0, 5 + d)).toISOString().slice(0, 10);
    const weekend = d % 7 >= 5;
    rows.push({ date, service: 'compute', cost: (weekend ? 40 : 100) + 2 * noise() });
    if (d >= 30) rows.push({ date, service: 'storage', cost: 20 + 0.2 * noise() });
  }
  return rows;
}

describe('costAnomalies', () => {
  it('finds an injected spike with the right impact and ignores the weekly pattern', () => {
    const rows = dailyCosts(70, 1);
    const spikeDay = '2026-02-25';
    const idx = rows.findIndex((r) => r.date === spikeDay && r.service === 'compute');
    const normal = rows[idx]!.cost;
    rows[idx] = { ...rows[idx]!, cost: normal + 300 };
    const found = costAnomalies(rows);
    expect(found).toHaveLength(1);
    const a = found[0]!;
    expect(a).toMatchObject({ date: spikeDay, service: 'compute' });
    expect(a.impact).toBeCloseTo(a.cost - a.expected, 9);
    expect(Math.abs(a.impact - 300)).toBeLessThan(10);
    expect(a.score).toBeGreaterThan(0.9);
  });

  it('treats gaps as zero cost and skips new services until they have history', () => {
    const rows = dailyCosts(70, 2).filter((r) => !(r.service === 'compute' && r.date === '2026-03-04'));
    const found = costAnomalies(rows);
    expect(found.map((a) => [a.date, a.service])).toEqual([['2026-03-04', 'compute']]);
    expect(found[0]!.impact).toBeLessThan(-80);
    expect(costAnomalies(rows, { minImpact: 1000 })).toEqual([]);
  });

  it('validates input', () => {
    expect(() => costAnomalies([{ date: 'nope', service: 'a', cost: 1 }])).toThrow(/daily\[0\]\.date/);
    expect(() => costAnomalies([{ date: '2026-01-01', service: '', cost: 1 }])).toThrow(/service/);
    expect(() => costAnomalies([{ date: '2026-01-01', service: 'a', cost: Number.NaN }])).toThrow(/cost/);
    expect(() => costAnomalies([], { sensitivity: -1 })).toThrow(/sensitivity/);
  });
});

describe('forecastCost', () => {
  it('forecasts per service and the total with intervals', () => {
    const rows = dailyCosts(70, 3);
    const f = forecastCost(rows, { horizonDays: 14 });
    expect(Object.keys(f.services)).toEqual(['compute', 'storage']);
    expect(f.total.dates[0]).toBe('2026-03-16');
    const compute = f.services['compute']!;
    compute.forecast.forEach((v, h) => {
      const weekend = (70 + h) % 7 >= 5;
      expect(Math.abs(v - (weekend ? 40 : 100))).toBeLessThan(8);
      expect(compute.lower[h]!).toBeLessThanOrEqual(v);
      expect(compute.upper[h]!).toBeGreaterThanOrEqual(v);
    });
    f.total.forecast.forEach((v, h) => {
      expect(v).toBeCloseTo(compute.forecast[h]! + f.services['storage']!.forecast[h]!, 6);
    });
  });

  it('handles a brand-new service and validates input', () => {
    const f = forecastCost([{ date: '2026-01-01', service: 'new', cost: 5 }], { horizonDays: 2 });
    expect(f.services['new']!.forecast).toEqual([5, 5]);
    expect(() => forecastCost([], { horizonDays: 1 })).toThrow(/daily/);
    expect(() => forecastCost(dailyCosts(10, 1), { horizonDays: 0 })).toThrow(/horizonDays/);
  });
});
