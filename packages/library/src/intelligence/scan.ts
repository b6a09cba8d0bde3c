import { abortReason, AbortedError, parse, ValidationError } from '@almanac/core';
import {
  assessCompliance,
  classifyObject,
  DEFAULT_STORAGE_PRICES,
  type StorageCloud,
  type StorageObject,
  type StoragePriceTable,
  type StorageRecommendation,
  validateStoragePriceTable,
} from '@almanac/oracle';
import type { ObjectInfo } from '../spec';
import { isTextLike, looksBinary } from './content-kind';
import { encryptionOf } from './encryption';
import { DEFAULT_SAMPLE_BYTES, DEFAULT_SCAN_CONCURRENCY, scanOptionsSchema } from './options';
import { mapOrdered } from './pool';
import { createRecommender } from './recommender';
import { securityFindings } from './security';
import { addToScanSummary, copyScanSummary, emptyScanSummary } from './summary';
import type { AccessStats, IntelligenceStorage, SampleSkipReason, ScanOptions, ScanResult, ScanRun, ScanSummary, TieringSkipReason } from './types';

const DAY_MS = 86_400_000;
const CLOUD_BY_PROVIDER: Readonly<Record<string, StorageCloud>> = { s3: 'aws', gcs: 'gcp', azure: 'azure' };

/** Everything resolved once per scan, so the per-object path does no option handling. */
interface ScanContext {
  readonly storage: IntelligenceStorage;
  readonly options: ScanOptions;
  readonly sampleBytes: number;
  readonly nowMs: number;
  readonly rangeRead: boolean;
  readonly storageClass: boolean;
  readonly cloud: StorageCloud;
  readonly table: StoragePriceTable;
  readonly recommend: (object: StorageObject) => Promise<StorageRecommendation>;
  /** Non-fatal UTF-8 decoder: a multi-byte character cut at the sample's end becomes U+FFFD. */
  readonly decoder: { decode(input: Uint8Array): string };
}

function resolveContext(storage: IntelligenceStorage, options: ScanOptions): ScanContext {
  const table = options.prices === undefined ? undefined : validateStoragePriceTable(options.prices, 'options.prices');
  const cloud = options.cloud ?? table?.provider ?? CLOUD_BY_PROVIDER[storage.name] ?? 'aws';
  if (table !== undefined && table.provider !== cloud) {
    throw new ValidationError(undefined, [{ path: 'options.prices.provider', message: `table is for "${table.provider}" but cloud is "${cloud}"` }], {
      operation: 'scan',
    });
  }
  const prices = table ?? DEFAULT_STORAGE_PRICES[cloud];
  const offered = new Set(storage.capabilities.storageClasses);
  // Recommending a class the provider cannot set would make the plan unactionable.
  const allowedClasses =
    offered.size === 0 ? undefined : Object.keys(prices.classes).filter((name) => offered.has(name) && prices.classes[name]?.reducedDurability !== true);
  return {
    storage,
    options,
    sampleBytes: options.sampleBytes ?? DEFAULT_SAMPLE_BYTES,
    nowMs: options.now.getTime(),
    rangeRead: storage.supports('rangeRead'),
    storageClass: storage.supports('storageClass'),
    cloud,
    table: prices,
    recommend: createRecommender({ provider: cloud, prices, ...(allowedClasses === undefined ? {} : { allowedClasses }) }),
    decoder: new TextDecoder('utf-8', { fatal: false }),
  };
}

interface Sample {
  readonly text: string | undefined;
  readonly bytes: number;
  readonly skipped: SampleSkipReason | undefined;
}

async function sampleContent(ctx: ScanContext, info: ObjectInfo, signal: AbortSignal): Promise<Sample> {
  if (!isTextLike(info.key, info.contentType)) return { text: undefined, bytes: 0, skipped: 'binary' };
  if (info.size === 0) return { text: undefined, bytes: 0, skipped: 'empty' };
  if (!ctx.rangeRead) return { text: undefined, bytes: 0, skipped: 'range_read_unsupported' };
  let bytes: Uint8Array;
  try {
    bytes = await ctx.storage.readBytes(info.key, { range: { start: 0, end: Math.min(info.size, ctx.sampleBytes) }, signal });
  } catch {
    if (signal.aborted) throw abortReason(signal);
    // A key deleted or locked since listing should not end a bucket-wide scan; the result says so.
    return { text: undefined, bytes: 0, skipped: 'read_failed' };
  }
  if (looksBinary(bytes)) return { text: undefined, bytes: 0, skipped: 'binary_content' };
  return { text: ctx.decoder.decode(bytes), bytes: bytes.length, skipped: undefined };
}

function accessNumber(key: string, field: keyof AccessStats, value: unknown): number {
  if (typeof value === 'number' && value >= 0 && Number.isFinite(value)) return value;
  throw new ValidationError(undefined, [{ path: `accessStats(${JSON.stringify(key)}).${field}`, message: 'must be a finite number >= 0' }], {
    operation: 'scan',
  });
}

async function recommend(ctx: ScanContext, info: ObjectInfo): Promise<StorageRecommendation | TieringSkipReason> {
  if (!ctx.storageClass) return 'storage_class_unsupported';
  // Providers that omit the class report objects in their default (hot) class.
  const currentClass = info.storageClass ?? ctx.table.baseClass;
  if (ctx.table.classes[currentClass] === undefined) return 'unknown_storage_class';
  const object: { -readonly [K in keyof StorageObject]: StorageObject[K] } = {
    sizeBytes: info.size,
    ageDays: Math.max(0, (ctx.nowMs - info.lastModified.getTime()) / DAY_MS),
    currentClass,
  };
  const access = ctx.options.accessStats?.(info.key);
  // Copy only known fields: an absent field must stay absent, never become "no reads".
  if (access?.daysSinceLastAccess !== undefined) object.daysSinceLastAccess = accessNumber(info.key, 'daysSinceLastAccess', access.daysSinceLastAccess);
  if (access?.readsPerMonth !== undefined) object.readsPerMonth = accessNumber(info.key, 'readsPerMonth', access.readsPerMonth);
  return ctx.recommend(object);
}

async function examine(ctx: ScanContext, info: ObjectInfo, signal: AbortSignal): Promise<ScanResult> {
  const sample = await sampleContent(ctx, info, signal);
  const classified = classifyObject({ key: info.key, metadata: info.metadata, contentType: info.contentType, contentSample: sample.text });
  const tiering = await recommend(ctx, info);
  const standard = ctx.options.standard;
  let compliance: ScanResult['compliance'] = null;
  if (standard !== undefined) {
    const encryption = encryptionOf(ctx.storage.name, info);
    const assessment = assessCompliance({
      classification: classified.classification,
      categories: classified.categories,
      encrypted: encryption.encrypted,
      standard,
      region: ctx.options.region,
      publicAccess: ctx.options.publicAccess,
    });
    compliance = { ...assessment, encryption };
  }
  return {
    key: info.key,
    size: info.size,
    storageClass: info.storageClass,
    lastModified: info.lastModified,
    contentType: info.contentType,
    sampled: sample.skipped === undefined,
    sampledBytes: sample.bytes,
    ...(sample.skipped === undefined ? {} : { sampleSkipped: sample.skipped }),
    classification: classified.classification,
    confidence: classified.confidence,
    categories: classified.categories,
    findings: classified.findings,
    sources: classified.sources,
    tiering: typeof tiering === 'string' ? null : tiering,
    ...(typeof tiering === 'string' ? { tieringSkipped: tiering } : {}),
    compliance,
    securityFindings: securityFindings(classified, sample.skipped === undefined),
  };
}

async function* objectsOf(ctx: ScanContext, signal: AbortSignal): AsyncGenerator<ObjectInfo, void, undefined> {
  const prefix = ctx.options.prefix;
  for await (const entry of ctx.storage.list(prefix === undefined ? { signal } : { prefix, signal })) {
    // Providers check the signal per page; checking per entry stops a fast in-memory listing too.
    if (signal.aborted) throw abortReason(signal);
    if (entry.type === 'object') yield entry;
  }
}

class Run implements ScanRun {
  readonly #ctx: ScanContext;
  readonly #summary: ScanSummary;
  #started = false;
  #done = false;

  constructor(ctx: ScanContext) {
    this.#ctx = ctx;
    this.#summary = emptyScanSummary(ctx.table.currency);
  }

  get done(): boolean {
    return this.#done;
  }

  summary(): ScanSummary {
    return copyScanSummary(this.#summary);
  }

  async finish(): Promise<ScanSummary> {
    for await (const _ of this) {
      // Draining is the point: totals accumulate as results are produced.
    }
    return this.summary();
  }

  [Symbol.asyncIterator](): AsyncIterator<ScanResult> {
    if (this.#started) throw new ValidationError('A scan run can be iterated only once', [{ path: 'run', message: 'already iterated' }], { operation: 'scan' });
    this.#started = true;
    return this.#generate();
  }

  async *#generate(): AsyncGenerator<ScanResult, void, undefined> {
    const ctx = this.#ctx;
    // Our own controller cancels in-flight reads when the consumer stops early.
    const stop = new AbortController();
    const user = ctx.options.signal;
    const signal = user === undefined ? stop.signal : AbortSignal.any([user, stop.signal]);
    if (signal.aborted) throw abortReason(signal);
    const concurrency = ctx.options.concurrency ?? DEFAULT_SCAN_CONCURRENCY;
    try {
      for await (const result of mapOrdered(objectsOf(ctx, signal), concurrency, (info) => examine(ctx, info, signal))) {
        addToScanSummary(this.#summary, result);
        yield result;
      }
      this.#done = true;
    } finally {
      if (!this.#done) stop.abort(new AbortedError('Scan stopped before the end', { operation: 'scan' }));
    }
  }
}

/**
 * Scans every object under a prefix: classifies it (key, metadata, content type and, for
 * text-like objects, a range-read sample of the first `sampleBytes`), recommends a storage class
 * from the provider's price table, assesses compliance when `standard` is given, and reports
 * object-level security findings. Findings carry masked samples only.
 *
 * Memory is constant: the listing is streamed and at most `concurrency` objects are in flight;
 * results are yielded in listing order and only totals are kept (`summary()`).
 *
 * Assumptions: an object's age is `now − lastModified` (its time in the current class, unless the
 * provider changed class without rewriting); encryption at rest is taken from metadata or the
 * provider's report, else the platform default, else `false` (see `ScanCompliance.encryption`).
 *
 * @throws `ValidationError` naming the bad option (synchronously); iteration rejects with
 *   `AbortedError` when `signal` aborts, and with the facade's error when listing fails.
 * @example
 * const run = scan(storage, { now: new Date(), standard: 'gdpr' });
 * for await (const r of run) if (r.securityFindings.length > 0) report(r);
 * const { monthlySavings, bytesByClassification } = run.summary();
 */
export function scan(storage: IntelligenceStorage, options: ScanOptions): ScanRun {
  parse(scanOptionsSchema, options, { operation: 'scan', path: 'options' });
  if (Number.isNaN(options.now.getTime())) {
    throw new ValidationError(undefined, [{ path: 'options.now', message: 'must be a valid Date' }], { operation: 'scan' });
  }
  return new Run(resolveContext(storage, options));
}
