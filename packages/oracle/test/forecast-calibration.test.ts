import { describe, expect, it } from 'vitest';
import { fitEts } from '../src/forecast/ets-fit';
import { predictEts } from '../src/forecast/ets-intervals';
import { type EtsCase, ETS_CASES as CASES, FUTURES, HORIZON, intervalHits } from './helpers/ets-calibration';

const SERIES = 50;

/** Share of `futures` continuations of the true model that fall inside the fitted model's intervals. */
function coverage(c: EtsCase, series: number, futures: number, seed: number): { 0.8: number; 0.95: number } {
  const { hits, total } = intervalHits(c, series, futures, seed, (y, r) => {
    const fit = fitEts(y, c.spec);
    expect(fit).toBeDefined();
    return ([0.8, 0.95] as const).map((level) => predictEts(fit!, HORIZON, level, r + 1, 1000));
  });
  return { 0.8: hits[0]! / total, 0.95: hits[1]! / total };
}

describe('prediction intervals (calibration on simulated ETS series)', () => {
  // Each training series is fitted once and scored on many futures drawn from the true model's
  // state at its end (intervalHits), so the estimate reflects the fitting, not the luck of one future per series.
  it('cover the truth at their nominal 80 % and 95 % rates within ±3 points', { timeout: 120_000 }, () => {
    let pooled80 = 0;
    let pooled95 = 0;
    CASES.forEach((c, i) => {
      const rate = coverage(c, SERIES, FUTURES, 2026 + i);
      pooled80 += rate[0.8] / CASES.length;
      pooled95 += rate[0.95] / CASES.length;
      // Per model a looser band: parameter uncertainty, which intervals from σ alone ignore, varies by model.
      expect(Math.abs(rate[0.8] - 0.8)).toBeLessThanOrEqual(0.06);
      expect(Math.abs(rate[0.95] - 0.95)).toBeLessThanOrEqual(0.04);
    });
    expect(Math.abs(pooled80 - 0.8)).toBeLessThanOrEqual(0.03);
    expect(Math.abs(pooled95 - 0.95)).toBeLessThanOrEqual(0.03);
  });
});
