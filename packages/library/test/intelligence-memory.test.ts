import { createManualClock } from '@almanac/core';
import { describe, expect, it } from 'vitest';
import { createMemoryStorage } from '../src/adapters/memory';
import type { Storage } from '../src/index';
import { applyTiering, checkPosture, type IntelligenceStorage, type ScanResult, scan } from '../src/index';

const T0 = Date.parse('2024-01-01T00:00:00Z');
const NOW = new Date('2026-11-01T00:00:00Z');
const CARD = '4111 1111 1111 1111';
const SSN = '536-22-8834';
// AWS class names, so the memory store is priced with the S3 table.
const S3_CLASSES = ['STANDARD', 'STANDARD_IA', 'INTELLIGENT_TIERING', 'GLACIER_IR', 'GLACIER', 'DEEP_ARCHIVE'];

async function seeded(): Promise<Storage> {
  const clock = createManualClock(T0);
  const storage = createMemoryStorage({ clock, storageClasses: S3_CLASSES });
  await storage.write('logs/2024/app.log.gz', new Uint8Array(8 * 1024 * 1024), { contentType: 'application/gzip' });
  clock.set(NOW.getTime() - 86_400_000);
  await storage.write('payments/batch.csv', `id,name,card\n1,Ann,${CARD}\n`, { contentType: 'text/csv' });
  await storage.write('people/records.txt', `name: Carol, ssn: ${SSN}\n`, { contentType: 'text/plain' });
  await storage.write('app/.env', 'DATABASE_URL=postgres://app@db/prod\n');
  await storage.write('images/photo.png', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]), { contentType: 'image/png' });
  return storage;
}

/** Wraps a storage to count reads and the most in flight at once. */
function counting(storage: Storage): IntelligenceStorage & { reads: string[]; maxInFlight: number } {
  let inFlight = 0;
  const wrapper = {
    name: storage.name,
    capabilities: storage.capabilities,
    reads: [] as string[],
    maxInFlight: 0,
    supports: (c: 'rangeRead' | 'storageClass' | 'posture') => storage.supports(c),
    list: (o?: { prefix?: string; signal?: AbortSignal }) => storage.list(o),
    setStorageClass: (k: string, c: string, o?: { signal?: AbortSignal }) => storage.setStorageClass(k, c, o),
    posture: (o?: { signal?: AbortSignal }) => storage.posture(o),
    async readBytes(key: string, o?: Parameters<Storage['readBytes']>[1]) {
      wrapper.reads.push(key);
      inFlight += 1;
      wrapper.maxInFlight = Math.max(wrapper.maxInFlight, inFlight);
      try {
        await new Promise((resolve) => setTimeout(resolve, 1));
        return await storage.readBytes(key, o);
      } finally {
        inFlight -= 1;
      }
    },
  };
  return wrapper;
}

const idle = (key: string) => (key.startsWith('logs/') ? { daysSinceLastAccess: 365 } : undefined);

async function collect(run: AsyncIterable<ScanResult>): Promise<Map<string, ScanResult>> {
  const out = new Map<string, ScanResult>();
  for await (const r of run) out.set(r.key, r);
  return out;
}

describe('intelligence on the memory adapter', () => {
  it('classifies, masks, skips binaries and finds savings', async () => {
    const storage = counting(await seeded());
    const run = scan(storage, { now: NOW, accessStats: idle, standard: 'pci' });
    const results = await collect(run);
    expect(results.get('payments/batch.csv')).toMatchObject({ classification: 'financial', sampled: true });
    expect(results.get('people/records.txt')).toMatchObject({ classification: 'pii' });
    expect(results.get('app/.env')).toMatchObject({ classification: 'confidential' });
    expect(results.get('images/photo.png')).toMatchObject({ sampled: false, sampleSkipped: 'binary' });
    expect(storage.reads).not.toContain('images/photo.png');
    expect(storage.reads).not.toContain('logs/2024/app.log.gz');
    const json = JSON.stringify([...results.values()]);
    expect(json).not.toContain(CARD);
    expect(json).not.toContain(SSN);
    const log = results.get('logs/2024/app.log.gz')!;
    expect(log.storageClass).toBe('STANDARD');
    expect(log.tiering!.storageClass).not.toBe('STANDARD');
    expect(log.tiering!.monthlySavings).toBeGreaterThan(0);
    const s = run.summary();
    expect(s).toMatchObject({ objects: 5, sampled: 3, notSampled: 2 });
    expect(s.bytes).toBe([...results.values()].reduce((sum, r) => sum + r.size, 0));
    expect(s.monthlySavings).toBeCloseTo(log.tiering!.monthlySavings);
  });

  it('bounds concurrent reads', async () => {
    const storage = await seeded();
    for (let i = 0; i < 40; i++) await storage.write(`notes/${String(i).padStart(2, '0')}.txt`, `note ${i}`, { contentType: 'text/plain' });
    const wrapped = counting(storage);
    await scan(wrapped, { now: NOW, concurrency: 5 }).finish();
    expect(wrapped.maxInFlight).toBeGreaterThan(1);
    expect(wrapped.maxInFlight).toBeLessThanOrEqual(5);
  });

  it('applies tiering: dry run first, then for real', async () => {
    const storage = await seeded();
    const plan = [...(await collect(scan(storage, { now: NOW, accessStats: idle }))).values()];
    const dry = await applyTiering(storage, plan);
    expect(dry.changed.map((c) => c.key)).toEqual(['logs/2024/app.log.gz']);
    expect((await storage.stat('logs/2024/app.log.gz')).storageClass).toBe('STANDARD');
    const real = await applyTiering(storage, plan, { dryRun: false });
    expect(real.failed).toEqual([]);
    expect((await storage.stat('logs/2024/app.log.gz')).storageClass).toBe(real.changed[0]!.to);
    const none = await applyTiering(storage, plan, { dryRun: false, minMonthlySavings: 1 });
    expect(none.changed).toEqual([]);
  });

  it('checks posture through the provider, or falls back', async () => {
    const storage = await seeded();
    expect((await checkPosture(storage))[0]!.rule).toBe('memory.volatile');
    const blind = createMemoryStorage({ capabilities: { posture: false } });
    expect((await checkPosture(blind))[0]).toMatchObject({ rule: 'posture.unavailable', severity: 'info' });
  });

  it('with the default memory classes, stays put rather than guessing', async () => {
    const clock = createManualClock(T0);
    const storage = createMemoryStorage({ clock });
    await storage.write('logs/old.log.gz', new Uint8Array(1024), { contentType: 'application/gzip' });
    const [r] = (await collect(scan(storage, { now: NOW, accessStats: idle }))).values();
    // INFREQUENT and ARCHIVE are not in any price table, so only STANDARD can be priced.
    expect(r!.tiering!.storageClass).toBe('STANDARD');
  });
});
