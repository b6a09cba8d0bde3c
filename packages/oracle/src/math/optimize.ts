/** Result of a deterministic minimisation. */
export interface MinimizeResult {
  /** Best point found. */
  x: number[];
  /** Objective at `x`. */
  value: number;
  /** Whether the tolerance was met before the evaluation budget ran out. */
  converged: boolean;
  /** Objective evaluations used. */
  evaluations: number;
}

/** Options of {@link nelderMead}. */
export interface NelderMeadOptions {
  /** Initial simplex edge length along each axis (default 0.5). */
  step?: number | undefined;
  /** Stop when the simplex values span less than this (absolute, default 1e-10). */
  valueTolerance?: number | undefined;
  /** …and every vertex is within this of the best one in each coordinate (default 1e-8). */
  pointTolerance?: number | undefined;
  /** Evaluation budget across all restarts (default 20 000). */
  maxEvaluations?: number | undefined;
  /** Restarts from the best point, to escape a simplex that collapsed early (default 2). */
  restarts?: number | undefined;
}

/**
 * Minimises `f` by the Nelder–Mead simplex method (Nelder & Mead 1965) with the standard
 * coefficients (reflection 1, expansion 2, contraction ½, shrink ½) and restarts from the
 * best vertex, as recommended by Gao & Han (2012) against premature collapse. Non-finite
 * objective values are treated as +∞, so infeasible regions are simply avoided.
 * Deterministic: no randomness, fixed tie-breaking.
 */
export function nelderMead(f: (x: readonly number[]) => number, x0: readonly number[], options: NelderMeadOptions = {}): MinimizeResult {
  const n = x0.length;
  const step = options.step ?? 0.5;
  const fTol = options.valueTolerance ?? 1e-10;
  const xTol = options.pointTolerance ?? 1e-8;
  const maxEval = options.maxEvaluations ?? 20_000;
  const restarts = options.restarts ?? 2;
  let evaluations = 0;
  const fx = (x: readonly number[]): number => {
    evaluations++;
    const v = f(x);
    return Number.isFinite(v) ? v : Number.POSITIVE_INFINITY;
  };

  let best = x0.slice();
  let bestValue = fx(best);
  let converged = false;
  for (let round = 0; round <= restarts && evaluations < maxEval; round++) {
    const simplex: number[][] = [best.slice()];
    const values: number[] = [bestValue];
    for (let i = 0; i < n; i++) {
      const v = best.slice();
      v[i] = (v[i] as number) + step;
      simplex.push(v);
      values.push(fx(v));
    }
    converged = false;
    const order = simplex.map((_, i) => i);
    while (evaluations < maxEval) {
      order.sort((i, j) => (values[i] as number) - (values[j] as number) || i - j);
      const lo = order[0] as number;
      const hi = order[n] as number;
      const secondHi = order[n - 1] as number;
      const fLo = values[lo] as number;
      const fHi = values[hi] as number;
      const loPoint = simplex[lo] as number[];
      let spread = 0;
      for (const p of simplex) for (let d = 0; d < n; d++) spread = Math.max(spread, Math.abs((p[d] as number) - (loPoint[d] as number)));
      if (fHi - fLo <= fTol && spread <= xTol) {
        converged = true;
        break;
      }
      const centroid = new Array<number>(n).fill(0);
      for (const i of order) {
        if (i === hi) continue;
        const p = simplex[i] as number[];
        for (let d = 0; d < n; d++) centroid[d] = (centroid[d] as number) + (p[d] as number) / n;
      }
      const worst = simplex[hi] as number[];
      const along = (t: number): number[] => centroid.map((c, d) => c + t * (c - (worst[d] as number)));
      const reflected = along(1);
      const fR = fx(reflected);
      if (fR < fLo) {
        const expanded = along(2);
        const fE = fx(expanded);
        if (fE < fR) {
          simplex[hi] = expanded;
          values[hi] = fE;
        } else {
          simplex[hi] = reflected;
          values[hi] = fR;
        }
      } else if (fR < (values[secondHi] as number)) {
        simplex[hi] = reflected;
        values[hi] = fR;
      } else {
        const outside = fR < fHi;
        const contracted = along(outside ? 0.5 : -0.5);
        const fC = fx(contracted);
        if (fC < (outside ? fR : fHi)) {
          simplex[hi] = contracted;
          values[hi] = fC;
        } else {
          for (const i of order) {
            if (i === lo) continue;
            const p = simplex[i] as number[];
            const shrunk = p.map((v, d) => (loPoint[d] as number) + 0.5 * (v - (loPoint[d] as number)));
            simplex[i] = shrunk;
            values[i] = fx(shrunk);
          }
        }
      }
    }
    let idx = 0;
    for (let i = 1; i <= n; i++) if ((values[i] as number) < (values[idx] as number)) idx = i;
    const improvement = bestValue - (values[idx] as number);
    if ((values[idx] as number) <= bestValue) {
      best = (simplex[idx] as number[]).slice();
      bestValue = values[idx] as number;
    }
    // A restart that no longer moves the optimum confirms convergence; stop early.
    if (converged && round > 0 && improvement <= fTol) break;
  }
  return { x: best, value: bestValue, converged: converged && Number.isFinite(bestValue), evaluations };
}
