import { OracleRangeError } from '../errors';
import { array, finiteNumber, object } from '../validate';

/** A player's Glicko-2 state on the familiar Glicko scale (1500-centred). */
export interface Glicko2Rating {
  /** Rating r; new players conventionally start at 1500. */
  readonly rating: number;
  /** Rating deviation RD (> 0); new players conventionally start at 350. */
  readonly rd: number;
  /** Volatility σ (> 0); Glickman suggests 0.06 for new players. */
  readonly volatility: number;
}

/** One game of the rating period, seen from the player being updated. */
export interface Glicko2Result {
  /** Opponent's rating at the start of the period. */
  readonly rating: number;
  /** Opponent's RD at the start of the period (> 0). */
  readonly rd: number;
  /** Player's score in [0, 1]: 1 win, 0.5 draw, 0 loss. */
  readonly score: number;
}

/** Options of {@link glicko2Update}. */
export interface Glicko2Options {
  /** System constant τ constraining volatility change, in (0, 10]; Glickman suggests 0.3–1.2. Default 0.5. */
  readonly tau?: number | undefined;
  /** Convergence tolerance ε of the step-5 volatility iteration, > 0. Default 0.000001. */
  readonly epsilon?: number | undefined;
}

/** Glickman's scale factor between the Glicko and Glicko-2 scales (400 / ln 10). */
export const GLICKO2_SCALE = 173.7178;

// Bounds keep every intermediate (v, Δ², e^x) inside double precision: beyond a rating gap of
// ~60 000 the expected score rounds to exactly 0 or 1 and v overflows. Real ratings sit in 0..3500.
const RATING_LIMIT = 10_000;
const RD_LIMIT = 10_000;
const VOLATILITY_LIMIT = 10;
const TAU_LIMIT = 10;
// The Illinois iteration converges superlinearly (a handful of steps in practice); the cap only
// stops a tolerance finer than float spacing from spinning forever.
const MAX_ITERATIONS = 200;
const MAX_BRACKET_STEPS = 100_000;

/** Intermediate quantities of one update on the Glicko-2 scale, named as in Glickman's steps 2–7. */
export interface Glicko2Steps {
  /** μ: the pre-period rating on the Glicko-2 scale (step 2). */
  readonly mu: number;
  /** φ: the pre-period deviation on the Glicko-2 scale (step 2). */
  readonly phi: number;
  /** Estimated variance of the rating from game outcomes (step 3); Infinity without games. */
  readonly v: number;
  /** Estimated improvement (step 4); 0 without games. */
  readonly delta: number;
  /** σ′: the new volatility (step 5). */
  readonly sigmaPrime: number;
  /** φ′: the new deviation on the Glicko-2 scale (step 7). */
  readonly phiPrime: number;
  /** μ′: the new rating on the Glicko-2 scale (step 7). */
  readonly muPrime: number;
}

const g = (phi: number): number => 1 / Math.sqrt(1 + (3 * phi * phi) / (Math.PI * Math.PI));
const expectedScore = (mu: number, muJ: number, gJ: number): number => 1 / (1 + Math.exp(-gJ * (mu - muJ)));

/**
 * Step 5: the new volatility as the root of f(x) = e^x(Δ² − φ² − v − e^x) / (2(φ² + v + e^x)²) − (x − a)/τ²,
 * found by the Illinois variant of regula falsi that Glickman's 2013 revision prescribes (its
 * earlier Newton iteration could diverge).
 */
function newVolatility(delta: number, phi: number, v: number, sigma: number, tau: number, epsilon: number): number {
  const a = Math.log(sigma * sigma);
  const phi2 = phi * phi;
  const tau2 = tau * tau;
  const f = (x: number): number => {
    const ex = Math.exp(x);
    const denom = phi2 + v + ex;
    // Factored so neither the numerator nor the squared denominator overflows.
    return ((ex / denom) * ((delta * delta - phi2 - v - ex) / denom)) / 2 - (x - a) / tau2;
  };
  let A = a;
  let B: number;
  if (delta * delta > phi2 + v) {
    B = Math.log(delta * delta - phi2 - v);
  } else {
    let k = 1;
    // f(a − kτ) turns positive within k ≈ τ²·|f| steps; the cap keeps a NaN-free but wrong f
    // (a bug) from bracketing for ever.
    while (k < MAX_BRACKET_STEPS && f(a - k * tau) < 0) k++;
    B = a - k * tau;
  }
  let fA = f(A);
  let fB = f(B);
  for (let i = 0; i < MAX_ITERATIONS && Math.abs(B - A) > epsilon; i++) {
    const C = A + ((A - B) * fA) / (fB - fA);
    const fC = f(C);
    if (fC * fB <= 0) {
      A = B;
      fA = fB;
    } else {
      fA /= 2;
    }
    B = C;
    fB = fC;
  }
  return Math.exp(A / 2);
}

/** Steps 2–7 of Glickman's procedure on validated input; exposed for tests of the intermediates. */
export function glicko2Steps(player: Glicko2Rating, results: readonly Glicko2Result[], tau: number, epsilon: number): Glicko2Steps {
  const mu = (player.rating - 1500) / GLICKO2_SCALE;
  const phi = player.rd / GLICKO2_SCALE;
  const sigma = player.volatility;
  if (results.length === 0) {
    // Step 6 only: an idle period widens the deviation by the volatility, nothing else moves.
    return { mu, phi, v: Number.POSITIVE_INFINITY, delta: 0, sigmaPrime: sigma, phiPrime: Math.sqrt(phi * phi + sigma * sigma), muPrime: mu };
  }
  let information = 0;
  let surprise = 0;
  for (const r of results) {
    const gJ = g(r.rd / GLICKO2_SCALE);
    const e = expectedScore(mu, (r.rating - 1500) / GLICKO2_SCALE, gJ);
    information += gJ * gJ * e * (1 - e);
    surprise += gJ * (r.score - e);
  }
  const v = 1 / information;
  const delta = v * surprise;
  const sigmaPrime = newVolatility(delta, phi, v, sigma, tau, epsilon);
  const phiStar = Math.sqrt(phi * phi + sigmaPrime * sigmaPrime);
  const phiPrime = 1 / Math.sqrt(1 / (phiStar * phiStar) + 1 / v);
  const muPrime = mu + phiPrime * phiPrime * surprise;
  return { mu, phi, v, delta, sigmaPrime, phiPrime, muPrime };
}

function positive(field: string, value: unknown, limit: number): number {
  const n = finiteNumber(field, value, { max: limit });
  if (n <= 0) throw new OracleRangeError(field, `must be > 0, got ${n}`);
  return n;
}

/**
 * Rates one player over one rating period with Glicko-2 — Glickman, "Example of the Glicko-2
 * system" (Boston University, 2013 revision), steps 1–8, including the Illinois-algorithm
 * volatility update. With no games only the deviation grows: φ′ = √(φ² + σ²).
 *
 * Update every player of the period from the ratings everyone had at its start, not from
 * already-updated opponents. Ratings are bounded to ±10 000 and RD to (0, 10 000], volatility to
 * (0, 10], so every intermediate stays inside double precision.
 *
 * @throws OracleTypeError / OracleRangeError naming the bad field (`player.rd`, `results[2].score`, `options.tau`, …).
 */
export function glicko2Update(player: Glicko2Rating, results: readonly Glicko2Result[], options: Glicko2Options = {}): Glicko2Rating {
  const p = object('player', player);
  const checked: Glicko2Rating = {
    rating: finiteNumber('player.rating', p['rating'], { min: -RATING_LIMIT, max: RATING_LIMIT }),
    rd: positive('player.rd', p['rd'], RD_LIMIT),
    volatility: positive('player.volatility', p['volatility'], VOLATILITY_LIMIT),
  };
  const games = array('results', results).map((raw, i): Glicko2Result => {
    const r = object(`results[${i}]`, raw);
    return {
      rating: finiteNumber(`results[${i}].rating`, r['rating'], { min: -RATING_LIMIT, max: RATING_LIMIT }),
      rd: positive(`results[${i}].rd`, r['rd'], RD_LIMIT),
      score: finiteNumber(`results[${i}].score`, r['score'], { min: 0, max: 1 }),
    };
  });
  const o = object('options', options);
  const tau = o['tau'] === undefined ? 0.5 : positive('options.tau', o['tau'], TAU_LIMIT);
  const epsilon = o['epsilon'] === undefined ? 0.000001 : positive('options.epsilon', o['epsilon'], Number.MAX_VALUE);
  const s = glicko2Steps(checked, games, tau, epsilon);
  return { rating: GLICKO2_SCALE * s.muPrime + 1500, rd: GLICKO2_SCALE * s.phiPrime, volatility: s.sigmaPrime };
}
