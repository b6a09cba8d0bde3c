import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OracleRangeError, OracleTypeError } from '../src/errors';
import { expectOracleError } from './helpers/expect-oracle-error';
import { GLICKO2_SCALE, glicko2Steps, glicko2Update } from '../src/ratings/glicko2';

// Glickman, "Example of the Glicko-2 system" (2013), worked example.
const player = { rating: 1500, rd: 200, volatility: 0.06 };
const games = [
  { rating: 1400, rd: 30, score: 1 },
  { rating: 1550, rd: 100, score: 0 },
  { rating: 1700, rd: 300, score: 0 },
];

describe('glicko2Update: Glickman worked example', () => {
  it('reproduces r′ ≈ 1464.06, RD′ ≈ 151.52, σ′ ≈ 0.05999', () => {
    const out = glicko2Update(player, games, { tau: 0.5 });
    // The paper converts μ′ after rounding it to −0.2069 (→ 1464.06); unrounded arithmetic gives
    // 1464.0507, within one unit of the printed last digit.
    expect(Math.abs(out.rating - 1464.06)).toBeLessThan(0.01);
    expect(out.rd).toBeCloseTo(151.52, 2);
    expect(Math.abs(out.volatility - 0.05999)).toBeLessThan(0.00001);
  });

  it('matches the printed Glicko-2-scale intermediates', () => {
    const s = glicko2Steps(player, games, 0.5, 0.000001);
    expect(s.mu).toBe(0);
    expect(s.phi).toBeCloseTo(1.1513, 4);
    // The paper carries rounded g and E values into v and Δ (printed 1.7785 and −0.4834).
    expect(Math.abs(s.v - 1.7785)).toBeLessThan(0.001);
    expect(Math.abs(s.delta - -0.4834)).toBeLessThan(0.001);
    expect(s.muPrime).toBeCloseTo(-0.2069, 4);
    expect(s.phiPrime).toBeCloseTo(0.8722, 4);
    expect(GLICKO2_SCALE * -0.2069 + 1500).toBeCloseTo(1464.06, 2);
  });

  it('uses the defaults τ = 0.5 and ε = 1e-6', () => {
    expect(glicko2Update(player, games)).toEqual(glicko2Update(player, games, { tau: 0.5, epsilon: 0.000001 }));
  });

  it('a larger τ lets volatility move further', () => {
    const upset = [{ rating: 2100, rd: 30, score: 1 }];
    const calm = glicko2Update(player, upset, { tau: 0.2 }).volatility;
    const loose = glicko2Update(player, upset, { tau: 1.2 }).volatility;
    expect(loose).toBeGreaterThan(calm);
    expect(calm).toBeGreaterThan(0.06);
  });
});

describe('glicko2Update: no games', () => {
  it('only inflates RD: φ′ = √(φ² + σ²)', () => {
    const out = glicko2Update(player, []);
    expect(out.rating).toBe(1500);
    expect(out.volatility).toBe(0.06);
    const phi = 200 / GLICKO2_SCALE;
    expect(out.rd).toBeCloseTo(GLICKO2_SCALE * Math.sqrt(phi * phi + 0.06 * 0.06), 10);
    expect(out.rd).toBeCloseTo(200.2714, 4);
  });
});

const rating = fc.double({ min: 0, max: 3500, noNaN: true });
const rd = fc.double({ min: 1, max: 350, noNaN: true });
const vol = fc.double({ min: 0.01, max: 0.2, noNaN: true });
const playerArb = fc.record({ rating, rd, volatility: vol });
const score = fc.constantFrom(0, 0.5, 1);
const resultArb = fc.record({ rating, rd, score });

describe('glicko2Update: properties', () => {
  it('outputs are finite with RD and volatility > 0, across the whole accepted domain', () => {
    const wide = fc.record({
      rating: fc.double({ min: -10_000, max: 10_000, noNaN: true }),
      rd: fc.double({ min: 1e-6, max: 10_000, noNaN: true }),
      volatility: fc.double({ min: 1e-6, max: 10, noNaN: true }),
    });
    const wideGame = fc.record({
      rating: fc.double({ min: -10_000, max: 10_000, noNaN: true }),
      rd: fc.double({ min: 1e-6, max: 10_000, noNaN: true }),
      score: fc.double({ min: 0, max: 1, noNaN: true }),
    });
    fc.assert(
      fc.property(wide, fc.array(wideGame, { maxLength: 6 }), fc.double({ min: 0.05, max: 10, noNaN: true }), (p, rs, tau) => {
        const out = glicko2Update(p, rs, { tau });
        expect(Number.isFinite(out.rating)).toBe(true);
        expect(Number.isFinite(out.rd) && out.rd > 0).toBe(true);
        expect(Number.isFinite(out.volatility) && out.volatility > 0).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('winning every game never lowers the rating; losing every game never raises it', () => {
    fc.assert(
      fc.property(playerArb, fc.array(fc.record({ rating, rd }), { minLength: 1, maxLength: 5 }), (p, opps) => {
        expect(glicko2Update(p, opps.map((o) => ({ ...o, score: 1 }))).rating).toBeGreaterThan(p.rating);
        expect(glicko2Update(p, opps.map((o) => ({ ...o, score: 0 }))).rating).toBeLessThan(p.rating);
      }),
    );
  });

  it('in a single game the two players move in opposite directions', () => {
    fc.assert(
      fc.property(playerArb, playerArb, fc.constantFrom(0, 1), (a, b, s) => {
        const a2 = glicko2Update(a, [{ rating: b.rating, rd: b.rd, score: s }]);
        const b2 = glicko2Update(b, [{ rating: a.rating, rd: a.rd, score: 1 - s }]);
        expect(Math.sign(a2.rating - a.rating)).toBe(s === 1 ? 1 : -1);
        expect(Math.sign(b2.rating - b.rating)).toBe(s === 1 ? -1 : 1);
      }),
    );
  });

  it('a draw between identical players leaves the rating (up to the scale round trip)', () => {
    fc.assert(
      fc.property(playerArb, (p) => {
        expect(glicko2Update(p, [{ rating: p.rating, rd: p.rd, score: 0.5 }]).rating).toBeCloseTo(p.rating, 9);
      }),
    );
  });

  it('games always shrink RD below the volatility-inflated prior √(RD² + (173.7178·σ′)²)', () => {
    fc.assert(
      fc.property(playerArb, fc.array(resultArb, { minLength: 1, maxLength: 5 }), (p, rs) => {
        const out = glicko2Update(p, rs);
        expect(out.rd).toBeLessThan(Math.hypot(p.rd, GLICKO2_SCALE * out.volatility));
      }),
    );
  });

  it('does not depend on the order of the games (up to rounding)', () => {
    fc.assert(
      fc.property(playerArb, fc.array(resultArb, { minLength: 2, maxLength: 5 }), (p, rs) => {
        const a = glicko2Update(p, rs);
        const b = glicko2Update(p, [...rs].reverse());
        expect(b.rating).toBeCloseTo(a.rating, 6);
        expect(b.rd).toBeCloseTo(a.rd, 6);
        expect(b.volatility).toBeCloseTo(a.volatility, 9);
      }),
    );
  });
});

describe('glicko2Update: validation', () => {
  it('names the bad field', () => {
    expectOracleError(() => glicko2Update(null as never, []), OracleTypeError, 'player');
    expectOracleError(() => glicko2Update({ ...player, rating: '1500' } as never, []), OracleTypeError, 'player.rating');
    expectOracleError(() => glicko2Update({ ...player, rating: Number.NaN }, []), OracleRangeError, 'player.rating');
    expectOracleError(() => glicko2Update({ ...player, rating: 1e6 }, []), OracleRangeError, 'player.rating');
    expectOracleError(() => glicko2Update({ ...player, rd: 0 }, []), OracleRangeError, 'player.rd');
    expectOracleError(() => glicko2Update({ ...player, volatility: -0.1 }, []), OracleRangeError, 'player.volatility');
    expectOracleError(() => glicko2Update(player, {} as never), OracleTypeError, 'results');
    expectOracleError(() => glicko2Update(player, [games[0]!, 3] as never), OracleTypeError, 'results[1]');
    expectOracleError(() => glicko2Update(player, [{ rating: 1500, rd: 50, score: 1.5 }]), OracleRangeError, 'results[0].score');
    expectOracleError(() => glicko2Update(player, [{ rating: 1500, rd: 0, score: 1 }]), OracleRangeError, 'results[0].rd');
    expectOracleError(() => glicko2Update(player, games, { tau: 0 }), OracleRangeError, 'options.tau');
    expectOracleError(() => glicko2Update(player, games, { epsilon: -1 }), OracleRangeError, 'options.epsilon');
    expectOracleError(() => glicko2Update(player, games, { tau: Number.POSITIVE_INFINITY }), OracleRangeError, 'options.tau');
  });
});
