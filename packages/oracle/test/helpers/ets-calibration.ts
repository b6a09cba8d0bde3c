import type { EtsParameters, EtsSpec, EtsStates } from '../../src/forecast/ets-model';
import { mulberry32, normalSampler } from '../../src/math';
import { simulateEts } from './ets-simulate';

// The simulation shared by the interval calibration test (test/forecast-calibration.test.ts, a
// known model form) and bench/oracle-forecast-calibration.bench.ts (the form chosen by
// forecastAuto): test support, so the published src never depends on it.

/** An ETS model to draw series from: its form, parameters, initial states and innovation σ. */
export interface EtsCase {
  readonly spec: EtsSpec;
  readonly p: EtsParameters;
  readonly x0: EtsStates;
  readonly sigma: number;
}

/**
 * One model per interval formula: class 1 without and with damped trend and season, class 2, and
 * a multiplicative season (simulated intervals). All positive, so every candidate form can be fitted.
 */
export const ETS_CASES: readonly EtsCase[] = [
  { spec: { error: 'additive', trend: 'none', season: 'none', period: 1 }, p: { alpha: 0.3, beta: 0, gamma: 0, phi: 1 }, x0: { level: 50, trend: 0, season: [] }, sigma: 2 },
  { spec: { error: 'additive', trend: 'damped', season: 'none', period: 1 }, p: { alpha: 0.5, beta: 0.1, gamma: 0, phi: 0.9 }, x0: { level: 50, trend: 1, season: [] }, sigma: 1 },
  { spec: { error: 'additive', trend: 'none', season: 'additive', period: 4 }, p: { alpha: 0.2, beta: 0, gamma: 0.1, phi: 1 }, x0: { level: 100, trend: 0, season: [5, -3, 2, -4] }, sigma: 2 },
  { spec: { error: 'multiplicative', trend: 'none', season: 'none', period: 1 }, p: { alpha: 0.4, beta: 0, gamma: 0, phi: 1 }, x0: { level: 100, trend: 0, season: [] }, sigma: 0.05 },
  { spec: { error: 'multiplicative', trend: 'none', season: 'multiplicative', period: 4 }, p: { alpha: 0.3, beta: 0, gamma: 0.1, phi: 1 }, x0: { level: 100, trend: 0, season: [1.1, 0.9, 1.05, 0.95] }, sigma: 0.03 },
];

/** Length of each training series. */
export const LENGTH = 100;
/** Steps forecast, and drawn in each future. */
export const HORIZON = 6;
/** True futures each training series is scored on. */
export const FUTURES = 40;

/** Interval bounds per forecast step. */
export interface IntervalBounds {
  readonly lower: ArrayLike<number>;
  readonly upper: ArrayLike<number>;
}

/**
 * Draws `series` training series of {@link LENGTH} points from `c` (normal innovations seeded by
 * `seed`), asks `intervals(y, r)` for the intervals fitted to series r, and scores each interval on
 * `futures` continuations of the true model from its state at the end of the series, so the
 * estimate reflects the fitting, not the luck of one future per series. `hits[k]` counts the future
 * points inside interval k, out of `total` = series · futures · {@link HORIZON}.
 */
export function intervalHits(c: EtsCase, series: number, futures: number, seed: number, intervals: (y: number[], r: number) => readonly IntervalBounds[]): { hits: number[]; total: number } {
  const draw = normalSampler(mulberry32(seed));
  const hits: number[] = [];
  const m = c.spec.season === 'none' ? 1 : c.spec.period;
  for (let r = 0; r < series; r++) {
    const { y, final } = simulateEts(c.spec, c.p, c.x0, c.sigma, LENGTH, draw);
    const fitted = intervals(y, r);
    while (hits.length < fitted.length) hits.push(0);
    // Futures start at time LENGTH: rotate the seasonal states so index 0 is that time's.
    const from: EtsStates = { ...final, season: final.season.map((_, j) => final.season[(LENGTH + j) % m]!) };
    for (let f = 0; f < futures; f++) {
      const future = simulateEts(c.spec, c.p, from, c.sigma, HORIZON, draw).y;
      fitted.forEach((p, k) => {
        for (let h = 0; h < HORIZON; h++) if (future[h]! >= p.lower[h]! && future[h]! <= p.upper[h]!) hits[k]!++;
      });
    }
  }
  return { hits, total: series * futures * HORIZON };
}
