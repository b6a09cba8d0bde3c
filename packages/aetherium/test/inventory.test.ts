// Inventory through the other packages' interfaces only: the compute side runs on
// @almanac/engine's simulator behind its Compute facade, the storage side on @almanac/library's
// memory adapter behind its Storage facade (the same facades the AWS, Azure, S3 and GCS
// adapters sit behind). The wire level of EC2/CloudWatch is the engine's (batched GetMetricData,
// tested in packages/engine/test/aws-cloudwatch.test.ts); S3 bucket listing is tested in
// aws-buckets.test.ts.
import { createManualClock } from '@almanac/core';
import { expectAlmanacError } from '@almanac/core/testing';
import { createSimulatorCompute } from '@almanac/engine/simulator';
import { createMemoryStorage } from '@almanac/library/memory';
import { describe, expect, it } from 'vitest';
import { recommendSavings } from '../src/insights/savings';
import { METRIC_QUERIES_PER_CALL, collectComputeUsage } from '../src/inventory/compute';
import type { ComputeInventorySource } from '../src/inventory/compute';
import { collectStorageUsage } from '../src/inventory/storage';

const DAY = 86_400_000;
const START = Date.UTC(2024, 8, 10);

/** The compute facade with its getMetrics calls counted (ids per call). */
function counted(compute: ComputeInventorySource): { compute: ComputeInventorySource; calls: number[] } {
  const calls: number[] = [];
  return {
    calls,
    compute: {
      name: compute.name,
      capabilities: compute.capabilities,
      supports: (c) => compute.supports(c),
      listInstances: (o) => compute.listInstances(o),
      listSizes: (o) => compute.listSizes(o),
      getMetrics: (input) => {
        calls.push(input.ids.length);
        return compute.getMetrics(input);
      },
    },
  };
}

describe('collectComputeUsage (engine simulator)', () => {
  it('turns running instances, priced sizes and CPU/memory percentiles into idle and rightsizing savings', async () => {
    const clock = createManualClock(START);
    const sim = createSimulatorCompute({
      clock,
      seed: 11,
      instances: [
        { id: 'i-idle', size: 'm5.xlarge', load: 'idle' },
        { id: 'i-oversized', size: 'm5.2xlarge', load: 'light' },
        { id: 'i-stopped', size: 'm5.large', state: 'stopped' },
      ],
    });
    const { compute, calls } = counted(sim);
    const inventory = await collectComputeUsage(compute, { range: { start: new Date(START - 3 * DAY), end: new Date(START) } });
    expect(inventory.instances).toBe(3);
    expect(calls).toEqual([2]); // both running instances in one call
    expect(inventory.usage.map((u) => [u.resourceId, u.currentSize, u.memoryMeasured])).toEqual([
      ['i-idle', 'm5.xlarge', true],
      ['i-oversized', 'm5.2xlarge', true],
    ]);
    const oversized = inventory.usage[1]!;
    expect(oversized.cpuPercentiles.p95).toBeGreaterThan(0);
    expect(oversized.cpuPercentiles.p95).toBeLessThan(8); // vCPU of an m5.2xlarge, not percent
    expect(inventory.currency).toBe('USD');

    const savings = recommendSavings({ compute: inventory.usage });
    const byId = new Map(savings.map((s) => [s.resourceId, s]));
    expect(byId.get('i-idle')?.kind).toBe('idle');
    expect(byId.get('i-idle')?.monthlySaving).toBeCloseTo(0.192 * 730, 2);
    expect(byId.get('i-oversized')?.kind).toBe('rightsize');
    expect(byId.get('i-oversized')?.evidence['from']).toBe('m5.2xlarge');
    expect(byId.has('i-stopped')).toBe(false);
  });

  it(`asks for metrics in batches of ${METRIC_QUERIES_PER_CALL} series, never once per instance`, async () => {
    const clock = createManualClock(START);
    const sim = createSimulatorCompute({ clock, seed: 2, instances: Array.from({ length: 260 }, (_, i) => ({ id: `i-${String(i).padStart(4, '0')}`, size: 't3.large', load: 'steady' as const })) });
    const { compute, calls } = counted(sim);
    // Two hours of data: too little to judge (30 h are needed), which the notes say per instance.
    const inventory = await collectComputeUsage(compute, { range: { start: new Date(START - 2 * 3_600_000), end: new Date(START) } });
    // cpu + memory: 250 instances × 2 metrics = 500 queries per call.
    expect(calls).toEqual([250, 10]);
    expect(inventory.usage).toEqual([]);
    expect(inventory.notes.filter((n) => n.includes('h of CPU data'))).toHaveLength(260);
  });

  it('keeps the current memory as a floor when memory is not reported, and says what it could not judge', async () => {
    const clock = createManualClock(START);
    const sim = createSimulatorCompute({ clock, seed: 5, instances: [{ id: 'i-a', size: 'm5.xlarge', load: 'light' }, { id: 'i-b', size: 'r5.large' }] });
    const noMemory: ComputeInventorySource = { ...counted(sim).compute, capabilities: { metricNames: ['cpu'] } };
    const sizes = [
      { name: 'm5.xlarge', vcpus: 4, memoryGiB: 16, hourlyPrice: 0.192 },
      { name: 'c5.xlarge', vcpus: 4, memoryGiB: 8, hourlyPrice: 0.17 },
      { name: 'm5.large', vcpus: 2, memoryGiB: 8, hourlyPrice: 0.096 },
    ];
    const inventory = await collectComputeUsage(noMemory, { range: { start: new Date(START - 2 * DAY), end: new Date(START) }, sizes });
    expect(inventory.notes).toContain('i-b: size r5.large has no price; not rightsized');
    const a = inventory.usage.find((u) => u.resourceId === 'i-a')!;
    expect(a.memoryMeasured).toBe(false);
    // rightsize adds 20 % headroom: the floor asks for exactly the current 16 GiB, so no 8 GiB size qualifies.
    expect(a.memoryPercentiles.p95! * 1.2).toBeCloseTo(16, 9);
    const advice = recommendSavings({ compute: inventory.usage });
    expect(advice.filter((s) => s.kind === 'rightsize')).toEqual([]);
  });

  it('validates its options', async () => {
    const sim = createSimulatorCompute({ clock: createManualClock(START) });
    await expectAlmanacError(collectComputeUsage(sim, { range: { start: new Date(START), end: new Date(START - DAY) } }), { code: 'validation', field: 'options.range.end' });
    await expectAlmanacError(collectComputeUsage(sim, { range: { start: 'yesterday', end: new Date(START) } }), { code: 'validation', field: 'options.range.start' });
    await expectAlmanacError(collectComputeUsage(sim, { range: { start: new Date(START - DAY), end: new Date(START) }, periodSeconds: 90 }), { code: 'validation', field: 'options.periodSeconds' });
  });
});

describe('collectStorageUsage (library memory storage)', () => {
  it('prices every object with the tiering model and groups moves by prefix into lifecycle-rule savings, with the bucket posture', async () => {
    const now = new Date(START);
    const clock = createManualClock(START - 500 * DAY);
    const storage = createMemoryStorage({ clock, storageClasses: ['STANDARD', 'STANDARD_IA', 'GLACIER_IR', 'GLACIER', 'DEEP_ARCHIVE'] });
    const big = new Uint8Array(64 * 1024 * 1024);
    await storage.write('logs/2023/a.log.gz', big, { storageClass: 'STANDARD' });
    await storage.write('logs/2023/b.log.gz', big, { storageClass: 'STANDARD' });
    clock.set(START - 2 * DAY);
    await storage.write('app/config.json', '{"a":1}', { storageClass: 'STANDARD' });
    await storage.write('logs/today.log', big, { storageClass: 'STANDARD' });

    const inventory = await collectStorageUsage(storage, {
      now,
      bucket: 'acme-data',
      accessStats: (key) => (key.startsWith('logs/2023/') ? { daysSinceLastAccess: 400, readsPerMonth: 0 } : { daysSinceLastAccess: 1, readsPerMonth: 30 }),
    });
    expect(inventory.objects).toBe(4);
    expect(inventory.bytes).toBe(3 * big.length + 7);
    // Only the two old, unread logs move; the fresh log and the config stay.
    expect(inventory.tiering).toHaveLength(1);
    const group = inventory.tiering[0]!;
    expect(group).toMatchObject({ resourceId: 'acme-data/logs/', provider: 'aws', currentClass: 'STANDARD', objects: 2, bytes: 2 * big.length, minAgeDays: 500, currency: 'USD' });
    expect(group.targetClass).not.toBe('STANDARD');
    expect(group.monthlySaving).toBeGreaterThan(0);
    // The library's posture checks of the bucket (the memory adapter's one rule).
    expect(inventory.posture?.map((f) => f.rule)).toEqual(['memory.volatile']);

    // 128 MiB save a fraction of a cent a month: report savings from 0.001 USD.
    const savings = recommendSavings({ storageGroups: inventory.tiering }, { minMonthlySaving: 0.001 });
    expect(savings).toHaveLength(1);
    expect(savings[0]).toMatchObject({ kind: 'storage-tier', resourceId: 'acme-data/logs/', currency: 'USD' });
    expect(savings[0]?.evidence).toMatchObject({ from: 'STANDARD', to: group.targetClass, objects: 2, lifecycleTransitionAfterDays: 500 });
    expect(savings[0]?.title).toMatch(/lifecycle rule on that prefix/);
  });

  it('never reads unknown access as "never read"', async () => {
    const clock = createManualClock(START - 400 * DAY);
    const storage = createMemoryStorage({ clock, storageClasses: ['STANDARD', 'STANDARD_IA', 'GLACIER_IR', 'GLACIER', 'DEEP_ARCHIVE'] });
    await storage.write('data/blob.bin', new Uint8Array(1024 * 1024), { storageClass: 'STANDARD' });
    const inventory = await collectStorageUsage(storage, { now: new Date(START), posture: false });
    expect(inventory.posture).toBeNull();
    expect(inventory.tiering.every((g) => g.targetClass !== 'DEEP_ARCHIVE' && g.targetClass !== 'GLACIER')).toBe(true);
  });

  it('validates its options', async () => {
    const storage = createMemoryStorage();
    await expectAlmanacError(collectStorageUsage(storage, { now: new Date('x') }), { code: 'validation', field: 'options.now' });
    await expectAlmanacError(collectStorageUsage(storage, { now: new Date(START), prefixDepth: -1 }), { code: 'validation', field: 'options.prefixDepth' });
  });
});
