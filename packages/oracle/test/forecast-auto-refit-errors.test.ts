import { afterEach, describe, expect, it, vi } from 'vitest';
import type * as EtsFitModule from '../src/forecast/ets-fit';

// The validation choice refits every form on the series without its last `horizon` values. The
// fit module is wrapped so a test can make that refit (and only it: the series length tells the
// two apart) fail in a chosen way.
const refit = vi.hoisted(() => ({ length: -1, outcome: 'fit' as 'fit' | 'no-fit' | 'defect' }));

vi.mock('../src/forecast/ets-fit', async (importOriginal) => {
  const original = await importOriginal<typeof EtsFitModule>();
  return {
    ...original,
    fitEts: (...args: Parameters<typeof original.fitEts>) => {
      if (args[0].length === refit.length) {
        if (refit.outcome === 'no-fit') return undefined;
        if (refit.outcome === 'defect') throw new Error('defect inside the refit');
      }
      return original.fitEts(...args);
    },
  };
});

const { forecastAuto } = await import('../src/forecast');

// A trending series with noise from a fixed table, long enough for the validation choice.
const series = Array.from({ length: 40 }, (_, t) => 100 + 2 * t + [3, -2, 5, -4, 1, 0, -3, 4][t % 8]!);
const horizon = 6;

afterEach(() => {
  refit.length = -1;
  refit.outcome = 'fit';
});

describe('forecastAuto validation choice when the refit fails', () => {
  it('chooses by validation when the refit works', () => {
    expect(forecastAuto(series, { horizon }).selectedBy).toBe('validation');
  });

  it('falls back to lowest AICc when no form fits the shortened series', () => {
    refit.length = series.length - horizon;
    refit.outcome = 'no-fit';
    const forecast = forecastAuto(series, { horizon });
    expect(forecast.selectedBy).toBe('aicc');
    expect(forecast.forecast).toHaveLength(horizon);
  });

  it('lets any other error from the refit surface instead of silently changing the choice', () => {
    refit.length = series.length - horizon;
    refit.outcome = 'defect';
    expect(() => forecastAuto(series, { horizon })).toThrow('defect inside the refit');
  });
});
