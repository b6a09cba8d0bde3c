import { OracleTypeError } from '../errors';
import { object, oneOf } from '../validate';
import { DEFAULT_STORAGE_PRICES, type StoragePriceTable, type StorageCloud } from './prices';
import { addToSummary, emptySummary } from './summary';
import type { TieringResult, TieringSummary } from './types';
import { validateStoragePriceTable } from './validate-prices';

/** Options of {@link toLifecycleRules}. */
export interface LifecycleRuleOptions<P extends StorageCloud = StorageCloud> {
  /** Provider whose lifecycle JSON shape to emit. */
  readonly provider: P;
  /** Only objects under this key prefix. */
  readonly prefix?: string | undefined;
  /** Table giving class order (warmest first) when not the default for the provider. */
  readonly prices?: StoragePriceTable | undefined;
  /** Rule id/name; default `almanac-tiering`. */
  readonly name?: string | undefined;
}

/** S3 `PutBucketLifecycleConfiguration` body (`LifecycleConfiguration`). */
export interface S3LifecycleConfiguration {
  /** One rule holding all transitions (empty when nothing moves). */
  Rules: {
    /** Rule id. */
    ID: string;
    /** Always enabled. */
    Status: 'Enabled';
    /** Key prefix the rule applies to (`''` = whole bucket). */
    Filter: {
      /** Key prefix. */
      Prefix: string;
    };
    /** Transitions in waterfall order. */
    Transitions: {
      /** Object age in days at which the transition happens. */
      Days: number;
      /** Target class. */
      StorageClass: string;
    }[];
  }[];
}

/** GCS bucket `lifecycle` resource (as in `gcloud storage buckets update --lifecycle-file`). */
export interface GcsLifecycleConfiguration {
  /** Lifecycle block. */
  lifecycle: {
    /** One rule per target class. */
    rule: {
      /** What to do. */
      action: {
        /** Always `SetStorageClass`. */
        type: 'SetStorageClass';
        /** Target class. */
        storageClass: string;
      };
      /** When to do it. */
      condition: {
        /** Object age in days. */
        age: number;
        /** Only objects currently in these (warmer) classes. */
        matchesStorageClass: string[];
        /** Only objects under these prefixes. */
        matchesPrefix?: string[] | undefined;
      };
    }[];
  };
}

/** Azure tier action condition. */
export interface AzureTierAction {
  /** Days since last modification after which the blob is tiered. */
  daysAfterModificationGreaterThan: number;
}

/** Azure Storage management policy `policy` object. */
export interface AzureManagementPolicy {
  /** One rule holding all tier actions (empty when nothing moves). */
  rules: {
    /** Always enabled. */
    enabled: true;
    /** Rule name. */
    name: string;
    /** Always `Lifecycle`. */
    type: 'Lifecycle';
    /** Filters and actions. */
    definition: {
      /** Which blobs. */
      filters: {
        /** Block blobs only (tiering applies to them). */
        blobTypes: ['blockBlob'];
        /** Only blobs under these prefixes (`container/path`). */
        prefixMatch?: string[] | undefined;
      };
      /** What to do with them. */
      actions: {
        /** Actions on the current version of each blob. */
        baseBlob: Partial<Record<'tierToCool' | 'tierToCold' | 'tierToArchive', AzureTierAction>>;
      };
    };
  }[];
}

/** Lifecycle document type per provider. */
export interface LifecycleConfigurationByProvider {
  /** S3 shape. */
  aws: S3LifecycleConfiguration;
  /** GCS shape. */
  gcp: GcsLifecycleConfiguration;
  /** Azure shape. */
  azure: AzureManagementPolicy;
}

const AZURE_ACTIONS: Readonly<Record<string, 'tierToCool' | 'tierToCold' | 'tierToArchive'>> = {
  Cool: 'tierToCool',
  Cold: 'tierToCold',
  Archive: 'tierToArchive',
};

/** S3 refuses IA transitions before an object is 30 days old. */
const AWS_MIN_DAYS: Readonly<Record<string, number>> = { STANDARD_IA: 30, ONEZONE_IA: 30 };

function isSummary(value: unknown): value is TieringSummary {
  return typeof value === 'object' && value !== null && 'byTargetClass' in value;
}

/**
 * Turns tiering results into age-based lifecycle rules in the provider's own JSON shape.
 *
 * Lifecycle rules only know object age, so each target class gets the smallest age among objects
 * recommended to move there (`minMovedAgeDays`, floored), then ages are pushed later along the class
 * order so each transition waits out the previous class's minimum duration (no early-deletion
 * charge) and colder classes never come before warmer ones. Moves to the provider's base class
 * (STANDARD/Hot) cannot be lifecycle rules and are left out. Accepts a run summary or the results
 * themselves (`TieringResult`s, which carry the object's age).
 */
export function toLifecycleRules<P extends StorageCloud>(
  input: TieringSummary | Iterable<TieringResult>,
  options: LifecycleRuleOptions<P>,
): LifecycleConfigurationByProvider[P] {
  const o = object('options', options);
  const provider = oneOf('options.provider', o['provider'], ['aws', 'gcp', 'azure'] as const);
  const table = o['prices'] === undefined ? DEFAULT_STORAGE_PRICES[provider] : validateStoragePriceTable(o['prices'], 'options.prices');
  if (o['prefix'] !== undefined && typeof o['prefix'] !== 'string') throw new OracleTypeError('options.prefix', 'expected a string');
  if (o['name'] !== undefined && (typeof o['name'] !== 'string' || o['name'].length === 0)) {
    throw new OracleTypeError('options.name', 'expected a non-empty string');
  }
  const prefix = options.prefix;
  const name = options.name ?? 'almanac-tiering';

  let summary: TieringSummary;
  if (isSummary(input)) {
    summary = input;
  } else if (typeof input === 'object' && input !== null && Symbol.iterator in input) {
    summary = emptySummary();
    let i = 0;
    for (const r of input) {
      const item = object(`input[${i}]`, r) as unknown as TieringResult;
      object(`input[${i}].object`, item.object);
      addToSummary(summary, item, item.object.sizeBytes, item.object.ageDays);
      i += 1;
    }
  } else {
    throw new OracleTypeError('input', 'expected a TieringSummary or an iterable of tiering results');
  }

  const order = Object.keys(table.classes);
  const targets: { storageClass: string; days: number; rank: number }[] = [];
  for (const [cls, totals] of Object.entries(summary.byTargetClass)) {
    const rank = order.indexOf(cls);
    if (rank < 0) throw new OracleTypeError(`input.byTargetClass.${cls}`, `unknown ${provider} storage class; expected one of ${order.join(', ')}`);
    if (cls === table.baseClass || totals.moved === 0 || totals.minMovedAgeDays === null) continue;
    if (provider === 'azure' && AZURE_ACTIONS[cls] === undefined) {
      throw new OracleTypeError(`input.byTargetClass.${cls}`, 'Azure lifecycle rules can only tier to Cool, Cold or Archive');
    }
    const floor = provider === 'aws' ? (AWS_MIN_DAYS[cls] ?? 0) : 0;
    targets.push({ storageClass: cls, days: Math.max(floor, Math.floor(totals.minMovedAgeDays)), rank });
  }
  targets.sort((a, b) => a.rank - b.rank);
  for (let i = 1; i < targets.length; i++) {
    const prev = targets[i - 1]!;
    const prevMin = table.classes[prev.storageClass]!.minStorageDays;
    targets[i]!.days = Math.max(targets[i]!.days, prev.days + prevMin);
  }

  let result: LifecycleConfigurationByProvider[StorageCloud];
  if (provider === 'aws') {
    result = {
      Rules:
        targets.length === 0
          ? []
          : [{ ID: name, Status: 'Enabled', Filter: { Prefix: prefix ?? '' }, Transitions: targets.map((t) => ({ Days: t.days, StorageClass: t.storageClass })) }],
    };
  } else if (provider === 'gcp') {
    result = {
      lifecycle: {
        rule: targets.map((t) => ({
          action: { type: 'SetStorageClass' as const, storageClass: t.storageClass },
          condition: {
            age: t.days,
            // Only move objects that are warmer than the target, never pull colder ones back.
            matchesStorageClass: order.slice(0, t.rank),
            ...(prefix === undefined ? {} : { matchesPrefix: [prefix] }),
          },
        })),
      },
    };
  } else {
    const baseBlob: AzureManagementPolicy['rules'][number]['definition']['actions']['baseBlob'] = {};
    // "Greater than N days" with N = days − 1 includes objects exactly `days` old.
    for (const t of targets) baseBlob[AZURE_ACTIONS[t.storageClass]!] = { daysAfterModificationGreaterThan: Math.max(0, t.days - 1) };
    result = {
      rules:
        targets.length === 0
          ? []
          : [
              {
                enabled: true,
                name,
                type: 'Lifecycle',
                definition: {
                  filters: { blobTypes: ['blockBlob'], ...(prefix === undefined ? {} : { prefixMatch: [prefix] }) },
                  actions: { baseBlob },
                },
              },
            ],
    };
  }
  return result as LifecycleConfigurationByProvider[P];
}
