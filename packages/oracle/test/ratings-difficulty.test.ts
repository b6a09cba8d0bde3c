import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OracleRangeError, OracleTypeError } from '../src/errors';
import { expectOracleError } from './helpers/expect-oracle-error';
import { mulberry32 } from '../src/math/random';
import { adjustDifficulty, type DifficultyInput } from '../src/ratings/difficulty';

/**
 * Closed loop against a simulated player whose success probability falls with difficulty:
 * p(d) = 1 / (1 + e^((d − skill)/width)). Returns the difficulty after every attempt.
 */
function simulate(seed: number, skill: number, start: number, steps: number, extra: Partial<DifficultyInput> = {}, target = 0.5) {
  const rnd = mulberry32(seed);
  const outcomes: boolean[] = [];
  const path: number[] = [];
  let d = start;
  for (let t = 0; t < steps; t++) {
    outcomes.push(rnd() < 1 / (1 + Math.exp(d - skill)));
    d = adjustDifficulty({ outcomes, current: d, min: 0, max: 10, targetSuccessRate: target, ...extra }).difficulty;
    path.push(d);
  }
  return { path, outcomes };
}

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const sd = (xs: readonly number[]): number => Math.sqrt(mean(xs.map((x) => (x - mean(xs)) ** 2)));

describe('adjustDifficulty: closed loop', () => {
  it('settles near the difficulty that gives the target success rate, without wild oscillation', () => {
    for (const [seed, skill, start] of [
      [1, 6, 1],
      [2, 2, 9],
      [3, 4.5, 5],
      [4, 7.5, 0],
    ] as const) {
      const { path, outcomes } = simulate(seed, skill, start, 500);
      const tail = path.slice(150);
      expect(Math.abs(mean(tail) - skill)).toBeLessThan(0.75);
      expect(sd(tail)).toBeLessThan(1.2);
      const rate = outcomes.slice(150).filter(Boolean).length / (outcomes.length - 150);
      expect(Math.abs(rate - 0.5)).toBeLessThan(0.08);
      // No call moves more than the 10 % step cap, and successive moves are mostly small.
      const moves = path.slice(1).map((d, i) => Math.abs(d - path[i]!));
      expect(Math.max(...moves)).toBeLessThanOrEqual(1 + 1e-12);
      expect(mean(moves.slice(150))).toBeLessThan(0.3);
    }
  });

  it('tracks other targets: a 75 % target settles on easier settings than a 25 % target', () => {
    const easy = mean(simulate(5, 5, 5, 500, {}, 0.75).path.slice(150));
    const hard = mean(simulate(5, 5, 5, 500, {}, 0.25).path.slice(150));
    expect(easy).toBeLessThan(5 - Math.log(3) + 0.75);
    expect(hard).toBeGreaterThan(5 + Math.log(3) - 0.75);
  });

  it('pins to the bound when even the extreme cannot reach the target', () => {
    const { path } = simulate(6, 20, 5, 200);
    expect(path.slice(100).every((d) => d === 10)).toBe(true);
  });
});

describe('adjustDifficulty: single steps', () => {
  const base = { current: 5, min: 0, max: 10 };

  it('raises after a run of successes and lowers after a run of failures', () => {
    const up = adjustDifficulty({ ...base, outcomes: Array(10).fill(true) });
    expect(up.reason).toBe('too_easy');
    expect(up.difficulty).toBeGreaterThan(5);
    const down = adjustDifficulty({ ...base, outcomes: Array(10).fill(false) });
    expect(down.reason).toBe('too_hard');
    expect(down.difficulty).toBeLessThan(5);
    expect(up.difficulty - 5).toBeCloseTo(5 - down.difficulty, 12);
  });

  it('holds inside the dead band and without data', () => {
    const held = adjustDifficulty({ ...base, outcomes: [true, false, true, false, true, false] });
    expect(held.reason).toBe('on_target');
    expect(held.difficulty).toBe(5);
    expect(adjustDifficulty({ ...base, outcomes: [] })).toEqual({ difficulty: 5, successRate: 0.5, reason: 'no_data', clamped: false });
  });

  it('weights recent outcomes more', () => {
    const recentWins = adjustDifficulty({ ...base, outcomes: [false, false, false, true, true, true] });
    const recentLosses = adjustDifficulty({ ...base, outcomes: [true, true, true, false, false, false] });
    expect(recentWins.successRate).toBeGreaterThan(0.5);
    expect(recentLosses.successRate).toBeLessThan(0.5);
  });

  it('the prior keeps a single result from swinging the estimate', () => {
    const one = adjustDifficulty({ ...base, outcomes: [true] });
    expect(one.successRate).toBeCloseTo((2 * 0.5 + 1) / 3, 12);
  });

  it('reports clamping at the bounds and pulls an out-of-range current inside', () => {
    const top = adjustDifficulty({ current: 9.9, min: 0, max: 10, outcomes: Array(10).fill(true) });
    expect(top).toMatchObject({ difficulty: 10, clamped: true });
    const outside = adjustDifficulty({ current: 42, min: 0, max: 10, outcomes: [] });
    expect(outside).toMatchObject({ difficulty: 10, clamped: true, reason: 'no_data' });
  });

  it('always returns a difficulty within [min, max] and a rate within [0, 1] (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.boolean(), { maxLength: 40 }),
        fc.double({ min: -100, max: 100, noNaN: true }),
        fc.double({ min: -50, max: 50, noNaN: true }),
        fc.double({ min: 0, max: 50, noNaN: true }),
        fc.double({ min: 0.01, max: 0.99, noNaN: true }),
        fc.double({ min: 0.01, max: 1, noNaN: true }),
        (outcomes, current, min, width, target, gain) => {
          const r = adjustDifficulty({ outcomes, current, min, max: min + width, targetSuccessRate: target, gain });
          expect(r.difficulty).toBeGreaterThanOrEqual(min);
          expect(r.difficulty).toBeLessThanOrEqual(min + width);
          expect(r.successRate).toBeGreaterThanOrEqual(0);
          expect(r.successRate).toBeLessThanOrEqual(1);
          expect(adjustDifficulty({ outcomes, current, min, max: min + width, targetSuccessRate: target, gain })).toEqual(r);
        },
      ),
    );
  });
});

describe('adjustDifficulty: validation', () => {
  const ok = { outcomes: [true], current: 5, min: 0, max: 10 };
  it('names the bad field', () => {
    expectOracleError(() => adjustDifficulty(null as never), OracleTypeError, 'input');
    expectOracleError(() => adjustDifficulty({ ...ok, outcomes: 'yes' as never }), OracleTypeError, 'outcomes');
    expectOracleError(() => adjustDifficulty({ ...ok, outcomes: [true, 1] as never }), OracleTypeError, 'outcomes[1]');
    expectOracleError(() => adjustDifficulty({ ...ok, current: Number.NaN }), OracleRangeError, 'current');
    expectOracleError(() => adjustDifficulty({ ...ok, max: -1 }), OracleRangeError, 'max');
    expectOracleError(() => adjustDifficulty({ ...ok, min: '0' as never }), OracleTypeError, 'min');
    expectOracleError(() => adjustDifficulty({ ...ok, targetSuccessRate: 1 }), OracleRangeError, 'targetSuccessRate');
    expectOracleError(() => adjustDifficulty({ ...ok, gain: 0 }), OracleRangeError, 'gain');
    expectOracleError(() => adjustDifficulty({ ...ok, halfLife: 0 }), OracleRangeError, 'halfLife');
    expectOracleError(() => adjustDifficulty({ ...ok, deadBand: 0.5 }), OracleRangeError, 'deadBand');
    expectOracleError(() => adjustDifficulty({ ...ok, priorWeight: -1 }), OracleRangeError, 'priorWeight');
    expectOracleError(() => adjustDifficulty({ ...ok, maxStep: 2 }), OracleRangeError, 'maxStep');
  });
});
