import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OracleRangeError, OracleTypeError } from '../src/errors';
import { detectPeriod, forecastHoltWinters } from '../src/forecast';
import { mulberry32, normalSampler } from '../src/math';

const truth = (t: number): number => 100 + 0.2 * t + 20 * Math.sin((2 * Math.PI * t) / 24);

function series(n: number, sd: number, seed = 1): number[] {
  const noise = normalSampler(mulberry32(seed));
  return Array.from({ length: n }, (_, t) => truth(t) + sd * noise());
}

describe('forecastHoltWinters', () => {
  it('recovers a trending daily season with a detected period', () => {
    const y = series(24 * 20, 1);
    const f = forecastHoltWinters(y, { horizon: 48 });
    expect(f.params.period).toBe(24);
    expect(f.params.seasonal).toBe('additive');
    f.forecast.forEach((v, h) => {
      expect(Math.abs(v - truth(y.length + h))).toBeLessThan(4);
    });
    expect(f.sse).toBeGreaterThan(0);
    f.lower.forEach((lo, h) => {
      expect(lo).toBeLessThan(f.forecast[h]!);
      expect(f.upper[h]!).toBeGreaterThan(f.forecast[h]!);
    });
    // Intervals widen with the horizon.
    expect(f.upper[47]! - f.lower[47]!).toBeGreaterThan(f.upper[0]! - f.lower[0]!);
  });

  it('intervals cover about `level` of held-out points on seeded noise', () => {
    let inside = 0;
    let total = 0;
    for (let seed = 1; seed <= 20; seed++) {
      const all = series(24 * 12 + 24, 3, seed);
      const f = forecastHoltWinters(all.slice(0, 24 * 12), { horizon: 24, period: 24, level: 0.9 });
      f.forecast.forEach((_, h) => {
        total++;
        if (all[24 * 12 + h]! >= f.lower[h]! && all[24 * 12 + h]! <= f.upper[h]!) inside++;
      });
    }
    expect(inside / total).toBeGreaterThan(0.8);
    expect(inside / total).toBeLessThan(0.99);
  });

  it('fits a multiplicative season and honours fixed parameters', () => {
    const noise = normalSampler(mulberry32(3));
    const y = Array.from({ length: 7 * 10 }, (_, t) => (50 + t) * (1 + 0.3 * Math.sin((2 * Math.PI * t) / 7)) * (1 + 0.01 * noise()));
    const f = forecastHoltWinters(y, { horizon: 7, period: 7, seasonal: 'multiplicative', alpha: 0.4 });
    expect(f.params.alpha).toBe(0.4);
    f.forecast.forEach((v, h) => {
      const t = y.length + h;
      expect(Math.abs(v / ((50 + t) * (1 + 0.3 * Math.sin((2 * Math.PI * t) / 7))) - 1)).toBeLessThan(0.05);
    });
  });

  it('is deterministic and falls back to no season without a period', () => {
    const y = Array.from({ length: 30 }, (_, t) => 10 + 2 * t);
    const a = forecastHoltWinters(y, { horizon: 3, seasonal: 'additive' });
    expect(a).toEqual(forecastHoltWinters(y, { horizon: 3, seasonal: 'additive' }));
    expect(a.params.seasonal).toBe('none');
    a.forecast.forEach((v, h) => {
      expect(v).toBeCloseTo(10 + 2 * (30 + h), 3);
    });
  });

  it('returns finite forecasts for arbitrary input (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 3, maxLength: 60 }), fc.integer({ min: 1, max: 10 }), (y, horizon) => {
        const f = forecastHoltWinters(y, { horizon, seasonal: 'none' });
        expect(f.forecast).toHaveLength(horizon);
        for (let h = 0; h < horizon; h++) {
          expect(Number.isFinite(f.forecast[h]!) && f.lower[h]! <= f.forecast[h]! && f.forecast[h]! <= f.upper[h]!).toBe(true);
        }
      }),
      { numRuns: 50 },
    );
  });

  it('validates input', () => {
    const y = series(100, 1);
    expect(() => forecastHoltWinters(y, { horizon: 0 })).toThrow(/horizon/);
    expect(() => forecastHoltWinters([1, Number.NaN, 3, 4], { horizon: 1 })).toThrow(/values\[1\]/);
    expect(() => forecastHoltWinters([1, 2], { horizon: 1 })).toThrow(OracleRangeError);
    expect(() => forecastHoltWinters([1, -2, 3, 4, 5, 6], { horizon: 1, period: 2, seasonal: 'multiplicative' })).toThrow(/positive/);
    expect(() => forecastHoltWinters(y, { horizon: 1, period: 80 })).toThrow(/two full periods/);
    expect(() => forecastHoltWinters(y, { horizon: 1, alpha: 1.5 })).toThrow(/alpha/);
    expect(() => forecastHoltWinters(y, { horizon: 1, level: 1 })).toThrow(/level/);
    expect(() => forecastHoltWinters(y, { horizon: 1, seasonal: 'cubic' as 'none' })).toThrow(OracleTypeError);
    expect(() => forecastHoltWinters('1,2,3' as unknown as number[], { horizon: 1 })).toThrow(OracleTypeError);
  });
});

describe('detectPeriod', () => {
  it('finds 24 in noisy hourly data', () => {
    expect(detectPeriod(series(24 * 14, 5))).toBe(24);
    const noise = normalSampler(mulberry32(9));
    const spiky = Array.from({ length: 24 * 10 }, (_, t) => (t % 24 === 9 ? 50 : 5) + noise());
    expect(detectPeriod(spiky)).toBe(24);
  });

  it('returns undefined for white noise and trends', () => {
    for (let seed = 1; seed <= 10; seed++) {
      const noise = normalSampler(mulberry32(seed));
      expect(detectPeriod(Array.from({ length: 500 }, () => noise()))).toBeUndefined();
    }
    expect(detectPeriod(Array.from({ length: 200 }, (_, t) => 3 * t))).toBeUndefined();
    expect(detectPeriod([1, 2, 3])).toBeUndefined();
  });

  it('respects maxPeriod and validates input', () => {
    expect(detectPeriod(series(24 * 14, 1), { maxPeriod: 12 })).toBeUndefined();
    expect(() => detectPeriod([1, 2, Number.POSITIVE_INFINITY, 4])).toThrow(/values\[2\]/);
    expect(() => detectPeriod([1, 2, 3, 4], { maxPeriod: 1 })).toThrow(/maxPeriod/);
  });
});
