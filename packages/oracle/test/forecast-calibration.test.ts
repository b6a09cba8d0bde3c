import { describe, expect, it } from 'vitest';
import { fitEts } from '../src/forecast/ets-fit';
import { predictEts } from '../src/forecast/ets-intervals';
import type { EtsParameters, EtsSpec, EtsStates } from '../src/forecast/ets-model';
import { mulberry32, normalSampler } from '../src/math';
import { simulateEts } from './helpers/ets-simulate';

interface Case {
  readonly spec: EtsSpec;
  readonly p: EtsParameters;
  readonly x0: EtsStates;
  readonly sigma: number;
}

// One model per interval formula: class 1 without and with damped trend and season, class 2, and
// a multiplicative season (simulated intervals).
const CASES: readonly Case[] = [
  { spec: { error: 'additive', trend: 'none', season: 'none', period: 1 }, p: { alpha: 0.3, beta: 0, gamma: 0, phi: 1 }, x0: { level: 50, trend: 0, season: [] }, sigma: 2 },
  { spec: { error: 'additive', trend: 'damped', season: 'none', period: 1 }, p: { alpha: 0.5, beta: 0.1, gamma: 0, phi: 0.9 }, x0: { level: 50, trend: 1, season: [] }, sigma: 1 },
  { spec: { error: 'additive', trend: 'none', season: 'additive', period: 4 }, p: { alpha: 0.2, beta: 0, gamma: 0.1, phi: 1 }, x0: { level: 100, trend: 0, season: [5, -3, 2, -4] }, sigma: 2 },
  { spec: { error: 'multiplicative', trend: 'none', season: 'none', period: 1 }, p: { alpha: 0.4, beta: 0, gamma: 0, phi: 1 }, x0: { level: 100, trend: 0, season: [] }, sigma: 0.05 },
  { spec: { error: 'multiplicative', trend: 'none', season: 'multiplicative', period: 4 }, p: { alpha: 0.3, beta: 0, gamma: 0.1, phi: 1 }, x0: { level: 100, trend: 0, season: [1.1, 0.9, 1.05, 0.95] }, sigma: 0.03 },
];
const SERIES = 50;
const FUTURES = 40;
const LENGTH = 100;
const HORIZON = 6;

/** Share of `futures` continuations of the true model that fall inside the fitted model's intervals. */
function coverage(c: Case, series: number, futures: number, seed: number): { 0.8: number; 0.95: number } {
  const draw = normalSampler(mulberry32(seed));
  const hits = { 0.8: 0, 0.95: 0 };
  for (let r = 0; r < series; r++) {
    const { y, final } = simulateEts(c.spec, c.p, c.x0, c.sigma, LENGTH, draw);
    const fit = fitEts(y, c.spec);
    expect(fit).toBeDefined();
    const intervals = ([0.8, 0.95] as const).map((level) => ({ level, p: predictEts(fit!, HORIZON, level, r + 1, 1000) }));
    // Futures start at time LENGTH: rotate the seasonal states so index 0 is that time's.
    const m = c.spec.season === 'none' ? 1 : c.spec.period;
    const from: EtsStates = { ...final, season: final.season.map((_, j) => final.season[(LENGTH + j) % m]!) };
    for (let f = 0; f < futures; f++) {
      const future = simulateEts(c.spec, c.p, from, c.sigma, HORIZON, draw).y;
      for (const { level, p } of intervals) for (let h = 0; h < HORIZON; h++) if (future[h]! >= p.lower[h]! && future[h]! <= p.upper[h]!) hits[level]++;
    }
  }
  const total = series * futures * HORIZON;
  return { 0.8: hits[0.8] / total, 0.95: hits[0.95] / total };
}

describe('prediction intervals (calibration on simulated ETS series)', () => {
  // Each training series is fitted once and scored on many futures drawn from the true model's
  // state at its end, so the estimate reflects the fitting, not the luck of one future per series.
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
