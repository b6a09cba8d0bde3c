// Ways of turning forecastAuto's fitted ETS candidates into one forecast, compared by
// bench/oracle-forecast.bench.ts on the development series (datasets/forecast-dev) to choose
// forecastAuto's default, and then on the classic series (datasets/forecast) as confirmation.
// Every variant uses the same fits (fitAutoCandidates, fitted once per series) and each fit's own
// point forecast (predictionOf), so they differ only in how they choose or weigh the models.
import { fitAutoCandidates, predictionOf, validatedChoice } from '../packages/oracle/src/forecast/auto';
import type { EtsFit } from '../packages/oracle/src/forecast/ets-fit';
import { etsName } from '../packages/oracle/src/forecast/ets-model';

/** The variants, in the bench's column order. */
export const VARIANTS = ['aicc', 'combine', 'aic', 'bic', 'bicCombine', 'equal', 'validated'] as const;
/** One way of turning the candidates into a forecast. */
export type Variant = (typeof VARIANTS)[number];
/** Column titles. */
export const VARIANT_LABEL: Record<Variant, string> = {
  aicc: 'lowest AICc',
  combine: 'AICc weights',
  aic: 'lowest AIC',
  bic: 'lowest BIC',
  bicCombine: 'BIC weights',
  equal: 'equal weights',
  validated: 'validated',
};

/** Models below this weight are left out of a weighted combination (forecastAuto's MIN_WEIGHT). */
const MIN_WEIGHT = 0.001;

/** Weighted mean of the fits' forecasts, weights exp(−Δcriterion/2) normalised, those < MIN_WEIGHT dropped. */
function weighted(fits: readonly EtsFit[], forecasts: readonly number[][], criterion: (f: EtsFit) => number): number[] {
  const best = Math.min(...fits.map(criterion));
  const raw = fits.map((f) => Math.exp(-0.5 * (criterion(f) - best)));
  const sum = raw.reduce((a, b) => a + b, 0);
  const kept = raw.map((w) => w / sum).map((w) => (w >= MIN_WEIGHT ? w : 0));
  const total = kept.reduce((a, b) => a + b, 0);
  return forecasts[0]!.map((_, h) => forecasts.reduce((a, f, i) => a + (kept[i]! / total) * f[h]!, 0));
}

/** Point forecasts of every variant on one series, the model each selecting variant chose, and the fitting time. */
export function variantForecasts(train: readonly number[], period: number, horizon: number): { forecasts: Record<Variant, number[]>; chosen: Record<'aicc' | 'aic' | 'bic' | 'validated', string>; ms: number } {
  const start = performance.now();
  const { fits, key } = fitAutoCandidates(train, period);
  const forecasts = fits.map((f) => predictionOf(f, horizon, 0.95, 1).forecast);
  const ms = performance.now() - start;
  const argmin = (c: (f: EtsFit) => number): number => fits.reduce((best, f, i) => (c(f) < c(fits[best]!) ? i : best), 0);
  const aic = argmin((f) => f.aic);
  const bic = argmin((f) => f.bic);
  // Validated: forecastAuto's validatedChoice, refitting every form on all but the last `horizon`
  // training values and keeping the one whose forecast of them has the lowest MAE.
  const validated = validatedChoice(train, period, horizon, fits)?.index ?? 0;
  return {
    forecasts: {
      aicc: forecasts[0]!,
      combine: weighted(fits, forecasts, key),
      aic: forecasts[aic]!,
      bic: forecasts[bic]!,
      bicCombine: weighted(fits, forecasts, (f) => f.bic),
      equal: forecasts[0]!.map((_, h) => forecasts.reduce((a, f) => a + f[h]!, 0) / forecasts.length),
      validated: forecasts[validated]!,
    },
    chosen: { aicc: etsName(fits[0]!.spec), aic: etsName(fits[aic]!.spec), bic: etsName(fits[bic]!.spec), validated: etsName(fits[validated]!.spec) },
    ms,
  };
}
