import { describe, expect, it } from 'vitest';
import { forecastSeries, mae, statsmodelsReference } from '../../../bench/oracle-forecast-series';
import { forecastHoltWinters } from '../src/forecast';

// statsmodels' numbers come from bench/reference/statsmodels-forecast.json (written once by the
// script beside it), so this test needs no Python. The half-hourly series is left to the bench:
// its 48-long season makes it the one slow fit.
const series = forecastSeries().filter((s) => s.frequency !== 'half-hourly');
const reference = statsmodelsReference();

describe('Holt-Winters on the classic series of datasets/forecast, against statsmodels', () => {
  it('fits at least as well as statsmodels ExponentialSmoothing(estimated) in-sample on every series', { timeout: 60_000 }, () => {
    let logRatio = 0;
    for (const s of series) {
      const ref = reference.get(s.name)!;
      const f = forecastHoltWinters(s.train, { horizon: s.holdout, ...(s.period === undefined ? { seasonal: 'none' as const } : { period: s.period }) });
      expect(f.model.initialization).toBe('estimated');
      // Same model and criterion (Σe² over every value, initial states estimated): ours is the same or lower.
      expect(f.sse, s.name).toBeLessThanOrEqual(ref.sse * 1.0005);
      logRatio += Math.log(mae(f.forecast, s.test) / ref.mae);
    }
    // Held-out accuracy: geometric mean of the MAE ratios at most 1.
    expect(Math.exp(logRatio / series.length)).toBeLessThanOrEqual(1);
  });
});
