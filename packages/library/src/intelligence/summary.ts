import { CLASSIFICATION_PRECEDENCE, type Classification } from '@almanac/oracle';
import type { ScanResult, ScanSummary } from './types';

function perClassification(): Record<Classification, number> {
  const out = {} as Record<Classification, number>;
  for (const c of CLASSIFICATION_PRECEDENCE) out[c] = 0;
  return out;
}

/** A zeroed summary; its size depends on the label, class and reason sets, never on object count. */
export function emptyScanSummary(currency: string): ScanSummary {
  return {
    objects: 0,
    bytes: 0,
    objectsByClassification: perClassification(),
    bytesByClassification: perClassification(),
    sampled: 0,
    notSampled: 0,
    notSampledByReason: {},
    monthlySavings: 0,
    savingsByTargetClass: {},
    tieringSkipped: 0,
    currency,
    securityFindingsBySeverity: { info: 0, low: 0, medium: 0, high: 0 },
    complianceByStatus: {},
  };
}

/** Folds one result into the running totals. */
export function addToScanSummary(s: ScanSummary, r: ScanResult): void {
  s.objects += 1;
  s.bytes += r.size;
  s.objectsByClassification[r.classification] += 1;
  s.bytesByClassification[r.classification] += r.size;
  if (r.sampled) s.sampled += 1;
  else {
    s.notSampled += 1;
    if (r.sampleSkipped !== undefined) s.notSampledByReason[r.sampleSkipped] = (s.notSampledByReason[r.sampleSkipped] ?? 0) + 1;
  }
  const t = r.tiering;
  if (t === null) s.tieringSkipped += 1;
  else if (t.storageClass !== t.currentClass) {
    s.monthlySavings += t.monthlySavings;
    let totals = s.savingsByTargetClass[t.storageClass];
    if (totals === undefined) {
      totals = { objects: 0, bytes: 0, monthlySavings: 0 };
      s.savingsByTargetClass[t.storageClass] = totals;
    }
    totals.objects += 1;
    totals.bytes += r.size;
    totals.monthlySavings += t.monthlySavings;
  }
  for (const f of r.securityFindings) s.securityFindingsBySeverity[f.severity] += 1;
  if (r.compliance !== null) s.complianceByStatus[r.compliance.status] = (s.complianceByStatus[r.compliance.status] ?? 0) + 1;
}

/** A deep copy, so callers cannot change the running totals. */
export function copyScanSummary(s: ScanSummary): ScanSummary {
  const byTarget: ScanSummary['savingsByTargetClass'] = {};
  for (const [k, v] of Object.entries(s.savingsByTargetClass)) byTarget[k] = { ...v };
  return {
    ...s,
    objectsByClassification: { ...s.objectsByClassification },
    bytesByClassification: { ...s.bytesByClassification },
    notSampledByReason: { ...s.notSampledByReason },
    savingsByTargetClass: byTarget,
    securityFindingsBySeverity: { ...s.securityFindingsBySeverity },
    complianceByStatus: { ...s.complianceByStatus },
  };
}
