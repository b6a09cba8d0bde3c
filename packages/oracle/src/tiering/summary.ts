import type { StorageRecommendation, TieringSummary } from './types';

/** Empty running totals. */
export function emptySummary(): TieringSummary {
  return { objects: 0, bytes: 0, monthlySavings: 0, byTargetClass: {} };
}

/** Folds one recommendation into running totals (mutates `summary`; O(classes) memory overall). */
export function addToSummary(summary: TieringSummary, r: StorageRecommendation, sizeBytes: number, ageDays: number): void {
  summary.objects += 1;
  summary.bytes += sizeBytes;
  summary.monthlySavings += r.monthlySavings;
  let totals = summary.byTargetClass[r.storageClass];
  if (totals === undefined) {
    totals = { objects: 0, bytes: 0, monthlySavings: 0, moved: 0, minMovedAgeDays: null };
    summary.byTargetClass[r.storageClass] = totals;
  }
  totals.objects += 1;
  totals.bytes += sizeBytes;
  totals.monthlySavings += r.monthlySavings;
  if (r.storageClass !== r.currentClass) {
    totals.moved += 1;
    if (totals.minMovedAgeDays === null || ageDays < totals.minMovedAgeDays) totals.minMovedAgeDays = ageDays;
  }
}

/** Deep copy, so a snapshot handed out is not changed by later objects. */
export function copySummary(s: TieringSummary): TieringSummary {
  const byTargetClass: TieringSummary['byTargetClass'] = {};
  for (const [k, v] of Object.entries(s.byTargetClass)) byTargetClass[k] = { ...v };
  return { objects: s.objects, bytes: s.bytes, monthlySavings: s.monthlySavings, byTargetClass };
}
