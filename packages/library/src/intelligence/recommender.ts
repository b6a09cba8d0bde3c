import { ValidationError } from '@almanac/core';
import { recommendStorageClasses, type StorageObject, type StorageRecommendation, type TieringOptions } from '@almanac/oracle';

/**
 * A per-object recommender with the price table compiled once. `recommendStorageClass` compiles
 * the table on every call (about 20 µs, more than the scan's own work per small object), so this
 * drives oracle's streaming recommender one object at a time instead: each call puts the object
 * in a one-slot source and pulls one result. The slot is filled before every pull and oracle's
 * sync-source path reads it synchronously, so concurrent callers cannot see each other's object.
 */
export function createRecommender(options: TieringOptions): (object: StorageObject) => Promise<StorageRecommendation> {
  let slot: StorageObject | undefined;
  const source: Iterable<StorageObject> = {
    [Symbol.iterator]: () => ({
      next: (): IteratorResult<StorageObject, undefined> => {
        const value = slot;
        slot = undefined;
        return value === undefined ? { done: true, value: undefined } : { done: false, value };
      },
    }),
  };
  const results = recommendStorageClasses(source, options)[Symbol.asyncIterator]();
  return async (object) => {
    slot = object;
    const next = await results.next();
    if (next.done === true) throw new ValidationError('Tiering recommender closed', [{ path: 'object', message: 'no recommendation produced' }]);
    const r = next.value;
    // Copy field by field: the streaming result also carries the input object, which results must not expose.
    return {
      storageClass: r.storageClass,
      currentClass: r.currentClass,
      currentMonthlyCost: r.currentMonthlyCost,
      recommendedMonthlyCost: r.recommendedMonthlyCost,
      monthlySavings: r.monthlySavings,
      transitionCost: r.transitionCost,
      breakEvenMonths: r.breakEvenMonths,
      reason: r.reason,
    };
  };
}
