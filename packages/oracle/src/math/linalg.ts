/**
 * Solves A·x = b by Gaussian elimination with partial pivoting (Golub & Van Loan, Alg. 3.4.1).
 * Used for the small Newton systems of logistic regression; copies its inputs. Returns
 * `undefined` when A is numerically singular so the caller can damp or stop.
 */
export function solveLinear(a: readonly (readonly number[])[], b: readonly number[]): number[] | undefined {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i] as number]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) {
      if (Math.abs((m[r] as number[])[col] as number) > Math.abs((m[pivot] as number[])[col] as number)) pivot = r;
    }
    const pr = m[pivot] as number[];
    const pv = pr[col] as number;
    if (!(Math.abs(pv) > 1e-300)) return undefined;
    if (pivot !== col) {
      m[pivot] = m[col] as number[];
      m[col] = pr;
    }
    for (let r = col + 1; r < n; r++) {
      const row = m[r] as number[];
      const factor = (row[col] as number) / pv;
      if (factor === 0) continue;
      for (let k = col; k <= n; k++) row[k] = (row[k] as number) - factor * (pr[k] as number);
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    const row = m[r] as number[];
    let s = row[n] as number;
    for (let k = r + 1; k < n; k++) s -= (row[k] as number) * (x[k] as number);
    x[r] = s / (row[r] as number);
  }
  return x.every(Number.isFinite) ? x : undefined;
}
