import { OracleRangeError, OracleTypeError } from '../errors';
import { array, finiteNumber, object, oneOf } from '../validate';
import { DEFAULT_STORAGE_PRICES, type StoragePriceTable, type StorageCloud } from './prices';
import type { StorageObject, StorageRecommendation, TieringOptions } from './types';
import { validateStoragePriceTable } from './validate-prices';

// Internal cost model. Per-class constants are folded into per-byte / per-object numbers once per
// options (`compileTiering`) so the per-object loop is arithmetic only — the streaming recommender
// evaluates millions of objects with one compiled context.

/** Billing convention: minimum durations are in days and prices per month; 30 days make a month. */
export const DAYS_PER_MONTH = 30;

/**
 * Idle days after which unknown-pattern objects may go to a class with retrieval fees or a minimum
 * duration (at least this, and at least that class's minimum duration).
 */
export const COLD_AFTER_IDLE_DAYS = 30;

const PROVIDERS: readonly StorageCloud[] = ['aws', 'gcp', 'azure'];

interface CompiledTier {
  readonly afterIdleDays: number;
  readonly perByteMonth: number;
}

interface CompiledClass {
  readonly name: string;
  readonly index: number;
  readonly perByteMonth: number;
  readonly retrievalPerByte: number;
  readonly perRead: number;
  readonly perTransition: number;
  readonly minDays: number;
  readonly minBillableBytes: number;
  /** Fixed per-object storage cost per month from metadata overhead. */
  readonly overheadMonthly: number;
  readonly monitoringMonthly: number;
  /** Has retrieval fees, a minimum duration or offline reads: needs evidence of coldness. */
  readonly needsColdEvidence: boolean;
  readonly tiers: readonly CompiledTier[] | undefined;
  readonly minMonitoredBytes: number;
  readonly target: boolean;
  /** Reasons are fixed per (from, to) pair, so they are built once here rather than per object. */
  readonly stayReason: string;
  readonly stayUnknownReason: string;
  /** Indexed by the class moved from. */
  readonly moveReasons: readonly string[];
}

/** Options resolved and price table folded into per-class constants. */
export interface TieringContext {
  readonly table: StoragePriceTable;
  readonly classes: readonly CompiledClass[];
  readonly byName: ReadonlyMap<string, CompiledClass>;
  readonly names: readonly string[];
  readonly horizonMonths: number;
}

/** Validates options and precomputes per-class constants. */
export function compileTiering(options: TieringOptions, field = 'options'): TieringContext {
  const o = object(field, options);
  const provider = oneOf(`${field}.provider`, o['provider'], PROVIDERS);
  let table: StoragePriceTable = DEFAULT_STORAGE_PRICES[provider];
  if (o['prices'] !== undefined) {
    table = validateStoragePriceTable(o['prices'], `${field}.prices`);
    if (table.provider !== provider) {
      throw new OracleRangeError(`${field}.prices.provider`, `table is for "${table.provider}" but options.provider is "${provider}"`);
    }
  }
  const horizonMonths =
    o['horizonMonths'] === undefined ? 12 : finiteNumber(`${field}.horizonMonths`, o['horizonMonths'], { min: 1 / DAYS_PER_MONTH, max: 1200 });
  const names = Object.keys(table.classes);
  let allowed: ReadonlySet<string> | undefined;
  if (o['allowedClasses'] !== undefined) {
    const list = array(`${field}.allowedClasses`, o['allowedClasses']);
    list.forEach((name, i) => {
      oneOf(`${field}.allowedClasses[${i}]`, name, names);
    });
    allowed = new Set(list as string[]);
  }
  const basePrice = table.classes[table.baseClass];
  if (basePrice === undefined) throw new OracleTypeError(`${field}.prices.baseClass`, 'not one of the classes');
  const basePerByte = basePrice.storagePerGbMonth / table.bytesPerGb;
  const months = `${horizonMonths} month${horizonMonths === 1 ? '' : 's'}`;
  const classes = names.map((name, index): CompiledClass => {
    const p = table.classes[name]!;
    const perByteMonth = p.storagePerGbMonth / table.bytesPerGb;
    return {
      name,
      index,
      perByteMonth,
      retrievalPerByte: p.retrievalPerGb / table.bytesPerGb,
      perRead: p.readRequestsPer1000 / 1000,
      perTransition: p.transitionPer1000 / 1000,
      minDays: p.minStorageDays,
      minBillableBytes: p.minBillableBytes,
      overheadMonthly: p.overheadBytesAtBaseRate * basePerByte + p.overheadBytesAtClassRate * perByteMonth,
      monitoringMonthly: p.monitoringPer1000ObjectsMonth / 1000,
      needsColdEvidence: p.retrievalPerGb > 0 || p.minStorageDays > 0 || !p.instantAccess,
      tiers: p.autoTiering?.tiers.map((t) => ({ afterIdleDays: t.afterIdleDays, perByteMonth: t.storagePerGbMonth / table.bytesPerGb })),
      minMonitoredBytes: p.autoTiering?.minMonitoredBytes ?? 0,
      target: allowed === undefined ? p.reducedDurability !== true : allowed.has(name),
      stayReason: `staying in ${name} is cheapest over ${months}`,
      stayUnknownReason: `staying in ${name} is cheapest over ${months}; access unknown, so classes with retrieval fees, minimum durations or offline reads were not considered`,
      moveReasons: names.map(
        (from) => `${name} is cheapest over ${months} including the one-time cost of moving from ${from} (transitionCost, repaid in breakEvenMonths)`,
      ),
    };
  });
  return { table, classes, byName: new Map(classes.map((c) => [c.name, c])), names, horizonMonths };
}

function autoTierRateAt(tiers: readonly CompiledTier[], idle: number): number {
  let rate = tiers[0]!.perByteMonth;
  for (const t of tiers) if (idle >= t.afterIdleDays) rate = t.perByteMonth;
  return rate;
}

/** Average per-byte rate of an auto-tiering class while idle time runs from `from` to `to` days. */
function autoTierRate(tiers: readonly CompiledTier[], from: number, to: number): number {
  if (to <= from) return autoTierRateAt(tiers, from);
  let sum = 0;
  for (let i = 0; i < tiers.length; i++) {
    const start = Math.max(from, tiers[i]!.afterIdleDays);
    const end = Math.min(to, i + 1 < tiers.length ? tiers[i + 1]!.afterIdleDays : Number.POSITIVE_INFINITY);
    if (end > start) sum += (end - start) * tiers[i]!.perByteMonth;
  }
  return sum / (to - from);
}

interface Access {
  /** Whether reads are known or can be estimated from the last access. */
  readonly known: boolean;
  readonly readsPerMonth: number;
  readonly bytesReadPerMonth: number;
  readonly daysSinceLastAccess: number | undefined;
}

/** Field path of an object property; built only when an error is thrown. */
function fieldOf(prefix: string | number, key: string): string {
  return typeof prefix === 'number' ? `objects[${prefix}].${key}` : `${prefix}.${key}`;
}

/** Fast path for the common valid case; the shared validator produces the error otherwise. */
function nonNegative(prefix: string | number, key: string, value: unknown): number {
  if (typeof value === 'number' && value >= 0 && value < Number.POSITIVE_INFINITY) return value;
  return finiteNumber(fieldOf(prefix, key), value, { min: 0 });
}

function optionalNonNegative(prefix: string | number, key: string, value: unknown): number | undefined {
  return value === undefined ? undefined : nonNegative(prefix, key, value);
}

/**
 * Access assumptions. Known reads are used as given. With only `daysSinceLastAccess = d`, the read
 * rate is estimated as one read per `max(d, 1)` days (the observed gap taken as typical). With
 * neither, access is unknown: costs count no reads, and classes that need cold evidence are not
 * eligible targets (see `eligible`), so "unknown" can never archive anything.
 */
function resolveAccess(o: StorageObject, field: string | number): Access {
  const reads = optionalNonNegative(field, 'readsPerMonth', o.readsPerMonth);
  const bytesRead = optionalNonNegative(field, 'bytesReadPerMonth', o.bytesReadPerMonth);
  const idle = optionalNonNegative(field, 'daysSinceLastAccess', o.daysSinceLastAccess);
  const size = o.sizeBytes;
  if (reads !== undefined || bytesRead !== undefined) {
    const r = reads ?? (size > 0 ? bytesRead! / size : 0);
    return { known: true, readsPerMonth: r, bytesReadPerMonth: bytesRead ?? r * size, daysSinceLastAccess: idle };
  }
  if (idle !== undefined) {
    const r = DAYS_PER_MONTH / Math.max(idle, 1);
    return { known: true, readsPerMonth: r, bytesReadPerMonth: r * size, daysSinceLastAccess: idle };
  }
  return { known: false, readsPerMonth: 0, bytesReadPerMonth: 0, daysSinceLastAccess: undefined };
}

function eligible(c: CompiledClass, access: Access, o: StorageObject): boolean {
  if (!c.target) return false;
  if (!c.needsColdEvidence) return true;
  if (o.readsPerMonth !== undefined || o.bytesReadPerMonth !== undefined) return true;
  const idle = access.daysSinceLastAccess;
  return idle !== undefined && idle >= Math.max(COLD_AFTER_IDLE_DAYS, c.minDays);
}

/** Per-object storage cost per month in class `c`, excluding reads. */
function storageMonthly(c: CompiledClass, size: number, access: Access, horizonDays: number): number {
  let rate = c.perByteMonth;
  let monitoring = c.monitoringMonthly;
  if (c.tiers !== undefined) {
    if (size < c.minMonitoredBytes) {
      rate = c.tiers[0]!.perByteMonth;
      monitoring = 0;
    } else if (!access.known) {
      rate = c.tiers[0]!.perByteMonth;
    } else if (access.readsPerMonth > 0 && DAYS_PER_MONTH / access.readsPerMonth < horizonDays) {
      // Steady state of "read every gap days": each read resets the object to the top tier.
      rate = autoTierRate(c.tiers, 0, DAYS_PER_MONTH / access.readsPerMonth);
    } else {
      const idle = access.daysSinceLastAccess ?? 0;
      rate = autoTierRate(c.tiers, idle, idle + horizonDays);
    }
  }
  return Math.max(size, c.minBillableBytes) * rate + c.overheadMonthly + monitoring;
}

function recurringMonthly(c: CompiledClass, size: number, access: Access, horizonDays: number): number {
  return storageMonthly(c, size, access, horizonDays) + access.readsPerMonth * c.perRead + access.bytesReadPerMonth * c.retrievalPerByte;
}

/** One-time cost of moving the object from `from` to `to` (see `StorageRecommendation.transitionCost`). */
function moveCost(from: CompiledClass, to: CompiledClass, o: StorageObject, access: Access, horizonDays: number): number {
  let cost = to.perTransition;
  // Lifecycle rules only move objects colder; going warmer is a read/restore plus a copy.
  if (to.index < from.index) cost += o.sizeBytes * from.retrievalPerByte + from.perRead;
  const early = from.minDays - o.ageDays;
  if (early > 0) cost += (early / DAYS_PER_MONTH) * storageMonthly(from, o.sizeBytes, access, horizonDays);
  const shortfall = to.minDays - horizonDays;
  if (shortfall > 0) cost += (shortfall / DAYS_PER_MONTH) * storageMonthly(to, o.sizeBytes, access, horizonDays);
  return cost;
}

/**
 * Validates one object and recommends a class for it under a compiled context. `field` is the
 * error path prefix (`object`), or the stream index (errors then name `objects[i]`); the index form
 * avoids building a string per object.
 */
export function evaluateObject(ctx: TieringContext, raw: StorageObject, field: string | number): StorageRecommendation {
  if (typeof raw !== 'object' || raw === null) object(typeof field === 'number' ? `objects[${field}]` : field, raw);
  const o = raw;
  const size = nonNegative(field, 'sizeBytes', o.sizeBytes);
  nonNegative(field, 'ageDays', o.ageDays);
  const current = ctx.byName.get(o.currentClass);
  if (current === undefined) {
    const f = fieldOf(field, 'currentClass');
    oneOf(f, o.currentClass, ctx.names);
    throw new OracleTypeError(f, 'unknown storage class');
  }
  const access = resolveAccess(o, field);
  const horizon = ctx.horizonMonths;
  const horizonDays = horizon * DAYS_PER_MONTH;

  const currentMonthly = recurringMonthly(current, size, access, horizonDays);
  const stayTotal = currentMonthly * horizon;
  let best = current;
  let bestTotal = stayTotal;
  let bestMonthly = currentMonthly;
  let bestMove = 0;
  let skippedForEvidence = false;
  for (const c of ctx.classes) {
    if (c === current) continue;
    if (!eligible(c, access, o)) {
      if (c.target && c.needsColdEvidence) skippedForEvidence = true;
      continue;
    }
    const monthly = recurringMonthly(c, size, access, horizonDays);
    const move = moveCost(current, c, o, access, horizonDays);
    const total = monthly * horizon + move;
    // Strictly cheaper by a relative margin: ties (and float noise) keep the current class, then
    // the earlier class in table order.
    if (total < bestTotal * (1 - 1e-9)) {
      best = c;
      bestTotal = total;
      bestMonthly = monthly;
      bestMove = move;
    }
  }

  if (best === current) {
    return {
      storageClass: current.name,
      currentClass: current.name,
      currentMonthlyCost: currentMonthly,
      recommendedMonthlyCost: currentMonthly,
      monthlySavings: 0,
      transitionCost: 0,
      breakEvenMonths: 0,
      reason: skippedForEvidence && !access.known ? current.stayUnknownReason : current.stayReason,
    };
  }
  const savings = currentMonthly - bestMonthly;
  return {
    storageClass: best.name,
    currentClass: current.name,
    currentMonthlyCost: currentMonthly,
    recommendedMonthlyCost: bestMonthly,
    monthlySavings: savings,
    transitionCost: bestMove,
    breakEvenMonths: bestMove === 0 ? 0 : bestMove / savings,
    reason: best.moveReasons[current.index]!,
  };
}
