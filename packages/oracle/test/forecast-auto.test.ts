import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OracleRangeError, OracleTypeError } from '../src/errors';
import { forecastAuto, forecastHoltWinters } from '../src/forecast';
import type { EtsParameters, EtsSpec } from '../src/forecast/ets-model';
import { mulberry32, normalSampler } from '../src/math';
import { simulateEts } from './helpers/ets-simulate';
import { expectOracleError } from './helpers/expect-oracle-error';

function draw(seed: number): () => number {
  return normalSampler(mulberry32(seed));
}

/** Monthly series with a trend and a season whose amplitude grows with the level. */
function multiplicativeMonthly(n: number, seed: number): number[] {
  const noise = draw(seed);
  return Array.from({ length: n }, (_, t) => (100 + 2 * t) * (1 + 0.25 * Math.sin((2 * Math.PI * t) / 12)) * (1 + 0.01 * noise()));
}

// Each forecastAuto call fits up to 15 models: generous per-suite timeouts for a loaded machine.
describe('forecastAuto', { timeout: 60_000 }, () => {
  it('chooses a multiplicative season when the seasonal swing grows with the level, and says why', () => {
    const y = multiplicativeMonthly(96, 1);
    const f = forecastAuto(y, { period: 12, horizon: 12, select: 'aicc' });
    expect(f.selectedBy).toBe('aicc');
    expect(f.model.season).toBe('multiplicative');
    expect(f.model.trend).not.toBe('none');
    expect(f.model.period).toBe(12);
    expect(f.intervals).toBe('simulation');
    expect(f.reason).toContain(f.model.name);
    expect(f.reason).toContain('AICc');
    expect(f.reason).toContain('period 12 (given)');
    // Candidates are sorted by AICc, the chosen one first.
    expect(f.candidates[0]!.name).toBe(f.model.name);
    for (let i = 1; i < f.candidates.length; i++) expect(f.candidates[i]!.aicc).toBeGreaterThanOrEqual(f.candidates[i - 1]!.aicc);
    f.forecast.forEach((v, h) => {
      const t = y.length + h;
      expect(Math.abs(v / ((100 + 2 * t) * (1 + 0.25 * Math.sin((2 * Math.PI * t) / 12))) - 1)).toBeLessThan(0.04);
    });
  });

  it('detects the period when none is given, and falls back to non-seasonal models without one', () => {
    const seasonal = forecastAuto(multiplicativeMonthly(96, 2), { horizon: 6 });
    expect(seasonal.model.period).toBe(12);
    expect(seasonal.reason).toContain('detected');
    const noise = draw(3);
    let level = 50;
    const walk = Array.from({ length: 80 }, () => (level += noise()));
    const plain = forecastAuto(walk, { horizon: 5 });
    expect(plain.model.season).toBe('none');
    expect(plain.reason).toContain('no period detected');
  });

  it('leaves out multiplicative forms for series that are not strictly positive', () => {
    const noise = draw(4);
    const y = Array.from({ length: 60 }, (_, t) => 5 * Math.sin((2 * Math.PI * t) / 6) + noise());
    const f = forecastAuto(y, { period: 6, horizon: 6 });
    expect(f.model.error).toBe('additive');
    expect(f.candidates.every((c) => c.name.startsWith('ETS(A'))).toBe(true);
    expect(f.excluded.some((e) => e.name === 'ETS(M,A,M)' && e.why.includes('positive'))).toBe(true);
  });

  it('is deterministic and returns finite, ordered bounds for any finite input (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 3, maxLength: 30 }), fc.integer({ min: 1, max: 8 }), (y, horizon) => {
        const f = forecastAuto(y, { horizon, period: 1 });
        expect(f.forecast).toHaveLength(horizon);
        for (let h = 0; h < horizon; h++) {
          expect(Number.isFinite(f.lower[h]!) && Number.isFinite(f.upper[h]!)).toBe(true);
          expect(f.lower[h]! <= f.forecast[h]! && f.forecast[h]! <= f.upper[h]!).toBe(true);
        }
      }),
      { numRuns: 25 },
    );
    // Positive seasonal series bring in every multiplicative form, simulated intervals included.
    fc.assert(
      fc.property(fc.array(fc.double({ min: 1e-3, max: 1e6, noNaN: true }), { minLength: 8, maxLength: 20 }), (y) => {
        const f = forecastAuto(y, { horizon: 5, period: 4, level: 0.8 });
        for (let h = 0; h < 5; h++) {
          expect(Number.isFinite(f.lower[h]!) && Number.isFinite(f.upper[h]!)).toBe(true);
          expect(f.lower[h]! <= f.forecast[h]! && f.forecast[h]! <= f.upper[h]!).toBe(true);
        }
      }),
      { numRuns: 6 },
    );
    const y = multiplicativeMonthly(48, 5);
    expect(forecastAuto(y, { period: 12, horizon: 3 })).toEqual(forecastAuto(y, { period: 12, horizon: 3 }));
  });

  it('combines the candidates by Akaike weight when asked: weighted mean forecast, mixture intervals', () => {
    // Series where several models are close (weights split), including simulated-interval ones.
    const noise = draw(7);
    const y = Array.from({ length: 60 }, (_, t) => (50 + 0.3 * t) * (1 + 0.1 * Math.sin((2 * Math.PI * t) / 6)) + 2 * noise());
    const single = forecastAuto(y, { period: 6, horizon: 6, level: 0.9, select: 'aicc' });
    const both = forecastAuto(y, { period: 6, horizon: 6, level: 0.9, combine: true });
    expect(single.combined).toBe(false);
    expect(both.combined).toBe(true);
    // Same fits, same choice; weights exp(−ΔAICc/2) normalised, best first.
    expect(both.model).toEqual(single.model);
    expect(both.candidates).toEqual(single.candidates);
    const best = both.candidates[0]!.aicc;
    const raw = both.candidates.map((c) => Math.exp(-0.5 * (c.aicc - best)));
    const total = raw.reduce((a, b) => a + b, 0);
    both.candidates.forEach((c, i) => {
      expect(c.weight).toBeCloseTo(raw[i]! / total, 12);
    });
    expect(both.candidates[1]!.weight).toBeGreaterThan(0.01);
    expect(both.reason).toContain('Akaike weight');
    // The combination moves the forecast off the best model's when the weight is split, and stays
    // inside the span of the models it averages (here: between the best model and its bounds).
    expect(both.forecast).not.toEqual(single.forecast);
    for (let h = 0; h < 6; h++) {
      expect(both.lower[h]!).toBeLessThan(both.forecast[h]!);
      expect(both.forecast[h]!).toBeLessThan(both.upper[h]!);
      expect(Math.abs(both.forecast[h]! - single.forecast[h]!)).toBeLessThan(single.upper[h]! - single.lower[h]!);
    }
    // A model with all the weight is its own combination.
    const clear = multiplicativeMonthly(96, 1);
    const alone = forecastAuto(clear, { period: 12, horizon: 3, level: 0.8, select: 'aicc' });
    expect(alone.candidates[1]!.weight).toBeLessThan(1e-3);
    const combinedAlone = forecastAuto(clear, { period: 12, horizon: 3, level: 0.8, combine: true });
    combinedAlone.forecast.forEach((v, h) => {
      expect(v).toBeCloseTo(alone.forecast[h]!, 9);
      expect(combinedAlone.lower[h]!).toBeCloseTo(alone.lower[h]!, 6);
      expect(combinedAlone.upper[h]!).toBeCloseTo(alone.upper[h]!, 6);
    });
  });

  it('by default chooses the form that best forecasts the last horizon values from a refit without them', () => {
    const noise = draw(11);
    const y = Array.from({ length: 72 }, (_, t) => (80 + 0.5 * t) * (1 + 0.15 * Math.sin((2 * Math.PI * t) / 12)) + 3 * noise());
    const f = forecastAuto(y, { period: 12, horizon: 6 });
    expect(f.selectedBy).toBe('validation');
    expect(f.combined).toBe(false);
    expect(f.candidates.map((c) => c.name)).toContain(f.model.name);
    const match = /^(ETS\([AMNd,]+\)) forecast the last 6 values best \(MAE ([0-9.e+-]+)\) of the (\d+) model forms refitted without them; /.exec(f.reason);
    expect(match?.[1]).toBe(f.model.name);
    expect(Number(match![3])).toBe(f.candidates.length);
    // The lowest-AICc model of the first 66 values is one of the forms compared, so its error on the
    // last 6 bounds the chosen form's from above.
    const head = forecastAuto(y.slice(0, -6), { period: 12, horizon: 6, select: 'aicc' });
    const headMae = head.forecast.reduce((a, v, h) => a + Math.abs(v - y[66 + h]!), 0) / 6;
    expect(Number(match![2])).toBeLessThanOrEqual(headMae * (1 + 1e-3));
    // Asked for AICc: the first candidate, and the forecast is that model's.
    const byAicc = forecastAuto(y, { period: 12, horizon: 6, select: 'aicc' });
    expect(byAicc.selectedBy).toBe('aicc');
    expect(byAicc.model.name).toBe(byAicc.candidates[0]!.name);
    expect(byAicc.candidates).toEqual(f.candidates);
    if (f.model.name === byAicc.model.name) expect(f.forecast).toEqual(byAicc.forecast);
    else expect(f.forecast).not.toEqual(byAicc.forecast);
  });

  it('falls back to the lowest AICc when too few values would remain to validate on', () => {
    const y = multiplicativeMonthly(30, 5);
    const f = forecastAuto(y, { period: 12, horizon: 12 });
    expect(f.selectedBy).toBe('aicc');
    expect(f.model.name).toBe(f.candidates[0]!.name);
    expect(f.reason).toContain('too few values to validate on the last 12, needs 36');
  });

  it('validates its input naming the field', () => {
    expectOracleError(() => forecastAuto([1, 2, 3, 4], { horizon: 1, select: 'best' as unknown as 'aicc' }), OracleTypeError, 'options.select');
    expectOracleError(() => forecastAuto([1, 2, 3, 4], { horizon: 1, combine: 'yes' as unknown as boolean }), OracleTypeError, 'options.combine');
    expectOracleError(() => forecastAuto([1, 2, 3, 4], { horizon: 0 }), OracleRangeError, 'options.horizon');
    expectOracleError(() => forecastAuto([1, 2, 3, 4], { horizon: 1, period: 0 }), OracleRangeError, 'options.period');
    expectOracleError(() => forecastAuto([1, 2, 3, 4], { horizon: 1, level: 1 }), OracleRangeError, 'options.level');
    expectOracleError(() => forecastAuto([1, 2, 3, 4], { horizon: 1, seed: 1.5 }), OracleRangeError, 'options.seed');
    expectOracleError(() => forecastAuto([1, Number.NaN, 3], { horizon: 1 }), OracleRangeError, 'values[1]');
    expectOracleError(() => forecastAuto([1, 2], { horizon: 1 }), OracleRangeError, 'values');
    expectOracleError(() => forecastAuto('1,2,3' as unknown as number[], { horizon: 1 }), OracleTypeError, 'values');
  });
});

describe('forecastHoltWinters (ETS estimation)', { timeout: 60_000 }, () => {
  it('recovers the initial states exactly from a noise-free series with given parameters', () => {
    const spec: EtsSpec = { error: 'additive', trend: 'additive', season: 'additive', period: 4 };
    const p: EtsParameters = { alpha: 0.3, beta: 0.1, gamma: 0.2, phi: 1 };
    const x0 = { level: 20, trend: 0.5, season: [3, -1, 2, -4] };
    // σ = 0: the series follows the states deterministically, so the least-squares profile is exact.
    const { y } = simulateEts(spec, p, x0, 0, 24, () => 0);
    const f = forecastHoltWinters(y, { horizon: 4, period: 4, alpha: 0.3, beta: 0.1, gamma: 0.2 });
    expect(f.model.initialStates.level).toBeCloseTo(20, 6);
    expect(f.model.initialStates.trend).toBeCloseTo(0.5, 6);
    f.model.initialStates.season.forEach((s, j) => {
      expect(s).toBeCloseTo(x0.season[j]!, 6);
    });
    expect(f.sse).toBeLessThan(1e-12);
  });

  it('reports smoothing parameters that end on a bound', () => {
    // A fixed season and a straight trend with noise: nothing to adapt, so β and γ go to 0.
    const noise = draw(6);
    const y = Array.from({ length: 72 }, (_, t) => 10 + 0.5 * t + [4, -2, 1, -3][t % 4]! + 0.3 * noise());
    const f = forecastHoltWinters(y, { period: 4, horizon: 4 });
    const gamma = f.boundary.find((b) => b.parameter === 'gamma');
    expect(gamma).toMatchObject({ bound: 'lower', limit: 0 });
    expect(f.params.gamma).toBeLessThan(1e-3);
    expect(f.model.boundary).toEqual(f.boundary);
  });

  it('fits a damped trend whose forecasts level off', () => {
    const { y } = simulateEts(
      { error: 'additive', trend: 'damped', season: 'none', period: 1 },
      { alpha: 0.5, beta: 0.3, gamma: 0, phi: 0.85 },
      { level: 10, trend: 3, season: [] },
      0.2,
      80,
      draw(7),
    );
    const f = forecastHoltWinters(y, { horizon: 30, seasonal: 'none', trend: 'damped' });
    expect(f.params.trend).toBe('damped');
    expect(f.params.phi).toBeGreaterThanOrEqual(0.8);
    expect(f.params.phi).toBeLessThanOrEqual(0.98);
    expect(f.model.name).toBe('ETS(A,Ad,N)');
    // Steps shrink geometrically by φ.
    const step = (h: number): number => f.forecast[h + 1]! - f.forecast[h]!;
    expect(Math.abs(step(20))).toBeLessThan(Math.abs(step(0)) + 1e-12);
    expect(() => forecastHoltWinters(y, { horizon: 1, trend: 'damped', phi: 0.5 })).toThrow(/phi/);
  });

  it('keeps its intervals analytic for additive seasons and simulated for multiplicative ones', () => {
    const y = multiplicativeMonthly(60, 8);
    const additive = forecastHoltWinters(y, { period: 12, horizon: 24 });
    expect(additive.intervals).toBe('analytic');
    expect(additive.params.error).toBe('additive');
    const multiplicative = forecastHoltWinters(y, { period: 12, horizon: 24, seasonal: 'multiplicative', seed: 3 });
    expect(multiplicative.intervals).toBe('simulation');
    expect(multiplicative.params.error).toBe('multiplicative');
    expect(multiplicative.model.name).toBe('ETS(M,A,M)');
    // Widths grow with the horizon.
    for (const f of [additive, multiplicative]) expect(f.upper[23]! - f.lower[23]!).toBeGreaterThan(f.upper[0]! - f.lower[0]!);
    expect(forecastHoltWinters(y, { period: 12, horizon: 24, seasonal: 'multiplicative', seed: 3 })).toEqual(multiplicative);
  });
});
