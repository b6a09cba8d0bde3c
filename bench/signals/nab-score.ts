/**
 * Numenta Anomaly Benchmark (NAB) scoring, as pure functions: Lavin & Ahmad, "Evaluating
 * Real-time Anomaly Detection Algorithms – the Numenta Anomaly Benchmark" (ICMLA 2015), following
 * the current reference implementation (`nab/sweeper.py`, v1.1):
 *
 * - The first `min(floor(0.15·n), 0.15·5000)` rows of a file are probationary and ignored.
 * - A detection is a row whose anomaly score is `>= threshold`.
 * - Each labelled window scores the best (= earliest) detection inside it,
 *   `A_TP · σ_s(−(end − i + 1)/width) / σ_s(−1)`, with the scaled sigmoid
 *   `σ_s(y) = 2/(1 + e^{5y}) − 1` (`−1` for y ≥ 3); a window without detections costs `−A_FN`.
 * - A detection outside every window costs `A_FP · σ_s(|i − prevEnd|/(prevWidth − 1))` measured
 *   from the end of the preceding window (so alarms just after a window are cheap), or `−A_FP`
 *   when no window precedes it.
 * - Scores are summed over files and normalised: `100·(raw − null)/(perfect − null)`, where the
 *   null detector never fires and the perfect one fires at the first row of every window.
 */

/** Profile weights, as in NAB's `config/profiles.json`. */
export interface NabCostMatrix {
  readonly tpWeight: number;
  readonly fpWeight: number;
  readonly fnWeight: number;
}

/** A labelled window as inclusive row indices. */
export interface NabWindow {
  readonly start: number;
  readonly end: number;
}

/** One data file prepared for scoring. */
export interface NabFile {
  /** One anomaly score per row (any monotone scale; compared with the threshold). */
  readonly scores: readonly number[];
  /** Labelled windows, sorted, non-overlapping, inclusive row indices. */
  readonly windows: readonly NabWindow[];
}

/** Raw score of one file with counts of detections by kind. */
export interface NabFileScore {
  readonly score: number;
  /** Windows with at least one detection. */
  readonly detectedWindows: number;
  /** Scorable windows without a detection. */
  readonly missedWindows: number;
  /** Detection rows outside every window (after probation). */
  readonly falsePositives: number;
}

/** NAB's standard profile. */
export const NAB_STANDARD: NabCostMatrix = { tpWeight: 1, fpWeight: 0.11, fnWeight: 1 };

/** NAB's scaled sigmoid `2/(1 + e^{5y}) − 1`, with −1 from y ≥ 3 (sweeper.py). */
export function scaledSigmoid(y: number): number {
  if (y >= 3) return -1;
  return 2 / (1 + Math.exp(5 * y)) - 1;
}

/** Rows ignored at the start of a file: `min(floor(0.15·n), 0.15·5000)`. */
export function probationaryLength(rows: number): number {
  return Math.min(Math.floor(0.15 * rows), 0.15 * 5000);
}

/**
 * Weight each row would earn if it were a detection (NAB's "sweep score") and the window it
 * falls in (`-1` outside windows and for probationary rows, which are marked `scorable: false`).
 */
function sweepRows(rows: number, windows: readonly NabWindow[], cost: NabCostMatrix): { weight: Float64Array; window: Int32Array; scorable: Uint8Array } {
  const weight = new Float64Array(rows);
  const window = new Int32Array(rows).fill(-1);
  const scorable = new Uint8Array(rows);
  const maxTp = scaledSigmoid(-1);
  const probation = probationaryLength(rows);
  let w = 0;
  let prevEnd = -1;
  let prevWidth = 0;
  for (let i = 0; i < rows; i++) {
    const cur = windows[w];
    const inside = cur !== undefined && i >= cur.start && i <= cur.end;
    if (inside) {
      const width = cur.end - cur.start + 1;
      weight[i] = (scaledSigmoid(-(cur.end - i + 1) / width) * cost.tpWeight) / maxTp;
      window[i] = w;
    } else {
      const position = prevEnd < 0 ? 3 : Math.abs(prevEnd - i) / (prevWidth - 1);
      weight[i] = scaledSigmoid(position) * cost.fpWeight;
    }
    scorable[i] = i >= probation ? 1 : 0;
    if (inside && i === cur.end) {
      prevEnd = i;
      prevWidth = cur.end - cur.start + 1;
      w++;
    }
  }
  return { weight, window, scorable };
}

/** Raw NAB score of one file at a threshold (detections are rows with score >= threshold). */
export function scoreNabFile(file: NabFile, threshold: number, cost: NabCostMatrix = NAB_STANDARD): NabFileScore {
  const rows = file.scores.length;
  const { weight, window, scorable } = sweepRows(rows, file.windows, cost);
  const best = file.windows.map((win) => (win.end >= probationaryLength(rows) ? -cost.fnWeight : 0));
  const hit = file.windows.map(() => false);
  let fp = 0;
  let falsePositives = 0;
  for (let i = 0; i < rows; i++) {
    if (!scorable[i] || !((file.scores[i] as number) >= threshold)) continue;
    const w = window[i] as number;
    if (w < 0) {
      fp += weight[i] as number;
      falsePositives++;
    } else {
      hit[w] = true;
      best[w] = Math.max(best[w] as number, weight[i] as number);
    }
  }
  const scorableWindows = file.windows.filter((win) => win.end >= probationaryLength(rows)).length;
  const detectedWindows = hit.filter(Boolean).length;
  return {
    score: best.reduce((a, b) => a + b, 0) + fp,
    detectedWindows,
    missedWindows: scorableWindows - detectedWindows,
    falsePositives,
  };
}

/** Raw scores of the null (never fires) and perfect (fires at each window's first row) detectors. */
export function nabBounds(files: readonly NabFile[], cost: NabCostMatrix = NAB_STANDARD): { null: number; perfect: number } {
  let nul = 0;
  let perfect = 0;
  for (const file of files) {
    const rows = file.scores.length;
    const never = new Array<number>(rows).fill(0);
    nul += scoreNabFile({ scores: never, windows: file.windows }, 1, cost).score;
    const ideal = never.slice();
    const probation = probationaryLength(rows);
    for (const w of file.windows) if (w.end >= probation) ideal[Math.max(w.start, Math.ceil(probation))] = 1;
    perfect += scoreNabFile({ scores: ideal, windows: file.windows }, 1, cost).score;
  }
  return { null: nul, perfect };
}

/** Normalised NAB score of a corpus at one threshold: `100·(raw − null)/(perfect − null)`. */
export function nabScore(files: readonly NabFile[], threshold: number, cost: NabCostMatrix = NAB_STANDARD): { score: number; raw: number; files: NabFileScore[] } {
  const perFile = files.map((f) => scoreNabFile(f, threshold, cost));
  const raw = perFile.reduce((a, f) => a + f.score, 0);
  const bounds = nabBounds(files, cost);
  return { score: (100 * (raw - bounds.null)) / (bounds.perfect - bounds.null), raw, files: perFile };
}

/**
 * The threshold maximising the corpus score, found like NAB's optimiser but exactly: rows of all
 * files are swept from the highest score down, updating the raw score incrementally, so every
 * distinct score value is a candidate threshold (O(N log N)).
 */
export function optimizeNabThreshold(files: readonly NabFile[], cost: NabCostMatrix = NAB_STANDARD): { threshold: number; score: number } {
  const points: { score: number; weight: number; window: number }[] = [];
  let raw = 0;
  const best: number[] = [];
  for (const file of files) {
    const rows = file.scores.length;
    const sweep = sweepRows(rows, file.windows, cost);
    const offset = best.length;
    for (const w of file.windows) {
      const initial = w.end >= probationaryLength(rows) ? -cost.fnWeight : 0;
      best.push(initial);
      raw += initial;
    }
    for (let i = 0; i < rows; i++) {
      if (!sweep.scorable[i]) continue;
      const w = sweep.window[i] as number;
      points.push({ score: file.scores[i] as number, weight: sweep.weight[i] as number, window: w < 0 ? -1 : offset + w });
    }
  }
  points.sort((a, b) => b.score - a.score);
  const bounds = nabBounds(files, cost);
  const normalise = (r: number): number => (100 * (r - bounds.null)) / (bounds.perfect - bounds.null);
  let bestRaw = raw;
  let bestThreshold = Number.POSITIVE_INFINITY;
  for (let k = 0; k < points.length; k++) {
    const p = points[k] as (typeof points)[number];
    if (p.window < 0) raw += p.weight;
    else if (p.weight > (best[p.window] as number)) {
      raw += p.weight - (best[p.window] as number);
      best[p.window] = p.weight;
    }
    const next = points[k + 1];
    if ((next === undefined || next.score !== p.score) && raw > bestRaw) {
      bestRaw = raw;
      bestThreshold = p.score;
    }
  }
  return { threshold: bestThreshold, score: normalise(bestRaw) };
}
