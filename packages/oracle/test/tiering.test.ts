import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OracleRangeError, OracleTypeError } from '../src/errors';
import {
  AWS_S3_PRICES,
  DEFAULT_STORAGE_PRICES,
  recommendStorageClass,
  type StorageObject,
  type StoragePriceTable,
  type StorageCloud,
  validateStoragePriceTable,
} from '../src/tiering';

const GB = 1e9;
const KIB = 1024;

describe('recommendStorageClass: hand-computed cases', () => {
  it('does not archive an object read daily, whatever its size', () => {
    for (const sizeBytes of [1 * KIB, 200 * KIB, 5 * GB]) {
      for (const provider of ['aws', 'gcp', 'azure'] as const) {
        const base = DEFAULT_STORAGE_PRICES[provider].baseClass;
        const r = recommendStorageClass({ sizeBytes, ageDays: 400, currentClass: base, readsPerMonth: 30, daysSinceLastAccess: 0 }, { provider });
        expect(r.storageClass).toBe(base);
      }
    }
  });

  it('moves a large object with known long inactivity to the cheapest archive tier', () => {
    // 1 GB, idle 400 days → ~0.075 reads/month estimated. DEEP_ARCHIVE monthly =
    // 0.00099 + 8 KiB×0.023/1e9 + 32 KiB×0.00099/1e9 + 0.075×0.0001 + 0.075×0.02 ≈ 0.0024977.
    const r = recommendStorageClass({ sizeBytes: GB, ageDays: 400, currentClass: 'STANDARD', daysSinceLastAccess: 400 }, { provider: 'aws' });
    expect(r.storageClass).toBe('DEEP_ARCHIVE');
    const expected = 0.00099 + (8 * KIB * 0.023) / GB + (32 * KIB * 0.00099) / GB + 0.075 * 0.0001 + 0.075 * 0.02;
    expect(r.recommendedMonthlyCost).toBeCloseTo(expected, 12);
    expect(r.transitionCost).toBeCloseTo(0.05 / 1000, 12);
    expect(r.currentMonthlyCost).toBeCloseTo(0.023 + (0.075 * 0.0004) / 1000, 12);
    expect(recommendStorageClass({ sizeBytes: GB, ageDays: 400, currentClass: 'STANDARD', daysSinceLastAccess: 400 }, { provider: 'gcp' }).storageClass).toBe('ARCHIVE');
    expect(recommendStorageClass({ sizeBytes: GB, ageDays: 400, currentClass: 'Hot', daysSinceLastAccess: 400 }, { provider: 'azure' }).storageClass).toBe('Archive');
  });

  it('never archives on missing access data (the 1970 bug)', () => {
    for (const provider of ['aws', 'gcp', 'azure'] as const) {
      const base = DEFAULT_STORAGE_PRICES[provider].baseClass;
      const r = recommendStorageClass({ sizeBytes: 100 * GB, ageDays: 3000, currentClass: base }, { provider });
      expect(r.storageClass).toBe(base);
      expect(r.reason).toMatch(/access unknown/);
    }
  });

  it('needs the idle time to reach the class minimum duration before recommending it', () => {
    // 60 days idle: 30-day classes qualify, GLACIER_IR (90) / DEEP_ARCHIVE (180) do not.
    const r = recommendStorageClass({ sizeBytes: GB, ageDays: 400, currentClass: 'STANDARD', daysSinceLastAccess: 60 }, { provider: 'aws' });
    expect(r.storageClass).toBe('STANDARD_IA');
  });

  it('keeps a 10 KB object out of IA when the 128 KB minimum billable size makes it dearer', () => {
    const obj: StorageObject = { sizeBytes: 10 * KIB, ageDays: 400, currentClass: 'STANDARD', readsPerMonth: 0 };
    const opts = { provider: 'aws' as const, allowedClasses: ['STANDARD_IA'], horizonMonths: 600 };
    expect(recommendStorageClass(obj, opts).storageClass).toBe('STANDARD');
    // Same case without the minimum: 10 KiB × (0.023 − 0.0125)/1e9 × 600 ≈ 6.5e-5 > 1e-5 transition.
    const noMinimum: StoragePriceTable = {
      ...AWS_S3_PRICES,
      classes: { ...AWS_S3_PRICES.classes, STANDARD_IA: { ...AWS_S3_PRICES.classes['STANDARD_IA']!, minBillableBytes: 0 } },
    };
    expect(recommendStorageClass(obj, { ...opts, prices: noMinimum }).storageClass).toBe('STANDARD_IA');
  });

  it('lets per-object archive overhead keep tiny objects where they are', () => {
    const obj: StorageObject = { sizeBytes: KIB, ageDays: 400, currentClass: 'STANDARD', readsPerMonth: 0 };
    const freeMoves: StoragePriceTable = {
      ...AWS_S3_PRICES,
      classes: Object.fromEntries(Object.entries(AWS_S3_PRICES.classes).map(([k, v]) => [k, { ...v, transitionPer1000: 0 }])),
    };
    const opts = { provider: 'aws' as const, allowedClasses: ['GLACIER', 'DEEP_ARCHIVE'], horizonMonths: 120, prices: freeMoves };
    // STANDARD: 1 KiB × 0.023/1e9 = 2.4e-8/month; DEEP_ARCHIVE: 8 KiB×0.023/1e9 + 33 KiB×0.00099/1e9 = 2.2e-7.
    expect(recommendStorageClass(obj, opts).storageClass).toBe('STANDARD');
    const noOverhead: StoragePriceTable = {
      ...freeMoves,
      classes: Object.fromEntries(
        Object.entries(freeMoves.classes).map(([k, v]) => [k, { ...v, overheadBytesAtBaseRate: 0, overheadBytesAtClassRate: 0 }]),
      ),
    };
    expect(recommendStorageClass(obj, { ...opts, prices: noOverhead }).storageClass).toBe('DEEP_ARCHIVE');
  });

  it('charges early deletion when moving out of GLACIER before 90 days', () => {
    // 1 GB, 10 days in GLACIER, read daily → back to STANDARD. One-time cost:
    // 80/30 × GLACIER storage (0.0036 + overhead) + retrieval 1 GB × 0.01 + restore 0.05/1000 + PUT 0.005/1000.
    const r = recommendStorageClass({ sizeBytes: GB, ageDays: 10, currentClass: 'GLACIER', readsPerMonth: 30 }, { provider: 'aws' });
    expect(r.storageClass).toBe('STANDARD');
    const glacierStorage = 0.0036 + (8 * KIB * 0.023 + 32 * KIB * 0.0036) / GB;
    const expected = (80 / 30) * glacierStorage + 0.01 + 0.05 / 1000 + 0.005 / 1000;
    expect(r.transitionCost).toBeCloseTo(expected, 12);
    // The same object after 90 days pays no early-deletion charge.
    const later = recommendStorageClass({ sizeBytes: GB, ageDays: 90, currentClass: 'GLACIER', readsPerMonth: 30 }, { provider: 'aws' });
    expect(later.transitionCost).toBeCloseTo(0.01 + 0.05 / 1000 + 0.005 / 1000, 12);
  });

  it("counts the new class's minimum duration when the horizon is shorter", () => {
    // DEEP_ARCHIVE needs 180 days; over a 2-month horizon 4 extra months of storage are due.
    const r = recommendStorageClass(
      { sizeBytes: 100 * GB, ageDays: 400, currentClass: 'STANDARD', readsPerMonth: 0 },
      { provider: 'aws', horizonMonths: 2, allowedClasses: ['DEEP_ARCHIVE'] },
    );
    const monthly = 100 * 0.00099 + (8 * KIB * 0.023 + 32 * KIB * 0.00099) / GB;
    expect(r.storageClass).toBe('DEEP_ARCHIVE');
    expect(r.transitionCost).toBeCloseTo(0.05 / 1000 + 4 * monthly, 10);
  });

  it('respects allowedClasses and keeps ONEZONE_IA opt-in', () => {
    const obj: StorageObject = { sizeBytes: GB, ageDays: 400, currentClass: 'STANDARD', daysSinceLastAccess: 400 };
    expect(recommendStorageClass(obj, { provider: 'aws', allowedClasses: ['STANDARD_IA'] }).storageClass).toBe('STANDARD_IA');
    expect(recommendStorageClass(obj, { provider: 'aws', allowedClasses: [] }).storageClass).toBe('STANDARD');
    const warm: StorageObject = { ...obj, daysSinceLastAccess: 60 };
    expect(recommendStorageClass(warm, { provider: 'aws' }).storageClass).not.toBe('ONEZONE_IA');
    expect(recommendStorageClass(warm, { provider: 'aws', allowedClasses: ['STANDARD_IA', 'ONEZONE_IA'] }).storageClass).toBe('ONEZONE_IA');
  });

  it('uses custom prices', () => {
    // Make STANDARD_IA free to store: any object with known reads of zero goes there.
    const prices: StoragePriceTable = {
      ...AWS_S3_PRICES,
      classes: { ...AWS_S3_PRICES.classes, STANDARD_IA: { ...AWS_S3_PRICES.classes['STANDARD_IA']!, storagePerGbMonth: 0 } },
    };
    const r = recommendStorageClass({ sizeBytes: GB, ageDays: 400, currentClass: 'STANDARD', readsPerMonth: 0 }, { provider: 'aws', prices });
    expect(r.storageClass).toBe('STANDARD_IA');
    expect(r.recommendedMonthlyCost).toBe(0);
  });

  it('models INTELLIGENT_TIERING from the access gap', () => {
    // Read every 90 days: 30 days Frequent, 60 days Infrequent → (30×0.023 + 60×0.0125)/90 per GB.
    const r = recommendStorageClass(
      { sizeBytes: GB, ageDays: 400, currentClass: 'INTELLIGENT_TIERING', readsPerMonth: 1 / 3 },
      { provider: 'aws', allowedClasses: [] },
    );
    const expected = (30 * 0.023 + 60 * 0.0125) / 90 + 0.0025 / 1000 + (1 / 3) * 0.0004e-3;
    expect(r.currentMonthlyCost).toBeCloseTo(expected, 12);
  });
});

const providers: StorageCloud[] = ['aws', 'gcp', 'azure'];
const objectArb = fc
  .record({
    provider: fc.constantFrom(...providers),
    classIndex: fc.nat(),
    sizeBytes: fc.oneof(fc.integer({ min: 0, max: 1_000_000 }), fc.double({ min: 0, max: 1e13, noNaN: true })),
    ageDays: fc.double({ min: 0, max: 5000, noNaN: true }),
    daysSinceLastAccess: fc.option(fc.double({ min: 0, max: 5000, noNaN: true }), { nil: undefined }),
    readsPerMonth: fc.option(fc.double({ min: 0, max: 1e4, noNaN: true }), { nil: undefined }),
    horizonMonths: fc.integer({ min: 1, max: 60 }),
  })
  .map((x) => {
    const names = Object.keys(DEFAULT_STORAGE_PRICES[x.provider].classes);
    const obj: StorageObject = {
      sizeBytes: x.sizeBytes,
      ageDays: x.ageDays,
      currentClass: names[x.classIndex % names.length]!,
      ...(x.daysSinceLastAccess === undefined ? {} : { daysSinceLastAccess: x.daysSinceLastAccess }),
      ...(x.readsPerMonth === undefined ? {} : { readsPerMonth: x.readsPerMonth }),
    };
    return { obj, options: { provider: x.provider, horizonMonths: x.horizonMonths } };
  });

describe('recommendStorageClass: properties', () => {
  it('savings = current − recommended; moving never costs more than staying over the horizon; all finite', () => {
    fc.assert(
      fc.property(objectArb, ({ obj, options }) => {
        const r = recommendStorageClass(obj, options);
        for (const v of [r.currentMonthlyCost, r.recommendedMonthlyCost, r.monthlySavings, r.transitionCost, r.breakEvenMonths]) {
          expect(Number.isFinite(v)).toBe(true);
        }
        expect(r.monthlySavings).toBe(r.currentMonthlyCost - r.recommendedMonthlyCost);
        const h = options.horizonMonths;
        expect(r.recommendedMonthlyCost * h + r.transitionCost).toBeLessThanOrEqual(r.currentMonthlyCost * h * (1 + 1e-12));
        if (r.storageClass === obj.currentClass) {
          expect(r.transitionCost).toBe(0);
          expect(r.monthlySavings).toBe(0);
        } else {
          expect(r.monthlySavings).toBeGreaterThan(0);
        }
      }),
    );
  });

  it('is deterministic and stays put when no access data is given', () => {
    fc.assert(
      fc.property(objectArb, ({ obj, options }) => {
        const { daysSinceLastAccess: _d, readsPerMonth: _r, ...bare } = obj;
        const a = recommendStorageClass(bare, options);
        expect(recommendStorageClass(bare, options)).toEqual(a);
        const names = Object.keys(DEFAULT_STORAGE_PRICES[options.provider].classes);
        const chosen = DEFAULT_STORAGE_PRICES[options.provider].classes[a.storageClass]!;
        if (a.storageClass !== obj.currentClass) {
          expect(names).toContain(a.storageClass);
          expect(chosen.retrievalPerGb).toBe(0);
          expect(chosen.minStorageDays).toBe(0);
        }
      }),
    );
  });
});

describe('recommendStorageClass: validation', () => {
  const ok: StorageObject = { sizeBytes: 1, ageDays: 1, currentClass: 'STANDARD' };
  const field = (fn: () => unknown): string | undefined => {
    try {
      fn();
    } catch (e) {
      return (e as OracleRangeError).field;
    }
    return undefined;
  };

  it('rejects bad numbers naming the field', () => {
    expect(() => recommendStorageClass({ ...ok, sizeBytes: -1 }, { provider: 'aws' })).toThrow(OracleRangeError);
    expect(field(() => recommendStorageClass({ ...ok, sizeBytes: -1 }, { provider: 'aws' }))).toBe('object.sizeBytes');
    expect(field(() => recommendStorageClass({ ...ok, ageDays: Number.NaN }, { provider: 'aws' }))).toBe('object.ageDays');
    expect(field(() => recommendStorageClass({ ...ok, readsPerMonth: -2 }, { provider: 'aws' }))).toBe('object.readsPerMonth');
    expect(field(() => recommendStorageClass({ ...ok, daysSinceLastAccess: Number.POSITIVE_INFINITY }, { provider: 'aws' }))).toBe(
      'object.daysSinceLastAccess',
    );
    expect(field(() => recommendStorageClass(ok, { provider: 'aws', horizonMonths: 0 }))).toBe('options.horizonMonths');
  });

  it('rejects unknown classes and providers', () => {
    expect(() => recommendStorageClass({ ...ok, currentClass: 'GLACIER_FLEXIBLE' }, { provider: 'aws' })).toThrow(OracleTypeError);
    expect(() => recommendStorageClass({ ...ok, currentClass: 'Hot' }, { provider: 'aws' })).toThrow(/object\.currentClass.*STANDARD/);
    expect(() => recommendStorageClass(ok, { provider: 'ibm' as 'aws' })).toThrow(OracleTypeError);
    expect(field(() => recommendStorageClass(ok, { provider: 'aws', allowedClasses: ['COLDLINE'] }))).toBe('options.allowedClasses[0]');
  });

  it('validates custom price tables', () => {
    const bad = { ...AWS_S3_PRICES, classes: { ...AWS_S3_PRICES.classes, STANDARD: { ...AWS_S3_PRICES.classes['STANDARD']!, storagePerGbMonth: -1 } } };
    expect(field(() => recommendStorageClass(ok, { provider: 'aws', prices: bad }))).toBe('options.prices.classes.STANDARD.storagePerGbMonth');
    expect(field(() => recommendStorageClass({ ...ok, currentClass: 'STANDARD' }, { provider: 'gcp', prices: AWS_S3_PRICES }))).toBe('options.prices.provider');
    expect(() => validateStoragePriceTable({ ...AWS_S3_PRICES, baseClass: 'NOPE' })).toThrow(OracleTypeError);
    for (const t of Object.values(DEFAULT_STORAGE_PRICES)) expect(validateStoragePriceTable(t)).toBe(t);
  });

  it('carries provenance on the default tables', () => {
    for (const t of Object.values(DEFAULT_STORAGE_PRICES)) {
      expect(t.sources.length).toBeGreaterThan(0);
      expect(t.asOf).toMatch(/^\d{4}-\d{2}/);
      expect(t.sources.some((s) => s.thirdParty)).toBe(true);
    }
  });
});
