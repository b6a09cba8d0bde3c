// Held-out accuracy of @almanac/oracle's forecasters on the classic series of datasets/forecast
// (issue 21). Run: npx tsx bench/oracle-forecast.bench.ts
// For each series: fit on all but the last `holdout` values, forecast them, and print the MAE
// and MASE (scaled by the in-sample one-step seasonal-naive MAE, Hyndman & Koehler 2006) of
// seasonal-naive, the previous forecastHoltWinters (bench/oracle-forecast-previous.ts),
// today's forecastHoltWinters (additive trend and season, statsmodels' model), forecastAuto, and
// statsmodels' ExponentialSmoothing (bench/reference/statsmodels-forecast.json, computed once by
// the Python script beside it). The target is a geometric mean MAE ratio ≤ 1.00 against
// statsmodels. Prints PASS/MISS and always exits 0.
import { forecastAuto, forecastHoltWinters } from '../packages/oracle/src/forecast';
import { previousForecastHoltWinters } from './oracle-forecast-previous';
import { forecastSeries, mae, seasonalNaive, seasonalNaiveScale, statsmodelsReference } from './oracle-forecast-series';

const reference = statsmodelsReference();
const rows: string[][] = [];
const ratios = { previous: [] as number[], hw: [] as number[], auto: [] as number[], naive: [] as number[] };
const geo = (xs: number[]): number => Math.exp(xs.reduce((a, x) => a + Math.log(x), 0) / xs.length);
const fmt = (x: number): string => (Math.abs(x) >= 1000 ? x.toFixed(0) : Math.abs(x) >= 10 ? x.toFixed(1) : x.toFixed(3));
const timed = <T>(fn: () => T): [T, number] => {
  const start = performance.now();
  const value = fn();
  return [value, performance.now() - start];
};

for (const s of forecastSeries()) {
  const ref = reference.get(s.name);
  if (ref === undefined) throw new Error(`no statsmodels reference for ${s.name}: rerun bench/reference/statsmodels-forecast.py`);
  const m = s.period ?? 1;
  const seasonal = s.period === undefined ? { seasonal: 'none' as const } : { period: s.period };
  const scale = seasonalNaiveScale(s.train, m);
  const naive = mae(seasonalNaive(s.train, m, s.holdout), s.test);
  const previous = mae(previousForecastHoltWinters(s.train, { horizon: s.holdout, ...seasonal }).forecast, s.test);
  const [hwFit, hwMs] = timed(() => forecastHoltWinters(s.train, { horizon: s.holdout, ...seasonal }));
  const hw = mae(hwFit.forecast, s.test);
  const [autoFit, autoMs] = timed(() => forecastAuto(s.train, { horizon: s.holdout, period: m }));
  const auto = mae(autoFit.forecast, s.test);
  ratios.previous.push(previous / ref.mae);
  ratios.hw.push(hw / ref.mae);
  ratios.auto.push(auto / ref.mae);
  ratios.naive.push(naive / ref.mae);
  rows.push([
    s.name,
    `${s.frequency} m=${m} n=${s.train.length}+${s.holdout}`,
    fmt(ref.mae),
    `${fmt(naive)} (${(naive / scale).toFixed(2)})`,
    `${fmt(previous)} (${(previous / scale).toFixed(2)}) ${(previous / ref.mae).toFixed(2)}x`,
    `${fmt(hw)} (${(hw / scale).toFixed(2)}) ${(hw / ref.mae).toFixed(2)}x ${hwMs.toFixed(0)}ms`,
    `${fmt(auto)} (${(auto / scale).toFixed(2)}) ${(auto / ref.mae).toFixed(2)}x ${autoMs.toFixed(0)}ms`,
    autoFit.model.name,
    `${(ref.mae / scale).toFixed(2)}`,
  ]);
}

const header = ['series', 'split', 'statsmodels MAE', 'seasonal-naive MAE (MASE)', 'previous HW MAE (MASE) vs sm', 'HW now MAE (MASE) vs sm, time', 'auto MAE (MASE) vs sm, time', 'auto model', 'sm MASE'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ');
process.stdout.write(`${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('-|-')}\n${rows.map(line).join('\n')}\n\n`);
process.stdout.write(
  `geometric mean MAE ratio vs statsmodels: seasonal-naive ${geo(ratios.naive).toFixed(3)}, previous HW ${geo(ratios.previous).toFixed(3)}, HW now ${geo(ratios.hw).toFixed(3)}, forecastAuto ${geo(ratios.auto).toFixed(3)}\n`,
);
process.stdout.write(`HW now vs previous: geometric mean MAE ratio ${geo(ratios.hw.map((r, i) => r / ratios.previous[i]!)).toFixed(3)}; forecastAuto vs previous ${geo(ratios.auto.map((r, i) => r / ratios.previous[i]!)).toFixed(3)}\n`);
for (const [name, xs] of [['forecastAuto', ratios.auto], ['forecastHoltWinters', ratios.hw]] as const) {
  const g = geo(xs);
  process.stdout.write(`${g <= 1 ? 'PASS' : 'MISS'} ${name}: geometric mean MAE ratio vs statsmodels ${g.toFixed(3)} (target ≤ 1.00)\n`);
}
