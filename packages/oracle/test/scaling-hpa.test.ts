import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OracleRangeError, OracleTypeError } from '../src/errors';
import { createHpaRecommender, type HpaRecommender, hpaDesiredReplicas } from '../src/scaling';

const cpu = (current: number, target = 100) => ({ currentValue: current, targetValue: target });

describe('hpaDesiredReplicas (Kubernetes docs examples)', () => {
  it('doubles when current 200m is twice the 100m target', () => {
    expect(hpaDesiredReplicas({ currentReplicas: 1, metrics: [cpu(200)], maxReplicas: 10 })).toEqual({ replicas: 2, ratio: 2, reason: 'scale-up' });
  });

  it('halves when current 50m is half the 100m target', () => {
    expect(hpaDesiredReplicas({ currentReplicas: 4, metrics: [cpu(50)], maxReplicas: 10 })).toMatchObject({ replicas: 2, reason: 'scale-down' });
  });

  it('does not change within tolerance (ratio 1.05 with 0.1) but does just outside it', () => {
    expect(hpaDesiredReplicas({ currentReplicas: 10, metrics: [cpu(105)], maxReplicas: 20 })).toEqual({ replicas: 10, ratio: 1.05, reason: 'within-tolerance' });
    expect(hpaDesiredReplicas({ currentReplicas: 10, metrics: [cpu(95)], maxReplicas: 20 }).replicas).toBe(10);
    expect(hpaDesiredReplicas({ currentReplicas: 10, metrics: [cpu(115)], maxReplicas: 20 })).toMatchObject({ replicas: 12, reason: 'scale-up' });
    expect(hpaDesiredReplicas({ currentReplicas: 10, metrics: [cpu(105)], maxReplicas: 20, tolerance: 0.01 }).replicas).toBe(11);
  });

  it('takes the highest proposal across metrics', () => {
    const r = hpaDesiredReplicas({ currentReplicas: 4, metrics: [cpu(50), cpu(300, 100), cpu(150, 100)], maxReplicas: 100 });
    expect(r).toEqual({ replicas: 12, ratio: 3, reason: 'scale-up' });
  });

  it('clamps to min and max, and brings out-of-range targets to the bound', () => {
    expect(hpaDesiredReplicas({ currentReplicas: 5, metrics: [cpu(1000)], maxReplicas: 8 })).toMatchObject({ replicas: 8, reason: 'limited-by-max' });
    expect(hpaDesiredReplicas({ currentReplicas: 5, metrics: [cpu(1)], minReplicas: 3, maxReplicas: 8 })).toMatchObject({ replicas: 3, reason: 'limited-by-min' });
    expect(hpaDesiredReplicas({ currentReplicas: 12, metrics: [cpu(100)], maxReplicas: 8 })).toMatchObject({ replicas: 8, reason: 'above-max' });
    expect(hpaDesiredReplicas({ currentReplicas: 1, metrics: [cpu(100)], minReplicas: 2, maxReplicas: 8 })).toMatchObject({ replicas: 2, reason: 'below-min' });
    expect(hpaDesiredReplicas({ currentReplicas: 0, metrics: [cpu(500)], maxReplicas: 8 })).toMatchObject({ replicas: 0, reason: 'scaling-disabled' });
  });

  it('uses ready pods as the multiplier and treats not-ready pods as idle when scaling up', () => {
    // 10 replicas, 8 ready at 2× target: first pass ceil(2 × 8) = 16; not-ready pods count as 0,
    // new ratio 16/10 = 1.6 → ceil(1.6 × 10) = 16.
    expect(hpaDesiredReplicas({ currentReplicas: 10, readyPods: 8, metrics: [cpu(200)], maxReplicas: 50 }).replicas).toBe(16);
    // 1.2× on 5 of 10 ready: with the idle fill-in the ratio is 0.6 < 1, a direction flip → no change.
    expect(hpaDesiredReplicas({ currentReplicas: 10, readyPods: 5, metrics: [cpu(120)], maxReplicas: 50 })).toMatchObject({
      replicas: 10,
      reason: 'within-tolerance',
    });
    // Scaling down, not-ready pods are simply left out: ceil(0.5 × 5) = 3.
    expect(hpaDesiredReplicas({ currentReplicas: 10, readyPods: 5, metrics: [cpu(50)], maxReplicas: 50 }).replicas).toBe(3);
  });

  it('assumes missing pods at target when scaling down and at zero when scaling up', () => {
    // 4 with metrics at 0.5, 4 missing filled at 1.0 → ratio 0.75 over 8 → ceil(6) = 6.
    expect(hpaDesiredReplicas({ currentReplicas: 8, missingPods: 4, metrics: [cpu(50)], maxReplicas: 50 }).replicas).toBe(6);
    // 4 at 3.0, 4 missing at 0 → 1.5 over 8 → 12.
    expect(hpaDesiredReplicas({ currentReplicas: 8, missingPods: 4, metrics: [cpu(300)], maxReplicas: 50 }).replicas).toBe(12);
  });

  it('does not scale down when some metrics are unavailable', () => {
    expect(hpaDesiredReplicas({ currentReplicas: 6, metrics: [cpu(20), { currentValue: null, targetValue: 1 }], maxReplicas: 10 })).toMatchObject({
      replicas: 6,
      reason: 'metrics-unavailable',
    });
    expect(hpaDesiredReplicas({ currentReplicas: 6, metrics: [cpu(200), { currentValue: null, targetValue: 1 }], maxReplicas: 20 }).replicas).toBe(12);
  });

  it('always lands within [min, max] (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 500 }),
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 0, max: 450 }),
        fc.array(fc.double({ min: 0, max: 1e4, noNaN: true }), { minLength: 1, maxLength: 4 }),
        (current, minReplicas, extra, values) => {
          const maxReplicas = minReplicas + extra;
          const r = hpaDesiredReplicas({ currentReplicas: current, minReplicas, maxReplicas, metrics: values.map((v) => cpu(v, 50)) });
          expect(r.replicas).toBeGreaterThanOrEqual(minReplicas);
          expect(r.replicas).toBeLessThanOrEqual(maxReplicas);
          expect(Number.isInteger(r.replicas)).toBe(true);
        },
      ),
    );
  });

  it('validates input naming the field', () => {
    const base = { currentReplicas: 2, metrics: [cpu(100)], maxReplicas: 5 };
    const field = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        return (e as OracleRangeError).field;
      }
      return undefined;
    };
    expect(field(() => hpaDesiredReplicas({ ...base, currentReplicas: -1 }))).toBe('input.currentReplicas');
    expect(field(() => hpaDesiredReplicas({ ...base, currentReplicas: 1.5 }))).toBe('input.currentReplicas');
    expect(field(() => hpaDesiredReplicas({ ...base, metrics: [cpu(Number.NaN)] }))).toBe('input.metrics[0].currentValue');
    expect(field(() => hpaDesiredReplicas({ ...base, metrics: [cpu(1, 0)] }))).toBe('input.metrics[0].targetValue');
    expect(field(() => hpaDesiredReplicas({ ...base, minReplicas: 6 }))).toBe('input.minReplicas');
    expect(field(() => hpaDesiredReplicas({ ...base, readyPods: 3 }))).toBe('input.readyPods');
    expect(() => hpaDesiredReplicas({ ...base, metrics: [] })).toThrow(OracleRangeError);
    expect(() => hpaDesiredReplicas({ ...base, metrics: [{ currentValue: null, targetValue: 1 }] })).toThrow(OracleTypeError);
    expect(() => hpaDesiredReplicas({ ...base, readyPods: 0 })).toThrow(/did not receive metrics/);
  });
});

const S = 1000;

describe('createHpaRecommender', () => {
  const step = (rec: HpaRecommender, at: number, current: number, value: number, extra: { minReplicas?: number; maxReplicas?: number } = {}) =>
    rec.recommend({ now: at * S, currentReplicas: current, metrics: [cpu(value)], maxReplicas: extra.maxReplicas ?? 100, ...(extra.minReplicas ? { minReplicas: extra.minReplicas } : {}) });

  it('does not scale down within the 300 s window after a spike, and does after it', () => {
    const rec = createHpaRecommender();
    expect(step(rec, 0, 2, 200).replicas).toBe(4);
    let current = 4;
    for (const t of [15, 60, 150, 290, 299]) {
      const r = step(rec, t, current, 50);
      expect(r.desiredReplicas).toBe(2);
      expect(r).toMatchObject({ replicas: 4, stabilizedReplicas: 4, reason: 'stabilized' });
      current = r.replicas;
    }
    // At 300 s the t=0 recommendation (4) leaves the window (strictly-after cutoff, as in Go).
    expect(step(rec, 300, current, 50)).toMatchObject({ replicas: 2, reason: 'scale-down' });
  });

  it('scales up immediately but at most max(4 pods, 100 %) per 15 s', () => {
    const rec = createHpaRecommender();
    expect(step(rec, 0, 1, 1000)).toMatchObject({ desiredReplicas: 10, replicas: 5, reason: 'scale-up-limited' });
    // 5 s later the period still started at 1 replica: limit max(1 + 4, 2) = 5, no growth.
    expect(step(rec, 5, 5, 1000)).toMatchObject({ desiredReplicas: 50, replicas: 5, reason: 'scale-up-limited' });
    // 16 s after the first step: period starts at 5 → max(9, 10) = 10.
    expect(step(rec, 16, 5, 1000).replicas).toBe(10);
    // From 10 the Percent policy dominates: 20.
    expect(step(rec, 32, 10, 1000).replicas).toBe(20);
    expect(step(rec, 48, 20, 1000, { maxReplicas: 30 })).toMatchObject({ replicas: 30, reason: 'limited-by-max' });
  });

  it('follows the documented scale-down example (Pods 4 and Percent 10 per 60 s)', () => {
    const rec = createHpaRecommender({
      behavior: {
        scaleDown: {
          stabilizationWindowSeconds: 0,
          policies: [
            { type: 'Pods', value: 4, periodSeconds: 60 },
            { type: 'Percent', value: 10, periodSeconds: 60 },
          ],
        },
      },
    });
    let current = 80;
    const seen: number[] = [];
    for (let t = 0; t <= 600; t += 60) {
      current = step(rec, t, current, 1).replicas;
      seen.push(current);
    }
    // 80 → 72 (10 % = 8), 72 → 64 (7.2 → 8 removed since trunc keeps 64), … below 40 the Pods policy removes 4.
    expect(seen.slice(0, 6)).toEqual([72, 64, 57, 51, 45, 40]);
    expect(seen[6]).toBe(36);
    expect(seen[7]).toBe(32);
  });

  it('limits within one period using the replicas at its start', () => {
    const rec = createHpaRecommender({ behavior: { scaleDown: { stabilizationWindowSeconds: 0, policies: [{ type: 'Pods', value: 2, periodSeconds: 60 }] } } });
    expect(step(rec, 0, 10, 10).replicas).toBe(8);
    expect(step(rec, 30, 8, 10)).toMatchObject({ replicas: 8, reason: 'scale-down-limited' });
    expect(step(rec, 61, 8, 10).replicas).toBe(6);
  });

  it('honours selectPolicy Min and Disabled', () => {
    const min = createHpaRecommender({ behavior: { scaleUp: { selectPolicy: 'Min' } } });
    expect(step(min, 0, 10, 1000).replicas).toBe(14);
    const off = createHpaRecommender({ behavior: { scaleDown: { selectPolicy: 'Disabled', stabilizationWindowSeconds: 0 } } });
    expect(step(off, 0, 10, 1).replicas).toBe(10);
    expect(step(off, 15, 10, 1000).replicas).toBe(20);
  });

  it('keeps state per recommender and rejects time going backwards or bad behavior', () => {
    const a = createHpaRecommender();
    const b = createHpaRecommender();
    expect(step(a, 0, 2, 400).replicas).toBe(6); // desired 8, limited to max(2 + 4, 2 × 2)
    // a remembers its spike (8) for 300 s; b has no history and follows the metric down.
    expect(step(a, 2, 6, 50).replicas).toBe(6);
    expect(step(b, 2, 6, 50).replicas).toBe(3);
    expect(() => step(a, 1, 6, 100)).toThrow(OracleRangeError);
    expect(() => a.recommend({ now: new Date(Number.NaN), currentReplicas: 1, metrics: [cpu(1)], maxReplicas: 2 })).toThrow(OracleRangeError);
    expect(() => createHpaRecommender({ behavior: { scaleUp: { policies: [] } } })).toThrow(OracleRangeError);
    expect(() => createHpaRecommender({ behavior: { scaleUp: { policies: [{ type: 'Pods', value: 1, periodSeconds: 1801 }] } } })).toThrow(/periodSeconds/);
    expect(() => createHpaRecommender({ behavior: { scaleDown: { selectPolicy: 'Fastest' as 'Max' } } })).toThrow(OracleTypeError);
    // A rejected call leaves the history untouched.
    expect(step(a, 3, 6, 50).replicas).toBe(6);
  });

  it('accepts Date and ISO times', () => {
    const rec = createHpaRecommender();
    expect(rec.recommend({ now: new Date('2026-01-01T00:00:00Z'), currentReplicas: 2, metrics: [cpu(200)], maxReplicas: 10 }).replicas).toBe(4);
    expect(rec.recommend({ now: '2026-01-01T00:00:15Z', currentReplicas: 4, metrics: [cpu(50)], maxReplicas: 10 }).replicas).toBe(4);
  });

  it('never leaves [min, max] and never moves more than the default policies allow (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 2000, noNaN: true }), { minLength: 1, maxLength: 40 }), (loads) => {
        const rec = createHpaRecommender();
        let current = 3;
        loads.forEach((v, i) => {
          const r = step(rec, i * 15, current, v, { minReplicas: 2, maxReplicas: 60 });
          expect(r.replicas).toBeGreaterThanOrEqual(2);
          expect(r.replicas).toBeLessThanOrEqual(60);
          expect(r.replicas).toBeLessThanOrEqual(Math.max(current + 4, current * 2));
          current = r.replicas;
        });
      }),
    );
  });
});
