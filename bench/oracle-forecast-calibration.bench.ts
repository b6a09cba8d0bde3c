// Interval calibration of forecastAuto with model selection in the loop (issue 21).
// Run: npm run bench -- oracle-forecast-calibration
// packages/oracle/test/forecast-calibration.test.ts checks the intervals of a known model form;
// here the model form is chosen by forecastAuto's default (validation on the last `horizon`
// values; 76.7 % / 93.1 % when it was the lowest AICc) or the forms are combined by Akaike weight
// (`combine`), so the uncertainty of the choice is part of what is measured. Series from the same five ETS models as
// that test, drawn and scored by the same helper (packages/oracle/test/helpers/ets-calibration.ts;
// positive, so every candidate form is fitted); each fitted once and scored on many
// futures drawn from the true model's state at its end. Prints the coverage of the nominal 80 %
// and 95 % intervals; always exits 0.
import { forecastAuto } from '../packages/oracle/src/forecast';
import { ETS_CASES as CASES, FUTURES, HORIZON, intervalHits } from '../packages/oracle/test/helpers/ets-calibration';

const SERIES = 12;
// The four intervals fitted to each series, in the order intervalHits counts them.
const RUNS = (['select', 'combine'] as const).flatMap((mode) => ([0.8, 0.95] as const).map((level) => ({ mode, level })));

const rows: string[] = [];
const pooled = { select: { 0.8: 0, 0.95: 0 }, combine: { 0.8: 0, 0.95: 0 } };
CASES.forEach((c, i) => {
  const hits = { select: { 0.8: 0, 0.95: 0 }, combine: { 0.8: 0, 0.95: 0 } };
  let right = 0;
  const m = c.spec.season === 'none' ? 1 : c.spec.period;
  const counted = intervalHits(c, SERIES, FUTURES, 7000 + i, (y, r) => {
    const runs = RUNS.map(({ mode, level }) => forecastAuto(y, { horizon: HORIZON, period: m, level, seed: r + 1, combine: mode === 'combine' }));
    const chosen = runs[0]!.model;
    if (chosen.error === c.spec.error && chosen.trend === c.spec.trend && chosen.season === c.spec.season) right++;
    return runs;
  });
  RUNS.forEach(({ mode, level }, k) => {
    hits[mode][level] = counted.hits[k]!;
  });
  const total = counted.total;
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
