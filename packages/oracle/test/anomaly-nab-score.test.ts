import { describe, expect, it } from 'vitest';
import {
  NAB_STANDARD,
  nabBounds,
  nabScore,
  optimizeNabThreshold,
  probationaryLength,
  scaledSigmoid,
  scoreNabFile,
} from '../../../bench/signals/nab-score';

const ROWS = 100; // probation: 15 rows
const windows = [{ start: 40, end: 49 }];

function detectionsAt(...rows: number[]): number[] {
  const s = new Array<number>(ROWS).fill(0);
  for (const r of rows) s[r] = 1;
  return s;
}

describe('NAB scorer', () => {
  it('uses NAB constants', () => {
    expect(probationaryLength(100)).toBe(15);
    expect(probationaryLength(10_000)).toBe(750);
    expect(scaledSigmoid(-1)).toBeCloseTo(0.98661, 5);
    expect(scaledSigmoid(0)).toBe(0);
    expect(scaledSigmoid(3)).toBe(-1);
  });

  it('rewards the earliest detection in a window most, counting only the best one', () => {
    const first = scoreNabFile({ scores: detectionsAt(40), windows }, 0.5).score;
    const late = scoreNabFile({ scores: detectionsAt(48), windows }, 0.5).score;
    expect(first).toBeCloseTo(1, 12);
    expect(late).toBeGreaterThan(0);
    expect(late).toBeLessThan(first);
    expect(scoreNabFile({ scores: detectionsAt(40, 45, 48), windows }, 0.5).score).toBeCloseTo(first, 12);
    expect(scoreNabFile({ scores: detectionsAt(), windows }, 0.5)).toMatchObject({ score: -1, missedWindows: 1 });
  });

  it('penalises false positives by distance from the preceding window', () => {
    const far = scoreNabFile({ scores: detectionsAt(40, 30), windows }, 0.5);
    expect(far.score).toBeCloseTo(1 - NAB_STANDARD.fpWeight, 12);
    expect(far.falsePositives).toBe(1);
    const justAfter = scoreNabFile({ scores: detectionsAt(40, 50), windows }, 0.5).score;
    const wellAfter = scoreNabFile({ scores: detectionsAt(40, 80), windows }, 0.5).score;
    expect(justAfter).toBeGreaterThan(wellAfter);
    expect(wellAfter).toBeCloseTo(1 - NAB_STANDARD.fpWeight, 2);
    // Probationary rows never count.
    expect(scoreNabFile({ scores: detectionsAt(40, 3), windows }, 0.5).score).toBeCloseTo(1, 12);
  });

  it('normalises between the null and perfect detectors and finds the best threshold', () => {
    const files = [{ scores: detectionsAt(), windows }];
    expect(nabBounds(files)).toEqual({ null: -1, perfect: 1 });
    const graded = new Array<number>(ROWS).fill(0.1);
    graded[42] = 0.9;
    graded[20] = 0.5;
    const corpus = [{ scores: graded, windows }];
    expect(nabScore(corpus, 0.95).score).toBe(0);
    const best = optimizeNabThreshold(corpus);
    expect(best.threshold).toBe(0.9);
    expect(best.score).toBeCloseTo(nabScore(corpus, 0.9).score, 12);
    expect(best.score).toBeGreaterThan(nabScore(corpus, 0.5).score);
  });
});

describe('NAB AWS CloudWatch corpus (datasets/nab)', () => {
  it('scores scoreAnomalies at its default threshold above the windowed-Gaussian baseline', async () => {
    const lines: string[] = [];
    const log = console.log;
    console.log = (...args: unknown[]) => lines.push(args.join(' '));
    try {
      const { benchNab } = await import('../../../bench/signals/forecast');
      benchNab();
    } finally {
      console.log = log;
    }
    const nab = lines.find((l) => l.includes('NAB standard score'));
    expect(nab).toMatch(/^PASS/);
  }, 60_000);
});
