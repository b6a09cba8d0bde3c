import { OracleRangeError, OracleTypeError } from '../errors';
import { array, finiteNumber, object, oneOf } from '../validate';
import type { StorageClassPrice, StoragePriceTable, StorageCloud } from './prices';

const PROVIDERS: readonly StorageCloud[] = ['aws', 'gcp', 'azure'];

const NUMERIC_FIELDS = [
  'storagePerGbMonth',
  'retrievalPerGb',
  'readRequestsPer1000',
  'transitionPer1000',
  'minStorageDays',
  'minBillableBytes',
  'overheadBytesAtBaseRate',
  'overheadBytesAtClassRate',
  'monitoringPer1000ObjectsMonth',
] as const satisfies readonly (keyof StorageClassPrice)[];

function validateClass(field: string, raw: unknown): void {
  const c = object(field, raw);
  for (const key of NUMERIC_FIELDS) finiteNumber(`${field}.${key}`, c[key], { min: 0 });
  if (typeof c['instantAccess'] !== 'boolean') throw new OracleTypeError(`${field}.instantAccess`, 'expected a boolean');
  if (c['reducedDurability'] !== undefined && typeof c['reducedDurability'] !== 'boolean') {
    throw new OracleTypeError(`${field}.reducedDurability`, 'expected a boolean');
  }
  if (c['autoTiering'] !== undefined) {
    const at = object(`${field}.autoTiering`, c['autoTiering']);
    finiteNumber(`${field}.autoTiering.minMonitoredBytes`, at['minMonitoredBytes'], { min: 0 });
    const tiers = array(`${field}.autoTiering.tiers`, at['tiers']);
    if (tiers.length === 0) throw new OracleRangeError(`${field}.autoTiering.tiers`, 'needs at least one tier');
    let previous = -1;
    tiers.forEach((rawTier, i) => {
      const tf = `${field}.autoTiering.tiers[${i}]`;
      const tier = object(tf, rawTier);
      const after = finiteNumber(`${tf}.afterIdleDays`, tier['afterIdleDays'], { min: 0 });
      if (i === 0 && after !== 0) throw new OracleRangeError(`${tf}.afterIdleDays`, 'the first tier must start at 0');
      if (after <= previous) throw new OracleRangeError(`${tf}.afterIdleDays`, 'tiers must be in ascending order');
      previous = after;
      finiteNumber(`${tf}.storagePerGbMonth`, tier['storagePerGbMonth'], { min: 0 });
    });
  }
}

/**
 * Checks a caller-supplied price table, throwing `OracleRangeError`/`OracleTypeError` naming the
 * first bad field (prefixed with `field`). Returns the table typed, so it can wrap JSON input.
 */
export function validateStoragePriceTable(value: unknown, field = 'prices'): StoragePriceTable {
  if (typeof field !== 'string') throw new OracleTypeError('field', 'expected a string naming the table in messages');
  const t = object(field, value);
  oneOf(`${field}.provider`, t['provider'], PROVIDERS);
  finiteNumber(`${field}.bytesPerGb`, t['bytesPerGb'], { min: 1 });
  const classes = object(`${field}.classes`, t['classes']);
  const names = Object.keys(classes);
  if (names.length === 0) throw new OracleRangeError(`${field}.classes`, 'needs at least one class');
  for (const name of names) validateClass(`${field}.classes.${name}`, classes[name]);
  oneOf(`${field}.baseClass`, t['baseClass'], names);
  for (const key of ['region', 'currency', 'asOf', 'caveat'] as const) {
    if (typeof t[key] !== 'string') throw new OracleTypeError(`${field}.${key}`, 'expected a string');
  }
  array(`${field}.sources`, t['sources']);
  return value as StoragePriceTable;
}
