// BG/NBD and Pareto/NBD log-likelihoods pinned to values computed independently of the code:
// test/fixtures/churn-likelihood-reference.py integrates each model's latent-variable
// definition numerically with mpmath (25 digits; kept here to 15), using none of the closed forms the code uses
// (no beta-function ratio, no ₂F₁, no log-space tricks). These tests need no data files, so they
// always run; the CDNOW fit tests compare fits with published values only where data exist.
import { describe, expect, it } from 'vitest';
import {
  type BgNbdParams,
  bgNbdLogLikelihood,
  fitBgNbd,
  fitParetoNbd,
  type ParetoNbdParams,
  paretoNbdLogLikelihood,
  type RfmCustomer,
} from '../src/churn';
import { paretoLogIntegral } from '../src/churn/pareto-nbd';
import { nelderMead } from '../src/math';

/** [x, tₓ, T, reference ln L] rows. */
type Row = readonly [number, number, number, number];

const customer = ([x, tx, T]: Row): RfmCustomer => ({ frequency: x, recency: tx, T });

// Fader, Hardie & Lee's CDNOW estimates, then a set with α > β-like asymmetry and large shapes.
const BG: ReadonlyArray<readonly [BgNbdParams, readonly Row[]]> = [
  [
    { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 },
    [
      [0, 0, 38.86, -0.554713276438158],
      [1, 1.71, 38.86, -4.46909327503259],
      [2, 30.43, 38.86, -9.45860630706627],
      [5, 20.0, 30.0, -16.3099290936003],
      [3, 3.0, 39.0, -8.8828184695797],
      [0, 0, 12.5, -0.326436570766693],
      [40, 35.5, 36.0, -44.5658390675244],
      [1, 0.5, 0.5, -3.03285770254284],
    ],
  ],
  [
    { r: 2.5, alpha: 0.7, a: 3.1, b: 0.45 },
    [
      [0, 0, 38.86, -10.0862336267331],
      [1, 1.71, 38.86, -3.18962763572987],
      [2, 30.43, 38.86, -16.4959476773956],
      [5, 20.0, 30.0, -21.8539455468697],
      [3, 3.0, 39.0, -8.20579986673343],
      [0, 0, 12.5, -7.34222943382765],
      [40, 35.5, 36.0, -49.2321575687239],
      [1, 0.5, 0.5, -0.613522076751522],
    ],
  ],
];

// CDNOW estimates (α < β), a set with α > β, and one where α ≪ β, whose ₂F₁ argument is within
// 1e-6 of 1, so the code integrates A₀ numerically instead of summing the series.
const PARETO: ReadonlyArray<readonly [ParetoNbdParams, readonly Row[]]> = [
  [
    { r: 0.553, alpha: 10.578, s: 0.606, beta: 11.669 },
    [
      [0, 0, 38.86, -0.52104629408089],
      [1, 1.71, 38.86, -4.45019433388101],
      [2, 30.43, 38.86, -9.55428324515041],
      [5, 20.0, 30.0, -16.0922950202568],
      [3, 3.0, 39.0, -9.267875718184],
      [0, 0, 12.5, -0.340148580446099],
      [40, 35.5, 36.0, -47.1159327833477],
      [1, 0.5, 0.5, -3.04832394907113],
    ],
  ],
  [
    { r: 1.7, alpha: 2.3, s: 0.25, beta: 0.9 },
    [
      [0, 0, 38.86, -1.55457929009425],
      [1, 1.71, 38.86, -4.24833540390923],
      [2, 30.43, 38.86, -11.669194935577],
      [5, 20.0, 30.0, -16.249675413889],
      [3, 3.0, 39.0, -6.70522224247387],
      [0, 0, 12.5, -1.48125162549382],
      [40, 35.5, 36.0, -38.5097767735096],
      [1, 0.5, 0.5, -0.94385685440704],
    ],
  ],
  [
    { r: 0.8, alpha: 0.001, s: 1.3, beta: 1000 },
    [
      [0, 0, 38.86, -8.29711470846407],
      [1, 1.71, 38.86, -11.8388191090281],
      [2, 30.43, 38.86, -15.4441150471081],
      [5, 20.0, 30.0, -20.9469317822385],
      [3, 3.0, 39.0, -14.8557075812929],
      [0, 0, 12.5, -7.49564860437525],
      [40, 35.5, 36.0, -42.3512328027259],
      [1, 0.5, 0.5, -4.50592909183898],
    ],
  ],
];

const sum = (rows: readonly Row[]) => rows.reduce((total, row) => total + row[3], 0);

describe('BG/NBD log-likelihood pinned to an independent integration', () => {
  for (const [params, rows] of BG) {
    it(`matches each customer at ${JSON.stringify(params)}`, () => {
      for (const row of rows) {
        expect(bgNbdLogLikelihood(params, [customer(row)]), `x=${row[0]} tx=${row[1]} T=${row[2]}`).toBeCloseTo(row[3], 9);
      }
    });

    it(`sums customers, counting repeated ones with their weight, at ${JSON.stringify(params)}`, () => {
      const customers = rows.map(customer);
      expect(bgNbdLogLikelihood(params, customers)).toBeCloseTo(sum(rows), 8);
      expect(bgNbdLogLikelihood(params, [...customers, customers[3] as RfmCustomer, customers[3] as RfmCustomer])).toBeCloseTo(sum(rows) + 2 * (rows[3] as Row)[3], 8);
    });
  }
});

describe('Pareto/NBD log-likelihood pinned to an independent integration', () => {
  for (const [params, rows] of PARETO) {
    it(`matches each customer at ${JSON.stringify(params)}`, () => {
      for (const row of rows) {
        expect(paretoNbdLogLikelihood(params, [customer(row)]), `x=${row[0]} tx=${row[1]} T=${row[2]}`).toBeCloseTo(row[3], 8);
      }
    });

    it(`sums customers, counting repeated ones with their weight, at ${JSON.stringify(params)}`, () => {
      const customers = rows.map(customer);
      expect(paretoNbdLogLikelihood(params, customers)).toBeCloseTo(sum(rows), 7);
      expect(paretoNbdLogLikelihood(params, [...customers, customers[6] as RfmCustomer])).toBeCloseTo(sum(rows) + (rows[6] as Row)[3], 7);
    });
  }
});

describe('likelihood inputs', () => {
  const good = [{ frequency: 1, recency: 1, T: 2 }];
  it('refuses bad parameters and customers, naming the argument', () => {
    const bad: Array<[() => unknown, string]> = [
      [() => bgNbdLogLikelihood({ r: -1, alpha: 1, a: 1, b: 1 }, good), 'params.r'],
      [() => bgNbdLogLikelihood({ r: 1, alpha: 1, a: 1, b: 1 }, [{ frequency: -1, recency: 0, T: 1 }]), 'customers'],
      [() => paretoNbdLogLikelihood({ r: 1, alpha: 1, s: 0, beta: 1 }, good), 'params.s'],
      [() => paretoNbdLogLikelihood({ r: 1, alpha: 1, s: 1, beta: 1 }, [{ frequency: 1, recency: 3, T: 2 }]), 'customers'],
    ];
    for (const [call, field] of bad) expect(call).toThrow(field);
  });
});

describe('the fits maximise the pinned likelihood', () => {
  // A cohort drawn to look like the CDNOW rows above, repeated so the optimum is well defined.
  const cohort: RfmCustomer[] = [];
  for (let copy = 0; copy < 6; copy++) for (const row of (BG[0] as (typeof BG)[number])[1]) cohort.push(customer([row[0], row[1], row[2] + copy, 0]));

  it('BG/NBD: the fitted log-likelihood is the likelihood at the fitted parameters, and no nearby point is better', () => {
    const fit = fitBgNbd(cohort);
    const { r, alpha, a, b } = fit;
    expect(fit.logLikelihood).toBeCloseTo(bgNbdLogLikelihood({ r, alpha, a, b }, cohort), 9);
    for (const factor of [0.9, 1.1]) {
      expect(bgNbdLogLikelihood({ r: r * factor, alpha, a, b }, cohort)).toBeLessThan(fit.logLikelihood + 1e-9);
      expect(bgNbdLogLikelihood({ r, alpha: alpha * factor, a, b }, cohort)).toBeLessThan(fit.logLikelihood + 1e-9);
    }
  });

  it('Pareto/NBD: the same', () => {
    const fit = fitParetoNbd(cohort);
    const { r, alpha, s, beta } = fit;
    expect(fit.logLikelihood).toBeCloseTo(paretoNbdLogLikelihood({ r, alpha, s, beta }, cohort), 9);
    for (const factor of [0.9, 1.1]) {
      expect(paretoNbdLogLikelihood({ r: r * factor, alpha, s, beta }, cohort)).toBeLessThan(fit.logLikelihood + 1e-9);
      expect(paretoNbdLogLikelihood({ r, alpha, s: s * factor, beta }, cohort)).toBeLessThan(fit.logLikelihood + 1e-9);
    }
  });
});

describe('every optimiser stops within its budget, whatever the objective does', () => {
  it('Nelder–Mead spends at most maxEvaluations (plus one simplex) on an objective that is always NaN or keeps falling', () => {
    for (const objective of [() => Number.NaN, (x: readonly number[]) => -Math.abs(x[0] as number) - Math.abs(x[1] as number)]) {
      const result = nelderMead(objective, [0, 0], { maxEvaluations: 500 });
      expect(result.converged).toBe(false);
      expect(result.evaluations).toBeLessThanOrEqual(500 + 3);
    }
  });

  it('fits report an exhausted budget instead of running on', () => {
    const cohort = (BG[0] as (typeof BG)[number])[1].map(customer);
    for (const fit of [fitBgNbd(cohort, { maxEvaluations: 40 }), fitParetoNbd(cohort, { maxEvaluations: 40 })]) {
      expect(fit.converged).toBe(false);
      expect(fit.warnings).toContain('the optimiser did not meet its tolerance within maxEvaluations');
    }
  });

  it('the Pareto/NBD quadrature gives NaN for a degenerate panel width instead of looping', () => {
    // r + x = ∞ makes the first panel width 0: before the cap, `start += 0` never reached the end.
    expect(paretoLogIntegral({ r: Number.POSITIVE_INFINITY, alpha: 1, s: 1, beta: 2 }, 1, 0, 10)).toBeNaN();
    expect(paretoLogIntegral({ r: 1, alpha: 1, s: 1, beta: 2 }, 1, 0, 10)).toBeLessThan(0);
  });
});
