import { describe, expect, it } from 'vitest';
import { OracleRangeError, OracleTypeError } from '../src/errors';
import { recommendStorageClass, recommendStorageClasses, type StorageObject, type TieringResult, toLifecycleRules } from '../src/tiering';

const GB = 1e9;
const cold = (ageDays: number, key: string): StorageObject & { key: string } => ({
  key,
  sizeBytes: GB,
  ageDays,
  currentClass: 'STANDARD',
  daysSinceLastAccess: ageDays,
});
const warm = (ageDays: number, key: string): StorageObject & { key: string } => ({
  key,
  sizeBytes: GB,
  ageDays,
  currentClass: 'STANDARD',
  daysSinceLastAccess: 60,
});
const hot = (key: string): StorageObject & { key: string } => ({ key, sizeBytes: 5 * GB, ageDays: 10, currentClass: 'STANDARD', readsPerMonth: 100 });

function* inventory(): Generator<StorageObject & { key: string }> {
  yield cold(400, 'a');
  yield warm(100, 'b');
  yield hot('c');
  yield cold(250, 'd');
}

async function* asyncInventory(): AsyncGenerator<StorageObject & { key: string }> {
  for (const o of inventory()) yield o;
}

describe('recommendStorageClasses', () => {
  it('streams the same recommendations as the single call, passing objects through, and sums them', async () => {
    const run = recommendStorageClasses(inventory(), { provider: 'aws' });
    const seen: string[] = [];
    let savings = 0;
    for await (const r of run) {
      seen.push(r.object.key);
      const { object, ...rec } = r;
      expect(rec).toEqual(recommendStorageClass(object, { provider: 'aws' }));
      savings += r.monthlySavings;
    }
    expect(seen).toEqual(['a', 'b', 'c', 'd']);
    expect(run.done).toBe(true);
    const s = run.summary();
    expect(s.objects).toBe(4);
    expect(s.bytes).toBe(8 * GB);
    expect(s.monthlySavings).toBeCloseTo(savings, 12);
    expect(s.byTargetClass['DEEP_ARCHIVE']).toMatchObject({ objects: 2, bytes: 2 * GB, moved: 2, minMovedAgeDays: 250 });
    expect(s.byTargetClass['STANDARD_IA']).toMatchObject({ objects: 1, moved: 1, minMovedAgeDays: 100 });
    expect(s.byTargetClass['STANDARD']).toMatchObject({ objects: 1, bytes: 5 * GB, monthlySavings: 0, moved: 0, minMovedAgeDays: null });
  });

  it('accepts async sources and finish() drains to the summary', async () => {
    const a = await recommendStorageClasses(asyncInventory(), { provider: 'aws' }).finish();
    const b = await recommendStorageClasses([...inventory()], { provider: 'aws' }).finish();
    expect(a).toEqual(b);
  });

  it('is single-use and hands out snapshot summaries', async () => {
    const run = recommendStorageClasses(inventory(), { provider: 'aws' });
    const before = run.summary();
    await run.finish();
    expect(before.objects).toBe(0);
    expect(() => run[Symbol.asyncIterator]()).toThrow(OracleTypeError);
  });

  it('validates options eagerly and objects lazily with their index', async () => {
    expect(() => recommendStorageClasses(inventory(), { provider: 'nope' as 'aws' })).toThrow(OracleTypeError);
    expect(() => recommendStorageClasses(42 as unknown as StorageObject[], { provider: 'aws' })).toThrow(OracleTypeError);
    const run = recommendStorageClasses([cold(400, 'a'), { ...cold(1, 'b'), sizeBytes: -5 }], { provider: 'aws' });
    await expect(run.finish()).rejects.toThrow(OracleRangeError);
    await expect(recommendStorageClasses([{ ...cold(1, 'b'), sizeBytes: Number.NaN }], { provider: 'aws' }).finish()).rejects.toMatchObject({
      field: 'objects[0].sizeBytes',
    });
  });
});

describe('toLifecycleRules', () => {
  const results = async (provider: 'aws' | 'gcp' | 'azure', objs: StorageObject[]): Promise<TieringResult[]> => {
    const out: TieringResult[] = [];
    for await (const r of recommendStorageClasses(objs, { provider })) out.push(r);
    return out;
  };

  it('emits S3 Transitions ordered along the waterfall', async () => {
    const summary = await recommendStorageClasses(inventory(), { provider: 'aws' }).finish();
    expect(toLifecycleRules(summary, { provider: 'aws', prefix: 'logs/' })).toEqual({
      Rules: [
        {
          ID: 'almanac-tiering',
          Status: 'Enabled',
          Filter: { Prefix: 'logs/' },
          Transitions: [
            { Days: 100, StorageClass: 'STANDARD_IA' },
            { Days: 250, StorageClass: 'DEEP_ARCHIVE' },
          ],
        },
      ],
    });
  });

  it('pushes colder transitions after the warmer class minimum duration and never before it', () => {
    const summary = {
      objects: 2,
      bytes: 2,
      monthlySavings: 0,
      byTargetClass: {
        STANDARD_IA: { objects: 1, bytes: 1, monthlySavings: 0, moved: 1, minMovedAgeDays: 12.7 },
        GLACIER: { objects: 1, bytes: 1, monthlySavings: 0, moved: 1, minMovedAgeDays: 40 },
      },
    };
    // IA at >= 30 days (S3 rule), GLACIER at >= 30 + 30 days of IA minimum duration.
    expect(toLifecycleRules(summary, { provider: 'aws' }).Rules[0]!.Transitions).toEqual([
      { Days: 30, StorageClass: 'STANDARD_IA' },
      { Days: 60, StorageClass: 'GLACIER' },
    ]);
  });

  it('emits GCS SetStorageClass rules from results', async () => {
    const objs = [cold(400, 'x'), warm(45, 'y')];
    const rules = toLifecycleRules(await results('gcp', objs), { provider: 'gcp', prefix: 'backups/' });
    expect(rules).toEqual({
      lifecycle: {
        rule: [
          { action: { type: 'SetStorageClass', storageClass: 'NEARLINE' }, condition: { age: 45, matchesStorageClass: ['STANDARD'], matchesPrefix: ['backups/'] } },
          {
            action: { type: 'SetStorageClass', storageClass: 'ARCHIVE' },
            condition: { age: 400, matchesStorageClass: ['STANDARD', 'NEARLINE', 'COLDLINE'], matchesPrefix: ['backups/'] },
          },
        ],
      },
    });
  });

  it('emits an Azure management policy', async () => {
    const objs: StorageObject[] = [{ ...cold(400, 'x'), currentClass: 'Hot' }, { ...warm(45, 'y'), currentClass: 'Hot' }];
    const policy = toLifecycleRules(await results('azure', objs), { provider: 'azure' });
    expect(policy.rules).toHaveLength(1);
    expect(policy.rules[0]!.definition).toEqual({
      filters: { blobTypes: ['blockBlob'] },
      actions: { baseBlob: { tierToCool: { daysAfterModificationGreaterThan: 44 }, tierToArchive: { daysAfterModificationGreaterThan: 399 } } },
    });
  });

  it('returns no rules when nothing moves and rejects bad input', () => {
    const none = { objects: 1, bytes: 1, monthlySavings: 0, byTargetClass: { STANDARD: { objects: 1, bytes: 1, monthlySavings: 0, moved: 0, minMovedAgeDays: null } } };
    expect(toLifecycleRules(none, { provider: 'aws' })).toEqual({ Rules: [] });
    expect(toLifecycleRules({ ...none, byTargetClass: {} }, { provider: 'gcp' })).toEqual({ lifecycle: { rule: [] } });
    expect(() => toLifecycleRules(none, { provider: 'azure' })).toThrow(OracleTypeError);
    expect(() => toLifecycleRules(42 as never, { provider: 'aws' })).toThrow(OracleTypeError);
    expect(() => toLifecycleRules(none, { provider: 'aws', prefix: 7 as unknown as string })).toThrow(OracleTypeError);
  });
});
