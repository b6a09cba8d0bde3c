import { parse } from '@almanac/core';
import { applyTieringOptionsSchema } from './options';
import type { IntelligenceStorage } from './types';

/** The part of a recommendation {@link applyTiering} acts on. */
export interface TieringTarget {
  /** Recommended class. */
  readonly storageClass: string;
  /** Monthly savings of moving there. */
  readonly monthlySavings: number;
  /** Class the recommendation was computed from; stands in when the item's `storageClass` is absent. */
  readonly currentClass?: string | undefined;
}

/** One recommendation to act on; a {@link ScanResult} is one. */
export interface TieringItem {
  /** Object key. */
  readonly key: string;
  /** Class the object is in now (absent: the provider's default class). */
  readonly storageClass: string | undefined;
  /** The recommendation, or `null` when there is none. */
  readonly tiering: TieringTarget | null;
}

/** An object moved (or, in a dry run, that would be). */
export interface TieringChange {
  /** Object key. */
  readonly key: string;
  /** Class before. */
  readonly from: string | undefined;
  /** Class after. */
  readonly to: string;
  /** Monthly savings of the move. */
  readonly monthlySavings: number;
}

/** An object left alone. */
export interface TieringSkip {
  /** Object key. */
  readonly key: string;
  /** Why, for programs. */
  readonly code: TieringSkipCode;
  /** Why, for people. */
  readonly reason: string;
}

/** An object whose class change failed. */
export interface TieringFailure {
  /** Object key. */
  readonly key: string;
  /** Class it was to move to. */
  readonly to: string;
  /** What the provider said (an `AlmanacError` through the facade). */
  readonly error: Error;
}

/** Options of {@link applyTiering}. */
export interface ApplyTieringOptions {
  /** Report what would change without changing anything; default `true`. */
  readonly dryRun?: boolean | undefined;
  /** Only move objects saving at least this much per month; default 0. */
  readonly minMonthlySavings?: number | undefined;
  /** Stops before the next key; the partial report is returned with `aborted: true`. */
  readonly signal?: AbortSignal | undefined;
}

/** Why a recommendation was not applied. */
export type TieringSkipCode = 'no_recommendation' | 'already_in_class' | 'below_min_savings' | 'storage_class_unsupported' | 'class_not_offered';

/** Report of {@link applyTiering}. */
export interface ApplyTieringReport {
  /** Objects moved (or, in a dry run, that would be). */
  readonly changed: TieringChange[];
  /** Objects left alone, with why. */
  readonly skipped: TieringSkip[];
  /** Objects whose class change failed; the rest were still processed. */
  readonly failed: TieringFailure[];
  /** Summed monthly savings of `changed`. */
  readonly totalMonthlySavings: number;
  /** Whether this was a dry run. */
  readonly dryRun: boolean;
  /** True when `signal` aborted before every item was processed. */
  readonly aborted: boolean;
}

/**
 * Moves objects to their recommended storage class, one key at a time, where the class differs
 * and the move saves at least `minMonthlySavings`. A dry run (the default) only reports.
 * Nothing throws halfway: unsupported providers, unknown target classes and per-key failures
 * are reported, so a partly applied plan always comes back with what was done.
 *
 * @throws `ValidationError` for bad options (before anything changes).
 */
export async function applyTiering(
  storage: IntelligenceStorage,
  recommendations: Iterable<TieringItem> | AsyncIterable<TieringItem>,
  options: ApplyTieringOptions = {},
): Promise<ApplyTieringReport> {
  parse(applyTieringOptionsSchema, options, { operation: 'applyTiering', path: 'options' });
  const dryRun = options.dryRun ?? true;
  const minSavings = options.minMonthlySavings ?? 0;
  const signal = options.signal;
  const supported = storage.supports('storageClass');
  const offered = new Set(storage.capabilities.storageClasses);
  const changed: TieringChange[] = [];
  const skipped: TieringSkip[] = [];
  const failed: TieringFailure[] = [];
  let total = 0;
  let aborted = false;
  const isAborted = (): boolean => signal?.aborted === true;
  for await (const item of recommendations) {
    if (isAborted()) {
      aborted = true;
      break;
    }
    const { key, tiering } = item;
    if (tiering === null) {
      skipped.push({ key, code: 'no_recommendation', reason: 'no tiering recommendation for this object' });
      continue;
    }
    const to = tiering.storageClass;
    const from = item.storageClass ?? tiering.currentClass;
    if (to === from) {
      skipped.push({ key, code: 'already_in_class', reason: `already in ${to}` });
      continue;
    }
    if (!(tiering.monthlySavings >= minSavings)) {
      skipped.push({ key, code: 'below_min_savings', reason: `saves ${tiering.monthlySavings} per month, below the minimum of ${minSavings}` });
      continue;
    }
    if (!supported) {
      skipped.push({ key, code: 'storage_class_unsupported', reason: `provider "${storage.name}" does not support storage classes` });
      continue;
    }
    if (offered.size > 0 && !offered.has(to)) {
      skipped.push({ key, code: 'class_not_offered', reason: `provider "${storage.name}" does not offer class ${to}` });
      continue;
    }
    if (!dryRun) {
      try {
        await storage.setStorageClass(key, to, signal === undefined ? {} : { signal });
      } catch (error) {
        if (isAborted()) {
          aborted = true;
          break;
        }
        failed.push({ key, to, error: error instanceof Error ? error : new Error(String(error)) });
        continue;
      }
    }
    changed.push({ key, from, to, monthlySavings: tiering.monthlySavings });
    total += tiering.monthlySavings;
  }
  return { changed, skipped, failed, totalMonthlySavings: total, dryRun, aborted };
}
