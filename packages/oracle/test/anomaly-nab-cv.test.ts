import { describe, expect, it } from 'vitest';
import { crossValidate, type LabelledSeries } from '../../../bench/signals/nab-cv';

const ROWS = 200;

// A series with one labelled window at 100–109; `spikeAt` is where its anomaly actually is.
function series(name: string, spikeAt: number): LabelledSeries {
  const values = Array.from({ length: ROWS }, (_, i) => (i === spikeAt ? 10 : 0));
  return { name, values, windows: [{ start: 100, end: 109 }] };
}

// Candidate k scores row i with 1 when i − k is a spike: the detector's lag.
const lagged = (values: readonly number[], lag: number): number[] => values.map((_, i) => ((values[i - lag] ?? 0) > 5 ? 1 : 0));

describe('leave-one-series-out cross-validation of NAB settings', () => {
  it('scores 100 when the setting chosen on the other series is perfect for every series', () => {
    const corpus = [series('a', 100), series('b', 100), series('c', 100)];
    const cv = crossValidate(corpus, [0, 30], lagged);
    expect(cv.score).toBeCloseTo(100, 9);
    expect(cv.folds.map((f) => f.candidate)).toEqual([0, 0, 0]);
    expect(cv.inSample.score).toBeCloseTo(100, 9);
  });

  it('never lets a held-out series choose its own setting', () => {
    // Series c's anomaly precedes its window by 30 rows: only a 30-row lag would catch it, but
    // a and b (the training set of c's fold) prefer lag 0, so c is scored with lag 0 and misses.
    const corpus = [series('a', 100), series('b', 100), series('c', 70)];
    const cv = crossValidate(corpus, [0, 30], lagged);
    const c = cv.folds[2]!;
    expect(c.candidate).toBe(0);
    // Missed window (−1) plus a false positive at row 70 with no window before it (−0.11).
    expect(c.heldOutRaw).toBeCloseTo(-1.11, 12);
    // In-sample, lag 0 scores 2 of 3 windows; held out, no series is perfectly predicted.
    expect(cv.inSample.candidate).toBe(0);
    expect(cv.score).toBeLessThan(cv.inSample.score);
  });
});
