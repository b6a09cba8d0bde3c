import { NotFoundError, ValidationError } from '@almanac/core';
import { describe, expect, it } from 'vitest';
import { applyTiering, checkPosture, type IntelligenceStorage, POSTURE_UNAVAILABLE_RULE, type ScanResult, scan } from '../src/index';
import type { Storage } from '../src/index';
import type { ByteRange, ListEntry, ObjectInfo, PostureFinding, StorageCapabilities } from '../src/spec';
import { NO_CAPABILITIES } from './support/fixtures';

const NOW = new Date('2026-11-01T00:00:00Z');
const CARD = '4111 1111 1111 1111';
const SSN = '536-22-8834';
const encoder = new TextEncoder();

const CAPS: StorageCapabilities = {
  ...NO_CAPABILITIES,
  list: true,
  listDelimiter: true,
  rangeRead: true,
  storageClass: true,
  storageClasses: ['STANDARD', 'STANDARD_IA', 'INTELLIGENT_TIERING', 'GLACIER_IR', 'GLACIER', 'DEEP_ARCHIVE'],
};

interface Seed {
  key: string;
  body?: string;
  size?: number;
  contentType?: string;
  storageClass?: string;
  lastModified?: Date;
  metadata?: Record<string, string>;
}

/** A small in-test `Storage` that counts list pulls, reads and concurrent reads. */
class FakeStorage implements IntelligenceStorage {
  readonly name: string;
  readonly capabilities: StorageCapabilities;
  readonly objects = new Map<string, { info: ObjectInfo; bytes: Uint8Array }>();
  readonly reads: { key: string; range: ByteRange | undefined }[] = [];
  readonly classChanges: { key: string; to: string }[] = [];
  pulled = 0;
  inFlight = 0;
  maxInFlight = 0;
  failClassChangeFor = new Set<string>();
  postureFindings: PostureFinding[] | undefined;

  constructor(name = 's3', caps: Partial<StorageCapabilities> = {}) {
    this.name = name;
    this.capabilities = { ...CAPS, ...caps };
  }

  seed(s: Seed): this {
    const bytes = encoder.encode(s.body ?? '');
    const info: ObjectInfo = {
      key: s.key,
      size: s.size ?? bytes.length,
      lastModified: s.lastModified ?? new Date('2026-10-01T00:00:00Z'),
      metadata: s.metadata ?? {},
      ...(s.contentType === undefined ? {} : { contentType: s.contentType }),
      storageClass: s.storageClass ?? 'STANDARD',
    };
    this.objects.set(s.key, { info, bytes });
    return this;
  }

  supports(capability: 'rangeRead' | 'storageClass' | 'posture'): boolean {
    return this.capabilities[capability];
  }

  async *list(options: { prefix?: string; signal?: AbortSignal } = {}): AsyncIterable<ListEntry> {
    const keys = [...this.objects.keys()].sort();
    for (const key of keys) {
      if (options.prefix !== undefined && !key.startsWith(options.prefix)) continue;
      this.pulled += 1;
      yield { type: 'object', ...this.objects.get(key)!.info };
    }
  }

  async readBytes(key: string, options: { range?: ByteRange; signal?: AbortSignal } = {}): Promise<Uint8Array> {
    this.reads.push({ key, range: options.range });
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      await new Promise((resolve) => setTimeout(resolve, 1));
      const o = this.objects.get(key);
      if (o === undefined) throw new NotFoundError(`no ${key}`);
      return o.bytes.subarray(options.range?.start ?? 0, options.range?.end ?? o.bytes.length);
    } finally {
      this.inFlight -= 1;
    }
  }

  async setStorageClass(key: string, storageClass: string): Promise<void> {
    if (this.failClassChangeFor.has(key)) throw new Error('denied');
    const o = this.objects.get(key)!;
    o.info = { ...o.info, storageClass };
    this.classChanges.push({ key, to: storageClass });
  }

  async posture(): Promise<PostureFinding[]> {
    return this.postureFindings ?? [];
  }
}

function seeded(): FakeStorage {
  return new FakeStorage()
    .seed({ key: 'payments/2026/batch.csv', contentType: 'text/csv', body: `id,name,card\n1,Ann,${CARD}\n2,Bob,${CARD.replaceAll(' ', '')}\n` })
    .seed({ key: 'people/records.txt', contentType: 'text/plain', body: `name: Carol, ssn: ${SSN}\n` })
    .seed({ key: 'app/.env', body: 'DATABASE_URL=postgres://app@db/prod\nLOG_LEVEL=info\n' })
    .seed({
      key: 'logs/2023/app.log.gz',
      contentType: 'application/gzip',
      size: 5e9,
      lastModified: new Date('2023-01-15T00:00:00Z'),
    })
    .seed({ key: 'images/photo.png', contentType: 'image/png', body: '\u0000PNG' })
    .seed({ key: 'notes/readme.md', contentType: 'text/markdown', body: '# hello\nnothing to see\n' });
}

const idle = (key: string) => (key.startsWith('logs/') ? { daysSinceLastAccess: 600 } : undefined);

async function collect(run: AsyncIterable<ScanResult>): Promise<Map<string, ScanResult>> {
  const out = new Map<string, ScanResult>();
  for await (const r of run) out.set(r.key, r);
  return out;
}

describe('scan', () => {
  it('classifies a card-number object as financial with masked samples only', async () => {
    const results = await collect(scan(seeded(), { now: NOW, standard: 'pci' }));
    const r = results.get('payments/2026/batch.csv')!;
    expect(r.classification).toBe('financial');
    expect(r.sampled).toBe(true);
    const card = r.findings.find((f) => f.type === 'credit_card')!;
    expect(card.count).toBe(2);
    expect(card.samples.every((s) => s.endsWith('1111') && s.includes('*'))).toBe(true);
    expect(r.securityFindings.map((f) => f.rule)).toContain('content.payment_data');
    expect(r.compliance?.status).toBe('non_compliant');
    expect(r.compliance?.encryption).toEqual({ encrypted: false, source: 'assumed' });
    const json = JSON.stringify([...results.values()]);
    expect(json).not.toContain(CARD);
    expect(json).not.toContain(CARD.replaceAll(' ', ''));
    expect(json).not.toContain(SSN);
  });

  it('finds the SSN as pii and labels .env as confidential', async () => {
    const results = await collect(scan(seeded(), { now: NOW }));
    expect(results.get('people/records.txt')!.classification).toBe('pii');
    expect(results.get('people/records.txt')!.findings[0]!.samples).toEqual(['***-**-8834']);
    const env = results.get('app/.env')!;
    expect(env.classification).toBe('confidential');
    expect(env.securityFindings).toEqual([expect.objectContaining({ rule: 'key.secret_file', severity: 'medium' })]);
    expect(results.get('notes/readme.md')!.compliance).toBeNull();
  });

  it('flags credentials in content as high severity', async () => {
    const storage = new FakeStorage().seed({ key: 'deploy/config.txt', contentType: 'text/plain', body: 'aws_access_key_id = AKIAIOSFODNN7EXAMPLE\n' });
    const [r] = (await collect(scan(storage, { now: NOW }))).values();
    expect(r!.classification).toBe('confidential');
    expect(r!.securityFindings[0]).toMatchObject({ rule: 'content.secret', severity: 'high' });
    expect(JSON.stringify(r)).not.toContain('AKIAIOSFODNN7EXAMPLE');
  });

  it('recommends a cheaper class with positive savings for a big, old, idle log', async () => {
    const results = await collect(scan(seeded(), { now: NOW, accessStats: idle }));
    const log = results.get('logs/2023/app.log.gz')!;
    expect(log.tiering).not.toBeNull();
    expect(log.tiering!.currentClass).toBe('STANDARD');
    expect(log.tiering!.storageClass).not.toBe('STANDARD');
    expect(log.tiering!.monthlySavings).toBeGreaterThan(0);
  });

  it('never treats unknown access as never accessed', async () => {
    const results = await collect(scan(seeded(), { now: NOW }));
    const log = results.get('logs/2023/app.log.gz')!;
    expect(log.tiering!.storageClass).toBe('STANDARD');
    expect(log.tiering!.monthlySavings).toBe(0);
  });

  it('samples text with a range read and skips binaries', async () => {
    const storage = seeded();
    const results = await collect(scan(storage, { now: NOW, sampleBytes: 16 }));
    const readKeys = storage.reads.map((r) => r.key);
    expect(readKeys).not.toContain('images/photo.png');
    expect(readKeys).not.toContain('logs/2023/app.log.gz');
    expect(results.get('images/photo.png')).toMatchObject({ sampled: false, sampleSkipped: 'binary', sampledBytes: 0 });
    expect(results.get('logs/2023/app.log.gz')).toMatchObject({ sampled: false, sampleSkipped: 'binary' });
    for (const read of storage.reads) expect(read.range?.start).toBe(0);
    expect(storage.reads.every((r) => (r.range?.end ?? Number.POSITIVE_INFINITY) <= 16)).toBe(true);
    expect(results.get('notes/readme.md')!.sampledBytes).toBe(16);
  });

  it('skips sampling without rangeRead and says so', async () => {
    const storage = seeded();
    (storage.capabilities as { rangeRead: boolean }).rangeRead = false;
    const results = await collect(scan(storage, { now: NOW }));
    expect(storage.reads).toHaveLength(0);
    expect(results.get('payments/2026/batch.csv')).toMatchObject({ sampled: false, sampleSkipped: 'range_read_unsupported' });
    // Key conventions still apply without content.
    expect(results.get('app/.env')!.classification).toBe('confidential');
  });

  it('keeps going when one read fails', async () => {
    const storage = seeded();
    const original = storage.readBytes.bind(storage);
    storage.readBytes = (key, options) => (key === 'people/records.txt' ? Promise.reject(new NotFoundError('gone')) : original(key, options));
    const results = await collect(scan(storage, { now: NOW }));
    expect(results.get('people/records.txt')).toMatchObject({ sampled: false, sampleSkipped: 'read_failed' });
    expect(results.size).toBe(6);
  });

  it('respects the concurrency bound and yields in listing order', async () => {
    const storage = new FakeStorage();
    for (let i = 0; i < 60; i++) storage.seed({ key: `t/${String(i).padStart(3, '0')}.txt`, contentType: 'text/plain', body: `line ${i}` });
    const keys: string[] = [];
    for await (const r of scan(storage, { now: NOW, concurrency: 3 })) keys.push(r.key);
    expect(storage.maxInFlight).toBeGreaterThan(1);
    expect(storage.maxInFlight).toBeLessThanOrEqual(3);
    expect(keys).toEqual([...keys].sort());
    expect(keys).toHaveLength(60);
  });

  it('streams: pulls at most concurrency + 1 entries ahead and keeps no result list', async () => {
    const storage = new FakeStorage();
    for (let i = 0; i < 200; i++) storage.seed({ key: `t/${String(i).padStart(3, '0')}.txt`, contentType: 'text/plain', body: `line ${i}` });
    const run = scan(storage, { now: NOW, concurrency: 4 });
    let seen = 0;
    let maxAhead = 0;
    let firstSummaryJson = '';
    for await (const _ of run) {
      seen += 1;
      maxAhead = Math.max(maxAhead, storage.pulled - seen);
      if (seen === 10) firstSummaryJson = JSON.stringify(run.summary());
    }
    expect(maxAhead).toBeLessThanOrEqual(4);
    // The run's state is totals only: same shape and size at 10 and 200 objects.
    expect(JSON.stringify(run.summary()).length).toBeLessThanOrEqual(firstSummaryJson.length + 8);
    expect(Object.values(run).some((v) => Array.isArray(v))).toBe(false);
  });

  it('stops early without reading the rest of the listing', async () => {
    const storage = new FakeStorage();
    for (let i = 0; i < 100; i++) storage.seed({ key: `t/${String(i).padStart(3, '0')}.txt`, contentType: 'text/plain', body: 'x' });
    const run = scan(storage, { now: NOW, concurrency: 2 });
    for await (const r of run) if (r.key === 't/004.txt') break;
    expect(storage.pulled).toBeLessThanOrEqual(8);
    expect(run.done).toBe(false);
  });

  it('summarises totals after iteration', async () => {
    const storage = seeded();
    const run = scan(storage, { now: NOW, accessStats: idle, standard: 'gdpr' });
    const s = await run.finish();
    expect(run.done).toBe(true);
    const total = [...storage.objects.values()].reduce((sum, o) => sum + o.info.size, 0);
    expect(s.objects).toBe(6);
    expect(s.bytes).toBe(total);
    expect(s.bytesByClassification.financial).toBe(storage.objects.get('payments/2026/batch.csv')!.info.size);
    expect(s.objectsByClassification.confidential).toBe(1);
    expect(Object.values(s.bytesByClassification).reduce((a, b) => a + b, 0)).toBe(total);
    expect(s.notSampled).toBe(2);
    expect(s.notSampledByReason).toEqual({ binary: 2 });
    expect(s.sampled).toBe(4);
    expect(s.monthlySavings).toBeGreaterThan(0);
    const [target, totals] = Object.entries(s.savingsByTargetClass)[0]!;
    expect(target).not.toBe('STANDARD');
    expect(totals).toMatchObject({ objects: 1, bytes: 5e9 });
    expect(s.securityFindingsBySeverity.medium).toBe(2);
    expect(s.currency).toBe('USD');
    expect(s.complianceByStatus.non_compliant).toBe(2);
  });

  it('picks the price table from the storage name', async () => {
    const gcs = new FakeStorage('gcs', { storageClasses: ['STANDARD', 'NEARLINE', 'COLDLINE', 'ARCHIVE'] }).seed({
      key: 'logs/old.log.gz',
      contentType: 'application/gzip',
      size: 5e9,
      lastModified: new Date('2023-01-01T00:00:00Z'),
    });
    const [r] = (await collect(scan(gcs, { now: NOW, accessStats: idle, standard: 'gdpr' }))).values();
    expect(['NEARLINE', 'COLDLINE', 'ARCHIVE']).toContain(r!.tiering!.storageClass);
    expect(r!.compliance?.encryption.source).toBe('platform');
  });

  it('reports no tiering for unknown classes or providers without classes', async () => {
    const fs = new FakeStorage('fs', { storageClass: false, storageClasses: [] }).seed({ key: 'a.txt', contentType: 'text/plain', body: 'a' });
    const [a] = (await collect(scan(fs, { now: NOW }))).values();
    expect(a).toMatchObject({ tiering: null, tieringSkipped: 'storage_class_unsupported' });
    const odd = new FakeStorage().seed({ key: 'b.txt', contentType: 'text/plain', body: 'b', storageClass: 'REDUCED_REDUNDANCY' });
    const [b] = (await collect(scan(odd, { now: NOW }))).values();
    expect(b).toMatchObject({ tiering: null, tieringSkipped: 'unknown_storage_class' });
  });

  it('validates options and rejects on abort', async () => {
    const storage = seeded();
    expect(() => scan(storage, {} as never)).toThrow(ValidationError);
    expect(() => scan(storage, { now: NOW, concurrency: 0 })).toThrow(/concurrency/);
    expect(() => scan(storage, { now: new Date(Number.NaN) })).toThrow(ValidationError);
    const controller = new AbortController();
    controller.abort();
    await expect(scan(storage, { now: NOW, signal: controller.signal }).finish()).rejects.toMatchObject({ code: 'aborted' });
  });

  it('can be iterated only once', async () => {
    const run = scan(seeded(), { now: NOW });
    await run.finish();
    expect(() => run[Symbol.asyncIterator]()).toThrow(/only once/);
  });
});

describe('applyTiering', () => {
  async function plan(storage: FakeStorage): Promise<ScanResult[]> {
    // Collected here only to feed applyTiering twice; real callers stream the scan into it.
    return [...(await collect(scan(storage, { now: NOW, accessStats: idle }))).values()];
  }

  it('dry run changes nothing and reports', async () => {
    const storage = seeded();
    const report = await applyTiering(storage, await plan(storage));
    expect(report.dryRun).toBe(true);
    expect(storage.classChanges).toHaveLength(0);
    expect(report.changed).toHaveLength(1);
    expect(report.changed[0]).toMatchObject({ key: 'logs/2023/app.log.gz', from: 'STANDARD' });
    expect(report.totalMonthlySavings).toBeCloseTo(report.changed[0]!.monthlySavings);
    expect(report.skipped.filter((s) => s.code === 'already_in_class')).toHaveLength(5);
    expect(storage.objects.get('logs/2023/app.log.gz')!.info.storageClass).toBe('STANDARD');
  });

  it('real run changes classes', async () => {
    const storage = seeded();
    const report = await applyTiering(storage, await plan(storage), { dryRun: false });
    expect(report.changed).toHaveLength(1);
    const to = report.changed[0]!.to;
    expect(storage.classChanges).toEqual([{ key: 'logs/2023/app.log.gz', to }]);
    expect(storage.objects.get('logs/2023/app.log.gz')!.info.storageClass).toBe(to);
  });

  it('respects minMonthlySavings and takes async sources', async () => {
    const storage = seeded();
    const results = await plan(storage);
    async function* stream() {
      yield* results;
    }
    const report = await applyTiering(storage, stream(), { dryRun: false, minMonthlySavings: 1000 });
    expect(report.changed).toHaveLength(0);
    expect(storage.classChanges).toHaveLength(0);
    expect(report.skipped.find((s) => s.key === 'logs/2023/app.log.gz')?.code).toBe('below_min_savings');
  });

  it('collects per-key errors instead of throwing', async () => {
    const storage = new FakeStorage();
    storage.failClassChangeFor.add('a');
    const items = [
      { key: 'a', storageClass: 'STANDARD', tiering: { storageClass: 'GLACIER', monthlySavings: 2 } },
      { key: 'b', storageClass: 'STANDARD', tiering: { storageClass: 'GLACIER', monthlySavings: 3 } },
    ];
    storage.seed({ key: 'b' });
    const report = await applyTiering(storage, items, { dryRun: false });
    expect(report.failed).toEqual([{ key: 'a', to: 'GLACIER', error: expect.any(Error) }]);
    expect(report.changed.map((c) => c.key)).toEqual(['b']);
    expect(report.totalMonthlySavings).toBe(3);
  });

  it('skips with a reason when the storage has no storage classes', async () => {
    const storage = new FakeStorage('fs', { storageClass: false, storageClasses: [] });
    const report = await applyTiering(storage, [{ key: 'x', storageClass: undefined, tiering: { storageClass: 'GLACIER', monthlySavings: 1 } }], {
      dryRun: false,
    });
    expect(report.changed).toHaveLength(0);
    expect(report.skipped).toEqual([{ key: 'x', code: 'storage_class_unsupported', reason: expect.stringContaining('fs') }]);
  });

  it('skips classes the provider does not offer, and stops on abort', async () => {
    const storage = new FakeStorage('s3', { storageClasses: ['STANDARD'] });
    const item = { key: 'x', storageClass: 'STANDARD', tiering: { storageClass: 'GLACIER', monthlySavings: 1 } };
    expect((await applyTiering(storage, [item])).skipped[0]!.code).toBe('class_not_offered');
    const controller = new AbortController();
    controller.abort();
    const report = await applyTiering(storage, [item], { signal: controller.signal });
    expect(report).toMatchObject({ aborted: true, changed: [], skipped: [] });
  });
});

describe('checkPosture', () => {
  it('falls back to an info finding when posture is unsupported', async () => {
    const findings = await checkPosture(new FakeStorage('memory'));
    expect(findings).toEqual([{ rule: POSTURE_UNAVAILABLE_RULE, severity: 'info', passed: false, message: expect.stringContaining('memory') }]);
  });

  it('returns the provider findings when supported', async () => {
    const storage = new FakeStorage('s3', { posture: true });
    storage.postureFindings = [{ rule: 's3.public_access_block', severity: 'high', passed: false, message: 'Public access is not blocked.' }];
    expect(await checkPosture(storage)).toEqual(storage.postureFindings);
  });
});

describe('types', () => {
  it('accepts the Storage facade', () => {
    // Compile-time check: every facade Storage is a valid intelligence target.
    const accepts = (storage: Storage): IntelligenceStorage => storage;
    expect(typeof accepts).toBe('function');
  });
});

describe('scan access stats', () => {
  it('rejects bad access data naming the key', async () => {
    const run = scan(seeded(), { now: NOW, accessStats: () => ({ daysSinceLastAccess: -1 }) });
    await expect(run.finish()).rejects.toThrow(/daysSinceLastAccess/);
  });
});

describe('scan abort and applyTiering defaults', () => {
  it('rejects with AbortedError when aborted mid-scan', async () => {
    const storage = new FakeStorage();
    for (let i = 0; i < 50; i++) storage.seed({ key: `t/${String(i).padStart(2, '0')}.txt`, contentType: 'text/plain', body: 'x' });
    const controller = new AbortController();
    let seen = 0;
    const consume = async () => {
      for await (const _ of scan(storage, { now: NOW, signal: controller.signal, concurrency: 2 })) {
        seen += 1;
        if (seen === 3) controller.abort();
      }
    };
    await expect(consume()).rejects.toMatchObject({ code: 'aborted' });
    expect(storage.pulled).toBeLessThan(50);
  });

  it('uses the recommendation current class when the item has none', async () => {
    const storage = new FakeStorage();
    const report = await applyTiering(storage, [
      { key: 'a', storageClass: undefined, tiering: { storageClass: 'STANDARD', currentClass: 'STANDARD', monthlySavings: 0 } },
    ]);
    expect(report.skipped[0]!.code).toBe('already_in_class');
  });
});
