/**
 * KNN-CAD, the k-nearest-neighbour conformal anomaly detector of Burnaev & Ishimtsev ("Conformalized
 * density- and distance-based anomaly detection in time-series data", arXiv:1608.04585), as run in
 * the Numenta Anomaly Benchmark (numenta/NAB, nab/detectors/knncad) with the Euclidean metric.
 *
 * Same output as a direct transcription, at O(train) simple operations per point instead of
 * O(train · dim) plus a sort: distances to the sliding training vectors are kept per lag and
 * updated in O(1) each, the k smallest are collected in the same pass, and the calibration scores
 * are kept sorted so the conformal rank is a binary search.
 */

/** Conformal rank at which KNN-CAD alarms; an alarm then mutes it for `restFraction` of the probation. */
export const KNN_ALARM = 0.9965;
/** Lag-vector length (NAB's KNN-CAD setting). */
export const KNN_DIM = 19;
/** Neighbours summed into the non-conformity score (NAB's KNN-CAD setting). */
export const KNN_NEIGHBOURS = 27;
/** Fraction of the probation (training + dim points) muted after an alarm (NAB: one fifth). */
export const KNN_REST = 0.2;
// Incremental distances are recomputed exactly this often so rounding cannot accumulate.
const EXACT_EVERY = 1024;
// Values are saturated here so squared distances of 19-point vectors, summed over 27 neighbours, stay finite.
const SATURATE = 1e150;

/** Points KNN-CAD needs before its first score: `train + dim − 1`. */
export function knnWarmUp(train: number, dim: number = KNN_DIM): number {
  return train + dim - 1;
}

/**
 * Online KNN-CAD conformal ranks in [0, 1], one per value: 0 until trained, `muted` (default 0, as
 * in NAB) while resting after an alarm.
 *
 * Non-conformity of point i: the sum of squared Euclidean distances from the lag vector ending at i
 * (`dim` values) to its `k` nearest training vectors. Its rank is the fraction of the last `train`
 * non-conformity scores strictly below it (ties within rounding count as equal, so a flat stretch
 * never looks anomalous). As in NAB, the first `train + dim` points only fill the training set
 * (whose own leave-one-out scores seed the calibration set); afterwards the training set slides one
 * step per point, `train + dim` points behind the current one, and an alarm (rank ≥ 0.9965) mutes the
 * output for `restFraction · (train + dim)` points.
 */
export function knnCadRanks(
  input: ArrayLike<number>,
  train: number,
  stride = 1,
  dim: number = KNN_DIM,
  k: number = KNN_NEIGHBOURS,
  restFraction: number = KNN_REST,
  muted = 0,
): Float64Array {
  const n = input.length;
  const out = new Float64Array(n);
  const probation = train + dim;
  if (n < probation) return out;
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = input[i] as number;
    values[i] = x > SATURATE ? SATURATE : x < -SATURATE ? -SATURATE : x;
  }
  const rest = Math.floor(restFraction * probation);
  // Reference vectors: every `stride`-th of the training span (all of it at stride 1).
  const refs = Math.ceil(train / stride);
  const dist = new Float64Array(refs);
  const m = Math.min(refs, k);
  const best = new Float64Array(m + 1);
  const bestIdx = new Int32Array(m + 1);
  // Lags whose updated distance may be among the m smallest (see the sliding step).
  const candidates = new Int32Array(refs);
  const calib = new Float64Array(train);
  const sorted = new Float64Array(train);
  let calibPos = 0;
  let pred = 0;
  let steadySince = -1;
  let scale = 0;
  const sq = (i: number, j: number): number => {
    let s = 0;
    for (let q = 0; q < dim; q++) {
      const t = (values[i - q] as number) - (values[j - q] as number);
      s += t * t;
    }
    return s;
  };
  // Offers dist[q] to the ascending prefix best[0 … count) of the smallest distances seen so far
  // (their lags kept in `bestIdx`), of which `filled` are set; returns the new `filled`.
  const keepSmallest = (q: number, filled: number, count: number): number => {
    const x = dist[q] as number;
    if (filled < count || x < (best[count - 1] as number)) {
      let p = filled < count ? filled++ : count - 1;
      while (p > 0 && (best[p - 1] as number) > x) {
        best[p] = best[p - 1] as number;
        bestIdx[p] = bestIdx[p - 1] as number;
        p--;
      }
      best[p] = x;
      bestIdx[p] = q;
    }
    return filled;
  };
  // Sum of best[0 … count), in ascending order.
  const bestSum = (count: number): number => {
    let s = 0;
    for (let j = 0; j < count; j++) s += best[j] as number;
    return s;
  };
  // Sum of the `count` smallest of dist[0 … refs), in ascending order.
  const smallestSum = (count: number): number => {
    let filled = 0;
    for (let j = 0; j < refs; j++) filled = keepSmallest(j, filled, count);
    return bestSum(count);
  };
  // First index of `sorted` whose value is >= x.
  const lowerBound = (x: number): number => {
    let lo = 0;
    let hi = train;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((sorted[mid] as number) < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  for (let i = 0; i < probation - 1; i++) scale += (Math.abs(values[i] as number) - scale) / (i + 1);
  for (let i = probation - 1; i < n; i++) {
    const x = values[i] as number;
    scale += (Math.abs(x) - scale) / probation;
    if (i === probation - 1) {
      // The calibration scores start as the training vectors' own, each without itself (distance 0).
      for (let a = 0; a < train; a++) {
        for (let b = 0; b < refs; b++) dist[b] = sq(dim - 1 + a, dim - 1 + b * stride);
        calib[a] = smallestSum(Math.min(refs, a % stride === 0 ? m + 1 : m));
      }
      sorted.set(calib);
      sorted.sort();
    }
    let fused = -1;
    if (i - probation - train + 1 <= dim - 1) {
      // Until the sliding set is made of complete lag vectors, the first training set stays.
      for (let b = 0; b < refs; b++) dist[b] = sq(i, dim - 1 + b * stride);
    } else if (steadySince < 0 || (i - steadySince) % EXACT_EVERY === 0) {
      if (steadySince < 0) steadySince = i;
      for (let q = 0; q < refs; q++) dist[q] = sq(i, i - probation - q * stride);
    } else {
      // dist[q] is the distance at lag probation + q·stride: slide both vectors one step in O(1).
      // The last step's m nearest lags, updated first, bound the m-th smallest distance from
      // above, so only lags at or under that bound can be among the m nearest: they are
      // collected in the same pass and the m smallest picked from them (usually about m).
      const xo = values[i - dim] as number;
      const top = i - probation;
      let cut = 0;
      for (let t = 0; t < m; t++) {
        const j = top - (bestIdx[t] as number) * stride;
        const a = x - (values[j] as number);
        const b = xo - (values[j - dim] as number);
        const s = (dist[bestIdx[t] as number] as number) + a * a - b * b;
        // Same expression and clamp as the pass below, so each bound is exactly a distance it stores.
        if (s > cut) cut = s;
      }
      let count = 0;
      let j = top;
      for (let q = 0; q < refs; q++, j -= stride) {
        const a = x - (values[j] as number);
        const b = xo - (values[j - dim] as number);
        let s = (dist[q] as number) + a * a - b * b;
        if (!(s > 0)) s = 0;
        dist[q] = s;
        if (s <= cut) candidates[count++] = q;
      }
      let filled = 0;
      for (let c = 0; c < count; c++) filled = keepSmallest(candidates[c] as number, filled, m);
      fused = bestSum(m);
    }
    const score = fused >= 0 ? fused : smallestSum(m);
    const eps = 1e-9 * score + 1e-21 * dim * k * scale * scale;
    const r = lowerBound(score - eps) / train;
    // Replace the oldest calibration score by this one, keeping `sorted` sorted.
    const old = calib[calibPos] as number;
    calib[calibPos] = score;
    calibPos = calibPos + 1 === train ? 0 : calibPos + 1;
    const from = lowerBound(old);
    const to = lowerBound(score);
    if (to > from + 1) {
      sorted.copyWithin(from, from + 1, to);
      sorted[to - 1] = score;
    } else if (to < from) {
      sorted.copyWithin(to + 1, to, from);
      sorted[to] = score;
    } else sorted[from] = score;
    if (pred > 0) {
      pred--;
      out[i] = muted;
      continue;
    }
    if (r >= KNN_ALARM) pred = rest;
    out[i] = r;
  }
  return out;
}
