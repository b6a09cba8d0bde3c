// Interval calibration of forecastAuto with model selection in the loop (issue 21).
// Run: npm run bench -- oracle-forecast-calibration
// packages/oracle/test/forecast-calibration.test.ts checks the intervals of a known model form;
// here the model form is chosen by AICc (or the forms combined by Akaike weight, `combine`), so the
// uncertainty of the choice is part of what is measured. Series from the same five ETS models as
// that test (positive, so every candidate form is fitted); each fitted once and scored on many
// futures drawn from the true model's state at its end. Prints the coverage of the nominal 80 %
// and 95 % intervals; always exits 0.
import { forecastAuto } from '../packages/oracle/src/forecast';
import type { EtsParameters, EtsSpec, EtsStates } from '../packages/oracle/src/forecast/ets-model';
import { mulberry32, normalSampler } from '../packages/oracle/src/math';
import { simulateEts } from '../packages/oracle/test/helpers/ets-simulate';

interface Case {
  readonly spec: EtsSpec;
  readonly p: EtsParameters;
  readonly x0: EtsStates;
  readonly sigma: number;
}
const CASES: readonly Case[] = [
  { spec: { error: 'additive', trend: 'none', season: 'none', period: 1 }, p: { alpha: 0.3, beta: 0, gamma: 0, phi: 1 }, x0: { level: 50, trend: 0, season: [] }, sigma: 2 },
  { spec: { error: 'additive', trend: 'damped', season: 'none', period: 1 }, p: { alpha: 0.5, beta: 0.1, gamma: 0, phi: 0.9 }, x0: { level: 50, trend: 1, season: [] }, sigma: 1 },
  { spec: { error: 'additive', trend: 'none', season: 'additive', period: 4 }, p: { alpha: 0.2, beta: 0, gamma: 0.1, phi: 1 }, x0: { level: 100, trend: 0, season: [5, -3, 2, -4] }, sigma: 2 },
  { spec: { error: 'multiplicative', trend: 'none', season: 'none', period: 1 }, p: { alpha: 0.4, beta: 0, gamma: 0, phi: 1 }, x0: { level: 100, trend: 0, season: [] }, sigma: 0.05 },
  { spec: { error: 'multiplicative', trend: 'none', season: 'multiplicative', period: 4 }, p: { alpha: 0.3, beta: 0, gamma: 0.1, phi: 1 }, x0: { level: 100, trend: 0, season: [1.1, 0.9, 1.05, 0.95] }, sigma: 0.03 },
];
const SERIES = 12;
const FUTURES = 40;
const LENGTH = 100;
const HORIZON = 6;

const rows: string[] = [];
const pooled = { select: { 0.8: 0, 0.95: 0 }, combine: { 0.8: 0, 0.95: 0 } };
CASES.forEach((c, i) => {
  const draw = normalSampler(mulberry32(7000 + i));
  const hits = { select: { 0.8: 0, 0.95: 0 }, combine: { 0.8: 0, 0.95: 0 } };
  let right = 0;
  const m = c.spec.season === 'none' ? 1 : c.spec.period;
  for (let r = 0; r < SERIES; r++) {
    const { y, final } = simulateEts(c.spec, c.p, c.x0, c.sigma, LENGTH, draw);
    const runs = (['select', 'combine'] as const).flatMap((mode) =>
      ([0.8, 0.95] as const).map((level) => ({ mode, level, f: forecastAuto(y, { horizon: HORIZON, period: m, level, seed: r + 1, combine: mode === 'combine' }) })),
    );
    const chosen = runs[0]!.f.model;
    if (chosen.error === c.spec.error && chosen.trend === c.spec.trend && chosen.season === c.spec.season) right++;
    const from: EtsStates = { ...final, season: final.season.map((_, j) => final.season[(LENGTH + j) % m]!) };
    for (let k = 0; k < FUTURES; k++) {
      const future = simulateEts(c.spec, c.p, from, c.sigma, HORIZON, draw).y;
      for (const { mode, level, f } of runs) for (let h = 0; h < HORIZON; h++) if (future[h]! >= f.lower[h]! && future[h]! <= f.upper[h]!) hits[mode][level]++;
    }
  }
  const total = SERIES * FUTURES * HORIZON;
  const pct = (x: number): string => `${((100 * x) / total).toFixed(1)} %`;
  for (const mode of ['select', 'combine'] as const) for (const level of [0.8, 0.95] as const) pooled[mode][level] += hits[mode][level] / total / CASES.length;
  rows.push(
    `${`ETS(${c.spec.error[0]!.toUpperCase()},${c.spec.trend === 'damped' ? 'Ad' : c.spec.trend[0]!.toUpperCase()},${c.spec.season[0]!.toUpperCase()})`.padEnd(12)} | true form chosen ${right}/${SERIES} | select 80: ${pct(hits.select[0.8])} 95: ${pct(hits.select[0.95])} | combine 80: ${pct(hits.combine[0.8])} 95: ${pct(hits.combine[0.95])}`,
  );
});
process.stdout.write(`${rows.join('\n')}\n`);
const p = (x: number): string => `${(100 * x).toFixed(1)} %`;
process.stdout.write(
  `pooled coverage (nominal 80 % / 95 %): forecastAuto ${p(pooled.select[0.8])} / ${p(pooled.select[0.95])}; forecastAuto combine ${p(pooled.combine[0.8])} / ${p(pooled.combine[0.95])}\n`,
);
