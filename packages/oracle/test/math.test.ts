import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  expm1Ratio,
  log1pExp,
  logAddExp,
  logBeta,
  logGamma,
  logHyp2f1,
  logSubExp,
  logSumExp,
  mulberry32,
  nelderMead,
  normalSampler,
  sigmoid,
  solveLinear,
} from '../src/math';

describe('logGamma', () => {
  it('matches known values', () => {
    expect(logGamma(1)).toBeCloseTo(0, 14);
    expect(logGamma(2)).toBeCloseTo(0, 14);
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 13);
    expect(logGamma(10)).toBeCloseTo(Math.log(362880), 12);
    // lnΓ(0.1) and lnΓ(100) from Abramowitz & Stegun / Wolfram.
    expect(logGamma(0.1)).toBeCloseTo(2.252712651734206, 12);
    expect(logGamma(100)).toBeCloseTo(359.1342053695754, 9);
    expect(logGamma(-0.5)).toBeCloseTo(Math.log(2 * Math.sqrt(Math.PI)), 12);
    expect(logGamma(0)).toBe(Number.POSITIVE_INFINITY);
    expect(logGamma(-3)).toBe(Number.POSITIVE_INFINITY);
  });

  it('satisfies lnΓ(x+1) = lnΓ(x) + ln x', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-3, max: 1e5, noNaN: true }), (x) => {
        expect(logGamma(x + 1) - logGamma(x)).toBeCloseTo(Math.log(x), 8);
      }),
    );
  });

  it('gives ln B(a, b) symmetric and B(1, b) = 1/b', () => {
    expect(logBeta(1, 4)).toBeCloseTo(-Math.log(4), 13);
    expect(logBeta(2.5, 0.7)).toBeCloseTo(logBeta(0.7, 2.5), 14);
  });
});

describe('log-space helpers', () => {
  it('logAddExp / logSumExp do not overflow and agree with direct sums', () => {
    expect(logAddExp(1000, 1000)).toBeCloseTo(1000 + Math.LN2, 12);
    expect(logAddExp(Number.NEGATIVE_INFINITY, 3)).toBe(3);
    expect(logSumExp([])).toBe(Number.NEGATIVE_INFINITY);
    fc.assert(
      fc.property(fc.array(fc.double({ min: -50, max: 50, noNaN: true }), { minLength: 1, maxLength: 10 }), (xs) => {
        const direct = Math.log(xs.reduce((s, x) => s + Math.exp(x), 0));
        expect(logSumExp(xs)).toBeCloseTo(direct, 9);
        expect(logSumExp(xs.map((x) => x + 900))).toBeCloseTo(direct + 900, 9);
      }),
    );
  });

  it('logSubExp inverts logAddExp', () => {
    fc.assert(
      fc.property(fc.double({ min: -20, max: 20, noNaN: true }), fc.double({ min: 0.01, max: 20, noNaN: true }), (b, gap) => {
        const a = b + gap;
        expect(logAddExp(logSubExp(a, b), b)).toBeCloseTo(a, 9);
      }),
    );
    expect(logSubExp(2, 2)).toBe(Number.NEGATIVE_INFINITY);
    expect(logSubExp(1, 2)).toBeNaN();
  });

  it('log1pExp and sigmoid are stable at the extremes', () => {
    expect(log1pExp(1000)).toBe(1000);
    expect(log1pExp(-1000)).toBe(0);
    expect(sigmoid(1000)).toBe(1);
    expect(sigmoid(-1000)).toBe(0);
    expect(sigmoid(0)).toBe(0.5);
  });

  it('expm1Ratio is continuous at k = 0', () => {
    expect(expm1Ratio(0, 2)).toBe(2);
    expect(expm1Ratio(1e-9, 2)).toBeCloseTo(2, 8);
    expect(expm1Ratio(0.5, 2)).toBeCloseTo((Math.exp(1) - 1) / 0.5, 14);
  });
});

describe('logHyp2f1', () => {
  it('matches closed forms', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 0.95, noNaN: true }), fc.double({ min: 0.05, max: 30, noNaN: true }), (z, a) => {
        // ₂F₁(1, 1; 2; z) = −ln(1−z)/z and ₂F₁(a, b; b; z) = (1−z)^{−a} (A&S 15.1.3, 15.1.8).
        if (z > 0) expect(logHyp2f1(1, 1, 2, z)).toBeCloseTo(Math.log(-Math.log1p(-z) / z), 10);
        expect(logHyp2f1(a, 2.5, 2.5, z)).toBeCloseTo(-a * Math.log1p(-z), 8);
      }),
    );
  });

  it('stays finite where the plain series would overflow', () => {
    // (1−z)^{−a} with a = 10 000, z = 0.5 is e^{6931}.
    expect(logHyp2f1(10_000, 3, 3, 0.5)).toBeCloseTo(10_000 * Math.LN2, 6);
  });

  it('rejects arguments outside its domain', () => {
    expect(logHyp2f1(1, 1, 2, 1)).toBeNaN();
    expect(logHyp2f1(-1, 1, 2, 0.5)).toBeNaN();
  });
});

describe('nelderMead', () => {
  it('finds the Rosenbrock minimum deterministically', () => {
    const rosen = (v: readonly number[]) => 100 * ((v[1] as number) - (v[0] as number) ** 2) ** 2 + (1 - (v[0] as number)) ** 2;
    const a = nelderMead(rosen, [-1.2, 1], { valueTolerance: 1e-14, pointTolerance: 1e-10 });
    const b = nelderMead(rosen, [-1.2, 1], { valueTolerance: 1e-14, pointTolerance: 1e-10 });
    expect(a.converged).toBe(true);
    expect(a.x[0]).toBeCloseTo(1, 5);
    expect(a.x[1]).toBeCloseTo(1, 5);
    expect(b).toEqual(a);
  });

  it('avoids regions where the objective is not finite', () => {
    const r = nelderMead((v) => ((v[0] as number) < 0 ? Number.NaN : ((v[0] as number) - 2) ** 2), [1]);
    expect(r.x[0]).toBeCloseTo(2, 6);
  });
});

describe('solveLinear', () => {
  it('solves a system that needs pivoting', () => {
    const x = solveLinear(
      [
        [0, 2, 1],
        [1, 1, 1],
        [2, 1, 0],
      ],
      [7, 6, 4],
    );
    expect(x).toBeDefined();
    expect(x?.[0]).toBeCloseTo(1, 12);
    expect(x?.[1]).toBeCloseTo(2, 12);
    expect(x?.[2]).toBeCloseTo(3, 12);
  });

  it('reports singular systems', () => {
    expect(
      solveLinear(
        [
          [1, 2],
          [2, 4],
        ],
        [1, 2],
      ),
    ).toBeUndefined();
  });
});

describe('seeded random', () => {
  it('replays the same stream for a seed and stays in [0, 1)', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(xs).toEqual(Array.from({ length: 1000 }, () => b()));
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(mulberry32(43)()).not.toBe(xs[0]);
  });

  it('normal draws have mean ≈ 0 and variance ≈ 1', () => {
    const draw = normalSampler(mulberry32(7));
    const xs = Array.from({ length: 20_000 }, draw);
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(variance - 1)).toBeLessThan(0.05);
  });
});
