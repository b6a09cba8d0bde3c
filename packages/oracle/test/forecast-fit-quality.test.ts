import { describe, expect, it } from 'vitest';
import { forecastSeries } from '../../../bench/oracle-forecast-series';
import { type EtsFit, fitEts } from '../src/forecast/ets-fit';
import type { EtsSpec } from '../src/forecast/ets-model';

// The training part of AirPassengers (first 120 months; the bench holds out the last 24).
const air = forecastSeries().find((s) => s.name === 'air-passengers')!.train;
const n = air.length;

/** R's `ets` log-likelihood scale: −½(n·log Σε² + 2Σ log|μ|), without the Gaussian constants. */
function rScale(fit: EtsFit): number {
  return fit.logLik - 0.5 * n * Math.log(n) + 0.5 * n * (Math.log(2 * Math.PI) + 1);
}

const spec = (trend: EtsSpec['trend']): EtsSpec => ({ error: 'multiplicative', trend, season: 'multiplicative', period: 12 });

describe('ETS maximum likelihood on AirPassengers', { timeout: 60_000 }, () => {
  it('never fits a trended model worse than the trendless model it nests, and beats R forecast::ets', () => {
    const mnm = fitEts(air, spec('none'))!;
    const mam = fitEts(air, spec('additive'), { starts: [mnm] })!;
    const madm = fitEts(air, spec('damped'), { starts: [mnm, mam] })!;
    // ETS(M,A,M) with β = 0, b₀ = 0 is ETS(M,N,M), so its maximum is at least as high.
    expect(mam.logLik).toBeGreaterThanOrEqual(mnm.logLik - 1e-6);
    expect(madm.logLik).toBeGreaterThanOrEqual(mnm.logLik - 1e-6);
    // R 4.2.2, forecast 8.20: ets(ts(air[1:120], frequency = 12), model = 'MAM', damped = FALSE)$loglik
    // = −546.767 and model = 'MNM' −580.566 (the same likelihood: our recursions give exactly these
    // values at R's estimates). Ours must be at least as high.
    expect(rScale(mam)).toBeGreaterThan(-546.767);
    expect(rScale(mnm)).toBeGreaterThan(-580.566);
    // Parameters stay in the usual region.
    for (const f of [mnm, mam, madm]) {
      expect(f.params.alpha).toBeGreaterThanOrEqual(0);
      expect(f.params.alpha).toBeLessThanOrEqual(1);
      expect(f.params.beta).toBeLessThanOrEqual(f.params.alpha + 1e-12);
      expect(f.params.gamma).toBeLessThanOrEqual(1 - f.params.alpha + 1e-12);
    }
    expect(madm.params.phi).toBeGreaterThanOrEqual(0.8);
    expect(madm.params.phi).toBeLessThanOrEqual(0.98);
  });

  it('a start is only a start: without it the fit is still a maximum of the same likelihood', () => {
    const mnm = fitEts(air, spec('none'))!;
    const alone = fitEts(air, spec('additive'))!;
    const seeded = fitEts(air, spec('additive'), { starts: [mnm] })!;
    expect(seeded.logLik).toBeGreaterThanOrEqual(alone.logLik - 1e-6);
    // A start of another season form does not nest and is ignored.
    const additiveSeason = fitEts(air, { error: 'multiplicative', trend: 'none', season: 'additive', period: 12 })!;
    const ignored = fitEts(air, spec('additive'), { starts: [additiveSeason] })!;
    expect(ignored.logLik).toBeCloseTo(alone.logLik, 9);
  });
});
