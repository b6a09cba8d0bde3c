import { describe, expect, it } from 'vitest';
import {
  bgNbdProbabilityAlive,
  type ChurnTrainingRow,
  churnActions,
  churnModelFromBgNbd,
  DEFAULT_CHURN_THRESHOLDS,
  scoreChurn,
  trainChurnModel,
} from '../src/churn';
import { mulberry32, normalSampler } from '../src/math';

// Churn log-odds = −0.5 + 2·tenureGap − 1.5·sessions + 0·noise (plus a constant feature).
function synthetic(n: number, seed: number): ChurnTrainingRow[] {
  const uniform = mulberry32(seed);
  const normal = normalSampler(uniform);
  return Array.from({ length: n }, () => {
    const tenureGap = normal() * 3 + 10;
    const sessions = normal() * 0.5 + 2;
    const noise = normal() * 100;
    const eta = -0.5 + (2 * (tenureGap - 10)) / 3 - (1.5 * (sessions - 2)) / 0.5;
    return { features: { tenureGap, sessions, noise, plan: 1 }, churned: uniform() < 1 / (1 + Math.exp(-eta)) };
  });
}

describe('trainChurnModel', () => {
  const rows = synthetic(3000, 1234);
  const model = trainChurnModel(rows, { l2: 1 });

  it('recovers the signs and rough sizes of planted coefficients', () => {
    expect(model.converged).toBe(true);
    expect(model.features).toEqual(['noise', 'plan', 'sessions', 'tenureGap']);
    const coef = Object.fromEntries(model.features.map((f, i) => [f, model.coefficients[i] as number]));
    expect(coef['tenureGap']).toBeGreaterThan(1.5);
    expect(coef['tenureGap']).toBeLessThan(2.5);
    expect(coef['sessions']).toBeLessThan(-1);
    expect(Math.abs(coef['noise'] as number)).toBeLessThan(0.2);
    expect(coef['plan']).toBe(0);
  });

  it('is deterministic', () => {
    expect(trainChurnModel(rows, { l2: 1 })).toEqual(model);
  });

  it('shrinks coefficients as l2 grows', () => {
    const norm = (c: number[]) => Math.hypot(...c);
    const strong = trainChurnModel(rows, { l2: 1000 });
    expect(norm(strong.coefficients)).toBeLessThan(norm(model.coefficients));
  });

  it('stays finite on perfectly separable data', () => {
    const separable = Array.from({ length: 20 }, (_, i) => ({ features: { x: i }, churned: i >= 10 }));
    const m = trainChurnModel(separable, { l2: 0, maxIterations: 25 });
    expect(Number.isFinite(m.coefficients[0])).toBe(true);
    expect(scoreChurn(m, { x: 19 }).probability).toBeGreaterThan(0.99);
  });
});

describe('scoreChurn', () => {
  const model = trainChurnModel(synthetic(2000, 99), { l2: 0.1 });

  it('explains the score: impacts are sorted and add up to the log-odds', () => {
    const features = { tenureGap: 16, sessions: 1.2, noise: 5, plan: 1, ignored: 42 };
    const score = scoreChurn(model, features);
    const impacts = score.contributions.map((c) => Math.abs(c.impact));
    expect(impacts).toEqual([...impacts].sort((p, q) => q - p));
    expect(score.contributions[0]?.feature).toBe('tenureGap');
    const logOdds = model.intercept + score.contributions.reduce((s, c) => s + c.impact, 0);
    expect(score.probability).toBeCloseTo(1 / (1 + Math.exp(-logOdds)), 12);
    expect(score.category).toBe('high');
    expect(score.contributions.find((c) => c.feature === 'sessions')?.value).toBe(1.2);
  });

  it('categorises with the model thresholds', () => {
    expect(DEFAULT_CHURN_THRESHOLDS).toEqual({ medium: 0.3, high: 0.6 });
    const low = scoreChurn(model, { tenureGap: 4, sessions: 3, noise: 0, plan: 1 });
    expect(low.category).toBe('low');
    const custom = { ...model, thresholds: { medium: 0, high: 1 } };
    expect(scoreChurn(custom, { tenureGap: 4, sessions: 3, noise: 0, plan: 1 }).category).toBe('medium');
  });

  it('works without training data from BG/NBD parameters', () => {
    const params = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
    const bg = churnModelFromBgNbd(params);
    const lapsed = { frequency: 1, recency: 1.71, T: 38.86 };
    const score = scoreChurn(bg, lapsed);
    expect(score.probability).toBeCloseTo(1 - bgNbdProbabilityAlive(params, lapsed), 12);
    expect(score.category).toBe('high');
    expect(score.contributions.map((c) => c.feature)).toEqual(['timeSinceLastPurchase', 'frequency']);
    expect(score.contributions[0]?.value).toBeCloseTo(37.15, 10);
    expect(score.contributions[0]?.impact).toBeGreaterThan(0);
    const active = scoreChurn(bg, { frequency: 12, recency: 38, T: 38.86 });
    expect(active.category).toBe('low');
    const oneTimer = scoreChurn(bg, { frequency: 0, recency: 0, T: 38.86 });
    expect(oneTimer).toEqual({ probability: 0, category: 'low', contributions: [] });
  });

  it('rejects missing features and unknown model kinds', () => {
    expect(() => scoreChurn(model, { tenureGap: 1, sessions: 1, plan: 1 })).toThrow(/features\.noise/);
    expect(() => scoreChurn({ ...model, kind: 'tree' } as never, {})).toThrow(/model\.kind/);
    expect(() => scoreChurn(churnModelFromBgNbd({ r: 1, alpha: 1, a: 1, b: 1 }), { frequency: 1, recency: 5, T: 2 })).toThrow(
      /features\.recency/,
    );
  });
});

describe('churnActions', () => {
  it('gives distinct default actions per category, as fresh arrays', () => {
    const high = churnActions('high');
    expect(high.length).toBeGreaterThan(0);
    expect(high).not.toEqual(churnActions('low'));
    high.push('mutated');
    expect(churnActions('high')).not.toContain('mutated');
    expect(() => churnActions('extreme' as never)).toThrow(/category/);
  });
});
