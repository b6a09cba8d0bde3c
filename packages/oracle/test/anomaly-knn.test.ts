import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { anomalyThreshold, detectAnomalies, scoreAnomalies } from '../src/anomaly';
import { KNN_ALARM, knnCadRanks } from '../src/anomaly/knn';
import { mulberry32, normalSampler } from '../src/math';

const T0 = Date.UTC(2026, 0, 1);
const points = (values: readonly number[]) => values.map((value, i) => ({ timestamp: T0 + i * 60_000, value }));

function noisy(n: number, seed: number, f: (i: number) => number): number[] {
  const noise = normalSampler(mulberry32(seed));
  return Array.from({ length: n }, (_, i) => f(i) + noise());
}

/**
 * KNN-CAD transcribed directly from NAB's knncad_detector.py (Euclidean metric): every distance
 * recomputed, the k smallest by sorting, the rank by counting. The fast version must agree.
 */
function directKnnCad(values: readonly number[], train: number, dim: number, k: number, restFraction: number): number[] {
  const probation = train + dim;
  const rest = Math.floor(restFraction * probation);
  const vector = (end: number) => values.slice(end - dim + 1, end + 1);
  const ncm = (v: number[], set: number[][], count: number) =>
    set
      .map((u) => u.reduce((s, x, q) => s + (x - v[q]!) ** 2, 0))
      .sort((a, b) => a - b)
      .slice(0, count)
      .reduce((a, b) => a + b, 0);
  const out = new Array<number>(values.length).fill(0);
  let calib: number[] = [];
  let pred = 0;
  let scale = 0;
  for (let i = 0; i < values.length; i++) {
    scale += (Math.abs(values[i]!) - scale) / Math.min(i + 1, probation);
    if (i < probation - 1) continue;
    const start = Math.max(dim - 1, i - probation - train + 1);
    const training = Array.from({ length: train }, (_, b) => vector(start + b));
    if (i === probation - 1) calib = training.map((v) => ncm(v, training, k + 1));
    const score = ncm(vector(i), training, k);
    const eps = 1e-9 * score + 1e-21 * dim * k * scale * scale;
    const r = calib.filter((c) => c < score - eps).length / train;
    calib = [...calib.slice(1), score];
    if (pred > 0) {
      pred--;
      continue;
    }
    if (r >= KNN_ALARM) pred = rest;
    out[i] = r;
  }
  return out;
}

describe('KNN-CAD', () => {
  it('matches a direct transcription of NAB’s detector, alarms and rests included', () => {
    const values = noisy(700, 11, (i) => 10 * Math.sin(i / 7) + (i === 400 || i === 610 ? 25 : 0));
    const fast = Array.from(knnCadRanks(values, 80, 1, 19, 27, 0.2));
    const direct = directKnnCad(values, 80, 19, 27, 0.2);
    expect(fast).toEqual(direct);
    // The injected spikes alarm, and the detector rests after the first.
    expect(fast[400]).toBeGreaterThanOrEqual(KNN_ALARM);
    expect(fast.slice(401, 401 + Math.floor(0.2 * 99)).every((r) => r === 0)).toBe(true);
  });

  it('is silent until trained and reads nothing but the values (same input, same output)', () => {
    const values = noisy(300, 12, () => 5);
    const a = knnCadRanks(values, 100);
    expect(Array.from(a.slice(0, 118)).every((r) => r === 0)).toBe(true);
    expect(Array.from(a.slice(118)).some((r) => r > 0)).toBe(true);
    expect(knnCadRanks(values, 100)).toEqual(a);
    expect(Array.from(knnCadRanks(values.slice(0, 110), 100))).toEqual(new Array(110).fill(0));
  });
});

describe('scoreAnomalies default (KNN-CAD after a residual warm-up)', () => {
  it('flags a spike during KNN-CAD’s warm-up through the residual detector', () => {
    // (The residual detector's own window fills first: its spread starts from zero, so residuals
    // of the first ~100 points look huge and outrank everything until they leave the window.)
    const values = noisy(600, 13, () => 50);
    values[550] = 70;
    expect(detectAnomalies(points(values)).map((a) => a.index)).toEqual([550]);
  });

  it('flags an anomalous shape that no single residual gives away', () => {
    // A daily-like cycle whose amplitude triples for one cycle: each step is within the usual step
    // sizes, so the residual detector misses it, while the shape is unlike any in the reference set.
    const values = noisy(2000, 14, (i) => 100 + (i >= 1500 && i < 1524 ? 3 : 1) * 10 * Math.sin((2 * Math.PI * i) / 24));
    const knn = detectAnomalies(points(values)).map((a) => a.index);
    expect(knn.some((i) => i >= 1500 && i < 1530)).toBe(true);
    const residual = detectAnomalies(points(values), { method: 'residual' }).map((a) => a.index);
    expect(residual.some((i) => i >= 1500 && i < 1530)).toBe(false);
  });

  it('keeps flagging through KNN-CAD’s rest after an alarm, with the residual detector', () => {
    const values = noisy(1200, 17, () => 50);
    values[800] = 70;
    values[850] = 75; // inside the (600 + 19)/5 = 123-point rest that the first alarm starts
    const flagged = detectAnomalies(points(values)).map((a) => a.index);
    expect(flagged).toContain(800);
    expect(flagged).toContain(850);
    expect(knnCadRanks(values, 600)[850]).toBe(0);
  });

  it('never returns NaN or ±Infinity, nor leaves [0, 1], for any finite input (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { minLength: 60, maxLength: 160 }),
        fc.constantFrom<'knn-cad' | 'residual'>('knn-cad', 'residual'),
        (values, method) => {
          for (const s of scoreAnomalies(points(values), { method, training: 50, window: 20 })) expect(s >= 0 && s <= 1).toBe(true);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('is deterministic and online: a later change never moves an earlier score (property)', () => {
    const base = noisy(260, 15, (i) => Math.sin(i / 5));
    const before = scoreAnomalies(points(base), { training: 100 });
    expect(scoreAnomalies(points(base), { training: 100 })).toEqual(before);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 259 }), fc.double({ min: -1e6, max: 1e6, noNaN: true }), (i, v) => {
        const changed = base.slice();
        changed[i] = v;
        expect(scoreAnomalies(points(changed), { training: 100 }).slice(0, i)).toEqual(before.slice(0, i));
      }),
      { numRuns: 40 },
    );
  });

  it('flags pure noise rarely at the default sensitivity, and less at a lower one', () => {
    const values = noisy(5000, 16, () => 0);
    const flagged = detectAnomalies(points(values)).length;
    // Conformal ranks are uniform on exchangeable data: beating all but one of 600 happens about
    // once in 300 points, less the rests after each alarm.
    expect(flagged).toBeGreaterThan(0);
    expect(flagged).toBeLessThanOrEqual(5000 / 300);
    expect(detectAnomalies(points(values), { sensitivity: 0.25 }).length).toBeLessThan(flagged);
  });

  it('validates its options, naming the field', () => {
    expect(() => scoreAnomalies(points([1, 2]), { method: 'nope' as never })).toThrow(/options\.method/);
    expect(() => scoreAnomalies(points([1, 2]), { training: 10 })).toThrow(/options\.training/);
    expect(() => scoreAnomalies(points([1, 2]), { training: 100.5 })).toThrow(/options\.training/);
    expect(() => scoreAnomalies(points([1, 2]), { training: 5001 })).toThrow(/options\.training/);
    expect(anomalyThreshold(0.5)).toBe(0.8025);
  });
});
