import { OracleRangeError, OracleTypeError } from '../errors';
import { log1pExp, solveLinear } from '../math';
import { array, finiteNumber, object } from '../validate';
import { checkThresholds, type ChurnThresholds, DEFAULT_CHURN_THRESHOLDS } from './thresholds';

/** One labelled training example for {@link trainChurnModel}. */
export interface ChurnTrainingRow {
  /** Numeric features; every row must have the same keys. */
  features: Record<string, number>;
  /** Whether the customer churned. */
  churned: boolean;
}

/** Options of {@link trainChurnModel}. */
export interface ChurnTrainingOptions {
  /** Ridge penalty λ ≥ 0: the fit minimises −ln L + (λ/2)‖β‖² over the standardised coefficients (not the intercept). */
  l2: number;
  /** Newton iteration cap (default 100); the fit stops earlier once steps are below 1e-10. */
  maxIterations?: number | undefined;
  /** Category thresholds stored in the model (default {@link DEFAULT_CHURN_THRESHOLDS}). */
  thresholds?: ChurnThresholds | undefined;
}

/**
 * A logistic-regression churn model on standardised features: P(churn) = σ(β₀ + Σ βⱼ zⱼ),
 * zⱼ = (xⱼ − meanⱼ)/scaleⱼ. Plain data (JSON-serialisable), scored by `scoreChurn`.
 */
export interface LogisticChurnModel {
  /** Discriminant. */
  kind: 'logistic';
  /** Feature names, sorted. */
  features: string[];
  /** Training mean of each feature. */
  means: number[];
  /** Training standard deviation of each feature (1 for constant features). */
  scales: number[];
  /** Coefficient of each standardised feature (log-odds per standard deviation). */
  coefficients: number[];
  /** Log-odds of churn for an average customer. */
  intercept: number;
  /** Probability cut-offs of the risk categories. */
  thresholds: ChurnThresholds;
  /** Newton iterations used. */
  iterations: number;
  /** Whether the Newton steps converged within `maxIterations`. */
  converged: boolean;
}

// Penalised negative log-likelihood Σ[ln(1+e^η) − yη] + (λ/2)Σ_{j≥1} βⱼ².
function objective(beta: readonly number[], z: readonly Float64Array[], y: Uint8Array, l2: number): number {
  let f = 0;
  for (let i = 0; i < y.length; i++) {
    const row = z[i] as Float64Array;
    let eta = beta[0] as number;
    for (let j = 0; j < row.length; j++) eta += (beta[j + 1] as number) * (row[j] as number);
    f += log1pExp(eta) - (y[i] as number) * eta;
  }
  for (let j = 1; j < beta.length; j++) f += 0.5 * l2 * (beta[j] as number) ** 2;
  return f;
}

/**
 * Trains an explainable churn model: L2-regularised logistic regression on standardised
 * features, fitted by Newton–Raphson / IRLS (McCullagh & Nelder 1989, §4.4; ridge as in
 * le Cessie & van Houwelingen 1992) with step halving, so it is deterministic and needs no
 * learning rate. Standardisation makes the coefficients comparable, which is what the
 * per-feature impacts of `scoreChurn` rely on. A tiny fixed jitter keeps the Newton system
 * solvable when `l2` is 0 and a feature is constant.
 */
export function trainChurnModel(rows: readonly ChurnTrainingRow[], options: ChurnTrainingOptions): LogisticChurnModel {
  const list = array('rows', rows);
  if (list.length === 0) throw new OracleRangeError('rows', 'expected at least one row');
  const opts = object('options', options);
  const l2 = finiteNumber('options.l2', opts['l2'], { min: 0 });
  const maxIterations =
    opts['maxIterations'] === undefined ? 100 : finiteNumber('options.maxIterations', opts['maxIterations'], { min: 1, integer: true });
  const thresholds = opts['thresholds'] === undefined ? { ...DEFAULT_CHURN_THRESHOLDS } : checkThresholds('options.thresholds', opts['thresholds']);

  const first = object('rows[0].features', object('rows[0]', list[0])['features']);
  const features = Object.keys(first).sort();
  const d = features.length;
  const n = list.length;
  const raw: Float64Array[] = [];
  const y = new Uint8Array(n);
  list.forEach((r, i) => {
    const row = object(`rows[${i}]`, r);
    const f = object(`rows[${i}].features`, row['features']);
    for (const key of Object.keys(f)) {
      if (!(key in first)) throw new OracleRangeError(`rows[${i}].features.${key}`, 'not present in rows[0]; every row needs the same features');
    }
    raw.push(Float64Array.from(features, (key) => finiteNumber(`rows[${i}].features.${key}`, f[key])));
    if (typeof row['churned'] !== 'boolean') throw new OracleTypeError(`rows[${i}].churned`, 'expected a boolean');
    y[i] = row['churned'] ? 1 : 0;
  });
  const positives = y.reduce((s, v) => s + v, 0);
  if (positives === 0 || positives === n) throw new OracleRangeError('rows', 'needs at least one churned and one retained row');

  const means = features.map((_, j) => raw.reduce((s, r) => s + (r[j] as number), 0) / n);
  const scales = features.map((_, j) => {
    const m = means[j] as number;
    const sd = Math.sqrt(raw.reduce((s, r) => s + ((r[j] as number) - m) ** 2, 0) / n);
    return sd > 0 ? sd : 1;
  });
  const z = raw.map((r) => Float64Array.from(r, (v, j) => (v - (means[j] as number)) / (scales[j] as number)));

  const rate = positives / n;
  let beta = [Math.log(rate / (1 - rate)), ...new Array<number>(d).fill(0)];
  let current = objective(beta, z, y, l2);
  let converged = false;
  let iterations = 0;
  const k = d + 1;
  while (iterations < maxIterations) {
    iterations++;
    const grad = new Array<number>(k).fill(0);
    const hess = Array.from({ length: k }, () => new Array<number>(k).fill(0));
    for (let i = 0; i < n; i++) {
      const row = z[i] as Float64Array;
      let eta = beta[0] as number;
      for (let j = 0; j < d; j++) eta += (beta[j + 1] as number) * (row[j] as number);
      const p = 1 / (1 + Math.exp(-eta));
      const w = p * (1 - p);
      const resid = p - (y[i] as number);
      for (let a = 0; a < k; a++) {
        const xa = a === 0 ? 1 : (row[a - 1] as number);
        grad[a] = (grad[a] as number) + resid * xa;
        const ha = hess[a] as number[];
        for (let b = 0; b <= a; b++) ha[b] = (ha[b] as number) + w * xa * (b === 0 ? 1 : (row[b - 1] as number));
      }
    }
    for (let a = 0; a < k; a++) {
      const ha = hess[a] as number[];
      for (let b = 0; b < a; b++) (hess[b] as number[])[a] = ha[b] as number;
      ha[a] = (ha[a] as number) + 1e-9 * n + (a > 0 ? l2 : 0);
      if (a > 0) grad[a] = (grad[a] as number) + l2 * (beta[a] as number);
    }
    const step = solveLinear(hess, grad);
    if (!step) break;
    // Step halving keeps every iterate an improvement (separable data would otherwise oscillate).
    let scale = 1;
    let next = beta;
    let value = current;
    for (let h = 0; h < 30; h++, scale /= 2) {
      const candidate = beta.map((b, a) => b - scale * (step[a] as number));
      const v = objective(candidate, z, y, l2);
      if (v <= current) {
        next = candidate;
        value = v;
        break;
      }
    }
    const moved = Math.max(...step.map((s) => Math.abs(s * scale)));
    beta = next;
    const improvement = current - value;
    current = value;
    if (moved < 1e-10 || improvement <= 1e-14 * (1 + Math.abs(current))) {
      converged = true;
      break;
    }
  }
  return {
    kind: 'logistic',
    features,
    means,
    scales,
    coefficients: beta.slice(1),
    intercept: beta[0] as number,
    thresholds,
    iterations,
    converged,
  };
}
