/**
 * Leave-one-series-out cross-validation of an anomaly detector's settings on NAB-labelled series.
 *
 * For each series in turn, the setting (detector options and detection threshold) that maximises
 * the NAB score of the *other* series is chosen — options from a fixed candidate list, the
 * threshold by NAB's exact sweep — and the held-out series is scored with it. The held-out raw
 * scores are summed over folds and normalised with the bounds of the whole corpus, exactly as NAB
 * normalises one corpus, so the result is comparable with an in-sample score but never saw the
 * series it is measured on. In-sample numbers (settings chosen on all series) are reported only
 * for reference.
 */
import { type NabCostMatrix, NAB_STANDARD, type NabFile, type NabWindow, nabBounds, optimizeNabThreshold, scoreNabFile } from './nab-score';

/** One labelled series. */
export interface LabelledSeries {
  readonly name: string;
  readonly values: readonly number[];
  readonly windows: readonly NabWindow[];
}

/** One fold's choice and its held-out result. */
export interface CrossValidationFold {
  readonly heldOut: string;
  /** Index into the candidate list. */
  readonly candidate: number;
  readonly threshold: number;
  /** Training score (normalised over the other series). */
  readonly trainingScore: number;
  /** Raw NAB score of the held-out series at the chosen setting. */
  readonly heldOutRaw: number;
}

/** Result of {@link crossValidate}. */
export interface CrossValidation {
  /** Normalised NAB score of the held-out predictions, 100 = perfect, 0 = null detector. */
  readonly score: number;
  readonly folds: readonly CrossValidationFold[];
  /** The setting chosen on all series, and its (optimistic) in-sample score. */
  readonly inSample: { readonly candidate: number; readonly threshold: number; readonly score: number };
}

function choose(files: readonly NabFile[][], include: (i: number) => boolean, cost: NabCostMatrix): { candidate: number; threshold: number; score: number } {
  let best = { candidate: 0, threshold: Number.POSITIVE_INFINITY, score: Number.NEGATIVE_INFINITY };
  files.forEach((perSeries, candidate) => {
    const training = perSeries.filter((_, i) => include(i));
    const found = optimizeNabThreshold(training, cost);
    if (found.score > best.score) best = { candidate, threshold: found.threshold, score: found.score };
  });
  return best;
}

/**
 * Cross-validates `scores(series, candidate)` over `candidates` by leaving one series out at a
 * time. `scores` must be online (score i may depend only on values 0…i) for the result to mean
 * what a NAB score means.
 */
export function crossValidate<C>(
  series: readonly LabelledSeries[],
  candidates: readonly C[],
  scores: (values: readonly number[], candidate: C) => ArrayLike<number>,
  cost: NabCostMatrix = NAB_STANDARD,
): CrossValidation {
  // files[c][s]: series s scored with candidate c, computed once.
  const files: NabFile[][] = candidates.map((c) => series.map((s) => ({ scores: Array.from(scores(s.values, c)), windows: s.windows })));
  const folds: CrossValidationFold[] = series.map((s, heldOut) => {
    const chosen = choose(files, (i) => i !== heldOut, cost);
    const file = (files[chosen.candidate] as NabFile[])[heldOut] as NabFile;
    return { heldOut: s.name, candidate: chosen.candidate, threshold: chosen.threshold, trainingScore: chosen.score, heldOutRaw: scoreNabFile(file, chosen.threshold, cost).score };
  });
  const bounds = nabBounds(files[0] as NabFile[], cost);
  const raw = folds.reduce((sum, f) => sum + f.heldOutRaw, 0);
  const inSample = choose(files, () => true, cost);
  return { score: (100 * (raw - bounds.null)) / (bounds.perfect - bounds.null), folds, inSample };
}
