import { describe, expect, it } from 'vitest';
import { forecastCost } from '../src/anomaly';
import { OracleTypeError } from '../src/errors';
import { forecastAuto } from '../src/forecast';
import { mulberry32, normalSampler } from '../src/math';
import { recommendCapacity } from '../src/scaling';
import { expectOracleError } from './helpers/expect-oracle-error';

const DAY = 86_400_000;
const HOUR = 3_600_000;

// Each forecastAuto call fits up to 15 models: generous per-suite timeouts for a loaded machine.
describe('the automatic model behind forecastCost and recommendCapacity', { timeout: 60_000 }, () => {
  it('forecastCost forecasts each service with forecastAuto on a weekly season', () => {
    const noise = normalSampler(mulberry32(11));
    const start = Date.UTC(2026, 0, 5);
    const costs = Array.from({ length: 56 }, (_, t) => (40 + 0.3 * t) * (t % 7 >= 5 ? 0.6 : 1.1) * (1 + 0.02 * noise()));
    const rows = costs.map((cost, t) => ({ date: new Date(start + t * DAY), service: 'compute', cost }));
    const f = forecastCost(rows, { horizonDays: 7, level: 0.8 });
    const direct = forecastAuto(costs, { horizon: 7, period: 7, level: 0.8 });
    expect(f.services['compute']!.forecast).toEqual(direct.forecast.map((v) => Math.max(0, v)));
    expect(f.services['compute']!.upper).toEqual(direct.upper.map((v) => Math.max(0, v)));
    // Weekend days stay low in the forecast.
    const weekend = f.services['compute']!.dates.map((d) => new Date(`${d}T00:00:00Z`).getUTCDay()).map((day) => day === 0 || day === 6);
    const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
    const values = f.services['compute']!.forecast;
    expect(mean(values.filter((_, i) => weekend[i]))).toBeLessThan(0.7 * mean(values.filter((_, i) => !weekend[i])));
  });

  it("recommendCapacity with model: 'auto' names the chosen ETS model on every point", () => {
    const history = Array.from({ length: 24 * 7 }, (_, i) => ({ at: Date.UTC(2026, 0, 5) + i * HOUR, load: 100 + 60 * Math.sin((2 * Math.PI * i) / 24) + (i % 5) }));
    const plan = recommendCapacity({ history, perReplicaCapacity: 10, targetUtilization: 0.8, horizon: 6 * HOUR, model: 'auto' });
    expect(plan).toHaveLength(6);
    expect(plan.every((p) => /^ETS\([AM],(N|A|Ad),[AM]\)$/.test(p.model ?? ''))).toBe(true);
    const holtWinters = recommendCapacity({ history, perReplicaCapacity: 10, targetUtilization: 0.8, horizon: 6 * HOUR });
    expect(holtWinters[0]!.model).toBe('ETS(A,A,A)');
    expectOracleError(() => recommendCapacity({ history, perReplicaCapacity: 10, targetUtilization: 0.8, horizon: HOUR, model: 'arima' as 'auto' }), OracleTypeError, 'input.model');
  });
});
