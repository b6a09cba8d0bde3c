import { compileTiering, evaluateObject } from './cost-model';
import type { StorageObject, StorageRecommendation, TieringOptions } from './types';

/**
 * Recommends the storage class that minimises expected total cost over `horizonMonths`
 * (storage + reads + retrieval + monitoring, plus the one-time cost of moving: transition request,
 * retrieval when moving warmer, early deletion of the current class, and the new class's
 * minimum-duration shortfall). Staying put wins ties.
 *
 * Access rule: missing access data is never read as "never accessed". With `readsPerMonth` or
 * `bytesReadPerMonth` the cost model decides. With only `daysSinceLastAccess = d`, reads are
 * estimated at one per `max(d, 1)` days, and classes with retrieval fees, minimum durations or
 * offline reads become eligible only when `d` is at least 30 and at least that class's minimum
 * duration. With neither, only such fee-free classes are considered and reads are not costed.
 *
 * @throws OracleRangeError / OracleTypeError naming the bad field (`object.sizeBytes`,
 *   `object.currentClass`, `options.provider`, …).
 */
export function recommendStorageClass(object: StorageObject, options: TieringOptions): StorageRecommendation {
  return evaluateObject(compileTiering(options), object, 'object');
}
